"""MobileNet v1 and v2 in Keras.

v1: Howard et al., "MobileNets: Efficient Convolutional Neural Networks for Mobile Vision
Applications", 2017, Table 1: a 3x3 convolution, thirteen depthwise separable convolutions
(Figure 3), average pooling and a fully connected layer. v2: Sandler et al., "MobileNetV2:
Inverted Residuals and Linear Bottlenecks", CVPR 2018, Table 2: a 3x3 convolution, seventeen
inverted residual blocks with linear bottlenecks (Table 1 of that paper), a 1x1 convolution to
1280 channels, pooling and the classifier. Both come from :mod:`cnnguide.models.mobilenet_configs`,
which the PyTorch builders read too.

Written as keras.applications' mobilenet.py and mobilenet_v2.py, with their layer names
(``conv_dw_2`` = the second separable convolution's depthwise half, ``conv_pw_2`` its pointwise
half; ``block_2_expand``, ``block_2_depthwise``, ``block_2_project``), so a layer is found by the
same name in both. Where they differ, on purpose:

* The nonlinearity is ReLU6, min(max(x, 0), 6), as in the authors' released code and every
  library. v1's paper writes "ReLU"; v2's (Section 4) says why the cap: it is robust "when used
  with low-precision computation".
* v1 ends as the paper's Table 1 does, average pooling and a fully connected layer.
  keras.applications keeps the 1 x 1 map, applies a dropout of rate 0.001 (the identity at
  inference), a 1x1 convolution (``conv_preds``) and a reshape: the same function with the same
  weights, in four layers.
* v2 adds a dropout of rate 0.2 before its classifier: the paper trains with dropout (Section 4)
  without giving the rate; 0.2 is the rate of its TensorFlow code and of torchvision.
  keras.applications has none; at inference it is the identity.

``padding`` chooses how the stride-2 layers pad (:mod:`cnnguide.models.padding`): "tensorflow",
the default, as the authors' code and keras.applications, or "symmetric", as timm and
torchvision; either way an explicit ``ZeroPadding2D``, so both frameworks pad alike.
``epsilon`` is BatchNorm's: Keras's default 1e-3, as keras.applications; PyTorch's is 1e-5.
``alpha`` is the width multiplier (v1 Section 3.3; v2 Section 4); the input size, the v1 paper's
resolution multiplier (Section 3.4), is ``input_shape``.
"""

from __future__ import annotations

import keras
from keras import layers

from ..mobilenet_configs import V1_STEM, V2_STEM, v1_blocks, v1_width, v2_blocks, v2_last, v2_width
from ..options import CLASSIFIER_ACTIVATIONS, choose
from ..padding import PADDINGS, padding_for

V2_DROPOUT = 0.2


def conv_bn_relu6(x, conv, *, bn: str, relu: str, rule: str, epsilon: float, pad: str = ""):
    """``conv`` (built with ``padding="valid"`` when it strides, "same" otherwise), its
    BatchNorm and a ReLU6. At stride 2 an explicit zero padding (named ``pad``, or after the
    convolution) comes first: TensorFlow's own "same" would put an even map's extra row at the
    bottom only, which PyTorch cannot say."""
    if conv.strides == (2, 2):
        amounts = padding_for(rule, tuple(x.shape[1:3]), conv.kernel_size[0], 2)
        x = layers.ZeroPadding2D(amounts, name=pad or f"{conv.name}_pad")(x)
    x = layers.BatchNormalization(epsilon=epsilon, name=bn)(conv(x))
    return layers.ReLU(6.0, name=relu)(x)


# --- MobileNet v1 ----------------------------------------------------------------------------

def depthwise_separable(x, filters: int, stride: int, number: int, *, rule: str, epsilon: float):
    """Figure 3 (right): a 3x3 depthwise convolution, one filter per channel, that filters;
    then a 1x1 pointwise convolution that combines the channels; each with BatchNorm and ReLU6.
    Where the block halves the maps, the depthwise convolution strides."""
    depthwise = layers.DepthwiseConv2D(3, strides=stride, padding="valid" if stride == 2 else "same",
                                       use_bias=False, name=f"conv_dw_{number}")
    x = conv_bn_relu6(x, depthwise, rule=rule, epsilon=epsilon,
                      pad=f"conv_pad_{number}", bn=f"conv_dw_{number}_bn", relu=f"conv_dw_{number}_relu")
    pointwise = layers.Conv2D(filters, 1, use_bias=False, name=f"conv_pw_{number}")
    return conv_bn_relu6(x, pointwise, rule=rule, epsilon=epsilon,
                         bn=f"conv_pw_{number}_bn", relu=f"conv_pw_{number}_relu")


