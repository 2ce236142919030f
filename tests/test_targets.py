"""The Resolution 57 targets tracker: pace, status rule, projections, backtest, coverage of every target."""

from __future__ import annotations

import csv
import dataclasses
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import i18n, paths
from analysis.data import datasets
from analysis.errors import ParameterError
from analysis.models import rankings as rk
from analysis.models import targets as tg
from analysis.models.backtest import SERIES_METHODS, Choice, interval_score
from analysis.reports import ecosystem_rankings as rs
from analysis.reports import editorial as ed
from analysis.reports import params
from analysis.reports import resolution_targets as ts

T07 = tg.Target(
    "T07", "", "researchers", "rd_personnel_per_10000", 12.0, "persons per 10,000 population", 2030, "at_least", "", ""
)
T01D = tg.Target("T01d", "", "EGDI top 50", "egdi_rank_world", 50.0, "rank of 193", 2030, "top_n", "", "")
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


def test_status_rule_at_its_thresholds_by_hand():
    # researchers: 8.36 in 2023 to 12 in 2030 needs 0.52 a year
    needed = tg.pace_needed(8.36, 2023, 12.0, 2030)
    # seen 0.494 = 95% of 0.52: on track, exactly at the threshold
    assert tg.pace_status(0.494, needed) == ("on track", pytest.approx(0.95))
    # seen 0.493: 94.8%, just below: needs acceleration
    assert tg.pace_status(0.493, needed)[0] == "needs acceleration"
    # seen 0.26 = 50% of 0.52: needs acceleration at the lower threshold; 0.259 (49.8%): off track
    assert tg.pace_status(0.26, needed) == ("needs acceleration", pytest.approx(0.5))
    assert tg.pace_status(0.259, needed)[0] == "off track"
    # seen 0.20375 (2019-23, test above) = 39% of 0.52: off track; moving away (negative ratio): off track
    assert tg.pace_status(0.20375, needed) == ("off track", pytest.approx(0.20375 / 0.52))
    assert tg.pace_status(-0.1, needed)[0] == "off track"
    # a rank: T01d needs (50 - 71) / 6 = -3.5 places a year; 2020-24 moved (71 - 86) / 4 = -3.75: 107%, on track
    assert tg.pace_status(-3.75, -3.5) == ("on track", pytest.approx(3.75 / 3.5))
    # T19: GII 44 in 2025 to 30 in 2045 needs -0.7 a year; 2015-25 moved (44 - 52) / 10 = -0.8: on track;
    # 2020-25 moved (44 - 42) / 5 = +0.4 (falling back): off track. Both verdicts are kept.
    assert tg.pace_status(-0.8, -0.7)[0] == "on track" and tg.pace_status(0.4, -0.7)[0] == "off track"
    # a growth target: 9.1% a year against 10% needed is 91%: needs acceleration
    assert tg.pace_status(9.1, 10.0) == ("needs acceleration", pytest.approx(0.91))
    # thresholds are parameters: with on_track_ratio 0.9, 91% is on track
    assert tg.pace_status(9.1, 10.0, on_track_ratio=0.9)[0] == "on track"
    assert tg.pace_status(None, 10.0) == (None, None)
    # where both windows rate a target the less favourable decides, whichever window it is (T01d: on track over
    # 2020-24, off track over the long window: off track); a window without a verdict leaves the other's
    assert tg.overall_status("on track", "off track") == "off track"
    assert tg.overall_status("off track", "on track") == "off track"
    assert tg.overall_status("on track", "needs acceleration") == "needs acceleration"
    assert tg.overall_status("needs acceleration", "off track") == "off track"
    assert tg.overall_status("on track", "on track") == "on track"
    assert tg.overall_status(None, "on track") == "on track" and tg.overall_status("on track", None) == "on track"
    assert tg.overall_status(None, None) == "not measurable"


def test_a_value_exactly_on_a_more_than_bound_is_rated_by_its_pace_by_hand():
    # T05 (more than 60% of GERD non-state by 2030) at exactly 60 in 2023 is not met; the pace needed is 0: any
    # rise meets it. 55, 56, ... 60 in 2018-23 rose (60 - 55) / 5 = 1 a year: on track, and projected
    t = tg.Target("T05", "", "non-state", "gerd_nonstate_share", 60.0, "% of GERD", 2030, "more_than", "", "")
    p = params.validate("resolution_targets", {"as_of_year": 2026})
    rising = tg.Measure("T05", "", "", "% of GERD", pd.Series([55.0, 56, 57, 58, 59, 60], index=range(2018, 2024)))
    row = tg.assess(t, rising, p)
    assert (row["pace_needed"], row["status"], row["pace_ratio_short"]) == (0.0, "on track", None)
    assert row["why"] == [("at_bound", {"points": 6, "first": 2018, "year": 2023, "pace": pytest.approx(1.0)})]
    # no projection: from the origins with 4 observations (2021, 2022) 2 + 1 = 3 forecasts can be scored, fewer
    # than the 5 (min_backtest_pairs) needed to judge one, and 2030 is 7 years beyond 2023, past the 5 scored: both
    assert (row["projected"], row["backtest_pairs"]) == (None, 3)
    assert row["interval_note"] == "backtest_too_thin_beyond_horizon"
    assert row["projection_method"] is None and row["projected_lo"] is None
    longer = tg.Measure("T05", "", "", "% of GERD", pd.Series(np.arange(53.0, 61.0), index=range(2016, 2024)))
    # 8 observations: origins 2019-2022 score 4 + 3 + 2 + 1 = 10 forecasts (the horizon is 5 years), but 2030 is 7
    # years beyond 2023, further than any forecast scored: not projected (targets.unbacked); with 2028 it is
    row = tg.assess(t, longer, p)
    assert (row["backtest_pairs"], row["projected"], row["interval_note"]) == (10, None, "beyond_backtest_horizon")
    assert tg.assess(dataclasses.replace(t, year=2028), longer, p)["projected"] is not None
    said = i18n.each_language(lambda: ts.reason_text(row))
    assert said["en"] == "exactly at the bound it must exceed: pace seen 1 a year (2018-2023)"
    assert said["vi"] == "đúng bằng ngưỡng phải vượt: tốc độ thực tế 1 mỗi năm (2018-2023)"
    # falling onto the bound, 62, 61, 60 in 2019-23: (60 - 62) / 4 = -0.5 a year: off track
    falling = tg.Measure("T05", "", "", "% of GERD", pd.Series({2019: 62.0, 2021: 61.0, 2023: 60.0}))
    assert tg.assess(t, falling, p)["status"] == "off track"
    assert tg.pace_status(0.0, 0.0) == ("off track", None)  # staying on the bound never exceeds it


def test_a_pace_from_two_observations_rates_no_target_by_hand():
    # researchers 7 in 2021 and 8 in 2023: one change, (8 - 7) / 2 = 0.5 a year, shown but too few to rate (3 needed)
    p = params.validate("resolution_targets", {"as_of_year": 2026})
    row = tg.assess(T07, tg.Measure("T07", "", "", "", pd.Series({2021: 7.0, 2023: 8.0})), p)
    assert (row["pace_short"], row["status_short"], row["status"]) == (0.5, None, "not measurable")
    assert row["why"] == [("too_few_for_pace", {"points": 2, "first": 2021, "year": 2023, "needed": 3})]
    said = i18n.each_language(lambda: ts.reason_text(row))
    assert said["en"] == "too few observations for a pace: 2 (2021-2023), at least 3 needed"
    assert said["vi"] == "quá ít quan sát để tính tốc độ: 2 (2021-2023), cần ít nhất 3"
    # a third observation (2019: 6.5) gives a window of 3: (8 - 6.5) / 4 = 0.375 a year, 66% of (12 - 8) / 7 needed
    row = tg.assess(T07, tg.Measure("T07", "", "", "", pd.Series({2019: 6.5, 2021: 7.0, 2023: 8.0})), p)
    assert (row["status"], row["why"][0][0]) == ("needs acceleration", "verdicts")


def test_tfp_by_afa_capital_two_observations_is_not_rated(default_run):
    # T13's secondary definition (AFA Capital): 43.8 in 2022, 44.8 in 2023, one change of 1 point against
    # (55 - 44.8) / 7 = 1.46 a year needed: shown, but no status from it (it read 'needs acceleration', 69%)
    d = default_run.definitions
    afa = d[(d["target_id"] == "T13") & d["definition"].str.contains("AFA Capital")].iloc[0]
    assert (afa["pace_short"], afa["pace_needed"]) == (pytest.approx(1.0), pytest.approx(10.2 / 7))
    assert (afa["status"], afa["reason_codes"][0]) == ("not measurable", "too_few_for_pace")


@settings(max_examples=300)
@given(
    needed=st.floats(0.01, 100) | st.floats(-100, -0.01),
    a=st.floats(-200, 200),
    b=st.floats(-200, 200),
)
def test_a_better_observed_pace_never_gets_a_worse_status(needed, a, b):
    order = {"off track": 0, "needs acceleration": 1, "on track": 2}
    # 'better' = further in the direction the target needs (up for a level, down for a rank)
    worse, better = sorted((a, b)) if needed > 0 else sorted((a, b), reverse=True)
    assert order[tg.pace_status(worse, needed)[0]] <= order[tg.pace_status(better, needed)[0]]


def test_long_window_pace_by_hand():
    # 1, 2, 4 in 2010, 2015, 2020: x - 2015 = -5, 0, 5; y - 7/3 = -4/3, -1/3, 5/3; slope = (20/3 + 25/3) / 50 = 0.3
    assert tg.pace_long(pd.Series({2010: 1.0, 2015: 2.0, 2020: 4.0})) == (pytest.approx(0.3), 2010)
    # log: 100, 110, 121 a year apart is 10% a year exactly
    assert tg.pace_long(pd.Series({2010: 100.0, 2015: 110.0**1, 2020: 121.0}), log=False)[0] == pytest.approx(2.1)
    growth = pd.Series({2000 + 5 * k: 100.0 * 1.1 ** (5 * k) for k in range(3)})
    assert tg.pace_long(growth, log=True) == (pytest.approx(10.0), 2000)
    # a window spanning less than 10 years, or fewer than 3 observations: no long pace
    assert tg.pace_long(RESEARCHERS.loc[2017:]) == (None, None)
    assert tg.pace_long(pd.Series({2005: 1.0, 2020: 2.0})) == (None, None)


