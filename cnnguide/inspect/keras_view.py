"""Read a Keras model into the neutral :class:`~cnnguide.inspect.view.ModelView`.

Most Keras layers are one row each. Where Keras writes in one layer what PyTorch writes in
several, the Keras layer is read as the rows PyTorch would give, so one network has one view:

* ``SeparableConv2D`` is two convolutions (Chollet 2017, Section 3): a depthwise one, then a
  1x1 pointwise one. It is read as two rows, ``<name>_dw`` and ``<name>_pw``, as PyTorch writes
  it (``nn.Conv2d(groups=in_channels)`` then ``nn.Conv2d(kernel_size=1)``); the layer's stride
  belongs to the depthwise row, its bias and activation to the pointwise row.
* ``Dropout`` with ``noise_shape=(None, 1, 1, 1)`` drops whole residual branches per sample:
  stochastic depth (torchvision's ``StochasticDepth``, timm's ``DropPath``), not dropout.
* ``Reshape`` to a vector is a flatten; to anything else, a reshape.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any

from .view import ACTIVATION, IDENTITY, INPUT, Layer, ModelView, normalize

KINDS = {
    "Conv2D": "conv",
    "DepthwiseConv2D": "conv",
    "SeparableConv2D": "conv",  # two rows, see the module docstring
    "Dense": "dense",
    "AveragePooling2D": "avg_pool",
    "MaxPooling2D": "max_pool",
    "GlobalAveragePooling2D": "global_avg_pool",
    "GlobalMaxPooling2D": "global_max_pool",
    "Flatten": "flatten",
    "Reshape": "reshape",
    "BatchNormalization": "batch_norm",
    "Dropout": "dropout",
    "Activation": ACTIVATION,
    "ReLU": ACTIVATION,
    "LeakyReLU": ACTIVATION,
    "Softmax": ACTIVATION,
    "Add": "add",
    "Concatenate": "concat",
    "Multiply": "multiply",
    "ZeroPadding2D": "zero_pad",
    "LocalResponseNormalization": "lrn",  # cnnguide.models.keras.alexnet
    "AdaptiveAveragePooling2D": "adaptive_avg_pool",
    "Identity": IDENTITY,
    # cnnguide.models.keras.cspnet's two layers that Keras lacks:
    "ChannelSplit": "split",          # one row, shaped as its first part
    "MaxPoolPadding2D": "pool_pad",   # -inf padding, folded into the max pooling that reads it
}


def _shape(tensor) -> tuple[int, ...]:
    if isinstance(tensor, (list, tuple)):  # a layer with several outputs (a split): its first
        tensor = tensor[0]
    return tuple(int(d) for d in tensor.shape[1:])


def _count(weights) -> int:
    return sum(math.prod(w.shape) for w in weights)


def _activation(layer) -> str | None:
    fn = getattr(layer, "activation", None)
    name = getattr(fn, "__name__", None)
    if type(layer).__name__ == "ReLU":
        return _relu_name(layer)
    if type(layer).__name__ == "Softmax":
        return "softmax"
    if type(layer).__name__ == "LeakyReLU":
        return f"leaky_relu({layer.negative_slope:g})"  # as the PyTorch view names nn.LeakyReLU
    # Keras names its functions as PyTorch names their modules: "relu6", "silu" (which
    # activation="swish" also gives), "sigmoid".
    return None if name in (None, "linear") else name


def _relu_name(layer) -> str:
    """A ``ReLU`` layer's function: ``ReLU(max_value=6)`` is ReLU6 (``nn.ReLU6``), as
    ``Activation("relu6")``; any other cap, slope or threshold is spelled out, so that it
    matches nothing by accident."""
    cap, slope, threshold = layer.max_value, layer.negative_slope, layer.threshold
    if not slope and not threshold and cap in (None, 6):
        return "relu" if cap is None else "relu6"
    return f"relu(max_value={cap}, negative_slope={slope}, threshold={threshold})"


def _kind(layer, output_shape: tuple[int, ...]) -> str:
    cls = type(layer).__name__
    if cls == "Dropout" and _drops_whole_samples(layer):
        return "stochastic_depth"
    if cls == "Reshape" and len(output_shape) == 1:
        return "flatten"
    return KINDS.get(cls, cls)


def _drops_whole_samples(layer) -> bool:
    """``noise_shape=(None, 1, 1, 1)``: one draw per sample for the whole map (keras.applications'
    EfficientNet writes stochastic depth this way)."""
    shape = getattr(layer, "noise_shape", None)
    return shape is not None and len(shape) > 1 and all(d == 1 for d in shape[1:])


def _producers(layer) -> list[str]:
    """Names of the layers whose outputs ``layer`` reads (its first call)."""
    if not layer._inbound_nodes:
        return []
    return [t._keras_history.operation.name for t in layer._inbound_nodes[0].input_tensors]


def _leaf_layers(model, aliases: dict[str, str], feeding: str):
    """Yield (layer, input names) in order, with nested models opened and their inputs renamed.

    ``aliases`` maps an input layer (of this model, or of a nested one) to the row that feeds it.
    """
    last = feeding
    # A Sequential model does not list its InputLayer: find input layers through the inputs.
    for tensor in getattr(model, "inputs", None) or ():
        aliases[tensor._keras_history.operation.name] = feeding
    for layer in model.layers:
        if type(layer).__name__ == "InputLayer":
            continue
        inputs = [aliases.get(name, name) for name in _producers(layer)] or [last]
        if hasattr(layer, "layers"):  # a nested Model or Sequential: read its layers in order
            yield from _leaf_layers(layer, aliases, inputs[0])
            aliases[layer.name] = _last_name(layer)
            last = aliases[layer.name]
        else:
            yield layer, tuple(inputs)
            last = layer.name


def _output_names(model) -> list[str]:
    """The layers producing the model's outputs, in output order (a nested model: its last)."""
    names = []
    for tensor in model.outputs:
        layer = tensor._keras_history.operation
        names.append(_last_name(layer) if hasattr(layer, "layers") else layer.name)
    return names


