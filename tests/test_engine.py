"""The vectorised engine gives the single-scenario API's numbers, scenario by scenario."""

from __future__ import annotations

from dataclasses import asdict

import numpy as np
import pandas as pd
import pytest

from analysis.errors import ParameterError
from analysis.models import engine
from analysis.models.rd_model import RdInputs, rd_path, rd_summary
from analysis.reports import params
from analysis.reports.rd_paths import resolve

N = 300
COMPARED = {  # engine column -> rd_summary key
    "share_cagr_pct": "share_cagr_pct",
    "gdp_target_vnd_bn": "gdp_target_vnd_bn",
    "gerd_target_vnd_bn": "gerd_target_vnd_bn",
    "gerd_target_usd_bn": "gerd_target_usd_bn",
    "gerd_nominal_cagr_pct": "gerd_nominal_cagr_pct",
    "gerd_real_cagr_pct": "gerd_real_cagr_pct",
    "state_gerd_target_vnd_bn": "state_gerd_target_vnd_bn",
    "nonstate_gerd_target_vnd_bn": "nonstate_gerd_target_vnd_bn",
    "nonstate_gerd_nominal_cagr_pct": "nonstate_gerd_nominal_cagr_pct",
    "state_gerd_pct_budget_target": "state_gerd_pct_budget_target",
    "state_gerd_pct_envelope_target": "state_gerd_pct_envelope_target",
    "state_gerd_pct_rd_envelope_target": "state_gerd_pct_rd_envelope_target",
    "max_share_growth_pct": "max_share_growth_pct",
}


@pytest.fixture(scope="module")
def setting(rd_data):
    r = resolve(params.validate("rd_paths", {}), rd_data)
    inp = r.inputs
    m = len(inp.observed_years)
    ctx = engine.Context(
        inp.base_year,
        inp.target_year,
        inp.base_gdp_vnd_bn,
        inp.base_vnd_per_usd,
        inp.real_growth_pct[1 : 1 + m],
        inp.deflator_pct[1 : 1 + m],
        inp.depreciation_pct[1 : 1 + m],
    )
    rng = np.random.default_rng(11)
    batch = {
        "base_share_pct": rng.uniform(0.2, 1.0, N),
        "target_share_pct": rng.uniform(0.5, 4.0, N),
        "path_shape": rng.choice(list(engine.SHAPE_CODES), N),
        "logistic_steepness": rng.uniform(1, 20, N),
        "back_loaded_exponent": rng.uniform(1, 5, N),
        "real_gdp_growth_pct": rng.uniform(-2, 12, N),
        "gdp_deflator_pct": rng.uniform(0, 8, N),
        "vnd_depreciation_pct": rng.uniform(-2, 6, N),
        "nonstate_share_base_pct": rng.uniform(0, 60, N),
        "nonstate_share_target_pct": rng.uniform(30, 90, N),
        "budget_exp_pct_gdp": rng.uniform(10, 30, N),
        "science_budget_share_pct": rng.uniform(1, 6, N),
        "envelope_rd_share_pct": rng.uniform(5, 100, N),
    }
    batch["nonstate_share_base_pct"][:5] = 0.0  # growth from nothing: undefined in both
    return inp, ctx, batch


def single(inp: RdInputs, batch: dict, i: int) -> dict:
    m = len(inp.observed_years)
    rates = lambda obs, v: (0.0, *obs, *([v] * (len(inp.years) - 1 - m)))  # noqa: E731
    one = RdInputs(
        base_year=inp.base_year,
        target_year=inp.target_year,
        base_share_pct=batch["base_share_pct"][i],
        target_share_pct=batch["target_share_pct"][i],
        path_shape=str(batch["path_shape"][i]),
        base_gdp_vnd_bn=inp.base_gdp_vnd_bn,
        base_vnd_per_usd=inp.base_vnd_per_usd,
        real_growth_pct=rates(inp.real_growth_pct[1 : 1 + m], batch["real_gdp_growth_pct"][i]),
        deflator_pct=rates(inp.deflator_pct[1 : 1 + m], batch["gdp_deflator_pct"][i]),
        depreciation_pct=rates(inp.depreciation_pct[1 : 1 + m], batch["vnd_depreciation_pct"][i]),
        nonstate_share_base_pct=batch["nonstate_share_base_pct"][i],
        nonstate_share_target_pct=batch["nonstate_share_target_pct"][i],
        budget_exp_pct_gdp=batch["budget_exp_pct_gdp"][i],
        science_budget_share_pct=batch["science_budget_share_pct"][i],
        logistic_steepness=batch["logistic_steepness"][i],
        back_loaded_exponent=batch["back_loaded_exponent"][i],
        envelope_rd_share_pct=batch["envelope_rd_share_pct"][i],
    )
    path = rd_path(one)
    return rd_summary(path) | {"path": path, "inputs": asdict(one)}


