"""The documented scheduled job, run as cron runs it; a dry run of its steps; the history; the CI workflow.

The cron test runs ``scripts/scheduled-run`` with cron's environment (``env -i`` with only
PATH=/usr/bin:/bin, HOME and SHELL=/bin/sh, working directory /), a one-scenario catalogue, a
private copy of data/raw and recorded World Bank answers (R57_WDI_RECORDED): fast and offline. Its
test step is a fake (the suite does not run itself).

The dry run copies the script into a fresh folder (its own git repository with a bare ``origin``),
replaces the setup, refresh, test and reports steps by small fakes (R57_FAKE_STEPS) and runs the real
snapshot, ``r57 site build``, push and publish steps: seconds, not a real build.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import paths
from analysis.data import datasets
from analysis.data.manifest import read_manifest
from analysis.data.refresh import next_version
from analysis.run import history

ROOT = paths.PROJECT_ROOT
SCRIPT = ROOT / "scripts" / "scheduled-run"
FIXTURES = Path(__file__).parent / "fixtures" / "wdi_api"
WORKFLOW = ROOT / ".github" / "workflows" / "reports.yml"
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
        "R57_HISTORY_DIR": str(tmp_path / "history"),
        "R57_SITE_DIR": str(tmp_path / "site"),
        "R57_FAKE_STEPS": str(_fakes(tmp_path / "fakes", {"test": "exit 0"})),
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


def _fakes(folder: Path, steps: dict[str, str]) -> Path:
    """A folder of fake steps: ``folder/<step>`` runs ``body`` under /bin/sh."""
    folder.mkdir(parents=True, exist_ok=True)
    for step, body in steps.items():
        (folder / step).write_text(f"#!/bin/sh\nset -e\n{body}\n")
        (folder / step).chmod(0o755)
    return folder


def documented_cron_line() -> str:
    doc = (ROOT / "docs" / "scheduling.md").read_text()
    lines = [ln for ln in doc.split("```cron")[1].split("```")[0].splitlines() if ln.strip() and not ln.startswith("#")]
    assert len(lines) == 1, lines
    return lines[0]


@pytest.mark.notebook
def test_the_cron_job_refreshes_regenerates_and_snapshots_on_a_fresh_checkout(tmp_path):
    assert not (tmp_path / "logs").exists()
    start, since = read_manifest(paths.RAW_DATA_DIR / "manifest.yaml").version, date.today()
    r = cron_run(tmp_path, {"rank-vn": RANKING}, FIXTURES)
    logs = tmp_path / "logs"
    assert r.returncode == 0, (r.stderr, (logs / "reports.log").read_text(), (logs / "refresh.log").read_text())
    assert r.stdout == "" and r.stderr == ""  # cron mails output: a run that worked says nothing
    assert "vn_gdp.csv: updated" in (logs / "refresh.log").read_text()
    assert datasets.verify_all(tmp_path / "data" / "raw") == []
    assert (tmp_path / "data" / "archive" / start / "ARCHIVED.yaml").exists()
    # the refresh's version: counted on from the checkout's (next_version; past midnight: today's)
    refreshed = {next_version(start, day.isoformat(), "refresh") for day in (since, date.today())}
    assert (tmp_path / "reports" / "rank-vn" / "report.html").exists()
    assert (tmp_path / "reports" / "index.html").exists()
    assert (tmp_path / "site" / "rank-vn" / "report.html").exists()  # r57 site build ran
    snaps = sorted((tmp_path / "history").glob("*.json"))
    assert len(snaps) == 1
    snap = json.loads(snaps[0].read_text())
    assert snap["data_version"] in refreshed and "latest_rank" in snap["scenarios"]["rank-vn"]["key_figures"]
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
    assert len(list((tmp_path / "history").glob("*.json"))) == 1


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


@pytest.fixture(autouse=True)
def _no_named_history(monkeypatch):
    """The tests here choose their history folder; a named one in the caller's environment is not used."""
    monkeypatch.delenv("R57_HISTORY_DIR", raising=False)


# ----------------------------------------------------------------------------- a dry run of the steps

