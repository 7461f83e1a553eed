"""LeNet-5 in Keras.

LeCun, Bottou, Bengio, Haffner, "Gradient-Based Learning Applied to Document Recognition",
Proc. IEEE 1998, Section II.B. Layer names are the paper's: C = convolution, S = subsampling,
F = fully connected, and the number is the layer's position counted from the input.

Two forms are built here:

* :func:`lenet5`, the form most textbooks and courses now call LeNet-5: every C3 map reads
  every S2 map (the paper's Table I connects only some), S2/S4 are plain pooling layers (the
  paper's learn a coefficient and a bias per map), and a softmax replaces the paper's RBF
  output. 32x32x1 input, as in the paper.
* :func:`lenet5_post`, the network exactly as the source blog post's code writes it: a 28x28x1
  (MNIST-sized) input and a **1x1** C5, where the paper's C5 is 5x5.

Both accept the two changes the post suggests trying: ``activation="relu"`` and
``pooling="max"``.
"""

from __future__ import annotations

import keras
from keras import layers

from ..options import CLASSIFIER_ACTIVATIONS, choose

ACTIVATIONS = {"tanh": "tanh", "relu": "relu"}
POOLINGS = {"average": layers.AveragePooling2D, "max": layers.MaxPooling2D}


def LeNet5(
    input_shape: tuple[int, int, int],
    *,
    c5_kernel_size: int = 5,
    activation: str = "tanh",
    pooling: str = "average",
    classes: int = 10,
    classifier_activation: str | None = "softmax",
    name: str = "lenet5",
) -> keras.Model:
    """LeNet-5 as a ``keras.Sequential``: C1 - S2 - C3 - S4 - C5 - F6 - output."""
    act = choose("activation", activation, ACTIVATIONS)
    Pool = choose("pooling", pooling, POOLINGS)
    choose("classifier_activation", classifier_activation, dict.fromkeys(CLASSIFIER_ACTIVATIONS))
    return keras.Sequential(
        [
            keras.Input(shape=input_shape),
            # C1: 6 feature maps, each a 5x5 convolution over the input image.
            layers.Conv2D(6, 5, activation=act, name="C1"),
            # S2: halves each map (2x2 windows, stride 2): small shifts matter less.
            Pool(2, name="S2"),
            # C3: 16 maps from 5x5 windows over the 6 maps of S2 (all of them, here).
            layers.Conv2D(16, 5, activation=act, name="C3"),
            Pool(2, name="S4"),
            # C5: 120 maps. With a 5x5 kernel on S4's 5x5 maps each output is 1x1, so C5 is a
            # fully connected layer written as a convolution (the paper's reasoning).
            layers.Conv2D(120, c5_kernel_size, activation=act, name="C5"),
            layers.Flatten(name="flatten"),
            layers.Dense(84, activation=act, name="F6"),
            layers.Dense(classes, activation=classifier_activation, name="output"),
        ],
        name=name,
    )


def lenet5(
    input_shape: tuple[int, int, int] = (32, 32, 1),
    *,
    activation: str = "tanh",
    pooling: str = "average",
    classes: int = 10,
    classifier_activation: str | None = "softmax",
) -> keras.Model:
    """The modern LeNet-5 (61,706 parameters at 32x32x1, computed in the tests)."""
    return LeNet5(input_shape, activation=activation, pooling=pooling, classes=classes,
                  classifier_activation=classifier_activation, name="lenet5")


def lenet5_post(
    input_shape: tuple[int, int, int] = (28, 28, 1),
    *,
    activation: str = "tanh",
    pooling: str = "average",
    classes: int = 10,
    classifier_activation: str | None = "softmax",
) -> keras.Model:
    """The source post's LeNet-5: 28x28x1 input and a 1x1 C5, exactly as its code writes it.

    C5 then sees 4x4 maps and keeps them 4x4, so Flatten hands 4*4*120 = 1,920 values to F6,
    which is where most of this variant's parameters go.
    """
    return LeNet5(input_shape, c5_kernel_size=1, activation=activation, pooling=pooling,
                  classes=classes, classifier_activation=classifier_activation, name="lenet5_post")
