"""The vectorised R&D scenario engine: many scenarios in one call (one value per scenario, or one for all), one
row per scenario out; :func:`analysis.models.rd_model.rd_path` is the one-scenario case of :func:`path_arrays`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from analysis.errors import ParameterError
from analysis.models.path_core import PATH_SHAPES, Span, cagr_pct, gdp_core, path_fraction

# a shape's code is its place in PATH_SHAPES
SHAPE_CODES: dict[str, int] = {name: i for i, name in enumerate(PATH_SHAPES)}
GEOMETRIC = SHAPE_CODES["geometric"]

SCENARIO_FIELDS = (
    "base_share_pct",
    "target_share_pct",
    "path_shape",
    "logistic_steepness",
    "back_loaded_exponent",
    "real_gdp_growth_pct",
    "gdp_deflator_pct",
    "vnd_depreciation_pct",
    "nonstate_share_base_pct",
    "nonstate_share_target_pct",
    "budget_exp_pct_gdp",
    "science_budget_share_pct",
    "envelope_rd_share_pct",
)
GROWTH_FIELDS = ("real_gdp_growth_pct", "gdp_deflator_pct", "vnd_depreciation_pct")  # from the year after the base
# the fields that may hold a value per year: the growth rates per projection year, the budget shares per path year
YEARLY_FIELDS = (*GROWTH_FIELDS, "science_budget_share_pct", "envelope_rd_share_pct")
OPTIONAL_FIELDS = {"envelope_rd_share_pct": 100.0}  # missing -> the whole envelope may fund R&D


@dataclass(frozen=True)
class Context(Span):
    """What every scenario of a batch shares: the years, the base-year GDP and the official years.

    ``observed_*`` hold the rates of the official years that follow the base year (they are
    the same in every scenario); the scenario's own rates apply after them.
    """

    base_gdp_vnd_bn: float
    base_vnd_per_usd: float
    observed_real_growth_pct: tuple[float, ...] = ()
    observed_deflator_pct: tuple[float, ...] = ()
    observed_depreciation_pct: tuple[float, ...] = ()
    unrated_years: tuple[int, ...] = ()  # left out of the envelope figures (funding.unrated_years)

    @property
    def tau(self) -> np.ndarray:
        y = self.years
        return (y - y[0]) / (y[-1] - y[0])

    @property
    def rated(self) -> np.ndarray:
        """For each year, whether its envelope fit is rated (:func:`rated_mask`)."""
        return rated_mask(self.years, self.unrated_years)


def rated_mask(years: np.ndarray | pd.Index, unrated_years: tuple[int, ...]) -> np.ndarray:
    """For each of ``years``, whether its envelope fit is rated: not one of ``unrated_years`` (funding.unrated_years)."""
    return ~np.isin(years, unrated_years)


def shape_codes(shapes: Any) -> np.ndarray:
    """Path-shape names (or codes) -> integer codes."""
    arr = np.asarray(shapes)
    if arr.dtype.kind in "iu":
        codes = arr.astype(np.int8)
        if ((codes < 0) | (codes >= len(PATH_SHAPES))).any():
            raise ParameterError("path_shape", "unknown shape code", f"0 to {len(PATH_SHAPES) - 1}")
        return codes
    try:
        return np.vectorize(SHAPE_CODES.__getitem__, otypes=[np.int8])(arr)
    except KeyError as exc:
        raise ParameterError("path_shape", f"unknown shape {exc.args[0]!r}", ", ".join(PATH_SHAPES)) from None


def share_arrays(
    tau: np.ndarray, s0: np.ndarray, s1: np.ndarray, code: np.ndarray, k: np.ndarray, pw: np.ndarray
) -> np.ndarray:
    """Shares (n, T) for every scenario's shape; end points pinned exactly."""
    n = s0.shape[0]
    out = np.empty((n, tau.shape[0]))
    shapes = np.unique(code)
    for c in shapes:
        rows = np.nonzero(code == c)[0] if len(shapes) > 1 else slice(None)
        a, b = s0[rows][:, None], s1[rows][:, None]
        if c == GEOMETRIC:
            if (s0[rows] <= 0).any() or (s1[rows] <= 0).any():
                raise ParameterError("base_share_pct", "a geometric path needs positive shares", "> 0")
            out[rows] = a * np.exp(tau[None, :] * np.log(b / a))
        else:  # the additive shapes: one formula, in path_core.path_fraction
            f = path_fraction(tau[None, :], PATH_SHAPES[c], k[rows][:, None], pw[rows][:, None])
            out[rows] = a + (b - a) * f
    out[:, 0], out[:, -1] = s0, s1
    return out


