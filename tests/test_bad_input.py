"""Bad input is refused with a one-line message naming the file or parameter and the rule it broke
(issue 27): bounded YAML, regular files only, names matched whole, translations treated as untrusted
input. Real files, FIFOs and symlinks; each test waits with a deadline, never a sleep."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import signal
import string
import subprocess
import sys
import threading
import time
import warnings
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis import cli, i18n, paths
from analysis.errors import ParameterError
from analysis.reports import messages, params
from analysis.run import catalogue, ownership
from waiting import read_fifo_line, read_until, wait_exit

GOOD = "notebook: rd_paths\ntitle: Fine\nparameters: {target_year: 2035}\n"
# 9 levels of 9 aliases: 9**9 (387 million) strings once expanded; about 550 bytes
ALIAS_BOMB = "notebook: rd_paths\ntitle: bomb\nparameters:\n  a0: &a0 [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"  a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]\n" for i in range(1, 9)
)
DEEP = "notebook: rd_paths\ntitle: deep\nparameters: {x: " + "[" * 5000 + "]" * 5000 + "}\n"


@pytest.fixture()
def scenarios(tmp_path, monkeypatch):
    folder = tmp_path / "scenarios"
    folder.mkdir()
    (folder / "fine.yaml").write_text(GOOD)
    monkeypatch.setattr(paths, "SCENARIOS_DIR", folder)
    return folder


def _load_with_deadline(folder: Path, seconds: float = 20.0):
    """load_catalogue in a thread; fail (not hang) when it does not return by the deadline."""
    done, result = threading.Event(), {}

    def work():
        result["value"] = catalogue.load_catalogue(folder)
        done.set()

    threading.Thread(target=work, daemon=True).start()
    assert done.wait(seconds), f"loading the catalogue did not finish in {seconds} s"
    good, bad = result["value"]
    return {s.name for s in good}, {p.name: m for p, m in bad}


# ----------------------------------------------------------------------------- bounded YAML


def test_an_alias_bomb_is_refused_at_once_naming_the_file(scenarios):
    assert len(ALIAS_BOMB) < 600
    (scenarios / "bomb.yaml").write_text(ALIAS_BOMB)
    good, bad = _load_with_deadline(scenarios)  # an expanded bomb would not finish by the deadline
    assert good == {"fine"}  # the rest of the batch goes on
    assert str(scenarios / "bomb.yaml") in bad["bomb.yaml"] and "aliases" in bad["bomb.yaml"]


def test_an_alias_bomb_in_a_parameter_file_and_a_value_is_refused(tmp_path, capsys):
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text(ALIAS_BOMB.split("parameters:\n", 1)[1])
    assert cli.main(["run", "rd_paths", "-f", str(bomb)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(bomb) in err and "aliases" in err
    value = "[&a [1,1,1,1,1,1,1,1,1], [*a,*a,*a,*a,*a,*a,*a,*a,*a]]"
    assert params.parse_cli_value(value) == value  # not expanded: stays text, then refused as not a number
    with pytest.raises(ParameterError, match="target_year"):
        params.validate("rd_paths", {"target_year": params.parse_cli_value(value)})


def test_a_whole_number_of_5000_digits_is_refused_in_one_line(scenarios, tmp_path, capsys):
    # Python refuses to read an int of more than 4,300 digits (a ValueError, not a YAMLError): found by
    # the adversarial rerun of issue 27 as a traceback from `-f`, `-p` and a scenario file
    digits = "9" * 5000
    (scenarios / "long.yaml").write_text(f"notebook: rd_paths\ntitle: long\nparameters: {{target_year: {digits}}}\n")
    good, bad = _load_with_deadline(scenarios)
    assert good == {"fine"} and "4,300 digits" in bad["long.yaml"]
    pfile = tmp_path / "p.yaml"
    pfile.write_text(f"target_year: {digits}\n")
    assert cli.main(["run", "rd_paths", "-f", str(pfile)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(pfile) in err and "4,300 digits" in err
    assert cli.main(["run", "rd_paths", "-p", "target_year", digits]) == 2  # stays text, refused as not a year
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "target_year" in err


def test_a_title_or_description_over_1000_characters_is_refused(scenarios):
    # found by the adversarial rerun of issue 27: free text is at most 1,000 characters (README), but a
    # scenario's title and description were taken at any length onto the index
    (scenarios / "long-title.yaml").write_text(GOOD.replace("title: Fine", "title: " + "x" * 1001))
    (scenarios / "long-words.yaml").write_text(GOOD + "description: " + "y" * 1001 + "\n")
    (scenarios / "at-limit.yaml").write_text(GOOD.replace("title: Fine", "title: " + "x" * 1000))
    good, bad = _load_with_deadline(scenarios)
    assert good == {"fine", "at-limit"}
    assert "'title' has 1,001 characters; at most 1,000" in bad["long-title.yaml"]
    assert "'description' has 1,001 characters" in bad["long-words.yaml"]


def test_5000_nested_brackets_are_refused_and_the_batch_goes_on(scenarios):
    (scenarios / "deep.yaml").write_text(DEEP)
    good, bad = _load_with_deadline(scenarios)
    assert good == {"fine"}
    assert "deep.yaml" in bad["deep.yaml"] and f"deeper than {params.MAX_YAML_DEPTH}" in bad["deep.yaml"]


def test_a_fifo_in_scenarios_does_not_block_loading(scenarios):
    os.mkfifo(scenarios / "pipe.yaml")  # nobody ever writes to it: a plain open() would wait forever
    good, bad = _load_with_deadline(scenarios, 10.0)
    assert good == {"fine"} and "a FIFO, not a regular file" in bad["pipe.yaml"]


def test_a_link_to_dev_zero_and_a_folder_are_refused(scenarios):
    (scenarios / "zero.yaml").symlink_to("/dev/zero")
    (scenarios / "dir.yaml").mkdir()
    good, bad = _load_with_deadline(scenarios, 10.0)
    assert good == {"fine"}
    assert "a device or socket, not a regular file" in bad["zero.yaml"]
    assert "a folder, not a regular file" in bad["dir.yaml"]


def test_a_file_over_the_limit_is_refused_with_the_limit(scenarios):
    (scenarios / "big.yaml").write_text(GOOD + "#" * params.MAX_YAML_BYTES)
    _, bad = _load_with_deadline(scenarios)
    assert f"larger than {params.MAX_YAML_BYTES:,} bytes" in bad["big.yaml"]
    # exactly at the limit is read (and then judged as YAML)
    exact = GOOD + "#" * (params.MAX_YAML_BYTES - len(GOOD))
    assert len(params.read_input_file(_write(scenarios / "x.txt", exact))) == params.MAX_YAML_BYTES


def _write(path: Path, text: str) -> Path:
    path.write_text(text)
    return path


def test_a_fifo_as_the_parameter_file_is_refused(tmp_path, capsys):
    os.mkfifo(tmp_path / "p.yaml")
    assert cli.main(["run", "rd_paths", "-f", str(tmp_path / "p.yaml")]) == 2
    assert "a FIFO, not a regular file" in capsys.readouterr().err


def test_run_all_refuses_every_hostile_scenario_file_in_one_line_each_and_finishes(tmp_path):
    """The real command, in its own process, with a deadline: nothing blocks, each file is named."""
    scen = tmp_path / "scenarios"
    scen.mkdir()
    (scen / "bomb.yaml").write_text(ALIAS_BOMB)
    (scen / "deep.yaml").write_text(DEEP)
    os.mkfifo(scen / "pipe.yaml")
    (scen / "zero.yaml").symlink_to("/dev/zero")
    env = os.environ | {"R57_SCENARIOS_DIR": str(scen), "R57_REPORTS_DIR": str(tmp_path / "reports")}
    r = subprocess.run(
        [sys.executable, "-m", "analysis", "run-all", "--lang", "en"],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    refused = [ln for ln in r.stderr.splitlines() if ln.startswith("r57: refused: ")]
    assert r.returncode == 1 and len(refused) == 4, r.stderr
    for name, rule in [("bomb", "aliases"), ("deep", "nested deeper"), ("pipe", "a FIFO"), ("zero", "a device")]:
        assert any(str(scen / f"{name}.yaml") in ln and rule in ln for ln in refused), (name, refused)
    assert "refused" in (tmp_path / "reports" / "index.html").read_text()  # the index is still written


# ----------------------------------------------------------------------------- names and numbers


def test_a_scenario_name_with_a_trailing_newline_is_refused(scenarios):
    (scenarios / "rd-x\n.yaml").write_text(GOOD)
    good, bad = _load_with_deadline(scenarios)
    assert good == {"fine"} and "file name must be" in bad["rd-x\n.yaml"] and "\n" not in bad["rd-x\n.yaml"]


@given(st.text(alphabet=string.ascii_lowercase + string.digits + "-_\n .A/", max_size=12))
def test_the_name_rule_matches_the_whole_name(name):
    accepted = bool(catalogue.NAME_RE.match(name))
    whole = bool(name) and name[0] in string.ascii_lowercase + string.digits
    whole = whole and all(c in string.ascii_lowercase + string.digits + "-_" for c in name)
    assert accepted == whole


def test_a_name_is_at_most_100_characters_and_a_300_character_save_is_refused(tmp_path):
    from analysis.run import explore

    assert catalogue.NAME_RE.match("a" * 100) and not catalogue.NAME_RE.match("a" * 101)
    with pytest.raises(catalogue.ScenarioError, match="300 characters: at most 100"):
        explore.save_scenario("a" * 300, "Long", {}, directory=tmp_path)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "value, fragment",
    [
        ({True: 7.0}, "is not a year"),  # a bool is not a year
        ({2030.0: 7.0}, "is not a year"),
        ({"99999": 7.0}, "not a year from 1900 to 2200"),
        ({2030: True}, "expected a number"),
        ({2030: float("nan")}, "finite"),
        (float("inf"), "finite"),
    ],
)
def test_years_and_numbers_are_typed(value, fragment):
    with pytest.raises(ParameterError, match=fragment):
        params.validate("rd_paths", {"real_gdp_growth_pct": value})


# ----------------------------------------------------------------------------- translations


def _po(folder: Path, area: str, entries: list[tuple[str, str]], broken_line: str = "") -> Path:
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    catalog = Catalog(locale="vi")
    for msgid, msgstr in entries:
        catalog.add(msgid, msgstr)
    buf = io.BytesIO()
    write_po(buf, catalog, omit_header=False)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{area}.po"
    path.write_bytes(buf.getvalue() + broken_line.encode())
    return path


INJECTIONS = [
    ("# R&D spending", "# [Chi tiêu](javascript:alert(1)) R&D", "links"),
    ("See [the data](https://data.worldbank.org)", "Xem [dữ liệu](jav&#x61;script:alert(1))", "links"),
    ("Run <code>r57 run</code>", "Chạy <img src=x onerror=alert(1)>", "markup"),
    ("Run <code>r57 run</code>", 'Chạy <code onclick="alert(1)">r57 run</code>', "markup"),
    ("GERD was {share}", "GERD là {share.__class__}", "placeholders"),
    ("GERD was {share}", "GERD là {share[0]}", "placeholders"),
    ("GERD was {share}", "GERD là {shares}", "placeholders"),
    # a single brace: str.format raised ValueError on every page using it, while the check said 0 problems
    ("GERD was {share}", "GERD là {share} {.", "placeholders"),
    # a link sent to another host without a scheme (//host, /\host): the browser keeps the page's scheme
    ("See [WDI](https://data.worldbank.org)", "Xem [WDI](//evil.example/wdi)", "links"),
    ("See [WDI](https://data.worldbank.org)", "Xem [WDI](/\\evil.example/wdi)", "links"),
    ("GERD was {share}", "GERD là }{share}", "placeholders"),
    ("Targets", "# Mục tiêu", "lines"),
    ("- one\n- two", "- một\nhai", "lines"),
]


@pytest.fixture()
def project(tmp_path, monkeypatch):
    """A tiny project whose sources hold the English texts of INJECTIONS, and its own catalogues."""
    monkeypatch.setattr(i18n, "DOMAIN_DIR", tmp_path / "locale")
    i18n.reload()
    source = tmp_path / "src/analysis/reports/x.py"
    source.parent.mkdir(parents=True)
    texts = sorted({en for en, _vi, _kind in INJECTIONS})
    source.write_text("from analysis.i18n import _\n" + "".join(f"_({t!r})\n" for t in texts), encoding="utf-8")
    yield tmp_path
    i18n.use("en")
    i18n.reload()


@pytest.mark.parametrize("source, target, kind", INJECTIONS, ids=[k + str(i) for i, (*_, k) in enumerate(INJECTIONS)])
def test_an_injected_translation_fails_the_check_and_is_not_rendered(project, source, target, kind, capsys):
    _po(project / "locale/vi/LC_MESSAGES", "common", [(source, target)])
    found = {(p.kind, p.msgid) for p in messages.check("vi", project)}
    assert (kind, source) in found
    i18n.use("vi")
    shown = i18n._(source)
    assert shown == source  # the English source, not the injection
    assert_one_translation_line(capsys.readouterr().err, "common.po: translation of ", "left out")
    if "{share}" in source:
        assert shown.format(share="0.4%") == source.replace("{share}", "0.4%")


def assert_one_translation_line(err: str, *fragments: str) -> None:
    """A translation left out is told in one plain line (no Python warning naming i18n.py and its source line)."""
    assert err.startswith("r57: ") and err.count("\n") == 1 and all(f in err for f in fragments), err
    assert "Warning" not in err and "i18n.py" not in err, err


def test_a_faithful_translation_passes_and_is_rendered(project, capsys):
    entries = [(en, en.replace("one", "một").replace("Run", "Chạy")) for en, _vi, _k in INJECTIONS]
    _po(project / "locale/vi/LC_MESSAGES", "common", list(dict(entries).items()))
    # a hand-written catalogue is not laid out as `r57 i18n update` writes it: that is not what this test is about
    assert [p for p in messages.check("vi", project) if p.kind not in ("untranslated", "layout")] == []
    i18n.use("vi")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert i18n._("Run <code>r57 run</code>") == "Chạy <code>r57 run</code>"
        assert i18n._("- one\n- two") == "- một\n- two"
    assert capsys.readouterr().err == ""


def test_a_malformed_po_line_fails_the_check_and_rendering_falls_back(project, capsys):
    path = _po(project / "locale/vi/LC_MESSAGES", "common", [("Targets", "Mục tiêu")], 'msgstr_typo "x"\n')
    problems = [p for p in messages.check("vi", project) if p.kind == "malformed"]
    assert len(problems) == 1 and str(path) in problems[0].detail
    line = path.read_text(encoding="utf-8").splitlines().index('msgstr_typo "x"') + 1
    assert str(problems[0]).startswith(f"common.po: malformed: {path}, line {line}: ") and "\n" not in str(problems[0])
    i18n.use("vi")
    assert i18n._("Targets") == "Targets"
    assert_one_translation_line(capsys.readouterr().err, f"{path}: not read", "shown in English")


def test_a_msgid_given_twice_in_one_catalogue_fails_the_check(project):
    # found by the adversarial rerun of issue 27: babel merges the two silently (one translation is never shown)
    # and `r57 i18n check` said 0 problems
    again = '\nmsgid "Targets"\nmsgstr "Chỉ tiêu"\n'
    path = _po(project / "locale/vi/LC_MESSAGES", "common", [("Targets", "Mục tiêu")], again)
    problems = [p for p in messages.check("vi", project) if p.kind == "malformed"]
    assert (
        len(problems) == 1 and str(path) in problems[0].detail and "'Targets' given a second time" in str(problems[0])
    )
    _po(project / "locale/vi/LC_MESSAGES", "common", [("Targets", "Mục tiêu")])
    assert [p for p in messages.check("vi", project) if p.kind == "malformed"] == []


def test_a_placeholder_typo_renders_the_english_instead_of_crashing(project, capsys):
    _po(project / "locale/vi/LC_MESSAGES", "site", [("GERD was {share}", "GERD là {shar}")])
    i18n.use("vi")
    assert i18n._("GERD was {share}").format(share="1%") == "GERD was 1%"
    assert_one_translation_line(capsys.readouterr().err, "site.po: translation of 'GERD was {share}' left out")


PIECES = st.sampled_from(
    [
        "word ",
        "Việt Nam ",
        "{share}",
        "{year:.0f}",
        "**bold** ",
        "<code>r57</code>",
        "[WDI](https://data.worldbank.org)",
        "\n",
        "\n- item",
        "\n## Heading",
        "\n1. first",
        "2045. ",
        "50% ",
        "<br>",
        "`x` ",
    ]
)


@given(st.lists(PIECES, max_size=12).map("".join))
def test_a_translation_that_keeps_every_mark_passes(text):
    assert i18n.translation_problems(text, text) == []
    assert i18n.translation_problems(text, text.replace("word", "từ").replace("item", "mục")) == []


@given(st.lists(PIECES, max_size=8).map("".join), st.sampled_from(["javascript", "JavaScript", "data", "vbscript"]))
def test_a_foreign_link_scheme_is_always_caught(text, scheme):
    found = i18n.translation_problems(text, text + f" [x]({scheme}:alert(1))")
    assert ("links", f"link scheme {scheme.lower()}: is not in the source") in found


def test_formatting_cannot_reach_attributes_or_indexes():
    text = i18n.Text("{x.__class__} {y[0]}")
    with pytest.raises(i18n.FieldError, match="not a plain name"):
        text.format(x=1, y=[2])
    assert i18n.Text("{0} {x:num.1} {{lit}}").format("a", x=2.25) == "a 2.2 {lit}"
    assert isinstance(i18n._("anything"), i18n.Text)


def test_an_unknown_area_fails_listing_the_known_ones(capsys):
    assert cli.main(["i18n", "check", "--area", "sites"]) == 2
    err = capsys.readouterr().err
    assert "'sites'" in err and "site, rd_paths" in err and err.count("\n") == 1


# ----------------------------------------------------------------------------- lock waits and the scheduled job


def test_a_held_lock_is_named_with_its_holder_and_the_wait_gives_up(tmp_path, monkeypatch, capsys):
    from analysis.run import records

    monkeypatch.setattr(paths, "REPORTS_DIR", tmp_path)
    lock = tmp_path / ".locks" / "index.lock"
    lock.parent.mkdir()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl, os, sys, time\n"
            f"fd = os.open({str(lock)!r}, os.O_RDWR | os.O_CREAT)\n"
            "fcntl.flock(fd, fcntl.LOCK_EX)\n"
            "print('locked', flush=True)\n"
            "sys.stdin.read()\n",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    try:
        read_until(holder, holder.stdout, "^locked$", 30, "the other process taking the lock")
        start = time.monotonic()
        with pytest.raises(records.LockTimeout, match=f"gave up after 0.5 s .*{lock}.*process {holder.pid}"):
            with records.locked("index", wait_s=0.5):
                pass
        assert 0.5 <= time.monotonic() - start < 5
        err = capsys.readouterr().err
        assert err == f"r57: waiting for the lock {lock}, held by process {holder.pid} (at most 0.5 s)\n"
    finally:
        holder.communicate(b"", timeout=30)  # closing its stdin ends it and frees the lock
    with records.locked("index", wait_s=0.5):  # free again: taken at once, nothing said
        assert capsys.readouterr().err == ""


MAKEFILE = """\
.venv/.r57-installed:
\t@true
reports:
\t@sh -c 'echo $$$$ > "$(R57_TEST_PIDFILE)"; exec sleep 600'
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="setsid and flock")
def test_stopping_the_scheduled_job_stops_its_children_and_frees_its_lock(tmp_path):
    """A checkout whose make reports hangs (a stand-in for a long run-all): SIGTERM to the job stops
    make and its children, and the next scheduled run is not told 'still going' (exit 6)."""
    root = tmp_path / "checkout"
    (root / "scripts").mkdir(parents=True)
    shutil.copy(paths.PROJECT_ROOT / "scripts" / "scheduled-run", root / "scripts")
    (root / "Makefile").write_text(MAKEFILE)
    (root / ".venv" / "bin").mkdir(parents=True)
    for tool in ("r57", "python"):
        (root / ".venv" / "bin" / tool).write_text("#!/bin/sh\nexit 0\n")
        (root / ".venv" / "bin" / tool).chmod(0o755)
    pidfile, logs = tmp_path / "sleep.pid", tmp_path / "logs"
    os.mkfifo(pidfile)  # the child writes its pid into it: read as it comes
    env = {"PATH": "/usr/bin:/bin", "R57_LOG_DIR": str(logs), "R57_TEST_PIDFILE": str(pidfile)}
    job = subprocess.Popen([str(root / "scripts" / "scheduled-run")], env=env, stderr=subprocess.PIPE, text=True)
    try:
        pid = int(read_fifo_line(pidfile, 60, "make reports starting"))
        second = subprocess.run([str(root / "scripts" / "scheduled-run")], env=env, capture_output=True, text=True)
        assert second.returncode == 6 and f"held by process {job.pid})" in second.stderr
        job.send_signal(signal.SIGTERM)
        _out, err = job.communicate(timeout=60)
    finally:
        if job.poll() is None:
            job.kill()
    assert job.returncode == 143 and "stopped by SIGTERM" in err

    def gone() -> bool:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1].startswith("Z")  # a zombie awaiting its reaper

    try:
        wait_exit([pid], 30)  # make's child stopping
        assert gone(), f"make's child {pid} still runs 30 s after the job was stopped"
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)  # never leave it behind, even when the test fails
    free = subprocess.run(["flock", "-n", str(logs / ".scheduled-run.lock"), "true"], check=False)
    assert free.returncode == 0  # the next scheduled run would run, not exit 6


