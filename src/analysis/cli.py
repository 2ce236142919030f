"""Command line: ``r57`` (or ``python -m analysis``).

    r57 run rd_paths -p target_year 2035 -p path_shape logistic [-f params.yaml] [--output-dir DIR] [--check]
    r57 params rd_paths [--cell [--write]]
    r57 compare rd-baseline rd-high-growth [--output-dir DIR] [--pdf]   # scenarios side by side
    r57 run-all [--jobs N] [--force] [--only GLOB ...] [--lang en|vi|all]   # the catalogue and the site, both editions
    r57 data verify | r57 data build [--accept] [--from-compilation DATASET] | r57 data list [--data-dir DIR]
    r57 data refresh [--only GLOB] [--data-dir DIR]       # the World Bank series, from the API
    r57 explore [--port N] [--lang vi] [--idle-timeout SECONDS]   # the explorer on 127.0.0.1, with a token
    r57 kernel install [--user]                         # the project's Jupyter kernel, named r57
    r57 site build DIR [--with-notebooks]               # the publishable site, copied out of reports/
    r57 backtest [--index gii] [--horizons] [-p include_derived true] [--output FILE]   # ranking projections vs naive

Exit codes: 0 done, 1 a run or check failed, 2 refused input (a parameter, a file, an output
folder r57 must not replace), 128 + signal when interrupted (130 Ctrl-C, 143 SIGTERM).
"""

from __future__ import annotations

import argparse
import gc
import math
import os
import shlex
import sys
import textwrap
from pathlib import Path
from typing import Any

from analysis import __version__, i18n, paths
from analysis.errors import InputError, Interrupted, OutputDirError, ParameterError, R57Error, shorten

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2
EXIT_BROKEN_PIPE = 128 + 13  # what a shell reports for a process ended by SIGPIPE


def _given_params(pairs: list[list[str]] | None, base: dict[str, Any] | None = None) -> dict[str, Any]:
    """``-p NAME VALUE`` pairs, each value read like YAML, over ``base`` (a ``-f`` file's, which ``-p``
    overrides); ParameterError (exit 2) for a name given twice with ``-p``."""
    from analysis.reports.params import parse_cli_value

    given: dict[str, Any] = {}
    for name, value in pairs or []:
        if name in given:
            raise ParameterError(name, "is given twice (-p)", "each parameter once")
        given[name] = parse_cli_value(value)
    return {**(base or {}), **given}


def _cmd_run(args: argparse.Namespace) -> int:
    import signal

    from analysis.reports.params import load_params_file
    from analysis.run.runner import raise_signalled, run_report

    for sig in (signal.SIGTERM, signal.SIGHUP):  # unwinds like Ctrl-C: the temporary folder and kernel go
        signal.signal(sig, raise_signalled)

    params = _given_params(args.param, load_params_file(args.file, args.report) if args.file else None)
    if args.check:
        return _check_run(args.report, params, args.output_dir, args.file)
    result = run_report(
        args.report, params, args.output_dir, on_start=lambda: print(f"r57: running {args.report} ...", flush=True)
    )
    print(f"r57: report written to {result.run_dir / 'report.html'}")
    if args.pdf:
        from analysis.run.pdf import write_pdf

        print(f"r57: PDF written to {write_pdf(result.run_dir / 'report.html', 'output file')}")
    return EXIT_OK


