"""Historical analogues: how fast has any economy raised R&D spending as a share of GDP?

Every window starts at an observed value; :func:`window_rises_tolerant` (what the report uses) lets the end
point lie within one year of ``window_years`` later, so economies that survey every other year count.
:func:`coverage_jumps` flags steps that look like survey-coverage changes, and :func:`placement_by_economy`
counts distinct economies beside windows, because one economy's overlapping windows are not independent.
:func:`assess` computes every fact the feasibility report shows, with the structural benchmark, peers and growth
simulation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from analysis.data import datasets, observed
from analysis.data.schema import valued
from analysis.data.wdi import WDI_SOURCE, aggregate_codes
from analysis.errors import ParameterError
from analysis.models import decomposition, growth_sim, peers, structural
from analysis.models.path_core import cagr_pct
from analysis.models.rd_model import RdInputs


def country_panel(wdi: pd.DataFrame, indicator: str = "gerd_pct_gdp") -> pd.DataFrame:
    """Economies only (WDI aggregates dropped): entity, entity_name, year, value."""
    rows = wdi[(wdi["indicator"] == indicator) & ~wdi["entity"].isin(aggregate_codes()) & wdi["value"].notna()]
    out = rows[["entity", "entity_name", "year", "value"]].copy()
    out["year"] = out["year"].astype(int)
    return out.sort_values(["entity", "year"]).reset_index(drop=True)


def place_required_rise(
    windows: pd.DataFrame, required_pp: float, required_cagr_pct: float, start_below_pct: float
) -> dict[str, object]:
    """Where a required rise sits in the distribution of observed windows."""
    if windows.empty:
        raise ParameterError("window_years", "no country has two observations that far apart", "a shorter window")
    reach = windows["rise_pp"] >= required_pp
    low = windows["start_pct"] < start_below_pct
    best = windows.loc[windows["rise_pp"].idxmax()]
    return {
        "windows_total": int(len(windows)),
        "countries_total": int(windows["entity"].nunique()),
        "windows_reaching": int(reach.sum()),
        "share_of_windows_reaching_pct": float(reach.mean() * 100),
        "countries_reaching": sorted(windows.loc[reach, "entity_name"].unique().tolist()),
        "low_start_windows_total": int(low.sum()),
        "low_start_windows_reaching": int((reach & low).sum()),
        "share_of_low_start_windows_reaching_pct": float((reach & low).sum() / low.sum() * 100)
        if low.any()
        else float("nan"),
        "share_of_windows_reaching_cagr_pct": float((windows["share_cagr_pct"] >= required_cagr_pct).mean() * 100),
        "required_increase_percentile": float((windows["rise_pp"] < required_pp).mean() * 100),
        "max_observed_increase_pp": float(best["rise_pp"]),
        "max_observed_country": str(best["entity_name"]),
        "max_observed_period": _period(best),
        "max_observed_start_pct": float(best["start_pct"]),
        **_largest_low_start(windows, low),
    }


def _period(window: pd.Series) -> str:
    """A window's years as the summary names them: ``start-end``."""
    return f"{int(window['start_year'])}-{int(window['end_year'])}"


def _largest_low_start(windows: pd.DataFrame, low: pd.Series) -> dict[str, object]:
    """The largest rise from a low start, named (economy, window, flagged or not), and the largest without the
    windows flagged for a coverage jump (the "clean" figure), when ``windows`` has a ``coverage_jump`` column."""
    nan = float("nan")
    out: dict[str, object] = {
        "max_low_start_increase_pp": nan,
        "max_low_start_country": None,
        "max_low_start_period": None,
        "max_low_start_flagged": None,
        "max_low_start_clean_increase_pp": nan,
        "max_low_start_clean_country": None,
        "max_low_start_clean_period": None,
    }
    if not low.any():
        return out
    w = windows.loc[low]
    flagged = w["coverage_jump"].astype(bool) if "coverage_jump" in w.columns else pd.Series(False, index=w.index)
    for prefix, ws in (("max_low_start", w), ("max_low_start_clean", w[~flagged])):
        if len(ws):
            top = ws.loc[ws["rise_pp"].idxmax()]
            out[f"{prefix}_increase_pp"] = float(top["rise_pp"])
            out[f"{prefix}_country"] = str(top["entity_name"])
            out[f"{prefix}_period"] = _period(top)
    out["max_low_start_flagged"] = bool(flagged[w["rise_pp"].idxmax()])
    return out


def closest_analogues(
    windows: pd.DataFrame, base_share_pct: float, band_factor: float = 2.0, n: int = 10
) -> pd.DataFrame:
    """Each country's best window among those that started within a factor ``band_factor``
    of ``base_share_pct`` (e.g. 0.21-0.83% for 0.41%), best first, ``n`` rows at most."""
    lo, hi = base_share_pct / band_factor, base_share_pct * band_factor
    near = windows[(windows["start_pct"] >= lo) & (windows["start_pct"] <= hi)]
    if near.empty:
        return near.copy()
    best = near.loc[near.groupby("entity")["rise_pp"].idxmax()]
    return best.sort_values("rise_pp", ascending=False).head(n).reset_index(drop=True)


