"""Command line: ``r57`` (or ``python -m analysis``).

    r57 run rd_paths -p target_year 2035 -p path_shape logistic [-f params.yaml] [--output-dir DIR]
    r57 params rd_paths
    r57 compare rd-baseline rd-high-growth [--output-dir DIR] [--pdf]   # scenarios side by side
    r57 run-all [--jobs N] [--force] [--only PATTERN]   # regenerate the scenario catalogue and the site
    r57 data verify | r57 data build | r57 data list
    r57 kernel install [--user]                         # the project's Jupyter kernel, named r57
"""

from __future__ import annotations

import argparse
import os
import sys
import textwrap
from pathlib import Path

from . import __version__
from .errors import ParameterError, R57Error

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2
EXIT_BROKEN_PIPE = 128 + 13  # what a shell reports for a process ended by SIGPIPE


def _cmd_run(args: argparse.Namespace) -> int:
    from .params import load_params_file, parse_cli_value
    from .runner import run_report

    params = load_params_file(args.file) if args.file else {}
    for name, value in args.param or []:
        params[name] = parse_cli_value(value)
    result = run_report(args.report, params, args.output_dir,
                        on_start=lambda: print(f"r57: running {args.report} ...", flush=True))
    print(f"r57: report written to {result.run_dir / 'report.html'}")
    if args.pdf:
        from .pdf import html_to_pdf

        print(f"r57: PDF written to {html_to_pdf(result.run_dir / 'report.html')}")
    return EXIT_OK


def _cmd_compare(args: argparse.Namespace) -> int:
    from .compare import write_compare

    page = write_compare(args.names, args.output_dir, args.reports_dir, pdf=args.pdf)
    print(f"r57: comparison written to {page}" + (f" and {page.with_suffix('.pdf')}" if args.pdf else ""))
    return EXIT_OK


def _cmd_params(args: argparse.Namespace) -> int:
    from .params import describe, notebook_spec

    spec = notebook_spec(args.report)
    print(f"{spec.name}: {spec.title}\nnotebook: notebooks/{spec.notebook}\n")
    for row in describe(args.report):
        print(f"{row['name']}  (default: {row['default']}{', unit: ' + row['unit'] if row['unit'] else ''})")
        print(textwrap.fill(row["help"], 96, initial_indent="    ", subsequent_indent="    "))
        print(textwrap.fill("allowed: " + row["allowed"], 96, initial_indent="    ", subsequent_indent="      "))
        print(textwrap.fill("default because: " + row["why_default"], 96, initial_indent="    ", subsequent_indent="      "))
        print()
    if spec.extra_help:
        print(spec.extra_help())
    return EXIT_OK


def _cmd_run_all(args: argparse.Namespace) -> int:
    from .kernel_fork import single_thread_blas

    single_thread_blas()  # before numpy is imported: run-all forks, and runs reports in parallel anyway
    from .batch import run_all

    outcomes, _ = run_all(jobs=args.jobs, force=args.force, only=args.only, timeout_s=args.timeout, pdf=args.pdf)
    bad = [o for o in outcomes if o.status in ("failed", "refused")]
    for o in bad:
        print(f"r57: {o.status}: {o.scenario}: {o.message}", file=sys.stderr)
    if not outcomes:
        print("r57: no scenario matched", file=sys.stderr)
        return EXIT_ERROR
    return EXIT_ERROR if bad else EXIT_OK


def _cmd_data(args: argparse.Namespace) -> int:
    from . import paths
    from .datasets import DATASETS, verify_all

    if args.action == "verify":
        problems = verify_all(args.data_dir)
        for file, problem in problems:
            print(f"FAIL {file}: {problem}", file=sys.stderr)
        if problems:
            print(f"r57: {len(problems)} data problem(s) in {args.data_dir or paths.RAW_DATA_DIR}", file=sys.stderr)
            return EXIT_ERROR
        print(f"r57: all {len(DATASETS)} datasets match the manifest and their schemas")
        return EXIT_OK
    if args.action == "build":
        from .build_raw import build_all

        for e in build_all(args.reference):
            print(f"wrote data/raw/{e['file']}: {e['rows']} rows, sha256 {e['sha256'][:12]}")
        return EXIT_OK
    if args.action == "refresh":
        from .refresh import refresh

        for file, what in refresh().items():
            print(f"data/raw/{file}: {what}")
        return EXIT_OK
    if args.action == "list":
        from .manifest import read_manifest

        m = read_manifest()
        for name, e in sorted(m.entries.items()):
            print(f"{name:34s} {e['rows']:>6} rows  {e['edition'][:60]}")
        return EXIT_OK
    raise AssertionError(args.action)


def _cmd_sweep(args: argparse.Namespace) -> int:
    from .params import parse_cli_value
    from .sweep import parse_range, sweep

    def split(item: str) -> tuple[str, str]:
        if "=" not in item:
            raise ParameterError("sweep", f"{item!r} must be NAME=VALUES")
        k, v = item.split("=", 1)
        return k.strip(), v.strip()

    params = {n: parse_cli_value(v) for n, v in (args.param or [])}
    grid = {k: parse_range(k, v) for k, v in map(split, args.grid or [])}
    random = {}
    for k, v in map(split, args.random or []):
        lo, _, hi = v.partition(":")
        random[k] = (float(lo), float(hi))
    table = sweep(params, grid or None, random or None, args.n, args.seed)
    out = args.output or Path("reports") / "sweep.csv"
    out.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(out, index=False, float_format="%.6g")
    print(f"r57: {len(table):,} scenarios -> {out}")
    return EXIT_OK


