"""``r57 run-all``: regenerate the whole scenario catalogue, unattended.

- Scenarios run in parallel in worker processes (one per job, warmed up once); every
  report gets its own fresh kernel, and a report that fails or hangs (``--timeout`` per cell) is
  recorded as failed without stopping the others.
- A scenario is skipped when its notebook, parameters, data manifest and code are
  unchanged since its last successful run (its fingerprint, kept in ``run.json``).
- A failed scenario keeps its last good report; the failure is written beside it in
  ``<name>.failed/`` with ``error.html`` naming the failing cell.
- Per-scenario locks (``reports/.locks/``, filelock: the lock files are never followed
  through a symbolic link) make two concurrent ``run-all`` invocations wait for each other
  scenario by scenario instead of racing; the report folders and the index are replaced by
  atomic renames, so readers never see half-written output.
- A scenario that failed last time reruns even if nothing changed; the fingerprint covers the
  checksums of the data files the report reads as they are on disk, and those files are
  checked against the manifest before any kernel starts.
- Interrupted (SIGINT, SIGTERM, SIGHUP): the workers, each in its own process group, are
  stopped with their kernels; the exit code is 128 + the signal (130, 143). Workers also stop
  when this process dies (Linux parent-death signal). The next run removes the temporary
  folders a killed run left behind; locks die with the process that held them.
"""

from __future__ import annotations

import contextlib
import dataclasses
import fnmatch
import functools
import hashlib
import importlib.metadata
import json
import multiprocessing
import os
import re
import signal
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from analysis import i18n, paths
from analysis.errors import Interrupted, R57Error
from analysis.reports import registry
from analysis.reports.fonts import FACES, embed_page_font
from analysis.reports.fonts import warm as warm_fonts
from analysis.reports.provenance import run_stamp
from analysis.reports.registry import notebook_spec, validate
from analysis.reports.words import plural
from analysis.run import ownership
from analysis.run.catalogue import Scenario, load_catalogue
from analysis.run.kernel import notebook_imports
from analysis.run.records import RUN_RECORD, locked, read_record
from analysis.run.runner import check_output_dir, data_fingerprint, remove_stale_temporaries, report_data_files
from analysis.run.site import EDITIONS, edition_dir, edition_name, page_links


@dataclass
class Outcome:
    scenario: str
    status: str  # ok, skipped, failed, refused
    seconds: float
    message: str = ""


# ----------------------------------------------------------------------------- fingerprint


def plan_line(to_run: int, settled: list[Outcome], jobs: int, force: bool) -> str:
    """What run-all is about to do, in words: ``to_run`` reports to regenerate, ``settled`` already
    skipped or refused, with ``jobs`` workers."""
    skipped = sum(o.status == "skipped" for o in settled)
    refused = sum(o.status == "refused" for o in settled)
    total = to_run + skipped + refused
    also = f"; {plural(refused, 'scenario')} refused (see above)" if refused else ""
    if to_run == 0 and skipped == total and total:
        if total == 1:
            return "nothing to regenerate: the only scenario is unchanged since its last successful run"
        return f"nothing to regenerate: all {total} scenarios are unchanged since their last successful run"
    if to_run == 0:
        return f"nothing to regenerate{also}"
    why = " (forced: unchanged ones too)" if force else (f" ({skipped} unchanged, skipped)" if skipped else "")
    return f"regenerating {to_run} of {plural(total, 'scenario')}{why} with {plural(jobs, 'parallel job')}{also}"


def code_fingerprint() -> str:
    """SHA-256 over the package's source and templates (not git: an uncommitted edit counts)."""
    h = hashlib.sha256()
    for p in sorted(paths.SOURCE_DIR.rglob("*")):
        if p.is_file() and p.suffix in {".py", ".j2", ".json", ".css"} and "__pycache__" not in p.parts:
            h.update(str(p.relative_to(paths.SOURCE_DIR)).encode())
            h.update(p.read_bytes())
    return h.hexdigest()


# the distributions that execute a notebook, whatever it imports: an upgrade of any of them reruns it
RUNNER_DISTRIBUTIONS = ("papermill", "nbconvert", "ipykernel", "jupyter_client")


