"""The one batch evaluator (analysis.reports.rd_sweep) behind ``r57 sweep``, ``analysis.sweep`` and the explorer's
map: every swept scenario is the scenario ``r57 run`` computes, refused where ``r57 run`` refuses it."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from analysis import cli, sweep
from analysis.errors import ParameterError
from analysis.models import engine
from analysis.reports import rd_sweep
from analysis.reports.params import validate
from analysis.reports.rd_paths import Page, RdData, context_for, run
from analysis.run import explore
from rd_samples import VALUES

# the engine's figures and those the index shows beside them, each compared with what `r57 run` computes
FIGURES = [
    *engine.SUMMARY_COLUMNS,
    "envelope_fits_all_years",
    "gerd_multiple",
    "consistency_envelope_pct_at_floor",
    "consistency_budget_pct_at_floor",
    "consistency_nonbudget_needed_pct",
]


@pytest.fixture(scope="module")
def data() -> RdData:
    return RdData.load()


@pytest.fixture(scope="module")
def ex(data) -> explore.Explorer:
    return explore.Explorer(data)


def test_every_parameter_has_values_here(data):
    missing, stale = set(rd_sweep.PARAM_NAMES) - set(VALUES), set(VALUES) - set(rd_sweep.PARAM_NAMES)
    assert not missing and not stale, f"VALUES in tests/rd_samples.py: add {sorted(missing)}, remove {sorted(stale)}"
    for grid in EVERY_PARAMETER_SWEPT:  # whose scenarios are compared row by row, none refused
        assert all(_single(data, dict(zip(grid, c, strict=True))) for c in itertools.product(*grid.values())), grid


def _single(data: RdData, params: dict) -> dict | None:
    """What ``r57 run`` computes for ``params`` (its page's key figures, the envelope's over the rated years, and
    resolved parameters), None where it refuses."""
    try:
        pg = Page.build(validate("rd_paths", params), data)
    except ParameterError:
        return None
    late = pg.summary["years_not_fitting"]
    return {**pg.summary, "first_year_not_fitting": late[0] if late else -1, **pg.resolved.params}


def _same(got, want) -> bool:
    if want is None:  # not known (a refused row, or no year rated): missing
        return got is None or got is pd.NA or (isinstance(got, float) and math.isnan(got))
    if isinstance(want, dict | str):
        return got == want
    got, want = float(got), float(want)
    return (math.isnan(got) and math.isnan(want)) or got == pytest.approx(want, rel=1e-9, abs=1e-9)


@st.composite
def sweeps(draw, max_swept: int = 4):
    """(grid, fixed): up to ``max_swept`` parameters with two values each, up to three others held fixed."""
    names = sorted(VALUES)
    swept = draw(st.lists(st.sampled_from(names), min_size=1, max_size=max_swept, unique=True))
    grid = {n: draw(st.lists(st.sampled_from(VALUES[n]), min_size=2, max_size=2, unique_by=repr)) for n in swept}
    held = draw(st.lists(st.sampled_from([n for n in names if n not in swept]), max_size=3, unique=True))
    return grid, {n: draw(st.sampled_from(VALUES[n])) for n in held}


# every parameter swept in every run (four at a time in the spec's order, the first two of its sample values, 16
# scenarios each, none refused), then the two kinds of refusal
SAMPLED = [n for n in rd_sweep.PARAM_NAMES if n in VALUES]  # a parameter without values fails the test above
EVERY_PARAMETER_SWEPT = [{n: VALUES[n][:2] for n in SAMPLED[i : i + 4]} for i in range(0, len(SAMPLED), 4)]
# only 2025 misfits the envelope, or no year is rated: 2025 and 2024 have budget data but no allocation found
UNRATED = [
    ({"science_budget_share_pct": [{2025: 0.5, 2026: 5.0}, 3.0]}, {}),
    ({"target_year": [2025, 2030]}, {"base_year": 2024}),
]
REFUSED = [
    ({"target_year": [2028, 2030]}, {"real_gdp_growth_pct": {2027: 7.0, 2029: 5.0}}),  # a mapping that starts late
    ({"target_share_pct": [0.05, 2.0]}, {"base_share_pct": 1.2}),  # a base share ten times the target
]


def _examples(cases):
    def mark(test):
        for case in reversed(cases):
            test = example(case=case)(test)
        return test

    return mark


@settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=sweeps())
@_examples([(grid, {}) for grid in EVERY_PARAMETER_SWEPT] + UNRATED + REFUSED)
def test_every_swept_row_is_the_scenario_r57_run_computes(data, case):
    grid, fixed = case
    rows = [dict(zip(grid, combo, strict=True)) for combo in itertools.product(*grid.values())]
    singles = [_single(data, {**fixed, **row}) for row in rows]
    if any(s is None for s in singles):  # r57 run refuses one of them: so does the sweep, naming the parameter
        with pytest.raises(ParameterError):
            sweep(grid=grid, data=data, **fixed)
        return
    got = sweep(grid=grid, data=data, **fixed)
    assert len(got) == len(singles)
    for (_, row), want in zip(got.iterrows(), singles, strict=True):
        for col in [*FIGURES, *rd_sweep.PARAM_NAMES]:
            assert _same(row[col], want[col]), (col, row[col], want[col], grid, fixed)


NUMERIC_AXES = [n for n in VALUES if any(isinstance(v, float | int) and not isinstance(v, bool) for v in VALUES[n])]


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    axes=st.lists(st.sampled_from(NUMERIC_AXES), min_size=2, max_size=2, unique=True),
    metric=st.sampled_from(explore.MAP_METRICS),
    case=sweeps(max_swept=1),
    pick=st.randoms(use_true_random=False),
)
def test_every_map_cell_is_the_scenario_r57_run_computes_or_refused(ex, data, axes, metric, case, pick):
    x, y = axes
    _, fixed = case
    fixed = {k: v for k, v in fixed.items() if k not in axes}
    numbers = {a: [v for v in VALUES[a] if isinstance(v, float | int)] for a in axes}
    xs, ys = (sorted(pick.sample(numbers[a], min(2, len(numbers[a])))) for a in axes)
    try:
        validate("rd_paths", fixed)
    except ParameterError:
        assume(False)
    gx, gy, z = ex.two_way(fixed, x, y, metric, xs=xs, ys=ys)
    assert z.shape == (len(ys), len(xs))
    for j, yv in enumerate(ys):
        for i, xv in enumerate(xs):
            want = _single(data, {**fixed, x: xv, y: yv})
            if want is None:
                assert math.isnan(z[j, i]), (x, xv, y, yv, fixed)
            else:
                assert _same(z[j, i], want[metric]), (metric, x, xv, y, yv, fixed, z[j, i], want[metric])


# ----------------------------------------------------------------------------- the two wrong answers (issue 24)


def test_r57_sweep_over_the_non_budget_start_share_gives_each_rows_state_share_of_the_budget(data, tmp_path, capsys):
    # issue 24's regression, on the dependence the model has now: an empty target share is the larger of the
    # Resolution's 60% and the start share, so a grid over the start share changes what the data fill in (the
    # old growth case of 1.8204/1.8724 went with the budget default that moved with growth; the default is now
    # the 2023-25 mean, 19.421% of GDP). Worked by hand: state R&D in 2030 is (1 - target share) x 2% of GDP
    # over 19.421% of GDP: 0.4 x 2 / 19.421 = 4.1193%; 0.3 x 2 / 19.421 = 3.0894%
    runs = [run(validate("rd_paths", {"nonstate_share_base_pct": b}), data)[2] for b in (50, 70)]
    assert [round(s["state_gerd_pct_budget_target"], 4) for s in runs] == [4.1193, 3.0894]
    out = tmp_path / "s.csv"
    assert cli.main(["sweep", "--grid", "nonstate_share_base_pct=50,70", "--output", str(out)]) == 0
    frame = pd.read_csv(out)
    assert frame["state_gerd_pct_budget_target"].tolist() == [4.1193, 3.0894]
    api = sweep(grid={"nonstate_share_base_pct": [50, 70]}, data=data)
    assert api["state_gerd_pct_budget_target"].round(4).tolist() == [4.1193, 3.0894]


def test_the_map_over_growth_and_the_non_budget_start_share_gives_each_cells_figure(ex, data):
    # r57 run over a 2 x 2 map; every cell is the single run's figure (the map used to show one value everywhere)
    xs, ys = [5.0, 8.0], [50.0, 70.0]
    expected = [
        [run(validate("rd_paths", {"real_gdp_growth_pct": x, "nonstate_share_base_pct": y}), data)[2] for x in xs]
        for y in ys
    ]
    figures = [[round(c["state_gerd_pct_envelope_target"], 2) for c in row] for row in expected]
    assert figures[0] != figures[1]  # the start share moves the figure: a map that ignored it would fail here
    _, _, z = ex.two_way(
        {}, "real_gdp_growth_pct", "nonstate_share_base_pct", "state_gerd_pct_envelope_target", xs=xs, ys=ys
    )
    assert np.round(z, 2).tolist() == figures


@pytest.mark.parametrize(
    ("params", "first", "fits"),
    [
        ({"science_budget_share_pct": {2025: 0.5, 2026: 5.0}}, -1, True),  # only 2025 misfits, and it is not rated
        ({"base_year": 2024, "target_year": 2025}, -1, None),  # 2025 misfits, no year is rated: not known
    ],
)
def test_a_misfit_in_an_unrated_year_is_left_out_by_the_engine_the_sweeps_and_the_page(
    data, params, first, fits, tmp_path
):
    pg = Page.build(validate("rd_paths", params), data)
    assert not pg.path["fits_envelope"].all() and pg.summary["years_not_fitting"] == []
    assert pg.summary["envelope_fits_all_years"] is fits
    engine_row = engine.evaluate(*context_for(validate("rd_paths", params), data)).iloc[0]
    swept = sweep(grid={k: [v] for k, v in params.items()}, data=data).iloc[0]
    out = tmp_path / "s.csv"
    argv = ["sweep", "--grid", f"target_year={pg.inp.target_year}", "--output", str(out)]
    assert cli.main([*argv, *(a for k, v in params.items() if k != "target_year" for a in ("-p", k, str(v)))]) == 0
    (cli_row,) = pd.read_csv(out).to_dict("records")
    for row in (engine_row, swept, cli_row):
        assert row["first_year_not_fitting"] == first
        assert _same(row["envelope_fits_all_years"], fits)


# ----------------------------------------------------------------------------- what r57 sweep accepts and refuses


def test_r57_sweep_sweeps_the_target_year_and_true_false_values(data, tmp_path):
    out = tmp_path / "s.csv"
    argv = ["sweep", "--grid", "target_year=2030,2035", "--grid", "use_observed_gdp=true,false", "--output", str(out)]
    assert cli.main(argv) == 0
    frame = pd.read_csv(out)
    assert frame["target_year"].tolist() == [2030, 2030, 2035, 2035]
    assert frame["use_observed_gdp"].tolist() == [True, False, True, False]
    for _, row in frame.iterrows():
        one = _single(data, {"target_year": int(row["target_year"]), "use_observed_gdp": bool(row["use_observed_gdp"])})
        assert row["gerd_target_usd_bn"] == pytest.approx(one["gerd_target_usd_bn"], abs=5e-4)  # the CSV: 3 decimals


@pytest.mark.parametrize(
    ("argv", "name", "words"),
    [
        (["--grid", "target_year=2030,2035", "--grid", "target_year=2040"], "target_year", "given twice (--grid)"),
        (
            ["--random", "real_gdp_growth_pct=4:9", "--random", "real_gdp_growth_pct=5:6", "-n", "3"],
            "real_gdp_growth_pct",
            "given twice",
        ),
        (["--grid", "target_year=2030,2035", "-p", "target_year", "2040"], "target_year", "both swept and held fixed"),
        (
            ["--grid", "target_year=2030", "-p", "path_shape", "linear", "-p", "path_shape", "logistic"],
            "path_shape",
            "given twice (-p)",
        ),
        (["--grid", "target_year=2030", "-p", "no_such", "1"], "no_such", "unknown parameter"),
    ],
)
def test_r57_sweep_refuses_what_it_would_otherwise_drop(argv, name, words, tmp_path, capsys):
    out = tmp_path / "s.csv"
    assert cli.main(["sweep", *argv, "--output", str(out)]) == 2
    err = capsys.readouterr().err
    assert f"parameter {name!r}" in err and words in err and "Traceback" not in err
    assert not out.exists()


@pytest.mark.parametrize(
    ("grid", "name", "words"),
    [
        ({"x": 5}, "x", "unknown parameter for rd_paths"),
        ({"real_gdp_growth_pct": 5}, "real_gdp_growth_pct", "not a list of values"),
        ({"path_shape": "linear"}, "path_shape", "not a list of values"),
        ({"target_year": []}, "target_year", "lists no values"),
    ],
)
def test_a_grid_that_is_not_lists_of_values_is_refused_naming_the_parameter(grid, name, words, data):
    with pytest.raises(ParameterError) as got:
        sweep(grid=grid, data=data)
    assert got.value.name == name and words in str(got.value) and "allowed:" in str(got.value)


def test_refused_scenarios_have_no_figures_when_asked_not_to_raise(data):
    table = pd.DataFrame({"target_year": [2030, 2024, 2035], "real_gdp_growth_pct": [6.5, 6.5, 99.0]})
    got = rd_sweep.evaluate(table, data, refused="nan")
    assert got["scenario"].tolist() == [0, 1, 2]
    assert math.isnan(got["gerd_target_usd_bn"][1]) and math.isnan(got["gerd_target_usd_bn"][2])
    assert got["gerd_target_usd_bn"][0] == pytest.approx(_single(data, {})["gerd_target_usd_bn"], rel=1e-12)
    with pytest.raises(ParameterError, match="is not after base_year"):
        rd_sweep.evaluate(table.iloc[:2], data)


def test_a_declared_dependence_is_what_groups_the_scenarios(data):
    calls = []

    def counting(p):
        calls.append(p)
        from analysis.reports.rd_paths import resolve

        return resolve(p, data)

    shares = pd.DataFrame({"nonstate_share_base_pct": [50.0, 65.0, 70.0]})
    rd_sweep.evaluate(shares, resolver=counting)  # the default target share depends on it: one each
    assert len(calls) == 3
    calls.clear()
    rd_sweep.evaluate(shares.assign(nonstate_share_target_pct=75.0), resolver=counting)  # given: one for all
    assert len(calls) == 1


@pytest.mark.parametrize("given", [{}, {"nonstate_share_target_pct": 75.0}])
def test_every_sensitivity_case_equals_the_batch_evaluator_on_the_same_settings(given):
    """The sensitivity table evaluates its low and high cases on the resolved scenario itself (no second
    resolution); each end must be what the one batch evaluator gives for the same parameters - also the tie of
    the target non-budget share to the base share, which resolve() applies only while the target is empty."""
    from analysis.reports import rd_paths, sensitivity

    data = RdData.load()
    p = validate("rd_paths", given)
    r = rd_paths.resolve(p, data)
    table = sensitivity.sensitivity_table(r, data).set_index("assumption")
    for case in sensitivity.cases(r, data):
        assert set(case.low) <= set(p), case  # every case moves parameters, so the evaluator can be given them
        rows = pd.DataFrame([case.low, case.high])
        if "nonstate_share_base_pct" in rows and "nonstate_share_target_pct" not in given:
            rows = rows[["nonstate_share_base_pct"]]  # the target left empty: the evaluator's resolution ties it
        fixed = {k: v for k, v in given.items() if k not in rows}
        got = rd_sweep.evaluate(rows, data, fixed=fixed)
        for key in sensitivity.OUTPUTS:
            assert table.loc[case.assumption, f"{key} at low"] == pytest.approx(got.loc[0, key], rel=1e-9), (case, key)
            assert table.loc[case.assumption, f"{key} at high"] == pytest.approx(got.loc[1, key], rel=1e-9), (case, key)


def test_an_empty_target_non_budget_share_is_the_floor_or_the_base_share_if_higher():
    from analysis.reports import rd_paths

    assert rd_paths.tied_nonstate_target(42.3) == 60.0  # today's published range ends at 42.3%: the floor binds
    assert rd_paths.tied_nonstate_target(75) == 75.0
    r = rd_paths.resolve(validate("rd_paths", {"nonstate_share_base_pct": 75.0}), RdData.load())
    assert r.nonstate_target_tied and r.params["nonstate_share_target_pct"] == 75.0


def test_the_preflights_data_are_kept_while_the_files_read_equal_and_replaced_when_they_differ(monkeypatch):
    # run-all's preflights of nine R&D scenarios share one RdData, so its evidence is built once
    first = RdData.kept()
    assert RdData.kept() is first
    assert first.evidence is RdData.kept().evidence
    changed = RdData(
        **{f: getattr(first, f) for f in ("gerd", "budget", "funding", "statements")}, gdp=first.gdp.iloc[:-1]
    )
    monkeypatch.setattr(RdData, "load", classmethod(lambda cls: changed))
    assert RdData.kept() is changed  # a file that now reads otherwise: the new data, not the kept ones
    monkeypatch.undo()
    assert RdData.kept() is not changed and RdData.kept().gdp.equals(first.gdp)


def test_r57_sweep_gives_the_indexs_consistency_columns_and_the_multiple_of_base_year_rd(tmp_path):
    # the index's rd-baseline row: 70.8685% of R&D from outside the budget at the 3% floor, R&D 7.66 times its
    # 2025 amount; with half the envelope for R&D, budget R&D is halved: 100 - (100 - 70.8685) / 2 = 85.4343%
    out = tmp_path / "s.csv"
    assert cli.main(["sweep", "--grid", "envelope_rd_share_pct=50,100", "--output", str(out)]) == 0
    frame = pd.read_csv(out)
    assert frame["consistency_nonbudget_needed_pct"].tolist() == [85.4343, 70.8685]
    assert frame["gerd_multiple"].round(2).tolist() == [7.66, 7.66]
    # at the 60% floor budget R&D is 0.4 x 2% of GDP = 4.1193% of budget expenditure (19.421% of GDP), 137.31% of
    # the 3% envelope, whatever part of the envelope R&D may use
    assert frame["consistency_budget_pct_at_floor"].tolist() == [4.1193, 4.1193]
    assert frame["consistency_envelope_pct_at_floor"].round(2).tolist() == [137.31, 137.31]
