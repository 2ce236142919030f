"""The live scenario explorer's logic (no widgets: those are in :mod:`explore_ui`): controls from the
``rd_paths`` parameter specs, values checked as the command line checks them, one scenario through the
engine, a two-way map through :func:`analysis.reports.rd_sweep.evaluate`, and "save as scenario"."""

from __future__ import annotations

import json
import math
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode

import numpy as np
import pandas as pd
import yaml

from analysis import i18n, paths
from analysis.data.labels import LABELS, label
from analysis.errors import ParameterError, R57Error
from analysis.i18n import N_, _, fmt, keep
from analysis.models import engine
from analysis.reports import rd_sweep
from analysis.reports.params import PRESENTATION_PARAMS, KeyFigure, ParamSpec, parse_cli_value
from analysis.reports.rd_paths import FIGURES, RdData, RdResolved, engine_inputs, resolve
from analysis.reports.registry import notebook_spec, validate
from analysis.run import ownership
from analysis.run.catalogue import MAX_NAME_CHARS, ScenarioError, check_name_clash, load_scenario, name_problem

REPORT = "rd_paths"
SOURCE = N_(
    "r57 R&D path engine; GERD: UNESCO UIS via World Bank WDI; GDP: WDI and GSO. Years after the "
    "official data are projections under the settings shown"
)
TITLE = N_("R&D path explorer: what reaching the target takes")  # the page's heading and its tab's title
SIGNED_OUT = N_(
    "Signed out of the r57 explorer. To open it again, use the address with the token that r57 explore printed."
)
SLIDER_STEPS = 400  # a slider moves in about this many steps from lo to hi (finer if the default needs it)


def start_language(lang: str | None = None) -> str:
    """``lang``, else ``$R57_LANG``, else English (i18n.LanguageError for an unknown code)."""
    return i18n.check_lang(lang or os.environ.get("R57_LANG", "").strip() or i18n.SOURCE_LANG)


def figure_label(key: str) -> str:
    """The label of engine figure ``key`` in the current language (its column name for one not listed)."""
    known = FIGURES.get(key)
    return _(known.header) if known else keep(key)


def param_label(spec: ParamSpec, unit: bool = True) -> str:
    """A parameter's label (else its name) in the current language, with its unit unless ``unit`` is False."""
    name = _(spec.label) if spec.label else keep(spec.name)
    return name + (f" ({_(spec.unit)})" if unit and spec.unit else "")


# The control groups in the order an economist reads a scenario (each spec names its ``group``).
GROUPS: tuple[tuple[str, str], ...] = (
    ("target", N_("The target and the path to it")),
    ("growth", N_("Growth and prices")),
    ("funding", N_("Who pays")),
    ("budget", N_("The budget rule")),
    ("data", N_("Data choices")),
)

# a choice parameter's kind in the label table (analysis.data.labels) where it is not the parameter's name
CHOICE_KINDS = {"target_gdp_basis": "gdp_basis"}


def choice_label(name: str, code: str) -> str:
    """The words for choice ``code`` of parameter ``name`` in the current language (else the code)."""
    kind = CHOICE_KINDS.get(name, name)
    return label(kind, code) if code in LABELS.get(kind, ()) else keep(code)


# What the two-way map can show: engine columns where a colour scale means something
MAP_METRICS = (
    "gerd_nominal_cagr_pct",
    "share_cagr_pct",
    "gerd_real_cagr_pct",
    "gerd_target_usd_bn",
    "state_gerd_pct_envelope_target",
    "state_gerd_pct_rd_envelope_target",
    "state_gerd_pct_budget_target",
    "nonstate_gerd_nominal_cagr_pct",
)


@dataclass(frozen=True)
class Control:
    """The control of parameter ``spec``. ``widget``: ``int_slider``, ``float_slider``, ``dropdown``,
    ``checkbox``, ``year_map`` (YAML text: a number or ``{year: number}``), ``number`` or ``text``; ``value``:
    where it starts (for an empty nullable default, the value the data give); ``step``: a slider's."""

    spec: ParamSpec
    widget: str
    value: Any
    step: float | None = None

    @property
    def name(self) -> str:
        return self.spec.name


