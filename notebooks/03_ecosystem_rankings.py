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
# # Startup-ecosystem and innovation rankings
#
# Resolution 57-NQ/TW sets ranking targets: **top 3 in Southeast Asia and top 50 in the world** for
# e-government and for digital competitiveness by 2030, and **top 30 in the world for innovation** by
# 2045. Public statements also cite startup-ecosystem ranks. This report shows where Viet Nam and its
# cities stand, what can honestly be said about where they will be, how fast they would have to climb,
# and what the data do and do not support.
#
# Projections start from the latest published rank. A trend is used only where a backtest (forecasting
# past editions from the editions before them) shows it beats the simple forecast "the latest rank
# holds"; the report quotes that backtest's error and interval coverage next to every probability.
# Only published ranks are fitted: ranks worked back from a reported change ("rose 130 places to
# 766th") are shown, marked, but left out of fits unless `include_derived` is set; bands, "not ranked",
# "not covered" and "not found" are shown but never fitted, and a field size that is not found stays
# missing.

# %% tags=["parameters"]
# Parameters (papermill). `r57 params ecosystem_rankings` lists indices, entities, units and allowed values.
index_name: str = "startupblink_country"  # which ranking to model
entity: str = "VNM"  # economy (ISO3 or name) or city (slug or name) in that index
target_rank: int = 50  # rank to reach (1 is best)
target_year: int = 2030  # edition year by which to reach it
interval_pct: float = 80.0  # width of the prediction interval, %
field_drift_pct: "Optional[float]" = None  # yearly rise of the field's scores, %; only where scores are comparable
projection_method: str = "auto"  # auto (what the backtest supports), naive, drift_rank or drift_percentile
include_derived: bool = False  # also fit ranks worked back from a reported change
fit_last_editions: int = 8  # fit a trend on at most this many latest editions
min_points: int = 4  # fewest editions needed to fit a trend
lang: str = "en"  # language of the report: en (English) or vi (Vietnamese)
results_path: str = ""  # set by the runner: where results.json goes (empty: do not write)

# %%
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.ticker import MaxNLocator

from analysis import i18n
from analysis.models import rankings as rk
from analysis.reports import ecosystem_rankings as rs
from analysis.reports import params, provenance
from analysis.reports.render import Report, md, plain_log_ticks, setup_plotting
from analysis.reports.words import display_name, house_spelling

P = params.validate(
    "ecosystem_rankings",
    {name: value for name, value in globals().items() if name in params.notebook_spec("ecosystem_rankings").names()},
)
i18n.use(P["lang"])  # every text and number below in the report's language
R = rs.run(P)
S = R.summary
report = Report(results_path)
setup_plotting()
SRC = {
    "startupblink_country": "StartupBlink Global Startup Ecosystem Index, editions 2019-2025 (via press and report pages)",
    "startupblink_city": "StartupBlink Global Startup Ecosystem Index, editions 2019-2025 (via press and report pages)",
    "gii": "WIPO Global Innovation Index 2011-2025 (via press)",
    "egdi": "UN E-Government Survey 2010-2024 (UN DESA data; 2020-2024 via press)",
    "imd_wdcr": "IMD World Digital Competitiveness Ranking 2017-2025 (via press)",
    "startup_genome": "Startup Genome GSER 2020-2025 (via press)",
}[R.info.code]
name = house_spelling(R.entity_name)  # publishers write 'Vietnam'; the reports 'Viet Nam'


def edition_axis(ax):
    """Edition years as whole numbers on the x axis."""
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))


def cov_text(cov, cases):
    return (
        f"its {P['interval_pct']:g}% intervals covered {cov:.0f}% of {cases} backtest outcomes"
        if cov is not None
        else "not backtested: too few editions"
    )


# %% [markdown]
# ## Where it stands and what can be projected

# %%
derived_note = (
    f" Ranks for {', '.join(map(str, S['derived_editions']))} are worked back from a reported change "
    f"({'included in' if P['include_derived'] else 'left out of'} the projection)."
    if S["derived_editions"]
    else ""
)
if S["latest_rank"] is None:
    md(f"**{name} has no reported or derived rank in the {R.info.title}.** {S['trajectory_refused'] or ''}")
