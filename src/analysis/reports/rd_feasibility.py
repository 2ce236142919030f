"""The feasibility report (``rd_feasibility``): its parameters and computations.

Three questions, one module each: has any country climbed that fast
(:mod:`analysis.models.feasibility`), what share does Viet Nam's income predict
(:mod:`analysis.models.structural`), and how uncertain is the GDP the target rides on
(:mod:`analysis.models.growth_sim`). The GDP and GERD arithmetic is notebook 01's
(:func:`analysis.models.path_core.gdp_core`, :func:`analysis.models.rd_model.share_path`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from analysis.data import datasets, observed
from analysis.errors import ParameterError
from analysis.i18n import N_, _, country, fmt
from analysis.models import decomposition, feasibility, growth_sim, peers, structural
from analysis.models.path_core import cagr_pct
from analysis.models.rd_model import rd_path
from analysis.reports import params
from analysis.reports.params import INTERVAL_PCT, KeyFigure, NotebookSpec, ParamSpec, register
from analysis.reports.rd_paths import RD_DATASETS, RD_PARAMS, RdData, RdResolved, _check_rd
from analysis.reports.rd_paths import resolve as resolve_rd

_SHARED = {p.name: p for p in RD_PARAMS}
SHARED_NAMES = (
    "base_year",
    "base_share_pct",
    "gerd_series",
    "target_share_pct",
    "target_year",
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
)
# -- reader text the report shows from data: codes and English names, listed once for the catalogue --------

# how a peer was aligned and its group (analysis.models.peers: English in results.json)
HOW_WORDS = (
    N_("no data"),
    N_("observed start"),
    N_("interpolated"),
    N_("not found in the WDI GERD series"),
    N_("named peer"),
    N_("fast climber"),
)
HOW_ALREADY_ABOVE = N_("first observation ({year}) already {share}%")  # peers.HOW_ALREADY_ABOVE
HOW_NEVER_REACHED = N_("never reached {level}% (latest {latest}% in {year})")  # peers.HOW_NEVER_REACHED
# kinds of window end point (analysis.models.feasibility.WINDOW_KINDS) and the count table's total rows
END_POINTS = (N_("exact"), N_("interpolated"), N_("nearest"), N_("all"), N_("all, no coverage jump"))
# status of a year in the researcher and spending-per-researcher tables
STATUSES = (N_("observed"), N_("estimate"), N_("required"))
# the two decompositions of the required growth and their parts (decomposition.decompose)
DECOMPOSITIONS = (N_("GDP x intensity"), N_("researchers x spending per researcher"))
COMPONENTS = (
    N_("R&D spending (GERD, current VND)"),
    N_("real GDP"),
    N_("GDP prices (deflator)"),
    N_("R&D intensity (share of GDP)"),
    N_("population"),
    N_("researchers per person"),
    N_("real spending per researcher"),
)
# path shapes and benchmark forms as words (analysis.reports.words.display_name gives the English)
SHAPES_AND_FORMS = (
    N_("linear"),
    N_("geometric"),
    N_("logistic (S-curve)"),
    N_("back-loaded"),
    N_("log-linear"),
    N_("log-quadratic"),
)
# columns of the fitted growth model's summary row (growth_sim.GrowthModel.summary_row)
GROWTH_MODEL_COLUMNS = (
    N_("model"),
    N_("sample"),
    N_("observations"),
    N_("mean growth, %"),
    N_("AR coefficients"),
    N_("shock s.d., pp"),
    N_("AIC"),
    N_("Ljung-Box p-value"),
    N_("none"),
)
# rows of the structural benchmark's diagnostics (structural.diagnostics)
DIAGNOSTICS_ROWS = (
    N_("specification"),
    N_("countries"),
    N_("years"),
    N_("income elasticity at Viet Nam's income"),
    N_("elasticity 95% CI"),
    N_("R-squared"),
    N_("residual s.d. (log points)"),
    N_("squared term"),
    N_("squared term p-value"),
)
RANGE = N_("{lo} to {hi}")  # a confidence interval in a table cell: "0.62 to 0.80"


# a number in Python's format ``spec`` with the current language's separators (one formatter: analysis.i18n)
g = fmt.general


def cell(decimals: int):  # -> Callable[[Any], str]
    """A table-cell format: a number with ``decimals`` in the current language (``0.41`` / ``0,41``)."""
    return lambda v: fmt.num(v, decimals)


def how_text(how: str) -> str:
    """How a peer was aligned (the peer table's ``how``, English in results.json) for readers."""
    if m := re.fullmatch(r"first observation \((\d+)\) already ([\d.]+)%", how):
        return _(HOW_ALREADY_ABOVE).format(year=fmt.year(int(m[1])), share=fmt.num(float(m[2]), 2))
    if m := re.fullmatch(r"never reached ([\d.]+)% \(latest ([\d.]+)% in (\d+)\)", how):
        return _(HOW_NEVER_REACHED).format(
            level=fmt.num(float(m[1]), 2), latest=fmt.num(float(m[2]), 2), year=fmt.year(int(m[3]))
        )
    return _(how)


def economy_codes(f: Feasibility) -> dict[str, str]:
    """English economy name -> ISO3 code, for every economy the report names."""
    frames = (
        f.windows,
        f.peer_table,
        f.reached_at_income,
        f.fallbacks,
        f.vintage_gaps,
        f.analogues,
        f.fastest_from_level,
    )
    codes: dict[str, str] = {}
    for df in frames:
        if len(df) and {"entity", "entity_name"} <= set(df.columns):
            codes.update(zip(df["entity_name"].astype(str), df["entity"].astype(str), strict=True))
    return codes


def economy(name: str, codes: dict[str, str]) -> str:
    """An economy's English name (as the data spell it) in the current language: CLDR's name by its code."""
    return country(codes.get(name, name), name)


FEAS_PARAMS: tuple[ParamSpec, ...] = tuple(_SHARED[n] for n in SHARED_NAMES) + (
    ParamSpec(
        "window_years",
        "int",
        None,
        "years",
        N_("Length of the historical windows compared with the required climb."),
        "Empty means target_year minus base_year, the time Viet Nam has.",
        lo=1,
        hi=27,
        nullable=True,
        null_means="target_year - base_year",
    ),
    ParamSpec(
        "start_share_below_pct",
        "float",
        1.0,
        "% of GDP",
        N_("Windows that started below this share count as 'low-start' analogues."),
        "1% of GDP separates economies building an R&D system from those that have one.",
        lo=0.05,
        hi=5.0,
    ),
    ParamSpec(
        "population_growth_pct",
        "float",
        1.0,
        "% per year",
        N_("Population growth used to turn projected GDP into GDP per person for the structural benchmark."),
        "About the 2014-2024 average of 0.97% a year (World Bank WDI SP.POP.TOTL).",
        lo=-2.0,
        hi=4.0,
    ),
    ParamSpec(
        "structural_spec",
        "str",
        "aic",
        "",
        N_(
            "Benchmark form: 'aic' (the form with the lower AIC), 'log_linear' (log share on log income) or "
            "'log_quadratic' (adds the squared term)."
        ),
        "The same information criterion the growth model uses to choose its order; both forms are shown in the "
        "diagnostics.",
        choices=("aic", "log_linear", "log_quadratic"),
    ),
    ParamSpec(
        "growth_sample_start",
        "int",
        2000,
        "year",
        N_("First year of the real-growth history the GDP model is fitted on (the sample ends with GSO's 2025)."),
        "2000 leaves out the transition years of the early 1990s and the Asian-crisis swing.",
        lo=1991,
        hi=2012,
    ),
    ParamSpec(
        "growth_max_ar_order",
        "int",
        2,
        "",
        N_("Highest autoregressive order tried for growth; the lowest-AIC order is used."),
        "Annual growth has little memory; orders above 2 cannot be estimated well from about 25 years.",
        lo=0,
        hi=3,
    ),
    ParamSpec(
        "jump_flag_pct_per_year",
        "float",
        40.0,
        "% per year",
        N_(
            "A change in the GERD share between consecutive observations (at most two years apart) at least this "
            "fast, up or down (annualised), is flagged as a possible change in survey coverage; windows containing "
            "one are counted with and without."
        ),
        "The WDI bulk files carry no series-break flags. The fastest sustained climbs on record (Thailand "
        "2013-2020, China 1998-2005) averaged 10-17% a year; a step of 40% or more in a year is more often "
        "new sectors or a new method in the survey (Viet Nam 2011-2013: 0.15% to 0.30%) than new spending.",
        lo=5.0,
        hi=500.0,
    ),
    ParamSpec(
        "deflator_sd_pp",
        "float",
        1.7,
        "percentage points",
        N_(
            "Standard deviation of the yearly shock to GDP-deflator inflation around its assumed path, in the simulation."
        ),
        "The standard deviation of Viet Nam's GDP-deflator inflation 2013-2025 (WDI and GSO GDP, about 1.7 "
        "points); 2011-2012 (21% and 9%) are left out as a past regime, which would give 5.2.",
        lo=0.0,
        hi=20.0,
    ),
    ParamSpec(
        "depreciation_sd_pp",
        "float",
        1.0,
        "percentage points",
        N_(
            "Standard deviation of the yearly shock to the dong's depreciation against the dollar around its "
            "assumed path, in the simulation."
        ),
        "The standard deviation of the implied VND/USD depreciation 2013-2025 (WDI and GSO GDP in VND and "
        "USD, about 1.0 point); with 2011-2012 it would be 2.5.",
        lo=0.0,
        hi=20.0,
    ),
    ParamSpec(
        "price_shock_persistence",
        "float",
        0.0,
        "",
        N_("Share of last year's inflation and depreciation shock that carries into this year (AR(1) coefficient)."),
        "The lag-one autocorrelations of both rates over 2013-2025 are near zero (-0.01 and 0.12).",
        lo=0.0,
        hi=0.95,
    ),
    ParamSpec(
        "researchers_target_per_10k",
        "float",
        12.0,
        "researchers per 10,000 people",
        N_("Researchers per 10,000 people to reach by researchers_target_year, for the decomposition."),
        "Resolution 57 (as worded in MOST's 2025 plan): R&D human resources of 12 per 10,000 people. The "
        "basis (full-time equivalent or headcount) is not stated; the data (UIS via WDI) are FTE researchers.",
        lo=0.1,
        hi=200.0,
    ),
    ParamSpec(
        "researchers_target_year",
        "int",
        2030,
        "year",
        N_("Year the researcher target is reached; the density is held at the target after it."),
        "Resolution 57 sets the researcher target for 2030.",
        lo=2011,
        hi=2060,
    ),
    ParamSpec(
        "researchers_trend_years",
        "int",
        10,
        "years",
        N_(
            "Years of history whose average growth carries researchers per million from the last survey to the "
            "base year (an estimate)."
        ),
        "2013-2023 covers five biennial surveys with one method; 2002-2013 mixes an early survey.",
        lo=2,
        hi=21,
    ),
    ParamSpec(
        "peer_economies",
        "str",
        "CHN,KOR,THA,MYS",
        "ISO3 codes",
        N_("Economies always drawn as peers (comma-separated ISO3 codes), besides the fastest climbers."),
        "China, Korea, Thailand and Malaysia climbed from Viet Nam's income or level in Asia; Korea's WDI "
        "series starts above Viet Nam's level, which the report says.",
    ),
    ParamSpec(
        "peer_level_tolerance_pct",
        "float",
        10.0,
        "% of the level",
        N_(
            "A peer whose first observation is within this distance of Viet Nam's starting level is aligned at that "
            "first year (it may have started just below or above); further above, it is not aligned by level."
        ),
        "10% is about the survey-to-survey noise of a low R&D share (Viet Nam's own 2017-2023 values moved "
        "within 0.417-0.425, and vintages differ by more).",
        lo=0.0,
        hi=50.0,
    ),
    ParamSpec(
        "n_fast_climbers",
        "int",
        3,
        "economies",
        N_("How many of the fastest climbers from near Viet Nam's level the window search adds to the peers."),
        "Three keeps the peer chart readable beside the four named economies.",
        lo=0,
        hi=10,
    ),
    ParamSpec(
        "n_simulations",
        "int",
        20000,
        "paths",
        N_("Number of simulated GDP growth paths."),
        "20,000 paths put the 10th and 90th percentiles within about 0.5% of their limit.",
        lo=100,
        hi=1_000_000,
    ),
    ParamSpec(
        "seed",
        "int",
        57,
        "",
        N_("Seed of the random number generator: the same seed gives the same simulation."),
        "Any fixed number makes the report reproducible; 57 for the Resolution.",
        lo=0,
        hi=2**32 - 1,
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
    exceed_curve: pd.DataFrame  # P(state part > envelope) in the target year by non-budget share
    window_counts: pd.DataFrame = field(default_factory=pd.DataFrame)
    coverage_jumps: pd.DataFrame = field(default_factory=pd.DataFrame)
    reached_at_income: pd.DataFrame = field(default_factory=pd.DataFrame)
    decomposition: pd.DataFrame = field(default_factory=pd.DataFrame)
    researchers: pd.DataFrame = field(default_factory=pd.DataFrame)  # year, value (per million), status
    researcher_history: dict[str, Any] = field(default_factory=dict)
    spending_per_researcher: pd.DataFrame = field(default_factory=pd.DataFrame)
    peer_paths: pd.DataFrame = field(default_factory=pd.DataFrame)
    peer_table: pd.DataFrame = field(default_factory=pd.DataFrame)
    peer_income_paths: pd.DataFrame = field(default_factory=pd.DataFrame)  # aligned at Viet Nam's income
    fastest_from_level: pd.DataFrame = field(default_factory=pd.DataFrame)
    sim_deflator: np.ndarray | None = None
    sim_depreciation: np.ndarray | None = None
    sim_gdp_vnd_real_only: np.ndarray | None = None
    summary: dict[str, Any] = field(default_factory=dict)


def _gdp_per_capita(gdp: pd.DataFrame, year: int) -> float:
    rows = gdp[
        (gdp["indicator"] == "gdp_per_capita_usd") & (gdp["year"] == year) & gdp["source"].str.startswith("World Bank")
    ]
    if rows.empty:
        raise ParameterError("base_year", f"no World Bank GDP per capita for {year}", "a year the WDI covers")
    return float(rows["value"].iloc[0])


MAX_WINDOW_YEARS = 27  # window_years' upper limit: the longest span the historical GERD panel covers


def _check_feasibility(p: dict[str, Any]) -> None:
    """rd_paths' rules, plus: the historical window (by default target_year - base_year) must be one
    the panel has, else the comparison fails inside the kernel."""
    _check_feas(p)
    span = p["target_year"] - p["base_year"]
    if p["window_years"] is None and span > MAX_WINDOW_YEARS:
        raise ParameterError(
            "target_year",
            f"{p['target_year']} is {span} years after base_year {p['base_year']}, longer than any "
            f"historical window ({MAX_WINDOW_YEARS} years) the feasibility comparison can use",
            f"a year up to {p['base_year'] + MAX_WINDOW_YEARS}, or set window_years (1 to {MAX_WINDOW_YEARS})",
        )


def run(params: dict[str, Any], data: RdData | None = None) -> Feasibility:
    data = data or RdData.load()
    p = dict(params)
    rd = resolve_rd(rd_params_of(p), data)
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
    windows = feasibility.window_rises_tolerant(gerd_panel, window)
    jumps = feasibility.coverage_jumps(gerd_panel, p["jump_flag_pct_per_year"])
    windows["coverage_jump"] = feasibility.flag_windows(windows, jumps)
    placement = feasibility.place_required_rise(windows, required_pp, required_cagr, p["start_share_below_pct"])
    counts = feasibility.window_count_table(windows, required_pp, p["start_share_below_pct"])
    by_econ = feasibility.placement_by_economy(windows, required_pp, p["start_share_below_pct"])
    by_econ_clean = feasibility.placement_by_economy(
        windows, required_pp, p["start_share_below_pct"], exclude_flagged=True
    )
    analogues = feasibility.closest_analogues(windows, inp.base_share_pct)
    falls = feasibility.fallbacks(gerd_panel, 0.3)
    gaps = feasibility.vintage_gaps(gerd_panel, datasets.load("gerd_pct_gdp_vintages"), 0.1)

    # Structural benchmark
    pc_panel = feasibility.country_panel(datasets.load("wdi_gdp_per_capita_usd"), "gdp_per_capita_usd")
    panel = structural.build_panel(gerd_panel, pc_panel)
    lin, quad = structural.fit(panel, False), structural.fit(panel, True)
    sfit, alt = structural.choose(lin, quad, p["structural_spec"])
    latest_obs = int(sfit.data.loc[sfit.data["entity"] == "VNM", "year"].max())
    gdppc_base = _gdp_per_capita(data.gdp, latest_obs)
    # GDP per person in the target year: GDP in USD grows as in the plan, population at the assumed rate.
    usd_growth = path["gdp_usd_bn"].iloc[-1] / data.gdp_table.loc[latest_obs, "gdp_usd_bn"]
    years_from_obs = inp.target_year - latest_obs
    gdppc_target = gdppc_base * usd_growth / (1 + p["population_growth_pct"] / 100.0) ** years_from_obs
    now = structural.predict_share(sfit, gdppc_base, latest_obs, p["interval_pct"])
    target = structural.predict_share(sfit, gdppc_target, inp.target_year, p["interval_pct"])
    resid = structural.residual(sfit, "VNM", latest_obs)
    reached = feasibility.reached_share_at_income(panel, inp.target_share_pct, gdppc_target)

    # Peers, and where the required growth must come from
    fastest, peer_paths, peer_table, peer_income_paths = peers.peer_table(
        gerd_panel,
        pc_panel,
        inp.base_share_pct,
        window,
        gdppc_base,
        peer_codes(p["peer_economies"]),
        p["n_fast_climbers"],
        p["peer_level_tolerance_pct"] / 100.0,
    )
    pop_obs = data.gdp[(data.gdp["indicator"] == "population") & data.gdp["value"].notna()]
    pop_obs = pop_obs.set_index(pop_obs["year"].astype(int))["value"].sort_index()
    res_obs = feasibility.country_panel(datasets.load("wdi_researchers_per_million"), "researchers_per_million")
    defl_index = (1 + observed.gdp_drivers(data.gdp_table)["deflator_pct"].fillna(0.0) / 100).cumprod()
    share_hist = observed.gerd_share_series(data.gerd, "uis")
    dec = decomposition.researchers_and_spending(
        path,
        res_obs[res_obs["entity"] == "VNM"].set_index("year")["value"],
        pop_obs,
        (share_hist / 100 * data.gdp_table["gdp_vnd_bn"]).dropna(),
        defl_index,
        population_growth_pct=p["population_growth_pct"],
        target_per_million=p["researchers_target_per_10k"] * 100,
        target_by=p["researchers_target_year"],
        trend_years=p["researchers_trend_years"],
    )
    decomp, dens, history, spr_table = (
        dec["decomposition"],
        dec["researchers"],
        dec["history"],
        dec["spending_per_researcher"],
    )
    d_at = dens.set_index("year")["value"]
    b, t = path.iloc[0], path.iloc[-1]
    n = n_years

    # GDP uncertainty
    growth_hist = data.gdp_table["real_growth_pct"].loc[p["growth_sample_start"] :]
    model = growth_sim.fit_growth_model(growth_hist, p["growth_max_ar_order"])
    last_hist = int(growth_hist.dropna().index.max())
    expected_last = inp.observed_years[-1] if inp.observed_years else inp.base_year
    if last_hist != expected_last:
        raise ParameterError(
            "base_year",
            f"the growth model's history ends in {last_hist} but the path's official years end in {expected_last}",
            "a base year whose official GDP years reach the end of the growth history",
        )
    growth, core = growth_sim.simulate_gdp(
        inp,
        model,
        p["n_simulations"],
        p["seed"],
        1.0,
        p["deflator_sd_pp"],
        p["depreciation_sd_pp"],
        p["price_shock_persistence"],
    )
    _, core_real_only = growth_sim.simulate_gdp(inp, model, p["n_simulations"], p["seed"])
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
        rd=rd,
        path=path,
        params=p,
        required_pp=required_pp,
        required_cagr_pct=required_cagr,
        window_years=window,
        windows=windows,
        placement=placement,
        analogues=analogues,
        fallbacks=falls,
        vintage_gaps=gaps,
        structural_fit=sfit,
        structural_alt_fit=alt,
        structural_now=now,
        structural_target=target,
        vietnam_residual=resid,
        vietnam_gdppc_base=gdppc_base,
        vietnam_gdppc_target=float(gdppc_target),
        growth_model=model,
        years=[int(y) for y in inp.years],
        sim_growth=growth,
        sim_gdp_vnd=core["gdp_vnd_bn"],
        sim_gerd_vnd=gerd_vnd,
        sim_gerd_usd=gerd_usd,
        sim_state_gerd_vnd=state_vnd,
        envelope_plan_vnd=envelope,
        exceed_curve=feasibility.exceed_curve(
            shares[-1], core["gdp_vnd_bn"][:, -1], envelope[-1], np.arange(0.0, 100.01, 0.5)
        ),
        window_counts=counts,
        coverage_jumps=jumps,
        reached_at_income=reached,
        decomposition=decomp,
        researchers=dens,
        researcher_history=history,
        spending_per_researcher=spr_table,
        peer_paths=peer_paths,
        peer_table=peer_table,
        peer_income_paths=peer_income_paths,
        fastest_from_level=fastest,
        sim_deflator=core["deflator_pct"],
        sim_depreciation=core["depreciation_pct"],
        sim_gdp_vnd_real_only=core_real_only["gdp_vnd_bn"],
    )
    gt_real_only = np.percentile(core_real_only["gdp_vnd_bn"][:, -1] * shares[-1] / 100.0, qs)
    comp = decomp.set_index(["decomposition", "component"])["pct_per_year"]
    xi = "GDP x intensity"
    rs = "researchers x spending per researcher"
    f.summary = {
        # the start every R&D report quotes (rd_paths.resolve: nowcast.resolve_start)
        "base_year": inp.base_year,
        "share_base_pct": inp.base_share_pct,
        "start_status": rd.start.status if rd.start is not None else "user",
        "required_increase_pp": required_pp,
        "required_share_cagr_pct": required_cagr,
        "window_years": window,
        **placement,
        "structural_spec": "log_quadratic" if "lgdp2" in sfit.spec else "log_linear",
        "structural_spec_rule": p["structural_spec"],
        "structural_elasticity": sfit.elasticity(gdppc_base),  # at Viet Nam's income
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
        "gdp_target_vnd_bn_p10": float(gdp_t[0]),
        "gdp_target_vnd_bn_p50": float(gdp_t[1]),
        "gdp_target_vnd_bn_p90": float(gdp_t[2]),
        "gerd_target_vnd_bn_p10": float(gt_vnd[0]),
        "gerd_target_vnd_bn_p50": float(gt_vnd[1]),
        "gerd_target_vnd_bn_p90": float(gt_vnd[2]),
        "gerd_target_usd_bn_p10": float(gt_usd[0]),
        "gerd_target_usd_bn_p50": float(gt_usd[1]),
        "gerd_target_usd_bn_p90": float(gt_usd[2]),
        "gerd_target_vnd_bn_plan": float(path["gerd_vnd_bn"].iloc[-1]),
        "envelope_target_vnd_bn_plan": float(envelope[-1]),
        "prob_state_gerd_exceeds_envelope_pct": float((state_vnd[:, -1] > envelope[-1]).mean() * 100),
        "prob_state_gerd_exceeds_envelope_any_year_pct": float((state_vnd > envelope).any(axis=1).mean() * 100),
        "gerd_target_vnd_bn_real_growth_only_p10": float(gt_real_only[0]),
        "gerd_target_vnd_bn_real_growth_only_p90": float(gt_real_only[2]),
        "deflator_sd_pp": p["deflator_sd_pp"],
        "depreciation_sd_pp": p["depreciation_sd_pp"],
        "windows_by_kind": {r["end points"]: int(r["windows"]) for r in counts.to_dict(orient="records")},
        "economies_total": by_econ["economies"],
        "economies_reaching": by_econ["economies_reaching"],
        "low_start_economies": by_econ["low_start_economies"],
        "low_start_economies_reaching": by_econ["low_start_economies_reaching"],
        "economies_reaching_without_coverage_jumps": by_econ_clean["economies_reaching"],
        "economies_reaching_names_without_coverage_jumps": by_econ_clean["economies_reaching_names"],
        "windows_with_coverage_jump": int(windows["coverage_jump"].sum()),
        "coverage_jumps_flagged": len(jumps),
        "vietnam_coverage_jumps": [f"{r.from_year}-{r.to_year}" for r in jumps[jumps["entity"] == "VNM"].itertuples()],
        "economies_reaching_target_at_projected_income": reached.loc[
            reached["at_or_below_income"], "entity_name"
        ].tolist(),
        "lowest_income_reaching_target": (
            {
                "economy": str(reached["entity_name"].iloc[0]),
                "year": int(reached["year"].iloc[0]),
                "gdp_pc_usd": float(reached["gdp_pc_usd"].iloc[0]),
                "share_pct": float(reached["gerd_pct_gdp"].iloc[0]),
            }
            if len(reached)
            else None
        ),
        "decomposition_years": n,
        "gerd_nominal_growth_pct": float(comp[(xi, "R&D spending (GERD, current VND)")]),
        "real_gdp_growth_avg_pct": float(comp[(xi, "real GDP")]),
        "deflator_avg_pct": float(comp[(xi, "GDP prices (deflator)")]),
        "intensity_growth_pct": float(comp[(xi, "R&D intensity (share of GDP)")]),
        "population_growth_avg_pct": float(comp[(rs, "population")]),
        "researcher_density_growth_pct": float(comp[(rs, "researchers per person")]),
        "real_spending_per_researcher_growth_pct": float(comp[(rs, "real spending per researcher")]),
        "intensity_share_of_gerd_growth_pct": float(
            decomp.set_index(["decomposition", "component"]).loc[
                (xi, "R&D intensity (share of GDP)"), "share_of_total_pct"
            ]
        ),
        "researchers_basis": "full-time equivalent (UIS); the Resolution's 12 per 10,000 does not state its basis",
        "researchers_per_10k_base": float(d_at[inp.base_year] / 100),
        "researchers_per_10k_base_status": str(dens.set_index("year").loc[inp.base_year, "status"]),
        "researchers_per_10k_target_year": float(d_at[inp.target_year] / 100),
        "researchers_base": dec["researchers_base"],
        "researchers_target_year": dec["researchers_target"],
        "spending_per_researcher_base_mn_vnd": dec["spr_base"],
        "spending_per_researcher_target_mn_vnd": dec["spr_target"],
        "real_spending_per_researcher_multiple": float(
            dec["spr_target"] / dec["spr_base"] / (t["price_index"] / b["price_index"])
        ),
        "researcher_history": history,
        "economies_crossing_level_with_window": int(len(fastest)),
        "fastest_from_level_economy": str(fastest["entity_name"].iloc[0]) if len(fastest) else None,
        "fastest_from_level_share_pct": float(fastest["share_after_pct"].iloc[0]) if len(fastest) else None,
        "peers_aligned": [
            r.entity_name
            for r in peer_table.itertuples()
            if r.crossing_year is not None and not pd.isna(r.crossing_year)
        ],
        "peers_not_aligned": {
            r.entity_name: r.how for r in peer_table.itertuples() if r.crossing_year is None or pd.isna(r.crossing_year)
        },
        "nonstate_share_needed_p50_pct": feasibility.nonstate_share_needed_pct(
            shares[-1], core["gdp_vnd_bn"][:, -1], envelope[-1], 50
        ),
        "nonstate_share_needed_p90_pct": feasibility.nonstate_share_needed_pct(
            shares[-1], core["gdp_vnd_bn"][:, -1], envelope[-1], p["interval_pct"] + (100 - p["interval_pct"]) / 2
        ),
    }
    return f


def _check_feas(p: dict[str, Any]) -> None:
    _check_rd(p)
    if p["researchers_target_year"] <= p["base_year"]:
        raise ParameterError(
            "researchers_target_year",
            f"{p['researchers_target_year']} is not after base_year {p['base_year']}",
            f"a year from {p['base_year'] + 1}",
        )
    codes = [c.strip() for c in p["peer_economies"].split(",") if c.strip()]
    bad = [c for c in codes if not (len(c) == 3 and c.isascii() and c.isalpha() and c.isupper())]
    if bad:
        raise ParameterError(
            "peer_economies", f"{bad[0]!r} is not an ISO3 code", "comma-separated ISO3 codes such as CHN,KOR"
        )
    if "VNM" in codes:
        raise ParameterError(
            "peer_economies", "Viet Nam is the economy compared, not a peer", "ISO3 codes other than VNM"
        )


def rd_params_of(p: dict[str, Any]) -> dict[str, Any]:
    """The rd_paths parameters this report shares, validated by rd_paths' own spec: any rd_paths
    parameter the feasibility report does not expose takes its rd_paths default."""
    return params.validate("rd_paths", {k: p[k] for k in SHARED_NAMES} | {"use_observed_gdp": True})


def peer_codes(text: str) -> list[str]:
    return [c.strip() for c in text.split(",") if c.strip()]


FEAS_SPEC = register(
    NotebookSpec(
        name="rd_feasibility",
        notebook="02_rd_feasibility.ipynb",
        title=N_("Is the R&D spending target feasible?"),
        params=FEAS_PARAMS,
        check=_check_feasibility,
        preflight=lambda p: resolve_rd(rd_params_of(p)),
        description=N_(
            "Whether any country has climbed as fast, what Viet Nam's income predicts, and how GDP uncertainty moves the money needed."
        ),
        key_figures=(
            KeyFigure(
                "low_start_economies_reaching",
                N_("Economies that climbed as fast from a low start"),
                N_("economies"),
                0,
            ),
            KeyFigure(
                "structural_share_target_pct",
                N_("R&D share Viet Nam's income predicts, % of GDP"),
                N_("% of GDP"),
                2,
            ),
            KeyFigure("gerd_target_usd_bn_p50", N_("R&D in the target year, USD bn (median)"), N_("billion USD"), 1),
            KeyFigure(
                "nonstate_share_needed_p50_pct",
                N_("Non-budget share of R&D at which state R&D fits the whole 3% envelope in half of the outcomes"),
                N_("% of GERD"),
                0,
            ),
        ),
        datasets=(
            *RD_DATASETS,
            "gerd_pct_gdp_vintages",
            "wdi_gdp_per_capita_usd",
            "wdi_gerd_pct_gdp",
            "wdi_researchers_per_million",
        ),
        section=N_("Feasibility of the R&D target"),
        order=30,
    )
)
