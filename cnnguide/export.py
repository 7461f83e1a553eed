"""ONNX export, and ONNX Runtime as a third, independent oracle.

:mod:`cnnguide.parity` proves that our Keras and PyTorch models compute one function, but both
sides are our code run by the frameworks we wrote them for. An ONNX file is the model written
down by the framework's own exporter, and ONNX Runtime computes it with kernels of its own: when
the Keras model, the PyTorch model and the file agree, neither framework can be hiding a
difference from the other.

* :func:`to_onnx` writes a built model (either framework) to an ONNX file;
* :func:`run_onnx` runs a file on N x H x W x C images, as :func:`cnnguide.parity.run` runs a
  model, and returns what it returns;
* :func:`structure` counts a file's operators and weights, so a file can be checked against
  our own parameter count without running it.

Choices, and why:

* **Same input layout as the framework's model.** A file from Keras takes N x H x W x C, one
  from PyTorch N x C x H x W: each file is what its exporter makes of the model, with nothing
  added (a transpose node would be ours, not the exporter's). :func:`run_onnx` transposes, as
  :func:`cnnguide.parity.run` does; the file records its layout in its metadata
  (``cnnguide.layout``).
* **A dynamic batch axis**, named ``batch``, unless ``batch=`` fixes it: a file is a model, not
  one test case, and a fixed batch would bake the site's batch of 2 into it. The Keras route
  writes byte-identical files only with a fixed batch (see the last point); :func:`run_onnx`
  runs a fixed-batch file on any multiple of its batch.
* **Logits**, not probabilities: the export runs within :func:`cnnguide.parity.logits`, so the
  classifier's softmax is the identity, as in every comparison the site makes. Outputs are named
  ``logits`` and, for a model with auxiliary classifiers (GoogLeNet with ``aux_logits=True``,
  whose builders return them in inference mode too), ``aux1``, ``aux2`` after it.
* **PyTorch: the TorchScript exporter** (``torch.onnx.export(..., dynamo=False)``). The newer
  exporter (``dynamo=True``, PyTorch's default) needs two more packages (onnxscript, onnx-ir),
  takes seconds longer per model, adds shape constants as initializers and writes the build
  tag into the file (``pytorch 2.14.1+cu130``); the TorchScript one writes exactly the
  parameters and buffers as initializers and ``pytorch 2.14.1``. PyTorch deprecates it, and
  the pinned 2.14.1 still has it: an upgrade that drops it fails :func:`to_onnx` with a clear
  :class:`~cnnguide.errors.ExportError`.
* **PyTorch: no constant folding.** Folding in inference mode merges each BatchNorm into the
  convolution before it (when there is one), so the file's weights would no longer be the
  model's and could not be counted against its parameters. Unfolded, the file holds every
  parameter and BatchNorm statistic as it is; folding is a runtime's business (ONNX Runtime
  does it at its default optimisation level; :func:`run_onnx` asks it not to).
* **Keras: ``model.export(format="onnx")``**, Keras's own route, which calls tf2onnx on the
  model's traced inference function. Calling tf2onnx ourselves
  (``tf2onnx.convert.from_keras``) fails on Keras 3 models (``KeyError: 'keras_tensor_8'``).
  TensorFlow freezes the weights into the graph before tf2onnx sees it and optimises by value:
  a BatchNorm is folded into the convolution before it and an all-zero bias is dropped, so a
  Keras file's weights do not add up to the model's parameters (:func:`structure` says which
  counts hold for which exporter). It fails on grouped convolutions (AlexNet, ResNeXt, CSPNet:
  refused up front) and needs some 100 times the weights' memory at its peak (VGG does not fit
  in 24 GB: refused up front too, :func:`_check_memory`); PyTorch's exporter converts every
  model of the catalog in seconds.
* **Byte-identical files.** Exporting one model with the same weights twice gives the same
  bytes: the PyTorch exporter already does. tf2onnx does not: the names it makes end in a
  process-wide counter, drawn in an order that varies from run to run, of two equal constants
  it keeps either, and a weight TensorFlow folded is named after either of its nodes; those
  names are made canonical (:func:`_canonical_names`). It also writes the traced function's
  process-wide name into the graph's doc string, which is cleared (every doc string is, in
  both routes: they hold nothing the file needs). What no
  renaming can fix: with a dynamic batch, TensorFlow's graph optimiser now and then leaves the
  batch size a ``Flatten`` reshapes to as a computation (``Shape``, ``Gather``, ``Concat``...)
  instead of folding it (LeNet-5: 19 nodes instead of 13 in 4 of some 56 conversions,
  measured), the same function in another graph. With a fixed batch every shape is a constant
  (none of 12 conversions differed). So a Keras file is byte-identical from export to export
  with ``batch=N``; with the dynamic batch, its outputs always are, its bytes nearly always.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import re
import sys
import tempfile
import warnings
from collections import Counter
from pathlib import Path

import numpy as np

from . import frameworks
from .errors import ExportError, InputShapeError
from .inspect import framework_of

FORMATS = ("onnx",)
OPSET = 18
"""ONNX opset of both routes: the newest that both converters know (tf2onnx 1.17.0's table of
opsets ends at 18; PyTorch's TorchScript exporter goes to 20), and ONNX Runtime 1.31 runs it."""

INPUT = "images"
BATCH = "batch"
LAYOUTS = {"keras": "NHWC", "torch": "NCHW"}
THREADS = 1
"""ONNX Runtime's threads per session. Fixed, so a result depends on nothing about the machine;
one, because the site build runs two workers on two cores (and one thread measured as fast as
two on VGG-16 and ResNet-50 here)."""


def check_format(format: object) -> str:
    """``format`` if cnnguide writes it, else an ExportError naming the formats it writes."""
    if format not in FORMATS:
        raise ExportError(f"Unknown export format {format!r}: cnnguide writes {', '.join(FORMATS)}.")
    return format


def export(model, path, *, format: str = "onnx", **options) -> Path:
    """Write ``model`` to ``path`` in ``format`` (only ``"onnx"`` for now); see :func:`to_onnx`."""
    check_format(format)
    return to_onnx(model, path, **options)


def to_onnx(model, path, *, opset: int = OPSET, batch: int | None = None) -> Path:
    """Write an already built Keras or PyTorch model to ``path`` as ONNX; return the path.

    The model is exported in inference mode, with its logits as output, for batches of any size
    (``batch=None``) or of ``batch`` images (see the module's docstring for why each choice).
    The file is written whole or not at all: it is made next to ``path`` and renamed onto it, so
    a failed export leaves no file (and no old file half-overwritten). An unwritable ``path``
    fails before the export, which can take seconds. The weights are inside the file (one
    protobuf, whose limit is 2 GB: the catalog's largest, ``resnet50_post``, is 1.75 GB).
    """
    fw = framework_of(model)
    if batch is not None and (isinstance(batch, bool) or not isinstance(batch, int) or batch < 1):
        raise ExportError(f"batch={batch!r}: give a number of images (1 or more), or None for any batch.")
    # A missing package fails before anything is written or converted.
    frameworks.onnx()
    if fw == "keras":
        frameworks.tf2onnx()
    target = Path(path)
    if target.is_dir():
        raise ExportError(f"cannot write {target}: it is a directory; give a file name such as "
                          f"{target / (_name(model) + '.onnx')}.")
    try:
        handle, scratch = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise ExportError(f"cannot write {target}: {exc.strerror or exc}.") from None
    try:
        with os.fdopen(handle, "wb") as out:
            proto = (_keras_proto if fw == "keras" else _torch_proto)(model, opset, batch)
            _tidy(proto, fw, batch)
            out.write(proto.SerializeToString(deterministic=True))
        # mkstemp makes the file private (0600); the export gets a new file's usual mode.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(scratch, 0o666 & ~umask)
        os.replace(scratch, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(scratch)
        raise
    return target


def output_names(count: int) -> list[str]:
    """The names of a file's outputs: the main logits first, then the auxiliary classifiers'."""
    return ["logits", *(f"aux{i}" for i in range(1, count))]


def _name(model) -> str:
    name = getattr(model, "name", None)
    return name if isinstance(name, str) and name else type(model).__name__


def _failed(model, fw: str, exc: Exception, advice: str) -> ExportError:
    """A converter's exception as one line: the model, the converter's first line, what to do."""
    first = next((line.strip() for line in str(exc).splitlines() if line.strip()), "")
    return ExportError(f"{fw} could not export {_name(model)} to ONNX ({type(exc).__name__}: {first}). {advice}")


@contextlib.contextmanager
def _silent_stdout():
    """Standard output closed, at the file-descriptor level, for the block.

    PyTorch 2.14's TorchScript exporter always has its C++ log on (``setup_onnx_logging`` tests
    the function ``_jit_is_onnx_log_enabled`` instead of calling it) and, when it fails, prints
    the whole traced graph to standard output, past Python's ``sys.stdout``: a hundred lines
    before the one-line error that says the same thing.
    """
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "wb") as null:
            os.dup2(null.fileno(), 1)
        yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)


