"""Ranking paths: trends, required pace, the rank-score curve and regional standing.

Works on the ranking long format of ``data/raw/rank_*.csv``. Models use only
``reported`` and ``derived_from_change`` ranks and say so; bands, 'not ranked',
'not covered' and 'not found' are shown but never fitted.

Field size: the number of entities ranked grows between editions (StartupBlink cities
went from 1,000 to over 1,400). ``rank / n_ranked`` (the percentile) treats newcomers as
spread evenly through the table; when they join below an entity its percentile improves
with no move of its own. Projections therefore work in published rank units from the
latest edition (:mod:`analysis.models.backtest`) and show the newcomers' possible effect
separately. Why logs: moving from 766th to 666th is far easier than from 110th to 10th;
on the log scale a constant trend is a constant proportional improvement.

The unanchored trend line the report used before lives on only in the backtest (``ols_percentile``),
for comparison; the projection and its interval are :mod:`analysis.models.backtest`'s.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
import statsmodels.api as sm

from analysis.data import datasets
from analysis.errors import R57Error
from analysis.i18n import N_, _, fmt, ngettext

SEA = {"BRN", "KHM", "IDN", "LAO", "MYS", "MMR", "PHL", "SGP", "THA", "TLS", "VNM"}  # ASEAN + Timor-Leste
USED_VALUE_TYPES = ("reported", "derived_from_change")


class InsufficientDataError(R57Error):
    """Too few editions to fit a trend; the message says how many there are and how many are needed."""


@dataclass(frozen=True)
class IndexInfo:
    code: str
    title: str
    datasets: tuple[str, ...]
    score_dataset: str | None
    higher_is_better_score: bool = True
    # "score needed" across editions only where the publisher states that scores are comparable
    # across editions (shared/reference/rankings/REPORT.md); otherwise why not, in plain words
    score_comparable: bool = False
    score_comparability: str = N_("no scores in the data")


# reader-visible words: English here (marked for the catalogue), translated where shown with ``_()``
_SB_SCORES = N_(
    "StartupBlink's scores are not comparable across editions: its scale drifts upward (San Francisco scored "
    "329 in 2021 and 546 in 2023; research pack, caveat 13)"
)

INDICES: dict[str, IndexInfo] = {
    "startupblink_country": IndexInfo(
        "startupblink_country",
        N_("StartupBlink Global Startup Ecosystem Index (countries)"),
        ("rank_startupblink_countries",),
        "rank_startupblink_countries",
        score_comparability=_SB_SCORES,
    ),
    "startupblink_city": IndexInfo(
        "startupblink_city",
        N_("StartupBlink Global Startup Ecosystem Index (cities)"),
        ("rank_startupblink_cities",),
        "rank_startupblink_score_points",
        score_comparability=_SB_SCORES,
    ),
    "gii": IndexInfo(
        "gii",
        N_("WIPO Global Innovation Index"),
        ("rank_gii",),
        "rank_gii",
        score_comparability=N_(
            "the research pack records no statement by WIPO that scores are comparable across editions, "
            "and the method is revised between editions"
        ),
    ),
    "egdi": IndexInfo(
        "egdi",
        N_("UN E-Government Development Index"),
        ("rank_un_egdi_full", "rank_un_egdi"),
        "rank_un_egdi_full",
        score_comparability=N_(
            "the research pack records no statement by UN DESA that scores are comparable across editions, "
            "and the method is revised between editions"
        ),
    ),
    "imd_wdcr": IndexInfo(
        "imd_wdcr",
        N_("IMD World Digital Competitiveness Ranking"),
        ("rank_imd_wdcr",),
        None,
        score_comparability=N_("no scores in the data"),
    ),
    "startup_genome": IndexInfo(
        "startup_genome",
        N_("Startup Genome GSER, Top 100 Emerging Ecosystems"),
        ("rank_startup_genome",),
        None,
        score_comparability=N_("no scores in the data"),
    ),
}


def load_index(code: str) -> pd.DataFrame:
    """All rows of an index. For EGDI the full 2010-2018 file wins over the Southeast Asian
    extract for the years both cover (same figures, one source)."""
    info = INDICES[code]
    frames = [datasets.load(name) for name in info.datasets]
    if len(frames) > 1:
        first_years = set(frames[0]["year"].dropna().astype(int))
        frames = [frames[0]] + [f[~f["year"].isin(first_years)] for f in frames[1:]]
    return pd.concat(frames, ignore_index=True)


def entities(long: pd.DataFrame) -> pd.DataFrame:
    """entity, entity_name, entity_type, country, editions with a usable rank."""
    usable = long[(long["indicator"] == "rank") & long["value_type"].isin(USED_VALUE_TYPES)]
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
    from analysis.errors import ParameterError

    raise ParameterError("entity", f"{given!r} is not in this index", ", ".join(e["entity"].tolist()))


def rank_series(long: pd.DataFrame, entity: str) -> pd.DataFrame:
    """Usable ranks of ``entity`` by edition: year, rank, n_ranked, percentile (rank / n x 100), value_type.

    Ranks derived from a reported change are included and marked by ``value_type``; fits leave them
    out unless asked (:func:`analysis.models.backtest.usable`). A field size that is not found stays NaN."""
    rows = long[long["entity"] == entity]
    rank = rows[(rows["indicator"] == "rank") & rows["value_type"].isin(USED_VALUE_TYPES) & rows["value"].notna()]
    rank = rank.drop_duplicates("year").set_index("year")
    n = (
        rows[(rows["indicator"] == "n_ranked") & rows["value"].notna()]
        .drop_duplicates("year")
        .set_index("year")["value"]
    )
    out = pd.DataFrame({"rank": rank["value"], "value_type": rank["value_type"]})
    out["n_ranked"] = n.reindex(out.index)  # a field size not found stays missing (and so does the percentile)
    out["percentile"] = out["rank"] / out["n_ranked"] * 100.0
    out.index = out.index.astype(int)
    out.index.name = "year"
    return out.sort_index()


def all_rank_history(long: pd.DataFrame) -> pd.DataFrame:
    """Every entity's usable rank series stacked (the same rows as :func:`rank_series` for each
    entity, computed for all entities at once): year, rank, value_type, n_ranked, percentile,
    entity, entity_name."""
    rank = long[(long["indicator"] == "rank") & long["value_type"].isin(USED_VALUE_TYPES) & long["value"].notna()]
    rank = rank.drop_duplicates(["entity", "year"])[["entity", "entity_name", "year", "value", "value_type"]]
    if rank.empty:
        return pd.DataFrame()
    n = long[(long["indicator"] == "n_ranked") & long["value"].notna()].drop_duplicates(["entity", "year"])
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
        raise ValueError("target_year must be after the latest edition")
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
    if exclude is not None and len(exclude):
        bad = set(zip(exclude["entity"], exclude["year"].astype(int), strict=True))
        h["_bad"] = [(e, int(y)) in bad for e, y in zip(h["entity"], h["year"], strict=True)]
        h["_bad_prev"] = h.groupby("entity")["_bad"].shift(1, fill_value=False)
    prev = h.groupby("entity")[["year", "rank", "percentile", "value_type"]].shift(1)
    h["from_year"], h["from_rank"] = prev["year"], prev["rank"]
    # a move from or to a rank worked back from a reported change is marked
    h["derived"] = (h["value_type"] == "derived_from_change") | (prev["value_type"] == "derived_from_change")
    gap = h["year"] - prev["year"]
    h["places_per_year"] = (prev["rank"] - h["rank"]) / gap
    h["percentile_points_per_year"] = (prev["percentile"] - h["percentile"]) / gap
    h = h.dropna(subset=["places_per_year"])
    if "_bad" in h:
        h = h[~(h["_bad"] | h["_bad_prev"])]
    h["from_year"] = h["from_year"].astype(int)
    cols = [
        "entity",
        "entity_name",
        "from_year",
        "year",
        "from_rank",
        "rank",
        "places_per_year",
        "percentile_points_per_year",
        "derived",
    ]
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
    points: pd.DataFrame,
    edition: int | None = None,
    form: str | None = None,
    min_points: int = 5,
    cover_rank: float | None = None,
) -> ScoreCurve:
    """Fit the rank-score curve of one edition. Default edition: the latest with ``min_points`` pairs
    whose ranks reach ``cover_rank`` (so the curve is not extrapolated far down the table), else the
    one reaching lowest. With ``form`` None the better-fitting of log-log and log-linear is kept."""
    counts = points.groupby("year").agg(n=("rank", "size"), deepest=("rank", "max"))
    ok = counts[counts["n"] >= min_points]
    if ok.empty:
        raise InsufficientDataError(
            _("no edition has {n} or more (rank, score) pairs; the score view is not measurable").format(n=min_points)
        )
    if edition is None:
        covering = ok[ok["deepest"] >= (cover_rank or 0)]
        edition = int(covering.index.max()) if len(covering) else int(ok["deepest"].idxmax())
    p = points[points["year"] == edition]
    if len(p) < min_points:
        raise InsufficientDataError(
            _("edition {edition} has {n} (rank, score) pairs; {needed} needed").format(
                edition=edition, n=len(p), needed=min_points
            )
        )
    fits = {}
    for f in [form] if form else ["log_log", "log_linear"]:
        x = np.log(p["rank"]) if f == "log_log" else p["rank"].astype(float)
        res = sm.OLS(np.log(p["score"]).to_numpy(), sm.add_constant(x.to_numpy())).fit()
        fits[f] = ScoreCurve(
            edition,
            f,
            float(res.params[0]),
            float(res.params[1]),
            float(res.rsquared),
            int(len(p)),
            (int(p["rank"].min()), int(p["rank"].max())),
        )
    return max(fits.values(), key=lambda c: c.r2)


def required_score_growth_pct(
    curve: ScoreCurve, current_rank: float, target_rank: float, years: int, drift_pct: float
) -> float:
    """Annual growth of an entity's own score needed to reach ``target_rank`` in ``years`` years, if the
    curve keeps its shape and every score in the field drifts up ``drift_pct`` % a year."""
    ratio = float(curve.score(target_rank) / curve.score(current_rank))
    return ((ratio ** (1.0 / years)) * (1 + drift_pct / 100.0) - 1.0) * 100.0


def field_drift_pct(points: pd.DataFrame) -> tuple[float | None, str]:
    """Median annual growth of the scores of entities seen in two editions (first and last shared)."""
    growth = []
    for _entity, g in points.groupby("entity"):
        if g["year"].nunique() >= 2:
            g = g.sort_values("year")
            y0, y1 = g.iloc[0], g.iloc[-1]
            growth.append(((y1["score"] / y0["score"]) ** (1 / (y1["year"] - y0["year"])) - 1) * 100)
    if not growth:
        return None, _("no entity has scores in two editions")
    words = ngettext(
        "median annual score growth between editions of {n} entity",
        "median annual score growth between editions of {n} entities",
        len(growth),
    )
    return float(np.median(growth)), words.format(n=fmt.num(len(growth)))


# ----------------------------------------------------------------------------- regional standing


def regional_table(long: pd.DataFrame, year: int, region: set[str] = SEA) -> pd.DataFrame:
    """Ranks of the region's economies (or cities) in one edition, best first, with regional rank.

    Entities of the region with no usable rank that edition are listed with the reason.
    """
    members = long[long["country"].isin(region)].drop_duplicates("entity")[["entity", "entity_name", "country"]]
    rows = long[(long["year"] == year) & (long["indicator"] == "rank") & long["country"].isin(region)]
    rows = rows[rows["qualifier"].isin(["", "range_low"])].drop_duplicates("entity")
    absent = members[~members["entity"].isin(rows["entity"])].assign(value=np.nan, value_type="not_in_data")
    rows = pd.concat([rows, absent], ignore_index=True)
    scores = long[(long["year"] == year) & (long["indicator"] == "score") & long["value"].notna()].drop_duplicates(
        "entity"
    )
    t = rows[["entity", "entity_name", "country", "value", "value_type"]].rename(columns={"value": "rank"})
    t["score"] = t["entity"].map(scores.set_index("entity")["value"])
    # For members without a usable rank, the latest earlier edition that ranked them (context only).
    earlier = (
        long[
            (long["year"] < year)
            & (long["indicator"] == "rank")
            & long["value_type"].isin(USED_VALUE_TYPES)
            & long["value"].notna()
        ]
        .sort_values("year")
        .drop_duplicates("entity", keep="last")
        .set_index("entity")
    )
    t["last_known_rank"] = t["entity"].map(earlier["value"])
    t["last_known_year"] = t["entity"].map(earlier["year"]).astype("Int64")
    ranked = t[t["value_type"].isin(USED_VALUE_TYPES) & t["rank"].notna()].sort_values("rank")
    ranked = ranked.assign(regional_rank=np.arange(1, len(ranked) + 1), last_known_rank=np.nan, last_known_year=pd.NA)
    unranked = t[~t.index.isin(ranked.index)].assign(regional_rank=np.nan)
    return pd.concat([ranked, unranked], ignore_index=True)


def regional_standing(long: pd.DataFrame, year: int, entity: str, region: set[str] = SEA) -> dict:
    """Regional rank of ``entity`` in ``year`` among the members ranked in that edition (1 = best in the region;
    no rank is carried forward from an earlier edition), the members whose rank is unknown that edition (those
    ahead when last ranked are named, with that edition: the position would be lower if they still are), and what
    overtaking the next entity ahead would take."""
    t = regional_table(long, year, region)
    me = t[t["entity"] == entity]
    if me.empty or pd.isna(me["regional_rank"].iloc[0]):
        return {"regional_rank": None, "regional_unknown": int(t["regional_rank"].isna().sum()), "table": t}
    r = int(me["regional_rank"].iloc[0])
    ahead = t[t["regional_rank"] == r - 1]
    unknown = t[t["regional_rank"].isna()]
    mine_before = rank_series(long[long["year"] < year], entity)["rank"]
    mine_now = float(me["rank"].iloc[0])
    ahead_before = []  # members without a rank now that were ahead when last ranked: (name, last ranked edition)
    for r_ in unknown.dropna(subset=["last_known_rank"]).itertuples():
        # compare with the entity's rank in that edition, or its current rank if it had none then
        if r_.last_known_rank < mine_before.get(int(r_.last_known_year), mine_now):
            ahead_before.append((str(r_.entity_name), int(r_.last_known_year)))
    out = {
        "regional_rank": r,
        "regional_unknown": int(t["regional_rank"].isna().sum()),
        "regional_rank_worst": r + int(t["regional_rank"].isna().sum()),
        "regional_unknown_ahead_last_time": len(ahead_before),
        "regional_unknown_ahead": ahead_before,
        # a bound, not the position: a rank is never carried forward across editions (the position is regional_rank)
        "regional_rank_if_unknown_ahead": r + len(ahead_before),
        "next_ahead": None if ahead.empty else str(ahead["entity_name"].iloc[0]),
        "next_ahead_rank": None if ahead.empty else float(ahead["rank"].iloc[0]),
        "places_to_overtake": None if ahead.empty else float(me["rank"].iloc[0] - ahead["rank"].iloc[0] + 1),
        "score_gap": None,
        "table": t,
    }
    if not ahead.empty and pd.notna(me["score"].iloc[0]) and pd.notna(ahead["score"].iloc[0]):
        out["score_gap"] = float(ahead["score"].iloc[0] - me["score"].iloc[0])
    return out


# ----------------------------------------------------------------------------- drivers

# component code -> name (English; translate where shown: ``_(EGDI_COMPONENTS[c])``)
EGDI_COMPONENTS = {
    "OSI": N_("online services"),
    "HCI": N_("human capital"),
    "TII": N_("telecommunication infrastructure"),
}


def egdi_components(long: pd.DataFrame, region: set[str] = SEA) -> pd.DataFrame:
    """EGDI's three components by economy and edition, read from the source notes ("OSI 0.7081 HCI ...").

    Long format: entity, entity_name, year, component, value. Editions whose notes carry no
    components (2020 and 2022 in the data) are absent; blanks stay missing. The EGDI is the mean
    of the three, so a component's change moves the index by a third of it."""
    rows = long[(long["indicator"] == "rank") & long["country"].isin(region)]
    rows = rows.sort_values("year").drop_duplicates(["entity", "year"], keep="first")
    out = []
    for r in rows.itertuples():
        for comp in EGDI_COMPONENTS:
            m = re.search(rf"{comp}\s+([0-9]*\.?[0-9]+)", str(r.note))
            if m:
                out.append((r.entity, r.entity_name, int(r.year), comp, float(m.group(1))))
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
            rows.append(
                {
                    "from_year": int(y0),
                    "year": int(y1),
                    "component": comp,
                    "own_change": own,
                    "peer_median_change": med,
                    "peers": len(peers),
                    "relative_contribution": (own - med) / 3.0,
                }
            )
    d = pd.DataFrame(rows)
    d["drives"] = d.groupby(["from_year", "year"])["relative_contribution"].transform(
        lambda s: s.abs() == s.abs().max()
    )
    return d


def subindex_ranks(long: pd.DataFrame, entity: str) -> pd.DataFrame:
    """GII input and output sub-index ranks read from the source notes ("inputs 57th, outputs 40th")."""
    rows = long[(long["entity"] == entity) & (long["indicator"] == "rank")].drop_duplicates("year")
    out = []
    for r in rows.itertuples():
        m_in = re.search(r"inputs\s+(\d+)", str(r.note))
        m_out = re.search(r"outputs\s+(\d+)", str(r.note))
        if m_in or m_out:
            out.append(
                {
                    "year": int(r.year),
                    "input_rank": float(m_in.group(1)) if m_in else np.nan,
                    "output_rank": float(m_out.group(1)) if m_out else np.nan,
                }
            )
    return pd.DataFrame(out, columns=["year", "input_rank", "output_rank"])
