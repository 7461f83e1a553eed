"""Textbook figures of a network, drawn from the neutral :class:`~cnnguide.inspect.view.ModelView`.

``svg(view, lang)`` draws the figure a textbook would: each layer's output is a feature map
drawn as a box, the network runs left to right, parallel branches (Inception) are lanes that
join at a concatenation bar, a skip connection (ResNet) is an arc into a (+) node, and a block
repeated several times in a row is drawn once with its count ("× 2"). Nothing here imports a
framework: the same view gives the same figure whichever framework built the model.

**The scale rule.** A feature map of H×W×C is a box ``6 + 8·√H`` px high and
``6 + 6·log₂ C`` px wide (:data:`HEIGHT`, :data:`WIDTH`) (a vector of n values is drawn as 1×1×n). The square root and the
logarithm keep a 224×224×3 input and a 7×7×2048 map on one page while bigger still looks
bigger. Layers that keep the shape (batch normalization, dropout, a separate activation, local
response normalization) are thin slices stuck to the box before them.

**The readability rule.** Repeated blocks are collapsed first. The top-level chain is then
wrapped into lines no wider than :data:`MAX_WIDTH` px (the site's content column is 688 px),
like a line of text: the arrow returns to the left margin. A block (a branching module, a
residual block, a collapsed repetition, a layer with its slices) is never split across lines, so
a block wider than that alone makes the figure wider; and a last line shorter than a quarter of
the width joins the line before when that stays within 10 % of it (no widows). The page helper
wraps the figure in a ``<div class="cnnguide-figure">`` that lets it shrink to no less than 75 %
of its size (labels stay above 9 px) and then scrolls it sideways (``overflow-x: auto``).

**How the structure is found.** Rows name the rows they read, so the view is a graph. The
nodes that every path from the input to the output passes through (the dominators of the
output) cut the network into a chain; the rows between two consecutive cut nodes are the
branches of a fork that the second one joins (a concatenation or an addition). A branch is
decomposed the same way, recursively. A branch with no rows is an identity shortcut: the arc.
Auxiliary heads (rows that do not lead to the main output) hang below the row they leave from.
A graph that is not built of chains and forks (none of the classic CNNs) is drawn as a plain
chain in execution order rather than refused.

**Repetition.** Within every chain, a run of two or more consecutive copies of the same
sub-chain (same kinds, output shapes, kernels, strides, groups, activations and the same
branching pattern; names are ignored) is collapsed into one copy with its count. The run that
covers the most rows wins at each position. The first copy may read a different map from the
others (VGG's ``block3_conv1`` widens 128 channels to 256, ``block3_conv2`` and ``_conv3`` keep
256: "× 3", as the paper's Table 1 lists them).

**Groups.** A grouped convolution's output is drawn as its groups stacked, one box per group
of C/g channels: the two towers of AlexNet's two GPUs (conv2, conv4 and conv5 read only their
own GPU's half; conv1 and conv3 read everything, so they stay one box). Beyond three groups
only the first and the last are drawn, with dots between, and the label says ``g=32``. A
bracket splits the incoming line into the groups and gathers them again, and the slices after
the box (AlexNet's response normalization) are split alike, since they keep the groups apart.

**Blocks.** One block of a network (:meth:`ModelView.block`: the rows named ``conv3_block1_...``
with the map they read as the input) is drawn by the same rules, so a residual block keeps its
shortcut into the (+); ``svg(..., block="conv3_block1")`` says in the title which block it is.

**Deterministic.** Everything is computed from the rows in their canonical order; coordinates
are printed with at most one decimal; no ids, no timestamps: two renders are byte-identical, and
Keras and PyTorch views of one network give the same bytes.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from typing import Union
from xml.sax.saxutils import escape, quoteattr

from ..inspect.view import INPUT, Layer, ModelView
from ..shapes import format_shape
from .labels import DIAGRAM, check_language, header, kind as kind_label, number

# --- the look ---------------------------------------------------------------------------------

MAX_WIDTH = 680      # px: a line of the figure is at most this wide (the content column is 688 px)
MARGIN = 14          # px around the drawing
FONT = 12            # px, labels
LINE = 15            # px, one line of label text
GAP = 20             # px between two layers of a chain (the arrow)
SLICE = 5            # px, width of a shape-keeping layer's slice
LANE_GAP = 16        # px between two lanes of a fork
LINE_GAP = 30        # px between two lines of a wrapped chain
JOIN_R = 8           # px, radius of a (+) node
BAR = 8              # px, width of a concatenation bar
ARC_STEP = 10        # px between stacked skip arcs
TOWERS = 3           # a grouped convolution with up to this many groups: one box per group ...
DOTS_GAP = 16        # ... with more, the first and last group's boxes this far apart, dots between
TOWER_GAP = 4        # px between two stacked groups' boxes
STUB = 6             # px of the lines that split a map into its groups and gather it again
HEIGHT = (6, 8)      # a box is HEIGHT[0] + HEIGHT[1]·√H px high ...
WIDTH = (6, 6)       # ... and WIDTH[0] + WIDTH[1]·log₂ C px wide
RULE = {"height": f"{HEIGHT[0]} + {HEIGHT[1]}·√H", "width": f"{WIDTH[0]} + {WIDTH[1]}·log₂ C"}

# Shape-keeping layers: drawn as thin slices after the box they modify, without labels.
SLICES = ("batch_norm", "dropout", "activation", "lrn")
# Joins drawn as a node that the branches enter: a bar for concatenation, a circle otherwise.
SYMBOLS = {"add": "+", "multiply": "×"}
COMMUTATIVE = ("add", "multiply")

# Fill colours by layer kind. Each has a relative luminance between 0.15 and 0.30, so it has a
# contrast of at least 3:1 against both Material's light (#ffffff) and dark (slate, #1e2029)
# backgrounds (tests/test_diagrams.py checks it); text and lines use currentColor, the page's
# own text colour in either scheme.
COLOURS = {
    "input": "#6f7f8f",
    "conv": "#4c78a8",
    "dense": "#9467bd",
    "max_pool": "#d6504f",
    "avg_pool": "#c2701f",
    "global_avg_pool": "#a6761d",
    "global_max_pool": "#a6761d",
    "adaptive_avg_pool": "#a6761d",
    "flatten": "#7f7f7f",
    "reshape": "#7f7f7f",
    "batch_norm": "#3f9a4a",
    "dropout": "#8a7f72",
    "stochastic_depth": "#8a7f72",  # dropout of whole residual branches
    "activation": "#b8860b",
    "lrn": "#8c6bb1",
    "add": "#2a9086",
    "multiply": "#1f8fa0",
    "concat": "#c0508a",
    "split": "#c0508a",  # the concatenation's counterpart
    "zero_pad": "#6b8e23",
}
OTHER = "#888888"
LIGHT_BACKGROUND, DARK_BACKGROUND = "#ffffff", "#1e2029"

STYLE = (
    ".cnnguide-diagram{font-family:var(--md-text-font-family,Helvetica,Arial,sans-serif);"
    f"font-size:{FONT}px}}"
    ".cnnguide-diagram text{fill:currentColor;stroke:none}"
    ".cnnguide-diagram .cg-name{font-weight:700}"
    ".cnnguide-diagram .cg-note{font-size:11px;fill-opacity:.85}"
    ".cnnguide-diagram .cg-line{fill:none;stroke:currentColor;stroke-width:1.2}"
    ".cnnguide-diagram .cg-arc{fill:none;stroke:currentColor;stroke-width:1.2;stroke-dasharray:5 3}"
    ".cnnguide-diagram .cg-head,.cnnguide-diagram .cg-dot{fill:currentColor}"
    ".cnnguide-diagram .cg-frame{fill:none;stroke:currentColor;stroke-opacity:.7;stroke-dasharray:4 3}"
    ".cnnguide-diagram .cg-box{stroke:currentColor;stroke-opacity:.6;stroke-width:1}"
    ".cnnguide-diagram .cg-sym{fill:none;stroke:currentColor;stroke-width:1.6}"
    + "".join(f".cnnguide-diagram .cg-k-{_k.replace('_', '-')}{{fill:{_c}}}" for _k, _c in COLOURS.items())
    + f".cnnguide-diagram .cg-k-other{{fill:{OTHER}}}"
)


def colour_class(kind: str) -> str:
    return "cg-k-" + (kind.replace("_", "-") if kind in COLOURS else "other")


def _n(value: float) -> str:
    """A coordinate with at most one decimal, no '-0' and no trailing zeros."""
    text = f"{round(value, 1):.1f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def text_width(text: str, size: float = FONT) -> float:
    """An estimate of the width of ``text`` in a sans-serif face (no font metrics at build time).

    Hangul and CJK characters are about one em wide, capitals two thirds, the rest a bit over
    half; the estimate errs wide so that labels never overlap.
    """
    width = 0.0
    for ch in text:
        code = ord(ch)
        if 0x1100 <= code <= 0x11FF or 0x2E80 <= code <= 0x9FFF or 0xAC00 <= code <= 0xD7AF:
            width += 1.0
        elif ch == " ":
            width += 0.3
        elif ch.isupper() or ch in "mwMW×":
            width += 0.72
        else:
            width += 0.58
    return width * size


def stack(shape: tuple[int, ...], groups: int) -> tuple[float, float, list[float], bool]:
    """How a map computed in ``groups`` groups is drawn: (width, height) of one group's box,
    the boxes' centres relative to the axis (top first), and whether dots stand for groups
    that are not drawn.

    Each box is one group's share of the channels (H×W×C/g), as Krizhevsky et al. (2012,
    Figure 2) draw AlexNet's two GPUs as two towers. Many groups (ResNeXt's 32) would make a
    figure taller than a page, so beyond :data:`TOWERS` only the first and the last are
    drawn, with dots between; the label below says how many ('g=32').
    """
    channels = shape[-1] if shape else 1
    width, height = box_size(tuple(shape[:-1]) + (max(channels // max(groups, 1), 1),))
    if groups <= 1:
        return width, height, [0.0], False
    shown, gap = (groups, TOWER_GAP) if groups <= TOWERS else (2, DOTS_GAP)
    step = height + gap
    return width, height, [(k - (shown - 1) / 2) * step for k in range(shown)], groups > TOWERS


def box_size(shape: tuple[int, ...]) -> tuple[float, float]:
    """(width, height) of a feature map's box: the scale rule of the module docstring."""
    if len(shape) >= 3:
        height, channels = shape[0], shape[-1]
    elif len(shape) == 2:
        height, channels = shape
    else:
        height, channels = 1, (shape[0] if shape else 1)
    return WIDTH[0] + WIDTH[1] * math.log2(max(channels, 1)), HEIGHT[0] + HEIGHT[1] * math.sqrt(max(height, 1))


