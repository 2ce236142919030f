"""Ranking paths: trends, required pace, the rank-score curve, regional standing, drivers, projections from the
latest edition (:mod:`analysis.models.backtest`) and the Resolution's ranking targets (statused by the tracker's
rule). Facts and codes only: the report words them (:mod:`analysis.reports.ecosystem_rankings`).

Models use only ``reported`` and ``derived_from_change`` ranks of the ranking long format; bands, 'not ranked',
'not covered' and 'not found' are shown but never fitted. The field grows between editions, so ``rank / n_ranked``
(the percentile) treats newcomers as spread evenly; projections therefore work in published rank units from the
latest edition and the newcomers' possible effect is shown apart.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from analysis.data import datasets, manifest
from analysis.data.labels import LABELS
from analysis.data.schema import valued
from analysis.errors import ParameterError
from analysis.models import backtest as bt
from analysis.models import targets as tg
from analysis.models.backtest import InsufficientDataError  # the one exception of too few data (its code)

# Southeast Asia, the Resolution's "Đông Nam Á": ASEAN's 10 and Timor-Leste, ASEAN's 11th member since 26 Oct 2025
SEA = {"BRN", "KHM", "IDN", "LAO", "MYS", "MMR", "PHL", "SGP", "THA", "TLS", "VNM"}
ASEAN_11_FROM = 2026  # the first editions after the accession; a position stated for an earlier one counts 10
# the units (the API's) of the columns and figures of this module (and the report's n_ranked_latest and
# latest_percentile, of the latest edition), by unit; its backtest's: backtest.SUMMARY_UNITS
COLUMNS_BY_UNIT = {
    "rank": "rank regional_rank regional_rank_latest regional_rank_if_unknown_ahead last_known_rank next_ahead_rank",
    "entities ranked": "n_ranked n_ranked_latest",
    "entities": "regional_unknown regional_unknown_ahead_last_time",
    "rank as % of those ranked": "percentile latest_percentile",
    "editions": "fit_points horizon_editions",
    "%": "prob_reach_pct",
    "places": "places_to_overtake",
    "years": "years_to_target",
}


@dataclass(frozen=True)
class IndexInfo:
    code: str
    datasets: tuple[str, ...]
    score_dataset: str | None
    # "score needed" across editions only where the publisher states that scores are comparable
    # across editions (data/external/rankings/REPORT.md); otherwise why not: LABELS["score_comparability"]
    score_comparable: bool = False

    @property
    def title(self) -> str:
        """The index's name (English; the label table's words, translated where shown)."""
        return LABELS["index"][self.code]

    @property
    def score_comparability(self) -> str:
        """Why scores cannot be compared across editions (English; translated where shown)."""
        return LABELS["score_comparability"][self.code]


INDICES: dict[str, IndexInfo] = {
    i.code: i
    for i in (
        IndexInfo("startupblink_country", ("rank_startupblink_countries",), "rank_startupblink_countries"),
        IndexInfo("startupblink_city", ("rank_startupblink_cities",), "rank_startupblink_score_points"),
        IndexInfo("gii", ("rank_gii",), "rank_gii"),
        IndexInfo("egdi", ("rank_un_egdi_full", "rank_un_egdi"), "rank_un_egdi_full"),
        IndexInfo("imd_wdcr", ("rank_imd_wdcr",), None),
        IndexInfo("startup_genome", ("rank_startup_genome",), None),
    )
}


def load_index(code: str) -> pd.DataFrame:
    """All rows of an index (EGDI: its two files, which share no edition)."""
    return pd.concat([datasets.load(name) for name in INDICES[code].datasets], ignore_index=True)


def _used_ranks(long: pd.DataFrame) -> pd.DataFrame:
    """The rank rows of ``long`` a model may use: reported or derived from a change (:func:`backtest.value_types`)."""
    rank = valued(long, "rank")
    return rank[rank["value_type"].isin(bt.value_types(include_derived=True))]


def entities(long: pd.DataFrame) -> pd.DataFrame:
    """entity, entity_name, entity_type, country, editions with a usable rank."""
    usable = _used_ranks(long)
    g = long.groupby("entity").agg(
        entity_name=("entity_name", "first"), entity_type=("entity_type", "first"), country=("country", "first")
    )
    g["usable_editions"] = usable.groupby("entity")["year"].nunique().reindex(g.index).fillna(0).astype(int)
    return g.reset_index().sort_values(["usable_editions", "entity"], ascending=[False, True])


def resolve_entity(long: pd.DataFrame, given: str) -> str:
    """Accept an entity code (VNM, da-nang) or a name (Viet Nam, Da Nang), case-insensitively."""
    e = entities(long)
    key = given.strip().lower()
    for col in ("entity", "entity_name"):
        hit = e[e[col].str.lower() == key]
        if len(hit):
            return str(hit["entity"].iloc[0])
    aliases = {"viet nam": "VNM", "vietnam": "VNM", "hcmc": "ho-chi-minh-city"}
    if key in aliases and aliases[key] in set(e["entity"]):
        return aliases[key]
    raise ParameterError("entity", f"{given!r} is not in this index", ", ".join(e["entity"].tolist()))


def rank_series(long: pd.DataFrame, entity: str) -> pd.DataFrame:
    """Usable ranks of ``entity`` by edition: rank, value_type, n_ranked, percentile (rank / n x 100; missing where
    the field size is not found). Derived ranks are included, marked by ``value_type``."""
    return all_rank_history(long[long["entity"] == entity]).set_index("year")[
        ["rank", "value_type", "n_ranked", "percentile"]
    ]


def all_rank_history(long: pd.DataFrame) -> pd.DataFrame:
    """Every entity's usable ranks stacked (:func:`rank_series` of each): year, rank, value_type, n_ranked,
    percentile, entity, entity_name."""
    rank = _used_ranks(long).drop_duplicates(["entity", "year"])
    rank = rank[["entity", "entity_name", "year", "value", "value_type"]]
    n = valued(long, "n_ranked").drop_duplicates(["entity", "year"])
    h = rank.merge(
        n[["entity", "year", "value"]].rename(columns={"value": "n_ranked"}), on=["entity", "year"], how="left"
    )
    h = h.rename(columns={"value": "rank"}).sort_values(["entity", "year"], kind="mergesort").reset_index(drop=True)
    h["percentile"] = h["rank"] / h["n_ranked"] * 100.0
    h["year"] = h["year"].astype(int)
    names = long.drop_duplicates("entity").set_index("entity")["entity_name"]
    h["entity_name"] = h["entity"].map(names)
    return h[["year", "rank", "value_type", "n_ranked", "percentile", "entity", "entity_name"]]


# ----------------------------------------------------------------------------- pace


def required_pace(
    latest_rank: float,
    latest_n: float,
    latest_year: int,
    target_rank: float,
    target_year: int,
    future_n: float | None = None,
) -> dict:
    """Places and percentile points per year needed from the latest edition to the target."""
    years = target_year - latest_year
    if years <= 0:
        raise ParameterError(
            "target_year",
            f"{target_year} is not after the latest edition ({latest_year})",
            f"a year after {latest_year}",
        )
    future_n = future_n or latest_n
    return {
        "required_places_per_year": (latest_rank - target_rank) / years,
        "required_percentile_points_per_year": (latest_rank / latest_n - target_rank / future_n) * 100.0 / years,
        "years_to_target": years,
    }


def missing_component(long: pd.DataFrame) -> pd.DataFrame:
    """(entity, entity_name, year) where the published score is 0: a component of the index is missing
    that edition (EGDI 2010 and 2012 list several economies at 0, all tied at the bottom)."""
    s = long[(long["indicator"] == "score") & (long["value"] == 0)]
    out = s[["entity", "entity_name", "year"]].drop_duplicates()
    out = out.assign(year=out["year"].astype(int))
    return out.sort_values(["year", "entity"]).reset_index(drop=True)


def best_observed_pace(history: pd.DataFrame, exclude: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every consecutive-edition move of every entity, best first: places and percentile points per year.
    Moves that start or end in an (entity, year) of ``exclude`` (e.g. :func:`missing_component`) are left out."""
    if history.empty:
        return history
    h = history.sort_values(["entity", "year"]).copy()
    prev = h.groupby("entity")[["year", "rank", "percentile", "value_type"]].shift(1)
    h["from_year"], h["from_rank"] = prev["year"], prev["rank"]
    # a move from or to a rank worked back from a reported change is marked
    h["derived"] = (h["value_type"] == "derived_from_change") | (prev["value_type"] == "derived_from_change")
    gap = h["year"] - prev["year"]
    h["places_per_year"] = (prev["rank"] - h["rank"]) / gap
    h["percentile_points_per_year"] = (prev["percentile"] - h["percentile"]) / gap
    h = h.dropna(subset=["places_per_year"]).astype({"from_year": int})
    if exclude is not None:
        bad = set(zip(exclude["entity"], exclude["year"].astype(int), strict=True))
        moves = zip(h["entity"], h["from_year"], h["year"], strict=True)
        h = h[[(e, y0) not in bad and (e, y1) not in bad for e, y0, y1 in moves]]
    cols = "entity entity_name from_year year from_rank rank places_per_year percentile_points_per_year derived".split()
    return h[cols].sort_values("places_per_year", ascending=False).reset_index(drop=True)


