"""Execute a parameterised notebook with papermill once and publish each edition as a report folder.

A run folder holds ``notebook.ipynb`` (executed), ``report.html`` (no code, self-contained),
``results.json``, ``params.yaml`` and ``tables/``. It is built in a temporary sibling folder and renamed
into place when complete: a failed run never touches the last good report, and is kept beside it in
``<run>.failed/`` with an ``error.txt`` naming the cell. r57 replaces only a folder holding nothing but
the files it recorded writing there (:mod:`analysis.run.ownership`, :func:`check_output_dir`).
"""

from __future__ import annotations

import contextlib
import errno
import functools
import hashlib
import json
import logging
import math
import os
import re
import shutil
import signal
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from analysis import i18n, paths
from analysis.errors import NotebookExecutionError, OutputDirError, R57Error
from analysis.reports import registry
from analysis.reports.fonts import embed_page_font
from analysis.reports.registry import notebook_spec, validate
from analysis.run import ownership, records
from analysis.run.kernel import SIGNALS, R57KernelManager, ensure_kernelspec, reap_kernels, remove_stale

if TYPE_CHECKING:  # nbformat takes about a second to import: only where a notebook is read
    import nbformat


@dataclass(frozen=True)
class RunResult:
    name: str
    run_dir: Path
    params: dict[str, Any]
    results: dict[str, Any]


def default_run_dir(name: str, params: dict[str, Any]) -> Path:
    """reports/<name>/default for default parameters, else reports/<name>/custom-<digest>."""
    digest = hashlib.sha256(json.dumps(params, sort_keys=True, default=str).encode()).hexdigest()[:10]
    label = "default" if params == validate(name, {}) else f"custom-{digest}"
    return paths.REPORTS_DIR / notebook_spec(name).name / label


def report_data_files(name: str) -> list[Path]:
    """The data files report ``name`` reads, checked against the manifest; DataError names the first that fails."""
    from analysis.data.datasets import DATASETS
    from analysis.data.manifest import read_manifest, verify_file

    manifest = read_manifest(paths.MANIFEST_PATH)
    return [verify_file(DATASETS[d].file, manifest, paths.RAW_DATA_DIR) for d in registry.datasets(name)]


def data_fingerprint(name: str) -> dict[str, str]:
    """{file: sha256 of its bytes as they are now} for the files report ``name`` reads."""
    from analysis.data.datasets import DATASETS
    from analysis.data.manifest import file_sha256

    files = [paths.RAW_DATA_DIR / DATASETS[d].file for d in registry.datasets(name)]
    return {p.name: file_sha256(p) if p.is_file() else "not a file" for p in files}


MARKER = ownership.MANIFEST  # in every folder r57 writes: the record of what it wrote there
_STALE_RE = re.compile(r"\A\.(?:tmp|old)-.+-(\d+)-[0-9a-f]{8}\Z")


def _site_refusal(part: ownership.SitePart, run_all: bool) -> str:
    """Why a run may not write a folder that is ``part`` of the report site ("" when it may): the site, an
    edition, a page or a folder inside a report folder never; a catalogue scenario's folder only as run-all's."""
    if part.kind == "free":
        return ""
    if part.kind == "site":
        return "holds the whole report site (or an edition of it); give a folder inside it or elsewhere"
    if part.inside or part.kind == "page":
        return f"{part.words()}; give another folder"
    scenario = part.name.removesuffix(".failed")
    if run_all or records.holding(scenario):
        return ""
    return (
        f"is the report folder of the catalogue scenario {scenario}, which the site's index describes; "
        f"regenerate it with `r57 run-all --only {scenario.rsplit('/', 1)[-1]}`, or give another folder"
    )


def check_output_dir(path: Path, *, run_all: bool = False) -> Path:
    """Refuse an output folder that r57 must not replace (OutputDirError with the reason); return it absolute.

    A catalogue scenario's folder is run-all's: accepted only while this process holds its lock (run-all's
    workers), or with ``run_all`` (run-all's own check before the workers take the locks)."""
    path = ownership.check_target(path, "output folder", functools.partial(_site_refusal, run_all=run_all))
    failed = path.with_name(f"{path.name}.failed")
    if failed.is_symlink() or failed.exists() and not failed.is_dir():
        raise OutputDirError(
            f"output folder {path} has a sibling {failed.name} that is not r57's folder (a failed run writes "
            "there); move it away. Nothing was written."
        )
    ownership.check_folder(failed, "failure folder")
    return path


