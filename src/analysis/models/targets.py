"""Every quantitative target of Resolution 57: the pace needed, the pace seen, a projection and a status.

Pure functions (pace, projection, backtest, status rule) plus the catalogue of how each target in
``data/raw/r57_targets.csv`` is measured. The report module ``targets_scenario`` wires them to the
data and to the existing R&D and rankings models.

The status rule (as in Eurostat's SDG monitoring, the EU 3% R&D target included, and UN ESCAP's progress
assessment) compares the **observed pace** with the **pace needed**; a projection never decides it:

- the latest value already meets the target: **on track** (target met);
- otherwise the *pace ratio* = observed pace / pace needed (change a year, or compound % a year for a growth
  target): at least ``on_track_ratio`` (default 0.95): **on track**; at least ``acceleration_ratio``
  (default 0.5): **needs acceleration**; below that (including moving away): **off track**;
- the observed pace is read over a short window (:data:`SHORT_WINDOW_YEARS`, from the earliest observation
  in the window to the latest) and a long window (least-squares slope over the dated observations of the
  last :data:`LONG_WINDOW_YEARS` years, needing a span of at least :data:`LONG_MIN_SPAN_YEARS`); the status is
  the short window's verdict (the long window's where there is no short one), and both are kept;
- a value exists but there is no agreed indicator (only a proxy) or no pace can be read: **not measurable**;
  nothing measured: **no data** (the reason is stated).

A projection (:func:`forecast`, the method that wins :func:`backtest`) is reported beside the status, with
an interval widened until its backtest coverage reaches the nominal level (:func:`conformal_factor`), or
withheld with the reason.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analysis import i18n
from analysis.data.labels import label
from analysis.i18n import N_, _
from analysis.models.backtest import (  # the one projection/backtest framework (ranks and series)
    PACE_WINDOW_YEARS,
    SERIES_METHODS,
    Backtest,
    CannotProject,
    Forecast,
    backtest,  # noqa: F401 - tg.backtest: the tracker's name for it
    choose_method,
    conformal_factor,
    coverage_after,
    forecast,
    interval_score,  # noqa: F401 - tg.interval_score: the tracker's name for it
    widen,
)

STATUSES = ("on track", "needs acceleration", "off track", "not measurable", "no data")  # codes (CSV, results.json)
METHODS = SERIES_METHODS  # the projection methods of a target's series (models.backtest.METHODS)
SHORT_WINDOW_YEARS = 5  # the status's short window
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
    "T12": N_("share of enterprises with innovation activities above 40%"),
    "T13": N_("contribution of total factor productivity (TFP) to economic growth above 55%"),
    "T14": N_("high-tech products at least 50% of total goods exports"),
    "T15": N_("digital economy at least 30% of GDP"),
    "T16": N_("rate of online public service usage by citizens and businesses above 80%"),
    "T17": N_(
        "attract at least 3 more leading world technology organisations/enterprises to locate, invest in R&D and "
        "produce in Viet Nam"
    ),
    "T18": N_("by 2045 the digital economy is at least 50% of GDP"),
    "T19": N_("by 2045 among the top 30 countries in the world in innovation"),
    "T20": N_("by 2045 among the top 30 countries in the world in digital transformation"),
    "T21": N_("cashless transactions reach 80%"),
    "T22": N_("the Human Development Index (HDI) maintained above 0.7"),
    "T23": N_("nationwide 5G coverage"),
    "T24": N_("by 2045 the share of digital-technology enterprises equal to developed countries"),
    "T25": N_("by 2045 at least 10 digital-technology enterprises on a par with those of advanced countries"),
    "T26": N_(
        "by 2045 attract at least 5 more leading world technology organisations/enterprises to locate, invest in R&D "
        "and produce in Viet Nam"
    ),
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
    N_("% of transactions"),
    N_("index (0-1)"),
    N_("% of population (NQ 03 operationalisation of 'nationwide')"),
    N_("digital-technology enterprises per 1,000 people (NQ 03 operationalisation)"),
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
                r.get("section", ""),
                r.get("comparator_vi", ""),
                r.get("wording_status", ""),
                r.get("government_docs", ""),
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


def pace_status(
    pace_observed: float | None,
    pace_required: float,
    *,
    on_track_ratio: float = 0.95,
    acceleration_ratio: float = 0.5,
) -> tuple[str | None, float | None]:
    """The verdict of one window: (status, pace ratio = observed / needed), or (None, None) without a pace.

    ``pace_required`` must not be 0 (a met target is on track before any pace is read). For a rank the pace
    needed is negative (places a year, climbing), so the ratio is still positive when moving the right way.
    """
    if pace_observed is None:
        return None, None
    if pace_required == 0:
        raise ValueError("the pace needed is 0: the target is met, no pace to compare")
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


def overall_status(short: str | None, long: str | None) -> str:
    """The status shown: the short window's verdict, else the long window's, else not measurable."""
    return short or long or "not measurable"


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
    year is met, not measurable while any is within rounding, no data without an outturn."""
    known = [r for r in outturn_ratings if r != "not known"]
    if not known:
        return "no data"
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


