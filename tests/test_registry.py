"""The registry of reports: each report declared once, and what it declares is what it does."""

from __future__ import annotations

import dataclasses
import json
import os
import re
import subprocess
import sys
import textwrap

import pytest

from analysis import paths
from analysis.data import datasets
from analysis.data.manifest import read_manifest
from analysis.errors import R57Error
from analysis.reports import provenance, registry
from analysis.run.catalogue import load_catalogue


def test_every_report_declares_figures_datasets_and_a_section():
    assert registry.names()[0] == "resolution_targets"  # the page a reader opens first
    for spec in registry.reports():
        assert spec.key_figures and spec.section and spec.datasets, spec.name
        assert set(spec.datasets) <= set(datasets.DATASETS), spec.name
        assert len({k.name for k in spec.key_figures}) == len(spec.key_figures)


def test_the_index_columns_come_from_the_reports_once_each():
    names = [k.name for k in registry.columns()]
    assert len(names) == len(set(names))
    assert set(names) == {k.name for spec in registry.reports() for k in spec.key_figures}


def test_a_report_reads_exactly_the_datasets_it_declares_and_its_footer_lists_them():
    """Run each report's model in a fresh process (no cache from other tests or reports: a child forked per
    report from one process that has only imported them and read the catalogue) on its defaults and on each
    catalogue scenario for it, and watch which data files the child opens (a Python audit hook on ``open``,
    independent of ``datasets.load``'s own record): each run reads only declared datasets, its provenance
    (footer and results.json) lists exactly the files it opened, and every declared dataset is read by some
    run (a declaration nothing reads would make the pre-kernel check and the fingerprint watch a file the
    report never uses)."""
    code = textwrap.dedent("""
        import json, os, sys, traceback
        from analysis import paths
        from analysis.data import datasets
        from analysis.reports import provenance, registry
        from analysis.run.catalogue import load_catalogue
        raw = os.path.realpath(paths.RAW_DATA_DIR) + os.sep
        opened = set()
        def watch(event, args):
            if event == "open" and isinstance(args[0], (str, os.PathLike)):
                path = os.path.realpath(args[0])
                if path.startswith(raw) and path.endswith(".csv"):
                    opened.add(os.path.basename(path))
        sys.addaudithook(watch)
        catalogue = load_catalogue()[0]
        def runs_of(report):
            module = next(m for m in registry.REPORT_MODULES if m.__name__.endswith(report))
            runs = []
            for given in [{}] + [s.parameters for s in catalogue if s.notebook == report]:
                datasets._READ.clear()
                datasets.clear_cache()  # each run opens what it reads (the catalogue's checks loaded some)
                opened.clear()
                # the report's figures: the page's where they read more than the model (rd_paths' first screen)
                getattr(module, "page_facts", module.run)(registry.validate(report, given))
                footer = provenance.provenance_record(report)["data_versions"]
                runs.append({"read": sorted(datasets.read_so_far()), "footer": list(footer), "opened": sorted(opened)})
            return runs
        found = {}
        for report in registry.names():
            read_end, write_end = os.pipe()
            pid = os.fork()
            if pid == 0:  # the child: its runs down the pipe, or its traceback and a failing exit
                status = 1
                try:
                    os.write(write_end, json.dumps(runs_of(report)).encode())
                    status = 0
                except BaseException:
                    traceback.print_exc()
                finally:
                    sys.stderr.flush()
                    os._exit(status)
            os.close(write_end)
            with os.fdopen(read_end) as fh:
                text = fh.read()
            if os.waitpid(pid, 0)[1] != 0:
                sys.exit(f"{report}: its child failed")
            found[report] = json.loads(text)
        print(json.dumps(found))
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=900)
    assert out.returncode == 0, out.stderr[-2000:]
    found = json.loads(out.stdout.strip().splitlines()[-1])
    assert set(found) == set(registry.names())
    for report, runs in found.items():
        declared = set(registry.datasets(report))
        for run in runs:
            assert run["read"], f"{report} loaded no dataset through datasets.load"
            assert set(run["read"]) <= declared, (report, set(run["read"]) - declared)
            assert run["footer"] == run["opened"], f"{report}: the footer does not list exactly the files it opened"
        assert set().union(*(run["read"] for run in runs)) == declared, report


def test_a_report_that_reads_an_undeclared_dataset_fails_with_the_dataset_named(monkeypatch):
    """A real run of the model whose declaration leaves out a dataset it reads (vn_gdp) cannot write its record."""
    from analysis.reports import params, rd_paths

    spec = params.notebook_spec("rd_paths")
    without = dataclasses.replace(spec, datasets=tuple(d for d in spec.datasets if d != "vn_gdp"))
    monkeypatch.setitem(params._REGISTRY, "rd_paths", without)
    datasets._READ.clear()
    rd_paths.run(registry.validate("rd_paths", {}))
    with pytest.raises(R57Error, match=r"rd_paths read vn_gdp but does not declare it") as raised:
        provenance.provenance_record("rd_paths")
    # the message sends the reader to the declaration itself: the report's module and its NotebookSpec's datasets=
    named = re.search(r"add it to datasets= of the NotebookSpec in (\S+\.py) \(declared: [^)]*\)", str(raised.value))
    assert named, str(raised.value)
    assert re.search(r"NotebookSpec\((.|\n)*\bdatasets=", (paths.PROJECT_ROOT / named[1]).read_text())
    with pytest.raises(R57Error, match="read none of its declared datasets"):
        provenance.provenance_record("rd_paths", [])


def test_the_footer_lists_what_was_read_with_each_files_checksum():
    record = provenance.provenance_record("rd_paths", ["vn_gerd", "vn_gdp"])
    manifest = read_manifest()
    assert record["data_versions"] == {
        "vn_gdp.csv": manifest.entry("vn_gdp.csv")["sha256"][:12],
        "vn_gerd.csv": manifest.entry("vn_gerd.csv")["sha256"][:12],
    }


def test_the_default_catalogue_has_a_scenario_for_every_report():
    catalogue, refused = load_catalogue()
    assert refused == []
    assert {s.notebook for s in catalogue} == set(registry.names())


def test_a_reports_provenance_reads_its_own_entry_without_importing_the_others():
    # a kernel running rd_paths pays for its own module only; another report's name still resolves
    code = textwrap.dedent(
        """
        import sys
        from analysis.reports import provenance, rd_paths
        assert provenance.datasets_read("rd_paths", ["vn_gdp"]) == ["vn_gdp"]
        assert "analysis.reports.resolution_targets" not in sys.modules
        assert provenance.datasets_read("resolution_targets", ["r57_targets"]) == ["r57_targets"]
        """
    )
    subprocess.run([sys.executable, "-c", code], check=True, env=os.environ.copy())


def test_run_alls_parent_imports_the_registry_without_scipy_stats_or_statsmodels():
    # the parent and the CLI only read the reports' declarations: the models import these where they are used
    code = textwrap.dedent(
        """
        import sys
        import analysis.run.batch, analysis.cli
        from analysis.reports import registry
        assert len(registry.names()) == len(registry.REPORT_MODULES)
        heavy = sorted(m for m in sys.modules if m.startswith(("scipy.stats", "statsmodels")))
        assert heavy == [], heavy
        from analysis.models import backtest
        f = backtest.forecast([2015, 2016, 2017, 2018, 2019], [1.0, 2.0, 2.5, 4.0, 5.0], [2021], "linear_trend")
        assert f.lo[0] < f.center[0] < f.hi[0] and "scipy.special" in sys.modules  # imported on first use
        """
    )
    subprocess.run([sys.executable, "-c", code], check=True, env=os.environ.copy())
