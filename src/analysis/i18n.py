"""Reader-visible text in English and Vietnamese: message catalogues and number, money and date formats.

``_(text)`` translates into the current language (:func:`use`); placeholders are named ``{...}`` fields
filled with ``.format`` after translation (never pass an f-string). ``N_(text)`` only marks text for the
catalogue (``NC_(context, text)`` with a context); ``ngettext`` and ``pgettext`` as in :mod:`gettext`.
``fmt`` writes numbers, money and dates the way the current language does (English ``0.41%``,
``22 December 2024``; Vietnamese ``0,41%``, ``22/12/2024``); ``sort_key`` sorts Vietnamese in dictionary order.

Catalogues: ``locale/vi/LC_MESSAGES/<area>.po``, one per area (:mod:`analysis.reports.messages`).
Both editions come from one execution: each output is produced once per language (:func:`each_language`)
and published as one display bundle with one MIME type per language (:func:`edition_mime`).
With ``R57_I18N_MARK=1`` translated text is wrapped in ``⟦ ⟧`` and formatted numbers in ``⟨ ⟩``, so
the bypass test can find words that reach a page untranslated.
"""

from __future__ import annotations

import datetime as _dt
import html as _html
import math
import os
import re
import string as _string
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal as _Decimal
from functools import cache
from pathlib import Path
from typing import TypeVar

from analysis import paths
from analysis.errors import ParameterError

T = TypeVar("T")

# the reports' languages, the source first: each code is also the pages' html lang and the babel (CLDR) locale that
# writes its numbers, dates and own name (:func:`language_name`)
LANGS: tuple[str, ...] = ("en", "vi")
SOURCE_LANG = "en"
DOMAIN_DIR: Path = paths.SOURCE_DIR / "locale"  # <lang>/LC_MESSAGES/<area>.po
MARK_OPEN, MARK_CLOSE = "\u27e6", "\u27e7"  # ⟦ ⟧ around translated text when R57_I18N_MARK=1
NUM_OPEN, NUM_CLOSE = "\u27e8", "\u27e9"  # ⟨ ⟩ around formatted numbers when R57_I18N_MARK=1

_state = {"lang": SOURCE_LANG}


class LanguageError(ParameterError):
    """An unknown language code (a :class:`~analysis.errors.ParameterError` of ``lang``)."""


def check_lang(lang: str) -> str:
    """``lang`` if it is one of :data:`LANGS`, else a :class:`LanguageError` naming the allowed codes."""
    if lang not in LANGS:
        raise LanguageError("lang", f"{lang!r} is not a language of the reports", ", ".join(LANGS))
    return lang


def use(lang: str) -> None:
    """Make ``lang`` the language of every later ``_()`` and ``fmt`` call in this process."""
    _state["lang"] = check_lang(lang)


def current() -> str:
    """The language in use (``en`` until :func:`use` is called)."""
    return _state["lang"]


@cache
def language_name(lang: str) -> str:
    """``lang``'s own name, as its switch shows it (CLDR through babel): ``English``, ``Tiếng Việt``."""
    from babel import Locale

    return Locale.parse(check_lang(lang)).display_name


@contextmanager
def language(lang: str) -> Iterator[None]:
    """Use ``lang`` inside a ``with`` block, then the previous language again."""
    before = current()
    use(lang)
    try:
        yield
    finally:
        use(before)


def each_language(fn: Callable[[], T], langs: tuple[str, ...] = LANGS) -> dict[str, T]:
    """``{lang: fn()}`` with ``fn`` called under each of ``langs`` in turn (English first)."""
    out: dict[str, T] = {}
    for lang in langs:
        with language(lang):
            out[lang] = fn()
    return out


_EDITION_MIME = re.compile(r"^text/vnd\.r57\.([a-z]{2,3})\+([a-z]+)$")


def edition_mime(kind: str, lang: str) -> str:
    """``text/html`` for the source language, ``text/vnd.r57.vi+html`` for Vietnamese (``kind``: html, markdown)."""
    return f"text/{kind}" if lang == SOURCE_LANG else f"text/vnd.r57.{check_lang(lang)}+{kind}"


