"""VGG's configurations: the one table both frameworks build from (no framework here).

Simonyan, Zisserman, "Very Deep Convolutional Networks for Large-Scale Image Recognition",
ICLR 2015, Table 1. Every configuration is five blocks of 3x3 convolutions, each block closed
by a 2x2 max pooling that halves the maps; the widths double block by block from 64 up to 512.
The configurations differ only in how many convolutions each block stacks. VGG-16 is the
paper's configuration D and VGG-19 its configuration E (16 and 19 weight layers: the
convolutions plus three fully connected layers). Like torchvision's ``cfgs``, but per block,
so that layer names can say where a layer sits (``block3_conv2``).
"""

from __future__ import annotations

WIDTHS = (64, 128, 256, 512, 512)
"""Filters of every convolution in blocks 1 to 5."""

CONFIGS: dict[str, tuple[int, ...]] = {
    "vgg16": (2, 2, 3, 3, 3),  # configuration D: 13 convolutions + 3 fully connected layers
    "vgg19": (2, 2, 4, 4, 4),  # configuration E: 16 convolutions + 3 fully connected layers
}
"""Convolutions per block, for each builder."""

FC_UNITS = 4096
"""Units of fc1 and fc2."""
