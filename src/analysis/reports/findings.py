"""Key findings: at most five sentences that open every report, each with its number, read from the report's
``results.json`` in the current language. The report page and the site's index call the same function;
a sentence whose figures are not in the results is left out, never guessed.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

import yaml
from markupsafe import Markup

from analysis import i18n, paths
from analysis.data.labels import label
from analysis.i18n import _, fmt, ngettext
from analysis.reports import registry
from analysis.reports.ecosystem_rankings import withheld_words
from analysis.reports.rd_feasibility import scenario_words
from analysis.reports.rd_paths import ENVELOPE_ENDS, nonstate_floor_pct, resolution_floors
from analysis.reports.render import fill

MAX_FINDINGS = 5


class _Missing(LookupError):
    """A figure a sentence needs is not in the results: the sentence is left out."""


Results = dict[str, Any]
Fact = Callable[[Results], Markup]


def _num(results: Results, name: str) -> float:
    value = results.get(name)
    if not i18n.is_number(value):
        raise _Missing(name)
    return float(value)


def _param(results: Results, name: str) -> float:
    return _num(results.get("parameters") or {}, name)


_FIELDS = i18n.SafeFormatter()


def strong(text: str) -> Markup:
    """``text`` escaped, in ``<strong>`` (a finding's figures; the index's counts)."""
    return Markup("<strong>{}</strong>").format(text)


def sentences(results: Results, *facts: Fact) -> list[Markup]:
    """The sentences of ``facts`` whose figures are all in ``results``, at most :data:`MAX_FINDINGS`."""
    out = []
    for fact in facts:
        try:
            out.append(fact(results))
        except _Missing:
            continue
    return out[:MAX_FINDINGS]


def _say(r: Results, message: str, bold: tuple[str, ...] = (), **values: Any) -> Markup:
    """``message`` (escaped) with each field filled from ``values`` or else the figure of that name in ``r``,
    written as its typed field says (:class:`analysis.i18n.SafeFormatter`); the fields named in ``bold`` in bold."""
    out = Markup()
    for literal, name, spec, _conversion in _FIELDS.parse(message):
        out += literal
        if name is not None:
            text = _FIELDS.format_field(values[name] if name in values else _num(r, name), spec or "")
            out += strong(text) if name in bold else text
    return out


def rd_history(r: Results) -> Markup:
    """Whether R&D can reach the target at the pace history shows: the feasibility report's analogue count, as
    rd_paths computes it for its own start and window (a sentence only where some economy started that low)."""
    if _num(r, "low_start_economies") < 1:
        raise _Missing("low_start_economies")
    if _num(r, "low_start_economies_reaching") == 0 and _num(r, "low_start_economies") > 1:
        text = _(
            "History gives no precedent for reaching {target} of GDP by {target_year:year}: none of the "
            "{low_start_economies:num} economies whose R&D started below {below} of GDP rose {share_increase_pp:pp} "
            "in any {window_years:num}-year window (the largest such rise: {max_low_start_increase_pp:pp})."
        )
    else:
        text = ngettext(
            "Reaching {target} by {target_year:year} needs a rise of {share_increase_pp:pp} in {window_years:num} "
            "years; {low_start_economies_reaching:num} of {low_start_economies:num} economy whose R&D started below "
            "{below} of GDP rose as much in any {window_years:num}-year window (the largest such rise: "
            "{max_low_start_increase_pp:pp}).",
            "Reaching {target} by {target_year:year} needs a rise of {share_increase_pp:pp} in {window_years:num} "
            "years; {low_start_economies_reaching:num} of {low_start_economies:num} economies whose R&D started below "
            "{below} of GDP rose as much in any {window_years:num}-year window (the largest such rise: "
            "{max_low_start_increase_pp:pp}).",
            int(_num(r, "low_start_economies")),
        )
    target, below = fmt.pct(_num(r, "share_target_pct"), None), fmt.pct(_num(r, "start_share_below_pct"), None)
    return _say(r, text, ("share_increase_pp", "low_start_economies_reaching"), target=target, below=below)


def rd_headline(r: Results) -> Markup:
    """Where R&D spending starts (an estimate with its range after the last survey), the pace the target needs and
    what the target year's spending amounts to."""
    words = {"target": fmt.pct(_num(r, "share_target_pct"), None)}
    if r.get("start_status") == "estimate":
        words["nowcast"] = _nowcast_words(r)
        text = _(
            "R&D spending is an estimated {share_base_pct:pct} of GDP in {base_year:year} ({nowcast}; range "
            "{share_base_low_pct:pct} to {share_base_high_pct:pct}); reaching {target} by {target_year:year} needs it "
            "to grow {gerd_nominal_cagr_pct:pct.1} a year (nominal VND), to {gerd_target_usd_bn:usd_bn} "
            "({gerd_target_vnd_bn:vnd_tn}) in {target_year:year}, {gerd_multiple:num.1} times the amount of "
            "{base_year:year}."
        )
    else:
        text = _(
            "R&D spending was {share_base_pct:pct} of GDP in {base_year:year}; reaching {target} by "
            "{target_year:year} needs it to grow {gerd_nominal_cagr_pct:pct.1} a year (nominal VND), to "
            "{gerd_target_usd_bn:usd_bn} ({gerd_target_vnd_bn:vnd_tn}) in {target_year:year}, {gerd_multiple:num.1} "
            "times the amount of {base_year:year}."
        )
    bold = ("share_base_pct", "target", "gerd_nominal_cagr_pct", "gerd_target_usd_bn")
    return _say(r, text, bold, **words)


