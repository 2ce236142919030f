"""The embedded font (R57 Sans: DejaVu Sans subsets) and the glyph coverage check: every character a
reader of a Vietnamese page sees is in the font embedded for it, in the page and in each chart."""

from __future__ import annotations

import base64
import hashlib
import os
import re
import stat
import subprocess
import sys
import threading
import unicodedata
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, PercentFormatter

import vi_sample
from analysis import i18n
from analysis.reports import fonts, render
from analysis.run import site

# the Vietnamese alphabet's vowels, each bare and with the five tones (grave, acute, hook above, tilde,
# dot below), upper and lower case: 12 vowels x 6 x 2 = 144 letters, plus đ and Đ
VOWELS = "aăâeêioôơuưy"
TONES = ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")
VIETNAMESE = "".join(unicodedata.normalize("NFC", v + t) for v in VOWELS + VOWELS.upper() for t in TONES) + "đĐ"


@pytest.fixture(autouse=True)
def text_as_text():
    """Charts with text kept as text, as the reports draw them (render.setup_plotting would set them for good)."""
    import matplotlib

    with matplotlib.rc_context(vi_sample.CHART_RC):
        yield


@pytest.fixture(scope="module")
def vi_page(tmp_path_factory) -> str:
    return vi_sample.build(tmp_path_factory.mktemp("vi")).read_text(encoding="utf-8")


def test_the_vietnamese_alphabet_is_146_precomposed_letters():
    assert len(VIETNAMESE) == 146 and all(len(unicodedata.normalize("NFC", c)) == 1 for c in VIETNAMESE)


@pytest.mark.parametrize("face", ["DejaVuSans.ttf", "DejaVuSans-Bold.ttf"])
def test_the_sans_faces_have_every_vietnamese_letter(face):
    missing = [c for c in VIETNAMESE if ord(c) not in fonts.font_cmap(face)]
    assert missing == []


def test_code_in_vietnamese_falls_back_to_the_embedded_sans_not_to_the_machine():
    # DejaVu Sans Mono lacks the letters with a hook above (ả, ẳ, ...): code text asks for R57 Mono,
    # then R57 Sans, which has them, so the check accepts a glyph from either
    assert ord("ả") not in fonts.font_cmap("DejaVuSansMono.ttf")
    page = fonts.embed_page_font("<html><head></head><body><p>x <code>bảng_ả</code></p></body></html>")
    assert '--jp-code-font-family:"R57 Mono", "R57 Sans"' in page
    assert fonts.missing_glyphs(page) == []
    assert fonts.missing_glyphs(page.replace("<code>bảng_ả", "<code>bảng_ả中")) != []


def test_a_subset_has_the_glyphs_asked_for_and_the_same_bytes_every_time():
    text = "Nghị quyết 57-NQ/TW"
    woff = fonts._cut_woff("DejaVuSans.ttf", fonts._charset(text))
    again = fonts._cut_woff("DejaVuSans.ttf", fonts._charset(text))
    assert woff == again  # no timestamp: the same page gives the same bytes (cut twice, no cache)
    assert woff[:4] == b"wOFF" and len(woff) < 8_000  # the whole font is 740 KB
    cmap = TTFont(__import__("io").BytesIO(woff)).getBestCmap()
    assert set(cmap) == {ord(c) for c in text} | {ord(" "), 0xA0}


@pytest.mark.parametrize("text", [vi_sample.SENTENCE, VIETNAMESE, "AVAWTo ffi ½ 中"])
def test_a_subset_is_the_same_whether_cut_from_the_warmed_faces_or_the_whole_font(text, monkeypatch):
    # a worker that warmed the faces must write the same chart bytes as a cold process
    monkeypatch.setattr(fonts, "_BASES", {})
    cold = fonts._cut_woff("DejaVuSans-Bold.ttf", fonts._charset(text))
    fonts.warm(("DejaVuSans-Bold.ttf",))
    assert fonts._cut_woff("DejaVuSans-Bold.ttf", fonts._charset(text)) == cold