else:
    field_words = f"of {S['n_ranked_latest']:,.0f}" if S["n_ranked_latest"] else "(field size not found)"
    md(
        f"In the latest edition ({S['latest_edition']}), **{name} ranks {S['latest_rank']:.0f} {field_words}** "
        f"in the {R.info.title}"
        + (f", the top {S['latest_percentile']:.0f}%." if S.get("latest_percentile") else ".")
        + derived_note
        + (
            f" Projected from its {S['projected_from_edition']} rank with the method *{S['projection_method_words']}*, it would rank about "
            f"**{S['projected_rank']:.0f} in {P['target_year']}** ({P['interval_pct']:g}% interval "
            f"{S['projected_rank_lo']:.0f}-{S['projected_rank_hi']:.0f}). The chance of reaching rank {P['target_rank']} by then is "
            f"about **{S['prob_reach_target_pct']:.0f}%** ({cov_text(S['backtest_coverage_pct'], S['backtest_cases'])}). "
            f"Why this method: {S['projection_method_reason']}. The spread comes from {S['spread_source']} in this index."
            + (
                f" The backtest reaches 3 editions ahead; this projection is {S['horizon_editions']} editions ahead, so its "
                "interval stretches the spread of past changes as a random walk would, an assumption the backtest does not test."
                if S["horizon_editions"] > 3
                else ""
            )
            if S["projected_rank"] is not None
            else f" **No projection is made:** {S['trajectory_refused']}"
        )
    )
hist = R.series.reset_index()
fig, axes = plt.subplots(1, 2, figsize=(11, 4.3))
ax = axes[0]
if len(hist):
    pub = hist[hist["value_type"] == "reported"]
    ax.plot(hist["year"], hist["rank"], color="#1f3b73", lw=1)
    ax.scatter(pub["year"], pub["rank"], color="#1f3b73", zorder=5, label="published rank")
    derived = hist[hist["value_type"] == "derived_from_change"]
    if len(derived):
        ax.scatter(
            derived["year"],
            derived["rank"],
            facecolor="white",
            edgecolor="#1f3b73",
            zorder=5,
            s=50,
            label="worked back from a reported change",
        )
if len(R.fan):
    f0 = pd.DataFrame(
        [
            {
                "year": S["projected_from_edition"],
                "projected_rank": S["latest_rank"],
                "projected_rank_lo": S["latest_rank"],
                "projected_rank_hi": S["latest_rank"],
            }
        ]
    )
    band = pd.concat(
        [f0, R.fan[["year", "projected_rank", "projected_rank_lo", "projected_rank_hi"]]], ignore_index=True
    )
    ax.plot(
        band["year"],
        band["projected_rank"],
        color="darkorange",
        ls="--",
        label=f"projection ({display_name(S['projection_method'])})",
    )
    ax.fill_between(
        band["year"],
        band["projected_rank_lo"],
        band["projected_rank_hi"],
        color="darkorange",
        alpha=0.15,
        label=f"{P['interval_pct']:g}% interval",
    )
ax.axhline(P["target_rank"], color="firebrick", lw=1, ls=":", label=f"target rank {P['target_rank']}")
ax.invert_yaxis()
edition_axis(ax)
ax.set(xlabel="Edition", ylabel="Rank (1 = best), as published", title=f"{name}: rank")
ax.legend(fontsize=8)
ax = axes[1]
pc = hist.dropna(subset=["percentile"]) if len(hist) else hist
if len(pc):
    ax.plot(pc["year"], pc["percentile"], marker="o", color="#55A868")
    for _, r in pc.iterrows():
        ax.annotate(
            f"of {r['n_ranked']:,.0f}",
            (r["year"], r["percentile"]),
            fontsize=7,
            xytext=(0, 5),
            textcoords="offset points",
            ha="center",
        )
ax.invert_yaxis()
edition_axis(ax)
ax.set(
    xlabel="Edition",
    ylabel="Rank as % of entities ranked (lower is better)",
    title="Relative position (published editions)",
)
report.figure(
    fig,
    chart_id="rank_trend",
    title=f"{name} in the {R.info.title}: rank by edition and projection to {P['target_year']}",
    alt=(
        f"Chart of {name}'s rank from {int(hist['year'].min())} to {int(hist['year'].max())}, latest {S['latest_rank']:.0f}; "
        + (
            f"the projection from the latest edition reaches about {S['projected_rank']:.0f} by {P['target_year']}, drawn in rank "
            "units on the latest field so that changes in field size make no jumps."
            if S["projected_rank"] is not None
            else "no projection is drawn."
        )
    )
    if len(hist)
    else f"No usable ranks for {name}.",
    source=SRC
    + (
        f"; projection: {S['projection_method_words']} (an estimate, not data)"
        if S["projected_rank"] is not None
        else ""
    ),
)