def _nowcast_words(r: Results) -> str:
    """How the start year's estimate was made, from its nowcast's method: the last survey carried forward, or
    projected from it by the method's name (``nowcast`` of the results)."""
    method = next((n["method"] for n in r.get("nowcast") or [] if n.get("year") == r.get("base_year")), None)
    survey = _num(r, "last_observation_year")
    if method is None:
        raise _Missing("nowcast")
    if method == "flat_share":
        return _("carried forward from the {survey:year} survey").format(survey=survey)
    return _("projected from the {survey:year} survey by {method}").format(
        survey=survey, method=label("nowcast_method", method)
    )


def rd_funders(r: Results) -> Markup:
    """Who pays: the non-budget share is not measured; its two readings (the budget-bound range where the results
    hold it, else that there is none) and where they lie against the Resolution's floor; the share the path starts
    from, and how fast the part paid from outside the state budget (or by the non-state sector) must grow."""
    non_state = (r.get("parameters") or {}).get("soe_funds_as") == "state"
    bound = "nonbudget_share_budget_bound_low_pct" in r
    if non_state and bound:
        text = _(
            "No survey measures the share of R&D paid from outside the state budget: published shares give "
            "{nonbudget_share_base_low_pct:pct.0} to {nonbudget_share_base_high_pct:pct.0}, the S&T budget line alone implies "
            "{nonbudget_share_budget_bound_low_pct:pct.0} to {nonbudget_share_budget_bound_high_pct:pct.0}, so "
            "{verdict}; counting state-owned firms' own funds as state, this scenario starts the non-state sector at "
            "{nonstate_share_base_pct:pct.0} in {base_year:year}, and its R&D must grow "
            "{nonstate_gerd_nominal_cagr_pct:pct.1} a year to reach {nonstate_share_target_pct:pct.0} in "
            "{target_year:year}."
        )
    elif non_state:
        text = _(
            "R&D paid by the non-state sector must grow {nonstate_gerd_nominal_cagr_pct:pct.1} a year, from "
            "{nonstate_share_base_pct:pct.0} of the total in {base_year:year} to {nonstate_share_target_pct:pct.0} "
            "in {target_year:year} (state-owned firms' own funds counted as state; the published non-budget "
            "readings, {nonbudget_share_base_low_pct:pct.0} to {nonbudget_share_base_high_pct:pct.0}, count them "
            "outside the budget; no budget bound is available for that year)."
        )
    elif bound and r.get("nonstate_share_base_default"):
        text = _(
            "No survey measures the share of R&D paid from outside the state budget: published shares give "
            "{nonbudget_share_base_low_pct:pct.0} to {nonbudget_share_base_high_pct:pct.0}, the S&T budget line alone implies "
            "{nonbudget_share_budget_bound_low_pct:pct.0} to {nonbudget_share_budget_bound_high_pct:pct.0}, so "
            "{verdict}; starting, by assumption, from the statements' median, {nonstate_share_base_pct:pct.0} in "
            "{base_year:year}, non-budget R&D must grow {nonstate_gerd_nominal_cagr_pct:pct.1} a year to reach "
            "{nonstate_share_target_pct:pct.0} in {target_year:year}."
        )
    elif bound:
        text = _(
            "No survey measures the share of R&D paid from outside the state budget: published shares give "
            "{nonbudget_share_base_low_pct:pct.0} to {nonbudget_share_base_high_pct:pct.0}, the S&T budget line alone implies "
            "{nonbudget_share_budget_bound_low_pct:pct.0} to {nonbudget_share_budget_bound_high_pct:pct.0}, so "
            "{verdict}; starting from this scenario's {nonstate_share_base_pct:pct.0} in {base_year:year}, non-budget "
            "R&D must grow {nonstate_gerd_nominal_cagr_pct:pct.1} a year to reach {nonstate_share_target_pct:pct.0} in "
            "{target_year:year}."
        )
    else:
        text = _(
            "R&D paid from outside the state budget must grow {nonstate_gerd_nominal_cagr_pct:pct.1} a year, from "
            "{nonstate_share_base_pct:pct.0} of the total in {base_year:year} (published readings "
            "{nonbudget_share_base_low_pct:pct.0} to {nonbudget_share_base_high_pct:pct.0}; no budget bound is "
            "available for that year) to {nonstate_share_target_pct:pct.0} in {target_year:year}."
        )
    bold = ("nonstate_gerd_nominal_cagr_pct", "nonstate_share_target_pct")
    if not bound:
        return _say(r, text, bold)
    bold = ("nonbudget_share_base_low_pct", "nonbudget_share_budget_bound_high_pct", *bold)
    return _say(r, text, bold, verdict=_funding_verdict(r))


