"""The command line as a shell user meets it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

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


def _scenario(tmp_path: Path, notebook: str) -> Path:
    path = tmp_path / "my-scenario.yaml"
    path.write_text(f"notebook: {notebook}\ntitle: Mine\nparameters:\n  target_year: 2035\n")
    return path


@pytest.mark.parametrize(
    "argv",
    [
        ["run", "rd_paths", "--check"],
        ["sweep", "--grid", "target_year=2030"],
        ["backtest"],
    ],
)
def test_a_parameter_given_twice_with_p_is_refused_by_every_command(argv, tmp_path, capsys, monkeypatch):
    """The second ``-p path_shape`` is never taken silently over the first: exit 2, the name in one line."""
    from analysis import cli

    monkeypatch.chdir(tmp_path)
    twice = ["-p", "path_shape", "linear", "-p", "path_shape", "logistic"]
    if argv[0] == "backtest":
        twice = ["-p", "include_derived", "true", "-p", "include_derived", "false"]
    assert cli.main([*argv, *twice]) == 2
    err = capsys.readouterr().err
    assert err.startswith("r57: invalid parameter: parameter ") and "is given twice (-p)" in err
    assert twice[1] in err and err.count("\n") == 1 and not list(tmp_path.iterdir())


def test_run_check_validates_as_a_run_and_prints_a_parameter_file_it_accepts(tmp_path, monkeypatch, capsys):
    import yaml

    from analysis import cli
    from analysis.run import runner

    monkeypatch.setattr(runner, "_execute", lambda *a, **k: pytest.fail("--check started a run"))
    file = _scenario(tmp_path, "rd_paths")
    argv = ["run", "rd_paths", "-f", str(file), "-p", "path_shape", "logistic", "--check"]
    assert cli.main(argv) == 0
    out = capsys.readouterr().out
    resolved = yaml.safe_load(out)
    assert {k: resolved[k] for k in ("target_year", "path_shape", "base_year", "lang")} == {
        "target_year": 2035,  # the file's
        "path_shape": "logistic",  # -p's
        "base_year": 2025,  # the default
        "lang": "en",
    }
    folder = Path(out.splitlines()[-1].split("would write ")[1].rstrip(")")).parent
    assert folder.parent.name == "rd_paths" and not folder.exists()  # nothing written
    printed = tmp_path / "resolved.yaml"  # the output is a parameter file `r57 run -f` takes, for the same run
    printed.write_text(out)
    assert cli.main(["run", "rd_paths", "-f", str(printed), "--check"]) == 0
    assert capsys.readouterr().out == out


def _checked(capsys, report: str, *argv: str) -> tuple[str, dict[str, str]]:
    from analysis import cli

    assert cli.main(["run", report, *argv, "--check"]) == 0
    out = capsys.readouterr().out
    return out, dict(line.split(": ", 1) for line in out.splitlines() if not line.startswith("#"))


def test_run_check_prints_the_values_the_run_fills_in_and_keeps_them_empty(capsys):
    import yaml

    from analysis import api
    from analysis.run.explore import cli_text

    out, lines = _checked(capsys, "rd_paths", "-p", "nonstate_share_base_pct", "42")
    # the defaults from the evidence (tests/test_rd_estimates.py): the 2025 nowcast 0.41456% of GDP (an estimate,
    # its range 0.3519-0.47722), the GSO revision 25.4%, the Resolution's 60% floor (above the 42% given), budget
    # expenditure 19.421% of GDP; each with what empty means
    nowcast = "the observed value of gerd_series in base_year, else the nowcast at nowcast_level"
    filled = {
        "base_share_pct": f"0.41456, an estimate from 0.3519 to 0.47722 ({nowcast})",
        "gdp_revision_uplift_pct": "25.4 (the GSO figure in the data (25.4%))",
        "nonstate_share_target_pct": "60 (the larger of 60% and the base-year share)",
        "budget_exp_pct_gdp": "19.421 (the mean of the latest budget years with official GDP (2023-2025))",
    }
    assert {k: lines[k] for k in filled} == {k: f"null  # filled in by the run: {v}" for k, v in filled.items()}
    assert lines["nonstate_share_base_pct"] == "42"
    run = api.rd_paths(nonstate_share_base_pct=42).iloc[-1]  # what the run uses, each value as printed
    for name in filled:
        assert lines[name].startswith(f"null  # filled in by the run: {cli_text(float(run[name]))}"), name
    read = yaml.safe_load(out)  # read back with -f: still empty, so the same run (a value would be the user's)
    assert read["base_share_pct"] is None and read["nonstate_share_base_pct"] == 42
    _out, observed = _checked(capsys, "rd_paths", "-p", "base_year", "2021")  # an observed start: no range
    assert observed["base_share_pct"] == f"null  # filled in by the run: 0.42494 ({nowcast})"
    _out, feas = _checked(capsys, "rd_feasibility")
    assert feas["base_share_pct"] == lines["base_share_pct"]
    assert feas["window_years"] == "null  # empty means target_year - base_year"  # not resolved without a kernel
    _out, ranks = _checked(capsys, "ecosystem_rankings")
    assert ranks["field_drift_pct"] == "null  # empty means estimated from the index's own score history"


def test_run_check_refuses_a_bad_value_as_a_run_does(capsys):
    from analysis import cli

    assert cli.main(["run", "rd_paths", "-p", "target_year", "1999", "--check"]) == 2
    assert capsys.readouterr().err == (
        "r57: invalid parameter: parameter 'target_year': 1999 is out of range "
        "(allowed: a whole number from 2011 to 2060)\n"
    )


@pytest.mark.parametrize("check", [[], ["--check"]])
def test_a_scenario_file_of_another_report_is_refused_naming_the_file_and_key(tmp_path, monkeypatch, capsys, check):
    from analysis import cli
    from analysis.run import runner

    monkeypatch.setattr(runner, "_execute", lambda *a, **k: pytest.fail("a mismatched file started a run"))
    file = _scenario(tmp_path, "ecosystem_rankings")
    assert cli.main(["run", "rd_paths", "-f", str(file), *check]) == 2
    assert capsys.readouterr().err == (
        f"r57: invalid parameter: parameter '-f': scenario file {file} has notebook: 'ecosystem_rankings' "
        "(allowed: notebook: rd_paths, or no notebook key)\n"
    )


def test_a_sweep_range_includes_its_stop_when_the_steps_reach_it():
    from analysis import cli

    assert cli._sweep_values("real_gdp_growth_pct", "5:8:0.5") == [5.0, 5.5, 6.0, 6.5, 7.0, 7.5, 8.0]
    assert cli._sweep_values("real_gdp_growth_pct", "5:6:0.4") == [5.0, 5.4, 5.8]  # 6.2 would pass the stop
    assert cli._sweep_values("target_year", "2030:2030:1") == [2030.0]
    assert cli._sweep_values("target_share_pct", "0.1:0.3:0.1") == [0.1, 0.2, 0.3]  # 0.2 / 0.1 < 2 in floats


def test_run_check_of_a_catalogue_file_also_checks_it_as_run_all_does(tmp_path, monkeypatch, capsys):
    from analysis import cli, paths

    monkeypatch.setattr(paths, "SCENARIOS_DIR", tmp_path)
    file = _scenario(tmp_path, "rd_paths")
    assert cli.main(["run", "rd_paths", "-f", str(file), "--check"]) == 0
    assert "; as a catalogue scenario too (r57 run-all --only my-scenario);" in capsys.readouterr().out
    file.write_text(file.read_text().replace("title: Mine", "title: ''"))  # r57 run -f reads only its parameters
    assert cli.main(["run", "rd_paths", "-f", str(file), "--check"]) == 2
    assert capsys.readouterr().err == (
        f"r57: refused: as a catalogue scenario, {file}: 'title' is required and must be text\n"
    )
