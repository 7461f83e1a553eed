"""GoogLeNet (Inception v1) and its Inception modules in PyTorch.

Szegedy et al., "Going Deeper with Convolutions", CVPR 2015. Section 4 motivates the module
(Figure 2: (a) the naive version, (b) with 1x1 dimension reductions); Section 5 and Table 1 give
GoogLeNet, whose two auxiliary classifiers are described at the end of Section 5. Structured
like torchvision's googlenet.py, with its attribute names (``inception3a.branch2.1.conv``...), so
a torchvision state_dict loads into ``googlenet(variant="torchvision")`` unchanged.

``variant="paper"`` follows Table 1: convolutions with biases and ReLU, a 5x5 convolution in the
third branch. ``variant="torchvision"`` is torchvision's network: BatchNorm (epsilon 0.001) after
every convolution, which then drops its bias, and a 3x3 convolution where the paper has 5x5
(torchvision's source calls this a known bug kept for its pretrained weights).

The modules' filters come from one table, :mod:`cnnguide.models.inception_configs`, which the
Keras builder reads too; each module's input channels follow from the previous module's output.
"""

from __future__ import annotations

import torch
from torch import nn

from ..inception_configs import (CONV2, INCEPTIONS, MAX_POOL_AFTER, input_channels,
                                 output_channels)
from ..options import CLASSIFIER_ACTIVATIONS, choose

VARIANTS = {"paper": {"batch_norm": False, "branch3_kernel": 5},
            "torchvision": {"batch_norm": True, "branch3_kernel": 3}}

class BasicConv2d(nn.Module):
    """A convolution and its ReLU, with BatchNorm in between in the torchvision variant."""

    def __init__(self, in_channels: int, out_channels: int, *, batch_norm: bool = False, **kwargs) -> None:
        super().__init__()
        self.conv = nn.Conv2d(in_channels, out_channels, bias=not batch_norm, **kwargs)
        self.bn = nn.BatchNorm2d(out_channels, eps=0.001) if batch_norm else nn.Identity()
        self.relu = nn.ReLU(inplace=True)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.relu(self.bn(self.conv(x)))


