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
from analysis.i18n import _, fmt
from analysis.models import rankings as rk
from analysis.reports import ecosystem_rankings as rs
from analysis.reports import params, provenance
from analysis.reports.render import Report, md, plain_log_ticks, setup_plotting
from analysis.reports.words import house_spelling

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
    "startupblink_country": _(
        "StartupBlink Global Startup Ecosystem Index, editions 2019-2025 (via press and report pages)"
    ),
    "startupblink_city": _(
        "StartupBlink Global Startup Ecosystem Index, editions 2019-2025 (via press and report pages)"
    ),
    "gii": _("WIPO Global Innovation Index 2011-2025 (via press)"),
    "egdi": _("UN E-Government Survey 2010-2024 (UN DESA data; 2020-2024 via press)"),
    "imd_wdcr": _("IMD World Digital Competitiveness Ranking 2017-2025 (via press)"),
    "startup_genome": _("Startup Genome GSER 2020-2025 (via press)"),
}[R.info.code]
name_en = house_spelling(R.entity_name)  # publishers write 'Vietnam'; the reports 'Viet Nam' (CSV column names)
name = rs.entity_label(R.entity, R.entity_name, str(R.long["entity_type"].iloc[0]))  # in the report's language
INDEX = rs.index_label(R.info.code)
LABEL = rs.entity_labels(R.long)  # English name -> shown name, for tables whose CSV keeps the English names
LEVEL = rs.percent(P["interval_pct"])
TITLE = _("{name} in the {index}: towards the top {rank} by {year}").format(
    name=name, index=INDEX, rank=P["target_rank"], year=P["target_year"]
)
md("# " + TITLE)  # each rank page headed by its own index and target, as its page title


def n0(v):
    return fmt.num(v, 0)


def n1(v):
    return fmt.num(v, 1)


def edition_axis(ax):
    """Edition years as whole numbers on the x axis."""
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))


# %% [markdown]
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

# %% [markdown]
# ## Where it stands and what can be projected

# %%
if S["latest_rank"] is None:
    md(
        _("**{name} has no reported or derived rank in the {index}.**").format(name=name, index=INDEX)
        + (" " + S["trajectory_refused"] if S["trajectory_refused"] else "")
    )
else:
    words = {"edition": S["latest_edition"], "name": name, "index": INDEX, "rank": n0(S["latest_rank"])}
    if S["n_ranked_latest"] and S.get("latest_percentile"):
        headline = _(
            "In the latest edition ({edition}), **{name} ranks {rank_of}** in the {index}, the top {percentile}."
        ).format(
            **words,
            rank_of=rs.rank_of(S["latest_rank"], S["n_ranked_latest"]),
            percentile=fmt.pct(S["latest_percentile"], 0),
        )
    elif S["n_ranked_latest"]:
        headline = _("In the latest edition ({edition}), **{name} ranks {rank_of}** in the {index}.").format(
            **words, rank_of=rs.rank_of(S["latest_rank"], S["n_ranked_latest"])
        )
    else:
        headline = _(
            "In the latest edition ({edition}), **{name} ranks {rank} (field size not found)** in the {index}."
        ).format(**words)
    text = [headline]
    if S["derived_editions"]:
        derived = (
            _("Ranks for {years} are worked back from a reported change (included in the projection).")
            if P["include_derived"]
            else _("Ranks for {years} are worked back from a reported change (left out of the projection).")
        )
        text.append(derived.format(years=", ".join(map(str, S["derived_editions"]))))
    if S["projected_rank"] is not None:
        pwords = {
            "edition": S["projected_from_edition"],
            "method": rs.method_words(S["projection_method"]),
            "rank": n0(S["projected_rank"]),
            "year": P["target_year"],
            "level": LEVEL,
            "target": P["target_rank"],
            "reason": S["projection_method_reason"],
            "source": S["spread_source"],
        }
        if S.get("projected_rank_lo") is not None:
            text.append(
                _(
                    "Projected from its {edition} rank with the method *{method}*, it would rank about **{rank} in "
                    "{year}** ({level} interval {lo}-{hi}; at this horizon the backtest's intervals held "
                    "{coverage_here} of the outcomes). Why this method: {reason}. The spread comes from {source} in "
                    "this index."
                ).format(
                    **pwords,
                    lo=n0(S["projected_rank_lo"]),
                    hi=n0(S["projected_rank_hi"]),
                    coverage_here=fmt.pct(S["interval_coverage_at_horizon_pct"], 0),
                )
            )
        else:
            text.append(
                _(
                    "Projected from its {edition} rank with the method *{method}*, it would rank about **{rank} in "
                    "{year}**; no interval is given: {why}. Why this method: {reason}."
                ).format(**pwords, why=rs.interval_note_words(S.get("interval_note"), LEVEL))
            )
        text.append(
            _("The chance of reaching rank {target} by then is about **{prob}**.").format(
                target=P["target_rank"], prob=fmt.pct(S["prob_reach_target_pct"], 0)
            )
            if S.get("prob_reach_target_pct") is not None
            else _(
                "The chance of reaching rank {target} by then is **not estimable**: fewer than {n} past changes at "
                "this horizon, or a spread the backtest does not support."
            ).format(target=P["target_rank"], n=30)
        )
        if R.info.code == "startupblink_city":
            text.append(
                _(
                    "The past changes come from the cities in the data, whose ranks were collected because they made "
                    "the news (mostly climbs): a sample that leans toward improvement."
                )
            )
    else:
        text.append(_("**No projection is made:** {reason}").format(reason=S["trajectory_refused"]))
    md(" ".join(text))