def test_faces_warmed_on_miss_are_cut_by_the_first_cache_miss_only(monkeypatch):
    # run-all's workers: a run whose subsets are all in the cache never pays for the warming
    monkeypatch.setattr(fonts, "_BASES", {})
    monkeypatch.setattr(fonts, "_WARM_ON_MISS", set())
    monkeypatch.setenv("R57_FONT_CACHE", "")
    fonts.warm_on_miss(("DejaVuSans-Bold.ttf",))
    assert fonts._BASES == {}
    chars = fonts._charset("Năm ½ R&D")
    cold = fonts._cut_woff("DejaVuSans-Bold.ttf", chars)  # cut from the whole font
    fonts.subset_woff.cache_clear()
    assert fonts.subset_woff("DejaVuSans-Bold.ttf", chars) == cold
    assert set(fonts._BASES) == {"DejaVuSans-Bold.ttf"}


def test_a_vietnamese_report_page_and_its_charts_miss_no_glyph(vi_page):
    assert fonts.missing_glyphs(vi_page) == []
    embedded = fonts.embedded_fonts(re.sub(r'src="data:[^"]*"', "", vi_page))
    assert set(embedded) == {(fonts.FAMILY, 400), (fonts.FAMILY, 700), (fonts.MONO_FAMILY, 400)}
    # the page's fonts hold the page's letters, not the whole font
    assert {ord(c) for c in vi_sample.SENTENCE} <= embedded[(fonts.FAMILY, 700)]
    assert len(embedded[(fonts.FAMILY, 400)]) < 150
    [chart] = fonts.page_text(vi_page).charts
    regular, bold = fonts.svg_texts(chart)
    assert vi_sample.CHART_TITLE in bold and "Năm" in regular
    assert set(fonts.embedded_fonts(chart)) == {(fonts.FAMILY, 400), (fonts.FAMILY, 700)}


def test_a_character_outside_the_font_fails_the_check(vi_page):
    cjk = vi_page.replace(vi_sample.SENTENCE, vi_sample.SENTENCE + " 中文", 1)
    assert cjk != vi_page
    problems = fonts.missing_glyphs(cjk)
    assert "'中' (U+4E2D) in the page text" in problems and "'文' (U+6587) in the page text (bold)" in problems
    assert fonts.missing_glyphs(cjk, ignore="中文") == []  # a quotation named at the call
    # embedding the font again does not help: DejaVu Sans has no CJK ideographs
    assert any("U+4E2D" in p for p in fonts.missing_glyphs(fonts.embed_page_font(cjk)))


@pytest.mark.filterwarnings("ignore:Glyph 20013")  # matplotlib says so too, while measuring the text
def test_a_chart_text_outside_its_font_fails_the_check(shown_figures):
    fig = Figure()
    fig.add_subplot().set_title("Tổng chi 中")
    svg = base64.b64decode(render.fig_to_b64(fig)).decode()
    assert fonts.missing_glyphs_svg(svg) == ["'中' (U+4E2D) in the chart (bold)"]
    page = f'<html><head></head><body><img src="data:image/svg+xml;base64,{render.fig_to_b64(fig)}" alt="x"></body>'
    assert "'中' (U+4E2D) in chart 1 (bold)" in fonts.missing_glyphs(fonts.embed_page_font(page))


def test_a_page_without_an_embedded_font_misses_every_character():
    assert fonts.missing_glyphs("<html><head></head><body><p>Việt</p></body></html>") == [
        "'V' (U+0056) in the page text",
        "'i' (U+0069) in the page text",
        "'t' (U+0074) in the page text",
        "'ệ' (U+1EC7) in the page text",
        "'V' (U+0056) in the page text (bold)",
        "'i' (U+0069) in the page text (bold)",
        "'t' (U+0074) in the page text (bold)",
        "'ệ' (U+1EC7) in the page text (bold)",
    ]


def test_embedding_again_replaces_the_fonts_and_the_font_comes_first():
    page = "<html><head><style>body{font-family:Arial}</style></head><body><p>Đà Nẵng</p></body></html>"
    once = fonts.embed_page_font(page)
    twice = fonts.embed_page_font(once, extra="Trang")
    assert once.count('<style id="r57-fonts">') == twice.count('<style id="r57-fonts">') == 1
    assert fonts.missing_glyphs(twice) == []
    assert ord("T") in fonts.embedded_fonts(twice)[(fonts.FAMILY, 400)]  # the extra characters
    # after the page's own styles, and first in the body's font list
    assert twice.index("body{font-family:Arial}") < twice.index('<style id="r57-fonts">')
    assert re.search(r'body[^{]*\{font-family:"R57 Sans"', twice)


