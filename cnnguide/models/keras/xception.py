"""Xception in Keras.

Chollet, "Xception: Deep Learning with Depthwise Separable Convolutions", CVPR 2017, Figure 5:
an entry flow, a middle flow repeated eight times and an exit flow of depthwise separable
convolutions (``SeparableConv2D``: a 3x3 depthwise convolution, then a 1x1 pointwise one, no
activation between them), each followed by BatchNorm, with residual connections around every
module but the last. The flows come from one table, :mod:`cnnguide.models.xception_configs`,
which the PyTorch builder reads too.

Written as keras.applications' xception.py (by the paper's author), with its layer names
(``block4_sepconv2_bn``: block 4, second separable convolution's BatchNorm; ``_act`` is the ReLU
*before* that convolution), so its weights load by name. keras.applications leaves the
shortcut convolutions and the additions unnamed (numbered by whatever the process built before);
here they are ``block2_shortcut``, ``block2_shortcut_bn`` and ``block2_add``.

The paper adds a dropout of rate 0.5 before the classifier while training on ImageNet (Section
4.3); at inference it is the identity, and neither keras.applications nor timm builds it.
"""

from __future__ import annotations

import keras
from keras import layers

from ..options import CLASSIFIER_ACTIVATIONS, choose
from ..xception_configs import HEAD, STEM, modules


def separable_bn(x, filters: int, name: str, epsilon: float):
    """A depthwise separable 3x3 convolution (no bias: BatchNorm follows) and its BatchNorm.
    At stride 1 "same" pads one pixel on every side, as PyTorch's ``padding=1``."""
    x = layers.SeparableConv2D(filters, 3, padding="same", use_bias=False, name=name)(x)
    return layers.BatchNormalization(epsilon=epsilon, name=f"{name}_bn")(x)


def module(x, filters: tuple[int, ...], downsamples: bool, *, name: str, epsilon: float,
           starts_with_relu: bool = True):
    """One residual module of Figure 5: [ReLU, separable conv, BN] per entry of ``filters``,
    then, where the module downsamples, a 3x3 max pooling at stride 2 and a 1x1 stride-2
    convolution on the shortcut; otherwise the shortcut is the identity."""
    if downsamples:
        shortcut = layers.Conv2D(filters[-1], 1, strides=2, use_bias=False, name=f"{name}_shortcut")(x)
        shortcut = layers.BatchNormalization(epsilon=epsilon, name=f"{name}_shortcut_bn")(shortcut)
    else:
        shortcut = x
    residual = x
    for i, width in enumerate(filters, start=1):
        if i > 1 or starts_with_relu:
            residual = layers.Activation("relu", name=f"{name}_sepconv{i}_act")(residual)
        residual = separable_bn(residual, width, f"{name}_sepconv{i}", epsilon)
    if downsamples:
        # TensorFlow's "same" pooling, as keras.applications pools: on an odd map one pixel on
        # each side, on an even map only a bottom/right one (a max ignores the padding).
        residual = layers.MaxPooling2D(3, strides=2, padding="same", name=f"{name}_pool")(residual)
    return layers.Add(name=f"{name}_add")([residual, shortcut])


def xception(input_shape=(299, 299, 3), *, epsilon=1e-3, include_top=True, classes=1000,
             classifier_activation="softmax") -> keras.Model:
    """Xception, Figure 5. ``epsilon`` is BatchNorm's (Keras's default 1e-3, as
    keras.applications; timm's port uses PyTorch's 1e-5)."""
    choose("classifier_activation", classifier_activation, dict.fromkeys(CLASSIFIER_ACTIVATIONS))
    inputs = keras.Input(shape=input_shape, name="input_layer")  # a fixed name, not a process-wide counter
    x = inputs
    # Entry flow: two plain 3x3 convolutions without padding (Figure 5), block1 in Keras's names.
    for i, (filters, stride) in enumerate(STEM, start=1):
        x = layers.Conv2D(filters, 3, strides=stride, use_bias=False, name=f"block1_conv{i}")(x)
        x = layers.BatchNormalization(epsilon=epsilon, name=f"block1_conv{i}_bn")(x)
        x = layers.Activation("relu", name=f"block1_conv{i}_act")(x)
    # The residual modules: entry flow (block2-4), middle flow (block5-12), exit flow (block13).
    for number, spec in enumerate(modules(), start=2):
        x = module(x, spec.filters, spec.downsamples, name=f"block{number}", epsilon=epsilon,
                   starts_with_relu=number > 2)  # block2 reads block1's ReLU output already
    # Exit flow, after its module: two separable convolutions, each followed by its ReLU.
    head = len(modules()) + 2
    for i, filters in enumerate(HEAD, start=1):
        x = separable_bn(x, filters, f"block{head}_sepconv{i}", epsilon)
        x = layers.Activation("relu", name=f"block{head}_sepconv{i}_act")(x)
    if include_top:
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
        x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    return keras.Model(inputs, x, name="xception")
