"""Ownership by record (issue 27): r57 replaces only what it recorded writing, unchanged.

Real folders throughout; the rule is tried in-process where the test is about the folder (every command
refuses before a kernel starts), and one real ``run-all`` loses a worker to ``kill -9``.
"""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from analysis import cli, paths
from analysis.errors import NotebookExecutionError, OutputDirError
from analysis.reports.rd_paths import RdData
from analysis.run import batch, explore, ownership, publish, runner
from analysis.run import site as site_module
from analysis.run.catalogue import ScenarioError, load_catalogue, load_scenario
from test_compare import results_for
from test_failures import LAST_GOOD, RANK_HCMC, RANK_VN, _r57_processes, _redirect
from waiting import wait_exit, wait_until

SEGMENT = st.from_regex(r"[A-Za-z0-9_.][A-Za-z0-9_.\- ]{0,24}", fullmatch=True).filter(lambda s: s not in {".", ".."})
PLANTED = st.tuples(st.lists(SEGMENT, max_size=3), SEGMENT)  # (folders, file name): a file at a random depth
FAST = settings(max_examples=15, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture()
def site(tmp_path, monkeypatch):
    """A private reports/ and scenarios/ (two ranking scenarios), as in test_failures."""
    reports, scen = tmp_path / "reports", tmp_path / "scenarios"
    scen.mkdir()
    (scen / "rank-vn.yaml").write_text(RANK_VN)
    (scen / "rank-hcmc.yaml").write_text(RANK_HCMC)
    _redirect(monkeypatch, reports=reports, scenarios=scen)
    return tmp_path


def _r57_folder(folder: Path) -> Path:
    """A folder as r57 leaves it: a report, a table, their record."""
    (folder / "tables").mkdir(parents=True)
    (folder / "report.html").write_text(LAST_GOOD)
    (folder / "tables" / "t1.csv").write_text("year,share\n2030,2.0\n")
    ownership.seal(folder)
    return folder


def _plant(folder: Path, planted: tuple[list[str], str]) -> tuple[Path, str]:
    """Put a user's file at ``folder/<folders>/<name>``; skip the draw if a folder or file is in the way."""
    dirs, name = planted
    path = folder.joinpath(*dirs, name)
    for parent in [folder.joinpath(*dirs[:i]) for i in range(1, len(dirs) + 1)]:
        assume(not parent.is_file())
    assume(not path.is_dir())
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"user: three years of work")  # never what r57 wrote there
    return path, path.relative_to(folder).as_posix()


def _cli(capsys, *argv: str) -> tuple[int, str]:
    code = cli.main([str(a) for a in argv])
    out = capsys.readouterr()
    assert "Traceback" not in out.err and "running" not in out.out  # refused before any kernel
    return code, out.err


# ----------------------------------------------------------------------------- the property


@FAST
@given(planted=PLANTED, beside=st.booleans())
def test_a_users_file_in_a_run_or_failure_folder_survives_and_is_named(tmp_path_factory, capsys, planted, beside):
    root = tmp_path_factory.mktemp("run")
    out = _r57_folder(root / "out")
    target = _r57_folder(root / "out.failed") if beside else out  # the .failed sibling, or the run folder
    path, rel = _plant(target, planted)
    code, err = _cli(capsys, "run", "rd_paths", "--output-dir", out)
    assert code == 2 and f"holds {rel}," in err and "Nothing was written" in err
    assert path.read_bytes() == b"user: three years of work"
    assert sorted(p.name for p in root.iterdir()) == sorted(["out"] + (["out.failed"] if beside else []))


