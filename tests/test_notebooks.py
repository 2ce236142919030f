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
import papermill as pm
import pytest

from analysis import cli, params, paths
from analysis.errors import NotebookExecutionError
from analysis.runner import run_report

pytestmark = pytest.mark.notebook

EXPECTED = {
    "rd_paths": {
        "keys": ["share_base_pct", "share_target_pct", "share_increase_pp", "share_cagr_pct", "gerd_real_cagr_pct",
                 "gerd_nominal_cagr_pct", "gerd_target_vnd_bn", "gerd_target_usd_bn", "state_gerd_target_vnd_bn",
                 "nonstate_gerd_target_vnd_bn", "state_gerd_pct_budget_target", "max_gerd_growth_pct", "start_status",
                 "nowcast", "gap_to_date", "funding_account", "budget_rule", "sensitivity", "title", "path"],
        "charts": {"history", "share_paths", "gdp_path", "funding_split", "budget_envelope", "tornado"},
    },
    "rd_feasibility": {
        "keys": ["required_increase_pp", "window_years", "windows_total", "share_of_windows_reaching_pct",
                 "share_of_low_start_windows_reaching_pct", "max_observed_increase_pp", "max_observed_country",
                 "max_observed_period", "structural_share_target_pct", "structural_share_target_lo_pct",
                 "structural_share_target_hi_pct", "gerd_target_vnd_bn_p10", "gerd_target_vnd_bn_p50",
                 "gerd_target_vnd_bn_p90", "prob_state_gerd_exceeds_envelope_pct"],
        "charts": {"windows_scatter", "windows_histogram", "analogue_paths", "structural", "fan_charts",
                   "exceed_probability", "sweep"},
    },
    "ecosystem_rankings": {
        "keys": ["latest_edition", "latest_rank", "n_ranked_latest", "projected_rank", "projected_rank_lo",
                 "projected_rank_hi", "prob_reach_target_pct", "required_places_per_year",
                 "best_observed_places_per_year", "regional_rank_latest", "targets", "claims"],
        "charts": {"rank_trend", "pace", "score_curve", "regional"},
    },
}
PATH_KEYS = {"year", "share_pct", "gdp_vnd_bn", "gdp_usd_bn", "gerd_vnd_bn", "gerd_usd_bn", "state_gerd_vnd_bn",
             "nonstate_gerd_vnd_bn"}


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
        assert all(r["year"] < results["base_year"] or r["year"] == results["base_year"] for r in results["gap_to_date"])
        assert str(results["target_year"]) in results["title"] and "2030" not in results["title"].replace(
            str(results["target_year"]), "")
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
    # every chart embedded, with its alt text
    imgs = ImgCollector.collect(html)
    assert len(imgs) == len(charts)
    assert all(i.get("src", "").startswith("data:image/svg+xml;base64,") and len(i.get("alt", "")) > 20 for i in imgs)
    assert "About this report" in html and "sha256" in html
    assert "Traceback" not in html
    nb = nbformat.read(run_dir / "notebook.ipynb", as_version=4)
    assert not any(o.get("output_type") == "error" for c in nb.cells for o in c.get("outputs", []))
    return results


def test_default_report_via_the_cli(tmp_path, capsys):
    out = tmp_path / "default"
    assert cli.main(["run", "rd_paths", "--output-dir", str(out)]) == 0
    results = check_report_folder(out)
    # the path starts from the 2025 nowcast, not the 2023 survey (worked by hand in test_evidence)
    assert results["base_year"] == 2025 and results["start_status"] == "estimate"
    assert results["share_base_pct"] == pytest.approx(0.440675, abs=1e-6)
    assert results["share_cagr_pct"] == pytest.approx(35.33, abs=0.01)
    assert results["parameters"]["budget_exp_pct_gdp"] == pytest.approx(3_160_000 / (12_847_600 * 1.065 * 1.03) * 100, abs=1e-4)
    assert [r["year"] for r in results["path"] if r["gdp_observed"]] == [2025]
    assert results["path"][0]["gdp_vnd_bn"] == pytest.approx(12_847_600)
    assert results["gerd_base_vnd_bn"] == pytest.approx(56_616, rel=1e-4)  # 0.440675 % x 12,847,600
    assert [r["year"] for r in results["gap_to_date"]] == [2023, 2024, 2025]
    assert results["gap_to_date"][-1]["required_pct"] > results["gap_to_date"][-1]["share_pct"]  # behind already
    assert "by 2030" in results["title"]
    assert len(results["sensitivity"]) == 9
    assert "report written" in capsys.readouterr().out


