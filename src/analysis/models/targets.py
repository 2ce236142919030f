"""Every quantitative target of Resolution 57: the pace needed, the pace seen, a projection and a status.

Pure functions (pace, projection, backtest, status rule) plus the catalogue of how each target in
``data/raw/r57_targets.csv`` is measured. The report module ``targets_scenario`` wires them to the
data and to the existing R&D and rankings models.

The status rule (in the style of UN ESCAP's SDG progress assessment):

- the latest value already meets the target: **on track** (target met);
- otherwise the *progress ratio* = (projected value at the target year - latest value) /
  (target - latest value), the share of the remaining gap the projection closes:
  at least ``on_track_ratio`` (default 0.95): **on track**; at least ``acceleration_ratio``
  (default 0.5): **needs acceleration**; below that (including moving away): **off track**;
- a value exists but there is no agreed indicator (only a proxy) or too little history to
  project: **not measurable**; nothing measured: **no data** (the reason is stated).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from analysis import i18n
from analysis.data.labels import label
from analysis.i18n import N_, _

STATUSES = ("on track", "needs acceleration", "off track", "not measurable", "no data")  # codes (CSV, results.json)
METHODS = {
    "linear_trend": "straight-line trend fitted by least squares on the last fit_years years",
    "naive_last_value": "the latest value holds (random walk)",
    "naive_last_pace": "the latest pace continues (average change a year over the last latest_pace_years years)",
}
NAIVE_ORDER = ("naive_last_value", "naive_last_pace", "linear_trend")  # a tie goes to the simpler method
PACE_WINDOW_YEARS = 5  # default of "the latest pace" (parameter latest_pace_years) for the naive_last_pace method


class CannotProject(ValueError):
    """Too few observations for the requested projection."""


# ----------------------------------------------------------------------------- targets


@dataclass(frozen=True)
class Target:
    target_id: str
    text_vi: str
    text_en: str
    indicator: str
    value: float  # the target (lower bound of a range)
    unit: str
    year: int
    comparator: str  # top_n, at_least, more_than, between_<lo>_<hi>
    source_url: str
    text_provenance: str

    @property
    def lower_is_better(self) -> bool:
        return self.comparator == "top_n"

    @property
    def is_growth(self) -> bool:
        """A target on an average growth rate (% a year) rather than on a level."""
        return "% per year" in self.unit

    def as_written(self) -> str:
        """'>= 12 (persons per 10,000 population) by 2030' style text, in the current language."""
        c = self.comparator
        unit, year = _(self.unit), i18n.fmt.year(self.year)
        if c == "top_n":
            return _("top {n} ({unit}) by {year}").format(n=i18n.fmt.general(self.value), unit=unit, year=year)
        if c.startswith("between_"):
            lo, hi = c.removeprefix("between_").split("_")
            return _("{low}-{high} ({unit}) by {year}").format(low=lo, high=hi, unit=unit, year=year)
        head = (">" if c == "more_than" else i18n.pgettext("comparator", ">=")) + f" {i18n.fmt.general(self.value)}"
        return _("{at_least} ({unit}) by {year}").format(at_least=head, unit=unit, year=year)


# The targets' names in the house's English spelling, keyed by target id: the English must equal the data's
# gloss (text_en in r57_targets.csv, 'Vietnam' spelled 'Viet Nam'); the Vietnamese is the catalogue's
# translation, in the Resolution's own words where the source texts give them (tests/test_i18n_resolution_targets.py
# fails when a target of the data has no name here or no translation).
TARGET_NAMES: dict[str, str] = {
    "T01a": N_("Viet Nam among the top 3 in Southeast Asia in digital competitiveness"),
    "T01b": N_("Viet Nam among the top 50 in the world in digital competitiveness"),
    "T01c": N_("Viet Nam among the top 3 in Southeast Asia in the (UN) E-Government Development Index"),
    "T01d": N_("Viet Nam among the top 50 in the world in the (UN) E-Government Development Index"),
    "T02": N_("top 3 in Southeast Asia in research and development of artificial intelligence"),
    "T03": N_("at least 5 digital-technology enterprises on a par with those of advanced countries"),
    "T04": N_("gross R&D expenditure reaches 2% of GDP"),
    "T05": N_("of which more than 60% from non-state ('social') investment"),
    "T06": N_(
        "allocate at least 3% of total annual state-budget expenditure to S&T, innovation and national digital "
        "transformation, rising over time"
    ),
    "T07": N_("R&D / innovation human resources reach 12 persons per 10,000 population"),
    "T08": N_("40-50 S&T organisations ranked regionally and globally"),
    "T09": N_("international scientific publications grow 10% a year on average"),
    "T10": N_("patent applications and patent grants grow 16-18% a year on average"),
    "T11": N_("commercial exploitation rate (of patents) reaches 8-10%"),
    "T12": N_("share of enterprises with innovation activities at least 40%"),
    "T13": N_("contribution of total factor productivity (TFP) to economic growth above 55%"),
    "T14": N_("high-tech products at least 50% of total goods exports"),
    "T15": N_("digital economy at least 30% of GDP"),
    "T16": N_("rate of online public service usage by citizens and businesses above 80%"),
    "T17": N_(
        "attract at least 3 leading world technology organisations/enterprises to locate, invest in R&D and "
        "produce in Viet Nam"
    ),
    "T18": N_("by 2045 the digital economy is at least 50% of GDP"),
    "T19": N_("by 2045 among the top 30 countries in the world in innovation"),
    "T20": N_("by 2045 among the top 30 countries in the world in digital transformation"),
}

# the units of the targets as the data write them (r57_targets.csv), translated where shown
TARGET_UNITS = (
    N_("% (population/businesses using online public services)"),
    N_("% (target range 8-10)"),
    N_("% of GDP"),
    N_("% of GDP growth"),
    N_("% of GERD"),
    N_("% of enterprises"),
    N_("% of total goods exports"),
    N_("% of total state-budget expenditure"),
    N_("% per year (average)"),
    N_("% per year (average; target range 16-18)"),
    N_("enterprises"),
    N_("organisations (target range 40-50)"),
    N_("organisations/enterprises"),
    N_("persons per 10,000 population"),
    N_("rank among 11 Southeast Asian states"),
    N_("rank among Southeast Asian countries"),
    N_("rank of 193"),
    N_("world rank"),
    N_("world rank (GII)"),
    N_("world rank (index not named)"),
)


def target_name(target_id: str, english: str) -> str:
    """A target's name in the current language (``english``: the data's gloss, shown when the id has no name)."""
    name = TARGET_NAMES.get(target_id)
    return _(name) if name is not None else english


def targets_from_frame(df: pd.DataFrame) -> list[Target]:
    """Targets from the ``r57_targets`` dataset, in file order of target id."""
    out = []
    for r in df.sort_values("target_id").to_dict(orient="records"):
        out.append(
            Target(
                r["target_id"],
                r["text_vi"],
                r["text_en"],
                r["indicator"],
                float(r["value"]),
                r["unit"],
                int(r["year"]),
                r["comparator"],
                r["source_detail"],
                r["text_provenance"],
            )
        )
    return out


def is_met(value: float, t: Target) -> bool:
    """Does ``value`` meet target ``t`` (a range counts as met at its lower bound)?"""
    if t.comparator == "top_n":
        return value <= t.value
    if t.comparator == "more_than":
        return value > t.value
    return value >= t.value


# ----------------------------------------------------------------------------- pace


def pace_needed(latest: float, latest_year: int, target: float, target_year: int, log: bool = False) -> float:
    """Change a year needed from the latest value to the target: units a year, or % a year (``log``).

    Example (known answer): 8.36 in 2023 to 12 in 2030 needs (12 - 8.36) / 7 = 0.52 a year.
    """
    years = target_year - latest_year
    if years <= 0:
        raise ValueError("the target year must be after the latest year")
    if log:
        return ((target / latest) ** (1.0 / years) - 1.0) * 100.0
    return (target - latest) / years


def pace_seen(series: pd.Series, window: int, log: bool = False) -> tuple[float | None, int | None]:
    """Average change a year over the last ``window`` years: from the earliest observation in
    [latest - window, latest) to the latest. Returns (pace, start year) or (None, None).

    Units a year, or compound % a year (``log``).
    """
    s = series.dropna().sort_index()
    if len(s) < 2:
        return None, None
    last_year = int(s.index[-1])
    window_obs = s[(s.index >= last_year - window) & (s.index < last_year)]
    if window_obs.empty:
        return None, None
    y0 = int(window_obs.index[0])
    v0, v1 = float(window_obs.iloc[0]), float(s.iloc[-1])
    if log:
        if v0 <= 0 or v1 <= 0:
            return None, None
        return ((v1 / v0) ** (1.0 / (last_year - y0)) - 1.0) * 100.0, y0
    return (v1 - v0) / (last_year - y0), y0


def progress_ratio(latest: float, projected: float, target: float) -> float:
    """Share of the gap from the latest value to the target that the projection closes."""
    if target == latest:
        return math.inf
    return (projected - latest) / (target - latest)


def status(
    latest: float | None,
    projected: float | None,
    t: Target,
    target_value: float,
    on_track_ratio: float = 0.95,
    acceleration_ratio: float = 0.5,
) -> tuple[str, float | None]:
    """The status rule of the module docstring. ``target_value`` is the level to reach (for a growth
    target, the level the growth rate implies). Returns (status, progress ratio)."""
    if latest is None:
        return "no data", None
    met = latest >= target_value if t.is_growth else is_met(latest, t)
    if met:
        return "on track", None
    if projected is None:
        return "not measurable", None
    if target_value == latest:  # at the bound of a strict target ('more than'): no gap to measure a share of
        return ("on track" if is_met(projected, t) else "off track"), None
    ratio = progress_ratio(latest, projected, target_value)
    if ratio >= on_track_ratio:
        return "on track", ratio
    if ratio >= acceleration_ratio:
        return "needs acceleration", ratio
    return "off track", ratio


# ----------------------------------------------------------------------------- projection


@dataclass(frozen=True)
class Forecast:
    method: str
    years: np.ndarray
    center: np.ndarray
    lo: np.ndarray  # NaN where no interval can be given
    hi: np.ndarray


def _annual_changes(t: np.ndarray, y: np.ndarray) -> np.ndarray:
    return np.diff(y) / np.diff(t)


def forecast(
    years,
    values,
    horizon_years,
    method: str,
    *,
    log: bool = False,
    interval_pct: float = 80.0,
    fit_years: int = 10,
    min_points: int = 4,
    pace_years: int = PACE_WINDOW_YEARS,
) -> Forecast:
    """Project an annual (possibly irregular) series to ``horizon_years`` with one of ``METHODS``.

    ``log`` fits on log values (growth series) and returns levels. Intervals: for the trend, the
    least-squares prediction interval (Student t); for the naive methods, the spread of the
    observed changes a year, widening with the square root of the horizon (random walk).
    Raises :class:`CannotProject` when there are too few observations.
    """
    t = np.asarray(years, dtype=float)
    y = np.asarray(values, dtype=float)
    h = np.atleast_1d(np.asarray(horizon_years, dtype=float))
    if log:
        if (y <= 0).any():
            raise CannotProject(_("a log projection needs positive values"))
        y = np.log(y)
    if len(t) < 2:
        raise CannotProject(_("fewer than two observations"))
    q = stats.norm.ppf(0.5 + interval_pct / 200.0)
    last_t, last_y = t[-1], y[-1]
    window = t >= last_t - fit_years
    changes = _annual_changes(t[window], y[window]) if window.sum() >= 2 else _annual_changes(t[-2:], y[-2:])
    sigma = float(np.std(changes, ddof=1)) if len(changes) >= 2 else math.nan
    steps = h - last_t
    if method == "naive_last_value":
        center = np.full_like(h, last_y)
        sd = sigma * np.sqrt(steps)
        lo, hi = center - q * sd, center + q * sd
    elif method == "naive_last_pace":
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
            raise CannotProject(
                _("{n} observations in the last {years} years; the trend needs at least {needed}").format(
                    n=n, years=fit_years, needed=max(min_points, 3)
                )
            )
        slope, intercept = np.polyfit(tt, yy, 1)
        resid = yy - (intercept + slope * tt)
        s = math.sqrt(float(resid @ resid) / (n - 2)) if n > 2 else math.nan
        sxx = float(((tt - tt.mean()) ** 2).sum())
        center = intercept + slope * h
        sd = s * np.sqrt(1.0 + 1.0 / n + (h - tt.mean()) ** 2 / sxx)
        qt = stats.t.ppf(0.5 + interval_pct / 200.0, n - 2)
        lo, hi = center - qt * sd, center + qt * sd
    else:
        raise ValueError(f"unknown projection method {method!r}; one of {sorted(METHODS)}")
    if log:
        center, lo, hi = np.exp(center), np.exp(lo), np.exp(hi)
    return Forecast(method, h.astype(int), center, lo, hi)


@dataclass(frozen=True)
class Backtest:
    """Rolling-origin backtest of one method on one series: every observation from the
    ``min_points``-th is an origin; every later observation at most ``horizon`` years ahead is scored."""

    method: str
    pairs: int
    mae: float | None  # mean absolute error, in the series' unit
    coverage_pct: float | None  # share of actual values inside the interval


def backtest(
    series: pd.Series,
    method: str,
    *,
    horizon: int = 5,
    log: bool = False,
    interval_pct: float = 80.0,
    fit_years: int = 10,
    min_points: int = 4,
    pace_years: int = PACE_WINDOW_YEARS,
) -> Backtest:
    s = series.dropna().sort_index()
    t, y = s.index.to_numpy(dtype=float), s.to_numpy(dtype=float)
    errors, covered, with_interval = [], 0, 0
    for k in range(max(min_points, 3) - 1, len(t) - 1):
        ahead = [j for j in range(k + 1, len(t)) if t[j] - t[k] <= horizon]
        if not ahead:
            continue
        try:
            f = forecast(
                t[: k + 1],
                y[: k + 1],
                t[ahead],
                method,
                log=log,
                interval_pct=interval_pct,
                fit_years=fit_years,
                min_points=min_points,
                pace_years=pace_years,
            )
        except CannotProject:
            continue
        for i, j in enumerate(ahead):
            errors.append(abs(f.center[i] - y[j]))
            if np.isfinite(f.lo[i]) and np.isfinite(f.hi[i]):
                with_interval += 1
                covered += int(f.lo[i] <= y[j] <= f.hi[i])
    return Backtest(
        method,
        len(errors),
        float(np.mean(errors)) if errors else None,
        covered / with_interval * 100.0 if with_interval else None,
    )


@dataclass(frozen=True)
class MethodChoice:
    method: str
    why: str
    backtests: tuple[Backtest, ...]

    @property
    def chosen(self) -> Backtest | None:
        return next((b for b in self.backtests if b.method == self.method), None)


def choose_method(
    series: pd.Series,
    requested: str,
    *,
    horizon: int,
    min_pairs: int,
    log: bool = False,
    interval_pct: float = 80.0,
    fit_years: int = 10,
    min_points: int = 4,
    pace_years: int = PACE_WINDOW_YEARS,
) -> MethodChoice:
    """The method used for ``series``: the requested one, or with ``auto`` the one with the lowest
    backtest error (a tie goes to the simpler, naive method). With fewer than ``min_pairs`` scored
    pairs no method has earned its place, and the latest pace is assumed to continue (labelled)."""
    tests = tuple(
        backtest(
            series,
            m,
            horizon=horizon,
            log=log,
            interval_pct=interval_pct,
            fit_years=fit_years,
            min_points=min_points,
            pace_years=pace_years,
        )
        for m in NAIVE_ORDER
    )
    if requested != "auto":
        return MethodChoice(requested, "set by the user", tests)
    scored = [b for b in tests if b.mae is not None and b.pairs >= min_pairs]
    if len(scored) < 2:
        pairs = max((b.pairs for b in tests), default=0)
        return MethodChoice(
            "naive_last_pace",
            f"too little history to backtest ({pairs} scored pairs, {min_pairs} needed): "
            "the latest pace is assumed to continue",
            tests,
        )
    best = min(scored, key=lambda b: (round(b.mae, 12), NAIVE_ORDER.index(b.method)))
    others = ", ".join(f"{b.method} {b.mae:.3g}" for b in scored if b is not best)
    return MethodChoice(best.method, f"lowest backtest error ({best.mae:.3g} vs {others}; {best.pairs} pairs)", tests)


# ----------------------------------------------------------------------------- a measured series against a target


@dataclass
class Measure:
    """How a target is measured by one definition: its series (year -> value) and where it comes from."""

    target_id: str
    definition: str
    source: str
    unit: str
    series: pd.Series = field(default_factory=lambda: pd.Series(dtype=float))
    kind: str = "series"  # series (projectable), proxy (not the target's concept), none (no data)
    reason: str = ""  # why a proxy or nothing; caveats
    estimate_years: tuple[int, ...] = ()  # years whose value is a preliminary estimate by the agency


def _no_data_reason(m: Measure, as_of_year: int) -> str:
    """Why a measure has no observation to assess, in the current language."""
    if m.kind == "none":
        return _(m.reason)
    first = m.series.dropna().index.min() if len(m.series.dropna()) else None
    if first is not None:
        return _("no observation up to {year} (the series starts in {first})").format(
            year=i18n.fmt.year(as_of_year), first=i18n.fmt.year(first)
        )
    return _("no observation up to {year}").format(year=i18n.fmt.year(as_of_year))


def assess(t: Target, m: Measure, p: dict) -> dict:
    """One tracker row for target ``t`` measured by ``m`` under parameters ``p``.

    ``p`` needs as_of_year, projection_method, interval_pct, fit_years, min_points,
    backtest_horizon_years, min_backtest_pairs, on_track_ratio, acceleration_ratio.
    """
    s = m.series.dropna().sort_index()
    s = s[s.index <= p["as_of_year"]]
    row = {
        "target_id": t.target_id,
        "target": t.text_en,
        "text_vi": t.text_vi,
        "target_as_written": t.as_written(),
        "target_year": t.year,
        "definition": m.definition,
        "source": m.source,
        "unit": m.unit,
        "latest_value": None,
        "latest_year": None,
        "latest_is_estimate": False,
        "target_level": None,
        "pace_needed": None,
        "pace_5y": None,
        "pace_5y_from": None,
        "pace_10y": None,
        "pace_10y_from": None,
        "pace_unit": None,
        "projected": None,
        "projected_lo": None,
        "projected_hi": None,
        "projection_method": None,
        "method_why": None,
        "backtest_pairs": None,
        "backtest_mae": None,
        "backtest_coverage_pct": None,
        "progress_ratio": None,
        "status": None,
        "reason": m.reason,
        "is_proxy": False,
    }
    if m.kind == "none" or s.empty:
        return row | {"status": "no data", "reason": _no_data_reason(m, p["as_of_year"])}
    latest_year, latest = int(s.index[-1]), float(s.iloc[-1])
    row.update(
        latest_value=latest,
        latest_year=latest_year,
        latest_is_estimate=latest_year in m.estimate_years,
        is_proxy=m.kind == "proxy",
    )
    if m.kind == "proxy":
        return row | {"status": "not measurable", "reason": _(m.reason)}
    log = t.is_growth
    if latest_year >= t.year:
        st, _ratio = status(latest, latest, t, t.value)
        return row | {"status": st, "reason": _("the latest value is for the target year or later")}
    if log:  # a growth target: the level reached if the target rate holds from the latest year
        target_level = latest * (1.0 + t.value / 100.0) ** (t.year - latest_year)
        row["pace_unit"] = "% a year"
    else:
        target_level = t.value
        row["pace_unit"] = f"{m.unit} a year"
    row["target_level"] = target_level
    met = is_met(latest, t) and not log
    row["pace_needed"] = 0.0 if met else pace_needed(latest, latest_year, target_level, t.year, log=log)
    row["pace_5y"], row["pace_5y_from"] = pace_seen(s, 5, log=log)
    row["pace_10y"], row["pace_10y_from"] = pace_seen(s, 10, log=log)
    if len(s) < 2:
        st, ratio = status(latest, None, t, target_level)
        reason = _("one observation: no pace seen and no projection") if st == "not measurable" else _("already met")
        return row | {"status": st, "reason": "; ".join(x for x in (reason, _(m.reason) if m.reason else "") if x)}
    kw = dict(
        log=log,
        interval_pct=p["interval_pct"],
        fit_years=p["fit_years"],
        min_points=p["min_points"],
        pace_years=p.get("latest_pace_years", PACE_WINDOW_YEARS),
    )
    choice = choose_method(
        s, p["projection_method"], horizon=p["backtest_horizon_years"], min_pairs=p["min_backtest_pairs"], **kw
    )
    try:
        f = forecast(s.index.to_numpy(), s.to_numpy(), [t.year], choice.method, **kw)
    except CannotProject as exc:
        return row | {
            "status": "not measurable",
            "reason": _("cannot project with {method}: {error}").format(
                method=label("method", choice.method), error=exc
            ),
        }
    f = clip_to_range(f, m.unit)
    chosen = choice.chosen
    row.update(
        projected=float(f.center[0]),
        projected_lo=_finite(f.lo[0]),
        projected_hi=_finite(f.hi[0]),
        projection_method=choice.method,
        method_why=choice.why,
        backtest_pairs=chosen.pairs if chosen else None,
        backtest_mae=chosen.mae if chosen else None,
        backtest_coverage_pct=chosen.coverage_pct if chosen else None,
    )
    st, ratio = status(latest, row["projected"], t, target_level, p["on_track_ratio"], p["acceleration_ratio"])
    row.update(status=st, progress_ratio=ratio)
    values = {
        "projected": i18n.fmt.num(row["projected"], None),
        "needed": i18n.fmt.num(target_level, None),
        "year": i18n.fmt.year(t.year),
    }
    if ratio is not None:
        head = _("projected {projected} vs {needed} needed in {year}: closes {share} of the gap").format(
            share=i18n.fmt.pct(ratio * 100, 0), **values
        )
    else:
        head = _("projected {projected} vs {needed} needed in {year}").format(**values)
    bits = [head]
    if m.reason:
        bits.append(_(m.reason))
    row["reason"] = "; ".join(bits)
    return row


def _finite(x: float) -> float | None:
    return float(x) if np.isfinite(x) else None


def projection_path(t: Target, m: Measure, p: dict, method: str) -> Forecast | None:
    """Year-by-year projection from the latest observation to the target year (for charts)."""
    s = m.series.dropna().sort_index()
    s = s[s.index <= p["as_of_year"]]
    if len(s) < 2 or int(s.index[-1]) >= t.year:
        return None
    years = np.arange(int(s.index[-1]) + 1, t.year + 1)
    try:
        f = forecast(
            s.index.to_numpy(),
            s.to_numpy(),
            years,
            method,
            log=t.is_growth,
            interval_pct=p["interval_pct"],
            fit_years=p["fit_years"],
            min_points=p["min_points"],
            pace_years=p.get("latest_pace_years", PACE_WINDOW_YEARS),
        )
    except CannotProject:
        return None
    f = clip_to_range(f, m.unit)
    last = float(s.iloc[-1])  # start the drawn path at the latest observation
    return Forecast(
        f.method, np.r_[int(s.index[-1]), f.years], np.r_[last, f.center], np.r_[last, f.lo], np.r_[last, f.hi]
    )


def clip_to_range(f: Forecast, unit: str) -> Forecast:
    """Keep a projection inside what the unit allows: nothing below 0, and a share ('% ...') at most 100."""
    hi = 100.0 if unit.startswith("%") else np.inf

    def c(x: np.ndarray) -> np.ndarray:
        return np.where(np.isfinite(x), np.clip(x, 0.0, hi), x)

    return Forecast(f.method, f.years, c(f.center), c(f.lo), c(f.hi))


def required_path(latest_year: int, latest: float, t: Target, target_level: float) -> pd.Series:
    """The straight (or, for a growth target, constant-growth) path from the latest value to the target."""
    years = np.arange(latest_year, t.year + 1)
    frac = (years - latest_year) / (t.year - latest_year)
    if t.is_growth:
        vals = latest * (target_level / latest) ** frac
    else:
        vals = latest + (target_level - latest) * frac
    return pd.Series(vals, index=years)


def count_statuses(statuses: pd.Series) -> dict[str, int]:
    return {s: int((statuses == s).sum()) for s in STATUSES}


def status_rule_text(on_track_ratio: float, acceleration_ratio: float) -> str:
    """The status rule in words, with the thresholds in force."""
    return _(
        "**On track**: the latest value already meets the target, or the projection to the target year closes at least "
        "{on_track} of the gap between the latest value and the target. **Needs acceleration**: the "
        "projection closes {acceleration} to {on_track} of the gap. **Off track**: it "
        "closes less than {acceleration}, or the indicator moves away from the target. **Not measurable**: "
        "there is a value but no agreed indicator (only a proxy), or too little history to project. **No data**: nothing "
        "was found (the reason is given). A growth target (e.g. +10% a year) is read as the level that growth would "
        "reach from the latest observation by the target year; its paces are compound % a year."
    ).format(on_track=i18n.fmt.pct(on_track_ratio * 100, 0), acceleration=i18n.fmt.pct(acceleration_ratio * 100, 0))
