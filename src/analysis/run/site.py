"""The report site: ``index.html`` (a verdict panel, then one table per report of every scenario's key
figures from its ``run.json``, changes marked, and what changed between the two latest history snapshots)
and ``glossary.html``, from the jinja2 templates in ``templates/site/``, in two editions: English at
``reports/``, Vietnamese at ``reports/vi/``; every page links the same page in the other language.
"""

from __future__ import annotations

import contextlib
import io
import re
import zipfile
from collections.abc import Callable
from functools import cache, partial
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from analysis import i18n, paths
from analysis.data.labels import label
from analysis.i18n import _, ngettext
from analysis.reports import ecosystem_rankings as rs
from analysis.reports import findings, registry
from analysis.reports.fonts import MARKER as FONT_MARKER
from analysis.reports.fonts import embed_page_font
from analysis.reports.messages import glossary
from analysis.reports.params import INTERVAL_PCT, NOT_COMPUTED, KeyFigure
from analysis.reports.provenance import code_version_label, run_stamp
from analysis.reports.rd_paths import resolution_floors
from analysis.reports.render import fill, install_i18n
from analysis.reports.resolution_targets import STATUS_FIGURES
from analysis.reports.tables import tables_zip
from analysis.run import ownership
from analysis.run.catalogue import Scenario
from analysis.run.ownership import GLOSSARY_PAGE, ZIP_NAME
from analysis.run.records import read_json, read_record

EDITIONS: tuple[str, ...] = i18n.LANGS  # English first: the site's root
Records = dict[str, dict[str, Any]]  # each scenario's run record (records.read_record)
Results = Callable[[str], dict[str, Any] | None]  # a scenario's results.json (None: none, or not a mapping)


def edition_dir(lang: str, reports_dir: Path | None = None) -> Path:
    """The folder of the ``lang`` edition: the site's root for English, ``<root>/<lang>/`` otherwise."""
    root = Path(reports_dir or paths.REPORTS_DIR)
    return root if lang == i18n.SOURCE_LANG else root / i18n.check_lang(lang)


def edition_name(scenario: str, lang: str) -> str:
    """A scenario's report folder relative to the site's root: ``rd-baseline``, ``vi/rd-baseline``."""
    return scenario if lang == i18n.SOURCE_LANG else f"{lang}/{scenario}"


def other_lang(lang: str) -> str:
    return next(code for code in EDITIONS if code != lang)


def switch_links(page: str, lang: str, target: str | None = None) -> dict[str, str]:
    """The language switch of ``page`` (relative to the ``lang`` edition): ``target`` (default: the same
    page) in the other edition, its language and its own name."""
    other = other_lang(lang)
    up = "" if lang == i18n.SOURCE_LANG else "../"  # from the edition's folder to the site's root
    href = "../" * page.count("/") + up + ("" if other == i18n.SOURCE_LANG else other + "/")
    return {"switch": href + (target or page), "switch_lang": other, "switch_label": i18n.language_name(other)}


def page_links(scenario: str, lang: str, other_exists: bool = True) -> dict[str, str]:
    """The nav of report ``scenario`` in the ``lang`` edition: the index, the glossary and the language
    switch (to the other edition's index when the other report does not exist)."""
    page = f"{scenario}/report.html"
    return {"index": "../index.html", "glossary": f"../{GLOSSARY_PAGE}"} | switch_links(
        page, lang, None if other_exists else "index.html"
    )