def _torch_proto(model, opset: int, batch: int | None):
    torch = frameworks.torch()
    onnx = frameworks.onnx()
    from .parity import logits

    height, width, channels = getattr(model, "input_shape", (None, None, None))
    if height is None:
        raise ExportError(f"{_name(model)} has no input_shape: build it with cnnguide.build, whose "
                          "PyTorch models record the H x W x C they take.")
    example = torch.zeros(batch or 1, channels, height, width)
    was_training = model.training
    model.eval()
    try:
        with logits(model), torch.no_grad():
            outputs = model(example)
            count = len(outputs) if isinstance(outputs, (list, tuple)) else 1
            names = output_names(count)
            buffer = io.BytesIO()
            with warnings.catch_warnings():
                # The TorchScript exporter is deprecated, not broken: the module's docstring says
                # why it is the one used. Its tracer warnings are about Python values it records
                # as constants (shapes), which a fixed-architecture model means to have.
                warnings.simplefilter("ignore", DeprecationWarning)
                warnings.simplefilter("ignore", torch.jit.TracerWarning)
                # and what it warns before it fails (an opset it does not have) is in the error
                warnings.filterwarnings("ignore", module=r"torch\.onnx")
                try:
                    with _silent_stdout():
                        torch.onnx.export(
                            model, (example,), buffer, dynamo=False, opset_version=opset,
                            input_names=[INPUT], output_names=names,
                            dynamic_axes={name: {0: BATCH} for name in (INPUT, *names)} if batch is None else None,
                            training=torch.onnx.TrainingMode.EVAL, do_constant_folding=False)
                except Exception as exc:  # noqa: BLE001 - any converter failure becomes one line
                    raise _failed(model, "torch.onnx", exc,
                                  f"Check that the model runs (cnnguide.parity.run) and that its operators "
                                  f"exist in ONNX opset {opset}; the Keras model may export instead "
                                  "(--framework keras).") from exc
    finally:
        model.train(was_training)
    # One copy of the weights at a time beside the model's own (VGG-16's are 553 MB): the
    # exporter's buffer is dropped before the bytes are parsed.
    data = buffer.getvalue()
    buffer.close()
    return onnx.load_from_string(data)


