"""Every quantitative target of Resolution 57: the pace needed, the pace seen, a projection and a status.

Pure functions giving codes and values (a row's ``why``: (code, values) pairs), which
``analysis.reports.resolution_targets`` words (the status rule: its ``status_rule_text``) and wires to the data;
:func:`load_targets` is the one reader of the targets themselves.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.data import datasets
from analysis.errors import DataError
from analysis.models.backtest import (  # the one projection/backtest framework (ranks and series)
    Backtest,
    Forecast,
    InsufficientDataError,
    choose_method,
    conformal_factor,
    forecast,
)

# codes (CSV, results.json); 'no period data': values in the sources, none for the period the target counts
STATUSES = ("on track", "needs acceleration", "off track", "not measurable", "no period data", "no data")
SHORT_WINDOW_YEARS = 5  # the status's short window
MIN_PACE_POINTS = 3  # a window's pace rates a target only when it rests on this many observations (two changes)
LONG_WINDOW_YEARS = 15  # the long window reaches back this far ...
LONG_MIN_SPAN_YEARS = 10  # ... and must span at least this many years
MIN_POINTS_LONG_HORIZON = 5  # no projection from fewer observations ...
LONG_HORIZON_YEARS = 5  # ... more than this many years beyond the latest
TARGET_PERIOD_BASE_YEAR = 2024  # growth targets run over the Resolution's period, from 2025 (base year 2024)


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
    section: str = ""  # of the Resolution: II.1 (by 2030) or II.2 (vision to 2045)
    comparator_vi: str = ""  # the comparator word as written ('trên', 'hơn' = more than; 'tối thiểu', 'ít nhất')
    wording_status: str = ""  # confirmed on an official/press copy, or read only in a transcription
    government_docs: str = ""  # the Government documents that quantify it (NQ 03/NQ-CP annex, NQ 71/NQ-CP)
    unit_kind: str = "level"  # share, growth or level (analysis.data.build_targets.UNIT_KINDS): decides the arithmetic

    @property
    def lower_is_better(self) -> bool:
        return self.comparator == "top_n"

    @property
    def is_growth(self) -> bool:
        """A target on an average growth rate (% a year, fitted in logs) rather than on a level."""
        return self.unit_kind == "growth"

    @property
    def is_share(self) -> bool:
        """A target on a share, in per cent of a whole: at most 100, its pace in percentage points."""
        return self.unit_kind == "share"


def load_targets(data_dir: Path | None = None) -> list[Target]:
    """The Resolution's targets from the ``r57_targets`` dataset (read through :func:`analysis.data.datasets.load`,
    parsed once per process), in order of target id."""
    df = datasets.load("r57_targets", data_dir)
    names = [f.name for f in fields(Target)]
    out = []
    for r in df.rename(columns={"source_detail": "source_url"}).sort_values("target_id").to_dict(orient="records"):
        out.append(Target(**{k: r[k] for k in names if k in r} | {"value": float(r["value"]), "year": int(r["year"])}))
    return out


def target(target_id: str, data_dir: Path | None = None) -> Target:
    """Target ``target_id`` of :func:`load_targets` (T05: 60.0, ``more_than``, 2030), the one place a report takes a
    threshold of the Resolution from.

    Raises
    ------
    DataError
        If the targets file fails its checksum or schema (naming its path), or has no row ``target_id``.
    """
    targets = {t.target_id: t for t in load_targets(data_dir)}
    if target_id not in targets:
        raise DataError(f"target_id {target_id!r} is not in r57_targets.csv; known: {', '.join(targets)}")
    return targets[target_id]


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


def pace_long(series: pd.Series, log: bool = False) -> tuple[float | None, int | None]:
    """The long-window pace: least-squares slope over the observations of the last :data:`LONG_WINDOW_YEARS`
    years (each observation at its date, so gaps are read as gaps); compound % a year from the slope of the log
    values (``log``). None when the window spans fewer than :data:`LONG_MIN_SPAN_YEARS` years or holds fewer than
    three observations. Returns (pace, start year).

    Example (known answer): 1, 2, 4 in 2010, 2015, 2020 gives the slope of (0, 5, 10) -> (1, 2, 4): 0.3 a year.
    """
    s = series.dropna().sort_index()
    if s.empty:
        return None, None
    last = int(s.index[-1])
    w = s[s.index >= last - LONG_WINDOW_YEARS]
    if len(w) < 3 or last - int(w.index[0]) < LONG_MIN_SPAN_YEARS:
        return None, None
    y = w.to_numpy(dtype=float)
    if log:
        if (y <= 0).any():
            return None, None
        y = np.log(y)
    slope = float(np.polyfit(w.index.to_numpy(dtype=float), y, 1)[0])
    return ((math.exp(slope) - 1.0) * 100.0 if log else slope), int(w.index[0])


# the status rule's thresholds (the tracker's parameters' defaults): the pace seen as a share of the pace needed
ON_TRACK_RATIO, ACCELERATION_RATIO = 0.95, 0.5
MIN_BACKTEST_PAIRS = 5  # fewest scored forecasts on which a projection is shown (parameter min_backtest_pairs)


def unbacked(pairs: int, steps: int, horizon: int, min_pairs: int = MIN_BACKTEST_PAIRS) -> str | None:
    """Why no projection ``steps`` years (or editions) ahead is shown on a backtest that scored ``pairs`` forecasts,
    at least ``min_pairs`` of them as far as ``horizon`` ahead: ``backtest_too_thin`` (fewer than ``min_pairs`` in
    all), ``beyond_backtest_horizon`` (the target lies further ahead), ``backtest_too_thin_beyond_horizon`` (both),
    or None when the backtest can judge it.

    Examples (known answers): 3 pairs, 4 years ahead on a 5-year backtest -> too thin; 50 pairs, 7 years ahead ->
    beyond; 3 pairs, 7 years ahead -> both.
    """
    thin, beyond = pairs < min_pairs, steps > horizon
    if thin and beyond:
        return "backtest_too_thin_beyond_horizon"
    return "backtest_too_thin" if thin else "beyond_backtest_horizon" if beyond else None


def pace_status(
    pace_observed: float | None,
    pace_required: float,
    *,
    on_track_ratio: float = ON_TRACK_RATIO,
    acceleration_ratio: float = ACCELERATION_RATIO,
) -> tuple[str | None, float | None]:
    """The verdict of one window: (status, pace ratio = observed / needed), or (None, None) without a pace.

    For a rank the pace needed is negative (places a year, climbing), so the ratio is still positive when moving the
    right way. A pace needed of 0 is a latest value exactly on a 'more than' bound: any rise meets it (on track), none
    does not (off track), no ratio.
    """
    if pace_observed is None:
        return None, None
    if pace_required == 0:
        return ("on track" if pace_observed > 0 else "off track"), None
    ratio = pace_observed / pace_required
    eps = 1e-9  # a pace exactly at a threshold, in decimals (0.494 / 0.52 = 0.95), meets it despite binary rounding
    if ratio + eps >= on_track_ratio:
        return "on track", ratio
    if ratio + eps >= acceleration_ratio:
        return "needs acceleration", ratio
    return "off track", ratio


def fastest_pace(
    series: pd.Series, window: int = SHORT_WINDOW_YEARS, *, lower_is_better: bool = False
) -> tuple[float | None, int | None]:
    """The fastest move seen toward better values: the best :func:`pace_seen` over any ``window`` of the
    history (each observation as the window's end). Returns (pace, start year) or (None, None).

    Example (known answer): 10, 12, 13, 17 in 2000-2003 with ``window`` 1: the best is 13 -> 17, 4 a year from 2002.
    """
    s = series.dropna().sort_index()
    best: tuple[float | None, int | None] = (None, None)
    for k in range(1, len(s)):
        pace, start = pace_seen(s.iloc[: k + 1], window)
        if pace is None:
            continue
        if best[0] is None or (pace < best[0] if lower_is_better else pace > best[0]):
            best = (pace, start)
    return best


def years_to_target(latest: float, target: float, pace: float | None) -> float | None:
    """Years to reach ``target`` from ``latest`` at ``pace`` (distance to target, in the OECD manner); None when
    the pace does not move toward the target."""
    if pace is None or pace == 0 or (target - latest) / pace < 0:
        return None
    return (target - latest) / pace


def windows_agree(short: str | None, long: str | None) -> bool | None:
    """Whether the two windows' verdicts are the same (None unless both rate the target): where they are not,
    :func:`overall_status` shows the less favourable and says the windows disagree."""
    return None if short is None or long is None else short == long


def overall_status(short: str | None, long: str | None) -> str:
    """The status shown: the less favourable of the two windows' verdicts (a recent move alone does not put a target
    on track when the long window says otherwise, nor does an old climb when the last five years stalled), the one
    window's where only one rates the target, else not measurable."""
    verdicts = [v for v in (short, long) if v]
    return max(verdicts, key=STATUSES.index) if verdicts else "not measurable"


