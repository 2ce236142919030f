"""The one projection/backtest framework, for the rankings and the targets tracker: projections that must earn
their place against a naive forecast (one method table :data:`METHODS`, one :func:`forecast`, one backtest loop
:func:`scored_cases`, one method-choice rule :func:`choose`).

A rank is projected from the latest published rank (*anchored*) with the spread of the index's pooled past changes
in log rank (:func:`backtest_cases`, :func:`rank_choice`): ``naive`` (the latest rank holds), ``drift_rank`` and
``drift_percentile`` (moved by the entity's own recent trend in log rank or log percentile; the latter assumes
newcomers spread evenly through the table), and ``ols_percentile`` (the former unanchored OLS line with a t
interval, backtested for comparison only). A trend is used only where it beats naive on the same cases with an
interval coverage within :data:`COVERAGE_TOLERANCE_PCT` of nominal; otherwise naive, with the reason as a code.
A target's series is projected from its own history (:func:`series_cases`, :func:`choose_method`): the latest value,
the latest pace or a least-squares trend, the lowest backtest error winning and a tie going to the simpler.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analysis.errors import R57Error

# every projection method (the one table; their words: analysis.data.labels, kinds "method" and "method_words"):
# code -> what it projects: a rank from an index's pooled past changes, or a series from its own history
METHODS = {
    "naive": "rank",
    "drift_rank": "rank",
    "drift_percentile": "rank",
    "ols_percentile": "rank",  # backtested for comparison only, never chosen
    "naive_last_value": "series",
    "naive_last_pace": "series",
    "linear_trend": "series",
}
RANK_METHODS = tuple(m for m, kind in METHODS.items() if kind == "rank")
SERIES_METHODS = tuple(m for m, kind in METHODS.items() if kind == "series")  # simplest first: ties go to it
CANDIDATES = ("drift_rank", "drift_percentile")  # anchored alternatives to naive that may be chosen
PACE_WINDOW_YEARS = 5  # default of "the latest pace" (parameter latest_pace_years) for the naive_last_pace method
# the defaults of fit_years (a trend's window) and min_points (the fewest points it is fitted on; both reports')
FIT_YEARS = 10
MIN_POINTS = 4


class InsufficientDataError(R57Error):
    """Too few data for a fit or a projection: ``code`` names the case and ``facts`` give its numbers (how many
    there are, how many are needed); the report words it."""

    def __init__(self, code: str, **facts: object) -> None:
        self.code, self.facts = code, facts
        super().__init__(f"{code}: " + ", ".join(f"{k}={v}" for k, v in facts.items()))


HORIZONS = (1, 2, 3)
MIN_EDITIONS = 4  # entities with fewer usable editions are not backtested
MIN_POOL = 8  # fewest past changes from which quantiles are read; fewer: 1-step changes scaled by sqrt(h)
MIN_PROB_CHANGES = 30  # fewest past changes at the forecast's own horizon for a probability; fewer: not estimable
MIN_CASES = 10  # fewest backtest cases on which a method may be judged against naive: with fewer, one case
# more or less moves the coverage by ten points or more, and error differences cannot be told from luck
COVERAGE_TOLERANCE_PCT = 15.0  # a method's interval coverage may fall this far below nominal and still be chosen


# ----------------------------------------------------------------------------- inputs


def value_types(include_derived: bool) -> list[str]:
    """The ``value_type`` of the ranks a model may use: ``reported``, plus ``derived_from_change`` (a rank derived
    from a reported change) when ``include_derived``; bands, 'not ranked' and missing ranks never."""
    return ["reported", "derived_from_change"] if include_derived else ["reported"]


def usable(history: pd.DataFrame, include_derived: bool = False) -> pd.DataFrame:
    """Rows of :func:`rankings.all_rank_history` that may be fitted (:func:`value_types`)."""
    if history.empty:
        return history
    return history[history["value_type"].isin(value_types(include_derived)) & history["rank"].notna()].copy()


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

    # the quantiles by interval: every forecast drawn from this spread reads them (thousands in a backtest)
    _quantiles: dict[float, tuple[float, float, float]] = field(
        default_factory=dict, init=False, compare=False, repr=False
    )

    def quantiles(self, interval_pct: float) -> tuple[float, float, float]:
        if interval_pct not in self._quantiles:
            a = (100.0 - interval_pct) / 200.0
            lo, med, hi = np.quantile(self.changes, [a, 0.5, 1.0 - a])
            self._quantiles[interval_pct] = float(lo), float(med), float(hi)
        return self._quantiles[interval_pct]


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


# ----------------------------------------------------------------------------- a rank from an index's past changes


@dataclass(frozen=True)
class RankInputs:
    """What a rank method of :func:`forecast` needs besides the entity's editions and ranks: its percentiles
    (rank / entities ranked x 100) and field sizes by edition (NaN: not found), the index's past changes
    (``book``), how many editions ahead the target is (``steps``), the changes it may use (published by
    ``up_to_year``; None: all), how many latest editions a trend is fitted on, the rank whose chance is read
    (``target_rank``), and the field the forecast is expressed on (``n_ref``; default: the latest field)."""

    percentiles: np.ndarray
    field: np.ndarray
    book: SpreadBook
    steps: int
    up_to_year: int | None = None
    fit_editions: int = 8
    target_rank: float | None = None
    n_ref: float | None = None

    @classmethod
    def of(cls, pts: pd.DataFrame, book: SpreadBook | pd.DataFrame, steps: int, **kw: object) -> RankInputs:
        """From an entity's rows (year-sorted; ``percentile``, ``n_ranked``) and the index's change pairs."""
        book = book if isinstance(book, SpreadBook) else SpreadBook(book)
        return cls(pts["percentile"].to_numpy(float), pts["n_ranked"].to_numpy(float), book, steps, **kw)


def _forecast(method: str, years, ranks, target_year: int, r: RankInputs | None, interval_pct, min_points) -> Forecast:
    """One rank method's :class:`Forecast` to ``target_year``; raises :class:`InsufficientDataError`
    ``too_few_editions`` (to fit) or ``too_few_changes`` (for the spread, or no field size)."""
    if r is None:
        raise ValueError(f"{method} projects a rank: give ranks=RankInputs(...)")
    pcts, ns, fit_last_editions = r.percentiles, r.field, r.fit_editions
    n_ref = r.n_ref if r.n_ref is not None else (None if np.isnan(ns[-1]) else float(ns[-1]))
    on_pct = method in ("drift_percentile", "ols_percentile")

    def to_rank(y):  # a log rank (or log percentile) back to a rank on the field n_ref
        return np.clip(np.exp(y) / 100.0 * n_ref if on_pct else np.exp(y), 1.0, n_ref if n_ref is not None else np.inf)

    def out(centre, lo, hi, prob, spread: Spread | None, slope) -> Forecast:
        ranks_ = (np.array([float(to_rank(v))]) for v in (centre, lo, hi))
        return Forecast(method, np.array([target_year]), *ranks_, prob, spread, float(np.expm1(slope) * 100.0))

    yw, col = years[-fit_last_editions:], (pcts if on_pct else ranks)[-fit_last_editions:]
    if on_pct:
        keep = ~np.isnan(col)
        yw, col = yw[keep], col[keep]
    if method != "naive" and len(yw) < min_points:
        years_ = years.astype(int).tolist()
        raise InsufficientDataError(
            "too_few_editions", n=len(years), years=years_, method=method, needed=min_points, percentile=on_pct
        )
    if on_pct and (n_ref is None or np.isnan(pcts[-1])):
        raise InsufficientDataError("too_few_changes", n=MIN_POOL, percentile=on_pct)
    if method == "ols_percentile":  # a fitted line's residuals are not past changes: no probability from them
        from scipy import special  # here, not at import: run-all's parent and the CLI never need it

        x, y = yw, np.log(col)
        b = _slope(x, y)
        a = y.mean() - b * x.mean()
        df = len(x) - 2
        s = math.sqrt(float(((y - a - b * x) ** 2).sum()) / df) if df > 0 else float("nan")
        se = s * math.sqrt(1 + 1 / len(x) + (target_year - x.mean()) ** 2 / ((x - x.mean()) ** 2).sum())
        t = special.stdtrit(max(df, 1), 0.5 + interval_pct / 200.0)  # Student t quantile, as stats.t.ppf
        centre = a + b * target_year
        return out(centre, centre - t * se, centre + t * se, None, None, b)
    sp = r.book(r.steps, r.up_to_year, "dlog_pct" if on_pct else "dlog_rank")
    if sp is None:
        raise InsufficientDataError("too_few_changes", n=MIN_POOL, percentile=on_pct)
    q_lo, q_med, q_hi = sp.quantiles(interval_pct)
    if method == "naive":
        b, shift = 0.0, 0.0
        centre = math.log(float(ranks[-1]))
    else:
        b = _slope(yw, np.log(col))
        centre = math.log(float(col[-1])) + b * (target_year - years[-1])
        shift = -q_med  # the spread of past changes, centred on the drifted point
    reach = r.target_rank is not None and sp.carries_probability
    prob = float(np.mean(to_rank(centre + sp.changes + shift) <= r.target_rank) * 100.0) if reach else None
    return out(centre, centre + q_lo + shift, centre + q_hi + shift, prob, sp, b)


# ----------------------------------------------------------------------------- the backtest (ranks and series)


CASE_COLUMNS = (
    "entity entity_name origin edition horizon method actual forecast interval_lo interval_hi abs_error covered score"
).split()
SUMMARY_COLUMNS = (
    "horizon method cases entities mae_places coverage_pct nominal_pct naive_mae_places naive_coverage_pct".split()
)
# the units (the API's) of these columns and of the chosen method's backtest as the rankings and the tracker give it
# (the places: by their names' ending)
OUTCOMES = "% of backtest outcomes"
SUMMARY_UNITS = {
    **dict.fromkeys(("cases", "backtest_cases"), "cases"),
    "nominal_pct": "%",
    **dict.fromkeys("coverage_pct naive_coverage_pct backtest_coverage_pct interval_coverage_pct".split(), OUTCOMES),
    "interval_coverage_at_horizon_pct": OUTCOMES,
}


def scored_cases(times: np.ndarray, actual: np.ndarray, origins, ahead, methods, predict, tol: float = 0.0) -> list:
    """The one backtest loop: at each origin, the first ``known`` of ``times`` are published; each later ``times[k]``
    at horizon ``ahead(origin, times[k])`` (None: not scored) is forecast by ``predict(method, origin, known, k)`` ->
    (centre, lo, hi) or None. Rows as :data:`CASE_COLUMNS` from ``origin``; ``covered``/``score`` NaN: no interval."""
    rows = []
    for origin in origins:
        known = int(np.searchsorted(times, origin, side="right"))
        if known == 0:
            continue
        for k in range(known, len(times)):
            if (h := ahead(origin, times[k])) is None:
                continue
            a = actual[k]
            for m in methods:
                if (f := predict(m, origin, known, k)) is None:
                    continue
                centre, lo, hi = f
                finite = math.isfinite(lo) and math.isfinite(hi)
                covered = float(lo - tol <= a <= hi + tol) if finite else math.nan
                score = interval_score(a, centre, lo, hi) if finite else math.nan
                rows.append((origin, times[k], h, m, a, centre, lo, hi, abs(centre - a), covered, score))
    return rows


def backtest_cases(
    long: pd.DataFrame,
    history: pd.DataFrame,
    include_derived: bool = False,
    interval_pct: float = 80.0,
    fit_last_editions: int = 8,
    min_points: int = MIN_POINTS,
    horizons: tuple[int, ...] = HORIZONS,
) -> pd.DataFrame:
    """Every rank backtest case of every entity with at least :data:`MIN_EDITIONS` usable editions, ``horizons``
    editions ahead on the index's calendar; only the cases every method could forecast are kept."""
    editions = edition_calendar(long)
    pos = {y: i for i, y in enumerate(editions)}
    h = usable(history, include_derived)
    pairs = SpreadBook(change_pairs(h, editions))
    ahead = lambda o, t: pos[t] - pos[o] if pos[t] - pos[o] in horizons else None  # noqa: E731
    rows = []
    for e, g in h.sort_values("year").groupby("entity"):
        if len(g) < MIN_EDITIONS:
            continue
        yrs, rks = g["year"].to_numpy(int), g["rank"].to_numpy(float)
        pcs, ns, name = g["percentile"].to_numpy(float), g["n_ranked"].to_numpy(float), g["entity_name"].iloc[0]

        def predict(m, origin, known, k, yrs=yrs, rks=rks, pcs=pcs, ns=ns):
            # forecasts are expressed on the origin's latest field, as projections are on today's
            r_in = RankInputs(
                pcs[:known], ns[:known], pairs, pos[yrs[k]] - pos[yrs[known - 1]], origin, fit_last_editions
            )
            try:
                f = _forecast(m, yrs[:known].astype(float), rks[:known], int(yrs[k]), r_in, interval_pct, min_points)
            except InsufficientDataError:
                return None
            return f.center[0], f.lo[0], f.hi[0]

        rows += [(e, name, *c) for c in scored_cases(yrs, rks, editions, ahead, RANK_METHODS, predict, tol=1e-9)]
    cases = pd.DataFrame(rows, columns=CASE_COLUMNS)
    if cases.empty:
        return cases
    # compare like with like: keep the cases every method could forecast
    n_methods = cases.groupby(["entity", "edition", "horizon"])["method"].transform("nunique")
    return cases[n_methods == len(RANK_METHODS)].reset_index(drop=True)


