"""What a user keeps survives r57's writes: a full disk, a link, a folder in a file's place, a path inside the
report site. Each test reproduces a case an adversarial tester found (issue 24's review); real folders and
links in tmp_path, a full disk simulated by a write that fails part-way as the system's does (ENOSPC).
"""

from __future__ import annotations

import builtins
import errno
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from analysis import cli, paths
from analysis.data import manifest
from analysis.errors import OutputDirError
from analysis.reports import messages
from analysis.run import ownership, publish, runner


class _FullFile:
    """A file open for writing on a disk with ``budget[0]`` bytes left: a write beyond them stores what fits
    and raises ENOSPC with no file name, as write(2) does."""

    def __init__(self, fh, budget: list[int]):
        self._fh, self._budget = fh, budget

    def write(self, data):
        if len(data) > self._budget[0]:
            self._fh.write(data[: self._budget[0]])
            self._fh.flush()
            self._budget[0] = 0
            raise OSError(errno.ENOSPC, "No space left on device")
        self._budget[0] -= len(data)
        return self._fh.write(data)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._fh.close()

    def __getattr__(self, name):
        return getattr(self._fh, name)


@pytest.fixture()
def full_disk(monkeypatch):
    """Call with a byte budget: from then on every file opened for writing shares it (``open``, ``Path.write_*``)."""
    real_open = io.open

    def fill(left: int) -> None:
        budget = [left]

        def opener(file, mode="r", *args, **kwargs):
            fh = real_open(file, mode, *args, **kwargs)
            return _FullFile(fh, budget) if any(c in mode for c in "wax+") else fh

        monkeypatch.setattr(io, "open", opener)
        monkeypatch.setattr(builtins, "open", opener)

    return fill


@pytest.fixture()
def grown_catalogue(one_text_catalogue) -> Path:
    """The translated catalogue of one text (``common.po``, conftest) whose source now has a second, longer one."""
    po, source = one_text_catalogue
    source.write_text(f'from analysis.i18n import _\n_("Observed")\n_("{"Estimate " * 40}")\n', encoding="utf-8")
    return po


