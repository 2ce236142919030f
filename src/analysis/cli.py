"""Command line: ``r57`` (or ``python -m analysis``).

    r57 run rd_paths -p target_year 2035 -p path_shape logistic [-f params.yaml] [--output-dir DIR]
    r57 params rd_paths
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


def _cmd_run(args: argparse.Namespace) -> int:
    from .params import load_params_file, parse_cli_value
    from .runner import run_report

    params = load_params_file(args.file) if args.file else {}
    for name, value in args.param or []:
        params[name] = parse_cli_value(value)
    result = run_report(args.report, params, args.output_dir,
                        on_start=lambda: print(f"r57: running {args.report} ...", flush=True))
    print(f"r57: report written to {result.run_dir / 'report.html'}")
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

    outcomes, _ = run_all(jobs=args.jobs, force=args.force, only=args.only, timeout_s=args.timeout)
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

        reference = Path(args.reference or paths.REFERENCE_DIR)
        if not reference.is_dir():
            print(f"r57: the reference folder {reference} is missing: `r57 data build` rebuilds data/raw from the "
                  "compiled public figures in shared/reference.\nYou need it only to change the data; the committed "
                  "data/raw is complete (check it with `r57 data verify`).\nTo rebuild, put the shared folder beside "
                  "this checkout (../shared/reference), or name it: `r57 data build --reference PATH` or "
                  "R57_REFERENCE_DIR=PATH.", file=sys.stderr)
            return EXIT_ERROR
        for e in build_all(reference):
            print(f"wrote data/raw/{e['file']}: {e['rows']} rows, sha256 {e['sha256'][:12]}")
        return EXIT_OK
    if args.action == "refresh":
        from .refresh import format_sources, live_sources, refresh

        print(format_sources(live_sources(args.data_dir)) + "\n")
        for file, what in refresh(data_dir=args.data_dir).items():
            print(f"{args.data_dir or 'data/raw'}/{file}: {what}")
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
    run.set_defaults(func=_cmd_run)

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
                      help="verify checksums and schemas; build from shared/reference; list files; "
                      "refresh every series with a live source (World Bank API)")
    data.add_argument("--reference", type=Path, default=None, help="shared/reference folder (for build)")
    data.add_argument("--data-dir", type=Path, default=None, help="data folder to verify or refresh (default: data/raw)")
    data.set_defaults(func=_cmd_data)
    return parser


PATH_VARIABLES = ("R57_PROJECT_ROOT", "R57_RAW_DATA_DIR", "R57_NOTEBOOKS_DIR", "R57_REPORTS_DIR",
                  "R57_SCENARIOS_DIR", "R57_REFERENCE_DIR", "R57_WDI_RECORDED", "R57_WDI_RECORD_TO")


def _absolute_path_variables() -> None:
    """A folder given relative (R57_RAW_DATA_DIR=data/archive/...) means relative to where r57 was
    started; kernels run in notebooks/ and inherit the environment, so make it absolute for them."""
    for var in PATH_VARIABLES:
        if os.environ.get(var):
            os.environ[var] = os.path.abspath(os.environ[var])


def main(argv: list[str] | None = None) -> int:
    _absolute_path_variables()
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except ParameterError as exc:
        print(f"r57: invalid parameter: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except R57Error as exc:
        print(f"r57: error: {exc}", file=sys.stderr)
        return EXIT_ERROR


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
