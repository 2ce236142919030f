"""The reports' own font, embedded in every page and chart, so Vietnamese diacritics render the same on every
machine, offline.

DejaVu Sans (regular, bold) and DejaVu Sans Mono, shipped with matplotlib (Bitstream Vera licence: free to
embed), has every Vietnamese letter. Each page and chart carries a subset with only the characters it shows
(fontTools, WOFF, no hinting: ~7 KB instead of 740 KB). Subsets are deterministic. :func:`embed_page_font`
and :func:`embed_svg_font` embed them; :func:`missing_glyphs` is the glyph coverage check.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import html as _html
import io
import os
import re
import stat
import tempfile
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from analysis.errors import R57Error

FAMILY = "R57 Sans"
MONO_FAMILY = "R57 Mono"
FALLBACK = "system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif"
MONO_FALLBACK = "ui-monospace, Menlo, Consolas, monospace"
# (CSS family, CSS weight) -> file in matplotlib's mpl-data/fonts/ttf
FACES: dict[tuple[str, int], str] = {
    (FAMILY, 400): "DejaVuSans.ttf",
    (FAMILY, 700): "DejaVuSans-Bold.ttf",
    (MONO_FAMILY, 400): "DejaVuSansMono.ttf",
}
FONT_MIME = "font/woff"
CODE_TAGS = ("code", "pre", "kbd", "samp", "tt")  # drawn in R57 Mono
MARKER = "r57-fonts"  # id of the <style> element the fonts are in (replaced when embedded again)
LICENCE_NOTE = (
    "DejaVu Sans (c) Bitstream, Inc. and Tavmjong Bah, DejaVu changes public domain; Bitstream Vera licence, "
    "http://dejavu.sourceforge.net/wiki/index.php/License"
)
_SVG_DATA_SRC = re.compile(r'(src|href)="data:image/svg\+xml;base64,([A-Za-z0-9+/=]*)"')

VIETNAMESE_LETTERS = (
    "".join(
        unicodedata.normalize("NFC", vowel + tone)
        for vowel in "aăâeêioôơuưyAĂÂEÊIOÔƠUƯY"
        for tone in ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")
    )
    + "đĐ"
)
# what a live page (the explorer) may show: ASCII, every Vietnamese letter, the reports' symbols
LIVE_CHARS = (
    "".join(chr(c) for c in range(0x20, 0x7F))
    + VIETNAMESE_LETTERS
    + "\u00a0–—‘’“”…×÷−±≥≤≈•·→←↑↓°½¼¾²³‰€£¥§©®™⟦⟧⟨⟩▲▼◆●○■□✓✗"
)
# what :func:`warm` cuts the faces to (~350 glyphs instead of ~6,000); text beyond it is cut from the whole font
BASE_CHARS = "".join(sorted(set(LIVE_CHARS) | {chr(c) for c in range(0xA0, 0x100)}))


@cache
def _font_bytes(filename: str) -> bytes:
    """One of matplotlib's bundled fonts (``DejaVuSans.ttf``)."""
    import matplotlib  # a dependency; only its data folder is used here

    return (Path(matplotlib.get_data_path()) / "fonts" / "ttf" / filename).read_bytes()


@cache
def font_cmap(filename: str) -> frozenset[int]:
    """The code points the whole font ``filename`` has a glyph for."""
    from fontTools.ttLib import TTFont

    return frozenset(TTFont(io.BytesIO(_font_bytes(filename)), lazy=True).getBestCmap())


def _needs_glyph(ch: str) -> bool:
    """False for white space and invisible format characters (a browser draws no glyph for them)."""
    return not ch.isspace() and unicodedata.category(ch) not in ("Cc", "Cf")