# %% [markdown]
# ## Does a trend beat "the latest rank holds"?
#
# Each method forecasts every past edition of every entity with at least four published editions from
# the editions published one, two or three editions earlier, and is scored on the rank actually
# published: the mean absolute error in places and the share of outcomes its 80% interval covered.
# The naive forecast keeps the latest rank; its interval is the spread of past changes in the index.
# "drift" methods move the latest rank by the entity's own recent trend; "ols_percentile" is the
# unanchored trend line this report used before, shown for comparison only.

# %%
bts = R.backtest.summary
md(
    f"**Method used for the {R.info.title}: {display_name(S['projection_method'])}** ({S['projection_method_words']}). {S['projection_method_reason']}."
)
table = R.backtest_table
report.table(
    table,
    table_id="backtest",
    index=False,
    title="Backtest of every index: mean absolute rank error and interval coverage, each method beside the naive forecast",
    note="horizon = editions ahead ('all' pools them); cases are those every method could forecast; coverage is the share "
    "of published ranks inside the method's interval (nominal level in the next column). 'chosen' marks the method "
    "each index's projections use.",
    source="r57 backtest on the ranking snapshots in data/raw (" + SRC + " and the other indices' sources)",
    formats={
        "mae_places": "{:.1f}",
        "coverage_pct": "{:.0f}",
        "nominal_pct": "{:.0f}",
        "naive_mae_places": "{:.1f}",
        "naive_coverage_pct": "{:.0f}",
        "index": display_name,  # shown in words; the CSV keeps the codes
        "method": display_name,
    },
    labels={
        "mae_places": "mean absolute error, places",
        "coverage_pct": "coverage, %",
        "nominal_pct": "nominal level, %",
        "naive_mae_places": "naive: mean absolute error, places",
        "naive_coverage_pct": "naive: coverage, %",
    },
)
if len(bts):
    allh = bts[bts["horizon"] != "all"]
    fig, ax = plt.subplots(figsize=(8, 3.8))
    for m, g in allh.groupby("method", sort=False):
        ax.plot(g["horizon"].astype(int), g["mae_places"], marker="o", label=display_name(m))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set(xlabel="Editions ahead", ylabel="Mean absolute error (places)", title=f"Backtest error, {R.info.title}")
    ax.legend(fontsize=8)
    report.figure(
        fig,
        chart_id="backtest",
        title=f"How far off each method was, by editions ahead: {R.info.title}",
        alt=f"Lines of mean absolute rank error by horizon for each method; the method used is {display_name(S['projection_method'])}.",
        source="r57 backtest; " + SRC,
    )
else:
    md(
        f"No entity in the {R.info.title} data has four or more published editions, so nothing could be backtested; "
        "projections (if any) use the naive forecast."
    )

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
ft = R.field.copy()
if len(ft):
    nf = S["field_sizes_not_found"]
    if nf:
        md(
            f"The number of entities ranked is **not found** for {', '.join(map(str, nf))}: the percentile and anything "
            "divided by the field size are not computed for those editions (no value is carried over from another edition)."
        )
    moved = ft.dropna(subset=["entrants"])
    moved = moved[moved["entrants"] != 0]
    if len(moved):
        r0 = moved.iloc[-1]
        md(
            f"Between the {int(r0['from_year'])} and {int(r0['year'])} editions the field grew by {r0['entrants']:,.0f}. "
            f"{name}'s published rank changed by {r0['published_change']:+.0f} places. If the newcomers all joined below, that is "
            f"also its change among the entities ranked in both editions; if they spread evenly, about {r0['newcomers_ahead_if_even']:.0f} "
            f"joined ahead of it and its change among the common entities was {r0['common_change_if_even']:+.0f} (negative is better)."
        )
    show = ft[
        ["year", "field_size", "published_change", "entrants", "newcomers_ahead_if_even", "common_change_if_even"]
    ].copy()
    show.columns = [
        "edition",
        "entities ranked",
        f"{name}: change in published rank",
        "change in field size",
        "newcomers ahead if spread evenly",
        "change among common entities if spread evenly",
    ]
    report.table(
        show,
        table_id="field_sizes",
        index=False,
        title=f"Field size by edition and what newcomers can do to {name}'s rank",
        source=SRC,
        formats={
            f"{name}: change in published rank": "{:+.0f}",
            "change in field size": "{:+,.0f}",
            "newcomers ahead if spread evenly": "{:.0f}",
            "change among common entities if spread evenly": "{:+.0f}",
        },
    )