def remove_stale_temporaries(folder: Path, prefix: str = "") -> list[str]:
    """Remove the ``.tmp-*`` / ``.old-*`` folders in ``folder`` of r57 processes that are gone (pid in the name)."""
    return remove_stale(folder, _STALE_RE, (f".tmp-{prefix}", f".old-{prefix}"))


class Signalled(KeyboardInterrupt):
    """SIGINT, SIGTERM or SIGHUP: unwinds like Ctrl-C, so temporary folders and kernels go."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def raise_signalled(signum: int, frame: Any) -> None:
    """A signal handler raising :class:`Signalled`; later signals are ignored so clean-up is not cut short."""
    for sig in SIGNALS:
        signal.signal(sig, signal.SIG_IGN)
    raise Signalled(signum)


ACTIVE_TMP: Path | None = None  # the temporary folder of the run in progress (a stopped worker removes it)


def temporary_name(kind: str, final: Path) -> Path:
    return final.with_name(f".{kind}-{final.name}-{os.getpid()}-{uuid.uuid4().hex[:8]}")


def preflight(name: str, params: dict[str, Any] | None) -> dict[str, Any]:
    """Validate parameters and check them against the data, before any kernel starts."""
    return preflight_resolved(name, params)[0]


def preflight_resolved(name: str, params: dict[str, Any] | None) -> tuple[dict[str, Any], Any]:
    """:func:`preflight`'s validated parameters, and what the report's check against the data returned: for the rd
    reports the resolved scenario (:class:`~analysis.reports.rd_paths.RdResolved`, whose ``params`` hold the
    values the data fill in), None for a report without such a check."""
    spec = notebook_spec(name)
    validated = validate(name, params)
    report_data_files(spec.name)  # a changed or replaced data file stops the run here, named
    return validated, None if spec.preflight is None else spec.preflight(validated)


def _page_title(results: dict[str, Any], spec_title: str, lang: str, run_lang: str) -> str:
    """The page's title: the report's own (``titles`` by language, or ``title`` in ``run_lang``), else the registry's."""
    worded = (results.get("titles") or {}).get(lang) or (results.get("title") if lang == run_lang else None)
    with i18n.language(lang):
        return worded or i18n.gettext(spec_title)


def select_edition(nb: nbformat.NotebookNode, lang: str, strict: bool = True) -> nbformat.NotebookNode:
    """A copy of the executed ``nb`` with each display output in ``lang``'s edition only: its MIME type for
    ``lang`` (:func:`analysis.i18n.edition_mime`) under the plain type, the other languages' dropped. With
    ``strict``, a text output with no ``lang`` variant (the same language on both pages) raises R57Error."""
    import nbformat

    nb = nbformat.from_dict(nb)
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            data = output.get("data")
            if not data:
                continue
            variants = {i18n.mime_edition(m): m for m in data if i18n.mime_edition(m)}
            if lang != i18n.SOURCE_LANG:
                mine = {kind: m for (of, kind), m in variants.items() if of == lang}
                if not mine and strict and any(m.startswith("text/") for m in data):
                    first = next((ln for ln in cell.source.splitlines() if ln.strip()), "")
                    raise R57Error(
                        f"cell {index} ({first[:60]}) shows an output with no {lang} edition; show it with "
                        "render.both() or md(lambda: ...) so that each edition has its own"
                    )
                for kind, m in mine.items():
                    data[f"text/{kind}"] = data[m]
            for m in variants.values():
                del data[m]
    return nb


