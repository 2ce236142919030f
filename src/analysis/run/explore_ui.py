"""The explorer's widgets (ipywidgets): a thin layer over :mod:`analysis.run.explore`.

    from analysis.run.explore_ui import ExplorerUI
    ExplorerUI().show()          # in JupyterLab, or served as a page by `make explore` (Voila)

Every control is built from the ``rd_paths`` parameter specs (explore.controls); each change validates
the settings like the command line, runs the engine and redraws the figures, the charts and the map.
"""

from __future__ import annotations

import time
from typing import Any

import ipywidgets as W

from analysis.errors import ParameterError
from analysis.models import engine
from analysis.reports.fonts import live_font_css
from analysis.run import explore
from analysis.run.catalogue import ScenarioError

# the reports' font first (embedded: Vietnamese renders the same on every machine), then the page's own rules
CSS = (
    live_font_css()
    + """<style>
.r57-explorer{font-family:'R57 Sans',system-ui,-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif}
.r57-explorer .r57-table{border-collapse:collapse;font-size:.85rem} .r57-table th,.r57-table td{border-bottom:1px solid #ddd;padding:.2rem .5rem;text-align:left}
.r57-table td.num{text-align:right;white-space:nowrap} .r57-status{padding:.4rem .6rem;margin:.3rem 0;border-radius:4px;font-size:.9rem}
.r57-error{background:#fde8e8;color:#7a0000} .r57-warn{background:#fff4e0;color:#6b3d00} .r57-ok{background:#eef7ee;color:#124d12}
.r57-status ul{margin:.2rem 0 0 1rem;padding:0}
</style>"""
)

CONTROL_LAYOUT = W.Layout(width="27rem")
STYLE = {"description_width": "13rem"}


def _widget(c: explore.Control) -> W.Widget:
    """The ipywidget for one control (see explore.Control.widget)."""
    common: dict[str, Any] = {
        "description": c.name.replace("_", " "),
        "tooltip": c.help,
        "style": STYLE,
        "layout": CONTROL_LAYOUT,
    }
    if c.widget == "dropdown":
        return W.Dropdown(options=list(c.choices or ()), value=c.value, **common)
    if c.widget == "checkbox":
        return W.Checkbox(value=bool(c.value), indent=True, **common)
    if c.widget == "int_slider":
        return W.IntSlider(value=int(c.value), min=int(c.lo), max=int(c.hi), step=1, continuous_update=False, **common)
    if c.widget == "float_slider":
        digits = max(0, -int(f"{c.step:e}".split("e")[1]))
        return W.FloatSlider(
            value=float(c.value),
            min=float(c.lo),
            max=float(c.hi),
            step=c.step,
            readout_format=f".{digits}f",
            continuous_update=False,
            **common,
        )
    if c.widget == "number":
        return (W.IntText if c.default is not None and isinstance(c.default, int) else W.FloatText)(
            value=c.value or 0, **common
        )
    # year_map (a number or {year: number}, read as YAML) and free text
    return W.Text(
        value=str(c.value if c.value is not None else ""),
        continuous_update=False,
        placeholder="6.5  or  {2026: 8, 2028: 6.5}" if c.widget == "year_map" else "",
        **common,
    )


