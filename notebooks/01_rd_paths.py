# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3 (r57)
#     language: python
#     name: r57
# ---

# %% tags=["parameters"]
# Parameters (papermill). `r57 params rd_paths` lists units, allowed values and the reason for each default.
base_year: int = 2025  # year the path starts: 2025, the latest complete year (GERD nowcast); 2023 is the last survey
base_share_pct: "Optional[float]" = None  # GERD % of revised GDP in base_year; None: observed value, else the nowcast
nowcast_level: str = "central"  # low, central or high point of the nowcast range (years after the last survey)
gerd_series: str = "uis"  # uis (UNESCO/World Bank, revised GDP) or ministry (MOST survey, pre-revision GDP)
target_share_pct: float = 2.0  # GERD % of GDP to reach (Resolution 57: 2%)
target_gdp_basis: str = "revised"  # revised (official GDP) or pre_revision (the ministry's R&D ratios)
gdp_revision_uplift_pct: "Optional[float]" = None  # GSO 2019 GDP revision uplift, %; None: the data (25.4%)
target_year: int = 2030  # year to reach it (Resolution 57: 2030)
path_shape: str = "geometric"  # linear, geometric, logistic or back_loaded
logistic_steepness: float = 8.0  # S-curve steepness, used by the logistic shape only
back_loaded_exponent: float = 2.0  # power of the back-loaded curve, used by the back_loaded shape only
real_gdp_growth_pct: "Union[float, dict]" = 6.5  # % a year, or {year: %}; assumption (2014-2024 average 6.2%)
gdp_deflator_pct: "Union[float, dict]" = 3.0  # % a year, or {year: %}; assumption (2015-2023 average 2.3%)
vnd_depreciation_pct: "Union[float, dict]" = 2.0  # % a year against the USD, or {year: %}; assumption
use_observed_gdp: bool = True  # use official GDP for years after base_year that have it
nonstate_share_base_pct: "Optional[float]" = None  # % of GERD not paid from the state budget; None: the funding account
nonstate_share_target_pct: "Optional[float]" = (
    None  # % of GERD from non-state sources in target_year; None: max(60, base)
)
budget_exp_pct_gdp: "Optional[float]" = None  # state-budget expenditure, % of GDP; None: the 2026 estimate
science_budget_share_pct: "Union[float, dict]" = 3.0  # budget-rule floor, % of budget expenditure, or {year: %}
envelope_rd_share_pct: "Optional[float]" = None  # % of the envelope that funds R&D; None: the base year's share
lang: str = "en"  # language of the report: en (English) or vi (Vietnamese)
results_path: str = ""  # set by the runner: where results.json goes (empty: do not write)

# %%
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from IPython.display import HTML, display

from analysis import i18n
from analysis.data import observed
from analysis.models import funding, nowcast
from analysis.models.path_core import PATH_SHAPES
from analysis.models.rd_model import share_path
from analysis.reports import params, provenance, sensitivity
from analysis.reports.rd_paths import RdData, run
from analysis.reports.render import Report, fmt_vnd_bn, md, setup_plotting
from analysis.reports.words import display_name, plural

P = params.validate(
    "rd_paths",
    {name: value for name, value in globals().items() if name in params.notebook_spec("rd_paths").names()},
)
i18n.use(P["lang"])  # every text and number below in the report's language
DATA = RdData.load()
resolved, path, summary = run(P, DATA)
inp, EV, START = resolved.inputs, resolved.evidence, resolved.start
report = Report(results_path)
setup_plotting()
SRC_UIS = "UNESCO UIS via World Bank WDI (GB.XPD.RSDV.GD.ZS, release 2026-07-13)"
SRC_MOST = "Ministry of Science and Technology R&D survey (Bo KHCN 2020)"
SRC_GDP = "World Bank WDI (2025-03-24) and GSO/NSO releases to 5 Jan 2026"
SRC_BUDGET = "National Assembly budget resolutions 2023-2026; Ministry of Finance; MOST (data/raw/vn_state_budget.csv)"
SRC_MODEL = "r57 R&D path model, parameters listed at the end of this report"
SRC_NOWCAST = (
    f"r57 nowcast: {SRC_UIS} carried forward, band from the surveys since 2017, plus the 2025 budget top-up "
    "(MOST/MOF, Dec 2025); an estimate, not an observation"
)
B, T = inp.base_year, inp.target_year
TGT = resolved.target_share_revised_pct
SHAPE = display_name(inp.path_shape)  # "back-loaded", not back_loaded
STATUS_WORD = {"observed": "observed", "estimate": "estimated", "user": "set by the user"}[START.status]
TITLE = f"The path to R&D spending of {P['target_share_pct']:g}% of GDP by {T}"
md(f"# {TITLE}")

# %% [markdown]
# Politburo Resolution 57-NQ/TW (22 December 2024) asks Viet Nam to raise gross domestic expenditure
# on research and development (GERD) to **2% of GDP by 2030**, with **more than 60%** of it paid by
# non-state sources, and to devote **at least 3% of annual state-budget expenditure** to science,
# technology, innovation and digital transformation, rising over time.
#
# This report works out what the chosen target means year by year: where R&D spending stands today
# (the last survey is for 2023, so later years are estimated and labelled as estimates), how fast it
# must grow from there, how large it becomes in dong and dollars, who pays for it, and whether the
# state's part fits the budget rule. Every figure comes from the data snapshots listed at the end, or
# from an assumption named in the parameters table there; the sensitivity section shows which
# assumptions matter most.

# %% [markdown]
# ## Where Viet Nam stands

