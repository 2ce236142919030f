"""Build the ranking snapshots of ``data/raw/`` from ``data/external/rankings/``.

Each reference row (index, edition, entity, rank, score, n_ranked) becomes up to three
rows of the ranking long format (:data:`analysis.data.schema.RANK_COLUMNS`), one per
indicator, each keeping its value type: reported, derived_from_change, band (two rows),
not_ranked, not_covered or not_found; and one row for each figure its note gives (the EGDI's
components, the GII's sub-index ranks: :data:`NOTE_FIGURES`; the position in Southeast Asia its source states:
:data:`STATED_REGIONAL`).
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.data.schema import RANK_COLUMNS, RAW_COLUMNS
from analysis.errors import DataError

INDEX_CODES = {
    "StartupBlink Global Startup Ecosystem Index": None,  # split into country / city by entity_type
    "WIPO Global Innovation Index": "gii",
    "UN E-Government Development Index (EGDI)": "egdi",
    "IMD World Digital Competitiveness Ranking": "imd_wdcr",
    "Startup Genome GSER - Top 100 Emerging Ecosystems": "startup_genome",
}

# the ISO3 code of each country as the ranking CSVs name it (a new country in an edition: a row there)
COUNTRIES_FILE = "rankings/countries.csv"

# the reference files' value types -> the long format's (a band's two rows are "band")
VALUE_TYPE_MAP = {"reported_band": "band"} | {
    t: t for t in ("reported", "derived_from_change", "not_ranked", "not_covered", "not_found")
}


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def _number(text: str) -> tuple[float, str]:
    """'1400+' -> (1400, 'at_least'); '100 (emerging list)' -> (100, ''); '' -> (nan, '')."""
    text = str(text).strip()
    if text in ("", "nan"):
        return np.nan, ""
    m = re.match(r"([-+]?\d+(?:\.\d+)?)", text.replace(",", ""))
    if not m:
        raise DataError(f"cannot read a number from {text!r}")
    return float(m.group(1)), ("at_least" if text.endswith("+") else "")


# figures the compiler wrote into a reference row's note ("OSI .7081 HCI .7267 TII .8780", "inputs 57th, outputs
# 40th"): read once, here, into rows of their own (the note stays as compiled)
NOTE_FIGURES = {
    "osi": (re.compile(r"OSI\s+([0-9]*\.?[0-9]+)"), "component score (0-1)"),
    "hci": (re.compile(r"HCI\s+([0-9]*\.?[0-9]+)"), "component score (0-1)"),
    "tii": (re.compile(r"TII\s+([0-9]*\.?[0-9]+)"), "component score (0-1)"),
    "input_rank": (re.compile(r"inputs\s+(\d+)"), "sub-index rank"),
    "output_rank": (re.compile(r"outputs\s+(\d+)"), "sub-index rank"),
}


# a position in Southeast Asia the row's source states, as a clause of its own of the note or the source detail:
# '5th in SEA', '5th of 11 in SEA', '3rd in ASEAN', '6th in SEA behind SG, MY'; not '61st global, 6th SEA' (a
# sub-ranking's), nor '6th in SEA (inferred: ...)' (the compiler's inference)
STATED_REGIONAL = re.compile(
    r"(\d{1,2})(?:st|nd|rd|th)(?: of \d+)? (?:in )?(?:SEA|ASEAN|Southeast Asia)(?: behind [A-Z, ]+)?"
)


def _note_rows(base: dict) -> list[dict]:
    """The rows of the figures in a reference row's note (:data:`NOTE_FIGURES`) and of the regional position its
    source states (:data:`STATED_REGIONAL`: ``rank_sea_stated``, the first such clause)."""
    found = ((ind, pattern.search(base["note"]), unit) for ind, (pattern, unit) in NOTE_FIGURES.items())
    rows = [_row(base, ind, float(m.group(1)), unit, "reported") for ind, m, unit in found if m]
    clauses = (c.strip() for text in (base["note"], base["source_detail"]) for c in text.split(";"))
    if stated := [m for clause in clauses if (m := STATED_REGIONAL.fullmatch(clause))]:
        rows.append(_row(base, "rank_sea_stated", float(stated[0].group(1)), "position in Southeast Asia", "statement"))
    return rows


def _row(base: dict, indicator: str, value: float, unit: str, value_type: str, qualifier: str = "") -> dict:
    return base | dict(indicator=indicator, value=value, unit=unit, value_type=value_type, qualifier=qualifier)


def _frame(rows: list[dict], columns: list[str]) -> pd.DataFrame:
    """``rows`` as a frame of ``columns``, the edition year a nullable integer."""
    return pd.DataFrame(rows, columns=columns).astype({"year": "Int64"})


def rank_rows(ref: pd.DataFrame, iso3: dict[str, str]) -> pd.DataFrame:
    """Reference ranking rows -> long rows (rank, score, n_ranked and the figures of the note: :data:`NOTE_FIGURES`);
    ``iso3``: country name -> ISO3 code."""
    out = []
    for _, r in ref.fillna("").iterrows():
        kind = r["entity_type"].strip()
        if r["index_name"].strip() not in INDEX_CODES:
            raise DataError(f"unknown index {r['index_name']!r}")
        code = INDEX_CODES[r["index_name"].strip()] or f"startupblink_{kind}"
        country = iso3.get(r["country"].strip())
        if country is None:
            raise DataError(f"no ISO3 code for country {r['country']!r}: add a row to {COUNTRIES_FILE}")
        entity = country if kind == "country" else slug(r["entity"])
        vtype = VALUE_TYPE_MAP[r["value_type"].strip()]
        base = {
            "index_name": code,
            "year": int(r["edition_year"]),
            "entity": entity,
            "entity_name": r["entity"].strip(),
            "entity_type": kind,
            "country": country,
            "source": r["source"].strip(),
            "source_detail": r["source_detail"].strip(),
            "note": r["note"].strip(),
        }

        rank_text = str(r["rank"]).strip()
        band = re.fullmatch(r"(\d+)\s*-\s*(\d+)", rank_text)
        if band:
            for value, qualifier in zip(band.groups(), ("range_low", "range_high"), strict=True):
                out.append(_row(base, "rank", float(value), "rank", "band", qualifier))
        elif rank_text:
            out.append(_row(base, "rank", _number(rank_text)[0], "rank", "reported" if vtype == "band" else vtype))
        else:
            missing = vtype if vtype in ("not_ranked", "not_covered", "not_found") else "not_found"
            out.append(_row(base, "rank", np.nan, "rank", missing))
        if str(r["score"]).strip():
            out.append(_row(base, "score", _number(r["score"])[0], "index score (edition scale)", "reported"))
        n, q = _number(r["n_ranked"])
        n_type = "reported" if not np.isnan(n) else "not_found"
        out.append(_row(base, "n_ranked", n, "entities ranked in the edition", n_type, q))
        out += _note_rows(base)
    return _frame(out, RANK_COLUMNS)


def read_rank_ref(ref_dir: Path, rel: str) -> pd.DataFrame:
    path = ref_dir / rel
    if not path.exists():
        raise DataError(f"reference file {path} not found")
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def build_rank_file(rel: str, ref_dir: Path) -> pd.DataFrame:
    countries = read_rank_ref(ref_dir, COUNTRIES_FILE)
    return rank_rows(read_rank_ref(ref_dir, rel), dict(zip(countries["country"], countries["iso3"], strict=True)))


def build_egdi_full(ref_dir: Path) -> pd.DataFrame:
    """UN EGDI 2010-2018, all 193 members (UNU-EGOV/datasets mirror of the UN DESA survey data)."""
    rows = []
    for year in (2010, 2012, 2014, 2016, 2018):
        d = read_rank_ref(ref_dir, f"rankings/egdi/egdi-{year}.csv")
        for _, r in d.iterrows():
            base = {
                "index_name": "egdi",
                "year": year,
                "entity": r["country-code"],
                "entity_name": r["country-name"],
                "entity_type": "country",
                "country": r["country-code"],
                "source": "UN DESA E-Government Survey data (GitHub UNU-EGOV/datasets)",
                "source_detail": f"repo UNU-EGOV/datasets path egdi/egdi-{year}.csv commit 3b9c435",
                "note": "",
            }
            rank, score = _number(r["e-gov-rank"])[0], _number(r["e-gov-index"])[0]
            for indicator, value, unit in (("rank", rank, "rank"), ("score", score, "index score (0-1)")):
                rows.append(_row(base, indicator, value, unit, "not_found" if np.isnan(value) else "reported"))
            rows.append(_row(base, "n_ranked", float(len(d)), "entities ranked in the edition", "reported"))
            for component in ("osi", "hci", "tii"):  # the EGDI's three components, each a row
                value = _number(r[component])[0]
                if not np.isnan(value):
                    rows.append(_row(base, component, value, NOTE_FIGURES[component][1], "reported"))
    return _frame(rows, RANK_COLUMNS)


def build_egdi_sea(ref_dir: Path) -> pd.DataFrame:
    """UN EGDI for Southeast Asia in the editions :func:`build_egdi_full` lacks (sources: datasets.yaml)."""
    df = build_rank_file("rankings/un_egdi.csv", ref_dir)
    return df[~df["year"].isin(build_egdi_full(ref_dir)["year"])].reset_index(drop=True)


VC_INDICATORS = {
    "startup VC investment": ("vc_investment_usd_mn", "USD million"),
    "startup VC investment (approx.)": ("vc_investment_usd_mn", "USD million"),
    "tech startup investment": ("vc_investment_usd_mn", "USD million"),
    "private funding (all private deals)": ("private_funding_usd_mn", "USD million"),
    "share of SEA venture funding": ("sea_venture_funding_share_pct", "% of SEA venture funding"),
    "cumulative startup funding since 2016": ("cumulative_startup_funding_usd_mn", "USD million"),
    "internet economy GMV": ("digital_economy_gmv_usd_bn", "USD billion"),
    "digital economy GMV": ("digital_economy_gmv_usd_bn", "USD billion"),
}


def build_vc(ref_dir: Path) -> pd.DataFrame:
    ref = read_rank_ref(ref_dir, "rankings/vn_vc_investment.csv")
    rows = []
    for _, r in ref.iterrows():
        ind, unit = VC_INDICATORS[r["metric"].strip()]
        text = r["value"].strip()
        value, q = _number(text.lstrip("~"))
        entity = "VNM" if r["entity"].strip() == "Vietnam" else slug(r["entity"])
        rows.append(
            {
                "entity": entity,
                "entity_name": r["entity"].strip(),
                "indicator": ind,
                "year": int(r["year"]),
                "value": value,
                "unit": unit,
                "value_type": "reported",
                "qualifier": "approx" if text.startswith("~") or "approx" in r["metric"] else q,
                "source": f"{r['dataset'].strip()} (via {r['source'].strip()})",
                "source_detail": f"{r['source_detail'].strip()}"
                + (f" | {r['note'].strip()}" if r["note"].strip() else ""),
            }
        )
    return _frame(rows, RAW_COLUMNS)