# --- structure --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Node:
    """One row of the view (``index`` -1 is the model input)."""

    index: int


@dataclass(frozen=True)
class Parallel:
    """A fork: branches that leave the same map and meet at ``join`` (a row index, or None when
    the branches end without a join, as the last lanes of a branch that forks again)."""

    branches: tuple[tuple["Item", ...], ...]   # an empty branch is an identity shortcut
    join: int | None


@dataclass(frozen=True)
class Repeat:
    """``count`` consecutive copies of ``body``, drawn once."""

    body: tuple["Item", ...]
    count: int


@dataclass(frozen=True)
class Side:
    """A branch that leaves the chain and does not come back (an auxiliary classifier)."""

    body: tuple["Item", ...]


Item = Union[Node, Parallel, Repeat, Side]


class _Graph:
    """Rows as a graph of indices: who reads whom."""

    def __init__(self, view: ModelView):
        self.rows = view.layers
        position = {row.name: i for i, row in enumerate(self.rows)}
        self.preds: list[list[int]] = []
        for i, row in enumerate(self.rows):
            found: list[int] = []
            for name in row.inputs:
                p = -1 if name == INPUT else position.get(name, i - 1)
                if p >= i:  # not a graph the rows' order can draw: read the row before
                    p = i - 1
                if p not in found:
                    found.append(p)
            self.preds.append(found or [i - 1])
        self.succs: dict[int, list[int]] = {i: [] for i in range(-1, len(self.rows))}
        for i, preds in enumerate(self.preds):
            for p in preds:
                self.succs[p].append(i)

    def main_output(self) -> int:
        """The output that is furthest from the input (auxiliary heads are shallower)."""
        depth = {-1: 0}
        for i, preds in enumerate(self.preds):
            depth[i] = 1 + max(depth[p] for p in preds)
        outputs = [i for i in range(len(self.rows)) if not self.succs[i]]
        return max(outputs, key=lambda i: (depth[i], i))

    def ancestors(self, node: int) -> set[int]:
        seen: set[int] = set()
        stack = [node]
        while stack:
            v = stack.pop()
            if v in seen or v < 0:
                continue
            seen.add(v)
            stack.extend(self.preds[v])
        return seen


