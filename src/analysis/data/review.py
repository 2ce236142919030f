"""``r57 data build`` with review: rebuild ``data/raw`` aside, show every changed value, and adopt the files
and re-sign the manifests only with ``--accept`` (a changed input must never be adopted silently).
"""

from __future__ import annotations

import shutil
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from analysis import paths
from analysis.data.datasets import DATASETS, INPUTS, MANIFEST_FIELDS
from analysis.data.manifest import REFRESHED_BY, data_lock, read_manifest, restore_advice, sha256_of
from analysis.errors import ChecksumError, DataError, InputError

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
    """Print how one freshly built file differs from the one in ``raw`` (its bytes, not only its manifest entry:
    a damaged or missing file is shown and restored); say whether it changed.
    """
    if old.get("sha256") == e["sha256"] and (raw / e["file"]).is_file() and sha256_of(raw / e["file"]) == e["sha256"]:
        return False
    log(f"{e['file']}:")
    for line in diff_file(raw / e["file"], tmp / e["file"], list(DATASETS[e["file"].removesuffix(".csv")].schema.key)):
        log(line)
    return True


def _adopt(changed_files: list[str], raw: Path, tmp: Path) -> None:
    """Move the changed (or missing: :func:`_review_entry`) built files into ``raw``, then the re-signed manifest."""
    raw.mkdir(parents=True, exist_ok=True)
    for file in changed_files:  # check_data_dir refused a folder or a link in a data file's place
        shutil.move(str(tmp / file), raw / file)
    shutil.move(str(tmp / "manifest.yaml"), raw / "manifest.yaml")  # re-signed last


def _new_versions(version: str, compiled: str, inputs_changed: bool, raw_changed: bool, kept: bool) -> tuple[str, str]:
    """(data/raw's version, the compilation's) after an accepted build: a state neither version named gets a new
    name (:func:`~analysis.data.refresh.next_version`, counted on from the later of the two today). The
    compilation's version names its files and, unless refreshed files are kept, the data built from them."""
    from analysis.data.refresh import day_count, next_version

    today = date.today().isoformat()

    def latest() -> str:  # the later of the two versions today, which a new one counts on from
        return max((version, compiled), key=lambda v: day_count(v, today))

    if raw_changed or (inputs_changed and not kept):
        version = next_version(latest(), today, "refresh" if kept else "build")
    if not kept:
        return version, version
    return version, next_version(latest(), today, "build") if inputs_changed else compiled


class BuildFlagError(DataError, InputError):
    """A ``--data-dir`` or ``--from-compilation`` that ``r57 data build`` cannot honour."""


def check_data_dir(raw: Path) -> None:
    """Refuse a ``--data-dir`` that is neither a data folder (with a readable ``manifest.yaml``) nor new or empty:
    the build writes only where it can tell which files are its own.
    """
    if raw.exists() and not raw.is_dir():
        raise BuildFlagError(f"--data-dir {raw} is not a folder; give a copy of data/raw or a new folder")
    if raw.is_dir() and any(raw.iterdir()) and not (raw / "manifest.yaml").is_file():
        raise BuildFlagError(
            f"--data-dir {raw} holds files but no manifest.yaml, so it is not a data folder r57 wrote; give a "
            "copy of data/raw or a new (or empty) folder"
        )
    for path in (raw / "manifest.yaml", *(raw / f"{name}.csv" for name in DATASETS)):
        if path.is_symlink() or path.exists() and not path.is_file():
            raise BuildFlagError(
                f"--data-dir {raw} holds {path.name}, which is a folder or a link where the build writes a file; "
                "move it away (the build replaces only regular files). Nothing was built or written"
            )
    manifest = raw / "manifest.yaml"
    if manifest.is_file():
        try:
            read_manifest(manifest)
        except DataError as exc:
            raise DataError(
                f"{manifest} (sha256 {sha256_of(manifest)}) cannot be read, so the build cannot tell which files "
                f"are refreshed or whether they are sound: restore it from a copy or data/archive (git for the "
                f"compilation's); nothing was built or written ({exc})"
            ) from None