def window_verdicts(row: dict, s: pd.Series, needed: float | None, log: bool, p: dict) -> None:
    """Fill the short- and long-window paces and verdicts of ``row`` (pace needed ``needed``, None when met)."""
    row["pace_short"], row["pace_short_from"] = pace_seen(s, SHORT_WINDOW_YEARS, log=log)
    row["pace_long"], row["pace_long_from"] = pace_long(s, log=log)
    if not needed:
        return
    if not log:  # the record against the pace needed: the fastest move seen and the years to the target at it
        row["fastest_pace"], row["fastest_pace_from"] = fastest_pace(s, lower_is_better=needed < 0)
        row["years_at_fastest_pace"] = years_to_target(float(s.iloc[-1]), row["target_level"], row["fastest_pace"])
    kw = {"on_track_ratio": p["on_track_ratio"], "acceleration_ratio": p["acceleration_ratio"]}
    row["status_short"], row["pace_ratio_short"] = pace_status(row["pace_short"], needed, **kw)
    row["status_long"], row["pace_ratio_long"] = pace_status(row["pace_long"], needed, **kw)


def empty_row(t: Target) -> dict:
    """A tracker row with every column, nothing measured yet."""
    return {
        "target_id": t.target_id,
        "target": t.text_en,
        "text_vi": t.text_vi,
        "target_as_written": t.as_written(),
        "target_year": t.year,
        "definition": "",
        "source": "",
        "unit": "",
        "latest_value": None,
        "latest_year": None,
        "latest_is_estimate": False,
        "target_level": None,
        "pace_needed": None,
        "pace_short": None,
        "pace_short_from": None,
        "pace_long": None,
        "pace_long_from": None,
        "pace_unit": None,
        "pace_ratio_short": None,
        "pace_ratio_long": None,
        "status_short": None,
        "status_long": None,
        "fastest_pace": None,
        "fastest_pace_from": None,
        "years_at_fastest_pace": None,
        "projected": None,
        "projected_lo": None,
        "projected_hi": None,
        "interval_pct": None,
        "interval_coverage_pct": None,
        "interval_note": None,
        "projection_method": None,
        "method_why": None,
        "backtest_pairs": None,
        "backtest_mae": None,
        "backtest_coverage_pct": None,
        "status": None,
        "reason": "",
        "is_proxy": False,
    }


