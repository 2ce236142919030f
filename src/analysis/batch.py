"""``r57 run-all``: regenerate the whole scenario catalogue, unattended.

- Scenarios run in parallel in worker processes (one per job, warmed up once); every
  report gets its own fresh kernel (forked from a template that has imported the notebooks'
  libraries, see kernel_fork), and a report that fails or hangs (``--timeout`` per cell) is
  recorded as failed without stopping the others.
- A scenario is skipped when its notebook, parameters, data manifest and code are
  unchanged since its last successful run (its fingerprint, kept in ``run.json``).
- A failed scenario keeps its last good report; the failure is written beside it in
  ``<name>.failed/`` with ``error.html`` naming the failing cell.
- Per-scenario locks (``reports/.locks/``) make two concurrent ``run-all`` invocations
  wait for each other scenario by scenario instead of racing; the report folders and the
  index are replaced by atomic renames, so readers never see half-written output.
"""

from __future__ import annotations

import contextlib
import fcntl
import multiprocessing
import fnmatch
import hashlib
import html
import json
import os
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator


from . import paths
from .catalogue import Scenario, load_catalogue
from .params import notebook_spec, validate
from .provenance import run_stamp

RUN_RECORD = "run.json"


@dataclass
class Outcome:
    scenario: str
    status: str  # ok, skipped, failed, refused
    seconds: float
    message: str = ""


# ----------------------------------------------------------------------------- fingerprint


def code_fingerprint() -> str:
    """SHA-256 over the package's source and templates (not git: an uncommitted edit counts)."""
    h = hashlib.sha256()
    for p in sorted(paths.SOURCE_DIR.rglob("*")):
        if p.is_file() and p.suffix in {".py", ".j2", ".json", ".css"} and "__pycache__" not in p.parts:
            h.update(str(p.relative_to(paths.SOURCE_DIR)).encode())
            h.update(p.read_bytes())
    return h.hexdigest()


