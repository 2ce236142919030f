"""The feasibility report (``rd_feasibility``): its parameters and how it words and shows its facts
(:func:`analysis.models.feasibility.assess`).

Three questions, one module each: has any country climbed that fast
(:mod:`analysis.models.feasibility`), what share does Viet Nam's income predict
(:mod:`analysis.models.structural`), and how uncertain is the GDP the target rides on
(:mod:`analysis.models.growth_sim`). The GDP and GERD arithmetic is notebook 01's
(:func:`analysis.models.path_core.gdp_core`, :func:`analysis.models.rd_model.share_path`).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from analysis import i18n
from analysis.data import labels
from analysis.errors import ParameterError
from analysis.i18n import N_, _, country, fmt, ngettext
from analysis.models import decomposition, feasibility, growth_sim, structural
from analysis.models.feasibility import Feasibility
from analysis.models.peers import peer_codes
from analysis.reports import params, rd_paths, sensitivity
from analysis.reports.params import INTERVAL_PCT, KeyFigure, NotebookSpec, ParamSpec, register
from analysis.reports.rd_paths import PER_YEAR, RD_DATASETS, RD_PARAMS, USD_BN, RdData, check_rd, nonstate_floor_pct
from analysis.reports.rd_paths import resolve as resolve_rd
from analysis.reports.render import fixed, frame_records, md, plain_log_ticks, results_record, whole_ticks
from analysis.reports.tables import unmarked
from analysis.reports.words import display_name, say_parts

# rd_paths parameters this report does not expose (rd_params_of fills them in); all others, new ones too, are its own
NOT_SHARED = (
    "nowcast_level",
    "target_gdp_basis",
    "gdp_revision_uplift_pct",
    "use_observed_gdp",
    "soe_funds_as",
    "envelope_rd_share_pct",
)
SHARED_PARAMS = tuple(p for p in RD_PARAMS if p.name not in NOT_SHARED)
SHARED_NAMES = tuple(p.name for p in SHARED_PARAMS)
# -- reader text the report shows from data: codes and English names, listed once for the catalogue --------

# how a peer was aligned, with its numbers in a sentence (in a table cell: labels' "peer_alignment")
HOW_SENTENCES = {
    "already_above": N_("first observation ({first_year:year}) already {first_value:num.2}%"),
    "never_reached": N_("never reached {level:num.2}% (latest {last_value:num.2}% in {last_year:year})"),
}
GROUP_WORDS = (N_("named peer"), N_("fast climber"))  # a peer's group (peers.GROUP_NAMED, GROUP_FAST)
# kinds of window end point (analysis.models.feasibility.WINDOW_KINDS) and the count table's total rows
END_POINTS = (N_("exact"), N_("interpolated"), N_("nearest"), N_("all"), N_("all, no coverage jump"))
# the codes of decomposition.decompose in words: each decomposition and its chart label, each part and its colour
DECOMPOSITIONS = {
    "gdp_x_intensity": (N_("GDP x intensity"), N_("GDP x intensity")),
    "researchers_x_spending": (
        N_("researchers x spending per researcher"),
        N_("researchers x spending\nper researcher"),
    ),
}
COMPONENTS = {
    "real_gdp": (N_("real GDP"), "#4C72B0"),
    "gdp_prices": (N_("GDP prices (deflator)"), "#8C8C8C"),
    "intensity": (N_("R&D intensity (share of GDP)"), "#C44E52"),
    "population": (N_("population"), "#55A868"),
    "researcher_density": (N_("researchers per person"), "#64B5CD"),
    "real_spending_per_researcher": (N_("real spending per researcher"), "#DD8452"),
    decomposition.TOTAL: (N_("R&D spending (GERD, current VND)"), ""),
}


def decomposition_words(dec: pd.DataFrame) -> pd.DataFrame:
    """The decomposition with its codes in English words, as its CSV and results.json name them."""
    return dec.assign(
        decomposition=[DECOMPOSITIONS[c][0] for c in dec["decomposition"]],
        component=[COMPONENTS[c][0] for c in dec["component"]],
    )


# rows of the structural benchmark's diagnostics (structural.diagnostics)
DIAGNOSTICS_ROWS = (
    N_("specification"),
    N_("income elasticity at Viet Nam's income"),
    N_("elasticity 95% CI, low"),
    N_("elasticity 95% CI, high"),
    N_("R-squared"),
    N_("residual s.d. (log points)"),
    N_("squared term"),
    N_("squared term p-value"),
)


def how_text(row: dict[str, Any], level: float) -> str:
    """How a peer was aligned at ``level`` (% of GDP) for readers: a row of the peer table (its ``how`` code and
    its first and last observation)."""
    code = row["how"]
    if code in HOW_SENTENCES:
        return _(HOW_SENTENCES[code]).format_map({**row, "level": level})
    return labels.label("peer_alignment", code)


def peer_records(table: pd.DataFrame, level: float) -> pd.DataFrame:
    """The peer table as results.json gives it, in English in every edition (never marked for the translation
    test): ``how`` in words with its numbers (:func:`how_text`) and ``status``, how without the numbers."""
    with i18n.language("en"):
        how = [unmarked(how_text(r, level)) for r in table.to_dict("records")]
    out = table.drop(columns=["first_value", "last_value"]).assign(how=how)
    out.insert(out.columns.get_loc("group") + 1, "status", table["how"].map(labels.LABELS["peer_alignment"]))
    return out


_RELEASE_WORDS = tuple(
    (re.compile(pattern), lambda m, t=template: _(t).format(**m.groupdict()))
    for pattern, template in (
        (r"earlier \((?P<year>\d{4})\) release, rounded", N_("earlier ({year}) release, rounded")),
        (r"\bWorld Bank WDI (?P<code>[A-Z]{2}(?:\.[A-Z0-9]+)+)", N_("World Bank WDI {code}")),
        (r"\bvia\b", N_("via")),
        (r"\bTable\b", N_("Table")),
    )
)


def release_cell(text: str) -> str:
    """Another release of GERD (``data/raw/gerd_pct_gdp_vintages.csv``): the publication's own title, cited as
    published, with the words around it ('via', 'Table', 'earlier (2025) release, rounded') in the current
    language."""
    return say_parts(text, _RELEASE_WORDS)


MAX_WINDOW_YEARS = 27  # window_years' upper limit: the longest span the historical GERD panel covers
FEAS_PARAMS: tuple[ParamSpec, ...] = SHARED_PARAMS + (
    ParamSpec(
        "window_years",
        "int",
        None,
        "years",
        N_("Length of the historical windows compared with the required climb."),
        "Empty means target_year minus base_year, the time Viet Nam has.",
        lo=1,
        hi=MAX_WINDOW_YEARS,
        nullable=True,
        null_means="target_year - base_year",
    ),
    ParamSpec(
        "start_share_below_pct",
        "float",
        feasibility.LOW_START_PCT,
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
        PER_YEAR,
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
        PER_YEAR,
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
        "Resolution 57: 'Nguồn nhân lực nghiên cứu khoa học, phát triển công nghệ, đổi mới sáng tạo đạt 12 người "
        "trên một vạn dân' (human resources for scientific research, technology development and innovation, 12 per "
        "10,000 people). The basis (full-time equivalent or headcount) is not stated; the data (UIS via WDI) are FTE "
        "researchers.",
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


def _check_feasibility(p: dict[str, Any]) -> None:
    """rd_paths' rules, plus: the historical window (by default target_year - base_year) must be one
    the panel has, else the comparison fails inside the kernel; the researcher target after the base year;
    peers as ISO3 codes other than Viet Nam's."""
    check_rd(p)
    if p["researchers_target_year"] <= p["base_year"]:
        raise ParameterError(
            "researchers_target_year",
            f"{p['researchers_target_year']} is not after base_year {p['base_year']}",
            f"a year from {p['base_year'] + 1}",
        )
    codes = peer_codes(p["peer_economies"])
    bad = [c for c in codes if not (len(c) == 3 and c.isascii() and c.isalpha() and c.isupper())]
    if bad:
        raise ParameterError(
            "peer_economies", f"{bad[0]!r} is not an ISO3 code", "comma-separated ISO3 codes such as CHN,KOR"
        )
    if "VNM" in codes:
        raise ParameterError(
            "peer_economies", "Viet Nam is the economy compared, not a peer", "ISO3 codes other than VNM"
        )
    span = p["target_year"] - p["base_year"]
    if p["window_years"] is None and span > MAX_WINDOW_YEARS:
        raise ParameterError(
            "target_year",
            f"{p['target_year']} is {span} years after base_year {p['base_year']}, longer than any "
            f"historical window ({MAX_WINDOW_YEARS} years) the feasibility comparison can use",
            f"a year up to {p['base_year'] + MAX_WINDOW_YEARS}, or set window_years (1 to {MAX_WINDOW_YEARS})",
        )


def run(params: dict[str, Any], data: RdData | None = None) -> Feasibility:
    """The facts (:func:`analysis.models.feasibility.assess`, numbers and codes) for validated ``params``."""
    data = data or RdData.load()
    rd = resolve_rd(rd_params_of(params), data)
    path = rd.path.copy()  # once (rd_paths.resolve): the budget range and the assessment both read it
    return feasibility.assess(params, rd, data, path, rd_paths.budget_range(rd, data, path))


def rd_params_of(p: dict[str, Any]) -> dict[str, Any]:
    """The rd_paths parameters this report shares, validated by rd_paths' own spec: any rd_paths
    parameter the feasibility report does not expose takes its rd_paths default."""
    return params.validate("rd_paths", {k: p[k] for k in SHARED_NAMES} | {"use_observed_gdp": True})


