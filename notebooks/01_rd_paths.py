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
nonstate_share_base_pct: "Optional[float]" = None  # non-budget % of GERD; None: the published shares' median
nonstate_share_target_pct: "Optional[float]" = None  # non-budget % of GERD in target_year; None: max(60, base)
budget_exp_pct_gdp: "Optional[float]" = None  # state-budget expenditure, % of GDP; None: the 2023-25 mean
science_budget_share_pct: "Union[float, dict]" = 3.0  # budget-rule floor, % of budget expenditure, or {year: %}
envelope_rd_share_pct: float = 100.0  # % of the envelope that funds R&D (100: the whole envelope)
soe_funds_as: str = "non-budget"  # state-owned firms' own funds: non-budget, or state (non-state sector)
lang: str = "en"  # language of the report: en (English) or vi (Vietnamese)
results_path: str = ""  # set by the runner: where results.json goes (empty: do not write)

# %%
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from IPython.display import HTML, display

from analysis import i18n
from analysis.data import labels, observed
from analysis.i18n import N_, _, fmt, ngettext, pgettext
from analysis.models import funding, nowcast
from analysis.models.path_core import PATH_SHAPES
from analysis.models.rd_model import share_path
from analysis.reports import params, provenance, sensitivity
from analysis.reports.rd_paths import RdData, consistency_table, general, nonbudget_evidence, run
from analysis.reports.render import Report, md, setup_plotting

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


def num(decimals):
    """A table column's format: fixed decimals, thousands separated, in the reader's language."""
    return lambda v: fmt.num(v, decimals)


def words(columns):
    """Shown headers for columns named in English (N_-marked): each in the reader's language."""
    return {c: _(c) for c in columns}


def show(df, **kwargs):
    """report.table with a named index shown as the first column, so its header and values can be
    translated like any column's (the CSV is the same: the index was written as a column before)."""
    report.table(df.reset_index() if df.index.name else df, index=False, **kwargs)


SRC_UIS = _("UNESCO UIS via World Bank WDI (GB.XPD.RSDV.GD.ZS, release 2026-07-13)")
SRC_MOST = _("Ministry of Science and Technology R&D survey (Bo KHCN 2020)")
SRC_GDP = _("World Bank WDI (2025-03-24) and GSO/NSO releases to 5 Jan 2026")
SRC_BUDGET = _(
    "National Assembly budget resolutions 2023-2026; Ministry of Finance; MOST (data/raw/vn_state_budget.csv)"
)
SRC_MODEL = _("r57 R&D path model, parameters listed at the end of this report")
SRC_NOWCAST = _(
    "r57 nowcast from {uis}: the method chosen by backtest on the surveys from 2013; an estimate (flag e), not an "
    "observation"
).format(uis=SRC_UIS)
B, T = inp.base_year, inp.target_year
TGT = resolved.target_share_revised_pct
SHAPE = labels.label("shape", inp.path_shape)  # "back-loaded", not back_loaded
STATUS_WORD = {"observed": _("observed"), "estimate": _("estimated"), "user": _("set by the user")}[START.status]
TITLE = _("The path to R&D spending of {target}% of GDP by {year}").format(
    target=general(P["target_share_pct"]), year=fmt.year(T)
)
md("# " + TITLE)

# %% [markdown]
# Politburo Resolution 57-NQ/TW (22 December 2024) asks Viet Nam to raise gross domestic expenditure
# on research and development (GERD) to **2% of GDP by 2030**, with **more than 60%** of it paid from
# outside the state budget (non-budget sources), and to devote **at least 3% of annual state-budget expenditure** to science,
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
NC_YEARS = ", ".join(fmt.year(y) for y in NC.index)
gerd_last = gerd_vnd["gerd_vnd_bn"].iloc[-1]
md(
    _(
        "The latest measurement puts Viet Nam's R&D spending at **{share} of GDP in {year}** ({source}), about "
        "{amount}. The share has hardly moved since 2017 ({share_2017}). The science ministry's own survey "
        "reported **{most} for {most_year}**: the spending totals are the same, but the ministry divides by GDP as "
        "measured before the statistics office's 2019 revision, which raised GDP by about {uplift}%. No survey "
        "measures {years}; the estimates below (the *nowcast*) fill those years, with a range, and are never shown "
        "as observations."
    ).format(
        share=fmt.pct(uis.iloc[-1], 2),
        year=fmt.year(latest_year),
        source=SRC_UIS,
        amount=_("{bn} (about {tn})").format(bn=fmt.vnd_bn(gerd_last), tn=fmt.vnd_tn(gerd_last)),
        share_2017=fmt.pct(uis.loc[2017], 2),
        most=fmt.pct(most.iloc[-1], 2),
        most_year=fmt.year(most.index.max()),
        uplift=general(resolved.params["gdp_revision_uplift_pct"]),
        years=NC_YEARS,
    )
)
fig, ax = plt.subplots()
ax.plot(uis.index, uis.values, marker="o", color="#4C72B0", label=_("UNESCO UIS / World Bank, observed (revised GDP)"))
ax.plot(
    most.index,
    most.values,
    marker="s",
    color="#DD8452",
    label=_("Science ministry survey, observed (pre-revision GDP)"),
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
    label=_("Nowcast: estimate with its range"),
)
if B > EV.last_year:  # the gap to date: what a path from the last survey would already have required
    ax.plot(
        from_last.loc[:B].index,
        from_last.loc[:B].values,
        ls=":",
        color="black",
        marker="x",
        label=_("Required by a path from {year}").format(year=fmt.year(EV.last_year)),
    )