def test_fastest_move_and_years_to_target_by_hand():
    s = pd.Series({2000: 10.0, 2001: 12.0, 2002: 13.0, 2003: 17.0})
    # window 1: moves 2, 1, 4 a year: the best is 13 -> 17 from 2002
    assert tg.fastest_pace(s, 1) == (pytest.approx(4.0), 2002)
    # a rank, lower is better: 90 -> 80 -> 85: the best is -10 a year from 2000
    assert tg.fastest_pace(pd.Series({2000: 90.0, 2001: 80.0, 2002: 85.0}), 1, lower_is_better=True) == (-10.0, 2000)
    # 71 to 50 at -3.75 places a year: 21 / 3.75 = 5.6 years; moving away: never
    assert tg.years_to_target(71, 50, -3.75) == pytest.approx(5.6)
    assert tg.years_to_target(71, 50, 1.0) is None


def test_interval_scaling_by_hand():
    # scores 0.5, 1, ..., 4.5 (n = 9) at 80%: rank ceil(10 x 0.8) = 8 -> the 8th smallest, 4.0
    scores = [0.5 * k for k in range(1, 10)]
    assert tg.conformal_factor(scores, 80) == 4.0
    # never narrowed: scores all inside already -> factor 1
    assert tg.conformal_factor([0.1] * 9, 80) == 1.0
    # too few pairs for the rank: n = 3 at 80% needs rank ceil(4 x 0.8) = 4 > 3: withheld
    assert tg.conformal_factor([0.5, 1.0, 2.0], 80) is None
    # a zero-width interval that missed scores infinity: withheld
    assert interval_score(5.0, 4.0, 4.0, 4.0) == math.inf
    assert tg.conformal_factor([math.inf] * 9, 80) is None
    # scores on each side: actual 12 above centre 10 with hi 14 -> 2 / 4 = 0.5; actual 7 below with lo 9 -> 3 / 1
    assert interval_score(12, 10, 9, 14) == 0.5 and interval_score(7, 10, 9, 14) == 3.0


def test_calibrated_interval_withheld_with_its_reason():
    bt = tg.Backtest("linear_trend", 9, 1.0, 50.0, tuple(0.5 * k for k in range(1, 10)))
    # the factor 4 (test_interval_scaling_by_hand) on each side; after widening by 4, 8 of 9 scores are <= 4:
    # coverage 88.9% >= 80%
    lo, hi, cov, why = tg.calibrated_interval(10.0, 9.0, 11.0, bt, 80.0)
    assert (lo, hi, why) == (6.0, 14.0, None) and cov == pytest.approx(800 / 9)
    assert tg.calibrated_interval(10.0, 9.0, 14.0, bt, 80.0)[:2] == (6.0, 26.0)  # each side by its own half-width
    few = tg.Backtest("linear_trend", 3, 1.0, 50.0, (0.5, 1.0, 2.0))
    assert tg.calibrated_interval(10.0, 9.0, 11.0, few, 80.0)[3] == "too_few_backtest_pairs"
    assert tg.calibrated_interval(10.0, 10.0, 10.0, bt, 80.0)[3] == "zero_width"


def test_no_projection_the_backtest_cannot_judge_by_hand():
    # the one rule for series and ranks: fewer than 5 scored forecasts, or a target further ahead than any scored,
    # or both (one code: it was "too thin" alone, and readers took two more forecasts to be enough)
    assert tg.unbacked(3, 4, 5) == "backtest_too_thin" and tg.unbacked(3, 19, 5) == "backtest_too_thin_beyond_horizon"
    assert tg.unbacked(50, 7, 5) == "beyond_backtest_horizon" and tg.unbacked(50, 5, 5) is None
    assert tg.unbacked(4, 2, 3, min_pairs=4) is None


def test_windows_that_disagree_are_said_so_by_hand():
    # the less favourable verdict decides; whether the two agree is a fact of its own (None unless both rate)
    assert tg.windows_agree("on track", "off track") is False and tg.windows_agree("off track", "off track") is True
    assert tg.windows_agree(None, "off track") is None
    assert tg.overall_status("on track", "off track") == "off track"


def test_annual_obligation_by_hand():
    # 95,000 of 3,160,000 bn VND = 3.006%; rounding 500 and 5,000: 94,500 / 3,165,000 = 2.986%,
    # 95,500 / 3,155,000 = 3.027%: the 3% floor lies inside, so the plan meets it only within rounding
    y = tg.annual_share(95_000, 3_160_000, 3.0)
    assert y["share"] == pytest.approx(3.00633, abs=1e-4)
    assert (y["share_low"], y["share_high"]) == (pytest.approx(2.98578, abs=1e-4), pytest.approx(3.02694, abs=1e-4))
    assert y["rating"] == "within rounding"
    # 123,456 / 3,456,789 = 3.571% (rounding 0.5 each: still above 3): met; 51,234 of it = 1.48%: not met
    assert tg.annual_share(123_456, 3_456_789, 3.0)["rating"] == "met"
    assert tg.annual_share(51_234, 3_456_789, 3.0)["rating"] == "not met"
    # 100,000 / 3,000,000 = 3.33%, but as published (rounding 50,000 and 500,000) it may be 1.43% to 4.4%
    assert tg.annual_share(100_000, 3_000_000, 3.0)["rating"] == "within rounding"
    assert tg.annual_share(None, 3_000_000, 3.0)["rating"] == "not known"
    assert (tg.half_unit(95_000), tg.half_unit(3_160_000), tg.half_unit(16_716)) == (500, 5_000, 0.5)
    assert tg.rising([2.9, 3.0, 3.1]) == "yes" and tg.rising([3.1, 3.0]) == "no" and tg.rising([3.0, None]) is None
    assert tg.annual_status(["not known", "not known"]) == "no period data"
    assert tg.annual_status(["met", "within rounding"]) == "not measurable"
    assert tg.annual_status(["met", "not met"]) == "off track" and tg.annual_status(["met"]) == "on track"


def test_is_met_by_comparator():
    assert tg.is_met(50, T01D) and not tg.is_met(51, T01D)
    assert tg.is_met(12, T07) and not tg.is_met(11.99, T07)
    assert not tg.is_met(55, T13) and tg.is_met(55.01, T13)
    rng = tg.Target("T08", "", "", "x", 40, "organisations", 2030, "between_40_50", "", "")
    assert tg.is_met(40, rng) and not tg.is_met(39, rng)
    assert (
        ts.as_written(rng) == "40-50 (organisations) by 2030" and ts.as_written(T01D) == "top 50 (rank of 193) by 2030"
    )


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
    with pytest.raises(tg.InsufficientDataError) as e:
        tg.forecast([2019, 2020, 2021], [1, 2, 3], [2030], "linear_trend")  # 3 points < min_points 4
    assert (e.value.code, e.value.facts) == ("too_few_in_window", {"n": 3, "years": 10, "needed": 4})
    with pytest.raises(tg.InsufficientDataError) as e:
        tg.forecast([2020], [1.0], [2030], "naive_last_value")
    assert (e.value.code, e.value.facts) == ("too_few_observations", {"n": 1, "needed": 2})


def test_interval_widens_with_the_horizon_and_the_level():
    f = tg.forecast(RESEARCHERS.index, RESEARCHERS.values, [2025, 2030], "naive_last_value", interval_pct=80)
    assert f.lo[0] < f.center[0] < f.hi[0] and (f.hi[1] - f.lo[1]) > (f.hi[0] - f.lo[0])
    g = tg.forecast(RESEARCHERS.index, RESEARCHERS.values, [2030], "naive_last_value", interval_pct=95)
    assert g.hi[0] - g.lo[0] > f.hi[1] - f.lo[1]


def test_backtest_pairs_by_hand_and_the_trend_must_earn_its_place():
    line = pd.Series(2.0 * np.arange(6) + 1.0, index=range(2015, 2021))
    # origins are the 4th to the 5th observation (min_points 4): 2018 scores 2019, 2020; 2019 scores 2020 -> 3 pairs
    value, _pace, bt = tg.choose_method(line, "auto", horizon=5, min_pairs=3, min_points=4).backtests
    assert bt.pairs == 3 and bt.mae == pytest.approx(0.0, abs=1e-9)
    # naive last value misses by 2, 4 and 2 -> MAE 8 / 3
    assert value.mae == pytest.approx(8 / 3)
    choice = tg.choose_method(line, "auto", horizon=5, min_pairs=3)
    assert choice.method in ("linear_trend", "naive_last_pace")  # both exact on a line; never the random walk
    flat = pd.Series(5.0, index=range(2010, 2021))
    assert tg.choose_method(flat, "auto", horizon=5, min_pairs=3).method == "naive_last_value"  # ties go to the naive
    assert choice.code == "beat_baseline" and {b.method for b in choice.rivals} == {
        "naive_last_value",
        "linear_trend",
        "naive_last_pace",
    } - {choice.method}
    few = tg.choose_method(line.iloc[:4], "auto", horizon=5, min_pairs=3)
    assert (few.method, few.code, few.min_cases) == ("naive_last_pace", "too_few_cases", 3)
    assert tg.choose_method(line, "linear_trend", horizon=5, min_pairs=3).code == "set_by_user"


def test_why_a_method_was_chosen_in_words_in_both_languages():
    tests = (
        tg.Backtest("naive_last_value", 1250, 0.54, None),
        tg.Backtest("naive_last_pace", 2, 0.3, None),  # scored on too few pairs to be a rival
        tg.Backtest("linear_trend", 1250, 0.28491, 80.0),
    )
    best = Choice("linear_trend", "beat_baseline", tests, 5)
    words = i18n.each_language(lambda: ts.method_why_text(best))
    assert words["en"] == "lowest backtest error (0.285 vs naive_last_value 0.54; 1,250 pairs)"
    assert words["vi"] == "sai số kiểm định hồi cứu nhỏ nhất (0,285 so với naive_last_value 0,54; 1.250 cặp)"


def test_vintage_key_orders_releases():
    assert ts.vintage_key("vintage Jan-2026; core") > ts.vintage_key("vintage Jan-2025 (2022 and 2023 revised")
    assert ts.vintage_key("vintage Jan-2025") > ts.vintage_key("vintage 4 Dec 2023 (GSO workshop)") > 0
    assert ts.vintage_key("pilot calculation, Sept 2023") == 0


# ----------------------------------------------------------------------------- the tracker on the real data


@pytest.fixture(scope="module")
def default_run():
    return ts.words(ts.run(params.validate("resolution_targets", {})))


def test_every_target_in_the_reference_list_appears_in_the_tracker(default_run):
    ids = set(datasets.load("r57_targets")["target_id"])  # how many: test_target_snapshot
    ref = paths.REFERENCE_DIR / "targets" / "targets.csv"
    if ref.exists():
        with open(ref, encoding="utf-8") as fh:
            assert {r["target_id"] for r in csv.DictReader(fh)} <= ids
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
    assert tuple(ts.STATUS_FIGURES) == tg.STATUSES and sum(s[k] for k in ts.STATUS_FIGURES.values()) == len(ids)


