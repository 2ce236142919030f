"""Command line: ``r57`` (or ``python -m analysis``).

    r57 run rd_paths -p target_year 2035 -p path_shape logistic [-f params.yaml] [--output-dir DIR]
    r57 params rd_paths
    r57 run-all [--jobs N] [--force] [--only PATTERN]   # regenerate the scenario catalogue and the site
    r57 data verify | r57 data build | r57 data list
    r57 backtest [--index gii] [--horizons] [-p include_derived true] [--output FILE]   # ranking projections vs naive
"""

from __future__ import annotations

import argparse
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


def _cmd_backtest(args: argparse.Namespace) -> int:
    from .params import parse_cli_value, validate
    from .rankings import INDICES
    from .rankings_scenario import backtest_table

    given = {n: parse_cli_value(v) for n, v in (args.param or [])}
    p = validate("ecosystem_rankings", given)
    if args.index and args.index not in INDICES:
        raise ParameterError("--index", f"{args.index!r} is not an index", ", ".join(INDICES))
    table = backtest_table(p, (args.index,) if args.index else None)
    if args.output:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        table.to_csv(args.output, index=False, float_format="%.6g")
    shown = table if args.horizons else table[table["horizon"] == "all"]
    print(f"Backtest of ranking projections: fit on editions up to t-h, forecast t (h = 1-3 editions); "
          f"{p['interval_pct']:g}% intervals; derived ranks {'included' if p['include_derived'] else 'excluded'}.")
    print("MAE = mean absolute rank error (places); coverage = share of published ranks inside the interval.")
    for code, g in shown.groupby("index", sort=False):
        chosen = g[g["chosen"] & (g["horizon"] == "all")]
        print(f"\n{code}: method used: {chosen['method'].iloc[0] if len(chosen) else 'naive'}. "
              + (chosen["why"].iloc[0] if len(chosen) else ""))
        if int(g["cases"].fillna(0).max()) == 0:
            print("  no entity has 4 or more published editions: nothing to backtest")
            continue
        print(f"  {'h':>3} {'method':<17} {'cases':>5} {'MAE':>6} {'coverage':>8}   {'naive MAE':>9} {'naive cov.':>10}")
        for r in g.itertuples():
            print(f"  {r.horizon:>3} {r.method:<17} {r.cases:>5.0f} {r.mae_places:>6.1f} {r.coverage_pct:>7.0f}%   "
                  f"{r.naive_mae_places:>9.1f} {r.naive_coverage_pct:>9.0f}%" + ("   <- used" if r.chosen else ""))
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

    btp = sub.add_parser("backtest", help="backtest the ranking projections of every index against the naive forecast")
    btp.add_argument("--index", help="one index (default: all), e.g. gii")
    btp.add_argument("--horizons", action="store_true", help="show each horizon (1-3 editions ahead), not only all pooled")
    btp.add_argument("-p", "--param", nargs=2, action="append", metavar=("NAME", "VALUE"),
                     help="an ecosystem_rankings parameter: include_derived, interval_pct, fit_last_editions, min_points")
    btp.add_argument("--output", type=Path, help="also write the full table (every horizon) to this CSV file")
    btp.set_defaults(func=_cmd_backtest)

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
    except ParameterError as exc:
        print(f"r57: invalid parameter: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except R57Error as exc:
        print(f"r57: error: {exc}", file=sys.stderr)
        return EXIT_ERROR


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
