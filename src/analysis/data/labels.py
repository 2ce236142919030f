"""The one table of code-to-label words: every code a reader meets (path shapes, statuses, projection
methods, run outcomes, how a value came to be, GERD series), in English, translated where shown.

Codes stay codes in CSVs and ``results.json``; readers see :func:`label`. English words are marked with
``N_()`` so that the catalogue (``locale/vi``) translates them; a status of a target is translated in
its own context (``target status``), as "on track" is worded differently there.

>>> label("shape", "back_loaded")
'back-loaded'
>>> label("method", "naive_last_pace")
'latest pace continues'
>>> label("shape", "some_new_code")  # an unknown code loses its underscores rather than reach readers as code
'some new code'
"""

from __future__ import annotations

from analysis import i18n
from analysis.i18n import N_, NC_

_STARTUPBLINK_SCORES = N_(
    "StartupBlink's scores are not comparable across editions: its scale drifts upward (San Francisco scored "
    "329 in 2021 and 546 in 2023; research pack, caveat 13)"
)
_STARTUPBLINK_SOURCE = N_(
    "StartupBlink Global Startup Ecosystem Index, editions 2019-2025 (via press and report pages)"
)
# a code of several kinds is a CSV cell in the words of its last kind (reports.tables), so kinds added later
# come first here, keeping the words the cells had
LABELS: dict[str, dict[str, str]] = {
    # a year's T06 rating (targets.ANNUAL_RATINGS) in the tracker, its floor a field; rule_verdict: yes/no words
    "annual_rating": {
        "met": N_("at least {resolution_budget_pct:num}%"),
        "within rounding": N_("at {resolution_budget_pct:num}% only within rounding"),
        "not met": N_("below {resolution_budget_pct:num}%"),
        "not known": N_("not known"),
    },
    # the R&D start's status (rd_paths): a survey, a nowcast, or the user's number
    "start_status": {"observed": N_("observed"), "estimate": N_("estimated"), "user": N_("set by the user")},
    # the nowcast's methods (models.nowcast.METHODS)
    "nowcast_method": {
        "flat_share": N_("flat share (last survey carried forward)"),
        "gerd_trend_recent": N_("GERD trend, last three survey intervals"),
        "gerd_trend_all": N_("GERD trend, whole survey record"),
    },
    # what a published statement of R&D spending bounds (data/raw/vn_rd_statements.csv)
    "statement_bound": {"at_most": N_("upper bound"), "level": N_("level")},
    # the 3% budget rule's ratings (models.funding.track_rule), as the rule table words them
    "rule_verdict": {
        "met": N_("yes"),
        "within rounding": N_("only within rounding"),
        "not met": N_("no"),
        "not known": N_("not known (total allocation not found)"),
    },
    # how a peer was aligned at a level (models.peers), in a table cell
    "peer_alignment": {
        "no_data": N_("no data"),
        "observed_start": N_("observed start"),
        "interpolated": N_("interpolated"),
        "not_found": N_("not found in the WDI GERD series"),
        "already_above": N_("already above the level at its first observation"),
        "never_reached": N_("never reached the level"),
    },
    # the structural benchmark's regression formulas (models.structural)
    "formula": {
        "log_gerd ~ log_gdppc + C(year)": N_("log R&D intensity on log GDP per person, with year effects"),
        "log_gerd ~ log_gdppc + lgdp2 + C(year)": N_(
            "log R&D intensity on log GDP per person and its square, with year effects"
        ),
    },
    # path shapes of rd_paths, and the structural benchmark's forms (rd_feasibility)
    "shape": {
        "linear": N_("linear"),
        "geometric": N_("geometric"),
        "logistic": N_("logistic (S-curve)"),
        "back_loaded": N_("back-loaded"),
        "log_linear": N_("log-linear"),
        "log_quadratic": N_("log-quadratic"),
    },
    # how a value in a series came to be: a path row, a GDP year, a nowcast
    "series": {
        "observed": N_("observed"),
        "official": N_("official"),
        "nowcast": N_("nowcast (estimate)"),
        "projected": N_("projected"),
        "interpolated": N_("interpolated (estimate)"),
        "estimate": N_("estimate"),
        "required": N_("required"),
    },
    # projection methods: the rankings backtest and the targets tracker
    "method": {
        "naive": N_("naive (latest rank holds)"),
        "drift_rank": N_("drift in rank"),
        "drift_percentile": N_("drift in percentile"),
        "ols_percentile": N_("trend line of percentile (comparison only)"),
        "linear_trend": N_("linear trend"),
        "naive_last_value": N_("latest value holds"),
        "naive_last_pace": N_("latest pace continues"),
    },
    # projection methods described in a sentence
    "method_words": {
        "naive": N_("latest rank holds, with the spread of past changes"),
        "drift_rank": N_("latest rank moved by its own trend in rank"),
        "drift_percentile": N_("latest rank moved by its own trend in percentile (rank / entities ranked)"),
        "ols_percentile": N_("previous method: unanchored trend line of log percentile (comparison only)"),
        "linear_trend": N_("straight-line trend fitted by least squares on the last fit_years years"),
        "naive_last_value": N_("the latest value holds (random walk)"),
        "naive_last_pace": N_(
            "the latest pace continues (average change a year over the last latest_pace_years years)"
        ),
    },
    # a tracker row's pace unit (results.json and the CSV hold the English; a series' own unit a year: unit_a_year)
    "pace_unit": {
        "pct_a_year": N_("% a year"),
        "places_a_year": N_("places a year (negative = climbing)"),
        "percentile_points_a_year": N_("percentile points a year (negative = climbing)"),
    },
    # the rankings' indices (models.rankings.INDICES)
    "index": {
        "startupblink_country": N_("StartupBlink Global Startup Ecosystem Index (countries)"),
        "startupblink_city": N_("StartupBlink Global Startup Ecosystem Index (cities)"),
        "gii": N_("WIPO Global Innovation Index"),
        "egdi": N_("UN E-Government Development Index"),
        "imd_wdcr": N_("IMD World Digital Competitiveness Ranking"),
        "startup_genome": N_("Startup Genome GSER, Top 100 Emerging Ecosystems"),
    },
    # each index's source line, as charts and tables cite it
    "index_source": {
        "startupblink_country": _STARTUPBLINK_SOURCE,
        "startupblink_city": _STARTUPBLINK_SOURCE,
        "gii": N_("WIPO Global Innovation Index 2011-2025 (via press)"),
        "egdi": N_("UN E-Government Survey 2010-2024 (UN DESA data; 2020-2024 via press)"),
        "imd_wdcr": N_("IMD World Digital Competitiveness Ranking 2017-2025 (via press)"),
        "startup_genome": N_("Startup Genome GSER 2020-2025 (via press)"),
    },
    # why an index's scores cannot be compared across editions (shared/reference/rankings/REPORT.md)
    "score_comparability": {
        "startupblink_country": _STARTUPBLINK_SCORES,
        "startupblink_city": _STARTUPBLINK_SCORES,
        "gii": N_(
            "the research pack records no statement by WIPO that scores are comparable across editions, "
            "and the method is revised between editions"
        ),
        "egdi": N_(
            "the research pack records no statement by UN DESA that scores are comparable across editions, "
            "and the method is revised between editions"
        ),
        "imd_wdcr": N_("no scores in the data"),
        "startup_genome": N_("no scores in the data"),
    },
    # the E-Government Development Index's components
    "egdi_component": {
        "OSI": N_("online services"),
        "HCI": N_("human capital"),
        "TII": N_("telecommunication infrastructure"),
    },
    # a scenario's last run, on the site's index
    "run": {"ok": N_("ok"), "failed": N_("failed"), "refused": N_("refused"), "never run": N_("never run")},
    # how a rank came to be in the data (value_type)
    "value_type": {
        "reported": N_("published"),
        "derived_from_change": N_("worked back from a reported change"),
        "not_in_data": N_("not in the data"),
        "not_ranked": N_("not ranked"),
        "not_covered": N_("not covered"),
        "not_found": N_("not found"),
        "band": N_("band"),
    },
    # which GERD series a path starts from
    "gerd_series": {"uis": N_("UNESCO UIS / World Bank"), "ministry": N_("science ministry survey")},
    # the explorer's choices in a reader's words (its dropdowns): the start's level, the GDP the target is read
    # on, the path's shape
    "nowcast_level": {"low": N_("low estimate"), "central": N_("central estimate"), "high": N_("high estimate")},
    "gdp_basis": {"revised": N_("official (revised) GDP"), "pre_revision": N_("GDP before the 2019 revision")},
    "path_shape": {
        "linear": N_("straight line"),
        "geometric": N_("steady growth rate"),
        "logistic": N_("S-curve"),
        "back_loaded": N_("late rise"),
    },
    # a target's status (translated in the context "target status")
    "target_status": {
        "on track": NC_("target status", "on track"),
        "needs acceleration": NC_("target status", "needs acceleration"),
        "off track": NC_("target status", "off track"),
        "not measurable": NC_("target status", "not measurable"),
        "no period data": NC_("target status", "no observation for the target period"),
        "no data": NC_("target status", "no data"),
    },
}
_CONTEXT = {"target_status": "target status"}


def label(kind: str, code: object) -> str:
    """The words for ``code`` of ``kind`` (a key of :data:`LABELS`) in the current language.

    ``None`` gives ``''``; a code the table lacks is shown without underscores, kept from translation.
    """
    if code is None:
        return ""
    english = LABELS[kind].get(str(code))
    if english is None:
        return i18n.keep(str(code).replace("_", " "))
    if kind in _CONTEXT:
        return i18n.pgettext(_CONTEXT[kind], english)
    return i18n._(english)
