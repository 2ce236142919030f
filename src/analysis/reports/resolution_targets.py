"""The Resolution 57 targets tracker (``resolution_targets``): parameters, how each target is measured,
the rows that come from the R&D and rankings models, and the claims check."""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from analysis import i18n
from analysis.data import datasets, observed
from analysis.data.labels import label
from analysis.errors import ParameterError
from analysis.i18n import N_, _
from analysis.models import backtest as rk_bt
from analysis.models import rankings as rk
from analysis.models import targets as tg
from analysis.reports import ecosystem_rankings  # noqa: F401 - registers the report whose parameters run() validates
from analysis.reports.params import INTERVAL_PCT, KeyFigure, NotebookSpec, ParamSpec, register, validate
from analysis.reports.rd_paths import RD_DATASETS

LATEST_DATA_YEAR = 2026  # the newest value in the snapshots (the 2026 budget plan)
MAX_COVERAGE_SHORTFALL = 10.0  # an interval whose backtest coverage is further below nominal (points) is not printed

TARGET_PARAMS: tuple[ParamSpec, ...] = (
    ParamSpec(
        "as_of_year",
        "int",
        LATEST_DATA_YEAR,
        "year",
        N_(
            "Assess with the observations up to this year only (to see what the tracker would have said then). For a "
            "Southeast Asian position before the latest edition, the latest position is assumed to hold."
        ),
        "2026: every observation in the snapshots.",
        lo=2016,
        hi=LATEST_DATA_YEAR,
    ),
    ParamSpec(
        "targets",
        "str",
        "all",
        "",
        N_("Which targets to track: 'all' or target ids separated by commas (T01a ... T20, as in r57_targets.csv)."),
        "The tracker's purpose is every target.",
    ),
    ParamSpec(
        "projection_method",
        "str",
        "auto",
        "",
        N_(
            "How a series is projected to its target year: 'auto' (the method with the lowest backtest error), or "
            "'linear_trend': straight-line trend fitted by least squares on the last fit_years years; "
            "'naive_last_value': the latest value holds (random walk); 'naive_last_pace': the latest pace continues "
            "(average change a year over the last latest_pace_years years). For world-rank targets 'linear_trend' "
            "means the ecosystem_rankings model's trend and a naive method means the latest rank holds."
        ),
        "A trend must beat the naive forecasts on the indicator's own history to be used.",
        choices=("auto", *tg.METHODS),
    ),
    INTERVAL_PCT,
    ParamSpec(
        "fit_years",
        "int",
        10,
        "years",
        N_("The trend and the spread of yearly changes use the observations of the last this many years."),
        "Ten years cover the current regime without the early jumps of series that start from almost nothing "
        "(articles, high-tech exports in the 2000s).",
        lo=3,
        hi=30,
    ),
    ParamSpec(
        "latest_pace_years",
        "int",
        tg.PACE_WINDOW_YEARS,
        "years",
        N_(
            "'The latest pace' (the naive_last_pace method) is the average change a year from the earliest observation of "
            "the last this many years to the latest one."
        ),
        "Five years: the same window as the first pace-seen column, long enough to span a biennial series' two "
        "observations.",
        lo=1,
        hi=20,
    ),
    ParamSpec(
        "min_points",
        "int",
        4,
        "observations",
        N_("Fewest observations for a trend fit and for a backtest origin."),
        "Four points leave two degrees of freedom for the trend's scatter.",
        lo=3,
        hi=15,
    ),
    ParamSpec(
        "backtest_horizon_years",
        "int",
        5,
        "years",
        N_("Backtest: from every origin, every later observation up to this many years ahead is forecast and scored."),
        "The targets are five to seven years from the latest data; shorter horizons would flatter every method.",
        lo=1,
        hi=10,
    ),
    ParamSpec(
        "min_backtest_pairs",
        "int",
        5,
        "forecast-actual pairs",
        N_(
            "Fewest scored pairs for the backtest to choose a method; with fewer, 'auto' assumes the latest pace continues "
            "(labelled as such)."
        ),
        "Below five pairs one lucky forecast decides the choice.",
        lo=1,
        hi=100,
    ),
    ParamSpec(
        "on_track_ratio",
        "float",
        0.95,
        "share of the gap",
        N_("On track when the pace seen is at least this share of the pace needed to reach the target."),
        "Eurostat's SDG monitoring of quantified targets rates progress by the ratio of the observed to the required "
        "pace; about 95% of what is needed counts as on track.",
        lo=0.5,
        hi=1.0,
    ),
    ParamSpec(
        "acceleration_ratio",
        "float",
        0.5,
        "share of the gap",
        N_(
            "Needs acceleration when the pace seen is at least this share of the pace needed (but less than "
            "on_track_ratio); below it, off track."
        ),
        "Half the needed pace separates 'progress too slow' from 'far off' in the SDG progress charts.",
        lo=0.0,
        hi=0.95,
    ),
)


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
        known = [t.target_id for t in load_targets()]
        unknown = [i for i in ids if i not in known]
        if unknown:
            raise ParameterError("targets", f"unknown target id {unknown[0]!r}", "'all' or some of " + ", ".join(known))


def load_targets() -> list[tg.Target]:
    return tg.targets_from_frame(datasets.load("r57_targets"))


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
        wdi = {
            n: datasets.load(n)
            for n in (
                "wdi_researchers_per_million",
                "wdi_journal_articles",
                "wdi_patent_applications_residents",
                "wdi_hightech_exports_usd",
                "wdi_merchandise_exports_usd",
                "wdi_hightech_exports_pct_manufactured",
            )
        }
        return cls(
            load_targets(),
            datasets.load("vn_r57_indicators"),
            wdi,
            datasets.load("vn_gerd"),
            datasets.load("vn_state_budget"),
        )


def _vn(df: pd.DataFrame, indicator: str, source_prefix: str = "", scale: float = 1.0) -> pd.Series:
    rows = df[(df["entity"] == "VNM") & (df["indicator"] == indicator) & df["value"].notna() & df["year"].notna()]
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
    rows = ind[
        (ind["entity"] == "VNM") & (ind["indicator"] == "digital_economy_va_share_gdp") & ind["value"].notna()
    ].copy()
    rows["vintage"] = rows["source_detail"].map(vintage_key)
    rows = rows[rows["vintage"] > 0].sort_values(["year", "vintage"]).drop_duplicates("year", keep="last")
    s = pd.Series(rows["value"].to_numpy(), index=rows["year"].astype(int).to_numpy(), dtype=float)
    return s, tuple(int(y) for y in rows.loc[rows["value_type"] == "estimate", "year"])


# what the compiler of the data found for the targets with no series (vn_r57_indicators.csv, source_detail up to
# " | target"), translated where shown; a text missing here is shown as the data have it
NOT_FOUND_NOTES = (
    N_("no official list/criterion found for digital-technology enterprises 'ngang tầm các nước tiên tiến'"),
    N_("searched pages corpus"),
    N_("no measured value found"),
    N_(
        "only pilot innovation surveys of manufacturing firms (NASATI 2017-18, 7,641 firms) found; no share "
        "published in the excerpts"
    ),
    N_("(survey description only)"),
    N_("no count against this target found"),
    N_("the Resolution names no index for 'top 30 in digital transformation'"),
)