@FAST
@given(planted=PLANTED, edition=st.sampled_from(["rank-vn", "vi/rank-vn"]))
def test_a_users_file_in_a_run_all_scenario_folder_survives_and_is_named(site, planted, edition):
    shutil.rmtree(site / "reports", ignore_errors=True)
    folder = _r57_folder(site / "reports" / edition)  # the English or the Vietnamese edition's folder
    path, rel = _plant(folder, planted)
    runs = batch.editions(batch.load_catalogue()[0], ("en", "vi"))
    outcomes = batch._refuse_unsafe_outputs(runs, found := [])
    assert len(outcomes) == 3 and edition not in [s.name for s in outcomes]  # the others run
    assert [(o.scenario, o.status) for o in found] == [(edition, "refused")]
    assert f"holds {rel}," in found[0].message and path.read_bytes() == b"user: three years of work"


@FAST
@given(planted=PLANTED)
def test_a_users_file_beside_a_compare_page_or_a_sweep_csv_survives(tmp_path_factory, capsys, compare_reports, planted):
    for written, argv in (
        (
            "compare.html",
            ["compare", "rd-baseline", "rd-2035", "--reports-dir", compare_reports, "--output-dir", "{U}"],
        ),
        ("sweep.csv", ["sweep", "--grid", "real_gdp_growth_pct=5,6", "--output", "{U}/sweep.csv"]),
    ):
        folder = tmp_path_factory.mktemp("out")
        path, rel = _plant(folder, planted)
        in_the_way = rel.split("/")[0] in (written, ownership.MANIFEST)  # the file, or a fake record
        code, err = _cli(capsys, *[str(a).replace("{U}", str(folder)) for a in argv])
        if in_the_way:  # refused, naming it
            assert code == 2 and str(folder / rel.split("/")[0]) in err
        else:
            assert code == 0 and stat.S_IMODE((folder / written).stat().st_mode) == 0o644
        assert path.read_bytes() == b"user: three years of work"


@FAST
@given(planted=PLANTED, name=st.sampled_from(["rd-mine", "rd-baseline"]))
def test_a_users_file_in_the_scenarios_folder_survives_an_explorer_save(tmp_path_factory, planted, name):
    folder = tmp_path_factory.mktemp("scenarios")
    path, rel = _plant(folder, planted)
    final = folder / f"{name}.yaml"
    in_the_way = final.exists()
    try:
        saved = explore.save_scenario(name, "Mine", {"target_year": 2031}, directory=folder)
    except ScenarioError as exc:
        assert in_the_way and str(final) in str(exc)
    else:
        assert not in_the_way and stat.S_IMODE(saved.stat().st_mode) == 0o644
    assert path.read_bytes() == b"user: three years of work"


