"""The data manifests: provenance and checksums of ``data/raw/`` (``data/raw/manifest.yaml``) and of its
inputs in ``data/external/`` (``data/external/manifest.yaml``, signed by ``r57 data build --accept``).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from analysis import paths
from analysis.data.yamlfile import read_data_yaml
from analysis.errors import ChecksumError, DataError, OutputDirError

SOURCE_FIELDS = ("file", "title", "producer", "dataset", "edition", "url", "retrieved", "licence")
REQUIRED_FIELDS = (*SOURCE_FIELDS, "sha256", "bytes", "rows")


def sha256_of(path: Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


FILE_MODE = 0o644  # whatever the umask: a web server running as another user serves the reports
# a temporary sibling of r57's (``.<name>.<pid>-<random>.part``): one of a process that is gone is litter
TEMP_RE = re.compile(r"\A\..*\.(\d+)-\w{8}\.(?:part|html)\Z")


def temporary_file(path: Path, suffix: str = ".part") -> Path:
    """A new empty temporary sibling of ``path`` named after this process (:data:`TEMP_RE`; short even for a
    255-byte name)."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name[:60]}.{os.getpid()}-", suffix=suffix)
    os.close(fd)
    return Path(tmp)


def write_atomic(path: Path, data: bytes | str, exclusive: bool = False, durable: bool = False) -> None:
    """``path`` replaced by a rename, 0644 (text as UTF-8): a full disk or a kill leaves the old file whole.

    OutputDirError when ``path`` is a symbolic link (never written through); an OSError names ``path``. With
    ``exclusive``, FileExistsError when ``path`` exists, even if another process created it meanwhile; with
    ``durable``, the bytes are on disk before the rename (for what a user wrote and r57 cannot regenerate)."""
    path = Path(path)
    if path.is_symlink():
        raise OutputDirError(f"{path} is a symbolic link; r57 does not write through links. Nothing was written.")
    data = data.encode("utf-8") if isinstance(data, str) else data
    tmp = None
    try:
        tmp = temporary_file(path)
        with open(tmp, "wb") as fh:
            fh.write(data)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        os.chmod(tmp, FILE_MODE)
        (os.link if exclusive else os.replace)(tmp, path)
    except OSError as exc:  # a full disk: the message names the file (the system names none, or the temporary)
        if not isinstance(exc, FileExistsError):
            exc.filename, exc.filename2 = str(path), None
        raise
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


@dataclass(frozen=True)
class Manifest:
    """The parsed manifest: a version string and one entry per file."""

    version: str
    entries: dict[str, dict[str, Any]]
    path: Path

    def entry(self, file: str) -> dict[str, Any]:
        try:
            return self.entries[file]
        except KeyError:
            raise DataError(
                f"{file} is not listed in {self.path}; every file in data/raw needs a manifest entry "
                "(rebuild with `r57 data build`)"
            ) from None


def _stat_key(path: Path) -> tuple[str, int, int]:
    st = path.stat()
    return str(path), st.st_mtime_ns, st.st_size


@lru_cache(maxsize=64)
def _parse_manifest(key: tuple[str, int, int]) -> Any:
    return read_data_yaml(Path(key[0]), "data manifest")


@lru_cache(maxsize=256)
def _sha256_cached(key: tuple[str, int, int]) -> str:
    return sha256_of(Path(key[0]))


def file_sha256(path: Path) -> str:
    """sha256 of a file, computed once per process for each (path, modification time, size)."""
    return _sha256_cached(_stat_key(Path(path)))


def read_manifest(path: Path | None = None, required: tuple[str, ...] = REQUIRED_FIELDS) -> Manifest:
    """Load and check the manifest (parsed once per process while unchanged); each entry needs the ``required`` fields."""
    path = Path(path or paths.MANIFEST_PATH)
    try:
        doc = _parse_manifest(_stat_key(path))
    except FileNotFoundError:
        raise DataError(f"data manifest not found at {path}; run `r57 data build --accept`") from None
    files = doc.get("files") if isinstance(doc, dict) else None
    if not isinstance(files, list) or not all(isinstance(item, dict) for item in files):
        raise DataError(f"data manifest {path} must be a mapping with a 'files' list of entries")
    entries: dict[str, dict[str, Any]] = {}
    for item in doc["files"]:
        item = dict(item)  # callers may not mutate the cached parse
        missing = [f for f in required if f not in item]
        if missing:
            raise DataError(f"manifest entry {item.get('file', '?')} in {path} lacks {missing}")
        entries[item["file"]] = item
    return Manifest(version=str(doc.get("version", "")), entries=entries, path=path)


