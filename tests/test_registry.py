"""The registry of reports: each report declared once, and what it declares is what it does."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

from analysis.data import datasets
from analysis.reports import registry
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


@pytest.mark.parametrize("report", ["rd_paths", "rd_feasibility", "ecosystem_rankings", "resolution_targets"])
def test_a_report_reads_only_the_datasets_it_declares(report):
    """Run the report's model on its default parameters in a fresh process (no cache from other tests)
    and watch every dataset it loads: each must be declared, or the pre-kernel check and the
    fingerprint would miss it."""
    code = textwrap.dedent(f"""
        import json
        from analysis.data import datasets
        from analysis.reports import registry
        loaded, real = [], datasets.load
        def watching(name, *args, **kwargs):
            loaded.append(name)
            return real(name, *args, **kwargs)
        datasets.load = watching
        module = next(m for m in registry.REPORT_MODULES if m.__name__.endswith({report!r}))
        module.run(registry.validate({report!r}, {{}}))
        print(json.dumps(sorted(set(loaded))))
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr[-2000:]
    loaded = set(json.loads(out.stdout.strip().splitlines()[-1]))
    assert loaded, f"{report} loaded no dataset through datasets.load"
    assert loaded <= set(registry.datasets(report)), loaded - set(registry.datasets(report))


def test_the_default_catalogue_has_a_scenario_for_every_report():
    catalogue, refused = load_catalogue()
    assert refused == []
    assert {s.notebook for s in catalogue} == set(registry.names())
