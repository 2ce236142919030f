"""Historical analogues: how fast has any economy raised R&D spending as a share of GDP?

Every window starts at an observed value; :func:`window_rises_tolerant` (what the report uses) lets the end
point lie within one year of ``window_years`` later, so economies that survey every other year count.
:func:`coverage_jumps` flags steps that look like survey-coverage changes, and :func:`placement_by_economy`
counts distinct economies beside windows, because one economy's overlapping windows are not independent.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.data.wdi import aggregate_codes
from analysis.errors import ParameterError


def country_panel(wdi: pd.DataFrame, indicator: str = "gerd_pct_gdp") -> pd.DataFrame:
    """Economies only (WDI aggregates dropped): entity, entity_name, year, value."""
    rows = wdi[(wdi["indicator"] == indicator) & ~wdi["entity"].isin(aggregate_codes()) & wdi["value"].notna()]
    out = rows[["entity", "entity_name", "year", "value"]].copy()
    out["year"] = out["year"].astype(int)
    return out.sort_values(["entity", "year"]).reset_index(drop=True)


def window_rises(panel: pd.DataFrame, window_years: int) -> pd.DataFrame:
    """Every (country, start year) with both end points observed ``window_years`` apart: the ``exact``
    windows of :func:`window_rises_tolerant`, nothing interpolated. Columns: entity, entity_name, start_year,
    end_year, start_pct, end_pct, rise_pp, share_cagr_pct (compound annual growth of the share, %)."""
    w = window_rises_tolerant(panel, window_years)
    cols = ["entity", "entity_name", "start_year", "end_year", "start_pct", "end_pct", "rise_pp", "share_cagr_pct"]
    return w.loc[w["end_kind"] == "exact", cols].reset_index(drop=True)


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
        "max_observed_period": f"{int(best['start_year'])}-{int(best['end_year'])}",
        "max_observed_start_pct": float(best["start_pct"]),
        "max_low_start_increase_pp": float(windows.loc[low, "rise_pp"].max()) if low.any() else float("nan"),
        **_largest_low_start(windows, low),
    }


def _largest_low_start(windows: pd.DataFrame, low: pd.Series) -> dict[str, object]:
    """The largest rise from a low start, named (economy, window, flagged or not), and the largest without the
    windows flagged for a coverage jump (the "clean" figure), when ``windows`` has a ``coverage_jump`` column."""
    nan = float("nan")
    out: dict[str, object] = {
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
    top = w.loc[w["rise_pp"].idxmax()]
    flagged = bool(top["coverage_jump"]) if "coverage_jump" in w.columns else False
    out.update(
        max_low_start_country=str(top["entity_name"]),
        max_low_start_period=f"{int(top['start_year'])}-{int(top['end_year'])}",
        max_low_start_flagged=flagged,
    )
    clean = w[~w["coverage_jump"].astype(bool)] if "coverage_jump" in w.columns else w
    if len(clean):
        c = clean.loc[clean["rise_pp"].idxmax()]
        out.update(
            max_low_start_clean_increase_pp=float(c["rise_pp"]),
            max_low_start_clean_country=str(c["entity_name"]),
            max_low_start_clean_period=f"{int(c['start_year'])}-{int(c['end_year'])}",
        )
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
    other = vintages[(vintages["indicator"] == "gerd_pct_gdp") & vintages["value"].notna() & vintages["year"].notna()]
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


def window_rises_tolerant(panel: pd.DataFrame, window_years: int) -> pd.DataFrame:
    """Every (economy, observed start year) with an end point within one year of ``window_years`` later.

    Economies that survey every other year (Viet Nam among them) have no observation exactly
    ``window_years`` after a start when the window is odd; this search still counts them:

    - ``exact``: an observation at start + window_years (what :func:`window_rises` finds);
    - ``interpolated``: none there, but observations one year before and one year after: the
      end value is their average (linear interpolation at the midpoint), an estimate;
    - ``nearest``: only one of the two neighbours is observed: it is the end point and the
      window is one year shorter or longer (``span_years``); the rise is over that span.

    The start point is always observed. Columns: those of :func:`window_rises` plus
    ``span_years`` and ``end_kind``; ``share_cagr_pct`` uses ``span_years``.
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
    state_share_of_gerd: np.ndarray | float, share_pct: float, gdp_vnd: np.ndarray, envelope_vnd: float
) -> np.ndarray | float:
    """Share (%) of simulated GDP outcomes ``gdp_vnd`` in which state-funded R&D, ``state_share_of_gerd``
    (a fraction, or an array of them) of GERD at ``share_pct`` % of GDP, exceeds a fixed envelope."""
    state = np.multiply.outer(np.atleast_1d(state_share_of_gerd), gdp_vnd * share_pct / 100.0)
    out = (state > envelope_vnd).mean(axis=-1) * 100.0
    return float(out[0]) if np.ndim(state_share_of_gerd) == 0 else out


def nonstate_share_needed_pct(share_pct: float, gdp_vnd: np.ndarray, envelope_vnd: float, fit_prob_pct: float) -> float:
    """Smallest non-budget share (% of GERD) at which the state's part fits the envelope in
    ``fit_prob_pct`` % of simulated GDP outcomes: state = (1 - ns) s GDP <= E  <=>  ns >= 1 - E / (s GDP)."""
    need = 1.0 - envelope_vnd / (gdp_vnd * share_pct / 100.0)
    return float(np.clip(np.percentile(need, fit_prob_pct), 0.0, 1.0) * 100.0)


def exceed_curve(
    share_pct: float, gdp_vnd: np.ndarray, envelope_vnd: float, nonstate_pcts: np.ndarray | None = None
) -> pd.DataFrame:
    """Probability (%) that the state's part exceeds the envelope, for each non-budget share (% of GERD;
    default 0 to 100 in steps of 2.5): columns ``nonstate_share_target_pct``, ``prob_exceeds_pct``."""
    ns = np.arange(0.0, 100.5, 2.5) if nonstate_pcts is None else np.asarray(nonstate_pcts, dtype=float)
    probs = prob_exceeds(1 - ns / 100.0, share_pct, gdp_vnd, envelope_vnd)
    return pd.DataFrame({"nonstate_share_target_pct": ns, "prob_exceeds_pct": probs})


def budget_arithmetic(envelope: float, planned_gerd: float, nonstate_pct: float) -> dict[str, float | None]:
    """The budget check without simulation, in the target year.

    Returns the share of the planned R&D that the envelope covers, hence the non-budget share needed, and how far
    GDP must fall below plan (%) for the state's part at ``nonstate_pct`` to fit: the envelope is fixed on the
    planned GDP while the R&D needed moves with GDP. Negative: it fits with GDP that far above plan; None when the
    state pays nothing.
    """
    cover = envelope / planned_gerd * 100.0
    state = 100.0 - nonstate_pct
    return {
        "envelope_share_of_planned_rd_pct": cover,
        "nonbudget_share_needed_arithmetic_pct": 100.0 - cover,
        "gdp_shortfall_for_state_part_to_fit_pct": 100.0 - cover / state * 100.0 if state > 0 else None,
    }