def fallbacks(panel: pd.DataFrame, min_drop_pp: float = 0.3) -> pd.DataFrame:
    """Countries whose share fell by at least ``min_drop_pp`` from an earlier peak.

    Columns: entity, entity_name, peak_year, peak_pct, later_year, later_pct, drop_pp
    (the largest fall from any peak to any later observation).
    """
    rows = []
    for entity, g in panel.groupby("entity"):
        v = g["value"].to_numpy()
        years = g["year"].to_numpy()
        running_max_idx = np.maximum.accumulate(np.where(v == np.maximum.accumulate(v), np.arange(len(v)), 0))
        drops = v[running_max_idx] - v
        i = int(np.argmax(drops))
        if drops[i] >= min_drop_pp:
            j = running_max_idx[i]
            name = g["entity_name"].iloc[0]
            rows.append((entity, name, int(years[j]), float(v[j]), int(years[i]), float(v[i]), float(drops[i])))
    cols = ["entity", "entity_name", "peak_year", "peak_pct", "later_year", "later_pct", "drop_pp"]
    return pd.DataFrame(rows, columns=cols).sort_values("drop_pp", ascending=False).reset_index(drop=True)


def vintage_gaps(panel: pd.DataFrame, vintages: pd.DataFrame, min_gap_pp: float = 0.1) -> pd.DataFrame:
    """Where another release's value differs from the panel's for the same country and year."""
    other = valued(vintages, "gerd_pct_gdp").dropna(subset=["year"])
    other = other[["entity", "year", "value", "source"]].rename(
        columns={"value": "other_pct", "source": "other_source"}
    )
    other["year"] = other["year"].astype(int)
    m = panel.merge(other, on=["entity", "year"], how="inner").rename(columns={"value": "wdi_pct"})
    m["gap_pp"] = m["other_pct"] - m["wdi_pct"]
    m = m[m["gap_pp"].abs() >= min_gap_pp]
    cols = ["entity", "entity_name", "year", "wdi_pct", "other_pct", "gap_pp", "other_source"]
    return m[cols].sort_values(["entity", "year"]).reset_index(drop=True)


# ----------------------------------------------------------------------------- windows with tolerance

WINDOW_KINDS = ("exact", "interpolated", "nearest")  # codes; the report words them
LOW_START_PCT = 1.0  # % of GDP: windows starting below it are "low-start" analogues (rd_feasibility's default)


def window_rises_tolerant(panel: pd.DataFrame, window_years: int) -> pd.DataFrame:
    """Every (economy, observed start year) with an end point within one year of ``window_years`` later.

    Economies that survey every other year (Viet Nam among them) have no observation exactly
    ``window_years`` after a start when the window is odd; this search still counts them:

    - ``exact``: an observation at start + window_years;
    - ``interpolated``: none there, but observations one year before and one year after: the
      end value is their average (linear interpolation at the midpoint), an estimate;
    - ``nearest``: only one of the two neighbours is observed: it is the end point and the
      window is one year shorter or longer (``span_years``); the rise is over that span.

    The start point is always observed. Columns: entity, entity_name, start_year, end_year, span_years,
    end_kind, start_pct, end_pct, rise_pp, share_cagr_pct (compound annual growth of the share over
    ``span_years``, %).
    """
    if window_years < 1:
        raise ParameterError("window_years", f"{window_years} is too short", "1 or more years")
    vals = {(e, int(y)): float(v) for e, y, v in panel[["entity", "year", "value"]].itertuples(index=False)}
    names = panel.drop_duplicates("entity").set_index("entity")["entity_name"].to_dict()
    rows = []
    for (entity, start), start_pct in vals.items():
        end = start + window_years
        before, after = vals.get((entity, end - 1)), vals.get((entity, end + 1))
        if (entity, end) in vals:
            kind, end_year, span, end_pct = "exact", end, window_years, vals[(entity, end)]
        elif before is not None and after is not None and window_years > 1:
            kind, end_year, span, end_pct = "interpolated", end, window_years, (before + after) / 2.0
        elif after is not None:
            kind, end_year, span, end_pct = "nearest", end + 1, window_years + 1, after
        elif before is not None and window_years > 1:
            kind, end_year, span, end_pct = "nearest", end - 1, window_years - 1, before
        else:
            continue
        rows.append((entity, names[entity], start, end_year, span, kind, start_pct, end_pct))
    cols = ["entity", "entity_name", "start_year", "end_year", "span_years", "end_kind", "start_pct", "end_pct"]
    w = pd.DataFrame(rows, columns=cols)
    w["rise_pp"] = w["end_pct"] - w["start_pct"]
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(w["start_pct"] > 0, w["end_pct"] / w["start_pct"], np.nan)
        w["share_cagr_pct"] = (np.power(ratio, 1.0 / w["span_years"].to_numpy(dtype=float)) - 1.0) * 100.0
    return w.sort_values(["entity", "start_year"]).reset_index(drop=True)


def coverage_jumps(panel: pd.DataFrame, jump_pct_per_year: float, max_gap_years: int = 2) -> pd.DataFrame:
    """Changes between consecutive observations (at most ``max_gap_years`` apart) whose annualised
    growth of the share is at least ``jump_pct_per_year`` % (or whose fall is as large in log terms).

    Such steps are more often a change in what the survey covers (new sectors, a new method) than
    a change in spending; the WDI bulk files carry no series-break flags, so this is the check.
    Columns: entity, entity_name, from_year, to_year, from_pct, to_pct, change_pct_per_year.
    """
    p = panel.sort_values(["entity", "year"])
    prev = p.groupby("entity")[["year", "value"]].shift(1)
    gap = p["year"] - prev["year"]
    with np.errstate(divide="ignore", invalid="ignore"):
        log_rate = np.log(p["value"] / prev["value"]) / gap
    limit = np.log1p(jump_pct_per_year / 100.0)
    hit = (gap <= max_gap_years) & (log_rate.abs() >= limit) & (prev["value"] > 0) & (p["value"] > 0)
    out = pd.DataFrame(
        {
            "entity": p["entity"],
            "entity_name": p["entity_name"],
            "from_year": prev["year"],
            "to_year": p["year"],
            "from_pct": prev["value"],
            "to_pct": p["value"],
            "change_pct_per_year": np.expm1(log_rate) * 100.0,
        }
    )[hit]
    out[["from_year", "to_year"]] = out[["from_year", "to_year"]].astype(int)
    return out.reset_index(drop=True)