def _check_run(report: str, params: dict[str, Any], output_dir: Path | None, file: str | None) -> int:
    """``r57 run --check``: the checks a run makes before its kernel starts (parameters, data files, the
    report's preflight, the output folder; a file of the scenario catalogue also as run-all checks it), then
    the resolved parameters as a parameter file would give them. An empty parameter stays ``null`` (a value in
    its place would be the user's, and the run would differ), with a comment: the value the run fills in where
    the report resolves without a kernel (the rd reports, through :func:`~analysis.reports.rd_paths.resolve`;
    an estimated start with its range), and what empty means."""
    from analysis.reports.rd_paths import RdResolved
    from analysis.reports.registry import notebook_spec
    from analysis.run.catalogue import ScenarioError, load_scenario
    from analysis.run.explore import cli_text
    from analysis.run.runner import check_output_dir, default_run_dir, preflight_resolved

    validated, resolved = preflight_resolved(report, {**params, "lang": params.get("lang") or i18n.SOURCE_LANG})
    out = check_output_dir(output_dir or default_run_dir(report, validated))
    catalogued = file is not None and Path(file).resolve().parent == paths.SCENARIOS_DIR
    if catalogued:
        try:
            load_scenario(Path(file))
        except ScenarioError as exc:
            raise InputError(f"as a catalogue scenario, {exc}") from None
    filled = resolved.params if isinstance(resolved, RdResolved) else {}
    start = resolved.start if isinstance(resolved, RdResolved) else None
    for name, value in validated.items():
        means = notebook_spec(report).spec(name).null_means if value is None else ""
        if value is not None:
            print(f"{name}: {cli_text(value)}")
        elif filled.get(name) is not None:
            value = cli_text(filled[name])
            if name == "base_share_pct" and start is not None and start.status == "estimate":
                value += f", an estimate from {cli_text(start.low_pct)} to {cli_text(start.high_pct)}"
            print(f"{name}: null  # filled in by the run: {value} ({means})")
        else:
            print(f"{name}: null  # empty means {means}")
    if None in validated.values():
        print("# r57: null is filled in by the run, as its comment says; keep it null for this same run")
    also = f"; as a catalogue scenario too (r57 run-all --only {Path(file).stem})" if catalogued else ""
    print(f"# r57: valid for {report}{also}; nothing was run (a run would write {out / 'report.html'})")
    return EXIT_OK


def _cmd_compare(args: argparse.Namespace) -> int:
    from analysis.run.compare import write_compare

    with i18n.language(args.lang):  # the page's words and numbers; give --reports-dir reports/vi for vi runs
        page = write_compare(args.names, args.output_dir, args.reports_dir, pdf=args.pdf)
    print(f"r57: comparison written to {page}" + (f" and {page.with_suffix('.pdf')}" if args.pdf else ""))
    return EXIT_OK


def _cmd_params(args: argparse.Namespace) -> int:
    from analysis.reports.params import describe, parameters_cell, write_parameters_cell
    from analysis.reports.registry import notebook_spec

    spec = notebook_spec(args.report)
    if args.write:
        for path in write_parameters_cell(spec.name):
            print(f"r57: parameters cell written to {path}")
        return EXIT_OK
    if args.cell:
        print(parameters_cell(spec.name))
        return EXIT_OK
    print(f"{spec.name}: {spec.title}\nnotebook: notebooks/{spec.notebook}\n")
    for row in describe(args.report):
        print(f"{row['name']}  (default: {row['default']}{', unit: ' + row['unit'] if row['unit'] else ''})")
        for text, hang in (
            (row["help"], ""),
            ("allowed: " + row["allowed"], "  "),
            ("default because: " + row["why_default"], "  "),
        ):
            print(textwrap.fill(text, 96, initial_indent="    ", subsequent_indent="    " + hang))
        print()
    if spec.extra_help:
        print(spec.extra_help())
    return EXIT_OK


def _printable(text: str) -> str:
    """``text`` with every control character (newline, escape, ...) written as its Python escape."""
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)


def _cmd_run_all(args: argparse.Namespace) -> int:
    from analysis.run import unchanged

    langs = i18n.LANGS if args.lang == "all" else (args.lang,)
    if not (args.force or args.pdf) and unchanged.settled(args.only, langs):  # imports neither numpy nor Jupyter
        return EXIT_OK
    from analysis.run.kernel import single_thread_blas

    single_thread_blas()  # before numpy is imported: run-all runs reports in parallel
    gc.disable()  # no collection while the libraries load: run_all leaves them out of its collections
    try:
        from analysis.run.batch import run_all
    finally:
        gc.enable()
    outcomes, _ = run_all(
        jobs=args.jobs, force=args.force, only=args.only, timeout_s=args.timeout, pdf=args.pdf, langs=langs
    )
    bad = [o for o in outcomes if o.status in ("failed", "refused")]
    for o in bad:  # a file name may hold a newline or a terminal escape: shown escaped, one line each
        print(_printable(f"r57: {o.status}: {o.scenario}: {o.message}"), file=sys.stderr)
    if not outcomes:
        print("r57: no scenario matched", file=sys.stderr)
        return EXIT_ERROR
    return EXIT_ERROR if bad else EXIT_OK


