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

# %% [markdown]
# # Is the R&D spending target feasible?
#
# The scenario report (notebook 01) shows what the Resolution 57 target for R&D spending (GERD) requires.
# This report asks the next questions an economist would: **has any economy ever climbed that fast**,
# **which economies climbed from where Viet Nam stands, and how**, **where the required growth must come
# from** (GDP, R&D intensity, researchers, spending per researcher), **what R&D intensity Viet Nam's income
# level predicts**, and **how uncertain the money needed is**, given that GDP growth, inflation and the
# exchange rate are uncertain. Every number comes from the data snapshots listed at the end or from a
# parameter named there.

# %% tags=["parameters"]
# Parameters (papermill). `r57 params rd_feasibility` lists units, allowed values and the reason for each default.
base_year: int = 2023  # year the climb starts; latest international GERD figure
base_share_pct: "Optional[float]" = None  # GERD % of GDP in base_year; None means the observed value
gerd_series: str = "uis"  # uis or ministry
target_share_pct: float = 2.0  # GERD % of GDP to reach (Resolution 57)
target_year: int = 2030  # year to reach it (Resolution 57)
path_shape: str = "geometric"  # shape of the planned path (as in notebook 01)
logistic_steepness: float = 8.0  # used by the logistic shape only
back_loaded_exponent: float = 2.0  # used by the back_loaded shape only
real_gdp_growth_pct: "Union[float, dict]" = 6.5  # planning assumption of notebook 01, % a year
gdp_deflator_pct: "Union[float, dict]" = 3.0  # % a year
vnd_depreciation_pct: "Union[float, dict]" = 2.0  # % a year against the USD
nonstate_share_base_pct: "Optional[float]" = (
    None  # % of GERD not paid from the state budget in base_year; None: the funding account
)
nonstate_share_target_pct: "Optional[float]" = (
    None  # % of GERD from non-state sources in target_year; None: max(60, base)
)
budget_exp_pct_gdp: "Optional[float]" = None  # state-budget expenditure, % of GDP; None means the latest data
science_budget_share_pct: float = 3.0  # % of budget expenditure for S&T, innovation and digital transformation
window_years: "Optional[int]" = None  # length of historical windows; None means target_year minus base_year
start_share_below_pct: float = 1.0  # windows starting below this share are low-start analogues
population_growth_pct: float = 1.0  # % a year, for GDP per person in the target year
structural_spec: str = "log_linear"  # log_linear or log_quadratic
growth_sample_start: int = 2000  # first year of the growth history the GDP model is fitted on
growth_max_ar_order: int = 2  # highest AR order tried; lowest AIC wins
jump_flag_pct_per_year: float = 40.0  # % a year between consecutive observations flagged as a coverage jump
deflator_sd_pp: float = 1.7  # s.d. of yearly GDP-deflator shocks in the simulation, points
depreciation_sd_pp: float = 1.0  # s.d. of yearly VND/USD depreciation shocks, points
price_shock_persistence: float = 0.0  # AR(1) carry-over of price and exchange-rate shocks
researchers_target_per_10k: float = 12.0  # Resolution 57: researchers per 10,000 people
researchers_target_year: int = 2030  # year of the researcher target
researchers_trend_years: int = 10  # years of history for the researcher trend
peer_economies: str = "CHN,KOR,THA,MYS"  # ISO3 codes always drawn as peers
peer_level_tolerance_pct: float = 10.0  # a peer's first observation this close to Viet Nam's level counts as at it, %
n_fast_climbers: int = 3  # fastest climbers from Viet Nam's level added to the peers
n_simulations: int = 20000  # simulated GDP growth paths
seed: int = 57  # random seed: same seed, same simulation
interval_pct: float = 80.0  # width of reported intervals, %
lang: str = "en"  # language of the report: en (English) or vi (Vietnamese)
results_path: str = ""  # set by the runner: where results.json goes (empty: do not write)

# %%
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from IPython.display import HTML, display

from analysis import i18n
from analysis.reports import params, provenance
from analysis.reports import rd_feasibility as fs
from analysis.reports.render import Report, frame_records, md, plain_log_ticks, setup_plotting
from analysis.reports.words import display_name, number

P = params.validate(
    "rd_feasibility",
    {name: value for name, value in globals().items() if name in params.notebook_spec("rd_feasibility").names()},
)
i18n.use(P["lang"])  # every text and number below in the report's language
F = fs.run(P)
S = F.summary
inp = F.rd.inputs
report = Report(results_path)
setup_plotting()
SRC_WDI_GERD = "UNESCO UIS via World Bank WDI (GB.XPD.RSDV.GD.ZS, release 2026-07-13), economies only"
SRC_WDI_PC = "World Bank WDI NY.GDP.PCAP.CD (2026-07-13)"
SRC_RES = "UNESCO UIS via World Bank WDI SP.POP.SCIE.RD.P6 (2026-07-13), FTE researchers"
SRC_POP = "World Bank WDI SP.POP.TOTL to 2024, then population_growth_pct"
SRC_GROWTH = "World Bank WDI NY.GDP.MKTP.KD.ZG (2025-12-15) and GSO (2025)"
T, B, W = inp.target_year, inp.base_year, F.window_years
lo_label, hi_label = f"p{(100 - S['interval_pct']) / 2:g}", f"p{100 - (100 - S['interval_pct']) / 2:g}"

# %% [markdown]
# ## 1. Has any country climbed this fast?

