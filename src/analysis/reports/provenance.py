"""Code and data versions for report footers and results.json."""

from __future__ import annotations

import platform
import subprocess
from datetime import UTC, datetime
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version

from analysis import __version__, paths
from analysis.data.manifest import data_version, read_manifest

LIBRARIES = ("pandas", "numpy", "statsmodels", "seaborn", "matplotlib", "papermill", "nbconvert")


@lru_cache(maxsize=1)
def code_version() -> dict[str, str | bool]:
    """Package version plus the git commit (and whether the tree had uncommitted changes)."""
    info: dict[str, str | bool] = {"package": __version__, "commit": "unknown", "dirty": False}
    try:
        commit = subprocess.run(
            ["git", "-C", str(paths.PROJECT_ROOT), "rev-parse", "--short=12", "HEAD"],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.strip()
        status = subprocess.run(
            [
                "git",
                "-C",
                str(paths.PROJECT_ROOT),
                "status",
                "--porcelain",
                "--untracked-files=no",
                "--",
                "src",
                "notebooks",
                "data",
            ],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.strip()
        info.update(commit=commit, dirty=bool(status))
    except (OSError, subprocess.SubprocessError):
        pass
    return info


def code_version_label() -> str:
    v = code_version()
    return f"r57 {v['package']} (commit {v['commit']}{', with uncommitted changes' if v['dirty'] else ''})"


def library_versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for lib in LIBRARIES:
        try:
            out[lib] = version(lib)
        except PackageNotFoundError:
            out[lib] = "not installed"
    return out


def run_stamp() -> str:
    """Current UTC time, ISO 8601 to the second."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def provenance_record(files: list[str] | None = None) -> dict:
    """Everything a reader needs to reproduce a report: code, data, libraries, time."""
    manifest = read_manifest()
    versions = data_version(manifest)
    if files is not None:
        versions = {f: versions[f] for f in files}
    return {
        "code_version": code_version(),
        "data_manifest_version": manifest.version,
        "data_versions": versions,
        "libraries": library_versions(),
        "run_at_utc": run_stamp(),
    }
