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
# # Every target of Resolution 57: where Viet Nam stands
#
# Resolution 57-NQ/TW (22 December 2024) sets 29 quantitative targets for science, technology, innovation
# and digital transformation: 23 for 2030 and 6 for 2045. This page tracks every one of them: the target
# as written, the latest value and its source, the pace needed to reach the target, the pace seen over the
# last five years and over a long window (10-15 years), a status from those paces, and beside it a
# projection to the target year with an interval calibrated on its backtest (or withheld, with the reason).
#
# Where agencies define an indicator differently (the statistics office measures the digital economy's value
# added; the ministry's estimates, from tax revenue, are several points of GDP higher), the definitions are
# shown side by side and never averaged. Where no indicator exists, the target stays in the table with the reason. Projections are
# estimates, not data, and are labelled as such.

# %% tags=["parameters"]
# Parameters (papermill) from the spec: `r57 params resolution_targets` explains them, `--cell` writes this cell.
as_of_year: int = 2026
targets: str = "all"
projection_method: str = "auto"
interval_pct: float = 80.0
fit_years: int = 10
latest_pace_years: int = 5
min_points: int = 4
backtest_horizon_years: int = 5
min_backtest_pairs: int = 5
on_track_ratio: float = 0.95
acceleration_ratio: float = 0.5
lang: str = "en"
results_path: str = ""  # set by the runner

# %%

from analysis import i18n
from analysis.i18n import _, ngettext, pgettext
from analysis.reports import params, provenance
from analysis.reports import resolution_targets as ts
from analysis.reports.render import Report, both, md, results_record, setup_plotting

setup_plotting()
P = params.validate(
    "resolution_targets",
    {name: value for name, value in globals().items() if name in params.notebook_spec("resolution_targets").names()},
)
i18n.use(P["lang"])  # text outside the shown outputs (results.json) in the report's language
# The facts are computed once (ts.run: numbers and codes, no words); every output is shown in both languages from
# them (render.both, md(lambda: ...)), the rows worded in the language in use: RUNS[lang] = ts.words(F).
F = ts.run(P)
RUNS = i18n.each_language(lambda: ts.words(F))
R = RUNS[i18n.current()]
S = R.summary
T = R.tracker
report = Report(results_path)

# %% [markdown]
# ## The targets at a glance

# %%
left_out = S["targets_in_reference_list"] - S["targets_total"]
md(
    lambda: (
        ngettext(
            "Of the **{targets_total:num} targets** tracked, **{targets_on_track:num} are on track**, "
            "**{targets_needs_acceleration:num} needs acceleration**, **{targets_off_track:num} are off track** "
            "({targets_off_track_windows_disagree:num} of them with the two windows disagreeing), "
            "**{targets_not_measurable:num} cannot be measured** (only a proxy, too little history, or readings that "
            "disagree), **{targets_without_period_data:num} have values but no observation for the target period** "
            "and **{targets_without_data:num} have no data in this project's sources**.",
            "Of the **{targets_total:num} targets** tracked, **{targets_on_track:num} are on track**, "
            "**{targets_needs_acceleration:num} need acceleration**, **{targets_off_track:num} are off track** "
            "({targets_off_track_windows_disagree:num} of them with the two windows disagreeing), "
            "**{targets_not_measurable:num} cannot be measured** (only a proxy, too little history, or readings that "
            "disagree), **{targets_without_period_data:num} have values but no observation for the target period** "
            "and **{targets_without_data:num} have no data in this project's sources**.",
            S["targets_needs_acceleration"],
        ).format_map(S)
        + " "
        + (
            _(
                "Observations up to {as_of_year:year} are used; {left_out:num} targets of the Resolution's list were "
                "left out by the `targets` parameter."
            )
            if left_out > 0
            else _("Observations up to {as_of_year:year} are used.")
        ).format_map(P | {"left_out": left_out})
    )
)

md(lambda: _("**How the status is assigned.** {rule}").format(rule=ts.status_rule_text(P)))


def show_tracker():
    run = RUNS[i18n.current()]
    table = ts.tracker_table(run.tracker, run.targets)
    report.table(table, table_id="tracker", index=False, **ts.tracker_display(P["as_of_year"]))


both(show_tracker)


# %%
if len(R.t06_years):  # T06 year by year from 2025 (none for an earlier as_of_year)
    both(lambda: report.table(RUNS[i18n.current()].t06_years, table_id="t06_by_year", index=False, **ts.t06_display()))

