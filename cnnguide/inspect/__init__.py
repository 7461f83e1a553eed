"""The framework-neutral view of a built model: the one place that reads both frameworks' APIs.

``summarize(model)`` returns a :class:`ModelView` for a Keras model or a PyTorch module alike;
everything that shows or compares models (tables, diagrams, parity, the CLI) works on views.
"""

from __future__ import annotations

from ..errors import CnnguideError, InputShapeError
from ..shapes import check_input_shape
from .view import Layer, ModelView, macs

__all__ = ["Layer", "ModelView", "framework_of", "macs", "summarize"]


def framework_of(model: object) -> str:
    """'keras' or 'torch', judged from the model's class (without importing either framework)."""
    for cls in type(model).__mro__:
        root = cls.__module__.split(".")[0]
        if root in ("keras", "tensorflow", "tf_keras"):
            return "keras"
        if root == "torch":
            return "torch"
    raise CnnguideError(
        f"Expected a keras.Model or a torch.nn.Module, got {type(model).__name__}. "
        "Build one with cnnguide.build(name, framework=...)."
    )


def summarize(model, input_shape: tuple[int, int, int] | None = None) -> ModelView:
    """The neutral view of ``model``.

    A Keras model knows its input shape. A PyTorch module is run once, on ``input_shape``
    (H x W x C), or on the shape it was built for (cnnguide's modules record it as
    ``model.input_shape``).
    """
    if framework_of(model) == "keras":
        from .keras_view import view

        if input_shape is not None and tuple(input_shape) != tuple(model.input_shape[1:]):
            raise InputShapeError(
                f"Keras model {model.name!r} was built for {tuple(model.input_shape[1:])}; "
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
