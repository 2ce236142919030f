"""The R&D-to-2%-of-GDP scenario: its parameters and how they meet the data.

This module registers the ``rd_paths`` notebook's parameters and turns a validated
parameter dict plus the data snapshots into :class:`analysis.rd_model.RdInputs`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from . import datasets, observed
from .errors import ParameterError
from .params import NotebookSpec, ParamSpec, register
from .rd_model import PATH_SHAPES, RdInputs, rd_path, rd_summary, values_by_year

FIRST_BASE_YEAR = 2010  # GSO's rebased GDP starts here; earlier levels are not comparable
LAST_BASE_YEAR = 2025  # latest year with official GDP (GSO, Jan 2026)

RD_PARAMS: tuple[ParamSpec, ...] = (
    ParamSpec(
        "base_year", "int", 2023, "year",
        "Year the path starts from.",
        "2023 is the latest year with an international GERD figure (UIS via World Bank WDI, release 2026-07-13).",
        lo=FIRST_BASE_YEAR, hi=LAST_BASE_YEAR,
    ),
    ParamSpec(
        "base_share_pct", "float", None, "% of GDP",
        "GERD as % of GDP in the base year.",
        "Empty means the observed value of the chosen series in the base year (0.41456% for UIS 2023).",
        lo=0.01, hi=10.0, nullable=True, null_means="the observed value of gerd_series in base_year",
    ),
    ParamSpec(
        "gerd_series", "str", "uis", "",
        "Which GERD-to-GDP series sets the base share: 'uis' (UNESCO/World Bank, on revised GDP) or "
        "'ministry' (Ministry of Science and Technology survey, on pre-revision GDP).",
        "The UIS series is the international standard and uses the GDP the rest of the model uses.",
        choices=tuple(observed.GERD_SERIES),
    ),
    ParamSpec(
        "target_share_pct", "float", 2.0, "% of GDP",
        "GERD as % of GDP to reach in the target year.",
        "Resolution 57-NQ/TW: R&D spending of 2% of GDP by 2030.",
        lo=0.05, hi=10.0,
    ),
    ParamSpec(
        "target_year", "int", 2030, "year",
        "Year the target share is reached.",
        "Resolution 57-NQ/TW sets the 2% target for 2030.",
        lo=2011, hi=2060,
    ),
    ParamSpec(
        "path_shape", "str", "geometric", "",
        "How the share moves between base and target: " + "; ".join(f"{k}: {v}" for k, v in PATH_SHAPES.items()) + ".",
        "Constant annual growth of the share is the neutral benchmark: it gives one required growth rate.",
        choices=tuple(PATH_SHAPES),
    ),
    ParamSpec(
        "logistic_steepness", "float", 8.0, "",
        "Steepness of the logistic (S-curve) path; higher is more abrupt. Used only when path_shape='logistic'.",
        "8 puts about 90% of the rise in the middle two-thirds of the period.",
        lo=0.5, hi=30.0,
    ),
    ParamSpec(
        "back_loaded_exponent", "float", 2.0, "",
        "Exponent of the back-loaded path (2 = quadratic). Used only when path_shape='back_loaded'.",
        "2 puts three-quarters of the rise in the second half of the period.",
        lo=1.0, hi=6.0,
    ),
    ParamSpec(
        "real_gdp_growth_pct", "float_or_year_map", 6.5, "% per year",
        "Real GDP growth in the projection years: one number, or {year: value} (a year left out keeps "
        "the previous value).",
        "Assumption, not a forecast: between the 2014-2024 average of 6.2% (World Bank WDI) and the "
        "7.1% and 8.0% GSO reported for 2024 and 2025.",
        lo=-10.0, hi=20.0,
    ),
    ParamSpec(
        "gdp_deflator_pct", "float_or_year_map", 3.0, "% per year",
        "GDP deflator inflation in the projection years (number or {year: value}).",
        "Assumption: above the 2015-2023 average of 2.3% implied by WDI nominal and real GDP, below the "
        "5.2% implied by GSO's 2024 figures.",
        lo=-10.0, hi=50.0,
    ),
    ParamSpec(
        "vnd_depreciation_pct", "float_or_year_map", 2.0, "% per year",
        "Depreciation of the dong against the US dollar (positive = more VND per USD).",
        "Assumption: between the 2015-2023 average of 1.3% (implied by WDI GDP in VND and USD) and the "
        "2.5% a year of 2023-2025 (GSO).",
        lo=-20.0, hi=50.0,
    ),
    ParamSpec(
        "use_observed_gdp", "bool", True, "",
        "Use GSO's official GDP for years after the base year that already have it (2024, 2025) instead "
        "of the growth assumptions.",
        "Known outcomes beat assumptions.",
    ),
    ParamSpec(
        "nonstate_share_base_pct", "float", 25.0, "% of GERD",
        "Share of GERD funded from non-state sources in the base year.",
        "No official series exists (the UIS source-of-funds series for Viet Nam was not found). 25% is "
        "the midpoint of EY Vietnam's 2025 estimate that private sources fund 20-30% of R&D. The 2013 "
        "MOST survey implies about 42% if state-owned enterprises' own funds count as non-state.",
        lo=0.0, hi=100.0,
    ),
    ParamSpec(
        "nonstate_share_target_pct", "float", 60.0, "% of GERD",
        "Share of GERD funded from non-state sources in the target year.",
        "Resolution 57-NQ/TW: more than 60% of R&D funding from non-state sources.",
        lo=0.0, hi=100.0,
    ),
    ParamSpec(
        "budget_exp_pct_gdp", "float", None, "% of GDP",
        "Total state-budget expenditure as % of GDP, held constant over the projection.",
        "Empty means the latest data: the 2025 budget estimate (over 2,540,000 bn VND, National "
        "Assembly) over 2025 GDP (GSO), about 19.8%.",
        lo=5.0, hi=60.0, nullable=True, null_means="latest year with both budget and GDP data",
    ),
    ParamSpec(
        "science_budget_share_pct", "float", 3.0, "% of budget expenditure",
        "Share of state-budget expenditure reserved for science, technology, innovation and digital "
        "transformation (the envelope state-funded R&D must fit in).",
        "Resolution 57-NQ/TW: at least 3% of total budget expenditure.",
        lo=0.0, hi=30.0,
    ),
)


def _check_rd(p: dict[str, Any]) -> None:
    if p["target_year"] <= p["base_year"]:
        raise ParameterError(
            "target_year", f"{p['target_year']} is not after base_year {p['base_year']}",
            f"a year from {p['base_year'] + 1} to 2060",
        )
    if p["target_year"] - p["base_year"] > 40:
        raise ParameterError("target_year", "paths longer than 40 years are not modelled", f"at most {p['base_year'] + 40}")
    if p["base_share_pct"] is not None and p["base_share_pct"] > p["target_share_pct"] * 10:
        raise ParameterError("base_share_pct", "is more than ten times the target share", "a share below 10 x target_share_pct")
    for name in ("real_gdp_growth_pct", "gdp_deflator_pct", "vnd_depreciation_pct"):
        value = p[name]
        if isinstance(value, dict):
            outside = [y for y in value if not p["base_year"] < y <= p["target_year"]]
            if outside:
                raise ParameterError(
                    name, f"year {outside[0]} is outside the projection",
                    f"years from {p['base_year'] + 1} to {p['target_year']}",
                )


@dataclass(frozen=True)
class RdData:
    """The data snapshots the scenario reads, already validated."""

    gerd: pd.DataFrame
    gdp: pd.DataFrame
    budget: pd.DataFrame

    @classmethod
    def load(cls) -> RdData:
        return cls(datasets.load("vn_gerd"), datasets.load("vn_gdp"), datasets.load("vn_state_budget"))

    @cached_property
    def gdp_table(self) -> pd.DataFrame:
        """Viet Nam's GDP table (observed.gdp_table), built once per RdData."""
        return observed.gdp_table(self.gdp)