# %%
uis, most = EV.uis, observed.gerd_share_series(DATA.gerd, "ministry")
gerd_vnd = observed.gerd_vnd_series(DATA.gerd)
NC = EV.nowcast
latest_year = EV.last_year
last_obs = pd.Series({EV.last_year: EV.last_pct})
from_last = share_path(
    list(range(EV.last_year, T + 1)), EV.last_pct, TGT, inp.path_shape, inp.logistic_steepness, inp.back_loaded_exponent
)
md(
    f"The latest measurement puts Viet Nam's R&D spending at **{uis.iloc[-1]:.2f}% of GDP in {latest_year}** "
    f"({SRC_UIS}), about {fmt_vnd_bn(gerd_vnd['gerd_vnd_bn'].iloc[-1])}. The share has hardly moved since 2017 "
    f"({uis.loc[2017]:.2f}%). The science ministry's own survey reported **{most.iloc[-1]:.2f}% for {int(most.index.max())}**: "
    "the spending totals are the same, but the ministry divides by GDP as measured before the statistics office's "
    f"2019 revision, which raised GDP by about {resolved.params['gdp_revision_uplift_pct']:g}%. "
    f"No survey measures {', '.join(map(str, NC.index))}; the estimates below (the *nowcast*) fill those years, with a range, "
    "and are never shown as observations."
)
fig, ax = plt.subplots()
ax.plot(uis.index, uis.values, marker="o", color="#4C72B0", label="UNESCO UIS / World Bank, observed (revised GDP)")
ax.plot(
    most.index, most.values, marker="s", color="#DD8452", label="Science ministry survey, observed (pre-revision GDP)"
)
ax.errorbar(
    NC.index,
    NC["central_pct"],
    yerr=[NC["central_pct"] - NC["low_pct"], NC["high_pct"] - NC["central_pct"]],
    fmt="o",
    mfc="white",
    mec="#4C72B0",
    color="#4C72B0",
    capsize=4,
    label="Nowcast: estimate with its range",
)
if B > EV.last_year:  # the gap to date: what a path from the last survey would already have required
    ax.plot(
        from_last.loc[:B].index,
        from_last.loc[:B].values,
        ls=":",
        color="black",
        marker="x",
        label=f"Required by a path from {EV.last_year}",
    )
ax.axhline(inp.target_share_pct, color="firebrick", ls="--", lw=1)
ax.annotate(
    f"Target: {inp.target_share_pct:.3g}% of GDP by {T}",
    (2002, inp.target_share_pct),
    xytext=(0, 4),
    textcoords="offset points",
    color="firebrick",
)
ax.set(
    xlabel="Year",
    ylabel="R&D spending, % of GDP",
    ylim=(0, max(2.2, inp.target_share_pct * 1.1)),
    title="Viet Nam's R&D spending as a share of GDP",
)
ax.legend(title=None, loc="center left", fontsize=9)
report.figure(
    fig,
    chart_id="history",
    title=f"R&D spending (GERD), % of GDP: surveys 2002-{latest_year}, estimates {NC.index.min()}-{NC.index.max()}, and the {T} target",
    alt=f"Line chart: Viet Nam's R&D spending rose from about 0.15% of GDP in 2011 to about 0.42% in 2017 and "
    f"stayed there to {latest_year}; hollow markers with range bars show the estimates for "
    f"{', '.join(map(str, NC.index))} ({NC['central_pct'].iloc[-1]:.2f}% in {NC.index.max()}, range "
    f"{NC['low_pct'].iloc[-1]:.2f}-{NC['high_pct'].iloc[-1]:.2f}%)"
    + (
        f"; a dotted line shows the {from_last.loc[B]:.2f}% a path from {EV.last_year} would have required by {B}"
        if B > EV.last_year
        else ""
    )
    + f". The {inp.target_share_pct:.3g}% target line lies far above.",
    source=f"{SRC_UIS}; {SRC_MOST}; estimates: {SRC_NOWCAST}. The R&D survey is every two years.",
)
nc_tab = NC[["status", "low_pct", "central_pct", "high_pct", "gerd_vnd_bn", "inputs"]].copy()
nc_tab.columns = ["status", "low, % of GDP", "central, % of GDP", "high, % of GDP", "central, bn VND", "inputs"]
report.table(
    nc_tab,
    table_id="nowcast",
    title="Estimates for the years after the last survey (nowcast)",
    source=SRC_NOWCAST,
    note="Estimates, not data. Central: the flat level plus half of the R&D the 2025 top-up "
    "could have paid for; low: none of it spent in 2025; high: all of it, at the highest R&D share.",
    formats={
        "low, % of GDP": "{:.3f}",
        "central, % of GDP": "{:.3f}",
        "high, % of GDP": "{:.3f}",
        "central, bn VND": "{:,.0f}",
    },
)
checks = nowcast.statements_check(DATA.statements, NC, resolved.params["gdp_revision_uplift_pct"])
if len(checks):
    report.table(
        checks,
        table_id="statement_check",
        index=False,
        title="What officials and the press said, beside the estimates",
        source="data/raw/vn_rd_statements.csv (statements; reference year and GDP basis not given)",
        formats={"statement, % of GDP": "{:.2f}", "on revised GDP if said on pre-revision GDP, %": "{:.2f}"},
        note="Statements are a check, not an input: their reference year and GDP basis are not given.",
    )
    lvl = checks[checks["bound"] == "level"]
    if len(lvl):
        r0 = lvl.iloc[0]
        y0 = int(r0["compared with nowcast year"])
        md(
            f"Ministers' 'about {r0['statement, % of GDP']:g}% of GDP' brackets the estimate for {y0} "
            f"({NC.loc[y0, 'low_pct']:.2f}-{NC.loc[y0, 'high_pct']:.2f}%): read on official GDP it is "
            f"{'inside' if NC.loc[y0, 'low_pct'] <= r0['statement, % of GDP'] <= NC.loc[y0, 'high_pct'] else 'just outside'} the top of the range, "
            f"read on the ministry's pre-revision GDP ({r0['on revised GDP if said on pre-revision GDP, %']:.2f}% of official GDP) "
            f"{'inside' if NC.loc[y0, 'low_pct'] <= r0['on revised GDP if said on pre-revision GDP, %'] <= NC.loc[y0, 'high_pct'] else 'just outside'} "
            "its bottom. Neither reading comes near what a path started at the last survey would already have needed "
            f"({from_last.loc[y0]:.2f}% in {y0})."
        )
