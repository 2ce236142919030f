"""The one projection/backtest framework (analysis.models.backtest): its method-choice rule and its backtest loop,
shared by the rankings and the targets tracker, on known answers worked by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.models import backtest as bt


def pick(errors, order, min_cases, floor=None):
    """:func:`bt.choose` on backtests given as method -> (cases, error, coverage)."""
    return bt.choose(tuple(bt.Backtest(m, *e) for m, e in errors.items()), order, min_cases, floor)


@pytest.mark.parametrize(
    "floor, expected",
    [
        (None, ("b", "beat_baseline")),  # no floor: the lowest error, 1.0, wins
        (70.0, ("c", "beat_baseline")),  # b covers 50% < 70%: out; c (1.5) beats the baseline a (2.0)
        (95.0, ("a", "coverage_short")),  # b and c beat a's error but neither covers 95%
    ],
)
def test_pick_lowest_error_among_methods_that_cover_enough(floor, expected):
    errors = {"a": (10, 2.0, 80.0), "b": (10, 1.0, 50.0), "c": (10, 1.5, 90.0)}
    assert pick(errors, ("a", "b", "c"), 5, floor) == expected


def test_pick_ties_go_to_the_simpler_and_few_cases_choose_nothing():
    errors = {"a": (10, 1.0, 80.0), "b": (10, 1.0 + 1e-13, 80.0)}  # equal to 12 decimals: a tie
    assert pick(errors, ("a", "b"), 5) == ("a", "none_better")
    assert pick(errors, ("a", "b"), 11) == (None, "too_few_cases")  # 10 cases each, 11 needed
    # the baseline scored on too few cases: the two scored candidates compete (the tracker's rule)
    few = {"a": (2, 0.5, 90.0), "b": (10, 3.0, 50.0), "c": (10, 2.0, 60.0)}
    assert pick(few, ("a", "b", "c"), 5) == ("c", "beat_baseline")
    # ... and where neither covers enough, the baseline all the same (found by the property test below)
    assert pick(few, ("a", "b", "c"), 5, 80.0) == ("a", "coverage_short")


def test_the_one_loop_scores_every_later_observation_within_the_horizon():
    times, actual = np.array([2010, 2012, 2013, 2016]), np.array([1.0, 2.0, 3.0, 4.0])

    def within_3(origin, t):
        return int(t - origin) if t - origin <= 3 else None

    def latest(m, origin, known, k):  # the latest known value, with an interval of +-1.5 ("none": no forecast)
        return None if m == "none" else (actual[known - 1], actual[known - 1] - 1.5, actual[known - 1] + 1.5)

    got = bt.scored_cases(times, actual, [2009, 2011, 2013], within_3, ("latest", "none"), latest)
    # 2009: nothing published yet; 2011: 2010 known, 2012 and 2013 are 1 and 2 years ahead, 2016 is 5 (not scored);
    # 2013: 2010-2013 known, 2016 is 3 ahead
    assert [(o, t, h, a, f, err, cov) for o, t, h, _m, a, f, _lo, _hi, err, cov, _s in got] == [
        (2011, 2012, 1, 2.0, 1.0, 1.0, 1.0),
        (2011, 2013, 2, 3.0, 1.0, 2.0, 0.0),
        (2013, 2016, 3, 4.0, 3.0, 1.0, 1.0),
    ]
    assert [row[-1] for row in got] == [pytest.approx(1 / 1.5), pytest.approx(2 / 1.5), pytest.approx(1 / 1.5)]


def test_one_method_table_for_ranks_and_series():
    from analysis.data.labels import LABELS

    assert bt.RANK_METHODS == ("naive", "drift_rank", "drift_percentile", "ols_percentile")
    assert bt.SERIES_METHODS == ("naive_last_value", "naive_last_pace", "linear_trend")
    assert set(bt.METHODS) == set(LABELS["method"])  # every method has its words in the one label table


@settings(max_examples=200)
@given(
    st.dictionaries(
        st.sampled_from(["a", "b", "c", "d"]),
        st.tuples(st.integers(0, 20), st.one_of(st.none(), st.floats(0, 100)), st.floats(0, 100)),
        min_size=1,
    ),
    st.one_of(st.none(), st.floats(0, 100)),
)
def test_pick_never_chooses_a_method_worse_than_the_baseline(errors, floor):
    order = ("a", "b", "c", "d")
    method, code = pick(errors, order, 5, floor)
    scored = {m for m, (n, mae, _cov) in errors.items() if mae is not None and n >= 5}
    if len(scored) < 2:
        assert (method, code) == (None, "too_few_cases")
        return
    if method not in scored:  # the baseline, unscored, only where no scored candidate covers enough
        assert (method, code) == ("a", "coverage_short") and all(errors[m][2] < floor for m in scored)
        return
    mae = errors[method][1]
    # the winner has the lowest error among what it was allowed to beat; a candidate also beats the baseline
    assert all(round(mae, 12) <= round(errors[m][1], 12) for m in scored if m == "a" or floor is None)
    if code == "beat_baseline":
        assert method != "a" and (floor is None or errors[method][2] >= floor)
        assert "a" not in scored or round(mae, 12) < round(errors["a"][1], 12)
    else:
        assert method == "a"


@settings(max_examples=60)
@given(
    st.lists(st.tuples(st.integers(1, 3), st.floats(-50, 50)), min_size=2, max_size=12),
    st.integers(1, 6),
    st.booleans(),
)
def test_a_series_too_thin_to_choose_a_method_is_too_thin_to_project(points, min_pairs, log):
    # the two naive methods forecast from the same observations, so they are scored on the same pairs: where fewer
    # than two methods reach min_pairs (too_few_cases), the fallback, the latest pace, does not either, and the
    # tracker withholds its projection (no row of the tracker is ever worded with too_few_cases)
    years = np.cumsum([gap for gap, _v in points]) + 2000
    s = pd.Series([v for _gap, v in points], index=years)
    choice = bt.choose_method(s, "auto", horizon=5, min_pairs=min_pairs, log=log, min_points=3)
    value, pace, _line = choice.backtests
    assert value.pairs == pace.pairs
    if choice.code == "too_few_cases":
        assert choice.method == "naive_last_pace" and pace.pairs < min_pairs


def test_one_backtest_and_choice_on_a_hand_made_series():
    # 10, 12, 14, 16, 17 in 2010-2014; origins 2012 and 2013 (min_points 3). From 2012 (10, 12, 14): the latest
    # value says 14, 14 for 2013 and 2014 (errors 2, 3); the latest pace (2 a year) and the line say 16, 18 (0, 1).
    # From 2013 (10 ... 16): 16 (error 1), and 18 by the pace and the line (1). MAE: 6/3 = 2, 2/3 and 2/3.
    s = pd.Series([10.0, 12.0, 14.0, 16.0, 17.0], index=range(2010, 2015))
    cases = bt.series_cases(s, horizon=5, min_points=3)
    assert len(cases) == 9 and set(cases["horizon"]) == {1, 2}
    value, pace, line = bt.backtests_of(cases, bt.SERIES_METHODS)
    assert (value.pairs, value.mae) == (3, pytest.approx(2.0))
    assert (pace.pairs, pace.mae) == (3, pytest.approx(2 / 3)) and line.mae == pytest.approx(2 / 3)
    # the pace's intervals have zero width (its past changes never varied): only the exact 2013 forecast is inside
    assert pace.coverage_pct == pytest.approx(100 / 3) and value.coverage_pct == 0.0
    # the one choice: the pace beats the latest value; it ties with the line and a tie goes to the simpler
    assert bt.choose((value, pace, line), bt.SERIES_METHODS, 3) == ("naive_last_pace", "beat_baseline")
    assert bt.choose((value, pace, line), bt.SERIES_METHODS, 4) == (None, "too_few_cases")
    assert bt.choose_method(s, "auto", horizon=5, min_pairs=3, min_points=3).method == "naive_last_pace"
    # the same choice for ranks: errors in places, a coverage floor, and naive first
    ranks = (bt.Backtest("naive", 12, 2.0, 80.0), bt.Backtest("drift_rank", 12, 1.0, 50.0))
    assert bt.choose(ranks, ("naive", "drift_rank"), 10, 65.0) == ("naive", "coverage_short")
    assert bt.choose(ranks, ("naive", "drift_rank"), 10, 45.0) == ("drift_rank", "beat_baseline")
