"""The message catalogues: which source texts exist, which area's ``.po`` file holds each, and what is
missing or broken in a translation.

Source texts are found as ``pybabel extract`` finds them (Babel's extractors) in Python modules and notebook
code cells, notebook Markdown cells (one message each), jinja2 templates, the data manifest's titles, the
scenario files' titles and descriptions and the tracker's editorial data. Each file belongs to one area
(:data:`AREAS`), each area has its own ``<area>.po``; a text used in several areas is kept in the first
of :data:`AREA_ORDER`.
"""

from __future__ import annotations

import datetime
import fnmatch
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import nbformat
import yaml

from analysis import i18n, paths
from analysis.data.manifest import read_manifest, write_atomic
from analysis.data.yamlfile import read_data_yaml
from analysis.errors import InputError, ParameterError
from analysis.reports import registry
from analysis.reports.fonts import visible_text

# file patterns (relative to the project root) of each area: each report's from its declaration
# (NotebookSpec.message_files), then these; a file is in the first area that matches it
AREAS: dict[str, tuple[str, ...]] = {
    **{spec.name: spec.message_files() for spec in registry.reports()},
    "explorer": ("notebooks/00_explore.ipynb", "src/analysis/run/explore.py", "src/analysis/run/explore_ui.py"),
    "site": ("src/analysis/run/*.py", "src/analysis/templates/site/*.j2", "scenarios/*.yaml", "scenarios/*.yml"),
    "common": (
        "src/analysis/i18n.py",
        "src/analysis/reports/*.py",
        "src/analysis/data/*.py",
        "src/analysis/templates/fragments/*.j2",
        "src/analysis/templates/r57/*.j2",
        "data/raw/manifest.yaml",
    ),
}
# where a text used in several areas is kept: shared texts first, then the reports in their notebooks' order
AREA_ORDER: tuple[str, ...] = (
    "common",
    "site",
    *(spec.name for spec in sorted(registry.reports(), key=lambda spec: spec.notebook)),
    "explorer",
)
KEYWORDS = {"_": None, "gettext": None, "N_": None, "NC_": ((1, "c"), 2), "ngettext": (1, 2), "pgettext": ((1, "c"), 2)}
SCENARIO_FIELDS = ("title", "description")  # a scenario's title and description, shown on the index
GLOSSARY_PATH = paths.SOURCE_DIR / "locale" / "glossary.yaml"  # the term base: each term in both languages


GLOSSARY_FIELDS = ("term_en", "term_vi", "definition_en", "definition_vi", "source", "source_vi")  # every term's
GLOSSARY_CHECK_FIELDS = ("check_en", "check_vi", "avoid_vi")  # a core term's phrases, checked by :func:`check`


def glossary() -> dict[str, Any]:
    """The term base (``src/analysis/locale/glossary.yaml``): ``terms`` (each term in both languages, its
    definitions and sources; a core term also has ``check_en``/``check_vi``, the phrases :func:`check` looks for
    in every catalogue text) and ``exceptions`` (texts allowed not to use a core term's Vietnamese form)."""
    return read_data_yaml(GLOSSARY_PATH, "glossary") or {}


_FIELD = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)(?:[!:][^{}]*)?\}")


@dataclass(frozen=True)
class Message:
    """One source text: its id (singular, or singular and plural), context and where it is used."""

    id: str | tuple[str, str]
    context: str | None
    locations: tuple[tuple[str, int], ...] = ()
    flags: frozenset[str] = frozenset()

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.context, _first(self.id))


@dataclass
class Problem:
    """Something wrong with a catalogue (``kind``: malformed, untranslated, fuzzy, placeholders, links, markup, lines,
    conflict, stale, misplaced, term, layout)."""

    kind: str
    area: str
    msgid: str
    detail: str = ""

    def __str__(self) -> str:
        if not self.msgid:  # a problem of the whole catalogue (malformed)
            return f"{self.area}.po: {self.kind}: {self.detail}"
        short = self.msgid if len(self.msgid) < 70 else self.msgid[:67] + "..."
        return f"{self.area}.po: {self.kind}: {short!r} {self.detail}".rstrip()