GAP = nowcast.gap_to_date(last_obs, NC.loc[: max(B, EV.last_year)], from_last) if B > EV.last_year else None
if GAP is not None:
    gap_tab = GAP[["status", "central_pct", "low_pct", "high_pct", "required_pct", "gap_pp"]].copy()
    gap_tab.columns = [
        "status",
        "observed or estimated, % of GDP",
        "low",
        "high",
        f"required by a path from {EV.last_year}, % of GDP",
        "gap, pp",
    ]
    report.table(
        gap_tab,
        table_id="gap_to_date",
        title=f"The gap to date: {EV.last_year}-{B} against a path that started in {EV.last_year}",
        source=f"{SRC_UIS}; {SRC_NOWCAST}; {SRC_MODEL}",
        formats={c: "{:.3f}" for c in gap_tab.columns[1:]},
        note=f"A {SHAPE} path from the {EV.last_year} survey would already have needed "
        f"{GAP['required_pct'].iloc[-1]:.2f}% of GDP in {B}; the estimate is {GAP['central_pct'].iloc[-1]:.2f}%.",
    )
    md(
        f"**The gap to date.** Had the climb started from the {EV.last_year} survey, R&D would have had to reach "
        f"{GAP['required_pct'].iloc[-1]:.2f}% of GDP in {B}; the estimate is {GAP['central_pct'].iloc[-1]:.2f}% "
        f"(range {GAP['low_pct'].iloc[-1]:.2f}-{GAP['high_pct'].iloc[-1]:.2f}%), {abs(GAP['gap_pp'].iloc[-1]):.2f} points "
        f"{'behind' if GAP['gap_pp'].iloc[-1] < 0 else 'ahead'}. The years already past cannot be put back on the path, "
        f"so the path below starts in {B}."
    )
md(f"This report starts from **{inp.base_share_pct:.3g}% of GDP in {B}** ({STATUS_WORD}). " + " ".join(resolved.notes))

# %% [markdown]
# ## What the path requires

# %%
basis_words = "" if P["target_gdp_basis"] == "revised" else f" of pre-revision GDP ({TGT:.2f}% of official GDP)"
display(
    HTML(
        f"<div class='r57-callout'><p><strong>To go from {summary['share_base_pct']:.3g}% of GDP in {B} ({STATUS_WORD}) to "
        f"{P['target_share_pct']:g}%{basis_words} in {T}</strong>, R&D spending must rise by "
        f"{summary['share_increase_pp']:.2f} percentage points of GDP, {summary['share_multiple']:.1f} times its share in {B}. "
        f"With the {SHAPE} path the share grows {summary['share_cagr_pct']:.1f}% a year on average"
        + (
            " (the same every year)"
            if summary["max_share_growth_pct"] - summary["share_cagr_pct"] < 0.05
            else f" ({summary['max_share_growth_pct']:.1f}% in the steepest year, {summary['steepest_year']})"
        )
        + "; spending in dong must grow "
        f"<strong>{summary['gerd_nominal_cagr_pct']:.1f}% a year from {B}</strong> ({summary['gerd_real_cagr_pct']:.1f}% a year "
        f"after inflation; {summary['max_gerd_growth_pct']:.1f}% in the steepest year), reaching "
        f"<strong>{summary['gerd_target_vnd_bn']:,.0f} bn VND, about USD {summary['gerd_target_usd_bn']:.1f} bn, in {T}</strong>: "
        f"{summary['gerd_multiple']:.1f} times the {B} amount.</p></div>"
    )
)
shapes = pd.concat(
    [
        share_path(inp.years, inp.base_share_pct, TGT, s, inp.logistic_steepness, inp.back_loaded_exponent)
        .rename("share")
        .to_frame()
        .assign(shape=display_name(s))
        for s in PATH_SHAPES
    ]
).reset_index()
fig, ax = plt.subplots()
sns.lineplot(data=shapes[shapes["shape"] != SHAPE], x="year", y="share", hue="shape", alpha=0.45, ax=ax)
ax.plot(
    path.index[1:],
    path["share_pct"].iloc[1:],
    color="black",
    lw=2.5,
    marker="o",
    label=f"{SHAPE} (this scenario), required",
)
ax.plot(path.index[:2], path["share_pct"].iloc[:2], color="black", lw=2.5)
ax.plot(
    [B],
    [inp.base_share_pct],
    marker="o",
    ms=9,
    mfc="white" if START.status != "observed" else "black",
    mec="black",
    ls="none",
    label=f"{B}: {STATUS_WORD}",
)
if START.status == "estimate":
    ax.errorbar(
        [B],
        [inp.base_share_pct],
        yerr=[[inp.base_share_pct - START.low_pct], [START.high_pct - inp.base_share_pct]],
        color="black",
        capsize=4,
        ls="none",
    )
