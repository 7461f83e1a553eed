"""VGG-16 and VGG-19 in Keras.

Simonyan, Zisserman, "Very Deep Convolutional Networks for Large-Scale Image Recognition",
ICLR 2015. Section 2.1 fixes the pieces: 3x3 convolutions with stride 1 and padding 1 (so a
convolution keeps the size of its maps), 2x2 max pooling with stride 2 after each block, and
three fully connected layers; Section 3.1 adds dropout 0.5 to the first two. Both networks are
built from one table, :data:`cnnguide.models.vgg_configs.CONFIGS`.

The layer names are keras.applications's (``block1_conv1`` ... ``block5_pool``, ``fc1``,
``fc2``, ``predictions``), so every layer pairs with ``keras.applications.VGG16``'s. One
difference: keras.applications (and the source post) leave out the paper's two dropout layers,
which only act while training.
"""

from __future__ import annotations

import keras
from keras import layers

from ..options import CLASSIFIER_ACTIVATIONS, choose
from ..vgg_configs import CONFIGS, FC_UNITS, WIDTHS


def VGG(
    convs_per_block: tuple[int, ...],
    input_shape: tuple[int, int, int],
    *,
    classes: int = 1000,
    classifier_activation: str | None = "softmax",
    name: str = "vgg",
) -> keras.Model:
    """A VGG network: one block per entry of ``convs_per_block``, then the classifier."""
    choose("classifier_activation", classifier_activation, dict.fromkeys(CLASSIFIER_ACTIVATIONS))
    inputs = keras.Input(shape=input_shape, name="input_layer")  # a fixed name, not a process-wide counter
    x = inputs
    for block, (convs, filters) in enumerate(zip(convs_per_block, WIDTHS), start=1):
        for conv in range(1, convs + 1):
            # Two stacked 3x3 convolutions see a 5x5 window, three see 7x7, with fewer
            # weights and one more ReLU per layer than one big kernel (Section 2.3).
            x = layers.Conv2D(filters, 3, padding="same", activation="relu",
                              name=f"block{block}_conv{conv}")(x)
        # The only layers that shrink the maps: 224 -> 112 -> 56 -> 28 -> 14 -> 7.
        x = layers.MaxPooling2D(2, strides=2, name=f"block{block}_pool")(x)
    x = layers.Flatten(name="flatten")(x)
    x = layers.Dense(FC_UNITS, activation="relu", name="fc1")(x)
    x = layers.Dropout(0.5, name="fc1_dropout")(x)
    x = layers.Dense(FC_UNITS, activation="relu", name="fc2")(x)
    x = layers.Dropout(0.5, name="fc2_dropout")(x)
    outputs = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    return keras.Model(inputs, outputs, name=name)


def vgg16(
    input_shape: tuple[int, int, int] = (224, 224, 3),
    *,
    classes: int = 1000,
    classifier_activation: str | None = "softmax",
) -> keras.Model:
    """VGG-16, the paper's configuration D (138,357,544 parameters, computed in the tests)."""
    return VGG(CONFIGS["vgg16"], input_shape, classes=classes,
               classifier_activation=classifier_activation, name="vgg16")


def vgg19(
    input_shape: tuple[int, int, int] = (224, 224, 3),
    *,
    classes: int = 1000,
    classifier_activation: str | None = "softmax",
) -> keras.Model:
    """VGG-19, the paper's configuration E (143,667,240 parameters, computed in the tests)."""
    return VGG(CONFIGS["vgg19"], input_shape, classes=classes,
               classifier_activation=classifier_activation, name="vgg19")
