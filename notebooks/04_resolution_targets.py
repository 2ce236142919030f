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
# Resolution 57-NQ/TW (22 December 2024) sets 23 quantitative targets for science, technology, innovation
# and digital transformation: 20 for 2030 and 3 for 2045. This page tracks every one of them: the target
# as written, the latest value and its source, the pace needed to reach the target, the pace seen over the
# last five and ten years, a projection to the target year with an interval, and a status.
#
# Where agencies define an indicator differently (the digital economy is 14% of GDP by the statistics
# office's method and about 18% by the ministry's), the definitions are shown side by side and never
# averaged. Where no indicator exists, the target stays in the table with the reason. Projections are
# estimates, not data, and are labelled as such.

# %% tags=["parameters"]
# Parameters (papermill). `r57 params resolution_targets` lists units, allowed values and the reason for each default.
as_of_year: int = 2026  # use observations up to this year only
targets: str = "all"  # 'all' or target ids separated by commas, e.g. "T04,T07,T15"
projection_method: str = "auto"  # auto (backtest chooses), linear_trend, naive_last_value or naive_last_pace
interval_pct: float = 80.0  # width of the projection intervals, %
fit_years: int = 10  # the trend and the spread of yearly changes use the last this many years
latest_pace_years: int = 5  # 'the latest pace' is the average change a year over the last this many years
min_points: int = 4  # fewest observations for a trend fit and a backtest origin
backtest_horizon_years: int = 5  # backtest: forecasts up to this many years ahead are scored
min_backtest_pairs: int = 5  # fewest scored forecasts for the backtest to choose a method
on_track_ratio: float = 0.95  # on track if the projection closes at least this share of the gap
acceleration_ratio: float = 0.5  # needs acceleration if it closes at least this share
lang: str = "en"  # language of the report: en (English) or vi (Vietnamese)
results_path: str = ""  # set by the runner: where results.json goes (empty: do not write)

# %%
import textwrap

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.ticker import MaxNLocator

from analysis import i18n
from analysis.models import targets as tg
from analysis.reports import params, provenance
from analysis.reports import resolution_targets as ts
from analysis.reports.render import Report, md, setup_plotting
from analysis.reports.words import display_name, house_spelling

P = params.validate(
    "resolution_targets",
    {name: value for name, value in globals().items() if name in params.notebook_spec("resolution_targets").names()},
)
i18n.use(P["lang"])  # every text and number below in the report's language
R = ts.run(P)
S = R.summary
T = R.tracker
report = Report(results_path)
setup_plotting()
by_id = {t.target_id: t for t in R.targets}

# %% [markdown]
# ## The targets at a glance

# %%
md(
    f"Of the **{S['targets_total']} targets** tracked, **{S['targets_on_track']} are on track**, "
    f"**{S['targets_needs_acceleration']} {'needs' if S['targets_needs_acceleration'] == 1 else 'need'} acceleration**, **{S['targets_off_track']} are off track**, "
    f"**{S['targets_not_measurable']} cannot be measured** (only a proxy, or too little history) and "
    f"**{S['targets_without_data']} have no data at all**. Observations up to {P['as_of_year']} are used"
    + (
        f"; {S['targets_in_reference_list'] - S['targets_total']} targets of the Resolution's list were left out by the "
        "`targets` parameter."
        if S["targets_total"] < S["targets_in_reference_list"]
        else "."
    )
)
md("**How the status is assigned.** " + tg.status_rule_text(P["on_track_ratio"], P["acceleration_ratio"]))


def latest_text(r):
    if r["latest_value"] is None or pd.isna(r["latest_value"]):
        return "no data"
    est = " (preliminary estimate)" if r.get("latest_is_estimate") is True else ""
    proxy = "proxy: " if r.get("is_proxy") is True else ""
    return f"{proxy}{tg.fmt(r['latest_value'])} {r['unit']} ({int(r['latest_year'])}){est}"


def pace_text(v, start=None):
    if v is None or pd.isna(v):
        return ""
    return f"{v:+.3g}" + (f" (from {int(start)})" if start is not None and not pd.isna(start) else "")


