"""GoogLeNet's Inception modules: the one table both frameworks build from (no framework here).

Szegedy et al., "Going Deeper with Convolutions", CVPR 2015, Table 1. Each Inception module runs
four branches side by side and stacks their outputs along the channels: a 1x1 convolution; a 1x1
reduction then a 3x3; a 1x1 reduction then a 5x5; a 3x3 max pooling then a 1x1 projection. The
table gives each branch's filters; a module's output depth is their sum, and that is the next
module's input, so only the first input (conv2's 192 channels) needs writing down.
"""

from __future__ import annotations

CONV2 = (64, 192)
"""conv2's #3x3 reduce and #3x3 (Table 1's second convolution row): inception (3a) sees 192
channels."""

INCEPTIONS: dict[str, tuple[int, int, int, int, int, int]] = {
    # #1x1, #3x3 reduce, #3x3, #5x5 reduce, #5x5, pool proj
    "3a": (64, 96, 128, 16, 32, 32),
    "3b": (128, 128, 192, 32, 96, 64),
    "4a": (192, 96, 208, 16, 48, 64),
    "4b": (160, 112, 224, 24, 64, 64),
    "4c": (128, 128, 256, 24, 64, 64),
    "4d": (112, 144, 288, 32, 64, 64),
    "4e": (256, 160, 320, 32, 128, 128),
    "5a": (256, 160, 320, 32, 128, 128),
    "5b": (384, 192, 384, 48, 128, 128),
}
"""Each Inception module's filters, in the order of Table 1 (3a to 5b)."""

MAX_POOL_AFTER = ("3b", "4e")
"""The modules followed by a 3x3/2 max pooling (28 -> 14 after 3b, 14 -> 7 after 4e): pool3
and pool4, named after the stage they close."""

AUXILIARY_AFTER = ("4a", "4d")
"""Where the two auxiliary classifiers branch off (Section 5; not in Table 1)."""


def output_channels(name: str) -> int:
    """Depth of a module's output: its four branches stacked (#1x1 + #3x3 + #5x5 + pool proj)."""
    ch1x1, _, ch3x3, _, ch5x5, pool_proj = INCEPTIONS[name]
    return ch1x1 + ch3x3 + ch5x5 + pool_proj


def input_channels(name: str) -> int:
    """Depth of a module's input: conv2's output for (3a), else the previous module's output
    (a max pooling in between keeps the depth)."""
    names = list(INCEPTIONS)
    index = names.index(name)
    return CONV2[1] if index == 0 else output_channels(names[index - 1])