def flag_windows(windows: pd.DataFrame, jumps: pd.DataFrame) -> pd.Series:
    """True for each window that contains a flagged jump (a step ending after its start and by its end)."""
    flagged = pd.Series(False, index=windows.index, name="coverage_jump")
    if jumps.empty or windows.empty:
        return flagged
    m = windows.reset_index().merge(jumps[["entity", "from_year", "to_year"]], on="entity")
    inside = m[(m["to_year"] > m["start_year"]) & (m["from_year"] < m["end_year"])]
    flagged.loc[inside["index"].unique()] = True
    return flagged


def placement_by_economy(
    windows: pd.DataFrame,
    required_pp: float,
    start_below_pct: float,
    kinds: tuple[str, ...] = WINDOW_KINDS,
    exclude_flagged: bool = False,
) -> dict[str, object]:
    """Counts of windows and of distinct economies, for windows of the given end-point kinds.

    Overlapping windows of one economy share years and shocks, so they are not independent
    observations: the count of economies is the honest denominator.
    """
    w = windows[windows["end_kind"].isin(kinds)]
    if exclude_flagged and "coverage_jump" in w:
        w = w[~w["coverage_jump"]]
    reach = w["rise_pp"] >= required_pp
    low = w["start_pct"] < start_below_pct
    return {
        "windows": int(len(w)),
        "economies": int(w["entity"].nunique()),
        "windows_reaching": int(reach.sum()),
        "economies_reaching": int(w.loc[reach, "entity"].nunique()),
        "low_start_windows": int(low.sum()),
        "low_start_economies": int(w.loc[low, "entity"].nunique()),
        "low_start_windows_reaching": int((reach & low).sum()),
        "low_start_economies_reaching": int(w.loc[reach & low, "entity"].nunique()),
        "economies_reaching_names": sorted(w.loc[reach, "entity_name"].unique().tolist()),
        "max_rise_pp": float(w["rise_pp"].max()) if len(w) else float("nan"),
        "max_low_start_rise_pp": float(w.loc[low, "rise_pp"].max()) if low.any() else float("nan"),
    }


def window_count_table(windows: pd.DataFrame, required_pp: float, start_below_pct: float) -> pd.DataFrame:
    """One row per end-point kind (and all kinds; all kinds without flagged windows): windows and economies."""
    rows = []
    for label, kinds, excl in [(k, (k,), False) for k in WINDOW_KINDS] + [
        ("all", WINDOW_KINDS, False),
        ("all, no coverage jump", WINDOW_KINDS, True),
    ]:
        c = placement_by_economy(windows, required_pp, start_below_pct, kinds, excl)
        c.pop("economies_reaching_names")
        rows.append({"end points": label, **c})
    return pd.DataFrame(rows)


def reached_share_at_income(panel: pd.DataFrame, share_pct: float, income_usd: float) -> pd.DataFrame:
    """Every economy that ever had R&D of at least ``share_pct`` % of GDP: the first such year, its GDP
    per person then (current USD) and whether that was at or below ``income_usd``; lowest income first.

    ``panel`` is a structural panel (entity, entity_name, year, gerd_pct_gdp, gdp_pc_usd). Incomes are
    in current dollars of their year: a dollar of 2000 bought more than one of 2030, so the comparison
    flatters economies that got there early.
    """
    hit = panel[panel["gerd_pct_gdp"] >= share_pct]
    cols = ["entity", "entity_name", "year", "gerd_pct_gdp", "gdp_pc_usd", "at_or_below_income"]
    if hit.empty:
        return pd.DataFrame(columns=cols)
    first = hit.sort_values("year").drop_duplicates("entity").copy()
    first["at_or_below_income"] = first["gdp_pc_usd"] <= income_usd
    return first[cols].sort_values("gdp_pc_usd").reset_index(drop=True)


# ----------------------------------------------------------------------------- the budget rule under uncertainty


def prob_exceeds(
    state_share_of_gerd: np.ndarray | float, share_pct: float, gdp_vnd: np.ndarray, envelope_vnd: np.ndarray | float
) -> np.ndarray | float:
    """Share (%) of simulated GDP outcomes ``gdp_vnd`` in which state-funded R&D, ``state_share_of_gerd``
    (a fraction, or an array of them) of GERD at ``share_pct`` % of GDP, exceeds the envelope (one amount, or one
    per outcome)."""
    state = np.multiply.outer(np.atleast_1d(state_share_of_gerd), gdp_vnd * share_pct / 100.0)
    out = (state > envelope_vnd).mean(axis=-1) * 100.0
    return float(out[0]) if np.ndim(state_share_of_gerd) == 0 else out


def nonstate_share_needed_pct(
    share_pct: float, gdp_vnd: np.ndarray, envelope_vnd: np.ndarray | float, fit_prob_pct: float
) -> float:
    """Smallest non-budget share (% of GERD) at which the state's part fits the envelope in
    ``fit_prob_pct`` % of simulated GDP outcomes: state = (1 - ns) s GDP <= E  <=>  ns >= 1 - E / (s GDP)."""
    need = 1.0 - envelope_vnd / (gdp_vnd * share_pct / 100.0)
    return float(np.clip(np.percentile(need, fit_prob_pct), 0.0, 1.0) * 100.0)


