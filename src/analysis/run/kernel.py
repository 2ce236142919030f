"""The project's Jupyter kernel: its kernelspec, and the kernel manager every report run uses.

- The kernelspec ``r57`` runs this environment's interpreter, so a notebook opened from any Jupyter finds
  ``analysis``; a run installs it into the environment if it is missing.
- :class:`R57KernelManager` talks to its kernel over IPC (Unix domain sockets in a folder of its own),
  nothing over TCP, where the platform has them.
- :func:`single_thread_blas`: run-all runs reports in parallel; a BLAS thread pool per kernel only competes.
- Its kernels load :mod:`analysis.run.kernel_gc`, which keeps full garbage collections short.
- Neither waits idle where jupyter_client would: a started kernel is ready once it has answered on its shell
  and IOPub channels, and a killed one is gone within milliseconds (about 0.3 s of each execution).
"""

from __future__ import annotations

import ast
import contextlib
import json
import os
import re
import secrets
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from queue import Empty
from typing import Any

from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel
from jupyter_client.localinterfaces import localhost
from jupyter_client.manager import AsyncKernelManager
from jupyter_core.paths import jupyter_runtime_dir
from traitlets import default

from analysis.errors import R57Error

KERNEL_NAME = "r57"
DISPLAY_NAME = "Python 3 (r57)"
BLAS_THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "OMP_NUM_THREADS", "BLIS_NUM_THREADS")


def single_thread_blas() -> None:
    """Keep BLAS single-threaded here and in the kernels started from here, before numpy is imported;
    values the user set are kept."""
    for name in BLAS_THREAD_VARIABLES:
        os.environ.setdefault(name, "1")


def notebook_imports(notebooks: Iterable[Path]) -> list[str]:
    """What the notebooks' code cells import: ``a.b`` for ``import a.b`` and ``from a.b import c``, plus
    ``a.b:c`` for the latter (``c`` may be a submodule)."""
    names: dict[str, None] = {}
    for path in notebooks:
        cells = json.loads(Path(path).read_text(encoding="utf-8"))["cells"]
        for cell in cells:
            if cell.get("cell_type") != "code":
                continue
            source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            try:
                tree = ast.parse(source)
            except SyntaxError:  # e.g. a cell with IPython magics
                continue
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    names.update((a.name, None) for a in node.names)
                elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                    names[node.module] = None
                    names.update((f"{node.module}:{a.name}", None) for a in node.names if a.name != "*")
    return list(names)


def kernelspec() -> dict:
    """The kernelspec of this environment's interpreter (``kernel.json`` content)."""
    return {
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": DISPLAY_NAME,
        "language": "python",
        "metadata": {"debugger": True},
    }


def install_kernelspec(*, user: bool = False, prefix: str | None = None) -> Path:
    """Install the ``r57`` kernelspec; return the folder it was written to.

    Parameters
    ----------
    user : bool
        Install for the current user (``~/.local/share/jupyter/kernels``) instead of the environment.
    prefix : str, optional
        Environment prefix to install into; defaults to this interpreter's ``sys.prefix``.
    """
    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp, "kernel.json").write_text(json.dumps(kernelspec(), indent=1), encoding="utf-8")
        where = KernelSpecManager().install_kernel_spec(
            tmp, KERNEL_NAME, user=user, prefix=None if user else (prefix or sys.prefix)
        )
    return Path(where)


def ensure_kernelspec() -> str:
    """The kernel name for papermill, the ``r57`` kernelspec installed into the environment if missing.
    Raises :class:`R57Error` if another ``r57`` kernelspec (another checkout's) shadows this environment's."""
    try:
        spec = KernelSpecManager().get_kernel_spec(KERNEL_NAME)
    except NoSuchKernel:
        spec = None
    if spec is None:
        install_kernelspec(user=not os.access(sys.prefix, os.W_OK))
        return KERNEL_NAME
    if _bin_dir(spec.argv[0]) != _bin_dir(sys.executable):
        raise R57Error(
            f"the Jupyter kernel {KERNEL_NAME!r} in {spec.resource_dir} runs {spec.argv[0]}, not this "
            f"environment's {sys.executable}; remove it (jupyter kernelspec remove {KERNEL_NAME}) or "
            f"reinstall it from here with `r57 kernel install --user`"
        )
    return KERNEL_NAME


def _bin_dir(executable: str) -> str:
    """The folder of an interpreter, symlinks not followed: a venv's python links to the base one."""
    return os.path.normcase(os.path.dirname(os.path.abspath(executable)))


def ipc_supported() -> bool:
    """Whether kernels can use IPC transport (Unix domain sockets) here."""
    return os.name == "posix"


def pid_alive(pid: int) -> bool:
    """True while process ``pid`` runs (a zombie counts as gone)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    return state not in ("Z", "X")


KERNEL_DIR_PREFIX = "r57-kernel-"  # + the pid of the r57 process that started the kernel + a random part
_KERNEL_DIR = re.compile(r"^r57-kernel-(\d+)-[A-Za-z0-9_]{8}$")


def remove_stale(folder: Path, pattern: re.Pattern[str], prefixes: str | tuple[str, ...] = "") -> list[str]:
    """Remove the entries of ``folder`` that ``pattern`` matches (its group 1: the pid of the r57 process that made
    them) and whose names start with one of ``prefixes``, links aside, when that process is gone (killed outright);
    return their names. Jupyter's runtime folder holds the kernel folders, a reports folder the temporary ones."""
    removed = []
    with contextlib.suppress(OSError):
        for entry in folder.iterdir():
            m = pattern.match(entry.name)
            if m and entry.name.startswith(prefixes) and not entry.is_symlink() and not pid_alive(int(m.group(1))):
                shutil.rmtree(entry, ignore_errors=True)
                removed.append(entry.name)
    return removed


