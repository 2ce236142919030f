"""Rank projections that must earn their place: anchored methods, a backtest against the naive
forecast, and ranks among the entities common to two editions.

Every method starts from the latest published rank (it is *anchored*): a forecast never sits away
from the last observation because a fitted line does. The methods:

- ``naive``: the latest rank holds. Its interval is the spread of past changes: the empirical
  quantiles of every h-edition change in log rank seen in the index (all entities pooled, only
  changes published by the forecast origin).
- ``drift_rank``: the latest rank moved by the entity's own trend (OLS slope of log rank on edition
  year over its recent editions); the same spread of past changes, centred on the drifted point.
  Published ranks are treated as ranks among the entities common to both editions, which holds
  when newcomers join below the entity (StartupBlink extended its lists at the bottom).
- ``drift_percentile``: the same on the percentile (rank / entities ranked), turned back into a
  rank on the latest field. It assumes newcomers spread evenly through the table; when they join
  below, the percentile improves mechanically and this method over-promises.
- ``ols_percentile``: the method the report used before (an unanchored OLS line of log percentile
  on year with a t interval). It is backtested for comparison only and never chosen.

A method other than ``naive`` is used for an index only where its backtest error is lower than the
naive forecast's on the same cases and its interval coverage is within
:data:`COVERAGE_TOLERANCE_PCT` of the nominal level; otherwise the naive forecast is used and the
reason is given.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

METHODS = ("naive", "drift_rank", "drift_percentile", "ols_percentile")
CANDIDATES = ("drift_rank", "drift_percentile")  # anchored alternatives to naive that may be chosen
HORIZONS = (1, 2, 3)
MIN_EDITIONS = 4  # entities with fewer usable editions are not backtested
MIN_POOL = 8  # fewest past changes from which quantiles are read; fewer: 1-step changes scaled by sqrt(h)
MIN_PROB_CHANGES = 30  # fewest past changes at the forecast's own horizon for a probability; fewer: not estimable
MIN_CASES = 10  # fewest backtest cases on which a method may be judged against naive: with fewer, one case
# more or less moves the coverage by ten points or more, and error differences cannot be told from luck
COVERAGE_TOLERANCE_PCT = 15.0  # a method's interval coverage may fall this far below nominal and still be chosen


# ----------------------------------------------------------------------------- inputs


def usable(history: pd.DataFrame, include_derived: bool = False) -> pd.DataFrame:
    """Rows of :func:`rankings.all_rank_history` that may be fitted: reported ranks, plus ranks
    derived from a reported change when ``include_derived``."""
    types = ("reported", "derived_from_change") if include_derived else ("reported",)
    if history.empty:
        return history
    return history[history["value_type"].isin(types) & history["rank"].notna()].copy()


def edition_calendar(long: pd.DataFrame) -> list[int]:
    """Every edition year of the index (any rank row, whatever its value type)."""
    return sorted(int(y) for y in long.loc[long["indicator"] == "rank", "year"].dropna().unique())


def change_pairs(h: pd.DataFrame, editions: list[int]) -> pd.DataFrame:
    """Every pair of one entity's observations: from_year, year, steps (editions apart), and the
    change in log rank and in log percentile (NaN where a field size is not found)."""
    pos = {y: i for i, y in enumerate(editions)}
    out = []
    for e, g in h.sort_values("year").groupby("entity"):
        yrs = g["year"].to_numpy(int)
        lr = np.log(g["rank"].to_numpy(float))
        lp = np.log(g["percentile"].to_numpy(float))
        for i in range(len(yrs)):
            for j in range(i + 1, len(yrs)):
                out.append((e, yrs[i], yrs[j], pos[yrs[j]] - pos[yrs[i]], lr[j] - lr[i], lp[j] - lp[i]))
    return pd.DataFrame(out, columns=["entity", "from_year", "year", "steps", "dlog_rank", "dlog_pct"])


@dataclass(frozen=True)
class Spread:
    """Past changes (log scale) that make a forecast's interval and probabilities at one horizon: ``n`` changes
    over ``steps`` editions, or (``same_horizon`` False) ``n`` 1-edition changes scaled by sqrt(steps) where only
    ``same_n`` ``steps``-edition changes were found, which carry no probability."""

    changes: np.ndarray
    steps: int
    same_horizon: bool = True
    same_n: int = 0

    @property
    def n(self) -> int:
        return len(self.changes)

    @property
    def carries_probability(self) -> bool:
        """Enough changes at the forecast's own horizon (:data:`MIN_PROB_CHANGES`) to read a probability from."""
        return self.same_horizon and self.n >= MIN_PROB_CHANGES

    def quantiles(self, interval_pct: float) -> tuple[float, float, float]:
        a = (100.0 - interval_pct) / 200.0
        lo, med, hi = np.quantile(self.changes, [a, 0.5, 1.0 - a])
        return float(lo), float(med), float(hi)