@functools.cache
def _packages_distributions() -> dict[str, list[str]]:
    """Top-level import name -> distributions providing it (scans every installed distribution: once)."""
    return importlib.metadata.packages_distributions()


def _requirements(dist: str) -> list[str]:
    """Names of the runtime requirements (no extras) of distribution ``dist``."""
    try:
        reqs = importlib.metadata.requires(dist) or []
    except importlib.metadata.PackageNotFoundError:
        return []
    return [re.split(r"[ ;<>=!~\[(]", r, maxsplit=1)[0] for r in reqs if "extra ==" not in r]


# Within one run-all the installed versions cannot change: each report type's versions are read once
# (15 scenarios share 4 notebooks). Outside run-all (None) every call reads them afresh.
_RUN_VERSIONS: dict[Path, dict[str, str]] | None = None


def dependency_versions(notebook: Path) -> dict[str, str]:
    """The resolved version of every distribution ``notebook`` imports (top-level names of its code
    cells' imports, mapped to distributions) and of those that run it; "not installed" where one is missing.
    Read afresh each call outside run-all, so an upgrade in a long-lived process counts too."""
    if _RUN_VERSIONS is not None:
        if notebook not in _RUN_VERSIONS:
            _RUN_VERSIONS[notebook] = _read_dependency_versions(notebook)
        return _RUN_VERSIONS[notebook]
    return _read_dependency_versions(notebook)


def _read_dependency_versions(notebook: Path) -> dict[str, str]:
    """:func:`dependency_versions`, read from the installed distributions' metadata now."""
    tops = {name.split(":")[0].split(".")[0] for name in notebook_imports([notebook])}
    found = _packages_distributions()
    names = set(RUNNER_DISTRIBUTIONS).union(*(found.get(top, ()) for top in tops))
    # the notebooks reach statsmodels, scipy, ... through ``analysis``: its distribution's own requirements count
    for dist in found.get("analysis", ()):
        names.update(_requirements(dist))
    out = {}
    for dist in sorted(names, key=str.lower):
        try:
            out[dist] = importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            out[dist] = "not installed"
    return out


@functools.cache
def catalogue_fingerprint(lang: str) -> str:
    """SHA-256 of ``lang``'s message catalogues (none for English, the source language): a translation
    edit reruns that edition only. Read once per run-all (its workers are forked after it)."""
    if lang == i18n.SOURCE_LANG:
        return ""
    return hashlib.sha256(i18n.po_files_text(lang).encode("utf-8")).hexdigest()


def edition_lang(s: Scenario) -> str:
    """The language of scenario ``s``'s edition (its ``lang`` parameter; English when not set)."""
    return str(s.parameters.get("lang") or i18n.SOURCE_LANG)


def editions(scenarios: list[Scenario], langs: tuple[str, ...] = EDITIONS) -> list[Scenario]:
    """One run per scenario and edition: English as ``<name>`` (``reports/<name>/``), others as
    ``<lang>/<name>`` (``reports/vi/<name>/``) with ``lang`` set. A scenario whose file sets ``lang``
    is published only in that edition."""
    out = []
    for lang in langs:
        for s in scenarios:
            pinned = s.parameters.get("lang")
            if pinned is not None and pinned != lang:
                continue
            if lang == i18n.SOURCE_LANG:
                out.append(s)
            else:
                out.append(
                    dataclasses.replace(s, name=edition_name(s.name, lang), parameters={**s.parameters, "lang": lang})
                )
    return out


def fingerprint(s: Scenario, code_fp: str) -> str:
    spec = notebook_spec(s.notebook)
    notebook = paths.NOTEBOOKS_DIR / spec.notebook
    parts = {
        "notebook": hashlib.sha256(notebook.read_bytes()).hexdigest(),
        "dependencies": dependency_versions(notebook),  # pandas, statsmodels, ... as installed now
        "parameters": validate(s.notebook, s.parameters),
        "manifest": hashlib.sha256(paths.MANIFEST_PATH.read_bytes()).hexdigest(),
        "data": data_fingerprint(s.notebook),  # the files as they are, not what the manifest says
        "code": code_fp,
        "title": s.title,
    }
    if edition_lang(s) != i18n.SOURCE_LANG:  # English fingerprints are as before: no English run reruns
        parts["catalogue"] = catalogue_fingerprint(edition_lang(s))
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def up_to_date(s: Scenario, fp: str, record: dict[str, Any]) -> bool:
    """Skip ``s``: same fingerprint as its last run, that run succeeded, and its report is there."""
    return (
        record.get("fingerprint") == fp
        and record.get("last_status") == "ok"
        and (paths.REPORTS_DIR / s.name / "report.html").exists()
        and not (paths.REPORTS_DIR / f"{s.name}.failed").exists()
    )