FEAS_SPEC = register(
    NotebookSpec(
        name="rd_feasibility",
        notebook="02_rd_feasibility.ipynb",
        title=N_("Is the R&D spending target feasible?"),
        params=FEAS_PARAMS,
        check=_check_feasibility,
        preflight=lambda p: resolve_rd(rd_params_of(p), RdData.kept()),
        findings=(
            "feasibility_analogues",
            "feasibility_income",
            "feasibility_size",
            "feasibility_band_record",
            "feasibility_budget",
        ),
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
                "structural_share_target_pct", N_("R&D share Viet Nam's income predicts, % of GDP"), N_("% of GDP"), 2
            ),
            KeyFigure("gerd_target_usd_bn_p50", N_("R&D in the target year, USD bn (median)"), USD_BN, 1),
            KeyFigure(
                "nonstate_share_needed_p50_pct",
                N_(
                    "Non-budget share of R&D at which state R&D fits the whole envelope at the "
                    "{resolution_budget_pct:num}% minimum in half of the outcomes"
                ),
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


def results(f: Feasibility) -> dict[str, Any]:
    """The report's results.json before the tables and charts are listed: every figure of the summary and the
    computed tables (English and codes: an interface, the same in every edition), with the fields every report has
    (:func:`analysis.reports.render.results_record`)."""
    peers = peer_records(f.peer_table, f.summary["share_base_pct"])
    tables = {
        "analogues": f.analogues.set_index("entity"),
        "window_counts": f.window_counts.set_index("end points"),
        "peers": peers.set_index("entity"),
        "decomposition": decomposition_words(f.decomposition).set_index(["decomposition", "component"]),
        "researchers_path": f.researchers.set_index("year"),  # status: observed, estimate or required
        "spending_per_researcher": f.spending_per_researcher.set_index("year"),
        "reached_target_by_income": f.reached_at_income.set_index("entity"),
        "fallbacks": f.fallbacks.set_index("entity"),
        "gdp_band_record": growth_sim.band_table(f.band_cases).set_index("origin"),  # the past bands, one origin a row
    }
    fields = {
        **f.summary,
        "peers_not_aligned": peers[peers["crossing_year"].isna()].set_index("entity_name")["how"].to_dict(),
        "exceed_curve": f.exceed_curve.to_dict(orient="records"),
    }
    return results_record(FEAS_SPEC, f.params, fields | {k: frame_records(v) for k, v in tables.items()})


# -- table shaping: the computed frames as the report's tables (English headers and codes: the CSVs) --


def peer_rows(table: pd.DataFrame) -> pd.DataFrame:
    """The peer table's columns in the order shown, crossing years to one decimal (between surveys: an
    estimate; empty where a peer could not be aligned), how each was aligned as a status without numbers."""
    after = [c for c in table.columns if c.startswith("share_after_")]  # the window and twice it (models.peers)
    out = table.assign(status=table["how"].map(labels.LABELS["peer_alignment"]))[
        [
            "entity_name",
            "group",
            "crossing_year",
            "status",
            *after,
            "gdp_pc_usd_at_crossing",
            "income_crossing_year",
            "share_at_income_crossing_pct",
        ]
    ].copy()
    for c in ("crossing_year", "income_crossing_year"):
        out[c] = out[c].map(lambda v: None if v is None or pd.isna(v) else i18n.rounded(v, 1))
    return out


def fallback_rows(fallbacks: pd.DataFrame, named: list[str], largest: int = 12) -> pd.DataFrame:
    """The ``largest`` falls of ``fallbacks`` (ordered largest first) and every ``named`` economy's, once
    each, largest fall first."""
    rows = pd.concat([fallbacks.head(largest), fallbacks[fallbacks["entity"].isin(named)]])
    return rows.drop_duplicates("entity").sort_values("drop_pp", ascending=False).reset_index(drop=True)


AR_LAG = N_("AR coefficient, lag {k}")


def growth_model_rows(model: growth_sim.GrowthModel) -> pd.DataFrame:
    """The fitted growth model as a one-row table, one value per cell: the sample's first and last years,
    and one column per AR coefficient (none for AR(0))."""
    row = {
        N_("model"): f"AR({model.order})",
        N_("first year"): int(model.history.index.min()),
        N_("last year"): int(model.history.index.max()),
        N_("observations"): int(len(model.history)),
        N_("mean growth, %"): model.mean_pct,
    }
    row |= {AR_LAG.format(k=k): a for k, a in enumerate(model.ar, start=1)}
    row |= {N_("shock s.d., pp"): model.sigma_pct, N_("AIC"): model.aic_by_order[model.order]}
    return pd.DataFrame([row | {N_("Ljung-Box p-value"): model.ljung_box_pvalue}])


def quantile_rows(f: Feasibility) -> pd.DataFrame:
    """The target year's simulated GDP and R&D needed beside the plan, one value per cell: quantity, year, unit,
    the interval's lower bound (column ``p10`` at an 80% interval), the median, the upper bound, the plan."""
    s, plan = f.summary, f.path.iloc[-1]
    lo, hi = growth_sim.band_bounds(s["interval_pct"])
    rows = (
        (N_("GDP"), N_("bn VND"), "gdp_target_vnd_bn", "gdp_vnd_bn"),
        (N_("R&D needed"), N_("bn VND"), "gerd_target_vnd_bn", "gerd_vnd_bn"),
        (N_("R&D needed"), N_("bn USD"), "gerd_target_usd_bn", "gerd_usd_bn"),
    )
    return pd.DataFrame(
        [
            {
                N_("quantity"): q,
                "year": f.inputs.target_year,
                "unit": unit,
                f"p{lo:g}": s[f"{key}_p10"],
                "median": s[f"{key}_p50"],
                f"p{hi:g}": s[f"{key}_p90"],
                "R&D spending paths report's plan": float(plan[column]),
            }
            for q, unit, key, column in rows
        ]
    )


def sweep_rows(grid: pd.DataFrame, path_shape: str) -> pd.DataFrame:
    """The sweep as a table: one row per real GDP growth rate, the average nominal growth of R&D spending
    needed on the ``path_shape`` path, then the steepest year's growth for each path shape (column: the
    shape's English name, ``grid["path shape"]``)."""
    table = grid.pivot(index="real_gdp_growth_pct", columns="path shape", values="max_gerd_growth_pct")
    avg = grid[grid["path_shape"] == path_shape].set_index("real_gdp_growth_pct")["gerd_nominal_cagr_pct"]
    table.insert(0, N_("average growth, % a year"), avg)
    table.index.name = N_("real GDP growth, %")
    table.columns.name = None
    return table


# -- what the notebook shows: each show_*() is called once per language by render.both over one computation --

SRC_WDI_GERD = N_("UNESCO UIS via World Bank WDI (GB.XPD.RSDV.GD.ZS, release 2026-07-13), economies only")
SRC_WDI_PC = N_("World Bank WDI NY.GDP.PCAP.CD (2026-07-13)")
SRC_RES = N_("UNESCO UIS via World Bank WDI SP.POP.SCIE.RD.P6 (2026-07-13), FTE researchers")
SRC_POP = N_("World Bank WDI SP.POP.TOTL to 2024, then the assumed population growth")
SRC_GROWTH = N_("World Bank WDI NY.GDP.MKTP.KD.ZG (2025-12-15) and GSO (2025)")


@dataclass
class Page:
    """What the report's sections are shown from: the computation ``f`` and the ``report`` that collects
    the tables and charts (an :class:`analysis.reports.render.Report`)."""

    f: Feasibility
    report: Any
    codes: dict[str, str] = field(init=False)  # English economy name -> ISO3 code, for every economy named

    def __post_init__(self) -> None:
        f, self.codes = self.f, {}
        for df in (
            f.windows,
            f.peer_table,
            f.reached_at_income,
            f.fallbacks,
            f.vintage_gaps,
            f.analogues,
            f.fastest_from_level,
        ):
            if len(df) and {"entity", "entity_name"} <= set(df.columns):
                self.codes.update(zip(df["entity_name"].astype(str), df["entity"].astype(str), strict=True))

    def names(self) -> tuple[Feasibility, dict[str, Any], dict[str, Any], Any, Any, int, int, int, dict[str, Any]]:
        """(computation, summary, parameters, path inputs, report, target year, base year, window years, facts).

        The facts are the parameters and the summary (numbers for typed fields such as ``{economies_total:num}``),
        ``n_years`` (target minus base year) and the words most sentences quote, in the current language: ``b`` and
        ``t`` (base and target years), ``w`` (window years), ``goal`` (target share), ``interval``, ``below`` (the
        low-start share), ``pp`` (the required rise), ``floor`` (the budget minimum for science) and ``need50`` (the
        non-budget share at which the state's part fits in half of the outcomes, rounded up), passed to every
        template with ``.format(**V, ...)``.
        """
        f, inp = self.f, self.f.inputs
        T, B, S = inp.target_year, inp.base_year, f.summary
        words = {
            "n_years": T - B,
            "b": fmt.year(B),
            "t": fmt.year(T),
            "w": fmt.num(f.params["window_years"]),
            "goal": fmt.sig(inp.target_share_pct) + "%",
            "interval": fmt.sig(S["interval_pct"]) + "%",
            "below": fmt.sig(f.params["start_share_below_pct"]) + "%",
            "pp": fmt.num(S["required_increase_pp"], 2),
            "floor": fmt.sig(inp.science_budget_share_pct) + "%",
            "need50": fmt.pct(math.ceil(S["nonstate_share_needed_p50_pct"]), 0),
        }
        return f, S, f.params, inp, self.report, T, B, f.params["window_years"], f.params | S | words

    def table(self, df: pd.DataFrame, columns: tuple | list = (), formats: dict | None = None, **kw: Any) -> None:
        """Show ``df`` without its index, its headers in the current language (:func:`heads`); ``columns``, rows
        (column, English header, cell format or None), picks, names (the CSV's header) and formats its columns."""
        if columns:
            df = df[[c for c, _h, _f in columns]].set_axis([h for _c, h, _f in columns], axis=1)
            formats = {h: f for _c, h, f in columns if f} | (formats or {})
        self.report.table(df, index=False, labels=heads(df.columns), formats=formats, **kw)

    def eco(self, name: str) -> str:
        """An economy's English name (as the data spell it) in the current language: CLDR's name by its code."""
        return country(self.codes.get(name, name), name)

    def ecos(self, names: list[str]) -> str:
        return ", ".join(self.eco(n) for n in names)


HEAD: dict[str, str] = {}  # English column name (the CSV header) -> the header shown in the current language


# a number of a column's name as shown, by its format in the English name (the CSV's header)
SHOWN = {"g": fmt.sig, "d": fmt.year, ".2f": fixed(2)}


def col(template: str, **values: tuple[Any, str]) -> str:
    """A column name made from an N_() template and (number, format) values, the format one of :data:`SHOWN`:
    the English name (returned) is the CSV's header; the shown header, in the current language, is remembered in
    :data:`HEAD`."""
    english = template.format(**{k: format(v, s) for k, (v, s) in values.items()})
    HEAD[english] = _(template).format(**{k: SHOWN[s](v) for k, (v, s) in values.items()})
    return english


def heads(columns: Any) -> dict[str, str]:
    """Shown headers for ``columns`` (English names marked with N_ or made by :func:`col`)."""
    return {c: HEAD.get(c) or _(c) for c in columns}


def english_name(code: str) -> str:
    """A code's English words (path shape, benchmark form): column names of the CSVs stay English."""
    with i18n.language("en"):
        return display_name(code)


def yes_no(v: Any) -> str:
    """A table cell of a truth value: yes or no in the current language."""
    return _("yes") if v else _("no")


def listed(text: str) -> str:
    """`` (text)``, to follow a word in a sentence; empty when ``text`` is."""
    return f" ({text})" if text else ""


def shape(code: str) -> str:
    """A path shape or benchmark form as words in the current language."""
    return _(english_name(code))


def show_windows(pg: Page) -> None:
    """Section 1: the required climb against every historical window (callout, counts, scatter, histogram)."""
    import seaborn as sns

    F, S, P, inp, report, T, B, W, V = pg.names()
    eco, ecos = pg.eco, pg.ecos
    E = S["windows_by_kind"]
    callout = [
        _(
            "Viet Nam must raise R&D spending by <strong>{pp} percentage points of GDP in {n_years:num} years</strong> "
            "(from {base} in {b}{status} to {goal} in {t})."
        ).format(**V, base=fmt.sig(inp.base_share_pct, 3) + "%", status=start_status_words(S)),
        _(
            "Of <strong>{economies_total:num}</strong> economies with a {w}-year window on record since 1996, "
            "<strong>{economies_reaching:num}</strong> ever rose that much{names}; of the {low_start_economies:num} "
            "that had a window starting below {below} of GDP, <strong>{low_start_economies_reaching:num}</strong> did."
        ).format(**V, names=listed(ecos(S["countries_reaching"])))
        if V["economies_reaching"]
        else _(
            "Of <strong>{economies_total:num}</strong> economies with a {w}-year window on record since 1996, "
            "<strong>none</strong> ever rose that much, nor any of the {low_start_economies:num} that had a window "
            "starting below {below} of GDP."
        ).format(**V),
        (
            _(
                "The largest rise on record is {max_observed_increase_pp:num.2} points, by {country} in "
                "{max_observed_period}, starting from {max_observed_start_pct:pct.1} of GDP; the largest from below "
                "{below} is {max_low_start_increase_pp:num.2} points ({low_country}, {low_period}, a window flagged for "
                "a possible coverage jump); without flagged windows it is {max_low_start_clean_increase_pp:num.2} "
                "points ({clean_country}, {clean_period})."
            )
            if S["max_low_start_flagged"]
            else _(
                "The largest rise on record is {max_observed_increase_pp:num.2} points, by {country} in "
                "{max_observed_period}, starting from {max_observed_start_pct:pct.1} of GDP; the largest from below "
                "{below} is {max_low_start_increase_pp:num.2} points ({low_country}, {low_period})."
            )
        ).format(
            **V,
            country=eco(S["max_observed_country"]),
            low_country=eco(S["max_low_start_country"]) if S["max_low_start_country"] else "",
            low_period=S["max_low_start_period"] or "",
            clean_country=eco(S["max_low_start_clean_country"]) if S["max_low_start_clean_country"] else "",
            clean_period=S["max_low_start_clean_period"] or "",
        ),
        _(
            "In relative terms the required growth of the share, {required_share_cagr_pct:pct.1} a year, was matched "
            "in {share_of_windows_reaching_cagr_pct:pct.1} of windows, almost all from very low starting points."
        ).format_map(V),
    ]
    md("<div class='r57-callout'><p>" + " ".join(callout) + "</p></div>")
    jumps_text = _(
        "**Coverage jumps.** The WDI files carry no flag for a break in a series. A change of {flag} a year or more "
        "between consecutive observations (at most two years apart), up or down, is flagged as a possible change in "
        "what the survey covers: {coverage_jumps_flagged:num} such steps, touching {windows_with_coverage_jump:num} "
        "windows."
    ).format(**V, flag=fmt.sig(P["jump_flag_pct_per_year"]) + "%")
    if S["vietnam_coverage_jumps"]:
        jumps_text += " " + _("Viet Nam's own {vn} step is one of them.").format(
            vn=", ".join(S["vietnam_coverage_jumps"])
        )
    clean_text = _(
        "Without the flagged windows, the number of economies that rose by the required amount is "
        "{economies_reaching_without_coverage_jumps:num}{names}."
    ).format(**V, names=listed(ecos(S["economies_reaching_names_without_coverage_jumps"])))
    md(
        _(
            "**How windows are built.** A window starts at an *observed* value and ends {w} years later. Many economies, "
            "Viet Nam among them, survey R&D every other year, so an end point exactly {w} years later often does not exist. "
            "The end point is therefore: the observation {w} years later where there is one (**exact**, {exact} windows); "
            "otherwise the average of the observations one year before and one year after (**interpolated**, an estimate, "
            "{interpolated} windows); otherwise the one observation a year before or after, making the window one year "
            "shorter or longer (**nearest**, {nearest} windows). The table below counts each kind separately. WDI regional "
            "and income aggregates are excluded."
        ).format(**V, exact=fmt.num(E["exact"]), interpolated=fmt.num(E["interpolated"]), nearest=fmt.num(E["nearest"]))
        + "\n\n"
        + _(
            "**Windows are not independent.** One economy contributes up to one window per observed start year, and its "
            "overlapping windows share most of their years. A share of windows therefore overstates how much evidence there is; "
            "the honest count is of **economies**, shown beside the count of windows."
        )
        + "\n\n"
        + jumps_text
        + " "
        + clean_text
    )
    low = (P["start_share_below_pct"], "g")
    wc_cols = {
        "end points": N_("end points"),
        "windows": N_("windows"),
        "economies": N_("economies"),
        "windows_reaching": N_("windows rising enough"),
        "economies_reaching": N_("economies rising enough"),
        "low_start_windows": col(N_("windows from below {pct}%"), pct=low),
        "low_start_economies": col(N_("economies from below {pct}%"), pct=low),
        "low_start_windows_reaching": col(N_("windows from below {pct}% rising enough"), pct=low),
        "low_start_economies_reaching": col(N_("economies from below {pct}% rising enough"), pct=low),
        "max_rise_pp": N_("largest rise, pp"),
        "max_low_start_rise_pp": col(N_("largest rise from below {pct}%, pp"), pct=low),
    }
    wc = F.window_counts.rename(columns=wc_cols)
    pg.table(
        wc,
        table_id="window_counts",
        title=_("{w}-year windows and the economies behind them, by kind of end point").format(**V),
        note=_(
            "'Rising enough' means by at least {pp} points. 'Interpolated' end points are estimates; "
            "'nearest' windows last {shorter} or {longer} years. The last row leaves out windows containing a flagged coverage jump."
        ).format(**V, shorter=fmt.num(W - 1), longer=fmt.num(W + 1)),
        source=_(SRC_WDI_GERD),
        formats={"end points": _} | {c: fixed(2) for c in wc.columns if c.endswith(", pp")},
    )
    win = F.windows
    start_words = {  # whether a window started below the low-start share
        True: _("started below {pct}").format(pct=V["below"]),
        False: _("started at {pct} or more").format(pct=V["below"]),
    }
    fig, ax = plt.subplots(figsize=(9.5, 5))
    markers = {"exact": "o", "interpolated": "s", "nearest": "^"}
    below = win["start_pct"] < P["start_share_below_pct"]
    for (is_below, kind), grp in win.groupby([below, "end_kind"]):  # one collection per group keeps the SVG small
        ax.scatter(
            grp["start_pct"],
            grp["rise_pp"],
            s=14,
            alpha=0.4,
            lw=0,
            marker=markers[kind],
            color="#4C72B0" if is_below else "#DD8452",
            label=_("{group}, {kind} end").format(group=start_words[is_below], kind=_(kind)),
        )
    jw = win[win["coverage_jump"]]
    ax.scatter(
        jw["start_pct"],
        jw["rise_pp"],
        facecolors="none",
        edgecolors="black",
        s=30,
        lw=0.5,
        label=_("contains a coverage jump"),
    )
    ax.scatter(
        [inp.base_share_pct],
        [S["required_increase_pp"]],
        color="firebrick",
        s=140,
        marker="*",
        zorder=5,
        label=_("Viet Nam, required {b}-{t}").format(**V),
    )
    ax.axhline(S["required_increase_pp"], color="firebrick", lw=0.8, ls="--")
    ax.axhline(0, color="grey", lw=0.8)
    ax.set(
        xlabel=_("R&D spending at the start of the window, % of GDP"),
        ylabel=_("Change over about {w} years, percentage points of GDP").format(**V),
        title=_("Every {w}-year change in R&D intensity on record, and what Viet Nam needs").format(**V),
    )
    ax.legend(title=None, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=7)
    report.figure(
        fig,
        chart_id="windows_scatter",
        title=_(
            "Change in R&D spending (GERD, % of GDP) over every {w}-year window (end point within a year), 1996-2024"
        ).format(**V),
        alt=_(
            "Scatter chart of {windows_total:num} windows in {economies_total:num} economies. Almost all changes lie "
            "between minus one and plus one percentage point; Viet Nam's required rise of {pp} points from a start of "
            "{share_base_pct:pct.2} sits above every window that started below {below}."
        ).format_map(V),
        source=_(SRC_WDI_GERD),
    )
    fig, ax = plt.subplots()
    sns.histplot(F.windows["rise_pp"], bins=60, ax=ax, color="#4C72B0")
    ax.axvline(S["required_increase_pp"], color="firebrick", ls="--")
    ax.annotate(
        _("Viet Nam needs +{pp}").format(**V),
        (S["required_increase_pp"], ax.get_ylim()[1] * 0.9),
        xytext=(-6, 0),
        textcoords="offset points",
        ha="right",
        color="firebrick",
    )
    ax.set(
        xlabel=_("Change over about {w} years, percentage points of GDP").format(**V),
        ylabel=_("Number of windows (overlapping, not independent)"),
        title=_("Distribution of observed changes"),
    )
    report.figure(
        fig,
        chart_id="windows_histogram",
        title=_("How often R&D intensity changed by a given amount over {w} years").format(**V),
        alt=_(
            "Histogram centred just above zero; the required rise of {pp} points is in the far right tail, "
            "beyond {required_increase_percentile:pct.1} of all windows."
        ).format_map(V),
        source=_(SRC_WDI_GERD),
    )


def show_peers(pg: Page) -> None:
    """The closest analogues, and the peers aligned at Viet Nam's level and income (table and chart)."""
    import seaborn as sns

    F, S, P, inp, report, T, B, W, V = pg.names()
    eco = pg.eco
    pg.table(
        F.analogues,
        [
            ("entity_name", N_("economy"), eco),
            ("start_year", N_("from"), None),
            ("end_year", N_("to"), None),
            ("end_kind", N_("end point"), _),
            ("start_pct", N_("start, % of GDP"), fixed(2)),
            ("end_pct", N_("end, % of GDP"), fixed(2)),
            ("rise_pp", N_("rise, pp"), fixed(2)),
            ("share_cagr_pct", N_("share growth, % a year"), fixed(1)),
        ],
        table_id="analogues",
        title=_("Closest analogues: the best {w}-year climb of each economy that started near Viet Nam's level").format(
            **V
        ),
        note=_("Windows starting between {lo} and {hi} of GDP.").format(
            lo=fmt.pct(inp.base_share_pct / 2, 2), hi=fmt.pct(inp.base_share_pct * 2, 2)
        ),
        source=_(SRC_WDI_GERD),
    )
    fast = _("and the {n_fast_climbers:num} economies that stood highest {w} years after crossing that level")
    peer_text = [
        "### " + _("Peers from Viet Nam's level") + "\n",
        _(
            "The chart aligns each peer at the year its R&D intensity first reached Viet Nam's starting level, "
            "{share_base_pct:pct.2} of GDP (interpolated between surveys; year 0), and draws Viet Nam's required path "
            "from {b} on the same axis. Peers: the named economies ({named}){fast}."
        ).format(
            **V,
            named=pg.ecos(peer_codes(P["peer_economies"])),
            fast=" " + fast.format_map(V) if P["n_fast_climbers"] else "",
        ),
    ]
    if S["fastest_from_level_economy"]:
        peer_text.append(
            _(
                "Of the {economies_crossing_level_with_window:num} economies that passed {share_base_pct:pct.2} with "
                "{w} years of data after, the highest stood at **{fastest_from_level_share_pct:pct.2}** of GDP {w} "
                "years later ({economy}); Viet Nam's path needs {goal}."
            ).format(**V, economy=eco(S["fastest_from_level_economy"]))
        )
    unaligned = F.peer_table[F.peer_table["crossing_year"].isna()].to_dict("records")
    if unaligned:
        peer_text.append(
            _(
                "Not aligned: {peers}. The WDI series starts in 1996, so economies already above the level then cannot be "
                "placed by level; the table gives their R&D intensity when they had Viet Nam's income instead."
            ).format(peers="; ".join(f"{eco(r['entity_name'])} ({how_text(r, inp.base_share_pct)})" for r in unaligned))
        )
    md(peer_text[0] + "\n" + " ".join(peer_text[1:]))
    pt = peer_rows(F.peer_table)
    year_1 = partial(fmt.year, decimals=1)  # a fractional year between surveys: 2012.3; blank where none
    income_year = col(N_("year at Viet Nam's {year} income"), year=(S["vietnam_latest_gerd_year"], "d"))
    pg.table(
        pt,
        [
            ("entity_name", N_("economy"), eco),
            ("group", N_("group"), _),
            ("crossing_year", col(N_("year at {level}% of GDP"), level=(inp.base_share_pct, ".2f")), year_1),
            ("status", N_("how found"), _),
            *((f"share_after_{k}y_pct", col(N_("share {n} years later, %"), n=(k, "d")), fixed(2)) for k in (W, 2 * W)),
            ("gdp_pc_usd_at_crossing", N_("GDP per person then, USD"), fixed(0)),
            ("income_crossing_year", income_year, year_1),
            ("share_at_income_crossing_pct", N_("R&D share then, %"), fixed(2)),
        ],
        table_id="peers",
        title=_("Peers: when they stood where Viet Nam stands, and what followed"),
        note=_(
            "Viet Nam's income: USD {vietnam_gdp_per_capita_usd_latest:num} per person in "
            "{vietnam_latest_gerd_year:year} (current dollars; earlier dollars bought more). Shares later than the "
            "crossing are interpolated between surveys where needed; empty where the series does not reach that far "
            "or has no survey within two years."
        ).format_map(V),
        source=f"{_(SRC_WDI_GERD)}; {_(SRC_WDI_PC)}",
    )
    fig, axes = plt.subplots(1, 2, figsize=(12, 5), sharey=True)
    named = set(peer_codes(P["peer_economies"]))
    colours = dict(zip(F.peer_table["entity"], sns.color_palette("tab10", len(F.peer_table)), strict=False))
    panels = (
        (
            axes[0],
            F.peer_paths,
            "years_from_level",
            0,
            _("Years since reaching {share_base_pct:pct.2} of GDP (Viet Nam: since {b})").format_map(V),
            _("Aligned at Viet Nam's starting level, {share_base_pct:pct.2} of GDP").format_map(V),
        ),
        (
            axes[1],
            F.peer_income_paths,
            "years_from_start",
            B - S["vietnam_latest_gerd_year"],
            _(
                "Years since GDP per person reached USD {vietnam_gdp_per_capita_usd_latest:num} "
                "(Viet Nam: since {vietnam_latest_gerd_year:year})"
            ).format_map(V),
            _("Aligned at Viet Nam's {vietnam_latest_gerd_year:year} income").format_map(V),
        ),
    )
    for ax, pp, xcol, vn_offset, xlabel, title in panels:
        for ent, grp in pp.groupby("entity", sort=False):
            name = eco(grp["entity_name"].iloc[0])
            ax.plot(
                grp[xcol],
                grp["value"],
                marker="o",
                ms=3,
                lw=1.6 if ent in named else 1.0,
                color=colours.get(ent),
                ls="-" if ent in named else ":",
                label=name if ent in named else _("{economy} (fast climber)").format(economy=name),
            )
        ax.plot(
            np.asarray(F.years) - B + vn_offset,
            F.path["share_pct"],
            color="black",
            lw=2.5,
            label=_("Viet Nam, required ({shape})").format(shape=shape(inp.path_shape)),
        )
        ax.axhline(inp.base_share_pct, color="grey", lw=0.7, ls="--")
        ax.set(
            xlabel=xlabel,
            title=title,
            xlim=(-3, max(T - B + vn_offset, 10) + 8),
            ylim=(0, max(inp.target_share_pct * 1.35, 1.0)),
        )
        ax.legend(title=None, fontsize=7, loc="upper left")
    axes[0].set_ylabel(_("R&D spending (GERD), % of GDP"))
    fig.suptitle(_("Peers beside Viet Nam's required path"), fontweight="bold")
    inc_known = F.peer_table.dropna(subset=["share_at_income_crossing_pct"])
    top_inc = (
        inc_known.loc[inc_known["share_at_income_crossing_pct"].astype(float).idxmax()] if len(inc_known) else None
    )
    best_after = pt[f"share_after_{W}y_pct"].max() if pt[f"share_after_{W}y_pct"].notna().any() else float("nan")
    if best_after == best_after:
        peer_alt = _(
            "Line chart: peers aligned at the year they reached Viet Nam's starting level. {w} years on, the highest "
            "shown stood at about {best} of GDP; Viet Nam's required path reaches {goal} in {n_years:num} years."
        ).format(**V, best=fmt.pct(best_after, 2))
        if top_inc is not None:
            peer_alt += " " + _(
                "Aligned at Viet Nam's income instead, {economy} spent the most then, {share} of GDP."
            ).format(
                economy=eco(top_inc["entity_name"]), share=fmt.pct(float(top_inc["share_at_income_crossing_pct"]), 2)
            )
    else:
        peer_alt = _(
            "Viet Nam's required path to {goal} in {n_years:num} years; no peer could be aligned at Viet Nam's level for "
            "{w} years."
        ).format_map(V)
    report.figure(
        fig,
        chart_id="peer_paths",
        title=_(
            "R&D intensity (% of GDP) of peers aligned at the year they reached Viet Nam's level (left) or income (right), "
            "with Viet Nam's required path"
        ),
        note=_("Income in current US dollars of each year."),
        alt=peer_alt,
        source=_("{sources}; Viet Nam: r57 path model").format(sources=_(SRC_WDI_GERD)),
    )


def show_fallbacks(pg: Page) -> None:
    """Economies that fell back, and where data releases disagree."""
    F, S, P, inp, report, T, B, W, V = pg.names()
    eco = pg.eco
    named_fb = F.fallbacks[F.fallbacks["entity"].isin(peer_codes(P["peer_economies"]))]
    fb_all = fallback_rows(F.fallbacks, peer_codes(P["peer_economies"]))
    md(
        "; ".join(
            _(
                "{economy} fell from {peak_pct:pct.2} in {peak_year:year} to {later_pct:pct.2} in {later_year:year}"
            ).format(**r._asdict(), economy=eco(r.entity_name))
            for r in named_fb.itertuples()
        )
        + "."
        if len(named_fb)
        else _("None of the named peers fell back by 0.3 points or more.")
    )
    pg.table(
        fb_all,
        [
            ("entity_name", N_("economy"), eco),
            ("peak_year", N_("peak year"), None),
            ("peak_pct", N_("peak, % of GDP"), fixed(2)),
            ("later_year", N_("later year"), None),
            ("later_pct", N_("later, % of GDP"), fixed(2)),
            ("drop_pp", N_("fall, pp"), fixed(2)),
        ],
        table_id="fallbacks",
        title=_("Economies whose R&D intensity fell back by 0.3 points or more"),
        note=_("The twelve largest falls and every named peer that fell back."),
        source=_(SRC_WDI_GERD),
    )
    pg.table(
        F.vintage_gaps,
        [
            ("entity_name", N_("economy"), eco),
            ("year", N_("year"), None),
            ("wdi_pct", N_("WDI 2026, %"), fixed(2)),
            ("other_pct", N_("other release, %"), fixed(2)),
            ("gap_pp", N_("difference, pp"), partial(fmt.signed, decimals=2)),
            ("other_source", N_("other release"), release_cell),
        ],
        table_id="vintage_gaps",
        title=_("Where releases disagree by 0.1 point or more"),
        source=_("World Bank WDI 2026-07-13 against OECD MSTI / NSF NCSES and earlier WDI releases"),
    )


def show_growth_sources(pg: Page) -> None:
    """Section 2: the required growth split into its parts; researchers and spending per researcher."""
    F, S, P, inp, report, T, B, W, V = pg.names()
    H = S["researcher_history"]
    hist_years = H["years"] if H else ""
    base_status = S["researchers_per_10k_base_status"]  # observed or estimate
    p1 = _(
        "From {b} to {t}, R&D spending must grow **{gerd_nominal_growth_pct:pct.1} a year in current dong**: real GDP "
        "{real_gdp_growth_avg_pct:pct.1} a year, GDP prices {deflator_avg_pct:pct.1} and R&D intensity "
        "**{intensity_growth_pct:pct.1}**, which is {intensity_share_of_gerd_growth_pct:pct.0} of the required growth: "
        "faster GDP growth helps only a little."
    ).format_map(V)
    values = V | {
        "status": _(base_status),
        "goal": fmt.sig(P["researchers_target_per_10k"]),
        "goal_year": fmt.year(P["researchers_target_year"]),
        "years": hist_years,
        **{
            f"h_{k}": fmt.pct(H[f"{k}_pct"], 1) for k in ("density", "researchers", "real_spending_per_researcher") if H
        },
    }
    p2 = _(
        "Researchers per 10,000 people must go from {researchers_per_10k_base:num.2} in {b} ({status}) to "
        "{researchers_per_10k_target_year:num.1} in {t} (the Resolution's {goal} by {goal_year}), "
        "**{researcher_density_growth_pct:pct.1} a year**; with the population growing "
        "{population_growth_avg_pct:pct.2} a year the number of researchers rises from about {researchers_base:num} "
        "to {researchers_target_year:num}. Even with that many more researchers, **real spending per researcher must "
        "grow {real_spending_per_researcher_growth_pct:pct.1} a year**: from about "
        "{spending_per_researcher_base_mn_vnd:num} million dong a year per researcher in {b} to "
        "{spending_per_researcher_target_mn_vnd:num} million in {t} (current prices), about "
        "**{real_spending_per_researcher_multiple:num.1} times** as much per researcher in real terms. Meeting the "
        "researcher target does not make the spending target easier: most of the money must go to researchers "
        "already counted."
    ).format_map(values)
    if H:
        p2 += " " + _(
            "For comparison, in {years} researchers per 10,000 people grew {h_density} a year, the number of "
            "researchers {h_researchers} a year and real spending per researcher {h_real_spending_per_researcher} a year."
        ).format(**values)
    md(p1 + "\n\n" + p2)
    sources = {"res": _(SRC_RES), "pop": _(SRC_POP)}
    pg.table(
        decomposition_words(F.decomposition),
        [
            ("decomposition", N_("decomposition"), _),
            ("component", N_("component"), _),
            ("log_points_per_year", N_("log points a year"), fixed(4)),
            ("pct_per_year", N_("% a year"), fixed(1)),
            ("share_of_total_pct", N_("share of the required growth, %"), fixed(1)),
        ],
        table_id="decomposition",
        title=_("The required growth of R&D spending, {b}-{t}, split two ways").format(**V),
        note=_(
            "In each decomposition the log points of the parts add up to the total exactly. Years after the last "
            "observation are required or assumed, not observed."
        ),
        source=_(
            "r57 path model (the R&D spending paths report's assumptions); researchers: {res}; population: {pop}"
        ).format_map(sources),
    )
    fig, ax = plt.subplots(figsize=(9, 3.6))
    for i, (_code, part) in enumerate(F.decomposition.groupby("decomposition", sort=False)):
        left = 0.0
        for r in part[part["component"] != decomposition.TOTAL].itertuples():
            words, colour = COMPONENTS[r.component]
            ax.barh(
                i,
                r.share_of_total_pct,
                left=left,
                color=colour,
                edgecolor="white",
                label=_(words) if _(words) not in ax.get_legend_handles_labels()[1] else None,
            )
            if abs(r.share_of_total_pct) >= 6:
                ax.text(
                    left + r.share_of_total_pct / 2,
                    i,
                    _("{pct}/yr").format(pct=fmt.pct(r.pct_per_year, 1)),
                    ha="center",
                    va="center",
                    fontsize=8,
                    color="white",
                )
            left += r.share_of_total_pct
    ax.set_yticks([0, 1], [_(chart_label) for _words, chart_label in DECOMPOSITIONS.values()])
    ax.set(
        xlabel=_(
            "Share of the required growth of R&D spending (log points), % (total {gerd_nominal_growth_pct:pct.1} a year)"
        ).format_map(V),
        title=_("Where the required growth of R&D spending must come from"),
    )
    ax.legend(fontsize=7, ncol=3, loc="upper center", bbox_to_anchor=(0.5, -0.3))
    report.figure(
        fig,
        chart_id="decomposition",
        title=_(
            "The required growth of R&D spending (current VND), {b}-{t}, split into its parts, % of the total"
        ).format(**V),
        alt=_(
            "Two stacked bars. In the first, R&D intensity is {intensity_share_of_gerd_growth_pct:pct.0} of the "
            "required growth and GDP the rest. In the second, real spending per researcher is the largest part, "
            "growing {real_spending_per_researcher_growth_pct:pct.0} a year, with researchers per person "
            "{researcher_density_growth_pct:pct.1} a year."
        ).format_map(V),
        source=_("r57 path model; {res}; {pop}").format_map(sources),
    )
    rs_ = F.researchers
    spr = F.spending_per_researcher
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.3))
    style = {
        "observed": dict(marker="o", ls="-", color="#1f3b73"),
        "estimate": dict(marker="o", ls="", mfc="white", color="#1f3b73"),
        "required": dict(marker="", ls="--", color="firebrick"),
    }
    for ax, df, column, scale, ylabel in (
        (axes[0], rs_[rs_["year"] >= 2010], "value", 0.01, _("FTE researchers per 10,000 people")),
        (
            axes[1],
            spr,
            "mn_vnd_per_researcher_base_prices",
            1.0,
            _("Million VND per researcher a year, {b} prices").format(**V),
        ),
    ):
        for status, grp in df.groupby("status"):
            if status == "required":  # join the required path to its start
                start = df[df["year"] == B]
                grp = pd.concat([start, grp])
            ax.plot(grp["year"], grp[column] * scale, label=_(status), **style[status])
        ax.set(xlabel=_("Year"), ylabel=ylabel)
        whole_ticks(ax.xaxis)
    axes[0].axhline(P["researchers_target_per_10k"], color="grey", lw=0.8, ls=":")
    axes[0].set_title(_("Researchers per 10,000 people"))
    axes[1].set_title(_("R&D spending per researcher"))
    axes[0].legend(fontsize=8)
    report.figure(
        fig,
        chart_id="researchers",
        title=_(
            "Researchers per 10,000 people and real R&D spending per researcher: observed, estimated and required, to {t}"
        ).format(**V),
        alt=_(
            "Left: researchers per 10,000 people rose slowly from {first} in 2013 to {researchers_per_10k_base:num.1} "
            "and must reach {researchers_per_10k_target_year:num.1}. Right: real spending per researcher, nearly flat "
            "since 2017, must rise about {real_spending_per_researcher_multiple:num.1}-fold."
        ).format(**V, first=fmt.num(rs_[rs_["year"] >= 2013]["value"].iloc[0] / 100, 1)),
        source=_("{res}; {pop}; R&D spending: UIS share x GDP (WDI, GSO); r57 path model").format_map(sources),
    )
    pg.table(
        spr,
        [
            ("year", "year", None),
            ("gerd_vnd_bn", N_("R&D spending, bn VND"), fixed(0)),
            ("researchers", N_("researchers (FTE)"), fixed(0)),
            ("price_index", col(N_("GDP prices, {b} = 1"), b=(B, "d")), fixed(3)),
            ("status", "status", _),
            ("mn_vnd_per_researcher", N_("million VND per researcher"), fixed(0)),
            (
                "mn_vnd_per_researcher_base_prices",
                col(N_("million VND per researcher, {b} prices"), b=(B, "d")),
                fixed(0),
            ),
        ],
        table_id="spending_per_researcher",
        title=_("R&D spending per researcher, observed and required"),
        note=_(
            "status: observed (survey years), estimate (researchers carried from the last survey at their trend), "
            "required (on the path)."
        ),
        source=_("{res}; {pop}; r57 path model").format_map(sources),
    )


