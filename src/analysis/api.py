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

import itertools
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analysis.data import datasets
from analysis.data.manifest import read_manifest
from analysis.errors import ParameterError
from analysis.models import engine, funding
from analysis.models.path_core import values_by_year
from analysis.reports.params import ParamSpec
from analysis.reports.rd_paths import NONSTATE_FLOOR_PCT, RD_PARAMS, RdData, engine_inputs, resolve
from analysis.reports.registry import notebook_spec, validate
from analysis.run.runner import run_report

__all__ = ["MAX_CONTEXTS", "MAX_SCENARIOS", "load_data", "rd_paths", "report", "sweep"]

MAX_SCENARIOS = 1_000_000  # as r57 sweep: a larger sweep needs max_scenarios=
MAX_CONTEXTS = 500  # distinct data contexts one sweep may resolve (about 20 ms each)

GROWTH = ("real_gdp_growth_pct", "gdp_deflator_pct", "vnd_depreciation_pct")  # apply from the year after the base

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


def _spec(name: str) -> ParamSpec:
    for p in RD_PARAMS:
        if p.name == name:
            return p
    raise ParameterError(name, "unknown parameter for rd_paths", ", ".join(PARAM_NAMES))


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
    frame, notes = _scenarios(pd.DataFrame([{}]), validate("rd_paths", params), data, paths=True)
    return _finish(frame.drop(columns="scenario"), notes)


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
    (at most MAX_CONTEXTS), and the engine runs once per set. Every value is checked as on the
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
    swept = _swept_table(grid, random, n, seed, max_scenarios)
    clash = sorted(set(swept.columns) & set(fixed))
    if clash:
        raise ParameterError(clash[0], "is both swept and held fixed", "give it once: in grid/random or as a keyword")
    frame, notes = _scenarios(swept, validate("rd_paths", fixed), data, paths=paths)
    return _finish(frame, notes)


def _swept_table(
    grid: Mapping[str, Any] | None,
    random: Mapping[str, tuple[float, float]] | None,
    n: int,
    seed: int,
    max_scenarios: int | None,
) -> pd.DataFrame:
    """The swept parameters, one row per scenario, every value checked against its parameter's spec."""
    if grid and random:
        raise ParameterError("random", "use either a grid or random draws, not both")
    if not grid and not random:
        raise ParameterError("grid", "nothing to sweep", "grid={NAME: [values]} or random={NAME: (low, high)}, n=...")
    limit = max_scenarios or MAX_SCENARIOS
    if grid:
        values = {k: list(v) if not isinstance(v, (str, Mapping)) else [v] for k, v in grid.items()}
        for k, v in values.items():
            if not v:
                raise ParameterError(k, "the grid lists no values", "a list of values")
        size = math.prod(len(v) for v in values.values())
    else:
        if isinstance(n, bool) or not isinstance(n, int) or n < 1:
            raise ParameterError("n", "random draws need a whole number n >= 1")
        size = n
    if size > limit:
        raise ParameterError(
            "grid" if grid else "n",
            f"the sweep has {size:,} scenarios, more than the limit",
            f"at most {limit:,}; pass max_scenarios={size} to allow it",
        )
    if grid:
        for k, v in values.items():
            spec = _spec(k)
            values[k] = _checked(spec, v)
        rows = itertools.product(*values.values())
        return pd.DataFrame(list(rows), columns=list(values))
    rng = np.random.default_rng(seed)
    return pd.DataFrame({k: _draws(k, bounds, n, rng) for k, bounds in random.items()})


