"""DenseNet's architectures: the one table both frameworks build from (no framework here).

Huang, Liu, van der Maaten, Weinberger, "Densely Connected Convolutional Networks", CVPR 2017,
Section 3 and Table 1. Each layer of a dense block takes the concatenation of every map before
it in the block, [x0, x1, ..., x(l-1)], and adds k new maps (the growth rate): the l-th layer
of a block reads k0 + k·(l - 1) maps. Between blocks, a transition layer (BN, ReLU, 1x1
convolution, 2x2 average pooling) halves the maps and, with compression, the channels.
"""

from __future__ import annotations

from ..errors import OptionError

GROWTH_RATE = 32
"""k, the maps each layer adds (Table 1: k = 32 for the ImageNet networks)."""

BN_SIZE = 4
"""DenseNet-B's bottleneck: a 1x1 convolution to 4k maps before each 3x3 (Section 3,
"Bottleneck layers")."""

COMPRESSION = 0.5
"""theta, the share of channels a transition layer keeps (Section 3, "Compression"; 0.5 in the
experiments: DenseNet-BC)."""

BLOCKS: dict[int, tuple[int, ...]] = {
    121: (6, 12, 24, 16),
    169: (6, 12, 32, 32),
    201: (6, 12, 48, 32),
    264: (6, 12, 64, 48),
}
"""Layers per dense block (Table 1). The number in the name counts the layers with weights:
DenseNet-121 = 1 (the first convolution) + 2 x 58 (each layer's 1x1 and 3x3) + 3 (the
transitions' 1x1) + 1 (the classifier)."""


def initial_channels(growth_rate: int = GROWTH_RATE) -> int:
    """The first convolution's maps: 2k ("Implementation Details": 2k convolutions of size 7x7)."""
    return 2 * growth_rate


def transition_channels(channels: int, compression: float = COMPRESSION) -> int:
    """The maps a transition layer keeps: floor(theta·m) of its m (Section 3)."""
    if not 0 < compression <= 1:
        raise OptionError(f"compression={compression!r} is not offered: use a number in (0, 1], "
                          "the share of channels a transition keeps (0.5 in the paper).")
    return int(channels * compression)