class SpreadBook:
    """:func:`spread` for one index's change pairs, each (steps, year, column) computed once."""

    def __init__(self, pairs: pd.DataFrame):
        self.pairs = pairs
        self._memo: dict = {}

    def __call__(self, steps: int, up_to_year: int | None, column: str = "dlog_rank") -> Spread | None:
        key = (steps, up_to_year, column)
        if key not in self._memo:
            self._memo[key] = spread(self.pairs, steps, up_to_year, column)
        return self._memo[key]


def spread(pairs: pd.DataFrame, steps: int, up_to_year: int | None, column: str = "dlog_rank") -> Spread | None:
    """The pooled past ``steps``-edition changes published by ``up_to_year`` (None: all). With fewer
    than :data:`MIN_POOL`, the 1-step changes scaled by sqrt(steps) (a random walk); None if even
    those are too few."""
    p = pairs if up_to_year is None else pairs[pairs["year"] <= up_to_year]
    same = p.loc[p["steps"] == steps, column].dropna().to_numpy(float)
    if len(same) >= MIN_POOL:
        return Spread(same, steps, True, len(same))
    one = p.loc[p["steps"] == 1, column].dropna().to_numpy(float)
    if len(one) >= MIN_POOL:
        return Spread(one * math.sqrt(steps), steps, False, len(same))
    return None


def _slope(years: np.ndarray, y: np.ndarray) -> float:
    x = years.astype(float) - years.mean()
    return float((x * (y - y.mean())).sum() / (x * x).sum())


# ----------------------------------------------------------------------------- one forecast


def forecast(
    method: str,
    pts: pd.DataFrame,
    target_year: int,
    steps: int,
    pairs: pd.DataFrame | SpreadBook,
    up_to_year: int | None,
    interval_pct: float = 80.0,
    fit_last_editions: int = 8,
    min_points: int = 4,
    n_ref: float | None = None,
    target_rank: float | None = None,
) -> dict | None:
    """Forecast of one entity's rank ``steps`` editions after its latest point in ``pts`` (year, rank,
    percentile, n_ranked), with its interval and P(rank <= target_rank) in %. ``n_ref`` is the field
    the forecast is expressed on (default: the latest point's field size). Returns None where the
    method cannot forecast (too few points, no field size, too few past changes)."""
    pts = pts.sort_values("year")
    book = pairs if isinstance(pairs, SpreadBook) else SpreadBook(pairs)
    return _forecast(
        method,
        pts["year"].to_numpy(float),
        pts["rank"].to_numpy(float),
        pts["percentile"].to_numpy(float),
        pts["n_ranked"].to_numpy(float),
        target_year,
        steps,
        book,
        up_to_year,
        interval_pct,
        fit_last_editions,
        min_points,
        n_ref,
        target_rank,
    )