def calibrated_interval(
    center: float, lo: float, hi: float, chosen: Backtest | None, nominal_pct: float, steps: int, horizon: int
) -> tuple[float | None, float | None, float | None, str | None]:
    """The projection's interval widened to its backtest coverage: (lo, hi, coverage %, None), or
    (None, None, None, why) when it is withheld: a code, one of ``beyond_backtest_horizon``, ``too_few_backtest_pairs``,
    ``zero_width``, ``no_interval``."""
    if steps > horizon:
        return None, None, None, "beyond_backtest_horizon"
    if not (np.isfinite(lo) and np.isfinite(hi)):
        return None, None, None, "no_interval"
    factor = conformal_factor(chosen.scores, nominal_pct) if chosen else None
    if factor is None:
        return None, None, None, "too_few_backtest_pairs"
    wlo, whi = widen(center, lo, hi, factor)
    if not whi > wlo:
        return None, None, None, "zero_width"
    return wlo, whi, coverage_after(chosen.scores, factor), None


def assess(t: Target, m: Measure, p: dict) -> dict:
    """One tracker row for target ``t`` measured by ``m`` under parameters ``p``.

    ``p`` needs as_of_year, projection_method, interval_pct, fit_years, min_points,
    backtest_horizon_years, min_backtest_pairs, on_track_ratio, acceleration_ratio.
    The status follows the observed pace (module docstring); the projection stands beside it.
    """
    s = m.series.dropna().sort_index()
    s = s[s.index <= p["as_of_year"]]
    row = empty_row(t) | {"definition": m.definition, "source": m.source, "unit": m.unit, "reason": m.reason}
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
    row["pace_unit"] = "% a year" if log else f"{m.unit} a year"
    extra = [_(m.reason)] if m.reason else []
    if log:
        # a growth target runs over the Resolution's period: growth from the base year to the latest observation
        row["pace_needed"] = t.value
        row["target_level"] = None
        window_verdicts(row, s, t.value, log, p)
        base = s[s.index == TARGET_PERIOD_BASE_YEAR]
        if latest_year <= TARGET_PERIOD_BASE_YEAR or base.empty:
            head = _(
                "no data for the target period (growth from {base} on; the latest observation is for {year})"
            ).format(base=i18n.fmt.year(TARGET_PERIOD_BASE_YEAR), year=i18n.fmt.year(latest_year))
            prev = s[s.index == latest_year - 1]
            if len(prev) and float(prev.iloc[0]) > 0:  # the latest year's own growth, beside the window averages
                row["latest_annual_growth"] = (latest / float(prev.iloc[0]) - 1.0) * 100.0
                head += "; " + _("growth in {year}: {pace}%").format(
                    year=i18n.fmt.year(latest_year), pace=i18n.fmt.num(row["latest_annual_growth"], None)
                )
            return row | {"status": "no data", "reason": "; ".join([head, *extra])}
        grew = ((latest / float(base.iloc[0])) ** (1.0 / (latest_year - TARGET_PERIOD_BASE_YEAR)) - 1.0) * 100.0
        st, ratio = pace_status(
            grew, t.value, on_track_ratio=p["on_track_ratio"], acceleration_ratio=p["acceleration_ratio"]
        )
        head = _("grew {pace}% a year from {base} to {year}").format(
            pace=i18n.fmt.num(grew, None), base=i18n.fmt.year(TARGET_PERIOD_BASE_YEAR), year=i18n.fmt.year(latest_year)
        )
        return row | {"status": st, "reason": "; ".join([head, *extra])}
    row["target_level"] = t.value
    if is_met(latest, t):
        return row | {"pace_needed": 0.0, "status": "on track", "reason": "; ".join([_("already met"), *extra])}
    if latest_year >= t.year:
        return row | {"status": "off track", "reason": _("the latest value is for the target year or later")}
    row["pace_needed"] = pace_needed(latest, latest_year, t.value, t.year)
    window_verdicts(row, s, row["pace_needed"], log, p)
    row["status"] = overall_status(row["status_short"], row["status_long"])
    bits = [verdicts_text(row)] if row["status_short"] or row["status_long"] else [_("no pace seen")]
    project(row, t, s, p)
    row["reason"] = "; ".join([*bits, *extra])
    return row