ax.axhline(inp.target_share_pct, color="firebrick", ls="--", lw=1)
ax.annotate(
    _("Target: {share}% of GDP by {year}").format(share=general(inp.target_share_pct, ".3g"), year=fmt.year(T)),
    (2002, inp.target_share_pct),
    xytext=(0, 4),
    textcoords="offset points",
    color="firebrick",
)
ax.set(
    xlabel=_("Year"),
    ylabel=_("R&D spending, % of GDP"),
    ylim=(0, max(2.2, inp.target_share_pct * 1.1)),
    title=_("Viet Nam's R&D spending as a share of GDP"),
)
ax.legend(title=None, loc="center left", fontsize=9)
history_alt = dict(
    last_year=fmt.year(latest_year),
    years=NC_YEARS,
    nowcast=fmt.num(NC["central_pct"].iloc[-1], 2),
    nowcast_year=fmt.year(NC.index.max()),
    low=fmt.num(NC["low_pct"].iloc[-1], 2),
    high=fmt.num(NC["high_pct"].iloc[-1], 2),
    target=general(inp.target_share_pct, ".3g"),
)
report.figure(
    fig,
    chart_id="history",
    title=_(
        "R&D spending (GERD), % of GDP: surveys 2002-{last_year}, estimates {first}-{last}, and the {year} target"
    ).format(
        last_year=fmt.year(latest_year), first=fmt.year(NC.index.min()), last=fmt.year(NC.index.max()), year=fmt.year(T)
    ),
    alt=_(
        "Line chart: Viet Nam's R&D spending rose from about 0.15% of GDP in 2011 to about 0.42% in 2017 and stayed "
        "there to {last_year}; hollow markers with range bars show the estimates for {years} ({nowcast}% in "
        "{nowcast_year}, range {low}-{high}%); a dotted line shows the {required}% a path from {survey_year} would "
        "have required by {base_year}. The {target}% target line lies far above."
    ).format(
        required=fmt.num(from_last.loc[B], 2),
        survey_year=fmt.year(EV.last_year),
        base_year=fmt.year(B),
        **history_alt,
    )
    if B > EV.last_year
    else _(
        "Line chart: Viet Nam's R&D spending rose from about 0.15% of GDP in 2011 to about 0.42% in 2017 and stayed "
        "there to {last_year}; hollow markers with range bars show the estimates for {years} ({nowcast}% in "
        "{nowcast_year}, range {low}-{high}%). The {target}% target line lies far above."
    ).format(**history_alt),
    source=_("{uis}; {most}; estimates: {nowcast}. The R&D survey is every two years.").format(
        uis=SRC_UIS, most=SRC_MOST, nowcast=SRC_NOWCAST
    ),
)
NC_COLUMNS = {
    "status": N_("status"),
    "low_pct": N_("low, % of GDP"),
    "central_pct": N_("central, % of GDP"),
    "high_pct": N_("high, % of GDP"),
    "gerd_vnd_bn": N_("central, bn VND"),
    "flag": N_("flag"),
    "inputs": N_("inputs"),
}
nc_tab = NC[list(NC_COLUMNS)].rename(columns=NC_COLUMNS)
show(
    nc_tab,
    table_id="nowcast",
    title=_("Estimates for the years after the last survey (nowcast)"),
    source=SRC_NOWCAST,
    note=_(
        "Estimates, not data (flag e). Central: the method with the smallest backtest error (table below); low and "
        "high: the central value minus and plus the central method's largest backtest error over the surveys every "
        "method could nowcast ({err} pp), or the lowest or highest method where that lies further out. R&D is "
        "counted when it is performed: money allocated in December 2025 is not R&D of 2025."
    ).format(err=fmt.num(EV.backtest_scores.loc[NC["method"].iloc[-1], "max_abs_error_pp"], 3)),
    formats={
        "year": fmt.year,
        "status": _,
        "flag": i18n.keep,  # e, p, b: the OECD MSTI codes, as written
        "low, % of GDP": num(3),
        "central, % of GDP": num(3),
        "high, % of GDP": num(3),
        "central, bn VND": num(0),
        "inputs": dict(zip(NC["inputs"], NC["inputs_shown"], strict=True)).get,
    },
    labels=words(["year", *NC_COLUMNS.values()]),
)
BT = EV.backtest
BT_COLUMNS = {"known_to": N_("nowcast from"), "observed_pct": N_("observed, % of GDP")}
for m in nowcast.METHODS:
    BT_COLUMNS[f"{m}_error_pp"] = nowcast.METHOD_NAMES[m]
bt_tab = BT[list(BT_COLUMNS)].rename(columns=BT_COLUMNS)
bt_tab.index.name = "held-out survey"
scores = EV.backtest_scores
chosen = NC["method"].iloc[-1]
show(
    bt_tab,
    table_id="nowcast_backtest",
    title=_("Backtest of the nowcast methods: each survey held out and nowcast from the surveys before it"),
    source=_("r57 nowcast backtest on {uis}").format(uis=SRC_UIS),
    note=_(
        "Errors are nowcast minus observed, percentage points of GDP. Mean absolute error over the surveys every "
        "method could nowcast: {scores}. The central nowcast uses the smallest: {method}."
    ).format(
        scores="; ".join(
            f"{_(nowcast.METHOD_NAMES[m])} {fmt.num(scores.loc[m, 'mean_abs_error_pp'], 3)}" for m in nowcast.METHODS
        ),
        method=_(nowcast.METHOD_NAMES[chosen]),
    ),
    formats={"held-out survey": fmt.year, "nowcast from": fmt.year, "observed, % of GDP": num(3)}
    | {nowcast.METHOD_NAMES[m]: num(3) for m in nowcast.METHODS},
    labels=words([N_("held-out survey"), *BT_COLUMNS.values()]),
)
checks = nowcast.statements_check(DATA.statements, NC, resolved.params["gdp_revision_uplift_pct"])
if len(checks):
    report.table(
        checks,
        table_id="statement_check",
        index=False,
        title=_("What officials and the press said, beside the estimates"),
        source=_("data/raw/vn_rd_statements.csv (statements; reference year and GDP basis not given)"),
        formats={
            "year": fmt.year,
            "statement, % of GDP": num(2),
            "bound": _,
            "on revised GDP if said on pre-revision GDP, %": num(2),
            "compared with nowcast year": fmt.year,
            "consistent with the range": _,
            "source": _,  # nowcast.STATEMENT_SOURCES
        },
        labels=words(
            [
                N_("year"),
                N_("statement, % of GDP"),
                N_("bound"),
                N_("on revised GDP if said on pre-revision GDP, %"),
                N_("compared with nowcast year"),
                N_("consistent with the range"),
                N_("source"),
            ]
        ),
        note=_("Statements are a check, not an input: their reference year and GDP basis are not given."),
    )
    lvl = checks[checks["bound"] == "level"]
    if len(lvl):
        r0 = lvl.iloc[0]
        y0 = int(r0["compared with nowcast year"])
        lo0, hi0 = NC.loc[y0, "low_pct"], NC.loc[y0, "high_pct"]
        inside, outside = pgettext("range", "inside"), pgettext("range", "just outside")
        md(
            _(
                "Ministers' 'about {said}% of GDP' brackets the estimate for {year} ({low}-{high}%): read on official "
                "GDP it is {official_reading} the top of the range, read on the ministry's pre-revision GDP "
                "({converted}% of official GDP) {ministry_reading} its bottom. Neither reading comes near what a "
                "path started at the last survey would already have needed ({required}% in {year})."
            ).format(
                said=general(r0["statement, % of GDP"]),
                year=fmt.year(y0),
                low=fmt.num(lo0, 2),
                high=fmt.num(hi0, 2),
                official_reading=inside if lo0 <= r0["statement, % of GDP"] <= hi0 else outside,
                converted=fmt.num(r0["on revised GDP if said on pre-revision GDP, %"], 2),
                ministry_reading=inside
                if lo0 <= r0["on revised GDP if said on pre-revision GDP, %"] <= hi0
                else outside,
                required=fmt.num(from_last.loc[y0], 2),
            )
        )