class ExplorerUI:
    """The explorer's widgets and their wiring. ``timings`` holds the seconds each update took."""

    def __init__(self, explorer: explore.Explorer | None = None, chart_width: int = 520):
        self.ex = explorer or explore.Explorer()
        self.chart_width = chart_width
        self.controls = explore.controls(self.ex.report, filled=self.ex.filled())
        self.widgets: dict[str, W.Widget] = {}
        self.null_boxes: dict[str, W.Checkbox] = {}
        rows = []
        for c in self.controls:
            w = _widget(c)
            self.widgets[c.name] = w
            w.observe(self._changed, names="value")
            if c.nullable:
                box = W.Checkbox(
                    value=c.default is None,
                    description="use default",
                    indent=False,
                    tooltip=f"empty: {c.null_means}",
                    layout=W.Layout(width="8rem"),
                )
                box.observe(self._changed, names="value")
                self.null_boxes[c.name] = box
                w.disabled = box.value
                rows.append(W.HBox([w, box]))
            else:
                rows.append(w)
        self.status = W.HTML()
        self.figures = W.HTML()
        self.charts = W.HTML()
        axes = self.ex.axes()
        self.map_x = W.Dropdown(
            options=axes,
            value="nonstate_share_target_pct" if "nonstate_share_target_pct" in axes else axes[0],
            description="across",
            style={"description_width": "4rem"},
        )
        self.map_y = W.Dropdown(
            options=axes,
            value="science_budget_share_pct" if "science_budget_share_pct" in axes else axes[1],
            description="and",
            style={"description_width": "4rem"},
        )
        metrics = [
            (explore.FIGURE_LABELS.get(m, (m,))[0], m) for m in explore.MAP_METRICS if m in engine.SUMMARY_COLUMNS
        ]
        self.map_metric = W.Dropdown(
            options=metrics,
            value="state_gerd_pct_envelope_target",
            description="map of",
            style={"description_width": "4rem"},
            layout=W.Layout(width="32rem"),
        )
        self.map_button = W.Button(description="Update map", tooltip="maps over years take a few seconds")
        self.map = W.HTML()
        for w in (self.map_x, self.map_y, self.map_metric):
            w.observe(lambda _ch: self.update_map(), names="value")
        self.map_button.on_click(lambda _b: self.update_map(force=True))
        self.save_name = W.Text(
            description="file name", placeholder="rd-my-scenario", style=STYLE, layout=CONTROL_LAYOUT
        )
        self.save_title = W.Text(
            description="title", placeholder="What this scenario asks", style=STYLE, layout=CONTROL_LAYOUT
        )
        self.save_desc = W.Textarea(description="description", style=STYLE, layout=CONTROL_LAYOUT)
        self.save_overwrite = W.Checkbox(value=False, description="replace an existing file", style=STYLE)
        self.save_button = W.Button(description="Save as scenario", button_style="primary")
        self.save_message = W.HTML()
        self.save_button.on_click(lambda _b: self.save())
        self.timings: list[float] = []
        self.last: explore.Computed | None = None
        left = W.VBox(
            [
                W.HTML("<h3>Settings</h3>"),
                *rows,
                W.HTML("<h3>Save as scenario</h3>"),
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
                W.HTML("<h3>Key figures</h3>"),
                self.figures,
                self.charts,
                W.HTML("<h3>Two-way map</h3>"),
                W.HBox([self.map_metric]),
                W.HBox([self.map_x, self.map_y, self.map_button]),
                self.map,
            ],
            layout=W.Layout(flex="1 1 0%", min_width="34rem"),
        )
        self.root = W.VBox(
            [
                W.HTML(CSS + "<h2>R&amp;D path explorer: what reaching the target takes</h2>"),
                W.HBox([left, right], layout=W.Layout(flex_flow="row wrap")),
            ]
        )
        self.root.add_class("r57-explorer")
        self.update()
        self.update_map()

    # ------------------------------------------------------------------ reading and updating

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
        owner = change.get("owner")
        for name, box in self.null_boxes.items():
            if owner is box:
                self.widgets[name].disabled = box.value
        self.update()
        self.update_map()

    def update(self) -> explore.Computed:
        """Recompute and redraw the figures and charts; returns the scenario computed."""
        t0 = time.perf_counter()
        try:
            c = self.ex.compute(self.values())
        except ParameterError as exc:  # a year-map field that is not YAML or empty
            c = explore.Computed(error=str(exc))
        self.status.value = explore.status_html(c)
        self.figures.value = explore.figures_html(c)
        self.charts.value = explore.charts_html(c, self.chart_width)
        self.timings.append(time.perf_counter() - t0)
        self.last = c
        return c

    def _map_is_quick(self) -> bool:
        fields = set(engine.SCENARIO_FIELDS)
        return self.map_x.value in fields and self.map_y.value in fields  # one engine call for the whole grid

    def update_map(self, force: bool = False) -> None:
        """Redraw the map; a map over a parameter that changes the years or the data (e.g. the target year)
        recomputes them per row or cell, so it waits for the button instead of slowing every change."""
        if self.last is not None and self.last.error:
            self.map.value = '<div class="r57-status r57-error" id="map">No map: the settings are refused.</div>'
            return
        if not force and not self._map_is_quick():
            self.map.value = (
                '<div class="r57-status r57-warn" id="map">This map recomputes the years and data row by '
                "row (0.2 to 1 second): press <em>Update map</em>.</div>"
            )
            return
        try:
            values = self.values()
        except ParameterError as exc:
            self.map.value = f'<div class="r57-status r57-error" id="map">No map: {exc}</div>'
            return
        self.map.value = explore.map_html(
            self.ex,
            values,
            self.map_x.value,
            self.map_y.value,
            self.map_metric.value,
            n=21 if self._map_is_quick() else 11,
        )

    def save(self) -> None:
        """Save the settings as scenarios/<name>.yaml (validated like the command line); say what happened."""
        from html import escape

        try:
            path = explore.save_scenario(
                self.save_name.value.strip(),
                self.save_title.value,
                self.values(),
                self.save_desc.value,
                overwrite=self.save_overwrite.value,
            )
        except (ParameterError, ScenarioError) as exc:
            self.save_message.value = (
                f'<div class="r57-status r57-error" role="alert">Not saved: {escape(str(exc))}</div>'
            )
            return
        self.save_message.value = (
            f'<div class="r57-status r57-ok">Saved {escape(str(path))}; <code>make reports</code> publishes it.</div>'
        )

    def show(self) -> None:
        """Display the explorer (once: nothing is returned for the notebook to display again)."""
        from IPython.display import display

        display(self.root)