hist = R.series.reset_index()
fig, axes = plt.subplots(1, 2, figsize=(11, 4.3))
ax = axes[0]
if len(hist):
    pub = hist[hist["value_type"] == "reported"]
    ax.plot(hist["year"], hist["rank"], color="#1f3b73", lw=1)
    ax.scatter(pub["year"], pub["rank"], color="#1f3b73", zorder=5, label=_("published rank"))
    derived = hist[hist["value_type"] == "derived_from_change"]
    if len(derived):
        ax.scatter(
            derived["year"],
            derived["rank"],
            facecolor="white",
            edgecolor="#1f3b73",
            zorder=5,
            s=50,
            label=_("worked back from a reported change"),
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
        label=_("projection ({method})").format(method=rs.method_label(S["projection_method"])),
    )
    if S.get("projected_rank_lo") is not None:  # a withheld interval is not drawn either
        ax.fill_between(
            band["year"],
            band["projected_rank_lo"],
            band["projected_rank_hi"],
            color="darkorange",
            alpha=0.15,
            label=_("{level} interval").format(level=LEVEL),
        )
ax.axhline(
    P["target_rank"], color="firebrick", lw=1, ls=":", label=_("target rank {rank}").format(rank=P["target_rank"])
)
ax.invert_yaxis()
edition_axis(ax)
ax.set(xlabel=_("Edition"), ylabel=_("Rank (1 = best), as published"), title=_("{name}: rank").format(name=name))
ax.legend(fontsize=8)
ax = axes[1]
pc = hist.dropna(subset=["percentile"]) if len(hist) else hist
if len(pc):
    ax.plot(pc["year"], pc["percentile"], marker="o", color="#55A868")
    for _row, r in pc.iterrows():
        ax.annotate(
            _("of {n}").format(n=n0(r["n_ranked"])),
            (r["year"], r["percentile"]),
            fontsize=7,
            xytext=(0, 5),
            textcoords="offset points",
            ha="center",
        )
ax.invert_yaxis()
edition_axis(ax)
ax.set(
    xlabel=_("Edition"),
    ylabel=_("Rank as % of entities ranked (lower is better)"),
    title=_("Relative position (published editions)"),
)
if not len(hist):
    alt = _("No usable ranks for {name}.").format(name=name)
elif S["projected_rank"] is not None:
    alt = _(
        "Chart of {name}'s rank from {first} to {last}, latest {rank}; the projection from the latest edition "
        "reaches about {projected} by {year}, drawn in rank units on the latest field so that changes in field size "
        "make no jumps."
    ).format(
        name=name,
        first=int(hist["year"].min()),
        last=int(hist["year"].max()),
        rank=n0(S["latest_rank"]),
        projected=n0(S["projected_rank"]),
        year=P["target_year"],
    )
else:
    alt = _("Chart of {name}'s rank from {first} to {last}, latest {rank}; no projection is drawn.").format(
        name=name, first=int(hist["year"].min()), last=int(hist["year"].max()), rank=n0(S["latest_rank"])
    )
