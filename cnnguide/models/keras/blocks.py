"""Blocks that more than one network of the site is made of, in Keras (the same in
:mod:`cnnguide.models.torch.blocks`). A model file imports its own family's configuration and
these; a change here invalidates every cached result (cnnguide.cache.CORE)."""

from __future__ import annotations

from keras import layers


def squeeze_excite(x, squeeze: int, name: str, activation: str = "relu"):
    """Squeeze-and-excitation (Hu, Shen, Sun, CVPR 2018, Figure 3): pool each channel to one
    number (squeeze), a bottleneck of ``squeeze`` channels with ``activation`` and back to the
    maps' channels with a sigmoid (excitation), then scale each map by its number. 1x1
    convolutions stand for the paper's fully connected layers (the same weights on a 1x1 map),
    with biases, as torchvision and timm write them. Layers are named ``name`` + "se_...".

    SE-ResNet uses a ReLU and C / 16 channels (the paper); EfficientNet a swish and a quarter of
    the block's input channels (Tan and Le 2019)."""
    channels = x.shape[-1]
    se = layers.GlobalAveragePooling2D(keepdims=True, name=f"{name}se_squeeze")(x)
    se = layers.Conv2D(squeeze, 1, activation=activation, name=f"{name}se_reduce")(se)
    se = layers.Conv2D(channels, 1, activation="sigmoid", name=f"{name}se_expand")(se)
    return layers.Multiply(name=f"{name}se_excite")([x, se])