def show_structural(pg: Page) -> None:
    """Section 3: the structural benchmark (fit, chart) and who reached the target at Viet Nam's income."""
    F, S, P, inp, report, T, B, W, V = pg.names()
    eco, ecos = pg.eco, pg.ecos
    headline_col = "headline (" + english_name(S["structural_spec"]) + ")"
    HEAD[headline_col] = _("headline ({form})").format(form=shape(S["structural_spec"]))
    diag = pd.DataFrame(
        {
            headline_col: structural.diagnostics(F.structural_fit, S["vietnam_gdp_per_capita_usd_latest"]),
            N_("alternative"): structural.diagnostics(F.structural_alt_fit, S["vietnam_gdp_per_capita_usd_latest"]),
        }
    )
    panel = diag[headline_col]  # the same panel under both forms: said once, in the note
    diag = diag.drop(index=["observations", "countries", "first year", "last year"]).rename_axis(N_("measure"))

    def diag_cell(v):
        """A diagnostics cell: the regression formula in words (the English CSV keeps the formula), or a number
        (one rule whatever the size; blank, not 'nan', where a measure does not apply to the form)."""
        if isinstance(v, str):
            return labels.label("formula", v) if v in labels.LABELS["formula"] else i18n.keep(v)
        return "" if pd.isna(v) else fmt.num(v, None)

    diag = diag.reset_index()  # the measures as a column, so that they are shown in words (the CSV is the same)
    pg.table(
        diag,
        table_id="structural_diagnostics",
        title=_("Fit of the structural benchmark"),
        note=_("A blank cell: the measure does not apply to that form (the log-linear form has no squared term).")
        + " "
        + _(
            "Both forms are fitted on {obs:num} observations of {countries:num} economies, {first:year}-{last:year}."
        ).format(
            obs=panel["observations"], countries=panel["countries"], first=panel["first year"], last=panel["last year"]
        ),
        source=_("{gerd}; {pc}; statsmodels OLS with year effects, errors clustered by economy").format(
            gerd=_(SRC_WDI_GERD), pc=_(SRC_WDI_PC)
        ),
        formats={"measure": _} | {c: diag_cell for c in diag.columns[1:]},
    )
    md(
        _(
            "At Viet Nam's income, each 1% more income goes with about **{structural_elasticity:pct.2} more R&D "
            "intensity**. Income explains only part of the variation (R-squared shown above): economies at the same "
            "income differ widely, which is why the prediction interval below is wide. In "
            "{vietnam_latest_gerd_year:year}, at USD {vietnam_gdp_per_capita_usd_latest:num} per person, the benchmark "
            "predicts **{structural_share_now_pct:pct.2} of GDP**; Viet Nam's {share_base_pct:pct.2} is "
            "{vietnam_share_vs_structural_ratio:num.2} times that, already above the line. With GDP as in the R&D "
            "spending paths report and population growing {pop} a year, income reaches about USD {vietnam_gdp_per_capita_usd_target:num} per "
            "person in {t}, where the benchmark predicts **{structural_share_target_pct:pct.2} of GDP** ({interval} "
            "prediction interval {structural_share_target_lo_pct:num.2}-{structural_share_target_hi_pct:pct.2}; "
            "{structural_share_target_with_vn_residual_pct:pct.2} if Viet Nam keeps its current lead over the line). "
            "The {goal} target is about **{times} times** the structural level."
        ).format(
            **V,
            pop=fmt.sig(P["population_growth_pct"]) + "%",
            times=fmt.num(inp.target_share_pct / S["structural_share_target_pct"], 1),
        )
    )
    sd = F.structural_fit.data
    ref = sd[sd["year"] == F.structural_fit.reference_year]
    grid = np.exp(np.linspace(np.log(ref["gdp_pc_usd"].min()), np.log(ref["gdp_pc_usd"].max()), 80))
    curve = structural.predict_share(F.structural_fit, grid, F.structural_fit.reference_year, S["interval_pct"])
    fig, ax = plt.subplots(figsize=(8, 5))
    ax.scatter(
        ref["gdp_pc_usd"],
        ref["gerd_pct_gdp"],
        s=14,
        alpha=0.5,
        color="#4C72B0",
        label=_("economies, {structural_reference_year:year}").format_map(V),
    )
    ax.plot(curve["gdp_pc_usd"], curve["share_pct"], color="black", label=_("benchmark"))
    ax.fill_between(
        curve["gdp_pc_usd"],
        curve["pred_lo_pct"],
        curve["pred_hi_pct"],
        color="grey",
        alpha=0.15,
        label=_("{interval} prediction interval").format(**V),
    )
    ax.scatter(
        [S["vietnam_gdp_per_capita_usd_latest"]],
        [inp.base_share_pct],
        color="firebrick",
        s=80,
        zorder=5,
        label=_("Viet Nam {vietnam_latest_gerd_year:year}").format_map(V),
    )
    ax.errorbar(
        [S["vietnam_gdp_per_capita_usd_target"]],
        [S["structural_share_target_pct"]],
        yerr=[
            [S["structural_share_target_pct"] - S["structural_share_target_lo_pct"]],
            [S["structural_share_target_hi_pct"] - S["structural_share_target_pct"]],
        ],
        fmt="D",
        color="darkorange",
        capsize=4,
        zorder=5,
        label=_("benchmark for Viet Nam {t}").format_map(V),
    )
    ax.scatter(
        [S["vietnam_gdp_per_capita_usd_target"]],
        [inp.target_share_pct],
        color="firebrick",
        marker="*",
        s=160,
        zorder=5,
        label=_("target {t}").format_map(V),
    )
    ax.set(
        xscale="log",
        yscale="log",
        xlabel=_("GDP per person, current USD (log scale)"),
        ylabel=_("R&D spending, % of GDP (log scale)"),
        title=_("R&D intensity and income across economies"),
    )
    plain_log_ticks(ax)  # 60, 100, not 6x10^1
    ax.legend(fontsize=8, loc="upper left")
    report.figure(
        fig,
        chart_id="structural",
        title=_(
            "R&D spending (% of GDP) against GDP per person, {structural_reference_year:year}, with the fitted benchmark"
        ).format_map(V),
        alt=_(
            "Log-log scatter of economies with an upward-sloping fitted line. Viet Nam sits slightly above the line; the "
            "benchmark for its {t} income is about {structural_share_target_pct:pct.1} of GDP, while the {goal} target "
            "lies well above the band where most economies of that income are."
        ).format_map(V),
        source=_("{gerd}; {pc}; r57 structural benchmark (statsmodels)").format(gerd=_(SRC_WDI_GERD), pc=_(SRC_WDI_PC)),
    )
    ra = F.reached_at_income
    low = S["lowest_income_reaching_target"]
    reached = S["economies_reaching_target_at_projected_income"]
    who = [_("**Who reached {goal} at Viet Nam's projected income?**").format(**V)]
    if reached:
        who.append(
            ngettext(
                "{n} economy had R&D of {goal} of GDP or more in a year when their GDP per person was at or below "
                "USD {vietnam_gdp_per_capita_usd_target:num}: {names}.",
                "{n} economies had R&D of {goal} of GDP or more in a year when their GDP per person was at or below "
                "USD {vietnam_gdp_per_capita_usd_target:num}: {names}.",
                len(reached),
            ).format(**V, n=fmt.num(len(reached)), names=ecos(reached))
        )
    else:
        who.append(
            _(
                "**None**: no economy in the data had R&D of {goal} of GDP or more in a year when its GDP per person was "
                "at or below USD {vietnam_gdp_per_capita_usd_target:num}, Viet Nam's projected income in {t}."
            ).format_map(V)
        )
    if low:
        who.append(
            _(
                "The poorest to get there was {economy}, in {year:year}, at USD {gdp_pc_usd:num} per person "
                "({share_pct:pct.2} of GDP)."
            ).format_map(low | {"economy": eco(low["economy"])})
        )
    who.append(
        _(
            "Incomes are in current dollars of their year; a dollar of the 2000s bought more than one of the 2030s, so "
            "this comparison, if anything, flatters the economies that got there early."
        )
    )
    md(" ".join(who))
    first_col = col(
        N_("first year at {goal}% or more within the data (from {first})"),
        goal=(inp.target_share_pct, "g"),
        first=(int(F.windows["start_year"].min()), "d"),
    )
    pg.table(
        ra.head(10),
        [
            ("entity_name", N_("economy"), eco),
            ("year", first_col, None),
            ("gerd_pct_gdp", N_("R&D, % of GDP"), fixed(2)),
            ("gdp_pc_usd", N_("GDP per person, current USD"), fixed(0)),
            ("at_or_below_income", col(N_("at or below Viet Nam's {year} income"), year=(T, "d")), yes_no),
        ],
        table_id="reached_target_by_income",
        title=_("The ten lowest incomes at which an economy first spent {goal} of GDP on R&D").format(**V),
        note=_(
            "Viet Nam's projected income in {t}: USD {vietnam_gdp_per_capita_usd_target:num} per person. A first "
            "year equal to the first year of the data means the economy was already there when the data start: Korea, "
            "for one, first reached 2% in 1994 (Korea's science ministry, 2016)."
        ).format_map(V),
        source=f"{_(SRC_WDI_GERD)}; {_(SRC_WDI_PC)}",
    )


