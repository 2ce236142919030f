"""``r57 run-all``: regenerate the whole scenario catalogue, unattended.

- Scenarios run in parallel in worker processes forked warm; each execution gets a fresh kernel and
  publishes both editions; a failure or a hang (``--timeout`` per cell) stops only its scenario.
- A scenario is skipped when its fingerprint (notebook, dependency versions, parameters, data files as
  on disk, code, catalogue; kept in ``run.json``) is unchanged since its last successful run.
- A failed scenario keeps its last good report; ``<name>.failed/error.html`` names the failing cell.
- Per-scenario locks (``reports/.locks/``) make concurrent run-alls wait for each other; folders and the
  index are replaced by atomic renames.
- Interrupted (SIGINT, SIGTERM, SIGHUP): the workers (own process groups, parent-death signal) are
  stopped with their kernels; exit code 128 + the signal. The next run removes what a killed run left.
"""

from __future__ import annotations

import contextlib
import dataclasses
import fnmatch
import functools
import gc
import hashlib
import importlib.metadata
import json
import math
import multiprocessing
import os
import re
import shutil
import signal
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from analysis import i18n, paths
from analysis.data.manifest import sha256_of
from analysis.errors import Interrupted, R57Error
from analysis.reports import registry
from analysis.reports.fonts import FACES, embed_page_font, warm_on_miss
from analysis.reports.provenance import run_stamp
from analysis.reports.registry import notebook_spec, validate
from analysis.reports.words import plural
from analysis.run import ownership, unchanged
from analysis.run.catalogue import Scenario, load_catalogue, validated_once
from analysis.run.kernel import notebook_imports
from analysis.run.ownership import SITE_FILES
from analysis.run.records import RUN_RECORD, locked, read_record
from analysis.run.runner import (
    SIGNALS,
    Signalled,
    check_output_dir,
    data_fingerprint,
    raise_signalled,
    remove_stale_temporaries,
    report_data_files,
)
from analysis.run.site import (
    EDITIONS,
    claim_site_file,
    edition_dir,
    edition_name,
    edition_scenarios,
    page_links,
    render_error_page,
    write_indexes,
)


@dataclass
class Outcome:
    scenario: str
    status: str  # ok, skipped, failed, refused
    seconds: float
    message: str = ""


def plan_line(to_run: int, settled: list[Outcome], jobs: int, force: bool) -> str:
    """What run-all is about to do: ``to_run`` reports (a scenario in one edition) to regenerate, ``settled``
    skipped or refused."""
    skipped = sum(o.status == "skipped" for o in settled)
    refused = sum(o.status == "refused" for o in settled)
    total = to_run + skipped + refused
    also = f"; {refused} refused (see above)" if refused else ""
    if to_run == 0 and skipped == total and total:
        return unchanged.nothing_to_regenerate(total)
    if to_run == 0:
        return f"nothing to regenerate{also}"
    why = " (forced: unchanged ones too)" if force else (f" ({skipped} unchanged, skipped)" if skipped else "")
    return f"regenerating {to_run} of {plural(total, 'report')}{why} with {plural(jobs, 'parallel job')}{also}"


def code_fingerprint() -> str:
    """SHA-256 over the package's source and templates (not git: an uncommitted edit counts)."""
    h = hashlib.sha256()
    for p in sorted(paths.SOURCE_DIR.rglob("*")):
        if p.is_file() and p.suffix in {".py", ".j2", ".json", ".css", ".mplstyle"} and "__pycache__" not in p.parts:
            h.update(str(p.relative_to(paths.SOURCE_DIR)).encode())
            h.update(p.read_bytes())
    return h.hexdigest()


RUNNER_DISTRIBUTIONS = ("papermill", "nbconvert", "ipykernel", "jupyter_client")  # run every notebook
_packages_distributions = functools.cache(importlib.metadata.packages_distributions)


def _requirements(dist: str) -> list[str]:
    """Names of the runtime requirements (no extras) of distribution ``dist``."""
    try:
        reqs = importlib.metadata.requires(dist) or []
    except importlib.metadata.PackageNotFoundError:
        return []
    return [re.split(r"[ ;<>=!~\[(]", r, maxsplit=1)[0] for r in reqs if "extra ==" not in r]


_RUN_VERSIONS: dict[Path, dict[str, str]] | None = None  # within one run-all: read once per notebook


def dependency_versions(notebook: Path) -> dict[str, str]:
    """The version of every distribution ``notebook`` imports and of those that run it ("not installed" where
    missing); read afresh on each call outside run-all, so an upgrade in a long-lived process counts."""
    if _RUN_VERSIONS is not None and notebook in _RUN_VERSIONS:
        return _RUN_VERSIONS[notebook]
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
    if _RUN_VERSIONS is not None:
        _RUN_VERSIONS[notebook] = out
    return out