# %% [markdown]
# ## How fast would it have to climb?

# %%
if S["required_places_per_year"] is not None:
    md(
        f"From {S['latest_rank']:.0f} in {S['latest_edition']} to {P['target_rank']} in {P['target_year']} takes "
        f"**{S['required_places_per_year']:.1f} places a year**"
        + (
            f" ({S['required_percentile_points_per_year']:.1f} percentile points a year). "
            if S["required_percentile_points_per_year"] is not None
            else " (percentile points not computed: the latest field size is not found). "
        )
        + f"The fastest move in this index's data is {S['best_observed_places_per_year']:.0f} places a year, by "
        f"{house_spelling(S['best_observed_entity'])} in {S['best_observed_period']}. Places are cheaper further down the table: a city at 766th "
        "moves 130 places more easily than one at 110th moves 10, so the percentile column is the fairer comparison."
    )
moves = R.best_moves.head(10).copy()
if len(moves):
    moves["entity_name"] = moves["entity_name"].map(house_spelling)
    moves["move"] = moves["entity_name"] + " " + moves["from_year"].astype(str) + "-" + moves["year"].astype(str)
    fig, ax = plt.subplots(figsize=(8, 4.5))
    ax.barh(moves["move"][::-1], moves["places_per_year"][::-1], color="#8172B3", label="observed")
    if S["required_places_per_year"] is not None:
        ax.axvline(S["required_places_per_year"], color="firebrick", ls="--", label=f"{name} needs")
    ax.set(xlabel="Places gained per year", ylabel="", title="Fastest climbs in the data and the pace needed")
    ax.legend(fontsize=8)
    report.figure(
        fig,
        chart_id="pace",
        title=f"Places gained per year: the ten fastest moves in the {R.info.title} data",
        alt=f"Horizontal bars of the ten fastest climbs, led by {moves['move'].iloc[0]} at {moves['places_per_year'].iloc[0]:.0f} "
        f"places a year"
        + (
            f"; the dashed line marks the {S['required_places_per_year']:.1f} places a year {name} needs."
            if S["required_places_per_year"] is not None
            else "."
        ),
        source=SRC,
    )
    if S["fastest_moves_excluded"]:
        md(
            "Left out of the fastest moves because a component of the index is missing that edition (published score 0, "
            "all tied at the bottom): " + ", ".join(S["fastest_moves_excluded"]) + "."
        )
    if moves["derived"].any():
        md(
            "Moves marked 'yes' in the last column start or end at a rank worked back from a reported change, not a published rank."
        )
    tbl = moves[
        [
            "entity_name",
            "from_year",
            "year",
            "from_rank",
            "rank",
            "places_per_year",
            "percentile_points_per_year",
            "derived",
        ]
    ].assign(derived=moves["derived"].map({True: "yes", False: ""}))
    tbl.columns = [
        "entity",
        "from",
        "to",
        "rank before",
        "rank after",
        "places a year",
        "percentile points a year",
        "uses a derived rank",
    ]
    report.table(
        tbl,
        table_id="fastest_moves",
        index=False,
        title="The fastest moves in the data",
        source=SRC,
        formats={
            "rank before": "{:.0f}",
            "rank after": "{:.0f}",
            "places a year": "{:.1f}",
            "percentile points a year": "{:.1f}",
        },
    )

# %% [markdown]
# ## What score would it take?
#
# Ranks are set by scores, and scores fall steeply down the table. Within one edition, the published
# (rank, score) pairs show how much more score a better rank takes. Turning that into a score an entity
# must reach by a later year needs scores that mean the same thing from one edition to the next, so it
# is computed only where the publisher says they do.