def _funding_verdict(r: Results) -> str:
    """Where the base year's two non-budget readings lie against the Resolution's floor, in words."""
    floor = nonstate_floor_pct()
    ends = [
        _num(r, f"nonbudget_share_{end}_pct")
        for end in ("base_low", "base_high", "budget_bound_low", "budget_bound_high")
    ]
    if max(ends) <= floor:
        text = _("on both readings the share is still below the target of more than {floor:pct.0}")
    elif min(ends) > floor:
        text = _("on both readings the share is already above the target of more than {floor:pct.0}")
    else:
        text = _(
            "the target of more than {floor:pct.0} lies between the readings: the evidence cannot say if it is met"
        )
    return _FIELDS.format(text, floor=floor)


def rd_rule(r: Results) -> Markup:
    """Whether the latest budget plan with a rating meets the Resolution's budget rule (rated as the tracker rates
    target T06)."""
    texts = {
        "met": _(
            "The {budget_rule_year:year} plan meets the rule of at least {rule} of budget expenditure for science, "
            "technology, innovation and digital transformation: {budget_rule_plan_pct:pct.2} of the year's budget "
            "estimate."
        ),
        "within rounding": _(
            "The {budget_rule_year:year} plan meets the rule of at least {rule} of budget expenditure for science, "
            "technology, innovation and digital transformation only within rounding: {budget_rule_plan_pct:pct.2} of "
            "the year's budget estimate."
        ),
        "not met": _(
            "The {budget_rule_year:year} plan falls short of the rule of at least {rule} of budget expenditure for "
            "science, technology, innovation and digital transformation: {budget_rule_plan_pct:pct.2} of the year's "
            "budget estimate."
        ),
    }
    if r.get("budget_rule_rating") not in texts:
        raise _Missing("budget_rule_rating")
    rule = fmt.pct(resolution_floors()["resolution_budget_pct"], None)
    return _say(r, texts[r["budget_rule_rating"]], ("budget_rule_plan_pct",), rule=rule)


