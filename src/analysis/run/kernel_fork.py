"""Fresh Jupyter kernels without paying for their imports: fork them from a pre-imported template.

Every report runs in its own new kernel process, as before; what changes is how that process
starts. A plain kernel is ``python -m ipykernel_launcher -f <connection file>``: a new
interpreter that then spends 1.5-2 s importing ipykernel, pandas, matplotlib, seaborn,
statsmodels and this package. ``r57 run-all`` starts one *template* process that imports those
modules once, and each kernel is an ``os.fork()`` of it that goes on exactly as the launcher
would (same argv, environment, working directory and ``sys.path``). The template is forked from
``run-all`` before any report runs and then only imports, so a forked kernel starts in the state
of a fresh one that has already run the notebooks' import lines; its random seeds are drawn anew,
and the few caches it may inherit (parsed manifest, file checksums) are keyed by path,
modification time and size, so they hold exactly as they would within one process.

Pieces:

- :class:`KernelTemplate` - the template process and the one pipe to it (a lock lets every
  worker process share it). Requests: launch a kernel, poll one, stop.
- :class:`ForkProvisioner` - a ``jupyter_client`` provisioner that asks the template for the
  kernel instead of starting ``python``; anything it cannot serve (another interpreter or
  kernel, a different matplotlib backend) falls back to the ordinary launch.

The provisioner is registered under jupyter_client's ``jupyter_client.kernel_provisioners`` entry
point as ``r57-fork`` (see ``pyproject.toml``); :func:`serving` makes it the provisioner factory's
default for the duration of a batch, so every kernel manager (papermill's, nbclient's) uses it.

Forking is safe only from a process with one thread. The template checks that before every fork
and refuses (the caller then starts a plain kernel) if any other thread runs in it. BLAS thread
pools are the usual culprit: ``r57 run-all`` keeps BLAS single-threaded (:func:`single_thread_blas`)
before numpy is first imported, which also suits it: it runs several reports in parallel anyway.

Linux only (``fork``); elsewhere, or with ``R57_FORK_KERNELS=0``, reports use plain kernels.
"""

from __future__ import annotations

import ast
import atexit
import contextlib
import gc
import importlib
import json
import multiprocessing
import os
import signal
import subprocess
import sys
import traceback
import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from jupyter_client.provisioning import KernelProvisionerFactory, LocalProvisioner

INLINE_BACKEND = "module://matplotlib_inline.backend_inline"
ENV_SWITCH = "R57_FORK_KERNELS"
PROVISIONER_NAME = "r57-fork"  # the entry point name in pyproject.toml
# thread-pool sizes of the BLAS libraries numpy and scipy may load (OpenBLAS, MKL, BLIS, OpenMP)
BLAS_THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "OMP_NUM_THREADS", "BLIS_NUM_THREADS")
# imported in the template besides the notebooks' own imports: the kernel itself
KERNEL_MODULES = ("ipykernel.kernelapp", "ipykernel.ipkernel", "ipykernel.zmqshell", "IPython.display")
# the first request may wait for the preload (minutes on a cold machine that builds matplotlib's
# font cache); after a timeout the caller starts a plain kernel and the late reply is discarded
_REQUEST_TIMEOUT_S = 180.0

_template: KernelTemplate | None = None  # the template serving this process tree, if any


class TemplateUnavailable(RuntimeError):
    """The template cannot serve this launch; the caller starts a plain kernel instead."""


def supported() -> bool:
    """Fork kernels only on Linux, and only if not switched off with R57_FORK_KERNELS=0."""
    return sys.platform.startswith("linux") and os.environ.get(ENV_SWITCH, "1") != "0"


def single_thread_blas() -> None:
    """Keep BLAS libraries single-threaded in this process and the kernels it starts.

    Must run before numpy is first imported: a BLAS thread pool, once started, would be running
    in every process that later forks. Values the user set are kept.
    """
    for name in BLAS_THREAD_VARIABLES:
        os.environ.setdefault(name, "1")


def thread_count() -> int:
    """Threads running in this process (Linux: the entries of /proc/self/task)."""
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:  # not Linux: ask the threading module, which sees only Python's threads
        import threading

        return threading.active_count()