@dataclass
class Extraction:
    """Every source text by area, in the order they appear."""

    by_area: dict[str, list[Message]] = field(default_factory=dict)

    def all(self) -> Iterator[tuple[str, Message]]:
        for area in AREA_ORDER:
            for message in self.by_area.get(area, []):
                yield area, message


def area_of(relpath: str) -> str | None:
    """The area that ``relpath`` (relative to the project root) belongs to."""
    for area, patterns in AREAS.items():
        if any(fnmatch.fnmatch(relpath, pattern) for pattern in patterns):
            return area
    return None


def source_files(root: Path | None = None) -> list[tuple[str, Path]]:
    """``(area, path)`` for every file that may hold source texts."""
    root = root or paths.PROJECT_ROOT
    seen: dict[Path, str] = {}
    for patterns in AREAS.values():
        for pattern in patterns:
            for path in sorted(root.glob(pattern)):
                rel = path.relative_to(root).as_posix()
                area = area_of(rel)
                if area is not None and path not in seen:
                    seen[path] = area
    return [(area, path) for path, area in seen.items()]


def _babel_messages(method: str, text: str, relpath: str, line_offset: int = 0, **options) -> Iterator[Message]:
    """The texts Babel's extractor ``method`` (python, jinja2) finds in ``text``."""
    from babel.messages.extract import extract

    for lineno, msgid, _comments, context in extract(
        method, io.BytesIO(text.encode("utf-8")), keywords=KEYWORDS, **options
    ):
        yield Message(msgid, context, ((relpath, lineno + line_offset),))


def _notebook_messages(path: Path, relpath: str) -> Iterator[Message]:
    nb = nbformat.read(path, as_version=4)
    for index, cell in enumerate(nb.cells):
        source = cell.source if isinstance(cell.source, str) else "".join(cell.source)
        if cell.cell_type == "markdown" and source.strip():
            yield Message(source.strip(), None, ((relpath, index + 1),), frozenset({"markdown"}))
        elif cell.cell_type == "code":
            # line numbers: cell number * 1000 + line, so a translator can find the cell
            yield from _babel_messages("python", source, relpath, line_offset=(index + 1) * 1000)


def _data_messages(texts: Iterable[object], relpath: str, strip: bool = True) -> Iterator[Message]:
    """A message for each text of a data file that is not empty (no line number: 0)."""
    for text in texts:
        if isinstance(text, str) and text.strip():
            yield Message(text.strip() if strip else text, None, ((relpath, 0),))


def _scenario_messages(path: Path, relpath: str) -> Iterator[Message]:
    from analysis.reports.params import InputFileError, load_yaml, read_input_file

    try:  # the catalogue's bounded reader: a FIFO or an alias bomb in scenarios/ must not hang the check
        doc = load_yaml(read_input_file(path, what="scenario file")) or {}
    except (InputFileError, yaml.YAMLError):
        return  # a broken scenario file is refused by the catalogue, with its reason
    yield from _data_messages((doc.get(key) for key in SCENARIO_FIELDS if isinstance(doc, dict)), relpath)


def _editorial_messages(path: Path, relpath: str) -> Iterator[Message]:
    """The texts of an editorial file (:func:`analysis.reports.editorial.texts`) and, for the tracker's, of the data
    files it shows (:func:`analysis.reports.editorial.data_texts`, written once, in the data)."""
    from analysis.reports import editorial

    yield from _data_messages(editorial.texts(path), relpath, strip=False)
    if path.name == editorial.EDITORIAL_PATH.name:
        yield from _data_messages(editorial.data_texts(), "data/raw/r57_targets.csv", strip=False)
    elif path.name == editorial.RANKING_CLAIMS_PATH.name:  # the rankings report's city names, from its data
        from analysis.reports.ecosystem_rankings import city_names

        yield from _data_messages(city_names(), "data/raw/rank_startupblink_cities.csv", strip=False)


def _report_data_messages(relpath: str) -> Iterator[Message]:
    """The data's texts a report's page shows, from its module's ``data_texts()`` where it has one (as
    :func:`analysis.reports.editorial.data_texts`): written once, in the data."""
    module = next((m for m in registry.REPORT_MODULES if relpath == f"src/{m.__name__.replace('.', '/')}.py"), None)
    texts = getattr(module, "data_texts", None)
    yield from _data_messages(texts() if texts else (), relpath, strip=False)


