"""DenseNet: what is specific to it. Every layer adds k maps to all the maps before it, every
transition keeps theta of them, the options build the paper's other forms in both frameworks
alike, and activation memory counts what the layers output (the catalog-wide tests prove parity,
the torchvision and keras.applications oracles and the depth of 121)."""

import math

import pytest

import cnnguide
from cnnguide import parity, summarize
from cnnguide.errors import OptionError
from cnnguide.models.densenet_configs import BLOCKS, BN_SIZE, transition_channels
from conftest import built_alike, site_views


def test_every_layer_adds_k_maps_and_every_transition_keeps_theta():
    """Section 3: the l-th layer of a block reads k0 + k·(l - 1) maps; a transition keeps
    floor(theta·m). In both frameworks' views of the site's DenseNet-121."""
    keras_view, torch_view = site_views("densenet121")
    assert parity.compare_views(keras_view, torch_view) == []
    channels = 64  # 2k, after the first convolution
    for stage, layers in enumerate(BLOCKS[121], start=2):
        for i in range(1, layers + 1):
            concat = keras_view.layer(f"conv{stage}_block{i}_concat")
            assert (concat.input_shape[-1], concat.output_shape[-1]) == (channels, channels + 32)
            assert keras_view.layer(f"conv{stage}_block{i}_1_conv").units == BN_SIZE * 32
            channels += 32
        if stage < 5:
            channels = transition_channels(channels, 0.5)
            assert keras_view.layer(f"pool{stage}_conv").units == channels
    assert channels == 1024 == keras_view.layer("predictions").input_shape[-1]


@pytest.mark.parametrize("options", [{"growth_rate": 12, "compression": 1.0}, {"bottleneck": False}])
def test_the_papers_other_forms_build_alike_in_both_frameworks(options):
    """k = 12 without compression (DenseNet), no bottleneck (DenseNet-C): the same rows, and the
    same outputs once the Keras weights are copied, at a small input."""
    keras_view, _ = built_alike("densenet121", **options)
    has_bottleneck = any(r.name.endswith("_1_conv") for r in keras_view.layers)
    assert has_bottleneck == options.get("bottleneck", True)


@pytest.mark.parametrize("framework", ["keras", "torch"])
def test_a_compression_above_one_is_refused_in_words(framework):
    with pytest.raises(OptionError, match=r"compression=1\.5 is not offered: use a number in \(0, 1\]"):
        cnnguide.build("densenet121", framework, compression=1.5)


@pytest.mark.parametrize("framework", ["keras", "torch"])
def test_activations_count_every_rows_output_for_one_image(framework):
    """The neutral view's activation memory: the values each row outputs, per image, summed;
    the same in both frameworks (LeNet-5: 6·28·28 + 6·14·14 + 16·10·10 + ... by hand)."""
    view = summarize(cnnguide.build("lenet5", framework))
    assert view.activations == sum(math.prod(r.output_shape) for r in view.layers)
    by_hand = {"C1": 6 * 28 * 28, "S2": 6 * 14 * 14, "C3": 16 * 10 * 10, "S4": 16 * 5 * 5, "C5": 120,
               "F6": 84, "output": 10}
    assert {r.name: math.prod(r.output_shape) for r in view.layers if r.name in by_hand} == by_hand


def test_densenet_holds_more_activations_per_parameter_than_resnet():
    """The page's point, from the site's records: about a third of ResNet-50's parameters, and
    more layer outputs than it."""
    dense, _ = site_views("densenet121")
    resnet, _ = site_views("resnet50")
    assert dense.trainable < 0.35 * resnet.trainable and dense.activations > resnet.activations