# ----------------------------------------------------------------------------- annual obligations

ANNUAL_RATINGS = ("met", "within rounding", "not met", "not known")  # codes


def half_unit(x: float) -> float:
    """Half the unit of the last non-zero digit of a whole number as published: the rounding it may carry.

    Examples (known answers): 95,000 -> 500; 3,160,000 -> 5,000; 16,716 -> 0.5.
    """
    n = round(abs(x))
    if n == 0:
        return 0.5
    unit = 1
    while n % (unit * 10) == 0:
        unit *= 10
    return unit / 2


def annual_share(numerator: float | None, denominator: float | None, floor: float) -> dict:
    """One year of an 'at least ``floor`` % of the budget' obligation: the share (%), its bounds when both inputs
    carry the rounding of their last digit (:func:`half_unit`), and the rating (:data:`ANNUAL_RATINGS`).

    Example (known answer): 95,000 of 3,160,000 is 3.006%; bounds 94,500 / 3,165,000 = 2.986% and
    95,500 / 3,155,000 = 3.027%, which straddle 3: 'within rounding'.
    """
    if numerator is None or denominator is None or not denominator:
        return {"share": None, "share_low": None, "share_high": None, "rating": "not known"}
    share = numerator / denominator * 100.0
    lo = (numerator - half_unit(numerator)) / (denominator + half_unit(denominator)) * 100.0
    hi = (numerator + half_unit(numerator)) / (denominator - half_unit(denominator)) * 100.0
    rating = "met" if lo >= floor else "not met" if hi < floor else "within rounding"
    return {"share": share, "share_low": lo, "share_high": hi, "rating": rating}


