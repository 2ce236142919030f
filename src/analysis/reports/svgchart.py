"""Small, fast inline SVG charts (line charts, a heat map) with title, axis units, source and alt text.

The charting path of the pages built outside a notebook (the explorer, the comparison pages): a chart must
take a millisecond, not matplotlib's 50-100 ms, and inline text uses the page's embedded font and number
format. They follow the notebooks' house style (:func:`analysis.reports.render.setup_plotting`). Every text
is escaped; a missing value (NaN) breaks a line instead of being drawn as zero.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

import numpy as np

from analysis.i18n import _, fmt

PALETTE = ("#0173b2", "#de8f05", "#029e73", "#d55e00", "#cc78bc", "#ca9161", "#fbafe4", "#949494", "#ece133", "#56b4e9")
DASHES = ("", "6 3", "2 2", "8 3 2 3", "4 4", "1 3", "10 4", "3 6", "", "6 3")


def nice_ticks(lo: float, hi: float, n: int = 5) -> list[float]:
    """About ``n`` round tick values covering lo..hi (1, 2, 2.5 or 5 times a power of ten apart); at least two."""
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return []
    if hi - lo <= 1e-12 * max(1.0, abs(lo), abs(hi)):  # flat (or flat up to rounding): a range around the value
        hi = lo + max(abs(lo), 1.0)
    raw = (hi - lo) / max(n, 1)
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    k0, k1 = math.floor(lo / step + 1e-9), math.ceil(hi / step - 1e-9)
    ticks = [k * step for k in range(k0, max(k1, k0 + 1) + 1)]
    return ticks if ticks[-1] > ticks[0] else [lo, hi]


def tick_text(v: float) -> str:
    """A tick label: :data:`analysis.i18n.fmt`'s decimals by size, without needless zeros (``1,234``, ``2.5``)."""
    return fmt.num(v, None, trim=True)


def _source_lines(source: str, width: int, left: int, source_label: str | None = None) -> list[str]:
    """The source note, after ``source_label``, in lines that fit the chart (about 5.3 px a character); none
    without a source."""
    if not source:
        return []
    per_line = max(30, int((width - left - 4) / 5.3))
    head = _("Source: {source}").format(source=source) if source_label is None else f"{source_label} {source}"
    return textwrap.wrap(" ".join(head.split()), per_line, break_long_words=False, break_on_hyphens=False)


def _source_svg(source: str, width: int, height: int, left: int, source_label: str | None = None) -> str:
    lines = _source_lines(source, width, left, source_label)
    return "".join(
        f'<text x="{left}" y="{height - 4 - 12 * (len(lines) - 1 - i)}" font-size="9.5" fill="#555">{escape(t)}</text>'
        for i, t in enumerate(lines)
    )


def _svg_open(
    title: str, width: int, height: int, chart_id: str, left: int, alt: str = "", defs: str = ""
) -> list[str]:
    """The ``<svg>`` element (size, role, font), its accessible title and alt text, ``defs``, the title shown."""
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="r57-chart" id="{escape(chart_id)}" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(alt or title)}" '
        # the page's embedded font first (analysis.reports.fonts.embed_page_font: inline SVG text is page text)
        'font-family="\'R57 Sans\',system-ui,Segoe UI,Helvetica,Arial,sans-serif" font-size="11">',
        f"<title>{escape(title)}</title>",
        *([f"<desc>{escape(alt)}</desc>"] if alt else []),
        defs,
        f'<text x="{left}" y="16" font-size="13" font-weight="bold">{escape(title)}</text>',
    ]


@dataclass(frozen=True)
class _Plot:
    """A line chart's plotting area (px) and the data ranges it shows."""

    left: int
    top: int
    pw: int
    ph: int
    xlo: float
    xhi: float
    ylo: float
    yhi: float

    def px(self, v: float) -> float:
        return self.left + (v - self.xlo) / (self.xhi - self.xlo) * self.pw

    def py(self, v: float) -> float:
        return self.top + self.ph - (v - self.ylo) / (self.yhi - self.ylo) * self.ph