def _note_text(detail: str) -> str:
    """A data note ('a | b | url (remark)') in the current language, part by part (each a whole note)."""
    parts = []
    for part in detail.split(" | "):
        url, sep, remark = part.partition(" (")
        if sep and url.startswith("http"):
            listed = "(" + remark  # the remark as listed with N_ (brackets included)
            parts.append(f"{url} {_(listed)}")
        else:
            parts.append(_(part))
    return " | ".join(parts)


def _not_found_reason(ind: pd.DataFrame, indicator: str) -> str:
    rows = ind[(ind["entity"] == "VNM") & (ind["indicator"] == indicator) & (ind["value_type"] == "not_found")]
    if rows.empty:
        return _("no data found")
    return _("not found: {note}").format(note=_note_text(str(rows["source_detail"].iloc[0]).split(" | target")[0]))


def measures(d: TargetsData) -> dict[str, list[tg.Measure]]:
    """How each target is measured: the first measure is the one the tracker's status uses; the others are
    other agencies' definitions, shown side by side (never averaged or spliced)."""
    ind, w = d.ind, d.wdi
    M = tg.Measure
    de, de_est = gso_digital_economy(ind)
    mic = _vn(ind, "digital_economy_share_gdp_mic")
    de_measures = [
        M(
            "",
            N_("Digital economy value added, % of GDP (GSO/NSO, Circular 13/2021; latest vintage per year)"),
            N_("GSO/NSO releases Dec 2023, Jan 2025, Jan 2026 (via press)"),
            N_("% of GDP"),
            de,
            estimate_years=de_est,
            reason=N_("2024 and 2025 are GSO/NSO preliminary estimates") if de_est else "",
        ),
        M(
            "",
            N_("Digital economy, % of GDP (MIC administrative estimate from tax revenue)"),
            N_("Ministry of Information and Communications (via press)"),
            N_("% of GDP"),
            mic,
            reason=N_(
                "a different definition, about 5 points above GSO; 2024: 18.3% 'policy estimate' (agency unnamed)"
            ),
        ),
    ]
    tech = _vn(w["wdi_hightech_exports_usd"], "hightech_exports_usd_mn")
    mrch = _vn(w["wdi_merchandise_exports_usd"], "merchandise_exports_usd_mn")
    share_goods = (tech / mrch * 100.0).dropna()
    uis, gerd_estimates = _gerd_with_start(d)
    out: dict[str, list[tg.Measure]] = {
        "T02": [
            M(
                "",
                N_("Proxy: position in Southeast Asia, Government AI Readiness Index (Oxford Insights)"),
                N_("Oxford Insights Government AI Readiness Index 2023-2024 (via press)"),
                N_("rank in Southeast Asia"),
                pd.concat([_vn(ind, "gov_ai_readiness_rank_asean"), _vn(ind, "gov_ai_readiness_rank_asean_derived")]),
                kind="proxy",
                reason=N_(
                    "no index measures AI research and development by country and covers Viet Nam; "
                    "the proxy measures government readiness (2024 position derived from the score order)"
                ),
            )
        ],
        "T04": [
            M(
                "",
                N_("GERD, % of GDP (UNESCO UIS via World Bank WDI, revised GDP)"),
                N_("World Bank WDI GB.XPD.RSDV.GD.ZS (UNESCO UIS), release 2026-07-13"),
                N_("% of GDP"),
                uis,
                estimate_years=gerd_estimates,
            ),
            M(
                "",
                N_("GERD, % of GDP (science ministry survey, pre-2019-revision GDP)"),
                N_("MOST national R&D survey"),
                N_("% of GDP"),
                observed.gerd_share_series(d.gerd, "ministry"),
                reason=N_("same spending over a smaller, unrevised GDP"),
            ),
        ],
        "T05": [
            M(
                "",
                N_("Non-state share of GERD"),
                "",
                N_("% of GERD"),
                kind="none",
                reason=N_(
                    "no official series: the UIS GERD-by-source-of-funds series for Viet Nam was not found. Three "
                    "published shares exist: EY Vietnam 2025 (state budget 70-80%, private 20-30%), OECD/World Bank "
                    "2014 (government 70%) and the 2013 MOST survey (business 40%, state-owned firms included). "
                    "rd_paths takes the median of the three as its start (non-budget 30%, range 20-42%): an estimate, "
                    "not data, and one that turns on whether state-owned firms' own funds count as non-state (the "
                    "rd-soe-funding scenario counts them as state)"
                ),
            )
        ],
        "T06": [
            M(
                "",
                N_(
                    "S&T, innovation and digital transformation, % of state-budget expenditure (2026 plan, DERIVED "
                    "95,000 / ~3,160,000 bn VND)"
                ),
                N_("National Assembly 2026 budget estimate; Government plan (via press)"),
                N_("% of state-budget expenditure"),
                _vn(d.budget, "stidx_share_of_budget_pct"),
                reason=N_("a plan, not an outturn; both inputs are rounded"),
            ),
            M(
                "",
                N_("Science and technology only, % of state-budget expenditure (Ministry of Finance)"),
                N_("Ministry of Finance; VietnamPlus"),
                N_("% of state-budget expenditure"),
                _vn(d.budget, "st_share_of_budget_pct"),
                reason=N_(
                    "a narrower concept (S&T only, without innovation and digital transformation): do not splice"
                ),
            ),
        ],
        "T07": [
            M(
                "",
                N_("FTE researchers per 10,000 people (UIS via WDI SP.POP.SCIE.RD.P6 / 100, DERIVED)"),
                N_("World Bank WDI SP.POP.SCIE.RD.P6 (UNESCO UIS), release 2026-07-13"),
                N_("researchers per 10,000 people"),
                _vn(w["wdi_researchers_per_million"], "researchers_per_million", scale=0.01),
                reason=N_(
                    "the Resolution says R&D human resources, possibly headcount (167,746 persons by MOST's "
                    "headcount, no year), which would be far higher"
                ),
            )
        ],
        "T08": [
            M(
                "",
                N_("Proxy: Vietnamese universities in the THE World University Rankings"),
                N_("Times Higher Education WUR 2025-2026 (via press); QS WUR 2026: 10"),
                N_("institutions"),
                _vn(ind, "universities_in_the_wur"),
                kind="proxy",
                reason=N_("no official count of S&T organisations ranked regionally and globally; universities only"),
            )
        ],
        "T09": [
            M(
                "",
                N_("Scientific and technical journal articles (WDI IP.JRN.ARTC.SC, NSF fractional counts)"),
                N_("World Bank WDI IP.JRN.ARTC.SC (NSF), API pull May 2025"),
                N_("articles"),
                _vn(w["wdi_journal_articles"], "journal_articles"),
                reason=N_("CESTI counts more than 18,000 articles a year since 2020 (database not named)"),
            )
        ],
        "T10": [
            M(
                "",
                N_("Patent applications by residents (WDI IP.PAT.RESD, WIPO)"),
                N_("World Bank WDI IP.PAT.RESD (WIPO), release 2026-01-28"),
                N_("applications"),
                _vn(w["wdi_patent_applications_residents"], "patent_applications_residents"),
                reason=N_("no value after 2021 in the 2026 release"),
            ),
            M(
                "",
                N_("Patent protection titles granted to Vietnamese holders (IP Viet Nam)"),
                N_("IP Viet Nam statistics (Tap chi KH&CN Viet Nam, 2025)"),
                N_("titles granted"),
                _vn(ind, "patent_grants_vietnamese_holders", "IP Viet Nam"),
                reason=N_("may include utility solutions; the source's '16.91% a year' is a mean of yearly rates"),
            ),
        ],
        "T13": [
            M(
                "",
                N_("TFP contribution to GDP growth, annual (GSO)"),
                N_("GSO, quoted by VTV (Dec 2019)"),
                N_("% of GDP growth"),
                _vn(ind, "tfp_contribution_to_gdp_growth", "GSO"),
                reason=N_(
                    "no official annual figure after 2019 found (GSO period averages: 33.58% 2011-15, 44.46% 2016-19)"
                ),
            ),
            M(
                "",
                N_("TFP contribution to GDP growth (AFA Capital, secondary)"),
                N_("AFA Capital seminar (Mar 2024)"),
                N_("% of GDP growth"),
                _vn(ind, "tfp_contribution_to_gdp_growth", "AFA"),
                reason=N_("a private presentation, source not named; not verified against GSO"),
            ),
        ],
        "T14": [
            M(
                "",
                N_(
                    "High-technology exports, % of total merchandise exports (DERIVED: WDI TX.VAL.TECH.CD / "
                    "TX.VAL.MRCH.CD.WT)"
                ),
                N_(
                    "World Bank WDI TX.VAL.TECH.CD (2026-04-08 extract and 2025 pull) and TX.VAL.MRCH.CD.WT (2025 pull)"
                ),
                N_("% of total goods exports"),
                share_goods,
                reason=N_("WDI's high-tech list is the OECD/Eurostat SITC list; Viet Nam's national list may differ"),
            ),
            M(
                "",
                N_("High-technology exports, % of manufactured exports (WDI TX.VAL.TECH.MF.ZS)"),
                N_("World Bank WDI TX.VAL.TECH.MF.ZS (2026-04-08 extract and 2025 pull)"),
                N_("% of manufactured exports"),
                _vn(w["wdi_hightech_exports_pct_manufactured"], "hightech_exports_pct_manufactured"),
                reason=N_("a different denominator (manufactured exports, not all goods)"),
            ),
        ],
        "T15": de_measures,
        "T16": [
            M(
                "",
                N_("Proxy: dossiers processed fully online, % of administrative-procedure dossiers (MOST)"),
                N_("Ministry of Science and Technology data (as of 26 Oct 2025)"),
                N_("% of dossiers"),
                _vn(ind, "online_dossiers_fully_online_pct"),
                kind="proxy",
                reason=N_("supply-side proxy; the usage rate by people and businesses was not found"),
            )
        ],
        "T18": de_measures,
    }
    for tid, ind_name in (
        ("T03", "digital_tech_enterprises_at_par_advanced"),
        ("T11", "patent_commercialisation_rate"),
        ("T12", "innovating_enterprises_share"),
        ("T17", "global_tech_leaders_hq_rd_in_vn"),
        ("T20", "digital_transformation_world_rank"),
        ("T25", "digital_tech_enterprises_at_par_advanced"),
        ("T26", "global_tech_leaders_hq_rd_in_vn"),
    ):
        out[tid] = [M("", "", "", "", kind="none", reason=_not_found_reason(ind, ind_name))]
    # added from WORDING.md section 4: the reference folder has no series for them
    for tid, why in (
        ("T21", N_("no series in the reference data (State Bank of Viet Nam's share of cashless transactions)")),
        ("T22", N_("no series in the reference data (UNDP Human Development Report)")),
        ("T23", N_("no series in the reference data (5G population coverage)")),
        (
            "T24",
            N_(
                "no series per 1,000 people in the reference data (MIC counts 73,788 digital-technology enterprises "
                "at end-2024; 0.72 per 1,000 people in May 2023)"
            ),
        ),
    ):
        out[tid] = [M("", "", "", "", kind="none", reason=why)]
    for tid, ms in out.items():
        out[tid] = [
            tg.Measure(tid, m.definition, m.source, m.unit, m.series, m.kind, m.reason, m.estimate_years) for m in ms
        ]
    return out