# a status's colours (text, background) and icon: colour is never the only signal, the icon and the words say it
# too; every pair has a contrast of at least 4.5:1 (WCAG AA, tested)
STATUS_STYLES: dict[str, tuple[str, str, str]] = {
    "on-track": ("#0b5d2a", "#e6f4ea", "\u2713"),  # check mark
    "accelerate": ("#7a4100", "#fff1dc", "\u25b2"),  # up-pointing triangle: faster
    "off-track": ("#a30000", "#fde8e8", "\u2717"),  # ballot x
    "unmeasurable": ("#3d3d3d", "#ececec", "?"),
    "no-data": ("#3d3d3d", "#ffffff", "\u2013"),  # en dash
    "ok": ("#0b5d2a", "#ffffff", "\u2713"),
    "failed": ("#a30000", "#ffffff", "\u2717"),
    "refused": ("#a30000", "#ffffff", "\u2717"),
    "never": ("#595959", "#ffffff", "\u2013"),
}
CSS = """
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;margin:0;color:#1b1b1b;
overflow-wrap:break-word}
main{max-width:84rem;margin:0 auto;padding:1.5rem}
h1{font-size:1.7rem;margin-bottom:.3rem} p.lead{color:#333;max-width:60rem}
table{border-collapse:collapse;font-size:.86rem;width:100%} th,td{border-bottom:1px solid #ddd;padding:.35rem .5rem;vertical-align:top}
thead th{background:#f3f5f7;text-align:left;position:sticky;top:0} th[scope=row]{text-align:left;font-weight:normal}
td.num{text-align:right;white-space:nowrap}
.tablewrap{overflow-x:auto;margin:.5rem 0}
.tablewrap th[scope=row],.tablewrap thead th:first-child{position:sticky;left:0;z-index:1}
.tablewrap th[scope=row]{background:#fff}
.st{font-weight:600;white-space:nowrap}.st .icon{display:inline-block;min-width:1em;text-align:center}
.reason{font-size:.8rem;color:#333}
.changed{color:#b35c00;font-weight:700;cursor:help} .desc{color:#555;font-size:.8rem}
.scen{min-width:18rem;max-width:30rem} td.when{white-space:nowrap;font-size:.8rem} h2{margin-top:2rem;font-size:1.25rem}
section.verdict{border:2px solid #2a6fb0;border-radius:6px;background:#f4f8fc;padding:.7rem 1rem;margin:1rem 0;max-width:60rem}
section.verdict h2{margin:0 0 .3rem;font-size:1.2rem}
ul.lines{margin:0;padding:0;list-style:none} ul.lines>li{margin:.45rem 0;line-height:1.4}
ul.counts{display:flex;flex-wrap:wrap;gap:.3rem;margin:.35rem 0 0;padding:0;list-style:none}
ul.counts .st{border:1px solid currentColor;border-radius:4px;padding:.1rem .45rem;font-size:.85rem;white-space:normal}
p.runline{font-size:.8rem;color:#444;margin:.5rem 0 0}
details.run{margin-top:2rem} details.run summary{cursor:pointer;font-weight:600}
footer{margin-top:2rem;font-size:.8rem;color:#555;border-top:1px solid #ccc;padding-top:.6rem}
@media (max-width:40rem){main{padding:.75rem} h1{font-size:1.35rem} .scen{min-width:9rem;max-width:14rem}
section.verdict{padding:.5rem .7rem} ul.lines>li{margin:.3rem 0;line-height:1.3;font-size:.9rem}
ul.counts{gap:.2rem} ul.counts .st{font-size:.78rem;padding:0 .3rem}}
@media print{main{max-width:none;padding:0} nav.site{display:none} .tablewrap{overflow:visible}
.tablewrap th[scope=row],.tablewrap thead th:first-child{position:static}
table{font-size:7.5pt;table-layout:auto} th,td{padding:1px 3px;white-space:normal;overflow-wrap:break-word}
thead th{overflow-wrap:anywhere;position:static}
.scen{min-width:0} td.num,td.when,.st{white-space:normal} thead{display:table-header-group}
section.verdict{break-inside:avoid} details.run::details-content{content-visibility:visible;display:block}
body{-webkit-print-color-adjust:exact;print-color-adjust:exact}}
""" + "".join(f".st-{name}{{color:{fg};background:{bg}}}\n" for name, (fg, bg, _icon) in STATUS_STYLES.items())
TEMPLATES = install_i18n(  # the site's pages (templates/site), compare.render's too
    Environment(
        loader=FileSystemLoader(paths.TEMPLATES_DIR / "site"),
        autoescape=select_autoescape(default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
)


def _reason(text: str, limit: int = 400) -> str:
    """A refusal's message as the shared index shows it: folders of this machine named from the project (the
    scenarios folder as ``scenarios``), at most ``limit`` characters."""
    for folder, shown in ((paths.SCENARIOS_DIR, "scenarios"), (paths.PROJECT_ROOT, ".")):
        text = text.replace(str(folder), shown)
    return text if len(text) <= limit else text[:limit] + "..."


def _horizon_cases(results: dict[str, Any]) -> int | None:
    """How many backtest forecasts scored the rankings report's method at its projection's horizon."""
    at = (results.get("index_name"), results.get("projection_method"), str(results.get("horizon_editions")))
    rows = results.get("backtest") or []
    return next((int(r["cases"]) for r in rows if (r.get("index"), r.get("method"), r.get("horizon")) == at), None)


def coverage_cell(results: dict[str, Any]) -> tuple[str, str | None]:
    """The rankings' backtest column for one scenario, and why it shows no figure: the coverage of the report's
    own interval at the target horizon with its number of cases, where the report gives a projection with an
    interval on a backtest of at least :data:`~analysis.models.targets.MIN_BACKTEST_PAIRS` forecasts; else
    :data:`NOT_COMPUTED` and the report's reason (its coverage over every horizon would claim more)."""
    at_horizon = results.get("interval_coverage_at_horizon_pct")
    level = rs.percent((results.get("parameters") or {}).get("interval_pct", INTERVAL_PCT.default))
    horizon_cases = _horizon_cases(results)
    if results.get("projected_rank") is None:
        return NOT_COMPUTED, rs.withheld_words(results) or _("no projection is made; the report says why.")
    measured = i18n.is_number(at_horizon) and horizon_cases is not None
    if results.get("projected_rank_lo") is not None and measured:
        text = ngettext("{coverage:num} ({cases:num} case)", "{coverage:num} ({cases:num} cases)", horizon_cases)
        return text.format(coverage=at_horizon, cases=horizon_cases), None
    why = rs.interval_note_words(results.get("interval_note") or "no_interval", level)
    if not measured or results.get("interval_note") != "coverage_below_nominal":  # a coverage only where it is why
        return NOT_COMPUTED, _("the projection has no interval: {why}.").format(why=why)
    return NOT_COMPUTED, _(
        "the projection has no interval: {why} ({coverage:pct.0} at the target horizon, over {cases:num} cases)."
    ).format(why=why, coverage=at_horizon, cases=horizon_cases)


# a key figure the index shows from the report's results.json rather than the run record: (report, figure) ->
# (the cell's text, why it shows no figure)
RANKINGS_REPORT = "ecosystem_rankings"  # every scenario of this report
FROM_RESULTS = {
    (RANKINGS_REPORT, "backtest_coverage_pct"): coverage_cell,
    (RANKINGS_REPORT, "projected_rank"): lambda results: (rs.projected_rank_text(results), None),
}


def _row(
    s: Scenario, rec: dict[str, Any], used: list[KeyFigure], lang: str, results: Results
) -> tuple[dict[str, Any], list[Markup]]:
    """A scenario's row of its report's table, and the notes of its cells that show no figure."""
    folder = edition_dir(lang) / s.name
    has_report = (folder / "report.html").exists()
    status = rec.get("last_status", "never run")
    figures = rec.get("key_figures") or {}
    before = rec.get("previous_key_figures") or {}
    cells, notes = [], []
    for k in used:
        if (s.notebook, k.name) in FROM_RESULTS and (found := results(s.name)) is not None:
            text, note = FROM_RESULTS[s.notebook, k.name](found)
            cells.append({"text": text, "was": None})
            notes += [fill(_("{scenario}: {note}"), scenario=findings.strong(_(s.title)), note=note)] if note else []
            continue
        text = k.text(figures.get(k.name))
        was = k.text(before.get(k.name)) if k.name in figures and before.get(k.name) is not None else None
        cells.append({"text": text, "was": was if was not in (None, text, NOT_COMPUTED) else None})  # as shown
    reason = ""
    if status == "refused":
        reason = i18n.keep(_reason(rec.get("refused_reason", "")))  # r57's own message, in English
        if has_report:
            reason += " " + _("(the report linked is from an earlier run, not regenerated)")
    return {
        "title": _(s.title),
        "description": s.described(),
        "status": label("run", status),
        "status_class": (cls := {"ok": "ok", "failed": "failed", "refused": "refused"}.get(status, "never")),
        "status_icon": STATUS_STYLES[cls][2],
        "report_href": f"{s.name}/report.html" if has_report else None,
        "pdf_href": f"{s.name}/report.pdf" if has_report and (folder / "report.pdf").exists() else None,
        "error_href": f"{s.name}.failed/error.html" if status == "failed" else None,
        "kept": status == "failed" and has_report,
        "reason": reason,
        "updated": _updated(str(rec.get("last_success_utc", ""))),
        "cells": cells,
    }, notes


def _updated(stamp: str) -> str:
    """When a report was last regenerated: ``2026-11-23 13:00:00 UTC``; in Hanoi time in Vietnamese,
    ``20:00 ngày 23/11/2026 (giờ Hà Nội)``."""
    if i18n.current() == i18n.SOURCE_LANG or not stamp:
        return stamp.replace("T", " ").replace("+00:00", " UTC")
    return i18n.fmt.time(stamp)


def _sections(scenarios: list[Scenario], records: Records, lang: str, results: Results) -> list[dict[str, Any]]:
    out = []
    known = registry.reports()
    extra = sorted({s.notebook for s in scenarios} - {spec.name for spec in known})
    for name, heading, figures in [(spec.name, _(spec.section or spec.title), spec.key_figures) for spec in known] + [
        (n, n, ()) for n in extra
    ]:
        group = [s for s in scenarios if s.notebook == name]
        if not group:
            continue
        used = [k for k in figures if any(k.name in (records.get(s.name, {}).get("key_figures") or {}) for s in group)]
        compare = edition_dir(lang) / f"compare-{name}.html"  # written by compare.publish_site_extras
        rows = [_row(s, records.get(s.name, {}), used, lang, results) for s in group]
        headers = {k.name: _(k.header).format_map(resolution_floors()) for k in used}
        out.append(
            {
                "id": name,
                "heading": heading,
                "columns": [{"name": k, "header": header} for k, header in headers.items()],
                "rows": [row for row, _notes in rows],
                "notes": [note for _row, notes in rows for note in notes],
                "notes_column": next((headers[k] for report, k in FROM_RESULTS if report == name and k in headers), ""),
                "compare_href": compare.name if compare.exists() else None,
                "compare_pdf_href": compare.with_suffix(".pdf").name if compare.with_suffix(".pdf").exists() else None,
            }
        )
    return out


# What the verdict panel reads: the tracker's count of each status (its key figure: STATUS_FIGURES), in the style
# of that status in STATUS_STYLES
TRACKER_SCENARIO = "targets"
TARGET_STATUS_STYLES = dict(
    zip(STATUS_FIGURES, ("on-track", "accelerate", "off-track", "unmeasurable", "no-data", "no-data"), strict=True)
)
RANKING_CHANCE = "prob_reach_target_pct"
LIKELY_PCT = 50.0  # a target rank counts as likely reached from this chance (%)


def _figures(report: str, results: dict[str, Any]) -> dict[str, str]:
    """A report's key figures from its results.json, each formatted as the index shows it."""
    values = registry.key_figures(report, results)
    return {k.name: k.text(values[k.name]) for k in registry.notebook_spec(report).key_figures}


def _reader(folder: Path) -> Results:
    """The results.json of each scenario in ``folder``, read once for the page (:func:`read_json`'s checks)."""
    return cache(lambda name: read_json(folder / name / "results.json") or None)


def _state(name: str, scenarios: dict[str, Scenario], records: Records, results: Results) -> str:
    """``ok`` (results to show), ``failed`` (the latest run failed) or ``missing`` (no scenario or no results)."""
    if name not in scenarios:
        return "missing"
    if records.get(name, {}).get("last_status") == "failed":
        return "failed"
    return "ok" if results(name) is not None else "missing"


def _absent(name: str, state: str, folder: Path) -> Markup:
    """What a verdict line says when its scenario has no results to show."""
    code = Markup("<code>{}</code>").format(i18n.keep(name))
    if state == "failed":
        text = fill(
            _("The latest run of {name} failed ({link})."),
            name=code,
            link=_link(f"{name}.failed/error.html", _("what failed")),
        )
        if (folder / name / "report.html").exists():
            text += " " + fill(_("The {link} is kept."), link=_link(f"{name}/report.html", _("last good report")))
        return text
    return fill(_("No results yet: the scenario {name} has not run."), name=code)


def _link(href: str, text: str) -> Markup:
    return Markup('<a href="{}">{}</a>').format(href, text)


def _tracker_line(scenarios: dict[str, Scenario], records: Records, folder: Path, results: Results) -> dict[str, Any]:
    line: dict[str, Any] = {"label": _("The tracker"), "counts": []}
    state = _state(TRACKER_SCENARIO, scenarios, records, results)
    if state != "ok":
        return line | {"text": _absent(TRACKER_SCENARIO, state, folder)}
    found = results(TRACKER_SCENARIO) or {}
    shown = _figures("resolution_targets", found)
    headers = {k.name: k.header for k in registry.notebook_spec("resolution_targets").key_figures}
    line["text"] = Markup(" ").join(findings.sentences(found, findings.targets_tracked)) or Markup(NOT_COMPUTED)
    for status, name in STATUS_FIGURES.items():
        style, count = TARGET_STATUS_STYLES[status], shown[name]
        if status == "off track" and found.get("targets_off_track_windows_disagree"):  # the tracker's count
            count = _("{count} ({n:num} with windows disagreeing)").format(
                count=count, n=found["targets_off_track_windows_disagree"]
            )
        line["counts"].append(
            {"style": style, "icon": STATUS_STYLES[style][2], "label": _(headers[name]), "count": count}
        )
    line["link"] = _link(f"{TRACKER_SCENARIO}/report.html", _("Open the tracker"))
    return line


def _rd_line(scenarios: dict[str, Scenario], records: Records, folder: Path, results: Results) -> dict[str, Any]:
    """The R&D headline: the answer and the one condition (:func:`findings.rd_answer`); the report keeps the detail."""
    line: dict[str, Any] = {"label": _("R&D spending")}
    baseline = registry.baseline("rd_paths")  # the scenario its spec names as the one others are compared with
    state = _state(baseline, scenarios, records, results)
    if state != "ok":
        return line | {"text": _absent(baseline, state, folder)}
    said = findings.sentences(results(baseline) or {}, findings.rd_answer)
    line["text"] = Markup(" ").join(said) or Markup(NOT_COMPUTED)
    line["link"] = _link(f"{baseline}/report.html", _("Open the report"))
    return line


def _rankings_line(scenarios: dict[str, Scenario], records: Records, folder: Path, results: Results) -> dict[str, Any]:
    """The rankings headline: how many rankings are within their target rank in the latest edition and, of those a
    report gives a chance for, how many are likely reached (a report withholds its chance when its backtest cannot
    carry it); each count the Resolution's own targets apart from those a scenario assumes (``target_source``)."""
    line: dict[str, Any] = {"label": _("Rankings")}
    names = [name for name, s in scenarios.items() if s.notebook == RANKINGS_REPORT]
    within: dict[bool, list[bool]] = {True: [], False: []}  # the Resolution's own targets, the scenarios' assumptions
    likely: dict[bool, list[bool]] = {True: [], False: []}  # the same split, of the rankings with a chance
    failed = 0
    for name in names:
        state = _state(name, scenarios, records, results)
        failed += state == "failed"
        if state != "ok":
            continue
        found = results(name) or {}
        figures = registry.key_figures(RANKINGS_REPORT, found)
        own = found.get("target_source") == "resolution"
        latest, target = figures["latest_rank"], (found.get("parameters") or {}).get("target_rank")
        if i18n.is_number(latest) and i18n.is_number(target):
            within[own].append(latest <= target)
        if i18n.is_number(figures[RANKING_CHANCE]):
            likely[own].append(figures[RANKING_CHANCE] >= LIKELY_PCT)
    failures = fill(
        ngettext("{n} ranking scenario failed to run.", "{n} ranking scenarios failed to run.", failed),
        n=i18n.fmt.num(failed),
    )
    if not within[True] + within[False]:
        return line | {"text": failures if failed else Markup.escape(_("No results yet: no ranking scenario has run."))}
    text = fill(_("Within their target rank in the latest edition: {counts}."), counts=_target_counts(within))
    if likely[True] + likely[False]:
        text += " " + fill(
            _(
                "With a chance of {pct}% or more of reaching it by the target year, of those with a chance computed: "
                "{counts}."
            ),
            counts=_target_counts(likely),
            pct=i18n.fmt.num(LIKELY_PCT),
        )
    else:
        text += " " + Markup.escape(
            _("No report gives a chance of reaching the target rank; each says why its backtest cannot carry one.")
        )
    line["text"] = text + (" " + failures if failed else "")
    line["link"] = _link(f"#{RANKINGS_REPORT}", _("See the rankings"))
    return line


def _target_counts(counted: dict[bool, list[bool]]) -> Markup:
    """How many hold of the Resolution's own targets (True) and the scenarios' (False): "0 of 2 Resolution targets"."""
    n = {k: len(got) for k, got in counted.items()}
    words = {
        True: ngettext("{within} of {n} Resolution target", "{within} of {n} Resolution targets", n[True]),
        False: ngettext("{within} of {n} illustrative target", "{within} of {n} illustrative targets", n[False]),
    }
    return Markup("; ").join(
        fill(words[k], within=findings.strong(i18n.fmt.num(sum(got))), n=i18n.fmt.num(n[k]))
        for k, got in counted.items()
        if got
    )


def _run_line(scenarios: list[Scenario], records: Records) -> Markup:
    """The operators' summary: how many scenarios ran without error, and when the latest was regenerated."""
    ok = sum(records.get(s.name, {}).get("last_status") == "ok" for s in scenarios)
    stamps = sorted(str(r.get("last_success_utc")) for r in records.values() if r.get("last_success_utc"))
    text = fill(_("Run: {ok} of {n} scenarios ran without error."), ok=i18n.fmt.num(ok), n=i18n.fmt.num(len(scenarios)))
    if stamps:
        text += " " + fill(_("Latest update {when}."), when=_updated(stamps[-1]))
    return text + " " + _link("#run", _("Run details"))


def verdict(
    scenarios: list[Scenario], records: Records, lang: str = i18n.SOURCE_LANG, results: Results | None = None
) -> dict[str, Any]:
    """The verdict panel of the ``lang`` edition's index (call inside ``i18n.language(lang)``): the tracker,
    R&D and rankings lines, each linking its report (or saying why it cannot), and the run line; ``results``:
    the page's reader of the scenarios' results (default: a new one, :func:`_reader`)."""
    folder = edition_dir(lang)
    by_name = {s.name: s for s in scenarios}
    results = results or _reader(folder)
    return {
        "lines": [line(by_name, records, folder, results) for line in (_tracker_line, _rd_line, _rankings_line)],
        "run": _run_line(scenarios, records),
    }


def _changes_since_previous() -> dict[str, Any] | None:
    """The figures that changed between the two latest dated snapshots (reports/history), if any."""
    from analysis.run.history import changes_since_previous

    found = changes_since_previous(paths.REPORTS_DIR)
    if found is None:
        return None
    before_date, after_date, table = found
    headers = {k.name: k for k in registry.columns()}
    rows = []
    for r in table.itertuples():
        k = headers.get(r.figure)
        shown = k or KeyFigure(r.figure, "", "", None)  # a figure no report declares (any more): by size
        change = r.change if isinstance(r.change, str) else shown.text(r.change)
        rows.append(
            {
                "title": _(r.title) if r.title else "",
                "figure": _(k.header).format_map(resolution_floors()) if k else (r.figure or ""),
                "before": "" if r.before is None else shown.text(r.before),
                "after": "" if r.after is None else shown.text(r.after),
                "change": change,
            }
        )
    return {"before": _date(before_date), "after": _date(after_date), "rows": rows}


def _date(iso: str) -> str:
    """A snapshot's date: as recorded in English (2026-11-23), 23/11/2026 in Vietnamese."""
    if i18n.current() == i18n.SOURCE_LANG:
        return iso
    try:
        return i18n.fmt.date(iso)
    except ValueError:
        return iso


def render_index(
    scenarios: list[Scenario],
    records: Records,
    refused: list[tuple[str, str]] | None = None,
    lang: str = i18n.SOURCE_LANG,
) -> str:
    """The index page of the ``lang`` edition; ``refused`` lists (scenario name, reason) for scenarios not
    run this time."""
    with i18n.language(lang):
        known_names = {s.name for s in scenarios}
        records = dict(records)
        folder = edition_dir(lang)
        refused_files = []
        for name, reason in refused or []:
            if name in known_names:  # a valid scenario refused for its output folder: shown in its section
                records[name] = {**records.get(name, {}), "last_status": "refused", "refused_reason": reason}
                continue
            old = (folder / name / "report.html").exists() and not (folder / name).is_symlink()
            href = f"{name}/report.html" if old else None
            refused_files.append(
                {
                    "name": name,
                    "reason": i18n.keep(_reason(reason)),
                    "old_href": href,
                    "old_link": _link(href, _("report from an earlier run")) if old else "",
                }
            )
        return TEMPLATES.get_template("index.html.j2").render(
            lang=lang,
            css=Markup(CSS),
            verdict=verdict(scenarios, records, lang, results := _reader(folder)),
            sections=_sections(scenarios, records, lang, results),
            refused=refused_files,
            changes=_changes_since_previous(),
            not_computed=NOT_COMPUTED,
            changed_mark=Markup('<span class="changed">&#9679;</span>'),
            scenarios_code=Markup("<code>scenarios/</code>"),
            generated=i18n.fmt.time(run_stamp()),
            code_version=i18n.keep(code_version_label()),
            glossary_href=GLOSSARY_PAGE,
            tables_zip=ZIP_NAME if (folder / ZIP_NAME).is_file() else None,
            **switch_links("index.html", lang),
        )


def render_error_page(title: str, name: str, notebook: str, error_text: str, lang: str = i18n.SOURCE_LANG) -> str:
    """``<name>.failed/error.html``: why a scenario failed; its switch leads to the other edition's index."""
    with i18n.language(lang):
        return TEMPLATES.get_template("error.html.j2").render(
            lang=lang,
            title=_(title),
            title_html=Markup("<strong>{}</strong>").format(_(title)),
            name_html=Markup("<code>{}</code>").format(i18n.keep(name)),
            notebook_html=Markup("<code>{}</code>").format(i18n.keep(notebook)),
            error_text=i18n.keep(error_text),
            **switch_links(f"{name}.failed/error.html", lang, "index.html"),
        )


def edition_scenarios(scenarios: list[Scenario], lang: str) -> list[Scenario]:
    """The scenarios published in the ``lang`` edition (run-all's runs and its index): all but those whose file
    pins another language. A file's ``lang`` is never null: validation refuses an empty ``lang`` (the catalogue
    lists such a file as refused)."""
    return [s for s in scenarios if s.parameters.get("lang", lang) == lang]


def made_by_r57(path: Path, data: bytes) -> bool:
    """Migration: a site file an r57 from before the records wrote (a page with the font block, a zip of
    ``<scenario>/<table>.csv``)."""
    if path.suffix == ".zip":
        with contextlib.suppress(zipfile.BadZipFile):
            return all(re.fullmatch(r"[^/]+/[^/]+\.csv", n) for n in zipfile.ZipFile(io.BytesIO(data)).namelist())
        return False
    return data.startswith(b"<!DOCTYPE html>") and f'<style id="{FONT_MARKER}">'.encode() in data


def claim_site_file(path: Path) -> Path:
    """``path``, one of an edition's :data:`SITE_FILES`, made absolute; OutputDirError when r57 did not
    write it (one from an r57 before the records is adopted)."""
    ownership.adopt(path, partial(made_by_r57, path), binary=True)
    return ownership.check_file(path, "site file")


def write_site_file(path: Path, data: bytes | str) -> None:
    """Write and record one of :data:`SITE_FILES`, never over a file r57 did not write."""
    ownership.write_file(claim_site_file(path), data, "site file")


def write_index(
    scenarios: list[Scenario], refused: list[tuple[str, str]] | None = None, lang: str = i18n.SOURCE_LANG
) -> Path:
    """Write the ``lang`` edition's ``index.html`` and the ``tables.zip`` of its reports' CSVs it links."""
    folder = edition_dir(lang)
    scenarios = edition_scenarios(scenarios, lang)
    records = {s.name: read_record(s.name, folder) for s in scenarios}
    for s in scenarios:  # a scenario that never succeeded has its failure recorded only in <name>.failed
        if not records[s.name] and (folder / f"{s.name}.failed" / "error.html").exists():
            records[s.name] = {"last_status": "failed"}
    # every table of the edition's reports in one zip (written first: the index links it when it exists)
    folder.mkdir(parents=True, exist_ok=True)
    write_site_file(folder / ZIP_NAME, tables_zip(folder, [s.name for s in scenarios]))
    path = folder / "index.html"
    write_site_file(path, embed_page_font(render_index(scenarios, records, refused, lang)))
    return path


def write_indexes(scenarios: list[Scenario], refused: list[tuple[str, str]] | None = None) -> Path:
    """Write every edition's index and glossary, whichever editions ran (each switch finds the other
    index); return the English index's path."""
    for lang in EDITIONS:
        write_index(scenarios, refused, lang)
        write_site_file(edition_dir(lang) / GLOSSARY_PAGE, embed_page_font(render_glossary(lang)))
    return edition_dir(i18n.SOURCE_LANG) / "index.html"


def _short_name(name: str, term: str) -> str:
    """``name``, a term in the other language, shown after ``term`` once and short: of "GII (Global Innovation
    Index)" the long name where ``term`` already shows GII, else the name before its parenthesis."""
    head, bracket, rest = name.partition(" (")
    if not bracket or not rest.endswith(")"):
        return name
    return rest[:-1] if head in term else head


def render_glossary(lang: str = i18n.SOURCE_LANG) -> str:
    """The glossary page of the ``lang`` edition: each term in both languages and its definition."""
    with i18n.language(lang):
        # in the edition's alphabetical order: Vietnamese puts Đ after D and ă, â after a (i18n.sort_key)
        order = i18n.sort_key if lang == "vi" else str.casefold
        entries = sorted(glossary().get("terms") or [], key=lambda e: order(str(e.get(f"term_{lang}", ""))))
        return TEMPLATES.get_template("glossary.html.j2").render(
            lang=lang,
            css=Markup(CSS),
            entries=[
                {
                    "term": i18n.keep(e[f"term_{lang}"]),
                    "other": i18n.keep(_short_name(e[f"term_{other_lang(lang)}"], e[f"term_{lang}"])),
                    "definition": i18n.keep(e[f"definition_{lang}"]),
                    "source": i18n.keep(e.get("source_vi" if lang == "vi" else "source", "")),
                }
                for e in entries
            ],
            other_lang=other_lang(lang),
            **switch_links(GLOSSARY_PAGE, lang),
        )
