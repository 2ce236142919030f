"""Project paths. The one place that builds paths from ``__file__``.

``R57_PROJECT_ROOT`` overrides the root (used by tests that run against a copy).
"""

from __future__ import annotations

import os
from pathlib import Path

SOURCE_DIR: Path = Path(__file__).resolve().parent  # the package's own code, fingerprinted by run-all
PROJECT_ROOT: Path = Path(os.environ.get("R57_PROJECT_ROOT", SOURCE_DIR.parents[1])).resolve()
# Each folder can be redirected with an environment variable (tests, a run on an archived data vintage).
RAW_DATA_DIR: Path = Path(os.environ.get("R57_RAW_DATA_DIR", PROJECT_ROOT / "data" / "raw")).resolve()
ARCHIVE_DIR: Path = PROJECT_ROOT / "data" / "archive"  # earlier data vintages kept by `r57 data refresh`
MANIFEST_PATH: Path = RAW_DATA_DIR / "manifest.yaml"
NOTEBOOKS_DIR: Path = Path(os.environ.get("R57_NOTEBOOKS_DIR", PROJECT_ROOT / "notebooks")).resolve()
REPORTS_DIR: Path = Path(os.environ.get("R57_REPORTS_DIR", PROJECT_ROOT / "reports")).resolve()
SCENARIOS_DIR: Path = Path(os.environ.get("R57_SCENARIOS_DIR", PROJECT_ROOT / "scenarios")).resolve()
TEMPLATES_DIR: Path = SOURCE_DIR / "templates"
# The compiled public figures data/raw is built from, with their sources and checksums (data/external/manifest.yaml);
# R57_REFERENCE_DIR may name another compilation (a newer one). Read only by `r57 data build`, never at report time.
REFERENCE_DIR: Path = Path(os.environ.get("R57_REFERENCE_DIR", PROJECT_ROOT / "data" / "external")).resolve()
COMPARE_DIR = "compare"  # reports/compare: where `r57 compare` writes by default (a name scenarios may not take)
HISTORY = "history"  # reports/history: the key-figure snapshots (analysis.run.history; a name scenarios may not take)


def history_dir(reports_dir: Path | None = None) -> Path:
    """Where the key-figure snapshots are kept: ``$R57_HISTORY_DIR`` when set, else ``<reports_dir>/history``.

    Read when called (the scheduled run and the tests set the variable); here, not in :mod:`analysis.run.history`,
    so that run-all's quick check (:mod:`analysis.run.unchanged`) uses the same rule without importing pandas.
    """
    named = os.environ.get("R57_HISTORY_DIR")
    return Path(named) if named else Path(reports_dir or REPORTS_DIR) / HISTORY