# %%
E = S["windows_by_kind"]
display(
    HTML(
        f"<div class='r57-callout'><p>Viet Nam must raise R&D spending by <strong>{S['required_increase_pp']:.2f} percentage points "
        f"of GDP in {T - B} years</strong> (from {inp.base_share_pct:.3g}% in {B} to {inp.target_share_pct:g}% in {T}). "
        f"Of <strong>{S['economies_total']}</strong> economies with a {W}-year window on record since 1996, "
        f"<strong>{S['economies_reaching']}</strong> ever rose that much"
        + (f" ({', '.join(S['countries_reaching'])})" if S["countries_reaching"] else "")
        + f"; of the {S['low_start_economies']} that had a window starting below {P['start_share_below_pct']:g}% of GDP, "
        f"<strong>{S['low_start_economies_reaching']}</strong> did. The largest rise on record is {S['max_observed_increase_pp']:.2f} points, "
        f"by {S['max_observed_country']} in {S['max_observed_period']}, starting from {S['max_observed_start_pct']:.1f}% of GDP; the largest "
        f"from below {P['start_share_below_pct']:g}% is {S['max_low_start_increase_pp']:.2f} points. In relative terms the required growth of "
        f"the share, {S['required_share_cagr_pct']:.1f}% a year, was matched in {S['share_of_windows_reaching_cagr_pct']:.1f}% of windows, "
        "almost all from very low starting points.</p></div>"
    )
)
md(
    f"**How windows are built.** A window starts at an *observed* value and ends {W} years later. Many economies, "
    f"Viet Nam among them, survey R&D every other year, so an end point exactly {W} years later often does not exist. "
    f"The end point is therefore: the observation {W} years later where there is one (**exact**, {E['exact']:,} windows); "
    f"otherwise the average of the observations one year before and one year after (**interpolated**, an estimate, "
    f"{E['interpolated']:,} windows); otherwise the one observation a year before or after, making the window one year "
    f"shorter or longer (**nearest**, {E['nearest']:,} windows). The table below counts each kind separately. WDI regional "
    "and income aggregates are excluded.\n\n"
    "**Windows are not independent.** One economy contributes up to one window per observed start year, and its "
    "overlapping windows share most of their years. A share of windows therefore overstates how much evidence there is; "
    "the honest count is of **economies**, shown beside the count of windows.\n\n"
    f"**Coverage jumps.** The WDI files carry no flag for a break in a series. A change of {P['jump_flag_pct_per_year']:g}% "
    "a year or more between consecutive observations (at most two years apart), up or down, is flagged as a possible change "
    f"in what the survey covers: {S['coverage_jumps_flagged']} such steps, touching {S['windows_with_coverage_jump']:,} windows"
    + (
        f"; Viet Nam's own {', '.join(S['vietnam_coverage_jumps'])} step is one of them"
        if S["vietnam_coverage_jumps"]
        else ""
    )
    + f". Without the flagged windows, the number of economies that rose by the required amount is "
    f"{S['economies_reaching_without_coverage_jumps']}"
    + (
        f" ({', '.join(S['economies_reaching_names_without_coverage_jumps'])})."
        if S["economies_reaching_names_without_coverage_jumps"]
        else "."
    )
)
wc = F.window_counts.rename(
    columns={
        "end points": "end points",
        "windows": "windows",
        "economies": "economies",
        "windows_reaching": "windows rising enough",
        "economies_reaching": "economies rising enough",
        "low_start_windows": f"windows from below {P['start_share_below_pct']:g}%",
        "low_start_economies": f"economies from below {P['start_share_below_pct']:g}%",
        "low_start_windows_reaching": f"windows from below {P['start_share_below_pct']:g}% rising enough",
        "low_start_economies_reaching": f"economies from below {P['start_share_below_pct']:g}% rising enough",
        "max_rise_pp": "largest rise, pp",
        "max_low_start_rise_pp": f"largest rise from below {P['start_share_below_pct']:g}%, pp",
    }
)
report.table(
    wc,
    table_id="window_counts",
    index=False,
    title=f"{W}-year windows and the economies behind them, by kind of end point",
    note=f"'Rising enough' means by at least {S['required_increase_pp']:.2f} points. 'Interpolated' end points are estimates; "
    f"'nearest' windows last {W - 1} or {W + 1} years. The last row leaves out windows containing a flagged coverage jump.",
    source=SRC_WDI_GERD,
    formats={c: "{:.2f}" for c in wc.columns if c.endswith(", pp")},
)
win = F.windows.assign(
    start=np.where(
        F.windows["start_pct"] < P["start_share_below_pct"],
        f"started below {P['start_share_below_pct']:g}%",
        f"started at {P['start_share_below_pct']:g}% or more",
    ),
    **{"end point": F.windows["end_kind"]},
)
fig, ax = plt.subplots(figsize=(9.5, 5))
markers = {"exact": "o", "interpolated": "s", "nearest": "^"}
for (group, kind), g in win.groupby(["start", "end point"]):  # one collection per group keeps the SVG small
    ax.scatter(
        g["start_pct"],
        g["rise_pp"],
        s=14,
        alpha=0.4,
        lw=0,
        marker=markers[kind],
        color="#4C72B0" if group.startswith("started below") else "#DD8452",
        label=f"{group}, {kind} end",
    )
jw = win[win["coverage_jump"]]
ax.scatter(
    jw["start_pct"],
    jw["rise_pp"],
    facecolors="none",
    edgecolors="black",
    s=30,
    lw=0.5,
    label="contains a coverage jump",
)
ax.scatter(
    [inp.base_share_pct],
    [S["required_increase_pp"]],
    color="firebrick",
    s=140,
    marker="*",
    zorder=5,
    label=f"Viet Nam, required {B}-{T}",
)
ax.axhline(S["required_increase_pp"], color="firebrick", lw=0.8, ls="--")
ax.axhline(0, color="grey", lw=0.8)
ax.set(
    xlabel="R&D spending at the start of the window, % of GDP",
    ylabel=f"Change over about {W} years, percentage points of GDP",
    title=f"Every {W}-year change in R&D intensity on record, and what Viet Nam needs",
)
ax.legend(title=None, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=7)
report.figure(
    fig,
    chart_id="windows_scatter",
    title=f"Change in R&D spending (GERD, % of GDP) over every {W}-year window (end point within a year), 1996-2024",
    alt=f"Scatter chart of {S['windows_total']} windows in {S['economies_total']} economies. Almost all changes lie between minus one and "
    f"plus one percentage point; Viet Nam's required rise of {S['required_increase_pp']:.2f} points from a start of "
    f"{inp.base_share_pct:.2f}% sits above every window that started below {P['start_share_below_pct']:g}%.",
    source=SRC_WDI_GERD,
)
fig, ax = plt.subplots()
sns.histplot(F.windows["rise_pp"], bins=60, ax=ax, color="#4C72B0")
ax.axvline(S["required_increase_pp"], color="firebrick", ls="--")
ax.annotate(
    f"Viet Nam needs +{S['required_increase_pp']:.2f}",
    (S["required_increase_pp"], ax.get_ylim()[1] * 0.9),
    xytext=(-6, 0),
    textcoords="offset points",
    ha="right",
    color="firebrick",
)
ax.set(
    xlabel=f"Change over about {W} years, percentage points of GDP",
    ylabel="Number of windows (overlapping, not independent)",
    title="Distribution of observed changes",
)
report.figure(
    fig,
    chart_id="windows_histogram",
    title=f"How often R&D intensity changed by a given amount over {W} years",
    alt=f"Histogram centred just above zero; the required rise of {S['required_increase_pp']:.2f} points is in the far right tail, "
    f"beyond {S['required_increase_percentile']:.1f}% of all windows.",
    source=SRC_WDI_GERD,
)

