"""The layer kinds of the later networks (MobileNet, Xception, EfficientNet, CSPNet), each proven on a
small model built inline in both frameworks before a network relies on it: the neutral view gives
the same rows (kind, shape, parameters, MACs), the Keras -> PyTorch weight transfer makes the
outputs equal, and a library model's weights load into ours."""

from __future__ import annotations

import numpy as np
import pytest

from cnnguide import frameworks, oracles, parity, summarize
from cnnguide.errors import CnnguideError

SHAPE = (8, 8, 4)


def keras_model(build, shape=SHAPE):
    """A functional Keras model: ``build(inputs, layers)`` returns its output."""
    keras = frameworks.keras()
    inputs = keras.Input(shape=shape, name="input_layer")
    return keras.Model(inputs, build(inputs, keras.layers))


def torch_model(module, shape=SHAPE):
    """``module``, recording its input shape as cnnguide's modules do. (A model is traced into,
    so a lone torch.nn layer goes in an ``nn.Sequential``.)"""
    module.input_shape = shape
    return module.eval()


def nn():
    return frameworks.torch().nn


def randomize_batch_norms(model) -> None:
    """Moving statistics away from (0, 1), so that copying them is tested too."""
    rng = np.random.default_rng(1)
    for layer in model.layers:
        if type(layer).__name__ == "BatchNormalization":
            gamma, beta, mean, var = layer.get_weights()
            layer.set_weights([rng.uniform(0.5, 1.5, gamma.shape), rng.normal(0, 0.1, beta.shape),
                               rng.normal(0, 0.1, mean.shape), rng.uniform(0.5, 1.5, var.shape)])


def assert_one_network(k, t, scale: float = 1.0):
    """Equal rows, then equal outputs once the Keras weights are in the PyTorch model."""
    keras_view, torch_view = summarize(k), summarize(t)
    assert parity.compare_views(keras_view, torch_view) == []
    randomize_batch_norms(k)
    parity.transfer_weights(k, t)
    images = parity.random_images(keras_view.input_shape, batch=2) * scale
    reference = float(np.abs(parity.run(k, images)).max())
    assert reference > 0
    assert parity.max_abs_difference(k, t, images) <= 1e-5 * max(reference, 1.0)
    return keras_view, torch_view


def _padded(x, layers, stride):
    """Explicit padding before a strided layer: Keras's "same" would pad only the bottom/right."""
    return layers.ZeroPadding2D(1)(x) if stride == 2 else x


# --- depthwise and grouped convolutions ---------------------------------------------------

@pytest.mark.parametrize("multiplier", (1, 2))
@pytest.mark.parametrize("stride", (1, 2))
def test_depthwise_convolution(multiplier, stride):
    channels = SHAPE[2]
    k = keras_model(lambda x, L: L.DepthwiseConv2D(
        3, strides=stride, padding="same" if stride == 1 else "valid", depth_multiplier=multiplier,
        name="dw")(_padded(x, L, stride)))
    t = torch_model(nn().Sequential(nn().Conv2d(channels, channels * multiplier, 3, stride, padding=1,
                                                groups=channels)))
    keras_view, _ = assert_one_network(k, t)
    row = keras_view.layer("dw")
    height, width, out = row.output_shape
    assert (row.kind, row.groups, out) == ("conv", channels, channels * multiplier)
    assert row.params == 9 * channels * multiplier + channels * multiplier  # a kernel and a bias per map
    # Kernel elements x output positions: a 3x3 depthwise convolution over C maps costs 9·C per position.
    assert row.macs == 9 * channels * multiplier * height * width


