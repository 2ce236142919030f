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
# Parameters (papermill) from the spec: `r57 params rd_paths` explains them, `--cell` writes this cell.
base_year: int = 2025
base_share_pct: "Optional[float]" = None
nowcast_level: str = "central"
gerd_series: str = "uis"
target_share_pct: float = 2.0
target_gdp_basis: str = "revised"
gdp_revision_uplift_pct: "Optional[float]" = None
target_year: int = 2030
path_shape: str = "geometric"
logistic_steepness: float = 8.0
back_loaded_exponent: float = 2.0
real_gdp_growth_pct: "Union[float, dict]" = 6.5
gdp_deflator_pct: "Union[float, dict]" = 3.0
vnd_depreciation_pct: "Union[float, dict]" = 2.0
use_observed_gdp: bool = True
nonstate_share_base_pct: "Optional[float]" = None
nonstate_share_target_pct: "Optional[float]" = None
soe_funds_as: str = "non-budget"
budget_exp_pct_gdp: "Optional[float]" = None
science_budget_share_pct: "Union[float, dict]" = 3.0
envelope_rd_share_pct: float = 100.0
lang: str = "en"
results_path: str = ""  # set by the runner

# %%
from analysis import i18n
from analysis.reports import params, provenance, sensitivity
from analysis.reports import rd_paths as rp
from analysis.reports.render import Report, both, md, setup_plotting

setup_plotting()
P = params.validate(
    "rd_paths",
    {name: value for name, value in globals().items() if name in params.notebook_spec("rd_paths").names()},
)
i18n.use(P["lang"])  # results.json in the report's language; every shown output is in both (render.both)
PG = rp.Page.build(P)  # the scenario, computed once: resolution, path, summary (analysis.reports.rd_paths)
CASES = sensitivity.cases(PG.resolved, PG.data, PG.path)  # each assumption at a low and a high value
SENS = sensitivity.sensitivity_table(PG.resolved, PG.data, CASES)  # and what each gives
report = Report(results_path)


def show(*parts):
    """Show each part, a function of the page giving Markdown, a chart or a table, in every language from this
    one execution (nothing where it gives nothing)."""

    def each():
        for part in parts:
            spec = part(PG)
            if isinstance(spec, str):
                if spec:
                    md(spec)
            elif spec and "fig" in spec:
                report.figure(**spec)
            elif spec:
                report.table(**spec)

    both(each)


show(lambda pg: "# " + rp.title(pg))

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
show(
    rp.standing_text,
    rp.history_chart,
    rp.nowcast_table,
    rp.backtest_table,
    rp.statements_table,
    rp.statements_text,
    rp.gap_table,
    rp.start_text,
)

# %% [markdown]
# ## What the path requires

# %%
show(rp.requirement_text, rp.shapes_chart, rp.shape_table)

# %% [markdown]
# ### Year by year

# %%
show(rp.path_table)

# %% [markdown]
# ## The GDP it rides on
#
# R&D spending in dong is the share times GDP, so the GDP path matters as much as the share. Years
# with official GDP use it; later years follow the growth, inflation and exchange-rate assumptions.
# The table compares those assumptions with the recent record.

# %%
show(rp.gdp_assumptions_table, rp.gdp_chart)

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
# readings are set side by side: the budget's science and technology line (all of it taken as R&D; R&D
# paid through other budget lines, such as education, defence or the provinces', is outside it) and the
# shares published by EY Vietnam, the OECD and World Bank, and the 2013 survey, with the three rows
# (state budget, state-owned firms, the rest) kept apart.

# %%
show(rp.readings_table, rp.readings_text, rp.split_text, rp.split_chart)

# %% [markdown]
# ## The budget rule
#
# The Resolution asks for **at least 3% of annual budget expenditure** for science, technology,
# innovation **and** digital transformation, rising over time. First the rule itself, for the years
# with data; then the projection, in which the floor may rise (a parameter) and only the part of the
# envelope that funds R&D is compared with state-funded R&D, so the check compares like with like.

# %%
show(rp.rule_table, rp.rule_text, rp.budget_table, rp.budget_text, rp.envelope_chart)

# %% [markdown]
# ### Do the three targets fit together?
#
# 2% of GDP, more than 60% of it from outside the budget, and at least 3% of budget expenditure for
# science, technology, innovation and digital transformation: for the target year, the table shows
# budget-financed R&D as a share of the envelope's R&D part for each non-budget share and floor. At
# most 100% means the targets are consistent.

# %%
show(rp.consistency_text, rp.consistency_table_spec, rp.consistency_chart)

# %% [markdown]
# ## What the target means on each GDP basis

# %%
show(rp.basis_table, rp.basis_text)

# %% [markdown]
# ## Which assumptions matter
#
# Each assumption below is set to a low and a high value while the others stay as in this scenario;
# the bars show how far the required growth of R&D spending moves. Values come from the data where it
# gives a range (the nowcast, the funding account, the budget and GDP records) and are named otherwise.

# %%
show(lambda pg: rp.tornado_chart(pg, SENS, CASES), lambda pg: rp.sensitivity_table_spec(pg, SENS, CASES))

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
results = report.finish(rp.results(PG, SENS), PG.resolved.params, provenance.provenance_record("rd_paths"))
