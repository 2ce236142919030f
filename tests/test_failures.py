"""Bad input and failures (issue 15): each case is tried the way it was found, with a real folder,
a real symbolic link, a real signal sent to a real `r57 run-all`, a real tampered file."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from analysis import cli, paths
from analysis.data import datasets
from analysis.errors import R57Error
from analysis.run import batch, catalogue, ownership, records, runner
from waiting import wait_exit, wait_until

RANK_VN = "notebook: ecosystem_rankings\ntitle: Viet Nam startups\ndescription: country\nparameters: {entity: VNM}\n"
RANK_HCMC = (
    "notebook: ecosystem_rankings\ntitle: HCMC\ndescription: city\n"
    "parameters: {index_name: startupblink_city, entity: ho-chi-minh-city, target_rank: 100}\n"
)
LAST_GOOD = "<p>last good report</p>"


def _redirect(monkeypatch, **folders: Path) -> None:
    names = {
        "reports": ("R57_REPORTS_DIR", "REPORTS_DIR"),
        "scenarios": ("R57_SCENARIOS_DIR", "SCENARIOS_DIR"),
        "notebooks": ("R57_NOTEBOOKS_DIR", "NOTEBOOKS_DIR"),
        "raw": ("R57_RAW_DATA_DIR", "RAW_DATA_DIR"),
        "reference": ("R57_REFERENCE_DIR", "REFERENCE_DIR"),
    }
    for key, value in folders.items():
        var, attr = names[key]
        monkeypatch.setenv(var, str(value))
        monkeypatch.setattr(paths, attr, value)
        if key == "raw":
            monkeypatch.setattr(paths, "MANIFEST_PATH", value / "manifest.yaml")


@pytest.fixture()
def site_dirs(tmp_path, monkeypatch):
    """A private reports/ and scenarios/ (the tiny catalogue: two ranking scenarios)."""
    reports, scen = tmp_path / "reports", tmp_path / "scenarios"
    scen.mkdir()
    (scen / "rank-vn.yaml").write_text(RANK_VN)
    (scen / "rank-hcmc.yaml").write_text(RANK_HCMC)
    _redirect(monkeypatch, reports=reports, scenarios=scen)
    return tmp_path


def _last_good(reports: Path, name: str) -> Path:
    folder = reports / name
    folder.mkdir(parents=True)
    (folder / "report.html").write_text(LAST_GOOD)
    ownership.seal(folder)
    return folder


# ----------------------------------------------------------------------------- 1. output folders


def _run_into(target: str | Path, capsys, report: str = "rd_paths") -> tuple[int, str]:
    code = cli.main(["run", report, "--output-dir", str(target)])
    out = capsys.readouterr()
    assert "running" not in out.out  # refused before a kernel starts
    return code, out.err


def test_a_folder_with_a_users_file_is_refused_and_kept(tmp_path, capsys):
    folder = tmp_path / "my-analysis"
    folder.mkdir()
    (folder / "thesis.docx").write_text("three years of work")
    code, err = _run_into(folder, capsys)
    assert code == 2 and "holds thesis.docx, which r57 did not write" in err and "Nothing was written" in err
    assert (folder / "thesis.docx").read_text() == "three years of work"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["my-analysis"]  # no temporary folder either


def test_the_current_folder_is_refused(tmp_path, capsys, monkeypatch):
    (tmp_path / "notes.txt").write_text("mine")
    monkeypatch.chdir(tmp_path)
    code, err = _run_into(".", capsys)
    assert code == 2 and "notes.txt" in err and (tmp_path / "notes.txt").read_text() == "mine"


def test_the_reports_folder_itself_and_the_root_are_refused(site_dirs, capsys):
    reports = site_dirs / "reports"
    reports.mkdir()
    code, err = _run_into(reports, capsys)
    assert code == 2 and "holds the whole report site" in err
    code, err = _run_into("/", capsys)
    assert code == 2 and "root of the file system" in err


def test_r57s_own_input_folders_are_refused(capsys):
    for inside in (paths.RAW_DATA_DIR / "my-run", paths.NOTEBOOKS_DIR / "out", paths.SCENARIOS_DIR / "x"):
        code, err = _run_into(inside, capsys)
        assert code == 2 and "own input folders" in err and not inside.exists()


def test_an_existing_file_is_refused_not_turned_into_a_folder(tmp_path, capsys):
    target = tmp_path / "results.csv"
    target.write_text("a,b\n1,2\n")
    code, err = _run_into(target, capsys)
    assert code == 2 and "is an existing file" in err
    assert target.read_text() == "a,b\n1,2\n" and sorted(p.name for p in tmp_path.iterdir()) == ["results.csv"]


def test_a_symlink_is_refused_not_followed(tmp_path, capsys):
    real = tmp_path / "precious"
    real.mkdir()
    (real / "data.xlsx").write_text("keep me")
    link = tmp_path / "out"
    link.symlink_to(real)
    code, err = _run_into(link, capsys)
    assert code == 2 and "symbolic link" in err
    assert (real / "data.xlsx").read_text() == "keep me" and link.is_symlink()
    # an empty folder behind a link is refused all the same: the link is never followed
    (real / "data.xlsx").unlink()
    assert _run_into(link, capsys)[0] == 2


def test_a_users_folder_named_like_the_failure_folder_is_refused(tmp_path, capsys):
    (tmp_path / "out.failed").mkdir()
    (tmp_path / "out.failed" / "notes.md").write_text("mine")
    code, err = _run_into(tmp_path / "out", capsys)
    assert code == 2 and "out.failed" in err and (tmp_path / "out.failed" / "notes.md").exists()


@pytest.mark.notebook
def test_an_r57_folder_is_replaced_whole_and_atomically(tmp_path, capsys):
    out = tmp_path / "vn"
    out.mkdir()
    (out / "report.html").write_text(LAST_GOOD)
    (out / "tables").mkdir()
    (out / "tables" / "stale.csv").write_text("from an older run")
    ownership.seal(out)  # r57's folder: everything in it recorded by r57
    umask = os.umask(0o077)  # a private umask: the folder is still 0755 and its files 0644
    try:
        assert cli.main(["run", "ecosystem_rankings", "-p", "entity", "VNM", "--output-dir", str(out)]) == 0
    finally:
        os.umask(umask)
    assert f"report written to {out / 'report.html'}" in capsys.readouterr().out
    assert all(stat.S_IMODE(p.stat().st_mode) in (0o644, 0o755) for p in out.rglob("*")), "modes"
    assert ownership.read_manifest(out) and not (out / "tables" / "stale.csv").exists()
    assert (out / "report.html").read_text() != LAST_GOOD
    assert stat.S_IMODE(out.stat().st_mode) == 0o755 and stat.S_IMODE((out / "report.html").stat().st_mode) == 0o644
    assert [p.name for p in tmp_path.iterdir()] == ["vn"]  # no .tmp- or .old- left beside it
    # and the folder it made is accepted next time without question
    assert runner.check_output_dir(out) == out


# ----------------------------------------------------------------------------- 2. interruption


def _r57_processes(marker: str) -> list[int]:
    """Pids of live processes whose environment holds ``marker`` (our private reports folder)."""
    found = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit() and int(proc.name) != os.getpid():
            try:
                if marker.encode() in (proc / "environ").read_bytes():
                    found.append(int(proc.name))
            except OSError:
                continue
    return found


def _start_run_all(site: Path, *extra: str) -> subprocess.Popen:
    env = os.environ.copy()
    cmd = [sys.executable, "-m", "analysis", "run-all", "--jobs", "2", "--lang", "en", *extra]
    return subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, start_new_session=True
    )  # its own group, as a shell gives a foreground job


def _kernels_under(root: int) -> list[int]:
    """Pids of the Jupyter kernels running below process ``root`` (its children, theirs, ...)."""
    children: dict[int, list[int]] = {}
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                ppid = int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(proc.name))
    below, todo = [], [root]
    while todo:
        for pid in children.get(todo.pop(), []):
            below.append(pid)
            todo.append(pid)
    kernels = []
    for pid in below:
        try:
            if b"ipykernel_launcher" in Path(f"/proc/{pid}/cmdline").read_bytes():
                kernels.append(pid)
        except OSError:
            continue
    return kernels


def _wait_for_kernels(reports: Path, proc: subprocess.Popen, timeout: float = 120.0) -> list[Path]:
    """Wait until both reports are being built: their temporary folders exist and their kernels run."""
    tmps = wait_until(
        lambda: (
            len(t := [p for p in reports.iterdir() if p.name.startswith(".tmp-")] if reports.exists() else []) == 2
            and t
        ),
        timeout,
        "run-all to start its reports",
        proc,
    )
    wait_until(lambda: len(_kernels_under(proc.pid)) >= 2, timeout, "both reports' kernels", proc)
    return tmps


@pytest.mark.notebook
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("signum, code, to_group", [(signal.SIGTERM, 143, False), (signal.SIGINT, 130, True)])
def test_a_killed_run_all_stops_its_workers_and_leaves_nothing_half_written(site_dirs, signum, code, to_group):
    reports = site_dirs / "reports"
    _last_good(reports, "rank-vn")
    proc = _start_run_all(site_dirs, "--force")
    _wait_for_kernels(reports, proc)
    if to_group:  # Ctrl-C in a terminal: SIGINT to the whole foreground process group
        os.killpg(proc.pid, signum)
    else:  # `kill PID`, as cron or a CI runner stops a job
        proc.send_signal(signum)
    start = time.monotonic()
    out, err = proc.communicate(timeout=60)  # returns only once every holder of the pipe is gone
    assert time.monotonic() - start < 30
    assert proc.returncode == code, err
    assert f"interrupted by {signal.Signals(signum).name}" in err and "Traceback" not in err
    assert "last good reports kept unchanged" in err
    assert _r57_processes(str(reports)) == []  # no worker, template or kernel left running
    assert (reports / "rank-vn" / "report.html").read_text() == LAST_GOOD
    assert not (reports / "rank-hcmc").exists()
    assert [p.name for p in reports.iterdir() if p.name.startswith((".tmp-", ".old-"))] == []
    assert (reports / "index.html").read_text().rstrip().endswith("</html>")


@pytest.mark.notebook
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_after_a_kill_9_the_workers_stop_and_the_next_run_removes_the_debris(site_dirs, capsys):
    reports = site_dirs / "reports"
    proc = _start_run_all(site_dirs, "--force")
    tmps = _wait_for_kernels(reports, proc)
    victim = int(re.match(r"\.tmp-.+-(\d+)-[0-9a-f]{8}$", tmps[0].name).group(1))  # that report's worker
    os.kill(victim, signal.SIGKILL)  # the worker dies with no chance to clean up: real debris
    proc.kill()  # and run-all itself: its other worker must stop on its own (parent-death signal)
    proc.communicate(timeout=60)
    wait_exit(_r57_processes(str(reports)), 30)  # the other worker and both kernels stop on their own
    assert _r57_processes(str(reports)) == []
    assert tmps[0].exists()  # the killed worker's half-built report is still there ...
    # ... until the next run, which removes it (and is not blocked by a stale lock)
    assert cli.main(["run-all", "--only", "nothing-matches"]) == 1
    assert "left by an interrupted run" in capsys.readouterr().out
    assert [p.name for p in reports.iterdir() if p.name.startswith((".tmp-", ".old-"))] == []
    with records.locked("rank-vn"), records.locked("rank-hcmc"):
        pass


@pytest.mark.notebook
def test_a_terminated_single_run_keeps_the_previous_report_and_leaves_no_debris(tmp_path):
    out = tmp_path / "vn"
    out.mkdir()
    (out / "report.html").write_text(LAST_GOOD)
    ownership.seal(out)
    proc = subprocess.Popen(
        [sys.executable, "-m", "analysis", "run", "ecosystem_rankings", "--output-dir", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    wait_until(lambda: any(p.name.startswith(".tmp-") for p in tmp_path.iterdir()), 120, "the run to start", proc)
    wait_until(lambda: _kernels_under(proc.pid), 120, "the report's kernel", proc)  # stopped with a kernel running
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 143 and "interrupted by SIGTERM; nothing was written" in err and "Traceback" not in err
    assert [p.name for p in tmp_path.iterdir()] == ["vn"] and (out / "report.html").read_text() == LAST_GOOD


def test_a_live_runs_temporary_folder_is_not_removed(tmp_path):
    live = tmp_path / f".tmp-x-{os.getpid()}-0123abcd"
    dead = tmp_path / ".tmp-x-999999999-0123abcd"  # no such pid
    live.mkdir()
    dead.mkdir()
    assert runner.remove_stale_temporaries(tmp_path) == [dead.name]
    assert live.exists() and not dead.exists()


# ----------------------------------------------------------------------------- 3. failure state


@pytest.mark.notebook
def test_a_fixed_failure_reruns_without_force_and_the_index_says_ok(site_dirs, monkeypatch, capsys):
    nbs = site_dirs / "notebooks"
    shutil.copytree(paths.NOTEBOOKS_DIR, nbs)
    _redirect(monkeypatch, notebooks=nbs)
    (site_dirs / "scenarios" / "rank-hcmc.yaml").unlink()
    original = (nbs / "03_ecosystem_rankings.ipynb").read_bytes()
    nb = nbformat.read(nbs / "03_ecosystem_rankings.ipynb", as_version=4)
    nb.cells.insert(3, nbformat.v4.new_code_cell("raise RuntimeError('broken for a while')"))
    nbformat.write(nb, nbs / "03_ecosystem_rankings.ipynb")
    reports = site_dirs / "reports"
    for name in ("rank-vn", "vi/rank-vn"):
        _last_good(reports, name)
    # a fractional --timeout works (nbclient takes whole seconds: it is rounded up); both editions of the one
    # execution fail, each keeping its last good report and saying why beside it
    assert cli.main(["run-all", "--timeout", "60.5"]) == 1
    assert "0 ok, 0 skipped, 2 failed" in capsys.readouterr().out
    for folder in (reports, reports / "vi"):
        assert "broken for a while" in (folder / "rank-vn.failed" / "error.html").read_text()
        assert (folder / "rank-vn" / "report.html").read_text() == LAST_GOOD
    assert "what failed" in (reports / "index.html").read_text()
    (nbs / "03_ecosystem_rankings.ipynb").write_bytes(original)  # fixed: back to the last good version
    capsys.readouterr()
    outcomes, index = batch.run_all(langs=("en",), jobs=1, log=lambda *_: None)
    assert [(o.scenario, o.status) for o in outcomes] == [("rank-vn", "ok")]  # rerun although unchanged since
    page = index.read_text()
    assert '<span class="ok">ok</span>' in page and "what failed" not in page
    assert not (reports / "rank-vn.failed").exists()
    outcomes, _ = batch.run_all(langs=("en",), jobs=1, log=lambda *_: None)  # now it is up to date
    assert [(o.scenario, o.status) for o in outcomes] == [("rank-vn", "skipped")]
    for f in (index, reports / "rank-vn" / "run.json", reports / "rank-vn" / "report.html"):
        assert stat.S_IMODE(f.stat().st_mode) & 0o444 == 0o444, f  # world-readable, like the reports


# ----------------------------------------------------------------------------- 4. tampering


@pytest.fixture()
def raw_copy(tmp_path, monkeypatch) -> Path:
    raw = tmp_path / "raw"
    shutil.copytree(paths.RAW_DATA_DIR, raw)
    _redirect(monkeypatch, raw=raw)
    return raw


def test_a_tampered_kernel_only_dataset_stops_run_all_before_any_kernel(site_dirs, raw_copy, capsys):
    # rank_startupblink_score_points is read only inside the ecosystem_rankings kernel
    with open(raw_copy / "rank_startupblink_score_points.csv", "a") as fh:
        fh.write("\n")
    assert cli.main(["run-all"]) == 1
    err = capsys.readouterr().err
    assert "rank_startupblink_score_points.csv" in err and "checksum mismatch" in err
    assert not (site_dirs / "reports" / "rank-vn").exists()


def test_the_fingerprint_covers_the_data_files_not_only_the_manifest(raw_copy, site_dirs):
    s = catalogue.load_scenario(site_dirs / "scenarios" / "rank-vn.yaml")
    before = batch.fingerprint(s, "code")
    path = raw_copy / "rank_gii.csv"
    path.write_bytes(path.read_bytes() + b"\n")  # the manifest is unchanged, the file is not
    assert batch.fingerprint(s, "code") != before


def test_a_data_file_replaced_by_a_folder_is_named(raw_copy, site_dirs, capsys):
    (raw_copy / "vn_gdp.csv").unlink()
    (raw_copy / "vn_gdp.csv").mkdir()
    assert cli.main(["data", "verify", "--data-dir", str(raw_copy)]) == 1
    err = capsys.readouterr().err
    assert "vn_gdp.csv" in err and "is a folder" in err and "Traceback" not in err
    (site_dirs / "scenarios" / "rd.yaml").write_text("notebook: rd_paths\ntitle: R&D\nparameters: {}\n")
    assert cli.main(["run", "rd_paths", "--output-dir", str(site_dirs / "out")]) == 1
    assert "is a folder" in capsys.readouterr().err


def test_verify_checks_the_recorded_reference_inputs(tmp_path, monkeypatch, capsys):
    ref = tmp_path / "external"
    shutil.copytree(paths.REFERENCE_DIR, ref)
    _redirect(monkeypatch, reference=ref)
    first = datasets.read_manifest().entry("vn_gdp.csv")["built_from"][0]["path"].removeprefix("data/external/")
    (ref / first).write_bytes((ref / first).read_bytes() + b"edited\n")  # a changed input of a built dataset
    assert cli.main(["data", "verify"]) == 1
    err = capsys.readouterr().err
    assert str(ref / first) in err and "changed since data/raw was built" in err and "--accept" in err


def test_data_build_shows_each_changed_value_and_needs_accept(tmp_path, raw_copy, monkeypatch, capsys):
    ref = tmp_path / "reference"
    shutil.copytree(paths.REFERENCE_DIR, ref)
    _redirect(monkeypatch, reference=ref)
    before = {p.name: p.read_bytes() for p in raw_copy.iterdir()}
    # the reference WDI GERD extract: change Viet Nam's value for one year
    rel = next(
        i["path"]
        for i in datasets.read_manifest(raw_copy / "manifest.yaml").entry("wdi_gerd_pct_gdp.csv")["built_from"]
    ).removeprefix("data/external/")
    text = (ref / rel).read_text(encoding="utf-8")
    line = next(ln for ln in text.splitlines() if '"VNM"' in ln or ",VNM," in ln)
    cells = line.split(",")
    j = next(i for i in range(len(cells) - 1, 0, -1) if re.fullmatch(r'"?[0-9.]+"?', cells[i]))
    old = cells[j].strip('"')
    cells[j] = cells[j].replace(old, "1.23456")
    (ref / rel).write_text(text.replace(line, ",".join(cells)), encoding="utf-8")
    assert cli.main(["data", "build"]) == 1
    out = capsys.readouterr()
    assert "wdi_gerd_pct_gdp.csv:" in out.out and "-> '1.23456'" in out.out and "--accept" in out.err
    assert {p.name: p.read_bytes() for p in raw_copy.iterdir()} == before  # nothing written, nothing re-signed
    assert cli.main(["data", "build", "--accept"]) == 0
    assert (raw_copy / "wdi_gerd_pct_gdp.csv").read_bytes() != before["wdi_gerd_pct_gdp.csv"]
    assert datasets.verify_all(raw_copy) == []
    assert cli.main(["data", "build"]) == 0  # accepted: nothing left to review
    assert "nothing changed" in capsys.readouterr().out


def _edited_compilation_and_scratch(tmp_path, raw_copy, monkeypatch):
    """A copy of the compilation data/raw is built from, with an input edited (its rows the same), and a scratch
    copy of data/raw: what a build of another data folder would re-sign."""
    ref = tmp_path / "external"
    shutil.copytree(paths.REFERENCE_DIR, ref)
    _redirect(monkeypatch, reference=ref)
    with (ref / "rankings" / "gii.csv").open("a", encoding="utf-8") as fh:
        fh.write("\n")
    scratch = tmp_path / "scratch"
    shutil.copytree(raw_copy, scratch)
    return ref, scratch


def test_accepting_a_build_of_another_data_folder_never_re_signs_the_compilation_of_data_raw(
    tmp_path, raw_copy, monkeypatch, capsys
):
    """`--data-dir COPY --accept` re-signed the compilation data/raw is built from (an edited input under a new
    version) for a scratch copy: data/raw then passed `r57 data verify` unrebuilt. Refused, naming --reference."""
    ref, scratch = _edited_compilation_and_scratch(tmp_path, raw_copy, monkeypatch)
    files = lambda: {p.name: p.read_bytes() for p in scratch.iterdir()}  # noqa: E731
    signed, copied = (ref / "manifest.yaml").read_bytes(), files()
    assert cli.main(["data", "build", "--data-dir", str(scratch), "--accept"]) == cli.EXIT_USAGE
    err = capsys.readouterr().err
    assert f"r57: refused: --accept would re-sign {ref / 'manifest.yaml'}" in err
    assert f"give --reference a copy of {ref}" in err and err.rstrip().endswith("nothing was written")
    assert (ref / "manifest.yaml").read_bytes() == signed and files() == copied
    # a copy of the compilation named by --reference is the copy's to sign; data/raw's stays as it was
    mine = tmp_path / "mine"
    shutil.copytree(ref, mine)
    assert cli.main(["data", "build", "--data-dir", str(scratch), "--reference", str(mine), "--accept"]) == 0
    assert f"re-signed {scratch / 'manifest.yaml'} and {mine / 'manifest.yaml'}" in capsys.readouterr().out
    assert (ref / "manifest.yaml").read_bytes() == signed and datasets.verify_all(scratch, mine) == []
    # data/raw itself is built and signed with its compilation as before
    assert cli.main(["data", "build", "--accept"]) == 0
    assert (ref / "manifest.yaml").read_bytes() != signed and datasets.verify_all(raw_copy) == []


def test_a_dry_build_of_another_data_folder_suggests_what_accepting_allows(tmp_path, raw_copy, monkeypatch, capsys):
    """The refusal above named a copy for --reference, but the dry build of the same folder still ended with
    `r57 data build --data-dir COPY --accept`, which that refusal stops. Following the hint now works."""
    ref, scratch = _edited_compilation_and_scratch(tmp_path, raw_copy, monkeypatch)
    assert cli.main(["data", "build", "--data-dir", str(scratch)]) == 1
    err = capsys.readouterr().err
    copy = re.search(r"\(`(cp -r [^`]*)`\)", err)
    hint = shlex.split(re.search(r"run `(r57 data build [^`]*)`", err).group(1))
    assert copy and shlex.split(copy.group(1)) == ["cp", "-r", str(ref), "DIR"], err
    mine = tmp_path / "mine"
    shutil.copytree(ref, mine)
    assert hint == ["r57", "data", "build", "--data-dir", str(scratch), "--reference", "DIR", "--accept"]
    assert cli.main([str(mine) if x == "DIR" else x for x in hint[1:]]) == 0
    assert datasets.verify_all(scratch, mine) == []
    # data/raw's own dry build still names itself alone: accepting it re-signs its compilation
    assert cli.main(["data", "build"]) == 1
    assert "run `r57 data build --accept`" in capsys.readouterr().err


# ----------------------------------------------------------------------------- 5. files and names


def test_a_lock_file_symlink_is_not_followed(site_dirs):
    victim = site_dirs / "victim.txt"
    victim.write_text("do not truncate me")
    locks = site_dirs / "reports" / ".locks"
    locks.mkdir(parents=True)
    (locks / "rank-vn.lock").symlink_to(victim)
    with pytest.raises(R57Error, match="symbolic link"):
        with records.locked("rank-vn"):
            pass
    assert victim.read_text() == "do not truncate me"
    shutil.rmtree(locks)
    locks.symlink_to(site_dirs)  # the whole lock folder as a link
    with pytest.raises(R57Error, match="symbolic link"):
        with records.locked("rank-vn"):
            pass


def test_colliding_scenario_names_are_refused_and_stay_on_the_index(site_dirs):
    scen, reports = site_dirs / "scenarios", site_dirs / "reports"
    (scen / "rd_paths.yaml").write_text("notebook: rd_paths\ntitle: Clash with a report\nparameters: {}\n")
    (scen / "twin.yaml").write_text("notebook: rd_paths\ntitle: Twin A\nparameters: {}\n")
    (scen / "twin.yml").write_text("notebook: rd_paths\ntitle: Twin B\nparameters: {}\n")
    (scen / "latin1.yaml").write_bytes("notebook: rd_paths\ntitle: Vi\xeat Nam\n".encode("latin-1"))
    _last_good(reports, "twin")  # a refused scenario's old folder stays; the index says it was not rerun
    (scen / "rank-hcmc.yaml").unlink()
    good, bad = catalogue.load_catalogue()
    reasons = {p.name: m for p, m in bad}
    assert "taken by a report" in reasons["rd_paths.yaml"]
    assert "twin.yml" in reasons["twin.yaml"] and "twin.yaml" in reasons["twin.yml"]
    assert "not UTF-8" in reasons["latin1.yaml"]  # one bad file does not stop the batch
    assert {s.name for s in good} == {"rank-vn"}
    outcomes, index = batch.run_all(langs=("en",), jobs=1, only="[lt]*", log=lambda *_: None)
    assert {o.scenario: o.status for o in outcomes} == {"twin": "refused", "latin1": "refused"}
    page = index.read_text()
    # every refused file stays on the index with its reason, whatever --only picked
    assert page.count('<span class="refused">refused</span>') == 4 and "taken by a report" in page
    assert 'twin/report.html">report from an earlier run</a>, not regenerated' in page
    assert stat.S_IMODE(index.stat().st_mode) == 0o644


def test_a_scenario_whose_folder_is_a_users_is_refused_on_the_index(site_dirs):
    reports = site_dirs / "reports"
    (reports / "rank-vn").mkdir(parents=True)
    (reports / "rank-vn" / "mine.txt").write_text("mine")
    outcomes, index = batch.run_all(langs=("en",), jobs=1, only="rank-vn", log=lambda *_: None)
    assert [(o.scenario, o.status) for o in outcomes] == [("rank-vn", "refused")]
    assert "mine.txt" in outcomes[0].message and "refused" in index.read_text()
    assert (reports / "rank-vn" / "mine.txt").read_text() == "mine"


# ----------------------------------------------------------------------------- 6. messages, not tracebacks


def _cli(capsys, *argv: str) -> tuple[int, str]:
    code = cli.main(list(argv))
    out = capsys.readouterr()
    assert "Traceback" not in out.err
    return code, out.err


def test_a_binary_parameter_file_is_refused(tmp_path, capsys):
    f = tmp_path / "params.yaml"
    f.write_bytes(bytes(range(256)) * 10)
    code, err = _cli(capsys, "run", "rd_paths", "-f", str(f))
    assert code == 2 and "binary file" in err
    f.write_bytes("target_year: 2035\ntitle: Vi\xeat\n".encode("latin-1"))
    code, err = _cli(capsys, "run", "rd_paths", "-f", str(f))
    assert code == 2 and "not UTF-8" in err


def test_duplicate_keys_in_a_parameter_file_are_refused(tmp_path, capsys):
    f = tmp_path / "params.yaml"
    f.write_text("target_year: 2035\nreal_gdp_growth_pct: 6.5\ntarget_year: 2040\n")
    code, err = _cli(capsys, "run", "rd_paths", "-f", str(f))
    assert code == 2 and "'target_year' appears twice" in err


def test_1e300_is_read_as_a_number_and_refused_as_out_of_range(capsys):
    code, err = _cli(capsys, "run", "rd_paths", "-p", "real_gdp_growth_pct", "1e300")
    assert code == 2 and "1e+300 is out of range" in err


def test_a_huge_bad_value_is_not_echoed_in_full(capsys):
    code, err = _cli(capsys, "run", "rd_paths", "-p", "path_shape", "x" * 5_000_000)
    assert code == 2 and len(err) < 2000 and "characters in all" in err


@pytest.mark.parametrize(
    "argv, code, fragment",
    [
        (["run", "rd_feasibility", "-p", "target_year", "2060"], 2, "longer than any historical window"),
        (["run", "ecosystem_rankings", "-p", "min_points", "9"], 2, "more than fit_last_editions (8)"),
        (["sweep", "--grid", "real_gdp_growth_pct=a:b:c"], 2, "must be start:stop:step"),
        (["sweep", "--grid", "real_gdp_growth_pct=10:3:1"], 2, "start <= stop"),
        (["sweep", "--grid", "real_gdp_growth_pct"], 2, "must be NAME=VALUES"),
        (["sweep", "--grid", "real_gdp_growth_pct=,"], 2, "lists no values"),
        (["sweep", "--random", "real_gdp_growth_pct=4", "-n", "5"], 2, "is not LO:HI"),
        (["sweep", "--random", "real_gdp_growth_pct=nan:9", "-n", "5"], 2, "finite"),
        (["sweep", "--grid", "nonsense=1,2"], 2, "cannot be swept"),
        (["sweep", "--grid", "real_gdp_growth_pct=3:10:0.0000001"], 2, "has more than 10,000,000 values"),
        (["sweep", "--grid", "real_gdp_growth_pct=0:1e300:1"], 2, "'0:1e300:1' has more than 10,000,000 values ("),
        (
            ["sweep", "--grid", "real_gdp_growth_pct=3:10:0.007", "--grid", "gdp_deflator_pct=0:10:0.01"],
            2,
            "more than the limit",
        ),
    ],
)
def test_bad_input_gets_a_message(capsys, argv, code, fragment):
    got, err = _cli(capsys, *argv)
    assert got == code and fragment in err, err


def test_the_sweep_limit_can_be_raised_explicitly(tmp_path, capsys):
    out = tmp_path / "s.csv"
    grid = ["--grid", "real_gdp_growth_pct=3:10:1", "--grid", "gdp_deflator_pct=1:4:1"]  # 8 x 4 = 32
    code, err = _cli(capsys, "sweep", *grid, "--max-scenarios", "20", "--output", str(out))
    assert code == 2 and "pass --max-scenarios 32" in err and not out.exists()
    code, _ = _cli(capsys, "sweep", *grid, "--max-scenarios", "32", "--output", str(out))
    assert code == 0 and len(out.read_text().splitlines()) == 33


@pytest.mark.parametrize(
    "argv",
    [
        ["run-all", "--timeout", "0"],
        ["run-all", "--timeout", "inf"],
        ["run-all", "--timeout", "soon"],
        ["run-all", "--jobs", "0"],
        ["run-all", "--only", ""],  # not every scenario
        ["run-all", "--only", "rd-*", "--only", " "],
    ],
)
def test_bad_run_all_options_are_refused_by_the_parser(argv, capsys):
    with pytest.raises(SystemExit) as exc:
        cli.main(argv)
    err = capsys.readouterr().err
    assert exc.value.code == 2 and "r57 run-all: error: argument" in err
    assert "--only" not in argv or "an empty pattern matches no scenario name" in err


def test_a_device_as_output_is_refused(capsys):
    code, err = _cli(capsys, "sweep", "--grid", "real_gdp_growth_pct=3:10:1", "--output", "/dev/full")
    assert code == 2 and "/dev/full exists and is not a regular file" in err


def test_an_output_that_cannot_be_read_is_refused_naming_it(capsys):
    code, err = _cli(capsys, "sweep", "--grid", "real_gdp_growth_pct=3:10:1", "--output", "/proc/self/mem")
    assert code == 2 and "/proc/self/mem exists and r57 did not write it" in err


@pytest.mark.skipif(not hasattr(signal, "SIGXFSZ"), reason="needs RLIMIT_FSIZE")
def test_a_full_disk_gets_a_message(tmp_path):
    # a real write error: the kernel refuses to grow a file past the size limit (as a full disk would)
    script = (
        "import resource, signal, sys; signal.signal(signal.SIGXFSZ, signal.SIG_IGN);"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (2000, 2000)); from analysis.cli import main;"
        f"sys.exit(main(['sweep', '--grid', 'real_gdp_growth_pct=3:10:0.1', '--output', {str(tmp_path / 'o.csv')!r}]))"
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1 and "File too large" in proc.stderr and "Traceback" not in proc.stderr
    assert list(tmp_path.iterdir()) == []  # no partial CSV, no temporary file


@pytest.mark.skipif(os.access("/sys", os.W_OK) and not Path("/sys").is_mount(), reason="needs a read-only /sys")
def test_a_read_only_output_place_gets_a_message(capsys):
    code = cli.main(["run", "rd_paths", "--output-dir", "/sys/r57-out"])
    err = capsys.readouterr().err
    assert code == 1 and "cannot write the report" in err and "(/sys/.tmp-r57-out-" in err and "Traceback" not in err
    assert "make the folder writable (or give --output-dir elsewhere)" in err


def test_refresh_archives_never_overwrite_each_other(tmp_path):
    from analysis.data.refresh import refresh
    from test_refresh import recorded  # the recorded World Bank answers

    def shifted(k: int):
        def fetch(url: str) -> bytes:
            doc = json.loads(recorded(url))
            for rec in doc[1] or []:
                if rec.get("value") is not None:
                    rec["value"] = rec["value"] * (1 + k / 1000)
            return json.dumps(doc).encode()

        return fetch

    data = tmp_path / "data" / "raw"
    shutil.copytree(paths.RAW_DATA_DIR, data)
    archive = tmp_path / "data" / "archive"
    versions = []
    for k in range(3):  # three refreshes on one day, each with new figures
        versions.append(datasets.read_manifest(data / "manifest.yaml").version)
        refresh(shifted(k), data, archive, log=lambda *_: None)
    kept = sorted(p.name for p in archive.iterdir())
    assert len(kept) == 3 and sorted(versions) == kept  # one archive per vintage, none overwritten
    sums = {datasets.read_manifest(archive / v / "manifest.yaml").entry("wdi_gerd_pct_gdp.csv")["sha256"] for v in kept}
    assert len(sums) == 3
