"""Code and data versions for report footers and results.json."""

from __future__ import annotations

import platform
import subprocess
from collections.abc import Iterable
from datetime import UTC, datetime
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version

from analysis import __version__, paths
from analysis.data import datasets
from analysis.data.manifest import data_version, read_manifest
from analysis.errors import DataError, ParameterError

LIBRARIES = ("pandas", "numpy", "statsmodels", "seaborn", "matplotlib", "papermill", "nbconvert")


@lru_cache(maxsize=1)
def code_version() -> dict[str, str | bool]:
    """Package version plus the git commit (and whether the tree had uncommitted changes). The version's local
    part (``+g<hash>``) is left out: it names the commit the package was installed at, which an editable
    install keeps while the tree moves on; ``commit`` is the tree's own."""
    info: dict[str, str | bool] = {"package": __version__.split("+")[0], "commit": "unknown", "dirty": False}

    def git(*args: str) -> str:
        run = subprocess.run(["git", "-C", str(paths.PROJECT_ROOT), *args], capture_output=True, text=True, timeout=10)
        run.check_returncode()
        return run.stdout.strip()

    try:
        commit = git("rev-parse", "--short=12", "HEAD")
        status = git("status", "--porcelain", "--untracked-files=no", "--", "src", "notebooks", "data")
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


def datasets_read(report: str, read: Iterable[str] | None = None) -> list[str]:
    """The datasets report ``report`` has read (``read``; by default what :func:`analysis.data.datasets.load`
    returned in this process), checked against the ``datasets`` of its ``NotebookSpec``.

    Raises
    ------
    DataError
        If a dataset read is not declared, or none was read.
    """
    declared = set(_spec(report).datasets)
    read = set(datasets.read_so_far() if read is None else read)
    undeclared = sorted(read - declared)
    if undeclared:
        raise DataError(
            f"report {report} read {', '.join(undeclared)} but does not declare it: add it to datasets= of the "
            f"NotebookSpec in src/analysis/reports/{report}.py (declared: {', '.join(sorted(declared))})"
        )
    if not read:
        raise DataError(f"report {report} read none of its declared datasets ({', '.join(sorted(declared))})")
    return sorted(read)


def _spec(report: str):  # -> NotebookSpec
    """Report ``report``'s registry entry; the registry (which imports every report module, ~0.5 s in a kernel)
    only when ``report``'s own module has not registered it yet."""
    from analysis.reports import params

    try:
        return params.notebook_spec(report)
    except ParameterError:
        from analysis.reports import registry

        return registry.notebook_spec(report)


def provenance_record(report: str, read: Iterable[str] | None = None) -> dict:
    """Everything a reader needs to reproduce report ``report``: code, the data it read, libraries, time."""
    manifest = read_manifest()
    versions = data_version(manifest)
    versions = {f"{name}.csv": versions[f"{name}.csv"] for name in datasets_read(report, read)}
    filled = {f: note for f, note in datasets.filled_so_far(manifest.path.parent).items() if f in versions}
    return {
        "code_version": code_version(),
        "data_manifest_version": manifest.version,
        "data_versions": versions,
        **({"data_filled": filled} if filled else {}),  # an older vintage
        "libraries": library_versions(),
        "run_at_utc": run_stamp(),
    }