ax.set(xlabel="Year", ylabel="R&D spending, % of GDP", title=f"Four ways to reach {TGT:.3g}% of GDP by {T}")
ax.legend(title="Path shape", fontsize=9)
report.figure(
    fig,
    chart_id="share_paths",
    title=f"R&D spending as % of GDP, {B}-{T}: the chosen path and the alternatives",
    alt=f"Line chart of four paths from {inp.base_share_pct:.2f}% in {B} ({STATUS_WORD}, hollow marker with its range) to "
    f"{TGT:.2f}% in {T}. Linear rises evenly, geometric and back-loaded rise slowly first, logistic is S-shaped. "
    f"The chosen {SHAPE} path is drawn in black.",
    source=f"{SRC_MODEL}; start: " + (SRC_NOWCAST if START.status == "estimate" else SRC_UIS),
)


def _shape_row(s):
    sp = share_path(inp.years, inp.base_share_pct, TGT, s, inp.logistic_steepness, inp.back_loaded_exponent)
    return {
        "share in the middle year, %": float(sp.iloc[len(inp.years) // 2]),
        "average growth of the share, % a year": float(((sp.iloc[-1] / sp.iloc[0]) ** (1 / (T - B)) - 1) * 100),
        "steepest year's growth of the share, %": float(sp.pct_change().iloc[1:].max() * 100),
        "largest one-year rise, pp": float(sp.diff().max()),
    }


shape_table = pd.DataFrame({display_name(s): _shape_row(s) for s in PATH_SHAPES}).T
shape_table.index.name = "path shape"
report.table(
    shape_table,
    table_id="shape_comparison",
    title="How the path shapes differ",
    source=SRC_MODEL,
    formats={c: "{:.2f}" for c in shape_table.columns},
    note="Every shape has the same average growth; a back-loaded or S-shaped path postpones effort but needs a "
    "bigger jump in its steepest year.",
)

# %% [markdown]
# ### Year by year

# %%
table = path[
    [
        "share_pct",
        "gdp_vnd_bn",
        "gdp_usd_bn",
        "gerd_vnd_bn",
        "gerd_usd_bn",
        "nonstate_share_pct",
        "state_gerd_vnd_bn",
        "nonstate_gerd_vnd_bn",
    ]
].copy()
ROW_STATUS = np.where(path.index == B, "observed" if START.status == "observed" else "estimate", "required")
table.insert(0, "R&D status", ROW_STATUS)
table.insert(1, "GDP", np.where(path["gdp_observed"], "official", "projected"))
table.columns = [
    "R&D status",
    "GDP",
    "R&D, % of GDP",
    "GDP, bn VND",
    "GDP, bn USD",
    "R&D, bn VND",
    "R&D, bn USD",
    "non-state share, %",
    "state-funded R&D, bn VND",
    "non-state R&D, bn VND",
]
report.table(
    table,
    table_id="path",
    title=f"The {SHAPE} path to {TGT:.3g}% of GDP in {T}",
    note=f"The first row is the {B} starting point ({STATUS_WORD}); later rows are what the target requires, not forecasts.",
    source=f"{SRC_MODEL}; start: {SRC_NOWCAST if START.status == 'estimate' else (SRC_UIS if START.status == 'observed' else 'the user')}; GDP: {SRC_GDP}",
    formats={
        "R&D, % of GDP": "{:.3f}",
        "GDP, bn VND": "{:,.0f}",
        "GDP, bn USD": "{:,.1f}",
        "R&D, bn VND": "{:,.0f}",
        "R&D, bn USD": "{:,.2f}",
        "non-state share, %": "{:.1f}",
        "state-funded R&D, bn VND": "{:,.0f}",
        "non-state R&D, bn VND": "{:,.0f}",
    },
)

# %% [markdown]
# ## The GDP it rides on
#
# R&D spending in dong is the share times GDP, so the GDP path matters as much as the share. Years
# with official GDP use it; later years follow the growth, inflation and exchange-rate assumptions.
# The table compares those assumptions with the recent record.

# %%
drivers = observed.gdp_drivers(DATA.gdp_table)
history_cols = ["real_growth_pct", "deflator_pct", "vnd_depreciation_pct"]
proj_years = [y for y in inp.years[1:] if y not in inp.observed_years]
compare = pd.DataFrame(
    {
        "2015-2023 average (WDI)": drivers.loc[2015:2023, history_cols].mean(),
        "2024-2025 (GSO)": drivers.loc[2024:2025, history_cols].mean(),
        f"this scenario, {proj_years[0] if proj_years else '-'}-{T}": path.loc[proj_years, history_cols].mean()
        if proj_years
        else pd.Series(np.nan, index=history_cols),
    }
)
compare.index = pd.Index(
    ["real GDP growth, % a year", "GDP deflator, % a year", "VND depreciation against USD, % a year"], name="assumption"
)
report.table(
    compare,
    table_id="gdp_assumptions",
    title="GDP assumptions beside the record",
    source=f"{SRC_GDP}; deflator and depreciation implied by nominal, real and dollar GDP",
    formats={c: "{:.2f}" for c in compare.columns},
    note=(
        f"The National Assembly's target for 2026 is real growth of {EV.official_growth_target_pct:g}% or more "
        "(Resolution 244/2025/QH15); the sensitivity section runs it as a named case."
    )
    if EV.official_growth_target_pct
    else "",
)
gdp_plot = path[["gdp_usd_bn", "gdp_observed"]].copy()
fig, ax = plt.subplots()
ax.bar(gdp_plot.index, gdp_plot["gdp_usd_bn"], color=np.where(gdp_plot["gdp_observed"], "#4C72B0", "#A1C4E8"))
ax.set(xlabel="Year", ylabel="GDP, billion current USD", title="GDP path: official (dark) and projected (light)")
report.figure(
    fig,
    chart_id="gdp_path",
    title=f"Viet Nam's GDP, billion current US dollars, {B}-{T}",
    alt=f"Bar chart: GDP rises from USD {path['gdp_usd_bn'].iloc[0]:.0f} bn in {B} to USD "
    f"{path['gdp_usd_bn'].iloc[-1]:.0f} bn in {T}; official years are dark, projected years light.",
    source=f"{SRC_GDP}; projection: {SRC_MODEL}",
)

# %% [markdown]
# ## Who pays
#
# **State** here means money paid from the **state budget**, central or local. **Non-state** means
# everything else: state-owned enterprises' own funds (such as their science and technology
# development funds), private domestic firms, foreign-invested firms, funds from abroad, universities'
# own revenue and non-profits. This is the Resolution's distinction between the budget and "society";
# "private" is narrower than non-state, and "state" is narrower than "the public sector".
#
# No official series splits Viet Nam's R&D by source of funds (the UNESCO series was not found). The
# account below builds one for the base year the way R&D statistics do, from the budget data: the
# state budget cannot have paid for more R&D than it spent on science and technology, and only part of
# that spending is research.

# %%
ACC = START.account
if ACC is not None:
    acc_tab = ACC[["counts as", "low_pct", "central_pct", "high_pct", "central_vnd_bn", "inputs"]].copy()
    acc_tab.columns = [
        "counts as",
        "low, % of GERD",
        "central, % of GERD",
        "high, % of GERD",
        "central, bn VND",
        "inputs and sources",
    ]
    report.table(
        acc_tab,
        table_id="funding_account",
        title=f"Who paid for R&D in {B}: the funding account (estimates)",
        source=f"{SRC_BUDGET}; data/raw/vn_gerd_funding.csv (MOST 2013 survey, OECD/World Bank 2014, EY Vietnam 2025); "
        f"GERD: {SRC_NOWCAST if START.status == 'estimate' else SRC_UIS}",
        formats={
            "low, % of GERD": "{:.1f}",
            "central, % of GERD": "{:.1f}",
            "high, % of GERD": "{:.1f}",
            "central, bn VND": "{:,.0f}",
        },
        note="Rows without numbers were searched for and not found. State-owned enterprises' row is the residual.",
    )
    ns_lo, ns_c, ns_hi = funding.nonstate_share(ACC)
    st_lo, st_c, st_hi = START.state_rd_vnd_bn
    soe_c = float(ACC.loc["state-owned enterprises' own funds", "central_pct"])
    soe_vnd = float(ACC.loc["state-owned enterprises' own funds", "central_vnd_bn"])
    md(
        f"In {B} the state budget spent about {START.budget.st_share_pct:g}% of its {START.budget.budget_exp_vnd_bn:,.0f} bn VND "
        f"on science and technology (the {START.budget.st_share_year} share, the latest measured) plus "
        f"{START.budget.topup_allocated_vnd_bn:,.0f} bn VND of top-up allocated during the year. Between "
        f"{EV.rd_fraction.low * 100:.0f}% and {EV.rd_fraction.high * 100:.0f}% of state science money funded R&D in the two years "
        f"where both were published, so state-funded R&D was about **{st_c:,.0f} bn VND** (range {st_lo:,.0f}-{st_hi:,.0f}), "
        f"**{100 - ns_c:.0f}% of R&D**. Non-state sources paid the rest, **{ns_c:.0f}%** (range {ns_lo:.0f}-{ns_hi:.0f}%). "
        "Whether that meets the Resolution's 60% turns on one classification, not on data: the share counts state-owned "
        "firms' own funds as non-state, and that row is a residual (about "
        f"{soe_vnd:,.0f} bn VND, several times what state-owned "
        "firms are recorded to have funded in 2013). Counted as state, as the statements that the state pays '70-80%' "
        f"(EY Vietnam, 2025) count them, the state's part is about **{100 - ns_c + soe_c:.0f}%** and the non-state part "
        f"**{ns_c - soe_c:.0f}%**, well below 60% (the rd-soe-funding scenario runs the path that way). Both readings "
        "are estimates; no survey since 2013 splits R&D by source of funds."
    )
else:
    md(
        f"No budget estimate exists for {B} in the data, so the funding account cannot be built for it; the non-state share "
        f"({inp.nonstate_share_base_pct:g}%) was set by the user."
    )


def growth_words(pct: float) -> str:
    return "grow from nothing (no annual rate applies)" if np.isnan(pct) else f"grow **{pct:.1f}% a year**"


split_words = (
    f"With the non-state share held at {inp.nonstate_share_base_pct:.1f}%"
    if abs(inp.nonstate_share_base_pct - inp.nonstate_share_target_pct) < 1e-9
    else f"With the non-state share moving from {inp.nonstate_share_base_pct:.1f}% to {inp.nonstate_share_target_pct:.1f}%"
)
md(
    f"{split_words}, "
    f"non-state R&D must {growth_words(summary['nonstate_gerd_nominal_cagr_pct'])} to "
    f"{summary['nonstate_gerd_target_vnd_bn']:,.0f} bn VND (USD {summary['nonstate_gerd_target_usd_bn']:.1f} bn) in {T}, "
    f"and state-funded R&D must {growth_words(summary['state_gerd_nominal_cagr_pct']).replace('**', '')} to "
    f"{summary['state_gerd_target_vnd_bn']:,.0f} bn VND. For comparison, EY Vietnam put the private R&D that the target "
    "implies at about USD 9 bn by 2030."
)
split = path[["state_gerd_usd_bn", "nonstate_gerd_usd_bn"]].rename(
    columns={
        "state_gerd_usd_bn": "State budget",
        "nonstate_gerd_usd_bn": "Non-state (incl. state-owned firms' own funds)",
    }
)
fig, ax = plt.subplots()
split.plot(kind="bar", stacked=True, ax=ax, color=["#DD8452", "#55A868"], width=0.75)
ax.set(xlabel="Year", ylabel="R&D spending, billion current USD", title="R&D spending by who pays")
ax.legend(title=None)
ax.tick_params(axis="x", rotation=0)
report.figure(
    fig,
    chart_id="funding_split",
    title=f"State-budget and non-state R&D, billion current US dollars, {B} ({STATUS_WORD}) and required to {T}",
    alt=f"Stacked bar chart: total R&D grows from USD {path['gerd_usd_bn'].iloc[0]:.1f} bn in {B} to USD "
    f"{path['gerd_usd_bn'].iloc[-1]:.1f} bn in {T}; the non-state part goes from {inp.nonstate_share_base_pct:.0f}% "
    f"to {inp.nonstate_share_target_pct:.0f}% of it.",
    source=f"{SRC_MODEL}; split: funding account above (budget data, MOST 2013 survey) and Resolution 57 for the target year",
)

# %% [markdown]
# ## The budget rule
#
# The Resolution asks for **at least 3% of annual budget expenditure** for science, technology,
# innovation **and** digital transformation, rising over time. First the rule itself, for the years
# with data; then the projection, in which the floor may rise (a parameter) and only the part of the
# envelope that funds R&D is compared with state-funded R&D, so the check compares like with like.

# %%
RULE = funding.track_rule(DATA.budget)
report.table(
    RULE,
    table_id="budget_rule",
    title="The 3% rule, year by year: allocations for S&T, innovation and digital transformation",
    source=SRC_BUDGET + "; 2026 plan: PM's conclusion, 15 Nov 2025",
    formats={c: "{:,.0f}" for c in RULE.columns if "bn VND" in c} | {"planned, % of budget": "{:.2f}"},
    note="Blank cells were searched for and not found: no total allocation for 2025 and no figure for what was "
    "spent in either year has been published in the sources.",
)
md(
    "For 2025 only the top-up is known: 25,000 bn VND added from 2024's extra revenue, of which 16,716 bn had been allocated "
    "by December 2025; what was spent is not published. For 2026 the plan of about 95,000 bn VND is "
    f"{RULE.loc[2026, 'planned, % of budget']:.2f}% of the budget estimate, at the floor. "
    if 2026 in RULE.index
    else ""
)
bud = path[
    [
        "budget_exp_vnd_bn",
        "science_budget_share_pct",
        "envelope_vnd_bn",
        "rd_envelope_vnd_bn",
        "state_gerd_vnd_bn",
        "state_gerd_pct_envelope",
        "state_gerd_pct_rd_envelope",
        "fits_envelope",
    ]
].copy()
bud["fits_envelope"] = np.where(bud["fits_envelope"], "yes", "NO: exceeds the R&D part")
bud.columns = [
    "budget expenditure, bn VND",
    "floor, % of budget",
    "envelope, bn VND",
    f"R&D part ({inp.envelope_rd_share_pct:.1f}%), bn VND",
    "state-funded R&D, bn VND",
    "state R&D, % of the envelope",
    "state R&D, % of the R&D part",
    "fits?",
]
report.table(
    bud,
    table_id="budget_check",
    title=f"State-funded R&D against the R&D part of the budget envelope, {B}-{T}",
    source=f"{SRC_MODEL}; budget expenditure {inp.budget_exp_pct_gdp:.2f}% of GDP (2026 estimate unless set by the user); "
    f"R&D part: {inp.envelope_rd_share_pct:.1f}% of the envelope",
    note=f"Budget expenditure is held at {inp.budget_exp_pct_gdp:.1f}% of GDP in every year, so the {B} row differs from "
    f"that year's own estimate; the R&D part of the envelope is calibrated on the {B} estimate.",
    formats={
        bud.columns[0]: "{:,.0f}",
        bud.columns[1]: "{:.2f}",
        bud.columns[2]: "{:,.0f}",
        bud.columns[3]: "{:,.0f}",
        bud.columns[4]: "{:,.0f}",
        bud.columns[5]: "{:.0f}",
        bud.columns[6]: "{:.0f}",
    },
)
misfits = summary["years_not_fitting"]
need = summary["state_gerd_pct_envelope_target"]
if misfits:
    md(
        f"**At today's use of the envelope, state-funded R&D outgrows its part in {plural(len(misfits), 'year')}: "
        f"{', '.join(map(str, misfits))}.** In {T} it would need **{need:.0f}% of the whole envelope**, against "
        f"{inp.envelope_rd_share_pct:.0f}% that goes to R&D today ({summary['state_gerd_pct_rd_envelope_target']:.0f}% of that part). "
        f"Either R&D takes a far larger share of the envelope, the floor rises above "
        f"{summary['science_budget_share_target_pct']:g}% (`science_budget_share_pct` as a path), non-state funding grows even "
        "faster, or the target slips."
    )
else:
    md(
        f"The state's part fits the R&D part of the envelope in every year. In {T} it takes {need:.0f}% of the whole envelope "
        f"({summary['state_gerd_pct_rd_envelope_target']:.0f}% of the R&D part)."
    )
long = (
    path[["state_gerd_vnd_bn", "rd_envelope_vnd_bn", "envelope_vnd_bn"]].rename(
        columns={
            "state_gerd_vnd_bn": f"State-funded R&D ({B} {STATUS_WORD}, then required)",
            "rd_envelope_vnd_bn": "R&D part of the envelope",
            "envelope_vnd_bn": "Whole envelope (S&T, innovation, DX)",
        }
    )
    / 1000
)
long = long.reset_index().melt(id_vars="year", var_name="series", value_name="trillion VND")
fig, ax = plt.subplots()
sns.lineplot(data=long, x="year", y="trillion VND", hue="series", style="series", markers=True, dashes=False, ax=ax)
ax.set(xlabel="Year", ylabel="Trillion VND (current prices)", title="State-funded R&D against the budget envelope")
ax.legend(title=None)
report.figure(
    fig,
    chart_id="budget_envelope",
    title=f"State-funded R&D, the R&D part of the envelope and the whole envelope, trillion VND, {B}-{T}",
    alt=(
        f"Line chart: state-funded R&D rises above the R&D part of the envelope from {misfits[0]} and reaches {need:.0f}% of "
        f"the whole envelope in {T}."
    )
    if misfits
    else "Line chart: state-funded R&D stays below the R&D part of the envelope in every year.",
    source=f"{SRC_MODEL}; {SRC_BUDGET}",
)

# %% [markdown]
# ## What the target means on each GDP basis

# %%
uplift = resolved.params["gdp_revision_uplift_pct"]
gdp_T = path["gdp_vnd_bn"].iloc[-1]
basis = pd.DataFrame(
    {
        "target on official (revised) GDP, %": [P["target_share_pct"], P["target_share_pct"] / (1 + uplift / 100)],
        "same money on pre-revision GDP, %": [P["target_share_pct"] * (1 + uplift / 100), P["target_share_pct"]],
        f"R&D in {T}, bn VND": [
            P["target_share_pct"] / 100 * gdp_T,
            P["target_share_pct"] / (1 + uplift / 100) / 100 * gdp_T,
        ],
    },
    index=pd.Index(
        [f"{P['target_share_pct']:g}% of official (revised) GDP", f"{P['target_share_pct']:g}% of pre-revision GDP"],
        name="reading of the target",
    ),
)
report.table(
    basis,
    table_id="target_basis",
    title=f"What {P['target_share_pct']:g}% of GDP means on each GDP basis",
    source=f"GSO GDP revision uplift {uplift:g}% (data/raw/vn_rd_statements.csv); {SRC_MODEL}",
    formats={basis.columns[0]: "{:.2f}", basis.columns[1]: "{:.2f}", basis.columns[2]: "{:,.0f}"},
    note=f"This report uses the '{P['target_gdp_basis']}' reading (parameter target_gdp_basis).",
)
md(
    f"The statistics office's 2019 re-assessment raised GDP by about {uplift:g}%. The science ministry still divides R&D by "
    f"the old GDP, so on its basis {P['target_share_pct']:g}% of GDP is {P['target_share_pct'] / (1 + uplift / 100):.2f}% of "
    f"official GDP, about {(1 - 1 / (1 + uplift / 100)) * 100:.0f}% less money. Which reading the Resolution intends is not "
    "stated; the sensitivity table shows both."
)

# %% [markdown]
# ## Which assumptions matter
#
# Each assumption below is set to a low and a high value while the others stay as in this scenario;
# the bars show how far the required growth of R&D spending moves. Values come from the data where it
# gives a range (the nowcast, the funding account, the budget and GDP records) and are named otherwise.

# %%
SENS = sensitivity.sensitivity_table(resolved, DATA)
central = SENS.attrs["central"]
fig, axes = plt.subplots(1, 2, figsize=(10, 5.2), sharey=True)
rows = SENS.iloc[::-1]
y = np.arange(len(rows))
for ax, key, label in (
    (axes[0], "gerd_nominal_cagr_pct", "R&D growth needed, % a year"),
    (axes[1], "state_gerd_pct_envelope_target", f"State R&D, % of envelope, {T}"),
):
    c0 = central[key]
    ax.barh(y, rows[f"{key} at low"].to_numpy() - c0, left=c0, color="#4C72B0", label="low value")
    ax.barh(y, rows[f"{key} at high"].to_numpy() - c0, left=c0, color="#DD8452", label="high value")
    ax.axvline(c0, color="black", lw=1)
    ax.set(xlabel=label)
axes[0].set_yticks(
    y,
    [
        f"{a}\n({lo} / {hi})"
        for a, lo, hi in zip(rows["assumption"], rows["low value"], rows["high value"], strict=True)
    ],
    fontsize=7,
)
axes[1].legend(fontsize=8, loc="lower right")
fig.suptitle("What moves the answer: each assumption at its low and high value", fontweight="bold")
c0 = central["gerd_nominal_cagr_pct"]
top = SENS.iloc[0]
report.figure(
    fig,
    chart_id="tornado",
    title=f"Sensitivity of the required growth of R&D spending, {B}-{T}, to each assumption",
    alt=f"Tornado chart around the central {c0:.1f}% a year: {top['assumption']} moves it most, from "
    f"{top['gerd_nominal_cagr_pct at low']:.1f}% to {top['gerd_nominal_cagr_pct at high']:.1f}%; the funding shares and the "
    "envelope move only the right-hand panel, the state's share of the budget envelope.",
    source=f"r57 vectorised scenario engine; ranges from {SRC_NOWCAST}, the funding account, {SRC_BUDGET} and {SRC_GDP}",
)
sens_tab = SENS.drop(columns=["swing_gerd_growth_pp", "swing_envelope_pp"]).set_index("assumption")
sens_tab.columns = [
    c.replace("gerd_nominal_cagr_pct", "R&D growth, % a year")
    .replace("share_cagr_pct", "share growth, % a year")
    .replace("state_gerd_pct_envelope_target", f"state R&D, % of envelope {T}")
    .replace("state_gerd_pct_rd_envelope_target", f"state R&D, % of R&D part {T}")
    .replace("gerd_target_usd_bn", f"R&D {T}, USD bn")
    for c in sens_tab.columns
]
report.table(
    sens_tab,
    table_id="sensitivity",
    title="Sensitivity: one row per assumption, low and high value and what each gives",
    source="r57 vectorised scenario engine (one call for all rows)",
    formats={c: "{:.1f}" for c in sens_tab.columns if "%" in c or "USD" in c},
    note=f"Central: R&D growth {c0:.1f}% a year, share growth {central['share_cagr_pct']:.1f}% a year, state R&D "
    f"{central['state_gerd_pct_envelope_target']:.0f}% of the envelope in {T}.",
)


# %% [markdown]
# ## What this report does not say
#
# - It is arithmetic, not a forecast: it shows what the target requires under stated assumptions, not
#   what will happen. The feasibility report compares the required climb with what other countries achieved.
# - The years after the last survey are estimates with a range, not observations; the next survey will replace them.
# - The funding account rests on budget shares and old survey fragments, not on an official series by
#   source of funds; its central/local split and the split of private firms into domestic and
#   foreign-invested were not found.
# - How much of the S&T, innovation and digital-transformation envelope goes to R&D is not published;
#   the default keeps today's estimated share, and the sensitivity table varies it.


# %%
def _rows(frame, status):
    return [
        {
            "year": int(y),
            "status": status,
            **{
                k: float(v)
                for k, v in r.items()
                if k in ("low_pct", "central_pct", "high_pct", "required_pct", "gap_pp")
            },
        }
        for y, r in frame.iterrows()
    ]


results = {
    "report": "rd_paths",
    "title": TITLE,
    "parameters": resolved.params,
    **summary,
    "notes": list(resolved.notes),
    "nowcast": [
        {
            "year": int(y),
            "status": "estimate",
            "low_pct": float(r.low_pct),
            "central_pct": float(r.central_pct),
            "high_pct": float(r.high_pct),
            "gerd_vnd_bn": float(r.gerd_vnd_bn),
            "inputs": r.inputs,
        }
        for y, r in NC.iterrows()
    ],
    "gap_to_date": []
    if GAP is None
    else [
        {
            "year": int(y),
            "status": r.status,
            "share_pct": float(r.central_pct),
            "low_pct": float(r.low_pct),
            "high_pct": float(r.high_pct),
            "required_pct": float(r.required_pct),
            "gap_pp": float(r.gap_pp),
        }
        for y, r in GAP.iterrows()
    ],
    "funding_account": []
    if ACC is None
    else [
        {
            "source": k,
            "counts_as": r["counts as"],
            "low_pct": r.low_pct,
            "central_pct": r.central_pct,
            "high_pct": r.high_pct,
            "central_vnd_bn": r.central_vnd_bn,
            "inputs": r.inputs,
        }
        for k, r in ACC.iterrows()
    ],
    "budget_rule": [{"year": int(y), **{k: v for k, v in r.items()}} for y, r in RULE.iterrows()],
    "sensitivity": SENS.to_dict(orient="records"),
    "sensitivity_central": central,
    "path": [
        {
            "year": int(y),
            "status": str(s),
            "share_pct": float(r.share_pct),
            "gdp_vnd_bn": float(r.gdp_vnd_bn),
            "gdp_usd_bn": float(r.gdp_usd_bn),
            "gdp_observed": bool(r.gdp_observed),
            "gdp_status": "official" if r.gdp_observed else "projected",
            "gerd_vnd_bn": float(r.gerd_vnd_bn),
            "gerd_usd_bn": float(r.gerd_usd_bn),
            "nonstate_share_pct": float(r.nonstate_share_pct),
            "state_gerd_vnd_bn": float(r.state_gerd_vnd_bn),
            "nonstate_gerd_vnd_bn": float(r.nonstate_gerd_vnd_bn),
            "science_budget_share_pct": float(r.science_budget_share_pct),
            "envelope_vnd_bn": float(r.envelope_vnd_bn),
            "rd_envelope_vnd_bn": float(r.rd_envelope_vnd_bn),
            "state_gerd_pct_budget": float(r.state_gerd_pct_budget),
            "state_gerd_pct_envelope": float(r.state_gerd_pct_envelope),
            "fits_envelope": bool(r.fits_envelope),
        }
        for (y, r), s in zip(path.iterrows(), ROW_STATUS, strict=True)
    ],
    "provenance": provenance.provenance_record(
        ["vn_gerd.csv", "vn_gdp.csv", "vn_state_budget.csv", "vn_gerd_funding.csv", "vn_rd_statements.csv"]
    ),
}
results = report.finish(results, resolved.params)
