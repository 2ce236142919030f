"""The path core: path shapes, GDP arithmetic and growth rates, shared by the R&D model and the engine.

Pure functions on numpy/pandas objects. Conventions: ``*_pct`` are percentages (2.0 means 2 %),
``*_rate`` fractions; money in billions (``_vnd_bn``, ``_usd_bn``), current prices unless the name
says ``real``. :mod:`analysis.models.engine` evaluates many scenarios with these functions and
:mod:`analysis.models.rd_model` one; neither imports the other's internals through this module.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from analysis.errors import ParameterError

PATH_SHAPES = ("linear", "geometric", "logistic", "back_loaded")  # described in rd_paths' path_shape help
LOGISTIC_STEEPNESS = 8.0  # the shapes' parameters unless a scenario sets them
BACK_LOADED_EXPONENT = 2.0

YearValues = float | int | Mapping[int, float]


@dataclass(frozen=True)
class Span:
    """A path's years, ``base_year`` (first) to ``target_year`` (last): the base of ``RdInputs`` and ``Context``."""

    base_year: int
    target_year: int

    @property
    def years(self) -> np.ndarray:
        return np.arange(self.base_year, self.target_year + 1)


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
        out = np.where(
            ok, ((end / np.where(ok, start, 1.0)) ** (1.0 / np.asarray(years, dtype=float)) - 1.0) * 100.0, np.nan
        )
    return float(out) if out.ndim == 0 else out


def values_by_year(value: YearValues, years: Sequence[int], name: str) -> np.ndarray:
    """Expand a number or a {year: value} mapping to one value per year in ``years``.

    A mapping may skip years: a missing year takes the value of the closest earlier
    year given. Years (ascending) before the first year given are an error (nothing to carry).
    """
    years = [int(y) for y in years]
    if isinstance(value, Mapping):
        if not value:
            raise ParameterError(name, "the year -> value mapping is empty", "a number or {year: value}")
        given = dict(sorted((int(k), float(v)) for k, v in value.items()))
        first = min(given)
        if years and years[0] < first:
            raise ParameterError(
                name,
                f"no value for {years[0]} (the mapping starts in {first})",
                f"a mapping whose first year is {years[0]} or earlier",
            )
        at = np.searchsorted(list(given), years, side="right") - 1  # the latest year given at or before each
        return np.array(list(given.values()), dtype=float)[at]
    return np.full(len(years), float(value))


# ----------------------------------------------------------------------------- GDP


def gdp_core(
    base_gdp_vnd_bn: float | np.ndarray,
    base_vnd_per_usd: float | np.ndarray,
    real_growth_pct: np.ndarray,
    deflator_pct: np.ndarray,
    depreciation_pct: np.ndarray,
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
    gp1 = g1 * p1
    # cumulative products in place, a year at a time: np.cumprod's products, several times faster on many rows
    for t in range(1, g1.shape[-1]):
        for x in (gp1, g1, p1, d1):
            x[..., t] *= x[..., t - 1]
    gdp_vnd = np.asarray(base_gdp_vnd_bn, dtype=float)[..., None] * gp1
    fx = np.asarray(base_vnd_per_usd, dtype=float)[..., None] * d1
    return {"real_index": g1, "price_index": p1, "vnd_per_usd": fx, "gdp_vnd_bn": gdp_vnd, "gdp_usd_bn": gdp_vnd / fx}


# ----------------------------------------------------------------------------- share path


def path_fraction(
    tau: np.ndarray,
    shape: str,
    logistic_steepness: float | np.ndarray = LOGISTIC_STEEPNESS,
    back_loaded_exponent: float | np.ndarray = BACK_LOADED_EXPONENT,
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