GAP = nowcast.gap_to_date(last_obs, NC.loc[: max(B, EV.last_year)], from_last) if B > EV.last_year else None
if GAP is not None:
    gap_tab = GAP[["status", "central_pct", "low_pct", "high_pct", "required_pct", "gap_pp"]].copy()
    required_col = f"required by a path from {EV.last_year}, % of GDP"
    gap_tab.columns = ["status", "observed or estimated, % of GDP", "low", "high", required_col, "gap, pp"]
    gap_tab.insert(1, "flag", [nowcast.FLAGS[s_] for s_ in GAP["status"]])  # OECD MSTI-style: e estimate
    show(
        gap_tab,
        table_id="gap_to_date",
        title=_("The gap to date: {first}-{base} against a path that started in {first}").format(
            first=fmt.year(EV.last_year), base=fmt.year(B)
        ),
        source=f"{SRC_UIS}; {SRC_NOWCAST}; {SRC_MODEL}",
        formats={"year": fmt.year, "status": _, "flag": i18n.keep} | {c: num(3) for c in gap_tab.columns[2:]},
        labels=words(
            [
                N_("year"),
                N_("status"),
                N_("flag"),
                N_("observed or estimated, % of GDP"),
                N_("low"),
                N_("high"),
                N_("gap, pp"),
            ]
        )
        | {required_col: _("required by a path from {year}, % of GDP").format(year=fmt.year(EV.last_year))},
        note=_(
            "A {shape} path from the {survey_year} survey would already have needed {required}% of GDP in {year}; "
            "the estimate is {estimate}%."
        ).format(
            shape=SHAPE,
            survey_year=fmt.year(EV.last_year),
            required=fmt.num(GAP["required_pct"].iloc[-1], 2),
            year=fmt.year(B),
            estimate=fmt.num(GAP["central_pct"].iloc[-1], 2),
        ),
    )
    gap_words = dict(
        survey_year=fmt.year(EV.last_year),
        required=fmt.num(GAP["required_pct"].iloc[-1], 2),
        year=fmt.year(B),
        estimate=fmt.num(GAP["central_pct"].iloc[-1], 2),
        low=fmt.num(GAP["low_pct"].iloc[-1], 2),
        high=fmt.num(GAP["high_pct"].iloc[-1], 2),
        gap=fmt.num(abs(GAP["gap_pp"].iloc[-1]), 2),
    )
    md(
        (
            _(
                "**The gap to date.** Had the climb started from the {survey_year} survey, R&D would have had to "
                "reach {required}% of GDP in {year}; the estimate is {estimate}% (range {low}-{high}%), {gap} points "
                "behind. The years already past cannot be put back on the path, so the path below starts in {year}."
            )
            if GAP["gap_pp"].iloc[-1] < 0
            else _(
                "**The gap to date.** Had the climb started from the {survey_year} survey, R&D would have had to "
                "reach {required}% of GDP in {year}; the estimate is {estimate}% (range {low}-{high}%), {gap} points "
                "ahead. The years already past cannot be put back on the path, so the path below starts in {year}."
            )
        ).format(**gap_words)
    )
md(
    _("This report starts from **{share}% of GDP in {year}** ({status}).").format(
        share=general(inp.base_share_pct, ".3g"), year=fmt.year(B), status=STATUS_WORD
    )
    + " "
    + " ".join(resolved.notes)
)

# %% [markdown]
# ## What the path requires

