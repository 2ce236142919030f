"""Run records, locks and atomic writes shared by run-all and the site.

- ``reports/<scenario>/run.json``: what the last run of a scenario did (status, fingerprint, key
  figures and the previous run's, times); :func:`read_record` reads it.
- :func:`write_atomic`: a file replaced by a rename, world-readable like the reports.
- :func:`locked`: an exclusive lock per name, shared by every r57 process on one reports folder.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from analysis import paths
from analysis.errors import R57Error

RUN_RECORD = "run.json"


def read_record(name: str) -> dict[str, Any]:
    path = paths.REPORTS_DIR / name / RUN_RECORD
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


SITE_FILE_MODE = 0o644  # like the reports: a web server running as another user can serve them


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` (world-readable) through a temporary file and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.chmod(tmp, SITE_FILE_MODE)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


_HELD: set[str] = set()  # the locks this process holds now


def holding(name: str) -> bool:
    """True while this process holds the lock ``name`` (:func:`locked`)."""
    return name in _HELD


@contextlib.contextmanager
def locked(name: str) -> Iterator[None]:
    """An exclusive lock shared by every r57 process on this reports folder.

    filelock opens the lock file with O_NOFOLLOW, and a linked ``.locks`` folder is refused, so a
    symbolic link planted there can never make r57 write through it. The lock is an flock: it dies
    with the process that held it, so a killed run never leaves a stale lock behind.
    """
    from filelock import FileLock

    lock_dir = paths.REPORTS_DIR / ".locks"
    if lock_dir.is_symlink():
        raise R57Error(f"{lock_dir} is a symbolic link; r57 does not follow it. Remove it and run again.")
    lock_dir.mkdir(parents=True, exist_ok=True)
    try:
        lock = FileLock(str(lock_dir / f"{name.replace('/', '+')}.lock"))  # vi/rd-baseline: one flat folder
        lock.acquire()
    except OSError as exc:
        raise R57Error(
            f"cannot take the lock {lock_dir / (name + '.lock')}: {exc.strerror or exc}"
            " (a symbolic link or a folder there is refused; remove it)"
        ) from None
    _HELD.add(name)
    try:
        yield
    finally:
        _HELD.discard(name)
        lock.release()
