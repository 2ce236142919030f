"""The feasibility report (``rd_feasibility``): its parameters and computations.

Three questions, one module each: has any country climbed that fast
(:mod:`analysis.feasibility`), what share does Viet Nam's income predict
(:mod:`analysis.structural`), and how uncertain is the GDP the target rides on
(:mod:`analysis.growth_sim`). The GDP and GERD arithmetic is notebook 01's
(:func:`analysis.rd_model.gdp_core`, :func:`analysis.rd_model.share_path`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from . import datasets, feasibility, growth_sim, structural
from .errors import ParameterError
from .params import INTERVAL_PCT, NotebookSpec, ParamSpec, register
from .rd_model import cagr_pct, gdp_core, rd_path
from .rd_scenario import RD_PARAMS, RdData, RdResolved, _check_rd
from .rd_scenario import resolve as resolve_rd

_SHARED = {p.name: p for p in RD_PARAMS}
_SHARED["base_year"] = replace(  # windows compare observed end points, so the climb starts at the last survey
    _SHARED["base_year"], default=2023,
    why_default="2023 is the last observed GERD figure (UIS); the historical windows compare observed end points.")
SHARED_NAMES = (
    "base_year", "base_share_pct", "gerd_series", "target_share_pct", "target_year", "path_shape",
    "logistic_steepness", "back_loaded_exponent", "real_gdp_growth_pct", "gdp_deflator_pct",
    "vnd_depreciation_pct", "nonstate_share_base_pct", "nonstate_share_target_pct", "budget_exp_pct_gdp",
    "science_budget_share_pct",
)
FEAS_PARAMS: tuple[ParamSpec, ...] = tuple(_SHARED[n] for n in SHARED_NAMES) + (
    ParamSpec(
        "window_years", "int", None, "years",
        "Length of the historical windows compared with the required climb.",
        "Empty means target_year minus base_year, the time Viet Nam has.",
        lo=1, hi=27, nullable=True, null_means="target_year - base_year",
    ),
    ParamSpec(
        "start_share_below_pct", "float", 1.0, "% of GDP",
        "Windows that started below this share count as 'low-start' analogues.",
        "1% of GDP separates economies building an R&D system from those that have one.",
        lo=0.05, hi=5.0,
    ),
    ParamSpec(
        "population_growth_pct", "float", 1.0, "% per year",
        "Population growth used to turn projected GDP into GDP per person for the structural benchmark.",
        "About the 2014-2024 average of 0.97% a year (World Bank WDI SP.POP.TOTL).",
        lo=-2.0, hi=4.0,
    ),
    ParamSpec(
        "structural_spec", "str", "log_linear", "",
        "Benchmark form: 'log_linear' (log share on log income) or 'log_quadratic' (adds the squared term).",
        "The squared term is marginal (p about 0.05) and gives a similar slope at Viet Nam's income; the "
        "linear form is the transparent headline. Both are shown in the diagnostics.",
        choices=("log_linear", "log_quadratic"),
    ),
    ParamSpec(
        "growth_sample_start", "int", 2000, "year",
        "First year of the real-growth history the GDP model is fitted on (the sample ends with GSO's 2025).",
        "2000 leaves out the transition years of the early 1990s and the Asian-crisis swing.",
        lo=1991, hi=2012,
    ),
    ParamSpec(
        "growth_max_ar_order", "int", 2, "",
        "Highest autoregressive order tried for growth; the lowest-AIC order is used.",
        "Annual growth has little memory; orders above 2 cannot be estimated well from about 25 years.",
        lo=0, hi=3,
    ),
    ParamSpec(
        "n_simulations", "int", 20000, "paths",
        "Number of simulated GDP growth paths.",
        "20,000 paths put the 10th and 90th percentiles within about 0.5% of their limit.",
        lo=100, hi=1_000_000,
    ),
    ParamSpec(
        "seed", "int", 57, "",
        "Seed of the random number generator: the same seed gives the same simulation.",
        "Any fixed number makes the report reproducible; 57 for the Resolution.",
        lo=0, hi=2**32 - 1,
    ),
    INTERVAL_PCT,
)


@dataclass
class Feasibility:
    """Everything the feasibility notebook shows; tables are pandas objects."""

    rd: RdResolved
    path: pd.DataFrame  # notebook 01's deterministic path (the plan)
    params: dict[str, Any]
    required_pp: float
    required_cagr_pct: float
    window_years: int
    windows: pd.DataFrame
    placement: dict[str, Any]
    analogues: pd.DataFrame
    fallbacks: pd.DataFrame
    vintage_gaps: pd.DataFrame
    structural_fit: structural.StructuralFit
    structural_alt_fit: structural.StructuralFit
    structural_now: pd.DataFrame
    structural_target: pd.DataFrame
    vietnam_residual: float | None
    vietnam_gdppc_base: float
    vietnam_gdppc_target: float
    growth_model: growth_sim.GrowthModel
    years: list[int]
    sim_growth: np.ndarray  # (n, years) real growth %, base year column 0
    sim_gdp_vnd: np.ndarray
    sim_gerd_vnd: np.ndarray
    sim_gerd_usd: np.ndarray
    sim_state_gerd_vnd: np.ndarray
    envelope_plan_vnd: np.ndarray  # (years,) from the plan
    summary: dict[str, Any] = field(default_factory=dict)


def _gdp_per_capita(gdp: pd.DataFrame, year: int) -> float:
    rows = gdp[(gdp["indicator"] == "gdp_per_capita_usd") & (gdp["year"] == year) & gdp["source"].str.startswith("World Bank")]
    if rows.empty:
        raise ParameterError("base_year", f"no World Bank GDP per capita for {year}", "a year the WDI covers")
    return float(rows["value"].iloc[0])


def simulate_gdp(
    rd: RdResolved, model: growth_sim.GrowthModel, n: int, seed: int, sigma_scale: float = 1.0
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Real growth paths for the plan's years: observed years fixed, later years simulated; then
    notebook 01's GDP arithmetic on every path. Returns (growth (n, T), gdp_core output)."""
    inp = rd.inputs
    T = len(inp.years)
    fixed = 1 + len(inp.observed_years)  # base year + official years
    growth = np.empty((n, T))
    growth[:, :fixed] = np.asarray(inp.real_growth_pct[:fixed])
    growth[:, fixed:] = growth_sim.simulate_growth(model, T - fixed, n, seed, sigma_scale)
    defl = np.broadcast_to(np.asarray(inp.deflator_pct), (n, T))
    dep = np.broadcast_to(np.asarray(inp.depreciation_pct), (n, T))
    return growth, gdp_core(inp.base_gdp_vnd_bn, inp.base_vnd_per_usd, growth, defl, dep)


