"""The report site: ``reports/index.html``, one table per report with every scenario's key figures.

The page comes from the jinja2 template ``templates/site/index.html.j2`` (autoescaped). Which
reports there are, their sections, order and key figures come from ``analysis.reports.registry``;
the figures themselves from each scenario's run record (``run.json``), with a mark where a figure
changed since the previous run, and, when the scheduled job has kept at least two dated snapshots
(``reports/history``), a table of what changed between them.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from analysis import paths
from analysis.reports import registry
from analysis.reports.fonts import embed_page_font
from analysis.reports.params import KeyFigure
from analysis.reports.provenance import code_version_label, run_stamp
from analysis.run.catalogue import Scenario
from analysis.run.records import RUN_RECORD, write_atomic

CSS = """
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;margin:0;color:#1b1b1b}
main{max-width:84rem;margin:0 auto;padding:1.5rem}
h1{font-size:1.7rem;margin-bottom:.3rem} p.lead{color:#333;max-width:60rem}
table{border-collapse:collapse;font-size:.86rem;width:100%} th,td{border-bottom:1px solid #ddd;padding:.35rem .5rem;vertical-align:top}
thead th{background:#f3f5f7;text-align:left;position:sticky;top:0} th[scope=row]{text-align:left;font-weight:normal}
td.num{text-align:right;white-space:nowrap}
.ok{color:#006b2e;font-weight:600}.failed,.refused{color:#a30000;font-weight:600}.never{color:#777}
.reason{font-size:.8rem;color:#333}
.changed{color:#b35c00;font-weight:700;cursor:help} .desc{color:#555;font-size:.8rem}
.scen{min-width:18rem;max-width:30rem} td.when{white-space:nowrap;font-size:.8rem} h2{margin-top:2rem;font-size:1.25rem}
footer{margin-top:2rem;font-size:.8rem;color:#555;border-top:1px solid #ccc;padding-top:.6rem}
"""
NOT_COMPUTED = "–"  # an en dash: the report does not compute this figure for this scenario (said in the lead)
_ENV = Environment(
    loader=FileSystemLoader(paths.TEMPLATES_DIR / "site"),
    autoescape=select_autoescape(default=True),
    trim_blocks=True,
    lstrip_blocks=True,
)


def fmt_figure(value: Any, fmt: str) -> str:
    """A key figure as the index shows it: ``fmt`` is a ``str.format`` pattern or ``"yesno"``."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return NOT_COMPUTED
    if fmt == "yesno":
        return "yes" if value else "no"
    try:
        return fmt.format(value)
    except (TypeError, ValueError):
        return str(value)


def _changed(now: Any, before: Any) -> bool:
    if before is None or now is None:
        return False
    if isinstance(now, (int, float)) and isinstance(before, (int, float)) and not isinstance(now, bool):
        return not math.isclose(float(now), float(before), rel_tol=1e-9, abs_tol=1e-12)
    return now != before


def _short(text: str, limit: int = 400) -> str:
    return text if len(text) <= limit else text[:limit] + "..."


def _row(s: Scenario, rec: dict[str, Any], used: list[KeyFigure]) -> dict[str, Any]:
    folder = paths.REPORTS_DIR / s.name
    has_report = (folder / "report.html").exists()
    status = rec.get("last_status", "never run")
    figures = rec.get("key_figures") or {}
    before = rec.get("previous_key_figures") or {}
    cells = []
    for k in used:
        changed = k.name in figures and _changed(figures.get(k.name), before.get(k.name))
        cells.append(
            {
                "text": fmt_figure(figures.get(k.name), k.fmt),
                "was": fmt_figure(before.get(k.name), k.fmt) if changed else None,
            }
        )
    reason = ""
    if status == "refused":
        reason = _short(rec.get("refused_reason", ""))
        if has_report:
            reason += " (the report linked is from an earlier run, not regenerated)"
    return {
        "title": s.title,
        "description": s.description,
        "status": status,
        "status_class": {"ok": "ok", "failed": "failed", "refused": "refused"}.get(status, "never"),
        "report_href": f"{s.name}/report.html" if has_report else None,
        "pdf_href": f"{s.name}/report.pdf" if has_report and (folder / "report.pdf").exists() else None,
        "error_href": f"{s.name}.failed/error.html" if status == "failed" else None,
        "kept": status == "failed" and has_report,
        "reason": reason,
        "updated": str(rec.get("last_success_utc", "")).replace("T", " ").replace("+00:00", " UTC"),
        "cells": cells,
    }


def _sections(scenarios: list[Scenario], records: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    known = registry.reports()
    extra = sorted({s.notebook for s in scenarios} - {spec.name for spec in known})
    for name, heading, figures in [(spec.name, spec.section or spec.title, spec.key_figures) for spec in known] + [
        (n, n, ()) for n in extra
    ]:
        group = [s for s in scenarios if s.notebook == name]
        if not group:
            continue
        used = [k for k in figures if any(k.name in (records.get(s.name, {}).get("key_figures") or {}) for s in group)]
        compare = paths.REPORTS_DIR / f"compare-{name}.html"  # written by compare.publish_site_extras
        out.append(
            {
                "heading": heading,
                "columns": used,
                "rows": [_row(s, records.get(s.name, {}), used) for s in group],
                "compare_href": compare.name if compare.exists() else None,
                "compare_pdf_href": compare.with_suffix(".pdf").name if compare.with_suffix(".pdf").exists() else None,
            }
        )
    return out


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
        fmt = k.fmt if k else "{}"
        change = r.change if isinstance(r.change, str) else fmt_figure(r.change, fmt if fmt != "yesno" else "{}")
        rows.append(
            {
                "title": r.title,
                "figure": k.header if k else (r.figure or ""),
                "before": "" if r.before is None else fmt_figure(r.before, fmt),
                "after": "" if r.after is None else fmt_figure(r.after, fmt),
                "change": change,
            }
        )
    return {"before": before_date, "after": after_date, "rows": rows}


def render_index(
    scenarios: list[Scenario], records: dict[str, dict[str, Any]], refused: list[tuple[str, str]] | None = None
) -> str:
    """The index page; ``refused`` lists (scenario name, reason) for scenarios not run this time."""
    refused = list(refused or [])
    known_names = {s.name for s in scenarios}
    records = dict(records)
    for name, reason in refused:
        if name in known_names:  # a valid scenario refused for its output folder: shown in its section
            records[name] = {**records.get(name, {}), "last_status": "refused", "refused_reason": reason}
    refused_files = []
    for name, reason in refused:
        if name in known_names:
            continue
        old = (paths.REPORTS_DIR / name / "report.html").exists() and not (paths.REPORTS_DIR / name).is_symlink()
        refused_files.append(
            {"name": name, "reason": _short(reason), "old_href": f"{name}/report.html" if old else None}
        )
    return _ENV.get_template("index.html.j2").render(
        lang="en",
        css=CSS,
        sections=_sections(scenarios, records),
        refused=refused_files,
        changes=_changes_since_previous(),
        not_computed=NOT_COMPUTED,
        generated=run_stamp(),
        code_version=code_version_label(),
    )


def render_error_page(title: str, name: str, notebook: str, error_text: str) -> str:
    """The page that says why a scenario failed (``reports/<name>.failed/error.html``)."""
    return _ENV.get_template("error.html.j2").render(
        lang="en", title=title, name=name, notebook=notebook, error_text=error_text
    )


def write_index(scenarios: list[Scenario], refused: list[tuple[str, str]] | None = None) -> Path:
    records = {}
    for s in scenarios:
        try:
            records[s.name] = json.loads((paths.REPORTS_DIR / s.name / RUN_RECORD).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            pass
    failed_only = {}
    for s in scenarios:  # a scenario that never succeeded has its failure recorded only in <name>.failed
        if s.name not in records and (paths.REPORTS_DIR / f"{s.name}.failed" / "error.html").exists():
            failed_only[s.name] = {"last_status": "failed"}
    path = paths.REPORTS_DIR / "index.html"
    write_atomic(path, embed_page_font(render_index(scenarios, records | failed_only, refused)))
    return path
