"""AlexNet: the paper's network, the study post's code and torchvision's variant, each in both
frameworks, equal layer by layer (their outputs agree in the records, tests/test_catalog_records.py);
the grouped weights' transfer, LRN, dropout; the paper's figures and the post's claims."""

from __future__ import annotations

import math

import numpy as np
import pytest

import cnnguide
from cnnguide import catalog, parity
from cnnguide.errors import InputShapeError, OptionError
from conftest import site_views

NAMES = ("alexnet", "alexnet_post", "alexnet_torchvision")
PARAMS = {"alexnet": 60_965_224, "alexnet_post": 62_378_344, "alexnet_torchvision": 61_100_840}
RELATIVE = 1e-4  # float32 logits: largest |keras - torch| over largest |logit|


@pytest.fixture(scope="module")
def models():
    """The paper's AlexNet once per framework, with logits (softmax would hide differences),
    for what needs the real layers: the grouped transfer, LRN and dropout."""
    return {("alexnet", fw): cnnguide.build("alexnet", fw, classifier_activation=None) for fw in ("keras", "torch")}


@pytest.fixture(scope="module")
def views():
    """Both frameworks' views of every AlexNet as the site built them (conftest.site_views):
    their parity, oracles and paper figures are proven from the same records for the whole
    catalog in tests/test_catalog_records.py."""
    return {(name, fw): view for name in NAMES for fw, view in zip(("keras", "torch"), site_views(name))}


@pytest.mark.parametrize("name", NAMES)
def test_parameter_counts(name, views):
    for fw in ("keras", "torch"):
        assert views[name, fw].params == views[name, fw].trainable == PARAMS[name]


def test_paper_layers_and_shapes(views):
    view = views["alexnet", "keras"]
    assert view.input_shape == (227, 227, 3)
    assert [(r.name, r.params) for r in view.weighted()] == [
        ("conv1", 34_944), ("conv2", 307_456), ("conv3", 885_120), ("conv4", 663_936),
        ("conv5", 442_624), ("fc6", 37_752_832), ("fc7", 16_781_312), ("fc8", 4_097_000)]
    assert view.layer("conv1").output_shape == (55, 55, 96)
    assert view.layer("pool5").output_shape == (6, 6, 256)
    assert [r.name for r in view.layers if r.kind == "lrn"] == ["norm1", "norm2"]
    # Section 3.5: normalization follows conv1 and conv2, and pooling follows normalization.
    names = [r.name for r in view.layers]
    assert names[:6] == ["conv1", "norm1", "pool1", "conv2", "norm2", "pool2"]
    # Overlapping pooling: 3x3 windows, stride 2.
    assert {(r.kernel_size, r.strides) for r in view.layers if r.kind == "max_pool"} == {((3, 3), (2, 2))}


@pytest.mark.parametrize("framework", ["keras", "torch"])
def test_the_two_gpu_split_is_groups_2_on_conv2_conv4_conv5(framework, views):
    view = views["alexnet", framework]
    groups = {r.name.rpartition(".")[2]: r.groups for r in view.layers if r.kind == "conv"}
    assert groups == {"conv1": 1, "conv2": 2, "conv3": 1, "conv4": 2, "conv5": 2}
    post = views["alexnet_post", framework]
    assert {r.groups for r in post.layers if r.kind == "conv"} == {1}


def test_the_post_differs_by_the_groups_alone(views):
    paper, post = views["alexnet", "keras"], views["alexnet_post", "keras"]
    # Without groups each kernel reads twice the maps: the extra parameters are exactly the
    # weights (not the biases) of the paper's three grouped layers.
    grouped = [r for r in paper.layers if r.groups == 2]
    assert post.params - paper.params == sum(r.params - r.units for r in grouped) == 1_413_120
    assert [r.name for r in paper.layers if r.name not in {p.name for p in post.layers}] == ["norm1", "norm2"]


@pytest.mark.parametrize("name", NAMES)
def test_frameworks_agree_layer_by_layer(name, views):
    k, t = views[name, "keras"], views[name, "torch"]
    assert parity.compare_views(k, t) == []
    # The PyTorch modules carry the Keras names inside torchvision's features/classifier.
    assert [r.name for r in k.layers] == [r.name.rpartition(".")[2] for r in t.layers]


def test_grouped_kernels_transfer_group_by_group(models):
    """Both frameworks give group g the output channels [g*C/2, (g+1)*C/2): swapping PyTorch's
    two halves of conv2 after the copy breaks the agreement, so the records' parity check would
    notice a transfer that mixed the groups up."""
    import torch

    k, t = models["alexnet", "keras"], models["alexnet", "torch"]
    parity.transfer_weights(k, t)
    images = parity.random_images((227, 227, 3), batch=1, seed=2)
    scale = np.abs(parity.run(k, images)).max()
    assert parity.max_abs_difference(k, t, images) <= RELATIVE * scale
    with torch.no_grad():
        weight = t.features.conv2.weight
        weight.copy_(torch.cat([weight[128:], weight[:128]]))
    assert parity.max_abs_difference(k, t, images) > 100 * RELATIVE * scale


def test_lrn_constants_follow_the_paper_in_both_conventions(models):
    from cnnguide.experiments import lrn_settings

    paper = catalog.study("alexnet")
    stated = {key: paper.figure(f"lrn_{key}").value for key in ("n", "k", "alpha", "beta")}
    for fw in ("keras", "torch"):
        found = lrn_settings(models["alexnet", fw])
        assert len(found) == 2
        for layer in found:
            assert {key: pytest.approx(layer[key]) for key in stated} == stated
    # PyTorch stores alpha multiplied by the window size.
    assert lrn_settings(models["alexnet", "torch"])[0]["stored_alpha"] == pytest.approx(5e-4)


