"""``r57 run-all`` with nothing changed is settled from the run-all record (analysis.run.unchanged), and any
change to an input or a report folder sends it back through the full check."""

from __future__ import annotations

import subprocess
import sys

import pytest

from analysis import paths
from analysis.run import unchanged


@pytest.fixture()
def site(tmp_path, monkeypatch):
    """Private reports/, scenarios/ and notebooks/, one report folder recorded as up to date."""
    monkeypatch.delenv("R57_HISTORY_DIR", raising=False)
    folders = {
        "REPORTS_DIR": tmp_path / "reports",
        "SCENARIOS_DIR": tmp_path / "scen",
        "NOTEBOOKS_DIR": tmp_path / "nb",
    }
    for attr, folder in folders.items():
        folder.mkdir()
        monkeypatch.setattr(paths, attr, folder)
    (tmp_path / "scen" / "rank-vn.yaml").write_text("notebook: ecosystem_rankings\ntitle: VN\n")
    (tmp_path / "nb" / "03.ipynb").write_text("{}")
    (tmp_path / "reports" / "rank-vn").mkdir()
    (tmp_path / "reports" / "rank-vn" / "run.json").write_text('{"last_status": "ok"}')
    (tmp_path / "reports" / "rank-vn" / "report.html").write_text("<p>report</p>")
    unchanged.remember(None, ("en",), ["rank-vn"])
    return tmp_path


def test_an_unchanged_site_is_settled_with_run_alls_own_lines(site):
    said = []
    assert unchanged.settled(None, ("en",), said.append)
    assert said == [
        "SKIPPED rank-vn: unchanged since the last successful run",
        "r57 run-all: nothing to regenerate: the only report is unchanged since its last successful run",
        f"r57 run-all: 0 ok, 1 skipped, 0 failed, 0 refused; site: {site / 'reports' / 'index.html'}",
    ]


@pytest.mark.parametrize(
    "change",
    [
        lambda t: (t / "scen" / "rank-vn.yaml").write_text("notebook: ecosystem_rankings\ntitle: Viet Nam\n"),
        lambda t: (t / "nb" / "03.ipynb").write_text('{"cells": []}'),
        lambda t: (t / "reports" / "rank-vn" / "run.json").write_text('{"last_status": "failed"}'),
        lambda t: (t / "reports" / "rank-vn.failed").mkdir(),
        lambda t: (t / "reports" / "rank-vn" / "report.html").unlink(),
        lambda t: (t / "reports" / ".tmp-rank-vn-1-0123abcd").mkdir(),
        lambda t: (
            (t / "reports" / "history").mkdir() or (t / "reports" / "history" / "2026-12-05.json").write_text("{}")
        ),
    ],
    ids=["scenario", "notebook", "run record", "failure", "page gone", "stale temporary", "history snapshot"],
)
def test_any_change_goes_through_the_full_check(site, change):
    change(site)
    assert not unchanged.settled(None, ("en",), lambda line: None)


def test_other_options_or_a_forgotten_record_go_through_the_full_check(site):
    assert not unchanged.settled("rank-*", ("en",), lambda line: None)
    assert not unchanged.settled(None, ("en", "vi"), lambda line: None)
    unchanged.forget()
    assert not unchanged.settled(None, ("en",), lambda line: None)


def test_the_settled_rerun_imports_no_report_module(site):
    code = (
        "import sys; from analysis import paths; from analysis.run import unchanged\n"
        f"for attr, name in (('REPORTS_DIR', 'reports'), ('SCENARIOS_DIR', 'scen'), ('NOTEBOOKS_DIR', 'nb')):\n"
        f"    setattr(paths, attr, paths.Path({str(site)!r}) / name)\n"
        "assert unchanged.settled(None, ('en',), lambda line: None)\n"
        "print(sorted(m for m in sys.modules if m.startswith(('analysis.reports', 'pandas', 'matplotlib', 'numpy', 'jupyter_client'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
