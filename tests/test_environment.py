"""Project set-up: environment.yml in step with pyproject.toml; CI calls the README's test command."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib

import yaml

from analysis import paths

ROOT = paths.PROJECT_ROOT
CONDA_NAME = {}  # conda-forge names equal the PyPI names for every dependency we use


def _split(req: str) -> tuple[str, str]:
    m = re.fullmatch(r"\s*([A-Za-z0-9_.\-]+)\s*(.*)", req)
    assert m, req
    return m.group(1).lower().replace("_", "-"), m.group(2).replace(" ", "")


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = dict(_split(r) for r in project["dependencies"] + project["optional-dependencies"]["test"])
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = {}
    pip_lines = []
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            pip_lines = dep["pip"]
            continue
        name, spec = _split(dep)
        if name not in ("python", "pip"):
            conda[CONDA_NAME.get(name, name)] = spec
    assert conda == wanted, "environment.yml and pyproject.toml list different dependencies or bounds"
    assert "-e ." in pip_lines
    py = next(d for d in env["dependencies"] if isinstance(d, str) and d.startswith("python"))
    assert py.split("=")[-1] in project["requires-python"] or "3.11" in py


def test_constraints_pin_every_direct_dependency():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pins = {}
    for line in (ROOT / "requirements" / "constraints.txt").read_text().splitlines():
        if line and not line.startswith("#"):
            name, _, ver = line.partition("==")
            pins[name.lower().replace("_", "-")] = ver
    for req in project["dependencies"] + project["optional-dependencies"]["test"]:
        name, _ = _split(req)
        assert name in pins, f"{name} is not pinned in requirements/constraints.txt (run `make lock`)"


def test_ci_runs_exactly_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    assert "make reports" in readme and "make test" in readme
    ci = (ROOT / ".ci" / "run").read_text()
    lines = [ln.strip() for ln in ci.splitlines() if ln.strip() and not ln.strip().startswith("#")]
    assert lines[-1] == "make test"  # the test command itself, last, so its exit code is CI's
    assert [ln for ln in lines if "make " in ln or "pytest" in ln] == ["make test"]


def test_console_script_and_module_entry_point_agree():
    out = subprocess.run([sys.executable, "-m", "analysis", "--version"], capture_output=True, text=True, check=True)
    assert out.stdout.startswith("r57 ")
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["scripts"]["r57"] == "analysis.cli:main"
