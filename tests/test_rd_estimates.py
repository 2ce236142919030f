"""Known answers for issue 22: the backtested nowcast, the one start, the two readings of who pays and the
3% rule as a consistency question."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.models import funding, nowcast
from analysis.reports import params
from analysis.reports import rd_feasibility as feas
from analysis.reports.rd_paths import run

UIS = pd.Series({2013: 0.29932, 2015: 0.35629, 2017: 0.41895, 2019: 0.41652, 2021: 0.42494, 2023: 0.41456})
GDP = {  # bn VND, current (WDI; GSO from 2023)
    2013: 4_473_655.6,
    2015: 5_191_323.7,
    2017: 6_293_904.5,
    2019: 7_707_200.3,
    2021: 8_487_475.6,
    2023: 10_221_800.0,
    2024: 11_511_900.0,
    2025: 12_847_600.0,
}


def test_one_held_out_survey_by_hand():
    bt = nowcast.backtest(UIS, GDP)
    # 2019 held out, known 2013-2017. Flat: 0.41895, error +0.00243.
    assert bt.loc[2019, "flat_share_pct"] == 0.41895
    assert bt.loc[2019, "flat_share_error_pp"] == pytest.approx(0.00243, abs=1e-9)
    # Trend 2013-17: GERD 0.29932% x 4,473,655.6 = 13,390.5; 0.41895% x 6,293,904.5 = 26,368.5;
    # (26,368.5 / 13,390.5) ^ (1/4) = 1.18461; 2019: 26,368.5 x 1.18461^2 = 37,003 / 7,707,200.3 = 0.48011%
    assert bt.loc[2019, "gerd_trend_all_pct"] == pytest.approx(0.48011, abs=2e-5)
    assert bt.loc[2019, "gerd_trend_recent_pct"] == pytest.approx(0.48011, abs=2e-5)  # the record starts in 2013
    # 2015 held out from 2013 alone: no trend can be drawn
    assert np.isnan(bt.loc[2015, "gerd_trend_all_pct"]) and bt.loc[2015, "flat_share_pct"] == 0.29932


def test_the_backtest_chooses_the_central_method_and_the_range_covers_the_trend():
    nc, bt, scores = nowcast.nowcast_share(UIS, GDP, 2025)
    # flat errors 2017-23: -0.06266, +0.00243, -0.00842, +0.01038 -> mean 0.02097; the trends do worse
    assert scores.loc["flat_share", "mean_abs_error_pp"] == pytest.approx(0.0209725, abs=1e-6)
    assert scores["mean_abs_error_pp"].idxmin() == "flat_share" == nc.loc[2025, "method"]
    assert nc.loc[2025, "central_pct"] == 0.41456 and nc.loc[2025, "flag"] == "e"
    assert nc.loc[2025, ["backtest_from", "backtest_to"]].tolist() == [2017, 2023]  # 2015's trends: NaN
    # GERD trend 2017-23 (8.23% a year) to 2025: 42,371 x 1.0823^2 / 12,847,600 = 0.3864%: inside the range
    assert nc.loc[2025, "gerd_trend_recent_pct"] == pytest.approx(0.3864, abs=1e-4)
    assert nc.loc[2025, "low_pct"] <= 0.3864 <= nc.loc[2025, "high_pct"]
    # the bounds by hand: flat's largest error is 2017's 0.06266; 0.41456 -/+ 0.06266 = 0.35190 / 0.47722, and no
    # method lies further out (trend 2017-23 0.3864, trend 2013-23 above it, flat 0.41456)
    assert scores.loc["flat_share", "max_abs_error_pp"] == pytest.approx(0.06266, abs=1e-9)
    assert nc.loc[2025, "low_pct"] == pytest.approx(0.35190, abs=1e-9)
    assert nc.loc[2025, "high_pct"] == pytest.approx(0.47722, abs=1e-9)
    # no December allocation counted: GERD is performed expenditure
    assert nc.loc[2025, "central_pct"] == nc.loc[2024, "central_pct"]


def test_start_resolves_to_the_latest_evidence():
    nc, _bt, _s = nowcast.nowcast_share(UIS, GDP, 2025)
    sp = nowcast.resolve_start(UIS, nc)
    assert (sp.year, sp.status, sp.flag, sp.level_pct) == (2025, "estimate", "e", 0.41456)
    sp23 = nowcast.resolve_start(UIS, nc, 2023)
    assert (sp23.status, sp23.flag, sp23.low_pct, sp23.high_pct) == ("observed", "", 0.41456, 0.41456)


@settings(max_examples=40)
@given(st.lists(st.floats(0.05, 3.0), min_size=3, max_size=6))
def test_the_range_holds_every_method(shares):
    years = list(range(2013, 2013 + 2 * len(shares), 2))
    s = pd.Series(shares, index=years)
    gdp = {y: 1e6 * 1.1 ** (y - 2013) for y in range(2013, years[-1] + 3)}
    nc, _bt, _scores = nowcast.nowcast_share(s, gdp, years[-1] + 2)
    for _y, r in nc.iterrows():
        vals = [r[f"{m}_pct"] for m in nowcast.METHODS if np.isfinite(r[f"{m}_pct"])]
        assert r["low_pct"] <= min(vals) + 1e-12 and max(vals) <= r["high_pct"] + 1e-12
        assert r["low_pct"] <= r["central_pct"] <= r["high_pct"]


def test_consistency_known_answers():
    # 40% of 2% of GDP = 0.8% of GDP against 3% of a budget of 19.4% of GDP = 0.582%: 137.5%
    assert funding.state_rd_pct_of_envelope(2.0, 60.0, 3.0, 19.4) == pytest.approx(0.8 / 0.582 * 100)
    assert round(float(funding.state_rd_pct_of_envelope(2.0, 60.0, 3.0, 19.4)), 1) == 137.5
    # at most 100% fits: non-budget shares (rows) by floors (columns), as the page's consistency table
    fits = funding.state_rd_pct_of_envelope(2.0, np.array([[60.0], [70.9], [80.0]]), np.array([3.0, 5.0]), 19.4) <= 100
    assert not fits[0, 0] and fits[1, 0] and fits[0, 1] and fits[2, 0]
    # against R&D's part of the envelope: half the envelope for R&D doubles the share, 274.9%
    assert funding.state_rd_pct_of_envelope(2.0, 60.0, 3.0, 19.4, 50.0) == pytest.approx(0.8 / 0.291 * 100)
    # the one computation behind `r57 run` and `r57 sweep`, for one scenario and for many: with the 60% floor,
    # 0.8 / 19.4 = 4.1237% of budget expenditure, the smallest floor covering it (8.2474% with half the envelope
    # for R&D); 1 - 0.582 / 2 = 70.9% non-budget needed (with half: 1 - 0.291 / 2 = 85.45%)
    one = funding.consistency_at_floor(2.0, 3.0, 19.4, 50.0, 60.0)
    assert one == pytest.approx(
        {
            "consistency_envelope_pct_at_floor": 137.457,
            "consistency_budget_pct_at_floor": 4.1237,
            "consistency_min_floor_pct": 8.2474,
            "consistency_nonbudget_needed_pct": 85.45,
        },
        abs=1e-3,
    )
    many = funding.consistency_at_floor(np.array([2.0, 2.0, 0.5]), 3.0, 19.4, np.array([50.0, 100.0, 100.0]), 60.0)
    assert many["consistency_nonbudget_needed_pct"] == pytest.approx([85.45, 70.9, 0.0])  # 0.5 < 0.582: none
    assert many["consistency_min_floor_pct"] == pytest.approx([8.2474, 4.1237, 1.0309], abs=1e-4)  # 0.2 / 19.4
    assert many["consistency_budget_pct_at_floor"] == pytest.approx([4.1237, 4.1237, 1.0309], abs=1e-4)


def test_the_readings_of_who_pays(rd_data):
    readings = funding.published_readings(rd_data.funding, 13_390.0)
    by = {r.name: r for r in readings}
    assert by["EY Vietnam 2025 (statement)"].nonbudget == (20.0, 30.0)
    assert by["OECD/World Bank 2014 review"].nonbudget == (30.0, 30.0)
    # 2013 survey: state at most 57.7%; state-owned groups 4,500 / 13,390 = 33.6%; the rest
    # (5,352 - 4,500 + 110 + 200) / 13,390 = 8.68%: 57.7 + 33.6 + 8.7 = 100.0, the rows add up
    s13 = by["MOST R&D survey 2013"]
    assert s13.soe_own[0] == pytest.approx(33.607, abs=1e-3) and s13.private_other[0] == pytest.approx(8.678, abs=1e-3)
    assert s13.adds_up is True
    assert funding.evidence_nonbudget_share_pct(readings) == pytest.approx((20.0, 30.0, 42.3))
    # the budget bound on the 2025 nowcast GERD (0.41456% x 12,847,600 = 53,261): the budget's whole S&T
    # spending (0.82% x 2,540,000 = 20,828) is at most 39.1% of GERD, below every published state share
    c, most = funding.budget_bound_state_share_pct(0.82, 2_540_000, 53_261.0, 0.2566)
    assert most == pytest.approx(39.106, abs=1e-3) and c == pytest.approx(10.035, abs=1e-3)
    assert most < min(r.state_budget[0] for r in readings)


def test_default_scenario_from_the_evidence(rd_data):
    r, path, s = run(params.validate("rd_paths", {}), rd_data)
    assert s["base_year"] == 2025 and s["start_status"] == "estimate" and s["start_flag"] == "e"
    assert s["share_base_pct"] == 0.41456
    # (2 / 0.41456) ^ (1/5) - 1 = 4.824392 ^ 0.2 - 1 = 36.99%
    assert s["share_cagr_pct"] == pytest.approx(36.99, abs=0.01)
    assert s["nonstate_share_base_pct"] == 30.0 and s["nonstate_share_target_pct"] == 60.0
    # budget over official GDP (WDI 2023): 2,070,000 / 10,221,814.7 = 20.2508; 2,100,000 / 11,511,900 = 18.2420;
    # 2,540,000 / 12,847,600 = 19.7702; mean 19.4210%
    assert r.params["budget_exp_pct_gdp"] == pytest.approx(19.4210, abs=1e-4) and s["budget_years"] == "2023-2025"
    # 0.8 / (3% x 19.421) = 137.3% of the envelope; 0.8 / 19.421 = 4.12% of budget expenditure
    assert s["consistency_envelope_pct_at_floor"] == pytest.approx(0.8 / (0.03 * 19.421) * 100, rel=1e-5)
    assert s["consistency_budget_pct_at_floor"] == pytest.approx(0.8 / 19.421 * 100, rel=1e-5)
    assert s["consistency_nonbudget_needed_pct"] == pytest.approx((1 - 0.03 * 19.421 / 2) * 100, rel=1e-5)
    # no default reports a non-budget share above what its sources support
    assert s["nonstate_share_base_pct"] <= s["nonbudget_share_base_high_pct"] == pytest.approx(42.3)


def test_every_rd_report_quotes_the_same_start(rd_data):
    """rd_paths, rd_feasibility and the tracker's T04 row, each run with its defaults, in-process."""
    _r, _p, s = run(params.validate("rd_paths", {}), rd_data)
    f = feas.run(params.validate("rd_feasibility", {}), rd_data)
    assert f.summary["base_year"] == s["base_year"] == 2025
    assert f.summary["share_base_pct"] == pytest.approx(s["share_base_pct"], rel=1e-12)
    assert f.summary["required_share_cagr_pct"] == pytest.approx(s["share_cagr_pct"], rel=1e-12)
    assert f.summary["window_years"] == 5  # target year - base year
    from analysis.reports import resolution_targets as rt

    t = rt.run(params.validate("resolution_targets", {"targets": "T04"}))
    row = t.tracker.set_index("target_id").loc["T04"]
    assert row["model_estimate_year"] == 2025 and row["model_estimate"] == pytest.approx(s["share_base_pct"])
    assert row["latest_year"] == 2023 and not row["latest_is_estimate"]  # the latest survey, the nowcast beside it
    assert t.rd["summary"]["share_cagr_pct"] == pytest.approx(s["share_cagr_pct"], rel=1e-12)