def export_html(
    nb: nbformat.NotebookNode,
    title: str,
    lang: str = i18n.SOURCE_LANG,
    links: dict[str, str] | None = None,
    results: dict[str, Any] | None = None,
) -> str:
    """Render an executed notebook as a self-contained HTML page without code, its Markdown cells in ``lang``.

    ``links`` (``analysis.run.site.page_links``): the page's nav. ``results`` (the run's results.json): its
    key findings open the page and its "How to cite" line ends it (:func:`with_findings`)."""
    from analysis.reports.render import install_i18n

    exporter = _exporter(lang, str(paths.TEMPLATES_DIR))
    if "jinja2.ext.InternationalizationExtension" not in exporter.environment.extensions:
        install_i18n(exporter.environment)  # the nav's words, in the language in use while rendering
    # the publisher hands over an edition it already selected (strictly): selecting again leaves it as it is
    nb = select_edition(nb, lang, strict=False)  # a copy: its Markdown cells are translated in place
    nb.metadata["title"] = title
    with i18n.language(lang):
        for cell in nb.cells:
            if cell.cell_type == "markdown":
                cell.source = i18n.translate_markdown(cell.source)
        if results is not None:
            nb = with_findings(nb, title, results)
        body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}, "r57_links": links or {}})
    return embed_page_font(body)  # the page's own font: diacritics render the same on every machine


@functools.cache
def _exporter(lang: str, templates: str) -> Any:
    """The HTML exporter of ``lang``'s pages, its templates compiled once per process (run-all: before the fork)."""
    from nbconvert import HTMLExporter

    return HTMLExporter(
        template_name="r57",
        extra_template_basedirs=[templates],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        embed_images=True,
        language_code=lang,
        optimistic_validation=True,  # the notebook validated once, after its preprocessors, not after each of 12
    )


_TITLE = re.compile(r"^# |<h1[\s>]", re.M)
_HEADING = re.compile(r"^#{1,6} |<h[1-6][\s>]", re.M)
_FOOTER = '<footer class="r57-footer">'  # templates/fragments/footer.html.j2


def with_findings(nb: nbformat.NotebookNode, title: str, results: dict[str, Any]) -> nbformat.NotebookNode:
    """``nb`` with the report's key findings (in the current language) after the page's title and introduction,
    before the first table, and its "How to cite" line in the provenance footer."""
    import nbformat

    from analysis.reports.findings import citation, findings
    from analysis.reports.render import fragment

    def shown(cell: Any) -> str:
        if cell.cell_type == "markdown":
            return cell.source
        texts = [o.get("data", {}).get(m, "") for o in cell.get("outputs", []) for m in ("text/html", "text/markdown")]
        return "".join(t if isinstance(t, str) else "".join(t) for t in texts)

    def html_cell(html: str) -> nbformat.NotebookNode:
        return nbformat.v4.new_code_cell(outputs=[nbformat.v4.new_output("display_data", data={"text/html": html})])

    texts = [shown(c) for c in nb.cells]
    at = next((i + 1 for i, t in enumerate(texts) if _TITLE.search(t)), 0)
    while at < len(nb.cells) and nb.cells[at].cell_type == "markdown" and not _HEADING.search(texts[at]):
        at += 1  # the introduction's paragraphs after the title
    first_table = next((i for i, t in enumerate(texts) if "<table" in t), len(texts))
    if cite := citation(title, results):  # in the provenance footer, after its first paragraph (or a footer of its own)
        line = fragment("cite", cite=cite)
        footers = [
            o["data"]
            for c in nb.cells
            for o in c.get("outputs", [])
            if _FOOTER in o.get("data", {}).get("text/html", "")
        ]
        if footers:
            html = footers[-1]["text/html"]
            end = html.find("</p>", html.rindex(_FOOTER))
            at_cite = end + len("</p>") if end >= 0 else html.rindex("</footer>")
            footers[-1]["text/html"] = html[:at_cite] + line + html[at_cite:]
        else:
            nb.cells.append(html_cell(fragment("cite", cite=cite, alone=True)))
    if sentences := findings(results):
        nb.cells.insert(min(at, first_table), html_cell(fragment("findings", sentences=sentences)))
    return nb


