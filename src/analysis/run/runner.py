"""Execute a parameterised notebook with papermill and publish it as a report folder.

A run folder holds ``notebook.ipynb`` (executed), ``report.html`` (no code,
self-contained), ``results.json``, ``params.yaml`` and ``tables/*.csv``. It is built
in a temporary sibling folder and moved into place only when complete, so a failed
run never touches the last good report; the failure is kept beside it in
``<run>.failed/`` with the executed notebook and an ``error.txt`` naming the cell.

An output folder is replaced whole, so r57 only writes into one that is absent, empty, or
was created by r57 (it holds the marker file ``.r57-output``); a folder with anything else
in it, a symbolic link, an existing file, the site folder itself or ``/`` is refused before
a kernel starts (:func:`check_output_dir`).
"""

from __future__ import annotations

import errno
import hashlib
import json
import math
import os
import re
import shutil
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
from analysis.run.kernel import R57KernelManager, ensure_kernelspec, pid_alive, reap_kernels

if TYPE_CHECKING:  # nbformat (with jsonschema) takes about a second to import: only where a notebook is read
    import nbformat


@dataclass(frozen=True)
class RunResult:
    name: str
    run_dir: Path
    params: dict[str, Any]
    results: dict[str, Any]


def params_digest(params: dict[str, Any]) -> str:
    text = json.dumps(params, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:10]


def default_run_dir(name: str, params: dict[str, Any]) -> Path:
    """reports/<name>/default for default parameters, else reports/<name>/custom-<digest>."""
    spec = notebook_spec(name)
    is_default = params == validate(name, {})
    label = "default" if is_default else f"custom-{params_digest(params)}"
    return paths.REPORTS_DIR / spec.name / label


def report_data_files(name: str) -> list[Path]:
    """The data files report ``name`` reads, checked against the manifest (checksum, a regular
    file); raises DataError naming the first file that fails."""
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


# ----------------------------------------------------------------------------- output folders

MARKER = ".r57-output"  # in every folder r57 creates: proof that r57 may replace it
# what r57 itself writes into a run folder: a folder holding only these (an r57 report from before
# the marker existed) is r57's too
R57_FILES = frozenset(
    {
        MARKER,
        "notebook.ipynb",
        "report.html",
        "results.json",
        "params.yaml",
        "tables",
        "run.json",
        "error.txt",
        "error.html",
    }
)
_STALE_RE = re.compile(r"^\.(?:tmp|old)-.+-(\d+)-[0-9a-f]{8}$")


def is_r57_folder(path: Path) -> bool:
    """True if ``path`` is a real folder (not a link) that r57 created or that is empty."""
    if path.is_symlink() or not path.is_dir():
        return False
    names = {p.name for p in path.iterdir()}
    return MARKER in names or names <= R57_FILES


def _input_folders() -> list[Path]:
    """Folders r57 reads its inputs from: a report is never written into them."""
    return [paths.RAW_DATA_DIR, paths.ARCHIVE_DIR, paths.NOTEBOOKS_DIR, paths.SCENARIOS_DIR, paths.SOURCE_DIR]


def check_output_dir(path: Path) -> Path:
    """Refuse an output folder that r57 must not replace; return the absolute path (links not
    followed). Raises OutputDirError with the reason."""
    path = Path(os.path.abspath(path))
    why = ""
    if path.parent == path:
        why = "is the root of the file system"
    elif path.is_symlink():
        why = f"is a symbolic link (to {os.readlink(path)}); r57 does not follow links, give the real folder"
    elif path == paths.REPORTS_DIR or path in paths.REPORTS_DIR.parents:
        why = "holds the whole report site; give a folder inside it or elsewhere"
    elif path == paths.PROJECT_ROOT or path in paths.PROJECT_ROOT.parents or path == Path.home():
        why = "is the project folder, one of its parents or your home folder"
    elif any(path == inputs or inputs in path.parents for inputs in _input_folders()):
        why = "is inside one of r57's own input folders (data, notebooks, scenarios, the source code)"
    elif path.exists() and not path.is_dir():
        why = "is an existing file, not a folder"
    elif path.exists() and not is_r57_folder(path):
        names = sorted(p.name for p in path.iterdir() if p.name not in R57_FILES)
        why = (
            f"is a folder r57 did not create and it holds other files ({', '.join(names[:3])}"
            f"{', ...' if len(names) > 3 else ''}); a run replaces its output folder whole, so it writes only "
            f"into a new or empty folder or one an earlier run created (marked by {MARKER})"
        )
    failed = path.with_name(f"{path.name}.failed") if not why else path
    if not why and (failed.is_symlink() or (failed.exists() and not is_r57_folder(failed))):
        why = f"has a sibling {failed.name} that r57 did not create (a failed run writes there); move it away"
    if why:
        raise OutputDirError(f"output folder {path} {why}. Nothing was written.")
    return path


