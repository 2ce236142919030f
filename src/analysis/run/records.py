"""Run records (``reports/<scenario>/run.json``: what the last run did) and :func:`locked`, a lock per name
shared by every r57 process on one reports folder."""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from analysis import paths
from analysis.data.yamlfile import read_input_file
from analysis.errors import InputError, R57Error, shorten

RUN_RECORD = "run.json"


MAX_JSON_BYTES = 64 << 20  # a run record, manifest or results.json r57 writes is far smaller


def load_json(path: Path) -> Any:
    """The JSON document in ``path``, read as :func:`analysis.data.yamlfile.read_input_file` reads an input (a
    regular file, never a FIFO waited on, of at most :data:`MAX_JSON_BYTES`); InputError naming it when it is not
    one, or not JSON, or nested too deeply."""
    text = read_input_file(path, MAX_JSON_BYTES, "JSON record")
    try:
        return json.loads(text)
    except RecursionError:
        raise InputError(f"{path}: JSON nested too deeply to be what r57 writes") from None
    except ValueError as exc:  # not JSON
        raise InputError(f"{path} is not JSON text ({shorten(str(exc))})") from None


def read_json(path: Path) -> dict[str, Any]:
    """The JSON mapping in ``path``; {} when it is missing, or not a mapping r57 could have written
    (:func:`load_json`): whoever relies on it then treats the file as foreign."""
    try:
        found = load_json(path)
    except InputError:
        return {}
    return found if isinstance(found, dict) else {}


def read_record(name: str, reports_dir: Path | None = None) -> dict[str, Any]:
    """Scenario folder ``name``'s run record ({} when it has none)."""
    return read_json(Path(reports_dir or paths.REPORTS_DIR) / name / RUN_RECORD)


LOCK_WAIT_S = 900.0  # longest wait for a lock another r57 process holds; R57_LOCK_WAIT_S overrides it


class LockTimeout(R57Error):
    """A lock was still held by another r57 process after :data:`LOCK_WAIT_S` seconds."""


def lock_holder(path: Path) -> int | None:
    """The id of the process holding the flock on ``path`` (from ``/proc/locks``), or None if unknown."""
    try:
        st = os.stat(path)
        lines = Path("/proc/locks").read_text().splitlines()
    except OSError:
        return None
    inode = f":{st.st_ino}"
    for line in lines:
        fields = line.split()  # "1: FLOCK  ADVISORY  WRITE 12345 08:01:4567 0 EOF" (blocked waiters: "->")
        if len(fields) >= 6 and "->" not in fields and fields[1] == "FLOCK" and fields[5].endswith(inode):
            try:
                return int(fields[4])
            except ValueError:
                return None
    return None


def _lock_wait_s() -> float:
    text = os.environ.get("R57_LOCK_WAIT_S", "")
    try:
        value = float(text) if text else LOCK_WAIT_S
    except ValueError:
        value = -1.0
    if not (0 <= value < float("inf")):
        raise R57Error(f"R57_LOCK_WAIT_S={text!r}: give the longest wait for a lock in seconds (0 or more)")
    return value


_HELD: set[str] = set()  # the locks this process holds now


def holding(name: str) -> bool:
    """True while this process holds the lock ``name`` (:func:`locked`)."""
    return name in _HELD


@contextlib.contextmanager
def locked(name: str, wait_s: float | None = None) -> Iterator[None]:
    """An exclusive flock shared by every r57 process on this reports folder (it dies with its process).

    A link at ``.locks`` is refused (filelock opens with O_NOFOLLOW). While another process holds it, one
    line on stderr names the holder; after ``wait_s`` seconds (default :data:`LOCK_WAIT_S`, or
    ``R57_LOCK_WAIT_S``) :class:`LockTimeout`."""
    from filelock import FileLock, Timeout

    wait_s = _lock_wait_s() if wait_s is None else wait_s
    lock_dir = paths.REPORTS_DIR / ".locks"
    if lock_dir.is_symlink():
        raise R57Error(f"{lock_dir} is a symbolic link; r57 does not follow it. Remove it and run again.")
    lock_dir.mkdir(parents=True, exist_ok=True)
    path = lock_dir / f"{name.replace('/', '+')}.lock"  # vi/rd-baseline: one flat folder
    try:
        lock = FileLock(str(path))
        try:
            lock.acquire(timeout=0)
        except Timeout:
            holder = lock_holder(path)
            who = f"process {holder}" if holder else "another r57 process"
            print(
                f"r57: waiting for the lock {path}, held by {who} (at most {wait_s:g} s)", file=sys.stderr, flush=True
            )
            try:
                lock.acquire(timeout=wait_s)
            except Timeout:
                raise LockTimeout(
                    f"gave up after {wait_s:g} s waiting for the lock {path}, held by {who}; "
                    "let that run finish (or stop it) and run again"
                ) from None
    except OSError as exc:
        raise R57Error(
            f"cannot take the lock {path}: {exc.strerror or exc} (a symbolic link or a folder there is refused; remove it)"
        ) from None
    _HELD.add(name)
    try:
        yield
    finally:
        _HELD.discard(name)
        lock.release()
