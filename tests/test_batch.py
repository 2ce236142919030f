"""`r57 run-all`: failures keep the last good report, skip-if-unchanged, --force, concurrency, escaping."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest

from analysis import cli, paths
from analysis.reports import registry
from analysis.run import batch, catalogue, ownership, site

pytestmark = pytest.mark.notebook

GOOD = {
    "rank-vn": "notebook: ecosystem_rankings\ntitle: Viet Nam startups\ndescription: country\nparameters: {entity: VNM}\n",
    "rank-hcmc": (
        "notebook: ecosystem_rankings\ntitle: HCMC\ndescription: city\n"
        "parameters: {index_name: startupblink_city, entity: ho-chi-minh-city, target_rank: 100}\n"
    ),
}
BROKEN = "rd-broken"


@pytest.fixture()
def workspace(tmp_path, monkeypatch):
    """A private reports/, scenarios/ and notebooks/ (with notebook 01 made to fail in cell 4)."""
    reports, scen, nbs = tmp_path / "reports", tmp_path / "scenarios", tmp_path / "notebooks"
    scen.mkdir()
    shutil.copytree(paths.NOTEBOOKS_DIR, nbs)
    nb = nbformat.read(nbs / "01_rd_paths.ipynb", as_version=4)
    nb.cells.insert(4, nbformat.v4.new_code_cell("raise ValueError('the data broke')"))
    nbformat.write(nb, nbs / "01_rd_paths.ipynb")
    for name, text in GOOD.items():
        (scen / f"{name}.yaml").write_text(text)
    (scen / f"{BROKEN}.yaml").write_text("notebook: rd_paths\ntitle: Broken R&D\ndescription: fails\nparameters: {}\n")
    for var, attr, value in (
        ("R57_REPORTS_DIR", "REPORTS_DIR", reports),
        ("R57_SCENARIOS_DIR", "SCENARIOS_DIR", scen),
        ("R57_NOTEBOOKS_DIR", "NOTEBOOKS_DIR", nbs),
    ):
        monkeypatch.setenv(var, str(value))
        monkeypatch.setattr(paths, attr, value)
    # the broken scenario had a good report before
    (reports / BROKEN).mkdir(parents=True)
    (reports / BROKEN / "report.html").write_text("<p>last good report</p>")
    ownership.seal(reports / BROKEN)  # r57's folder: its files recorded by r57
    return tmp_path


def statuses(outcomes):
    return {o.scenario: o.status for o in outcomes}


def test_failure_keeps_last_good_report_and_others_succeed(workspace, capsys):
    assert cli.main(["run-all", "--jobs", "2", "--lang", "en"]) == 1  # non-zero: one scenario failed
    out = capsys.readouterr()
    assert "2 ok, 0 skipped, 1 failed" in out.out and "rd-broken" in out.err
    reports = workspace / "reports"
    assert (reports / BROKEN / "report.html").read_text() == "<p>last good report</p>"
    err = (reports / f"{BROKEN}.failed" / "error.html").read_text()
    assert "cell 4" in err and "the data broke" in err
    for name in GOOD:
        assert json.loads((reports / name / "results.json").read_text())["report"] == "ecosystem_rankings"
        assert json.loads((reports / name / "run.json").read_text())["last_status"] == "ok"
    index = (reports / "index.html").read_text()
    assert "Broken R&amp;D" in index and "what failed" in index and "last good report kept" in index
    assert not [p for p in reports.iterdir() if p.name.startswith((".tmp-", ".old-"))]

    # nothing changed: the good scenarios are skipped, the failed one is tried again
    outcomes, _ = batch.run_all(langs=("en",), jobs=2, log=lambda *_: None)
    assert statuses(outcomes) == {"rank-vn": "skipped", "rank-hcmc": "skipped", BROKEN: "failed"}
    # a changed scenario file reruns only that scenario
    (workspace / "scenarios" / "rank-vn.yaml").write_text(
        GOOD["rank-vn"].replace("title: Viet Nam startups", "title: VN")
    )
    outcomes, _ = batch.run_all(langs=("en",), jobs=2, only="rank-*", log=lambda *_: None)
    assert statuses(outcomes) == {"rank-vn": "ok", "rank-hcmc": "skipped"}
    # --force reruns everything it is given
    outcomes, _ = batch.run_all(langs=("en",), jobs=2, force=True, only="rank-hcmc", log=lambda *_: None)
    assert statuses(outcomes) == {"rank-hcmc": "ok"}


def test_two_concurrent_run_alls_leave_a_consistent_site(workspace):
    # both build the same scenario into the same folder and write the same index: one scenario shows the race
    cmd = [sys.executable, "-m", "analysis", "run-all", "--force", "--only", "rank-vn", "--lang", "en"]
    procs = [
        subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=os.environ.copy())
        for _ in range(2)
    ]
    results = [p.communicate(timeout=600) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], results
    assert all("1 ok, 0 skipped, 0 failed" in out for out, _ in results), results
    reports = workspace / "reports"
    for name in ("rank-vn",):
        run = json.loads((reports / name / "run.json").read_text())
        res = json.loads((reports / name / "results.json").read_text())
        assert run["last_status"] == "ok" and res["charts"]
        assert (reports / name / "report.html").stat().st_size > 50_000
    leftovers = [p.name for p in reports.iterdir() if p.name.startswith((".tmp-", ".old-"))]
    assert leftovers == []
    parser = HTMLParser()
    parser.feed((reports / "index.html").read_text())  # complete, parseable page
    assert (reports / "index.html").read_text().rstrip().endswith("</html>")


def test_hostile_titles_are_escaped(tmp_path):
    path = tmp_path / "evil.yaml"
    path.write_text(
        textwrap.dedent("""\
        notebook: ecosystem_rankings
        title: "<script>alert('x')</script> & \\"quotes\\""
        description: "<img src=x onerror=alert(1)>"
        parameters: {}
        """)
    )
    s = catalogue.load_scenario(path)
    page = site.render_index(
        [s],
        {
            "evil": {
                "last_status": "ok",
                "key_figures": {"latest_rank": 55.0},
                "previous_key_figures": {"latest_rank": 56.0},
            }
        },
    )
    assert "<script>" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &#34;quotes&#34;" in page  # jinja2's autoescape
    assert "changed since the previous run: was 56" in page


def test_a_figure_is_marked_changed_only_when_the_index_shows_another_number():
    """71.2 after 70.9 both read 71 at the rank's 0 decimals: no mark; 71.6 after 70.9 reads 72 after 71: marked."""
    s = catalogue.Scenario(name="r", path=Path("r.yaml"), notebook="ecosystem_rankings", title="t", description="")

    def page(now, before):
        record = {
            "last_status": "ok",
            "key_figures": {"latest_rank": now},
            "previous_key_figures": {"latest_rank": before},
        }
        return site.render_index([s], {"r": record})

    assert "changed since the previous run:" not in page(71.2, 70.9)
    assert "changed since the previous run: was 71" in page(71.6, 70.9)
    assert "changed since the previous run:" not in page(71.0, None)