# what run-all records of what it wrote (each folder's .r57-output): r57 site build publishes only that
SEAL = (
    'import os, pathlib; from analysis.run import ownership; r = pathlib.Path(os.environ["R57_REPORTS_DIR"]); '
    '[ownership.seal(r / f) for f in ("good", "broken", "broken.failed")]; '
    '[ownership.adopt(r / f, lambda text: True) for f in ("index.html", "vi/index.html")]'
)
# A run-all that failed one scenario, as `r57 run-all` leaves reports/ (tests/test_batch.py checks the real
# one does): the good scenario's new report, the broken one's last good report and its error page, both
# indexes, and what is never published (locks, a README, an ad-hoc run, a notebook).
FAKE_REPORTS = """
mkdir -p "$R57_REPORTS_DIR/vi" "$R57_REPORTS_DIR/.locks" "$R57_REPORTS_DIR/good/custom-x" "$R57_REPORTS_DIR/broken.failed"
cd "$R57_REPORTS_DIR"
for f in index.html vi/index.html good/report.html good/notebook.ipynb good/custom-x/report.html README.md .locks/a.lock; do
    echo "<p>$f</p>" > "$f"
done
echo '{"title": "Good", "last_status": "ok", "key_figures": {"gerd_target_usd_bn": 12.5}}' > good/run.json
mkdir -p broken && echo '<p>last good report</p>' > broken/report.html
echo '<p>cell 4 failed</p>' > broken.failed/error.html
exit 1
""".replace("exit 1", f"{sys.executable} -c '{SEAL}'\nexit 1")


def _git(cwd: Path, *args: str) -> str:
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t"}
    r = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, env={**os.environ, **env})
    assert r.returncode == 0, r.stderr
    return r.stdout


@pytest.fixture()
def checkout(tmp_path):
    """A fresh checkout: the script, a two-scenario catalogue and data/ in a git repository whose
    ``origin`` is a bare repository beside it; .venv is this one's (setup is faked)."""
    origin, repo = tmp_path / "origin.git", tmp_path / "repo"
    (repo / "scripts").mkdir(parents=True)
    shutil.copy2(SCRIPT, repo / "scripts" / "scheduled-run")
    (repo / ".venv").symlink_to(ROOT / ".venv")
    (repo / ".gitignore").write_text("/.venv\n/logs/\n/reports/\n/site/\n/history/\n")
    (repo / "scenarios").mkdir()
    for name in ("good", "broken"):
        (repo / "scenarios" / f"{name}.yaml").write_text(RANKING)
    (repo / "data" / "raw").mkdir(parents=True)
    (repo / "data" / "raw" / "series.csv").write_text("year,value\n2024,1\n")
    _git(tmp_path, "init", "--quiet", "--bare", "--initial-branch=main", str(origin))
    _git(repo, "init", "--quiet", "--initial-branch=main")
    _git(repo, "add", ".")
    _git(repo, "commit", "--quiet", "-m", "start")
    _git(repo, "remote", "add", "origin", str(origin))
    _git(repo, "push", "--quiet", "origin", "main")
    return repo


def workflow_env() -> dict[str, str]:
    """The settings the workflow gives the script (R57_PUSH, R57_HISTORY_BRANCH, R57_SITE_DIR)."""
    import yaml

    return {k: str(v) for k, v in yaml.safe_load(WORKFLOW.read_text())["env"].items()}


def dry_run(repo: Path, fakes: dict[str, str], *args: str, **env: str) -> subprocess.CompletedProcess:
    """``scripts/scheduled-run ARGS`` in ``repo`` with ``fakes`` for some steps and the workflow's site
    folder; each fake step and the publish command append their name to ``order``."""
    order = repo.parent / "order"
    fakes = {k: f'echo {k} >> "{order}"\n{v}' for k, v in fakes.items()}
    publish = repo.parent / "publish"
    publish.write_text(
        f'#!/bin/sh\necho "publish $1" >> "{order}"\nfind "$1" -type f | sort > "{repo.parent}/published"\n'
    )
    publish.chmod(0o755)
    base = {
        "R57_FAKE_STEPS": str(_fakes(repo.parent / "fakes", fakes)),
        "R57_SCENARIOS_DIR": str(repo / "scenarios"),
        "R57_REPORTS_DIR": str(repo / "reports"),
        "R57_RAW_DATA_DIR": str(repo / "data" / "raw"),
        "R57_PUBLISH_COMMAND": str(publish),
        "R57_SITE_DIR": workflow_env()["R57_SITE_DIR"],  # relative, to the checkout
    }
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("R57_", "GITHUB_"))}
    return subprocess.run(
        [str(repo / "scripts" / "scheduled-run"), *args],
        cwd="/",
        capture_output=True,
        text=True,
        env={**environ, **base, **env},
        timeout=300,
    )