# ----------------------------------------------------------------------------- rows from the existing models

# the rows the rankings model fills: definition, source and unit (English in results.json; shown translated)
RANK_DEFINITION_SEA = N_("Position in Southeast Asia, {index}")
RANK_DEFINITION_WORLD = N_("World rank, {index}")
RANK_SOURCE = N_("{index} (via the rankings report's data)")
RANK_UNIT_SEA = N_("position in Southeast Asia")
RANK_UNIT_WORLD = N_("world rank")

# the indices' names as the rankings model titles them (rk.INDICES), shown in the rows above; kept here too so the
# tracker reads whole in Vietnamese (if the ecosystem_rankings catalogue marks them as well, it owns them)
RANK_INDEX_TITLES = (
    N_("WIPO Global Innovation Index"),
    N_("UN E-Government Development Index"),
    N_("IMD World Digital Competitiveness Ranking"),
)

RANK_TARGETS = {
    "T01a": ("imd_wdcr", "sea"),
    "T01b": ("imd_wdcr", "world"),
    "T01c": ("egdi", "sea"),
    "T01d": ("egdi", "world"),
    "T19": ("gii", "world"),
}


def regional_positions(index: str, entity: str = "VNM") -> pd.Series:
    """Viet Nam's position in Southeast Asia by edition, among the members ranked in it (the rankings report's
    :func:`rankings.regional_history`)."""
    return rk.regional_history(rk.load_index(index), entity)


def rank_history(index: str, scope: str) -> pd.Series:
    if scope == "sea":
        return regional_positions(index)
    s = rk.rank_series(rk.load_index(index), "VNM")
    return s["rank"].astype(float) if len(s) else pd.Series(dtype=float)