def test_i18n_update_on_a_full_disk_keeps_the_translators_catalogue_whole_and_names_it(
    tmp_path, monkeypatch, full_disk, grown_catalogue
):
    po = grown_catalogue
    before = po.read_bytes()
    full_disk(len(before) // 2)
    with pytest.raises(OSError) as err:
        messages.update("vi", tmp_path)
    monkeypatch.undo()
    assert err.value.errno == errno.ENOSPC and err.value.filename == str(po)
    assert po.read_bytes() == before  # not cut short
    assert not list(po.parent.glob(".*"))  # no temporary left behind


def test_i18n_update_does_not_write_through_a_linked_catalogue(tmp_path, grown_catalogue):
    po = grown_catalogue
    elsewhere = tmp_path / "elsewhere.po"
    po.rename(elsewhere)
    po.symlink_to(elsewhere)
    before = elsewhere.read_bytes()
    with pytest.raises(OutputDirError, match=f"{po} is a symbolic link"):
        messages.update("vi", tmp_path)
    assert po.is_symlink() and elsewhere.read_bytes() == before


def test_resigning_the_compilation_on_a_full_disk_keeps_its_manifest_whole(tmp_path, full_disk, monkeypatch):
    ext = tmp_path / "ext"
    shutil.copytree(paths.REFERENCE_DIR, ext)
    with (ext / "README.md").open("a", encoding="utf-8") as fh:
        fh.write("A line of notes.\n")
    before = (ext / "manifest.yaml").read_bytes()
    full_disk(len(before) // 2)
    with pytest.raises(OSError) as err:
        manifest.resign(ext, ["README.md"], "2099-01-01")
    monkeypatch.undo()
    assert err.value.filename == str(ext / "manifest.yaml")
    assert (ext / "manifest.yaml").read_bytes() == before


def test_data_build_accept_refuses_a_folder_where_a_data_file_goes_and_keeps_it(tmp_path, capsys):
    raw = tmp_path / "raw3"
    shutil.copytree(paths.RAW_DATA_DIR, raw)
    (raw / "vn_gdp.csv").unlink()
    (raw / "vn_gdp.csv").mkdir()
    (raw / "vn_gdp.csv" / "notes.txt").write_text("notes\n")
    assert cli.main(["data", "build", "--data-dir", str(raw), "--accept"]) == cli.EXIT_USAGE
    err = capsys.readouterr().err
    assert "vn_gdp.csv, which is a folder or a link" in err and str(raw) in err
    assert (raw / "vn_gdp.csv" / "notes.txt").read_text() == "notes\n"


# ----------------------------------------------------------------------------- the report site's folders


@pytest.fixture()
def site(tmp_path, monkeypatch):
    """A private reports/ with r57's folder of the catalogue scenario rank-vn (both editions) and its index."""
    from test_failures import RANK_VN, _redirect

    reports, scen = tmp_path / "reports", tmp_path / "scenarios"
    scen.mkdir()
    (scen / "rank-vn.yaml").write_text(RANK_VN)
    _redirect(monkeypatch, reports=reports, scenarios=scen)
    for folder in (reports / "rank-vn", reports / "vi" / "rank-vn"):
        (folder / "tables").mkdir(parents=True)
        for name in ("report.html", "results.json", "tables/t1.csv"):
            (folder / name).write_text(f"r57's {name}\n")
        ownership.seal(folder)
    for edition in (reports, reports / "vi"):
        ownership.write_file(edition / "index.html", "<p>r57's index</p>", "site file")
    return reports


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize(
    ("command", "rel"),
    [
        (["sweep", "--grid", "target_year=2030,2035"], "rank-vn/results.json"),
        (["sweep", "--grid", "target_year=2030,2035"], "rank-vn/tables/sweep.csv"),
        (["backtest", "--index", "gii"], "rank-vn/report.html"),
        (["backtest", "--index", "gii"], "vi/rank-vn/report.html"),
        (["sweep", "--grid", "target_year=2030,2035"], "vi/index.html"),
        (["backtest", "--index", "gii"], "index.html"),
    ],
)
def test_sweep_and_backtest_refuse_an_output_in_a_report_folder_or_a_site_page(site, capsys, command, rel):
    before = _snapshot(site)
    assert cli.main([*command, "--output", str(site / rel)]) == cli.EXIT_USAGE
    err = capsys.readouterr().err
    assert f"--output {site / rel} is " in err and "part of the report site run-all writes" in err
    assert _snapshot(site) == before


def test_a_linked_parent_is_no_way_around_the_report_folders_protection(site, tmp_path, capsys):
    link = tmp_path / "lnk"
    link.symlink_to(site)
    before = _snapshot(site)
    code = cli.main(["run", "ecosystem_rankings", "--output-dir", str(link / "rank-vn")])
    assert code == cli.EXIT_USAGE and "run-all --only rank-vn" in capsys.readouterr().err
    assert cli.main(["sweep", "--grid", "target_year=2030", "--output", str(link / "rank-vn" / "x.csv")]) == 2
    assert "part of the report site" in capsys.readouterr().err
    with pytest.raises(OutputDirError, match="inside it or around it"):
        publish.check_site_dir(link / "site", site)
    assert _snapshot(site) == before


def test_a_run_into_a_folder_inside_a_report_folder_is_refused(site, capsys):
    for rel in ("rank-vn/extra", "vi/rank-vn/tables/more", "vi/compare-rd_paths.html"):
        assert cli.main(["run", "ecosystem_rankings", "--output-dir", str(site / rel)]) == cli.EXIT_USAGE
        assert "part of the report site run-all writes" in capsys.readouterr().err
    assert not (site / "rank-vn" / "extra").exists()
    runner.check_output_dir(site / "my-run")  # a folder of the user's own in reports/ stays allowed


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_a_killed_writers_temporary_files_do_not_lock_r57_out_of_its_folder(site):
    folder = site / "rank-vn"
    dead, alive = _dead_pid(), os.getpid()
    litter = [f".report.pdf.{dead}-abcd_123.part", f".report.html.{dead}-x1y2z3w4.html"]  # a kill -9 mid-print
    for name in litter:
        (folder / name).write_text("half a PDF")
    assert ownership.foreign_file(folder) is None
    runner.check_output_dir(site / "rank-vn", run_all=True)
    (folder / f".report.pdf.{alive}-abcd_123.part").write_text("a PDF being printed")
    assert ownership.foreign_file(folder) == f".report.pdf.{alive}-abcd_123.part"  # a live writer's: not litter


def test_the_temporary_names_are_what_the_litter_rule_recognises_and_short(tmp_path):
    long = tmp_path / ("n" * 250 + ".csv")
    for suffix in (".part", ".html"):
        tmp = manifest.temporary_file(long, suffix)
        assert manifest.TEMP_RE.match(tmp.name) and len(tmp.name) < 100
    ownership.write_file(long, "a,b\n1,2\n", "sweep --output")  # a valid 254-byte name is written
    assert long.read_text() == "a,b\n1,2\n"


def test_the_explorer_refuses_a_name_another_scenario_file_claims_and_keeps_it(tmp_path):
    from analysis.run import explore
    from analysis.run.catalogue import ScenarioError, load_catalogue

    existing = tmp_path / "my-plan.yml"
    existing.write_text((paths.SCENARIOS_DIR / "rd-baseline.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(ScenarioError, match="reports/my-plan is also claimed by my-plan.yml"):
        explore.save_scenario("my-plan", "My plan 2", {"target_year": 2032}, directory=tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["my-plan.yml"]
    assert [s.name for s in load_catalogue(tmp_path)[0]] == ["my-plan"]  # still published


def test_run_check_of_a_catalogue_file_another_file_clashes_with_is_refused(site, capsys):
    scen = paths.SCENARIOS_DIR
    (scen / "rank-vn.YML").write_text((scen / "rank-vn.yaml").read_text())
    code = cli.main(["run", "ecosystem_rankings", "-f", str(scen / "rank-vn.YML"), "--check"])
    err = capsys.readouterr().err
    assert code == cli.EXIT_USAGE and "as a catalogue scenario" in err and "also claimed by rank-vn.yaml" in err


def test_an_archive_record_is_whole_or_absent_on_a_full_disk(tmp_path, monkeypatch, full_disk):
    # a refresh archives the replaced vintage, then writes its ARCHIVED.yaml: with the disk full after the copy,
    # the record must not be left cut short (write_text wrote what fitted), and the error names the file
    from analysis.data import refresh

    data_dir = tmp_path / "raw"
    shutil.copytree(paths.RAW_DATA_DIR, data_dir)
    real_copytree = shutil.copytree

    def copy_then_fill(*args, **kwargs):
        out = real_copytree(*args, **kwargs)
        full_disk(10)  # 10 bytes left once the files are copied: the record does not fit
        return out

    monkeypatch.setattr(refresh.shutil, "copytree", copy_then_fill)
    with pytest.raises(OSError) as caught:
        refresh.archive_vintage(data_dir, tmp_path / "archive", ["vn_gdp.csv"], "next")
    archived = next((tmp_path / "archive").iterdir())
    assert "ARCHIVED.yaml" in str(caught.value)
    assert not (archived / "ARCHIVED.yaml").exists()
