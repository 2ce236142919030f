"""Nothing left behind: `r57 run` stopped by a hang-up or `kill` removes its temporary folder and its
kernel (process, connection file, IPC sockets); a full disk during run-all leaves no temporary folder
and its message names the path and what to do."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from analysis.run import runner

LAST_GOOD = "<html><body>last good report</body></html>"


def processes_mentioning(text: str) -> list[int]:
    """Live processes whose command line contains ``text`` (a kernel's names its connection file)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if text.encode() in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


@pytest.mark.notebook
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("signum", [signal.SIGHUP, signal.SIGTERM])
def test_a_hung_up_or_terminated_run_removes_its_kernel_and_temporary_folder(tmp_path, signum):
    out, runtime = tmp_path / "vn", tmp_path / "runtime"
    out.mkdir()
    (out / runner.MARKER).write_text("r57\n")
    (out / "report.html").write_text(LAST_GOOD)
    proc = subprocess.Popen(
        [sys.executable, "-m", "analysis", "run", "ecosystem_rankings", "--output-dir", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "JUPYTER_RUNTIME_DIR": str(runtime)},
    )
    try:
        deadline = time.monotonic() + 120  # the kernel has written its connection file: it is starting
        while not (files := list(runtime.glob("r57-kernel-*/kernel.json"))):
            assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
            time.sleep(0.05)
        [connection_file] = files
        proc.send_signal(signum)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    name = signal.Signals(signum).name
    assert proc.returncode == 128 + signum, err
    assert f"interrupted by {name}; nothing was written" in err and "Traceback" not in err
    assert [p.name for p in tmp_path.iterdir() if p.name != "runtime"] == ["vn"]  # no .tmp-* folder
    assert (out / "report.html").read_text() == LAST_GOOD
    assert list(runtime.iterdir()) == [], (err, sorted(str(p) for p in runtime.rglob("*")))  # no file, no socket
    assert processes_mentioning(str(connection_file)) == []  # no kernel
