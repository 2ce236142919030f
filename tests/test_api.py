"""The Python API (analysis.api): tidy frames with units, parameters checked as on the command line."""

from __future__ import annotations

import doctest
import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

import analysis
from analysis import api, feasibility, load_data, rankings, rd_paths, report, sweep, targets
from analysis.data.manifest import read_manifest
from analysis.errors import DataError, ParameterError
from analysis.models import engine
from analysis.reports.params import PRESENTATION_PARAMS, validate
from analysis.reports.rd_paths import ENGINE_FIGURES, run
from analysis.run.runner import preflight
from rd_samples import VALUES

# columns rd_paths() shares with the single-scenario model (analysis.models.rd_model.rd_path)
SAME_AS_MODEL = ["share_pct", "gdp_vnd_bn", "gdp_usd_bn", "gerd_vnd_bn", "gerd_usd_bn", "nonstate_share_pct"]
SAME_AS_MODEL += ["state_gerd_vnd_bn", "budget_exp_vnd_bn", "envelope_vnd_bn", "state_gerd_pct_envelope"]


def test_the_docstring_examples_run():
    result = doctest.testmod(api, optionflags=doctest.ELLIPSIS)
    assert result.attempted >= 15 and result.failed == 0


def test_import_analysis_stays_cheap_and_names_the_api():
    code = "import sys, analysis; print(sorted(m for m in ('pandas', 'numpy', 'analysis.api') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
    assert {"rd_paths", "sweep", "load_data", "report", "feasibility", "rankings", "targets"} <= set(dir(analysis))
    assert analysis.rd_paths is api.rd_paths and analysis.targets is api.targets
    assert set(analysis.API) <= set(api.__all__)
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        analysis.nothing  # noqa: B018


# ----------------------------------------------------------------------------- rd_paths


def test_the_default_scenario_is_the_default_reports_path(rd_data, rd_defaults):
    frame = rd_paths(data=rd_data)
    resolved, path, summary = run(rd_defaults, rd_data)
    # one row per year, 2025 to 2030: 6 rows; the 2030 share is the target, 2% of GDP
    assert frame["year"].tolist() == list(range(2025, 2031))
    assert frame["share_pct"].iloc[-1] == pytest.approx(2.0, abs=1e-12)
    assert frame["share_pct"].iloc[0] == pytest.approx(summary["share_base_pct"])
    for col in SAME_AS_MODEL:
        np.testing.assert_allclose(frame[col].to_numpy(), path[col].to_numpy(), rtol=1e-12, err_msg=col)
    # the report's labels: 2025 is an estimate (no survey after 2023), every later year is required
    assert frame["status"].tolist() == ["estimate"] + ["required"] * 5
    assert frame["gdp_status"].tolist() == ["official"] + ["projected"] * 5
    # every parameter a column, data defaults filled: 30% non-budget in 2025 (the published shares' median)
    assert set(validate("rd_paths", {})) - set(PRESENTATION_PARAMS) <= set(frame.columns)
    assert (frame["nonstate_share_base_pct"] == resolved.params["nonstate_share_base_pct"]).all()
    assert frame["target_year"].eq(2030).all() and frame["path_shape"].eq("geometric").all()
    # growth applies from the year after the base: empty in 2025, 6.5 after
    assert np.isnan(frame["real_gdp_growth_pct"].iloc[0]) and frame["real_gdp_growth_pct"].iloc[1:].eq(6.5).all()
    units = frame.attrs["units"]
    assert set(units) == set(frame.columns)
    assert units["gerd_usd_bn"] == "billion current USD"
    # a growth parameter and a growth figure in one wording (rd_paths.PER_YEAR)
    assert (
        units["real_gdp_growth_pct"] == units["gdp_deflator_pct"] == api.DECLARED_UNITS["share_cagr_pct"] == "% a year"
    )
    assert frame.attrs["kinds"]["target_year"] == "parameter" and frame.attrs["kinds"]["share_pct"] == "result"
    assert frame.attrs["notes"] == list(resolved.notes)


