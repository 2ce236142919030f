"""Notebooks executed end to end by papermill, under default and edge parameters.

Assertions are on what a reader gets: results.json, the charts, and an HTML page
with no code that loads nothing from the network.
"""

from __future__ import annotations

import ast
import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pandas as pd
import papermill as pm
import pytest

from analysis import cli, paths
from analysis.errors import NotebookExecutionError
from analysis.reports import fonts, params, registry
from analysis.run import ownership
from analysis.run.runner import run_report

pytestmark = pytest.mark.notebook

EXPECTED = {
    "rd_paths": {
        "keys": [
            "share_base_pct",
            "share_target_pct",
            "share_increase_pp",
            "share_cagr_pct",
            "gerd_real_cagr_pct",
            "gerd_nominal_cagr_pct",
            "gerd_target_vnd_bn",
            "gerd_target_usd_bn",
            "state_gerd_target_vnd_bn",
            "nonstate_gerd_target_vnd_bn",
            "state_gerd_pct_budget_target",
            "max_gerd_growth_pct",
            "start_status",
            "nowcast",
            "gap_to_date",
            "funding_readings",
            "nowcast_backtest",
            "consistency",
            "consistency_envelope_pct_at_floor",
            "budget_rule",
            "sensitivity",
            "title",
            "path",
        ],
        "charts": {"history", "share_paths", "gdp_path", "funding_split", "budget_envelope", "consistency", "tornado"},
    },
    "rd_feasibility": {
        "keys": [
            "required_increase_pp",
            "window_years",
            "windows_total",
            "share_of_windows_reaching_pct",
            "share_of_low_start_windows_reaching_pct",
            "max_observed_increase_pp",
            "max_observed_country",
            "max_observed_period",
            "structural_share_target_pct",
            "structural_share_target_lo_pct",
            "structural_share_target_hi_pct",
            "gerd_target_vnd_bn_p10",
            "gerd_target_vnd_bn_p50",
            "gerd_target_vnd_bn_p90",
            "prob_state_gerd_exceeds_envelope_pct",
            "economies_total",
            "economies_reaching",
            "low_start_economies_reaching",
            "windows_by_kind",
            "window_counts",
            "peers",
            "decomposition",
            "researchers_path",
            "economies_reaching_target_at_projected_income",
            "real_spending_per_researcher_growth_pct",
        ],
        "charts": {
            "windows_scatter",
            "windows_histogram",
            "peer_paths",
            "decomposition",
            "researchers",
            "structural",
            "fan_charts",
            "exceed_probability",
            "sweep",
        },
    },
    "ecosystem_rankings": {
        "keys": [
            "latest_edition",
            "latest_rank",
            "n_ranked_latest",
            "projected_rank",
            "projected_rank_lo",
            "projected_rank_hi",
            "prob_reach_target_pct",
            "required_places_per_year",
            "best_observed_places_per_year",
            "regional_rank_latest",
            "targets",
            "claims",
            "backtest",
            "projection_method",
            "backtest_coverage_pct",
        ],
        "charts": {"rank_trend", "backtest", "pace", "score_curve", "regional"},
    },
    "resolution_targets": {
        "keys": [
            "targets_total",
            "targets_on_track",
            "targets_needs_acceleration",
            "targets_off_track",
            "targets_not_measurable",
            "targets_without_period_data",
            "targets_without_data",
            "targets_off_track_windows_disagree",
            "status_rule",
            "tracker",
            "definitions",
            "backtests",
            "rd_paths_model",
            "claims",
        ],
        # T06, T09 and T10 have no observation for the target period (issue 23): no chart
        "charts": {f"target_{t}" for t in ("T01c", "T01d", "T04", "T07", "T14", "T15", "T18", "T19")},
    },
    "resolution_targets_edge": {
        "keys": ["targets_total", "tracker", "claims"],
        "charts": {f"target_{t}" for t in ("T01d", "T04", "T07", "T14", "T19")},
    },
}
PATH_KEYS = {
    "year",
    "share_pct",
    "gdp_vnd_bn",
    "gdp_usd_bn",
    "gerd_vnd_bn",
    "gerd_usd_bn",
    "state_gerd_vnd_bn",
    "nonstate_gerd_vnd_bn",
}


