"""ResNet in Keras.

He, Zhang, Ren, Sun, "Deep Residual Learning for Image Recognition", CVPR 2016. Section 3.3 and
Table 1 give the networks; Figure 5 the two blocks. Written in the functional style of
keras.applications' resnet.py, with its layer names (``conv2_block1_1_conv`` = stage conv2,
block 1, first convolution; ``_0_`` is the projection shortcut), so a layer can be found in the
summary and keras.applications weights load by name. The stages and depths come from one table,
:mod:`cnnguide.models.resnet_configs`, which the PyTorch builder reads too.

Options, as in ``cnnguide.models.torch.resnet``: ``version`` "v1" (the paper: a downsampling
bottleneck strides in its first 1x1) or "v1.5" (strides in the 3x3); ``conv_bias`` and
``epsilon`` (keras.applications uses biases and 1.001e-5; the paper and torchvision neither).
"""

from __future__ import annotations

import keras
from keras import layers

from ...shapes import check_min_size
from .blocks import squeeze_excite
from ..options import CLASSIFIER_ACTIVATIONS, choose
from ..resnet_configs import (DEPTHS, EXPANSION, POST_MIN_SIZE, RESNEXT_50_32X4D, SE_REDUCTION, WIDTHS,
                              bottleneck_width, se_channels)

VERSIONS = {"v1": "1x1", "v1.5": "3x3"}


def conv3x3(x, filters: int, stride: int, name: str, bias: bool, groups: int = 1):
    """A 3x3 convolution. At stride 2, TensorFlow's "same" padding would put the extra row and
    column at the bottom/right only; padding 1 on every side first matches the paper's (and
    PyTorch's) symmetric padding."""
    if stride == 1:
        return layers.Conv2D(filters, 3, padding="same", use_bias=bias, groups=groups, name=name + "_conv")(x)
    x = layers.ZeroPadding2D(1, name=name + "_pad")(x)
    return layers.Conv2D(filters, 3, strides=stride, use_bias=bias, groups=groups, name=name + "_conv")(x)


def basic_block(x, filters: int, stride: int = 1, shortcut: bool = False, *, name: str,
                bias: bool = False, epsilon: float = 1e-5, stride_on: str = "1x1"):
    """Two 3x3 convolutions and a shortcut: Figure 5, left."""
    if shortcut:  # projection shortcut (option B, Section 3.3) where the shape changes
        identity = layers.Conv2D(filters, 1, strides=stride, use_bias=bias, name=name + "_0_conv")(x)
        identity = layers.BatchNormalization(epsilon=epsilon, name=name + "_0_bn")(identity)
    else:
        identity = x
    x = conv3x3(x, filters, stride, name + "_1", bias)
    x = layers.BatchNormalization(epsilon=epsilon, name=name + "_1_bn")(x)
    x = layers.Activation("relu", name=name + "_1_relu")(x)
    x = conv3x3(x, filters, 1, name + "_2", bias)
    x = layers.BatchNormalization(epsilon=epsilon, name=name + "_2_bn")(x)
    # The skip connection: add a[l] to z[l+2], then the ReLU (Section 3.2, Eq. 1).
    x = layers.Add(name=name + "_add")([x, identity])
    return layers.Activation("relu", name=name + "_out")(x)