def signs_its_own(reference: Path, raw: Path, compiled: str, new_compiled: str, inputs: int) -> bool:
    """Whether accepting would re-sign (``inputs`` checksums, version ``compiled`` -> ``new_compiled``) the compilation
    data/raw is built from (:data:`~analysis.paths.REFERENCE_DIR`) for a build of another data folder: data/raw would
    then pass ``r57 data verify`` without being rebuilt from it, so ``--accept`` refuses it."""
    if not inputs and new_compiled == compiled:
        return False
    return reference.resolve() == paths.REFERENCE_DIR.resolve() and raw.resolve() != paths.RAW_DATA_DIR.resolve()


def check_signs_its_own(own: bool, reference: Path, raw: Path, compiled: str, new_compiled: str, inputs: int) -> None:
    """Refuse an ``--accept`` that :func:`signs_its_own` (``own``) names."""
    if not own:
        return
    raise BuildFlagError(
        f"--accept would re-sign {reference / 'manifest.yaml'} ({inputs} input checksum(s), version {compiled} -> "
        f"{new_compiled}), the compilation {paths.RAW_DATA_DIR} is built from, for a build of {raw}; give --reference "
        f"a copy of {reference} (cp -r {reference} DIR) to build {raw} from and sign; nothing was written"
    )


def _keep_refreshed(
    entries: list[dict], old: dict[str, dict], raw: Path, back: set[str], log
) -> tuple[list[dict], list[str], dict[str, tuple[str, str]]]:
    """``entries`` with the entry of each file `r57 data refresh` wrote put back as it is, unless it is one of the
    files to go ``back`` to the compilation; an unchanged panel keeps the aggregates a refresh recorded. Returns
    (the entries, the files kept, {file going back that fails its checksum: (signed sha256, its sha256)}).

    Raises
    ------
    ChecksumError
        If ``raw`` holds a file `r57 data refresh` wrote and any other file is missing or differs from its entry:
        the build cannot rebuild a refreshed file, and archives such a vintage (:func:`build_reviewed`) only as
        signed.
    """
    refreshed = {f for f, e in old.items() if e.get("built_by") == REFRESHED_BY}
    if back - refreshed:
        names = ", ".join(sorted(f.removesuffix(".csv") for f in refreshed)) or "none"
        raise BuildFlagError(
            f"--from-compilation {min(back - refreshed).removesuffix('.csv')}: not a dataset `r57 data refresh` "
            f"wrote in {raw}; those are: {names}"
        )
    damaged = {}
    for file in sorted(old if refreshed else ()):
        actual = sha256_of(raw / file) if (raw / file).is_file() else "none (missing)"
        if actual != old[file]["sha256"] and file in back:  # replaced from the compilation, not archived
            damaged[file] = (old[file]["sha256"], actual)
        elif actual != old[file]["sha256"]:
            advice = restore_advice(file, old[file], raw) or (
                f"{raw} holds refreshed files, so it is archived only as signed: restore {file} from a copy, the "
                "archive (data/archive) or git (git checkout -- <file>)."
            )
            raise ChecksumError(str(raw / file), old[file]["sha256"], actual, advice)
    out, kept = [], []
    for e in entries:
        before = old.get(e["file"], {})
        if e["file"] in refreshed - back:
            if before["sha256"] != e["sha256"]:
                newer = " (newer than the refresh)" if str(e["retrieved"]) > str(before["retrieved"]) else ""
                log(
                    f"kept {e['file']}: refreshed from the World Bank API on {before['retrieved']}, not replaced by "
                    f"the compilation{newer} retrieved {e['retrieved']}; `r57 data build --from-compilation "
                    f"{e['file'].removesuffix('.csv')}` goes back to the compilation"
                )
            kept.append(e["file"])
            e = before
        elif before.get("aggregates") and before["sha256"] == e["sha256"]:
            e = e | {k: before[k] for k in ("aggregates", "notes")}
        out.append(e)
    return out, kept, damaged