# each quantity of a path from the others, in a mapping of (n, T) arrays (or (n, the years wanted): Paths.at)
PATH_FORMULAS: dict[str, Callable[[Paths], np.ndarray]] = {
    "gerd_vnd_bn": lambda a: a["share_pct"] / 100.0 * a["gdp_vnd_bn"],
    "gerd_usd_bn": lambda a: a["gerd_vnd_bn"] / a["vnd_per_usd"],
    "gerd_real_vnd_bn": lambda a: a["gerd_vnd_bn"] / a["price_index"],
    "nonstate_gerd_vnd_bn": lambda a: a["gerd_vnd_bn"] * a["nonstate_share_pct"] / 100.0,
    "state_gerd_vnd_bn": lambda a: a["gerd_vnd_bn"] * (100.0 - a["nonstate_share_pct"]) / 100.0,
    "nonstate_gerd_usd_bn": lambda a: a["nonstate_gerd_vnd_bn"] / a["vnd_per_usd"],
    "state_gerd_usd_bn": lambda a: a["state_gerd_vnd_bn"] / a["vnd_per_usd"],
    "budget_exp_vnd_bn": lambda a: a["gdp_vnd_bn"] * a["budget_exp_pct_gdp"] / 100.0,
    "envelope_vnd_bn": lambda a: a["budget_exp_vnd_bn"] * a["science_budget_share_pct"] / 100.0,
    "state_gerd_pct_budget": lambda a: a["state_gerd_vnd_bn"] / a["budget_exp_vnd_bn"] * 100.0,
    "state_gerd_pct_envelope": lambda a: a["state_gerd_vnd_bn"] / a["envelope_vnd_bn"] * 100.0,
    "rd_envelope_vnd_bn": lambda a: a["envelope_vnd_bn"] * a["envelope_rd_share_pct"] / 100.0,
    "state_gerd_pct_rd_envelope": lambda a: a["state_gerd_vnd_bn"] / a["rd_envelope_vnd_bn"] * 100.0,
    "fits_envelope": lambda a: a["state_gerd_vnd_bn"] <= a["rd_envelope_vnd_bn"],
}
# the year-by-year arrays of a path and their units (the API's), in the order of rd_model.rd_path's columns:
# gdp_core's, then R&D (shares and budget floor given, the rest from PATH_FORMULAS)
VND_BN, USD_BN, INDEX = "billion current VND", "billion current USD", "index, base year = 1"
PATH_GDP_COLUMNS = {
    "real_index": INDEX,
    "price_index": INDEX,
    "gdp_vnd_bn": VND_BN,
    "vnd_per_usd": "VND per USD",
    "gdp_usd_bn": USD_BN,
}
PATH_RD_COLUMNS = {
    "share_pct": "% of GDP",
    "gerd_vnd_bn": VND_BN,
    "gerd_usd_bn": USD_BN,
    "gerd_real_vnd_bn": "billion VND at base-year prices",
    "nonstate_share_pct": "% of GERD",
    "nonstate_gerd_vnd_bn": VND_BN,
    "state_gerd_vnd_bn": VND_BN,
    "nonstate_gerd_usd_bn": USD_BN,
    "state_gerd_usd_bn": USD_BN,
    "budget_exp_vnd_bn": VND_BN,
    "science_budget_share_pct": "% of budget expenditure",
    "envelope_vnd_bn": VND_BN,
    "rd_envelope_vnd_bn": VND_BN,
    "state_gerd_pct_budget": "% of budget expenditure",
    "state_gerd_pct_envelope": "% of the envelope",
    "state_gerd_pct_rd_envelope": "% of the envelope's R&D part",
    "fits_envelope": "true/false",
}


