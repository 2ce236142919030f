"""Kernels forked from a pre-imported template behave like freshly launched ones."""

from __future__ import annotations

import contextlib
import importlib.metadata
import json
import os
import subprocess
import sys
import time

import nbformat
import pytest
from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning import KernelProvisionerFactory
from jupyter_client.utils import run_sync
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError

from analysis import paths
from analysis.run import kernel_fork
from analysis.run.kernel import R57KernelManager
from analysis.run.runner import run_report

pytestmark = [
    pytest.mark.notebook,
    pytest.mark.skipif(not kernel_fork.supported(), reason="kernels are forked on Linux only"),
]

PROBE = """\
import json, os, sys
preloaded = "pandas" in sys.modules
import matplotlib
import numpy as np
print(json.dumps({"sys_path": sys.path, "cwd": os.getcwd(), "pid": os.getpid(), "ppid": os.getppid(),
                  "pgid": os.getpgid(0), "preloaded": preloaded, "backend": matplotlib.get_backend(),
                  "random": float(np.random.random()), "session": os.environ.get("JPY_SESSION_NAME"),
                  "argv": sys.argv[1:2]}))
"""


def probe(manager_class, cwd) -> dict:
    """Run PROBE in a new kernel made by ``manager_class``; return what it printed."""
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(PROBE)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    NotebookClient(
        nb, kernel_manager_class=manager_class, resources={"metadata": {"path": str(cwd)}}, timeout=120
    ).execute()
    return json.loads(nb.cells[0].outputs[0]["text"])


def gone(pid: int, within_s: float = 10.0) -> bool:
    """Whether process ``pid`` has exited (and been reaped) within ``within_s``."""
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


@pytest.fixture(scope="module")
def template():
    """A template preloading what the real notebooks import, as ``r57 run-all`` starts it."""
    with kernel_fork.serving(kernel_fork.notebook_imports(sorted(paths.NOTEBOOKS_DIR.glob("*.ipynb")))) as t:
        yield t


def test_notebook_imports_are_read_from_code_cells_only(tmp_path):
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell("import numpy as np\nimport os.path"),
            nbformat.v4.new_markdown_cell("import not_this"),
            nbformat.v4.new_code_cell(
                "from analysis.reports.render import Report, md\nfrom . import relative\nfrom x import *"
            ),
            nbformat.v4.new_code_cell("%matplotlib inline\nimport skipped_because_of_the_magic"),
            nbformat.v4.new_code_cell("def f():\n    import scipy.stats\n    return 1"),
        ]
    )
    nbformat.write(nb, tmp_path / "a.ipynb")
    assert kernel_fork.notebook_imports([tmp_path / "a.ipynb"]) == [
        "numpy",
        "os.path",
        "analysis.reports.render",
        "analysis.reports.render:Report",
        "analysis.reports.render:md",
        "x",
        "scipy.stats",
    ]


def test_the_template_preloads_and_reports_failures():
    with kernel_fork.serving(["numpy", "analysis.models:rankings", "no_such_module_r57"]) as t:
        info = t.info()
    assert set(info["preload_failed"]) == {"no_such_module_r57"}
    assert info["backend"] == kernel_fork.INLINE_BACKEND


def test_the_provisioner_is_registered_under_jupyter_clients_entry_point():
    factory = KernelProvisionerFactory.instance()
    assert kernel_fork.PROVISIONER_NAME in factory.get_provisioner_entries()
    [ep] = importlib.metadata.entry_points(
        group="jupyter_client.kernel_provisioners", name=kernel_fork.PROVISIONER_NAME
    )
    assert ep.load() is kernel_fork.ForkProvisioner


def test_serving_makes_the_fork_provisioner_the_default_only_while_it_runs():
    factory = KernelProvisionerFactory.instance()
    before = factory.default_provisioner_name
    with kernel_fork.serving(["numpy"]):
        assert factory.default_provisioner_name == kernel_fork.PROVISIONER_NAME
    assert factory.default_provisioner_name == before == "local-provisioner"