@pytest.fixture(scope="module")
def compare_reports(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("reports")
    data = RdData.load()
    for name, given_ in {"rd-baseline": {}, "rd-2035": {"target_year": 2035}}.items():
        (root / name).mkdir()
        (root / name / "results.json").write_text(json.dumps(results_for(given_, data)))
        (root / name / "report.html").write_text("<html><body>report</body></html>")
    return root


# ----------------------------------------------------------------------------- the reproductions


def test_a_users_csv_in_tables_is_refused_and_kept(tmp_path, capsys):
    (tmp_path / "D" / "tables").mkdir(parents=True)
    (tmp_path / "D" / "tables" / "thesis.csv").write_text("x\n")
    code, err = _cli(capsys, "run", "rd_paths", "--output-dir", tmp_path / "D")
    assert code == 2 and "holds tables/thesis.csv, which r57 did not write" in err
    assert (tmp_path / "D" / "tables" / "thesis.csv").read_text() == "x\n"


def test_a_stale_failure_folder_with_a_users_file_is_refused_and_never_removed(tmp_path, capsys):
    failed = _r57_folder(tmp_path / "out.failed")
    (failed / "notes.md").write_text("mine")
    code, err = _cli(capsys, "run", "rd_paths", "--output-dir", tmp_path / "out")
    assert code == 2 and "failure folder" in err and "holds notes.md" in err
    with pytest.raises(OutputDirError, match="notes.md"):  # what a successful run calls to remove it
        ownership.remove_folder(failed)
    assert (failed / "notes.md").read_text() == "mine"


def test_a_changed_report_is_not_r57s_any_more(tmp_path):
    folder = _r57_folder(tmp_path / "out")
    assert ownership.foreign_file(folder) is None
    (folder / "report.html").write_text("my edits")
    assert ownership.foreign_file(folder) == "report.html"


def test_notes_in_a_catalogue_folder_make_run_all_refuse_it(site, capsys):
    folder = _r57_folder(site / "reports" / "rank-vn")
    (folder / "my-notes.txt").write_text("n")
    outcomes, index = batch.run_all(langs=("en",), force=True, only="rank-vn", log=print)
    assert [(o.scenario, o.status) for o in outcomes] == [("rank-vn", "refused")]
    assert "1 refused" in capsys.readouterr().out and "holds my-notes.txt" in outcomes[0].message
    assert (folder / "my-notes.txt").read_text() == "n" and (folder / "report.html").read_text() == LAST_GOOD


def test_compare_keeps_a_users_page_and_replaces_its_own(tmp_path, capsys, compare_reports):
    argv = ["compare", "rd-baseline", "rd-2035", "--reports-dir", compare_reports, "--output-dir", tmp_path]
    (tmp_path / "compare.html").write_text("my page")
    code, err = _cli(capsys, *argv)
    assert code == 2 and "compare.html exists and r57 did not write it" in err
    assert (tmp_path / "compare.html").read_text() == "my page"
    (tmp_path / "compare.html").unlink()
    assert _cli(capsys, *argv)[0] == 0 and _cli(capsys, *argv)[0] == 0  # its own page: replaced
    assert stat.S_IMODE((tmp_path / "compare.html").stat().st_mode) == 0o644
    assert sorted(p.name for p in tmp_path.iterdir()) == [".r57-output", "compare.html"]


def test_the_site_comparison_pages_of_an_older_run_are_adopted_once(tmp_path):
    page = tmp_path / "compare-rd_paths.html"
    page.write_text('<!DOCTYPE html><html><head><style id="r57-fonts"></style></head></html>')
    mine = tmp_path / "compare-mine.html"
    mine.write_text("<!DOCTYPE html><p>my page</p>")
    for p in (page, mine):
        ownership.adopt(p, functools.partial(site_module.made_by_r57, p), binary=True)  # as compare does
    assert ownership.check_file(page) == page
    with pytest.raises(OutputDirError, match="compare-mine.html"):
        ownership.check_file(mine)


def test_sweep_never_replaces_a_dataset_or_a_users_file(tmp_path, capsys):
    dataset = paths.RAW_DATA_DIR / "vn_gdp.csv"
    before = dataset.read_bytes()
    code, err = _cli(capsys, "sweep", "--grid", "real_gdp_growth_pct=1,2", "--output", dataset)
    assert code == 2 and "own input folders" in err and dataset.read_bytes() == before
    (tmp_path / "mine.csv").write_text("a\n")
    code, err = _cli(capsys, "sweep", "--grid", "real_gdp_growth_pct=1,2", "--output", tmp_path / "mine.csv")
    assert code == 2 and "mine.csv exists and r57 did not write it" in err
    assert (tmp_path / "mine.csv").read_text() == "a\n"


def test_a_link_elsewhere_to_an_input_folder_does_not_let_a_sweep_or_compare_write_into_it(
    tmp_path, capsys, monkeypatch
):
    # found by the adversarial rerun of issue 27: `--output LINK/new.csv`, LINK -> data/raw, wrote new.csv and
    # a .r57-output into data/raw (exit 0), and `r57 data verify` failed from then on
    raw = tmp_path / "data" / "raw"
    raw.mkdir(parents=True)
    monkeypatch.setattr(paths, "RAW_DATA_DIR", raw)
    (tmp_path / "link").symlink_to(raw)
    code, err = _cli(capsys, "sweep", "--grid", "real_gdp_growth_pct=1,2", "--output", tmp_path / "link" / "new.csv")
    assert code == 2 and "own input folders" in err and err.count("\n") == 1
    assert list(raw.iterdir()) == []
    with pytest.raises(OutputDirError, match="own input folders"):
        ownership.check_file(tmp_path / "link" / "sub" / "compare.html")


def test_run_all_names_a_scenario_file_with_a_newline_or_escape_in_one_printable_line(site, capsys):
    # found by the adversarial rerun of issue 27: `nl\n.yaml` split run-all's refusal over two lines, and an
    # escape sequence in a file name reached the terminal raw
    scen = site / "scenarios"
    (scen / "nl\n.yaml").write_text(RANK_VN)
    (scen / "esc\x1b[2J.yaml").write_text(RANK_VN)
    code = cli.main(["run-all", "--only", "[ne][ls]*"])
    err = capsys.readouterr().err
    refused = [line for line in err.splitlines() if line.startswith("r57: refused: ")]
    assert code == 1 and len(refused) == 2 and "\x1b" not in err
    assert any("nl\\n" in line for line in refused) and any("esc\\x1b[2J" in line for line in refused)


def test_a_full_disk_while_writing_a_single_file_names_that_file_and_leaves_nothing(tmp_path, capsys, monkeypatch):
    # found by the adversarial rerun of issue 27 (a 1 MB tmpfs): `r57 sweep --output FULL/s.csv` said "cannot
    # read or write a file: No space left on device" without a path, as write() gives none
    import errno

    def fill(path: Path) -> None:
        path.write_bytes(b"year,share\n")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))  # what write() raises on a full disk

    target = tmp_path / "out" / "s.csv"
    with pytest.raises(OSError) as caught:
        ownership.write_file(target, fill)
    assert caught.value.filename == str(target) and not target.exists()
    assert list(target.parent.iterdir()) == []  # no .part left behind
    from analysis.reports import numbers

    monkeypatch.setattr(numbers, "write_csv", lambda table, path, **kw: fill(Path(path)))
    code, err = _cli(capsys, "sweep", "--grid", "real_gdp_growth_pct=1,2", "--output", tmp_path / "o2" / "s.csv")
    assert code == 1 and f"({tmp_path / 'o2' / 's.csv'}): No space left on device" in err