# --8<-- [start:bottleneck]
def bottleneck_block(x, filters: int, stride: int = 1, shortcut: bool = False, *, name: str,
                     bias: bool = False, epsilon: float = 1e-5, stride_on: str = "1x1",
                     groups: int = 1, width_per_group: int = 64, se_reduction: int | None = None):
    """1x1 (reduce), 3x3, 1x1 (expand by 4) and a shortcut: Figure 5, right.

    ``groups`` and ``width_per_group``: ResNeXt's block (Xie et al. 2017, Figure 3c), its 3x3
    convolution split into groups. ``se_reduction``: SE-ResNet's (Hu et al. 2018, Figure 3),
    the expanded maps rescaled by squeeze-and-excitation before the shortcut is added."""
    expanded = EXPANSION["bottleneck"] * filters
    width = bottleneck_width(filters, groups, width_per_group)
    if shortcut:
        identity = layers.Conv2D(expanded, 1, strides=stride, use_bias=bias, name=name + "_0_conv")(x)
        identity = layers.BatchNormalization(epsilon=epsilon, name=name + "_0_bn")(identity)
    else:
        identity = x
    stride_1x1, stride_3x3 = (stride, 1) if stride_on == "1x1" else (1, stride)
    x = layers.Conv2D(width, 1, strides=stride_1x1, use_bias=bias, name=name + "_1_conv")(x)
    x = layers.BatchNormalization(epsilon=epsilon, name=name + "_1_bn")(x)
    x = layers.Activation("relu", name=name + "_1_relu")(x)
    x = conv3x3(x, width, stride_3x3, name + "_2", bias, groups)
    x = layers.BatchNormalization(epsilon=epsilon, name=name + "_2_bn")(x)
    x = layers.Activation("relu", name=name + "_2_relu")(x)
    x = layers.Conv2D(expanded, 1, use_bias=bias, name=name + "_3_conv")(x)
    x = layers.BatchNormalization(epsilon=epsilon, name=name + "_3_bn")(x)
    if se_reduction:
        x = squeeze_excite(x, se_channels(expanded, se_reduction), name + "_")
    x = layers.Add(name=name + "_add")([x, identity])
    return layers.Activation("relu", name=name + "_out")(x)
# --8<-- [end:bottleneck]


BLOCKS = {"basic": basic_block, "bottleneck": bottleneck_block}
"""The block function of each kind in :data:`~cnnguide.models.resnet_configs.DEPTHS`."""


def stack(x, block: str, filters: int, blocks: int, stride: int, name: str, **options):
    """One stage (``conv2_x`` ... ``conv5_x`` in Table 1): ``blocks`` blocks, the first may
    downsample and project."""
    block_fn = BLOCKS[block]
    needs_projection = stride != 1 or x.shape[-1] != filters * EXPANSION[block]
    x = block_fn(x, filters, stride, needs_projection, name=f"{name}_block1", **options)
    for i in range(2, blocks + 1):
        x = block_fn(x, filters, name=f"{name}_block{i}", **options)
    return x


def ResNet(block: str, blocks_per_stage: tuple[int, ...], input_shape, *, version: str = "v1",
           conv_bias: bool = False, epsilon: float = 1e-5, include_top: bool = True,
           classes: int = 1000, classifier_activation: str | None = "softmax",
           name: str = "resnet", **bottleneck) -> keras.Model:
    """conv1 - max pool - four stages - global average pool - dense. ``bottleneck``: the
    options only a bottleneck block has (ResNeXt's groups, SE-ResNet's reduction)."""
    options = dict(bias=conv_bias, epsilon=epsilon, stride_on=choose("version", version, VERSIONS), **bottleneck)
    choose("classifier_activation", classifier_activation, dict.fromkeys(CLASSIFIER_ACTIVATIONS))
    inputs = keras.Input(shape=input_shape, name="input_layer")  # a fixed name, not a process-wide counter
    x = layers.ZeroPadding2D(3, name="conv1_pad")(inputs)
    x = layers.Conv2D(64, 7, strides=2, use_bias=conv_bias, name="conv1_conv")(x)
    x = layers.BatchNormalization(epsilon=epsilon, name="conv1_bn")(x)
    x = layers.Activation("relu", name="conv1_relu")(x)
    x = layers.ZeroPadding2D(1, name="pool1_pad")(x)  # after a ReLU, zero padding = -inf padding
    x = layers.MaxPooling2D(3, strides=2, name="pool1_pool")(x)
    for stage, (filters, blocks) in enumerate(zip(WIDTHS, blocks_per_stage), start=2):
        x = stack(x, block, filters, blocks, 1 if stage == 2 else 2, f"conv{stage}", **options)
    if include_top:
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
        x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    return keras.Model(inputs, x, name=name)