def mobilenet_v1(input_shape=(224, 224, 3), *, alpha=1.0, padding="tensorflow", epsilon=1e-3,
                 classes=1000, classifier_activation="softmax") -> keras.Model:
    """MobileNet v1, Table 1, every layer thinned to ``alpha`` times its channels: 28 layers
    with weights, counting the depthwise and pointwise halves apart (Section 3.2)."""
    rule = choose("padding", padding, dict(zip(PADDINGS, PADDINGS)))
    choose("classifier_activation", classifier_activation, dict.fromkeys(CLASSIFIER_ACTIVATIONS))
    inputs = keras.Input(shape=input_shape, name="input_layer")  # a fixed name, not a process-wide counter
    stem = layers.Conv2D(v1_width(V1_STEM, alpha), 3, strides=2, use_bias=False, name="conv1")
    x = conv_bn_relu6(inputs, stem, rule=rule, epsilon=epsilon, bn="conv1_bn", relu="conv1_relu")
    for block in v1_blocks(alpha):
        x = depthwise_separable(x, block.filters, block.stride, block.number, rule=rule, epsilon=epsilon)
    # "A final average pooling reduces the spatial resolution to 1 before the fully connected
    # layer", which "has no nonlinearity and feeds into a softmax layer" (Section 3.2).
    x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
    outputs = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    return keras.Model(inputs, outputs, name=f"mobilenet_{alpha:0.2f}_{input_shape[0]}")


# --- MobileNet v2 ----------------------------------------------------------------------------

def inverted_residual(x, block, *, rule: str, epsilon: float):
    """The bottleneck block of Table 1 (v2): a 1x1 expansion to t times the input channels
    (none where t = 1), a 3x3 depthwise convolution, both with ReLU6, then a *linear* 1x1
    projection to the narrow output: BatchNorm and no activation (Section 3.2). Where stride
    and width allow, the input is added back: the shortcut joins the bottlenecks (Section 3.3)."""
    prefix = f"block_{block.number}_" if block.number else "expanded_conv_"
    inputs = x
    if block.expansion != 1:
        expand = layers.Conv2D(block.expanded, 1, use_bias=False, name=f"{prefix}expand")
        x = conv_bn_relu6(x, expand, rule=rule, epsilon=epsilon,
                          bn=f"{prefix}expand_BN", relu=f"{prefix}expand_relu")
    depthwise = layers.DepthwiseConv2D(3, strides=block.stride, padding="valid" if block.stride == 2 else "same",
                                       use_bias=False, name=f"{prefix}depthwise")
    x = conv_bn_relu6(x, depthwise, rule=rule, epsilon=epsilon,
                      pad=f"{prefix}pad", bn=f"{prefix}depthwise_BN", relu=f"{prefix}depthwise_relu")
    # Linear: a ReLU here would zero part of a narrow representation, and what it zeroes is lost.
    x = layers.Conv2D(block.out_channels, 1, use_bias=False, name=f"{prefix}project")(x)
    x = layers.BatchNormalization(epsilon=epsilon, name=f"{prefix}project_BN")(x)
    if block.residual:
        x = layers.Add(name=f"{prefix}add")([inputs, x])
    return x


def mobilenet_v2(input_shape=(224, 224, 3), *, alpha=1.0, padding="tensorflow", epsilon=1e-3,
                 classes=1000, classifier_activation="softmax") -> keras.Model:
    """MobileNet v2, Table 2, widths scaled by ``alpha`` (to multiples of 8) except the last
    convolution's, which only grows (Section 4)."""
    rule = choose("padding", padding, dict(zip(PADDINGS, PADDINGS)))
    choose("classifier_activation", classifier_activation, dict.fromkeys(CLASSIFIER_ACTIVATIONS))
    inputs = keras.Input(shape=input_shape, name="input_layer")
    stem = layers.Conv2D(v2_width(V2_STEM, alpha), 3, strides=2, use_bias=False, name="Conv1")
    x = conv_bn_relu6(inputs, stem, rule=rule, epsilon=epsilon, bn="bn_Conv1", relu="Conv1_relu")
    for block in v2_blocks(alpha):
        x = inverted_residual(x, block, rule=rule, epsilon=epsilon)
    last = layers.Conv2D(v2_last(alpha), 1, use_bias=False, name="Conv_1")
    x = conv_bn_relu6(x, last, rule=rule, epsilon=epsilon, bn="Conv_1_bn", relu="out_relu")
    x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
    x = layers.Dropout(V2_DROPOUT, name="dropout")(x)
    outputs = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    return keras.Model(inputs, outputs, name=f"mobilenetv2_{alpha:0.2f}_{input_shape[0]}")
