"""EfficientNet in PyTorch.

Tan and Le, "EfficientNet: Rethinking Model Scaling for Convolutional Neural Networks", ICML
2019. Table 1 gives the baseline, EfficientNet-B0; Section 3.3 the compound scaling that makes
B1 ... B7 of it. Both come from one table, :mod:`cnnguide.models.efficientnet_configs`, which the
Keras builder reads too.

Structured like torchvision's efficientnet.py, with its attribute names (``features.0`` the
stem, ``features.1`` ... ``features.7`` the stages, ``features.2.0.block.1.0`` = stage 2, first
block, its depthwise convolution; ``block.2.fc1`` squeeze-and-excitation; ``classifier.1``), so a
torchvision state_dict loads unchanged.

``padding`` chooses how the stride-2 convolutions pad (:mod:`cnnguide.models.padding`):
"tensorflow", the default, as the authors' code and keras.applications; or "symmetric", as
torchvision. TensorFlow's padding of an even map is not symmetric, so it is an explicit
``nn.ZeroPad2d`` before the convolution, computed from the map size the builder tracks.
``epsilon`` is BatchNorm's: 1e-3 by default, as the authors' code and Keras; torchvision 1e-5.
"""

from __future__ import annotations

from collections import OrderedDict

import torch
from torch import nn

from .blocks import SqueezeExcitation
from ..efficientnet_configs import STEM, VARIANTS, blocks, head_channels, round_filters, squeeze_channels
from ..options import CLASSIFIER_ACTIVATIONS, choose
from ..padding import PADDINGS, padding_for, strided_size


class Conv2dNormActivation(nn.Sequential):
    """Convolution, BatchNorm and (unless ``activation`` is None) SiLU, numbered 0, 1, 2 as in
    torchvision. At stride 2 under the "tensorflow" rule an explicit ``pad`` comes first; it has
    no weights, so the numbered names (and a torchvision state_dict) are unchanged."""

    def __init__(self, in_channels: int, out_channels: int, kernel_size: int, *, stride: int = 1,
                 groups: int = 1, activation: type[nn.Module] | None = nn.SiLU, epsilon: float = 1e-3,
                 rule: str = "symmetric", size: tuple[int, int] = (0, 0)) -> None:
        layers: OrderedDict[str, nn.Module] = OrderedDict()
        padding = kernel_size // 2  # symmetric: what "same" is at stride 1
        if stride == 2:
            (top, bottom), (left, right) = padding_for(rule, size, kernel_size, stride)
            if (top, left) != (bottom, right):
                layers["pad"] = nn.ZeroPad2d((left, right, top, bottom))
                padding = 0
        layers["0"] = nn.Conv2d(in_channels, out_channels, kernel_size, stride, padding,
                                groups=groups, bias=False)
        layers["1"] = nn.BatchNorm2d(out_channels, eps=epsilon)
        if activation is not None:
            layers["2"] = activation(inplace=True)
        super().__init__(layers)


class StochasticDepth(nn.Module):
    """Drop connect (Huang et al. 2016's stochastic depth, per image): while training, zero
    the whole residual branch of an image with probability ``p`` and scale the kept ones by
    1 / (1 - p); the identity at inference. torchvision's ``StochasticDepth(p, "row")``."""

    def __init__(self, p: float) -> None:
        super().__init__()
        self.p = p

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if not self.training or self.p == 0.0:
            return x
        keep = torch.empty(x.shape[0], 1, 1, 1, dtype=x.dtype, device=x.device).bernoulli_(1 - self.p)
        return x * keep / (1 - self.p)


