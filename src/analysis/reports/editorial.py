"""The reports' editorial content, read and validated once: the tracker's (``locale/tracker.yaml``: the targets'
short names, the measures catalogue, the claims checks, the data's texts), shared by the tracker
(:mod:`analysis.reports.resolution_targets`) and the rankings report, which names the same targets; and the
rankings report's claims checks (``locale/rankings.yaml``)."""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analysis import paths
from analysis.data import datasets
from analysis.data.schema import read_yaml_checked
from analysis.errors import DataError
from analysis.i18n import _
from analysis.reports.words import house_spelling

WDI_DATASETS = (
    "wdi_researchers_per_million",
    "wdi_journal_articles",
    "wdi_patent_applications_residents",
    "wdi_hightech_exports_usd",
    "wdi_merchandise_exports_usd",
    "wdi_hightech_exports_pct_manufactured",
)
SERIES_DATASETS = ("vn_r57_indicators", "vn_state_budget", "vn_gerd", *WDI_DATASETS)  # a measure's series reads these
EDITORIAL_PATH = paths.SOURCE_DIR / "locale" / "tracker.yaml"  # beside the glossary: reader text, translated
RANKING_CLAIMS_PATH = paths.SOURCE_DIR / "locale" / "rankings.yaml"

_TEXT = {"type": "string", "minLength": 1}
_FIGURE_SOURCE = {
    "type": "object",
    "required": ["dataset", "indicator"],
    "properties": {"dataset": {"enum": list(SERIES_DATASETS)}, "indicator": _TEXT},
    "additionalProperties": False,
}
_PLAIN_SERIES = {
    **_FIGURE_SOURCE,
    "properties": {
        "dataset": {"enum": list(SERIES_DATASETS)},
        "indicator": {"oneOf": [_TEXT, {"type": "array", "items": _TEXT, "minItems": 1}]},
        "source_prefix": _TEXT,
        "scale": {"type": "number", "exclusiveMinimum": 0},
    },
}
_MEASURE = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "definition": _TEXT,
        "source": _TEXT,
        "unit": _TEXT,
        "kind": {"enum": ["series", "proxy", "none"]},
        "reason": _TEXT,
        "plan": {"type": "boolean"},
        "not_found": _TEXT,
        "series": {
            "oneOf": [
                {"enum": ["gerd_start", "gerd_ministry", "gso_digital_economy"]},
                {**_PLAIN_SERIES, "properties": {**_PLAIN_SERIES["properties"], "per": _PLAIN_SERIES}},
            ]
        },
    },
    # no data: say why (a reason, or the not_found row of vn_r57_indicators); else a series and its labels
    "if": {"required": ["kind"], "properties": {"kind": {"const": "none"}}},
    "then": {"oneOf": [{"required": ["reason"]}, {"required": ["not_found"]}], "not": {"required": ["series"]}},
    "else": {"required": ["definition", "source", "unit", "series"]},
}
_FIGURE = {
    **_FIGURE_SOURCE,
    "required": ["dataset", "indicator", "year"],
    "properties": {
        **_FIGURE_SOURCE["properties"],
        "source_prefix": _TEXT,
        "year": {"oneOf": [{"type": "integer"}, {"const": "latest"}]},
        "per": _FIGURE_SOURCE,
        "times": _FIGURE_SOURCE,
        "scale": {"type": "number", "exclusiveMinimum": 0},
        "relative_to": {"type": "number", "exclusiveMinimum": 0},
    },
}
# each rule of a tracker claim (its ``check``): the verdicts it chooses between by comparing the claim's ``figure``
# with its ``claimed`` number within ``tolerance``; not_stored: the figure is in no stored source (not_verified while
# the data lack it, so it does not count as a missing figure)
TRACKER_RULES = {"near": {"supported", "not_supported"}, "not_stored": {"not_verified", "supported", "not_supported"}}


def claim_outcome(claim: dict[str, Any], value: float) -> str:
    """The verdict of a tracker claim (``claims`` of :func:`editorial`) by its rule (``check``: :data:`TRACKER_RULES`)
    on ``value``, its ``figure`` in the data: supported when within ``tolerance`` of the ``claimed`` number, else
    not_supported; not_verified when the data lack the figure."""
    if np.isnan(value):
        return "not_verified"
    return "supported" if abs(value - claim["claimed"]) <= claim["tolerance"] else "not_supported"


# a tracker claim's texts, in the catalogue's order; each is required but "without the figures"
TRACKER_TEXTS = ("claim", "what the data say", "without the figures", "edition", "definition", "why it may differ")
CLAIM_TEXTS = tuple(k for k in TRACKER_TEXTS if k != "without the figures")
_CLAIM = {
    "type": "object",
    "required": [*CLAIM_TEXTS, "figures", "check", "figure", "claimed", "tolerance", "verdicts"],
    "additionalProperties": False,
    "properties": {
        **{k: _TEXT for k in TRACKER_TEXTS},
        "figures": {"type": "object", "additionalProperties": _FIGURE},
        "check": {"enum": list(TRACKER_RULES)},
        "figure": _TEXT,
        "claimed": {"type": "number"},
        "tolerance": {"type": "number", "minimum": 0},
        "verdicts": {"type": "object", "additionalProperties": _TEXT},
    },
}
EDITORIAL_SCHEMA = {
    "type": "object",
    "required": ["measures", "claims"],
    "additionalProperties": False,
    "properties": {
        "measures": {
            "type": "object",
            "additionalProperties": {"oneOf": [_TEXT, {"type": "array", "items": _MEASURE, "minItems": 1}]},
        },
        "claims": {"type": "array", "items": _CLAIM},
    },
}


