"""Build ``data/raw/`` from the compiled public figures in ``data/external/`` (``R57_REFERENCE_DIR``): ``r57 data build``.

Every row keeps its source and detail; values the reference marks "not found" or "not verified" stay missing
with that ``value_type``. A rebuild reproduces the committed files byte for byte.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import paths
from analysis.data.build_rankings import build_egdi_full, build_egdi_sea, build_rank_file, build_vc
from analysis.data.build_targets import BUILDERS as TARGET_BUILDERS
from analysis.data.datasets import DATASETS
from analysis.data.schema import RANK_COLUMNS, RAW_COLUMNS, DatasetSchema, validate_tidy
from analysis.data.wdi import UIS_SOURCE, read_bulk_csv
from analysis.errors import DataError, InputError, R57Error

SNAPSHOT_DATE = "2026-11-22"  # the day these snapshots were taken from the compiled reference figures
RETRIEVED_NOTE = (
    "Compiled into data/external from the pages and repositories named per row; the compiler "
    "recorded access dates only where source_detail gives one, so 'retrieved' is the snapshot date."
)


@dataclass(frozen=True)
class IndicatorMap:
    """How a reference indicator becomes a project indicator."""

    indicator: str
    unit: str
    value_type: str | None = None  # None: inferred (DERIVED marks -> derived, else default)


_NUM = r"[-+]?\d+(?:\.\d+)?"


def parse_value(raw: object) -> list[tuple[float, str, str | None]]:
    """Parse a reference value cell into [(value, qualifier, missing_type)].

    ``"2070000 (approx; ...)"`` -> approx; ``">2100000"``, ``">=3"`` -> at_least;
    ``"~3160000"`` -> approx; ``"70-80"`` -> two rows (range_low, range_high);
    ``"not found"`` / ``"not verified"`` -> missing with that value type.
    """
    if raw is None or (isinstance(raw, float) and np.isnan(raw)):
        return [(np.nan, "", "not_found")]
    text = str(raw).strip()
    low = text.lower()
    if low.startswith("not verified"):
        return [(np.nan, "", "not_verified")]
    if low.startswith("not found") or low == "":
        return [(np.nan, "", "not_found")]
    m = re.fullmatch(rf"({_NUM})\s*-\s*({_NUM})", text)
    if m:
        return [(float(m.group(1)), "range_low", None), (float(m.group(2)), "range_high", None)]
    qualifier = ""
    if text.startswith(">"):
        qualifier = "at_least"
    elif text.startswith("<"):
        qualifier = "at_most"
    elif text.startswith("~") or "approx" in low:
        qualifier = "approx"
    m = re.search(_NUM, text.replace(",", ""))
    if not m:
        raise DataError(f"cannot read a number from reference value {text!r}")
    return [(float(m.group(0)), qualifier, None)]


def _tidy_from_reference(
    ref: pd.DataFrame,
    mapping: dict[tuple[str, str], IndicatorMap],
    *,
    default_type: str = "reported",
    row_filter: Callable[[pd.Series], bool] | None = None,
) -> pd.DataFrame:
    rows = []
    for _, r in ref.iterrows():
        if row_filter is not None and not row_filter(r):
            continue
        if (r["indicator"], "") not in mapping:
            raise DataError(f"reference indicator {r['indicator']!r} has no row in {INDICATORS_FILE}")
        m = mapping[r["indicator"], ""]
        detail = str(r.get("source_detail", "") or "")
        ref_unit = str(r.get("unit", "") or "")
        for (name, prefix), other in mapping.items():  # one reference indicator, two measures told by their unit
            if name == r["indicator"] and prefix and ref_unit.startswith(prefix):
                m = other
        if ref_unit and ref_unit != m.unit:
            detail = f"{detail} | unit as compiled: {ref_unit}"
        is_derived = any("DERIVED" in str(r.get(c, "")) for c in ("indicator", "unit", "source"))
        for value, qualifier, missing in parse_value(r["value"]):
            if "rounded" in str(r.get("source", "")).lower() or "(rounded)" in ref_unit:
                qualifier = qualifier or "rounded"
            vtype = missing or ("derived" if is_derived else (m.value_type or default_type))
            rows.append(
                {
                    "entity": r["country_iso3"],
                    "entity_name": r["country"],
                    "indicator": m.indicator,
                    "year": r["year"],
                    "value": value,
                    "unit": m.unit,
                    "value_type": vtype,
                    "qualifier": qualifier,
                    "source": str(r["source"]).strip(),
                    "source_detail": detail.strip(),
                }
            )
    out = pd.DataFrame(rows, columns=RAW_COLUMNS)
    out["year"] = pd.to_numeric(out["year"]).astype("Int64")
    return out


def _read_ref(ref_dir: Path, rel: str) -> pd.DataFrame:
    path = ref_dir / rel
    if not path.exists():
        raise DataError(f"reference file {path} not found (R57_REFERENCE_DIR names another folder than data/external?)")
    return pd.read_csv(path, dtype={"value": str})


# how each reference indicator of the R&D CSVs becomes a project indicator (with its unit and, where it is not
# inferred, its value type), one row per dataset and indicator; unit_starts_with tells apart two measures the
# compilation holds under one indicator (VietnamPlus/VNA 2012-14 "% of government spending" is not MoF's "% of
# total state budget expenditure": two indicators, never one spliced series)
INDICATORS_FILE = "rd/indicators.csv"


def _indicator_map(ref_dir: Path, dataset: str) -> dict[tuple[str, str], IndicatorMap]:
    ref = _read_ref(ref_dir, INDICATORS_FILE).fillna("")
    return {
        (r["reference_indicator"], r["unit_starts_with"]): IndicatorMap(
            r["indicator"], r["unit"], r["value_type"] or None
        )
        for r in ref[ref["dataset"] == dataset].to_dict(orient="records")
    }


# Rows the reference CSVs do not hold as rows (figures stated in rd/REPORT.md, searches that found nothing, the
# 2026 plan targets): rd/vn_rd_extra_rows.csv, its column ``builds`` naming the dataset each row belongs to
EXTRA_ROWS_FILE = "rd/vn_rd_extra_rows.csv"


def _extra_rows(ref_dir: Path, dataset: str) -> pd.DataFrame:
    ref = _read_ref(ref_dir, EXTRA_ROWS_FILE)
    out = ref.loc[ref["builds"] == dataset, RAW_COLUMNS].fillna({"qualifier": ""}).reset_index(drop=True)
    out["value"] = pd.to_numeric(out["value"])
    out["year"] = pd.to_numeric(out["year"]).astype("Int64")
    return out


def _mapped(dataset: str, ref_dir: Path, **kw) -> pd.DataFrame:
    """``dataset`` from its reference inputs (``inputs`` in datasets.yaml), their indicators mapped by
    :data:`INDICATORS_FILE`, then its rows of :data:`EXTRA_ROWS_FILE` when that is one of its inputs.
    """
    inputs = DATASETS[dataset].meta["inputs"]
    mapping = _indicator_map(ref_dir, dataset)
    parts = [
        _tidy_from_reference(_read_ref(ref_dir, rel), mapping, **kw)
        for rel in inputs
        if rel not in (INDICATORS_FILE, EXTRA_ROWS_FILE)
    ]
    if EXTRA_ROWS_FILE in inputs:
        parts.append(_extra_rows(ref_dir, dataset))
    return pd.concat(parts, ignore_index=True)


def build_vn_rd_statements(ref_dir: Path) -> pd.DataFrame:
    out = _mapped("vn_rd_statements", ref_dir, default_type="statement")
    out.loc[out["source_detail"].str.contains("chua dat 0,7", regex=False), "qualifier"] = "at_most"
    return out


def _wdi_file(rel: str, ref_dir: Path) -> pd.DataFrame:
    path = ref_dir / rel
    if not path.exists():
        raise DataError(f"reference file {path} not found")
    return read_bulk_csv(path).data


# the builders of the files that are not a rank file, a WDI bulk file or mapped from the R&D reference CSVs (see
# builder()); what the manifest says of each file, and its inputs, are in datasets.yaml
BUILDERS: dict[str, Callable[[Path], pd.DataFrame]] = {
    "vn_rd_statements": build_vn_rd_statements,
    # peers' GERD % of GDP from releases other than WDI 2026-07-13 (cross-checks)
    "gerd_pct_gdp_vintages": partial(_mapped, "gerd_pct_gdp_vintages", row_filter=lambda r: r["source"] != UIS_SOURCE),
    "rank_un_egdi_full": build_egdi_full,
    "rank_un_egdi": build_egdi_sea,
    "vn_vc_investment": build_vc,
    **TARGET_BUILDERS,
}


def builder(name: str) -> Callable[[Path], pd.DataFrame]:
    """How dataset ``name`` is built: its own builder, else mapped from the R&D reference CSVs (when
    :data:`INDICATORS_FILE` is one of its inputs), a rank file or a WDI bulk file read from its input.
    """
    if name in BUILDERS:
        return BUILDERS[name]
    spec = DATASETS[name]
    if INDICATORS_FILE in spec.meta["inputs"]:
        return partial(_mapped, name)
    if spec.schema.columns == tuple(RANK_COLUMNS):
        return partial(build_rank_file, spec.meta["inputs"][0])
    if name.startswith("wdi_"):
        return partial(_wdi_file, spec.meta["inputs"][0])
    raise DataError(f"no builder for dataset {name}: add one to analysis.data.build_raw.BUILDERS")


def write_tidy_csv(df: pd.DataFrame, path: Path, schema: DatasetSchema) -> None:
    """Write tidy rows in the canonical, diff-stable form (``schema``'s columns sorted by its key, LF, %.10g values)."""
    out = df[list(schema.columns)].sort_values(list(schema.key), na_position="first", kind="mergesort")
    out.to_csv(path, index=False, float_format="%.10g", lineterminator="\n")


class ReferenceFileError(DataError, InputError):
    """A reference file that cannot be read as text or is not the layout its builder expects."""


def check_reference_file(path: Path, builds: str) -> None:
    """Refuse a reference input ``path`` that is not a regular file (links followed), empty, binary or not UTF-8;
    a missing file is left to the builder's message. ``builds``: the data/raw file built from it.

    Raises
    ------
    ReferenceFileError
        Naming ``path``, what is wrong and what to do.
    """
    problem = None
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return  # a missing file: the builder's own message says to set R57_REFERENCE_DIR
    except OSError as exc:
        problem = f"cannot be read: {exc.strerror or exc}"
    else:
        if not stat.S_ISREG(mode):  # a FIFO would make the builder wait forever, /dev/zero fill the memory
            kind = "a folder" if stat.S_ISDIR(mode) else "a FIFO" if stat.S_ISFIFO(mode) else "a device or socket"
            problem = f"is {kind}, not a regular file"
        elif not (raw := path.read_bytes()).strip():
            problem = "is empty"
        elif b"\0" in raw:
            problem = "is a binary file, not CSV text"
        else:
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                problem = f"is not UTF-8 text (byte {exc.start} cannot be read; Latin-1?); save it as UTF-8"
    if problem:
        raise ReferenceFileError(f"reference file {path} {problem} (it builds data/raw/{builds}); nothing was written")


def _build_one(name: str, ref_dir: Path) -> pd.DataFrame:
    """Dataset ``name`` built from ``ref_dir``; a layout the builder cannot read is a one-line :class:`ReferenceFileError`."""
    spec = DATASETS[name]
    for rel in spec.meta["inputs"]:
        check_reference_file(ref_dir / rel, spec.file)
    shown = ", ".join(str(ref_dir / rel) for rel in spec.meta["inputs"])
    try:
        df = builder(name)(ref_dir)
        validate_tidy(df, spec.schema, spec.file)
        return df
    except ReferenceFileError:
        raise
    except DataError as exc:  # a value the builder or the dataset's schema refuses: name the inputs too
        raise ReferenceFileError(
            f"cannot build data/raw/{spec.file} from {shown}: {exc}; nothing was written"
        ) from None
    except R57Error:
        raise
    except (ValueError, KeyError, IndexError, TypeError, pd.errors.ParserError) as exc:
        raise ReferenceFileError(
            f"cannot build data/raw/{spec.file} from {shown}: {type(exc).__name__}: {str(exc)[:200]} "
            "(a column or value is not what the builder expects); nothing was written"
        ) from None


def build_all(ref_dir: Path | None = None, out_dir: Path | None = None) -> list[dict]:
    """Build every data/raw file into ``out_dir``; return their manifest entries (:func:`build_reviewed` writes it)."""
    ref_dir = Path(ref_dir or paths.REFERENCE_DIR)
    out_dir = Path(out_dir or paths.RAW_DATA_DIR)
    out_dir.mkdir(parents=True, exist_ok=True)
    ref_dir = ref_dir.resolve()
    label = (
        ref_dir.relative_to(paths.PROJECT_ROOT).as_posix() if ref_dir.is_relative_to(paths.PROJECT_ROOT) else ref_dir
    )
    entries = []
    for name, spec in DATASETS.items():
        df = _build_one(name, ref_dir)
        meta, path = spec.meta, out_dir / spec.file
        write_tidy_csv(df, path, spec.schema)
        entries.append(
            {
                "file": spec.file,
                **{k: meta[k] for k in ("title", "producer", "dataset", "edition", "url", "retrieved")},
                "retrieved_note": RETRIEVED_NOTE
                if meta["retrieved"] == SNAPSHOT_DATE
                else "as recorded in data/external/manifest.yaml",
                "licence": meta["licence"],
                **spec.contents(df, path),
                "built_from": [{"path": f"{label}/{rel}"} for rel in meta["inputs"]],  # checksums: its manifest
                "built_by": "analysis.data.build_raw",
                "notes": meta.get("notes", ""),
            }
        )
    return entries