def rising(shares: list[float | None]) -> str | None:
    """'rising over time', checked on consecutive known shares: 'yes', 'no', or None (fewer than two known)."""
    known = [x for x in shares if x is not None]
    if len(known) < 2:
        return None
    return "yes" if all(b > a for a, b in zip(known, known[1:], strict=False)) else "no"


def annual_status(outturn_ratings: list[str]) -> str:
    """The status of an annual obligation from its outturns: off track if a year was not met, on track when every
    year is met, not measurable while any is within rounding, no period data without an outturn."""
    known = [r for r in outturn_ratings if r != "not known"]
    if not known:
        return "no period data"
    if "not met" in known:
        return "off track"
    if "within rounding" in known:
        return "not measurable"
    return "on track"


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
    plan: bool = False  # its values are plans, not outturns
    # r57's own estimate beyond the observations (year, value, low, high): shown beside them, never part of the series
    model_estimate: tuple[int, float, float, float] | None = None
    not_found: str = ""  # where the data mark its indicator not found: what the compiler found (their note)

    @property
    def note(self) -> list[tuple[str, dict]]:
        """The ``why`` of its reason or of what was not found (none without either)."""
        return [("note", {"text": self.reason, "not_found": self.not_found})] if self.reason or self.not_found else []


def points_since(s: pd.Series, start: int | None) -> int:
    """How many observations of ``s`` a pace from ``start`` to the latest rests on (0 without a start)."""
    return 0 if start is None else int((s.dropna().index >= start).sum())


def window_verdicts(row: dict, s: pd.Series, needed: float | None, log: bool, p: dict) -> None:
    """Fill the short- and long-window paces and verdicts of ``row`` (pace needed ``needed``, None when met); a
    window whose pace rests on fewer than :data:`MIN_PACE_POINTS` observations gives no verdict."""
    row["pace_short"], row["pace_short_from"] = pace_seen(s, SHORT_WINDOW_YEARS, log=log)
    row["pace_long"], row["pace_long_from"] = pace_long(s, log=log)
    if needed is None:
        return
    if not log:  # the record against the pace needed: the fastest move seen and the years to the target at it
        row["fastest_pace"], row["fastest_pace_from"] = fastest_pace(s, lower_is_better=needed < 0)
        row["years_at_fastest_pace"] = years_to_target(float(s.iloc[-1]), row["target_level"], row["fastest_pace"])
    kw = {"on_track_ratio": p["on_track_ratio"], "acceleration_ratio": p["acceleration_ratio"]}
    for w in ("short", "long"):
        pace = row[f"pace_{w}"] if points_since(s, row[f"pace_{w}_from"]) >= MIN_PACE_POINTS else None
        row[f"status_{w}"], row[f"pace_ratio_{w}"] = pace_status(pace, needed, **kw)