def show_uncertainty(pg: Page) -> None:
    """Section 4: the growth model, the fan charts and what the target year may require."""
    F, S, P, inp, report, T, B, W, V = pg.names()
    gm = F.growth_model
    aic = pd.DataFrame({"AIC": gm.aic_by_order}).rename_axis(N_("AR order"))
    gm_row = growth_model_rows(gm)
    ar_cols = {c: fixed(3) for c in (col(AR_LAG, k=(k, "d")) for k in range(1, gm.order + 1))}
    pg.table(
        gm_row,
        table_id="growth_model",
        formats={
            "mean growth, %": fixed(2),
            "shock s.d., pp": fixed(2),
            "AIC": fixed(1),
            "Ljung-Box p-value": fixed(2),
            "first year": fmt.year,
            "last year": fmt.year,
            "model": i18n.keep,  # AR(1): the model's name
        }
        | ar_cols,
        title=_("The fitted growth model"),
        source=_("{growth}; statsmodels ARIMA").format(growth=_(SRC_GROWTH)),
        note=" ".join(
            t
            for t in (
                preliminary_words(S),
                _("A Ljung-Box p-value above 0.05 means no remaining autocorrelation is detected in the residuals."),
            )
            if t
        ),
    )
    pg.table(
        aic.reset_index(),  # the orders as a column with a header in words (the CSV is the same)
        table_id="growth_model_aic",
        title=_("Model choice: AIC by autoregressive order (lower is better)"),
        source=_(SRC_GROWTH),
        formats={"AIC": fixed(2)},
    )
    md(
        (
            _(
                "The lowest AIC is AR(0): each year's growth is independent, around {mean}% with a shock s.d. of "
                "{sd} percentage points."
            )
            if gm.order == 0
            else _(
                "The lowest AIC is AR({p}): each year's growth is pulled back towards {mean}% from the years before, "
                "with a shock s.d. of {sd} percentage points."
            )
        ).format(p=gm.order, mean=fmt.num(gm.mean_pct, 1), sd=fmt.num(gm.sigma_pct, 2))
    )
    lo_q, hi_q = growth_sim.band_bounds(S["interval_pct"])
    trn = {k: fmt.num(S[f"gerd_target_vnd_bn_{k}"] / 1000) for k in ("p10", "p50", "p90")}  # trillion VND
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.5))
    for ax, sims, label, plan in (
        (axes[0], F.sim_gdp_vnd, _("Nominal GDP"), F.path["gdp_vnd_bn"] / 1000),
        (
            axes[1],
            F.sim_gerd_vnd,
            _("R&D needed for the {shape} path").format(shape=shape(inp.path_shape)),
            F.path["gerd_vnd_bn"] / 1000,
        ),
    ):
        fan_df = growth_sim.fan(sims / 1000, F.years, (lo_q, 25, 50, 75, hi_q))
        ax.fill_between(
            fan_df.index,
            fan_df[f"p{lo_q:g}"],
            fan_df[f"p{hi_q:g}"],
            color="#4C72B0",
            alpha=0.15,
            label=_("{interval} band").format(**V),
        )
        ax.fill_between(
            fan_df.index, fan_df["p25"], fan_df["p75"], color="#4C72B0", alpha=0.35, label=_("25th-75th percentile")
        )
        ax.plot(fan_df.index, fan_df["p50"], color="#1f3b73", label=_("median"))
        ax.plot(plan.index, plan, color="black", ls="--", label=_("R&D spending paths report's plan"))
        ax.set(xlabel=_("Year"), ylabel=_("Trillion VND, current prices"), title=label)
    axes[0].legend(fontsize=8, loc="upper left")
    fig.suptitle(_("Fan charts from simulated GDP growth"), fontweight="bold")
    report.figure(
        fig,
        chart_id="fan_charts",
        title=_(
            "Nominal GDP and the R&D spending needed, trillion VND, {b}-{t}: {n_simulations:num} simulated paths"
        ).format_map(V),
        alt=_(
            "Two fan charts widening after the last official year, each shading the {interval} band and, darker, "
            "the 25th-75th percentiles. In {t} the R&D needed has a median of about {median} trillion VND, with a "
            "{interval} band of {lo}-{hi} trillion."
        ).format(**V, median=trn["p50"], lo=trn["p10"], hi=trn["p90"]),
        source=_("{growth}; r57 growth model, seed {seed}").format(growth=_(SRC_GROWTH), seed=P["seed"]),
    )
    q = quantile_rows(F)
    HEAD[q.columns[3]], HEAD[q.columns[5]] = (_("p{p}").format(p=fmt.sig(p)) for p in (lo_q, hi_q))
    md(
        _(
            "With real growth, inflation and the exchange rate all uncertain, the {interval} band of the R&D needed in {t} "
            "is {lo}-{hi} trillion dong; with real growth alone it would be {lo_real}-{hi_real} trillion. Yearly shock "
            "s.d., percentage points: deflator {deflator}, depreciation {depreciation}. The uncertainty of the amount is "
            "small beside the gap between the required and the historical pace."
        ).format(
            **V,
            lo=trn["p10"],
            hi=trn["p90"],
            lo_real=fmt.num(S["gerd_target_vnd_bn_real_growth_only_p10"] / 1000),
            hi_real=fmt.num(S["gerd_target_vnd_bn_real_growth_only_p90"] / 1000),
            deflator=fmt.sig(S["deflator_sd_pp"]),
            depreciation=fmt.sig(S["depreciation_sd_pp"]),
        )
    )
    pg.table(
        q,
        table_id="simulation_quantiles",
        title=_("What {t} may require").format(**V),
        source=_("{growth}; r57 growth model").format(growth=_(SRC_GROWTH)),
        formats={"quantity": _, "unit": _, "year": fmt.year} | {c: fixed(1) for c in q.columns[3:]},
    )