class Paths(dict):
    """Path arrays by name, each quantity of :data:`PATH_FORMULAS` computed when it is first read: a summary
    reads a few of them, and the years it needs (:meth:`at`)."""

    def __missing__(self, key: str) -> np.ndarray:
        # a zero envelope gives inf/NaN (shown as "–"), in a path read lazily outside any caller's errstate
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            self[key] = value = PATH_FORMULAS[key](self)
        return value

    def at(self, columns: list[int]) -> Paths:
        """The same quantities at the year ``columns`` only (those not read yet computed there only)."""
        return Paths({k: v[:, columns] for k, v in self.items()})


def path_arrays(
    ctx: Context, p: Mapping[str, np.ndarray], growth: np.ndarray, deflator: np.ndarray, depreciation: np.ndarray
) -> Paths:
    """Every year-by-year quantity of the model for n scenarios: arrays (n, T) (:data:`PATH_GDP_COLUMNS`,
    :data:`PATH_RD_COLUMNS`).

    ``growth``, ``deflator`` and ``depreciation`` are (n, T) rates in % (the base-year column is ignored);
    ``p`` holds (n,) arrays of the other scenario fields.
    """
    a = Paths(gdp_core(ctx.base_gdp_vnd_bn, ctx.base_vnd_per_usd, growth, deflator, depreciation))
    a["share_pct"], a["nonstate_share_pct"] = _shares(ctx, p)
    for k in ("budget_exp_pct_gdp", "science_budget_share_pct", "envelope_rd_share_pct"):
        a[k] = np.broadcast_to(np.reshape(p[k], (len(p[k]), -1)), a["share_pct"].shape)  # (n,) or (n, T)
    return a


