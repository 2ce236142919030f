"""Reader-visible text in English and Vietnamese: message catalogues and number, money and date formats.

Every word a reader sees goes through this module. Code writes English source text and wraps it::

    from analysis.i18n import _, ngettext, fmt

    md(_("R&D spending was **{share}** of GDP in {year}.").format(share=fmt.pct(0.41), year=fmt.year(2023)))

- ``_(text)`` returns the translation in the current language (``use("vi")``), or ``text`` itself in
  English. Placeholders are named ``{...}`` fields filled with ``.format`` *after* translation, so a
  translator can move them; never pass an f-string to ``_`` (its text is not in the catalogue).
- ``N_(text)`` only marks ``text`` for the catalogue (module-level tables of labels); translate it
  where it is shown with ``_(value)``.
- ``ngettext(singular, plural, n)`` and ``pgettext(context, text)`` as in :mod:`gettext`.
- ``fmt`` formats numbers, percentages, money and dates the way the current language writes them
  (English ``0.41%``, ``408,118 bn VND``, ``22 December 2024``; Vietnamese ``0,41%``,
  ``408.118 tỷ đồng``, ``22/12/2024``), through Babel's CLDR data.

Translations live in gettext catalogues, ``src/analysis/locale/vi/LC_MESSAGES/<area>.po``, one per
area of the package (:data:`AREAS`), which a translator edits with any PO editor; ``r57 i18n update``
adds new source texts to them and ``tests/test_i18n.py`` fails when one lacks a translation. Markdown
cells of the notebooks are messages too: the whole cell is the source text.

With ``R57_I18N_MARK=1`` in the environment every translated text is wrapped in ``⟦ ⟧`` (and every
formatted number in ``⟨ ⟩``): the bypass test renders each report that way and fails on any word
left outside the marks, which is text a reader would see untranslated.
"""

from __future__ import annotations

import datetime as _dt
import io
import math
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from analysis import paths

LANGS: tuple[str, ...] = ("en", "vi")
SOURCE_LANG = "en"
DOMAIN_DIR: Path = paths.SOURCE_DIR / "locale"  # <lang>/LC_MESSAGES/<area>.po
HTML_LANG = {"en": "en", "vi": "vi"}
MARK_OPEN, MARK_CLOSE = "\u27e6", "\u27e7"  # ⟦ ⟧ around translated text when R57_I18N_MARK=1
NUM_OPEN, NUM_CLOSE = "\u27e8", "\u27e9"  # ⟨ ⟩ around formatted numbers when R57_I18N_MARK=1

_state = {"lang": SOURCE_LANG}


class LanguageError(ValueError):
    """An unknown language code."""


def check_lang(lang: str) -> str:
    """``lang`` if it is one of :data:`LANGS`, else a :class:`LanguageError` naming the allowed codes."""
    if lang not in LANGS:
        raise LanguageError(f"lang: {lang!r} is not a language of the reports; allowed: {', '.join(LANGS)}")
    return lang


def use(lang: str) -> None:
    """Make ``lang`` the language of every later ``_()`` and ``fmt`` call in this process."""
    _state["lang"] = check_lang(lang)


def current() -> str:
    """The language in use (``en`` until :func:`use` is called)."""
    return _state["lang"]


@contextmanager
def language(lang: str) -> Iterator[None]:
    """Use ``lang`` inside a ``with`` block, then the previous language again."""
    before = current()
    use(lang)
    try:
        yield
    finally:
        use(before)


def marking() -> bool:
    """True when translated text and numbers are wrapped in marks for the bypass test."""
    return os.environ.get("R57_I18N_MARK", "") == "1"


def _mark(text: str) -> str:
    return f"{MARK_OPEN}{text}{MARK_CLOSE}" if marking() else text


# -- catalogues ---------------------------------------------------------------------------------------


def catalogue_files(lang: str) -> list[Path]:
    """The ``.po`` files of ``lang``, in a fixed order."""
    return sorted((DOMAIN_DIR / lang / "LC_MESSAGES").glob("*.po"))


@cache
def _read(lang: str) -> dict[tuple[str | None, str], str | tuple[str, ...]]:
    """``(context, msgid) -> translation`` merged from every catalogue of ``lang``; untranslated and
    fuzzy entries are left out (the English text is shown and the completeness test fails)."""
    from babel.messages.pofile import read_po

    table: dict[tuple[str | None, str], str | tuple[str, ...]] = {}
    for path in catalogue_files(lang):
        with path.open("rb") as fh:
            catalog = read_po(fh, locale=lang, abort_invalid=True)
        for message in catalog:
            if not message.id or message.fuzzy:
                continue
            key_id = message.id[0] if isinstance(message.id, (tuple, list)) else message.id
            string = message.string
            if isinstance(string, (tuple, list)):
                if not all(string):
                    continue
                table.setdefault((message.context, key_id), tuple(string))
            elif string:
                table.setdefault((message.context, key_id), string)
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
    found = _lookup(message)
    return _mark(found if isinstance(found, str) else message)


_ = gettext


