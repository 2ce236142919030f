"""``r57 compare NAME NAME ...``: one self-contained page that sets scenarios side by side.

From each scenario's ``results.json`` the page overlays the year-by-year paths, tables the key figures
with differences against a reference scenario (the first column: the report's baseline on the site, the
first named with ``r57 compare``) and lists the parameters that differ, every row named in words. It opens
offline and ends with each run's provenance. :func:`site_comparisons` writes one page per report type.
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from markupsafe import Markup

from analysis import i18n, paths
from analysis.errors import InputError, OutputDirError, R57Error
from analysis.i18n import _
from analysis.reports.fonts import embed_page_font
from analysis.reports.params import NOT_COMPUTED, KeyFigure
from analysis.reports.provenance import run_stamp
from analysis.reports.words import plural
from analysis.run import ownership
from analysis.run.records import load_json

SKIP_KEYS = {"report", "parameters", "notes", "path", "provenance", "charts", "tables"}
# the results.json field naming the set of entities a run's figures are measured in (a ranking's index): a difference
# between runs measured in different sets (ranks among 193 countries and among 1,400 cities) means nothing
MEASURED_IN = "index_name"


class CompareError(R57Error):
    """The scenarios cannot be compared (missing results, different report types, fewer than two)."""


@dataclass(frozen=True)
class Run:
    name: str
    folder: Path
    results: dict[str, Any]
    title: str

    @property
    def report(self) -> str:
        return str(self.results.get("report", ""))


@dataclass(frozen=True)
class Row:
    """One key-figures row: the result's key, its label and unit, its declaration (which words each value), each
    run's value (the reference's first)."""

    key: str
    label: str
    unit: str
    figure: KeyFigure
    values: list[Any]


def _unit_shown(label: str, unit: str) -> str:
    """``unit`` unless ``label`` already says it (``% a year`` in "R&D growth needed, % a year")."""
    return "" if not unit or unit.casefold() in label.casefold() else unit


def figure_labels(report: str) -> dict[str, tuple[str, str, KeyFigure]]:
    """{result key: (label, unit, declaration)} in the current language: ``report``'s key figures, then the engine's
    figures the explorer names."""
    from analysis.reports import registry
    from analysis.reports.rd_paths import FIGURES, resolution_floors

    out, floors = {}, resolution_floors()
    for k in registry.notebook_spec(report).key_figures:
        header = _(k.header).format_map(floors)  # a header may name the Resolution's floors
        out[k.name] = (header, _unit_shown(header, _(k.unit)), k)
    for k in FIGURES.values():
        out.setdefault(k.name, (_(k.header), "", k))
    return out


def _first_clause(text: str) -> str:
    """``text`` up to its first ``.``, ``:`` or ``;`` outside brackets, keeping an i18n bypass mark."""
    opened, closed = i18n.MARK_OPEN, i18n.MARK_CLOSE
    marked = text.startswith(opened) and text.endswith(closed)
    inner = text[len(opened) : -len(closed)] if marked else text
    depth = 0
    for i, ch in enumerate(inner):
        depth += (ch in "([{") - (ch in ")]}")
        if depth == 0 and ch in ".:;" and (i + 1 == len(inner) or inner[i + 1].isspace()):
            inner = inner[:i]
            break
    return f"{opened}{inner}{closed}" if marked else inner


def param_label(report: str, name: str) -> tuple[str, str]:
    """(label, unit) of parameter ``name`` of ``report`` in the current language: the spec's label, else
    its help's first clause; (name, "") for a name the report does not declare."""
    from analysis.reports import registry

    try:
        spec = registry.notebook_spec(report).spec(name)
    except (R57Error, KeyError, ValueError):
        return i18n.keep(name), ""
    label = _(spec.label) if spec.label else _first_clause(_(spec.help))
    return label, _unit_shown(label, _(spec.unit) if spec.unit else "")


