"""AlexNet in Keras.

Krizhevsky, Sutskever, Hinton, "ImageNet Classification with Deep Convolutional Neural
Networks", NIPS 2012. Section 3 describes the network: 3.1 the ReLU, 3.2 the split across two
GPUs, 3.3 local response normalization (LRN), 3.4 overlapping pooling, 3.5 the whole network;
Section 4.2 adds dropout. Layer names follow the paper's numbering (conv1 ... conv5, fc6 ...
fc8), as Caffe's reference AlexNet named them.

Three forms are built here:

* :func:`alexnet`, the paper's network: LRN after conv1 and conv2, 3x3 pooling windows with
  stride 2 (they overlap), and the two-GPU split written as grouped convolutions
  (``groups=2``) where a GPU's kernels only read that GPU's maps: conv2, conv4 and conv5.
  The paper says 224x224x3, but only 227x227x3 gives the 55x55 maps of its Figure 2 (the page
  computes both), so 227 is the default.
* :func:`alexnet_post`, the source blog post's ``Sequential`` as written: the same layer sizes,
  without LRN and without the split.
* :func:`alexnet_torchvision`, the single-GPU variant that torchvision ships (Krizhevsky 2014,
  "One weird trick for parallelizing convolutional neural networks"): 64/192/384/256/256
  filters and a 224x224x3 input; here so that a library model has an exact twin in both
  frameworks.
"""

from __future__ import annotations

import keras
import tensorflow as tf
from keras import layers

from ..options import CLASSIFIER_ACTIVATIONS, choose

ACTIVATIONS = {"relu": "relu", "tanh": "tanh", "sigmoid": "sigmoid"}


@keras.saving.register_keras_serializable(package="cnnguide")
class LocalResponseNormalization(layers.Layer):
    """Section 3.3: each activation is divided by the activity of its ``size`` neighbouring maps.

    b[i] = a[i] / (k + alpha * sum of a[j]^2 for the ``size`` maps j around i) ** beta

    Keras has no LRN layer, so this wraps TensorFlow's. Its ``alpha`` multiplies the plain sum,
    exactly as the paper writes it (PyTorch's ``nn.LocalResponseNorm`` divides its alpha by the
    window size: the PyTorch model passes ``alpha * size``). There is nothing to learn.
    """

    def __init__(self, size: int = 5, k: float = 2.0, alpha: float = 1e-4, beta: float = 0.75,
                 **kwargs) -> None:
        super().__init__(**kwargs)
        self.size, self.k, self.alpha, self.beta = size, k, alpha, beta

    def call(self, inputs):
        # TensorFlow asks for the window as a radius: the map itself and size // 2 on each side.
        return tf.nn.local_response_normalization(
            inputs, depth_radius=self.size // 2, bias=self.k, alpha=self.alpha, beta=self.beta)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        return {**super().get_config(), "size": self.size, "k": self.k, "alpha": self.alpha,
                "beta": self.beta}


def _check(activation: str, classifier_activation: str | None) -> str:
    choose("classifier_activation", classifier_activation, dict.fromkeys(CLASSIFIER_ACTIVATIONS))
    return choose("activation", activation, ACTIVATIONS)


def alexnet(
    input_shape: tuple[int, int, int] = (227, 227, 3),
    *,
    activation: str = "relu",
    classes: int = 1000,
    classifier_activation: str | None = "softmax",
) -> keras.Model:
    """The paper's AlexNet (Section 3.5, Figure 2): 60,965,224 parameters at 227x227x3 (computed
    in the tests; the paper rounds to "60 million")."""
    act = _check(activation, classifier_activation)
    return keras.Sequential(
        [
            keras.Input(shape=input_shape),
            # conv1: 96 kernels of 11x11x3 with stride 4, the pixel distance between
            # neighbouring receptive fields. No padding: (227 - 11) / 4 + 1 = 55.
            layers.Conv2D(96, 11, strides=4, activation=act, name="conv1"),
            # LRN after the ReLU of conv1 and conv2 only (Section 3.3): k=2, n=5,
            # alpha=1e-4, beta=0.75 were chosen on a validation set.
            LocalResponseNormalization(size=5, k=2.0, alpha=1e-4, beta=0.75, name="norm1"),
            # Overlapping pooling (Section 3.4): 3x3 windows 2 apart. The paper found it
            # slightly harder to overfit than 2x2 windows 2 apart.
            layers.MaxPooling2D(3, strides=2, name="pool1"),
            # conv2, conv4 and conv5 only see the maps on their own GPU (Section 3.5): two
            # groups, each a 5x5x48 (or 3x3x192) kernel, half the weights of a full layer.
            layers.Conv2D(256, 5, padding="same", groups=2, activation=act, name="conv2"),
            LocalResponseNormalization(size=5, k=2.0, alpha=1e-4, beta=0.75, name="norm2"),
            layers.MaxPooling2D(3, strides=2, name="pool2"),
            # conv3 is where the two GPUs talk: its kernels read all 256 maps of layer 2.
            layers.Conv2D(384, 3, padding="same", activation=act, name="conv3"),
            layers.Conv2D(384, 3, padding="same", groups=2, activation=act, name="conv4"),
            layers.Conv2D(256, 3, padding="same", groups=2, activation=act, name="conv5"),
            layers.MaxPooling2D(3, strides=2, name="pool5"),
            layers.Flatten(name="flatten"),
            # Dropout (Section 4.2) zeroes each output of fc6 and fc7 with probability 0.5
            # while training, so that no neuron can rely on particular others.
            layers.Dense(4096, activation=act, name="fc6"),
            layers.Dropout(0.5, name="drop6"),
            layers.Dense(4096, activation=act, name="fc7"),
            layers.Dropout(0.5, name="drop7"),
            layers.Dense(classes, activation=classifier_activation, name="fc8"),
        ],
        name="alexnet",
    )