def slider_step(spec: ParamSpec, value: Any) -> float:
    """A round step giving about SLIDER_STEPS positions over lo..hi, refined until ``value`` is on the grid."""
    if spec.kind == "int":
        return 1
    span = float(spec.hi) - float(spec.lo)
    step = 10.0 ** math.floor(math.log10(span / SLIDER_STEPS))
    if i18n.is_number(value):
        while step > 1e-6 and abs((value - spec.lo) / step - round((value - spec.lo) / step)) > 1e-6:
            step /= 10
    return step


def year_map_text(value: Any) -> str:
    """A number or {year: number} as the one-line YAML the year-map field shows: ``6.5``, ``{2026: 8, 2028: 6.5}``."""
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{int(k)}: {float(v):g}" for k, v in sorted(value.items())) + "}"
    try:
        return "" if value is None else f"{float(value):g}"
    except (TypeError, ValueError):
        return ""


def parse_year_map(name: str, text: str) -> Any:
    """The year-map field's text -> a number or {year: number}, read as YAML like ``r57 run -p``."""
    text = (text or "").strip()
    if not text:
        raise ParameterError(name, "is empty", "a number, or {year: number, ...}")
    return parse_cli_value(text)


def controls(report: str = REPORT, filled: Mapping[str, Any] | None = None) -> list[Control]:
    """One control per parameter of ``report`` but the presentation ones, in the spec's order; ``filled``
    gives the start of nullable parameters whose default is empty (:meth:`Explorer.filled`)."""
    out = []
    for p in notebook_spec(report).params:
        if p.name in PRESENTATION_PARAMS:
            continue
        start = p.default if p.default is not None else (filled or {}).get(p.name)
        step = None
        if p.choices:
            widget = "dropdown"
        elif p.kind == "bool":
            widget = "checkbox"
        elif p.kind == "float_or_year_map":
            widget = "year_map"
            start = year_map_text(start)
        elif p.kind in ("int", "float") and p.lo is not None and p.hi is not None:
            widget = f"{p.kind}_slider"
            if not i18n.is_number(start):  # e.g. a data default given per year
                start = p.lo
            start = min(max(start, p.lo), p.hi)
            step = slider_step(p, p.default)
        elif p.kind in ("int", "float"):
            widget = "number"
        else:
            widget = "text"
        out.append(Control(p, widget, start, step))
    return out


OTHER_GROUP = ("other", N_("Other settings"))  # a control whose spec names no known group: shown, never dropped


def grouped(cs: list[Control]) -> list[tuple[str, str, list[Control]]]:
    """``(key, title, controls)`` per non-empty group of :data:`GROUPS`, then :data:`OTHER_GROUP`."""
    known = dict(GROUPS)
    out = [(key, title, [c for c in cs if c.spec.group == key]) for key, title in GROUPS]
    out.append((*OTHER_GROUP, [c for c in cs if c.spec.group not in known]))
    return [g for g in out if g[2]]


# query keys that are not settings and are never copied into a shared link (Voila's access token)
LINK_IGNORED = ("token",)
MAX_LINK_FIELDS = 100