def remove_stale_temporaries(folder: Path, prefix: str = "") -> list[str]:
    """Remove ``.tmp-*`` / ``.old-*`` folders in ``folder`` left by r57 processes that are gone
    (killed runs); a live run's folders (its pid is in the name) are left alone."""
    removed = []
    if not folder.is_dir():
        return removed
    for p in folder.iterdir():
        m = _STALE_RE.match(p.name)
        if not m or not p.name.startswith((f".tmp-{prefix}", f".old-{prefix}")) or p.is_symlink():
            continue
        if not pid_alive(int(m.group(1))):
            shutil.rmtree(p, ignore_errors=True)
            removed.append(p.name)
    return removed


ACTIVE_TMP: Path | None = None  # the temporary folder of the run in progress (a stopped worker removes it)


def _temporary_name(kind: str, final: Path) -> Path:
    return final.with_name(f".{kind}-{final.name}-{os.getpid()}-{uuid.uuid4().hex[:8]}")


def preflight(name: str, params: dict[str, Any] | None) -> dict[str, Any]:
    """Validate parameters and check them against the data, before any kernel starts."""
    spec = notebook_spec(name)
    validated = validate(name, params)
    report_data_files(spec.name)  # a changed or replaced data file stops the run here, named
    if spec.preflight is not None:
        spec.preflight(validated)
    return validated


def _page_title(results: dict[str, Any], spec_title: str, lang: str) -> str:
    """The page's title: the one the report worded from its parameters, else the registry's in ``lang``."""
    with i18n.language(lang):
        return results.get("title") or i18n.gettext(spec_title)


def translate_cells(nb: nbformat.NotebookNode, lang: str) -> nbformat.NotebookNode:
    """A copy of ``nb`` whose Markdown cells are in ``lang`` (from the catalogues; see analysis.i18n)."""
    import nbformat

    nb = nbformat.from_dict(nb)
    with i18n.language(lang):
        for cell in nb.cells:
            if cell.cell_type == "markdown":
                cell.source = i18n.translate_markdown(cell.source)
    return nb


def export_html(
    nb: nbformat.NotebookNode, title: str, lang: str = i18n.SOURCE_LANG, links: dict[str, str] | None = None
) -> str:
    """Render an executed notebook as a self-contained HTML page without code, its Markdown cells in ``lang``.

    ``links`` (from run-all, see ``analysis.run.site.page_links``): ``index``, ``glossary`` and ``switch``
    (the same report in the other language, with ``switch_lang`` and ``switch_label``) for the page's nav."""
    from nbconvert import HTMLExporter

    from analysis.reports.render import install_i18n

    exporter = HTMLExporter(
        template_name="r57",
        extra_template_basedirs=[str(paths.TEMPLATES_DIR)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        embed_images=True,
        language_code=i18n.HTML_LANG[lang],
    )
    if "jinja2.ext.InternationalizationExtension" not in exporter.environment.extensions:
        install_i18n(exporter.environment)  # the nav's words, in the language in use while rendering
    nb = translate_cells(nb, lang)
    nb.metadata["title"] = title
    with i18n.language(lang):
        body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}, "r57_links": links or {}})
    return embed_page_font(body)  # the page's own font: diacritics render the same on every machine


def failed_cell(executed: nbformat.NotebookNode, source: nbformat.NotebookNode) -> tuple[int | None, str]:
    """(index in the *source* notebook, first line of code) of the cell that raised.

    Papermill adds an injected-parameters cell and error banners to the executed
    notebook, so the index is mapped back to the source notebook by cell id.
    """
    for cell in executed.cells:
        if any(o.get("output_type") == "error" for o in cell.get("outputs", [])):
            first = next((ln for ln in cell.source.splitlines() if ln.strip()), "")
            ids = [c.get("id") for c in source.cells]
            index = ids.index(cell.get("id")) if cell.get("id") in ids else None
            return index, first[:120]
    return None, ""