def _keras_proto(model, opset: int, batch: int | None):
    onnx = frameworks.onnx()
    frameworks.tf2onnx()  # model.export imports it itself; a missing one is said first
    tf = frameworks.tensorflow()
    from .parity import _keras_layers, logits

    grouped = [layer.name for layer in _keras_layers(model) if getattr(layer, "groups", 1) > 1]
    if grouped:
        # Keras runs a grouped convolution through an XLA-compiled function (TensorFlow's CPU
        # kernels cannot), which tf2onnx 1.17.0 leaves in the graph as an op ONNX does not have
        # (StatefulPartitionedCall): the file would not load. Said before converting, because
        # the conversion takes up to a minute and :data:`KERAS_PEAK` times the weights' memory.
        raise ExportError(
            f"tf2onnx cannot export {_name(model)}'s grouped convolution(s) "
            f"({', '.join(grouped[:3])}{' ...' if len(grouped) > 3 else ''}): Keras runs them through "
            "an XLA-compiled function that reaches ONNX as an unsupported StatefulPartitionedCall. "
            "Export the PyTorch model instead (--framework torch).")
    _check_memory(model)
    spec = tf.TensorSpec((batch, *model.input_shape[1:]), tf.float32, name=INPUT)
    converter_log = logging.getLogger("tf2onnx")
    level = converter_log.level
    with tempfile.TemporaryDirectory(prefix="cnnguide-onnx-") as scratch:
        path = Path(scratch) / "model.onnx"
        try:
            # tf2onnx logs each op it cannot convert, then writes it anyway; _check_ops says so
            # in one line instead.
            converter_log.setLevel(logging.CRITICAL)
            with logits(model), warnings.catch_warnings():
                warnings.simplefilter("ignore", FutureWarning)  # Keras's numpy-2 patch of tf2onnx
                model.export(str(path), format="onnx", verbose=False, input_signature=[spec],
                             opset_version=opset)
        except Exception as exc:  # noqa: BLE001 - any converter failure becomes one line
            raise _failed(model, "tf2onnx", exc, "Export the PyTorch model instead (--framework torch).") from exc
        finally:
            converter_log.setLevel(level)
        proto = onnx.load(str(path))
    _check_ops(proto, model)
    _canonical_names(proto.graph)
    return proto


