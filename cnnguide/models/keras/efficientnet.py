"""EfficientNet in Keras.

Tan and Le, "EfficientNet: Rethinking Model Scaling for Convolutional Neural Networks", ICML
2019. Table 1 gives the baseline, EfficientNet-B0; Section 3.3 the compound scaling that makes
B1 ... B7 of it. Both come from one table, :mod:`cnnguide.models.efficientnet_configs`, which the
PyTorch builder reads too.

Written as keras.applications' efficientnet.py, with its layer names (``block2a_expand_conv``
= stage 2, first block, expansion convolution; ``stem_``, ``top_``), so its weights load by
name. Two differences, both deliberate:

* keras.applications' model starts with a ``Rescaling(1/255)`` and a ``Normalization`` layer
  (7 non-trainable weights: a mean and a variance per colour, and a count): it takes images in
  0 ... 255. This one, like every cnnguide model and torchvision's, takes the images as given;
  preprocessing is the input pipeline's business.
* Squeeze-and-excitation pools with ``keepdims=True`` instead of pooling to a vector and
  reshaping it back to 1 x 1 x C: the same computation in one layer, as PyTorch's
  ``AdaptiveAvgPool2d(1)``.

``padding`` chooses how the stride-2 convolutions pad (:mod:`cnnguide.models.padding`):
"tensorflow", the default (the authors' code and keras.applications), or "symmetric"
(torchvision). Either way the padding is an explicit ``ZeroPadding2D``, so both frameworks pad
alike. ``epsilon`` is BatchNorm's: Keras's default 1e-3, as the authors' code; torchvision 1e-5.
"""

from __future__ import annotations

import keras
from keras import layers

from .blocks import squeeze_excite

from ..efficientnet_configs import STEM, VARIANTS, blocks, head_channels, round_filters, squeeze_channels
from ..options import CLASSIFIER_ACTIVATIONS, choose
from ..padding import PADDINGS, padding_for


def strided_conv(x, conv, kernel: int, rule: str, name: str):
    """``conv`` (a stride-2 layer built with ``padding="valid"``) after an explicit zero padding
    by ``rule``; TensorFlow's own "same" would put an even map's extra row at the bottom only,
    and PyTorch cannot say "same" at stride 2 at all."""
    pad = padding_for(rule, tuple(x.shape[1:3]), kernel, 2)
    x = layers.ZeroPadding2D(pad, name=f"{name}_pad")(x)
    return conv(x)


def mbconv(x, block, *, rule: str, epsilon: float):
    """The mobile inverted bottleneck, MBConv<expand_ratio> (Table 1): a 1x1 expansion (none in
    MBConv1), a depthwise k x k convolution, squeeze-and-excitation, a 1x1 linear projection,
    and, where the shape allows, the input added back (with stochastic depth while training)."""
    name = f"{block.name}_"
    inputs = x
    expanded = block.in_channels * block.expand_ratio
    if block.expand_ratio != 1:
        x = layers.Conv2D(expanded, 1, use_bias=False, name=f"{name}expand_conv")(x)
        x = layers.BatchNormalization(epsilon=epsilon, name=f"{name}expand_bn")(x)
        x = layers.Activation("swish", name=f"{name}expand_activation")(x)
    depthwise = layers.DepthwiseConv2D(block.kernel, strides=block.stride,
                                       padding="valid" if block.stride == 2 else "same",
                                       use_bias=False, name=f"{name}dwconv")
    x = strided_conv(x, depthwise, block.kernel, rule, f"{name}dwconv") if block.stride == 2 else depthwise(x)
    x = layers.BatchNormalization(epsilon=epsilon, name=f"{name}bn")(x)
    x = layers.Activation("swish", name=f"{name}activation")(x)
    x = squeeze_excite(x, squeeze_channels(block.in_channels), name, activation="swish")
    # The projection is linear: a ReLU or swish here would destroy information in the narrow
    # output (MobileNetV2's argument for the inverted residual).
    x = layers.Conv2D(block.out_channels, 1, use_bias=False, name=f"{name}project_conv")(x)
    x = layers.BatchNormalization(epsilon=epsilon, name=f"{name}project_bn")(x)
    if block.stride == 1 and block.in_channels == block.out_channels:
        if block.drop_rate > 0:
            # Drop connect: drop the whole residual branch of an image (noise shape N x 1 x 1 x 1).
            x = layers.Dropout(block.drop_rate, noise_shape=(None, 1, 1, 1), name=f"{name}drop")(x)
        x = layers.Add(name=f"{name}add")([x, inputs])
    return x


def EfficientNet(variant: str, input_shape=None, *, padding: str = "tensorflow", epsilon: float = 1e-3,
                 include_top: bool = True, classes: int = 1000,
                 classifier_activation: str | None = "softmax") -> keras.Model:
    """EfficientNet-``variant`` ("b0" ... "b7"): stem, the MBConv stages of Table 1 scaled by
    the variant's width and depth, the 1x1 top convolution, pooling, dropout and the classifier.
    ``input_shape`` defaults to the variant's resolution."""
    scale = choose("variant", variant, VARIANTS)
    rule = choose("padding", padding, dict(zip(PADDINGS, PADDINGS)))
    choose("classifier_activation", classifier_activation, dict.fromkeys(CLASSIFIER_ACTIVATIONS))
    if input_shape is None:
        input_shape = (scale.resolution, scale.resolution, 3)
    inputs = keras.Input(shape=input_shape, name="input_layer")  # a fixed name, not a process-wide counter
    stem = layers.Conv2D(round_filters(STEM, scale.width), 3, strides=2, use_bias=False, name="stem_conv")
    x = strided_conv(inputs, stem, 3, rule, "stem_conv")
    x = layers.BatchNormalization(epsilon=epsilon, name="stem_bn")(x)
    x = layers.Activation("swish", name="stem_activation")(x)
    for block in blocks(variant):
        x = mbconv(x, block, rule=rule, epsilon=epsilon)
    x = layers.Conv2D(head_channels(variant), 1, use_bias=False, name="top_conv")(x)
    x = layers.BatchNormalization(epsilon=epsilon, name="top_bn")(x)
    x = layers.Activation("swish", name="top_activation")(x)
    if include_top:
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
        x = layers.Dropout(scale.dropout, name="top_dropout")(x)
        x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    return keras.Model(inputs, x, name=f"efficientnet{variant}")


def _builder(variant: str):
    """A builder ``efficientnet_<variant>(input_shape, **options)`` with its options spelled out
    (the same names and defaults as the PyTorch builders), at the variant's resolution."""
    resolution = VARIANTS[variant].resolution

    def build(input_shape=(resolution, resolution, 3), *, padding="tensorflow", epsilon=1e-3,
              include_top=True, classes=1000, classifier_activation="softmax") -> keras.Model:
        return EfficientNet(variant, input_shape, padding=padding, epsilon=epsilon,
                            include_top=include_top, classes=classes,
                            classifier_activation=classifier_activation)

    build.__name__ = build.__qualname__ = f"efficientnet_{variant}"
    width, depth, _, dropout = VARIANTS[variant]
    build.__doc__ = (f"EfficientNet-{variant.upper()}: B0's widths x {width}, its layers x {depth}, "
                     f"{resolution} x {resolution} input, dropout {dropout} (Section 3.3).")
    return build


(efficientnet_b0, efficientnet_b1, efficientnet_b2, efficientnet_b3,
 efficientnet_b4, efficientnet_b5, efficientnet_b6, efficientnet_b7) = (_builder(v) for v in VARIANTS)