# %%
an = F.analogues[
    ["entity_name", "start_year", "end_year", "end_kind", "start_pct", "end_pct", "rise_pp", "share_cagr_pct"]
].copy()
an.columns = [
    "economy",
    "from",
    "to",
    "end point",
    "start, % of GDP",
    "end, % of GDP",
    "rise, pp",
    "share growth, % a year",
]
report.table(
    an,
    table_id="analogues",
    index=False,
    title=f"Closest analogues: the best {W}-year climb of each economy that started near Viet Nam's level",
    note=f"Windows starting between {inp.base_share_pct / 2:.2f}% and {inp.base_share_pct * 2:.2f}% of GDP.",
    source=SRC_WDI_GERD,
    formats={
        "start, % of GDP": "{:.2f}",
        "end, % of GDP": "{:.2f}",
        "rise, pp": "{:.2f}",
        "share growth, % a year": "{:.1f}",
    },
)
md(
    f"### Peers from Viet Nam's level\n\n"
    f"The chart aligns each peer at the year its R&D intensity first reached Viet Nam's starting level, "
    f"{inp.base_share_pct:.2f}% of GDP (interpolated between surveys; year 0), and draws Viet Nam's required path from {B} on the same "
    f"axis. Peers: the named economies ({', '.join(fs.peer_codes(P['peer_economies']))})"
    + (
        f" and the {P['n_fast_climbers']} economies that stood highest {W} years after crossing that level. "
        if P["n_fast_climbers"]
        else ". "
    )
    + (
        f"Of the {S['economies_crossing_level_with_window']} economies that passed {inp.base_share_pct:.2f}% with {W} years of data "
        f"after, the highest stood at **{S['fastest_from_level_share_pct']:.2f}%** of GDP {W} years later "
        f"({S['fastest_from_level_economy']}); Viet Nam's path needs {inp.target_share_pct:g}%. "
        if S["fastest_from_level_economy"]
        else ""
    )
    + (
        "Not aligned: "
        + "; ".join(f"{k} ({v})" for k, v in S["peers_not_aligned"].items())
        + ". The WDI series starts in 1996, so economies already above the level then cannot be placed by level; the table gives "
        "their R&D intensity when they had Viet Nam's income instead. "
        if S["peers_not_aligned"]
        else ""
    )
)
pt = F.peer_table.copy()
pt["crossing_year"] = pt["crossing_year"].map(lambda v: None if v is None or pd.isna(v) else round(float(v), 1))
pt["income_crossing_year"] = pt["income_crossing_year"].map(
    lambda v: None if v is None or pd.isna(v) else round(float(v), 1)
)
pt = pt[
    [
        "entity_name",
        "group",
        "crossing_year",
        "how",
        "share_after_7y_pct",
        "share_after_10y_pct",
        "gdp_pc_usd_at_crossing",
        "income_crossing_year",
        "share_at_income_crossing_pct",
    ]
]
pt.columns = [
    "economy",
    "group",
    f"year at {inp.base_share_pct:.2f}% of GDP",
    "how found",
    "share 7 years later, %",
    "share 10 years later, %",
    "GDP per person then, USD",
    f"year at Viet Nam's {S['vietnam_latest_gerd_year']} income",
    "R&D share then, %",
]
report.table(
    pt,
    table_id="peers",
    index=False,
    title="Peers: when they stood where Viet Nam stands, and what followed",
    note=f"Viet Nam's income: USD {S['vietnam_gdp_per_capita_usd_latest']:,.0f} per person in {S['vietnam_latest_gerd_year']} "
    "(current dollars; earlier dollars bought more). Shares later than the crossing are interpolated between surveys "
    "where needed; empty where the series does not reach that far or has no survey within two years.",
    source=f"{SRC_WDI_GERD}; {SRC_WDI_PC}",
    formats={
        "share 7 years later, %": "{:.2f}",
        "share 10 years later, %": "{:.2f}",
        "GDP per person then, USD": "{:,.0f}",
        "R&D share then, %": "{:.2f}",
    },
)
fig, axes = plt.subplots(1, 2, figsize=(12, 5), sharey=True)
named = set(fs.peer_codes(P["peer_economies"]))
colours = dict(zip(F.peer_table["entity"], sns.color_palette("tab10", len(F.peer_table)), strict=False))
panels = (
    (
        axes[0],
        F.peer_paths,
        "years_from_level",
        0,
        f"Years since reaching {inp.base_share_pct:.2f}% of GDP (Viet Nam: since {B})",
        f"Aligned at Viet Nam's starting level, {inp.base_share_pct:.2f}% of GDP",
    ),
    (
        axes[1],
        F.peer_income_paths,
        "years_from_start",
        B - S["vietnam_latest_gerd_year"],
        f"Years since GDP per person reached USD {S['vietnam_gdp_per_capita_usd_latest']:,.0f} (Viet Nam: since {S['vietnam_latest_gerd_year']})",
        f"Aligned at Viet Nam's {S['vietnam_latest_gerd_year']} income",
    ),
)
for ax, pp, xcol, vn_offset, xlabel, title in panels:
    for ent, g in pp.groupby("entity", sort=False):
        ax.plot(
            g[xcol],
            g["value"],
            marker="o",
            ms=3,
            lw=1.6 if ent in named else 1.0,
            color=colours.get(ent),
            ls="-" if ent in named else ":",
            label=g["entity_name"].iloc[0] + ("" if ent in named else " (fast climber)"),
        )
    ax.plot(
        np.asarray(F.years) - B + vn_offset,
        F.path["share_pct"],
        color="black",
        lw=2.5,
        label=f"Viet Nam, required ({display_name(inp.path_shape)})",
    )
    ax.axhline(inp.base_share_pct, color="grey", lw=0.7, ls="--")
    ax.set(
        xlabel=xlabel,
        title=title,
        xlim=(-3, max(T - B + vn_offset, 10) + 8),
        ylim=(0, max(inp.target_share_pct * 1.35, 1.0)),
    )
    ax.legend(title=None, fontsize=7, loc="upper left")
axes[0].set_ylabel("R&D spending (GERD), % of GDP")
fig.suptitle("Peers beside Viet Nam's required path", fontweight="bold")
inc_known = F.peer_table.dropna(subset=["share_at_income_crossing_pct"])
top_inc = inc_known.loc[inc_known["share_at_income_crossing_pct"].astype(float).idxmax()] if len(inc_known) else None
best_after = pt["share 7 years later, %"].max() if pt["share 7 years later, %"].notna().any() else float("nan")
report.figure(
    fig,
    chart_id="peer_paths",
    title="R&D intensity (% of GDP) of peers aligned at the year they reached Viet Nam's level (left) or income (right), "
    "with Viet Nam's required path",
    note="Income in current US dollars of each year.",
    alt=(
        f"Line chart: peers aligned at the year they reached Viet Nam's starting level. Seven years on, the highest stood at about "
        f"{best_after:.2f}% of GDP; Viet Nam's required path reaches {inp.target_share_pct:g}% in {T - B} years."
        + (
            f" Aligned at Viet Nam's income instead, {top_inc['entity_name']} spent the most then, {top_inc['share_at_income_crossing_pct']:.2f}% of GDP."
            if top_inc is not None
            else ""
        )
        if best_after == best_after
        else f"Viet Nam's required path to {inp.target_share_pct:g}% in {T - B} years; no peer could be aligned at Viet Nam's level for seven years."
    ),
    source=f"{SRC_WDI_GERD}; Viet Nam: r57 path model",
)

