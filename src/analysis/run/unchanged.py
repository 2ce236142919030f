"""``r57 run-all`` with nothing changed, settled without importing the reports.

After a run-all that left every report up to date (none failed or refused), run-all records in
``reports/.r57-run-all.json`` a digest of everything a report's fingerprint reads (the package's code and
catalogues, the notebooks, scenarios and data files, the installed distributions), of the key-figure history
the index compares, and of the report folders (their files, and each run record). The next run-all with the same digest has nothing to do: it says so
without starting Python's scientific stack. Any difference, however small, sends it through the full check
(:mod:`analysis.run.batch`), which decides report by report.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

from analysis import paths
from analysis.run import ownership
from analysis.run.records import read_json

RECORD = ".r57-run-all.json"
UNCHANGED = "unchanged since the last successful run"


def digest(only: str | None, langs: tuple[str, ...]) -> str:
    """SHA-256 over the run's options, its inputs and the report folders as they are now."""
    h = hashlib.sha256(json.dumps([only, list(langs), sys.executable, sys.version]).encode())
    inputs = (
        paths.SOURCE_DIR,
        paths.NOTEBOOKS_DIR,
        paths.SCENARIOS_DIR,
        paths.RAW_DATA_DIR,
        paths.MANIFEST_PATH,
        paths.history_dir(),
    )
    for top in inputs:
        for p in sorted(top.rglob("*")) if top.is_dir() else [top]:
            if p.is_file() and "__pycache__" not in p.parts:
                h.update(f"{p} {p.is_symlink()}\n".encode())
                h.update(p.read_bytes())
    for entry in sys.path:  # each installed distribution's name and version (an upgrade changes them)
        with_meta = Path(entry).glob("*.*-info") if Path(entry).is_dir() else ()
        h.update(" ".join(sorted(p.name for p in with_meta)).encode())
    for p in sorted(paths.REPORTS_DIR.rglob("*")):
        rel = p.relative_to(paths.REPORTS_DIR)
        if len(rel.parts) > 3 or rel.parts[0] in (RECORD, ".locks") or p.name == ownership.MANIFEST:
            continue
        h.update(f"{rel}\n".encode())
        if p.name == "run.json" and p.is_file():
            h.update(p.read_bytes())
    return h.hexdigest()


def remember(only: str | None, langs: tuple[str, ...], scenarios: list[str]) -> None:
    """Record the digest after a run-all whose ``scenarios`` (report folder names) are all up to date."""
    record = {"digest": digest(only, langs), "scenarios": scenarios}
    ownership.write_file(paths.REPORTS_DIR / RECORD, json.dumps(record, indent=1), "run-all record")


def forget() -> None:
    """Remove the record: a run-all starts (it may fail, be refused a report or be stopped)."""
    path = paths.REPORTS_DIR / RECORD
    if path.is_file() and not path.is_symlink():
        path.unlink()


def nothing_to_regenerate(reports: int) -> str:
    """run-all's plan when every one of its ``reports`` (a scenario in one edition) is unchanged."""
    if reports == 1:
        return "nothing to regenerate: the only report is unchanged since its last successful run"
    return f"nothing to regenerate: all {reports} reports are unchanged since their last successful run"


def settled(only: str | None, langs: tuple[str, ...], log=print) -> bool:
    """True, having said so as run-all does, when the digest is the recorded one: nothing to regenerate."""
    record = read_json(paths.REPORTS_DIR / RECORD)
    if not record.get("scenarios") or record.get("digest") != digest(only, langs):
        return False
    names = record["scenarios"]
    for name in names:
        log(f"SKIPPED {name}: {UNCHANGED}")
    log(f"r57 run-all: {nothing_to_regenerate(len(names))}")
    log(f"r57 run-all: 0 ok, {len(names)} skipped, 0 failed, 0 refused; site: {paths.REPORTS_DIR / 'index.html'}")
    return True