def _data_verify(args: argparse.Namespace) -> int:
    from analysis.data.datasets import DATASETS, verify_all

    problems = verify_all(args.data_dir, args.reference)
    for file, problem in problems:
        print(f"FAIL {file}: {problem}", file=sys.stderr)
    if problems:
        print(f"r57: {len(problems)} data problem(s) in {args.data_dir or paths.RAW_DATA_DIR}", file=sys.stderr)
        return EXIT_ERROR
    print(f"r57: all {len(DATASETS)} datasets match the manifest and their schemas")
    return EXIT_OK


def _data_build(args: argparse.Namespace) -> int:
    """Without ``--accept`` only show the differences (exit 1 while some are left to review)."""
    from analysis.data.review import build_reviewed

    reference = Path(args.reference or paths.REFERENCE_DIR)
    if not reference.is_dir():
        print(
            f"r57: --reference PATH / R57_REFERENCE_DIR: the reference folder {reference} is missing; `r57 data "
            "build` reads data/external (leave both unset) or a folder laid out like it, with its manifest.yaml",
            file=sys.stderr,
        )
        return EXIT_USAGE
    raw = args.data_dir or paths.RAW_DATA_DIR
    changed, files, inputs, kept, own = build_reviewed(reference, args.accept, print, raw, args.from_compilation or ())
    if not changed:
        but = f", but for the {len(kept)} refreshed file(s) kept above" if kept else ""
        print(f"r57: {raw} is already what {reference} gives{but}; nothing changed")
        return EXIT_OK
    shown = f"{args.data_dir or 'data/raw'} ({', '.join(files) or 'none'})"
    what = f"{len(files)} file(s) of {shown} and {len(inputs)} input checksum(s)"
    if not args.accept:
        # accepting into another folder with the compilation of data/raw is refused (own): a copy is named instead
        given = [("--data-dir", args.data_dir), ("--reference", "DIR" if own else args.reference)]
        given += [("--from-compilation", name) for name in args.from_compilation or ()]
        again = shlex.join(["r57", "data", "build", *(str(x) for pair in given if pair[1] for x in pair), "--accept"])
        copy = (
            f", as data/raw is built from {reference}, which --accept re-signs, copy it (`cp -r {reference} DIR`) and "
        )
        print(
            f"r57: the build would change {what} and re-sign the manifests; nothing was written. "
            f"Review the differences above, then{copy if own else ' '}run `{again}` to adopt them.",
            file=sys.stderr,
        )
        return EXIT_ERROR
    signed = f"{raw / 'manifest.yaml'}" + (f" and {reference / 'manifest.yaml'}" if inputs else "")
    print(f"r57: wrote {what}; re-signed {signed}")
    return EXIT_OK


def _data_refresh(args: argparse.Namespace) -> int:
    from analysis.data.refresh import format_sources, live_sources, refresh

    print(format_sources(live_sources(args.data_dir)) + "\n")
    for file, what in refresh(data_dir=args.data_dir, only=args.only).items():
        print(f"{args.data_dir or 'data/raw'}/{file}: {what}")
    return EXIT_OK


def _data_list(args: argparse.Namespace) -> int:
    from analysis.data.manifest import read_manifest

    m = read_manifest(args.data_dir and args.data_dir / "manifest.yaml")
    for name, e in sorted(m.entries.items()):
        print(f"{name:34s} {e['rows']:>6} rows  {e['edition'][:60]}")
    return EXIT_OK


