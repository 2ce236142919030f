"""r57 from Python: scenarios as tidy pandas frames, validated data sets, whole reports.

    from analysis import rd_paths, sweep, load_data, report     # loaded on first use
    from analysis import feasibility, rankings, targets         # the other reports' figures, no kernel

Parameters (``r57 params rd_paths``) are checked as on the command line (:class:`~analysis.errors.ParameterError`).
Frames are tidy: one row per scenario and year (or per scenario), every parameter a column, each column's
unit in ``frame.attrs["units"]`` ("" for a label) and ``frame.attrs["kinds"]`` parameter or result.

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

import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from analysis import i18n
from analysis.data import datasets
from analysis.data.manifest import read_manifest
from analysis.models import backtest, decomposition, engine, peers
from analysis.models import feasibility as feasibility_model
from analysis.models import rankings as ranks
from analysis.models import targets as tracker
from analysis.reports import rd_sweep
from analysis.reports.params import PRESENTATION_PARAMS
from analysis.reports.rd_paths import ENGINE_FIGURES, RdData
from analysis.reports.rd_sweep import MAX_CONTEXTS, MAX_SCENARIOS
from analysis.reports.registry import notebook_spec, validate
from analysis.run.runner import preflight, run_report

__all__ = [
    "MAX_CONTEXTS",
    "MAX_SCENARIOS",
    "feasibility",
    "load_data",
    "rankings",
    "rd_paths",
    "report",
    "sweep",
    "targets",
]

# each other result column's unit ("" for a label): by the end of its name, else from UNITS
UNIT_ENDINGS = {
    "_vnd_bn": "billion current VND",
    "_usd_bn": "billion current USD",
    "_cagr_pct": "% a year",
    "_growth_pct": "% a year",
    "_pp": "percentage points",
    "_places": "places",
    "_places_per_year": "places a year",
    "_points_per_year": "percentile points a year",
    "_pct_per_year": "% a year",
    "_year": "year",
    "_edition": "year (edition)",
    "_years": "years",
}
# the columns no code declares a unit for: every frame's year (made by many)
COLUMNS_BY_UNIT = {"year": "year"}
# each column's own unit (a column named here has it whatever a report declares): as the code that makes it declares
# it (the engine's path, whose figures are rd_paths.ENGINE_FIGURES; the tracker's rows; the rankings', their
# backtests' and rd_feasibility's figures and frames), or as above
UNITS = {
    **engine.PATH_GDP_COLUMNS,
    **engine.PATH_RD_COLUMNS,
    **rd_sweep.ENGINE_UNITS,
    **tracker.ROW_UNITS,
    **backtest.SUMMARY_UNITS,
    **{
        column: unit
        for by_unit in (ranks.COLUMNS_BY_UNIT, feasibility_model.COLUMNS_BY_UNIT, COLUMNS_BY_UNIT)
        for unit, columns in by_unit.items()
        for column in columns.split()
    },
}
# a variant of a figure (its quantiles, bounds, budget readings, widened band or real-growth-only band) is in the
# figure's unit
VARIANT = re.compile(
    r"_(p10|p50|p90|lo|hi|at_budget_low|at_budget_high|low|median|high|mean_lo|mean_hi|widened|real_growth_only)(?=_|$)"
)


def declared_units(report: str) -> dict[str, str]:
    """The units of a report's key figures and parameters as it declares them, each variant's name
    (:data:`VARIANT`) shortened to its figure's; for ``rd_paths`` the engine's figures too."""
    spec = notebook_spec(report)
    figures = (*spec.key_figures, *(ENGINE_FIGURES if report == "rd_paths" else ()))
    return {VARIANT.sub("", f.name): f.unit for f in (*figures, *spec.params)}


# the rd_paths parameters' and figures' units as the report declares them (figures: its key figures, the engine's)
DECLARED_UNITS = declared_units("rd_paths")


def _unit(column: str, declared: Mapping[str, str] = DECLARED_UNITS) -> str:
    """A column's unit: its own (:data:`UNITS`), else as ``declared``, else by the end of its name; a variant of a
    figure (:data:`VARIANT`) in that figure's."""
    name = VARIANT.sub("", column)
    for units in (UNITS, declared):
        if column in units or name in units:
            return units.get(column, units.get(name))
    ending = next((e for e in sorted(UNIT_ENDINGS, key=len, reverse=True) if name.endswith(e)), None)
    return UNIT_ENDINGS.get(ending, "")


def _finish(frame: pd.DataFrame, notes: Sequence[str] = ()) -> pd.DataFrame:
    frame.attrs["units"] = {c: _unit(c) for c in frame.columns}
    frame.attrs["kinds"] = {c: "parameter" if c in rd_sweep.PARAM_NAMES else "result" for c in frame.columns}
    if notes:
        frame.attrs["notes"] = list(notes)
    return frame


