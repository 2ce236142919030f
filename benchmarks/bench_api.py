"""The Python API's report functions (``analysis.api``), each computed in this process with no kernel, timed
in the order a new session meets them: the first call pays its imports and data loading, the second
``rankings`` index shows what a call costs once they are done. Then ``sweep`` over 1,000,000 random draws.

Run: .venv/bin/python benchmarks/bench_api.py   (or make bench); the figures docs/design.md quotes.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import header, median_time  # noqa: E402
from analysis import api  # noqa: E402

DRAWS = 1_000_000
CALLS = [  # (what is printed, the call), in this order: the first of each report pays its own imports
    ("rankings(), first call", lambda: api.rankings()),
    ("rankings(index_name='gii'), a second index", lambda: api.rankings(index_name="gii")),
    ("targets()", lambda: api.targets()),
    ("feasibility()", lambda: api.feasibility()),
]


def main() -> None:
    header("Python API: report figures in this process")
    for what, call in CALLS:
        t = time.perf_counter()
        call()
        print(f"   {what:45s} {time.perf_counter() - t:6.2f} s")
    draws = {"real_gdp_growth_pct": (4.0, 9.0), "target_share_pct": (1.5, 3.0)}
    med, times = median_time(lambda: api.sweep(random=draws, n=DRAWS, seed=1), repeat=3)
    print(f"   {'sweep(random=..., n=1,000,000)':45s} {med:6.2f} s (median of {len(times)})")


if __name__ == "__main__":
    main()