# ``r57 data ACTION``: one function per action (the parser's ``choices`` are these keys)
_DATA_ACTIONS = {"verify": _data_verify, "build": _data_build, "list": _data_list, "refresh": _data_refresh}
_DATA_FLAGS = {"accept": "build", "from_compilation": "build", "only": "refresh"}  # flags of one action only


def _data(args: argparse.Namespace) -> int:
    for flag, action in _DATA_FLAGS.items():
        if getattr(args, flag) and args.action != action:
            print(f"r57: refused: --{flag.replace('_', '-')} is an option of `r57 data {action}` only", file=sys.stderr)
            return EXIT_USAGE
    return _DATA_ACTIONS[args.action](args)


MAX_RANGE_VALUES = 10_000_000  # values one start:stop:step may expand to


def _sweep_values(name: str, text: str) -> list[Any]:
    """``--grid NAME=VALUES``: '3:10:0.5' -> 3, 3.5, ..., 10 (never past the stop: '5:6:0.4' -> 5, 5.4, 5.8);
    'a,b,c' -> each read like a ``-p`` value."""
    import numpy as np

    from analysis.reports.params import parse_cli_value

    if ":" in text:
        try:
            parts = [float(x) for x in text.split(":")]
        except ValueError:
            parts = []
        if len(parts) != 3 or not all(math.isfinite(x) for x in parts) or parts[2] <= 0 or parts[1] < parts[0]:
            raise ParameterError(
                name,
                f"range {shorten(text, 80)!r} must be start:stop:step with start <= stop and a positive step",
                "e.g. 3:10:0.5",
            )
        count = math.floor((parts[1] - parts[0]) / parts[2] + 1e-9) + 1  # stop, if a step lands on it; none past it
        if count > MAX_RANGE_VALUES:
            raise ParameterError(
                name, f"range {shorten(text, 80)!r} has more than {MAX_RANGE_VALUES:,} values", "a larger step"
            )
        return np.round(parts[0] + parts[2] * np.arange(count), 10).tolist()
    items = [x.strip() for x in text.split(",") if x.strip()]
    if not items:
        raise ParameterError(name, f"{shorten(text, 80)!r} lists no values", "start:stop:step or a,b,c")
    return [parse_cli_value(x) for x in items]


def _cmd_sweep(args: argparse.Namespace) -> int:
    from analysis.reports import rd_sweep
    from analysis.reports.numbers import write_csv  # the sweep CSV: fixed decimals per unit
    from analysis.run import ownership

    def split(item: str, option: str, seen: dict[str, Any]) -> tuple[str, str]:
        if "=" not in item:
            raise ParameterError("sweep", f"{item!r} must be NAME=VALUES")
        k, v = (x.strip() for x in item.split("=", 1))
        if k in seen:
            raise ParameterError(k, f"is given twice ({option})", "each parameter once: one --grid or --random")
        return k, v

    params = _given_params(args.param)
    grid: dict[str, Any] = {}
    for k, v in (split(item, "--grid", grid) for item in args.grid or []):
        grid[k] = _sweep_values(k, v)
    random: dict[str, tuple[float, float]] = {}
    for k, v in (split(item, "--random", random) for item in args.random or []):
        lo, _, hi = v.partition(":")
        try:
            random[k] = (float(lo), float(hi))
        except ValueError:
            raise ParameterError(k, f"{v!r} is not LO:HI", "two numbers, e.g. 4:9") from None
        if not (math.isfinite(random[k][0]) and math.isfinite(random[k][1])) or random[k][0] > random[k][1]:
            raise ParameterError(k, f"{v!r} is not LO:HI with LO <= HI", "two finite numbers, e.g. 4:9")
    # the project's reports folder, wherever r57 runs; an existing file only if r57 recorded writing it
    out = ownership.check_output_file(args.output or paths.REPORTS_DIR / "sweep.csv", "sweep --output")
    swept = rd_sweep.swept_table(grid, random, args.n, args.seed, args.max_scenarios, allow="--max-scenarios ")
    table = rd_sweep.evaluate(swept, fixed=params)
    ownership.write_file(out, lambda tmp: write_csv(table, tmp, index=False), "sweep --output")  # fixed decimals
    print(f"r57: {len(table):,} scenarios -> {out}")
    return EXIT_OK