KERAS_PEAK = 100
"""How many times its weights' bytes converting a Keras model takes at its peak, rounded: measured
61x (ResNet-34) to 126x (SE-ResNet-50) over the catalog (AlexNet: 16.5 GB for 250 MB of
weights). TensorFlow freezes the weights into the graph, Grappler optimises copies of it, and
tf2onnx copies every constant again into NumPy and into the ONNX protobuf."""


def _check_memory(model) -> None:
    """Refuse a Keras conversion that would not fit in this machine's free memory: the kernel
    would kill the process (or the build it runs in) without a word, long after it started."""
    try:
        with open("/proc/meminfo", encoding="ascii") as info:
            fields = dict(line.split(":", 1) for line in info)
        available = int(fields["MemAvailable"].split()[0]) * 1024
    except (OSError, KeyError, ValueError):
        return  # not Linux: nothing to measure against
    needed = KERAS_PEAK * 4 * sum(int(np.prod(weight.shape)) for weight in model.weights)  # float32
    if needed > available:
        raise ExportError(
            f"Converting {_name(model)} with tf2onnx would need about {needed / 2**30:.0f} GB of memory "
            f"({KERAS_PEAK} times its weights), and {available / 2**30:.0f} GB is free. Export the "
            "PyTorch model instead (--framework torch), whose exporter needs little more than the weights.")


_GENERATED = re.compile(r"__(\d+)")


def _canonical_names(graph) -> None:
    """Name what tf2onnx made (``Conv__91``, ``pad_const__26``, ``unk__224``) the same way
    whenever the same model is converted.

    Its names end in a process-wide counter, and the conversion is not deterministic: from run
    to run it draws the numbers in another order, keeps another of two equal constants
    (``const_axes__235`` or ``const_starts__129``, both [0]), and names a weight TensorFlow
    folded after another of the nodes it came from (``block_10_depthwise_BN_1/batchnorm/mul:0``
    or the convolution's). The graph is the same. So each number becomes its rank of first
    appearance in the graph's order, each stored tensor is named after the first node that
    reads it (``<node>/in1``: node names are stable once numbered), and the tensors are stored
    sorted by name. Every renaming is one-to-one, so no two names merge.
    """
    readers: dict[str, str] = {}
    stored = {tensor.name for tensor in graph.initializer}
    for node in graph.node:
        for index, name in enumerate(node.input):
            if name in stored:
                readers.setdefault(name, f"{node.name}/in{index}")
    ranks: dict[str, str] = {}

    def rename(name: str) -> str:
        name = readers.get(name, name)
        return _GENERATED.sub(lambda m: "__" + ranks.setdefault(m.group(1), str(len(ranks) + 1)), name)

    for node in graph.node:
        node.name = rename(node.name)
        node.input[:] = [rename(name) for name in node.input]
        node.output[:] = [rename(name) for name in node.output]
    values = [*graph.input, *graph.output, *graph.value_info]
    for item in (*graph.initializer, *values):
        item.name = rename(item.name)
    for value in values:
        for dim in value.type.tensor_type.shape.dim:
            if dim.dim_param:
                dim.dim_param = rename(dim.dim_param)
    for field in (graph.initializer, graph.value_info):
        ordered = sorted(field, key=lambda item: item.name)
        kept = [type(item)() for item in ordered]
        for copy, item in zip(kept, ordered):
            copy.CopyFrom(item)
        del field[:]
        field.extend(kept)


