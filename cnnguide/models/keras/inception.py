"""GoogLeNet (Inception v1) and its Inception modules in Keras.

Szegedy et al., "Going Deeper with Convolutions", CVPR 2015. Section 4 motivates the module
(Figure 2: (a) the naive version, (b) with 1x1 dimension reductions); Section 5 and Table 1 give
GoogLeNet and its two auxiliary classifiers. Layer names are those of the original Caffe model
(``inception_3a_3x3_reduce``, ``inception_3a_pool_proj`` ...), with ``_`` for Caffe's ``/``.
The modules' filters come from one table, :mod:`cnnguide.models.inception_configs`, which the
PyTorch builder reads too.

Options, as in ``cnnguide.models.torch.inception``: ``variant`` "paper" (Table 1) or
"torchvision" (BatchNorm after every convolution, and a 3x3 where the paper has 5x5);
``aux_logits`` adds the two auxiliary classifiers as extra outputs.
"""

from __future__ import annotations

import keras
from keras import layers

from ..inception_configs import AUXILIARY_AFTER, CONV2, INCEPTIONS, MAX_POOL_AFTER
from ..options import CLASSIFIER_ACTIVATIONS, choose

VARIANTS = {"paper": {"batch_norm": False, "branch3_kernel": 5},
            "torchvision": {"batch_norm": True, "branch3_kernel": 3}}

def conv(x, filters: int, kernel: int, name: str, *, strides: int = 1, batch_norm: bool = False):
    """A convolution and its ReLU ("same" padding), with BatchNorm between in the torchvision
    variant. Only used at stride 1 or with explicit padding: at stride 2 TensorFlow's "same"
    would pad the bottom/right only."""
    if not batch_norm:
        return layers.Conv2D(filters, kernel, strides=strides, padding="same", activation="relu",
                             name=name)(x)
    x = layers.Conv2D(filters, kernel, strides=strides, padding="same", use_bias=False, name=name)(x)
    x = layers.BatchNormalization(epsilon=0.001, name=name + "_bn")(x)
    return layers.Activation("relu", name=name + "_relu")(x)


def naive_inception(x, ch1x1: int, ch3x3: int, ch5x5: int, pool_proj: int, name: str):
    """Figure 2(a): 1x1, 3x3 and 5x5 convolutions and a 3x3 max pool side by side. "same"
    padding everywhere (the pool too) keeps every branch at the input's size, which is what
    lets the four outputs be stacked along the channel axis."""
    branch1 = conv(x, ch1x1, 1, name + "_1x1")
    branch2 = conv(x, ch3x3, 3, name + "_3x3")
    branch3 = conv(x, ch5x5, 5, name + "_5x5")
    branch4 = layers.MaxPooling2D(3, strides=1, padding="same", name=name + "_pool")(x)
    branch4 = conv(branch4, pool_proj, 1, name + "_pool_proj")
    return layers.Concatenate(name=name + "_output")([branch1, branch2, branch3, branch4])


def inception(x, ch1x1: int, ch3x3red: int, ch3x3: int, ch5x5red: int, ch5x5: int,
              pool_proj: int, name: str, *, batch_norm: bool = False, branch3_kernel: int = 5):
    """Figure 2(b): 1x1 convolutions reduce the channels before the 3x3 and 5x5 convolutions
    (and project the pooled branch): the same output for a tenth of the multiplications."""
    options = dict(batch_norm=batch_norm)
    branch1 = conv(x, ch1x1, 1, name + "_1x1", **options)
    branch2 = conv(x, ch3x3red, 1, name + "_3x3_reduce", **options)
    branch2 = conv(branch2, ch3x3, 3, name + "_3x3", **options)
    branch3 = conv(x, ch5x5red, 1, name + "_5x5_reduce", **options)
    branch3 = conv(branch3, ch5x5, branch3_kernel, name + "_5x5", **options)
    branch4 = layers.MaxPooling2D(3, strides=1, padding="same", name=name + "_pool")(x)
    branch4 = conv(branch4, pool_proj, 1, name + "_pool_proj", **options)
    return layers.Concatenate(name=name + "_output")([branch1, branch2, branch3, branch4])