def exceed_curve(
    share_pct: float, gdp_vnd: np.ndarray, envelope_vnd: np.ndarray | float, nonstate_pcts: np.ndarray | None = None
) -> pd.DataFrame:
    """Probability (%) that the state's part exceeds the envelope, for each non-budget share (% of GERD;
    default 0 to 100 in steps of 2.5): columns ``nonstate_share_target_pct``, ``prob_exceeds_pct``."""
    ns = np.arange(0.0, 100.5, 2.5) if nonstate_pcts is None else np.asarray(nonstate_pcts, dtype=float)
    probs = prob_exceeds(1 - ns / 100.0, share_pct, gdp_vnd, envelope_vnd)
    return pd.DataFrame({"nonstate_share_target_pct": ns, "prob_exceeds_pct": probs})


def budget_arithmetic(envelope: float, planned_gerd: float) -> dict[str, float]:
    """The budget check without simulation, in the target year: the share of the planned R&D that the envelope
    covers, hence the non-budget share needed (both shares of GDP: the same at any GDP)."""
    cover = envelope / planned_gerd * 100.0
    return {"envelope_share_of_planned_rd_pct": cover, "nonbudget_share_needed_arithmetic_pct": 100.0 - cover}


def envelope_draws(path: pd.DataFrame, gdp_vnd: np.ndarray) -> np.ndarray:
    """The envelope (bn VND) each simulated GDP path ``gdp_vnd`` (paths x the years of ``path``) gives: a year's
    budget is set in the year before, so the plan's envelope for a year moves with that path's GDP of the year
    before against the plan's (budget spending the same share of GDP); the first year keeps the plan's."""
    plan_gdp = path["gdp_vnd_bn"].to_numpy()
    out = np.tile(path["envelope_vnd_bn"].to_numpy(), (len(gdp_vnd), 1))
    out[:, 1:] *= gdp_vnd[:, :-1] / plan_gdp[:-1]
    return out


def budget_share_range(
    path: pd.DataFrame, gdp_vnd: np.ndarray, envelope: np.ndarray, budget_pct: float, low_pct: float, high_pct: float
) -> dict[str, float]:
    """The target year's non-budget share at which the state's part fits, by arithmetic (planned R&D) and in half
    of the outcomes (its GDP ``gdp_vnd`` and ``envelope``, one per outcome), with budget spending at ``low_pct`` and
    ``high_pct`` % of GDP instead of the plan's ``budget_pct``, which the simulation holds fixed: the envelope scales
    with it. The suffix names the budget reading: ``_at_budget_high`` is at ``high_pct`` (the smaller share)."""
    env_plan, gerd_plan, share = (float(path[c].iloc[-1]) for c in ("envelope_vnd_bn", "gerd_vnd_bn", "share_pct"))
    out: dict[str, float] = {"budget_exp_pct_gdp_low": low_pct, "budget_exp_pct_gdp_high": high_pct}
    for end, b in (("at_budget_high", high_pct), ("at_budget_low", low_pct)):
        k = b / budget_pct
        needed = budget_arithmetic(env_plan * k, gerd_plan)["nonbudget_share_needed_arithmetic_pct"]
        out[f"nonbudget_share_needed_arithmetic_pct_{end}"] = needed
        out[f"nonstate_share_needed_p50_pct_{end}"] = nonstate_share_needed_pct(share, gdp_vnd, envelope * k, 50)
    return out


# ----------------------------------------------------------------------------- the report's facts

# the units (the API's) of the report's figures and frames that neither its key figures nor their names' endings
# give, by unit (the peers' and the decomposition's: peers.TABLE_UNITS, decomposition.FRAME_UNITS)
COLUMNS_BY_UNIT = {
    "year": "gdp_band_backtest_first_origin gdp_band_backtest_last_origin",
    "true/false": "state_part_fits_envelope_arithmetic",
    "% of GDP": (
        "start_pct end_pct max_observed_start_pct structural_share_now_pct "
        "structural_share_target_with_vn_residual_pct fastest_from_level_share_pct peak_pct later_pct wdi_pct "
        "other_pct gerd_pct_gdp"
    ),
    "% of GERD": "nonstate_share_scenario_pct nonbudget_share_needed_arithmetic_pct",
    "cases": "gdp_band_backtest_cases",
    "%": "prob_state_gerd_exceeds_envelope_pct prob_state_gerd_exceeds_envelope_any_year_pct prob_exceeds_pct",
    "% of backtest outcomes": "gdp_band_backtest_coverage_pct",
    "windows": (
        "windows windows_total windows_reaching low_start_windows low_start_windows_total low_start_windows_reaching "
        "windows_with_coverage_jump"
    ),
    "economies": (
        "economies countries_total economies_total economies_reaching low_start_economies "
        "economies_reaching_without_coverage_jumps economies_crossing_level_with_window"
    ),
    "% of windows": (
        "share_of_windows_reaching_pct share_of_low_start_windows_reaching_pct share_of_windows_reaching_cagr_pct"
    ),
    "percentile of the rises observed": "required_increase_percentile",
    "coverage jumps": "coverage_jumps_flagged",
    "current USD per person": "vietnam_gdp_per_capita_usd_latest vietnam_gdp_per_capita_usd_target gdp_pc_usd",
    "log points": "vietnam_residual_log",
    "ratio": "vietnam_share_vs_structural_ratio",
    "% of the planned R&D": "envelope_share_of_planned_rd_pct",
    "factor": "gdp_band_scale",
    "percentage points": "gdp_band_widened_sd_pct",
    "% (cumulative real GDP growth)": "gdp_band_now_pct",
    "% a year": "real_gdp_growth_avg_pct deflator_avg_pct population_growth_avg_pct",
    "% of R&D growth": "intensity_share_of_gerd_growth_pct",
    "researchers per 10,000 people": "researchers_per_10k_base researchers_per_10k_target_year",
    "researchers (FTE)": "researchers_base researchers_target_year",
    "million current VND": "spending_per_researcher_base_mn_vnd spending_per_researcher_target_mn_vnd",
    "times": "real_spending_per_researcher_multiple",
}


