"""The one table of code-to-label words (analysis.data.labels): every code the models give has words, and every
label has Vietnamese words in the catalogue."""

from __future__ import annotations

import pytest

from analysis import i18n
from analysis.data.labels import LABELS, label
from analysis.models import nowcast, peers, rankings


def test_every_label_has_vietnamese_words():
    # an untranslated label would be shown in English: no label's Vietnamese words are its English ones
    with i18n.language("vi"):
        untranslated = [
            (kind, code) for kind, codes in LABELS.items() for code in codes if label(kind, code) == codes[code]
        ]
    assert not untranslated


def test_every_code_the_models_give_has_words():
    assert set(nowcast.METHODS) == set(LABELS["nowcast_method"])
    assert set(rankings.INDICES) == set(LABELS["index_source"]) == set(LABELS["index"])
    how = {peers.HOW_NO_DATA, peers.HOW_OBSERVED_START, peers.HOW_INTERPOLATED}
    assert how | {peers.HOW_ALREADY_ABOVE, peers.HOW_NEVER_REACHED, peers.HOW_NOT_FOUND} == set(
        LABELS["peer_alignment"]
    )
    assert set(nowcast.FLAGS) >= set(LABELS["start_status"])


@pytest.mark.parametrize(
    ("kind", "code", "en", "vi"),
    [
        ("rule_verdict", "met", "yes", "có"),
        ("rule_verdict", "within rounding", "only within rounding", "chỉ trong phạm vi làm tròn"),
        ("statement_bound", "at_most", "upper bound", "giới hạn trên"),
        ("start_status", "estimate", "estimated", "ước tính"),
        (
            "nowcast_method",
            "gerd_trend_all",
            "GERD trend, whole survey record",
            "xu hướng GERD, toàn bộ các kỳ điều tra",
        ),
    ],
)
def test_a_folded_label_reads_the_same_in_both_languages(kind, code, en, vi):
    # the words the report tables showed before these tables joined LABELS, in each edition
    with i18n.language("en"):
        assert label(kind, code) == en
    with i18n.language("vi"):
        assert label(kind, code) == vi
