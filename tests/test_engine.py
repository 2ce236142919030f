"""The vectorised engine: headline figures by hand, batches broadcast and chunked, bad batches refused."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.errors import ParameterError
from analysis.models import engine
from analysis.models.rd_model import RdInputs, rd_path, rd_summary
from analysis.reports import params
from analysis.reports.rd_paths import resolve

N = 300


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
    return ctx, random_batch(np.random.default_rng(11), N)


def random_batch(rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    return {
        "base_share_pct": rng.uniform(0.2, 1.0, n),
        "target_share_pct": rng.uniform(0.5, 4.0, n),
        "path_shape": rng.choice(list(engine.SHAPE_CODES), n),
        "logistic_steepness": rng.uniform(1, 20, n),
        "back_loaded_exponent": rng.uniform(1, 5, n),
        "real_gdp_growth_pct": rng.uniform(-2, 12, n),
        "gdp_deflator_pct": rng.uniform(0, 8, n),
        "vnd_depreciation_pct": rng.uniform(-2, 6, n),
        "nonstate_share_base_pct": rng.uniform(0, 60, n),
        "nonstate_share_target_pct": rng.uniform(30, 90, n),
        "budget_exp_pct_gdp": rng.uniform(10, 30, n),
        "science_budget_share_pct": rng.uniform(1, 6, n),
        "envelope_rd_share_pct": rng.uniform(5, 100, n),
    }


# By hand: 2020-2022, GDP 1,000 bn VND growing 10% a year (all prices), 10 VND/USD depreciating 10% a year;
# share 1% -> 2% linear; non-budget 20% -> 60%; budget 20% of GDP; a floor of 5%, 4%, 5% of it.
#   GDP 1000, 1100, 1210; share 1, 1.5, 2; GERD 10, 16.5, 24.2 (2.0 bn USD at 12.1 VND/USD; 20 at base prices)
#   state 8, 9.9, 9.68; non-state 2, 6.6, 14.52; budget 200, 220, 242; envelope 10, 8.8, 12.1
#   -> 2021 does not fit (9.9 > 8.8); with half the envelope for R&D (6.05 in 2022) 2020 already does not.
BY_HAND = {
    "share_cagr_pct": (2**0.5 - 1) * 100,
    "gdp_target_vnd_bn": 1210.0,
    "gerd_target_vnd_bn": 24.2,
    "gerd_target_usd_bn": 2.0,
    "gerd_nominal_cagr_pct": (2.42**0.5 - 1) * 100,
    "gerd_real_cagr_pct": (2**0.5 - 1) * 100,
    "max_gerd_growth_pct": 65.0,
    "state_gerd_target_vnd_bn": 9.68,
    "nonstate_gerd_target_vnd_bn": 14.52,
    "nonstate_gerd_nominal_cagr_pct": (7.26**0.5 - 1) * 100,
    "state_gerd_pct_budget_target": 4.0,
    "state_gerd_pct_envelope_target": 80.0,
    "max_share_growth_pct": 50.0,
}
SMALL = dict(
    base_share_pct=1.0,
    target_share_pct=2.0,
    path_shape="linear",
    logistic_steepness=8.0,
    back_loaded_exponent=2.0,
    real_gdp_growth_pct=0.0,
    gdp_deflator_pct=10.0,
    vnd_depreciation_pct=10.0,
    nonstate_share_base_pct=20.0,
    nonstate_share_target_pct=60.0,
    budget_exp_pct_gdp=20.0,
)


def test_headline_figures_by_hand():
    ctx = engine.Context(2020, 2022, 1000.0, 10.0)
    batch = dict(SMALL, science_budget_share_pct=np.array([[5.0, 4.0, 5.0]]), envelope_rd_share_pct=[100.0, 50.0])
    table, paths = engine.evaluate(ctx, batch, chunk_size=1, keep_paths=True, workers=2)
    for col, value in BY_HAND.items():
        np.testing.assert_allclose(table[col], value, rtol=1e-12, err_msg=col)
    np.testing.assert_allclose(table["state_gerd_pct_rd_envelope_target"], [80.0, 160.0], rtol=1e-12)
    assert table["first_year_not_fitting"].tolist() == [2021, 2020]
    assert table["envelope_fits_all_years"].tolist() == [False, False]
    np.testing.assert_allclose(paths["gerd_vnd_bn"], [[10.0, 16.5, 24.2]] * 2, rtol=1e-12)


def test_the_envelope_figures_leave_out_the_unrated_years():
    # by hand (test_headline_figures_by_hand): state R&D 8, 9.9, 9.68 against an R&D part of 10, 8.8, 12.1 (the
    # whole envelope) or 5, 4.4, 6.05 (half): the first scenario misfits in 2021 only, the second in every year
    batch = dict(SMALL, science_budget_share_pct=np.array([[5.0, 4.0, 5.0]]), envelope_rd_share_pct=[100.0, 50.0])
    for unrated, first, fits in [
        ((2020,), [2021, 2021], [False, False]),
        ((2021,), [-1, 2020], [True, False]),
        ((2020, 2021, 2022), [-1, -1], [pd.NA, pd.NA]),  # no year rated: not known (missing)
    ]:
        table = engine.evaluate(engine.Context(2020, 2022, 1000.0, 10.0, unrated_years=unrated), batch)
        assert table["first_year_not_fitting"].tolist() == first, unrated
        assert table["envelope_fits_all_years"].tolist() == fits, unrated


def test_one_scenario_summary_by_hand():
    floor = (5.0, 4.0, 5.0)
    rates = {
        "real_growth_pct": (0.0, 0.0, 0.0),
        "deflator_pct": (0.0, 10.0, 10.0),
        "depreciation_pct": (0.0, 10.0, 10.0),
    }
    fields = {k: v for k, v in SMALL.items() if k not in engine.GROWTH_FIELDS}
    inp = RdInputs(
        2020, 2022, base_gdp_vnd_bn=1000.0, base_vnd_per_usd=10.0, science_budget_share_pct=floor, **rates, **fields
    )
    s = rd_summary(rd_path(inp))
    for col, value in BY_HAND.items():
        assert s[col] == pytest.approx(value, rel=1e-12), col
    assert (s["base_year"], s["target_year"], s["years"], s["steepest_year"]) == (2020, 2022, 2, 2021)
    assert s["years_not_fitting"] == [2021] and s["envelope_fits_all_years"] is False
    assert s["gerd_multiple"] == pytest.approx(2.42) and s["share_increase_pp"] == pytest.approx(1.0)
    assert s["nonstate_gerd_target_usd_bn"] == pytest.approx(1.2) and s["envelope_target_vnd_bn"] == pytest.approx(12.1)


def test_scalars_broadcast_and_chunking_does_not_matter(setting):
    ctx, batch = setting
    a, paths_a = engine.evaluate(ctx, batch, chunk_size=7, workers=1, keep_paths=True)
    b, paths_b = engine.evaluate(ctx, batch, chunk_size=100_000, workers=2, keep_paths=True)
    pd.testing.assert_frame_equal(a, b)
    np.testing.assert_array_equal(paths_a["gerd_vnd_bn"], paths_b["gerd_vnd_bn"])
    scalar = dict(batch, budget_exp_pct_gdp=20.0)
    c = engine.evaluate(ctx, scalar)
    assert len(c) == N


def test_bad_batches_are_refused(setting):
    ctx, batch = setting
    with pytest.raises(ParameterError, match="path_shape.*zigzag"):
        engine.evaluate(ctx, dict(batch, path_shape="zigzag"))
    with pytest.raises(ParameterError, match="different lengths"):
        engine.evaluate(ctx, dict(batch, base_share_pct=np.ones(N + 1)))
    with pytest.raises(ParameterError, match="missing"):
        engine.evaluate(ctx, {k: v for k, v in batch.items() if k != "budget_exp_pct_gdp"})
    with pytest.raises(ParameterError, match="not a scenario field"):
        engine.evaluate(ctx, dict(batch, colour=1))


def test_envelope_rd_share_defaults_to_the_whole_envelope(setting):
    ctx, batch = setting
    without = {k: v for k, v in batch.items() if k != "envelope_rd_share_pct"}
    a = engine.evaluate(ctx, without, workers=1)
    np.testing.assert_allclose(a["state_gerd_pct_rd_envelope_target"], a["state_gerd_pct_envelope_target"], rtol=1e-12)


@settings(max_examples=20)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 30), chunk=st.integers(1, 31))
def test_figures_do_not_depend_on_the_batch(setting, seed, n, chunk):
    """A scenario's figures are the same bits whatever batch, chunk or thread computes them, and the same as
    the single-scenario summary of its path."""
    ctx, _ = setting
    batch = random_batch(np.random.default_rng(seed), n)
    whole = engine.evaluate(ctx, batch, workers=1)
    pd.testing.assert_frame_equal(engine.evaluate(ctx, batch, chunk_size=chunk, workers=2), whole, check_exact=True)
    m, future = len(ctx.observed_real_growth_pct), len(ctx.years) - 1 - len(ctx.observed_real_growth_pct)
    for i in range(n):
        row = {k: v[i] for k, v in batch.items()}
        rates = {
            rate: (0.0, *seen, *[row[field]] * future)
            for rate, field, seen in (
                ("real_growth_pct", "real_gdp_growth_pct", ctx.observed_real_growth_pct),
                ("deflator_pct", "gdp_deflator_pct", ctx.observed_deflator_pct),
                ("depreciation_pct", "vnd_depreciation_pct", ctx.observed_depreciation_pct),
            )
        }
        fields = {k: v for k, v in row.items() if k not in engine.GROWTH_FIELDS}
        one = RdInputs(
            ctx.base_year,
            ctx.target_year,
            base_gdp_vnd_bn=ctx.base_gdp_vnd_bn,
            base_vnd_per_usd=ctx.base_vnd_per_usd,
            observed_years=tuple(ctx.years[1 : 1 + m]),
            **rates,
            **fields,
        )
        s = rd_summary(rd_path(one))
        s["first_year_not_fitting"] = s["years_not_fitting"][0] if s["years_not_fitting"] else -1
        for col in engine.SUMMARY_COLUMNS:
            np.testing.assert_array_equal(s[col], whole[col].iloc[i], err_msg=col)