def cli_text(value: Any) -> str:
    """A parameter value as ``r57 run -p NAME VALUE`` writes it, read back to the same value by
    :func:`~analysis.reports.params.parse_cli_value`: ``2.5``, ``2030``, ``true``, ``null``, ``{2026: 8.0}``."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return np.format_float_positional(value, trim="-")  # shortest exact digits, never 1e-05 (read as text)
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{int(k)}: {cli_text(v)}" for k, v in value.items()) + "}"
    text = str(value)
    return text if parse_cli_value(text) == text else json.dumps(text)  # quoted where YAML would read another type


def settings_query(values: Mapping[str, Any], lang: str | None = None, report: str = REPORT) -> str:
    """The settings that differ from the defaults (and a language other than English) as a URL query,
    ``?target_share_pct=2.5&path_shape=linear``; ``""`` for none."""
    defaults = notebook_spec(report).defaults()
    pairs = [
        (k, cli_text(v))
        for k, v in values.items()
        if k in defaults and k not in PRESENTATION_PARAMS and v != defaults[k]
    ]
    if lang and lang != i18n.SOURCE_LANG:
        pairs.append(("lang", lang))
    return "?" + urlencode(pairs, quote_via=quote, safe=",:") if pairs else ""


@dataclass
class LinkSettings:
    """A link's ``values`` (checked like ``r57 run -p``), ``lang`` and ``refused`` (why each was left out)."""

    values: dict[str, Any] = field(default_factory=dict)
    lang: str | None = None
    refused: list[str] = field(default_factory=list)


def settings_from_query(query: str, report: str = REPORT) -> LinkSettings:
    """The settings a link's query string gives, each read and checked like a ``-p`` value; a refused one
    is left out with the command line's message, the last of a repeated one wins, ``token`` is passed over."""
    out = LinkSettings()
    try:
        pairs = parse_qsl(query.removeprefix("?"), keep_blank_values=True, max_num_fields=MAX_LINK_FIELDS)
    except ValueError:
        out.refused.append(f"the link has more than {MAX_LINK_FIELDS} settings; none was read")
        return out
    spec = notebook_spec(report)
    kept: dict[str, Any] = {}
    for key, text in pairs:
        if key in LINK_IGNORED:
            continue
        try:
            if key == "lang":
                out.lang = i18n.check_lang(text)
                continue
            value = parse_cli_value(text)
            spec.spec(key).coerce(value)  # alone: unknown names, types, ranges (validate's own checks)
        except ParameterError as exc:  # an unknown lang too (i18n.LanguageError)
            out.refused.append(str(exc))
        else:
            kept[key] = value
    out.values = _checked_together(report, kept, out.refused)
    return out


def _checked_together(report: str, kept: dict[str, Any], refused: list[str]) -> dict[str, Any]:
    """``kept`` less what :func:`validate` refuses together (the parameter named, else the last given)."""
    while kept:
        try:
            checked = validate(report, kept)
        except ParameterError as exc:
            drop = exc.name if exc.name in kept else list(kept)[-1]
            refused.append(str(exc) if drop == exc.name else f"parameter '{drop}': {exc}")
            kept.pop(drop)
        else:
            return {k: checked[k] for k in kept}
    return {}


@dataclass
class Computed:
    """One scenario as the explorer shows it. ``error`` set means the settings are refused (no figures)."""

    params: dict[str, Any] = field(default_factory=dict)  # validated, as the user set them
    resolved: dict[str, Any] = field(default_factory=dict)  # with the data-dependent defaults filled
    years: np.ndarray = field(default_factory=lambda: np.array([], dtype=int))
    paths: dict[str, np.ndarray] = field(default_factory=dict)
    figures: dict[str, Any] = field(default_factory=dict)
    rated: np.ndarray | None = None  # the years whose envelope fit is rated (engine.Context.rated)
    warnings: list[str] = field(default_factory=list)
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def _scalar(v: Any) -> Any:
    return v.item() if isinstance(v, np.generic) else v