def file_messages(path: Path, relpath: str) -> list[Message]:
    """The source texts of one file."""
    if path.suffix == ".py":
        return [*_babel_messages("python", path.read_text(encoding="utf-8"), relpath), *_report_data_messages(relpath)]
    if path.suffix == ".j2":
        options = {"extensions": "jinja2.ext.do", "trimmed": "true"}
        return list(
            _babel_messages("jinja2.ext:babel_extract", path.read_text(encoding="utf-8"), relpath, options=options)
        )
    if path.suffix == ".ipynb":
        return list(_notebook_messages(path, relpath))
    if path.suffix not in (".yaml", ".yml"):
        return []
    if relpath.endswith(("locale/tracker.yaml", "locale/rankings.yaml")):
        return list(_editorial_messages(path, relpath))
    if relpath.startswith("scenarios/"):
        return list(_scenario_messages(path, relpath))
    return list(_data_messages((e.get("title") for e in read_manifest(path).entries.values()), relpath))


def extract(root: Path | None = None) -> Extraction:
    """Every source text in the package, each kept in the first area of :data:`AREA_ORDER` using it."""
    root = root or paths.PROJECT_ROOT
    found: dict[str, dict[tuple[str | None, str], Message]] = {area: {} for area in AREA_ORDER}
    for area, path in source_files(root):
        for message in file_messages(path, path.relative_to(root).as_posix()):
            old = found[area].get(message.key)
            found[area][message.key] = (
                message if old is None else replace(old, locations=old.locations + message.locations)
            )
    owner: dict[tuple[str | None, str], str] = {}
    for area in AREA_ORDER:
        for key in found[area]:
            owner.setdefault(key, area)
    return Extraction({area: [m for key, m in found[area].items() if owner[key] == area] for area in AREA_ORDER})


def po_path(lang: str, area: str) -> Path:
    return i18n.DOMAIN_DIR / lang / "LC_MESSAGES" / f"{area}.po"


def _template(area: str, messages: Iterable[Message]):  # -> babel Catalog
    catalog = _new_catalog("en", area)
    for message in messages:
        catalog.add(
            message.id,
            locations=list(message.locations),
            flags=message.flags | ({"python-brace-format"} if _placeholders(_first(message.id)) else set()),
            context=message.context,
        )
    return catalog


def _first(msgid: str | tuple[str, ...]) -> str:
    return msgid[0] if isinstance(msgid, tuple) else msgid


def _new_catalog(lang: str, area: str):  # -> babel Catalog
    from babel.messages.catalog import Catalog

    return Catalog(
        locale=lang,
        project="r57",
        version="1",
        domain=area,
        charset="utf-8",
        fuzzy=False,
        copyright_holder="the r57 authors",
        msgid_bugs_address="the r57 issue tracker",
        last_translator="r57 team",
        language_team=f"r57 {lang}",
        creation_date=_FIXED_DATE,
        revision_date=_FIXED_DATE,
    )


# fixed header dates: a catalogue changes only when its texts do
_FIXED_DATE = datetime.datetime(2026, 11, 23, tzinfo=datetime.UTC)


def _updated(lang: str, extraction: Extraction):  # -> {area: (path, babel Catalog, bytes as update writes them)}
    """Each area's catalogue of ``lang`` brought up to date with ``extraction``, and its bytes as written."""
    from babel.messages.pofile import write_po

    out = {}
    for area in AREA_ORDER:
        template = _template(area, extraction.by_area.get(area, []))
        path = po_path(lang, area)
        catalog = _read_catalogue(path, lang) if path.exists() and path.stat().st_size else _new_catalog(lang, area)
        if isinstance(catalog, Problem):  # babel would merge or drop the entry, and its translation with it
            raise InputError(f"{catalog.detail}; nothing was written")
        catalog.update(template, no_fuzzy_matching=False, update_header_comment=False)
        catalog.obsolete.clear()  # texts that are gone: the git history keeps them
        catalog.revision_date = _FIXED_DATE
        buf = io.BytesIO()
        write_po(
            buf, catalog, width=100, sort_output=False, omit_header=False, include_previous=False, include_lineno=False
        )
        out[area] = (path, catalog, buf.getvalue())
    return out


