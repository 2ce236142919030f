"""``r57 data build`` with review: rebuild ``data/raw`` aside, show every changed value, and adopt the files
and re-sign the manifests only with ``--accept`` (a changed input must never be adopted silently).
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd

from analysis import paths
from analysis.data.datasets import DATASETS, MANIFEST_FIELDS

MAX_LINES_PER_FILE = 40  # the rest of a file's changes is counted, not printed


def _read(path: Path) -> pd.DataFrame | None:
    if not path.is_file():
        return None
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def diff_file(old_path: Path, new_path: Path, key: list[str]) -> list[str]:
    """How ``new_path`` differs from ``old_path``: a summary line, then value by value."""
    old, new = _read(old_path), _read(new_path)
    if old is None:
        return [f"  new file, {0 if new is None else len(new)} rows"]
    if new is None:
        return ["  file no longer built"]
    key = [k for k in key if k in old.columns and k in new.columns]
    if list(old.columns) != list(new.columns) or not key:
        return [f"  columns changed: {list(old.columns)} -> {list(new.columns)}"]
    old = old.assign(_n=old.groupby(key).cumcount()).set_index([*key, "_n"])
    new = new.assign(_n=new.groupby(key).cumcount()).set_index([*key, "_n"])
    removed, added = old.index.difference(new.index), new.index.difference(old.index)
    common = old.index.intersection(new.index)
    a, b = old.loc[common], new.loc[common, old.columns]
    changed = a.index[(a != b).any(axis=1)]
    lines = [f"  - removed {_label(key, idx)}: value {old.loc[idx].get('value', '')!r}" for idx in removed]
    lines += [f"  + added {_label(key, idx)}: value {new.loc[idx].get('value', '')!r}" for idx in added]
    for idx in changed:
        cols = [c for c in a.columns if a.at[idx, c] != b.at[idx, c]]
        what = "; ".join(f"{c}: {a.at[idx, c]!r} -> {b.at[idx, c]!r}" for c in cols)
        lines.append(f"  ~ {_label(key, idx)}: {what}")
    if len(lines) > MAX_LINES_PER_FILE:
        lines = lines[:MAX_LINES_PER_FILE] + [f"  ... and {len(lines) - MAX_LINES_PER_FILE} more change(s)"]
    summary = f"  {len(added)} row(s) added, {len(removed)} removed, {len(changed)} changed ({len(new)} rows now)"
    return [summary, *lines]


def _label(key: list[str], idx: Any) -> str:
    parts = [f"{k}={v}" for k, v in zip(key, idx[:-1], strict=True) if v != ""]
    return ", ".join(parts) + (f" (duplicate {idx[-1]})" if idx[-1] else "")


def _review_entry(e: dict, old: dict, raw: Path, tmp: Path, log) -> bool:
    """Print how one freshly built file differs from the one in ``raw``; say whether it changed."""
    if old.get("sha256") == e["sha256"]:
        return False
    log(f"{e['file']}:")
    for line in diff_file(raw / e["file"], tmp / e["file"], list(DATASETS[e["file"].removesuffix(".csv")].schema.key)):
        log(line)
    return True


def _adopt(entries: list[dict], changed_files: list[str], raw: Path, tmp: Path) -> None:
    """Move the changed (and any missing) built files into ``raw``, then the re-signed manifest."""
    raw.mkdir(parents=True, exist_ok=True)
    for e in entries:
        if e["file"] in changed_files or not (raw / e["file"]).is_file():
            if (raw / e["file"]).is_dir():
                shutil.rmtree(raw / e["file"])
            shutil.move(str(tmp / e["file"]), raw / e["file"])
    shutil.move(str(tmp / "manifest.yaml"), raw / "manifest.yaml")  # re-signed last


def build_reviewed(reference: Path | None = None, accept: bool = False, log=print) -> tuple[bool, list[str], list[str]]:
    """Check the inputs, build aside, print the differences; with ``accept`` adopt them and re-sign both
    manifests. Returns (anything changed, changed data/raw files, changed inputs).
    """
    from analysis.data.build_raw import build_all
    from analysis.data.manifest import input_changes, read_manifest, resign

    reference = Path(reference or paths.REFERENCE_DIR)
    raw = paths.RAW_DATA_DIR
    raw.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".data-build-", dir=raw.parent) as tmp_name:
        tmp = Path(tmp_name)
        entries = build_all(reference, tmp)  # first: an unreadable input is refused by name before anything else
        inputs = input_changes(reference, sorted({rel for spec in DATASETS.values() for rel in spec.meta["inputs"]}))
        for rel, recorded, actual in inputs:
            log(
                f"input {reference / rel}: sha256 {actual}; {reference / 'manifest.yaml'} records {recorded} "
                "(edited, or corrupt: if you did not edit it, restore it with git)"
            )
        try:
            old_entries = read_manifest(raw / "manifest.yaml").entries
        except Exception:  # noqa: BLE001 - no or unreadable manifest: everything is new
            old_entries = {}
        changed_files = [e["file"] for e in entries if _review_entry(e, old_entries.get(e["file"], {}), raw, tmp, log)]
        changed_inputs = [rel for rel, _, _ in inputs]
        for e in entries:  # what datasets.yaml now says of a file (its provenance), shown field by field
            old = old_entries.get(e["file"], {})
            fields = [k for k in (*MANIFEST_FIELDS, "notes") if old and old.get(k) != e.get(k)]
            if fields:
                log(f"{e['file']}: manifest {', '.join(fields)} changed (datasets.yaml)")
        old_manifest = raw / "manifest.yaml"
        same_manifest = old_manifest.is_file() and old_manifest.read_bytes() == (tmp / "manifest.yaml").read_bytes()
        if not changed_files and not changed_inputs and same_manifest:
            return False, [], []
        if accept:
            _adopt(entries, changed_files, raw, tmp)
            if changed_inputs:
                resign(reference, changed_inputs)
        return True, changed_files, changed_inputs
