"""Blocks that more than one network of the site is made of, in PyTorch (the same in
:mod:`cnnguide.models.keras.blocks`). A model file imports its own family's configuration and
these; a change here invalidates every cached result (cnnguide.cache.CORE)."""

from __future__ import annotations

from typing import Callable

import torch
from torch import nn


class SqueezeExcitation(nn.Module):
    """Squeeze-and-excitation (Hu, Shen, Sun, CVPR 2018, Figure 3), as torchvision's: pool each
    channel to one number (squeeze), a bottleneck of ``squeeze`` channels (``fc1``,
    ``activation``) and back (``fc2``, sigmoid), then scale the maps by the result. 1x1
    convolutions stand for the paper's fully connected layers, with biases; the attribute names
    are torchvision's, so its EfficientNet weights load by name.

    SE-ResNet uses a ReLU and C / 16 channels (the paper); EfficientNet a SiLU and a quarter of
    the block's input channels (Tan and Le 2019)."""

    def __init__(self, channels: int, squeeze: int, activation: Callable[..., nn.Module] = nn.ReLU) -> None:
        super().__init__()
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.fc1 = nn.Conv2d(channels, squeeze, 1)
        self.fc2 = nn.Conv2d(squeeze, channels, 1)
        self.activation = activation(inplace=True)
        self.scale_activation = nn.Sigmoid()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        scale = self.scale_activation(self.fc2(self.activation(self.fc1(self.avgpool(x)))))
        return x * scale
