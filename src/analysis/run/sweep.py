"""Parameter sweeps through the vectorised engine: a grid or random draws -> one row per scenario.

    r57 sweep --grid real_gdp_growth_pct=3:10:0.5 --grid path_shape=linear,geometric,logistic,back_loaded
    r57 sweep --random real_gdp_growth_pct=4:9 --random nonstate_share_target_pct=40:80 -n 100000 --seed 1

Fields not swept keep the rd_paths value (defaults, or -p NAME VALUE); every swept value is checked
against the parameter's allowed range. A sweep of more than MAX_SCENARIOS (1,000,000) scenarios is
refused before anything is computed unless ``--max-scenarios N`` allows it.
"""

from __future__ import annotations

import itertools
import math
from typing import Any

import numpy as np
import pandas as pd

from analysis.errors import ParameterError, shorten
from analysis.models import engine
from analysis.reports.numbers import write_csv  # the sweep CSV: fixed decimals per unit
from analysis.reports.rd_paths import RdData, context_for
from analysis.reports.registry import notebook_spec, validate

SWEEPABLE = tuple(f for f in engine.SCENARIO_FIELDS)
__all__ = ["MAX_SCENARIOS", "SWEEPABLE", "context_for", "parse_range", "sweep", "write_csv"]
MAX_SCENARIOS = 1_000_000  # default limit of one sweep's rows; --max-scenarios raises it
MAX_RANGE_VALUES = 10_000_000  # values one start:stop:step may expand to


def _check_values(name: str, values: np.ndarray) -> None:
    if name not in SWEEPABLE:
        raise ParameterError(name, "cannot be swept", ", ".join(SWEEPABLE))
    spec = notebook_spec("rd_paths").spec(name)
    for v in np.unique(values) if values.dtype.kind in "US" else [np.min(values), np.max(values)]:
        spec.coerce(v.item() if hasattr(v, "item") else v)


def parse_range(name: str, text: str) -> np.ndarray:
    """'3:10:0.5' -> 3, 3.5, ..., 10; 'a,b,c' -> list (numbers or shape names)."""
    if ":" in text:
        try:
            parts = [float(x) for x in text.split(":")]
        except ValueError:
            parts = []
        if len(parts) != 3 or not all(math.isfinite(x) for x in parts) or parts[2] <= 0 or parts[1] < parts[0]:
            raise ParameterError(
                name,
                f"range {shorten(text, 80)!r} must be start:stop:step with start <= stop and a positive step",
                "e.g. 3:10:0.5",
            )
        count = math.floor((parts[1] - parts[0]) / parts[2] + 0.5) + 1
        if count > MAX_RANGE_VALUES:
            raise ParameterError(name, f"range {text!r} has {count:,} values", f"at most {MAX_RANGE_VALUES:,}")
        return np.round(np.arange(parts[0], parts[1] + parts[2] / 2, parts[2]), 10)
    items = [x.strip() for x in text.split(",") if x.strip()]
    if not items:
        raise ParameterError(name, f"{shorten(text, 80)!r} lists no values", "start:stop:step or a,b,c")
    try:
        return np.array([float(x) for x in items])
    except ValueError:
        return np.array(items)


def sweep(
    params: dict[str, Any] | None = None,
    grid: dict[str, Any] | None = None,
    random: dict[str, tuple[float, float]] | None = None,
    n: int = 0,
    seed: int = 0,
    data: RdData | None = None,
    max_scenarios: int | None = None,
) -> pd.DataFrame:
    """Run a grid (every combination) or ``n`` uniform random draws through the engine.

    Returns the swept parameters and the engine's headline columns, one row per scenario. More than
    ``max_scenarios`` (default MAX_SCENARIOS) rows are refused before anything is computed.
    """
    limit = max_scenarios or MAX_SCENARIOS
    size = math.prod(len(v) for v in grid.values()) if grid else (n if random else 0)
    if size > limit:
        raise ParameterError(
            "grid" if grid else "n",
            f"the sweep has {size:,} scenarios, more than the limit",
            f"at most {limit:,}; pass --max-scenarios {size} to allow it",
        )
    p = validate("rd_paths", params or {})
    ctx, base = context_for(p, data)
    swept: dict[str, np.ndarray] = {}
    if grid:
        values = {k: np.asarray(v) for k, v in grid.items()}
        for k, v in values.items():
            _check_values(k, v)
        combos = list(itertools.product(*(range(len(v)) for v in values.values())))
        idx = np.array(combos, dtype=int).reshape(len(combos), len(values))
        for j, (k, v) in enumerate(values.items()):
            swept[k] = v[idx[:, j]]
    if random:
        if n < 1:
            raise ParameterError("n", "random draws need n >= 1")
        rng = np.random.default_rng(seed)
        for k, (lo, hi) in random.items():
            _check_values(k, np.array([lo, hi], dtype=float))
            swept[k] = rng.uniform(lo, hi, n)
        if grid:
            raise ParameterError("random", "use either a grid or random draws, not both")
    if not swept:
        raise ParameterError("grid", "nothing to sweep", "--grid NAME=values or --random NAME=lo:hi")
    batch = dict(base)
    batch.update(swept)
    table = engine.evaluate(ctx, batch)
    return pd.concat([pd.DataFrame(swept), table], axis=1)
