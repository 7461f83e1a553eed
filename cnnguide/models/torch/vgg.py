"""VGG-16 and VGG-19 in PyTorch.

Simonyan, Zisserman, "Very Deep Convolutional Networks for Large-Scale Image Recognition",
ICLR 2015, Sections 2.1 and 3.1. The same builders, options and table
(:data:`cnnguide.models.vgg_configs.CONFIGS`) as ``cnnguide.models.keras.vgg``.

Laid out like torchvision's VGG (``features``, then ``classifier``), with the Keras layer names
inside (``features.block1_conv1``, ``classifier.fc1``) where torchvision numbers its modules.
torchvision also puts an ``AdaptiveAvgPool2d((7, 7))`` between the two, so that any input size
gives fc1 7x7x512 inputs; it is left out here, as in Keras and the paper: at 224x224 it has
nothing to do, and at other sizes fc1 takes the maps as they come.
"""

from __future__ import annotations

from collections import OrderedDict

import torch
from torch import nn

from ..options import CLASSIFIER_ACTIVATIONS, choose
from ..vgg_configs import CONFIGS, FC_UNITS, WIDTHS


def make_features(convs_per_block: tuple[int, ...], in_channels: int) -> nn.Sequential:
    """The convolutional part: per block, 3x3 convolutions (padding 1 keeps the size) and a
    2x2 max pooling that halves it."""
    layers: OrderedDict[str, nn.Module] = OrderedDict()
    for block, (convs, filters) in enumerate(zip(convs_per_block, WIDTHS), start=1):
        for conv in range(1, convs + 1):
            layers[f"block{block}_conv{conv}"] = nn.Conv2d(in_channels, filters, kernel_size=3, padding=1)
            layers[f"block{block}_relu{conv}"] = nn.ReLU(inplace=True)
            in_channels = filters
        layers[f"block{block}_pool"] = nn.MaxPool2d(kernel_size=2, stride=2)
    return nn.Sequential(layers)


class VGG(nn.Module):
    """``features`` -> ``flatten`` -> ``classifier`` (fc1, fc2 with dropout, predictions)."""

    def __init__(
        self,
        convs_per_block: tuple[int, ...],
        input_shape: tuple[int, int, int] = (224, 224, 3),
        *,
        classes: int = 1000,
        classifier_activation: str | None = "softmax",
    ) -> None:
        super().__init__()
        choose("classifier_activation", classifier_activation, dict.fromkeys(CLASSIFIER_ACTIVATIONS))
        height, width, channels = input_shape
        self.input_shape = tuple(input_shape)  # H x W x C, as the Keras model states it
        self.features = make_features(convs_per_block, channels)
        self.flatten = nn.Flatten()
        # Linear needs its input width up front (Keras infers it): run the features once.
        # This also fails here, naming the pooling layer, when the input is too small.
        with torch.no_grad():
            flat = self.flatten(self.features(torch.zeros(1, channels, height, width))).shape[1]
        # Dropout 0.5 on fc1 and fc2 (Section 3.1), as torchvision has it.
        self.classifier = nn.Sequential(OrderedDict(
            fc1=nn.Linear(flat, FC_UNITS), fc1_relu=nn.ReLU(inplace=True), fc1_dropout=nn.Dropout(0.5),
            fc2=nn.Linear(FC_UNITS, FC_UNITS), fc2_relu=nn.ReLU(inplace=True), fc2_dropout=nn.Dropout(0.5),
            predictions=nn.Linear(FC_UNITS, classes),
        ))
        # Softmax by default, like the Keras model. Train with classifier_activation=None and
        # nn.CrossEntropyLoss, which expects logits.
        self.classifier_activation = nn.Softmax(dim=1) if classifier_activation else nn.Identity()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.flatten(self.features(x))
        return self.classifier_activation(self.classifier(x))


def vgg16(
    input_shape: tuple[int, int, int] = (224, 224, 3),
    *,
    classes: int = 1000,
    classifier_activation: str | None = "softmax",
) -> VGG:
    """VGG-16, the paper's configuration D (138,357,544 parameters, computed in the tests)."""
    return VGG(CONFIGS["vgg16"], input_shape, classes=classes,
               classifier_activation=classifier_activation)


def vgg19(
    input_shape: tuple[int, int, int] = (224, 224, 3),
    *,
    classes: int = 1000,
    classifier_activation: str | None = "softmax",
) -> VGG:
    """VGG-19, the paper's configuration E (143,667,240 parameters, computed in the tests)."""
    return VGG(CONFIGS["vgg19"], input_shape, classes=classes,
               classifier_activation=classifier_activation)