def fingerprint(s: Scenario, code_fp: str) -> str:
    spec = notebook_spec(s.notebook)
    parts = {
        "notebook": hashlib.sha256((paths.NOTEBOOKS_DIR / spec.notebook).read_bytes()).hexdigest(),
        "parameters": validate(s.notebook, s.parameters),
        "manifest": hashlib.sha256(paths.MANIFEST_PATH.read_bytes()).hexdigest(),
        "code": code_fp,
        "title": s.title,
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def read_record(name: str) -> dict[str, Any]:
    path = paths.REPORTS_DIR / name / RUN_RECORD
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.replace(tmp, path)


@contextlib.contextmanager
def locked(name: str) -> Iterator[None]:
    """An exclusive lock shared by every r57 process on this reports folder."""
    lock_dir = paths.REPORTS_DIR / ".locks"
    lock_dir.mkdir(parents=True, exist_ok=True)
    with open(lock_dir / f"{name}.lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


# ----------------------------------------------------------------------------- one scenario

KEY_FIGURES = {
    "rd_paths": ["gerd_nominal_cagr_pct", "gerd_target_usd_bn", "state_gerd_pct_envelope_target", "envelope_fits_all_years"],
    "rd_feasibility": ["share_of_windows_reaching_pct", "structural_share_target_pct", "gerd_target_usd_bn_p50",
                       "prob_state_gerd_exceeds_envelope_pct"],
    "ecosystem_rankings": ["latest_rank", "projected_rank", "prob_reach_target_pct", "regional_rank_latest"],
}


def key_figures(notebook: str, results: dict[str, Any]) -> dict[str, Any]:
    return {k: results.get(k) for k in KEY_FIGURES.get(notebook, [])}


def error_page(s: Scenario, error_text: str) -> str:
    body = html.escape(error_text)
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Failed: "
        f"{html.escape(s.title)}</title><style>body{{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;"
        "padding:0 1rem}pre{background:#f6f6f6;padding:1rem;overflow-x:auto}</style></head><body>"
        f"<h1>This report failed to regenerate</h1><p><strong>{html.escape(s.title)}</strong> "
        f"(scenario <code>{html.escape(s.name)}</code>, notebook <code>{html.escape(s.notebook)}</code>).</p>"
        "<p>The last good version of the report, if there is one, was kept unchanged. What went wrong:</p>"
        f"<pre>{body}</pre><p><a href='../index.html'>Back to all reports</a></p></body></html>"
    )


def run_one(s: Scenario, force: bool, code_fp: str, timeout_s: float) -> Outcome:
    """Run one scenario (in a worker process) under its lock; never raises for a report failure."""
    from .errors import R57Error
    from .runner import run_report

    start = time.monotonic()
    with locked(s.name):
        fp = fingerprint(s, code_fp)
        previous = read_record(s.name)
        if not force and previous.get("fingerprint") == fp and (paths.REPORTS_DIR / s.name / "report.html").exists():
            return Outcome(s.name, "skipped", time.monotonic() - start, "unchanged since the last successful run")
        run_dir = paths.REPORTS_DIR / s.name
        failed_dir = paths.REPORTS_DIR / f"{s.name}.failed"
        try:
            result = run_report(s.notebook, s.parameters, run_dir, execution_timeout=timeout_s)
            ok, detail = True, ""
        except R57Error as exc:
            ok, detail = False, f"r57: error: {exc}"
        except Exception as exc:  # a bug must not stop the other scenarios; it is reported like a failure
            ok, detail = False, f"r57: unexpected {type(exc).__name__}: {exc}"
        seconds = time.monotonic() - start
        if not ok:
            failed_dir.mkdir(parents=True, exist_ok=True)
            err_file = failed_dir / "error.txt"
            text = err_file.read_text(encoding="utf-8") if err_file.exists() else ""
            write_atomic(failed_dir / "error.html", error_page(s, detail + ("\n\n" + text if text else "")))
            record = previous | {"scenario": s.name, "title": s.title, "last_status": "failed",
                                 "last_attempt_utc": run_stamp(), "last_error": detail}
            if (run_dir / "report.html").exists():
                write_atomic(run_dir / RUN_RECORD, json.dumps(record, indent=2))
            return Outcome(s.name, "failed", seconds, detail)
        record = {
            "scenario": s.name, "title": s.title, "description": s.description, "notebook": s.notebook,
            "fingerprint": fp, "last_status": "ok", "last_success_utc": run_stamp(), "last_attempt_utc": run_stamp(),
            "seconds": round(seconds, 2), "key_figures": key_figures(s.notebook, result.results),
            "previous_key_figures": previous.get("key_figures"),
        }
        write_atomic(run_dir / RUN_RECORD, json.dumps(record, indent=2, default=str))
        return Outcome(s.name, "ok", seconds)


def _warm_up() -> None:
    """Import what every report needs, and load the HTML template, once: run in the parent before
    the worker processes are forked, so each worker starts warm instead of paying it per report."""
    import nbformat
    import papermill  # noqa: F401

    from . import params
    from .runner import export_html

    params.notebook_names()
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("warm-up")])
    export_html(nb, "warm-up")


# ----------------------------------------------------------------------------- the batch


