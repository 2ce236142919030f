"""A printed report keeps every table whole, and opens with its key findings: each cell of each table in the HTML
is in the PDF's text, and the key-findings box is on page 1, for every report in both editions.

Before the report template had print styles, Chromium printed a wide table as its on-screen scroll box and
cut the columns past the page's edge ("NO: exceeds the R&D part" was 10 times in the HTML of ``rd_paths``
and 0 times in its PDF; the targets tracker, 31 columns, lost 1,040 of its 1,561 cells). Each report is built
once per session (``report_build``) and each edition printed once; the cells are compared, whitespace removed
(a cell may wrap over lines, even inside a word), in the order the HTML has them.
"""

from __future__ import annotations

import re
import unicodedata
from html import unescape
from html.parser import HTMLParser

import pytest

from analysis import i18n
from analysis.reports import findings, registry
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


LANGS = ("en", "vi")


@pytest.fixture(scope="session")
def printed(report_build, tmp_path_factory):
    """``printed(name, lang)`` -> (the page's HTML, its results, each PDF page's text): each edition printed once."""
    done: dict[tuple[str, str], tuple[str, dict, list[str]]] = {}

    def get(name: str, lang: str) -> tuple[str, dict, list[str]]:
        if (name, lang) not in done:
            run = report_build(name)[lang]
            page = run.run_dir / "report.html"
            out = pdf.html_to_pdf(page, tmp_path_factory.mktemp(f"pdf-{name}-{lang}") / "report.pdf")
            texts = [p.extract_text() for p in pypdf.PdfReader(str(out)).pages]
            done[name, lang] = (page.read_text(encoding="utf-8"), run.results, texts)
        return done[name, lang]

    return get


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", registry.names())
def test_every_table_cell_of_every_report_is_in_its_pdf(printed, name, lang):
    html, _results, pages = printed(name, lang)
    cells = table_cells(html)
    assert len(cells) > 100, (name, lang)  # the report's tables are there
    assert cells_not_printed(cells, "\n".join(pages)) == []


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", registry.names())
def test_the_key_findings_are_on_the_first_page(printed, name, lang):
    _html, results, pages = printed(name, lang)
    first = squeeze(pages[0])
    with i18n.language(lang):
        sentences = [unescape(re.sub(r"<[^>]+>", "", s)) for s in findings.findings(results)]
        heading = i18n.gettext("Key findings")
    assert sentences and squeeze(heading) in first
    for sentence in sentences:
        assert squeeze(sentence) in first, (name, lang, sentence)
