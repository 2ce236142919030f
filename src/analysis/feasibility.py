"""Historical analogues: how fast has any country raised R&D spending as a share of GDP?

Windows are pairs of *observed* end points exactly ``window_years`` apart for the same
country; nothing is interpolated or extrapolated. Gaps inside a window do not matter,
because only the two end points are compared; a country whose survey skips one of the
two end years simply contributes no window starting (or ending) there.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .errors import ParameterError
from .wdi import aggregate_codes


def country_panel(wdi: pd.DataFrame, indicator: str = "gerd_pct_gdp") -> pd.DataFrame:
    """Economies only (WDI aggregates dropped): entity, entity_name, year, value."""
    rows = wdi[(wdi["indicator"] == indicator) & ~wdi["entity"].isin(aggregate_codes()) & wdi["value"].notna()]
    out = rows[["entity", "entity_name", "year", "value"]].copy()
    out["year"] = out["year"].astype(int)
    return out.sort_values(["entity", "year"]).reset_index(drop=True)


def window_rises(panel: pd.DataFrame, window_years: int) -> pd.DataFrame:
    """Every (country, start year) with both end points observed ``window_years`` apart.

    Columns: entity, entity_name, start_year, end_year, start_pct, end_pct, rise_pp,
    share_cagr_pct (compound annual growth of the share, %).
    """
    if window_years < 1:
        raise ParameterError("window_years", f"{window_years} is too short", "1 or more years")
    start = panel.rename(columns={"year": "start_year", "value": "start_pct"})
    end = panel[["entity", "year", "value"]].rename(columns={"year": "end_year", "value": "end_pct"})
    start = start.assign(end_year=start["start_year"] + window_years)
    w = start.merge(end, on=["entity", "end_year"], how="inner")
    w["rise_pp"] = w["end_pct"] - w["start_pct"]
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(w["start_pct"] > 0, w["end_pct"] / w["start_pct"], np.nan)
        w["share_cagr_pct"] = (np.power(ratio, 1.0 / window_years) - 1.0) * 100.0
    cols = ["entity", "entity_name", "start_year", "end_year", "start_pct", "end_pct", "rise_pp", "share_cagr_pct"]
    return w[cols].sort_values(["entity", "start_year"]).reset_index(drop=True)


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
        "share_of_low_start_windows_reaching_pct": float((reach & low).sum() / low.sum() * 100) if low.any() else float("nan"),
        "share_of_windows_reaching_cagr_pct": float((windows["share_cagr_pct"] >= required_cagr_pct).mean() * 100),
        "required_increase_percentile": float((windows["rise_pp"] < required_pp).mean() * 100),
        "max_observed_increase_pp": float(best["rise_pp"]),
        "max_observed_country": str(best["entity_name"]),
        "max_observed_period": f"{int(best['start_year'])}-{int(best['end_year'])}",
        "max_observed_start_pct": float(best["start_pct"]),
        "max_low_start_increase_pp": float(windows.loc[low, "rise_pp"].max()) if low.any() else float("nan"),
    }


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
            rows.append({"entity": entity, "entity_name": g["entity_name"].iloc[0], "peak_year": int(years[j]),
                         "peak_pct": float(v[j]), "later_year": int(years[i]), "later_pct": float(v[i]),
                         "drop_pp": float(drops[i])})
    cols = ["entity", "entity_name", "peak_year", "peak_pct", "later_year", "later_pct", "drop_pp"]
    return pd.DataFrame(rows, columns=cols).sort_values("drop_pp", ascending=False).reset_index(drop=True)


def vintage_gaps(panel: pd.DataFrame, vintages: pd.DataFrame, min_gap_pp: float = 0.1) -> pd.DataFrame:
    """Where another release's value differs from the panel's for the same country and year."""
    other = vintages[(vintages["indicator"] == "gerd_pct_gdp") & vintages["value"].notna() & vintages["year"].notna()]
    other = other[["entity", "year", "value", "source"]].rename(columns={"value": "other_pct", "source": "other_source"})
    other["year"] = other["year"].astype(int)
    m = panel.merge(other, on=["entity", "year"], how="inner").rename(columns={"value": "wdi_pct"})
    m["gap_pp"] = m["other_pct"] - m["wdi_pct"]
    m = m[m["gap_pp"].abs() >= min_gap_pp]
    cols = ["entity", "entity_name", "year", "wdi_pct", "other_pct", "gap_pp", "other_source"]
    return m[cols].sort_values(["entity", "year"]).reset_index(drop=True)