@pytest.mark.parametrize(
    "text, fragment",
    [
        ("notebook: rd_paths\ntitle: t\nparameters: {target_year: 2020}\n", "parameter 'target_year'"),
        ("notebook: nope\ntitle: t\n", "unknown report 'nope'"),
        ("notebook: rd_paths\n", "'title' is required"),
        ("notebook: rd_paths\ntitle: t\nextra: 1\n", "unknown key"),
        ("- a list\n", "must be a mapping"),
        (
            "notebook: rd_paths\ntitle: t\ndescription: '{growth:pct.0}'\n",
            "{growth} is not a parameter of rd_paths with",
        ),
        (
            "notebook: rd_paths\ntitle: t\ndescription: 'to {nonstate_share_target_pct:pct}'\n",
            "{nonstate_share_target_pct} is",
        ),
        ("notebook: rd_paths\ntitle: t\ndescription: 'by {target_year}'\n", "{target_year} needs a kind of number"),
        ("notebook: rd_paths\ntitle: t\ndescription: 'by {target_year:.0f}'\n", "format spec '.0f' is not a kind"),
        ("notebook: rd_paths\ntitle: t\ndescription: 'a { brace'\n", "write {{ for a brace"),
    ],
)
def test_bad_scenario_files_are_named_and_refused(tmp_path, text, fragment):
    path = tmp_path / "bad-one.yaml"
    path.write_text(text)
    with pytest.raises(catalogue.ScenarioError) as err:
        catalogue.load_scenario(path)
    assert str(path) in str(err.value) and fragment in str(err.value)


def test_a_description_says_the_parameters_value_in_each_language(tmp_path):
    """rd-high-growth's growth set to 9: its description said 10% (written by hand); it names the parameter now."""
    from analysis import i18n

    text = (paths.SCENARIOS_DIR / "rd-high-growth.yaml").read_text(encoding="utf-8")
    (tmp_path / "rd-high-growth.yaml").write_text(text.replace("growth_pct: 10.0", "growth_pct: 9.0"), encoding="utf-8")
    s = catalogue.load_scenario(tmp_path / "rd-high-growth.yaml")
    assert s.described().startswith("A high-growth case: real growth of 9% a year from 2026")
    with i18n.language("vi"):
        assert s.described().startswith(
            "Trường hợp tăng trưởng cao: tăng trưởng GDP theo giá so sánh 9%/năm từ năm 2026"
        )