# ----------------------------------------------------------------------------- score view


@dataclass(frozen=True)
class ScoreCurve:
    edition: int
    form: str  # 'log_log': log score = a + b log rank; 'log_linear': log score = a + b rank
    a: float
    b: float
    r2: float
    n_points: int
    rank_range: tuple[int, int]

    def score(self, rank: np.ndarray | float) -> np.ndarray | float:
        x = np.log(rank) if self.form == "log_log" else np.asarray(rank, dtype=float)
        return np.exp(self.a + self.b * x)


def score_points(long: pd.DataFrame) -> pd.DataFrame:
    """(edition, entity, rank, score) pairs with both values reported."""
    r = long[(long["indicator"] == "rank") & (long["value_type"] == "reported")][["year", "entity", "value"]]
    s = long[(long["indicator"] == "score") & (long["value_type"] == "reported")][["year", "entity", "value"]]
    m = r.merge(s, on=["year", "entity"], suffixes=("_rank", "_score")).rename(
        columns={"value_rank": "rank", "value_score": "score"}
    )
    m = m[m["score"] > 0]
    m["year"] = m["year"].astype(int)
    return m.drop_duplicates(["year", "entity"]).sort_values(["year", "rank"]).reset_index(drop=True)


def fit_score_curve(
    points: pd.DataFrame, form: str | None = None, min_points: int = 5, cover_rank: float | None = None
) -> ScoreCurve:
    """Fit the rank-score curve of one edition: the latest with ``min_points`` pairs whose ranks reach
    ``cover_rank`` (so the curve is not extrapolated far down the table), else the one reaching lowest.
    With ``form`` None the better-fitting of log-log and log-linear is kept."""
    counts = points.groupby("year").agg(n=("rank", "size"), deepest=("rank", "max"))
    ok = counts[counts["n"] >= min_points]
    if ok.empty:
        raise InsufficientDataError("score_pairs_no_edition", n=min_points)
    covering = ok[ok["deepest"] >= (cover_rank or 0)]
    edition = int(covering.index.max()) if len(covering) else int(ok["deepest"].idxmax())
    p = points[points["year"] == edition]
    fits, y = {}, np.log(p["score"]).to_numpy()
    for f in [form] if form else ["log_log", "log_linear"]:
        x = np.log(p["rank"]) if f == "log_log" else p["rank"].astype(float)
        # least squares with a constant as statsmodels' OLS fits it (numpy's pseudo-inverse), without its 0.5 s import
        design = np.column_stack([np.ones(len(p)), x.to_numpy()])
        params = np.dot(np.linalg.pinv(design), y)
        resid = y - np.dot(design, params)
        r2 = 1 - np.dot(resid, resid) / np.sum((y - y.mean()) ** 2)
        rank_range = (int(p["rank"].min()), int(p["rank"].max()))
        fits[f] = ScoreCurve(edition, f, *map(float, params), float(r2), int(len(p)), rank_range)
    return max(fits.values(), key=lambda c: c.r2)


