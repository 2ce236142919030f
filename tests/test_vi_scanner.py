"""No English and no code on a Vietnamese page: the scanner (analysis.reports.vi_check) on pages made by
hand, then on the default Vietnamese build of every report, the index and the glossary, each against an
explicit list of the offenders known today (issue 25: the list only shrinks as the text moves into the
technical appendix or into Vietnamese; a new offender fails)."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.reports import registry, vi_check
from analysis.run import catalogue, site

PAGE = """<!DOCTYPE html><html lang="vi"><head><title>Lộ trình</title><style>p{color:red}</style></head><body><main>
<h1>Lộ trình chi cho R&amp;D</h1>
<p>Tham số <code>target_gdp_basis</code> và tệp data/raw/vn_gerd.csv; mã CHN đứng trong câu.</p>
<p>This is the kind of <b>sentence</b> that a reader of the page would not want.</p>
<p>Chi cho R&amp;D do nhà nước chi vượt mức bố trí 3% 3% năm 2030.</p>
<p>Khi tăng trưởng GDP theo giá so sánh 6,5%, 7% trong giai đoạn này thì an toàn.</p>
<p><span lang="en">The English term is shown in the other language of the site, on purpose.</span></p>
<h2>Phụ lục kỹ thuật</h2><p>target_year = 2030 in shared/reference/x.csv, and all of this is for the record.</p>
<h3>Tham số</h3><p>naive_last_pace</p>
<h2>Nguồn số liệu</h2><p>Ngân hàng Thế giới, USA</p>
<footer><p>Produced by r57 on the machine of the_team, data/raw/manifest.yaml.</p></footer>
<script>var not_shown = "data/raw/x.csv";</script>
</main></body></html>"""


def test_the_scanner_finds_code_and_english_outside_the_footer_and_the_appendix():
    found = {(f.kind, f.text) for f in vi_check.scan_html(PAGE)}
    assert found == {
        ("parameter", "target_gdp_basis"),
        ("path", "data/raw/vn_gerd.csv"),
        ("iso3", "CHN"),
        ("english", "This is the kind of sentence that a reader of the page would not want"),
        ("repeated number", "3% 3%"),
        ("iso3", "USA"),  # after the appendix: the next heading of its level ends it
        ("abbreviation", "R&D"),  # in the heading, before any "nghiên cứu và phát triển"
    }


def test_an_english_sentence_needs_four_function_words_in_a_run_of_unaccented_words():
    assert vi_check.english_runs("Theo WDI, GDP do Bộ Tài chính công bố; an toàn, to lớn, in ấn.") == []
    assert vi_check.english_runs("the share of the latest rank") == []  # three function words: a label
    # the run starts after the last accented word ("Nội") and ends at the last unaccented one
    assert vi_check.english_runs("Hà Nội: by 2045 the share of the digital economy is at least 50% of GDP.") == [
        "by 2045 the share of the digital economy is at least 50% of GDP"
    ]


def test_a_vietnamese_csv_writes_thousands_the_vietnamese_way():
    found = {(f.kind, f.text) for f in vi_check.scan_csv('năm,giá trị\n2024,1.000\n2025,"1,000"\n')}
    assert found == {("english number", "1,000")}


def test_an_abbreviation_is_spelled_out_at_its_first_use():
    spelled = ["Chi cho nghiên cứu và phát triển (R&D) năm 2025", "Chi cho R&D của Bộ KH&CN"]
    assert [(f.kind, f.text) for f in vi_check.abbreviations_before_their_words(spelled)] == [("abbreviation", "KH&CN")]
    assert vi_check.abbreviations_before_their_words(["Bộ Khoa học và Công nghệ (Bộ KH&CN)", "KH&CN"]) == []


def test_an_organisations_acronym_is_not_read_as_a_country_code_and_a_country_code_still_is():
    # NIC (the National Innovation Center, a source of the VC figures) is also Nicaragua's ISO3 code
    assert vi_check.scan_text("Nguồn: NIC & Do Ventures, báo cáo đầu tư đổi mới sáng tạo 2021") == []
    found = vi_check.scan_csv("nguồn,ghi chú\nNIC & Do Ventures,THA đứng thứ 2\n")
    assert [(f.kind, f.text) for f in found] == [("iso3", "THA")]


def test_scenario_names_are_found_as_code():
    found = vi_check.scan_text("Chưa có kết quả: kịch bản rd-baseline chưa được chạy.", codes=("rd-baseline",))
    assert [(f.kind, f.text) for f in found] == [("identifier", "rd-baseline")]


# -- the default Vietnamese build ---------------------------------------------------------------------


def _codes() -> list[str]:
    return [s.name for s in catalogue.load_catalogue()[0]]


def _offenders(folder: Path) -> set[tuple[str, str]]:
    codes = _codes()
    found = vi_check.scan_html((folder / "report.html").read_text(encoding="utf-8"), codes)
    for csv in sorted((folder / "tables").glob("*.csv")):
        found += vi_check.scan_csv(csv, codes)
    return {(f.kind, f.text[:60]) for f in found}


# Every registered report's default Vietnamese page and CSVs are scanned: none may show what a Vietnamese reader
# should not meet (code or parameter names, file paths, ISO codes, English sentences, an abbreviation before its words).
@pytest.mark.parametrize("name", registry.names())
def test_the_default_vietnamese_report_shows_no_english_or_code(report_build, name):
    built = report_build(name)
    found = _offenders(Path(built["vi"].run_dir))
    assert not found, f"{name}: English or code on the Vietnamese page or CSVs: {sorted(found)}"
    for lang in ("en", "vi"):  # and no sentence of either edition writes a number with its unit twice
        page = (Path(built[lang].run_dir) / "report.html").read_text(encoding="utf-8")
        assert vi_check.repeated_numbers(page, lang) == []
        assert ("(giờ Hà Nội)" in page) == (lang == "vi")  # the footer's run time: Hanoi time in Vietnamese


def test_the_vietnamese_index_and_glossary_show_no_english_or_code():
    scenarios = catalogue.load_catalogue()[0]
    index = site.render_index(scenarios, {}, lang="vi")
    assert "Theo dõi tiến độ thực hiện các mục tiêu của Nghị quyết số 57-NQ/TW" in index
    for page in (index, site.render_glossary("vi")):
        assert vi_check.scan_html(page) == []


def test_each_rank_page_is_headed_by_its_own_index(report_build):
    """The e-government page no longer carries the startup-ecosystem heading shared by every rank page."""
    import re

    # the session's e-government build (Viet Nam, the default entity), shared with test_notebooks
    built = report_build("ecosystem_rankings", {"index_name": "egdi", "include_derived": True})
    page = (Path(built["vi"].run_dir) / "report.html").read_text(encoding="utf-8")
    headings = re.findall(r"<h1[^>]*>(.*?)</h1>", page, re.S)
    assert len(headings) == 1 and "Chính phủ điện tử" in headings[0] and "khởi nghiệp" not in headings[0]


def _table(page: str, table_id: str) -> list[dict[str, str]]:
    """The rows of the shown table ``table_id`` of a rendered page, as {header: cell text}."""
    import re

    body = page[page.index(f'id="{table_id}"') :]
    body = body[: body.index("</table>")]
    rows = [
        [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", r, re.S)]
        for r in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    ]
    return [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


def test_the_number_defects_the_reader_found_stay_fixed(report_build):
    """Issue 25's numbers, on the default Vietnamese build: the rankings' latest editions are years
    (2024, never 2.024), and a rank the tracker projects is a whole number (the GII's 43.99999999999999 in
    results.json was 44, never 44,0; it is no longer projected, the EGDI's 71 is)."""
    rankings = (Path(report_build("ecosystem_rankings")["vi"].run_dir) / "report.html").read_text(encoding="utf-8")
    editions = {row["kỳ gần nhất"] for row in _table(rankings, "targets")} - {""}  # IMD: not covered
    assert editions and editions <= {"2024", "2025"}, editions
    tracker = (Path(report_build("resolution_targets")["vi"].run_dir) / "report.html").read_text(encoding="utf-8")
    rows = {row["mã mục tiêu"][:4]: row for row in _table(tracker, "tracker")}
    # T19's 2045 now lies beyond its backtest's horizon: no projection; T01d's rank projection is a whole number too
    assert rows["T19"]["dự phóng tại năm mục tiêu"] == "" and rows["T01d"]["dự phóng tại năm mục tiêu"] == "71"