class ImgCollector(HTMLParser):
    """Collects the attributes of every <img> in a page."""

    def __init__(self):
        super().__init__()
        self.imgs: list[dict[str, str]] = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.imgs.append(dict(attrs))

    @classmethod
    def collect(cls, html: str) -> list[dict[str, str]]:
        parser = cls()
        parser.feed(html)
        return parser.imgs


def check_report_folder(run_dir: Path, report: str = "rd_paths") -> dict:
    """What every report folder must contain; returns results.json."""
    results = json.loads((run_dir / "results.json").read_text())
    expected = EXPECTED[report]
    for key in expected["keys"] + ["parameters", "provenance", "charts", "tables"]:
        assert key in results, key
    charts = expected["charts"]
    assert {c["id"] for c in results["charts"]} == charts
    assert all(c["alt"] and c["source"] for c in results["charts"])
    if report == "rd_paths":
        rows = results["path"]
        assert rows[0]["year"] == results["base_year"] and rows[-1]["year"] == results["target_year"]
        for row in rows:
            assert PATH_KEYS <= set(row)
            assert row["gerd_vnd_bn"] == pytest.approx(row["share_pct"] / 100 * row["gdp_vnd_bn"], rel=1e-9)
            assert row["state_gerd_vnd_bn"] + row["nonstate_gerd_vnd_bn"] == pytest.approx(row["gerd_vnd_bn"], rel=1e-9)
        assert rows[-1]["share_pct"] == pytest.approx(results["target_share_revised_pct"], rel=1e-12)
        # no year before the base year is on the path; the start is observed or estimated, the rest required
        assert rows[0]["status"] == ("observed" if results["start_status"] == "observed" else "estimate")
        assert all(r["status"] == "required" for r in rows[1:])
        assert all(r["gdp_status"] == ("official" if r["gdp_observed"] else "projected") for r in rows)
        assert rows[0]["gdp_observed"]  # the base year's GDP is official, as the table says
        assert all(r["status"] == "estimate" for r in results["nowcast"])
        assert {r["status"] for r in results["gap_to_date"]} <= {"observed", "estimate"}
        assert all(
            r["year"] < results["base_year"] or r["year"] == results["base_year"] for r in results["gap_to_date"]
        )
        assert str(results["target_year"]) in results["title"] and "2030" not in results["title"].replace(
            str(results["target_year"]), ""
        )
        sens = (run_dir / "tables" / "sensitivity.csv").read_text().splitlines()
        # rows that need the base year's budget data (the funding account) are left out where it has none
        assert len(sens) == 1 + len(results["sensitivity"]) and len(results["sensitivity"]) >= 7
    prov = results["provenance"]
    assert prov["data_versions"] and prov["code_version"]["package"]
    for table in results["tables"]:
        assert (run_dir / "tables" / table["csv"]).exists()
        header = (run_dir / "tables" / table["csv"]).read_text().splitlines()[0]
        assert not header.startswith(","), f"{table['csv']} has an unnamed index column"

    html = (run_dir / "report.html").read_text()
    # no code: every code cell is rendered without its input, and no highlighted source remains
    code_cells = re.findall(r'class="jp-Cell jp-CodeCell[^"]*"', html)
    assert code_cells and all("jp-mod-noInput" in c for c in code_cells)
    assert "hl-ipython3" not in html and not re.search(r"class=\"jp-InputPrompt", html)
    assert "import matplotlib" not in html and "P = params.validate" not in html
    # nothing loaded from the network
    assert not re.search(r"<(script|img|iframe)[^>]+src=[\"']?(https?:)?//", html, re.I)
    assert not re.search(r"<link[^>]+href=[\"']?(https?:)?//", html, re.I)
    assert not re.search(r"@import|url\([\"']?(https?:)?//", html, re.I)
    # every character a reader sees is in the font embedded in the page, or in its chart's own font; the
    # tracker's provenance note for T17 quotes a Chinese-language summary (data/raw/r57_targets.csv), which
    # DejaVu Sans cannot draw: those characters come from the reader's own fonts
    assert fonts.missing_glyphs(html) == []
    # every chart embedded, with its alt text
    imgs = ImgCollector.collect(html)
    assert len(imgs) == len(charts)
    assert all(i.get("src", "").startswith("data:image/svg+xml;base64,") and len(i.get("alt", "")) > 20 for i in imgs)
    assert "About this report" in html and "sha256" in html
    assert "Traceback" not in html
    nb = nbformat.read(run_dir / "notebook.ipynb", as_version=4)
    assert not any(o.get("output_type") == "error" for c in nb.cells for o in c.get("outputs", []))
    return results


