"""Dataset registry and validated loaders for ``data/raw/``: each dataset is described once, in ``datasets.yaml``
beside this module; ``load("vn_gdp")`` returns the tidy frame checked against the manifest and its schema.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

from analysis import paths
from analysis.data.build_targets import TARGET_COLUMNS, build_r57_targets
from analysis.data.manifest import SOURCE_FIELDS, input_changes, read_manifest, sha256_of, verify_file
from analysis.data.schema import RANK_COLUMNS, DatasetSchema, read_yaml_checked, validate_tidy
from analysis.data.schema import IndicatorRule as R
from analysis.errors import DataError

METADATA_PATH = Path(__file__).with_name("datasets.yaml")
_LAYOUTS = {
    "tidy": {},
    "rank": {
        "columns": tuple(RANK_COLUMNS),
        "key": ("index_name", "entity", "indicator", "year", "source", "qualifier"),
    },
    "targets": {"columns": tuple(TARGET_COLUMNS), "key": ("target_id",)},
}
_TEXTS = {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1}
_PROPERTIES = {
    "description": {"type": "string", "minLength": 1},
    "title": {"type": "string", "minLength": 1},
    "producer": _TEXTS,
    "dataset": _TEXTS,
    "edition": {"type": "string", "minLength": 1},
    "url": _TEXTS,
    "licence": {"type": "string", "minLength": 1},
    "retrieved": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"},
    "inputs": _TEXTS,
    "notes": {"type": "string"},
    "layout": {"enum": list(_LAYOUTS)},
    "years": {"type": "array", "items": {"type": "integer"}, "minItems": 2, "maxItems": 2},
    "year_required": {"type": "boolean"},
    "indicators": {
        "type": "object",
        "minProperties": 1,
        "additionalProperties": {
            "type": "object",
            "additionalProperties": False,
            "required": ["unit", "min", "max"],
            "properties": {"unit": {"type": "string"}, "min": {"type": "number"}, "max": {"type": "number"}},
        },
    },
}
# what datasets.yaml must say of each dataset (checked when it is read): every property but notes and year_required
DATASET_SCHEMA = {
    "type": "object",
    "minProperties": 1,
    "propertyNames": {"pattern": "^[a-z][a-z0-9_]*$"},
    "additionalProperties": {
        "type": "object",
        "additionalProperties": False,
        "required": [k for k in _PROPERTIES if k not in ("notes", "year_required")],
        "properties": _PROPERTIES,
    },
}
MANIFEST_FIELDS = SOURCE_FIELDS[1:]  # the fields of a dataset's entry the manifest repeats (build_raw writes them)


@dataclass(frozen=True)
class Dataset:
    """One dataset of data/raw as ``datasets.yaml`` describes it: its schema and provenance (``meta``)."""

    name: str
    description: str
    schema: DatasetSchema
    meta: dict[str, Any]

    @property
    def file(self) -> str:
        return f"{self.name}.csv"

    def contents(self, df: pd.DataFrame, path: Path) -> dict[str, Any]:
        """What a manifest entry records of this dataset's file ``path``, written from ``df``: its checksum, size
        and rows, and the indicators, years, columns and sources it holds (a build's entry, a refresh's)."""
        return {
            "sha256": sha256_of(path),
            "bytes": path.stat().st_size,
            "rows": int(len(df)),
            "indicators": sorted(df["indicator"].unique().tolist()),
            "years": [int(df["year"].min()), int(df["year"].max())],
            "columns": list(self.schema.columns),
            "sources": sorted(df["source"].unique().tolist()),
        }


def read_metadata(path: Path = METADATA_PATH) -> dict[str, Dataset]:
    """The datasets described in ``path``, checked against :data:`DATASET_SCHEMA`.

    Raises
    ------
    DataError
        If the file is missing, not YAML, or an entry breaks the schema (naming the entry and field).
    """
    doc = read_yaml_checked(path, DATASET_SCHEMA, "dataset metadata")
    out = {}
    for name, e in doc.items():
        lo, hi = e["years"]
        rules = {code: R(r["unit"], float(r["min"]), float(r["max"])) for code, r in e["indicators"].items()}
        schema = DatasetSchema(
            name, rules, year_range=(lo, hi), year_required=e.get("year_required", True), **_LAYOUTS[e["layout"]]
        )
        meta = {
            k: v for k, v in e.items() if k not in {"description", "layout", "years", "year_required", "indicators"}
        }
        out[name] = Dataset(name, e["description"], schema, meta)
    return out


DATASETS: dict[str, Dataset] = read_metadata()
INPUTS: list[str] = sorted({rel for spec in DATASETS.values() for rel in spec.meta["inputs"]})  # of data/external


def _spec(name: str) -> Dataset:
    try:
        return DATASETS[name]
    except KeyError:
        raise DataError(f"unknown dataset {name!r}; known: {', '.join(sorted(DATASETS))}") from None


@cache
def _load_cached(name: str, data_dir: str, sha: str) -> tuple[pd.DataFrame, str]:
    """The validated frame, and what was filled in of an older vintage ("" for a current file)."""
    spec = _spec(name)
    path = Path(data_dir) / spec.file
    df = pd.read_csv(path, dtype={"qualifier": str, "source_detail": str}, keep_default_na=True)
    df["qualifier"] = df["qualifier"].fillna("")
    filled = ""
    if name == "r57_targets" and "unit_kind" not in df.columns:
        df = _with_unit_kind(df, path)
        filled = f"unit_kind taken from {paths.REFERENCE_DIR / 'targets'} by target_id (archived without it)"
    return validate_tidy(df, spec.schema, str(path)), filled


def _with_unit_kind(df: pd.DataFrame, path: Path) -> pd.DataFrame:
    """A targets file archived before ``unit_kind`` was a column (0531700), with each target's unit kind taken
    from the compiled targets (``data/external/targets``) by target id."""
    kinds = build_r57_targets(paths.REFERENCE_DIR).set_index("target_id")["unit_kind"]
    unknown = sorted(set(df["target_id"]) - set(kinds.index))
    if unknown:
        raise DataError(
            f"{path}: no unit_kind column (archived before it was one), and target(s) {', '.join(unknown)} are not "
            f"in {paths.REFERENCE_DIR / 'targets'} to take it from; add unit_kind (share, growth or level) by hand"
        )
    return df.assign(unit_kind=df["target_id"].map(kinds))


_READ: set[str] = set()  # the datasets this process has loaded from data/raw: a report's footer lists its kernel's
# {(data folder, file): what the loader filled in} of the file :func:`load` last returned from that folder
_FILLED: dict[tuple[str, str], str] = {}


def filled_so_far(data_dir: Path | None = None) -> dict[str, str]:
    """What :func:`load` filled in of an older vintage in ``data_dir`` (default data/raw), by file, as of the
    last load of each file (empty for a current one)."""
    folder = str(Path(data_dir or paths.RAW_DATA_DIR).resolve())
    return {file: note for (where, file), note in _FILLED.items() if where == folder and note}


def clear_cache() -> None:
    """Forget the frames loaded and what was filled in: the next :func:`load` reads and checks each file again."""
    _load_cached.cache_clear()
    _FILLED.clear()


def read_so_far() -> frozenset[str]:
    """The datasets :func:`load` has returned in this process."""
    return frozenset(_READ)


def load(name: str, data_dir: Path | None = None, fresh: bool = False) -> pd.DataFrame:
    """Load dataset ``name`` from data/raw, verified against the manifest and its schema; a copy.

    The checksum is computed once per process for an unchanged file (``fresh`` forces it); the name is recorded
    for :func:`read_so_far`.
    """
    frame, filled = _load(name, data_dir, fresh)
    _READ.add(name)
    _FILLED[(str(Path(data_dir or paths.RAW_DATA_DIR).resolve()), _spec(name).file)] = filled
    return frame


def _load(name: str, data_dir: Path | None, fresh: bool) -> tuple[pd.DataFrame, str]:
    data_dir = Path(data_dir or paths.RAW_DATA_DIR)
    manifest = read_manifest(data_dir / "manifest.yaml")
    spec = _spec(name)
    verify_file(spec.file, manifest, data_dir, fresh=fresh)
    frame, filled = _load_cached(name, str(data_dir), manifest.entry(spec.file)["sha256"])
    return frame.copy(), filled


def verify_inputs(reference_dir: Path | None = None) -> list[tuple[str, str]]:
    """Check the inputs of ``data/raw`` (``data/external``) against their manifest; return [(input, problem)]."""
    reference_dir = Path(reference_dir or paths.REFERENCE_DIR)
    try:
        changes = input_changes(reference_dir, INPUTS)
    except DataError as exc:
        return [(str(reference_dir), str(exc))]
    return [
        (
            str(reference_dir / rel),
            f"changed since data/raw was built: {reference_dir / 'manifest.yaml'} records sha256 {expected}, "
            f"file has {actual}. Restore it with git, or run `r57 data build` to see what it changes, then "
            "`r57 data build --accept` to adopt it",
        )
        for rel, expected, actual in changes
    ]


def verify_all(data_dir: Path | None = None, reference_dir: Path | None = None) -> list[tuple[str, str]]:
    """Check every dataset, manifest entry and input; return [(file, problem)] (empty = all good)."""
    data_dir = Path(data_dir or paths.RAW_DATA_DIR)
    problems: list[tuple[str, str]] = []
    try:
        manifest = read_manifest(data_dir / "manifest.yaml")
    except DataError as exc:
        return [("manifest.yaml", str(exc))]
    for name, spec in DATASETS.items():
        try:
            df, _ = _load(name, data_dir, fresh=True)  # a check, not a read: not recorded
            rows = manifest.entry(spec.file)["rows"]
            if len(df) != rows:
                problems.append((spec.file, f"{len(df)} rows, manifest says {rows}"))
        except DataError as exc:
            problems.append((spec.file, str(exc)))
    known = {d.file for d in DATASETS.values()} | {"manifest.yaml", "ARCHIVED.yaml"}  # ARCHIVED: see refresh
    for file in manifest.entries:
        if file not in known:
            problems.append((file, "listed in the manifest but not a known dataset"))
    for path in sorted(data_dir.glob("*")):
        if path.name not in known and not path.name.startswith("."):
            problems.append((path.name, "file in data/raw without a manifest entry"))
    return problems + verify_inputs(reference_dir)
