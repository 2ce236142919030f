"""Project paths. The one place that builds paths from ``__file__``.

``R57_PROJECT_ROOT`` overrides the root (used by tests that run against a copy).
"""

from __future__ import annotations

import os
from pathlib import Path


def _default_root() -> Path:
    return Path(__file__).resolve().parents[2]


PROJECT_ROOT: Path = Path(os.environ.get("R57_PROJECT_ROOT", _default_root())).resolve()
RAW_DATA_DIR: Path = PROJECT_ROOT / "data" / "raw"
MANIFEST_PATH: Path = RAW_DATA_DIR / "manifest.yaml"
NOTEBOOKS_DIR: Path = PROJECT_ROOT / "notebooks"
REPORTS_DIR: Path = PROJECT_ROOT / "reports"
TEMPLATES_DIR: Path = Path(__file__).resolve().parent / "templates"
# Compiled public figures shipped beside the checkout (../shared/reference); only
# needed to rebuild data/raw, never at report time.
REFERENCE_DIR: Path = Path(
    os.environ.get("R57_REFERENCE_DIR", PROJECT_ROOT.parent / "shared" / "reference")
).resolve()