def rd_consistency(r: Results) -> Markup:
    """Whether the state's part, at 60% non-budget (the Resolution asks for more), fits the budget rule (the
    consistency finding), said with the part of the envelope R&D is assumed to take (all of it by default)."""
    if not isinstance(whole := r.get("whole_envelope"), bool):  # rd_paths.consistency_summary's
        raise _Missing("whole_envelope")
    text = (
        _(
            "If society pays {floor:pct.0} of R&D in {target_year:year} (the Resolution asks for more), the state's part "
            "needs {consistency_budget_pct_at_floor:pct.1} of budget expenditure, "
            "{consistency_envelope_pct_at_floor:pct.0} of the whole {rule} envelope for science, technology, "
            "innovation and digital transformation; it fits only if {consistency_nonbudget_needed_pct:pct.1} comes "
            "from outside the state budget, even if all of the envelope went to R&D."
        )
        if whole
        else _(
            "If society pays {floor:pct.0} of R&D in {target_year:year} (the Resolution asks for more), the state's part "
            "needs {consistency_budget_pct_at_floor:pct.1} of budget expenditure, "
            "{consistency_envelope_pct_at_floor:pct.0} of the whole {rule} envelope for science, technology, "
            "innovation and digital transformation; with {envelope_rd_share_pct:pct.0} of the envelope for R&D, it "
            "fits only if {consistency_nonbudget_needed_pct:pct.1} comes from outside the state budget."
        )
    )
    return _say(
        r,
        text,
        ("consistency_budget_pct_at_floor", "consistency_envelope_pct_at_floor", "consistency_nonbudget_needed_pct"),
        floor=nonstate_floor_pct(),
        rule=fmt.pct(_num(r, "science_budget_share_target_pct"), None),
    )


def feasibility_analogues(r: Results) -> Markup:
    """How many economies starting as low ever climbed as much in as few years."""
    text = _(
        "The target needs a rise of {required_increase_pp:pp} of GDP in {window_years:num} years; none of the "
        "{low_start_economies:num} economies that started below {below} of GDP rose as much in any "
        "{window_years:num}-year window (the largest such rise: {max_low_start_increase_pp:pp})."
    )
    if _num(r, "low_start_economies_reaching") or _num(r, "low_start_economies") < 2:  # not "none of the 1"
        text = ngettext(
            "The target needs a rise of {required_increase_pp:pp} of GDP in {window_years:num} years; "
            "{low_start_economies_reaching:num} of {low_start_economies:num} economy that started below {below} of GDP "
            "rose as much in any {window_years:num}-year window (the largest such rise: {max_low_start_increase_pp:pp}).",
            "The target needs a rise of {required_increase_pp:pp} of GDP in {window_years:num} years; "
            "{low_start_economies_reaching:num} of {low_start_economies:num} economies that started below {below} of GDP "
            "rose as much in any {window_years:num}-year window (the largest such rise: {max_low_start_increase_pp:pp}).",
            int(_num(r, "low_start_economies")),
        )
    below = fmt.pct(_param(r, "start_share_below_pct"), None)
    return _say(r, text, ("required_increase_pp", "low_start_economies_reaching"), below=below)


