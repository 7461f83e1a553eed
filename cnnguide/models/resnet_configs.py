"""ResNet's architectures: the one table both frameworks build from (no framework here).

He, Zhang, Ren, Sun, "Deep Residual Learning for Image Recognition", CVPR 2016, Table 1. Every
network is conv1 (7x7, 64, stride 2), a 3x3 max pooling, four stages of residual blocks
(``conv2_x`` to ``conv5_x``) and a global average pooling with one fully connected layer. The
depths differ in the kind of block (Figure 5: "basic", two 3x3 convolutions; "bottleneck", 1x1
reduce, 3x3, 1x1 expand) and in how many blocks each stage stacks. The number in the name counts
the layers with parameters: conv1, every block's convolutions and the fully connected layer
(ResNet-18 = 1 + 2 x 8 + 1, ResNet-50 = 1 + 3 x 16 + 1).
"""

from __future__ import annotations

from ..errors import OptionError

WIDTHS = (64, 128, 256, 512)
"""Filters of the 3x3 convolutions in stages conv2_x to conv5_x; each stage after the first
halves the maps (its first block strides 2) and doubles the width."""

EXPANSION = {"basic": 1, "bottleneck": 4}
"""A block's output width over its stage's width: a bottleneck's last 1x1 gives back four times
the channels its first 1x1 took away (64 -> 256 in conv2_x), so the 3x3 works on a quarter."""

DEPTHS: dict[int, tuple[str, tuple[int, ...]]] = {
    18: ("basic", (2, 2, 2, 2)),
    34: ("basic", (3, 4, 6, 3)),
    50: ("bottleneck", (3, 4, 6, 3)),  # ResNet-34's stages, each basic block made a bottleneck
    101: ("bottleneck", (3, 4, 23, 3)),
    152: ("bottleneck", (3, 8, 36, 3)),
}
"""The block kind and the blocks per stage (conv2_x to conv5_x) of each depth."""

POST_MIN_SIZE = 32
"""The smallest height and width the source post's construction takes: keras.applications'
ResNet50 refuses anything smaller (its five stride-2 stages need a 1x1 map at the end). Both
frameworks refuse it, or PyTorch would build a network Keras cannot."""

# --- ResNet's descendants, as options of the same family --------------------------------------
# --8<-- [start:descendants]

RESNEXT_50_32X4D = {"groups": 32, "width_per_group": 4}
"""ResNeXt-50 (32x4d): Xie, Girshick, Dollar, Tu, He, "Aggregated Residual Transformations for
Deep Neural Networks", CVPR 2017, Table 1. ResNet-50's stages, with each bottleneck's 3x3
convolution split into 32 groups ("cardinality") of 4 channels per group in conv2_x (the width
doubles with the stage, as in ResNet): 128 channels where ResNet-50 has 64."""

SE_REDUCTION = 16
"""The squeeze-and-excitation block's reduction ratio r: Hu, Shen, Sun, "Squeeze-and-Excitation
Networks", CVPR 2018, Figure 3 and Table 1 (r = 16 throughout; the journal version's ablation of
r, Section 6.1, finds 16 a good balance of accuracy and cost)."""


def bottleneck_width(planes: int, groups: int = 1, width_per_group: int = 64) -> int:
    """Channels of a bottleneck's 1x1 reduction and 3x3 convolution: ``planes`` (the stage's
    width in :data:`WIDTHS`) for ResNet (1 group of 64), scaled by width_per_group / 64 and
    multiplied by the groups for ResNeXt, as torchvision writes it (conv2_x of 32x4d: 128)."""
    return int(planes * (width_per_group / 64.0)) * groups


def se_channels(channels: int, reduction: int = SE_REDUCTION) -> int:
    """Squeeze-and-excitation's bottleneck for a block of ``channels`` outputs: C / r (Figure 3)."""
    if channels // reduction < 1:
        raise OptionError(f"se_reduction={reduction} leaves no channel inside the squeeze-and-excitation "
                          f"of a block of {channels} channels: use at most {channels}.")
    return channels // reduction

# --8<-- [end:descendants]
