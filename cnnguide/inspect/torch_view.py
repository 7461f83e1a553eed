"""Read a PyTorch module into the neutral :class:`~cnnguide.inspect.view.ModelView`.

A PyTorch module has no shapes until it runs, and its forward may add or concatenate tensors
with plain functions (``out + identity``, ``torch.cat``) that no module hook sees. So the module
is traced with ``torch.fx`` into a graph of calls, and the graph is run once on an image of
batch 1 by an interpreter that records one row per call: modules and the functions that matter
to the architecture alike, with the rows each one reads.

The run is on the ``meta`` device: the input and, for the length of the run, every parameter
and buffer are meta tensors, which carry shapes but no data (``torch.func.functional_call``
swaps them in and restores the model's own afterwards). Every shape check runs, so a too-small
input fails at the layer it breaks, as in a real run, while no arithmetic is done: reading
VGG-16 costs milliseconds instead of a 15-GMAC forward pass. When that run fails, it is
repeated with fake tensors, which run the real kernels' checks: their messages say what was
expected ("expected input ... to have 8 channels"), where a meta kernel says only "Invalid
channel dimensions". (Fake tensors for every run would be slower: their dispatch runs in
Python, six times the meta run on ResNet-152.)
"""

from __future__ import annotations

import contextlib
import logging
import operator
import warnings
from dataclasses import replace

from .. import frameworks
from ..errors import CnnguideError
from ..shapes import format_shape
from . import failures
from .view import ACTIVATION, IDENTITY, INPUT, Layer, ModelView, normalize

KINDS = {
    "Conv2d": "conv",
    "Linear": "dense",
    "AvgPool2d": "avg_pool",
    "MaxPool2d": "max_pool",
    "AdaptiveAvgPool2d": "adaptive_avg_pool",
    "Flatten": "flatten",
    "BatchNorm2d": "batch_norm",
    "BatchNorm1d": "batch_norm",
    "Dropout": "dropout",
    "ZeroPad2d": "zero_pad",
    "LocalResponseNorm": "lrn",
    "Identity": IDENTITY,
    # Library modules read as one layer each (see LEAVES):
    "StochasticDepth": "stochastic_depth",  # torchvision.ops
    "DropPath": "stochastic_depth",         # timm.layers
    "BatchNormAct2d": "batch_norm",         # timm.layers: BatchNorm2d with its activation inside
}
LEAVES = ("StochasticDepth", "DropPath", "BatchNormAct2d")
"""Modules outside ``torch.nn`` that are traced as one call, as ``torch.nn``'s own are. Traced
into, they would lose what makes them one layer: timm's ``BatchNormAct2d`` calls
``F.batch_norm`` on its own parameters (which a function row does not count), and stochastic
depth's forward depends on ``self.training``, which tracing would freeze."""
ACTIVATIONS = {"Tanh": "tanh", "ReLU": "relu", "Softmax": "softmax", "Sigmoid": "sigmoid",
               "SiLU": "silu", "ReLU6": "relu6", "LeakyReLU": "leaky_relu"}
# Functions (and tensor methods) by name: what they are in the neutral view.
FUNCTIONS = {
    "add": "add", "iadd": "add", "cat": "concat", "concat": "concat", "mul": "multiply",
    "flatten": "flatten", "view": "flatten", "reshape": "flatten",  # "reshape" unless a vector
    "relu": ACTIVATION, "relu_": ACTIVATION, "sigmoid": ACTIVATION, "tanh": ACTIVATION,
    "softmax": ACTIVATION, "silu": ACTIVATION, "relu6": ACTIVATION,
    "adaptive_avg_pool2d": "adaptive_avg_pool", "pad": "zero_pad",
    "stochastic_depth": "stochastic_depth", "mean": "mean", "split": "split", "chunk": "split",
}
# Calls that only read or rearrange metadata: not layers; rows reading them read their input.
PASS_THROUGH = {"getitem", "getattr", "size", "dim", "contiguous", "dropout", "identity"}


def _hwc(shape) -> tuple[int, ...]:
    """N x C x H x W -> (H, W, C); N x F -> (F,)."""
    dims = tuple(int(d) for d in shape[1:])
    return dims[1:] + dims[:1] if len(dims) == 3 else dims


def _pair(value) -> tuple[int, ...] | None:
    if value is None:
        return None
    return tuple(value) if isinstance(value, (tuple, list)) else (value, value)


def _activation_name(module) -> str | None:
    """The neutral name of an activation module; a leaky ReLU carries its slope, so that
    ``nn.LeakyReLU(0.01)`` matches Keras's ``LeakyReLU(negative_slope=0.01)`` and nothing else."""
    name = ACTIVATIONS.get(type(module).__name__)
    return f"{name}({module.negative_slope:g})" if name == "leaky_relu" else name


def _state_counts(module) -> tuple[int, int]:
    params = list(module.parameters())
    trainable = sum(p.numel() for p in params if p.requires_grad)
    frozen = sum(p.numel() for p in params if not p.requires_grad)
    # BatchNorm's running mean/variance: numeric state, non-trainable (Keras counts them too).
    # num_batches_tracked is a step counter, not a statistic, and Keras has no such weight.
    stats = sum(b.numel() for b in module.buffers() if b.is_floating_point())
    return trainable, frozen + stats