def feasibility_income(r: Results) -> Markup:
    """The R&D share that economies at Viet Nam's projected income spend (the structural benchmark)."""
    return _say(
        r,
        _(
            "At the income Viet Nam is projected to reach by {target_year:year}, economies typically spend "
            "{structural_share_target_pct:pct} of GDP on R&D ({interval_pct:num}% prediction range "
            "{structural_share_target_lo_pct:pct} to {structural_share_target_hi_pct:pct}), against the target of "
            "{target}."
        ),
        ("structural_share_target_pct", "target"),
        target_year=_param(r, "target_year"),
        target=fmt.pct(_param(r, "target_share_pct"), None),
    )


def _widened(r: Results) -> bool:
    """Whether ``r`` holds the sensitivity with widened growth shocks (results written before it do not)."""
    return "gdp_band_scale" in r and "prob_state_gerd_exceeds_envelope_pct_widened" in r


def feasibility_size(r: Results) -> Markup:
    """What the target year's R&D amounts to once growth, prices and the exchange rate are uncertain, from the
    fitted growth model and, where the results hold it, with its shocks widened (the sensitivity)."""
    if not _widened(r):
        text = _(
            "With growth, prices and the exchange rate uncertain, R&D at the target in {target_year:year} is "
            "{gerd_target_usd_bn_p50:usd_bn} (median of {n_simulations:num} simulations; 10th to 90th percentile "
            "{gerd_target_usd_bn_p10:usd_bn} to {gerd_target_usd_bn_p90:usd_bn})."
        )
    else:  # the range whose past bands would have held first, the fitted model's band second with its record
        text = _(
            "With growth, prices and the exchange rate uncertain, R&D at the target in {target_year:year} is "
            "{gerd_target_usd_bn_p50:usd_bn} (median of {n_simulations:num} simulations; {level} range "
            "{gerd_target_usd_bn_p10_widened:usd_bn} to {gerd_target_usd_bn_p90_widened:usd_bn} with the growth "
            "shocks widened x{gdp_band_scale:num.2} (an unchecked factor), the factor that would have made past {level} bands hold; the "
            "fitted model's own {level} band, {gerd_target_usd_bn_p10:usd_bn} to {gerd_target_usd_bn_p90:usd_bn}, "
            "held the outcome in {gdp_band_backtest_coverage_pct:pct.0} of past cases)."
        )
    level = fmt.pct(_num(r, "interval_pct"), None)
    return _say(r, text, ("gerd_target_usd_bn_p50",), target_year=_param(r, "target_year"), level=level)


def feasibility_band_record(r: Results) -> Markup:
    """How well the growth model's band held in the past (growth_sim.band_record), and the factor that would
    have made it hold: the widened figures beside the others are a sensitivity on that one record."""
    return _say(
        r,
        _(
            "Growth models fitted at {gdp_band_backtest_cases:num} past origins held the next "
            "{gdp_band_backtest_horizon_years:num} years' real growth within their {level} bands in "
            "{gdp_band_backtest_coverage_pct:pct.0} of cases; widening their shocks x{gdp_band_scale:num.2} would have "
            "made them hold {level}, but so few overlapping windows cannot check that factor: the ranges lead with the "
            "widened band, the fitted model's beside it."
        ),
        ("gdp_band_backtest_coverage_pct",),
        level=fmt.pct(_num(r, "interval_pct"), None),
    )