def _y_ticks(finite: np.ndarray) -> list[float]:
    """The y axis's ticks: from zero when the values sit well above it; the first and last bound the axis."""
    ylo, yhi = float(finite.min()), float(finite.max())
    ylo = min(ylo, 0.0) if ylo >= 0 and ylo < 0.35 * yhi else ylo
    return nice_ticks(ylo, yhi)


def _line_axes_svg(plot: _Plot, yt: list[float], xs: np.ndarray, x_label: str, y_label: str) -> list[str]:
    """A line chart's grid, tick labels, x axis and axis titles."""
    left, top, pw, ph = plot.left, plot.top, plot.pw, plot.ph
    out = ['<g stroke="#e3e3e3">']
    out += [f'<line x1="{left}" x2="{left + pw}" y1="{plot.py(t):.1f}" y2="{plot.py(t):.1f}"/>' for t in yt]
    out.append("</g>")
    out += [f'<text x="{left - 5}" y="{plot.py(t) + 4:.1f}" text-anchor="end">{tick_text(t)}</text>' for t in yt]
    step = max(1, math.ceil(len(xs) / 10))
    out += [
        f'<text x="{plot.px(v):.1f}" y="{top + ph + 15}" text-anchor="middle">{fmt.sig(v)}</text>' for v in xs[::step]
    ]
    out.append(f'<line x1="{left}" x2="{left + pw}" y1="{top + ph}" y2="{top + ph}" stroke="#555"/>')
    return out + _axis_titles(left, top + ph, pw, ph, x_label, y_label)


def _axis_titles(left: float, bottom: float, pw: float, ph: float, x_label: str, y_label: str) -> list[str]:
    return [
        f'<text x="{left + pw / 2}" y="{bottom + 30}" text-anchor="middle">{escape(x_label)}</text>',
        f'<text transform="translate(13 {bottom - ph / 2}) rotate(-90)" text-anchor="middle">{escape(y_label)}</text>',
    ]


def _reference_lines_svg(plot: _Plot, hline: tuple[float, str] | None, marks: Sequence[tuple[float, str]]) -> list[str]:
    """A line chart's horizontal reference line and vertical marks, each with its label."""
    left, top, pw, ph = plot.left, plot.top, plot.pw, plot.ph
    out = []
    if hline is not None and math.isfinite(hline[0]):
        yy = plot.py(hline[0])
        out.append(
            f'<line x1="{left}" x2="{left + pw}" y1="{yy:.1f}" y2="{yy:.1f}" stroke="#b22222" stroke-dasharray="5 3"/>'
        )
        out.append(f'<text x="{left + 4}" y="{yy - 4:.1f}" fill="#b22222">{escape(hline[1])}</text>')
    for xv, label in marks:
        xx = plot.px(xv)
        out.append(
            f'<line x1="{xx:.1f}" x2="{xx:.1f}" y1="{top}" y2="{top + ph}" stroke="#a30000" stroke-dasharray="2 2"/>'
        )
        out.append(f'<text x="{xx + 3:.1f}" y="{top + 10}" fill="#a30000">{escape(label)}</text>')
    return out


def _finite_runs(plot: _Plot, xs: np.ndarray, v: np.ndarray) -> list[list[str]]:
    """The stretches of a series without a missing value, as "x,y" points (px): a NaN breaks the line."""
    runs, cur = [], []
    for xv, yv in zip(xs, v, strict=True):
        if math.isfinite(yv):
            cur.append(f"{plot.px(xv):.1f},{plot.py(yv):.1f}")
        elif cur:
            runs.append(cur)
            cur = []
    if cur:
        runs.append(cur)
    return runs


