"""EfficientNet's baseline and its scaling: the one table both frameworks build from (no
framework here).

Tan and Le, "EfficientNet: Rethinking Model Scaling for Convolutional Neural Networks", ICML
2019. Table 1 is the baseline network, EfficientNet-B0: a 3x3 convolution, seven stages of
mobile inverted bottlenecks (MBConv, from MobileNetV2, with squeeze-and-excitation added), a
1x1 convolution, pooling and a fully connected layer; every activation is swish (SiLU).

Section 3.3 scales it with one *compound coefficient* phi: depth by alpha^phi, width by
beta^phi, resolution by gamma^phi, under alpha * beta^2 * gamma^2 ~ 2, so that the FLOPs grow
by about 2^phi (they grow linearly in depth and quadratically in width and resolution).
Section 4 fixes alpha, beta and gamma by a small grid search at phi = 1 and scales B0 up with
larger phi to obtain B1 ... B7. The released models (the authors' TensorFlow code, which
keras.applications and torchvision copy) use the rounded per-model multipliers in
:data:`VARIANTS`, not alpha^phi computed afresh.
"""

from __future__ import annotations

import math
from typing import NamedTuple

ALPHA, BETA, GAMMA = 1.2, 1.1, 1.15
"""Section 4 (Step 1): depth, width and resolution coefficients; alpha * beta^2 * gamma^2 = 1.92."""

STEM = 32
"""Stage 1 of Table 1: a 3x3 convolution with 32 filters at stride 2 (224 -> 112)."""


class Stage(NamedTuple):
    """One row of Table 1 (stages 2 to 8): the operator MBConv<expand_ratio>, its depthwise
    kernel, the stride of the stage's first block, its output channels and its layers."""

    expand_ratio: int
    kernel: int
    stride: int
    channels: int
    layers: int


STAGES = (
    Stage(1, 3, 1, 16, 1),   # MBConv1, k3x3, 112 x 112
    Stage(6, 3, 2, 24, 2),   # MBConv6, k3x3, 112 -> 56
    Stage(6, 5, 2, 40, 2),   # MBConv6, k5x5, 56 -> 28
    Stage(6, 3, 2, 80, 3),   # MBConv6, k3x3, 28 -> 14
    Stage(6, 5, 1, 112, 3),  # MBConv6, k5x5, 14 x 14
    Stage(6, 5, 2, 192, 4),  # MBConv6, k5x5, 14 -> 7
    Stage(6, 3, 1, 320, 1),  # MBConv6, k3x3, 7 x 7
)

HEAD = 1280
"""Stage 9 of Table 1: a 1x1 convolution to 1280 channels, then pooling and the classifier."""

SE_RATIO = 0.25
"""Squeeze-and-excitation squeezes to a quarter of the *block's input* channels (not of the
expanded ones): the authors' code, keras.applications and torchvision alike."""

DIVISOR = 8
"""Scaled widths are rounded to a multiple of 8 (see :func:`round_filters`)."""

DROP_CONNECT = 0.2
"""Stochastic depth ("drop connect") on the residual branches, rising linearly from 0 at the
first block to 0.2 at the last; only while training."""


class Variant(NamedTuple):
    """The multipliers of one released model: width (channels), depth (layers per stage),
    the input resolution, and the dropout rate before the classifier."""

    width: float
    depth: float
    resolution: int
    dropout: float


VARIANTS = {
    "b0": Variant(1.0, 1.0, 224, 0.2),
    "b1": Variant(1.0, 1.1, 240, 0.2),
    "b2": Variant(1.1, 1.2, 260, 0.3),
    "b3": Variant(1.2, 1.4, 300, 0.3),
    "b4": Variant(1.4, 1.8, 380, 0.4),
    "b5": Variant(1.6, 2.2, 456, 0.4),
    "b6": Variant(1.8, 2.6, 528, 0.5),
    "b7": Variant(2.0, 3.1, 600, 0.5),
}
"""B0 ... B7 as released with the paper (its official TensorFlow code, efficientnet_params),
and as keras.applications and torchvision build them."""


def round_filters(channels: int, width: float) -> int:
    """``channels`` scaled by ``width``, to the nearest multiple of :data:`DIVISOR`, never more
    than 10% below the exact product."""
    exact = channels * width
    rounded = max(DIVISOR, int(exact + DIVISOR / 2) // DIVISOR * DIVISOR)
    return int(rounded + DIVISOR if rounded < 0.9 * exact else rounded)


def round_repeats(layers: int, depth: float) -> int:
    """A stage's ``layers`` scaled by ``depth``, rounded up."""
    return int(math.ceil(layers * depth))


class Block(NamedTuple):
    """One MBConv block as built: ``name`` (keras.applications' "block2a" = stage 2 of the
    seven, first block), where it sits in torchvision's ``features`` (``stage``, ``index``),
    its channels in and out, its expansion, kernel and stride, and its stochastic-depth rate."""

    name: str
    stage: int
    index: int
    in_channels: int
    out_channels: int
    expand_ratio: int
    kernel: int
    stride: int
    drop_rate: float


def blocks(variant: str) -> list[Block]:
    """Every MBConv block of ``variant``, in order: Table 1's stages with the variant's width
    and depth applied. A stage's first block strides and changes the width; the rest keep both,
    so they can add their input back (the residual connection)."""
    scale = VARIANTS[variant]
    total = sum(round_repeats(s.layers, scale.depth) for s in STAGES)
    built: list[Block] = []
    channels = round_filters(STEM, scale.width)
    for stage, row in enumerate(STAGES, start=1):
        out = round_filters(row.channels, scale.width)
        for index in range(round_repeats(row.layers, scale.depth)):
            built.append(Block(
                name=f"block{stage}{chr(ord('a') + index)}", stage=stage, index=index,
                in_channels=channels if index == 0 else out, out_channels=out,
                expand_ratio=row.expand_ratio, kernel=row.kernel,
                stride=row.stride if index == 0 else 1,
                drop_rate=DROP_CONNECT * len(built) / total))
        channels = out
    return built


def head_channels(variant: str) -> int:
    """The final 1x1 convolution's width, scaled like every other."""
    return round_filters(HEAD, VARIANTS[variant].width)


def squeeze_channels(in_channels: int) -> int:
    """Squeeze-and-excitation's bottleneck width for a block reading ``in_channels``."""
    return max(1, int(in_channels * SE_RATIO))