def notebook_imports(notebooks: Iterable[Path]) -> list[str]:
    """What the notebooks' code cells import: ``a.b`` for ``import a.b`` and ``from a.b import c``,
    plus ``a.b:c`` for the latter (``c`` may be a submodule, which only importing can tell)."""
    names: dict[str, None] = {}
    for path in notebooks:
        cells = json.loads(Path(path).read_text(encoding="utf-8"))["cells"]
        for cell in cells:
            if cell.get("cell_type") != "code":
                continue
            source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            try:
                tree = ast.parse(source)
            except SyntaxError:  # e.g. a cell with IPython magics: its imports are not preloaded
                continue
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    names.update((a.name, None) for a in node.names)
                elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                    names[node.module] = None
                    names.update((f"{node.module}:{a.name}", None) for a in node.names if a.name != "*")
    return list(names)


# ----------------------------------------------------------------------------- the template process


def _kernel_sys_path() -> list[str]:
    """``sys.path`` of a fresh ``python`` here, minus its first entry (the script's folder or the
    current directory), which is what ipykernel_launcher leaves before the kernel starts."""
    out = subprocess.run(
        [sys.executable, "-c", "import sys, json; print(json.dumps(sys.path[1:]))"],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)


def _preload(modules: Iterable[str]) -> dict[str, str]:
    """Import ``modules``; return those that failed with the reason (a kernel would import them
    itself, and fail there in the ordinary way)."""
    os.environ.setdefault("MPLBACKEND", INLINE_BACKEND)  # what ipykernel sets before user code runs
    mpl = sys.modules.get("matplotlib")
    if mpl is not None and "matplotlib.pyplot" not in sys.modules:
        # imported by the parent before MPLBACKEND was set: give it what importing it now would read
        mpl.rcParams["backend"] = os.environ["MPLBACKEND"]
    failed = {}
    for name in (*KERNEL_MODULES, *modules):
        # importing the inline backend here would skip its IPython hook-up, which must happen in
        # the kernel (it runs when the backend is first imported with a shell present)
        if name.startswith("matplotlib_inline"):
            continue
        module, _, attr = name.partition(":")
        try:
            imported = importlib.import_module(module)
            if attr and not hasattr(imported, attr):  # ``from a import b`` where b is a submodule
                importlib.import_module(f"{module}.{attr}")
        except Exception as exc:  # noqa: BLE001 - anything a module raises on import
            failed[name] = f"{type(exc).__name__}: {exc}"
    fonts = sys.modules.get("analysis.reports.fonts")
    if fonts is not None:  # the charts' font faces, cut once here instead of in every kernel
        with contextlib.suppress(Exception):  # a kernel would cut them itself, and fail there if it must
            fonts.warm()
    return failed


def _effective_backend() -> str:
    """The matplotlib backend a forked kernel would get: MPLBACKEND's, unless pyplot was imported
    before the template started (by the process that forked it), which fixed the backend already."""
    if "matplotlib.pyplot" in sys.modules:
        return sys.modules["matplotlib"].get_backend()
    return os.environ.get("MPLBACKEND", INLINE_BACKEND)


def _kernel_child(argv: list[str], env: dict[str, str], cwd: str, kernel_path: list[str]) -> None:
    """Body of a forked kernel: become what ``python -m ipykernel_launcher <argv>`` would be."""
    code = 1
    try:
        os.setsid()  # own process group, like jupyter_client's launch, so interrupts reach only it
        # signal dispositions of a new interpreter (the template ignores SIGINT)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.signal(signal.SIGPIPE, signal.SIG_IGN)
        atexit._clear()  # the template's exit handlers are not the kernel's
        devnull = os.open(os.devnull, os.O_RDONLY)  # a launched kernel does not read our stdin either
        os.dup2(devnull, 0)
        os.close(devnull)
        os.chdir(cwd)
        os.environ.clear()
        # ipykernel exits when this pid stops being its parent: that is the template, not the worker
        os.environ.update(env, JPY_PARENT_PID=str(os.getppid()))
        sys.path[:] = kernel_path
        import ipykernel_launcher

        sys.argv = [ipykernel_launcher.__file__, *argv]
        if "numpy" in sys.modules:  # a fresh kernel seeds numpy's global generator from the OS
            sys.modules["numpy"].random.seed()
        from ipykernel import kernelapp

        # the trait's default was read from the environment when the template imported ipykernel
        kernelapp.IPKernelApp.launch_instance(parent_handle=os.getppid())
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BaseException:  # noqa: BLE001 - report anything, then leave without the template's cleanup
        traceback.print_exc()
    finally:
        with contextlib.suppress(BaseException):
            atexit._run_exitfuncs()
            sys.stdout.flush()
            sys.stderr.flush()
        os._exit(code)


