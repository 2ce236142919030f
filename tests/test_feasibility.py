"""Feasibility: window search, analogues, structural benchmark and the growth simulation."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from analysis.errors import ParameterError
from analysis.models import feasibility as fz
from analysis.models import growth_sim as gs
from analysis.models import structural
from analysis.models.rd_model import rd_path
from analysis.reports import params, rd_feasibility
from analysis.reports.rd_paths import budget_range, resolve


def _panel(rows):
    return pd.DataFrame(rows, columns=["entity", "entity_name", "year", "value"])


def _exact(panel, window_years):
    """The windows with both end points observed."""
    return fz.window_rises_tolerant(panel, window_years).query("end_kind == 'exact'")


# A small synthetic panel, worked by hand:
#   AAA: 2000 0.5, 2002 0.9, 2003 1.5 (2001 missing)
#   BBB: 2000 1.2, 2001 1.0, 2003 2.0
#   CCC: 2001 0.2 only
PANEL = _panel(
    [
        ("AAA", "A-land", 2000, 0.5),
        ("AAA", "A-land", 2002, 0.9),
        ("AAA", "A-land", 2003, 1.5),
        ("BBB", "B-land", 2000, 1.2),
        ("BBB", "B-land", 2001, 1.0),
        ("BBB", "B-land", 2003, 2.0),
        ("CCC", "C-land", 2001, 0.2),
    ]
)


def test_windows_use_only_observed_end_points():
    w = _exact(PANEL, 2)
    # 2-year windows with both ends observed: AAA 2000->2002 (+0.4); BBB 2001->2003 (+1.0).
    # AAA 2001->2003 does not exist (2001 missing); nothing is interpolated.
    got = {(r.entity, r.start_year): round(r.rise_pp, 10) for r in w.itertuples()}
    assert got == {("AAA", 2000): 0.4, ("BBB", 2001): 1.0}
    bbb = w[w.entity == "BBB"].iloc[0]
    assert bbb["share_cagr_pct"] == pytest.approx((2.0**0.5 - 1) * 100)  # 1.0 -> 2.0 in 2 years


def test_three_year_windows_span_interior_gaps():
    w = _exact(PANEL, 3)
    # AAA 2000->2003 (+1.0) spans the missing 2001; BBB 2000->2003 (+0.8).
    assert sorted(w["rise_pp"].round(10)) == [0.8, 1.0]


def test_placement_by_hand():
    w = _exact(PANEL, 3)  # rises: AAA +1.0 from 0.5, BBB +0.8 from 1.2
    out = fz.place_required_rise(w, required_pp=0.9, required_cagr_pct=30.0, start_below_pct=1.0)
    assert out["windows_total"] == 2 and out["windows_reaching"] == 1
    assert out["share_of_windows_reaching_pct"] == 50.0
    assert out["low_start_windows_total"] == 1 and out["share_of_low_start_windows_reaching_pct"] == 100.0
    assert out["max_observed_increase_pp"] == pytest.approx(1.0)
    assert out["max_observed_country"] == "A-land" and out["max_observed_period"] == "2000-2003"
    # AAA share growth: (1.5/0.5)^(1/3) - 1 = 44.2 % >= 30 %; BBB: (2/1.2)^(1/3) - 1 = 18.6 %
    assert out["share_of_windows_reaching_cagr_pct"] == 50.0


def test_placement_refuses_an_empty_distribution():
    with pytest.raises(ParameterError, match="window_years"):
        fz.place_required_rise(_exact(PANEL, 20), 1.0, 10.0, 1.0)


def test_window_length_must_be_positive():
    with pytest.raises(ParameterError, match="window_years"):
        fz.window_rises_tolerant(PANEL, 0)


def test_closest_analogues_take_each_countrys_best_window_near_the_base():
    w = _exact(PANEL, 1)  # BBB 2000->2001 (-0.2), AAA 2002->2003 (+0.6), BBB none else
    an = fz.closest_analogues(w, base_share_pct=0.6, band_factor=2.0)  # starts 0.3..1.2
    assert an["entity"].tolist() == ["AAA", "BBB"]
    assert an["rise_pp"].round(10).tolist() == [0.6, -0.2]


def test_fallbacks_find_the_largest_fall_after_a_peak():
    p = _panel(
        [
            ("X", "X", 2000, 1.0),
            ("X", "X", 2001, 1.8),
            ("X", "X", 2002, 1.1),
            ("X", "X", 2003, 1.6),
            ("Y", "Y", 2000, 1.0),
            ("Y", "Y", 2001, 1.1),
        ]
    )
    fb = fz.fallbacks(p, 0.3)
    assert len(fb) == 1
    row = fb.iloc[0]
    assert (row["peak_year"], row["later_year"]) == (2001, 2002)
    assert row["drop_pp"] == pytest.approx(0.7)


def test_vintage_gaps_compare_same_country_and_year():
    vint = pd.DataFrame(
        {
            "entity": ["AAA", "AAA"],
            "indicator": "gerd_pct_gdp",
            "year": pd.array([2000, 2002], dtype="Int64"),
            "value": [0.55, 1.4],
            "source": "other",
        }
    )
    g = fz.vintage_gaps(PANEL, vint, 0.1)
    assert g["year"].tolist() == [2002] and g["gap_pp"].iloc[0] == pytest.approx(0.5)


# ----------------------------------------------------------------------------- structural


def test_structural_fit_recovers_a_known_elasticity():
    rng = np.random.default_rng(1)
    rows = []
    for c in range(80):
        level = rng.normal(0, 0.3)
        for year in range(2000, 2010):
            gdppc = float(np.exp(rng.uniform(6, 11)))
            share = float(np.exp(-4 + 0.6 * np.log(gdppc) + 0.02 * (year - 2000) + level + rng.normal(0, 0.1)))
            rows.append((f"C{c:02d}", f"Country {c}", year, share, gdppc))
    d = pd.DataFrame(rows, columns=["entity", "entity_name", "year", "gerd", "pc"])
    panel = structural.build_panel(
        d[["entity", "entity_name", "year", "gerd"]].rename(columns={"gerd": "value"}),
        d[["entity", "year", "pc"]].rename(columns={"pc": "value"}),
    )
    # the synthetic panel has 80 countries a year, above the 60 needed for a year effect
    sf = structural.fit(panel)
    assert sf.elasticity(np.exp(8.0)) == pytest.approx(0.6, abs=0.05)
    pred = structural.predict_share(sf, [np.exp(8.0)], 2009, 80)
    expected = np.exp(-4 + 0.6 * 8.0 + 0.02 * 9)  # mean of the country effects is about zero
    assert pred["share_pct"].iloc[0] == pytest.approx(expected, rel=0.15)
    assert (
        pred["pred_lo_pct"].iloc[0]
        < pred["mean_lo_pct"].iloc[0]
        < pred["share_pct"].iloc[0]
        < pred["mean_hi_pct"].iloc[0]
        < pred["pred_hi_pct"].iloc[0]
    )


def test_elasticity_at_an_income_is_the_slope_of_the_quadratic_there():
    # the log-quadratic fit the economist checked: -0.376 + 2 x 0.0524 x ln 4,323 = -0.376 + 0.1048 x 8.3717
    params = pd.Series({"Intercept": -3.0, "log_gdppc": -0.376, "lgdp2": 0.0524})
    assert structural.elasticity_at(params, 4323.0) == pytest.approx(0.5014, abs=1e-4)
    # the log-linear form: one slope at every income
    assert structural.elasticity_at(params.drop("lgdp2"), 4323.0) == pytest.approx(-0.376)
    assert structural.elasticity_at(params.drop("lgdp2"), 50.0) == pytest.approx(-0.376)


def test_diagnostics_report_the_quadratic_elasticity_at_the_income_asked():
    # share = exp(-4 - 0.4 ln y + 0.05 (ln y)^2): the elasticity at y = e^8 is -0.4 + 2 x 0.05 x 8 = 0.4,
    # while the linear coefficient alone says -0.4
    rng = np.random.default_rng(2)
    rows = []
    for c in range(80):
        for year in range(2000, 2006):
            ly = rng.uniform(6, 11)
            share = float(np.exp(-4 - 0.4 * ly + 0.05 * ly**2 + rng.normal(0, 0.3)))
            rows.append((f"C{c:02d}", f"Country {c}", year, share, float(np.exp(ly))))
    d = pd.DataFrame(rows, columns=["entity", "entity_name", "year", "gerd", "pc"])
    panel = structural.build_panel(
        d[["entity", "entity_name", "year", "gerd"]].rename(columns={"gerd": "value"}),
        d[["entity", "year", "pc"]].rename(columns={"pc": "value"}),
    )
    diag = structural.diagnostics(structural.fit(panel, quadratic=True), float(np.exp(8.0)))
    assert diag["income elasticity at Viet Nam's income"] == pytest.approx(0.4, abs=0.05)
    lo, hi = diag["elasticity 95% CI, low"], diag["elasticity 95% CI, high"]
    assert (diag["first year"], diag["last year"], diag["countries"]) == (2000, 2005, 80)
    assert lo < 0.4 < hi and hi - lo < 0.2


# ----------------------------------------------------------------------------- growth simulation


@pytest.fixture(scope="module")
def growth_history(rd_data):
    from analysis.data import observed

    return observed.gdp_table(rd_data.gdp)["real_growth_pct"].loc[2000:]


def test_growth_model_selects_by_aic(growth_history):
    m = gs.fit_growth_model(growth_history, max_order=2)
    assert m.order == min(m.aic_by_order, key=m.aic_by_order.get)
    assert 3 < m.mean_pct < 10 and 0.3 < m.sigma_pct < 4


def test_too_short_history_is_refused(growth_history):
    with pytest.raises(ParameterError, match="growth_sample_start"):
        gs.fit_growth_model(growth_history.iloc[-5:])


def test_simulation_is_reproducible_for_a_seed(growth_history):
    m = gs.fit_growth_model(growth_history, order=1)
    a = gs.simulate_growth(m, 5, 1000, seed=7)
    b = gs.simulate_growth(m, 5, 1000, seed=7)
    c = gs.simulate_growth(m, 5, 1000, seed=8)
    assert np.array_equal(a, b) and not np.array_equal(a, c)


def test_ar1_zero_variance_simulation_is_the_point_forecast_by_hand(growth_history):
    m = gs.fit_growth_model(growth_history, order=1)
    f = gs.simulate_growth(m, 3, 1, seed=0, sigma_scale=0.0)[0]
    last = growth_history.iloc[-1]
    phi = m.ar[0]
    expected = [m.mean_pct + phi**h * (last - m.mean_pct) for h in (1, 2, 3)]
    np.testing.assert_allclose(f, expected, rtol=1e-12)


def test_numpy_simulation_matches_statsmodels_in_distribution(growth_history):
    m = gs.fit_growth_model(growth_history, order=1)
    ours = gs.simulate_growth(m, 4, 40_000, seed=3)
    theirs = np.asarray(m.result.simulate(4, repetitions=8_000, anchor="end", rng=4)).reshape(4, -1).T
    se_mean = m.sigma_pct * 1.2 * np.sqrt(1 / 40_000 + 1 / 8_000)
    np.testing.assert_allclose(ours.mean(0), theirs.mean(0), atol=4 * se_mean)
    for q in (10, 50, 90):
        np.testing.assert_allclose(np.percentile(ours, q, axis=0), np.percentile(theirs, q, axis=0), atol=0.1)
    np.testing.assert_allclose(ours.std(0), theirs.std(0), rtol=0.05)


def test_zero_variance_simulation_reproduces_the_deterministic_path(rd_data, growth_history):
    # With the shocks switched off every simulated path is the model's point forecast, and the GDP and
    # GERD computed from it equal notebook 01's path computed with that forecast as the growth input.
    m = gs.fit_growth_model(growth_history, order=1)
    forecast = gs.simulate_growth(m, 5, 1, seed=0, sigma_scale=0.0)[0]  # the point forecast, 2026-2030
    p = params.validate(
        "rd_paths", {"real_gdp_growth_pct": dict(zip(range(2026, 2031), forecast.tolist(), strict=True))}
    )
    rd = resolve(p, rd_data)
    path = rd_path(rd.inputs)
    growth, core = gs.simulate_gdp(rd.inputs, m, n=50, seed=1, sigma_scale=0.0)
    assert np.allclose(growth, growth[0])
    np.testing.assert_allclose(np.median(core["gdp_vnd_bn"], axis=0), path["gdp_vnd_bn"], rtol=1e-12)
    gerd = np.median(core["gdp_vnd_bn"] * path["share_pct"].to_numpy() / 100, axis=0)
    np.testing.assert_allclose(gerd, path["gerd_vnd_bn"], rtol=1e-12)


def test_probability_and_needed_share_by_hand():
    gdp = np.array([100.0, 200.0, 300.0, 400.0])  # share 10 % -> GERD 10, 20, 30, 40
    # state half of GERD: 5, 10, 15, 20 against an envelope of 12 -> 2 of 4 exceed
    assert fz.prob_exceeds(0.5, 10.0, gdp, 12.0) == 50.0
    assert fz.prob_exceeds(np.array([0.0, 1.0]), 10.0, gdp, 12.0).tolist() == [0.0, 75.0]
    # needed non-state share: 1 - 12 / GERD = -0.2, 0.4, 0.6, 0.7 -> median 0.5 -> 50 %
    assert fz.nonstate_share_needed_pct(10.0, gdp, 12.0, 50) == pytest.approx(50.0)


def test_exceed_curve_by_hand():
    gdp = np.array([100.0, 200.0, 300.0, 400.0])  # share 10 % -> GERD 10, 20, 30, 40 against an envelope of 12
    curve = fz.exceed_curve(10.0, gdp, 12.0, np.array([0.0, 50.0, 100.0]))
    # all state: 3 of 4 exceed; half: 5, 10, 15, 20 -> 2 of 4; none: 0
    assert curve["prob_exceeds_pct"].tolist() == [75.0, 50.0, 0.0]
    assert curve["nonstate_share_target_pct"].tolist() == [0.0, 50.0, 100.0]


def test_structural_form_choice():
    class Fit:
        def __init__(self, aic):
            self.result = type("R", (), {"aic": aic})()

    lin, quad = Fit(10.0), Fit(9.0)
    assert structural.choose(lin, quad) == (quad, lin)  # the lower AIC
    assert structural.choose(lin, quad, "log_linear") == (lin, quad)
    with pytest.raises(ParameterError, match="structural_spec"):
        structural.choose(lin, quad, "cubic")


def test_researchers_and_spending_by_hand():
    from analysis.models import decomposition as dc

    # 2020 -> 2021: real GDP x1.1, prices flat, share x2: GERD 100 -> 220 bn VND
    path = pd.DataFrame(
        {"real_index": [1.0, 1.1], "price_index": [1.0, 1.0], "share_pct": [1.0, 2.0], "gerd_vnd_bn": [100.0, 220.0]},
        index=[2020, 2021],
    )
    out = dc.researchers_and_spending(
        path,
        pd.Series({2018: 100.0, 2020: 121.0}),  # researchers per million
        pd.Series({2018: 1e6, 2020: 2e6}),  # people
        pd.Series({2018: 50.0, 2020: 80.0}),  # R&D spending, bn VND
        pd.Series({2018: 1.0, 2020: 1.0}),  # prices
        population_growth_pct=10.0,
        target_per_million=133.1,
        target_by=2021,
        trend_years=2,
    )
    # researchers: 121 per million x 2 million = 242 in 2020; 133.1 x 2.2 million = 292.82 in 2021
    assert out["researchers_base"] == pytest.approx(242.0) and out["researchers_target"] == pytest.approx(292.82)
    assert out["spr_base"] == pytest.approx(100e3 / 242) and out["spr_target"] == pytest.approx(220e3 / 292.82)
    # real spending per researcher: GERD x2.2 over population x1.1 and density x1.1 -> x(2.2 / 1.21)
    d = out["decomposition"].set_index(["decomposition", "component"])["log_points_per_year"]
    assert d[("researchers_x_spending", "real_spending_per_researcher")] == pytest.approx(np.log(2.2 / 1.21))
    # history 2018-2020: density 100 -> 121 is 10 % a year
    assert out["history"]["years"] == "2018-2020" and out["history"]["density_pct"] == pytest.approx(10.0)
    # spending per researcher: 2018 observed (50 bn / 100 researchers = 500 million), then the path
    spr = out["spending_per_researcher"]
    assert spr["status"].tolist() == ["observed", "observed", "required"]
    assert spr["mn_vnd_per_researcher"].tolist() == pytest.approx([500.0, 100e3 / 242, 220e3 / 292.82])


def test_api_feasibility_checks_parameters_as_the_command_line_does():
    from analysis import api

    with pytest.raises(ParameterError, match="window_years"):
        api.feasibility(window_years=99)


def test_the_growth_bands_backtest_by_hand():
    """growth_sim.backtest_bands on 14 years alternating 5% and 7% (2000-2013), one year ahead, 12 years to
    fit: origins 2011 and 2012 only. Origin 2011 grew 7%, the next year 5%: actual 5.0, naive (repeat 7%)
    7.0; origin 2012 grew 5%, then 7%: actual 7.0, naive 5.0. The naive forecast misses by 2 pp each time."""
    from analysis.models import growth_sim

    history = pd.Series([5.0, 7.0] * 7, index=range(2000, 2014))
    cases = growth_sim.backtest_bands(history, horizon=1, interval_pct=80.0, n_paths=2000)
    assert cases["origin"].tolist() == [2011, 2012]
    assert cases["actual_pct"].tolist() == pytest.approx([5.0, 7.0])
    assert cases["naive_pct"].tolist() == pytest.approx([7.0, 5.0])
    assert cases["train_first"].tolist() == [2000, 2000] and cases["train_last"].tolist() == [2011, 2012]
    assert cases["order"].isin([0, 1, 2]).all() and (cases["sigma_pct"] > 0).all()
    assert (cases["low_pct"] <= cases["median_pct"]).all() and (cases["median_pct"] <= cases["high_pct"]).all()
    record = growth_sim.band_record(cases, 80.0)
    assert record["cases"] == 2 and (record["first_origin"], record["last_origin"]) == (2011, 2012)
    assert record["naive_mae_pp"] == pytest.approx(2.0)
    # one year ahead the trailing mean is the origin year itself: the two naives coincide
    assert cases["naive_mean_pct"].tolist() == pytest.approx(cases["naive_pct"].tolist())
    assert record["naive_mean_mae_pp"] == pytest.approx(2.0)
    assert record["coverage_pct"] in (0.0, 50.0, 100.0)
    # two years ahead: (1.05 x 1.07 - 1) = 12.35% whichever year starts; only origin 2011 has two years after it
    two = growth_sim.backtest_bands(history, horizon=2, interval_pct=80.0, n_paths=500)
    assert two["origin"].tolist() == [2011] and two["actual_pct"].tolist() == pytest.approx([12.35])
    # the naives two years ahead of 2011: repeat 7% twice, 1.07^2 - 1 = 14.49%; repeat the mean growth of
    # 2010-2011 (5%, 7%), i.e. their cumulative 12.35%, which is exactly what happened
    assert two["naive_pct"].tolist() == pytest.approx([14.49])
    assert two["naive_mean_pct"].tolist() == pytest.approx([12.35])
    two_record = growth_sim.band_record(two, 80.0)
    assert (two_record["naive_mae_pp"], two_record["naive_mean_mae_pp"]) == pytest.approx((2.14, 0.0))
    assert growth_sim.band_record(two.iloc[0:0], 80.0)["cases"] == 0
    # too narrow: coverage more than 10 points under the nominal 80% (4 of 10 inside: 40%; 7 of 10: 70% is not)
    ten = pd.DataFrame(
        {"origin": range(2000, 2010), "actual_pct": 0.0, "median_pct": 0.0, "naive_pct": 0.0, "naive_mean_pct": 0.0}
    )
    assert growth_sim.band_record(ten.assign(inside=[True] * 4 + [False] * 6), 80.0)["too_narrow"] is True
    assert growth_sim.band_record(ten.assign(inside=[True] * 7 + [False] * 3), 80.0)["too_narrow"] is False


# Five past origins worked by hand (80% band). Stretch = |actual - median| over the half-width on the
# outcome's side: 2011 1/2 = 0.5; 2012 above, 4/3; 2013 below, 5/4 = 1.25; 2014 above, 6/2 = 3.0; 2015 below,
# 1/0.5 = 2.0. Only 2011 is inside the band as fitted (coverage 20%).
CASES = pd.DataFrame(
    {
        "origin": [2011, 2012, 2013, 2014, 2015],
        "train_first": 2000,
        "train_last": [2011, 2012, 2013, 2014, 2015],
        "order": [1, 1, 2, 2, 0],
        "sigma_pct": [0.5, 0.6, 0.5, 0.5, 1.0],
        "actual_pct": [11.0, 14.0, 5.0, 16.0, 9.0],
        "median_pct": [10.0] * 5,
        "low_pct": [8.0, 8.0, 6.0, 8.0, 9.5],
        "high_pct": [12.0, 13.0, 12.0, 12.0, 12.0],
        "inside": [True, False, False, False, False],
        "naive_pct": 10.0,
        "naive_mean_pct": 9.0,
    }
)


def _coverage(stretch, scale):
    """The share (%) of past outcomes inside the bands widened by ``scale`` around their medians."""
    return (np.asarray(stretch) <= scale).mean() * 100


def test_the_band_scale_by_hand():
    """Sorted stretches 0.5, 1.25, 4/3, 2.0, 3.0; 80% of 5 is 4, so the scale is the 4th: 2.0 (it holds 4 of 5).
    At 50%: ceil(2.5) = 3rd, 4/3. Stretches all under 1 give the floor, 1."""
    stretch = gs.band_stretch(CASES)
    np.testing.assert_allclose(stretch, [0.5, 4 / 3, 1.25, 3.0, 2.0])
    assert gs.band_scale(stretch, 80.0) == pytest.approx(2.0)
    assert gs.band_scale(stretch, 50.0) == pytest.approx(4 / 3)
    assert gs.band_scale(np.array([0.2, 0.4, 0.6, 0.8, 0.9]), 80.0) == 1.0
    assert gs.band_scale(np.array([]), 80.0) == 1.0
    assert (_coverage(stretch, 1.0), _coverage(stretch, 2.0)) == (20.0, 80.0)


def test_the_band_record_table_by_hand():
    """The page's per-origin table of the five origins above: the fitted model (years, order, s.d.), the band
    against the outcome, whether it held, the two naive forecasts and the stretch worked above."""
    table = gs.band_table(CASES)
    assert table.columns.tolist() == [
        "origin", "train_first", "train_last", "order", "sigma_pct", "actual_pct", "median_pct", "low_pct",
        "high_pct", "inside", "naive_pct", "naive_mean_pct", "stretch",
    ]  # fmt: skip
    assert table["origin"].tolist() == [2011, 2012, 2013, 2014, 2015]
    assert table["inside"].tolist() == [True, False, False, False, False]
    np.testing.assert_allclose(table["stretch"], [0.5, 4 / 3, 1.25, 3.0, 2.0])
    # inside the band as fitted exactly when the stretch is at most 1
    assert (table["inside"] == (table["stretch"] <= 1)).all()
    assert gs.band_table(CASES.iloc[0:0]).empty


_case = st.tuples(
    st.floats(-5.0, 20.0), st.floats(0.1, 10.0), st.floats(0.1, 10.0), st.floats(-20.0, 40.0)
)  # median, lower half-width, upper half-width, actual


@settings(max_examples=60)
@given(st.lists(_case, min_size=1, max_size=12), st.sampled_from([50.0, 80.0, 90.0]), st.floats(0.0, 5.0))
def test_the_widened_band_is_never_narrower_and_coverage_grows_with_the_scale(rows, interval, extra):
    med, lo_w, hi_w, actual = (np.array(c) for c in zip(*rows, strict=True))
    # an outcome on a band's edge to the last bit (1 - 1 vs -2e-30) is inside or not by rounding alone
    assume((np.minimum(abs(actual - (med - lo_w)), abs(actual - (med + hi_w))) > 1e-9).all())
    cases = pd.DataFrame(
        {"origin": range(len(rows)), "actual_pct": actual, "median_pct": med, "low_pct": med - lo_w,
         "high_pct": med + hi_w}
    )  # fmt: skip
    stretch = gs.band_stretch(cases)
    k = gs.band_scale(stretch, interval)
    # the widened band contains the fitted band and holds at least the nominal share of the outcomes
    assert k >= 1.0 and (med - k * lo_w <= med - lo_w).all() and (med + k * hi_w >= med + hi_w).all()
    fitted = ((cases["low_pct"] <= actual) & (actual <= cases["high_pct"])).mean() * 100
    assert _coverage(stretch, 1.0) == pytest.approx(fitted)
    assert _coverage(stretch, k) >= max(fitted, interval) - 1e-9
    # coverage is monotone in the scale, counted on the widened bounds themselves
    inside = [((med - s * lo_w <= actual) & (actual <= med + s * hi_w)).mean() for s in (k, k + extra)]
    assert inside[0] <= inside[1]
    assert _coverage(stretch, k + extra) >= _coverage(stretch, k)


def test_the_widened_sensitivity_is_the_fitted_simulation_at_factor_one_and_wider_above(rd_data, growth_history):
    """The report's headline figures (feasibility.headline_figures) from the same seed: with the factor 1
    they are those of the simulation as fitted (no factor given), and with 2.28 every band of the target
    year (GDP, R&D in dong and dollars) is wider on both sides, the median nearly unchanged."""
    rd = resolve(params.validate("rd_paths", {}), rd_data)
    path, m = rd_path(rd.inputs), gs.fit_growth_model(growth_history)
    prices = {"deflator_sd_pp": 1.7, "depreciation_sd_pp": 1.0}

    def figures(**scale):
        core = gs.simulate_gdp(rd.inputs, m, 4000, 11, **scale, **prices)[1]
        return fz.headline_figures(core, path, fz.envelope_draws(path, core["gdp_vnd_bn"]), (10, 50, 90))

    fitted, one, wide = figures(), figures(sigma_scale=1.0), figures(sigma_scale=2.28)
    assert one == fitted
    for key in ("gdp_target_vnd_bn", "gerd_target_vnd_bn", "gerd_target_usd_bn"):
        assert wide[f"{key}_p10"] < fitted[f"{key}_p10"] and wide[f"{key}_p90"] > fitted[f"{key}_p90"]
        assert wide[f"{key}_p50"] == pytest.approx(fitted[f"{key}_p50"], rel=0.01)


@settings(max_examples=25)
@given(st.floats(0.0, 0.8), st.floats(0.3, 2.0), st.floats(1.05, 4.0), st.integers(0, 10_000))
def test_a_factor_above_one_widens_every_band_of_cumulative_growth(ar1, sigma, k, seed):
    """Same draws, shocks x k: every central band (5-95, 10-90, 25-75) of five-year cumulative growth widens,
    on both sides of the median."""
    m = gs.GrowthModel(1, 6.0, (ar1,), sigma, pd.Series([6.0, 6.5], index=[2024, 2025]), {1: 0.0}, 0.5, None)

    def bands(scale):
        cum = (1 + gs.simulate_growth(m, 5, 2000, seed=seed, sigma_scale=scale) / 100).prod(axis=1)
        return np.percentile(cum, (5, 10, 25, 50, 75, 90, 95))

    base, wide = bands(1.0), bands(k)
    assert (wide[:3] < base[:3]).all() and (wide[4:] > base[4:]).all()


def test_widening_the_shocks_widens_the_cumulative_band_by_the_same_factor():
    """band_scale assumes that scaling the shock s.d. by k scales the band of cumulative growth by k around its
    median: exact for the sum of the years' growth (a linear AR(1)); compounded over 5 years the upper side
    widens a little more and the lower side a little less (within 3%), the whole band by 2 within 1%."""
    m = gs.GrowthModel(1, 6.5, (0.5,), 1.2, pd.Series([6.0, 7.0], index=[2024, 2025]), {1: 0.0}, 0.5, None)

    def half_widths(scale):
        cum = ((1 + gs.simulate_growth(m, 5, 20_000, seed=9, sigma_scale=scale) / 100).prod(axis=1) - 1) * 100
        lo, mid, hi = np.percentile(cum, (10, 50, 90))
        return np.array([mid - lo, hi - mid])

    wide, fitted = half_widths(2.0), half_widths(1.0)
    np.testing.assert_allclose(wide / fitted, 2.0, rtol=0.03)
    assert wide.sum() / fitted.sum() == pytest.approx(2.0, rel=0.01)


def test_budget_arithmetic_worked_by_hand():
    """The referee's figures: an envelope of 118.9 trillion dong against 408.1 planned covers
    118.9 / 408.1 = 29.135%, so 70.865% must be non-budget. Nothing more: how far GDP would have to fall for the
    state's part to fit (27.16% at 60% non-budget) held the envelope fixed in dong, which it is not."""
    out = fz.budget_arithmetic(118.9, 408.1)
    assert out == {
        "envelope_share_of_planned_rd_pct": pytest.approx(29.135, abs=1e-3),
        "nonbudget_share_needed_arithmetic_pct": pytest.approx(70.865, abs=1e-3),
    }


