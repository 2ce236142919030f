"""The standalone explorer (`r57 explore`: Voila on localhost, opened at the address it prints, token
included) driven in a real headless Chromium over the DevTools protocol: a control is changed and the
updated figure read back; the comparison page's report and PDF links are followed. Skipped, saying why, only where no browser is installed."""

from __future__ import annotations

import json
import re
import subprocess

import pytest

from analysis.run import compare, explore, pdf
from browser_page import CHROMIUM, FLAGS, Page, needs_chromium
from voila_helper import explorer_server

pytestmark = pytest.mark.notebook

FIGURE = (
    "(() => { const r = document.querySelector('#r57-figures tr[data-key=\"{key}\"] td');"
    " return r ? r.textContent : null; })()"
)


@needs_chromium
def test_the_standalone_explorer_follows_a_control_in_a_real_browser(tmp_path, voila):
    ex = explore.Explorer()
    default = dict(explore.figure_rows(ex.compute({})))
    linear = dict(explore.figure_rows(ex.compute({"path_shape": "linear"})))
    label = explore.figure_label("max_gerd_growth_pct")
    assert default[label] != linear[label]  # the change must show in this figure
    page = Page(voila.url, tmp_path)
    try:
        key = "max_gerd_growth_pct"
        before = page.until(FIGURE.replace("{key}", key), 120, "the explorer's figures")
        assert before == default[label]
        assert page.js("document.querySelectorAll('svg.r57-chart polyline').length") >= 6
        assert page.js("document.querySelector('#map rect') !== null")
        # change the path-shape dropdown as a reader would (its choices in words; ipywidgets' option value
        # is the label)
        changed = page.js("""(() => {
            const s = [...document.querySelectorAll('select')].find(e => [...e.options].some(o => o.value === 'S-curve'));
            if (!s) return false;
            s.value = 'straight line'; s.dispatchEvent(new Event('change', {bubbles: true})); return true; })()""")
        assert changed, "no path-shape dropdown on the page"
        after = page.until(
            f"(v => v !== {json.dumps(before)} && v)({FIGURE.replace('{key}', key)})", 30, "the figure to update"
        )
        assert after == linear[label]
        # the charts are redrawn after the figures: wait for the chart itself
        page.until(
            "document.querySelector('svg#share').textContent.includes('linear path')", 30, "the chart to be redrawn"
        )
        # a refused setting: the command line's message, charts that say so, no crash
        page.js("""(() => { const i = [...document.querySelectorAll('.widget-text input')].find(e => e.value === '6.5');
                    i.value = 'fast'; i.dispatchEvent(new Event('change', {bubbles: true}));
                    i.dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter', bubbles: true})); })()""")
        status = page.until(
            "(t => t && t.includes('refused') && t)(document.querySelector('.r57-status').textContent)",
            30,
            "the refusal",
        )
        assert "parameter 'real_gdp_growth_pct'" in status
        # the three charts say so once redrawn (after the status line)
        page.until("document.body.textContent.split('No values to draw').length - 1 === 3", 30, "three empty charts")
    finally:
        page.close()


@needs_chromium
def test_the_explorer_starts_in_vietnamese_and_switches_to_english_keeping_the_settings(tmp_path):
    from analysis import i18n

    ex = explore.Explorer()
    key = "max_gerd_growth_pct"
    linear = ex.compute({"path_shape": "linear"})
    with i18n.language("vi"):
        default_vi = explore.figure_text(key, ex.compute({}).figures[key])
        linear_vi = explore.figure_text(key, linear.figures[key])
    linear_en = explore.figure_text(key, linear.figures[key])
    assert "," in default_vi and "." in linear_en  # a decimal comma in Vietnamese, a point in English
    title = "document.querySelector('.r57-explorer h2').textContent"
    with explorer_server(lang="vi") as server:
        page = Page(server.url, tmp_path)
        try:
            assert page.until(FIGURE.replace("{key}", key), 120, "the figures") == default_vi
            assert page.js(title).startswith("Công cụ khám phá lộ trình R&D")
            page.until(
                "document.title === 'Công cụ khám phá lộ trình R&D: cần gì để đạt mục tiêu'", 30, "the tab's title"
            )
            page.until(
                "document.querySelector('svg#share').textContent.includes('Nguồn:')", 30, "the chart in Vietnamese"
            )
            page.js("""(() => { const s = [...document.querySelectorAll('select')].find(e => [...e.options].some(
                          o => o.value === 'đường cong chữ S'));
                        s.value = 'đường thẳng';
                        s.dispatchEvent(new Event('change', {bubbles: true})); })()""")
            page.until(f"({FIGURE.replace('{key}', key)}) === {json.dumps(linear_vi)}", 30, "the figure to update")
            # the language selector, as a reader clicks it: everything redrawn in English, the setting kept
            assert page.js("""(() => { const b = [...document.querySelectorAll('button')].find(
                                 e => e.textContent.trim() === 'English'); if (!b) return false; b.click(); return true; })()""")
            page.until(f"{title}.startsWith('R&D path explorer')", 30, "the English page")
            # the tab's title follows the switch (it stayed in the language the server started in)
            page.until(f"document.title === {json.dumps(explore.TITLE)}", 30, "the tab's title in English")
            # the figures are redrawn after the heading: wait for the English value itself, not the first value
            # seen (the Vietnamese one may still be shown for a moment on a busy machine)
            page.until(f"({FIGURE.replace('{key}', key)}) === {json.dumps(linear_en)}", 30, "the figures in English")
            page.until(
                "document.querySelector('svg#share').textContent.includes('linear path')", 30, "the chart in English"
            )
            assert "Source:" in page.js("document.querySelector('svg#share').textContent")
        finally:
            page.close()


@needs_chromium
def test_the_comparison_page_links_reports_and_pdfs(tmp_path):
    from analysis.reports.rd_paths import RdData
    from test_compare import SCENARIOS, results_for

    data = RdData.load()
    reports = tmp_path / "reports"
    names = list(SCENARIOS)[:3]
    for name in names:
        (reports / name).mkdir(parents=True)
        (reports / name / "results.json").write_text(json.dumps(results_for(SCENARIOS[name], data)))
        (reports / name / "report.html").write_text(
            f"<html><head><title>{name}</title></head><body><h1>{name}</h1></body></html>"
        )
        pdf.html_to_pdf(reports / name / "report.html")
    page = compare.write_compare(names, reports, reports, "compare-rd_paths.html", pdf=True)
    dom = subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / 'p2'}", "--dump-dom", page.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout
    # four paths and the consistency curves (issue 22): one line per scenario in each of the five charts
    assert dom.count("<svg") == 5 and dom.count("<polyline") == 5 * len(names)
    hrefs = re.findall(r'href="([^"]+)"', dom)
    assert sorted(h for h in hrefs if h.endswith(".pdf")) == [f"{n}/report.pdf" for n in sorted(names)]
    pypdf = pytest.importorskip("pypdf")
    for h in hrefs:
        target = reports / h
        assert target.exists(), h
        if h.endswith(".pdf"):
            assert len(pypdf.PdfReader(str(target)).pages) == 1
    assert len(pypdf.PdfReader(str(page.with_suffix(".pdf"))).pages) >= 2
