"""ResNet: both frameworks, torchvision and keras.applications as oracles, and the identity claim."""

from dataclasses import replace

import numpy as np
import pytest

import cnnguide
from cnnguide import frameworks, parity, summarize
from cnnguide.models.keras import resnet as keras_resnet
from cnnguide.models.resnet_configs import DEPTHS, EXPANSION, WIDTHS
from cnnguide.models.torch import resnet as torch_resnet
from conftest import assert_same_outputs, site_oracle, site_views


def logits(view):
    """``view`` with its classifier's softmax left out: the libraries' models are built to
    return logits (cnnguide.oracles.library_model), the site's records keep ours as built."""
    return replace(view, layers=[replace(r, activation=None) if r.activation == "softmax" else r for r in view.layers])


def torchvision_model(depth):
    return getattr(frameworks.torchvision().models, f"resnet{depth}")(weights=None)


def test_torch_blocks_expand_as_the_table_says():
    assert torch_resnet.BasicBlock.expansion == EXPANSION["basic"]
    assert torch_resnet.Bottleneck.expansion == EXPANSION["bottleneck"]


@pytest.mark.parametrize("depth", (18, 50))
def test_stages_are_table_1(depth):
    """Blocks per stage and each stage's output width, as built, against the shared table."""
    kind, blocks = DEPTHS[depth]
    view = site_views(f"resnet{depth}")[0]
    for stage, (width, count) in enumerate(zip(WIDTHS, blocks), start=2):
        adds = [r for r in view.layers if r.name.startswith(f"conv{stage}_") and r.name.endswith("_add")]
        assert len(adds) == count
        assert {r.output_shape[-1] for r in adds} == {width * EXPANSION[kind]}


@pytest.mark.parametrize("depth", DEPTHS)
def test_torchvision_is_ours_at_version_1_5_row_by_row(depth):
    """Beyond the records' oracle check (weights paired and loaded, outputs equal): every row,
    parameterless ones included, with its shape and MACs."""
    name = f"resnet{depth}"
    torch_view = site_views(name, version="v1.5")[1]
    assert parity.compare_views(logits(torch_view), site_oracle(name, f"torchvision.models.{name}", version="v1.5")) == []


def test_version_moves_the_stride_not_the_parameters():
    v1, v15 = site_views("resnet50")[1], site_views("resnet50", version="v1.5")[1]
    assert v1.params == v15.params
    assert v1.macs < v15.macs  # striding later keeps the 3x3 at full resolution
    first = v1.layer("layer2.0.conv1")
    assert first.strides == (2, 2) and v15.layer("layer2.0.conv1").strides == (1, 1)


@pytest.mark.parametrize("depth", (18, 50))
def test_torchvision_weights_load_into_ours(depth):
    tv = torchvision_model(depth).eval()
    ours = cnnguide.build(f"resnet{depth}", "torch", version="v1.5", classifier_activation=None)
    ours.load_state_dict(tv.state_dict(), strict=True)  # same names, same shapes
    images = parity.random_images((224, 224, 3), batch=2)
    torch = frameworks.torch()
    with torch.no_grad():
        expected = tv(torch.from_numpy(images).permute(0, 3, 1, 2)).numpy()
    assert_same_outputs(parity.run(ours, images), expected)


@pytest.mark.parametrize("depth", (50, 101, 152))
def test_keras_applications_is_ours_with_conv_biases(depth):
    name = f"resnet{depth}"
    ours = site_views(name, conv_bias=True, epsilon=1.001e-5)[0]
    app = site_oracle(name, f"keras.applications.ResNet{depth}", conv_bias=True, epsilon=1.001e-5)
    assert parity.compare_views(app, logits(ours)) == []
    # The difference to torchvision, to the parameter: the convolutions' biases, and Keras's
    # count_params() including BatchNorm's moving mean and variance.
    plain = site_views(name)[0]
    conv_biases = sum(r.units for r in plain.layers if r.kind == "conv")
    moving_stats = sum(r.non_trainable for r in plain.layers if r.kind == "batch_norm")
    tv_params = site_oracle(name, f"torchvision.models.{name}", version="v1.5").trainable
    assert app.params - tv_params == conv_biases + moving_stats


def test_keras_applications_weights_load_into_ours_by_layer_name():
    keras = frameworks.keras()
    app = keras.applications.ResNet50(weights=None, input_shape=(224, 224, 3), classifier_activation=None)
    ours = cnnguide.build("resnet50", "keras", conv_bias=True, epsilon=1.001e-5, classifier_activation=None)
    for layer in ours.layers:
        if layer.weights:  # same names: keras.applications weights load layer by layer
            layer.set_weights(app.get_layer(layer.name).get_weights())
    images = parity.random_images((224, 224, 3), batch=2)
    assert_same_outputs(parity.run(ours, images), parity.run(app, images))


@pytest.mark.parametrize("framework", ["keras", "torch"])
def test_a_block_whose_last_batchnorm_scale_is_zero_is_the_identity(framework):
    """Claim: with z[l+2] = 0 the block returns a[l+2] = g(a[l]) = a[l] (a[l] >= 0 after a ReLU)."""
    images = parity.random_images((8, 8, 16), batch=2, seed=3)  # non-negative, like a ReLU output
    if framework == "torch":
        torch = frameworks.torch()
        block = torch_resnet.BasicBlock(16, 16).eval()
        torch.nn.init.zeros_(block.bn2.weight)
        torch.nn.init.zeros_(block.bn2.bias)
        with torch.no_grad():
            out = block(torch.from_numpy(images).permute(0, 3, 1, 2)).permute(0, 2, 3, 1).numpy()
    else:
        keras = frameworks.keras()
        inputs = keras.Input((8, 8, 16))
        model = keras.Model(inputs, keras_resnet.basic_block(inputs, 16, name="block"))
        bn = model.get_layer("block_2_bn")
        gamma, beta, mean, var = bn.get_weights()
        bn.set_weights([np.zeros_like(gamma), np.zeros_like(beta), mean, var])
        out = model(images, training=False).numpy()
    np.testing.assert_allclose(out, images, atol=1e-6)


