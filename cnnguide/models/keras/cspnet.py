"""CSPNet in Keras: CSPResNeXt-50.

Wang, Liao, Wu, Chen, Hsieh, Yeh, "CSPNet: A New Backbone that can Enhance Learning Capability
of CNN", CVPR Workshops 2020. Section 3.1 and Figure 2 give the cross-stage partial stage,
Section 4 the ImageNet network. Written in the functional style of keras.applications, named as
its ResNets are (``conv3_block1_2_conv`` = stage conv3, block 1, second convolution;
``conv3_exp_conv`` = the stage's 1x1 before the split). The table both frameworks build from is
:mod:`cnnguide.models.cspnet_configs`.

Keras has no layer for two things this network needs, so two small ones are defined here:
splitting the channels in two parts, and padding with -inf before a max pooling (PyTorch's
``MaxPool2d(padding=1)`` pads so; zeros would win the max wherever the leaky ReLU left only
negative values at the border).
"""

from __future__ import annotations

import keras
from keras import layers

from ..cspnet_configs import CARDINALITY, CSPRESNEXT50, LEAKY_SLOPE, STEM_WIDTH, Stage, check_groups, part_channels
from ..options import CLASSIFIER_ACTIVATIONS, choose


class ChannelSplit(layers.Layer):
    """Split the channels into the part that crosses the stage and the ``part`` that goes
    through it: x0 = [x0', x0''] (Section 3.1)."""

    def __init__(self, part: int, **kwargs) -> None:
        super().__init__(**kwargs)
        self.part = part

    def call(self, x):
        return keras.ops.split(x, [x.shape[-1] - self.part], axis=-1)

    def compute_output_shape(self, shape):
        return [(*shape[:-1], shape[-1] - self.part), (*shape[:-1], self.part)]

    def get_config(self) -> dict:
        return {**super().get_config(), "part": self.part}


class MaxPoolPadding2D(layers.Layer):
    """Pad height and width by ``padding`` on every side with -inf, which never wins a max."""

    def __init__(self, padding: int, **kwargs) -> None:
        super().__init__(**kwargs)
        self.padding = padding

    def call(self, x):
        p = self.padding
        return keras.ops.pad(x, [[0, 0], [p, p], [p, p], [0, 0]], constant_values=float("-inf"))

    def compute_output_shape(self, shape):
        grow = lambda n: None if n is None else n + 2 * self.padding  # noqa: E731
        return (shape[0], grow(shape[1]), grow(shape[2]), shape[3])

    def get_config(self) -> dict:
        return {**super().get_config(), "padding": self.padding}


def conv_bn_act(x, filters: int, kernel_size: int, stride: int = 1, groups: int = 1, act: bool = True, *,
                name: str):
    """Convolution (no bias), BatchNorm, leaky ReLU. At stride 2 the padding is explicit and
    symmetric: TensorFlow's "same" would pad only the bottom/right."""
    if stride > 1:
        x = layers.ZeroPadding2D(kernel_size // 2, name=name + "_pad")(x)
    x = layers.Conv2D(filters, kernel_size, strides=stride, padding="same" if stride == 1 else "valid",
                      groups=groups, use_bias=False, name=name + "_conv")(x)
    x = layers.BatchNormalization(epsilon=1e-5, name=name + "_bn")(x)
    return layers.LeakyReLU(negative_slope=LEAKY_SLOPE, name=name + "_act")(x) if act else x


def resnext_block(x, groups: int, *, name: str):
    """1x1, grouped 3x3, 1x1 (no activation), the identity added, then the activation: ResNeXt's
    block (Xie et al. 2017, Figure 3c) at the part's own width, without ResNeXt-50's 4x expansion."""
    channels = x.shape[-1]
    y = conv_bn_act(x, channels, 1, name=name + "_1")
    y = conv_bn_act(y, channels, 3, groups=groups, name=name + "_2")
    y = conv_bn_act(y, channels, 1, act=False, name=name + "_3")
    y = layers.Add(name=name + "_add")([y, x])
    return layers.LeakyReLU(negative_slope=LEAKY_SLOPE, name=name + "_out")(y)


def cross_stage(x, stage: Stage, groups: int, *, name: str):
    """A cross-stage partial stage (Section 3.1, Figure 2): downsample, one 1x1 convolution split
    into x0' (crosses the stage) and x0'' (through the blocks and a 1x1 transition), the two
    concatenated and mixed by a last 1x1 transition ("fusion first and last", Figure 3)."""
    if stage.stride > 1:
        x = conv_bn_act(x, x.shape[-1], 3, stage.stride, groups, name=name + "_down")
    # One 1x1 convolution for both parts, split below: the authors' two 1x1 convolutions at once
    # (BatchNorm acts on each channel alone). No activation, as timm builds it (cross_linear).
    x = conv_bn_act(x, stage.width, 1, act=False, name=name + "_exp")
    part = part_channels(stage.width)
    crossing, through = ChannelSplit(part, name=name + "_split")(x)  # x0', x0''
    for i in range(1, stage.depth + 1):
        through = resnext_block(through, groups, name=f"{name}_block{i}")
    through = conv_bn_act(through, part, 1, name=name + "_transition_b")
    x = layers.Concatenate(name=name + "_concat")([crossing, through])
    return conv_bn_act(x, stage.width, 1, name=name + "_transition")


def CSPResNeXt(stages: tuple[Stage, ...], input_shape, *, groups: int = CARDINALITY, include_top: bool = True,
               classes: int = 1000, classifier_activation: str | None = "softmax",
               name: str = "cspresnext") -> keras.Model:
    """Stem (7x7 convolution at stride 2, 3x3 max pooling at stride 2), four cross-stage partial
    stages (conv2_x ... conv5_x), global average pooling, dense."""
    choose("classifier_activation", classifier_activation, dict.fromkeys(CLASSIFIER_ACTIVATIONS))
    check_groups(groups, stages)
    inputs = keras.Input(shape=input_shape, name="input_layer")  # a fixed name, not a process-wide counter
    x = conv_bn_act(inputs, STEM_WIDTH, 7, stride=2, name="stem")
    x = MaxPoolPadding2D(1, name="stem_pool_pad")(x)
    x = layers.MaxPooling2D(3, strides=2, name="stem_pool")(x)
    for number, stage in enumerate(stages, start=2):  # conv2_x ... conv5_x, as in ResNet
        x = cross_stage(x, stage, groups, name=f"conv{number}")
    if include_top:
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
        x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    return keras.Model(inputs, x, name=name)


def cspresnext50(input_shape=(256, 256, 3), *, groups=CARDINALITY, include_top=True, classes=1000,
                 classifier_activation="softmax") -> keras.Model:
    """CSPResNeXt-50 (Section 4; timm's ``cspresnext50``): stages of 3, 3, 5 and 2 blocks."""
    return CSPResNeXt(CSPRESNEXT50, input_shape, groups=groups, include_top=include_top, classes=classes,
                      classifier_activation=classifier_activation, name="cspresnext50")
