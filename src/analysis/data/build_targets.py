"""Data for the Resolution 57 targets tracker (issue 14): built into ``data/raw/`` by ``r57 data build``.

From ``data/external/targets/`` (or the folder ``R57_REFERENCE_DIR`` names):

- ``r57_targets.csv``: the Resolution's quantitative targets, one row per target in the tidy format plus the
  target columns: values from ``targets.csv``; the verbatim Vietnamese wording, section, comparator word,
  confirmation and Government documents from ``wording.yaml`` (which also adds the targets ``targets.csv``
  lacks).
- ``vn_r57_indicators.csv``: every measured value the compiler found for those targets (Viet Nam and
  peers), with sources; "not found" rows stay as ``not_found`` with the reason in ``source_detail``.
  A value for a period ("2016-2019") becomes indicator ``<name>_period`` with the period's first year.
- ``wdi_*.csv`` for six World Bank series (patents, journal articles, high-technology and merchandise
  exports), all economies, refreshed by ``r57 data refresh`` like the other WDI files.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.data.schema import RAW_COLUMNS, read_yaml_checked
from analysis.data.wdi import read_api_wide_csv, read_bulk_csv
from analysis.errors import DataError

TARGET_EXTRA_COLUMNS = ["target_id", "text_vi", "text_en", "comparator", "text_provenance", "unit_kind"]
# what a target's unit is, which decides its arithmetic (analysis.models.targets): share = a per cent of a whole (at
# most 100, its pace in percentage points), growth = an average growth rate in % a year (fitted in logs), level = a
# count, index or rank
UNIT_KINDS = ("share", "growth", "level")
# added from WORDING.md (issue 23): the section of the Resolution, its comparator word as written, whether the wording
# was confirmed on an official or press copy or only in a transcription, and the Government documents quantifying it
WORDING_COLUMNS = ["section", "comparator_vi", "wording_status", "government_docs"]
TARGET_COLUMNS = RAW_COLUMNS + TARGET_EXTRA_COLUMNS + WORDING_COLUMNS

REF = "targets"
WORDING_FILE = f"{REF}/wording.yaml"
_TEXT = {"type": "string", "minLength": 1}
# wording.yaml: one entry per target id (docs/sources/WORDING.md sections 2-5 and 7); an id not in targets.csv
# (a target the compiled list lacks, WORDING.md section 4) must also give the NEW_TARGET_FIELDS (the optional ones)
WORDING_ENTRY = {
    "type": "object",
    "additionalProperties": False,
    "required": ["text_vi", "section", "comparator_vi", "wording_status", "government_docs"],
    "properties": {
        **dict.fromkeys(("text_vi", "comparator_vi", "wording_status", "government_docs", "text_en"), _TEXT),
        "section": {"enum": ["II.1", "II.2"]},
        "indicator": {"pattern": "^[a-z][a-z0-9_]*$"},
        "target_value": {"type": "string", "pattern": "^[0-9]+(\\.[0-9]+)?$"},
        "unit": _TEXT,
        "unit_kind": {"enum": list(UNIT_KINDS)},
        "target_year": {"type": "string", "pattern": "^20[0-9]{2}$"},
        "comparator": {"pattern": "^(top_n|at_least|more_than|between_[0-9]+_[0-9]+)$"},
        "source_url": _TEXT,
        "text_provenance": _TEXT,
    },
}
WORDING_SCHEMA = {
    "type": "object",
    "required": ["targets"],
    "additionalProperties": False,
    "properties": {
        "targets": {
            "type": "object",
            "minProperties": 1,
            "propertyNames": {"pattern": "^T[0-9]{2}[a-z]?$"},
            "additionalProperties": WORDING_ENTRY,
        }
    },
}
NEW_TARGET_FIELDS = tuple(k for k in WORDING_ENTRY["properties"] if k not in WORDING_ENTRY["required"])


# comparator in targets.csv -> qualifier of the target value
COMPARATOR_QUALIFIER = {"top_n": "at_most", "at_least": "at_least", "more_than": "at_least"}

WDI_DIR = f"{REF}/wdi"
NAMES_FILE = "rd/wdi/WDI_NY.GDP.PCAP.CD_20260713.csv"  # economy names for the API pulls (which carry ISO3 only)


def _read(ref_dir: Path, rel: str) -> pd.DataFrame:
    path = Path(ref_dir) / rel
    if not path.exists():
        raise DataError(f"reference file {path} not found (R57_REFERENCE_DIR names another folder than data/external?)")
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def build_r57_targets(ref_dir: Path) -> pd.DataFrame:
    """The target list: value = the target (lower bound of a range), year = the target year; the wording,
    section and Government documents of each from ``wording.yaml`` (checked against :data:`WORDING_SCHEMA`).

    Raises
    ------
    DataError
        If ``wording.yaml`` is missing or not YAML, or an entry breaks the schema (the message names the file, the
        entry and the field, and what is allowed); if a target lacks its wording or the fields a new target needs.
    """
    ref = _read(ref_dir, f"{REF}/targets.csv")
    wording_path = Path(ref_dir) / WORDING_FILE
    wording = read_yaml_checked(wording_path, WORDING_SCHEMA, "target wording")["targets"]
    compiled = {r["target_id"]: r for r in ref.to_dict(orient="records")}
    rows = []
    for tid in [*compiled, *(t for t in wording if t not in compiled)]:
        if tid not in wording:
            raise DataError(f"{wording_path}: target {tid} of targets.csv has no entry (its verbatim wording)")
        missing = [] if tid in compiled else [f for f in NEW_TARGET_FIELDS if f not in wording[tid]]
        if missing:
            raise DataError(f"{wording_path}: {tid} is not in targets.csv, so its entry must give {', '.join(missing)}")
        r = {**compiled.get(tid, {"target_id": tid}), **wording[tid]}
        comp = r["comparator"]
        qualifier = "range_low" if comp.startswith("between_") else COMPARATOR_QUALIFIER.get(comp)
        if qualifier is None:
            raise DataError(f"targets.csv: unknown comparator {comp!r} for {tid}")
        if r.get("unit_kind") not in UNIT_KINDS:
            raise DataError(
                f"targets.csv: unit_kind {r.get('unit_kind')!r} of {tid} is not one of {', '.join(UNIT_KINDS)}"
            )
        rows.append(
            {
                "entity": "VNM",
                "entity_name": "Viet Nam",
                "indicator": r["indicator"],
                "year": int(r["target_year"]),
                "value": float(r["target_value"]),
                "unit": r["unit"],
                "value_type": "target",
                "qualifier": qualifier,
                "source": "Resolution 57-NQ/TW (22 Dec 2024), wording as read in the sources named",
                "source_detail": r["source_url"],
                **{c: r[c] for c in TARGET_EXTRA_COLUMNS + WORDING_COLUMNS},
            }
        )
    out = pd.DataFrame(rows, columns=TARGET_COLUMNS)
    out["year"] = out["year"].astype("Int64")
    return out


def _period_end(year: str) -> tuple[int | None, str]:
    """'2019' -> (2019, ''); '2016-2019' -> (2016, '2016-2019'); '' -> (None, '')."""
    year = year.strip()
    if not year:
        return None, ""
    if "-" in year:
        a, b = year.split("-", 1)
        if not (a.isdigit() and b.isdigit()):
            raise DataError(f"vn_indicators.csv: cannot read period {year!r}")
        return int(a), year
    if not year.isdigit():
        raise DataError(f"vn_indicators.csv: cannot read year {year!r}")
    return int(year), ""


def build_vn_r57_indicators(ref_dir: Path) -> pd.DataFrame:
    """Measured values for the targets (Viet Nam and peers) in the tidy format, sources kept."""
    ref = _read(ref_dir, f"{REF}/vn_indicators.csv")
    rows = []
    for r in ref.to_dict(orient="records"):
        year, period = _period_end(r["year"])
        indicator = r["indicator"].lower() + ("_period" if period else "")
        vtype = r["value_type"]
        value = np.nan if vtype == "not_found" else float(r["value"].replace(",", ""))
        detail = " | ".join(
            x
            for x in (
                f"period {period}" if period else "",
                r["qualifier"],
                r["source_detail"],
                f"target {r['target_id']}" if r["target_id"] else "",
            )
            if x
        )
        qualifier = "at_least" if "lower bound" in r["unit"] else ""
        rows.append(
            {
                "entity": r["entity"],
                "entity_name": r["entity_name"],
                "indicator": indicator,
                "year": year,
                "value": value,
                "unit": r["unit"],
                "value_type": vtype,
                "qualifier": qualifier,
                "source": r["source"] or "searched by the compiler of the targets data (nothing found)",
                "source_detail": detail,
            }
        )
    out = pd.DataFrame(rows, columns=RAW_COLUMNS)
    out["year"] = pd.array(out["year"], dtype="Int64")
    return out


API_PULL = "njf0/frankenstein resources/wdi/{code}.csv (World Bank API pull; file last changed {date})"


def _api_builder(code: str, date: str, extract_date: str = "") -> Callable[[Path], pd.DataFrame]:
    """A whole-world API pull (``WDIAPI_<code>_commit<date>.csv``); where the bulk extract of ``extract_date``
    (``WDI_<code>_<extract_date>_EXTRACT.csv``) has a value for the same economy and year, it wins."""

    def build(ref_dir: Path) -> pd.DataFrame:
        edition = f"WDI API pull, file commit {date} ({API_PULL.format(code=code, date=date)})"
        file = f"WDIAPI_{code}_commit{date.replace('-', '')}.csv"
        economies = read_bulk_csv(Path(ref_dir) / NAMES_FILE).data
        names = dict(zip(economies["entity"], economies["entity_name"], strict=False))
        out = read_api_wide_csv(Path(ref_dir) / WDI_DIR / file, code, edition, names)
        if extract_date:
            new = read_bulk_csv(Path(ref_dir) / WDI_DIR / f"WDI_{code}_{extract_date}_EXTRACT.csv").data
            new["source_detail"] = new["source_detail"] + " (extract: Viet Nam, ASEAN peers and a few others)"
            keep = ~out.set_index(["entity", "year"]).index.isin(new.set_index(["entity", "year"]).index)
            out = pd.concat([out[keep], new], ignore_index=True)
        out["year"] = out["year"].astype("Int64")
        return out

    return build


# how each file is built from its inputs (build_raw adds them to its own; what the manifest says of it: datasets.yaml)
BUILDERS: dict[str, Callable[[Path], pd.DataFrame]] = {
    "r57_targets": build_r57_targets,
    "vn_r57_indicators": build_vn_r57_indicators,
    "wdi_patent_applications_residents": lambda ref_dir: (
        read_bulk_csv(Path(ref_dir) / WDI_DIR / "WDI_IP.PAT.RESD_20260128.csv").data
    ),
    "wdi_patent_applications_nonresidents": _api_builder("IP.PAT.NRES", "2025-05-07"),
    "wdi_journal_articles": _api_builder("IP.JRN.ARTC.SC", "2025-05-07"),
    "wdi_hightech_exports_pct_manufactured": _api_builder("TX.VAL.TECH.MF.ZS", "2025-05-30", "20260408"),
    "wdi_hightech_exports_usd": _api_builder("TX.VAL.TECH.CD", "2025-05-30", "20260408"),
    "wdi_merchandise_exports_usd": _api_builder("TX.VAL.MRCH.CD.WT", "2025-05-07"),
}
