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
# Parameters (papermill) from the spec: `r57 params ecosystem_rankings` explains them, `--cell` writes this cell.
index_name: str = "startupblink_country"
entity: str = "VNM"
target_rank: int = 50
target_year: int = 2030
interval_pct: float = 80.0
field_drift_pct: "Optional[float]" = None
projection_method: str = "auto"
include_derived: bool = False
fit_last_editions: int = 8
min_points: int = 4
lang: str = "en"
results_path: str = ""  # set by the runner

# %%
from analysis import i18n
from analysis.reports import ecosystem_rankings as rs
from analysis.reports import params, provenance
from analysis.reports.render import Report, both, md, setup_plotting

setup_plotting()
P = params.validate(
    "ecosystem_rankings",
    {name: value for name, value in globals().items() if name in params.notebook_spec("ecosystem_rankings").names()},
)
i18n.use(P["lang"])  # text outside the shown outputs (results.json) in the report's language
# The facts are computed once (rs.run: numbers and codes, no words); every output is shown in both languages from
# them (render.both), each section a function of the run worded in the language in use: RUNS[lang] = rs.words(F).
F = rs.run(P)
RUNS = i18n.each_language(lambda: rs.words(F))
R = RUNS[i18n.current()]
report = Report(results_path)


def show(section):
    """Show ``section`` (a function of the worded run and the report) in every language."""
    both(lambda: section(RUNS[i18n.current()], report))


# %%
md(lambda: "# " + rs.title(RUNS[i18n.current()]))  # each rank page headed by its own index and target

# %% [markdown]
# Resolution 57-NQ/TW sets ranking targets, by 2030: "Việt Nam thuộc nhóm 3 nước dẫn đầu Đông Nam Á,
# nhóm 50 nước đứng đầu thế giới về năng lực cạnh tranh số và chỉ số phát triển Chính phủ điện tử" (top 3
# in Southeast Asia and top 50 in the world in digital competitiveness and e-government); by 2045, "thuộc
# nhóm 30 nước dẫn đầu thế giới về đổi mới sáng tạo, chuyển đổi số" (top 30 in the world in innovation
# and digital transformation). It sets no startup-ecosystem ranking target, though public statements cite
# those ranks: the startup scenarios' target ranks are illustrative assumptions. This report shows where
# Viet Nam and its cities stand, what can honestly be said about where they will be, how fast they would
# have to climb, and what the data do and do not support.
#
# Projections start from the latest published rank. A trend is used only where a backtest (forecasting
# past editions from the editions before them) shows it beats the simple forecast "the latest rank
# holds"; the report quotes that backtest's error and interval coverage next to every probability.
# Only published ranks are fitted: ranks worked back from a reported change ("rose 130 places to
# 766th") are shown, marked, but left out of fits unless `include_derived` is set; bands, "not ranked",
# "not covered" and "not found" are shown but never fitted, and a field size that is not found stays
# missing.

# %% [markdown]
# ## Where it stands and what can be projected

# %%
show(rs.show_standing)

# %% [markdown]
# ## Does a trend beat "the latest rank holds"?
#
# Each method forecasts every past edition of every entity with at least four published editions from
# the editions published one, two or three editions earlier, and is scored on the rank actually
# published: the mean absolute error in places and the share of outcomes its 80% interval covered.
# The naive forecast keeps the latest rank; its interval is the spread of past changes in the index.
# The two drift methods ("drift in rank", "drift in percentile") move the latest rank by the entity's own
# recent trend; the "trend line of percentile" is the unanchored one this report used before, shown for
# comparison only.

# %%
show(rs.show_backtest)

# %% [markdown]
# ## When the field changes size
#
# Indices add entities over time (StartupBlink went from 100 to 118 countries and from 1,000 to over
# 1,400 cities). A published rank can change because the entity moved or because newcomers joined ahead
# of it. Where only the number ranked is published, the two cannot be told apart: if every newcomer
# joined below, the entity's rank among the entities ranked in both editions is its published rank; if
# newcomers spread evenly through the table, about rank / field size of them sit ahead of it. The
# projections above work in published rank units on the latest field (newcomers assumed below), which
# is also why the chart has no jumps; the percentile view assumes they spread evenly.

# %%
show(rs.show_field)

# %% [markdown]
# ## How fast would it have to climb?

# %%
show(rs.show_pace)

# %% [markdown]
# ## What score would it take?
#
# Ranks are set by scores, and scores fall steeply down the table. Within one edition, the published
# (rank, score) pairs show how much more score a better rank takes. Turning that into a score an entity
# must reach by a later year needs scores that mean the same thing from one edition to the next, so it
# is computed only where the publisher says they do.

# %%
show(rs.show_score)

# %% [markdown]
# ## Standing in Southeast Asia

# %%
show(rs.show_regional)

# %% [markdown]
# ## What moves the rank

# %%
show(rs.show_drivers)

# %% [markdown]
# ## The Resolution's ranking targets
#
# Viet Nam is not covered by the IMD digital competitiveness ranking in any edition (2017-2025), so the two
# digital-competitiveness targets cannot be tracked on that index unless Viet Nam joins it. The backtest reaches
# three editions ahead; no interval or probability is given for a longer projection (the GII target is for 2045:
# not estimable).

# %%
show(rs.show_targets)

# %% [markdown]
# ## Checking public claims

# %%
show(rs.show_claims)

# %%
results = rs.results(R, lambda: rs.title(RUNS[i18n.current()]))  # the title worded from the parameters
results = report.finish(results, R.params, provenance.provenance_record("ecosystem_rankings"))
