"""The Resolution 57 targets tracker: pace, status rule, projections, backtest, coverage of every target."""

from __future__ import annotations

import csv
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import paths
from analysis.data import datasets
from analysis.errors import ParameterError
from analysis.models import targets as tg
from analysis.reports import params
from analysis.reports import resolution_targets as ts

T07 = tg.Target(
    "T07", "", "researchers", "rd_personnel_per_10000", 12.0, "persons per 10,000 population", 2030, "at_least", "", ""
)
T01D = tg.Target("T01d", "", "EGDI top 50", "egdi_rank_world", 50.0, "rank of 193", 2030, "top_n", "", "")
T10 = tg.Target(
    "T10",
    "",
    "patents",
    "patent_growth",
    16.0,
    "% per year (average; target range 16-18)",
    2030,
    "between_16_18",
    "",
    "",
)
T13 = tg.Target("T13", "", "tfp", "tfp", 55.0, "% of GDP growth", 2030, "more_than", "", "")
RESEARCHERS = pd.Series({2013: 6.848, 2015: 6.817, 2017: 7.077, 2019: 7.546, 2021: 7.679, 2023: 8.361})


# ----------------------------------------------------------------------------- pace (known answers by hand)


def test_pace_needed_by_hand():
    # 8.36 in 2023 to 12 in 2030: (12 - 8.36) / 7 = 3.64 / 7 = 0.52 a year
    assert tg.pace_needed(8.36, 2023, 12.0, 2030) == pytest.approx(0.52)
    # a rank: 71 in 2024 to 50 in 2030: (50 - 71) / 6 = -3.5 places a year (climbing)
    assert tg.pace_needed(71, 2024, 50, 2030) == pytest.approx(-3.5)
    # compound: 100 to 121 in 2 years is 10% a year (1.1 x 1.1 = 1.21)
    assert tg.pace_needed(100, 2020, 121, 2022, log=True) == pytest.approx(10.0)
    with pytest.raises(ValueError):
        tg.pace_needed(1, 2030, 2, 2030)


def test_pace_seen_by_hand():
    # last 5 years: window [2018, 2023): first observation 2019 -> (8.361 - 7.546) / 4 = 0.20375
    assert tg.pace_seen(RESEARCHERS, 5) == (pytest.approx(0.20375), 2019)
    # last 10 years: window [2013, 2023): from 2013 -> (8.361 - 6.848) / 10 = 0.1513
    assert tg.pace_seen(RESEARCHERS, 10) == (pytest.approx(0.1513), 2013)
    # compound over 2 years: 100 -> 121 is 10% a year
    assert tg.pace_seen(pd.Series({2020: 100.0, 2022: 121.0}), 5, log=True) == (pytest.approx(10.0), 2020)
    assert tg.pace_seen(pd.Series({2020: 1.0}), 5) == (None, None)  # one point: no pace
    assert tg.pace_seen(pd.Series({2000: 1.0, 2020: 2.0}), 5) == (None, None)  # nothing in the window


# ----------------------------------------------------------------------------- the status rule


def test_status_rule_by_hand():
    # latest 8.36, target 12: gap 3.64
    # projected 10.0 closes 1.64 / 3.64 = 45% -> off track (below 50%)
    assert tg.status(8.36, 10.0, T07, 12.0) == ("off track", pytest.approx(1.64 / 3.64))
    # projected 11.0 closes 2.64 / 3.64 = 72.5% -> needs acceleration (50% to 95%)
    assert tg.status(8.36, 11.0, T07, 12.0)[0] == "needs acceleration"
    # projected 11.9 closes 3.54 / 3.64 = 97.3% -> on track
    assert tg.status(8.36, 11.9, T07, 12.0)[0] == "on track"
    # moving away: 8.0 closes -0.36 / 3.64 < 0 -> off track
    assert tg.status(8.36, 8.0, T07, 12.0)[0] == "off track"
    # already met: on track whatever the projection
    assert tg.status(12.5, 9.0, T07, 12.0) == ("on track", None)
    # a rank (lower is better): 71 -> projected 60 vs 50 closes (60 - 71) / (50 - 71) = 11 / 21 = 52% -> acceleration
    assert tg.status(71, 60, T01D, 50) == ("needs acceleration", pytest.approx(11 / 21))
    assert tg.status(45, None, T01D, 50) == ("on track", None)
    # a growth target read as a level: 1066 -> projected 3396 vs 4054 needed closes 2330 / 2988 = 78% -> acceleration
    assert tg.status(1066, 3396, T10, 4054)[0] == "needs acceleration"
    # 'more than 55' is not met at 55
    assert tg.status(55.0, 55.0, T13, 55.0)[0] == "off track"
    # thresholds are parameters: with on_track_ratio 0.7, 72.5% is on track
    assert tg.status(8.36, 11.0, T07, 12.0, on_track_ratio=0.7)[0] == "on track"
    assert tg.status(None, None, T07, 12.0) == ("no data", None)
    assert tg.status(8.36, None, T07, 12.0) == ("not measurable", None)


