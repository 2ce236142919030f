"""The explorer's widgets (ipywidgets): a thin layer over :mod:`analysis.run.explore`.

    from analysis.run.explore_ui import ExplorerUI
    ExplorerUI().show()          # in JupyterLab, or served as a page by `make explore` (Voila)
    ExplorerUI(lang="vi").show() # in Vietnamese (or R57_LANG=vi in the environment: `make explore R57_LANG=vi`)

Each change validates the settings like the command line and redraws the figures, charts, map and link.
The page starts from its own link's settings (``$QUERY_STRING`` under Voila). Every text comes from code
through the catalogue (Voila shows outputs, not Markdown); the language is this explorer's own (each redraw
runs inside ``i18n.language(self.lang)``), so the rest of the kernel is not switched with it.
"""

from __future__ import annotations

import os
import time
from html import escape
from typing import Any

import ipywidgets as W

from analysis import i18n
from analysis.errors import ParameterError
from analysis.i18n import _, keep
from analysis.models import engine
from analysis.reports.fonts import live_font_css
from analysis.reports.registry import notebook_spec
from analysis.run import explore
from analysis.run.catalogue import ScenarioError
from analysis.run.explore import start_language

# the reports' font first (embedded: Vietnamese renders the same on every machine), then the page's own rules
CSS = (
    live_font_css()
    + """<style>
.r57-explorer{font-family:'R57 Sans',system-ui,-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif}
.r57-explorer .r57-table{border-collapse:collapse;font-size:.85rem} .r57-table th,.r57-table td{border-bottom:1px solid #ddd;padding:.2rem .5rem;text-align:left}
.r57-table td.num{text-align:right;white-space:nowrap} .r57-status{padding:.4rem .6rem;margin:.3rem 0;border-radius:4px;font-size:.9rem}
.r57-error{background:#fde8e8;color:#7a0000} .r57-warn{background:#fff4e0;color:#6b3d00} .r57-ok{background:#eef7ee;color:#124d12}
.r57-status ul{margin:.2rem 0 0 1rem;padding:0}
.r57-help{font-size:.78rem;color:#555;line-height:1.25;margin:0 0 .45rem 1rem;max-width:34rem}
.r57-help code{font-size:.72rem;color:#777}
.r57-explorer .widget-inline-hbox>.widget-label{white-space:normal;overflow:visible;height:auto;line-height:1.15}
.r57-group{margin:.9rem 0 .2rem;font-size:1rem;border-bottom:1px solid #ccd}
.r57-link input{width:100%;font-family:monospace;font-size:.78rem}
</style>"""
)

CONTROL_LAYOUT = W.Layout(width="29rem")
STYLE = {"description_width": "15rem"}
# what Voila passes the kernel: the page's query string (the settings a shared link gives) and its address
ENV_QUERY, ENV_URL = "QUERY_STRING", "VOILA_REQUEST_URL"
YEAR_MAP_EXAMPLE = "6.5  |  {2026: 8, 2028: 6.5}"  # YAML, the same in every language (like `r57 run -p`)


def _digits(step: float) -> int:
    """The decimals a slider of this step shows (0.01 -> 2)."""
    return max(0, -int(f"{step:e}".split("e")[1]))


def _widget(c: explore.Control) -> W.Widget:
    """The ipywidget for one control (see explore.Control.widget); its texts are set by ExplorerUI.relabel."""
    common: dict[str, Any] = {"style": STYLE, "layout": CONTROL_LAYOUT}
    lo, hi = c.spec.lo, c.spec.hi
    if c.widget == "dropdown":
        return W.Dropdown(options=list(c.spec.choices or ()), value=c.value, **common)
    if c.widget == "checkbox":
        return W.Checkbox(value=bool(c.value), indent=True, **common)
    if c.widget == "int_slider":
        return W.IntSlider(value=int(c.value), min=int(lo), max=int(hi), step=1, continuous_update=False, **common)
    if c.widget == "float_slider":
        return W.FloatSlider(
            value=float(c.value),
            min=float(lo),
            max=float(hi),
            step=c.step,
            readout_format=f".{_digits(c.step)}f",
            continuous_update=False,
            **common,
        )
    if c.widget == "number":
        return (W.IntText if isinstance(c.spec.default, int) else W.FloatText)(value=c.value or 0, **common)
    # year_map (a number or {year: number}, read as YAML; relabel shows an example) and free text
    return W.Text(value=str(c.value if c.value is not None else ""), placeholder="", continuous_update=False, **common)


