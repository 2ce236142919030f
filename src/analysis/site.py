"""``reports/index.html``: one self-contained page listing every scenario with its key figures.

No script, font or style is loaded from anywhere: the page works from a file:// path,
a zip extract or any static web server. Every text taken from a scenario file is
HTML-escaped.
"""

from __future__ import annotations

import html
import json
import math
from pathlib import Path
from typing import Any

from . import paths
from .catalogue import Scenario
from .provenance import code_version_label, run_stamp

COLUMNS: list[tuple[str, str, str]] = [
    # (key in run.json key_figures, header, format)
    ("targets_total", "Targets tracked", "{:.0f}"),
    ("targets_on_track", "On track", "{:.0f}"),
    ("targets_needs_acceleration", "Need acceleration", "{:.0f}"),
    ("targets_off_track", "Off track", "{:.0f}"),
    ("targets_not_measurable", "Not measurable", "{:.0f}"),
    ("targets_without_data", "No data", "{:.0f}"),
    ("base_year", "Path starts in", "{:.0f}"),
    ("share_base_pct", "R&D at the start, % of GDP", "{:.2f}"),
    ("gerd_nominal_cagr_pct", "R&D growth needed, % a year (nominal VND)", "{:.1f}"),
    ("max_gerd_growth_pct", "R&D growth needed in the steepest year, %", "{:.1f}"),
    ("gerd_target_usd_bn", "R&D in the target year, USD bn", "{:.1f}"),
    ("gerd_target_usd_bn_p50", "R&D in the target year, USD bn (median)", "{:.1f}"),
    ("state_gerd_pct_envelope_target", "State R&D in the target year, % of the budget envelope for S&T, innovation and DX", "{:.0f}"),
    ("envelope_fits_all_years", "Fits the budget envelope every year?", "yesno"),
    ("share_of_windows_reaching_pct", "Historical windows climbing as fast, %", "{:.1f}"),
    ("structural_share_target_pct", "R&D share Viet Nam's income predicts, % of GDP", "{:.2f}"),
    ("prob_state_gerd_exceeds_envelope_pct", "P(state part exceeds envelope), %", "{:.0f}"),
    ("latest_rank", "Latest rank", "{:.0f}"),
    ("projected_rank", "Projected rank", "{:.0f}"),
    ("prob_reach_target_pct", "P(reach target rank), %", "{:.0f}"),
    ("backtest_coverage_pct", "Backtest: share of outcomes inside the interval, %", "{:.0f}"),
    ("regional_rank_latest", "Rank in Southeast Asia", "{:.0f}"),
]

CSS = """
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;margin:0;color:#1b1b1b}
main{max-width:84rem;margin:0 auto;padding:1.5rem}
h1{font-size:1.7rem;margin-bottom:.3rem} p.lead{color:#333;max-width:60rem}
table{border-collapse:collapse;font-size:.86rem;width:100%} th,td{border-bottom:1px solid #ddd;padding:.35rem .5rem;vertical-align:top}
th{background:#f3f5f7;text-align:left;position:sticky;top:0} td.num{text-align:right;white-space:nowrap}
.ok{color:#006b2e;font-weight:600}.failed,.refused{color:#a30000;font-weight:600}.never{color:#777}
.reason{font-size:.8rem;color:#333}
.changed{color:#b35c00;font-weight:700;cursor:help} .desc{color:#555;font-size:.8rem}
td.scen{min-width:18rem;max-width:30rem} td.when{white-space:nowrap;font-size:.8rem} h2{margin-top:2rem;font-size:1.25rem}
footer{margin-top:2rem;font-size:.8rem;color:#555;border-top:1px solid #ccc;padding-top:.6rem}
"""