def _forecast(
    method,
    years,
    ranks,
    pcts,
    ns,
    target_year,
    steps,
    book,
    up_to_year,
    interval_pct,
    fit_last_editions,
    min_points,
    n_ref,
    target_rank,
):
    n_ref = n_ref if n_ref is not None else (None if np.isnan(ns[-1]) else float(ns[-1]))
    on_pct = method in ("drift_percentile", "ols_percentile")
    yw, col = years[-fit_last_editions:], (pcts if on_pct else ranks)[-fit_last_editions:]
    if on_pct:
        keep = ~np.isnan(col)
        yw, col = yw[keep], col[keep]
        if n_ref is None or np.isnan(pcts[-1]):
            return None
    if method != "naive" and len(yw) < min_points:
        return None
    if method == "ols_percentile":
        x, y = yw, np.log(col)
        b = _slope(x, y)
        a = y.mean() - b * x.mean()
        df = len(x) - 2
        s = math.sqrt(float(((y - a - b * x) ** 2).sum()) / df) if df > 0 else float("nan")
        se = s * math.sqrt(1 + 1 / len(x) + (target_year - x.mean()) ** 2 / ((x - x.mean()) ** 2).sum())
        t = stats.t.ppf(0.5 + interval_pct / 200.0, max(df, 1))
        centre = a + b * target_year
        prob = None  # a fitted line's residuals are not past changes: no probability from them
        to_rank = _pct_to_rank(n_ref)
        return _out(to_rank(centre), to_rank(centre - t * se), to_rank(centre + t * se), prob, None, b)
    sp = book(steps, up_to_year, "dlog_pct" if on_pct else "dlog_rank")
    if sp is None:
        return None
    q_lo, q_med, q_hi = sp.quantiles(interval_pct)
    if method == "naive":
        b, shift = 0.0, 0.0
        centre = math.log(float(ranks[-1]))
    else:
        b = _slope(yw, np.log(col))
        centre = math.log(float(col[-1])) + b * (target_year - years[-1])
        shift = -q_med  # the spread of past changes, centred on the drifted point
    to_rank = _pct_to_rank(n_ref) if on_pct else _rank_to_rank(n_ref)
    prob = None
    if target_rank is not None and sp.carries_probability:
        prob = float(np.mean(to_rank(centre + sp.changes + shift) <= target_rank) * 100.0)
    return _out(to_rank(centre), to_rank(centre + q_lo + shift), to_rank(centre + q_hi + shift), prob, sp, b)


def _pct_to_rank(n_ref):
    return lambda y: np.clip(np.exp(y) / 100.0 * n_ref, 1.0, n_ref)


def _rank_to_rank(n_ref):
    return lambda y: np.clip(np.exp(y), 1.0, n_ref if n_ref is not None else np.inf)


def _out(centre, lo, hi, prob, spread: Spread | None, slope) -> dict:
    """A forecast: ranks, P(reach) in %, the spread its interval comes from (None: the fitted line's t interval)."""
    return {
        "projected_rank": float(centre),
        "projected_rank_lo": float(lo),
        "projected_rank_hi": float(hi),
        "prob_reach_target_pct": prob,
        "spread": spread,
        "trend_pct_per_year": float(np.expm1(slope) * 100.0),
    }


# ----------------------------------------------------------------------------- the backtest


def backtest_cases(
    long: pd.DataFrame,
    history: pd.DataFrame,
    include_derived: bool = False,
    interval_pct: float = 80.0,
    fit_last_editions: int = 8,
    min_points: int = 4,
    horizons: tuple[int, ...] = HORIZONS,
) -> pd.DataFrame:
    """Every backtest case of every entity with at least :data:`MIN_EDITIONS` usable editions: for
    each of its editions t and each horizon h, fit on the editions up to t - h (the index's edition
    calendar) and forecast t with every method. One row per (entity, edition, h, method)."""
    editions = edition_calendar(long)
    pos = {y: i for i, y in enumerate(editions)}
    h = usable(history, include_derived)
    pairs = SpreadBook(change_pairs(h, editions))
    rows = []
    for e, g in h.sort_values("year").groupby("entity"):
        if len(g) < MIN_EDITIONS:
            continue
        yrs, rks = g["year"].to_numpy(int), g["rank"].to_numpy(float)
        pcs, ns, name = g["percentile"].to_numpy(float), g["n_ranked"].to_numpy(float), g["entity_name"].iloc[0]
        for k, t in enumerate(yrs):
            for hz in horizons:
                if pos[t] - hz < 0:
                    continue
                origin = editions[pos[t] - hz]
                m_ = int(np.searchsorted(yrs, origin, side="right"))  # points published by the origin
                if m_ == 0:
                    continue
                steps = pos[t] - pos[int(yrs[m_ - 1])]
                for m in METHODS:
                    # forecasts are expressed on the origin's latest field, as projections are on today's
                    f = _forecast(
                        m,
                        yrs[:m_].astype(float),
                        rks[:m_],
                        pcs[:m_],
                        ns[:m_],
                        int(t),
                        steps,
                        pairs,
                        origin,
                        interval_pct,
                        fit_last_editions,
                        min_points,
                        None,
                        None,
                    )
                    if f is None:
                        continue
                    r = float(rks[k])
                    rows.append(
                        {
                            "entity": e,
                            "entity_name": name,
                            "origin": origin,
                            "edition": int(t),
                            "horizon": hz,
                            "method": m,
                            "actual_rank": r,
                            "forecast_rank": f["projected_rank"],
                            "interval_lo": f["projected_rank_lo"],
                            "interval_hi": f["projected_rank_hi"],
                            "abs_error": abs(f["projected_rank"] - r),
                            "covered": bool(f["projected_rank_lo"] - 1e-9 <= r <= f["projected_rank_hi"] + 1e-9),
                        }
                    )
    cols = [
        "entity",
        "entity_name",
        "origin",
        "edition",
        "horizon",
        "method",
        "actual_rank",
        "forecast_rank",
        "interval_lo",
        "interval_hi",
        "abs_error",
        "covered",
    ]
    cases = pd.DataFrame(rows, columns=cols)
    if cases.empty:
        return cases
    # compare like with like: keep the cases every method could forecast
    key = ["entity", "edition", "horizon"]
    n_methods = cases.groupby(key)["method"].transform("nunique")
    return cases[n_methods == len(METHODS)].reset_index(drop=True)