def test_default_report(report_build):
    # the session's build, shared with the tests that read it (a CLI run is checked in test_failures)
    results = check_report_folder(report_build("rd_paths")["en"].run_dir)
    # the path starts from the 2025 nowcast, not the 2023 survey (worked by hand in test_rd_estimates)
    assert results["base_year"] == 2025 and results["start_status"] == "estimate"
    assert results["share_base_pct"] == pytest.approx(0.41456, abs=1e-9)  # the backtest's choice: flat share
    assert results["share_cagr_pct"] == pytest.approx(36.99, abs=0.01)
    # budget expenditure: the 2023-25 mean over official GDP (worked by hand in test_rd_estimates)
    assert results["parameters"]["budget_exp_pct_gdp"] == pytest.approx(19.4210, abs=1e-4)
    assert [r["year"] for r in results["path"] if r["gdp_observed"]] == [2025]
    assert results["path"][0]["gdp_vnd_bn"] == pytest.approx(12_847_600)
    assert results["gerd_base_vnd_bn"] == pytest.approx(53_261, rel=1e-4)  # 0.41456 % x 12,847,600
    # the headline consistency figure: 40% of 2% of GDP against 3% of 19.421% of GDP
    assert results["consistency_envelope_pct_at_floor"] == pytest.approx(0.8 / (0.03 * 19.421) * 100, rel=1e-4)
    assert {r["held_out"] for r in results["nowcast_backtest"]} == {2015, 2017, 2019, 2021, 2023}
    assert results["nowcast"][-1]["flag"] == "e" and results["path"][0]["flag"] == "e"
    assert [r["year"] for r in results["gap_to_date"]] == [2023, 2024, 2025]
    assert results["gap_to_date"][-1]["required_pct"] > results["gap_to_date"][-1]["share_pct"]  # behind already
    assert "by 2030" in results["title"]
    assert len(results["sensitivity"]) == 9


EDGE_CASES = {
    "ministry_2019_no_observed_gdp": {
        "gerd_series": "ministry",
        "base_year": 2019,
        "use_observed_gdp": False,
        "path_shape": "back_loaded",
        "back_loaded_exponent": 6,
        "nonstate_share_base_pct": 42.3,
        "envelope_rd_share_pct": 20.0,
    },
    "one_year_from_zero_nonstate": {
        "base_year": 2025,
        "base_share_pct": 0.5,
        "target_year": 2026,
        "path_shape": "linear",
        "nonstate_share_base_pct": 0.0,
        "nonstate_share_target_pct": 100.0,
        "budget_exp_pct_gdp": 60.0,
        "science_budget_share_pct": 0.0,
        "envelope_rd_share_pct": 100.0,
    },
    # and the rd-soe-funding scenario's setting: state-owned firms' own funds count as state
    "last_survey_2023_rising_floor_pre_revision_soe_funds_as_state": {
        "base_year": 2023,
        "target_gdp_basis": "pre_revision",
        "science_budget_share_pct": {2026: 3.5, 2028: 4.0},
        "nonstate_share_base_pct": 8.7,
        "nonstate_share_target_pct": 60.0,
        "soe_funds_as": "state",
    },
    # the back-loaded shape is run by the ministry case: this one takes the logistic shape and a growth map
    "low_nowcast_2024_logistic_2035_growth_map": {
        "base_year": 2024,
        "nowcast_level": "low",
        "target_year": 2035,
        "path_shape": "logistic",
        "logistic_steepness": 20,
        "real_gdp_growth_pct": {2026: 7.0, 2030: 5.0},
    },
}


