"""AlexNet in PyTorch.

Krizhevsky, Sutskever, Hinton, "ImageNet Classification with Deep Convolutional Neural
Networks", NIPS 2012, Sections 3 and 4.2. The same three forms, names and options as
``cnnguide.models.keras.alexnet`` (see that module for what each one is):
:func:`alexnet` (the paper's: LRN, overlapping pooling, the two-GPU split as ``groups=2``),
:func:`alexnet_post` (the source post's code) and :func:`alexnet_torchvision` (torchvision's
single-GPU variant, with the same layers as ``torchvision.models.alexnet``).

All three are one :class:`AlexNet` module laid out as torchvision lays it out: ``features``
(the convolutional part), ``flatten``, ``classifier``. Inside, the modules carry the Keras
layer names (``features.conv1``, ``classifier.fc6``), so a layer is easy to find in both
summaries. ``input_shape`` is H x W x C, as everywhere in cnnguide.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Callable

import torch
from torch import nn

from ..options import CLASSIFIER_ACTIVATIONS, choose

ACTIVATIONS = {"relu": nn.ReLU, "tanh": nn.Tanh, "sigmoid": nn.Sigmoid}


def local_response_norm() -> nn.LocalResponseNorm:
    """Section 3.3's normalization with the paper's constants: k=2, n=5, alpha=1e-4, beta=0.75.

    The paper (and TensorFlow) multiply the plain sum of squares over the n neighbouring maps
    by alpha; PyTorch multiplies their *average* by its alpha, so the same layer needs
    PyTorch's alpha = n * 1e-4.
    """
    size, alpha = 5, 1e-4
    return nn.LocalResponseNorm(size=size, alpha=size * alpha, beta=0.75, k=2.0)


class AlexNet(nn.Module):
    """``features`` -> ``flatten`` -> ``classifier``; the classifier is made for the width
    that the features give on ``input_shape``."""

    def __init__(
        self,
        input_shape: tuple[int, int, int],
        features: nn.Sequential,
        classifier: Callable[[int], nn.Sequential],
        *,
        classifier_activation: str | None = "softmax",
    ) -> None:
        super().__init__()
        choose("classifier_activation", classifier_activation, dict.fromkeys(CLASSIFIER_ACTIVATIONS))
        height, width, channels = input_shape
        self.input_shape = tuple(input_shape)  # H x W x C, as the Keras model states it
        self.features = features
        self.flatten = nn.Flatten()
        # Linear needs its input width up front (Keras infers it): run the features once.
        with torch.no_grad():
            flat = self.flatten(self.features(torch.zeros(1, channels, height, width))).shape[1]
        self.classifier = classifier(flat)
        # Softmax by default, like the Keras model and the post. Train with
        # classifier_activation=None and nn.CrossEntropyLoss, which expects logits.
        self.classifier_activation = nn.Softmax(dim=1) if classifier_activation else nn.Identity()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.flatten(self.features(x))
        return self.classifier_activation(self.classifier(x))


def _paper_classifier(Activation: type[nn.Module], classes: int) -> Callable[[int], nn.Sequential]:
    """fc6 - fc7 - fc8, dropout on the outputs of fc6 and fc7 (Section 4.2)."""
    return lambda flat: nn.Sequential(OrderedDict(
        fc6=nn.Linear(flat, 4096), relu6=Activation(), drop6=nn.Dropout(0.5),
        fc7=nn.Linear(4096, 4096), relu7=Activation(), drop7=nn.Dropout(0.5),
        fc8=nn.Linear(4096, classes),
    ))


def alexnet(
    input_shape: tuple[int, int, int] = (227, 227, 3),
    *,
    activation: str = "relu",
    classes: int = 1000,
    classifier_activation: str | None = "softmax",
) -> AlexNet:
    """The paper's AlexNet (Section 3.5, Figure 2): 60,965,224 parameters at 227x227x3 (computed
    in the tests; the paper rounds to "60 million")."""
    Activation = choose("activation", activation, ACTIVATIONS)
    features = nn.Sequential(OrderedDict(
        # No padding: (227 - 11) / 4 + 1 = 55, the size of the paper's Figure 2.
        conv1=nn.Conv2d(input_shape[2], 96, kernel_size=11, stride=4), relu1=Activation(),
        norm1=local_response_norm(),
        # Overlapping pooling (Section 3.4): 3x3 windows, 2 apart.
        pool1=nn.MaxPool2d(kernel_size=3, stride=2),
        # groups=2: each half of the filters reads only its own GPU's half of the maps.
        conv2=nn.Conv2d(96, 256, kernel_size=5, padding=2, groups=2), relu2=Activation(),
        norm2=local_response_norm(),
        pool2=nn.MaxPool2d(kernel_size=3, stride=2),
        # conv3 reads all 256 maps: the one convolution that crosses between the GPUs.
        conv3=nn.Conv2d(256, 384, kernel_size=3, padding=1), relu3=Activation(),
        conv4=nn.Conv2d(384, 384, kernel_size=3, padding=1, groups=2), relu4=Activation(),
        conv5=nn.Conv2d(384, 256, kernel_size=3, padding=1, groups=2), relu5=Activation(),
        pool5=nn.MaxPool2d(kernel_size=3, stride=2),
    ))
    return AlexNet(input_shape, features, _paper_classifier(Activation, classes),
                   classifier_activation=classifier_activation)


# --8<-- [start:post]
def alexnet_post(
    input_shape: tuple[int, int, int] = (227, 227, 3),
    *,
    activation: str = "relu",
    classes: int = 1000,
    classifier_activation: str | None = "softmax",
) -> AlexNet:
    """The source post's AlexNet: the paper's layer sizes, no LRN, no two-GPU groups."""
    Activation = choose("activation", activation, ACTIVATIONS)
    features = nn.Sequential(OrderedDict(
        conv1=nn.Conv2d(input_shape[2], 96, kernel_size=11, stride=4), relu1=Activation(),
        pool1=nn.MaxPool2d(kernel_size=3, stride=2),
        # padding=2 keeps 27x27 (Keras's padding="same" at stride 1).
        conv2=nn.Conv2d(96, 256, kernel_size=5, padding=2), relu2=Activation(),
        pool2=nn.MaxPool2d(kernel_size=3, stride=2),
        conv3=nn.Conv2d(256, 384, kernel_size=3, padding=1), relu3=Activation(),
        conv4=nn.Conv2d(384, 384, kernel_size=3, padding=1), relu4=Activation(),
        conv5=nn.Conv2d(384, 256, kernel_size=3, padding=1), relu5=Activation(),
        pool5=nn.MaxPool2d(kernel_size=3, stride=2),
    ))
    return AlexNet(input_shape, features, _paper_classifier(Activation, classes),
                   classifier_activation=classifier_activation)
# --8<-- [end:post]


def alexnet_torchvision(
    input_shape: tuple[int, int, int] = (224, 224, 3),
    *,
    classes: int = 1000,
    classifier_activation: str | None = "softmax",
) -> AlexNet:
    """torchvision's AlexNet, layer for layer (``torchvision.models.alexnet``)."""
    features = nn.Sequential(OrderedDict(
        # Padding 2 on every side: (224 + 2*2 - 11) // 4 + 1 = 55.
        conv1=nn.Conv2d(input_shape[2], 64, kernel_size=11, stride=4, padding=2),
        relu1=nn.ReLU(inplace=True),
        pool1=nn.MaxPool2d(kernel_size=3, stride=2),
        conv2=nn.Conv2d(64, 192, kernel_size=5, padding=2), relu2=nn.ReLU(inplace=True),
        pool2=nn.MaxPool2d(kernel_size=3, stride=2),
        conv3=nn.Conv2d(192, 384, kernel_size=3, padding=1), relu3=nn.ReLU(inplace=True),
        conv4=nn.Conv2d(384, 256, kernel_size=3, padding=1), relu4=nn.ReLU(inplace=True),
        conv5=nn.Conv2d(256, 256, kernel_size=3, padding=1), relu5=nn.ReLU(inplace=True),
        pool5=nn.MaxPool2d(kernel_size=3, stride=2),
        # 6x6 maps whatever the input size, so fc6 always has 6*6*256 inputs.
        avgpool=nn.AdaptiveAvgPool2d((6, 6)),
        # Dropout on the *inputs* of fc6 and fc7 here; the paper drops their outputs.
        # torchvision applies drop6 just after flattening; applied to the maps just before,
        # it is the same operation, in the place the Keras model has it.
        drop6=nn.Dropout(0.5),
    ))

    def classifier(flat: int) -> nn.Sequential:
        return nn.Sequential(OrderedDict(
            fc6=nn.Linear(flat, 4096), relu6=nn.ReLU(inplace=True),
            drop7=nn.Dropout(0.5), fc7=nn.Linear(4096, 4096), relu7=nn.ReLU(inplace=True),
            fc8=nn.Linear(4096, classes),
        ))

    return AlexNet(input_shape, features, classifier, classifier_activation=classifier_activation)