def test_a_path_from_the_last_survey_starts_observed_and_keeps_year_maps_per_year(rd_data):
    frame = rd_paths(data=rd_data, base_year=2023, real_gdp_growth_pct={2026: 8, 2028: 6}, target_year=2032)
    assert len(frame) == 10 and frame["status"].iloc[0] == "observed"
    # 2024 and 2025 have official GDP: the growth mapping starts in 2026 and says nothing for them
    assert frame["gdp_status"].tolist()[:3] == ["official"] * 3
    growth = frame.set_index("year")["real_gdp_growth_pct"]
    assert growth.loc[[2023, 2024, 2025]].isna().all()
    assert growth.loc[2026:2032].tolist() == [8, 8, 6, 6, 6, 6, 6]
    assert frame["share_pct"].iloc[0] == pytest.approx(0.41456, abs=1e-5)  # UIS, 2023


def test_rd_paths_checks_parameters_as_the_command_line_does():
    for bad, name in (({"target_year": 2020}, "target_year"), ({"path_shape": "zigzag"}, "path_shape")):
        with pytest.raises(ParameterError) as got:
            rd_paths(**bad)
        with pytest.raises(ParameterError) as cli:
            validate("rd_paths", bad)
        assert str(got.value) == str(cli.value) and got.value.name == name
    with pytest.raises(ParameterError, match="'no_such': unknown parameter for rd_paths"):
        rd_paths(no_such=1)


# ----------------------------------------------------------------------------- sweep


def _last(frame: pd.DataFrame, col: str) -> float:
    return float(frame[col].iloc[-1])


def test_a_grid_is_every_combination_and_each_row_is_that_scenario(rd_data):
    grid = {"real_gdp_growth_pct": [5.0, 8.0], "path_shape": ["linear", "logistic"], "target_year": [2030, 2035]}
    s = sweep(grid=grid, nonstate_share_target_pct=65, data=rd_data)
    assert len(s) == 2 * 2 * 2 and s["scenario"].tolist() == list(range(8))
    assert s["nonstate_share_target_pct"].eq(65).all()  # the fixed parameter is kept, as a column
    assert (set(validate("rd_paths", {})) - set(PRESENTATION_PARAMS)) <= set(s.columns)
    for _, row in s.iterrows():
        given = {k: row[k] for k in grid}
        one = rd_paths(data=rd_data, nonstate_share_target_pct=65, **given)
        # the default budget share is the 2026 budget over 2026 GDP as projected: it moves with growth
        assert row["budget_exp_pct_gdp"] == one["budget_exp_pct_gdp"].iloc[0]
        assert row["gerd_target_usd_bn"] == pytest.approx(_last(one, "gerd_usd_bn"), rel=1e-12)
        assert row["state_gerd_pct_envelope_target"] == pytest.approx(_last(one, "state_gerd_pct_envelope"), rel=1e-12)
    assert s.attrs["units"]["gerd_target_usd_bn"] == "billion current USD"  # as rd_paths declares the figure


def test_a_target_year_figure_has_the_unit_of_its_path_column():
    """An engine figure read at the target year (``gerd_target_usd_bn`` of ``gerd_usd_bn``) is in the same unit."""
    pairs = {f.name: f.name.replace("_target", "") for f in ENGINE_FIGURES}
    pairs = {k: v for k, v in pairs.items() if v in (*engine.PATH_GDP_COLUMNS, *engine.PATH_RD_COLUMNS)}
    assert len(pairs) >= 8, pairs
    for figure, column in pairs.items():
        assert api._unit(figure) == api._unit(column), figure


