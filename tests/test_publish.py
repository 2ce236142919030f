"""``r57 site build DIR``: exactly the publishable site, 0644/0755, never over a user's files.

The reports folder is a small one made here in the layout run-all writes (read from ``run/batch.py``,
``run/runner.py`` and ``run/site.py``): the indexes and glossaries are the real ones
(``site.write_indexes``), the report pages the real template (``runner.export_html``) with the
real nav links, beside the scratch that must not be published (locks, run records, markers, an ad-hoc
``r57 run`` folder, a failed run's notebook and traceback, history, a README, a link to a system file).
Everything is written under umask 077, so the sources are 0600/0700 and the modes seen in the site
are the build's own.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import html.parser
import io
import json
import os
import shutil
import stat
import subprocess
import sys
import zipfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

import nbformat
import pytest

from analysis import cli, paths
from analysis.errors import OutputDirError
from analysis.run import ownership, publish
from analysis.run.catalogue import load_catalogue
from analysis.run.runner import export_html
from analysis.run.site import edition_dir, edition_scenarios, page_links, render_error_page, switch_links, write_indexes

REPO_SCENARIOS = paths.SCENARIOS_DIR
CATALOGUE = ("rd-baseline", "rd-high-growth", "rank-gii")  # copies of three real scenario files
FAILED = "rd-high-growth"  # its last run failed: the index links its error page, its last good report is kept
PER_REPORT = ("report.html", "report.pdf", "results.json", "tables/path.csv", "tables/tables.xlsx")


def expected_site(with_notebooks: bool = False) -> set[str]:
    """The site worked out by hand from the fixture below: per edition the index, the glossary, the zip of
    every table, the comparison page, each catalogue report's page, PDF, results, CSV and workbook, and the
    failed run's error page."""
    files = set()
    for prefix in ("", "vi/"):
        files |= {prefix + f for f in ("index.html", "glossary.html", "tables.zip", "compare-rd_paths.html")}
        for name in CATALOGUE:
            files |= {f"{prefix}{name}/{f}" for f in PER_REPORT + (("notebook.ipynb",) if with_notebooks else ())}
        files.add(f"{prefix}{FAILED}.failed/error.html")
    return files


@pytest.fixture()
def umask077():
    old = os.umask(0o077)
    yield
    os.umask(old)


def _redirect(monkeypatch, reports: Path, scenarios: Path) -> None:
    for var, attr, value in (
        ("R57_REPORTS_DIR", "REPORTS_DIR", reports),
        ("R57_SCENARIOS_DIR", "SCENARIOS_DIR", scenarios),
    ):
        monkeypatch.setenv(var, str(value))
        monkeypatch.setattr(paths, attr, value)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """A built reports folder (both editions) with run-all's scratch beside the site, made once per module
    (rendering the pages costs seconds); each test gets its own copy (:func:`reports`)."""
    base = tmp_path_factory.mktemp("built")
    old = os.umask(0o077)
    try:
        with pytest.MonkeyPatch.context() as monkeypatch:
            _make_reports(base, monkeypatch)
    finally:
        os.umask(old)
    return base


@pytest.fixture()
def reports(built, tmp_path, monkeypatch, umask077) -> Path:
    """This test's copy of the built reports folder and scenarios (links copied as links)."""
    for name in ("reports", "scenarios"):
        shutil.copytree(built / name, tmp_path / name, symlinks=True)
    _redirect(monkeypatch, tmp_path / "reports", tmp_path / "scenarios")
    return tmp_path / "reports"


