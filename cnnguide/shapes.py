"""Input shapes: one convention (H x W x C) for both frameworks, checked before anything is built."""

from __future__ import annotations

import numbers

from .errors import InputShapeError


def check_input_shape(shape: object, *, what: str = "input_shape") -> tuple[int, int, int]:
    """Return ``shape`` as a tuple of three positive ints (height, width, channels).

    Raises InputShapeError saying what is wrong: not three numbers, a non-integer or a
    non-positive size, or a shape that looks channels-first (PyTorch's C x H x W).
    """
    if isinstance(shape, (str, bytes)) or not hasattr(shape, "__len__"):
        raise InputShapeError(
            f"{what} must be three numbers, height x width x channels, e.g. (32, 32, 1); "
            f"got {shape!r}."
        )
    dims = tuple(shape)  # type: ignore[arg-type]
    if len(dims) != 3:
        raise InputShapeError(
            f"{what} must have three entries, height x width x channels (no batch axis), "
            f"e.g. (32, 32, 1); got {len(dims)}: {dims!r}."
        )
    for label, value in zip(("height", "width", "channels"), dims):
        if isinstance(value, bool) or not isinstance(value, numbers.Integral):
            raise InputShapeError(
                f"{what} {label} must be a whole number; got {value!r} in {dims!r}."
            )
        if value <= 0:
            raise InputShapeError(f"{what} {label} must be positive; got {value} in {dims!r}.")
    height, width, channels = (int(v) for v in dims)
    if channels > 4 and height in (1, 3) and width > 4:
        raise InputShapeError(
            f"{what} {dims!r} looks channels-first (C x H x W, PyTorch's order). cnnguide "
            f"writes shapes as H x W x C in both frameworks: use {(width, channels, height)!r}."
        )
    return height, width, channels


def format_shape(shape: tuple[int, ...]) -> str:
    """``(28, 28, 6)`` -> ``"28×28×6"``; ``(84,)`` -> ``"84"`` (the multiplication sign, as print
    sets shapes)."""
    return "×".join(str(d) for d in shape)


def check_min_size(shape: tuple[int, int, int], minimum: int, model: str, why: str) -> None:
    """Refuse an input smaller than ``minimum`` in height or width, before anything is built.

    For limits that one framework imposes and the other would not notice: both builders call
    this, so both refuse the same sizes with the same message.
    """
    height, width = shape[0], shape[1]
    if height < minimum or width < minimum:
        raise InputShapeError(
            f"{model} takes inputs of at least {minimum}×{minimum} ({why}); got "
            f"{format_shape(tuple(shape))}."
        )
