"""The R&D path model: GDP projection, GERD share path, GERD, funding split, budget check.

Pure functions on numpy/pandas objects. Conventions: ``*_pct`` are percentages
(2.0 means 2 %), ``*_rate`` fractions; money in billions (``_vnd_bn``, ``_usd_bn``),
current prices unless the name says ``real``. The base year is the first row of
every path; growth inputs apply from the year after it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from analysis.errors import ParameterError
from analysis.models import engine
from analysis.models.path_core import BACK_LOADED_EXPONENT, LOGISTIC_STEEPNESS, PATH_SHAPES, Span

# a path's rates, % a year, named as analysis.data.observed.gdp_drivers names them: real growth, deflator, depreciation
RATE_COLUMNS = ("real_growth_pct", "deflator_pct", "vnd_depreciation_pct")


def share_path(
    years: Sequence[int],
    base_share_pct: float,
    target_share_pct: float,
    shape: str = "geometric",
    logistic_steepness: float = LOGISTIC_STEEPNESS,
    back_loaded_exponent: float = BACK_LOADED_EXPONENT,
) -> pd.Series:
    """GERD as % of GDP for each year from the base year (first) to the target year (last).

    Every shape starts at ``base_share_pct`` and ends at ``target_share_pct`` exactly.
    """
    if shape not in PATH_SHAPES:
        raise ParameterError("path_shape", f"unknown shape {shape!r}", ", ".join(PATH_SHAPES))
    years = np.asarray(years, dtype=int)
    if len(years) < 2:
        raise ParameterError("target_year", "the path needs at least two years", "target_year > base_year")
    tau = (years - years[0]) / (years[-1] - years[0])
    s = engine.share_arrays(
        tau,
        np.array([float(base_share_pct)]),
        np.array([float(target_share_pct)]),
        engine.shape_codes([shape]),
        np.array([float(logistic_steepness)]),
        np.array([float(back_loaded_exponent)]),
    )[0]
    return pd.Series(s, index=pd.Index(years, name="year"), name="share_pct")


# ----------------------------------------------------------------------------- scenario


@dataclass(frozen=True)
class RdInputs(Span):
    """Fully resolved numeric inputs of one R&D scenario (no data look-ups left)."""

    base_share_pct: float
    target_share_pct: float
    path_shape: str
    base_gdp_vnd_bn: float
    base_vnd_per_usd: float
    real_growth_pct: tuple[float, ...]  # one per year, base year first (ignored)
    deflator_pct: tuple[float, ...]
    depreciation_pct: tuple[float, ...]
    nonstate_share_base_pct: float
    nonstate_share_target_pct: float
    budget_exp_pct_gdp: float
    science_budget_share_pct: float | tuple[float, ...]  # the floor: one number, or one per year (base first)
    logistic_steepness: float = LOGISTIC_STEEPNESS
    back_loaded_exponent: float = BACK_LOADED_EXPONENT
    observed_years: tuple[int, ...] = field(default_factory=tuple)
    envelope_rd_share_pct: float = engine.OPTIONAL_FIELDS["envelope_rd_share_pct"]  # share of the envelope for R&D


def rd_path(inp: RdInputs) -> pd.DataFrame:
    """Year-by-year path of GDP, GERD, its funding split and the budget check.

    A thin wrapper over the batch engine (:func:`analysis.models.engine.path_arrays`) with one scenario,
    so the notebooks and the vectorised sweeps share one implementation of the arithmetic.
    """
    ctx = engine.Context(inp.base_year, inp.target_year, inp.base_gdp_vnd_bn, inp.base_vnd_per_usd)
    one = {f: getattr(inp, f) for f in engine.SCENARIO_FIELDS if f not in engine.GROWTH_FIELDS}  # same names
    one["path_shape"] = engine.shape_codes([inp.path_shape])[0]
    # the base year's rates are ignored: 0 there
    rates = [np.array([0.0, *r[1:]]) for r in (inp.real_growth_pct, inp.deflator_pct, inp.depreciation_pct)]
    arrays = {k: np.atleast_1d(v) for k, v in one.items()}
    if np.ndim(inp.science_budget_share_pct) == 1:  # a floor per year: one row of T values
        if len(inp.science_budget_share_pct) != len(inp.years):
            raise ParameterError("science_budget_share_pct", f"needs one value per year ({len(inp.years)})")
        arrays["science_budget_share_pct"] = np.asarray(inp.science_budget_share_pct, dtype=float)[None, :]
    a = engine.path_arrays(ctx, arrays, *(r[None, :] for r in rates))
    df = pd.DataFrame(dict(zip(RATE_COLUMNS, rates, strict=True)), index=pd.Index(inp.years, name="year"))
    for key in engine.PATH_GDP_COLUMNS:
        df[key] = a[key][0]
    # the base year's GDP is always official (resolve refuses a base year without it)
    df["gdp_observed"] = df.index.isin(inp.observed_years) | (df.index == inp.base_year)
    for key in engine.PATH_RD_COLUMNS:
        df[key] = a[key][0]
    return df


def rd_summary(path: pd.DataFrame, unrated_years: tuple[int, ...] = ()) -> dict[str, Any]:
    """Headline figures of a path from :func:`rd_path` (first row = base, last = target), as
    :func:`analysis.models.engine.summary` computes them for a batch, and the envelope's rating over the years not
    in ``unrated_years`` (:func:`analysis.models.funding.unrated_years`): the years that do not fit, whether all
    fit (None where no year is rated) and how many years are rated and not."""
    years = path.index.to_numpy()
    rated = engine.rated_mask(years, unrated_years)
    figures = engine.summary(
        years,
        engine.Paths({k: path[k].to_numpy()[None, :] for k in (*engine.PATH_GDP_COLUMNS, *engine.PATH_RD_COLUMNS)}),
        rated=rated,
    )
    del figures["first_year_not_fitting"]
    out = {
        "base_year": int(years[0]),
        "target_year": int(years[-1]),
        "years": int(years[-1] - years[0]),
        **{k: v[0].item() for k, v in figures.items()},
        "years_not_fitting": [int(y) for y in years[rated & ~path["fits_envelope"].to_numpy()]],
        "envelope_years_rated": int(rated.sum()),
        "envelope_years_not_rated": int((~rated).sum()),
    }
    if not rated.any():
        out["envelope_fits_all_years"] = None  # no rated year: not known
    return out