RECORD_COLUMNS = (  # the band record (growth_sim.band_table): column, header, cell format
    ("origin", N_("origin"), fmt.year),
    ("train_first", N_("fitted from"), fmt.year),
    ("train_last", N_("fitted to"), fmt.year),
    ("order", N_("AR order"), fixed(0)),
    ("sigma_pct", N_("shock s.d., pp"), fixed(2)),
    ("actual_pct", N_("actual cumulative growth, %"), fixed(1)),
    ("median_pct", N_("band median, %"), fixed(1)),
    ("low_pct", N_("band low, %"), fixed(1)),
    ("high_pct", N_("band high, %"), fixed(1)),
    ("inside", N_("inside the band"), yes_no),
    ("naive_pct", N_("naive: origin year repeated, %"), fixed(1)),
    ("naive_mean_pct", N_("naive: trailing mean repeated, %"), fixed(1)),
    ("stretch", N_("stretch"), fixed(2)),
)
SENSITIVITY_ROWS = (  # the headline figures (summary key) shown from the fitted model and with widened shocks, and
    # the decimals each is written with (declared once here: the table, its CSV and workbook hold the rounded figure)
    (N_("Shock s.d. of real growth, pp"), "gdp_band_sd_pct", 2),
    (N_("R&D needed in the target year, bn USD: median"), "gerd_target_usd_bn_p50", 1),
    (N_("R&D needed in the target year, bn USD: band low"), "gerd_target_usd_bn_p10", 1),
    (N_("R&D needed in the target year, bn USD: band high"), "gerd_target_usd_bn_p90", 1),
    (
        N_("Probability the state's part exceeds the envelope in the target year, %"),
        "prob_state_gerd_exceeds_envelope_pct",
        0,
    ),
    (N_("Non-budget share at which it fits in half of the outcomes, %"), "nonstate_share_needed_p50_pct", 1),
)


