"""One record per model configuration: everything the site shows about it, from one pass.

A page shows a model's layer table, both frameworks' summaries, the parity check, the library
oracle and the full graphs. Computed one by one, each built the model again (a cold build built
76 configurations 85 times, and the parity and oracle checks added configurations of their own
with ``classifier_activation=None``), and each was seeded by whatever the process had done
before. Here a configuration (a model name and its options) is built once per framework, each
build seeded from the configuration's own key, and every part the site needs of it is computed
from those two models in a fixed order and cached as one entry:

* ``views``: the neutral view of each framework's model, and the rows where they disagree;
* ``parity``: the Keras weights copied into PyTorch, logits compared on a seeded batch;
* ``summaries`` and ``graphs`` (the study's main model only, see :func:`parts_for`): Keras
  ``model.summary()``, torchinfo, and both full graphs laid out by graphviz-pure;
* ``oracles``: every library model the catalog declares for this configuration, its weights
  copied into ours (after parity: they overwrite ours), outputs compared.

So a record is a pure function of its key, whoever computed it and whatever came first: the
property that makes a cold build, a warm build and a build from the tests' cache byte-identical.
"""

from __future__ import annotations

import gc
import json
from functools import lru_cache

from .. import catalog, frameworks
from ..cache import cached

FRAMEWORKS = ("keras", "torch")
PARITY_BATCH = 2


def _options_key(options: dict) -> tuple:
    return tuple(sorted(options.items()))


def parts_for(name: str, options: dict) -> tuple[str, ...]:
    """What the site needs of one configuration: every configuration is viewed and checked
    across frameworks; the main model of its study, with default options, is shown in full."""
    entry = catalog.model(name)
    parts = ["views", "parity"]
    if not options and catalog.study(entry.study).model == name:
        parts += ["summaries", "graphs"]
    if catalog.oracles_for(name, options):
        parts.append("oracles")
    return tuple(parts)


def record(name: str, **options) -> dict:
    """The record of model ``name`` built with ``options`` (cached by content, then per process)."""
    return _record(name, _options_key(options))


@lru_cache(maxsize=None)
def _record(name: str, options: tuple) -> dict:
    catalog.model(name)  # an unknown name fails here, with the catalog's message
    parts = parts_for(name, dict(options))
    # Through JSON either way, so a fresh record and one read from the cache are the same value.
    return cached("record", [name, options, parts], [name],
                  lambda: json.loads(json.dumps(compute(name, dict(options), parts))))


def compute(name: str, options: dict, parts: tuple[str, ...]) -> dict:
    """Build ``name`` once per framework and compute ``parts`` from the two models."""
    from .. import build
    from ..inspect import summarize
    from ..parity import compare_views

    models = {}
    for framework in FRAMEWORKS:
        frameworks.seed(("record", name, framework, _options_key(options)), load=True)
        models[framework] = build(name, framework, **options)
    views = {fw: summarize(models[fw]) for fw in FRAMEWORKS}
    result: dict = {"views": {fw: views[fw].to_dict() for fw in FRAMEWORKS},
                    "mismatches": len(compare_views(views["keras"], views["torch"]))}
    if "summaries" in parts:
        result["summaries"] = {"keras": _keras_summary(models["keras"]),
                               "torch": _torch_summary(models["torch"])}
    if "graphs" in parts:
        result["graphs"] = _graphs(models, views["torch"].input_shape)
    if "parity" in parts and not result["mismatches"]:
        result["parity"] = _parity(name, options, models, views)
    if "oracles" in parts:
        result["oracles"] = [_oracle(oracle, models[oracle.framework], views[oracle.framework])
                             for oracle in catalog.oracles_for(name, options)]
    del models, views
    gc.collect()  # VGG in two frameworks is over a GB: free it before the next configuration
    return result


def _parity(name: str, options: dict, models: dict, views: dict) -> dict:
    from ..parity import logits, random_images, run, transfer_weights

    transfer_weights(models["keras"], models["torch"], (views["keras"], views["torch"]))
    images = random_images(views["keras"].input_shape, batch=PARITY_BATCH,
                           seed=frameworks.seed(("images", name, _options_key(options))))
    with logits(models["keras"]), logits(models["torch"]):
        k, t = run(models["keras"], images), run(models["torch"], images)
    pairs = list(zip(k, t)) if isinstance(k, list) else [(k, t)]
    return {"max_abs": max(float(abs(a - b).max()) for a, b in pairs),
            "max_output": max(float(abs(a).max()) for a, _ in pairs)}


def _oracle(oracle: "catalog.Oracle", ours, our_view) -> dict:
    from ..inspect import summarize
    from ..oracles import library_model, load_library_weights, pair_weighted
    from ..parity import logits, random_images, run

    frameworks.seed(("oracle", oracle.library, oracle.framework))
    library = library_model(oracle.library, **oracle.library_options)
    library_view = summarize(library, our_view.input_shape) if oracle.framework == "torch" else summarize(library)
    pairs = pair_weighted(our_view, library_view)
    load_library_weights(library, ours, (our_view, library_view))
    images = random_images(our_view.input_shape, batch=PARITY_BATCH, seed=frameworks.seed(("images", oracle.library)))
    with logits(ours):
        mine, theirs = run(ours, images), run(library, images)
    if isinstance(mine, list):  # a model with auxiliary heads: the library's main output
        mine = mine[0]
    if isinstance(theirs, (list, tuple)):
        theirs = theirs[0]
    return {"framework": oracle.framework, "library": oracle.library,
            "library_view": library_view.to_dict(), "paired_layers": len(pairs),
            "max_abs": float(abs(mine - theirs).max()), "max_output": float(abs(theirs).max())}


def _keras_summary(model) -> str:
    lines: list[str] = []
    model.summary(print_fn=lambda text, line_break=True: lines.append(text), line_length=88)
    return "\n".join(lines).rstrip()


def _torch_summary(model) -> str:
    height, width, channels = model.input_shape
    stats = frameworks.torchinfo().summary(
        model, input_size=(1, channels, height, width), verbose=0, depth=4, device="cpu",
        col_names=("output_size", "num_params", "mult_adds"), row_settings=("var_names",))
    return str(stats).rstrip()


def _graphs(models: dict, input_shape) -> dict:
    from ..inspect import graphs
    from ..render import graphviz

    torch_dot, depth = graphs.torch_dot(models["torch"], input_shape)
    return {"keras": graphviz.layout(graphs.keras_dot(models["keras"])),
            "torch": graphviz.layout(torch_dot), "depth": depth}
