"""Tables for spreadsheets: each edition's CSVs, one Excel workbook per report, the site's zip of every
table, and the check that a CSV holds one value per cell.

English CSVs are the interface for scripts (column names and codes); the Vietnamese edition's CSVs show the
page's headers and words. Numbers are the same in both: a point for decimals, no thousands separator
(:mod:`analysis.reports.numbers`). A cell holds one value; prose is allowed only in a column whose English
name ends in one of :data:`PROSE_WORDS` (:func:`csv_problems` checks it).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analysis import i18n
from analysis.data.labels import LABELS, label
from analysis.i18n import _, rounded
from analysis.reports.numbers import decimals_for

WORKBOOK = "tables.xlsx"  # in each report folder's tables/, beside the CSVs
FIXED_TIME = dt.datetime(1980, 1, 1)  # every date written into a workbook or zip: same inputs, same bytes
SHEET_NAME_MAX = 31  # Excel's limit
PROSE_WORDS = frozenset(  # the last word of a prose column's name
    "note notes source sources wording quote text description reason comment basis statement meaning explanation".split()
)

_MARKS = str.maketrans("", "", i18n.MARK_OPEN + i18n.MARK_CLOSE + i18n.NUM_OPEN + i18n.NUM_CLOSE)
# a code of analysis.data.labels -> its kind (the sentence-long method descriptions are not cell words)
_KIND_OF_CODE = {code: kind for kind, codes in LABELS.items() if kind != "method_words" for code in codes}


def reader_cells(values: pd.DataFrame, shown: pd.DataFrame, formatted: Iterable[object]) -> pd.DataFrame:
    """The cells of a table (``values``, index reset) as its CSV and workbook hold them in the current language:
    ``values`` itself in English; in another language each text cell is the text the page shows (``shown``) in the
    ``formatted`` columns (those with a ``formats=`` function) or the code's label, true/false yes/no in words.
    Numbers stay numbers.
    """
    if i18n.current() == i18n.SOURCE_LANG:
        return values
    formatted = set(formatted)
    out = values.copy()
    for i, col in enumerate(values.columns):
        column = values.iloc[:, i]
        if pd.api.types.is_numeric_dtype(column.dtype) and not pd.api.types.is_bool_dtype(column.dtype):
            continue  # numbers stay numbers
        words = [
            unmarked(shown.iat[row, i] if col in formatted and _words(v) else _word(v)) for row, v in enumerate(column)
        ]
        out.isetitem(i, pd.Series(words, index=column.index, dtype=object))
    return out


def unmarked(v: Any) -> Any:
    """Text without the translation test's marks (R57_I18N_MARK); other values as they are."""
    return v.translate(_MARKS) if isinstance(v, str) else v


def _words(v: Any) -> bool:
    """A cell of text that is not a number written as text (``'0.352'`` stays as it is)."""
    return isinstance(v, str) and not _PLAIN_NUMBER.match(v.strip())


def _word(v: Any) -> Any:
    if isinstance(v, (bool, np.bool_)):
        return _("yes") if v else _("no")
    if isinstance(v, str) and v in _KIND_OF_CODE:
        return label(_KIND_OF_CODE[v], v)
    return v


@dataclass(frozen=True)
class SheetTable:
    """One table as a workbook sheet: id, title and source in the edition's language, cells and header row."""

    table_id: str
    title: str
    source: str
    cells: pd.DataFrame
    header: list[str]


def sheet_names(table_ids: Iterable[str]) -> list[str]:
    """A sheet name per table id: at most 31 characters, none of ``[]:*?/\\``, unique (a clash gets ``~2``)."""
    names: list[str] = []
    for table_id in table_ids:
        base = re.sub(r"[\[\]:*?/\\]", "_", table_id)[:SHEET_NAME_MAX] or "table"
        name, n = base, 1
        while name.casefold() in {x.casefold() for x in names}:
            n += 1
            name = base[: SHEET_NAME_MAX - len(f"~{n}")] + f"~{n}"
        names.append(name)
    return names


def number_format(column: object, values: pd.Series) -> str:
    """The spreadsheet number format of a numeric column: the CSV's decimals for its unit, grouped thousands,
    whole numbers without decimals, years never grouped.
    """
    finite = np.array([v for v in values if isinstance(v, (int, float, np.number)) and not isinstance(v, bool)], float)
    finite = finite[np.isfinite(finite)]  # numpy, not a pandas Series: this runs for every column of every table
    whole = bool(len(finite)) and bool((finite == finite.round()).all())
    years = bool(((finite >= 1900) & (finite <= 2200)).all())
    if whole and years and re.search(r"year|edition|năm", str(column), re.IGNORECASE):
        return "0"
    decimals = 0 if whole else decimals_for(column)
    return "#,##0" + ("." + "0" * decimals if decimals else "")


def _cell(v: Any, decimals: int) -> Any:
    """A value as a workbook cell: numbers rounded as the CSV and the page round them, missing as empty."""
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (int, np.integer)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        return None if not np.isfinite(v) else rounded(v, decimals)
    if isinstance(v, pd.Timestamp):
        return v.isoformat()
    return unmarked(str(v))