class _Server:
    """The template's side of the pipe: the forked kernels it owns and one method per request."""

    def __init__(self, conn: Any, kernel_path: list[str], failed: dict[str, str], backend: str) -> None:
        self.conn = conn
        self.kernel_path = kernel_path
        self.failed = failed
        self.backend = backend
        self.children: dict[int, int | None] = {}  # pid -> exit code once reaped

    def reap(self) -> None:
        for pid, code in self.children.items():
            if code is None:
                with contextlib.suppress(ChildProcessError):
                    done, status = os.waitpid(pid, os.WNOHANG)
                    if done:
                        self.children[pid] = os.waitstatus_to_exitcode(status)

    def info(self) -> dict[str, Any]:
        return {
            "preload_failed": self.failed,
            "backend": self.backend,
            "pid": os.getpid(),
            "kernels_forked": len(self.children),
            "threads": thread_count(),
        }

    def poll(self, pid: int) -> int | None:
        self.reap()
        return self.children.get(pid, -1)

    def launch(self, argv: list[str], env: dict[str, str], cwd: str) -> int | Exception:
        wanted = env.get("MPLBACKEND", INLINE_BACKEND)  # what ipykernel sets when the launcher did not
        if wanted != self.backend:
            return TemplateUnavailable(f"matplotlib backend {wanted!r} differs from the template's ({self.backend!r})")
        threads = thread_count()
        if threads > 1:  # a fork would copy one thread and the others' locks, held or not
            return TemplateUnavailable(f"{threads} threads run in the template; forking it is unsafe")
        pid = os.fork()
        if pid == 0:
            self.conn.close()
            _kernel_child(argv, {**env, "MPLBACKEND": self.backend}, cwd, self.kernel_path)
        self.children[pid] = None
        return pid

    def answer(self, op: str, args: list[Any]) -> Any:
        handler = {"info": self.info, "poll": self.poll, "launch": self.launch}.get(op)
        return handler(*args) if handler else ValueError(f"unknown request {op!r}")

    def kill_remaining(self) -> None:
        """Kill the kernels still running when the batch ends."""
        for pid, code in self.children.items():
            if code is None:
                # the group (the kernel and anything it started), and the kernel itself: a kernel forked
                # a moment ago may not have called setsid() yet, so it has no group of its own to kill
                with contextlib.suppress(OSError):
                    os.killpg(pid, signal.SIGKILL)
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGKILL)
                with contextlib.suppress(ChildProcessError):
                    os.waitpid(pid, 0)