def projection_text(r):
    if r["projected"] is None or pd.isna(r["projected"]):
        return ""
    band = ""
    if r["projected_lo"] is not None and not pd.isna(r["projected_lo"]):
        band = f" ({P['interval_pct']:g}% interval {tg.fmt(r['projected_lo'])}-{tg.fmt(r['projected_hi'])})"
    cov = r.get("backtest_coverage_pct")
    held = (
        f"; in the backtest the interval held the outcome {cov:.0f}% of the time"
        if cov is not None and not pd.isna(cov)
        else ""
    )
    return f"{tg.fmt(r['projected'])}{band}, estimate by {display_name(r['projection_method'])}{held}"


table = pd.DataFrame(
    {
        "target": T["target_id"] + ": " + T["target"].map(house_spelling),
        "as written (Vietnamese)": T["text_vi"],
        "target value": T["target_as_written"],
        "latest value (year)": [latest_text(r) for _, r in T.iterrows()],
        "source": T["source"].where(T["source"].astype(bool), "none: " + T["reason"].astype(str)),
        "pace needed a year": [
            (pace_text(r["pace_needed"]) + f" {r['pace_unit']}") if pace_text(r["pace_needed"]) else ""
            for _, r in T.iterrows()
        ],
        "pace seen, last 5 years": [pace_text(r["pace_5y"], r["pace_5y_from"]) for _, r in T.iterrows()],
        "pace seen, last 10 years": [pace_text(r["pace_10y"], r["pace_10y_from"]) for _, r in T.iterrows()],
        "projected at the target year": [projection_text(r) for _, r in T.iterrows()],
        "status": T["status"],
        "why": [
            ("; ".join(x for x in (r["reason"], r.get("model_note")) if isinstance(x, str) and x))
            for _, r in T.iterrows()
        ],
    }
)
report.table(
    table,
    table_id="tracker",
    index=False,
    title=f"Resolution 57 targets: latest value, pace needed and seen, projection and status (data to {P['as_of_year']})",
    note="Paces are changes a year in the target's unit (growth targets: compound % a year; ranks: places a year, "
    "negative = climbing). Projections are estimates with their method; rank projections come from the "
    "ecosystem_rankings model, the R&D notes from the rd_paths model.",
    source="Resolution 57-NQ/TW as read in MOST Decision 149/QD-BKHCN, seed 001 and the press (r57_targets.csv); "
    "values: World Bank WDI (UIS, WIPO, NSF, UN Comtrade), GSO/NSO, MOST, MIC, IP Viet Nam, UN DESA, WIPO GII, "
    "Oxford Insights, THE; see the source column",
)

# %% [markdown]
# ### Where each target's wording was read
#
# No full official text of the Resolution was read: each target's wording comes from the sources below.
# Three need checking against the official text: T12 (read only in the science ministry's plan), T16
# (read only in English) and T17 (read only in a Chinese-language summary; low confidence).

# %%
wording = pd.DataFrame(
    {
        "target": [t.target_id for t in R.targets],
        "as written (Vietnamese)": [t.text_vi for t in R.targets],
        "English gloss": [house_spelling(t.text_en) for t in R.targets],
        "where the wording was read": [t.text_provenance for t in R.targets],
        "sources": [t.source_url for t in R.targets],
    }
)
report.table(
    wording,
    table_id="wording",
    index=False,
    title="The targets as written and where the wording was read",
    source="shared/reference/targets/targets.csv (compiled from MOST Decision 149/QD-BKHCN, seed 001, VNA, "
    "Bao Nghe An, vjst.vn, SGGP, vietnam.vn)",
)

# %% [markdown]
# ## Definitions that differ between agencies
#
# The same target can be measured in more than one way. Each definition gets its own row, pace and
# projection; the tracker's status uses the first one listed (the internationally comparable series, or
# the official statistics office's).

# %%
D = R.definitions
if len(D):
    side = pd.DataFrame(
        {
            "target": D["target_id"],
            "definition": D["definition"],
            "latest value (year)": [latest_text(r) for _, r in D.iterrows()],
            "pace seen, last 5 years": [pace_text(r["pace_5y"], r["pace_5y_from"]) for _, r in D.iterrows()],
            "projected at the target year": [projection_text(r) for _, r in D.iterrows()],
            "status on this definition": D["status"],
            "source": D["source"],
            "note": D["reason"],
        }
    )
    report.table(
        side,
        table_id="definitions",
        index=False,
        title="The same targets under different agencies' definitions",
        note="Shown side by side, never averaged or spliced into one series.",
        source="World Bank WDI; GSO/NSO; MIC; MOST; Ministry of Finance; IP Viet Nam; AFA Capital (see the source column)",
    )
