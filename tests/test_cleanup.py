"""Nothing left behind: `r57 run` stopped by a hang-up or `kill` removes its temporary folder and its
kernel (process, connection file, IPC sockets); a full disk during `r57 run` or run-all leaves no
temporary folder and its message names the path and what to do."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from analysis import cli
from analysis.run import ownership
from analysis.run.kernel import pid_alive, signals_held
from waiting import processes_mentioning, wait_exit, wait_until

LAST_GOOD = "<html><body>last good report</body></html>"


@pytest.mark.notebook
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("signum", [signal.SIGHUP, signal.SIGTERM])
def test_a_hung_up_or_terminated_run_removes_its_kernel_and_temporary_folder(tmp_path, runtime_dir, signum):
    out, runtime = tmp_path / "vn", runtime_dir
    out.mkdir()
    (out / "report.html").write_text(LAST_GOOD)
    ownership.seal(out)  # a report r57 wrote earlier
    proc = subprocess.Popen(
        [sys.executable, "-m", "analysis", "run", "ecosystem_rankings", "--output-dir", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "JUPYTER_RUNTIME_DIR": str(runtime)},
    )
    try:
        # the kernel has written its connection file: it is starting
        [connection_file] = wait_until(
            lambda: list(runtime.glob("r57-kernel-*/kernel.json")), 120, "the kernel's connection file", proc
        )
        proc.send_signal(signum)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    name = signal.Signals(signum).name
    assert proc.returncode == 128 + signum, err
    assert f"interrupted by {name}; nothing was written" in err and "Traceback" not in err
    assert [p.name for p in tmp_path.iterdir()] == ["vn"]  # no .tmp-* folder
    assert (out / "report.html").read_text() == LAST_GOOD
    assert list(runtime.iterdir()) == [], (err, sorted(str(p) for p in runtime.rglob("*")))  # no file, no socket
    assert processes_mentioning(str(connection_file)) == []  # no kernel


# `r57 run` with its kernel's process stopped between fork and exec (Popen's preexec_fn runs in the new process),
# which sends the run SIGTERM from there: the signal lands inside Popen, before jupyter_client has the kernel's
# pid. The process becomes the kernel once the run has acted on the signal: at once if the run's handler
# returned (the signal held for now: a byte on the gate pipe), else when the run is gone (the pipe's end of file).
_GATED_RUN = """
import os, signal, subprocess, sys

import jupyter_client.launcher

from analysis import cli

pid_file, out = sys.argv[1:3]
gate_r, gate_w = os.pipe()
real_signal = signal.signal


def held_or_raised(sig, handler):
    if callable(handler):
        inner = handler

        def handler(signum, frame):
            inner(signum, frame)  # raises unless the run holds the signal for now
            os.write(gate_w, b"x")

    return real_signal(sig, handler)


def gate():  # in the kernel's process, before exec
    os.close(gate_w)
    fd = os.open(pid_file, os.O_WRONLY | os.O_CREAT, 0o600)
    os.write(fd, str(os.getpid()).encode())
    os.close(fd)
    os.kill(os.getppid(), signal.SIGTERM)
    os.read(gate_r, 1)


class GatedPopen(subprocess.Popen):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, preexec_fn=gate, **kwargs)


signal.signal = held_or_raised
jupyter_client.launcher.Popen = GatedPopen
sys.exit(cli.main(["run", "ecosystem_rankings", "--output-dir", out]))
"""


@pytest.mark.notebook
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_a_run_terminated_while_its_kernel_process_is_made_leaves_no_kernel_and_no_folder(tmp_path, runtime_dir):
    """SIGTERM inside Popen, after the fork, before the kernel's pid is known: the kernel must not start unseen
    and make its folder again once the run is gone (a fresh-clone CI run was left a kernel.json so)."""
    out, runtime, pid_file = tmp_path / "vn", runtime_dir, tmp_path / "kernel.pid"
    proc = subprocess.Popen(
        [sys.executable, "-c", _GATED_RUN, str(pid_file), str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "JUPYTER_RUNTIME_DIR": str(runtime)},
    )
    try:
        _, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    kernel = int(pid_file.read_text())
    wait_exit([kernel], 30)  # killed by the run, or (unseen) started after it and then ended by itself
    alive = pid_alive(kernel)
    if alive:
        os.kill(kernel, signal.SIGKILL)
    assert proc.returncode == 128 + signal.SIGTERM, err
    assert "interrupted by SIGTERM; nothing was written" in err and "Traceback" not in err
    assert not alive
    assert list(runtime.iterdir()) == [], sorted(str(p) for p in runtime.rglob("*"))  # no folder, no kernel.json


def test_a_signal_held_while_a_kernel_starts_is_handled_once_after_it_by_the_handler_before():
    if threading.current_thread() is not threading.main_thread():
        pytest.skip("signal handlers are set in the main thread only")
    handled: list[tuple[int, str]] = []
    where = "before"
    previous = signal.signal(signal.SIGHUP, lambda signum, frame: handled.append((signum, where)))
    try:
        with signals_held():
            where = "inside"
            signal.raise_signal(signal.SIGHUP)  # its Python handler runs before raise_signal returns
            signal.raise_signal(signal.SIGHUP)
            where = "after"
        assert handled == [(signal.SIGHUP, "after")]
    finally:
        signal.signal(signal.SIGHUP, previous)


# ----------------------------------------------------------------------------- a full disk


def _disk_full_at(monkeypatch, name: str, with_filename: bool) -> list[Path]:
    """Make every write of a file called ``name`` fail as a full disk does: at open (the error names the
    file) or at write() (it names none). Returns the paths refused."""
    refused: list[Path] = []
    real = Path.write_text

    def write_text(self, *args, **kwargs):
        if self.name == name:
            refused.append(self)
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), *([str(self)] if with_filename else []))
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "write_text", write_text)
    return refused


def _disk_full_at_temporary(monkeypatch) -> list[Path]:
    """Make the run's temporary folder (``.tmp-*``) fail to be made as on a full disk (the error names it)."""
    refused: list[Path] = []
    real = Path.mkdir

    def mkdir(self, *args, **kwargs):
        if self.name.startswith(".tmp-"):
            refused.append(self)
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(self))
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "mkdir", mkdir)
    return refused


