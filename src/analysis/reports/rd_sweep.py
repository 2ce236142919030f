"""Many ``rd_paths`` scenarios at once: the one batch evaluator behind ``r57 sweep``, ``analysis.sweep`` and the
explorer's two-way map.

Every value is checked as on the command line. Rows are grouped by the settings that change what the data
resolve to (:func:`_free` says which parameters may vary inside a group); each group is resolved once, as
``r57 run`` resolves one scenario, and the vectorised engine evaluates the whole group in one call.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from functools import partial
from typing import Any

import numpy as np
import pandas as pd

from analysis.errors import ParameterError, R57Error
from analysis.models import engine, funding
from analysis.models.engine import PATH_GDP_COLUMNS, PATH_RD_COLUMNS
from analysis.models.path_core import values_by_year
from analysis.reports.params import PRESENTATION_PARAMS, ParamSpec, validate
from analysis.reports.rd_paths import RD_SPEC, RdData, RdResolved, engine_inputs, nonstate_floor_pct, resolve

MAX_SCENARIOS = 1_000_000  # the most rows of one sweep unless the caller allows more
MAX_CONTEXTS = 500  # distinct data resolutions one batch may need (about 20 ms each)

PARAM_NAMES = tuple(p.name for p in RD_SPEC.params if p.name not in PRESENTATION_PARAMS)
# the year-by-year figures of a path (paths=True), in the order of the frame's columns: the one-scenario path's,
# less what the parameters columns already give year by year (the science budget share)
PATH_COLUMNS = (*PATH_GDP_COLUMNS, *(k for k in PATH_RD_COLUMNS if k not in PARAM_NAMES))

ENGINE_COLUMNS = (*engine.SUMMARY_COLUMNS, "gerd_multiple")  # what the engine gives a sweep's scenario
# the units (the API's) of the engine's figures that rd_paths.ENGINE_FIGURES does not declare
ENGINE_UNITS = {"gerd_multiple": "times (target year over base year)"}
# the 3% rule as the index's consistency columns give it, from the scenario's inputs at the target year
CONSISTENCY = (
    "consistency_envelope_pct_at_floor",
    "consistency_budget_pct_at_floor",
    "consistency_nonbudget_needed_pct",
)
FIGURES = (*ENGINE_COLUMNS, "envelope_fits_all_years", *CONSISTENCY)  # a scenario's headline figures (paths=False)

Resolver = Callable[[dict[str, Any]], RdResolved]


# ----------------------------------------------------------------------------- the table of scenarios


def swept_table(
    grid: Mapping[str, Any] | None = None,
    random: Mapping[str, Any] | None = None,
    n: int = 0,
    seed: int = 0,
    max_scenarios: int | None = None,
    allow: str = "max_scenarios=",
) -> pd.DataFrame:
    """The swept parameters, one row per scenario: every combination of ``grid`` or ``n`` uniform draws.

    Parameters
    ----------
    grid : mapping, optional
        Parameter -> a list of its values (every combination is a row).
    random : mapping, optional
        Numeric parameter -> ``(low, high)``, drawn uniformly ``n`` times with ``seed`` (whole numbers for a
        whole-number parameter).
    n, seed : int
        How many draws, and the generator's seed.
    max_scenarios : int, optional
        The most rows allowed (default :data:`MAX_SCENARIOS`); a larger sweep is refused before it is built.
    allow : str
        How the caller raises the limit, for the message (``"--max-scenarios "`` on the command line).

    Returns
    -------
    pandas.DataFrame
        One column per swept parameter, values as given (checked by :func:`evaluate`).

    Raises
    ------
    ParameterError
        Naming the parameter (unknown, no values, not a list, bad bounds), ``grid``/``n`` (too many rows, nothing
        to sweep) or ``random`` (both kinds given).
    """
    if grid and random:
        raise ParameterError("random", "use either a grid or random draws, not both")
    if not grid and not random:
        raise ParameterError("grid", "nothing to sweep", "grid={NAME: [values]} or random={NAME: (low, high)}, n=...")
    limit = max_scenarios or MAX_SCENARIOS
    if grid:
        values = {name: _listed(name, v) for name, v in grid.items()}
        size = math.prod(len(v) for v in values.values())
    else:
        if isinstance(n, bool) or not isinstance(n, int) or n < 1:
            raise ParameterError("n", "random draws need a whole number n >= 1")
        size = n
    if size > limit:
        raise ParameterError(
            "grid" if grid else "n",
            f"the sweep has {size:,} scenarios, more than the limit",
            f"at most {limit:,}; pass {allow}{size} to allow it",
        )
    if grid:
        index = np.indices([len(v) for v in values.values()]).reshape(len(values), -1)
        return pd.DataFrame(
            {name: pd.Series(v).iloc[index[j]].to_numpy() for j, (name, v) in enumerate(values.items())}
        ).infer_objects()
    rng = np.random.default_rng(seed)
    return pd.DataFrame({name: _draws(name, bounds, n, rng) for name, bounds in random.items()})


def _spec(name: str) -> ParamSpec:
    """The spec of ``name``, a parameter a scenario table may hold (named in the refusal otherwise)."""
    if name in PARAM_NAMES:
        return RD_SPEC.spec(name)
    raise ParameterError(name, "unknown parameter for rd_paths, so it cannot be swept", ", ".join(PARAM_NAMES))


def _listed(name: str, values: Any) -> list[Any]:
    """A grid entry's values as a list (a list, tuple, range, array or Series of at least one value)."""
    _spec(name)
    if not isinstance(values, list | tuple | range | np.ndarray | pd.Series | pd.Index):
        raise ParameterError(
            name,
            f"the grid gives {values!r}, not a list of values",
            "a list of values, e.g. [5, 6.5, 8]; a value held fixed is given as a parameter of its own",
        )
    out = [v.item() if isinstance(v, np.generic) else v for v in values]
    if not out:
        raise ParameterError(name, "the grid lists no values", "a list of values")
    return out