def test_backtest_output_never_replaces_a_dataset_a_users_file_or_writes_through_a_link(tmp_path, capsys):
    # found by the adversarial rerun of issue 27: `r57 backtest --output` had no folder rule; it replaced
    # data/raw/vn_gdp.csv (exit 0, every report then refused to run), a user's CSV, and wrote through a link
    dataset = paths.RAW_DATA_DIR / "vn_gdp.csv"
    before = dataset.read_bytes()
    mine, victim = tmp_path / "mine.csv", tmp_path / "victim.csv"
    for f in (mine, victim):
        f.write_text("year,value\n2024,1\n")
    (tmp_path / "link.csv").symlink_to(victim)
    for target, why in (
        (dataset, "own input folders"),
        (mine, "r57 did not write it"),
        (tmp_path / "link.csv", "link"),
    ):
        code, err = _cli(capsys, "backtest", "--index", "gii", "--output", target)
        assert code == 2 and why in err and err.count("\n") == 1, err
    assert dataset.read_bytes() == before
    assert mine.read_text() == victim.read_text() == "year,value\n2024,1\n"
    for _ in range(2):  # a new file, then r57's own file again
        code, _err = _cli(capsys, "backtest", "--index", "gii", "--output", tmp_path / "out" / "bt.csv")
        assert code == 0 and (tmp_path / "out" / "bt.csv").read_text().startswith("index,horizon")
    # written as the report's tables/backtest.csv is: fixed decimals per unit (places and % to 4), whole numbers bare
    assert "\ngii,all,naive,104,8,5.0577,77.8846,80,5.0577,77.8846,True," in (tmp_path / "out" / "bt.csv").read_text()