def required_score_growth_pct(
    curve: ScoreCurve, current_rank: float, target_rank: float, years: int, drift_pct: float
) -> float:
    """Annual growth of an entity's own score needed to reach ``target_rank`` in ``years`` years, if the
    curve keeps its shape and every score in the field drifts up ``drift_pct`` % a year."""
    ratio = float(curve.score(target_rank) / curve.score(current_rank))
    return ((ratio ** (1.0 / years)) * (1 + drift_pct / 100.0) - 1.0) * 100.0


def field_drift_pct(points: pd.DataFrame) -> tuple[float | None, int]:
    """Median annual growth of the scores of entities seen in two editions (first and last shared), in % a year
    (None without any), and how many entities it is the median of."""
    growth = []
    for _entity, g in points.groupby("entity"):
        if g["year"].nunique() >= 2:
            g = g.sort_values("year")
            y0, y1 = g.iloc[0], g.iloc[-1]
            growth.append(((y1["score"] / y0["score"]) ** (1 / (y1["year"] - y0["year"])) - 1) * 100)
    return (float(np.median(growth)) if growth else None), len(growth)


# ----------------------------------------------------------------------------- regional standing


def regional_table(long: pd.DataFrame, year: int) -> pd.DataFrame:
    """Ranks of Southeast Asia's economies (or cities; :data:`SEA`) in one edition, best first, with regional
    rank.

    Entities of the region with no usable rank that edition are listed with the reason.
    """
    sea = long[long["country"].isin(SEA)]
    members = sea.drop_duplicates("entity")[["entity", "entity_name", "country"]]
    rows = sea[(sea["year"] == year) & (sea["indicator"] == "rank")]
    rows = rows[rows["qualifier"].isin(["", "range_low"])].drop_duplicates("entity")  # a band by its better end
    absent = members[~members["entity"].isin(rows["entity"])].assign(value=np.nan, value_type="not_in_data")
    rows = pd.concat([rows, absent], ignore_index=True)
    scores = valued(long, "score", year=year).drop_duplicates("entity")
    t = rows[["entity", "entity_name", "country", "value", "value_type"]].rename(columns={"value": "rank"})
    t["score"] = t["entity"].map(scores.set_index("entity")["value"])
    # For members without a usable rank, the latest earlier edition that ranked them (context only).
    used = _used_ranks(long)
    earlier = used[used["year"] < year].sort_values("year").drop_duplicates("entity", keep="last").set_index("entity")
    t["last_known_rank"] = t["entity"].map(earlier["value"])
    t["last_known_year"] = t["entity"].map(earlier["year"]).astype("Int64")
    used_type = t["value_type"].isin(bt.value_types(include_derived=True))
    ranked = t[used_type & t["rank"].notna()].sort_values("rank")  # the regional order
    ranked = ranked.assign(regional_rank=np.arange(1, len(ranked) + 1), last_known_rank=np.nan, last_known_year=pd.NA)
    unranked = t[~t.index.isin(ranked.index)].assign(regional_rank=np.nan)
    return pd.concat([ranked, unranked], ignore_index=True)


# a member the index does not cover, or did not rank, that edition is not ahead; any other without a rank may be
OUT_OF_RANKING = ("not_ranked", "not_covered")


def regional_standing(long: pd.DataFrame, year: int, entity: str) -> dict:
    """Regional rank of ``entity`` in ``year`` among the members ranked in that edition (1 = best in the region;
    no rank is carried forward from an earlier edition), the members whose rank is unknown that edition (those
    ahead when last ranked are named, with that edition: the position would be lower if they still are), and what
    overtaking the next entity ahead would take.

    The position itself (``regional_rank_latest``) only where it is known: every member that may be ahead has a
    rank that edition, or the source of the entity's rank states it (``regional_rank_stated``: the data's
    ``rank_sea_stated`` row, within the bounds; among ASEAN's 10 before 2026); else None, and ``regional_rank_best`` to ``regional_rank_worst``
    bound it (worst: every member without a rank that edition, unless not covered or not ranked, ahead)."""
    t = regional_table(long, year)
    me, unknown = t[t["entity"] == entity], t[t["regional_rank"].isna()]
    if me.empty or pd.isna(me["regional_rank"].iloc[0]):
        return {"regional_rank": None, "regional_rank_latest": None, "regional_unknown": len(unknown), "table": t}
    r = int(me["regional_rank"].iloc[0])
    worst = r + int((~unknown["value_type"].isin(OUT_OF_RANKING)).sum())
    said = long[(long["entity"] == entity) & (long["year"] == year) & (long["indicator"] == "rank_sea_stated")]
    if year < ASEAN_11_FROM:  # stated among ASEAN's 10: a Timor-Leste entry ranked ahead is one more in Southeast Asia
        said = said.assign(value=said["value"] + int(((t["country"] == "TLS") & (t["regional_rank"] < r)).sum()))
    said = said[said["value"].between(r, worst)]
    stated, stated_source = (int(said["value"].iloc[0]), str(said["source"].iloc[0])) if len(said) else (None, None)
    best, worst = (stated, stated) if stated else (r, worst)
    ahead = t[t["regional_rank"] == r - 1]
    mine_before = rank_series(long[long["year"] < year], entity)["rank"]
    mine_now = float(me["rank"].iloc[0])
    ahead_before = []  # members without a rank now that were ahead when last ranked: (name, last ranked edition)
    for r_ in unknown.dropna(subset=["last_known_rank"]).itertuples():
        # compare with the entity's rank in that edition, or its current rank if it had none then
        if r_.last_known_rank < mine_before.get(int(r_.last_known_year), mine_now):
            ahead_before.append((str(r_.entity_name), int(r_.last_known_year)))
    out = {
        "regional_rank": r,
        "regional_unknown": len(unknown),
        "regional_rank_latest": best if best == worst else None,
        "regional_rank_best": best,
        "regional_rank_worst": worst,
        "regional_rank_stated": stated,
        "regional_rank_stated_source": stated_source,
        "regional_unknown_ahead_last_time": len(ahead_before),
        "regional_unknown_ahead": ahead_before,
        # a bound, not the position: a rank is never carried forward across editions (the position is regional_rank)
        "regional_rank_if_unknown_ahead": r + len(ahead_before),
        "next_ahead": None if ahead.empty else str(ahead["entity_name"].iloc[0]),
        "next_ahead_rank": None if ahead.empty else float(ahead["rank"].iloc[0]),
        "places_to_overtake": None if ahead.empty else float(mine_now - ahead["rank"].iloc[0] + 1),
        "score_gap": None,
        "table": t,
    }
    if not ahead.empty and pd.notna(me["score"].iloc[0]) and pd.notna(ahead["score"].iloc[0]):
        out["score_gap"] = float(ahead["score"].iloc[0] - me["score"].iloc[0])
    return out