def mime_edition(mime: str) -> tuple[str, str] | None:
    """``(lang, kind)`` of a type made by :func:`edition_mime` for another language; ``None`` for any other type."""
    m = _EDITION_MIME.match(mime)
    return (m.group(1), m.group(2)) if m else None


def marking() -> bool:
    """True when translated text and numbers are wrapped in marks for the bypass test."""
    return os.environ.get("R57_I18N_MARK", "") == "1"


def _mark(text: str) -> str:
    return f"{MARK_OPEN}{text}{MARK_CLOSE}" if marking() else text


def catalogue_files(lang: str) -> list[Path]:
    """The ``.po`` files of ``lang``, in a fixed order."""
    return sorted((DOMAIN_DIR / lang / "LC_MESSAGES").glob("*.po"))


def _tell(problem: str) -> None:
    """One line on stderr for the reader of a run: a translation left out at render time."""
    print(f"r57: {problem}", file=sys.stderr, flush=True)


@cache
def _read(lang: str) -> dict[tuple[str | None, str], str | tuple[str, ...]]:
    """``(context, msgid) -> translation`` from every catalogue of ``lang``.

    Untranslated and fuzzy entries, translations :func:`translation_problems` refuses and unreadable
    catalogues are left out (each told in one line on stderr): the English text is shown instead.
    """
    from babel.messages.pofile import PoFileError, read_po

    table: dict[tuple[str | None, str], str | tuple[str, ...]] = {}
    for path in catalogue_files(lang):
        try:
            with path.open("rb") as fh:
                catalog = read_po(fh, locale=lang, abort_invalid=True)
        except (OSError, PoFileError, UnicodeDecodeError, ValueError) as exc:
            _tell(f"{path}: not read ({exc}); its texts are shown in English")
            continue
        for message in catalog:
            if not message.id or message.fuzzy:
                continue
            ids = tuple(message.id) if isinstance(message.id, (tuple, list)) else (message.id,)
            string = message.string
            forms = tuple(string) if isinstance(string, (tuple, list)) else (string,)
            if not all(forms):
                continue
            bad = [p for form in forms if (p := translation_problems(ids, form))]
            if bad:
                _tell(f"{path.name}: translation of {ids[0][:60]!r} left out ({bad[0][0]}); the English text is shown")
                continue
            table.setdefault((message.context, ids[0]), forms if isinstance(string, (tuple, list)) else string)
    return table


def reload() -> None:
    """Forget the catalogues read so far (after editing a ``.po`` file in a running kernel)."""
    _read.cache_clear()


def _lookup(message: str, context: str | None = None) -> str | tuple[str, ...] | None:
    if current() == SOURCE_LANG:
        return None
    return _read(current()).get((context, message))


def gettext(message: str) -> str:
    """``message`` in the current language (itself when untranslated or in English)."""
    return pgettext(None, message)


_ = gettext


def pgettext(context: str | None, message: str) -> str:
    """``message`` in the current language, for one sense of it (``context``: "status", "unit", ...)."""
    found = _lookup(message, context)
    return Text(_mark(found if isinstance(found, str) else message))


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural text for ``n`` (Vietnamese has one form)."""
    found = _lookup(singular)
    if isinstance(found, tuple):
        return Text(_mark(found[0] if len(found) == 1 else found[0 if n == 1 else 1]))
    return Text(_mark(singular if n == 1 else plural))


def N_(message: str) -> str:  # noqa: N802 - the gettext convention
    """Mark ``message`` for the catalogue without translating it (translate it where it is shown)."""
    return message


def NC_(context: str, message: str) -> str:  # noqa: N802 - the gettext convention (GLib's NC_)
    """Mark ``message`` in ``context`` for the catalogue without translating it (shown by ``pgettext(context, ...)``)."""
    return message


def translate_markdown(source: str) -> str:
    """A notebook's Markdown cell in the current language: the whole cell, stripped, is the message."""
    text = source.strip()
    if not text:
        return source
    found = _lookup(text)
    if not isinstance(found, str):
        return _mark_markdown(text) if current() != SOURCE_LANG else text
    return _mark_markdown(found)


