"""Architecture diagrams for the pages, in the page's language.

* :func:`figure`: the textbook figure of a catalog model (:mod:`cnnguide.render.diagrams`),
  drawn from the view both frameworks agree on;
* :func:`graphs`: the full computational graphs, Keras's ``model_to_dot`` and PyTorch's
  torchview, laid out by graphviz-pure, in linked TensorFlow / PyTorch tabs.

Both go through the content-addressed cache (:mod:`cnnguide.cache`): the view and the laid-out
graphs are stored by content, so a build with nothing changed imports no framework. An unknown
model name raises the catalog's :class:`~cnnguide.errors.UnknownModelError`. Print the result
from a ``python exec="on" html="1"`` block.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from xml.sax.saxutils import escape

from .. import catalog
from ..render import diagrams, graphviz
from ..render.labels import DIAGRAM
from .context import language
from .models import agreed_view, computed, model

FRAMEWORKS = (("keras", "TensorFlow", "Keras · model_to_dot"), ("torch", "PyTorch", "PyTorch · torchview"))


def title(name: str) -> str:
    """A model's name for a figure title: the study's name for its main model (``LeNet-5``),
    the catalog name otherwise (``lenet5_post``)."""
    entry = catalog.model(name)
    study = catalog.study(entry.study)
    return study.name[language()] if entry.name == study.key else entry.name


def figure(name: str, *, names: bool = False, **options) -> str:
    """The textbook figure of model ``name`` (built with ``options``), wrapped for the page.

    ``names=True`` writes the layer names (use it where both frameworks name layers alike, as
    LeNet-5's C1, S2, ...; the figure then shows Keras's names).
    """
    catalog.model(name)  # an unknown name fails here, with the catalog's message
    svg = diagrams.svg(agreed_view(name, **options), language(), title=title(name), names=names)
    width = re.search(r'width="([\d.]+)"', svg)[1]
    return f'<div class="cnnguide-figure" style="--cnnguide-width: {width}px">{svg}</div>'


def _layout_key() -> str:
    """What the laid-out graphs depend on beyond the models: the layout code and its version."""
    source = (Path(graphviz.__file__).read_bytes() + Path(__file__).read_bytes())
    return f"{graphviz.version()}:{hashlib.sha256(source).hexdigest()[:16]}"


def _dots(name: str, **options) -> dict:
    from ..inspect import graphs as framework_graphs  # imports a framework: only on a cache miss

    torch_model = model(name, "torch", **options)
    torch_dot, depth = framework_graphs.torch_dot(torch_model, torch_model.input_shape)
    return {"keras": framework_graphs.keras_dot(model(name, "keras", **options)),
            "torch": torch_dot, "depth": depth}


def laid_out(name: str, **options) -> dict:
    """The raw graphviz-pure SVG of both graphs, and the torchview depth (cached)."""
    catalog.model(name)

    def compute() -> dict:
        dots = computed("graph_dot", name, options, lambda: _dots(name, **options))
        return {"keras": graphviz.layout(dots["keras"]), "torch": graphviz.layout(dots["torch"]),
                "depth": dots["depth"]}

    return computed("graph_svg", name, {**options, "layout": _layout_key()}, compute)


def graph(name: str, framework: str, **options) -> str:
    """One framework's full graph of model ``name`` as an inline, scrollable SVG with a note."""
    lang = language()
    data = laid_out(name, **options)
    label = dict((k, v) for k, _, v in FRAMEWORKS)[framework]
    svg = graphviz.inline(data[framework], DIAGRAM["graph"][lang].format(name=title(name), framework=label))
    note = DIAGRAM[f"{framework}_graph_note"][lang].format(depth=data["depth"])
    return f'<p class="cnnguide-graph-note">{escape(note)}</p>\n<div class="cnnguide-graph">{svg}</div>'


def graphs(name: str, **options) -> str:
    """Both full graphs of model ``name`` in TensorFlow / PyTorch tabs, linked with the page's
    other framework tabs (Material's ``content.tabs.link``)."""
    key = hashlib.sha256(repr((name, sorted(options.items()))).encode()).hexdigest()[:8]
    group = f"cnnguide-graphs-{key}"
    blocks = [graph(name, framework, **options) for framework, _, _ in FRAMEWORKS]
    inputs = "".join(
        f'<input {"checked=" + chr(34) + "checked" + chr(34) + " " if k == 0 else ""}'
        f'id="{group}-{k + 1}" name="{group}" type="radio" />' for k in range(len(FRAMEWORKS)))
    labels = "".join(f'<label for="{group}-{k + 1}">{tab}</label>' for k, (_, tab, _) in enumerate(FRAMEWORKS))
    content = "\n".join(f'<div class="tabbed-block">\n{block}\n</div>' for block in blocks)
    # data-tabs is what Material's linked tabs look for (pymdownx.tabbed writes "set:count")
    return (f'<div class="tabbed-set tabbed-alternate" data-tabs="{group}:{len(FRAMEWORKS)}">{inputs}<div class="tabbed-labels">{labels}</div>\n'
            f'<div class="tabbed-content">\n{content}\n</div>\n</div>')