def prob_exceeds(state_share_of_gerd: np.ndarray | float, share_pct: float, gdp_vnd: np.ndarray, envelope_vnd: float) -> np.ndarray | float:
    """Share (%) of simulated GDP outcomes in which state-funded R&D exceeds a fixed envelope."""
    state = np.multiply.outer(np.atleast_1d(state_share_of_gerd), gdp_vnd * share_pct / 100.0)
    out = (state > envelope_vnd).mean(axis=-1) * 100.0
    return float(out[0]) if np.ndim(state_share_of_gerd) == 0 else out


def nonstate_share_needed_pct(share_pct: float, gdp_vnd: np.ndarray, envelope_vnd: float, fit_prob_pct: float) -> float:
    """Smallest non-state share (% of GERD) at which the state's part fits the envelope in
    ``fit_prob_pct`` % of simulated GDP outcomes: state = (1 - ns) s GDP <= E  <=>  ns >= 1 - E / (s GDP)."""
    need = 1.0 - envelope_vnd / (gdp_vnd * share_pct / 100.0)
    return float(np.clip(np.percentile(need, fit_prob_pct), 0.0, 1.0) * 100.0)


def exceed_curve(f: "Feasibility", nonstate_pcts: np.ndarray | None = None) -> pd.DataFrame:
    """Probability (%) that the state's part exceeds the planned envelope in the target year,
    for a range of non-state shares reached in the target year."""
    ns = np.arange(0.0, 100.5, 2.5) if nonstate_pcts is None else np.asarray(nonstate_pcts, dtype=float)
    probs = prob_exceeds(1 - ns / 100.0, float(f.path["share_pct"].iloc[-1]), f.sim_gdp_vnd[:, -1], float(f.envelope_plan_vnd[-1]))
    return pd.DataFrame({"nonstate_share_target_pct": ns, "prob_exceeds_pct": probs})


