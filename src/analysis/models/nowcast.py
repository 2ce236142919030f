"""A nowcast of GERD (% of GDP) for the years after the last survey, chosen by backtest, and the gap to date.

Each value carries an OECD MSTI-style flag (:data:`FLAGS`); statements of the level are a check beside the
range (:func:`statements_check`), never an input, since their reference year and GDP basis are not given.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.data.schema import valued
from analysis.errors import DataError

FLAT_SINCE = 2017  # first year of the flat UIS period the sensitivity band is measured on
RECORD_START = 2013  # the survey record the backtest uses (the UIS series is comparable from 2013)
RECENT_SPAN_YEARS = 6  # "recent" GERD trend: the last three survey intervals (2017-23 seen from 2025)

# OECD MSTI-style flags carried with every value: observed values have none
FLAGS = {"observed": "", "estimate": "e", "provisional": "p", "break": "b", "required": "", "user": ""}

# the nowcast methods the backtest compares, in order of preference on a tie (the simplest first)
METHODS = ("flat_share", "gerd_trend_recent", "gerd_trend_all")


def flat_band_pp(series: pd.Series, since: int = FLAT_SINCE) -> float:
    """Largest absolute change between consecutive observations from ``since`` on (percentage points).

    >>> round(flat_band_pp(pd.Series({2017: 0.41895, 2019: 0.41652, 2021: 0.42494, 2023: 0.41456})), 5)
    0.01038
    """
    s = series.loc[since:].dropna().sort_index()
    if len(s) < 2:
        raise DataError(f"the GERD series has fewer than two observations from {since}; no band can be measured")
    return float(s.diff().abs().max())


def _gdp(gdp_vnd_bn: Mapping[int, float], year: int) -> float:
    if year not in gdp_vnd_bn or not np.isfinite(gdp_vnd_bn[year]):
        raise DataError(f"no GDP for {year}: the nowcast needs GDP in VND for every year it uses")
    return float(gdp_vnd_bn[year])


def method_nowcast(method: str, known: pd.Series, gdp_vnd_bn: Mapping[int, float], year: int) -> float:
    """GERD % of GDP in ``year`` by ``method`` from the surveys in ``known`` (year -> % of GDP).

    - ``flat_share``: the last survey's share.
    - ``gerd_trend_recent`` / ``gerd_trend_all``: GERD in VND (share x GDP) grows from the last survey at
      its compound rate over the last :data:`RECENT_SPAN_YEARS` years of ``known`` / over all of ``known``;
      divided by GDP of ``year``. NaN where ``known`` has fewer than two surveys in the span.

    Hand check (2025 from 2017-23): GERD 2017 = 0.41895% x 6,293,905 = 26,368; 2023 = 0.41456% x
    10,221,800 = 42,375; rate (42,375 / 26,368) ^ (1/6) - 1 = 8.23%; 2025: 42,375 x 1.0823^2 / 12,847,600
    = 0.3864%.
    """
    s = known.dropna().sort_index()
    if s.empty:
        raise DataError("no survey to nowcast from")
    last = int(s.index[-1])
    if method == "flat_share":
        return float(s.iloc[-1])
    if method not in METHODS:
        raise DataError(f"unknown nowcast method {method!r}; choose one of {', '.join(METHODS)}")
    span = s if method == "gerd_trend_all" else s.loc[last - RECENT_SPAN_YEARS :]
    if len(span) < 2:
        return float("nan")
    first = int(span.index[0])
    g_first = float(span.iloc[0]) * _gdp(gdp_vnd_bn, first)
    g_last = float(span.iloc[-1]) * _gdp(gdp_vnd_bn, last)
    rate = (g_last / g_first) ** (1.0 / (last - first))
    return g_last * rate ** (year - last) / _gdp(gdp_vnd_bn, year)


def backtest(series: pd.Series, gdp_vnd_bn: Mapping[int, float], start: int = RECORD_START) -> pd.DataFrame:
    """Hold out each survey of the record and nowcast it from the surveys before it, with every method.

    Returns one row per held-out survey: the year, the last survey known before it, the observed share,
    each method's nowcast and its error (nowcast minus observed, percentage points).
    """
    s = series.loc[start:].dropna().sort_index()
    rows = []
    for i in range(1, len(s)):
        held, known, seen = int(s.index[i]), s.iloc[:i], float(s.iloc[i])
        row = {"held_out": held, "known_to": int(known.index[-1]), "observed_pct": seen}
        for m in METHODS:
            v = method_nowcast(m, known, gdp_vnd_bn, held)
            row |= {f"{m}_pct": v, f"{m}_error_pp": v - seen}
        rows.append(row)
    if not rows:
        raise DataError(f"the GERD series has fewer than two surveys from {start}; nothing to backtest")
    return pd.DataFrame(rows).set_index("held_out")


def _judged(bt: pd.DataFrame) -> pd.DataFrame:
    """Each method's errors on the held-out surveys every method could nowcast: the surveys it is judged on."""
    return bt[[f"{m}_error_pp" for m in METHODS]].dropna().set_axis(pd.Index(METHODS, name="method"), axis=1)


