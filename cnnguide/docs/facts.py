"""Named facts for prose: ``{{ lenet5.params }}`` in a page becomes the computed number.

Grammar of a fact name:

* ``<model>.<attr>``: attr is ``params``, ``trainable``, ``non_trainable``, ``macs``, ``depth``,
  ``input`` or ``output`` of the model's view (both frameworks must agree on it), or a part of
  a shape: ``input_size`` / ``output_size`` (height x width, '28×28') and ``input_channels`` /
  ``output_channels`` (the last axis: channels, or a dense layer's units);
* ``<model>.<layer>.groups``: the groups of a convolution (1 for an ordinary one);
* ``<model>.<layer>.<attr>``: the same for one layer (``lenet5_post.C5.output``);
* ``paper.<study>.<figure>``: a figure from the catalog (``paper.lenet5.params``,
  ``paper.lenet5.C1.params``);
* ``digits.<attr>``: the experiments' digits (:mod:`cnnguide.experiments.digits`, which checks
  them against the file): ``count``, ``per_class``, ``held_out_per_class``, ``size`` (28×28)
  and ``padded`` (the 32×32 field LeNet-5 reads).

In a page, ``{{ lenet5.params }}`` renders the value and ``{{ 61,706 == lenet5.params }}``
renders the typed number after checking it against the value; both fail the build when the
fact is unknown or the check fails.
"""

from __future__ import annotations

from .. import catalog
from ..errors import CnnguideError
from ..render.labels import number
from ..shapes import format_shape
from .models import agreed_view

ATTRIBUTES = ("params", "trainable", "non_trainable", "macs", "depth", "input", "output",
              "input_size", "output_size", "input_channels", "output_channels", "groups")


def _attribute(obj, attr: str, fact: str):
    if attr not in ATTRIBUTES:
        raise CnnguideError(f"Fact {fact!r}: unknown attribute {attr!r}; use one of {', '.join(ATTRIBUTES)}.")
    if attr in ("input", "output"):
        return format_shape(getattr(obj, f"{attr}_shape"))
    # Prose names a part of a shape as often as the whole: "a 28×28 input", "120 channels".
    which, _, part = attr.partition("_")
    if part in ("size", "channels"):
        shape = getattr(obj, f"{which}_shape")
        if part == "channels":
            return shape[-1]
        if len(shape) != 3:
            raise CnnguideError(f"Fact {fact!r}: {format_shape(shape)} has no height x width.")
        return format_shape(shape[:2])
    if not hasattr(obj, attr):
        raise CnnguideError(f"Fact {fact!r}: {attr!r} belongs to a layer, not to a whole model.")
    return getattr(obj, attr)


def _site_view(name: str):
    """The view of model ``name`` as the site builds it (its catalog ``site_options``)."""
    entry = catalog.model(name)
    return agreed_view(entry.name, **entry.site_options)


def _digits(attr: str, fact: str):
    import math

    from ..experiments import digits
    from ..experiments.definitions import EXPERIMENTS

    side = math.isqrt(digits._table().shape[1] - 1)  # the file's pixel columns, then the label
    lenet = EXPERIMENTS["lenet5"].size
    known = {"count": digits.CLASSES * digits.PER_CLASS, "per_class": digits.PER_CLASS,
             "held_out_per_class": digits.HELD_OUT_PER_CLASS, "size": format_shape((side, side)),
             "padded": format_shape((lenet, lenet))}
    if attr not in known:
        raise CnnguideError(f"Fact {fact!r}: the digits have {', '.join(known)}.")
    return known[attr]


def value(fact: str):
    """The value a fact name stands for (an int, or a shape string such as '28x28x6')."""
    parts = fact.strip().split(".")
    if parts[0] == "paper" and len(parts) >= 3:  # figure keys may have dots: "C1.params"
        return catalog.study(parts[1]).figure(".".join(parts[2:])).value
    if parts[0] == "digits" and len(parts) == 2:
        return _digits(parts[1], fact)
    if len(parts) == 2:
        return _attribute(_site_view(parts[0]), parts[1], fact)
    if len(parts) == 3:
        view = _site_view(parts[0])
        return _attribute(view.layer(parts[1]), parts[2], fact)
    raise CnnguideError(
        f"Fact {fact!r} is not of the form model.attr, model.layer.attr or paper.study.figure."
    )


def render(fact: str) -> str:
    """The fact as prose shows it (numbers with thousands separators)."""
    found = value(fact)
    return number(found) if isinstance(found, (int, float)) and not isinstance(found, bool) else str(found)


def check(typed: str, fact: str) -> str:
    """Return ``typed`` if it states the fact's value, else raise (a claim that no longer holds)."""
    actual = render(fact)
    if typed.strip() != actual:
        raise CnnguideError(f"The page says {typed.strip()} for {fact}, but the code gives {actual}.")
    return typed.strip()