def test_an_explorer_save_is_0644_never_replaces_without_confirmation_and_bounds_the_name(tmp_path):
    old = os.umask(0o077)  # a private umask: the saved file is still readable by the site's server
    try:
        saved = explore.save_scenario("rd-mine", "Mine", {"target_year": 2031}, directory=tmp_path)
    finally:
        os.umask(old)
    assert stat.S_IMODE(saved.stat().st_mode) == 0o644
    catalogue = tmp_path / "rd-baseline.yaml"
    catalogue.write_text("notebook: rd_paths\ntitle: Baseline\nparameters: {}\n")
    for overwrite in (False, "yes", 1):  # only True, the user's explicit confirmation, replaces
        with pytest.raises(ScenarioError, match="already exists"):
            explore.save_scenario("rd-baseline", "X", {"target_year": 2031}, directory=tmp_path, overwrite=overwrite)
    assert "Baseline" in catalogue.read_text()
    with pytest.raises(ScenarioError, match="300 characters: at most 100"):
        explore.save_scenario("r" * 300, "X", {}, directory=tmp_path)
    with pytest.raises(ScenarioError, match="scenario name"):
        explore.save_scenario("rd-x\n", "X", {}, directory=tmp_path)
    explore.save_scenario("rd-baseline", "X", {"target_year": 2031}, directory=tmp_path, overwrite=True)
    assert "title: X" in catalogue.read_text()


def test_the_explorers_replace_box_confirms_one_save_only(tmp_path, monkeypatch):
    pytest.importorskip("ipywidgets")
    from analysis.run.explore_ui import ExplorerUI

    monkeypatch.setattr(paths, "SCENARIOS_DIR", tmp_path)
    (tmp_path / "rd-baseline.yaml").write_text("notebook: rd_paths\ntitle: Baseline\nparameters: {}\n")
    ui = ExplorerUI()
    ui.save_name.value, ui.save_title.value = "rd-baseline", "Mine"
    ui.save()  # not confirmed: refused, the catalogue scenario kept
    assert "already exists" in ui.save_message.value and "Baseline" in (tmp_path / "rd-baseline.yaml").read_text()
    ui.save_overwrite.value = True
    ui.save()  # confirmed: replaced, and the box clears
    assert "Saved" in ui.save_message.value and "title: Mine" in (tmp_path / "rd-baseline.yaml").read_text()
    assert ui.save_overwrite.value is False
    ui.save_title.value = "Again"
    ui.save()  # the next save asks again
    assert "already exists" in ui.save_message.value and "title: Mine" in (tmp_path / "rd-baseline.yaml").read_text()


def test_an_old_marker_folder_is_accepted_only_with_r57s_own_files(tmp_path):
    folder = tmp_path / "old"
    (folder / "tables").mkdir(parents=True)
    (folder / ownership.MANIFEST).write_bytes(ownership.LEGACY_MARKER)
    (folder / "results.json").write_text(json.dumps({"tables": [{"id": "gerd", "csv": "gerd.csv"}]}))
    (folder / "report.html").write_text(LAST_GOOD)
    (folder / "tables" / "gerd.csv").write_text("a\n")
    (folder / "tables" / "gerd.vi.csv").write_text("a\n")
    assert ownership.foreign_file(folder) is None
    (folder / "tables" / "thesis.csv").write_text("x\n")  # not a table results.json lists
    assert ownership.foreign_file(folder) == "tables/thesis.csv"
    (folder / "tables" / "thesis.csv").unlink()
    ownership.write_into(folder, "run.json", "{}")  # the migration: a manifest from now on
    assert set(ownership.read_manifest(folder)) == {
        "results.json", "report.html", "run.json", "tables/gerd.csv", "tables/gerd.vi.csv",
    }  # fmt: skip