def _last_name(model) -> str:
    inner = model.layers[-1]
    return _last_name(inner) if hasattr(inner, "layers") else inner.name


@dataclass(frozen=True, eq=False)
class SeparablePart:
    """One of the two convolutions of a Keras ``SeparableConv2D``: the ``ref`` of its row, with
    that part's weights only (``kernel``, ``bias``; ``get_weights``/``set_weights`` as a layer's),
    so weight transfer and library loading treat each row as a layer of its own."""

    layer: Any
    part: str  # "depthwise" or "pointwise"

    @property
    def depthwise(self) -> bool:
        return self.part == "depthwise"

    @property
    def kernel(self):
        return self.layer.depthwise_kernel if self.depthwise else self.layer.pointwise_kernel

    @property
    def use_bias(self) -> bool:
        return not self.depthwise and self.layer.use_bias  # the one bias comes after the pointwise

    @property
    def bias(self):
        return self.layer.bias if self.use_bias else None

    @property
    def weights(self) -> list:
        return [self.kernel] + ([self.bias] if self.use_bias else [])

    def get_weights(self) -> list:
        return [w.numpy() for w in self.weights]

    def set_weights(self, arrays) -> None:
        for variable, array in zip(self.weights, arrays, strict=True):
            variable.assign(array)


def _separable_rows(layer, producers: tuple[str, ...]) -> list[Layer]:
    """A ``SeparableConv2D`` as PyTorch writes it: a depthwise convolution (``groups`` = input
    channels, the layer's stride, no bias, no activation), then a 1x1 pointwise convolution."""
    in_shape, out_shape = _shape(layer.input), _shape(layer.output)
    channels = in_shape[-1]
    middle = out_shape[:-1] + (channels * layer.depth_multiplier,)
    trainable = layer.trainable

    def count(weights) -> tuple[int, int]:
        return (_count(weights), 0) if trainable else (0, _count(weights))

    parts = {p: SeparablePart(layer, p) for p in ("depthwise", "pointwise")}
    dw_trainable, dw_frozen = count(parts["depthwise"].weights)
    pw_trainable, pw_frozen = count(parts["pointwise"].weights)
    depthwise = Layer(
        name=f"{layer.name}_dw", kind="conv", input_shape=in_shape, output_shape=middle,
        trainable=dw_trainable, non_trainable=dw_frozen,
        kernel_size=tuple(layer.kernel_size), strides=tuple(layer.strides), groups=channels,
        kernel_elements=math.prod(layer.depthwise_kernel.shape), inputs=producers, ref=parts["depthwise"],
    )
    pointwise = Layer(
        name=f"{layer.name}_pw", kind="conv", input_shape=middle, output_shape=out_shape,
        trainable=pw_trainable, non_trainable=pw_frozen, activation=_activation(layer),
        kernel_size=(1, 1), strides=(1, 1), bias=bool(layer.use_bias),
        kernel_elements=math.prod(layer.pointwise_kernel.shape), inputs=(depthwise.name,),
        ref=parts["pointwise"],
    )
    return [depthwise, pointwise]


def _rows(layer, producers: tuple[str, ...]) -> list[Layer]:
    if type(layer).__name__ == "SeparableConv2D":
        return _separable_rows(layer, producers)
    return [_row(layer, producers)]


def _row(layer, producers: tuple[str, ...]) -> Layer:
    cls = type(layer).__name__
    kind = _kind(layer, _shape(layer.output))
    inputs = layer.input if not isinstance(layer.input, (list, tuple)) else layer.input[0]
    kernel = getattr(layer, "kernel", None)
    # Keras's depthwise convolution is a convolution with one group per input channel.
    groups = getattr(layer, "groups", 1)
    if cls == "DepthwiseConv2D":
        groups = _shape(inputs)[-1]
    return Layer(
        name=layer.name,
        kind=kind,
        input_shape=_shape(inputs),
        output_shape=_shape(layer.output),
        trainable=_count(layer.trainable_weights),
        non_trainable=_count(layer.non_trainable_weights),
        activation=_activation(layer),
        kernel_size=tuple(getattr(layer, "kernel_size", None) or getattr(layer, "pool_size", ())) or None,
        strides=tuple(layer.strides) if getattr(layer, "strides", None) is not None else None,
        groups=int(groups),
        bias=bool(getattr(layer, "use_bias", False)),
        kernel_elements=math.prod(kernel.shape) if kernel is not None and kind in ("conv", "dense") else 0,
        inputs=producers,
        ref=layer,
    )


def view(model) -> ModelView:
    """The neutral view of a built Keras model (its input shape fixes every layer's shape)."""
    rows: list[Layer] = []
    split: dict[str, str] = {}  # a layer read as several rows -> its last row, which readers read
    for layer, inputs in _leaf_layers(model, {}, INPUT):
        found = _rows(layer, inputs)
        if found[-1].name != layer.name:
            split[layer.name] = found[-1].name
        rows += found
    rows = [replace(row, inputs=tuple(split.get(name, name) for name in row.inputs)) for row in rows]
    return ModelView(
        name=model.name,
        framework="keras",
        input_shape=tuple(int(d) for d in model.input_shape[1:]),
        layers=normalize(rows, [split.get(name, name) for name in _output_names(model)]),
    )
