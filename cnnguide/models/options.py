"""Builder options: what each one accepts, declared once for every model and both frameworks
(no framework here).

Why one table: an option checked only where a framework happens to use it is checked
differently in each framework, or not at all: a string ``"False"`` is truthy, so
``aux_logits="False"`` built GoogLeNet's auxiliary heads; ``classes=0`` built a PyTorch model
with no outputs while Keras failed deep inside a layer. :func:`check` runs in
``cnnguide.build`` before either framework's builder, so both refuse the same values with the
same :class:`~cnnguide.errors.OptionError`. Defaults stay in the builders' signatures (they
differ by model: ten LeNet classes, a thousand ImageNet ones); choices that differ by model
(LeNet's activations are not AlexNet's) are listed in the catalog, ``ModelEntry.options``.

The builders still call :func:`choose` for the options that pick a layer or a table, so a
builder called directly (``from cnnguide.models.torch.lenet import lenet5``) refuses a bad
choice with the same words.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Mapping, TypeVar

from ..errors import OptionError
from .padding import PADDINGS

if TYPE_CHECKING:
    from ..catalog import ModelEntry

T = TypeVar("T")

CLASSIFIER_ACTIVATIONS = ("softmax", None)


def _offered(values) -> str:
    return ", ".join(repr(v) for v in values)


def choose(option: str, value: object, choices: Mapping[str, T]) -> T:
    """Return ``choices[value]``, or raise an OptionError that lists the values on offer."""
    try:
        return choices[value]  # type: ignore[index]
    except (KeyError, TypeError):
        raise OptionError(f"{option}={value!r} is not offered: use one of {_offered(choices)}.") from None


@dataclass(frozen=True)
class Option:
    """What one option accepts. ``kind`` is "choice" (one of ``choices``, or of the model's
    catalog entry when ``choices`` is None), "bool", "count" (a whole number >= 1) or
    "positive" (a finite real number > 0)."""

    kind: str
    meaning: str
    choices: tuple | None = None

    def allowed(self, entry_choices: tuple | None = None) -> str:
        """What to use instead, in words (the end of the error message)."""
        if self.kind == "choice":
            return f"one of {_offered(entry_choices or self.choices or ())}"
        return {"bool": "True or False (a bool, not a string or a number)",
                "count": "a whole number of at least 1",
                "positive": "a number greater than 0, e.g. 1e-05"}[self.kind]

    def normalize(self, value: Any, entry_choices: tuple | None = None) -> tuple[bool, Any]:
        """(accepted, the value as a plain Python value)."""
        if self.kind == "choice":
            # Compare type and value: True == 1 and 1.0 == 1 must not pass for each other.
            offered = entry_choices or self.choices or ()
            return any(type(value) is type(c) and value == c for c in offered), value
        if self.kind == "bool":
            return type(value) is bool, value
        if isinstance(value, bool):  # an int to Python, never a count or a size to a reader
            return False, value
        if self.kind == "count":  # NumPy integers pass, as plain ints (Keras checks int)
            ok = isinstance(value, numbers.Integral) and value >= 1
            return ok, int(value) if ok else value
        ok = isinstance(value, numbers.Real) and math.isfinite(value) and value > 0
        return ok, float(value) if ok else value


# Every option of every builder (tests/test_options.py checks that none is missing).
OPTIONS: dict[str, Option] = {
    "activation": Option("choice", "the hidden layers' activation"),
    "pooling": Option("choice", "the subsampling layers' pooling"),
    "variant": Option("choice", "which published form of the network"),
    "version": Option("choice", "ResNet v1 (stride in the 1x1) or v1.5 (stride in the 3x3)"),
    "classifier_activation": Option("choice", "the last layer's activation (None: logits)",
                                    CLASSIFIER_ACTIVATIONS),
    "classes": Option("count", "the number of outputs"),
    "aux_logits": Option("bool", "GoogLeNet's two auxiliary classifiers"),
    "conv_bias": Option("bool", "biases in the convolutions before BatchNorm"),
    "include_top": Option("bool", "the pooling and dense classifier at the end"),
    "epsilon": Option("positive", "BatchNorm's epsilon"),
    "padding": Option("choice", "how stride-2 layers pad: TensorFlow's 'same' rule or symmetric",
                      PADDINGS),
    "alpha": Option("positive", "MobileNet's width multiplier: every layer's channels times alpha"),
    "groups": Option("count", "ResNeXt's cardinality: the groups of each bottleneck's 3x3 convolution"),
    "width_per_group": Option("count", "ResNeXt's channels per group in conv2_x (doubling with each stage)"),
    "se_reduction": Option("count", "squeeze-and-excitation's reduction ratio r (C / r channels inside)"),
    "growth_rate": Option("count", "DenseNet's growth rate k: the maps each layer adds"),
    "bottleneck": Option("bool", "DenseNet-B: a 1x1 convolution to 4k maps before each 3x3"),
    "compression": Option("positive", "DenseNet-C: the share theta of its maps a transition keeps, at most 1"),
}


def check(entry: "ModelEntry", options: Mapping[str, Any]) -> dict[str, Any]:
    """``options`` as plain Python values, or an OptionError for the first one not accepted.

    An option missing from :data:`OPTIONS` is refused too: a builder argument nobody declared
    would otherwise reach a framework unchecked.
    """
    checked = {}
    for name, value in options.items():
        spec = OPTIONS.get(name)
        if spec is None:
            raise OptionError(f"{entry.name}'s option {name!r} has no declared values "
                              "(cnnguide.models.options.OPTIONS): it cannot be checked.")
        entry_choices = tuple(entry.options[name]) if name in entry.options else None
        ok, checked[name] = spec.normalize(value, entry_choices)
        if not ok:
            raise OptionError(f"{name}={value!r} is not offered: use {spec.allowed(entry_choices)}.")
    return checked