def _cmd_kernel(args: argparse.Namespace) -> int:
    from .kernel import KERNEL_NAME, install_kernelspec

    where = install_kernelspec(user=args.user)
    print(f"r57: Jupyter kernel {KERNEL_NAME!r} ({sys.executable}) installed in {where}")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="r57", description="Resolution 57 analytical reports")
    parser.add_argument("--version", action="version", version=f"r57 {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="run one report with parameters")
    run.add_argument("report", help="report name, e.g. rd_paths (see `r57 params NAME`)")
    run.add_argument("-p", "--param", nargs=2, action="append", metavar=("NAME", "VALUE"),
                     help="set a parameter; VALUE is read as YAML (2030, 6.5, null, '{2026: 7.0}')")
    run.add_argument("-f", "--file", help="YAML file of parameters (name: value); -p overrides it")
    run.add_argument("--output-dir", type=Path, help="run folder (default: reports/<report>/<default|custom-hash>)")
    run.add_argument("--pdf", action="store_true", help="also write report.pdf (printed by headless Chromium)")
    run.set_defaults(func=_cmd_run)

    cmp_ = sub.add_parser("compare", help="one page setting scenarios side by side (paths, key figures, parameters)")
    cmp_.add_argument("names", nargs="+", metavar="NAME",
                      help="scenario names (reports/<NAME>/results.json) or run folders; the first is the reference")
    cmp_.add_argument("--output-dir", type=Path, help="folder for compare.html (default: reports/compare)")
    cmp_.add_argument("--reports-dir", type=Path, help="where the scenarios' report folders are (default: reports)")
    cmp_.add_argument("--pdf", action="store_true", help="also write compare.pdf")
    cmp_.set_defaults(func=_cmd_compare)

    params = sub.add_parser("params", help="list a report's parameters, defaults, units and allowed values")
    params.add_argument("report")
    params.set_defaults(func=_cmd_params)

    for name in ("run-all", "reports"):
        ra = sub.add_parser(name, help="regenerate the scenario catalogue (scenarios/*.yaml) and reports/index.html"
                            + (" (alias of run-all)" if name == "reports" else ""))
        ra.add_argument("--jobs", type=int, default=None, help="parallel reports (default: one per core)")
        ra.add_argument("--force", action="store_true", help="rerun scenarios even if nothing changed")
        ra.add_argument("--only", help="only scenarios whose name matches this glob, e.g. 'rd-*'")
        ra.add_argument("--timeout", type=float, default=900.0, help="seconds before one report is stopped")
        ra.add_argument("--pdf", action="store_true", help="also print every report and comparison page to PDF (Chromium)")
        ra.set_defaults(func=_cmd_run_all)

    sw = sub.add_parser("sweep", help="run a grid or random draws of rd_paths scenarios through the vectorised engine")
    sw.add_argument("-p", "--param", nargs=2, action="append", metavar=("NAME", "VALUE"), help="fixed rd_paths parameter")
    sw.add_argument("--grid", action="append", metavar="NAME=VALUES", help="start:stop:step or a,b,c (repeatable)")
    sw.add_argument("--random", action="append", metavar="NAME=LO:HI", help="uniform draws (repeatable)")
    sw.add_argument("-n", type=int, default=0, help="number of random draws")
    sw.add_argument("--seed", type=int, default=0)
    sw.add_argument("--output", type=Path, help="CSV file (default: reports/sweep.csv)")
    sw.set_defaults(func=_cmd_sweep)

    kernel = sub.add_parser("kernel", help="install the project's Jupyter kernel 'r57' (this environment's Python)")
    kernel.add_argument("action", choices=["install"])
    kernel.add_argument("--user", action="store_true",
                        help="install for the current user, so any Jupyter (conda base, a system JupyterLab) finds it")
    kernel.set_defaults(func=_cmd_kernel)

    data = sub.add_parser("data", help="check or rebuild data/raw")
    data.add_argument("action", choices=["verify", "build", "list", "refresh"],
                      help="verify checksums and schemas; build from shared/reference; list files; refresh WDI series from the API")
    data.add_argument("--reference", type=Path, default=None, help="shared/reference folder (for build)")
    data.add_argument("--data-dir", type=Path, default=None, help="folder to verify (default: data/raw)")
    data.set_defaults(func=_cmd_data)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except BrokenPipeError:  # the reader went away (`r57 params rd_paths | head`): stop quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # Python's exit-time flush would fail again
        return EXIT_BROKEN_PIPE
    except ParameterError as exc:
        print(f"r57: invalid parameter: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except R57Error as exc:
        print(f"r57: error: {exc}", file=sys.stderr)
        return EXIT_ERROR


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