PLAN = pd.DataFrame(  # three years of a plan: GDP grows 10% a year, the envelope 3% x 20% of it, R&D 2% of it
    {"gdp_vnd_bn": [100.0, 110.0, 121.0], "envelope_vnd_bn": [0.6, 0.66, 0.726], "gerd_vnd_bn": [2.0, 2.2, 2.42]},
    index=[2028, 2029, 2030],
).assign(share_pct=2.0)


def test_the_envelope_is_set_on_the_gdp_of_the_year_before():
    """A path 10% below plan in its second year sets the third year's envelope 10% below the plan's (0.726 x 99 / 110
    = 0.6534), whatever its third year brings; one on plan until its last year keeps the plan's envelope."""
    gdp = np.array([[100.0, 99.0, 130.0], [100.0, 110.0, 90.0]])
    np.testing.assert_allclose(fz.envelope_draws(PLAN, gdp), [[0.6, 0.66, 0.6534], [0.6, 0.66, 0.726]])


@settings(max_examples=25)
@given(st.floats(0.5, 2.0), st.floats(0.0, 1.0))
def test_the_level_of_gdp_does_not_move_the_non_budget_share_needed(k, surprise):
    """Scaling a path's GDP in every year by ``k`` scales the envelope the year before sets and the R&D needed
    alike: the share at which the state's part fits is the same at any level (what the report's sentence 'fits
    unless GDP is 27% below plan' had missed)."""
    gdp = np.array([[100.0, 110.0, 121.0], [100.0, 108.0, 121.0 * (1 + surprise / 10)]])
    need = [fz.nonstate_share_needed_pct(2.0, g[:, -1], fz.envelope_draws(PLAN, g)[:, -1], 50) for g in (gdp, gdp * k)]
    assert need[0] == pytest.approx(need[1], abs=1e-9)