def test_the_site_index_misses_no_glyph(tmp_path):
    page = fonts.embed_page_font(site.render_index([], {}))
    assert fonts.missing_glyphs(page) == []
    assert fonts.embedded_fonts(page)


def test_an_inline_svg_chart_asks_for_the_page_font():
    import numpy as np

    from analysis.reports.svgchart import line_chart

    svg = line_chart(
        [2025, 2030],
        [("Lộ trình", np.array([0.44, 2.0]))],
        title="Chi cho R&D",
        x_label="Năm",
        y_label="% GDP",
        source="Cục Thống kê",
    )
    assert "font-family=\"'R57 Sans'," in svg
    page = fonts.embed_page_font(f"<html><head></head><body>{svg}</body></html>")
    assert fonts.missing_glyphs(page) == []
    assert {ord(c) for c in "Lộ trình Năm"} <= fonts.embedded_fonts(page)[(fonts.FAMILY, 700)]


# -- tick labels in Vietnamese ------------------------------------------------------------------------


@pytest.fixture()
def shown_figures(monkeypatch):
    out: list[str] = []
    monkeypatch.setattr(render, "_display_html", out.append)
    return out


def _labels(fig: Figure, axis: str) -> list[str]:
    FigureCanvasAgg(fig).draw()
    ax = fig.axes[0]
    ticks = ax.xaxis.get_ticklabels() if axis == "x" else ax.yaxis.get_ticklabels()
    return [t.get_text() for t in ticks]


def _figure() -> Figure:
    fig = Figure()
    ax = fig.add_subplot()
    ax.bar(["Hà Nội", "TP. Hồ Chí Minh", "2,5"], [0.25, 1.0, 0.5])
    ax.set_yticks([0, 0.5, 1.0])
    return fig


@pytest.mark.parametrize(
    ("lang", "y_labels"),
    [
        # by hand: matplotlib writes 0.0, 0.5, 1.0; Vietnamese swaps the decimal point for a comma
        ("vi", ["0,0", "0,5", "1,0"]),
        ("en", ["0.0", "0.5", "1.0"]),
    ],
)
def test_numeric_tick_labels_follow_the_language_and_categories_stay(lang, y_labels):
    fig = _figure()
    with i18n.language(lang):
        render.localize_ticks(fig)
        assert _labels(fig, "y") == y_labels
        # categories are text, even one that looks like a number in the other convention
        assert _labels(fig, "x") == ["Hà Nội", "TP. Hồ Chí Minh", "2,5"]


def test_a_custom_formatter_is_localized_too():
    fig = Figure()
    ax = fig.add_subplot()
    ax.plot([1000, 2500], [10, 12.5])
    ax.set_xticks([1000, 2500])
    ax.set_yticks([10, 12.5])
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: f"{x:,.0f}"))
    ax.yaxis.set_major_formatter(PercentFormatter(decimals=1))
    with i18n.language("vi"):
        render.localize_ticks(fig)
        render.localize_ticks(fig)  # twice wraps once
        # by hand: 1,000 -> 1.000 and 2,500 -> 2.500 (dot thousands); 12.5% -> 12,5%
        assert _labels(fig, "x") == ["1.000", "2.500"]
        assert _labels(fig, "y") == ["10,0%", "12,5%"]


def test_report_figure_writes_vietnamese_tick_labels_into_the_chart(shown_figures):
    fig = _figure()
    with i18n.language("vi"):
        render.Report().figure(fig, chart_id="c", title="t", alt="a", source="s")
    [html] = shown_figures
    svg = base64.b64decode(re.search(r"base64,([^\"]+)", html).group(1)).decode()
    texts = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    assert {"0,0", "0,5", "1,0", "Hà Nội"} <= set(texts) and "0.5" not in texts
    assert fonts.missing_glyphs_svg(svg) == []


def test_charts_and_pages_stay_deterministic(tmp_path: Path):
    fig1, fig2 = _figure(), _figure()
    assert render.fig_to_b64(fig1) == render.fig_to_b64(fig2)