def test_tracker_rows_match_the_data(default_run):
    tr = default_run.tracker.set_index("target_id")
    # researchers: WDI 836.1 per million in 2023 -> 8.36 per 10,000; pace needed (12 - 8.361) / 7
    assert tr.loc["T07", "latest_value"] == pytest.approx(8.361, abs=1e-3) and tr.loc["T07", "latest_year"] == 2023
    assert tr.loc["T07", "pace_needed"] == pytest.approx((12 - tr.loc["T07", "latest_value"]) / 7)
    # GERD: the latest survey (UIS 2023, 0.41456%), the 2025 nowcast every R&D report starts from beside it; the
    # note is the rd_paths report's own default run from that nowcast: (2 / 0.41456) ** (1 / 5) - 1 = 37.0% a year
    assert tr.loc["T04", "latest_value"] == pytest.approx(0.41456) and tr.loc["T04", "latest_year"] == 2023
    assert not tr.loc["T04", "latest_is_estimate"] and tr.loc["T04", "model_estimate_year"] == 2025
    # the pace needed (0.226 a year) runs from the 2023 survey; the model's from its 2025 start: 1.59 points in 5
    # years, (2 - 0.41456) / 5 = +0.317 a year, each pace with its start year named
    assert tr.loc["T04", "pace_needed"] == pytest.approx((2 - 0.41456) / 7)
    note = tr.loc["T04", "model_note"]
    assert note.startswith("the pace needed runs from the 2023 survey") and "r57's 2025 estimate (not data)" in note
    assert "needs 1.59 points in 5 years (+0.317 points a year)" in note and "37.0% a year" in note
    # articles: a growth target of 10% a year; the pace before the target period is compound growth 2017-22
    assert tr.loc["T09", "pace_needed"] == pytest.approx(10) and tr.loc["T09", "pace_short_from"] == 2017
    # digital economy: the GSO/NSO 2025 estimate, not MIC's higher figure
    assert tr.loc["T15", "latest_value"] == 14.02 and tr.loc["T15", "latest_is_estimate"]
    # the EGDI and GII rows come from the rankings model
    assert tr.loc["T01d", "latest_value"] == 71 and tr.loc["T19", "latest_value"] == 44
    assert tr.loc["T01a", "status"] == "not measurable"  # IMD does not cover Viet Nam
    assert tr.loc["T05", "status"] == "not measurable" and tr.loc["T16", "status"] == "not measurable"
    # the rankings model's backtest (every entity with 4+ editions) decides the method: one computation
    b = default_run.backtests
    ranks = b[b["target_id"].isin(["T01d", "T19"])]
    assert set(ranks["method"]) <= {"naive", "drift_rank", "drift_percentile"} and (ranks["pairs"] > 0).all()
    assert ranks.groupby("target_id")["used"].sum().eq(1).all()
    used = ranks[ranks["used"]].set_index("target_id")["method"]
    # the backtest's choice projects T01d; T19's 2045 lies beyond the horizon it scored: chosen, not projected
    assert tr.loc["T01d", "projection_method"] == used["T01d"] and pd.isna(tr.loc["T19", "projection_method"])
    d = default_run.definitions
    assert set(d.loc[d["target_id"] == "T15", "latest_value"]) == {14.02, 16.5}  # side by side, not averaged


def test_as_of_year_cuts_the_ranking_rows_too():
    r = ts.words(ts.run(params.validate("resolution_targets", {"as_of_year": 2019, "targets": "T01c,T01d,T19"})))
    tr = r.tracker.set_index("target_id")
    assert tr.loc["T01d", "latest_year"] == 2018 and tr.loc["T01d", "latest_value"] == 88  # EGDI 2018
    assert tr.loc["T19", "latest_year"] == 2019 and tr.loc["T19", "latest_value"] == 42  # GII 2019
    # GII: the rankings model projects naively (its backtest: no trend beats "the latest rank holds"): 42 vs top 30
    # the projection stands beside the status; the status follows the pace, read in percentile points (the field
    # changes): 71 of 143 in 2014 to 42 of 129 in 2019 against 30 of 129 by 2045: on track (the naive projection said
    # 'off track'); shown in places among the 129 of 2019: (42 - 71 x 129 / 143) / 5, needed (30 - 42) / 26
    assert tr.loc["T19", "pace_short"] == pytest.approx((42 - 71 * 129 / 143) / 5)
    assert tr.loc["T19", "pace_needed"] == pytest.approx((30 - 42) / 26)
    assert tr.loc["T19", "status"] == "on track"
    # 26 years ahead is beyond the rankings backtest's 3 editions: no projection is shown (targets.unbacked)
    assert tr.loc["T19", "projected"] is None and tr.loc["T19", "interval_note"] == "beyond_backtest_horizon"
    assert tr.loc["T19", "projection_method"] is None
    # the regional position of 2018 held to 2030 is 6 editions ahead, beyond the 3 the EGDI backtest scored
    assert tr.loc["T01c", "projected"] is None and tr.loc["T01c", "interval_note"] == "beyond_backtest_horizon"


def test_as_of_year_cuts_the_data():
    r = ts.words(ts.run(params.validate("resolution_targets", {"as_of_year": 2019, "targets": "T07,T15"})))
    tr = r.tracker.set_index("target_id")
    assert list(tr.index) == ["T07", "T15"] and tr.loc["T07", "latest_year"] == 2019
    assert tr.loc["T15", "status"] == "no data" and "no observation up to 2019" in tr.loc["T15", "reason"]


def test_claims_check(default_run):
    c = default_run.claims
    assert len(c) == 3
    assert "37.5% of total merchandise exports" in c["what the data say"].iloc[0]
    assert "16,974 bn VND" in c["what the data say"].iloc[1]  # 0.82% x 2,070,000 bn VND
    assert "431 bn USD, rank 32, in 2022" in c["what the data say"].iloc[2]  # one formatter: typed message fields
    assert "rank 53 of 193" in c["what the data say"].iloc[2]
    # 0.82% x 2,070,000 = 16,974 bn VND against the claimed 12,091: 16,974 / 12,091 - 1 = 40.4% higher
    assert "about 40% higher" in c["verdict"].iloc[1] and "(latest value found: 2022)" in c["what the data say"].iloc[2]


@pytest.mark.parametrize(
    ("check", "value", "outcome"),
    [
        ("near", 45.0, "supported"),  # 50 claimed, tolerance 5: the edge counts
        ("near", 55.0, "supported"),
        ("near", 44.9, "not_supported"),
        ("near", 37.5, "not_supported"),
        ("near", np.nan, "not_verified"),
        ("not_stored", np.nan, "not_verified"),
        ("not_stored", 52.0, "supported"),
        ("not_stored", 56.0, "not_supported"),
    ],
)
def test_tracker_claim_rule_by_hand(check, value, outcome):
    claim = {"check": check, "figure": "x", "claimed": 50, "tolerance": 5}
    assert ed.claim_outcome(claim, value) == outcome


def test_tracker_claim_verdict_follows_the_data(default_run):
    figures = default_run.codes["claims"]
    assert figures[0]["share"] == pytest.approx(37.5, abs=0.05) and np.isnan(figures[1]["stated"])
    assert np.isnan(figures[2]["stated"])  # no 2024 Brand Finance value stored
    today = ts.claims_check(figures)["verdict"]
    assert list(today) == list(default_run.claims["verdict"])
    assert today[0] == "not supported on the international definition: about 37.5%, not nearly 50%"
    assert today[1].startswith("not verified; the share-based figure is about 40% higher")
    assert today[2].startswith("not verified: 507 bn is not in any stored page")
    # the same claims on a copy of the data moved: high-tech exports at 48% of goods exports in 2023, the S&T budget
    # of 2023 and a 2024 brand value found
    d = ts.TargetsData.load()
    wdi, budget, ind = dict(d.wdi), d.budget.copy(), d.ind.copy()
    goods = d.wdi["wdi_merchandise_exports_usd"]
    goods = goods[(goods["entity"] == "VNM") & (goods["year"] == 2023)]["value"].iloc[-1]
    tech = wdi["wdi_hightech_exports_usd"] = wdi["wdi_hightech_exports_usd"].copy()
    tech.loc[(tech["entity"] == "VNM") & (tech["year"] == 2023), "value"] = 0.48 * goods
    budget.loc[(budget["indicator"] == "st_budget_vnd_bn") & (budget["year"] == 2023), "value"] = 12_100
    brand = ind[(ind["indicator"] == "nation_brand_value") & (ind["year"] == 2022)].assign(year=2024, value=431)
    moved = ts.claim_figures(dataclasses.replace(d, wdi=wdi, budget=budget, ind=pd.concat([ind, brand])))
    assert moved[0]["share"] == pytest.approx(48.0) and moved[2]["stated"] == 431
    c = ts.claims_check(moved)
    assert list(c["verdict"]) == [
        "supported on the international definition: about 48.0%",
        "supported: the data give 12,100 bn VND for 2023",
        "not supported: Brand Finance gives 431 bn USD for 2024, and 'of 193' mixes the Soft Power Index's field "
        "into the brand-value ranking",
    ]
    # the found S&T budget is no missing figure: 'what the data say' keeps its text (not 'without the figures')
    assert c["what the data say"][1] == default_run.claims["what the data say"].iloc[1]
    moved[0]["share"], moved[1]["stated"] = np.nan, 16_974.0  # a near claim whose figure the data lost
    verdicts = ts.claims_check(moved)["verdict"]
    assert verdicts[0] == "not verified: the data lack the figure"
    assert verdicts[1] == "not supported: the data give 16,974 bn VND for 2023, not 12,091 bn VND"


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
    # the one known answer of how many targets there are (every other test counts the data): section II of the
    # Resolution has 29 as docs/sources/WORDING.md reads it, the reference list's 23 (its section 3: T01a-T20) and
    # the six of its section 4 not in that list (T21-T23 cashless, HDI, 5G by 2030; T24-T26 for 2045)
    assert t["section"].value_counts().to_dict() == {"II.1": 23, "II.2": 6}
    assert {"T21", "T22", "T23", "T24", "T25", "T26"} <= set(t["target_id"])
    assert (t["value_type"] == "target").all()
    ind = datasets.load("vn_r57_indicators")
    nf = ind[ind["value_type"] == "not_found"]
    assert len(nf) and nf["value"].isna().all()