# ----------------------------------------------------------------------------- one scenario


def key_figures(notebook: str, results: dict[str, Any]) -> dict[str, Any]:
    """The index's figures for one run, as its report declares them (``analysis.reports.registry``)."""
    return registry.key_figures(notebook, results)


def error_page(s: Scenario, error_text: str) -> str:
    """The page that says why scenario ``s`` failed (template ``site/error.html.j2``, escaped), in its
    edition's language."""
    from analysis.run.site import render_error_page

    return embed_page_font(
        render_error_page(s.title, s.name.rsplit("/", 1)[-1], s.notebook, error_text, edition_lang(s))
    )


def _links(s: Scenario) -> dict[str, str]:
    """The report's nav in the site: index, glossary, the same report in the other language."""
    lang = edition_lang(s)
    base = s.name.rsplit("/", 1)[-1]
    return page_links(base, lang, other_exists="lang" not in _file_parameters(s))


def _file_parameters(s: Scenario) -> dict[str, Any]:
    """The parameters the scenario's file gives (the vi edition's added ``lang`` is not one of them)."""
    try:
        from analysis.run.catalogue import load_scenario

        return load_scenario(s.path).parameters
    except R57Error:
        return s.parameters


def run_group(group: list[Scenario], force: bool, code_fp: str, timeout_s: float) -> list[Outcome]:
    """Run ``group``, editions of one scenario (see :func:`groups`), in a worker process under their
    locks (taken in the group's order); the editions not up to date are published from one execution.
    Never raises for a report failure."""
    from analysis.run.runner import run_editions

    start = time.monotonic()
    outcomes: dict[str, Outcome] = {}
    with contextlib.ExitStack() as held:
        for s in group:
            held.enter_context(locked(s.name))
        todo = []
        for s in group:
            fp, previous = fingerprint(s, code_fp), read_record(s.name)
            if not force and up_to_date(s, fp, previous):
                outcomes[s.name] = Outcome(
                    s.name, "skipped", time.monotonic() - start, "unchanged since the last successful run"
                )
            else:
                todo.append((s, fp, previous))
        if todo:
            first = todo[0][0]
            results: dict[str, Any] = {}
            detail = ""
            try:
                results = run_editions(
                    first.notebook,
                    {k: v for k, v in first.parameters.items() if k != "lang"},
                    {edition_lang(s): paths.REPORTS_DIR / s.name for s, _fp, _prev in todo},
                    links={edition_lang(s): _links(s) for s, _fp, _prev in todo},
                    execution_timeout=timeout_s,
                )
                detail = ""
            except R57Error as exc:
                detail = f"r57: error: {exc}"
            except Exception as exc:  # a bug must not stop the other scenarios; it is reported like a failure
                detail = f"r57: unexpected {type(exc).__name__}: {exc}"
            seconds = time.monotonic() - start
            for s, fp, previous in todo:
                result = results.get(edition_lang(s))
                outcomes[s.name] = _record(s, fp, previous, seconds, result.results if result else None, detail)
    return [outcomes[s.name] for s in group]