@pytest.mark.parametrize("case", sorted(EDGE_CASES))
def test_edge_parameters(case, tmp_path):
    given = EDGE_CASES[case]
    result = run_report("rd_paths", given, tmp_path / case)
    results = check_report_folder(result.run_dir)
    for key, value in given.items():
        got = results["parameters"][key]
        assert got == ({str(k): v for k, v in value.items()} if isinstance(value, dict) else value)
    if case == "ministry_2019_no_observed_gdp":
        assert results["share_base_pct"] == pytest.approx(0.53 / 1.254)  # the ministry ratio on revised GDP
        assert [r["year"] for r in results["path"] if r["gdp_observed"]] == [2019]  # only the base year
    if case == "last_survey_2023_rising_floor_pre_revision_soe_funds_as_state":
        assert results["start_status"] == "observed" and results["gap_to_date"] == []
        assert results["path"][-1]["share_pct"] == pytest.approx(2 / 1.254)
        assert [r["science_budget_share_pct"] for r in results["path"]] == [3.5, 3.5, 3.5, 3.5, 3.5, 4.0, 4.0, 4.0]
        # the complement of state (budget and state-owned firms) is the non-state sector, not "non-budget"
        html = (result.run_dir / "report.html").read_text()
        assert "non-state sector share, %" in html and "the non-state sector&#39;s R&amp;D must" in html.replace(
            "&#x27;", "&#39;"
        ).replace("'", "&#39;")
        # (the consistency section stays by non-budget share: it compares budget-financed R&D with the envelope)
        assert "non-budget R&amp;D, bn VND" not in html and "With the non-budget share" not in html
    if case == "low_nowcast_2024_logistic_2035_growth_map":
        # the low end: the flat share 0.41456 minus its largest backtest error, |0.35629 - 0.41895| = 0.06266
        # (the 2017 survey nowcast from 2015): 0.35190, below every method (the 2017-23 trend gives 0.3984 for 2024)
        assert results["share_base_pct"] == pytest.approx(0.41456 - 0.06266, abs=1e-9)
        assert "by 2035" in results["title"] and results["path"][-1]["year"] == 2035
    if case == "one_year_from_zero_nonstate":
        assert results["nonstate_gerd_nominal_cagr_pct"] is None  # growth from zero is undefined
        # 2025 has budget data but no allocation found: not rated; in 2026 the state pays nothing, which fits
        assert results["envelope_years_not_rated"] == 1 and results["envelope_years_rated"] == 1
        assert results["envelope_fits_all_years"] is True and results["years_not_fitting"] == []


def test_failed_run_keeps_the_last_good_report(tmp_path, monkeypatch):
    nb_dir = tmp_path / "notebooks"
    shutil.copytree(paths.NOTEBOOKS_DIR, nb_dir)
    nb_path = nb_dir / "01_rd_paths.ipynb"
    nb = nbformat.read(nb_path, as_version=4)
    broken_at = 4
    nb.cells.insert(broken_at, nbformat.v4.new_code_cell("raise RuntimeError('deliberate failure for the test')"))
    nbformat.write(nb, nb_path)
    monkeypatch.setattr(paths, "NOTEBOOKS_DIR", nb_dir)

    out = tmp_path / "report"
    out.mkdir()
    (out / "report.html").write_text("last good report")
    ownership.seal(out)  # an earlier run's folder, recorded by r57
    with pytest.raises(NotebookExecutionError) as err:
        run_report("rd_paths", {}, out)
    # the index is the cell's position in the source notebook, not in papermill's output
    assert err.value.cell_index == broken_at
    assert "deliberate failure" in str(err.value) and str(out) in str(err.value)
    assert (out / "report.html").read_text() == "last good report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notebooks", "report", "report.failed"]
    error_txt = (tmp_path / "report.failed" / "error.txt").read_text()
    assert f"cell: {broken_at} " in error_txt and "RuntimeError" in error_txt and "raise RuntimeError" in error_txt


def test_bad_parameters_never_start_a_kernel(monkeypatch, capsys):
    def boom(*a, **k):  # pragma: no cover - reaching this is the failure
        raise AssertionError("a kernel was started for invalid parameters")

    monkeypatch.setattr(pm, "execute_notebook", boom)
    for argv, name in [
        (["run", "rd_paths", "-p", "target_year", "2020"], "target_year"),
        (["run", "rd_paths", "-p", "path_shape", "zigzag"], "path_shape"),
        (["run", "rd_paths", "-p", "base_year", "2012"], "base_year"),  # no survey and no nowcast for 2012
        (["run", "rd_paths", "-p", "bogus", "1"], "bogus"),
        (["run", "rd_paths", "-p", "real_gdp_growth_pct", "fast"], "real_gdp_growth_pct"),
    ]:
        assert cli.main(argv) == 2
        err = capsys.readouterr().err
        assert f"parameter '{name}'" in err and "allowed:" in err


