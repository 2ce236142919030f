"""The project's kernel: its kernelspec, and the IPC transport that keeps runs quiet."""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
from pathlib import Path

import pytest
from jupyter_client.utils import run_sync

from analysis.errors import R57Error
from analysis.run import kernel


def test_install_writes_a_kernelspec_that_runs_this_interpreter(tmp_path):
    where = kernel.install_kernelspec(prefix=str(tmp_path))
    assert where == tmp_path / "share" / "jupyter" / "kernels" / "r57"
    spec = json.loads((where / "kernel.json").read_text())
    assert spec["argv"] == [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    assert spec["display_name"] == "Python 3 (r57)"


def test_a_kernelspec_of_another_environment_is_refused_with_what_to_do(tmp_path, monkeypatch):
    other = tmp_path / "kernels" / "r57"
    other.mkdir(parents=True)
    (other / "kernel.json").write_text(
        json.dumps(
            {
                "argv": ["/opt/other-env/bin/python", "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                "display_name": "other",
                "language": "python",
            }
        )
    )
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path))  # searched before the environment's own folder
    with pytest.raises(R57Error, match=r"runs /opt/other-env/bin/python.*r57 kernel install --user"):
        kernel.ensure_kernelspec()


def test_the_environment_has_its_kernel():
    """make installs it (r57 kernel install); a run would install it if missing."""
    assert kernel.ensure_kernelspec() == "r57"


@pytest.mark.notebook
@pytest.mark.skipif(not kernel.ipc_supported(), reason="IPC transport needs Unix domain sockets")
def test_kernels_talk_over_ipc_and_print_no_tcp_warning(capfd, runtime_dir, monkeypatch):
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(runtime_dir))
    km = kernel.R57KernelManager(kernel_name="r57")
    run_sync(km.start_kernel)()
    try:
        client = km.client()
        client.start_channels()
        run_sync(client.wait_for_ready)(timeout=60)
        reply = run_sync(client.execute_interactive)("x = 6 * 7", timeout=60)
        assert reply["content"]["status"] == "ok"
        client.stop_channels()
        # the connection file and the sockets in a folder of the kernel's own, named with this pid
        [folder] = runtime_dir.iterdir()
        assert folder.name.startswith(f"r57-kernel-{os.getpid()}-") and folder.stat().st_mode & 0o777 == 0o700
        assert (
            km.transport == "ipc" and km.ip == str(folder / "ipc") and km.connection_file == str(folder / "kernel.json")
        )
        assert sorted(p.name for p in folder.iterdir()) == ["ipc-1", "ipc-2", "ipc-3", "ipc-4", "ipc-5", "kernel.json"]
    finally:
        run_sync(km.shutdown_kernel)(now=True)
    assert list(runtime_dir.iterdir()) == []  # removed with the kernel
    err = capfd.readouterr().err
    assert "without encryption" not in err


@pytest.mark.notebook
def test_a_report_kernel_freezes_what_a_cell_leaves_alive_and_frees_what_it_drops(runtime_dir, monkeypatch):
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(runtime_dir))
    km = kernel.R57KernelManager(kernel_name="r57")
    run_sync(km.start_kernel)()
    try:
        client = km.client()
        client.start_channels()
        run_sync(client.wait_for_ready)(timeout=60)
        # cell 1 imports and keeps a list (frozen after it); cell 2 makes cycles, collects while they live (as a
        # report does while a chart is open) and drops them (the chart closed): they must be freed, not frozen
        cells = [
            "import gc, weakref\nkept = [[] for _ in range(1000)]\nbefore = gc.get_freeze_count()",
            "class Node: pass\nnodes = [Node() for _ in range(1000)]\nfor n in nodes: n.me = n\n"
            "refs = [weakref.ref(n) for n in nodes]\ngc.collect()\ndel nodes, n",
            "frozen_by_cell_1 = gc.get_freeze_count() - before\nalive = sum(r() is not None for r in refs)",
        ]
        replies = [run_sync(client.execute_interactive)(c, timeout=60) for c in cells]
        reply = run_sync(client.execute_interactive)(
            "", user_expressions={"frozen": "frozen_by_cell_1", "alive": "alive"}, timeout=60
        )
        client.stop_channels()
    finally:
        run_sync(km.shutdown_kernel)(now=True)
    assert all(r["content"]["status"] == "ok" for r in [*replies, reply])
    shown = {k: int(v["data"]["text/plain"]) for k, v in reply["content"]["user_expressions"].items()}
    assert shown["frozen"] >= 1000  # cell 1's kept lists, alive when it ended
    assert shown["alive"] == 0  # cell 2's cycles, dropped before it ended


