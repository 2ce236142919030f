"""Execute a parameterised notebook with papermill and publish it as a report folder.

A run folder holds ``notebook.ipynb`` (executed), ``report.html`` (no code,
self-contained), ``results.json``, ``params.yaml`` and ``tables/*.csv``. It is built
in a temporary sibling folder and moved into place only when complete, so a failed
run never touches the last good report; the failure is kept beside it in
``<run>.failed/`` with the executed notebook and an ``error.txt`` naming the cell.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import nbformat
import yaml

from . import kernel_fork, paths
from .errors import NotebookExecutionError, R57Error
from .params import notebook_spec, validate

KERNEL_NAME = "python3"


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


def preflight(name: str, params: dict[str, Any] | None) -> dict[str, Any]:
    """Validate parameters and check them against the data, before any kernel starts."""
    spec = notebook_spec(name)
    validated = validate(name, params)
    if spec.preflight is not None:
        spec.preflight(validated)
    return validated


def export_html(nb: nbformat.NotebookNode, title: str) -> str:
    """Render an executed notebook as a self-contained HTML page without code."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        template_name="r57",
        extra_template_basedirs=[str(paths.TEMPLATES_DIR)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        embed_images=True,
    )
    nb = nbformat.from_dict(nb)
    nb.metadata["title"] = title
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
    return body


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
    """Replace ``final`` with ``tmp`` using renames only (each rename is atomic)."""
    final.parent.mkdir(parents=True, exist_ok=True)
    old = None
    if final.exists():
        old = final.with_name(f".old-{final.name}-{uuid.uuid4().hex[:8]}")
        os.replace(final, old)
    os.replace(tmp, final)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def run_report(
    name: str,
    params: dict[str, Any] | None = None,
    output_dir: Path | str | None = None,
    *,
    kernel_name: str = KERNEL_NAME,
    execution_timeout: float | None = None,
    on_start: Callable[[], None] | None = None,
) -> RunResult:
    """Validate, execute and publish one report. Raises ParameterError before any kernel
    starts, NotebookExecutionError (naming the cell) if the notebook fails."""
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    spec = notebook_spec(name)
    validated = preflight(name, params)
    if on_start is not None:  # e.g. announce the run only once the parameters are known to be good
        on_start()
    final = Path(output_dir).resolve() if output_dir else default_run_dir(name, validated)
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = final.with_name(f".tmp-{final.name}-{uuid.uuid4().hex[:8]}")
    tmp.mkdir()
    nb_in = paths.NOTEBOOKS_DIR / spec.notebook
    nb_out = tmp / "notebook.ipynb"
    engine_kwargs: dict[str, Any] = {}
    if kernel_fork.active() is not None:  # inside ``r57 run-all``: a fresh kernel forked from the template
        engine_kwargs["kernel_manager_class"] = kernel_fork.ForkingKernelManager
    try:
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
                execution_timeout=execution_timeout,
                # the output is written once at the end (not after every cell), and the kernel is
                # stopped at once when the notebook is done: both only cost time
                request_save_on_cell_execute=False,
                shutdown_kernel="immediate",
                **engine_kwargs,
            )
        except PapermillExecutionError as exc:
            failed = final.with_name(f"{final.name}.failed")
            shutil.rmtree(failed, ignore_errors=True)
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
        (tmp / "report.html").write_text(export_html(nb, results.get("title") or spec.title), encoding="utf-8")
        (tmp / "params.yaml").write_text(yaml.safe_dump(validated, sort_keys=False), encoding="utf-8")
        _swap_into_place(tmp, final)
        shutil.rmtree(final.with_name(f"{final.name}.failed"), ignore_errors=True)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return RunResult(name=name, run_dir=final, params=validated, results=results)
