"""Find what a Vietnamese reader should not meet on a Vietnamese page or CSV: code and English.

:func:`scan_html` and :func:`scan_csv` return one :class:`Finding` per offending token: ``parameter`` (a
report parameter's name), ``identifier`` (another snake_case code name), ``path``, ``iso3`` (a country
code in text, an organisation's acronym of :data:`ACRONYMS` apart), ``english`` (a run of unaccented words
holding at least :data:`ENGLISH_RUN` English function words), ``repeated number`` (``3% 3%``), ``english number`` (a CSV cell such as ``1,000``) and
``abbreviation`` (one of :data:`ABBREVIATIONS` before its words are written out).

Not read: scripts, styles, the footer, the technical appendix (from a heading starting "Phụ lục kỹ thuật"
to the next heading of its level or above) and text marked as another language (``lang="en"``).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Collection
from dataclasses import dataclass
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

APPENDIX_HEADING = "Phụ lục kỹ thuật"
ENGLISH_RUN = 4  # function words in one run of unaccented words that make it an English sentence
FUNCTION_WORDS = frozenset(
    "the of and to in is are was were be been a an for on that this these those with as at by from it its or "
    "not which who what when where how than then there their they we you he she has have had will would can "
    "could should may might must do does did but if so into about over under between after before each every "
    "only also more most less such other".split()
)
_VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())
_SKIP = frozenset({"script", "style", "footer"})
_BLOCKS = frozenset(
    "p li td th h1 h2 h3 h4 h5 h6 caption figcaption dt dd summary title text tspan pre blockquote label "
    "option button".split()
)
_HEADING = re.compile(r"h([1-6])")
_VI_LETTERS = frozenset("ăâđêôơưĂÂĐÊÔƠƯ")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_SNAKE = re.compile(r"(?<![\w./-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w/])")
_PATH = re.compile(
    r"(?<![\w/])(?:(?:\.\./)?(?:data|shared|src|notebooks|reports|scenarios|tests)/[\w./-]+|[\w-]+\.(?:csv|ya?ml|json|ipynb|py|po)\b)"
)
_CODE3 = re.compile(r"(?<![\w-])[A-Z]{3}(?![\w-])")
# organisations' acronyms, written as the data name a source, that spell a country code too: not read as one
ACRONYMS = {"NIC": "National Innovation Center (Trung tâm Đổi mới sáng tạo Quốc gia), not Nicaragua"}
_NUMBER_UNIT = re.compile(
    r"(?<![\w.,])(\d[\d.,]*\s?(?:%|điểm phần trăm|tỷ đồng|nghìn tỷ đồng|tỷ USD))(?:\s+\1)(?![\d])"
)
# official abbreviations and the words that spell each out (any one of them, before its first use)
ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "KH,CN,ĐMST&CĐS": ("khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số",),
    "KH&CN": ("khoa học và công nghệ",),
    "ĐMST": ("đổi mới sáng tạo",),
    "CĐS": ("chuyển đổi số",),
    "NC&PT": ("nghiên cứu và phát triển", "nghiên cứu phát triển"),
    "R&D": ("nghiên cứu và phát triển", "nghiên cứu phát triển"),
    "NSNN": ("ngân sách nhà nước",),
}
_ENGLISH_THOUSANDS = re.compile(r"\A[+\-\u2212]?\d{1,3}(?:,\d{3})+(?:\.\d+)?\Z")


@dataclass(frozen=True)
class Finding:
    """One thing on a Vietnamese page that is code or English: its ``kind``, the ``text`` and an excerpt ``where`` it stands."""

    kind: str
    text: str
    where: str


@cache
def parameter_names() -> frozenset[str]:
    """Every parameter name of every registered report."""
    from analysis.reports import registry

    return frozenset(n for spec in registry.reports() for n in spec.names())


@cache
def _iso3() -> frozenset[str]:
    from babel.core import get_global

    return frozenset(code for code in get_global("territory_aliases") if len(code) == 3 and code.isalpha())


def _vietnamese(word: str) -> bool:
    import unicodedata

    return any(ch in _VI_LETTERS or unicodedata.combining(ch) for ch in unicodedata.normalize("NFD", word))


def english_runs(text: str) -> list[str]:
    """The English sentences in ``text``: runs of words without a Vietnamese letter holding :data:`ENGLISH_RUN` function words."""
    runs, current = [], []
    for m in [*_WORD.finditer(text), None]:
        if m is not None and not _vietnamese(m.group(0)):
            current.append(m)
            continue
        if sum(w.group(0).lower() in FUNCTION_WORDS for w in current) >= ENGLISH_RUN:
            runs.append(text[current[0].start() : current[-1].end()])
        current = []
    return runs


def scan_text(text: str, codes: Collection[str] = ()) -> list[Finding]:
    """The findings in one passage of visible text; ``codes``: more code names to find (scenario names)."""
    found: list[Finding] = []

    def add(kind: str, token: str, start: int) -> None:
        found.append(Finding(kind, token, text[max(0, start - 40) : start + len(token) + 40].strip()))

    for m in _PATH.finditer(text):
        add("path", m.group(0), m.start())
    bare = _PATH.sub(" ", text)
    for m in _SNAKE.finditer(bare):
        add("parameter" if m.group(0) in parameter_names() else "identifier", m.group(0), m.start())
    for code in codes:
        for m in re.finditer(rf"(?<![\w-]){re.escape(code)}(?![\w-])", bare):
            add("identifier", code, m.start())
    for m in _CODE3.finditer(bare):
        if m.group(0) in _iso3() and m.group(0) not in ACRONYMS:
            add("iso3", m.group(0), m.start())
    for run in english_runs(bare):
        add("english", run, bare.index(run))
    for m in _NUMBER_UNIT.finditer(text):
        add("repeated number", m.group(0), m.start())
    return found


class _Passages(HTMLParser):
    """The visible text of a page, one passage per block element, minus what the module leaves out."""

    def __init__(self, lang: str = "vi") -> None:
        super().__init__(convert_charrefs=True)
        self.lang = lang
        self.stack: list[tuple[str, bool]] = []  # (tag, skipped) of each open element
        self.appendix_level = 0  # the level of the appendix heading while inside the appendix, else 0
        self.heading: tuple[int, list[str]] | None = None
        self.passages: list[str] = []
        self.parts: list[str] = []

    def _skipped(self) -> bool:
        return bool(self.stack and self.stack[-1][1]) or bool(self.appendix_level)

    def handle_starttag(self, tag, attrs):  # noqa: ANN001 - HTMLParser's signature
        lang = dict(attrs).get("lang")
        skipped = (
            bool(self.stack and self.stack[-1][1])
            or tag in _SKIP
            or (lang is not None and not lang.startswith(self.lang))
        )
        if (h := _HEADING.fullmatch(tag)) and not skipped:
            level = int(h.group(1))
            if self.appendix_level and level <= self.appendix_level:
                self.appendix_level = 0
            self.heading = (level, [])
        if tag in _BLOCKS:
            self._flush()
        self.parts.append(" ")  # a tag separates words (a title and its description in two elements)
        if tag not in _VOID:
            self.stack.append((tag, skipped))

    def handle_endtag(self, tag):  # noqa: ANN001
        if tag in _BLOCKS or _HEADING.fullmatch(tag):
            self._flush()
        self.parts.append(" ")
        if _HEADING.fullmatch(tag) and self.heading is not None:
            level, words = self.heading
            if "".join(words).strip().startswith(APPENDIX_HEADING):
                self.appendix_level = level
            self.heading = None
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break

    def handle_data(self, data):  # noqa: ANN001
        if self.heading is not None:
            self.heading[1].append(data)
        if not self._skipped():
            self.parts.append(data)

    def _flush(self) -> None:
        text = re.sub(r"\s+", " ", "".join(self.parts)).strip()
        if text and not self.appendix_level:
            self.passages.append(text)
        self.parts = []

    def close(self) -> None:
        super().close()
        self._flush()


def passages(html: str, lang: str = "vi") -> list[str]:
    """The passages of visible text in ``lang`` of a page (see the module for what is left out)."""
    parser = _Passages(lang)
    parser.feed(html)
    parser.close()
    return parser.passages


def repeated_numbers(html: str, lang: str) -> list[Finding]:
    """The ``repeated number`` findings of a page in either language, footer and appendix excepted."""
    return [
        Finding("repeated number", m.group(0), text[max(0, m.start() - 40) : m.end() + 40])
        for text in passages(html, lang)
        for m in _NUMBER_UNIT.finditer(text)
    ]


_BESIDE = re.compile(r"(?<![\w{])\d[\d.,]*\s?%?\s+\{\w+\}|\{\w+\}%?\s+\d[\d.,]*\s?%")


def number_beside_placeholder(msgid: str, msgstr: str) -> list[str]:
    """Numbers a translation writes right beside a placeholder where its source does not (how a unit comes to
    be written twice: ``mức bố trí 3% {share}``); empty when the source has as many.
    """
    found, source = _BESIDE.findall(msgstr), _BESIDE.findall(msgid)
    return found if len(found) > len(source) else []


def abbreviations_before_their_words(texts: list[str]) -> list[Finding]:
    """The ``abbreviation`` findings of a page's passages: an abbreviation whose words appear nowhere before it."""
    found = []
    for abbr, words in ABBREVIATIONS.items():
        pattern = re.compile(rf"(?<![\w&,]){re.escape(abbr)}(?![\w&,])")
        for i, text in enumerate(texts):
            if m := pattern.search(text):
                read = " ".join(texts[: i + 1]).lower()
                if not any(w in read for w in words):
                    found.append(Finding("abbreviation", abbr, text[max(0, m.start() - 40) : m.end() + 40]))
                break
    return found


def scan_html(html: str, codes: Collection[str] = ()) -> list[Finding]:
    """Every :class:`Finding` on a rendered Vietnamese page; ``codes`` as in :func:`scan_text`."""
    texts = passages(html)
    return [f for text in texts for f in scan_text(text, codes)] + abbreviations_before_their_words(texts)


def scan_csv(source: str | Path, codes: Collection[str] = ()) -> list[Finding]:
    """Every :class:`Finding` in a Vietnamese CSV (a path, or its text), header and cells."""
    text = Path(source).read_text(encoding="utf-8-sig") if isinstance(source, Path) else source
    found: list[Finding] = []
    for row in csv.reader(io.StringIO(text)):
        for cell in row:
            if _ENGLISH_THOUSANDS.match(cell.strip()):
                found.append(Finding("english number", cell.strip(), cell))
            found += scan_text(cell, codes)
    return found