def _make_reports(base: Path, monkeypatch) -> None:
    root, scen = base / "reports", base / "scenarios"
    scen.mkdir()
    for name in CATALOGUE:
        shutil.copy(REPO_SCENARIOS / f"{name}.yaml", scen / f"{name}.yaml")
    _redirect(monkeypatch, root, scen)
    catalogue, refused = load_catalogue()
    assert not refused and [s.name for s in catalogue] == sorted(CATALOGUE)
    for lang in ("en", "vi"):
        folder = edition_dir(lang)
        for s in edition_scenarios(catalogue, lang):
            run = folder / s.name
            (run / "tables").mkdir(parents=True)
            (run / "notebook.ipynb").write_text("{}")
            (run / "params.yaml").write_text("lang: en\n")
            (run / "results.json").write_text(json.dumps({"scenario": s.name}))
            (run / "tables" / "path.csv").write_text("year,share_pct\n2030,2.0\n")
            (run / "tables" / "tables.xlsx").write_bytes(b"PK fake workbook")
            (run / "report.pdf").write_bytes(b"%PDF-1.4 fake\n")
            nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell('<a href="tables/path.csv">CSV</a>')])
            (run / "report.html").write_text(export_html(nb, s.title, lang, page_links(s.name, lang)))
            status = "failed" if s.name == FAILED else "ok"
            record = {"scenario": s.name, "last_status": status, "last_success_utc": "2026-11-23T13:00:00+00:00"}
            (run / "run.json").write_text(json.dumps(record | {"key_figures": {}}))
            ownership.seal(run)  # as run-all leaves it: every file recorded in its .r57-output
        failed = folder / f"{FAILED}.failed"
        failed.mkdir()
        (failed / "error.html").write_text(render_error_page("High growth", FAILED, "01_rd_paths.ipynb", "boom", lang))
        (failed / "error.txt").write_text("Traceback (most recent call last): /home/someone/r57 ...\n")
        (failed / "notebook.ipynb").write_text("{}")
        ownership.seal(failed)
        page = "compare-rd_paths.html"
        links = {"index": "index.html"} | switch_links(page, lang)
        ownership.write_file(
            folder / page,
            f'<html><a href="{links["index"]}">index</a> <a href="{links["switch"]}">switch</a>'
            '<a href="rd-baseline/report.html">baseline</a> (<a href="rd-baseline/report.pdf">PDF</a>)'
            '<a href="#t1">table</a> <a href="https://www.worldbank.org/">WDI</a></html>',
        )
    write_indexes(catalogue)
    # scratch that run-all, `r57 run`, the scheduled job and users leave in reports/
    (root / ".locks").mkdir()
    (root / ".locks" / "index.lock").write_text("")
    (root / "README.md").write_text("# reports/\n")
    (root / "history").mkdir()
    (root / "history" / "2026-11-23.json").write_text("{}")
    (root / "sweep.csv").write_text("a\n1\n")
    for label in ("default", "custom-0123456789"):
        (root / "rd_paths" / label).mkdir(parents=True)
        (root / "rd_paths" / label / "report.html").write_text("<p>ad hoc</p>")
    (root / "compare").mkdir()
    (root / "compare" / "compare.html").write_text("<p>ad hoc</p>")
    (root / "old-scenario").mkdir()  # a scenario no longer in scenarios/
    (root / "old-scenario" / "report.html").write_text("<p>gone</p>")
    (root / ".tmp-rd-baseline-1-deadbeef").mkdir()  # a killed run's temporary folder
    os.symlink("/etc/passwd", root / "rd-baseline" / "tables" / "passwd.csv")  # never published through a link
    for p in root.rglob("*"):  # the records' writes made files 0644: back to what umask 077 gives
        if not p.is_symlink():
            os.chmod(p, 0o700 if p.is_dir() else 0o600)


def site_build(*args: str) -> subprocess.CompletedProcess:
    """``r57 site build ...`` in a new process under umask 077, on the redirected folders."""
    return subprocess.run(
        [sys.executable, "-m", "analysis", "site", "build", *args],
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=lambda: os.umask(0o077),
    )


def site_build_here(*args: str) -> subprocess.CompletedProcess:
    """``r57 site build ...`` in this process (``cli.main``, what the console script calls; the fixtures set
    umask 077): the same exit code and messages without a new interpreter's start-up of seconds."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(["site", "build", *args])
    return subprocess.CompletedProcess(["r57", "site", "build", *args], code, out.getvalue(), err.getvalue())


def tree(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if not p.is_dir()}


def test_site_is_exactly_the_publishable_files_all_0644_and_0755(reports, tmp_path):
    out = site_build(str(tmp_path / "site"))
    assert out.returncode == 0, out.stderr
    site = tmp_path / "site"
    assert tree(site) == expected_site() | {ownership.MANIFEST}
    assert stat.S_IMODE(site.stat().st_mode) == 0o755
    for p in site.rglob("*"):
        assert stat.S_IMODE(p.lstat().st_mode) == (0o755 if p.is_dir() else 0o644), p
        assert not p.is_symlink()
    # the record lists every file with its checksum (the ownership rule every r57 writer follows)
    listed = ownership.read_manifest(site)
    assert set(listed) == expected_site()
    for name, digests in listed.items():
        assert digests == [hashlib.sha256((site / name).read_bytes()).hexdigest()]
        assert (site / name).read_bytes() == (reports / name).read_bytes()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary sibling left


def test_each_folders_record_is_read_once_per_build(reports, monkeypatch):
    """publish.site_files checks every file against its folder's .r57-output, read once per folder, not per file."""
    read: list[Path] = []
    monkeypatch.setattr(
        ownership, "read_manifest", lambda folder, real=ownership.read_manifest: read.append(folder) or real(folder)
    )
    assert set(publish.site_files(reports, list(CATALOGUE))) == expected_site()
    assert (
        len(read) == len(set(read)) == 2 * (1 + 2 * len(CATALOGUE))
    )  # per edition: its root, each report, each .failed