def test_post_construction_in_both_frameworks():
    """The post's frozen ResNet50 + Flatten + Dense head (at 64x64 here, so the head stays small)."""
    k = cnnguide.build("resnet50_post", "keras", input_shape=(64, 64, 3), classifier_activation=None)
    t = cnnguide.build("resnet50_post", "torch", input_shape=(64, 64, 3), classifier_activation=None)
    kv, tv = summarize(k), summarize(t)
    assert parity.compare_views(kv, tv) == []
    assert kv.non_trainable == tv.non_trainable == summarize(
        frameworks.keras().applications.ResNet50(weights=None, include_top=False, input_shape=(64, 64, 3))).params
    assert kv.layer("fc1").params == (2 * 2 * 2048 + 1) * 4096
    parity.transfer_weights(k, t)
    images = parity.random_images((64, 64, 3), batch=2)
    assert parity.max_abs_difference(k, t, images) <= 1e-4 * np.abs(parity.run(k, images)).max()


def test_padding_and_global_pooling_take_any_input_size():
    """Every ResNet layer pads, and the head pools globally: even 8x8 gives the same classifier."""
    keras_view = summarize(cnnguide.build("resnet18", "keras", input_shape=(8, 8, 3)))
    torch_view = summarize(cnnguide.build("resnet18", "torch", input_shape=(8, 8, 3)))
    assert parity.compare_views(keras_view, torch_view) == []
    assert keras_view.layer("predictions").output_shape == (1000,)
    assert keras_view.params == summarize(cnnguide.build("resnet18", "keras")).params


# --- ResNet's descendants as options of the family: ResNeXt-50 (32x4d) and SE-ResNet-50 ---------

DESCENDANTS = {
    # name: (the library model ours must equal once its weights are loaded, trainable parameters)
    "resnext50_32x4d": ("torchvision.models.resnext50_32x4d", 25_028_904),  # Xie et al. 2017: 25.0M
    "se_resnet50": ("timm.seresnet50", 28_088_024),                          # Hu et al. 2018: 28.1M
}


@pytest.mark.parametrize("name", DESCENDANTS)
def test_descendants_agree_across_frameworks_and_with_their_library(name):
    from cnnguide import oracles

    library_path, params = DESCENDANTS[name]
    # timm and torchvision stride in the 3x3 convolution (v1.5), as the ResNeXt paper does.
    keras_model = getattr(keras_resnet, name)(classifier_activation=None, version="v1.5")
    torch_model = getattr(torch_resnet, name)(classifier_activation=None, version="v1.5")
    keras_view, torch_view = summarize(keras_model), summarize(torch_model, (224, 224, 3))
    assert parity.compare_views(keras_view, torch_view) == []
    assert keras_view.trainable == torch_view.trainable == params
    images = parity.random_images((224, 224, 3), batch=2)
    parity.transfer_weights(keras_model, torch_model)
    assert_same_outputs(parity.run(torch_model, images), parity.run(keras_model, images), relative=1e-4)
    library = oracles.library_model(library_path)
    oracles.load_library_weights(library, torch_model)
    assert_same_outputs(parity.run(torch_model, images), parity.run(library, images), relative=1e-6)


def test_resnext_widens_the_3x3_at_resnet_50s_cost():
    """Cardinality 32 x 4 channels: conv2_x's 3x3 works on 128 channels where ResNet-50's has
    64, in 32 groups, at about the same parameters and multiply-adds (Xie et al. 2017, Table 1)."""
    with frameworks.torch().device("meta"):
        resnext, resnet = torch_resnet.resnext50_32x4d(), torch_resnet.resnet50(version="v1.5")
    a, b = summarize(resnext, (224, 224, 3)), summarize(resnet, (224, 224, 3))
    conv = a.layer("layer1.0.conv2")
    assert (conv.units, conv.groups, b.layer("layer1.0.conv2").units) == (128, 32, 64)
    assert 0.97 < a.trainable / b.trainable < 1.0 and 1.0 < a.macs / b.macs < 1.05


def test_squeeze_excitation_adds_two_small_layers_per_block():
    """Every block of SE-ResNet-50 gains C/16 x C + C/16 + C/16 x C + C weights (Hu et al. 2018,
    Figure 3), about 10% of ResNet-50's parameters in all, and almost no multiply-adds."""
    from cnnguide.models.resnet_configs import se_channels

    with frameworks.torch().device("meta"):
        se, plain = torch_resnet.se_resnet50(), torch_resnet.resnet50()
    a, b = summarize(se, (224, 224, 3)), summarize(plain, (224, 224, 3))
    blocks = [(w * 4, n) for w, n in zip(WIDTHS, DEPTHS[50][1])]
    added = sum(n * (2 * c * se_channels(c) + se_channels(c) + c) for c, n in blocks)
    assert a.trainable - b.trainable == added
    assert 0.09 < added / b.trainable < 0.11 and a.macs / b.macs < 1.01


def test_figure3s_three_forms_are_one_block():
    """ResNeXt's block summed over 32 paths (a), concatenated (b) and grouped (c): the same
    parameters and the same outputs, from one set of weights (Xie et al. 2017, Figure 3)."""
    from cnnguide.docs.resnext import _forms

    found = _forms()
    assert len(set(found["params"].values())) == 1 and found["convs"] == {"a": 96, "b": 65, "c": 3}
    assert max(found["max_abs"].values()) <= 1e-5 * found["max_output"]