def sensitivity_rows(S: dict) -> pd.DataFrame:
    """The headline figures from the fitted model beside those with the growth shocks widened by
    ``gdp_band_scale`` (the sensitivity), one row per figure, each rounded to its decimals (:data:`SENSITIVITY_ROWS`)."""
    widened = col(N_("shocks widened x{k}"), k=(S["gdp_band_scale"], ".2f"))
    values = S | {
        "gdp_band_sd_pct": S["growth_model"]["shock s.d., pp"],
        "gdp_band_sd_pct_widened": S["gdp_band_widened_sd_pct"],
    }
    rows = [
        (label, i18n.rounded(values[key], d), i18n.rounded(values[f"{key}_widened"], d))
        for label, key, d in SENSITIVITY_ROWS
    ]
    return pd.DataFrame(rows, columns=[N_("figure"), N_("fitted model"), widened])


def show_band_record(pg: Page) -> None:
    """The growth band's past record, one origin a row, what it does and does not show, and the headline
    figures with the shocks widened by the factor that would have made the past bands hold (a sensitivity)."""
    F, S, P, inp, report, T, B, W, V = pg.names()
    rec = growth_sim.band_table(F.band_cases)
    misses = rec[~rec["inside"]]
    n, h = len(rec), S["gdp_band_backtest_horizon_years"]
    past_half = float(((rec["high_pct"] - rec["low_pct"]) / 2).mean())
    now_half = (S["gdp_band_now_high_pct"] - S["gdp_band_now_low_pct"]) / 2
    text = _(
        "The models fitted at those origins had shock s.d. of {sd_lo}-{sd_hi} percentage points; the model used "
        "here, fitted on {first}-{last}, has {sd}, as its sample includes 2020-21. Its {interval} band for real "
        "growth over the next {gdp_band_backtest_horizon_years:num} years is {gdp_band_now_low_pct:num.1}-"
        "{gdp_band_now_high_pct:num.1}% (median {gdp_band_now_median_pct:num.1}%), {ratio} times as wide as the past "
        "bands on average."
    ).format(
        **V,
        sd_lo=fmt.num(rec["sigma_pct"].min(), 2),
        sd_hi=fmt.num(rec["sigma_pct"].max(), 2),
        first=fmt.year(S["growth_model"]["sample"][0]),
        last=fmt.year(S["growth_model"]["sample"][1]),
        sd=fmt.num(S["growth_model"]["shock s.d., pp"], 2),
        ratio=fmt.num(now_half / past_half, 1),
    )
    if len(misses):
        covid = ((misses["origin"] + 1 <= 2020) & (misses["origin"] + h >= 2021)).sum()
        text = (
            _(
                "Of the {k} misses (origins {origins}), {below} fell below the band (growth overpredicted) and {covid} "
                "had 2020-21 in their window."
            ).format(
                k=fmt.num(len(misses)),
                origins=", ".join(fmt.year(o) for o in misses["origin"]),
                below=fmt.num(int((misses["actual_pct"] < misses["low_pct"]).sum())),
                covid=fmt.num(int(covid)),
            )
            + " "
            + text
        )
    md(text)
    pg.table(
        rec,
        RECORD_COLUMNS,
        table_id="growth_band_record",
        title=_(
            "The growth model's band at each past origin: cumulative real growth over the next "
            "{gdp_band_backtest_horizon_years:num} years"
        ).format_map(V),
        source=_("{growth}; r57 growth model").format(growth=_(SRC_GROWTH)),
        note=_(
            "Stretch: how far the outcome lay from the band's median, in half-widths of the band on that side; the "
            "factor that would have made the past bands hold {interval} is the ceil({share} x {n})-th smallest "
            "stretch, and at least 1. Each model is fitted by AIC on at least {min} years of the revised growth series "
            "(not the data available at the origin) and simulated on {paths} paths."
        ).format(
            **V,
            share=fmt.sig(S["interval_pct"] / 100),
            n=fmt.num(n),
            min=fmt.num(growth_sim.BACKTEST_MIN_TRAIN),
            paths=fmt.num(growth_sim.BACKTEST_PATHS),
        ),
    )
    md(
        _(
            "Widened by **{gdp_band_scale:num.2}**, the past bands would have held {interval} of the outcomes. With {n} "
            "overlapping {gdp_band_backtest_horizon_years:num}-year windows (about {indep} independent ones) whether a "
            "band so widened holds cannot be checked: "
            "the factor is a judgement resting on one episode, and the fitted model's s.d. already reflects "
            "2020-21. The medians and probabilities are therefore from the fitted model; the ranges lead with the "
            "widened band, as the key findings give them. The table shows the headline figures both ways."
        ).format(**V, n=fmt.num(n), indep=fmt.num(math.ceil(n / h) if h else 0))
    )
    sens = sensitivity_rows(S)
    pg.table(
        sens,
        table_id="growth_band_sensitivity",
        title=_(
            "Headline figures from the fitted model and with the growth shocks widened x{gdp_band_scale:num.2} "
            "(sensitivity)"
        ).format_map(V),
        source=_("{growth}; r57 growth model, seed {seed}").format(growth=_(SRC_GROWTH), seed=P["seed"]),
        formats={"figure": _} | {c: partial(fmt.num, decimals=2, trim=True) for c in sens.columns[1:]},
        note=_(
            "Band: the {interval} band of the simulated outcomes. The widened column multiplies the growth shocks of "
            "the same draws by the factor; inflation and exchange-rate shocks are unchanged."
        ).format_map(V),
    )