def test_committed_notebooks_are_clean_and_match_the_parameter_specs():
    # the cell is generated from the spec: a parameter added, renamed or given a new default in one place fails
    stale = [n for n in registry.names() if _parameters_cell(n).source != params.parameters_cell(n)]
    assert not stale, (
        f"stale parameters cells: {', '.join(stale)}; rewrite each: `r57 params NAME --cell --write`. rd_feasibility "
        "takes every rd_paths parameter not listed in NOT_SHARED (src/analysis/reports/rd_feasibility.py)"
    )
    for name in registry.names():
        spec = params.notebook_spec(name)
        path = paths.NOTEBOOKS_DIR / spec.notebook
        nb = nbformat.read(path, as_version=4)
        assert nb.metadata["kernelspec"]["name"] == "r57"  # the project kernel: opens from any Jupyter
        assert all(not c.get("outputs") and c.get("execution_count") is None for c in nb.cells if c.cell_type == "code")
        declared = pm.inspect_notebook(str(path))
        assert set(declared) == set(spec.names()) | set(spec.internal)
        for p in spec.params:
            assert ast.literal_eval(declared[p.name]["default"]) == p.default, p.name


def _parameters_cell(name: str) -> nbformat.NotebookNode:
    nb = nbformat.read(paths.NOTEBOOKS_DIR / params.notebook_spec(name).notebook, as_version=4)
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1, f"{name}: tag one code cell 'parameters'"
    return tagged[0]


def test_r57_params_cell_prints_the_cell_the_notebook_holds(capsys):
    assert cli.main(["params", "ecosystem_rankings", "--cell"]) == 0
    cell = nbformat.read(paths.NOTEBOOKS_DIR / "03_ecosystem_rankings.ipynb", as_version=4).cells[0].source
    assert capsys.readouterr().out == cell + "\n"


def test_r57_params_write_rewrites_a_stale_parameters_cell_in_both_files(tmp_path, monkeypatch, capsys):
    """A parameter renamed and a default changed by hand in both files: --write puts back the committed text
    (the known answer: the committed pair, which the test above holds to the spec), other cells untouched."""
    spec = params.notebook_spec("rd_paths")
    committed = paths.NOTEBOOKS_DIR / spec.notebook
    files = [committed, committed.with_suffix(".py")]
    for f in files:
        text = f.read_text(encoding="utf-8")
        stale = text.replace("target_year: int = 2030", "target_year: int = 2035").replace("lang: str", "lng: str")
        assert stale != text
        (tmp_path / f.name).write_text(stale.replace('"execution_count": null', '"execution_count": 7'), "utf-8")
    monkeypatch.setattr(paths, "NOTEBOOKS_DIR", tmp_path)
    assert cli.main(["params", "rd_paths", "--cell", "--write"]) == 0
    assert capsys.readouterr().out.count("parameters cell written to") == 2
    for f in files:
        assert (tmp_path / f.name).read_bytes() == f.read_bytes(), f.name


def test_r57_params_write_refuses_a_notebook_without_a_tagged_parameters_cell(tmp_path, monkeypatch, capsys):
    spec = params.notebook_spec("rd_paths")
    committed = paths.NOTEBOOKS_DIR / spec.notebook
    shutil.copy(committed, tmp_path)
    twin = tmp_path / committed.with_suffix(".py").name
    twin.write_text(
        committed.with_suffix(".py").read_text("utf-8").replace('# %% tags=["parameters"]', "# %%"), "utf-8"
    )
    before = {f: f.read_bytes() for f in tmp_path.iterdir()}
    monkeypatch.setattr(paths, "NOTEBOOKS_DIR", tmp_path)
    assert cli.main(["params", "rd_paths", "--cell", "--write"]) == 2
    err = capsys.readouterr().err
    assert "01_rd_paths.py: 0 code cells tagged 'parameters'; allowed: exactly one" in err
    assert {f: f.read_bytes() for f in tmp_path.iterdir()} == before  # neither file written