# a tracker row's columns, in order (results.json lists them so)
ROW_COLUMNS = (
    "target_id target text_vi target_as_written target_year definition source unit latest_value latest_year "
    "latest_is_estimate latest_is_plan latest_low latest_high model_estimate model_estimate_year model_estimate_low "
    "model_estimate_high target_level pace_needed pace_short pace_short_from pace_long "
    "pace_long_from pace_unit pace_ratio_short pace_ratio_long status_short status_long windows_agree fastest_pace "
    "fastest_pace_from years_at_fastest_pace projected projected_lo projected_hi interval_pct interval_coverage_pct "
    "interval_note interval_coverage_at_horizon_pct projection_method method_why backtest_pairs backtest_mae backtest_coverage_pct status reason why "
    "is_proxy"
).split()
# the units (the API's) of a row's figures in the row's own unit or pace unit (others: by their names' endings)
ROW_UNITS = {
    **dict.fromkeys(
        "latest_value latest_low latest_high model_estimate target_level projected".split(), "the row's unit"
    ),
    **dict.fromkeys("pace_needed pace_short pace_long fastest_pace".split(), "the row's pace_unit"),
    **dict.fromkeys(("pace_ratio_short", "pace_ratio_long"), "pace seen / pace needed"),
}


def empty_row(t: Target) -> dict:
    """A tracker row with every column, nothing measured yet (``target_as_written`` and ``reason`` are worded by
    the report; ``why``: the (code, values) pairs of why the status is what it is)."""
    row = dict.fromkeys(ROW_COLUMNS)
    row.update(target_id=t.target_id, target=t.text_en, text_vi=t.text_vi, target_year=t.year, why=[])
    row.update(dict.fromkeys(("target_as_written", "definition", "source", "unit", "reason"), ""))
    return row | dict.fromkeys(("latest_is_estimate", "latest_is_plan", "is_proxy"), False)


def calibrated_interval(
    center: float, lo: float, hi: float, chosen: Backtest | None, nominal_pct: float
) -> tuple[float | None, float | None, float | None, str | None]:
    """The projection's interval widened about ``center`` on each side by the conformal factor of its backtest scores
    (:func:`backtest.conformal_factor`), and the share of those scores it then covers: (lo, hi, coverage %, None), or
    (None, None, None, why) when it is withheld: a code, one of ``too_few_backtest_pairs``, ``zero_width``,
    ``no_interval``."""
    if not (np.isfinite(lo) and np.isfinite(hi)):
        return None, None, None, "no_interval"
    factor = conformal_factor(chosen.scores, nominal_pct) if chosen else None
    if factor is None:
        return None, None, None, "too_few_backtest_pairs"
    wlo, whi = center - factor * (center - lo), center + factor * (hi - center)
    if not whi > wlo:
        return None, None, None, "zero_width"
    return wlo, whi, sum(x <= factor for x in chosen.scores) / len(chosen.scores) * 100.0, None