# -- every translation can be drawn -------------------------------------------------------------------


def _translations(area: str | None = None) -> str:
    from babel.messages.pofile import read_po

    text = []
    for path in i18n.catalogue_files("vi"):
        if area and path.stem != area:
            continue
        with path.open("rb") as fh:
            for message in read_po(fh, locale="vi"):
                strings = message.string if isinstance(message.string, (tuple, list)) else [message.string]
                text += [s for s in strings if s]
    return "".join(text)


def test_every_vietnamese_translation_is_in_the_embedded_font():
    text = _translations() + VIETNAMESE
    for face in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"):
        missing = sorted({c for c in text if fonts._needs_glyph(c) and ord(c) not in fonts.font_cmap(face)})
        assert missing == [], f"{face} cannot draw {missing}"


def test_the_explorer_font_covers_its_translations_and_every_vietnamese_letter():
    live = set(fonts.LIVE_CHARS)
    assert set(VIETNAMESE) <= live
    missing = sorted({c for c in _translations("explorer") if fonts._needs_glyph(c) and c not in live})
    assert missing == [], f"add them to fonts.LIVE_CHARS: {missing}"
    css = fonts.live_font_css()
    assert fonts.missing_glyphs(f"<html><head>{css}</head><body><p>{fonts.LIVE_CHARS}</p></body></html>") == []


def test_the_explorer_asks_for_the_embedded_font():
    from analysis.run import explore_ui

    assert (
        explore_ui.CSS.startswith('<style id="r57-fonts">') and ".r57-explorer{font-family:'R57 Sans'" in explore_ui.CSS
    )


def test_a_subset_cut_once_is_read_back_from_the_cache_and_a_damaged_one_is_cut_again(tmp_path, monkeypatch):
    monkeypatch.setenv("R57_FONT_CACHE", str(tmp_path / "fonts"))
    fonts.subset_woff.cache_clear()
    chars = fonts._charset("Tổng chi quốc gia cho R&D")
    first = fonts.subset_woff("DejaVuSans.ttf", chars)
    files = list((tmp_path / "fonts").glob("*" + fonts.CACHE_SUFFIX))
    assert first == fonts._cut_woff("DejaVuSans.ttf", chars)
    assert len(files) == 1 and files[0].read_bytes() == first + hashlib.sha256(first).digest()
    fonts.subset_woff.cache_clear()
    files[0].write_bytes(b"not a font")  # damaged (a full disk, a crash): ignored and cut again
    assert fonts.subset_woff("DejaVuSans.ttf", chars) == first
    assert files[0].read_bytes()[:-32] == first
    fonts.subset_woff.cache_clear()
    other = fonts.subset_woff("DejaVuSans.ttf", fonts._charset("Bộ Khoa học"))
    entries = list((tmp_path / "fonts").glob("*" + fonts.CACHE_SUFFIX))
    assert other != first and len(entries) == 2  # keyed by the characters
    monkeypatch.setenv("R57_FONT_CACHE", "")  # switched off: nothing read or written
    fonts.subset_woff.cache_clear()
    assert fonts._cache_file("DejaVuSans.ttf", chars) is None
    fonts.subset_woff.cache_clear()


# -- the cache folder as untrusted ground: links, FIFOs, truncated entries, a relative setting ---------

CHARS = fonts._charset("Đà Nẵng")