@settings(max_examples=25)
@given(st.floats(0.5, 2.0), st.integers(0, 2**16))
def test_the_headline_figures_are_the_same_at_any_level_of_gdp(k, seed):
    """headline_figures (what the report publishes) with every simulated GDP path scaled by ``k``: the envelope a
    path's year before sets scales as the R&D needed does, so the chance that the state's part exceeds it in the
    target year and the non-budget shares at which it fits are unchanged (an envelope fixed in dong would make them
    move with GDP). The any-year chance is left out: the first year's envelope is the plan's, whatever the path."""
    plan = PLAN.assign(nonstate_share_pct=70.0)  # on plan the state's 30% of R&D is the envelope itself
    growth = np.c_[np.ones(400), 1 + np.random.default_rng(seed).normal(0.0, 0.03, (400, 2))]
    gdp = plan["gdp_vnd_bn"].to_numpy() * np.cumprod(growth, axis=1)
    base, scaled = (
        fz.headline_figures({"gdp_vnd_bn": g, "gdp_usd_bn": g / 25}, plan, fz.envelope_draws(plan, g), (10, 50, 90))
        for g in (gdp, gdp * k)
    )
    assert scaled["gdp_target_vnd_bn_p50"] == pytest.approx(k * base["gdp_target_vnd_bn_p50"])
    for key in (
        "prob_state_gerd_exceeds_envelope_pct",
        "nonstate_share_needed_p50_pct",
        "nonstate_share_needed_p90_pct",
    ):
        assert scaled[key] == pytest.approx(base[key], abs=1e-9), key


