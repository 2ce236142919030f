"""Tables made for spreadsheets (analysis.reports.tables): one value per cell, Vietnamese CSVs in
Vietnamese with numbers a Vietnamese reader will not misread, a workbook per report, a zip per edition."""

from __future__ import annotations

import csv
import io
import json
import math
import os
import stat
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import i18n
from analysis.data.labels import LABELS, label
from analysis.i18n import _
from analysis.reports import registry, render
from analysis.reports.numbers import round_for_csv, write_csv
from analysis.reports.tables import (
    WORKBOOK,
    SheetTable,
    csv_problems,
    prose_column,
    sheet_names,
    tables_zip,
    workbook_bytes,
    zip_bytes,
)

PROVENANCE = {
    "code_version": {"package": "0.9.0", "commit": "abc123def456", "dirty": False},
    "data_manifest_version": "2026.11",
    "data_versions": {"vn_gdp.csv": "1f2e3d", "rankings.csv": "9a8b7c"},
    "libraries": {"pandas": "3.1.1"},
    "run_at_utc": "2026-11-23T13:00:00+00:00",
}


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# ----------------------------------------------------------------------------- one value per cell


def test_the_checker_flags_each_cell_that_mixes_a_number_with_words_or_units(tmp_path):
    # the tracker's cells of issue 26, a grouped number and a rank with a decimal; the note column is prose
    bad = _write(
        tmp_path / "bad.csv",
        "id,latest,estimate,progress,gerd_vnd_bn,rank,note\n"
        'T01,0.415 % of GDP (2023),0.415 (80% interval 0.356-0.473),12 of 30,"1,000",766.0,'
        '"0.415 % of GDP in 2023, by WDI"\n',
    )
    found = csv_problems(bad)
    assert [p.split(": ")[1] for p in found] == [
        "row 2, column 'latest'",
        "row 2, column 'estimate'",
        "row 2, column 'progress'",
        "row 2, column 'gerd_vnd_bn'",
        "row 2, column 'rank'",
    ]
    assert found[0] == (
        "bad.csv: row 2, column 'latest': '0.415 % of GDP (2023)': a number mixed with words or units "
        "(one value per cell; the unit belongs in the header)"
    )
    assert "with a comma" in found[3] and "766, not 766.0" in found[4]


def test_the_checker_passes_one_value_per_cell_with_the_unit_in_the_header(tmp_path):
    good = _write(
        tmp_path / "good.csv",
        "id,latest_pct,latest_year,low_pct,high_pct,done,total,gerd_vnd_bn,rank,status,method,date,series,note\n"
        "T01,0.415,2023,0.356,0.473,12,30,1000.0,766,on track,drift_rank,2023-07-13,GB.XPD.RSDV.GD.ZS,"
        '"0.415 % of GDP in 2023, by WDI"\n'
        "T02,,,,,,,,,no data,,,,\n",
    )
    assert csv_problems(good) == []


def test_a_column_is_prose_by_its_name_or_when_declared(tmp_path):
    assert prose_column("note") and prose_column("Resolution wording") and prose_column("data source")
    assert not prose_column("latest_pct") and not prose_column("notes on 2030 target")
    vi = _write(tmp_path / "vi.csv", 'mã,ghi chú\nT01,"0,415% GDP (2023)"\n')
    assert len(csv_problems(vi)) == 1  # "ghi chú" is not an English prose name ...
    assert csv_problems(vi, prose=["ghi chú"]) == []  # ... but may be declared so (the English file's position)