def _rank_as_of(
    tr: dict[str, Any], spec: Any, hist: pd.Series, p: dict[str, Any], rank_params: dict[str, Any]
) -> tuple[dict[str, Any], pd.Series]:
    """The rankings model's projection on the editions up to ``as_of_year`` only (world rank: its trend functions
    on the cut series; Southeast Asian position: the latest position, since the model's regional projection
    needs every neighbour's full history)."""
    from analysis.reports import ecosystem_rankings as rs

    hist = hist[hist.index <= p["as_of_year"]]
    out = dict(
        tr, latest=None, latest_edition=None, projected=None, projected_lo=None, projected_hi=None, prob_reach_pct=None
    )
    if hist.empty:
        return out | {"reason": _("no edition up to {year}").format(year=i18n.fmt.year(p["as_of_year"]))}, hist
    out.update(latest=float(hist.iloc[-1]), latest_edition=int(hist.index[-1]))
    if spec.scope == "sea":
        return out | {
            "projected": out["latest"],
            "method": "naive_last_value",
            "reason": _(
                "the latest position is assumed to hold (the regional projection is not recomputed "
                "for an earlier as_of_year)"
            ),
        }, hist
    long = rk.load_index(spec.index)
    try:  # the rankings model's own projection, on the editions up to as_of_year
        pr = rk.project_entity(
            long[long["year"] <= p["as_of_year"]], spec.index, "VNM", rank_params, spec.year, spec.rank
        )
    except rk.InsufficientDataError as exc:
        return out | {"reason": rs.refusal_words(exc)}, hist
    steps = rk_bt.horizon_editions(sorted(int(y) for y in hist.index), int(hist.index[-1]), spec.year)
    cov, why = rk.coverage_at_horizon(spec.index, pr["method"], steps, rank_params)
    return out | {
        "projected": pr["projected_rank"],
        "projected_lo": None if why else pr["projected_rank_lo"],
        "projected_hi": None if why else pr["projected_rank_hi"],
        "backtest_coverage_pct": cov,
        "interval_note": why,
        "prob_reach_pct": pr["prob_reach_target_pct"],
        "method": pr["method"],
        "reason": _(
            "projected {projected} vs target {target} (the spread of the interval "
            "comes from every published edition's changes)"
        ).format(projected=i18n.fmt.num(pr["projected_rank"], 0), target=spec.rank),
    }, hist


def rank_row(t: tg.Target, p: dict[str, Any], rank_params: dict[str, Any]) -> dict[str, Any]:
    """A ranking target's row: latest, projection and interval from ``rankings_scenario.track_target``
    (the ecosystem_rankings model, one computation), status by this report's rule."""
    from analysis.reports import ecosystem_rankings as rs

    index, scope = RANK_TARGETS[t.target_id]
    spec = next(x for x in rk.ranking_targets() if x.target.target_id == t.target_id)
    tr = rs.track_target(spec, rank_params)
    hist = rank_history(index, scope)
    if len(hist) and p["as_of_year"] < int(hist.index.max()):
        tr, hist = _rank_as_of(tr, spec, hist, p, rank_params)
    info = rk.INDICES[index]
    row = tg.empty_row(t) | {
        "definition": (RANK_DEFINITION_SEA if scope == "sea" else RANK_DEFINITION_WORLD).format(index=info.title),
        "source": RANK_SOURCE.format(index=info.title),
        "unit": RANK_UNIT_SEA if scope == "sea" else RANK_UNIT_WORLD,
        "latest_value": tr["latest"],
        "latest_year": tr["latest_edition"],
        "target_level": t.value,
        "pace_unit": "places a year (negative = climbing)",  # shown through pace_unit_text
        "projected": tr["projected"],
        "projection_method": tr.get("method") if tr["projected"] is not None else None,
        "method_why": (
            (
                _("the ecosystem_rankings model: {why}").format(why=rs.method_used(index, rank_params)[1])
                + (
                    "; " + _("regional position = rank of Viet Nam's projection among its neighbours' projections")
                    if scope == "sea"
                    else ""
                )
            )
            if tr["projected"] is not None
            else None
        ),
    }
    if tr["latest"] is None:
        return row | {
            "status": "not measurable",
            "reason": tr["reason"] + "; " + _("the Resolution names no index") if index == "imd_wdcr" else tr["reason"],
        }
    if scope == "world" and tr["projected"] is not None:  # the rankings model's backtest: one computation
        method = tr.get("method") or "naive"
        f = rk.backtest_figures(index, method, rank_params)
        row["backtests"] = [
            tg.Backtest(method, f["backtest_cases"], f["backtest_mae_places"], f["backtest_coverage_pct"])
        ]
        if method != "naive":  # and the forecast it had to beat, on the same cases
            row["backtests"].append(
                tg.Backtest("naive", f["backtest_cases"], f["naive_mae_places"], f["naive_coverage_pct"])
            )
        row.update(
            projection_method=method,
            backtest_pairs=f["backtest_cases"],
            backtest_mae=f["backtest_mae_places"],
            backtest_coverage_pct=f["backtest_coverage_pct"],
        )
        if tr.get("projected_lo") is not None:  # printed only where the rankings model's backtest supports it
            row.update(
                projected_lo=tr["projected_lo"],
                projected_hi=tr["projected_hi"],
                interval_pct=p["interval_pct"],
                interval_coverage_pct=tr.get("backtest_coverage_pct"),
            )
    row["interval_note"] = tr.get("interval_note")
    # the status: the rankings report's rule and function (one computation), on the editions up to as_of_year
    field = None
    if scope == "world":  # the entities ranked by edition: paces in percentile points where it changes
        field = rk.rank_series(rk.load_index(index), "VNM")["n_ranked"]
        field = field[field.index <= p["as_of_year"]]
    verdicts = rk.rank_verdicts({}, hist, t.value, t.year, p, field)
    row.update(verdicts)
    if not row["pace_needed"]:
        return row | {"reason": _("already met")}
    reason = tg.verdicts_text(row) if row["status_short"] or row["status_long"] else tr["reason"]
    return row | {"reason": reason}


def _gerd_with_start(d: TargetsData) -> tuple[pd.Series, tuple[int, ...]]:
    """The UIS GERD series with the start every R&D report uses (rd_paths' nowcast, an estimate) appended."""
    from analysis.models import nowcast
    from analysis.reports import rd_paths

    uis = observed.gerd_share_series(d.gerd, "uis")
    ev = rd_paths.RdData.load().evidence
    sp = nowcast.resolve_start(ev.uis, ev.nowcast)
    if sp.year in uis.index:
        return uis, ()
    return pd.concat([uis, pd.Series({sp.year: sp.level_pct})]).sort_index(), (sp.year,)


def rd_model(p: dict[str, Any], uis: pd.Series) -> dict[str, Any]:
    """The rd_paths model, one computation with the rd_paths report: its default run (from the latest
    year with an observation or a nowcast) when as_of_year reaches that year, else from the latest survey
    year up to as_of_year. The required path for the GERD target and the budget-envelope check for the
    3% target."""
    from analysis.reports import rd_paths

    default_base = int(validate("rd_paths", {})["base_year"])
    usable = uis[(uis.index <= p["as_of_year"]) & (uis.index >= rd_paths.FIRST_BASE_YEAR)]
    if usable.empty:
        return {}
    base = default_base if p["as_of_year"] >= default_base else int(usable.index[-1])
    try:
        _resolved, path, summary = rd_paths.run(validate("rd_paths", {"base_year": base}))
        return {"base_year": base, "path": path["share_pct"], "summary": summary, "funding_note": None}
    except ParameterError as exc:  # the funding account needs that year's budget data
        if exc.name not in ("nonstate_share_base_pct", "envelope_rd_share_pct"):
            raise
    # The required share path does not depend on who pays; only the envelope check does, and that needs the
    # funding account, which has no budget data for this year: run the path with the split fixed (60/60)
    # and report the envelope check as unavailable.
    _resolved, path, summary = rd_paths.run(
        validate(
            "rd_paths",
            {
                "base_year": base,
                "nonstate_share_base_pct": 60.0,
                "nonstate_share_target_pct": 60.0,
                "envelope_rd_share_pct": 100.0,
            },
        )
    )
    return {
        "base_year": base,
        "path": path["share_pct"],
        "summary": summary,
        "funding_note": _("no funding account for {year} (the budget data start later), so no envelope check").format(
            year=i18n.fmt.year(base)
        ),
    }


