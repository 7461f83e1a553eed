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
import threading
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
    if options == dict(entry.site_options):  # the configuration its page's parity table shows
        parts.append("onnx")
    return tuple(parts)


def record(name: str, **options) -> dict:
    """The record of model ``name`` built with ``options`` (cached by content, then per process)."""
    return _record(name, _options_key(options))


def record_entry(name: str, options: dict) -> tuple[str, list, list[str]]:
    """The cache entry of a record: its kind, its arguments and the models it depends on."""
    return "record", [name, _options_key(options), parts_for(name, options)], [name]


@lru_cache(maxsize=None)
def _record(name: str, options: tuple) -> dict:
    catalog.model(name)  # an unknown name fails here, with the catalog's message
    # Through JSON either way, so a fresh record and one read from the cache are the same value.
    return cached(*record_entry(name, dict(options)), lambda: _computed(name, dict(options)))


def _computed(name: str, options: dict) -> dict:
    return json.loads(json.dumps(compute(name, options, parts_for(name, options))))


def prefetch(name: str, options: dict) -> bool:
    """Compute and store the record unless it is stored or another process is computing it
    (:mod:`.prefetch`, the build's helper process); True if this call computed it."""
    from .. import cache

    if cache.stored(*record_entry(name, options)):
        return False
    before = cache.computed_here()
    cached(*record_entry(name, options), lambda: _computed(name, options), wait=False)
    return cache.computed_here() > before


@lru_cache(maxsize=None)
def _frameworks_settled() -> None:
    """Import both frameworks, then freeze what exists (``gc.freeze``): the millions of objects
    TensorFlow and PyTorch create on import live as long as the process, and every full
    collection would walk them all again (half a second each, once per configuration below).
    Called before the first model is built, so no model is frozen with them."""
    keras, torch = frameworks.keras(), frameworks.torch()
    # PyTorch imports the machinery of the meta run (torch.fx, functional_call, the meta kernels
    # and their decompositions) on first use, some 125,000 objects that then live as long as the
    # process: read and run one small model in each framework first, so they are frozen too.
    # (Named layers: Keras's automatic names count what was built before.)
    import numpy as np

    from ..inspect import summarize
    from ..parity import run

    images = np.zeros((1, 8, 8, 3), np.float32)
    tiny = torch.nn.Sequential(torch.nn.Conv2d(3, 4, 3), torch.nn.BatchNorm2d(4), torch.nn.ReLU()).eval()
    summarize(tiny, (8, 8, 3))
    run(tiny, images)
    tiny = keras.Sequential([keras.Input((8, 8, 3), name="settle_input"),
                             keras.layers.Conv2D(4, 3, name="settle_conv"), keras.layers.ReLU(name="settle_relu")],
                            name="settle")
    summarize(tiny)
    run(tiny, images)
    del tiny
    gc.collect()
    gc.freeze()


def compute(name: str, options: dict, parts: tuple[str, ...]) -> dict:
    """Build ``name`` once per framework and compute ``parts`` from the two models.

    The order keeps few large models alive at once (ours and one library model per framework)
    and runs each as few times as the checks allow (VGG is over half a gigabyte per model):

    1. Keras: our model, its view and summary; for each Keras oracle, the library model is
       built, its weights are loaded into ours, both run on the configuration's images, and the
       library model is freed. Ours keeps the last library's weights.
    2. PyTorch: our model, built on the meta device, its view and summary (shapes only); then
       memory for its weights (:func:`_give_weights`), the Keras weights copied in, and a run on the
       same images, which is the parity check against the Keras output of step 1. The Keras
       model is freed.
    3. For each PyTorch oracle, the library's weights are loaded into ours and both run. The
       library models are built and run in a second thread during step 1 (:class:`_Libraries`).
    """
    _frameworks_settled()
    # The collector runs at the points below, where a model has just become garbage, not
    # whenever allocations pile up: building one Keras model allocates enough objects to set
    # off dozens of automatic collections, each walking every object made since the imports.
    # With it off, everything this record allocates stays in the youngest generation, so those
    # points collect that generation alone (gc.collect(0)): the record's garbage, not the
    # whole process's objects again.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _compute(name, options, parts)
    finally:
        if enabled:
            gc.enable()


