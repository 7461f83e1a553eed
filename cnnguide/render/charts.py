"""Charts drawn with matplotlib as SVG, for pages that compare many models.

Each chart is drawn twice, once per colour scheme of the site (Material's light "default" and
dark "slate"), and the page shows the one that matches (``accessibility.css``). The SVG keeps its
text as text (``svg.fonttype: none``): the browser draws it with the page's fonts, Korean
included, and a reader can select it. Drawing is deterministic: no date or creator in the
metadata, a hash salt fixed per chart, and every id prefixed with the chart's key so that the
light and dark copies of a chart, inline in one page, never share an id.
"""

from __future__ import annotations

import io
import re
import warnings
from dataclasses import dataclass
from html import escape

SCHEMES = {
    "light": {"text": "#1f1f1f", "grid": "#c8c8c8", "point": "#3949ab"},
    "dark": {"text": "#e3e3e3", "grid": "#55596a", "point": "#9fa8da"},
}
FONTS = ["Noto Sans CJK KR", "Noto Sans", "DejaVu Sans"]  # Hangul first: matplotlib measures the labels with it


@dataclass(frozen=True)
class Point:
    label: str
    x: float
    y: float


def scatter(key: str, points: list[Point], *, xlabel: str, ylabel: str, logx: bool = False, logy: bool = False,
            scheme: str = "light") -> str:
    """One scatter chart as an SVG string, every point labelled."""
    from matplotlib import rc_context
    from matplotlib.backends.backend_svg import FigureCanvasSVG
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter

    colors = SCHEMES[scheme]
    style = {"svg.hashsalt": key, "svg.fonttype": "none", "font.family": "sans-serif", "font.sans-serif": FONTS,
             "font.size": 9, "text.color": colors["text"], "axes.labelcolor": colors["text"],
             "axes.edgecolor": colors["grid"], "xtick.color": colors["text"], "ytick.color": colors["text"]}
    with rc_context(style), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a missing glyph only moves a label: the browser draws the text
        figure = Figure(figsize=(7.2, 4.6))
        FigureCanvasSVG(figure)
        axes = figure.add_subplot()
        axes.set_facecolor("none")
        figure.patch.set_alpha(0)
        axes.scatter([p.x for p in points], [p.y for p in points], s=22, color=colors["point"], zorder=3)
        for log, scale, axis in ((logx, axes.set_xscale, axes.xaxis), (logy, axes.set_yscale, axes.yaxis)):
            if log:
                scale("log")
                axis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))  # 0.1, 1, 10
        axes.set_xlabel(xlabel)
        axes.set_ylabel(ylabel)
        axes.grid(True, color=colors["grid"], linewidth=0.5, zorder=0)
        axes.margins(0.12)
        figure.tight_layout()
        figure.draw_without_rendering()  # fixes the limits, so points have their place on the page
        _label(figure, axes, points)
        out = io.StringIO()
        figure.savefig(out, format="svg", metadata={"Date": None, "Creator": None})
    return _inline(out.getvalue(), f"{key}-{scheme}")


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


def figure(key: str, points: list[Point], *, alt: str, caption: str, **axes) -> str:
    """The chart in both schemes, each with its text alternative, and one caption."""
    parts = []
    for scheme in SCHEMES:
        svg = scatter(key, points, scheme=scheme, **axes)
        svg = svg.replace("<svg ", f'<svg role="img" aria-label="{escape(alt)}" ', 1)
        parts.append(f'<div class="cnnguide-chart cnnguide-chart--{scheme}">{svg}</div>')
    return (f'<figure class="cnnguide-charts" id="chart-{key}">{"".join(parts)}'
            f"<figcaption>{escape(caption)}</figcaption></figure>")