@pytest.fixture(scope="module")
def default_feasibility(rd_data):
    return rd_feasibility.run(params.validate("rd_feasibility", {}), rd_data)


def test_assess_gives_the_same_chances_and_shares_at_any_level_of_gdp(rd_data, default_feasibility, monkeypatch):
    """The report's facts (feasibility.assess) with every simulated GDP path 25% higher (the fitted, the widened and
    the real-growth-only draws): GDP and R&D in dong move, the chances, the non-budget shares needed (the range over
    budget spending too) and the exceedance curve do not."""
    simulate = gs.simulate_gdp

    def higher(*args, **kwargs):
        growth, core = simulate(*args, **kwargs)
        return growth, core | {"gdp_vnd_bn": core["gdp_vnd_bn"] * 1.25}

    monkeypatch.setattr(gs, "simulate_gdp", higher)
    base, high = default_feasibility, rd_feasibility.run(params.validate("rd_feasibility", {}), rd_data)
    assert high.summary["gdp_target_vnd_bn_p50"] == pytest.approx(1.25 * base.summary["gdp_target_vnd_bn_p50"])
    for key in (
        "prob_state_gerd_exceeds_envelope_pct",
        "prob_state_gerd_exceeds_envelope_pct_widened",
        "nonstate_share_needed_p50_pct",
        "nonstate_share_needed_p90_pct",
        "nonstate_share_needed_p90_pct_widened",
        "nonstate_share_needed_p50_pct_at_budget_high",
        "nonstate_share_needed_p50_pct_at_budget_low",
    ):
        assert high.summary[key] == pytest.approx(base.summary[key], abs=1e-9), key
    pd.testing.assert_frame_equal(high.exceed_curve, base.exceed_curve)


