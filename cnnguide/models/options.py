"""Validation of builder options, shared by the Keras and PyTorch builders (no framework here)."""

from __future__ import annotations

from typing import Mapping, TypeVar

from ..errors import OptionError

T = TypeVar("T")


def choose(option: str, value: object, choices: Mapping[str, T]) -> T:
    """Return ``choices[value]``, or raise an OptionError that lists the values on offer."""
    try:
        return choices[value]  # type: ignore[index]
    except (KeyError, TypeError):
        offered = ", ".join(repr(c) for c in choices)
        raise OptionError(f"{option}={value!r} is not offered: use one of {offered}.") from None


CLASSIFIER_ACTIVATIONS = ("softmax", None)