else:
    md("None of the selected targets has more than one definition in the data.")

# %% [markdown]
# ## How the projections were chosen
#
# A trend is used only where it beats the naive forecasts on the indicator's own history. For every
# series, each method forecasts from every past origin that has enough observations, and every later
# observation up to the backtest horizon is scored: the mean absolute error (in the indicator's unit) and
# the share of actual values that fell inside the interval.

# %%
B = R.backtests
if len(B):
    bt = B[B["pairs"] > 0]
    bt = bt.assign(
        used=bt["used"].map({True: "used", False: ""}),
        status_definition=bt["status_definition"].map({True: "yes", False: "no (side by side only)"}),
    )
    bt = bt.rename(
        columns={
            "target_id": "target",
            "pairs": "scored forecasts",
            "mae": "mean absolute error",
            "coverage_pct": f"inside the {P['interval_pct']:g}% interval, %",
            "status_definition": "definition used for the status",
        }
    )
    report.table(
        bt,
        table_id="backtests",
        index=False,
        title=f"Backtest of the projection methods (forecasts up to {P['backtest_horizon_years']} years ahead)",
        note=f"With projection_method='auto' the lowest error wins when at least {P['min_backtest_pairs']} "
        "forecasts can be scored (a tie goes to the naive method); otherwise the latest pace is assumed "
        "to continue, labelled as such. Series with nothing to score are left out. Projections are "
        "kept within what the unit allows (no negative values; shares at most 100%).",
        source="the tracker's series (see the main table)",
        formats={
            "method": display_name,
            "mean absolute error": "{:,.2f}",
            f"inside the {P['interval_pct']:g}% interval, %": "{:.0f}",
        },
    )
    used = B[B["used"] & B["status_definition"] & B["pairs"].ge(P["min_backtest_pairs"])]
    trend_wins = used[used["method"] == "linear_trend"]["target_id"].unique().tolist()
    under = used[used["coverage_pct"].notna() & (used["coverage_pct"] < P["interval_pct"] - 15)]
    md(
        (
            f"The trend earned its place for {', '.join(trend_wins)}; "
            if trend_wins
            else "The trend beat the naive forecasts nowhere; "
        )
        + "elsewhere a naive forecast did as well or better. "
        + (
            f"Intervals were too narrow in the backtest for {', '.join(sorted(set(under['target_id'])))} (coverage "
            f"below {P['interval_pct'] - 15:g}% for a {P['interval_pct']:g}% interval): read those bands as too confident."
            if len(under)
            else "Interval coverage in the backtest is close to the nominal level where it can be measured."
        )
    )
else:
    md("No selected target has a series long enough to backtest.")

# %% [markdown]
# ## One chart per measurable target
#
# Each chart shows the history (every definition in the data; the first is the one the status uses),
# the straight path from the latest value to the target, and the projection with its interval.

