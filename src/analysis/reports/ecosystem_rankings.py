"""The ecosystem-rankings report (``ecosystem_rankings``): its parameters and declaration, the run (the models'
facts, worded in the language in use), the claims check, and the page: one function per section of the notebook,
shaping its tables and drawing its charts, called under :func:`analysis.reports.render.both`."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from analysis import i18n
from analysis.data import datasets
from analysis.data.labels import LABELS, label
from analysis.data.schema import valued
from analysis.errors import ParameterError
from analysis.i18n import N_, _, fmt, ngettext
from analysis.models import backtest as bt
from analysis.models import rankings as rk
from analysis.models import targets as tg
from analysis.reports.editorial import claims_table, ranking_claims, target_name
from analysis.reports.params import INTERVAL_PCT, NOT_COMPUTED, KeyFigure, NotebookSpec, ParamSpec, register
from analysis.reports.render import Report, fixed, md, results_record, whole_ticks
from analysis.reports.words import house_spelling, verdicts_text

RANK_PARAMS: tuple[ParamSpec, ...] = (
    ParamSpec(
        "index_name",
        "str",
        "startupblink_country",
        "",
        N_(
            "Which ranking to model: startupblink_country: StartupBlink Global Startup Ecosystem Index (countries); "
            "startupblink_city: StartupBlink Global Startup Ecosystem Index (cities); gii: WIPO Global Innovation "
            "Index; egdi: UN E-Government Development Index; imd_wdcr: IMD World Digital Competitiveness Ranking; "
            "startup_genome: Startup Genome GSER, Top 100 Emerging Ecosystems."
        ),
        N_("StartupBlink's country ranking is the startup-ecosystem ranking quoted in Viet Nam (58th in 2023)."),
        choices=tuple(rk.INDICES),
    ),
    ParamSpec(
        "entity",
        "str",
        "VNM",
        "",
        N_(
            "Economy (ISO3 code or name) or city (slug or name) within the index; `r57 params ecosystem_rankings` "
            "lists them."
        ),
        N_("Viet Nam."),
    ),
    ParamSpec(
        "target_rank",
        "int",
        50,
        "rank",
        N_("Rank to reach (1 = best)."),
        N_(
            "The Resolution sets no startup-ranking target; top 50 mirrors its top-50 targets for e-government and "
            "digital competitiveness."
        ),
        lo=1,
        hi=2000,
    ),
    ParamSpec(
        "target_year",
        "int",
        2030,
        "year",
        N_("Edition year by which the target rank should be reached."),
        N_("Resolution 57's ranking targets are for 2030 (innovation: 2045)."),
        lo=2026,
        hi=2060,
    ),
    INTERVAL_PCT,
    ParamSpec(
        "field_drift_pct",
        "float",
        None,
        "% a year",  # as the rd reports say it (rd_paths.PER_YEAR)
        N_(
            "How fast the rest of the field's scores rise each year; used for the score needed only where the publisher "
            "states that scores are comparable across editions (no index in the current data)."
        ),
        N_("Empty means estimated from the data: the median annual score growth of entities seen in two editions."),
        lo=-20.0,
        hi=100.0,
        nullable=True,
        null_means=N_("estimated from the index's own score history"),
    ),
    ParamSpec(
        "projection_method",
        "str",
        "auto",
        "",
        N_(
            "How ranks are projected: 'auto' (the method the backtest supports for this index), 'naive' (the latest rank "
            "holds, with the spread of past changes), 'drift_rank' (latest rank moved by its own trend in rank) or "
            "'drift_percentile' (the same in rank / entities ranked). Every method starts from the latest published rank."
        ),
        N_(
            "A trend is used only where the backtest shows it beats the naive forecast on the same cases; elsewhere the "
            "naive forecast is used and the report says why."
        ),
        choices=("auto", "naive", "drift_rank", "drift_percentile"),
    ),
    ParamSpec(
        "include_derived",
        "bool",
        False,
        "",
        N_(
            "Fit and backtest also on ranks worked back from a reported change ('rose 130 places to 766th' gives 896 "
            "the year before); they are always shown, marked."
        ),
        N_(
            "Derived points are not published ranks: the press may round or misreport a change, and one derived early "
            "point moved Viet Nam's StartupBlink top-50 chance from 76% to 50% in the previous method."
        ),
    ),
    ParamSpec(
        "fit_last_editions",
        "int",
        8,
        "editions",
        N_("Fit a trend on at most this many latest editions."),
        N_(
            "Eight editions are enough to estimate a slope and recent enough to describe the current regime "
            "(Viet Nam's early GII jumps of 2012-2015 would otherwise dominate)."
        ),
        lo=3,
        hi=30,
    ),
    ParamSpec(
        "min_points",
        "int",
        4,
        "editions",
        N_(
            "Fewest editions with a used rank needed to fit a trend; fewer are refused, not extrapolated. At most "
            "fit_last_editions."
        ),
        N_("Four points leave two degrees of freedom for the slope's uncertainty."),
        lo=3,
        hi=15,
    ),
)


def _check(p: dict[str, Any]) -> None:  # target_rank's range (1 to 2000) is checked by its ParamSpec
    if p["min_points"] > p["fit_last_editions"]:
        raise ParameterError(
            "min_points",
            f"is {p['min_points']}, more than fit_last_editions ({p['fit_last_editions']}): "
            "a trend could never be fitted",
            f"3 to {p['fit_last_editions']}",
        )


def _preflight(p: dict[str, Any]) -> None:
    long = rk.load_index(p["index_name"])
    rk.resolve_entity(long, p["entity"])
    latest = int(long["year"].max())
    if p["target_year"] <= latest:
        raise ParameterError(
            "target_year", f"is not after the latest {p['index_name']} edition ({latest})", f"{latest + 1} to 2060"
        )


def entity_help() -> str:
    """The allowed entities per index, for ``r57 params ecosystem_rankings``."""
    lines = ["Entities by index (code: name [editions with a usable rank]):"]
    for code in rk.INDICES:
        e = rk.entities(rk.load_index(code))
        items = ", ".join(f"{r.entity}: {r.entity_name} [{r.usable_editions}]" for r in e.itertuples())
        lines.append(f"  {code}: {items}")
    return "\n".join(lines)


# ----------------------------------------------------------------------------- the models' facts in words


# the refusals worded from their facts alone (English; translated where shown)
REFUSALS = {
    "no_published_rank": N_("{entity} has no published rank to project from"),
    "score_pairs_no_edition": N_("no edition has {n} or more (rank, score) pairs; the score view is not measurable"),
    "not_covered": N_("Viet Nam is not covered by this index"),
    "no_rank": N_("no usable rank for Viet Nam"),
    "regional_not_projected": N_("too few editions to project Viet Nam"),
}


def refusal_words(exc: rk.InsufficientDataError) -> str:
    """Why the model could not fit or project (its code and facts), in the current language."""
    f = exc.facts
    if exc.code in REFUSALS:
        return _(REFUSALS[exc.code]).format(**f)
    if exc.code == "too_few_changes":
        words = (
            _(
                "the {index} has fewer than {n} published changes between editions in the data, too few to give "
                "the spread of a projection for {entity} (or the latest field size is not found). Not extrapolating."
            )
            if f["percentile"]
            else _(
                "the {index} has fewer than {n} published changes between editions in the data, too few to give "
                "the spread of a projection for {entity}. Not extrapolating."
            )
        )
        return words.format(index=index_label(f["index"]), n=f["n"], entity=f["entity"])
    # too_few_editions
    words = (
        ngettext(
            "{entity} has {n} edition with a used rank ({years}); the {method} method needs at least {needed} "
            "and a known field size. Not extrapolating.",
            "{entity} has {n} editions with a used rank ({years}); the {method} method needs at least {needed} "
            "and a known field size. Not extrapolating.",
            f["n"],
        )
        if f["percentile"]
        else ngettext(
            "{entity} has {n} edition with a used rank ({years}); the {method} method needs at least {needed}. "
            "Not extrapolating.",
            "{entity} has {n} editions with a used rank ({years}); the {method} method needs at least {needed}. "
            "Not extrapolating.",
            f["n"],
        )
    )
    needed = f["needed"] if f["method"] != "naive" else 1
    years = ", ".join(map(str, f["years"]))
    return words.format(entity=f["entity"], n=fmt.num(f["n"]), years=years, method=f["method"], needed=needed)


def spread_words(sp: bt.Spread | None) -> str:
    """Where a projection's interval comes from, in the current language."""
    if sp is None:
        return _("t interval of the fitted line")
    if sp.same_horizon:
        return _("{n} past {steps}-edition changes").format(n=fmt.num(sp.n), steps=sp.steps)
    source = (
        _("{n} past 1-edition changes scaled by sqrt({steps}) (no {steps}-edition changes in the data)")
        if sp.same_n == 0
        else _("{n} past 1-edition changes scaled by sqrt({steps}) (only {m} {steps}-edition changes in the data)")
    )
    return source.format(n=fmt.num(sp.n), steps=sp.steps, m=fmt.num(sp.same_n))


def choice_words(c: bt.Choice, interval_pct: float) -> str:
    """Why the backtest chose its method for an index, in the current language."""
    if c.code == "too_few_cases":
        return ngettext(
            "Only {n} backtest case (fewer than {min}): no method has shown it beats the naive forecast, so the "
            "latest rank is assumed to hold",
            "Only {n} backtest cases (fewer than {min}): no method has shown it beats the naive forecast, so the "
            "latest rank is assumed to hold",
            c.cases,
        ).format(n=fmt.num(c.cases), min=fmt.num(bt.MIN_CASES))
    if c.code == "beat_baseline":
        return _(
            "{method} beat the naive forecast in the backtest: mean absolute error {mae:num.1} vs {naive_mae:num.1} "
            "places over {cases:num} cases, {level}-interval coverage {coverage_pct:pct.0}"
        ).format(
            method=method_label(c.method).capitalize(),
            mae=c.chosen.mae,
            naive_mae=c.baseline.mae,
            cases=c.cases,
            level=percent(interval_pct),
            coverage_pct=c.chosen.coverage_pct,
        )
    if c.code == "none_better":
        why = _(
            "No trend method had a lower backtest error than the naive forecast (mean absolute error, places: "
            "naive {naive}; {words}), over {cases} cases; so the latest rank is assumed to hold"
        )
    else:
        why = ngettext(
            "{methods} had a lower backtest error than the naive forecast ({words} vs {naive} places) but its "
            "{level} intervals covered only {coverage} of outcomes (at least {required} required), over {cases} "
            "cases; so the latest rank is assumed to hold",
            "{methods} had a lower backtest error than the naive forecast ({words} vs {naive} places) but their "
            "{level} intervals covered only {coverage} of outcomes (at least {required} required), over {cases} "
            "cases; so the latest rank is assumed to hold",
            len(c.better),
        )
    said = why.format(
        naive=fmt.num(c.baseline.mae, 1),
        words=", ".join(f"{method_label(b.method)} {fmt.num(b.mae, 1)}" for b in c.rivals),
        methods=", ".join(method_label(b.method) for b in c.better),
        level=percent(interval_pct),
        coverage=", ".join(fmt.pct(b.coverage_pct, 0) for b in c.better),
        required=percent(interval_pct - bt.COVERAGE_TOLERANCE_PCT),
        cases=fmt.num(c.cases),
    )
    return said[:1].upper() + said[1:]  # a sentence may open with a method's name, in either language