# ----------------------------------------------------------------------------- text shown to readers

NOT_RETRIEVED = N_("(Vietnamese original not retrieved)")  # text_vi of the targets read only in other languages

# where each target's wording was read (text_provenance in r57_targets.csv, as the data write it)
WORDING_NOTES = (
    N_(
        "Vietnamese wording as quoted in project seed document 001 (Diễn đàn KH&CN, No. 2/2025, quoting Nguyễn Quân, "
        "baochinhphu.vn/5-dot-pha-cua-nghi-quyet-57-ve-khoa-hoc-cong-nghe-102250122165526123.htm); same list in Báo "
        "Nghệ An EN. Index not named (IMD WDCR does not cover Vietnam)"
    ),
    N_("as T01a"),
    N_("as T01a; data in reference/rankings/un_egdi.csv"),
    N_("as T01a; index not named"),
    N_(
        "Vietnamese as paraphrased by VNA/tracuuquyhoach ('Mục tiêu hướng đến' is the reporter's lead-in); English "
        "in Báo Nghệ An: 'There are at least 5 digital technology enterprises on par with advanced countries'"
    ),
    N_("seed 001 and MOST Decision 149/QĐ-BKHCN (24 Jan 2025) use identical wording; data in reference/rd/"),
    N_(
        "MOST wording: 'tỷ trọng kinh phí từ xã hội trên kinh phí chi cho R&D đạt trên 60%'; data in "
        "reference/rd/vn_gerd_funding_sources.csv"
    ),
    N_(
        "annual obligation from 2025 (the General Secretary asked for it 'in 2025, the first year'); data in "
        "reference/rd/vn_state_budget_st.csv"
    ),
    N_(
        "MOST plan wording; SGGP EN: '12 scientific research and technology development personnel per 10,000 "
        "people' attributed to Res 57. FTE basis not stated in the Resolution (earlier strategies used full-time "
        "equivalent)"
    ),
    N_("target_value holds the lower bound"),
    N_("MOST plan wording for the Res 57 indicator set; base year not stated"),
    N_(
        "vjst.vn attributes this wording directly to Res 57; target_value holds the lower bound; residents vs all "
        "applicants not specified"
    ),
    N_("MOST wording: 'tỷ lệ đơn đăng ký sáng chế, văn bằng bảo hộ sáng chế khai thác thương mại đạt 8-10%'"),
    N_(
        "read only in MOST's 14-indicator plan implementing NQ 03/NQ-CP (the Government action programme for Res "
        "57), not in a copy of Res 57 itself; same figure in the 2022 S&T strategy (QĐ 569)"
    ),
    N_("VNA text via tracuuquyhoach"),
    N_("denominator is TOTAL goods exports (WDI TX.VAL.TECH.MF.ZS uses manufactured exports)"),
    N_("'digital economy' definition not given (GSO value-added vs MIC estimates differ)"),
    N_(
        "English only (Báo Nghệ An EN: 'The rate of online public service usage by citizens and businesses reached "
        "over 80%')"
    ),
    N_(
        "LOW CONFIDENCE: read only in a Chinese-language summary ('至少3家领先科技企业…投资、研发和生产在越南'); verify "
        "against the Resolution text"
    ),
    N_("vietnam.vn EN: 'By 2045, Vietnam's digital economy will account for at least 50% of GDP'"),
    N_(
        "MOST operationalises it as 'Chỉ số đổi mới sáng tạo toàn cầu (GII) đứng vị trí ≤ 30'; data in "
        "reference/rankings/gii.csv"
    ),
    N_("no index named"),
    # issue 23: the Resolution's section II as compiled in shared/reference/targets/WORDING.md
    N_(
        "Resolution 57-NQ/TW section II as transcribed in github.com/thetrungdtt/VNMasterplan NQ07/bangoc.md "
        "(commit 928e4c9, 2025-01-12), WORDING.md S1"
    ),
    N_(
        "Resolution 57-NQ/TW section II as transcribed in github.com/thetrungdtt/VNMasterplan NQ07/bangoc.md "
        "(commit 928e4c9, 2025-01-12), WORDING.md S1; hdll.vn"
    ),
    N_(
        "Resolution 57-NQ/TW section II as transcribed in github.com/thetrungdtt/VNMasterplan NQ07/bangoc.md "
        "(commit 928e4c9, 2025-01-12), WORDING.md S1; VNA text (S3)"
    ),
)

# how far each target's wording is confirmed (r57_targets.csv wording_status, from WORDING.md section 3)
WORDING_STATUSES = (
    N_("confirmed (S1 and commentary)"),
    N_("confirmed (S1 and the VNA text)"),
    N_("confirmed (VNA text)"),
    N_("confirmed (official: hdll.vn)"),
    N_("confirmed (official: hdll.vn, spelt 'Tỷ lệ')"),
    N_("confirmed in substance; punctuation from S1 only"),
    N_("transcription (S1) and the official English translation (Nhân Dân)"),
    N_("transcription only (S1)"),
    N_("transcription only (S1), supported by NQ 03 and MOST wording"),
    N_("transcription only (S1): UNCONFIRMED (official)"),
)

_SEED = re.compile(r"\bseed (\d{3})\b")


def wording_vi(text: str) -> str:
    """The Vietnamese wording of a target, shown as written in every language (a note where none was found)."""
    return _(text) if text == NOT_RETRIEVED else i18n.keep(text)


def sources_text(text: str) -> str:
    """A target's sources ('seed 001; https://...') with the word 'seed' in the current language."""
    if i18n.current() == i18n.SOURCE_LANG:
        return text
    return _SEED.sub(lambda m: _("seed {number}").format(number=m.group(1)), text)


def _rank_labels() -> dict[str, tuple[str, str]]:
    """English definition or source of each ranking row -> (template, index title), to show them translated."""
    out = {}
    for index, scope in RANK_TARGETS.values():
        title = rk.INDICES[index].title
        template = RANK_DEFINITION_SEA if scope == "sea" else RANK_DEFINITION_WORLD
        out[template.format(index=title)] = (template, title)
        out[RANK_SOURCE.format(index=title)] = (RANK_SOURCE, title)
    return out


def shown_label(text: str | None) -> str:
    """A definition, source or unit of the tracker's rows (English in the data) in the current language."""
    if not text:
        return ""
    if i18n.current() == i18n.SOURCE_LANG:
        return text
    found = _rank_labels().get(text)
    if found:
        return _(found[0]).format(index=_(found[1]))
    return _(text)


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


