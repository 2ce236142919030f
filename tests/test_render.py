"""Report fragments: every chart and table carries a title, a source and escaped text."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from analysis import i18n
from analysis.reports import render as report_module

HOSTILE = "<script>alert('x')</script> & \"quoted\""


@pytest.fixture()
def report():
    return report_module


@pytest.fixture()
def shown(monkeypatch, report):
    out: list[str] = []
    monkeypatch.setattr(report, "_display_html", out.append)
    return out


def test_a_figure_escapes_every_text_and_keeps_the_image(shown, report):
    r = report.Report()
    fig = Figure()
    fig.add_subplot().plot([1, 2], [3, 4])
    r.figure(fig, chart_id="c1", title=HOSTILE, alt=HOSTILE, source=HOSTILE, note=HOSTILE)
    [html] = shown
    assert "<script>" not in html
    assert html.count("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &#34;quoted&#34;") == 4
    assert html.startswith('<figure class="r57-figure" id="c1"><img src="data:image/svg+xml;base64,')
    assert r.charts == [{"id": "c1", "title": HOSTILE, "alt": HOSTILE, "source": HOSTILE}]


def test_importing_the_module_fixes_no_matplotlib_backend():
    """run-all's workers import this package to export pages: pyplot must not come with it."""
    import subprocess
    import sys

    code = "import sys, analysis.reports.render; print('matplotlib.pyplot' in sys.modules, 'seaborn' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_the_house_style_applies_without_seaborn_or_scipy():
    """setup_plotting sets the house sheet (whitegrid: a light grid under the data; the colorblind palette; the
    one-letter colour codes) and imports neither seaborn nor the scipy.stats it would bring."""
    import subprocess
    import sys

    code = """
import sys, matplotlib, matplotlib.colors as mc
from analysis.reports import render
render.setup_plotting()
rc = matplotlib.rcParams
print(rc["axes.grid"], rc["axes.axisbelow"], mc.to_hex(rc["axes.prop_cycle"].by_key()["color"][0]), mc.to_hex("b"),
      "seaborn" in sys.modules or "scipy.stats" in sys.modules)
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    # the colorblind palette's blue, for the cycle and for 'b' (seaborn's set_color_codes), written by hand
    assert out.stdout.split() == ["True", "True", "#0173b2", "#0173b2", "False"]


def test_a_table_escapes_its_caption_and_cells_but_not_its_own_markup(shown, report):
    r = report.Report(results_path="x/results.json")
    df = pd.DataFrame({"a": [1.0, None], "b": [HOSTILE, "ok"]})
    r.table(df, table_id="t1", title=HOSTILE, source="GSO", formats={"a": lambda v: i18n.fmt.num(v, 1)}, index=False)
    [html] = shown
    assert "<script>" not in html and "<table" in html and "<td>1.0</td>" in html
    assert 'href="tables/t1.csv" download' in html  # written by the runner, so linked


def test_a_table_shown_interactively_links_no_csv(shown, report):
    report.Report().table(pd.DataFrame({"a": [1]}), table_id="t", title="T", source="S")
    assert "tables/t.csv" not in shown[0]


def test_the_footer_lists_parameters_and_data_files_escaped(shown, report):
    prov = {
        "code_version": {"package": "0.1", "commit": "abc", "dirty": True},
        "run_at_utc": "2026-11-23T10:00",
        "data_manifest_version": "v1",
        "libraries": {"pandas": "2.2"},
        "data_versions": {"vn_gdp.csv": "12ab"},
    }
    report.Report().footer({"title": HOSTILE, "year": 2030}, prov, {"vn_gdp.csv": "GDP & prices"})
    [html] = shown
    assert "<script>" not in html and "(with uncommitted changes)" in html
    assert "<td><code>year</code></td><td>2030</td>" in html
    assert (
        "<td><code>data/raw/vn_gdp.csv</code></td><td><code>sha256 12ab…</code></td><td>GDP &amp; prices</td>" in html
    )


def test_a_table_has_a_caption_inside_it_and_scoped_header_cells(shown, report):
    r = report.Report(results_path="x/results.json")
    df = pd.DataFrame({"share, %": [1.5, 2.25]}, index=pd.Index(["linear", "back-loaded"], name="path shape"))
    r.table(df, table_id="t2", title=HOSTILE, source="GSO")
    [html] = shown
    assert html.count("<caption") == 1 and html.index("<table") < html.index("<caption") < html.index("<thead")
    assert "&lt;script&gt;" in html.split("<caption", 1)[1].split("</caption>", 1)[0]  # title escaped in it
    head = html.split("<thead>", 1)[1].split("</thead>", 1)[0]
    assert head.count("<th") == head.count('<th scope="col"') == 2  # the index column and the value column
    assert "<th>" not in html


def test_row_headers_of_an_unnamed_index_are_scoped_rows(shown, report):
    report.Report().table(pd.DataFrame({"a": [1]}, index=["first"]), table_id="t", title="T", source="S")
    body = shown[0].split("<tbody>", 1)[1]
    assert '<th scope="row">first</th>' in body


def test_float_columns_get_one_format_each_and_missing_values_are_blank(shown, report):
    # 6640.1 and 66.4 in one column: both with 2 decimals and a thousands separator, never 6.64e+03 / 6.6e+01;
    # a NaN is an empty cell, never 'nan'
    df = pd.DataFrame({"x": [6640.1, 66.4, float("nan")], "rank": [3.0, 41.0, float("nan")], "y": [0.1234, 0.5, 0.0]})
    report.Report().table(df, table_id="t", title="T", source="S", index=False)
    html = shown[0]
    assert "<td>6,640.10</td>" in html and "<td>66.40</td>" in html
    assert "<td>3</td>" in html and "<td>0.123</td>" in html
    assert "nan<" not in html.lower() and "e+" not in html and html.count("<td></td>") == 2


def test_year_columns_are_not_written_with_a_thousands_separator(shown, report):
    df = pd.DataFrame({"first year": [2026.0, float("nan")], "count": [1204.0, 3.0]})
    report.Report().table(df, table_id="t", title="T", source="S", index=False)
    assert "<td>2026</td>" in shown[0] and "<td>1,204</td>" in shown[0]


def test_csvs_of_a_report_have_fixed_decimals(tmp_path, report):
    r = report.Report(results_path=str(tmp_path / "results.json"))
    r.tables["path"] = pd.DataFrame(
        {"gerd_vnd_bn": [float(np.nextafter(476.3, 1000.0))]}, index=pd.Index([2026], name="year")
    )
    r.save({"provenance": {}})
    assert (tmp_path / "tables" / "path.csv").read_text() == "year,gerd_vnd_bn\n2026,476.3\n"


@pytest.mark.parametrize(("lo", "hi"), [(40, 90), (1, 1000), (0.05, 3)])
def test_log_axes_have_plain_tick_labels(report, lo, hi):
    # a GII-like axis from 40 to 90 spans less than a decade: matplotlib labels its minor ticks 6x10^1
    fig = Figure()
    ax = fig.add_subplot()
    ax.plot([lo, hi], [lo, hi])
    ax.set(xscale="log", yscale="log")
    report.plain_log_ticks(ax)
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig).draw()
    labels = [t.get_text() for t in ax.yaxis.get_majorticklabels() + ax.yaxis.get_minorticklabels()]
    shown = [t for t in labels if t]
    assert shown, labels
    assert not any("times" in t or "^" in t or "\\" in t or "$" in t for t in shown), shown
    if (lo, hi) == (40, 90):
        assert "60" in shown


def test_headers_in_words_while_the_csv_keeps_the_column_names(tmp_path, shown, report):
    r = report.Report(results_path=str(tmp_path / "results.json"))
    df = pd.DataFrame({"mae_places": [1.25], "naive_coverage_pct": [80.0], "share, %": [0.5]})
    r.table(df, table_id="bt", title="T", source="S", index=False, labels={"mae_places": "mean absolute error, places"})
    head = shown[0].split("</thead>", 1)[0]
    assert ">mean absolute error, places</th>" in head and ">naive coverage pct</th>" in head
    assert ">share, %</th>" in head and "_" not in head.split("<thead>", 1)[1]
    r.save({})
    assert (tmp_path / "tables" / "bt.csv").read_text().splitlines()[0] == 'mae_places,naive_coverage_pct,"share, %"'


def test_every_report_page_links_back_to_the_site_index():
    import nbformat

    from analysis.run.runner import export_html

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# A report")])
    html = export_html(nb, "A report")
    nav = html.split("<nav", 1)[1].split("</nav>", 1)[0]
    assert 'class="r57-nav"' in nav and '<a href="../index.html">' in nav and "All reports" in nav
    assert (
        html.index("<main") < html.index("<nav") < html.index('<div class="jp-Cell')
    )  # in the page column, before the first cell


def test_a_format_may_be_a_function_that_changes_what_is_shown_not_the_csv(tmp_path, shown, report):
    r = report.Report(results_path=str(tmp_path / "results.json"))
    r.table(
        pd.DataFrame({"method": ["drift_rank"]}),
        table_id="m",
        title="T",
        source="S",
        index=False,
        formats={"method": lambda v: v.replace("_", " in ")},
    )
    assert "<td>drift in rank</td>" in shown[0]
    r.save({})
    assert (tmp_path / "tables" / "m.csv").read_text() == "method\ndrift_rank\n"


@pytest.mark.parametrize("layout", ["constrained", "compressed", "tight", None])
def test_a_chart_is_the_svg_savefig_writes(report, layout):
    # fig_to_b64 lays a constrained figure out itself so that savefig draws once: the bytes must be savefig's own
    import base64
    import io

    from matplotlib import rc_context

    from analysis.reports.fonts import embed_svg_font

    def chart() -> Figure:
        fig = Figure(figsize=(8, 4.5), layout=layout)
        left, right = fig.subplots(1, 2)
        left.plot([2020, 2025, 2030], [0.4, 1.1, 2.0], label="Mức chi R&D, % GDP")
        left.set(title="A long title that needs room", xlabel="year", ylabel="% of GDP")
        left.legend(loc="best")
        image = right.imshow(np.arange(12.0).reshape(3, 4))
        fig.colorbar(image, ax=right, label="value")
        right.set_yscale("log")
        report.plain_log_ticks(right)
        fig.suptitle("Bold heading")
        return fig

    expected = io.BytesIO()
    with rc_context({"svg.hashsalt": "r57"}):  # as setup_plotting: element ids the same in both
        chart().savefig(expected, format="svg", dpi=report.PNG_DPI, metadata={"Date": None})
        got = base64.b64decode(report.fig_to_b64(chart())).decode("utf-8")
    assert got == embed_svg_font(expected.getvalue().decode("utf-8"))


def test_the_house_style_puts_titles_where_matplotlib_would():
    # setup_plotting fixes titles at the top of their axes (axes.titley 1.0), which spares matplotlib re-measuring every
    # axis to place them: the bytes must be those of its automatic placement (titley None) for charts as the reports
    # draw them (tick labels below, a legend, a suptitle, an offset-free log axis beside)
    import io

    from matplotlib import rc_context

    def svg(titley: float | None) -> str:
        with rc_context({"svg.hashsalt": "r57", "axes.titley": titley}):
            fig = Figure(figsize=(8, 4.5), layout="constrained")
            left, right = fig.subplots(1, 2)
            left.plot([2020, 2025, 2030], [0.4, 1.1, 2.0], label="Mức chi R&D, % GDP")
            left.set(title="A long title that needs room", xlabel="year", ylabel="% of GDP")
            left.legend(loc="best")
            right.plot([1, 10, 100], [3, 2, 1])
            right.set(title="Rank", yscale="log")
            right.invert_yaxis()
            fig.suptitle("Bold heading")
            buf = io.BytesIO()
            fig.savefig(buf, format="svg", metadata={"Date": None})
        return buf.getvalue().decode("utf-8")

    assert svg(1.0) == svg(None)


def test_the_footer_s_version_names_no_commit_but_the_tree_s(monkeypatch):
    """An editable install keeps the version it was installed with, local part and all ('0.1.1.dev9+g1eafa59');
    the footer once printed that hash beside the tree's own commit. Only the commit names the code."""
    from analysis.reports import provenance

    monkeypatch.setattr(provenance, "__version__", "0.1.1.dev9+g1eafa5940")
    provenance.code_version.cache_clear()
    try:
        v = provenance.code_version()
        assert v["package"] == "0.1.1.dev9" and "g1eafa59" not in provenance.code_version_label()
    finally:
        provenance.code_version.cache_clear()