@functools.cache
def editorial(path: Path | None = None) -> dict[str, Any]:
    """The tracker's editorial content (``locale/tracker.yaml``), validated against :data:`EDITORIAL_SCHEMA`.

    Raises
    ------
    analysis.errors.DataError
        The file is missing or not YAML, an entry breaks the schema, a measure refers to a target that has no
        measures of its own, or a claim's verdicts are not those of its rule (:data:`TRACKER_RULES`) or a text or its
        ``figure`` names a figure it does not read; the message names the file and the entry.
    """
    path = path or EDITORIAL_PATH
    doc = read_yaml_checked(path, EDITORIAL_SCHEMA, "tracker editorial data")
    for i, c in enumerate(doc["claims"]):
        where = f"tracker editorial data {path}: claims/{i}"
        if c["figure"] not in c["figures"]:
            raise DataError(f"{where}/figure: no figure named {c['figure']}")
        texts = {col: c[col] for col in TRACKER_TEXTS if col in c}
        _check_claim(where, c, {"verdicts": TRACKER_RULES[c["check"]]}, texts, set(c["figures"]))
    for tid, entries in doc["measures"].items():
        if isinstance(entries, str) and not isinstance(doc["measures"].get(entries), list):
            raise DataError(f"tracker editorial data {path}: measures/{tid}: {entries!r} is not a measured target")
    return doc


# each rule of a rankings claim (its ``check``): the figures it claims, its verdicts by outcome, the texts it needs
# besides the common ones, and the figures its texts may name
RANKING_RULES = {
    "rank_held": {
        "claimed": {"rank"},
        "verdicts": {"out_of_date", "supported", "not_supported"},
        "needs": {"shown_none"},
        "fields": {"editions", "n", "rank", "latest_n", "year"},
    },
    "rise": {
        "claimed": {"rank", "rise", "field", "year"},
        "verdicts": {"field_wrong", "check"},
        "needs": set(),
        "fields": {"type_claimed", "rise", "rank_before", "type_before", "n", "plus"},
    },
    "top": {
        "claimed": {"top"},
        "verdicts": {"supported", "not_supported"},
        "needs": {"shown_none", "bands"},
        "fields": {"best", "best_year", "latest", "year", "lo", "hi", "band_year"},
    },
}


RANKING_CLAIMS_SCHEMA = {
    "type": "object",
    "required": ["claims", "press_sources"],
    "additionalProperties": False,
    "properties": {
        "claims": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["claim", "found_in", "claimed", "check", "index", "entity", "shown", "verdicts", "source"],
                "additionalProperties": False,
                "properties": {
                    **{k: _TEXT for k in ("claim", "found_in", "entity", "shown", "shown_none", "source")},
                    "claimed": {"type": "object", "additionalProperties": {"type": "number"}},
                    "check": {"enum": list(RANKING_RULES)},
                    "index": {"enum": ["startupblink_country", "startupblink_city"]},
                    "bands": {"enum": ["startup_genome"]},
                    "verdicts": {"type": "object", "additionalProperties": _TEXT},
                },
            },
        },
        "press_sources": {"type": "array", "items": _TEXT},
    },
}


def ranking_claims(path: Path | None = None) -> list[dict[str, Any]]:
    """The rankings report's claims checks (``claims`` of ``locale/rankings.yaml``), validated against
    :data:`RANKING_CLAIMS_SCHEMA`.

    Raises
    ------
    analysis.errors.DataError
        The file is missing or not YAML, or a claim breaks the schema or its rule (:data:`RANKING_RULES`: a claimed
        figure or verdict the rule does not take or lacks, a text it needs, a figure it does not compute named in a
        text); the message names the file and the field.
    """
    return _rankings(path or RANKING_CLAIMS_PATH)["claims"]


@functools.cache
def _rankings(path: Path) -> dict[str, Any]:
    doc = read_yaml_checked(path, RANKING_CLAIMS_SCHEMA, "rankings editorial data")
    for i, c in enumerate(doc["claims"]):
        where, rule = f"rankings editorial data {path}: claims/{i}", RANKING_RULES[c["check"]]
        missing = rule["needs"] - set(c)
        if missing:
            raise DataError(f"{where}/{min(missing)}: missing, {c['check']} needs it")
        texts = {k: c[k] for k in ("claim", "shown", "shown_none", "source") if k in c}
        _check_claim(where, c, {k: rule[k] for k in ("claimed", "verdicts")}, texts, rule["fields"])
    return doc


