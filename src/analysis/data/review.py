"""``r57 data build`` with review: rebuild ``data/raw`` aside, show every changed value, and
replace the files and re-sign the manifest only with ``--accept``.

A changed reference file (``shared/reference``) is how a wrong number gets into the reports;
rebuilding must never adopt one silently. The build runs into a hidden folder beside
``data/raw``; the differences are printed value by value (old -> new, rows added and
removed, inputs whose checksum changed); ``--accept`` moves the new files in, manifest last.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd

from analysis import paths
from analysis.data.datasets import DATASETS

MAX_LINES_PER_FILE = 40  # the rest of a file's changes is counted, not printed


def _read(path: Path) -> pd.DataFrame | None:
    if not path.is_file():
        return None
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def diff_file(old_path: Path, new_path: Path, key: list[str]) -> list[str]:
    """Lines describing how ``new_path`` differs from ``old_path``, value by value."""
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
    lines = []
    for idx in old.index.difference(new.index):
        lines.append(f"  - removed {_label(key, idx)}: value {old.loc[idx].get('value', '')!r}")
    for idx in new.index.difference(old.index):
        lines.append(f"  + added {_label(key, idx)}: value {new.loc[idx].get('value', '')!r}")
    common = old.index.intersection(new.index)
    a, b = old.loc[common], new.loc[common, old.columns]
    changed = (a != b).any(axis=1)
    for idx in a.index[changed]:
        cols = [c for c in a.columns if a.at[idx, c] != b.at[idx, c]]
        what = "; ".join(f"{c}: {a.at[idx, c]!r} -> {b.at[idx, c]!r}" for c in cols)
        lines.append(f"  ~ {_label(key, idx)}: {what}")
    if len(lines) > MAX_LINES_PER_FILE:
        lines = lines[:MAX_LINES_PER_FILE] + [f"  ... and {len(lines) - MAX_LINES_PER_FILE} more change(s)"]
    return lines


def _label(key: list[str], idx: Any) -> str:
    parts = [f"{k}={v}" for k, v in zip(key, idx[:-1], strict=True) if v != ""]
    return ", ".join(parts) + (f" (duplicate {idx[-1]})" if idx[-1] else "")


def build_reviewed(reference: Path | None = None, accept: bool = False, log=print) -> tuple[bool, list[str]]:  # noqa: C901 - too branchy: to split (issue 11 follow-up)
    """Build aside, print the differences; with ``accept``, adopt them. Return (anything changed, changed files)."""
    from analysis.data.build_raw import build_all
    from analysis.data.manifest import read_manifest

    raw = paths.RAW_DATA_DIR
    raw.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".data-build-", dir=raw.parent) as tmp_name:
        tmp = Path(tmp_name)
        entries = build_all(reference, tmp)
        try:
            old_entries = read_manifest(raw / "manifest.yaml").entries
        except Exception:  # noqa: BLE001 - no or unreadable manifest: everything is new
            old_entries = {}
        changed_files = []
        for e in entries:
            old = old_entries.get(e["file"], {})
            old_inputs = {i["path"]: i.get("sha256") for i in old.get("built_from") or []}
            input_lines = [
                f"  input {i['path']}: sha256 {str(old_inputs.get(i['path']))[:12]} -> {i['sha256'][:12]}"
                for i in e["built_from"]
                if old_inputs.get(i["path"]) != i["sha256"]
            ]
            if old.get("sha256") == e["sha256"] and not input_lines:
                continue
            changed_files.append(e["file"])
            log(f"{e['file']}:")
            for line in input_lines:
                log(line)
            if old.get("sha256") != e["sha256"]:
                schema = DATASETS[e["file"].removesuffix(".csv")].schema
                for line in diff_file(raw / e["file"], tmp / e["file"], list(schema.key)):
                    log(line)
        manifest_changed = (
            not (raw / "manifest.yaml").is_file()
            or (raw / "manifest.yaml").read_bytes() != (tmp / "manifest.yaml").read_bytes()
        )
        if not changed_files and not manifest_changed:
            return False, []
        if not accept:
            return True, changed_files
        raw.mkdir(parents=True, exist_ok=True)
        for e in entries:
            if e["file"] in changed_files or not (raw / e["file"]).is_file():
                if (raw / e["file"]).is_dir():
                    shutil.rmtree(raw / e["file"])
                shutil.move(str(tmp / e["file"]), raw / e["file"])
        shutil.move(str(tmp / "manifest.yaml"), raw / "manifest.yaml")  # re-signed last
        return True, changed_files