def summarise(cases: pd.DataFrame, interval_pct: float = 80.0) -> pd.DataFrame:
    """Per method and horizon (and all horizons): cases, entities, mean absolute rank error and
    interval coverage, with the naive forecast's figures on the same cases beside them."""
    if cases.empty:
        return pd.DataFrame(columns=SUMMARY_COLUMNS)
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
    order = {m: i for i, m in enumerate(RANK_METHODS)}
    g = g.sort_values(["horizon", "method"], key=lambda s: s.map(order) if s.name == "method" else s)
    return g[SUMMARY_COLUMNS].reset_index(drop=True)


@dataclass(frozen=True)
class Backtest:
    """One method's backtest over all horizons: ``pairs`` cases scored, their mean absolute error (in the series'
    unit; None: none scored), the share of actual values inside the interval (%; None: no interval) and, per case,
    the error as a multiple of the interval's half-width (:func:`interval_score`)."""

    method: str
    pairs: int
    mae: float | None
    coverage_pct: float | None
    scores: tuple[float, ...] = ()


def backtests_of(cases: pd.DataFrame, methods: tuple[str, ...]) -> tuple[Backtest, ...]:
    """Each of ``methods``' :class:`Backtest` over all its cases (:func:`scored_cases`): how many, their mean absolute
    error (None: none), the share covered of those with an interval (None: no interval) and their interval scores."""
    out = []
    for m in methods:
        c = cases[cases["method"] == m]
        covered = c["covered"].dropna().to_numpy()
        cov = float(covered.mean() * 100.0) if len(covered) else None
        mae = float(np.mean(c["abs_error"].to_numpy())) if len(c) else None
        out.append(Backtest(m, len(c), mae, cov, tuple(c["score"].dropna())))
    return tuple(out)