def structure(view: ModelView) -> tuple[Item, ...]:
    """The chain of items the figure draws, with repeated blocks collapsed."""
    if not view.layers:
        return (Node(-1),)
    graph = _Graph(view)
    sink = graph.main_output()
    main = graph.ancestors(sink)
    items = _decompose(graph, sorted(main), -1, [sink], set())
    items = _attach_sides(graph, (Node(-1),) + items, sorted(set(range(len(view.layers))) - main))
    return _collapse(graph, items)


def _decompose(graph: _Graph, nodes: list[int], source: int, sinks: list[int],
               visiting: set) -> tuple[Item, ...]:
    """The chain from ``source`` (excluded) through ``nodes`` to ``sinks``.

    ``nodes`` are in execution order and read only ``source`` or each other.
    """
    if not nodes:
        return ()
    key = (tuple(nodes), source, tuple(sinks))
    if key in visiting:  # no progress: not a chain of forks; draw the rows in order
        return tuple(Node(v) for v in nodes)
    visiting = visiting | {key}
    member = set(nodes)

    def preds(v: int) -> list[int]:
        found: list[int] = []
        for p in graph.preds[v]:
            q = p if p in member else source
            if q not in found:
                found.append(q)
        return found

    dominators: dict[int, frozenset] = {source: frozenset((source,))}
    for v in nodes:
        ps = preds(v)
        common = dominators[ps[0]]
        for p in ps[1:]:
            common = common & dominators[p]
        dominators[v] = common | {v}
    cut = dominators[sinks[0]]
    for s in sinks[1:]:
        cut = cut & dominators[s]
    chain = sorted(cut - {source})

    items: list[Item] = []
    previous = source
    for join in chain + ([None] if len(sinks) > 1 else []):
        if join is None:
            region = [v for v in nodes if v > previous]
            targets = [s for s in sinks if s != previous]
        else:
            region = [v for v in nodes if previous < v < join]
            targets = preds(join)
        if region:
            items.append(_fork(graph, region, previous, targets, join, preds, visiting))
        elif join is not None:
            items.append(Node(join))
        if join is not None:
            previous = join
    return tuple(items)


def _fork(graph, region, source, targets, join, preds, visiting) -> Parallel:
    member = set(region)
    groups: list[tuple[set, list[int]]] = []   # (rows, the targets they end in)
    for target in targets:
        if target == source:
            groups.append((set(), [target]))
            continue
        rows: set[int] = set()
        stack = [target]
        while stack:
            v = stack.pop()
            if v in rows or v not in member:
                continue
            rows.add(v)
            stack.extend(preds(v))
        overlapping = [g for g in groups if g[0] & rows]
        if overlapping:  # branches that share rows are one branch that forks again
            first = overlapping[0]
            for other in overlapping[1:]:
                first[0].update(other[0])
                first[1].extend(other[1])
            groups = [g for g in groups if not any(g is other for other in overlapping[1:])]
            first[0].update(rows)
            first[1].append(target)
        else:
            groups.append((rows, [target]))
    covered = set().union(*(g[0] for g in groups))
    if member - covered:  # rows that reach the join by no target: keep them visible
        groups.append((member - covered, sorted(member - covered)[-1:]))
    branches = []
    for rows, ends in groups:
        if not rows:
            branches.append(())
        else:
            ends = sorted(set(ends), key=ends.index)
            branches.append(_decompose(graph, sorted(rows), source, ends, visiting))
    if join is not None and graph.rows[join].kind in COMMUTATIVE:
        # x + y is y + x: order the lanes by the graph (longest first), not by argument order
        branches.sort(key=lambda b: (-_count(b), _first(b)))
    return Parallel(tuple(branches), join)


def _count(items) -> int:
    total = 0
    for item in items:
        if isinstance(item, Node):
            total += 1
        elif isinstance(item, Parallel):
            total += sum(_count(b) for b in item.branches) + (item.join is not None)
        elif isinstance(item, (Repeat, Side)):
            total += _count(item.body)
    return total


def _first(items) -> int:
    for item in items:
        if isinstance(item, Node):
            return item.index
        inner = item.branches if isinstance(item, Parallel) else (item.body,)
        found = [_first(b) for b in inner if b]
        if found:
            return min(found)
    return 1 << 30


def _attach_sides(graph: _Graph, items: tuple[Item, ...], rest: list[int]) -> tuple[Item, ...]:
    """Hang the rows that do not lead to the main output below the row they leave from."""
    if not rest:
        return items
    remaining = set(rest)
    sides: dict[int, list[Side]] = {}
    while remaining:  # connected groups, in execution order
        start = min(remaining)
        group, stack = set(), [start]
        while stack:
            v = stack.pop()
            if v in group or v not in remaining:
                continue
            group.add(v)
            stack.extend(p for p in graph.preds[v] if p in remaining)
            stack.extend(s for s in graph.succs[v] if s in remaining)
        remaining -= group
        outside = sorted({p for v in group for p in graph.preds[v] if p not in group})
        source = outside[-1] if outside else -1
        ends = [v for v in sorted(group) if not any(s in group for s in graph.succs[v])]
        body = _decompose(graph, sorted(group), source, ends, set())
        sides.setdefault(source, []).append(Side(body))
    return _insert_sides(items, sides)


