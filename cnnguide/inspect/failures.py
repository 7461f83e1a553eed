"""Which layer an exception came from, and whether the input was too small for it.

Both frameworks raise errors from deep inside a layer's call (Keras while building the graph,
PyTorch in a forward pass) with messages that do not name the layer. The layer object is still
on the stack: this walks the traceback for the innermost layer, its name, and the input it was
given.

Why the input matters: "the input is too small" is the right thing to say only when the layer's
output would be empty (a 5x5 kernel on a 4x4 map). Anything else that fails inside a layer (a
channel count that does not match, a bad argument) must be reported as the framework stated it,
or a reader goes looking for a larger input that would not help. :func:`error` decides, from
the layer's own kernel, stride, padding and dilation.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from types import TracebackType

from ..errors import CnnguideError, InputShapeError, LayerError
from ..shapes import format_shape


@dataclass(frozen=True)
class FailingLayer:
    name: str
    kind: str
    # (height, width) of what the layer received, when found; and whether its output would be
    # empty there (None: not a windowed layer, or its input is unknown).
    input_size: tuple[int, ...] | None = None
    empty: bool | None = None


def _is_keras_layer(obj: object) -> bool:
    return any(c.__module__.startswith(("keras", "tf_keras")) and c.__name__ == "Layer"
               for c in type(obj).__mro__)


def _is_torch_module(obj: object) -> bool:
    return any(c.__module__.startswith("torch.nn") and c.__name__ == "Module" for c in type(obj).__mro__)


def _frames(tb: TracebackType | None):
    """(self, locals) of every frame that has a ``self``, outermost first."""
    while tb is not None:
        local = tb.tb_frame.f_locals
        if local.get("self") is not None:
            yield local["self"], local
        tb = tb.tb_next


def _shape_of(value) -> tuple | None:
    shape = getattr(value, "shape", value)
    try:
        return tuple(None if d is None else int(d) for d in shape)
    except (TypeError, ValueError):
        return None


def _received(frames: list[dict]) -> tuple | None:
    """The shape of the first input a layer was called with, from its own frames (Keras's
    ``__call__(*args)``, ``build(input_shape)``; PyTorch's ``_call_impl(*args)``,
    ``forward(input)``)."""
    for local in frames:
        args = local.get("args")
        if isinstance(args, tuple) and args and hasattr(args[0], "shape"):
            return _shape_of(args[0])
        for key in ("input", "inputs", "x", "input_shape"):
            if key in local and (shape := _shape_of(local[key])) is not None:
                return shape
    return None


def _pairs(value, n: int = 2) -> tuple:
    return tuple(value) if isinstance(value, (tuple, list)) else (value,) * n


def output_size(layer, size: tuple[int, ...]) -> tuple[int, ...] | None:
    """The spatial output size of a Keras or PyTorch convolution or pooling layer on an input
    of ``size`` (height, width), by the framework's own rule; None for other layers."""
    kernel = getattr(layer, "kernel_size", None) or getattr(layer, "pool_size", None)
    if kernel is None:
        return None
    kernel = _pairs(kernel)
    stride = _pairs(getattr(layer, "strides", None) or getattr(layer, "stride", None) or kernel)
    dilation = _pairs(getattr(layer, "dilation_rate", None) or getattr(layer, "dilation", None) or 1)
    padding = getattr(layer, "padding", 0)
    ceil = bool(getattr(layer, "ceil_mode", False))
    out = []
    for n, k, s, d in zip(size, kernel, stride, dilation):
        if padding == "same":  # Keras and PyTorch: ceil(n / s), empty only for an empty input
            out.append(-(-n // s))
            continue
        pad = 0 if padding == "valid" else 2 * _pairs(padding)[len(out)]
        span = n + pad - d * (k - 1) - 1
        length = (math.ceil(span / s) if ceil else span // s) + 1
        # PyTorch's ceil mode drops a last window that would start in the right padding.
        if ceil and (length - 1) * s >= n + pad // 2:
            length -= 1
        out.append(length)
    return tuple(out)


def describe(layer, name: str, received: tuple | None, channels_last: bool) -> FailingLayer:
    """``layer`` (called ``name``), which failed on an input of shape ``received`` (with its
    batch axis; channels last for Keras, first for PyTorch)."""
    size = None
    if received is not None and len(received) == 4:
        size = received[1:3] if channels_last else received[2:4]
    out = output_size(layer, size) if size is not None and None not in size else None
    return FailingLayer(name, type(layer).__name__, size,
                        None if out is None else any(n <= 0 for n in out) or any(n <= 0 for n in size))


def locate(exc: BaseException) -> FailingLayer | None:
    """The innermost Keras layer or PyTorch module on ``exc``'s traceback, or None."""
    frames = list(_frames(exc.__traceback__))
    keras_layers = [o for o, _ in frames if _is_keras_layer(o)]
    leaf = [o for o in keras_layers if not hasattr(o, "layers")]  # not a Model/Sequential
    if leaf:
        layer = leaf[-1]
        name = getattr(layer, "name", None)  # None when it failed in its own constructor
        if isinstance(name, str):
            return describe(layer, name, _received([f for o, f in frames if o is layer]), True)
    modules = [o for o, _ in frames if _is_torch_module(o)]
    if modules:
        inner, outer = modules[-1], modules[0]
        # A module does not know its own name: its outermost owner on the stack does.
        name = next((n for n, m in outer.named_modules() if m is inner and n), None)
        if name is not None:
            return describe(inner, name, _received([f for o, f in frames if o is inner]), False)
    return None


def one_line(exc: BaseException) -> str:
    """The framework's own message, first meaningful line only (PyTorch's fx adds the graph
    node it was executing; Keras may add the arguments it received)."""
    for line in str(exc).splitlines():
        line = line.strip()
        if line and not line.startswith("Exception encountered when calling"):
            return line
    return type(exc).__name__


def error(failing: FailingLayer, exc: BaseException, model: str, shape: tuple[int, int, int],
          default: tuple[int, int, int] | None = None) -> CnnguideError:
    """The error to raise for ``exc``, raised in ``failing`` while ``model`` met an input of
    ``shape``: "too small" when the layer's output would be empty, else the framework's words.
    The result keeps ``failing`` (``.failing``) so a caller can word it again."""
    where = f"layer {failing.name!r} ({failing.kind})"
    if failing.empty:
        hint = f", e.g. the default {format_shape(default)}" if default else ""
        result: CnnguideError = InputShapeError(
            f"An input of {format_shape(shape)} is too small for {model}: {where} would have an "
            f"empty output. Use a larger input{hint}.")
    else:
        result = LayerError(f"{model} fails at {where} on a {format_shape(shape)} input: "
                            f"{type(exc).__name__}: {one_line(exc)}")
    result.failing = failing  # type: ignore[attr-defined]
    return result
