"""The rankings report's Vietnamese edition, executed end to end: no word a reader sees bypasses the catalogue,
names and numbers are written the Vietnamese way, and the CSVs and results.json keep their English interface."""

from __future__ import annotations

import csv
import json
import re

import pytest

from analysis import i18n
from analysis.reports import ecosystem_rankings as rs
from analysis.reports import fonts
from analysis.reports.messages import bypassed
from analysis.run.runner import run_report

pytestmark = pytest.mark.notebook

MARKS = re.compile("[\u27e6\u27e7\u27e8\u27e9]")  # ⟦ ⟧ around translated text, ⟨ ⟩ around formatted numbers

GLYPH_IGNORE = i18n.MARK_OPEN + i18n.MARK_CLOSE + i18n.NUM_OPEN + i18n.NUM_CLOSE  # the marks: not reader text


def _own_words(html: str) -> list[str]:
    """Words a reader sees outside the catalogue's marks: the whole page, navigation, footer and charts included."""
    return bypassed(html)


def _run_vi(tmp_path, monkeypatch, name: str, given: dict):
    monkeypatch.setenv("R57_I18N_MARK", "1")  # the kernel inherits it: every translated text comes marked
    result = run_report("ecosystem_rankings", {**given, "lang": "vi"}, tmp_path / name)
    html = (result.run_dir / "report.html").read_text(encoding="utf-8")
    # every Vietnamese letter drawn by the page's and each chart's embedded font (issue 18, point 6);
    # the bypass marks are not reader text
    assert fonts.missing_glyphs(html, ignore=GLYPH_IGNORE) == []
    results = json.loads((result.run_dir / "results.json").read_text(encoding="utf-8"))
    return result.run_dir, html, results


def test_vietnamese_edition_for_a_city(tmp_path, monkeypatch):
    # scenarios/rank-hanoi.yaml
    given = {"index_name": "startupblink_city", "entity": "hanoi", "target_rank": 100}
    run_dir, html, r = _run_vi(tmp_path, monkeypatch, "hanoi", given)
    assert _own_words(html) == []
    text = MARKS.sub("", html)
    assert r["latest_rank"] == 148 and r["n_ranked_latest"] == 1400 and r["latest_edition"] == 2025
    # the city's Vietnamese name, in the narrative and the page title; never the English one in the narrative
    assert "Hà Nội đứng thứ 148/1.400" in text  # a rank as officials write it, thousands with a dot
    assert "Hà Nội" in MARKS.sub("", r["titles"]["vi"])
    assert "Hanoi ranks" not in text
    # pace: (148 - 100) places / (2030 - 2025) years = 9.6 places a year -> "9,6 bậc mỗi năm";
    # percentile points: (148/1,400 - 100/1,400) x 100 / 5 = 0.686 -> "0,7 điểm phân vị mỗi năm"
    assert r["required_places_per_year"] == pytest.approx(9.6)
    assert "9,6 bậc mỗi năm" in text and "0,7 điểm phân vị mỗi năm" in text
    # the edition's CSV is in Vietnamese: the shown headers and names (the English edition's has the codes)
    with (run_dir / "tables" / "regional_table.csv").open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert "thứ hạng thế giới" in rows[0] and "Hà Nội" in {row["đơn vị được xếp hạng"] for row in rows}
    assert {t["status"] for t in r["targets"]} <= {"on track", "off track", "not measurable"}  # codes, not words


def test_vietnamese_edition_for_a_country_index(tmp_path, monkeypatch):
    # scenarios/rank-egov.yaml: the UN E-Government Development Index
    given = {"index_name": "egdi", "entity": "VNM", "target_rank": 50}
    run_dir, html, r = _run_vi(tmp_path, monkeypatch, "egov", given)
    assert _own_words(html) == []
    text = MARKS.sub("", html)
    assert r["latest_rank"] == 71 and r["n_ranked_latest"] == 193 and r["latest_edition"] == 2024
    # the official Vietnamese name of the index and the country's CLDR name
    assert "Chỉ số phát triển Chính phủ điện tử (EGDI)" in text
    # 71 of 193 is the top 71 / 193 = 36.8%, shown "37%"; written "hạng 71/193" in Vietnamese
    assert "Việt Nam đứng thứ 71/193" in text and "thuộc nhóm 37% đứng đầu" in text
    # pace: (71 - 50) places / (2030 - 2024) years = 3.5 -> "3,5 bậc mỗi năm" (a decimal comma)
    assert r["required_places_per_year"] == pytest.approx(3.5)
    assert "3,5 bậc mỗi năm" in text
    # EGDI components in Vietnamese in the shown table and in its CSV's header
    assert "OSI (dịch vụ trực tuyến)" in text
    header = (run_dir / "tables" / "egdi_components.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert "OSI (dịch vụ trực tuyến)" in header


def test_names_and_ranks_in_each_language(monkeypatch):
    monkeypatch.delenv("R57_I18N_MARK", raising=False)
    # English as before: the house spelling of the country, ranks "of", thousands with a comma
    assert rs.entity_label("VNM", "Vietnam") == "Viet Nam" and rs.entity_label("hanoi", "Hanoi", "city") == "Hanoi"
    assert rs.rank_of(766, 1400, at_least=True) == "766 of 1,400+" and rs.rank_of(55, None) == "55"
    with i18n.language("vi"):
        # CLDR names for economies, the catalogue for cities; ranks as officials write them: 766/1.400
        assert rs.entity_label("VNM", "Vietnam") == "Việt Nam" and rs.entity_label("THA", "Thailand") == "Thái Lan"
        assert rs.entity_label("ho-chi-minh-city", "Ho Chi Minh City", "city") == "Thành phố Hồ Chí Minh"
        assert rs.entity_label("da-nang", "Da Nang", "city") == "Đà Nẵng"
        assert rs.rank_of(766, 1400, at_least=True) == "766/1.400+" and rs.rank_of(44, 139) == "44/139"
        assert rs.index_label("gii") == "Chỉ số Đổi mới sáng tạo toàn cầu (GII) của WIPO"
        assert rs.index_label("egdi").startswith("Chỉ số phát triển Chính phủ điện tử (EGDI)")
        assert rs.percent(82.5) == "82,5%" and rs.percent(80) == "80%"
        # every city in the ranking data has a Vietnamese name in the catalogue (none falls back to English
        # unnoticed: Jakarta stays Jakarta, but through the catalogue)
        for city in rs.city_names():
            assert i18n._read("vi").get((None, city)), city
