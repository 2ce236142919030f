"""The report site: ``reports/index.html``, one table per report with every scenario's key figures, in
two editions: English at ``reports/`` and Vietnamese at ``reports/vi/`` (same layout: ``<scenario>/``,
``compare-<report>.html``, ``index.html``, ``glossary.html``).

The pages come from the jinja2 templates in ``templates/site/`` (autoescaped, their words from the
catalogue in the edition's language). Which reports there are, their sections, order and key figures
come from ``analysis.reports.registry``; the figures themselves from each scenario's run record
(``run.json``), formatted as the edition's language writes numbers, with a mark where a figure changed
since the previous run, and, when the scheduled job has kept at least two dated snapshots
(``reports/history``), a table of what changed between them. Every page links the same page in the
other language (:func:`page_links`).
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from analysis import i18n, paths
from analysis.data.labels import label
from analysis.i18n import _
from analysis.reports import registry
from analysis.reports.fonts import embed_page_font
from analysis.reports.params import KeyFigure
from analysis.reports.provenance import code_version_label, run_stamp
from analysis.reports.render import install_i18n, run_time_text
from analysis.run.catalogue import Scenario
from analysis.run.records import RUN_RECORD, write_atomic

EDITIONS: tuple[str, ...] = i18n.LANGS  # English first: the site's root
LANG_NAMES = {"en": "English", "vi": "Tiếng Việt"}  # each language's own name, for the switch
GLOSSARY_PAGE = "glossary.html"


def edition_dir(lang: str, reports_dir: Path | None = None) -> Path:
    """The folder of the ``lang`` edition: the site's root for English, ``<root>/<lang>/`` otherwise."""
    root = Path(reports_dir or paths.REPORTS_DIR)
    return root if lang == i18n.SOURCE_LANG else root / i18n.check_lang(lang)


def edition_name(scenario: str, lang: str) -> str:
    """A scenario's report folder relative to the site's root: ``rd-baseline``, ``vi/rd-baseline``."""
    return scenario if lang == i18n.SOURCE_LANG else f"{lang}/{scenario}"


def other_lang(lang: str) -> str:
    return next(code for code in EDITIONS if code != lang)


def _up(lang: str) -> str:
    """From an edition's folder to the site's root."""
    return "" if lang == i18n.SOURCE_LANG else "../"


def switch_links(page: str, lang: str, target: str | None = None) -> dict[str, str]:
    """The language switch of page ``page`` (relative to the ``lang`` edition's folder): the page
    ``target`` (default: the same page) of the other edition, its language and label (the language's own
    name)."""
    other = other_lang(lang)
    href = "../" * page.count("/") + _up(lang) + ("" if other == i18n.SOURCE_LANG else other + "/")
    return {"switch": href + (target or page), "switch_lang": other, "switch_label": LANG_NAMES[other]}


def page_links(scenario: str, lang: str, other_exists: bool = True) -> dict[str, str]:
    """The nav of the report ``scenario`` in the ``lang`` edition: the index, the glossary and the same
    report in the other language (the other edition's index when the scenario is pinned to one language)."""
    page = f"{scenario}/report.html"
    return {"index": "../index.html", "glossary": f"../{GLOSSARY_PAGE}"} | switch_links(
        page, lang, None if other_exists else "index.html"
    )


def _site_env() -> Environment:
    return install_i18n(
        Environment(
            loader=FileSystemLoader(paths.TEMPLATES_DIR / "site"),
            autoescape=select_autoescape(default=True),
            trim_blocks=True,
            lstrip_blocks=True,
        )
    )


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
_ENV = _site_env()