def test_a_template_whose_parent_fixed_another_backend_launches_plain_kernels():
    """pyplot imported before the template (here: agg) would give forked kernels the wrong backend."""
    code = (
        "import matplotlib\n"
        "matplotlib.use('agg')  # this process fixes its backend before the template starts\n"
        "import matplotlib.pyplot, nbformat\n"
        "from nbclient import NotebookClient\n"
        "from analysis.run import kernel_fork\n"
        "from analysis.run.kernel import R57KernelManager\n"
        "nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell('import matplotlib; print(matplotlib.get_backend())')])\n"
        "nb.metadata['kernelspec'] = {'name': 'python3', 'display_name': 'Python 3', 'language': 'python'}\n"
        "with kernel_fork.serving(['numpy']) as t:\n"
        "    assert t.info()['backend'] == 'agg', t.info()\n"
        "    NotebookClient(nb, kernel_manager_class=R57KernelManager, timeout=120).execute()\n"
        "    print(t.info()['kernels_forked'], nb.cells[0].outputs[0]['text'].strip())\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, env=env)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["0", "module://matplotlib_inline.backend_inline"]  # a plain, inline kernel


def test_the_template_forks_with_no_other_thread_running(template):
    """Forking copies one thread and every lock the others held: only a one-thread process may fork."""
    assert template.info()["threads"] == 1


def test_a_template_with_another_thread_running_refuses_to_fork(tmp_path, monkeypatch):
    """The launch falls back to a plain kernel instead of forking a process with two threads."""
    (tmp_path / "r57_starts_a_thread.py").write_text(
        "import threading, time\nthreading.Thread(target=time.sleep, args=(600,), daemon=True).start()\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    with kernel_fork.serving(["r57_starts_a_thread"]) as t:
        assert t.info()["threads"] == 2
        km = R57KernelManager(kernel_name="python3")
        run_sync(km.start_kernel)()
        try:
            assert km.provisioner is not None and not km.provisioner.forked
            assert run_sync(km.is_alive)()
        finally:
            run_sync(km.shutdown_kernel)(now=True)
        assert t.info()["kernels_forked"] == 0


def test_a_forked_kernel_starts_like_a_launched_one(template, tmp_path, monkeypatch):
    with monkeypatch.context() as m:  # a plain launch, as outside run-all
        m.setattr(KernelProvisionerFactory.instance(), "default_provisioner_name", "local-provisioner")
        plain = probe(AsyncKernelManager, tmp_path)
    forked = probe(R57KernelManager, tmp_path)
    forked_again = probe(R57KernelManager, tmp_path)
    for key in ("sys_path", "cwd", "backend", "session", "argv"):
        assert forked[key] == plain[key], key
    assert not plain["preloaded"] and forked["preloaded"]  # the point of it
    assert forked["ppid"] == template.pid and forked["pgid"] == forked["pid"]  # own process group
    assert forked["random"] != forked_again["random"]  # numpy's global generator is reseeded


def test_a_forked_report_equals_a_plain_one(template, tmp_path, monkeypatch):
    params = {"entity": "VNM"}
    forked = run_report("ecosystem_rankings", params, tmp_path / "forked")
    monkeypatch.setenv(kernel_fork.ENV_SWITCH, "0")
    with kernel_fork.serving([]):
        plain = run_report("ecosystem_rankings", params, tmp_path / "plain")
    for r in (plain, forked):
        r.results["provenance"].pop("run_at_utc")
    assert forked.results == plain.results

    def outputs(run):
        nb = nbformat.read(run.run_dir / "notebook.ipynb", as_version=4)
        return [
            json.dumps(o.get("data", o.get("text")), sort_keys=True)
            for c in nb.cells
            for o in c.get("outputs", [])
            if "run_at_utc" not in str(o) and "(UTC)" not in str(o)
        ]

    assert outputs(forked) == outputs(plain)  # every table, chart (SVG) and sentence
    assert len(outputs(plain)) > 10


def test_a_cell_timeout_interrupts_and_the_kernel_is_stopped(template):
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell("import os; print(os.getpid())"),
            nbformat.v4.new_code_cell("import time; time.sleep(600)"),
        ]
    )
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    client = NotebookClient(nb, kernel_manager_class=R57KernelManager, timeout=3, shutdown_kernel="immediate")
    with pytest.raises(CellTimeoutError):
        client.execute()
    pid = int(nb.cells[0].outputs[0]["text"])
    assert gone(pid)


def test_stopping_the_template_stops_kernels_left_running():
    with kernel_fork.serving(["numpy"]) as t:
        km = R57KernelManager(kernel_name="python3")
        run_sync(km.start_kernel)()
        pid = km.provisioner.pid
        assert km.provisioner.forked and run_sync(km.is_alive)()
        assert t.request("poll", pid) is None
    assert gone(pid)
    assert run_sync(km.is_alive)() is False  # the manager sees it gone (its template answers no more)
    run_sync(km.cleanup_resources)()


@contextlib.contextmanager
def forked_kernel():
    """A kernel from the active template, with a ready client; shut down afterwards."""
    km = R57KernelManager(kernel_name="python3")
    run_sync(km.start_kernel)()
    kc = km.blocking_client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=60)
        yield km, kc
    finally:
        kc.stop_channels()
        run_sync(km.shutdown_kernel)(now=True)


def test_exit_code_of_a_forked_kernel_comes_from_the_template(template):
    with forked_kernel() as (km, kc):
        kc.execute("import os; os._exit(3)")
        assert km.provisioner.process.wait(timeout=30) == 3


def test_plain_kernels_when_the_template_cannot_serve(template, tmp_path, monkeypatch):
    monkeypatch.setenv("MPLBACKEND", "agg")  # the template was set up for the inline backend
    out = probe(R57KernelManager, tmp_path)
    assert not out["preloaded"] and out["backend"] == "agg"


def test_forking_can_be_switched_off(template, monkeypatch):
    monkeypatch.setenv(kernel_fork.ENV_SWITCH, "0")
    with kernel_fork.serving(["numpy"]) as t:  # even inside another template's block
        assert t is None and kernel_fork.active() is None
    assert kernel_fork.active() is template


def test_interrupt_reaches_a_forked_kernel(template):
    with forked_kernel() as (km, kc):
        msg_id = kc.execute(
            "import time\ntry:\n    time.sleep(600)\nexcept KeyboardInterrupt:\n    print('interrupted')"
        )
        time.sleep(1.0)
        run_sync(km.interrupt_kernel)()
        reply = kc.get_shell_msg(timeout=30)  # within 30 s only if the sleep was interrupted
        assert reply["parent_header"]["msg_id"] == msg_id and reply["content"]["status"] == "ok"


def test_a_late_reply_is_not_taken_for_the_next_answer(tmp_path, monkeypatch):
    (tmp_path / "r57_slow_import.py").write_text("import time\ntime.sleep(2)\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(kernel_fork, "_REQUEST_TIMEOUT_S", 0.3)
    with kernel_fork.serving(["r57_slow_import"]) as t:
        with pytest.raises(kernel_fork.TemplateUnavailable, match="did not answer"):
            t.request("poll", 12345)  # still importing: the caller gives up (and would launch a plain kernel)
        monkeypatch.setattr(kernel_fork, "_REQUEST_TIMEOUT_S", 30.0)
        info = t.info()  # the late answer to the poll (-1) arrives first and is skipped
    assert isinstance(info, dict) and info["preload_failed"] == {}
