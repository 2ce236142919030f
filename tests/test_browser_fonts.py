"""Vietnamese text in a real headless Chromium: every text node of a Vietnamese report page, and every
text of its chart, is drawn with the font embedded in the page (no fallback to a font of the machine,
which is what a missing glyph looks like), read back over the DevTools protocol with
``CSS.getPlatformFontsForNode``; a screenshot is kept in the test's folder as evidence.
Skipped, saying why, only where no browser is installed."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import pytest

import vi_sample
from analysis.reports import fonts
from browser_page import Page, needs_chromium

pytestmark = needs_chromium
SKIP_PARENTS = {"head", "style", "script", "title", "noscript", "template"}


class Tab(Page):
    """One headless Chromium tab (:class:`browser_page.Page`) that also reads the fonts a text is drawn with."""

    def __init__(self, tmp: Path):
        super().__init__("about:blank", tmp)
        for domain in ("Page", "DOM", "CSS", "Runtime"):
            self.call(f"{domain}.enable")
        self.call("Emulation.setDeviceMetricsOverride", width=1100, height=1400, deviceScaleFactor=1, mobile=False)

    def fonts_of_text(self) -> list[tuple[str, list[dict]]]:
        """(text, platform fonts) for every element with text of its own in the open document."""
        root = self.call("DOM.getDocument", depth=-1, pierce=True)["root"]
        found: list[tuple[str, list[dict]]] = []

        def walk(node: dict, skip: bool) -> None:
            name = node.get("nodeName", "").lower()
            skip = skip or name in SKIP_PARENTS
            text = "".join(c.get("nodeValue", "") for c in node.get("children", []) if c.get("nodeType") == 3)
            if not skip and node.get("nodeType") == 1 and text.strip():
                used = self.call("CSS.getPlatformFontsForNode", nodeId=node["nodeId"])["fonts"]
                found.append((text, used))
            for child in node.get("children", []) + ([node["contentDocument"]] if "contentDocument" in node else []):
                walk(child, skip)

        walk(root, False)
        return found

    def screenshot(self, path: Path) -> Path:
        data = self.call("Page.captureScreenshot", format="png", captureBeyondViewport=True)["data"]
        path.write_bytes(base64.b64decode(data))
        return path


@pytest.fixture()
def tab(tmp_path):
    t = Tab(tmp_path)
    yield t
    t.close()


def _not_embedded(found: list[tuple[str, list[dict]]]) -> list[str]:
    """Texts drawn (wholly or partly) by a font other than the embedded subsets (named R57 Sans and R57
    Mono inside the font files, so a DejaVu Sans installed on the machine does not pass for them)."""
    return [
        f"{text.strip()[:60]!r}: {[(f['familyName'], f['isCustomFont']) for f in used]}"
        for text, used in found
        if any(not f["isCustomFont"] or f["familyName"] not in (fonts.FAMILY, fonts.MONO_FAMILY) for f in used)
    ]


def test_every_vietnamese_text_of_a_report_page_is_drawn_with_the_embedded_font(tab, tmp_path):
    page = vi_sample.build(tmp_path / "vi")
    assert fonts.missing_glyphs(page.read_text(encoding="utf-8")) == []
    tab.open(page.as_uri())
    found = tab.fonts_of_text()
    drawn = [(text, used) for text, used in found if used]
    shown = " ".join(text for text, _ in drawn)
    # the page's Vietnamese text was drawn (not hidden), headings and table included
    assert vi_sample.SENTENCE.split(":")[1].strip()[:30] in shown
    for word in ("Các chỉ tiêu chính", "Khu vực ngoài nhà nước", "0,41%", "Tổng cục Thống kê"):
        assert word in shown, word
    assert len(drawn) >= 15, drawn
    assert _not_embedded(drawn) == []
    shot = tab.screenshot(tmp_path / "vi-report.png")
    assert shot.stat().st_size > 20_000  # a page of text and a chart, not a blank one


def test_a_chart_inside_an_img_uses_its_own_embedded_font(tab, tmp_path):
    page = vi_sample.build(tmp_path / "vi")
    html = page.read_text(encoding="utf-8")
    svg = fonts.page_text(html).charts[0]
    assert fonts.missing_glyphs_svg(svg) == []
    assert "0,5" in svg or "0,41" in svg or re.search(r">\d,\d<", svg), "Vietnamese tick labels (decimal comma)"

    # 1. the chart as a document of its own: every text drawn with the chart's embedded font
    standalone = tmp_path / "chart.svg"
    standalone.write_text(svg, encoding="utf-8")
    tab.open(standalone.as_uri())
    found = [(text, used) for text, used in tab.fonts_of_text() if used]
    assert any(vi_sample.CHART_TITLE in text for text, _ in found)
    assert len(found) >= 8 and _not_embedded(found) == []
    tab.screenshot(tmp_path / "vi-chart.png")

    # 2. inside an <img> (where the page's fonts do not reach): with the page's fallbacks replaced by
    # monospace, the chart must still look different from the same chart without its embedded font
    tab.open(page.as_uri())
    differs = tab.js(
        """(async () => {
      const img = document.querySelector('figure img');
      const b64 = img.src.split(',')[1];
      const svg = new TextDecoder().decode(Uint8Array.from(atob(b64), c => c.charCodeAt(0)));
      const mono = svg.split(FALLBACK).join('monospace');
      const bare = mono.replace(/<style id="r57-fonts"[^]*?<\\/style>/, '');
      const enc = s => 'data:image/svg+xml;base64,' + btoa(String.fromCharCode(...new TextEncoder().encode(s)));
      const pixels = async (src) => {
        const im = new Image(); im.src = src; await im.decode();
        await new Promise(r => setTimeout(r, 300));
        const c = document.createElement('canvas'); c.width = im.naturalWidth; c.height = im.naturalHeight;
        const g = c.getContext('2d'); g.drawImage(im, 0, 0);
        return g.getImageData(0, 0, c.width, c.height).data;
      };
      const a = await pixels(enc(mono)), b = await pixels(enc(bare));
      let n = 0; for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) n++;
      return {bare: bare.length < mono.length, differing: n};
    })()""".replace("FALLBACK", json.dumps(fonts.FALLBACK)),
        await_promise=True,
    )
    assert differs["bare"], "the chart has no embedded font block to remove"
    assert differs["differing"] > 1000, differs


def test_every_text_of_an_index_with_vietnamese_titles_is_drawn_with_the_embedded_font(tab, tmp_path):
    from analysis.run import site
    from analysis.run.catalogue import Scenario

    scenario = Scenario(
        name="rd-vi",
        path=tmp_path / "rd-vi.yaml",
        notebook="rd_paths",
        title="Lộ trình chi cho nghiên cứu và phát triển",
        description="Kịch bản cơ sở: tổng chi quốc gia cho R&D đạt 2% GDP năm 2030",
        parameters={"lang": "vi"},
    )
    page = tmp_path / "index.html"
    page.write_text(fonts.embed_page_font(site.render_index([scenario], {})), encoding="utf-8")
    assert fonts.missing_glyphs(page.read_text(encoding="utf-8")) == []
    tab.open(page.as_uri())
    drawn = [(text, used) for text, used in tab.fonts_of_text() if used]
    shown = " ".join(text for text, _ in drawn)
    assert "Lộ trình chi cho nghiên cứu" in shown and "Kịch bản cơ sở" in shown
    assert _not_embedded(drawn) == []
    assert tab.screenshot(tmp_path / "vi-index.png").stat().st_size > 5_000


@pytest.mark.notebook
def test_the_real_vietnamese_tracker_is_drawn_with_the_embedded_font_only(tab, tmp_path, report_build):
    """The page advisers forward most, as `make reports` writes it: every text node drawn by R57 Sans."""
    result = report_build("resolution_targets")["vi"]  # the session's build, shared with the tests that read it
    page = result.run_dir / "report.html"
    html = page.read_text(encoding="utf-8")
    assert '<html lang="vi">' in html
    assert fonts.missing_glyphs(html) == []
    tab.open(page.as_uri())
    drawn = [(text, used) for text, used in tab.fonts_of_text() if used]
    shown = " ".join(text for text, _ in drawn)
    assert "Nghị quyết" in shown and ("đúng tiến độ" in shown.lower() or "chậm tiến độ" in shown.lower())
    assert len(drawn) >= 100, len(drawn)
    assert _not_embedded(drawn) == []
    tab.screenshot(tmp_path / "vi-tracker.png")