@dataclass(frozen=True)
class Choice:
    """Which method a projection uses, why and on what evidence, for ranks and series alike: ``code`` is
    :func:`choose`'s (``too_few_cases``: the fallback is used; ``none_better``, ``coverage_short``, ``beat_baseline``)
    or ``set_by_user``; ``backtests``: each method's, the baseline first; ``min_cases``: the fewest cases on which a
    method is judged."""

    method: str
    code: str
    backtests: tuple[Backtest, ...]
    min_cases: int

    @property
    def chosen(self) -> Backtest | None:
        return next((b for b in self.backtests if b.method == self.method), None)

    @property
    def baseline(self) -> Backtest:
        return self.backtests[0]

    @property
    def rivals(self) -> tuple[Backtest, ...]:
        """The other methods' backtests scored on at least ``min_cases`` cases."""
        return tuple(
            b for b in self.backtests if b.method != self.method and b.mae is not None and b.pairs >= self.min_cases
        )

    @property
    def better(self) -> tuple[Backtest, ...]:
        """The rivals with a lower error than the baseline."""
        base = self.baseline
        return tuple(b for b in self.rivals if b is not base and base.mae is not None and b.mae < base.mae)

    @property
    def cases(self) -> int:
        """The cases the chosen method was scored on (it unscored: the most any method was)."""
        c = self.chosen
        return c.pairs if c is not None and c.mae is not None else max((b.pairs for b in self.backtests), default=0)


