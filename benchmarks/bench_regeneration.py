"""`make reports` from a warm .venv: total wall time, per-report time, the floor, the no-change rerun,
and report page sizes.

The floor is what a report costs before its own work: starting a bare kernel and importing the
report's libraries. Issue 24 asks for the whole catalogue within 1.5 x (floor x reports / jobs), and counts
a report as one page of one edition (its "forced rebuild of 30 reports"). Each scenario is now executed once
for both editions (its notebook shows both languages), so it pays that floor once for two pages: the ratio is
printed both ways, with the floor counted per report and per execution; the second is the stricter.

Other targets: a rerun with nothing changed under 3 s; every page under 1.5 MB.

Run: .venv/bin/python benchmarks/bench_regeneration.py   (or make bench). Uses a temporary reports
folder, so the real reports/ is left alone.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import header  # noqa: E402


def report_imports() -> dict[str, str]:
    """Each report's own imports as code, from its notebook's code cells (analysis.run.kernel.notebook_imports,
    as run-all's fingerprints read them)."""
    from analysis import paths
    from analysis.reports.registry import names as notebook_names
    from analysis.reports.registry import notebook_spec
    from analysis.run.kernel import notebook_imports

    out = {}
    for name in notebook_names():
        names = notebook_imports([paths.NOTEBOOKS_DIR / notebook_spec(name).notebook])
        out[name] = "\n".join(f"from {n.replace(':', ' import ')}" if ":" in n else f"import {n}" for n in names)
    return out


FLOOR_CPU: dict[tuple[str, str], float] = {}  # the kernel's CPU seconds for each floor's code and kernel, median


def floor_seconds(code: str, repeat: int = 3, kernel: str = "stock") -> float:
    """Median time to start a bare kernel, run ``code`` (the imports) and stop it: ``stock``, jupyter_client's
    own (the floor as issue 24 measured it); ``r57``, the kernel and manager every report runs with
    (analysis.run.kernel.R57KernelManager: without jupyter_client's 0.3 s of waiting, so a lower floor)."""
    from jupyter_client.manager import start_new_kernel
    from jupyter_client.utils import run_sync

    from analysis.run.kernel import R57KernelManager

    times, cpus = [], []
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        if kernel == "stock":
            km, kc = start_new_kernel(kernel_name="python3")
            execute, shutdown = kc.execute_interactive, km.shutdown_kernel
        else:
            km = R57KernelManager(kernel_name="r57")
            run_sync(km.start_kernel)()
            kc = km.client()
            kc.start_channels()
            run_sync(kc.wait_for_ready)(timeout=60)
            execute, shutdown = run_sync(kc.execute_interactive), run_sync(km.shutdown_kernel)
        try:
            reply = execute(code, timeout=120)
            assert reply["content"]["status"] == "ok", reply["content"]
        finally:
            kc.stop_channels()
            shutdown(now=True)
        times.append(time.perf_counter() - t)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    FLOOR_CPU[code, kernel] = statistics.median(cpus)
    return statistics.median(times)


CPU: list[float] = []  # CPU seconds (user + system) of each run_all, its workers and kernels included


def run_all(env: dict[str, str], *extra: str) -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "analysis", "run-all", *extra],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return time.perf_counter() - t


def main() -> None:
    header("report regeneration")
    jobs = os.cpu_count() or 1
    codes = report_imports()
    floors = {name: floor_seconds(code) for name, code in codes.items()}
    r57_floors = {name: floor_seconds(code, kernel="r57") for name, code in codes.items()}
    for name, f in floors.items():
        print(
            f"   floor for {name} (bare kernel + its imports), median of 3: {f:.2f} s (kernel CPU "
            f"{FLOOR_CPU[codes[name], 'stock']:.2f} s); with r57's kernel manager {r57_floors[name]:.2f} s"
        )
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "R57_REPORTS_DIR": tmp}
        totals = [run_all(env, "--force", "--jobs", str(jobs)) for _ in range(2)]
        total = statistics.median(totals)
        # both editions: English in the site's root, Vietnamese in vi/
        editions = [Path(tmp), Path(tmp) / "vi"]
        reports = sorted(p for d in editions if d.is_dir() for p in d.iterdir() if (p / "run.json").exists())
        per = {p.relative_to(tmp).as_posix(): json.loads((p / "run.json").read_text())["seconds"] for p in reports}
        kinds = {p.relative_to(tmp).as_posix(): json.loads((p / "run.json").read_text())["notebook"] for p in reports}
        executed = [name for name in per if not name.startswith("vi/")]  # one execution publishes both editions
        floor_total = sum(floors[kinds[name]] for name in executed)
        print(
            f"   notebook executions: {len(executed)} for {len(per)} reports; floor x executions = {floor_total:.1f} s "
            f"(each execution's own floor, summed)"
        )
        floor_reports = sum(floors[kinds[name]] for name in per)
        r57_floor_reports = sum(r57_floors[kinds[name]] for name in per)
        print(
            f"   make reports (run-all --force, {len(per)} reports, {jobs} jobs), median of {len(totals)}: {total:.1f} s"
        )
        for what, floor in (
            ("reports (issue 24's words: a page of one edition)", floor_reports),
            ("executions", floor_total),
            ("reports, each floor with r57's kernel manager", r57_floor_reports),
        ):
            ratio = total / (floor / jobs)
            print(
                f"   1.5 x floor x {what} / jobs = {1.5 * floor / jobs:.1f} s: ratio {ratio:.2f}, "
                f"{'within' if ratio <= 1.5 else 'NOT within'} 1.5"
            )
        cpu = statistics.median(CPU[:2])
        print(
            f"   CPU of run-all --force (all processes), median: {cpu:.1f} s, {cpu / len(executed):.1f} s per execution "
            "(less sensitive to other load on the machine than the wall times)"
        )
        spent = sum(per[name] for name in executed) / jobs
        print(f"   outside the executions (wall - their seconds / jobs, the serial part): {total - spent:.1f} s")
        for name, sec in sorted(per.items(), key=lambda kv: -kv[1]):
            print(f"     {name:28s} {sec:5.1f} s")
        reruns = [run_all(env) for _ in range(3)]
        rerun = statistics.median(reruns)
        print(
            f"   rerun with nothing changed, median of 3: {rerun:.2f} s (target < 3 s: {'met' if rerun < 3 else 'NOT met'}; "
            f"CPU {statistics.median(CPU[2:]):.2f} s)"
        )
        sizes = {p.name: (p / "report.html").stat().st_size / 1e6 for p in reports}
        big = max(sizes, key=sizes.get)
        print(
            f"   largest page: {big} {sizes[big]:.2f} MB (target < 1.5 MB: {'met' if sizes[big] < 1.5 else 'NOT met'}); "
            f"index.html {(Path(tmp) / 'index.html').stat().st_size / 1e3:.0f} kB"
        )


if __name__ == "__main__":
    main()
