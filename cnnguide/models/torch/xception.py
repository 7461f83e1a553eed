"""Xception in PyTorch.

Chollet, "Xception: Deep Learning with Depthwise Separable Convolutions", CVPR 2017, Figure 5:
an entry flow, a middle flow repeated eight times and an exit flow of depthwise separable
convolutions, each followed by BatchNorm, with residual connections around every module but the
last. The flows come from one table, :mod:`cnnguide.models.xception_configs`, which the Keras
builder reads too.

torchvision has no Xception. This follows timm's ``legacy_xception`` (a port of the Keras
weights), with its attribute names (``conv1``, ``block1.rep.0.conv1`` = module 1, first
separable convolution's depthwise part, ``block1.skip`` ...), so a timm state_dict loads
unchanged. Where timm differs from Keras, this follows Keras (keras.applications is the
paper author's own code):

* Max pooling pads as TensorFlow's "same" does. On an odd map that is one pixel on each side,
  as timm's ``MaxPool2d(3, 2, padding=1)``; on an even map TensorFlow pads only the bottom and
  right, and timm's pooling windows start one pixel earlier. For a 299 x 299 input only one
  pooling sees an even map (module 2, at 74 x 74): there the two differ.
* BatchNorm's epsilon is an option, 1e-3 by default as in Keras (timm: PyTorch's 1e-5).
"""

from __future__ import annotations

import torch
from torch import nn

from ..options import CLASSIFIER_ACTIVATIONS, choose
from ..padding import strided_size
from ..xception_configs import HEAD, STEM, modules


class SeparableConv2d(nn.Sequential):
    """A depthwise 3x3 convolution (one filter per channel, ``groups=in_channels``), then a 1x1
    pointwise convolution that mixes the channels; no activation between them (Section 3)."""

    def __init__(self, in_channels: int, out_channels: int) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels, in_channels, 3, padding=1, groups=in_channels, bias=False)
        self.pointwise = nn.Conv2d(in_channels, out_channels, 1, bias=False)


def same_max_pool(size: tuple[int, int]) -> nn.MaxPool2d:
    """A 3x3 max pooling at stride 2 padded as TensorFlow's "same" pads a map of ``size``.

    On an odd side TensorFlow pads one pixel at each end: ``padding=1``. On an even side it pads
    one pixel at the far end only; with ``ceil_mode`` the last window runs one pixel off the
    edge instead, and PyTorch's max ignores what lies outside, as a max ignores TensorFlow's
    padding. (Zero padding would not do: the pooled maps come from BatchNorm and can be negative.)
    """
    return nn.MaxPool2d(3, stride=2, padding=(size[0] % 2, size[1] % 2), ceil_mode=True)


class Block(nn.Module):
    """One residual module of Figure 5 (timm's ``Block``): ``rep`` holds [ReLU, separable
    conv, BN] per separable convolution and, where the module downsamples, the max pooling;
    ``skip``/``skipbn`` are the 1x1 stride-2 shortcut (``None``: the identity)."""

    def __init__(self, in_channels: int, filters: tuple[int, ...], downsamples: bool,
                 size: tuple[int, int], *, starts_with_relu: bool = True, epsilon: float = 1e-3) -> None:
        super().__init__()
        if downsamples:
            self.skip = nn.Conv2d(in_channels, filters[-1], 1, stride=2, bias=False)
            self.skipbn = nn.BatchNorm2d(filters[-1], eps=epsilon)
        else:
            self.skip = None
        rep: list[nn.Module] = []
        for width in filters:
            # Not in place: the first ReLU reads the module's input, which the shortcut still needs.
            rep += [nn.ReLU(), SeparableConv2d(in_channels, width), nn.BatchNorm2d(width, eps=epsilon)]
            in_channels = width
        if not starts_with_relu:
            rep = rep[1:]
        if downsamples:
            rep.append(same_max_pool(size))
        self.rep = nn.Sequential(*rep)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        skip = x if self.skip is None else self.skipbn(self.skip(x))
        return self.rep(x) + skip


class Xception(nn.Module):
    """Entry flow (conv1, conv2, block1-3), middle flow (block4-11), exit flow (block12,
    conv3, conv4), global average pooling and the classifier (``fc``)."""

    def __init__(self, input_shape=(299, 299, 3), *, epsilon: float = 1e-3, include_top: bool = True,
                 classes: int = 1000, classifier_activation: str | None = "softmax") -> None:
        super().__init__()
        choose("classifier_activation", classifier_activation, dict.fromkeys(CLASSIFIER_ACTIVATIONS))
        self.input_shape = tuple(input_shape)  # H x W x C, as the Keras model states it
        (stem1, stride1), (stem2, stride2) = STEM
        # Two unpadded 3x3 convolutions (299 -> 149 -> 147).
        self.conv1 = nn.Conv2d(input_shape[2], stem1, 3, stride=stride1, bias=False)
        self.bn1 = nn.BatchNorm2d(stem1, eps=epsilon)
        self.act1 = nn.ReLU(inplace=True)
        self.conv2 = nn.Conv2d(stem1, stem2, 3, stride=stride2, bias=False)
        self.bn2 = nn.BatchNorm2d(stem2, eps=epsilon)
        self.act2 = nn.ReLU(inplace=True)
        size = tuple(((n - 3) // stride1 + 1 - 3) // stride2 + 1 for n in input_shape[:2])
        channels = stem2
        # block1 ... block12 (timm's names): entry flow, middle flow, exit flow's module.
        self.block_names = tuple(f"block{number}" for number in range(1, len(modules()) + 1))
        for name, spec in zip(self.block_names, modules()):
            block = Block(channels, spec.filters, spec.downsamples, size, epsilon=epsilon,
                          starts_with_relu=name != "block1")  # block1 reads act2's output
            self.add_module(name, block)
            channels = spec.filters[-1]
            if spec.downsamples:
                size = strided_size(size, 2)
        self.conv3 = SeparableConv2d(channels, HEAD[0])
        self.bn3 = nn.BatchNorm2d(HEAD[0], eps=epsilon)
        self.act3 = nn.ReLU(inplace=True)
        self.conv4 = SeparableConv2d(HEAD[0], HEAD[1])
        self.bn4 = nn.BatchNorm2d(HEAD[1], eps=epsilon)
        self.act4 = nn.ReLU(inplace=True)
        self.include_top = include_top
        if include_top:
            self.global_pool = nn.AdaptiveAvgPool2d(1)
            self.flatten = nn.Flatten()
            self.fc = nn.Linear(HEAD[1], classes)
            self.classifier_activation = (nn.Softmax(dim=1) if classifier_activation
                                          else nn.Identity())

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.act1(self.bn1(self.conv1(x)))
        x = self.act2(self.bn2(self.conv2(x)))
        for name in self.block_names:
            x = getattr(self, name)(x)
        x = self.act3(self.bn3(self.conv3(x)))
        x = self.act4(self.bn4(self.conv4(x)))
        if not self.include_top:
            return x
        x = self.flatten(self.global_pool(x))
        return self.classifier_activation(self.fc(x))


def xception(input_shape=(299, 299, 3), *, epsilon=1e-3, include_top=True, classes=1000,
             classifier_activation="softmax") -> Xception:
    """Xception, Figure 5. ``epsilon`` is BatchNorm's (1e-3 as Keras; timm's port: 1e-5)."""
    return Xception(input_shape, epsilon=epsilon, include_top=include_top, classes=classes,
                    classifier_activation=classifier_activation)