def _compute(name: str, options: dict, parts: tuple[str, ...]) -> dict:
    from ..builder import build_viewed
    from ..parity import compare_views, random_images

    oracles = catalog.oracles_for(name, options) if "oracles" in parts else ()
    checks: dict[int, dict] = {}
    result: dict = {}

    frameworks.seed(("record", name, "keras", _options_key(options)), load=True)
    keras_model, keras_view = build_viewed(name, "keras", **options)
    images = random_images(keras_view.input_shape, batch=PARITY_BATCH,
                           seed=frameworks.seed(("images", name, _options_key(options))))
    libraries = _Libraries([oracle for oracle in oracles if oracle.framework == "torch"], images)
    if libraries.oracles:
        libraries.start()
    try:
        if "summaries" in parts:
            result["summaries"] = {"keras": _keras_summary(keras_model)}
        if "graphs" in parts:
            result["graphs"] = {"keras": _keras_graph(keras_model)}
        inputs = images
        keras_output = None
        for index, oracle in enumerate(oracles):
            if oracle.framework == "keras":
                checks[index], inputs, keras_output = _oracle(oracle, keras_model, keras_view, images)
        if keras_output is None and "parity" in parts:
            keras_output = _run(keras_model, inputs)
        if any(oracle.framework == "keras" for oracle in oracles):
            gc.collect(0)  # a Keras library model holds reference cycles: free it before the next model
    finally:
        if libraries.oracles:
            libraries.join()  # before anything else seeds PyTorch, even if the Keras half failed

    built = libraries.results() if libraries.oracles else []
    frameworks.seed(("record", name, "torch", _options_key(options)), load=True)
    with frameworks.torch().device("meta"):
        torch_model, torch_view = build_viewed(name, "torch", **options)
    result["views"] = {"keras": keras_view.to_dict(), "torch": torch_view.to_dict()}
    result["mismatches"] = len(compare_views(keras_view, torch_view))
    # Read on the meta device (shapes and counts, no arithmetic), before the model has weights.
    if "summaries" in parts:
        result["summaries"]["torch"] = _torch_summary(torch_model)
    if "graphs" in parts:
        result["graphs"].update(_torch_graph(torch_model, torch_view.input_shape))
    parity = "parity" in parts and not result["mismatches"]
    _give_weights(torch_model, zeroed=not parity)
    if parity:
        result["parity"], torch_output = _parity(keras_model, torch_model, (keras_view, torch_view), inputs,
                                                 keras_output)
        if "onnx" in parts:  # both models hold the same weights now, before any oracle's
            result["onnx"] = _onnx({"keras": keras_model, "torch": torch_model}, inputs,
                                   {"keras": keras_output, "torch": torch_output})
        del torch_output
    del keras_model, keras_output
    gc.collect(0)  # Keras models hold reference cycles: free this one before the next library

    for index, oracle in enumerate(oracles):
        if oracle.framework == "torch":
            checks[index] = _oracle(oracle, torch_model, torch_view, images, built.pop(0))[0]
    if oracles:
        result["oracles"] = [checks[index] for index in range(len(oracles))]
    # No collection for the PyTorch model: the site's PyTorch models, ours and the libraries',
    # are freed by their last reference (the cold build's peak memory is the same without
    # one), and each collection walks every object made since the imports. Nor gc.freeze()
    # as after the imports: a page may hold a model of its own while it asks for a record, and
    # a model frozen then is never collected once it is garbage (cold peak memory doubled).
    del torch_model
    # The keys in a fixed order, whatever the order of the steps above.
    return {key: result[key] for key in ("views", "mismatches", "summaries", "graphs", "parity", "onnx", "oracles")
            if key in result}


def _give_weights(model, zeroed: bool) -> None:
    """Give a PyTorch model built on the meta device memory for its weights on the CPU.

    Every weight it will run with comes from elsewhere: the Keras model's (parity, which checks
    that it fills every one) or a library's (the oracles). Drawing them first cost more than
    copying them in (PyTorch's uniform initialisation of VGG-16's 138M weights alone takes
    seconds). Without parity to fill them the weights are zeroed, not left as whatever the
    memory held: nothing a record holds may depend on what the process did before.
    """
    model.to_empty(device="cpu")
    with frameworks.torch().no_grad():
        for tensor in (*model.parameters(), *model.buffers()):
            # Counters (BatchNorm's num_batches_tracked) are no weight: parity leaves them.
            if zeroed or not tensor.is_floating_point():
                tensor.zero_()


