"""Keras -> PyTorch weight transfer and output comparison: proof that two models are one network.

Two builders of the same network must agree layer by layer (same shapes, parameters and MACs in
the neutral view) and, once the Keras weights are copied into the PyTorch model, compute the
same function. The copy pairs the weighted layers of both neutral views in execution order and
converts each layout:

* convolution kernels: Keras HWIO (kh, kw, in/groups, out) -> PyTorch OIHW;
  depthwise kernels (kh, kw, C, multiplier) -> (C * multiplier, 1, kh, kw), a
  ``DepthwiseConv2D``'s and the depthwise half of a ``SeparableConv2D`` (whose two halves are two
  rows of the view, as they are two ``nn.Conv2d`` in PyTorch) alike;
* dense kernels: Keras (in, out) -> PyTorch Linear (out, in);
* the first dense layer after a Flatten of an H x W x C map: Keras flattens in H, W, C order,
  PyTorch in C, H, W order, so that layer's input rows are permuted;
* BatchNorm: gamma, beta, moving mean and variance -> weight, bias, running_mean, running_var.
"""

from __future__ import annotations

import warnings
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np

from . import frameworks
from .errors import InputShapeError, ParityError
from .inspect import ModelView, framework_of, summarize
from .inspect.keras_view import SeparablePart
from .inspect.view import Layer


@dataclass(frozen=True)
class LayerMismatch:
    index: int
    keras: tuple | None
    torch: tuple | None


def compare_views(keras_view: ModelView, torch_view: ModelView) -> list[LayerMismatch]:
    """Rows where the two views disagree (kind, shape, parameters, activation, kernel, MACs)."""
    k, t = keras_view.comparable(), torch_view.comparable()
    return [
        LayerMismatch(i, k[i] if i < len(k) else None, t[i] if i < len(t) else None)
        for i in range(max(len(k), len(t)))
        if i >= len(k) or i >= len(t) or k[i] != t[i]
    ]


def _flatten_source(view: ModelView, row: Layer) -> tuple[int, ...] | None:
    """The H x W x C shape a Flatten turned into ``row``'s input, if a Flatten feeds ``row``
    through rows that change nothing about the layout (a Dropout between them, as torchvision's
    AlexNet has)."""
    by_name = {r.name: r for r in view.layers}
    current = row
    while len(current.inputs) == 1 and current.inputs[0] in by_name:
        before = by_name[current.inputs[0]]
        if before.kind == "flatten":
            return before.input_shape if len(before.input_shape) == 3 else None
        if before.params or before.output_shape != before.input_shape:
            return None
        current = before
    return None


def _is_depthwise(ref) -> bool:
    """A Keras depthwise kernel: a ``DepthwiseConv2D``'s, or the first part of a
    ``SeparableConv2D`` (:class:`~cnnguide.inspect.keras_view.SeparablePart`)."""
    return type(ref).__name__ == "DepthwiseConv2D" or (isinstance(ref, SeparablePart) and ref.depthwise)


def _conv_kernel(layer: Layer, kernel: np.ndarray) -> np.ndarray:
    if _is_depthwise(layer.ref):
        # Output channel c * multiplier + m filters input channel c, in both frameworks.
        kh, kw, channels, multiplier = kernel.shape
        kernel = kernel.reshape(kh, kw, 1, channels * multiplier)
    return kernel.transpose(3, 2, 0, 1)


def _dense_kernel(kernel: np.ndarray, flattened_from: tuple[int, ...] | None) -> np.ndarray:
    if flattened_from is not None:
        # (H*W*C, units) -> (units, C, H, W): a view, copied once into the PyTorch weight
        # viewed the same way (see _fits), instead of materialising the permuted rows first.
        height, width, channels = flattened_from
        return kernel.reshape(height, width, channels, kernel.shape[1]).transpose(3, 2, 0, 1)
    return kernel.T


def _fits(array: np.ndarray, target) -> bool:
    """``array`` fills ``target``: the same shape or, for a dense layer after a flatten, the
    same rows with each row's C, H, W axes still apart (PyTorch flattens in that order)."""
    shape = tuple(target.shape)
    return array.shape == shape or (
        array.ndim == 4 and len(shape) == 2 and array.shape[0] == shape[0]
        and int(np.prod(array.shape[1:])) == shape[1])


def _tensor(array: np.ndarray):
    """``array`` as a PyTorch tensor over the same memory. It is read-only (TensorFlow's buffer)
    and only ever read here, so PyTorch's warning about writing to it does not apply."""
    torch = frameworks.torch()
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "The given NumPy array is not writable", UserWarning)
        return torch.from_numpy(array)