def assess(t: Target, m: Measure, p: dict) -> dict:
    """One tracker row for target ``t`` measured by ``m`` under the tracker's parameters ``p``: the status from the
    pace seen against the pace needed, the projection beside it, ``why`` as (code, values) pairs."""
    s = m.series.dropna().sort_index()
    s = s[s.index <= p["as_of_year"]]
    row = empty_row(t) | {"definition": m.definition, "source": m.source, "unit": m.unit}
    if m.kind == "none":
        return row | {"status": "no data", "why": m.note}
    if s.empty:  # no observation up to as_of_year: when the series starts, if it does
        full = m.series.dropna()
        first = int(full.index.min()) if len(full) else None
        return row | {"status": "no data", "why": [("no_observation", {"year": p["as_of_year"], "first": first})]}
    latest_year, latest = int(s.index[-1]), float(s.iloc[-1])
    row.update(
        latest_value=latest,
        latest_year=latest_year,
        latest_is_estimate=latest_year in m.estimate_years,
        latest_is_plan=m.plan,
        is_proxy=m.kind == "proxy",
    )
    if m.model_estimate is not None:
        keys = ("model_estimate_year", "model_estimate", "model_estimate_low", "model_estimate_high")
        row.update(zip(keys, m.model_estimate, strict=True))
    note = m.note
    if m.kind == "proxy":
        return row | {"status": "not measurable", "why": note}
    log = t.is_growth
    # a code: LABELS["pace_unit"], or the row's unit a year (in percentage points for a share)
    row["pace_unit"] = "pct_a_year" if log else ("points_a_year" if t.is_share else "unit_a_year")
    if log:
        # a growth target runs over the Resolution's period: growth from the base year to the latest observation
        row["pace_needed"] = t.value
        row["target_level"] = None
        window_verdicts(row, s, t.value, log, p)
        base = s[s.index == TARGET_PERIOD_BASE_YEAR]
        if latest_year <= TARGET_PERIOD_BASE_YEAR or base.empty:
            why = [("no_target_period_data", {"base": TARGET_PERIOD_BASE_YEAR, "year": latest_year})]
            prev = s[s.index == latest_year - 1]
            if len(prev) and float(prev.iloc[0]) > 0:  # the latest year's own growth, beside the window averages
                row["latest_annual_growth"] = (latest / float(prev.iloc[0]) - 1.0) * 100.0
                why.append(("growth_in_year", {"year": latest_year, "pace": row["latest_annual_growth"]}))
            return row | {"status": "no period data", "why": why + note}
        grew = ((latest / float(base.iloc[0])) ** (1.0 / (latest_year - TARGET_PERIOD_BASE_YEAR)) - 1.0) * 100.0
        st, _ratio = pace_status(
            grew, t.value, on_track_ratio=p["on_track_ratio"], acceleration_ratio=p["acceleration_ratio"]
        )
        why = [("grew", {"pace": grew, "base": TARGET_PERIOD_BASE_YEAR, "year": latest_year})]
        return row | {"status": st, "why": why + note}
    row = level_verdicts(row | {"target_level": t.value}, t, s, p)
    if row["pace_needed"] is not None and not is_met(latest, t):
        project(row, t, s, p)
    return row | {"why": row["why"] + note}


def level_verdicts(row: dict, t: Target, s: pd.Series, p: dict, scaled: tuple[pd.Series, float] | None = None) -> dict:
    """The status of level target ``t`` (a rank's too) from its series ``s`` (sorted, up to as_of_year): on track
    when the latest value meets it (:func:`is_met`), off track when the latest value is for the target year or
    later, else the pace seen against the pace needed (thresholds of ``p``), read on ``scaled`` (series, goal)
    where given; not measurable when no window's pace rests on :data:`MIN_PACE_POINTS` observations. ``row`` (with
    ``target_level``) gains ``pace_needed`` (0 when met), the windows' paces and verdicts, ``status`` and ``why``
    (one code: ``verdicts`` or ``at_bound`` with the observations the pace shown rests on, ``too_few_for_pace``,
    ``no_pace_seen``...)."""
    latest, latest_year, level = float(s.iloc[-1]), int(s.index[-1]), row["target_level"]
    if is_met(latest, t):
        return row | {"pace_needed": 0.0, "status": "on track", "why": [("already_met", {})]}
    if latest_year >= t.year:
        return row | {"pace_needed": None, "status": "off track", "why": [("latest_at_or_after_target_year", {})]}
    series, goal = scaled or (s, t.value)
    row.update(pace_needed=pace_needed(float(series.iloc[-1]), latest_year, goal, t.year), target_level=goal)
    window_verdicts(row, series, row["pace_needed"], False, p)
    row.update(target_level=level, status=overall_status(row["status_short"], row["status_long"]))
    row["windows_agree"] = windows_agree(row["status_short"], row["status_long"])
    w = "short" if row["status_short"] or not row["status_long"] else "long"  # the window whose pace is worded first
    facts = {"points": points_since(series, row[f"pace_{w}_from"]), "first": row[f"pace_{w}_from"], "year": latest_year}
    if row["status_short"] or row["status_long"]:  # on a 'more than' bound no ratio: the pace seen against none
        code = "verdicts" if row["pace_needed"] != 0 else "at_bound"
        return row | {"why": [(code, facts | {"pace": row[f"pace_{w}"]})]}
    if row["pace_short"] is None:
        return row | {"why": [("no_pace_seen", {})]}
    return row | {"why": [("too_few_for_pace", facts | {"needed": MIN_PACE_POINTS})]}