def _module_row(name, module, input_shape, output, inputs) -> Layer:
    cls = type(module).__name__
    kind = ACTIVATION if cls in ACTIVATIONS else KINDS.get(cls, cls)
    trainable, non_trainable = _state_counts(module)
    weight = getattr(module, "weight", None)
    # timm's BatchNormAct2d applies its activation itself (``act``): the row carries it, as a
    # BatchNorm row carries the activation folded into it.
    activation = _activation_name(module.act if cls == "BatchNormAct2d" else module)
    return Layer(
        name=name, kind=kind, input_shape=input_shape, output_shape=_hwc(output.shape),
        trainable=trainable, non_trainable=non_trainable, activation=activation,
        kernel_size=_pair(getattr(module, "kernel_size", None)),
        strides=_pair(getattr(module, "stride", None)),
        groups=int(getattr(module, "groups", 1)),
        bias=getattr(module, "bias", None) is not None and kind in ("conv", "dense"),
        kernel_elements=weight.numel() if weight is not None and kind in ("conv", "dense") else 0,
        inputs=inputs, ref=module,
    )


def _function_kind(function: str, node, input_shape: tuple[int, ...], output_shape: tuple[int, ...]) -> str:
    """The neutral kind of a function call, where its name alone does not say it."""
    kind = FUNCTIONS.get(function, function)
    if kind == "flatten" and len(output_shape) != 1:
        return "reshape"  # x.view(n, c, 1, 1) keeps a map: not a flatten
    if kind == "zero_pad":  # F.pad pads with zeros only in its default mode and value
        mode = node.kwargs.get("mode", node.args[2] if len(node.args) > 2 else "constant")
        value = node.kwargs.get("value", node.args[3] if len(node.args) > 3 else None)
        return "zero_pad" if mode == "constant" and not value else "pad"
    if kind == "mean" and len(input_shape) == 3 and output_shape in (
            (1, 1, input_shape[2]), (input_shape[2],)):
        return "global_avg_pool"  # x.mean((2, 3), keepdim=...): timm's squeeze-and-excitation
    return kind


def _function_name(node) -> str:
    target = node.target
    if node.op == "call_method":
        return target
    return getattr(target, "__name__", str(target)).rstrip("_") if target not in (
        operator.add, operator.iadd) else "add"


@contextlib.contextmanager
def _shapes_only(torch):
    """Fake tensors (shapes, no data), with their failure logging and CUDA probing kept quiet:
    a failure is reported once, as cnnguide's own error."""
    from torch._subclasses.fake_tensor import FakeTensorMode

    logger = logging.getLogger("torch._subclasses.fake_tensor")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        with warnings.catch_warnings(), torch.no_grad(), FakeTensorMode(allow_non_fake_inputs=True):
            warnings.filterwarnings("ignore", message="CUDA initialization")
            yield
    finally:
        logger.setLevel(level)


def _run_on_meta(torch, graph_module, interpreter, height: int, width: int, channels: int) -> None:
    """Run ``interpreter`` over ``graph_module`` with a meta input and meta copies of every
    parameter and buffer (shapes and ``requires_grad`` kept, no data)."""
    from torch.func import functional_call

    class Run(torch.nn.Module):  # functional_call swaps the tensors of a module it calls
        def __init__(self):
            super().__init__()
            self.graph = graph_module

        def forward(self, x):
            return interpreter.run(x)

    run = Run()
    image = torch.zeros(1, channels, height, width, device="meta")
    tensors = [*run.named_parameters(remove_duplicate=False), *run.named_buffers(remove_duplicate=False)]
    if all(tensor.is_meta for _, tensor in tensors):  # built on the meta device: nothing to swap
        with torch.no_grad():
            run(image)
        return
    meta = {key: torch.empty_like(tensor, device="meta").requires_grad_(tensor.requires_grad)
            for key, tensor in tensors}
    with torch.no_grad():
        functional_call(run, meta, (image,), tie_weights=False)