@dataclass(frozen=True)
class RdResolved:
    """A scenario ready to compute: numeric inputs, the parameters as resolved, and notes for readers."""

    inputs: RdInputs
    params: dict[str, Any]
    notes: tuple[str, ...]


def resolve(params: dict[str, Any], data: RdData | None = None) -> RdResolved:
    """Fill data-dependent defaults and check the combination against the data.

    ``params`` must come from :func:`analysis.params.validate`.
    """
    data = data or RdData.load()
    p = dict(params)
    notes: list[str] = []
    gdp_tab = data.gdp_table
    base, target = p["base_year"], p["target_year"]

    series = observed.gerd_share_series(data.gerd, p["gerd_series"])
    if p["base_share_pct"] is None:
        if base not in series.index:
            raise ParameterError(
                "base_year",
                f"the {p['gerd_series']!r} GERD series has no value for {base}; give base_share_pct or pick a year it covers",
                ", ".join(str(y) for y in series.index if FIRST_BASE_YEAR <= y <= LAST_BASE_YEAR),
            )
        p["base_share_pct"] = float(series.loc[base])
        notes.append(f"The base share, {p['base_share_pct']:.5g}%, is the observed value for {base} in the {observed.GERD_SERIES_SHORT[p['gerd_series']]} series.")
    else:
        notes.append(f"Base share {p['base_share_pct']:g}% was set by the user.")
    if p["gerd_series"] == "ministry":
        notes.append(
            "The ministry ratio uses GDP before the 2019 revision; applied to revised GDP it overstates GERD "
            "in VND by roughly a quarter."
        )

    needed = gdp_tab.loc[gdp_tab.index.isin([base]), ["gdp_vnd_bn", "vnd_per_usd"]].dropna()
    if needed.empty:
        raise ParameterError("base_year", f"no GDP in VND and USD for {base}", f"{FIRST_BASE_YEAR} to {LAST_BASE_YEAR}")

    if p["budget_exp_pct_gdp"] is None:
        year, pct = observed.latest_budget_exp_pct_gdp(data.budget, gdp_tab)
        p["budget_exp_pct_gdp"] = round(pct, 4)
        notes.append(f"Budget expenditure {pct:.2f}% of GDP is the {year} estimate over {year} GDP.")

    years = list(range(base, target + 1))
    observed_years: list[int] = []
    drivers = observed.gdp_drivers(gdp_tab).dropna(subset=["real_growth_pct", "deflator_pct", "vnd_depreciation_pct"])
    if p["use_observed_gdp"]:
        for y in years[1:]:
            if y not in drivers.index:
                break
            observed_years.append(y)
        for name in ("real_gdp_growth_pct", "gdp_deflator_pct", "vnd_depreciation_pct"):
            clash = sorted(set(params[name]) & set(observed_years)) if isinstance(params[name], dict) else []
            if clash:
                raise ParameterError(
                    name, f"gives {clash[0]}, which has official GDP figures",
                    "years after the last observed year, or set use_observed_gdp to false",
                )
        if observed_years:
            notes.append(
                "GDP for " + ", ".join(map(str, observed_years)) + " is official (World Bank WDI / GSO); "
                "the growth assumptions apply from " + str(observed_years[-1] + 1) + "."
            )
    projected = years[1 + len(observed_years):]
    assumed = {
        name: values_by_year(p[name], projected, name)
        for name in ("real_gdp_growth_pct", "gdp_deflator_pct", "vnd_depreciation_pct")
    }
    seen = drivers.reindex(observed_years)
    growth = np.concatenate([[0.0], seen["real_growth_pct"].to_numpy(), assumed["real_gdp_growth_pct"]])
    defl = np.concatenate([[0.0], seen["deflator_pct"].to_numpy(), assumed["gdp_deflator_pct"]])
    dep = np.concatenate([[0.0], seen["vnd_depreciation_pct"].to_numpy(), assumed["vnd_depreciation_pct"]])

    inputs = RdInputs(
        base_year=base,
        target_year=target,
        base_share_pct=float(p["base_share_pct"]),
        target_share_pct=float(p["target_share_pct"]),
        path_shape=p["path_shape"],
        base_gdp_vnd_bn=float(gdp_tab.loc[base, "gdp_vnd_bn"]),
        base_vnd_per_usd=float(gdp_tab.loc[base, "vnd_per_usd"]),
        real_growth_pct=tuple(float(x) for x in growth),
        deflator_pct=tuple(float(x) for x in defl),
        depreciation_pct=tuple(float(x) for x in dep),
        nonstate_share_base_pct=float(p["nonstate_share_base_pct"]),
        nonstate_share_target_pct=float(p["nonstate_share_target_pct"]),
        budget_exp_pct_gdp=float(p["budget_exp_pct_gdp"]),
        science_budget_share_pct=float(p["science_budget_share_pct"]),
        logistic_steepness=float(p["logistic_steepness"]),
        back_loaded_exponent=float(p["back_loaded_exponent"]),
        observed_years=tuple(observed_years),
    )
    return RdResolved(inputs=inputs, params=p, notes=tuple(notes))


def run(params: dict[str, Any], data: RdData | None = None) -> tuple[RdResolved, pd.DataFrame, dict[str, Any]]:
    """Resolve, compute the path and summarise: what the notebook and the tests call."""
    resolved = resolve(params, data)
    path = rd_path(resolved.inputs)
    return resolved, path, rd_summary(path)


RD_SPEC = register(
    NotebookSpec(
        name="rd_paths",
        notebook="01_rd_paths.ipynb",
        title="The path to R&D spending of 2% of GDP by 2030",
        params=RD_PARAMS,
        check=_check_rd,
        preflight=lambda p: resolve(p),
        description="What Viet Nam's R&D spending must do to reach the Resolution 57 target, who pays, and whether the budget rule covers the state's part.",
    )
)
