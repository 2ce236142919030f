"""Waiting for another process without a timed sleep, always with a deadline: on its output (a line it
prints, through a pipe or a FIFO watched with ``select``), or on its exit (a Linux pidfd). Used by the
browser tests for Chromium and Voila and by the tests that stop, kill or wait for r57's own processes.

One wait is not on an event: :func:`wait_until` looks at a condition again each time ``proc`` has not
ended within 50 ms. It serves conditions no notification exists for: that a process (a kernel, a worker)
has appeared in /proc, or that a run has made its temporary folder. The look is cheap and the wait ends
at once when ``proc`` ends, so a busy machine makes it slower, never wrong."""

from __future__ import annotations

import json
import os
import re
import selectors
import shutil
import subprocess
import threading
import time
import urllib.parse
import urllib.request
import warnings
from pathlib import Path
from typing import IO


def read_until(proc: subprocess.Popen, stream: IO[bytes], pattern: str, timeout: float, what: str) -> re.Match:
    """Read ``stream`` (a pipe of ``proc``) line by line until a line matches ``pattern``; return the match.
    Each wait is on the pipe itself, so the test moves on the moment the line is written. The pipe is read a
    byte at a time, nothing past the line: a line read ahead into ``stream``'s buffer does not wake ``select``,
    and Chromium writes its DevTools line together with the empty line before it."""
    deadline = time.monotonic() + timeout
    fd = stream.fileno()
    seen: list[str] = []
    line = b""
    with selectors.DefaultSelector() as sel:
        sel.register(fd, selectors.EVENT_READ)
        while (left := deadline - time.monotonic()) > 0:
            if not sel.select(left):
                break
            byte = os.read(fd, 1)
            if not byte:  # the process closed the pipe: it ended
                raise AssertionError(f"{what}: the process ended first (exit {proc.wait()}): {''.join(seen)[-2000:]}")
            line += byte
            if byte == b"\n":
                text = line.decode("utf-8", "replace")
                seen.append(text)
                line = b""
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


DEVTOOLS_LINE = r"DevTools listening on ws://[^:]+:(\d+)/"  # what Chromium prints, with its port


def start_chromium(command: list[str], timeout: float = 60) -> tuple[subprocess.Popen, int]:
    """Start Chromium (``command`` with ``--remote-debugging-port=0``); return it and its DevTools port, read
    from the line it prints when DevTools listens. A start that has not answered within half of ``timeout`` is
    killed and Chromium started once more, with a warning, for the other half: one stall fails no test."""
    deadline = time.monotonic() + timeout
    try:
        return _chromium(command, timeout / 2)
    except AssertionError as exc:
        warnings.warn(f"Chromium started again: {exc}", stacklevel=2)
    return _chromium(command, deadline - time.monotonic())


def _chromium(command: list[str], timeout: float) -> tuple[subprocess.Popen, int]:
    """One start of Chromium: it and its DevTools port, or AssertionError (it killed) if not so within ``timeout``."""
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        match = read_until(proc, proc.stderr, DEVTOOLS_LINE, timeout, "Chromium's DevTools")
    except AssertionError:
        proc.kill()
        proc.wait()
        proc.stderr.close()
        raise
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


def read_fifo_line(path, timeout: float, what: str) -> str:
    """The first line another process writes into the FIFO ``path`` (made with ``os.mkfifo``), waited for
    with ``select`` and a deadline. Opened without blocking, so the writer may come later: on Linux a FIFO
    that never had a writer is not readable, and ``select`` wakes for the writer's data."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    data = b""
    try:
        deadline = time.monotonic() + timeout
        with selectors.DefaultSelector() as sel:
            sel.register(fd, selectors.EVENT_READ)
            while b"\n" not in data and (left := deadline - time.monotonic()) > 0:
                if sel.select(left):
                    chunk = os.read(fd, 4096)
                    if not chunk:  # the writer closed the FIFO without a whole line
                        break
                    data += chunk
    finally:
        os.close(fd)
    if b"\n" not in data:
        raise AssertionError(f"no line from {what} within {timeout:.0f} s: {data!r}")
    return data.decode().split("\n", 1)[0]


def wait_exit(pids: list[int], timeout: float) -> None:
    """Wait on each process's exit (a Linux pidfd: an event, not a timed guess), at most ``timeout`` in
    all; a zombie has exited (its pidfd is readable). The caller checks what it expects afterwards."""
    deadline = time.monotonic() + timeout
    for pid in pids:
        try:
            fd = os.pidfd_open(pid)
        except ProcessLookupError:
            continue
        try:
            with selectors.DefaultSelector() as sel:
                sel.register(fd, selectors.EVENT_READ)
                sel.select(max(0.0, deadline - time.monotonic()))
        finally:
            os.close(fd)


def wait_until(condition, timeout: float, what: str, proc: subprocess.Popen):
    """Wait until ``condition()`` returns something true (and return it), at most ``timeout`` seconds.
    Between two looks, wait 50 ms on ``proc``'s exit, which fails the test at once (it ended before
    getting there). For conditions without a notification (see the module's note)."""
    deadline = time.monotonic() + timeout
    while not (found := condition()):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        try:
            proc.wait(timeout=0.05)
        except subprocess.TimeoutExpired:
            continue
        raise AssertionError(f"the process ended before {what}: {proc.communicate()}")
    return found


def processes_mentioning(text: str) -> list[int]:
    """Live processes (zombies have no command line) whose command line contains ``text`` (a kernel's names its
    connection file, a print's Chromium its profile folder)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if text.encode() in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))
            except OSError:  # gone meanwhile
                continue
    return found
