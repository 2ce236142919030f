"""Words for readers: plurals, display names, the country's name."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis import i18n
from analysis.data.labels import LABELS, label
from analysis.models.path_core import PATH_SHAPES
from analysis.reports.words import COUNTRY, display_name, pace_text, plural, plural_word, verdicts_text


@pytest.mark.parametrize(
    ("n", "word", "many", "expected"),
    [
        (1, "entity", None, "1 entity"),
        (0, "entity", None, "0 entities"),
        (3, "year", None, "3 years"),
        (1, "year", None, "1 year"),
        (2, "economy", None, "2 economies"),
        (2, "index", None, "2 indices"),
        (2, "box", None, "2 boxes"),
        (2, "day", None, "2 days"),  # vowel before y: regular
        (1204, "scenario", None, "1,204 scenarios"),
        (1.0, "year", None, "1 year"),  # a whole float counts as a whole number
        (2.5, "year", None, "2.5 years"),
        (2, "person", None, "2 people"),
        (2, "criterion", "criteria", "2 criteria"),
        (1, "criterion", "criteria", "1 criterion"),
    ],
)
def test_plural_known_forms(n, word, many, expected):
    assert plural(n, word, many) == expected


@given(st.integers(min_value=0, max_value=10**9), st.sampled_from(["year", "entity", "scenario", "economy"]))
def test_plural_is_singular_only_for_one_and_never_has_a_bracketed_s(n, word):
    text = plural(n, word)
    assert "(s)" not in text and "'" not in text
    assert text.endswith(" " + word) == (n == 1)
    assert text.split(" ")[0].replace(",", "") == str(n)


def test_plural_word_without_the_count():
    assert plural_word(1, "report") == "report" and plural_word(5, "report") == "reports"


def test_every_path_shape_has_a_display_name_without_code_spelling():
    names = [display_name(s) for s in PATH_SHAPES]
    assert "back-loaded" in names
    assert all("_" not in n for n in names)


def test_index_codes_show_the_index_name_and_unknown_codes_lose_underscores():
    assert display_name("gii") == "WIPO Global Innovation Index"
    assert display_name("state_gerd_share") == "state gerd share"


def test_the_country_is_spelled_as_the_un_spells_it():
    assert COUNTRY == "Viet Nam"


def test_house_spelling_changes_the_name_only():
    from analysis.reports.words import house_spelling

    assert house_spelling("Vietnam") == "Viet Nam"
    assert house_spelling("produce in Vietnam.") == "produce in Viet Nam."
    for kept in ("Vietnamese universities", "PetroVietnam", "VietnamPlus", "Viet Nam"):
        assert house_spelling(kept) == kept
    assert house_spelling(None) is None


def test_numbers_of_any_size_have_one_rule_and_vietnamese_separators():
    """``words.number`` (deleted) wrote ``44.3`` in Vietnamese: it localised ``targets.fmt``'s text, which
    was already localised, a second time. Its callers now use ``fmt.num(x, None)``, production mode."""
    from analysis import i18n

    # the structural diagnostics printed AIC 6.64e+03 beside 6.6e+03 and a literal nan (issue 16)
    with i18n.language("en"):
        assert i18n.fmt.num(6640.2, None) == "6,640" and i18n.fmt.num(6601.0, None) == "6,601"
        assert i18n.fmt.num(0.0524, None) == "0.052" and i18n.fmt.num(44.25, None) == "44.2"
        assert i18n.fmt.num(2382, None) == "2,382" and i18n.fmt.num(float("nan"), None) == "–"
    with i18n.language("vi"):
        assert not i18n.marking()
        assert i18n.fmt.num(44.3, None) == "44,3"  # words.number gave 44.3
        assert i18n.fmt.num(6640.2, None) == "6.640" and i18n.fmt.num(0.0524, None) == "0,052"
    assert not hasattr(__import__("analysis.reports.words", fromlist=["_"]), "number")


def test_every_projection_method_has_words():
    from analysis.models import backtest

    for code in backtest.METHODS:  # the series' methods among them
        assert code in LABELS["method"] and "_" not in display_name(code), code  # chosen words, not a fallback
        assert code in LABELS["method_words"], code


def test_every_code_a_report_shows_has_words_in_the_one_label_table():
    from analysis.models.path_core import PATH_SHAPES
    from analysis.models.targets import STATUSES

    assert set(PATH_SHAPES) <= set(LABELS["shape"])
    assert set(STATUSES) == set(LABELS["target_status"])
    assert display_name("back_loaded") == label("shape", "back_loaded") == "back-loaded"
    assert label("series", "nowcast") == "nowcast (estimate)" and label("run", "never run") == "never run"
    assert label("shape", "new_code") == "new code" and label("method", None) == ""
    with i18n.language("vi"):
        assert label("target_status", "on track") == "đúng tiến độ"  # translated in its own context
        assert label("shape", "back_loaded") != "back-loaded"


# T04 in the December 2026 data: UIS 0.41505% of GDP in 2019, 0.41456% in 2023: (0.41456 - 0.41505) / 4 = -0.00049%
# of GDP a year, against (2 - 0.41456) / 7 = 0.226 needed; 'pace seen 0.000 ... 0% of it' read as no move at all
T04 = {"status_short": "off track", "status_long": "off track", "pace_short": -0.00049, "pace_long": 0.0111}
T04 |= {"pace_needed": 0.2265, "pace_ratio_short": -0.00049 / 0.2265, "pace_ratio_long": 0.0111 / 0.2265}


@pytest.mark.parametrize(
    ("row", "en", "vi"),
    [
        (  # the wrong way but 0.2% of the pace needed (under FLAT_RATIO, 10%): flat, not a move away
            T04,
            "pace seen -0.00049 a year vs 0.227 needed: no climb (flat)",
            "tốc độ thực tế -0,00049/năm so với mức cần đạt 0,227/năm: không tiến lên (đi ngang)",
        ),
        (  # T20's regional rank in the 2024 EGDI: 5th, needing 3rd by 2030; seen +0.023 places a year, 6.8% of the
            # 0.333 needed the wrong way (the stated position went 6 -> 5): flat
            {"status_long": "off track", "pace_long": 0.02254, "pace_needed": -1 / 3, "pace_ratio_long": -0.0676},
            "pace seen 0.023 a year vs -0.333 needed: no climb (flat)",
            "tốc độ thực tế 0,023/năm so với mức cần đạt -0,333/năm: không tiến lên (đi ngang)",
        ),
        (  # +0.0333 places a year against -0.333: exactly 10% of it the wrong way, the tolerance's edge: moving away
            {"status_long": "off track", "pace_long": 1 / 30, "pace_needed": -1 / 3, "pace_ratio_long": -0.1},
            "pace seen 0.033 a year vs -0.333 needed: moving away from the target",
            "tốc độ thực tế 0,033/năm so với mức cần đạt -0,333/năm: đang đi ngược hướng mục tiêu",
        ),
        (
            T04 | {"pace_short": 0.0204, "pace_needed": 0.052, "pace_ratio_short": 0.0204 / 0.052},
            "pace seen 0.020 a year vs 0.052 needed: 39% of it",
            "tốc độ thực tế 0,020/năm so với mức cần đạt 0,052/năm, tức bằng 39% mức cần đạt",
        ),
        (
            T04 | {"status_long": "on track", "pace_short": -0.0001, "pace_long": 2.345},
            "pace seen -0.0001 a year over 5 years (off track) and 2.35 over the long window (on track) vs 0.227 "
            "needed",
            None,
        ),
    ],
)
def test_a_pace_keeps_its_sign_and_one_moving_away_is_not_a_share(row, en, vi):
    assert verdicts_text(row) == en
    if vi:
        with i18n.language("vi"):
            assert verdicts_text(row) == vi


@pytest.mark.parametrize(
    ("x", "expected"),
    [(-0.00049, "-0.00049"), (0.0004999, "0.0005"), (0.0005, "0.001"), (-0.04, "-0.040"), (0, "0"), (None, "–")],
)
def test_a_pace_that_its_decimals_would_round_to_zero_gets_two_significant_figures(x, expected):
    assert pace_text(x) == expected