def _mark_markdown(text: str) -> str:
    """Marks inside a leading heading's ``#`` so the marked page still renders it as a heading."""
    heading = re.match(r"#+[ \t]+", text)
    return text[: heading.end()] + _mark(text[heading.end() :]) if heading else _mark(text)


_PLAIN_FIELD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*|[0-9]*")  # a name or a position: no ".attr", no "[key]"


class FieldError(ValueError):
    """A format field that reaches into an attribute or an index (``{x.__class__}``, ``{x[0]}``)."""


# a message's typed field: {share:pct.1} is fmt.pct(share, 1), as ICU's {share, number, percent} (the kind, then decimals)
_KINDS = ("num", "auto", "pct", "pp", "signed", "year", "vnd_bn", "vnd_tn", "usd_bn", "date", "sig")
_TYPED_FIELD = re.compile(rf"({'|'.join(_KINDS)})(?:\.([0-9]))?")


class SafeFormatter(_string.Formatter):
    """``str.format`` without attribute or index access: a field is a plain name or position.

    A field may name how its number is written: ``{x:num}`` ``{x:num.2}`` ``{x:auto}`` (decimals by size)
    ``{x:sig.3}`` (significant figures) ``{x:pct.1}`` ``{x:pp}`` ``{x:signed.1}`` ``{x:year}`` ``{x:vnd_bn}``
    ``{x:vnd_tn}`` ``{x:usd_bn}`` ``{x:date}``: each is the :data:`fmt` method of that name in the current
    language, the digit its ``decimals`` (``figures``). Any other format spec is refused, so no message writes a
    number the English way.
    """

    def get_field(self, field_name: str, args, kwargs):  # noqa: ANN001 - string.Formatter's signature
        if not _PLAIN_FIELD.fullmatch(field_name):
            raise FieldError(f"format field {{{field_name[:40]}}} is not a plain name; only {{name}} is allowed")
        return super().get_field(field_name, args, kwargs)

    def format_field(self, value: object, format_spec: str) -> str:  # noqa: D102 - string.Formatter's meaning
        if not format_spec:
            return super().format_field(value, format_spec)
        m = _TYPED_FIELD.fullmatch(format_spec)
        if not m:
            raise FieldError(
                f"format spec {format_spec[:20]!r} is not a kind of number; allowed: "
                f"{', '.join(_KINDS)}, each optionally .N decimals"
            )
        kind, decimals = m.group(1), m.group(2)
        if kind == "date":
            return fmt.date(value)  # type: ignore[arg-type]
        if kind == "auto":
            return fmt.num(value, None)  # type: ignore[arg-type]
        method = getattr(fmt, kind)
        return method(value) if decimals is None else method(value, int(decimals))


_FORMATTER = SafeFormatter()


class Text(str):
    """What ``_()`` returns: a ``str`` whose ``format`` and ``format_map`` use :class:`SafeFormatter`."""

    __slots__ = ()

    def format(self, *args, **kwargs) -> str:  # noqa: D102 - str.format's meaning
        return _FORMATTER.vformat(str(self), args, kwargs)

    def format_map(self, mapping) -> str:  # noqa: ANN001, D102
        return _FORMATTER.vformat(str(self), (), mapping)


