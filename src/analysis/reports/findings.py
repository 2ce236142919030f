"""Key findings: at most five sentences that open every report, each with its number, read from the report's
``results.json`` in the current language. The report page and the site's index call the same function;
a sentence whose figures are not in the results is left out, never guessed.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import cache
from typing import Any

import yaml
from markupsafe import Markup

from analysis import i18n, paths
from analysis.i18n import _, fmt, ngettext
from analysis.reports.rd_feasibility import scenario_words
from analysis.reports.rd_paths import NONSTATE_FLOOR_PCT
from analysis.reports.render import fill

MAX_FINDINGS = 5


class _Missing(LookupError):
    """A figure a sentence needs is not in the results: the sentence is left out."""


Results = dict[str, Any]
Fact = Callable[[Results], Markup]


def _num(results: Results, name: str) -> float:
    value = results.get(name)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise _Missing(name)
    return float(value)


def _param(results: Results, name: str) -> float:
    return _num(results.get("parameters") or {}, name)


def _b(text: str) -> Markup:
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


def rd_headline(r: Results) -> Markup:
    """Where R&D spending starts (an estimate with its range after the last survey) and the pace the target needs."""
    values = {
        "share": _b(fmt.pct(_num(r, "share_base_pct"))),
        "year": fmt.year(_num(r, "base_year")),
        "target": _b(fmt.pct(_num(r, "share_target_pct"), None)),
        "target_year": fmt.year(_num(r, "target_year")),
        "pace": _b(fmt.pct(_num(r, "gerd_nominal_cagr_pct"), 1)),
    }
    if r.get("start_status") == "estimate":
        text = _(
            "R&D spending is an estimated {share} of GDP in {year} (range {low} to {high}); reaching {target} "
            "by {target_year} needs it to grow {pace} a year (nominal VND)."
        )
        values |= {"low": fmt.pct(_num(r, "share_base_low_pct")), "high": fmt.pct(_num(r, "share_base_high_pct"))}
    else:
        text = _(
            "R&D spending was {share} of GDP in {year}; reaching {target} by {target_year} needs it to grow "
            "{pace} a year (nominal VND)."
        )
    return fill(text, **values)


def rd_size(r: Results) -> Markup:
    """What the target year's R&D spending amounts to, in dollars and dong, and as a multiple of the start."""
    return fill(
        _("In {target_year} that is {usd} ({vnd}), {multiple} times the amount of {year}."),
        target_year=fmt.year(_num(r, "target_year")),
        usd=_b(fmt.usd_bn(_num(r, "gerd_target_usd_bn"))),
        vnd=fmt.vnd_tn(_num(r, "gerd_target_vnd_bn")),
        multiple=_b(fmt.num(_num(r, "gerd_multiple"), 1)),
        year=fmt.year(_num(r, "base_year")),
    )


def rd_funders(r: Results) -> Markup:
    """How fast the part paid from outside the state budget (or by the non-state sector) must grow, and from where."""
    non_state = (r.get("parameters") or {}).get("soe_funds_as") == "state"
    text = (
        _(
            "R&D paid by the non-state sector must grow {pace} a year, from {base} of the total in {year} "
            "(published readings {low} to {high}) to {target} in {target_year}."
        )
        if non_state
        else _(
            "R&D paid from outside the state budget must grow {pace} a year, from {base} of the total in {year} "
            "(published readings {low} to {high}) to {target} in {target_year}."
        )
    )
    return fill(
        text,
        pace=_b(fmt.pct(_num(r, "nonstate_gerd_nominal_cagr_pct"), 1)),
        base=fmt.pct(_num(r, "nonstate_share_base_pct"), 0),
        year=fmt.year(_num(r, "base_year")),
        low=fmt.pct(_num(r, "nonbudget_share_base_low_pct"), 0),
        high=fmt.pct(_num(r, "nonbudget_share_base_high_pct"), 0),
        target=_b(fmt.pct(_num(r, "nonstate_share_target_pct"), 0)),
        target_year=fmt.year(_num(r, "target_year")),
    )