def rank_choice(summary: pd.DataFrame, interval_pct: float = 80.0) -> Choice:
    """The method an index's projections use (:func:`choose`): the anchored candidate with the lowest backtest error
    over all horizons if it beats naive and its coverage is within :data:`COVERAGE_TOLERANCE_PCT` of nominal;
    otherwise naive."""
    allh = summary[summary["horizon"] == "all"].set_index("method")
    order = ("naive", *CANDIDATES)
    scored = {
        m: Backtest(m, int(r["cases"]), float(r["mae_places"]), float(r["coverage_pct"])) for m, r in allh.iterrows()
    }
    tests = tuple(scored.get(m, Backtest(m, 0, None, None)) for m in order)
    method, code = choose(tests, order, MIN_CASES, interval_pct - COVERAGE_TOLERANCE_PCT)
    return Choice(method or "naive", code, tests, MIN_CASES)


def choose(
    tests: tuple[Backtest, ...], order: tuple[str, ...], min_cases: int, coverage_floor: float | None = None
) -> tuple[str | None, str]:
    """The one method-choice rule, for ranks and series alike.

    ``tests``: each method's :class:`Backtest`; ``order``: the baseline first, then the candidates, simplest first.
    A method is scored with an error over at least ``min_cases`` cases; with fewer than two scored nothing has
    earned its place: ``(None, "too_few_cases")``. Otherwise the scored method with the lowest error (to 12
    decimals; a tie goes to the earlier in ``order``) among the baseline and the candidates whose coverage reaches
    ``coverage_floor`` (None: no floor) wins: ``"beat_baseline"`` for a candidate; for the baseline
    ``"coverage_short"`` where a candidate had the lower error (or, the baseline unscored, any error) but too little
    coverage, else ``"none_better"``.
    """
    by = {b.method: b for b in tests}
    scored = {m: b for m in order if (b := by.get(m)) and b.mae is not None and b.pairs >= min_cases}
    if len(scored) < 2:
        return None, "too_few_cases"

    def rank(m: str) -> tuple[float, int]:
        return round(scored[m].mae, 12), order.index(m)

    eligible = [
        m for m in scored if m == order[0] or coverage_floor is None or scored[m].coverage_pct >= coverage_floor
    ]
    if not eligible:  # the baseline unscored and no candidate covering enough: the baseline, for want of better
        return order[0], "coverage_short"
    best = min(eligible, key=rank)
    if best != order[0]:
        return best, "beat_baseline"
    lower = order[0] in scored and any(rank(m) < rank(order[0]) for m in scored)
    return best, "coverage_short" if lower else "none_better"