def _read(variable) -> np.ndarray:
    """A Keras variable's value as a read-only NumPy array over TensorFlow's own buffer.
    ``variable.numpy()`` would copy it first: for VGG-16's first dense layer, 411 MB of fresh
    memory (half a second of page faults here) only to be read once, by the copy into PyTorch."""
    # ``value`` is the backend's variable (TensorFlow's ResourceVariable); ``read_value()``
    # gives an eager tensor over its buffer, which NumPy wraps without a copy.
    return np.asarray(variable.value.read_value())


def _keras_arrays(keras_view: ModelView, row: Layer) -> dict[str, np.ndarray]:
    """Row's Keras weights, converted to the PyTorch layout and named as PyTorch names them."""
    layer = row.ref
    if row.kind == "conv":
        arrays = {"weight": _conv_kernel(row, _read(layer.kernel))}
    elif row.kind == "dense":
        arrays = {"weight": _dense_kernel(_read(layer.kernel), _flatten_source(keras_view, row))}
    elif row.kind == "batch_norm":
        arrays = {"running_mean": _read(layer.moving_mean), "running_var": _read(layer.moving_variance)}
        if layer.scale:
            arrays["weight"] = _read(layer.gamma)
        if layer.center:
            arrays["bias"] = _read(layer.beta)
        return arrays
    else:
        raise ParityError(f"cnnguide cannot transfer weights of {row.name!r} ({row.kind}) yet.")
    if row.bias:
        arrays["bias"] = _read(layer.bias)
    return arrays


def _check_batch_norm(k: Layer, t: Layer) -> None:
    if k.kind == "batch_norm" and not np.isclose(k.ref.epsilon, t.ref.eps, rtol=1e-6, atol=0):
        raise ParityError(
            f"BatchNorm {k.name!r} has epsilon {k.ref.epsilon} in Keras but {t.ref.eps} in "
            f"PyTorch ({t.name!r}): build both with the same epsilon (Keras's default is 1e-3, "
            "PyTorch's 1e-5)."
        )


def transfer_weights(keras_model, torch_model, views: tuple[ModelView, ModelView] | None = None
                     ) -> list[tuple[str, str]]:
    """Copy every weight of ``keras_model`` into ``torch_model``; return the (Keras, PyTorch) pairs.

    ``views``: the two models' views, when the caller has already read them (each costs a
    pass over the model). Raises ParityError when the models are not the same network
    (different layers, shapes or parameter counts), naming the first layer that differs.
    """
    if framework_of(keras_model) != "keras" or framework_of(torch_model) != "torch":
        raise ParityError("transfer_weights(keras_model, torch_model): pass the Keras model first.")
    torch = frameworks.torch()
    if views is None:
        keras_view = summarize(keras_model)
        torch_view = summarize(torch_model, getattr(torch_model, "input_shape", keras_view.input_shape))
    else:
        keras_view, torch_view = views
    if torch_view.input_shape != keras_view.input_shape:
        raise ParityError(
            f"The Keras model takes {keras_view.input_shape}, the PyTorch model "
            f"{torch_view.input_shape}: build both for the same input_shape."
        )
    k_rows, t_rows = keras_view.weighted(), torch_view.weighted()
    if len(k_rows) != len(t_rows):
        raise ParityError(
            f"The Keras model has {len(k_rows)} weighted layers, the PyTorch model {len(t_rows)}: "
            "they are not the same network."
        )
    pairs, written = [], set()
    for k, t in zip(k_rows, t_rows):
        if (k.kind, k.params, k.output_shape) != (t.kind, t.params, t.output_shape):
            raise ParityError(
                f"Keras layer {k.name!r} ({k.kind}, {k.params} parameters, output {k.output_shape}) "
                f"does not match PyTorch layer {t.name!r} ({t.kind}, {t.params} parameters, "
                f"output {t.output_shape})."
            )
        _check_batch_norm(k, t)
        state = dict(t.ref.named_parameters(recurse=False)) | dict(t.ref.named_buffers(recurse=False))
        with torch.no_grad():
            for attr, array in _keras_arrays(keras_view, k).items():
                target = state[attr]
                if not _fits(array, target):
                    raise ParityError(
                        f"{k.name!r} -> {t.name!r}.{attr}: shape {array.shape} does not fit "
                        f"{tuple(target.shape)}."
                    )
                # A transposed view of TensorFlow's buffer: copy_ reorders it in one threaded pass.
                target.view(array.shape).copy_(_tensor(array))
                written.add(id(target))
        pairs.append((k.name, t.name))
    # Every weight of the PyTorch model now comes from Keras: one that no Keras layer filled
    # would keep PyTorch's own initial values (or none, for a model built uninitialised) and
    # make the outputs differ for a reason the comparison cannot name.
    unfilled = [name for name, tensor in (*torch_model.named_parameters(), *torch_model.named_buffers())
                if tensor.is_floating_point() and id(tensor) not in written]
    if unfilled:
        raise ParityError(f"No Keras weight fills {', '.join(unfilled[:5])}"
                          f"{' ...' if len(unfilled) > 5 else ''} in the PyTorch model: it is not the "
                          "same network, or cnnguide.inspect does not see the layer that holds them.")
    return pairs