_BRACE_FIELD = re.compile(r"\{([^{}]*)\}")
_PERCENT_FIELD = re.compile(r"%\([^()]*\)[-#0 +]*[0-9]*(?:\.[0-9]+)?[a-zA-Z]")  # jinja {% trans %}: %(name)s
_INLINE_LINK = re.compile(r"\]\(\s*<?([^\s)>]*)")  # [text](url)
_AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.\-]*:[^\s<>]*)>")  # <scheme:...>
_REFERENCE = re.compile(r"^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)", re.MULTILINE)  # [ref]: url
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*)((?:[^<>\"']|\"[^\"]*\"|'[^']*')*)>")
_TAG_START = re.compile(r"<[A-Za-z/!?]")  # anything an HTML parser may take for markup
_ATTRIBUTE = re.compile(r"([^\s=/>\"']+)(?:\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s>]+))?")
_TEXT_ATTRIBUTES = frozenset({"alt", "title", "aria-label", "placeholder"})  # translated words, never run
_SCHEME = re.compile(r"\A([a-z][a-z0-9+.\-]*):")
_LINE_KINDS = (  # what a line's start makes it in Markdown (headings, lists, fences, rules)
    ("heading", re.compile(r"(#{1,6})(?:[ \t]|\Z)")),
    ("fence", re.compile(r"[ \t]*(```|~~~)")),
    ("rule", re.compile(r"[ \t]*([-*_])(?:[ \t]*\1){2,}[ \t]*\Z")),
    ("list", re.compile(r"[ \t]*([-*+])[ \t]")),
    ("numbered", re.compile(r"[ \t]*([0-9]+)[.)][ \t]")),
)


def _fields(text: str) -> Counter:
    body = text.replace("{{", "").replace("}}", "")
    return Counter(_BRACE_FIELD.findall(body)) + Counter(_PERCENT_FIELD.findall(text))


def _format_error(text: str) -> str | None:
    """Why ``str.format`` cannot read ``text`` (a single ``{`` or ``}``), or None."""
    try:
        for _, _, spec, _ in _FORMATTER.parse(text):
            if spec:
                list(_FORMATTER.parse(spec))  # a nested field's braces
    except ValueError as exc:
        return str(exc)
    return None


def _field_name(field: str) -> str:
    """``name`` of ``name!r:>8`` or of ``%(name)s``."""
    if field.startswith("%("):
        return field[2 : field.index(")")]
    return re.split(r"[!:]", field, maxsplit=1)[0]


def _scheme(url: str) -> str | None:
    """A link's scheme as a browser reads it (entities decoded, spaces and control characters dropped)."""
    clean = "".join(ch for ch in _html.unescape(url) if ch > " " and ch != "\x7f").lower()
    if clean[:2].replace("\\", "/") == "//":  # //host (or /\host): another site, with this page's scheme
        return "//"
    m = _SCHEME.match(clean)
    return m.group(1) if m else None


def _links(text: str) -> list[str]:
    return _INLINE_LINK.findall(text) + _AUTOLINK.findall(text) + _REFERENCE.findall(text)


def _tags(text: str) -> Counter:
    found = Counter()
    for closing, name, attrs in _TAG.findall(text):
        pairs = tuple(
            sorted(
                (key.lower(), None if key.lower() in _TEXT_ATTRIBUTES else _html.unescape(value.strip("\"'")))
                for key, value in _ATTRIBUTE.findall(attrs)
            )
        )
        found[(closing, name.lower(), pairs)] += 1
    return found


def _line_marks(text: str) -> list[str]:
    """The Markdown marks that start lines, in order (a number such as ``2045.`` starts a list only after
    a blank line or another item, or as ``1.``, as CommonMark reads it).
    """
    marks, previous = [], ""
    for line in text.splitlines():
        for kind, pattern in _LINE_KINDS:
            m = pattern.match(line)
            if m and kind == "numbered" and m.group(1) != "1" and previous not in ("", "list", "numbered"):
                m = None
            if m:
                marks.append(f"{kind} {m.group(1) if kind != 'numbered' else 'n.'}")
                previous = kind
                break
        else:
            previous = "" if not line.strip() else "text"
    return marks


def translation_problems(source: str | tuple[str, ...], target: str) -> list[tuple[str, str]]:
    """How translation ``target`` differs from its ``source`` (a msgid, or singular and plural) in anything
    that is not words.

    Returns
    -------
    list of (kind, detail)
        Empty when safe to show. Kinds: ``placeholders`` (a field missing, added or reaching an attribute),
        ``links`` (a link added or removed, or a scheme the source does not use), ``markup`` (HTML tags or
        bold marks differ), ``lines`` (heading, list or fence marks differ).
    """
    sources = (source,) if isinstance(source, str) else tuple(source)
    best: list[tuple[str, str]] | None = None
    for src in sources:
        found = _problems_against(src, target)
        if best is None or len(found) < len(best):
            best = found
        if not found:
            break
    return best or []


def _problems_against(source: str, target: str) -> list[tuple[str, str]]:
    problems = []
    src_fields, tgt_fields = _fields(source), _fields(target)
    unsafe = [f for f in tgt_fields if not _PLAIN_FIELD.fullmatch(_field_name(f))]
    if unsafe:
        problems.append(("placeholders", f"field {{{unsafe[0][:40]}}} reaches an attribute or index; use {{name}}"))
    elif _format_error(source) is None and (error := _format_error(target)):
        problems.append(("placeholders", f"not a format string as the source is ({error}); write {{{{ for a brace"))
    elif set(src_fields) != set(tgt_fields):
        problems.append(("placeholders", f"source has {sorted(src_fields)}, translation {sorted(tgt_fields)}"))
    src_links, tgt_links = _links(source), _links(target)
    allowed = {_scheme(u) for u in src_links} - {None}
    foreign = sorted({sch for u in tgt_links if (sch := _scheme(u)) and sch not in allowed})
    if foreign:
        problems.append(
            ("links", f"link scheme {', '.join(s if s == '//' else s + ':' for s in foreign)} is not in the source")
        )
    elif len(src_links) != len(tgt_links):
        problems.append(("links", f"source has {len(src_links)} links, translation {len(tgt_links)}"))
    if _tags(source) != _tags(target) or len(_TAG_START.findall(source)) != len(_TAG_START.findall(target)):
        problems.append(("markup", "HTML tags (names or attributes) differ from the source"))
    elif source.count("**") != target.count("**"):
        problems.append(("markup", "bold marks (**) differ from the source"))
    if _line_marks(source) != _line_marks(target):
        problems.append(("lines", f"line marks {_line_marks(source)} in the source, {_line_marks(target)} here"))
    return problems


MINUS = "\u2212"
HANOI = _dt.timezone(_dt.timedelta(hours=7), "UTC+7")  # Viet Nam keeps no daylight saving time


def _auto_decimals(x: float) -> int:
    """The decimals :class:`_Formats` shows when none are given (the rule is stated there)."""
    a = abs(float(x))
    if math.isclose(float(x), round(float(x)), rel_tol=1e-9, abs_tol=1e-9) or a >= 100:
        return 0  # a whole number, also one a float sum left a hair away (43.99999999999999 is 44: a rank)
    if a >= 10:
        return 1
    return 2 if a >= 1 else 3


def rounded(x: float, decimals: int) -> float:
    """``x`` to ``decimals`` places by r57's one rounding rule, for every number shown (pages, charts, CSVs, workbooks):
    Python's :func:`round` on the float, i.e. the decimal nearest its exact binary value (``40.45`` is stored as
    40.4500000000000028..., so 40.5), exact ties to even (``0.125``: 0.12), no ``-0.0``. ``format(x, ".Nf")`` agrees;
    numpy's ``round`` (scale, round, scale back) does not, in about 2% of last digits.
    """
    return round(float(x), decimals) + 0.0


def fixed(x: float, decimals: int) -> str:
    """``x`` by :func:`rounded` with exactly ``decimals`` places, ungrouped, a point for decimals (files, records)."""
    return f"{rounded(x, decimals):.{decimals}f}"


def is_number(x: object) -> bool:
    """Whether ``x`` is a finite int or float (a bool is not a number here)."""
    return is_numeric(x) and math.isfinite(x)


def is_numeric(x: object) -> bool:
    """Whether ``x`` is an int or float, NaN and infinities included (a bool is not): for a check that refuses a
    non-finite number with its own message."""
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def _missing(x: object) -> bool:
    try:
        return x is None or not math.isfinite(float(x))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return True


def _decimal(x: float, decimals: int | None, grouping: bool = True) -> str:
    from babel.numbers import format_decimal

    if _missing(x):
        return "–"
    if decimals is None:
        decimals = _auto_decimals(x)
    pattern = ("#,##0" if grouping else "0") + ("." + "0" * decimals if decimals > 0 else "")
    return format_decimal(rounded(x, decimals), format=pattern, locale=current(), decimal_quantization=True)


def _trimmed(text: str) -> str:  # a written number without trailing decimal zeros: 2.50 is 2.5, 3.00 is 3
    from babel.numbers import get_decimal_symbol

    mark = get_decimal_symbol(current())
    return text.rstrip("0").rstrip(mark) if mark in text else text


def _num_mark(text: str) -> str:
    return f"{NUM_OPEN}{text}{NUM_CLOSE}" if marking() else text


class _Formats:
    """Numbers as the current language writes them: the one number formatter of r57.

    ``x`` is rounded to ``decimals`` places by :func:`rounded` (the one rounding rule), then written with the
    language's separators (``1,234.5`` / ``1.234,5``). ``decimals=None`` means by size: whole numbers and
    ``|x| >= 100`` none, ``>= 10`` one, ``>= 1`` two, below 1 three. :meth:`sig` rounds to significant figures
    instead, by the same rule at the decimals they come to. Years are never grouped. A missing value (None, NaN,
    infinite) is ``–``.
    """

    def num(self, x: float, decimals: int | None = 0, trim: bool = False) -> str:
        """A number with thousands separators; ``trim`` drops trailing zeros (chart ticks: ``2.5``, not ``2.50``)."""
        text = _decimal(x, decimals)
        return _num_mark(_trimmed(text) if trim else text)  # a missing value's "–" has no decimals to trim

    def sig(self, x: float, figures: int = 6, sign: bool = False) -> str:
        """``x`` to ``figures`` significant figures (6: a parameter as given), trailing zeros dropped, never an
        exponent, grouped from 10,000 (``2030``, ``12,345``); ``sign``: ``+`` before a number not negative."""
        if _missing(x):
            return _num_mark("–")
        decimals = figures - 1 - _Decimal(float(x)).adjusted() if x else 0  # adjusted(): the exact value's exponent
        value = rounded(x, decimals)
        text = _trimmed(_decimal(value, max(decimals, 0), grouping=abs(value) >= 10_000))
        return _num_mark(("+" if sign and value >= 0 else "") + text)

    def year(self, y: int | float, decimals: int = 0) -> str:
        """A year, never grouped: ``2030`` (``decimals``: a fractional year, ``2012.3``)."""
        return _num_mark(_decimal(y, decimals, grouping=False))

    def pct(self, x: float, decimals: int | None = 2) -> str:
        """A percentage: ``0.41%`` / ``0,41%``."""
        return _num_mark(_decimal(x, decimals) + "%")

    def pp(self, x: float, decimals: int = 2) -> str:
        """Percentage points: ``1.59 pp`` / ``1,59 điểm %``."""
        return _num_mark(_decimal(x, decimals) + " " + pgettext("unit", "pp"))

    def signed(self, x: float, decimals: int | None = 2, suffix: str = "") -> str:
        """A change with its sign: ``+1.2`` / ``−0.4`` (true minus)."""
        text = _decimal(abs(x), decimals)
        sign = "+" if x > 0 else (MINUS if x < 0 else "")
        return _num_mark(sign + text + suffix)

    def vnd_bn(self, x: float, decimals: int = 0) -> str:
        """Billions of dong: ``408,118 bn VND`` / ``408.118 tỷ đồng``."""
        return _num_mark(_decimal(x, decimals) + " " + pgettext("unit", "bn VND"))

    def vnd_tn(self, x_bn: float, decimals: int = 0) -> str:
        """Thousand billions of dong, from billions: ``408 trillion VND`` / ``408 nghìn tỷ đồng``."""
        return _num_mark(_decimal(x_bn / 1000, decimals) + " " + pgettext("unit", "trillion VND"))

    def usd_bn(self, x: float, decimals: int = 1) -> str:
        """Billions of US dollars: ``16.2 bn USD`` / ``16,2 tỷ USD``."""
        return _num_mark(_decimal(x, decimals) + " " + pgettext("unit", "bn USD"))

    def date(self, d: _dt.date | str) -> str:
        """A date: ``22 December 2024`` / ``22/12/2024``."""
        if isinstance(d, str):
            d = _dt.date.fromisoformat(d[:10])
        if current() == "vi":
            return _num_mark(d.strftime("%d/%m/%Y"))
        return _num_mark(f"{d.day} {d.strftime('%B %Y')}")

    def time(self, stamp: str | _dt.datetime) -> str:
        """A moment (ISO 8601, UTC when it names no zone, or a datetime): as recorded in English; in Vietnamese in
        Hanoi time to the minute, ``14:05 ngày 05/12/2026 (giờ Hà Nội)``. A stamp that cannot be read is shown as it is.
        """
        if isinstance(stamp, str):
            if current() == SOURCE_LANG or not stamp:
                return stamp
            try:
                stamp = _dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
            except ValueError:
                return stamp
        if stamp.tzinfo is None:
            stamp = stamp.replace(tzinfo=_dt.UTC)
        if current() == SOURCE_LANG:
            return stamp.isoformat()
        local = stamp.astimezone(HANOI)
        return gettext("{time} on {date} (Hanoi time)").format(time=local.strftime("%H:%M"), date=self.date(local))

    def localize_number_text(self, text: str) -> str:
        """A number written the English way (``1,234.5``, ``0.41%``) with the language's separators; other text unchanged."""
        if current() == SOURCE_LANG or not _NUMBER_TEXT.match(text):
            return text
        return text.translate(_SWAP_SEPARATORS)


_NUMBER_TEXT = re.compile(r"\A[\s$]*[+\-\u2212]?[\d.,]*\d[\d.,]*\s*(%|pp)?\s*\Z")
_SWAP_SEPARATORS = str.maketrans({",": ".", ".": ","})

fmt = _Formats()


def po_files_text(lang: str) -> str:
    """All catalogues of ``lang`` as one text (for fingerprints)."""
    return "".join(path.read_text(encoding="utf-8") for path in catalogue_files(lang))


def keep(text: str) -> str:
    """``text`` shown as it is in every language (a name), marked as deliberately untranslated for the bypass test."""
    return _mark(text) if current() != SOURCE_LANG else text


def country(code: str, name: str = "") -> str:
    """An economy's name in the current language, from its ISO alpha-3 or alpha-2 code (CLDR names through
    Babel); a code CLDR does not know (an aggregate) goes through the catalogue by ``name``.
    """
    if current() == SOURCE_LANG:
        return name or code
    from babel import Locale
    from babel.core import get_global

    alpha2 = code if len(code) == 2 else (get_global("territory_aliases").get(code.upper()) or [None])[0]
    territories = Locale.parse(current()).territories
    if alpha2 and alpha2 in territories:
        return _mark(territories[alpha2])
    return gettext(name or code)


_VI_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"  # the 29 letters, with f j w z where Latin puts them
_VI_LETTER_MARKS = "\u0306\u0302\u031b"  # breve, circumflex, horn: part of the letter (ă â ê ô ơ ư)
_VI_TONES = "\u0300\u0309\u0303\u0301\u0323"  # huyền, hỏi, ngã, sắc, nặng: after the unmarked tone


def sort_key(text: str) -> tuple:
    """A key that sorts Vietnamese text in dictionary order: letters first (``a < ă < â < b ... d < đ < e``),
    then tones (none, huyền, hỏi, ngã, sắc, nặng), then case.

    CLDR's Vietnamese tailoring without ICU: each character is split (NFD) into its letter (a primary weight by
    :data:`_VI_ALPHABET`) and its tone (a secondary weight); other characters weigh by code point, before letters.
    """
    import unicodedata

    primary, tones, case = [], [], []
    for ch in unicodedata.normalize("NFD", text):
        if unicodedata.combining(ch) and primary:
            if ch in _VI_LETTER_MARKS and primary[-1][0] == 1:
                letter = unicodedata.normalize("NFC", _VI_ALPHABET[primary[-1][1]] + ch)
                if letter in _VI_ALPHABET:
                    primary[-1] = (1, _VI_ALPHABET.index(letter))
            elif ch in _VI_TONES:
                tones[-1] = _VI_TONES.index(ch) + 1
            continue
        low = ch.lower()
        primary.append((1, _VI_ALPHABET.index(low)) if low in _VI_ALPHABET else (0, ord(low)))
        tones.append(0)
        case.append(ch != low)
    return tuple(primary), tuple(tones), tuple(case)
