"""DenseNet in PyTorch.

Huang, Liu, van der Maaten, Weinberger, "Densely Connected Convolutional Networks", CVPR 2017.
Section 3 gives the layers (dense connectivity, the growth rate, bottleneck and compression),
Table 1 the ImageNet networks. Structured like torchvision's densenet.py, with the same
attribute names (``features.denseblock1.denselayer1.conv1``, ``features.transition1.conv``,
``classifier``). The table both frameworks build from is :mod:`cnnguide.models.densenet_configs`.

Each layer returns its input with its k new maps concatenated after it, so a dense block is a
plain ``nn.Sequential``: the l-th layer receives [x0, x1, ..., x(l-1)] as one tensor. torchvision
keeps a list of the maps instead and concatenates them inside each layer, which can save memory
in training with checkpointing (Pleiss et al. 2017); the arithmetic is the same.
"""

from __future__ import annotations

import torch
from torch import nn

from ..densenet_configs import BLOCKS, BN_SIZE, COMPRESSION, GROWTH_RATE, initial_channels, transition_channels
from ..options import CLASSIFIER_ACTIVATIONS, choose


class DenseLayer(nn.Module):
    """BN-ReLU-Conv(1x1, 4k)-BN-ReLU-Conv(3x3, k) (DenseNet-B; without ``bottleneck``, only
    the 3x3), and its k new maps concatenated after all the maps it read."""

    def __init__(self, in_channels: int, growth_rate: int, bottleneck: bool = True, epsilon: float = 1e-5) -> None:
        super().__init__()
        self.norm1 = nn.BatchNorm2d(in_channels, eps=epsilon)
        self.relu1 = nn.ReLU(inplace=True)
        width = in_channels
        if bottleneck:
            width = BN_SIZE * growth_rate
            self.conv1 = nn.Conv2d(in_channels, width, kernel_size=1, bias=False)
            self.norm2 = nn.BatchNorm2d(width, eps=epsilon)
            self.relu2 = nn.ReLU(inplace=True)
        self.bottleneck = bottleneck
        self.conv2 = nn.Conv2d(width, growth_rate, kernel_size=3, padding=1, bias=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = self.relu1(self.norm1(x))
        if self.bottleneck:
            y = self.relu2(self.norm2(self.conv1(y)))
        return torch.cat([x, self.conv2(y)], dim=1)  # x_l = H_l([x0, ..., x(l-1)])


class Transition(nn.Sequential):
    """BN-ReLU-Conv(1x1) to theta·m maps, then 2x2 average pooling at stride 2 (Section 3)."""

    def __init__(self, in_channels: int, compression: float, epsilon: float = 1e-5) -> None:
        out_channels = transition_channels(in_channels, compression)
        super().__init__()
        self.norm = nn.BatchNorm2d(in_channels, eps=epsilon)
        self.relu = nn.ReLU(inplace=True)
        self.conv = nn.Conv2d(in_channels, out_channels, kernel_size=1, bias=False)
        self.pool = nn.AvgPool2d(kernel_size=2, stride=2)


class DenseNet(nn.Module):
    """7x7 convolution - max pool - dense blocks with transitions between - BN, ReLU - global
    average pool - fully connected (Table 1)."""

    def __init__(self, blocks: tuple[int, ...], input_shape=(224, 224, 3), *, growth_rate: int = GROWTH_RATE,
                 bottleneck: bool = True, compression: float = COMPRESSION, epsilon: float = 1e-5,
                 include_top: bool = True, classes: int = 1000,
                 classifier_activation: str | None = "softmax") -> None:
        super().__init__()
        choose("classifier_activation", classifier_activation, dict.fromkeys(CLASSIFIER_ACTIVATIONS))
        self.input_shape = tuple(input_shape)  # H x W x C, as the Keras model states it
        channels = initial_channels(growth_rate)
        self.features = nn.Sequential()
        self.features.add_module("conv0", nn.Conv2d(input_shape[2], channels, kernel_size=7, stride=2, padding=3,
                                                    bias=False))
        self.features.add_module("norm0", nn.BatchNorm2d(channels, eps=epsilon))
        self.features.add_module("relu0", nn.ReLU(inplace=True))
        self.features.add_module("pool0", nn.MaxPool2d(kernel_size=3, stride=2, padding=1))
        for i, count in enumerate(blocks, start=1):
            block = nn.Sequential()
            for j in range(1, count + 1):
                block.add_module(f"denselayer{j}", DenseLayer(channels, growth_rate, bottleneck, epsilon))
                channels += growth_rate  # the block grows by k maps per layer
            self.features.add_module(f"denseblock{i}", block)
            if i < len(blocks):
                self.features.add_module(f"transition{i}", Transition(channels, compression, epsilon))
                channels = transition_channels(channels, compression)
        self.features.add_module("norm5", nn.BatchNorm2d(channels, eps=epsilon))
        self.features.add_module("relu5", nn.ReLU(inplace=True))
        self.include_top = include_top
        if include_top:
            self.avgpool = nn.AdaptiveAvgPool2d(1)
            self.flatten = nn.Flatten()
            self.classifier = nn.Linear(channels, classes)
            self.classifier_activation = nn.Softmax(dim=1) if classifier_activation else nn.Identity()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.features(x)
        if not self.include_top:
            return x
        return self.classifier_activation(self.classifier(self.flatten(self.avgpool(x))))


def densenet121(input_shape=(224, 224, 3), *, growth_rate=GROWTH_RATE, bottleneck=True, compression=COMPRESSION,
                epsilon=1e-5, include_top=True, classes=1000, classifier_activation="softmax") -> DenseNet:
    """DenseNet-121 (DenseNet-BC, k = 32), Table 1: dense blocks of 6, 12, 24 and 16 layers."""
    return DenseNet(BLOCKS[121], input_shape, growth_rate=growth_rate, bottleneck=bottleneck,
                    compression=compression, epsilon=epsilon, include_top=include_top, classes=classes,
                    classifier_activation=classifier_activation)
