"""The project's kernel: its kernelspec, and the IPC transport that keeps runs quiet."""

from __future__ import annotations

import json
import sys

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
def test_kernels_talk_over_ipc_and_print_no_tcp_warning(capfd):
    km = kernel.R57KernelManager(kernel_name="r57")
    run_sync(km.start_kernel)()
    try:
        client = km.client()
        client.start_channels()
        run_sync(client.wait_for_ready)(timeout=60)
        reply = run_sync(client.execute_interactive)("x = 6 * 7", timeout=60)
        assert reply["content"]["status"] == "ok"
        client.stop_channels()
        assert km.transport == "ipc" and km.ip.endswith("-ipc") and km.ip.startswith("/")
    finally:
        run_sync(km.shutdown_kernel)(now=True)
    err = capfd.readouterr().err
    assert "without encryption" not in err