def test_projections_stay_within_the_unit():
    f = tg.Forecast("naive_last_pace", np.array([2030]), np.array([-0.5]), np.array([-0.7]), np.array([120.0]))
    g = tg.clip_to_range(f, share=True)
    assert g.center[0] == 0.0 and g.lo[0] == 0.0 and g.hi[0] == 100.0
    assert tg.clip_to_range(f, share=False).hi[0] == 120.0  # a count has no upper bound


def test_the_latest_pace_window_is_a_parameter():
    years, values = [2010, 2015, 2019, 2020], [0.0, 1.0, 3.0, 4.0]
    # 5 years: window [2015, 2020) starts in 2015 -> (4 - 1) / 5 = 0.6 a year; 2 years: from 2019 -> 1.0 a year
    assert tg.forecast(years, values, [2030], "naive_last_pace").center[0] == pytest.approx(4 + 0.6 * 10)
    assert tg.forecast(years, values, [2030], "naive_last_pace", pace_years=2).center[0] == pytest.approx(4 + 1.0 * 10)
    assert params.validate("resolution_targets", {})["latest_pace_years"] == 5


def test_the_targets_are_in_the_resolutions_words():
    t = datasets.load("r57_targets").set_index("target_id")
    # every target: verbatim Vietnamese, its section, the comparator word as written, the Government documents
    assert (t["text_vi"].str.len() > 10).all() and set(t["section"]) == {"II.1", "II.2"}
    assert (t["comparator_vi"].str.len() > 0).all() and (t["government_docs"].str.len() > 0).all()
    # WORDING.md section 7: 'trên 40%' is more than; 'kinh phí từ xã hội', not '... đầu tư xã hội'; 'thêm' kept
    assert t.loc["T12", "comparator"] == "more_than" and "trên 40%" in t.loc["T12", "text_vi"]
    assert "kinh phí từ xã hội chiếm hơn 60%" in t.loc["T05", "text_vi"]
    assert t.loc["T17", "text_vi"].startswith("Thu hút thêm ít nhất 3") and "more" in t.loc["T17", "text_en"]
    assert t.loc["T18", "text_vi"].endswith("50% GDP")
    # wording read only in the GitHub transcription is labelled so
    assert t.loc["T17", "wording_status"].startswith("transcription only")
    assert t.loc["T26", "wording_status"].startswith("transcription only") and t.loc["T26", "year"] == 2045
    assert t.loc["T22", "comparator"] == "more_than" and t.loc["T22", "value"] == 0.7


def test_ranking_targets_follow_the_pace_rule(default_run):
    tr = default_run.tracker.set_index("target_id")
    # T01d: 71 in 2024, 50 by 2030 needs -3.5 places a year; 2020-24 moved -3.75 a year: on track over 5 years;
    # the long window (2010-24: 90, 83, 99, 89, 88, 86, 86, 71) -0.94 a year, 27% of it: off track. The less
    # favourable decides: off track (one move, 86 -> 71 in 2022-24, does not put it on track)
    assert tr.loc["T01d", "pace_needed"] == pytest.approx(-3.5)
    assert tr.loc["T01d", "pace_short"] == pytest.approx(-3.75) and tr.loc["T01d", "status_short"] == "on track"
    assert tr.loc["T01d", "status_long"] == "off track" and tr.loc["T01d", "status"] == "off track"
    # the record against the pace needed (OECD distance to target): EGDI 86 in 2020 to 71 in 2024 is the fastest
    # 5-year move seen, -3.75 a year; at it the 21 places to 50 take 21 / 3.75 = 5.6 years
    assert tr.loc["T01d", "fastest_pace"] == pytest.approx(-3.75) and tr.loc["T01d", "fastest_pace_from"] == 2020
    assert tr.loc["T01d", "years_at_fastest_pace"] == pytest.approx(5.6)
    # T19: the GII's field changes (131 economies in 2020, 139 in 2025), so its paces are read in percentile
    # points: 44 / 139 = 31.65% in 2025; top 30 of 139 = 21.58%; needed (21.58 - 31.65) / 20 = -0.504 a year;
    # 2020-25 moved (31.65 - 42 / 131 x 100 = 32.06) / 5 = -0.081 a year, 16% of it: off track. Its value is a
    # world rank, so the paces are shown in places among the 139 of 2025: needed (30 - 44) / 20 = -0.7 a year,
    # seen -0.081 x 1.39 = -0.113
    assert tr.loc["T19", "pace_unit"] == "places_a_year" and tr.loc["T19", "pace_field"] == 139
    assert tr.loc["T19", "pace_needed"] == pytest.approx((30 - 44) / 20)
    assert tr.loc["T19", "pace_short"] == pytest.approx((44 / 139 - 42 / 131) * 100 / 5 * 1.39)
    assert tr.loc["T19", "pace_ratio_short"] == pytest.approx((44 / 139 - 42 / 131) / 5 / ((30 - 44) / 139 / 20))
    assert tr.loc["T19", "status_short"] == "off track" and tr.loc["T19", "status"] == "off track"
    assert (
        "in places a year" in tr.loc["T19", "reason"]
        and "; paces read on the share of economies ranked" in tr.loc["T19", "reason"]
    )
    assert tr.loc["T01d", "pace_scale"] == "places"  # the EGDI ranks all 193 UN members every edition
    # Viet Nam is 5th in Southeast Asia in the 2024 EGDI (SG 3, TH 52, MY 57, ID 64, VN 71): Brunei's older rank
    # is not carried forward
    assert tr.loc["T01c", "latest_value"] == 5 and tr.loc["T01c", "latest_year"] == 2024


def test_growth_and_annual_targets_count_over_the_resolutions_period(default_run):
    tr = default_run.tracker.set_index("target_id")
    # no observation after the base year 2024: no observation for the target period, whatever the past growth was
    # (values there are: not 'no data', which is kept for targets without any value in the sources)
    for tid in ("T09", "T10"):
        assert tr.loc[tid, "status"] == "no period data" and "target period" in tr.loc[tid, "reason"]
    # articles: growth fell to 9.1% in 2022 (NSF counts 9,651.04 in 2021, 10,530.19 in 2022: 10,530.19 / 9,651.04
    # = 1.0911), stated beside the window averages
    assert tr.loc["T09", "latest_annual_growth"] == pytest.approx(10530.19 / 9651.04 * 100 - 100)
    assert "growth in 2022: 9.11%" in tr.loc["T09", "reason"]
    # T06: no outturn yet; the 2026 plan meets 3% only within the rounding of its inputs
    assert tr.loc["T06", "status"] == "no period data"
    y = default_run.t06_years.set_index(["year", "basis"])
    assert y.loc[(2026, "plan"), "rating"] == "within rounding" and y.loc[(2025, "outturn"), "rating"] == "not known"
    # the definitions table rates T06 by the same annual rule: the 2026 plan (3.006%) is not "already met"
    defs = default_run.definitions
    t06 = defs[defs["target_id"] == "T06"]
    assert len(t06) == 2 and (t06["status"] == "no period data").all()
    assert not t06["reason"].str.contains("already met").any()
    # its 3.01 for 2026 is the plan (95,000 / ~3,160,000), not an outturn: said in the row, its CSV note and the
    # definitions table; the MoF S&T-only definition (outturns) and a surveyed target are not plans
    assert tr.loc["T06", "latest_is_plan"] and not tr.loc["T04", "latest_is_plan"]
    assert tr.loc["T06", "reason"].startswith("latest value: 2026 plan, not an outturn; no outturn for 2025, 2026")
    csv = ts.tracker_table(default_run.tracker, default_run.targets).set_index("target id")
    assert csv.loc["T06", "why"].startswith("latest value: 2026 plan, not an outturn; ")
    assert t06["reason"].str.startswith("latest value: 2026 plan").tolist() == [True, False]
    with i18n.language("vi"):
        said = ts.reason_text({"why": [], "latest_is_plan": True, "latest_year": 2026})
    assert said == "giá trị mới nhất: kế hoạch năm 2026, chưa phải số thực hiện"


def test_printed_intervals_state_level_and_coverage(default_run):
    # by default every target year lies beyond the 5-year backtest counted from the last observation (or the EGDI's
    # 3-edition coverage is 64%, more than 10 points below 80%; T04's surveys give too few forecasts to judge): no
    # interval is printed, each withheld saying why
    tr = default_run.tracker
    assert tr["projected_lo"].isna().all()
    assert tr.loc[tr["projected"].notna() & tr["projected_lo"].isna(), "interval_note"].notna().all()
    assert tr.set_index("target_id").loc["T01d", "interval_note"] == "coverage_below_nominal"
    # a backtest reaching 10 years: the intervals are widened until they cover 80% of the backtest's outcomes
    r = ts.words(
        ts.run(params.validate("resolution_targets", {"backtest_horizon_years": 10, "targets": "T04,T07,T14,T15"}))
    )
    t = r.tracker.set_index("target_id")
    shown = t[t["projected_lo"].notna()]
    assert set(shown.index) == {"T07", "T14"} and (shown["interval_pct"] == 80.0).all()
    assert (shown["interval_coverage_pct"] >= 80.0).all() and (shown["projected_hi"] > shown["projected_lo"]).all()
    # researchers: the raw interval held 1 of 6 backtest outcomes; widened, it holds all 6 (rank ceil(7 x 0.8) = 6)
    assert (
        t.loc["T07", "backtest_coverage_pct"] == pytest.approx(100 / 6) and t.loc["T07", "interval_coverage_pct"] == 100
    )
    # GSO's digital economy (2020-25): 3 scored forecasts, too few to judge a projection: none shown
    assert (t.loc["T15", "interval_note"], t.loc["T15", "backtest_pairs"]) == ("backtest_too_thin", 3)
    assert pd.isna(t.loc["T15", "projected"])