def backtest_scores(bt: pd.DataFrame) -> pd.DataFrame:
    """Mean absolute and largest absolute error of each method over the held-out surveys every method nowcast."""
    errs = _judged(bt).abs()
    return pd.DataFrame({"mean_abs_error_pp": errs.mean(), "max_abs_error_pp": errs.max()})


def choose_method(scores: pd.DataFrame) -> str:
    """The method with the smallest mean absolute error (the first of :data:`METHODS` on a tie)."""
    best = scores["mean_abs_error_pp"].min()
    return next(m for m in METHODS if scores.loc[m, "mean_abs_error_pp"] <= best + 1e-12)


def nowcast_share(
    series: pd.Series, gdp_vnd_bn: Mapping[int, float], through_year: int, start: int = RECORD_START
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Low-central-high GERD % of GDP for every year after the last survey up to ``through_year``.

    Returns ``(nowcast, backtest table, scores)``; the nowcast's ``method`` is the central method's code,
    ``method_error_pp`` its largest backtest error, ``backtest_from``-``backtest_to`` the held-out surveys every
    method could nowcast (those the methods are judged on). Central: the method :func:`choose_method` picks on
    them; low/high: the central value minus/plus the central method's largest error there, or the lowest/highest
    method's nowcast where that lies further out. Every row is an estimate (flag ``e``); nothing is added for money
    allocated but not yet spendable in the year (GERD is performed expenditure).
    """
    s = series.dropna().sort_index()
    bt = backtest(s, gdp_vnd_bn, start)
    scores = backtest_scores(bt)
    central_m = choose_method(scores)
    err = float(scores.loc[central_m, "max_abs_error_pp"])
    judged = _judged(bt).index[[0, -1]]  # the first and last survey judged on
    known = s.loc[start:]
    last_year = int(known.index[-1])
    rows = []
    for y in range(last_year + 1, through_year + 1):
        gdp = _gdp(gdp_vnd_bn, y)
        values = {m: method_nowcast(m, known, gdp_vnd_bn, y) for m in METHODS}
        c = values[central_m]
        finite = [v for v in values.values() if np.isfinite(v)]
        lo, hi = min(min(finite), c - err), max(max(finite), c + err)
        rows.append((y, lo, c, hi, *values.values(), central_m, err, *judged, gdp, "estimate", FLAGS["estimate"]))
    shares = ["low_pct", "central_pct", "high_pct", *(f"{m}_pct" for m in METHODS)]
    cols = [*shares, "method", "method_error_pp", "backtest_from", "backtest_to", "gdp_vnd_bn", "status", "flag"]
    out = pd.DataFrame(rows, columns=["year", *cols]).set_index("year")
    out["gerd_vnd_bn"] = out["central_pct"] / 100.0 * out["gdp_vnd_bn"]
    return out, bt, scores


@dataclass(frozen=True)
class StartPoint:
    """Where every R&D report starts: the year, the level (% of GDP), its range, status and flag."""

    year: int
    level_pct: float
    low_pct: float
    high_pct: float
    status: str  # observed or estimate
    flag: str  # FLAGS[status]


def resolve_start(observed: pd.Series, nowcast: pd.DataFrame, year: int | None = None) -> StartPoint:
    """The start from the latest evidence: ``year`` (default: the latest year observed or nowcast).

    An observed year starts at its observation (no range); a nowcast year at the nowcast's central value
    with its low-high range.
    """
    obs = observed.dropna()
    latest = max([int(obs.index.max()), *[int(y) for y in nowcast.index]])
    y = latest if year is None else int(year)
    if y in obs.index:
        v = float(obs.loc[y])
        return StartPoint(y, v, v, v, "observed", FLAGS["observed"])
    if y in nowcast.index:
        r = nowcast.loc[y]
        level, low, high = (float(r[k]) for k in ("central_pct", "low_pct", "high_pct"))
        return StartPoint(y, level, low, high, "estimate", FLAGS["estimate"])
    raise DataError(f"no observation or nowcast of GERD for {y}")


def statements_check(statements: pd.DataFrame, nowcast: pd.DataFrame, uplift_pct: float) -> pd.DataFrame:
    """Officials' and the press's statements on the current level beside the nowcast range.

    Each statement's value is taken as said and converted to revised GDP (divided by 1 + uplift), since the
    basis is never given; each reading's position (``below``, ``inside`` or ``above``) against the range of the
    statement's year (or the latest nowcast year) and whether it is consistent with it (a level: inside; an upper
    bound: not below the range) are given apart. Hand check: 0.5 / 1.254 = 0.3987, inside 0.3519-0.4772; 0.5 itself is above it.
    """
    rows = valued(statements, "rd_pct_gdp_statement")
    rows = rows[rows["year"] >= nowcast.index.min()] if len(nowcast) else rows.iloc[0:0]
    year = rows["year"].astype(int).to_numpy()
    ny = np.where(np.isin(year, nowcast.index), year, int(nowcast.index.max()) if len(nowcast) else 0)
    lo, hi = (nowcast[k].reindex(ny).to_numpy(dtype=float) for k in ("low_pct", "high_pct"))
    as_said = rows["value"].to_numpy(dtype=float)
    revised = as_said / (1 + uplift_pct / 100.0)
    out = pd.DataFrame({"year": year, "statement_pct": as_said})
    out["bound"] = np.where(rows["qualifier"] == "at_most", "at_most", "level")
    for k, v in (("as_said", as_said), ("revised", revised)):
        where = np.select([v < lo, v > hi], ["below", "above"], "inside")
        out[f"{k}_position"] = where
        out[f"{k}_consistent"] = np.where(out["bound"] == "at_most", where != "below", where == "inside")
    out.insert(5, "revised_pct", revised)
    out["nowcast_year"], out["source"] = ny, rows["source"].to_numpy()
    return out


def gap_to_date(observed: pd.Series, nowcast: pd.DataFrame, required: pd.Series) -> pd.DataFrame:
    """Observed or estimated share against what a path from the last observation required, year by year.

    ``observed``: the observed share for the last observation year (one or more years); ``nowcast``:
    :func:`nowcast_share`; ``required``: the share a path from the last observation to the target
    gives in each year. ``gap_pp`` = central (or observed) minus required; negative means behind.
    """
    shares = ["central_pct", "low_pct", "high_pct"]
    seen = pd.DataFrame({k: observed for k in shares}).assign(status="observed")
    out = pd.concat([seen, nowcast[shares].assign(status="estimate")])[["status", *shares]].astype(
        {k: float for k in shares}
    )
    out = out.set_axis(pd.Index(out.index.astype(int), name="year")).sort_index()
    out["required_pct"] = required.reindex(out.index).to_numpy(dtype=float)
    out["gap_pp"] = out["central_pct"] - out["required_pct"]
    return out