def horizon_editions(editions: list[int], latest_year: int, target_year: int) -> int:
    """Editions between the latest and ``target_year`` at the index's usual cadence (median gap)."""
    gaps = np.diff(editions[-6:]) if len(editions) > 1 else np.array([1])
    gap = max(int(np.median(gaps)), 1)
    return max(int(math.ceil((target_year - latest_year) / gap)), 1)


# ----------------------------------------------------------------------------- a series projected from its own history


@dataclass(frozen=True)
class Forecast:
    """A projection to ``years``: centre and interval (NaN where none can be given); for a rank, also P(rank <=
    target rank) in % (None: not estimable), the spread of past changes its interval comes from (None: a fitted
    line's t interval) and the trend in % a year."""

    method: str
    years: np.ndarray
    center: np.ndarray
    lo: np.ndarray
    hi: np.ndarray
    prob_pct: float | None = None
    spread: Spread | None = None
    trend_pct_per_year: float | None = None


def forecast(
    years,
    values,
    horizon_years,
    method: str,
    *,
    log: bool = False,
    interval_pct: float = 80.0,
    fit_years: int = FIT_YEARS,
    min_points: int = MIN_POINTS,
    pace_years: int = PACE_WINDOW_YEARS,
    ranks: RankInputs | None = None,
) -> Forecast:
    """Project ``values`` observed in ``years`` to ``horizon_years`` with one of :data:`METHODS`: the one forecast
    of every method. A rank method (``ranks``: :class:`RankInputs`) projects the latest rank to the first of
    ``horizon_years`` with the spread of the index's past changes; a series method projects an annual (possibly
    irregular) series from its own history.

    ``log`` fits on log values (growth series) and returns levels. Intervals: for the trend, the
    least-squares prediction interval (Student t); for the naive methods, the spread of the
    observed changes a year, widening with the square root of the horizon (random walk).
    Raises :class:`InsufficientDataError` when there are too few observations.
    """
    from scipy import special  # the quantiles scipy.stats computes with, without its 0.5 s import

    t = np.asarray(years, dtype=float)
    y = np.asarray(values, dtype=float)
    h = np.atleast_1d(np.asarray(horizon_years, dtype=float))
    if METHODS.get(method) == "rank":
        return _forecast(method, t, y, int(h[0]), ranks, interval_pct, min_points)
    if log:
        if (y <= 0).any():
            raise InsufficientDataError("not_positive", method=method)
        y = np.log(y)
    if len(t) < 2:
        raise InsufficientDataError("too_few_observations", n=len(t), needed=2)
    q = special.ndtri(0.5 + interval_pct / 200.0)
    last_t, last_y = t[-1], y[-1]
    window = t >= last_t - fit_years
    tw, yw = (t[window], y[window]) if window.sum() >= 2 else (t[-2:], y[-2:])
    changes = np.diff(yw) / np.diff(tw)  # a year
    sigma = float(np.std(changes, ddof=1)) if len(changes) >= 2 else math.nan
    steps = h - last_t
    if method in ("naive_last_value", "naive_last_pace"):
        pace = 0.0  # the latest value holds, or the latest pace continues
        if method == "naive_last_pace":
            recent = (t >= last_t - pace_years) & (t < last_t)
            i0 = int(np.argmax(recent)) if recent.any() else len(t) - 2
            pace = (last_y - y[i0]) / (last_t - t[i0])
        center = last_y + pace * steps
        sd = sigma * np.sqrt(steps)
        lo, hi = center - q * sd, center + q * sd
    elif method == "linear_trend":
        tt, yy = t[window], y[window]
        n = len(tt)
        if n < max(min_points, 3):
            raise InsufficientDataError("too_few_in_window", n=n, years=fit_years, needed=max(min_points, 3))
        slope, intercept = np.polyfit(tt, yy, 1)
        resid = yy - (intercept + slope * tt)
        s = math.sqrt(float(resid @ resid) / (n - 2)) if n > 2 else math.nan
        sxx = float(((tt - tt.mean()) ** 2).sum())
        center = intercept + slope * h
        sd = s * np.sqrt(1.0 + 1.0 / n + (h - tt.mean()) ** 2 / sxx)
        qt = special.stdtrit(n - 2, 0.5 + interval_pct / 200.0)
        lo, hi = center - qt * sd, center + qt * sd
    else:
        raise ValueError(f"unknown projection method {method!r}; one of {sorted(SERIES_METHODS)}")
    if log:
        center, lo, hi = np.exp(center), np.exp(lo), np.exp(hi)
    return Forecast(method, h.astype(int), center, lo, hi)