def test_a_full_disk_before_the_kernel_leaves_no_temporary_folder_and_says_where(tmp_path, monkeypatch, capsys):
    out = tmp_path / "vn"
    out.mkdir()
    (out / "report.html").write_text(LAST_GOOD)
    ownership.seal(out)  # a report r57 wrote earlier
    refused = _disk_full_at_temporary(monkeypatch)
    assert cli.main(["run", "ecosystem_rankings", "--output-dir", str(out)]) == 1
    err = capsys.readouterr().err.strip()
    [marker] = refused
    assert marker.parent == tmp_path and marker.name.startswith(".tmp-vn-")
    assert err == (
        f"r57: error: cannot write the report: No space left on device ({marker}); free some space on that disk or "
        f"make the folder writable (or give --output-dir elsewhere) and run again. Nothing was published: {out} "
        "is as it was."
    )
    assert [p.name for p in tmp_path.iterdir()] == ["vn"] and (out / "report.html").read_text() == LAST_GOOD


@pytest.mark.notebook
def test_a_full_disk_after_the_notebook_ran_leaves_no_temporary_folder_and_says_where(tmp_path, monkeypatch, capsys):
    out = tmp_path / "vn"
    refused = _disk_full_at(monkeypatch, "report.html", with_filename=False)  # write() names no file
    assert cli.main(["run", "ecosystem_rankings", "--output-dir", str(out)]) == 1
    err = capsys.readouterr().err
    [page] = refused
    assert f"No space left on device ({page.parent}); free some space" in err and "Traceback" not in err
    assert page.parent.name.startswith(".tmp-vn-") and list(tmp_path.iterdir()) == []


@pytest.mark.notebook
def test_a_full_disk_in_run_all_leaves_no_temporary_folder_and_each_failure_names_its_path(
    tmp_path, monkeypatch, capsys
):
    from test_failures import RANK_HCMC, RANK_VN, _redirect

    reports, scen = tmp_path / "reports", tmp_path / "scenarios"
    scen.mkdir()
    (scen / "rank-vn.yaml").write_text(RANK_VN)
    (scen / "rank-hcmc.yaml").write_text(RANK_HCMC)
    _redirect(monkeypatch, reports=reports, scenarios=scen)
    _disk_full_at_temporary(monkeypatch)  # the workers are forked: they inherit it
    assert cli.main(["run-all", "--lang", "en", "--jobs", "1"]) == 1
    out = capsys.readouterr().out
    for name in ("rank-vn", "rank-hcmc"):
        [line] = [ln for ln in out.splitlines() if ln.startswith(f"FAILED  {name} ")]
        assert f"No space left on device ({reports}/.tmp-{name}-" in line and "); free some space" in line
    assert [p.name for p in reports.rglob(".tmp-*")] == []
    index = (reports / "index.html").read_text()
    for name in ("rank-vn", "rank-hcmc"):  # each failed row links its error page
        assert f'href="{name}.failed/error.html"' in index
    for name in ("rank-vn", "rank-hcmc"):
        assert "No space left on device" in (reports / f"{name}.failed" / "error.html").read_text()


def test_any_other_disk_refusal_is_one_line_with_the_path_and_the_remedy(tmp_path, monkeypatch, capsys):
    from analysis.run import kernel

    where = tmp_path / "share" / "jupyter" / "kernels" / "r57" / "kernel.json"

    def full(**kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(where))

    monkeypatch.setattr(kernel, "install_kernelspec", full)
    assert cli.main(["kernel", "install"]) == 1
    assert capsys.readouterr().err == (
        f"r57: error: cannot read or write a file ({where}): No space left on device; free some space, fix the "
        "permissions or give another path, and run again\n"
    )
