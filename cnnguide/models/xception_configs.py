"""Xception's architecture: the one table both frameworks build from (no framework here).

Chollet, "Xception: Deep Learning with Depthwise Separable Convolutions", CVPR 2017, Figure 5.
The data goes through the *entry flow*, then through the *middle flow*, repeated eight times,
then through the *exit flow*. Apart from the entry flow's first two convolutions, every
convolution is a depthwise separable one (a 3x3 depthwise convolution, then a 1x1 pointwise
one, with no non-linearity between them: Section 3), every convolution is followed by
BatchNorm, and every module but the last is wrapped in a residual connection: an identity in
the middle flow, a 1x1 convolution at stride 2 where a module halves the maps.

Section 3 counts "36 convolutional layers forming the feature extraction base": the two plain
convolutions and 34 separable ones, as listed here (the 1x1 shortcut convolutions aside).
"""

from __future__ import annotations

from typing import NamedTuple

STEM = ((32, 2), (64, 1))
"""The entry flow's two 3x3 convolutions as (filters, stride). Neither pads ("valid"): a
299 x 299 image becomes 149 x 149, then 147 x 147."""


class Module(NamedTuple):
    """One residual module of Figure 5: its separable convolutions' filters, and whether it
    ends in a 3x3 max pooling at stride 2 (and then has a 1x1, stride-2 convolution as its
    shortcut, since the maps halve and widen)."""

    filters: tuple[int, ...]
    downsamples: bool


ENTRY_FLOW = (Module((128, 128), True), Module((256, 256), True), Module((728, 728), True))
"""The entry flow after its two convolutions: three modules, each halving the maps. The first
reads the stem's ReLU output, so it starts with a convolution; every later module starts with a
ReLU (Figure 5 writes ReLU before each separable convolution)."""

MIDDLE_REPEATS = 8
MIDDLE_FLOW = Module((728, 728, 728), False)
"""The middle flow's module, "repeated eight times": three separable convolutions of 728 filters
at 19 x 19 (for a 299 x 299 input) and an identity shortcut."""

EXIT_FLOW = Module((728, 1024), True)
"""The exit flow's residual module: it widens in its second convolution, then halves the maps."""

HEAD = (1536, 2048)
"""The exit flow's last two separable convolutions, each followed by a ReLU, before the global
average pooling (and the logistic regression layer)."""


def modules() -> tuple[Module, ...]:
    """Every residual module in order: 3 (entry), 8 (middle), 1 (exit). keras.applications
    numbers them block2 ... block13 (block1 is the two plain convolutions, block14 the head);
    timm's legacy_xception block1 ... block12."""
    return (*ENTRY_FLOW, *(MIDDLE_FLOW,) * MIDDLE_REPEATS, EXIT_FLOW)


def convolutional_layers() -> int:
    """The convolutions of the feature extraction base, counted as Section 3 counts them."""
    return len(STEM) + sum(len(m.filters) for m in modules()) + len(HEAD)