@settings(max_examples=60)
@given(
    values=st.lists(st.one_of(st.floats(min_value=-1e12, max_value=1e12), st.just(math.nan)), min_size=1, max_size=6),
    whole=st.lists(st.integers(min_value=0, max_value=10**7), min_size=1, max_size=6),
    bom=st.booleans(),
)
def test_every_number_the_csv_writer_writes_passes_the_checker(tmp_path_factory, values, whole, bom):
    # ranks, counts and years, money, shares: whatever the values, the writer never groups digits or writes 766.0
    n = min(len(values), len(whole))
    df = pd.DataFrame(
        {
            "rank": [float(w) for w in whole[:n]],
            "year": whole[:n],
            "gerd_vnd_bn": values[:n],
            "share_pct": values[:n],
            "count": [float(w) if i % 2 else math.nan for i, w in enumerate(whole[:n])],
        }
    )
    path = tmp_path_factory.mktemp("csv") / "t.csv"
    write_csv(df, path, index=False, bom=bom)
    assert csv_problems(path) == []


# ----------------------------------------------------------------------------- the files a report writes


@pytest.fixture()
def quiet(monkeypatch):
    monkeypatch.delenv("R57_I18N_MARK", raising=False)
    monkeypatch.setattr(render, "_display_html", lambda text: None)


def _report(tmp_path: Path) -> tuple[render.Report, dict]:
    """A report showing one table in each language, as a notebook under both() does, then saved."""
    r = render.Report(results_path=str(tmp_path / "results.json"))
    df = pd.DataFrame(
        {
            "status": ["on track", "off track"],
            "method": ["drift_rank", "naive"],
            "entity": ["Hanoi", "VNM"],
            "in_data": [True, False],
            "year": [2024, 2030],
            "rank": [766.0, math.nan],
            "gerd_vnd_bn": [1000.0, 2500.25],
            "share_pct": [0.41512, 2.0],
            "low": ["0.352", "not stated"],  # a number kept as text beside words, as a sensitivity table has
        }
    )
    names = {"Hanoi": "Hà Nội"}

    def show():
        vi = i18n.current() == "vi"
        r.table(
            df,
            table_id="rankings_and_spending_by_entity_and_year",  # 40 characters: the sheet name is cut to 31
            title=_("Download this table (CSV)"),  # any catalogued text: the title in the edition's language
            source="WDI",
            formats={
                "entity": lambda n: names.get(n, n) if vi else n,
                "low": lambda v: {"not stated": "không nêu"}.get(v, v.replace(".", ",")) if vi else v,
            },
            labels={"rank": _("global rank"), "gerd_vnd_bn": "R&D, bn VND", "share_pct": "R&D, % of GDP"},
        )

    for lang in ("en", "vi"):
        with i18n.language(lang):
            show()
    with i18n.language("en"):
        results = r.save({"provenance": PROVENANCE})
    return r, results


def test_the_vietnamese_csv_is_vietnamese_and_its_numbers_cannot_be_misread(tmp_path, quiet):
    _report(tmp_path)
    tid = "rankings_and_spending_by_entity_and_year"
    english = (tmp_path / "tables" / f"{tid}.csv").read_text(encoding="utf-8")
    # the English file is the interface for scripts: column names and codes, as before
    assert english.splitlines() == [
        "status,method,entity,in_data,year,rank,gerd_vnd_bn,share_pct,low",
        "on track,drift_rank,Hanoi,True,2024,766,1000.0,0.4151,0.352",
        "off track,naive,VNM,False,2030,,2500.2,2.0000,not stated",
    ]
    folder = tmp_path / "editions" / "vi" / "tables"
    assert sorted(p.name for p in folder.iterdir()) == [f"{tid}.csv", WORKBOOK]  # one CSV per table, no .vi.csv
    raw = (folder / f"{tid}.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # a BOM: spreadsheet programs read the diacritics right
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][5:8] == ["thứ hạng thế giới", "R&D, bn VND", "R&D, % of GDP"]  # the page's headers
    # codes in the edition's words (analysis.data.labels; a status in its own context), true as "có", the
    # entity as the page shows it; years never grouped (2024, not 2.024), a rank never 766,0 or 766.0, one
    # thousand never 1,000 (read as 1,0 by a Vietnamese reader): 1000.0 with a point, no separator
    # a number kept as text is written as it is, never as the page's 0,352
    assert rows[1] == [
        "đúng tiến độ",
        "xu hướng thay đổi thứ hạng",
        "Hà Nội",
        "có",
        "2024",
        "766",
        "1000.0",
        "0.4151",
    ] + ["0.352"]
    assert rows[2] == [
        "chậm tiến độ",
        "giản đơn (giữ nguyên thứ hạng gần nhất)",
        "VNM",
        "không",
        "2030",
        "",
        "2500.2",
        "2.0000",
        "không nêu",
    ]
    assert csv_problems(folder / f"{tid}.csv") == []


