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
from xml.sax.saxutils import escape

from .. import catalog
from ..errors import CnnguideError
from ..render import diagrams, graphviz
from ..render.labels import DIAGRAM
from .context import language
from .models import agreed_view
from .records import record

FRAMEWORKS = (("keras", "TensorFlow", "Keras · model_to_dot"), ("torch", "PyTorch", "PyTorch · torchview"))


def title(name: str) -> str:
    """A model's name for a figure title: the study's name for its main model (``LeNet-5``),
    the catalog name otherwise (``lenet5_post``)."""
    entry = catalog.model(name)
    study = catalog.study(entry.study)
    return study.name[language()] if entry.name == study.key else entry.name


def figure(name: str, *, names: bool = False, block: str | None = None, **options) -> str:
    """The textbook figure of model ``name`` (built with ``options``), wrapped for the page.

    ``names=True`` writes the layer names (use it where both frameworks name layers alike, as
    LeNet-5's C1, S2, ...; the figure then shows Keras's names). ``block`` draws one block
    only: the rows whose (Keras) names start with it, e.g. ``block="conv3_block1_"``, from the
    map the block reads (:meth:`~cnnguide.inspect.view.ModelView.block`); an unknown prefix
    raises :class:`~cnnguide.errors.UnknownBlockError`, which lists the model's blocks.
    """
    catalog.model(name)  # an unknown name fails here, with the catalog's message
    view = agreed_view(name, **options)
    label = None
    if block is not None:
        view, label = view.block(block), block.rstrip("_.")
    svg = diagrams.svg(view, language(), title=title(name), names=names, block=label)
    width = re.search(r'width="([\d.]+)"', svg)[1]
    return f'<div class="cnnguide-figure" style="--cnnguide-width: {width}px">{svg}</div>'


def laid_out(name: str, **options) -> dict:
    """The raw graphviz-pure SVG of both graphs, and the torchview depth, from the model's
    record (computed for the main model of each study)."""
    graphs_ = record(name, **options).get("graphs")
    if graphs_ is None:
        raise CnnguideError(f"No full graphs are computed for {name} {options or ''}: the site draws the "
                            "graphs of each study's main model (cnnguide.catalog.Study.model).")
    return graphs_


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
    return tabs(f"graphs-{name}", [(tab, graph(name, framework, **options)) for framework, tab, _ in FRAMEWORKS])


def tabs(key: str, blocks: list[tuple[str, str]]) -> str:
    """HTML content tabs (``blocks``: label, HTML), as pymdownx.tabbed writes them, so that
    Material links them with the page's other tabs of the same labels."""
    group = "cnnguide-" + hashlib.sha256(key.encode()).hexdigest()[:8]
    inputs = "".join(
        f'<input {"checked=" + chr(34) + "checked" + chr(34) + " " if k == 0 else ""}'
        f'id="{group}-{k + 1}" name="{group}" type="radio" />' for k in range(len(blocks)))
    labels = "".join(f'<label for="{group}-{k + 1}">{label}</label>' for k, (label, _) in enumerate(blocks))
    content = "\n".join(f'<div class="tabbed-block">\n{block}\n</div>' for _, block in blocks)
    # data-tabs is what Material's linked tabs look for (pymdownx.tabbed writes "set:count")
    return (f'<div class="tabbed-set tabbed-alternate" data-tabs="{group}:{len(blocks)}">{inputs}'
            f'<div class="tabbed-labels">{labels}</div>\n<div class="tabbed-content">\n{content}\n</div>\n</div>')
