"""ResNet in PyTorch.

He, Zhang, Ren, Sun, "Deep Residual Learning for Image Recognition", CVPR 2016. Section 3.3 and
Table 1 give the networks; Figure 5 the two blocks. Structured like torchvision's resnet.py, with
the same attribute names (``conv1``, ``layer1.0.conv1``, ``downsample.0`` ...), so a torchvision
state_dict loads into these models unchanged. The stages and depths come from one table,
:mod:`cnnguide.models.resnet_configs`, which the Keras builder reads too.

Two choices are options because the literature has both:

* ``version="v1"`` (the paper): a downsampling bottleneck strides in its first 1x1 convolution.
  ``version="v1.5"`` (torchvision, and most code since): it strides in the 3x3 instead, which
  keeps more information and costs more multiply-adds. The parameters are the same.
* ``conv_bias`` / ``epsilon``: the paper's convolutions carry no bias (BatchNorm follows each
  one, so a bias would be cancelled); keras.applications keeps biases and uses epsilon 1.001e-5.

The shortcut is computed before the residual branch in ``forward``, in the order Keras builds
its layers, so both frameworks list the layers in the same order.
"""

from __future__ import annotations

from typing import Type

import torch
from torch import nn

from ...shapes import check_min_size
from .blocks import SqueezeExcitation
from ..options import CLASSIFIER_ACTIVATIONS, choose
from ..resnet_configs import (DEPTHS, EXPANSION, POST_MIN_SIZE, RESNEXT_50_32X4D, SE_REDUCTION, WIDTHS,
                              bottleneck_width, se_channels)

VERSIONS = {"v1": "1x1", "v1.5": "3x3"}


def conv3x3(in_planes: int, out_planes: int, stride: int = 1, bias: bool = False, groups: int = 1) -> nn.Conv2d:
    """3x3 convolution that keeps the size at stride 1 and halves it at stride 2."""
    return nn.Conv2d(in_planes, out_planes, kernel_size=3, stride=stride, padding=1, bias=bias, groups=groups)


def conv1x1(in_planes: int, out_planes: int, stride: int = 1, bias: bool = False) -> nn.Conv2d:
    return nn.Conv2d(in_planes, out_planes, kernel_size=1, stride=stride, bias=bias)


class BasicBlock(nn.Module):
    """Two 3x3 convolutions and an identity (or projection) shortcut: Figure 5, left."""

    expansion = EXPANSION["basic"]

    def __init__(self, inplanes: int, planes: int, stride: int = 1,
                 downsample: nn.Module | None = None, *, stride_on: str = "1x1",
                 bias: bool = False, epsilon: float = 1e-5) -> None:
        super().__init__()
        self.conv1 = conv3x3(inplanes, planes, stride, bias)
        self.bn1 = nn.BatchNorm2d(planes, eps=epsilon)
        self.relu = nn.ReLU(inplace=True)
        self.conv2 = conv3x3(planes, planes, bias=bias)
        self.bn2 = nn.BatchNorm2d(planes, eps=epsilon)
        self.downsample = downsample

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        identity = x if self.downsample is None else self.downsample(x)
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        # The skip connection: add a[l] to z[l+2], then apply the ReLU (Section 3.2, Eq. 1).
        return self.relu(out + identity)


# --8<-- [start:bottleneck]
class Bottleneck(nn.Module):
    """1x1 (reduce), 3x3, 1x1 (expand by 4) and a shortcut: Figure 5, right.

    ``groups`` and ``width_per_group``: ResNeXt's block (Xie et al. 2017, Figure 3c), its 3x3
    convolution split into groups, as torchvision's Bottleneck writes it. ``se_reduction``:
    SE-ResNet's (Hu et al. 2018, Figure 3), the expanded maps rescaled by squeeze-and-excitation
    before the shortcut is added."""

    expansion = EXPANSION["bottleneck"]

    def __init__(self, inplanes: int, planes: int, stride: int = 1,
                 downsample: nn.Module | None = None, *, stride_on: str = "1x1",
                 bias: bool = False, epsilon: float = 1e-5, groups: int = 1, width_per_group: int = 64,
                 se_reduction: int | None = None) -> None:
        super().__init__()
        stride_1x1, stride_3x3 = (stride, 1) if stride_on == "1x1" else (1, stride)
        width = bottleneck_width(planes, groups, width_per_group)
        self.conv1 = conv1x1(inplanes, width, stride_1x1, bias)
        self.bn1 = nn.BatchNorm2d(width, eps=epsilon)
        self.conv2 = conv3x3(width, width, stride_3x3, bias, groups)
        self.bn2 = nn.BatchNorm2d(width, eps=epsilon)
        self.conv3 = conv1x1(width, planes * self.expansion, bias=bias)
        self.bn3 = nn.BatchNorm2d(planes * self.expansion, eps=epsilon)
        expanded = planes * self.expansion
        self.se = SqueezeExcitation(expanded, se_channels(expanded, se_reduction)) if se_reduction else None
        self.relu = nn.ReLU(inplace=True)
        self.downsample = downsample

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        identity = x if self.downsample is None else self.downsample(x)
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.relu(self.bn2(self.conv2(out)))
        out = self.bn3(self.conv3(out))
        if self.se is not None:
            out = self.se(out)
        return self.relu(out + identity)