def unreachable(c: Computed) -> list[str]:
    """Notes, in the current language, on what these settings cannot reach."""
    notes = []
    r, f = c.resolved, c.figures
    base, target = r.get("base_share_pct"), r.get("target_share_pct")
    if base is not None and target is not None and target <= base:
        notes.append(
            _(
                "The target ({target} of GDP) is not above the base-year share ({base}): there is no climb "
                "to make, so the required growth is zero or negative."
            ).format(target=fmt.sig(target) + "%", base=fmt.sig(base) + "%")  # as given
        )
    fits = c.paths.get("fits_envelope")
    if fits is not None and c.rated is not None:
        fits = fits[c.rated]  # the years the engine's envelope figures rate
    if fits is not None and len(fits):
        if not fits.any():
            notes.append(
                _(
                    "State-funded R&D exceeds the budget envelope in every year: with these settings the envelope "
                    "never fits."
                )
            )
        elif not fits.all():
            notes.append(
                _("State-funded R&D exceeds the budget envelope from {year}.").format(
                    year=fmt.year(f.get("first_year_not_fitting"))
                )
            )
    for k, v in f.items():
        if isinstance(v, float) and not math.isfinite(v):
            notes.append(
                _("{figure}: not defined with these settings (it grows from, or is measured against, zero).").format(
                    figure=figure_label(k)
                )
            )
    return notes


def figure_text(key: str, value: Any) -> str:
    """One engine figure as the key-figures table shows it, in the current language: as every page shows it
    (:meth:`~analysis.reports.params.KeyFigure.text`), the engine's no year, no rating and no value in words."""
    if key == "first_year_not_fitting" and value is not None and value < 0:
        return _("none: it fits every year")
    if value is pd.NA:  # envelope_fits_all_years with no year rated
        return _("not rated: no allocation found, the envelope is hypothetical")
    if isinstance(value, float) and not math.isfinite(value):
        return _("not defined")
    return FIGURES.get(key, KeyFigure(key, key, "", None)).text(value)


def figure_keys(c: Computed) -> list[str]:
    """The engine figures in the order shown: known ones first, in :data:`~analysis.reports.rd_paths.FIGURES` order."""
    return [k for k in FIGURES if k in c.figures] + [k for k in c.figures if k not in FIGURES]


def figure_rows(c: Computed) -> list[tuple[str, str]]:
    """(label, formatted value) for every engine figure, in :func:`figure_keys` order."""
    return [(figure_label(k), figure_text(k, c.figures[k])) for k in figure_keys(c)]