# %%
target_words = (
    _("{target}%").format(target=general(P["target_share_pct"]))
    if P["target_gdp_basis"] == "revised"
    else _("{target}% of pre-revision GDP ({revised}% of official GDP)").format(
        target=general(P["target_share_pct"]), revised=fmt.num(TGT, 2)
    )
)
steepness = (
    _("(the same every year)")
    if summary["max_share_growth_pct"] - summary["share_cagr_pct"] < 0.05
    else _("({growth}% in the steepest year, {year})").format(
        growth=fmt.num(summary["max_share_growth_pct"], 1), year=fmt.year(summary["steepest_year"])
    )
)
display(
    HTML(
        "<div class='r57-callout'><p>"
        + _(
            "<strong>To go from {base}% of GDP in {year} ({status}) to {target} in {target_year}</strong>, R&D "
            "spending must rise by {rise} percentage points of GDP, {multiple} times its share in {year}. With the "
            "{shape} path the share grows {cagr}% a year on average {steepness}; spending in dong must grow "
            "<strong>{nominal}% a year from {year}</strong> ({real}% a year after inflation; {steepest}% in the "
            "steepest year), reaching <strong>{vnd} bn VND, about USD {usd} bn, in {target_year}</strong>: "
            "{gerd_multiple} times the {year} amount."
        ).format(
            base=general(summary["share_base_pct"], ".3g"),
            year=fmt.year(B),
            status=STATUS_WORD,
            target=target_words,
            target_year=fmt.year(T),
            rise=fmt.num(summary["share_increase_pp"], 2),
            multiple=fmt.num(summary["share_multiple"], 1),
            shape=SHAPE,
            cagr=fmt.num(summary["share_cagr_pct"], 1),
            steepness=steepness,
            nominal=fmt.num(summary["gerd_nominal_cagr_pct"], 1),
            real=fmt.num(summary["gerd_real_cagr_pct"], 1),
            steepest=fmt.num(summary["max_gerd_growth_pct"], 1),
            vnd=fmt.num(summary["gerd_target_vnd_bn"]),
            usd=fmt.num(summary["gerd_target_usd_bn"], 1),
            gerd_multiple=fmt.num(summary["gerd_multiple"], 1),
        )
        + "</p></div>"
    )
)
shapes = pd.concat(
    [
        share_path(inp.years, inp.base_share_pct, TGT, s, inp.logistic_steepness, inp.back_loaded_exponent)
        .rename("share")
        .to_frame()
        .assign(shape=labels.label("shape", s))
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
    label=_("{shape} (this scenario), required").format(shape=SHAPE),
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
    label=_("{year}: {status}").format(year=fmt.year(B), status=STATUS_WORD),
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
ax.set(
    xlabel=_("Year"),
    ylabel=_("R&D spending, % of GDP"),
    title=_("Four ways to reach {share}% of GDP by {year}").format(share=general(TGT, ".3g"), year=fmt.year(T)),
)
ax.legend(title=_("Path shape"), fontsize=9)
report.figure(
    fig,
    chart_id="share_paths",
    title=_("R&D spending as % of GDP, {base}-{year}: the chosen path and the alternatives").format(
        base=fmt.year(B), year=fmt.year(T)
    ),
    alt=_(
        "Line chart of four paths from {base_share}% in {base} ({status}, hollow marker with its range) to "
        "{target}% in {year}. Linear rises evenly, geometric and back-loaded rise slowly first, logistic is "
        "S-shaped. The chosen {shape} path is drawn in black."
    ).format(
        base_share=fmt.num(inp.base_share_pct, 2),
        base=fmt.year(B),
        status=STATUS_WORD,
        target=fmt.num(TGT, 2),
        year=fmt.year(T),
        shape=SHAPE,
    ),
    source=_("{model}; start: {start}").format(
        model=SRC_MODEL, start=SRC_NOWCAST if START.status == "estimate" else SRC_UIS
    ),
)

SHAPE_COLUMNS = (
    N_("share in the middle year, %"),
    N_("average growth of the share, % a year"),
    N_("steepest year's growth of the share, %"),
    N_("largest one-year rise, pp"),
)


def _shape_row(s):
    sp = share_path(inp.years, inp.base_share_pct, TGT, s, inp.logistic_steepness, inp.back_loaded_exponent)
    values = (
        float(sp.iloc[len(inp.years) // 2]),
        float(((sp.iloc[-1] / sp.iloc[0]) ** (1 / (T - B)) - 1) * 100),
        float(sp.pct_change().iloc[1:].max() * 100),
        float(sp.diff().max()),
    )
    return dict(zip(SHAPE_COLUMNS, values, strict=True))


shape_table = pd.DataFrame({labels.LABELS["shape"][s]: _shape_row(s) for s in PATH_SHAPES}).T
shape_table.index.name = "path shape"
show(
    shape_table,
    table_id="shape_comparison",
    title=_("How the path shapes differ"),
    source=SRC_MODEL,
    formats={"path shape": _} | {c: num(2) for c in shape_table.columns},
    labels=words([N_("path shape"), *SHAPE_COLUMNS]),
    note=_(
        "Every shape has the same average growth; a back-loaded or S-shaped path postpones effort but needs a "
        "bigger jump in its steepest year."
    ),
)

# %% [markdown]
# ### Year by year

# %%
PATH_COLUMNS = {
    "share_pct": N_("R&D, % of GDP"),
    "gdp_vnd_bn": N_("GDP, bn VND"),
    "gdp_usd_bn": N_("GDP, bn USD"),
    "gerd_vnd_bn": N_("R&D, bn VND"),
    "gerd_usd_bn": N_("R&D, bn USD"),
    "nonstate_share_pct": N_("non-budget share, %"),
    "state_gerd_vnd_bn": N_("state-funded R&D, bn VND"),
    "nonstate_gerd_vnd_bn": N_("non-budget R&D, bn VND"),
}
SOE_AS_STATE = soe_funds_as == "state"  # the rd-soe-funding reading: the complement is the non-state sector
if SOE_AS_STATE:
    PATH_COLUMNS |= {
        "nonstate_share_pct": N_("non-state sector share, %"),
        "state_gerd_vnd_bn": N_("state R&D (budget and state-owned firms), bn VND"),
        "nonstate_gerd_vnd_bn": N_("non-state sector R&D, bn VND"),
    }
table = path[list(PATH_COLUMNS)].rename(columns=PATH_COLUMNS)
ROW_STATUS = np.where(path.index == B, "observed" if START.status == "observed" else "estimate", "required")
table.insert(0, "R&D status", ROW_STATUS)
table.insert(1, "flag", [nowcast.FLAGS[s_] for s_ in ROW_STATUS])  # OECD MSTI-style: e estimate
table.insert(2, "GDP", np.where(path["gdp_observed"], "official", "projected"))
show(
    table,
    table_id="path",
    title=_("The {shape} path to {share}% of GDP in {year}").format(
        shape=SHAPE, share=general(TGT, ".3g"), year=fmt.year(T)
    ),
    note=_(
        "The first row is the {year} starting point ({status}); later rows are what the target requires, not forecasts."
    ).format(year=fmt.year(B), status=STATUS_WORD),
    source=_("{model}; start: {start}; GDP: {gdp}").format(
        model=SRC_MODEL,
        start=SRC_NOWCAST if START.status == "estimate" else (SRC_UIS if START.status == "observed" else _("the user")),
        gdp=SRC_GDP,
    ),
    formats={
        "year": fmt.year,
        "R&D status": _,
        "flag": i18n.keep,
        "GDP": _,
        "R&D, % of GDP": num(3),
        "GDP, bn VND": num(0),
        "GDP, bn USD": num(1),
        "R&D, bn VND": num(0),
        "R&D, bn USD": num(2),
    }
    | {PATH_COLUMNS["nonstate_share_pct"]: num(1)}
    | {PATH_COLUMNS[k]: num(0) for k in ("state_gerd_vnd_bn", "nonstate_gerd_vnd_bn")},
    labels=words([N_("year"), N_("R&D status"), N_("flag"), N_("GDP"), *PATH_COLUMNS.values()]),
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
scenario_col = f"this scenario, {proj_years[0] if proj_years else '-'}-{T}"
compare = pd.DataFrame(
    {
        "2015-2023 average (WDI)": drivers.loc[2015:2023, history_cols].mean(),
        "2024-2025 (GSO)": drivers.loc[2024:2025, history_cols].mean(),
        scenario_col: path.loc[proj_years, history_cols].mean()
        if proj_years
        else pd.Series(np.nan, index=history_cols),
    }
)
compare.index = pd.Index(
    [
        N_("real GDP growth, % a year"),
        N_("GDP deflator, % a year"),
        N_("VND depreciation against USD, % a year"),
    ],
    name="assumption",
)
show(
    compare,
    table_id="gdp_assumptions",
    title=_("GDP assumptions beside the record"),
    source=_("{gdp}; deflator and depreciation implied by nominal, real and dollar GDP").format(gdp=SRC_GDP),
    formats={"assumption": _} | {c: num(2) for c in compare.columns},
    labels=words([N_("assumption"), N_("2015-2023 average (WDI)"), N_("2024-2025 (GSO)")])
    | {
        scenario_col: _("this scenario, {first}-{last}").format(
            first=fmt.year(proj_years[0]) if proj_years else "-", last=fmt.year(T)
        )
    },
    note=_(
        "The National Assembly's target for 2026 is real growth of {growth}% or more (Resolution 244/2025/QH15); "
        "the sensitivity section runs it as a named case."
    ).format(growth=general(EV.official_growth_target_pct))
    if EV.official_growth_target_pct
    else "",
)
gdp_plot = path[["gdp_usd_bn", "gdp_observed"]].copy()
fig, ax = plt.subplots()
ax.bar(gdp_plot.index, gdp_plot["gdp_usd_bn"], color=np.where(gdp_plot["gdp_observed"], "#4C72B0", "#A1C4E8"))
ax.set(
    xlabel=_("Year"),
    ylabel=_("GDP, billion current USD"),
    title=_("GDP path: official (dark) and projected (light)"),
)
report.figure(
    fig,
    chart_id="gdp_path",
    title=_("Viet Nam's GDP, billion current US dollars, {base}-{year}").format(base=fmt.year(B), year=fmt.year(T)),
    alt=_(
        "Bar chart: GDP rises from USD {first} bn in {base} to USD {last} bn in {year}; official years are dark, "
        "projected years light."
    ).format(
        first=fmt.num(path["gdp_usd_bn"].iloc[0]),
        base=fmt.year(B),
        last=fmt.num(path["gdp_usd_bn"].iloc[-1]),
        year=fmt.year(T),
    ),
    source=_("{gdp}; projection: {model}").format(gdp=SRC_GDP, model=SRC_MODEL),
)

# %% [markdown]
# ## Who pays
#
# **State** here means money paid from the **state budget**, central or local. **Non-budget** means
# funds from outside the state budget: state-owned enterprises' own funds (such as their science and
# technology development funds), private domestic firms, foreign-invested firms, funds from abroad,
# universities' own revenue and non-profits. This is the Resolution's distinction between the budget
# and "society"; "private" is narrower than non-budget, and "state" is narrower than "the public sector".
#
# No official series splits Viet Nam's R&D by source of funds (the UNESCO series was not found). Two
# readings are set side by side: the budget bound (the state budget cannot have paid for more R&D than
# it spent on science and technology) and the shares published by EY Vietnam, the OECD and World Bank,
# and the 2013 survey, with the three rows (state budget, state-owned firms, the rest) kept apart.

# %%
READINGS, (NB_LO, NB_C, NB_HI) = nonbudget_evidence(DATA)
GERD_B = START.gerd_vnd_bn[1]
rows = []
if START.budget is not None:
    bound_c, bound_max = funding.budget_bound_state_share_pct(
        START.budget.st_share_pct, START.budget.budget_exp_vnd_bn, GERD_B, EV.rd_fraction.low
    )
    rows.append(
        {
            "reading": funding.READING_NAMES[0],
            "year": B,
            "state budget": _("{central}% (at most {most}%)").format(
                central=fmt.num(bound_c, 0), most=fmt.num(bound_max, 0)
            ),
            "state-owned enterprises' own funds": _("not given"),
            "private, foreign and other": _("not given"),
            "non-budget": _("at least {least}%").format(least=fmt.num(100 - bound_max, 0)),
            "adds up": _("not given"),
            "source": _(
                "S&T {st_share}% of budget expenditure ({st_year}, Ministry of Finance) x {budget} bn VND ({year}); "
                "R&D share of state S&T spending {frac}% (2011); GERD {gerd} bn VND"
            ).format(
                st_share=general(START.budget.st_share_pct),
                st_year=fmt.year(START.budget.st_share_year),
                budget=fmt.num(START.budget.budget_exp_vnd_bn),
                year=fmt.year(B),
                frac=fmt.num(EV.rd_fraction.low * 100, 1),
                gerd=fmt.num(GERD_B),
            ),
        }
    )


def span(lo_hi):
    lo, hi = lo_hi
    if np.isnan(lo):
        return _("not given")
    return f"{fmt.num(lo, 0)}%" if abs(hi - lo) < 0.05 else f"{fmt.num(lo, 0)}-{fmt.num(hi, 0)}%"


for r_ in READINGS:
    rows.append(
        {
            "reading": r_.name,
            "year": r_.year,
            "state budget": span(r_.state_budget),
            "state-owned enterprises' own funds": span(r_.soe_own),
            "private, foreign and other": span(r_.private_other),
            "non-budget": span(r_.nonbudget),
            "adds up": _("not given") if r_.adds_up is None else (_("yes") if r_.adds_up else _("no")),
            "source": r_.source,
        }
    )
READ = pd.DataFrame(rows).set_index("reading")
show(
    READ,
    table_id="funding_readings",
    title=_("Who pays for R&D: two readings side by side (% of GERD)"),
    source=_("{budget}; data/raw/vn_gerd_funding.csv (MOST 2013 survey, OECD/World Bank 2014, EY Vietnam 2025)").format(
        budget=SRC_BUDGET
    ),
    formats={"reading": _, "source": _, "year": lambda y: fmt.year(y) if pd.notna(y) else _("not stated")},
    labels=words(
        [
            N_("reading"),
            N_("year"),
            N_("state budget"),
            N_("state-owned enterprises' own funds"),
            N_("private, foreign and other"),
            N_("non-budget"),
            N_("adds up"),
            N_("source"),
        ]
    ),
    note=_(
        "The readings do not agree: every published state share is above what the budget's whole S&T spending could "
        "have paid for. No residual is filled in; the path carries the published range."
    )
    if rows and START.budget is not None
    else None,
)
md(
    _(
        "The two readings contradict each other. The budget's whole spending on science and technology could have "
        "paid for at most about {most}% of R&D in {year}, yet the published shares put the state budget at "
        "{pub_lo}% or more. Until a survey splits R&D by source of funds, the path starts from the published shares: "
        "**{central}% non-budget** (range {low}-{high}%), the median of the three sources, and the Resolution's "
        "floor, **60%**, in {target_year}. State-owned enterprises' own funds are non-budget; where they are counted "
        "as state (the rd-soe-funding scenario), the rest is the non-state sector."
    ).format(
        most=fmt.num(bound_max, 0) if START.budget is not None else "?",
        year=fmt.year(B),
        pub_lo=fmt.num(min(r_.state_budget[0] for r_ in READINGS), 0),
        central=fmt.num(NB_C, 0),
        low=fmt.num(NB_LO, 0),
        high=fmt.num(NB_HI, 0),
        target_year=fmt.year(T),
    )
)


def growth_words(pct: float, bold: bool = True) -> str:
    if np.isnan(pct):
        return _("grow from nothing (no annual rate applies)")
    if bold:
        return _("grow **{growth}% a year**").format(growth=fmt.num(pct, 1))
    return _("grow {growth}% a year").format(growth=fmt.num(pct, 1))


split_words = (
    (
        _("With the non-state sector's share held at {share}%")
        if SOE_AS_STATE
        else _("With the non-budget share held at {share}%")
    ).format(share=fmt.num(inp.nonstate_share_base_pct, 1))
    if abs(inp.nonstate_share_base_pct - inp.nonstate_share_target_pct) < 1e-9
    else (
        _("With the non-state sector's share moving from {base}% to {target}%")
        if SOE_AS_STATE
        else _("With the non-budget share moving from {base}% to {target}%")
    ).format(base=fmt.num(inp.nonstate_share_base_pct, 1), target=fmt.num(inp.nonstate_share_target_pct, 1))
)
md(
    (
        _(
            "{split_words}, the non-state sector's R&D must {nonstate_growth} to {nonstate_vnd} bn VND (USD "
            "{nonstate_usd} bn) in {year}, and state R&D (budget and state-owned firms' own funds) must {state_growth} "
            "to {state_vnd} bn VND. For comparison, EY Vietnam put the private R&D that the target implies at about "
            "USD 9 bn by 2030."
        )
        if SOE_AS_STATE
        else _(
            "{split_words}, non-budget R&D must {nonstate_growth} to {nonstate_vnd} bn VND (USD {nonstate_usd} bn) in "
            "{year}, and state-funded R&D must {state_growth} to {state_vnd} bn VND. For comparison, EY Vietnam put "
            "the private R&D that the target implies at about USD 9 bn by 2030."
        )
    ).format(
        split_words=split_words,
        nonstate_growth=growth_words(summary["nonstate_gerd_nominal_cagr_pct"]),
        nonstate_vnd=fmt.num(summary["nonstate_gerd_target_vnd_bn"]),
        nonstate_usd=fmt.num(summary["nonstate_gerd_target_usd_bn"], 1),
        year=fmt.year(T),
        state_growth=growth_words(summary["state_gerd_nominal_cagr_pct"], bold=False),
        state_vnd=fmt.num(summary["state_gerd_target_vnd_bn"]),
    )
)
SPLIT_COLUMNS = (
    {
        "state_gerd_usd_bn": N_("State (budget and state-owned firms' own funds)"),
        "nonstate_gerd_usd_bn": N_("Non-state sector"),
    }
    if SOE_AS_STATE
    else {
        "state_gerd_usd_bn": N_("State budget"),
        "nonstate_gerd_usd_bn": N_("Non-budget (incl. state-owned firms' own funds)"),
    }
)
split = path[list(SPLIT_COLUMNS)].rename(columns={k: _(v) for k, v in SPLIT_COLUMNS.items()})
fig, ax = plt.subplots()
split.plot(kind="bar", stacked=True, ax=ax, color=["#DD8452", "#55A868"], width=0.75)
ax.set(
    xlabel=_("Year"),
    ylabel=_("R&D spending, billion current USD"),
    title=_("R&D spending by who pays"),
)
ax.legend(title=None)
ax.tick_params(axis="x", rotation=0)
report.figure(
    fig,
    chart_id="funding_split",
    title=_(
        "State-budget and non-budget R&D, billion current US dollars, {base} ({status}) and required to {year}"
    ).format(base=fmt.year(B), status=STATUS_WORD, year=fmt.year(T)),
    alt=_(
        "Stacked bar chart: total R&D grows from USD {first} bn in {base} to USD {last} bn in {year}; the non-budget "
        "part goes from {ns_base}% to {ns_target}% of it."
    ).format(
        first=fmt.num(path["gerd_usd_bn"].iloc[0], 1),
        base=fmt.year(B),
        last=fmt.num(path["gerd_usd_bn"].iloc[-1], 1),
        year=fmt.year(T),
        ns_base=fmt.num(inp.nonstate_share_base_pct),
        ns_target=fmt.num(inp.nonstate_share_target_pct),
    ),
    source=_("{model}; split: the published shares above (median) and Resolution 57 for the target year").format(
        model=SRC_MODEL
    ),
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
floor_col = next(c for c in RULE.columns if c.endswith("% floor, bn VND"))
show(
    RULE,
    table_id="budget_rule",
    title=_("The 3% rule, year by year: allocations for S&T, innovation and digital transformation"),
    source=_("{budget}; 2026 plan: PM's conclusion, 15 Nov 2025").format(budget=SRC_BUDGET),
    formats={"year": fmt.year, "meets the floor": _}
    | {c: num(0) for c in RULE.columns if "bn VND" in c}
    | {"planned, % of budget": num(2)},
    labels=words(
        [
            N_("year"),
            N_("budget expenditure (estimate), bn VND"),
            N_("planned for S&T, innovation and DX, bn VND"),
            N_("planned, % of budget"),
            N_("added during the year, bn VND"),
            N_("of which allocated, bn VND"),
            N_("spent, bn VND"),
            N_("meets the floor"),
        ]
    )
    | {floor_col: _("{floor}% floor, bn VND").format(floor=general(funding.RULE_FLOOR_PCT))},
    note=_(
        "Blank cells were searched for and not found: no total allocation for 2025 and no figure for what was spent "
        "in either year has been published in the sources."
    ),
)
md(
    _(
        "For 2025 only the top-up is known: 25,000 bn VND added from 2024's extra revenue, of which 16,716 bn had "
        "been allocated by December 2025; what was spent is not published, and money allocated in December is R&D "
        "of the year it is spent, not of 2025. For 2026 the plan of about 95,000 bn VND "
        "is {share}% of the budget estimate, at the floor. "
    ).format(share=fmt.num(RULE.loc[2026, "planned, % of budget"], 2))
    if 2026 in RULE.index
    else ""
)
BUD_COLUMNS = {
    "budget_exp_vnd_bn": "budget expenditure, bn VND",
    "science_budget_share_pct": "floor, % of budget",
    "envelope_vnd_bn": "envelope, bn VND",
    "rd_envelope_vnd_bn": f"R&D part ({inp.envelope_rd_share_pct:.1f}%), bn VND",
    "state_gerd_vnd_bn": "state-funded R&D, bn VND",
    "state_gerd_pct_envelope": "state R&D, % of the envelope",
    "state_gerd_pct_rd_envelope": "state R&D, % of the R&D part",
    "fits_envelope": "fits?",
}
bud = path[list(BUD_COLUMNS)].copy()
bud["fits_envelope"] = np.where(bud["fits_envelope"], N_("yes"), N_("NO: exceeds the R&D part"))
bud = bud.rename(columns=BUD_COLUMNS)
show(
    bud,
    table_id="budget_check",
    title=_("State-funded R&D against the R&D part of the budget envelope, {base}-{year}").format(
        base=fmt.year(B), year=fmt.year(T)
    ),
    source=_(
        "{model}; budget expenditure {budget}% of GDP (mean of {years} unless set by the user); R&D part: {rd_part}% "
        "of the envelope"
    ).format(
        model=SRC_MODEL,
        budget=fmt.num(inp.budget_exp_pct_gdp, 2),
        years=summary["budget_years"],
        rd_part=fmt.num(inp.envelope_rd_share_pct, 1),
    ),
    note=_(
        "Budget expenditure is held at {budget}% of GDP in every year (one budget series), so the {base} row differs "
        "from that year's own estimate. Only budget-financed R&D is compared with the envelope."
    ).format(budget=fmt.num(inp.budget_exp_pct_gdp, 1), base=fmt.year(B)),
    formats={
        "year": fmt.year,
        "budget expenditure, bn VND": num(0),
        "floor, % of budget": num(2),
        "envelope, bn VND": num(0),
        BUD_COLUMNS["rd_envelope_vnd_bn"]: num(0),
        "state-funded R&D, bn VND": num(0),
        "state R&D, % of the envelope": num(0),
        "state R&D, % of the R&D part": num(0),
        "fits?": _,
    },
    labels=words(
        [
            N_("year"),
            N_("budget expenditure, bn VND"),
            N_("floor, % of budget"),
            N_("envelope, bn VND"),
            N_("state-funded R&D, bn VND"),
            N_("state R&D, % of the envelope"),
            N_("state R&D, % of the R&D part"),
            N_("fits?"),
        ]
    )
    | {
        BUD_COLUMNS["rd_envelope_vnd_bn"]: _("R&D part ({share}%), bn VND").format(
            share=fmt.num(inp.envelope_rd_share_pct, 1)
        )
    },
)
misfits = summary["years_not_fitting"]
need = summary["state_gerd_pct_envelope_target"]
if misfits:
    md(
        ngettext(
            "**Budget-financed R&D outgrows its part of the envelope ({rd_part}%) in {n} year: {years}.** In "
            "{year} it would need **{need}% of the whole envelope** ({rd_need}% of that part). Either the floor "
            "rises above {floor}% (`science_budget_share_pct` as a path), non-budget funding grows even faster, or "
            "the target slips.",
            "**Budget-financed R&D outgrows its part of the envelope ({rd_part}%) in {n} years: {years}.** In "
            "{year} it would need **{need}% of the whole envelope** ({rd_need}% of that part). Either the floor "
            "rises above {floor}% (`science_budget_share_pct` as a path), non-budget funding grows even faster, or "
            "the target slips.",
            len(misfits),
        ).format(
            n=fmt.num(len(misfits)),
            years=", ".join(fmt.year(y) for y in misfits),
            year=fmt.year(T),
            need=fmt.num(need),
            rd_part=fmt.num(inp.envelope_rd_share_pct),
            rd_need=fmt.num(summary["state_gerd_pct_rd_envelope_target"]),
            floor=general(summary["science_budget_share_target_pct"]),
        )
    )
else:
    md(
        _(
            "The state's part fits the R&D part of the envelope in every year. In {year} it takes {need}% of the "
            "whole envelope ({rd_need}% of the R&D part)."
        ).format(year=fmt.year(T), need=fmt.num(need), rd_need=fmt.num(summary["state_gerd_pct_rd_envelope_target"]))
    )
ENVELOPE_SERIES = {
    "state_gerd_vnd_bn": _("State-funded R&D ({base} {status}, then required)").format(
        base=fmt.year(B), status=STATUS_WORD
    ),
    "rd_envelope_vnd_bn": _("R&D part of the envelope"),
    "envelope_vnd_bn": _("Whole envelope (S&T, innovation, DX)"),
}
long = path[list(ENVELOPE_SERIES)].rename(columns=ENVELOPE_SERIES) / 1000
long = long.reset_index().melt(id_vars="year", var_name="series", value_name="trillion VND")
fig, ax = plt.subplots()
sns.lineplot(data=long, x="year", y="trillion VND", hue="series", style="series", markers=True, dashes=False, ax=ax)
ax.set(
    xlabel=_("Year"),
    ylabel=_("Trillion VND (current prices)"),
    title=_("State-funded R&D against the budget envelope"),
)
ax.legend(title=None)
report.figure(
    fig,
    chart_id="budget_envelope",
    title=_(
        "State-funded R&D, the R&D part of the envelope and the whole envelope, trillion VND, {base}-{year}"
    ).format(base=fmt.year(B), year=fmt.year(T)),
    alt=_(
        "Line chart: state-funded R&D rises above the R&D part of the envelope from {first} and reaches {need}% of "
        "the whole envelope in {year}."
    ).format(first=fmt.year(misfits[0]), need=fmt.num(need), year=fmt.year(T))
    if misfits
    else _("Line chart: state-funded R&D stays below the R&D part of the envelope in every year."),
    source=f"{SRC_MODEL}; {SRC_BUDGET}",
)

# %% [markdown]
# ### Do the three targets fit together?
#
# 2% of GDP, more than 60% of it from outside the budget, and at least 3% of budget expenditure for
# science, technology, innovation and digital transformation: for the target year, the table shows
# budget-financed R&D as a share of the envelope's R&D part for each non-budget share and floor. At
# most 100% means the targets are consistent.

# %%
CONS = consistency_table(resolved)
md(
    _(
        "**At the 60% floor, state R&D in {year} needs {envelope}% of the whole {floor}% envelope, {budget}% of "
        "budget expenditure.** The smallest floor that covers it is **{min_floor}%** of budget expenditure (R&D taking "
        "{rd_part}% of the envelope); at a {floor}% floor the non-budget share must reach **{needed}%**, so non-budget "
        "R&D must grow **{growth}% a year** from {base} (budget expenditure {bexp}% of GDP, the mean of {years})."
    ).format(
        year=fmt.year(T),
        envelope=fmt.num(summary["consistency_envelope_pct_at_floor"], 0),
        floor=general(summary["science_budget_share_target_pct"]),
        budget=fmt.num(summary["consistency_budget_pct_at_floor"], 1),
        min_floor=fmt.num(summary["consistency_min_floor_pct"], 1),
        rd_part=fmt.num(inp.envelope_rd_share_pct, 0),
        needed=fmt.num(summary["consistency_nonbudget_needed_pct"], 0),
        growth=fmt.num(summary["consistency_nonbudget_growth_pct"], 1),
        base=fmt.year(B),
        bexp=fmt.num(inp.budget_exp_pct_gdp, 1),
        years=summary["budget_years"],
    )
)
cons_tab = CONS.copy()
cons_tab.columns = [_("floor {floor}%").format(floor=general(c)) for c in CONS.columns]
cons_tab.index.name = "non-budget share, %"
show(
    cons_tab,
    table_id="consistency",
    title=_(
        "Budget-financed R&D in {year} as % of the envelope's R&D part ({rd_part}%), by non-budget share and floor"
    ).format(year=fmt.year(T), rd_part=fmt.num(inp.envelope_rd_share_pct, 0)),
    source=_("{model}; GERD {target}% of GDP; budget expenditure {bexp}% of GDP (mean of {years})").format(
        model=SRC_MODEL, target=fmt.num(TGT, 2), bexp=fmt.num(inp.budget_exp_pct_gdp, 1), years=summary["budget_years"]
    ),
    note=_("At most 100: the three targets fit together. The Resolution's point is 60% and a 3% floor."),
    formats={"non-budget share, %": num(0)} | {c: num(0) for c in cons_tab.columns},
    labels=words([N_("non-budget share, %")]),
)
fig, ax = plt.subplots()
nb = np.linspace(0, 100, 201)
for fl in CONS.columns:
    ax.plot(
        nb,
        funding.state_rd_pct_of_envelope(TGT, nb, fl, inp.budget_exp_pct_gdp) / (inp.envelope_rd_share_pct / 100),
        label=_("floor {floor}%").format(floor=general(fl)),
    )
ax.axhline(100, color="black", lw=1)
ax.plot([60], [summary["consistency_envelope_pct_at_floor"] / (inp.envelope_rd_share_pct / 100)], "ko")
ax.annotate(
    _("Resolution: 60%, 3%"),
    (60, summary["consistency_envelope_pct_at_floor"]),
    textcoords="offset points",
    xytext=(6, 6),
)
ax.set(
    xlabel=_("Non-budget share of R&D, %"),
    ylabel=_("% of the envelope's R&D part"),
    ylim=(0, 400),
    title=_("Where 2% of GDP fits the budget rule"),
)
ax.legend(title=None)
report.figure(
    fig,
    chart_id="consistency",
    title=_("Budget-financed R&D in {year} against the envelope, by non-budget share and floor").format(
        year=fmt.year(T)
    ),
    alt=_(
        "Line chart: one line per floor; the targets fit below the 100% line. At 60% non-budget and a 3% floor the "
        "point is at {envelope}%; the 3% line crosses 100% at {needed}% non-budget."
    ).format(
        envelope=fmt.num(summary["consistency_envelope_pct_at_floor"], 0),
        needed=fmt.num(summary["consistency_nonbudget_needed_pct"], 0),
    ),
    source=f"{SRC_MODEL}; {SRC_BUDGET}",
)

# %% [markdown]
# ## What the target means on each GDP basis

# %%
uplift = resolved.params["gdp_revision_uplift_pct"]
gdp_T = path["gdp_vnd_bn"].iloc[-1]
STATED = general(P["target_share_pct"])
rd_col = f"R&D in {T}, bn VND"
basis = pd.DataFrame(
    {
        "target on official (revised) GDP, %": [P["target_share_pct"], P["target_share_pct"] / (1 + uplift / 100)],
        "same money on pre-revision GDP, %": [P["target_share_pct"] * (1 + uplift / 100), P["target_share_pct"]],
        rd_col: [
            P["target_share_pct"] / 100 * gdp_T,
            P["target_share_pct"] / (1 + uplift / 100) / 100 * gdp_T,
        ],
    },
    index=pd.Index(
        [f"{P['target_share_pct']:g}% of official (revised) GDP", f"{P['target_share_pct']:g}% of pre-revision GDP"],
        name="reading of the target",
    ),
)
readings = dict(
    zip(
        basis.index,
        [
            _("{target}% of official (revised) GDP").format(target=STATED),
            _("{target}% of pre-revision GDP").format(target=STATED),
        ],
        strict=True,
    )
)
show(
    basis,
    table_id="target_basis",
    title=_("What {target}% of GDP means on each GDP basis").format(target=STATED),
    source=_("GSO GDP revision uplift {uplift}% (data/raw/vn_rd_statements.csv); {model}").format(
        uplift=general(uplift), model=SRC_MODEL
    ),
    formats={
        "reading of the target": readings.get,
        basis.columns[0]: num(2),
        basis.columns[1]: num(2),
        basis.columns[2]: num(0),
    },
    labels=words(
        [
            N_("reading of the target"),
            N_("target on official (revised) GDP, %"),
            N_("same money on pre-revision GDP, %"),
        ]
    )
    | {rd_col: _("R&D in {year}, bn VND").format(year=fmt.year(T))},
    note=(
        _("This report uses the 'revised' reading (parameter target_gdp_basis).")
        if P["target_gdp_basis"] == "revised"
        else _("This report uses the 'pre_revision' reading (parameter target_gdp_basis).")
    ),
)
md(
    _(
        "The statistics office's 2019 re-assessment raised GDP by about {uplift}%. The science ministry still "
        "divides R&D by the old GDP, so on its basis {target}% of GDP is {official}% of official GDP, about {less}% "
        "less money. Which reading the Resolution intends is not stated; the sensitivity table shows both."
    ).format(
        uplift=general(uplift),
        target=STATED,
        official=fmt.num(P["target_share_pct"] / (1 + uplift / 100), 2),
        less=fmt.num((1 - 1 / (1 + uplift / 100)) * 100),
    )
)

# %% [markdown]
# ## Which assumptions matter
#
# Each assumption below is set to a low and a high value while the others stay as in this scenario;
# the bars show how far the required growth of R&D spending moves. Values come from the data where it
# gives a range (the nowcast, the funding account, the budget and GDP records) and are named otherwise.

# %%
SENS = sensitivity.sensitivity_table(resolved, DATA)
CASE_LIST = sensitivity.cases(resolved, DATA)
CASES = {c.assumption: c.shown() for c in CASE_LIST}  # low, high, basis as the reader sees them
central = SENS.attrs["central"]
fig, axes = plt.subplots(1, 2, figsize=(10, 5.2), sharey=True)
rows = SENS.iloc[::-1]
y = np.arange(len(rows))
for ax, key, label in (
    (axes[0], "gerd_nominal_cagr_pct", _("R&D growth needed, % a year")),
    (axes[1], "state_gerd_pct_envelope_target", _("State R&D, % of envelope, {year}").format(year=fmt.year(T))),
):
    c0 = central[key]
    ax.barh(y, rows[f"{key} at low"].to_numpy() - c0, left=c0, color="#4C72B0", label=_("low value"))
    ax.barh(y, rows[f"{key} at high"].to_numpy() - c0, left=c0, color="#DD8452", label=_("high value"))
    ax.axvline(c0, color="black", lw=1)
    ax.set(xlabel=label)
axes[0].set_yticks(
    y,
    [
        _("{assumption}\n({low} / {high})").format(assumption=_(a), low=CASES[a][0], high=CASES[a][1])
        for a in rows["assumption"]
    ],
    fontsize=7,
)
axes[1].legend(fontsize=8, loc="lower right")
fig.suptitle(_("What moves the answer: each assumption at its low and high value"), fontweight="bold")
c0 = central["gerd_nominal_cagr_pct"]
top = SENS.iloc[0]
report.figure(
    fig,
    chart_id="tornado",
    title=_("Sensitivity of the required growth of R&D spending, {base}-{year}, to each assumption").format(
        base=fmt.year(B), year=fmt.year(T)
    ),
    alt=_(
        "Tornado chart around the central {central}% a year: {assumption} moves it most, from {low}% to {high}%; "
        "the funding shares and the envelope move only the right-hand panel, the state's share of the budget "
        "envelope."
    ).format(
        central=fmt.num(c0, 1),
        assumption=_(top["assumption"]),
        low=fmt.num(top["gerd_nominal_cagr_pct at low"], 1),
        high=fmt.num(top["gerd_nominal_cagr_pct at high"], 1),
    ),
    source=_("r57 vectorised scenario engine; ranges from {nowcast}, the funding account, {budget} and {gdp}").format(
        nowcast=SRC_NOWCAST, budget=SRC_BUDGET, gdp=SRC_GDP
    ),
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
# the shown headers: one whole label per column (the CSV keeps the English ones above)
SENS_HEADERS = {
    "R&D growth, % a year at low": _("R&D growth, % a year at low"),
    "R&D growth, % a year at high": _("R&D growth, % a year at high"),
    "share growth, % a year at low": _("share growth, % a year at low"),
    "share growth, % a year at high": _("share growth, % a year at high"),
    f"state R&D, % of envelope {T} at low": _("state R&D, % of envelope {year} at low").format(year=fmt.year(T)),
    f"state R&D, % of envelope {T} at high": _("state R&D, % of envelope {year} at high").format(year=fmt.year(T)),
    f"state R&D, % of R&D part {T} at low": _("state R&D, % of R&D part {year} at low").format(year=fmt.year(T)),
    f"state R&D, % of R&D part {T} at high": _("state R&D, % of R&D part {year} at high").format(year=fmt.year(T)),
    f"R&D {T}, USD bn at low": _("R&D {year}, USD bn at low").format(year=fmt.year(T)),
    f"R&D {T}, USD bn at high": _("R&D {year}, USD bn at high").format(year=fmt.year(T)),
}
sens_shown = {  # the English value (the CSV's) -> the same value as shown
    "low value": {c.low_label: c.shown()[0] for c in CASE_LIST},
    "high value": {c.high_label: c.shown()[1] for c in CASE_LIST},
    "basis": {c.basis: c.shown()[2] for c in CASE_LIST},
}
show(
    sens_tab,
    table_id="sensitivity",
    title=_("Sensitivity: one row per assumption, low and high value and what each gives"),
    source=_("r57 vectorised scenario engine (one call for all rows)"),
    formats={"assumption": _, "unit": lambda u: _(u) if u else ""}
    | {c: num(1) for c in sens_tab.columns if "%" in c or "USD" in c}
    | {col: (lambda v, m=m: m.get(v, v)) for col, m in sens_shown.items()},
    labels=words([N_("assumption"), N_("unit"), N_("low value"), N_("high value"), N_("basis")]) | SENS_HEADERS,
    note=_(
        "Central: R&D growth {growth}% a year, share growth {share_growth}% a year, state R&D {state}% of the "
        "envelope in {year}."
    ).format(
        growth=fmt.num(c0, 1),
        share_growth=fmt.num(central["share_cagr_pct"], 1),
        state=fmt.num(central["state_gerd_pct_envelope_target"]),
        year=fmt.year(T),
    ),
)


# %% [markdown]
# ## What this report does not say
#
# - It is arithmetic, not a forecast: it shows what the target requires under stated assumptions, not
#   what will happen. The feasibility report compares the required climb with what other countries achieved.
# - The years after the last survey are estimates with a range, not observations; the next survey will replace them.
# - Who pays rests on published shares and old survey fragments that contradict the budget data, not on
#   an official series by source of funds; the central/local split and the split of private firms into
#   domestic and foreign-invested were not found.
# - How much of the S&T, innovation and digital-transformation envelope goes to R&D is not published;
#   the default lets R&D take the whole envelope (the most generous reading), and the consistency table
#   and the sensitivity table vary it.


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
            "method": r.method,
            "flag": r.flag,
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
    "funding_readings": [
        {
            "reading": r_.name,
            "year": r_.year,
            "state_budget_pct": list(r_.state_budget),
            "soe_own_funds_pct": [None if np.isnan(v) else v for v in r_.soe_own],
            "private_foreign_other_pct": [None if np.isnan(v) else v for v in r_.private_other],
            "nonbudget_pct": list(r_.nonbudget),
            "adds_up": r_.adds_up,
            "source": r_.source,
        }
        for r_ in READINGS
    ],
    "nowcast_backtest": [
        {"held_out": int(y), **{k: (None if pd.isna(v) else float(v)) for k, v in r.items()}} for y, r in BT.iterrows()
    ],
    "consistency": [
        {"nonbudget_pct": float(nb), "floor_pct": float(fl), "pct_of_rd_part": float(CONS.loc[nb, fl])}
        for nb in CONS.index
        for fl in CONS.columns
    ],
    "budget_rule": [{"year": int(y), **{k: v for k, v in r.items()}} for y, r in RULE.iterrows()],
    "sensitivity": SENS.to_dict(orient="records"),
    "sensitivity_central": central,
    "path": [
        {
            "year": int(y),
            "status": str(s),
            "flag": nowcast.FLAGS.get(str(s), ""),
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
    "provenance": provenance.provenance_record("rd_paths"),
}
results = report.finish(results, resolved.params)