# %%
if R.curve is not None and "score_ratio_target_to_latest" in S:
    c = R.curve
    md(
        f"The {c.edition} edition's scores follow a {'power law in rank (log score linear in log rank)' if c.form == 'log_log' else 'log-linear curve in rank'} "
        f"closely (R-squared {c.r2:.2f} over ranks {c.rank_range[0]}-{c.rank_range[1]}). Rank {P['target_rank']} needs "
        f"{S['score_ratio_target_to_latest']:.2f} times the score of rank {S['latest_rank']:.0f} in that edition."
        + (
            f" With the field's scores rising {S['field_drift_pct']:.1f}% a year ({S['field_drift_method']}), {name}'s own score "
            f"would have to grow **{S['required_score_growth_pct_per_year']:.1f}% a year** to {P['target_year']}."
            if S.get("required_score_growth_pct_per_year") is not None
            else f" **No score needed by {P['target_year']} is computed:** {S['score_needed_unavailable']}."
        )
        + (
            " The target or the current rank lies outside the ranks the curve was fitted on, so this is an extrapolation."
            if not (
                c.rank_range[0] <= min(P["target_rank"], S["latest_rank"])
                and max(P["target_rank"], S["latest_rank"]) <= c.rank_range[1]
            )
            else ""
        )
    )
    pts_long = (
        R.long
        if R.info.score_dataset in R.info.datasets
        else pd.concat([R.long, rk.datasets.load(R.info.score_dataset)])
    )
    pts = rk.score_points(pts_long)
    pts = pts[pts["year"] == c.edition]
    grid = np.geomspace(max(1, min(pts["rank"].min(), P["target_rank"])), max(pts["rank"].max(), S["latest_rank"]), 100)
    fig, ax = plt.subplots()
    ax.scatter(pts["rank"], pts["score"], color="#4C72B0", label=f"published, {c.edition}")
    ax.plot(grid, c.score(grid), color="black", label="fitted curve")
    for rr, lab, col in ((S["latest_rank"], f"{name} now", "#1f3b73"), (P["target_rank"], "target", "firebrick")):
        ax.axvline(rr, color=col, ls=":", lw=1)
        ax.annotate(lab, (rr, c.score(rr)), xytext=(4, 4), textcoords="offset points", color=col)
    ax.set(
        xscale="log",
        yscale="log",
        xlabel="Rank (log scale)",
        ylabel=f"Score, {c.edition} scale (log scale)",
        title="How steeply scores fall down the table",
    )
    plain_log_ticks(ax)  # 60, 100, not 6x10^1
    ax.legend(fontsize=8)
    report.figure(
        fig,
        chart_id="score_curve",
        title=f"Published scores against rank, {R.info.title}, {c.edition} edition, with the fitted curve",
        alt=f"Log-log scatter of {c.n_points} published scores falling with rank, closely following a straight fitted line; "
        f"markers show {name}'s current rank and the target rank.",
        source=SRC,
    )
else:
    md(
        f"**The score view is not measurable here:** {S['score_view_unavailable'] or 'no scores'}."
        + (
            f" Nor would a score needed by {P['target_year']} be: {S['score_needed_unavailable']}."
            if S["score_needed_unavailable"]
            else ""
        )
    )

# %% [markdown]
# ## Standing in Southeast Asia

