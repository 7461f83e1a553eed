"""Charts drawn with matplotlib as SVG: scatter charts for pages that compare many models, line
charts for the experiments page (one panel per framework, side by side).

Each chart comes in two copies, one per colour scheme of the site (Material's light "default"
and dark "slate": drawn light, recoloured dark), and the page shows the one that matches (``accessibility.css``). The SVG keeps its
text as text (``svg.fonttype: none``): the browser draws it with the page's fonts, Korean
included, and a reader can select it. Drawing is deterministic: no date or creator in the
metadata, a hash salt fixed per chart, and every id prefixed with the chart's key so that the
light and dark copies of a chart, inline in one page, never share an id.
"""

from __future__ import annotations

import io
import re
import warnings
from contextlib import contextmanager
from dataclasses import dataclass
from html import escape

SCHEMES = {
    "light": {"text": "#1f1f1f", "grid": "#c8c8c8", "point": "#3949ab",
              "lines": ("#3949ab", "#c2185b", "#00796b", "#ef6c00")},
    "dark": {"text": "#e3e3e3", "grid": "#55596a", "point": "#9fa8da",
             "lines": ("#9fa8da", "#f48fb1", "#80cbc4", "#ffb74d")},
}
"""Colours per scheme; each line colour keeps a contrast of at least 4.5 against the page."""
FONTS = ["Noto Sans CJK KR", "Noto Sans", "DejaVu Sans"]  # Hangul first: matplotlib measures the labels with it


@dataclass(frozen=True)
class Point:
    label: str
    x: float
    y: float


@dataclass(frozen=True)
class Series:
    """One line: ``ys`` over ``xs``, in the scheme's ``color``-th line colour; ``dashed`` for the
    second kind of line in a chart (held-out against training, say)."""

    label: str
    xs: tuple[float, ...]
    ys: tuple[float, ...]
    color: int = 0
    dashed: bool = False


@dataclass(frozen=True)
class Panel:
    title: str
    series: tuple[Series, ...]


@contextmanager
def _canvas(key: str, scheme: str, panels: int = 1):
    """A transparent figure of ``panels`` axes side by side in ``scheme``'s colours; the SVG is
    written into the dict this yields (``["svg"]``) when the block ends."""
    from matplotlib import rc_context
    from matplotlib.backends.backend_svg import FigureCanvasSVG
    from matplotlib.figure import Figure

    colors = SCHEMES[scheme]
    style = {"svg.hashsalt": key, "svg.fonttype": "none", "font.family": "sans-serif", "font.sans-serif": FONTS,
             "font.size": 9, "text.color": colors["text"], "axes.labelcolor": colors["text"],
             "axes.edgecolor": colors["grid"], "xtick.color": colors["text"], "ytick.color": colors["text"],
             "legend.frameon": False}
    with rc_context(style), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a missing glyph only moves a label: the browser draws the text
        figure = Figure(figsize=(7.2, 4.6 if panels == 1 else 3.9))
        FigureCanvasSVG(figure)
        axes = figure.subplots(1, panels, sharey=True, squeeze=False)[0]
        figure.patch.set_alpha(0)
        for ax in axes:
            ax.set_facecolor("none")
            ax.grid(True, color=colors["grid"], linewidth=0.5, zorder=0)
        drawn = {"figure": figure, "axes": axes, "colors": colors}
        yield drawn
        out = io.StringIO()
        figure.savefig(out, format="svg", metadata={"Date": None, "Creator": None})
    drawn["svg"] = _inline(out.getvalue(), f"{key}-{scheme}")


def _log(axes, logx: bool, logy: bool, powers: bool = False) -> None:
    """Log axes labelled 0.1, 1, 10 (a few decades), or 10⁻¹⁴ ... 10⁰ with ``powers`` (many)."""
    from matplotlib.ticker import FuncFormatter, LogFormatterSciNotation

    for log, scale, axis in ((logx, axes.set_xscale, axes.xaxis), (logy, axes.set_yscale, axes.yaxis)):
        if log:
            scale("log")
            axis.set_major_formatter(LogFormatterSciNotation() if powers else
                                     FuncFormatter(lambda value, _: f"{value:g}"))


def scatter(key: str, points: list[Point], *, xlabel: str, ylabel: str, logx: bool = False, logy: bool = False,
            scheme: str = "light") -> str:
    """One scatter chart as an SVG string, every point labelled."""
    with _canvas(key, scheme) as drawn:
        figure, (axes,), colors = drawn["figure"], drawn["axes"], drawn["colors"]
        axes.scatter([p.x for p in points], [p.y for p in points], s=22, color=colors["point"], zorder=3)
        _log(axes, logx, logy)
        axes.set_xlabel(xlabel)
        axes.set_ylabel(ylabel)
        axes.margins(0.12)
        figure.tight_layout()
        figure.draw_without_rendering()  # fixes the limits, so points have their place on the page
        _label(figure, axes, points)
    return drawn["svg"]