def rd_consistency(r: Results) -> Markup:
    """Whether the state's part, at the Resolution's 60% floor, fits the budget rule (the consistency finding)."""
    return fill(
        _(
            "If society pays {floor} of R&D in {target_year}, the Resolution's floor, the state's part needs "
            "{budget} of budget expenditure, {envelope} of the whole {rule} envelope for science, technology, "
            "innovation and digital transformation; it fits only if {needed} comes from outside the state budget."
        ),
        floor=fmt.pct(NONSTATE_FLOOR_PCT, 0),
        target_year=fmt.year(_num(r, "target_year")),
        budget=_b(fmt.pct(_num(r, "consistency_budget_pct_at_floor"), 1)),
        envelope=_b(fmt.pct(_num(r, "consistency_envelope_pct_at_floor"), 0)),
        rule=fmt.pct(_num(r, "science_budget_share_target_pct"), None),
        needed=_b(fmt.pct(_num(r, "consistency_nonbudget_needed_pct"), 1)),
    )


def feasibility_analogues(r: Results) -> Markup:
    """How many economies starting as low ever climbed as much in as few years."""
    n = int(_num(r, "low_start_economies"))
    years = fmt.num(_num(r, "window_years"))
    return fill(
        ngettext(
            "The target needs a rise of {rise} of GDP in {years} years; {reached} of {n} economy that started "
            "below {below} of GDP rose as much in any {years}-year window (the largest such rise: {largest}).",
            "The target needs a rise of {rise} of GDP in {years} years; {reached} of {n} economies that started "
            "below {below} of GDP rose as much in any {years}-year window (the largest such rise: {largest}).",
            n,
        ),
        rise=_b(fmt.pp(_num(r, "required_increase_pp"))),
        years=years,
        reached=_b(fmt.num(_num(r, "low_start_economies_reaching"))),
        n=fmt.num(n),
        below=fmt.pct(_param(r, "start_share_below_pct"), None),
        largest=fmt.pp(_num(r, "max_low_start_increase_pp")),
    )


def feasibility_income(r: Results) -> Markup:
    """The R&D share that economies at Viet Nam's projected income spend (the structural benchmark)."""
    return fill(
        _(
            "At the income Viet Nam is projected to reach by {year}, economies typically spend {share} of GDP on "
            "R&D ({interval}% prediction range {low} to {high}), against the target of {target}."
        ),
        year=fmt.year(_param(r, "target_year")),
        share=_b(fmt.pct(_num(r, "structural_share_target_pct"))),
        interval=fmt.num(_num(r, "interval_pct")),
        low=fmt.pct(_num(r, "structural_share_target_lo_pct")),
        high=fmt.pct(_num(r, "structural_share_target_hi_pct")),
        target=_b(fmt.pct(_param(r, "target_share_pct"), None)),
    )


def _widened(r: Results) -> bool:
    """Whether ``r`` holds the sensitivity with widened growth shocks (results written before it do not)."""
    return "gdp_band_scale" in r and "prob_state_gerd_exceeds_envelope_pct_widened" in r


def feasibility_size(r: Results) -> Markup:
    """What the target year's R&D amounts to once growth, prices and the exchange rate are uncertain, from the
    fitted growth model and, where the results hold it, with its shocks widened (the sensitivity)."""
    values = {
        "year": fmt.year(_param(r, "target_year")),
        "median": _b(fmt.usd_bn(_num(r, "gerd_target_usd_bn_p50"))),
        "n": fmt.num(_num(r, "n_simulations")),
        "low": fmt.usd_bn(_num(r, "gerd_target_usd_bn_p10")),
        "high": fmt.usd_bn(_num(r, "gerd_target_usd_bn_p90")),
    }
    if not _widened(r):
        return fill(
            _(
                "With growth, prices and the exchange rate uncertain, R&D at the target in {year} is {median} "
                "(median of {n} simulations; 10th to 90th percentile {low} to {high})."
            ),
            **values,
        )
    return fill(
        _(
            "With growth, prices and the exchange rate uncertain, R&D at the target in {year} is {median} "
            "(median of {n} simulations; 10th to 90th percentile {low} to {high}; {low_wide} to {high_wide} with the "
            "growth shocks widened x{scale})."
        ),
        **values,
        low_wide=fmt.usd_bn(_num(r, "gerd_target_usd_bn_p10_widened")),
        high_wide=fmt.usd_bn(_num(r, "gerd_target_usd_bn_p90_widened")),
        scale=fmt.num(_num(r, "gdp_band_scale"), 2),
    )