def summarise(cases: pd.DataFrame, interval_pct: float = 80.0) -> pd.DataFrame:
    """Per method and horizon (and all horizons): cases, entities, mean absolute rank error and
    interval coverage, with the naive forecast's figures on the same cases beside them."""
    cols = [
        "horizon",
        "method",
        "cases",
        "entities",
        "mae_places",
        "coverage_pct",
        "nominal_pct",
        "naive_mae_places",
        "naive_coverage_pct",
    ]
    if cases.empty:
        return pd.DataFrame(columns=cols)
    both = pd.concat([cases, cases.assign(horizon=0)])  # 0 = all horizons
    g = both.groupby(["horizon", "method"]).agg(
        cases=("abs_error", "size"),
        entities=("entity", "nunique"),
        mae_places=("abs_error", "mean"),
        coverage_pct=("covered", "mean"),
    )
    g["coverage_pct"] *= 100.0
    g = g.reset_index()
    naive = g[g["method"] == "naive"].set_index("horizon")
    g["naive_mae_places"] = g["horizon"].map(naive["mae_places"])
    g["naive_coverage_pct"] = g["horizon"].map(naive["coverage_pct"])
    g["nominal_pct"] = interval_pct
    g["horizon"] = g["horizon"].map(lambda x: "all" if x == 0 else str(x))
    order = {m: i for i, m in enumerate(METHODS)}
    g = g.sort_values(["horizon", "method"], key=lambda s: s.map(order) if s.name == "method" else s)
    return g[cols].reset_index(drop=True)


@dataclass(frozen=True)
class Choice:
    """The method an index's projections use and why (``code``): ``too_few_cases``, ``none_better`` (no candidate
    beat naive), ``coverage_short`` (those that beat it, ``better``, covered too little) or ``beat_naive``;
    errors in places, coverage in %, over ``cases`` backtest cases; ``candidates``: each candidate's error."""

    method: str
    code: str
    mae: float | None
    coverage_pct: float | None
    naive_mae: float | None
    naive_coverage_pct: float | None
    cases: int
    candidates: dict[str, float] = field(default_factory=dict)
    better: dict[str, float] = field(default_factory=dict)  # method -> its coverage, %