def _draws(name: str, bounds: Any, n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` uniform draws within ``bounds`` (whole numbers for a whole-number parameter), bounds checked."""
    spec = _spec(name)
    if spec.kind not in ("int", "float", "float_or_year_map"):
        raise ParameterError(name, "cannot be drawn at random (not a number)", "give its values in grid=")
    try:
        lo, hi = (float(x) for x in bounds)
    except (TypeError, ValueError):
        raise ParameterError(name, f"{bounds!r} is not (low, high)", "two numbers, e.g. (4, 9)") from None
    if not (math.isfinite(lo) and math.isfinite(hi)) or lo > hi:
        raise ParameterError(name, f"{bounds!r} is not (low, high) with low <= high", "two finite numbers")
    if spec.kind == "int":
        spec.coerce(int(lo) if lo.is_integer() else lo)
        spec.coerce(int(hi) if hi.is_integer() else hi)
        return rng.integers(math.ceil(lo), math.floor(hi) + 1, n)
    spec.coerce(lo)
    spec.coerce(hi)
    return rng.uniform(lo, hi, n)


def _checked(spec: ParamSpec, values: list[Any]) -> list[Any]:
    """Each value in canonical form (numpy numbers as Python ones), checked like a command-line value."""
    out = []
    seen: dict[Any, Any] = {}
    for v in values:
        v = v.item() if isinstance(v, np.generic) else v
        key = repr(v)
        if key not in seen:
            seen[key] = spec.coerce(v)
        out.append(seen[key])
    return out


# ----------------------------------------------------------------------------- the engine, by data context

# an engine field may vary within one resolved context unless an empty parameter's data default depends on it
_FREE_ALWAYS = {"path_shape", "logistic_steepness", "back_loaded_exponent", "nonstate_share_target_pct"}
_FREE_IF_SET = {  # free when every one of these is given (not empty)
    "budget_exp_pct_gdp": (),
    "envelope_rd_share_pct": (),
    "target_share_pct": (),  # a pre-revision target is converted in the engine's terms below
    "vnd_depreciation_pct": (),  # moves GDP in dollars only
    "real_gdp_growth_pct": ("budget_exp_pct_gdp",),  # the default budget share is over projected GDP
    "gdp_deflator_pct": ("budget_exp_pct_gdp",),
    "science_budget_share_pct": ("envelope_rd_share_pct",),  # the envelope's R&D part is calibrated on it
    "nonstate_share_base_pct": ("envelope_rd_share_pct",),
    "base_share_pct": ("envelope_rd_share_pct", "nonstate_share_base_pct"),  # the funding account starts from it
}


def _free(name: str, column: pd.Series, fixed: dict[str, Any], swept: pd.DataFrame) -> bool:
    """Can ``name`` vary inside one resolved context (the engine takes its values as they are)?"""
    if name not in engine.SCENARIO_FIELDS or column.map(lambda v: isinstance(v, Mapping)).any():
        return False
    if name in _FREE_ALWAYS:
        return True
    if name not in _FREE_IF_SET:
        return False
    for dep in _FREE_IF_SET[name]:
        given = swept[dep].notna().all() if dep in swept else fixed.get(dep) is not None
        if not given:
            return False
    return name != "base_share_pct" or column.notna().all()


def _scenarios(
    swept: pd.DataFrame, fixed: dict[str, Any], data: RdData | None, paths: bool
) -> tuple[pd.DataFrame, list[str]]:
    """Run every row of ``swept`` (parameters) over ``fixed`` (validated): one frame, scenarios in order."""
    data = data or RdData.load()
    free = [c for c in swept.columns if _free(c, swept[c], fixed, swept)]
    keyed = [c for c in swept.columns if c not in free]
    keys = swept[keyed].map(repr).agg("|".join, axis=1) if keyed else pd.Series("", index=swept.index)
    groups = list(keys.groupby(keys, sort=False).groups.values())
    if len(groups) > MAX_CONTEXTS:
        worst = max(keyed, key=lambda c: swept[c].map(repr).nunique())
        empty = [d for d in _FREE_IF_SET.get(worst, ()) if d not in swept and fixed.get(d) is None]
        why = (
            f"; the default of {' and '.join(empty)} (left empty) depends on it: give "
            f"{' and '.join(empty)} a number to sweep it freely"
            if empty
            else ""
        )
        raise ParameterError(
            worst,
            f"the sweep needs the data resolved for {len(groups):,} distinct settings, more than {MAX_CONTEXTS:,}{why}",
            "fewer distinct values (a grid)",
        )
    frames, notes = [], []
    for rows in groups:
        sub = swept.loc[rows]
        first = sub.iloc[0].to_dict()
        params = validate("rd_paths", {**fixed, **{k: first[k] for k in keyed}, **{k: first[k] for k in free}})
        params = {**params, **{k: fixed[k] for k in free}}  # free fields resolve at their fixed value
        r = resolve(params, data)
        ctx, batch = engine_inputs(r)
        cols = _parameter_columns(r, fixed, sub, keyed, free)
        _check_rows(cols)
        for k in free:
            batch[k] = cols[k].to_numpy()
        if "target_share_pct" in free:  # the engine works on revised GDP; the column keeps the target as stated
            batch["target_share_pct"] = cols["target_share_pct"].to_numpy() * (
                r.target_share_revised_pct / float(r.params["target_share_pct"])
            )
        if r.nonstate_target_tied and "nonstate_share_base_pct" in free:
            tied = np.maximum(NONSTATE_FLOOR_PCT, cols["nonstate_share_base_pct"].to_numpy(dtype=float))
            cols["nonstate_share_target_pct"] = batch["nonstate_share_target_pct"] = tied
        if not paths:
            table = engine.evaluate(ctx, batch)
            frames.append(pd.concat([cols.reset_index(drop=True), table], axis=1).set_index(sub.index))
        else:
            _, arrays = engine.evaluate(ctx, batch, keep_paths=True)
            frames.append(_tidy_paths(ctx, r, cols, arrays, sub.index))
        notes.extend(x for x in r.notes if x not in notes)
    if not paths:
        frame = pd.concat(frames).sort_index()
        frame.insert(0, "scenario", frame.index.to_numpy())
        return frame.reset_index(drop=True), notes
    frame = pd.concat(frames).sort_values(["scenario", "year"], kind="stable").reset_index(drop=True)
    return frame, notes


def _parameter_columns(
    r: Any, fixed: dict[str, Any], sub: pd.DataFrame, keyed: list[str], free: list[str]
) -> pd.DataFrame:
    """Every parameter for each row of ``sub``: swept values, else the resolved (data-filled) value."""
    cols = {}
    for name in PARAM_NAMES:
        if name in free:
            cols[name] = sub[name].to_numpy()
        else:
            value = r.params[name]
            cols[name] = [value] * len(sub) if isinstance(value, Mapping | None) else np.full(len(sub), value)
    frame = pd.DataFrame(cols, index=sub.index)
    return frame.infer_objects()


def _check_rows(cols: pd.DataFrame) -> None:
    """The command line's combination check, on the values that vary inside one context."""
    base, target = cols["base_share_pct"], cols["target_share_pct"]
    bad = base.notna() & (base.astype(float) > target.astype(float) * 10)
    if bad.any():
        raise ParameterError(
            "base_share_pct", "is more than ten times the target share", "a share below 10 x target_share_pct"
        )


def _tidy_paths(
    ctx: engine.Context, r: Any, cols: pd.DataFrame, arrays: dict[str, np.ndarray], index: pd.Index
) -> pd.DataFrame:
    """(n, T) path arrays -> one row per scenario and year, parameters expanded year by year."""
    years = ctx.years
    n, t = len(cols), len(years)
    out: dict[str, Any] = {"scenario": np.repeat(index.to_numpy(), t), "year": np.tile(years, n)}
    base_status = "observed" if r.start.status == "observed" else "estimate"
    out["status"] = np.tile(np.where(years == ctx.base_year, base_status, "required"), n)
    official = set(r.inputs.observed_years) | {ctx.base_year}
    out["gdp_status"] = np.tile(np.where(np.isin(years, list(official)), "official", "projected"), n)
    for key in RESULT_UNITS:
        if key in arrays:
            out[key] = arrays[key].reshape(-1)
    for name in PARAM_NAMES:
        out[name] = _per_year(name, cols[name], years)
    frame = pd.DataFrame(out)
    return frame.infer_objects()


def _per_year(name: str, values: pd.Series, years: np.ndarray) -> Any:
    """A parameter's value in each year of each scenario: year mappings expanded, growth empty in the base year."""
    if name == "science_budget_share_pct":
        return np.concatenate([funding.floor_path(v, years, name) for v in values])
    if name in GROWTH:  # a mapping may start after official years it does not cover: empty there
        rows = []
        for v in values:
            start = min(v) if isinstance(v, Mapping) else years[1]
            after = years[years >= max(start, years[1])]
            rows.append(np.concatenate([np.full(len(years) - len(after), np.nan), values_by_year(v, after, name)]))
        return np.concatenate(rows)
    return np.repeat(values.to_numpy(), len(years))


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