def test_feasibility_report_default(report_build):
    built = report_build("rd_feasibility")  # the session's build of both editions, shared with readers
    result = built["en"]
    r = check_report_folder(result.run_dir, "rd_feasibility")
    # one execution publishes both editions: the same results.json to the byte (run time included) and the same
    # executed notebook; the Vietnamese page words the same numbers its own way (1.58544 points: 1,59)
    vi = built["vi"].run_dir
    assert (vi / "results.json").read_bytes() == (result.run_dir / "results.json").read_bytes()
    start = [
        nbformat.read(d / "notebook.ipynb", as_version=4).metadata.papermill.start_time for d in (result.run_dir, vi)
    ]
    assert start[0] == start[1]
    vi_page = (vi / "report.html").read_text(encoding="utf-8")
    assert 'lang="vi"' in vi_page and "1,59 điểm phần trăm GDP trong 5 năm" in vi_page
    assert r["required_increase_pp"] == pytest.approx(2.0 - 0.41456)
    # the one start of every R&D report: 2025 (the nowcast keeps 0.41456%), so the window is 2030 - 2025 = 5 years
    assert r["base_year"] == 2025 and r["share_base_pct"] == pytest.approx(0.41456)
    assert r["window_years"] == 5
    assert r["low_start_windows_reaching"] == 0  # no economy below 1 % ever gained 1.59 points in 5 years
    assert r["max_observed_country"] == "Israel" and r["max_observed_period"] == "1996-2001"
    assert (r["max_low_start_country"], r["max_low_start_period"]) == ("Portugal", "2004-2009")
    assert r["structural_share_target_lo_pct"] < r["structural_share_target_pct"] < r["structural_share_target_hi_pct"]
    assert r["gerd_target_vnd_bn_p10"] < r["gerd_target_vnd_bn_p50"] < r["gerd_target_vnd_bn_p90"]
    assert 0 <= r["prob_state_gerd_exceeds_envelope_pct"] <= 100
    assert r["n_simulations"] == 20000 and r["seed"] == 57
    # windows within a year of 5 years apart: biennial surveyors count, each kind counted separately
    kinds = r["windows_by_kind"]
    assert kinds["all"] == kinds["exact"] + kinds["interpolated"] + kinds["nearest"] == r["windows_total"]
    assert kinds["interpolated"] > 0 and r["economies_total"] < r["windows_total"]
    assert r["low_start_economies_reaching"] == 0 and "2011-2013" in r["vietnam_coverage_jumps"]
    # decomposition: the parts add up to the total in log points, and the intensity part is notebook 01's 37.0 %
    dec = {(d["decomposition"], d["component"]): d for d in r["decomposition"]}
    for name in ("GDP x intensity", "researchers x spending per researcher"):
        parts = [
            d["log_points_per_year"] for (n, c), d in dec.items() if n == name and not c.startswith("R&D spending")
        ]
        assert sum(parts) == pytest.approx(
            dec[(name, "R&D spending (GERD, current VND)")]["log_points_per_year"], abs=1e-12
        )
    # (2 / 0.41456) ** (1 / 5) - 1 = 36.99 %
    assert r["intensity_growth_pct"] == pytest.approx(36.99, abs=0.01)
    # researchers in 2025 are an estimate beyond the 2023 observation (8.36 per 10,000)
    assert r["researchers_per_10k_base_status"] == "estimate" and r["researchers_per_10k_base"] > 8.3610677
    assert r["researchers_per_10k_target_year"] == pytest.approx(12.0)
    # peers: Thailand and Malaysia aligned at 0.41 %; China and Korea start above it, and say so
    assert {"Thailand", "Malaysia"} <= set(r["peers_aligned"]) and {"China", "Korea, Rep."} <= set(
        r["peers_not_aligned"]
    )
    assert (
        r["economies_reaching_target_at_projected_income"] == []
        and r["lowest_income_reaching_target"]["economy"] == "China"
    )
    # the page stays light enough to e-mail (README: report pages < 1.5 MB; the window scatter is the largest chart)
    assert (result.run_dir / "report.html").stat().st_size < 1_500_000
    # CSV tables carry no unnamed index column
    for table in r["tables"]:
        header = (result.run_dir / "tables" / table["csv"]).read_text().splitlines()[0]
        assert not header.startswith(","), table["csv"]