def test_swept_values_that_data_defaults_depend_on_give_the_same_figures_as_one_scenario(rd_data):
    # a pre-revision target is converted to revised GDP, a tied non-state target follows the swept base share
    fixed = {"target_gdp_basis": "pre_revision", "envelope_rd_share_pct": 20.0, "budget_exp_pct_gdp": 22.0}
    grid = {"target_share_pct": [1.5, 2.0], "nonstate_share_base_pct": [40.0, 70.0], "science_budget_share_pct": [3, 4]}
    s = sweep(grid=grid, data=rd_data, **fixed)
    for _, row in s.iterrows():
        one = rd_paths(data=rd_data, **fixed, **{k: row[k] for k in grid})
        assert row["nonstate_share_target_pct"] == one["nonstate_share_target_pct"].iloc[0]
        assert row["gerd_target_vnd_bn"] == pytest.approx(_last(one, "gerd_vnd_bn"), rel=1e-12)
        assert row["state_gerd_pct_rd_envelope_target"] == pytest.approx(
            _last(one, "state_gerd_pct_rd_envelope"), rel=1e-12
        )
    assert s["nonstate_share_target_pct"].tolist() == [60, 60, 70, 70] * 2  # max(60%, base share)


def test_paths_give_one_row_per_scenario_year_and_end_on_the_target(rd_data):
    s = sweep(grid={"target_year": [2030, 2035], "base_year": [2023, 2025]}, paths=True, data=rd_data)
    # years per scenario: 2023-2030 8, 2025-2030 6, 2023-2035 13, 2025-2035 11
    assert len(s) == 8 + 6 + 13 + 11
    last = s.groupby("scenario").tail(1)
    assert last["share_pct"].to_numpy() == pytest.approx([2.0] * 4)
    assert last["year"].tolist() == [2030, 2030, 2035, 2035]
    one = rd_paths(data=rd_data, base_year=2023, target_year=2035)
    got = s[s["scenario"] == 2].reset_index(drop=True)
    pd.testing.assert_frame_equal(got.drop(columns="scenario"), one, check_exact=False, rtol=1e-12)


def test_random_growth_draws_run_in_one_engine_call_once_the_budget_share_is_given(rd_data):
    s = sweep(random={"real_gdp_growth_pct": (4, 9)}, n=2000, seed=1, budget_exp_pct_gdp=22.4, data=rd_data)
    assert len(s) == 2000 and s["budget_exp_pct_gdp"].eq(22.4).all()
    row = s.iloc[7]
    one = rd_paths(data=rd_data, real_gdp_growth_pct=float(row["real_gdp_growth_pct"]), budget_exp_pct_gdp=22.4)
    assert row["gerd_target_vnd_bn"] == pytest.approx(_last(one, "gerd_vnd_bn"), rel=1e-12)


def test_random_draws_cover_whole_years_and_are_reproducible(rd_data):
    a = sweep(random={"target_year": (2028, 2032), "real_gdp_growth_pct": (4, 9)}, n=50, seed=3, data=rd_data)
    b = sweep(random={"target_year": (2028, 2032), "real_gdp_growth_pct": (4, 9)}, n=50, seed=3, data=rd_data)
    pd.testing.assert_frame_equal(a, b)
    assert a["target_year"].between(2028, 2032).all() and a["target_year"].dtype.kind == "i"
    assert a["real_gdp_growth_pct"].between(4, 9).all()


@pytest.mark.parametrize(
    ("kwargs", "name", "words"),
    [
        ({"grid": {"path_shape": ["linear"]}, "path_shape": "linear"}, "path_shape", "both swept and held fixed"),
        ({"grid": {"real_gdp_growth_pct": [5, 99]}}, "real_gdp_growth_pct", "99.0 is out of range"),
        ({"grid": {"no_such": [1]}}, "no_such", "unknown parameter"),
        ({"random": {"path_shape": (0, 1)}, "n": 5}, "path_shape", "cannot be drawn at random"),
        ({"random": {"real_gdp_growth_pct": (9, 4)}, "n": 5}, "real_gdp_growth_pct", "low <= high"),
        ({"grid": {"target_year": [2020]}}, "target_year", "is not after base_year"),
        ({"grid": {}}, "grid", "nothing to sweep"),
        ({"random": {"gdp_revision_uplift_pct": (20, 30)}, "n": 600}, "gdp_revision_uplift_pct", "600 distinct"),
        ({"grid": {"real_gdp_growth_pct": list(range(1, 11))}, "max_scenarios": 5}, "grid", "more than the limit"),
        # growth moves the default budget share (2026 budget over projected 2026 GDP): the message says which
        (
            {"random": {"nonstate_share_base_pct": (40, 80)}, "n": 501},  # each draw its own default target share
            "nonstate_share_base_pct",
            "give nonstate_share_target_pct a number",
        ),
    ],
)
def test_sweep_refuses_with_the_parameter_named(kwargs, name, words, rd_data):
    with pytest.raises(ParameterError) as got:
        sweep(data=rd_data, **kwargs)
    assert got.value.name == name and words in str(got.value)