def test_lrn_alpha_convention_matters():
    """TensorFlow's alpha multiplies the sum of squares, PyTorch's the mean: the paper's layer
    needs alpha * n in PyTorch, and the naive port computes something else."""
    import torch

    from cnnguide.models.keras.alexnet import LocalResponseNormalization
    from cnnguide.models.torch.alexnet import local_response_norm

    # Large activations, as after a trained ReLU layer; small ones hide the alpha term behind k=2.
    x = np.random.default_rng(0).random((1, 13, 13, 96), dtype=np.float32) * 40
    keras_out = np.asarray(LocalResponseNormalization()(x))
    nchw = torch.from_numpy(x).permute(0, 3, 1, 2)
    ours = local_response_norm()(nchw).permute(0, 2, 3, 1).numpy()
    naive = torch.nn.LocalResponseNorm(5, alpha=1e-4, beta=0.75, k=2.0)(nchw).permute(0, 2, 3, 1).numpy()
    assert np.abs(ours - keras_out).max() <= 1e-6 * np.abs(keras_out).max()
    assert np.abs(naive - keras_out).max() > 0.05 * np.abs(keras_out).max()


def test_paper_neurons_and_input_size():
    from cnnguide.docs.alexnet import neurons

    paper = catalog.study("alexnet")
    at_227 = cnnguide.summarize(cnnguide.build("alexnet", "keras"))
    at_224 = cnnguide.summarize(cnnguide.build("alexnet", "keras", input_shape=(224, 224, 3)))
    for layer in ("conv2", "conv3", "conv4", "conv5", "fc6", "fc7", "fc8"):
        assert neurons(at_227, layer) == paper.figure(f"{layer}.neurons").value
    assert neurons(at_224, "conv2") != paper.figure("conv2.neurons").value
    assert at_224.layer("conv1").output_shape == (54, 54, 96)  # (224 - 11) / 4 + 1 = 54.25
    assert abs(neurons(at_227) - paper.figure("neurons").value) <= 0.02 * paper.figure("neurons").value
    assert abs(at_227.params - paper.figure("params").value) <= 0.02 * paper.figure("params").value
    # 253,440 conv1 neurons: not 96 maps of any square size.
    assert math.isqrt(253_440 // 96) ** 2 != 253_440 / 96


def test_where_parameters_and_macs_sit(views):
    """The page: fc6 holds more than half the parameters; the convolutions do most of the MACs."""
    view = views["alexnet", "keras"]
    assert view.layer("fc6").params > view.params / 2
    assert sum(r.macs for r in view.layers if r.kind == "conv") > 0.9 * view.macs


def test_alexnet_is_about_a_thousand_lenets():
    lenet = cnnguide.summarize(cnnguide.build("lenet5", "keras"))
    alex = cnnguide.summarize(cnnguide.build("alexnet", "keras"))
    assert 300 <= alex.params / lenet.params <= 3000
    assert 300 <= alex.macs / lenet.macs <= 3000


@pytest.mark.parametrize("framework", ["keras", "torch"])
@pytest.mark.parametrize("name, shape, layer", [
    ("alexnet", (32, 32, 3), "pool2"),
    ("alexnet", (10, 10, 3), "conv1"),
    ("alexnet_post", (64, 64, 3), "pool5"),
    ("alexnet_torchvision", (32, 32, 3), "pool5"),
])
def test_input_too_small_names_the_layer(framework, name, shape, layer):
    with pytest.raises(InputShapeError) as info:
        cnnguide.build(name, framework, input_shape=shape)
    message = str(info.value)
    assert f"{layer}'" in message and "too small" in message


@pytest.mark.parametrize("framework", ["keras", "torch"])
def test_options(framework):
    with pytest.raises(OptionError, match="activation='gelu' is not offered"):
        cnnguide.build("alexnet", framework, activation="gelu")
    with pytest.raises(OptionError, match="no option 'activation'"):
        cnnguide.build("alexnet_torchvision", framework, activation="tanh")
    view = cnnguide.summarize(cnnguide.build("alexnet_post", framework, classes=10))
    assert view.output_shape == (10,) and view.layer(view.layers[-1].name).params == 4097 * 10


@pytest.mark.parametrize("framework", ["keras", "torch"])
def test_softmax_output_sums_to_one(framework):
    model = cnnguide.build("alexnet_torchvision", framework)
    out = parity.run(model, parity.random_images((224, 224, 3), batch=1))
    np.testing.assert_allclose(out.sum(axis=1), 1.0, rtol=1e-5)


def test_relu_vs_sigmoid_gradients_at_initialisation():
    """The claim the page qualifies: with sigmoid the gradient reaching conv1 vanishes; with
    ReLU it does not (PyTorch; the page shows Keras too)."""
    import torch

    from cnnguide.experiments import gradient_norms

    ratios = {}
    for activation in ("relu", "sigmoid"):
        torch.manual_seed(0)
        norms = gradient_norms(cnnguide.build("alexnet", "torch", activation=activation,
                                              classifier_activation=None), batch=1)
        assert [name for name, _ in norms][0] == "features.conv1"
        ratios[activation] = norms[0][1] / norms[-1][1]
    assert ratios["sigmoid"] < 1e-3 * ratios["relu"]


@pytest.mark.parametrize("framework", ["keras", "torch"])
def test_dropout_acts_only_while_training(framework, models):
    from cnnguide.experiments import dropout_behaviour

    found = dropout_behaviour(models["alexnet", framework])
    assert found["rate"] == 0.5 and abs(found["zeroed"] - 0.5) < 0.02
    assert found["kept"] == [2.0] and found["inference_unchanged"]
