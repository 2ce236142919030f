"""Numbers: the one formatter (``i18n.fmt``) on production output in both languages; CSV numbers with
fixed decimals per unit, no float noise, no scientific notation."""

from __future__ import annotations

import html
import math
import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis import i18n
from analysis.reports import registry
from analysis.reports.numbers import decimals_for, round_for_csv, write_csv

NOISY = float(np.nextafter(476.3, 1000.0))  # the value tables/path.csv showed in issue 16


# worked by hand: (method, arguments, English, Vietnamese); Vietnamese groups with '.' and marks decimals with ','
FMT_TABLE = [
    ("num", (44.3, 1), "44.3", "44,3"),
    ("num", (1000,), "1,000", "1.000"),
    ("num", (1234567.891, 2), "1,234,567.89", "1.234.567,89"),
    ("num", (12.0,), "12", "12"),  # a rank: never a decimal
    ("num", (12.4,), "12", "12"),
    ("num", (0.5, None), "0.500", "0,500"),  # by size: below 1, three decimals
    ("num", (8.361, None), "8.36", "8,36"),
    ("num", (44.256, None), "44.3", "44,3"),
    ("num", (437.2, None), "437", "437"),
    ("num", (10530.19, None), "10,530", "10.530"),
    ("num", (6.0, None), "6", "6"),  # whole: no decimals whatever the size
    ("num", (2.5, None, True), "2.5", "2,5"),  # a chart tick: trimmed, not 2.50
    ("num", (1234.5, None, True), "1,234", "1.234"),  # by size: none at 100 or more (half to even)
    ("num", (None,), "–", "–"),
    ("num", (float("nan"), 2), "–", "–"),
    ("pct", (0.41456, 2), "0.41%", "0,41%"),
    ("pct", (37.5, 0), "38%", "38%"),  # half to even on the binary value: 37.5 -> 38, 36.5 -> 36
    ("pct", (36.5, 0), "36%", "36%"),
    ("year", (2030,), "2030", "2030"),  # a year is never grouped
    ("year", (2030.0,), "2030", "2030"),
    ("signed", (-0.4, 1), "\u22120.4", "\u22120,4"),
    ("signed", (1234.5, 1), "+1,234.5", "+1.234,5"),
    ("usd_bn", (16.24,), "16.2 bn USD", "16,2 tỷ USD"),
]


@pytest.mark.parametrize(("method", "args", "en", "vi"), FMT_TABLE)
def test_fmt_writes_hand_worked_values_in_both_languages_in_production_mode(method, args, en, vi):
    for lang, expected in (("en", en), ("vi", vi)):
        with i18n.language(lang):
            assert not i18n.marking()  # the text readers get, not the marked text of the bypass tests
            assert getattr(i18n.fmt, method)(*args) == expected, (lang, method, args)


@given(st.floats(min_value=-1e12, max_value=1e12, allow_nan=False))
def test_by_size_decimals_never_move_a_value_by_more_than_half_its_last_place(x):
    with i18n.language("en"):
        text = i18n.fmt.num(x, None)
    shown = float(text.replace(",", ""))
    decimals = len(text.split(".")[1]) if "." in text else 0
    assert abs(shown - x) <= 0.5 * 10**-decimals * (1 + 1e-9) + 1e-9
    assert decimals in (0, 1, 2, 3) and "e" not in text


def test_decimals_follow_the_unit_in_the_column_name():
    assert decimals_for("gerd_vnd_bn") == 1
    # a year a series crossed a level, interpolated between surveys: one decimal, as the page shows it (China
    # reached Viet Nam's 2023 income in 2009.6, not "2010"; Thailand its R&D level in 2012.3)
    assert decimals_for("year at Viet Nam's 2023 income") == decimals_for("year at 0.41% of GDP") == 1
    assert decimals_for("R&D spending, bn VND") == 1
    assert decimals_for("gerd_usd_bn") == 3
    assert decimals_for("vnd_per_usd") == 1
    assert decimals_for("share_pct") == 4
    assert decimals_for("share, % of GDP") == 4
    assert decimals_for("rise_pp") == 4
    assert decimals_for("researchers_per_10k") == 2
    assert decimals_for("year") == 0
    assert decimals_for("something else") == 4
    assert decimals_for(("gdp", "vnd_bn")) == 1  # a MultiIndex column


