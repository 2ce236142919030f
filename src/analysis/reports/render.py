"""Reader-facing output from notebooks: figures with alt text and source lines, tables, narrative, the
provenance footer, and ``results.json``.

pyplot is imported only where used: importing this module must not fix a matplotlib backend.
"""

from __future__ import annotations

import base64
import contextlib
import io
import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from matplotlib import cbook
from matplotlib.figure import Figure
from matplotlib.ticker import Formatter, LogFormatter, MaxNLocator
from pandas.api.types import is_scalar

from analysis import i18n, paths
from analysis.errors import R57Error
from analysis.i18n import _, fmt
from analysis.reports.fonts import embed_svg_font
from analysis.reports.numbers import decimals_for, write_csv
from analysis.reports.tables import WORKBOOK, SheetTable, reader_cells, unmarked, workbook_bytes

PNG_DPI = 100


def install_i18n(env: Environment) -> Environment:
    """Give the jinja2 environment ``env`` the catalogue (``_``, ``{% trans %}``), ``fmt``, ``keep`` and the
    language, all read at render time, so one loaded template renders in whichever language is in use.
    """
    env.add_extension("jinja2.ext.i18n")
    env.policies["ext.i18n.trimmed"] = True  # as messages.py extracts {% trans %} blocks
    env.install_gettext_callables(i18n.gettext, i18n.ngettext, newstyle=False, pgettext=i18n.pgettext)
    env.globals.update(fmt=i18n.fmt, keep=i18n.keep, current_lang=i18n.current)
    env.filters["fill"] = fill
    return env


def fill(message: str, /, **values: Any) -> Markup:
    """A translated ``message`` with its ``{placeholders}`` filled: the message and plain-text values escaped,
    ``Markup`` values kept. In templates: ``{{ _("Source: {source}")|fill(source=s) }}``.
    """
    return Markup.escape(message).format(**values)