def locate(name: str, reports_dir: Path | None = None) -> Path:
    """The run folder of ``name``: a folder (or results.json) given as a path, else ``reports/<name>/``."""
    given = Path(name)
    if given.name == "results.json" and given.is_file():
        return given.parent
    if given.is_dir() and (given / "results.json").is_file():
        return given
    folder = Path(reports_dir or paths.REPORTS_DIR) / name
    if (folder / "results.json").exists() and not (folder / "results.json").is_file():  # never opened: no wait
        raise InputError(
            f"{folder / 'results.json'} is not a regular file (a FIFO, a device or a folder), not what r57 "
            "writes; rerun the scenario"
        )
    if not (folder / "results.json").is_file():
        raise CompareError(
            f"no results for {name!r}: expected {folder / 'results.json'} "
            "(run `make reports`, or `r57 run ... --output-dir` and give that folder)"
        )
    return folder


def _title(name: str) -> str:
    try:
        from analysis.run.catalogue import load_scenario

        path = paths.SCENARIOS_DIR / f"{name}.yaml"
        if path.exists():
            return _(load_scenario(path).title)
    except R57Error:
        pass
    return i18n.keep(name)  # a run without a scenario file: its name, the same in every language


def load_runs(names: list[str], reports_dir: Path | None = None) -> list[Run]:
    """Read every scenario's results.json; refuse fewer than two, or a mix of report types."""
    if len(names) < 2:
        raise CompareError("give at least two scenarios to compare")
    runs = []
    for n in names:
        folder = locate(n, reports_dir)
        try:
            results = load_json(folder / "results.json")  # bounded: never a RecursionError or a wait
        except InputError as exc:
            raise InputError(f"{exc}; rerun the scenario") from None
        _check_results(folder / "results.json", results)
        label = folder.name if Path(n).exists() else n
        runs.append(Run(label, folder, results, _title(label)))
    kinds = {r.report for r in runs}
    if len(kinds) > 1:
        raise CompareError(
            "scenarios of different reports cannot be compared: "
            + ", ".join(f"{r.name} is {r.report or 'unknown'}" for r in runs)
        )
    return runs


def _check_results(path: Path, results: Any) -> None:
    """InputError naming the part of a results.json whose shape is not what r57 writes."""

    def bad(what: str) -> InputError:
        return InputError(f"{path}: {what}, not what r57 writes; rerun the scenario")

    if not isinstance(results, dict):
        raise bad(f"holds {type(results).__name__} instead of a mapping")
    for key, kind in (("report", str), ("parameters", dict), ("provenance", dict), ("path", list)):
        if results.get(key) is not None and not isinstance(results[key], kind):
            raise bad(f"'{key}' is {type(results[key]).__name__}")
    for row in results.get("path") or []:
        if not isinstance(row, dict) or ("year" in row and not i18n.is_number(row["year"])):
            raise bad("'path' has a row that is not a mapping with a numeric year")


def shown(v: Any) -> str:
    """A value that is not a declared figure (a parameter, a point of a chart) as the page shows it (a whole number
    from 1900 to 2100 is a year)."""
    if v is None or (isinstance(v, float) and not math.isfinite(v)):
        return NOT_COMPUTED
    if isinstance(v, bool):
        return _("yes") if v else _("no")
    if i18n.is_number(v):
        return i18n.fmt.year(v) if isinstance(v, int) and 1900 <= v <= 2100 else i18n.fmt.num(v, None)
    if isinstance(v, (dict, list)):
        return json.dumps(v, ensure_ascii=False)
    return str(v)


def shown_diff(v: Any, v0: Any) -> str:
    """The difference against the first scenario: signed for numbers, 'same'/'differs' otherwise."""
    if i18n.is_number(v) and i18n.is_number(v0):
        if math.isclose(v, v0, rel_tol=1e-9, abs_tol=1e-12):  # floating-point noise is not a difference
            return _("same")
        return i18n.fmt.signed(v - v0, None)
    return _("same") if v == v0 else _("differs")