def _report_frames(report: str, params: dict[str, Any], frames: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """``frames`` as the API returns report ``report``'s tables: a fresh index, units (its declared ones among
    them), and the parameters in ``attrs``."""
    given = {k: v for k, v in params.items() if k not in PRESENTATION_PARAMS}
    declared = DECLARED_UNITS | declared_units(report)
    out = {}
    for name, frame in frames.items():
        frame = frame.reset_index(drop=True).copy()
        frame.attrs = {"units": {c: _unit(c, declared) for c in frame.columns}, "params": given}
        out[name] = frame
    return out


def _summary_row(summary: Mapping[str, Any], names: Sequence[str] = ()) -> pd.DataFrame:
    """One row of ``summary``'s figures: numbers, true/false and codes (a string without a space, or a name in
    ``names``); lists, tables and sentences are left out."""
    keep = {
        k: v
        for k, v in summary.items()
        if v is None or isinstance(v, (bool, int, float)) or (isinstance(v, str) and (" " not in v or k in names))
    }
    return pd.DataFrame([keep])


def rd_paths(data: RdData | None = None, **params: Any) -> pd.DataFrame:
    """The R&D path of one scenario, year by year, as the ``rd_paths`` report computes it.

    ``params``: the report's parameters (defaults for those left out); ``data``: the data (loaded and
    verified when not given). One row per year from ``base_year`` to ``target_year``: ``year``,
    ``status`` (``observed``/``estimate``, then ``required``), ``gdp_status``, the path's figures and every
    parameter, filled in from the data where left empty (per-year values in their year; growth
    assumptions empty in the base year). ``frame.attrs["notes"]``: the report's notes on the data.

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
    """Many ``rd_paths`` scenarios through the vectorised engine (as ``r57 sweep`` and the explorer's map).

    ``grid``: parameter -> values (every combination); ``random``: parameter -> ``(low, high)``, drawn
    ``n`` times with ``seed``; ``fixed``: other parameters held. Any parameter can be swept (the data are
    resolved once per distinct set, at most MAX_CONTEXTS); more than ``max_scenarios`` (default 1,000,000)
    is refused before any work. One row per scenario (``scenario``): parameters, then headline figures;
    with ``paths=True`` one row per scenario and year, as :func:`rd_paths`.

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


def load_data(name: str) -> pd.DataFrame:
    """A dataset of ``data/raw`` (``r57 data list``), verified against the manifest and its schema; its
    manifest record, description and indicator units in ``frame.attrs``.

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
    """Run report ``name`` as ``r57 run`` does; return its ``results.json`` with ``"run_dir"``, the folder.

    >>> report("rd_paths", target_year=1999)
    Traceback (most recent call last):
    ...
    analysis.errors.ParameterError: parameter 'target_year': 1999 is out of range (allowed: a whole number from 2011 to 2060)
    """
    notebook_spec(name)  # an unknown report is named before anything else
    result = run_report(name, params, output_dir)
    return {**result.results, "run_dir": str(result.run_dir)}


def feasibility(data: RdData | None = None, **params: Any) -> dict[str, pd.DataFrame]:
    """The ``rd_feasibility`` report's figures, computed in this process (no kernel): ``summary`` (one
    row of its key figures) and its tables before any wording, by the names of the dict returned. Parameters
    (``r57 params rd_feasibility``) are checked as ``r57 run`` checks them; each frame's ``attrs["params"]``
    holds them with the defaults filled in, ``attrs["units"]`` each column's unit.

    >>> f = feasibility(n_simulations=500)
    >>> f["summary"][["base_year", "window_years", "low_start_economies_reaching"]].to_dict("records")
    [{'base_year': 2025, 'window_years': 5, 'low_start_economies_reaching': 0}]
    >>> f["windows"].attrs["units"]["rise_pp"], f["summary"].attrs["params"]["n_simulations"]
    ('percentage points', 500)
    """
    from analysis.reports import rd_feasibility

    p = preflight("rd_feasibility", params)
    f = rd_feasibility.run(p, data)
    out = _report_frames(
        "rd_feasibility",
        p,
        {
            "summary": _summary_row(f.summary),
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
        },
    )
    for name, units in {**decomposition.FRAME_UNITS, "peers": peers.table_units(f.peer_table.columns)}.items():
        out[name].attrs["units"].update(units)
    return out


def rankings(**params: Any) -> dict[str, pd.DataFrame]:
    """The ``ecosystem_rankings`` report's figures for one entity and index, computed in this process (no
    kernel). Parameters (``r57 params ecosystem_rankings``) are checked as ``r57 run`` checks them, the entity
    against the index's data included. Frames, by name:

    ``summary``: one row: the latest rank, the projection to ``target_year`` (``projected_rank``, its interval
    ``projected_rank_lo``/``_hi`` where one is given, ``prob_reach_target_pct``), the method and its backtest, the
    pace needed and seen, the regional standing (codes and numbers only); ``history``: the rank by edition;
    ``projection``: the projection edition by edition; ``backtest``: every index's backtest by horizon and method
    (``chosen``; ``note``: why, in English); ``field``: the number ranked by edition; ``regional``: Southeast Asia in
    the latest edition; ``drivers``: sub-index ranks (GII) or component changes (EGDI); ``targets``: the
    Resolution's ranking targets (``note``: the reason for the status, in English).

    >>> r = rankings()
    >>> r["summary"][["index_name", "entity", "latest_edition", "latest_rank", "regional_rank"]].to_dict("records")
    [{'index_name': 'startupblink_country', 'entity': 'VNM', 'latest_edition': 2025, 'latest_rank': 55.0, \
'regional_rank': 2}]
    >>> rankings(entity="Atlantis")
    Traceback (most recent call last):
    ...
    analysis.errors.ParameterError: parameter 'entity': ...
    """
    from analysis.reports import ecosystem_rankings

    p = preflight("ecosystem_rankings", params)
    with i18n.language("en"):  # the notes in English, as results.json has them
        R = ecosystem_rankings.words(ecosystem_rankings.run(p))
    names = ("entity_name", "best_observed_entity", "next_ahead", "best_observed_period")
    out = _report_frames(
        "ecosystem_rankings",
        p,
        {
            "summary": _summary_row(R.summary, names),
            "history": R.series.reset_index(),
            "projection": R.fan,
            "backtest": R.backtest_table.rename(columns={"why": "note"}),
            "field": R.field,
            "regional": R.regional.get("table", pd.DataFrame()),
            "drivers": R.drivers,
            "targets": R.targets.drop(columns=["target"]).rename(columns={"reason": "note"}),
        },
    )
    # a ranking target's figures are ranks; paces are places a year (read on the share ranked where pace_field is
    # given: the field they are given in), target_level_percentile the target on the latest field
    units = dict.fromkeys(["latest", "projected", "projected_lo", "projected_hi", "target_level"], "rank")
    out["targets"].attrs["units"].update(units | {"target_level_percentile": "percentile"})
    return out


# the tracker's columns of words (each target's text, definition and source, the method's reasons): the pages'
TRACKER_WORDS = "target text_vi target_as_written definition source method_why model_note projection_note".split()


def targets(**params: Any) -> pd.DataFrame:
    """The ``resolution_targets`` tracker, one row per target, computed in this process (no kernel).

    Parameters (``r57 params resolution_targets``) are checked as ``r57 run`` checks them. Columns: ``target_id``,
    ``unit``, ``latest_value`` and ``latest_year`` (always an observation: ``latest_low``/``_high`` are kept as
    columns and are always null), r57's own estimate of a later year beside it where there is one (T04:
    ``model_estimate``, ``model_estimate_year``, ``model_estimate_low``/``_high``; never part of the series),
    ``target_level`` and ``target_year``, the pace needed and seen (``pace_needed``, ``pace_short``, ``pace_long``,
    in ``pace_unit``; their ratios), ``status`` (``on track``, ``needs acceleration``, ``off track``, ``not
    measurable``, ``no data``) and ``reason_codes``, the projection to the target year (``projected``,
    ``projected_lo``/``_hi`` where an interval is given, ``projection_method`` and its backtest), ``note``: the
    reason for the status, in English. ``attrs["summary"]``: the counts by status; ``attrs["params"]``, ``["units"]``.

    >>> t = targets()
    >>> t.loc[t["target_id"] == "T01d", ["latest_value", "latest_year", "target_level", "status"]].to_dict("records")
    [{'latest_value': 71.0, 'latest_year': 2024.0, 'target_level': 50.0, 'status': 'off track'}]
    """
    from analysis.reports import resolution_targets

    p = preflight("resolution_targets", params)
    with i18n.language("en"):  # the notes in English, as results.json has them
        T = resolution_targets.words(resolution_targets.run(p))
    tracker = resolution_targets.english_pace_units(T.tracker.drop(columns=TRACKER_WORDS, errors="ignore"))
    frame = _report_frames("resolution_targets", p, {"tracker": tracker.rename(columns={"reason": "note"})})["tracker"]
    frame.attrs["summary"] = dict(T.summary)
    return frame