def _run(model, images):
    from ..parity import logits, run

    with logits(model):
        return run(model, images)


def _outputs(output) -> list:
    """A model's outputs as a list (several for a model with auxiliary heads, main first)."""
    return list(output) if isinstance(output, (list, tuple)) else [output]


def _parity(keras_model, torch_model, views, inputs, keras_output) -> dict:
    """The Keras weights copied into the PyTorch model, which then runs on the inputs Keras ran
    on: every output must agree."""
    from ..parity import transfer_weights

    transfer_weights(keras_model, torch_model, views)
    torch_output = _run(torch_model, inputs)
    pairs = list(zip(_outputs(keras_output), _outputs(torch_output), strict=True))
    return {"max_abs": max(float(abs(k - t).max()) for k, t in pairs),
            "max_output": max(float(abs(k).max()) for k, _ in pairs)}, torch_output


KERAS_ONNX_LIMIT = 1_000_000
"""The most weights a network may have for the build to write its Keras model as ONNX too.
tf2onnx, which Keras's export calls, needed 60 to 126 times the weights' size in memory and up
to 50 s per network here (ResNet-50: 24 s and 8.3 GB; VGG-16 would need some 50 GB), so the
build converts the small networks (LeNet-5 and the Inception modules) and ``cnnguide export
--framework keras`` any other that fits in memory. PyTorch's exporter writes every network in
seconds, and its file is run against both frameworks' outputs."""

DOWNLOAD_LIMIT = 30 * 10**6
"""The largest ONNX file a page offers for download, in bytes (30 MB): LeNet-5, GoogLeNet and
the mobile networks are under it; a larger file a reader writes with ``cnnguide export``."""


def _onnx(models: dict, inputs, outputs: dict) -> dict:
    """Each framework's model written to ONNX by its own exporter (:mod:`cnnguide.export`) and
    run by ONNX Runtime on the images both frameworks ran on: the file's outputs against each
    framework's, and what the file holds, counted. A third runtime, written by neither.

    PyTorch's file has a batch of any size and is kept for download when small enough (its
    bytes are the same from export to export); Keras's is written for the parity batch, the one
    form of it that is byte-identical from export to export, so its counts are too, and only for
    networks of at most :data:`KERAS_ONNX_LIMIT` weights. An exporter that cannot write the
    model is recorded with its message.
    """
    import tempfile
    from pathlib import Path

    from .. import cache, export
    from ..errors import ExportError

    found = {}
    for framework, model in models.items():
        if framework == "keras" and model.count_params() > KERAS_ONNX_LIMIT:
            found[framework] = {"skipped": model.count_params()}
            continue
        # Read from the file, one reader at a time: a large network's weights are never held
        # twice beside its two models.
        with tempfile.TemporaryDirectory(prefix="cnnguide-onnx-") as scratch:
            try:
                path = export.to_onnx(model, Path(scratch) / "model.onnx",
                                      batch=None if framework == "torch" else PARITY_BATCH)
            except ExportError as exc:
                found[framework] = {"error": str(exc)}
                continue
            structure = export.structure(path)
            ran = _outputs(export.run_onnx(path, inputs))
            found[framework] = {
                "max_abs": {other: max(float(abs(r - o).max()) for r, o in zip(ran, _outputs(out), strict=True))
                            for other, out in outputs.items()},
                "structure": structure,
                "bytes": path.stat().st_size,
            }
            if framework == "torch" and found[framework]["bytes"] <= DOWNLOAD_LIMIT:
                found[framework]["file"] = cache.store_blob(path.read_bytes(), ".onnx")
    return found


def _library(oracle: "catalog.Oracle"):
    """The oracle's library model, seeded from its own key (its framework's generator alone)."""
    from ..oracles import library_model

    frameworks.seed(("oracle", oracle.library, oracle.framework), only=oracle.framework)
    return library_model(oracle.library, **oracle.library_options)