def pace_unit_text(unit: str, growth: bool) -> str:
    """The unit of a pace: '% a year' for a growth target, else '<unit> a year' (ranks: places a year)."""
    if growth:
        return _("% a year")
    if unit == "percentile points a year (negative = climbing)":  # a rank whose field changes (pace_unit)
        return _("percentile points a year (negative = climbing)")
    if unit in (RANK_UNIT_SEA, RANK_UNIT_WORLD) or unit == "places a year (negative = climbing)":
        return _("places a year (negative = climbing)")
    if unit.startswith("% of"):  # a share moves in percentage points (Vietnamese: điểm phần trăm/năm)
        return i18n.pgettext("share", "{unit} a year").format(unit=shown_label(unit))
    return _("{unit} a year").format(unit=shown_label(unit))


# ----------------------------------------------------------------------------- claims


def claims_check(d: TargetsData) -> pd.DataFrame:
    """The source texts' non-ranking claims: what the data say, edition, definition, why a figure may differ."""
    ind, w = d.ind, d.wdi
    tech = _vn(w["wdi_hightech_exports_usd"], "hightech_exports_usd_mn")
    mrch = _vn(w["wdi_merchandise_exports_usd"], "merchandise_exports_usd_mn")
    mf = _vn(w["wdi_hightech_exports_pct_manufactured"], "hightech_exports_pct_manufactured")
    share23 = tech.get(2023) / mrch.get(2023) * 100.0 if 2023 in tech.index and 2023 in mrch.index else np.nan
    budget = d.budget[d.budget["entity"] == "VNM"]
    st23 = budget[(budget["indicator"] == "st_share_of_budget_pct") & (budget["year"] == 2023)]["value"]
    exp23 = budget[(budget["indicator"] == "budget_exp_vnd_bn") & (budget["year"] == 2023)]["value"]
    implied = float(st23.iloc[0]) / 100.0 * float(exp23.iloc[0]) if len(st23) and len(exp23) else np.nan
    brand = _vn(ind, "nation_brand_value", "Brand Finance")
    brand_rank = _vn(ind, "nation_brand_value_rank", "Brand Finance")
    soft = _vn(ind, "soft_power_index_rank")
    last_b = int(brand.index.max())

    f = i18n.fmt

    def nth(x: float) -> str:
        n = int(x)
        if i18n.current() != i18n.SOURCE_LANG:
            return _("no. {n}").format(n=n)
        return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"

    def usd_bn(x: float) -> str:
        return _("USD {amount} bn").format(amount=f.num(x, 0))

    if len(st23) and len(exp23):
        budget_says = _(
            "not found in the stored sources (kept as not_verified); the Ministry of Finance gives S&T at {share} of "
            "state-budget expenditure in 2023, which on the {budget} budget estimate is about {implied} (DERIVED)"
        ).format(share=f.pct(float(st23.iloc[0]), 2), budget=f.vnd_bn(float(exp23.iloc[0])), implied=f.vnd_bn(implied))
    else:
        budget_says = _("not found in the stored sources")
    rows = [
        {
            "claim": _(
                "High-technology products are nearly 50% of total goods exports (2023; source text: Tap chi Quan ly "
                "nha nuoc No. 351, 4/2025)"
            ),
            "what the data say": _(
                "{share} of total merchandise exports in 2023 (DERIVED: WDI TX.VAL.TECH.CD / TX.VAL.MRCH.CD.WT); "
                "{share_manufactured} of manufactured exports (WDI TX.VAL.TECH.MF.ZS)"
            ).format(share=f.pct(share23, 1), share_manufactured=f.pct(mf.get(2023, np.nan), 1)),
            "edition": _(
                "WDI bulk 2026-04-08 (extract) for high-tech exports; WDI API pull May 2025 for merchandise exports"
            ),
            "definition": _(
                "OECD/Eurostat list of high-technology products (SITC Rev. 3): aerospace, computers, pharmaceuticals, "
                "scientific instruments, electrical machinery"
            ),
            "verdict": _("not supported on the international definition: about {share}, not nearly 50%").format(
                share=f.pct(share23, 1)
            ),
            "why it may differ": _(
                "the text may use Viet Nam's national list of high-tech products or the group 'computers, "
                "electronics and phones', or divide by manufactured rather than all goods exports ({share}); no "
                "source is cited"
            ).format(share=f.pct(mf.get(2023, np.nan), 0)),
        },
        {
            "claim": _("State budget for science and technology: 12,091 bn VND in 2023 (8,800 central + 3,291 local)"),
            "what the data say": budget_says,
            "edition": _(
                "Ministry of Finance figures via Ba Ria-Vung Tau DOST news; 2023 budget estimate (MoF via vietdata.vn)"
            ),
            "definition": _("S&T spending of the state budget, central and local, investment and recurrent"),
            "verdict": _("not verified; the share-based figure is about {difference} higher").format(
                difference=f.pct((implied / 12091 - 1) * 100, 0)
            ),
            "why it may differ": _(
                "allocation (du toan) vs spending outturn (quyet toan); the share may refer to actual rather "
                "than estimated expenditure; recurrent S&T only vs investment included"
            ),
        },
        {
            "claim": _("National brand value USD 507 bn, 32nd of 193 (2024)"),
            "what the data say": _(
                "Brand Finance Nation Brands: {value_2022} and {rank_2022} in 2022, {value_2020} and {rank_2020} in "
                "2020; no 2023 or 2024 edition in the data (latest value found: {latest}); Global Soft Power Index "
                "2024: {soft_rank} of 193"
            ).format(
                value_2022=usd_bn(brand.get(2022, np.nan)),
                rank_2022=nth(brand_rank.get(2022)),
                value_2020=usd_bn(brand.get(2020, np.nan)),
                rank_2020=nth(brand_rank.get(2020)),
                latest=f.year(last_b),
                soft_rank=nth(soft.get(2024)),
            ),
            "edition": _("Brand Finance Nation Brands 2016-2022 (via press); Global Soft Power Index 2024 (via press)"),
            "definition": _(
                "Brand Finance's nation-brand value ranks the top 100 nations; 193 is the Soft Power Index's count"
            ),
            "verdict": _(
                "not verified: 507 bn is not in any stored page, and 'of 193' mixes the Soft Power Index's field into "
                "the brand-value ranking"
            ),
            "why it may differ": _(
                "the figure may come from the 2024 Nation Brands report (not stored); the denominator "
                "belongs to another Brand Finance index"
            ),
        },
    ]
    return pd.DataFrame(rows)


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


def _backtest_row(target_id: str, definition: str, b: Any, used: bool, status_definition: bool) -> dict[str, Any]:
    """One row of the backtest table.

    Parameters
    ----------
    target_id : str
        The target.
    definition : str
        The measure's definition the backtest ran on.
    b : object
        One method's backtest: ``method``, ``pairs`` (count), ``mae`` (in the measure's unit) and ``coverage_pct``
        (% of held-out values inside the interval).
    used : bool
        Whether this method makes the projection.
    status_definition : bool
        Whether this definition sets the target's status.

    Returns
    -------
    dict
        The row, keyed as ``tables/backtests`` has it.
    """
    return {
        "target_id": target_id,
        "definition": definition,
        "method": b.method,
        "pairs": b.pairs,
        "mae": b.mae,
        "coverage_pct": b.coverage_pct,
        "used": used,
        "status_definition": status_definition,
    }


