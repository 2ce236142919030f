"""An IPython extension every report kernel loads (:class:`analysis.run.kernel.R57KernelManager`): after each
cell the garbage is collected and what is left is frozen (:func:`gc.freeze`), so later full collections walk
only what the next cells make, not again every library the notebook imported (4-6 full collections a report,
0.3-0.8 s in all).

What a cell makes and drops (a chart drawn and closed, a table shaped and shown) is freed as usual: only what
is still alive when its cell ends is frozen, which in a report is its imports, data and computed facts."""

from __future__ import annotations

import gc
from typing import Any


def collect_and_freeze(*_result: Any) -> None:
    """Free the garbage, then freeze what is alive (IPython's ``post_run_cell`` event)."""
    gc.collect()
    gc.freeze()


def load_ipython_extension(ipython: Any) -> None:
    """Freeze the kernel's start-up objects now, and what is alive after each cell."""
    collect_and_freeze()
    ipython.events.register("post_run_cell", collect_and_freeze)
