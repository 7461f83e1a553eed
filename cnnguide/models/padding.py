"""Where a strided layer pads: TensorFlow's "same" rule, or symmetric (no framework here).

TensorFlow's ``padding="same"`` pads a layer so that its output is ceil(n / stride) wide,
splitting the total padding with the odd one at the bottom/right. At stride 1 with an odd
kernel that is k // 2 on each side, as PyTorch's ``padding=k // 2``; at stride 2 on an *even*
map it is one row and column fewer at the top/left: a 3x3 convolution on 224 x 224 pads
(0, 1), not (1, 1), and its windows start one pixel later. Both give 112 x 112 maps but not the
same numbers. So models that must agree across frameworks pad explicitly, with amounts computed
here from the map size, which both builders know when they build.

keras.applications (and the papers' own TensorFlow code) follow the "tensorflow" rule;
torchvision and timm (except their ``tf_`` ports) pad symmetrically.
"""

from __future__ import annotations

PADDINGS = ("tensorflow", "symmetric")
"""The values of the ``padding`` option, in the order the catalog lists them."""


def same_padding(size: tuple[int, int], kernel: int, stride: int) -> tuple[tuple[int, int], tuple[int, int]]:
    """TensorFlow's "same" padding of a ``kernel`` x ``kernel`` layer at ``stride`` on a map of
    ``size`` (height, width), as ((top, bottom), (left, right))."""
    pads = []
    for n in size:
        out = -(-n // stride)  # ceil(n / stride)
        total = max((out - 1) * stride + kernel - n, 0)
        pads.append((total // 2, total - total // 2))
    return pads[0], pads[1]


def padding_for(rule: str, size: tuple[int, int], kernel: int, stride: int
                ) -> tuple[tuple[int, int], tuple[int, int]]:
    """The padding ``rule`` ("tensorflow" or "symmetric") gives a strided layer, as
    ((top, bottom), (left, right)); either way the output is ceil(n / stride) wide."""
    if rule == "symmetric":
        return (kernel // 2, kernel // 2), (kernel // 2, kernel // 2)
    return same_padding(size, kernel, stride)


def strided_size(size: tuple[int, int], stride: int) -> tuple[int, int]:
    """The map size after a padded layer at ``stride``: ceil(n / stride) under both rules."""
    return -(-size[0] // stride), -(-size[1] // stride)