# %% [markdown]
# ### What the data carry with them
#
# - **Fast climbs do not always last.** Several economies fell back after a rapid rise (table below,
#   which always includes the named peers that fell back). A target year is not the end of the story.
# - **Vintages disagree.** Other releases (OECD MSTI via NSF/NCSES, earlier WDI) differ from the WDI
#   2026 release used here by more than 0.1 point for the economies in the second table; Korea's
#   values are lower in WDI across 2000-2022, consistent with a GDP revision. This report uses one
#   vintage throughout.

# %%
named_fb = F.fallbacks[F.fallbacks["entity"].isin(fs.peer_codes(P["peer_economies"]))]
fb_all = (
    pd.concat([F.fallbacks.head(12), named_fb])
    .drop_duplicates("entity")
    .sort_values("drop_pp", ascending=False)
    .reset_index(drop=True)
)
md(
    "; ".join(
        f"{r.entity_name} fell from {r.peak_pct:.2f}% in {r.peak_year} to {r.later_pct:.2f}% in {r.later_year}"
        for r in named_fb.itertuples()
    )
    + "."
    if len(named_fb)
    else "None of the named peers fell back by 0.3 points or more."
)
fb = fb_all[["entity_name", "peak_year", "peak_pct", "later_year", "later_pct", "drop_pp"]]
fb.columns = ["economy", "peak year", "peak, % of GDP", "later year", "later, % of GDP", "fall, pp"]
report.table(
    fb,
    table_id="fallbacks",
    index=False,
    title="Economies whose R&D intensity fell back by 0.3 points or more",
    note="The twelve largest falls and every named peer that fell back.",
    source=SRC_WDI_GERD,
    formats={c: "{:.2f}" for c in ["peak, % of GDP", "later, % of GDP", "fall, pp"]},
)
vg = F.vintage_gaps[["entity_name", "year", "wdi_pct", "other_pct", "gap_pp", "other_source"]]
vg.columns = ["economy", "year", "WDI 2026, %", "other release, %", "difference, pp", "other release"]
report.table(
    vg,
    table_id="vintage_gaps",
    index=False,
    title="Where releases disagree by 0.1 point or more",
    source="World Bank WDI 2026-07-13 against OECD MSTI / NSF NCSES and earlier WDI releases (data/raw/gerd_pct_gdp_vintages.csv)",
    formats={"WDI 2026, %": "{:.2f}", "other release, %": "{:.2f}", "difference, pp": "{:+.2f}"},
)

# %% [markdown]
# ## 2. Where must the growth come from?
#
# R&D spending in current dong is GDP times R&D intensity, and GDP is real output times the price level;
# it is also the number of researchers times spending per researcher, and the number of researchers is
# researchers per person times the population. Taking logs turns each product into a sum, so the
# required growth splits **exactly** into parts (shown in log points, which add; the % a year beside them
# do not quite add). Researchers are full-time-equivalent researchers as UNESCO counts them (World Bank
# WDI SP.POP.SCIE.RD.P6, surveys every other year); the Resolution's target of 12 per 10,000 people
# does not say whether it counts full-time equivalents or persons, and a count of persons
# rather than full-time equivalents would put Viet Nam's figure much higher. The decomposition uses
# full-time equivalents, the only basis with a series.

# %%
dec = F.decomposition
H = S["researcher_history"]
md(
    f"From {B} to {T}, R&D spending must grow **{S['gerd_nominal_growth_pct']:.1f}% a year in current dong**: real GDP "
    f"{S['real_gdp_growth_avg_pct']:.1f}% a year, GDP prices {S['deflator_avg_pct']:.1f}% and R&D intensity "
    f"**{S['intensity_growth_pct']:.1f}%**, which is {S['intensity_share_of_gerd_growth_pct']:.0f}% of the required growth: faster GDP "
    "growth helps only a little.\n\n"
    f"Researchers per 10,000 people must go from {S['researchers_per_10k_base']:.2f} in {B} ({S['researchers_per_10k_base_status']}) "
    f"to {S['researchers_per_10k_target_year']:.1f} in {T} (the Resolution's {P['researchers_target_per_10k']:g} by "
    f"{P['researchers_target_year']}), **{S['researcher_density_growth_pct']:.1f}% a year**"
    + (f", against {H['density_pct']:.1f}% a year in {H['years']}" if H else "")
    + f"; with the population growing {S['population_growth_avg_pct']:.2f}% a year the number of researchers rises from about "
    f"{S['researchers_base']:,.0f} to {S['researchers_target_year']:,.0f}"
    + (f" (it grew {H['researchers_pct']:.1f}% a year in {H['years']})" if H else "")
    + f". Even with that many more researchers, **real spending per researcher must grow "
    f"{S['real_spending_per_researcher_growth_pct']:.1f}% a year**"
    + (f", against {H['real_spending_per_researcher_pct']:.1f}% a year in {H['years']}" if H else "")
    + f": from about {S['spending_per_researcher_base_mn_vnd']:,.0f} million dong a year per researcher in {B} to "
    f"{S['spending_per_researcher_target_mn_vnd']:,.0f} million in {T} (current prices), about "
    f"**{S['real_spending_per_researcher_multiple']:.1f} times** as much per researcher in real terms. Meeting the researcher target "
    "does not make the spending target easier: most of the money must go to researchers already counted."
)
dt = dec.rename(
    columns={
        "decomposition": "decomposition",
        "component": "component",
        "log_points_per_year": "log points a year",
        "pct_per_year": "% a year",
        "share_of_total_pct": "share of the required growth, %",
    }
)
report.table(
    dt,
    table_id="decomposition",
    index=False,
    title=f"The required growth of R&D spending, {B}-{T}, split two ways",
    note="In each decomposition the log points of the parts add up to the total exactly. Years after the last "
    "observation are required or assumed, not observed.",
    source=f"r57 path model (notebook 01 assumptions); researchers: {SRC_RES}; population: {SRC_POP}",
    formats={"log points a year": "{:.4f}", "% a year": "{:.1f}", "share of the required growth, %": "{:.1f}"},
)
fig, ax = plt.subplots(figsize=(9, 3.6))
palette = {
    "real GDP": "#4C72B0",
    "GDP prices (deflator)": "#8C8C8C",
    "R&D intensity (share of GDP)": "#C44E52",
    "population": "#55A868",
    "researchers per person": "#64B5CD",
    "real spending per researcher": "#DD8452",
}
for i, (_name, part) in enumerate(dec.groupby("decomposition", sort=False)):
    left = 0.0
    for r in part[part["component"] != "R&D spending (GERD, current VND)"].itertuples():
        ax.barh(
            i,
            r.share_of_total_pct,
            left=left,
            color=palette[r.component],
            edgecolor="white",
            label=r.component if r.component not in ax.get_legend_handles_labels()[1] else None,
        )
        if abs(r.share_of_total_pct) >= 6:
            ax.text(
                left + r.share_of_total_pct / 2,
                i,
                f"{r.pct_per_year:.1f}%/yr",
                ha="center",
                va="center",
                fontsize=8,
                color="white",
            )
        left += r.share_of_total_pct
