"""A small fully connected classifier with dropout, in Keras: AlexNet's head in miniature.

Krizhevsky, Sutskever, Hinton, "ImageNet Classification with Deep Convolutional Neural
Networks", NIPS 2012, Section 4.2: dropout with probability 0.5 in the first two fully connected
layers, which "reduces complex co-adaptations of neurons" and roughly doubles the iterations
needed to converge. Here on flattened digit images (``cnnguide.experiments``), where a small
training set lets the gap between training and held-out accuracy show.
"""

from __future__ import annotations

import keras
from keras import layers

from ..options import CLASSIFIER_ACTIVATIONS, choose


def fc_head(
    input_shape: tuple[int, int, int] = (28, 28, 1),
    *,
    hidden: tuple[int, ...] = (512, 512),
    dropout: float = 0.5,
    classes: int = 10,
    classifier_activation: str | None = "softmax",
) -> keras.Model:
    """Flatten, then each hidden layer as Dense + ReLU + Dropout(``dropout``), then the output."""
    choose("classifier_activation", classifier_activation, dict.fromkeys(CLASSIFIER_ACTIVATIONS))
    if not 0 <= dropout < 1:
        raise ValueError(f"dropout={dropout!r}: a dropout rate is a probability in [0, 1).")
    x = inputs = keras.Input(shape=input_shape)
    x = layers.Flatten(name="flatten")(x)
    for i, width in enumerate(hidden, start=1):
        x = layers.Dense(width, activation="relu", name=f"fc{i}")(x)
        x = layers.Dropout(dropout, name=f"dropout{i}")(x)
    outputs = layers.Dense(classes, activation=classifier_activation, name="output")(x)
    return keras.Model(inputs, outputs, name="fc_head")