def test_feasibility_report_edge_parameters(tmp_path):
    given = {
        "window_years": 10,
        "structural_spec": "log_quadratic",
        "n_simulations": 100,
        "growth_max_ar_order": 0,
        "seed": 1,
        "interval_pct": 95.0,
        "target_year": 2035,
        "start_share_below_pct": 0.3,
        "nonstate_share_target_pct": 90.0,
        "growth_sample_start": 1991,
        "base_year": 2025,
        "base_share_pct": 0.5,
        "jump_flag_pct_per_year": 5.0,
        "deflator_sd_pp": 0.0,
        "depreciation_sd_pp": 8.0,
        "price_shock_persistence": 0.95,
        "researchers_trend_years": 2,
        "peer_economies": "KOR",
        "n_fast_climbers": 0,
    }
    result = run_report("rd_feasibility", given, tmp_path / "feas_edge")
    r = check_report_folder(result.run_dir, "rd_feasibility")
    assert r["window_years"] == 10 and r["structural_spec"] == "log_quadratic"
    assert r["growth_model"]["model"] == "AR(0)" and r["growth_model"]["sample"][0] == 1991
    assert r["prob_state_gerd_exceeds_envelope_pct"] < 50  # 90 % non-state leaves a small state part
    # researchers for 2025 are an estimate (two years past the 2023 survey); held at 12 per 10,000 after 2030
    assert r["researchers_per_10k_base_status"] == "estimate" and r["researchers_per_10k_target_year"] == pytest.approx(
        12.0
    )
    assert r["peers_aligned"] == [] and list(r["peers_not_aligned"]) == ["Korea, Rep."]


def test_rankings_report_for_a_country(report_build):
    result = report_build("ecosystem_rankings")["en"]  # the session's build of the defaults, shared with readers
    r = check_report_folder(result.run_dir, "ecosystem_rankings")
    assert (
        r["entity"] == "VNM" and r["latest_edition"] == 2025 and r["latest_rank"] == 55 and r["n_ranked_latest"] == 118
    )
    # the backtest does not support a trend here (the latest rank would hold), and 2030 is 5 editions ahead, beyond
    # those it scored 5 forecasts at: no projection, by the tracker's rule (rankings.withheld), said in its words
    assert r["projection_method"] == "naive" and r["projected_rank"] is None and r["projected_rank_lo"] is None
    assert r["interval_note"] == "beyond_backtest_horizon"
    assert r["trajectory_refused"].startswith("the target year is further ahead than any past forecast the backtest")
    assert r["prob_reach_target_pct"] is None and r["backtest_coverage_pct"] is not None
    assert r["derived_editions"] == [2019] and r["derived_excluded_from_fits"] is True
    assert r["required_places_per_year"] == pytest.approx((55 - 50) / 5)
    statuses = {"on track", "needs acceleration", "off track", "not measurable"}
    assert len(r["targets"]) == 5 and {t["status"] for t in r["targets"]} <= statuses
    assert len(r["claims"]) == 3
    backtest = (result.run_dir / "tables" / "backtest.csv").read_text()
    assert all(code in backtest for code in ("startupblink_country", "startupblink_city", "gii", "egdi", "imd_wdcr"))
    html = (result.run_dir / "report.html").read_text()
    assert "No projection is made" in html and "not comparable across editions" in html


EGDI_DERIVED = {"index_name": "egdi", "include_derived": True}


def test_rankings_report_for_a_city_with_too_few_editions(tmp_path):
    # edge: a trend method forced on a city with one published rank (896 in 2024 is worked back from a change)
    given = {
        "index_name": "startupblink_city",
        "entity": "Da Nang",
        "target_rank": 500,
        "projection_method": "drift_rank",
        "min_points": 3,
        "fit_last_editions": 3,
    }
    result = run_report("ecosystem_rankings", given, tmp_path / "city")
    r = json.loads((result.run_dir / "results.json").read_text())
    assert r["entity"] == "da-nang" and r["latest_rank"] == 766 and r["n_ranked_latest"] == 1400
    assert r["projected_rank"] is None and "Not extrapolating" in r["trajectory_refused"]
    assert r["required_places_per_year"] == pytest.approx((766 - 500) / 5)
    # published ranks only, as the fits: Da Nang's 130-place rise starts at a derived rank (896 in 2024)
    assert r["best_observed_places_per_year"] == 68 and r["best_observed_entity"] == "Ho Chi Minh City"
    assert r["best_observed_derived"] is False
    assert {c["id"] for c in r["charts"]} == {"rank_trend", "backtest", "pace", "score_curve", "regional"}
    assert (result.run_dir / "tables" / "backtest.csv").exists()
    html = (result.run_dir / "report.html").read_text()
    assert "No projection is made" in html and "Traceback" not in html


