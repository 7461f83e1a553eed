"""CSPNet's architectures: the one table both frameworks build from (no framework here).

Wang, Liao, Wu, Chen, Hsieh, Yeh, "CSPNet: A New Backbone that can Enhance Learning Capability
of CNN", CVPR Workshops 2020, Section 3.1 (the cross-stage partial split, Figure 2) and Section
4 (CSPResNeXt-50 on ImageNet). A CSP stage splits its feature maps in two parts along the
channels: one part goes through the stage's blocks, the other crosses the stage untouched, and a
transition joins them again. The blocks see half the channels, so they cost about half.

The table follows PyTorch Image Models' ``cspresnext50`` (timm, ``timm/models/cspnet.py``), the
library model the site sets ours against: its stages compute the two parts with one 1x1
convolution and split its output (``conv_exp``), where the authors' Darknet configuration writes
two 1x1 convolutions; the two are the same arithmetic, since BatchNorm (and an activation,
where one follows) acts on each channel alone.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

STEM_WIDTH = 64
"""The stem's 7x7 convolution at stride 2 (then a 3x3 max pooling at stride 2), as ResNet's conv1."""


@dataclass(frozen=True)
class Stage:
    """One CSP stage: ``depth`` residual blocks on the part that goes through, ``width`` output
    channels, ``stride`` of its first (grouped 3x3) convolution."""

    depth: int
    width: int
    stride: int


CSPRESNEXT50 = (Stage(3, 256, 1), Stage(3, 512, 2), Stage(5, 1024, 2), Stage(2, 2048, 2))
"""CSPResNeXt-50's stages conv2_x to conv5_x: ResNeXt-50's widths, with one block fewer in
each stage (3, 3, 5, 2 against 3, 4, 6, 3), which the stages' own convolutions make up (timm's
``cspresnext50``; the authors' ``csresnext50.cfg``)."""

CARDINALITY = 32
"""Groups of every 3x3 convolution, ResNeXt's cardinality (Xie et al. 2017)."""

PART_RATIO = 0.5
"""The share of a stage's channels that goes through its blocks (the paper's gamma, Section
4.2's ablation; 0.5 in CSPResNeXt-50): the other part crosses the stage."""

LEAKY_SLOPE = 0.01
"""The slope of the leaky ReLU every activation uses (PyTorch's ``nn.LeakyReLU`` default, as
timm builds the network; the authors' Darknet uses 0.1)."""


def part_channels(width: int, ratio: float = PART_RATIO) -> int:
    """Channels of the part that goes through the blocks, of a stage ``width`` wide."""
    return int(round(width * ratio))


def check_groups(groups: int, stages: tuple[Stage, ...], stem: int = STEM_WIDTH) -> int:
    """``groups`` if it divides the channels of every grouped convolution (the blocks' 3x3 on
    their part, each downsampling 3x3 on the stage's input), else an OptionError."""
    from ..errors import OptionError

    channels = [part_channels(s.width) for s in stages]
    channels += [width for width, s in zip((stem,) + tuple(s.width for s in stages), stages) if s.stride > 1]
    common = math.gcd(*channels)
    if common % groups:
        widths = ", ".join(str(c) for c in sorted(set(channels)))
        raise OptionError(f"groups={groups} does not divide the channels of every grouped convolution ({widths}): "
                          f"use a divisor of {common} (the paper's cardinality is {CARDINALITY}).")
    return groups