class _Libraries(threading.Thread):
    """The PyTorch library models of a record's oracles, built and run on the record's images in
    a second thread while the Keras half of the record is computed.

    Building a library model is mostly PyTorch drawing its initial weights, on one core (its
    default generator is sequential); building a Keras model is mostly Python, on one core too.
    Side by side they use both: VGG-16 in Keras and torchvision's vgg16 take 1.55 s one after
    the other, 1.04 s together. Until it is joined the thread owns PyTorch's generator, so the
    Keras half seeds the Keras side alone (``frameworks.seed(..., only="keras")``).
    """

    def __init__(self, oracles, images):
        super().__init__(name="cnnguide-libraries", daemon=True)
        self.oracles, self.images, self.built, self.error = oracles, images, [], None

    def run(self) -> None:
        try:
            for oracle in self.oracles:
                library = _library(oracle)
                self.built.append((library, _run(library, self.images)))
        except BaseException as exc:  # noqa: BLE001 - raised in the caller's thread by results()
            self.error = exc

    def results(self) -> list:
        """(library model, its output) per oracle, in order, once the thread has finished."""
        self.join()
        if self.error is not None:
            raise self.error
        built, self.built = self.built, []
        return built


def _oracle(oracle: "catalog.Oracle", ours, our_view, images, built=None) -> tuple[dict, object, object]:
    """The library model against ours: its weights loaded into ours, both run. Returns the
    check, the input ours ran on and ours' output (for the parity check that follows).
    ``built``: the library model and its output, when :class:`_Libraries` made them."""
    from ..inspect import summarize
    from ..oracles import load_library_weights, pair_weighted, preprocess, split_preprocessing

    library, theirs = built if built is not None else (_library(oracle), None)
    library_view = summarize(library, our_view.input_shape) if oracle.framework == "torch" else summarize(library)
    # A library model that prepares its own input (keras.applications' EfficientNet): those rows
    # are set aside, kept in the record, and ours runs on what they make of the images.
    preprocessing, library_view = split_preprocessing(library_view)
    pairs = pair_weighted(our_view, library_view)
    load_library_weights(library, ours, (our_view, library_view))
    inputs = preprocess(library, preprocessing, images)
    mine = _run(ours, inputs)
    if theirs is None:
        theirs = _run(library, images)
    check = {"framework": oracle.framework, "library": oracle.library,
             "library_view": library_view.to_dict(), "paired_layers": len(pairs),
             "preprocessing": [{"name": r.name, "kind": r.kind, "params": r.params} for r in preprocessing],
             # The main outputs: a library may leave out auxiliary heads that ours has.
             "max_abs": float(abs(_outputs(mine)[0] - _outputs(theirs)[0]).max()),
             "max_output": float(abs(_outputs(theirs)[0]).max())}
    return check, inputs, mine


def _keras_summary(model) -> str:
    lines: list[str] = []
    model.summary(print_fn=lambda text, line_break=True: lines.append(text), line_length=88)
    return "\n".join(lines).rstrip()


def _torch_summary(model) -> str:
    height, width, channels = model.input_shape
    torchinfo = frameworks.torchinfo()
    stats = torchinfo.summary(
        model, input_size=(1, channels, height, width), verbose=0, depth=4, device="meta",
        col_names=("output_size", "num_params", "mult_adds"), row_settings=("var_names",))
    # torchinfo keeps every summary's layers, and through them the model, in a module-level
    # dict keyed by class name (for its cache_forward_pass option, off here): without this a
    # VGG-16 stays alive for the rest of the build.
    torchinfo.torchinfo._cached_forward_pass.pop(type(model).__name__, None)
    return str(stats).rstrip()


def _keras_graph(model) -> str:
    from ..inspect import graphs
    from ..render import graphviz

    return graphviz.layout(graphs.keras_dot(model))


def _torch_graph(model, input_shape) -> dict:
    from ..inspect import graphs
    from ..render import graphviz

    torch_dot, depth = graphs.torch_dot(model, input_shape)
    return {"torch": graphviz.layout(torch_dot), "depth": depth}