def backtest_table(p: dict[str, Any], indices: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Backtest summary of every index (``r57 backtest`` and ``tables/backtest.csv``): :func:`rankings.backtest_table`
    with why each index's method was chosen in words (``why``) instead of its code."""
    return backtest_words(rk.backtest_table(p, indices), p)


def backtest_words(t: pd.DataFrame, p: dict[str, Any]) -> pd.DataFrame:
    """:func:`rankings.backtest_table` ``t`` with its ``choice`` codes replaced by why in words (``why``)."""
    why = {code: choice_words(rk.index_backtest(code, p).choice, p["interval_pct"]) for code in set(t["index"])}
    shown = [why[i] if c else "" for i, c in zip(t["index"], t["choice"], strict=True)]
    return t.drop(columns="choice").assign(why=shown)


def method_used(index: str, p: dict[str, Any]) -> tuple[str, str]:
    """(method, why in words) for ``index``: the backtest's choice, or the one the user set."""
    return rk.method_used(index, p), method_reason(rk.index_backtest(index, p).choice, p)


def method_reason(choice: bt.Choice, p: dict[str, Any]) -> str:
    """Why the projection uses its method: the backtest's ``choice`` in words, or that the user set it."""
    why = choice_words(choice, p["interval_pct"])
    if p["projection_method"] == "auto":
        return why
    return _("Set by the user (the backtest would use {method}: {reason})").format(method=choice.method, reason=why)


def unranked_ahead_text(st: dict[str, Any]) -> str:
    """'position 5; 6 if Brunei (unranked in the data since 2020) is ahead': the position among the economies ranked
    in the edition, and the position if those without a rank that were ahead when last ranked still are; empty
    where none of them is, or where the source of the rank states the position (it settles that bound)."""
    if not st.get("regional_unknown_ahead") or st.get("regional_rank_stated") is not None:
        return ""
    who = ", ".join(
        _("{name} (unranked in the data since {year})").format(name=_(n), year=y)
        for n, y in st["regional_unknown_ahead"]
    )
    return ngettext(
        "position {position}; {worse} if {who} is ahead",
        "position {position}; {worse} if {who} are ahead",
        len(st["regional_unknown_ahead"]),
    ).format(position=st["regional_rank"], worse=st["regional_rank_if_unknown_ahead"], who=who)


def projected_rank_text(results: dict[str, Any]) -> str:
    """A report's projected rank as the index shows it: marked as the latest rank held where the projection's
    method is the naive one (no change is forecast); :data:`NOT_COMPUTED` where none is projected (withheld)."""
    if results.get("projected_rank") is None:
        return NOT_COMPUTED
    if results.get("projection_method") == "naive":
        return _("{projected_rank:num} (latest rank held, not a forecast of change)").format_map(results)
    return fmt.num(results["projected_rank"])


# why rankings.withheld withholds a projection (the codes of targets.unbacked)
WITHHELD = ("backtest_too_thin", "beyond_backtest_horizon", "backtest_too_thin_beyond_horizon")


def withheld_words(results: dict[str, Any]) -> str | None:
    """Why :func:`rankings.withheld` withheld the projection in ``results`` (a summary), in words; else None."""
    if results.get("projected_rank") is None and (code := results.get("interval_note")) in WITHHELD:
        return withheld_note(code, results.get("backtest_cases") or 0, tg.MIN_BACKTEST_PAIRS)
    return None


def withheld_note(code: str, pairs: int, needed: int) -> str:
    """Why a projection is withheld (a code of :func:`rankings.withheld`, the rule of :func:`targets.unbacked`), in
    the current language: the one wording of the rankings page, its key finding, the index and the tracker. Where
    both reasons hold, both are said: more forecasts alone would not do."""
    if code == "beyond_backtest_horizon":  # no forecast that far ahead was scored
        return _(
            "the target year is further ahead than any past forecast the backtest could check against the published "
            "outcomes, so nothing shows how reliable a projection that far ahead is; that would need a longer run of "
            "data."
        )
    if code == "backtest_too_thin_beyond_horizon":
        return ngettext(
            "the backtest could check only {pairs:num} past forecast against the published outcomes; at least "
            "{needed:num} checked as far ahead as the target year are needed to show how reliable a projection "
            "that far ahead is, and that would need a longer run of data.",
            "the backtest could check only {pairs:num} past forecasts against the published outcomes; at least "
            "{needed:num} checked as far ahead as the target year are needed to show how reliable a projection "
            "that far ahead is, and that would need a longer run of data.",
            pairs,
        ).format(pairs=pairs, needed=needed)
    return ngettext(
        "the backtest could check only {pairs:num} past forecast against the published outcomes; at least "
        "{needed:num} are needed to show how reliable a projection is.",
        "the backtest could check only {pairs:num} past forecasts against the published outcomes; at least "
        "{needed:num} are needed to show how reliable a projection is.",
        pairs,
    ).format(pairs=pairs, needed=needed)


def interval_note_words(code: str | None, level: str) -> str:
    """Why an interval is withheld (a code of :func:`rankings.coverage_at_horizon` or of the tracker), in words."""
    words = {
        "coverage_below_nominal": _(
            "at this horizon the backtest's {level} intervals held the outcome more than {shortfall:num} points less "
            "often than {level}"
        ).format(level=level, shortfall=rk.MAX_COVERAGE_SHORTFALL),
        "too_few_backtest_pairs": _("too few backtest outcomes to calibrate a {level} interval").format(level=level),
        "zero_width": _("the interval would have no width"),
        "too_few_points": _(
            "fewer than {points:num} observations for a projection more than {years:num} years ahead"
        ).format(points=tg.MIN_POINTS_LONG_HORIZON, years=tg.LONG_HORIZON_YEARS),
        "no_interval": _("the method gives no interval"),
        "cannot_project": _("the series cannot be projected"),
    }
    return words.get(code or "", "")


# the evidence of a ranking target's pace status where no projection stands beside it (its ``why`` codes)
PACE_WORDS = {
    "verdicts": N_("{verdicts}, over {points:num} editions ({first:year}-{year:year})"),
    "too_few_for_pace": N_(
        "too few editions for a pace: {points:num} ({first:year}-{year:year}), at least {needed:num} needed"
    ),
}


def rank_verdicts_text(row: dict[str, Any], editions: dict[str, Any] | None = None) -> str:
    """A ranking row's paces seen against the pace needed (:func:`~analysis.reports.words.verdicts_text`), in
    places a year, over the ``editions`` (the ``verdicts`` facts of its ``why``) where given, and where they were
    read on the share ranked (:func:`analysis.models.rankings.rank_verdicts`'s ``pace_field``) the field they are
    given in (in the tracker's ``latest_year``, or this report's ``latest_edition``)."""
    text = _("{verdicts}, in {unit}").format(verdicts=verdicts_text(row), unit=label("pace_unit", "places_a_year"))
    if editions:  # the pace's editions: the words of its why code
        code = "verdicts"  # a name, not a literal, inside _(): the catalogue extracts literals
        text = _(PACE_WORDS[code]).format(verdicts=text, **editions)
    if pd.isna(row.get("pace_field")):
        return text
    return f"{text}; " + _(
        "paces read on the share of economies ranked, whose number changes between editions, and given in "
        "places among the {pace_field:num} ranked in {latest_year:year}"
    ).format(pace_field=row["pace_field"], latest_year=row.get("latest_year", row.get("latest_edition")))


def pace_words(why: list[tuple[str, dict[str, Any]]], row: dict[str, Any]) -> list[str]:
    """The words of a ranking row's ``why`` (:func:`analysis.models.targets.level_verdicts`) that :data:`PACE_WORDS`
    holds: the pace and the editions it rests on, or too few editions for one (none for other codes)."""
    code, f = why[0] if why else (None, {})
    if code == "verdicts":
        return [rank_verdicts_text(row, f)]
    return [_(PACE_WORDS[code]).format(**f)] if code in PACE_WORDS else []


def target_words(t: rk.RankTarget, row: dict[str, Any]) -> dict[str, Any]:
    """A row of :func:`rankings.track_target` for target ``t`` with its name and reason in the current language."""
    row = dict(row)
    # every row with a pace: its unit (a code of LABELS), in English in results.json
    row["pace_unit"] = LABELS["pace_unit"]["places_a_year"] if row.get("pace_scale") else None
    refusal, regional = row.pop("refusal", None), row.pop("regional", None)
    withheld = withheld_words({**row, **(row["backtest"] or {}), "projected_rank": row["projected"]})
    del row["backtest"], row["as_of_year"]  # the tracker's facts (every edition here)
    row.pop("verdicts", None)
    pace = pace_words(row.pop("why", None) or [], row)
    row = {"target": house_spelling(t.target.text_en)} | row
    if withheld or refusal is not None:  # the status's evidence, then why nothing is projected
        return row | {"reason": "; ".join([*pace, withheld or refusal_words(refusal)])}
    projected = {  # (world, naive): the naive method forecasts no change, so its figure is the latest rank held
        (True, False): _("projected {projected} vs target {target}"),
        (False, False): _("projected regional position {projected} vs target {target}"),
        (True, True): _("latest rank {projected} held (not a forecast of change) vs target {target}"),
        (False, True): _("latest regional position {projected} held (not a forecast of change) vs target {target}"),
    }[t.scope == "world", row.get("method") == "naive"].format(projected=fmt.num(row["projected"]), target=t.rank)
    has_pace = row.get("status_short") is not None or row.get("status_long") is not None
    reason = [f"{rank_verdicts_text(row)}; {projected}" if has_pace else "; ".join([*pace, projected])]
    if row["prob_reach_pct"] is not None:
        prob = _("P(reach) {prob_reach_pct:pct.0} from {n} or more past changes at this horizon")
        reason.append(prob.format_map(row | {"n": bt.MIN_PROB_CHANGES}))
    if regional and (ahead := unranked_ahead_text(regional["standing"])):
        reason.append(ahead)
    if regional and regional["not_projected"]:
        economies = ", ".join(i18n.country(e, e) for e in regional["not_projected"])
        reason.append(_("not projected (no published rank): {economies}").format(economies=economies))
    return row | {"reason": "; ".join(reason)}


# ----------------------------------------------------------------------------- words for readers


def city_names() -> list[str]:
    """The cities' English names in the ranking data (CLDR has none), as the house spells them: each written once,
    in the data, and translated through the catalogue (``r57 i18n check`` reports one without Vietnamese)."""
    long = pd.concat([rk.load_index(code) for code in rk.INDICES])
    return sorted({house_spelling(n) for n in long.loc[long["entity_type"] == "city", "entity_name"]})


def entity_label(entity: str, name: str, entity_type: str = "country") -> str:
    """An entity's name in the current language: an economy by its CLDR name (``VNM`` -> 'Việt Nam'; English
    as the house spells it, 'Viet Nam'), a city through the catalogue ('Hanoi' -> 'Hà Nội')."""
    english = house_spelling(name)
    if entity_type == "country":
        return i18n.country(entity, english)
    return _(english)


def entity_labels(long: pd.DataFrame) -> dict[str, str]:
    """English name (as the house spells it) -> name in the current language, for every entity of ``long``;
    for showing tables whose CSV keeps the English names."""
    first = long.drop_duplicates(["entity", "entity_name"])  # an entity may be named differently in two files
    return {
        house_spelling(n): entity_label(e, n, t)
        for e, n, t in zip(first["entity"], first["entity_name"], first["entity_type"], strict=True)
    }


def index_label(code: str) -> str:
    """An index's name in the current language (the official Vietnamese names: Chỉ số Đổi mới sáng tạo toàn cầu
    (GII), Chỉ số phát triển Chính phủ điện tử (EGDI), ...)."""
    return _(rk.INDICES[code].title) if code in rk.INDICES else i18n.keep(str(code))


# a projection method's short name ('naive (latest rank holds)') and its description, in the current language
method_label, method_words = functools.partial(label, "method"), functools.partial(label, "method_words")


def rank_of(rank: float, n: float | None, at_least: bool = False) -> str:
    """'55 of 118' (English) / '55/118' (Vietnamese, as officials write ranks); '55' when the field size is
    not known; '766 of 1,400+' when only a lower bound of the field is published."""
    if n is None or pd.isna(n):
        return fmt.num(rank)
    text = _("{rank} of {n}+") if at_least else _("{rank} of {n}")
    return text.format(rank=fmt.num(rank), n=fmt.num(n))


def percent(x: float) -> str:
    """A percentage with no needless decimals: 80%, 82.5% (the report's interval levels)."""
    return fmt.pct(x, 0 if float(x).is_integer() else 1)


def value_type_words(code: object) -> str:
    """A ``value_type`` code in the current language ('reported' -> 'published'); unknown codes lose underscores."""
    return label("value_type", code) if isinstance(code, str) and code else ""


CLAIM_COLUMNS = (N_("claim"), N_("what the data show"), N_("verdict"), N_("source"))  # CSV columns, shown translated


def _rank_held(c: dict[str, Any], long: pd.DataFrame) -> dict[str, Any]:
    s = rk.rank_series(long, c["entity"])
    editions = [int(y) for y, r in s["rank"].items() if r == c["claimed"]["rank"]]
    year, rank, n = rk.latest_standing(s)
    rows = long[(long["entity"] == c["entity"]) & (long["indicator"] == "rank") & long["year"].isin(editions)]
    return {
        "fields": {
            "editions": editions,
            "n": s.loc[editions[0], "n_ranked"] if editions else None,
            "rank": rank,
            "latest_n": n,
            "year": year,
        },
        "found": bool(editions),
        "outcome": ("out_of_date" if year > editions[-1] else "supported") if editions else "not_supported",
        "source": "; ".join(rows["source"].unique()) or c["source"],  # a press source is listed in rankings.yaml
    }


def _rise(c: dict[str, Any], long: pd.DataFrame) -> dict[str, Any]:
    claimed = c["claimed"]
    now, before = int(claimed["year"]), int(claimed["year"]) - 1
    s = rk.rank_series(long, c["entity"])
    n_rows = long[(long["entity"] == c["entity"]) & (long["indicator"] == "n_ranked") & (long["year"] == now)]
    n = float(n_rows["value"].iloc[0]) if len(n_rows) else np.nan
    rise = s.loc[before, "rank"] - s.loc[now, "rank"] if {before, now} <= set(s.index) else np.nan
    at = {col: {y: s.loc[y, col] if y in s.index else None for y in (before, now)} for col in ("rank", "value_type")}
    return {
        "fields": {
            "type_claimed": at["value_type"][now],
            "rise": rise,
            "rank_before": at["rank"][before],
            "type_before": at["value_type"][before],
            "n": n,
            "plus": "+" if len(n_rows) and n_rows["qualifier"].iloc[0] == "at_least" else "",
        },
        "found": True,
        "outcome": "field_wrong"
        if rise == claimed["rise"] and at["rank"][now] == claimed["rank"] and n > claimed["field"]
        else "check",
        "source": c["source"],
    }


def _top(c: dict[str, Any], long: pd.DataFrame) -> dict[str, Any]:
    s = rk.rank_series(long, c["entity"])["rank"]
    b = valued(rk.load_index(c["bands"]), "rank", entity=c["entity"])
    bands = list(b["value"])
    best = s.min() if len(s) else np.nan
    return {
        "fields": {
            "best": best,
            "best_year": int(s.idxmin()),
            "latest": s.iloc[-1],
            "year": int(s.index.max()),
            "lo": int(min(bands)) if bands else None,
            "hi": int(max(bands)) if bands else None,
            "band_year": int(b["year"].iloc[0]) if bands else None,
        },
        "found": bool(bands),
        "outcome": "not_supported" if best > c["claimed"]["top"] else "supported",
        "source": c["source"],
    }


CLAIM_CHECKS = {"rank_held": _rank_held, "rise": _rise, "top": _top}  # the rules of locale/rankings.yaml


def claim_facts() -> list[dict[str, Any]]:
    """Each public claim of ``locale/rankings.yaml`` checked on the rankings' data by its rule (``check``): the
    figures it words (``fields``), whether the data hold what it looks for (``found``), the verdict's ``outcome``
    and the ``source`` shown."""
    claims = ranking_claims()
    longs = {code: rk.load_index(code) for code in {c["index"] for c in claims}}
    return [CLAIM_CHECKS[c["check"]](c, longs[c["index"]]) for c in claims]


def claims_check(facts: list[dict[str, Any]] | None = None) -> pd.DataFrame:
    """What the data support for the public claims (``facts`` of :func:`claim_facts`, default: read), with
    edition, denominator and source, in the current language (the column names stay English)."""
    texts, figures = [], []
    for c, f in zip(ranking_claims(), facts or claim_facts(), strict=True):
        shown = c["shown"] if f["found"] else c["shown_none"]  # listed in the catalogue from rankings.yaml
        texts.append(
            dict(zip(CLAIM_COLUMNS, (c["claim"], shown, c["verdicts"][f["outcome"]], f["source"]), strict=True))
        )
        fields = f["fields"] | {k: value_type_words(v) for k, v in f["fields"].items() if k.startswith("type_")}
        if "editions" in fields:  # the years of the editions, listed
            fields["editions"] = ", ".join(map(str, fields["editions"]))
        figures.append(fields)
    return claims_table(texts, figures, CLAIM_COLUMNS)


# ----------------------------------------------------------------------------- the report


@dataclass
class RankingsRun:
    params: dict[str, Any]
    info: rk.IndexInfo
    long: pd.DataFrame
    entity: str
    entity_name: str
    series: pd.DataFrame  # every reported or derived rank, marked by value_type
    fan: pd.DataFrame  # the projection edition by edition to the target year (rank units, latest field)
    backtest_table: pd.DataFrame  # every index (tables/backtest.csv)
    field: pd.DataFrame  # field size by edition, with what it does to the entity's rank
    best_moves: pd.DataFrame
    excluded_moves: pd.DataFrame  # (entity, year) with a missing component, left out of the fastest moves
    curve: rk.ScoreCurve | None
    regional: dict[str, Any]
    drivers: pd.DataFrame  # EGDI component changes; GII sub-index ranks
    components: pd.DataFrame
    summary: dict[str, Any]
    # what :func:`words` words: the backtest's choice, the projection's spread, why a view is refused (a code or the
    # model's exception), how the field drift was set, the ranking targets' rows of :func:`rankings.track_target`
    codes: dict[str, Any]
    targets: pd.DataFrame = field(default_factory=pd.DataFrame)  # worded by :func:`words`, as are the claims
    claims: pd.DataFrame = field(default_factory=pd.DataFrame)


# figures of the projection that the summary carries (None where there is no projection)
PROJECTION_FIGURES = (
    "projected_rank projected_rank_lo projected_rank_hi prob_reach_target_pct trend_pct_per_year fit_points "
    "spread_source horizon_editions projected_from_edition interval_note interval_coverage_at_horizon_pct"
).split()


def _projection(
    long: pd.DataFrame, index: str, entity: str, p: dict[str, Any], method: str
) -> tuple[dict[str, Any], pd.DataFrame, rk.InsufficientDataError | None]:
    """The projection to the target year (:func:`rankings.judged_projection`: with its spread, and the interval
    withheld where the backtest at that horizon does not support it), the fan edition by edition
    (:func:`rankings.projection_fan`), and why the model could not project (empty projection and fan). A projection
    the backtest cannot judge is withheld by the tracker's rule (:func:`rankings.withheld`, as for the ranking
    targets): only its ``interval_note`` is kept, the one channel :func:`withheld_words` words it from."""
    proj, fan = {}, pd.DataFrame()
    try:
        proj = rk.judged_projection(long, index, entity, p, p["target_year"], p["target_rank"], method)
        if why := rk.withheld(index, method, p, proj["horizon_editions"], proj["backtest_cases"]):
            return {"interval_note": why}, fan, None
        fan = rk.projection_fan(long, index, entity, p, method).drop(columns="spread")
    except rk.InsufficientDataError as exc:
        return proj, fan, exc
    return proj, fan, None


def _trajectory(
    long: pd.DataFrame,
    index: str,
    series: pd.DataFrame,
    used: pd.DataFrame,
    p: dict[str, Any],
    method: str,
    summary: dict[str, Any],
    codes: dict[str, Any],
) -> pd.DataFrame:
    """The entity's latest standing (edition, rank, field size, percentile), its projection (:func:`_projection`)
    and the pace the target needs, into ``summary``; why there is none and the spread into ``codes``; the fan (empty
    without a projection). ``used``: the ranks the fits may use (derived ones only with ``include_derived``)."""
    proj, fan, pace = {}, pd.DataFrame(), {}
    if series.empty:
        summary.update(latest_edition=None, latest_rank=None, n_ranked_latest=None)
        terr = "no_rank"
    else:
        year, rank, n = rk.latest_standing(series)
        summary.update(
            latest_edition=year,
            latest_rank=rank,
            latest_value_type=str(series.loc[year, "value_type"]),
            n_ranked_latest=None if pd.isna(n) else n,
            latest_percentile=None if pd.isna(n) else rank / n * 100,
        )
        if used.empty:
            terr = "all_derived"
        else:
            proj, fan, terr = _projection(long, index, summary["entity"], p, method)
        pace = rk.required_pace(rank, n, year, p["target_rank"], p["target_year"])
    if "spread" in proj:
        codes["spread"] = proj.pop("spread")
    codes["trajectory_refused"] = terr
    summary.update({k: proj.get(k) for k in PROJECTION_FIGURES}, trajectory_refused=None)
    # None where not computable (no rank; percentile points: the latest field size is not found)
    pace = pace or dict.fromkeys(("required_places_per_year", "required_percentile_points_per_year"))
    summary.update({k: None if pd.isna(v) else v for k, v in pace.items()})
    return fan


def score_long(info: rk.IndexInfo, long: pd.DataFrame) -> pd.DataFrame:
    """The index's ranks with its scores (from the score dataset where the scores are kept apart)."""
    if info.score_dataset is None or info.score_dataset in info.datasets:
        return long
    return pd.concat([long, datasets.load(info.score_dataset)])


def _score_view(
    info: rk.IndexInfo, long: pd.DataFrame, p: dict[str, Any], summary: dict[str, Any], codes: dict[str, Any]
) -> rk.ScoreCurve | None:
    """The score view: the rank-score curve within one edition (None when the index has no scores or too few; why
    into ``codes``); the score growth the target needs only where the publisher says scores are comparable
    across editions. The curve's figures and the field drift go into ``summary`` (how the drift was set into
    ``codes``: the number of entities it was estimated from, or None when the user set it); an estimated drift
    into ``p``."""
    summary["score_comparable_across_editions"] = info.score_comparable
    summary["score_needed_unavailable"] = None  # words: :func:`words`
    curve, cerr = None, "no_scores"
    if info.score_dataset is not None:
        pts = rk.score_points(score_long(info, long))
        if info.score_comparable:
            codes["field_drift_entities"] = None
            summary["field_drift_method"] = None  # words: :func:`words`
        if info.score_comparable and p["field_drift_pct"] is None:
            p["field_drift_pct"], codes["field_drift_entities"] = rk.field_drift_pct(pts)
        try:
            curve, cerr = rk.fit_score_curve(pts, cover_rank=summary.get("latest_rank")), None
        except rk.InsufficientDataError as exc:
            cerr = exc
    drift = summary["field_drift_pct"] = p["field_drift_pct"]
    if curve is not None and summary.get("latest_rank"):
        summary.update(
            score_curve_edition=curve.edition,
            score_curve_form=curve.form,
            score_curve_r2=curve.r2,
            score_curve_rank_range=list(curve.rank_range),
            score_ratio_target_to_latest=float(curve.score(p["target_rank"]) / curve.score(summary["latest_rank"])),
        )
        if info.score_comparable and drift is not None:
            years = p["target_year"] - summary["latest_edition"]
            summary["required_score_growth_pct_per_year"] = rk.required_score_growth_pct(
                curve, summary["latest_rank"], p["target_rank"], years, drift
            )
    summary["score_view_unavailable"] = None  # words: :func:`words`
    codes["score_view_unavailable"] = cerr
    return curve


def run(params: dict[str, Any]) -> RankingsRun:
    """The report's facts, computed once and in no language: numbers and codes (``codes``), the reader's words left
    empty (``None`` in the summary, empty ``targets`` and ``claims``) for :func:`words` to fill in each language."""
    p = dict(params)
    info = rk.INDICES[p["index_name"]]
    long = rk.load_index(p["index_name"])
    entity = rk.resolve_entity(long, p["entity"])
    p["entity"] = entity
    name = str(long.loc[long["entity"] == entity, "entity_name"].iloc[-1])
    series = rk.rank_series(long, entity)
    used = bt.usable(series.reset_index().assign(entity=entity), p["include_derived"])
    derived = [int(y) for y in series.index[series["value_type"] == "derived_from_change"]]
    summary: dict[str, Any] = {
        "index_name": info.code,
        "index_title": info.title,
        "entity": entity,
        "entity_name": name,
        "value_types_used": bt.value_types(p["include_derived"]),
        "derived_editions": derived,
        "derived_excluded_from_fits": bool(derived) and not p["include_derived"],
    }
    # the Resolution's own ranking target where the scenario's is one (its index, world rank and year: a scenario
    # naming its resolution_target takes them from the target data), else the scenario's assumption
    own = [
        t
        for t in rk.ranking_targets()
        if (t.index, t.scope, t.rank, t.year) == (info.code, "world", p["target_rank"], p["target_year"])
    ]
    summary["target_source"] = "resolution" if own else "assumption"
    summary["resolution_target_id"] = own[0].target.target_id if own else None
    method = rk.method_used(info.code, p)
    codes: dict[str, Any] = {
        "choice": rk.index_backtest(info.code, p).choice,
        "resolution_target": own[0] if own else None,
    }
    summary.update(
        projection_method=method,
        projection_method_words=None,  # words (English in results.json, as the method's code): :func:`words`
        projection_method_reason=None,  # words: :func:`words`
        **rk.backtest_figures(info.code, method, p),
    )
    fan = _trajectory(long, info.code, series, used, p, method, summary, codes)
    ft = (
        rk.field_table(long, series[series["value_type"].isin(summary["value_types_used"])])
        if len(series)
        else pd.DataFrame()
    )
    summary["field_sizes_not_found"] = [int(y) for y in ft.loc[ft["n_ranked"].isna(), "year"]] if len(ft) else []
    moves, excluded, facts = rk.fastest_moves(long, p["include_derived"])
    summary.update(facts)
    curve = _score_view(info, long, p, summary, codes)
    regional = rk.regional_standing(long, summary["latest_edition"], entity) if summary["latest_edition"] else {}
    summary.update({k: v for k, v in regional.items() if k != "table"})
    if regional.get("regional_rank_stated") is not None:  # the source's position bounds it, as the worst case
        summary["regional_rank_if_unknown_ahead"] = regional["regional_rank_stated"]
    summary |= {k: regional.get(k) for k in ("regional_rank", "regional_rank_latest")}  # None without a rank
    comps, drivers, facts = rk.drivers(info.code, long, entity)
    summary.update(facts)
    codes["targets"] = [(t, rk.track_target(t, p)) for t in rk.ranking_targets()]
    codes["claims"] = claim_facts()
    return RankingsRun(
        p,
        info,
        long,
        entity,
        name,
        series,
        fan,
        rk.backtest_table(p),
        ft,
        moves,
        excluded,
        curve,
        regional,
        drivers,
        comps,
        summary,
        codes,
    )


def _refusal(code: str | rk.InsufficientDataError | None, R: RankingsRun) -> str | None:
    """Why a view of run ``R`` is refused (a code of :func:`run` or the model's exception) in words; None if not."""
    if code is None:
        return None
    if isinstance(code, rk.InsufficientDataError):
        return refusal_words(code)
    S = R.summary
    return {
        "no_rank": lambda: _("no reported or derived rank for this entity in this index"),
        "all_derived": lambda: _(
            "{name}'s ranks are all derived from reported changes ({years}); they are excluded from projections "
            "unless include_derived is set. Not extrapolating."
        ).format(name=S["entity_name"], years=", ".join(map(str, S["derived_editions"]))),
        "no_scores": lambda: _("{index} publishes no scores in the data; the score view is not measurable").format(
            index=_(R.info.title)
        ),
    }[code]()


def _drift_words(n: int | None) -> str:
    """How the field drift was set: estimated from ``n`` entities' scores, or (``None``) by the user."""
    if n is None:
        return _("set by the user")
    if not n:
        return _("no entity has scores in two editions")
    return ngettext(
        "median annual score growth between editions of {n} entity",
        "median annual score growth between editions of {n} entities",
        n,
    ).format(n=fmt.num(n))


def words(F: RankingsRun) -> RankingsRun:
    """Run ``F`` (:func:`run`'s facts) with the reader's words in the current language: the summary's reasons, the
    backtest's why, the ranking targets' rows and the claims checked. The numbers are ``F``'s."""
    c, S = F.codes, dict(F.summary)
    S["projection_method_words"] = LABELS["method_words"][S["projection_method"]]
    if S.get("egdi_driver_latest"):  # a code; its English in results.json, as the method's words
        S["egdi_driver_latest"] = LABELS["egdi_component"][S["egdi_driver_latest"]]
    S["projection_method_reason"] = method_reason(c["choice"], F.params)
    if "spread" in c:
        S["spread_source"] = spread_words(c["spread"])
    S["trajectory_refused"] = withheld_words(S) or _refusal(c["trajectory_refused"], F)
    S["score_needed_unavailable"] = None if F.info.score_comparable else _(F.info.score_comparability)
    if "field_drift_entities" in c:
        S["field_drift_method"] = _drift_words(c["field_drift_entities"])
    S["score_view_unavailable"] = _refusal(c["score_view_unavailable"], F)
    return replace(
        F,
        summary=S,
        backtest_table=backtest_words(F.backtest_table, F.params),
        targets=pd.DataFrame([target_words(t, row) for t, row in c["targets"]]),
        claims=claims_check(c["claims"]),
    )


# every dataset the rankings report reads: each index's ranks and scores, and the tracker's targets
RANKING_DATASETS = tuple(
    sorted({"r57_targets"} | {n for i in rk.INDICES.values() for n in (*i.datasets, i.score_dataset) if n})
)


def target_parameters(code: str) -> dict[str, Any]:
    """The parameters a scenario tracking the Resolution's world-rank target ``code`` (its ``resolution_target``)
    takes from the target data: the index, and the rank and year to reach."""
    world = {t.target.target_id: t for t in rk.ranking_targets() if t.scope == "world"}
    if code not in world:
        raise ParameterError(
            "resolution_target", f"is {code!r}, not a world-rank target of Resolution 57", ", ".join(world)
        )
    t = world[code]
    return {"index_name": t.index, "target_rank": t.rank, "target_year": t.year}


RANK_SPEC = register(
    NotebookSpec(
        name="ecosystem_rankings",
        notebook="03_ecosystem_rankings.ipynb",
        title=N_("Startup-ecosystem and innovation rankings: where Viet Nam stands and what can be projected"),
        params=RANK_PARAMS,
        check=_check,
        preflight=_preflight,
        description=N_(
            "Rank projections anchored to the latest edition and backtested against 'the latest rank holds', "
            "field-size changes, required pace, regional standing, drivers, the Resolution's ranking targets, "
            "and a check of public claims."
        ),
        extra_help=entity_help,
        findings=("rank_latest", "rank_projected", "rank_chance", "rank_pace", "rank_region"),
        key_figures=(
            KeyFigure("latest_rank", N_("Latest rank"), N_("rank"), 0),
            KeyFigure("projected_rank", N_("Projected rank"), N_("rank"), 0),
            KeyFigure("prob_reach_target_pct", N_("P(reach target rank), %"), "%", 0),
            KeyFigure("backtest_coverage_pct", N_("Backtest: share of outcomes inside the interval, %"), "%", 0),
            # the position where known, else its bounds (regional_rank_latest, None where not known, stays in results)
            KeyFigure("regional_rank_best", N_("Rank in Southeast Asia: best case"), N_("rank"), 0),
            KeyFigure("regional_rank_worst", N_("Rank in Southeast Asia: worst case"), N_("rank"), 0),
        ),
        datasets=RANKING_DATASETS,
        section=N_("Startup-ecosystem and innovation rankings"),
        order=40,
        messages=("src/analysis/locale/rankings.yaml",),
        resolution_targets=target_parameters,
    )
)


# ----------------------------------------------------------------------------- the page
# Every section of the notebook is one function here, called under render.both: it words and shows the run's
# facts in the current language (English, then Vietnamese), so both editions come from one execution.


# cell formats: a number with 0 or 1 decimals, or signed, in the current language
_n0, _n1 = functools.partial(fmt.num, decimals=0), functools.partial(fmt.num, decimals=1)
_signed0, _signed3 = functools.partial(fmt.signed, decimals=0), functools.partial(fmt.signed, decimals=3)


def _yes(v: object) -> str:
    return _("yes") if v is True or v == "yes" else ""


def _yes_code(v: object) -> str:
    return "yes" if v is True else ""


def csv_frame(R: RankingsRun, frame: pd.DataFrame, columns: dict[str, tuple[str, Any]]) -> pd.DataFrame:
    """``frame``'s ``columns`` (column -> (CSV name, formatter)) under their CSV names, in English ('{name}' is the
    entity's name as the house spells it, as are the names in ``entity_name``; a flag shown by :func:`_yes` is 'yes'
    or empty); one value per cell, rows numbered from 0."""
    name = house_spelling(R.entity_name)
    out = frame[list(columns)].reset_index(drop=True)
    for c, (_n, f) in columns.items():
        if f is _yes:
            out[c] = out[c].map(_yes_code)
    if "entity_name" in out:
        out["entity_name"] = out["entity_name"].map(house_spelling)
    return out.rename(columns={c: i18n.Text(n).format(name=name, **WINDOWS) for c, (n, _f) in columns.items()})


def _show_table(report: Report, w: Page, frame: pd.DataFrame, columns: dict[str, tuple[str, Any]], **kw: Any) -> None:
    """Show ``frame`` (:func:`csv_frame` of ``columns``): headers translated, cells by each column's formatter (None:
    as they are; ``formats`` adds some by CSV name); ``kw`` as :meth:`Report.table` takes them (``source``: the
    index's, unless given)."""
    shown = dict(zip(frame, columns.values(), strict=True))  # CSV column -> (its name as declared, formatter)
    formats = {c: f for c, (_n, f) in shown.items() if f} | kw.pop("formats", {})
    labels = {c: _(n).format(name=w.name, **WINDOWS) for c, (n, _f) in shown.items()}
    report.table(frame, index=False, formats=formats, labels=labels, **({"source": w.source} | kw))


@dataclass(frozen=True)
class Page:
    """A run's facts with the words every section uses, in the language current when made (:func:`page`)."""

    R: RankingsRun
    name: str  # the entity
    index: str  # the index's name
    labels: dict[str, str]  # English name (CSV) -> shown name
    level: str  # the interval level, '80%'
    source: str

    @property
    def p(self) -> dict[str, Any]:
        return self.R.params

    @property
    def s(self) -> dict[str, Any]:
        return self.R.summary

    @property
    def facts(self) -> dict[str, Any]:
        """The parameters, the summary and the words above by name: the fields of the page's messages."""
        return self.p | self.s | {"name": self.name, "index": self.index, "level": self.level, "source": self.source}

    def who(self, english: str) -> str:
        """An entity named in the data (English), shown in the current language."""
        return self.labels.get(house_spelling(english), english)


def page(R: RankingsRun) -> Page:
    """:class:`Page` of ``R`` in the current language."""
    return Page(
        R,
        entity_label(R.entity, R.entity_name, str(R.long["entity_type"].iloc[0])),
        index_label(R.info.code),
        entity_labels(R.long),
        percent(R.params["interval_pct"]),
        label("index_source", R.info.code),
    )


def title(R: RankingsRun) -> str:
    """The page's title, worded from the parameters in the current language."""
    return _("{name} in the {index}: towards the top {target_rank} by {target_year}").format_map(page(R).facts)


def _subplots(**kw: Any) -> tuple[Any, Any]:
    import matplotlib.pyplot as plt  # here, not at import (see analysis.reports.render)

    return plt.subplots(**kw)


def target_text(w: Page) -> str:
    """Whose the target is: the Resolution's, quoted as written (Vietnamese), or the scenario's assumption."""
    own = w.R.codes.get("resolution_target")
    if own is None:
        return _(
            "The target, the top {target_rank} by {target_year}, is this scenario's illustrative assumption, not a "
            "target set by Resolution 57."
        ).format_map(w.facts)
    return _(
        'The target, the top {target_rank} by {target_year}, is Resolution 57\'s own ({target_id}: "{wording}").'
    ).format_map(w.facts | {"target_id": i18n.keep(own.target.target_id), "wording": i18n.keep(own.target.text_vi)})


def standing_text(w: Page) -> str:
    """Where the entity stands and what is projected, as one paragraph (Markdown)."""
    S, F = w.s, w.facts
    if S["latest_rank"] is None:
        return _("**{name} has no reported or derived rank in the {index}.**").format_map(F) + (
            " " + S["trajectory_refused"] if S["trajectory_refused"] else ""
        )
    if S["n_ranked_latest"] and S.get("latest_percentile"):
        headline = _(
            "In the latest edition ({latest_edition}), **{name} ranks {rank_of}** in the {index}, the top "
            "{latest_percentile:pct.0}."
        )
    elif S["n_ranked_latest"]:
        headline = _("In the latest edition ({latest_edition}), **{name} ranks {rank_of}** in the {index}.")
    else:
        headline = _(
            "In the latest edition ({latest_edition}), **{name} ranks {latest_rank:num} (field size not found)** in "
            "the {index}."
        )
    text = [headline.format_map(F | {"rank_of": rank_of(S["latest_rank"], S["n_ranked_latest"])}), target_text(w)]
    if S["derived_editions"]:
        derived = (
            _("Ranks for {years} are worked back from a reported change (included in the projection).")
            if w.p["include_derived"]
            else _("Ranks for {years} are worked back from a reported change (left out of the projection).")
        )
        text.append(derived.format(years=", ".join(map(str, S["derived_editions"]))))
    if S["projected_rank"] is None:
        text.append(_("**No projection is made:** {reason}").format(reason=S["trajectory_refused"]))
        return " ".join(text)
    F |= {"method": method_words(S["projection_method"]), "why": interval_note_words(S.get("interval_note"), w.level)}
    projected = {  # (naive: no change is forecast, the latest rank is held; an interval is given)
        (True, True): _(
            "With the method *{method}*, its {projected_from_edition} rank is held to {target_year}: "
            "**{projected_rank:num} (latest rank held, not a forecast of change)**, with a {level} interval of "
            "{projected_rank_lo:num}-{projected_rank_hi:num} from past changes (at this horizon the backtest's "
            "intervals held {interval_coverage_at_horizon_pct:pct.0} of the outcomes). Why this method: "
            "{projection_method_reason}. The spread comes from {spread_source} in this index."
        ),
        (True, False): _(
            "With the method *{method}*, its {projected_from_edition} rank is held to {target_year}: "
            "**{projected_rank:num} (latest rank held, not a forecast of change)**; no interval is given: {why}. "
            "Why this method: {projection_method_reason}."
        ),
        (False, True): _(
            "Projected from its {projected_from_edition} rank with the method *{method}*, it would rank about "
            "**{projected_rank:num} in {target_year}** ({level} interval {projected_rank_lo:num}-"
            "{projected_rank_hi:num}; at this horizon the backtest's intervals held "
            "{interval_coverage_at_horizon_pct:pct.0} of the outcomes). Why this method: {projection_method_reason}. "
            "The spread comes from {spread_source} in this index."
        ),
        (False, False): _(
            "Projected from its {projected_from_edition} rank with the method *{method}*, it would rank about "
            "**{projected_rank:num} in {target_year}**; no interval is given: {why}. Why this method: "
            "{projection_method_reason}."
        ),
    }[S["projection_method"] == "naive", S.get("projected_rank_lo") is not None]
    text.append(projected.format_map(F))
    text.append(
        (
            _("The chance of reaching rank {target_rank} by then is about **{prob_reach_target_pct:pct.0}**.")
            if S.get("prob_reach_target_pct") is not None
            else _(
                "The chance of reaching rank {target_rank} by then is **not estimable**: fewer than {n} past changes "
                "at this horizon, or a spread the backtest does not support."
            )
        ).format_map(F | {"n": bt.MIN_PROB_CHANGES})
    )
    if w.R.info.code == "startupblink_city":
        text.append(
            _(
                "The past changes come from the cities in the data, whose ranks were collected because they made "
                "the news (mostly climbs): a sample that leans toward improvement."
            )
        )
    return " ".join(text)


def trend_band(R: RankingsRun) -> pd.DataFrame:
    """The projection drawn from the latest rank: the latest edition (no spread), then the fan to the target
    year (rank units; empty without a projection)."""
    cols = ["year", "projected_rank", "projected_rank_lo", "projected_rank_hi"]
    if not len(R.fan):
        return pd.DataFrame(columns=cols)
    start = {"year": R.summary["projected_from_edition"]} | dict.fromkeys(cols[1:], R.summary["latest_rank"])
    return pd.concat([pd.DataFrame([start]), R.fan[cols]], ignore_index=True)


def trend_figure(w: Page) -> Any:
    """Rank by edition with the projection and the target (left); the percentile with field sizes (right)."""
    S, P, hist = w.s, w.p, w.R.series.reset_index()
    fig, axes = _subplots(ncols=2, figsize=(11, 4.3))
    ax = axes[0]
    if len(hist):
        pub = hist[hist["value_type"] == "reported"]
        ax.plot(hist["year"], hist["rank"], color="#1f3b73", lw=1)
        ax.scatter(pub["year"], pub["rank"], color="#1f3b73", zorder=5, label=_("published rank"))
        derived = hist[hist["value_type"] == "derived_from_change"]
        if len(derived):
            hollow = {"facecolor": "white", "edgecolor": "#1f3b73", "zorder": 5, "s": 50}
            ax.scatter(derived["year"], derived["rank"], **hollow, label=_("worked back from a reported change"))
    band = trend_band(w.R)
    if len(band):
        label_ = _("projection ({method})").format(method=method_label(S["projection_method"]))
        ax.plot(band["year"], band["projected_rank"], color="darkorange", ls="--", label=label_)
        if S.get("projected_rank_lo") is not None:  # a withheld interval is not drawn either
            lo, hi = band["projected_rank_lo"].astype(float), band["projected_rank_hi"].astype(float)
            interval = _("{level} interval").format(level=w.level)
            ax.fill_between(band["year"], lo, hi, color="darkorange", alpha=0.15, label=interval)
    target_label = _("target rank {rank}").format(rank=P["target_rank"])
    ax.axhline(P["target_rank"], color="firebrick", lw=1, ls=":", label=target_label)
    ax.invert_yaxis()
    whole_ticks(ax.xaxis)
    ax.set(xlabel=_("Edition"), ylabel=_("Rank (1 = best), as published"), title=_("{name}: rank").format(name=w.name))
    ax.legend(fontsize=8)
    ax = axes[1]
    pc = hist.dropna(subset=["percentile"]) if len(hist) else hist
    if len(pc):
        ax.plot(pc["year"], pc["percentile"], marker="o", color="#55A868")
        for r in pc.itertuples():
            of_n = _("of {n}").format(n=_n0(r.n_ranked))
            ax.annotate(
                of_n, (r.year, r.percentile), fontsize=7, xytext=(0, 5), textcoords="offset points", ha="center"
            )
    ax.invert_yaxis()
    whole_ticks(ax.xaxis)
    ax.set(
        xlabel=_("Edition"),
        ylabel=_("Rank as % of entities ranked (lower is better)"),
        title=_("Relative position (published editions)"),
    )
    return fig


def show_standing(R: RankingsRun, report: Report) -> None:
    """Where the entity stands, what is projected, and the chart of both."""
    w, hist = page(R), R.series
    F, projected = w.facts | {"method": method_words(w.s["projection_method"])}, w.s["projected_rank"] is not None
    md(standing_text(w))
    if not len(hist):
        alt = _("No usable ranks for {name}.").format_map(F)
    else:
        alt = (
            _("Chart of {name}'s rank from {first} to {last}, latest {latest_rank:num}; no projection is drawn.")
            if not projected
            else _(
                "Chart of {name}'s rank from {first} to {last}, latest {latest_rank:num}, held to {target_year} "
                "(latest rank held, not a forecast of change)."
            )
            if w.s["projection_method"] == "naive"
            else _(
                "Chart of {name}'s rank from {first} to {last}, latest {latest_rank:num}; the projection from the "
                "latest edition reaches about {projected_rank:num} by {target_year}, drawn in rank units on the "
                "latest field so that changes in field size make no jumps."
            )
        ).format_map(F | {"first": int(hist.index.min()), "last": int(hist.index.max())})
    report.figure(
        trend_figure(w),
        chart_id="rank_trend",
        title=(
            _("{name} in the {index}: rank by edition and projection to {target_year}")
            if projected
            else _("{name} in the {index}: rank by edition")
        ).format_map(F),
        alt=alt,
        source=_("{source}; projection: {method} (an estimate, not data)").format_map(F) if projected else w.source,
    )


def show_backtest(R: RankingsRun, report: Report) -> None:
    """The method used and why; the backtest of every index; its error by horizon for this index."""
    w = page(R)
    F = w.facts | {"method": method_label(w.s["projection_method"]), "words": method_words(w.s["projection_method"])}
    md(_("**Method used for the {index}: {method}** ({words}). {projection_method_reason}.").format_map(F))
    columns = {
        "index": (_("index"), index_label),  # shown in words; the CSV keeps the codes
        "horizon": (_("horizon"), lambda h: _("all") if h == "all" else str(h)),
        "method": (_("method"), method_label),
        "cases": (_("cases"), _n0),
        "entities": (_("entities"), _n0),
        "mae_places": (_("mean absolute error, places"), _n1),
        "coverage_pct": (_("coverage, %"), _n0),
        "nominal_pct": (_("nominal level, %"), _n0),
        "naive_mae_places": (_("naive: mean absolute error, places"), _n1),
        "naive_coverage_pct": (_("naive: coverage, %"), _n0),
        "chosen": (_("chosen"), _yes),
        "why": (_("why"), str),
    }
    report.table(
        R.backtest_table,
        table_id="backtest",
        index=False,
        title=_(
            "Backtest of every index: mean absolute rank error and interval coverage, each method beside the naive "
            "forecast"
        ),
        note=_(
            "horizon = editions ahead ('all' pools them); cases are those every method could forecast; coverage is "
            "the share of published ranks inside the method's interval (nominal level in the next column). 'chosen' "
            "marks the method each index's projections use."
        ),
        source=_("r57 backtest on the ranking snapshots in data/raw ({source} and the other indices' sources)").format(
            source=w.source
        ),
        formats={c: f for c, (_label, f) in columns.items()},
        labels={c: label_ for c, (label_, _f) in columns.items()},
    )
    bts = rk.index_backtest(R.info.code, R.params).summary
    if not len(bts):
        md(
            _(
                "No entity in the {index} data has four or more published editions, so nothing could be backtested; "
                "projections (if any) use the naive forecast."
            ).format(index=w.index)
        )
        return
    fig, ax = _subplots(figsize=(8, 3.8))
    for m, g in bts[bts["horizon"] != "all"].groupby("method", sort=False):
        ax.plot(g["horizon"].astype(int), g["mae_places"], marker="o", label=method_label(m))
    whole_ticks(ax.xaxis)
    ax.set(
        xlabel=_("Editions ahead"),
        ylabel=_("Mean absolute error (places)"),
        title=_("Backtest error, {index}").format(index=w.index),
    )
    ax.legend(fontsize=8)
    report.figure(
        fig,
        chart_id="backtest",
        title=_("How far off each method was, by editions ahead: {index}").format(index=w.index),
        alt=_("Lines of mean absolute rank error by horizon for each method; the method used is {method}.").format_map(
            F
        ),
        source=_("r57 backtest; {source}").format(source=w.source),
    )


FIELD_COLUMNS = {  # the field-size table: column of R.field -> (CSV column, English and shown translated; formatter)
    "year": (N_("edition"), str),
    "n_ranked": (N_("entities ranked"), _n0),
    "at_least": (N_("at least (only a lower bound published)"), _yes),
    "published_change": (N_("{name}: change in published rank"), _signed0),
    "entrants": (N_("change in field size"), _signed0),
    "newcomers_ahead_if_even": (N_("newcomers ahead if spread evenly"), _n0),
    "common_change_if_even": (N_("change among common entities if spread evenly"), _signed0),
}


def show_field(R: RankingsRun, report: Report) -> None:
    """Field sizes by edition and what newcomers can have done to the entity's rank."""
    w, ft = page(R), R.field
    if not len(ft):
        return
    if w.s["field_sizes_not_found"]:
        md(
            _(
                "The number of entities ranked is **not found** for {editions}: the percentile and anything divided "
                "by the field size are not computed for those editions (no value is carried over from another edition)."
            ).format(editions=", ".join(map(str, w.s["field_sizes_not_found"])))
        )
    moved = ft[ft["entrants"].notna() & (ft["entrants"] != 0)]
    if len(moved):
        r0 = moved.iloc[-1]
        md(
            _(
                "Between the {from_year} and {year} editions the field grew by {entrants:num}. {name}'s published rank "
                "changed by {published_change:signed.0} places. If the newcomers all joined below, that is also its "
                "change among the entities ranked in both editions; if they spread evenly, about "
                "{newcomers_ahead_if_even:num} joined ahead of it and its change among the common entities was "
                "{common_change_if_even:signed.0} (negative is better)."
            ).format_map(w.facts | dict(r0) | {"from_year": int(r0["from_year"]), "year": int(r0["year"])})
        )
    _show_table(
        report,
        w,
        csv_frame(R, ft, FIELD_COLUMNS),
        FIELD_COLUMNS,
        table_id="field_sizes",
        title=_("Field size by edition and what newcomers can do to {name}'s rank").format(name=w.name),
    )


def pace_text(w: Page) -> str | None:
    """The pace the target needs beside the fastest move seen; None without a rank."""
    S = w.s
    if S["required_places_per_year"] is None:
        return None
    pace = (
        _(
            "From {latest_rank:num} in {latest_edition} to {target_rank} in {target_year} takes "
            "**{required_places_per_year:num.1} places a year** ({required_percentile_points_per_year:num.1} "
            "percentile points a year)."
        )
        if S["required_percentile_points_per_year"] is not None
        else _(
            "From {latest_rank:num} in {latest_edition} to {target_rank} in {target_year} takes "
            "**{required_places_per_year:num.1} places a year** (percentile points not computed: the latest field "
            "size is not found)."
        )
    )
    if S["best_observed_places_per_year"] is None:
        return pace.format_map(w.facts)
    fastest = _(
        "The fastest move in this index's data is {best_observed_places_per_year:num} places a year, by {who} in "
        "{best_observed_period}. Places are cheaper further down the table: a city at 766th moves 130 places more "
        "easily than one at 110th moves 10, so the percentile column is the fairer comparison."
    )
    evidence = (
        _("It starts or ends at a rank worked back from a reported change, which this run also fits.")
        if S.get("best_observed_derived")
        else _(
            "As in the fits, only moves between published ranks count: ranks worked back from a reported change are "
            "left out."
        )
    )
    F = w.facts | {"who": w.who(S["best_observed_entity"])}
    return " ".join((pace.format_map(F), fastest.format_map(F), evidence))


MOVE_COLUMNS = {  # the fastest moves' table: column of R.best_moves -> (CSV column, shown translated; formatter)
    "entity_name": (N_("entity"), None),
    "from_year": (N_("from"), str),
    "year": (N_("to"), str),
    "from_rank": (N_("rank before"), _n0),
    "rank": (N_("rank after"), _n0),
    "places_per_year": (N_("places a year"), _n1),
    "percentile_points_per_year": (N_("percentile points a year"), _n1),
    "derived": (N_("uses a derived rank"), _yes),
}


def moves_table(R: RankingsRun, n: int = 10) -> pd.DataFrame:
    """The ``n`` fastest moves, one value per cell (entity in English as the house spells it; 'yes' where a move
    starts or ends at a derived rank)."""
    return csv_frame(R, R.best_moves.head(n), MOVE_COLUMNS)


def show_pace(R: RankingsRun, report: Report) -> None:
    """The pace the target needs against the fastest climbs in the data."""
    w, S = page(R), R.summary
    text = pace_text(w)
    if text:
        md(text)
    tbl = moves_table(R)
    if not len(tbl):
        return
    moves = [f"{w.who(n)} {a}-{b}" for n, a, b in zip(tbl["entity"], tbl["from"], tbl["to"], strict=True)]
    fig, ax = _subplots(figsize=(8, 4.5))
    ax.barh(moves[::-1], tbl["places a year"][::-1], color="#8172B3", label=_("observed"))
    needed = S["required_places_per_year"]
    if needed is not None:
        ax.axvline(needed, color="firebrick", ls="--", label=_("{name} needs").format(name=w.name))
    ax.set(xlabel=_("Places gained per year"), ylabel="", title=_("Fastest climbs in the data and the pace needed"))
    ax.legend(fontsize=8)
    report.figure(
        fig,
        chart_id="pace",
        title=_("Places gained per year: the ten fastest moves in the {index} data").format(index=w.index),
        alt=(
            _(
                "Horizontal bars of the ten fastest climbs, led by {move} at {places:num} places a year; the dashed "
                "line marks the {required_places_per_year:num.1} places a year {name} needs."
            )
            if needed is not None
            else _("Horizontal bars of the ten fastest climbs, led by {move} at {places:num} places a year.")
        ).format_map(w.facts | {"move": moves[0], "places": tbl["places a year"].iloc[0]}),
        source=w.source,
    )
    if len(R.excluded_moves):
        md(
            _(
                "Left out of the fastest moves because a component of the index is missing that edition (published "
                "score 0, all tied at the bottom): {moves}."
            ).format(moves=", ".join(f"{w.who(r.entity_name)} ({r.year})" for r in R.excluded_moves.itertuples()))
        )
    if (tbl["uses a derived rank"] == "yes").any():
        md(
            _(
                "Moves marked 'yes' in the last column start or end at a rank worked back from a reported change, not "
                "a published rank."
            )
        )
    _show_table(
        report,
        w,
        tbl,
        MOVE_COLUMNS,
        table_id="fastest_moves",
        title=_("The fastest moves in the data"),
        formats={"entity": w.who},  # the CSV keeps the English names
    )


def score_text(w: Page) -> str:
    """What score a better rank takes, or why the score view is not measurable."""
    S, P, c, F = w.s, w.p, w.R.curve, w.facts
    if c is None or "score_ratio_target_to_latest" not in S:
        text = [
            _("**The score view is not measurable here:** {reason}.").format(
                reason=S["score_view_unavailable"] or _("no scores")
            )
        ]
        if S["score_needed_unavailable"]:
            text.append(_("Nor would a score needed by {target_year} be: {score_needed_unavailable}.").format_map(F))
        return " ".join(text)
    form = (
        _("a power law in rank (log score linear in log rank)")
        if c.form == "log_log"
        else _("a log-linear curve in rank")
    )
    text = [
        _(
            "The {score_curve_edition} edition's scores follow {form} closely (R-squared {score_curve_r2:num.2} over "
            "ranks {lo:num}-{hi:num}). Rank {target_rank} needs {score_ratio_target_to_latest:num.2} times the score "
            "of rank {latest_rank:num} in that edition."
        ).format_map(F | {"form": form, "lo": c.rank_range[0], "hi": c.rank_range[1]})
    ]
    if S.get("required_score_growth_pct_per_year") is not None:
        text.append(
            _(
                "With the field's scores rising {field_drift_pct:pct.1} a year ({field_drift_method}), {name}'s own "
                "score would have to grow **{required_score_growth_pct_per_year:pct.1} a year** to {target_year}."
            ).format_map(F)
        )
    else:
        text.append(_("**No score needed by {target_year} is computed:** {score_needed_unavailable}.").format_map(F))
    lo, hi = sorted((P["target_rank"], S["latest_rank"]))
    if not (c.rank_range[0] <= lo and hi <= c.rank_range[1]):
        text.append(
            _(
                "The target or the current rank lies outside the ranks the curve was fitted on, so this is an "
                "extrapolation."
            )
        )
    return " ".join(text)


def show_score(R: RankingsRun, report: Report) -> None:
    """The rank-score curve of the latest edition with scores, and the score the target would take."""
    from analysis.reports.render import plain_log_ticks

    w = page(R)
    S, P, c = w.s, w.p, R.curve
    md(score_text(w))
    if c is None or "score_ratio_target_to_latest" not in S:
        return
    pts = rk.score_points(score_long(R.info, R.long))
    pts = pts[pts["year"] == c.edition]
    grid = np.geomspace(max(1, min(pts["rank"].min(), P["target_rank"])), max(pts["rank"].max(), S["latest_rank"]), 100)
    fig, ax = _subplots()
    ax.scatter(pts["rank"], pts["score"], color="#4C72B0", label=_("published, {edition}").format(edition=c.edition))
    ax.plot(grid, c.score(grid), color="black", label=_("fitted curve"))
    for rr, lab, col in (
        (S["latest_rank"], _("{name} now").format(name=w.name), "#1f3b73"),
        (P["target_rank"], _("target"), "firebrick"),
    ):
        ax.axvline(rr, color=col, ls=":", lw=1)
        ax.annotate(lab, (rr, c.score(rr)), xytext=(4, 4), textcoords="offset points", color=col)
    ax.set(
        xscale="log",
        yscale="log",
        xlabel=_("Rank (log scale)"),
        ylabel=_("Score, {edition} scale (log scale)").format(edition=c.edition),
        title=_("How steeply scores fall down the table"),
    )
    plain_log_ticks(ax)  # 60, 100, not 6x10^1 (Report.figure puts tick numbers in the report's language)
    ax.legend(fontsize=8)
    report.figure(
        fig,
        chart_id="score_curve",
        title=_("Published scores against rank, {index}, {edition} edition, with the fitted curve").format(
            index=w.index, edition=c.edition
        ),
        alt=_(
            "Log-log scatter of {n} published scores falling with rank, closely following a straight fitted line; "
            "markers show {name}'s current rank and the target rank."
        ).format(n=_n0(c.n_points), name=w.name),
        source=w.source,
    )


def regional_text(w: Page) -> str:
    """The entity's position in Southeast Asia and what it takes to overtake the next one ahead."""
    S, F = w.s, w.facts
    cities = w.R.long["entity_type"].iloc[0] != "country"
    text = (
        _("Among the Southeast Asian cities with a {latest_edition} rank in the data, {name} is {regional_rank}.")
        if cities
        else _(
            "Among the Southeast Asian economies with a {latest_edition} rank in the data, {name} is {regional_rank}."
        )
    ).format_map(F)
    if S.get("regional_unknown"):
        text += " " + _(
            "{regional_unknown} have no {latest_edition} rank in the data; no rank is carried forward."
        ).format_map(F)
        if where := unranked_ahead_text(S):  # "position 5; 6 if Brunei (unranked in the data since 2020) is ahead"
            text += " " + where[:1].upper() + where[1:] + "."
    if S.get("regional_rank_stated"):  # the position the source of its rank states (within the bounds)
        text += " " + _(
            "The source of its {latest_edition} rank puts it **{regional_rank_stated}** in Southeast Asia, the "
            "position given here: {regional_rank_stated_source}."
        ).format_map(F | {"regional_rank_stated_source": i18n.keep(S["regional_rank_stated_source"])})
    elif S.get("regional_rank_latest") is None:
        text += " " + _(
            "Its position in Southeast Asia in {latest_edition} is therefore known only as **{regional_rank_best} to "
            "{regional_rank_worst}** (the worst case: every member without a rank ahead of it)."
        ).format_map(F)
    if S.get("next_ahead"):
        text += " " + (
            _(
                "To overtake {who} (rank {next_ahead_rank:num}) it must gain {places_to_overtake:num} places, a score "
                "gain of {score_gap:num.3}."
            )
            if S.get("score_gap")
            else _("To overtake {who} (rank {next_ahead_rank:num}) it must gain {places_to_overtake:num} places.")
        ).format_map(F | {"who": w.who(S["next_ahead"])})
    return text


REGIONAL_COLUMNS = {  # the regional table: column of the standing's table -> (CSV column, shown translated; formatter)
    "entity_name": (N_("entity"), None),
    "rank": (N_("global rank"), _n0),
    "value_type": (N_("value type"), value_type_words),
    "score": (N_("score"), fixed(2)),
    "regional_rank": (N_("regional rank"), _n0),
    "last_known_rank": (N_("last known rank"), _n0),
    "last_known_year": (N_("last known edition"), str),
}


def regional_frame(R: RankingsRun) -> pd.DataFrame:
    """Southeast Asia in the latest edition, one value per cell (English names as the house spells them; an
    economy unranked in it with its last known rank and that rank's edition)."""
    return csv_frame(R, R.regional["table"], REGIONAL_COLUMNS)


def show_regional(R: RankingsRun, report: Report) -> None:
    """The entity among its Southeast Asian peers in the latest edition: text, bars and table."""
    reg = R.regional.get("table")
    if reg is None or not len(reg):
        return
    w = page(R)
    md(regional_text(w))
    shown = reg[reg["rank"].notna()].sort_values("rank")
    F = w.facts | {"n": len(shown)}
    fig, ax = _subplots(figsize=(8, max(2.5, 0.45 * len(shown) + 1)))
    colors = ["firebrick" if e == R.entity else "#4C72B0" for e in shown["entity"]]
    ax.barh([w.who(n) for n in shown["entity_name"]][::-1], shown["rank"][::-1], color=colors[::-1])
    for y, rr in enumerate(shown["rank"][::-1]):
        ax.annotate(_n0(rr), (rr, y), xytext=(3, -3), textcoords="offset points", fontsize=8)
    ax.set(
        xlabel=_("Global rank, {latest_edition} edition (shorter is better)").format_map(F),
        ylabel="",
        title=_("Southeast Asia in the latest edition"),
    )
    report.figure(
        fig,
        chart_id="regional",
        title=_("Global ranks in Southeast Asia, {index}, {latest_edition}").format_map(F),
        alt=_("Horizontal bars of {n} Southeast Asian ranks; {name} is highlighted at {latest_rank:num}.").format_map(
            F
        ),
        source=w.source,
    )
    _show_table(
        report,
        w,
        regional_frame(R),
        REGIONAL_COLUMNS,
        table_id="regional_table",
        title=_("Southeast Asia, {latest_edition} edition").format_map(F),
        note=_(
            "Southeast Asia: ASEAN's 10 members and Timor-Leste, its 11th member since 26 Oct 2025. A position a "
            "source states for an earlier edition counts ASEAN's 10 (a Timor-Leste rank ahead adds one)."
        ),
        formats={"entity": w.who},  # the CSV keeps the English names and codes
    )


def component_columns() -> dict[str, str]:
    """EGDI component code -> its CSV column ('OSI (online services)', English)."""
    return {c: f"{c} ({w})" for c, w in rk.EGDI_COMPONENTS.items()}


def components_frame(R: RankingsRun) -> pd.DataFrame:
    """EGDI components of the Southeast Asian economies, one row per economy and edition (0-1)."""
    comp = R.components.assign(
        component=R.components["component"].map(component_columns()),
        entity_name=R.components["entity_name"].map(house_spelling),
    )
    return comp.pivot_table(index=["entity_name", "year"], columns="component", values="value").reset_index()


DRIVER_COLUMNS = {  # the EGDI drivers' table: column of R.drivers -> (CSV column, shown translated; formatter)
    "from_year": (N_("from"), str),
    "year": (N_("to"), str),
    "component": (N_("component"), _),
    "own_change": (N_("{name}: change"), _signed3),
    "peer_median_change": (N_("peers' median change"), _signed3),
    "peers": (N_("peers"), _n0),
    "relative_contribution": (N_("effect on EGDI relative to peers"), _signed3),
    "drives": (N_("moved the rank most"), _yes),
}


def drivers_frame(R: RankingsRun) -> pd.DataFrame:
    """Which EGDI component moved the entity's standing, with CSV column names in English ('Viet Nam: change')."""
    return csv_frame(R, R.drivers.assign(component=R.drivers["component"].map(rk.EGDI_COMPONENTS)), DRIVER_COLUMNS)


def _show_egdi(w: Page, report: Report) -> None:
    R, S = w.R, w.s
    eds = sorted(R.components["year"].unique())
    missing_eds = [y for y in sorted(R.long["year"].dropna().astype(int).unique()) if y not in eds]
    text = [
        _(
            "The E-Government Development Index is the average of three components: online services (OSI), human "
            "capital (HCI) and telecommunication infrastructure (TII), each from 0 to 1. A component's change moves "
            "the index by a third of it."
        )
    ]
    if missing_eds:
        text.append(
            _("Components are in the data for {editions}; for {missing} they are **not found**.").format(
                editions=", ".join(map(str, eds)), missing=", ".join(map(str, missing_eds))
            )
        )
    if driver := S.get("egdi_driver_latest"):  # English, as results.json has it: translated here
        text.append(
            _(
                "Between {period}, the component that moved {name} most relative to its Southeast Asian peers was "
                "**{component}**."
            ).format(period=S["egdi_driver_period"], name=w.name, component=_(driver))
        )
    md(" ".join(text))
    cols = component_columns()
    shown = {c: f"{c} ({_(n)})" for c, n in rk.EGDI_COMPONENTS.items()}
    report.table(
        components_frame(R),
        table_id="egdi_components",
        index=False,
        title=_("EGDI components of Southeast Asian economies by edition"),
        source=w.source,
        formats={"entity_name": w.who, "year": str} | {col: fixed(3) for col in cols.values()},
        labels={"entity_name": _("economy"), "year": _("edition")} | {cols[c]: shown[c] for c in cols},
    )
    if not len(R.drivers):
        return
    _show_table(
        report,
        w,
        drivers_frame(R),
        DRIVER_COLUMNS,
        table_id="egdi_drivers",
        title=_("Which EGDI component moved {name}'s standing").format(name=w.name),
        note=_(
            "effect on EGDI relative to peers = (own change - peers' median change) / 3; peers are the Southeast "
            "Asian economies with components in both editions."
        ),
    )
    fig, ax = _subplots(figsize=(8, 3.8))
    mine = R.components[R.components["entity"] == R.entity]
    for code, g in mine.groupby("component"):
        ax.plot(g["year"], g["value"], marker="o", label=shown.get(code, code))
    whole_ticks(ax.xaxis)
    ax.set(
        xlabel=_("Edition"), ylabel=_("Component value (0-1)"), title=_("{name}: EGDI components").format(name=w.name)
    )
    ax.legend(fontsize=8)
    report.figure(
        fig,
        chart_id="egdi_components",
        title=_("{name}'s EGDI components by edition").format(name=w.name),
        alt=_("Lines of {name}'s three EGDI components over the editions with data ({editions}).").format(
            name=w.name, editions=", ".join(map(str, eds))
        ),
        source=w.source,
    )


GII_COLUMNS = {  # the GII sub-index ranks: column of R.drivers -> (CSV column, shown translated; formatter)
    "year": (N_("edition"), str),
    "input_rank": (N_("input sub-index rank"), _n0),
    "output_rank": (N_("output sub-index rank"), _n0),
}


def show_drivers(R: RankingsRun, report: Report) -> None:
    """What moves the rank: the EGDI's components, the GII's sub-index ranks, or that the data hold none."""
    w = page(R)
    if R.info.code == "egdi" and len(R.components):
        _show_egdi(w, report)
    elif R.info.code == "gii":
        md(
            _(
                "WIPO's pillar scores are **not found** in the data or the research pack. What is there: the input and "
                "output sub-index ranks below."
            )
            if len(R.drivers)
            else _(
                "WIPO's pillar scores are **not found** in the data or the research pack. What is there: nothing below "
                "the overall rank for this economy."
            )
        )
        if len(R.drivers):
            _show_table(
                report,
                w,
                csv_frame(R, R.drivers, GII_COLUMNS),
                GII_COLUMNS,
                table_id="gii_subindices",
                title=_("{name}: GII input and output sub-index ranks").format(name=w.name),
            )
    else:
        md(
            _("The data hold no components of the {index}, so what moves the rank is **not found** here.").format(
                index=w.index
            )
        )


WINDOWS = {"short_window": tg.SHORT_WINDOW_YEARS, "long_window": tg.LONG_WINDOW_YEARS}  # the status's windows
TARGET_COLUMNS = {  # the ranking targets' table: column of R.targets -> (CSV column, shown translated; formatter)
    "target_id": (N_("target id"), i18n.keep),
    "target": (N_("target"), None),
    "latest_edition": (N_("latest edition"), fmt.year),  # a year: 2024, never 2.024
    "latest": (N_("latest"), _n0),
    "projected": (N_("projected"), _n0),
    "projected_lo": (N_("interval low"), _n0),
    "projected_hi": (N_("interval high"), _n0),
    "prob_reach_pct": (N_("P(reach), %"), _n0),
    "method": (N_("method"), method_label),
    "backtest_coverage_pct": (N_("interval coverage in backtest, %"), _n0),
    # paces in places a year (GII: read on the share ranked, given among its latest field; the reason says so)
    "pace_needed": (N_("pace needed"), functools.partial(fmt.num, decimals=2)),
    "pace_short": (N_("pace seen, last {short_window:num} years"), functools.partial(fmt.num, decimals=2)),
    "pace_long": (N_("pace seen, long window"), functools.partial(fmt.num, decimals=2)),
    "pace_unit": (N_("pace unit"), lambda v: _(v) if isinstance(v, str) else ""),
    "status": (N_("status"), lambda v: label("target_status", v)),
    "reason": (N_("reason"), None),
}


def show_targets(R: RankingsRun, report: Report) -> None:
    """The Resolution's ranking targets: latest, projected and status, and how many are off track."""
    tt = R.targets
    names = {r.target: target_name(r.target) for r in tt.itertuples()}
    _show_table(
        report,
        page(R),
        csv_frame(R, tt, TARGET_COLUMNS),
        TARGET_COLUMNS,
        table_id="targets",
        title=_("Resolution 57 ranking targets: latest, projected and status"),
        note=_(
            "The status compares the pace seen (last {short_window:num} years; long window: the least-squares slope "
            "over up to {long_window:num} years) with the pace needed, each in its row's unit, as in the Resolution "
            "targets tracker (one computation). "
            "Projections start from each index's latest edition with the method its backtest supports; an interval "
            "or P(reach) is given only where the backtest at the target's horizon supports it. Regional positions "
            "count the economies ranked in each edition; none is carried forward."
        ).format(**WINDOWS),
        source=_(
            "UN E-Government Survey; IMD World Digital Competitiveness Ranking; WIPO Global Innovation Index (via "
            "press and UN data)"
        ),
        formats={"target": names.get},  # the CSV keeps the English names and status codes
    )
    status = tt["status"].value_counts()
    md(
        _("**{off} of {total} targets are off track and {nm} cannot be measured.**").format(
            off=status.get("off track", 0), total=len(tt), nm=status.get("not measurable", 0)
        )
    )


def show_claims(R: RankingsRun, report: Report) -> None:
    """What the data support for three public claims."""
    report.table(
        R.claims,
        table_id="claims",
        index=False,
        title=_("What the data support for three public claims"),
        source=_("StartupBlink GSEI 2019-2025; Startup Genome GSER 2021-2023 (via press and report pages)"),
        labels={c: _(c) for c in CLAIM_COLUMNS},
    )


def results(R: RankingsRun, title: Callable[[], str]) -> dict[str, Any]:
    """``results.json`` of a run (before :meth:`Report.finish`): the summary and the tables as records, with the
    fields every report has (:func:`analysis.reports.render.results_record`; ``title`` words the page's title)."""

    def records(df: pd.DataFrame) -> list[dict[str, Any]]:
        return df.replace({np.nan: None}).to_dict(orient="records") if len(df) else []

    history = [
        {"year": int(y), **{k: (None if pd.isna(v) else v) for k, v in r.items()}} for y, r in R.series.iterrows()
    ]
    fields = {
        **R.summary,
        "projection_is_estimate": True,
        "backtest": records(R.backtest_table),
        "projection_path": records(R.fan),
        "history": history,
        "targets": records(R.targets),
        "claims": records(R.claims),
    }
    return results_record(RANK_SPEC, R.params, fields, title)