def _set_options(w: W.Dropdown | W.ToggleButtons, options: list[tuple[str, Any]]) -> None:
    """Relabel a selection's options keeping its value (ipywidgets resets the value when options change)."""
    if list(w.options) == options:
        return
    value = w.value
    w.options = options
    if w.value != value:
        w.value = value


class ExplorerUI:
    """The explorer's widgets and their wiring. ``timings`` holds the seconds each update took.

    ``lang`` is the language to start in (default: ``$R57_LANG``, else English); ``language`` is the
    selector that switches it."""

    def __init__(
        self,
        explorer: explore.Explorer | None = None,
        chart_width: int = 520,
        lang: str | None = None,
        query: str | None = None,
    ):
        # the settings of a shared link: ``query`` (default: the page's, $QUERY_STRING under Voila)
        self.from_link = explore.settings_from_query(os.environ.get(ENV_QUERY, "") if query is None else query)
        self.lang = start_language(lang or self.from_link.lang)
        self.address = os.environ.get(ENV_URL, "").split("?", 1)[0].split("#", 1)[0]  # empty outside Voila
        self.ex = explorer or explore.Explorer()
        self.chart_width = chart_width
        self.controls = explore.controls(self.ex.report, filled=self.ex.filled())
        self._quiet = False  # set while relabelling: option changes must not recompute
        self._map_forced = False  # the map on show was drawn by the button (a slow map)
        self.widgets: dict[str, W.Widget] = {}
        self.null_boxes: dict[str, W.Checkbox] = {}
        self.helps: dict[str, W.HTML] = {}
        # a float slider's value as the language writes it (ipywidgets' own readout writes a decimal point
        # whatever the language): shown in place of that readout outside English
        self.readouts: dict[str, W.HTML] = {}
        rows: dict[str, W.Widget] = {}
        for c in self.controls:
            w = _widget(c)
            self.widgets[c.name] = w
            w.observe(self._changed, names="value")
            self.helps[c.name] = W.HTML()
            self.helps[c.name].add_class("r57-help-box")
            line = [w]
            if c.widget == "float_slider":
                self.readouts[c.name] = W.HTML(layout=W.Layout(width="4rem", display="none"))
                line.append(self.readouts[c.name])
            if c.spec.nullable:
                box = W.Checkbox(value=c.spec.default is None, indent=False, layout=W.Layout(width="8rem"))
                box.observe(self._changed, names="value")
                self.null_boxes[c.name] = box
                w.disabled = box.value
                line.append(box)
            rows[c.name] = W.VBox([W.HBox(line) if len(line) > 1 else w, self.helps[c.name]])
        self.apply_link(self.from_link.values)
        # the controls under one heading per group, in the order an economist reads a scenario (explore.GROUPS)
        self.groups = explore.grouped(self.controls)
        self.group_headings = {key: W.HTML() for key, _title, _cs in self.groups}
        grouped_rows = []
        for key, _title, cs in self.groups:
            grouped_rows.append(self.group_headings[key])
            grouped_rows.extend(rows[c.name] for c in cs)
        self.language = W.ToggleButtons(
            options=[(i18n.language_name(code), code) for code in i18n.LANGS],
            value=self.lang,
            style={"button_width": "7rem", "description_width": "6rem"},
        )
        self.language.observe(self._language_changed, names="value")
        self.title = W.HTML()
        self.intro = W.HTML()
        self.headings = {k: W.HTML() for k in ("settings", "save", "figures", "map")}
        self.status = W.HTML()
        self.link_refused = W.HTML()  # what a shared link set that was refused, and why
        self.link = W.HTML()  # these settings as a link, to copy
        self.link.add_class("r57-link")
        self.figures = W.HTML()
        self.charts = W.HTML()
        axes = self.ex.axes()
        self.map_x, self.map_y = (
            W.Dropdown(options=axes, value=v if v in axes else axes[i], style={"description_width": "4rem"})
            for i, v in enumerate(("nonstate_share_target_pct", "science_budget_share_pct"))
        )
        self.metrics = [m for m in explore.MAP_METRICS if m in engine.SUMMARY_COLUMNS]
        self.map_metric = W.Dropdown(
            options=self.metrics,
            value="state_gerd_pct_envelope_target",
            style={"description_width": "4rem"},
            layout=W.Layout(width="32rem"),
        )
        self.map_button = W.Button()
        self.map = W.HTML()
        for w in (self.map_x, self.map_y, self.map_metric):
            w.observe(lambda _ch: None if self._quiet else self.update_map(), names="value")
        self.map_button.on_click(lambda _b: self.update_map(force=True))
        self.save_name = W.Text(style=STYLE, layout=CONTROL_LAYOUT)
        self.save_title = W.Text(style=STYLE, layout=CONTROL_LAYOUT)
        self.save_desc = W.Textarea(style=STYLE, layout=CONTROL_LAYOUT)
        self.save_overwrite = W.Checkbox(value=False, style=STYLE, layout=CONTROL_LAYOUT)
        self.save_button = W.Button(button_style="primary")
        self.save_message = W.HTML()
        self.save_button.on_click(lambda _b: self.save())
        self.timings: list[float] = []
        self.switch_timings: list[float] = []
        self.last: explore.Computed | None = None
        self.last_ok: explore.Computed | None = None  # the last settings accepted (what the link gives)
        left = W.VBox(
            [
                self.headings["settings"],
                self.link_refused,
                *grouped_rows,
                self.link,
                self.headings["save"],
                self.save_name,
                self.save_title,
                self.save_desc,
                self.save_overwrite,
                self.save_button,
                self.save_message,
            ],
            layout=W.Layout(flex="0 0 36rem", width="36rem"),
        )
        right = W.VBox(
            [
                self.status,
                self.headings["figures"],
                self.figures,
                self.charts,
                self.headings["map"],
                W.HBox([self.map_metric]),
                W.HBox([self.map_x, self.map_y, self.map_button]),
                self.map,
            ],
            layout=W.Layout(flex="1 1 0%", min_width="34rem"),
        )
        self.root = W.VBox(
            [
                W.HTML(CSS),
                W.HBox([self.title, self.language], layout=W.Layout(justify_content="space-between")),
                self.intro,
                W.HBox([left, right], layout=W.Layout(flex_flow="row wrap")),
            ]
        )
        self.root.add_class("r57-explorer")
        with i18n.language(self.lang):
            self.relabel()
            self.update()
            self.update_map()

    def relabel(self) -> None:
        """Set every fixed text of the page (title, headings, labels, help, buttons) in the current language."""
        self._quiet = True
        try:
            self.title.value = "<h2>" + escape(_(explore.TITLE)) + "</h2>"
            self.intro.value = (
                "<p>"
                + _(
                    "Move a control and the R&D share path, the spending by who pays, the budget-envelope test, "
                    "the key figures and the two-way map follow at once. Every control is a parameter of the "
                    "<code>rd_paths</code> report, checked exactly as <code>r57 run rd_paths</code> checks it; "
                    "<em>Save as scenario</em> writes <code>scenarios/&lt;name&gt;.yaml</code>, which "
                    "<code>make reports</code> publishes."
                )
                + "</p>"
            )
            self.language.description = _("Language")
            _set_options(self.language, [(keep(i18n.language_name(code)), code) for code in i18n.LANGS])
            for key, text in (
                ("settings", _("Settings")),
                ("save", _("Save as scenario")),
                ("figures", _("Key figures")),
                ("map", _("Two-way map")),
            ):
                self.headings[key].value = f"<h3>{escape(text)}</h3>"
            for key, title, _cs in self.groups:
                self.group_headings[key].value = f'<h4 class="r57-group">{escape(_(title))}</h4>'
            for c in self.controls:
                spec, w = c.spec, self.widgets[c.name]
                # the label in words; the parameter's name (as -p and scenario files write it) as the hint
                w.description = explore.param_label(spec, unit=False)  # the unit is on the help line
                w.tooltip = keep(c.name) + (f": {_(spec.help)}" if spec.help else "")
                if c.widget == "dropdown":
                    _set_options(w, [(explore.choice_label(c.name, v), v) for v in spec.choices or ()])
                if c.widget == "year_map":
                    w.placeholder = keep(YEAR_MAP_EXAMPLE)
                unit = f' <span class="r57-unit">({escape(_(spec.unit))})</span>' if spec.unit else ""
                self.helps[c.name].value = (
                    f'<div class="r57-help">{escape(_(spec.help)) if spec.help else ""}{unit} '
                    f"<code>{escape(keep(c.name))}</code></div>"
                )
                if c.name in self.null_boxes:
                    box = self.null_boxes[c.name]
                    box.description = _("use default")
                    box.tooltip = _("empty: {meaning}").format(meaning=_(spec.null_means))
            report = notebook_spec(self.ex.report)
            axes = [(explore.param_label(report.spec(a)), a) for a in self.ex.axes()]
            _set_options(self.map_x, axes)
            _set_options(self.map_y, axes)
            _set_options(self.map_metric, [(explore.figure_label(m), m) for m in self.metrics])
            self.map_x.description = _("across")
            self.map_y.description = _("and")
            self.map_metric.description = _("map of")
            self.map_button.description = _("Update map")
            self.map_button.tooltip = _("maps over years take a few seconds")
            self.save_name.description = _("file name")
            self.save_name.placeholder = keep("rd-my-scenario")
            self.save_title.description = _("title")
            self.save_title.placeholder = _("What this scenario asks")
            self.save_desc.description = _("description")
            self.save_overwrite.description = _("replace an existing file")
            self.save_button.description = _("Save as scenario")
            self.link_refused.value = self._refused_html()
            self.show_readouts()
        finally:
            self._quiet = False

    def show_readouts(self) -> None:
        """The float sliders' values: ipywidgets' editable readout in English, the value through
        :data:`analysis.i18n.fmt` (``0,44``) in another language."""
        native = i18n.current() == i18n.SOURCE_LANG
        for name, label in self.readouts.items():
            w = self.widgets[name]
            w.readout = native
            label.layout.display = "none" if native else None
            if not native:
                digits = _digits(w.step)
                label.value = f'<span class="r57-readout">{i18n.fmt.num(w.value, digits)}</span>'

    def set_language(self, lang: str) -> None:
        """Show everything in ``lang`` (en or vi): labels, figures, charts, the map and the last save
        message; every setting is kept. Timed in ``switch_timings``."""
        t0 = time.perf_counter()
        self.lang = i18n.check_lang(lang)
        self.language.value = self.lang  # the selector's observer finds the language already set
        with i18n.language(self.lang):
            self.relabel()
            self.update()
            self.update_map(force=self._map_forced)
            if self._last_save is not None:
                self.save_message.value = self._save_html(*self._last_save)
        self.switch_timings.append(time.perf_counter() - t0)

    def _language_changed(self, change: dict) -> None:
        if not self._quiet and change["new"] != self.lang:
            self.set_language(change["new"])

    def apply_link(self, values: dict[str, Any]) -> None:
        """Set the controls to ``values`` (settings a link gave, already checked by
        :func:`explore.settings_from_query`), without recomputing."""
        controls = {c.name: c for c in self.controls}
        self._quiet = True
        try:
            for name, value in values.items():
                c = controls.get(name)
                if c is None:  # a presentation parameter: the language is the selector's
                    continue
                if name in self.null_boxes:
                    self.null_boxes[name].value = value is None
                    self.widgets[name].disabled = value is None
                    if value is None:
                        continue
                w = self.widgets[name]
                if c.widget == "float_slider":  # a finer step where the value is off the grid: shown as given
                    w.step = min(w.step, explore.slider_step(c.spec, value))
                    w.readout_format = f".{_digits(w.step)}f"
                w.value = explore.cli_text(value) if c.widget == "year_map" else value
        finally:
            self._quiet = False

    def _refused_html(self) -> str:
        if not self.from_link.refused:
            return ""
        items = "".join(f"<li>{escape(r)}</li>" for r in self.from_link.refused)
        head = escape(_("Not taken from the link (the other settings were):"))
        return explore.status_div("error", f"{head}<ul>{items}</ul>", ' role="alert"')

    def link_text(self) -> str:
        """The link to the settings last accepted (:func:`explore.settings_query`), in this language."""
        params = self.last_ok.params if self.last_ok is not None else self.from_link.values
        return self.address + (explore.settings_query(params, self.lang) or ("?" if not self.address else ""))

    def _link_html(self) -> str:
        url = self.link_text()
        label = _("Link to these settings (copy it to share them):")
        return (
            f"<label>{escape(label)}"
            f' <input type="text" readonly id="r57-link" value="{escape(url)}" onfocus="this.select()"></label>'
        )

    def values(self) -> dict[str, Any]:
        """The settings as parameter values (None where 'use default' is ticked); year maps read as YAML."""
        out: dict[str, Any] = {}
        for c in self.controls:
            if c.name in self.null_boxes and self.null_boxes[c.name].value:
                out[c.name] = None
                continue
            v = self.widgets[c.name].value
            out[c.name] = explore.parse_year_map(c.name, v) if c.widget == "year_map" else v
        return out

    def _changed(self, change: dict) -> None:
        if self._quiet:
            return
        owner = change.get("owner")
        for name, box in self.null_boxes.items():
            if owner is box:
                self.widgets[name].disabled = box.value
        with i18n.language(self.lang):
            if self.readouts and self.lang != i18n.SOURCE_LANG:
                self.show_readouts()
            self.update()
            self.update_map()

    def update(self) -> explore.Computed:
        """Recompute and redraw the figures and charts; returns the scenario computed."""
        t0 = time.perf_counter()
        with i18n.language(self.lang):
            try:
                c = self.ex.compute(self.values())
            except ParameterError as exc:  # a year-map field that is not YAML or empty
                c = explore.Computed(error=str(exc))
            self.status.value = explore.status_html(c)
            self.figures.value = explore.figures_html(c)
            self.charts.value = explore.charts_html(c, self.chart_width)
            if c.ok:
                self.last_ok = c
            self.link.value = self._link_html()
        self.timings.append(time.perf_counter() - t0)
        self.last = c
        return c

    def update_map(self, force: bool = False) -> None:
        """Redraw the map; one over a parameter that changes the years or the data waits for the button."""
        with i18n.language(self.lang):
            self.map.value = self._map_html(force)

    def _map_html(self, force: bool) -> str:
        fields = set(engine.SCENARIO_FIELDS)
        quick = self.map_x.value in fields and self.map_y.value in fields  # one engine call for the whole grid
        self._map_forced = False
        if self.last is not None and self.last.error:
            return explore.status_div("error", escape(_("No map: the settings are refused.")), ' id="map"')
        if not force and not quick:
            slow = _("This map recomputes the years and data row by row (0.2 to 1 second): press <em>Update map</em>.")
            return explore.status_div("warn", slow, ' id="map"')
        try:
            values = self.values()
        except ParameterError as exc:
            return explore.status_div("error", escape(_("No map:")) + f" {escape(str(exc))}", ' id="map"')
        x, y, metric = self.map_x.value, self.map_y.value, self.map_metric.value
        html = explore.map_html(self.ex, values, x, y, metric, n=21 if quick else 11)
        self._map_forced = force and not quick
        return html

    _last_save: tuple[bool, str] | None = None  # (saved, path or the refusal), redrawn on a language switch

    def _save_html(self, saved: bool, text: str) -> str:
        if not saved:
            return explore.status_div("error", escape(_("Not saved:")) + f" {escape(text)}", ' role="alert"')
        return explore.status_div(
            "ok", _("Saved {path}; <code>make reports</code> publishes it.").format(path=escape(text))
        )

    def save(self) -> None:
        """Save the settings as scenarios/<name>.yaml (validated like the command line); say what happened."""
        with i18n.language(self.lang):
            try:
                path = explore.save_scenario(
                    self.save_name.value.strip(),
                    self.save_title.value,
                    self.values(),
                    self.save_desc.value,
                    overwrite=self.save_overwrite.value,
                )
            except (ParameterError, ScenarioError) as exc:
                self._last_save = (False, str(exc))
            else:
                self._last_save = (True, str(path))
            finally:  # the confirmation to replace a file holds for one save only: the next one asks again
                self.save_overwrite.value = False
            self.save_message.value = self._save_html(*self._last_save)

    def show(self) -> None:
        """Display the explorer (once: nothing is returned for the notebook to display again)."""
        from IPython.display import display

        display(self.root)
