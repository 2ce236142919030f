"""Models: pure computations on pandas/numpy objects (paths, R&D model, engine, simulations, rankings).

Imports ``analysis.data`` and below, never ``reports`` or ``run``.
"""

from __future__ import annotations

import functools
import importlib
from typing import Any


class Lazy:
    """Module ``module`` (or its attribute ``attr``), imported on first use: scipy.stats and statsmodels stay out
    of the processes that import the models only for the reports' declarations (run-all's parent, the CLI)."""

    def __init__(self, module: str, attr: str | None = None) -> None:
        self._module, self._attr = module, attr

    @functools.cached_property
    def _target(self) -> Any:
        module = importlib.import_module(self._module)
        return getattr(module, self._attr) if self._attr else module

    def __getattr__(self, name: str) -> Any:
        return getattr(self._target, name)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._target(*args, **kwargs)