# --8<-- [end:bottleneck]


class ResNet(nn.Module):
    """conv1 - max pool - four stages of blocks (conv2_x ... conv5_x) - average pool - fc."""

    def __init__(
        self,
        block: Type[BasicBlock | Bottleneck],
        layers: tuple[int, ...],
        input_shape: tuple[int, int, int] = (224, 224, 3),
        *,
        version: str = "v1",
        conv_bias: bool = False,
        epsilon: float = 1e-5,
        include_top: bool = True,
        classes: int = 1000,
        classifier_activation: str | None = "softmax",
        **bottleneck,
    ) -> None:
        """``bottleneck``: the options only a bottleneck block has (ResNeXt's ``groups`` and
        ``width_per_group``, SE-ResNet's ``se_reduction``)."""
        super().__init__()
        self._bottleneck = bottleneck
        self._stride_on = choose("version", version, VERSIONS)
        choose("classifier_activation", classifier_activation, dict.fromkeys(CLASSIFIER_ACTIVATIONS))
        self._bias, self._epsilon = conv_bias, epsilon
        self.input_shape = tuple(input_shape)  # H x W x C, as the Keras model states it
        self.inplanes = 64
        self.conv1 = nn.Conv2d(input_shape[2], 64, kernel_size=7, stride=2, padding=3, bias=conv_bias)
        self.bn1 = nn.BatchNorm2d(64, eps=epsilon)
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(kernel_size=3, stride=2, padding=1)
        # layer1 ... layer4 are the paper's conv2_x ... conv5_x; all but the first halve the maps.
        self.layer1 = self._make_layer(block, WIDTHS[0], layers[0])
        self.layer2 = self._make_layer(block, WIDTHS[1], layers[1], stride=2)
        self.layer3 = self._make_layer(block, WIDTHS[2], layers[2], stride=2)
        self.layer4 = self._make_layer(block, WIDTHS[3], layers[3], stride=2)
        self.include_top = include_top
        if include_top:
            self.avgpool = nn.AdaptiveAvgPool2d(1)
            self.flatten = nn.Flatten()
            self.fc = nn.Linear(WIDTHS[-1] * block.expansion, classes)
            self.classifier_activation = (nn.Softmax(dim=1) if classifier_activation
                                          else nn.Identity())

    def _make_layer(self, block, planes: int, blocks: int, stride: int = 1) -> nn.Sequential:
        downsample = None
        if stride != 1 or self.inplanes != planes * block.expansion:
            # Projection shortcut (option B of Section 3.3) where the shape changes.
            downsample = nn.Sequential(
                conv1x1(self.inplanes, planes * block.expansion, stride, self._bias),
                nn.BatchNorm2d(planes * block.expansion, eps=self._epsilon),
            )
        options = dict(stride_on=self._stride_on, bias=self._bias, epsilon=self._epsilon, **self._bottleneck)
        layers = [block(self.inplanes, planes, stride, downsample, **options)]
        self.inplanes = planes * block.expansion
        layers += [block(self.inplanes, planes, **options) for _ in range(1, blocks)]
        return nn.Sequential(*layers)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
        if not self.include_top:
            return x
        x = self.flatten(self.avgpool(x))
        return self.classifier_activation(self.fc(x))


BLOCKS = {"basic": BasicBlock, "bottleneck": Bottleneck}
"""The block class of each kind in :data:`~cnnguide.models.resnet_configs.DEPTHS`."""


