"""The R&D path model: GDP projection, GERD share path, GERD, funding split, budget check.

Pure functions on numpy/pandas objects. Conventions: ``*_pct`` are percentages
(2.0 means 2 %), ``*_rate`` fractions; money in billions (``_vnd_bn``, ``_usd_bn``),
current prices unless the name says ``real``. The base year is the first row of
every path; growth inputs apply from the year after it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Union

import numpy as np
import pandas as pd

from .errors import ParameterError

PATH_SHAPES: dict[str, str] = {
    "linear": "the share rises by the same number of percentage points every year",
    "geometric": "the share grows at a constant annual rate (same % increase every year)",
    "logistic": "an S-curve: slow start, fastest in the middle years, slow finish",
    "back_loaded": "slow at first, most of the rise in the last years (power curve)",
}

YearValues = Union[float, int, Mapping[int, float]]


# ----------------------------------------------------------------------------- helpers


def cagr_pct(start: float | np.ndarray, end: float | np.ndarray, years: float | np.ndarray) -> float | np.ndarray:
    """Compound annual growth rate in % from ``start`` to ``end`` over ``years`` years.

    NaN where it is undefined (``start`` <= 0 or ``end`` < 0).

    >>> round(cagr_pct(0.41456, 2.0, 7), 2)   # Viet Nam's GERD share 2023 -> 2030
    25.21
    """
    start, end = np.asarray(start, dtype=float), np.asarray(end, dtype=float)
    ok = (start > 0) & (end >= 0)  # growth from nothing (or to a negative) is undefined
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        out = np.where(ok, ((end / np.where(ok, start, 1.0)) ** (1.0 / np.asarray(years, dtype=float)) - 1.0) * 100.0, np.nan)
    return float(out) if out.ndim == 0 else out


def values_by_year(value: YearValues, years: Sequence[int], name: str) -> np.ndarray:
    """Expand a number or a {year: value} mapping to one value per year in ``years``.

    A mapping may skip years: a missing year takes the value of the closest earlier
    year given. Years before the first year given are an error (nothing to carry).
    """
    years = [int(y) for y in years]
    if isinstance(value, Mapping):
        if not value:
            raise ParameterError(name, "the year -> value mapping is empty", "a number or {year: value}")
        given = {int(k): float(v) for k, v in value.items()}
        first = min(given)
        if years and years[0] < first:
            raise ParameterError(
                name,
                f"no value for {years[0]} (the mapping starts in {first})",
                f"a mapping whose first year is {years[0]} or earlier",
            )
        out, current = [], None
        for y in years:
            if y in given:
                current = given[y]
            elif current is None:  # first year not given but an earlier key exists
                current = given[max(k for k in given if k <= y)]
            out.append(current)
        return np.array(out, dtype=float)
    return np.full(len(years), float(value))


# ----------------------------------------------------------------------------- GDP


def gdp_core(
    base_gdp_vnd_bn: float | np.ndarray,
    base_vnd_per_usd: float | np.ndarray,
    real_growth_pct: np.ndarray,
    deflator_pct: np.ndarray,
    depreciation_pct: np.ndarray,
    full: bool = True,
) -> dict[str, np.ndarray]:
    """The GDP arithmetic on arrays of shape (..., years); the first column is the base year.

    Broadcasts over leading dimensions (scenarios, simulated paths); the base year's rates
    are ignored. GDP_t = GDP_{t-1} (1 + real_t)(1 + deflator_t); VND/USD_t = VND/USD_{t-1}
    (1 + depreciation_t). Every projection in the package goes through this function.
    """
    g1 = 1.0 + np.asarray(real_growth_pct, dtype=float) / 100.0
    p1 = 1.0 + np.asarray(deflator_pct, dtype=float) / 100.0
    d1 = 1.0 + np.asarray(depreciation_pct, dtype=float) / 100.0
    g1[..., 0] = p1[..., 0] = d1[..., 0] = 1.0  # (fresh arrays: the inputs are not modified)
    gdp_vnd = np.asarray(base_gdp_vnd_bn, dtype=float)[..., None] * np.cumprod(g1 * p1, axis=-1)
    if not full:  # what the batch engine needs: GDP every year, prices and the exchange rate at the end
        return {"gdp_vnd_bn": gdp_vnd, "price_index_last": np.prod(p1, axis=-1),
                "vnd_per_usd_last": np.asarray(base_vnd_per_usd, dtype=float) * np.prod(d1, axis=-1)}
    real_index = np.cumprod(g1, axis=-1)
    price_index = np.cumprod(p1, axis=-1)
    fx = np.asarray(base_vnd_per_usd, dtype=float)[..., None] * np.cumprod(d1, axis=-1)
    return {"real_index": real_index, "price_index": price_index, "vnd_per_usd": fx, "gdp_vnd_bn": gdp_vnd,
            "gdp_usd_bn": gdp_vnd / fx}


def project_gdp(
    years: Sequence[int],
    base_gdp_vnd_bn: float,
    base_vnd_per_usd: float,
    real_growth_pct: np.ndarray,
    deflator_pct: np.ndarray,
    depreciation_pct: np.ndarray,
) -> pd.DataFrame:
    """Nominal GDP in VND and USD for ``years`` (first = base year), as a year-indexed table.

    The three rate arrays have one value per year; the base year's value is ignored.
    """
    years = np.asarray(years, dtype=int)
    rates = {}
    for arr, nm in ((real_growth_pct, "real_gdp_growth_pct"), (deflator_pct, "gdp_deflator_pct"),
                    (depreciation_pct, "vnd_depreciation_pct")):
        arr = np.asarray(arr, dtype=float)
        if arr.shape != years.shape:
            raise ParameterError(nm, f"needs one value per year ({len(years)}), got {arr.size}")
        rates[nm] = arr.copy()
        rates[nm][0] = 0.0
    core = gdp_core(base_gdp_vnd_bn, base_vnd_per_usd, rates["real_gdp_growth_pct"], rates["gdp_deflator_pct"],
                    rates["vnd_depreciation_pct"])
    return pd.DataFrame(
        {
            "real_growth_pct": rates["real_gdp_growth_pct"],
            "deflator_pct": rates["gdp_deflator_pct"],
            "vnd_depreciation_pct": rates["vnd_depreciation_pct"],
            **core,
        },
        index=pd.Index(years, name="year"),
    )[["real_growth_pct", "deflator_pct", "vnd_depreciation_pct", "real_index", "price_index", "gdp_vnd_bn",
       "vnd_per_usd", "gdp_usd_bn"]]


# ----------------------------------------------------------------------------- share path


def path_fraction(
    tau: np.ndarray, shape: str, logistic_steepness: float | np.ndarray = 8.0,
    back_loaded_exponent: float | np.ndarray = 2.0,
) -> np.ndarray:
    """Fraction of the distance from base to target covered at time ``tau`` in [0, 1].

    0 at tau = 0 and 1 at tau = 1 for every additive shape (linear, logistic, back_loaded).
    'geometric' is multiplicative and handled by :func:`share_path`. The two shape
    parameters broadcast against ``tau`` (one value per scenario in a column, for the engine).
    """
    tau = np.asarray(tau, dtype=float)
    if shape == "linear":
        f = tau.copy()
    elif shape == "logistic":
        k = np.asarray(logistic_steepness, dtype=float)
        sig = lambda x: 1.0 / (1.0 + np.exp(-x))  # noqa: E731
        lo, hi = sig(-k / 2), sig(k / 2)
        f = (sig(k * (tau - 0.5)) - lo) / (hi - lo)
    elif shape == "back_loaded":
        f = tau ** np.asarray(back_loaded_exponent, dtype=float)
    else:
        raise ParameterError("path_shape", f"{shape!r} has no additive fraction", ", ".join(PATH_SHAPES))
    return f


def share_path(
    years: Sequence[int],
    base_share_pct: float,
    target_share_pct: float,
    shape: str = "geometric",
    logistic_steepness: float = 8.0,
    back_loaded_exponent: float = 2.0,
) -> pd.Series:
    """GERD as % of GDP for each year from the base year (first) to the target year (last).

    Every shape starts at ``base_share_pct`` and ends at ``target_share_pct`` exactly.
    """
    from . import engine

    if shape not in PATH_SHAPES:
        raise ParameterError("path_shape", f"unknown shape {shape!r}", ", ".join(PATH_SHAPES))
    years = np.asarray(years, dtype=int)
    if len(years) < 2:
        raise ParameterError("target_year", "the path needs at least two years", "target_year > base_year")
    tau = (years - years[0]) / (years[-1] - years[0])
    s = engine.share_arrays(tau, np.array([float(base_share_pct)]), np.array([float(target_share_pct)]),
                            engine.shape_codes([shape]), np.array([float(logistic_steepness)]),
                            np.array([float(back_loaded_exponent)]))[0]
    return pd.Series(s, index=pd.Index(years, name="year"), name="share_pct")


# ----------------------------------------------------------------------------- scenario


@dataclass(frozen=True)
class RdInputs:
    """Fully resolved numeric inputs of one R&D scenario (no data look-ups left)."""

    base_year: int
    target_year: int
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
    logistic_steepness: float = 8.0
    back_loaded_exponent: float = 2.0
    observed_years: tuple[int, ...] = field(default_factory=tuple)
    envelope_rd_share_pct: float = 100.0  # share of the envelope that funds R&D (100: all of it)

    @property
    def years(self) -> np.ndarray:
        return np.arange(self.base_year, self.target_year + 1)

    def as_dict(self) -> dict:
        return asdict(self)


def rd_path(inp: RdInputs) -> pd.DataFrame:
    """Year-by-year path of GDP, GERD, its funding split and the budget check.

    A thin wrapper over the batch engine (:func:`analysis.engine.path_arrays`) with one scenario,
    so the notebooks and the vectorised sweeps share one implementation of the arithmetic.
    """
    from . import engine

    ctx = engine.Context(inp.base_year, inp.target_year, inp.base_gdp_vnd_bn, inp.base_vnd_per_usd)
    one = {
        "base_share_pct": inp.base_share_pct, "target_share_pct": inp.target_share_pct,
        "path_shape": engine.shape_codes([inp.path_shape])[0], "logistic_steepness": inp.logistic_steepness,
        "back_loaded_exponent": inp.back_loaded_exponent, "nonstate_share_base_pct": inp.nonstate_share_base_pct,
        "nonstate_share_target_pct": inp.nonstate_share_target_pct, "budget_exp_pct_gdp": inp.budget_exp_pct_gdp,
        "science_budget_share_pct": inp.science_budget_share_pct, "envelope_rd_share_pct": inp.envelope_rd_share_pct,
    }
    rates = [np.asarray(r, dtype=float).copy() for r in (inp.real_growth_pct, inp.deflator_pct, inp.depreciation_pct)]
    for r in rates:
        r[0] = 0.0
    arrays = {k: np.atleast_1d(v) for k, v in one.items()}
    if np.ndim(inp.science_budget_share_pct) == 1:  # a floor per year: one row of T values
        if len(inp.science_budget_share_pct) != len(inp.years):
            raise ParameterError("science_budget_share_pct", f"needs one value per year ({len(inp.years)})")
        arrays["science_budget_share_pct"] = np.asarray(inp.science_budget_share_pct, dtype=float)[None, :]
    a = engine.path_arrays(ctx, arrays, *(r[None, :] for r in rates))
    df = pd.DataFrame({"real_growth_pct": rates[0], "deflator_pct": rates[1], "vnd_depreciation_pct": rates[2]},
                      index=pd.Index(inp.years, name="year"))
    for key in ("real_index", "price_index", "gdp_vnd_bn", "vnd_per_usd", "gdp_usd_bn"):
        df[key] = a[key][0]
    # the base year's GDP is always official (resolve refuses a base year without it)
    df["gdp_observed"] = df.index.isin(inp.observed_years) | (df.index == inp.base_year)
    for key in ("share_pct", "gerd_vnd_bn", "gerd_usd_bn", "gerd_real_vnd_bn", "nonstate_share_pct",
                "nonstate_gerd_vnd_bn", "state_gerd_vnd_bn", "nonstate_gerd_usd_bn", "state_gerd_usd_bn",
                "budget_exp_vnd_bn", "science_budget_share_pct", "envelope_vnd_bn", "rd_envelope_vnd_bn",
                "state_gerd_pct_budget", "state_gerd_pct_envelope", "state_gerd_pct_rd_envelope", "fits_envelope"):
        df[key] = a[key][0]
    return df


def rd_summary(path: pd.DataFrame) -> dict[str, float | int | bool | list[int]]:
    """Headline figures of a path from :func:`rd_path` (first row = base, last = target)."""
    b, t = path.iloc[0], path.iloc[-1]
    n = int(path.index[-1] - path.index[0])
    return {
        "base_year": int(path.index[0]),
        "target_year": int(path.index[-1]),
        "years": n,
        "share_base_pct": float(b["share_pct"]),
        "share_target_pct": float(t["share_pct"]),
        "share_increase_pp": float(t["share_pct"] - b["share_pct"]),
        "share_multiple": float(t["share_pct"] / b["share_pct"]),
        "share_cagr_pct": float(cagr_pct(b["share_pct"], t["share_pct"], n)),
        "gdp_base_vnd_bn": float(b["gdp_vnd_bn"]),
        "gdp_target_vnd_bn": float(t["gdp_vnd_bn"]),
        "gdp_target_usd_bn": float(t["gdp_usd_bn"]),
        "gdp_nominal_cagr_pct": float(cagr_pct(b["gdp_vnd_bn"], t["gdp_vnd_bn"], n)),
        "gerd_base_vnd_bn": float(b["gerd_vnd_bn"]),
        "gerd_base_usd_bn": float(b["gerd_usd_bn"]),
        "gerd_target_vnd_bn": float(t["gerd_vnd_bn"]),
        "gerd_target_usd_bn": float(t["gerd_usd_bn"]),
        "gerd_multiple": float(t["gerd_vnd_bn"] / b["gerd_vnd_bn"]),
        "gerd_nominal_cagr_pct": float(cagr_pct(b["gerd_vnd_bn"], t["gerd_vnd_bn"], n)),
        "gerd_real_cagr_pct": float(cagr_pct(b["gerd_real_vnd_bn"], t["gerd_real_vnd_bn"], n)),
        "gerd_usd_cagr_pct": float(cagr_pct(b["gerd_usd_bn"], t["gerd_usd_bn"], n)),
        "nonstate_share_base_pct": float(b["nonstate_share_pct"]),
        "nonstate_share_target_pct": float(t["nonstate_share_pct"]),
        "state_gerd_base_vnd_bn": float(b["state_gerd_vnd_bn"]),
        "state_gerd_target_vnd_bn": float(t["state_gerd_vnd_bn"]),
        "nonstate_gerd_base_vnd_bn": float(b["nonstate_gerd_vnd_bn"]),
        "nonstate_gerd_target_vnd_bn": float(t["nonstate_gerd_vnd_bn"]),
        "nonstate_gerd_target_usd_bn": float(t["nonstate_gerd_usd_bn"]),
        "state_gerd_nominal_cagr_pct": float(cagr_pct(b["state_gerd_vnd_bn"], t["state_gerd_vnd_bn"], n)),
        "nonstate_gerd_nominal_cagr_pct": float(cagr_pct(b["nonstate_gerd_vnd_bn"], t["nonstate_gerd_vnd_bn"], n)),
        "max_gerd_growth_pct": float((path["gerd_vnd_bn"].pct_change().iloc[1:].max()) * 100),
        "max_share_growth_pct": float((path["share_pct"].pct_change().iloc[1:].max()) * 100),
        "steepest_year": int(path.index[1:][np.argmax(path["share_pct"].pct_change().iloc[1:].to_numpy())]),
        "envelope_target_vnd_bn": float(t["envelope_vnd_bn"]),
        "science_budget_share_target_pct": float(t["science_budget_share_pct"]),
        "rd_envelope_target_vnd_bn": float(t["rd_envelope_vnd_bn"]),
        "state_gerd_pct_rd_envelope_target": float(t["state_gerd_pct_rd_envelope"]),
        "state_gerd_pct_budget_target": float(t["state_gerd_pct_budget"]),
        "state_gerd_pct_envelope_target": float(t["state_gerd_pct_envelope"]),
        "envelope_fits_all_years": bool(path["fits_envelope"].all()),
        "years_not_fitting": [int(y) for y in path.index[~path["fits_envelope"]]],
    }
