"""run-all's fingerprint covers the resolved versions of what a report's notebook imports and runs on."""

from __future__ import annotations

import importlib.metadata
from pathlib import Path

import pytest

from analysis import paths
from analysis.run import batch
from analysis.run.catalogue import Scenario

SCENARIO = Scenario("rd-test", Path("rd-test.yaml"), "rd_paths", "A test", "for the fingerprint", {})
NOTEBOOK = paths.NOTEBOOKS_DIR / "01_rd_paths.ipynb"


def _patched_version(monkeypatch, dist: str, fake: str) -> None:
    real = importlib.metadata.version

    def version(name: str) -> str:
        return fake if name.lower().replace("_", "-") == dist else real(name)

    monkeypatch.setattr(importlib.metadata, "version", version)


def test_the_versions_cover_the_notebooks_imports_and_what_runs_it():
    versions = batch.dependency_versions(NOTEBOOK)
    # 01_rd_paths imports only analysis (the r57 distribution); numpy, pandas, matplotlib and seaborn are r57's
    # requirements, so they count too
    for dist in ("numpy", "pandas", "matplotlib", "seaborn", "r57"):
        assert any(d.lower() == dist for d in versions), (dist, versions)
    for dist in batch.RUNNER_DISTRIBUTIONS:
        assert versions[dist] == importlib.metadata.version(dist)
    assert versions["pandas"] == importlib.metadata.version("pandas")
    # no notebook imports statsmodels or scipy itself: they come through analysis (r57's requirements)
    assert versions["statsmodels"] == importlib.metadata.version("statsmodels")
    assert "scipy" in versions
    # a distribution neither imported nor required is left out (pytest is a test extra only)
    assert "pytest" not in versions and "hypothesis" not in versions


@pytest.mark.parametrize("dist", ["pandas", "statsmodels", "papermill", "nbconvert", "ipykernel", "jupyter-client"])
def test_an_upgrade_changes_the_fingerprint_and_unchanged_versions_keep_it(monkeypatch, dist):
    before = batch.fingerprint(SCENARIO, "code")
    assert batch.fingerprint(SCENARIO, "code") == before  # nothing changed: equal, so the scenario is skipped
    _patched_version(monkeypatch, dist, "999.0")
    assert batch.fingerprint(SCENARIO, "code") != before
    monkeypatch.undo()
    assert batch.fingerprint(SCENARIO, "code") == before


def test_a_version_of_a_package_the_notebook_does_not_import_leaves_it_equal(monkeypatch):
    before = batch.fingerprint(SCENARIO, "code")
    _patched_version(monkeypatch, "pytest", "999.0")  # neither imported by the notebook nor required by r57
    assert batch.fingerprint(SCENARIO, "code") == before


def test_a_missing_distribution_is_named_not_fatal(monkeypatch):
    real = importlib.metadata.version

    def version(name: str) -> str:
        if name == "nbconvert":
            raise importlib.metadata.PackageNotFoundError(name)
        return real(name)

    monkeypatch.setattr(importlib.metadata, "version", version)
    assert batch.dependency_versions(NOTEBOOK)["nbconvert"] == "not installed"


def test_the_code_fingerprint_covers_the_chart_style_sheet(monkeypatch, tmp_path):
    # the house style (reports/house.mplstyle) draws every chart: an edit to it reruns the reports, as code does
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "render.py").write_text("x = 1\n", encoding="utf-8")
    style = tmp_path / "reports" / "house.mplstyle"
    style.write_text("axes.grid: True\n", encoding="utf-8")
    monkeypatch.setattr(paths, "SOURCE_DIR", tmp_path)
    before = batch.code_fingerprint()
    style.write_text("axes.grid: False\n", encoding="utf-8")
    assert batch.code_fingerprint() != before