EDGE_CASES = {
    "logistic_2035_growth_map": {"path_shape": "logistic", "target_year": 2035, "logistic_steepness": 20,
                                 "real_gdp_growth_pct": {2026: 7.0, 2030: 5.0}},
    "ministry_2019_no_observed_gdp": {"gerd_series": "ministry", "base_year": 2019, "use_observed_gdp": False,
                                      "path_shape": "back_loaded", "back_loaded_exponent": 6,
                                      "nonstate_share_base_pct": 42.3, "envelope_rd_share_pct": 20.0},
    "one_year_from_zero_nonstate": {"base_year": 2025, "base_share_pct": 0.5, "target_year": 2026,
                                    "path_shape": "linear", "nonstate_share_base_pct": 0.0,
                                    "nonstate_share_target_pct": 100.0, "budget_exp_pct_gdp": 60.0,
                                    "science_budget_share_pct": 0.0, "envelope_rd_share_pct": 100.0},
    "last_survey_2023_rising_floor_pre_revision": {"base_year": 2023, "target_gdp_basis": "pre_revision",
                                                   "science_budget_share_pct": {2026: 3.5, 2028: 4.0}},
    "low_nowcast_2024_2035": {"base_year": 2024, "nowcast_level": "low", "target_year": 2035, "path_shape": "back_loaded"},
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
    if case == "last_survey_2023_rising_floor_pre_revision":
        assert results["start_status"] == "observed" and results["gap_to_date"] == []
        assert results["path"][-1]["share_pct"] == pytest.approx(2 / 1.254)
        assert [r["science_budget_share_pct"] for r in results["path"]] == [3.5, 3.5, 3.5, 3.5, 3.5, 4.0, 4.0, 4.0]
    if case == "low_nowcast_2024_2035":
        assert results["share_base_pct"] == pytest.approx(0.40418)
        assert "by 2035" in results["title"] and results["path"][-1]["year"] == 2035
    if case == "one_year_from_zero_nonstate":
        assert results["nonstate_gerd_nominal_cagr_pct"] is None  # growth from zero is undefined
        assert results["envelope_fits_all_years"] is False  # a zero envelope fits no state spending


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
    for name in params.notebook_names():
        spec = params.notebook_spec(name)
        path = paths.NOTEBOOKS_DIR / spec.notebook
        nb = nbformat.read(path, as_version=4)
        assert nb.metadata["kernelspec"]["name"] == "python3"
        assert all(not c.get("outputs") and c.get("execution_count") is None for c in nb.cells if c.cell_type == "code")
        tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
        assert len(tagged) == 1
        declared = pm.inspect_notebook(str(path))
        assert set(declared) == set(spec.names()) | set(spec.internal)
        for p in spec.params:
            assert ast.literal_eval(declared[p.name]["default"]) == p.default, p.name


def test_feasibility_report_default(tmp_path):
    result = run_report("rd_feasibility", {}, tmp_path / "feas")
    r = check_report_folder(result.run_dir, "rd_feasibility")
    assert r["required_increase_pp"] == pytest.approx(2.0 - 0.41456)
    assert r["window_years"] == 7
    assert r["low_start_windows_reaching"] == 0  # no economy below 1 % ever gained 1.59 points in 7 years
    assert r["max_observed_country"] == "Israel" and r["max_observed_period"] == "2015-2022"
    assert r["structural_share_target_lo_pct"] < r["structural_share_target_pct"] < r["structural_share_target_hi_pct"]
    assert r["gerd_target_vnd_bn_p10"] < r["gerd_target_vnd_bn_p50"] < r["gerd_target_vnd_bn_p90"]
    assert 0 <= r["prob_state_gerd_exceeds_envelope_pct"] <= 100
    assert r["n_simulations"] == 20000 and r["seed"] == 57


def test_feasibility_report_edge_parameters(tmp_path):
    given = {"window_years": 10, "structural_spec": "log_quadratic", "n_simulations": 100, "growth_max_ar_order": 0,
             "seed": 1, "interval_pct": 95.0, "target_year": 2035, "start_share_below_pct": 0.3,
             "nonstate_share_target_pct": 90.0, "growth_sample_start": 1991}
    result = run_report("rd_feasibility", given, tmp_path / "feas_edge")
    r = check_report_folder(result.run_dir, "rd_feasibility")
    assert r["window_years"] == 10 and r["structural_spec"] == "log_quadratic"
    assert r["growth_model"]["model"] == "AR(0)" and r["growth_model"]["sample"].startswith("1991")
    assert r["prob_state_gerd_exceeds_envelope_pct"] < 50  # 90 % non-state leaves a small state part


def test_rankings_report_for_a_country(tmp_path):
    result = run_report("ecosystem_rankings", {}, tmp_path / "country")
    r = check_report_folder(result.run_dir, "ecosystem_rankings")
    assert r["entity"] == "VNM" and r["latest_edition"] == 2025 and r["latest_rank"] == 55 and r["n_ranked_latest"] == 118
    assert r["projected_rank_lo"] < r["projected_rank"] < r["projected_rank_hi"]
    assert 0 <= r["prob_reach_target_pct"] <= 100
    assert r["required_places_per_year"] == pytest.approx((55 - 50) / 5)
    assert len(r["targets"]) == 5 and {t["status"] for t in r["targets"]} <= {"on track", "off track", "not measurable"}
    assert len(r["claims"]) == 3


def test_rankings_report_for_a_city_with_too_few_editions(tmp_path):
    given = {"index_name": "startupblink_city", "entity": "Da Nang", "target_rank": 500, "rank_scale": "log_rank"}
    result = run_report("ecosystem_rankings", given, tmp_path / "city")
    r = json.loads((result.run_dir / "results.json").read_text())
    assert r["entity"] == "da-nang" and r["latest_rank"] == 766 and r["n_ranked_latest"] == 1400
    assert r["projected_rank"] is None and "Not extrapolating" in r["trajectory_refused"]
    assert r["required_places_per_year"] == pytest.approx((766 - 500) / 5)
    assert r["best_observed_places_per_year"] == 130 and r["best_observed_entity"] == "Da Nang"
    assert {c["id"] for c in r["charts"]} == {"rank_trend", "pace", "score_curve", "regional"}
    html = (result.run_dir / "report.html").read_text()
    assert "No trend is fitted" in html and "Traceback" not in html


def test_rankings_report_for_a_city_with_a_trend(tmp_path):
    result = run_report("ecosystem_rankings", {"index_name": "startupblink_city", "entity": "ho-chi-minh-city",
                                              "target_rank": 100}, tmp_path / "hcmc")
    r = check_report_folder(result.run_dir, "ecosystem_rankings")
    assert r["fit_points"] == 6 and r["projected_rank"] is not None