def verdicts_text(row: dict) -> str:
    """The pace(s) seen against the pace needed, and both verdicts where they differ."""
    st, sl = row.get("status_short"), row.get("status_long")
    values = {"needed": i18n.fmt.num(row["pace_needed"], None)}
    if st and sl and st != sl:
        return _(
            "pace seen {short} a year over 5 years ({short_status}) and {long} over the long window ({long_status}) "
            "vs {needed} needed"
        ).format(
            short=i18n.fmt.num(row["pace_short"], None),
            short_status=label("target_status", st),
            long=i18n.fmt.num(row["pace_long"], None),
            long_status=label("target_status", sl),
            **values,
        )
    which = "short" if st else "long"
    return _("pace seen {seen} a year vs {needed} needed: {share} of it").format(
        seen=i18n.fmt.num(row[f"pace_{which}"], None), share=i18n.fmt.pct(row[f"pace_ratio_{which}"] * 100, 0), **values
    )


def project(row: dict, t: Target, s: pd.Series, p: dict) -> None:
    """The projection beside the status: the backtest's winner, its interval calibrated on the backtest."""
    latest_year = int(s.index[-1])
    steps = t.year - latest_year
    if len(s) < 2:
        return
    if len(s) < MIN_POINTS_LONG_HORIZON and steps > LONG_HORIZON_YEARS:
        row["interval_note"] = "too_few_points"
        return
    kw = dict(
        log=t.is_growth,
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
    except CannotProject:
        row["interval_note"] = "cannot_project"
        return
    f = clip_to_range(f, row["unit"])
    chosen = choice.chosen
    lo, hi, cov, why = calibrated_interval(
        float(f.center[0]),
        float(f.lo[0]),
        float(f.hi[0]),
        chosen,
        p["interval_pct"],
        steps,
        p["backtest_horizon_years"],
    )
    row.update(
        projected=float(f.center[0]),
        projected_lo=lo,
        projected_hi=hi,
        interval_pct=p["interval_pct"] if lo is not None else None,
        interval_coverage_pct=cov,
        interval_note=why,
        projection_method=choice.method,
        method_why=choice.why,
        backtest_pairs=chosen.pairs if chosen else None,
        backtest_mae=chosen.mae if chosen else None,
        backtest_coverage_pct=chosen.coverage_pct if chosen else None,
    )


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
        "The status compares the **pace seen** with the **pace needed** from the latest value to the target (the "
        "method of Eurostat's SDG monitoring and UN ESCAP's progress assessment). The pace seen is read over a short "
        "window (the last 5 years, from the earliest observation in them to the latest) and a long window (the "
        "least-squares slope over the observations of the last 15 years, when they span at least 10). **On track**: the "
        "latest value already meets the target, or the pace seen is at least {on_track} of the pace needed. **Needs "
        "acceleration**: {acceleration} to {on_track}. **Off track**: less than {acceleration}, or moving away. The "
        "short window decides (the long one where there is no short one); where the two disagree both are shown. "
        "**Not measurable**: a value but no agreed indicator (only a proxy), or no pace to read. **No data**: nothing "
        "was found (the reason is given). A growth target (e.g. +10% a year) counts over the Resolution's period, "
        "from the base year {base}: without an observation after it, there is no data for the target period (the "
        "paces before it are shown). A projection is shown beside the status and never decides it: the method with the "
        "lowest backtest error, its interval widened until it covers the nominal share of the backtest's outcomes, or "
        "withheld with the reason; none from fewer than {points} observations more than {horizon} years ahead."
    ).format(
        on_track=i18n.fmt.pct(on_track_ratio * 100, 0),
        acceleration=i18n.fmt.pct(acceleration_ratio * 100, 0),
        base=i18n.fmt.year(TARGET_PERIOD_BASE_YEAR),
        points=MIN_POINTS_LONG_HORIZON,
        horizon=LONG_HORIZON_YEARS,
    )
