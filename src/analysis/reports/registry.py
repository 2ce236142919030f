"""The registry of reports: each report module registers its :class:`~analysis.reports.params.NotebookSpec`
(parameters, key figures, datasets, section); importing this module imports them all. Nothing else lists
reports, key figures or datasets.
"""

from __future__ import annotations

from typing import Any

from analysis.reports import ecosystem_rankings, rd_feasibility, rd_paths, resolution_targets
from analysis.reports.params import KeyFigure, NotebookSpec, notebook_spec, registered, validate

REPORT_MODULES = (resolution_targets, rd_paths, rd_feasibility, ecosystem_rankings)

__all__ = [
    "REPORT_MODULES",
    "KeyFigure",
    "NotebookSpec",
    "baseline",
    "columns",
    "datasets",
    "key_figures",
    "names",
    "notebook_spec",
    "reports",
    "validate",
]


def reports() -> list[NotebookSpec]:
    """Every report, in its order on the index."""
    return registered()


def names() -> list[str]:
    """The report names, in their order on the index."""
    return [spec.name for spec in registered()]


def datasets(name: str) -> tuple[str, ...]:
    """Every dataset report ``name`` reads (names in ``analysis.data.datasets.DATASETS``)."""
    return notebook_spec(name).datasets


def key_figures(name: str, results: dict[str, Any]) -> dict[str, Any]:
    """The key figures of report ``name`` taken from its results.json (None where it has none)."""
    return {k.name: results.get(k.name) for k in notebook_spec(name).key_figures}


def columns() -> list[KeyFigure]:
    """Every key figure of every report, once each, in index order."""
    seen: dict[str, KeyFigure] = {}
    for spec in registered():
        for k in spec.key_figures:
            seen.setdefault(k.name, k)
    return list(seen.values())


def baseline(name: str) -> str | None:
    """The baseline scenario of report ``name`` (a name in scenarios/*.yaml), or None if it declares none."""
    return notebook_spec(name).baseline