def _fmt(value: Any, fmt: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if fmt == "yesno":
        return "yes" if value else "no"
    try:
        return fmt.format(value)
    except (TypeError, ValueError):
        return html.escape(str(value))


def _changed(now: Any, before: Any) -> bool:
    if before is None or now is None:
        return False
    if isinstance(now, (int, float)) and isinstance(before, (int, float)) and not isinstance(now, bool):
        return not math.isclose(float(now), float(before), rel_tol=1e-9, abs_tol=1e-12)
    return now != before


SECTIONS = [
    ("resolution_targets", "Every target of Resolution 57: the tracker"),  # first: the page a reader opens first
    ("rd_paths", "R&D spending paths to 2% of GDP"),
    ("rd_feasibility", "Feasibility of the R&D target"),
    ("ecosystem_rankings", "Startup-ecosystem and innovation rankings"),
]


def _row(s: Scenario, rec: dict[str, Any], used: list[tuple[str, str, str]]) -> str:
    has_report = (paths.REPORTS_DIR / s.name / "report.html").exists()
    status = rec.get("last_status", "never run")
    cls = {"ok": "ok", "failed": "failed", "refused": "refused"}.get(status, "never")
    status_html = f"<span class='{cls}'>{html.escape(status)}</span>"
    if status == "refused":
        status_html += f"<div class='reason'>{html.escape(_short(rec.get('refused_reason', '')))}</div>"
        if has_report:
            status_html += "<div class='reason'>the report below is from an earlier run, not regenerated</div>"
    if status == "failed":
        status_html += f" (<a href='{html.escape(s.name)}.failed/error.html'>what failed</a>)"
        if has_report:
            status_html += "; last good report kept"
    title = html.escape(s.title)
    link = f"<a href='{html.escape(s.name)}/report.html'>{title}</a>" if has_report else title
    if has_report and (paths.REPORTS_DIR / s.name / "report.pdf").exists():
        link += f" (<a href='{html.escape(s.name)}/report.pdf'>PDF</a>)"
    figures = rec.get("key_figures") or {}
    before = rec.get("previous_key_figures") or {}
    cells = []
    for key, _, fmt in used:
        text = _fmt(figures.get(key), fmt)
        if key in figures and _changed(figures.get(key), before.get(key)):
            text += (f" <span class='changed' title='changed since the previous run: was "
                     f"{html.escape(_fmt(before.get(key), fmt))}'>&#9679;</span>")
        cells.append(f"<td class='num'>{text}</td>")
    updated = html.escape(str(rec.get("last_success_utc", "")).replace("T", " ").replace("+00:00", " UTC"))
    return (f"<tr><td class='scen'>{link}<div class='desc'>{html.escape(s.description)}</div></td>"
            f"<td>{status_html}</td><td class='when'>{updated}</td>{''.join(cells)}</tr>")


def _short(text: str, limit: int = 400) -> str:
    return text if len(text) <= limit else text[:limit] + "..."


def _refused_section(refused: list[tuple[str, str]]) -> str:
    """Scenario files refused by the catalogue (no title can be trusted): name, reason, old report."""
    if not refused:
        return ""
    rows = []
    for name, reason in refused:
        old = (paths.REPORTS_DIR / name / "report.html").exists() and not (paths.REPORTS_DIR / name).is_symlink()
        link = (f" (<a href='{html.escape(name)}/report.html'>report from an earlier run</a>, not regenerated)"
                if old else "")
        rows.append(f"<tr><td class='scen'><code>{html.escape(name)}</code>{link}</td>"
                    f"<td><span class='refused'>refused</span></td><td class='reason'>{html.escape(_short(reason))}</td></tr>")
    return ("<h2>Scenario files refused</h2><p>These files in <code>scenarios/</code> were not run; the reason is given "
            "for each. Fix the file and run again.</p><table><thead><tr><th scope='col'>Scenario</th><th scope='col'>"
            f"Status</th><th scope='col'>Reason</th></tr></thead><tbody>{''.join(rows)}</tbody></table>")


def render_index(scenarios: list[Scenario], records: dict[str, dict[str, Any]],
                 refused: list[tuple[str, str]] | None = None) -> str:
    """The index page; ``refused`` lists (scenario name, reason) for scenarios not run this time."""
    refused = list(refused or [])
    known_names = {s.name for s in scenarios}
    records = dict(records)
    for name, reason in refused:
        if name in known_names:  # a valid scenario refused for its output folder: shown in its section
            records[name] = {**records.get(name, {}), "last_status": "refused", "refused_reason": reason}
    parts = []
    known = [n for n, _ in SECTIONS]
    sections = SECTIONS + [(n, n) for n in sorted({s.notebook for s in scenarios} - set(known))]
    for notebook, heading in sections:
        group = [s for s in scenarios if s.notebook == notebook]
        if not group:
            continue
        used = [c for c in COLUMNS if any(c[0] in (records.get(s.name, {}).get("key_figures") or {}) for s in group)]
        head = "".join(f"<th scope='col'>{html.escape(h)}</th>" for _, h, _ in used)
        rows = "".join(_row(s, records.get(s.name, {}), used) for s in group)
        compare = paths.REPORTS_DIR / f"compare-{notebook}.html"
        if compare.exists():  # written by compare.publish_site_extras
            pdf = " (<a href='" + html.escape(compare.with_suffix(".pdf").name) + "'>PDF</a>)" if compare.with_suffix(".pdf").exists() else ""
            rows += (f"<tr><td class='scen' colspan='{3 + len(used)}'><a href='{html.escape(compare.name)}'>"
                     f"All these scenarios side by side</a>{pdf}</td></tr>")
        parts.append(
            f"<h2>{html.escape(heading)}</h2><table><thead><tr><th scope='col'>Scenario</th><th scope='col'>Status</th>"
            f"<th scope='col'>Last updated</th>{head}</tr></thead><tbody>{rows}</tbody></table>"
        )
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>r57 reports: Resolution 57 targets</title><style>{CSS}</style></head><body><main>"
        "<h1>Can Viet Nam meet the targets of Resolution 57?</h1>"
        "<p class='lead'>Every scenario in the catalogue, with its key figures side by side. Click a title to open the "
        "report; each report links its tables as CSV files. A <span class='changed'>&#9679;</span> marks a figure that "
        "changed since the previous run (hover to see the old value).</p>"
        + "".join(parts)
        + _refused_section([(n, r) for n, r in refused if n not in known_names])
        + f"<footer>Generated {html.escape(run_stamp())} (UTC) by {html.escape(code_version_label())}. Data sources and "
        "checksums are listed at the end of each report.</footer></main></body></html>"
    )


def write_index(scenarios: list[Scenario], refused: list[tuple[str, str]] | None = None) -> Path:
    from .batch import RUN_RECORD, write_atomic

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
    write_atomic(path, render_index(scenarios, records | failed_only, refused))
    return path