def update(lang: str = "vi", root: Path | None = None) -> dict[str, tuple[int, int]]:
    """Bring each area's catalogue of ``lang`` up to date: new texts added untranslated, changed ones kept as
    fuzzy suggestions, gone ones dropped, entries in the sources' order; an unchanged catalogue is not rewritten.
    Returns ``{area: (messages, untranslated)}``.
    """
    counts: dict[str, tuple[int, int]] = {}
    for area, (path, catalog, new_bytes) in _updated(lang, extract(root)).items():
        if not path.exists() or new_bytes != path.read_bytes():
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(path, new_bytes, durable=True)  # a full disk leaves the translator's file whole
        untranslated = sum(1 for m in catalog if m.id and (m.fuzzy or not _translated(m.string)))
        counts[area] = (sum(1 for m in catalog if m.id), untranslated)
    i18n.reload()
    return counts


def _translated(string: str | tuple[str, ...]) -> bool:
    return all(string) if isinstance(string, (tuple, list)) else bool(string)


def _placeholders(text: str) -> set[str]:
    return set(_FIELD.findall(text.replace("{{", "").replace("}}", "")))


def _message_problems(
    area: str, message: Message, found: tuple[str, object, bool] | None, terms: list[TermCheck]
) -> list[Problem]:
    source = _first(message.id)
    if found is None or not _translated(found[1]):
        return [Problem("untranslated", area, source)]
    if found[2]:
        return [Problem("fuzzy", area, source)]
    ids = message.id if isinstance(message.id, tuple) else (message.id,)
    problems = []
    for target in found[1] if isinstance(found[1], tuple) else (found[1],):
        problems.extend(Problem(kind, area, source, detail) for kind, detail in i18n.translation_problems(ids, target))
        problems.extend(Problem("term", area, source, detail) for detail in _term_problems(source, target, terms))
    return problems


@dataclass(frozen=True)
class TermCheck:
    """A core term of the glossary: where a source text says ``english`` (outside its {fields}), the translation
    uses one of ``vietnamese``, unless the text starts with one of ``allowed`` (the glossary's exceptions); no
    translation writes one of ``avoided`` (another rendering of the term the edition does not use)."""

    term: str
    english: re.Pattern[str]
    vietnamese: tuple[str, ...]
    allowed: tuple[str, ...] = ()
    avoided: tuple[str, ...] = ()


# a core term's English phrase as whole words (an English ending allowed: researchers, backtested), never inside
# another word ("horizon" is not in "Horizontal"); \w is Unicode-aware in a str pattern
_WORD = r"(?<!\w){}(?:s|es|ed|ing)?(?!\w)"


def term_checks(lang: str) -> list[TermCheck]:
    """The glossary's core terms as checks of ``lang``'s catalogues (none for a language it has no terms for)."""
    if lang != "vi":
        return []
    doc = glossary()
    allowed: dict[str, list[str]] = {}
    for x in doc.get("exceptions") or []:
        allowed.setdefault(x["term"], []).append(x["msgid"])
    return [
        TermCheck(
            e["term_en"],
            re.compile("|".join(_WORD.format(re.escape(en)) for en in e.get("check_en", ())) or "(?!)", re.IGNORECASE),
            tuple(v.lower() for v in e.get("check_vi", ())),
            tuple(allowed.get(e["term_en"], ())),
            tuple(e.get("avoid_vi", ())),
        )
        for e in doc.get("terms") or []
        if "check_en" in e or "avoid_vi" in e
    ]


def _term_problems(source: str, target: str, terms: list[TermCheck]) -> Iterator[str]:
    text = _FIELD.sub("", source)  # a field's name ({nowcast_year}) is not text
    for t in terms:
        if t.english.search(text) and not any(v in target.lower() for v in t.vietnamese):
            if not (t.allowed and source.startswith(t.allowed)):
                yield f"says {t.term!r}: the translation uses none of the term base's {', '.join(t.vietnamese)}"
        yield from (f"writes {a!r}: the term base does not use it for {t.term!r}" for a in t.avoided if a in target)


def check_areas(areas: Iterable[str]) -> None:
    """Refuse an area name that is not one of :data:`AREAS`.

    Raises
    ------
    ParameterError
        For ``--area``, naming the unknown area and listing the known ones.
    """
    unknown = sorted(set(areas) - set(AREAS))
    if unknown:
        raise ParameterError("--area", f"unknown area {unknown[0]!r}", ", ".join(AREA_ORDER))