# %%
COLORS = ["#1f3b73", "#8c8c8c", "#b07aa1"]
charted = T[T["status"].isin(["on track", "needs acceleration", "off track"])]
for _, r in charted.iterrows():
    tid, t = r["target_id"], by_id[r["target_id"]]
    fig, ax = plt.subplots(figsize=(8, 4.2))
    rank_target = tid in ts.RANK_TARGETS
    if rank_target:
        h = R.rank_histories[tid]
        ax.plot(h.index, h.values, marker="o", color=COLORS[0], label=r["definition"])
        unit = r["unit"]
    else:
        for i, m in enumerate(R.measures[tid]):
            s = m.series[m.series.index <= P["as_of_year"]].dropna()
            if len(s):
                ax.plot(
                    s.index,
                    s.values,
                    marker="o",
                    ls="-" if i == 0 else "--",
                    color=COLORS[i % 3],
                    label=m.definition if len(m.definition) < 70 else m.definition[:67] + "...",
                )
        unit = r["unit"]
    latest, ly = float(r["latest_value"]), int(r["latest_year"])
    level = float(r["target_level"])
    if ly < t.year:
        req = tg.required_path(ly, latest, t, level)
        ax.plot(req.index, req.values, color="firebrick", ls=":", label="path needed to reach the target")
    if tid == "T04" and R.rd:
        rp = R.rd["path"]
        ax.plot(rp.index, rp.values, color="firebrick", ls="-.", lw=1, label="rd_paths model path (geometric)")
    if not rank_target and r["projection_method"]:
        m0 = R.measures[tid][0]
        f = tg.projection_path(t, m0, P, r["projection_method"])
        if f is not None:
            ax.plot(
                f.years, f.center, color="darkorange", ls="--", label=f"projection (estimate): {r['projection_method']}"
            )
            if np.isfinite(f.lo).all():
                ax.fill_between(
                    f.years, f.lo, f.hi, color="darkorange", alpha=0.18, label=f"{P['interval_pct']:g}% interval"
                )
    elif rank_target and r["projected"] is not None and not pd.isna(r["projected"]):
        lo, hi = r["projected_lo"], r["projected_hi"]
        if lo is not None and not pd.isna(lo):
            ax.errorbar(
                [t.year],
                [r["projected"]],
                yerr=[[r["projected"] - lo], [hi - r["projected"]]],
                fmt="o",
                color="darkorange",
                capsize=4,
                label=f"projection (estimate) with {P['interval_pct']:g}% interval",
            )
        else:
            ax.plot([t.year], [r["projected"]], "o", color="darkorange", label="projection (estimate)")
    ax.scatter([t.year], [level], marker="*", s=160, color="firebrick", zorder=5, label=f"target: {t.as_written()}")
    if t.lower_is_better:
        ax.invert_yaxis()
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set(
        xlabel="Year", ylabel=unit, title=f"{tid}: {textwrap.shorten(house_spelling(t.text_en), 60, placeholder='...')}"
    )
    ax.legend(fontsize=7, loc="best")
    report.figure(
        fig,
        chart_id=f"target_{tid}",
        title=f"{tid}: {house_spelling(t.text_en)} ({unit}); status: {r['status']}",
        alt=(
            f"Line chart of {r['definition']} up to {ly} (latest {tg.fmt(latest)} {unit}), the straight path to the "
            f"target {tg.fmt(level)} in {t.year}"
            + (
                f", and a projection reaching about {tg.fmt(r['projected'])} ({r['status']})."
                if r["projected"] is not None and not pd.isna(r["projected"])
                else f" ({r['status']})."
            )
        ),
        source=r["source"] + "; targets: Resolution 57-NQ/TW",
    )

# %% [markdown]
# ## Checking the source texts' claims
#
# The source texts cite figures that can be checked against the data: what the data say, in which
# edition, on which definition, and why a figure may differ.

# %%
report.table(
    R.claims,
    table_id="claims",
    index=False,
    title="What the data say about three claims in the source texts",
    source="World Bank WDI (TX.VAL.TECH.CD, TX.VAL.MRCH.CD.WT, TX.VAL.TECH.MF.ZS); Ministry of Finance; Brand Finance "
    "(via press); project seed documents 000 and 004",
)


# %%
def records(df):
    return df.replace({np.nan: None}).to_dict(orient="records") if len(df) else []


results = {
    "report": "resolution_targets",
    "parameters": R.params,
    **S,
    "status_rule": tg.status_rule_text(P["on_track_ratio"], P["acceleration_ratio"]),
    "tracker": records(T),
    "definitions": records(R.definitions),
    "backtests": records(R.backtests),
    "rd_paths_model": (
        {
            "base_year": R.rd["base_year"],
            **{
                k: R.rd["summary"][k]
                for k in (
                    "share_cagr_pct",
                    "gerd_nominal_cagr_pct",
                    "gerd_target_usd_bn",
                    "state_gerd_pct_envelope_target",
                )
            },
        }
        if R.rd
        else None
    ),
    "claims": records(R.claims),
    "provenance": provenance.provenance_record(ts.DATA_FILES),
}
results["provenance"]["data_versions"] = dict(sorted(results["provenance"]["data_versions"].items()))
results = report.finish(results, R.params)