def test_the_default_non_budget_share_needed_in_half_of_the_outcomes_by_hand(default_feasibility):
    """The envelope is 3% of budget spending (19.421% of GDP) against R&D of 2% of GDP in 2030: it covers
    1.5 x 19.421 = 29.13% of the planned R&D. Set on 2029's GDP, it follows each path to 2029, so only 2030's own
    nominal growth g against the plan's (6.5% real and 3% prices: 1.065 x 1.03) moves it: a path needs
    1 - 29.13% x 1.065 x 1.03 / g from outside the budget, the median path's (g = 1.0957) 70.84%. An envelope fixed
    in dong on the planned GDP gives 70.70 (1 - 29.13% x planned / median simulated GDP of 2030)."""
    gdp = default_feasibility.sim_gdp_vnd
    g = np.median(gdp[:, -1] / gdp[:, -2])
    need = default_feasibility.summary["nonstate_share_needed_p50_pct"]
    assert need == pytest.approx(100 - 1.5 * 19.421 * 1.065 * 1.03 / g, abs=1e-6)
    assert need == pytest.approx(70.84, abs=0.005)


def test_the_page_and_the_findings_say_whether_the_state_part_fits_as_the_summary_does(default_feasibility):
    """At the default's 60% non-budget the state's part exceeds the envelope, which covers 29.13% of the planned
    R&D (70.87% must come from outside the budget); the page's sentence and the key finding both follow the
    summary's one flag, not a comparison of their own."""
    from analysis import i18n
    from analysis.reports import findings

    S = default_feasibility.summary
    assert S["state_part_fits_envelope_arithmetic"] is False
    flipped = S | {"state_part_fits_envelope_arithmetic": True}
    record = flipped | {
        "parameters": {"target_year": 2030, "science_budget_share_pct": 3.0, "budget_exp_pct_gdp": 19.4}
    }
    with i18n.language("en"):
        assert rd_feasibility.scenario_fit(S) == (
            "At 60% non-budget (the Resolution asks for more) the state's part exceeds the envelope."
        )
        assert rd_feasibility.scenario_fit(flipped).endswith("the state's part fits the envelope.")
        assert "the state's part of R&D in 2030 fits it;" in findings.feasibility_budget(record).striptags()