def test_the_float_noise_of_issue_16_is_gone(tmp_path):
    # 476.3 bn VND one ulp off (as sums of shares produce it) prints as 476.30000000000007; 1 decimal -> 476.3.
    # GDP 17,266,123.456 bn VND was written by %.6g as 1.72661e+07; 1 decimal -> 17266123.5.
    df = pd.DataFrame(
        {
            "year": [2025.0, 2026.0],
            "gerd_vnd_bn": [NOISY, 17266123.456],
            "share_pct": [0.4312345678, np.nan],
            "label": ["a", "b"],
        }
    )
    assert repr(NOISY) == "476.30000000000007"  # the noise is real
    path = tmp_path / "t.csv"
    write_csv(df, path, index=False)
    assert path.read_text() == "year,gerd_vnd_bn,share_pct,label\n2025,476.3,0.4312,a\n2026,17266123.5,,b\n"


def test_decimals_are_fixed_within_a_column():
    # 514 bn USD and 552.7774 bn USD: 3 decimals each, so the column lines up as it is read
    out = round_for_csv(pd.DataFrame({"gdp_usd_bn": [514.0, 552.7774], "gdp_vnd_bn": [12847600.0, 14093174.84]}))
    assert out.to_csv(index=False) == "gdp_usd_bn,gdp_vnd_bn\n514.000,12847600.0\n552.777,14093174.8\n"


def test_a_named_index_is_written_as_the_first_column(tmp_path):
    df = pd.DataFrame({"gerd_vnd_bn": [1.25]}, index=pd.Index(["linear"], name="shape"))
    write_csv(df, tmp_path / "t.csv", index=True)
    assert (tmp_path / "t.csv").read_text() == "shape,gerd_vnd_bn\nlinear,1.2\n"  # 1.25 -> 1.2 (round half even)


def test_whole_number_columns_are_integers_and_gaps_stay_empty():
    out = round_for_csv(pd.DataFrame({"entity": ["a", "b", "c"], "rank": [3.0, np.nan, 41.0]}))
    assert out["rank"].dtype == "Int64"
    assert out.to_csv(index=False) == "entity,rank\na,3\nb,\nc,41\n"


@given(
    st.lists(st.floats(min_value=-1e12, max_value=1e12, allow_nan=False), min_size=1, max_size=20),
    st.sampled_from(["gdp_vnd_bn", "share_pct", "gerd_usd_bn", "other"]),
)
def test_rounding_moves_no_value_by_more_than_half_a_last_decimal_and_never_writes_an_exponent(values, column):
    out = round_for_csv(pd.DataFrame({column: values}))
    d = decimals_for(column)
    for before, after in zip(values, out[column], strict=True):
        assert math.isclose(float(after), before, abs_tol=0.5 * 10**-d + 1e-6 * abs(before))
    assert "e+" not in out.to_csv(index=False) and "e-" not in out.to_csv(index=False)


# a column per number of decimals the CSV keeps, by its unit (see decimals_for)
_COLUMN_WITH_DECIMALS = {0: "rank", 1: "gdp_vnd_bn", 2: "score", 3: "gerd_usd_bn", 4: "share_pct"}
_AUDIT_VALUES = st.integers(min_value=-(10**9), max_value=10**9).map(lambda n: n / 1000)  # 3 decimals, as audited


@st.composite
def _decimals_and_values(draw: st.DrawFn) -> tuple[int, list[float]]:
    decimals = draw(st.sampled_from(sorted(_COLUMN_WITH_DECIMALS)))
    # a decimal half-way value (x.x5 to one place): the float is just above or below it, where rules part ways
    halves = st.integers(min_value=-(10**8), max_value=10**8).map(lambda n: (10 * n + 5) / 10 ** (decimals + 1))
    floats = st.floats(min_value=-1e9, max_value=1e9, allow_nan=False)
    return decimals, draw(st.lists(st.one_of(halves, _AUDIT_VALUES, floats), min_size=1, max_size=8))


@given(_decimals_and_values(), st.booleans())
def test_a_csv_cell_has_the_digits_the_english_page_shows(decimals_and_values, mixed):
    """Property: one rounding rule (i18n.rounded) for CSV and page, in a float column and in a column of text and
    numbers, so they cannot differ in a last digit (numpy's rule did: 40.45 to one place was 40.4 in the CSV)."""
    decimals, values = decimals_and_values
    column = _COLUMN_WITH_DECIMALS[decimals]
    cells = [*values, "text"] if mixed else values
    out = round_for_csv(pd.DataFrame({column: cells}))
    with i18n.language("en"):
        for x, cell in zip(values, out[column], strict=False):
            assert format(float(cell), f".{decimals}f") == i18n.fmt.num(x, decimals).replace(",", ""), (x, cell)