def _builder(depth: int):
    """A builder ``resnet<depth>(input_shape, **options)`` with its options spelled out (so
    cnnguide.build can check them), like torchvision's resnet18 ... resnet152."""
    kind, layers = DEPTHS[depth]
    block = BLOCKS[kind]

    def build(input_shape=(224, 224, 3), *, version="v1", conv_bias=False, epsilon=1e-5,
              include_top=True, classes=1000, classifier_activation="softmax") -> ResNet:
        return ResNet(block, layers, input_shape, version=version, conv_bias=conv_bias,
                      epsilon=epsilon, include_top=include_top, classes=classes,
                      classifier_activation=classifier_activation)

    build.__name__ = build.__qualname__ = f"resnet{depth}"
    build.__doc__ = f"ResNet-{depth}: {block.__name__}s, {layers} per stage (Table 1)."
    return build


resnet18, resnet34, resnet50, resnet101, resnet152 = (_builder(d) for d in DEPTHS)


# --8<-- [start:resnext]
def resnext50_32x4d(input_shape=(224, 224, 3), *, groups=RESNEXT_50_32X4D["groups"],
                    width_per_group=RESNEXT_50_32X4D["width_per_group"], version="v1.5", conv_bias=False,
                    epsilon=1e-5, include_top=True, classes=1000, classifier_activation="softmax") -> ResNet:
    """ResNeXt-50 (32x4d), Xie et al. 2017, Table 1: ResNet-50 with grouped 3x3 convolutions,
    torchvision's resnext50_32x4d. The paper strides in the 3x3 convolution (Section 4), so
    ``version`` defaults to "v1.5"."""
    return ResNet(Bottleneck, DEPTHS[50][1], input_shape, version=version, conv_bias=conv_bias, epsilon=epsilon,
                  include_top=include_top, classes=classes, classifier_activation=classifier_activation,
                  groups=groups, width_per_group=width_per_group)
# --8<-- [end:resnext]


# --8<-- [start:se_resnet]
def se_resnet50(input_shape=(224, 224, 3), *, se_reduction=SE_REDUCTION, version="v1", conv_bias=False,
                epsilon=1e-5, include_top=True, classes=1000, classifier_activation="softmax") -> ResNet:
    """SE-ResNet-50, Hu et al. 2018, Table 1: ResNet-50 with squeeze-and-excitation in every
    block, reduction ratio ``se_reduction``."""
    return ResNet(Bottleneck, DEPTHS[50][1], input_shape, version=version, conv_bias=conv_bias, epsilon=epsilon,
                  include_top=include_top, classes=classes, classifier_activation=classifier_activation,
                  se_reduction=se_reduction)
# --8<-- [end:se_resnet]


class PostResNet50(nn.Module):
    """The source post's construction: a frozen ResNet-50 without its top, then Flatten ->
    Dense 4096 (ReLU) -> Dense 1000 (softmax).

    The post takes keras.applications.ResNet50, whose convolutions carry biases and whose
    BatchNorm epsilon is 1.001e-5; this backbone is built the same way so both frameworks hold
    the same network.
    """

    def __init__(self, input_shape=(224, 224, 3), *, classes: int = 1000,
                 classifier_activation: str | None = "softmax") -> None:
        super().__init__()
        # The post's keras.applications.ResNet50 refuses smaller inputs: refuse them here too.
        check_min_size(input_shape, POST_MIN_SIZE, "resnet50_post", "keras.applications.ResNet50's limit")
        self.input_shape = tuple(input_shape)
        self.resnet50 = resnet50(input_shape, conv_bias=True, epsilon=1.001e-5, include_top=False)
        self.resnet50.requires_grad_(False)  # the post's base_model.trainable = False
        side = -(-input_shape[0] // 32), -(-input_shape[1] // 32)
        self.flatten = nn.Flatten()
        # 7 x 7 x 2048 = 100,352 inputs per unit: this one layer outweighs the whole backbone.
        self.fc1 = nn.Linear(side[0] * side[1] * 2048, 4096)
        self.relu = nn.ReLU(inplace=True)
        self.predictions = nn.Linear(4096, classes)
        self.classifier_activation = nn.Softmax(dim=1) if classifier_activation else nn.Identity()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.relu(self.fc1(self.flatten(self.resnet50(x))))
        return self.classifier_activation(self.predictions(x))


def resnet50_post(input_shape=(224, 224, 3), *, classes=1000,
                  classifier_activation="softmax") -> PostResNet50:
    return PostResNet50(input_shape, classes=classes, classifier_activation=classifier_activation)