def run(model, images: np.ndarray):
    """Run ``model`` in inference mode on a batch of N x H x W x C images; return its output
    array (a list of arrays for a model with several outputs, in the model's order).

    The same call for both frameworks (PyTorch gets the images as N x C x H x W), so outputs
    can be compared directly.
    """
    images = np.asarray(images, dtype=np.float32)
    if images.ndim == 3:
        images = images[None]
    if images.ndim != 4:
        raise InputShapeError(
            f"Expected images as N x H x W x C (or one H x W x C image); got shape {images.shape}."
        )
    fw = framework_of(model)
    expected = (tuple(model.input_shape[1:]) if fw == "keras"
                else tuple(getattr(model, "input_shape", images.shape[1:])))
    if images.shape[-1] != expected[-1]:
        raise InputShapeError(
            f"The model takes {expected[-1]} channel(s) (H x W x C = {expected}); the images "
            f"have {images.shape[-1]} (shape {images.shape}). Images must be N x H x W x C."
        )
    if tuple(images.shape[1:3]) != tuple(expected[:2]):
        raise InputShapeError(
            f"The model takes {expected[0]}x{expected[1]} images; got {images.shape[1]}x"
            f"{images.shape[2]}. Resize the images or build the model with input_shape="
            f"{(images.shape[1], images.shape[2], expected[2])}."
        )
    if fw == "keras":
        outputs = model(images, training=False)
    else:
        torch = frameworks.torch()
        was_training = model.training
        model.eval()
        try:
            with torch.no_grad():
                outputs = model(torch.from_numpy(images).permute(0, 3, 1, 2).contiguous())
        finally:
            model.train(was_training)
    def to_numpy(output):
        # Feature maps come back N x H x W x C from both frameworks.
        return output.permute(0, 2, 3, 1).numpy() if fw == "torch" and output.ndim == 4 else output.numpy()

    if isinstance(outputs, (list, tuple)):
        return [to_numpy(output) for output in outputs]
    return to_numpy(outputs)


def max_abs_difference(keras_model, torch_model, images: np.ndarray) -> float:
    """Largest absolute difference between the two models' outputs on ``images`` (over every
    output of a model with several)."""
    ours, theirs = run(keras_model, images), run(torch_model, images)
    pairs = zip(ours, theirs) if isinstance(ours, list) else [(ours, theirs)]
    return max(float(np.max(np.abs(a - b))) for a, b in pairs)


def random_images(shape: tuple[int, int, int], batch: int = 4, seed: int = 0) -> np.ndarray:
    """A reproducible batch of N x H x W x C float32 images in [0, 1)."""
    return np.random.default_rng(seed).random((batch, *shape), dtype=np.float32)


@contextmanager
def logits(model):
    """Within the block, ``model`` returns its logits: its classifier softmax is the identity.

    Outputs are compared before the softmax, which would hide a difference (it squashes large
    logits together). Doing it on the built model, not by building it again with
    ``classifier_activation=None``, lets one build serve the page's tables and the comparison.
    Our Keras models apply the softmax in the classifier layer (``Dense(activation=...)``);
    our PyTorch models in their ``classifier_activation`` module, as their builders document.
    """
    if framework_of(model) == "keras":
        softmax = frameworks.keras().activations.softmax
        swapped = [layer for layer in _keras_layers(model) if getattr(layer, "activation", None) is softmax]
        linear = frameworks.keras().activations.linear
        for layer in swapped:
            layer.activation = linear
        try:
            yield model
        finally:
            for layer in swapped:
                layer.activation = softmax
        return
    nn = frameworks.torch().nn
    original = getattr(model, "classifier_activation", None)
    if isinstance(original, nn.Softmax):
        model.classifier_activation = nn.Identity()
    try:
        yield model
    finally:
        if isinstance(original, nn.Softmax):
            model.classifier_activation = original


def _keras_layers(model):
    """Every layer of a Keras model, nested models' layers included."""
    for layer in model.layers:
        yield layer
        if hasattr(layer, "layers"):
            yield from _keras_layers(layer)