def test_grouped_convolution_costs_its_kernel_times_its_positions():
    k = keras_model(lambda x, L: L.Conv2D(6, 3, padding="same", groups=2, name="grouped")(x))
    t = torch_model(nn().Sequential(nn().Conv2d(4, 6, 3, padding=1, groups=2)))
    keras_view, _ = assert_one_network(k, t)
    row = keras_view.layer("grouped")
    assert row.groups == 2 and row.macs == (3 * 3 * 4 // 2) * 6 * 8 * 8


# --- separable convolution: one Keras layer, two PyTorch convolutions ------------------------

def _separable_torch(channels, filters, stride, multiplier, bias):
    torch_nn = nn()

    class SeparableThenConv(torch_nn.Module):
        def __init__(self):
            super().__init__()
            self.conv_dw = torch_nn.Conv2d(channels, channels * multiplier, 3, stride, padding=1,
                                           groups=channels, bias=False)
            self.conv_pw = torch_nn.Conv2d(channels * multiplier, filters, 1, bias=bias)
            self.relu = torch_nn.ReLU()
            self.after = torch_nn.Conv2d(filters, 3, 1)

        def forward(self, x):
            return self.after(self.relu(self.conv_pw(self.conv_dw(x))))

    return torch_model(SeparableThenConv())


@pytest.mark.parametrize("stride, multiplier, bias", [(1, 1, True), (2, 1, False), (1, 2, True)])
def test_separable_convolution_is_a_depthwise_and_a_pointwise_row(stride, multiplier, bias):
    channels, filters = SHAPE[2], 6

    def build(x, L):
        x = L.SeparableConv2D(filters, 3, strides=stride, padding="same" if stride == 1 else "valid",
                              depth_multiplier=multiplier, use_bias=bias, activation="relu",
                              name="sep")(_padded(x, L, stride))
        return L.Conv2D(3, 1, name="after")(x)

    k = keras_model(build)
    keras_view, _ = assert_one_network(k, _separable_torch(channels, filters, stride, multiplier, bias))
    dw, pw = keras_view.layer("sep_dw"), keras_view.layer("sep_pw")
    height, width, _ = pw.output_shape
    # The stride is the depthwise convolution's; the bias and the activation the pointwise one's.
    assert (dw.groups, dw.strides, dw.bias, dw.activation) == (channels, (stride, stride), False, None)
    assert (pw.groups, pw.kernel_size, pw.bias, pw.activation) == (1, (1, 1), bias, "relu")
    assert dw.output_shape == (height, width, channels * multiplier) and pw.inputs == ("sep_dw",)
    assert keras_view.layer("after").inputs == ("sep_pw",)  # readers of the layer read its last row
    assert dw.params + pw.params == k.get_layer("sep").count_params()
    assert dw.macs == 9 * channels * multiplier * height * width
    assert pw.macs == channels * multiplier * filters * height * width


def test_a_frozen_separable_convolution_counts_as_non_trainable_and_can_end_a_model():
    k = keras_model(lambda x, L: L.SeparableConv2D(5, 3, padding="same", name="sep")(x))
    k.get_layer("sep").trainable = False
    view = summarize(k)
    assert [row.name for row in view.layers] == ["sep_dw", "sep_pw"]
    assert view.trainable == 0 and view.non_trainable == k.get_layer("sep").count_params()
    assert view.depth == 2 and view.output_shape == (8, 8, 5)


def test_separable_weights_load_from_a_keras_library_model():
    def build(x, L):
        return L.SeparableConv2D(6, 3, padding="same", depth_multiplier=2, name="sep")(x)

    ours, library = keras_model(build), keras_model(build)
    images = parity.random_images(SHAPE, batch=2)
    assert parity.max_abs_difference(ours, library, images) > 1e-3  # two random initialisations
    pairs = oracles.load_library_weights(library, ours)
    assert pairs == [("sep_dw", "sep_dw"), ("sep_pw", "sep_pw")]
    assert parity.max_abs_difference(ours, library, images) == 0.0


# --- activations ------------------------------------------------------------------------------

def _conv_then(activation_module=None, function=None):
    torch_nn = nn()

    class ConvThen(torch_nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = torch_nn.Conv2d(4, 5, 3, padding=1)
            self.act = activation_module

        def forward(self, x):
            x = self.conv(x)
            return self.act(x) if function is None else function(x)

    return torch_model(ConvThen())


KERAS_RELU6 = {
    "ReLU(max_value=6)": lambda x, L: L.ReLU(max_value=6.0)(L.Conv2D(5, 3, padding="same")(x)),
    "Activation('relu6')": lambda x, L: L.Activation("relu6")(L.Conv2D(5, 3, padding="same")(x)),
    "Conv2D(activation='relu6')": lambda x, L: L.Conv2D(5, 3, padding="same", activation="relu6")(x),
}


@pytest.mark.parametrize("spelling", KERAS_RELU6)
@pytest.mark.parametrize("torch_spelling", ("nn.ReLU6", "F.relu6"))
def test_relu6(spelling, torch_spelling):
    functional = frameworks.torch().nn.functional
    t = (_conv_then(nn().ReLU6()) if torch_spelling == "nn.ReLU6" else _conv_then(function=functional.relu6))
    k = keras_model(KERAS_RELU6[spelling])
    keras_view, _ = assert_one_network(k, t, scale=50.0)  # large inputs, so the cap at 6 acts
    assert keras_view.layers[0].activation == "relu6"
    assert np.isclose(parity.run(k, parity.random_images(SHAPE) * 50.0).max(), 6.0)


def test_relu_and_relu6_are_different_rows():
    k = keras_model(lambda x, L: L.ReLU()(L.Conv2D(5, 3, padding="same")(x)))
    assert summarize(k).layers[0].activation == "relu"
    assert parity.compare_views(summarize(k), summarize(_conv_then(nn().ReLU6()))) != []
    capped = keras_model(lambda x, L: L.ReLU(max_value=4.0)(L.Conv2D(5, 3, padding="same")(x)))
    assert summarize(capped).layers[0].activation.startswith("relu(max_value=4.0")


@pytest.mark.parametrize("spelling", ("swish", "silu"))
@pytest.mark.parametrize("torch_spelling", ("nn.SiLU", "F.silu"))
def test_swish_is_silu(spelling, torch_spelling):
    functional = frameworks.torch().nn.functional
    t = _conv_then(nn().SiLU()) if torch_spelling == "nn.SiLU" else _conv_then(function=functional.silu)
    k = keras_model(lambda x, L: L.Conv2D(5, 3, padding="same", activation=spelling)(x))
    keras_view, _ = assert_one_network(k, t)
    assert keras_view.layers[0].activation == "silu"


@pytest.mark.parametrize("torch_spelling", ("nn.LeakyReLU", "F.leaky_relu"))
def test_leaky_relu_carries_its_slope(torch_spelling):
    """CSPNet's activation: Keras ``LeakyReLU(negative_slope=0.01)`` is ``nn.LeakyReLU()``
    (slope 0.01 by default); another slope is another row."""
    functional = frameworks.torch().nn.functional
    t = (_conv_then(nn().LeakyReLU(0.01)) if torch_spelling == "nn.LeakyReLU"
         else _conv_then(function=lambda x: functional.leaky_relu(x, 0.01)))
    k = keras_model(lambda x, L: L.LeakyReLU(negative_slope=0.01)(L.Conv2D(5, 3, padding="same")(x)))
    if torch_spelling == "nn.LeakyReLU":
        keras_view, _ = assert_one_network(k, t)
        assert keras_view.layers[0].activation == "leaky_relu(0.01)"
    steeper = keras_model(lambda x, L: L.LeakyReLU(negative_slope=0.1)(L.Conv2D(5, 3, padding="same")(x)))
    assert parity.compare_views(summarize(steeper), summarize(_conv_then(nn().LeakyReLU(0.01)))) != []


# --- squeeze-and-excitation: pooling that keeps its map, a sigmoid gate, a channel product ---

SQUEEZED = 2


def keras_se(keepdims: bool):
    """Hu et al. 2018, Figure 1, as Keras writes it: keras.applications' EfficientNet pools to a
    vector and reshapes; ``keepdims=True`` keeps the 1 x 1 map in one layer."""
    def build(x, L):
        channels = x.shape[-1]
        if keepdims:
            se = L.GlobalAveragePooling2D(keepdims=True, name="squeeze")(x)
        else:
            se = L.Reshape((1, 1, channels), name="squeeze_map")(L.GlobalAveragePooling2D(name="squeeze")(x))
        se = L.Conv2D(SQUEEZED, 1, activation="relu", name="reduce")(se)
        se = L.Conv2D(channels, 1, activation="sigmoid", name="expand")(se)
        return L.Multiply(name="excite")([x, se])

    return keras_model(build)


def torch_se(spelling: str):
    torch_nn = nn()
    channels = SHAPE[2]
    if spelling == "torchvision":
        return torch_model(frameworks.torchvision().ops.SqueezeExcitation(channels, SQUEEZED))

    class SqueezeExcitation(torch_nn.Module):
        def __init__(self):
            super().__init__()
            self.pool = torch_nn.AdaptiveAvgPool2d(1)
            self.fc1 = torch_nn.Conv2d(channels, SQUEEZED, 1)
            self.relu = torch_nn.ReLU()
            self.fc2 = torch_nn.Conv2d(SQUEEZED, channels, 1)
            self.gate = torch_nn.Sigmoid()

        def forward(self, x):
            squeezed = self.pool(x) if spelling == "module" else x.mean((2, 3), keepdim=True)  # timm's
            return x * self.gate(self.fc2(self.relu(self.fc1(squeezed))))

    return torch_model(SqueezeExcitation())


@pytest.mark.parametrize("keepdims", (True, False), ids=("keepdims", "reshape"))
@pytest.mark.parametrize("spelling", ("module", "mean", "torchvision"))
def test_squeeze_and_excitation(keepdims, spelling):
    keras_view, torch_view = assert_one_network(keras_se(keepdims), torch_se(spelling))
    assert [row.kind for row in keras_view.layers] == ["global_avg_pool", "conv", "conv", "multiply"]
    squeeze, reduce, expand, excite = keras_view.layers
    assert squeeze.output_shape == (1, 1, SHAPE[2])
    assert (reduce.activation, expand.activation) == ("relu", "sigmoid")
    assert sorted(excite.inputs) == sorted(["input", expand.name]) and excite.output_shape == SHAPE
    # The gate's products are not multiply-accumulates; the two 1x1 convolutions on 1x1 are.
    assert keras_view.macs == 2 * SHAPE[2] * SQUEEZED


# --- reshape ----------------------------------------------------------------------------------

def test_a_reshape_to_a_vector_is_a_flatten_and_a_pooled_1x1_convolution_is_a_classifier():
    """keras.applications' MobileNet head (pool keeping 1 x 1, 1x1 convolution, reshape) against
    PyTorch's (adaptive pool, 1x1 convolution, flatten)."""
    torch_nn = nn()

    def build(x, L):
        x = L.GlobalAveragePooling2D(keepdims=True)(x)
        return L.Reshape((7,), name="logits")(L.Conv2D(7, 1, name="conv_preds")(x))

    class Head(torch_nn.Module):
        def __init__(self):
            super().__init__()
            self.pool, self.conv = torch_nn.AdaptiveAvgPool2d(1), torch_nn.Conv2d(4, 7, 1)

        def forward(self, x):
            return self.conv(self.pool(x)).view(x.shape[0], -1)

    keras_view, torch_view = assert_one_network(keras_model(build), torch_model(Head()))
    assert [row.kind for row in torch_view.layers] == ["global_avg_pool", "conv", "flatten"]


def test_a_reshape_that_keeps_a_map_is_a_reshape():
    torch_nn = nn()

    class Unflatten(torch_nn.Module):
        def forward(self, x):
            return x.flatten(1).reshape(x.shape[0], 4, 8, 8)

    keras_view = summarize(keras_model(lambda x, L: L.Reshape((8, 8, 4))(L.Flatten()(x))))
    torch_view = summarize(torch_model(Unflatten()))
    assert [row.kind for row in keras_view.layers] == [row.kind for row in torch_view.layers] == ["flatten", "reshape"]


# --- stochastic depth -------------------------------------------------------------------------

RATE = 0.5


def keras_residual(noise_shape=(None, 1, 1, 1)):
    def build(x, L):
        branch = L.Conv2D(SHAPE[2], 3, padding="same", name="conv")(x)
        branch = L.Dropout(RATE, noise_shape=noise_shape, name="drop")(branch)
        return L.Add(name="add")([branch, x])

    return keras_model(build)


def torch_residual(spelling: str):
    torch_nn = nn()

    class Residual(torch_nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = torch_nn.Conv2d(SHAPE[2], SHAPE[2], 3, padding=1)
            if spelling == "torchvision":
                self.drop = frameworks.torchvision().ops.StochasticDepth(RATE, "row")
            else:
                self.drop = frameworks.timm().layers.DropPath(RATE)

        def forward(self, x):
            return self.drop(self.conv(x)) + x

    return torch_model(Residual())


@pytest.mark.parametrize("spelling", ("torchvision", "timm"))
def test_stochastic_depth_drops_whole_branches_in_training_and_nothing_at_inference(spelling):
    k, t = keras_residual(), torch_residual(spelling)
    keras_view, torch_view = assert_one_network(k, t)  # inference: outputs equal after the copy
    assert [row.kind for row in keras_view.layers] == ["conv", "stochastic_depth", "add"]
    # At inference the branch passes unscaled: the output is x + conv(x).
    images = parity.random_images(SHAPE, batch=8)
    torch = frameworks.torch()
    x = torch.from_numpy(images).permute(0, 3, 1, 2)
    with torch.no_grad():
        branch = t.conv(x).permute(0, 2, 3, 1).numpy()
    np.testing.assert_allclose(parity.run(t, images), images + branch, atol=1e-5)
    # In training each sample keeps its whole branch (scaled by 1 / (1 - rate)) or loses it.
    frameworks.seed("stochastic depth", load=True)
    t.train()
    with torch.no_grad():
        trained = {"torch": t(x).permute(0, 2, 3, 1).numpy(),
                   "keras": k(images, training=True).numpy()}
    for framework, out in trained.items():
        kept = [np.allclose(o, i + b / (1 - RATE), atol=1e-4) for o, i, b in zip(out, images, branch)]
        dropped = [np.allclose(o, i, atol=1e-6) for o, i in zip(out, images)]
        assert all(a != b for a, b in zip(kept, dropped)), framework


def test_element_wise_dropout_stays_dropout():
    assert [row.kind for row in summarize(keras_residual(noise_shape=None)).layers] == ["conv", "dropout", "add"]


# --- library layers: timm's BatchNorm with its activation -------------------------------------

def test_timm_batchnorm_with_its_activation_is_one_batchnorm_row():
    torch_nn = nn()
    timm = frameworks.timm()

    class ConvBnAct(torch_nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = torch_nn.Conv2d(4, 5, 3, padding=1, bias=False)
            self.bn1 = timm.layers.BatchNormAct2d(5, act_layer=torch_nn.ReLU6)

        def forward(self, x):
            return self.bn1(self.conv(x))

    def build(x, L):
        x = L.Conv2D(5, 3, padding="same", use_bias=False)(x)
        return L.ReLU(6.0)(L.BatchNormalization(epsilon=1e-5)(x))

    keras_view, torch_view = assert_one_network(keras_model(build), torch_model(ConvBnAct()), scale=20.0)
    bn = torch_view.layer("bn1")
    assert (bn.kind, bn.activation, bn.trainable, bn.non_trainable) == ("batch_norm", "relu6", 10, 10)


# --- padding ----------------------------------------------------------------------------------

@pytest.mark.parametrize("spelling", ("ZeroPad2d", "F.pad"))
def test_explicit_bottom_right_padding_folds_into_the_convolution(spelling):
    torch_nn = nn()
    functional = frameworks.torch().nn.functional

    class Strided(torch_nn.Module):
        def __init__(self, padding=0, pad=True):
            super().__init__()
            self.pad = torch_nn.ZeroPad2d((0, 1, 0, 1)) if pad and spelling == "ZeroPad2d" else None
            self.functional = pad and spelling == "F.pad"
            self.conv = torch_nn.Conv2d(4, 5, 3, stride=2, padding=padding)

        def forward(self, x):
            if self.pad is not None:
                x = self.pad(x)
            if self.functional:
                x = functional.pad(x, (0, 1, 0, 1))
            return self.conv(x)

    def build(x, L):
        return L.Conv2D(5, 3, strides=2, name="conv")(L.ZeroPadding2D(((0, 1), (0, 1)), name="pad")(x))

    k = keras_model(build)
    keras_view, torch_view = assert_one_network(k, torch_model(Strided()))
    assert [row.name for row in keras_view.layers] == ["conv"] and keras_view.layers[0].input_shape == SHAPE
    # The same maps padded on both sides have the same shapes and other values.
    symmetric = torch_model(Strided(padding=1, pad=False))
    assert parity.compare_views(keras_view, summarize(symmetric)) == []
    parity.transfer_weights(k, symmetric)
    assert parity.max_abs_difference(k, symmetric, parity.random_images(SHAPE)) > 1e-3


# --- CSPNet's split of the channels and -inf padding before a max pooling ------------------------

def test_a_channel_split_is_one_row_whose_parts_are_read_apart():
    """x0 = [x0', x0'']: Keras's ChannelSplit layer (cnnguide.models.keras.cspnet) and PyTorch's
    ``x.split``; the part that goes through a convolution and the part that crosses are
    concatenated in that order."""
    from cnnguide.models.keras.cspnet import ChannelSplit

    torch = frameworks.torch()

    class Split(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = torch.nn.Conv2d(4, 6, 1)
            self.through = torch.nn.Conv2d(3, 3, 3, padding=1)

        def forward(self, x):
            crossing, through = self.conv(x).split(3, dim=1)
            return torch.cat([crossing, self.through(through)], dim=1)

    def build(x, L):
        crossing, through = ChannelSplit(3, name="split")(L.Conv2D(6, 1, name="conv")(x))
        return L.Concatenate(name="concat")([crossing, L.Conv2D(3, 3, padding="same", name="through")(through)])

    keras_view, torch_view = assert_one_network(keras_model(build), torch_model(Split()))
    split = keras_view.layer("split")
    assert (split.kind, split.input_shape, split.output_shape) == ("split", (8, 8, 6), (8, 8, 3))
    assert keras_view.layer("through").inputs == ("split",) and keras_view.layer("concat").inputs == ("split", "through")
    assert [r.kind for r in torch_view.layers] == ["conv", "split", "conv", "concat"]


def test_negative_infinity_padding_folds_into_the_max_pooling_and_never_wins():
    """PyTorch's ``MaxPool2d(3, 2, padding=1)`` pads with -inf; Keras's MaxPoolPadding2D then
    a valid pooling is the same row and the same numbers, on maps whose values are all negative
    (where zero padding would win every border window)."""
    from cnnguide.models.keras.cspnet import MaxPoolPadding2D

    k = keras_model(lambda x, L: L.MaxPooling2D(3, strides=2, name="pool")(MaxPoolPadding2D(1, name="pad")(x)))
    t = torch_model(nn().Sequential(nn().MaxPool2d(3, stride=2, padding=1)))
    keras_view, _ = assert_one_network(k, t)
    assert [(r.name, r.input_shape, r.output_shape) for r in keras_view.layers] == [("pool", SHAPE, (4, 4, 4))]
    negative = -np.abs(parity.random_images(SHAPE, batch=2)) - 1.0
    assert parity.max_abs_difference(k, t, negative) == 0.0
    zeros = keras_model(lambda x, L: L.MaxPooling2D(3, strides=2)(L.ZeroPadding2D(1)(x)))
    assert parity.run(zeros, negative).max() == 0.0 and parity.run(k, negative).max() < 0


# --- library weights into ours ----------------------------------------------------------------

@pytest.mark.parametrize("framework", ("keras", "torch"))
def test_a_1x1_convolution_of_a_1x1_map_loads_into_a_dense_layer(framework):
    """keras.applications' MobileNet classifies with a 1x1 convolution of the pooled 1 x 1 map,
    which computes what the paper's (and timm's) fully connected layer computes."""
    if framework == "keras":
        library = keras_model(lambda x, L: L.Reshape((7,))(L.Conv2D(7, 1)(L.GlobalAveragePooling2D(keepdims=True)(x))))
        ours = keras_model(lambda x, L: L.Dense(7)(L.GlobalAveragePooling2D()(x)))
    else:
        torch_nn = nn()
        library = torch_model(torch_nn.Sequential(torch_nn.AdaptiveAvgPool2d(1), torch_nn.Conv2d(4, 7, 1),
                                                  torch_nn.Flatten()))
        ours = torch_model(torch_nn.Sequential(torch_nn.AdaptiveAvgPool2d(1), torch_nn.Flatten(),
                                               torch_nn.Linear(4, 7)))
    images = parity.random_images(SHAPE, batch=2)
    oracles.load_library_weights(library, ours)
    np.testing.assert_allclose(parity.run(ours, images), parity.run(library, images), atol=1e-6)


def test_library_batchnorm_statistics_load_with_the_weights():
    torch = frameworks.torch()
    torch_nn = torch.nn
    library = torch_model(torch_nn.Sequential(torch_nn.Conv2d(4, 5, 3), torch_nn.BatchNorm2d(5)))
    ours = torch_model(torch_nn.Sequential(torch_nn.Conv2d(4, 5, 3), torch_nn.BatchNorm2d(5)))
    with torch.no_grad():
        library[1].running_mean.uniform_(-1, 1)
        library[1].running_var.uniform_(0.5, 2)
    oracles.load_library_weights(library, ours)
    images = parity.random_images(SHAPE, batch=2)
    np.testing.assert_allclose(parity.run(ours, images), parity.run(library, images), atol=1e-6)


def test_timm_models_are_library_models():
    model = oracles.library_model("timm.mobilenetv1_100")
    assert type(model).__module__.startswith("timm.")
    assert sum(p.numel() for p in model.parameters()) == 4_231_976  # built untrained: no download
    with pytest.raises(CnnguideError, match="keras.applications.*, torchvision.models.* or timm.*"):
        oracles.library_model("mxnet.mobilenet")