def view(model, input_shape: tuple[int, int, int], name: str | None = None) -> ModelView:
    """Trace ``model``, run it once on zeros of ``input_shape`` (H x W x C), record every call."""
    torch = frameworks.torch()
    import torch.fx as fx

    class Tracer(fx.Tracer):
        def is_leaf_module(self, module, qualified_name: str) -> bool:
            return type(module).__name__ in LEAVES or super().is_leaf_module(module, qualified_name)

    try:
        graph_module = fx.GraphModule(model, Tracer().trace(model), type(model).__name__)
    except Exception as exc:  # noqa: BLE001 - fx raises many types for untraceable code
        raise CnnguideError(
            f"{type(model).__name__} cannot be traced by torch.fx ({type(exc).__name__}: {exc}). "
            "cnnguide reads PyTorch models through their traced graph: keep the forward free of "
            "control flow that depends on tensor values."
        ) from exc

    rows: list[Layer] = []
    outputs: list[str] = []         # rows the model returns, in order
    names: dict[str, str] = {}      # fx node name -> row name it stands for
    calls: dict[int, int] = {}      # id(module) -> how many times it has run
    sizes: set[str] = set()         # fx nodes that compute sizes (x.shape[0]), not maps

    class Recorder(fx.Interpreter):
        current = None

        def run_node(self, node):
            Recorder.current = node
            result = super().run_node(node)
            record(node, result)
            return result

        def call_module(self, target, args, kwargs):
            # Batch normalization keeps its input's shape, but on the meta device PyTorch runs
            # it through a Python decomposition: over half of the whole view's time. Its shape
            # is checked here instead; a mismatch runs the real call, whose error is reported.
            module, (x, *_) = self.fetch_attr(target), args
            if (isinstance(module, torch.nn.modules.batchnorm._BatchNorm) and x.device.type == "meta"
                    and x.dim() == 4 and x.shape[1] == module.num_features):
                return torch.empty_like(x)
            return super().call_module(target, args, kwargs)

    def record(node, result) -> None:
        # A call reads the maps among its arguments, not the sizes it was given: the view in
        # x.view(x.shape[0], -1) reads what x.view is called on, not x again through x.shape.
        readers = [names.get(n.name, n.name) for n in node.all_input_nodes if n.name not in sizes]
        if node.op == "placeholder":
            names[node.name] = INPUT
            return
        if node.op == "output":
            outputs.extend(readers)
            return
        parts = isinstance(result, tuple) and result and all(isinstance(r, torch.Tensor) for r in result)
        if parts and _function_name(node) in ("split", "chunk"):
            # One row for the split (CSPNet's x0 = [x0', x0'']), shaped as its first part; its
            # parts are read through getitem, which passes the row on.
            result = result[0]
        elif node.op == "get_attr" or not isinstance(result, torch.Tensor):
            names[node.name] = readers[0] if readers else INPUT
            if isinstance(result, int) or (isinstance(result, tuple) and all(isinstance(v, int) for v in result)):
                sizes.add(node.name)  # x.shape, x.size(0), x.shape[0]
            return
        first = node.all_input_nodes[0] if node.all_input_nodes else None
        in_shape = _hwc(shapes[first.name]) if first is not None and first.name in shapes else ()
        shapes[node.name] = tuple(result.shape)
        if node.op == "call_module":
            module = graph_module.get_submodule(node.target)
            count = calls.get(id(module), 0)
            calls[id(module)] = count + 1
            row_name = node.target if count == 0 else f"{node.target}:{count + 1}"
            row = _module_row(row_name, module, in_shape, result, tuple(readers))
            if count:  # a shared module (one ReLU used many times): its parameters count once
                row = replace(row, trainable=0, non_trainable=0)
        else:
            function = _function_name(node)
            if function in PASS_THROUGH:
                names[node.name] = readers[0] if readers else INPUT
                if function == "getitem":  # a part of a split: its readers read this shape
                    shapes[node.name] = tuple(result.shape)
                return
            kind = _function_kind(function, node, in_shape, _hwc(result.shape))
            row_name = node.name
            row = Layer(name=row_name, kind=kind, input_shape=in_shape,
                        output_shape=_hwc(result.shape),
                        activation=function.rstrip("_") if kind == ACTIVATION else None,
                        inputs=tuple(readers))
        names[node.name] = row_name
        rows.append(row)

    shapes: dict[str, tuple] = {}
    height, width, channels = input_shape
    shapes["x"] = (1, channels, height, width)
    for node in graph_module.graph.nodes:
        if node.op == "placeholder":
            shapes[node.name] = (1, channels, height, width)
    was_training = model.training
    graph_module.eval()
    try:
        try:
            _run_on_meta(torch, graph_module, Recorder(graph_module), height, width, channels)
        except Exception:  # noqa: BLE001 - rerun for the real kernels' message (module docstring)
            for found in (rows, outputs, names, calls, sizes):
                found.clear()
            with _shapes_only(torch):
                Recorder(graph_module).run(torch.zeros(1, channels, height, width))
    except (RuntimeError, ValueError, TypeError) as exc:
        node = Recorder.current
        if node is None or node.op in ("placeholder", "output"):
            raise CnnguideError(f"{type(model).__name__} cannot run on a {format_shape(input_shape)} "
                                f"input: {failures.one_line(exc)}") from exc
        # Name the layer, and call the input too small only when that layer's output would be
        # empty (cnnguide.inspect.failures): a channel mismatch is reported as it is.
        first = node.all_input_nodes[0] if node.all_input_nodes else None
        received = shapes.get(first.name) if first is not None else None
        if node.op == "call_module":
            failing = failures.describe(graph_module.get_submodule(node.target), node.target, received,
                                        channels_last=False)
        else:
            failing = failures.FailingLayer(node.name, node.op)
        raise failures.error(failing, exc, type(model).__name__, input_shape) from exc
    finally:
        model.train(was_training)
    return ModelView(
        name=name or type(model).__name__.lower(),
        framework="torch",
        input_shape=(height, width, channels),
        layers=normalize(rows, outputs),
    )
