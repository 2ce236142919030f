"""r57 from Python: scenarios as tidy pandas frames, validated data sets, whole reports.

Import what you need from the package itself (``import analysis`` stays cheap: these load on first use)::

    from analysis import rd_paths, sweep, load_data, report

Parameters are the ``rd_paths`` report's (``r57 params rd_paths`` lists them with defaults, units and
allowed values) and are checked exactly as on the command line: a wrong name, type, range or
combination raises :class:`analysis.errors.ParameterError` naming the parameter and what is allowed.

Frames are tidy: one row per scenario and year (``sweep`` without ``paths=True``: one row per
scenario), every parameter as a column, and the unit of every column in ``frame.attrs["units"]``
(column -> unit; "" for a label). ``frame.attrs["kinds"]`` says which columns are parameters and
which are results.

>>> from analysis import rd_paths
>>> path = rd_paths()                                  # the default report's scenario: 2025 to 2030
>>> print(path[["year", "status", "gdp_status", "share_pct", "gerd_usd_bn"]].round(2).to_string(index=False))
 year   status gdp_status  share_pct  gerd_usd_bn
 2025 estimate   official       0.41         2.13
 2026 required  projected       0.57         3.14
 2027 required  projected       0.78         4.62
 2028 required  projected       1.07         6.81
 2029 required  projected       1.46        10.04
 2030 required  projected       2.00        14.79
>>> path.attrs["units"]["gerd_vnd_bn"]
'billion current VND'
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.data import datasets
from analysis.data.manifest import read_manifest
from analysis.reports import rd_sweep
from analysis.reports.rd_paths import RD_PARAMS, RdData
from analysis.reports.rd_sweep import MAX_CONTEXTS, MAX_SCENARIOS
from analysis.reports.registry import notebook_spec, validate
from analysis.run.runner import run_report

__all__ = ["MAX_CONTEXTS", "MAX_SCENARIOS", "load_data", "rd_paths", "report", "sweep"]

# units of the year-by-year results (the parameters' units come from their specs)
RESULT_UNITS: dict[str, str] = {
    "year": "year",
    "status": "",  # observed, estimate (the base year) or required (what the target requires)
    "gdp_status": "",  # official or projected
    "share_pct": "% of GDP",
    "gdp_vnd_bn": "billion current VND",
    "gdp_usd_bn": "billion current USD",
    "vnd_per_usd": "VND per USD",
    "real_index": "index, base year = 1",
    "price_index": "index, base year = 1",
    "gerd_vnd_bn": "billion current VND",
    "gerd_usd_bn": "billion current USD",
    "gerd_real_vnd_bn": "billion VND at base-year prices",
    "nonstate_share_pct": "% of GERD",
    "nonstate_gerd_vnd_bn": "billion current VND",
    "state_gerd_vnd_bn": "billion current VND",
    "nonstate_gerd_usd_bn": "billion current USD",
    "state_gerd_usd_bn": "billion current USD",
    "budget_exp_vnd_bn": "billion current VND",
    "envelope_vnd_bn": "billion current VND",
    "rd_envelope_vnd_bn": "billion current VND",
    "state_gerd_pct_budget": "% of budget expenditure",
    "state_gerd_pct_envelope": "% of the envelope",
    "state_gerd_pct_rd_envelope": "% of the envelope's R&D part",
    "fits_envelope": "true/false",
}
# units of the engine's one-row-per-scenario figures (sweep without paths=True)
SUMMARY_UNITS: dict[str, str] = {
    "share_cagr_pct": "% a year",
    "gdp_target_vnd_bn": "billion current VND",
    "gerd_target_vnd_bn": "billion current VND",
    "gerd_target_usd_bn": "billion current USD",
    "gerd_nominal_cagr_pct": "% a year",
    "gerd_real_cagr_pct": "% a year",
    "max_gerd_growth_pct": "% a year",
    "state_gerd_target_vnd_bn": "billion current VND",
    "nonstate_gerd_target_vnd_bn": "billion current VND",
    "nonstate_gerd_nominal_cagr_pct": "% a year",
    "state_gerd_pct_budget_target": "% of budget expenditure",
    "state_gerd_pct_envelope_target": "% of the envelope",
    "first_year_not_fitting": "year (-1: every year fits)",
    "max_share_growth_pct": "% a year",
    "state_gerd_pct_rd_envelope_target": "% of the envelope's R&D part",
    "envelope_fits_all_years": "true/false",
}
PARAM_NAMES = tuple(p.name for p in RD_PARAMS)


def _units(columns: Sequence[str]) -> dict[str, str]:
    units = {p.name: p.unit for p in RD_PARAMS} | RESULT_UNITS | SUMMARY_UNITS | {"scenario": ""}
    return {c: units.get(c, "") for c in columns}


def _finish(frame: pd.DataFrame, notes: Sequence[str] = ()) -> pd.DataFrame:
    frame.attrs["units"] = _units(list(frame.columns))
    frame.attrs["kinds"] = {c: "parameter" if c in PARAM_NAMES else "result" for c in frame.columns}
    if notes:
        frame.attrs["notes"] = list(notes)
    return frame


# ----------------------------------------------------------------------------- one scenario


def rd_paths(data: RdData | None = None, **params: Any) -> pd.DataFrame:
    """The R&D path of one scenario, year by year, as the ``rd_paths`` report computes it.

    ``params`` are the report's parameters (any left out take their defaults); ``data`` the data
    snapshots (loaded and verified when not given). Returns one row per year from ``base_year`` to
    ``target_year``: ``year``, ``status`` (``observed`` or ``estimate`` for the starting year, as
    the report labels it, then ``required``: what the target requires, not a forecast),
    ``gdp_status`` (``official`` or ``projected``), the path's figures, and every parameter as a
    column, with the values the data filled in where a parameter was left empty (the base share,
    the non-state shares, budget expenditure, the envelope's R&D part). A growth assumption or a
    budget floor given per year has that year's value in each row; growth assumptions are empty in
    the base year (they apply from the year after). Units: ``frame.attrs["units"]``; the notes the
    report prints on how the data met the parameters: ``frame.attrs["notes"]``.

    >>> p = rd_paths(target_year=2035, path_shape="linear")
    >>> len(p), p["year"].tolist()[-1], p["share_pct"].round(6).tolist()[-1]
    (11, 2035, 2.0)
    >>> rd_paths(target_year=2020)
    Traceback (most recent call last):
    ...
    analysis.errors.ParameterError: parameter 'target_year': 2020 is not after base_year 2025 (allowed: a year from 2026 to 2060)
    """
    given = validate("rd_paths", params)  # the command line's checks, in full, before any data are read
    frame = rd_sweep.evaluate(pd.DataFrame(index=[0]), data, fixed=given, paths=True)
    return _finish(frame.drop(columns="scenario"), frame.attrs["notes"])


# ----------------------------------------------------------------------------- many scenarios


def sweep(
    grid: Mapping[str, Any] | None = None,
    random: Mapping[str, tuple[float, float]] | None = None,
    n: int = 0,
    seed: int = 0,
    *,
    paths: bool = False,
    max_scenarios: int | None = None,
    data: RdData | None = None,
    **fixed: Any,
) -> pd.DataFrame:
    """Many ``rd_paths`` scenarios through the vectorised engine: a grid or random draws.

    ``grid`` maps parameters to lists of values (every combination is run); ``random`` maps numeric
    parameters to ``(low, high)`` bounds drawn uniformly ``n`` times with ``seed`` (whole numbers
    for ``base_year`` and ``target_year``). Any other ``rd_paths`` parameter may be given as a
    keyword and is held fixed. Every parameter can be swept, ``base_year`` and ``target_year``
    included: the data are resolved once per distinct set of the parameters that change them
    (at most MAX_CONTEXTS), and the engine runs once per set: the one batch evaluator
    (:func:`analysis.reports.rd_sweep.evaluate`) that ``r57 sweep`` and the explorer's map call, so each
    row is what ``r57 run`` computes for that scenario. Every value is checked as on the
    command line. More than ``max_scenarios`` (default 1,000,000) scenarios are refused before
    anything is computed.

    Returns one row per scenario (``scenario`` numbers them): every parameter, then the headline
    figures; with ``paths=True`` one row per scenario and year with the same columns as
    :func:`rd_paths`. Units: ``frame.attrs["units"]``.

    >>> s = sweep(grid={"real_gdp_growth_pct": [5, 6.5, 8], "target_year": [2030, 2035]}, path_shape="linear")
    >>> len(s), sorted(set(s["path_shape"].tolist())), sorted(set(s["target_year"].tolist()))
    (6, ['linear'], [2030, 2035])
    >>> len(sweep(grid={"target_year": [2030, 2035]}, paths=True))   # 6 + 11 years
    17
    >>> s.attrs["units"]["gerd_target_usd_bn"]
    'billion current USD'
    >>> sweep(grid={"path_shape": ["linear", "zigzag"]})
    Traceback (most recent call last):
    ...
    analysis.errors.ParameterError: parameter 'path_shape': 'zigzag' is not allowed (allowed: one of 'linear', 'geometric', 'logistic', 'back_loaded')
    """
    swept = rd_sweep.swept_table(grid, random, n, seed, max_scenarios)
    frame = rd_sweep.evaluate(swept, data, fixed=fixed, paths=paths)
    return _finish(frame, frame.attrs["notes"])


# ----------------------------------------------------------------------------- data and reports


def load_data(name: str) -> pd.DataFrame:
    """A dataset of ``data/raw``, verified against the manifest's checksum and its schema.

    The manifest's record of it (producer, dataset or indicator codes, edition, URL, retrieval date,
    licence, sha256, rows) is in ``frame.attrs["manifest"]``; its description in
    ``frame.attrs["description"]``; the unit of every indicator in ``frame.attrs["units"]``
    (indicator -> unit, from its ``unit`` column, which the schema checks). ``r57 data list`` lists the names.

    >>> gdp = load_data("vn_gdp")
    >>> gdp.attrs["manifest"]["file"], list(gdp.columns[:4])
    ('vn_gdp.csv', ['entity', 'entity_name', 'indicator', 'year'])
    >>> load_data("vn_nothing")
    Traceback (most recent call last):
    ...
    analysis.errors.DataError: unknown dataset 'vn_nothing'; known: ...
    """
    frame = datasets.load(name)
    spec = datasets.DATASETS[name]
    frame.attrs["name"] = name
    frame.attrs["description"] = spec.description
    frame.attrs["manifest"] = dict(read_manifest().entry(spec.file))
    if {"indicator", "unit"} <= set(frame.columns):
        frame.attrs["units"] = frame.groupby("indicator", sort=True)["unit"].first().to_dict()
    return frame


def report(name: str, output_dir: str | Path | None = None, **params: Any) -> dict[str, Any]:
    """Run report ``name`` (``rd_paths``, ``rd_feasibility``, ``ecosystem_rankings``,
    ``resolution_targets``) as ``r57 run`` does and return its results (``results.json``).

    The folder (default ``reports/<name>/default`` or ``custom-<digest>``) gets ``report.html``,
    ``results.json``, ``tables/*.csv`` and the executed notebook; its path is in the result's
    ``"run_dir"``. Parameters are validated before any kernel starts; an output folder r57 does not
    own is refused, as on the command line.

    >>> report("rd_paths", target_year=1999)
    Traceback (most recent call last):
    ...
    analysis.errors.ParameterError: parameter 'target_year': 1999 is out of range (allowed: a whole number from 2011 to 2060)
    """
    notebook_spec(name)  # an unknown report is named before anything else
    result = run_report(name, params, output_dir)
    return {**result.results, "run_dir": str(result.run_dir)}


# ----------------------------------------------------------------------------- the feasibility report's figures


def feasibility(data: RdData | None = None, **params: Any) -> dict[str, pd.DataFrame]:
    """The ``rd_feasibility`` report's figures as frames, computed in this process (no notebook, no kernel).

    ``params`` are the report's (``r57 params rd_feasibility``), checked as on the command line. Returns
    ``summary`` (one row: every key figure of the report's results.json that is a single number or text)
    and the report's tables as computed, before any wording: ``windows``, ``window_counts``,
    ``analogues``, ``peers``, ``fallbacks``, ``vintage_gaps``, ``decomposition``, ``researchers``,
    ``spending_per_researcher``, ``reached_target_by_income`` and ``exceed_curve`` (the probability that
    state-funded R&D exceeds the budget envelope in the target year, by non-budget share).

    >>> f = feasibility(n_simulations=500)
    >>> f["summary"][["base_year", "window_years", "low_start_economies_reaching"]].to_dict("records")
    [{'base_year': 2025, 'window_years': 5, 'low_start_economies_reaching': 0}]
    """
    from analysis.reports import rd_feasibility

    f = rd_feasibility.run(validate("rd_feasibility", params), data)
    scalars = {k: v for k, v in f.summary.items() if v is None or isinstance(v, (int, float, str))}
    return {
        "summary": pd.DataFrame([scalars]),
        "windows": f.windows,
        "window_counts": f.window_counts,
        "analogues": f.analogues,
        "peers": f.peer_table,
        "fallbacks": f.fallbacks,
        "vintage_gaps": f.vintage_gaps,
        "decomposition": f.decomposition,
        "researchers": f.researchers,
        "spending_per_researcher": f.spending_per_researcher,
        "reached_target_by_income": f.reached_at_income,
        "exceed_curve": f.exceed_curve,
    }