def feasibility_budget(r: Results) -> Markup:
    """The state's part against the whole envelope at the budget minimum (assumed the most R&D could get): whether it
    fits at the scenario's non-budget share, and the non-budget share at which it fits in half of the simulated
    outcomes over the range of budget spending's share of GDP (the simulation holds it at the scenario's), with the
    scenario's figure beside it. The level of GDP does not move it: the envelope and the R&D both follow GDP."""
    fits = r.get("state_part_fits_envelope_arithmetic")
    if not isinstance(fits, bool):
        raise _Missing("state_part_fits_envelope_arithmetic")
    text = (
        _(
            "Taking the whole {rule} budget minimum for science, technology, innovation and digital transformation "
            "as the most R&D could get (an assumption), at {share} the state's part of R&D in {target_year:year} "
            "fits it; it would fit down to about {nonstate_share_needed_p50_pct_at_budget_high:pct.0}-"
            "{nonstate_share_needed_p50_pct_at_budget_low:pct.0} non-budget with budget spending at "
            "{budget_exp_pct_gdp_high:num.1}% or {budget_exp_pct_gdp_low:num.1}% of GDP ({nonstate_share_needed_p50_pct:pct.0} "
            "at the scenario's {budget:num.1}%, in half of the simulated GDP outcomes); the level of GDP does not move it."
        )
        if fits
        else _(
            "Taking the whole {rule} budget minimum for science, technology, innovation and digital transformation "
            "as the most R&D could get (an assumption), at {share} the state's part of R&D in {target_year:year} "
            "exceeds it; it fits at about {nonstate_share_needed_p50_pct_at_budget_high:pct.0}-"
            "{nonstate_share_needed_p50_pct_at_budget_low:pct.0} non-budget with budget spending at "
            "{budget_exp_pct_gdp_high:num.1}% or {budget_exp_pct_gdp_low:num.1}% of GDP ({nonstate_share_needed_p50_pct:pct.0} "
            "at the scenario's {budget:num.1}%, in half of the simulated GDP outcomes); the level of GDP does not move it."
        )
    )
    values = {
        "share": scenario_words(r),
        "target_year": _param(r, "target_year"),
        "rule": fmt.pct(_param(r, "science_budget_share_pct"), None),
        "budget": _param(r, "budget_exp_pct_gdp"),
    }
    return _say(
        r,
        text,
        ("nonstate_share_needed_p50_pct_at_budget_high", "nonstate_share_needed_p50_pct_at_budget_low"),
        **values,
    )


def rank_latest(r: Results) -> Markup:
    """The latest rank and the target, said to be the Resolution's or the scenario's assumption (``target_source``)."""
    text = (
        _(
            "The {latest_edition:year} edition ranks it {latest_rank:num} of {n_ranked_latest:num}; the target, the "
            "top {target_rank:num} by {target_year:year}, is Resolution 57's own."
        )
        if r.get("target_source") == "resolution"
        else _(
            "The {latest_edition:year} edition ranks it {latest_rank:num} of {n_ranked_latest:num}; the target, the "
            "top {target_rank:num} by {target_year:year}, is this scenario's assumption, not the Resolution's."
        )
    )
    return _say(
        r,
        text,
        ("latest_rank", "target_rank"),
        target_rank=_param(r, "target_rank"),
        target_year=_param(r, "target_year"),
    )


def rank_projected(r: Results) -> Markup:
    target_year = _param(r, "target_year")
    if why := withheld_words(r):
        return _say(r, _("No rank is projected for {target_year:year}: {why}"), target_year=target_year, why=why)
    if r.get("projection_method") == "naive":  # no change is forecast: the latest rank held, not a projection
        with_interval, without = (
            _(
                "For {target_year:year} the latest rank, {projected_rank:num}, is held, not a forecast of change "
                "({interval_pct:num}% interval {projected_rank_lo:num} to {projected_rank_hi:num} from past changes)."
            ),
            _("For {target_year:year} the latest rank, {projected_rank:num}, is held, not a forecast of change."),
        )
    else:
        with_interval, without = (
            _(
                "The projected rank in {target_year:year} is {projected_rank:num}, an estimate ({interval_pct:num}% "
                "interval {projected_rank_lo:num} to {projected_rank_hi:num})."
            ),
            _("The projected rank in {target_year:year} is {projected_rank:num}, an estimate without an interval."),
        )
    try:
        return _say(
            r, with_interval, ("projected_rank",), target_year=target_year, interval_pct=_param(r, "interval_pct")
        )
    except _Missing:
        return _say(r, without, ("projected_rank",), target_year=target_year)