def failed_cell(executed: nbformat.NotebookNode, source: nbformat.NotebookNode) -> tuple[int | None, str]:
    """(index in the *source* notebook, found by cell id past papermill's added cells, first line) of the cell
    that raised."""
    for cell in executed.cells:
        if any(o.get("output_type") == "error" for o in cell.get("outputs", [])):
            first = next((ln for ln in cell.source.splitlines() if ln.strip()), "")
            ids = [c.get("id") for c in source.cells]
            index = ids.index(cell.get("id")) if cell.get("id") in ids else None
            return index, first[:120]
    return None, ""


def timed_out_cell(source: nbformat.NotebookNode, message: str) -> tuple[int | None, str]:
    """(index in the source notebook, first line) of the cell a ``CellTimeoutError`` names: its message
    previews the cell (its source, or its first and last five lines); no executed notebook is written."""
    rule = "-------------------\n"
    if rule not in message:
        return None, ""
    preview = message.split(rule, 1)[1].rsplit("\n" + rule.strip(), 1)[0]
    for index, cell in enumerate(source.cells):
        lines = cell.source.strip().split("\n")
        shown = cell.source if len(lines) < 11 else f"{lines[:5]}\n...\n{lines[-5:]}"
        if cell.cell_type == "code" and cell.source.strip() and shown == preview:
            return index, next((ln for ln in lines if ln.strip()), "")[:120]
    return None, ""


def swap_into_place(tmp: Path, final: Path) -> None:
    """Replace ``final`` with ``tmp`` (sealed) by renames. ``final`` is checked again just before: a file a user
    put there meanwhile stops the swap (OutputDirError) and is kept. ``final`` is never left missing."""
    ownership.seal(tmp)
    final.parent.mkdir(parents=True, exist_ok=True)
    old = None
    if final.exists() or final.is_symlink():
        ownership.check_folder(final)
        old = temporary_name("old", final)
        os.replace(final, old)
    try:
        os.replace(tmp, final)
    except BaseException:
        if old is not None:
            os.replace(old, final)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


class WriteError(R57Error):
    """A report could not be written (a full disk, a read-only folder); nothing was published."""

    ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM, errno.EIO, errno.EFBIG})

    @classmethod
    def of(cls, exc: OSError, tmp: Path, final: Path) -> OSError | WriteError:
        """The error to raise for ``exc``: a WriteError for a disk's refusal, any other ``exc`` as it is."""
        return cls(exc, tmp, final) if exc.errno in cls.ERRNOS else exc

    def __init__(self, exc: OSError, tmp: Path, final: Path):
        where = exc.filename or tmp  # a failed write() names no file: the folder being written does
        super().__init__(
            f"cannot write the report: {exc.strerror or exc} ({where}); free some space on that disk or make "
            f"the folder writable (or give --output-dir elsewhere) and run again. Nothing was published: "
            f"{final} is as it was."
        )


def run_report(
    name: str,
    params: dict[str, Any] | None = None,
    output_dir: Path | str | None = None,
    *,
    execution_timeout: float | None = None,
    on_start: Callable[[], None] | None = None,
) -> RunResult:
    """Validate, execute and publish one report in the edition of its ``lang`` parameter (see :func:`run_editions`)."""
    lang = str((params or {}).get("lang") or i18n.SOURCE_LANG)
    return run_editions(
        name,
        params,
        {lang: output_dir},
        execution_timeout=execution_timeout,
        on_start=on_start,
    )[lang]


def run_editions(
    name: str,
    params: dict[str, Any] | None,
    outputs: dict[str, Path | str | None],
    *,
    links: dict[str, dict[str, str]] | None = None,
    execution_timeout: float | None = None,
    on_start: Callable[[], None] | None = None,
) -> dict[str, RunResult]:
    """Publish report ``name`` with ``params`` in each edition of ``outputs`` (``{lang: folder or None for the
    default}``), ``links`` per edition; return ``{lang: RunResult}``. Executed once, in the source language,
    every edition exported from that run. Raises ParameterError before any kernel starts,
    NotebookExecutionError (naming the cell) if the notebook fails."""
    spec = notebook_spec(name)
    # the data check and the preflight once: the editions' parameters differ only in ``lang``
    validated = {lang: validate(name, {**(params or {}), "lang": lang}) for lang in outputs}
    preflight(name, {**(params or {}), "lang": next(iter(outputs))})
    finals = {
        lang: check_output_dir(Path(out) if out else default_run_dir(name, validated[lang]))
        for lang, out in outputs.items()
    }
    if on_start is not None:  # e.g. announce the run only once the parameters are known to be good
        on_start()
    return _execute(
        spec,
        {**next(iter(validated.values())), "lang": i18n.SOURCE_LANG},
        {lang: (finals[lang], validated[lang], (links or {}).get(lang)) for lang in outputs},
        kernel_name=ensure_kernelspec(),  # the project's kernel (IPC transport)
        execution_timeout=execution_timeout,
    )