# ----------------------------------------------------------------------------- data refresh

WDI_FIXTURES = Path(__file__).parent / "fixtures" / "wdi_api"


@pytest.fixture()
def raw_copy(tmp_path) -> Path:
    dst = tmp_path / "data" / "raw"
    shutil.copytree(paths.RAW_DATA_DIR, dst)
    return dst


def _digest(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_panel_that_shrank_is_refused_naming_the_series_and_the_counts(raw_copy, monkeypatch):
    from analysis.data import refresh

    monkeypatch.setenv(refresh.COVERAGE_DROP_ENV, "0.1")  # the documented default (conftest accepts any drop)
    before = _digest(raw_copy)
    # the recordings hold 5 economies; data/raw's panel has about 200 (counted here, not assumed)
    current = pd.read_csv(raw_copy / "wdi_gerd_pct_gdp.csv")
    economies = current[current["value"].notna()]["entity"].nunique()
    assert economies > 100
    with pytest.raises(refresh.RefreshError) as caught:
        refresh.refresh(refresh.recorded_fetch(WDI_FIXTURES), raw_copy, log=lambda *_: None)
    message = str(caught.value)
    assert "\n" not in message and "wdi_gerd_pct_gdp.csv" in message and "GB.XPD.RSDV.GD.ZS" in message
    assert f"for 5 economies, down from {economies}" in message
    assert _digest(raw_copy) == before and not (raw_copy.parent / "archive").exists()


def _panel(economies: int, years: int) -> pd.DataFrame:
    rows = [(f"E{e:02d}", 2000 + y, 1.0) for e in range(economies) for y in range(years)]
    return pd.DataFrame(rows, columns=["entity", "year", "value"]).assign(indicator="gerd_pct_gdp")


@pytest.mark.parametrize(
    "economies, years, refused",
    [(10, 20, False), (9, 20, False), (8, 20, True), (10, 18, False), (10, 17, True), (20, 40, False)],
)
def test_coverage_may_drop_by_the_stated_share_and_no_more(tmp_path, monkeypatch, economies, years, refused):
    from analysis.data import refresh

    monkeypatch.setattr(refresh, "load", lambda name, data_dir: _panel(10, 20))  # the current file: 10 x 20
    (tmp_path / "wdi_gerd_pct_gdp.csv").write_text("x")
    fetched = {"wdi_gerd_pct_gdp.csv": (_panel(economies, years), "2026", ["GB.XPD.RSDV.GD.ZS"])}
    if refused:
        with pytest.raises(refresh.RefreshError, match="more than 10% fewer"):
            refresh.check_coverage(fetched, tmp_path, 0.10)
    else:
        refresh.check_coverage(fetched, tmp_path, 0.10)


MALFORMED = [
    (b"<html><body>502 Bad Gateway</body></html>", "not JSON"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "not JSON"),
    (b'{"page": 1}', "returned an error"),
    (b'[{"page": 1, "pages": 1}, "not a list of records"]', "not in the expected shape"),
    (b'[{"page": 1, "pages": 1}, [{"countryiso3code": "VNM", "value": 1.5}]]', "not in the expected shape"),
    (
        b'[{"page": 1, "pages": 1}, [{"countryiso3code": "VNM", "value": "n/a", "date": "2020",'
        b' "country": {"value": "Viet Nam"}}]]',
        "gives VNM 2020 the value 'n/a', not a number",
    ),
    (b'[{"page": 1, "pages": "many"}, []]', "page count"),
    (b'[{"page": 1, "pages": 1000000}, []]', "page count"),
]


@pytest.mark.parametrize("body, fragment", MALFORMED, ids=range(len(MALFORMED)))
def test_a_malformed_world_bank_answer_gets_one_line(raw_copy, monkeypatch, capsys, body, fragment):
    from analysis.data import refresh

    recorded = refresh.recorded_fetch(WDI_FIXTURES)
    monkeypatch.setattr(
        refresh, "default_fetch", lambda: lambda url: body if "GB.XPD.RSDV.GD.ZS" in url else recorded(url)
    )
    before = _digest(raw_copy)
    assert cli.main(["data", "refresh", "--data-dir", str(raw_copy)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("r57: error: ") and err.count("\n") == 1 and fragment in err, err
    assert _digest(raw_copy) == before


# ----------------------------------------------------------------------------- tracebacks that became one line


@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "folder"])
def test_i18n_bypass_refuses_a_fifo_a_device_and_a_folder_without_waiting(tmp_path, capsys, kind):
    # found by the adversarial rerun of issue 27: `r57 i18n bypass FIFO` waited forever for a writer
    page = tmp_path / "report.html"
    if kind == "fifo":
        os.mkfifo(page)  # nobody ever writes to it
    elif kind == "dev-zero":
        page.symlink_to("/dev/zero")  # endless: read whole, it would exhaust memory
    else:
        page.mkdir()
    done, result = threading.Event(), {}

    def work():
        result["code"] = cli.main(["i18n", "bypass", str(page)])
        done.set()

    threading.Thread(target=work, daemon=True).start()
    assert done.wait(20), "r57 i18n bypass did not return within 20 s"
    err = capsys.readouterr().err
    assert result["code"] == 2 and err.count("\n") == 1 and str(page) in err and "not a regular file" in err


@pytest.mark.parametrize(
    "content, fragment",
    [
        (b"", "is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "is a binary file"),
        ("year,value,note\n2021,0.43,Vi\xeat Nam\n".encode("latin-1"), "is not UTF-8 text (byte 28"),
        (b"nothing,like,the,layout\n1,2,3,4\n", "cannot build data/raw/vn_gerd.csv"),
    ],
    ids=["empty", "binary", "latin1", "layout"],
)
def test_data_build_refuses_a_bad_reference_csv_in_one_line(tmp_path, capsys, content, fragment):
    from analysis.data.datasets import DATASETS

    first = next(iter(DATASETS.values()))  # built first: its bad input stops the build before any other is needed
    inputs = first.meta["inputs"]
    for rel in inputs:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_bytes(content)
    assert cli.main(["data", "build", "--reference", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("r57: refused: ") and err.count("\n") == 1 and fragment in err, err
    assert str(tmp_path / inputs[0]) in err


@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "folder"])
def test_data_build_refuses_a_reference_input_that_is_not_a_regular_file_without_waiting(tmp_path, capsys, kind):
    # found by the adversarial rerun of issue 27: a FIFO there made `r57 data build` wait forever and a link to
    # /dev/zero filled the memory
    from analysis.data.datasets import DATASETS

    first = next(iter(DATASETS.values()))
    path = tmp_path / first.meta["inputs"][0]
    path.parent.mkdir(parents=True, exist_ok=True)
    if kind == "fifo":
        os.mkfifo(path)  # nobody ever writes to it
    elif kind == "dev-zero":
        path.symlink_to("/dev/zero")
    else:
        path.mkdir()
    done, result = threading.Event(), {}

    def work():
        result["code"] = cli.main(["data", "build", "--reference", str(tmp_path)])
        done.set()

    threading.Thread(target=work, daemon=True).start()
    assert done.wait(30), "r57 data build did not return within 30 s"
    err = capsys.readouterr().err
    assert result["code"] == 2 and err.startswith("r57: refused: ") and err.count("\n") == 1
    assert str(path) in err and "not a regular file" in err


def test_i18n_bypass_refuses_a_binary_page_in_one_line(tmp_path, capsys):
    page = tmp_path / "report.html"
    page.write_bytes(b"\x89PNG\r\n\x1a\n\x00\xff\xfe")
    assert cli.main(["i18n", "bypass", str(page)]) == 2
    err = capsys.readouterr().err
    assert (
        err.count("\n") == 1 and str(page) in err and "is a binary file" in err
    )  # the bounded reader of every input file


@pytest.mark.parametrize(
    "content, fragment",
    [
        (b'{"report": "rd_pa', "is not JSON text"),
        (b"\xff\xfe\x00binary", "is a binary file, not text"),
        (b"[1, 2]", "holds list instead of a mapping"),
        (b'{"report": 5}', "'report' is int"),
        (b'{"report": "rd_paths", "path": [1]}', "'path' has a row"),
        (b'{"report": "rd_paths", "path": [{"year": NaN}]}', "'path' has a row"),
    ],
    ids=["truncated", "binary", "list", "report", "row", "nan-year"],
)
def test_compare_refuses_a_malformed_results_json_in_one_line(tmp_path, capsys, content, fragment):
    good, bad = tmp_path / "good", tmp_path / "bad"
    for folder in (good, bad):
        folder.mkdir()
    (good / "results.json").write_text('{"report": "rd_paths", "parameters": {}, "path": []}')
    (bad / "results.json").write_bytes(content)
    assert cli.main(["compare", str(good), str(bad), "--output-dir", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("r57: refused: ") and err.count("\n") == 1 and fragment in err, err
    assert str(bad / "results.json") in err and not (tmp_path / "out").exists()


@pytest.mark.notebook
def test_a_cell_timeout_is_named_and_leaves_an_error_file(tmp_path, monkeypatch, capsys, caplog):
    """A cell running past --timeout: one line naming the cell and the limit, and error.txt kept."""
    import nbformat

    nbs = tmp_path / "notebooks"
    shutil.copytree(paths.NOTEBOOKS_DIR, nbs)
    monkeypatch.setattr(paths, "NOTEBOOKS_DIR", nbs)
    monkeypatch.setenv("R57_NOTEBOOKS_DIR", str(nbs))
    nb = nbformat.read(nbs / "01_rd_paths.ipynb", as_version=4)
    slow = nbformat.v4.new_code_cell("import threading\nthreading.Event().wait(120)  # never set: the limit stops it")
    params_at = next(i for i, c in enumerate(nb.cells) if "parameters" in c.get("metadata", {}).get("tags", []))
    nb.cells.insert(params_at + 1, slow)
    nbformat.write(nb, nbs / "01_rd_paths.ipynb")
    from analysis.errors import NotebookExecutionError
    from analysis.run import runner

    start = time.monotonic()
    with pytest.raises(NotebookExecutionError) as caught:
        runner.run_report("rd_paths", {}, tmp_path / "out", execution_timeout=2)  # run-all's --timeout
    assert time.monotonic() - start < 90
    err = str(caught.value)
    assert "\n" not in err, repr(err)
    assert f"cell {params_at + 1} (counting from 0)" in err, err
    assert "timeout: the cell ran longer than 2 s" in err and "unexpected" not in err
    # nbclient's own "Timeout waiting for execute reply" line stays off stderr (found by the issue-27 rerun:
    # run-all printed it, unprefixed, above r57's message)
    assert not [r for r in caplog.records if "Timeout waiting for execute reply" in r.getMessage()]
    assert "Timeout waiting for execute reply" not in capsys.readouterr().err
    error_txt = (tmp_path / "out.failed" / "error.txt").read_text()
    assert f"cell: {params_at + 1}" in error_txt and "threading.Event().wait(120)" in error_txt


def _hostile(path: Path, kind: str) -> None:
    """A record r57 reads that no r57 wrote: JSON nested 100,000 deep, or a FIFO nobody writes to."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if kind == "fifo":
        os.mkfifo(path)
    else:
        path.write_text("[" * 100_000 + "]" * 100_000)


@pytest.mark.parametrize("kind", ["nested", "fifo"])
def test_hostile_run_records_are_refused_naming_them_without_a_traceback_or_a_wait(tmp_path, kind):
    """The real commands, each in its own process with a deadline: run-all and sweep."""
    scen, reports = tmp_path / "scenarios", tmp_path / "reports"
    scen.mkdir()
    for name, record in (("rd-x", "run.json"), ("rd-y", ".r57-output")):
        shutil.copy(paths.SCENARIOS_DIR / "rd-baseline.yaml", scen / f"{name}.yaml")
        (reports / name).mkdir(parents=True)
        (reports / name / "report.html").write_text("<p>last good report</p>")
        ownership.seal(reports / name)
        (reports / name / record).unlink(missing_ok=True)
        _hostile(reports / name / record, kind)
    env = os.environ | {"R57_SCENARIOS_DIR": str(scen), "R57_REPORTS_DIR": str(reports)}
    r = subprocess.run(
        [sys.executable, "-m", "analysis", "run-all", "--lang", "en"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    refused = [ln for ln in r.stderr.splitlines() if ln.startswith("r57: refused: ")]
    assert r.returncode == 1 and "Traceback" not in r.stderr and len(refused) == 2, r.stderr
    assert "rd-x" in refused[0] and "holds run.json" in refused[0] and "holds .r57-output" in refused[1]
    assert (reports / "rd-x" / "report.html").read_text() == "<p>last good report</p>"
    (reports / ".r57-output").unlink()  # run-all wrote the index: now the folder's record is hostile
    _hostile(reports / ".r57-output", kind)
    r = subprocess.run(
        [sys.executable, "-m", "analysis", "sweep", "--grid", "growth_rate=0.05:0.06:0.01"],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert (
        r.returncode == 2 and r.stderr.count("\n") == 1 and f"{reports / '.r57-output'} is not r57's record" in r.stderr
    )


def test_compare_refuses_a_results_json_nested_too_deeply_in_one_line(tmp_path, capsys):
    good, bad = tmp_path / "good", tmp_path / "bad"
    good.mkdir()
    (good / "results.json").write_text('{"report": "rd_paths", "parameters": {}, "path": []}')
    _hostile(bad / "results.json", "nested")
    assert cli.main(["compare", str(good), str(bad), "--output-dir", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"{bad / 'results.json'}: JSON nested too deeply" in err, err


def test_a_record_larger_than_r57_writes_is_not_read(tmp_path, monkeypatch):
    from analysis.errors import InputError
    from analysis.run import records

    monkeypatch.setattr(records, "MAX_JSON_BYTES", 10)
    (tmp_path / "run.json").write_text('{"last_status": "ok"}')
    assert records.read_json(tmp_path / "run.json") == {}
    with pytest.raises(InputError, match="larger than 10 bytes"):
        records.load_json(tmp_path / "run.json")