def _serve(conn: Any, modules: list[str]) -> None:
    """The template's loop: preload, then answer requests until told to stop or the pipe closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle; it stops us
    kernel_path = _kernel_sys_path()
    backend = _effective_backend()  # before the preload imports pyplot itself
    failed = _preload(modules)
    gc.collect()
    gc.freeze()  # the kernels share the imported modules' pages instead of copying them on first GC
    server = _Server(conn, kernel_path, failed, backend)
    try:
        while True:
            if not conn.poll(0.5):
                server.reap()
                continue
            try:
                request_id, op, *args = conn.recv()
            except (EOFError, OSError):
                break
            if op == "stop":
                break
            reply = server.answer(op, args)
            try:
                conn.send((request_id, reply))
            except OSError:  # the batch went away (interrupted) while we were serving it: stop
                break
    finally:
        server.kill_remaining()


class KernelTemplate:
    """A template process that imports ``modules`` once and forks a kernel per request.

    Start it before forking the worker processes that will use it: they inherit the pipe and
    the lock that serialises requests on it.
    """

    def __init__(self, modules: Iterable[str]) -> None:
        ctx = multiprocessing.get_context("fork")
        self._lock = ctx.Lock()
        self._conn, theirs = multiprocessing.Pipe(duplex=True)
        pid = os.fork()
        if pid == 0:  # the template
            code = 0
            try:
                self._conn.close()
                _serve(theirs, list(modules))
            except BaseException:  # noqa: BLE001
                traceback.print_exc()
                code = 1
            finally:
                os._exit(code)
        theirs.close()
        self.pid = pid
        self.owner = os.getpid()

    def request(self, *message: Any) -> Any:
        if not self._lock.acquire(timeout=_REQUEST_TIMEOUT_S):
            raise TemplateUnavailable("the kernel template is busy (lock not released)")
        request_id = uuid.uuid4().hex
        try:
            self._conn.send((request_id, *message))
            while True:  # skip late replies to requests that timed out
                if not self._conn.poll(_REQUEST_TIMEOUT_S):
                    raise TemplateUnavailable("the kernel template did not answer in time")
                reply_id, reply = self._conn.recv()
                if reply_id == request_id:
                    break
        except (EOFError, OSError) as exc:
            raise TemplateUnavailable(f"the kernel template is gone ({exc})") from None
        finally:
            self._lock.release()
        if isinstance(reply, Exception):
            raise reply
        return reply

    def info(self) -> dict[str, Any]:
        """What the template preloaded (and what failed), its matplotlib backend and pid, and how
        many kernels it has forked."""
        return self.request("info")

    def stop(self) -> None:
        """Stop the template (it kills any kernel it forked that is still running)."""
        if os.getpid() != self.owner:
            return
        with contextlib.suppress(Exception):
            self._conn.send((None, "stop"))
        self._conn.close()
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)


@contextlib.contextmanager
def serving(modules: Iterable[str]) -> Iterator[KernelTemplate | None]:
    """Run a kernel template for the duration of the block (None where forking is not supported).

    Worker processes forked inside the block launch their kernels from it (see ForkProvisioner).
    """
    global _template
    template = KernelTemplate(modules) if supported() else None
    previous, _template = _template, template
    factory = KernelProvisionerFactory.instance()
    previous_provisioner = factory.default_provisioner_name
    if template is not None:  # kernel managers without a provisioner in their kernelspec use ours
        factory.default_provisioner_name = PROVISIONER_NAME
    try:
        yield template
    finally:
        _template = previous
        factory.default_provisioner_name = previous_provisioner
        if template is not None:
            template.stop()


def active() -> KernelTemplate | None:
    return _template


# ----------------------------------------------------------------------------- jupyter_client side


class _ForkedKernel:
    """The parts of ``subprocess.Popen`` that LocalProvisioner uses, for a kernel the template forked
    (it is the template's child, not ours: its exit code comes from the template)."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int, template: KernelTemplate) -> None:
        self.pid = pid
        self._template = template
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            try:
                self.returncode = self._template.request("poll", self.pid)
            except TemplateUnavailable:  # the template is gone: then so is its child
                self.returncode = -signal.SIGKILL
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        import time

        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(f"kernel {self.pid}", timeout)
            time.sleep(0.02)
        return self.returncode  # type: ignore[return-value]

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signum)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


def _is_ipykernel_launch(cmd: list[str]) -> bool:
    return (
        len(cmd) >= 3
        and os.path.realpath(cmd[0]) == os.path.realpath(sys.executable)
        and cmd[1:3] == ["-m", "ipykernel_launcher"]
    )


class ForkProvisioner(LocalProvisioner):
    """LocalProvisioner that gets the kernel process from the active :class:`KernelTemplate`.

    Registered as ``r57-fork`` under the ``jupyter_client.kernel_provisioners`` entry point. With no
    active template, or for a command that is not this interpreter's ipykernel, it launches the
    kernel exactly as LocalProvisioner does.
    """

    forked = False

    async def launch_kernel(self, cmd: list[str], **kwargs: Any):
        template = active()
        if template is None or not _is_ipykernel_launch(cmd):
            return await super().launch_kernel(cmd, **kwargs)
        env = dict(kwargs.get("env") or os.environ)
        cwd = str(kwargs.get("cwd") or os.getcwd())
        try:
            pid = template.request("launch", list(cmd[3:]), env, cwd)
        except TemplateUnavailable as exc:
            self.log.info("r57: plain kernel start (%s)", exc)
            return await super().launch_kernel(cmd, **kwargs)
        self.process = _ForkedKernel(pid, template)
        self.pid = self.pgid = pid
        self.cwd = cwd
        self.forked = True
        return self.connection_info