def steps_run(repo: Path) -> list[str]:
    """The steps the script ran, in order, from its own log."""
    log = (repo / "logs" / "scheduled-run.log").read_text()
    return [
        line.split("scheduled-run: ")[1].split(" exit ")[0]
        for line in log.splitlines()
        if " exit " in line and "end," not in line
    ]


def test_a_failed_test_and_a_failed_scenario_still_build_and_publish_the_site(checkout):
    r = dry_run(checkout, {"setup": "", "refresh": "", "test": "echo 1 failed; exit 1", "reports": FAKE_REPORTS})
    assert r.returncode == 1 | 8, r.stderr  # a report failed, the tests failed
    order = (checkout.parent / "order").read_text().split("\n")
    site = checkout / "site"
    assert order[:4] == ["setup", "refresh", "test", "reports"] and order[4] == f"publish {site}"
    assert steps_run(checkout) == ["setup", "refresh", "test", "reports", "snapshot", "site", "push", "publish"]
    # one line per failed step, naming its log; nothing for the steps that worked
    lines = r.stderr.splitlines()
    assert len(lines) == 2 and "tests failed (exit 1)" in lines[0] and "logs/test.log" in lines[0]
    assert "make reports failed (exit 1)" in lines[1] and "published as failed" in lines[1]
    # the site: the good scenario, the failed one's last good report and its error page; nothing else
    published = {Path(p).relative_to(site).as_posix() for p in (checkout.parent / "published").read_text().split()}
    assert published == {
        "index.html", "vi/index.html", "good/report.html", "broken/report.html", "broken.failed/error.html",
        ".r57-output",
    }  # fmt: skip
    assert (site / "broken" / "report.html").read_text() == "<p>last good report</p>\n"
    # the history snapshot is in the history folder (not in reports/), with the good scenario's figures
    snap = json.loads((checkout / "history" / f"{datetime.now(UTC).date()}.json").read_text())
    assert snap["scenarios"]["good"]["key_figures"] == {"gerd_target_usd_bn": 12.5}
    assert not (checkout / "reports" / "history").exists()
    # `status` repeats the verdict from the recorded steps; in GitHub Actions, in the summary and the outputs too
    summary, output = checkout.parent / "summary.md", checkout.parent / "output"
    again = dry_run(checkout, {}, "status", GITHUB_STEP_SUMMARY=str(summary), GITHUB_OUTPUT=str(output))
    assert again.returncode == 9 and again.stderr == r.stderr
    assert output.read_text() == "status=9\n"
    assert [ln.split("**")[1] for ln in summary.read_text().splitlines()] == ["test", "reports"]


def test_a_failed_site_build_keeps_the_last_good_site_and_publishes_it(checkout):
    assert dry_run(checkout, {"setup": "", "refresh": "", "test": "", "reports": FAKE_REPORTS}).returncode == 1
    before = (checkout / "site" / "good" / "report.html").read_text()
    (checkout / "site" / "stray.txt").write_text("not the build's")  # site build now refuses the folder
    newer = FAKE_REPORTS.replace("exit 1", "exit 0").replace(
        "mkdir -p broken ", "echo '<p>newer</p>' > good/report.html\nmkdir -p broken "
    )
    r = dry_run(checkout, {"setup": "", "refresh": "", "test": "", "reports": newer})
    assert r.returncode == 16, r.stderr
    assert "site build failed" in r.stderr and "stray.txt" in (checkout / "logs" / "publish.log").read_text()
    assert (checkout / "site" / "good" / "report.html").read_text() == before
    assert (checkout.parent / "order").read_text().splitlines()[-1] == f"publish {checkout / 'site'}"