def test_the_audits_value_is_40_5_in_the_csv_as_on_the_page():
    frame = pd.DataFrame({"gdp_vnd_bn": [40.45, 2.0], "share_pct": [0.00125, 1.0]})
    assert round_for_csv(frame).to_csv(index=False) == "gdp_vnd_bn,share_pct\n40.5,0.0013\n2.0,1.0000\n"
    with i18n.language("en"):
        assert (i18n.fmt.num(40.45, 1), i18n.fmt.num(0.00125, 4)) == ("40.5", "0.0013")


def test_the_sweep_csv_has_fixed_decimals_and_no_exponents(tmp_path, capsys):
    from analysis import cli

    out = tmp_path / "s.csv"
    assert cli.main(["sweep", "--grid", "real_gdp_growth_pct=6,6.5", "--output", str(out)]) == 0
    frame = pd.read_csv(out, dtype=str)
    text = out.read_text()
    assert "e+" not in text and "e-0" not in text  # GDP was written 1.72661e+07 (issue 16)
    for col in frame.columns:
        if frame[col].str.contains(r"^-?\d+\.\d+$").all():  # a float column: one number of decimals each
            widths = frame[col].str.split(".").str[1].str.len()
            assert widths.nunique() == 1 and widths.iloc[0] == decimals_for(col), col
    money = [c for c in frame.columns if c.endswith("_vnd_bn")]
    assert money and all(frame[c].str.contains(r"^-?\d+(?:\.\d)?$").all() for c in money)


def test_floats_in_a_column_of_text_and_numbers_have_the_columns_decimals(tmp_path):
    # the structural diagnostics: a formula, counts and statistics in one column (issue 16: no float noise)
    formula = "log_gerd ~ log_gdppc"
    df = pd.DataFrame(
        {"measure": list("abcdef"), "fit": [formula, 2382, 0.39070770108022224, 6603.300334891, 6.0, None]}
    )
    write_csv(df, tmp_path / "d.csv", index=False)
    assert (tmp_path / "d.csv").read_text().splitlines() == [
        "measure,fit",
        f"a,{formula}",
        "b,2382",
        "c,0.3907",
        "d,6603.3003",
        "e,6",
        "f,",
    ]


# an English decimal number: a point followed by other than exactly three digits (Vietnamese groups thousands
# with a point, always three digits: 1.234; its decimal mark is a comma: 0,41)
_ENGLISH_DECIMAL = re.compile(r"(?<![\w.])\d+\.(?:\d{1,2}|\d{4,})(?![\d.])")


def _page_text(html_text: str) -> str:
    """What a reader reads on a page: no scripts, styles, embedded images or tags."""
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", html_text, flags=re.S)
    text = re.sub(r"<img[^>]*>", " ", text)
    return html.unescape(re.sub(r"<[^>]+>", " ", text))


def test_english_decimals_are_found_and_vietnamese_numbers_are_not():
    assert _ENGLISH_DECIMAL.findall("0.41% and 44.3 and 0.4156") == ["0.41", "44.3", "0.4156"]
    assert not _ENGLISH_DECIMAL.findall("0,41% 44,3 1.234 408.118 tỷ đồng 2030 23/11/2026 1.234.567,89")


@pytest.mark.notebook
@pytest.mark.parametrize("report", registry.names())
def test_a_vietnamese_production_page_has_no_english_decimal_point(report, report_build):
    """The Vietnamese edition as readers get it (not the marked text of the bypass tests; the session's
    build, shared with the tests that read it): every number above the footer is written the Vietnamese
    way. The footer's parameters and library versions are shown as typed (what a reader types to
    reproduce the run), so they are left out."""
    result = report_build(report)["vi"]
    page = (result.run_dir / "report.html").read_text(encoding="utf-8")
    body = _page_text(page[: page.rindex('class="r57-footer"')])
    if report == "resolution_targets":  # cells shown as typed, not the page's numbers (an issue-25 item): the
        # Government documents' row references ("Phụ lục I, dòng 11.1")
        from test_i18n_resolution_targets import _table_rows

        typed = [r["văn bản của Chính phủ"] for r in _table_rows(page, "tracker")]
        for cell in typed:
            body = body.replace(cell, " ")
    found = [body[max(0, m.start() - 40) : m.end() + 20] for m in _ENGLISH_DECIMAL.finditer(body)]
    assert not found, "English decimals on the Vietnamese page:\n" + "\n".join(found[:20])