def _insert_sides(items, sides):
    out: list[Item] = []
    for item in items:
        if isinstance(item, Parallel):
            item = Parallel(tuple(_insert_sides(b, sides) for b in item.branches), item.join)
        out.append(item)
        end = item.index if isinstance(item, Node) else item.join if isinstance(item, Parallel) else None
        if end is not None:
            out.extend(sides.pop(end, ()))
    return tuple(out)


def _signature(graph: _Graph, item: Item) -> tuple:
    """What two copies of a block must share: what the figure draws of them, and whether
    they have a bias and learn.

    Neither the input shape nor the parameter count is part of it: inside a run every copy but
    the first reads a copy just like itself, so those can differ only in the first copy, and
    that is the repetition the papers draw (VGG's block3: a 3×3 convolution that widens 128
    channels to 256, then two that keep 256, is "conv3-256 × 3"). The box before the run shows
    the narrower map it reads.
    """
    if isinstance(item, Node):
        if item.index < 0:
            return ("input",)
        r = graph.rows[item.index]
        return ("n", r.kind, r.output_shape, r.activation, r.kernel_size, r.strides, r.groups,
                r.bias, r.trainable > 0, r.non_trainable > 0)
    if isinstance(item, Parallel):
        return ("p", tuple(tuple(_signature(graph, x) for x in b) for b in item.branches),
                _signature(graph, Node(item.join)) if item.join is not None else None)
    if isinstance(item, Repeat):
        return ("r", item.count, tuple(_signature(graph, x) for x in item.body))
    return ("s", tuple(_signature(graph, x) for x in item.body))


def _is_slice(graph: _Graph, item: Item) -> bool:
    return isinstance(item, Node) and item.index >= 0 and graph.rows[item.index].kind in SLICES