def start_status_words(S: dict) -> str:
    """The start's status after its year: empty when observed or set by the user, else the nowcast's range."""
    if S["start_status"] != "estimate":
        return ""
    return _(", an estimate (nowcast range {lo}-{hi}; last survey {vietnam_latest_gerd_year:year}),").format(
        **S, lo=fmt.sig(S["share_base_low_pct"], 3) + "%", hi=fmt.sig(S["share_base_high_pct"], 3) + "%"
    )


def preliminary_words(S: dict) -> str:
    """The growth years GSO has only as a preliminary figure, which the model fits as observed (or nothing)."""
    rows = S.get("growth_preliminary") or []
    if not rows:
        return ""
    return _(
        "Growth in {years} ({values}) is GSO's preliminary figure, not yet in the World Bank series; the model "
        "fits it as an observed year."
    ).format(
        years=", ".join(fmt.year(r["year"]) for r in rows),
        values=", ".join(fmt.pct(r["growth_pct"], 2) for r in rows),
    )


def benchmark_verdict(S: dict) -> str:
    """Which of the two naive forecasts the growth model's median beats on the past origins (lower mean error)."""
    mae = S["gdp_band_backtest_mae_pp"]
    beats = (mae < S["gdp_band_backtest_naive_mae_pp"], mae < S["gdp_band_backtest_naive_mean_mae_pp"])
    return {
        (True, True): _("The model beats both benchmarks."),
        (True, False): _("The model beats repeating the origin year but not the trailing mean."),
        (False, True): _("The model beats the trailing mean but not repeating the origin year."),
        (False, False): _("The model beats neither benchmark."),
    }[beats]


def scenario_words(S: dict) -> str:
    """The scenario's non-budget share, naming the Resolution's threshold when it is that."""
    ns = fmt.pct(S["nonstate_share_scenario_pct"], None)
    if S["nonstate_share_scenario_pct"] == nonstate_floor_pct():
        return _("{ns} non-budget (the Resolution asks for more)").format(ns=ns)
    return _("{ns} non-budget (the scenario's share)").format(ns=ns)


def scenario_fit(S: dict) -> str:
    """Whether the state's part at the scenario's non-budget share fits the envelope at the scenario's budget."""
    if S["state_part_fits_envelope_arithmetic"]:
        return _("At {share} the state's part fits the envelope.").format(share=scenario_words(S))
    return _("At {share} the state's part exceeds the envelope.").format(share=scenario_words(S))


def margins_words(S: dict) -> str:
    """Where the margins lie against the range budget spending gives, compared as printed: the non-budget shares
    needed in half and in the upper quantile of the outcomes rounded up to whole per cent, the range's ends rounded.
    Inside when both lie strictly between the ends, outside when one lies beyond an end, at the edge otherwise."""
    low, high = S["nonstate_share_needed_p50_pct_at_budget_high"], S["nonstate_share_needed_p50_pct_at_budget_low"]
    need50, need90 = (math.ceil(S[f"nonstate_share_needed_{q}_pct"]) for q in ("p50", "p90"))
    if need50 < i18n.rounded(low, 0) or need90 > i18n.rounded(high, 0):
        text = _("margins outside the {low:pct.0}-{high:pct.0} that the range of budget spending gives.")
    elif i18n.rounded(low, 0) < need50 and need90 < i18n.rounded(high, 0):
        text = _("margins inside the {low:pct.0}-{high:pct.0} that the range of budget spending gives.")
    else:
        text = _("margins at the edge of the {low:pct.0}-{high:pct.0} that the range of budget spending gives.")
    return text.format(low=low, high=high)