SIGNALS = tuple(getattr(signal, n) for n in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, n))


@contextlib.contextmanager
def signals_held() -> Iterator[None]:
    """Hold SIGINT, SIGTERM and SIGHUP where this (main) thread has a Python handler for them: the first that
    arrives is given to that handler when the block ends, not inside it. A signal handled inside Popen, after
    the fork and before the exec, lost the kernel's pid: unseen, the kernel then started and made its folder
    again."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    held: list[tuple[int, Any]] = []
    previous = {}
    for sig in SIGNALS:
        if callable(signal.getsignal(sig)):
            previous[sig] = signal.signal(sig, lambda signum, frame: held.append((signum, frame)))
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if held:
            signum, frame = held[0]
            previous[signum](signum, frame)


# managers whose folder exists (held: an interrupted run may drop its other references before reap_kernels)
_LIVE: set[R57KernelManager] = set()


def reap_kernels() -> None:
    """Kill every kernel this process started that is still there (SIGKILL to its own session's group) and
    remove its folder: for an interrupted run, whose signal may unwind past jupyter_client's clean-up. A kernel
    being started has its pid recorded before a signal is acted on (:func:`signals_held`)."""
    for km in list(_LIVE):
        provisioner = km.provisioner
        pgid, pid = getattr(provisioner, "pgid", None), getattr(provisioner, "pid", None)
        with contextlib.suppress(OSError):
            if pgid and pgid != os.getpgrp():  # never this process's own group
                os.killpg(pgid, signal.SIGKILL)
            elif pid:
                os.kill(pid, signal.SIGKILL)
        process = getattr(provisioner, "process", None)
        if process is not None:
            with contextlib.suppress(Exception):
                process.wait(timeout=5)  # reaped, not left a zombie
        km._r57_remove_folder()


class R57KernelClient(AsyncKernelClient):
    """jupyter_client's client without the 0.2 s its ``wait_for_ready`` then waits for IOPub to fall quiet:
    nbclient matches every message to its request, so an early one needs no flushing."""

    async def wait_for_ready(self, timeout: float | None = None) -> None:
        deadline = time.monotonic() + (float("inf") if timeout is None else timeout)
        while True:
            self.kernel_info()
            with contextlib.suppress(Empty):
                reply = await self.shell_channel.get_msg(timeout=1)
                if reply["msg_type"] == "kernel_info_reply":
                    await self.iopub_channel.get_msg(timeout=0.2)  # IOPub is connected: a message came through
                    self._handle_kernel_info_reply(reply)
                    return
            if not await self._async_is_alive():
                raise RuntimeError("Kernel died before replying to kernel_info")
            if time.monotonic() > deadline:
                raise RuntimeError(f"Kernel didn't respond in {timeout:.0f} seconds")


class R57KernelManager(AsyncKernelManager):
    """The kernel manager for report runs: IPC transport where the platform has it, the connection file and
    sockets in a folder of its own (``r57-kernel-<pid>-<random>``, 0700, removed with the kernel)."""

    _r57_folder: Path | None = None

    def _r57_dir(self) -> Path:
        if self._r57_folder is None:
            runtime = Path(jupyter_runtime_dir())
            runtime.mkdir(parents=True, exist_ok=True, mode=0o700)
            remove_stale(runtime, _KERNEL_DIR)
            # named and registered before it is made: a signal acted on once it exists finds it for reap_kernels
            self._r57_folder = runtime / f"{KERNEL_DIR_PREFIX}{os.getpid()}-{secrets.token_hex(4)}"
            _LIVE.add(self)
            self._r57_folder.mkdir(mode=0o700)
        return self._r57_folder

    def _r57_remove_folder(self) -> None:
        _LIVE.discard(self)
        if self._r57_folder is not None:
            shutil.rmtree(self._r57_folder, ignore_errors=True)
            self._r57_folder = None

    async def _async_start_kernel(self, **kw: Any) -> None:
        """Start the kernel, signals held from its folder made to its pid recorded (a start does not wait on
        the kernel: nbclient waits for it to be ready afterwards, so a signal waits milliseconds)."""
        with signals_held():
            await super()._async_start_kernel(**kw)

    start_kernel = _async_start_kernel  # what nbclient calls (jupyter_client binds it by name)

    @default("client_factory")
    def _r57_default_client_factory(self) -> type:
        return R57KernelClient

    async def _async_wait(self, pollinterval: float = 0.1) -> None:
        await super()._async_wait(pollinterval=0.005)  # a killed kernel: gone in milliseconds, not 0.1 s

    @default("transport")
    def _r57_default_transport(self) -> str:
        return "ipc" if ipc_supported() else "tcp"

    @default("connection_file")
    def _r57_default_connection_file(self) -> str:
        return str(self._r57_dir() / "kernel.json")

    @default("ip")
    def _r57_default_ip(self) -> str:
        if self.transport != "ipc":
            return localhost()
        return str(self._r57_dir() / "ipc")

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        await super()._async_cleanup_resources(restart=restart)
        if not restart:
            self._r57_remove_folder()

    cleanup_resources = _async_cleanup_resources  # what nbclient calls (jupyter_client binds it by name)

    def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
        """The kernel's command line, loading :mod:`analysis.run.kernel_gc` (less time in garbage collection)."""
        return super().format_kernel_cmd([*(extra_arguments or []), "--IPKernelApp.extensions=analysis.run.kernel_gc"])