# %%
reg = R.regional.get("table")
if reg is not None and len(reg):
    md(
        f"Among the Southeast Asian {'economies' if R.long['entity_type'].iloc[0] == 'country' else 'cities'} with a "
        f"{S['latest_edition']} rank in the data, {name} is **{S['regional_rank']}**"
        + (
            f"; {S['regional_unknown']} have no {S['latest_edition']} rank in the data, {S['regional_unknown_ahead_last_time']} of them "
            f"ahead when last ranked, so its likely position is **{S['regional_rank_likely']}**"
            if S.get("regional_unknown")
            else ""
        )
        + (
            f". To overtake {house_spelling(S['next_ahead'])} (rank {S['next_ahead_rank']:.0f}) it must gain {S['places_to_overtake']:.0f} places"
            + (f", a score gain of {S['score_gap']:.3f}" if S.get("score_gap") else "")
            + "."
            if S.get("next_ahead")
            else "."
        )
    )
    shown = (
        reg[reg["rank"].notna()].sort_values("rank").assign(entity_name=lambda d: d["entity_name"].map(house_spelling))
    )
    fig, ax = plt.subplots(figsize=(8, max(2.5, 0.45 * len(shown) + 1)))
    colors = ["firebrick" if e == R.entity else "#4C72B0" for e in shown["entity"]]
    ax.barh(shown["entity_name"][::-1], shown["rank"][::-1], color=colors[::-1])
    for y, (_nm, rr) in enumerate(zip(shown["entity_name"][::-1], shown["rank"][::-1], strict=True)):
        ax.annotate(f"{rr:.0f}", (rr, y), xytext=(3, -3), textcoords="offset points", fontsize=8)
    ax.set(
        xlabel=f"Global rank, {S['latest_edition']} edition (shorter is better)",
        ylabel="",
        title="Southeast Asia in the latest edition",
    )
    report.figure(
        fig,
        chart_id="regional",
        title=f"Global ranks in Southeast Asia, {R.info.title}, {S['latest_edition']}",
        alt=f"Horizontal bars of {len(shown)} Southeast Asian ranks; {name} is highlighted at {S['latest_rank']:.0f}.",
        source=SRC,
    )
    rt = reg[["entity_name", "rank", "value_type", "score", "regional_rank", "last_known"]].copy()
    rt["entity_name"] = rt["entity_name"].map(house_spelling)
    rt.columns = ["entity", "global rank", "value type", "score", "regional rank", "last known rank (edition)"]
    report.table(
        rt,
        table_id="regional_table",
        index=False,
        title=f"Southeast Asia, {S['latest_edition']} edition",
        source=SRC,
        formats={"global rank": "{:.0f}", "regional rank": "{:.0f}", "score": "{:,.2f}"},
    )

# %% [markdown]
# ## What moves the rank

# %%
if R.info.code == "egdi" and len(R.components):
    comp = R.components.copy()
    comp["component"] = comp["component"].map(lambda c: f"{c} ({rk.EGDI_COMPONENTS[c]})")
    comp["entity_name"] = comp["entity_name"].map(house_spelling)
    wide = comp.pivot_table(index=["entity_name", "year"], columns="component", values="value").reset_index()
    eds = sorted(comp["year"].unique())
    missing_eds = [y for y in sorted(R.long["year"].dropna().astype(int).unique()) if y not in eds]
    md(
        "The E-Government Development Index is the average of three components: online services (OSI), human capital (HCI) "
        "and telecommunication infrastructure (TII), each from 0 to 1. A component's change moves the index by a third of it. "
        + (
            f"Components are in the data for {', '.join(map(str, eds))}; for {', '.join(map(str, missing_eds))} they are **not found**. "
            if missing_eds
            else ""
        )
        + (
            f"Between {S['egdi_driver_period']}, the component that moved {name} most relative to its Southeast Asian peers was "
            f"**{S['egdi_driver_latest']}**."
            if S.get("egdi_driver_latest")
            else ""
        )
    )
    report.table(
        wide,
        table_id="egdi_components",
        index=False,
        title="EGDI components of Southeast Asian economies by edition",
        source=SRC,
        formats={c: "{:.3f}" for c in wide.columns if "(" in c},
    )
    if len(R.drivers):
        d = R.drivers.copy()
        d["component"] = d["component"].map(rk.EGDI_COMPONENTS)
        d["drives"] = d["drives"].map({True: "yes", False: ""})
        d.columns = [
            "from",
            "to",
            "component",
            f"{name}: change",
            "peers' median change",
            "peers",
            "effect on EGDI relative to peers",
            "moved the rank most",
        ]
        report.table(
            d,
            table_id="egdi_drivers",
            index=False,
            title=f"Which EGDI component moved {name}'s standing",
            note="effect on EGDI relative to peers = (own change - peers' median change) / 3; peers are the Southeast Asian "
            "economies with components in both editions.",
            source=SRC,
            formats={
                f"{name}: change": "{:+.3f}",
                "peers' median change": "{:+.3f}",
                "effect on EGDI relative to peers": "{:+.3f}",
            },
        )
        mine = comp[comp["entity"] == R.entity]
        fig, ax = plt.subplots(figsize=(8, 3.8))
        for c, g in mine.groupby("component"):
            ax.plot(g["year"], g["value"], marker="o", label=c)
        edition_axis(ax)
        ax.set(xlabel="Edition", ylabel="Component value (0-1)", title=f"{name}: EGDI components")
        ax.legend(fontsize=8)
        report.figure(
            fig,
            chart_id="egdi_components",
            title=f"{name}'s EGDI components by edition",
            alt=f"Lines of {name}'s three EGDI components over the editions with data ({', '.join(map(str, eds))}).",
            source=SRC,
        )