def workbook_bytes(tables: list[SheetTable], results: Mapping[str, Any]) -> bytes:
    """A report's tables as one ``.xlsx`` workbook in the current language, the same bytes for the same inputs.

    The first sheet lists each table (sheet, title, source, CSV file), the data files read with their
    checksums and the manifest and code versions (no run time); then one sheet per table, numbers as numbers
    with one format per column (:func:`number_format`).
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.writer.excel import ExcelWriter

    bold = Font(bold=True)
    wb = Workbook()
    wb.properties.created = wb.properties.modified = FIXED_TIME
    wb.properties.creator = "r57"
    about = wb.active
    about.title = _("Sources")
    names = sheet_names(t.table_id for t in tables)
    prov = results.get("provenance") or {}
    code = prov.get("code_version") or {}
    for title, header, body in (
        (
            _("Tables"),
            [_("Sheet"), _("Table"), _("Source"), _("CSV file")],
            [[name, t.title, t.source, f"{t.table_id}.csv"] for name, t in zip(names, tables, strict=True)],
        ),
        (_("Data files read (data/raw)"), [_("File"), "SHA-256"], list((prov.get("data_versions") or {}).items())),
    ):
        for row in ([title], header):
            about.append([_cell(v, 0) for v in row])
            for c in about[about.max_row]:
                c.font = bold
        for row in [*body, []]:
            about.append([_cell(v, 0) for v in row])
    about.append([_("Data manifest version"), str(prov.get("data_manifest_version", ""))])
    about.append([_("Code version"), f"r57 {code.get('package', '')} (commit {code.get('commit', '')})"])
    for name, t in zip(names, tables, strict=True):
        ws = wb.create_sheet(name)
        ws.append([_cell(h, 0) for h in t.header])
        for c in ws[1]:
            c.font = bold
        ws.freeze_panes = "A2"
        for i, col in enumerate(t.cells.columns):
            values, decimals = t.cells.iloc[:, i], decimals_for(col)
            form = number_format(col, values)
            for r, v in enumerate(values, start=2):
                cell = ws.cell(row=r, column=i + 1, value=_cell(v, decimals))
                if isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool):
                    cell.number_format = form
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).save()  # not wb.save(): that stamps the time of saving
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as written:
        return zip_bytes({info.filename: written.read(info) for info in written.infolist()}, sort=False)


def zip_bytes(members: Mapping[str, bytes], *, sort: bool = True) -> bytes:
    """A zip of ``members`` with fixed dates and 0644 modes (same members, same bytes); ``sort``: in name order."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(members) if sort else members:
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o100644 << 16
            info.create_system = 3  # unix, so the mode is read
            archive.writestr(info, members[name])
    return buf.getvalue()


def tables_zip(edition_folder: Path, names: Iterable[str]) -> bytes:
    """Every CSV of the reports ``names`` in an edition's folder, one folder per scenario; links not followed."""
    members: dict[str, bytes] = {}
    for name in names:
        folder = edition_folder / name / "tables"
        if folder.is_symlink() or (edition_folder / name).is_symlink() or not folder.is_dir():
            continue
        for path in folder.glob("*.csv"):
            if path.is_file() and not path.is_symlink():
                members[f"{name}/{path.name}"] = path.read_bytes()
    return zip_bytes(members)


_PLAIN_NUMBER = re.compile(r"\A[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?\Z")
_COMMA = re.compile(r"\A[-+]?\d{1,3}(,\d{3})+(\.\d+)?\Z|\A[-+]?\d+,\d+\Z")  # 1,000 / 12,345.6 / 0,415
_WHOLE_FLOAT = re.compile(r"\A[-+]?\d+\.0+\Z")
# a value followed by more: a unit, an interval, a year in brackets, "of 30", "/1.400" (a date is one value)
_NUMBER_THEN_MORE = re.compile(r"\A[-+\u2212]?\d+([.,]\d+)*\s*(%|\(|\s|/\d[\d.,]*\+?\Z)")


def prose_column(header: str) -> bool:
    """True if a CSV column (its English name) ends in one of :data:`PROSE_WORDS`."""
    words = re.findall(r"[a-z]+", header.casefold())
    return bool(words) and words[-1] in PROSE_WORDS


def cell_problem(cell: str, column: str) -> str | None:
    """What is wrong with one CSV cell of a value column, or None: a number with a comma, a whole
    rank/count/year written with ``.0``, or a number followed by more (a unit, an interval).
    """
    text = cell.strip()
    if not text or _PLAIN_NUMBER.match(text):
        if _WHOLE_FLOAT.match(text) and decimals_for(column) == 0:
            return "a whole number written with decimals (write 766, not 766.0)"
        return None
    if _COMMA.match(text):
        return "a number with a comma, read as a thousands or a decimal separator by different readers (write 1000 or 0.415)"
    if _NUMBER_THEN_MORE.match(text):
        return "a number mixed with words or units (one value per cell; the unit belongs in the header)"
    return None


def csv_problems(path: Path | str, prose: Iterable[str] = ()) -> list[str]:
    """The cells of the CSV at ``path`` (UTF-8, header first) that break "one value per cell", in file order:
    ``<file>: row <n>, column '<header>': '<cell>': <what is wrong>``. ``prose``: headers of prose columns
    besides those :func:`prose_column` finds.
    """
    path = Path(path)
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    if not rows:
        return []
    header, prose = rows[0], set(prose)
    found = []
    for n, row in enumerate(rows[1:], start=2):
        for column, cell in zip(header, row, strict=False):
            if column in prose or prose_column(column):
                continue
            why = cell_problem(cell, column)
            if why:
                found.append(f"{path.name}: row {n}, column {column!r}: {cell!r}: {why}")
    return found