def comparable(run: Run, reference: Run) -> bool:
    """Whether ``run``'s figures may be subtracted from ``reference``'s: both measured in the same set
    (:data:`MEASURED_IN`; runs without one, as R&D paths, always)."""
    return run.results.get(MEASURED_IN) == reference.results.get(MEASURED_IN)


def key_rows(runs: list[Run]) -> list[Row]:
    """The report's key figures, then every other scalar result all runs have that has a declared name."""
    from analysis.reports import registry

    named = figure_labels(runs[0].report)
    keys = [
        k.name for k in registry.notebook_spec(runs[0].report).key_figures if any(k.name in r.results for r in runs)
    ]
    for k in runs[0].results:
        if k in SKIP_KEYS or k in keys or k not in named or not all(k in r.results for r in runs):
            continue
        vals = [r.results[k] for r in runs]
        if all(v is None or isinstance(v, (int, float)) for v in vals) and any(v is not None for v in vals):
            keys.append(k)
    return [Row(k, *named[k], [r.results.get(k) for r in runs]) for k in keys]


def param_rows(runs: list[Run]) -> tuple[list[tuple[str, list[Any]]], list[str]]:
    """(parameters that differ with each run's value, names of those the same everywhere), presentation
    parameters left out."""
    from analysis.reports.params import PRESENTATION_PARAMS

    names: list[str] = []
    for r in runs:
        for k in r.results.get("parameters") or {}:
            if k not in names and k not in PRESENTATION_PARAMS:
                names.append(k)
    differ, same = [], []
    for k in names:
        vals = [(r.results.get("parameters") or {}).get(k, _("(not a parameter of this run)")) for r in runs]
        if all(json.dumps(v, sort_keys=True) == json.dumps(vals[0], sort_keys=True) for v in vals):
            same.append(k)
        else:
            differ.append((k, vals))
    return differ, same


def _alt_text(title: str, years: list[int], series: list[tuple[str, list[float]]]) -> str:
    """An overlay in words: each scenario's first and last value drawn, with their years."""
    lines = []
    for name, values in series:
        drawn = [(y, v) for y, v in zip(years, values, strict=True) if math.isfinite(v)]
        if drawn:
            (y0, v0), (y1, v1) = drawn[0], drawn[-1]
            lines.append(
                _("{scenario}: {start} in {first_year}, {end} in {last_year}").format(
                    scenario=name, start=shown(v0), first_year=y0, end=shown(v1), last_year=y1
                )
            )
    return _("{title}, one line per scenario. {lines}.").format(title=title, lines="; ".join(lines))