def feasibility_band_record(r: Results) -> Markup:
    """How well the growth model's band held in the past (growth_sim.band_record), and the factor that would
    have made it hold: the widened figures beside the others are a sensitivity on that one record."""
    return fill(
        _(
            "Growth models fitted at {cases} past origins held the next {h} years' real growth within their {level} "
            "bands in {cov} of cases; widening their shocks x{scale} would have made them hold {level}, but so few "
            "overlapping windows cannot check that factor: the figures are from the fitted model, the widened ones "
            "beside them."
        ),
        level=fmt.pct(_num(r, "interval_pct"), None),
        cases=fmt.num(_num(r, "gdp_band_backtest_cases")),
        h=fmt.num(_num(r, "gdp_band_backtest_horizon_years")),
        cov=_b(fmt.pct(_num(r, "gdp_band_backtest_coverage_pct"), 0)),
        scale=fmt.num(_num(r, "gdp_band_scale"), 2),
    )


def feasibility_budget(r: Results) -> Markup:
    """The state's part against the whole envelope at the budget minimum (assumed the most R&D could get): at the
    scenario's non-budget share, the GDP shortfall at which it would fit; the non-budget share at which it fits by
    arithmetic and, rounded up as on the page, for the model's upper-quantile margin (widened beside, where held)."""
    _num(r, "nonstate_share_scenario_pct")
    short = _num(r, "gdp_shortfall_for_state_part_to_fit_pct")
    values = {
        "share": scenario_words(r),
        "year": fmt.year(_param(r, "target_year")),
        "rule": fmt.pct(_param(r, "science_budget_share_pct"), None),
        "short": _b(fmt.pct(short, 0)),
        "needed": _b(fmt.pct(_num(r, "nonbudget_share_needed_arithmetic_pct"), 0)),
        "needed_hi": fmt.pct(math.ceil(_num(r, "nonstate_share_needed_p90_pct")), 0),
        "margin": fmt.pct(50 + _num(r, "interval_pct") / 2, None),
    }
    if short <= 0:
        return fill(
            _(
                "Taking the whole {rule} budget minimum for science, technology, innovation and digital "
                "transformation as the most R&D could get (an assumption), at {share} the state's part of R&D in "
                "{year} fits it at planned GDP; it would fit down to {needed} non-budget (simple arithmetic)."
            ),
            **values,
        )
    if not _widened(r):
        return fill(
            _(
                "Taking the whole {rule} budget minimum for science, technology, innovation and digital "
                "transformation as the most R&D could get (an assumption), at {share} the state's part of R&D in "
                "{year} exceeds it unless GDP is about {short} below plan; it fits at about {needed} non-budget "
                "(simple arithmetic; {needed_hi} for a {margin} margin under the model)."
            ),
            **values,
        )
    return fill(
        _(
            "Taking the whole {rule} budget minimum for science, technology, innovation and digital transformation "
            "as the most R&D could get (an assumption), at {share} the state's part of R&D in {year} exceeds it "
            "unless GDP is about {short} below plan; it fits at about {needed} non-budget (simple arithmetic; "
            "{needed_hi} for a {margin} margin under the model, {needed_hi_wide} with its growth shocks widened)."
        ),
        **values,
        needed_hi_wide=fmt.pct(math.ceil(_num(r, "nonstate_share_needed_p90_pct_widened")), 0),
    )


def rank_latest(r: Results) -> Markup:
    return fill(
        _("The {edition} edition ranks it {rank} of {n}; the target is the top {target} by {year}."),
        edition=fmt.year(_num(r, "latest_edition")),
        rank=_b(fmt.num(_num(r, "latest_rank"))),
        n=fmt.num(_num(r, "n_ranked_latest")),
        target=_b(fmt.num(_param(r, "target_rank"))),
        year=fmt.year(_param(r, "target_year")),
    )


