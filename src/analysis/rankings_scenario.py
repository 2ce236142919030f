"""The ecosystem-rankings report (``ecosystem_rankings``): parameters, targets tracker, claims check."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from . import datasets
from . import rankings as rk
from .errors import ParameterError
from .params import INTERVAL_PCT, NotebookSpec, ParamSpec, register

RANK_PARAMS: tuple[ParamSpec, ...] = (
    ParamSpec(
        "index_name", "str", "startupblink_country", "",
        "Which ranking to model: " + "; ".join(f"{k}: {v.title}" for k, v in rk.INDICES.items()) + ".",
        "StartupBlink's country ranking is the startup-ecosystem ranking quoted in Viet Nam (58th in 2023).",
        choices=tuple(rk.INDICES),
    ),
    ParamSpec(
        "entity", "str", "VNM", "",
        "Economy (ISO3 code or name) or city (slug or name) within the index; `r57 params ecosystem_rankings` "
        "lists them.",
        "Viet Nam.",
    ),
    ParamSpec(
        "target_rank", "int", 50, "rank",
        "Rank to reach (1 = best).",
        "The Resolution sets no startup-ranking target; top 50 mirrors its top-50 targets for e-government and "
        "digital competitiveness.",
        lo=1, hi=2000,
    ),
    ParamSpec(
        "target_year", "int", 2030, "year",
        "Edition year by which the target rank should be reached.",
        "Resolution 57's ranking targets are for 2030 (innovation: 2045).",
        lo=2026, hi=2060,
    ),
    INTERVAL_PCT,
    ParamSpec(
        "field_drift_pct", "float", None, "% per year",
        "How fast the rest of the field's scores rise each year (score view only).",
        "Empty means estimated from the data: the median annual score growth of entities seen in two editions "
        "of the chosen index (StartupBlink countries about 20%, cities about 42% at the top, EGDI about 3%).",
        lo=-20.0, hi=100.0, nullable=True, null_means="estimated from the index's own score history",
    ),
    ParamSpec(
        "rank_scale", "str", "log_percentile", "",
        "Scale of the trend: 'log_percentile' (log of rank / number ranked) or 'log_rank'.",
        "The number ranked changes between editions (1,000 to 1,400+ cities); percentiles compare like with like.",
        choices=("log_percentile", "log_rank"),
    ),
    ParamSpec(
        "fit_last_editions", "int", 8, "editions",
        "Fit the trend on at most this many latest editions.",
        "Eight editions are enough to estimate a slope and recent enough to describe the current regime "
        "(Viet Nam's early GII jumps of 2012-2015 would otherwise dominate).",
        lo=3, hi=30,
    ),
    ParamSpec(
        "min_points", "int", 4, "editions",
        "Fewest editions with a reported or derived rank needed to fit a trend; fewer are refused, not extrapolated.",
        "Four points leave two degrees of freedom for the slope's uncertainty.",
        lo=3, hi=15,
    ),
)


def _check(p: dict[str, Any]) -> None:
    if p["target_rank"] < 1:
        raise ParameterError("target_rank", "must be 1 or more", "1 to 2000")
    if p["min_points"] > p["fit_last_editions"]:  # the trend would never be fitted: no projection at all
        raise ParameterError("min_points", f"{p['min_points']} is more than fit_last_editions ({p['fit_last_editions']}), "
                             "so no trend could ever be fitted", f"at most fit_last_editions ({p['fit_last_editions']})")


def _preflight(p: dict[str, Any]) -> None:
    long = rk.load_index(p["index_name"])
    rk.resolve_entity(long, p["entity"])
    latest = int(long["year"].max())
    if p["target_year"] <= latest:
        raise ParameterError("target_year", f"is not after the latest {p['index_name']} edition ({latest})", f"{latest + 1} to 2060")


def entity_help() -> str:
    """The allowed entities per index, for ``r57 params ecosystem_rankings``."""
    lines = ["Entities by index (code: name [editions with a usable rank]):"]
    for code in rk.INDICES:
        e = rk.entities(rk.load_index(code))
        items = ", ".join(f"{r.entity}: {r.entity_name} [{r.usable_editions}]" for r in e.itertuples())
        lines.append(f"  {code}: {items}")
    return "\n".join(lines)


# ----------------------------------------------------------------------------- targets


@dataclass(frozen=True)
class Target:
    label: str
    index: str
    scope: str  # world or sea
    rank: int
    year: int
    source: str


RESOLUTION_TARGETS = (
    Target("E-government: top 50 in the world by 2030", "egdi", "world", 50, 2030, "Resolution 57-NQ/TW"),
    Target("E-government: top 3 in Southeast Asia by 2030", "egdi", "sea", 3, 2030, "Resolution 57-NQ/TW"),
    Target("Digital competitiveness: top 50 in the world by 2030", "imd_wdcr", "world", 50, 2030, "Resolution 57-NQ/TW"),
    Target("Digital competitiveness: top 3 in Southeast Asia by 2030", "imd_wdcr", "sea", 3, 2030, "Resolution 57-NQ/TW"),
    Target("Innovation (GII): top 30 in the world by 2045", "gii", "world", 30, 2045, "Resolution 57-NQ/TW"),
)


def _latest(series: pd.DataFrame) -> tuple[int, float, float]:
    year = int(series.index.max())
    return year, float(series.loc[year, "rank"]), float(series.loc[year, "n_ranked"])


def _fit(series: pd.DataFrame, p: dict[str, Any], entity: str) -> rk.TrajectoryFit:
    return rk.fit_trajectory(series.tail(p["fit_last_editions"]), p["rank_scale"], p["min_points"], entity)


def track_target(t: Target, p: dict[str, Any], entity: str = "VNM") -> dict[str, Any]:
    """One row of the targets tracker: latest value, projection with interval, status and reason."""
    long = rk.load_index(t.index)
    row: dict[str, Any] = {"target": t.label, "index": rk.INDICES[t.index].title, "target_rank": t.rank,
                           "target_year": t.year, "scope": t.scope, "latest_edition": None, "latest": None,
                           "projected": None, "projected_lo": None, "projected_hi": None, "prob_reach_pct": None}
    series = rk.rank_series(long, entity)
    if series.empty:
        types = long[(long["entity"] == entity) & (long["indicator"] == "rank")]["value_type"].unique()
        why = "Viet Nam is not covered by this index" if "not_covered" in types else "no usable rank for Viet Nam"
        return row | {"status": "not measurable", "reason": why}
    year, rank, n = _latest(series)
    row["latest_edition"] = year
    if t.scope == "world":
        row["latest"] = rank
        try:
            pr = rk.project(_fit(series, p, entity), t.year, n, p["interval_pct"], t.rank)
        except rk.InsufficientDataError as exc:
            return row | {"status": "not measurable", "reason": str(exc)}
        row.update(projected=pr["projected_rank"], projected_lo=pr["projected_rank_lo"], projected_hi=pr["projected_rank_hi"],
                   prob_reach_pct=pr["prob_reach_target_pct"])
    else:
        st = rk.regional_standing(long, year, entity)
        row["latest"] = st.get("regional_rank_likely", st["regional_rank"])
        known_note = (f"latest regional position {row['latest']} counts {st['regional_unknown_ahead_last_time']} "
                      f"{'economy' if st['regional_unknown_ahead_last_time'] == 1 else 'economies'} with no {year} rank in the data "
                      "that were ahead when last ranked") if st.get("regional_unknown") else ""
        # Regional projection: project every Southeast Asian economy with enough editions and rank the
        # projections; economies that cannot be projected are left out (named in the reason).
        proj, skipped = {}, []
        for e in sorted(set(long.loc[long["country"].isin(rk.SEA), "entity"])):
            s = rk.rank_series(long, e)
            try:
                proj[e] = rk.project(_fit(s, p, e), t.year, n, p["interval_pct"])["projected_rank"]
            except rk.InsufficientDataError:
                skipped.append(e)
        if entity not in proj:
            return row | {"status": "not measurable", "reason": "too few editions to project Viet Nam"}
        regional = 1 + sum(v < proj[entity] for k, v in proj.items() if k != entity)
        row["projected"] = float(regional)
        extras = [x for x in (known_note, "not projected (too few editions): " + ", ".join(skipped) if skipped else "") if x]
        row["reason_extra"] = "; ".join(extras)
    on_track = row["projected"] is not None and row["projected"] <= t.rank and (row["prob_reach_pct"] is None or row["prob_reach_pct"] >= 50)
    reason = (f"projected {row['projected']:.0f} vs target {t.rank}" if t.scope == "world" else
              f"projected regional position {row['projected']:.0f} vs target {t.rank}") + (
        f"; P(reach) {row['prob_reach_pct']:.0f}%" if row["prob_reach_pct"] is not None else "")
    if row.get("reason_extra"):
        reason += f"; {row.pop('reason_extra')}"
    else:
        row.pop("reason_extra", None)
    return row | {"status": "on track" if on_track else "off track", "reason": reason}


def targets_tracker(p: dict[str, Any]) -> pd.DataFrame:
    return pd.DataFrame([track_target(t, p) for t in RESOLUTION_TARGETS])


# ----------------------------------------------------------------------------- claims


def claims_check() -> pd.DataFrame:
    """What the data support for three public claims, with edition, denominator and source."""
    rows = []
    countries = rk.load_index("startupblink_country")
    vn = rk.rank_series(countries, "VNM")
    editions_58 = [int(y) for y, r in vn["rank"].items() if r == 58]
    latest_y, latest_r, latest_n = _latest(vn)
    src58 = countries[(countries["entity"] == "VNM") & (countries["indicator"] == "rank") & countries["year"].isin(editions_58)]
    rows.append({
        "claim": "Viet Nam's startup ecosystem ranks 58th in the world",
        "what the data show": (f"58th in the StartupBlink {', '.join(map(str, editions_58))} edition, of "
                               f"{int(vn.loc[editions_58[0], 'n_ranked'])} countries" if editions_58 else "no edition with 58")
                              + f"; latest: {latest_r:.0f} of {latest_n:.0f}+ in {latest_y}",
        "verdict": "true for the 2023 edition; out of date" if editions_58 and latest_y > editions_58[-1] else
                   ("supported" if editions_58 else "not supported"),
        "source": "; ".join(src58["source"].unique()) or "StartupBlink",
    })
    cities = rk.load_index("startupblink_city")
    dn = rk.rank_series(cities, "da-nang")
    n_rows = cities[(cities["entity"] == "da-nang") & (cities["indicator"] == "n_ranked") & (cities["year"] == 2025)]
    n_2025 = float(n_rows["value"].iloc[0]) if len(n_rows) else np.nan
    n_qual = "+" if len(n_rows) and n_rows["qualifier"].iloc[0] == "at_least" else ""
    rise = dn.loc[2024, "rank"] - dn.loc[2025, "rank"] if {2024, 2025} <= set(dn.index) else np.nan
    rows.append({
        "claim": "Da Nang rose 130 places to 766th of 1,000 cities in 2025",
        "what the data show": f"766th in the 2025 edition ({dn.loc[2025, 'value_type'] if 2025 in dn.index else 'n/a'}), "
                              f"up {rise:.0f} from {dn.loc[2024, 'rank']:.0f} in 2024 ({dn.loc[2024, 'value_type'] if 2024 in dn.index else 'n/a'}); "
                              f"the 2025 edition ranked {n_2025:,.0f}{n_qual} cities, not 1,000",
        "verdict": "rank and rise supported; the denominator is wrong (1,400+ cities, so top 55%, not top 77%)"
                   if rise == 130 and n_2025 > 1000 else "check",
        "source": "StartupBlink GSEI 2025 (published 20 May 2025), via press; 2024 rank derived from the reported change",
    })
    hn = rk.rank_series(cities, "hanoi")
    gser = rk.load_index("startup_genome")
    hn_g = gser[(gser["entity"] == "hanoi") & (gser["indicator"] == "rank") & gser["value"].notna()]
    band = f"{int(hn_g['value'].min())}-{int(hn_g['value'].max())} in {int(hn_g['year'].iloc[0])}" if len(hn_g) else "never"
    best = hn["rank"].min() if len(hn) else np.nan
    rows.append({
        "claim": "Hanoi is among the top 20 startup cities in the world",
        "what the data show": f"StartupBlink: best {best:.0f} ({int(hn['rank'].idxmin())}), latest {hn['rank'].iloc[-1]:.0f} in "
                              f"{int(hn.index.max())}; Startup Genome emerging ecosystems: band {band}, absent later",
        "verdict": "not supported by any ranking found" if best > 20 else "supported",
        "source": "StartupBlink GSEI 2019-2025; Startup Genome GSER 2021-2023 (via press)",
    })
    return pd.DataFrame(rows)


# ----------------------------------------------------------------------------- the report


@dataclass
class RankingsRun:
    params: dict[str, Any]
    info: rk.IndexInfo
    long: pd.DataFrame
    entity: str
    entity_name: str
    series: pd.DataFrame
    trajectory: rk.TrajectoryFit | None
    trajectory_error: str | None
    projection: dict[str, Any]
    pace: dict[str, Any]
    best_moves: pd.DataFrame
    curve: rk.ScoreCurve | None
    curve_error: str | None
    regional: dict[str, Any]
    targets: pd.DataFrame
    claims: pd.DataFrame
    summary: dict[str, Any] = field(default_factory=dict)


def run(params: dict[str, Any]) -> RankingsRun:
    p = dict(params)
    info = rk.INDICES[p["index_name"]]
    long = rk.load_index(p["index_name"])
    entity = rk.resolve_entity(long, p["entity"])
    p["entity"] = entity
    name = str(long.loc[long["entity"] == entity, "entity_name"].iloc[-1])
    series = rk.rank_series(long, entity)
    summary: dict[str, Any] = {"index_name": info.code, "index_title": info.title, "entity": entity, "entity_name": name,
                               "value_types_used": list(rk.USED_VALUE_TYPES)}
    traj, terr, proj, pace = None, None, {}, {}
    if series.empty:
        terr = "no reported or derived rank for this entity in this index"
        summary.update(latest_edition=None, latest_rank=None, n_ranked_latest=None)
    else:
        year, rank, n = _latest(series)
        summary.update(latest_edition=year, latest_rank=rank, n_ranked_latest=n, latest_percentile=rank / n * 100)
        try:
            traj = _fit(series, p, name)
            proj = rk.project(traj, p["target_year"], n, p["interval_pct"], p["target_rank"])
        except rk.InsufficientDataError as exc:
            terr = str(exc)
        pace = rk.required_pace(rank, n, year, p["target_rank"], p["target_year"])
    summary.update({k: proj.get(k) for k in ("projected_rank", "projected_rank_lo", "projected_rank_hi", "prob_reach_target_pct",
                                              "trend_pct_per_year", "fit_points")})
    summary["trajectory_refused"] = terr
    summary.update(pace or {"required_places_per_year": None, "required_percentile_points_per_year": None})
    moves = rk.best_observed_pace(rk.all_rank_history(long))
    if len(moves):
        b = moves.iloc[0]
        summary.update(best_observed_places_per_year=float(b["places_per_year"]), best_observed_entity=str(b["entity_name"]),
                       best_observed_period=f"{int(b['from_year'])}-{int(b['year'])}")
    else:
        summary.update(best_observed_places_per_year=None)
    # score view
    curve, cerr = None, None
    drift = p["field_drift_pct"]
    if info.score_dataset is None:
        cerr = f"{info.title} publishes no scores in the data; the score view is not measurable"
    else:
        pts_long = pd.concat([long, datasets.load(info.score_dataset)]) if info.score_dataset not in info.datasets else long
        pts = rk.score_points(pts_long)
        if drift is None:
            drift, how = rk.field_drift_pct(pts)
            summary["field_drift_method"] = how
        else:
            summary["field_drift_method"] = "set by the user"
        try:
            curve = rk.fit_score_curve(pts, cover_rank=summary.get("latest_rank"))
        except rk.InsufficientDataError as exc:
            cerr = str(exc)
    p["field_drift_pct"] = drift
    summary["field_drift_pct"] = drift
    if curve is not None and summary.get("latest_rank") and drift is not None:
        years = p["target_year"] - summary["latest_edition"]
        summary.update(
            score_curve_edition=curve.edition, score_curve_form=curve.form, score_curve_r2=curve.r2,
            score_curve_rank_range=list(curve.rank_range),
            score_ratio_target_to_latest=float(curve.score(p["target_rank"]) / curve.score(summary["latest_rank"])),
            required_score_growth_pct_per_year=rk.required_score_growth_pct(curve, summary["latest_rank"], p["target_rank"], years, drift),
        )
    summary["score_view_unavailable"] = cerr
    # regional standing (economies: Southeast Asia; cities: cities in Southeast Asia)
    regional = {"regional_rank": None}
    if summary.get("latest_edition"):
        regional = rk.regional_standing(long, summary["latest_edition"], entity)
    summary.update({f"{k}": v for k, v in regional.items() if k != "table"})
    # the likely position counts members with no rank this edition that were ahead when last ranked
    summary["regional_rank_latest"] = regional.get("regional_rank_likely", regional.get("regional_rank"))
    targets = targets_tracker(p)
    claims = claims_check()
    return RankingsRun(p, info, long, entity, name, series, traj, terr, proj, pace, moves, curve, cerr, regional, targets,
                       claims, summary)


RANK_SPEC = register(
    NotebookSpec(
        name="ecosystem_rankings",
        notebook="03_ecosystem_rankings.ipynb",
        title="Startup-ecosystem and innovation rankings: where Viet Nam stands and where its trend leads",
        params=RANK_PARAMS,
        check=_check,
        preflight=_preflight,
        description="Rank trends with prediction intervals, required pace, the score needed, regional standing, "
                    "the Resolution's ranking targets, and a check of public claims.",
        extra_help=entity_help,
    )
)
