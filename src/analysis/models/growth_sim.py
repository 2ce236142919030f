"""Uncertainty in Viet Nam's real GDP growth: an AR(p) model fitted with statsmodels and
simulated with vectorised numpy.

statsmodels estimates the model (and its diagnostics); the simulation of many paths is a
few array operations per year, which is what makes 100,000 paths cheap. A test checks that
the numpy simulation and statsmodels' own ``simulate`` agree in distribution. The model's band is checked on
its own past (:func:`backtest_bands`); :func:`band_scale` gives the factor that would have made the past bands
hold their share, which the report uses only as a sensitivity.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from analysis.errors import ParameterError
from analysis.models.path_core import gdp_core
from analysis.models.rd_model import RdInputs

if TYPE_CHECKING:
    from statsmodels.tsa.arima.model import ARIMAResults


@dataclass(frozen=True)
class GrowthModel:
    """A fitted AR(p) model of annual real GDP growth (%), with what readers need to judge it."""

    order: int
    mean_pct: float  # unconditional mean of growth
    ar: tuple[float, ...]  # AR coefficients, lag 1 first
    sigma_pct: float  # standard deviation of the shocks
    history: pd.Series  # the sample it was fitted on (year -> %)
    aic_by_order: dict[int, float]
    ljung_box_pvalue: float  # residual autocorrelation test, lags = min(5, n/4)
    result: ARIMAResults

    def summary_row(self) -> dict[str, float | int | str | list]:
        """The model's figures for results.json, as numbers (``sample``: its first and last year)."""
        return {
            "model": f"AR({self.order})",
            "sample": [int(self.history.index.min()), int(self.history.index.max())],
            "observations": int(len(self.history)),
            "mean growth, %": self.mean_pct,
            "AR coefficients": list(self.ar),
            "shock s.d., pp": self.sigma_pct,
            "AIC": self.aic_by_order[self.order],
            "Ljung-Box p-value": self.ljung_box_pvalue,
        }


def _fit(y: np.ndarray, p: int) -> ARIMAResults:
    from statsmodels.tsa.arima.model import ARIMA  # here, not at import: see backtest._forecast

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence chatter on short annual series
        return ARIMA(y, order=(p, 0, 0), trend="c").fit()


