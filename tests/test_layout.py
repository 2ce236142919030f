"""The package's layout: subpackages by role, imports one way (import-linter's contract), no cycles; notebooks
paired and clean."""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from pathlib import Path

import jupytext
import pytest

from analysis import paths

PACKAGE = paths.SOURCE_DIR
BASE = {"paths", "errors", "i18n", "__init__", "__main__"}  # i18n: the language layer under data


def _modules() -> dict[str, Path]:
    out = {}
    for p in PACKAGE.rglob("*.py"):
        rel = p.relative_to(PACKAGE.parent).with_suffix("")
        parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
        out[".".join(parts)] = p
    return out


def _imports(modules: dict[str, Path]) -> dict[str, set[str]]:
    """Every import of a package module by another, function-level ones and importlib calls included."""
    edges: dict[str, set[str]] = {m: set() for m in modules}
    for mod, path in modules.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                assert node.level == 0, f"{path}: relative import; the package uses absolute imports"
                names = [node.module or ""] + [f"{node.module}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "import_module":
                # a literal package module (or one relative to __package__) hides an import from the contract
                first = node.args[0] if node.args else None
                literal = isinstance(first, ast.Constant) and str(first.value).startswith(("analysis", "."))
                assert not (literal or len(node.args) > 1), f"{path}: importlib.import_module hides an import"
            edges[mod] |= {n for n in names if n in modules and n != mod and not mod.startswith(n + ".")}
    return edges


def test_no_module_lies_flat_outside_the_subpackages():
    flat = sorted(p.stem for p in PACKAGE.glob("*.py") if p.stem not in BASE | {"cli", "api"})
    assert flat == [], f"modules outside data/, models/, reports/, run/: {flat}"
    assert {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists()} >= {"data", "models", "reports", "run"}


def test_docs_design_names_every_module_in_its_layout_section():
    """docs/design.md's "How the code is laid out" is the one map of the package: a new module goes in it."""
    doc = (paths.PROJECT_ROOT / "docs" / "design.md").read_text(encoding="utf-8")
    section = doc.split("## How the code is laid out", 1)[1].split("\n## ", 1)[0]
    names = sorted({p.name for p in PACKAGE.rglob("*.py") if p.name != "__init__.py"})
    assert [n for n in names if not re.search(rf"(?<![\w/]){re.escape(n)}", section)] == []


def test_no_import_cycles():
    edges = _imports(_modules())
    state: dict[str, int] = {}

    def visit(m: str, stack: list[str]) -> None:
        state[m] = 1
        for t in sorted(edges[m]):
            if state.get(t) == 1:
                cycle = stack[stack.index(t) :] + [t] if t in stack else [m, t]
                raise AssertionError("import cycle: " + " -> ".join(cycle))
            if t not in state:
                visit(t, stack + [t])
        state[m] = 2

    for m in sorted(edges):
        if m not in state:
            visit(m, [m])


def test_the_import_linter_contract_holds():
    """The layers (pyproject.toml's one contract): cli | api -> run -> reports -> models -> data -> i18n -> paths."""
    lint = Path(sys.executable).with_name("lint-imports")
    out = subprocess.run(
        [str(lint), "--config", str(paths.PROJECT_ROOT / "pyproject.toml")],
        capture_output=True,
        text=True,
        cwd=paths.PROJECT_ROOT,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert "0 broken" in out.stdout


@pytest.mark.parametrize("notebook", sorted(paths.NOTEBOOKS_DIR.glob("*.ipynb")), ids=lambda p: p.name)
def test_each_notebook_is_paired_with_a_text_twin_in_sync_and_has_no_outputs(notebook):
    twin = notebook.with_suffix(".py")
    assert twin.exists(), f"{twin.name} missing: run `jupytext --sync {notebook}`"
    raw = json.loads(notebook.read_text(encoding="utf-8"))
    assert raw["metadata"]["jupytext"]["formats"] == "ipynb,py:percent"
    for cell in raw["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None, f"{notebook.name} has outputs"
    a = [(c.cell_type, c.source) for c in jupytext.read(notebook).cells]
    b = [(c.cell_type, c.source) for c in jupytext.read(twin).cells]
    assert a == b, f"{notebook.name} and {twin.name} differ: run `jupytext --sync {notebook}`"


BENCHMARKS = sorted(p.name for p in (paths.PROJECT_ROOT / "benchmarks").glob("bench_*.py"))


@pytest.fixture(scope="module")
def benchmark_imports() -> dict[str, str]:
    """Each benchmark script imported in one fresh process (one interpreter start, not one per script):
    ``{script: the error's traceback, or "" when it imported}``."""
    folder = paths.PROJECT_ROOT / "benchmarks"
    code = (
        "import importlib, json, sys, traceback\n"
        f"sys.path[:0] = [{str(folder)!r}, {str(paths.PROJECT_ROOT / 'tests')!r}]\n"
        "errors = {}\n"
        f"for script in {BENCHMARKS!r}:\n"
        "    try:\n"
        "        importlib.import_module(script[:-3])\n"
        "        errors[script] = ''\n"
        "    except BaseException:\n"
        "        errors[script] = traceback.format_exc()\n"
        "print(json.dumps(errors))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-1500:]
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("script", BENCHMARKS)
def test_every_benchmark_script_imports(script, benchmark_imports):
    """A benchmark is run by hand or by `make bench`, never by the suite: importing it (its main() guarded)
    catches a name that moved (bench_montecarlo imported simulate_gdp from a module it had left)."""
    assert benchmark_imports[script] == "", benchmark_imports[script][-1500:]