def choose(summary: pd.DataFrame, interval_pct: float = 80.0) -> Choice:
    """The method an index's projections use: the anchored candidate with the lowest backtest error
    over all horizons if it beats naive and its coverage is within tolerance; otherwise naive."""
    allh = summary[summary["horizon"] == "all"].set_index("method") if len(summary) else pd.DataFrame()
    if allh.empty or int(allh["cases"].max()) < MIN_CASES:
        n = 0 if allh.empty else int(allh["cases"].max())
        nv = allh.loc["naive"] if "naive" in allh.index else None
        mae, cov = (None, None) if nv is None else (float(nv["mae_places"]), float(nv["coverage_pct"]))
        return Choice("naive", "too_few_cases", mae, cov, mae, cov, n)
    nv = allh.loc["naive"]
    naive = (float(nv["mae_places"]), float(nv["coverage_pct"]))
    cand = allh.loc[[m for m in CANDIDATES if m in allh.index]]
    better = cand[cand["mae_places"] < nv["mae_places"]]
    ok = better[better["coverage_pct"] >= interval_pct - COVERAGE_TOLERANCE_PCT]
    maes = {str(m): float(v) for m, v in cand["mae_places"].items()}
    if ok.empty:
        return Choice(
            "naive",
            "none_better" if better.empty else "coverage_short",
            *naive,
            *naive,
            int(nv["cases"]),
            maes,
            {str(m): float(c) for m, c in better["coverage_pct"].items()},
        )
    m = str(ok["mae_places"].idxmin())
    r = ok.loc[m]
    return Choice(m, "beat_naive", float(r["mae_places"]), float(r["coverage_pct"]), *naive, int(r["cases"]), maes)


def horizon_editions(editions: list[int], latest_year: int, target_year: int) -> int:
    """Editions between the latest and ``target_year`` at the index's usual cadence (median gap)."""
    gaps = np.diff(editions[-6:]) if len(editions) > 1 else np.array([1])
    gap = max(int(np.median(gaps)), 1)
    return max(int(math.ceil((target_year - latest_year) / gap)), 1)


# ----------------------------------------------------------------------------- common entities


def common_ranks(prev: pd.Series, now: pd.Series) -> pd.DataFrame:
    """Ranks among the entities ranked in both editions (``prev``, ``now``: entity -> published rank).

    For each common entity: its published ranks, its ranks among the common entities, the
    newcomers ranked ahead of it now and the leavers ranked ahead of it before. Published change
    = common change + newcomers ahead - leavers ahead."""
    common = prev.index.intersection(now.index)
    p, n = prev[common], now[common]
    out = pd.DataFrame(
        {
            "rank_prev": p,
            "rank_now": n,
            "common_rank_prev": p.rank(method="min"),
            "common_rank_now": n.rank(method="min"),
        }
    )
    newcomers = now.drop(common)
    leavers = prev.drop(common)
    out["newcomers_ahead"] = [int((newcomers < r).sum()) for r in n]
    out["leavers_ahead"] = [int((leavers < r).sum()) for r in p]
    out["published_change"] = out["rank_now"] - out["rank_prev"]
    out["common_change"] = out["common_rank_now"] - out["common_rank_prev"]
    return out


def common_rank_path(field: pd.DataFrame, entity: str) -> pd.Series:
    """``entity``'s rank in each edition among the entities ranked in every edition of ``field``
    (columns year, entity, rank; every entity ranked in an edition listed)."""
    per = field.groupby("year")["entity"].apply(set)
    common = set.intersection(*per.tolist())
    f = field[field["entity"].isin(common)]
    return (
        f.groupby("year")
        .apply(lambda g: g.set_index("entity")["rank"].rank(method="min")[entity], include_groups=False)
        .astype(float)
    )


def anchored_drift_point(path: pd.Series, target_year: int, fit_last_editions: int = 8) -> float:
    """The drift_rank point forecast from a rank path (year -> rank): latest rank times the
    proportional trend of its recent editions."""
    p = path.sort_index().tail(fit_last_editions)
    years = p.index.to_numpy(float)
    b = _slope(years, np.log(p.to_numpy(float))) if len(p) > 1 else 0.0
    return float(np.exp(math.log(float(p.iloc[-1])) + b * (target_year - years[-1])))


def newcomer_effect(rank_prev: float, n_prev: float, rank_now: float, n_now: float) -> dict:
    """What a change in field size can do to a published rank when only the field sizes are known.

    If every newcomer joined below the entity, its rank among the entities of both editions is its
    published rank. If newcomers spread evenly through the new table, about rank_now / n_now of
    them sit ahead of it, and its rank among the common entities is better by that many."""
    entrants = n_now - n_prev
    ahead_even = max(entrants, 0.0) * rank_now / n_now
    return {
        "entrants": entrants,
        "published_change": rank_now - rank_prev,
        "common_change_if_below": rank_now - rank_prev,
        "newcomers_ahead_if_even": ahead_even,
        "common_change_if_even": rank_now - ahead_even - rank_prev,
    }