def rank_projected(r: Results) -> Markup:
    values = {"year": fmt.year(_param(r, "target_year")), "rank": _b(fmt.num(_num(r, "projected_rank")))}
    try:
        values |= {
            "interval": fmt.num(_param(r, "interval_pct")),
            "low": fmt.num(_num(r, "projected_rank_lo")),
            "high": fmt.num(_num(r, "projected_rank_hi")),
        }
    except _Missing:
        return fill(_("The projected rank in {year} is {rank}, an estimate without an interval."), **values)
    return fill(
        _("The projected rank in {year} is {rank}, an estimate ({interval}% interval {low} to {high})."), **values
    )


def rank_chance(r: Results) -> Markup:
    return fill(
        _("The chance of reaching the top {target} by {year} is {chance}."),
        target=fmt.num(_param(r, "target_rank")),
        year=fmt.year(_param(r, "target_year")),
        chance=_b(fmt.pct(_num(r, "prob_reach_target_pct"), 0)),
    )


def rank_pace(r: Results) -> Markup:
    return fill(
        _(
            "Reaching it needs a climb of {needed} places a year; the fastest climb seen in this index is {best} "
            "places a year."
        ),
        needed=_b(fmt.num(_num(r, "required_places_per_year"), 1)),
        best=fmt.num(_num(r, "best_observed_places_per_year"), 1),
    )


def rank_region(r: Results) -> Markup:
    return fill(
        _("In Southeast Asia it ranks {rank} among the economies of the latest edition."),
        rank=_b(fmt.num(_num(r, "regional_rank_latest"))),
    )


def targets_tracked(r: Results) -> Markup:
    """How many targets of the Resolution the tracker follows (the index's tracker line opens with it)."""
    total = _num(r, "targets_total")
    return fill(
        ngettext(
            "{total} target of Resolution 57 is tracked.", "{total} targets of Resolution 57 are tracked.", int(total)
        ),
        total=_b(fmt.num(total)),
    )


def targets_by_status(r: Results) -> Markup:
    return fill(
        _(
            "By status: {on} on track, {faster} in need of acceleration, {off} off track, {unmeasurable} not "
            "measurable and {none} without data."
        ),
        on=_b(fmt.num(_num(r, "targets_on_track"))),
        faster=_b(fmt.num(_num(r, "targets_needs_acceleration"))),
        off=_b(fmt.num(_num(r, "targets_off_track"))),
        unmeasurable=fmt.num(_num(r, "targets_not_measurable")),
        none=fmt.num(_num(r, "targets_without_data")),
    )


def targets_rd(r: Results) -> Markup:
    model = r.get("rd_paths_model") or {}
    return fill(
        _(
            "For the R&D target, spending must grow {pace} a year (nominal VND) from {year}, to {usd} in the "
            "target year; the state's part would need {envelope} of the whole budget envelope for science, "
            "technology, innovation and digital transformation."
        ),
        pace=_b(fmt.pct(_num(model, "gerd_nominal_cagr_pct"), 1)),
        year=fmt.year(_num(model, "base_year")),
        usd=fmt.usd_bn(_num(model, "gerd_target_usd_bn")),
        envelope=_b(fmt.pct(_num(model, "state_gerd_pct_envelope_target"), 0)),
    )


# each report's findings, in the order its box shows them
FINDINGS: dict[str, tuple[Fact, ...]] = {
    "rd_paths": (rd_headline, rd_size, rd_funders, rd_consistency),
    "rd_feasibility": (
        feasibility_analogues,
        feasibility_income,
        feasibility_size,
        feasibility_band_record,
        feasibility_budget,
    ),
    "ecosystem_rankings": (rank_latest, rank_projected, rank_chance, rank_pace, rank_region),
    "resolution_targets": (targets_tracked, targets_by_status, targets_rd),
}


def findings(results: Results) -> list[Markup]:
    """The key findings of the report whose ``results.json`` is ``results``, in the current language."""
    return sentences(results, *FINDINGS.get(str(results.get("report")), ()))


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
