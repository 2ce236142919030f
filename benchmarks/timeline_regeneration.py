"""Where a forced rebuild's wall time goes: one ``run-all --force`` in-process, into a temporary reports folder,
with each phase's start and end (seconds since this script started) and, for each scenario, what its worker
and its kernel spent on a core, waiting for one (other load: Linux's /proc/PID/schedstat), and idle (neither).

Idle core time is what a faster schedule could use: before the first kernel, between the workers' last
reports, the site's pages at the end, and within each execution (the kernel's start and stop).

Run: .venv/bin/python benchmarks/timeline_regeneration.py [--jobs N]
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import header  # noqa: E402

T0 = time.perf_counter()


def schedstat(pid: int) -> tuple[float, float]:
    """(seconds on a core, seconds waiting for one) of process ``pid`` so far; zeros where /proc has none."""
    try:
        on_cpu, waiting, _ = Path(f"/proc/{pid}/schedstat").read_text().split()
    except (OSError, ValueError):
        return 0.0, 0.0
    return int(on_cpu) / 1e9, int(waiting) / 1e9


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    header("timeline of a forced rebuild")
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["R57_REPORTS_DIR"] = tmp
        log = Path(tmp) / ".timeline.jsonl"  # appended by the workers too (forked with these wrappers)

        def record(**row: object) -> None:
            with log.open("a", encoding="utf-8") as f:
                f.write(json.dumps(row) + "\n")

        from analysis.run import batch, kernel

        def timed(module: object, name: str) -> None:
            inner = getattr(module, name)

            @functools.wraps(inner)
            def wrapper(*a: object, **kw: object) -> object:
                start = time.perf_counter() - T0
                try:
                    return inner(*a, **kw)
                finally:
                    record(phase=name.strip("_"), start=start, end=time.perf_counter() - T0)

            setattr(module, name, wrapper)

        for name in ("_warm_up", "_publish"):
            timed(batch, name)
        kernel_cpu: dict[int, tuple[float, float]] = {}  # the worker's last kernel, read just before it stops
        stop = kernel.R57KernelManager._async_shutdown_kernel

        async def shutdown(self: kernel.R57KernelManager, *a: object, **kw: object) -> None:
            if pid := getattr(self.provisioner, "pid", None):
                kernel_cpu[os.getpid()] = schedstat(pid)
            await stop(self, *a, **kw)

        kernel.R57KernelManager._async_shutdown_kernel = kernel.R57KernelManager.shutdown_kernel = shutdown
        run_group = batch.run_group

        def group(scenarios: list, *a: object, **kw: object) -> object:
            start, before = time.perf_counter() - T0, schedstat(os.getpid())
            try:
                return run_group(scenarios, *a, **kw)
            finally:
                end, after = time.perf_counter() - T0, schedstat(os.getpid())
                k_cpu, k_wait = kernel_cpu.pop(os.getpid(), (0.0, 0.0))
                w_cpu, w_wait = after[0] - before[0], after[1] - before[1]
                idle = end - start - w_cpu - w_wait - k_cpu - k_wait
                record(
                    phase=scenarios[0].name,
                    worker=os.getpid(),
                    start=start,
                    end=end,
                    cpu=w_cpu + k_cpu,
                    wait=w_wait + k_wait,
                    idle=idle,
                )

        batch.run_group = group
        record(phase="imports", start=0.0, end=time.perf_counter() - T0)
        batch.run_all(jobs=args.jobs, force=True, log=lambda *_: None)
        wall = time.perf_counter() - T0
        rows = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    print(f"   {'phase':24s} {'start':>6s} {'end':>6s}  worker  core s  waiting  idle")
    for r in sorted(rows, key=lambda r: r["start"]):
        line = f"   {r['phase']:24s} {r['start']:6.1f} {r['end']:6.1f}"
        if "worker" in r:
            line += f"  {r['worker']:6d}  {r['cpu']:6.2f}  {r['wait']:7.2f}  {r['idle']:4.2f}"
        print(line)
    groups = [r for r in rows if "worker" in r]
    first, last = min(r["start"] for r in groups), max(r["end"] for r in groups)
    busy = sum(r["end"] - r["start"] for r in groups)
    print(
        f"   wall {wall:.1f} s; before the first report {first:.1f} s, after the last {wall - last:.1f} s; "
        f"workers idle between reports {args.jobs * (last - first) - busy:.1f} core s; within the reports "
        f"{sum(r['idle'] for r in groups):.1f} s (their cores {sum(r['cpu'] for r in groups):.1f} s, "
        f"waiting for a core {sum(r['wait'] for r in groups):.1f} s)"
    )


if __name__ == "__main__":
    main()