def _builder(depth: int):
    """A builder ``resnet<depth>(input_shape, **options)`` with its options spelled out (the
    same names and defaults as the PyTorch builders)."""
    block, blocks = DEPTHS[depth]

    def build(input_shape=(224, 224, 3), *, version="v1", conv_bias=False, epsilon=1e-5,
              include_top=True, classes=1000, classifier_activation="softmax") -> keras.Model:
        return ResNet(block, blocks, input_shape, version=version, conv_bias=conv_bias,
                      epsilon=epsilon, include_top=include_top, classes=classes,
                      classifier_activation=classifier_activation, name=f"resnet{depth}")

    build.__name__ = build.__qualname__ = f"resnet{depth}"
    build.__doc__ = f"ResNet-{depth}: {block} blocks, {blocks} per stage (Table 1)."
    return build


resnet18, resnet34, resnet50, resnet101, resnet152 = (_builder(d) for d in DEPTHS)


# --8<-- [start:resnext]
def resnext50_32x4d(input_shape=(224, 224, 3), *, groups=RESNEXT_50_32X4D["groups"],
                    width_per_group=RESNEXT_50_32X4D["width_per_group"], version="v1.5", conv_bias=False,
                    epsilon=1e-5, include_top=True, classes=1000, classifier_activation="softmax") -> keras.Model:
    """ResNeXt-50 (32x4d), Xie et al. 2017, Table 1: ResNet-50 with grouped 3x3 convolutions.
    The paper strides in the 3x3 convolution (Section 4), so ``version`` defaults to "v1.5"."""
    block, blocks = DEPTHS[50]
    return ResNet(block, blocks, input_shape, version=version, conv_bias=conv_bias, epsilon=epsilon,
                  include_top=include_top, classes=classes, classifier_activation=classifier_activation,
                  name="resnext50_32x4d", groups=groups, width_per_group=width_per_group)
# --8<-- [end:resnext]


# --8<-- [start:se_resnet]
def se_resnet50(input_shape=(224, 224, 3), *, se_reduction=SE_REDUCTION, version="v1", conv_bias=False,
                epsilon=1e-5, include_top=True, classes=1000, classifier_activation="softmax") -> keras.Model:
    """SE-ResNet-50, Hu et al. 2018, Table 1: ResNet-50 with squeeze-and-excitation in every
    block, reduction ratio ``se_reduction``."""
    block, blocks = DEPTHS[50]
    return ResNet(block, blocks, input_shape, version=version, conv_bias=conv_bias, epsilon=epsilon,
                  include_top=include_top, classes=classes, classifier_activation=classifier_activation,
                  name="se_resnet50", se_reduction=se_reduction)
# --8<-- [end:se_resnet]


def resnet50_post(input_shape=(224, 224, 3), *, classes=1000,
                  classifier_activation="softmax") -> keras.Model:
    """The source post's construction, as its code writes it: keras.applications.ResNet50
    without its top, frozen, then Flatten -> Dense 4096 (ReLU) -> Dense 1000 (softmax).

    Built with ``weights=None``: nothing can be downloaded while the site builds, and the page
    is about the architecture.
    """
    check_min_size(input_shape, POST_MIN_SIZE, "resnet50_post", "keras.applications.ResNet50's limit")
    base = keras.applications.ResNet50(weights=None, include_top=False, input_shape=input_shape)
    base.trainable = False
    return keras.Sequential([
        keras.Input(shape=input_shape),
        base,
        layers.Flatten(name="flatten"),
        # 7 x 7 x 2048 = 100,352 inputs per unit: this one layer outweighs the whole backbone.
        layers.Dense(4096, activation="relu", name="fc1"),
        layers.Dense(classes, activation=classifier_activation, name="predictions"),
    ], name="resnet50_post")