def _record(
    s: Scenario, fp: str, previous: dict[str, Any], seconds: float, results: dict[str, Any] | None, detail: str
) -> Outcome:
    """Write scenario edition ``s``'s run record (and its error page if it failed: ``results`` None)."""
    run_dir = paths.REPORTS_DIR / s.name
    if results is None:
        try:
            _record_failure(s, detail, previous)
        except R57Error as why:  # a user's file in the .failed folder: kept, and said
            detail += f" The failure could not be recorded: {why}"
        except OSError as exc:  # the disk that refused the report refuses its record too: say where
            where = exc.filename or paths.REPORTS_DIR / f"{s.name}.failed"
            detail += f"; its failure record could not be written either ({exc.strerror or exc}: {where})"
        return Outcome(s.name, "failed", seconds, detail)
    record = {
        "scenario": s.name,
        "title": s.title,
        "description": s.description,
        "notebook": s.notebook,
        "fingerprint": fp,
        "last_status": "ok",
        "last_success_utc": run_stamp(),
        "last_attempt_utc": run_stamp(),
        "seconds": round(seconds, 2),
        "key_figures": key_figures(s.notebook, results),
        "previous_key_figures": previous.get("key_figures"),
    }
    ownership.write_into(run_dir, RUN_RECORD, json.dumps(record, indent=2, default=str))
    return Outcome(s.name, "ok", seconds)


def groups(scenarios: list[Scenario]) -> list[list[Scenario]]:
    """The scenario editions as worker jobs: the editions of one scenario together (one execution publishes
    them all)."""
    out: dict[tuple[str, str], list[Scenario]] = {}
    for s in scenarios:
        out.setdefault((s.notebook, s.name.rsplit("/", 1)[-1]), []).append(s)
    return list(out.values())


def _record_failure(s: Scenario, detail: str, previous: dict[str, Any]) -> None:
    """Under ``s``'s lock: say on the index that ``s`` failed (its ``run.json``, if it has a report, and
    ``<name>.failed/error.html``), so the next run-all reruns it.

    Raises OutputDirError if either folder holds a file r57 did not write (it is kept)."""
    run_dir = paths.REPORTS_DIR / s.name
    failed_dir = paths.REPORTS_DIR / f"{s.name}.failed"
    err_file = failed_dir / "error.txt"
    text = err_file.read_text(encoding="utf-8") if err_file.is_file() and not err_file.is_symlink() else ""
    ownership.write_into(failed_dir, "error.html", error_page(s, detail + ("\n\n" + text if text else "")))
    record = previous | {
        "scenario": s.name,
        "title": s.title,
        "last_status": "failed",
        "last_attempt_utc": run_stamp(),
        "last_error": detail,
    }
    if (run_dir / "report.html").exists():
        ownership.write_into(run_dir, RUN_RECORD, json.dumps(record, indent=2, default=str))


def _warm_up() -> None:
    """Import what every report needs, and load the HTML template, once: run in the parent before
    the worker processes are forked, so each worker starts warm instead of paying it per report."""
    import nbformat
    import papermill  # noqa: F401

    from analysis.run.runner import export_html

    registry.names()
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("warm-up")])
    export_html(nb, "warm-up")
    warm_fonts(tuple(FACES.values()))  # the pages' font faces, cut once here for every worker


# ----------------------------------------------------------------------------- interruption

STOP_GRACE_S = 10.0  # a stopped worker has this long to remove its temporary folder and kernel
WORKER_EXIT_S = 5.0  # ... and leaves on its own after this long, even if its parent is gone
_SIGNALS = tuple(getattr(signal, n) for n in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, n))
_busy = False  # in a worker: a report is running (a stop unwinds it instead of exiting at once)


class _Stopped(BaseException):
    """Raised in a worker by SIGTERM while a report runs, so its clean-up code runs (BaseException:
    no ``except Exception`` on the way catches it)."""


class _Signalled(BaseException):
    """Raised in run-all's own process by SIGINT, SIGTERM or SIGHUP."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def _set_parent_death_signal(signum: int) -> None:
    """Linux: have the kernel send ``signum`` to this process when its parent dies."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signum, 0, 0, 0)  # 1 = PR_SET_PDEATHSIG


def _hard_exit(signum: int) -> None:
    """A stopped worker's last resort: remove the report's temporary folder and leave at once."""
    from analysis.run import runner

    tmp = runner.ACTIVE_TMP
    if tmp is not None:
        import shutil

        shutil.rmtree(tmp, ignore_errors=True)
    os._exit(128 + signum)


def _worker_stop(signum: int, frame: Any) -> None:
    if not _busy:
        os._exit(128 + signum)
    # unwind the report so its clean-up runs; if that exception is swallowed (an asyncio callback
    # catches it) or the clean-up hangs, leave anyway after a few seconds
    timer = threading.Timer(WORKER_EXIT_S, _hard_exit, (signum,))
    timer.daemon = True
    timer.start()
    raise _Stopped()