def _drop_cell_timeout_line(record: logging.LogRecord) -> bool:
    """False for nbclient's "Timeout waiting for execute reply" (through papermill's logger): r57's own
    one-line message names the cell and the limit."""
    return not str(record.msg).startswith("Timeout waiting for execute reply")


def _execute(
    spec: Any,
    run_params: dict[str, Any],
    editions: dict[str, tuple[Path, dict[str, Any], dict[str, str] | None]],
    *,
    kernel_name: str,
    execution_timeout: float | None,
) -> dict[str, RunResult]:
    """Execute ``spec``'s notebook once with ``run_params`` in a plain kernel and publish each of
    ``editions`` (``{lang: (output folder, its parameters, its nav links)}``) from that run."""
    import nbformat
    import papermill as pm
    from nbclient.exceptions import CellTimeoutError, DeadKernelError
    from papermill.exceptions import PapermillExecutionError

    global ACTIVE_TMP
    for final, _params, _links in editions.values():
        final.parent.mkdir(parents=True, exist_ok=True)
        remove_stale_temporaries(final.parent, final.name)
    first = next(iter(editions.values()))[0]
    tmp = temporary_name("tmp", first)
    made = False  # the temporary folder is removed on every way out, once it is ours
    nb_in = paths.NOTEBOOKS_DIR / spec.notebook
    nb_out = tmp / "notebook.ipynb"
    logging.getLogger("papermill").addFilter(_drop_cell_timeout_line)  # added once (logging checks)
    try:
        tmp.mkdir()
        made = True
        ACTIVE_TMP = tmp
        try:
            pm.execute_notebook(
                str(nb_in),
                str(nb_out),
                parameters={**run_params, "results_path": str(tmp / "results.json")},
                kernel_name=kernel_name,
                cwd=str(paths.NOTEBOOKS_DIR),
                progress_bar=False,
                log_output=False,
                report_mode=False,
                # whole seconds (2.5 becomes 3); the output written once, the kernel stopped at once
                execution_timeout=None if execution_timeout is None else max(1, math.ceil(execution_timeout)),
                request_save_on_cell_execute=False,
                shutdown_kernel="immediate",
                kernel_manager_class=R57KernelManager,
            )
        except (PapermillExecutionError, CellTimeoutError, DeadKernelError) as exc:
            ename, evalue, trace = _error_of(exc, execution_timeout)
            index, first_line = None, ""
            if nb_out.exists():
                index, first_line = failed_cell(nbformat.read(nb_out, as_version=4), nbformat.read(nb_in, as_version=4))
            if index is None and isinstance(exc, CellTimeoutError):
                index, first_line = timed_out_cell(nbformat.read(nb_in, as_version=4), str(exc))
            _keep_failure(
                tmp, [final for final, _p, _l in editions.values()], spec, index, first_line, (ename, evalue, trace)
            )
            raise NotebookExecutionError(
                spec.notebook, index, ename, evalue, str(first) if first.exists() else None, first_line
            ) from None
        nb = nbformat.read(nb_out, as_version=4)
        results_file = tmp / "results.json"
        if not results_file.exists():
            raise R57Error(f"{spec.notebook} ran but wrote no results.json; its last cells must call report.save()")
        results = json.loads(results_file.read_text(encoding="utf-8"))
        done = _publish(spec, tmp, nb, results, editions, run_params.get("lang", i18n.SOURCE_LANG))
    except OSError as exc:  # a full disk, a read-only folder: said with the path and what to do
        raise WriteError.of(exc, tmp, first) from None
    except BaseException as exc:
        if not isinstance(exc, Exception):  # interrupted (a signal): wherever it landed, no kernel outlives it
            reap_kernels()
        raise
    finally:
        ACTIVE_TMP = None
        if made and tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return done