ax.set_yticks([0, 1], ["GDP x intensity", "researchers x spending\nper researcher"])
ax.set(
    xlabel=f"Share of the required growth of R&D spending (log points), % (total {S['gerd_nominal_growth_pct']:.1f}% a year)",
    title="Where the required growth of R&D spending must come from",
)
ax.legend(fontsize=7, ncol=3, loc="upper center", bbox_to_anchor=(0.5, -0.3))
report.figure(
    fig,
    chart_id="decomposition",
    title=f"The required growth of R&D spending (current VND), {B}-{T}, split into its parts, % of the total",
    alt=f"Two stacked bars. In the first, R&D intensity is {S['intensity_share_of_gerd_growth_pct']:.0f}% of the required growth and GDP "
    f"the rest. In the second, real spending per researcher is the largest part, growing {S['real_spending_per_researcher_growth_pct']:.0f}% "
    f"a year, with researchers per person {S['researcher_density_growth_pct']:.1f}% a year.",
    source=f"r57 path model; {SRC_RES}; {SRC_POP}",
)
from matplotlib.ticker import MaxNLocator

rs_ = F.researchers
spr = F.spending_per_researcher
fig, axes = plt.subplots(1, 2, figsize=(11, 4.3))
style = {
    "observed": dict(marker="o", ls="-", color="#1f3b73"),
    "estimate": dict(marker="o", ls="", mfc="white", color="#1f3b73"),
    "required": dict(marker="", ls="--", color="firebrick"),
}
for ax, df, col, scale, ylabel in (
    (axes[0], rs_[rs_["year"] >= 2010], "value", 0.01, "FTE researchers per 10,000 people"),
    (axes[1], spr, "mn_vnd_per_researcher_base_prices", 1.0, f"Million VND per researcher a year, {B} prices"),
):
    for status, g in df.groupby("status"):
        if status == "required":  # join the required path to its start
            start = df[df["year"] == B]
            g = pd.concat([start, g])
        ax.plot(g["year"], g[col] * scale, label=status, **style[status])
    ax.set(xlabel="Year", ylabel=ylabel)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
axes[0].axhline(P["researchers_target_per_10k"], color="grey", lw=0.8, ls=":")
axes[0].set_title("Researchers per 10,000 people")
axes[1].set_title("R&D spending per researcher")
axes[0].legend(fontsize=8)
report.figure(
    fig,
    chart_id="researchers",
    title=f"Researchers per 10,000 people and real R&D spending per researcher: observed, estimated and required, to {T}",
    alt=f"Left: researchers per 10,000 people rose slowly from {rs_[rs_['year'] >= 2013]['value'].iloc[0] / 100:.1f} in 2013 to "
    f"{S['researchers_per_10k_base']:.1f} and must reach {S['researchers_per_10k_target_year']:.1f}. Right: real spending per researcher, "
    f"nearly flat since 2017, must rise about {S['real_spending_per_researcher_multiple']:.1f}-fold.",
    source=f"{SRC_RES}; {SRC_POP}; R&D spending: UIS share x GDP (WDI, GSO); r57 path model",
)
st = spr.rename(
    columns={
        "gerd_vnd_bn": "R&D spending, bn VND",
        "researchers": "researchers (FTE)",
        "price_index": f"GDP prices, {B} = 1",
        "mn_vnd_per_researcher": "million VND per researcher",
        "mn_vnd_per_researcher_base_prices": f"million VND per researcher, {B} prices",
    }
)
report.table(
    st,
    table_id="spending_per_researcher",
    index=False,
    title="R&D spending per researcher, observed and required",
    note="status: observed (survey years), estimate (researchers carried from the last survey at their trend), required (on the path).",
    source=f"{SRC_RES}; {SRC_POP}; r57 path model",
    formats={
        "R&D spending, bn VND": "{:,.0f}",
        "researchers (FTE)": "{:,.0f}",
        f"GDP prices, {B} = 1": "{:.3f}",
        "million VND per researcher": "{:,.0f}",
        f"million VND per researcher, {B} prices": "{:,.0f}",
    },
)

# %% [markdown]
# ## 3. What does Viet Nam's income predict?
#
# Richer economies spend more of their GDP on R&D. A cross-country regression of the log of R&D
# intensity on the log of GDP per person (current US dollars), with a separate intercept for each
# year and standard errors clustered by economy (each economy contributes many correlated years),
# gives the R&D intensity typical of an income level. The log-log form reads as an elasticity and
# keeps predictions positive; the year effects absorb world-wide shifts and the dollar's price level.
# Years with fewer than 60 economies are left out so that each year effect rests on a broad sample.