@functools.cache
def catalogue_fingerprint(lang: str) -> str:
    """SHA-256 of ``lang``'s message catalogues ("" for English): a translation edit reruns that edition only."""
    if lang == i18n.SOURCE_LANG:
        return ""
    return hashlib.sha256(i18n.po_files_text(lang).encode("utf-8")).hexdigest()


def edition_lang(s: Scenario) -> str:
    """The language of scenario edition ``s`` (:func:`editions`): the edition folder its name is in
    (``vi/rd-baseline``), English at the site's root. Its parameters are its file's: ``lang`` there only when
    the file pins it (its one edition)."""
    head, _sep, _rest = s.name.rpartition("/")
    return head or i18n.SOURCE_LANG


def editions(scenarios: list[Scenario], langs: tuple[str, ...] = EDITIONS) -> list[Scenario]:
    """One run per scenario and edition (:func:`~analysis.run.site.edition_scenarios`): ``<name>`` in English,
    ``<lang>/<name>`` for the others (:func:`edition_lang`)."""
    return [
        dataclasses.replace(s, name=edition_name(s.name, lang))
        for lang in langs
        for s in edition_scenarios(scenarios, lang)
    ]


def fingerprint(s: Scenario, code_fp: str) -> str:
    spec = notebook_spec(s.notebook)
    notebook = paths.NOTEBOOKS_DIR / spec.notebook
    parts = {
        "notebook": hashlib.sha256(notebook.read_bytes()).hexdigest(),
        "dependencies": dependency_versions(notebook),  # pandas, statsmodels, ... as installed now
        "parameters": validate(s.notebook, s.parameters | {"lang": edition_lang(s)}),
        "manifest": sha256_of(paths.MANIFEST_PATH),
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


def _links(s: Scenario) -> dict[str, str]:
    """The report's nav: index, glossary, and the other edition unless the scenario's file pins ``lang``."""
    return page_links(s.name.rsplit("/", 1)[-1], edition_lang(s), other_exists="lang" not in s.parameters)


def run_group(group: list[Scenario], force: bool, code_fp: str, timeout_s: float) -> list[Outcome]:
    """Run ``group``, the editions of one scenario, under their locks; the editions not up to date are
    published from one execution. Never raises for a report failure."""
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
                outcomes[s.name] = Outcome(s.name, "skipped", time.monotonic() - start, unchanged.UNCHANGED)
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
        "key_figures": registry.key_figures(s.notebook, results),  # the index's figures, as the report declares
        "previous_key_figures": previous.get("key_figures"),
    }
    ownership.write_into(paths.REPORTS_DIR / s.name, RUN_RECORD, json.dumps(record, indent=2, default=str))
    return Outcome(s.name, "ok", seconds)


def groups(scenarios: list[Scenario]) -> list[list[Scenario]]:
    """The scenario editions as worker jobs: the editions of one scenario together."""
    out: dict[tuple[str, str], list[Scenario]] = {}
    for s in scenarios:
        out.setdefault((s.notebook, s.name.rsplit("/", 1)[-1]), []).append(s)
    return list(out.values())


def _record_failure(s: Scenario, detail: str, previous: dict[str, Any]) -> None:
    """Under ``s``'s lock: record that ``s`` failed (its ``run.json`` if it has a report, and
    ``<name>.failed/error.html``, where a path in the reports folder is shown relative to it). Raises OutputDirError if either folder holds a file r57 did not write."""
    run_dir = paths.REPORTS_DIR / s.name
    failed_dir = paths.REPORTS_DIR / f"{s.name}.failed"
    err_file = failed_dir / "error.txt"
    text = err_file.read_text(encoding="utf-8") if err_file.is_file() and not err_file.is_symlink() else ""
    shown = (detail + ("\n\n" + text if text else "")).replace(f"{paths.REPORTS_DIR}{os.sep}", "")  # no machine's path
    page = render_error_page(s.title, s.name.rsplit("/", 1)[-1], s.notebook, shown, edition_lang(s))
    ownership.write_into(failed_dir, "error.html", embed_page_font(page))
    record = previous | {
        "scenario": s.name,
        "title": s.title,
        "last_status": "failed",
        "last_attempt_utc": run_stamp(),
        "last_error": detail,
    }
    if (run_dir / "report.html").exists():
        ownership.write_into(run_dir, RUN_RECORD, json.dumps(record, indent=2, default=str))


def _warm_up(scenarios: list[Scenario]) -> None:
    """Import what every report needs, load the HTML template and read the fingerprints' dependency versions in
    the parent, before the workers fork."""
    import nbformat
    import papermill  # noqa: F401

    from analysis.run.runner import export_html

    registry.names()
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("warm-up")])
    for lang in EDITIONS:  # each edition's exporter and catalogue, loaded once for every worker
        export_html(nb, "warm-up", lang)
    warm_on_miss(tuple(FACES.values()))  # the pages' faces
    for notebook in sorted({s.notebook for s in scenarios}):
        dependency_versions(paths.NOTEBOOKS_DIR / notebook_spec(notebook).notebook)


