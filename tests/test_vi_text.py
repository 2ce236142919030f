"""The Vietnamese edition's numbers, times, alphabetical order and terms: known answers worked by hand,
each a defect a Vietnamese reader found (issue 25), and checks over every catalogue entry."""

from __future__ import annotations

import datetime as dt
import html
from functools import cache

import pytest
from babel.messages.pofile import read_po
from hypothesis import given
from hypothesis import strategies as st

from analysis import i18n
from analysis.reports import vi_check
from analysis.reports.messages import glossary


@pytest.fixture(autouse=True)
def _english_after():
    yield
    i18n.use("en")


@cache
def _entries() -> tuple[tuple[str, str, str], ...]:
    """(file name, msgid, msgstr) of every translated entry of the Vietnamese catalogues."""
    found = []
    for path in i18n.catalogue_files("vi"):
        with path.open("rb") as fh:
            for m in read_po(fh):
                ids = m.id if isinstance(m.id, (tuple, list)) else (m.id,)
                strings = m.string if isinstance(m.string, (tuple, list)) else (m.string,)
                if ids[0] and strings[0]:
                    found.append((path.name, ids[0], strings[0]))
    return tuple(found)


# -- numbers -------------------------------------------------------------------------------------------


def test_a_year_is_never_grouped():
    """'kỳ gần nhất 2.024/2.025': the rankings' targets table wrote editions with the grouping format."""
    i18n.use("vi")
    assert i18n.fmt.year(2024) == "2024" and i18n.fmt.year(2025.0) == "2025"
    assert i18n.fmt.num(2024) == "2.024"  # what the table showed: a count's format, not a year's


def test_a_rank_a_float_sum_left_off_the_integer_has_no_decimal():
    """'44,0' in the tracker: the GII projected rank came out of the model as 43.99999999999999, and the
    by-size rule (10 <= x < 100: one decimal) wrote it 44,0. A whole number within rounding noise is whole."""
    i18n.use("vi")
    assert i18n.fmt.num(43.99999999999999, None) == "44"
    assert i18n.fmt.num(765.9999999999999, None) == "766"
    assert i18n.fmt.num(44.25, None) == "44,2"  # a true fraction keeps its decimal (half to even)


@given(st.integers(min_value=-(10**9), max_value=10**9), st.sampled_from([0.0, 1e-12, -1e-12, 1e-10]))
def test_whole_numbers_are_written_without_decimals(n, noise):
    """Property: a count or rank, exact or off by float noise, shows no decimal mark in either language."""
    for lang, mark in (("en", "."), ("vi", ",")):
        i18n.use(lang)
        assert mark not in i18n.fmt.num(n + noise * max(1, abs(n)), None)


def test_the_doubled_unit_check_knows_the_explorer_defect():
    """'mức bố trí 3% 3%': the translation wrote the 3% its source takes from a placeholder."""
    assert vi_check.number_beside_placeholder("{share} budget envelope", "mức bố trí 3% {share}") == ["3% {share}"]
    assert vi_check.number_beside_placeholder("{share} budget envelope", "mức bố trí {share}") == []
    assert vi_check.number_beside_placeholder("the {floor}% floor", "mức sàn {floor}%") == []


def test_no_translation_writes_a_number_beside_a_placeholder_its_source_does_not():
    bad = [(name, msgid) for name, msgid, msgstr in _entries() if vi_check.number_beside_placeholder(msgid, msgstr)]
    assert bad == []


# -- time ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stamp", "expected"),
    [
        ("2026-12-05T07:05:00+00:00", "14:05 ngày 05/12/2026 (giờ Hà Nội)"),
        ("2026-12-05T07:05:00Z", "14:05 ngày 05/12/2026 (giờ Hà Nội)"),
        ("2026-12-31T17:30:59", "00:30 ngày 01/01/2027 (giờ Hà Nội)"),  # no zone: UTC; the date rolls over
        (dt.datetime(2026, 6, 1, 23, 0, tzinfo=dt.UTC), "06:00 ngày 02/06/2026 (giờ Hà Nội)"),
        ("not a time", "not a time"),
    ],
)
def test_vietnamese_pages_show_hanoi_time(stamp, expected):
    i18n.use("vi")
    assert i18n.fmt.time(stamp) == expected


def test_english_pages_keep_the_recorded_utc_stamp():
    assert i18n.fmt.time("2026-12-05T07:05:00+00:00") == "2026-12-05T07:05:00+00:00"