def pgettext(context: str, message: str) -> str:
    """``message`` in the current language, for one sense of it (``context``: "status", "unit", ...)."""
    found = _lookup(message, context)
    return _mark(found if isinstance(found, str) else message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural text for ``n`` (Vietnamese has one form)."""
    found = _lookup(singular)
    if isinstance(found, tuple):
        return _mark(found[0] if len(found) == 1 else found[0 if n == 1 else 1])
    return _mark(singular if n == 1 else plural)


def N_(message: str) -> str:  # noqa: N802 - the gettext convention
    """Mark ``message`` for the catalogue without translating it (translate it where it is shown)."""
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


# -- numbers, money, dates ---------------------------------------------------------------------------

_BABEL_LOCALE = {"en": "en", "vi": "vi"}
MINUS = "\u2212"


def _auto_decimals(x: float) -> int:
    """The decimals :class:`_Formats` shows when none are given (the rule is stated there)."""
    a = abs(float(x))
    if float(x).is_integer() or a >= 100:
        return 0
    if a >= 10:
        return 1
    return 2 if a >= 1 else 3


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
    text = format_decimal(
        round(float(x), decimals) + 0.0, format=pattern, locale=_BABEL_LOCALE[current()], decimal_quantization=True
    )
    return text


def _num_mark(text: str) -> str:
    return f"{NUM_OPEN}{text}{NUM_CLOSE}" if marking() else text


class _Formats:
    """Numbers as the current language writes them: the one number formatter of r57.

    Every number a reader sees (page, chart, table, comparison page, explorer, translated CSV header)
    is written by one of these methods, so that both editions round and separate the same way.

    The rounding rule: ``x`` is rounded to ``decimals`` places with Python's :func:`round` (half to even
    on the binary value), then written with the language's separators (English ``1,234.5``, Vietnamese
    ``1.234,5``), thousands grouped. ``decimals=None`` means by size: whole numbers and ``|x| >= 100``
    none, ``|x| >= 10`` one, ``|x| >= 1`` two, below 1 three (``10,530``, ``437``, ``44.3``, ``8.36``,
    ``0.415``); ``trim`` then drops trailing zeros (chart ticks). Years are never grouped (:meth:`year`), counts and ranks never have decimals
    (:meth:`num` with its default 0). A missing value (None, NaN, infinite) is ``–``.
    """

    def num(self, x: float, decimals: int | None = 0, trim: bool = False) -> str:
        """A number with thousands separators: ``1,234.5`` / ``1.234,5`` (``decimals=None``: by size).

        ``trim``: without trailing zeros after the decimal mark (a chart's tick labels: ``2.5``, not ``2.50``)."""
        text = _decimal(x, decimals)
        if trim and not _missing(x):
            mark = "," if current() == "vi" else "."
            if mark in text:
                text = text.rstrip("0").rstrip(mark)
        return _num_mark(text)

    def general(self, x: float, spec: str = "g") -> str:
        """``x`` in Python's format ``spec`` (default ``g``: as the user gave it, ``2``, ``0.5``, ``25.4``,
        no fixed decimals) with the current language's separators (``0,5``)."""
        return self.localize_number_text(format(x, spec))

    def year(self, y: int | float, decimals: int = 0) -> str:
        """A year, never grouped: ``2030`` (``decimals``: a fractional year between surveys, ``2012.3``)."""
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

    def localize_number_text(self, text: str) -> str:
        """A number already written the English way (``1,234.5``, ``0.41%``) in the current language's
        separators; other text unchanged. For matplotlib tick labels."""
        if current() == SOURCE_LANG or not _NUMBER_TEXT.match(text):
            return text
        return text.translate(_SWAP_SEPARATORS)


_NUMBER_TEXT = re.compile(r"^[\s$]*[+\-\u2212]?[\d.,]*\d[\d.,]*\s*(%|pp)?\s*$")
_SWAP_SEPARATORS = str.maketrans({",": ".", ".": ","})

fmt = _Formats()


def po_files_text(lang: str) -> str:
    """All catalogues of ``lang`` as one text (for fingerprints)."""
    buf = io.StringIO()
    for path in catalogue_files(lang):
        buf.write(path.read_text(encoding="utf-8"))
    return buf.getvalue()


def keep(text: str) -> str:
    """``text`` shown as it is in every language: a proper name, a file or parameter name, a library
    (marked as deliberately untranslated for the bypass test)."""
    return _mark(text) if current() != SOURCE_LANG else text


def country(code: str, name: str = "") -> str:
    """An economy's name in the current language: ``country("KOR", "Korea, Rep.")`` is ``Korea, Rep.``
    in English and ``Hàn Quốc`` in Vietnamese (CLDR names through Babel, from the ISO 3166 alpha-3 or
    alpha-2 code); a code CLDR does not know (an aggregate) goes through the catalogue by ``name``."""
    if current() == SOURCE_LANG:
        return name or code
    from babel import Locale
    from babel.core import get_global

    alpha2 = code if len(code) == 2 else (get_global("territory_aliases").get(code.upper()) or [None])[0]
    territories = Locale.parse(_BABEL_LOCALE[current()]).territories
    if alpha2 and alpha2 in territories:
        return _mark(territories[alpha2])
    return gettext(name or code)