def _shares(ctx: Context, p: Mapping[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """(n, T) shares of GDP (the scenario's shape) and non-budget shares of GERD (linear); end points pinned."""
    tau = ctx.tau
    keys = ("base_share_pct", "target_share_pct", "path_shape", "logistic_steepness", "back_loaded_exponent")
    share = share_arrays(tau, *(p[k] for k in keys))
    ns0, ns1 = p["nonstate_share_base_pct"][:, None], p["nonstate_share_target_pct"][:, None]
    ns = ns0 + (ns1 - ns0) * tau[None, :]
    ns[:, 0], ns[:, -1] = ns0[:, 0], ns1[:, 0]
    return share, ns


def _rates(ctx: Context, value: np.ndarray, observed: tuple[float, ...], n: int) -> np.ndarray:
    """(n, T) rates: 0 in the base year, the official years' rates, then the scenario's rate(s)."""
    T = len(ctx.years)
    m = len(observed)
    r = np.empty((n, T))
    r[:, 0] = 0.0
    r[:, 1 : 1 + m] = np.asarray(observed, dtype=float)
    v = np.asarray(value, dtype=float)
    if v.ndim == 2:  # already one column per projection year
        if v.shape[1] != T - 1 - m:
            raise ParameterError(
                "real_gdp_growth_pct", f"needs {T - 1 - m} columns (projection years), got {v.shape[1]}"
            )
        r[:, 1 + m :] = v
    else:
        r[:, 1 + m :] = np.broadcast_to(v, (n,))[:, None]
    return r


SUMMARY_COLUMNS = (
    "share_cagr_pct",
    "gdp_target_vnd_bn",
    "gerd_target_vnd_bn",
    "gerd_target_usd_bn",
    "gerd_nominal_cagr_pct",
    "gerd_real_cagr_pct",
    "max_gerd_growth_pct",
    "state_gerd_target_vnd_bn",
    "nonstate_gerd_target_vnd_bn",
    "nonstate_gerd_nominal_cagr_pct",
    "state_gerd_pct_budget_target",
    "state_gerd_pct_envelope_target",
    "first_year_not_fitting",
    "max_share_growth_pct",
    "state_gerd_pct_rd_envelope_target",
)


def summary(
    years: np.ndarray, a: Paths, columns: Iterable[str] | None = None, rated: np.ndarray | None = None
) -> dict[str, Any]:
    """The headline figures of n paths, (n,) arrays, from the (n, T) arrays of :func:`path_arrays`; the envelope
    figures over the ``rated`` years only (default: all; :attr:`Context.rated`).

    The one computation of them: :func:`evaluate` asks for :data:`SUMMARY_COLUMNS` and
    :func:`analysis.models.rd_model.rd_summary` reads the one row of a single path (``columns``: all).
    """
    n = int(years[-1] - years[0])
    ends = a.at([0, -1])

    def b(k: str) -> np.ndarray:
        return ends[k][:, 0]

    def t(k: str) -> np.ndarray:
        return ends[k][:, -1]

    def cagr(k: str) -> np.ndarray:
        return cagr_pct(b(k), t(k), n)

    def by_year(k: str) -> np.ndarray:  # (T, n): numpy reduces over years faster in this layout than along rows
        return np.ascontiguousarray(a[k].T)

    def steps(k: str) -> np.ndarray:
        y = by_year(k)
        return y[1:] / y[:-1]

    rated = slice(None) if rated is None or rated.all() else rated

    def first_misfit() -> np.ndarray:  # the first rated year that does not fit, -1 if none
        bad = ~by_year("fits_envelope")[rated]
        if not len(bad):
            return np.full(bad.shape[1], -1)
        return np.where(bad.any(axis=0), years[rated][bad.argmax(axis=0)], -1)

    figures = {
        "share_base_pct": lambda: b("share_pct"),
        "share_target_pct": lambda: t("share_pct"),
        "share_increase_pp": lambda: t("share_pct") - b("share_pct"),
        "share_multiple": lambda: t("share_pct") / b("share_pct"),
        "share_cagr_pct": lambda: cagr("share_pct"),
        "gdp_base_vnd_bn": lambda: b("gdp_vnd_bn"),
        "gdp_target_vnd_bn": lambda: t("gdp_vnd_bn"),
        "gdp_target_usd_bn": lambda: t("gdp_usd_bn"),
        "gdp_nominal_cagr_pct": lambda: cagr("gdp_vnd_bn"),
        "gerd_base_vnd_bn": lambda: b("gerd_vnd_bn"),
        "gerd_base_usd_bn": lambda: b("gerd_usd_bn"),
        "gerd_target_vnd_bn": lambda: t("gerd_vnd_bn"),
        "gerd_target_usd_bn": lambda: t("gerd_usd_bn"),
        "gerd_multiple": lambda: t("gerd_vnd_bn") / b("gerd_vnd_bn"),
        "gerd_nominal_cagr_pct": lambda: cagr("gerd_vnd_bn"),
        "gerd_real_cagr_pct": lambda: cagr("gerd_real_vnd_bn"),
        "gerd_usd_cagr_pct": lambda: cagr("gerd_usd_bn"),
        "nonstate_share_base_pct": lambda: b("nonstate_share_pct"),
        "nonstate_share_target_pct": lambda: t("nonstate_share_pct"),
        "state_gerd_base_vnd_bn": lambda: b("state_gerd_vnd_bn"),
        "state_gerd_target_vnd_bn": lambda: t("state_gerd_vnd_bn"),
        "nonstate_gerd_base_vnd_bn": lambda: b("nonstate_gerd_vnd_bn"),
        "nonstate_gerd_target_vnd_bn": lambda: t("nonstate_gerd_vnd_bn"),
        "nonstate_gerd_target_usd_bn": lambda: t("nonstate_gerd_usd_bn"),
        "state_gerd_nominal_cagr_pct": lambda: cagr("state_gerd_vnd_bn"),
        "nonstate_gerd_nominal_cagr_pct": lambda: cagr("nonstate_gerd_vnd_bn"),
        "max_gerd_growth_pct": lambda: (steps("gerd_vnd_bn").max(axis=0) - 1.0) * 100.0,
        "max_share_growth_pct": lambda: (steps("share_pct").max(axis=0) - 1.0) * 100.0,
        "steepest_year": lambda: years[1] + steps("share_pct").argmax(axis=0),
        "envelope_target_vnd_bn": lambda: t("envelope_vnd_bn"),
        "science_budget_share_target_pct": lambda: t("science_budget_share_pct"),
        "rd_envelope_target_vnd_bn": lambda: t("rd_envelope_vnd_bn"),
        "state_gerd_pct_rd_envelope_target": lambda: t("state_gerd_pct_rd_envelope"),
        "state_gerd_pct_budget_target": lambda: t("state_gerd_pct_budget"),
        "state_gerd_pct_envelope_target": lambda: t("state_gerd_pct_envelope"),
        "envelope_fits_all_years": lambda: by_year("fits_envelope")[rated].all(axis=0),
        "first_year_not_fitting": first_misfit,
    }
    return {k: figures[k]() for k in (figures if columns is None else columns)}


def as_arrays(batch: Mapping[str, Any], n: int | None = None) -> tuple[dict[str, np.ndarray], int]:
    """A batch's fields checked and broadcast to ``n`` scenarios (default: the longest field), shapes as codes.

    Returns read-only views: copy an array before changing one scenario's value.
    """
    batch = {**OPTIONAL_FIELDS, **batch}
    unknown = set(batch) - set(SCENARIO_FIELDS)
    if unknown:
        raise ParameterError(sorted(unknown)[0], "is not a scenario field of the engine", ", ".join(SCENARIO_FIELDS))
    missing = set(SCENARIO_FIELDS) - set(batch)
    if missing:
        raise ParameterError(sorted(missing)[0], "is missing from the batch", ", ".join(SCENARIO_FIELDS))
    sizes = {np.shape(v)[0] for k, v in batch.items() if np.ndim(v) >= 1}
    n = n or (max(sizes) if sizes else 1)
    if sizes - {1, n}:
        raise ParameterError("batch", f"fields have different lengths {sorted(sizes)}", "one length, or scalars")
    out = {}
    for k, v in batch.items():
        if k == "path_shape":
            out[k] = np.broadcast_to(shape_codes(np.atleast_1d(v)), (n,))
        elif np.ndim(v) == 2 and k in YEARLY_FIELDS:  # a value per year: broadcast to n rows
            out[k] = np.broadcast_to(np.asarray(v, dtype=float), (n, np.shape(v)[1]))
        else:
            out[k] = np.broadcast_to(np.asarray(v, dtype=float).reshape(-1), (n,))
    return out, n


def evaluate(
    ctx: Context,
    batch: Mapping[str, Any],
    chunk_size: int = 4096,
    keep_paths: bool = False,
    workers: int | None = None,
    columns: tuple[str, ...] = SUMMARY_COLUMNS,
) -> pd.DataFrame | tuple[pd.DataFrame, dict[str, np.ndarray]]:
    """Evaluate n scenarios: one row per scenario with the headline figures (``columns`` of :func:`summary`,
    ``first_year_not_fitting`` among them; ``envelope_fits_all_years`` nullable, missing with no rated year) and the
    (n, T) path arrays if ``keep_paths``.

    Scenarios are processed in chunks small enough to stay in the CPU cache, spread over
    ``workers`` threads (default: one per core; numpy releases the GIL inside its loops).
    """
    arrays, n = as_arrays(batch)
    out = np.empty((n, len(columns)))
    starts = list(range(0, n, chunk_size))
    kept: dict[int, dict[str, np.ndarray]] = {}
    observed = (ctx.observed_real_growth_pct, ctx.observed_deflator_pct, ctx.observed_depreciation_pct)
    rated = ctx.rated

    def work(start: int) -> None:
        sl = slice(start, min(n, start + chunk_size))
        m = sl.stop - sl.start
        sub = {k: v[sl] for k, v in arrays.items()}
        rates = [_rates(ctx, sub[f], seen, m) for f, seen in zip(GROWTH_FIELDS, observed, strict=True)]
        paths = path_arrays(ctx, sub, *rates)
        figures = summary(ctx.years, paths, columns, rated)
        for j, col in enumerate(columns):
            out[sl, j] = figures[col]
        if keep_paths:
            kept[start] = {k: paths[k] for k in (*PATH_GDP_COLUMNS, *PATH_RD_COLUMNS)}

    workers = workers or os.cpu_count() or 1
    if workers > 1 and len(starts) > 1:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            list(pool.map(work, starts))
    else:
        for start in starts:
            work(start)
    table = pd.DataFrame(out, columns=list(columns), copy=False)
    table["first_year_not_fitting"] = table["first_year_not_fitting"].astype(np.int32)
    fits = (table["first_year_not_fitting"] < 0).to_numpy()
    table["envelope_fits_all_years"] = pd.arrays.BooleanArray(fits, np.full(n, not rated.any()))  # mask: not known
    if keep_paths:
        return table, {k: np.concatenate([kept[s][k] for s in starts]) for k in kept[starts[0]]}
    return table