# -- alphabetical order --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("a", "ă"),
        ("ă", "â"),
        ("â", "b"),
        ("d", "đ"),
        ("đ", "e"),
        ("e", "ê"),
        ("o", "ô"),
        ("ô", "ơ"),
        ("u", "ư"),
        ("ư", "v"),
        ("Dự toán", "Đánh giá"),  # Đ after D, not after Z
        ("ăn", "âm"),
        ("az", "ăa"),  # ă is a letter of its own, not an accented a: the default Unicode order gets this wrong
        ("ma", "mà"),  # tones after the letters: none, huyền, hỏi, ngã, sắc, nặng
        ("mà", "mả"),
        ("mả", "mã"),
        ("mã", "má"),
        ("má", "mạ"),
        ("mạ", "mai"),
        ("Chỉ số", "chính"),  # a word ends before a longer one; tone and case only on a tie
        ("tỷ trọng", "Ủy ban"),
    ],
)
def test_vietnamese_alphabetical_order(before, after):
    assert i18n.sort_key(before) < i18n.sort_key(after)


def test_the_vietnamese_glossary_page_is_in_vietnamese_order():
    from analysis.run import site

    page = site.render_glossary("vi")
    terms = [e["term_vi"] for e in glossary()["terms"]]
    shown = sorted(terms, key=lambda t: page.index(f">{html.escape(t, quote=False)} <"))
    assert shown == sorted(terms, key=i18n.sort_key)
    first = [t[0].lower() for t in shown]
    # every Đ term after every D term and before every E term (the old page put Đ after Z)
    assert "đ" in first and "d" in first
    assert max(i for i, c in enumerate(first) if c == "d") < min(i for i, c in enumerate(first) if c == "đ")
    after_d = set("eêghiklmnoôơpqrstuưvxy")
    assert max(i for i, c in enumerate(first) if c == "đ") < min(i for i, c in enumerate(first) if c in after_d)


# -- terms ---------------------------------------------------------------------------------------------


def _core_terms():
    return [e for e in glossary()["terms"] if "check_en" in e]


def test_every_core_term_names_the_official_text_it_comes_from():
    for e in _core_terms():
        assert e["check_en"] and e["check_vi"], e["term_en"]
        assert any(v.lower() in e["term_vi"].lower() or v.lower() in e["definition_vi"].lower() for v in e["check_vi"])
    # the agencies as they stand after the 2025 reorganisation, with the former name where series carry it
    by_en = {e["term_en"]: e for e in glossary()["terms"]}
    nso = next(e for t, e in by_en.items() if t.startswith("National Statistics Office"))
    assert nso["term_vi"] == "Cục Thống kê (Bộ Tài chính)" and "Tổng cục Thống kê" in nso["definition_vi"]
    nasati = next(e for t, e in by_en.items() if "NASATI" in t)
    assert "CESTI" in nasati["definition_vi"] and "55/2025/NĐ-CP" in nasati["source_vi"]


def test_the_term_check_finds_the_words_the_reader_found():
    """Known answers: the translations issue 25 quoted fail `r57 i18n check`'s term check, the corrected ones pass
    (the real catalogues are held to it by test_i18n_complete)."""
    from analysis.reports import messages

    terms = messages.term_checks("vi")

    def fails(source: str, msgstr: str) -> bool:
        return any(True for _ in messages._term_problems(source, msgstr, terms))

    assert fails("Real GDP growth, % a year", "tăng trưởng GDP thực tế, %/năm")
    assert not fails("Real GDP growth, % a year", "tăng trưởng GDP theo giá so sánh, %/năm")
    assert fails("Spending per researcher", "chi tiêu bình quân một nhân lực nghiên cứu")
    assert not fails("Spending per researcher", "chi tiêu bình quân một cán bộ nghiên cứu")
    # the key findings wrote NC&PT where the body and the term base write R&D
    assert fails("R&D spending was {x}", "Tổng chi cho nghiên cứu và phát triển (NC&PT) đạt {x}")
    assert not fails("R&D spending was {x}", "Tổng chi cho nghiên cứu và phát triển (R&D) đạt {x}")


def test_the_term_check_matches_whole_words():
    """Known answers: 'horizon' (a core term) is not said by "Horizontal bars", is by "at this horizon" and
    "horizons"; an English ending still counts for the other terms ("backtested", "researchers")."""
    from analysis.reports import messages

    english = {t.term: t.english for t in messages.term_checks("vi")}
    assert not english["horizon"].search("Horizontal bars of the backtest")
    assert english["horizon"].search("at this horizon") and english["horizon"].search("Horizons ahead")
    assert english["backtest"].search("a backtested projection") and english["researchers"].search("FTE researchers")
    assert not english["backtest"].search("backtestable")