def _cut(data: bytes, chars: str):  # -> fontTools TTFont
    """The font in ``data`` cut down to the glyphs of ``chars`` and what they need (accents, ligatures)."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(data), recalcTimestamp=False, lazy=True)
    options = subset.Options()
    options.hinting = False  # half the size; screens and PDFs render it well without
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 14]  # names, copyright and the licence address
    options.notdef_outline = True
    options.ignore_missing_unicodes = True
    options.drop_tables += ["FFTM"]  # FontForge timestamps: not needed, and fontTools warns on each subset
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=chars or " ")
    subsetter.subset(font)
    return font


_BASES: dict[str, tuple[bytes, frozenset[int]]] = {}


CHART_FACES = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")


_WARM_ON_MISS: set[str] = set()


def warm(faces: tuple[str, ...] = CHART_FACES) -> None:
    """Cut ``faces`` to :data:`BASE_CHARS` now (0.4 s a face), so later subsets are cut from them (20 ms instead
    of 60 ms; the same bytes)."""
    for filename in faces:
        if filename not in _BASES:
            font = _cut(_font_bytes(filename), BASE_CHARS)
            buf = io.BytesIO()
            font.save(buf)
            _BASES[filename] = (buf.getvalue(), frozenset(font.getBestCmap()))


def warm_on_miss(faces: tuple[str, ...]) -> None:
    """:func:`warm` ``faces`` at this process's (or its forked workers') first cache miss: a cached run cuts none."""
    _WARM_ON_MISS.update(faces)


# Subsets kept between runs: one file per (font, characters, fontTools version, cutting rules), named by their
# hash, holding the WOFF and its SHA-256; anything else found there is cut again. R57_FONT_CACHE="" switches it off.
CUT_RULES_VERSION = "1"  # bump when _cut or _rename change what a subset contains
CACHE_SUFFIX = ".woff-sha256"
MAX_CACHE_ENTRY = 8 * 1024 * 1024  # bytes; every glyph of DejaVu Sans Bold cut as WOFF is 279 KB


class FontCacheError(R57Error):
    """``R57_FONT_CACHE`` names a relative folder (ambiguous: kernels run in ``notebooks/``)."""


# a relative R57_FONT_CACHE resolved once, at import, so the kernels r57 starts use the same folder (r57's own
# process imports this module before any kernel starts)
if (_setting := os.environ.get("R57_FONT_CACHE")) and not os.path.isabs(_setting):
    os.environ["R57_FONT_CACHE"] = os.path.abspath(_setting)


def _cache_dir() -> Path | None:
    setting = os.environ.get("R57_FONT_CACHE")
    if setting == "":
        return None
    if setting:
        if not os.path.isabs(setting):  # set after import (a test, a notebook): not guessed
            raise FontCacheError(
                f"R57_FONT_CACHE={setting!r} is a relative path; give an absolute folder, or R57_FONT_CACHE='' "
                "to switch the font cache off"
            )
        return Path(setting)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "r57" / "fonts"


def _cache_file(filename: str, chars: str) -> Path | None:
    folder = _cache_dir()
    if folder is None:
        return None
    from fontTools import version as fonttools_version

    key = hashlib.sha256(
        "\0".join((filename, _font_digest(filename), chars, fonttools_version, CUT_RULES_VERSION)).encode("utf-8")
    ).hexdigest()
    return folder / f"{key[:40]}{CACHE_SUFFIX}"


@cache
def _font_digest(filename: str) -> str:
    return hashlib.sha256(_font_bytes(filename)).hexdigest()


@lru_cache(maxsize=256)
def subset_woff(filename: str, chars: str) -> bytes:
    """``filename`` cut down to the glyphs of ``chars``, as WOFF (characters the font lacks are left out); read
    from the cache folder instead when cut before with the same font, characters and fontTools.
    """
    cached = _cache_file(filename, chars)
    if cached is not None:
        data = _load(cached)
        if data is not None:
            return data
    if filename in _WARM_ON_MISS:
        warm((filename,))
    data = _cut_woff(filename, chars)
    if cached is not None:
        _store(cached, data)
    return data


def _load(path: Path) -> bytes | None:
    """The WOFF in cache entry ``path`` if it is a regular file (no link, no FIFO) ending with its own SHA-256; else None."""
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or not 32 < info.st_size <= MAX_CACHE_ENTRY:
            return None
        with os.fdopen(os.dup(fd), "rb") as f:
            entry = f.read(MAX_CACHE_ENTRY + 1)
    except OSError:
        return None
    finally:
        os.close(fd)
    data, digest = entry[:-32], entry[-32:]
    if hashlib.sha256(data).digest() != digest or not data.startswith(b"wOFF"):
        return None
    return data


def _store(path: Path, data: bytes) -> None:
    """Write ``data`` and its SHA-256 to ``path`` by a rename from a fresh O_EXCL temporary file; failure only costs time."""
    tmp = None
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as f:
            f.write(data + hashlib.sha256(data).digest())
        os.replace(tmp, path)
        tmp = None
    except OSError:
        return
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def _cut_woff(filename: str, chars: str) -> bytes:
    base, covered = _BASES.get(filename, (b"", frozenset()))
    within = bool(base) and {ord(c) for c in chars} <= covered
    font = _cut(base if within else _font_bytes(filename), chars)
    _rename(font, filename)
    font.flavor = "woff"
    buf = io.BytesIO()
    font.save(buf)
    return buf.getvalue()


def _rename(font, filename: str) -> None:  # font: a fontTools TTFont
    """Name the subset R57 Sans / R57 Mono inside the font too (the Bitstream Vera licence asks a modified font
    not to be called Bitstream or Vera; DejaVu's copyright and licence address stay).
    """
    family = next(fam for (fam, _w), name in FACES.items() if name == filename)
    style = "Bold" if "Bold" in filename else "Regular"
    names = {
        1: family,
        3: f"{family} {style}; subset of {filename}",
        4: family if style == "Regular" else f"{family} {style}",
        6: f"{family.replace(' ', '')}-{style}",
    }
    table = font["name"]
    table.names = [r for r in table.names if r.nameID not in (16, 17, 21, 22)]
    for record in table.names:
        if record.nameID in names:
            record.string = names[record.nameID]


def _charset(texts: str) -> str:
    """The distinct characters of ``texts`` in code point order, the space always included."""
    return "".join(sorted(set(texts) | {" ", "\u00a0"}))


def font_face_css(family: str, weight: int, chars: str) -> str:
    """One ``@font-face`` rule: the subset of ``family`` at ``weight`` for ``chars`` as a data: URI."""
    data = base64.b64encode(subset_woff(FACES[(family, weight)], _charset(chars))).decode("ascii")
    return (
        f'@font-face{{font-family:"{family}";font-style:normal;font-weight:{weight};font-display:block;'
        f'src:url(data:{FONT_MIME};base64,{data}) format("woff")}}'
    )


@dataclass
class PageText:
    """What a reader of a page sees, split by the font that draws it."""

    text: list[str]  # drawn with R57 Sans
    code: list[str]  # drawn with R57 Mono (code, pre)
    charts: list[str]  # embedded SVG charts (data: URIs), decoded


_SVG_DATA = "data:image/svg+xml;base64,"
# never drawn: styles, scripts and an SVG's <metadata> (matplotlib's RDF: format, creator)
_HIDDEN = ("style", "script", "metadata")


def _attribute_text(attrs: list[tuple[str, str | None]]) -> list[str]:
    """Reader-visible text in a tag's attributes: alt, title, aria-label, placeholder, an embedded SVG's text."""
    found: list[str] = []
    for name, value in attrs:
        if value and name in ("alt", "title", "aria-label", "placeholder"):
            found.append(value)
        elif value and name in ("src", "href") and value.startswith(_SVG_DATA):
            found.extend(visible_text(base64.b64decode(value[len(_SVG_DATA) :]).decode("utf-8", "replace")))
    return found


def text_nodes(html: str) -> list[tuple[str, bool]]:
    """``(text, in code)`` for each text a reader of ``html`` sees: text nodes outside ``<style>``, ``<script>``
    and SVG ``<metadata>`` (in code: inside ``code``, ``pre``, ``kbd``, ``samp``, ``tt``), alt, title and
    aria-label attributes, and the text of SVG charts embedded as data URIs."""
    from html.parser import HTMLParser

    chunks: list[tuple[str, bool]] = []

    class _Parser(HTMLParser):
        skip = code = 0

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            self.skip += tag in _HIDDEN
            self.code += tag in CODE_TAGS
            chunks.extend((text, False) for text in _attribute_text(attrs))

        def handle_endtag(self, tag: str) -> None:
            self.skip -= tag in _HIDDEN and self.skip > 0
            self.code -= tag in CODE_TAGS and self.code > 0

        def handle_data(self, data: str) -> None:
            if not self.skip and data.strip():
                chunks.append((data, bool(self.code)))

    parser = _Parser(convert_charrefs=True)
    parser.feed(html)
    parser.close()
    return chunks


def visible_text(html: str) -> list[str]:
    """The texts a reader of ``html`` sees (:func:`text_nodes`)."""
    return [text for text, _code in text_nodes(html)]


def page_text(html: str) -> PageText:
    """The visible text of ``html`` split into text, code, and the SVG charts embedded as data: URIs (decoded)."""
    charts = [base64.b64decode(m.group(2)).decode("utf-8", "replace") for m in _SVG_DATA_SRC.finditer(html)]
    nodes = text_nodes(_SVG_DATA_SRC.sub(r'\1=""', html))
    return PageText(text=[t for t, _c in nodes], code=[t for t, code in nodes if code], charts=charts)


_NOT_TEXT = re.compile(r"<(style|script)\b.*?</\1>|data:[^\"')\s]+", re.S | re.I)


def _page_chars(html: str) -> tuple[str, str]:
    """(text, code) characters to embed for ``html``: everything outside styles, scripts and data: URIs, entities
    decoded (a superset of the visible text, found without parsing the text part).
    """
    stripped = _NOT_TEXT.sub(" ", _SVG_DATA_SRC.sub(r'\1=""', html))
    return _html.unescape(stripped), "".join(t for t, code in text_nodes(stripped) if code)


def page_font_css(html: str, extra: str = "") -> str:
    """The ``<style>`` rules embedding the page's subset fonts as its first choice; ``extra``: characters of CSS generated content."""
    text, code = _page_chars(html)
    text += extra
    rules = [f"/* {LICENCE_NOTE} */"]
    rules += [font_face_css(FAMILY, weight, text) for weight in (400, 700)]
    if code.strip():
        rules.append(font_face_css(MONO_FAMILY, 400, code))
    family = f'"{FAMILY}", {FALLBACK}'
    mono = f'"{MONO_FAMILY}", "{FAMILY}", {MONO_FALLBACK}'
    rules.append(
        f":root{{--jp-ui-font-family:{family};--jp-content-font-family:{family};"
        f"--jp-code-font-family:{mono};--jp-code-font-family-default:{mono}}}"
    )
    rules.append(f"html,body,body.jp-Notebook,input,select,button,textarea{{font-family:{family}}}")
    rules.append(f"{','.join(CODE_TAGS)}{{font-family:{mono}}}")
    return "\n".join(rules)


_STYLE_BLOCK = re.compile(r'<style id="' + MARKER + r'">.*?</style>\n?', re.S)


def embed_page_font(html: str, extra: str = "") -> str:
    """``html`` with its subset fonts in ``<style id="r57-fonts">`` at the end of ``<head>`` (embedding again
    replaces it); ``extra``: characters shown other than as page text.
    """
    html = _STYLE_BLOCK.sub("", html)
    block = f'<style id="{MARKER}">\n{page_font_css(html, extra)}\n</style>\n'
    head_end = html.find("</head>")
    if head_end < 0:
        return block + html
    return html[:head_end] + block + html[head_end:]


def live_font_css() -> str:
    """``<style>`` with R57 Sans for :data:`LIVE_CHARS`: for a page whose text is not known when written (the explorer)."""
    rules = [f"/* {LICENCE_NOTE} */"] + [font_face_css(FAMILY, weight, LIVE_CHARS) for weight in (400, 700)]
    return f'<style id="{MARKER}">' + "\n".join(rules) + "</style>"


_SVG_TEXT = re.compile(r"<text\b([^>]*)>(.*?)</text>", re.S)
_TAG = re.compile(r"<[^>]+>")
_FONT_FAMILY_DECL = re.compile(r"font-family:\s*[^;\"]*")
_FONT_FAMILY_ATTR = re.compile(r'font-family="[^"]*"')


def _bold(attrs: str) -> bool:
    return bool(re.search(r"font-weight(?::\s*|=\")(bold|[6-9]00)", attrs))


def svg_texts(svg: str) -> tuple[str, str]:
    """(regular text, bold text) of the ``<text>`` elements of ``svg``, entities decoded (the weight set on the text)."""
    regular, bold = [], []
    for attrs, body in _SVG_TEXT.findall(svg):
        (bold if _bold(attrs) else regular).append(_html.unescape(_TAG.sub("", body)))
    return "".join(regular), "".join(bold)


def embed_svg_font(svg: str) -> str:
    """``svg`` with its own subset of R57 Sans (regular and, if used, bold) in a ``<style>`` and every text's font
    family set to it first."""
    family = f"'{FAMILY}', {FALLBACK}".replace('"', "'")
    svg = _FONT_FAMILY_DECL.sub(f"font-family: {family}", svg)
    svg = _FONT_FAMILY_ATTR.sub(f'font-family="{family}"', svg)
    regular, bold = svg_texts(svg)
    rules = font_face_css(FAMILY, 400, regular) + (font_face_css(FAMILY, 700, bold) if bold else "")
    style = f'<style id="{MARKER}" type="text/css">{rules}</style>'
    match = re.search(r"<svg\b[^>]*>", svg)
    if match is None:
        raise ValueError("not an SVG: no <svg> element")
    return svg[: match.end()] + style + svg[match.end() :]


_FONT_FACE = re.compile(r"@font-face\s*\{([^}]*)\}")
_DATA_FONT = re.compile(r"url\(\s*[\"']?data:font/[a-z0-9]+;base64,([A-Za-z0-9+/=]+)")


def embedded_fonts(document: str) -> dict[tuple[str, int], frozenset[int]]:
    """``(family, weight) -> code points`` of every ``@font-face`` with a data: URI in ``document``."""
    from fontTools.ttLib import TTFont

    fonts: dict[tuple[str, int], frozenset[int]] = {}
    for body in _FONT_FACE.findall(document):
        family = re.search(r"font-family:\s*[\"']?([^;\"']+)", body)
        weight = re.search(r"font-weight:\s*(\d+|bold|normal)", body)
        data = _DATA_FONT.search(body)
        if not (family and data):
            continue
        w = weight.group(1) if weight else "400"
        w_num = {"normal": 400, "bold": 700}.get(w) or int(w)
        font = TTFont(io.BytesIO(base64.b64decode(data.group(1))), lazy=True)
        fonts[(family.group(1).strip(), w_num)] = frozenset(font.getBestCmap())
    return fonts


def _uncovered(texts: str, cmap: frozenset[int] | None, where: str, ignore: str = "") -> list[str]:
    missing = sorted(
        {ch for ch in texts if _needs_glyph(ch) and ch not in ignore and (cmap is None or ord(ch) not in cmap)}
    )
    return [f"{ch!r} (U+{ord(ch):04X}) {where}" for ch in missing]


def missing_glyphs_svg(svg: str, where: str = "in the chart", ignore: str = "") -> list[str]:
    """Characters of ``svg``'s text that the chart's embedded R57 Sans lacks (regular and bold apart)."""
    fonts = embedded_fonts(svg)
    regular, bold = svg_texts(svg)
    return _uncovered(regular, fonts.get((FAMILY, 400)), where, ignore) + _uncovered(
        bold, fonts.get((FAMILY, 700)), f"{where} (bold)", ignore
    )


def missing_glyphs(html: str, ignore: str = "") -> list[str]:
    """Every character a reader of ``html`` sees that the font embedded for it lacks: page text in both weights,
    code in R57 Mono or R57 Sans, each chart's text in its own R57 Sans. ``ignore``: characters not to report
    (a script the font lacks, such as CJK; name them at the call with the reason).
    """
    fonts = embedded_fonts(_SVG_DATA_SRC.sub(r'\1=""', html))
    found = page_text(html)
    problems: list[str] = []
    text = "".join(found.text)
    for weight in (400, 700):
        label = "in the page text" + (" (bold)" if weight == 700 else "")
        problems += _uncovered(text, fonts.get((FAMILY, weight)), label, ignore)
    code = "".join(found.code)
    mono = fonts.get((MONO_FAMILY, 400))
    sans = fonts.get((FAMILY, 400)) or frozenset()
    problems += _uncovered(code, None if mono is None else mono | sans, "in code", ignore)
    for i, svg in enumerate(found.charts, start=1):
        problems += missing_glyphs_svg(svg, f"in chart {i}", ignore)
    return problems