@pytest.mark.parametrize(
    ("p50", "p90", "said"),
    [
        (70.84, 71.61, "inside"),  # the default build's: 71% and 72% printed, strictly between 66% and 73%
        (70.84, 72.4, "at the edge of"),  # 73% printed, the top as printed
        (70.84, 72.7, "at the edge of"),  # 73% again, though beyond 72.61
        (70.84, 73.2, "outside"),  # 74%
        (65.5, 71.0, "at the edge of"),  # 66%, the bottom as printed
        (65.0, 71.0, "outside"),  # 65%
    ],
)
def test_the_margins_are_inside_at_the_edge_of_or_outside_the_budget_range_as_printed(p50, p90, said):
    """The margins (rounded up to whole per cent, as the sentence prints them) against the range of budget spending
    66.33%-72.61% (66%-73% printed): the sentence says where they are, not always 'well inside'."""
    from analysis import i18n

    S = {
        "nonstate_share_needed_p50_pct_at_budget_high": 66.33,
        "nonstate_share_needed_p50_pct_at_budget_low": 72.61,
        "nonstate_share_needed_p50_pct": p50,
        "nonstate_share_needed_p90_pct": p90,
    }
    with i18n.language("en"):
        assert rd_feasibility.margins_words(S) == f"margins {said} the 66%-73% that the range of budget spending gives."
    with i18n.language("vi"):
        assert "66%-73% do khoảng biến động của chi ngân sách tạo ra" in rd_feasibility.margins_words(S)