def test_rankings_report_for_a_city_on_a_thin_backtest(tmp_path):
    result = run_report(
        "ecosystem_rankings",
        {"index_name": "startupblink_city", "entity": "ho-chi-minh-city", "target_rank": 100},
        tmp_path / "hcmc",
    )
    r = check_report_folder(result.run_dir, "ecosystem_rankings")
    # 111, 114, 111, 110 in 2022-2025 project (naive) to 110, but StartupBlink cities' backtest scored 3 forecasts,
    # fewer than the tracker's 5, none as far ahead as 2030: the projection is withheld (no rank, interval or
    # chance), and the page says why (both reasons)
    thin = "backtest_too_thin_beyond_horizon"
    assert (r["projected_rank"], r["prob_reach_target_pct"], r["interval_note"]) == (None, None, thin)
    html = (result.run_dir / "report.html").read_text()
    assert "No projection is made:</strong> the backtest could check only 3 past forecasts" in html
    assert "No rank is projected for 2030" in html and "Traceback" not in html  # the key finding too


def test_rankings_report_for_e_government_with_derived_points(report_build):
    # the session's build, whose Vietnamese edition test_vi_scanner reads
    result = report_build("ecosystem_rankings", EGDI_DERIVED)["en"]
    r = json.loads((result.run_dir / "results.json").read_text())
    assert r["latest_rank"] == 71 and r["egdi_driver_latest"] in {
        "online services",
        "human capital",
        "telecommunication infrastructure",
    }
    assert {"rank_trend", "backtest", "egdi_components"} <= {c["id"] for c in r["charts"]}
    assert {"backtest", "egdi_components", "egdi_drivers"} <= {t["id"] for t in r["tables"]}
    assert any("Tuvalu" in e for e in r["fastest_moves_excluded"])


def test_targets_tracker_default(report_build):
    result = report_build("resolution_targets")["en"]
    r = check_report_folder(result.run_dir, "resolution_targets")
    ids = [t["target_id"] for t in r["tracker"]]
    assert len(ids) == 29 == r["targets_total"] and len(set(ids)) == 29
    from analysis.reports.resolution_targets import STATUS_FIGURES

    counts = [r[k] for k in STATUS_FIGURES.values()]
    assert sum(counts) == 29
    assert all(t["source"] or t["reason"] for t in r["tracker"])
    assert r["rd_paths_model"]["share_cagr_pct"] == pytest.approx(37.0, abs=0.05)  # the rd_paths default run
    html = (result.run_dir / "report.html").read_text()
    assert "How the status is assigned" in html and "Needs acceleration" in html
    assert (result.run_dir / "tables" / "tracker.csv").exists() and len(r["claims"]) == 3
    # one value per cell: values, years and statuses in their own columns
    tracker = pd.read_csv(result.run_dir / "tables" / "tracker.csv")
    assert {"latest value", "latest year", "pace seen, last 5 years", "status, 5 years", "status"} <= set(tracker)
    assert tracker["latest year"].dropna().astype(int).between(2000, 2026).all()
    assert (result.run_dir / "tables" / "t06_by_year.csv").exists()


def test_targets_tracker_edge_parameters(tmp_path):
    given = {
        "as_of_year": 2019,
        "targets": "T01d,T04,T07,T09,T10,T14,T15,T19",
        "projection_method": "linear_trend",
        "interval_pct": 95.0,
        "min_backtest_pairs": 1,
        "on_track_ratio": 0.8,
        "acceleration_ratio": 0.3,
    }
    result = run_report("resolution_targets", given, tmp_path / "targets_edge")
    r = check_report_folder(result.run_dir, "resolution_targets_edge")
    assert r["parameters"] == {**params.validate("resolution_targets", {}), **given}
    rows = {t["target_id"]: t for t in r["tracker"]}
    assert set(rows) == set(given["targets"].split(",")) and r["targets_total"] == 8
    assert all(t["latest_year"] is None or t["latest_year"] <= 2019 for t in rows.values())
    assert rows["T15"]["status"] == "no data"  # GSO's series starts in 2020
    assert all(
        t["projection_method"] == "linear_trend"
        for k, t in rows.items()
        if t["projection_method"] and k not in ("T01d", "T19")
    )