def test_the_largest_low_start_rise_is_named_and_given_clean():
    from analysis.models import feasibility

    w = pd.DataFrame(
        {
            "entity": ["EST", "PRT", "KOR"],
            "entity_name": ["Estonia", "Portugal", "Korea"],
            "start_year": [2004, 2004, 2005],
            "end_year": [2011, 2011, 2012],
            "start_pct": [0.85, 0.73, 2.43],
            "rise_pp": [1.45, 0.85, 1.26],
            "share_cagr_pct": [14.0, 8.0, 6.0],
            "coverage_jump": [True, False, False],
        }
    )
    out = feasibility.place_required_rise(w, 1.59, 25.2, 1.0)
    assert (out["max_low_start_increase_pp"], out["max_low_start_country"], out["max_low_start_period"]) == (
        1.45,
        "Estonia",
        "2004-2011",
    )
    assert out["max_low_start_flagged"] is True
    assert (out["max_low_start_clean_increase_pp"], out["max_low_start_clean_country"]) == (0.85, "Portugal")


def test_structural_form_by_aic(rd_data):
    f = feas.run(params.validate("rd_feasibility", {}), rd_data)
    lin_aic = float(
        f.structural_fit.result.aic if "lgdp2" not in f.structural_fit.spec else f.structural_alt_fit.result.aic
    )
    quad_aic = float(
        f.structural_fit.result.aic if "lgdp2" in f.structural_fit.spec else f.structural_alt_fit.result.aic
    )
    assert f.summary["structural_spec"] == ("log_quadratic" if quad_aic < lin_aic else "log_linear")
    assert f.summary["structural_spec_rule"] == "aic"


def test_the_spliced_st_share_is_two_indicators(rd_data):
    b = rd_data.budget
    govt = b[b["indicator"] == "st_share_of_govt_spending_pct"].set_index("year")["value"]
    mof = b[b["indicator"] == "st_share_of_budget_pct"].set_index("year")["value"]
    assert govt.to_dict() == {2012: 1.46, 2013: 1.42, 2014: 1.36}  # VietnamPlus/VNA, "% of government spending"
    assert mof.to_dict() == {2017: 1.18, 2022: 1.01, 2023: 0.82}  # Ministry of Finance, "% of budget expenditure"