def _check_ops(proto, model) -> None:
    """Refuse a graph with operators that ONNX does not define (a converter's leftovers)."""
    onnx = frameworks.onnx()
    versions = {entry.domain: entry.version for entry in proto.opset_import}
    unknown = Counter(node.op_type for node in proto.graph.node
                      if not onnx.defs.has(node.op_type, versions.get(node.domain, 1), node.domain))
    if unknown:
        found = ", ".join(f"{op} x{n}" for op, n in sorted(unknown.items()))
        raise ExportError(f"tf2onnx left operators that ONNX does not have in {_name(model)}'s graph "
                          f"({found}): the file would not load. Export the PyTorch model instead "
                          "(--framework torch).")


def _tidy(proto, fw: str, batch: int | None) -> None:
    """Give both routes' files the same interface and only deterministic contents: the input
    and outputs named as :data:`INPUT` and :func:`output_names` say, a dynamic batch axis named
    :data:`BATCH`, no doc strings, and the framework and layout in the metadata."""
    graph = proto.graph
    renames = dict(zip([value.name for value in graph.output], output_names(len(graph.output))))
    for node in graph.node:
        node.output[:] = [renames.get(name, name) for name in node.output]
        node.input[:] = [renames.get(name, name) for name in node.input]
        node.doc_string = ""
    for value in graph.output:
        value.name = renames[value.name]
    for value in (*graph.input, *graph.output):
        first = value.type.tensor_type.shape.dim[0]
        first.Clear()
        if batch is None:
            first.dim_param = BATCH
        else:
            first.dim_value = batch
    proto.doc_string = graph.doc_string = ""
    del proto.metadata_props[:]
    for key, value in (("cnnguide.framework", fw), ("cnnguide.layout", LAYOUTS[fw])):
        entry = proto.metadata_props.add()
        entry.key, entry.value = key, value


def _load(source):
    """``source`` (a path, or the file's bytes) as an ONNX model."""
    onnx = frameworks.onnx()
    if isinstance(source, (bytes, bytearray)):
        return onnx.load_from_string(bytes(source))
    try:
        return onnx.load(str(source))
    except OSError as exc:
        raise ExportError(f"cannot read {source}: {exc.strerror or exc}.") from None


def _session(source):
    ort = frameworks.onnxruntime()
    options = ort.SessionOptions()
    options.intra_op_num_threads = options.inter_op_num_threads = THREADS
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    # The graph as the file writes it, node by node: an oracle computes what the exporter wrote,
    # not what ONNX Runtime's optimiser makes of it (its fusions change the arithmetic, if not
    # the function). Measured: ResNet-50 0.22 s instead of 0.15 s for two images.
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    options.log_severity_level = 3  # errors only: they are raised as exceptions anyway
    if not isinstance(source, (bytes, bytearray)):
        source = str(source)
        if not os.path.isfile(source):
            raise ExportError(f"cannot read {source}: no such file.")
    return ort.InferenceSession(source, options, providers=["CPUExecutionProvider"])