# --8<-- [start:post]
def alexnet_post(
    input_shape: tuple[int, int, int] = (227, 227, 3),
    *,
    activation: str = "relu",
    classes: int = 1000,
    classifier_activation: str | None = "softmax",
) -> keras.Model:
    """The source post's AlexNet: the paper's layer sizes, no LRN, no two-GPU groups."""
    act = _check(activation, classifier_activation)
    return keras.Sequential(
        [
            keras.Input(shape=input_shape),
            layers.Conv2D(96, 11, strides=4, activation=act, name="conv1"),
            layers.MaxPooling2D(3, strides=2, name="pool1"),
            # Without groups, each conv2 kernel reads all 96 maps (5x5x96, not 5x5x48):
            # twice the weights of the paper's conv2, and the same for conv4 and conv5.
            layers.Conv2D(256, 5, padding="same", activation=act, name="conv2"),
            layers.MaxPooling2D(3, strides=2, name="pool2"),
            layers.Conv2D(384, 3, padding="same", activation=act, name="conv3"),
            layers.Conv2D(384, 3, padding="same", activation=act, name="conv4"),
            layers.Conv2D(256, 3, padding="same", activation=act, name="conv5"),
            layers.MaxPooling2D(3, strides=2, name="pool5"),
            layers.Flatten(name="flatten"),
            layers.Dense(4096, activation=act, name="fc6"),
            layers.Dropout(0.5, name="drop6"),
            layers.Dense(4096, activation=act, name="fc7"),
            layers.Dropout(0.5, name="drop7"),
            layers.Dense(classes, activation=classifier_activation, name="fc8"),
        ],
        name="alexnet_post",
    )
# --8<-- [end:post]


def alexnet_torchvision(
    input_shape: tuple[int, int, int] = (224, 224, 3),
    *,
    classes: int = 1000,
    classifier_activation: str | None = "softmax",
) -> keras.Model:
    """torchvision's AlexNet, layer for layer: one GPU, narrower convolutions, no LRN."""
    _check("relu", classifier_activation)
    return keras.Sequential(
        [
            keras.Input(shape=input_shape),
            # torchvision pads conv1 by 2 on every side. Keras's "same" would pad by what
            # stride 4 needs, not by 2, so the padding is a layer of its own (as
            # keras.applications does before its strided convolutions): (224 + 4 - 11) // 4 + 1 = 55.
            layers.ZeroPadding2D(2, name="pad1"),
            layers.Conv2D(64, 11, strides=4, activation="relu", name="conv1"),
            layers.MaxPooling2D(3, strides=2, name="pool1"),
            layers.Conv2D(192, 5, padding="same", activation="relu", name="conv2"),
            layers.MaxPooling2D(3, strides=2, name="pool2"),
            layers.Conv2D(384, 3, padding="same", activation="relu", name="conv3"),
            layers.Conv2D(256, 3, padding="same", activation="relu", name="conv4"),
            layers.Conv2D(256, 3, padding="same", activation="relu", name="conv5"),
            layers.MaxPooling2D(3, strides=2, name="pool5"),
            # Averages the maps down to 6x6 whatever the input size (at 224 they already are
            # 6x6), so fc6 always has 6*6*256 inputs.
            layers.AdaptiveAveragePooling2D(6, name="avgpool"),
            # torchvision drops out the inputs of fc6 and fc7, where the paper drops out the
            # outputs of fc6 and fc7: a different mask while training, the same network after.
            # Zeroing random values of the 6x6x256 maps before Flatten is the same as zeroing
            # them after it; before, Flatten feeds fc6 directly, which is where
            # cnnguide.parity looks for it to reorder fc6's inputs (NHWC vs NCHW).
            layers.Dropout(0.5, name="drop6"),
            layers.Flatten(name="flatten"),
            layers.Dense(4096, activation="relu", name="fc6"),
            layers.Dropout(0.5, name="drop7"),
            layers.Dense(4096, activation="relu", name="fc7"),
            layers.Dense(classes, activation=classifier_activation, name="fc8"),
        ],
        name="alexnet_torchvision",
    )
