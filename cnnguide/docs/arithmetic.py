"""Layer arithmetic that several pages share: a paper's counterfactual convolution set beside a
real one, the receptive field of a stack, and a built model's rows under another model's names.

Each follows the arithmetic of a built layer (:func:`cnnguide.render.tables.parameter_formula`,
:func:`cnnguide.inspect.view.macs`), so the pages write both sides of a comparison with the
same formulas.
"""

from __future__ import annotations

from dataclasses import replace

from ..errors import CnnguideError
from ..inspect import ModelView
from ..inspect.view import Layer
from .models import computed, meta_view


def receptive_fields(view) -> list[tuple[str, int, int]]:
    """(layer, receptive field, jump) for every convolution and pooling, walking from the input.

    A k x k layer widens the field by (k - 1) x jump input pixels, where jump is the distance in
    input pixels between neighbouring outputs of the layer before; a stride multiplies it.
    """
    field, jump, found = 1, 1, []
    for row in view.layers:
        if row.kernel_size:
            field += (row.kernel_size[0] - 1) * jump
            jump *= row.strides[0]
            found.append((row.name, field, jump))
    return found


def convolution(like: Layer, *, kernel: int | None = None, reads: int | None = None,
                units: int | None = None, groups: int | None = None) -> Layer:
    """The convolution a paper weighs against a real one: ``like``'s output positions, stride
    and bias, with another square kernel, other input channels (``reads``), other filters
    (``units``) or other groups. Section 2.3's one 7x7 layer against three 3x3 layers is one;
    so are AlexNet's layers without their groups and GoogLeNet's branches without their 1x1
    reductions. Its parameters and MACs follow the arithmetic of a built layer
    (:func:`cnnguide.render.tables.parameter_formula`, :func:`cnnguide.inspect.view.macs`), so
    the pages write both sides of a comparison with the same formulas."""
    kernel = kernel or like.kernel_size[0]
    reads, units = reads or like.input_shape[-1], units or like.units
    groups = groups or like.groups
    weights = kernel * kernel * (reads // groups) * units
    return replace(like, input_shape=(*like.input_shape[:-1], reads), output_shape=(*like.output_shape[:-1], units),
                   trainable=weights + units * like.bias, non_trainable=0, kernel_size=(kernel, kernel),
                   groups=groups, kernel_elements=weights)


def sized_view(name: str, input_shape: tuple[int, int, int]) -> ModelView:
    """Model ``name`` built for another input size: the PyTorch build on the meta device (no
    weight drawn), cached like a record, so that a warm build imports no framework. What a
    network costs at another size follows from its rows; both frameworks agree on them at the
    site's size, where the records prove it."""
    return ModelView.from_dict(computed("input_size_view", name, {"input_shape": tuple(input_shape)},
                                        lambda: meta_view(name, input_shape=input_shape).to_dict()))


def same_rows(view, other) -> dict:
    """``other``'s rows under ``view``'s names: the two are built from one configuration table,
    so their rows agree position by position (a meta-device view carries PyTorch's names)."""
    if [row.kind for row in view.layers] != [row.kind for row in other.layers]:
        raise CnnguideError(f"{view.name} and {other.name} do not have the same layers.")
    return {row.name: twin for row, twin in zip(view.layers, other.layers)}
