"""Known answers for the nowcast, the funding account, the budget rule and the sensitivity table."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.errors import DataError
from analysis.i18n import language
from analysis.models import funding, nowcast
from analysis.reports import params, sensitivity
from analysis.reports.rd_paths import run

FRAC = (0.2565988, 0.4014198, 0.5462408)  # st_rd_fraction of the data (checked below)


def test_flat_band_by_hand():
    # UIS 2017-2023: 0.41895, 0.41652, 0.42494, 0.41456; changes -0.00243, +0.00842, -0.01038 -> 0.01038
    s = pd.Series({2015: 0.35629, 2017: 0.41895, 2019: 0.41652, 2021: 0.42494, 2023: 0.41456})
    assert nowcast.flat_band_pp(s) == pytest.approx(0.01038, abs=1e-12)
    with pytest.raises(DataError):
        nowcast.flat_band_pp(s.loc[:2017])


def test_rd_share_of_state_st_money_from_the_data(rd_data):
    f = funding.st_rd_fraction(rd_data.funding, rd_data.gerd, rd_data.budget)
    # 2011: 0.70 x 5,294 / 14,442 = 0.256599; 2013: 0.577 x 13,390 / 14,144 = 0.546241; mean 0.401420
    assert (f.low, f.central, f.high) == pytest.approx((0.256599, 0.401420, 0.546241), abs=1e-6)


def test_the_rule_by_hand(rd_data):
    # the floor is a share of each year's own budget estimate, not of the series the report passes
    rule = funding.track_rule(rd_data.budget, {2025: 2_495_132.0, 2026: 2_737_035.0}, 3.0)
    assert list(rule.index) == [2025, 2026]
    assert "planned, % of budget" not in rule.columns  # one plan share per year: of the year's own estimate
    assert rule.loc[2026, "budget expenditure, bn VND"] == 3_160_000
    assert rule.loc[2026, "floor, bn VND"] == pytest.approx(94_800)  # 3% x 3,160,000
    assert rule.loc[2026, "planned, % of the year's own budget estimate"] == pytest.approx(95_000 / 3_160_000 * 100)
    # 95,000 / 3,160,000 = 3.006%, but 94,500 / 3,165,000 = 2.986%: the tracker's T06 rule says "within rounding"
    assert rule.loc[2026, "meets the floor"] == "within rounding"
    assert rule.loc[2025, "floor_pct"] == 3.0 and rule.loc[2025, "floor, bn VND"] == pytest.approx(76_200)
    assert rule.loc[2025, "of which allocated, bn VND"] == 16_716 and np.isnan(rule.loc[2025, "spent, bn VND"])
    assert rule.loc[2025, "meets the floor"] == "not known"


def test_the_rule_falls_back_on_the_series_without_an_estimate(rd_data):
    # no 2026 estimate: the floor is 3% of the series' 2,737,035 = 82,111.05 and the plan has no own-estimate share;
    # 95,000 / 2,737,035 = 3.471% is rated 'met'
    budget = rd_data.budget[~((rd_data.budget["indicator"] == "budget_exp_vnd_bn") & (rd_data.budget["year"] == 2026))]
    rule = funding.track_rule(budget, {2025: 2_495_132.0, 2026: 2_737_035.0}, 3.0)
    assert rule.loc[2026, "floor, bn VND"] == pytest.approx(82_111.05)
    assert np.isnan(rule.loc[2026, "planned, % of the year's own budget estimate"])
    assert rule.loc[2026, "meets the floor"] == "met"


def test_the_rule_and_the_unrated_years_read_the_same_stidx_years(rd_data):
    # S&T, innovation and DX data: 2025 (added and allocated, no plan) and 2026 (the 95,000 bn plan). Up to 2025 the
    # envelope is not rated; a 2027 row without a value adds no year to either, one with a value adds it to both
    years = range(2025, 2028)
    rule = funding.track_rule(rd_data.budget, {}, 3.0)
    assert list(rule.index) == [2025, 2026]
    assert funding.unrated_years(rule, years).tolist() == [True, False, False]
    row = {"indicator": "stidx_outturn_vnd_bn", "year": 2027, "value": np.nan}
    empty = pd.concat([rd_data.budget, pd.DataFrame([row])], ignore_index=True)
    rule = funding.track_rule(empty, {}, 3.0)
    assert list(rule.index) == [2025, 2026]
    assert funding.unrated_years(rule, years).tolist() == [True, False, False]
    valued = pd.concat([rd_data.budget, pd.DataFrame([row | {"value": 90_000.0}])], ignore_index=True)
    rule = funding.track_rule(valued, {}, 3.0)
    assert list(rule.index) == [2025, 2026, 2027]
    assert funding.unrated_years(rule, years).tolist() == [True, False, True]


def test_a_year_before_the_rule_data_is_a_not_known_row(rd_data):
    # a path from 2023: 2023 and 2024 have no S&T, innovation and DX row at all, yet no allocation is known there.
    # The table lists them 'not known' (floor 3% x the 2023 estimate 2,070,000 = 62,100) and the envelope is not rated
    years = range(2023, 2028)
    rule = funding.track_rule(rd_data.budget, {}, 3.0, since=2023)
    assert list(rule.index) == [2023, 2024, 2025, 2026]
    assert rule["meets the floor"].tolist() == ["not known", "not known", "not known", "within rounding"]
    assert rule.loc[2023, "floor, bn VND"] == pytest.approx(62_100)
    assert funding.unrated_years(rule, years).tolist() == [True, True, True, False, False]
    # a year between two years with data is a row too: a 2028 outturn leaves 2027 'not known'
    row = {"indicator": "stidx_outturn_vnd_bn", "year": 2028, "value": 90_000.0}
    gap = funding.track_rule(pd.concat([rd_data.budget, pd.DataFrame([row])], ignore_index=True), {}, 3.0)
    assert list(gap.index) == [2025, 2026, 2027, 2028]
    assert gap.loc[2027, "meets the floor"] == "not known"
    assert funding.unrated_years(gap, [2027]).tolist() == [True]


def test_a_plan_without_a_budget_is_not_rated_in_either(rd_data):
    # no 2026 estimate and no series: the 95,000 bn plan has no budget to take 3% of, so the table cannot rate it,
    # and the envelope fit of 2026 is not rated either; with the series' 2,737,035 both rate it (3.471%: 'met')
    budget = rd_data.budget[~((rd_data.budget["indicator"] == "budget_exp_vnd_bn") & (rd_data.budget["year"] == 2026))]
    rule = funding.track_rule(budget, {}, 3.0)
    assert rule.loc[2026, "meets the floor"] == "not known"
    assert funding.unrated_years(rule, [2025, 2026]).tolist() == [True, True]
    rule = funding.track_rule(budget, {2026: 2_737_035.0}, 3.0)
    assert rule.loc[2026, "meets the floor"] == "met"
    assert funding.unrated_years(rule, [2025, 2026]).tolist() == [True, False]


def test_floor_path():
    years = list(range(2025, 2031))
    assert funding.floor_path(3.0, years).tolist() == [3.0] * 6
    # years before the first key take its value; a year left out keeps the previous one
    assert funding.floor_path({2027: 3.5, 2029: 4.0}, years).tolist() == [3.5, 3.5, 3.5, 3.5, 4.0, 4.0]


def test_target_basis(rd_data):
    _, path, s = run(params.validate("rd_paths", {"target_gdp_basis": "pre_revision"}), rd_data)
    # 2% of pre-revision GDP = 2 / 1.254 = 1.594896% of revised GDP
    assert path["share_pct"].iloc[-1] == pytest.approx(2 / 1.254)
    assert s["target_share_pre_revision_pct"] == pytest.approx(2.0) and s["target_share_stated_pct"] == 2.0


def test_sensitivity_table_known_answers(rd_data):
    r, _, s = run(params.validate("rd_paths", {}), rd_data)
    t = sensitivity.sensitivity_table(r, rd_data).set_index("assumption")
    for name in (
        "starting level",
        "GDP basis of the target",
        "non-budget share, base year",
        "non-budget share, target year",
        "budget expenditure",
        "R&D share of the envelope",
        "real GDP growth",
        "inflation (GDP deflator)",
        "exchange rate (VND depreciation)",
    ):
        assert name in t.index, name
    assert t.attrs["central"]["gerd_nominal_cagr_pct"] == pytest.approx(s["gerd_nominal_cagr_pct"], rel=1e-12)
    # pre-revision basis: (1.594896 / 0.41456) ^ (1/5) - 1 = 3.847202 ^ 0.2 - 1 = 30.92%
    assert t.loc["GDP basis of the target", "share_cagr_pct at high"] == pytest.approx(30.92, abs=0.01)
    # low starting level: the nowcast's low end
    lo = r.start.low_pct
    assert t.loc["starting level", "share_cagr_pct at low"] == pytest.approx(((2 / lo) ** 0.2 - 1) * 100, abs=1e-9)
    # GDP growth moves money, not the share's growth; the official 10% target is the high case
    g = t.loc["real GDP growth"]
    assert g["share_cagr_pct at low"] == pytest.approx(g["share_cagr_pct at high"])
    assert g["high value"] == "10" and "the National Assembly's target" in g["basis"]  # one value per cell
    assert g["gerd_nominal_cagr_pct at high"] > s["gerd_nominal_cagr_pct"] > g["gerd_nominal_cagr_pct at low"]
    # the exchange rate changes only dollar figures
    fx = t.loc["exchange rate (VND depreciation)"]
    assert fx["gerd_nominal_cagr_pct at low"] == pytest.approx(fx["gerd_nominal_cagr_pct at high"])
    assert fx["gerd_target_usd_bn at low"] > fx["gerd_target_usd_bn at high"]
    # a larger R&D part of the envelope lowers the state's use of it, not of the whole envelope
    e = t.loc["R&D share of the envelope"]
    assert e["state_gerd_pct_rd_envelope_target at high"] < e["state_gerd_pct_rd_envelope_target at low"]
    # sorted by the swing in required growth
    assert t["swing_gerd_growth_pp"].is_monotonic_decreasing


@pytest.mark.parametrize("given", [{}, {"base_year": 2023, "target_year": 2025}])
def test_the_english_page_shows_the_sensitivity_words_of_the_csv(rd_data, given):
    r = run(params.validate("rd_paths", given), rd_data)[0]
    cases = sensitivity.cases(r, rd_data)
    for c in cases:
        assert c.shown() == (c.low_label, c.high_label, c.basis), c.assumption
    budget = next(c for c in cases if c.assumption == "budget expenditure")
    if given:  # no budget estimate after 2025 inside the path: the basis names no high estimate (the page once did)
        assert budget.basis == "budget over official GDP, 2023, 2024, 2025"
        with language("vi"):
            assert budget.shown()[2] == "ngân sách so với GDP chính thức, 2023, 2024, 2025"
    else:
        assert budget.basis.endswith("; high: the 2026 estimate over projected 2026 GDP")