def _read_catalogue(path: Path, lang: str):  # -> babel Catalog, or a Problem
    """``path`` read strictly: a line the PO format does not allow is a ``malformed`` problem naming the line."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import PoFileError, PoFileParser

    class Strict(PoFileParser):
        """babel's parser, refusing a msgid given twice (babel would merge them silently)."""

        seen: set[tuple[str | None, str]] = set()

        def _add_message(self) -> None:
            key = (self.context.denormalize() if self.context else None, self.messages[0].denormalize())
            if not self.obsolete and key in self.seen:
                raise PoFileError(f"msgid {key[1][:60]!r} given a second time", self.catalog, "", self.offset)
            self.seen.add(key)
            super()._add_message()

    try:
        with path.open("rb") as fh:
            catalog = Catalog(locale=lang)
            parser = Strict(catalog, abort_invalid=True)
            parser.seen = set()
            parser.parse(fh)
            return catalog
    except PoFileError as exc:  # its lineno counts from 0
        what = str(exc).removesuffix(f" on {exc.lineno}")
        return Problem("malformed", path.stem, "", f"{path}, line {exc.lineno + 1}: {what}; fix that line")
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        return Problem("malformed", path.stem, "", f"{path}: {exc}; fix the line (a PO editor shows it)")


def _unproduced(area: str, key: tuple[str | None, str], owner: dict[tuple[str | None, str], str]) -> list[Problem]:
    """A ``stale`` or ``misplaced`` problem for an entry of ``area``'s catalogue the sources do not keep there."""
    where = f"(context {key[0]!r}) " if key[0] else ""
    if key not in owner:
        return [Problem("stale", area, key[1], where + "not produced by the sources; `r57 i18n update` would drop it")]
    if owner[key] != area:
        detail = f"the sources keep it in {owner[key]}.po; `r57 i18n update` would drop it here, untranslated there"
        return [Problem("misplaced", area, key[1], where + detail)]
    return []


def check(lang: str = "vi", root: Path | None = None, areas: Iterable[str] | None = None) -> list[Problem]:
    """Every problem in ``lang``'s catalogues against the current sources: unreadable (``malformed``),
    untranslated or fuzzy, a translation whose fields or markup differ from the source
    (:func:`analysis.i18n.translation_problems`), a text translated differently in two catalogues, an entry
    the sources do not produce (``stale``) or keep in another area's catalogue (``misplaced``): ``r57 i18n
    update`` would drop either; a text that says a core term of the glossary without its Vietnamese form
    (``term``); and, when there is none of those, a catalogue not laid out as ``r57 i18n update``
    writes it (``layout``: entry order, wrapping), so that update changes only what changed. ``areas`` limits the
    report to those areas.
    """
    if areas is not None:
        areas = set(areas)
        check_areas(areas)
    extraction = extract(root)
    owner = {message.key: area for area, message in extraction.all()}
    translations: dict[tuple[str | None, str], tuple[str, object, bool]] = {}
    problems: list[Problem] = []
    for path in i18n.catalogue_files(lang):
        catalog = _read_catalogue(path, lang)
        if isinstance(catalog, Problem):
            problems.append(catalog)
            continue
        for m in catalog:
            if not m.id:
                continue
            key = (m.context, _first(m.id))
            problems.extend(_unproduced(path.stem, key, owner))
            if key in translations and translations[key][1] != m.string and _translated(m.string):
                problems.append(Problem("conflict", path.stem, key[1], f"also in {translations[key][0]}.po"))
                continue
            if key not in translations or not _translated(translations[key][1]):
                translations[key] = (path.stem, m.string, m.fuzzy)
    terms = term_checks(lang)
    for area, message in extraction.all():
        problems.extend(_message_problems(area, message, translations.get(message.key), terms))
    if not problems:  # then the one difference update can make is the layout: entry order, wrapping, header
        problems = _layout_problems(lang, extraction)
    return [p for p in problems if areas is None or p.area in areas]