@dataclass
class Feasibility:
    """The feasibility report's facts (numbers and codes; the report words them); tables are pandas objects."""

    inputs: RdInputs  # the rd_paths scenario's numeric inputs
    path: pd.DataFrame  # notebook 01's deterministic path (the plan)
    params: dict[str, Any]
    windows: pd.DataFrame
    analogues: pd.DataFrame
    fallbacks: pd.DataFrame
    vintage_gaps: pd.DataFrame
    structural_fit: structural.StructuralFit
    structural_alt_fit: structural.StructuralFit
    growth_model: growth_sim.GrowthModel
    years: list[int]
    sim_gdp_vnd: np.ndarray
    sim_gerd_vnd: np.ndarray
    exceed_curve: pd.DataFrame  # P(state part > envelope) in the target year by non-budget share
    window_counts: pd.DataFrame = field(default_factory=pd.DataFrame)
    reached_at_income: pd.DataFrame = field(default_factory=pd.DataFrame)
    decomposition: pd.DataFrame = field(default_factory=pd.DataFrame)
    researchers: pd.DataFrame = field(default_factory=pd.DataFrame)  # year, value (per million), status
    spending_per_researcher: pd.DataFrame = field(default_factory=pd.DataFrame)
    peer_paths: pd.DataFrame = field(default_factory=pd.DataFrame)
    peer_table: pd.DataFrame = field(default_factory=pd.DataFrame)
    peer_income_paths: pd.DataFrame = field(default_factory=pd.DataFrame)  # aligned at Viet Nam's income
    fastest_from_level: pd.DataFrame = field(default_factory=pd.DataFrame)
    band_cases: pd.DataFrame = field(default_factory=pd.DataFrame)  # growth_sim.backtest_bands
    summary: dict[str, Any] = field(default_factory=dict)


def _gdp_per_capita(gdp: pd.DataFrame, year: int) -> float:
    rows = gdp[(gdp["year"] == year) & (gdp["source"] == f"{WDI_SOURCE} NY.GDP.PCAP.CD")]  # the WDI series' rows
    if rows.empty:
        raise ParameterError("base_year", f"no World Bank GDP per capita for {year}", "a year the WDI covers")
    return float(rows["value"].iloc[0])


def headline_figures(core: dict, path: pd.DataFrame, envelope: np.ndarray, qs: tuple[float, float, float]) -> dict:
    """The simulation's headline figures: the target year's GDP and R&D needed at the quantiles ``qs`` (named
    p10, p50, p90 whatever the interval), the chance that the state's part exceeds the ``envelope`` (target year and
    any year) and the non-budget shares at which it fits in half and in the upper quantile of the outcomes."""
    shares, gdp = path["share_pct"].to_numpy(), core["gdp_vnd_bn"]
    state_vnd = gdp * shares / 100.0 * (1 - path["nonstate_share_pct"].to_numpy() / 100.0)
    out = {
        f"{name}_{q}": float(v)
        for name, values in (
            ("gdp_target_vnd_bn", gdp[:, -1]),
            ("gerd_target_vnd_bn", gdp[:, -1] * shares[-1] / 100.0),
            ("gerd_target_usd_bn", core["gdp_usd_bn"][:, -1] * shares[-1] / 100.0),
        )
        for q, v in zip(("p10", "p50", "p90"), np.percentile(values, qs), strict=True)
    }
    return out | {
        "prob_state_gerd_exceeds_envelope_pct": float((state_vnd[:, -1] > envelope[:, -1]).mean() * 100),
        "prob_state_gerd_exceeds_envelope_any_year_pct": float((state_vnd > envelope).any(axis=1).mean() * 100),
        **{
            f"nonstate_share_needed_{name}_pct": nonstate_share_needed_pct(shares[-1], gdp[:, -1], envelope[:, -1], q)
            for name, q in (("p50", 50), ("p90", qs[2]))
        },
    }


def analogue_windows(
    window_years: int, required_pp: float, start_below_pct: float
) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, object]]:
    """The WDI GERD panel (:func:`country_panel`), its windows of ``window_years`` (:func:`window_rises_tolerant`)
    and their counts by economy for a rise of ``required_pp`` points from below ``start_below_pct``
    (:func:`placement_by_economy`): the analogues :func:`assess` and rd_paths' key findings both cite."""
    panel = country_panel(datasets.load("wdi_gerd_pct_gdp"))
    windows = window_rises_tolerant(panel, window_years)
    return panel, windows, placement_by_economy(windows, required_pp, start_below_pct)


