"""The command line as a shell user meets it."""

from __future__ import annotations

import os
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
        f"set -o pipefail; '{R57}' params rd_paths | {{ exec 0<&-; }}",
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


def test_sweep_writes_under_the_projects_reports_folder_from_any_directory(tmp_path, monkeypatch):
    reports = tmp_path / "reports"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "R57_REPORTS_DIR": str(reports)}
    out = subprocess.run(
        [R57, "sweep", "--grid", "real_gdp_growth_pct=5,6"], cwd=elsewhere, env=env, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    assert (reports / "sweep.csv").exists() and not (elsewhere / "reports").exists()