def inception_aux(x, classes: int, name: str, *, batch_norm: bool, classifier_activation):
    """An auxiliary classifier (end of Section 5): 5x5/3 average pool, 1x1 conv to 128,
    fully connected 1024 with 70% dropout, then the classes."""
    x = layers.AveragePooling2D(5, strides=3, name=name + "_ave_pool")(x)
    x = conv(x, 128, 1, name + "_conv", batch_norm=batch_norm)
    x = layers.Flatten(name=name + "_flatten")(x)
    x = layers.Dense(1024, activation="relu", name=name + "_fc")(x)
    x = layers.Dropout(0.7, name=name + "_drop_fc")(x)
    return layers.Dense(classes, activation=classifier_activation, name=name + "_classifier")(x)


def max_pool(x, name: str):
    """3x3/2 max pooling that rounds the size up, as Caffe's GoogLeNet and PyTorch's
    ``ceil_mode=True`` do: 112 -> 56 -> 28 -> 14 -> 7, as in Table 1.

    Not TensorFlow's "same": on an odd size it pads both sides and gives one more row (15 -> 8,
    where ceil mode gives 7), so the two frameworks would build different networks. One zero row
    and column at the bottom/right make the last, partial window instead; the pooled maps are
    ReLU outputs (>= 0), so a zero never wins the max.
    """
    x = layers.ZeroPadding2D(((0, 1), (0, 1)), name=name + "_pad")(x)
    return layers.MaxPooling2D(3, strides=2, name=name)(x)


def googlenet(input_shape=(224, 224, 3), *, variant="paper", aux_logits=False, classes=1000,
              classifier_activation="softmax") -> keras.Model:
    """GoogLeNet as in Table 1 (or torchvision's variant); with ``aux_logits`` its outputs are
    (main, aux1, aux2)."""
    options = choose("variant", variant, VARIANTS)
    choose("classifier_activation", classifier_activation, dict.fromkeys(CLASSIFIER_ACTIVATIONS))
    bn = dict(batch_norm=options["batch_norm"])
    inputs = keras.Input(shape=input_shape, name="input_layer")  # a fixed name, not a process-wide counter
    x = layers.ZeroPadding2D(3, name="conv1_7x7_s2_pad")(inputs)
    if options["batch_norm"]:
        x = layers.Conv2D(64, 7, strides=2, use_bias=False, name="conv1_7x7_s2")(x)
        x = layers.BatchNormalization(epsilon=0.001, name="conv1_7x7_s2_bn")(x)
        x = layers.Activation("relu", name="conv1_7x7_s2_relu")(x)
    else:
        x = layers.Conv2D(64, 7, strides=2, activation="relu", name="conv1_7x7_s2")(x)
    x = max_pool(x, "pool1_3x3_s2")
    x = conv(x, CONV2[0], 1, "conv2_3x3_reduce", **bn)
    x = conv(x, CONV2[1], 3, "conv2_3x3", **bn)
    x = max_pool(x, "pool2_3x3_s2")
    outputs = []
    for name in INCEPTIONS:  # 3a ... 5b, top to bottom
        x = inception(x, *INCEPTIONS[name], f"inception_{name}", **options)
        if aux_logits and name in AUXILIARY_AFTER:
            outputs.append(inception_aux(x, classes, f"loss{len(outputs) + 1}", **bn,
                                         classifier_activation=classifier_activation))
        if name in MAX_POOL_AFTER:
            x = max_pool(x, f"pool{name[0]}_3x3_s2")  # pool3 closes stage 3, pool4 stage 4
    x = layers.GlobalAveragePooling2D(name="pool5_7x7_s1")(x)
    x = layers.Dropout(0.4, name="pool5_drop_7x7_s1")(x)
    main = layers.Dense(classes, activation=classifier_activation, name="loss3_classifier")(x)
    return keras.Model(inputs, [main, *outputs] if aux_logits else main, name="googlenet")


def inception_naive(input_shape=(224, 224, 3)) -> keras.Model:
    """The source post's module: 1x1 (64), 3x3 (128), 5x5 (32), pool -> 1x1 (32), no reductions."""
    inputs = keras.Input(shape=input_shape, name="input_layer")  # a fixed name, not a process-wide counter
    return keras.Model(inputs, naive_inception(inputs, 64, 128, 32, 32, "inception_naive"),
                       name="inception_naive")


def inception_module(input_shape=(28, 28, 192)) -> keras.Model:
    """GoogLeNet's inception (3a), with 1x1 reductions, on its 28x28x192 input (Table 1)."""
    inputs = keras.Input(shape=input_shape, name="input_layer")  # a fixed name, not a process-wide counter
    return keras.Model(inputs, inception(inputs, *INCEPTIONS["3a"], "inception_3a"),
                       name="inception_module")