@settings(max_examples=200, deadline=None)
@given(latest=st.floats(0, 100), gap=st.floats(0.01, 100), a=st.floats(-200, 200), b=st.floats(-200, 200))
def test_a_better_projection_never_gets_a_worse_status(latest, gap, a, b):
    order = {"off track": 0, "needs acceleration": 1, "on track": 2}
    target = latest + gap
    t = tg.Target("X", "", "", "x", target, "units", 2030, "at_least", "", "")
    lo, hi = sorted((latest + a, latest + b))
    assert order[tg.status(latest, lo, t, target)[0]] <= order[tg.status(latest, hi, t, target)[0]]


def test_is_met_by_comparator():
    assert tg.is_met(50, T01D) and not tg.is_met(51, T01D)
    assert tg.is_met(12, T07) and not tg.is_met(11.99, T07)
    assert not tg.is_met(55, T13) and tg.is_met(55.01, T13)
    rng = tg.Target("T08", "", "", "x", 40, "organisations", 2030, "between_40_50", "", "")
    assert tg.is_met(40, rng) and not tg.is_met(39, rng)
    assert rng.as_written() == "40-50 (organisations) by 2030" and T01D.as_written() == "top 50 (rank of 193) by 2030"


# ----------------------------------------------------------------------------- projections and backtest


def test_forecasts_by_hand():
    years, values = [2015, 2017, 2019, 2020], [1.0, 2.0, 3.0, 4.0]
    f = tg.forecast(years, values, [2025], "naive_last_value")
    assert f.center[0] == 4.0
    # latest pace: window [2015, 2020) starts in 2015 -> (4 - 1) / 5 = 0.6 a year -> 4 + 0.6 x 5 = 7
    f = tg.forecast(years, values, [2025], "naive_last_pace")
    assert f.center[0] == pytest.approx(7.0)
    # an exact line y = 2t - 4000: the trend reproduces it with a zero-width interval
    t = np.arange(2010, 2020)
    f = tg.forecast(t, 2 * t - 4000.0, [2030], "linear_trend")
    assert f.center[0] == pytest.approx(60.0) and f.hi[0] - f.lo[0] == pytest.approx(0.0, abs=1e-6)
    # log scale: constant 10% growth is projected exactly
    g = 100 * 1.1 ** (t - 2010)
    assert tg.forecast(t, g, [2030], "linear_trend", log=True).center[0] == pytest.approx(100 * 1.1**20)
    with pytest.raises(tg.CannotProject):
        tg.forecast([2019, 2020, 2021], [1, 2, 3], [2030], "linear_trend")  # 3 points < min_points 4
    with pytest.raises(tg.CannotProject):
        tg.forecast([2020], [1.0], [2030], "naive_last_value")


def test_interval_widens_with_the_horizon_and_the_level():
    f = tg.forecast(RESEARCHERS.index, RESEARCHERS.values, [2025, 2030], "naive_last_value", interval_pct=80)
    assert f.lo[0] < f.center[0] < f.hi[0] and (f.hi[1] - f.lo[1]) > (f.hi[0] - f.lo[0])
    g = tg.forecast(RESEARCHERS.index, RESEARCHERS.values, [2030], "naive_last_value", interval_pct=95)
    assert g.hi[0] - g.lo[0] > f.hi[1] - f.lo[1]


def test_backtest_pairs_by_hand_and_the_trend_must_earn_its_place():
    line = pd.Series(2.0 * np.arange(6) + 1.0, index=range(2015, 2021))
    # origins are the 4th to the 5th observation (min_points 4): 2018 scores 2019, 2020; 2019 scores 2020 -> 3 pairs
    bt = tg.backtest(line, "linear_trend", horizon=5, min_points=4)
    assert bt.pairs == 3 and bt.mae == pytest.approx(0.0, abs=1e-9)
    # naive last value misses by 2, 4 and 2 -> MAE 8 / 3
    assert tg.backtest(line, "naive_last_value", horizon=5, min_points=4).mae == pytest.approx(8 / 3)
    choice = tg.choose_method(line, "auto", horizon=5, min_pairs=3)
    assert choice.method in ("linear_trend", "naive_last_pace")  # both exact on a line; never the random walk
    flat = pd.Series(5.0, index=range(2010, 2021))
    assert tg.choose_method(flat, "auto", horizon=5, min_pairs=3).method == "naive_last_value"  # ties go to the naive
    few = tg.choose_method(line.iloc[:4], "auto", horizon=5, min_pairs=3)
    assert few.method == "naive_last_pace" and "too little history" in few.why
    assert tg.choose_method(line, "linear_trend", horizon=5, min_pairs=3).why == "set by the user"


