"""Profile what one scenario's notebook does in its kernel, in-process: its code cells run in order under
cProfile with the scenario's parameters injected after the parameters cell (as papermill does), the displays
discarded. The imports' own cost (the floor) is left out: the notebook's imports run before profiling starts.

Run: .venv/bin/python benchmarks/profile_kernel.py rd-feasibility [--top 40] [--sort tottime] [--out FILE]
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import json
import os
import pstats
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import header  # noqa: E402


def code_cells(notebook: Path) -> tuple[str, list[str]]:
    """The notebook's parameters cell and its other code cells, in order."""
    import nbformat

    nb = nbformat.read(notebook, as_version=4)
    cells = [c for c in nb.cells if c.cell_type == "code"]
    params = next(c for c in cells if "parameters" in c.metadata.get("tags", []))
    return params.source, [c.source for c in cells if c is not params]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario", help="a scenario's name, as in scenarios/NAME.yaml")
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--sort", default="cumulative", help="a pstats sort key: cumulative, tottime, ...")
    parser.add_argument("--out", help="write the raw profile here (for snakeviz or pstats)")
    parser.add_argument("--no-profile", action="store_true", help="time the cells without cProfile")
    parser.add_argument(
        "--shown", help="write what the notebook showed here, one display a line (to compare two trees)"
    )
    args = parser.parse_args()

    from analysis.run.kernel import single_thread_blas

    single_thread_blas()
    import matplotlib

    matplotlib.use("Agg")
    import IPython.display
    import yaml

    from analysis import paths
    from analysis.reports.registry import notebook_spec
    from analysis.run import kernel_gc
    from analysis.run.kernel import notebook_imports

    header(f"kernel profile of {args.scenario}")
    scenario = yaml.safe_load((paths.SCENARIOS_DIR / f"{args.scenario}.yaml").read_text(encoding="utf-8"))
    notebook = paths.NOTEBOOKS_DIR / notebook_spec(scenario["notebook"]).notebook
    params_cell, cells = code_cells(notebook)
    shown: list[object] = []
    IPython.display.display = lambda *objs, **_kw: shown.extend(objs)  # what the kernel would send to papermill

    os.chdir(paths.NOTEBOOKS_DIR)
    with tempfile.TemporaryDirectory() as tmp:
        ns: dict[str, object] = {"__name__": "__main__"}
        exec(params_cell, ns)  # noqa: S102 - the repository's own notebook
        ns.update(scenario.get("parameters") or {}, results_path=str(Path(tmp) / "results.json"))
        for name in notebook_imports([notebook]):  # the floor: not profiled
            module, _, attr = name.partition(":")
            exec(f"from {module} import {attr}" if attr else f"import {module}", {})  # noqa: S102
        kernel_gc.collect_and_freeze()  # as a report kernel does after each cell (R57KernelManager)
        gc_seconds = [0.0, 0.0, 0.0]  # time in the cyclic garbage collector, by generation
        started: list[float] = []

        def gc_timer(phase: str, info: dict[str, int]) -> None:
            if phase == "start":
                started.append(time.perf_counter())
            elif started:
                gc_seconds[info["generation"]] += time.perf_counter() - started.pop()

        gc.callbacks.append(gc_timer)
        prof = cProfile.Profile(time.process_time)  # CPU seconds: other load on the machine does not count
        before = resource.getrusage(resource.RUSAGE_SELF)
        t = time.perf_counter()
        if not args.no_profile:
            prof.enable()
        for source in cells:
            exec(compile(source, str(notebook), "exec"), ns)  # noqa: S102
            kernel_gc.collect_and_freeze()  # the kernel's post_run_cell hook
        prof.disable()
        wall = time.perf_counter() - t
        gc.callbacks.remove(gc_timer)
        after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    print(
        f"   {len(cells)} code cells, {len(shown)} displays: wall {wall:.2f} s, CPU {cpu:.2f} s{'' if args.no_profile else ' (under cProfile)'}"
    )
    print(
        f"   garbage collection: {sum(gc_seconds):.2f} s (by generation: {', '.join(f'{g:.2f}' for g in gc_seconds)})"
    )
    if args.out:
        prof.dump_stats(args.out)
    if args.shown:
        Path(args.shown).write_text("".join(json.dumps(d, sort_keys=True) + "\n" for d in shown), encoding="utf-8")
    if not args.no_profile:
        pstats.Stats(prof).sort_stats(args.sort).print_stats(args.top)


if __name__ == "__main__":
    main()
