"""Read a Keras model into the neutral :class:`~cnnguide.inspect.view.ModelView`."""

from __future__ import annotations

import math

from .view import ACTIVATION, IDENTITY, INPUT, Layer, ModelView, normalize

KINDS = {
    "Conv2D": "conv",
    "DepthwiseConv2D": "conv",
    "Dense": "dense",
    "AveragePooling2D": "avg_pool",
    "MaxPooling2D": "max_pool",
    "GlobalAveragePooling2D": "global_avg_pool",
    "GlobalMaxPooling2D": "global_max_pool",
    "Flatten": "flatten",
    "BatchNormalization": "batch_norm",
    "Dropout": "dropout",
    "Activation": ACTIVATION,
    "ReLU": ACTIVATION,
    "Softmax": ACTIVATION,
    "Add": "add",
    "Concatenate": "concat",
    "Multiply": "multiply",
    "ZeroPadding2D": "zero_pad",
    "LocalResponseNormalization": "lrn",  # cnnguide.models.keras.alexnet
    "AdaptiveAveragePooling2D": "adaptive_avg_pool",
    "Identity": IDENTITY,
}


def _shape(tensor) -> tuple[int, ...]:
    return tuple(int(d) for d in tensor.shape[1:])


def _count(weights) -> int:
    return sum(math.prod(w.shape) for w in weights)


def _activation(layer) -> str | None:
    fn = getattr(layer, "activation", None)
    name = getattr(fn, "__name__", None)
    if type(layer).__name__ == "ReLU":
        return "relu"
    if type(layer).__name__ == "Softmax":
        return "softmax"
    return None if name in (None, "linear") else name


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


def _row(layer, producers: tuple[str, ...]) -> Layer:
    cls = type(layer).__name__
    kind = KINDS.get(cls, cls)
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
    return ModelView(
        name=model.name,
        framework="keras",
        input_shape=tuple(int(d) for d in model.input_shape[1:]),
        layers=normalize((_row(layer, inputs) for layer, inputs in _leaf_layers(model, {}, INPUT)),
                         _output_names(model)),
    )