def test_each_projection_without_an_interval_says_why_with_the_figures_judged(default_run):
    # in the page, tracker.csv and the workbook (its "projection note" column), in both languages
    tr = default_run.tracker.set_index("target_id")
    withheld = tr[tr["projected_lo"].isna() & (tr["projected"].notna() | tr["interval_note"].notna())]
    assert set(withheld.index) == {"T01c", "T01d", "T04", "T07", "T14", "T15", "T18", "T19"}
    assert (withheld["projection_note"] != "").all()
    # T07 and T14 (2023 -> 2030, 7 years) and T19 (2025 -> 2045) lie beyond the 5 years (3 GII editions) their
    # backtests scored: no projection at all, not only no interval (it showed 9.79, 42.6 and 44)
    for tid in ("T07", "T14", "T19"):
        assert pd.isna(tr.loc[tid, "projected"]) and tr.loc[tid, "interval_note"] == "beyond_backtest_horizon"
        assert tr.loc[tid, "projection_note"] == (
            "not projected: the target year is further ahead than any past forecast the backtest could check against "
            "the published outcomes, so nothing shows how reliable a projection that far ahead is; that would need a "
            "longer run of data."
        )
    # T01d: the EGDI backtest's 80% intervals held 87% of outcomes over all horizons (the backtest table's figure)
    # but 64% (9 of 14) three editions ahead, at the 2030 horizon: that is the figure that withholds it
    assert tr.loc["T01d", "interval_coverage_at_horizon_pct"] == pytest.approx(900 / 14)
    assert tr.loc["T01d", "projection_note"].endswith(
        "less often than 80% (64% at the 2030 horizon; 87% over all horizons, as in the backtest table)"
    )
    assert tr.loc["T15", "projection_note"] == (
        "not projected: the backtest could check only 3 past forecasts against the published outcomes; at least 5 "
        "are needed to show how reliable a projection is."
    )
    t = ts.tracker_table(default_run.tracker, default_run.targets).set_index("target id")
    assert t.loc["T15", "projection note"] == tr.loc["T15", "projection_note"] and pd.isna(
        t.loc["T15", "projected value"]
    )
    d = ts.definitions_table(default_run.definitions)
    ministry = d[(d["target id"] == "T04") & d["definition"].str.contains("ministry")].iloc[0]
    assert ministry["projection note"] == (
        "not projected: the backtest could check only 1 past forecast against the published outcomes; at least 5 "
        "checked as far ahead as the target year are needed to show how reliable a projection that far ahead is, "
        "and that would need a longer run of data."
    )
    facts = ts.run(params.validate("resolution_targets", {"targets": "T01d,T15"}))
    with i18n.language("vi"):
        vi = ts.words(facts).tracker.set_index("target_id")["projection_note"]
    assert vi["T15"] == (
        "không dự phóng: kiểm định hồi cứu chỉ đối chiếu được 3 dự báo trong quá khứ với kết quả đã công bố; phải có "
        "ít nhất 5 dự báo như vậy thì mới đánh giá được độ tin cậy của dự phóng."
    )
    assert vi["T01d"].endswith(
        "(64% ở kỳ dự phóng đến năm 2030; 87% trên mọi kỳ dự phóng, như trong bảng kiểm định hồi cứu)"
    )


def test_a_rank_page_projects_a_resolution_target_as_the_tracker_does(default_run):
    """Each ranking scenario tracking a Resolution target (``resolution_target``): its page's projected rank is the
    tracker's projected value for that target, or both are withheld by the one rule (rankings.withheld; T19's 2045
    lies beyond the editions the GII's backtest scored)."""
    import yaml

    from analysis.run.catalogue import load_scenario

    tracker = default_run.tracker.set_index("target_id")
    checked = {}
    for path in sorted(paths.SCENARIOS_DIR.glob("rank-*.yaml")):
        code = yaml.safe_load(path.read_text(encoding="utf-8")).get("resolution_target")
        if code is None:
            continue
        page = rs.run(params.validate("ecosystem_rankings", load_scenario(path).parameters)).summary
        mine, theirs = page["projected_rank"], tracker.loc[code, "projected"]
        assert (mine is None and pd.isna(theirs)) or mine == pytest.approx(theirs), (path.name, mine, theirs)
        if mine is None:  # withheld for the same reason
            assert page["interval_note"] == tracker.loc[code, "interval_note"], path.name
        checked[code] = mine
    assert set(checked) == {"T01d", "T19"} and checked["T19"] is None


def test_a_withheld_projection_has_one_wording_on_the_rank_page_and_in_the_tracker():
    """The rank page's paragraph (``trajectory_refused``) and the tracker's projection note say why a projection is
    withheld in the same words, in both languages (they had two wordings): T19 and rank-gii (the GII's top 30 by
    2045, beyond the editions its backtest scored); T18 (3 scored forecasts, 2045 beyond its 5 years) and rank-hcmc
    (3, as the StartupBlink cities', none of 5 as far as 2030): both reasons for both."""
    from analysis.run.catalogue import load_scenario

    def page(name: str) -> dict[str, str]:
        run = rs.run(params.validate("ecosystem_rankings", load_scenario(paths.SCENARIOS_DIR / name).parameters))
        return i18n.each_language(lambda: rs.words(run).summary["trajectory_refused"])

    facts = ts.run(params.validate("resolution_targets", {"targets": "T18,T19"}))
    note = i18n.each_language(lambda: ts.words(facts).tracker.set_index("target_id")["projection_note"].to_dict())
    for tid, name in (("T19", "rank-gii.yaml"), ("T18", "rank-hcmc.yaml")):
        said = page(name)
        assert note["en"][tid] == "not projected: " + said["en"] and note["vi"][tid] == "không dự phóng: " + said["vi"]
    assert said["en"] == (
        "the backtest could check only 3 past forecasts against the published outcomes; at least 5 checked as far "
        "ahead as the target year are needed to show how reliable a projection that far ahead is, and that would "
        "need a longer run of data."
    )


def test_rankings_report_and_tracker_agree(default_run):
    from analysis.reports import ecosystem_rankings as rs

    rp = params.validate("ecosystem_rankings", {})
    rank = {x.target.target_id: rs.target_words(x, rk.track_target(x, rp)) for x in rk.ranking_targets()}
    tr = default_run.tracker.set_index("target_id")
    for tid, row in rank.items():
        cols = ("status", "projected", "projected_lo", "pace_needed", "pace_short", "status_short", "pace_field")
        for col in cols:  # one conversion, in the model: T19's paces in places among the 139 of 2025 in both
            a, b = tr.loc[tid, col], row.get(col)
            assert (pd.isna(a) and (b is None or pd.isna(b))) or a == b, (tid, col, a, b)
    assert rank["T19"]["pace_needed"] == pytest.approx((30 - 44) / 20) and rank["T19"]["pace_field"] == 139
    assert rank["T19"]["pace_unit"] == "places a year (negative = climbing)"
    assert rank["T19"]["reason"].startswith(
        "pace seen -0.113 a year over 5 years (off track) and -1.66 over the long window (on track) vs -0.700 "
        "needed, in places a year (negative = climbing), over 6 editions (2020-2025); paces read on the share of "
        "economies ranked, whose number changes between editions, and given in places among the 139 ranked in 2025; "
        "the target year is further ahead than any past forecast the backtest could check against the published "
        "outcomes, so nothing shows how reliable a projection that far ahead is; that would need a longer run of data."
    )


def test_t05_note_states_the_default_split_rd_paths_uses(default_run):
    # rd_paths' default non-budget share: the median of EY 2025 (20-30%, mid 25), OECD/World Bank 2014 (30%) and
    # the 2013 survey (100 - 57.7 = 42.3%) = 30%, range 20-42.3%; the tracker's T05 note quotes that, not the old
    # "funding account" residual
    from analysis.reports import rd_paths

    _readings, (lo, c, hi) = rd_paths.nonbudget_evidence(rd_paths.RdData.load())
    assert (lo, c, round(hi, 1)) == (20.0, 30.0, 42.3)
    reason = default_run.tracker.set_index("target_id").loc["T05", "reason"]
    assert "median of the three" in reason and f"non-budget {c:.0f}%, range {lo:.0f}-{hi:.0f}%" in reason
    assert "funding account" not in reason and "only split" not in reason


def test_t05_gives_both_readings_and_claims_no_more_than_they_allow(default_run):
    # the published shares say 20-42% non-budget; the S&T line's reading of 2025 (rd_paths.budget_line_reading, the
    # R&D page's nonbudget_share_budget_bound_*: S&T 0.82% of 2,540,000 bn VND over GERD) says 62-90%: they straddle
    # the 60% line, so the status is 'not measurable', never 'below 60%' (it was 'no data')
    readings = default_run.rd["readings"]
    low, high = readings["nonbudget_share_budget_bound_low_pct"], readings["nonbudget_share_budget_bound_high_pct"]
    assert (round(low, 1), round(high, 1)) == (61.6, 90.1)
    row = default_run.tracker.set_index("target_id").loc["T05"]
    assert row["status"] == "not measurable"
    assert row["model_note"] == (
        "the evidence cannot say whether non-budget sources pay more than 60%: the published shares give 20%-42% "
        "non-budget, while the state budget's S&T line alone, read as all of state R&D, implies 62%-90% in 2025 "
        "(R&D paid through other budget lines is outside that line; the R&D spending paths model)"
    )


def test_the_envelope_check_names_both_budget_readings(default_run):
    # 2% of GDP, 40% of it state-funded (60% non-budget): 0.8% of GDP against 3% of budget spending; budget at
    # 22.42% of GDP (the 2026 estimate over projected GDP) or 18.24% (2023-25's lowest), as the feasibility page
    # reads it: 0.8 / (0.03 x 22.42) = 119%, 0.8 / (0.03 x 18.24) = 146%; 137% only at the model's 19.421%
    r = default_run.rd["readings"]
    at_high, at_low = (r[f"consistency_envelope_pct_at_floor_at_budget_{e}"] for e in ("high", "low"))
    assert at_high == pytest.approx(0.8 / (0.03 * r["budget_exp_pct_gdp_high"]) * 100)
    assert (round(at_high), round(at_low)) == (119, 146)
    note = default_run.tracker.set_index("target_id").loc["T06", "model_note"]
    assert (
        "needs 119%-146% of the whole 3% envelope with budget spending at 22.4% or 18.2% of GDP (137%, 4.1% of budget "
        "expenditure, at the model's 19.4%)" in note
    )


def test_status_counts_say_what_they_count(default_run):
    # 'no data' only where the sources hold no value; T06, T09, T10 have values but none for the target period;
    # of the 8 off track, T01d, T14 and T19 have windows that disagree (the less favourable decides)
    s, tr = default_run.summary, default_run.tracker.set_index("target_id")
    assert set(tr.index[tr["status"] == "no period data"]) == {"T06", "T09", "T10"}
    assert (s["targets_off_track"], s["targets_off_track_windows_disagree"]) == (8, 3)
    assert (s["targets_not_measurable"], s["targets_without_period_data"], s["targets_without_data"]) == (7, 3, 11)
    assert set(tr.index[tr["windows_agree"].eq(False)]) == {"T01d", "T14", "T19"}
    shown = ts.tracker_table(default_run.tracker, default_run.targets).set_index("target id")["status"]
    assert shown["T01d"] == "off track (windows disagree)" and shown["T04"] == "off track"
    with i18n.language("vi"):
        assert ts._shown_status(shown["T01d"]) == "chậm tiến độ (giai đoạn ngắn và giai đoạn dài cho kết quả khác nhau)"
    # T01c: the long window alone rates it (2020 and 2024 are too few for the short one); its 7 observations
    # 2010-24 (6, 4, 5, 6, 6, 6, 5) give +0.023 a year; without the 2012 4th place -0.034, still under half the
    # -0.333 needed: off track either way
    assert pd.isna(tr.loc["T01c", "status_short"]) and tr.loc["T01c", "status"] == "off track"


