"""MobileNet v1 and v2 in PyTorch.

v1: Howard et al., "MobileNets: Efficient Convolutional Neural Networks for Mobile Vision
Applications", 2017, Table 1. v2: Sandler et al., "MobileNetV2: Inverted Residuals and Linear
Bottlenecks", CVPR 2018, Table 2. Both come from :mod:`cnnguide.models.mobilenet_configs`, which
the Keras builders read too.

torchvision has no MobileNet v1: that one follows timm's ``mobilenetv1_100``, with its attribute
names (``conv_stem``, ``bn1``, ``blocks.1.0.conv_dw`` = group 2, first block, depthwise
convolution; ``conv_pw``, ``bn2``; ``classifier``). v2 follows torchvision's ``mobilenet_v2``
(``features.0`` the stem, ``features.1`` ... ``features.17`` the blocks, ``features.2.conv.1.0``
= block 2's depthwise convolution, ``features.18`` the last 1x1 convolution, ``classifier.1``).
So a timm or torchvision state_dict loads unchanged.

The nonlinearity is ReLU6 (``nn.ReLU6``), as in the authors' code and both libraries.
``padding`` chooses how the stride-2 layers pad (:mod:`cnnguide.models.padding`): "tensorflow",
the default, as the authors' code and keras.applications; or "symmetric", as timm and
torchvision. TensorFlow pads an even map asymmetrically, so that is an explicit
``nn.ZeroPad2d`` before the convolution, computed from the map size the builder tracks.
``epsilon`` is BatchNorm's: 1e-3 by default, as Keras; timm and torchvision keep PyTorch's 1e-5.
``alpha`` is the width multiplier; the resolution multiplier is ``input_shape``.
"""

from __future__ import annotations

from collections import OrderedDict

import torch
from torch import nn

from ..mobilenet_configs import V1_STAGES, V1_STEM, V2_STEM, v1_blocks, v1_width, v2_blocks, v2_last, v2_width
from ..options import CLASSIFIER_ACTIVATIONS, choose
from ..padding import PADDINGS, padding_for, strided_size

V2_DROPOUT = 0.2


def padded(rule: str, size: tuple[int, int], kernel: int, stride: int) -> tuple[nn.Module | None, int]:
    """A convolution's padding: an explicit ``nn.ZeroPad2d`` where the rule pads unevenly (then
    the convolution pads nothing), else the convolution's own symmetric ``padding``."""
    if stride == 2:
        (top, bottom), (left, right) = padding_for(rule, size, kernel, stride)
        if (top, left) != (bottom, right):
            return nn.ZeroPad2d((left, right, top, bottom)), 0
    return None, kernel // 2


class Conv2dNormActivation(nn.Sequential):
    """Convolution, BatchNorm and ReLU6, numbered 0, 1, 2 as in torchvision; an explicit ``pad``
    first where needed (it has no weights, so a torchvision state_dict still loads)."""

    def __init__(self, in_channels: int, out_channels: int, kernel_size: int, *, stride: int = 1,
                 groups: int = 1, epsilon: float = 1e-3, rule: str = "symmetric",
                 size: tuple[int, int] = (0, 0)) -> None:
        pad, padding = padded(rule, size, kernel_size, stride)
        layers: OrderedDict[str, nn.Module] = OrderedDict([("pad", pad)] if pad else [])
        layers["0"] = nn.Conv2d(in_channels, out_channels, kernel_size, stride, padding, groups=groups, bias=False)
        layers["1"] = nn.BatchNorm2d(out_channels, eps=epsilon)
        layers["2"] = nn.ReLU6(inplace=True)
        super().__init__(layers)


class MobileNet(nn.Module):
    """What both versions share: their end, pooling to 1 x 1, the fully connected layer
    (``classifier``, after a dropout in v2) and the softmax (``classifier_activation``)."""

    def _head(self, features: int, classes: int, classifier_activation: str | None, dropout: float = 0.0) -> None:
        choose("classifier_activation", classifier_activation, dict.fromkeys(CLASSIFIER_ACTIVATIONS))
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.flatten = nn.Flatten()
        linear = nn.Linear(features, classes)
        self.classifier = nn.Sequential(nn.Dropout(dropout), linear) if dropout else linear
        self.classifier_activation = nn.Softmax(dim=1) if classifier_activation else nn.Identity()

    def head(self, x: torch.Tensor) -> torch.Tensor:
        return self.classifier_activation(self.classifier(self.flatten(self.avgpool(x))))


# --- MobileNet v1 ----------------------------------------------------------------------------