# ----------------------------------------------------------------------------- drivers

# component code -> name (English; translated where shown)
EGDI_COMPONENTS = LABELS["egdi_component"]


def egdi_components(long: pd.DataFrame) -> pd.DataFrame:
    """EGDI's three components by Southeast Asian (:data:`SEA`) economy and edition (the data's rows ``osi``,
    ``hci``, ``tii``).

    Long format: entity, entity_name, year, component, value. Editions without components (2020 and 2022 in the
    data) are absent; blanks stay missing. The EGDI is the mean of the three, so a component's change moves the
    index by a third of it."""
    rows = long[(long["indicator"] == "rank") & long["country"].isin(SEA)]
    rows = rows.sort_values("year").drop_duplicates(["entity", "year"], keep="first")
    comps = long[long["indicator"].isin([c.lower() for c in EGDI_COMPONENTS]) & long["value"].notna()]
    keys = zip(comps["entity"], comps["year"], comps["source"], comps["indicator"], strict=True)
    value = dict(zip(keys, comps["value"], strict=True))  # each from the same source as the rank kept
    out = [
        (r.entity, r.entity_name, int(r.year), comp, float(value[key]))
        for r in rows.itertuples()
        for comp in EGDI_COMPONENTS
        if (key := (r.entity, r.year, r.source, comp.lower())) in value
    ]
    return pd.DataFrame(out, columns=["entity", "entity_name", "year", "component", "value"])


def component_drivers(components: pd.DataFrame, entity: str) -> pd.DataFrame:
    """Between consecutive editions with components for ``entity``: each component's change for
    the entity and the median change of the other economies with components in both editions, and
    its contribution to the entity's EGDI change relative to them ((own - median) / 3). The
    component with the largest absolute relative contribution is the one that moved the rank."""
    w = components.pivot_table(index=["entity", "year"], columns="component", values="value")
    if entity not in w.index.get_level_values(0):
        return pd.DataFrame()
    mine = w.loc[entity].sort_index()
    rows = []
    for y0, y1 in zip(mine.index[:-1], mine.index[1:], strict=True):
        peers = [
            e for e in w.index.get_level_values(0).unique() if e != entity and (e, y0) in w.index and (e, y1) in w.index
        ]
        for comp in EGDI_COMPONENTS:
            own = mine.loc[y1, comp] - mine.loc[y0, comp] if comp in mine else np.nan
            med = float(np.nanmedian([w.loc[(e, y1), comp] - w.loc[(e, y0), comp] for e in peers])) if peers else np.nan
            rows.append((int(y0), int(y1), comp, own, med, len(peers), (own - med) / 3.0))
    columns = ["from_year", "year", "component", "own_change", "peer_median_change", "peers", "relative_contribution"]
    d = pd.DataFrame(rows, columns=columns)
    d["drives"] = d.groupby(["from_year", "year"])["relative_contribution"].transform(
        lambda s: s.abs() == s.abs().max()
    )
    return d


def subindex_ranks(long: pd.DataFrame, entity: str) -> pd.DataFrame:
    """GII input and output sub-index ranks by edition (the data's rows ``input_rank``, ``output_rank``)."""
    rows = long[(long["entity"] == entity) & long["indicator"].isin(["input_rank", "output_rank"])]
    wide = rows.pivot_table(index="year", columns="indicator", values="value", aggfunc="first")
    wide = wide.reindex(columns=["input_rank", "output_rank"]).sort_index()
    return wide.rename_axis(columns=None).reset_index().astype({"year": int})


def drivers(index: str, long: pd.DataFrame, entity: str) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, Any]]:
    """What drives ``entity``'s rank: EGDI component scores (0-1) by entity and edition and their changes with the
    one that moved the rank most (:func:`component_drivers`), or the GII's sub-index ranks (components empty);
    both empty for other indices. Facts: the latest driver, its period and the editions with components (EGDI),
    or that the GII pillar scores are not found."""
    comps, found, facts = pd.DataFrame(), pd.DataFrame(), {}
    if index == "egdi":
        comps = egdi_components(long)
        found = component_drivers(comps, entity)
        if len(found):
            last = found[found["year"] == found["year"].max()]
            top = last[last["drives"]].iloc[0]
            facts = {
                "egdi_driver_latest": top["component"],  # a code of LABELS["egdi_component"]
                "egdi_driver_period": f"{int(top['from_year'])}-{int(top['year'])}",
                "egdi_component_editions": sorted(
                    int(y) for y in comps.loc[comps["entity"] == entity, "year"].unique()
                ),
            }
    elif index == "gii":
        found, facts = subindex_ranks(long, entity), {"gii_pillar_scores": "not found"}
    return comps, found, facts