def _series_svg(plot: _Plot, i: int, name: str, xs: np.ndarray, v: np.ndarray, columns: int = 2) -> list[str]:
    """One series of a line chart: its lines (a dot for a lone point) and its legend entry."""
    colour, dash = PALETTE[i % len(PALETTE)], DASHES[i % len(DASHES)]
    out = []
    for r in _finite_runs(plot, xs, v):
        out.append(
            f'<polyline fill="none" stroke="{colour}" stroke-width="2" stroke-dasharray="{dash}" '
            f'points="{" ".join(r)}"><title>{escape(name)}</title></polyline>'
        )
        if len(r) == 1:
            cx, cy = r[0].split(",")
            out.append(f'<circle cx="{cx}" cy="{cy}" r="3" fill="{colour}"/>')
    lx = plot.left + (i % columns) * (plot.pw / columns)
    ly = plot.top + plot.ph + 46 + 16 * (i // columns)
    out.append(
        f'<line x1="{lx:.1f}" x2="{lx + 22:.1f}" y1="{ly - 4}" y2="{ly - 4}" stroke="{colour}" stroke-width="2" '
        f'stroke-dasharray="{dash}"/><text x="{lx + 27:.1f}" y="{ly}">{escape(name)}</text>'
    )
    return out


def line_chart(
    x: Sequence[float],
    series: Sequence[tuple[str, Sequence[float]]],
    *,
    title: str,
    y_label: str,
    x_label: str | None = None,
    source: str = "",
    hline: tuple[float, str] | None = None,
    marks: Sequence[tuple[float, str]] = (),
    width: int = 560,
    height: int = 300,
    chart_id: str = "chart",
    source_label: str | None = None,
    empty_text: str = "No values to draw: every figure is missing or not reachable with these settings.",
    alt: str = "",
    legend_columns: int = 2,
) -> str:
    """An SVG line chart of one or more named series over ``x``.

    ``hline``: (value, label) of a reference line; ``marks``: vertical lines (x, label); ``x_label`` defaults to
    "Year"; ``source_label`` heads the source note (default "Source:"); ``empty_text`` replaces a chart with
    nothing to draw; ``alt``: what the chart shows in words (default: the title).
    """
    x_label = _("Year") if x_label is None else x_label
    xs = np.asarray(x, dtype=float)
    ys = [np.asarray(v, dtype=float) for _name, v in series]
    ref = np.array([hline[0]] if hline else [], dtype=float)
    finite = np.concatenate([v[np.isfinite(v)] for v in ys] + [ref[np.isfinite(ref)]])
    left, right, top = 64, 14, 34
    bottom = 50 + 16 * -(-len(series) // legend_columns) + 12 * len(_source_lines(source, width, left, source_label))
    pw, ph = width - left - right, height - top - bottom
    out = _svg_open(title, width, height, chart_id, left, alt)
    if finite.size == 0 or xs.size == 0:
        out.append(
            f'<text x="{width / 2}" y="{height / 2}" text-anchor="middle" fill="#a30000">{escape(empty_text)}</text></svg>'
        )
        return "".join(out)
    yt = _y_ticks(finite)
    xlo, xhi = float(xs.min()), float(xs.max())
    plot = _Plot(left, top, pw, ph, xlo, xhi if xhi > xlo else xlo + 1, yt[0], yt[-1])
    out += _line_axes_svg(plot, yt, xs, x_label, y_label)
    out += _reference_lines_svg(plot, hline, marks)
    for i, ((name, _values), v) in enumerate(zip(series, ys, strict=True)):
        out += _series_svg(plot, i, name, xs, v, legend_columns)
    out += [_source_svg(source, width, height, left, source_label), "</svg>"]
    return "".join(out)


def _colour(t: float) -> str:
    """Blue (0) to white (0.5) to orange-red (1)."""
    t = min(1.0, max(0.0, t))
    a, b, c = (33, 102, 172), (247, 247, 247), (214, 96, 77)
    lo, hi, u = (a, b, t * 2) if t < 0.5 else (b, c, (t - 0.5) * 2)
    return "#" + "".join(f"{round(lo[k] + (hi[k] - lo[k]) * u):02x}" for k in range(3))


@dataclass(frozen=True)
class _ZScale:
    """A heat map's colour scale: the range of the values and the value shown white, if any."""

    zlo: float
    zhi: float
    centre: float | None

    @classmethod
    def of(cls, zz: np.ndarray, centre: float | None) -> _ZScale:
        """The scale over the finite values of ``zz`` (0 to 1 when none is; one unit wide when all are equal)."""
        finite = zz[np.isfinite(zz)]
        zlo, zhi = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
        if zhi <= zlo:
            zhi = zlo + 1.0
        return cls(zlo, zhi, centre)

    @property
    def centred(self) -> bool:
        """Whether the centre falls strictly inside the range (only then is it white)."""
        return self.centre is not None and self.zlo < self.centre < self.zhi

    def t(self, v: float) -> float:
        """0..1 for the colour; with a centre, below it 0..0.5 and above it 0.5..1."""
        zlo, zhi, centre = self.zlo, self.zhi, self.centre
        if self.centred:
            return 0.5 * (v - zlo) / (centre - zlo) if v <= centre else 0.5 + 0.5 * (v - centre) / (zhi - centre)
        return (v - zlo) / (zhi - zlo)


@dataclass(frozen=True)
class _Grid:
    """A heat map's plotting area and the size of one cell, px."""

    left: int
    top: int
    pw: int
    ph: int
    cw: float
    ch: float


def _cells_svg(
    grid: _Grid,
    xs: np.ndarray,
    ys: np.ndarray,
    zz: np.ndarray,
    zs: _ZScale,
    labels: tuple[str, str, str],
) -> list[str]:
    """A heat map's cells, coloured by value (hatched grey where missing), each titled with it."""
    x_label, y_label, nan_label = labels
    out = []
    for j in range(len(ys)):
        for i in range(len(xs)):
            v = zz[j, i]
            fill = _colour(zs.t(v)) if math.isfinite(v) else "url(#r57hatch)"
            label = f"{x_label} {fmt.sig(xs[i])}, {y_label} {fmt.sig(ys[j])}: " + (
                tick_text(v) if math.isfinite(v) else nan_label
            )
            out.append(
                f'<rect x="{grid.left + i * grid.cw:.1f}" y="{grid.top + grid.ph - (j + 1) * grid.ch:.1f}" '
                f'width="{grid.cw + 0.3:.1f}" height="{grid.ch + 0.3:.1f}" fill="{fill}">'
                f"<title>{escape(label)}</title></rect>"
            )
    return out


def _heat_axes_svg(grid: _Grid, xs: np.ndarray, ys: np.ndarray, x_label: str, y_label: str) -> list[str]:
    """A heat map's tick labels (about eight a side) and axis titles."""
    left, top, pw, ph, cw, ch = grid.left, grid.top, grid.pw, grid.ph, grid.cw, grid.ch
    out = [
        f'<text x="{left + (i + 0.5) * cw:.1f}" y="{top + ph + 14}" text-anchor="middle">{fmt.sig(xs[i])}</text>'
        for i in range(0, len(xs), max(1, math.ceil(len(xs) / 8)))
    ]
    out += [
        f'<text x="{left - 4}" y="{top + ph - (j + 0.5) * ch + 4:.1f}" text-anchor="end">{fmt.sig(ys[j])}</text>'
        for j in range(0, len(ys), max(1, math.ceil(len(ys) / 8)))
    ]
    return out + _axis_titles(left, top + ph, pw, ph, x_label, y_label)


def _current_svg(
    grid: _Grid,
    xs: np.ndarray,
    ys: np.ndarray,
    current: tuple[float, float] | None,
    current_label: str = "current settings",
) -> list[str]:
    """A ring on the heat map at the present settings, when they fall inside it."""
    if current is None or len(xs) <= 1 or len(ys) <= 1:
        return []
    left, top, pw, ph, cw, ch = grid.left, grid.top, grid.pw, grid.ph, grid.cw, grid.ch
    cx = left + (current[0] - xs[0]) / (xs[-1] - xs[0]) * (pw - cw) + cw / 2
    cy = top + ph - ((current[1] - ys[0]) / (ys[-1] - ys[0]) * (ph - ch) + ch / 2)
    if not (left <= cx <= left + pw and top <= cy <= top + ph):
        return []
    return [
        f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="5" fill="none" stroke="#000" stroke-width="2">'
        f"<title>{escape(current_label)}</title></circle>"
    ]


def _heat_legend_svg(grid: _Grid, zs: _ZScale, nan_label: str) -> list[str]:
    """A heat map's colour legend: the scale, its top, centre and bottom values, the missing cell."""
    top, ph = grid.top, grid.ph
    lx = grid.left + grid.pw + 14
    out = [
        f'<rect x="{lx}" y="{top + k * ph / 14:.1f}" width="14" height="{ph / 14 + 0.3:.1f}" '
        f'fill="{_colour(1 - k / 10)}"/>'
        for k in range(11)
    ]
    out.append(f'<text x="{lx + 18}" y="{top + 9}">{tick_text(zs.zhi)}</text>')
    if zs.centred:
        out.append(f'<text x="{lx + 18}" y="{top + 5 * ph / 14 + 9:.1f}">{tick_text(zs.centre)}</text>')
    out.append(f'<text x="{lx + 18}" y="{top + 10 * ph / 14 + 9:.1f}">{tick_text(zs.zlo)}</text>')
    out.append(
        f'<rect x="{lx}" y="{top + 12 * ph / 14:.1f}" width="14" height="12" fill="url(#r57hatch)"/>'
        f'<text x="{lx + 18}" y="{top + 12 * ph / 14 + 10:.1f}">{escape(nan_label)}</text>'
    )
    return out


def heat_map(
    x: Sequence[float],
    y: Sequence[float],
    z: np.ndarray,
    *,
    title: str,
    x_label: str,
    y_label: str,
    z_label: str,
    source: str = "",
    current: tuple[float, float] | None = None,
    centre: float | None = None,
    width: int = 560,
    height: int = 360,
    chart_id: str = "map",
    nan_label: str = "not reachable",
    current_label: str = "current settings",
    source_label: str | None = None,
) -> str:
    """An SVG heat map of ``z`` (len(y) rows x len(x) columns); NaN cells are hatched grey.

    ``centre``: the value shown white; ``current``: the present settings, marked by a ring titled ``current_label``.
    """
    xs, ys, zz = np.asarray(x, dtype=float), np.asarray(y, dtype=float), np.asarray(z, dtype=float)
    left, right, top = 64, 90, 34
    bottom = 44 + 12 * len(_source_lines(source, width, left, source_label))
    pw, ph = width - left - right, height - top - bottom
    hatch = (
        '<defs><pattern id="r57hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
        '<rect width="6" height="6" fill="#d9d9d9"/><line x1="0" y1="0" x2="0" y2="6" stroke="#999" stroke-width="2"/>'
        "</pattern></defs>"
    )
    out = _svg_open(title, width, height, chart_id, left, defs=hatch)
    zs = _ZScale.of(zz, centre)
    grid = _Grid(left, top, pw, ph, pw / len(xs), ph / len(ys))
    out += _cells_svg(grid, xs, ys, zz, zs, (x_label, y_label, nan_label))
    out += _heat_axes_svg(grid, xs, ys, x_label, y_label)
    out += _current_svg(grid, xs, ys, current, current_label)
    out += _heat_legend_svg(grid, zs, nan_label)
    out.append(
        f'<text transform="translate({width - 4} {top + ph / 2}) rotate(-90)" text-anchor="middle">{escape(z_label)}</text>'
    )
    out += [_source_svg(source, width, height, left, source_label), "</svg>"]
    return "".join(out)