class MBConv(nn.Module):
    """The mobile inverted bottleneck, MBConv<expand_ratio> (Table 1): ``block`` holds the 1x1
    expansion (none in MBConv1), the depthwise k x k convolution, squeeze-and-excitation and the
    linear 1x1 projection; the input is added back where the shape allows."""

    def __init__(self, block, size: tuple[int, int], *, rule: str, epsilon: float) -> None:
        super().__init__()
        expanded = block.in_channels * block.expand_ratio
        layers: list[nn.Module] = []
        if block.expand_ratio != 1:
            layers.append(Conv2dNormActivation(block.in_channels, expanded, 1, epsilon=epsilon))
        layers.append(Conv2dNormActivation(expanded, expanded, block.kernel, stride=block.stride,
                                           groups=expanded, epsilon=epsilon, rule=rule, size=size))
        layers.append(SqueezeExcitation(expanded, squeeze_channels(block.in_channels), nn.SiLU))
        # Linear: no activation after the projection to the narrow output (MobileNetV2).
        layers.append(Conv2dNormActivation(expanded, block.out_channels, 1, activation=None, epsilon=epsilon))
        self.block = nn.Sequential(*layers)
        self.use_res_connect = block.stride == 1 and block.in_channels == block.out_channels
        self.stochastic_depth = StochasticDepth(block.drop_rate)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        result = self.block(x)
        if self.use_res_connect:
            result = self.stochastic_depth(result) + x
        return result


class EfficientNet(nn.Module):
    """``features`` (stem, seven stages of MBConv blocks, the 1x1 head convolution), average
    pooling and ``classifier`` (dropout, linear)."""

    def __init__(self, variant: str, input_shape=None, *, padding: str = "tensorflow",
                 epsilon: float = 1e-3, include_top: bool = True, classes: int = 1000,
                 classifier_activation: str | None = "softmax") -> None:
        super().__init__()
        scale = choose("variant", variant, VARIANTS)
        rule = choose("padding", padding, dict(zip(PADDINGS, PADDINGS)))
        choose("classifier_activation", classifier_activation, dict.fromkeys(CLASSIFIER_ACTIVATIONS))
        if input_shape is None:
            input_shape = (scale.resolution, scale.resolution, 3)
        self.input_shape = tuple(input_shape)  # H x W x C, as the Keras model states it
        size = tuple(input_shape[:2])
        stem = round_filters(STEM, scale.width)
        features: list[nn.Module] = [Conv2dNormActivation(input_shape[2], stem, 3, stride=2, epsilon=epsilon,
                                                          rule=rule, size=size)]
        size = strided_size(size, 2)
        stage: list[nn.Module] = []
        for block in blocks(variant):
            if block.index == 0 and stage:  # a new row of Table 1: close the previous stage
                features.append(nn.Sequential(*stage))
                stage = []
            stage.append(MBConv(block, size, rule=rule, epsilon=epsilon))
            size = strided_size(size, block.stride)
        features.append(nn.Sequential(*stage))
        head = head_channels(variant)
        features.append(Conv2dNormActivation(block.out_channels, head, 1, epsilon=epsilon))
        self.features = nn.Sequential(*features)
        self.include_top = include_top
        if include_top:
            self.avgpool = nn.AdaptiveAvgPool2d(1)
            self.flatten = nn.Flatten()
            self.classifier = nn.Sequential(nn.Dropout(p=scale.dropout), nn.Linear(head, classes))
            self.classifier_activation = (nn.Softmax(dim=1) if classifier_activation
                                          else nn.Identity())

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.features(x)
        if not self.include_top:
            return x
        x = self.flatten(self.avgpool(x))
        return self.classifier_activation(self.classifier(x))


def _builder(variant: str):
    """A builder ``efficientnet_<variant>(input_shape, **options)`` with its options spelled out
    (so cnnguide.build can check them), like torchvision's efficientnet_b0 ... efficientnet_b7."""
    resolution = VARIANTS[variant].resolution

    def build(input_shape=(resolution, resolution, 3), *, padding="tensorflow", epsilon=1e-3,
              include_top=True, classes=1000, classifier_activation="softmax") -> EfficientNet:
        return EfficientNet(variant, input_shape, padding=padding, epsilon=epsilon,
                            include_top=include_top, classes=classes,
                            classifier_activation=classifier_activation)

    width, depth, _, dropout = VARIANTS[variant]
    build.__name__ = build.__qualname__ = f"efficientnet_{variant}"
    build.__doc__ = (f"EfficientNet-{variant.upper()}: B0's widths x {width}, its layers x {depth}, "
                     f"{resolution} x {resolution} input, dropout {dropout} (Section 3.3).")
    return build


(efficientnet_b0, efficientnet_b1, efficientnet_b2, efficientnet_b3,
 efficientnet_b4, efficientnet_b5, efficientnet_b6, efficientnet_b7) = (_builder(v) for v in VARIANTS)