def build_reviewed(
    reference: Path | None = None,
    accept: bool = False,
    log=print,
    raw: Path | None = None,
    from_compilation: list[str] | tuple[str, ...] = (),
) -> tuple[bool, list[str], list[str], list[str], bool]:
    """Check the inputs, build aside, print the differences; with ``accept`` adopt them and re-sign both
    manifests. A file `r57 data refresh` wrote is kept, unchanged, unless ``from_compilation`` names it; a vintage
    holding such files is archived before any of its files is replaced, as a refresh archives one. Returns
    (anything changed, changed files of ``raw`` (default data/raw), changed inputs, refreshed files kept, whether
    accepting them needs a copy of ``reference``: :func:`signs_its_own`, which ``accept`` refuses).
    """
    from analysis.data.build_raw import build_all
    from analysis.data.manifest import SOURCE_FIELDS, input_changes, resign, write_manifest
    from analysis.data.refresh import archive_vintage

    reference = Path(reference or paths.REFERENCE_DIR)
    raw = Path(raw or paths.RAW_DATA_DIR)
    check_data_dir(raw)
    raw.parent.mkdir(parents=True, exist_ok=True)
    # a refresh or another build of ``raw`` waits: each writes the manifest it read
    with data_lock(raw), tempfile.TemporaryDirectory(prefix=".data-build-", dir=raw.parent) as tmp_name:
        tmp = Path(tmp_name)
        entries = build_all(reference, tmp)  # first: an unreadable input is refused by name before anything else
        inputs = input_changes(reference, INPUTS)
        compiled = read_manifest(reference / "manifest.yaml", SOURCE_FIELDS).version
        for rel, recorded, actual in inputs:
            log(
                f"input {reference / rel}: sha256 {actual}; {reference / 'manifest.yaml'} version {compiled} records "
                f"{recorded} (edited, or corrupt: if you did not edit it, restore it with git; `--accept` signs it "
                "under a new version)"
            )
        old_manifest = read_manifest(raw / "manifest.yaml") if (raw / "manifest.yaml").is_file() else None
        old_entries = old_manifest.entries if old_manifest else {}
        back = {f"{name.removesuffix('.csv')}.csv" for name in from_compilation}
        entries, kept, damaged = _keep_refreshed(entries, old_entries, raw, back, log)
        version = old_manifest.version if old_manifest else compiled  # kept while what it records is
        write_manifest(entries, version, tmp / "manifest.yaml")
        changed_files = [
            e["file"]
            for e in entries
            if e["file"] not in kept and _review_entry(e, old_entries.get(e["file"], {}), raw, tmp, log)
        ]
        changed_inputs = [rel for rel, _, _ in inputs]
        for e in entries:  # what datasets.yaml now says of a file (its provenance), shown field by field
            old = old_entries.get(e["file"], {})
            fields = [k for k in (*MANIFEST_FIELDS, "notes") if old and old.get(k) != e.get(k)]
            if fields:
                log(f"{e['file']}: manifest {', '.join(fields)} changed (datasets.yaml)")
        same_manifest = (raw / "manifest.yaml").is_file() and (raw / "manifest.yaml").read_bytes() == (
            tmp / "manifest.yaml"
        ).read_bytes()
        if not changed_files and not changed_inputs and same_manifest:
            return False, [], [], kept, False
        before = version
        version, new_compiled = _new_versions(
            version, compiled, bool(changed_inputs), bool(old_manifest and not same_manifest), bool(kept)
        )
        own = signs_its_own(reference, raw, compiled, new_compiled, len(changed_inputs))
        if accept:
            check_signs_its_own(own, reference, raw, compiled, new_compiled, len(changed_inputs))
            if version != before:
                write_manifest(entries, version, tmp / "manifest.yaml")
                log(f"manifest version {before} -> {version}")
            if new_compiled != compiled:
                log(f"{reference / 'manifest.yaml'}: version {compiled} -> {new_compiled}")
            if any(e.get("built_by") == REFRESHED_BY for e in old_entries.values()):
                # a vintage holding refreshed files (not rebuilt from git) is archived as a refresh archives it
                target = archive_vintage(raw, raw.parent / "archive", changed_files, version, damaged)
                log(f"archived manifest version {old_manifest.version} in {target}")
            _adopt(changed_files, raw, tmp)
            if changed_inputs or new_compiled != compiled:
                resign(reference, changed_inputs, new_compiled)
        return True, changed_files, changed_inputs, kept, own