def _publish(
    spec: Any,
    tmp: Path,
    nb: nbformat.NotebookNode,
    results: dict[str, Any],
    editions: dict[str, tuple[Path, dict[str, Any], dict[str, str] | None]],
    run_lang: str,
) -> dict[str, RunResult]:
    """Publish each of ``editions`` from the executed ``nb`` (in ``tmp``) into its folder; the .failed beside it goes."""
    import nbformat

    done = {}
    for lang, (final, params, links) in editions.items():
        folder = _edition_folder(tmp, final, lang, run_lang)
        try:
            edition = select_edition(nb, lang)
            nbformat.write(edition, folder / "notebook.ipynb")
            # a report may word its own title from its parameters (e.g. the target year)
            (folder / "report.html").write_text(
                export_html(edition, _page_title(results, spec.title, lang, run_lang), lang, links, results),
                encoding="utf-8",
            )
            (folder / "params.yaml").write_text(yaml.safe_dump(params, sort_keys=False), encoding="utf-8")
            swap_into_place(folder, final)
        except OSError as exc:  # a full disk while writing this edition: say the folder being written
            raise WriteError.of(exc, folder, final) from None
        finally:
            if folder.exists():
                shutil.rmtree(folder, ignore_errors=True)
        with contextlib.suppress(OutputDirError):  # a user's file put there since the check: kept, folder too
            ownership.remove_folder(final.with_name(f"{final.name}.failed"))
        done[lang] = RunResult(name=spec.name, run_dir=final, params=params, results=results)
    return done


def _error_of(exc: Exception, execution_timeout: float | None) -> tuple[str, str, str]:
    """(name, what happened, traceback) of a failed execution: a cell's error, a cell timeout, a dead kernel."""
    from nbclient.exceptions import CellTimeoutError
    from papermill.exceptions import PapermillExecutionError

    if isinstance(exc, PapermillExecutionError):
        return exc.ename, exc.evalue, "\n".join(exc.traceback or [])
    if isinstance(exc, CellTimeoutError):
        limit = max(1, math.ceil(execution_timeout or 0))
        return "timeout", f"the cell ran longer than {limit} s (the --timeout limit); it was stopped", str(exc)
    return "kernel died", "the notebook's kernel stopped (out of memory, or killed)", str(exc)


def _keep_failure(
    tmp: Path, finals: list[Path], spec: Any, index: int | None, first_line: str, error: tuple[str, str, str]
) -> None:
    """Keep the failed run ``tmp`` with an ``error.txt`` (the cell, ``error`` = (name, value, traceback)) as
    ``<final>.failed`` beside each of ``finals``; the last good reports stay."""
    ename, evalue, trace = error
    (tmp / "error.txt").write_text(
        f"report: {spec.name}\nnotebook: notebooks/{spec.notebook}\ncell: {index} (counting from 0 in the source notebook)\n"
        f"cell starts: {first_line}\nerror: {ename}: {evalue}\n\n" + trace,
        encoding="utf-8",
    )
    for final in reversed(finals):  # the first edition's gets tmp itself, the others a copy
        failed = final.with_name(f"{final.name}.failed")
        source = tmp
        if final != finals[0]:
            source = temporary_name("tmp", final)
            shutil.copytree(tmp, source, symlinks=True)
        swap_into_place(source, failed)  # r57's own (check_output_dir, checked again there), sealed


def _edition_folder(tmp: Path, final: Path, lang: str, run_lang: str) -> Path:
    """A new temporary folder beside ``final`` with the run's results.json and ``lang``'s tables."""
    folder = temporary_name("tmp", final)
    folder.mkdir()
    shutil.copy2(tmp / "results.json", folder / "results.json")
    tables = tmp / "tables" if lang == run_lang else tmp / "editions" / lang / "tables"
    if tables.is_dir():
        shutil.copytree(tables, folder / "tables")
    return folder