def test_with_notebooks_adds_each_reports_executed_notebook(reports, tmp_path):
    out = site_build_here(str(tmp_path / "site"), "--with-notebooks")
    assert out.returncode == 0, out.stderr
    assert tree(tmp_path / "site") == expected_site(with_notebooks=True) | {ownership.MANIFEST}


class Links(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.found += [v for k, v in attrs if k in ("href", "src") and v]


def test_every_relative_link_of_every_published_page_resolves_inside_the_site(reports, tmp_path):
    assert site_build_here(str(tmp_path / "site")).returncode == 0
    site = (tmp_path / "site").resolve()
    followed = set()
    for page in site.rglob("*.html"):
        parser = Links()
        parser.feed(page.read_text(encoding="utf-8"))
        for link in parser.found:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or not parts.path:  # https:, data:, //host, #fragment
                continue
            target = (page.parent / unquote(parts.path)).resolve()
            if target.name == "notebook.ipynb":
                continue  # published only with --with-notebooks
            assert target.is_relative_to(site), f"{page.relative_to(site)} links outside the site: {link}"
            assert target.is_file(), f"{page.relative_to(site)} links a missing file: {link}"
            followed.add(target.relative_to(site).as_posix())
    # the checker saw the links that matter: reports, PDFs, error pages, comparisons, glossaries, both editions
    assert {
        "index.html",
        "vi/index.html",
        "glossary.html",
        "vi/glossary.html",
        "rd-baseline/report.html",
        "vi/rank-gii/report.pdf",
        f"{FAILED}.failed/error.html",
        "vi/compare-rd_paths.html",
        "rd-baseline/tables/path.csv",
        "vi/rd-baseline/report.html",
        "tables.zip",
        "vi/tables.zip",
    } <= followed


def test_each_editions_zip_holds_every_catalogue_reports_csvs_and_nothing_else(reports, tmp_path):
    assert site_build_here(str(tmp_path / "site")).returncode == 0
    for prefix in ("", "vi/"):
        with zipfile.ZipFile(tmp_path / "site" / prefix / "tables.zip") as z:
            # a folder per scenario; no workbook, no ad-hoc run, no link to a system file
            assert z.namelist() == [f"{name}/path.csv" for name in sorted(CATALOGUE)]
            assert z.read("rd-baseline/path.csv") == b"year,share_pct\n2030,2.0\n"


def test_a_users_file_in_dir_survives_and_the_build_is_refused_naming_it(reports, tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "notes.txt").write_text("my notes")
    out = site_build_here(str(site))
    assert out.returncode == 2
    assert out.stderr.count("\n") == 1 and "notes.txt" in out.stderr and "Traceback" not in out.stderr
    assert tree(site) == {"notes.txt"} and (site / "notes.txt").read_text() == "my notes"


def test_an_earlier_build_is_replaced_but_not_once_a_user_has_added_or_changed_a_file(reports, tmp_path):
    site = tmp_path / "site"
    assert site_build_here(str(site)).returncode == 0
    ownership.write_file(reports / "rd-baseline" / "report.html", "<p>regenerated</p>")  # as a rerun writes it
    again = site_build_here(str(site))
    assert again.returncode == 0, again.stderr  # its own earlier build: replaced whole
    assert (site / "rd-baseline" / "report.html").read_text() == "<p>regenerated</p>"

    (site / "vi" / "extra").mkdir()
    (site / "vi" / "extra" / "draft.html").write_text("mine")
    out = site_build_here(str(site))
    assert out.returncode == 2 and "vi/extra/draft.html" in out.stderr
    assert (site / "vi" / "extra" / "draft.html").read_text() == "mine"

    shutil.rmtree(site / "vi" / "extra")
    (site / "index.html").write_text("edited by hand")
    out = site_build_here(str(site))
    assert (
        out.returncode == 2 and "holds index.html, which r57 did not write there or which changed since" in out.stderr
    )
    assert (site / "index.html").read_text() == "edited by hand"


@pytest.mark.parametrize("rel", ["rd-baseline/report.html", "vi/rank-gii/tables/path.csv", "index.html"])
def test_a_tampered_file_is_refused_naming_it_and_both_checksums(reports, tmp_path, rel):
    path = reports / rel
    was = ownership.sha256(path)
    with open(path, "a") as fh:
        fh.write("<script>evil()</script>\n")
    result = site_build_here(str(tmp_path / "site"))
    assert result.returncode == 2 and not (tmp_path / "site").exists()
    assert f"{path} has sha256 {ownership.sha256(path)} but" in result.stderr and was in result.stderr


@pytest.mark.parametrize("rel", ["rd-baseline/report.html", "vi/glossary.html", "rank-gii/tables/path.csv"])
def test_a_page_the_index_links_is_refused_when_linked_or_missing(reports, tmp_path, rel):
    (reports / rel).unlink()
    result = site_build_here(str(tmp_path / "site"))
    assert result.returncode == 2 and f"{reports / rel} is missing" in result.stderr
    os.symlink(tmp_path / "elsewhere.html", reports / rel)
    result = site_build_here(str(tmp_path / "site"))
    assert result.returncode == 2 and f"{reports / rel} is a symbolic link" in result.stderr
    assert not (tmp_path / "site").exists()


def test_reports_without_a_built_index_are_refused_saying_to_run_make_reports(reports, tmp_path):
    (reports / "vi" / "index.html").unlink()
    out = site_build_here(str(tmp_path / "site"))
    assert out.returncode == 2
    assert "vi/index.html is missing" in out.stderr and "make reports" in out.stderr
    assert not (tmp_path / "site").exists()


def test_dir_inside_the_reports_folder_is_refused(reports):
    out = site_build_here(str(reports / "site"))
    assert out.returncode == 2 and "publish to a folder of its own" in out.stderr
    assert not (reports / "site").exists()


def test_a_build_that_fails_midway_leaves_the_last_good_site(reports, tmp_path, monkeypatch):
    site = tmp_path / "site"
    publish.build_site(site)
    before = {p: (site / p).read_bytes() for p in tree(site)}
    ownership.write_file(reports / "rd-baseline" / "report.html", "<p>new</p>")
    copied = []

    def failing_copy(src, dst, checksum):
        if len(copied) == 5:
            raise OSError(28, "No space left on device", str(dst))
        copied.append(dst)
        return real_copy(src, dst, checksum)

    real_copy = publish._copy
    monkeypatch.setattr(publish, "_copy", failing_copy)
    with pytest.raises(OSError, match="No space"):
        publish.build_site(site)
    assert {p: (site / p).read_bytes() for p in tree(site)} == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_check_site_dir_refuses_a_symbolic_link(tmp_path):
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real")
    with pytest.raises(OutputDirError, match="symbolic link"):
        publish.check_site_dir(tmp_path / "link", tmp_path / "reports")


def test_site_build_refuses_an_input_folder_even_through_a_link(tmp_path, monkeypatch):
    # found by the adversarial rerun of issue 27: `r57 site build data/raw/site` (or LINK/site, LINK -> data/raw)
    # published the site into data/raw, after which `r57 data verify` failed
    raw = tmp_path / "data" / "raw"
    raw.mkdir(parents=True)
    monkeypatch.setattr(paths, "RAW_DATA_DIR", raw)
    (tmp_path / "link").symlink_to(raw)
    for target in (raw / "site", tmp_path / "link" / "site"):
        with pytest.raises(OutputDirError, match="inside one of r57's own input folders"):
            publish.check_site_dir(target, tmp_path / "reports")
    assert list(raw.iterdir()) == []


def test_a_file_replaced_after_its_checksum_was_read_is_not_published(reports, tmp_path, monkeypatch):
    # found by the adversarial tester of issue 24: results.json replaced while the build copied the site
    # was published as r57's ({"tampered": true}): the copy is now made of the bytes that were checked
    real_site_files = publish.site_files

    def then_tampered(*args, **kwargs):
        names = real_site_files(*args, **kwargs)
        (reports / "vi" / "rd-baseline" / "results.json").write_text('{"tampered": true}')
        return names

    monkeypatch.setattr(publish, "site_files", then_tampered)
    with pytest.raises(publish.SiteSourceError, match="rd-baseline/results.json changed while the site was being"):
        publish.build_site(tmp_path / "site")
    assert not (tmp_path / "site").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_a_mount_point_that_cannot_be_renamed_gets_its_contents_replaced(reports, tmp_path, monkeypatch):
    # found by the adversarial tester of issue 24: a web root that is a mount point (rename: EBUSY) always failed
    www = tmp_path / "www"
    www.mkdir()
    real_replace = os.replace

    def mount_point(src, dst):
        if Path(src) == www:
            raise OSError(errno.EBUSY, "Device or resource busy", str(src))
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", mount_point)
    for _ in range(2):  # into the empty mount point, then over the earlier build
        publish.build_site(www)
        assert tree(www) == expected_site() | {ownership.MANIFEST}
        assert set(ownership.read_manifest(www)) == expected_site() and ownership.foreign_file(www) is None
        assert (www / "vi" / "index.html").read_bytes() == (reports / "vi" / "index.html").read_bytes()
        ownership.write_file(reports / "rd-baseline" / "report.html", "<p>new</p>")
    (www / "notes.txt").write_text("mine")
    with pytest.raises(OutputDirError, match="notes.txt"):
        publish.build_site(www)
    assert (www / "notes.txt").read_text() == "mine"