def test_the_exceptions_name_real_catalogue_texts():
    from analysis.reports import messages

    ids = [msgid for _, msgid, _ in _entries()]
    terms = {e["term_en"] for e in _core_terms()}
    for x in messages.glossary()["exceptions"]:
        assert x["term"] in terms and x["why"] and any(i.startswith(x["msgid"]) for i in ids), x


def test_status_words_are_the_same_on_the_index_and_in_the_tracker():
    """One register for a target's status: the index's counts (key figure headers) and the tracker's
    cells (the label table) use the same words, those of official progress reports."""
    from analysis.data.labels import label
    from analysis.reports import registry
    from analysis.reports.resolution_targets import STATUS_FIGURES

    codes = ("on track", "needs acceleration", "off track", "not measurable", "no period data", "no data")
    headers = {k.name: k.header for k in registry.notebook_spec("resolution_targets").key_figures}
    i18n.use("vi")
    words = [label("target_status", code) for code in codes]
    assert words == [
        "đúng tiến độ",
        "cần đẩy nhanh tiến độ",
        "chậm tiến độ",
        "chưa đánh giá được",
        "chưa có số liệu quan sát cho giai đoạn mục tiêu",
        "chưa có số liệu",
    ]
    index = [i18n.gettext(headers[STATUS_FIGURES[code]]).lower() for code in codes]
    # 'no data' on the index says where none was found, as the tracker's legend does; its cells keep the bare word
    assert index == [*words[:5], "chưa có số liệu trong các nguồn dữ liệu mà r57 sử dụng"]


# -- cells written in English in the data ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("docs", "expected"),
    [
        (
            "NQ 03/NQ-CP (9 Jan 2025) Phụ lục I row 4: ≤ 3 Đông Nam Á (transcription, github.com/thetrungdtt/VNMasterplan NQCP03)",
            "Nghị quyết số 03/NQ-CP ngày 09/01/2025, Phụ lục I, dòng 4: ≤ 3 Đông Nam Á (theo bản chép không chính thức)",
        ),
        (
            "NQ 03/NQ-CP (9 Jan 2025) Phụ lục I row 38: 1 doanh nghiệp/1000 dân (transcription, github.com/thetrungdtt/VNMasterplan NQCP03); "
            "NQ 71/NQ-CP may have moved it to 2030 (press, unconfirmed)",
            "Nghị quyết số 03/NQ-CP ngày 09/01/2025, Phụ lục I, dòng 38: 1 doanh nghiệp/1000 dân (theo bản chép không "
            "chính thức); Nghị quyết số 71/NQ-CP có thể đã đưa mục tiêu này về năm 2030 (theo báo chí, chưa xác nhận)",
        ),
        (
            "NQ 03/NQ-CP Phụ lục I: no digital-transformation index for 2045 (transcription, github.com/thetrungdtt/VNMasterplan NQCP03)",
            "Phụ lục I Nghị quyết số 03/NQ-CP: không nêu chỉ số chuyển đổi số cho năm 2045 (theo bản chép không chính "
            "thức)",
        ),
    ],
)
def test_the_government_documents_column_is_vietnamese(docs, expected):
    """The tracker's 'văn bản của Chính phủ' column showed '(9 Jan 2025) ... row 4 ... (transcription, WORDING.md
    S6)' on the Vietnamese page."""
    from analysis.reports.resolution_targets import government_docs_cell

    i18n.use("vi")
    assert government_docs_cell(docs) == expected
    assert vi_check.scan_text(expected) == []


def test_another_release_keeps_its_title_and_says_the_rest_in_vietnamese():
    """'earlier (2025) release, rounded' and 'via' stood in English in the feasibility page's vintages table."""
    from analysis.reports.rd_feasibility import release_cell

    wdi = "World Bank WDI GB.XPD.RSDV.GD.ZS, earlier (2025) release, rounded"
    assert release_cell(wdi) == wdi
    i18n.use("vi")
    assert release_cell(wdi) == "WDI của Ngân hàng Thế giới (GB.XPD.RSDV.GD.ZS), bản công bố trước (2025), đã làm tròn"
    assert release_cell("OECD MSTI (Sept 2023) via NSF/NCSES SEI 2024 Table SRD-1") == (
        "OECD MSTI (Sept 2023) qua NSF/NCSES SEI 2024 Bảng SRD-1"
    )