# HTML fragments the notebooks show (figure, table, footer): jinja2 templates, escaped automatically
_FRAGMENTS = install_i18n(
    Environment(
        loader=FileSystemLoader(paths.TEMPLATES_DIR / "fragments"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        keep_trailing_newline=False,
    )
)


def fragment(name: str, **context: Any) -> str:
    """Render the fragment template ``name`` (templates/fragments) with ``context``, escaped, in the current language."""
    return _FRAGMENTS.get_template(f"{name}.html.j2").render(lang=i18n.current(), **context).strip()


HOUSE_STYLE = Path(__file__).with_name("house.mplstyle")  # seaborn's whitegrid theme and the house's settings
# what set_theme(color_codes=True) makes the one-letter colours ("ko"): seaborn's colorblind6 palette, near-black
SEABORN_COLOR_CODES = dict(
    zip("bgrmyck", ("#0173B2", "#029E73", "#D55E00", "#CC78BC", "#ECE133", "#56B4E9", (0.1,) * 3), strict=True)
)


def setup_plotting() -> None:
    """House style for charts (seaborn's whitegrid theme, readable sizes), called right after a notebook's imports;
    seaborn itself (and the scipy.stats it imports) is left to the charts that call it.
    """
    from matplotlib import colors, style

    style.use(HOUSE_STYLE)
    named = colors.get_named_colors_mapping()
    for code, colour in SEABORN_COLOR_CODES.items():
        named[code] = colour  # one by one, as seaborn does: each assignment clears the cache of converted colours


class _Plain(LogFormatter):
    localized = True  # written by fmt in the current language already: localize_ticks leaves it

    def _num_to_string(self, x: float, vmin: float, vmax: float) -> str:
        if x >= 1:
            return fmt.num(x, 0 if float(x).is_integer() else 1)
        return fmt.sig(x, 3)


def plain_log_ticks(ax: Any) -> None:
    """Plain tick labels (60, 100, 1,000) on each log-scaled axis of ``ax`` instead of 10^2 and 6x10^1."""
    for axis in (ax.xaxis, ax.yaxis):
        if axis.get_scale() == "log":
            axis.set_major_formatter(_Plain(labelOnlyBase=False))
            axis.set_minor_formatter(_Plain(labelOnlyBase=False, minor_thresholds=(1, 0.6)))


def whole_ticks(axis: Any) -> None:
    """Ticks at whole numbers only on ``axis`` (``ax.xaxis`` or ``ax.yaxis``): years and ranks, never 2012.5."""
    axis.set_major_locator(MaxNLocator(integer=True))


_CAPTURE: list[list[tuple[str, str]]] = []  # while both() runs: what each language's call showed


def _publish(kind: str, text: str) -> None:
    """Show ``text`` (``kind``: ``html`` or ``markdown``), or keep it for :func:`both` while one runs."""
    if _CAPTURE:
        _CAPTURE[-1].append((kind, text))
        return
    from IPython.display import display

    display({i18n.edition_mime(kind, i18n.SOURCE_LANG): text}, raw=True)


def _display_html(text: str) -> None:
    _publish("html", text)


def both(show: Callable[[], object]) -> None:
    """Show what ``show()`` shows in every language, from one execution.

    ``show`` is called once per language over the same computed values; each thing it shows becomes one display
    bundle with one MIME type per language (:func:`analysis.i18n.edition_mime`). Inside another ``both`` it just
    calls ``show``. Raises R57Error if the languages showed different kinds of output.
    """
    if _CAPTURE:
        show()
        return
    shown: dict[str, list[tuple[str, str]]] = {}
    for lang in i18n.LANGS:
        _CAPTURE.append([])
        try:
            with i18n.language(lang):
                show()
        finally:
            shown[lang] = _CAPTURE.pop()
    first = shown[i18n.SOURCE_LANG]
    for lang, out in shown.items():
        if [kind for kind, _text in out] != [kind for kind, _text in first]:
            raise R57Error(
                f"both(): {lang} showed {[k for k, _t in out]} but {i18n.SOURCE_LANG} showed "
                f"{[k for k, _t in first]}; what is shown must not depend on the language"
            )
    from IPython.display import display

    for i, (kind, _text) in enumerate(first):
        display({i18n.edition_mime(kind, lang): shown[lang][i][1] for lang in i18n.LANGS}, raw=True)


def md(text: str | Callable[[], str]) -> None:
    """Show Markdown text; given a function, its text in every language (:func:`both`):
    ``md(lambda: _("... {share}").format(share=fmt.pct(x)))``.
    """
    if callable(text):
        both(lambda: _publish("markdown", text()))
    else:
        _publish("markdown", text)


FIGURE_MIME = "image/svg+xml"  # vector charts: sharp when zoomed or printed, small, and faster to render than PNG


def fig_to_b64(fig: Figure) -> str:
    """The figure as base64 SVG (no timestamp: same input, same bytes) with its own subset of R57 Sans inside."""
    engine = fig.get_layout_engine()

    def draw(renderer: Any) -> None:  # laid out by the renderer that draws: matplotlib measures each text once
        if engine is not None and fig.axes:
            with cbook._setattr_cm(fig, _get_renderer=lambda: renderer), contextlib.suppress(ValueError):
                engine.execute(fig)
        Figure.draw(fig, renderer)

    buf = io.BytesIO()
    with cbook._setattr_cm(fig, _layout_engine=None, draw=draw):
        fig.savefig(buf, format="svg", dpi=PNG_DPI, metadata={"Date": None})
    svg = embed_svg_font(buf.getvalue().decode("utf-8"))
    return base64.b64encode(svg.encode("utf-8")).decode("ascii")


class LocalizedFormatter(Formatter):
    """A tick formatter writing ``wrapped``'s numeric labels with the current language's separators."""

    def __init__(self, wrapped: Formatter) -> None:
        self.wrapped = wrapped

    def __call__(self, x: float, pos: int | None = None) -> str:
        return i18n.fmt.localize_number_text(self.wrapped(x, pos))

    def format_ticks(self, values: Any) -> list[str]:
        labels = _grouped(list(self.wrapped.format_ticks(values)), values)
        return [i18n.fmt.localize_number_text(t) for t in labels]

    def set_locs(self, locs: Any) -> None:
        self.wrapped.set_locs(locs)

    def set_axis(self, axis: Any) -> None:
        super().set_axis(axis)
        self.wrapped.set_axis(axis)

    def get_offset(self) -> str:
        return i18n.fmt.localize_number_text(self.wrapped.get_offset())

    def format_data_short(self, value: float) -> str:
        return self.wrapped.format_data_short(value)


_PLAIN_INTEGER = re.compile(r"^([\u2212-]?)(\d{4,})$")


def _grouped(labels: list[str], values: Any) -> list[str]:
    """Whole-number tick labels of four or more digits with thousands separators (``10000`` -> ``10,000``);
    a year axis (every tick a whole number from 1900 to 2200) keeps ``2030``.
    """
    ticks = np.asarray(values, dtype=float)
    if ticks.size and np.all((ticks == np.round(ticks)) & (ticks >= 1900) & (ticks <= 2200)):
        return labels
    out = []
    for label in labels:
        match = _PLAIN_INTEGER.match(label)
        out.append(f"{match.group(1)}{int(match.group(2)):,}" if match else label)
    return out


def _localized_formatter(formatter: Formatter) -> Formatter:
    from matplotlib.category import StrCategoryFormatter

    if isinstance(formatter, (LocalizedFormatter, StrCategoryFormatter)) or getattr(formatter, "localized", False):
        return formatter  # categories are text, not numbers; a formatter writing with fmt is localised already
    return LocalizedFormatter(formatter)


def localize_ticks(fig: Figure) -> None:
    """Numeric tick labels of every axis of ``fig`` in the current language; category labels are left as they are."""
    if i18n.current() == i18n.SOURCE_LANG:
        return
    for ax in fig.get_axes():
        for axis in (ax.xaxis, ax.yaxis, getattr(ax, "zaxis", None)):
            if axis is None:
                continue
            axis.set_major_formatter(_localized_formatter(axis.get_major_formatter()))
            axis.set_minor_formatter(_localized_formatter(axis.get_minor_formatter()))


def _jsonable(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {str(k): _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_jsonable(v) for v in obj]
    if isinstance(obj, (np.bool_,)):
        return bool(obj)
    if isinstance(obj, np.integer):
        return int(obj)
    if isinstance(obj, (float, np.floating)):
        value = float(obj)
        return None if math.isnan(value) or math.isinf(value) else value
    if isinstance(obj, pd.Timestamp):
        return obj.isoformat()
    return obj


def frame_records(df: pd.DataFrame) -> list[dict[str, Any]]:
    """DataFrame (index included) -> JSON-ready list of row dicts."""
    return _jsonable(df.reset_index().to_dict(orient="records"))


def results_record(
    spec: Any, params: dict[str, Any], fields: dict[str, Any], title: Callable[[], str] | None = None
) -> dict[str, Any]:
    """A report's results.json before :meth:`Report.finish`: ``report`` (``spec``'s name), ``title`` and ``titles``
    (worded by ``title``, else the spec's), ``parameters``, then ``fields``."""
    titles = i18n.each_language(title or (lambda: _(spec.title)))
    return {"report": spec.name, "title": titles[i18n.current()], "titles": titles, "parameters": params} | fields


def display_format(column: object, values: pd.Series) -> Callable[[Any], str]:
    """One format for a float column of a shown table: fixed decimals, thousands separated (whole numbers
    and bn VND: 0; values below 1: 3; otherwise 2), years as 2030.
    """
    finite = values.dropna()
    finite = finite[np.isfinite(finite)]
    whole = bool((finite == finite.round()).all())
    if whole and len(finite) and "year" in str(column).lower() and finite.between(1900, 2200).all():
        return fmt.year
    if finite.empty or whole or decimals_for(column) == 1:
        decimals = 0
    else:
        decimals = 3 if finite.abs().max() < 1 else 2
    return fixed(decimals)


def fixed(decimals: int | None) -> Callable[[Any], str]:
    """A table column's format: fixed decimals, thousands separated, in the reader's language."""
    return lambda v: fmt.num(v, decimals)


def _header(column: object) -> object:
    """A column name as a header: code names (``naive_mae_places``) without underscores."""
    return column.replace("_", " ") if isinstance(column, str) and " " not in column else column


def _plain(header: object) -> str:
    """A shown header as a CSV header cell: text, without the bypass test's marks."""
    text = " ".join(str(c) for c in header) if isinstance(header, tuple) else str(header)
    return unmarked(text)


def _scoped(html: str) -> str:
    """pandas' table HTML with ``scope`` on every header cell: col in the head, row in the body."""
    head, sep, rest = html.partition("</thead>")
    if not sep:  # no header row (header=False): only row headers
        head, rest = "", html
    head = re.sub(r"<th(?=[\s>])(?![^>]*\bscope=)", '<th scope="col"', head)
    rest = re.sub(r"<th(?=[\s>])(?![^>]*\bscope=)", '<th scope="row"', rest)
    return head + sep + rest


@dataclass
class Report:
    """Collects what a notebook shows so that results.json can list it (``results_path`` empty: nothing written)."""

    results_path: str = ""
    charts: list[dict[str, str]] = field(default_factory=list)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    table_meta: list[dict[str, str]] = field(default_factory=list)
    # {lang: {table id: its cells, headers, title, source}}: a table shown under both() is kept in each language
    edition_tables: dict[str, dict[str, SheetTable]] = field(default_factory=dict)

    def figure(self, fig: Figure, *, chart_id: str, title: str, alt: str, source: str, note: str = "") -> None:
        """Show ``fig`` as an embedded SVG image with alt text, a caption and its source; close it."""
        if not alt.strip() or not source.strip():
            raise ValueError(f"chart {chart_id}: alt text and source are required")
        localize_ticks(fig)
        data = fig_to_b64(fig)
        if fig.canvas.manager is not None:  # made by pyplot: release it there too
            import matplotlib.pyplot as plt

            plt.close(fig)
        _display_html(
            fragment(
                "figure", chart_id=chart_id, mime=FIGURE_MIME, data=data, alt=alt, title=title, note=note, source=source
            )
        )
        if all(c["id"] != chart_id for c in self.charts):  # under both(): listed once, in English
            self.charts.append({"id": chart_id, "title": title, "alt": alt, "source": source})

    def table(
        self,
        df: pd.DataFrame,
        *,
        table_id: str,
        title: str,
        source: str,
        formats: dict[str, Callable[[Any], str]] | None = None,
        index: bool = True,
        note: str = "",
        labels: dict[str, str] | None = None,
    ) -> None:
        """Show a captioned table; keep its unformatted values for CSV export.

        ``formats`` maps a column to a function of the value; float columns without one get :func:`display_format`.
        ``labels`` gives shown headers for columns named as code (others lose their underscores). Formats and labels
        change what is shown, never the English CSV; the other editions' CSVs and the workbooks take the shown
        headers and words (:func:`analysis.reports.tables.reader_cells`). A prose column is named so
        (:data:`analysis.reports.tables.PROSE_WORDS`).
        """
        self.tables[table_id] = df.copy()
        if all(t["id"] != table_id for t in self.table_meta):  # under both(): listed once, in English
            self.table_meta.append({"id": table_id, "title": title, "source": source, "csv": f"{table_id}.csv"})
        shown = df.copy()
        formats = dict(formats or {})
        for col in shown.columns:  # one format per column: fixed decimals, never 6.6e+03 beside 6.64e+03
            if col not in formats and pd.api.types.is_float_dtype(shown[col].dtype):
                formats[col] = display_format(col, shown[col])
        for col, column_format in formats.items():
            if col in shown.columns:
                shown[col] = shown[col].map(lambda v, f=column_format: "" if is_scalar(v) and pd.isna(v) else f(v))
        # the file's cells and the shown headers (the workbook's header row; the CSV's outside English)
        named_index = any(n is not None for n in df.index.names)
        values, text = (df.reset_index(), shown.reset_index()) if named_index else (df, shown)
        self.edition_tables.setdefault(i18n.current(), {})[table_id] = SheetTable(
            table_id,
            title,
            source,
            reader_cells(values, text, [c for c in formats if c in df.columns]),
            [_plain((labels or {}).get(c, _header(c))) for c in values.columns],
        )
        shown = shown.rename(columns=lambda c: (labels or {}).get(c, _header(c)))
        if named_index:  # the index's name is a header too
            shown.index = shown.index.set_names([(labels or {}).get(n, _header(n)) for n in shown.index.names])
        shown.columns.name = None  # a pivot's column label would add an empty header column
        if index and shown.index.name:  # a named index becomes the first column (no extra header row)
            shown, index = shown.reset_index(), False
        body = _scoped(shown.to_html(index=index, escape=True, border=0, classes="r57-table", na_rep=""))
        start = body.index(">", body.index("<table")) + 1  # the caption goes right after <table ...>
        # the CSV exists only when the runner writes the report folder
        _display_html(
            fragment(
                "table",
                table_id=table_id,
                title=title,
                note=note,
                source=source,
                csv=bool(self.results_path),
                workbook=WORKBOOK,
                table_open=Markup(body[:start]),
                table_rest=Markup(body[start:]),
            )
        )

    def save(self, results: dict[str, Any]) -> dict[str, Any]:
        """Add the charts and tables lists to ``results``; write results.json and, per edition, each table's
        CSV and the workbook (:mod:`analysis.reports.tables`).
        """
        results = dict(results)
        results["charts"] = list(self.charts)
        results["tables"] = list(self.table_meta)
        results = _jsonable(results)
        if self.results_path:
            path = Path(self.results_path)
            path.parent.mkdir(parents=True, exist_ok=True)
            # the tables in the language of the run go to tables/; under both(), each other language's to
            # editions/<lang>/tables/, which the runner moves into that edition's folder
            here = i18n.current()
            editions = {lang: dict(tables) for lang, tables in self.edition_tables.items()}
            for table_id, df in self.tables.items():  # a table set directly, not through table()
                if not any(table_id in tables for tables in editions.values()):
                    values = df.reset_index() if any(n is not None for n in df.index.names) else df
                    header = [_plain(_header(c)) for c in values.columns]
                    editions.setdefault(here, {})[table_id] = SheetTable(table_id, table_id, "", values, header)
            (path.parent / "tables").mkdir(exist_ok=True)
            for lang, tables in editions.items():
                folder = path.parent / ("tables" if lang == here else f"editions/{lang}/tables")
                folder.mkdir(parents=True, exist_ok=True)
                # English: column names and codes (the interface for scripts), UTF-8; another edition: the
                # shown headers and words, with a byte-order mark (spreadsheet programs then read the diacritics)
                translated = lang != i18n.SOURCE_LANG
                with i18n.language(lang):
                    for t in tables.values():
                        header = t.header if translated else None
                        write_csv(t.cells, folder / f"{t.table_id}.csv", index=False, bom=translated, header=header)
                    (folder / WORKBOOK).write_bytes(workbook_bytes(list(tables.values()), results))
            path.write_text(json.dumps(results, indent=2, ensure_ascii=False, allow_nan=False) + "\n", encoding="utf-8")
        return results

    def finish(
        self, results: dict[str, Any], params: dict[str, Any], provenance: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """Save results.json (and the tables) and show the provenance footer in every language: every notebook's last
        step. ``provenance`` (:func:`analysis.reports.provenance.provenance_record`, taken once the report has read
        every dataset) is added to ``results`` last."""
        from analysis.data.manifest import read_manifest

        results = self.save(results | ({"provenance": provenance} if provenance is not None else {}))
        titles = {f: e["title"] for f, e in read_manifest().entries.items()}
        both(lambda: self.footer(params, results["provenance"], titles))
        return results

    def footer(
        self, params: dict[str, Any], provenance: dict[str, Any], manifest_titles: dict[str, str] | None = None
    ) -> None:
        """The provenance footer: parameters, data versions, code version, run time."""
        _display_html(footer_html(params, provenance, manifest_titles))


def param_text(value: Any) -> str:
    """A parameter's value as the footer shows it: numbers by :data:`analysis.i18n.fmt` to three significant
    digits (whole numbers and years as they are), ``{year: value}`` as ``2026: 6.5; 2027: 7``, text and
    true/false/null as a scenario file writes them.
    """
    value = _jsonable(value)
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return i18n.keep(json.dumps(value, ensure_ascii=False))
    if isinstance(value, int):  # a year or a count: grouped only from 10,000
        return fmt.num(value, 0) if abs(value) >= 10_000 else fmt.year(value)
    if isinstance(value, float):
        return fmt.num(value, 0) if abs(value) >= 1000 else fmt.sig(value, 3)
    if isinstance(value, dict):
        return "; ".join(f"{i18n.keep(str(k))}: {param_text(v)}" for k, v in value.items())
    if isinstance(value, list):
        return "; ".join(param_text(v) for v in value)
    return i18n.keep(json.dumps(value, ensure_ascii=False, default=str))


def footer_html(
    params: dict[str, Any], provenance: dict[str, Any], manifest_titles: dict[str, str] | None = None
) -> str:
    """The provenance footer's HTML in the current language; names, checksums and libraries are shown as they
    are (what a reader types to reproduce it).
    """
    code = provenance["code_version"]
    titles = manifest_titles or {}
    if "lang" in params:  # the page's own language: both editions come from one run
        params = {**params, "lang": i18n.current()}
    return fragment(
        "footer",
        code=code,
        provenance=provenance,
        commit=Markup("<code>{}</code>").format(code["commit"]),
        run_at=fmt.time(str(provenance.get("run_at_utc", ""))),
        libraries=i18n.keep(", ".join(f"{k} {v}" for k, v in provenance["libraries"].items())),
        params=[(k, param_text(v)) for k, v in params.items()],
        data_files=[(f, sha, _(titles[f]) if titles.get(f) else "") for f, sha in provenance["data_versions"].items()],
    )
