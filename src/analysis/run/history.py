"""The site's history: ``<history>/YYYY-MM-DD.json``, each scenario's title, status and key figures from its
run record and the data version, one per day. :func:`changes` compares two snapshots figure by figure.

    python -m analysis.run.history snapshot        # write today's snapshot (scripts/scheduled-run does)
    python -m analysis.run.history changes         # what changed since the previous snapshot
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from analysis import i18n, paths
from analysis.run import ownership
from analysis.run.records import RUN_RECORD, read_json

CHANGE_COLUMNS = ["scenario", "title", "figure", "before", "after", "change"]


def snapshot(reports_dir: Path | None = None, now: datetime | None = None) -> dict[str, Any]:
    """The key figures of every scenario that has a run record, as of ``now`` (UTC)."""
    reports_dir = Path(reports_dir or paths.REPORTS_DIR)
    now = now or datetime.now(UTC)
    scenarios = {}
    for record in sorted(reports_dir.glob(f"*/{RUN_RECORD}")):
        folder = record.parent.name
        if folder.startswith(".") or folder.endswith(".failed") or folder == paths.HISTORY:
            continue
        rec = read_json(record)
        if not rec:
            continue  # a damaged record is the run's problem, not the history's
        scenarios[folder] = {k: rec.get(k, "") for k in ("notebook", "last_status", "last_success_utc")} | {
            "title": rec.get("title", folder),
            "key_figures": rec.get("key_figures") or {},
        }
    try:
        from analysis.data.manifest import read_manifest

        data_version = read_manifest().version
    except Exception:  # noqa: BLE001 - a snapshot without the data version is still useful
        data_version = ""
    return {
        "date": now.date().isoformat(),
        "taken_utc": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "data_version": data_version,
        "scenarios": scenarios,
    }


def write_snapshot(reports_dir: Path | None = None, now: datetime | None = None) -> Path:
    """Write ``history/<date>.json`` atomically; return its path."""
    snap = snapshot(reports_dir, now)
    path = paths.history_dir(reports_dir) / f"{snap['date']}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    ownership.write_atomic(path, json.dumps(snap, indent=2, sort_keys=True, default=str) + "\n")
    return path


def load_snapshots(reports_dir: Path | None = None) -> list[dict[str, Any]]:
    """Every snapshot, oldest first."""
    found = (read_json(path) for path in sorted(paths.history_dir(reports_dir).glob("????-??-??.json")))
    return [snap for snap in found if snap]


def changes(old: dict[str, Any], new: dict[str, Any]) -> pd.DataFrame:
    """One row per figure that changed between two snapshots; ``change`` is ``after - before`` for two
    numbers, else "new scenario", "scenario removed", "new figure", "figure removed" or "changed"."""
    rows = []
    old_s, new_s = old.get("scenarios", {}), new.get("scenarios", {})
    for name in sorted(set(old_s) | set(new_s)):
        a, b = old_s.get(name), new_s.get(name)
        title = (b or a)["title"]
        if a is None or b is None:
            rows.append([name, title, "", None, None, "new scenario" if a is None else "scenario removed"])
            continue
        fa, fb = a.get("key_figures", {}), b.get("key_figures", {})
        for fig in sorted(set(fa) | set(fb)):
            before, after = fa.get(fig), fb.get(fig)
            change: Any
            if fig not in fa:
                change = "new figure"
            elif fig not in fb:
                change = "figure removed"
            elif before == after:
                continue
            elif i18n.is_number(before) and i18n.is_number(after):
                change = float(after) - float(before)
            else:
                change = "changed"
            rows.append([name, title, fig, before, after, change])
    return pd.DataFrame(rows, columns=CHANGE_COLUMNS)


def changes_since_previous(reports_dir: Path | None = None) -> tuple[str, str, pd.DataFrame] | None:
    """(previous date, latest date, changes) between the two latest snapshots; None with fewer than two."""
    snaps = load_snapshots(reports_dir)
    if len(snaps) < 2:
        return None
    return snaps[-2]["date"], snaps[-1]["date"], changes(snaps[-2], snaps[-1])


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv == ["snapshot"]:
        path = write_snapshot()
        n = len(json.loads(path.read_text(encoding="utf-8"))["scenarios"])
        print(f"r57 history: key figures of {n} scenario(s) -> {path}")
        return 0
    if argv == ["changes"]:
        found = changes_since_previous()
        if found is None:
            print("r57 history: fewer than two snapshots, nothing to compare yet")
            return 0
        before, after, table = found
        print(f"r57 history: {len(table)} change(s) from {before} to {after}")
        if len(table):
            print(table.to_string(index=False))
        return 0
    print("usage: python -m analysis.run.history snapshot | changes", file=sys.stderr)
    return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