def test_refused_scenarios_fail_the_batch(workspace):
    (workspace / "scenarios" / "zz-bad.yaml").write_text(
        "notebook: rd_paths\ntitle: t\nparameters: {path_shape: zigzag}\n"
    )
    outcomes, _ = batch.run_all(langs=("en",), jobs=1, only="zz-*", log=lambda *_: None)
    assert statuses(outcomes) == {"zz-bad": "refused"}
    assert cli.main(["run-all", "--only", "zz-*", "--lang", "en"]) == 1


def test_the_committed_catalogue_is_valid():
    good, bad = catalogue.load_catalogue(Path(__file__).resolve().parents[1] / "scenarios")
    assert bad == [] and len(good) >= 10
    assert {s.notebook for s in good} == set(registry.names())


def test_the_targets_tracker_comes_first_on_the_index_with_its_counts(tmp_path):
    scen = []
    for name, notebook in (("rd-x", "rd_paths"), ("targets", "resolution_targets")):
        (tmp_path / f"{name}.yaml").write_text(f"notebook: {notebook}\ntitle: {name} title\nparameters: {{}}\n")
        scen.append(catalogue.load_scenario(tmp_path / f"{name}.yaml"))
    figures = {
        "targets_total": 23,
        "targets_on_track": 2,
        "targets_needs_acceleration": 1,
        "targets_off_track": 8,
        "targets_not_measurable": 6,
        "targets_without_period_data": 2,
        "targets_without_data": 4,
    }
    page = site.render_index(
        scen,
        {
            "targets": {"last_status": "ok", "key_figures": figures},
            "rd-x": {"last_status": "ok", "key_figures": {"gerd_target_usd_bn": 14.8}},
        },
    )
    assert page.index("targets title") < page.index("rd-x title")
    headers = ("Targets tracked", "On track", "Need acceleration", "Off track", "Not measurable")
    for header in (*headers, "No observation for the target period"):
        assert f">{header}</th>" in page
    assert ">No data in this project&#39;s sources</th>" in page  # as the tracker says it (the apostrophe escaped)
    assert registry.key_figures("resolution_targets", figures | {"other": 1}) == figures


def test_the_run_all_plan_says_plainly_what_it_does():
    from analysis.run.batch import Outcome, plan_line

    skipped = [Outcome(f"s{i}", "skipped", 0.0, "unchanged") for i in range(14)]
    assert plan_line(0, skipped, 2, False) == (
        "nothing to regenerate: all 14 reports are unchanged since their last successful run"
    )
    assert plan_line(0, skipped[:1], 2, False) == (
        "nothing to regenerate: the only report is unchanged since its last successful run"
    )
    assert plan_line(2, skipped[:12], 2, False) == (
        "regenerating 2 of 14 reports (12 unchanged, skipped) with 2 parallel jobs"
    )
    refused = [Outcome("bad", "refused", 0.0, "bad file")]
    assert plan_line(1, refused, 1, True) == (
        "regenerating 1 of 2 reports (forced: unchanged ones too) with 1 parallel job; 1 refused (see above)"
    )
    assert plan_line(0, refused, 1, False) == "nothing to regenerate; 1 refused (see above)"
    assert "(s)" not in plan_line(3, [], 1, False)


def test_the_scenarios_longest_at_their_last_run_go_to_the_workers_first(tmp_path, monkeypatch):
    monkeypatch.setattr(paths, "REPORTS_DIR", tmp_path)
    last = {"short": 3.5, "long": 9.0, "new": None, "edited": "slow"}  # run.json's seconds (None: no record)
    for name, seconds in last.items():
        if seconds is not None:
            (tmp_path / name).mkdir()
            (tmp_path / name / "run.json").write_text(json.dumps({"seconds": seconds}))
    scenarios = [catalogue.Scenario(n, tmp_path / f"{n}.yaml", "rd_paths", n, "", {}) for n in last]
    editions = batch.editions(scenarios)
    order = batch.schedule(editions)
    assert [[s.name for s in g] for g in order] == [
        ["new", "vi/new"],
        ["edited", "vi/edited"],
        ["long", "vi/long"],
        ["short", "vi/short"],
    ]