def test_t04_reads_its_pace_and_horizon_from_the_surveys_by_hand(default_run):
    # UIS surveys from the 2013 break: 0.29932, 0.35629, 0.41895, 0.41652, 0.42494, 0.41456 in 2013, 2015, ..., 2023.
    # Latest observed: 0.41456 in 2023, not the 2025 nowcast (0.41456, 0.35190-0.47722), which stands beside it.
    # Pace needed (2 - 0.41456) / 7 = 0.22649 pp a year; pace seen 2019 -> 2023 (0.41456 - 0.41652) / 4 = -0.00049.
    # Horizon 2030 - 2023 = 7 years; the backtest (origins 2019 and 2021, each later survey scored) scores
    # 2 + 1 = 3 forecasts, fewer than 5: no projection, as for any series that thin
    row = default_run.tracker.set_index("target_id").loc["T04"]
    assert (row["latest_year"], row["latest_value"], bool(row["latest_is_estimate"])) == (2023, 0.41456, False)
    estimate = ("model_estimate_year", "model_estimate", "model_estimate_low", "model_estimate_high")
    assert tuple(row[list(estimate)]) == (2025, 0.41456, pytest.approx(0.35190), pytest.approx(0.47722))
    assert row["pace_needed"] == pytest.approx((2 - 0.41456) / 7)
    assert (row["pace_short"], row["pace_short_from"]) == (pytest.approx((0.41456 - 0.41652) / 4), 2019)
    # 3 scored forecasts (5 needed), and 2030 is 7 years beyond 2023, further than the backtest's 5: both reasons
    assert (row["interval_note"], row["backtest_pairs"]) == ("backtest_too_thin_beyond_horizon", 3)
    assert pd.isna(row["projected"])
    # the same rule as every row: with enough pairs (min_backtest_pairs 3) its interval is withheld 7 years out
    run = ts.run(params.validate("resolution_targets", {"targets": "T04", "min_backtest_pairs": 3}))
    r = run.tracker.set_index("target_id").loc["T04"]
    assert r["interval_note"] == "beyond_backtest_horizon" and r["projected_lo"] is None


def test_the_gerd_paces_are_not_read_across_the_flagged_2011_2013_step(default_run):
    # the feasibility report flags Viet Nam's 2011-2013 doubling (0.14955% -> 0.29932%, 41% a year) as a possible
    # change in survey coverage; the tracker reads T04's paces from 2013 on. Fastest 5-year pace: 2013 -> 2017,
    # (0.41895 - 0.29932) / 4 = 0.02991 pp a year (not the step's 0.0749), 2 - 0.41456 = 1.58544 pp away:
    # 1.58544 / 0.02991 = 53.0 years
    row = default_run.tracker.set_index("target_id").loc["T04"]
    assert (row["fastest_pace_from"], row["pace_long_from"]) == (2013, 2013)
    assert row["fastest_pace"] == pytest.approx((0.41895 - 0.29932) / 4, abs=1e-5)
    assert row["years_at_fastest_pace"] == pytest.approx(53.0, abs=0.05)


def test_the_tracker_shows_the_start_rd_paths_uses_beside_the_surveys(default_run):
    # issue 22: one start for every report. T04's model estimate is nowcast.resolve_start's (0.41456% in 2025,
    # 0.35190-0.47722: the flat share -/+ its largest backtest error 0.06266, tests/test_rd_estimates.py), and the
    # pace its note quotes is rd_paths' default run's: (2 / 0.41456) ** (1/5)
    from analysis.reports import rd_paths

    row = default_run.tracker.set_index("target_id").loc["T04"]
    assert (row["model_estimate_year"], row["model_estimate"]) == (2025, pytest.approx(0.41456))
    assert (row["model_estimate_low"], row["model_estimate_high"]) == (
        pytest.approx(0.35190, abs=1e-5),
        pytest.approx(0.47722, abs=1e-5),
    )
    _resolved, path, summary = rd_paths.run(params.validate("rd_paths", {}))
    assert int(path.index[0]) == 2025 and path["share_pct"].iloc[0] == pytest.approx(row["model_estimate"])
    assert summary["share_cagr_pct"] == pytest.approx(((2 / 0.41456) ** 0.2 - 1) * 100, abs=1e-3)
    assert default_run.rd["summary"]["share_cagr_pct"] == summary["share_cagr_pct"]
    # the T05 measure is the non-budget share, the Resolution's words stay its own
    t05 = default_run.tracker.set_index("target_id").loc["T05"]
    assert t05["definition"] == "Non-budget share of GERD" and "kinh phí từ xã hội" in t05["text_vi"]


def test_tracker_csv_holds_one_value_per_cell(default_run):
    # issue 26 item 3: values, ranges, years, units, methods and statuses in their own columns (it held
    # "0.415 % of GDP (2023)" and "0.415 (80% interval 0.356-0.473), estimate by ...")
    t = ts.tracker_table(default_run.tracker, default_run.targets)
    numeric = ("target value", "latest value", "model estimate's range, low", "model estimate's range, high")
    numeric += ("r57 model estimate (not data)", "pace needed")
    numeric += ("projected value", "interval low", "interval high", "interval level, %", "latest year")
    assert all(t[c].isna().all() or pd.api.types.is_numeric_dtype(t[c]) for c in numeric), t[list(numeric)].dtypes
    assert set(t["status"].str.removesuffix(ts.WINDOWS_DISAGREE)) <= set(tg.STATUSES)
    assert set(t["projection method"].dropna()) <= {
        *SERIES_METHODS,
        "naive",
        "drift_rank",
        "drift_percentile",
    }
    r = t.set_index("target id").loc["T04"]
    assert (r["latest value"], r["latest year"], r["unit"]) == (pytest.approx(0.41456), 2023, "% of GDP")
    assert r["model estimate's range, low"] == pytest.approx(0.35190, abs=1e-5) and r["model estimate year"] == 2025
    assert r["section"] == "II.1" and r["comparator as written"] and "NQ" in r["Government documents"]
    d = ts.definitions_table(default_run.definitions)
    assert pd.api.types.is_numeric_dtype(d["latest value"]) and pd.api.types.is_numeric_dtype(d["projected value"])
    assert set(d.loc[d["target id"] == "T15", "latest value"]) == {14.02, 16.5}


def test_each_row_opens_with_the_resolutions_words(default_run):
    # issue 25 item 1: the verbatim Vietnamese target with its section first, then the Government documents and
    # how this report measures it ("báo cáo tạm lượng hóa là ..."); the short English name after them
    from analysis import i18n

    t = ts.tracker_table(default_run.tracker, default_run.targets)
    assert list(t.columns[:8]) == [
        "target id",
        "section",
        "as written (Vietnamese)",
        "comparator as written",
        "target value",
        "target year",
        "Government documents",
        "measured as",
    ]
    assert ts.section_cell("II.1") == "Resolution 57-NQ/TW, section II.1"
    with i18n.language("vi"):
        assert ts.section_cell("II.2") == "Nghị quyết số 57-NQ/TW, mục II.2"
        assert ts.tracker_display(2026)["labels"]["measured as"] == "báo cáo tạm lượng hóa là"


def test_the_editorial_file_is_validated_naming_the_file_and_entry(tmp_path):
    import yaml

    from analysis.errors import DataError

    doc = yaml.safe_load(ed.EDITORIAL_PATH.read_text(encoding="utf-8"))
    assert ed.editorial()["measures"]["T18"] == "T15"  # measured as the digital economy of 2030 is
    bad = tmp_path / "tracker.yaml"
    cases = [
        (("T04", 0, "series"), {"dataset": "wdi_gdp", "indicator": "x"}, r"measures/T04/0/series"),
        (("T04", 0, "kind"), "guess", r"measures/T04/0/kind"),
        (("T05", 0, "reason"), None, r"measures/T05/0"),  # no data and no reason
    ]
    for (tid, i, key), value, where in cases:
        broken = yaml.safe_load(ed.EDITORIAL_PATH.read_text(encoding="utf-8"))
        if value is None:
            del broken["measures"][tid][i][key]
        else:
            broken["measures"][tid][i][key] = value
        bad.write_text(yaml.safe_dump(broken, allow_unicode=True), encoding="utf-8")
        with pytest.raises(DataError, match=rf"{bad}: {where}"):
            ed.editorial(bad)
    broken = yaml.safe_load(ed.EDITORIAL_PATH.read_text(encoding="utf-8"))
    broken["claims"][0]["verdicts"]["supported"] = "about {shares}"
    bad.write_text(yaml.safe_dump(broken, allow_unicode=True), encoding="utf-8")
    with pytest.raises(DataError, match=r"claims/0/verdicts/supported: no figure named shares"):
        ed.editorial(bad)
    broken = yaml.safe_load(ed.EDITORIAL_PATH.read_text(encoding="utf-8"))
    broken["claims"][1]["figure"] = "stated_2023"
    bad.write_text(yaml.safe_dump(broken, allow_unicode=True), encoding="utf-8")
    with pytest.raises(DataError, match=r"claims/1/figure: no figure named stated_2023"):
        ed.editorial(bad)
    del broken["claims"][0]["verdicts"]["supported"]
    bad.write_text(yaml.safe_dump(broken, allow_unicode=True), encoding="utf-8")
    with pytest.raises(DataError, match=r"claims/0/verdicts: rule near takes not_supported, supported, not not_supp"):
        ed.editorial(bad)
    broken = yaml.safe_load(ed.EDITORIAL_PATH.read_text(encoding="utf-8"))
    broken["claims"][0]["tolerance"] = -1
    bad.write_text(yaml.safe_dump(broken, allow_unicode=True), encoding="utf-8")
    with pytest.raises(DataError, match=r"claims/0/tolerance"):
        ed.editorial(bad)
    broken["claims"][0]["tolerance"] = 5
    broken["claims"][0]["figures"]["share"]["year"] = "2023"
    bad.write_text(yaml.safe_dump(broken, allow_unicode=True), encoding="utf-8")
    with pytest.raises(DataError, match=r"claims/0/figures/share/year"):
        ed.editorial(bad)
    doc["measures"]["T18"] = "T99"
    bad.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    with pytest.raises(DataError, match=r"measures/T18: 'T99' is not a measured target"):
        ed.editorial(bad)
    bad.write_text("measures: [", encoding="utf-8")
    with pytest.raises(DataError, match="is not valid YAML"):
        ed.editorial(bad)


