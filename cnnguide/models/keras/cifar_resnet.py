"""The CIFAR-10 networks of He et al. (2016), plain and residual, in Keras.

He, Zhang, Ren, Sun, "Deep Residual Learning for Image Recognition", CVPR 2016, Section 4.2:
a 3x3 convolution, then three stages of ``2n`` 3x3 convolutions on maps of 16, 32 and 64
channels (each new stage halves the maps with a stride of 2), global average pooling and one
fully connected layer: ``6n + 2`` weighted layers. The residual form adds a shortcut around every
pair of convolutions; the plain form is the same stack without them. The paper used these two
to show the *degradation problem*: the deeper plain nets train worse, the residual ones do not.

The site trains them on small digit images (``cnnguide.experiments``), so the widths and the
input are options. Two choices differ from the paper, both so that the two frameworks compute
the same function: where a shortcut changes the width it is a 1x1 projection with batch
normalization (the paper's option B; its CIFAR nets use option A, zero-padded identity, which
Keras has no layer for), and a stride-2 convolution pads one pixel on every side, as PyTorch's
``padding=1`` does (TensorFlow's "same" would pad only right and bottom).

``batch_norm=False``, ``activation`` and ``kernel_initializer`` build the plain stack the
activation experiment needs: a deep net without normalisation, where sigmoid's small gradients
compound. Each activation then wants its own initial scale: Glorot and Bengio's (AISTATS 2010)
for sigmoid and tanh, He et al.'s (ICCV 2015) for ReLU, which halves the variance it passes on.
"""

from __future__ import annotations

import keras
from keras import layers

from ..options import CLASSIFIER_ACTIVATIONS, choose

ACTIVATIONS = {"relu": "relu", "tanh": "tanh", "sigmoid": "sigmoid"}
INITIALIZERS = {"glorot_uniform": "glorot_uniform", "he_normal": "he_normal"}
# PyTorch's BatchNorm2d defaults, so that both frameworks normalise alike while training.
EPSILON, MOMENTUM = 1e-5, 0.9


def _conv(x, filters: int, stride: int, name: str, bias: bool, init: str):
    if stride > 1:
        x = layers.ZeroPadding2D(1, name=f"{name}_pad")(x)
    return layers.Conv2D(filters, 3, strides=stride, padding="same" if stride == 1 else "valid",
                         use_bias=bias, kernel_initializer=init, name=name)(x)


def _norm(x, name: str, batch_norm: bool):
    return layers.BatchNormalization(epsilon=EPSILON, momentum=MOMENTUM, name=name)(x) if batch_norm else x


def cifar_resnet(
    n: int = 3,
    *,
    shortcuts: bool = True,
    batch_norm: bool = True,
    activation: str = "relu",
    widths: tuple[int, int, int] = (16, 32, 64),
    kernel_initializer: str = "glorot_uniform",
    input_shape: tuple[int, int, int] = (32, 32, 3),
    classes: int = 10,
    classifier_activation: str | None = "softmax",
) -> keras.Model:
    """The ``6n + 2``-layer network of Section 4.2, residual (``shortcuts=True``) or plain."""
    act = choose("activation", activation, ACTIVATIONS)
    init = choose("kernel_initializer", kernel_initializer, INITIALIZERS)
    choose("classifier_activation", classifier_activation, dict.fromkeys(CLASSIFIER_ACTIVATIONS))
    inputs = keras.Input(shape=input_shape)
    x = _conv(inputs, widths[0], 1, "conv1", not batch_norm, init)
    x = layers.Activation(act, name="conv1_act")(_norm(x, "conv1_bn", batch_norm))
    for s, width in enumerate(widths, start=1):
        for b in range(1, n + 1):
            name = f"stage{s}_block{b}"
            stride = 2 if s > 1 and b == 1 else 1
            y = _conv(x, width, stride, f"{name}_conv1", not batch_norm, init)
            y = layers.Activation(act, name=f"{name}_act1")(_norm(y, f"{name}_bn1", batch_norm))
            y = _norm(_conv(y, width, 1, f"{name}_conv2", not batch_norm, init), f"{name}_bn2", batch_norm)
            if shortcuts:
                shortcut = x
                if stride > 1 or x.shape[-1] != width:
                    shortcut = layers.Conv2D(width, 1, strides=stride, use_bias=not batch_norm,
                                             kernel_initializer=init, name=f"{name}_projection")(x)
                    shortcut = _norm(shortcut, f"{name}_projection_bn", batch_norm)
                # The paper's F(x) + x, before the second activation (Figure 2).
                y = layers.Add(name=f"{name}_add")([y, shortcut])
            x = layers.Activation(act, name=f"{name}_act2")(y)
    x = layers.GlobalAveragePooling2D(name="pool")(x)
    outputs = layers.Dense(classes, activation=classifier_activation, kernel_initializer=init, name="fc")(x)
    return keras.Model(inputs, outputs, name=f"{'resnet' if shortcuts else 'plain'}{6 * n + 2}")