def _worker_init(parent: int) -> None:
    """Each worker: its own process group (a terminal's Ctrl-C reaches only run-all, which stops the
    workers in order), stopped by SIGTERM, and by the kernel when run-all dies."""
    with contextlib.suppress(OSError):
        os.setpgid(0, 0)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "SIGHUP"):
        signal.signal(signal.SIGHUP, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _worker_stop)
    _set_parent_death_signal(signal.SIGTERM)
    if os.getppid() != parent:  # run-all died before the death signal was armed
        os._exit(128 + signal.SIGTERM)


def _worker_run(group: list[Scenario], force: bool, code_fp: str, timeout_s: float) -> list[Outcome]:
    global _busy
    _busy = True
    try:
        return run_group(group, force, code_fp, timeout_s)
    except _Stopped:  # the report's temporary folder is gone (runner's finally); leave at once
        _hard_exit(signal.SIGTERM)
    finally:
        _busy = False


def _stop_workers(pool: Any) -> None:
    """SIGTERM every worker's process group, wait up to STOP_GRACE_S, then SIGKILL what is left."""
    procs = list(getattr(pool, "_processes", {}).values())
    for p in procs:
        for kill in (os.killpg, os.kill):
            try:
                kill(p.pid, signal.SIGTERM)
                break
            except (ProcessLookupError, PermissionError):
                continue
    deadline = time.monotonic() + STOP_GRACE_S
    for p in procs:
        p.join(max(0.0, deadline - time.monotonic()))
    for p in procs:
        if p.is_alive():
            with contextlib.suppress(OSError):
                os.killpg(p.pid, signal.SIGKILL)
            with contextlib.suppress(OSError):
                os.kill(p.pid, signal.SIGKILL)
            p.join(2.0)