@pytest.mark.notebook
def test_run_all_over_a_site_from_before_the_manifest_still_works(site):
    folder = site / "reports" / "rank-vn"  # as the previous r57 left it: the plain-text marker, its own files
    (folder / "tables").mkdir(parents=True)
    (folder / ownership.MANIFEST).write_bytes(ownership.LEGACY_MARKER)
    (folder / "report.html").write_text(LAST_GOOD)
    (folder / "results.json").write_text(json.dumps({"tables": [{"id": "ranks", "csv": "ranks.csv"}]}))
    (folder / "tables" / "ranks.csv").write_text("a\n")
    (folder / "run.json").write_text(json.dumps({"scenario": "rank-vn", "last_status": "ok"}))
    outcomes, _ = batch.run_all(langs=("en",), jobs=1, only="rank-vn", log=lambda *_: None)
    assert [(o.scenario, o.status) for o in outcomes] == [("rank-vn", "ok")]
    assert "run.json" in ownership.read_manifest(folder) and ownership.foreign_file(folder) is None


# ----------------------------------------------------------------------------- honest state


def test_a_single_run_into_a_catalogue_folder_is_refused(site, capsys):
    for folder in ("rank-vn", "vi/rank-vn", "rank-vn.failed"):
        code, err = _cli(capsys, "run", "ecosystem_rankings", "--output-dir", site / "reports" / folder)
        assert code == 2 and "r57 run-all --only rank-vn" in err and not (site / "reports").exists()


