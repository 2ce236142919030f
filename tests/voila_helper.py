"""`r57 explore` (what `make explore` runs) started for a test: a real Voila server on loopback."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from analysis import paths

R57 = Path(sys.executable).with_name("r57")
START_S = 120.0  # Voila imports, starts its server and prints the address in a few seconds; 2 cores under load
_ADDRESS = re.compile(r"(http://127\.0\.0\.1:(\d+)/\?token=([A-Za-z0-9_-]+))")


@dataclass
class Server:
    url: str  # the address to open, token included
    port: int
    token: str
    log: list[str]  # what the server has printed so far
    printed: threading.Condition  # notified at each line the server prints

    def wait_for(self, text: str, deadline_s: float) -> str:
        """The first line printed containing ``text``, waiting until it comes or ``deadline_s`` passes."""
        with self.printed:
            self.printed.wait_for(lambda: any(text in line for line in self.log), deadline_s)
        found = [line for line in self.log if text in line]
        assert found, f"`r57 explore` printed no {text!r} within {deadline_s:.0f} s:\n{''.join(self.log)[-3000:]}"
        return found[0]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _launch(
    env: dict[str, str], extra: list[str], printed: threading.Condition
) -> tuple[subprocess.Popen, int, list[str], dict[str, str], threading.Thread]:
    """Start `r57 explore` on a free port and wait until it prints its address or ends. Another process (a
    parallel test worker) may take the port between :func:`free_port` and the server's bind: then the server
    ends saying so, and it is started again on another port."""
    for _ in range(5):
        port = free_port()
        proc = subprocess.Popen(
            [str(R57), "explore", "--port", str(port), *extra],
            cwd=paths.PROJECT_ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        log: list[str] = []
        found: dict[str, str] = {}
        ready = threading.Event()

        def read(proc=proc, log=log, found=found, ready=ready) -> None:  # drains the output all along
            for line in proc.stdout:
                with printed:
                    log.append(line)
                    printed.notify_all()
                m = _ADDRESS.search(line)
                if m and not ready.is_set():
                    found["url"] = m.group(1)
                    ready.set()
            ready.set()  # the server ended before printing its address

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        ready.wait(START_S)
        if "url" in found or "Address already in use" not in "".join(log):
            return proc, port, log, found, reader
        proc.wait()
    raise AssertionError(f"`r57 explore` found no free port in 5 tries:\n{''.join(log)[-3000:]}")


@contextmanager
def explorer_server(lang: str | None = None, idle_s: int | None = None):
    """`r57 explore` on a free port; yields a :class:`Server` once it has printed its address (read from
    its output as it comes, with a deadline). ``lang``: R57_LANG, as `make explore R57_LANG=vi` sets it;
    ``idle_s``: its ``--idle-timeout``."""
    env = {k: v for k, v in os.environ.items() if k != "R57_LANG"}
    if lang is not None:
        env["R57_LANG"] = lang
    printed = threading.Condition()
    proc, port, log, found, reader = _launch(env, [] if idle_s is None else ["--idle-timeout", str(idle_s)], printed)
    try:
        if "url" not in found:
            raise AssertionError(f"`r57 explore` printed no address within {START_S:.0f} s:\n{''.join(log)[-3000:]}")
        m = _ADDRESS.search(found["url"])
        assert int(m.group(2)) == port, found["url"]
        yield Server(url=found["url"], port=port, token=m.group(3), log=log, printed=printed)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        reader.join(timeout=10)