def _collapse(graph: _Graph, items: tuple[Item, ...]) -> tuple[Item, ...]:
    """Collapse runs of identical consecutive blocks, inside out."""
    inner: list[Item] = []
    for item in items:
        if isinstance(item, Parallel):
            item = Parallel(tuple(_collapse(graph, b) for b in item.branches), item.join)
        elif isinstance(item, Side):
            item = Side(_collapse(graph, item.body))
        inner.append(item)
    # A layer and the slices after it (conv + batch norm) are one unit: a run never splits them.
    units: list[list[Item]] = []
    for item in inner:
        if units and _is_slice(graph, item):
            units[-1].append(item)
        else:
            units.append([item])
    signatures = [tuple(_signature(graph, x) for x in unit) for unit in units]
    out: list[Item] = []
    i = 0
    while i < len(units):
        best = (0, 0, 0)   # rows covered, length, count
        for length in range(1, (len(units) - i) // 2 + 1):
            count = 1
            while (i + (count + 1) * length <= len(units)
                   and signatures[i + count * length:i + (count + 1) * length] == signatures[i:i + length]):
                count += 1
            covered = length * count
            if count >= 2 and covered > best[0]:
                best = (covered, length, count)
        if best[0] and not (isinstance(units[i][0], Node) and units[i][0].index < 0):
            _, length, count = best
            out.append(Repeat(tuple(x for unit in units[i:i + length] for x in unit), count))
            i += length * count
        else:
            out.extend(units[i])
            i += 1
    return tuple(out)


# --- layout -----------------------------------------------------------------------------------

class _Figure:
    """What every block needs: the rows, the language, and the options."""

    def __init__(self, view: ModelView, lang: str, names: bool):
        self.view, self.lang, self.names = view, lang, names
        self.graph = _Graph(view) if view.layers else None

    def row(self, index: int) -> Layer | None:
        return None if index < 0 else self.view.layers[index]

    def shape(self, index: int) -> tuple[int, ...]:
        return self.view.input_shape if index < 0 else self.view.layers[index].output_shape

    def kind(self, index: int) -> str:
        return "input" if index < 0 else self.view.layers[index].kind


def _detail(row: Layer) -> str:
    """Kernel, stride and groups, as the tables write them: '5×5', '3×3 /2', '3×3 g=32'."""
    if not row.kernel_size or row.kind not in ("conv", "max_pool", "avg_pool"):
        return ""
    text = "×".join(map(str, row.kernel_size))
    if row.strides and set(row.strides) != {1}:
        text += " /" + "×".join(map(str, sorted(set(row.strides))))
    if row.groups > 1:
        text += f" g={row.groups}"
    return text


class _Out:
    """SVG elements, written with fixed formatting."""

    def __init__(self):
        self.parts: list[str] = []

    def line(self, points, cls="cg-line"):
        d = "M" + " L".join(f"{_n(x)} {_n(y)}" for x, y in points)
        self.parts.append(f'<path class="{cls}" d="{d}"/>')

    def path(self, d: str, cls="cg-line"):
        self.parts.append(f'<path class="{cls}" d="{d}"/>')

    def head(self, x, y, direction="right"):
        """An arrowhead whose tip is at (x, y)."""
        s = 4.5
        if direction == "right":
            pts = [(x, y), (x - s * 1.4, y - s), (x - s * 1.4, y + s)]
        elif direction == "down":
            pts = [(x, y), (x - s, y - s * 1.4), (x + s, y - s * 1.4)]
        else:  # up
            pts = [(x, y), (x - s, y + s * 1.4), (x + s, y + s * 1.4)]
        self.parts.append('<path class="cg-head" d="M' + " L".join(f"{_n(a)} {_n(b)}" for a, b in pts) + ' Z"/>')

    def arrow(self, x0, x1, y):
        if x1 - x0 > 7:
            self.line([(x0, y), (x1 - 5, y)])
            self.head(x1, y)
        elif x1 > x0:
            self.line([(x0, y), (x1, y)])

    def rect(self, x, y, w, h, cls, rx=0):
        r = f' rx="{_n(rx)}"' if rx else ""
        self.parts.append(f'<rect class="{cls}" x="{_n(x)}" y="{_n(y)}" width="{_n(w)}" height="{_n(h)}"{r}/>')

    def circle(self, x, y, r, cls):
        self.parts.append(f'<circle class="{cls}" cx="{_n(x)}" cy="{_n(y)}" r="{_n(r)}"/>')

    def text(self, x, y, value, cls=None, anchor="middle"):
        c = f' class="{cls}"' if cls else ""
        a = f' text-anchor="{anchor}"' if anchor != "start" else ""
        self.parts.append(f'<text{c} x="{_n(x)}" y="{_n(y)}"{a}>{escape(value)}</text>')


class _Block:
    """A laid-out item: ``w`` wide, ``up`` above and ``down`` below its axis; the line coming in
    ends at x = ``entry`` and the line going out starts at x = ``exit`` (relative to its left)."""

    w = up = down = entry = exit = 0.0
    head = True  # does the line coming in end with an arrowhead (not when it ends at a fork dot)

    def connect(self, out: "_Out", x0: float, x: float, y: float) -> None:
        """The line from x0 into this block drawn at x."""
        if self.head:
            out.arrow(x0, x + self.entry, y)
        else:
            out.line([(x0, y), (x + self.entry, y)])

    def draw(self, out: _Out, x: float, y: float) -> None:
        raise NotImplementedError


class _Box(_Block):
    """A layer's feature map, the slices after it, and its labels below."""

    def __init__(self, fig: _Figure, nodes: list[int]):
        self.fig, self.nodes = fig, nodes
        first = nodes[0]
        row = fig.row(first)
        self.bw, self.bh, self.centres, self.dots = stack(fig.shape(first), _groups(row))
        self.slices = [(box_size(fig.shape(v))[1], fig.kind(v)) for v in nodes[1:]]
        self.stubs = STUB if len(self.centres) > 1 else 0
        content = self.bw + sum(SLICE + 2 for _ in self.slices) + 2 * self.stubs
        if row is None:
            self.labels = [header("input", fig.lang), format_shape(fig.shape(first))]
        else:
            activation = next((fig.row(v).activation for v in reversed(nodes) if fig.row(v).activation), None)
            self.labels = [t for t in (_detail(row), format_shape(row.output_shape), activation) if t]
        self.name = row.name if (row is not None and fig.names) else None
        widths = [text_width(t) for t in self.labels] + ([text_width(self.name)] if self.name else [])
        self.w = max([content] + [w + 4 for w in widths])
        self.entry = (self.w - content) / 2
        self.exit = self.entry + content
        spread = self.centres[-1] - self.centres[0]
        self.half = (spread + max([self.bh] + [h for h, _ in self.slices])) / 2
        self.align(self.half, self.half)

    def align(self, above: float, below: float) -> None:
        """Put the name and labels at the lane's common heights."""
        self.above, self.below = above, below
        self.up = above + (LINE + 2 if self.name else 2)
        self.down = below + 4 + LINE * len(self.labels)

    def draw(self, out: _Out, x: float, y: float) -> None:
        fig, left = self.fig, x + self.entry
        if self.stubs:  # the line coming in splits into the groups ...
            self._bracket(out, left, y, STUB)
            left += STUB
        cls = f"cg-box {colour_class(fig.kind(self.nodes[0]))}"
        for c in self.centres:
            out.rect(left, y + c - self.bh / 2, self.bw, self.bh, cls)
        if self.dots:  # the groups between the first and the last
            for k in (-1, 0, 1):
                out.circle(left + self.bw / 2, y + 4 * k, 1.3, "cg-dot")
        left += self.bw
        for (height, kind), v in zip(self.slices, self.nodes[1:]):
            for c in self.centres:
                out.line([(left, y + c), (left + 2, y + c)])
                out.rect(left + 2, y + c - height / 2, SLICE, height, f"cg-box {colour_class(kind)}")
            left += SLICE + 2
        if self.stubs:  # ... and gathers again, since the next layer reads the whole map
            self._bracket(out, left + STUB, y, -STUB)
        centre = x + self.w / 2
        if self.name:
            out.text(centre, y - self.above - 4, self.name, "cg-name")
        for k, label in enumerate(self.labels):
            out.text(centre, y + self.below + 4 + LINE * (k + 1) - 3, label)


    def _bracket(self, out: _Out, x: float, y: float, reach: float) -> None:
        """A bracket at x whose arms reach ``reach`` px (negative: to the left) into each
        group's box: '[' before the stack, ']' after it."""
        top, bottom = y + self.centres[0], y + self.centres[-1]
        out.line([(x + reach, top), (x, top), (x, bottom), (x + reach, bottom)])
        for c in self.centres[1:-1]:
            out.line([(x, y + c), (x + reach, y + c)])


def _groups(row: Layer | None) -> int:
    """How many groups a row's output is drawn in: a grouped convolution's groups, else 1."""
    return row.groups if row is not None and row.kind == "conv" else 1


def _blocks(fig: _Figure, items: tuple[Item, ...]) -> list[_Block]:
    """Blocks for a chain: each box takes the slices that follow it."""
    blocks: list[_Block] = []
    for item in items:
        if isinstance(item, Node):
            if _is_slice(fig.graph, item) and blocks and isinstance(blocks[-1], _Box):
                previous = blocks[-1]
                blocks[-1] = _Box(fig, previous.nodes + [item.index])
            else:
                blocks.append(_Box(fig, [item.index]))
        elif isinstance(item, Parallel):
            blocks.append(_Fork(fig, item))
        elif isinstance(item, Repeat):
            blocks.append(_Repeat(fig, item))
        else:
            blocks.append(_Side(fig, item))
    return blocks


class _Chain(_Block):
    """Blocks left to right on one axis, joined by arrows."""

    def __init__(self, fig: _Figure, items: tuple[Item, ...]):
        self.blocks = _blocks(fig, items)
        boxes = [b for b in self.blocks if isinstance(b, _Box)]
        if boxes:  # labels of one chain on common lines
            above = max(b.half for b in boxes)
            for b in boxes:
                b.align(above, above)
        self.w = sum(b.w for b in self.blocks) + GAP * (len(self.blocks) - 1)
        self.up = max(b.up for b in self.blocks)
        self.down = max(b.down for b in self.blocks)
        self.entry, self.head = self.blocks[0].entry, self.blocks[0].head
        self.exit = self.w - self.blocks[-1].w + self.blocks[-1].exit

    def draw(self, out: _Out, x: float, y: float) -> None:
        previous_exit = None
        for block in self.blocks:
            if previous_exit is not None:
                block.connect(out, previous_exit, x, y)
            block.draw(out, x, y)
            previous_exit = x + block.exit
            x += block.w + GAP


class _Fork(_Block):
    """Branches as lanes between a fork and a join; empty branches as arcs over the top."""

    def __init__(self, fig: _Figure, item: Parallel):
        self.fig, self.item = fig, item
        self.lanes = [_Chain(fig, b) for b in item.branches if b]
        self.arcs = sum(1 for b in item.branches if not b)
        join = fig.row(item.join) if item.join is not None else None
        self.join_kind = join.kind if join is not None else None
        self.bar = self.join_kind == "concat" or (join is not None and self.join_kind not in SYMBOLS)
        # Lane axes relative to the block's axis.
        offsets, y = [], 0.0
        for k, lane in enumerate(self.lanes):
            if k:
                y += self.lanes[k - 1].down + LANE_GAP + lane.up
            offsets.append(y)
        if self.bar and len(self.lanes) > 1:
            middle = (offsets[0] + offsets[-1]) / 2
            offsets = [o - middle for o in offsets]
        self.offsets = offsets or [0.0]
        self.lane_x = 18.0
        lanes_w = max((lane.w for lane in self.lanes), default=0.0)
        self.join_x = self.lane_x + lanes_w + (GAP if self.lanes else 0)
        # The join's labels: its output shape and activation.
        self.labels = []
        if join is not None:
            self.labels = [t for t in (format_shape(join.output_shape), join.activation) if t]
            if fig.names:
                self.labels.insert(0, join.name)
        node_w = BAR if self.bar else 2 * JOIN_R
        self.join_w = max([node_w + 8] + [text_width(t) + 4 for t in self.labels]) if join is not None else 2
        self.w = self.join_x + self.join_w
        self.centre = self.join_x + self.join_w / 2
        self.entry, self.head = 8.0, False  # the line comes in to the fork dot
        if join is None:
            self.exit = self.join_x
        else:
            self.exit = self.centre + (BAR / 2 if self.bar else JOIN_R)
        tops = [o - lane.up for o, lane in zip(self.offsets, self.lanes)] or [-JOIN_R]
        bottoms = [o + lane.down for o, lane in zip(self.offsets, self.lanes)] or [JOIN_R]
        self.node_top = min(min(self.offsets) - 8, -JOIN_R) if self.bar else -JOIN_R
        self.node_bottom = max(max(self.offsets) + 8, JOIN_R) if self.bar else JOIN_R
        self.arc_y = min(tops + [self.node_top]) - 12
        self.up = -(self.arc_y - ARC_STEP * max(self.arcs - 1, 0)) + 2 if self.arcs else -min(tops + [self.node_top])
        label_bottom = self.node_bottom + 4 + LINE * len(self.labels)
        self.down = max(bottoms + [label_bottom])

    def draw(self, out: _Out, x: float, y: float) -> None:
        fork = x + 8
        out.circle(fork, y, 2.5, "cg-dot")
        join_left = x + self.join_x
        centre = x + self.centre
        node_left = centre - (BAR / 2 if self.bar else JOIN_R)
        for lane, offset in zip(self.lanes, self.offsets):
            ly = y + offset
            start = x + self.lane_x
            if offset:
                out.line([(fork, y), (fork, ly), (start + lane.entry - (5 if lane.head else 0), ly)])
                if lane.head:
                    out.head(start + lane.entry, ly)
            else:
                lane.connect(out, fork, start, ly)
            lane.draw(out, start, ly)
            end = start + lane.exit
            if self.item.join is None:
                out.line([(end, ly), (join_left, ly), (join_left, y)])
            elif self.bar or not offset:
                out.arrow(end, node_left, ly)
            else:  # a lower lane (a projection shortcut) merges into the axis before the (+)
                merge = join_left - 6
                out.line([(end, ly), (merge, ly), (merge, y)])
                out.circle(merge, y, 2.5, "cg-dot")
        for k in range(self.arcs):
            top = y + self.arc_y - ARC_STEP * k
            target = y + self.node_top
            r = 6
            out.path(
                f"M{_n(fork)} {_n(y)} L{_n(fork)} {_n(top + r)} Q{_n(fork)} {_n(top)} {_n(fork + r)} {_n(top)}"
                f" L{_n(centre - r)} {_n(top)} Q{_n(centre)} {_n(top)} {_n(centre)} {_n(top + r)}"
                f" L{_n(centre)} {_n(target - 5)}", "cg-arc")
            out.head(centre, target, "down")
        if self.item.join is None:
            return
        cls = f"cg-box {colour_class(self.join_kind)}"
        if self.bar:
            out.rect(centre - BAR / 2, y + self.node_top, BAR, self.node_bottom - self.node_top, cls, rx=2)
        else:
            out.circle(centre, y, JOIN_R, cls)
            if self.join_kind == "add":
                out.line([(centre - 4.5, y), (centre + 4.5, y)], "cg-sym")
                out.line([(centre, y - 4.5), (centre, y + 4.5)], "cg-sym")
            else:
                out.line([(centre - 3.5, y - 3.5), (centre + 3.5, y + 3.5)], "cg-sym")
                out.line([(centre - 3.5, y + 3.5), (centre + 3.5, y - 3.5)], "cg-sym")
        for k, label in enumerate(self.labels):
            out.text(centre, y + self.node_bottom + 4 + LINE * (k + 1) - 3, label)


class _Repeat(_Block):
    """One copy of a repeated run inside a dashed frame, with its count."""

    PAD = 8

    def __init__(self, fig: _Figure, item: Repeat):
        self.body, self.count = _Chain(fig, item.body), item.count
        self.badge = f"× {item.count}"
        self.w = self.body.w + 2 * self.PAD
        self.up = self.body.up + self.PAD + LINE + 2
        self.down = self.body.down + self.PAD
        self.entry, self.exit = self.PAD + self.body.entry, self.PAD + self.body.exit
        self.head = self.body.head

    def draw(self, out: _Out, x: float, y: float) -> None:
        top = y - self.body.up - self.PAD
        out.rect(x, top, self.w, self.body.up + self.body.down + 2 * self.PAD, "cg-frame", rx=6)
        out.text(x + self.w - 4, top - 4, self.badge, "cg-name", anchor="end")
        self.body.draw(out, x + self.PAD, y)


class _Side(_Block):
    """An auxiliary branch: leaves the axis downwards and runs below it to its own output."""

    def __init__(self, fig: _Figure, item: Side):
        self.lane = _Chain(fig, item.body) if item.body else None
        lane_w = self.lane.w if self.lane else 0.0
        self.label = DIAGRAM["side"][fig.lang]
        self.w = 14 + lane_w + 18 + text_width(self.label) + 4
        self.drop = (self.lane.up if self.lane else 0) + 14
        self.up = 2.0
        self.down = self.drop + (self.lane.down if self.lane else 0)
        self.entry, self.exit, self.head = 6.0, self.w, False

    def draw(self, out: _Out, x: float, y: float) -> None:
        out.line([(x + 6, y), (x + self.w, y)])
        out.circle(x + 6, y, 2.5, "cg-dot")
        if not self.lane:
            return
        ly = y + self.drop
        out.line([(x + 6, y), (x + 6, ly), (x + 14 + self.lane.entry - (5 if self.lane.head else 0), ly)])
        if self.lane.head:
            out.head(x + 14 + self.lane.entry, ly)
        self.lane.draw(out, x + 14, ly)
        out.arrow(x + 14 + self.lane.exit, x + 14 + self.lane.exit + 14, ly)
        out.text(x + 14 + self.lane.exit + 18, ly + 4, self.label, anchor="start")


# --- the figure -------------------------------------------------------------------------------

def _lines(blocks: list[_Block]) -> list[list[_Block]]:
    """Greedy wrapping: a block goes to the next line when it would pass MAX_WIDTH."""
    lines: list[list[_Block]] = [[]]
    width = 0.0
    for block in blocks:
        needed = block.w + (GAP if lines[-1] else 0)
        if lines[-1] and MARGIN + width + needed > MAX_WIDTH - MARGIN:
            lines.append([])
            width, needed = 0.0, block.w
        lines[-1].append(block)
        width += needed
    # No widow: a short last line joins the one before when that stays within 10 % of the width.
    if len(lines) > 1:
        last = sum(b.w for b in lines[-1]) + GAP * len(lines[-1])
        before = sum(b.w for b in lines[-2]) + GAP * (len(lines[-2]) - 1)
        if last < MAX_WIDTH / 4 and 2 * MARGIN + before + last <= MAX_WIDTH * 1.1:
            lines[-2].extend(lines.pop())
    return lines


def _legend(fig: _Figure, items: tuple[Item, ...], width: float) -> tuple[list[tuple], float]:
    """Legend entries (kind, label) in order of first appearance, laid out in rows."""
    kinds = ["input"] + [row.kind for row in fig.view.layers]
    seen: list[str] = []
    for k in kinds:
        if k not in seen:
            seen.append(k)
    entries = [(k, header("input", fig.lang) if k == "input" else kind_label(k, fig.lang)) for k in seen]
    if _grouped(fig.view):
        entries.append(("groups", DIAGRAM["groups"][fig.lang]))
    if _has(items, Repeat):
        entries.append(("repeat", DIAGRAM["repeat"][fig.lang]))
    if _has(items, "arc"):
        entries.append(("arc", DIAGRAM["shortcut"][fig.lang]))
    placed, x, y = [], MARGIN, 0.0
    for key, label in entries:
        w = 18 + text_width(label) + 16
        if x > MARGIN and x + w > width - MARGIN:
            x, y = MARGIN, y + LINE + 6
        placed.append((key, label, x, y))
        x += w
    return placed, y + LINE + 6


def _grouped(view: ModelView) -> int:
    """How many rows are drawn as stacked groups."""
    return sum(1 for row in view.layers if _groups(row) > 1)


def _has(items, what) -> bool:
    for item in items:
        if what is Repeat and isinstance(item, Repeat):
            return True
        if what == "arc" and isinstance(item, Parallel) and any(not b for b in item.branches):
            return True
        inner = item.branches if isinstance(item, Parallel) else (item.body,) if isinstance(item, (Repeat, Side)) else ()
        if any(_has(b, what) for b in inner):
            return True
    return False


def describe(view: ModelView, lang: str, title: str | None = None,
             items: tuple[Item, ...] | None = None, block: str | None = None) -> tuple[str, str]:
    """The figure's title and a description for screen readers, in ``lang``.

    ``block`` names the block that ``view`` holds (``"conv3_block1"``): the title then says
    which block of the network the figure shows.
    """
    lang = check_language(lang)
    words = DIAGRAM
    name = title or words["model"][lang]
    if block:
        heading = words["block_title"][lang].format(name=name, block=block)
    else:
        heading = words["title"][lang].format(name=name)
    items = structure(view) if items is None else items
    counts = Counter(row.kind for row in view.layers)
    order = []
    for row in view.layers:
        if row.kind not in order:
            order.append(row.kind)
    layers = ", ".join(f"{kind_label(k, lang)} {counts[k]}" for k in order)
    forks = _tally(items)
    output = view.layers[_Graph(view).main_output()].output_shape if view.layers else view.input_shape
    parts = [words["summary"][lang].format(
        input=format_shape(view.input_shape), output=format_shape(output),
        rows=len(view.layers), layers=layers, params=number(view.params))]
    if forks["branches"]:
        parts.append(words["branches"][lang].format(count=forks["branches"]))
    if forks["arcs"]:
        parts.append(words["arcs"][lang].format(count=forks["arcs"]))
    if forks["repeats"]:
        parts.append(words["repeats"][lang].format(count=forks["repeats"]))
    if _grouped(view):
        parts.append(words["grouped"][lang].format(count=_grouped(view), towers=TOWERS))
    if forks["sides"]:
        parts.append(words["sides"][lang].format(count=forks["sides"]))
    parts.append(words["scale"][lang].format(**RULE))
    return heading, " ".join(parts)


def _tally(items, tally=None) -> Counter:
    tally = Counter() if tally is None else tally
    for item in items:
        if isinstance(item, Parallel):
            if sum(1 for b in item.branches if b) > 1:
                tally["branches"] += 1
            tally["arcs"] += sum(1 for b in item.branches if not b)
            for b in item.branches:
                _tally(b, tally)
        elif isinstance(item, Repeat):
            tally["repeats"] += 1
            _tally(item.body, tally)
        elif isinstance(item, Side):
            tally["sides"] += 1
            _tally(item.body, tally)
    return tally


def svg(view: ModelView, lang: str, *, title: str | None = None, names: bool = False,
        block: str | None = None) -> str:
    """The textbook figure of ``view`` as an SVG document, its words in ``lang`` ('ko' or 'en').

    ``title`` names the network in the figure's title (default: a generic one, so that a Keras
    and a PyTorch view of one network give the same bytes). ``names=True`` writes each layer's
    name above its box (only where the frameworks name layers alike, as LeNet-5's C1, S2, ...).
    ``block`` says that ``view`` is one block of the network (:meth:`ModelView.block`) and
    names it in the title: "ResNet-50 · conv3_block1 block".
    """
    lang = check_language(lang)
    fig = _Figure(view, lang, names)
    items = structure(view)
    heading, description = describe(view, lang, title, items, block)
    blocks = _blocks(fig, items)
    lines = _lines(blocks)
    out = _Out()
    widths = [sum(b.w for b in line) + GAP * (len(line) - 1) for line in lines]
    content_w = max(widths)
    total_w = max(MAX_WIDTH, content_w + 2 * MARGIN) if len(lines) > 1 else content_w + 2 * MARGIN
    y = MARGIN
    previous = None  # (exit x, axis y, bottom y, right edge x) of the line above
    for line in lines:
        boxes = [b for b in line if isinstance(b, _Box)]
        if boxes:  # names and labels of one line on common heights
            half = max(b.half for b in boxes)
            for b in boxes:
                b.align(half, half)
        up = max(b.up for b in line)
        down = max(b.down for b in line)
        axis = y + up + (10 if previous else 0)
        if previous is not None:  # the chain returns to the left margin, like a line of text
            px, py, bottom, right = previous
            turn = bottom + (axis - up - bottom) / 2
            first = line[0]
            end = MARGIN + first.entry
            out.line([(px, py), (right + 6, py), (right + 6, turn), (MARGIN / 2, turn), (MARGIN / 2, axis),
                      (end - 5 if first.head else end, axis)])
            if first.head:
                out.head(end, axis)
        x = MARGIN
        last_exit = None
        for block in line:
            if last_exit is not None:
                block.connect(out, last_exit, x, axis)
            block.draw(out, x, axis)
            last_exit = x + block.exit
            x += block.w + GAP
        previous = (last_exit, axis, axis + down, x - GAP)
        y = axis + down + LINE_GAP
    # The output: an arrow out of the last block.
    px, py, bottom, right = previous
    out.arrow(px, px + 14, py)
    total_w = max(total_w, px + 14 + MARGIN)
    legend, legend_h = _legend(fig, items, max(total_w, MAX_WIDTH / 2))
    total_w = max([total_w] + [lx + 18 + text_width(label) + MARGIN for _, label, lx, _ in legend])
    top = y - LINE_GAP + 18
    for key, label, lx, ly in legend:
        cy = top + ly + LINE / 2
        if key == "repeat":
            out.rect(lx, cy - 6, 14, 12, "cg-frame", rx=3)
        elif key == "groups":  # two towers, as a grouped convolution's box is drawn
            for upper in (cy - 7, cy + 1):
                out.rect(lx + 2, upper, 10, 6, f"cg-box {colour_class('conv')} cg-key")
        elif key == "arc":
            out.path(f"M{_n(lx)} {_n(cy + 4)} Q{_n(lx + 7)} {_n(cy - 8)} {_n(lx + 14)} {_n(cy + 4)}", "cg-arc")
        elif key in SYMBOLS:
            out.circle(lx + 7, cy, 6, f"cg-box {colour_class(key)} cg-key")
        elif key == "concat":
            out.rect(lx + 4, cy - 7, 6, 14, f"cg-box {colour_class(key)} cg-key", rx=2)
        else:
            out.rect(lx, cy - 5, 14, 10, f"cg-box {colour_class(key)} cg-key")
        out.text(lx + 18, cy + 4, label, anchor="start")
    scale_y = top + legend_h + LINE - 2
    out.text(MARGIN, scale_y, DIAGRAM["scale_short"][lang].format(**RULE), "cg-note", anchor="start")
    total_w = max(total_w, MARGIN * 2 + text_width(DIAGRAM["scale_short"][lang].format(**RULE), 11))
    total_h = scale_y + MARGIN - 4
    label = f"{heading}. {description}"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="cnnguide-diagram" role="img" '
        f'aria-label={quoteattr(label)} width="{_n(total_w)}" height="{_n(total_h)}" '
        f'viewBox="0 0 {_n(total_w)} {_n(total_h)}">'
        f"<title>{escape(heading)}</title><desc>{escape(description)}</desc>"
        f"<style>{STYLE}</style>" + "".join(out.parts) + "</svg>"
    )
