"""A small fully connected classifier with dropout, in PyTorch: the same network, names and
options as :mod:`cnnguide.models.keras.fc_head` (AlexNet, Section 4.2, in miniature)."""

from __future__ import annotations

import math

import torch
from torch import nn

from ..options import CLASSIFIER_ACTIVATIONS, choose


class FCHead(nn.Module):
    """Flatten, then each hidden layer as Linear + ReLU + Dropout(``dropout``), then the output."""

    def __init__(
        self,
        input_shape: tuple[int, int, int] = (28, 28, 1),
        *,
        hidden: tuple[int, ...] = (512, 512),
        dropout: float = 0.5,
        classes: int = 10,
        classifier_activation: str | None = "softmax",
    ) -> None:
        super().__init__()
        choose("classifier_activation", classifier_activation, dict.fromkeys(CLASSIFIER_ACTIVATIONS))
        if not 0 <= dropout < 1:
            raise ValueError(f"dropout={dropout!r}: a dropout rate is a probability in [0, 1).")
        self.input_shape = tuple(input_shape)
        layers: list[nn.Module] = [nn.Flatten()]
        width = math.prod(input_shape)
        for out in hidden:
            layers += [nn.Linear(width, out), nn.ReLU(), nn.Dropout(dropout)]
            width = out
        self.hidden = nn.Sequential(*layers)
        self.output = nn.Linear(width, classes)
        self.classifier_activation = nn.Softmax(dim=1) if classifier_activation else nn.Identity()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.classifier_activation(self.output(self.hidden(x)))


def fc_head(input_shape: tuple[int, int, int] = (28, 28, 1), **options) -> FCHead:
    """Flatten, then each hidden layer as Linear + ReLU + Dropout(``dropout``), then the output."""
    return FCHead(input_shape, **options)