# %% [markdown]
# ### Where each target's wording was read
#
# The wording is section II of the Resolution as transcribed in full on GitHub (thetrungdtt/VNMasterplan) and
# checked against official and press copies: most sentences are confirmed on an official or press copy (hdll.vn,
# the VNA text); T17, 5G and the 2045 additions were read only in the GitHub transcription of the full text and are labelled so in the wording-status column.


# %%
both(lambda: report.table(ts.wording_table(R.targets), table_id="wording", index=False, **ts.wording_display()))

# %% [markdown]
# ## Definitions that differ between agencies
#
# The same target can be measured in more than one way. Each definition gets its own row, pace and
# projection; the tracker's status uses the first one listed (the internationally comparable series, or
# the official statistics office's).


# %%
def show_definitions():
    D = RUNS[i18n.current()].definitions
    if len(D):
        report.table(ts.definitions_table(D), table_id="definitions", index=False, **ts.definitions_display())
    else:
        md(_("None of the selected targets has more than one definition in the data."))


both(show_definitions)

# %% [markdown]
# ## How the projections were chosen
#
# A trend is used only where it beats the naive forecasts on the indicator's own history. For every
# series, each method forecasts from every past origin that has enough observations, and every later
# observation up to the backtest horizon is scored: the mean absolute error (in the indicator's unit) and
# the share of actual values that fell inside the interval.


# %%
def show_backtests():
    B = RUNS[i18n.current()].backtests
    if len(B):
        table = ts.backtests_table(B, P["interval_pct"], R.targets)
        report.table(table, table_id="backtests", index=False, **ts.backtests_display(P))
        md(ts.backtests_finding(B, P))
    else:
        md(_("No selected target has a series long enough to backtest."))


both(show_backtests)

# %% [markdown]
# ## One chart per measurable target
#
# Each chart shows the history (every definition in the data; the first is the one the status uses),
# the straight path from the latest value to the target, and the projection with its interval.

# %%


def show_chart(tid):
    chart = ts.target_chart(RUNS[i18n.current()], tid)
    report.figure(chart.pop("fig"), **chart)


for tid in ts.charted_targets(T):
    both(lambda tid=tid: show_chart(tid))

# %% [markdown]
# ## Checking the source texts' claims
#
# The source texts cite figures that can be checked against the data: what the data say, in which
# edition, on which definition, and why a figure may differ.


# %%
def show_claims():
    report.table(  # the figures stand in sentences: a prose column by its name (tables.PROSE_WORDS)
        RUNS[i18n.current()].claims.rename(columns={"what the data say": "what the data say (text)"}),
        table_id="claims",
        index=False,
        title=_("What the data say about three claims in the source texts"),
        source=_(
            "World Bank WDI (TX.VAL.TECH.CD, TX.VAL.MRCH.CD.WT, TX.VAL.TECH.MF.ZS); Ministry of Finance; Brand Finance "
            "(via press); Tạp chí Quản lý nhà nước No. 351 (April 2025) and an article on the Resolution's first year"
        ),
        labels={
            "claim": pgettext("targets table", "claim"),
            "what the data say (text)": pgettext("targets table", "what the data say"),
            "edition": pgettext("targets table", "edition"),
            "definition": pgettext("targets table", "definition"),
            "verdict": pgettext("targets table", "verdict"),
            "why it may differ": pgettext("targets table", "why it may differ"),
        },
    )


both(show_claims)


# %%
RD_KEYS = ("share_cagr_pct", "gerd_nominal_cagr_pct", "gerd_target_usd_bn", "state_gerd_pct_envelope_target")
fields = {
    **S,
    "status_rule": ts.status_rule_text(P),
    "tracker": ts.english_pace_units(T).to_dict(orient="records"),
    "definitions": ts.english_pace_units(R.definitions).to_dict(orient="records"),
    "backtests": R.backtests.to_dict(orient="records"),
    "rd_paths_model": (
        {"base_year": R.rd["base_year"], **{k: R.rd["summary"][k] for k in RD_KEYS}, **R.rd.get("readings", {})}
        if R.rd
        else None
    ),
    "claims": R.claims.to_dict(orient="records"),
}
results = results_record(ts.TARGETS_SPEC, R.params, fields)
results = report.finish(results, R.params, provenance.provenance_record("resolution_targets"))