# the texts the catalogue translates, in the order it lists them: a tracker measure's, a rankings claim's (then its
# verdicts and source)
MEASURE_TEXTS = ("definition", "source", "unit", "reason")
RANKING_TEXTS = ("claim", "shown", "shown_none")


def texts(path: Path) -> list[str]:
    """The English texts of the editorial file ``path`` (``locale/tracker.yaml`` or, by its name,
    ``locale/rankings.yaml``), read validated, in the file's order: what the catalogue translates."""
    if path.name == RANKING_CLAIMS_PATH.name:
        doc, out = _rankings(path), []
        for c in doc["claims"]:
            out += [c[k] for k in RANKING_TEXTS if k in c] + [*c["verdicts"].values(), c["source"]]
        return out + doc["press_sources"]
    doc = editorial(path)
    measures = [e for entries in doc["measures"].values() if isinstance(entries, list) for e in entries]
    out = [e[k] for e in measures for k in MEASURE_TEXTS if k in e]
    out += [c[k] for c in doc["claims"] for k in TRACKER_TEXTS if k in c]
    return out + [v for c in doc["claims"] for v in c["verdicts"].values()]


def _check_claim(
    where: str, c: dict[str, Any], takes: dict[str, set[str]], texts: dict[str, str], known: set[str]
) -> None:
    """Both claim files' rule check: each key of ``takes`` (claimed, verdicts) holds the names its rule (``check``)
    takes, and no text nor verdict names a figure outside ``known``; else a DataError at ``where``."""
    for key, names in takes.items():
        if set(c[key]) != names:
            have = ", ".join(sorted(c[key])) or "none"
            raise DataError(f"{where}/{key}: rule {c['check']} takes {', '.join(sorted(names))}, not {have}")
    for key, text in {**texts, **{f"verdicts/{k}": v for k, v in c["verdicts"].items()}}.items():
        unknown = set(re.findall(r"\{(\w+)", text)) - known
        if unknown:
            raise DataError(f"{where}/{key}: no figure named {min(unknown)}")


CLAIM_COLUMNS = ("claim", "what the data say", "edition", "definition", "verdict", "why it may differ")


def claims_table(texts: list[dict[str, str]], figures: list[dict[str, Any]], columns: tuple[str, ...]) -> pd.DataFrame:
    """Claims checked, both reports' (the tracker's, the rankings report's), in the current language: each claim's
    texts by column (English, catalogued from its editorial file) with its ``figures`` written as their typed fields
    say (``{share:pct.1}``, ``{rank:num}``: :class:`analysis.i18n.SafeFormatter`, the one formatter)."""
    rows = [{col: _(t[col]).format_map(f) for col in columns} for t, f in zip(texts, figures, strict=True)]
    return pd.DataFrame(rows, columns=list(columns))


# a row of the NQ 03/NQ-CP annex in a target's government_docs: worded by one catalogued template, not a data text
NQ03_ROW = re.compile(
    r"NQ 03/NQ-CP \(9 Jan 2025\) Phụ lục I row ([\d.]+): (.+) \(transcription, github\.com/\S+ NQCP03\)"
)


def note_parts(detail: str) -> list[tuple[str, str]]:
    """A data note ('a | b | url (remark)') as (url, text) parts, each text a whole catalogued message."""
    parts = []
    for part in detail.split(" | "):
        url, sep, remark = part.partition(" (")
        parts.append((url, "(" + remark) if sep and url.startswith("http") else ("", part))
    return parts


def not_found_note(indicators: pd.DataFrame, indicator: str) -> str | None:
    """What the compiler found of ``indicator`` where ``vn_r57_indicators`` marks it not found (None: no such row)."""
    rows = indicators[(indicators["entity"] == "VNM") & (indicators["indicator"] == indicator)]
    rows = rows[rows["value_type"] == "not_found"]
    return None if rows.empty else str(rows["source_detail"].iloc[0]).split(" | target")[0]


def data_texts() -> list[str]:
    """The English texts of the data that the tracker shows, each written once in the data and translated through
    the catalogue (``r57 i18n check`` reports one without Vietnamese): the targets' short names, units, where
    their wording was read and its status, the Government documents other than annex rows (``r57_targets``), and
    the not-found notes of ``vn_r57_indicators`` that the measures cite."""
    targets = datasets.load("r57_targets")
    texts = [house_spelling(x) for x in targets["text_en"]]
    texts += [x for col in ("unit", "text_provenance", "wording_status") for x in targets[col].dropna()]
    docs = (part for x in targets["government_docs"].dropna() for part in str(x).split("; "))
    texts += [part for part in docs if not NQ03_ROW.fullmatch(part)]
    indicators = datasets.load("vn_r57_indicators")
    cited = [
        e["not_found"]
        for entries in editorial()["measures"].values()
        if isinstance(entries, list)
        for e in entries
        if "not_found" in e
    ]
    notes = [not_found_note(indicators, i) for i in cited]
    texts += [text for note in notes if note for _url, text in note_parts(note)]
    return list(dict.fromkeys(t for t in texts if t))


def target_name(english: str) -> str:
    """A target's short name (``english``: the data's ``text_en`` gloss) in the current language."""
    return _(house_spelling(english))