def test_every_parameter_can_be_swept(rd_data):
    # each parameter's first sample value other than its default (a number, not a year mapping)
    defaults = validate("rd_paths", {})
    values = {n: [next(v for v in vs if v != defaults[n] and not isinstance(v, dict))] for n, vs in VALUES.items()}
    assert set(values) == set(defaults) - set(PRESENTATION_PARAMS), "VALUES in tests/rd_samples.py: one per parameter"
    for name, v in values.items():
        s = sweep(grid={name: v}, data=rd_data)
        one = rd_paths(data=rd_data, **{name: v[0]})
        assert s[name].tolist() == v, name
        assert s["gerd_target_vnd_bn"].iloc[0] == pytest.approx(_last(one, "gerd_vnd_bn"), rel=1e-12), name


# ----------------------------------------------------------------------------- data and reports


def test_load_data_returns_the_validated_dataset_with_its_manifest_record():
    gdp = load_data("vn_gdp")
    entry = read_manifest().entry("vn_gdp.csv")
    assert gdp.attrs["manifest"] == entry and len(gdp) == entry["rows"]
    assert gdp.attrs["units"]["gdp_vnd_bn"] == gdp.loc[gdp["indicator"] == "gdp_vnd_bn", "unit"].iloc[0]
    gii = load_data("rank_gii")
    assert gii.attrs["manifest"]["file"] == "rank_gii.csv"
    with pytest.raises(DataError, match="unknown dataset 'nope'"):
        load_data("nope")


@pytest.mark.notebook
def test_report_runs_a_report_into_a_folder_and_returns_its_results(tmp_path):
    results = report("rd_paths", output_dir=tmp_path / "r", target_year=2035)
    assert results["target_year"] == 2035 and results["share_target_pct"] == pytest.approx(2.0)
    assert results["run_dir"] == str(tmp_path / "r")
    on_disk = json.loads((tmp_path / "r" / "results.json").read_text(encoding="utf-8"))
    assert on_disk["gerd_target_usd_bn"] == results["gerd_target_usd_bn"]
    frame = rd_paths(target_year=2035)
    assert frame["gerd_usd_bn"].iloc[-1] == pytest.approx(results["gerd_target_usd_bn"], rel=1e-12)


# ----------------------------------------------------------------------------- the other reports, no kernel


def _same(got: object, want: object) -> bool:
    """A frame's cell equals a results.json value (None there is NaN or None here)."""
    if want is None:
        return got is None or (isinstance(got, float) and np.isnan(got))
    if isinstance(want, float):
        return got == pytest.approx(want, rel=1e-9)
    return got == want


def _no_sentences(frame: pd.DataFrame, allowed: tuple[str, ...]) -> None:
    """Reader sentences stay on the pages: a text cell with spaces only in the columns ``allowed`` and the
    status codes ('on track', ...)."""
    for col in frame.columns.difference([*allowed, "status", "status_short", "status_long"]):
        texts = [v for v in frame[col] if isinstance(v, str)]
        assert not any(" " in v for v in texts), col