def rank_chance(r: Results) -> Markup:
    return _say(
        r,
        _("The chance of reaching the top {target_rank:num} by {target_year:year} is {prob_reach_target_pct:pct.0}."),
        ("prob_reach_target_pct",),
        target_rank=_param(r, "target_rank"),
        target_year=_param(r, "target_year"),
    )


def rank_pace(r: Results) -> Markup:
    """The pace needed beside the fastest climb seen on the ranks the fits use (marked where it rests on a derived
    rank: include_derived)."""
    text = (
        _(
            "Reaching it needs a climb of {required_places_per_year:num.1} places a year; the fastest climb seen in "
            "this index is {best_observed_places_per_year:num.1} places a year, from or to a rank worked back from a "
            "reported change."
        )
        if r.get("best_observed_derived")
        else _(
            "Reaching it needs a climb of {required_places_per_year:num.1} places a year; the fastest climb seen "
            "between published ranks in this index is {best_observed_places_per_year:num.1} places a year."
        )
    )
    return _say(r, text, ("required_places_per_year",))


def rank_region(r: Results) -> Markup:
    """The position in Southeast Asia where it is known (as the source of the rank states it, or every member that
    may be ahead has a rank), else its bounds and why."""
    if r.get("regional_rank_stated") is not None:
        text = _(
            "In Southeast Asia it ranks {regional_rank_latest:num} in the {latest_edition:year} edition, as the source "
            "of its rank states."
        )
    elif r.get("regional_rank_latest") is not None:
        text = _(
            "In Southeast Asia it ranks {regional_rank_latest:num} in the {latest_edition:year} edition, in which every "
            "Southeast Asian member in the data has a rank."
        )
    else:
        n = int(_num(r, "regional_rank_worst") - _num(r, "regional_rank_best"))
        text = ngettext(
            "In Southeast Asia it ranks between {regional_rank_best:num} and {regional_rank_worst:num} in the "
            "{latest_edition:year} edition: {n:num} member of the region in the data has no rank in it, so the "
            "position is not known more closely.",
            "In Southeast Asia it ranks between {regional_rank_best:num} and {regional_rank_worst:num} in the "
            "{latest_edition:year} edition: {n:num} members of the region in the data have no rank in it, so the "
            "position is not known more closely.",
            n,
        )
        return _say(r, text, ("regional_rank_best", "regional_rank_worst"), n=n)
    return _say(r, text, ("regional_rank_latest",))


def targets_tracked(r: Results) -> Markup:
    """How many targets of the Resolution the tracker follows (the index's tracker line opens with it)."""
    text = ngettext(
        "{targets_total:num} target of Resolution 57 is tracked.",
        "{targets_total:num} targets of Resolution 57 are tracked.",
        int(_num(r, "targets_total")),
    )
    return _say(r, text, ("targets_total",))


def targets_by_status(r: Results) -> Markup:
    return _say(
        r,
        _(
            "By status: {targets_on_track:num} on track, {targets_needs_acceleration:num} in need of acceleration, "
            "{targets_off_track:num} off track (of which {targets_off_track_windows_disagree:num} with the two windows "
            "disagreeing), {targets_not_measurable:num} not measurable, {targets_without_period_data:num} with values "
            "but no observation for the target period and {targets_without_data:num} with no data in this project's "
            "sources."
        ),
        ("targets_on_track", "targets_needs_acceleration", "targets_off_track"),
    )