def _overlay(xs: list[Any], series: list[tuple[str, list[float]]], columns: int, **chart: Any) -> str:
    """One line per scenario, at the page's width, tall enough for ``columns`` legend entries a row."""
    from analysis.reports.svgchart import line_chart

    return line_chart(
        xs, series, width=760, height=324 + 16 * -(-len(series) // columns), legend_columns=columns, **chart
    )


def consistency_overlay(runs: list[Run]) -> list[str]:
    """Each run's rd_paths ``consistency_curve`` overlaid; [] where a run lacks it."""
    from analysis.reports import rd_paths

    if not all(isinstance(r.results.get("consistency_curve"), list) for r in runs):
        return []
    xs = sorted({float(c["nonbudget_pct"]) for r in runs for c in r.results["consistency_curve"]})
    series = []
    for r in runs:
        by = {float(c["nonbudget_pct"]): c.get("pct_of_rd_part") for c in r.results["consistency_curve"]}
        series.append((r.title, [float(by[x]) if i18n.is_number(by.get(x)) else math.nan for x in xs]))
    title = _("Budget-financed R&D in the target year, % of the envelope's R&D part, by non-budget share")
    floors = rd_paths.resolution_floors()
    at = floors["resolution_nonstate_pct"]
    at_floor = [
        _("{scenario}: {value}").format(scenario=name, value=shown(v[xs.index(at)])) for name, v in series if at in xs
    ]
    return [
        _overlay(
            xs,
            series,
            1,
            title=title,
            y_label=_("% of the envelope's R&D part"),
            x_label=_("Non-budget share of R&D, %"),
            hline=(100.0, _("At most 100: the three targets fit together.")),
            marks=[(at, _(rd_paths.RESOLUTION_POINT).format_map(floors))],
            source=_("each scenario's results.json (r57 R&D path model)"),
            chart_id="overlay-consistency",
            alt=_("{title}, one line per scenario; at {resolution_nonstate_pct:num}% non-budget: {lines}.").format(
                title=title, lines="; ".join(at_floor), **floors
            ),
        )
    ]


def overlay_charts(runs: list[Run]) -> list[str]:
    """One SVG chart per field of the report's ``compare_charts`` overlaying each run's path (missing years are gaps)."""
    from analysis.reports import registry

    if runs[0].report not in registry.names() or not all(isinstance(r.results.get("path"), list) for r in runs):
        return []
    spec = registry.notebook_spec(runs[0].report).compare_charts
    years = sorted({int(p["year"]) for r in runs for p in r.results["path"] if "year" in p})
    columns = 1 if any(len(r.title) > 40 for r in runs) else 2  # long titles: one legend entry a row
    out = []
    for i, (field, title, unit, div) in enumerate(spec):
        series = []
        for r in runs:
            by_year = {int(p["year"]): p.get(field) for p in r.results["path"]}
            series.append(
                (r.title, [(by_year[y] / div) if i18n.is_number(by_year.get(y)) else math.nan for y in years])
            )
        if all(all(math.isnan(v) for v in s) for _, s in series):
            continue
        heading = _("{title}, {first}-{last}").format(title=_(title), first=years[0], last=years[-1])
        out.append(
            _overlay(
                years,
                series,
                columns,
                title=heading,
                y_label=_(unit),
                source=_("each scenario's results.json (r57 R&D path model); later years are projections"),
                chart_id=f"overlay-{i}",
                alt=_alt_text(heading, years, series),
            )
        )
    return out


CSS = """
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;margin:0;color:#1b1b1b}
main{max-width:64rem;margin:0 auto;padding:1.5rem} h1{font-size:1.6rem} h2{font-size:1.2rem;margin-top:1.8rem}
table{border-collapse:collapse;font-size:.85rem;width:100%;margin:.5rem 0} th,td{border-bottom:1px solid #ddd;padding:.3rem .45rem;vertical-align:top;text-align:left}
th{background:#f3f5f7} th .unit{font-weight:normal;color:#555;font-size:.8rem} td.num{text-align:right;white-space:nowrap} td.diff{color:#555;font-size:.8rem}
.why{display:inline-block;min-width:12rem;white-space:normal;text-align:left;color:#555;font-size:.8rem}
figure{margin:1rem 0;break-inside:avoid} .r57-chart{max-width:100%;height:auto}
footer{margin-top:2rem;font-size:.78rem;color:#555;border-top:1px solid #ccc;padding-top:.6rem}
code{font-size:.85em} @media print{main{max-width:none;padding:0} a{color:inherit}}
"""


def _reference_text(runs: list[Run], reference: str) -> Markup:
    from analysis.reports import registry

    first = Markup("<strong>{}</strong>").format(runs[0].title)
    baseline = Markup("<strong>{}</strong>").format(_title(registry.baseline(runs[0].report) or ""))
    texts = {
        "named": _("Differences are against the first scenario named, {first}."),
        "first": _("Differences are against the first scenario, {first}."),
        "baseline": _("Differences are against the baseline, {first}."),
        "baseline-failed": _(
            "The baseline, {baseline}, failed in its latest run: differences are against the first scenario, {first}."
        ),
        "baseline-missing": _(
            "The baseline, {baseline}, has no results: differences are against the first scenario, {first}."
        ),
    }
    return Markup.escape(texts[reference]).format(first=first, baseline=baseline)


def _cells(row: Row, runs: list[Run], same_set: list[bool]) -> list[tuple[str, str, str | None]]:
    """A key-figures row's cells: (value, the note's kind, the note or None)."""
    from analysis.run.site import FROM_RESULTS

    if by := FROM_RESULTS.get((runs[0].report, row.key)):  # shown as on the index: only where the report gives it
        return [(text, "why", why or None) for text, why in map(by, (r.results for r in runs))]
    # the reference's value, then each other run's with its difference
    v0 = row.values[0]
    return [(row.figure.text(v0), "", None)] + [
        (row.figure.text(v), "diff", shown_diff(v, v0) if same else _("another index"))
        for v, same in zip(row.values[1:], same_set, strict=True)
    ]


def render(
    runs: list[Run], output_dir: Path | None = None, links: dict[str, str] | None = None, reference: str = "named"
) -> str:
    """The comparison page (self-contained HTML, ``templates/site/compare.html.j2``) in the current language;
    ``links`` from the site: ``switch``, ``switch_lang``, ``switch_label``, ``index``. ``runs[0]`` is the
    reference; ``reference`` says why: ``named``, ``baseline``, ``first``, ``baseline-failed`` or ``baseline-missing``."""
    from analysis.reports import registry
    from analysis.run.site import TEMPLATES

    out_dir = Path(output_dir or ".").resolve()
    same_set = [comparable(r, runs[0]) for r in runs[1:]]
    report = runs[0].report or "report"
    try:
        report_title = _(registry.notebook_spec(report).title)
    except R57Error:
        report_title = i18n.keep(report)
    report_links, provenance = [], []
    for r in runs:
        pdf = r.folder / "report.pdf"
        report_links.append(
            {
                "href": os.path.relpath(r.folder.resolve() / "report.html", out_dir),
                "title": r.title,
                "pdf": os.path.relpath(pdf.resolve(), out_dir) if pdf.exists() else None,
            }
        )
        p = r.results.get("provenance") or {}
        code = p.get("code_version") or {}
        provenance.append(
            {
                "name": r.name,
                "when": str(p.get("run_at_utc", "")),
                "package": str(code.get("package", "?")),
                "commit": str(code.get("commit", "?")),
                "dirty": code.get("dirty"),
                "manifest": str(p.get("data_manifest_version", "?")),
                "files": ", ".join(f"{f} {sha}" for f, sha in (p.get("data_versions") or {}).items()),
            }
        )
    differ, same = param_rows(runs)
    return TEMPLATES.get_template("compare.html.j2").render(
        runs=runs,
        report_title=report_title,
        reference_text=_reference_text(runs, reference),
        all_comparable=all(same_set),
        report_links=report_links,
        charts=[Markup(svg) for svg in overlay_charts(runs) + consistency_overlay(runs)],
        rows=[
            {"key": row.key, "label": row.label, "unit": row.unit, "cells": _cells(row, runs, same_set)}
            for row in key_rows(runs)
        ],
        differ=[(k, param_label(report, k), [_shown_param(v) for v in vals]) for k, vals in differ],
        same=[(k, param_label(report, k)[0]) for k in same],
        provenance=provenance,
        generated=run_stamp(),
        css=Markup(CSS),
        **{"index": "index.html"} | (links or {}),
    )


def _shown_param(v: Any) -> str:
    return shown(v) if isinstance(v, (int, float)) or v is None else i18n.keep(shown(v))


def write_compare(
    names: list[str],
    output_dir: Path | str | None = None,
    reports_dir: Path | None = None,
    filename: str = "compare.html",
    pdf: bool = False,
    links: dict[str, str] | None = None,
    reference: str = "named",
) -> Path:
    """Write ``<output_dir>/<filename>`` (default ``reports/compare/compare.html``), and its PDF with
    ``pdf``, in the current language; the first of ``names`` is the reference. OutputDirError, before any
    work, for a page r57 did not record writing (:mod:`analysis.run.ownership`)."""
    out_dir = Path(output_dir or Path(reports_dir or paths.REPORTS_DIR) / paths.COMPARE_DIR)
    page = ownership.check_file(out_dir / filename, "comparison page")  # refused before any work
    if pdf:
        ownership.check_file(page.with_suffix(".pdf"), "comparison PDF")
    runs = load_runs(list(names), reports_dir)
    ownership.write_file(page, embed_page_font(render(runs, out_dir, links, reference)), "comparison page")
    if pdf:
        from analysis.run.pdf import write_pdf

        write_pdf(page, "comparison PDF")
    return page


def reference_order(report: str, names: list[str], reports_dir: Path) -> tuple[list[str], str]:
    """``names`` with the reference first (the baseline if it has results and did not fail last), and why
    (:func:`render`'s ``reference``)."""
    from analysis.reports import registry
    from analysis.run.records import read_record

    base = registry.baseline(report)
    if base is None:
        return names, "first"
    failed = read_record(base, reports_dir).get("last_status") == "failed"
    if failed or (base not in names and (reports_dir / f"{base}.failed").is_dir()):  # never succeeded
        return names, "baseline-failed"
    if base not in names:
        return names, "baseline-missing"
    return [base, *(n for n in names if n != base)], "baseline"


def site_comparisons(reports_dir: Path | None = None, pdf: bool = False, lang: str = i18n.SOURCE_LANG) -> list[Path]:
    """``<edition>/compare-<report>.html`` per report type with two or more scenarios with results, in
    ``lang``, its baseline as the reference (:func:`reference_order`)."""
    from analysis.run.catalogue import load_catalogue
    from analysis.run.site import made_by_r57, switch_links

    reports_dir = Path(reports_dir or paths.REPORTS_DIR)
    scenarios, _ = load_catalogue()
    by_report: dict[str, list[str]] = {}
    for s in scenarios:
        if (reports_dir / s.name / "results.json").is_file():
            by_report.setdefault(s.notebook, []).append(s.name)
    written = []
    for report, found in sorted(by_report.items()):
        if len(found) >= 2:
            names, reference = reference_order(report, found, reports_dir)
            page = f"compare-{report}.html"
            # migration: a page from before r57 kept records, recognised by its embedded font block
            ownership.adopt(reports_dir / page, partial(made_by_r57, reports_dir / page), binary=True)
            with i18n.language(lang):
                links = {"index": "index.html"} | switch_links(page, lang)
                written.append(
                    write_compare(names, reports_dir, reports_dir, page, pdf=pdf, links=links, reference=reference)
                )
    return written


def publish_site_extras(
    reports_dir: Path | None = None, pdf: bool = False, jobs: int = 1, log=print, lang: str = i18n.SOURCE_LANG
) -> dict[str, list[Path]]:
    """run-all's site step: the comparison pages and, with ``pdf``, a PDF of every page lacking an up-to-date
    one; problems are logged, never raised. Returns {"comparisons": [...], "pdfs": [...]}."""
    from concurrent.futures import ThreadPoolExecutor

    reports_dir = Path(reports_dir or paths.REPORTS_DIR)
    done: dict[str, list[Path]] = {"comparisons": [], "pdfs": []}
    try:
        done["comparisons"] = site_comparisons(reports_dir, lang=lang)
    except R57Error as exc:
        log(f"r57 run-all: comparison pages not written: {exc}")
    if not pdf:
        return done
    from analysis.run.pdf import PdfError, write_pdf

    pages = [
        p
        for p in sorted(reports_dir.glob("*/report.html")) + done["comparisons"]
        if not p.parent.name.endswith(".failed")
        and not p.parent.name.startswith(".")
        and not (p.with_suffix(".pdf").exists() and p.with_suffix(".pdf").stat().st_mtime >= p.stat().st_mtime)
    ]

    def one(page: Path) -> Path | None:
        try:
            return write_pdf(page)
        except (PdfError, OutputDirError) as exc:
            log(f"r57 run-all: no PDF for {page}: {exc}")
            return None

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        done["pdfs"] = [p for p in pool.map(one, pages) if p is not None]
    log(
        f"r57 run-all: {plural(len(done['comparisons']), 'comparison page')}, {plural(len(done['pdfs']), 'PDF')} written"
    )
    return done