@pytest.mark.notebook
def test_rankings_give_the_default_reports_figures_without_a_kernel(report_build):
    built = report_build("ecosystem_rankings")["en"].results  # the session's notebook build, default parameters
    r = rankings()
    summary = r["summary"].iloc[0]
    for key in ("latest_edition", "latest_rank", "projected_rank", "projected_rank_lo", "projected_rank_hi"):
        assert _same(summary[key], built[key]), key
    for key in ("prob_reach_target_pct", "backtest_coverage_pct", "regional_rank_latest", "projection_method"):
        assert _same(summary[key], built[key]), key
    # by hand from data/raw/rank_startupblink_country.csv: Viet Nam 55th of 118 in 2025, 2nd in Southeast Asia
    assert (summary["entity"], summary["latest_edition"], summary["latest_rank"]) == ("VNM", 2025, 55.0)
    assert summary["regional_rank"] == 2 and summary["n_ranked_latest"] == 118
    assert r["history"]["rank"].tolist() == [h["rank"] for h in built["history"]]
    # no path by default: 2030 lies beyond the editions the startup index's backtest scored (rankings.withheld)
    assert summary["interval_note"] == "beyond_backtest_horizon" and built["projection_path"] == []
    assert r["projection"].empty and pd.isna(summary["projected_rank"])
    assert len(r["backtest"]) == len(built["backtest"]) and r["backtest"]["chosen"].sum() >= 1
    assert r["targets"]["target_id"].tolist() == [t["target_id"] for t in built["targets"]]
    assert r["targets"]["status"].tolist() == [t["status"] for t in built["targets"]]
    assert r["targets"]["note"].tolist() == [t["reason"] for t in built["targets"]]  # English, as results.json
    for name, frame in r.items():
        _no_sentences(frame, ("note", "entity_name", "best_observed_entity", "next_ahead", "pace_unit"))
        assert set(frame.attrs["units"]) == set(frame.columns), name
        assert frame.attrs["params"]["target_rank"] == 50 and "lang" not in frame.attrs["params"]
    assert r["summary"].attrs["units"]["projected_rank"] == "rank"


@pytest.mark.notebook
def test_the_tracker_gives_one_row_per_target_as_the_report_does(report_build):
    built = report_build("resolution_targets")["en"].results
    t = targets()
    assert t["target_id"].tolist() == [row["target_id"] for row in built["tracker"]]
    assert t.attrs["summary"]["targets_total"] == built["targets_total"] == 29
    for row, want in zip(t.to_dict("records"), built["tracker"], strict=True):
        for key in ("latest_value", "latest_year", "target_level", "target_year", "pace_needed", "pace_short"):
            assert _same(row[key], want[key]), (row["target_id"], key)
        for key in ("status", "projected", "projected_lo", "projected_hi", "projection_method", "reason_codes"):
            assert _same(row[key], want[key]), (row["target_id"], key)
        assert row["note"] == want["reason"], row["target_id"]  # worded by words() in English, as results.json
    _no_sentences(t, ("note", "unit", "pace_unit"))
    assert {"target", "text_vi", "definition", "method_why"}.isdisjoint(t.columns)
    assert t.attrs["units"]["latest_value"] == "the row's unit"


@pytest.mark.notebook
def test_feasibility_gives_the_default_reports_key_figures(report_build):
    built = report_build("rd_feasibility")["en"].results
    f = feasibility()
    summary = f["summary"].iloc[0]
    shared = [k for k in f["summary"].columns if k in built and not isinstance(built[k], (list, dict))]
    assert len(shared) >= 60  # every scalar key figure of results.json, from the seed to the structural share
    for key in shared:
        assert _same(summary[key], built[key]), key
    assert f["summary"].attrs["params"]["n_simulations"] == built["n_simulations"]


def test_the_peers_shares_after_any_window_say_their_unit():
    """peers.align names the shares after the crossing by window_years: the API gave a unit to the default
    window's two names only (share_after_5y_pct, share_after_10y_pct)."""
    units = feasibility(n_simulations=200, window_years=7)["peers"].attrs["units"]
    assert units["share_after_7y_pct"] == units["share_after_14y_pct"] == "% of GDP"