def rd_answer(r: Results) -> Markup:
    """The index's R&D line: the pace the target needs and the one condition, the state's part against the whole
    envelope over budget spending's range (rd_paths.consistency_summary); the report's findings keep the detail."""
    return _say(
        r,
        _(
            "Reaching {target} of GDP by {target_year:year} needs R&D spending to grow {gerd_nominal_cagr_pct:pct.1} a "
            "year (nominal VND); at {resolution_nonstate_pct:num}% non-budget (the Resolution asks for more), the state's "
            "part would need {consistency_envelope_pct_at_floor_at_budget_high:pct.0}-"
            "{consistency_envelope_pct_at_floor_at_budget_low:pct.0} of the whole {resolution_budget_pct:num}% envelope for S&T, innovation "
            "and digital transformation, with budget spending at {budget_exp_pct_gdp_high:pct.1} or "
            "{budget_exp_pct_gdp_low:pct.1} of GDP ({consistency_envelope_pct_at_floor:pct.0} at the model's "
            "{budget:pct.1})."
        ),
        ("gerd_nominal_cagr_pct", *ENVELOPE_ENDS),
        target=fmt.pct(_num(r, "share_target_pct"), None),
        budget=_param(r, "budget_exp_pct_gdp"),
        **resolution_floors(),
    )


def targets_rd(r: Results) -> Markup:
    """The R&D target in the tracker: rd_paths' pace and its envelope check over budget spending's range."""
    return _say(
        r.get("rd_paths_model") or {},
        _(
            "For the R&D target, spending must grow {gerd_nominal_cagr_pct:pct.1} a year (nominal VND) from "
            "{base_year:year}, to {gerd_target_usd_bn:usd_bn} in the target year; at {resolution_nonstate_pct:num}% non-budget "
            "(the Resolution asks for more), the state's part would need "
            "{consistency_envelope_pct_at_floor_at_budget_high:pct.0}-"
            "{consistency_envelope_pct_at_floor_at_budget_low:pct.0} of the whole {resolution_budget_pct:num}% "
            "envelope for science, technology, innovation and digital transformation, with budget spending at "
            "{budget_exp_pct_gdp_high:pct.1} or {budget_exp_pct_gdp_low:pct.1} of GDP "
            "({consistency_envelope_pct_at_floor:pct.0} at the model's {budget_exp_pct_gdp:pct.1})."
        ),
        ("gerd_nominal_cagr_pct", *ENVELOPE_ENDS),
        **resolution_floors(),
    )


def findings(results: Results) -> list[Markup]:
    """The key findings of the report whose ``results.json`` is ``results`` (its spec's ``findings``), in the
    current language."""
    names = registry.notebook_spec(results["report"]).findings if results.get("report") in registry.names() else ()
    return sentences(results, *(globals()[name] for name in names))


@cache
def _cff() -> tuple[str, str]:
    """(authors, title) as CITATION.cff gives them."""
    try:
        cff = yaml.safe_load((paths.PROJECT_ROOT / "CITATION.cff").read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        cff = {}
    authors = ", ".join(
        a.get("name") or " ".join(filter(None, (a.get("given-names"), a.get("family-names"))))
        for a in cff.get("authors") or []
    )
    return authors or "r57 contributors", cff.get("title") or "r57"


def citation(title: str, results: Results) -> Markup | None:
    """The "How to cite" line of a report titled ``title``: authors and title from CITATION.cff, version, run
    date and data manifest version; None without the run's provenance.
    """
    prov = results.get("provenance") or {}
    version = (prov.get("code_version") or {}).get("package")
    run_at = str(prov.get("run_at_utc") or "")
    if not version or not prov.get("data_manifest_version"):
        return None
    try:
        year, date = fmt.year(int(run_at[:4])), fmt.date(run_at[:10])
    except ValueError:  # no run time, or not an ISO date
        return None
    authors, software = _cff()
    return fill(
        _(
            "{authors} ({year}). {title} In {software}, version {version}; run on {date}; data manifest version {manifest}."
        ),
        authors=i18n.keep(authors),
        year=year,
        title=title if title.rstrip().endswith((".", "?", "!")) else f"{title}.",
        software=i18n.keep(software),
        version=i18n.keep(version),
        date=date,
        manifest=i18n.keep(str(prov["data_manifest_version"])),
    )