def fastest_moves(long: pd.DataFrame, include_derived: bool = False) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """The fastest rises seen in the index (places a year, fastest first) on the ranks the fits use (derived ones
    only with ``include_derived``: a move then spans the editions between published ranks) without the (entity,
    edition) pairs where a component is missing (score 0, all tied at the bottom), those pairs, and the fastest
    move's facts (``best_observed_derived``: it starts or ends at a derived rank)."""
    excluded = missing_component(long)
    moves = best_observed_pace(bt.usable(all_rank_history(long), include_derived), excluded)
    facts: dict[str, Any] = {"fastest_moves_excluded": [f"{r.entity_name} ({r.year})" for r in excluded.itertuples()]}
    facts["best_observed_places_per_year"] = None
    if len(moves):
        bm = moves.iloc[0]
        facts |= {
            "best_observed_places_per_year": float(bm["places_per_year"]),
            "best_observed_entity": str(bm["entity_name"]),
            "best_observed_period": f"{int(bm['from_year'])}-{int(bm['year'])}",
            "best_observed_derived": bool(bm["derived"]),
        }
    return moves, excluded, facts


# ----------------------------------------------------------------------------- backtests and projections

MAX_COVERAGE_SHORTFALL = 10.0  # an interval whose backtest coverage is further below nominal (points) is withheld


def latest_standing(series: pd.DataFrame) -> tuple[int, float, float]:
    """(edition, rank, entities ranked) of the latest edition in a :func:`rank_series`."""
    year = int(series.index.max())
    return year, float(series.loc[year, "rank"]), float(series.loc[year, "n_ranked"])


@dataclass(frozen=True)
class IndexBacktest:
    index: str
    cases: pd.DataFrame
    summary: pd.DataFrame
    choice: bt.Choice
    book: bt.SpreadBook  # every past change of the index (for projections from the latest edition)
    editions: tuple[int, ...]


@functools.lru_cache(maxsize=32)
def _index_backtest(index: str, include_derived: bool, interval_pct: float, fit_last: int, min_points: int):
    long = load_index(index)
    hist = all_rank_history(long)
    cases = bt.backtest_cases(long, hist, include_derived, interval_pct, fit_last, min_points)
    summary = bt.summarise(cases, interval_pct)
    editions = bt.edition_calendar(long)
    book = bt.SpreadBook(bt.change_pairs(bt.usable(hist, include_derived), editions))
    return IndexBacktest(index, cases, summary, bt.rank_choice(summary, interval_pct), book, tuple(editions))


def index_backtest(index: str, p: dict[str, Any]) -> IndexBacktest:
    """The backtest of ``index`` under the report's settings (computed once per settings)."""
    key = (bool(p["include_derived"]), float(p["interval_pct"]), int(p["fit_last_editions"]), int(p["min_points"]))
    return _index_backtest(index, *key)