def test_fmt_for_readers():
    assert [tg.fmt(x) for x in (10530.19, 437.2, 44.256, 8.361, 0.41456, 6.0, None, math.nan)] == [
        "10,530",
        "437",
        "44.3",
        "8.36",
        "0.415",
        "6",
        "",
        "",
    ]


def test_vintage_key_orders_releases():
    assert ts.vintage_key("vintage Jan-2026; core") > ts.vintage_key("vintage Jan-2025 (2022 and 2023 revised")
    assert ts.vintage_key("vintage Jan-2025") > ts.vintage_key("vintage 4 Dec 2023 (GSO workshop)") > 0
    assert ts.vintage_key("pilot calculation, Sept 2023") == 0


# ----------------------------------------------------------------------------- the tracker on the real data


@pytest.fixture(scope="module")
def default_run():
    return ts.run(params.validate("resolution_targets", {}))


def test_every_target_in_the_reference_list_appears_in_the_tracker(default_run):
    ref = paths.REFERENCE_DIR / "targets" / "targets.csv"
    if ref.exists():
        with open(ref, encoding="utf-8") as fh:
            ids = {r["target_id"] for r in csv.DictReader(fh)}
    else:  # the snapshot built from it
        ids = set(datasets.load("r57_targets")["target_id"])
    assert len(ids) == 23
    tr = default_run.tracker
    assert set(tr["target_id"]) == ids and len(tr) == len(ids)
    assert set(tr["status"]) <= set(tg.STATUSES)
    # every row has a source or a stated reason for having none
    assert all(
        (isinstance(s, str) and s) or (isinstance(r, str) and r)
        for s, r in zip(tr["source"], tr["reason"], strict=True)
    )
    assert (tr.loc[tr["status"] == "no data", "reason"].str.len() > 10).all()
    s = default_run.summary
    assert (
        sum(
            s[k]
            for k in (
                "targets_on_track",
                "targets_needs_acceleration",
                "targets_off_track",
                "targets_not_measurable",
                "targets_without_data",
            )
        )
        == 23
    )


def test_tracker_rows_match_the_data(default_run):
    tr = default_run.tracker.set_index("target_id")
    # researchers: WDI 836.1 per million in 2023 -> 8.36 per 10,000; pace needed (12 - 8.361) / 7
    assert tr.loc["T07", "latest_value"] == pytest.approx(8.361, abs=1e-3) and tr.loc["T07", "latest_year"] == 2023
    assert tr.loc["T07", "pace_needed"] == pytest.approx((12 - tr.loc["T07", "latest_value"]) / 7)
    # GERD: the start every R&D report uses, the 2025 nowcast (an estimate: the backtest keeps the 2023 survey's
    # 0.41456%); the note is the rd_paths report's own default run: (2 / 0.41456) ** (1 / 5) - 1 = 37.0% a year
    assert tr.loc["T04", "latest_value"] == pytest.approx(0.41456) and tr.loc["T04", "latest_year"] == 2025
    assert tr.loc["T04", "latest_is_estimate"]
    assert "from 2025" in tr.loc["T04", "model_note"] and "37.0% a year" in tr.loc["T04", "model_note"]
    # articles: a growth target of 10% a year from 10,530 in 2022 -> the level 10,530 x 1.1^8 in 2030
    assert tr.loc["T09", "target_level"] == pytest.approx(10530.19 * 1.1**8) and tr.loc[
        "T09", "pace_needed"
    ] == pytest.approx(10)
    # digital economy: the GSO/NSO 2025 estimate, not MIC's higher figure
    assert tr.loc["T15", "latest_value"] == 14.02 and tr.loc["T15", "latest_is_estimate"]
    # the EGDI and GII rows come from the rankings model
    assert tr.loc["T01d", "latest_value"] == 71 and tr.loc["T19", "latest_value"] == 44
    assert tr.loc["T01a", "status"] == "not measurable"  # IMD does not cover Viet Nam
    assert tr.loc["T05", "status"] == "no data" and tr.loc["T16", "status"] == "not measurable"
    # the rankings model's backtest (every entity with 4+ editions) decides the method: one computation
    b = default_run.backtests
    ranks = b[b["target_id"].isin(["T01d", "T19"])]
    assert set(ranks["method"]) <= {"naive", "drift_rank", "drift_percentile"} and (ranks["pairs"] > 0).all()
    assert ranks.groupby("target_id")["used"].sum().eq(1).all()
    used = ranks[ranks["used"]].set_index("target_id")["method"]
    assert (tr.loc[used.index, "projection_method"] == used).all()
    d = default_run.definitions
    assert set(d.loc[d["target_id"] == "T15", "latest_value"]) == {14.02, 16.5}  # side by side, not averaged