# %%
diag = pd.DataFrame(
    {
        "headline (" + display_name(P["structural_spec"]) + ")": fs.structural.diagnostics(F.structural_fit),
        "alternative": fs.structural.diagnostics(F.structural_alt_fit),
    }
)
diag = diag.map(number).rename_axis("measure")  # one format whatever the size: 6,640 beside 6,601, blanks not 'nan'
report.table(
    diag,
    table_id="structural_diagnostics",
    title="Fit of the structural benchmark",
    note="A blank cell: the measure does not apply to that form (the log-linear form has no squared term).",
    source=f"{SRC_WDI_GERD}; {SRC_WDI_PC}; statsmodels OLS with year effects, errors clustered by economy",
)
md(
    f"Each 1% more income goes with about **{S['structural_elasticity']:.2f}% more R&D intensity**. Income explains only part of the "
    "variation (R-squared shown above): economies at the same income differ widely, which is why the prediction interval "
    f"below is wide. In {S['vietnam_latest_gerd_year']}, at USD {S['vietnam_gdp_per_capita_usd_latest']:,.0f} per person, the benchmark "
    f"predicts **{S['structural_share_now_pct']:.2f}% of GDP**; Viet Nam's {inp.base_share_pct:.2f}% is "
    f"{S['vietnam_share_vs_structural_ratio']:.2f} times that, already above the line. With GDP as in notebook 01 and population "
    f"growing {P['population_growth_pct']:g}% a year, income reaches about USD {S['vietnam_gdp_per_capita_usd_target']:,.0f} per person in "
    f"{T}, where the benchmark predicts **{S['structural_share_target_pct']:.2f}% of GDP** ({S['interval_pct']:g}% prediction interval "
    f"{S['structural_share_target_lo_pct']:.2f}-{S['structural_share_target_hi_pct']:.2f}%; "
    f"{S['structural_share_target_with_vn_residual_pct']:.2f}% if Viet Nam keeps its current lead over the line). "
    f"The {inp.target_share_pct:g}% target is about **{inp.target_share_pct / S['structural_share_target_pct']:.1f} times** the structural level."
)
sd = F.structural_fit.data
ref = sd[sd["year"] == F.structural_fit.reference_year]
grid = np.exp(np.linspace(np.log(ref["gdp_pc_usd"].min()), np.log(ref["gdp_pc_usd"].max()), 80))
curve = fs.structural.predict_share(F.structural_fit, grid, F.structural_fit.reference_year, S["interval_pct"])
fig, ax = plt.subplots(figsize=(8, 5))
ax.scatter(
    ref["gdp_pc_usd"],
    ref["gerd_pct_gdp"],
    s=14,
    alpha=0.5,
    color="#4C72B0",
    label=f"economies, {F.structural_fit.reference_year}",
)
ax.plot(curve["gdp_pc_usd"], curve["share_pct"], color="black", label="benchmark")
ax.fill_between(
    curve["gdp_pc_usd"],
    curve["pred_lo_pct"],
    curve["pred_hi_pct"],
    color="grey",
    alpha=0.15,
    label=f"{S['interval_pct']:g}% prediction interval",
)
ax.scatter(
    [S["vietnam_gdp_per_capita_usd_latest"]],
    [inp.base_share_pct],
    color="firebrick",
    s=80,
    zorder=5,
    label=f"Viet Nam {S['vietnam_latest_gerd_year']}",
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
    label=f"benchmark for Viet Nam {T}",
)
ax.scatter(
    [S["vietnam_gdp_per_capita_usd_target"]],
    [inp.target_share_pct],
    color="firebrick",
    marker="*",
    s=160,
    zorder=5,
    label=f"target {T}",
)
ax.set(
    xscale="log",
    yscale="log",
    xlabel="GDP per person, current USD (log scale)",
    ylabel="R&D spending, % of GDP (log scale)",
    title="R&D intensity and income across economies",
)
plain_log_ticks(ax)  # 60, 100, not 6x10^1
ax.legend(fontsize=8, loc="upper left")
report.figure(
    fig,
    chart_id="structural",
    title=f"R&D spending (% of GDP) against GDP per person, {F.structural_fit.reference_year}, with the fitted benchmark",
    alt=f"Log-log scatter of economies with an upward-sloping fitted line. Viet Nam sits slightly above the line; the benchmark for "
    f"its {T} income is about {S['structural_share_target_pct']:.1f}% of GDP, while the {inp.target_share_pct:g}% target lies well above "
    "the band where most economies of that income are.",
    source=f"{SRC_WDI_GERD}; {SRC_WDI_PC}; r57 structural benchmark (statsmodels)",
)
ra = F.reached_at_income
low = S["lowest_income_reaching_target"]
md(
    f"**Who reached {inp.target_share_pct:g}% at Viet Nam's projected income?** "
    + (
        f"{len(S['economies_reaching_target_at_projected_income'])} "
        f"{'economy' if len(S['economies_reaching_target_at_projected_income']) == 1 else 'economies'} had R&D of {inp.target_share_pct:g}% of GDP or more in a year "
        f"when their GDP per person was at or below USD {S['vietnam_gdp_per_capita_usd_target']:,.0f}: "
        f"{', '.join(S['economies_reaching_target_at_projected_income'])}. "
        if S["economies_reaching_target_at_projected_income"]
        else f"**None**: no economy in the data had R&D of {inp.target_share_pct:g}% of GDP or more in a year when its GDP per person was at or "
        f"below USD {S['vietnam_gdp_per_capita_usd_target']:,.0f}, Viet Nam's projected income in {T}. "
    )
    + (
        f"The poorest to get there was {low['economy']}, in {low['year']}, at USD {low['gdp_pc_usd']:,.0f} per person "
        f"({low['share_pct']:.2f}% of GDP). "
        if low
        else ""
    )
    + "Incomes are in current dollars of their year; a dollar of the 2000s bought more than one of the 2030s, so this "
    "comparison, if anything, flatters the economies that got there early."
)
rt = (
    ra.head(10)
    .rename(
        columns={
            "entity_name": "economy",
            "year": f"first year at {inp.target_share_pct:g}% or more",
            "gerd_pct_gdp": "R&D, % of GDP",
            "gdp_pc_usd": "GDP per person, current USD",
            "at_or_below_income": f"at or below Viet Nam's {T} income",
        }
    )
    .drop(columns="entity")
)
report.table(
    rt,
    table_id="reached_target_by_income",
    index=False,
    title=f"The ten lowest incomes at which an economy first spent {inp.target_share_pct:g}% of GDP on R&D",
    note=f"Viet Nam's projected income in {T}: USD {S['vietnam_gdp_per_capita_usd_target']:,.0f} per person.",
    source=f"{SRC_WDI_GERD}; {SRC_WDI_PC}",
    formats={"R&D, % of GDP": "{:.2f}", "GDP per person, current USD": "{:,.0f}"},
)

# %% [markdown]
# ## 4. How uncertain is the money needed?
#
# The target is a share of GDP, so the dong and dollar amounts needed move with GDP. Real GDP growth
# is modelled as an autoregressive process fitted to Viet Nam's annual growth record (statsmodels
# ARIMA, orders compared by AIC); many growth paths are then simulated from the fitted model,
# starting from the latest official year. Inflation (the GDP deflator) and the dong's depreciation
# against the dollar vary around notebook 01's assumptions, with yearly shocks of the size seen in
# 2013-2025 (parameters `deflator_sd_pp`, `depreciation_sd_pp`, `price_shock_persistence`); each has
# its own seeded random stream. Parameter uncertainty of the growth model is not simulated, so the
# bands are, if anything, too narrow.