def _rank_target_row(
    t: tg.Target, p: dict[str, Any], rank_params: dict[str, Any]
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A ranking target's tracker row and its backtests.

    Parameters
    ----------
    t : targets.Target
        The target (one of :data:`RANK_TARGETS`).
    p : dict
        This report's parameters.
    rank_params : dict
        The ecosystem_rankings parameters the projection uses (validated).

    Returns
    -------
    row : dict
        The tracker row (:func:`rank_row`, ranks in rank units), without its backtests.
    backtests : list of dict
        One row per method backtested on the ranking (see :func:`_backtest_row`).
    """
    row = rank_row(t, p, rank_params)
    bts = [
        _backtest_row(t.target_id, row["definition"], b, b.method == row["projection_method"], True)
        for b in row.pop("backtests", [])
    ]
    return row, bts


def _model_note(t: tg.Target, rd: dict[str, Any]) -> str | None:
    """What the rd_paths model adds to the R&D targets' rows (T04: the growth needed; T06: the envelope check).

    Parameters
    ----------
    t : targets.Target
        The target.
    rd : dict
        :func:`rd_model`'s result (empty when the R&D targets are not selected or the data do not reach).

    Returns
    -------
    str or None
        The note (growth in % a year, spending in bn USD, envelope use in %), None for other targets.
    """
    if not rd or t.target_id not in ("T04", "T06"):
        return None
    s = rd["summary"]
    f = i18n.fmt
    if t.target_id == "T04":
        return _(
            "rd_paths (its default assumptions, from {base_year}): the share must grow {share_growth} a year and R&D "
            "spending {spending_growth} a year in dong, to {spending} in {target_year}"
        ).format(
            base_year=f.year(rd["base_year"]),
            share_growth=f.pct(s["share_cagr_pct"], 1),
            spending_growth=f.pct(s["gerd_nominal_cagr_pct"], 0),
            spending=f.usd_bn(s["gerd_target_usd_bn"], 1),
            target_year=f.year(s["target_year"]),
        )
    if rd.get("funding_note"):
        return _("rd_paths: {note}").format(note=rd["funding_note"])
    return _(
        "rd_paths: at the 60% non-budget floor, state R&D in {target_year} needs {envelope_share} of the whole 3% "
        "envelope, {budget_share} of budget expenditure"
    ).format(
        target_year=f.year(s["target_year"]),
        envelope_share=f.pct(s["consistency_envelope_pct_at_floor"], 0),
        budget_share=f.pct(s["consistency_budget_pct_at_floor"], 1),
    )


def _definition_backtests(
    t: tg.Target, options: list[tg.Measure], assessed: list[dict[str, Any]], status_definition: str, p: dict[str, Any]
) -> list[dict[str, Any]]:
    """The backtests of every definition of a target that is projected.

    Parameters
    ----------
    t : targets.Target
        The target (``is_growth``: fitted in logs).
    options : list of targets.Measure
        The target's measures (definitions), each with its series by year.
    assessed : list of dict
        :func:`targets.assess` of each measure, in the same order.
    status_definition : str
        The definition that sets the target's status.
    p : dict
        This report's parameters (``as_of_year``, the backtest and fitting settings).

    Returns
    -------
    list of dict
        One row per definition and method (see :func:`_backtest_row`).
    """
    rows = []
    for a in assessed:
        if not a.get("projection_method"):
            continue
        m = next(x for x in options if x.definition == a["definition"])
        s = m.series[m.series.index <= p["as_of_year"]].dropna()
        choice = tg.choose_method(
            s,
            p["projection_method"],
            horizon=p["backtest_horizon_years"],
            min_pairs=p["min_backtest_pairs"],
            log=t.is_growth,
            interval_pct=p["interval_pct"],
            fit_years=p["fit_years"],
            min_points=p["min_points"],
            pace_years=p["latest_pace_years"],
        )
        rows.extend(
            _backtest_row(
                t.target_id, a["definition"], b, b.method == choice.method, a["definition"] == status_definition
            )
            for b in choice.backtests
        )
    return rows


ANNUAL_FLOOR_PCT = 3.0  # T06: at least 3% of total state-budget expenditure every year
WORST_OF = {"T10"}  # 'applications and grants': the status is the worse of the two measures
STATUS_ORDER = ("off track", "needs acceleration", "on track", "not measurable", "no data")  # worst measured first


def t06_by_year(d: TargetsData, as_of_year: int) -> pd.DataFrame:
    """T06 checked year by year from the Resolution's first budget year (2025): the plan and the outturn rated apart
    (:func:`targets.annual_share`), with whether the share rises.

    Parameters
    ----------
    d : TargetsData
        The data (``budget``: the S&T/innovation/digital-transformation allocation and the total, bn VND).
    as_of_year : int
        The last year checked.

    Returns
    -------
    pandas.DataFrame
        One row per year and basis (plan, outturn): numerator and denominator (bn VND), share and its rounding
        bounds (%), rating code.
    """
    total_plan = _vn(d.budget, "budget_exp_vnd_bn")
    bases = {
        "plan": (_vn(d.budget, "stidx_budget_plan_vnd_bn"), total_plan),
        "outturn": (_vn(d.budget, "stidx_outturn_vnd_bn"), _vn(d.budget, "budget_exp_outturn_vnd_bn")),
    }
    rows = []
    for year in range(tg.TARGET_PERIOD_BASE_YEAR + 1, as_of_year + 1):
        for basis, (num, den) in bases.items():
            n, dd = num.get(year), den.get(year)
            n = None if n is None or pd.isna(n) else float(n)
            dd = None if dd is None or pd.isna(dd) else float(dd)
            rows.append(
                {"year": year, "basis": basis, "stidx_vnd_bn": n, "budget_vnd_bn": dd}
                | tg.annual_share(n, dd, ANNUAL_FLOOR_PCT)
            )
    cols = ["year", "basis", "stidx_vnd_bn", "budget_vnd_bn", "share", "share_low", "share_high", "rating"]
    return pd.DataFrame(rows, columns=cols)


def t06_verdict(by_year: pd.DataFrame) -> tuple[str, str]:
    """T06's status from its outturns (:func:`targets.annual_status`) and the reason, with the plans' ratings."""
    out = by_year[by_year["basis"] == "outturn"]
    plan = by_year[by_year["basis"] == "plan"]
    st = tg.annual_status(list(out["rating"]))
    f = i18n.fmt
    bits = [
        _("{year} plan: {rating}").format(year=f.year(r["year"]), rating=annual_rating_label(r["rating"]))
        + (
            " ("
            + _("{share}, {low} to {high} within the rounding of its inputs").format(
                share=f.pct(r["share"], 2), low=f.pct(r["share_low"], 2), high=f.pct(r["share_high"], 2)
            )
            + ")"
            if r["share"] is not None and not pd.isna(r["share"])
            else ""
        )
        for r in plan.to_dict(orient="records")
    ]
    known_out = out[out["rating"] != "not known"]
    bits.insert(
        0,
        _("no outturn for {years}").format(years=", ".join(f.year(y) for y in out["year"]))
        if known_out.empty
        else _("outturns rated year by year"),
    )
    rise = tg.rising([None if pd.isna(x) else x for x in out["share"]])
    bits.append(
        _("'rising over time' cannot be checked yet (fewer than two outturns)")
        if rise is None
        else _("rising over time: {answer}").format(answer=_("yes") if rise == "yes" else _("no"))
    )
    return st, "; ".join(bits)


def annual_rating_label(code: str) -> str:
    """A year's rating (:data:`targets.ANNUAL_RATINGS`) in the reader's words."""
    labels = {
        "met": _("at least 3%"),
        "within rounding": _("at 3% only within rounding"),
        "not met": _("below 3%"),
        "not known": _("not known"),
    }
    return labels.get(code, code)


def _measured_target_row(
    t: tg.Target, options: list[tg.Measure] | None, p: dict[str, Any], rd: dict[str, Any], t06: pd.DataFrame
) -> tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]:
    """A measured (non-ranking) target's tracker row, its other definitions and its backtests.

    Parameters
    ----------
    t : targets.Target
        The target.
    options : list of targets.Measure or None
        Its measures, the status-setting one first; None or empty when no measure is defined.
    p : dict
        This report's parameters.
    rd : dict
        :func:`rd_model`'s result, for the R&D targets' model notes.
    t06 : pandas.DataFrame
        :func:`t06_by_year`, which sets T06's status.

    Returns
    -------
    row : dict
        The tracker row: the first measure's assessment (for T10 the worse of its two) (values in the measure's unit), with the model note.
    definitions : list of dict
        Every measure's assessment where the target has more than one, else empty.
    backtests : list of dict
        See :func:`_definition_backtests`.
    """
    options = options or [
        tg.Measure(t.target_id, "", "", "", kind="none", reason=N_("no measure defined for this target"))
    ]
    assessed = [tg.assess(t, m, p) for m in options]
    row = dict(assessed[0])
    if t.target_id in WORST_OF:  # both measures must grow: the worse status decides
        worst = min(assessed, key=lambda a: STATUS_ORDER.index(a["status"]))
        row = dict(worst) | {
            "reason": _("the worse of: {statuses}").format(
                statuses="; ".join(f"{_(a['definition'])}: {label('target_status', a['status'])}" for a in assessed)
            )
            + "; "
            + worst["reason"]
        }
    if t.target_id == "T06":  # an annual obligation: rated year by year, no pace
        row["status"], row["reason"] = t06_verdict(t06)
        row.update(pace_needed=None, pace_unit=None, target_level=None)
        # every definition by the same annual rule (outturns rated year by year), never by a pace: a plan at
        # 3.006% is not "already met"
        for i, a in enumerate(assessed):
            a.update(status=row["status"], pace_needed=None, pace_unit=None, target_level=None)
            a["reason"] = (
                row["reason"]
                if i == 0
                else _("rated on outturns year by year, as the main row; {reason}").format(reason=_(options[i].reason))
            )
    note = _model_note(t, rd)
    if note is not None:
        row["model_note"] = note
    alts = assessed if len(options) > 1 else []
    return row, alts, _definition_backtests(t, options, assessed, row["definition"], p)


def _tracker_summary(tracker: pd.DataFrame, d: TargetsData) -> dict[str, Any]:
    """The key figures: how many targets have each status (counts of targets).

    Parameters
    ----------
    tracker : pandas.DataFrame
        One row per target, with ``status``.
    d : TargetsData
        The data (the reference list of targets).

    Returns
    -------
    dict
        Counts by status, the number tracked and the number in the reference list.
    """
    counts = tg.count_statuses(tracker["status"])
    return {
        "targets_total": len(tracker),
        "targets_on_track": counts["on track"],
        "targets_needs_acceleration": counts["needs acceleration"],
        "targets_off_track": counts["off track"],
        "targets_not_measurable": counts["not measurable"],
        "targets_without_data": counts["no data"],
        "targets_in_reference_list": len(d.targets),
    }


def run(params: dict[str, Any], data: TargetsData | None = None) -> TargetsRun:
    p = dict(params)
    d = data or TargetsData.load()
    ids = _selected(p["targets"])
    chosen = [t for t in d.targets if ids is None or t.target_id in ids]
    ms = measures(d)
    rank_params = validate("ecosystem_rankings", {"interval_pct": p["interval_pct"]})
    uis = ms["T04"][0].series
    rd = rd_model(p, uis) if any(t.target_id in ("T04", "T06") for t in chosen) else {}
    rows, alt_rows, bt_rows, histories = [], [], [], {}
    t06 = t06_by_year(d, p["as_of_year"])
    for t in chosen:
        if t.target_id in RANK_TARGETS:
            row, bts = _rank_target_row(t, p, rank_params)
            histories[t.target_id] = rank_history(*RANK_TARGETS[t.target_id])
        else:
            row, alts, bts = _measured_target_row(t, ms.get(t.target_id), p, rd, t06)
            alt_rows.extend(alts)
        rows.append(row)
        bt_rows.extend(bts)
    tracker = pd.DataFrame(rows)
    if "model_note" not in tracker.columns:
        tracker["model_note"] = None
    summary = _tracker_summary(tracker, d)
    return TargetsRun(
        p,
        chosen,
        tracker,
        pd.DataFrame(alt_rows),
        pd.DataFrame(bt_rows),
        ms,
        histories,
        rd,
        claims_check(d),
        summary,
        t06,
    )


def targets_help() -> str:
    """The target ids for ``r57 params resolution_targets``."""
    return (
        _("Targets (id: target by year):")
        + "\n"
        + "\n".join(f"  {t.target_id}: {tg.target_name(t.target_id, t.text_en)} ({t.year})" for t in load_targets())
    )


TARGETS_SPEC = register(
    NotebookSpec(
        name="resolution_targets",
        notebook="04_resolution_targets.ipynb",
        title=N_("Every target of Resolution 57: where Viet Nam stands, the pace needed and the pace seen"),
        params=TARGET_PARAMS,
        check=_check,
        extra_help=targets_help,
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
            KeyFigure("targets_without_data", N_("No data"), N_("targets"), 0),
        ),
        datasets=(
            *RD_DATASETS,
            *(d for code in ("egdi", "imd_wdcr", "gii") for d in rk.INDICES[code].datasets),  # the ranked targets
            "r57_targets",
            "vn_r57_indicators",
            "wdi_researchers_per_million",
            "wdi_journal_articles",
            "wdi_patent_applications_residents",
            "wdi_hightech_exports_pct_manufactured",
            "wdi_hightech_exports_usd",
            "wdi_merchandise_exports_usd",
        ),
        section=N_("Every target of Resolution 57: the tracker"),  # first: the page a reader opens first
        order=10,
    )
)
