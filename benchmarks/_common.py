"""Shared helpers: medians of repeated timings, and a header naming the machine."""

from __future__ import annotations

import os
import platform
import statistics
import time
from collections.abc import Callable


def header(title: str) -> None:
    print(f"== {title}")
    print(f"   machine: {os.cpu_count()} cores, Python {platform.python_version()}, {platform.machine()}")


def median_time(fn: Callable[[], object], repeat: int = 5, warmup: int = 1) -> tuple[float, list[float]]:
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), times


def verdict(value: float, target: float, unit: str = "s") -> str:
    return f"{value:.3f} {unit} (target < {target:g} {unit}: {'met' if value < target else 'NOT met'})"
