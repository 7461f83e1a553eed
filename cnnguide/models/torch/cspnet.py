"""CSPNet in PyTorch: CSPResNeXt-50.

Wang, Liao, Wu, Chen, Hsieh, Yeh, "CSPNet: A New Backbone that can Enhance Learning Capability
of CNN", CVPR Workshops 2020. Section 3.1 and Figure 2 give the cross-stage partial stage,
Section 4 the ImageNet network. Structured like PyTorch Image Models' cspnet.py (timm,
``cspresnext50``), with the same attribute names (``stem.conv1.conv``,
``stages.1.conv_down.bn``, ``stages.1.blocks.0.conv2.conv``, ``head.fc``), so a timm state_dict
loads into these models unchanged. The table both frameworks build from is
:mod:`cnnguide.models.cspnet_configs`.
"""

from __future__ import annotations

from collections import OrderedDict

import torch
from torch import nn

from ..cspnet_configs import CARDINALITY, CSPRESNEXT50, LEAKY_SLOPE, STEM_WIDTH, Stage, check_groups, part_channels
from ..options import CLASSIFIER_ACTIVATIONS, choose


class ConvBnAct(nn.Sequential):
    """Convolution (padded symmetrically, no bias), BatchNorm, and a leaky ReLU unless
    ``act=False`` (timm's ``ConvNormAct``)."""

    def __init__(self, in_channels: int, out_channels: int, kernel_size: int, stride: int = 1,
                 groups: int = 1, act: bool = True) -> None:
        super().__init__()
        self.conv = nn.Conv2d(in_channels, out_channels, kernel_size, stride, padding=kernel_size // 2,
                              groups=groups, bias=False)
        self.bn = nn.BatchNorm2d(out_channels)
        if act:
            self.act = nn.LeakyReLU(LEAKY_SLOPE, inplace=True)


class ResNeXtBlock(nn.Module):
    """1x1, grouped 3x3, 1x1 (no activation), the identity added, then the activation: ResNeXt's
    block (Xie et al. 2017, Figure 3c) at the part's own width, without the 4x expansion of
    ResNeXt-50's (timm's ``BottleneckBlock`` with ``bottle_ratio=1``)."""

    def __init__(self, channels: int, groups: int) -> None:
        super().__init__()
        self.conv1 = ConvBnAct(channels, channels, 1)
        self.conv2 = ConvBnAct(channels, channels, 3, groups=groups)
        self.conv3 = ConvBnAct(channels, channels, 1, act=False)
        self.act3 = nn.LeakyReLU(LEAKY_SLOPE, inplace=True)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.act3(self.conv3(self.conv2(self.conv1(x))) + x)


class CrossStage(nn.Module):
    """A cross-stage partial stage (Section 3.1, Figure 2): downsample (a grouped 3x3 at stride
    2, except in the first stage), one 1x1 convolution whose output is split in two parts along
    the channels, x0 = [x0', x0'']; x0'' goes through the blocks and a transition (1x1), x0'
    crosses the stage untouched; the two are concatenated and a last transition (1x1) mixes them
    ("fusion first and last" in the paper's words, Figure 3)."""

    def __init__(self, in_channels: int, stage: Stage, groups: int) -> None:
        super().__init__()
        self.conv_down = (ConvBnAct(in_channels, in_channels, 3, stage.stride, groups) if stage.stride > 1
                          else nn.Identity())
        # One 1x1 convolution for both parts, split below: the authors' two 1x1 convolutions at once
        # (BatchNorm acts on each channel alone). No activation, as timm builds it (cross_linear).
        self.conv_exp = ConvBnAct(in_channels, stage.width, 1, act=False)
        self.part = part_channels(stage.width)
        self.blocks = nn.Sequential(*[ResNeXtBlock(self.part, groups) for _ in range(stage.depth)])
        self.conv_transition_b = ConvBnAct(self.part, self.part, 1)
        self.conv_transition = ConvBnAct(stage.width, stage.width, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.conv_exp(self.conv_down(x))
        crossing, through = x.split(x.shape[1] - self.part, dim=1)  # x0', x0''
        through = self.conv_transition_b(self.blocks(through))
        return self.conv_transition(torch.cat([crossing, through], dim=1))


class CSPResNeXt(nn.Module):
    """Stem (7x7 convolution at stride 2, 3x3 max pooling at stride 2), four cross-stage partial
    stages (conv2_x ... conv5_x), global average pooling, fully connected."""

    def __init__(self, stages: tuple[Stage, ...] = CSPRESNEXT50, input_shape=(256, 256, 3), *,
                 groups: int = CARDINALITY, include_top: bool = True, classes: int = 1000,
                 classifier_activation: str | None = "softmax") -> None:
        super().__init__()
        choose("classifier_activation", classifier_activation, dict.fromkeys(CLASSIFIER_ACTIVATIONS))
        check_groups(groups, stages)
        self.input_shape = tuple(input_shape)  # H x W x C, as the Keras model states it
        self.stem = nn.Sequential(OrderedDict(
            conv1=ConvBnAct(input_shape[2], STEM_WIDTH, 7, stride=2),
            pool=nn.MaxPool2d(kernel_size=3, stride=2, padding=1),
        ))
        channels, found = STEM_WIDTH, []
        for stage in stages:
            found.append(CrossStage(channels, stage, groups))
            channels = stage.width
        self.stages = nn.Sequential(*found)
        self.include_top = include_top
        if include_top:
            self.head = nn.Sequential(OrderedDict(
                global_pool=nn.AdaptiveAvgPool2d(1), flatten=nn.Flatten(), fc=nn.Linear(channels, classes)))
            self.classifier_activation = nn.Softmax(dim=1) if classifier_activation else nn.Identity()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.stages(self.stem(x))
        if not self.include_top:
            return x
        return self.classifier_activation(self.head(x))


def cspresnext50(input_shape=(256, 256, 3), *, groups=CARDINALITY, include_top=True, classes=1000,
                 classifier_activation="softmax") -> CSPResNeXt:
    """CSPResNeXt-50 (Section 4; timm's ``cspresnext50``): stages of 3, 3, 5 and 2 blocks."""
    return CSPResNeXt(CSPRESNEXT50, input_shape, groups=groups, include_top=include_top, classes=classes,
                      classifier_activation=classifier_activation)