class NaiveInception(nn.Module):
    """Figure 2(a): 1x1, 3x3 and 5x5 convolutions and a 3x3 max pool side by side, "same"
    padding everywhere so the four outputs can be stacked along the channels. As in the source
    post, the pooling branch ends in a 1x1 convolution."""

    def __init__(self, in_channels: int, ch1x1: int, ch3x3: int, ch5x5: int, pool_proj: int) -> None:
        super().__init__()
        self.branch1 = BasicConv2d(in_channels, ch1x1, kernel_size=1)
        self.branch2 = BasicConv2d(in_channels, ch3x3, kernel_size=3, padding=1)
        self.branch3 = BasicConv2d(in_channels, ch5x5, kernel_size=5, padding=2)
        self.branch4 = nn.Sequential(nn.MaxPool2d(3, stride=1, padding=1),
                                     BasicConv2d(in_channels, pool_proj, kernel_size=1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.cat([self.branch1(x), self.branch2(x), self.branch3(x), self.branch4(x)], 1)


class Inception(nn.Module):
    """Figure 2(b): 1x1 convolutions reduce the channels before the 3x3 and 5x5 convolutions,
    and project the pooled branch."""

    def __init__(self, in_channels: int, ch1x1: int, ch3x3red: int, ch3x3: int, ch5x5red: int,
                 ch5x5: int, pool_proj: int, *, batch_norm: bool = False, branch3_kernel: int = 5) -> None:
        super().__init__()
        conv = dict(batch_norm=batch_norm)
        self.branch1 = BasicConv2d(in_channels, ch1x1, kernel_size=1, **conv)
        self.branch2 = nn.Sequential(BasicConv2d(in_channels, ch3x3red, kernel_size=1, **conv),
                                     BasicConv2d(ch3x3red, ch3x3, kernel_size=3, padding=1, **conv))
        self.branch3 = nn.Sequential(
            BasicConv2d(in_channels, ch5x5red, kernel_size=1, **conv),
            BasicConv2d(ch5x5red, ch5x5, kernel_size=branch3_kernel, padding=branch3_kernel // 2, **conv))
        self.branch4 = nn.Sequential(nn.MaxPool2d(3, stride=1, padding=1, ceil_mode=True),
                                     BasicConv2d(in_channels, pool_proj, kernel_size=1, **conv))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.cat([self.branch1(x), self.branch2(x), self.branch3(x), self.branch4(x)], 1)


class InceptionAux(nn.Module):
    """An auxiliary classifier (end of Section 5): 5x5/3 average pool, 1x1 conv to 128,
    fully connected 1024 with 70% dropout, then the classes."""

    def __init__(self, in_channels: int, classes: int, *, batch_norm: bool = False,
                 map_size: tuple[int, int] = (14, 14)) -> None:
        super().__init__()
        self.avgpool = nn.AvgPool2d(5, stride=3)
        self.conv = BasicConv2d(in_channels, 128, kernel_size=1, batch_norm=batch_norm)
        self.flatten = nn.Flatten()
        # The paper's 4x4x128 on a 14x14 map; Keras's Flatten adapts to any input size, so this
        # layer must too, or the frameworks would build different networks. (At least 1: on a
        # map smaller than the 5x5 window the pooling refuses the input, as Keras's does.)
        pooled = [max((size - 5) // 3 + 1, 1) for size in map_size]
        self.fc1 = nn.Linear(128 * pooled[0] * pooled[1], 1024)
        self.relu = nn.ReLU(inplace=True)
        self.dropout = nn.Dropout(0.7)
        self.fc2 = nn.Linear(1024, classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.flatten(self.conv(self.avgpool(x)))
        return self.fc2(self.dropout(self.relu(self.fc1(x))))


def size_at_4a(size: int) -> int:
    """The height (or width) of the maps from inception (4a) to (4d) for an input of ``size``:
    conv1 (7x7/2, padding 3) halves it rounding up, then each of three 3x3/2 ceil-mode poolings
    halves it rounding down (224 -> 112 -> 56 -> 28 -> 14, Table 1)."""
    size = (size - 1) // 2 + 1
    for _ in range(3):
        size //= 2
    return size


class GoogLeNet(nn.Module):
    """Table 1, top to bottom. Returns the class scores, or (main, aux1, aux2) with aux_logits."""

    def __init__(self, input_shape=(224, 224, 3), *, variant: str = "paper", aux_logits: bool = False,
                 classes: int = 1000, classifier_activation: str | None = "softmax") -> None:
        super().__init__()
        options = choose("variant", variant, VARIANTS)
        choose("classifier_activation", classifier_activation, dict.fromkeys(CLASSIFIER_ACTIVATIONS))
        bn = dict(batch_norm=options["batch_norm"])
        self.input_shape = tuple(input_shape)
        self.aux_logits = aux_logits
        self.conv1 = BasicConv2d(input_shape[2], 64, kernel_size=7, stride=2, padding=3, **bn)
        # ceil_mode: 112 -> 56 -> 28 -> 14 -> 7, as Table 1 lists the sizes.
        self.maxpool1 = nn.MaxPool2d(3, stride=2, ceil_mode=True)
        self.conv2 = BasicConv2d(64, CONV2[0], kernel_size=1, **bn)
        self.conv3 = BasicConv2d(*CONV2, kernel_size=3, padding=1, **bn)
        self.maxpool2 = nn.MaxPool2d(3, stride=2, ceil_mode=True)
        for name in INCEPTIONS:  # 3a ... 5b, top to bottom
            module = Inception(input_channels(name), *INCEPTIONS[name], **options)
            self.add_module(f"inception{name}", module)
            if name in MAX_POOL_AFTER:  # maxpool3 after 3b, maxpool4 after 4e (torchvision's names)
                self.add_module(f"maxpool{name[0]}", nn.MaxPool2d(3, stride=2, ceil_mode=True))
        if aux_logits:
            map_size = (size_at_4a(input_shape[0]), size_at_4a(input_shape[1]))  # 4a to 4d: one size
            self.aux1 = InceptionAux(output_channels("4a"), classes, **bn, map_size=map_size)
            self.aux2 = InceptionAux(output_channels("4d"), classes, **bn, map_size=map_size)
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.flatten = nn.Flatten()
        self.dropout = nn.Dropout(0.4)
        self.fc = nn.Linear(output_channels("5b"), classes)
        self.classifier_activation = nn.Softmax(dim=1) if classifier_activation else nn.Identity()

    def forward(self, x: torch.Tensor):
        x = self.maxpool1(self.conv1(x))
        x = self.maxpool2(self.conv3(self.conv2(x)))
        x = self.maxpool3(self.inception3b(self.inception3a(x)))
        x = self.inception4a(x)
        aux1 = self.aux1(x) if self.aux_logits else None
        x = self.inception4d(self.inception4c(self.inception4b(x)))
        aux2 = self.aux2(x) if self.aux_logits else None
        x = self.maxpool4(self.inception4e(x))
        x = self.inception5b(self.inception5a(x))
        x = self.fc(self.dropout(self.flatten(self.avgpool(x))))
        main = self.classifier_activation(x)
        if self.aux_logits:
            return main, self.classifier_activation(aux1), self.classifier_activation(aux2)
        return main


class InceptionModel(nn.Module):
    """One Inception module as a whole model, so it can be summarised and compared."""

    def __init__(self, module: nn.Module, input_shape) -> None:
        super().__init__()
        self.input_shape = tuple(input_shape)
        self.module = module

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.module(x)


def googlenet(input_shape=(224, 224, 3), *, variant="paper", aux_logits=False, classes=1000,
              classifier_activation="softmax") -> GoogLeNet:
    """GoogLeNet as in Table 1 (or torchvision's variant)."""
    return GoogLeNet(input_shape, variant=variant, aux_logits=aux_logits, classes=classes,
                     classifier_activation=classifier_activation)


def inception_naive(input_shape=(224, 224, 3)) -> InceptionModel:
    """The source post's module: 1x1 (64), 3x3 (128), 5x5 (32), pool -> 1x1 (32), no reductions."""
    return InceptionModel(NaiveInception(input_shape[2], 64, 128, 32, 32), input_shape)


def inception_module(input_shape=(28, 28, 192)) -> InceptionModel:
    """GoogLeNet's inception (3a), with 1x1 reductions, on its 28x28x192 input (Table 1)."""
    return InceptionModel(Inception(input_shape[2], *INCEPTIONS["3a"]), input_shape)