def interval_score(actual: float, center: float, lo: float, hi: float) -> float:
    """How far ``actual`` lies from ``center`` in units of the interval's half-width on that side: <= 1 inside.

    An interval of zero width scores 0 when it is exact and infinity otherwise.
    """
    half = (hi - center) if actual >= center else (center - lo)
    err = abs(actual - center)
    if half <= 0:
        return 0.0 if err == 0 else math.inf
    return err / half


def conformal_factor(scores, nominal_pct: float) -> float | None:
    """The factor by which to widen an interval so that its backtest coverage reaches ``nominal_pct``.

    The split-conformal quantile of the scores (:func:`interval_score`): the ``ceil((n + 1) q)``-th smallest
    of the n scores, q = nominal_pct / 100, and never below 1 (an interval is widened, not narrowed). None when
    n is too small for that rank (``ceil((n + 1) q) > n``) or the score is infinite: the interval is withheld.

    Example (known answer): scores 0.5, 1, 1.5, ..., 4.5 (n = 9) at 80%: rank ceil(10 x 0.8) = 8, factor 4.
    """
    xs = sorted(float(x) for x in scores)
    n = len(xs)
    k = math.ceil((n + 1) * nominal_pct / 100.0 - 1e-9)
    if n == 0 or k > n:
        return None
    f = xs[k - 1]
    return max(1.0, f) if math.isfinite(f) else None