def _layout_problems(lang: str, extraction: Extraction) -> list[Problem]:
    """A ``layout`` problem for each catalogue whose bytes differ from what ``r57 i18n update`` would write, saying
    what differs (:func:`layout_difference`)."""
    out = []
    for area, (path, _catalog, new_bytes) in _updated(lang, extraction).items():
        old = path.read_bytes() if path.exists() else None
        if old != new_bytes:
            why = "it is missing" if old is None else layout_difference(old, new_bytes, lang)
            out.append(Problem("layout", area, "", f"{path} is not as `r57 i18n update` writes it ({why}): run it"))
    return out


def layout_difference(old: bytes, new: bytes, lang: str = "vi") -> str:
    """What differs between a catalogue's bytes and ``new``, the bytes update writes: only the line wrapping (or
    blank lines), only the entries' order, or else the first line that differs (numbered from 1)."""
    from babel.messages.pofile import read_po

    def entries(data: bytes) -> list[str]:
        catalog = read_po(io.BytesIO(data), locale=lang)
        return [catalog.header_comment] + [
            repr((obsolete, m.context, m.id, m.string, sorted(m.flags), m.previous_id, m.locations, m.auto_comments))
            for obsolete, messages in ((False, list(catalog)), (True, list(catalog.obsolete.values())))
            for m in messages
        ]

    lines, wanted = old.decode("utf-8", "replace").splitlines(), new.decode("utf-8").splitlines()
    n = next((i for i, (a, b) in enumerate(zip(lines, wanted, strict=False)) if a != b), min(len(lines), len(wanted)))
    have, want = entries(old), entries(new)  # check() asks only once every catalogue has been read
    if have == want:
        return f"line wrapping from line {n + 1}: update wraps each text at 100 columns"
    if sorted(have) == sorted(want):
        return f"entries out of the sources' order from line {n + 1}"

    def shown(rows: list[str]) -> str:
        return repr(rows[n][:60] + ("..." if len(rows[n]) > 60 else "")) if n < len(rows) else "the end of the file"

    return f"line {n + 1} is {shown(lines)}; update writes {shown(wanted)}"


_ALLOWED_TOKEN = re.compile(
    r"""\A(?:
        [\W\d_]+                                  # numbers, punctuation, symbols
      | [A-Z0-9][A-Z0-9&+./_\-]+                  # codes and acronyms: VNM, GB.XPD.RSDV.GD.ZS, R&D
      | \w*[_.]\w[\w.\-]*                         # identifiers, file names, versions: base_year, a.csv
      | [0-9a-f]{7,64}                            # checksums and commits
      | (?:https?://|www\.)\S+                    # addresses
    )\Z""",
    re.VERBOSE,
)
_MARKED = re.compile(
    re.escape(i18n.MARK_OPEN) + r"[^" + i18n.MARK_OPEN + i18n.MARK_CLOSE + r"]*" + re.escape(i18n.MARK_CLOSE)
)
_NUMBER_MARKED = re.compile(re.escape(i18n.NUM_OPEN) + r"[^" + i18n.NUM_CLOSE + r"]*" + re.escape(i18n.NUM_CLOSE))


MAX_PAGE_BYTES = 64 * 1024 * 1024  # a rendered report is a few MB


def read_page(path: Path) -> str:
    """A rendered page's text for :func:`bypassed`, read by the bounded input reader (at most :data:`MAX_PAGE_BYTES`)."""
    from analysis.reports.params import read_input_file

    return read_input_file(path, MAX_PAGE_BYTES, "page")


def bypassed(html: str) -> list[str]:
    """Words of ``html`` shown to a reader outside the catalogue's marks (render with ``R57_I18N_MARK=1``).

    The whole text is joined first, so a sentence split by markup still counts as marked; what remains must
    be numbers, symbols, codes, identifiers, checksums or addresses. Each other word is returned in context.
    """
    text = "\u2063".join(visible_text(html))
    previous = None
    while previous != text:  # marks may nest (a translated text inside a translated sentence)
        previous = text
        text = _MARKED.sub(" ", text)
    text = _NUMBER_MARKED.sub(" ", text)
    words: list[str] = []
    for chunk in text.split("\u2063"):
        tokens = chunk.split()
        for i, token in enumerate(tokens):
            token_clean = token.strip("()[]{}:;,.!?\"'“”‘’")
            if not token_clean or _ALLOWED_TOKEN.match(token_clean):
                continue
            words.append(f"{token_clean!r} in {' '.join(tokens[max(0, i - 4) : i + 5])!r}")
    return words