def test_target_chart_draws_the_start_the_path_needed_and_the_target(default_run):
    import matplotlib.pyplot as plt

    assert "T04" in ts.charted_targets(default_run.tracker) and "T09" not in ts.charted_targets(default_run.tracker)
    chart = ts.target_chart(default_run, "T04")
    fig = chart.pop("fig")
    try:
        lines = {ln.get_label(): ln for ln in fig.axes[0].get_lines()}
        # the straight path needed: from the 2023 survey 0.41456 to 2 in 2030, (2 - 0.41456) / 7 = 0.226 a year
        needed = lines["path needed to reach the target"]
        assert list(needed.get_xdata()) == list(range(2023, 2031))
        assert needed.get_ydata()[0] == pytest.approx(0.41456) and needed.get_ydata()[-1] == pytest.approx(2.0)
        assert needed.get_ydata()[1] - needed.get_ydata()[0] == pytest.approx((2 - 0.41456) / 7)
        # the 2025 nowcast beside the surveys, labelled as r57's estimate with its range (0.35190-0.47722)
        marker = {c.get_label(): c for c in fig.axes[0].containers}["r57 model estimate (not data) with its range"]
        assert list(marker.lines[0].get_xdata()) == [2025]
        assert list(marker.lines[0].get_ydata()) == [pytest.approx(0.41456)]
        assert chart["chart_id"] == "target_T04" and chart["title"].startswith("T04: ")
        assert "status: off track" in chart["title"].lower()
        # a % unit is written against its number, and the target carries the unit too
        assert "(latest 0.415% of GDP), the straight path to the target 2% of GDP in 2030" in chart["alt"]
    finally:
        plt.close(fig)
    with i18n.language("vi"):
        chart = ts.target_chart(default_run, "T04")
    plt.close(chart["fig"])
    assert "(mới nhất 0,415% GDP), lộ trình thẳng đến mục tiêu 2% GDP vào năm 2030" in chart["alt"]


def test_backtest_table_and_finding_by_hand():
    b = pd.DataFrame(
        {
            "target_id": ["T07", "T07", "T14", "T15"],
            "definition": ["a", "a", "b", "c"],
            "method": ["linear_trend", "naive_last_value", "naive_last_pace", "naive_last_value"],
            "pairs": [6, 6, 9, 0],
            "mae": [0.2, 0.5, 1.0, None],
            "coverage_pct": [100 / 6, 50.0, 70.0, None],
            "used": [True, False, True, True],
            "status_definition": [True, True, True, True],
        }
    )
    p = {"interval_pct": 80.0, "min_backtest_pairs": 5, "backtest_horizon_years": 5}
    t = ts.backtests_table(b, 80.0, tg.load_targets())
    # nothing scored for T15: left out; booleans stay booleans in the CSV (one value per cell)
    assert list(t["target id"]) == ["T07", "T07", "T14"] and t["used"].tolist() == [True, False, True]
    assert "inside the 80% interval, %" in t.columns
    # the trend is used for T07 only; T07's used interval held 1 of 6 (16.7% < 80 - 15 = 65), T14's 70% did not fall
    # below 65
    finding = ts.backtests_finding(b, p)
    assert finding.startswith("The trend earned its place for T07;")
    assert "too narrow in the backtest for T07 (coverage below 65% for a 80% interval)" in finding


def test_a_ranking_rows_definition_and_source_are_worded_from_its_index(default_run):
    rows = default_run.tracker.set_index("target_id")
    t = next(x for x in default_run.targets if x.target_id == "T01c")  # EGDI, position in Southeast Asia
    english = rows.loc["T01c", "definition"]
    shown = i18n.each_language(lambda: [ts.definition_text(t, english), ts.rank_text(t, ts.RANK_SOURCE)])
    assert shown["en"] == [english, rows.loc["T01c", "source"]]
    assert english == "Position in Southeast Asia, UN E-Government Development Index"
    assert shown["vi"] == [
        "Vị trí trong Đông Nam Á, Chỉ số phát triển Chính phủ điện tử (EGDI) của Liên hợp quốc",
        "Chỉ số phát triển Chính phủ điện tử (EGDI) của Liên hợp quốc (theo dữ liệu của báo cáo xếp hạng)",
    ]


def test_wording_table_holds_the_data_and_is_worded_on_display(default_run):
    from analysis import i18n

    w = ts.wording_table(default_run.targets).set_index("target id")
    assert (
        len(w) == len(default_run.targets)
        and "kinh phí từ xã hội chiếm hơn 60%" in w.loc["T05", "as written (Vietnamese)"]
    )
    assert w.loc["T17", "wording status"].startswith("transcription only")  # the data's code, worded on display
    with i18n.language("vi"):
        shown = ts.wording_display()["formats"]["wording status"](w.loc["T17", "wording status"])
        assert shown != w.loc["T17", "wording status"] and shown
        t06 = ts.t06_display()
        assert t06["formats"]["basis"]("outturn") == "thực hiện" and t06["formats"]["share"](3.0063) == "3,01"


def test_empty_cells_stay_empty_on_display():
    # a target without a pace has no window status or method: the cell is empty, never "nan"
    f = ts.tracker_display(2026)["formats"]
    for col in ("status, 5 years", "projection method", "latest value", "latest year", "pace needed"):
        assert f[col](float("nan")) == "" and f[col](None) == "" and f[col](pd.NA) == "", col
    assert f["projection method"]("linear_trend") == "linear trend" and f["unit"]("nan") == "nan"  # text is shown


def test_the_government_documents_read_in_the_edition_s_language(monkeypatch):
    """Issue 25 item 3: the data's English words around the annex rows ("9 Jan 2025", "row", "transcription",
    "press, unconfirmed") read in Vietnamese on the Vietnamese page; the figures stay as the annex writes them."""
    from analysis import i18n
    from analysis.reports import vi_check

    monkeypatch.delenv("R57_I18N_MARK", raising=False)
    t16 = (
        "NQ 03/NQ-CP (9 Jan 2025) Phụ lục I row 11.1: ≥ 80 (transcription, github.com/thetrungdtt/VNMasterplan NQCP03); "
        "NQ 71/NQ-CP: Bộ Nội vụ plan 'từ 80% trở lên' (press, unconfirmed)"
    )
    assert ts.government_docs_cell(t16) == (
        "NQ 03/NQ-CP (9 Jan 2025), Annex I, row 11.1: ≥ 80 (unofficial transcription); "
        "NQ 71/NQ-CP: Bộ Nội vụ plan 'từ 80% trở lên' (press, unconfirmed)"
    )
    with i18n.language("vi"):
        assert ts.government_docs_cell(t16) == (
            "Nghị quyết số 03/NQ-CP ngày 09/01/2025, Phụ lục I, dòng 11.1: ≥ 80 (theo bản chép không chính thức); "
            "Nghị quyết số 71/NQ-CP: kế hoạch của Bộ Nội vụ “từ 80% trở lên” (theo báo chí, chưa xác nhận)"
        )
        cells = [ts.government_docs_cell(t.government_docs) for t in tg.load_targets()]
    assert all(cells) and not [c for c in cells if vi_check.english_runs(c) or " row " in c or "transcription" in c], (
        cells
    )


def _marked(obj: object) -> list[str]:
    """Every text in ``obj`` (a run's fields, walked through frames, mappings and sequences) that the catalogue
    translated or that a number formatter wrote (marked under ``R57_I18N_MARK=1``)."""
    if isinstance(obj, pd.DataFrame):
        return _marked(obj.to_dict(orient="list"))
    if isinstance(obj, dict):
        return [t for v in obj.values() for t in _marked(v)]
    if isinstance(obj, list | tuple):
        return [t for v in obj for t in _marked(v)]
    text = str(obj)
    return [text] if any(m in text for m in ("⟦", "⟨")) else []


def test_the_run_holds_facts_and_codes_and_words_them_per_language(monkeypatch):
    """Issue 24 item 5: the tracker computes once per execution; its run holds no words (the notebook words it in
    each language with ts.words), so both editions word the same numbers."""
    monkeypatch.setenv("R57_I18N_MARK", "1")
    facts = ts.run(params.validate("resolution_targets", {"targets": "T01d,T04,T06,T07,T10"}))
    assert _marked(vars(facts)) == []
    worded = ts.words(facts)
    reasons = worded.tracker.set_index("target_id")["reason"]
    assert all("⟦" in reasons[t] for t in ("T01d", "T04", "T06", "T07", "T10"))
    assert "⟦" in worded.tracker.set_index("target_id").loc["T04", "model_note"] and len(worded.claims) == 3
    numbers = worded.tracker.select_dtypes("number")
    pd.testing.assert_frame_equal(numbers, facts.tracker[numbers.columns])


def test_the_rankings_run_holds_facts_and_codes_and_words_them_per_language(monkeypatch):
    """Issue 24 item 5: the rankings report computes once per execution; its run holds no words (reasons, the
    backtest's why, the targets' rows, the claims), which rs.words gives in the language in use."""
    monkeypatch.setenv("R57_I18N_MARK", "1")
    facts = rs.run(params.validate("ecosystem_rankings", {"index_name": "startupblink_city", "entity": "hanoi"}))
    assert _marked(vars(facts)) == []
    S = rs.words(facts).summary
    worded = rs.words(facts)
    # Hanoi's projection is withheld (StartupBlink cities: 3 backtest forecasts): the refusal is worded instead
    assert "⟦" in S["projection_method_reason"] and "⟦" in S["trajectory_refused"]
    assert worded.targets["reason"].str.contains("⟦").all() and worded.claims["verdict"].str.contains("⟦").all()
    assert {k: v for k, v in S.items() if not isinstance(v, str)} == {
        k: v for k, v in facts.summary.items() if not isinstance(S[k], str)
    }


def test_a_rows_reason_codes_are_the_codes_its_reason_words():
    """``reason_codes`` (results.json, analysis.targets()) name what the reason says: T06 is rated year by year
    (not by the pace rule's 'already met'), T10 by the worse of its two measures, then that measure's codes."""
    F = ts.run(params.validate("resolution_targets", {"targets": "T06,T10"}))
    rows = {r["target_id"]: r for r in F.codes["rows"]}
    assert rows["T06"]["reason_codes"] == ["annual"]
    assert rows["T10"]["reason_codes"][0] == "worse_of"
    for row in [*rows.values(), *F.codes["definitions"]]:
        assert row["reason_codes"] == [code for code, _values in row["why"]]