def test_the_workbook_has_a_sources_sheet_and_numbers_as_numbers(tmp_path, quiet):
    _report(tmp_path)
    for path, lang in ((tmp_path / "tables" / WORKBOOK, "en"), (tmp_path / "editions/vi/tables" / WORKBOOK, "vi")):
        wb = openpyxl.load_workbook(path)
        about, sheet = wb.worksheets
        assert wb.sheetnames == [{"en": "Sources", "vi": "Nguồn"}[lang], "rankings_and_spending_by_entity"]
        assert len(wb.sheetnames[1]) <= 31
        cells = [[c.value for c in row] for row in about.iter_rows()]
        title = {"en": "Download this table (CSV)", "vi": "Tải bảng này (CSV)"}[lang]
        assert [wb.sheetnames[1], title, "WDI", "rankings_and_spending_by_entity_and_year.csv"] in cells
        assert ["vn_gdp.csv", "1f2e3d", None, None] in cells and ["rankings.csv", "9a8b7c", None, None] in cells
        assert any(row[1] == "2026.11" for row in cells)
        assert not any("2026-11-23" in str(v) for row in cells for v in row)  # no run time: same inputs, same bytes
        header = [c.value for c in sheet[1]]
        assert header[5:8] == [{"en": "global rank", "vi": "thứ hạng thế giới"}[lang], "R&D, bn VND", "R&D, % of GDP"]
        first = {h: c for h, c in zip(header, sheet[2], strict=True)}
        # numbers are numbers with one format per column: years plain, ranks whole, money to 0.1 bn, shares 4 dp
        assert (first[header[4]].value, first[header[4]].number_format) == (2024, "0")
        assert (first[header[5]].value, first[header[5]].number_format) == (766, "#,##0")
        assert (first[header[6]].value, first[header[6]].number_format) == (1000.0, "#,##0.0")
        assert (first[header[7]].value, first[header[7]].number_format) == (0.4151, "#,##0.0000")
        assert sheet.cell(row=3, column=6).value is None  # a missing rank is an empty cell
        assert first[header[0]].value == {"en": "on track", "vi": "đúng tiến độ"}[lang]


def test_a_workbook_number_is_the_csvs_and_the_pages_to_the_last_digit():
    # stored just above the half (40.4500000000000028..., 0.00125000000000000002...): numpy's round went down
    cells = pd.DataFrame({"gdp_vnd_bn": [40.45, 12.0], "share_pct": [0.00125, 0.5]})
    book = openpyxl.load_workbook(io.BytesIO(workbook_bytes([SheetTable("t", "T", "S", cells, ["a", "b"])], {})))
    assert [c.value for c in book.worksheets[1][2]] == [40.5, 0.0013]
    assert round_for_csv(cells).iloc[0].tolist() == ["40.5", "0.0013"]
    with i18n.language("en"):
        assert [i18n.fmt.num(40.45, 1), i18n.fmt.num(0.00125, 4)] == ["40.5", "0.0013"]


def test_the_workbook_is_the_same_bytes_for_the_same_tables(tmp_path, quiet):
    _report(tmp_path / "a")
    _report(tmp_path / "b")
    a, b = (tmp_path / x / "tables" / WORKBOOK for x in "ab")
    assert a.read_bytes() == b.read_bytes()
    with zipfile.ZipFile(a) as z:  # fixed dates: not the time of writing
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = z.read("docProps/core.xml").decode()
    assert core.count("1980-01-01T00:00:00Z") == 2  # created and modified


