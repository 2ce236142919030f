"""The Vietnamese edition of rd_paths: every word a reader sees comes through the catalogue, and numbers
are written the Vietnamese way (decimal comma, dot thousands separator)."""

from __future__ import annotations

import re

import pytest

from analysis import i18n
from analysis.data.labels import LABELS
from analysis.models.path_core import PATH_SHAPES
from analysis.reports import fonts, messages, rd_paths
from analysis.reports.rd_paths import RD_PARAMS
from analysis.reports.words import display_name
from analysis.run.runner import run_report

MARKS = i18n.MARK_OPEN + i18n.MARK_CLOSE + i18n.NUM_OPEN + i18n.NUM_CLOSE


def own_bypassed(html: str) -> list[str]:
    """Words a reader sees outside the catalogue's marks: the whole page, navigation, footer and charts included."""
    return messages.bypassed(html)


def test_the_path_shape_help_describes_every_shape():
    # the help is written out whole for the catalogue; it must describe each of PATH_SHAPES, in their order
    help_text = next(p.help for p in RD_PARAMS if p.name == "path_shape")
    at = [help_text.find(f" {shape}: ") for shape in PATH_SHAPES]
    assert -1 not in at and at == sorted(at), at


def test_the_sources_the_page_quotes_are_catalogued_from_the_data(monkeypatch):
    # who made each checked statement (6 rows of vn_rd_statements with a value) and the three published funding
    # readings' sources, written once in the data; a source added there is catalogued, in rd_paths.po
    texts = rd_paths.data_texts()
    assert len(texts) == 9 and texts[0] == "PM via tu-do.com (RSS)"
    assert texts[-3:] == [
        "EY Vietnam report, as quoted by baomoi.net.vn (2025)",
        "OECD/World Bank (2014) via VOV 2015",
        "MOST national R&D survey 2014 (reported by vietq.vn)",
    ]
    monkeypatch.setattr(rd_paths, "data_texts", lambda: [*texts, "a source nobody translated"])
    found = {m.id for m in messages.extract().by_area["rd_paths"]}
    assert {*texts, "a source nobody translated"} <= found


def test_shape_names_are_the_display_names():
    assert {code: LABELS["shape"][code] for code in PATH_SHAPES} == {code: display_name(code) for code in PATH_SHAPES}


def test_the_check_reports_words_anywhere_on_the_page():
    # a word left outside the marks is reported wherever it is on the page, the footer included
    html = '<p>\u27e6Nguồn\u27e7 left over</p><footer class="r57-footer">About this report</footer>'
    assert [w.split("'")[1] for w in own_bypassed(html)] == ["left", "over", "About", "this", "report"]


@pytest.mark.notebook
def test_vietnamese_edition_has_no_bypassed_words_and_vietnamese_numbers(tmp_path, monkeypatch):
    monkeypatch.setenv("R57_I18N_MARK", "1")
    result = run_report("rd_paths", {"lang": "vi"}, tmp_path / "vi")
    html = (result.run_dir / "report.html").read_text(encoding="utf-8")
    # every Vietnamese letter drawn by the page's and each chart's embedded font (issue 18, point 6);
    # the bypass marks are not reader text
    assert fonts.missing_glyphs(html, ignore=MARKS) == []

    assert own_bypassed(html) == []

    text = " ".join(messages.visible_text(html))
    for mark in (i18n.MARK_OPEN, i18n.MARK_CLOSE, i18n.NUM_OPEN, i18n.NUM_CLOSE):
        text = text.replace(mark, "")
    text = re.sub(r"\s+", " ", text)
    # Known answers, by hand from the data:
    # - GERD 2023 in VND (data/raw/vn_gerd.csv, derived): 0.41456% x 10,221,815 bn VND = 42,375.95 -> 42,376 bn,
    #   about 42 trillion: Vietnamese "42.376 tỷ đồng (xấp xỉ 42 nghìn tỷ đồng)".
    assert "42.376 tỷ đồng (xấp xỉ 42 nghìn tỷ đồng)" in text
    # - the 2% target on the ministry's pre-revision GDP, on official GDP: 2 / (1 + 25.4 / 100) = 2 / 1.254
    #   = 1.59489 -> 1.59, written "1,59" (GSO's uplift 25.4%, data/raw/vn_rd_statements.csv)
    assert "2% GDP tương đương 1,59% GDP chính thức" in text
    assert "1.59%" not in text and "42,376" not in text
    # the title and headings are Vietnamese, not English
    assert "Lộ trình đưa chi cho nghiên cứu và phát triển (R&D) đạt 2% GDP vào năm 2030" in text
    assert "Where Viet Nam stands" not in text


@pytest.mark.notebook
def test_both_editions_come_from_one_execution_with_vietnamese_numbers_in_production(report_build):
    import html as html_module

    built = report_build("rd_paths")
    en, vi = built["en"].run_dir, built["vi"].run_dir
    # one execution: the same results.json, to the byte (its run time stamp included), in both editions
    assert (en / "results.json").read_bytes() == (vi / "results.json").read_bytes()
    page = (vi / "report.html").read_text(encoding="utf-8")
    page = re.sub(r"<(style|script)\b.*?</\1>", " ", page, flags=re.S)
    page = re.sub(r'<footer class="r57-footer">.*?</footer>', " ", page, flags=re.S)  # parameters as typed
    text = html_module.unescape(re.sub(r"<[^>]+>", " ", page))
    assert 'lang="vi"' in (vi / "report.html").read_text(encoding="utf-8") and i18n.MARK_OPEN not in text
    # known answers: the 2025 start, 0.41456% (the flat-share nowcast) -> "0,415"; R&D in 2030, 2% of
    # 12,847,600 x (1.065 x 1.03)^5 = 20,405,920 bn VND -> 408,118 bn VND -> "408.118"
    assert "0,415" in text and "408.118" in text and "408,118" not in text
    # no number on the Vietnamese page is written with an English decimal point: a point separates groups of
    # exactly three digits (12.847.600); an English decimal (0.41, 35.3) would leave 1, 2 or 4+ digits. File
    # names and series codes are shown as typed (vn_rd_statements.csv, GB.XPD.RSDV.GD.ZS).
    english = re.findall(r"(?<![\d.,])\d+\.(?:\d{1,2}|\d{4,})(?![\d])", text)
    assert english == [], english[:10]