def test_the_budget_share_range_worked_by_hand():
    """The referee's arithmetic: the envelope is 3% of budget spending, R&D 2% of GDP, so it covers 1.5 x budget
    spending (% of GDP) per cent of R&D: 18.2% of GDP covers 27.3% (72.7% non-budget), 22.4% covers 33.6% (66.4%),
    the plan's 20% covers 30%. With every simulated path on plan the median needs the same; the suffix names the
    budget reading: ``_at_budget_high`` (22.4%) the smaller share."""
    gdp = np.tile(PLAN["gdp_vnd_bn"].to_numpy(), (4, 1))
    out = fz.budget_share_range(PLAN, gdp[:, -1], fz.envelope_draws(PLAN, gdp)[:, -1], 20.0, 18.2, 22.4)
    assert out["budget_exp_pct_gdp_low"] == 18.2 and out["budget_exp_pct_gdp_high"] == 22.4
    for key in ("nonbudget_share_needed_arithmetic_pct", "nonstate_share_needed_p50_pct"):
        assert out[f"{key}_at_budget_high"] == pytest.approx(66.4)
        assert out[f"{key}_at_budget_low"] == pytest.approx(72.7)


def test_a_run_computes_the_required_rd_path_once(rd_data, default_feasibility, monkeypatch):
    """The budget range and the assessment read one required R&D path (each had computed its own)."""
    from analysis.reports import rd_paths

    calls = []

    def counted(inp):
        calls.append(inp)
        return rd_path(inp)

    for module in (rd_feasibility, rd_paths, fz):  # every module a run may reach rd_path through
        if hasattr(module, "rd_path"):
            monkeypatch.setattr(module, "rd_path", counted)
    again = rd_feasibility.run(params.validate("rd_feasibility", {}), rd_data)
    assert len(calls) == 1
    assert again.summary["budget_exp_pct_gdp_high"] == default_feasibility.summary["budget_exp_pct_gdp_high"]