report.figure(
    fig,
    chart_id="rank_trend",
    title=_("{name} in the {index}: rank by edition and projection to {year}").format(
        name=name, index=INDEX, year=P["target_year"]
    ),
    alt=alt,
    source=(
        _("{source}; projection: {method} (an estimate, not data)").format(
            source=SRC, method=rs.method_words(S["projection_method"])
        )
        if S["projected_rank"] is not None
        else SRC
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
    _("**Method used for the {index}: {method}** ({words}). {reason}.").format(
        index=INDEX,
        method=rs.method_label(S["projection_method"]),
        words=rs.method_words(S["projection_method"]),
        reason=S["projection_method_reason"],
    )
)
table = R.backtest_table
report.table(
    table,
    table_id="backtest",
    index=False,
    title=_(
        "Backtest of every index: mean absolute rank error and interval coverage, each method beside the naive forecast"
    ),
    note=_(
        "horizon = editions ahead ('all' pools them); cases are those every method could forecast; coverage is the "
        "share of published ranks inside the method's interval (nominal level in the next column). 'chosen' marks "
        "the method each index's projections use."
    ),
    source=_("r57 backtest on the ranking snapshots in data/raw ({source} and the other indices' sources)").format(
        source=SRC
    ),
    formats={
        "horizon": lambda h: _("all") if h == "all" else str(h),
        "cases": n0,
        "entities": n0,
        "mae_places": n1,
        "coverage_pct": n0,
        "nominal_pct": n0,
        "naive_mae_places": n1,
        "naive_coverage_pct": n0,
        "index": rs.index_label,  # shown in words; the CSV keeps the codes
        "method": rs.method_label,
        "chosen": lambda v: _("yes") if v else "",
    },
    labels={
        "index": _("index"),
        "horizon": _("horizon"),
        "method": _("method"),
        "cases": _("cases"),
        "entities": _("entities"),
        "mae_places": _("mean absolute error, places"),
        "coverage_pct": _("coverage, %"),
        "nominal_pct": _("nominal level, %"),
        "naive_mae_places": _("naive: mean absolute error, places"),
        "naive_coverage_pct": _("naive: coverage, %"),
        "chosen": _("chosen"),
        "why": _("why"),
    },
)
if len(bts):
    allh = bts[bts["horizon"] != "all"]
    fig, ax = plt.subplots(figsize=(8, 3.8))
    for m, g in allh.groupby("method", sort=False):
        ax.plot(g["horizon"].astype(int), g["mae_places"], marker="o", label=rs.method_label(m))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set(
        xlabel=_("Editions ahead"),
        ylabel=_("Mean absolute error (places)"),
        title=_("Backtest error, {index}").format(index=INDEX),
    )
    ax.legend(fontsize=8)
    report.figure(
        fig,
        chart_id="backtest",
        title=_("How far off each method was, by editions ahead: {index}").format(index=INDEX),
        alt=_("Lines of mean absolute rank error by horizon for each method; the method used is {method}.").format(
            method=rs.method_label(S["projection_method"])
        ),
        source=_("r57 backtest; {source}").format(source=SRC),
    )
else:
    md(
        _(
            "No entity in the {index} data has four or more published editions, so nothing could be backtested; "
            "projections (if any) use the naive forecast."
        ).format(index=INDEX)
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
            _(
                "The number of entities ranked is **not found** for {editions}: the percentile and anything divided "
                "by the field size are not computed for those editions (no value is carried over from another edition)."
            ).format(editions=", ".join(map(str, nf)))
        )
    moved = ft.dropna(subset=["entrants"])
    moved = moved[moved["entrants"] != 0]
    if len(moved):
        r0 = moved.iloc[-1]
        md(
            _(
                "Between the {first} and {last} editions the field grew by {entrants}. {name}'s published rank "
                "changed by {change} places. If the newcomers all joined below, that is also its change among the "
                "entities ranked in both editions; if they spread evenly, about {ahead} joined ahead of it and its "
                "change among the common entities was {common} (negative is better)."
            ).format(
                first=int(r0["from_year"]),
                last=int(r0["year"]),
                entrants=n0(r0["entrants"]),
                name=name,
                change=fmt.signed(r0["published_change"], 0),
                ahead=n0(r0["newcomers_ahead_if_even"]),
                common=fmt.signed(r0["common_change_if_even"], 0),
            )
        )
    show = ft[
        ["year", "field_size", "published_change", "entrants", "newcomers_ahead_if_even", "common_change_if_even"]
    ].copy()
    change_col = f"{name_en}: change in published rank"  # CSV column names stay English
    show.columns = [
        "edition",
        "entities ranked",
        change_col,
        "change in field size",
        "newcomers ahead if spread evenly",
        "change among common entities if spread evenly",
    ]
    report.table(
        show,
        table_id="field_sizes",
        index=False,
        title=_("Field size by edition and what newcomers can do to {name}'s rank").format(name=name),
        source=SRC,
        formats={
            "edition": str,
            # '1,400+' (a lower bound) or 'not found' in the data; shown in the report's number format
            "entities ranked": lambda v: (
                _("not found")
                if v == "not found"
                else fmt.num(float(v.rstrip("+").replace(",", ""))) + v[-1:].strip("0123456789")
            ),
            change_col: lambda v: fmt.signed(v, 0),
            "change in field size": lambda v: fmt.signed(v, 0),
            "newcomers ahead if spread evenly": n0,
            "change among common entities if spread evenly": lambda v: fmt.signed(v, 0),
        },
        labels={
            "edition": _("edition"),
            "entities ranked": _("entities ranked"),
            change_col: _("{name}: change in published rank").format(name=name),
            "change in field size": _("change in field size"),
            "newcomers ahead if spread evenly": _("newcomers ahead if spread evenly"),
            "change among common entities if spread evenly": _("change among common entities if spread evenly"),
        },
    )


# %% [markdown]
# ## How fast would it have to climb?

# %%
if S["required_places_per_year"] is not None:
    pace = (
        _(
            "From {rank} in {edition} to {target} in {year} takes **{places} places a year** ({points} percentile "
            "points a year)."
        )
        if S["required_percentile_points_per_year"] is not None
        else _(
            "From {rank} in {edition} to {target} in {year} takes **{places} places a year** (percentile points not "
            "computed: the latest field size is not found)."
        )
    )
    md(
        pace.format(
            rank=n0(S["latest_rank"]),
            edition=S["latest_edition"],
            target=P["target_rank"],
            year=P["target_year"],
            places=n1(S["required_places_per_year"]),
            points=n1(S["required_percentile_points_per_year"])
            if S["required_percentile_points_per_year"] is not None
            else "",
        )
        + " "
        + _(
            "The fastest move in this index's data is {places} places a year, by {who} in {period}. Places are "
            "cheaper further down the table: a city at 766th moves 130 places more easily than one at 110th moves 10, "
            "so the percentile column is the fairer comparison."
        ).format(
            places=n0(S["best_observed_places_per_year"]),
            who=LABEL.get(house_spelling(S["best_observed_entity"]), S["best_observed_entity"]),
            period=S["best_observed_period"],
        )
    )
moves = R.best_moves.head(10).copy()
if len(moves):
    moves["entity_name"] = moves["entity_name"].map(house_spelling)
    moves["move"] = [
        f"{LABEL.get(n, n)} {a}-{b}"
        for n, a, b in zip(moves["entity_name"], moves["from_year"], moves["year"], strict=True)
    ]
    fig, ax = plt.subplots(figsize=(8, 4.5))
    ax.barh(moves["move"][::-1], moves["places_per_year"][::-1], color="#8172B3", label=_("observed"))
    if S["required_places_per_year"] is not None:
        ax.axvline(S["required_places_per_year"], color="firebrick", ls="--", label=_("{name} needs").format(name=name))
    ax.set(
        xlabel=_("Places gained per year"),
        ylabel="",
        title=_("Fastest climbs in the data and the pace needed"),
    )
    ax.legend(fontsize=8)
    report.figure(
        fig,
        chart_id="pace",
        title=_("Places gained per year: the ten fastest moves in the {index} data").format(index=INDEX),
        alt=(
            _(
                "Horizontal bars of the ten fastest climbs, led by {move} at {places} places a year; the dashed line "
                "marks the {needed} places a year {name} needs."
            )
            if S["required_places_per_year"] is not None
            else _("Horizontal bars of the ten fastest climbs, led by {move} at {places} places a year.")
        ).format(
            move=moves["move"].iloc[0],
            places=n0(moves["places_per_year"].iloc[0]),
            needed=n1(S["required_places_per_year"]) if S["required_places_per_year"] is not None else "",
            name=name,
        ),
        source=SRC,
    )
    excluded = R.excluded_moves
    if len(excluded):
        md(
            _(
                "Left out of the fastest moves because a component of the index is missing that edition (published "
                "score 0, all tied at the bottom): {moves}."
            ).format(
                moves=", ".join(
                    f"{LABEL.get(house_spelling(r.entity_name), r.entity_name)} ({r.year})"
                    for r in excluded.itertuples()
                )
            )
        )
    if moves["derived"].any():
        md(
            _(
                "Moves marked 'yes' in the last column start or end at a rank worked back from a reported change, not "
                "a published rank."
            )
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
        title=_("The fastest moves in the data"),
        source=SRC,
        formats={
            "entity": lambda n: LABEL.get(n, n),  # the CSV keeps the English names
            "from": str,
            "to": str,
            "rank before": n0,
            "rank after": n0,
            "places a year": n1,
            "percentile points a year": n1,
            "uses a derived rank": lambda v: _("yes") if v == "yes" else "",
        },
        labels={
            "entity": _("entity"),
            "from": _("from"),
            "to": _("to"),
            "rank before": _("rank before"),
            "rank after": _("rank after"),
            "places a year": _("places a year"),
            "percentile points a year": _("percentile points a year"),
            "uses a derived rank": _("uses a derived rank"),
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
    text = [
        _(
            "The {edition} edition's scores follow {form} closely (R-squared {r2} over ranks {lo}-{hi}). Rank "
            "{target} needs {ratio} times the score of rank {rank} in that edition."
        ).format(
            edition=c.edition,
            form=_("a power law in rank (log score linear in log rank)")
            if c.form == "log_log"
            else _("a log-linear curve in rank"),
            r2=fmt.num(c.r2, 2),
            lo=n0(c.rank_range[0]),
            hi=n0(c.rank_range[1]),
            target=P["target_rank"],
            ratio=fmt.num(S["score_ratio_target_to_latest"], 2),
            rank=n0(S["latest_rank"]),
        )
    ]
    if S.get("required_score_growth_pct_per_year") is not None:
        text.append(
            _(
                "With the field's scores rising {drift} a year ({how}), {name}'s own score would have to grow "
                "**{growth} a year** to {year}."
            ).format(
                drift=fmt.pct(S["field_drift_pct"], 1),
                how=S["field_drift_method"],
                name=name,
                growth=fmt.pct(S["required_score_growth_pct_per_year"], 1),
                year=P["target_year"],
            )
        )
    else:
        text.append(
            _("**No score needed by {year} is computed:** {reason}.").format(
                year=P["target_year"], reason=S["score_needed_unavailable"]
            )
        )
    if not (
        c.rank_range[0] <= min(P["target_rank"], S["latest_rank"])
        and max(P["target_rank"], S["latest_rank"]) <= c.rank_range[1]
    ):
        text.append(
            _(
                "The target or the current rank lies outside the ranks the curve was fitted on, so this is an "
                "extrapolation."
            )
        )
    md(" ".join(text))
    pts_long = (
        R.long
        if R.info.score_dataset in R.info.datasets
        else pd.concat([R.long, rk.datasets.load(R.info.score_dataset)])
    )
    pts = rk.score_points(pts_long)
    pts = pts[pts["year"] == c.edition]
    grid = np.geomspace(max(1, min(pts["rank"].min(), P["target_rank"])), max(pts["rank"].max(), S["latest_rank"]), 100)
    fig, ax = plt.subplots()
    ax.scatter(pts["rank"], pts["score"], color="#4C72B0", label=_("published, {edition}").format(edition=c.edition))
    ax.plot(grid, c.score(grid), color="black", label=_("fitted curve"))
    for rr, lab, col in (
        (S["latest_rank"], _("{name} now").format(name=name), "#1f3b73"),
        (P["target_rank"], _("target"), "firebrick"),
    ):
        ax.axvline(rr, color=col, ls=":", lw=1)
        ax.annotate(lab, (rr, c.score(rr)), xytext=(4, 4), textcoords="offset points", color=col)
    ax.set(
        xscale="log",
        yscale="log",
        xlabel=_("Rank (log scale)"),
        ylabel=_("Score, {edition} scale (log scale)").format(edition=c.edition),
        title=_("How steeply scores fall down the table"),
    )
    plain_log_ticks(ax)  # 60, 100, not 6x10^1 (Report.figure puts tick numbers in the report's language)
    ax.legend(fontsize=8)
    report.figure(
        fig,
        chart_id="score_curve",
        title=_("Published scores against rank, {index}, {edition} edition, with the fitted curve").format(
            index=INDEX, edition=c.edition
        ),
        alt=_(
            "Log-log scatter of {n} published scores falling with rank, closely following a straight fitted line; "
            "markers show {name}'s current rank and the target rank."
        ).format(n=n0(c.n_points), name=name),
        source=SRC,
    )
else:
    text = [
        _("**The score view is not measurable here:** {reason}.").format(
            reason=S["score_view_unavailable"] or _("no scores")
        )
    ]
    if S["score_needed_unavailable"]:
        text.append(
            _("Nor would a score needed by {year} be: {reason}.").format(
                year=P["target_year"], reason=S["score_needed_unavailable"]
            )
        )
    md(" ".join(text))


# %% [markdown]
# ## Standing in Southeast Asia

# %%
reg = R.regional.get("table")
if reg is not None and len(reg):
    cities = R.long["entity_type"].iloc[0] != "country"
    words = {"edition": S["latest_edition"], "name": name, "position": S["regional_rank"]}
    text = (
        _("Among the Southeast Asian cities with a {edition} rank in the data, {name} is **{position}**.")
        if cities
        else _("Among the Southeast Asian economies with a {edition} rank in the data, {name} is **{position}**.")
    ).format(**words)
    if S.get("regional_unknown"):
        text += " " + _("{unknown} have no {edition} rank in the data; no rank is carried forward.").format(
            unknown=S["regional_unknown"], edition=S["latest_edition"]
        )
        if S.get("regional_unknown_ahead"):
            where = rs.unranked_ahead_text(S)  # "position 5; 6 if Brunei, unranked in the data since 2020, is ahead"
            text += " " + where[:1].upper() + where[1:] + "."
    if S.get("next_ahead"):
        ahead_words = {
            "who": LABEL.get(house_spelling(S["next_ahead"]), S["next_ahead"]),
            "rank": n0(S["next_ahead_rank"]),
            "places": n0(S["places_to_overtake"]),
            "gap": fmt.num(S["score_gap"], 3) if S.get("score_gap") else "",
        }
        text += " " + (
            _("To overtake {who} (rank {rank}) it must gain {places} places, a score gain of {gap}.")
            if S.get("score_gap")
            else _("To overtake {who} (rank {rank}) it must gain {places} places.")
        ).format(**ahead_words)
    md(text)
    shown = (
        reg[reg["rank"].notna()].sort_values("rank").assign(entity_name=lambda d: d["entity_name"].map(house_spelling))
    )
    fig, ax = plt.subplots(figsize=(8, max(2.5, 0.45 * len(shown) + 1)))
    colors = ["firebrick" if e == R.entity else "#4C72B0" for e in shown["entity"]]
    bar_names = [LABEL.get(n, n) for n in shown["entity_name"]]
    ax.barh(bar_names[::-1], shown["rank"][::-1], color=colors[::-1])
    for y, rr in enumerate(shown["rank"][::-1]):
        ax.annotate(n0(rr), (rr, y), xytext=(3, -3), textcoords="offset points", fontsize=8)
    ax.set(
        xlabel=_("Global rank, {edition} edition (shorter is better)").format(edition=S["latest_edition"]),
        ylabel="",
        title=_("Southeast Asia in the latest edition"),
    )
    report.figure(
        fig,
        chart_id="regional",
        title=_("Global ranks in Southeast Asia, {index}, {edition}").format(index=INDEX, edition=S["latest_edition"]),
        alt=_("Horizontal bars of {n} Southeast Asian ranks; {name} is highlighted at {rank}.").format(
            n=len(shown), name=name, rank=n0(S["latest_rank"])
        ),
        source=SRC,
    )
    rt = reg[["entity_name", "rank", "value_type", "score", "regional_rank", "last_known"]].copy()
    rt["entity_name"] = rt["entity_name"].map(house_spelling)
    rt.columns = ["entity", "global rank", "value type", "score", "regional rank", "last known rank (edition)"]

    def last_known(v):
        """'44 in 2020' in the data -> the same in the report's language."""
        if not v:
            return ""
        rank_then, year_then = v.split(" in ")
        return _("{rank} in {year}").format(rank=n0(float(rank_then)), year=year_then)

    report.table(
        rt,
        table_id="regional_table",
        index=False,
        title=_("Southeast Asia, {edition} edition").format(edition=S["latest_edition"]),
        source=SRC,
        formats={
            "entity": lambda n: LABEL.get(n, n),  # the CSV keeps the English names and codes
            "global rank": n0,
            "regional rank": n0,
            "score": lambda v: fmt.num(v, 2),
            "value type": rs.value_type_words,
            "last known rank (edition)": last_known,
        },
        labels={
            "entity": _("entity"),
            "global rank": _("global rank"),
            "value type": _("value type"),
            "score": _("score"),
            "regional rank": _("regional rank"),
            "last known rank (edition)": _("last known rank (edition)"),
        },
    )


# %% [markdown]
# ## What moves the rank

# %%
if R.info.code == "egdi" and len(R.components):
    comp = R.components.copy()
    comp_col = {c: f"{c} ({w})" for c, w in rk.EGDI_COMPONENTS.items()}  # CSV column names stay English
    comp_shown = {c: f"{c} ({_(w)})" for c, w in rk.EGDI_COMPONENTS.items()}
    comp["component"] = comp["component"].map(comp_col)
    comp["entity_name"] = comp["entity_name"].map(house_spelling)
    wide = comp.pivot_table(index=["entity_name", "year"], columns="component", values="value").reset_index()
    eds = sorted(comp["year"].unique())
    missing_eds = [y for y in sorted(R.long["year"].dropna().astype(int).unique()) if y not in eds]
    text = [
        _(
            "The E-Government Development Index is the average of three components: online services (OSI), human "
            "capital (HCI) and telecommunication infrastructure (TII), each from 0 to 1. A component's change moves "
            "the index by a third of it."
        )
    ]
    if missing_eds:
        text.append(
            _("Components are in the data for {editions}; for {missing} they are **not found**.").format(
                editions=", ".join(map(str, eds)), missing=", ".join(map(str, missing_eds))
            )
        )
    if S.get("egdi_driver_latest"):
        text.append(
            _(
                "Between {period}, the component that moved {name} most relative to its Southeast Asian peers was "
                "**{component}**."
            ).format(period=S["egdi_driver_period"], name=name, component=rs.component_label(S["egdi_driver_latest"]))
        )
    md(" ".join(text))
    report.table(
        wide,
        table_id="egdi_components",
        index=False,
        title=_("EGDI components of Southeast Asian economies by edition"),
        source=SRC,
        formats={"entity_name": lambda n: LABEL.get(n, n), "year": str}
        | {col: (lambda v: fmt.num(v, 3)) for col in comp_col.values()},
        labels={"entity_name": _("economy"), "year": _("edition")} | {comp_col[c]: comp_shown[c] for c in comp_col},
    )
    if len(R.drivers):
        d = R.drivers.copy()
        d["component"] = d["component"].map(rk.EGDI_COMPONENTS)
        d["drives"] = d["drives"].map({True: "yes", False: ""})
        own_col = f"{name_en}: change"  # CSV column names stay English
        d.columns = [
            "from",
            "to",
            "component",
            own_col,
            "peers' median change",
            "peers",
            "effect on EGDI relative to peers",
            "moved the rank most",
        ]
        report.table(
            d,
            table_id="egdi_drivers",
            index=False,
            title=_("Which EGDI component moved {name}'s standing").format(name=name),
            note=_(
                "effect on EGDI relative to peers = (own change - peers' median change) / 3; peers are the Southeast "
                "Asian economies with components in both editions."
            ),
            source=SRC,
            formats={
                "from": str,
                "to": str,
                "component": _,
                own_col: lambda v: fmt.signed(v, 3),
                "peers' median change": lambda v: fmt.signed(v, 3),
                "peers": n0,
                "effect on EGDI relative to peers": lambda v: fmt.signed(v, 3),
                "moved the rank most": lambda v: _("yes") if v == "yes" else "",
            },
            labels={
                "from": _("from"),
                "to": _("to"),
                "component": _("component"),
                own_col: _("{name}: change").format(name=name),
                "peers' median change": _("peers' median change"),
                "peers": _("peers"),
                "effect on EGDI relative to peers": _("effect on EGDI relative to peers"),
                "moved the rank most": _("moved the rank most"),
            },
        )
        mine = comp[comp["entity"] == R.entity]
        fig, ax = plt.subplots(figsize=(8, 3.8))
        for c, g in mine.groupby("component"):
            code = c.split(" ")[0]
            ax.plot(g["year"], g["value"], marker="o", label=comp_shown.get(code, c))
        edition_axis(ax)
        ax.set(
            xlabel=_("Edition"),
            ylabel=_("Component value (0-1)"),
            title=_("{name}: EGDI components").format(name=name),
        )
        ax.legend(fontsize=8)
        report.figure(
            fig,
            chart_id="egdi_components",
            title=_("{name}'s EGDI components by edition").format(name=name),
            alt=_("Lines of {name}'s three EGDI components over the editions with data ({editions}).").format(
                name=name, editions=", ".join(map(str, eds))
            ),
            source=SRC,
        )
elif R.info.code == "gii":
    md(
        _(
            "WIPO's pillar scores are **not found** in the data or the research pack. What is there: the input and "
            "output sub-index ranks below."
        )
        if len(R.drivers)
        else _(
            "WIPO's pillar scores are **not found** in the data or the research pack. What is there: nothing below "
            "the overall rank for this economy."
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
            title=_("{name}: GII input and output sub-index ranks").format(name=name),
            source=SRC,
            formats={"edition": str, "input sub-index rank": n0, "output sub-index rank": n0},
            labels={
                "edition": _("edition"),
                "input sub-index rank": _("input sub-index rank"),
                "output sub-index rank": _("output sub-index rank"),
            },
        )
else:
    md(
        _("The data hold no components of the {index}, so what moves the rank is **not found** here.").format(
            index=INDEX
        )
    )


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
        "pace_needed",
        "pace_short",
        "pace_long",
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
    "places a year needed",
    "places a year seen, last 5 years",
    "places a year seen, long window",
    "status",
    "reason",
]
report.table(
    shown,
    table_id="targets",
    index=False,
    title=_("Resolution 57 ranking targets: latest, projected and status"),
    note=_(
        "The status compares the places a year seen (last 5 years; long window: the least-squares slope over up to 15 "
        "years) with the places a year needed, as in the Resolution targets tracker (one computation). Projections "
        "start from each index's latest edition with the method its backtest supports; an interval or P(reach) is "
        "given only where the backtest at the target's horizon supports it. Regional positions count the economies "
        "ranked in each edition; none is carried forward."
    ),
    source=_(
        "UN E-Government Survey; IMD World Digital Competitiveness Ranking; WIPO Global Innovation Index (via press "
        "and UN data)"
    ),
    formats={
        "target": _,  # the CSV keeps the English labels and status codes
        "latest edition": fmt.year,
        "latest": n0,
        "projected": n0,
        "interval low": n0,
        "interval high": n0,
        "P(reach), %": n0,
        "method": rs.method_label,
        "interval coverage in backtest, %": n0,
        "places a year needed": lambda v: fmt.num(v, 2),
        "places a year seen, last 5 years": lambda v: fmt.num(v, 2),
        "places a year seen, long window": lambda v: fmt.num(v, 2),
        "status": _,
    },
    labels={
        "target": _("target"),
        "latest edition": _("latest edition"),
        "latest": _("latest"),
        "projected": _("projected"),
        "interval low": _("interval low"),
        "interval high": _("interval high"),
        "P(reach), %": _("P(reach), %"),
        "method": _("method"),
        "interval coverage in backtest, %": _("interval coverage in backtest, %"),
        "places a year needed": _("places a year needed"),
        "places a year seen, last 5 years": _("places a year seen, last 5 years"),
        "places a year seen, long window": _("places a year seen, long window"),
        "status": _("status"),
        "reason": _("reason"),
    },
)
n_off = int((tt["status"] == "off track").sum())
n_nm = int((tt["status"] == "not measurable").sum())
md(
    _(
        "**{off} of {total} targets are off track and {nm} cannot be measured.** Viet Nam is not covered by the IMD "
        "digital competitiveness ranking in any edition (2017-2025), so the two digital-competitiveness targets "
        "cannot be tracked on that index unless Viet Nam joins it. The backtest reaches three editions ahead; no "
        "interval or probability is given for a longer projection (the GII target is for 2045: not estimable)."
    ).format(off=n_off, total=len(tt), nm=n_nm)
)


# %% [markdown]
# ## Checking public claims

# %%
report.table(
    R.claims,
    table_id="claims",
    index=False,
    title=_("What the data support for three public claims"),
    source=_("StartupBlink GSEI 2019-2025; Startup Genome GSER 2021-2023 (via press and report pages)"),
    labels={
        "claim": _("claim"),
        "what the data show": _("what the data show"),
        "verdict": _("verdict"),
        "source": _("source"),
    },
)


# %%
results = {
    "report": "ecosystem_rankings",
    "title": TITLE,  # worded from the parameters, in the report's language (the page title)
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
    "provenance": provenance.provenance_record("ecosystem_rankings"),
}
results = report.finish(results, R.params)