def lines(key: str, panels: list[Panel], *, xlabel: str, ylabel: str, logy: bool = False,
          integer_x: bool = True, scheme: str = "light") -> str:
    """Line charts side by side, one per panel, sharing the y axis; one legend under them."""
    from matplotlib.ticker import MaxNLocator

    with _canvas(key, scheme, len(panels)) as drawn:
        figure, colors = drawn["figure"], drawn["colors"]
        for axes, panel in zip(drawn["axes"], panels):
            for series in panel.series:
                # Dashed lines get hollow markers too: the two kinds differ at a glance and in
                # the legend, not by dash length alone.
                axes.plot(series.xs, series.ys, color=colors["lines"][series.color], linewidth=1.6,
                          linestyle=(0, (5, 2.5)) if series.dashed else "solid", marker="o", markersize=3,
                          markerfacecolor="none" if series.dashed else colors["lines"][series.color],
                          label=series.label, zorder=3)
            _log(axes, False, logy, powers=True)
            xs = sorted({x for series in panel.series for x in series.xs})
            if len(xs) <= 10:  # few points: a tick at each (epochs 1 to 8, depths 8, 20, 32)
                axes.set_xticks(xs)
            elif integer_x:
                axes.xaxis.set_major_locator(MaxNLocator(integer=True))
            axes.set_title(panel.title, fontsize=9, color=colors["text"])
            axes.set_xlabel(xlabel)
        drawn["axes"][0].set_ylabel(ylabel)
        handles, labels = drawn["axes"][0].get_legend_handles_labels()
        # Long labels in two columns, so the legend never runs past the figure.
        columns = 2 if max(map(len, labels)) > 18 else min(4, len(labels))
        rows = -(-len(labels) // columns)
        figure.legend(handles, labels, loc="lower center", ncol=columns, fontsize=8, handlelength=3.5)
        figure.tight_layout(rect=(0, 0.065 * rows, 1, 1))
    return drawn["svg"]


LABEL_SIZE = 8  # points
OFFSETS = ((4, 3), (4, -11), (-4, 3), (-4, -11), (4, 13), (4, -21), (-4, 13), (-4, -21), (4, 23), (4, -31))
"""Where a point's label may go, in points from the point, tried in order (negative x: the label
ends left of the point)."""


def _label(figure, axes, points: list[Point]) -> None:
    """Label every point where its label overlaps no label placed before (top to bottom): the
    first free place of :data:`OFFSETS`, else the first. Sizes are estimated from the font size,
    which is enough to keep labels of a cluster apart."""
    scale = figure.dpi / 72
    placed: list[tuple[float, float, float, float]] = []
    for point in sorted(points, key=lambda p: (-p.y, p.x, p.label)):
        x, y = axes.transData.transform((point.x, point.y))
        width, height = 0.56 * LABEL_SIZE * len(point.label) * scale, 1.15 * LABEL_SIZE * scale

        def box(dx: float, dy: float) -> tuple[float, float, float, float]:
            left = x + dx * scale if dx > 0 else x + dx * scale - width
            return left, y + dy * scale, left + width, y + dy * scale + height

        free = [o for o in OFFSETS if not any(_overlap(box(*o), other) for other in placed)]
        dx, dy = (free or OFFSETS)[0]
        placed.append(box(dx, dy))
        axes.annotate(point.label, (point.x, point.y), xytext=(dx, dy), textcoords="offset points",
                      fontsize=LABEL_SIZE, ha="left" if dx > 0 else "right", va="bottom")


def _overlap(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _inline(svg: str, prefix: str) -> str:
    """The SVG element alone (no XML declaration or doctype), its ids prefixed with ``prefix``."""
    svg = svg[svg.index("<svg"):]
    svg = re.sub(r'id="([^"]+)"', lambda m: f'id="{prefix}-{m[1]}"', svg)
    svg = re.sub(r'url\(#([^)]+)\)', lambda m: f"url(#{prefix}-{m[1]})", svg)
    return re.sub(r'href="#([^"]+)"', lambda m: f'href="#{prefix}-{m[1]}"', svg)


def recolored(svg: str, key: str, scheme: str) -> str:
    """A chart drawn in the light scheme, in ``scheme``'s colours: every light colour replaced by
    its counterpart (the palettes pair one to one), every id given the scheme's prefix.

    What drawing it again would give, but for the names of matplotlib's marker definitions (a
    hash of the marker's colour): the layout depends on the words and the data, never on the
    colours, and drawing is most of a cold build's time for a chart.
    """
    pairs = {SCHEMES["light"][k]: SCHEMES[scheme][k] for k in ("text", "grid", "point")}
    pairs.update(zip(SCHEMES["light"]["lines"], SCHEMES[scheme]["lines"]))
    svg = svg.replace(f'"{key}-light-', f'"{key}-{scheme}-').replace(f"#{key}-light-", f"#{key}-{scheme}-")
    return re.sub("|".join(map(re.escape, pairs)), lambda m: pairs[m[0]], svg)


def figure(key: str, data, *, alt: str, caption: str, draw=scatter, **axes) -> str:
    """The chart ``draw(key, data, ...)`` draws (:func:`scatter` or :func:`lines`), in both
    schemes (drawn once, :func:`recolored`), each with its text alternative, and one caption."""
    parts = []
    light = draw(key, data, scheme="light", **axes)
    for scheme in SCHEMES:
        svg = light if scheme == "light" else recolored(light, key, scheme)
        svg = svg.replace("<svg ", f'<svg role="img" aria-label="{escape(alt)}" ', 1)
        parts.append(f'<div class="cnnguide-chart cnnguide-chart--{scheme}">{svg}</div>')
    return (f'<figure class="cnnguide-charts" id="chart-{key}">{"".join(parts)}'
            f"<figcaption>{escape(caption)}</figcaption></figure>")