def run_onnx(source, images: np.ndarray):
    """Run an ONNX file (a path, or its bytes) on a batch of N x H x W x C images with ONNX
    Runtime's CPU kernels; return its output array, or a list of arrays for a file with several
    outputs (in the model's order), exactly as :func:`cnnguide.parity.run` returns a model's.
    A file exported for a fixed batch runs on the images that many at a time.

    A file exported from PyTorch gets the images as N x C x H x W, and its feature-map outputs
    come back N x H x W x C, as from :func:`cnnguide.parity.run`.
    """
    session = _session(source)
    layout = session.get_modelmeta().custom_metadata_map.get("cnnguide.layout", "NHWC")
    images = np.asarray(images, dtype=np.float32)
    if images.ndim == 3:
        images = images[None]
    if images.ndim != 4:
        raise InputShapeError(f"Expected images as N x H x W x C (or one H x W x C image); got shape {images.shape}.")
    shape = session.get_inputs()[0].shape[1:]
    expected = tuple(shape[1:] + shape[:1]) if layout == "NCHW" else tuple(shape)
    if all(isinstance(size, int) for size in expected) and images.shape[1:] != expected:
        raise InputShapeError(f"The file takes H x W x C = {expected}; the images are {images.shape[1:]} "
                              f"(shape {images.shape}). Images must be N x H x W x C.")
    fixed = session.get_inputs()[0].shape[0]
    step = fixed if isinstance(fixed, int) else len(images)
    if len(images) % step:
        raise InputShapeError(f"The file takes batches of {step} image(s); got {len(images)}. Give a multiple "
                              "of it, or export with a dynamic batch (batch=None).")
    feed = images.transpose(0, 3, 1, 2) if layout == "NCHW" else images
    name = session.get_inputs()[0].name
    parts = [session.run(None, {name: np.ascontiguousarray(feed[i:i + step])}) for i in range(0, len(feed), step)]
    outputs = [np.concatenate(chunks) for chunks in zip(*parts)]
    if layout == "NCHW":
        outputs = [output.transpose(0, 2, 3, 1) if output.ndim == 4 else output for output in outputs]
    return outputs if len(outputs) > 1 else outputs[0]


def structure(source) -> dict:
    """What an ONNX file holds, counted: its interface, operators by type (sorted by name), and
    its weights.

    ``initializers`` and ``initializer_elements`` count the tensors stored in the file.
    ``weights`` counts the floating-point elements the graph computes with, each initializer
    once per name it is used under: PyTorch's exporter stores equal tensors once and gives the
    others as ``Identity`` nodes of it (a freshly built model's BatchNorms all start with the
    same ones and zeros), so the stored elements alone depend on the weights' values.

    The rule a file from :func:`to_onnx` satisfies: for a PyTorch model, ``weights`` equals the
    model's parameters and BatchNorm statistics, ``cnnguide.summarize(model).params`` (which is
    Keras's ``model.count_params()`` for the same network); BatchNorm's batch counter is not
    used in inference and is not in the file. A Keras file has no such rule: TensorFlow folds
    each BatchNorm into the convolution before it and drops all-zero biases before tf2onnx sees
    the graph.
    """
    onnx = frameworks.onnx()
    proto = _load(source)
    graph = proto.graph
    stored = {tensor.name: tensor for tensor in graph.initializer}
    floats = {onnx.TensorProto.FLOAT, onnx.TensorProto.DOUBLE, onnx.TensorProto.FLOAT16, onnx.TensorProto.BFLOAT16}
    size = {name: int(np.prod(tensor.dims, dtype=np.int64)) for name, tensor in stored.items()}
    weights = sum(size[name] for name, tensor in stored.items() if tensor.data_type in floats)
    weights += sum(size[node.input[0]] for node in graph.node
                   if node.op_type == "Identity" and node.input[0] in stored
                   and stored[node.input[0]].data_type in floats)

    def shape(value) -> list:
        return [dim.dim_param or dim.dim_value for dim in value.type.tensor_type.shape.dim]

    return {
        "framework": next((p.value for p in proto.metadata_props if p.key == "cnnguide.framework"), None),
        "producer": f"{proto.producer_name} {proto.producer_version}".strip(),
        "opset": next((entry.version for entry in proto.opset_import if entry.domain in ("", "ai.onnx")), None),
        "inputs": {value.name: shape(value) for value in graph.input if value.name not in stored},
        "outputs": {value.name: shape(value) for value in graph.output},
        "operators": dict(sorted(Counter(node.op_type for node in graph.node).items())),
        "nodes": len(graph.node),
        "initializers": len(stored),
        "initializer_elements": sum(size.values()),
        "weights": weights,
    }
