"""Observed Vietnamese series assembled from the tidy datasets, year-indexed; each precedence rule stated once, here."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.data.schema import valued
from analysis.errors import DataError

# each GERD series: its indicator, and how the source of its rows begins
GERD_SERIES = {
    # UNESCO UIS via World Bank WDI (GB.XPD.RSDV.GD.ZS, release 2026-07-13), on GSO's revised GDP
    "uis": ("gerd_pct_gdp", "World Bank WDI GB.XPD.RSDV.GD.ZS (UNESCO"),
    # Ministry of Science and Technology national R&D survey, on pre-revision GDP
    "ministry": ("gerd_pct_gdp_ministry", "Viet Nam Ministry of Science and Technology"),
}


def gerd_share_series(gerd: pd.DataFrame, series: str = "uis") -> pd.Series:
    """GERD as % of GDP by year for ``series`` 'uis' (WDI/UIS 2026) or 'ministry' (MOST survey)."""
    if series not in GERD_SERIES:
        raise DataError(f"unknown GERD series {series!r}; choose one of {sorted(GERD_SERIES)}")
    indicator, source_prefix = GERD_SERIES[series]
    rows = valued(gerd, indicator, qualifier="")
    rows = rows[rows["source"].str.startswith(source_prefix)]
    if rows["year"].duplicated().any():
        raise DataError(f"gerd_pct_gdp: more than one value per year for {indicator} from {source_prefix!r}")
    return rows.set_index(rows["year"].astype(int))["value"].sort_index().rename("gerd_pct_gdp")


def gerd_vnd_series(gerd: pd.DataFrame) -> pd.DataFrame:
    """GERD in billion VND by year: ministry totals where published, derived (UIS % x WDI GDP) elsewhere."""
    rows = gerd[gerd["indicator"] == "gerd_vnd_bn"]
    wide = rows.pivot_table(index="year", columns="value_type", values="value", aggfunc="first")
    wide = wide.reindex(columns=["reported", "derived"])
    out = pd.DataFrame(index=wide.index.astype(int))
    out["gerd_vnd_bn"] = wide["reported"].fillna(wide["derived"]).values
    out["value_type"] = np.where(wide["reported"].notna(), "reported", "derived")
    return out.sort_index()


def gdp_table(gdp: pd.DataFrame) -> pd.DataFrame:
    """Viet Nam GDP by year (VND bn, USD bn, real growth %) with sources: World Bank WDI where it has the year
    (the denominator of the UIS GERD ratio), then GSO's estimates; the IMF figure is not used.
    """
    out = {}
    for ind, col in (
        ("gdp_vnd_bn", "gdp_vnd_bn"),
        ("gdp_usd_bn", "gdp_usd_bn"),
        ("gdp_real_growth_pct", "real_growth_pct"),
    ):
        rows = valued(gdp, ind, qualifier="")
        wb = rows[rows["source"].str.startswith("World Bank")].set_index("year")["value"]
        gso = rows[rows["source"].str.startswith("General Statistics Office")].set_index("year")["value"]
        series = wb.combine_first(gso)
        src = pd.Series("World Bank WDI", index=wb.index).combine_first(pd.Series("GSO", index=gso.index))
        out[col] = series
        out[f"{col}_source"] = src
    table = pd.DataFrame(out)
    table.index = table.index.astype(int)
    table.index.name = "year"
    table["vnd_per_usd"] = table["gdp_vnd_bn"] / table["gdp_usd_bn"]
    return table.sort_index()


SERIES_BREAK_YEAR = 2010  # GSO rebased current-price GDP from 2010; levels before are not comparable


def gdp_drivers(gdp_tab: pd.DataFrame) -> pd.DataFrame:
    """Per-year nominal and real growth, implied deflator and VND depreciation (%); none across the 2010 break."""
    t = gdp_tab.copy()
    nominal = t["gdp_vnd_bn"].pct_change(fill_method=None) * 100
    dep = t["vnd_per_usd"].pct_change(fill_method=None) * 100
    consecutive = pd.Series(t.index, index=t.index).diff() == 1
    valid = consecutive & (t.index != SERIES_BREAK_YEAR)
    out = pd.DataFrame(index=t.index)
    out["nominal_growth_pct"] = nominal.where(valid)
    out["real_growth_pct"] = t["real_growth_pct"]
    out["deflator_pct"] = ((1 + out["nominal_growth_pct"] / 100) / (1 + out["real_growth_pct"] / 100) - 1) * 100
    out["vnd_depreciation_pct"] = dep.where(valid)
    return out


DRIVER_WINDOWS = ((2015, 2023), (2024, 2025))  # the record the GDP drivers are read over: WDI's years, then GSO's


def driver_means(gdp_tab: pd.DataFrame) -> pd.DataFrame:
    """Each :func:`gdp_drivers` column's mean over each of :data:`DRIVER_WINDOWS`: a row per ``(first, last)``."""
    drivers = gdp_drivers(gdp_tab)
    return pd.DataFrame([drivers.loc[a:b].mean() for a, b in DRIVER_WINDOWS], index=pd.Index(DRIVER_WINDOWS))


def budget_exp_pct_gdp(budget: pd.DataFrame, gdp_tab: pd.DataFrame) -> pd.DataFrame:
    """State-budget expenditure as % of GDP for years with both figures (with its qualifier and source)."""
    rows = valued(budget, "budget_exp_vnd_bn")
    b = rows.set_index(rows["year"].astype(int))[["value", "qualifier", "source"]]
    b = b.rename(columns={"value": "budget_exp_vnd_bn"})
    b["gdp_vnd_bn"] = gdp_tab["gdp_vnd_bn"].reindex(b.index)
    b["pct_gdp"] = b["budget_exp_vnd_bn"] / b["gdp_vnd_bn"] * 100
    return b.sort_index()
