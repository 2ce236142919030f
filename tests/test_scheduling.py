"""The documented scheduled job, run as cron runs it; the history snapshots; the CI workflow.

The cron test runs ``scripts/scheduled-run`` with cron's environment (``env -i`` with only
PATH=/usr/bin:/bin, HOME and SHELL=/bin/sh, working directory /), a one-scenario catalogue, a
private copy of data/raw and recorded World Bank answers (R57_WDI_RECORDED): fast and offline.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import paths
from analysis.data import datasets
from analysis.run import history

ROOT = paths.PROJECT_ROOT
SCRIPT = ROOT / "scripts" / "scheduled-run"
FIXTURES = Path(__file__).parent / "fixtures" / "wdi_api"
RANKING = "notebook: ecosystem_rankings\ntitle: Viet Nam startups\ndescription: country\nparameters: {entity: VNM}\n"
REFUSED = "notebook: rd_paths\ntitle: t\ndescription: bad\nparameters: {target_year: 2020}\n"


def cron_run(tmp_path: Path, scenarios: dict[str, str], recorded: Path) -> subprocess.CompletedProcess:
    scen, data = tmp_path / "scenarios", tmp_path / "data" / "raw"
    scen.mkdir(exist_ok=True)
    # a short HOME, like a real one: kernels talk over Unix sockets in HOME's Jupyter runtime folder,
    # and a socket path longer than 107 bytes (pytest's tmp_path + .local/share/jupyter/runtime) fails
    home = Path(tempfile.mkdtemp(prefix="r57-home-", dir="/tmp"))
    for name, text in scenarios.items():
        (scen / f"{name}.yaml").write_text(text)
    if not data.exists():
        shutil.copytree(paths.RAW_DATA_DIR, data)
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(home),
        "SHELL": "/bin/sh",
        # what the test redirects: the catalogue, the outputs, the data and the refresh's answers
        "R57_SCENARIOS_DIR": str(scen),
        "R57_REPORTS_DIR": str(tmp_path / "reports"),
        "R57_RAW_DATA_DIR": str(data),
        "R57_WDI_RECORDED": str(recorded),
        "R57_LOG_DIR": str(tmp_path / "logs"),
        "R57_MAX_COVERAGE_DROP": "1",  # the recordings cover 5 economies (tests/conftest.py)
    }
    # the command of the documented cron line, with this checkout for /srv/r57, run by /bin/sh as cron does
    command = documented_cron_line().split(None, 5)[5].replace("/srv/r57", str(ROOT))
    try:
        return subprocess.run(
            ["env", "-i", *(f"{k}={v}" for k, v in env.items()), "/bin/sh", "-c", command],
            cwd="/",
            capture_output=True,
            text=True,
            timeout=600,
        )
    finally:
        shutil.rmtree(home, ignore_errors=True)


def documented_cron_line() -> str:
    doc = (ROOT / "docs" / "scheduling.md").read_text()
    lines = [ln for ln in doc.split("```cron")[1].split("```")[0].splitlines() if ln.strip() and not ln.startswith("#")]
    assert len(lines) == 1, lines
    return lines[0]


@pytest.mark.notebook
def test_the_cron_job_refreshes_regenerates_and_snapshots_on_a_fresh_checkout(tmp_path):
    assert not (tmp_path / "logs").exists()
    r = cron_run(tmp_path, {"rank-vn": RANKING}, FIXTURES)
    logs = tmp_path / "logs"
    assert r.returncode == 0, (r.stderr, (logs / "reports.log").read_text(), (logs / "refresh.log").read_text())
    assert r.stdout == "" and r.stderr == ""  # cron mails output: a run that worked says nothing
    assert "vn_gdp.csv: updated" in (logs / "refresh.log").read_text()
    assert datasets.verify_all(tmp_path / "data" / "raw") == []
    assert (tmp_path / "data" / "archive" / "2026-11-22.1" / "ARCHIVED.yaml").exists()
    assert (tmp_path / "reports" / "rank-vn" / "report.html").exists()
    assert (tmp_path / "reports" / "index.html").exists()
    snaps = sorted((tmp_path / "reports" / "history").glob("*.json"))
    assert len(snaps) == 1
    snap = json.loads(snaps[0].read_text())
    assert snap["data_version"].endswith(".refresh") and "latest_rank" in snap["scenarios"]["rank-vn"]["key_figures"]
    # the second run the same week: nothing changed, so the report is skipped and the job still succeeds
    r = cron_run(tmp_path, {"rank-vn": RANKING}, FIXTURES)
    assert r.returncode == 0, r.stderr
    assert "SKIPPED rank-vn" in (logs / "reports.log").read_text()


def test_a_failed_refresh_and_a_refused_report_both_show_in_the_exit_status(tmp_path):
    empty = tmp_path / "no-recordings"
    empty.mkdir()
    r = cron_run(tmp_path, {"bad": REFUSED}, empty)
    assert r.returncode == 3  # 1 (a report failed or was refused) | 2 (the refresh failed)
    assert "data refresh failed" in r.stderr and "make reports failed" in r.stderr
    assert "no recorded response" in (tmp_path / "logs" / "refresh.log").read_text()
    assert "REFUSED" in (tmp_path / "logs" / "reports.log").read_text()
    # the refresh changed nothing, the snapshot was still written
    assert datasets.verify_all(tmp_path / "data" / "raw") == []
    assert len(list((tmp_path / "reports" / "history").glob("*.json"))) == 1


def test_a_run_that_starts_while_the_last_one_is_still_going_does_nothing(tmp_path):
    import fcntl

    (tmp_path / "logs").mkdir()
    with open(tmp_path / "logs" / ".scheduled-run.lock", "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        r = cron_run(tmp_path, {"rank-vn": RANKING}, FIXTURES)
    assert r.returncode == 6 and "another scheduled run is still going" in r.stderr
    assert not (tmp_path / "logs" / "refresh.log").exists() and not (tmp_path / "reports").exists()


def test_the_documented_cron_line_is_one_command():
    line = documented_cron_line()
    fields = line.split(None, 5)
    assert fields[5] == "/srv/r57/scripts/scheduled-run", line
    assert ";" not in line and "&&" not in line  # one command, one exit status
    assert SCRIPT.stat().st_mode & 0o111
    text = SCRIPT.read_text()
    assert text.startswith("#!/usr/bin/env bash") and "set -euo pipefail" in text


# ----------------------------------------------------------------------------- history


def _record(reports: Path, name: str, figures: dict, title: str = "T") -> None:
    (reports / name).mkdir(parents=True, exist_ok=True)
    (reports / name / "run.json").write_text(
        json.dumps({"title": title, "notebook": "rd_paths", "last_status": "ok", "key_figures": figures})
    )


def test_one_snapshot_per_day_and_the_change_table(tmp_path):
    reports = tmp_path / "reports"
    _record(reports, "rd-a", {"gerd_target_usd_bn": 10.0, "envelope_fits_all_years": True, "gone": 1})
    _record(reports, "rd-old", {"x": 1})
    (reports / "rd-a.failed").mkdir()
    (reports / "rd-a.failed" / "run.json").write_text("{}")  # not a scenario
    monday = datetime(2026, 11, 16, 3, 17, tzinfo=UTC)
    p1 = history.write_snapshot(reports, monday)
    assert p1.name == "2026-11-16.json"
    assert set(json.loads(p1.read_text())["scenarios"]) == {"rd-a", "rd-old"}
    shutil.rmtree(reports / "rd-old")
    _record(reports, "rd-a", {"gerd_target_usd_bn": 12.5, "envelope_fits_all_years": False, "new": 3})
    _record(reports, "rd-new", {"x": 2}, title="New")
    history.write_snapshot(reports, monday.replace(day=23))
    history.write_snapshot(reports, monday.replace(day=23, hour=9))  # same day: replaced, not added
    assert [s["date"] for s in history.load_snapshots(reports)] == ["2026-11-16", "2026-11-23"]
    before, after, table = history.changes_since_previous(reports)
    assert (before, after) == ("2026-11-16", "2026-11-23")
    got = {(r.scenario, r.figure): r.change for r in table.itertuples()}
    assert got == {
        ("rd-a", "envelope_fits_all_years"): "changed",  # booleans are not numbers to subtract
        ("rd-a", "gerd_target_usd_bn"): 2.5,  # 12.5 - 10.0
        ("rd-a", "gone"): "figure removed",
        ("rd-a", "new"): "new figure",
        ("rd-new", ""): "new scenario",
        ("rd-old", ""): "scenario removed",
    }


def test_identical_snapshots_have_no_changes_and_one_snapshot_has_nothing_to_compare(tmp_path):
    reports = tmp_path / "reports"
    _record(reports, "rd-a", {"f": 1.0, "g": None})
    snap = history.snapshot(reports)
    assert history.changes(snap, snap).empty
    history.write_snapshot(reports)
    assert history.changes_since_previous(reports) is None


# ----------------------------------------------------------------------------- the CI workflow

WORKFLOW = ROOT / ".github" / "workflows" / "reports.yml"


def test_the_workflow_passes_the_github_workflows_schema():
    exe = shutil.which("check-jsonschema") or str(Path(__import__("sys").executable).parent / "check-jsonschema")
    r = subprocess.run(
        [exe, "--builtin-schema", "vendor.github-workflows", str(WORKFLOW)], capture_output=True, text=True
    )
    assert r.returncode == 0, r.stdout + r.stderr


def test_the_workflow_deploys_to_pages_from_a_separate_job_and_restores_the_previous_site():
    import yaml

    wf = yaml.safe_load(WORKFLOW.read_text())
    jobs = wf["jobs"]
    deploy = next(j for j in jobs.values() if any("actions/deploy-pages" in s.get("uses", "") for s in j["steps"]))
    assert deploy["environment"]["name"] == "github-pages"
    assert "page_url" in deploy["environment"]["url"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    build_name = deploy["needs"] if isinstance(deploy["needs"], str) else deploy["needs"][0]
    steps = jobs[build_name]["steps"]
    names = [s.get("uses", "") or s.get("run", "") for s in steps]
    restore = next(i for i, s in enumerate(steps) if "actions/cache/restore" in s.get("uses", ""))
    reports = next(i for i, n in enumerate(names) if "make reports" in n or "scheduled-run" in n)
    save = next(i for i, s in enumerate(steps) if "actions/cache/save" in s.get("uses", ""))
    assert restore < reports < save  # the previous site's run records are back before the reports run
    cache = steps[restore]["with"]
    assert "reports" in cache["path"] and cache["restore-keys"].strip() and cache["key"] == steps[save]["with"]["key"]
    assert steps[save]["if"] == "always()"  # a failed scenario must not lose the other scenarios' records
    assert any("analysis.run.history snapshot" in n for n in names)
    assert any("upload-pages-artifact" in n for n in names)


_figure = st.one_of(
    st.none(), st.booleans(), st.integers(-(10**6), 10**6), st.floats(-1e6, 1e6, allow_nan=False), st.text(max_size=5)
)
_snapshot = st.builds(
    lambda s: {"scenarios": {n: {"title": n, "key_figures": f} for n, f in s.items()}},
    st.dictionaries(
        st.sampled_from(["rd-a", "rd-b", "rank-c"]),
        st.dictionaries(st.sampled_from(["x", "y", "z"]), _figure, max_size=3),
        max_size=3,
    ),
)


@given(_snapshot, _snapshot)
@settings(max_examples=150, deadline=None)
def test_the_change_table_lists_exactly_what_differs(old, new):
    table = history.changes(old, new)
    assert history.changes(new, new).empty
    o, n = old["scenarios"], new["scenarios"]
    for r in table.itertuples():
        if r.figure == "":
            assert (r.scenario in o) != (r.scenario in n)  # a scenario added or removed
            continue
        before, after = o[r.scenario]["key_figures"].get(r.figure), n[r.scenario]["key_figures"].get(r.figure)
        assert (r.figure in o[r.scenario]["key_figures"], r.figure in n[r.scenario]["key_figures"]) != (
            True,
            True,
        ) or before != after
        if isinstance(r.change, float):  # to the precision of the larger value (-16384 -> 1.8e-12 changes by 16384.0)
            assert before + r.change == pytest.approx(after, abs=1e-12 * max(1.0, abs(before), abs(after)))
    # every figure that differs in a scenario both snapshots have is listed
    for name in set(o) & set(n):
        fo, fn = o[name]["key_figures"], n[name]["key_figures"]
        differing = {f for f in set(fo) | set(fn) if f not in fo or f not in fn or fo[f] != fn[f]}
        assert differing == set(table[table.scenario == name]["figure"])


def test_history_command_prints_the_changes(tmp_path, monkeypatch, capsys):
    reports = tmp_path / "reports"
    monkeypatch.setattr(paths, "REPORTS_DIR", reports)
    _record(reports, "rd-a", {"gerd_target_usd_bn": 10.0})
    history.write_snapshot(reports, datetime(2026, 11, 16, tzinfo=UTC))
    _record(reports, "rd-a", {"gerd_target_usd_bn": 11.0})
    assert history.main(["snapshot"]) == 0
    assert history.main(["changes"]) == 0
    out = capsys.readouterr().out
    assert "1 change(s) from 2026-11-16 to" in out and "gerd_target_usd_bn" in out
    assert history.main(["nonsense"]) == 2
