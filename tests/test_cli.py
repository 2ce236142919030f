"""The command line as a shell user meets it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

R57 = str(Path(sys.executable).with_name("r57"))


def test_a_reader_that_stops_early_gets_no_traceback():
    """`r57 params rd_paths | head`: the reader closes the pipe; r57 stops quietly.

    The reader here closes its end at once (r57 takes far longer to start), so r57's first write
    always meets a closed pipe; pipefail shows r57's own status: SIGPIPE's, as for any Unix tool.
    """
    out = subprocess.run(
        f"set -o pipefail; '{R57}' params rd_paths | {{ exec 0<&-; sleep 1; }}",
        shell=True,
        capture_output=True,
        text=True,
        executable="/bin/bash",
    )
    assert out.stderr == ""
    assert out.returncode == 141


def test_head_still_gets_the_first_lines():
    out = subprocess.run(
        f"'{R57}' params rd_paths | head -n 1", shell=True, capture_output=True, text=True, executable="/bin/bash"
    )
    assert out.stdout.startswith("rd_paths:") and out.stderr == ""