# %%
gm = F.growth_model
aic = pd.DataFrame({"AIC": gm.aic_by_order}).rename_axis("AR order")
report.table(
    pd.DataFrame([gm.summary_row()]),
    table_id="growth_model",
    index=False,
    formats={"mean growth, %": "{:.2f}", "shock s.d., pp": "{:.2f}", "AIC": "{:.1f}", "Ljung-Box p-value": "{:.2f}"},
    title="The fitted growth model",
    source=SRC_GROWTH + "; statsmodels ARIMA",
    note="A Ljung-Box p-value above 0.05 means no remaining autocorrelation is detected in the residuals.",
)
report.table(
    aic,
    table_id="growth_model_aic",
    title="Model choice: AIC by autoregressive order (lower is better)",
    source=SRC_GROWTH,
    formats={"AIC": "{:.2f}"},
)
years = F.years
fan_gdp = fs.growth_sim.fan(F.sim_gdp_vnd / 1000, years)
fan_gerd = fs.growth_sim.fan(F.sim_gerd_vnd / 1000, years)
fig, axes = plt.subplots(1, 2, figsize=(11, 4.5))
for ax, fan_df, label, plan in (
    (axes[0], fan_gdp, "Nominal GDP", F.path["gdp_vnd_bn"] / 1000),
    (axes[1], fan_gerd, f"R&D needed for the {display_name(inp.path_shape)} path", F.path["gerd_vnd_bn"] / 1000),
):
    ax.fill_between(fan_df.index, fan_df["p5"], fan_df["p95"], color="#4C72B0", alpha=0.15, label="5th-95th percentile")
    ax.fill_between(
        fan_df.index, fan_df["p25"], fan_df["p75"], color="#4C72B0", alpha=0.35, label="25th-75th percentile"
    )
    ax.plot(fan_df.index, fan_df["p50"], color="#1f3b73", label="median")
    ax.plot(plan.index, plan, color="black", ls="--", label="notebook 01 plan")
    ax.set(xlabel="Year", ylabel="Trillion VND, current prices", title=label)
axes[0].legend(fontsize=8, loc="upper left")
fig.suptitle("Fan charts from simulated GDP growth", fontweight="bold")
report.figure(
    fig,
    chart_id="fan_charts",
    title=f"Nominal GDP and the R&D spending needed, trillion VND, {B}-{T}: {S['n_simulations']:,} simulated paths",
    alt=f"Two fan charts widening after the last official year. In {T} the R&D needed has a median of about "
    f"{S['gerd_target_vnd_bn_p50'] / 1000:,.0f} trillion VND, with a {S['interval_pct']:g}% band of "
    f"{S['gerd_target_vnd_bn_p10'] / 1000:,.0f}-{S['gerd_target_vnd_bn_p90'] / 1000:,.0f} trillion.",
    source=f"{SRC_GROWTH}; r57 growth model, seed {P['seed']}",
)
q = pd.DataFrame(
    {
        lo_label: [S["gdp_target_vnd_bn_p10"], S["gerd_target_vnd_bn_p10"], S["gerd_target_usd_bn_p10"]],
        "median": [S["gdp_target_vnd_bn_p50"], S["gerd_target_vnd_bn_p50"], S["gerd_target_usd_bn_p50"]],
        hi_label: [S["gdp_target_vnd_bn_p90"], S["gerd_target_vnd_bn_p90"], S["gerd_target_usd_bn_p90"]],
        "notebook 01 plan": [
            F.path["gdp_vnd_bn"].iloc[-1],
            F.path["gerd_vnd_bn"].iloc[-1],
            F.path["gerd_usd_bn"].iloc[-1],
        ],
    },
    index=pd.Index([f"GDP {T}, bn VND", f"R&D needed {T}, bn VND", f"R&D needed {T}, bn USD"], name="quantity"),
)
md(
    f"With real growth, inflation and the exchange rate all uncertain, the {S['interval_pct']:g}% band of the R&D needed in {T} is "
    f"{S['gerd_target_vnd_bn_p10'] / 1000:,.0f}-{S['gerd_target_vnd_bn_p90'] / 1000:,.0f} trillion dong; with real growth alone it would be "
    f"{S['gerd_target_vnd_bn_real_growth_only_p10'] / 1000:,.0f}-{S['gerd_target_vnd_bn_real_growth_only_p90'] / 1000:,.0f} trillion. "
    f"Shocks: deflator s.d. {S['deflator_sd_pp']:g} points, depreciation s.d. {S['depreciation_sd_pp']:g} points a year. "
    "The uncertainty of the amount is small beside the gap between the required and the historical pace."
)
report.table(
    q,
    table_id="simulation_quantiles",
    title=f"What {T} may require",
    source=f"{SRC_GROWTH}; r57 growth model",
    formats={c: "{:,.1f}" for c in q.columns},
)

# %% [markdown]
# ### Does the state's part fit the budget envelope?
#
# The budget envelope is planned on notebook 01's GDP path (budget expenditure as a share of GDP times
# the 3% floor); the R&D needed follows the GDP that actually happens. With the funding split of
# notebook 01, how often does the state's part exceed the envelope, and what non-state share would
# make it fit?

# %%
curve = fs.exceed_curve(F, np.arange(0.0, 100.01, 0.5))
md(
    f"With non-state sources paying {inp.nonstate_share_target_pct:g}% in {T}, the state's part exceeds the planned envelope in "
    f"**{S['prob_state_gerd_exceeds_envelope_pct']:.1f}%** of simulated outcomes for {T} "
    f"(in {S['prob_state_gerd_exceeds_envelope_any_year_pct']:.1f}% of paths in at least one year). For the state's part to fit in half "
    f"of the outcomes, non-state sources would have to pay **{S['nonstate_share_needed_p50_pct']:.0f}%** of R&D; to fit in "
    f"{100 - (100 - S['interval_pct']) / 2:g}% of them, {S['nonstate_share_needed_p90_pct']:.0f}%."
)
fig, ax = plt.subplots()
ax.plot(curve["nonstate_share_target_pct"], curve["prob_exceeds_pct"], color="#C44E52", lw=2)
ax.axvline(inp.nonstate_share_target_pct, color="grey", ls="--")
ax.annotate(
    f"scenario: {inp.nonstate_share_target_pct:g}%",
    (inp.nonstate_share_target_pct, 50),
    xytext=(4, 0),
    textcoords="offset points",
)
ax.set(
    xlabel=f"Non-state share of R&D in {T}, %",
    ylabel="Probability the state's part exceeds the envelope, %",
    ylim=(-3, 103),
    title="How the funding split decides whether the budget rule holds",
)
report.figure(
    fig,
    chart_id="exceed_probability",
    title=f"Probability that state-funded R&D exceeds the {inp.science_budget_share_pct:g}% budget envelope in {T}, by non-state share",
    alt=f"A falling S-shaped curve: the probability stays near 100% until the non-state share approaches "
    f"{S['nonstate_share_needed_p50_pct']:.0f}% and drops to near zero a few points above it.",
    source=f"r57 growth model and notebook 01 budget plan (budget {inp.budget_exp_pct_gdp:.1f}% of GDP)",
)

