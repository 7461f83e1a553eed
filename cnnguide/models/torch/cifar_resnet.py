"""The CIFAR-10 networks of He et al. (2016), plain and residual, in PyTorch.

The same network, names and options as :mod:`cnnguide.models.keras.cifar_resnet` (see that
module for the paper, Section 4.2, and the two places where it departs from it).

Weights start as Keras's initialisers would draw them (``kernel_initializer``: Glorot uniform,
or He normal truncated at two standard deviations; biases zero), not as PyTorch's defaults, so
that one network trains alike in either framework.
"""

from __future__ import annotations

import torch
from torch import nn

from ..options import CLASSIFIER_ACTIVATIONS, choose

ACTIVATIONS = {"relu": nn.ReLU, "tanh": nn.Tanh, "sigmoid": nn.Sigmoid}


def _glorot_uniform(weight: torch.Tensor) -> None:
    nn.init.xavier_uniform_(weight)


def _he_normal(weight: torch.Tensor) -> None:
    # Keras's HeNormal: a normal of standard deviation sqrt(2 / fan_in) truncated at two of its
    # standard deviations, widened by 1 / 0.8796 so the truncated draw keeps that deviation.
    fan_in = weight[0].numel()
    std = (2.0 / fan_in) ** 0.5 / 0.87962566103423978
    nn.init.trunc_normal_(weight, std=std, a=-2 * std, b=2 * std)


INITIALIZERS = {"glorot_uniform": _glorot_uniform, "he_normal": _he_normal}


def _conv3x3(in_channels: int, out_channels: int, stride: int, bias: bool) -> nn.Conv2d:
    return nn.Conv2d(in_channels, out_channels, 3, stride=stride, padding=1, bias=bias)


def _norm(channels: int, batch_norm: bool) -> nn.Module:
    return nn.BatchNorm2d(channels) if batch_norm else nn.Identity()


class Block(nn.Module):
    """Two 3x3 convolutions; with a shortcut, their output F(x) is added to x (Figure 2)."""

    def __init__(self, in_channels: int, width: int, stride: int, *, shortcut: bool, batch_norm: bool,
                 activation: type[nn.Module]) -> None:
        super().__init__()
        self.conv1 = _conv3x3(in_channels, width, stride, bias=not batch_norm)
        self.bn1 = _norm(width, batch_norm)
        self.act1 = activation()
        self.conv2 = _conv3x3(width, width, 1, bias=not batch_norm)
        self.bn2 = _norm(width, batch_norm)
        self.act2 = activation()
        self.shortcut = shortcut
        # A 1x1 projection where the shortcut changes the maps' size or width (option B).
        self.projection = None
        if shortcut and (stride > 1 or in_channels != width):
            self.projection = nn.Sequential(nn.Conv2d(in_channels, width, 1, stride=stride, bias=not batch_norm),
                                            _norm(width, batch_norm))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = self.bn2(self.conv2(self.act1(self.bn1(self.conv1(x)))))
        if self.shortcut:
            y = y + (x if self.projection is None else self.projection(x))
        return self.act2(y)


class CifarResNet(nn.Module):
    """The ``6n + 2``-layer network of Section 4.2, residual or plain."""

    def __init__(
        self,
        n: int = 3,
        *,
        shortcuts: bool = True,
        batch_norm: bool = True,
        activation: str = "relu",
        widths: tuple[int, int, int] = (16, 32, 64),
        kernel_initializer: str = "glorot_uniform",
        input_shape: tuple[int, int, int] = (32, 32, 3),
        classes: int = 10,
        classifier_activation: str | None = "softmax",
    ) -> None:
        super().__init__()
        Activation = choose("activation", activation, ACTIVATIONS)
        initialize = choose("kernel_initializer", kernel_initializer, INITIALIZERS)
        choose("classifier_activation", classifier_activation, dict.fromkeys(CLASSIFIER_ACTIVATIONS))
        self.input_shape = tuple(input_shape)
        self.conv1 = _conv3x3(input_shape[-1], widths[0], 1, bias=not batch_norm)
        self.bn1 = _norm(widths[0], batch_norm)
        self.act1 = Activation()
        blocks, channels = [], widths[0]
        for s, width in enumerate(widths):
            for b in range(n):
                stride = 2 if s > 0 and b == 0 else 1
                blocks.append(Block(channels, width, stride, shortcut=shortcuts, batch_norm=batch_norm,
                                    activation=Activation))
                channels = width
        self.blocks = nn.Sequential(*blocks)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.flatten = nn.Flatten()
        self.fc = nn.Linear(channels, classes)
        self.classifier_activation = nn.Softmax(dim=1) if classifier_activation else nn.Identity()
        for module in self.modules():
            if isinstance(module, (nn.Conv2d, nn.Linear)):
                initialize(module.weight)
                if module.bias is not None:
                    nn.init.zeros_(module.bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.blocks(self.act1(self.bn1(self.conv1(x))))
        return self.classifier_activation(self.fc(self.flatten(self.pool(x))))


def cifar_resnet(n: int = 3, **options) -> CifarResNet:
    """The ``6n + 2``-layer network of Section 4.2, residual (``shortcuts=True``) or plain."""
    return CifarResNet(n, **options)