@pytest.mark.notebook
def test_a_kernel_is_ready_once_it_answers_its_first_output_arrives_and_a_dead_one_is_said(runtime_dir, monkeypatch):
    """R57KernelClient.wait_for_ready returns without jupyter_client's 0.2 s flush of IOPub: what the first cell
    prints still reaches the client; a kernel gone before answering raises what nbclient expects."""
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(runtime_dir))
    km = kernel.R57KernelManager(kernel_name="r57")
    run_sync(km.start_kernel)()
    try:
        client = km.client()
        assert isinstance(client, kernel.R57KernelClient)
        client.start_channels()
        run_sync(client.wait_for_ready)(timeout=60)
        printed = []
        reply = run_sync(client.execute_interactive)(
            "print(6 * 7)", output_hook=lambda m: printed.append(m["content"].get("text", "")), timeout=60
        )
        assert reply["content"]["status"] == "ok" and "".join(printed) == "42\n"
        run_sync(km.shutdown_kernel)(now=True)
        assert not run_sync(km.is_alive)()
        with pytest.raises(RuntimeError, match="Kernel died before replying to kernel_info"):
            run_sync(client.wait_for_ready)(timeout=60)
        client.stop_channels()
    finally:
        run_sync(km.shutdown_kernel)(now=True)


def test_a_signal_acted_on_once_the_kernel_folder_is_made_leaves_it_to_reap_kernels(runtime_dir, monkeypatch):
    """The folder was made (mkdtemp) before its manager was registered for clean-up: an interrupt acted on in
    between left it behind. A KeyboardInterrupt raised as the mkdir returns stands for that signal."""
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(runtime_dir))
    mkdir = os.mkdir

    def interrupted(path, *args, **kwargs):
        mkdir(path, *args, **kwargs)
        if Path(path).name.startswith(kernel.KERNEL_DIR_PREFIX):
            raise KeyboardInterrupt

    monkeypatch.setattr(os, "mkdir", interrupted)
    km = kernel.R57KernelManager(kernel_name="r57")
    with pytest.raises(KeyboardInterrupt):
        km._r57_dir()
    assert [p.name.startswith(kernel.KERNEL_DIR_PREFIX) for p in runtime_dir.iterdir()] == [True]
    kernel.reap_kernels()
    assert list(runtime_dir.iterdir()) == []


HOLD_A_KERNEL = """
import sys
from jupyter_client.utils import run_sync
from analysis.run import kernel
km = kernel.R57KernelManager(kernel_name="r57")
run_sync(km.start_kernel)()
client = km.client()
client.start_channels()
run_sync(client.wait_for_ready)(timeout=60)
print(km.connection_file, flush=True)
sys.stdin.read()  # until killed
"""


@pytest.mark.notebook
@pytest.mark.skipif(not kernel.ipc_supported(), reason="IPC transport needs Unix domain sockets")
def test_the_kernel_folder_of_a_process_killed_outright_is_removed_by_the_next_kernel(runtime_dir, monkeypatch):
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(runtime_dir))
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_A_KERNEL],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "JUPYTER_RUNTIME_DIR": str(runtime_dir)},
    )
    try:
        ready, _, _ = select.select([holder.stdout], [], [], 120)  # its kernel started: it says so
        assert ready, "the kernel did not start within 120 s"
        connection_file = Path(holder.stdout.readline().strip())
        folder = connection_file.parent
        assert connection_file.is_file() and (folder / "ipc-1").is_socket()
        live = kernel.R57KernelManager(kernel_name="r57").connection_file  # a live holder's folder is kept
        assert folder.exists() and Path(live).parent.exists()
        holder.kill()  # kill -9: no clean-up code runs; the connection file and sockets stay behind
        holder.wait(timeout=30)
        assert connection_file.is_file()
        # the next kernel's manager removes the dead process's folder, not the live one (this process)
        fresh = kernel.R57KernelManager(kernel_name="r57").connection_file
        assert not folder.exists() and Path(live).parent.exists() and Path(fresh).parent.exists()
        assert kernel.remove_stale(runtime_dir, kernel._KERNEL_DIR) == []
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.wait()
