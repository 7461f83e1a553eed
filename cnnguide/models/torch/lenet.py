"""LeNet-5 in PyTorch.

LeCun, Bottou, Bengio, Haffner, "Gradient-Based Learning Applied to Document Recognition",
Proc. IEEE 1998, Section II.B. The same two forms, the same names and the same options as
``cnnguide.models.keras.lenet`` (see that module for what differs from the paper):
:func:`lenet5` (modern, 32x32x1) and :func:`lenet5_post` (the source post's code: 28x28x1, 1x1 C5).

Input and output shapes follow PyTorch (N x C x H x W); ``input_shape`` arguments are H x W x C
like everywhere else in cnnguide, so one shape names one network in both frameworks.
"""

from __future__ import annotations

import torch
from torch import nn

from ..options import CLASSIFIER_ACTIVATIONS, choose

ACTIVATIONS = {"tanh": nn.Tanh, "relu": nn.ReLU}
POOLINGS = {"average": nn.AvgPool2d, "max": nn.MaxPool2d}


class LeNet5(nn.Module):
    """LeNet-5: C1 - S2 - C3 - S4 - C5 - F6 - output."""

    def __init__(
        self,
        input_shape: tuple[int, int, int] = (32, 32, 1),
        *,
        c5_kernel_size: int = 5,
        activation: str = "tanh",
        pooling: str = "average",
        classes: int = 10,
        classifier_activation: str | None = "softmax",
    ) -> None:
        super().__init__()
        Activation = choose("activation", activation, ACTIVATIONS)
        Pool = choose("pooling", pooling, POOLINGS)
        choose("classifier_activation", classifier_activation, dict.fromkeys(CLASSIFIER_ACTIVATIONS))
        height, width, channels = input_shape
        self.input_shape = tuple(input_shape)  # H x W x C, as the Keras model states it
        # One stateless module serves every layer, as torchvision's ResNet shares its ReLU.
        self.activation = Activation()
        self.C1 = nn.Conv2d(channels, 6, kernel_size=5)
        self.S2 = Pool(kernel_size=2)
        self.C3 = nn.Conv2d(6, 16, kernel_size=5)
        self.S4 = Pool(kernel_size=2)
        # With a 5x5 kernel on S4's 5x5 maps, C5 is a fully connected layer written as a conv.
        self.C5 = nn.Conv2d(16, 120, kernel_size=c5_kernel_size)
        self.flatten = nn.Flatten()
        # Linear needs its input width up front (Keras infers it): run the layers above once.
        with torch.no_grad():
            flat = self.features(torch.zeros(1, channels, height, width)).shape[1]
        self.F6 = nn.Linear(flat, 84)
        self.output = nn.Linear(84, classes)
        # Softmax by default, like the Keras model and the post. Train with
        # classifier_activation=None and nn.CrossEntropyLoss, which expects logits.
        self.classifier_activation = nn.Softmax(dim=1) if classifier_activation else nn.Identity()

    def features(self, x: torch.Tensor) -> torch.Tensor:
        """C1 to C5, flattened: the convolutional part."""
        x = self.S2(self.activation(self.C1(x)))
        x = self.S4(self.activation(self.C3(x)))
        return self.flatten(self.activation(self.C5(x)))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.activation(self.F6(self.features(x)))
        return self.classifier_activation(self.output(x))


def lenet5(
    input_shape: tuple[int, int, int] = (32, 32, 1),
    *,
    activation: str = "tanh",
    pooling: str = "average",
    classes: int = 10,
    classifier_activation: str | None = "softmax",
) -> LeNet5:
    """The modern LeNet-5 (61,706 parameters at 32x32x1, computed in the tests)."""
    return LeNet5(input_shape, activation=activation, pooling=pooling, classes=classes,
                  classifier_activation=classifier_activation)


def lenet5_post(
    input_shape: tuple[int, int, int] = (28, 28, 1),
    *,
    activation: str = "tanh",
    pooling: str = "average",
    classes: int = 10,
    classifier_activation: str | None = "softmax",
) -> LeNet5:
    """The source post's LeNet-5: 28x28x1 input and a 1x1 C5, exactly as its code writes it."""
    return LeNet5(input_shape, c5_kernel_size=1, activation=activation, pooling=pooling,
                  classes=classes, classifier_activation=classifier_activation)