def test_sheet_names_are_short_unique_and_legal():
    long = "x" * 40
    assert sheet_names([long, long, "a/b:c", "T"]) == ["x" * 31, "x" * 29 + "~2", "a_b_c", "T"]


# ----------------------------------------------------------------------------- the zip of an edition's tables


def test_the_zip_holds_every_catalogue_reports_csvs_in_a_folder_each(tmp_path):
    for name, tables in (("rd-baseline", ("path", "budget")), ("targets", ("tracker",)), ("scratch", ("x",))):
        (tmp_path / name / "tables").mkdir(parents=True)
        for t in tables:
            _write(tmp_path / name / "tables" / f"{t}.csv", f"{t}\n1\n")
    (tmp_path / "rd-baseline" / "tables" / WORKBOOK).write_bytes(b"not a csv")
    os.symlink("/etc/passwd", tmp_path / "targets" / "tables" / "passwd.csv")
    data = tables_zip(tmp_path, ["rd-baseline", "targets", "never-run"])
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        infos = z.infolist()
        assert [i.filename for i in infos] == ["rd-baseline/budget.csv", "rd-baseline/path.csv", "targets/tracker.csv"]
        assert z.read("targets/tracker.csv") == b"tracker\n1\n"
        assert {stat.S_IMODE(i.external_attr >> 16) for i in infos} == {0o644}
        assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
    assert tables_zip(tmp_path, ["targets", "rd-baseline"]) == data  # same CSVs, same bytes
    assert zip_bytes({"b": b"2", "a": b"1"}) == zip_bytes({"a": b"1", "b": b"2"})


# ----------------------------------------------------------------------------- every default report, both editions

_CODES = {code for codes in LABELS.values() for code in codes} | {"True", "False"}


@pytest.mark.notebook
@pytest.mark.parametrize("report", registry.names())
def test_every_csv_of_every_default_report_has_one_value_per_cell(report, report_build):
    built = report_build(report)
    en, vi = built["en"].run_dir / "tables", built["vi"].run_dir / "tables"
    listed = [t["id"] for t in json.loads((built["en"].run_dir / "results.json").read_text())["tables"]]
    assert sorted(p.stem for p in en.glob("*.csv")) == sorted(p.stem for p in vi.glob("*.csv")) == sorted(listed)
    offenders = set()
    with i18n.language("vi"):  # a code is left as it is only where its Vietnamese label is the code itself
        untranslated = {c for c in _CODES if c not in ("True", "False") and _label_vi(c) == c}
    for table_id in listed:
        header = next(csv.reader(io.StringIO((en / f"{table_id}.csv").read_text(encoding="utf-8"))))
        vi_rows = list(csv.reader(io.StringIO((vi / f"{table_id}.csv").read_text(encoding="utf-8-sig"))))
        prose = [vi_col for en_col, vi_col in zip(header, vi_rows[0], strict=True) if prose_column(en_col)]
        for lang, path, extra in (("en", en, ()), ("vi", vi, prose)):
            for problem in csv_problems(path / f"{table_id}.csv", prose=extra):
                column = problem.split(": ")[1].split("column ", 1)[1][1:-1]
                position = (header if lang == "en" else vi_rows[0]).index(column)
                offenders.add((report, table_id, header[position]))
        # the Vietnamese file is for people: no code that has Vietnamese words, no True/False
        codes = {cell for row in vi_rows[1:] for cell in row if cell in _CODES - untranslated}
        assert not codes, (table_id, codes)
    for folder, lang in ((en, "en"), (vi, "vi")):
        wb = openpyxl.load_workbook(folder / WORKBOOK)
        assert len(wb.sheetnames) == 1 + len(listed) and all(len(n) <= 31 for n in wb.sheetnames), lang
    assert not offenders, sorted(offenders)  # (report, table id, English column) mixing a number with words


def _label_vi(code: str) -> str:
    kind = next(k for k, codes in LABELS.items() if code in codes and k != "method_words")
    return label(kind, code)