def test_as_of_year_cuts_the_ranking_rows_too():
    r = ts.run(params.validate("resolution_targets", {"as_of_year": 2019, "targets": "T01c,T01d,T19"}))
    tr = r.tracker.set_index("target_id")
    assert tr.loc["T01d", "latest_year"] == 2018 and tr.loc["T01d", "latest_value"] == 88  # EGDI 2018
    assert tr.loc["T19", "latest_year"] == 2019 and tr.loc["T19", "latest_value"] == 42  # GII 2019
    # GII: the rankings model projects naively (its backtest: no trend beats "the latest rank holds"): 42 vs top 30
    assert tr.loc["T19", "projection_method"] == "naive" and tr.loc["T19", "status"] == "off track"
    assert tr.loc["T19", "projected_lo"] >= 1  # a rank interval stops at 1
    assert tr.loc["T01c", "projection_method"] == "naive_last_value" and tr.loc["T01c", "projected"] == 6


def test_as_of_year_cuts_the_data():
    r = ts.run(params.validate("resolution_targets", {"as_of_year": 2019, "targets": "T07,T15"}))
    tr = r.tracker.set_index("target_id")
    assert list(tr.index) == ["T07", "T15"] and tr.loc["T07", "latest_year"] == 2019
    assert tr.loc["T15", "status"] == "no data" and "no observation up to 2019" in tr.loc["T15", "reason"]


def test_claims_check(default_run):
    c = default_run.claims
    assert len(c) == 3
    assert "37.5% of total merchandise exports" in c["what the data say"].iloc[0]
    assert "16,974 bn VND" in c["what the data say"].iloc[1]  # 0.82% x 2,070,000 bn VND
    assert "32nd in 2022" in c["what the data say"].iloc[2] and "53rd of 193" in c["what the data say"].iloc[2]


def test_parameters_are_checked():
    with pytest.raises(ParameterError, match="targets"):
        params.validate("resolution_targets", {"targets": "T04,T99"})
    with pytest.raises(ParameterError, match="acceleration_ratio"):
        params.validate("resolution_targets", {"acceleration_ratio": 0.9, "on_track_ratio": 0.8})
    with pytest.raises(ParameterError, match="projection_method"):
        params.validate("resolution_targets", {"projection_method": "prophet"})
    assert params.validate("resolution_targets", {"targets": "T04, T07"})["targets"] == "T04, T07"


def test_target_snapshot():
    t = datasets.load("r57_targets")
    assert len(t) == 23 and (t["year"] == 2030).sum() == 20 and (t["year"] == 2045).sum() == 3
    assert (t["value_type"] == "target").all()
    ind = datasets.load("vn_r57_indicators")
    nf = ind[ind["value_type"] == "not_found"]
    assert len(nf) and nf["value"].isna().all()


def test_projections_stay_within_the_unit():
    f = tg.Forecast("naive_last_pace", np.array([2030]), np.array([-0.5]), np.array([-0.7]), np.array([120.0]))
    g = tg.clip_to_range(f, "% of state-budget expenditure")
    assert g.center[0] == 0.0 and g.lo[0] == 0.0 and g.hi[0] == 100.0
    assert tg.clip_to_range(f, "articles").hi[0] == 120.0  # a count has no upper bound


def test_the_latest_pace_window_is_a_parameter():
    years, values = [2010, 2015, 2019, 2020], [0.0, 1.0, 3.0, 4.0]
    # 5 years: window [2015, 2020) starts in 2015 -> (4 - 1) / 5 = 0.6 a year; 2 years: from 2019 -> 1.0 a year
    assert tg.forecast(years, values, [2030], "naive_last_pace").center[0] == pytest.approx(4 + 0.6 * 10)
    assert tg.forecast(years, values, [2030], "naive_last_pace", pace_years=2).center[0] == pytest.approx(4 + 1.0 * 10)
    assert params.validate("resolution_targets", {})["latest_pace_years"] == 5