@pytest.fixture()
def cache(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "fonts"
    monkeypatch.setenv("R57_FONT_CACHE", str(folder))
    fonts.subset_woff.cache_clear()
    yield folder
    fonts.subset_woff.cache_clear()


def test_a_link_planted_at_the_entry_or_a_temporary_name_is_never_written_through(cache, tmp_path):
    entry = fonts._cache_file("DejaVuSans.ttf", CHARS)
    cache.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("the user's file\n")
    entry.symlink_to(victim)
    # the names the temporary file had before (pid-based, predictable), and a dangling link
    os.symlink(victim, cache / f".{entry.name}.{os.getpid()}.tmp")
    os.symlink(tmp_path / "created-through-a-link", cache / f".{entry.name}.tmp")
    data = fonts.subset_woff("DejaVuSans.ttf", CHARS)
    assert victim.read_text() == "the user's file\n" and not (tmp_path / "created-through-a-link").exists()
    assert not entry.is_symlink() and entry.read_bytes() == data + hashlib.sha256(data).digest()


def test_a_fifo_in_the_cache_is_skipped_not_waited_on(cache):
    entry = fonts._cache_file("DejaVuSans.ttf", CHARS)
    cache.mkdir()
    os.mkfifo(entry)
    got: list[bytes] = []
    worker = threading.Thread(target=lambda: got.append(fonts.subset_woff("DejaVuSans.ttf", CHARS)), daemon=True)
    worker.start()
    worker.join(timeout=30)
    if worker.is_alive():  # blocked opening the FIFO: open its other end so the thread can finish
        os.close(os.open(entry, os.O_WRONLY | os.O_NONBLOCK))
        pytest.fail("subset_woff waited on a FIFO in the font cache")
    assert got == [fonts._cut_woff("DejaVuSans.ttf", CHARS)]
    assert stat.S_ISREG(entry.lstat().st_mode)  # the FIFO was replaced by a good entry


def test_a_truncated_entry_is_not_embedded_but_cut_again_and_replaced(cache):
    good = fonts.subset_woff("DejaVuSans.ttf", CHARS)
    entry = fonts._cache_file("DejaVuSans.ttf", CHARS)
    assert stat.S_IMODE(cache.stat().st_mode) == 0o700  # the cache folder r57 creates is the user's own
    whole = entry.read_bytes()
    entry.write_bytes(whole[: len(whole) // 2])  # starts with wOFF, as a crash or a full disk leaves it
    assert entry.read_bytes().startswith(b"wOFF")
    fonts.subset_woff.cache_clear()
    assert fonts.subset_woff("DejaVuSans.ttf", CHARS) == good
    assert entry.read_bytes() == whole


@given(cut=st.integers(min_value=0, max_value=4000), flip=st.integers(min_value=0, max_value=4000))
@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_only_an_entry_with_every_byte_intact_is_read(tmp_path, cut, flip):
    data = fonts._cut_woff("DejaVuSans.ttf", CHARS)
    whole = data + hashlib.sha256(data).digest()
    path = tmp_path / f"e{cut}-{flip}"
    path.write_bytes(whole)
    assert fonts._load(path) == data
    path.write_bytes(whole[: min(cut, len(whole) - 1)])
    assert fonts._load(path) is None
    damaged = bytearray(whole)
    damaged[flip % len(whole)] ^= 0x01
    path.write_bytes(bytes(damaged))
    assert fonts._load(path) is None


def test_a_relative_font_cache_means_the_folder_r57_was_started_in_also_for_its_kernels(tmp_path):
    # r57 imports fonts in the user's folder; a kernel it starts runs in notebooks/ with its environment
    started, kernel_cwd = tmp_path / "here", tmp_path / "notebooks"
    started.mkdir()
    kernel_cwd.mkdir()
    child = (
        "import os, subprocess, sys; from analysis.reports import fonts; "
        "print(os.environ['R57_FONT_CACHE']); "
        "subprocess.run([sys.executable, '-c', 'from analysis.reports import fonts; "
        'fonts.subset_woff("DejaVuSans.ttf", " A")\'], cwd=sys.argv[1], check=True)'
    )
    env = {**os.environ, "R57_FONT_CACHE": "cache/fonts"}
    out = subprocess.run(
        [sys.executable, "-c", child, str(kernel_cwd)],
        cwd=started,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == str(started / "cache" / "fonts")
    assert len(list((started / "cache" / "fonts").glob("*" + fonts.CACHE_SUFFIX))) == 1
    assert list(kernel_cwd.iterdir()) == []


def test_a_relative_font_cache_set_after_start_is_refused_naming_the_variable(monkeypatch):
    monkeypatch.setenv("R57_FONT_CACHE", "fonts-here")
    fonts.subset_woff.cache_clear()
    with pytest.raises(fonts.FontCacheError, match=r"R57_FONT_CACHE='fonts-here' is a relative path; give an absolute"):
        fonts.subset_woff("DejaVuSans.ttf", CHARS)
    fonts.subset_woff.cache_clear()