def backtest_table(p: dict[str, Any], indices: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Backtest summary of every index: per index, method and horizon the cases, mean absolute rank error and
    interval coverage beside the naive forecast's, and which method each index's projections use (``chosen``;
    ``choice``: the choice's code on the row of the chosen method over all horizons)."""
    frames = []
    for code in indices or tuple(INDICES):
        b = index_backtest(code, p)
        if b.summary.empty:
            row = {"index": code, "horizon": "all", "method": "naive", "cases": 0, "entities": 0, "chosen": True}
            frames.append(pd.DataFrame([row | {"choice": b.choice.code}]))
            continue
        t = b.summary.assign(index=code)
        t["chosen"] = t["method"] == b.choice.method
        t["choice"] = np.where(t["chosen"] & (t["horizon"] == "all"), b.choice.code, "")
        frames.append(t)
    cols = ["index", "horizon", "method", "cases", "entities", "mae_places", "coverage_pct", "nominal_pct"]
    cols += ["naive_mae_places", "naive_coverage_pct", "chosen", "choice"]
    return pd.concat(frames, ignore_index=True).reindex(columns=cols)


def method_used(index: str, p: dict[str, Any]) -> str:
    """The projection method for ``index``: the backtest's choice, or the one the user set."""
    return index_backtest(index, p).choice.method if p["projection_method"] == "auto" else p["projection_method"]


def backtest_figures(index: str, method: str, p: dict[str, Any]) -> dict[str, Any]:
    """Backtest error (places) and coverage (%) of ``method`` over all horizons, and of naive on the same cases."""
    s = index_backtest(index, p).summary
    row = s[(s["horizon"] == "all") & (s["method"] == method)]
    keys = ("backtest_mae_places", "backtest_coverage_pct", "naive_mae_places", "naive_coverage_pct")
    if row.empty:
        return {"backtest_cases": 0} | dict.fromkeys(keys)
    r = row.iloc[0]  # the summary's columns: mae_places, coverage_pct, naive_mae_places, naive_coverage_pct
    return {"backtest_cases": int(r["cases"])} | {k: float(r[k.removeprefix("backtest_")]) for k in keys}


def scored_horizon(index: str, method: str, p: dict[str, Any], min_cases: int = 1) -> int:
    """The most editions ahead at which the index's backtest scored at least ``min_cases`` of ``method``'s forecasts
    (0: none)."""
    s = index_backtest(index, p).summary
    s = s[(s["method"] == method) & (s["horizon"] != "all") & (s["cases"] >= min_cases)]
    return max((int(h) for h in s["horizon"]), default=0)


def coverage_at_horizon(index: str, method: str, steps: int, p: dict[str, Any]) -> tuple[float | None, str | None]:
    """The backtest coverage of ``method``'s intervals ``steps`` editions ahead, and why an interval that far ahead is
    withheld (a code: ``beyond_backtest_horizon``, ``coverage_below_nominal``), or None when it may be printed."""
    if steps > scored_horizon(index, method, p):
        return None, "beyond_backtest_horizon"
    s = index_backtest(index, p).summary
    s = s[(s["method"] == method) & (s["horizon"] != "all")]
    cov = float(s.loc[s["horizon"].astype(int) == steps, "coverage_pct"].iloc[0])
    return cov, ("coverage_below_nominal" if cov < p["interval_pct"] - MAX_COVERAGE_SHORTFALL else None)


def project_entity(
    long: pd.DataFrame,
    index: str,
    entity: str,
    p: dict[str, Any],
    target_year: int,
    target_rank: float | None = None,
    method: str | None = None,
    history: pd.DataFrame | None = None,
) -> dict[str, Any]:
    """Projection of ``entity``'s rank in ``target_year`` from its latest published edition, with the method the
    backtest supports (or ``method``): ranks, interval, P(reach) in %, the spread (:class:`backtest.Spread`, None
    for a fitted line's t interval) and the backtest figures. ``history``: the entity's :func:`all_rank_history`
    where the caller has it (projecting it to several years), else read from ``long``. Raises
    InsufficientDataError (``no_published_rank``, ``too_few_changes``, ``too_few_editions``) where it cannot project."""
    if history is None:
        history = all_rank_history(long[long["entity"] == entity])
    b = index_backtest(index, p)
    hist = bt.usable(history, p["include_derived"])
    if hist.empty:
        raise InsufficientDataError("no_published_rank", entity=entity)
    method = method or method_used(index, p)
    last_year = int(hist["year"].max())
    steps = bt.horizon_editions(list(b.editions), last_year, target_year)
    hist = hist.sort_values("year")
    ranks = bt.RankInputs.of(hist, b.book, steps, fit_editions=p["fit_last_editions"], target_rank=target_rank)
    try:
        f = bt.forecast(
            hist["year"],
            hist["rank"],
            [target_year],
            method,
            interval_pct=p["interval_pct"],
            min_points=p["min_points"],
            ranks=ranks,
        )
    except InsufficientDataError as exc:  # the backtest's code and numbers, with the index and entity
        raise InsufficientDataError(exc.code, **exc.facts, index=index, entity=entity) from None
    return {
        "projected_rank": float(f.center[0]),
        "projected_rank_lo": float(f.lo[0]),
        "projected_rank_hi": float(f.hi[0]),
        "prob_reach_target_pct": f.prob_pct,
        "spread": f.spread,
        "trend_pct_per_year": f.trend_pct_per_year,
        "method": method,
        "horizon_editions": steps,
        "fit_points": min(len(hist), p["fit_last_editions"]) if method != "naive" else len(hist),
        "projected_from_edition": last_year,
    } | backtest_figures(index, method, p)


def judged_projection(
    long: pd.DataFrame, index: str, entity: str, p: dict[str, Any], target_year: int, target_rank: float, method: str
) -> dict[str, Any]:
    """:func:`project_entity` with the backtest's coverage of its intervals at its horizon
    (``interval_coverage_at_horizon_pct``) and, where that does not support them (``interval_note``: a code of
    :func:`coverage_at_horizon`), the interval and P(reach) withheld (None). The ranking targets and the rankings
    report's own projection both ask it."""
    proj = project_entity(long, index, entity, p, target_year, target_rank, method)
    cov, why = coverage_at_horizon(index, method, proj["horizon_editions"], p)
    proj |= {"interval_note": why, "interval_coverage_at_horizon_pct": cov}
    if why:  # and no probability from a spread the backtest does not support at this horizon
        proj |= {"projected_rank_lo": None, "projected_rank_hi": None, "prob_reach_target_pct": None}
    return proj


def projection_fan(long: pd.DataFrame, index: str, entity: str, p: dict[str, Any], method: str) -> pd.DataFrame:
    """The projection edition by edition (at the index's usual step) up to the target year (rank units)."""
    b = index_backtest(index, p)
    history = all_rank_history(long[long["entity"] == entity])
    last = int(bt.usable(history, p["include_derived"])["year"].max())
    step = max(1, int(np.median(np.diff(b.editions[-6:]))))
    years = sorted({min(last + k * step, p["target_year"]) for k in range(1, 40)})
    return pd.DataFrame([project_entity(long, index, entity, p, y, None, method, history) | {"year": y} for y in years])


def field_table(long: pd.DataFrame, series: pd.DataFrame) -> pd.DataFrame:
    """Entities ranked in each edition (``n_ranked``, missing where not found; ``at_least``: only a lower bound is
    published) and, from the entity's previous edition (``from_year``), what newcomers can have done to its rank
    (:func:`backtest.newcomer_effect`; missing where a field size is not found)."""
    n = long[long["indicator"] == "n_ranked"].assign(year=lambda d: d["year"].astype(int))
    by = n.groupby("year").agg(n_ranked=("value", "max"), at_least=("qualifier", lambda q: (q == "at_least").any()))
    effect = ["published_change", "entrants", "newcomers_ahead_if_even", "common_change_if_even"]
    s = series.dropna(subset=["rank"])
    rows = []
    for (y0, r0), (y1, r1) in zip(s.iterrows(), list(s.iterrows())[1:], strict=False):
        n0, n1 = by["n_ranked"].get(y0, np.nan), by["n_ranked"].get(y1, np.nan)
        e = {"published_change": r1["rank"] - r0["rank"]}
        if not (pd.isna(n0) or pd.isna(n1)):
            e = bt.newcomer_effect(r0["rank"], n0, r1["rank"], n1)
        rows.append({"from_year": y0, "year": y1} | {k: e.get(k, np.nan) for k in effect})
    moves = pd.DataFrame(rows, columns=["from_year", "year", *effect])
    return by.reset_index()[["year", "n_ranked", "at_least"]].merge(moves, on="year", how="left")


# ----------------------------------------------------------------------------- the Resolution's ranking targets

# which index and scope measure a ranking target of the tracker (its indicator in r57_targets.csv)
TARGET_INDICES = {
    "digital_competitiveness_rank_SEA": ("imd_wdcr", "sea"),
    "digital_competitiveness_rank_world": ("imd_wdcr", "world"),
    "egdi_rank_SEA": ("egdi", "sea"),
    "egdi_rank_world": ("egdi", "world"),
    "gii_rank": ("gii", "world"),
}


@dataclass(frozen=True)
class RankTarget:
    """A ranking target of the Resolution (the tracker's :class:`targets.Target`) with the index that measures
    it and its scope (``world`` rank or ``sea``: position in Southeast Asia)."""

    target: tg.Target
    index: str
    scope: str

    @property
    def rank(self) -> int:
        return int(self.target.value)

    @property
    def year(self) -> int:
        return self.target.year


def ranking_targets() -> list[RankTarget]:
    """The Resolution's ranking targets, from the tracker's target data (``r57_targets``), in target-id order."""
    return [RankTarget(t, *TARGET_INDICES[t.indicator]) for t in tg.load_targets() if t.indicator in TARGET_INDICES]


def regional_history(long: pd.DataFrame, entity: str = "VNM") -> pd.Series:
    """``entity``'s position in Southeast Asia by edition where it is known (:func:`regional_standing`'s
    ``regional_rank_latest``: every member that may be ahead is ranked, or the source states it; nothing carried
    forward from an earlier edition); an edition where the position is only bounded is left out."""
    years = sorted(int(y) for y in long.loc[long["entity"] == entity, "year"].dropna().unique())
    known = {y: regional_standing(long, y, entity).get("regional_rank_latest") for y in years}
    return pd.Series({y: float(r) for y, r in known.items() if r is not None}, dtype=float)


# the status rule's thresholds and their defaults (the tracker's parameters)
THRESHOLDS = {"on_track_ratio": tg.ON_TRACK_RATIO, "acceleration_ratio": tg.ACCELERATION_RATIO}


def rank_verdicts(
    hist: pd.Series, t: tg.Target, thresholds: dict[str, Any] | None = None, field: pd.Series | None = None
) -> dict[str, Any]:
    """Ranking target ``t``'s status by the tracker's rule (:func:`analysis.models.targets.level_verdicts`) on its
    history ``hist``: the paces (places a year), verdicts, ``status`` and ``why``.

    Where the field (``field``: entities ranked, by edition) changes over the editions, the paces are read on the
    share ranked (rank / field x 100, the target read on the latest field: ``target_level_percentile``) and given in
    places among the latest field (``pace_field``; their ratios are the same on either scale). ``thresholds``:
    on_track_ratio and acceleration_ratio (default the tracker's, :data:`analysis.models.targets.ON_TRACK_RATIO`…)."""
    row = {"target_level": int(t.value), "pace_needed": 0.0, "pace_scale": "places"}
    th = {k: (thresholds or {}).get(k, v) for k, v in THRESHOLDS.items()}
    f = field.reindex(hist.index) if field is not None else None
    if f is None or f.dropna().nunique() < 2 or pd.isna(f.iloc[-1]) or tg.is_met(hist.iloc[-1], t):
        return tg.level_verdicts(row, t, hist, th)
    n = float(f.iloc[-1])
    row["target_level_percentile"] = t.value / n * 100.0
    row = tg.level_verdicts(row, t, hist, th, ((hist / f * 100.0).dropna(), row["target_level_percentile"]))
    paces = ("pace_needed", "pace_short", "pace_long", "fastest_pace")
    row |= {k: row[k] * n / 100.0 for k in paces if row.get(k) is not None}
    why = [(code, fact | {"pace": fact["pace"] * n / 100.0} if "pace" in fact else fact) for code, fact in row["why"]]
    return row | {"pace_scale": "places", "pace_field": n, "why": why}


# the settings a ranking target's row depends on (the report's other parameters do not change it)
TRACK_SETTINGS = ("include_derived", "interval_pct", "fit_last_editions", "min_points", "projection_method")


def data_version() -> tuple[str, ...]:
    """The checksums of the ranking and target datasets (:func:`analysis.data.manifest.data_version`, the footers'
    figures): a cache key that changes with the data."""
    versions = manifest.data_version()
    names = sorted({n for info in INDICES.values() for n in info.datasets} | {"r57_targets"})
    return tuple(versions[datasets.DATASETS[n].file] for n in names)


def target_history(
    t: RankTarget, entity: str = "VNM", as_of_year: int | None = None
) -> tuple[pd.Series, pd.Series | None]:
    """``entity``'s world rank and the entities ranked, by edition of ``t.index`` (``t.scope`` 'world'), or its
    position in Southeast Asia (:func:`regional_history`, no field), up to ``as_of_year`` (None: every edition)."""
    hist, field = _target_history(t.index, t.scope, entity, data_version())
    return hist.loc[:as_of_year].copy(), None if field is None else field.loc[:as_of_year].copy()


@functools.lru_cache(maxsize=16)
def _index_rows(index: str, entity: str, _version: tuple[str, ...]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The index's rows and ``entity``'s :func:`rank_series`, read once per data for every target the index measures
    (shared: read them, never change them)."""
    long = load_index(index)
    return long, rank_series(long, entity)


@functools.lru_cache(maxsize=32)
def _target_history(index: str, scope: str, entity: str, _version: tuple[str, ...]) -> tuple:
    long, s = _index_rows(index, entity, _version)
    if scope == "sea":
        return regional_history(long, entity), None
    return s["rank"].astype(float), s["n_ranked"]


def withheld(index: str, method: str, p: dict[str, Any], steps: int, cases: int) -> str | None:
    """Why no projection ``steps`` editions ahead is shown on the index's backtest of ``method``: the tracker's rule
    (:func:`analysis.models.targets.unbacked`) on the ``cases`` it scored (:func:`backtest_figures`) and the most
    editions ahead at which it scored ``min_backtest_pairs`` of them (default ``MIN_BACKTEST_PAIRS``); a code, or
    None when the backtest can judge it. The ranking targets and the rankings report's own projection both ask it."""
    min_pairs = p.get("min_backtest_pairs", tg.MIN_BACKTEST_PAIRS)
    return tg.unbacked(cases, steps, scored_horizon(index, method, p, min_pairs), min_pairs)


def track_target(t: RankTarget, p: dict[str, Any], entity: str = "VNM", as_of_year: int | None = None) -> dict:
    """One row of the ranking targets on the editions up to ``as_of_year`` (None or not before the latest edition:
    every edition, ``as_of_year`` None in the row): latest value, projection with interval, ``backtest`` (the
    :func:`backtest_figures` of its method), status by the tracker's rule, and why (``refusal``: an
    :class:`InsufficientDataError`; ``regional``: the regional projection's facts). On a cut history a regional
    position is held (method ``naive_last_value``). No projection the index's backtest cannot judge (the code of
    :func:`withheld` in ``interval_note``; a regional position's projection rests on it too). Computed once per
    target, settings, year and data."""
    version = data_version()
    hist = _target_history(t.index, t.scope, entity, version)[0]
    if as_of_year is not None and (hist.empty or as_of_year >= hist.index.max()):
        as_of_year = None
    settings = tuple(p[k] for k in TRACK_SETTINGS) + tuple(p.get(k, v) for k, v in THRESHOLDS.items())
    row = dict(_track_target(t, settings, entity, as_of_year, version))
    if row["projected"] is None:
        return row
    steps = bt.horizon_editions(list(index_backtest(t.index, p).editions), row["latest_edition"], t.year)
    if why := withheld(t.index, method_used(t.index, p), p, steps, row["backtest"]["backtest_cases"]):
        gone = ("projected", "projected_lo", "projected_hi", "prob_reach_pct", "regional")
        row |= dict.fromkeys(gone) | {"interval_note": why}
    return row


@functools.lru_cache(maxsize=64)
def _track_target(t: RankTarget, settings: tuple, entity: str, as_of: int | None, _version: tuple) -> dict[str, Any]:
    p = dict(zip((*TRACK_SETTINGS, *THRESHOLDS), settings, strict=True))
    long, series = _index_rows(t.index, entity, _version)
    row: dict[str, Any] = {
        "target_id": t.target.target_id,
        "index": t.index,
        "target_rank": t.rank,
        "target_year": t.year,
        "scope": t.scope,
        "as_of_year": as_of,
    } | dict.fromkeys(("latest_edition", "latest", "projected", "projected_lo", "projected_hi", "prob_reach_pct"))
    row |= dict.fromkeys(("method", "backtest_coverage_pct", "backtest"))
    if series.empty:
        types = long[(long["entity"] == entity) & (long["indicator"] == "rank")]["value_type"].unique()
        code = "not_covered" if "not_covered" in types else "no_rank"
        return row | {"status": "not measurable", "refusal": InsufficientDataError(code, entity=entity)}
    if as_of is not None:  # the editions up to as_of only
        long, series = long[long["year"] <= as_of], series.loc[:as_of]
        if series.empty:
            return row | {"status": "not measurable", "refusal": InsufficientDataError("no_edition_up_to", year=as_of)}
    year, rank, _n = latest_standing(series)
    method = method_used(t.index, p)
    row.update(latest_edition=year, method=method, backtest=backtest_figures(t.index, method, p))
    row["backtest_coverage_pct"] = row["backtest"]["backtest_coverage_pct"]
    if t.scope == "world":
        row["latest"] = rank
        verdicts = rank_verdicts(series["rank"].astype(float), t.target, p, series["n_ranked"])
        try:
            pr = judged_projection(long, t.index, entity, p, t.year, t.rank, method)
        except InsufficientDataError as exc:  # no projection; the status is the pace rule's all the same
            return row | verdicts | {"verdicts": verdicts, "refusal": exc}
        row.update(
            projected=pr["projected_rank"],
            projected_lo=pr["projected_rank_lo"],
            projected_hi=pr["projected_rank_hi"],
            prob_reach_pct=pr["prob_reach_target_pct"],
            backtest_coverage_pct=pr["interval_coverage_at_horizon_pct"],  # at the target's own horizon
        )
        return row | verdicts | {"verdicts": verdicts, "interval_note": pr["interval_note"]}
    hist = target_history(t, entity, as_of)[0]
    verdicts = rank_verdicts(hist, t.target, p)
    row |= verdicts | {"verdicts": verdicts, "interval_note": "no_interval"}
    if as_of is not None:  # on a cut history the position is held
        return row | {"latest": float(hist.iloc[-1]), "projected": float(hist.iloc[-1]), "method": "naive_last_value"}
    regional = regional_projection(long, t, entity, p, method, year)
    if regional is None:  # no projection; the status is the pace rule's all the same, as for a world rank
        return row | {"latest": float(hist.iloc[-1]), "refusal": InsufficientDataError("regional_not_projected")}
    return row | regional


def regional_projection(
    long: pd.DataFrame, t: RankTarget, entity: str, p: dict[str, Any], method: str, year: int
) -> dict[str, Any] | None:
    """The latest regional position and the projected one: every Southeast Asian economy ranked in the latest edition
    projected by the same method, the projections ranked (an economy unranked in that edition is not carried forward
    from an older one; those not projected are listed in ``regional``). None when ``entity`` cannot be projected."""
    st = regional_standing(long, year, entity)
    proj, skipped = {}, []
    ranked_now = set(st["table"].loc[st["table"]["regional_rank"].notna(), "entity"])
    history = all_rank_history(long[long["country"].isin(SEA)])
    for e in sorted(set(long.loc[long["country"].isin(SEA), "entity"])):
        if e not in ranked_now:
            skipped.append(e)
            continue
        try:
            mine = history[history["entity"] == e].reset_index(drop=True)
            proj[e] = project_entity(long, t.index, e, p, t.year, None, method, mine)["projected_rank"]
        except InsufficientDataError:
            skipped.append(e)
    if entity not in proj:
        return None
    return {
        "latest": st["regional_rank_latest"],
        "projected": float(1 + sum(v < proj[entity] for k, v in proj.items() if k != entity)),
        "regional": {"standing": st, "not_projected": skipped},
    }
