"""The live explorer: time from a control's change to updated figures, charts and map (headless).

Each change sets a widget's value the way a browser would (the traitlet), which fires the explorer's own
observer: validate the settings like the command line, context_for + one engine.evaluate with paths,
then redraw the status, key figures, three SVG charts and the two-way map (one more engine call over a
21 x 21 grid, which reuses the context the scenario just resolved). The context cache is emptied before
every change, so each is timed as settings never seen before. What the browser then takes to receive
and paint the HTML is not included.

A language switch (the English / Tiếng Việt selector) relabels every control and redraws the status, figures,
charts and map in the other language with the settings kept; it is timed the same way (context cache emptied).

Run: .venv/bin/python benchmarks/bench_explorer.py   (or make bench)
"""

from __future__ import annotations

import itertools
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import header, verdict  # noqa: E402
from analysis.run import explore  # noqa: E402
from analysis.run.explore_ui import ExplorerUI  # noqa: E402

TARGET_MS = 100.0
CHANGES = [  # (control, values cycled through): a slider, a dropdown, a year-by-year field, a second slider
    ("target_share_pct", [1.5, 2.5, 3.0, 2.0]),
    ("path_shape", ["linear", "logistic", "back_loaded", "geometric"]),
    ("real_gdp_growth_pct", ["{2026: 8, 2028: 6.5}", "7", "{2026: 7.5}", "6.5"]),
    ("nonstate_share_target_pct", [50.0, 70.0, 80.0, 60.0]),
]
ROUNDS = 15
SWITCHES = 40  # language switches timed, alternating vi and en


def main() -> None:
    header("live explorer: control change -> updated figures, charts and map")
    ui = ExplorerUI(explore.Explorer())
    timings: dict[str, list[float]] = {name: [] for name, _ in CHANGES}
    for _ in range(ROUNDS):
        for name, values in CHANGES:
            for v in values:
                ui.ex._contexts.clear()  # every change is timed as new settings: nothing reused from an earlier one
                t = time.perf_counter()
                ui.widgets[name].value = v  # fires the observer: compute + redraw, as a browser change does
                timings[name].append(time.perf_counter() - t)
    every = list(itertools.chain.from_iterable(timings.values()))
    for name, ts in timings.items():
        print(
            f"   {name:28s} median {statistics.median(ts) * 1000:6.1f} ms, 90th percentile "
            f"{statistics.quantiles(ts, n=10)[-1] * 1000:6.1f} ms over {len(ts)} changes"
        )
    compute_only = statistics.median(ui.timings[1:])  # ui.update(): engine + figures + charts, without the map
    print(f"   of which engine + figures + charts alone: median {compute_only * 1000:.1f} ms")
    print(
        f"   any control, median of {len(every)} changes: " + verdict(statistics.median(every) * 1000, TARGET_MS, "ms")
    )
    switches = []
    for i in range(SWITCHES):
        ui.ex._contexts.clear()
        t = time.perf_counter()
        ui.language.value = "vi" if i % 2 == 0 else "en"  # fires the selector's observer, as a click does
        switches.append(time.perf_counter() - t)
    print(
        f"   language switch (relabel + figures, charts and map redrawn), median of {len(switches)}, 90th percentile "
        f"{statistics.quantiles(switches, n=10)[-1] * 1000:.1f} ms: "
        + verdict(statistics.median(switches) * 1000, TARGET_MS, "ms")
    )
    ui.language.value = "vi"
    in_vi = []
    for _ in range(ROUNDS // 3):
        for name, values in CHANGES:
            for v in values:
                ui.ex._contexts.clear()
                t = time.perf_counter()
                ui.widgets[name].value = v
                in_vi.append(time.perf_counter() - t)
    print(
        f"   any control in Vietnamese, median of {len(in_vi)} changes: "
        + verdict(statistics.median(in_vi) * 1000, TARGET_MS, "ms")
    )


if __name__ == "__main__":
    main()
