"""An IPython extension every report kernel loads (:class:`analysis.run.kernel.R57KernelManager`): what
survives a full garbage collection is frozen (:func:`gc.freeze`), so the next one walks only what was made
since, not again every library the notebook imported (4-6 full collections a report, 0.3-0.8 s in all)."""

from __future__ import annotations

import gc
from typing import Any


def _freeze_survivors(phase: str, info: dict[str, Any]) -> None:
    if phase == "stop" and info["generation"] == 2:
        gc.freeze()


def load_ipython_extension(ipython: Any) -> None:
    """Freeze the kernel's start-up objects and, from now on, the survivors of each full collection (still
    freed by reference counting; only a cycle among them that becomes garbage stays until the kernel stops)."""
    gc.freeze()
    if _freeze_survivors not in gc.callbacks:
        gc.callbacks.append(_freeze_survivors)