def series_options(t: Target, p: dict) -> dict:
    """The keywords of :func:`backtest.forecast` and :func:`backtest.choose_method` for target ``t``'s series under
    the tracker's parameters ``p`` (a growth target is fitted in logs)."""
    return {
        "log": t.is_growth,
        "interval_pct": p["interval_pct"],
        "fit_years": p["fit_years"],
        "min_points": p["min_points"],
        "pace_years": p["latest_pace_years"],
    }


def project(row: dict, t: Target, s: pd.Series, p: dict) -> None:
    """The projection beside the status: the backtest's winner, its interval calibrated on the backtest (and, as
    ``backtests``, every method's backtest). None where the backtest cannot judge it (:func:`unbacked`: its code in
    ``interval_note``, the backtest's figures kept)."""
    latest_year = int(s.index[-1])
    steps = t.year - latest_year
    if len(s) < 2:
        return
    if len(s) < MIN_POINTS_LONG_HORIZON and steps > LONG_HORIZON_YEARS:
        row["interval_note"] = "too_few_points"
        return
    kw = series_options(t, p)
    choice = choose_method(
        s, p["projection_method"], horizon=p["backtest_horizon_years"], min_pairs=p["min_backtest_pairs"], **kw
    )
    chosen = choice.chosen
    evidence = {
        "backtest_pairs": chosen.pairs if chosen else None,
        "backtest_mae": chosen.mae if chosen else None,
        "backtest_coverage_pct": chosen.coverage_pct if chosen else None,
        "backtests": choice.backtests,  # every method's, for the report's backtest table
    }
    if withheld := unbacked(chosen.pairs if chosen else 0, steps, p["backtest_horizon_years"], p["min_backtest_pairs"]):
        # a method that earned its place, only not this far ahead, stays the backtest table's choice
        chose = choice.method if withheld == "beyond_backtest_horizon" else None
        row.update(evidence, interval_note=withheld, backtest_method=chose)
        return
    try:
        f = clip_to_range(forecast(s.index.to_numpy(), s.to_numpy(), [t.year], choice.method, **kw), t.is_share)
    except InsufficientDataError:
        row["interval_note"] = "cannot_project"
        return
    center, lo, hi = (float(x[0]) for x in (f.center, f.lo, f.hi))
    lo, hi, cov, why = calibrated_interval(center, lo, hi, chosen, p["interval_pct"])
    row.update(
        projected=center,
        projected_lo=lo,
        projected_hi=hi,
        interval_pct=p["interval_pct"] if lo is not None else None,
        interval_coverage_pct=cov,
        interval_note=why,
        projection_method=choice.method,
        method_why=choice,  # the facts of why (worded by the report)
        **evidence,
    )


def projection_path(t: Target, m: Measure, p: dict, method: str) -> Forecast | None:
    """Year-by-year projection from the latest observation to the target year (for charts)."""
    s = m.series.dropna().sort_index()
    s = s[s.index <= p["as_of_year"]]
    if len(s) < 2 or int(s.index[-1]) >= t.year:
        return None
    years = np.arange(int(s.index[-1]) + 1, t.year + 1)
    try:
        f = forecast(s.index.to_numpy(), s.to_numpy(), years, method, **series_options(t, p))
    except InsufficientDataError:
        return None
    f = clip_to_range(f, t.is_share)
    last = float(s.iloc[-1])  # start the drawn path at the latest observation
    return Forecast(
        f.method, np.r_[int(s.index[-1]), f.years], np.r_[last, f.center], np.r_[last, f.lo], np.r_[last, f.hi]
    )


def clip_to_range(f: Forecast, share: bool) -> Forecast:
    """Keep a projection inside what its unit allows: nothing below 0, and a share (:attr:`Target.is_share`) at
    most 100."""
    hi = 100.0 if share else np.inf

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