elif R.info.code == "gii":
    md(
        "WIPO's pillar scores are **not found** in the data or the research pack. What is there: "
        + (
            "the input and output sub-index ranks below."
            if len(R.drivers)
            else "nothing below the overall rank for this economy."
        )
    )
    if len(R.drivers):
        report.table(
            R.drivers.rename(
                columns={
                    "year": "edition",
                    "input_rank": "input sub-index rank",
                    "output_rank": "output sub-index rank",
                }
            ),
            table_id="gii_subindices",
            index=False,
            title=f"{name}: GII input and output sub-index ranks",
            source=SRC,
            formats={"input sub-index rank": "{:.0f}", "output sub-index rank": "{:.0f}"},
        )
else:
    md(f"The data hold no components of the {R.info.title}, so what moves the rank is **not found** here.")

# %% [markdown]
# ## The Resolution's ranking targets

# %%
tt = R.targets.copy()
shown = tt[
    [
        "target",
        "latest_edition",
        "latest",
        "projected",
        "projected_lo",
        "projected_hi",
        "prob_reach_pct",
        "method",
        "backtest_coverage_pct",
        "status",
        "reason",
    ]
].copy()
shown.columns = [
    "target",
    "latest edition",
    "latest",
    "projected",
    "interval low",
    "interval high",
    "P(reach), %",
    "method",
    "interval coverage in backtest, %",
    "status",
    "reason",
]
report.table(
    shown,
    table_id="targets",
    index=False,
    title="Resolution 57 ranking targets: latest, projected and status",
    note="Projections start from each index's latest edition with the method its backtest supports; P(reach) stands "
    "beside the share of backtest outcomes that method's intervals covered. Regional positions project every "
    "Southeast Asian economy with a published rank by the same method.",
    source="UN E-Government Survey; IMD World Digital Competitiveness Ranking; WIPO Global Innovation Index (via press and UN data)",
    formats={
        "latest edition": "{:.0f}",
        "latest": "{:.0f}",
        "projected": "{:.0f}",
        "interval low": "{:.0f}",
        "interval high": "{:.0f}",
        "P(reach), %": "{:.0f}",
        "interval coverage in backtest, %": "{:.0f}",
    },
)
n_off = int((tt["status"] == "off track").sum())
n_nm = int((tt["status"] == "not measurable").sum())
md(
    f"**{n_off} of {len(tt)} targets are off track and {n_nm} cannot be measured.** Viet Nam is not covered by the IMD "
    "digital competitiveness ranking in any edition (2017-2025), so the two digital-competitiveness targets cannot be "
    "tracked on that index unless Viet Nam joins it. The backtest reaches three editions ahead; longer projections (the GII "
    "target is for 2045) stretch the spread of past changes as a random walk would, which is an assumption, not a tested result."
)

# %% [markdown]
# ## Checking public claims

# %%
report.table(
    R.claims,
    table_id="claims",
    index=False,
    title="What the data support for three public claims",
    source="StartupBlink GSEI 2019-2025; Startup Genome GSER 2021-2023 (via press and report pages)",
)

# %%
results = {
    "report": "ecosystem_rankings",
    "parameters": R.params,
    **S,
    "projection_is_estimate": True,
    "backtest": R.backtest_table.replace({np.nan: None}).to_dict(orient="records"),
    "projection_path": R.fan.replace({np.nan: None}).to_dict(orient="records") if len(R.fan) else [],
    "history": [
        {"year": int(y), **{k: (None if pd.isna(v) else v) for k, v in r.items()}} for y, r in R.series.iterrows()
    ],
    "targets": R.targets.replace({np.nan: None}).to_dict(orient="records"),
    "claims": R.claims.to_dict(orient="records"),
    "provenance": provenance.provenance_record(
        [f"{d}.csv" for d in R.info.datasets]
        + [
            "rank_gii.csv",
            "rank_un_egdi.csv",
            "rank_un_egdi_full.csv",
            "rank_imd_wdcr.csv",
            "rank_startupblink_cities.csv",
            "rank_startup_genome.csv",
        ]
    ),
}
results["provenance"]["data_versions"] = dict(sorted(results["provenance"]["data_versions"].items()))
results = report.finish(results, R.params)