def test_every_number_of_the_feasibility_frames_says_its_unit():
    frames = feasibility(n_simulations=200)
    unitless = {("summary", "seed"), ("summary", "structural_elasticity")}  # a seed and an elasticity have none
    for name, frame in frames.items():
        for column in frame.columns:
            numeric = pd.api.types.is_numeric_dtype(frame[column]) and not pd.api.types.is_bool_dtype(frame[column])
            assert not numeric or (name, column) in unitless or frame.attrs["units"][column], (name, column)
    units = frames["summary"].attrs["units"]
    # a quantile or widened band in its figure's unit, as the report declares it (or the engine's, for GDP)
    assert units["gerd_target_usd_bn_p90_widened"] == units["gerd_target_usd_bn_p50"] == "billion current USD"
    assert units["gdp_target_vnd_bn_p10"] == "billion current VND"
    assert units["nonstate_share_needed_p90_pct"] == "% of GERD"
    # names whose ending says another unit: researchers in the target year are people, not a year
    assert units["researchers_target_year"] == "researchers (FTE)"
    assert units["share_of_windows_reaching_cagr_pct"] == "% of windows"
    decomposition = frames["decomposition"].attrs["units"]
    assert (decomposition["log_points_per_year"], decomposition["pct_per_year"]) == ("log points a year", "% a year")


def test_the_tracker_by_hand_and_at_an_edge_year():
    t = targets().set_index("target_id")
    # data/raw: the E-Government Development Index ranked Viet Nam 71st in 2024; the target is the top 50 by 2030
    assert t.loc["T01d", ["latest_value", "latest_year", "target_level", "target_year"]].tolist() == [
        71,
        2024,
        50,
        2030,
    ]
    # the earliest as_of_year allowed (2016): only what was observed by then counts; the target stays
    edge = targets(as_of_year=2016, targets="T01d")
    assert edge["target_id"].tolist() == ["T01d"] and edge.attrs["params"]["as_of_year"] == 2016
    assert edge["latest_year"].iloc[0] <= 2016 and edge["target_level"].iloc[0] == 50
    with pytest.raises(ParameterError, match="as_of_year"):
        targets(as_of_year=2015)


@pytest.mark.parametrize(
    ("fn", "name", "bad"),
    [
        (rankings, "ecosystem_rankings", {"index_name": "nope"}),
        (rankings, "ecosystem_rankings", {"min_points": 9, "fit_last_editions": 5}),
        (targets, "resolution_targets", {"as_of_year": 1990}),
        (targets, "resolution_targets", {"no_such": 1}),
        (feasibility, "rd_feasibility", {"n_simulations": -1}),
    ],
)
def test_the_report_functions_refuse_as_r57_run_does(fn, name, bad):
    with pytest.raises(ParameterError) as got:
        fn(**bad)
    with pytest.raises(ParameterError) as cli:
        preflight(name, bad)
    assert str(got.value) == str(cli.value)


def test_rankings_check_the_entity_against_the_data_and_take_a_city():
    with pytest.raises(ParameterError, match="parameter 'entity': 'Atlantis' is not in this index"):
        rankings(entity="Atlantis")
    # the edge: the target year right after the latest edition (2025) is the nearest allowed
    r = rankings(index_name="startupblink_city", entity="hanoi", target_rank=100, target_year=2026)
    s = r["summary"].iloc[0]
    assert (s["entity"], s["latest_edition"], s["years_to_target"]) == ("hanoi", 2025, 1)
    # StartupBlink cities' backtest scored 3 forecasts, fewer than the 5 needed in all and so at any horizon, even one
    # edition ahead: no projection, and the code why (both reasons)
    both = "backtest_too_thin_beyond_horizon"
    assert r["projection"].empty and pd.isna(s["projected_rank"]) and s["interval_note"] == both
    # StartupBlink countries: 6 forecasts, 4 of them one edition ahead: even 2026 is beyond what the backtest judges
    assert rankings(target_year=2026)["summary"].iloc[0]["interval_note"] == "beyond_backtest_horizon"
    assert rankings(index_name="egdi", target_rank=50, target_year=2026)["projection"]["year"].tolist() == [2026]
    with pytest.raises(ParameterError, match="target_year"):
        rankings(target_year=2025)