def _cmd_explore(args: argparse.Namespace) -> int:
    from analysis.run.explore_server import serve

    return serve(args.port, args.lang, args.idle_timeout)


def _cmd_kernel(args: argparse.Namespace) -> int:
    from analysis.run.kernel import KERNEL_NAME, install_kernelspec

    where = install_kernelspec(user=args.user)
    print(f"r57: Jupyter kernel {KERNEL_NAME!r} ({sys.executable}) installed in {where}")
    return EXIT_OK


def _cmd_i18n(args: argparse.Namespace) -> int:
    from analysis.reports import messages

    if args.action == "update":
        for area, (total, missing) in messages.update(args.lang).items():
            print(
                f"r57: {messages.po_path(args.lang, area).relative_to(paths.PROJECT_ROOT)}: {total} texts, {missing} to translate"
            )
        return EXIT_OK
    if args.action == "bypass":
        words = [w for page in args.pages for w in messages.bypassed(messages.read_page(page))]
        for word in words:
            print(word)
        print(f"r57: {len(words)} words outside the catalogue (render with R57_I18N_MARK=1)")
        return 1 if words else EXIT_OK
    problems = messages.check(args.lang, areas=None if args.area is None else [args.area])
    for problem in problems:
        print(problem)
    print(
        f"r57: {len(problems)} problems in the {args.lang!r} catalogues" + (f" (area {args.area})" if args.area else "")
    )
    return 1 if problems else EXIT_OK


def _cmd_site(args: argparse.Namespace) -> int:
    from analysis.run.publish import build_site

    target, files = build_site(args.dir, with_notebooks=args.with_notebooks)  # SiteSourceError: refused, exit 2
    print(f"r57: site of {len(files)} files written to {target} (open {target / 'index.html'})")
    return EXIT_OK


