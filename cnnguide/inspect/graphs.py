"""Each framework's own drawing of a model's full computational graph, as Graphviz DOT text.

The textbook figure (:mod:`cnnguide.render.diagrams`) is drawn from the neutral view; this is
the other end: every operation, as the framework's own tools see it.

* PyTorch: torchview runs the module once on zeros (inference mode) and records every module
  and function call. Its ``depth`` folds the module tree: at depth 1 a ResNet stage is one node,
  at depth 3 every convolution inside its blocks is. The graph is drawn at the deepest of
  :data:`DEPTHS` that gives at most :data:`MAX_NODES` nodes, so a deep network stays readable
  (LeNet-5 at full depth, ResNet-152 with its blocks folded).
* Keras: ``keras.utils.model_to_dot``, one node per layer, nested models as clusters. Its node
  ids are Python ``id()`` values, different in every process: they are renumbered in order
  (``n0``, ``n1``, ...) so that the same model gives the same text, and the page the same bytes.

Both are laid out by graphviz-pure (:mod:`cnnguide.render.graphviz`), a pip-installed ``dot``:
nothing here needs a system package.
"""

from __future__ import annotations

import re

from .. import frameworks
from ..errors import FrameworkMissingError

DEPTHS = (3, 2, 1)   # torchview depths tried, deepest first
MAX_NODES = 90       # a graph with more nodes than this is folded one level further
FONT = "Helvetica"   # graphviz-pure ships Arimo, metric-compatible with Helvetica

_NODE = re.compile(r"^\s*(\w+)\s*\[", re.M)


def _import_torchview():
    frameworks.torch()  # the safe import order first (see cnnguide.frameworks)
    try:
        import torchview
    except ImportError as exc:
        raise FrameworkMissingError(
            "torchview is not installed. Install cnnguide's extra for it: "
            "pip install 'cnnguide[torch]'."
        ) from exc
    return torchview


def node_count(dot: str) -> int:
    """How many node statements ``dot`` has (graph/node/edge defaults are not nodes)."""
    return sum(1 for name in _NODE.findall(dot) if name not in ("graph", "node", "edge"))


def torch_dot(model, input_shape: tuple[int, int, int], depth: int | None = None) -> tuple[str, int]:
    """torchview's graph of ``model`` on one H x W x C input, and the depth it was drawn at."""
    torchview = _import_torchview()
    height, width, channels = input_shape
    # Where the model's weights are: a model built on the meta device is drawn there, from shapes
    # alone, without running any arithmetic.
    device = next(model.parameters(), frameworks.torch().empty(0)).device.type
    dot, used = "", 0
    for used in (depth,) if depth else DEPTHS:
        graph = torchview.draw_graph(
            model, input_size=(1, channels, height, width), depth=used, device=device,
            mode="eval", graph_name=type(model).__name__, expand_nested=True,
            hide_inner_tensors=True, hide_module_functions=True, roll=False,
        )
        visual = graph.visual_graph
        visual.graph_attr.pop("size", None)      # no shrink-to-12-inches: the page scrolls
        visual.node_attr["fontname"] = FONT
        visual.edge_attr["fontname"] = FONT
        visual.graph_attr["fontname"] = FONT
        dot = visual.source
        if node_count(dot) <= MAX_NODES:
            break
    return dot, used


def keras_dot(model) -> str:
    """Keras's ``model_to_dot`` graph of ``model``, with stable node ids and smaller type."""
    keras = frameworks.keras()
    try:
        dot = keras.utils.model_to_dot(
            model, show_shapes=True, show_layer_names=True, show_layer_activations=True,
            rankdir="TB", expand_nested=True, dpi=72,
        ).to_string()
    except ImportError as exc:  # Keras needs pydot to write DOT
        raise FrameworkMissingError(
            f"{exc} Install cnnguide's extra for it: pip install 'cnnguide[keras]'."
        ) from exc
    return _tidy_keras(dot)


def _tidy_keras(dot: str) -> str:
    """Renumber ``id()`` node names in order of appearance; bring the type to torchview's size."""
    names: dict[str, str] = {}
    for name in _NODE.findall(dot):
        if name.isdigit() and name not in names:
            names[name] = f"n{len(names)}"
    dot = re.sub(r"(?<![\w.])(\d{5,})(?![\w.])", lambda m: names.get(m[1], m[1]), dot)
    # Keras writes 16 pt headers, 14 pt cells and 10 pt padding: at page scale, 11/10/4.
    dot = dot.replace('point-size="16"', 'point-size="11"').replace('point-size="14"', 'point-size="10"')
    return dot.replace('cellpadding="10"', 'cellpadding="4"')