@pytest.mark.parametrize("keep_paths", [False, True])
def test_batch_equals_one_scenario_at_a_time(setting, keep_paths):
    inp, ctx, batch = setting
    res = engine.evaluate(ctx, batch, chunk_size=64, keep_paths=keep_paths, workers=2)
    table = res[0] if keep_paths else res
    assert len(table) == N
    for i in range(N):
        s = single(inp, batch, i)
        row = table.iloc[i]
        for col, key in COMPARED.items():
            a, b = row[col], s[key]
            if np.isnan(b):
                assert np.isnan(a), (i, col)
            else:
                assert a == pytest.approx(b, rel=1e-12, abs=1e-12), (i, col)
        assert bool(row["envelope_fits_all_years"]) == s["envelope_fits_all_years"]
        first = s["years_not_fitting"][0] if s["years_not_fitting"] else -1
        assert row["first_year_not_fitting"] == first
        growth = (s["path"]["gerd_vnd_bn"].pct_change().max()) * 100
        assert row["max_gerd_growth_pct"] == pytest.approx(growth, rel=1e-12)
        if keep_paths:
            np.testing.assert_array_equal(res[1]["gerd_vnd_bn"][i], s["path"]["gerd_vnd_bn"].to_numpy())


def test_scalars_broadcast_and_chunking_does_not_matter(setting):
    _, ctx, batch = setting
    a = engine.evaluate(ctx, batch, chunk_size=7, workers=1)
    b = engine.evaluate(ctx, batch, chunk_size=100_000, workers=2)
    pd.testing.assert_frame_equal(a, b)
    scalar = dict(batch, budget_exp_pct_gdp=20.0)
    c = engine.evaluate(ctx, scalar)
    assert len(c) == N


def test_bad_batches_are_refused(setting):
    _, ctx, batch = setting
    with pytest.raises(ParameterError, match="path_shape.*zigzag"):
        engine.evaluate(ctx, dict(batch, path_shape="zigzag"))
    with pytest.raises(ParameterError, match="different lengths"):
        engine.evaluate(ctx, dict(batch, base_share_pct=np.ones(N + 1)))
    with pytest.raises(ParameterError, match="missing"):
        engine.evaluate(ctx, {k: v for k, v in batch.items() if k != "budget_exp_pct_gdp"})
    with pytest.raises(ParameterError, match="not a scenario field"):
        engine.evaluate(ctx, dict(batch, colour=1))


def test_a_rising_floor_path_agrees_with_the_single_scenario_api(setting):
    """The budget rule's floor as a path (one value per year) gives the same figures both ways."""
    inp, ctx, batch = setting
    floor = np.linspace(3.0, 5.0, len(ctx.years))  # 3% in the base year rising evenly to 5% in the target year
    res = engine.evaluate(ctx, dict(batch, science_budget_share_pct=floor[None, :]), workers=1)
    for i in (0, 7, 123):
        one = dict(batch)
        s = single(inp, one | {"science_budget_share_pct": np.full(N, 3.0)}, i)  # same scenario, flat floor
        path = rd_path(RdInputs(**{**s["inputs"], "science_budget_share_pct": tuple(floor)}))
        got = rd_summary(path)
        assert res.iloc[i]["state_gerd_pct_envelope_target"] == pytest.approx(
            got["state_gerd_pct_envelope_target"], rel=1e-12
        )
        assert res.iloc[i]["envelope_fits_all_years"] == got["envelope_fits_all_years"]
        # by hand: the envelope in the target year is budget x 5%, so state / envelope = state / (budget x 0.05)
        t = path.iloc[-1]
        assert t["envelope_vnd_bn"] == pytest.approx(t["budget_exp_vnd_bn"] * 0.05, rel=1e-12)


def test_envelope_rd_share_defaults_to_the_whole_envelope(setting):
    _, ctx, batch = setting
    without = {k: v for k, v in batch.items() if k != "envelope_rd_share_pct"}
    a = engine.evaluate(ctx, without, workers=1)
    np.testing.assert_allclose(a["state_gerd_pct_rd_envelope_target"], a["state_gerd_pct_envelope_target"], rtol=1e-12)