def series_cases(series: pd.Series, methods: tuple[str, ...] = SERIES_METHODS, *, horizon: int, **options):
    """Every backtest case of a series: each observation from the ``min_points``-th is an origin for the later ones
    at most ``horizon`` years ahead (``options``: the keywords of :func:`forecast`)."""
    s = series.dropna().sort_index()
    t, y = s.index.to_numpy(dtype=float), s.to_numpy(dtype=float)
    origins = t[max(int(options.get("min_points", MIN_POINTS)), 3) - 1 : len(t) - 1]

    @functools.cache
    def path(m, origin, known):  # one forecast from each origin of the later observations it scores
        try:
            return forecast(t[:known], y[:known], t[known:][t[known:] - origin <= horizon], m, **options)
        except InsufficientDataError:
            return None

    def predict(m, origin, known, k):
        f = path(m, origin, known)
        return None if f is None else (f.center[k - known], f.lo[k - known], f.hi[k - known])

    ahead = lambda o, tj: int(tj - o) if tj - o <= horizon else None  # noqa: E731
    rows = [("", "", *c) for c in scored_cases(t, y, origins, ahead, methods, predict)]
    return pd.DataFrame(rows, columns=CASE_COLUMNS)


def choose_method(series: pd.Series, requested: str, *, horizon: int, min_pairs: int, **options: object) -> Choice:
    """The method used for ``series``: the requested one, or with ``auto`` the one :func:`choose` picks (the
    lowest backtest error; a tie goes to the simpler, naive method). With fewer than two methods scored on
    ``min_pairs`` pairs none has earned its place: the latest pace (``too_few_cases``), scored on the latest value's
    pairs, so on too few: the tracker withholds its projection. ``options``: the keywords of :func:`forecast`."""
    tests = backtests_of(series_cases(series, horizon=horizon, **options), SERIES_METHODS)
    if requested != "auto":
        return Choice(requested, "set_by_user", tests, min_pairs)
    best, code = choose(tests, SERIES_METHODS, min_pairs)
    return Choice(best or "naive_last_pace", code, tests, min_pairs)


# ----------------------------------------------------------------------------- common entities


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