def _cmd_backtest(args: argparse.Namespace) -> int:
    from analysis.models.rankings import INDICES
    from analysis.reports.ecosystem_rankings import backtest_table
    from analysis.reports.numbers import write_csv  # fixed decimals per unit, as the report's tables/backtest.csv
    from analysis.reports.registry import validate
    from analysis.run import ownership

    p = validate("ecosystem_rankings", _given_params(args.param))
    if args.index and args.index not in INDICES:
        raise ParameterError("--index", f"{args.index!r} is not an index", ", ".join(INDICES))
    # the folder rule of sweep --output: never a dataset, a user's file or a link (checked before the work)
    out = ownership.check_output_file(args.output, "backtest --output") if args.output else None
    table = backtest_table(p, (args.index,) if args.index else None)
    if out is not None:
        ownership.write_file(out, lambda tmp: write_csv(table, tmp, index=False), "backtest --output")
    shown = table if args.horizons else table[table["horizon"] == "all"]
    print(
        f"Backtest of ranking projections: fit on editions up to t-h, forecast t (h = 1-3 editions); "
        f"{p['interval_pct']:g}% intervals; derived ranks {'included' if p['include_derived'] else 'excluded'}."
    )
    print("MAE = mean absolute rank error (places); coverage = share of published ranks inside the interval.")
    for code, g in shown.groupby("index", sort=False):
        chosen = g[g["chosen"] & (g["horizon"] == "all")]
        print(
            f"\n{code}: method used: {chosen['method'].iloc[0] if len(chosen) else 'naive'}. "
            + (chosen["why"].iloc[0] if len(chosen) else "")
        )
        if int(g["cases"].fillna(0).max()) == 0:
            print("  no entity has 4 or more published editions: nothing to backtest")
            continue
        print(
            f"  {'h':>3} {'method':<17} {'cases':>5} {'MAE':>6} {'coverage':>8}   {'naive MAE':>9} {'naive cov.':>10}"
        )
        for r in g.itertuples():
            print(
                f"  {r.horizon:>3} {r.method:<17} {r.cases:>5.0f} {r.mae_places:>6.1f} {r.coverage_pct:>7.0f}%   "
                f"{r.naive_mae_places:>9.1f} {r.naive_coverage_pct:>9.0f}%" + ("   <- used" if r.chosen else "")
            )
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="r57", description="Resolution 57 analytical reports")

    def bounded(kind: type, lo: float, hi: float, what: str, outside: str):  # an argparse type
        def parse(text: str) -> Any:
            try:
                value = kind(text)
            except ValueError:
                raise argparse.ArgumentTypeError(f"{shorten(text, 40)!r} is not {what}") from None
            if not (math.isfinite(value) and lo <= value <= hi):
                raise argparse.ArgumentTypeError(outside.format(text=shorten(text, 40), value=value))
            return value

        return parse

    seconds = bounded(float, 1, 86400, "a number of seconds", "{text} is outside 1 to 86400 seconds")

    def glob(text: str) -> str:  # an argparse type: '' would mean every scenario, not none
        if not text.strip():
            raise argparse.ArgumentTypeError("an empty pattern matches no scenario name; give a glob such as 'rd-*'")
        return text

    def count(lo: int, hi: int):
        return bounded(int, lo, hi, "a whole number", f"{{value}} is outside {lo} to {hi:,}")

    def param(p: argparse.ArgumentParser, help: str) -> None:  # -p NAME VALUE, repeatable
        p.add_argument("-p", "--param", nargs=2, action="append", metavar=("NAME", "VALUE"), help=help)

    parser.add_argument("--version", action="version", version=f"r57 {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="run one report with parameters")
    run.add_argument("report", help="report name, e.g. rd_paths (see `r57 params NAME`)")
    param(run, "set a parameter; VALUE is read as YAML (2030, 6.5, null, '{2026: 7.0}')")
    run.add_argument("-f", "--file", help="YAML file of parameters (name: value); -p overrides it")
    run.add_argument("--output-dir", type=Path, help="run folder (default: reports/<report>/<default|custom-hash>)")
    run.add_argument("--pdf", action="store_true", help="also write report.pdf (printed by headless Chromium)")
    run.add_argument(
        "--check",
        action="store_true",
        help="check the parameters (and -f file) as a run would and print them resolved, as a parameter file; run nothing",
    )
    run.set_defaults(func=_cmd_run)

    cmp_ = sub.add_parser("compare", help="one page setting scenarios side by side (paths, key figures, parameters)")
    cmp_.add_argument(
        "names",
        nargs="+",
        metavar="NAME",
        help="scenario names (reports/<NAME>/results.json) or run folders; the first is the reference",
    )
    cmp_.add_argument("--output-dir", type=Path, help="folder for compare.html (default: reports/compare)")
    cmp_.add_argument("--reports-dir", type=Path, help="where the scenarios' report folders are (default: reports)")
    cmp_.add_argument("--pdf", action="store_true", help="also write compare.pdf")
    cmp_.add_argument(
        "--lang", choices=i18n.LANGS, default=i18n.SOURCE_LANG, help="the page's language (default %(default)s)"
    )
    cmp_.set_defaults(func=_cmd_compare)

    params = sub.add_parser("params", help="list a report's parameters, defaults, units and allowed values")
    params.add_argument("report")
    params.add_argument(
        "--cell", action="store_true", help="print the notebook's parameters cell, written from the spec"
    )
    params.add_argument(
        "--write",
        action="store_true",
        help="write that cell (--cell) into the notebook and its .py twin, outputs stripped",
    )
    params.set_defaults(func=_cmd_params)

    for name in ("run-all", "reports"):
        ra = sub.add_parser(
            name,
            help="regenerate the scenario catalogue (scenarios/*.yaml) and reports/index.html"
            + (" (alias of run-all)" if name == "reports" else ""),
        )
        ra.add_argument("--jobs", type=count(1, 256), help="parallel reports (default: one per core)")
        ra.add_argument("--force", action="store_true", help="rerun scenarios even if nothing changed")
        ra.add_argument(
            "--only",
            action="append",
            type=glob,
            metavar="GLOB",
            help="only scenarios whose name matches this glob, e.g. 'rd-*' (repeatable: any of them)",
        )
        ra.add_argument(
            "--timeout",
            type=seconds,
            default=900.0,
            help="seconds one notebook cell may run before the report is stopped (1 to 86400, "
            "rounded up to whole seconds)",
        )
        ra.add_argument(
            "--pdf", action="store_true", help="also print every report and comparison page to PDF (Chromium)"
        )
        ra.add_argument(
            "--lang",
            choices=(*i18n.LANGS, "all"),
            default="all",
            help="which editions to build: English (reports/), Vietnamese (reports/vi/) or both (default)",
        )
        ra.set_defaults(func=_cmd_run_all)

    sw = sub.add_parser("sweep", help="run a grid or random draws of rd_paths scenarios through the vectorised engine")
    param(sw, "fixed rd_paths parameter")
    sw.add_argument(
        "--grid", action="append", metavar="NAME=VALUES", help="start:stop:step (stop included) or a,b,c (repeatable)"
    )
    sw.add_argument("--random", action="append", metavar="NAME=LO:HI", help="uniform draws (repeatable)")
    sw.add_argument("-n", type=count(0, 10**9), default=0, help="number of random draws")
    sw.add_argument("--seed", type=count(0, 2**32 - 1), default=0)
    sw.add_argument(
        "--max-scenarios",
        type=count(1, 10**9),
        metavar="N",
        help="the most scenarios this sweep may have (default 1,000,000); a larger grid or -n is refused "
        "unless this flag allows it",
    )
    sw.add_argument(
        "--output",
        type=Path,
        help="CSV file (default: the project's reports/sweep.csv); r57 records it in .r57-output beside it",
    )
    sw.set_defaults(func=_cmd_sweep)

    from analysis.run.explore_server import IDLE_S, PORT  # it imports no more than this module has

    exp = sub.add_parser(
        "explore", help="the scenario explorer as a page on this machine only (Voila; prints its address with a token)"
    )
    exp.add_argument("--port", type=count(1024, 65535), default=PORT, help="port on 127.0.0.1 (default %(default)s)")
    exp.add_argument("--lang", choices=i18n.LANGS, help=f"the language it starts in (default {i18n.SOURCE_LANG})")
    exp.add_argument(
        "--idle-timeout",
        type=count(1, 86400),
        default=IDLE_S,
        metavar="SECONDS",
        help="shut down a page's kernel after this many idle seconds with no page connected (default %(default)s)",
    )
    exp.set_defaults(func=_cmd_explore)

    kernel = sub.add_parser("kernel", help="install the project's Jupyter kernel 'r57' (this environment's Python)")
    kernel.add_argument("action", choices=["install"])
    kernel.add_argument(
        "--user",
        action="store_true",
        help="install for the current user, so any Jupyter (conda base, a system JupyterLab) finds it",
    )
    kernel.set_defaults(func=_cmd_kernel)

    site = sub.add_parser("site", help="publish: copy the site (pages, PDFs, data downloads) out of reports/")
    site_sub = site.add_subparsers(dest="action", required=True)
    build = site_sub.add_parser(
        "build",
        help="write exactly the publishable site to DIR (absent, empty or an earlier build's); "
        "no locks, run records, ad-hoc runs or notebooks",
    )
    build.add_argument("dir", type=Path, metavar="DIR", help="the site folder, e.g. site")
    build.add_argument("--with-notebooks", action="store_true", help="also publish each report's executed notebook")
    build.set_defaults(func=_cmd_site)

    btp = sub.add_parser("backtest", help="backtest the ranking projections of every index against the naive forecast")
    btp.add_argument("--index", help="one index (default: all), e.g. gii")
    btp.add_argument(
        "--horizons", action="store_true", help="show each horizon (1-3 editions ahead), not only all pooled"
    )
    param(btp, "an ecosystem_rankings parameter: include_derived, interval_pct, fit_last_editions, min_points")
    btp.add_argument("--output", type=Path, help="also write the full table (every horizon) to this CSV file")
    btp.set_defaults(func=_cmd_backtest)

    i18 = sub.add_parser("i18n", help="translation catalogues: update them from the sources, or check them")
    i18.add_argument(
        "action",
        choices=["update", "check", "bypass"],
        help="update: add new texts to src/analysis/locale/<lang>/LC_MESSAGES/*.po; check: list untranslated or "
        "broken translations; bypass: list words of rendered pages (made with R57_I18N_MARK=1) outside the catalogue",
    )
    i18.add_argument("pages", nargs="*", type=Path, help="bypass: the report.html files to read")
    i18.add_argument(
        "--lang", default=i18n.LANGS[1], choices=i18n.LANGS[1:], help="catalogue language (default %(default)s)"
    )
    i18.add_argument("--area", help="check: only this area (rd_paths, site, common, ...)")
    i18.set_defaults(func=_cmd_i18n)

    data = sub.add_parser("data", help="check or rebuild data/raw")
    data.add_argument(
        "action",
        choices=list(_DATA_ACTIONS),
        help="verify checksums and schemas; build from data/external; list files; "
        "refresh every series with a live source (World Bank API)",
    )
    data.add_argument(
        "--reference", type=Path, help="input folder for build (default data/external, or R57_REFERENCE_DIR)"
    )
    data.add_argument("--data-dir", type=Path, help="data folder to verify, build, list or refresh (default: data/raw)")
    data.add_argument(
        "--accept",
        action="store_true",
        help="build: write the changed files and re-sign the manifest (without it, build only shows the differences)",
    )
    data.add_argument(
        "--from-compilation",
        action="append",
        metavar="DATASET",
        help="build: replace this dataset `r57 data refresh` wrote by the compilation's (repeatable; the refreshed "
        "vintage is archived); without it a refreshed dataset is kept",
    )
    data.add_argument(
        "--only", action="append", metavar="GLOB", help="refresh: only the datasets matching this glob (repeatable)"
    )
    data.set_defaults(func=_data)
    return parser


PATH_VARIABLES = (
    "R57_PROJECT_ROOT",
    "R57_RAW_DATA_DIR",
    "R57_NOTEBOOKS_DIR",
    "R57_REPORTS_DIR",
    "R57_SCENARIOS_DIR",
    "R57_REFERENCE_DIR",
    "R57_WDI_RECORDED",
    "R57_WDI_RECORD_TO",
)


def _absolute_path_variables() -> None:
    """Relative folders in the environment made absolute: kernels run in notebooks/ and inherit it."""
    for var in PATH_VARIABLES:
        if os.environ.get(var):
            os.environ[var] = os.path.abspath(os.environ[var])


def main(argv: list[str] | None = None) -> int:
    _absolute_path_variables()
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
    except (OutputDirError, InputError) as exc:
        print(f"r57: refused: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except Interrupted as exc:
        print(f"r57: {exc}", file=sys.stderr)
        return exc.code
    except R57Error as exc:
        print(f"r57: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt as exc:  # `r57 run`: the runner has removed its temporary folder on the way out
        import signal

        signum = getattr(exc, "signum", signal.SIGINT)  # runner.Signalled: SIGTERM or SIGHUP
        print(
            f"r57: interrupted by {signal.Signals(signum).name}; nothing was written (what was there before, "
            "if anything, is unchanged)",
            file=sys.stderr,
        )
        return 128 + signum
    except OSError as exc:  # a read-only or full disk, a folder where a file should be, ...
        where = f" ({exc.filename})" if exc.filename else ""
        print(
            f"r57: error: cannot read or write a file{where}: {exc.strerror or exc}; free some space, fix the "
            "permissions or give another path, and run again",
            file=sys.stderr,
        )
        return EXIT_ERROR


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