@pytest.mark.notebook
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_a_worker_lost_to_kill_9_marks_exactly_its_unfinished_report_failed_and_it_reruns(site, capsys):
    reports = site / "reports"
    vn = _r57_folder(reports / "rank-vn")  # a last good report the index shows as ok
    ownership.write_into(vn, "run.json", json.dumps({"scenario": "rank-vn", "last_status": "ok"}))
    proc = subprocess.Popen(
        [sys.executable, "-m", "analysis", "run-all", "--jobs", "1", "--lang", "en", "--force"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )

    def rank_vn_running() -> int | None:  # rank-hcmc has finished and rank-vn's kernel runs (run-all, worker, kernel)
        done = (reports / "rank-hcmc" / "run.json").exists()
        tmps = [m for p in reports.iterdir() if done and (m := re.match(r"\.tmp-rank-vn-(\d+)-", p.name))]
        return int(tmps[0].group(1)) if tmps and len(_r57_processes(str(reports))) >= 3 else None

    os.kill(wait_until(rank_vn_running, 300, "rank-vn's kernel after rank-hcmc", proc), signal.SIGKILL)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 1, err
    assert "1 ok, 0 skipped, 1 failed" in out
    assert json.loads((reports / "rank-hcmc" / "run.json").read_text())["last_status"] == "ok"
    record = json.loads((reports / "rank-vn" / "run.json").read_text())
    assert record["last_status"] == "failed" and "worker process" in record["last_error"]
    assert (reports / "rank-vn" / "report.html").read_text() == LAST_GOOD  # the last good report kept
    assert "worker process" in (reports / "rank-vn.failed" / "error.html").read_text()
    assert 'href="rank-vn.failed/error.html"' in (reports / "index.html").read_text()  # the index says failed
    wait_exit(_r57_processes(str(reports)), 30)  # the kernel of the killed worker stops on its own
    outcomes, _ = batch.run_all(langs=("en",), jobs=1, log=lambda *_: None)  # the next run reruns it, only it
    assert sorted((o.scenario, o.status) for o in outcomes) == [("rank-hcmc", "skipped"), ("rank-vn", "ok")]
    assert not (reports / "rank-vn.failed").exists()


def test_check_output_dir_accepts_a_catalogue_folder_under_its_lock(site):
    from analysis.run import records

    folder = site / "reports" / "rank-vn"
    with pytest.raises(OutputDirError, match="run-all --only rank-vn"):
        runner.check_output_dir(folder)
    with records.locked("rank-vn"):
        assert runner.check_output_dir(folder) == folder


@pytest.mark.parametrize("page", ["index.html", "glossary.html", "tables.zip", "vi/index.html"])
def test_run_all_refuses_a_users_index_glossary_or_zip_before_any_kernel_and_keeps_it(site, capsys, page):
    path = site / "reports" / page
    path.parent.mkdir(parents=True)
    path.write_text("MY NOTES\n")
    code, err = _cli(capsys, "run-all", "--only", "rank-vn", "--force")
    assert code == 2 and f"site file {path} exists and r57 did not write it" in err and "Move it away" in err
    assert path.read_text() == "MY NOTES\n" and not (site / "reports" / "rank-vn").exists()


def test_the_site_files_are_recorded_when_first_written_replaced_after_and_adopted_from_an_older_r57(site):
    reports = site / "reports"
    site_module.write_indexes([])  # a fresh clone's first build, then a rebuild
    site_module.write_indexes([])
    for folder in (reports, reports / "vi"):
        assert set(ownership.SITE_FILES) <= set(ownership.read_manifest(folder))
        for name in ownership.SITE_FILES:
            ownership.check_file(folder / name)  # recorded as written
    old = reports / "index.html"  # as an r57 from before the records left it: r57's page, unrecorded
    old.write_text('<!DOCTYPE html><html><head><style id="r57-fonts"></style></head></html>')
    with zipfile.ZipFile(reports / "tables.zip", "w") as z:
        z.writestr("rank-vn/ranks.csv", "a\n1\n")
    files = ownership.read_manifest(reports)
    del files["index.html"], files["tables.zip"]
    ownership.save_manifest(reports, files)
    site_module.write_indexes([])
    assert "index.html" in ownership.read_manifest(reports) and ownership.check_file(reports / "tables.zip")


def test_a_failed_runs_error_page_names_the_kept_report_relative_to_the_reports_folder(site):
    reports = site / "reports"
    (scenario,) = [s for s in load_catalogue()[0] if s.name == "rank-vn"]
    exc = NotebookExecutionError(
        "04_ecosystem_rankings.ipynb", 3, "CellTimeoutError", "timed out", str(reports / "rank-vn")
    )
    batch._record_failure(scenario, f"r57: error: {exc}", {})
    page = (reports / "rank-vn.failed" / "error.html").read_text()
    assert "The previous report was kept at rank-vn" in page and str(site) not in page


@pytest.mark.parametrize("name", ["compare", "history"])
def test_a_scenario_may_not_take_the_folder_r57_compare_or_the_history_writes_into(tmp_path, name):
    (tmp_path / f"{name}.yaml").write_text("notebook: rd_paths\ntitle: x\nparameters: {}\n")
    with pytest.raises(ScenarioError, match="taken by a report or by the site itself"):
        load_scenario(tmp_path / f"{name}.yaml")


def test_only_given_twice_chooses_the_scenarios_either_glob_matches(site, capsys):
    for name in ("rank-vn", "rank-hcmc"):  # both refused before any kernel: a user's notes in each folder
        (_r57_folder(site / "reports" / name) / "my-notes.txt").write_text("n")
    code, err = _cli(capsys, "run-all", "--only", "rank-vn", "--only", "rank-h*", "--lang", "en", "--force")
    assert code == 1 and "r57: refused: rank-vn:" in err and "r57: refused: rank-hcmc:" in err


@pytest.mark.parametrize("case", ["root", "link", "file", "home"])
def test_a_run_and_site_build_refuse_the_same_folder_in_the_same_words(site, monkeypatch, case):
    # one rule for both (ownership.check_target): site build said less for a link and a file, never said that
    # nothing was written, and took a home folder holding nothing for its own
    (site / "real").mkdir()
    (site / "link").symlink_to(site / "real")
    (site / "file.txt").write_text("mine\n")
    (site / "home").mkdir()
    monkeypatch.setenv("HOME", str(site / "home"))
    target = {"root": Path("/"), "link": site / "link", "file": site / "file.txt", "home": site / "home"}[case]
    with pytest.raises(OutputDirError) as run:
        runner.check_output_dir(target)
    with pytest.raises(OutputDirError) as build:
        publish.check_site_dir(target, site / "reports")
    assert str(build.value) == str(run.value).replace("output folder", "site folder", 1)
    assert str(run.value).endswith(". Nothing was written.")
