"""A printed report keeps every table whole: each cell of each table in the HTML is in the PDF's text.

Before the report template had print styles, Chromium printed a wide table as its on-screen scroll box and
cut the columns past the page's edge ("NO: exceeds the R&D part" was 10 times in the HTML of ``rd_paths``
and 0 times in its PDF). One real report is executed and printed; the cells are compared, whitespace
removed (a cell may wrap over lines, a header even inside a word), in the order the HTML has them.
"""

from __future__ import annotations

import re
import unicodedata
from html.parser import HTMLParser

import pytest

from analysis import cli
from analysis.run import pdf

pypdf = pytest.importorskip("pypdf")
pytestmark = [
    pytest.mark.notebook,
    pytest.mark.skipif(
        pdf.chromium() is None, reason="chromium is not installed (`apt-get install chromium`; .ci/run does it)"
    ),
]


class _Cells(HTMLParser):
    """The text of every ``<th>`` and ``<td>`` of a page, in document order."""

    def __init__(self) -> None:
        super().__init__()
        self.cells: list[str] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.cells.append("".join(self._cell))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def table_cells(html: str) -> list[str]:
    parser = _Cells()
    parser.feed(html)
    return parser.cells


def squeeze(text: str) -> str:
    """Ligatures unfolded (NFKC) and every white space removed."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def cells_not_printed(cells: list[str], printed: str) -> list[str]:
    """The cells not found in ``printed``, each searched after the previous one found (document order)."""
    text, at, lost = squeeze(printed), 0, []
    for cell in cells:
        wanted = squeeze(cell)
        if not wanted:
            continue
        found = text.find(wanted, at)
        if found < 0:
            lost.append(cell)
        else:
            at = found + len(wanted)
    return lost


def test_the_cell_search_finds_lost_and_reordered_cells():
    cells = table_cells("<table><tr><th>year</th><td>fits?</td></tr><tr><td>NO: exceeds\nthe part</td></tr></table>")
    assert cells == ["year", "fits?", "NO: exceeds\nthe part"]
    assert cells_not_printed(cells, "year fits? NO: ex-\nceeds the part") == ["NO: exceeds\nthe part"]  # hyphen
    assert cells_not_printed(cells, "year fits? NO: ex\nceeds the\npart") == []  # wrapped lines
    assert cells_not_printed(cells, "fits? year NO: exceeds the part") == ["fits?"]  # out of order


def test_every_table_cell_of_a_report_is_in_its_pdf(tmp_path, capsys):
    out = tmp_path / "run"
    assert cli.main(["run", "rd_paths", "--output-dir", str(out), "--pdf"]) == 0
    capsys.readouterr()
    html = (out / "report.html").read_text(encoding="utf-8")
    cells = table_cells(html)
    assert len(cells) > 300 and html.count("NO: exceeds the R&amp;D part") >= 1  # the wide budget table is there
    printed = "\n".join(page.extract_text() for page in pypdf.PdfReader(str(out / "report.pdf")).pages)
    assert cells_not_printed(cells, printed) == []