@pytest.mark.parametrize(
    ("budget", "low", "high"), [(19.421, 18.242, 22.422), (16.0, 16.0, 22.422), (25.0, 18.242, 25.0)]
)
def test_each_end_of_the_budget_range_is_the_data_or_the_scenario_whichever_lies_further_out(
    rd_data, budget, low, high
):
    """Budget spending over official GDP: 20.25% (2023), 18.24% (2024), 19.77% (2025); the 2026 estimate over the
    GDP the scenario projects, 22.42%. A scenario's share below 18.24% is the low end and, by the same rule, one
    above 22.42% the high end (it had been left out: 18.2%-22.4% beside a scenario at 25%)."""
    rd = resolve(params.validate("rd_paths", {"budget_exp_pct_gdp": budget}), rd_data)
    out = budget_range(rd, rd_data)
    assert (out["low"], out["high"]) == pytest.approx((low, high), abs=1e-3)
    assert (out["years"], out["next_year"]) == ([2023, 2024, 2025], 2026)


def test_the_docs_call_the_60_percent_share_a_threshold_and_only_the_budget_rule_a_floor():
    """The Resolution asks for more than 60% of R&D from outside the budget (a threshold to exceed) and at least 3%
    of the budget for science (a floor): the README, the design notes and the docstrings of the consistency finding
    and of the scenario's words never call the 60% a floor."""
    import re
    from pathlib import Path

    from analysis.reports import findings, rd_paths

    root = Path(__file__).resolve().parents[1]
    texts = {name: (root / name).read_text(encoding="utf-8") for name in ("README.md", "docs/design.md")}
    for f in (findings.rd_consistency, rd_paths.consistency_summary, rd_feasibility.scenario_words):
        texts[f.__qualname__] = f.__doc__
    for name, text in texts.items():
        assert not re.search(r"60% (non-budget )?floor|non-budget floor|Resolution's floor", " ".join(text.split())), (
            name
        )


def test_the_start_and_the_preliminary_growth_are_labelled_as_estimates():
    """The 2025 start is a nowcast (its range and the last survey shown); GSO's 2025 growth, which the World Bank
    series does not have yet, is named as preliminary; an observed start and a history without such years say
    nothing more."""
    from analysis import i18n

    S = {
        "start_status": "estimate",
        "share_base_low_pct": 0.3519,
        "share_base_high_pct": 0.47722,
        "vietnam_latest_gerd_year": 2023,
        "growth_preliminary": [{"year": 2025, "growth_pct": 8.02}],
    }
    with i18n.language("en"):
        assert rd_feasibility.start_status_words(S) == ", an estimate (nowcast range 0.352%-0.477%; last survey 2023),"
        assert rd_feasibility.preliminary_words(S) == (
            "Growth in 2025 (8.02%) is GSO's preliminary figure, not yet in the World Bank series; the model fits it "
            "as an observed year."
        )
        assert rd_feasibility.start_status_words(S | {"start_status": "observed"}) == ""
        assert rd_feasibility.preliminary_words(S | {"growth_preliminary": []}) == ""
    with i18n.language("vi"):
        assert "số ước tính" in rd_feasibility.start_status_words(S)
        assert "số liệu sơ bộ" in rd_feasibility.preliminary_words(S)


def test_the_run_holds_no_words_and_results_json_names_the_peers_not_aligned_in_english():
    """Issue 24 item 5: rd_feasibility.run() returns facts (numbers and codes) only; the one worded figure of
    results.json, how the peers that could not be aligned stand, is written by results() in English in every
    edition (the default build's: China's and Korea's first WDI observations, 1996, are above Viet Nam's start)."""
    from analysis import i18n

    with i18n.language("vi"):
        f = rd_feasibility.run(params.validate("rd_feasibility", {"n_simulations": 200}))
        out = rd_feasibility.results(f)
    assert "peers_not_aligned" not in f.summary
    # the fields every report has (render.results_record): the page's title in the run's language and in each
    assert (out["report"], out["parameters"]) == ("rd_feasibility", f.params)
    assert out["titles"] == {"en": "Is the R&D spending target feasible?", "vi": out["title"]}
    assert out["title"] != out["titles"]["en"]
    assert out["peers_not_aligned"] == {
        "China": "first observation (1996) already 0.56%",
        "Korea, Rep.": "first observation (1996) already 2.14%",
    }
    keys = list(out)
    assert keys.index("peers_not_aligned") == keys.index("exceed_curve") - 1  # where results.json had it


def test_the_sensitivity_table_writes_each_figure_with_its_own_decimals():
    """A probability in whole per cent, a share and dollars to one decimal, the shock s.d. to two: the figures of
    the default build's band table (100.00 and 70.70 had been shown), rounded once so page, CSV and workbook agree."""
    from analysis import i18n

    S = {
        "gdp_band_scale": 2.28,
        "growth_model": {"shock s.d., pp": 1.3374},
        "gdp_band_widened_sd_pct": 3.0547,
        "gerd_target_usd_bn_p50": 14.7122,
        "gerd_target_usd_bn_p50_widened": 14.6904,
        "gerd_target_usd_bn_p10": 13.786,
        "gerd_target_usd_bn_p10_widened": 13.3121,
        "gerd_target_usd_bn_p90": 15.7093,
        "gerd_target_usd_bn_p90_widened": 16.216,
        "prob_state_gerd_exceeds_envelope_pct": 99.6,
        "prob_state_gerd_exceeds_envelope_pct_widened": 100.0,
        "nonstate_share_needed_p50_pct": 70.7039,
        "nonstate_share_needed_p50_pct_widened": 70.6755,
    }
    t = rd_feasibility.sensitivity_rows(S)
    assert list(t.columns) == ["figure", "fitted model", "shocks widened x2.28"]
    assert t["fitted model"].tolist() == [1.34, 14.7, 13.8, 15.7, 100.0, 70.7]
    assert t["shocks widened x2.28"].tolist() == [3.05, 14.7, 13.3, 16.2, 100.0, 70.7]
    shown = [i18n.fmt.num(v, 2, trim=True) for v in t["fitted model"]]  # the table's cell format
    assert shown == ["1.34", "14.7", "13.8", "15.7", "100", "70.7"]
