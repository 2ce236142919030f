"""The command line as a shell user meets it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

R57 = str(Path(sys.executable).with_name("r57"))


def test_a_reader_that_stops_early_gets_no_traceback():
    """`r57 params rd_paths | head -n 1`: the pipe closes after one line; r57 stops quietly."""
    out = subprocess.run(f"'{R57}' params rd_paths | head -n 1", shell=True, capture_output=True, text=True,
                         executable="/bin/bash")
    assert out.stdout.startswith("rd_paths:")
    assert out.stderr == ""
    # and the same with pipefail, which shows r57's own status: SIGPIPE's, as for any Unix tool
    status = subprocess.run(f"set -o pipefail; '{R57}' params rd_paths | head -n 1 >/dev/null", shell=True,
                            executable="/bin/bash")
    assert status.returncode == 141