def test_a_pace_unit_is_a_code_in_english_for_results_json_and_translated_on_the_page():
    codes = [("percentile_points_a_year", "world rank"), ("points_a_year", "% of GDP"), (float("nan"), "articles")]
    shown = i18n.each_language(lambda: [ts.pace_unit_text(code, unit) for code, unit in codes])
    assert shown["en"] == ["percentile points a year (negative = climbing)", "% of GDP a year", None]
    assert shown["vi"] == ["điểm phân vị/năm (số âm = tăng hạng)", "điểm phần trăm/năm (% GDP)", None]
    codes = {
        "pace_unit": ["points_a_year", "pct_a_year", "unit_a_year", None],
        "unit": ["% of GDP", "x", "articles", ""],
    }
    with i18n.language("vi"):  # results.json's words are English whatever the language in use
        english = ts.english_pace_units(pd.DataFrame(codes))["pace_unit"].tolist()
    assert english[:3] == ["% of GDP a year", "% a year", "articles a year"] and pd.isna(english[3])


def test_what_the_data_mark_not_found_is_carried_apart_from_the_editorial_reason(default_run):
    # T26 (kind none, not_found global_tech_leaders_hq_rd_in_vn): the data's note, worded as found, part by part
    d = ts.TargetsData.load()
    m = ts.measures(d)["T26"][0]
    row = d.ind[(d.ind["indicator"] == "global_tech_leaders_hq_rd_in_vn") & (d.ind["value_type"] == "not_found")]
    found, target = row["source_detail"].iloc[0].rsplit(" | ", 1)  # the compiler's note, then the target it was for
    assert (m.reason, m.not_found, target) == ("", found, "target T17")
    assert m.note == [("note", {"text": "", "not_found": found})]
    reason = default_run.tracker.set_index("target_id").loc["T26", "reason"]
    assert reason == f"not found: {found}"


def test_the_data_say_what_kind_each_unit_is_and_no_english_word_decides_the_arithmetic():
    kinds = {t.target_id: t.unit_kind for t in tg.load_targets()}
    assert {k: kinds[k] for k in ("T01a", "T04", "T07", "T09", "T10", "T11", "T13", "T21", "T22")} == {
        "T01a": "level",
        "T04": "share",
        "T07": "level",
        "T09": "growth",
        "T10": "growth",
        "T11": "share",
        "T13": "share",  # '% of GDP growth' is a share of growth, not a growth rate
        "T21": "share",  # a target the compiled list lacks: its kind from wording.yaml
        "T22": "level",
    }
    # the unit's words are shown, never read: a rate in '% per year' declared a level is a level
    t = tg.Target("T99", "", "", "x", 16.0, "% per year", 2030, "at_least", "", "", unit_kind="level")
    assert not t.is_growth and not t.is_share
    p = params.validate("resolution_targets", {"as_of_year": 2026})
    rising = tg.Measure("T99", "", "", "% per year", pd.Series([10.0, 11, 12, 13], index=range(2020, 2024)))
    assert tg.assess(t, rising, p)["pace_unit"] == "unit_a_year"
    assert tg.assess(dataclasses.replace(t, unit_kind="share"), rising, p)["pace_unit"] == "points_a_year"
    growth = tg.assess(dataclasses.replace(t, unit_kind="growth"), rising, p)  # the rate itself is the pace needed
    assert (growth["pace_unit"], growth["pace_needed"]) == ("pct_a_year", 16.0)
    f = tg.Forecast("m", np.array([2030]), np.array([120.0]), np.array([90.0]), np.array([150.0]))
    assert tg.clip_to_range(f, share=False).hi[0] == 150.0  # a growth rate or a count may pass 100
    assert tg.clip_to_range(f, share=True).hi[0] == 100.0
    with i18n.language("vi"):  # a share's pace in percentage points
        assert ts.pace_unit_text("points_a_year", "% (target range 8-10)").startswith("điểm phần trăm/năm")


def test_a_ranking_targets_status_is_the_rankings_models_with_the_trackers_thresholds():
    # EGDI (T01d, top 50 by 2030) on the editions up to 2019: needed (50 - 88) / 12 a year, seen 2014-18 -2.75 a
    # year: 0.868 of it; needs acceleration at the default 0.95, on track when on_track_ratio is 0.85
    for ratio, status in ((0.95, "needs acceleration"), (0.85, "on track")):
        p = params.validate("resolution_targets", {"targets": "T01d", "as_of_year": 2019, "on_track_ratio": ratio})
        row = ts.run(p).codes["rows"][0]
        assert (row["status"], row["pace_ratio_short"]) == (status, pytest.approx(2.75 / (38 / 12)))
        assert row["why"][0][1]["tracked"]["status"] == status  # the one computation, not a second


def test_every_projection_shown_was_scored_on_enough_backtest_forecasts(default_run):
    # the one rule for series and ranking rows alike; T01c's regional position: the EGDI backtest's 246 cases
    tr = default_run.tracker.set_index("target_id")
    shown = tr[tr["projected"].notna()]
    assert (shown["backtest_pairs"] >= 5).all() and tr.loc["T01c", "backtest_pairs"] == 246
    assert tr.loc["T01c", "projection_note"] == "the method gives no interval"
    rule = ts.status_rule_text(params.validate("resolution_targets", {}))  # and the rule says which backtest counts
    assert rule.endswith(
        "none where the backtest could check fewer than 5 past forecasts against the published outcome, too few to "
        "show how reliable a projection is, and none for a target year further ahead than any past forecast the "
        "backtest could check (for a ranking, its index's backtest in the rankings report, on which a regional "
        "position's projection also rests)."
    )


def test_the_methods_text_words_the_withholding_rule_as_the_rows_do():
    # the parameter's description, the status rule and the backtest table's note explain the rule the row-level
    # reason applies (ecosystem_rankings.withheld_note): past forecasts checked against the published outcome
    p = params.validate("resolution_targets", {})
    help_ = next(s.help for s in ts.TARGET_PARAMS if s.name == "min_backtest_pairs")
    texts = [help_, ts.status_rule_text(p), ts.backtests_display(p)["note"]]
    row = rs.withheld_note("too_few_backtest_pairs", 3, 5)
    assert "past forecasts against the published outcome" in row
    for text in texts:
        assert "past forecasts" in text and "how reliable" in text
        assert not any(word in text for word in ("scored", "too thin", "horizon the backtest", "to judge"))


def test_a_ranking_projection_on_a_thin_backtest_is_withheld(monkeypatch):
    # an index backtest of 3 cases, fewer than min_backtest_pairs (5): no projection, world or regional
    figures = rk.backtest_figures
    monkeypatch.setattr(rk, "backtest_figures", lambda *a: figures(*a) | {"backtest_cases": 3})
    monkeypatch.setattr(rk, "data_version", lambda: ("a thin backtest",))
    tr = ts.words(ts.run(params.validate("resolution_targets", {"targets": "T01c,T01d"}))).tracker
    tr = tr.set_index("target_id")
    assert tr["projected"].isna().all() and tr["projection_method"].isna().all() and tr["method_why"].isna().all()
    assert (tr["interval_note"] == "backtest_too_thin").all() and (tr["backtest_pairs"] == 3).all()
    assert set(tr["projection_note"]) == {
        "not projected: the backtest could check only 3 past forecasts against the published outcomes; at least 5 "
        "are needed to show how reliable a projection is."
    }
    assert not tr["reason"].str.contains("projected").any()


def test_the_tracker_words_a_refused_ranking_projection_as_the_rankings_report_does(monkeypatch):
    # T01c (EGDI, 3rd in Southeast Asia by 2030) with its regional projection refused: the pace status and its
    # editions, then the refusal, in the tracker's reason as in the rankings report's
    monkeypatch.setattr(rk, "regional_projection", lambda *args: None)
    monkeypatch.setattr(rk, "data_version", lambda: ("regional projection refused",))
    row = ts.words(ts.run(params.validate("resolution_targets", {"targets": "T01c"}))).tracker.iloc[0]
    assert row["status"] == "off track"
    assert row["reason"] == (
        "pace seen 0.023 a year vs -0.333 needed: no climb (flat), in places a year (negative = "
        "climbing), over 7 editions (2010-2024); too few editions to project Viet Nam"
    )


def test_the_resolution_s_floors_and_the_windows_are_worded_from_the_data_and_the_model(monkeypatch):
    # audit 2, 3 and 5: the T06 ratings and note say the data's floor (3% today), the headers and the status rule
    # targets' windows; another floor in the data, or another window, changes the words with it
    assert [ts.annual_rating_label(c) for c in tg.ANNUAL_RATINGS] == [
        "at least 3%",
        "at 3% only within rounding",
        "below 3%",
        "not known",
    ]
    with i18n.language("vi"):
        assert ts.annual_rating_label("met") == "từ 3% trở lên"
        assert ts.headers()[ts.PACE_SHORT] == "tốc độ thực tế, 5 năm gần nhất"
    floors = {"resolution_nonstate_pct": 55.0, "resolution_budget_pct": 4.0}
    monkeypatch.setattr(ts, "resolution_floors", lambda: floors)
    monkeypatch.setattr(tg, "SHORT_WINDOW_YEARS", 4)
    monkeypatch.setattr(tg, "LONG_WINDOW_YEARS", 12)
    assert ts.annual_rating_label("within rounding") == "at 4% only within rounding"
    assert ts.t06_display()["note"].startswith("The Resolution asks for at least 4% of total state-budget")
    shown = ts.headers()
    assert shown[ts.PACE_SHORT] == "pace seen, last 4 years" and shown[ts.STATUS_SHORT] == "status, 4 years"
    assert shown["fastest pace seen"] == "fastest pace seen over 4 years"
    rule = ts.status_rule_text(params.validate("resolution_targets", {}))
    assert "a short window (the last 4 years," in rule and "the last 12 years, when they span at least 10)" in rule


def test_the_t06_note_says_so_where_the_budget_data_cannot_check_the_envelope():
    # an as_of_year before the budget data: rd_model's path without a funding account (no_funding_year)
    t06 = next(t for t in tg.load_targets() if t.target_id == "T06")
    rd = {"summary": {}, "base_year": 2019, "no_funding_year": 2019}
    assert ts._model_note(t06, rd, {}) == (
        "the R&D spending paths model: no funding account for 2019 (the budget data start later), so no envelope check"
    )
    with i18n.language("vi"):
        assert "không có bảng cân đối nguồn kinh phí cho năm 2019" in ts._model_note(t06, rd, {})