class _PlainDumper(yaml.SafeDumper):
    """Writes a list shared by two entries in full under each (no ``&id001`` anchors to follow)."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


RAW_DESCRIPTION = (
    "Provenance and checksums of every snapshot in data/raw. Generated by `r57 data build` "
    "(analysis.data.build_raw) from data/external; edit the builder or datasets.yaml, not this file."
)


def write_manifest(
    entries: list[dict[str, Any]], version: str, path: Path | None = None, description: str = RAW_DESCRIPTION
) -> Path:
    """Write the manifest, files sorted by name, in a stable diff-friendly layout."""
    path = Path(path or paths.MANIFEST_PATH)
    doc = {"version": version, "description": description, "files": sorted(entries, key=lambda e: e["file"])}
    text = yaml.dump(doc, Dumper=_PlainDumper, sort_keys=False, allow_unicode=True, width=100)
    write_atomic(path, text, durable=True)
    return path


DATA_LOCK_WAIT_S = 900.0  # longest wait for another r57 process refreshing or building the same data folder


@contextlib.contextmanager
def data_lock(data_dir: Path, wait_s: float = DATA_LOCK_WAIT_S) -> Iterator[None]:
    """Hold the data folder ``data_dir`` while a refresh or an accepted build reads its manifest and writes its
    files and manifest: a flock (filelock, as run-all locks the reports folder) on ``.<name>.lock`` beside it,
    which dies with its process. Another process waits, told so in one line on stderr.

    Raises
    ------
    DataError
        If the lock is still held after ``wait_s`` seconds, or its file cannot be opened.
    """
    from filelock import FileLock, Timeout

    path = Path(data_dir).absolute().parent / f".{Path(data_dir).name}.lock"
    lock = FileLock(str(path))
    try:
        try:
            lock.acquire(timeout=0)
        except Timeout:
            print(
                f"r57: waiting for {path}: another r57 process is refreshing or building {data_dir} "
                f"(at most {wait_s:g} s)",
                file=sys.stderr,
                flush=True,
            )
            lock.acquire(timeout=wait_s)
    except Timeout:
        raise DataError(
            f"gave up after {wait_s:g} s waiting for {path}: another r57 process is still refreshing or building "
            f"{data_dir}; let it finish (or stop it) and run again"
        ) from None
    except OSError as exc:
        raise DataError(f"cannot take the lock {path}: {exc.strerror or exc}; remove what is there") from None
    try:
        yield
    finally:
        lock.release()


REFRESHED_BY = "analysis.data.refresh"  # the manifest's ``built_by`` of a file `r57 data refresh` wrote


def restore_advice(file: str, entry: dict[str, Any], data_dir: Path | None = None) -> str:
    """How to restore ``file`` of ``data_dir`` when it fails its checksum: for a file `r57 data refresh` wrote
    (its entry says so, or the archive beside ``data_dir`` records that a refresh replaced it), which neither git
    nor ``r57 data build`` restores; empty (:class:`ChecksumError`'s own advice) for a compiled file."""
    name = file.removesuffix(".csv")
    if entry.get("built_by") == REFRESHED_BY:
        return (
            "It was refreshed from the World Bank API: restore it from a copy or the archive (data/archive), or "
            f"`r57 data build --from-compilation {name} --accept` to replace it from the compilation."
        )
    archive = Path(data_dir or paths.RAW_DATA_DIR).parent / "archive"
    replaced = [r.parent for r in sorted(archive.glob("*/ARCHIVED.yaml")) if file in _archived(r, "files_replaced")]
    if not replaced:
        return ""
    return (
        f"{replaced[-1]} records that `r57 data refresh` replaced it: it may be a refreshed file whose manifest "
        f"entry was lost (do not restore it from git: that discards the refresh). `r57 data refresh --only {name}` "
        f"fetches it again and records it; or restore the vintage before that refresh from {replaced[-1]}."
    )


def _archived(record: Path, key: str) -> list[Any]:
    """The list ``key`` of an archive's ``ARCHIVED.yaml`` (empty when unreadable)."""
    try:
        doc = read_data_yaml(record, "archive record")
    except DataError:
        return []
    found = doc.get(key) if isinstance(doc, dict) else None
    return found if isinstance(found, list) else []


def verify_file(file: str, manifest: Manifest, data_dir: Path | None = None, fresh: bool = False) -> Path:
    """Check one file's existence and checksum against the manifest; return its path (``fresh``: read it again)."""
    data_dir = Path(data_dir or manifest.path.parent)
    entry = manifest.entry(file)
    path = data_dir / file
    if not path.exists():
        raise DataError(f"{path} is listed in the manifest but missing; restore it with git or `r57 data build`")
    if not path.is_file():
        what = "a folder" if path.is_dir() else "not a regular file"
        raise DataError(
            f"{path} is {what}, not the data file the manifest lists; restore it with git or `r57 data build`"
        )
    actual = sha256_of(path) if fresh else file_sha256(path)
    if actual != entry["sha256"]:
        raise ChecksumError(str(path), entry["sha256"], actual, restore_advice(file, entry, data_dir))
    return path


def data_version(manifest: Manifest | None = None) -> dict[str, str]:
    """{file: first 12 hex digits of its sha256}, for footers and results.json."""
    manifest = manifest or read_manifest()
    return {name: e["sha256"][:12] for name, e in sorted(manifest.entries.items())}


def input_changes(folder: Path, needed: list[str]) -> list[tuple[str, str, str]]:
    """(relative path, recorded sha256, sha256 now) of each file of the reference folder ``folder``
    (``data/external``) whose checksum differs from its ``manifest.yaml``; ``needed``: the paths the build reads.

    Raises
    ------
    DataError
        If the manifest is missing or malformed, a path of ``needed`` is not listed, or a listed file is missing.
    """
    if not (Path(folder) / "manifest.yaml").exists():  # a FIFO or a folder there: the reader names it
        raise DataError(
            f"{folder} has no manifest.yaml naming its files' sources and checksums: put new files in data/external "
            "(docs/adding-an-edition.md), or copy data/external/manifest.yaml there and edit its entries"
        )
    manifest = read_manifest(Path(folder) / "manifest.yaml", SOURCE_FIELDS)  # a new entry: signed by --accept
    unlisted = sorted(set(needed) - set(manifest.entries))
    if unlisted:
        raise DataError(
            f"{Path(folder) / unlisted[0]} is read by `r57 data build` but not listed in {manifest.path}: add an "
            "entry naming its source (title, producer, dataset, edition, url, retrieved, licence; sha256, bytes "
            "and rows are filled in by `r57 data build --accept`)"
        )
    changes = []
    for rel, entry in sorted(manifest.entries.items()):
        path = Path(folder) / rel
        if not path.is_file():
            raise DataError(f"{path} is listed in {manifest.path} but missing; restore it with git")
        actual = sha256_of(path)
        if actual != entry.get("sha256"):
            changes.append((rel, str(entry.get("sha256") or "none (a new entry)"), actual))
    return changes


def resign(folder: Path, files: list[str], version: str | None = None) -> Path:
    """Record the current checksum, size and line count of ``files`` in ``folder``'s ``manifest.yaml``, under
    ``version`` (default: the one it has)."""
    manifest = read_manifest(Path(folder) / "manifest.yaml", SOURCE_FIELDS)
    description = str(_parse_manifest(_stat_key(manifest.path)).get("description", ""))
    entries = dict(manifest.entries)
    for rel in files:
        data = (Path(folder) / rel).read_bytes()
        entries[rel] = entries[rel] | {
            "sha256": hashlib.sha256(data).hexdigest(),
            "bytes": len(data),
            "rows": data.count(b"\n"),
        }
    return write_manifest(list(entries.values()), version or manifest.version, manifest.path, description)
