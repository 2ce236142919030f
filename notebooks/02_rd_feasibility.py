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
# The R&D spending paths report shows what the Resolution 57 target for R&D spending (GERD) requires.
# This report asks the next questions an economist would: **has any economy ever climbed that fast**,
# **which economies climbed from where Viet Nam stands, and how**, **where the required growth must come
# from** (GDP, R&D intensity, researchers, spending per researcher), **what R&D intensity Viet Nam's income
# level predicts**, and **how uncertain the money needed is**, given that GDP growth, inflation and the
# exchange rate are uncertain. Every number comes from the data snapshots listed at the end or from a
# parameter named there.

# %% tags=["parameters"]
# Parameters (papermill) from the spec: `r57 params rd_feasibility` explains them, `--cell` writes this cell.
base_year: int = 2025
base_share_pct: "Optional[float]" = None
gerd_series: str = "uis"
target_share_pct: float = 2.0
target_year: int = 2030
path_shape: str = "geometric"
logistic_steepness: float = 8.0
back_loaded_exponent: float = 2.0
real_gdp_growth_pct: "Union[float, dict]" = 6.5
gdp_deflator_pct: "Union[float, dict]" = 3.0
vnd_depreciation_pct: "Union[float, dict]" = 2.0
nonstate_share_base_pct: "Optional[float]" = None
nonstate_share_target_pct: "Optional[float]" = None
budget_exp_pct_gdp: "Optional[float]" = None
science_budget_share_pct: "Union[float, dict]" = 3.0
window_years: "Optional[int]" = None
start_share_below_pct: float = 1.0
population_growth_pct: float = 1.0
structural_spec: str = "aic"
growth_sample_start: int = 2000
growth_max_ar_order: int = 2
jump_flag_pct_per_year: float = 40.0
deflator_sd_pp: float = 1.7
depreciation_sd_pp: float = 1.0
price_shock_persistence: float = 0.0
researchers_target_per_10k: float = 12.0
researchers_target_year: int = 2030
researchers_trend_years: int = 10
peer_economies: str = "CHN,KOR,THA,MYS"
peer_level_tolerance_pct: float = 10.0
n_fast_climbers: int = 3
n_simulations: int = 20000
seed: int = 57
interval_pct: float = 80.0
lang: str = "en"
results_path: str = ""  # set by the runner

# %%
import numpy as np

from analysis import i18n, sweep
from analysis.models.path_core import PATH_SHAPES
from analysis.reports import params, provenance
from analysis.reports import rd_feasibility as fs
from analysis.reports.rd_paths import RdData
from analysis.reports.render import Report, both, setup_plotting

setup_plotting()
P = params.validate(
    "rd_feasibility",
    {name: value for name, value in globals().items() if name in params.notebook_spec("rd_feasibility").names()},
)
i18n.use(P["lang"])  # text outside the shown outputs (results.json) in the report's language
DATA = RdData.load()  # the R&D data, read once: the facts and the sweep (section 5) share them and what they built
F = fs.run(P, DATA)  # the numbers, computed once; each fs.show_*() shows them in one language, render.both in every one
report = Report(results_path)
PG = fs.Page(F, report)

# %% [markdown]
# ## 1. Has any country climbed this fast?

# %%
both(lambda: fs.show_windows(PG))

# %%
both(lambda: fs.show_peers(PG))

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
both(lambda: fs.show_fallbacks(PG))

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
both(lambda: fs.show_growth_sources(PG))

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
both(lambda: fs.show_structural(PG))

# %% [markdown]
# ## 4. How uncertain is the money needed?
#
# The target is a share of GDP, so the dong and dollar amounts needed move with GDP. Real GDP growth
# is modelled by an autoregressive model of order 0 to 2 fitted to Viet Nam's annual growth record
# (statsmodels ARIMA, orders compared by AIC; order 0 means independent years around the mean); many
# growth paths are then simulated from the fitted model,
# starting from the latest year with a published figure (GSO's preliminary figure where the World Bank
# series has none yet, named below). Inflation (the GDP deflator) and the dong's depreciation
# against the dollar vary around the R&D spending paths report's assumptions, with yearly shocks of the size seen in
# 2013-2025 (their sizes and year-to-year carry-over are parameters of the report); each has
# its own seeded random stream. Parameter uncertainty of the growth model is not simulated. How the
# model's band held in past years, and the headline figures with its growth shocks widened by the factor
# that would have made it hold, are shown below the budget envelope's probabilities.

# %%
both(lambda: fs.show_uncertainty(PG))

# %% [markdown]
# ### Does the state's part fit the budget envelope?
#
# The budget envelope is budget expenditure, a share of GDP, times the 3% minimum, which the Resolution
# sets for science, technology, innovation and digital transformation together (taking all of it for R&D
# is an assumption, the most that minimum could give R&D). Each year's budget is set in the year before,
# on the GDP then known and the plan's growth; the R&D needed follows the GDP that actually happens. Budget
# spending's share of GDP, held at the R&D spending paths report's in the simulation, is varied over its recent range. Who
# pays is not known, so the probability that the state's part exceeds the envelope is shown for every
# non-budget share, not at one assumed share: what non-budget share would make it fit?

# %%
both(lambda: fs.show_exceed(PG))

# %% [markdown]
# ## 5. How the required growth depends on GDP growth and the path's shape
#
# A sweep through the vectorised scenario engine (`r57 sweep` does the same from the command line):
# every combination of real GDP growth from 2026 (3% to 10% a year) and path shape, all other
# assumptions as above. Faster GDP growth makes 2% of GDP more money, so R&D must grow faster in dong;
# the shape does not change the average growth, but a back-loaded or S-shaped path asks for a much
# bigger jump in its steepest year.

# %%
swept = {"real_gdp_growth_pct": np.round(np.arange(3.0, 10.01, 0.5), 2), "path_shape": list(PATH_SHAPES)}
grid = sweep(grid=swept, data=DATA, **{k: F.params[k] for k in fs.SHARED_NAMES if k not in swept})
both(lambda: fs.show_sweep(PG, grid))

# %% [markdown]
# ## What this adds up to

# %%
both(lambda: fs.show_conclusion(PG))

# %%
results = report.finish(fs.results(F), F.params, provenance.provenance_record("rd_feasibility"))