# %% [markdown]
# ## 5. How the required growth depends on GDP growth and the path's shape
#
# A sweep through the vectorised scenario engine (`r57 sweep` does the same from the command line):
# every combination of real GDP growth from 2026 (3% to 10% a year) and path shape, all other
# assumptions as above. Faster GDP growth makes 2% of GDP more money, so R&D must grow faster in dong;
# the shape does not change the average growth, but a back-loaded or S-shaped path asks for a much
# bigger jump in its steepest year.

# %%
from analysis.models.path_core import PATH_SHAPES
from analysis.run.sweep import sweep

grid = sweep(
    {k: F.params[k] for k in fs.SHARED_NAMES},
    grid={"real_gdp_growth_pct": np.round(np.arange(3.0, 10.01, 0.5), 2), "path_shape": list(PATH_SHAPES)},
)
fig, axes = plt.subplots(1, 2, figsize=(11, 4.3))
avg = grid[grid["path_shape"] == inp.path_shape]
grid["path shape"] = grid["path_shape"].map(display_name)  # legends and table headers in words
axes[0].plot(
    avg["real_gdp_growth_pct"], avg["gerd_nominal_cagr_pct"], marker="o", color="#1f3b73", label="nominal (VND)"
)
axes[0].plot(
    avg["real_gdp_growth_pct"], avg["gerd_real_cagr_pct"], marker="o", color="#55A868", label="real (after inflation)"
)
axes[0].set(
    xlabel="Real GDP growth from 2026, % a year",
    ylabel="Average growth of R&D spending, % a year",
    title=f"Average growth needed, {B}-{T}",
)
axes[0].legend(fontsize=8)
sns.lineplot(data=grid, x="real_gdp_growth_pct", y="max_gerd_growth_pct", hue="path shape", marker="o", ax=axes[1])
axes[1].set(
    xlabel="Real GDP growth from 2026, % a year",
    ylabel="Largest one-year growth of R&D spending, %",
    title="Growth needed in the steepest year",
)
axes[1].legend(title="Path shape", fontsize=8)
lo_g, hi_g = avg.iloc[0], avg.iloc[-1]
report.figure(
    fig,
    chart_id="sweep",
    title=f"R&D growth needed to reach {inp.target_share_pct:g}% of GDP by {T}, by GDP growth and path shape",
    alt=f"Left: the average nominal growth of R&D spending needed rises from {lo_g['gerd_nominal_cagr_pct']:.0f}% a year with 3% GDP "
    f"growth to {hi_g['gerd_nominal_cagr_pct']:.0f}% with 10%. Right: the steepest single year needs up to "
    f"{grid['max_gerd_growth_pct'].max():.0f}% growth, most for the back-loaded and S-shaped paths.",
    source="r57 vectorised scenario engine; GDP and budget assumptions as in notebook 01",
)
sweep_table = grid.pivot(index="real_gdp_growth_pct", columns="path shape", values="max_gerd_growth_pct")
sweep_table.insert(0, "average growth, % a year", avg.set_index("real_gdp_growth_pct")["gerd_nominal_cagr_pct"])
sweep_table.index.name = "real GDP growth, %"
report.table(
    sweep_table,
    table_id="sweep",
    title="Average and steepest-year growth of R&D spending needed (% a year, nominal)",
    source="r57 vectorised scenario engine",
    formats={c: "{:.1f}" for c in sweep_table.columns},
)

# %% [markdown]
# ## What this adds up to

# %%
history_words = (
    "outside the historical record for economies starting below "
    f"{P['start_share_below_pct']:g}% of GDP (none of {S['low_start_economies']})"
    if S["low_start_economies_reaching"] == 0
    else f"rare: {S['low_start_economies_reaching']} of {S['low_start_economies']} economies starting below "
    f"{P['start_share_below_pct']:g}% of GDP achieved it"
)
ratio = inp.target_share_pct / S["structural_share_target_pct"]
spread = (S["gerd_target_vnd_bn_p90"] - S["gerd_target_vnd_bn_p10"]) / 2 / S["gerd_target_vnd_bn_p50"] * 100
md(
    f"- The required climb of {S['required_increase_pp']:.2f} points in {T - B} years is {history_words}.\n"
    + (
        f"- Of {S['economies_crossing_level_with_window']} economies that passed Viet Nam's starting level, the fastest "
        f"({S['fastest_from_level_economy']}) stood at {S['fastest_from_level_share_pct']:.2f}% of GDP {W} years later.\n"
        if S["fastest_from_level_economy"]
        else ""
    )
    + f"- The {inp.target_share_pct:g}% target is {ratio:.1f} times the R&D intensity Viet Nam's projected income would predict "
    f"({S['structural_share_target_pct']:.2f}%).\n"
    f"- Of the required {S['gerd_nominal_growth_pct']:.1f}% a year in current dong, {S['intensity_share_of_gerd_growth_pct']:.0f}% must come "
    f"from R&D intensity; with the researcher target met, real spending per researcher must still grow "
    f"{S['real_spending_per_researcher_growth_pct']:.0f}% a year"
    + (
        f" (history: {S['researcher_history']['real_spending_per_researcher_pct']:.1f}% a year)"
        if S["researcher_history"]
        else ""
    )
    + ".\n"
    f"- GDP uncertainty moves the dong amount needed in {T} by about {spread:.0f}% either way ({S['interval_pct']:g}% band).\n"
    f"- Whether the state budget rule holds depends mostly on the funding split: the state's part fits the planned envelope "
    f"only if non-state sources pay about {S['nonstate_share_needed_p50_pct']:.0f}% or more, a share no official statistic yet measures."
)

# %%
results = {
    "report": "rd_feasibility",
    "parameters": F.params,
    **S,
    "exceed_curve": curve.to_dict(orient="records"),
    "provenance": provenance.provenance_record(
        [
            "vn_gerd.csv",
            "vn_gdp.csv",
            "vn_state_budget.csv",
            "wdi_gerd_pct_gdp.csv",
            "wdi_gdp_per_capita_usd.csv",
            "gerd_pct_gdp_vintages.csv",
            "wdi_researchers_per_million.csv",
        ]
    ),
}
results["analogues"] = frame_records(F.analogues.set_index("entity"))
results["window_counts"] = frame_records(F.window_counts.set_index("end points"))
results["peers"] = frame_records(F.peer_table.set_index("entity"))
results["decomposition"] = frame_records(F.decomposition.set_index(["decomposition", "component"]))
results["researchers_path"] = frame_records(F.researchers.set_index("year"))  # status: observed, estimate or required
results["spending_per_researcher"] = frame_records(F.spending_per_researcher.set_index("year"))
results["reached_target_by_income"] = frame_records(F.reached_at_income.set_index("entity"))
results["fallbacks"] = frame_records(F.fallbacks.set_index("entity"))
results = report.finish(results, F.params)
