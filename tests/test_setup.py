"""A first day that works: the Python check before ``.venv`` is made, the version from git tags with a
fallback, and the licence and citation files."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from packaging.specifiers import SpecifierSet
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]
CHECK = ROOT / "scripts" / "check-python"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
REQUIRES_PYTHON = SpecifierSet(PYPROJECT["project"]["requires-python"])


def fake_python(folder: Path, version: str, name: str = "python3") -> Path:
    """An executable ``name`` in ``folder`` that answers any question as a Python ``version`` would
    print its version, and fails anything else (so a Makefile that went on to ``-m venv`` shows)."""
    folder.mkdir(parents=True, exist_ok=True)
    exe = folder / name
    exe.write_text(
        "#!/bin/sh\n"
        f'case "$1" in --version|-V) echo "Python {version}";; -c) echo "{version}";;\n'
        '  *) echo "fake python asked: $*" >&2; exit 99;; esac\n'
    )
    exe.chmod(0o755)
    return exe


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_reports_on_python_3_11_2_stops_in_under_5_seconds_naming_the_versions(tmp_path):
    """Debian 12's python3 is 3.11.2: make stops before creating .venv, in one line that names the
    version found, the range needed and how to give another interpreter."""
    project = tmp_path / "project"
    for name in ("Makefile", "pyproject.toml", "requirements/constraints.txt", "scripts/check-python"):
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, project / name)
    bin_dir = tmp_path / "bin"
    fake_python(bin_dir, "3.11.2")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHON", "MAKEFLAGS", "MAKELEVEL")}
    env["PATH"] = f"{bin_dir}{os.pathsep}{env['PATH']}"
    start = time.monotonic()
    out = subprocess.run(["make", "reports"], cwd=project, env=env, capture_output=True, text=True, timeout=60)
    took = time.monotonic() - start
    assert out.returncode != 0
    assert took < 5, f"make took {took:.1f} s to refuse"
    lines = [line for line in out.stderr.splitlines() if line.startswith("r57 ")]
    assert len(lines) == 1, out.stderr
    assert "found 3.11.2" in lines[0] and ">=3.11.5,<3.13" in lines[0]
    assert "make reports PYTHON=/path/to/python3.11" in lines[0]
    assert "fake python asked" not in out.stderr and not (project / ".venv").exists()


def check(python: Path) -> subprocess.CompletedProcess:
    return subprocess.run(["sh", str(CHECK), str(python)], capture_output=True, text=True, timeout=20)


@settings(max_examples=40)
@given(st.integers(3, 3), st.integers(9, 14), st.integers(0, 20))
def test_the_python_check_accepts_exactly_pyprojects_requires_python(tmp_path_factory, major, minor, micro):
    version = f"{major}.{minor}.{micro}"
    out = check(fake_python(tmp_path_factory.mktemp("py"), version))
    assert (out.returncode == 0) == REQUIRES_PYTHON.contains(Version(version)), out.stderr
    assert out.stderr == "" if out.returncode == 0 else f"found {version}" in out.stderr


def test_the_floor_is_the_highest_requires_python_among_the_pins():
    """3.11.5 is what the pinned distributions need (soupsieve's Requires-Python today): the range
    check must not accept a Python on which one of them would refuse to install."""
    from importlib.metadata import distributions

    floors = {}
    for dist in distributions():
        spec = dist.metadata.get("Requires-Python")
        if spec and dist.metadata["Name"] != "r57":
            floors[dist.metadata["Name"]] = SpecifierSet(spec)
    for micro in range(0, 15):
        version = Version(f"3.11.{micro}")
        everyone = all(spec.contains(version) for spec in floors.values())
        assert REQUIRES_PYTHON.contains(version) == everyone, f"3.11.{micro}"


def test_the_python_check_names_a_missing_interpreter(tmp_path):
    out = check(tmp_path / "no-python-here")
    assert out.returncode == 1 and "did not run as Python" in out.stderr and "PYTHON=" in out.stderr


def test_a_tree_without_git_builds_as_the_fallback_version(tmp_path):
    """A tarball or a copy without git metadata still installs: setuptools-scm's fallback version."""
    src = tmp_path / "r57-src"
    shutil.copytree(ROOT / "src", src / "src", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy2(ROOT / name, src / name)
    out = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path / "wheels"), str(src)],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "GIT_CEILING_DIRECTORIES": str(tmp_path)},
    )
    assert out.returncode == 0, out.stderr[-2000:]
    fallback = PYPROJECT["tool"]["setuptools_scm"]["fallback_version"]
    assert [p.name for p in (tmp_path / "wheels").iterdir()] == [f"r57-{fallback}-py3-none-any.whl"]


def test_citation_file_is_valid_cff_1_2_0_and_names_the_licence():
    out = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.citation-file-format", "CITATION.cff"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    import yaml

    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["license"] == PYPROJECT["project"]["license"] == "MIT"
    assert cff["authors"] == [{"name": "r57 contributors"}]
    assert "MIT License" in (ROOT / "LICENSE").read_text(encoding="utf-8")