def figure_text(value: Any, shown: int | str | None) -> str:
    """A key figure as the index shows it, by :data:`analysis.i18n.fmt`: ``shown`` is the key figure's
    decimals, ``"year"``, ``"yesno"``, or None (decimals by size, for a figure no report declares)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return NOT_COMPUTED
    if shown == "yesno":
        return _("yes") if value else _("no")
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    return i18n.fmt.year(value) if shown == "year" else i18n.fmt.num(value, shown)


def _changed(now: Any, before: Any) -> bool:
    if before is None or now is None:
        return False
    if isinstance(now, (int, float)) and isinstance(before, (int, float)) and not isinstance(now, bool):
        return not math.isclose(float(now), float(before), rel_tol=1e-9, abs_tol=1e-12)
    return now != before


def _short(text: str, limit: int = 400) -> str:
    return text if len(text) <= limit else text[:limit] + "..."


def _row(s: Scenario, rec: dict[str, Any], used: list[KeyFigure], lang: str = i18n.SOURCE_LANG) -> dict[str, Any]:
    folder = edition_dir(lang) / s.name
    has_report = (folder / "report.html").exists()
    status = rec.get("last_status", "never run")
    figures = rec.get("key_figures") or {}
    before = rec.get("previous_key_figures") or {}
    cells = []
    for k in used:
        changed = k.name in figures and _changed(figures.get(k.name), before.get(k.name))
        cells.append(
            {
                "text": figure_text(figures.get(k.name), k.fmt),
                "was": figure_text(before.get(k.name), k.fmt) if changed else None,
            }
        )
    reason = ""
    if status == "refused":
        reason = i18n.keep(_short(rec.get("refused_reason", "")))  # r57's own message, in English
        if has_report:
            reason += " " + _("(the report linked is from an earlier run, not regenerated)")
    return {
        "title": _(s.title),
        "description": _(s.description) if s.description else "",
        "status": label("run", status),
        "status_class": {"ok": "ok", "failed": "failed", "refused": "refused"}.get(status, "never"),
        "report_href": f"{s.name}/report.html" if has_report else None,
        "pdf_href": f"{s.name}/report.pdf" if has_report and (folder / "report.pdf").exists() else None,
        "error_href": f"{s.name}.failed/error.html" if status == "failed" else None,
        "kept": status == "failed" and has_report,
        "reason": reason,
        "updated": _updated(str(rec.get("last_success_utc", ""))),
        "cells": cells,
    }


def _updated(stamp: str) -> str:
    """When a report was last regenerated: ``2026-11-23 13:00:00 UTC``; ``13:00:00 ngày 23/11/2026 UTC``."""
    if i18n.current() == i18n.SOURCE_LANG or not stamp:
        return stamp.replace("T", " ").replace("+00:00", " UTC")
    return run_time_text(stamp) + " UTC"


def _sections(
    scenarios: list[Scenario], records: dict[str, dict[str, Any]], lang: str = i18n.SOURCE_LANG
) -> list[dict[str, Any]]:
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
        out.append(
            {
                "heading": heading,
                "columns": [{"name": k.name, "header": _(k.header)} for k in used],
                "rows": [_row(s, records.get(s.name, {}), used, lang) for s in group],
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
        shown = k.fmt if k else None
        change = r.change if isinstance(r.change, str) else figure_text(r.change, None if shown == "yesno" else shown)
        rows.append(
            {
                "title": _(r.title) if r.title else "",
                "figure": _(k.header) if k else (r.figure or ""),
                "before": "" if r.before is None else figure_text(r.before, shown),
                "after": "" if r.after is None else figure_text(r.after, shown),
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
    records: dict[str, dict[str, Any]],
    refused: list[tuple[str, str]] | None = None,
    lang: str = i18n.SOURCE_LANG,
) -> str:
    """The index page of the ``lang`` edition; ``refused`` lists (scenario name, reason) for scenarios not
    run this time."""
    with i18n.language(lang):
        return _render_index(scenarios, records, refused, lang)


def _render_index(
    scenarios: list[Scenario], records: dict[str, dict[str, Any]], refused: list[tuple[str, str]] | None, lang: str
) -> str:
    refused = list(refused or [])
    known_names = {s.name for s in scenarios}
    records = dict(records)
    for name, reason in refused:
        if name in known_names:  # a valid scenario refused for its output folder: shown in its section
            records[name] = {**records.get(name, {}), "last_status": "refused", "refused_reason": reason}
    refused_files = []
    folder = edition_dir(lang)
    for name, reason in refused:
        if name in known_names:
            continue
        old = (folder / name / "report.html").exists() and not (folder / name).is_symlink()
        href = f"{name}/report.html" if old else None
        refused_files.append(
            {
                "name": name,
                "reason": i18n.keep(_short(reason)),
                "old_href": href,
                "old_link": Markup('<a href="{}">{}</a>').format(href, _("report from an earlier run")) if old else "",
            }
        )
    return _ENV.get_template("index.html.j2").render(
        lang=i18n.HTML_LANG[lang],
        css=Markup(CSS),
        sections=_sections(scenarios, records, lang),
        refused=refused_files,
        changes=_changes_since_previous(),
        not_computed=NOT_COMPUTED,
        changed_mark=Markup('<span class="changed">&#9679;</span>'),
        scenarios_code=Markup("<code>scenarios/</code>"),
        generated=run_time_text(run_stamp()),
        code_version=i18n.keep(code_version_label()),
        glossary_href=GLOSSARY_PAGE,
        **switch_links("index.html", lang),
    )


def render_error_page(title: str, name: str, notebook: str, error_text: str, lang: str = i18n.SOURCE_LANG) -> str:
    """The page that says why a scenario failed (``reports/[<lang>/]<name>.failed/error.html``); its
    language switch leads to the other edition's index (that edition's report may not have failed)."""
    with i18n.language(lang):
        return _ENV.get_template("error.html.j2").render(
            lang=i18n.HTML_LANG[lang],
            title=_(title),
            title_html=Markup("<strong>{}</strong>").format(_(title)),
            name_html=Markup("<code>{}</code>").format(i18n.keep(name)),
            notebook_html=Markup("<code>{}</code>").format(i18n.keep(notebook)),
            error_text=i18n.keep(error_text),
            **switch_links(f"{name}.failed/error.html", lang, "index.html"),
        )


def edition_scenarios(scenarios: list[Scenario], lang: str) -> list[Scenario]:
    """The scenarios published in the ``lang`` edition: all but those whose file pins another language."""
    return [s for s in scenarios if s.parameters.get("lang", lang) == lang]


def write_index(
    scenarios: list[Scenario], refused: list[tuple[str, str]] | None = None, lang: str = i18n.SOURCE_LANG
) -> Path:
    """Write the ``lang`` edition's index (``reports/index.html``, ``reports/vi/index.html``)."""
    folder = edition_dir(lang)
    scenarios = edition_scenarios(scenarios, lang)
    records = {}
    for s in scenarios:
        try:
            records[s.name] = json.loads((folder / s.name / RUN_RECORD).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            pass
    failed_only = {}
    for s in scenarios:  # a scenario that never succeeded has its failure recorded only in <name>.failed
        if s.name not in records and (folder / f"{s.name}.failed" / "error.html").exists():
            failed_only[s.name] = {"last_status": "failed"}
    path = folder / "index.html"
    write_atomic(path, embed_page_font(render_index(scenarios, records | failed_only, refused, lang)))
    return path


def write_indexes(
    scenarios: list[Scenario], refused: list[tuple[str, str]] | None = None, langs: tuple[str, ...] = EDITIONS
) -> Path:
    """Write every edition's index and glossary, whichever editions ``langs`` ran (so each page's language
    switch always finds the other index); return the English index's path (the site's front page)."""
    first = None
    for lang in EDITIONS:
        path = write_index(scenarios, refused, lang)
        write_atomic(edition_dir(lang) / GLOSSARY_PAGE, embed_page_font(render_glossary(lang)))
        first = first or path
    return first


# ----------------------------------------------------------------------------- glossary

GLOSSARY_PATH = paths.SOURCE_DIR / "locale" / "glossary.yaml"
GLOSSARY_FIELDS = ("term_en", "term_vi", "definition_en", "definition_vi", "source", "source_vi")


def load_glossary(path: Path | None = None) -> list[dict[str, str]]:
    """The glossary's entries (``src/analysis/locale/glossary.yaml``), in their order."""
    import yaml

    doc = yaml.safe_load(Path(path or GLOSSARY_PATH).read_text(encoding="utf-8")) or {}
    return list(doc.get("terms") or [])


def render_glossary(lang: str = i18n.SOURCE_LANG) -> str:
    """The glossary page of the ``lang`` edition: each term in both languages and its definition."""
    with i18n.language(lang):
        entries = sorted(load_glossary(), key=lambda e: str(e.get(f"term_{lang}", "")).casefold())
        return _ENV.get_template("glossary.html.j2").render(
            lang=i18n.HTML_LANG[lang],
            css=Markup(CSS),
            entries=[
                {
                    "term": i18n.keep(e[f"term_{lang}"]),
                    "other": i18n.keep(e[f"term_{other_lang(lang)}"]),
                    "definition": i18n.keep(e[f"definition_{lang}"]),
                    "source": i18n.keep(e.get("source_vi" if lang == "vi" else "source", "")),
                }
                for e in entries
            ],
            other_lang=other_lang(lang),
            **switch_links(GLOSSARY_PAGE, lang),
        )