def _draws(name: str, bounds: Any, n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` uniform draws within ``bounds`` (whole numbers for a whole-number parameter), bounds checked."""
    spec = _spec(name)
    if spec.kind not in ("int", "float", "float_or_year_map"):
        raise ParameterError(name, "cannot be drawn at random (not a number)", "give its values in a grid")
    try:
        lo, hi = (float(x) for x in bounds)
    except (TypeError, ValueError):
        raise ParameterError(name, f"{bounds!r} is not (low, high)", "two numbers, e.g. (4, 9)") from None
    if not (math.isfinite(lo) and math.isfinite(hi)) or lo > hi:
        raise ParameterError(name, f"{bounds!r} is not (low, high) with low <= high", "two finite numbers")
    for end in (lo, hi):  # each bound checked as on the command line
        spec.coerce(int(end) if spec.kind == "int" and end.is_integer() else end)
    if spec.kind == "int":
        return rng.integers(math.ceil(lo), math.floor(hi) + 1, n)
    return rng.uniform(lo, hi, n)


# ----------------------------------------------------------------------------- checking values


def _checked(spec: ParamSpec, column: pd.Series, raising: bool) -> tuple[pd.Series, np.ndarray]:
    """A column in canonical form (what ``spec.coerce`` returns; a missing number is ``None``) and the rows whose
    value ``spec.coerce`` refuses (raised at once when ``raising``)."""
    values = column.to_numpy()
    if values.dtype.kind in "fiu" and spec.kind in ("int", "float", "float_or_year_map"):
        x = values.astype(float)
        missing = np.isnan(x)
        ok = np.isfinite(x) & (x >= (-np.inf if spec.lo is None else spec.lo))
        ok &= x <= (np.inf if spec.hi is None else spec.hi)
        if spec.kind == "int":
            ok &= x == np.floor(x)
        if spec.nullable:
            ok |= missing
        bad = ~ok
        if raising and bad.any():
            first = values[np.argmax(bad)].item()
            spec.coerce(None if math.isnan(first) else first)  # the command line's message
            raise AssertionError(f"{spec.name}: {first!r} refused here but accepted by coerce")  # pragma: no cover
        out = pd.Series(np.where(ok, x, 0).astype(np.int64) if spec.kind == "int" else x, index=column.index)
        if missing.any():  # an empty value: the data fill it in, as for None
            out = out.astype(object).where(~missing, None)
        return out, bad
    codes = _codes(column)
    firsts = np.unique(codes, return_index=True)[1]
    canonical, refused = [], np.zeros(len(firsts), dtype=bool)
    for k, i in enumerate(firsts):  # each distinct value checked once
        v = _plain(values[i])
        try:
            canonical.append(spec.coerce(v))
        except ParameterError:
            if raising:
                raise
            canonical.append(None)
            refused[k] = True
    picked = np.empty(len(canonical), dtype=object)
    picked[:] = canonical
    series = pd.Series(picked[codes], index=column.index, dtype=object)
    return (series if any(isinstance(v, Mapping) for v in canonical) else series.infer_objects()), refused[codes]


def _plain(v: Any) -> Any:
    """A numpy scalar as the Python value the command line would give (NaN: empty)."""
    v = v.item() if isinstance(v, np.generic) else v
    return None if isinstance(v, float) and math.isnan(v) else v


def _given(name: str, table: pd.DataFrame, fixed: Mapping[str, Any]) -> bool:
    """Is ``name`` given (not left for the data to fill) in every scenario?"""
    return bool(table[name].notna().all()) if name in table else fixed.get(name) is not None


def _free(name: str, table: pd.DataFrame, fixed: Mapping[str, Any]) -> bool:
    """Can swept parameter ``name`` vary inside one resolved context (the engine takes its values as they are)?"""
    if name not in engine.SCENARIO_FIELDS:
        return False
    column = table[name]
    if column.isna().any() or (column.dtype == object and column.map(lambda v: isinstance(v, Mapping)).any()):
        return False  # a value the data or the years turn into numbers
    return all(_given(dep, table, fixed) for dep in RD_SPEC.spec(name).affects)


def _codes(column: pd.Series) -> np.ndarray:
    """One integer per distinct value of ``column`` (None and mappings included)."""
    if column.dtype != object:
        return pd.factorize(column, use_na_sentinel=False)[0]
    return pd.factorize(column.map(repr), use_na_sentinel=False)[0]  # 1 and True apart; mappings unhashable


# ----------------------------------------------------------------------------- the evaluator


def evaluate(
    scenarios: pd.DataFrame,
    data: RdData | None = None,
    *,
    fixed: Mapping[str, Any] | None = None,
    paths: bool = False,
    refused: str = "raise",
    resolver: Resolver | None = None,
) -> pd.DataFrame:
    """Every scenario of ``scenarios`` as ``r57 run`` computes it, through the vectorised engine.

    Parameters
    ----------
    scenarios : pandas.DataFrame
        One row per scenario, one column per ``rd_paths`` parameter swept (any other is held at its ``fixed``
        value or its default; ``None`` or NaN in a nullable parameter means the value the data give it).
    data : RdData, optional
        The data snapshots (loaded and verified when not given and no ``resolver`` is).
    fixed : mapping, optional
        Parameters held at one value in every scenario (the command line's ``-p``; ``lang`` is accepted and has
        no effect on a figure).
    paths : bool
        False: one row per scenario with the headline figures (:data:`FIGURES`); True: one row per scenario
        and year with :data:`PATH_COLUMNS`.
    refused : {"raise", "nan"}
        What a scenario the command line would refuse does: raise that refusal (its
        :class:`~analysis.errors.ParameterError`), or get no figures (NaN; no path rows with ``paths``).
    resolver : callable, optional
        Validated parameters -> :class:`~analysis.reports.rd_paths.RdResolved` (default
        :func:`~analysis.reports.rd_paths.resolve` over ``data``); the explorer passes one that remembers.

    Returns
    -------
    pandas.DataFrame
        ``scenario`` (the row's position in ``scenarios``), every parameter (with the value the data filled in
        where one was left empty), then the results. ``frame.attrs["notes"]`` holds the notes each resolution
        gave on how the data met the parameters.

    Raises
    ------
    ParameterError
        Naming the parameter: an unknown one, one both swept and held fixed, a value or combination the command
        line refuses (with ``refused="raise"``; a bad ``fixed`` value always), or a batch needing more than
        :data:`MAX_CONTEXTS` resolutions.
    """
    if refused not in ("raise", "nan"):
        raise ValueError(f"refused must be 'raise' or 'nan', not {refused!r}")
    raising = refused == "raise"
    if resolver is None:
        resolver = partial(resolve, data=data or RdData.load())
    fixed = _fixed(scenarios, fixed or {})
    table, bad = _checked_table(scenarios.reset_index(drop=True), raising)
    free = [c for c in table.columns if _free(c, table, fixed)]
    keyed = [c for c in table.columns if c not in free]
    columns = {c: table[c].to_numpy() for c in table.columns}
    n = len(table)
    params: dict[str, list[tuple[np.ndarray, Any]]] = {name: [] for name in PARAM_NAMES}
    frames: list[pd.DataFrame] = []
    notes: list[str] = []
    same_context: dict[engine.Context, list[tuple[np.ndarray, dict[str, Any]]]] = {}
    for rows in _groups(table, fixed, keyed, bad):
        got = _group(columns, fixed, rows, free, resolver, paths, raising)
        if got is None:  # refused as a whole: no figures
            continue
        r, cols, keep, result = got
        notes.extend(x for x in r.notes if x not in notes)
        if paths:
            frames.append(result)
            continue
        for name in PARAM_NAMES:
            params[name].append((rows, cols[name]))
        ctx, batch = result
        if keep.any():
            same_context.setdefault(ctx, []).append((rows[keep], batch))
    figures = _figures(same_context)
    if paths:
        out = pd.concat(frames) if frames else pd.DataFrame(columns=["scenario", "year", *PARAM_NAMES])
        out = out.sort_values(["scenario", "year"], kind="stable").reset_index(drop=True)
    else:
        out = pd.DataFrame(
            {"scenario": np.arange(n), **{k: _column(v, n) for k, v in (params | figures).items()}}, copy=False
        ).astype({"envelope_fits_all_years": "boolean"})  # missing where no year is rated, as the engine gives it
    out.attrs["notes"] = notes
    return out


def _figures(same_context: dict[engine.Context, list[tuple[np.ndarray, dict[str, Any]]]]) -> dict[str, list]:
    """Each figure's (rows, values) for the scenarios kept: one engine call per distinct context (groups that
    resolve to different defaults often share one)."""
    figures: dict[str, list[tuple[np.ndarray, Any]]] = {name: [] for name in FIGURES}
    for ctx, parts in same_context.items():
        batch = _stacked([(batch, len(kept)) for kept, batch in parts])
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            table = engine.evaluate(ctx, batch, columns=ENGINE_COLUMNS)
            table = table.assign(**_consistency(batch, len(table)))
        start = 0
        for kept, _ in parts:
            for name in FIGURES:
                figures[name].append((kept, table[name].to_numpy()[start : start + len(kept)]))
            start += len(kept)
    return figures


def _consistency(batch: dict[str, Any], n: int) -> dict[str, np.ndarray]:
    """Each scenario's :data:`CONSISTENCY` figures from its inputs at the target year, as ``r57 run`` gives them."""

    def at_target(name: str) -> np.ndarray:
        v = np.asarray({**engine.OPTIONAL_FIELDS, **batch}[name], dtype=float)
        return np.broadcast_to(v[..., -1] if v.ndim == 2 else v, (n,))

    names = ("target_share_pct", "science_budget_share_pct", "budget_exp_pct_gdp", "envelope_rd_share_pct")
    figures = funding.consistency_at_floor(*(at_target(k) for k in names), nonstate_floor_pct())
    return {k: figures[k] for k in CONSISTENCY}


def _checked_table(table: pd.DataFrame, raising: bool) -> tuple[pd.DataFrame, np.ndarray]:
    """Every column checked as on the command line (:func:`_checked`), and the rows with a refused value."""
    bad = np.zeros(len(table), dtype=bool)
    checked = {}
    for name in table.columns:
        checked[name], refusals = _checked(_spec(str(name)), table[name], raising)
        bad |= refusals
    return pd.DataFrame(checked, index=table.index), bad


def _fixed(scenarios: pd.DataFrame, fixed: Mapping[str, Any]) -> dict[str, Any]:
    """The parameters held fixed, each value checked as on the command line (``lang`` checked, then left out)."""
    clash = sorted(set(scenarios.columns) & set(fixed))
    if clash:
        raise ParameterError(clash[0], "is both swept and held fixed", "give it once: swept, or held fixed")
    out = {}
    for name, value in fixed.items():
        if name in PRESENTATION_PARAMS:  # how a report reads, never a figure
            RD_SPEC.spec(name).coerce(value)
        else:
            out[name] = _spec(name).coerce(_plain(value))
    return out


def _column(parts: list[tuple[np.ndarray, Any]], n: int) -> Any:
    """One column's values for ``n`` scenarios from each group's (rows, values); a row no group has is empty (a
    refused scenario: no figures)."""
    arrays = [v if isinstance(v, np.ndarray) and v.dtype.kind in "biufU" else None for _, v in parts]
    if len(parts) == 1 and arrays[0] is not None and len(parts[0][0]) == n:  # one group: every row, in order
        return arrays[0]
    if parts and all(a is not None for a in arrays) and sum(len(r) for r, _ in parts) == n:
        out = np.empty(n, dtype=np.result_type(*arrays))
    else:
        out = np.empty(n, dtype=object)
    for rows, values in parts:
        out[rows] = values
    return out if out.dtype != object else pd.Series(out).infer_objects()


def _groups(table: pd.DataFrame, fixed: dict[str, Any], keyed: list[str], bad: np.ndarray) -> list[np.ndarray]:
    """Row positions of each group of scenarios sharing one data resolution (refused rows left out)."""
    good = np.flatnonzero(~bad)
    if not keyed:
        return [good] if len(good) else []
    codes = pd.DataFrame({c: _codes(table[c]) for c in keyed}).iloc[good]
    groups = [good[np.asarray(v)] for v in codes.groupby(keyed, sort=False).indices.values()]
    groups.sort(key=lambda g: g[0])
    if len(groups) > MAX_CONTEXTS:
        worst = max(keyed, key=lambda c: codes[c].nunique())
        empty = [d for d in RD_SPEC.spec(worst).affects if not _given(d, table, fixed)]
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
    return groups


def _group(
    columns: dict[str, np.ndarray],
    fixed: dict[str, Any],
    rows: np.ndarray,
    free: list[str],
    resolver: Resolver,
    paths: bool,
    raising: bool,
) -> tuple[RdResolved, dict[str, Any], np.ndarray, Any] | None:
    """The scenarios ``rows`` of one group: resolved once, evaluated in one engine call.

    Returns the resolution, every parameter's values, which scenarios pass the command line's checks, and the
    engine's context and scenario fields for those (``paths``: their path rows); None when the group is refused."""
    m = len(rows)

    def row(i: int) -> dict[str, Any]:
        return {**fixed, **{k: _plain(v[rows[i]]) for k, v in columns.items()}}

    stated = columns["target_share_pct"][rows].astype(float) if "target_share_pct" in free else np.ones(m)
    given = columns["base_share_pct"][rows].astype(float) if "base_share_pct" in free else np.ones(m)
    try:  # resolved at the scenario most likely to pass the command line's base-over-target check
        r = resolver(validate("rd_paths", row(int(np.argmin(given / stated)))))
    except R57Error:
        if raising:
            raise
        return None
    ctx, batch = engine_inputs(r)
    cols: dict[str, Any] = {}
    for name in PARAM_NAMES:
        if name in free:
            cols[name] = columns[name][rows]
            batch[name] = cols[name] if name == "path_shape" else cols[name].astype(float)
        else:
            value = r.params[name]
            cols[name] = [value] * m if isinstance(value, Mapping | None) else np.full(m, value)
    if "target_share_pct" in free:  # the engine works on revised GDP; the column keeps the target as stated
        batch["target_share_pct"] = stated * (r.target_share_revised_pct / float(r.params["target_share_pct"]))
    refused = _base_over_target(batch, cols, columns["base_share_pct"][rows] if "base_share_pct" in columns else fixed)
    if raising and refused.any():
        resolver(validate("rd_paths", row(int(np.argmax(refused)))))  # the command line's refusal
        raise ParameterError("base_share_pct", "is more than ten times the target share")  # pragma: no cover
    keep = ~refused
    if not paths:
        return r, cols, keep, (ctx, _rows(batch, keep))
    if not keep.any():
        return r, cols, keep, pd.DataFrame()
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        _, arrays = engine.evaluate(ctx, _rows(batch, keep), keep_paths=True)
    frame = pd.DataFrame(cols, index=rows).infer_objects()
    return r, cols, keep, _tidy_paths(ctx, r, frame[keep], arrays)


def _base_over_target(batch: dict[str, Any], cols: dict[str, Any], base_given: Any) -> np.ndarray:
    """Which scenarios the command line refuses for a base share ten times the target: its check on the target as
    stated (when the base share is given: ``base_given`` holds each scenario's, or the fixed parameters) and the
    resolution's on revised GDP."""
    stated = np.asarray(cols["target_share_pct"], dtype=float)
    m = len(stated)
    base = np.asarray(batch["base_share_pct"], dtype=float) * np.ones(m)
    target = np.asarray(batch["target_share_pct"], dtype=float) * np.ones(m)
    if isinstance(base_given, Mapping):
        user = np.full(m, base_given.get("base_share_pct") is not None)
    else:
        user = np.array([v is not None for v in base_given], dtype=bool)
    return (user & (base > stated * 10)) | (base >= target * 10)


def _stacked(batches: list[tuple[dict[str, Any], int]]) -> dict[str, Any]:
    """The scenario fields of several groups sharing one context, one after the other: each field's value (one for
    the group, one per scenario, or a row per scenario of yearly values) broadcast to the group's ``m`` rows."""
    if len(batches) == 1:
        return batches[0][0]
    out = {}
    for k in batches[0][0]:
        parts = [(np.asarray(b[k]), m) for b, m in batches]
        width = max((p.shape[1] for p, _ in parts if p.ndim == 2), default=None)
        if width is None:
            out[k] = np.concatenate([np.broadcast_to(p, (m,)) for p, m in parts])
        else:  # a value per year in some group: every group's value as (m, years)
            out[k] = np.concatenate(
                [np.broadcast_to(p if p.ndim == 2 else p.reshape(-1, 1), (m, width)) for p, m in parts]
            )
    return out


def _rows(batch: dict[str, Any], keep: np.ndarray) -> dict[str, Any]:
    """The batch's per-scenario arrays cut to the rows kept (values shared by every row as they are)."""
    n = len(keep)
    return {k: v[keep] if np.ndim(v) >= 1 and np.shape(v)[0] == n and n > 1 else v for k, v in batch.items()}


def _tidy_paths(ctx: engine.Context, r: RdResolved, cols: pd.DataFrame, arrays: dict[str, np.ndarray]) -> pd.DataFrame:
    """(n, T) path arrays -> one row per scenario and year, parameters expanded year by year."""
    years = ctx.years
    n, t = len(cols), len(years)
    out: dict[str, Any] = {"scenario": np.repeat(cols.index.to_numpy(), t), "year": np.tile(years, n)}
    base_status = "observed" if r.start.status == "observed" else "estimate"
    out["status"] = np.tile(np.where(years == ctx.base_year, base_status, "required"), n)
    official = set(r.inputs.observed_years) | {ctx.base_year}
    out["gdp_status"] = np.tile(np.where(np.isin(years, list(official)), "official", "projected"), n)
    for key in PATH_COLUMNS:
        out[key] = arrays[key].reshape(-1)
    for name in PARAM_NAMES:
        out[name] = _per_year(name, cols[name], years)
    return pd.DataFrame(out).infer_objects()


def _per_year(name: str, values: pd.Series, years: np.ndarray) -> Any:
    """A parameter's value in each year of each scenario: year mappings expanded, growth empty in the base year."""
    if name == "science_budget_share_pct":
        return np.concatenate([funding.floor_path(v, years, name) for v in values])
    if name in engine.GROWTH_FIELDS:  # a mapping may start after official years it does not cover: empty there
        rows = []
        for v in values:
            start = min(v) if isinstance(v, Mapping) else years[1]
            after = years[years >= max(start, years[1])]
            rows.append(np.concatenate([np.full(len(years) - len(after), np.nan), values_by_year(v, after, name)]))
        return np.concatenate(rows)
    return np.repeat(values.to_numpy(), len(years))
