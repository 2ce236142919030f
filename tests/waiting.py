"""Waiting for another process without a timed sleep: on its output (a line it prints), through a pipe
watched with ``select`` and a deadline. Used by the browser tests for Chromium and Voila."""

from __future__ import annotations

import json
import re
import selectors
import shutil
import subprocess
import threading
import time
import urllib.parse
import urllib.request
from typing import IO


def read_until(proc: subprocess.Popen, stream: IO[bytes], pattern: str, timeout: float, what: str) -> re.Match:
    """Read ``stream`` (a pipe of ``proc``) line by line until a line matches ``pattern``; return the match.
    Each wait is on the pipe itself, so the test moves on the moment the line is written."""
    deadline = time.monotonic() + timeout
    seen: list[str] = []
    with selectors.DefaultSelector() as sel:
        sel.register(stream, selectors.EVENT_READ)
        while (left := deadline - time.monotonic()) > 0:
            if not sel.select(left):
                break
            line = stream.readline()
            if not line:  # the process closed the pipe: it ended
                raise AssertionError(f"{what}: the process ended first (exit {proc.wait()}): {''.join(seen)[-2000:]}")
            text = line.decode("utf-8", "replace")
            seen.append(text)
            if match := re.search(pattern, text):
                return match
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}: {''.join(seen)[-2000:]}")


def drain(stream: IO[bytes], sink: IO[bytes] | None = None) -> None:
    """Keep reading what is left of ``stream`` in a daemon thread (into ``sink``), so the process never
    blocks on a full pipe."""

    def copy() -> None:
        if sink is None:
            for _ in iter(lambda: stream.read(65536), b""):
                pass
        else:
            shutil.copyfileobj(stream, sink)

    threading.Thread(target=copy, daemon=True).start()


def start_chromium(command: list[str], timeout: float = 60) -> tuple[subprocess.Popen, int]:
    """Start Chromium (``command`` with ``--remote-debugging-port=0``); return it and its DevTools port, read
    from the line it prints when DevTools listens."""
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    match = read_until(proc, proc.stderr, r"DevTools listening on ws://[^:]+:(\d+)/", timeout, "Chromium's DevTools")
    drain(proc.stderr)
    return proc, int(match.group(1))


def new_page(port: int, url: str = "about:blank") -> dict:
    """A new page target opened at ``url`` (DevTools' ``/json/new``: answered when the target exists). The
    address is percent-encoded: DevTools reads everything after ``?`` as the address, but an unencoded ``&``
    would end it there (a shared explorer link lost all its settings but the first, the token)."""
    address = urllib.parse.quote(url, safe="")
    request = urllib.request.Request(f"http://127.0.0.1:{port}/json/new?{address}", method="PUT")
    with urllib.request.urlopen(request, timeout=30) as reply:
        return json.load(reply)