def show_exceed(pg: Page) -> None:
    """Whether the state's part fits the budget envelope, as a function of the non-budget share and of budget
    spending's share of GDP, which the simulation holds at the scenario's."""
    F, S, P, inp, report, T, B, W, V = pg.names()
    curve = F.exceed_curve
    prob = curve.set_index("nonstate_share_target_pct")["prob_exceeds_pct"]
    md(
        _(
            "The envelope is the Resolution's minimum of {floor} of budget spending, which covers science, technology, "
            "innovation and digital transformation together; setting the state's R&D against all of it assumes that "
            "minimum is the most R&D could get. Budget spending and the R&D target are both shares of GDP, so the "
            "level GDP reaches does not move the one against the other; budget spending's share of GDP does. At the "
            "scenario's {budget_exp_pct_gdp:num.1}% the envelope covers {envelope_share_of_planned_rd_pct:pct.1} of "
            "the R&D needed in {t}, so by simple arithmetic {nonbudget_share_needed_arithmetic_pct:pct.1} must come "
            "from outside the state budget; with budget spending at {budget_exp_pct_gdp_high:num.1}% or "
            "{budget_exp_pct_gdp_low:num.1}% of GDP ({basis}), **{nonbudget_share_needed_arithmetic_pct_at_budget_high:pct.0}-"
            "{nonbudget_share_needed_arithmetic_pct_at_budget_low:pct.0}**. {at_scenario}"
        ).format(
            **V,
            basis=sensitivity.budget_basis(S["budget_exp_pct_gdp_years"], S["budget_exp_pct_gdp_next_year"]),
            at_scenario=scenario_fit(S),
        )
    )
    md(
        _(
            "The simulation holds budget spending at {budget_exp_pct_gdp:num.1}% of GDP and sets each year's envelope "
            "in the year before, on the GDP then known and the plan's growth, so only the year's own surprise in "
            "growth and prices moves the R&D needed against it. The probability that the state's part exceeds the "
            "envelope in {t} depends on who pays: {by_share} (simulated outcomes, by non-budget share of R&D). For the "
            "state's part to fit in half of the outcomes, funds from outside the state budget would have to pay "
            "{need50} of R&D; to fit in {upper} of them, {need90}: {margins}"
        ).format(
            **V,
            margins=margins_words(S),
            by_share="; ".join(
                _("{p:pct.0} at {ns}").format(p=prob.iloc[np.abs(prob.index - ns).argmin()], ns=fmt.sig(ns) + "%")
                for ns in (30.0, nonstate_floor_pct(), 70.0, 80.0)
            ),
            upper=fmt.sig(growth_sim.band_bounds(S["interval_pct"])[1]) + "%",
            need90=fmt.pct(math.ceil(S["nonstate_share_needed_p90_pct"]), 0),
        )
    )
    if S.get("gdp_band_backtest_cases"):  # the record of the growth model that draws the surprise they rest on
        md(
            _(
                "These probabilities rest mainly on one year's surprise: the envelope moves with the simulated GDP of "
                "the year before, so what decides is how far the target year's real growth and prices stray from the "
                "plan's. The growth model that draws the real growth has this record over longer spans: refitted at "
                "each of {gdp_band_backtest_cases:num} past origins ({gdp_band_backtest_first_origin:year}-"
                "{gdp_band_backtest_last_origin:year}), its {interval} band for real growth over the next "
                "{gdp_band_backtest_horizon_years:num} years held the outcome in **{gdp_band_backtest_coverage_pct:pct.0}** of cases; its median missed by "
                "{gdp_band_backtest_mae_pp:num.1} percentage points of cumulative growth on average, against "
                "{gdp_band_backtest_naive_mae_pp:num.1} for repeating the origin year's growth and "
                "{gdp_band_backtest_naive_mean_mae_pp:num.1} for repeating the average growth of the "
                "{gdp_band_backtest_horizon_years:num} years up to the origin (the trailing mean). {verdict}"
            ).format(**V, verdict=benchmark_verdict(S))
        )
        show_band_record(pg)
    fig, ax = plt.subplots()
    ax.plot(curve["nonstate_share_target_pct"], curve["prob_exceeds_pct"], color="#C44E52", lw=2)
    ax.axvline(inp.nonstate_share_target_pct, color="grey", ls="--")
    ax.annotate(
        _("scenario: {ns}").format(ns=fmt.sig(inp.nonstate_share_target_pct) + "%"),
        (inp.nonstate_share_target_pct, 50),
        xytext=(4, 0),
        textcoords="offset points",
    )
    ax.set(
        xlabel=_("Non-budget share of R&D in {t}, %").format(**V),
        ylabel=_("Probability the state's part exceeds the envelope, %"),
        ylim=(-3, 103),
        title=_("How the funding split decides whether the budget rule holds"),
    )
    report.figure(
        fig,
        chart_id="exceed_probability",
        title=_(
            "Probability that state-funded R&D exceeds the whole envelope at the {floor} budget minimum in {t}, "
            "by non-budget share"
        ).format_map(V),
        alt=_(
            "A falling S-shaped curve: the probability stays near 100% until the non-budget share approaches "
            "{need50} and drops to near zero a few points above it."
        ).format_map(V),
        source=_(
            "r57 growth model and the R&D spending paths report's budget plan (budget {budget_exp_pct_gdp:pct.1} "
            "of GDP)"
        ).format_map(V),
    )


def show_sweep(pg: Page, grid: pd.DataFrame) -> None:
    """Section 5: the R&D growth needed by GDP growth and path shape (``grid``: ``analysis.sweep``'s frame)."""
    import seaborn as sns

    F, S, P, inp, report, T, B, W, V = pg.names()
    avg = grid[grid["path_shape"] == inp.path_shape]
    grid["path shape"] = grid["path_shape"].map(english_name)  # the CSV's headers in words (English)
    grid["shown shape"] = grid["path_shape"].map(shape)
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.3))
    for column, colour, label in (
        ("gerd_nominal_cagr_pct", "#1f3b73", _("nominal (VND)")),
        ("gerd_real_cagr_pct", "#55A868", _("real (after inflation)")),
    ):
        axes[0].plot(avg["real_gdp_growth_pct"], avg[column], marker="o", color=colour, label=label)
    axes[0].set(
        xlabel=_("Real GDP growth from 2026, % a year"),
        ylabel=_("Average growth of R&D spending, % a year"),
        title=_("Average growth needed, {b}-{t}").format(**V),
    )
    axes[0].legend(fontsize=8)
    sns.lineplot(data=grid, x="real_gdp_growth_pct", y="max_gerd_growth_pct", hue="shown shape", marker="o", ax=axes[1])
    axes[1].set(
        xlabel=_("Real GDP growth from 2026, % a year"),
        ylabel=_("Largest one-year growth of R&D spending, %"),
        title=_("Growth needed in the steepest year"),
    )
    axes[1].legend(title=_("Path shape"), fontsize=8)
    lo_g, hi_g = avg.iloc[0], avg.iloc[-1]
    report.figure(
        fig,
        chart_id="sweep",
        title=_("R&D growth needed to reach {goal} of GDP by {t}, by GDP growth and path shape").format(**V),
        alt=_(
            "Left: the average nominal growth of R&D spending needed rises from {lo} a year with 3% GDP growth to {hi} "
            "with 10%. Right: the steepest single year needs up to {max} growth, most for the back-loaded and S-shaped paths."
        ).format(
            lo=fmt.pct(lo_g["gerd_nominal_cagr_pct"], 0),
            hi=fmt.pct(hi_g["gerd_nominal_cagr_pct"], 0),
            max=fmt.pct(grid["max_gerd_growth_pct"].max(), 0),
        ),
        source=_("r57 vectorised scenario engine; GDP and budget assumptions as in the R&D spending paths report"),
    )
    sweep_table = sweep_rows(grid, inp.path_shape)
    sweep_shown = sweep_table.reset_index()  # the growth rates as a column with a header in words (the CSV is the same)
    pg.table(
        sweep_shown,
        table_id="sweep",
        title=_("Average and steepest-year growth of R&D spending needed (% a year, nominal)"),
        source=_("r57 vectorised scenario engine"),
        formats={c: fixed(1) for c in sweep_table.columns} | {"real GDP growth, %": fixed(1)},
    )


def show_conclusion(pg: Page) -> None:
    """What this adds up to: the closing bullets."""
    F, S, P, inp, report, T, B, W, V = pg.names()
    eco = pg.eco
    history_words = (
        _(
            "outside the historical record for economies starting below {below} of GDP (none of "
            "{low_start_economies:num})"
        )
        if S["low_start_economies_reaching"] == 0
        else _(
            "rare: {low_start_economies_reaching:num} of {low_start_economies:num} economies starting below {below} "
            "of GDP achieved it"
        )
    ).format_map(V)
    ratio = inp.target_share_pct / S["structural_share_target_pct"]
    spread, spread_wide = (
        (S[f"gerd_target_vnd_bn_p90{k}"] - S[f"gerd_target_vnd_bn_p10{k}"]) / 2 / S[f"gerd_target_vnd_bn_p50{k}"] * 100
        for k in ("", "_widened")
    )
    widened = _("with the growth shocks widened x{gdp_band_scale:num.2}").format_map(V)
    bullets = [
        _("The required climb of {pp} points in {n_years:num} years is {history}.").format(**V, history=history_words)
    ]
    if S["fastest_from_level_economy"]:
        bullets.append(
            _(
                "Of {economies_crossing_level_with_window:num} economies that passed Viet Nam's starting level, the "
                "fastest ({economy}) stood at {fastest_from_level_share_pct:pct.2} of GDP {w} years later."
            ).format(**V, economy=eco(S["fastest_from_level_economy"]))
        )
    bullets.append(
        _(
            "The {goal} target is {ratio} times the R&D intensity Viet Nam's projected income would predict "
            "({structural_share_target_pct:pct.2})."
        ).format(**V, ratio=fmt.num(ratio, 1))
    )
    bullets.append(
        _(
            "Of the required {gerd_nominal_growth_pct:pct.1} a year in current dong, "
            "{intensity_share_of_gerd_growth_pct:pct.0} must come from R&D intensity; with the researcher target met, "
            "real spending per researcher must still grow {real_spending_per_researcher_growth_pct:pct.0} a "
            "year{history}."
        ).format(
            **V,
            history=listed(
                _("history: {history} a year").format(
                    history=fmt.pct(S["researcher_history"]["real_spending_per_researcher_pct"], 1)
                )
                if S["researcher_history"]
                else ""
            ),
        )
    )
    bullets.append(
        _(
            "GDP uncertainty moves the dong amount needed in {t} by about {spread_wide} either way {widened} (the "
            "fitted model's {interval} band: {spread}; such bands held the outcome in "
            "{gdp_band_backtest_coverage_pct:pct.0} of past cases)."
        ).format(**V, spread=fmt.pct(spread, 0), spread_wide=fmt.pct(spread_wide, 0), widened=widened)
    )
    bullets.append(
        _(
            "Whether the state budget rule holds depends mostly on the funding split: taking the whole {floor} "
            "minimum for science, technology, innovation and digital transformation as the most R&D could get, the "
            "state's part fits the envelope only if non-budget sources pay about "
            "{nonstate_share_needed_p50_pct_at_budget_high:pct.0}-{nonstate_share_needed_p50_pct_at_budget_low:pct.0} or more with budget "
            "spending at {budget_exp_pct_gdp_high:num.1}% or {budget_exp_pct_gdp_low:num.1}% of GDP ({need50} "
            "at the scenario's {budget_exp_pct_gdp:num.1}%), a share no official statistic yet measures."
        ).format_map(V)
    )
    md("\n".join("- " + b for b in bullets))