STOP_GRACE_S = 10.0  # a stopped worker has this long to remove its temporary folder and kernel
WORKER_EXIT_S = 5.0  # ... and leaves on its own after this long, even if its parent is gone
_busy = False  # in a worker: a report is running (a stop unwinds it instead of exiting at once)


class _Stopped(BaseException):
    """Raised in a worker by SIGTERM while a report runs, so that its clean-up code runs."""


def _hard_exit(signum: int) -> None:
    """A stopped worker's last resort: remove the report's temporary folder and leave at once."""
    from analysis.run import runner

    if runner.ACTIVE_TMP is not None:
        shutil.rmtree(runner.ACTIVE_TMP, ignore_errors=True)
    os._exit(128 + signum)


def _worker_stop(signum: int, frame: Any) -> None:
    if not _busy:
        os._exit(128 + signum)
    # unwind the report so its clean-up runs; if that is swallowed or hangs, leave anyway
    timer = threading.Timer(WORKER_EXIT_S, _hard_exit, (signum,))
    timer.daemon = True
    timer.start()
    raise _Stopped()


def _worker_init(parent: int) -> None:
    """Each worker: its own process group (Ctrl-C reaches only run-all), stopped by SIGTERM, also when run-all dies."""
    with contextlib.suppress(OSError):
        os.setpgid(0, 0)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "SIGHUP"):
        signal.signal(signal.SIGHUP, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _worker_stop)
    if sys.platform.startswith("linux"):  # the kernel sends SIGTERM when run-all dies (1 = PR_SET_PDEATHSIG)
        import ctypes

        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM, 0, 0, 0)
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
    """Turn SIGINT, SIGTERM and SIGHUP into :class:`~analysis.run.runner.Signalled` in this (main) thread."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {sig: signal.signal(sig, raise_signalled) for sig in SIGNALS}
    try:
        yield
    finally:
        for sig, h in previous.items():
            signal.signal(sig, h)


def _lost(s: Scenario, exc: BaseException) -> Outcome:
    """Scenario ``s`` whose worker process died: recorded failed (so the next run-all reruns it)."""
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


def schedule(scenarios: list[Scenario]) -> list[list[Scenario]]:
    """The worker jobs (:func:`groups`), longest at their last run first (a new one first of all), so the
    workers finish together rather than one idling through the last report."""

    def last_seconds(group: list[Scenario]) -> float:
        seconds = read_record(group[0].name).get("seconds")
        return seconds if isinstance(seconds, (int, float)) else math.inf

    return sorted(groups(scenarios), key=last_seconds, reverse=True)


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
    """Run ``scenarios`` in forked worker processes (the report work is CPU-bound; the imports are paid
    once); return their outcomes as they finish."""
    say = bar.write if bar is not None else log  # through the progress bar, so that it stays intact
    outcomes = []
    _warm_up(scenarios)  # then fork: the workers inherit the warm modules (no thread or kernel runs yet)
    gc.freeze()  # the warm objects too: left out of the workers' collections, their pages stay shared
    todo = schedule(scenarios)
    ctx = multiprocessing.get_context("fork")
    pool = ProcessPoolExecutor(
        max_workers=min(jobs, len(todo)), mp_context=ctx, initializer=_worker_init, initargs=(os.getpid(),)
    )
    interrupted = False
    try:
        futures = {pool.submit(_worker_run, g, force, code_fp, timeout_s): g for g in todo}
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
    only: str | Sequence[str] | None = None,
    timeout_s: float = 900.0,
    log=print,
    pdf: bool = False,
    langs: tuple[str, ...] = EDITIONS,
) -> tuple[list[Outcome], Path]:
    """Run the catalogue (``only``: the scenarios matching a glob, or any of several) in the editions
    ``langs``; return the outcomes and the English index's path.

    Raises DataError before any kernel starts if a data file differs from the manifest, and Interrupted
    (exit code 128 + signal) when stopped by a signal.
    """
    langs = tuple(i18n.check_lang(lang) for lang in langs)
    catalogue_fingerprint.cache_clear()  # an edit since the last run-all in this process counts
    global _RUN_VERSIONS
    _RUN_VERSIONS = {}
    # the libraries loaded so far are left out of this run's garbage collections (and its workers'): a full
    # collection no longer walks them, about 0.15 s each
    with _signals_raise(), validated_once():
        gc.freeze()
        try:
            return _run_all(jobs, force, only, timeout_s, log, pdf, langs)
        except Signalled as exc:
            name = signal.Signals(exc.signum).name
            raise Interrupted(exc.signum, f"run-all interrupted by {name}; {_interrupt_summary}") from None
        finally:
            _RUN_VERSIONS = None
            gc.unfreeze()


_interrupt_summary = ""


def _run_all(jobs, force, only, timeout_s, log, pdf, langs) -> tuple[list[Outcome], Path]:
    global _interrupt_summary
    _interrupt_summary = "nothing had started."
    unchanged.forget()  # recorded again at the end if every report is then up to date
    _remove_stale(log)
    for path in [edition_dir(lang) / name for lang in EDITIONS for name in SITE_FILES]:
        claim_site_file(path)  # a user's index, glossary or zip: refused before any kernel, not after the reports
    catalogue, refused = load_catalogue()
    refused_files = [(p.stem, m) for p, m in refused]  # all of them stay on the index, with the reason
    scenarios = [s for s in catalogue if _chosen(s.name, only)]
    refused = [(p, m) for p, m in refused if _chosen(p.stem, only)]
    scenarios = editions(scenarios, langs)  # one run per scenario and edition
    names = [s.name for s in scenarios]
    jobs = max(1, jobs or os.cpu_count() or 1)
    for notebook in sorted({s.notebook for s in scenarios}):  # tampering stops the build, before any kernel
        report_data_files(notebook)
    outcomes = [Outcome(p.stem, "refused", 0.0, m) for p, m in refused]
    code_fp = code_fingerprint()
    if not force:  # settle the clearly unchanged ones here; workers re-check under the lock
        skipped = [s for s in scenarios if up_to_date(s, fingerprint(s, code_fp), read_record(s.name))]
        outcomes += [Outcome(s.name, "skipped", 0.0, unchanged.UNCHANGED) for s in skipped]
        scenarios = [s for s in scenarios if s not in skipped]
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
    except Signalled:
        done, total = len(finished), len(scenarios)
        _interrupt_summary = (
            f"{done} of {plural(total, 'report')} had finished; the {total - done} still running or waiting "
            "were stopped with their kernels and their last good reports kept unchanged; nothing half-written was "
            "left. Run it again to finish: finished reports are skipped."
        )
        with contextlib.suppress(R57Error, OSError), locked("index"):  # the index shows the present state
            write_indexes(catalogue, refused_now)
        raise
    finally:
        if bar is not None:
            bar.close()
    _interrupt_summary = "every report had finished; the index may be the previous one. Run it again to rewrite it."
    regenerated = any(o.status == "ok" for o in outcomes)
    index = _publish(catalogue, refused_now, pdf, jobs, log, regenerated, langs)
    counts = {k: sum(o.status == k for o in outcomes) for k in ("ok", "skipped", "failed", "refused")}
    if outcomes and counts["ok"] + counts["skipped"] == len(outcomes) and not pdf:
        unchanged.remember(only, langs, names)
    log("r57 run-all: " + ", ".join(f"{v} {k}" for k, v in counts.items()) + f"; site: {index}")
    return outcomes, index


def _chosen(name: str, only: str | Sequence[str] | None) -> bool:
    globs = [only] if isinstance(only, str) else only or []
    return not globs or any(fnmatch.fnmatch(name, glob) for glob in globs)


def _remove_stale(log) -> None:
    """Remove the temporary folders a killed run left in the reports folder, and say so."""
    paths.REPORTS_DIR.mkdir(parents=True, exist_ok=True)
    stale = [name for lang in EDITIONS for name in remove_stale_temporaries(edition_dir(lang))]
    if stale:
        log(
            f"r57 run-all: removed {plural(len(stale), 'temporary folder')} left by an interrupted run: {', '.join(stale)}"
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


def _progress_bar(total: int, jobs: int, force: bool, log, settled: list[Outcome]) -> Any:
    """A progress bar on a terminal; elsewhere (cron, CI, a ``log`` of the caller's) one line instead."""
    if sys.stderr.isatty() and log is print:
        from tqdm import tqdm

        tqdm.monitor_interval = 0  # no monitor thread: worker processes are forked after this point
        return tqdm(total=total, unit="report", desc="r57 run-all")
    log("r57 run-all: " + plan_line(total, settled, jobs, force))
    return None


def _publish(catalogue, refused_now, pdf: bool, jobs: int, log, regenerated: bool, langs) -> Path:
    """Under the index lock, write the comparison pages (PDFs with ``pdf``) and the index. A run that only
    skipped leaves the comparison pages as they are (same results)."""
    with locked("index"):
        for lang in langs:
            folder = edition_dir(lang)
            if pdf or regenerated or not any(folder.glob("compare-*.html")):
                from analysis.run.compare import publish_site_extras

                publish_site_extras(folder, pdf=pdf, jobs=jobs, log=log, lang=lang)
        return write_indexes(catalogue, refused_now)
