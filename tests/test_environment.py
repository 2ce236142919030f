"""Project set-up: environment.yml generated from the constraints and in step with pyproject.toml; CI calls the README's test command."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
import tomllib

import pytest
import yaml

from analysis import paths

ROOT = paths.PROJECT_ROOT


def _split(req: str) -> tuple[str, str]:
    m = re.fullmatch(r"\s*([A-Za-z0-9_.\-]+)\s*(.*)", req)
    assert m, req
    return m.group(1).lower().replace("_", "-"), m.group(2).replace(" ", "")


def _environment_yml_script():
    spec = importlib.util.spec_from_file_location("environment_yml", ROOT / "scripts" / "environment_yml.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _pins() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements" / "constraints.txt").read_text().splitlines():
        if line and not line.startswith("#"):
            name, _, ver = line.partition("==")
            pins[re.sub(r"[-_.]+", "-", name).lower()] = ver
    return pins


def test_environment_yml_is_generated_from_the_constraints():
    out = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "environment_yml.py"), "--check"], capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr


def test_environment_yml_pins_the_constraints_versions_of_every_dependency():
    """Read environment.yml on its own (not through the generator): same packages, same versions."""
    envfile = _environment_yml_script()
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = {_split(r)[0] for r in project["dependencies"] + project["optional-dependencies"]["test"]}
    pins = _pins()
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pypi_name = {conda: pypi for pypi, conda in envfile.CONDA_NAME.items()}
    got, pip_lines = {}, []
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            pip_lines = dep["pip"]
            continue
        name, _, version = dep.partition("==")
        if name.startswith("python=") or name == "pip":
            continue
        got[pypi_name.get(name, name).replace("_", "-")] = version
    for line in pip_lines:
        if "==" in line:
            name, _, version = line.partition("==")
            got[name] = version
    assert set(got) == wanted, "environment.yml and pyproject.toml list different dependencies"
    assert all(got[n] == pins[n] for n in got), {n: (got[n], pins[n]) for n in got if got[n] != pins[n]}
    # the conda-forge packages without a GUI toolkit or pandoc; names conda-forge spells with "_"
    names = [d.partition("==")[0] for d in env["dependencies"] if isinstance(d, str)]
    assert "matplotlib-base" in names and "matplotlib" not in names and "jupyter_client" in names
    assert "-e ." in pip_lines
    py = next(d for d in env["dependencies"] if isinstance(d, str) and d.startswith("python="))
    assert py == "python=3.11" and ">=3.11" in project["requires-python"]


def test_a_package_without_a_conda_forge_build_goes_under_pip_with_its_pin():
    envfile = _environment_yml_script()
    pyproject = {
        "project": {
            "requires-python": ">=3.11",
            "dependencies": ["numpy>=1", "tiny_pkg>=0.1"],
            "optional-dependencies": {"test": ["pytest"]},
        }
    }
    pins = {"numpy": "2.0.0", "tiny-pkg": "0.3.1", "pytest": "8.0.0"}
    text = envfile.render(pyproject, pins, conda_name={}, pip_only={"tiny-pkg"})
    env = yaml.safe_load(text)
    assert "numpy==2.0.0" in env["dependencies"] and "pytest==8.0.0" in env["dependencies"]
    assert env["dependencies"][-1] == {"pip": ["tiny-pkg==0.3.1", "-e ."]}
    with pytest.raises(SystemExit, match="not pinned.*tiny_pkg"):
        envfile.render(pyproject, {"numpy": "2.0.0", "pytest": "8.0.0"})


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
