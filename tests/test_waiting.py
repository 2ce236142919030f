"""The waiting helpers the browser and process tests share (tests/waiting.py): a line read the moment it is
written, and a Chromium that does not answer started once more. A stand-in prints what Chromium prints."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from waiting import DEVTOOLS_LINE, read_until, start_chromium

# writes its arguments to stderr in one write, then waits to be killed
SAYS = "import os, signal, sys; os.write(2, sys.argv[1].encode()); signal.pause()"

# the first start (no file yet) says nothing and waits; the next says where DevTools listens
STALLS_ONCE = """import os, signal, sys
if not os.path.exists(sys.argv[1]):
    with open(sys.argv[1], "w") as f:
        f.write(str(os.getpid()))
else:
    os.write(2, b"\\nDevTools listening on ws://127.0.0.1:4321/devtools/browser/x\\n")
signal.pause()
"""


def test_a_line_written_with_the_one_before_it_is_read_at_once_and_nothing_past_it():
    """Chromium writes its DevTools line with the empty line before it, in one write: reading a line read the
    rest into the stream's buffer, where select does not see it (the wait lasted until Chromium's next line)."""
    said = "[0:0:ERROR:bus.cc] Failed to connect to the bus\n\nDevTools listening on ws://127.0.0.1:4321/x\nafter\n"
    proc = subprocess.Popen([sys.executable, "-c", SAYS, said], stderr=subprocess.PIPE)
    try:
        assert read_until(proc, proc.stderr, DEVTOOLS_LINE, 20, "the DevTools line").group(1) == "4321"
        assert proc.stderr.readline() == b"after\n"  # still in the pipe, for the next reader
    finally:
        proc.kill()
        proc.wait()
        proc.stderr.close()


def test_a_chromium_that_does_not_answer_is_killed_and_started_once_more(tmp_path):
    first = tmp_path / "first.pid"
    with pytest.warns(UserWarning, match="Chromium started again: timed out after 2 s waiting for Chromium's DevTools"):
        proc, port = start_chromium([sys.executable, "-c", STALLS_ONCE, str(first)], timeout=4)
    try:
        assert port == 4321
        with pytest.raises(ProcessLookupError):  # killed and reaped
            os.kill(int(first.read_text()), 0)
    finally:
        proc.kill()
        proc.wait()


def test_a_chromium_that_stalls_twice_fails_within_the_time_given(tmp_path):
    with pytest.warns(UserWarning, match="Chromium started again"):
        with pytest.raises(AssertionError, match="timed out after 1 s waiting for Chromium's DevTools"):
            start_chromium([sys.executable, "-c", SAYS, "starting\n"], timeout=2)