def fit_growth_model(history: pd.Series, max_order: int = 2, order: int | None = None) -> GrowthModel:
    """Fit AR(0..max_order) by maximum likelihood and keep the lowest-AIC order (or ``order``)."""
    from statsmodels.stats.diagnostic import acorr_ljungbox

    history = history.dropna().sort_index()
    if len(history) < 12:
        raise ParameterError(
            "growth_sample_start", f"only {len(history)} years of growth data", "a sample of 12 or more years"
        )
    y = history.to_numpy(dtype=float)
    fits = {p: _fit(y, p) for p in range(0, max_order + 1)}
    aic = {p: float(r.aic) for p, r in fits.items()}
    chosen = order if order is not None else min(aic, key=aic.get)
    res = fits[chosen]
    params = dict(zip(res.param_names, res.params, strict=True))
    ar = tuple(float(params[f"ar.L{i}"]) for i in range(1, chosen + 1))
    lags = max(1, min(5, len(y) // 4))
    lb = acorr_ljungbox(res.resid, lags=[lags], return_df=True)
    return GrowthModel(
        order=chosen,
        mean_pct=float(params["const"]),
        ar=ar,
        sigma_pct=float(np.sqrt(params["sigma2"])),
        history=history,
        aic_by_order=aic,
        ljung_box_pvalue=float(lb["lb_pvalue"].iloc[0]),
        result=res,
    )


def simulate_growth(model: GrowthModel, horizon: int, n_paths: int, seed: int, sigma_scale: float = 1.0) -> np.ndarray:
    """Simulate ``n_paths`` growth paths for the ``horizon`` years after the last observation.

    g_t = mean + sum_i ar_i (g_{t-i} - mean) + sigma * e_t, e_t ~ N(0, 1), starting from the
    observed history. Returns an array (n_paths, horizon) in %. ``sigma_scale=0`` gives the
    point forecast on every path. Parameter uncertainty is not simulated.
    """
    if horizon < 0 or n_paths < 1:
        raise ParameterError("n_simulations", "needs at least one path and a non-negative horizon", ">= 1")
    rng = np.random.default_rng(seed)
    p = model.order
    last = model.history.to_numpy(dtype=float)[-p:] if p else np.empty(0)
    lags = np.tile(last - model.mean_pct, (n_paths, 1))  # deviations, oldest first
    shocks = rng.standard_normal((n_paths, horizon)) * (model.sigma_pct * sigma_scale)
    out = np.empty((n_paths, horizon))
    ar = np.asarray(model.ar)
    for t in range(horizon):
        dev = shocks[:, t]
        if p:
            dev = dev + lags[:, ::-1] @ ar  # most recent lag first
            lags = np.concatenate([lags[:, 1:], dev[:, None]], axis=1)
        out[:, t] = model.mean_pct + dev
    return out


def band_bounds(interval_pct: float) -> tuple[float, float]:
    """The percentiles bounding a central ``interval_pct`` % band: (10, 90) for 80."""
    return (100 - interval_pct) / 2, 100 - (100 - interval_pct) / 2


def fan(values: np.ndarray, years: list[int], qs: tuple[float, ...] = (5, 10, 25, 50, 75, 90, 95)) -> pd.DataFrame:
    """Percentiles of (n_paths, years) values, one row per year."""
    pct = np.percentile(values, qs, axis=0).T
    return pd.DataFrame(pct, index=pd.Index(years, name="year"), columns=[f"p{q:g}" for q in qs])


def simulate_rate_paths(
    assumed_pct: np.ndarray, sd_pp: float, persistence: float, n_paths: int, seed: int, stream: int
) -> np.ndarray:
    """Paths of an annual rate (inflation, depreciation) around its assumed path.

    r_t = assumed_t + d_t, d_t = persistence * d_{t-1} + sd_pp * e_t, d_0 = 0, e_t ~ N(0, 1).
    ``stream`` picks an independent random stream for the same ``seed`` (the growth draws use
    ``default_rng(seed)`` itself), so adding these paths leaves the growth paths unchanged.
    Returns (n_paths, len(assumed_pct)) in %; ``sd_pp=0`` returns the assumed path on every row.
    """
    if not -1 < persistence < 1 or sd_pp < 0:
        raise ParameterError(
            "price_shock_persistence",
            f"persistence {persistence} / s.d. {sd_pp} not allowed",
            "persistence in (-1, 1) and a non-negative s.d.",
        )
    assumed = np.asarray(assumed_pct, dtype=float)
    if sd_pp == 0:  # no uncertainty: no draws (keeps the growth-only simulation as cheap as before)
        return np.tile(assumed, (n_paths, 1))
    rng = np.random.default_rng(np.random.SeedSequence(entropy=seed, spawn_key=(stream,)))
    shocks = rng.standard_normal((n_paths, assumed.size)) * sd_pp
    dev = np.empty_like(shocks)
    prev = np.zeros(n_paths)
    for t in range(assumed.size):
        prev = persistence * prev + shocks[:, t]
        dev[:, t] = prev
    return assumed + dev


def simulate_gdp(
    inp: RdInputs,
    model: GrowthModel,
    n: int,
    seed: int,
    sigma_scale: float = 1.0,
    deflator_sd_pp: float = 0.0,
    depreciation_sd_pp: float = 0.0,
    persistence: float = 0.0,
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Real growth paths for the years of ``inp``: the base year and official years fixed, later years
    simulated from ``model``; then the path's GDP arithmetic (:func:`analysis.models.path_core.gdp_core`)
    on every path. Inflation and depreciation vary around the assumptions of ``inp`` with the given
    shock s.d. (zero: fixed at the assumption), each from its own random stream.

    Returns
    -------
    growth : numpy.ndarray
        (n, years) real growth, %.
    core : dict
        ``gdp_core``'s arrays (n, years) plus ``deflator_pct`` and ``depreciation_pct``.
    """
    years = len(inp.years)
    fixed = 1 + len(inp.observed_years)  # base year + official years
    growth = np.empty((n, years))
    growth[:, :fixed] = np.asarray(inp.real_growth_pct[:fixed])
    growth[:, fixed:] = simulate_growth(model, years - fixed, n, seed, sigma_scale)
    rates = {}
    for name, assumed, sd, stream in (
        ("deflator_pct", inp.deflator_pct, deflator_sd_pp, 1),
        ("depreciation_pct", inp.depreciation_pct, depreciation_sd_pp, 2),
    ):
        rates[name] = np.empty((n, years))
        rates[name][:, :fixed] = np.asarray(assumed[:fixed])
        rates[name][:, fixed:] = simulate_rate_paths(np.asarray(assumed[fixed:]), sd, persistence, n, seed, stream)
    core = gdp_core(inp.base_gdp_vnd_bn, inp.base_vnd_per_usd, growth, rates["deflator_pct"], rates["depreciation_pct"])
    return growth, core | rates


BACKTEST_MIN_TRAIN = 12  # years a model is fitted on at least, at each past origin
BACKTEST_PATHS = 4000  # simulated paths per past origin
# the columns of backtest_bands: the model fitted at each origin, then its band against the outcome
BACKTEST_FIT = ("train_first", "train_last", "order", "sigma_pct")
BACKTEST_BAND = ("actual_pct", "median_pct", "low_pct", "high_pct")
NAIVE = ("naive_pct", "naive_mean_pct")  # repeat the origin year's growth; repeat the trailing years' mean growth


def backtest_bands(
    history: pd.Series,
    horizon: int,
    interval_pct: float,
    max_order: int = 2,
    min_train: int = BACKTEST_MIN_TRAIN,
    n_paths: int = BACKTEST_PATHS,
    seed: int = 57,
) -> pd.DataFrame:
    """The growth model's record: for each origin year with ``min_train`` years before it and ``horizon``
    years after it in ``history``, the model is fitted on the years up to the origin (its order chosen
    by AIC as in the report) and the cumulative real growth over the next ``horizon`` years is
    simulated; the outcome is compared with the median and the central ``interval_pct`` band. Two naive
    forecasts: ``naive_pct`` repeats the origin year's growth for ``horizon`` years; ``naive_mean_pct`` repeats
    the average (compound) growth of the ``horizon`` years up to the origin, i.e. their cumulative growth. The
    trailing window is as long as the forecast so one shock year (2020) weighs in it as it would in the outcome,
    and it is not the whole training sample, whose mean an AR(0) model's median already is.

    Returns one row per origin: ``origin``, ``train_first`` and ``train_last`` (the years fitted on), ``order``
    and ``sigma_pct`` (the chosen AR order and shock s.d.), ``actual_pct``, ``median_pct``, ``low_pct``,
    ``high_pct``, ``inside`` (bool), ``naive_pct`` and ``naive_mean_pct`` (cumulative growth over the horizon, %). The data are the
    revised series, not the vintages available at each origin.
    """
    h = history.dropna().sort_index()
    growth = 1 + h.to_numpy(dtype=float) / 100
    lo_q, hi_q = band_bounds(interval_pct)
    rows = []
    for i in range(min_train - 1, len(h) - horizon):
        model = fit_growth_model(h.iloc[: i + 1], max_order)
        paths = 1 + simulate_growth(model, horizon, n_paths, seed) / 100
        cum = (paths.prod(axis=1) - 1) * 100
        low, median, high = np.percentile(cum, (lo_q, 50.0, hi_q))
        actual = (growth[i + 1 : i + 1 + horizon].prod() - 1) * 100
        naive = (growth[i] ** horizon - 1) * 100
        k = min(horizon, i + 1)  # the trailing years (all there are, if fewer than the horizon)
        naive_mean = (growth[i + 1 - k : i + 1].prod() ** (horizon / k) - 1) * 100
        fit = (int(h.index[0]), int(h.index[i]), model.order, model.sigma_pct)
        inside = bool(low <= actual <= high)
        rows.append((int(h.index[i]), *fit, actual, median, low, high, inside, naive, naive_mean))
    return pd.DataFrame(rows, columns=["origin", *BACKTEST_FIT, *BACKTEST_BAND, "inside", *NAIVE])


def band_record(cases: pd.DataFrame, interval_pct: float, tolerance_pp: float = 10.0) -> dict[str, float | int | None]:
    """The backtest's summary: cases, first and last origin year, coverage of the band (%), whether the band
    has been too narrow (coverage more than ``tolerance_pp`` points under the nominal ``interval_pct``), and the
    mean absolute error of the median and of the two naive forecasts (percentage points of cumulative growth)."""
    if cases.empty:
        return {"cases": 0, "first_origin": None, "last_origin": None, "coverage_pct": None, "too_narrow": None,
                "mae_pp": None, "naive_mae_pp": None, "naive_mean_mae_pp": None}  # fmt: skip
    coverage = float(cases["inside"].mean() * 100)
    return {
        "cases": int(len(cases)),
        "first_origin": int(cases["origin"].min()),
        "last_origin": int(cases["origin"].max()),
        "coverage_pct": coverage,
        "too_narrow": coverage < interval_pct - tolerance_pp,
        "mae_pp": float((cases["median_pct"] - cases["actual_pct"]).abs().mean()),
        "naive_mae_pp": float((cases["naive_pct"] - cases["actual_pct"]).abs().mean()),
        "naive_mean_mae_pp": float((cases["naive_mean_pct"] - cases["actual_pct"]).abs().mean()),
    }


def band_stretch(cases: pd.DataFrame) -> np.ndarray:
    """How many times each past band's half-width, on the side where the outcome fell, the outcome lay from
    the band's median: |actual - median| / (high - median) above the median, / (median - low) below it.
    A case is inside the band widened by ``k`` around its median when its stretch is at most ``k``."""
    above = cases["actual_pct"] >= cases["median_pct"]
    half = np.where(above, cases["high_pct"] - cases["median_pct"], cases["median_pct"] - cases["low_pct"])
    return np.abs(cases["actual_pct"] - cases["median_pct"]).to_numpy(dtype=float) / half


def band_scale(stretch: np.ndarray, interval_pct: float) -> float:
    """The factor by which the growth shocks would have to be widened for the past bands, widened by it around
    their medians, to hold at least ``interval_pct`` % of the outcomes: the ``ceil(n * interval_pct / 100)``-th
    smallest of the ``n`` stretches of :func:`band_stretch`, at least 1 (1 if none).

    Widening the shock s.d. by ``k`` widens the band of cumulative growth by about ``k`` around its median
    (exactly for the sum of the years' growth, as the AR model is linear; compounded over five years, within 3%
    on either side). With ten overlapping five-year windows its coverage cannot be checked out of sample
    (leaving one origin out, the rank rule holds 8 of 10 for any data): a judgement, used as a sensitivity.
    """
    s = np.sort(np.asarray(stretch, dtype=float))
    if s.size == 0:
        return 1.0
    rank = math.ceil(s.size * interval_pct / 100)
    return max(1.0, float(s[min(rank, s.size) - 1]))


def band_table(cases: pd.DataFrame) -> pd.DataFrame:
    """The backtest's record one origin a row, as the report shows it: the columns of :func:`backtest_bands`
    and the ``stretch`` of :func:`band_stretch` (empty ``cases``: no rows)."""
    out = cases[["origin", *BACKTEST_FIT, *BACKTEST_BAND, "inside", *NAIVE]].copy()
    out["stretch"] = band_stretch(cases) if len(cases) else pd.Series(dtype=float)
    return out