def _swap_into_place(tmp: Path, final: Path) -> None:
    """Replace ``final`` with ``tmp`` using renames only (each rename is atomic); if the second rename
    fails, the first is undone, so ``final`` is never left missing."""
    final.parent.mkdir(parents=True, exist_ok=True)
    old = None
    if final.exists():
        old = _temporary_name("old", final)
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
    kernel_name: str | None = None,
    execution_timeout: float | None = None,
    on_start: Callable[[], None] | None = None,
    links: dict[str, str] | None = None,
) -> RunResult:
    """Validate, execute and publish one report. Raises ParameterError before any kernel
    starts, NotebookExecutionError (naming the cell) if the notebook fails."""
    import nbformat
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    spec = notebook_spec(name)
    validated = preflight(name, params)
    final = check_output_dir(Path(output_dir) if output_dir else default_run_dir(name, validated))
    if on_start is not None:  # e.g. announce the run only once the parameters are known to be good
        on_start()
    final.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(final.parent, final.name)
    global ACTIVE_TMP
    tmp = _temporary_name("tmp", final)
    made = False  # the temporary folder is removed on every way out, once it is ours
    nb_in = paths.NOTEBOOKS_DIR / spec.notebook
    nb_out = tmp / "notebook.ipynb"
    # the project's kernel (IPC transport); inside ``r57 run-all`` the provisioner factory's default is
    # kernel_fork's, so the kernel is forked from the template there
    kernel_name = kernel_name or ensure_kernelspec()
    try:
        tmp.mkdir()
        made = True
        ACTIVE_TMP = tmp
        (tmp / MARKER).write_text("This folder was created by r57; the next run replaces it whole.\n", encoding="utf-8")
        try:
            pm.execute_notebook(
                str(nb_in),
                str(nb_out),
                parameters={**validated, "results_path": str(tmp / "results.json")},
                kernel_name=kernel_name,
                cwd=str(paths.NOTEBOOKS_DIR),
                progress_bar=False,
                log_output=False,
                report_mode=False,
                # nbclient's per-cell timeout is a whole number of seconds: 2.5 becomes 3
                execution_timeout=None if execution_timeout is None else max(1, math.ceil(execution_timeout)),
                # the output is written once at the end (not after every cell), and the kernel is
                # stopped at once when the notebook is done: both only cost time
                request_save_on_cell_execute=False,
                shutdown_kernel="immediate",
                kernel_manager_class=R57KernelManager,
            )
        except PapermillExecutionError as exc:
            failed = final.with_name(f"{final.name}.failed")
            if failed.exists() or failed.is_symlink():  # r57's own (check_output_dir): replaced by renames
                _swap_into_place(tmp, failed)
            else:
                os.replace(tmp, failed)
            index, first_line = None, ""
            if (failed / "notebook.ipynb").exists():
                index, first_line = failed_cell(
                    nbformat.read(failed / "notebook.ipynb", as_version=4), nbformat.read(nb_in, as_version=4)
                )
            (failed / "error.txt").write_text(
                f"report: {name}\nnotebook: notebooks/{spec.notebook}\ncell: {index} (counting from 0 in the source notebook)\n"
                f"cell starts: {first_line}\nerror: {exc.ename}: {exc.evalue}\n\n" + "\n".join(exc.traceback or []),
                encoding="utf-8",
            )
            raise NotebookExecutionError(
                spec.notebook, index, exc.ename, exc.evalue, str(final) if final.exists() else None, first_line
            ) from None
        nb = nbformat.read(nb_out, as_version=4)
        results_file = tmp / "results.json"
        if not results_file.exists():
            raise R57Error(f"{spec.notebook} ran but wrote no results.json; its last cells must call report.save()")
        results = json.loads(results_file.read_text(encoding="utf-8"))
        # a report may word its own title from its parameters (e.g. the target year)
        lang = validated.get("lang", i18n.SOURCE_LANG)
        (tmp / "report.html").write_text(
            export_html(nb, _page_title(results, spec.title, lang), lang, links),
            encoding="utf-8",
        )
        (tmp / "params.yaml").write_text(yaml.safe_dump(validated, sort_keys=False), encoding="utf-8")
        _swap_into_place(tmp, final)
        shutil.rmtree(final.with_name(f"{final.name}.failed"), ignore_errors=True)
    except OSError as exc:  # a full disk, a read-only folder: said with the path and what to do
        raise WriteError.of(exc, tmp, final) from None
    except BaseException as exc:
        if not isinstance(exc, Exception):  # interrupted (a signal): wherever it landed, no kernel outlives it
            reap_kernels()
        raise
    finally:
        ACTIVE_TMP = None
        if made and tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return RunResult(name=name, run_dir=final, params=validated, results=results)
