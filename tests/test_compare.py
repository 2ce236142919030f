"""``r57 compare``: scenarios side by side from their results.json; the site's comparison pages."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from analysis import cli, paths
from analysis.reports import params, provenance
from analysis.reports.rd_paths import RdData, run
from analysis.run import compare

SCENARIOS = {  # name -> parameters, as in a catalogue
    "rd-baseline": {},
    "rd-2035": {"target_year": 2035, "path_shape": "logistic"},
    "rd-fast": {"real_gdp_growth_pct": 8.0},
    "rd-private": {"nonstate_share_target_pct": 80.0},
    "rd-big-envelope": {"science_budget_share_pct": 5.0},
}


def results_for(given: dict, data: RdData) -> dict:
    """results.json as notebooks/01_rd_paths.ipynb writes it (same keys, same path records)."""
    resolved, path, summary = run(params.validate("rd_paths", given), data)
    cols = [
        "share_pct",
        "gdp_vnd_bn",
        "gdp_usd_bn",
        "gerd_vnd_bn",
        "gerd_usd_bn",
        "nonstate_share_pct",
        "state_gerd_vnd_bn",
        "nonstate_gerd_vnd_bn",
        "envelope_vnd_bn",
        "state_gerd_pct_budget",
    ]
    return json.loads(
        json.dumps(
            {
                "report": "rd_paths",
                "parameters": resolved.params,
                **summary,
                "notes": list(resolved.notes),
                "path": [
                    {
                        "year": int(y),
                        **{c: float(r[c]) for c in cols},
                        "gdp_observed": bool(r.gdp_observed),
                        "fits_envelope": bool(r.fits_envelope),
                    }
                    for y, r in path.iterrows()
                ],
                "provenance": provenance.provenance_record(["vn_gerd.csv", "vn_gdp.csv", "vn_state_budget.csv"]),
                "charts": [],
                "tables": [],
            },
            default=lambda o: o.item() if hasattr(o, "item") else str(o),
        )
    )


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("reports")
    data = RdData.load()
    for name, given in SCENARIOS.items():
        (root / name).mkdir()
        (root / name / "results.json").write_text(json.dumps(results_for(given, data)))
        (root / name / "report.html").write_text("<html><body>report</body></html>")
    return root


def _cells(html: str, attr: str, key: str) -> list[str]:
    row = re.search(rf'<tr {attr}="{re.escape(key)}">(.*?)</tr>', html, re.S).group(1)
    return [re.sub(r"<[^>]+>", " ", c).split() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]


def test_compare_two_scenarios(reports, tmp_path):
    page = compare.write_compare(["rd-baseline", "rd-2035"], tmp_path / "out", reports)
    html = page.read_text()
    runs = compare.load_runs(["rd-baseline", "rd-2035"], reports)
    a, b = runs[0].results, runs[1].results
    # key figure with its difference against the first: 38.2 and 18.x, so "−19.x" under the second
    cells = _cells(html, "data-key", "gerd_nominal_cagr_pct")
    assert cells[0] == [f"{a['gerd_nominal_cagr_pct']:.1f}"]
    diff = b["gerd_nominal_cagr_pct"] - a["gerd_nominal_cagr_pct"]
    assert cells[1] == [f"{b['gerd_nominal_cagr_pct']:.1f}", f"−{abs(diff):.1f}"]
    # only the parameters that differ are tabled
    differ = re.findall(r'data-param="([^"]+)"', html)
    assert sorted(differ) == ["path_shape", "target_year"]
    assert _cells(html, "data-param", "target_year") == [["2030"], ["2035"]]
    # paths overlaid: one polyline per scenario per chart; the 2035 run has years the baseline lacks (a gap, not 0)
    charts = re.findall(r"<svg.*?</svg>", html, re.S)
    assert len(charts) == 4 and all(c.count("<polyline") == 2 for c in charts)
    assert f"{a['path'][0]['year']}-2035" in charts[0]
    # self-contained: nothing fetched, links relative and resolving
    assert not re.search(r'(src|href)="(https?:)?//', html) and "<script" not in html
    for href in re.findall(r'href="([^"]+)"', html):
        assert (page.parent / href).resolve().exists(), href
    assert "About this page" in html and a["provenance"]["code_version"]["commit"] in html


def test_compare_five_scenarios(reports, tmp_path, capsys):
    names = list(SCENARIOS)
    assert cli.main(["compare", *names, "--output-dir", str(tmp_path), "--reports-dir", str(reports)]) == 0
    assert "comparison written to" in capsys.readouterr().out
    html = (tmp_path / "compare.html").read_text()
    assert html.count("<th>") >= 5 and all(f"<code>{n}</code>" in html for n in names)
    # the five set by hand; nothing rd_paths resolves from the data depends on them (budget expenditure is the
    # mean of the latest budget years over official GDP, the envelope's R&D part a parameter)
    assert sorted(re.findall(r'data-param="([^"]+)"', html)) == sorted(
        [
            "target_year",
            "path_shape",
            "real_gdp_growth_pct",
            "nonstate_share_target_pct",
            "science_budget_share_pct",
        ]
    )
    charts = re.findall(r"<svg.*?</svg>", html, re.S)
    assert all(c.count("<polyline") == 5 for c in charts)
    # the first scenario is the reference: every difference column compares against it
    cells = _cells(html, "data-key", "consistency_envelope_pct_at_floor")
    assert len(cells) == 5 and len(cells[0]) == 1 and all(len(c) == 2 for c in cells[1:])
    # a bigger envelope (5% instead of 3%): the state's share of it at the 60% floor falls to 3/5 of the baseline's
    runs = {r.name: r.results for r in compare.load_runs(names, reports)}
    assert runs["rd-big-envelope"]["consistency_envelope_pct_at_floor"] == pytest.approx(
        runs["rd-baseline"]["consistency_envelope_pct_at_floor"] * 3 / 5
    )
    # the baseline: 0.8% of GDP against 3% of 19.42% of GDP, 137% of the whole envelope
    assert runs["rd-baseline"]["consistency_envelope_pct_at_floor"] == pytest.approx(
        0.8 / (0.03 * 19.421) * 100, rel=1e-4
    )


def test_compare_refuses_what_it_cannot_compare(reports, tmp_path, capsys):
    assert cli.main(["compare", "rd-baseline", "--reports-dir", str(reports)]) == 1
    assert "at least two" in capsys.readouterr().err
    assert cli.main(["compare", "rd-baseline", "rd-missing", "--reports-dir", str(reports)]) == 1
    assert "no results for 'rd-missing'" in capsys.readouterr().err
    other = tmp_path / "rank-x"
    other.mkdir()
    (other / "results.json").write_text(json.dumps({"report": "ecosystem_rankings", "latest_rank": 55}))
    with pytest.raises(compare.CompareError, match="different reports"):
        compare.load_runs(["rd-baseline", str(other)], reports)
    assert not (reports / "compare").exists()


def test_site_comparisons_one_page_per_report_type(reports, monkeypatch, tmp_path):
    scen = tmp_path / "scenarios"
    scen.mkdir()
    for name, given in SCENARIOS.items():
        (scen / f"{name}.yaml").write_text(
            json.dumps({"notebook": "rd_paths", "title": name.title(), "parameters": given})
        )
    (scen / "rd-not-run.yaml").write_text('{"notebook": "rd_paths", "title": "never run"}')
    monkeypatch.setattr(paths, "SCENARIOS_DIR", scen)
    written = compare.site_comparisons(reports)
    assert written == [reports / "compare-rd_paths.html"]
    html = written[0].read_text()
    assert all(f"<code>{n}</code>" in html for n in SCENARIOS) and "rd-not-run" not in html
    assert "Rd-2035" in html  # titles from the catalogue
    assert 'href="rd-baseline/report.html"' in html  # relative to the site's root


def test_run_alls_site_step_writes_comparisons_and_the_index_links_them(reports, monkeypatch, tmp_path):
    from analysis.run import site
    from analysis.run.catalogue import load_catalogue

    scen = tmp_path / "scenarios"
    scen.mkdir()
    for name in ("rd-baseline", "rd-fast"):
        (scen / f"{name}.yaml").write_text(
            json.dumps({"notebook": "rd_paths", "title": name, "parameters": SCENARIOS[name]})
        )
    monkeypatch.setattr(paths, "SCENARIOS_DIR", scen)
    monkeypatch.setattr(paths, "REPORTS_DIR", reports)
    logged = []
    done = compare.publish_site_extras(log=logged.append)  # pdf=False: no browser needed
    assert done == {"comparisons": [reports / "compare-rd_paths.html"], "pdfs": []}
    index = site.render_index(load_catalogue()[0], {})
    assert '<a href="compare-rd_paths.html">All these scenarios side by side</a>' in index
    assert "report.pdf" not in index  # no PDF printed, none linked
    (reports / "rd-fast" / "report.pdf").write_bytes(b"%PDF-1.4")
    assert '<a href="rd-fast/report.pdf">PDF</a>' in site.render_index(load_catalogue()[0], {})
    (reports / "rd-fast" / "report.pdf").unlink()


def test_formats_and_differences():
    assert compare.fmt(12) == "12" and compare.fmt(2030) == "2030" and compare.fmt(1234567) == "1,234,567"
    assert (
        compare.fmt(38.2052) == "38.2"
        and compare.fmt(0.41456) == "0.415"
        and compare.fmt(float("nan")) == "not available"
    )
    assert compare.fmt_diff(134.88314061904617, 134.88314061904620) == "same"  # rounding noise
    assert compare.fmt_diff(25.5, 38.2) == "−12.7" and compare.fmt_diff(2035, 2030) == "+5"
    assert compare.fmt_diff(True, False) == "differs" and compare.fmt_diff(None, None) == "same"
