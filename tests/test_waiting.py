"""The waiting helpers the browser and process tests share (tests/waiting.py): a line read the moment it is
written. A stand-in prints what Chromium prints."""

from __future__ import annotations

import subprocess
import sys

from waiting import read_until

DEVTOOLS = r"DevTools listening on ws://[^:]+:(\d+)/"

# writes its arguments to stderr in one write, then waits to be killed
SAYS = "import os, signal, sys; os.write(2, sys.argv[1].encode()); signal.pause()"


def test_a_line_written_with_the_one_before_it_is_read_at_once_and_nothing_past_it():
    """Chromium writes its DevTools line with the empty line before it, in one write: reading a line read the
    rest into the stream's buffer, where select does not see it (the wait lasted until Chromium's next line)."""
    said = "[0:0:ERROR:bus.cc] Failed to connect to the bus\n\nDevTools listening on ws://127.0.0.1:4321/x\nafter\n"
    proc = subprocess.Popen([sys.executable, "-c", SAYS, said], stderr=subprocess.PIPE)
    try:
        assert read_until(proc, proc.stderr, DEVTOOLS, 20, "the DevTools line").group(1) == "4321"
        assert proc.stderr.readline() == b"after\n"  # still in the pipe, for the next reader
    finally:
        proc.kill()
        proc.wait()
        proc.stderr.close()
