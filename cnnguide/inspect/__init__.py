"""The framework-neutral view of a built model: the one place that reads both frameworks' APIs.

``summarize(model)`` returns a :class:`ModelView` for a Keras model or a PyTorch module alike;
everything that shows or compares models (tables, diagrams, parity, the CLI) works on views.
"""

from __future__ import annotations

from ..errors import CnnguideError, InputShapeError
from ..shapes import check_input_shape
from .view import Layer, ModelView, macs

__all__ = ["Layer", "ModelView", "framework_of", "macs", "summarize"]


_BUILD = "cnnguide.build(name, framework=...) builds one."


def framework_of(model: object) -> str:
    """'keras' or 'torch', judged from the model's class (without importing either framework).

    Only a Keras layer or a PyTorch module is a model; anything else from a framework (a
    tensor, most often: the model's input or output passed by mistake) is refused by name.
    """
    from .failures import _is_keras_layer, _is_torch_module

    if _is_keras_layer(model):
        return "keras"
    if _is_torch_module(model):
        return "torch"
    roots = {cls.__module__.split(".")[0] for cls in type(model).__mro__}
    what = type(model).__name__
    if "Tensor" in what and roots & {"torch", "tensorflow", "keras"}:
        what += " (a tensor: pass the model, not its input or output)"
    raise CnnguideError(f"Expected a keras.Model or a torch.nn.Module, got {what}; {_BUILD}")


def _keras_input_shape(model) -> tuple:
    """The H x W x C a Keras model was built for, or a CnnguideError saying why there is none."""
    if not hasattr(model, "layers"):  # a layer, not a Model or a Sequential
        raise CnnguideError(
            f"summarize() reads a whole model; got a Keras layer, {model.name!r} "
            f"({type(model).__name__}). Wrap it: keras.Sequential([keras.Input(shape=(height, "
            f"width, channels)), layer]); {_BUILD}")
    try:
        return tuple(model.input_shape[1:])
    except (AttributeError, ValueError, TypeError):
        # A Sequential model without an Input, or a subclassed model: no graph of layers yet.
        raise CnnguideError(
            f"Keras model {model.name!r} has no input shape yet, so it has no layers' graph to "
            "read. Start it with keras.Input(shape=(height, width, channels)) (a functional or "
            f"Sequential model; a subclassed model has no graph); {_BUILD}"
        ) from None


def summarize(model, input_shape: tuple[int, int, int] | None = None) -> ModelView:
    """The neutral view of ``model``.

    A Keras model knows its input shape. A PyTorch module is run once, on ``input_shape``
    (H x W x C), or on the shape it was built for (cnnguide's modules record it as
    ``model.input_shape``).
    """
    if framework_of(model) == "keras":
        from .. import frameworks
        from .keras_view import view

        frameworks.guard_triton()  # TensorFlow is loaded (the user's model): arm the guard
        built_for = _keras_input_shape(model)
        if input_shape is not None and tuple(input_shape) != built_for:
            raise InputShapeError(
                f"Keras model {model.name!r} was built for {built_for}; "
                f"got input_shape={tuple(input_shape)!r}. Build it again with that input_shape."
            )
        return view(model)
    from .torch_view import view

    built_for = getattr(model, "input_shape", None)
    shape = input_shape if input_shape is not None else built_for
    if shape is None:
        raise InputShapeError(
            f"{type(model).__name__} does not record its input shape: pass "
            "input_shape=(height, width, channels)."
        )
    shape = check_input_shape(shape)
    if built_for is not None and shape[2] != built_for[2]:
        raise InputShapeError(
            f"{type(model).__name__} was built for {built_for[2]} input channel(s); got "
            f"{shape[2]} in input_shape={shape!r}. Use {built_for[2]} channels, or build the "
            f"model with input_shape=({shape[0]}, {shape[1]}, {shape[2]})."
        )
    return view(model, shape)