def test_the_history_is_committed_to_the_data_branch_and_restored_from_it(checkout, tmp_path):
    origin = tmp_path / "origin.git"
    fakes = {"refresh": "", "test": "", "reports": FAKE_REPORTS.replace("exit 1", "exit 0")}
    # setup is real except for .venv (already there): make is replaced by a no-op through PATH
    bin_ = tmp_path / "bin"
    bin_.mkdir()
    (bin_ / "make").write_text("#!/bin/sh\nexit 0\n")
    (bin_ / "make").chmod(0o755)
    path = f"{bin_}:{os.environ['PATH']}"
    wf = workflow_env()  # the workflow's push settings: the history goes to its branch
    push = {k: wf[k] for k in ("R57_PUSH", "R57_HISTORY_BRANCH")}
    r = dry_run(checkout, fakes, PATH=path, **push)
    assert r.returncode == 0, (r.stderr, (checkout / "logs" / "push.log").read_text())
    today = f"{datetime.now(UTC).date()}.json"
    assert _git(origin, "ls-tree", "--name-only", wf["R57_HISTORY_BRANCH"]).split() == [today]
    # a new checkout has no history folder: setup restores it from the branch before the reports run
    shutil.rmtree(checkout / "history")
    restored = f'test -f "{checkout}/history/{today}"\n'
    r = dry_run(checkout, {**fakes, "reports": restored + fakes["reports"]}, PATH=path, **push)
    assert r.returncode == 0, (r.stderr, (checkout / "logs" / "reports.log").read_text())
    # the day's snapshot was taken again: a second commit on the branch, still one file for the day
    assert _git(origin, "rev-list", "--count", wf["R57_HISTORY_BRANCH"]).strip() == "2"
    assert _git(origin, "ls-tree", "--name-only", wf["R57_HISTORY_BRANCH"]).split() == [today]


def test_a_rejected_data_push_is_reported_and_the_site_still_published(checkout, tmp_path):
    origin = tmp_path / "origin.git"
    other = tmp_path / "other"
    _git(tmp_path, "clone", "--quiet", str(origin), str(other))
    (other / "NEWS").write_text("x")
    _git(other, "add", "NEWS")
    _git(other, "commit", "--quiet", "-m", "someone else")
    _git(other, "push", "--quiet", "origin", "main")  # origin's main moved on: the data push is rejected
    refresh = f'echo "2025,2" >> "{checkout}/data/raw/series.csv"'
    r = dry_run(
        checkout,
        {"setup": "", "refresh": refresh, "test": "", "reports": FAKE_REPORTS.replace("exit 1", "exit 0")},
        R57_PUSH="1",
    )
    assert r.returncode == 16 and "push failed" in r.stderr, r.stderr
    assert "PUSH REJECTED: the refreshed data" in (checkout / "logs" / "push.log").read_text()
    assert (checkout.parent / "order").read_text().splitlines()[-1] == f"publish {checkout / 'site'}"
    assert _git(origin, "ls-tree", "--name-only", "data").strip()  # the history push went through


def test_refreshed_data_the_tests_failed_on_is_not_committed(checkout, tmp_path):
    refresh = f'echo "2025,2" >> "{checkout}/data/raw/series.csv"'
    r = dry_run(checkout, {"setup": "", "refresh": refresh, "test": "exit 1", "reports": "exit 1"}, R57_PUSH="1")
    assert r.returncode == 1 | 8 | 16, r.stderr
    assert "not committed: the tests did not pass" in (checkout / "logs" / "push.log").read_text()
    assert _git(checkout, "log", "--format=%s").splitlines() == ["start"]


def test_a_python_the_pins_do_not_install_on_stops_the_job_with_the_checks_line(checkout, tmp_path):
    old = tmp_path / "python3.11"
    old.write_text("#!/bin/sh\necho 3.11.2\n")  # Debian 12's python3
    old.chmod(0o755)
    r = dry_run(checkout, {"setup": f'"{ROOT}/scripts/check-python" "{old}"'})
    assert r.returncode == 4, r.stderr
    assert r.stderr.count("\n") == 1 and "r57 needs Python >=3.11.5,<3.13" in r.stderr and "found 3.11.2" in r.stderr
    assert steps_run(checkout) == ["setup"] and not (checkout / "site").exists()