def assess(params: dict[str, Any], rd: Any, data: Any, path: pd.DataFrame, budget_range: dict[str, Any]) -> Feasibility:
    """The feasibility report's facts from its validated ``params``, ``rd`` (the rd_paths scenario they resolve to,
    :class:`analysis.reports.rd_paths.RdResolved`: its ``inputs``, ``params`` and ``start``), ``data``
    (the snapshots it read, :class:`analysis.reports.rd_paths.RdData`: ``gdp``, ``gdp_table`` and ``gerd``),
    ``path`` (the required R&D path, :func:`~analysis.models.rd_model.rd_path` of ``rd.inputs``) and
    ``budget_range`` (budget spending's range, % of GDP: ``low``, ``high``, the ``years`` and ``next_year`` it
    comes from; :func:`analysis.reports.rd_paths.budget_range` on that path).
    The summary holds every results.json figure but ``peers_not_aligned``, which is words."""
    p = dict(params)
    inp = rd.inputs
    p.update({k: rd.params[k] for k in ("base_share_pct", "budget_exp_pct_gdp")})
    n_years = inp.target_year - inp.base_year
    window = p["window_years"] or n_years
    p["window_years"] = window
    required_pp = inp.target_share_pct - inp.base_share_pct
    required_cagr = float(cagr_pct(inp.base_share_pct, inp.target_share_pct, n_years))

    # Historical analogues
    gerd_panel, windows, by_econ = analogue_windows(window, required_pp, p["start_share_below_pct"])
    jumps = coverage_jumps(gerd_panel, p["jump_flag_pct_per_year"])
    windows["coverage_jump"] = flag_windows(windows, jumps)
    placement = place_required_rise(windows, required_pp, required_cagr, p["start_share_below_pct"])
    counts = window_count_table(windows, required_pp, p["start_share_below_pct"])
    by_econ_clean = placement_by_economy(windows, required_pp, p["start_share_below_pct"], exclude_flagged=True)
    analogues = closest_analogues(windows, inp.base_share_pct)
    falls = fallbacks(gerd_panel, 0.3)
    gaps = vintage_gaps(gerd_panel, datasets.load("gerd_pct_gdp_vintages"), 0.1)

    # Structural benchmark
    pc_panel = country_panel(datasets.load("wdi_gdp_per_capita_usd"), "gdp_per_capita_usd")
    panel = structural.build_panel(gerd_panel, pc_panel)
    lin, quad = structural.fit(panel, False), structural.fit(panel, True)
    sfit, alt = structural.choose(lin, quad, p["structural_spec"])
    latest_obs = int(sfit.data.loc[sfit.data["entity"] == "VNM", "year"].max())
    gdppc_base = _gdp_per_capita(data.gdp, latest_obs)
    # GDP per person in the target year: GDP in USD grows as in the plan, population at the assumed rate.
    usd_growth = path["gdp_usd_bn"].iloc[-1] / data.gdp_table.loc[latest_obs, "gdp_usd_bn"]
    years_from_obs = inp.target_year - latest_obs
    gdppc_target = gdppc_base * usd_growth / (1 + p["population_growth_pct"] / 100.0) ** years_from_obs
    now = structural.predict_share(sfit, gdppc_base, latest_obs, p["interval_pct"])
    target = structural.predict_share(sfit, gdppc_target, inp.target_year, p["interval_pct"])
    resid = structural.residual(sfit, "VNM", latest_obs)
    reached = reached_share_at_income(panel, inp.target_share_pct, gdppc_target)

    # Peers, and where the required growth must come from
    fastest, peer_paths, peer_table, peer_income_paths = peers.peer_table(
        gerd_panel,
        pc_panel,
        inp.base_share_pct,
        window,
        gdppc_base,
        peers.peer_codes(p["peer_economies"]),
        p["n_fast_climbers"],
        p["peer_level_tolerance_pct"] / 100.0,
    )
    pop_obs = valued(data.gdp, "population")
    pop_obs = pop_obs.set_index(pop_obs["year"].astype(int))["value"].sort_index()
    res_obs = country_panel(datasets.load("wdi_researchers_per_million"), "researchers_per_million")
    defl_index = (1 + observed.gdp_drivers(data.gdp_table)["deflator_pct"].fillna(0.0) / 100).cumprod()
    share_hist = observed.gerd_share_series(data.gerd, "uis")
    dec = decomposition.researchers_and_spending(
        path,
        res_obs[res_obs["entity"] == "VNM"].set_index("year")["value"],
        pop_obs,
        (share_hist / 100 * data.gdp_table["gdp_vnd_bn"]).dropna(),
        defl_index,
        population_growth_pct=p["population_growth_pct"],
        target_per_million=p["researchers_target_per_10k"] * 100,
        target_by=p["researchers_target_year"],
        trend_years=p["researchers_trend_years"],
    )
    decomp, dens = dec["decomposition"], dec["researchers"]
    d_at = dens.set_index("year")["value"]
    b, t = path.iloc[0], path.iloc[-1]

    # GDP uncertainty
    growth_hist = data.gdp_table["real_growth_pct"].loc[p["growth_sample_start"] :]
    model = growth_sim.fit_growth_model(growth_hist, p["growth_max_ar_order"])
    last_hist = int(growth_hist.dropna().index.max())
    expected_last = inp.observed_years[-1] if inp.observed_years else inp.base_year
    if last_hist != expected_last:
        raise ParameterError(
            "base_year",
            f"the growth model's history ends in {last_hist} but the path's official years end in {expected_last}",
            "a base year whose official GDP years reach the end of the growth history",
        )
    horizon = len(inp.years) - 1 - len(inp.observed_years)  # the simulated years
    band_cases = growth_sim.backtest_bands(
        growth_hist, horizon, p["interval_pct"], p["growth_max_ar_order"], seed=p["seed"]
    )
    # the main figures use the model as fitted; the same draws with the shocks widened by the factor that would
    # have made the past bands hold their share are a sensitivity (the *_widened keys)
    scale = growth_sim.band_scale(growth_sim.band_stretch(band_cases), p["interval_pct"])
    prices = (p["deflator_sd_pp"], p["depreciation_sd_pp"], p["price_shock_persistence"])
    sims = {
        k: growth_sim.simulate_gdp(inp, model, p["n_simulations"], p["seed"], factor, *prices)
        for k, factor in (("", 1.0), ("_widened", scale))
    }
    growth, core = sims[""]
    _, core_real_only = growth_sim.simulate_gdp(inp, model, p["n_simulations"], p["seed"])
    shares = path["share_pct"].to_numpy()
    envelopes = {k: envelope_draws(path, c["gdp_vnd_bn"]) for k, (_, c) in sims.items()}
    gdp_target, envelope = core["gdp_vnd_bn"][:, -1], envelopes[""][:, -1]  # the target year's, one per outcome
    lo_q, hi_q = growth_sim.band_bounds(p["interval_pct"])
    qs = (lo_q, 50.0, hi_q)
    headline = {k: headline_figures(c, path, envelopes[k], qs) for k, (_, c) in sims.items()}
    cum = (np.prod(1 + growth[:, 1 + len(inp.observed_years) :] / 100, axis=1) - 1) * 100
    band_now = np.percentile(cum, qs)
    f = Feasibility(
        inputs=inp,
        path=path,
        params=p,
        windows=windows,
        analogues=analogues,
        fallbacks=falls,
        vintage_gaps=gaps,
        structural_fit=sfit,
        structural_alt_fit=alt,
        growth_model=model,
        years=[int(y) for y in inp.years],
        sim_gdp_vnd=core["gdp_vnd_bn"],
        sim_gerd_vnd=core["gdp_vnd_bn"] * shares / 100.0,
        exceed_curve=exceed_curve(shares[-1], gdp_target, envelope, np.arange(0.0, 100.01, 0.5)),
        window_counts=counts,
        reached_at_income=reached,
        decomposition=decomp,
        researchers=dens,
        spending_per_researcher=dec["spending_per_researcher"],
        peer_paths=peer_paths,
        peer_table=peer_table,
        peer_income_paths=peer_income_paths,
        fastest_from_level=fastest,
        band_cases=band_cases,
    )
    gt_real_only = np.percentile(core_real_only["gdp_vnd_bn"][:, -1] * shares[-1] / 100.0, qs)
    aligned = peer_table["crossing_year"].notna()
    parts = decomp.set_index(["decomposition", "component"])
    comp = parts["pct_per_year"]
    xi, rs = "gdp_x_intensity", "researchers_x_spending"  # decomposition.decompose
    arithmetic = budget_arithmetic(float(t["envelope_vnd_bn"]), float(t["gerd_vnd_bn"]))
    f.summary = {
        # the start every R&D report quotes (rd_paths.resolve: nowcast.resolve_start)
        "base_year": inp.base_year,
        "share_base_pct": inp.base_share_pct,
        "start_status": rd.start.status if rd.start is not None else "user",
        "share_base_low_pct": rd.start.low_pct if rd.start is not None else inp.base_share_pct,
        "share_base_high_pct": rd.start.high_pct if rd.start is not None else inp.base_share_pct,
        # growth years the model is fitted on that only GSO has (observed.gdp_table: WDI first, then GSO's estimates)
        "growth_preliminary": [
            {"year": int(y), "growth_pct": float(growth_hist[y])}
            for y in growth_hist.dropna().index
            if data.gdp_table.loc[y, "real_growth_pct_source"] == "GSO"
        ],
        "required_increase_pp": required_pp,
        "required_share_cagr_pct": required_cagr,
        "window_years": window,
        **placement,
        "structural_spec": "log_quadratic" if "lgdp2" in sfit.spec else "log_linear",
        "structural_spec_rule": p["structural_spec"],
        "structural_elasticity": sfit.elasticity(gdppc_base),  # at Viet Nam's income
        "structural_reference_year": sfit.reference_year,
        "vietnam_latest_gerd_year": latest_obs,
        "vietnam_gdp_per_capita_usd_latest": gdppc_base,
        "vietnam_gdp_per_capita_usd_target": float(gdppc_target),
        "structural_share_now_pct": float(now["share_pct"].iloc[0]),
        "vietnam_residual_log": resid,
        "vietnam_share_vs_structural_ratio": float(np.exp(resid)) if resid is not None else None,
        "structural_share_target_pct": float(target["share_pct"].iloc[0]),
        "structural_share_target_lo_pct": float(target["pred_lo_pct"].iloc[0]),
        "structural_share_target_hi_pct": float(target["pred_hi_pct"].iloc[0]),
        "structural_share_target_mean_lo_pct": float(target["mean_lo_pct"].iloc[0]),
        "structural_share_target_mean_hi_pct": float(target["mean_hi_pct"].iloc[0]),
        "structural_share_target_with_vn_residual_pct": float(target["share_pct"].iloc[0] * np.exp(resid or 0.0)),
        "interval_pct": p["interval_pct"],
        # the envelope against the plan's R&D, by arithmetic: what the probabilities below move only a little
        "nonstate_share_scenario_pct": inp.nonstate_share_target_pct,
        **arithmetic,
        # whether the state's part at the scenario's share fits, by that arithmetic (the page and the findings say it)
        "state_part_fits_envelope_arithmetic": bool(
            inp.nonstate_share_target_pct >= arithmetic["nonbudget_share_needed_arithmetic_pct"]
        ),
        # budget spending's share of GDP, held at the scenario's in the simulation, over its range (sensitivity.cases)
        **budget_share_range(
            path, gdp_target, envelope, inp.budget_exp_pct_gdp, budget_range["low"], budget_range["high"]
        ),
        "budget_exp_pct_gdp_years": budget_range["years"],
        "budget_exp_pct_gdp_next_year": budget_range["next_year"],
        "growth_model": model.summary_row(),
        # the band's record: the same model refitted at each past origin, its band for the simulated years'
        # cumulative growth against what happened (growth_sim.backtest_bands); shown beside every probability
        **{f"gdp_band_backtest_{k}": v for k, v in growth_sim.band_record(band_cases, p["interval_pct"]).items()},
        "gdp_band_backtest_horizon_years": horizon,
        # the factor that would have made the past bands hold interval_pct (growth_sim.band_scale): a judgement on
        # one episode, used only for the sensitivity figures *_widened; the main figures use the fitted model
        "gdp_band_scale": scale,
        "gdp_band_scale_origins": [int(o) for o in band_cases["origin"]],
        "gdp_band_scale_horizon_years": horizon,
        "gdp_band_widened_sd_pct": model.sigma_pct * scale,
        # the fitted model's own band for the simulated years' cumulative real growth, to set beside the past bands
        **{f"gdp_band_now_{q}_pct": float(v) for q, v in zip(("low", "median", "high"), band_now, strict=True)},
        "n_simulations": p["n_simulations"],
        "seed": p["seed"],
        **headline[""],
        **{f"{k}_widened": v for k, v in headline["_widened"].items()},
        "gerd_target_vnd_bn_real_growth_only_p10": float(gt_real_only[0]),
        "gerd_target_vnd_bn_real_growth_only_p90": float(gt_real_only[2]),
        "deflator_sd_pp": p["deflator_sd_pp"],
        "depreciation_sd_pp": p["depreciation_sd_pp"],
        "windows_by_kind": {r["end points"]: int(r["windows"]) for r in counts.to_dict(orient="records")},
        "economies_total": by_econ["economies"],
        "economies_reaching": by_econ["economies_reaching"],
        "low_start_economies": by_econ["low_start_economies"],
        "low_start_economies_reaching": by_econ["low_start_economies_reaching"],
        "economies_reaching_without_coverage_jumps": by_econ_clean["economies_reaching"],
        "economies_reaching_names_without_coverage_jumps": by_econ_clean["economies_reaching_names"],
        "windows_with_coverage_jump": int(windows["coverage_jump"].sum()),
        "coverage_jumps_flagged": len(jumps),
        "vietnam_coverage_jumps": [f"{r.from_year}-{r.to_year}" for r in jumps[jumps["entity"] == "VNM"].itertuples()],
        "economies_reaching_target_at_projected_income": reached.loc[
            reached["at_or_below_income"], "entity_name"
        ].tolist(),
        "lowest_income_reaching_target": (
            {
                "economy": str(reached["entity_name"].iloc[0]),
                "year": int(reached["year"].iloc[0]),
                "gdp_pc_usd": float(reached["gdp_pc_usd"].iloc[0]),
                "share_pct": float(reached["gerd_pct_gdp"].iloc[0]),
            }
            if len(reached)
            else None
        ),
        "decomposition_years": n_years,
        "gerd_nominal_growth_pct": float(comp[(xi, decomposition.TOTAL)]),
        "real_gdp_growth_avg_pct": float(comp[(xi, "real_gdp")]),
        "deflator_avg_pct": float(comp[(xi, "gdp_prices")]),
        "intensity_growth_pct": float(comp[(xi, "intensity")]),
        "population_growth_avg_pct": float(comp[(rs, "population")]),
        "researcher_density_growth_pct": float(comp[(rs, "researcher_density")]),
        "real_spending_per_researcher_growth_pct": float(comp[(rs, "real_spending_per_researcher")]),
        "intensity_share_of_gerd_growth_pct": float(parts.loc[(xi, "intensity"), "share_of_total_pct"]),
        "researchers_basis": "full-time equivalent (UIS); the Resolution's 12 per 10,000 does not state its basis",
        "researchers_per_10k_base": float(d_at[inp.base_year] / 100),
        "researchers_per_10k_base_status": str(dens.set_index("year").loc[inp.base_year, "status"]),
        "researchers_per_10k_target_year": float(d_at[inp.target_year] / 100),
        "researchers_base": dec["researchers_base"],
        "researchers_target_year": dec["researchers_target"],
        "spending_per_researcher_base_mn_vnd": dec["spr_base"],
        "spending_per_researcher_target_mn_vnd": dec["spr_target"],
        "real_spending_per_researcher_multiple": float(
            dec["spr_target"] / dec["spr_base"] / (t["price_index"] / b["price_index"])
        ),
        "researcher_history": dec["history"],
        "economies_crossing_level_with_window": int(len(fastest)),
        "fastest_from_level_economy": str(fastest["entity_name"].iloc[0]) if len(fastest) else None,
        "fastest_from_level_share_pct": float(fastest["share_after_pct"].iloc[0]) if len(fastest) else None,
        "peers_aligned": peer_table.loc[aligned, "entity_name"].tolist(),
    }
    return f
