"""Shared fixtures. Tests never touch the network and never write into the repository."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from analysis.run.kernel import single_thread_blas

single_thread_blas()  # as `r57 run-all` does before numpy is imported: kernels run side by side
# font subsets are cut afresh in every test session (and its kernels), never read from the user's cache
os.environ["R57_FONT_CACHE"] = tempfile.mkdtemp(prefix="r57-font-cache-")
# the recorded World Bank answers (tests/fixtures/wdi_api) cover 5 economies, not the ~200 of data/raw:
# a refresh from them would be refused as a coverage drop; tests of that refusal set the share themselves
os.environ["R57_MAX_COVERAGE_DROP"] = "1"
# no test of a function's time: hypothesis's deadline (200 ms an example) and its too_slow health check (the time
# to draw examples) measured the machine, not the code (DeadlineExceeded under a load of 16, e.g. a first example
# that loads babel's locale data). A test's own suppress_health_check replaces this list (hypothesis does not merge)
settings.register_profile("r57", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("r57")

from analysis.reports import params  # noqa: E402 - after the BLAS setting above
from analysis.reports.rd_paths import RdData  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
GUARDED = ("data", "scenarios", "src", "reports")  # the tracked files under these are the repository's


def _tracked_edits() -> dict[str, str] | None:
    """{path: sha256 of its content, "" if deleted} of each tracked file under GUARDED that differs from HEAD;
    None outside a git checkout."""
    diff = ["git", "diff", "HEAD", "--name-only", "-z", "--", *GUARDED]
    try:
        done = subprocess.run(diff, cwd=ROOT, capture_output=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return None
    names = done.stdout.decode().split("\0")
    files = {name: ROOT / name for name in names if name}
    return {name: hashlib.sha256(f.read_bytes()).hexdigest() if f.is_file() else "" for name, f in files.items()}


@pytest.fixture(scope="session", autouse=True)
def repository_untouched():
    """Fail the run if a test changed a file git tracks under data/, scenarios/, src/ or reports/ (edits made
    before the run are allowed: only what changed during it is named)."""
    before = _tracked_edits()
    yield
    after = _tracked_edits()
    if before is not None and after is not None and after != before:
        changed = sorted(name for name in before.keys() | after.keys() if before.get(name) != after.get(name))
        pytest.fail(
            f"the test run changed tracked files: {', '.join(changed)} (a test wrote outside its temporary folders)"
        )


@pytest.fixture(scope="session")
def rd_data() -> RdData:
    return RdData.load()


@pytest.fixture()
def rd_defaults() -> dict:
    return params.validate("rd_paths", {})


@pytest.fixture()
def one_text_catalogue(tmp_path, monkeypatch) -> tuple[Path, Path]:
    """A project in ``tmp_path`` whose one source has one text, "Observed", translated in its catalogue: (its
    ``common.po``, the source). The catalogues are read afresh after the test."""
    from analysis import i18n
    from analysis.reports import messages

    monkeypatch.setattr(i18n, "DOMAIN_DIR", tmp_path / "locale")
    (tmp_path / "src/analysis/reports").mkdir(parents=True)
    source = tmp_path / "src/analysis/reports/x.py"
    source.write_text('from analysis.i18n import _\n_("Observed")\n', encoding="utf-8")
    messages.update("vi", tmp_path)
    po = messages.po_path("vi", "common")
    text = po.read_text(encoding="utf-8")
    translated = text.replace('msgid "Observed"\nmsgstr ""', 'msgid "Observed"\nmsgstr "Quan sát"')
    assert translated != text
    po.write_text(translated, encoding="utf-8")
    yield po, source
    i18n.reload()


@pytest.fixture()
def runtime_dir():
    """A Jupyter runtime folder with a short path, removed afterwards: a kernel's IPC sockets are made in it,
    and a socket's path must fit in 107 bytes, which one under tmp_path (xdist adds popen-gwN/) can exceed."""
    folder = Path(tempfile.mkdtemp(prefix="r57-rt-"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def shared_tmp(tmp_path_factory) -> Path:
    """A folder shared by every xdist worker of this run (the pytest-xdist docs' recipe): the parent of the
    worker's own base folder; the session's base folder when the suite runs in one process."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@pytest.fixture(scope="session")
def report_build(shared_tmp):
    """Run a report once per test run, for the tests that only read what it wrote:
    ``report_build(name, params=None, langs=("en", "vi"))`` -> ``{lang: RunResult}``, its editions in a
    temporary folder (one execution publishes both). The first worker to ask builds it under a file lock;
    the others wait on the lock and read the same build.
    Built as in production, never in the translation tests' marking mode."""
    import hashlib
    import json
    import pickle
    from unittest import mock

    from filelock import FileLock

    from analysis.run.runner import run_editions

    def build(name: str, params: dict | None = None, langs: tuple[str, ...] = ("en", "vi")) -> dict:
        key = json.dumps([name, params or {}, list(langs)], sort_keys=True)
        folder = shared_tmp / f"build-{name}-{hashlib.sha256(key.encode()).hexdigest()[:10]}"
        done = folder / "built.pickle"
        with FileLock(f"{folder}.lock"):
            if not done.exists():
                with mock.patch.dict(os.environ):
                    os.environ.pop("R57_I18N_MARK", None)
                    built = run_editions(name, params or {}, {lang: folder / lang for lang in langs})
                done.write_bytes(pickle.dumps(built))
        return pickle.loads(done.read_bytes())

    return build


@pytest.fixture(scope="session")
def voila():
    """One `r57 explore` (English) for the session's tests that only request its pages (each page gets a
    kernel of its own): a :class:`voila_helper.Server`."""
    from voila_helper import explorer_server

    with explorer_server() as server:
        yield server