def _run_in_workers(scenarios: list[Scenario], jobs: int, force: bool, code_fp: str, timeout_s: float,
                    bar: Any, log) -> list[Outcome]:
    """Run ``scenarios`` in worker processes; return their outcomes as they finish.

    Worker processes, not threads: each report's Python work is CPU-bound. Not one process per
    report either: importing papermill, nbconvert and the models costs seconds. Every report
    still gets its own fresh kernel, forked from a kernel template (see kernel_fork) that imports
    the notebooks' libraries while this process warms up, instead of importing them per report.
    """
    from . import kernel_fork

    def say(line: str) -> None:  # through the progress bar when there is one, so it stays intact
        if bar is not None:
            bar.write(line)
        else:
            log(line)

    outcomes = []
    notebooks = sorted({paths.NOTEBOOKS_DIR / notebook_spec(s.notebook).notebook for s in scenarios})
    with kernel_fork.serving(kernel_fork.notebook_imports(notebooks)) as template:
        _warm_up()
        # fork: the workers inherit the warmed-up modules and the template's pipe (no thread or
        # kernel is running yet here)
        ctx = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=min(jobs, len(scenarios)), mp_context=ctx) as pool:
            futures = {pool.submit(run_one, s, force, code_fp, timeout_s): s for s in scenarios}
            for fut in as_completed(futures):
                try:
                    o = fut.result()
                except Exception as exc:  # the worker process itself died
                    o = Outcome(futures[fut].name, "failed", 0.0, f"worker process failed: {exc!r}")
                outcomes.append(o)
                if bar is not None:
                    bar.update(1)
                say(f"{o.status.upper():7s} {o.scenario} ({o.seconds:.1f} s){': ' + o.message if o.message else ''}")
        if template is not None:
            with contextlib.suppress(kernel_fork.TemplateUnavailable):
                info = template.info()
                failed = "; ".join(f"{k} ({v})" for k, v in info["preload_failed"].items())
                say(f"r57 run-all: {info['kernels_forked']} kernel(s) forked from the template"
                    + (f"; not preloaded: {failed}" if failed else ""))
    return outcomes


def run_all(jobs: int | None = None, force: bool = False, only: str | None = None, timeout_s: float = 900.0,
            log=print, pdf: bool = False) -> tuple[list[Outcome], Path]:
    """Run the catalogue; return the outcomes and the index page's path."""
    from .site import write_index

    catalogue, refused = load_catalogue()
    scenarios = catalogue
    if only:
        scenarios = [s for s in scenarios if fnmatch.fnmatch(s.name, only)]
        refused = [(p, m) for p, m in refused if fnmatch.fnmatch(p.stem, only)]
    jobs = max(1, jobs or os.cpu_count() or 1)
    outcomes = [Outcome(p.stem, "refused", 0.0, m) for p, m in refused]
    code_fp = code_fingerprint()
    if not force:  # settle the clearly unchanged ones here; workers re-check under the lock
        todo = []
        for s in scenarios:
            rec = read_record(s.name)
            if rec.get("fingerprint") == fingerprint(s, code_fp) and (paths.REPORTS_DIR / s.name / "report.html").exists():
                outcomes.append(Outcome(s.name, "skipped", 0.0, "unchanged since the last successful run"))
            else:
                todo.append(s)
        scenarios = todo
    for o in outcomes:
        log(f"{o.status.upper():7s} {o.scenario}: {o.message}")
    paths.REPORTS_DIR.mkdir(parents=True, exist_ok=True)
    bar = None
    if sys.stderr.isatty() and log is print:
        from tqdm import tqdm

        tqdm.monitor_interval = 0  # no monitor thread: worker processes are forked after this point
        bar = tqdm(total=len(scenarios), unit="report", desc="r57 run-all")
    else:
        log(f"r57 run-all: {len(scenarios)} scenario(s), {jobs} job(s){', forced' if force else ''}")
    if scenarios:
        outcomes += _run_in_workers(scenarios, jobs, force, code_fp, timeout_s, bar, log)
    if bar is not None:
        bar.close()
    with locked("index"):
        from .compare import publish_site_extras  # comparison pages per report type; PDFs with --pdf

        publish_site_extras(pdf=pdf, jobs=jobs, log=log)
        index = write_index(catalogue)
    counts = {k: sum(o.status == k for o in outcomes) for k in ("ok", "skipped", "failed", "refused")}
    log("r57 run-all: " + ", ".join(f"{v} {k}" for k, v in counts.items()) + f"; site: {index}")
    return outcomes, index
