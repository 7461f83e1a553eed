"""MobileNet v1 and v2: the tables both frameworks build from (no framework here).

v1: Howard et al., "MobileNets: Efficient Convolutional Neural Networks for Mobile Vision
Applications", arXiv:1704.04861, 2017, Table 1. A 3x3 convolution (32 filters, stride 2), then
thirteen depthwise separable convolutions (Figure 3: a 3x3 depthwise convolution and a 1x1
pointwise one, each followed by BatchNorm and a ReLU), a global average pooling and one fully
connected layer: 28 layers with weights (Section 3.2). The width multiplier alpha (Section 3.3)
thins every layer to alpha times its channels.

v2: Sandler et al., "MobileNetV2: Inverted Residuals and Linear Bottlenecks", CVPR 2018,
Table 2. A 3x3 convolution (32 filters, stride 2), seventeen bottleneck blocks (Table 1: a 1x1
expansion by t with ReLU6, a 3x3 depthwise convolution with ReLU6, a *linear* 1x1 projection;
an identity shortcut where stride and width allow, Figure 4), a 1x1 convolution to 1280, a global
average pooling and the classifier.
"""

from __future__ import annotations

from typing import NamedTuple

from ..errors import OptionError

V1_STEM = 32
V1_STAGES: tuple[tuple[int, int, int], ...] = (
    # (c: pointwise filters, n: blocks, s: stride of the first block's depthwise convolution)
    (64, 1, 1),
    (128, 2, 2),
    (256, 2, 2),
    (512, 6, 2),   # Table 1's "5x" rows after the first 512-wide block
    (1024, 2, 2),  # Table 1 prints the last depthwise convolution "s2"; its input and output
                   # sizes (7x7 both) and every implementation say stride 1, as here
)
"""Table 1 grouped by output size: each group's first block may halve the maps."""

V2_STEM = 32
V2_STAGES: tuple[tuple[int, int, int, int], ...] = (
    # (t: expansion factor, c: output channels, n: blocks, s: stride of the first block)
    (1, 16, 1, 1),
    (6, 24, 2, 2),
    (6, 32, 3, 2),
    (6, 64, 4, 2),
    (6, 96, 3, 1),
    (6, 160, 3, 2),
    (6, 320, 1, 1),
)
"""Table 2's bottleneck rows, as the paper writes them."""

V2_LAST = 1280
"""Table 2's last 1x1 convolution. "For multipliers less than one, we apply width multiplier to
all layers except the very last convolutional layer" (Section 6.1): it keeps 1280 below
alpha = 1 and grows above it."""


def v1_width(channels: int, alpha: float) -> int:
    """Section 3.3: "the number of input channels M becomes alpha M" (rounded down, as
    keras.applications; the paper's alphas give whole numbers). An alpha that leaves a layer
    without channels is refused: the narrowest layer, the first, needs alpha >= 1/32."""
    width = int(channels * alpha)
    if width < 1:
        raise OptionError(f"alpha={alpha!r} leaves a {channels}-channel layer of MobileNet v1 with "
                          f"int({channels} × {alpha!r}) = {width} channels: use alpha >= 1/{V1_STEM} "
                          f"({1 / V1_STEM}); the paper uses 1, 0.75, 0.5 and 0.25.")
    return width


class Separable(NamedTuple):
    """One depthwise separable convolution of Table 1, as built: its number (keras.applications'
    ``conv_dw_<number>``, 1 ... 13), where it sits in timm's ``blocks`` (``stage``, ``index``),
    its pointwise filters and the stride of its depthwise convolution."""

    number: int
    stage: int
    index: int
    filters: int
    stride: int


def v1_blocks(alpha: float = 1.0) -> list[Separable]:
    """The thirteen separable convolutions of Table 1, thinned by ``alpha``: a group's first
    block halves the maps (except the first group's), the others keep them."""
    built: list[Separable] = []
    for stage, (filters, repeats, stride) in enumerate(V1_STAGES):
        for index in range(repeats):
            built.append(Separable(len(built) + 1, stage, index, v1_width(filters, alpha),
                                   stride if index == 0 else 1))
    return built


def v2_width(channels: float, alpha: float = 1.0, divisor: int = 8) -> int:
    """alpha times ``channels``, rounded to a multiple of 8 but never 10% below it: the rule of
    the paper's TensorFlow code, which keras.applications and torchvision copy (``_make_divisible``)."""
    value = channels * alpha
    rounded = max(divisor, int(value + divisor / 2) // divisor * divisor)
    return rounded + divisor if rounded < 0.9 * value else rounded


def v2_last(alpha: float = 1.0) -> int:
    """The last 1x1 convolution's width: :data:`V2_LAST`, widened above alpha = 1 only."""
    return v2_width(V2_LAST, max(1.0, alpha))


class Bottleneck(NamedTuple):
    """One bottleneck block of Table 2, as built: its number (keras.applications' ``block_<number>``;
    block 0 is its ``expanded_conv``, torchvision's ``features.<number + 1>``), its channels in
    and out, expansion factor t and stride."""

    number: int
    in_channels: int
    out_channels: int
    expansion: int
    stride: int

    @property
    def expanded(self) -> int:
        """The inner width: t times the block's *input* channels (Section 4)."""
        return self.in_channels * self.expansion

    @property
    def residual(self) -> bool:
        """An identity shortcut joins the two bottlenecks where the shape allows (Figure 4d)."""
        return self.stride == 1 and self.in_channels == self.out_channels


def v2_blocks(alpha: float = 1.0) -> list[Bottleneck]:
    """The seventeen bottleneck blocks of Table 2, widths scaled by ``alpha``; only a row's
    first block strides."""
    built: list[Bottleneck] = []
    channels = v2_width(V2_STEM, alpha)
    for expansion, filters, repeats, stride in V2_STAGES:
        out = v2_width(filters, alpha)
        for index in range(repeats):
            built.append(Bottleneck(len(built), channels, out, expansion, stride if index == 0 else 1))
            channels = out
    return built