def run(params: dict[str, Any], data: RdData | None = None) -> Feasibility:
    data = data or RdData.load()
    p = dict(params)
    rd_params = {k: p[k] for k in SHARED_NAMES} | {"use_observed_gdp": True}
    rd = resolve_rd(rd_params, data)
    inp = rd.inputs
    path = rd_path(inp)
    p.update({k: rd.params[k] for k in ("base_share_pct", "budget_exp_pct_gdp")})
    n_years = inp.target_year - inp.base_year
    window = p["window_years"] or n_years
    p["window_years"] = window
    required_pp = inp.target_share_pct - inp.base_share_pct
    required_cagr = float(cagr_pct(inp.base_share_pct, inp.target_share_pct, n_years))

    # Historical analogues
    gerd_panel = feasibility.country_panel(datasets.load("wdi_gerd_pct_gdp"))
    windows = feasibility.window_rises(gerd_panel, window)
    placement = feasibility.place_required_rise(windows, required_pp, required_cagr, p["start_share_below_pct"])
    analogues = feasibility.closest_analogues(windows, inp.base_share_pct)
    falls = feasibility.fallbacks(gerd_panel, 0.3)
    gaps = feasibility.vintage_gaps(gerd_panel, datasets.load("gerd_pct_gdp_vintages"), 0.1)

    # Structural benchmark
    pc_panel = feasibility.country_panel(datasets.load("wdi_gdp_per_capita_usd"), "gdp_per_capita_usd")
    panel = structural.build_panel(gerd_panel, pc_panel)
    lin, quad = structural.fit(panel, False), structural.fit(panel, True)
    sfit, alt = (lin, quad) if p["structural_spec"] == "log_linear" else (quad, lin)
    latest_obs = int(sfit.data.loc[sfit.data["entity"] == "VNM", "year"].max())
    gdppc_base = _gdp_per_capita(data.gdp, latest_obs)
    # GDP per person in the target year: GDP in USD grows as in the plan, population at the assumed rate.
    usd_growth = path["gdp_usd_bn"].iloc[-1] / data.gdp_table.loc[latest_obs, "gdp_usd_bn"]
    years_from_obs = inp.target_year - latest_obs
    gdppc_target = gdppc_base * usd_growth / (1 + p["population_growth_pct"] / 100.0) ** years_from_obs
    now = structural.predict_share(sfit, gdppc_base, latest_obs, p["interval_pct"])
    target = structural.predict_share(sfit, gdppc_target, inp.target_year, p["interval_pct"])
    resid = structural.residual(sfit, "VNM", latest_obs)

    # GDP uncertainty
    growth_hist = data.gdp_table["real_growth_pct"].loc[p["growth_sample_start"]:]
    model = growth_sim.fit_growth_model(growth_hist, p["growth_max_ar_order"])
    last_hist = int(growth_hist.dropna().index.max())
    expected_last = inp.observed_years[-1] if inp.observed_years else inp.base_year
    if last_hist != expected_last:
        raise ParameterError(
            "base_year", f"the growth model's history ends in {last_hist} but the path's official years end in {expected_last}",
            "a base year whose official GDP years reach the end of the growth history",
        )
    growth, core = simulate_gdp(rd, model, p["n_simulations"], p["seed"])
    shares = path["share_pct"].to_numpy()
    ns = path["nonstate_share_pct"].to_numpy()
    gerd_vnd = core["gdp_vnd_bn"] * shares / 100.0
    gerd_usd = core["gdp_usd_bn"] * shares / 100.0
    state_vnd = gerd_vnd * (1 - ns / 100.0)
    envelope = path["envelope_vnd_bn"].to_numpy()

    lo_q, hi_q = (100 - p["interval_pct"]) / 2, 100 - (100 - p["interval_pct"]) / 2
    qs = (lo_q, 50.0, hi_q)
    gt_vnd = np.percentile(gerd_vnd[:, -1], qs)
    gt_usd = np.percentile(gerd_usd[:, -1], qs)
    gdp_t = np.percentile(core["gdp_vnd_bn"][:, -1], qs)
    f = Feasibility(
        rd=rd, path=path, params=p, required_pp=required_pp, required_cagr_pct=required_cagr, window_years=window,
        windows=windows, placement=placement, analogues=analogues, fallbacks=falls, vintage_gaps=gaps,
        structural_fit=sfit, structural_alt_fit=alt, structural_now=now, structural_target=target,
        vietnam_residual=resid, vietnam_gdppc_base=gdppc_base, vietnam_gdppc_target=float(gdppc_target),
        growth_model=model, years=[int(y) for y in inp.years], sim_growth=growth, sim_gdp_vnd=core["gdp_vnd_bn"],
        sim_gerd_vnd=gerd_vnd, sim_gerd_usd=gerd_usd, sim_state_gerd_vnd=state_vnd, envelope_plan_vnd=envelope,
    )
    f.summary = {
        "required_increase_pp": required_pp,
        "required_share_cagr_pct": required_cagr,
        "window_years": window,
        **placement,
        "structural_spec": p["structural_spec"],
        "structural_elasticity": sfit.elasticity,
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
        "growth_model": model.summary_row(),
        "n_simulations": p["n_simulations"],
        "seed": p["seed"],
        "gdp_target_vnd_bn_p10": float(gdp_t[0]), "gdp_target_vnd_bn_p50": float(gdp_t[1]), "gdp_target_vnd_bn_p90": float(gdp_t[2]),
        "gerd_target_vnd_bn_p10": float(gt_vnd[0]), "gerd_target_vnd_bn_p50": float(gt_vnd[1]), "gerd_target_vnd_bn_p90": float(gt_vnd[2]),
        "gerd_target_usd_bn_p10": float(gt_usd[0]), "gerd_target_usd_bn_p50": float(gt_usd[1]), "gerd_target_usd_bn_p90": float(gt_usd[2]),
        "gerd_target_vnd_bn_plan": float(path["gerd_vnd_bn"].iloc[-1]),
        "envelope_target_vnd_bn_plan": float(envelope[-1]),
        "prob_state_gerd_exceeds_envelope_pct": float((state_vnd[:, -1] > envelope[-1]).mean() * 100),
        "prob_state_gerd_exceeds_envelope_any_year_pct": float((state_vnd > envelope).any(axis=1).mean() * 100),
        "nonstate_share_needed_p50_pct": nonstate_share_needed_pct(shares[-1], core["gdp_vnd_bn"][:, -1], envelope[-1], 50),
        "nonstate_share_needed_p90_pct": nonstate_share_needed_pct(
            shares[-1], core["gdp_vnd_bn"][:, -1], envelope[-1], p["interval_pct"] + (100 - p["interval_pct"]) / 2),
    }
    return f


FEAS_SPEC = register(
    NotebookSpec(
        name="rd_feasibility",
        notebook="02_rd_feasibility.ipynb",
        title="Is R&D spending of 2% of GDP by 2030 feasible?",
        params=FEAS_PARAMS,
        check=_check_rd,
        preflight=lambda p: resolve_rd({k: p[k] for k in SHARED_NAMES} | {"use_observed_gdp": True}),
        description="Whether any country has climbed as fast, what Viet Nam's income predicts, and how GDP uncertainty moves the money needed.",
    )
)
