"""DenseNet in Keras.

Huang, Liu, van der Maaten, Weinberger, "Densely Connected Convolutional Networks", CVPR 2017.
Section 3 gives the layers (dense connectivity, the growth rate, bottleneck and compression),
Table 1 the ImageNet networks. Written in the functional style of keras.applications'
densenet.py, with its layer names (``conv2_block1_1_conv`` = dense block 1, layer 1, its 1x1
convolution; ``pool2_conv`` = the transition after it), so a layer can be found in the summary.
The table both frameworks build from is :mod:`cnnguide.models.densenet_configs`.

``epsilon``: BatchNorm's; the paper's Torch code and torchvision use 1e-5, keras.applications
1.001e-5.
"""

from __future__ import annotations

import keras
from keras import layers

from ..densenet_configs import BLOCKS, BN_SIZE, COMPRESSION, GROWTH_RATE, initial_channels, transition_channels
from ..options import CLASSIFIER_ACTIVATIONS, choose


def dense_layer(x, growth_rate: int, bottleneck: bool, epsilon: float, name: str):
    """BN-ReLU-Conv(1x1, 4k)-BN-ReLU-Conv(3x3, k) (DenseNet-B; without ``bottleneck``, only the
    3x3), and its k new maps concatenated after all the maps it read: x_l = H_l([x0 ... x(l-1)])."""
    y = layers.BatchNormalization(epsilon=epsilon, name=name + "_0_bn")(x)
    y = layers.Activation("relu", name=name + "_0_relu")(y)
    if bottleneck:
        y = layers.Conv2D(BN_SIZE * growth_rate, 1, use_bias=False, name=name + "_1_conv")(y)
        y = layers.BatchNormalization(epsilon=epsilon, name=name + "_1_bn")(y)
        y = layers.Activation("relu", name=name + "_1_relu")(y)
    y = layers.Conv2D(growth_rate, 3, padding="same", use_bias=False, name=name + "_2_conv")(y)
    return layers.Concatenate(name=name + "_concat")([x, y])


def transition(x, compression: float, epsilon: float, name: str):
    """BN-ReLU-Conv(1x1) to theta·m maps, then 2x2 average pooling at stride 2 (Section 3)."""
    x = layers.BatchNormalization(epsilon=epsilon, name=name + "_bn")(x)
    x = layers.Activation("relu", name=name + "_relu")(x)
    x = layers.Conv2D(transition_channels(x.shape[-1], compression), 1, use_bias=False, name=name + "_conv")(x)
    return layers.AveragePooling2D(2, strides=2, name=name + "_pool")(x)


def DenseNet(blocks: tuple[int, ...], input_shape, *, growth_rate: int = GROWTH_RATE, bottleneck: bool = True,
             compression: float = COMPRESSION, epsilon: float = 1e-5, include_top: bool = True,
             classes: int = 1000, classifier_activation: str | None = "softmax",
             name: str = "densenet") -> keras.Model:
    """7x7 convolution - max pool - dense blocks with transitions between - BN, ReLU - global
    average pool - dense (Table 1)."""
    choose("classifier_activation", classifier_activation, dict.fromkeys(CLASSIFIER_ACTIVATIONS))
    inputs = keras.Input(shape=input_shape, name="input_layer")  # a fixed name, not a process-wide counter
    x = layers.ZeroPadding2D(3, name="conv1_pad")(inputs)
    x = layers.Conv2D(initial_channels(growth_rate), 7, strides=2, use_bias=False, name="conv1_conv")(x)
    x = layers.BatchNormalization(epsilon=epsilon, name="conv1_bn")(x)
    x = layers.Activation("relu", name="conv1_relu")(x)
    x = layers.ZeroPadding2D(1, name="pool1_pad")(x)  # after a ReLU, zero padding = -inf padding
    x = layers.MaxPooling2D(3, strides=2, name="pool1")(x)
    for block, count in enumerate(blocks, start=2):  # keras.applications counts from conv2
        for i in range(1, count + 1):
            x = dense_layer(x, growth_rate, bottleneck, epsilon, name=f"conv{block}_block{i}")
        if block < len(blocks) + 1:
            x = transition(x, compression, epsilon, name=f"pool{block}")
    x = layers.BatchNormalization(epsilon=epsilon, name="bn")(x)
    x = layers.Activation("relu", name="relu")(x)
    if include_top:
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
        x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    return keras.Model(inputs, x, name=name)


def densenet121(input_shape=(224, 224, 3), *, growth_rate=GROWTH_RATE, bottleneck=True, compression=COMPRESSION,
                epsilon=1e-5, include_top=True, classes=1000, classifier_activation="softmax") -> keras.Model:
    """DenseNet-121 (DenseNet-BC, k = 32), Table 1: dense blocks of 6, 12, 24 and 16 layers."""
    return DenseNet(BLOCKS[121], input_shape, growth_rate=growth_rate, bottleneck=bottleneck,
                    compression=compression, epsilon=epsilon, include_top=include_top, classes=classes,
                    classifier_activation=classifier_activation, name="densenet121")
