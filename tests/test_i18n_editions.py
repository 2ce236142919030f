"""Both editions from one execution: what a notebook shows carries every language (render.both), and the
exporter keeps one edition's (runner.select_edition). Worked without a kernel: IPython's display is caught."""

from __future__ import annotations

import nbformat
import pandas as pd
import pytest

from analysis import i18n
from analysis.errors import R57Error
from analysis.reports import render
from analysis.run import runner


@pytest.fixture()
def displayed(monkeypatch):
    import IPython.display

    out: list[dict] = []
    monkeypatch.setattr(IPython.display, "display", lambda data, raw=False: out.append(data))
    return out


def test_both_publishes_one_bundle_per_output_with_a_mime_type_per_language(displayed):
    calls = []

    def show():
        calls.append(i18n.current())
        render.md(i18n.fmt.pct(0.41))
        render._display_html(f"<p>{i18n.fmt.num(1234.5, 1)}</p>")

    render.both(show)
    assert calls == ["en", "vi"]  # one call per language, English first
    assert displayed == [
        {"text/markdown": "0.41%", "text/vnd.r57.vi+markdown": "0,41%"},
        {"text/html": "<p>1,234.5</p>", "text/vnd.r57.vi+html": "<p>1.234,5</p>"},
    ]
    assert i18n.current() == "en"


def test_md_of_a_function_is_shown_in_both_languages_and_nested_both_calls_once(displayed):
    render.md(lambda: i18n.fmt.pct(2))
    render.both(lambda: render.md(lambda: i18n.fmt.num(1.5, 2)))  # md(function) inside both(): no second loop
    assert displayed == [
        {"text/markdown": "2.00%", "text/vnd.r57.vi+markdown": "2,00%"},
        {"text/markdown": "1.50", "text/vnd.r57.vi+markdown": "1,50"},
    ]


def test_a_display_that_depends_on_the_language_is_refused(displayed):
    def show():
        if i18n.current() == "en":
            render.md("only in English")

    with pytest.raises(R57Error, match="must not depend on the language"):
        render.both(show)
    assert displayed == []


def notebook(*outputs):
    cell = nbformat.v4.new_code_cell("show()")
    cell.outputs = [nbformat.v4.new_output("display_data", data=d) for d in outputs]
    return nbformat.v4.new_notebook(cells=[cell])


def test_select_edition_keeps_the_editions_own_type_under_the_plain_name():
    nb = notebook({"text/html": "<p>0.41%</p>", "text/vnd.r57.vi+html": "<p>0,41%</p>"}, {"image/png": "AAAA"})
    vi = runner.select_edition(nb, "vi", strict=True)
    en = runner.select_edition(nb, "en", strict=True)
    assert [o.data for o in vi.cells[0].outputs] == [{"text/html": "<p>0,41%</p>"}, {"image/png": "AAAA"}]
    assert [o.data for o in en.cells[0].outputs] == [{"text/html": "<p>0.41%</p>"}, {"image/png": "AAAA"}]
    assert "text/vnd.r57.vi+html" in nb.cells[0].outputs[0].data  # the executed notebook is left as it was


def test_an_output_in_one_language_only_stops_the_export_naming_its_cell():
    nb = notebook({"text/html": "<p>English only</p>"})
    with pytest.raises(R57Error, match=r"cell 0 \(show\(\)\) shows an output with no vi edition"):
        runner.select_edition(nb, "vi")
    # an edition already selected is left as it is when selected again (the exporter's second look)
    vi = runner.select_edition(notebook({"text/html": "<p>en</p>", "text/vnd.r57.vi+html": "<p>vi</p>"}), "vi")
    assert runner.select_edition(vi, "vi", strict=False).cells[0].outputs[0].data == {"text/html": "<p>vi</p>"}


def test_edition_mime_types_round_trip():
    assert i18n.edition_mime("html", "en") == "text/html"
    assert i18n.edition_mime("html", "vi") == "text/vnd.r57.vi+html"
    assert i18n.mime_edition("text/vnd.r57.vi+markdown") == ("vi", "markdown")
    assert i18n.mime_edition("text/html") is None
    with pytest.raises(i18n.LanguageError):
        i18n.edition_mime("html", "fr")


def test_a_table_shown_in_both_languages_writes_each_editions_csvs(tmp_path, displayed):
    report = render.Report(results_path=str(tmp_path / "results.json"))
    df = pd.DataFrame({"share_pct": [0.415], "status": ["off track"]})
    render.both(
        lambda: report.table(
            df, table_id="t", title=i18n._("status"), source="S", index=False, labels={"status": i18n._("status")}
        )
    )
    saved = report.save({"provenance": {}})
    assert saved["tables"] == [{"id": "t", "title": "status", "source": "S", "csv": "t.csv"}]  # listed once
    assert sorted(p.name for p in (tmp_path / "tables").iterdir()) == ["t.csv", "tables.xlsx"]  # English: as before
    assert (tmp_path / "tables" / "t.csv").read_bytes() == b"share_pct,status\n0.4150,off track\n"
    vi = tmp_path / "editions" / "vi" / "tables"
    assert sorted(p.name for p in vi.iterdir()) == ["t.csv", "tables.xlsx"]  # one CSV per table, in Vietnamese
    with i18n.language("vi"):
        status_vi, off_track_vi = i18n._("status"), i18n.pgettext("target status", "off track")
    assert (vi / "t.csv").read_bytes() == f"\ufeffshare pct,{status_vi}\n0.4150,{off_track_vi}\n".encode()
    [bundle] = displayed
    assert "0.415" in bundle["text/html"] and "0,415" in bundle["text/vnd.r57.vi+html"]