class Explorer:
    """Computes scenarios for the explorer; loads the data once."""

    def __init__(self, data: Any = None, report: str = REPORT):
        self.report = report
        self.data = data if data is not None else RdData.load()
        self._contexts: dict[str, RdResolved] = {}  # the last few resolutions, by parameters

    def filled(self) -> dict[str, Any]:
        """The default parameters with the data-dependent defaults filled (what a nullable control starts at)."""
        return resolve(validate(self.report, {}), self.data).params

    def resolved(self, params: dict[str, Any]) -> RdResolved:
        """resolve(params), remembered for the last 16 parameter sets (the scenario and its map share one)."""
        key = json.dumps(params, sort_keys=True, default=str)
        hit = self._contexts.pop(key, None) or resolve(params, self.data)
        self._contexts[key] = hit  # most recent last
        while len(self._contexts) > 16:
            self._contexts.pop(next(iter(self._contexts)))
        return hit

    def context(self, params: dict[str, Any]) -> tuple[engine.Context, dict[str, Any]]:
        """The engine context and scenario fields of ``params`` (a fresh copy: a caller may change it)."""
        return engine_inputs(self.resolved(params))

    def compute(self, values: Mapping[str, Any]) -> Computed:
        """``values`` validated and evaluated, paths kept; refused ones give a Computed with ``error``."""
        try:
            p = validate(self.report, dict(values))
            ctx, base = self.context(p)
            # a zero envelope: inf, reported as not defined
            with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
                table, arrays = engine.evaluate(ctx, base, keep_paths=True)
        except R57Error as exc:
            return Computed(error=str(exc))
        resolved = dict(p)
        resolved.update({k: _scalar(v) for k, v in base.items() if np.ndim(v) == 0})
        c = Computed(
            params=p,
            resolved=resolved,
            years=ctx.years,
            paths={k: np.asarray(v)[0] for k, v in arrays.items()},
            figures={k: _scalar(v) for k, v in table.iloc[0].items()},
            rated=ctx.rated,
        )
        c.warnings = unreachable(c)
        return c

    def axes(self) -> list[str]:
        """Parameters a map axis can run over: the numeric ones with a range."""
        return [
            p.name
            for p in notebook_spec(self.report).params
            if p.kind in ("int", "float", "float_or_year_map") and p.lo is not None and p.hi is not None
        ]

    def axis_values(self, name: str, current: Any, n: int = 21) -> np.ndarray:
        """``n`` values of parameter ``name`` for a map axis: a window around the current value, inside lo..hi."""
        spec = notebook_spec(self.report).spec(name)
        lo, hi = float(spec.lo), float(spec.hi)
        if spec.kind == "int":
            half = n // 2
            c = int(current) if i18n.is_number(current) else int(spec.default)
            start = int(min(max(c - half, lo), max(lo, hi - n + 1)))
            return np.arange(start, min(start + n, int(hi) + 1))
        c = float(current) if i18n.is_number(current) else (lo + hi) / 2
        span = (hi - lo) / 2
        a, b = max(lo, c - span / 2), min(hi, c + span / 2)
        if b - a < span:  # keep the window's width at the edges of the range
            a, b = (lo, lo + span) if a == lo else (hi - span, hi)
        return np.round(np.linspace(a, b, n), 6)

    def two_way(
        self,
        values: Mapping[str, Any],
        x: str,
        y: str,
        metric: str = "gerd_nominal_cagr_pct",
        n: int = 21,
        xs: Any = None,
        ys: Any = None,
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``metric`` over a grid of parameters ``x`` and ``y``, the others as in ``values``: (xs, ys, z of
        shape (len(ys), len(xs))), NaN where a combination is refused. ParameterError for invalid ``values``
        or an axis that is not a numeric parameter with a range."""
        if x == y:
            raise ParameterError("map", "the two axes must be different parameters")
        for a in (x, y):
            if a not in self.axes():
                raise ParameterError(a, "cannot be a map axis", ", ".join(self.axes()))
        if metric not in engine.SUMMARY_COLUMNS:
            raise ParameterError("metric", f"{metric!r} is not an engine figure", ", ".join(engine.SUMMARY_COLUMNS))
        p = validate(self.report, dict(values))
        filled = self.filled() if any(p[a] is None for a in (x, y)) else {}
        xs, ys = (  # the values given, or n around the current (or filled-in) one
            np.asarray(given if given is not None else self.axis_values(a, filled.get(a) if p[a] is None else p[a], n))
            for a, given in ((x, xs), (y, ys))
        )
        gx, gy = np.meshgrid(xs, ys)
        table = pd.DataFrame({x: gx.ravel(), y: gy.ravel()})
        held = {k: v for k, v in p.items() if k not in table}
        frame = rd_sweep.evaluate(table, fixed=held, refused="nan", resolver=self.resolved)
        z = frame[metric].to_numpy(dtype=float).reshape(len(ys), len(xs))
        return xs, ys, z


def _check_name(name: Any) -> None:
    """Raise ScenarioError unless ``name`` is a scenario name (the catalogue's rule, in the explorer's words; a
    reserved name is refused when :func:`save_scenario` checks the file as the catalogue does)."""
    problem = name_problem(name)
    if problem == "long":
        raise ScenarioError(
            _("scenario name of {count} characters: at most {limit} (it becomes a file and a folder name)").format(
                count=len(name), limit=MAX_NAME_CHARS
            )
        )
    if problem == "chars":
        raise ScenarioError(
            _(
                "scenario name {name}: use lower-case letters, digits, '-' or '_', starting with a "
                "letter or digit (it becomes the report's folder name)"
            ).format(name=keep(repr(name)))
        )


def save_scenario(
    name: str,
    title: str,
    values: Mapping[str, Any],
    description: str = "",
    directory: Path | str | None = None,
    overwrite: bool = False,
    report: str = REPORT,
) -> Path:
    """Write ``<directory>/<name>.yaml`` (default ``scenarios/``), checked as ``make reports`` checks the
    catalogue, atomically (0644); an existing file is replaced only with ``overwrite=True``, never through a
    link. Raises ParameterError (a bad value) or ScenarioError (the name, the title, an existing file)."""
    directory = Path(directory or paths.SCENARIOS_DIR)
    _check_name(name)
    if not isinstance(title, str) or not title.strip():
        raise ScenarioError(
            _("scenario {name}: a title is required (it heads the report and the site's table)").format(name=keep(name))
        )
    p = validate(report, dict(values))  # ParameterError: the command line's message
    spec = notebook_spec(report)
    if spec.preflight is not None:  # the check against the data that `r57 run` makes before a kernel starts
        spec.preflight(p)
    params = {k: v for k, v in p.items() if v != spec.spec(k).default}  # what differs from the defaults
    final = directory / f"{name}.yaml"
    if final.is_symlink() or (final.exists() and not final.is_file()):
        raise ScenarioError(
            _("{path} is a symbolic link or not a regular file; the explorer does not write through it").format(
                path=final
            )
        )
    check_name_clash(final)  # my-plan.yml there: run-all would refuse both
    exists = ScenarioError(_("{path} already exists; choose another name or allow overwriting").format(path=final))
    if final.exists() and overwrite is not True:
        raise exists
    doc = {"notebook": report, "title": title.strip(), "description": (description or "").strip(), "parameters": params}
    text = "# Saved from the r57 scenario explorer; validated like `r57 run`.\n" + yaml.safe_dump(
        doc, sort_keys=False, allow_unicode=True, default_flow_style=None
    )
    with tempfile.TemporaryDirectory() as tmp:  # the catalogue's own check, on the exact bytes to be written
        probe = Path(tmp) / final.name
        probe.write_text(text, encoding="utf-8")
        try:
            load_scenario(probe)
        except ScenarioError as exc:
            raise ScenarioError(str(exc).replace(str(probe), str(final))) from None
    directory.mkdir(parents=True, exist_ok=True)
    try:
        ownership.write_atomic(final, text, exclusive=overwrite is not True, durable=True)  # 0644 like the catalogue
    except FileExistsError:
        raise exists from None
    return final


def status_div(kind: str, body: str, attrs: str = "") -> str:
    """A status box of ``kind`` (``error``, ``warn`` or ``ok``) around ``body`` (HTML); ``attrs`` such as
    ``' role="alert"'``."""
    return f'<div class="r57-status r57-{kind}"{attrs}>{body}</div>'


def status_html(c: Computed) -> str:
    """The refusal (the command line's message) or the notes on what cannot be reached, as HTML."""
    if c.error:
        head = escape(_("These settings are refused:"))
        return status_div("error", f"<strong>{head}</strong> {escape(c.error)}", ' role="alert"')
    if c.warnings:
        items = "".join(f"<li>{escape(w)}</li>" for w in c.warnings)
        head = escape(_("Cannot be reached as set:"))
        return status_div("warn", f"<strong>{head}</strong><ul>{items}</ul>", ' role="status"')
    return status_div("ok", escape(_("The path and figures below follow the settings.")), ' role="status"')


def figures_html(c: Computed) -> str:
    """The key figures as a two-column table, in the current language."""
    if c.error:
        return (
            '<table class="r57-table" id="r57-figures"><tr><td>'
            + escape(_("No figures: the settings are refused."))
            + "</td></tr></table>"
        )
    rows = "".join(
        f'<tr data-key="{escape(k)}"><th>{escape(figure_label(k))}</th>'
        f'<td class="num">{escape(figure_text(k, c.figures[k]))}</td></tr>'
        for k in figure_keys(c)
    )
    return f'<table class="r57-table" id="r57-figures">{rows}</table>'


def charts_html(c: Computed, width: int = 520) -> str:
    """The share path, the spending by who pays and the envelope test as SVG charts, in the current language;
    refused settings give charts that say so."""
    from analysis.reports.svgchart import line_chart

    empty_text = _("No values to draw: every figure is missing or not reachable with these settings.")
    texts = {"source_label": _("Source:"), "empty_text": empty_text}
    if c.error:
        empty = [(_("no values"), [])]
        return "".join(
            line_chart([], empty, title=t, y_label="", chart_id=i, width=width, **texts)
            for t, i in (
                (_("R&D spending, % of GDP"), "share"),
                (_("R&D spending by who pays"), "funding"),
                (_("State-funded R&D and the budget envelope"), "envelope"),
            )
        )
    r, y, pth = c.resolved, c.years, c.paths
    common = dict(x_label=_("Year"), source=_(SOURCE), width=width, **texts)
    target = r["target_share_pct"]
    share = line_chart(
        y,
        [(_("{shape} path").format(shape=label("shape", r["path_shape"])), pth["share_pct"])],
        title=_("R&D spending, % of GDP, {first}-{last}").format(first=fmt.year(y[0]), last=fmt.year(y[-1])),
        y_label=_("% of GDP"),
        hline=(target, _("target {share}").format(share=fmt.sig(target) + "%")),
        chart_id="share",
        **common,
    )
    trillion = _("trillion VND")
    funding = line_chart(
        y,
        [
            (_("total R&D"), pth["gerd_vnd_bn"] / 1000),
            (_("state-funded"), pth["state_gerd_vnd_bn"] / 1000),
            (_("non-budget"), pth["nonstate_gerd_vnd_bn"] / 1000),
        ],
        title=_("R&D spending by who pays, trillion current VND"),
        y_label=trillion,
        chart_id="funding",
        **common,
    )
    first_bad = c.figures.get("first_year_not_fitting")
    marks = (
        [(first_bad, _("exceeds from {year}").format(year=fmt.year(first_bad)))]
        if first_bad is not None and first_bad >= 0
        else []
    )
    floor = r.get("science_budget_share_pct")
    envelope_name = (
        _("{share} budget envelope").format(share=fmt.sig(floor) + "%")
        if i18n.is_number(floor)
        else _("the budget envelope")
    )
    env_series = [
        (_("state-funded R&D"), pth["state_gerd_vnd_bn"] / 1000),
        (envelope_name, pth["envelope_vnd_bn"] / 1000),
    ]
    if "rd_envelope_vnd_bn" in pth and not np.allclose(pth["rd_envelope_vnd_bn"], pth["envelope_vnd_bn"]):
        env_series.append((_("the envelope's R&D part (the test)"), pth["rd_envelope_vnd_bn"] / 1000))
    envelope = line_chart(
        y,
        env_series,
        title=_("State R&D and the budget envelope, trillion current VND"),
        y_label=trillion,
        marks=marks,
        chart_id="envelope",
        **common,
    )
    return share + funding + envelope


def map_html(
    explorer: Explorer, values: Mapping[str, Any], x: str, y: str, metric: str, n: int = 21, width: int = 560
) -> str:
    """The two-way map as an SVG heat map (or why it cannot be drawn), in the current language."""
    from analysis.reports.svgchart import heat_map

    label = figure_label(metric)
    try:
        xs, ys, z = explorer.two_way(values, x, y, metric, n=n)
    except R57Error as exc:
        return status_div("error", escape(_("No map:")) + f" {escape(str(exc))}", ' id="map"')
    z = np.where(np.isfinite(z), z, np.nan)
    p = validate(explorer.report, dict(values))
    cur = (p.get(x), p.get(y))
    current = cur if all(i18n.is_number(v) for v in cur) else None
    spec = notebook_spec(explorer.report)
    return heat_map(
        xs,
        ys,
        z,
        title=label,
        x_label=param_label(spec.spec(x)),
        y_label=param_label(spec.spec(y)),
        z_label=label,
        source=_(SOURCE),
        current=current,
        centre=100.0 if metric == "state_gerd_pct_envelope_target" else None,
        width=width,
        nan_label=_("not reachable / refused"),
        current_label=_("current settings"),
        source_label=_("Source:"),
    )