class DepthwiseSeparableConv(nn.Module):
    """Figure 3 (right), timm's ``DepthwiseSeparableConv``: a 3x3 depthwise convolution (one
    filter per channel: ``groups=in_channels``) that filters, BatchNorm, ReLU6; a 1x1 pointwise
    convolution that combines the channels, BatchNorm, ReLU6."""

    def __init__(self, in_channels: int, out_channels: int, stride: int, size: tuple[int, int], *,
                 rule: str, epsilon: float) -> None:
        super().__init__()
        self.pad, padding = padded(rule, size, 3, stride)
        self.conv_dw = nn.Conv2d(in_channels, in_channels, 3, stride, padding, groups=in_channels, bias=False)
        self.bn1 = nn.BatchNorm2d(in_channels, eps=epsilon)
        self.act1 = nn.ReLU6(inplace=True)
        self.conv_pw = nn.Conv2d(in_channels, out_channels, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(out_channels, eps=epsilon)
        self.act2 = nn.ReLU6(inplace=True)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.pad is not None:
            x = self.pad(x)
        x = self.act1(self.bn1(self.conv_dw(x)))
        return self.act2(self.bn2(self.conv_pw(x)))


class MobileNetV1(MobileNet):
    """``conv_stem`` (3x3, stride 2), ``blocks`` (Table 1's five groups of separable
    convolutions, by output size), average pooling and the fully connected ``classifier``."""

    def __init__(self, input_shape=(224, 224, 3), *, alpha: float = 1.0, padding: str = "tensorflow",
                 epsilon: float = 1e-3, classes: int = 1000, classifier_activation: str | None = "softmax") -> None:
        super().__init__()
        rule = choose("padding", padding, dict(zip(PADDINGS, PADDINGS)))
        self.input_shape = tuple(input_shape)  # H x W x C, as the Keras model states it
        size = tuple(input_shape[:2])
        channels = v1_width(V1_STEM, alpha)
        self.stem_pad, stem_padding = padded(rule, size, 3, 2)
        self.conv_stem = nn.Conv2d(input_shape[2], channels, 3, 2, stem_padding, bias=False)
        self.bn1 = nn.BatchNorm2d(channels, eps=epsilon)
        self.act1 = nn.ReLU6(inplace=True)
        size = strided_size(size, 2)
        stages: list[list[nn.Module]] = [[] for _ in V1_STAGES]
        for block in v1_blocks(alpha):
            stages[block.stage].append(DepthwiseSeparableConv(channels, block.filters, block.stride, size,
                                                              rule=rule, epsilon=epsilon))
            channels, size = block.filters, strided_size(size, block.stride)
        self.blocks = nn.Sequential(*(nn.Sequential(*stage) for stage in stages))
        self._head(channels, classes, classifier_activation)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.stem_pad is not None:
            x = self.stem_pad(x)
        x = self.act1(self.bn1(self.conv_stem(x)))
        return self.head(self.blocks(x))


def mobilenet_v1(input_shape=(224, 224, 3), *, alpha=1.0, padding="tensorflow", epsilon=1e-3,
                 classes=1000, classifier_activation="softmax") -> MobileNetV1:
    """MobileNet v1, Table 1, every layer thinned to ``alpha`` times its channels: 28 layers
    with weights, counting the depthwise and pointwise halves apart (Section 3.2)."""
    return MobileNetV1(input_shape, alpha=alpha, padding=padding, epsilon=epsilon, classes=classes,
                       classifier_activation=classifier_activation)


# --- MobileNet v2 ----------------------------------------------------------------------------

class InvertedResidual(nn.Module):
    """The bottleneck block of Table 1 (v2), torchvision's ``InvertedResidual``: ``conv`` holds
    the 1x1 expansion (none where t = 1), the 3x3 depthwise convolution, both with ReLU6, and
    the *linear* 1x1 projection with its BatchNorm and no activation (Section 3.2); the input is
    added back where stride and width allow (Section 3.3)."""

    def __init__(self, block, size: tuple[int, int], *, rule: str, epsilon: float) -> None:
        super().__init__()
        layers: list[nn.Module] = []
        if block.expansion != 1:
            layers.append(Conv2dNormActivation(block.in_channels, block.expanded, 1, epsilon=epsilon))
        layers += [
            Conv2dNormActivation(block.expanded, block.expanded, 3, stride=block.stride, groups=block.expanded,
                                 epsilon=epsilon, rule=rule, size=size),
            # Linear: a ReLU here would zero part of a narrow representation, and what it zeroes is lost.
            nn.Conv2d(block.expanded, block.out_channels, 1, bias=False),
            nn.BatchNorm2d(block.out_channels, eps=epsilon),
        ]
        self.conv = nn.Sequential(*layers)
        self.use_res_connect = block.residual

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.conv(x) if self.use_res_connect else self.conv(x)


class MobileNetV2(MobileNet):
    """``features`` (the stem, seventeen inverted residual blocks, the 1x1 convolution to 1280),
    average pooling and ``classifier`` (dropout, linear)."""

    def __init__(self, input_shape=(224, 224, 3), *, alpha: float = 1.0, padding: str = "tensorflow",
                 epsilon: float = 1e-3, classes: int = 1000, classifier_activation: str | None = "softmax") -> None:
        super().__init__()
        rule = choose("padding", padding, dict(zip(PADDINGS, PADDINGS)))
        self.input_shape = tuple(input_shape)
        size = tuple(input_shape[:2])
        features: list[nn.Module] = [Conv2dNormActivation(input_shape[2], v2_width(V2_STEM, alpha), 3, stride=2,
                                                          epsilon=epsilon, rule=rule, size=size)]
        size = strided_size(size, 2)
        for block in v2_blocks(alpha):
            features.append(InvertedResidual(block, size, rule=rule, epsilon=epsilon))
            size = strided_size(size, block.stride)
        features.append(Conv2dNormActivation(block.out_channels, v2_last(alpha), 1, epsilon=epsilon))
        self.features = nn.Sequential(*features)
        self._head(v2_last(alpha), classes, classifier_activation, dropout=V2_DROPOUT)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.features(x))


def mobilenet_v2(input_shape=(224, 224, 3), *, alpha=1.0, padding="tensorflow", epsilon=1e-3,
                 classes=1000, classifier_activation="softmax") -> MobileNetV2:
    """MobileNet v2, Table 2, widths scaled by ``alpha`` (to multiples of 8) except the last
    convolution's, which only grows (Section 4)."""
    return MobileNetV2(input_shape, alpha=alpha, padding=padding, epsilon=epsilon, classes=classes,
                       classifier_activation=classifier_activation)
