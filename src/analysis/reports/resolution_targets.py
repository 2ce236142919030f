"""The Resolution 57 targets tracker (``resolution_targets``): parameters, how each target is measured,
the rows that come from the R&D and rankings models, and the claims check."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from pandas.api.types import is_scalar

from analysis import i18n
from analysis.data import datasets, observed
from analysis.data.labels import label
from analysis.data.schema import valued
from analysis.errors import ParameterError
from analysis.i18n import N_, NC_, _
from analysis.models import backtest as rk_bt
from analysis.models import rankings as rk
from analysis.models import targets as tg
from analysis.reports import ecosystem_rankings as rs  # also registers the report whose parameters run() validates
from analysis.reports import rd_paths
from analysis.reports.editorial import (  # the tracker's editorial content, shared with the rankings report
    CLAIM_COLUMNS,
    NQ03_ROW,
    WDI_DATASETS,
    claim_outcome,
    claims_table,
    editorial,
    not_found_note,
    note_parts,
    target_name,
)
from analysis.reports.params import INTERVAL_PCT, KeyFigure, NotebookSpec, ParamSpec, register, validate
from analysis.reports.rd_paths import RD_DATASETS, RdData, resolution_floors
from analysis.reports.render import fixed, whole_ticks
from analysis.reports.words import verdicts_text

LATEST_DATA_YEAR = 2026  # the newest value in the snapshots (the 2026 budget plan)

# name: (kind, default, unit, limits); the help and the reason for the default in _TARGET_WORDS
_TARGET_SHAPES: dict[str, tuple[Any, ...]] = {
    "as_of_year": ("int", LATEST_DATA_YEAR, "year", dict(lo=2016, hi=LATEST_DATA_YEAR)),
    "targets": ("str", "all", "", {}),
    "projection_method": ("str", "auto", "", dict(choices=("auto", *rk_bt.SERIES_METHODS))),
    "fit_years": ("int", rk_bt.FIT_YEARS, "years", dict(lo=3, hi=30)),
    "latest_pace_years": ("int", rk_bt.PACE_WINDOW_YEARS, "years", dict(lo=1, hi=20)),
    "min_points": ("int", rk_bt.MIN_POINTS, "observations", dict(lo=3, hi=15)),
    "backtest_horizon_years": ("int", 5, "years", dict(lo=1, hi=10)),
    "min_backtest_pairs": ("int", tg.MIN_BACKTEST_PAIRS, "forecast-actual pairs", dict(lo=1, hi=100)),
    "on_track_ratio": ("float", tg.ON_TRACK_RATIO, "share of the gap", dict(lo=0.5, hi=1.0)),
    "acceleration_ratio": ("float", tg.ACCELERATION_RATIO, "share of the gap", dict(lo=0.0, hi=0.95)),
}
_TARGET_WORDS = {
    "as_of_year": (
        N_(
            "Assess with the observations up to this year only (to see what the tracker would have said then). For a "
            "Southeast Asian position before the latest edition, the latest position is assumed to hold."
        ),
        f"{LATEST_DATA_YEAR}: every observation in the snapshots.",
    ),
    "targets": (
        N_("Which targets to track: 'all' or target ids separated by commas (T01a, T01b, ..., as in r57_targets.csv)."),
        "The tracker's purpose is every target.",
    ),
    "projection_method": (
        N_(
            "How a series is projected to its target year: 'auto' (the method with the lowest backtest error), or "
            "'linear_trend': straight-line trend fitted by least squares on the last fit_years years; "
            "'naive_last_value': the latest value holds (random walk); 'naive_last_pace': the latest pace continues "
            "(average change a year over the last latest_pace_years years). For world-rank targets 'linear_trend' "
            "means the ecosystem_rankings model's trend and a naive method means the latest rank holds."
        ),
        "A trend must beat the naive forecasts on the indicator's own history to be used.",
    ),
    "fit_years": (
        N_("The trend and the spread of yearly changes use the observations of the last this many years."),
        "Ten years cover the current regime without the early jumps of series that start from almost nothing "
        "(articles, high-tech exports in the 2000s).",
    ),
    "latest_pace_years": (
        N_(
            "'The latest pace' (the naive_last_pace method) is the average change a year from the earliest observation of "
            "the last this many years to the latest one."
        ),
        "Five years: the same window as the first pace-seen column, long enough to span a biennial series' two "
        "observations.",
    ),
    "min_points": (
        N_("Fewest observations for a trend fit and for a backtest origin."),
        "Four points leave two degrees of freedom for the trend's scatter.",
    ),
    "backtest_horizon_years": (
        N_("Backtest: from every origin, every later observation up to this many years ahead is forecast and scored."),
        "The targets are five to seven years from the latest data; shorter horizons would flatter every method.",
    ),
    "min_backtest_pairs": (
        N_(
            "Fewest past forecasts the backtest must check against the published outcome to choose a method and to "
            "show a projection; with fewer, nothing shows how reliable a projection is and none is shown (the "
            "projection note says so)."
        ),
        "Below five pairs one lucky forecast decides the choice.",
    ),
    "on_track_ratio": (
        N_("On track when the pace seen is at least this share of the pace needed to reach the target."),
        "Eurostat's SDG monitoring of quantified targets rates progress by the ratio of the observed to the required "
        "pace; about 95% of what is needed counts as on track.",
    ),
    "acceleration_ratio": (
        N_(
            "Needs acceleration when the pace seen is at least this share of the pace needed (but less than "
            "on_track_ratio); below it, off track."
        ),
        "Half the needed pace separates 'progress too slow' from 'far off' in the SDG progress charts.",
    ),
}
_SPECS = [
    ParamSpec(name, kind, default, unit, *_TARGET_WORDS[name], **limits)
    for name, (kind, default, unit, limits) in _TARGET_SHAPES.items()
]
TARGET_PARAMS: tuple[ParamSpec, ...] = (*_SPECS[:3], INTERVAL_PCT, *_SPECS[3:])  # interval_pct: shared with rankings


def _selected(text: str) -> list[str] | None:
    if text.strip().lower() == "all":
        return None
    return [x.strip() for x in text.split(",") if x.strip()]


def _check(p: dict[str, Any]) -> None:
    if p["acceleration_ratio"] >= p["on_track_ratio"]:
        raise ParameterError(
            "acceleration_ratio",
            f"{p['acceleration_ratio']} is not below on_track_ratio {p['on_track_ratio']}",
            f"0 to {p['on_track_ratio']} (exclusive)",
        )
    ids = _selected(p["targets"])
    if ids is not None:
        if not ids:
            raise ParameterError("targets", "names no target", "'all' or ids such as 'T04,T07'")
        known = [t.target_id for t in tg.load_targets()]
        unknown = [i for i in ids if i not in known]
        if unknown:
            raise ParameterError("targets", f"unknown target id {unknown[0]!r}", "'all' or some of " + ", ".join(known))


def as_written(t: tg.Target) -> str:
    """'>= 12 (persons per 10,000 population) by 2030' style text, in the current language."""
    c, f = t.comparator, i18n.fmt
    unit, year = _(t.unit), f.year(t.year)
    if c == "top_n":
        return _("top {n} ({unit}) by {year}").format(n=f.sig(t.value), unit=unit, year=year)
    if c.startswith("between_"):
        lo, hi = c.removeprefix("between_").split("_")
        return _("{low}-{high} ({unit}) by {year}").format(low=lo, high=hi, unit=unit, year=year)
    head = (">" if c == "more_than" else i18n.pgettext("comparator", ">=")) + f" {f.sig(t.value)}"
    return _("{at_least} ({unit}) by {year}").format(at_least=head, unit=unit, year=year)


# the words of the codes of a row's ``why`` (:func:`targets.assess`), filled with the code's values
_WHY_WORDS = {
    "no_observation": N_("no observation up to {year:year} (the series starts in {first:year})"),
    "no_target_period_data": N_(
        "no observation for the target period (growth from {base:year} on; the latest observation is for {year:year})"
    ),
    "growth_in_year": N_("growth in {year:year}: {pace:auto}%"),
    "grew": N_("grew {pace:auto}% a year from {base:year} to {year:year}"),
    "already_met": N_("already met"),
    "latest_at_or_after_target_year": N_("the latest value is for the target year or later"),
    "no_pace_seen": N_("no pace seen"),
    "too_few_for_pace": N_(
        "too few observations for a pace: {points:num} ({first:year}-{year:year}), at least {needed:num} needed"
    ),
    "at_bound": N_("exactly at the bound it must exceed: pace seen {pace:auto} a year ({first:year}-{year:year})"),
}


def reason_text(row: dict[str, Any]) -> str:
    """The words of a row's ``why`` (:func:`targets.assess`'s codes and values), in the current language."""

    def words(code: str, values: dict[str, Any]) -> str:
        if code == "note":
            return note_words(values["text"], values["not_found"])
        if code == "verdicts":
            return verdicts_text(row)
        if code == "worse_of":  # T10: the worse of its measures (definition, status) decides
            said = "; ".join(f"{_(d)}: {label('target_status', st)}" for d, st in values["statuses"])
            return _("the worse of: {statuses}").format(statuses=said)
        if code == "annual":  # T06: rated year by year (t06_by_year), the plans' ratings
            return t06_words(values["by_year"])
        if code == "annual_alt":
            return _("rated on outturns year by year, as the main row; {reason}").format(
                reason=note_words(values["reason"], values["not_found"])
            )
        if code == "no_observation" and values["first"] is None:
            return _("no observation up to {year:year}").format_map(values)
        return _(_WHY_WORDS[code]).format_map(values)

    said = [words(code, values) for code, values in row["why"]]
    if row.get("latest_is_plan"):  # the latest value is a plan (its measure's ``plan``), beside its status
        said.insert(0, _("latest value: {year:year} plan, not an outturn").format(year=row["latest_year"]))
    return "; ".join(said)


def method_why_text(choice: rk_bt.Choice) -> str:
    """Why a projection uses its method (:func:`backtest.choose_method`'s facts) in the current language; methods by
    their codes, as ``projection_method`` and the backtest table name them in results.json."""
    if choice.code == "set_by_user":
        return _("set by the user")
    rivals = ", ".join(f"{b.method} {i18n.fmt.sig(b.mae, 3)}" for b in choice.rivals)
    return _("lowest backtest error ({error:sig.3} vs {rivals}; {pairs:num} pairs)").format(
        error=choice.chosen.mae, rivals=rivals, pairs=choice.chosen.pairs
    )


def projection_note(row: dict[str, Any], p: dict[str, Any]) -> str:
    """Why row ``row`` has no projection or no interval (its ``interval_note``, worded as the rankings report words
    it: :func:`ecosystem_rankings.interval_note_words`), with the figures judged, in the current language; empty
    where the interval is printed. ``p``: the tracker's parameters."""
    code = row.get("interval_note")
    if _missing(code):
        return ""
    if code in rs.WITHHELD:
        why = rs.withheld_note(code, row["backtest_pairs"], p["min_backtest_pairs"])
        return _("not projected: {why}").format(why=why)
    words = rs.interval_note_words(code, rs.percent(p["interval_pct"]))
    if code == "coverage_below_nominal":
        words += " " + _(
            "({interval_coverage_at_horizon_pct:pct.0} at the {target_year:year} horizon; "
            "{backtest_coverage_pct:pct.0} over all horizons, as in the backtest table)"
        ).format_map(row)
    return words


def status_rule_text(p: dict[str, Any]) -> str:
    """The status rule in words, with the thresholds in force (``p``: the tracker's parameters)."""
    return _(
        "The status compares the **pace seen** with the **pace needed** from the latest value to the target (the "
        "method of Eurostat's SDG monitoring and UN ESCAP's progress assessment). The pace seen is read over a short "
        "window (the last {short_years:num} years, from the earliest observation in them to the latest, at "
        "least {min_points} observations) and a long window (the least-squares slope over the observations of the "
        "last {long_years:num} years, when they span at least {long_span_years:num}). **On track**: the latest value already meets the target, or the pace seen is at "
        "least {on_track} of the pace needed. **Needs acceleration**: {acceleration} to {on_track}. **Off track**: "
        "less than {acceleration}, or moving away. Where both windows rate a target, the less favourable verdict "
        "decides and both are shown: a recent move alone does not put a target on track when the long window says "
        "otherwise; where their verdicts differ, the status says the windows disagree. **Not measurable**: a value "
        "but no agreed indicator (only a proxy), no pace to read, or readings that disagree on which side of the "
        "target the value lies. **No observation for the target period**: the sources hold values, but none for the "
        "period the target counts: a growth target (e.g. +10% a year) counts over the Resolution's period, from the "
        "base year {base}, and an annual obligation by its outturns (the paces before the period are shown). **No "
        "data in this project's sources**: no value was found in the sources this project holds (the reason is "
        "given), which says nothing of whether the target is being met. The latest value is always an observation: where r57 "
        "estimates a later year (the R&D nowcast), that estimate stands beside it with its range and enters no pace "
        "and no projection. A projection is shown beside the status and never decides it: "
        "the method with the lowest backtest error, its interval widened until it covers the nominal share of the "
        "backtest's outcomes, or withheld with the reason; none from fewer than {points} observations more than "
        "{horizon} years ahead, none where the backtest could check fewer than {min_backtest_pairs} past forecasts "
        "against the published outcome, too few to show how reliable a projection is, and none for a target year "
        "further ahead than any past forecast the backtest could check (for a ranking, its index's backtest in the "
        "rankings report, on which a regional position's projection also rests)."
    ).format(
        on_track=i18n.fmt.pct(p["on_track_ratio"] * 100, 0),
        acceleration=i18n.fmt.pct(p["acceleration_ratio"] * 100, 0),
        base=i18n.fmt.year(tg.TARGET_PERIOD_BASE_YEAR),
        points=tg.MIN_POINTS_LONG_HORIZON,
        horizon=tg.LONG_HORIZON_YEARS,
        min_points=tg.MIN_PACE_POINTS,
        min_backtest_pairs=p["min_backtest_pairs"],
        short_years=tg.SHORT_WINDOW_YEARS,
        long_years=tg.LONG_WINDOW_YEARS,
        long_span_years=tg.LONG_MIN_SPAN_YEARS,
    )


def row_words(row: dict[str, Any]) -> dict[str, Any]:
    """The ``reason`` and ``method_why`` (:func:`method_why_text`) of row ``row`` (:func:`targets.assess`'s) in the
    current language."""
    if row.get("method_why") is None:
        return {"reason": reason_text(row)}
    return {"reason": reason_text(row), "method_why": method_why_text(row["method_why"])}


# ----------------------------------------------------------------------------- data and measures


@dataclass(frozen=True)
class TargetsData:
    targets: list[tg.Target]
    ind: pd.DataFrame
    wdi: dict[str, pd.DataFrame]
    gerd: pd.DataFrame
    budget: pd.DataFrame

    @classmethod
    def load(cls) -> TargetsData:
        wdi = {n: datasets.load(n) for n in WDI_DATASETS}
        ind, gerd, budget = (datasets.load(n) for n in ("vn_r57_indicators", "vn_gerd", "vn_state_budget"))
        return cls(tg.load_targets(), ind, wdi, gerd, budget)

    @cached_property
    def rd(self) -> RdData:
        """rd_paths' data, loaded when first needed: the GERD start estimate and the rd_paths run share what it builds."""
        return RdData.load()

    def frame(self, name: str) -> pd.DataFrame:
        """The loaded dataset ``name`` (one of :data:`SERIES_DATASETS`)."""
        return {"vn_r57_indicators": self.ind, "vn_state_budget": self.budget, "vn_gerd": self.gerd, **self.wdi}[name]


def _vn(df: pd.DataFrame, indicator: str, source_prefix: str = "", scale: float = 1.0) -> pd.Series:
    rows = valued(df, indicator, entity="VNM").dropna(subset=["year"])
    if source_prefix:
        rows = rows[rows["source"].str.startswith(source_prefix)]
    rows = rows.sort_values("year").drop_duplicates("year", keep="last")
    return pd.Series(rows["value"].to_numpy() * scale, index=rows["year"].astype(int).to_numpy(), dtype=float)


_MONTHS = {m: i for i, m in enumerate("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split(), start=1)}


def vintage_key(detail: str) -> int:
    """'vintage Jan-2026' / 'vintage 4 Dec 2023' -> year * 12 + month; 0 if no vintage is named."""
    m = re.search(r"vintage (?:\d+ )?([A-Z][a-z]{2})[a-z]*[- ](\d{4})", detail)
    return int(m.group(2)) * 12 + _MONTHS.get(m.group(1), 0) if m else 0


def gso_digital_economy(ind: pd.DataFrame) -> tuple[pd.Series, tuple[int, ...]]:
    """GSO/NSO digital-economy value added, % of GDP: for each year the value of the latest vintage.
    Returns the series and the years whose value is the agency's preliminary estimate."""
    rows = valued(ind, "digital_economy_va_share_gdp", entity="VNM").copy()
    rows["vintage"] = rows["source_detail"].map(vintage_key)
    rows = rows[rows["vintage"] > 0].sort_values(["year", "vintage"]).drop_duplicates("year", keep="last")
    s = pd.Series(rows["value"].to_numpy(), index=rows["year"].astype(int).to_numpy(), dtype=float)
    return s, tuple(int(y) for y in rows.loc[rows["value_type"] == "estimate", "year"])


def note_words(reason: str, not_found: str = "") -> str:
    """A measure's reason (an editorial note listed with N_), or what was found where the data mark its indicator
    not found (``not_found``, their note: 'a | b | url (remark)', worded part by part, each a whole note), in words."""
    if not_found:
        note = " | ".join(f"{url} {_(text)}" if url else _(text) for url, text in note_parts(not_found))
        return _("not found: {note}").format(note=note)
    return _(reason)


def _series(d: TargetsData, spec: Any) -> tuple[pd.Series, tuple[int, ...], tuple[int, float, float, float] | None]:
    """A measure's series from its ``series`` spec (:data:`EDITORIAL_SCHEMA`; a claim's figure is read the same way):
    the observations, the years the agency published as preliminary estimates, and r57's own estimate beyond them
    (year, value, low, high) or None. A plain spec: Viet Nam's ``indicator`` (a list: joined) in ``dataset`` from
    the sources starting ``source_prefix``, times ``scale``, divided by (``per``) or multiplied by (``times``) a
    second series of the same year."""
    if spec == "gerd_start":
        return _gerd_with_start(d)
    if spec == "gerd_ministry":
        return observed.gerd_share_series(d.gerd, "ministry"), (), None
    if spec == "gso_digital_economy":
        de, est = gso_digital_economy(d.ind)
        return de, est, None
    names = spec["indicator"] if isinstance(spec["indicator"], list) else [spec["indicator"]]
    frame = d.frame(spec["dataset"])
    s = pd.concat([_vn(frame, n, spec.get("source_prefix", ""), spec.get("scale", 1.0)) for n in names])
    for op, combine in (("per", pd.Series.div), ("times", pd.Series.mul)):
        if op in spec:
            s = combine(s, _vn(d.frame(spec[op]["dataset"]), spec[op]["indicator"])).dropna()
    return s, (), None


def measures(d: TargetsData) -> dict[str, list[tg.Measure]]:
    """How each target is measured (``measures`` of :func:`editorial`): the first measure is the one the tracker's
    status uses; the others are other agencies' definitions, shown side by side (never averaged or spliced)."""
    spec = editorial()["measures"]
    out: dict[str, list[tg.Measure]] = {}
    for tid, entries in spec.items():
        entries = spec[entries] if isinstance(entries, str) else entries  # measured as another target is
        out[tid] = []
        for e in entries:
            series, est, modelled = _series(d, e["series"]) if "series" in e else (pd.Series(dtype=float), (), None)
            reason, found = e.get("reason", ""), ""
            if "not_found" in e:  # what the data say was found, or that nothing was
                found = not_found_note(d.ind, e["not_found"]) or ""
                reason = "" if found else N_("no data found")
            labels = [e.get(k, "") for k in ("definition", "source", "unit")]
            kind = e.get("kind", "series")
            measure = tg.Measure(tid, *labels, series, kind, reason, est, e.get("plan", False), modelled, found)
            out[tid].append(measure)
    return out


# ----------------------------------------------------------------------------- rows from the existing models

# the rows the rankings model fills: definition, source and unit (English in results.json; shown translated)
RANK_DEFINITION = {"sea": N_("Position in Southeast Asia, {index}"), "world": N_("World rank, {index}")}  # by scope
RANK_SOURCE = N_("{index} (via the rankings report's data)")
RANK_UNIT = {"sea": N_("position in Southeast Asia"), "world": N_("world rank")}


def _rank_reason(tr: dict[str, Any], spec: rk.RankTarget) -> str:
    """Why a ranking row (the rankings model's ``tr``) stands where no pace window rates it: the model's refusal, or
    its projection (every edition: the rankings report's words)."""
    exc = tr.get("refusal")
    if exc is not None and exc.code == "no_edition_up_to":
        return _("no edition up to {year}").format(year=i18n.fmt.year(exc.facts["year"]))
    if exc is not None:
        return rs.refusal_words(exc)
    if tr["projected"] is None:  # withheld on a thin backtest (the model's rule): its projection note says why
        return ""
    if tr["as_of_year"] is None:
        return rs.target_words(spec, tr)["reason"]
    if tr["method"] == "naive_last_value":
        return _(
            "the latest position is assumed to hold (the regional projection is not recomputed "
            "for an earlier as_of_year)"
        )
    return _(
        "projected {projected} vs target {target} (the spread of the interval "
        "comes from every published edition's changes)"
    ).format(projected=i18n.fmt.num(tr["projected"], 0), target=tr["target_rank"])


def rank_row(t: tg.Target, p: dict[str, Any], rank_params: dict[str, Any]) -> tuple[dict[str, Any], pd.Series]:
    """A ranking target's row, the rankings model's facts on the editions up to ``as_of_year`` with this report's
    thresholds (:func:`rankings.track_target`, status included: one computation), ``why`` the facts
    :func:`rank_words` words; and the target's history (every edition, for its chart). The model withholds a
    projection whose backtest scored fewer than ``min_backtest_pairs`` forecasts, as for a series."""
    spec = rk.RankTarget(t, *rk.TARGET_INDICES[t.indicator])
    settings = {k: p[k] for k in (*rk.THRESHOLDS, "min_backtest_pairs")}
    tr = rk.track_target(spec, rank_params | settings, as_of_year=p["as_of_year"])
    withheld = tr.get("interval_note") in rs.WITHHELD  # by rankings.withheld
    pairs = tr["backtest"]["backtest_cases"] if tr["projected"] is not None or withheld else None
    title = rk.INDICES[spec.index].title
    row = tg.empty_row(t) | {
        "why": [("ranking", {"tracked": tr, "spec": spec})],
        "reason_codes": [],
        "definition": RANK_DEFINITION[spec.scope].format(index=title),
        "source": RANK_SOURCE.format(index=title),
        "unit": RANK_UNIT[spec.scope],
        "latest_value": tr["latest"],
        "latest_year": tr["latest_edition"],
        "target_level": t.value,
        "pace_unit": "places_a_year",  # a code, worded by rank_words
        "projected": tr["projected"],
        "projection_method": tr["method"] if tr["projected"] is not None else None,
        "backtest_pairs": pairs,
    }
    history = rk.target_history(spec)[0]
    if tr["latest"] is None:
        return row | {"status": "not measurable"}, history
    if spec.scope == "world" and pairs is not None:  # the rankings model's backtest figures (kept if withheld)
        f = tr["backtest"]
        row["backtests"] = [
            tg.Backtest(tr["method"], f["backtest_cases"], f["backtest_mae_places"], f["backtest_coverage_pct"])
        ]
        if tr["method"] != "naive":  # and the forecast it had to beat, on the same cases
            row["backtests"].append(
                tg.Backtest("naive", f["backtest_cases"], f["naive_mae_places"], f["naive_coverage_pct"])
            )
        row.update(backtest_mae=f["backtest_mae_places"], backtest_coverage_pct=f["backtest_coverage_pct"])
        if tr["interval_note"] == "beyond_backtest_horizon":  # chosen by the backtest, only not this far ahead
            row["backtest_method"] = tr["method"]
        if tr["projected_lo"] is not None:  # printed only where the rankings model's backtest supports it
            row.update(
                projected_lo=tr["projected_lo"],
                projected_hi=tr["projected_hi"],
                interval_pct=p["interval_pct"],
                interval_coverage_pct=tr["backtest_coverage_pct"],
            )
    row["interval_note"] = tr.get("interval_note")
    if row["interval_note"] == "coverage_below_nominal":  # the coverage at the target's horizon that withheld it
        row["interval_coverage_at_horizon_pct"] = tr["backtest_coverage_pct"]
    row.update({k: v for k, v in tr["verdicts"].items() if k not in ("target_level", "why")})
    return row, history


def rank_words(row: dict[str, Any], rank_params: dict[str, Any]) -> dict[str, Any]:
    """The ``reason`` and ``method_why`` of ranking row ``row`` (:func:`rank_row`'s) in the current language."""
    facts = dict(row["why"])["ranking"]
    tr, spec = facts["tracked"], facts["spec"]
    out = {}
    if tr["projected"] is not None:
        why = rs.method_used(spec.index, rank_params)[1]
        out["method_why"] = _("the rankings report's model: {why}").format(why=why)
        if spec.scope == "sea":
            out["method_why"] += "; " + _(
                "regional position = rank of Viet Nam's projection among its neighbours' projections"
            )
    if tr["latest"] is None:
        reason = _rank_reason(tr, spec)
        if spec.index == "imd_wdcr":
            reason += "; " + _("the Resolution names no index")
    elif tr["why"][0][0] in ("already_met", "latest_at_or_after_target_year"):
        reason = reason_text(tr)
    elif (row["status_short"] or row["status_long"]) and tr.get("refusal") is None:
        reason = rs.rank_verdicts_text(row)
    else:  # the pace's evidence (the rankings report's words), then the refusal or projection
        reason = "; ".join(x for x in [*rs.pace_words(tr["why"], row), _rank_reason(tr, spec)] if x)
    return out | {"reason": reason}


def _last_break(share: pd.Series) -> int:
    """The first year after the last step the feasibility report flags as a possible change in survey coverage
    (:func:`analysis.models.feasibility.coverage_jumps` at its default threshold; Viet Nam's 2011-2013 doubling,
    0.150% -> 0.299%), or the first year: paces are not read across a break (OECD MSTI flag b)."""
    from analysis.models import feasibility
    from analysis.reports import rd_feasibility  # noqa: F401  (registers its parameters: the threshold is its default)

    panel = pd.DataFrame({"entity": "VNM", "entity_name": "Viet Nam", "year": share.index, "value": share.to_numpy()})
    jumps = feasibility.coverage_jumps(panel, validate("rd_feasibility", {})["jump_flag_pct_per_year"])
    return int(jumps["to_year"].max()) if len(jumps) else int(share.index.min())


def _gerd_with_start(d: TargetsData) -> tuple[pd.Series, tuple[()], tuple[int, float, float, float] | None]:
    """The UIS GERD surveys (from the last break) and, beside them, the start every R&D report uses where it is
    r57's nowcast rather than a survey (:func:`nowcast.resolve_start`: one computation): (year, value, low, high)."""
    from analysis.models import nowcast

    uis = observed.gerd_share_series(d.gerd, "uis")
    uis = uis[uis.index >= _last_break(uis)]
    ev = d.rd.evidence
    sp = nowcast.resolve_start(ev.uis, ev.nowcast)
    return uis, (), None if sp.year in uis.index else (sp.year, sp.level_pct, sp.low_pct, sp.high_pct)


def rd_model(p: dict[str, Any], uis: pd.Series, data: RdData) -> dict[str, Any]:
    """The rd_paths model's run on ``data`` (the report's default when as_of_year reaches its base year, else from
    the latest survey year up to as_of_year): the GERD target's required path, the 3% target's envelope check and
    ``readings``: that check over budget spending's range (% of GDP, as rd_paths computes it:
    :func:`rd_paths.consistency_summary`) and the budget-bound non-budget share of the base year (:func:`rd_paths.budget_line_shares`)."""
    default_base = int(validate("rd_paths", {})["base_year"])
    usable = uis[(uis.index <= p["as_of_year"]) & (uis.index >= rd_paths.FIRST_BASE_YEAR)]
    if usable.empty:
        return {}
    base = default_base if p["as_of_year"] >= default_base else int(usable.index[-1])
    settings = {"base_year": base}
    try:
        pg = rd_paths.Page.build(validate("rd_paths", settings), data)
    except ParameterError as exc:  # the funding account needs that year's budget data
        if exc.name not in ("nonstate_share_base_pct", "envelope_rd_share_pct"):
            raise
        # the required path does not depend on who pays, only the envelope check does: the path with the split
        # fixed at the Resolution's non-budget floor in both years, the check reported unavailable
        floor = rd_paths.nonstate_floor_pct()
        settings |= {
            "nonstate_share_base_pct": floor,
            "nonstate_share_target_pct": floor,
            "envelope_rd_share_pct": 100.0,
        }
        _resolved, path, summary = rd_paths.run(validate("rd_paths", settings), data)
        return {"base_year": base, "path": path["share_pct"], "summary": summary, "no_funding_year": base}
    s = pg.summary  # its envelope check over budget spending's range (rd_paths.consistency_summary)
    keys = ("budget_exp_pct_gdp_low", "budget_exp_pct_gdp_high", "consistency_envelope_pct_at_floor")
    readings = {k: s[k] for k in (*keys, *rd_paths.ENVELOPE_ENDS)} | {"budget_exp_pct_gdp": pg.inp.budget_exp_pct_gdp}
    readings |= rd_paths.budget_line_shares(pg.resolved)
    path = pg.path["share_pct"]
    return {"base_year": base, "path": path, "summary": pg.summary, "no_funding_year": None, "readings": readings}


# ----------------------------------------------------------------------------- text shown to readers

_SEED = re.compile(r"\bseed (\d{3})\b")


def sources_text(text: str) -> str:
    """A target's sources ('seed 001; https://...') with the word 'seed' in the current language."""
    if i18n.current() == i18n.SOURCE_LANG:
        return text
    return _SEED.sub(lambda m: _("seed {number}").format(number=m.group(1)), text)


def shown_label(text: str | None) -> str:
    """A definition, source or unit of the tracker's rows (English in the data) in the current language."""
    if not text:
        return ""
    if i18n.current() == i18n.SOURCE_LANG:
        return text
    return _(text)


def rank_text(t: tg.Target, template: str) -> str:
    """``template`` (:data:`RANK_SOURCE`, :data:`RANK_DEFINITION`'s) for ranking target ``t``, its index named, in
    the current language."""
    return _(template).format(index=_(rk.INDICES[rk.TARGET_INDICES[t.indicator][0]].title))


def definition_text(t: tg.Target, text: str) -> str:
    """Target ``t``'s definition ``text`` (English, as results.json has it) in the current language: a ranking
    target's worded from its index, any other's from the catalogue."""
    if t.indicator in rk.TARGET_INDICES:
        return rank_text(t, RANK_DEFINITION[rk.TARGET_INDICES[t.indicator][1]])
    return shown_label(text)


def short_label(text: str, width: int, by_words: bool = False) -> str:
    """``text`` cut to ``width`` characters with '...' (chart titles and legends; ``by_words``: at a word's end),
    its catalogue marks kept."""
    inner, marked = text, text.startswith(i18n.MARK_OPEN) and text.endswith(i18n.MARK_CLOSE)
    if marked:
        inner = text[1:-1]
    if by_words:
        inner = textwrap.shorten(inner, width, placeholder="...")
    elif len(inner) > width:
        inner = inner[: width - 3] + "..."
    return f"{i18n.MARK_OPEN}{inner}{i18n.MARK_CLOSE}" if marked else inner


def pace_unit_text(code: str | None, unit: str) -> str | None:
    """The unit of a pace (a code of :data:`~analysis.data.labels.LABELS` ``["pace_unit"]``, or ``unit_a_year``:
    the row's ``unit`` a year, ``points_a_year``: that of a share) in the current language; ``None`` for none."""
    if code == "points_a_year":  # a share moves in percentage points (Vietnamese: điểm phần trăm/năm)
        return i18n.pgettext("share", "{unit} a year").format(unit=shown_label(unit))
    if code != "unit_a_year":
        return None if _missing(code) else label("pace_unit", code)
    return _("{unit} a year").format(unit=shown_label(unit))


def english_pace_units(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` (:attr:`TargetsRun.tracker` or ``.definitions``) with each ``pace_unit`` code in English words
    (:func:`pace_unit_text`), as results.json and :func:`analysis.api.targets` give it."""
    if frame.empty:
        return frame
    units = zip(frame["pace_unit"], frame["unit"], strict=True)
    with i18n.language("en"):
        return frame.assign(pace_unit=[pace_unit_text(code, unit) for code, unit in units])


# ----------------------------------------------------------------------------- tables: one value per cell


def _missing(v: Any) -> bool:
    return is_scalar(v) and pd.isna(v)


def _cell(show: Callable[[Any], str]) -> Callable[[Any], str]:
    """A cell format: ``show`` of the value, empty for a missing one."""
    return lambda v: "" if _missing(v) else show(v)


_year_cell = _cell(lambda v: i18n.fmt.year(int(v)))
_pace_cell = _cell(lambda v: i18n.fmt.sig(v, 3, sign=True))
_value_cell = _cell(lambda v: i18n.fmt.num(v, None))
_status_cell = _cell(lambda code: label("target_status", code))
WINDOWS_DISAGREE = " (windows disagree)"  # a status's suffix where its two windows' verdicts differ


def disagree(frame: pd.DataFrame) -> pd.Series:
    """Which rows of ``frame`` (a tracker) have two windows whose verdicts differ (``windows_agree`` False)."""
    return frame.get("windows_agree", pd.Series(None, index=frame.index, dtype=object)).eq(False)


def _shown_status(code: str) -> str:
    """A status (code, or code with :data:`WINDOWS_DISAGREE`) in the reader's words."""
    base = code.removesuffix(WINDOWS_DISAGREE)
    return label("target_status", base) + (" " + _("(windows disagree)") if base != code else "")


_method_cell = _cell(lambda code: label("method", code))


def _estimate_cell(v: Any) -> str:
    return i18n.pgettext("backtest", "yes") if v is True else ""


def _basis_cell(code: str) -> str | None:
    return {"plan": i18n.pgettext("budget basis", "plan"), "outturn": i18n.pgettext("budget basis", "outturn")}.get(
        code
    )


def section_cell(section: str) -> str:
    """A target's place in the Resolution: 'Resolution 57-NQ/TW, section II.1' (Vietnamese: 'Nghị quyết số
    57-NQ/TW, mục II.1')."""
    return _("Resolution 57-NQ/TW, section {section}").format(section=section) if section else ""


def government_docs_cell(text: str) -> str:
    """The Government documents that quantify a target (the data's ``government_docs``, English words around
    the Vietnamese figures), in the current language: each row of the NQ 03/NQ-CP annex through one
    catalogued template, each other part (``; ``-separated) as a catalogued data text (``tracker.yaml``)."""
    if not text:
        return ""
    parts = []
    for part in text.split("; "):
        if m := NQ03_ROW.fullmatch(part):
            template = _("NQ 03/NQ-CP (9 Jan 2025), Annex I, row {row}: {target} (unofficial transcription)")
            parts.append(template.format(row=m.group(1), target=i18n.keep(m.group(2))))
        else:
            parts.append(_(part))
    return "; ".join(parts)


# the short window's columns (their names in the CSVs; headed in _HEADER_WORDS)
PACE_SHORT = f"pace seen, last {tg.SHORT_WINDOW_YEARS} years"
STATUS_SHORT = f"status, {tg.SHORT_WINDOW_YEARS} years"
# how a cell of each column of the tracker's tables is shown, by column name (whatever the table); a name marked
# with NC_ is also the column's header (context 'targets table'), the others are headed in _HEADER_WORDS
CELL_FORMATS: dict[str, Callable[[Any], str]] = {
    NC_("targets table", "target id"): i18n.keep,
    NC_("targets table", "comparator as written"): i18n.keep,
    NC_("targets table", "as written (Vietnamese)"): i18n.keep,
    NC_("targets table", "target value"): _value_cell,
    NC_("targets table", "latest value"): _value_cell,
    NC_("targets table", "r57 model estimate (not data)"): _value_cell,
    NC_("targets table", "model estimate's range, low"): _value_cell,
    NC_("targets table", "model estimate's range, high"): _value_cell,
    "projected value": _value_cell,
    NC_("targets table", "interval low"): _value_cell,
    NC_("targets table", "interval high"): _value_cell,
    NC_("targets table", "year"): _year_cell,
    NC_("targets table", "target year"): _year_cell,
    NC_("targets table", "latest year"): _year_cell,
    NC_("targets table", "model estimate year"): _year_cell,
    NC_("targets table", "pace seen from"): _year_cell,
    NC_("targets table", "long window from"): _year_cell,
    NC_("targets table", "fastest pace from"): _year_cell,
    "pace needed": _pace_cell,
    PACE_SHORT: _pace_cell,
    NC_("targets table", "pace seen, long window"): _pace_cell,
    "fastest pace seen": _pace_cell,
    NC_("targets table", "status"): _cell(_shown_status),
    STATUS_SHORT: _status_cell,
    NC_("targets table", "status, long window"): _status_cell,
    NC_("targets table", "status on this definition"): _status_cell,
    NC_("targets table", "projection method"): _method_cell,
    NC_("targets table", "method"): _method_cell,
    NC_("targets table", "unit"): shown_label,
    NC_("targets table", "source"): shown_label,
    NC_("targets table", "latest is a preliminary estimate"): _estimate_cell,
    NC_("targets table", "is a proxy"): _estimate_cell,
    NC_("targets table", "wording status"): shown_label,
    NC_("targets table", "where the wording was read"): shown_label,
    NC_("targets table", "section"): section_cell,
    NC_("targets table", "Government documents"): government_docs_cell,
    NC_("targets table", "sources"): sources_text,
    NC_("targets table", "time to target at the fastest pace, years"): fixed(1),
    NC_("targets table", "interval level, %"): fixed(0),
    NC_("targets table", "interval coverage in backtest, %"): fixed(0),
    "stidx_vnd_bn": fixed(0),
    "budget_vnd_bn": fixed(0),
    "share": fixed(2),
    "share_low": fixed(2),
    "share_high": fixed(2),
    NC_("targets table", "mean absolute error"): fixed(2),
    NC_("targets table", "basis"): _basis_cell,
    NC_("targets table", "rating"): lambda code: annual_rating_label(code),
    NC_("targets table", "used"): lambda v: i18n.pgettext("backtest", "used") if v else "",
    NC_("targets table", "definition used for the status"): lambda v: (
        i18n.pgettext("backtest", "yes") if v else i18n.pgettext("backtest", "no (side by side only)")
    ),
}
# the header of each column shown under other words than its name (the T06 table's columns: t06_display)
_HEADER_WORDS = {
    "target": NC_("targets table", "target (short name)"),
    "measured as": NC_("targets table", "measured here as"),
    "pace needed": NC_("targets table", "pace needed a year"),
    "fastest pace seen": NC_("targets table", "fastest pace seen over {short_years:num} years"),
    PACE_SHORT: NC_("targets table", "pace seen, last {short_years:num} years"),
    STATUS_SHORT: NC_("targets table", "status, {short_years:num} years"),
    "projected value": NC_("targets table", "projected at the target year"),
}
_HEADED = (
    *CELL_FORMATS,
    "target",
    "measured as",
    NC_("targets table", "definition"),
    NC_("targets table", "pace unit"),
    NC_("targets table", "why"),
    NC_("targets table", "note"),
    NC_("targets table", "projection note"),
    NC_("targets table", "scored forecasts"),
)


def headers() -> dict[str, str]:
    """The shown header of every column of the tracker's tables, in the current language."""
    words = {c: i18n.pgettext("targets table", _HEADER_WORDS.get(c, c)) for c in _HEADED}
    return {c: w.format(short_years=tg.SHORT_WINDOW_YEARS) for c, w in words.items()}


def _display(title: str, source: str, note: str = "") -> dict[str, Any]:
    return {"title": title, "note": note, "source": source, "formats": CELL_FORMATS, "labels": headers()}


def tracker_table(tracker: pd.DataFrame, targets: list[tg.Target]) -> pd.DataFrame:
    """:attr:`TargetsRun.tracker` as ``tables/tracker.csv``: one value per cell under English headers (shown through
    :func:`tracker_display`), the ``targets``' wording, section and documents beside it, prose only in ``why``."""
    by_id = {t.target_id: t for t in targets}
    ts_ = [by_id[x] for x in tracker["target_id"]]
    notes = zip(tracker["reason"], tracker.get("model_note", pd.Series(None, index=tracker.index)), strict=True)
    return pd.DataFrame(
        {
            "target id": tracker["target_id"],
            "section": [t.section for t in ts_],
            "as written (Vietnamese)": [t.text_vi for t in ts_],
            "comparator as written": [t.comparator_vi for t in ts_],
            "target value": [t.value for t in ts_],
            "target year": tracker["target_year"],
            "Government documents": [t.government_docs for t in ts_],
            "measured as": [definition_text(t, text) for t, text in zip(ts_, tracker["definition"], strict=True)],
            "target": [target_name(t.text_en) for t in ts_],
            "latest value": tracker["latest_value"],
            "latest year": tracker["latest_year"],
            "latest is a preliminary estimate": tracker["latest_is_estimate"],
            "r57 model estimate (not data)": tracker["model_estimate"],
            "model estimate year": tracker["model_estimate_year"],
            "model estimate's range, low": tracker["model_estimate_low"],
            "model estimate's range, high": tracker["model_estimate_high"],
            "unit": tracker["unit"],
            "pace needed": tracker["pace_needed"],  # not 'a year' in the name: the CSV's decimals follow it
            "pace unit": [
                pace_unit_text(code, unit) for code, unit in zip(tracker["pace_unit"], tracker["unit"], strict=True)
            ],
            PACE_SHORT: tracker["pace_short"],
            "pace seen from": tracker["pace_short_from"],
            "pace seen, long window": tracker["pace_long"],
            "long window from": tracker["pace_long_from"],
            STATUS_SHORT: tracker["status_short"],
            "status, long window": tracker["status_long"],
            "fastest pace seen": tracker["fastest_pace"],
            "fastest pace from": tracker["fastest_pace_from"],
            "time to target at the fastest pace, years": tracker["years_at_fastest_pace"],
            "status": tracker["status"].where(~disagree(tracker), tracker["status"] + WINDOWS_DISAGREE),
            "projected value": tracker["projected"],
            "interval low": tracker["projected_lo"],
            "interval high": tracker["projected_hi"],
            "interval level, %": tracker["interval_pct"],
            "interval coverage in backtest, %": tracker["interval_coverage_pct"],
            "projection method": tracker["projection_method"],
            "projection note": tracker["projection_note"],
            "why": ["; ".join(x for x in pair if isinstance(x, str) and x) for pair in notes],
        }
    )


def tracker_display(as_of_year: int) -> dict[str, Any]:
    """Title, note, source, cell formats and headers of :func:`tracker_table`, in the current language."""
    return _display(
        _("Resolution 57 targets: latest value, pace needed and seen, status and projection (data to {year})").format(
            year=i18n.fmt.year(as_of_year)
        ),
        _(
            "Resolution 57-NQ/TW section II (hdll.vn, VNA and a full-text transcription); NQ 03/NQ-CP Phụ lục I; "
            "values: World Bank WDI (UIS, WIPO, NSF, UN Comtrade), GSO/NSO, MOST, MIC, IP Viet Nam, UN DESA, WIPO GII, "
            "Oxford Insights, THE; see the measured-as column"
        ),
        _(
            "Paces are changes a year in the target's unit (growth targets: compound % a year; ranks: places a year, "
            "negative = climbing). The status follows the pace seen against the pace needed (the rule above); the "
            "projection stands beside it, an estimate with its method, its interval widened on the backtest or "
            "withheld with the reason in the projection note. Rank rows come from the rankings report's model, the "
            "R&D notes from the R&D spending paths model."
        ),
    )


def definitions_table(definitions: pd.DataFrame) -> pd.DataFrame:
    """Every definition of the targets measured more than one way, one value per cell
    (``tables/definitions.csv``): value, year, unit, pace, projection and its interval in their own columns."""
    D = definitions
    return pd.DataFrame(
        {
            "target id": D["target_id"],
            "definition": [shown_label(text) for text in D["definition"]],
            "latest value": D["latest_value"],
            "latest year": D["latest_year"],
            "latest is a preliminary estimate": D["latest_is_estimate"],
            "is a proxy": D["is_proxy"],
            "unit": D["unit"],
            PACE_SHORT: D["pace_short"],
            "pace seen from": D["pace_short_from"],
            "projected value": D["projected"].astype(float),  # numbers even where none is projected
            "interval low": D["projected_lo"].astype(float),
            "interval high": D["projected_hi"].astype(float),
            "projection method": D["projection_method"],
            "projection note": D["projection_note"],
            "status on this definition": D["status"],
            "source": D["source"],
            "note": D["reason"],
        }
    )


def definitions_display() -> dict[str, Any]:
    """Title, note, source, cell formats and headers of :func:`definitions_table`, in the current language."""
    return _display(
        _("The same targets under different agencies' definitions"),
        _("World Bank WDI; GSO/NSO; MIC; MOST; Ministry of Finance; IP Viet Nam; AFA Capital (see the source column)"),
        _("Shown side by side, never averaged or spliced into one series."),
    )


def t06_display() -> dict[str, Any]:
    """Title, note, source, cell formats and headers of :attr:`TargetsRun.t06_years`, in the current language."""
    shown = _display(
        _("T06, year by year: the share of the state budget for S&T, innovation and digital transformation"),
        _("National Assembly budget estimates; Government plan (via press)"),
        _(
            "The Resolution asks for at least {resolution_budget_pct:num}% of total state-budget expenditure every "
            "year from 2025, rising over time. Plans and outturns are rated apart; the bounds assume each published "
            "input is rounded to its last non-zero digit. The status follows the outturns; a plan does not meet the "
            "obligation."
        ).format_map(resolution_floors()),
    )
    shown["labels"] |= {
        "stidx_vnd_bn": _("S&T, innovation and digital transformation, bn VND"),
        "budget_vnd_bn": _("total state-budget expenditure, bn VND"),
        "share": _("share, %"),
        "share_low": _("share if the inputs were rounded against it, %"),
        "share_high": _("share if the inputs were rounded for it, %"),
    }
    return shown


def wording_table(targets: list[tg.Target]) -> pd.DataFrame:
    """Each target as the Resolution words it and where the wording was read (``tables/wording.csv``): the
    verbatim Vietnamese, the report's short name (in the current language), how far the wording is confirmed,
    where it was read, sources."""
    return pd.DataFrame(
        {
            "target id": [t.target_id for t in targets],
            "as written (Vietnamese)": [t.text_vi for t in targets],
            "target": [target_name(t.text_en) for t in targets],
            "wording status": [t.wording_status for t in targets],
            "where the wording was read": [t.text_provenance for t in targets],
            "sources": [t.source_url for t in targets],
        }
    )


def wording_display() -> dict[str, Any]:
    """Title, source, cell formats and headers of :func:`wording_table`, in the current language."""
    return _display(
        _("The targets as written and where the wording was read"),
        _(
            "The Resolution's section II as published by hdll.vn and VNA and in the GitHub transcription of the full "
            "text; NQ 03/NQ-CP Phụ lục I"
        ),
    )


def _coverage_column(interval_pct: float) -> str:
    return f"inside the {interval_pct:g}% interval, %"


def backtests_table(backtests: pd.DataFrame, interval_pct: float, targets: list[tg.Target]) -> pd.DataFrame:
    """The backtest of the projection methods, one value per cell (``tables/backtests.csv``): the series with
    something scored (of ``targets``), their error and interval coverage, and whether the method is used (booleans)."""
    bt, by_id = backtests[backtests["pairs"] > 0], {t.target_id: t for t in targets}
    return pd.DataFrame(
        {
            "target id": bt["target_id"],
            "definition": [
                definition_text(by_id[tid], d) for tid, d in zip(bt["target_id"], bt["definition"], strict=True)
            ],
            "method": bt["method"],
            "scored forecasts": bt["pairs"],
            "mean absolute error": bt["mae"],
            _coverage_column(interval_pct): bt["coverage_pct"],
            "used": bt["used"],
            "definition used for the status": bt["status_definition"],
        }
    )


def backtests_display(p: dict[str, Any]) -> dict[str, Any]:
    """Title, note, source, cell formats and headers of :func:`backtests_table`, in the current language."""
    coverage = _coverage_column(p["interval_pct"])
    shown = _display(
        _("Backtest of the projection methods (forecasts up to {backtest_horizon_years:num} years ahead)").format_map(
            p
        ),
        _("the tracker's series (see the main table)"),
        _(
            "By default the method with the lowest error wins when the backtest can check at least "
            "{min_backtest_pairs:num} past forecasts against the published outcome (a tie goes to the naive method). "
            "A projection whose method could be checked on fewer than {min_backtest_pairs:num} past forecasts is not "
            "shown: too few to show how reliable it is (the tracker's projection note says so). Series with no past "
            "forecast to check are left out. Projections are kept within what the unit allows (no negative values; "
            "shares at most 100%)."
        ).format_map(p),
    )
    shown["formats"] = CELL_FORMATS | {coverage: fixed(0)}
    shown["labels"][coverage] = _("inside the {interval} interval, %").format(interval=rs.percent(p["interval_pct"]))
    return shown


def backtests_finding(backtests: pd.DataFrame, p: dict[str, Any]) -> str:
    """What the backtest says: where the trend earned its place, and where the methods' own intervals were more
    than 15 points too narrow (among the methods used on the status's definitions with enough scored pairs)."""
    b = backtests
    used = b[b["used"] & b["status_definition"] & b["pairs"].ge(p["min_backtest_pairs"])]
    trend_wins = used[used["method"] == "linear_trend"]["target_id"].unique().tolist()
    under = sorted(
        set(used.loc[used["coverage_pct"].notna() & (used["coverage_pct"] < p["interval_pct"] - 15), "target_id"])
    )
    trend = (
        _("The trend earned its place for {targets}; elsewhere a naive forecast did as well or better.").format(
            targets=", ".join(trend_wins)
        )
        if trend_wins
        else _("The trend beat the naive forecasts nowhere; elsewhere a naive forecast did as well or better.")
    )
    coverage = (
        _(
            "The methods' own intervals were too narrow in the backtest for {targets} (coverage below {threshold} "
            "for a {nominal} interval); the intervals in the tracker are widened until they hold {nominal} of "
            "the backtest's outcomes, or withheld with the reason."
        ).format(
            targets=", ".join(under),
            threshold=rs.percent(p["interval_pct"] - 15),
            nominal=rs.percent(p["interval_pct"]),
        )
        if under
        else _("Interval coverage in the backtest is close to the nominal level where it can be measured.")
    )
    return f"{trend} {coverage}"


CHART_COLORS = ("#1f3b73", "#8c8c8c", "#b07aa1")


def charted_targets(tracker: pd.DataFrame) -> list[str]:
    """The targets drawn: a status from a pace and a level to draw (a growth target has none)."""
    rows = tracker[tracker["status"].isin(["on track", "needs acceleration", "off track"])]
    return [r["target_id"] for _i, r in rows.iterrows() if not _missing(r["target_level"])]


def target_chart(run: TargetsRun, tid: str) -> dict[str, Any]:
    """The chart of target ``tid`` (a latest value and a target level): every definition's history, the path needed,
    rd_paths' path (T04), the projection with its printed interval and the target, as ``Report.figure``'s ``fig``,
    ``chart_id``, ``title``, ``alt`` and ``source`` in the current language."""
    P, T = run.params, run.tracker
    r, t = T[T["target_id"] == tid].iloc[0], next(x for x in run.targets if x.target_id == tid)
    name, unit, status = target_name(t.text_en), shown_label(r["unit"]), label("target_status", r["status"])
    fig, ax = plt.subplots(figsize=(8, 4.2))
    if tid in run.rank_histories:
        h = run.rank_histories[tid]
        ax.plot(h.index, h.values, marker="o", color=CHART_COLORS[0], label=definition_text(t, r["definition"]))
    else:
        for i, m in enumerate(run.measures[tid]):
            s = m.series[m.series.index <= P["as_of_year"]].dropna()
            style = dict(marker="o", ls="-" if i == 0 else "--", color=CHART_COLORS[i % 3])
            if len(s):
                ax.plot(s.index, s.values, **style, label=short_label(shown_label(m.definition), 69))
    latest, ly, level = float(r["latest_value"]), int(r["latest_year"]), float(r["target_level"])
    if ly < t.year:
        req = tg.required_path(ly, latest, t, level)
        ax.plot(req.index, req.values, color="firebrick", ls=":", label=_("path needed to reach the target"))
    _draw_model(ax, run, r)
    method = None if tid in run.rank_histories or _missing(r["projection_method"]) else r["projection_method"]
    proj = None if method is None else tg.projection_path(t, run.measures[tid][0], P, method)
    if proj is not None:
        shown = _("projection (estimate): {method}").format(method=label("method", method))
        ax.plot(proj.years, proj.center, color="darkorange", ls="--", label=shown)
    projected = None if _missing(r["projected"]) else r["projected"]
    if projected is not None and not _missing(r["projected_lo"]):  # the interval only where it is printed
        yerr = [[projected - r["projected_lo"]], [r["projected_hi"] - projected]]
        shown = _("projection (estimate) with {interval} interval").format(interval=rs.percent(P["interval_pct"]))
        ax.errorbar([t.year], [projected], yerr=yerr, fmt="o", color="darkorange", capsize=4, label=shown)
    elif projected is not None:
        ax.plot([t.year], [projected], "o", color="darkorange", label=_("projection (estimate)"))
    target_label = _("target: {target}").format(target=as_written(t))
    ax.scatter([t.year], [level], marker="*", s=160, color="firebrick", zorder=5, label=target_label)
    whole_ticks(ax.xaxis)
    if t.lower_is_better:
        ax.invert_yaxis()
        whole_ticks(ax.yaxis)
    ax.set(xlabel=_("Year"), ylabel=unit, title=f"{i18n.keep(tid)}: {short_label(name, 60, by_words=True)}")
    ax.legend(fontsize=7, loc="best")
    return dict(
        fig=fig,
        chart_id=f"target_{tid}",
        title=_("{id}: {target} ({unit}); status: {status}").format(id=tid, target=name, unit=unit, status=status),
        alt=_chart_alt(r, t, unit, status),
        source=_("{source}; targets: Resolution 57-NQ/TW").format(
            source=rank_text(t, RANK_SOURCE) if tid in run.rank_histories else shown_label(r["source"])
        ),
    )


def _draw_model(ax: Any, run: TargetsRun, r: pd.Series) -> None:
    """Row ``r``'s model lines on its chart: T04's path by the R&D spending paths model, and r57's estimate beyond
    the observations with its range (never part of the observed line)."""
    if r["target_id"] == "T04" and run.rd:
        rp, shown = run.rd["path"], _("R&D spending paths model's path (steady growth)")
        ax.plot(rp.index, rp.values, color="firebrick", ls="-.", lw=1, label=shown)
    if not _missing(r.get("model_estimate")):  # r57's own estimate beyond the observations, with its range
        e = r["model_estimate"]
        yerr = [[e - r["model_estimate_low"]], [r["model_estimate_high"] - e]]
        shown = _("r57 model estimate (not data) with its range")
        ax.errorbar(
            [r["model_estimate_year"]], [e], yerr=yerr, fmt="s", mfc="white", color=CHART_COLORS[0], label=shown
        )


def _chart_alt(r: pd.Series, t: tg.Target, unit: str, status: str) -> str:
    """The alternative text of :func:`target_chart` for row ``r`` of target ``t``."""

    def valued(x: float) -> str:  # '0.415% of GDP', '8.36 researchers per 10,000 people'
        return i18n.fmt.num(x, None) + ("" if unit.startswith("%") else " ") + unit

    target = i18n.fmt.num(r["target_level"], None) if t.comparator == "top_n" else valued(r["target_level"])
    values = dict(r, definition=definition_text(t, r["definition"]), target_year=t.year, status=status)
    values.update(latest=valued(r["latest_value"]), target=target)
    if not _missing(r["projected"]):
        return _(
            "Line chart of {definition} up to {latest_year:year} (latest {latest}), the straight path to the target "
            "{target} in {target_year:year}, and a projection reaching about {projected:auto} ({status})."
        ).format_map(values)
    return _(
        "Line chart of {definition} up to {latest_year:year} (latest {latest}), the straight path to the target "
        "{target} in {target_year:year} ({status})."
    ).format_map(values)


# ----------------------------------------------------------------------------- claims


def _claim_figure(d: TargetsData, spec: dict[str, Any]) -> float:
    """One figure of a claims check (``claims`` of :func:`editorial`); NaN when the data do not hold it."""
    s = _series(d, spec)[0]
    if spec["year"] == "latest":
        return float(s.index.max()) if len(s) else np.nan
    v = float(s.get(spec["year"], np.nan))
    return (v / spec["relative_to"] - 1) * 100 if "relative_to" in spec else v


def claim_figures(d: TargetsData) -> list[dict[str, float]]:
    """The figures of each claim of :func:`editorial` (its ``figures``), read from the data ``d``."""
    return [{name: _claim_figure(d, spec) for name, spec in c["figures"].items()} for c in editorial()["claims"]]


def claims_check(figures: list[dict[str, float]]) -> pd.DataFrame:
    """The source texts' non-ranking claims (``claims`` of :func:`editorial`) checked on their ``figures``
    (:func:`claim_figures`), in the current language: the verdict chosen by the claim's rule
    (:func:`editorial.claim_outcome`); 'without the figures' said where the data lack one (other than the figure a
    not_stored claim looks for)."""
    texts = []
    for c, values in zip(editorial()["claims"], figures, strict=True):
        shown = {k: v for k, v in values.items() if not (c["check"] == "not_stored" and k == c["figure"])}
        missing = np.isnan(list(shown.values())).any() and "without the figures" in c
        outcome = claim_outcome(c, values[c["figure"]])
        verdict = c["verdicts"].get(outcome, N_("not verified: the data lack the figure"))
        texts.append(c | {"verdict": verdict} | ({"what the data say": c["without the figures"]} if missing else {}))
    return claims_table(texts, figures, CLAIM_COLUMNS)


# ----------------------------------------------------------------------------- the report


@dataclass
class TargetsRun:
    params: dict[str, Any]
    targets: list[tg.Target]
    tracker: pd.DataFrame  # one row per target (the first measure)
    definitions: pd.DataFrame  # every measure of the targets measured by more than one definition
    backtests: pd.DataFrame
    measures: dict[str, list[tg.Measure]]
    rank_histories: dict[str, pd.Series]
    rd: dict[str, Any]
    claims: pd.DataFrame
    summary: dict[str, Any] = field(default_factory=dict)
    t06_years: pd.DataFrame = field(default_factory=pd.DataFrame)  # T06 year by year, plan and outturn apart
    codes: dict[str, Any] = field(default_factory=dict)  # what :func:`words` words: the claims' figures, rank_params


def _backtest_rows(tid: str, definition: str, tests: Any, used: str | None, status_definition: bool) -> list[dict]:
    """The rows of ``tables/backtests`` for one definition of a target: each method's backtest (``tests``),
    ``used`` the method projected."""
    return [
        {
            "target_id": tid,
            "definition": definition,
            "method": b.method,
            "pairs": b.pairs,
            "mae": b.mae,
            "coverage_pct": b.coverage_pct,
            "used": b.method == used,
            "status_definition": status_definition,
        }
        for b in tests
    ]


MODEL_NOTES = ("T04", "T05", "T06")  # the targets whose rows the rd_paths model adds a note to (_model_note)


def _model_note(t: tg.Target, rd: dict[str, Any], row: dict[str, Any]) -> str | None:
    """What the rd_paths model (:func:`rd_model`'s result) adds to the R&D targets' rows (``row``: the tracker's):
    T04 the pace needed from the model's start beside the row's from the latest survey, T05 the budget-bound reading
    beside the published shares, T06 the envelope check over budget spending's range; None for other targets."""
    if not rd or t.target_id not in MODEL_NOTES:
        return None
    facts = rd["summary"] | rd.get("readings", {}) | {"base_year": rd["base_year"]} | resolution_floors()
    if t.target_id == "T04":
        years = facts["target_year"] - rd["base_year"]
        return _(
            "the pace needed runs from the {latest_year:year} survey, the latest observation; the R&D spending paths "
            "model (its default assumptions) starts from r57's {base_year:year} estimate (not data) and needs "
            "{share_increase_pp:num.2} points in {years:num} years ({pace} points a year): the share must grow "
            "{share_cagr_pct:pct.1} a year and R&D spending {gerd_nominal_cagr_pct:pct.0} a year in dong, to "
            "{gerd_target_usd_bn:usd_bn.1} in {target_year:year}"
        ).format_map(
            facts
            | {"years": years, "latest_year": row["latest_year"]}
            | {"pace": i18n.fmt.sig(facts["share_increase_pp"] / years, 3, sign=True)}
        )
    if t.target_id == "T05":
        if "nonbudget_share_budget_bound_low_pct" not in facts:
            return None
        return _(
            "the evidence cannot say whether non-budget sources pay more than {resolution_nonstate_pct:num}%: the "
            "published shares give "
            "{nonbudget_share_base_low_pct:pct.0}-{nonbudget_share_base_high_pct:pct.0} non-budget, while the state "
            "budget's S&T line alone, read as all of state R&D, implies {nonbudget_share_budget_bound_low_pct:pct.0}-"
            "{nonbudget_share_budget_bound_high_pct:pct.0} in {base_year:year} (R&D paid through other budget lines "
            "is outside that line; the R&D spending paths model)"
        ).format_map(facts)
    if rd.get("no_funding_year"):
        note = _("no funding account for {year:year} (the budget data start later), so no envelope check")
        return _("the R&D spending paths model: {note}").format(note=note.format(year=rd["no_funding_year"]))
    return _(
        "the R&D spending paths model: at the {resolution_nonstate_pct:num}% non-budget threshold (the Resolution asks "
        "for more), state R&D in {target_year:year} needs {consistency_envelope_pct_at_floor_at_budget_high:pct.0}-"
        "{consistency_envelope_pct_at_floor_at_budget_low:pct.0} of the whole {resolution_budget_pct:num}% envelope with budget spending at {budget_exp_pct_gdp_high:pct.1} or {budget_exp_pct_gdp_low:pct.1} of GDP "
        "({consistency_envelope_pct_at_floor:pct.0}, {consistency_budget_pct_at_floor:pct.1} of budget expenditure, at "
        "the model's {budget_exp_pct_gdp:pct.1})"
    ).format_map(facts)


# the key figure that counts the targets of each status (tg.STATUSES), in that order
STATUS_FIGURES = {
    "on track": "targets_on_track",
    "needs acceleration": "targets_needs_acceleration",
    "off track": "targets_off_track",
    "not measurable": "targets_not_measurable",
    "no period data": "targets_without_period_data",
    "no data": "targets_without_data",
}
WORST_OF = {"T10"}  # 'applications and grants': the status is the worse of the two measures
# worst measured first
STATUS_ORDER = ("off track", "needs acceleration", "on track", "not measurable", "no period data", "no data")


def t06_by_year(d: TargetsData, as_of_year: int) -> pd.DataFrame:
    """T06 from the Resolution's first budget year (2025) to ``as_of_year``, one row per year and basis (plan and
    outturn rated apart by :func:`targets.annual_share`): bn VND numerator and denominator, share and bounds, rating."""
    bases = {
        "plan": (_vn(d.budget, "stidx_budget_plan_vnd_bn"), _vn(d.budget, "budget_exp_vnd_bn")),
        "outturn": (_vn(d.budget, "stidx_outturn_vnd_bn"), _vn(d.budget, "budget_exp_outturn_vnd_bn")),
    }
    floor = tg.target("T06").value  # at least this % of budget expenditure, every year
    rows = []
    for year in range(tg.TARGET_PERIOD_BASE_YEAR + 1, as_of_year + 1):
        for basis, (num, den) in bases.items():
            n, dd = (None if pd.isna(x) else float(x) for x in (num.get(year), den.get(year)))
            rows.append(
                {"year": year, "basis": basis, "stidx_vnd_bn": n, "budget_vnd_bn": dd} | tg.annual_share(n, dd, floor)
            )
    cols = ["year", "basis", "stidx_vnd_bn", "budget_vnd_bn", "share", "share_low", "share_high", "rating"]
    return pd.DataFrame(rows, columns=cols)


def t06_words(by_year: pd.DataFrame) -> str:
    """Why T06 has its status (:func:`targets.annual_status` of its outturns), with the plans' ratings, in words."""
    out, f = by_year[by_year["basis"] == "outturn"], i18n.fmt
    bits = [
        _("outturns rated year by year")
        if (out["rating"] != "not known").any()
        else _("no outturn for {years}").format(years=", ".join(f.year(y) for y in out["year"]))
    ]
    for r in by_year[by_year["basis"] == "plan"].to_dict(orient="records"):
        bits.append(_("{year} plan: {rating}").format(year=f.year(r["year"]), rating=annual_rating_label(r["rating"])))
        if not _missing(r["share"]):
            within = _("{share:pct}, {share_low:pct} to {share_high:pct} within the rounding of its inputs")
            bits[-1] += f" ({within.format_map(r)})"
    rise = tg.rising([None if pd.isna(x) else x for x in out["share"]])
    bits.append(
        _("'rising over time' cannot be checked yet (fewer than two outturns)")
        if rise is None
        else _("rising over time: {answer}").format(answer=_("yes") if rise == "yes" else _("no"))
    )
    return "; ".join(bits)


def annual_rating_label(code: str) -> str:
    """A year's rating (:data:`targets.ANNUAL_RATINGS`) in the reader's words, the Resolution's floor filled in."""
    return label("annual_rating", code).format_map(resolution_floors())


def _measured_target_row(
    t: tg.Target, options: list[tg.Measure] | None, p: dict[str, Any], rd: dict[str, Any], t06: pd.DataFrame
) -> tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]:
    """A measured (non-ranking) target's tracker row (its first measure's assessment, for T10 the worse of its
    two; T06 rated year by year), its definitions' rows (where it has more than one) and backtests."""
    options = options or [
        tg.Measure(t.target_id, "", "", "", kind="none", reason=N_("no measure defined for this target"))
    ]
    assessed = [tg.assess(t, m, p) for m in options]
    # the projection's backtests (a table of their own) and the method chosen on them
    tests = [(a.pop("backtests", ()), a.pop("backtest_method", None) or a["projection_method"]) for a in assessed]
    row = dict(assessed[0])
    if t.target_id in WORST_OF:  # both measures must grow: the worse status decides
        worst = min(assessed, key=lambda a: STATUS_ORDER.index(a["status"]))
        statuses = [(a["definition"], a["status"]) for a in assessed]
        row = dict(worst) | {"why": [("worse_of", {"statuses": statuses}), *worst["why"]]}
    if t.target_id == "T06":  # an annual obligation: rated year by year, no pace
        row["status"] = tg.annual_status(list(t06.loc[t06["basis"] == "outturn", "rating"]))
        row["why"] = [("annual", {"by_year": t06})]
        row.update(pace_needed=None, pace_unit=None, target_level=None)
        # every definition by the same annual rule (outturns rated year by year), never by a pace: a plan at
        # 3.006% is not "already met"
        for i, a in enumerate(assessed):
            a.update(status=row["status"], pace_needed=None, pace_unit=None, target_level=None)
            alt = {"reason": options[i].reason, "not_found": options[i].not_found}
            a["why"] = row["why"] if i == 0 else [("annual_alt", alt)]
    for a in (row, *assessed):  # the codes of the why that words the reason (T06's, T10's as set above)
        a["reason_codes"] = [code for code, _values in a["why"]]
    if t.target_id == "T05" and "nonbudget_share_budget_bound_low_pct" in rd.get("readings", {}):
        row["status"] = "not measurable"  # the published and budget-bound readings disagree (its model note)
    if rd and t.target_id in MODEL_NOTES:
        row["model_note"] = None  # words: _model_note
    bts = [  # every projected definition's
        r
        for a, (b, used) in zip(assessed, tests, strict=True)
        if b
        for r in _backtest_rows(t.target_id, a["definition"], b, used, a["definition"] == row["definition"])
    ]
    return row, assessed if len(options) > 1 else [], bts


def run(params: dict[str, Any], data: TargetsData | None = None) -> TargetsRun:
    """Track the selected targets (``params``: :data:`TARGET_PARAMS`, validated) on ``data`` (default: loaded):
    the facts, computed once and in no language (the rows' ``why`` codes, their words left empty and the claims'
    figures in ``codes``), for :func:`words` to word in each language."""
    p = dict(params)
    d = data or TargetsData.load()
    ids = _selected(p["targets"])
    chosen = [t for t in d.targets if ids is None or t.target_id in ids]
    ms = measures(d)
    rank_params = validate("ecosystem_rankings", {"interval_pct": p["interval_pct"]})
    rd = rd_model(p, ms["T04"][0].series, d.rd) if any(t.target_id in ("T04", "T06") for t in chosen) else {}
    rows, alts, tests, histories = [], [], [], {}
    t06 = t06_by_year(d, p["as_of_year"])
    for t in chosen:
        if t.indicator in rk.TARGET_INDICES:
            row, histories[t.target_id] = rank_row(t, p, rank_params)
            used = row.pop("backtest_method", None) or row["projection_method"]
            bts = _backtest_rows(t.target_id, row["definition"], row.pop("backtests", []), used, True)
        else:
            row, more, bts = _measured_target_row(t, ms.get(t.target_id), p, rd, t06)
            alts.extend(more)
        rows.append(row)
        tests.extend(bts)
    tracker = pd.DataFrame(rows)
    summary = {
        "targets_total": len(tracker),
        **{figure: int((tracker["status"] == status).sum()) for status, figure in STATUS_FIGURES.items()},
        "targets_off_track_windows_disagree": int(((tracker["status"] == "off track") & disagree(tracker)).sum()),
        "targets_in_reference_list": len(d.targets),
    }
    codes = {"claims": claim_figures(d), "rank_params": rank_params, "rows": rows, "definitions": alts}
    return TargetsRun(
        p,
        chosen,
        tracker,
        pd.DataFrame(alts),
        pd.DataFrame(tests),
        ms,
        histories,
        rd,
        pd.DataFrame(),
        summary,
        t06,
        codes,
    )


def words(F: TargetsRun) -> TargetsRun:
    """Run ``F`` (:func:`run`'s facts) with the reader's words in the current language: each row's
    ``target_as_written`` and ``reason`` (a ranking target's also its ``method_why``: :func:`rank_words`), the
    rd_paths notes and the claims checked. The numbers are ``F``'s."""
    by_id = {t.target_id: t for t in F.targets}

    def worded(row: dict[str, Any]) -> dict[str, Any]:
        ranking = row["why"][:1] and row["why"][0][0] == "ranking"
        said = rank_words(row, F.codes["rank_params"]) if ranking else row_words(row)
        out = {k: v for k, v in row.items() if k != "why"} | {"target_as_written": as_written(by_id[row["target_id"]])}
        return out | said | {"projection_note": projection_note(row, F.params)}

    rows = [worded(row) for row in F.codes["rows"]]
    for row in rows:
        if "model_note" in row:
            row["model_note"] = _model_note(by_id[row["target_id"]], F.rd, row)
    tracker = pd.DataFrame(rows)
    if "model_note" not in tracker.columns:
        tracker["model_note"] = None
    definitions = pd.DataFrame([worded(row) for row in F.codes["definitions"]])
    return replace(F, tracker=tracker, definitions=definitions, claims=claims_check(F.codes["claims"]))


def targets_help() -> str:
    """The target ids for ``r57 params resolution_targets``."""
    return (
        _("Targets (id: target by year):")
        + "\n"
        + "\n".join(f"  {t.target_id}: {target_name(t.text_en)} ({t.year})" for t in tg.load_targets())
    )


TARGETS_SPEC = register(
    NotebookSpec(
        name="resolution_targets",
        notebook="04_resolution_targets.ipynb",
        title=N_("Every target of Resolution 57: where Viet Nam stands, the pace needed and the pace seen"),
        params=TARGET_PARAMS,
        check=_check,
        extra_help=targets_help,
        findings=("targets_tracked", "targets_by_status", "targets_rd"),
        description=N_(
            "One row per quantitative target: latest value, pace needed and seen, a backtested projection "
            "with its interval, and an SDG-style status; other agencies' definitions side by side; claims checked."
        ),
        key_figures=(
            KeyFigure("targets_total", N_("Targets tracked"), N_("targets"), 0),
            KeyFigure("targets_on_track", N_("On track"), N_("targets"), 0),
            KeyFigure("targets_needs_acceleration", N_("Need acceleration"), N_("targets"), 0),
            KeyFigure("targets_off_track", N_("Off track"), N_("targets"), 0),
            KeyFigure("targets_not_measurable", N_("Not measurable"), N_("targets"), 0),
            KeyFigure("targets_without_period_data", N_("No observation for the target period"), N_("targets"), 0),
            KeyFigure("targets_without_data", N_("No data in this project's sources"), N_("targets"), 0),
        ),
        datasets=(
            *RD_DATASETS,
            # the ranked targets' indices
            *dict.fromkeys(d for index, _scope in rk.TARGET_INDICES.values() for d in rk.INDICES[index].datasets),
            "vn_r57_indicators",
            *WDI_DATASETS,
        ),
        section=N_("Every target of Resolution 57: the tracker"),  # first: the page a reader opens first
        order=10,
        messages=("src/analysis/data/build_targets.py", "src/analysis/locale/tracker.yaml"),
    )
)