@contextlib.contextmanager
def _signals_raise() -> Iterator[None]:
    """Turn SIGINT, SIGTERM and SIGHUP into :class:`_Signalled` in this (main) thread."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, frame: Any) -> None:
        for sig in _SIGNALS:  # stopping takes a few seconds: a second signal must not cut it short
            signal.signal(sig, signal.SIG_IGN)
        raise _Signalled(signum)

    previous = {sig: signal.signal(sig, handler) for sig in _SIGNALS}
    try:
        yield
    finally:
        for sig, h in previous.items():
            signal.signal(sig, h)


# ----------------------------------------------------------------------------- the batch


def _lost(s: Scenario, exc: BaseException) -> Outcome:
    """The outcome of scenario ``s`` whose worker process died before it finished: marked failed on the
    index (under its lock, which died with the worker), so the next run-all reruns it."""
    detail = (
        f"r57: error: the worker process running or about to run this report was lost ({type(exc).__name__}: "
        f"{exc}); the last good report is kept. Run `r57 run-all` again to rerun it."
    )
    try:
        with locked(s.name):
            _record_failure(s, detail, read_record(s.name))
    except (R57Error, OSError) as why:
        detail += f" The failure could not be recorded: {why}"
    return Outcome(s.name, "failed", 0.0, detail)


def _run_in_workers(
    scenarios: list[Scenario],
    jobs: int,
    force: bool,
    code_fp: str,
    timeout_s: float,
    bar: Any,
    log,
    outcomes_so_far: list[Outcome],
) -> list[Outcome]:
    """Run ``scenarios`` in worker processes; return their outcomes as they finish.

    Worker processes, not threads: each report's Python work is CPU-bound. Not one process per
    report either: importing papermill, nbconvert and the models costs seconds. Every report
    still gets its own fresh kernel.
    """

    def say(line: str) -> None:  # through the progress bar when there is one, so it stays intact
        if bar is not None:
            bar.write(line)
        else:
            log(line)

    outcomes = []
    _warm_up()
    # fork: the workers inherit the warmed-up modules (no thread or kernel is running yet here)
    ctx = multiprocessing.get_context("fork")
    pool = ProcessPoolExecutor(
        max_workers=min(jobs, len(groups(scenarios))), mp_context=ctx, initializer=_worker_init, initargs=(os.getpid(),)
    )
    interrupted = False
    try:
        futures = {pool.submit(_worker_run, g, force, code_fp, timeout_s): g for g in groups(scenarios)}
        for fut in as_completed(futures):
            try:
                done = fut.result()
            except Exception as exc:  # the worker process itself died (kill -9, out of memory)
                done = [_lost(s, exc) for s in futures[fut]]
            for o in done:
                outcomes.append(o)
                if bar is not None:
                    bar.update(1)
                say(f"{o.status.upper():7s} {o.scenario} ({o.seconds:.1f} s){': ' + o.message if o.message else ''}")
    except BaseException:
        interrupted = True
        _stop_workers(pool)
        raise
    finally:
        pool.shutdown(wait=not interrupted, cancel_futures=interrupted)
        if interrupted:
            outcomes_so_far[:] = outcomes
    return outcomes


def run_all(
    jobs: int | None = None,
    force: bool = False,
    only: str | None = None,
    timeout_s: float = 900.0,
    log=print,
    pdf: bool = False,
    langs: tuple[str, ...] = EDITIONS,
) -> tuple[list[Outcome], Path]:
    """Run the catalogue in the editions ``langs`` (English ``reports/<name>/``, Vietnamese
    ``reports/vi/<name>/``); return the outcomes and the (English) index page's path.

    Raises DataError (naming the file) before any kernel starts if a data file a report reads
    differs from the manifest, and Interrupted (exit code 128 + signal) when stopped by a signal.
    """
    from analysis.run.site import write_indexes as write_index

    langs = tuple(i18n.check_lang(lang) for lang in langs)
    catalogue_fingerprint.cache_clear()  # a catalogue edited since the last run-all in this process counts
    global _RUN_VERSIONS
    _RUN_VERSIONS = {}
    with _signals_raise():
        try:
            return _run_all(jobs, force, only, timeout_s, log, write_index, pdf, langs)
        except _Signalled as exc:
            name = signal.Signals(exc.signum).name
            raise Interrupted(exc.signum, f"run-all interrupted by {name}; {_interrupt_summary}") from None
        finally:
            _RUN_VERSIONS = None


_interrupt_summary = ""


def _run_all(jobs, force, only, timeout_s, log, write_index, pdf=False, langs=EDITIONS) -> tuple[list[Outcome], Path]:
    global _interrupt_summary
    _interrupt_summary = "nothing had started."
    _remove_stale(log)
    catalogue, refused = load_catalogue()
    refused_files = [(p.stem, m) for p, m in refused]  # all of them stay on the index, with the reason
    scenarios, refused = _matching(only, catalogue, refused)
    scenarios = editions(scenarios, langs)  # one run per scenario and edition
    jobs = max(1, jobs or os.cpu_count() or 1)
    for notebook in sorted({s.notebook for s in scenarios}):  # tampering stops the build, before any kernel
        report_data_files(notebook)
    outcomes = [Outcome(p.stem, "refused", 0.0, m) for p, m in refused]
    code_fp = code_fingerprint()
    if not force:  # settle the clearly unchanged ones here; workers re-check under the lock
        scenarios = _skip_unchanged(scenarios, code_fp, outcomes)
    scenarios = _refuse_unsafe_outputs(scenarios, outcomes)  # after: an unchanged folder is not read through
    for o in outcomes:
        log(f"{o.status.upper():7s} {o.scenario}: {o.message}")
    refused_now = refused_files + [
        (o.scenario, o.message) for o in outcomes if o.status == "refused" and o.scenario in {s.name for s in catalogue}
    ]
    bar = _progress_bar(len(scenarios), jobs, force, log, outcomes)
    finished: list[Outcome] = []
    try:
        if scenarios:
            outcomes += _run_in_workers(scenarios, jobs, force, code_fp, timeout_s, bar, log, finished)
    except _Signalled:
        _interrupt_summary = _stopped_summary(len(finished), len(scenarios))
        with contextlib.suppress(R57Error, OSError), locked("index"):  # the index shows the present state
            write_index(catalogue, refused_now, langs)
        raise
    finally:
        if bar is not None:
            bar.close()
    _interrupt_summary = "every report had finished; the index may be the previous one. Run it again to rewrite it."
    regenerated = any(o.status == "ok" for o in outcomes)
    index = _publish(catalogue, refused_now, pdf, jobs, log, write_index, regenerated, langs)
    counts = {k: sum(o.status == k for o in outcomes) for k in ("ok", "skipped", "failed", "refused")}
    log("r57 run-all: " + ", ".join(f"{v} {k}" for k, v in counts.items()) + f"; site: {index}")
    return outcomes, index


def _remove_stale(log) -> None:
    """Remove the temporary folders a killed run left in the reports folder, and say so."""
    paths.REPORTS_DIR.mkdir(parents=True, exist_ok=True)
    stale = []
    for lang in EDITIONS:  # left by a killed run (its pid is gone), in each edition's folder
        stale += remove_stale_temporaries(edition_dir(lang))
    if stale:
        log(
            f"r57 run-all: removed {plural(len(stale), 'temporary folder')} left by an interrupted run: {', '.join(stale)}"
        )


def _matching(
    only: str | None, catalogue: list[Scenario], refused: list[tuple[Path, str]]
) -> tuple[list[Scenario], list[tuple[Path, str]]]:
    """The scenarios and refused scenario files whose names match ``--only``."""
    if not only:
        return catalogue, refused
    return (
        [s for s in catalogue if fnmatch.fnmatch(s.name, only)],
        [(p, m) for p, m in refused if fnmatch.fnmatch(p.stem, only)],
    )


def _refuse_unsafe_outputs(scenarios: list[Scenario], outcomes: list[Outcome]) -> list[Scenario]:
    """Refuse the scenarios whose report folder r57 must not replace (see ``check_output_dir``)."""
    todo = []
    for s in scenarios:
        try:
            check_output_dir(paths.REPORTS_DIR / s.name, run_all=True)
        except R57Error as exc:
            outcomes.append(Outcome(s.name, "refused", 0.0, str(exc)))
            continue
        todo.append(s)
    return todo


def _skip_unchanged(scenarios: list[Scenario], code_fp: str, outcomes: list[Outcome]) -> list[Scenario]:
    """Settle the scenarios clearly unchanged since their last successful run (workers re-check under the lock)."""
    todo = []
    for s in scenarios:
        if up_to_date(s, fingerprint(s, code_fp), read_record(s.name)):
            outcomes.append(Outcome(s.name, "skipped", 0.0, "unchanged since the last successful run"))
        else:
            todo.append(s)
    return todo


def _progress_bar(total: int, jobs: int, force: bool, log, settled: list[Outcome]) -> Any:
    """One progress bar on a terminal; elsewhere (cron, CI, a ``log`` of the caller's) one line instead."""
    if sys.stderr.isatty() and log is print:
        from tqdm import tqdm

        tqdm.monitor_interval = 0  # no monitor thread: worker processes are forked after this point
        return tqdm(total=total, unit="report", desc="r57 run-all")
    log("r57 run-all: " + plan_line(total, settled, jobs, force))
    return None


def _stopped_summary(done: int, total: int) -> str:
    """What an interrupted run-all says about the reports (the end of the Interrupted message)."""
    return (
        f"{done} of {plural(total, 'report')} had finished; the {total - done} still running or waiting "
        "were stopped with their kernels and their last good reports kept unchanged; nothing half-written was "
        "left. Run it again to finish: finished reports are skipped."
    )


def _publish(
    catalogue: list[Scenario],
    refused_now: list[tuple[str, str]],
    pdf: bool,
    jobs: int,
    log,
    write_index,
    regenerated: bool = True,
    langs: tuple[str, ...] = EDITIONS,
) -> Path:
    """Under the index lock, write the site's extra pages (comparisons, PDFs with ``pdf``) and the index."""
    with locked("index"):
        # comparison pages per report type and edition (PDFs with --pdf): rewritten when a report was
        # regenerated or a page is missing; a run that only skipped leaves them as they are (same results)
        for lang in langs:
            folder = edition_dir(lang)
            if pdf or regenerated or not any(folder.glob("compare-*.html")):
                from analysis.run.compare import publish_site_extras

                publish_site_extras(folder, pdf=pdf, jobs=jobs, log=log, lang=lang)
        return write_index(catalogue, refused_now, langs)