def test_an_unknown_step_is_refused_in_one_line(checkout):
    r = dry_run(checkout, {}, "deploy")
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "unknown step 'deploy'" in r.stderr


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


def test_the_workflow_passes_the_github_workflows_schema():
    exe = shutil.which("check-jsonschema") or str(Path(__import__("sys").executable).parent / "check-jsonschema")
    r = subprocess.run(
        [exe, "--builtin-schema", "vendor.github-workflows", str(WORKFLOW)], capture_output=True, text=True
    )
    assert r.returncode == 0, r.stdout + r.stderr


def test_the_workflow_runs_the_scripts_steps_in_order_and_publishes_only_the_site_folder():
    import yaml

    wf = yaml.safe_load(WORKFLOW.read_text())
    jobs = wf["jobs"]
    deploy = next(j for j in jobs.values() if any("actions/deploy-pages" in s.get("uses", "") for s in j["steps"]))
    assert deploy["environment"]["name"] == "github-pages" and "page_url" in deploy["environment"]["url"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    build_name = deploy["needs"] if isinstance(deploy["needs"], str) else deploy["needs"][0]
    steps = jobs[build_name]["steps"]

    # every step of the script, once, in the script's own order (`scheduled-run --steps`)
    script_steps = subprocess.run([str(SCRIPT), "--steps"], capture_output=True, text=True, check=True).stdout.split()
    called = [
        (i, s["run"].split()[1]) for i, s in enumerate(steps) if s.get("run", "").startswith("scripts/scheduled-run ")
    ]
    assert [name for _, name in called if name != "status"] == script_steps
    at = {name: i for i, name in called}
    # a failing refresh, test, scenario, snapshot or push does not stop the later steps; setup and the
    # site build do (without a site there is nothing to publish, and Pages keeps the last good one)
    for name in script_steps:
        assert steps[at[name]].get("continue-on-error", False) is (name not in ("setup", "site", "publish")), name
    # the final status comes last, runs always, and its verdict fails the run only after the deploy
    assert (
        called[-1][1] == "status" and steps[at["status"]]["if"] == "always()" and steps[at["status"]]["id"] == "status"
    )
    assert jobs[build_name]["outputs"]["status"] == "${{ steps.status.outputs.status }}"
    assert deploy["steps"][-1]["if"] == "needs.build.outputs.status != '0'"

    # the one upload is the Pages artifact of the folder the site step builds, after the publish step
    uploads = [i for i, s in enumerate(steps) if "upload" in s.get("uses", "")]
    assert len(uploads) == 1 and "actions/upload-pages-artifact" in steps[uploads[0]]["uses"]
    assert steps[uploads[0]]["with"]["path"] == wf["env"]["R57_SITE_DIR"] and uploads[0] > at["publish"]

    # the history is in git (R57_PUSH: setup restores it, push commits it), in no cache
    assert wf["env"]["R57_PUSH"] == "1" and wf["env"]["R57_HISTORY_BRANCH"]
    assert "R57_HISTORY_DIR" not in wf["env"]  # the script's default, history/ in the checkout
    caches = [s for s in steps if "actions/cache" in s.get("uses", "")]
    assert caches and all("history" not in s["with"]["path"] for s in caches)
    restore = next(i for i, s in enumerate(steps) if "actions/cache/restore" in s.get("uses", ""))
    assert restore < at["reports"]  # run records and last good reports are back before the reports run


def test_the_history_folder_is_the_named_one_when_there_is_one(tmp_path, monkeypatch):
    assert paths.history_dir(tmp_path / "reports") == tmp_path / "reports" / "history"
    monkeypatch.setenv("R57_HISTORY_DIR", str(tmp_path / "kept"))
    _record(tmp_path / "reports", "rd-a", {"f": 1.0})
    path = history.write_snapshot(tmp_path / "reports", datetime(2026, 11, 16, tzinfo=UTC))
    assert path == tmp_path / "kept" / "2026-11-16.json"
    assert [s["date"] for s in history.load_snapshots(tmp_path / "reports")] == ["2026-11-16"]


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
@settings(max_examples=150)
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
