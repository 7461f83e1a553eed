"""EfficientNet: what is specific to it. Compound scaling (Section 3.3) building B1 ... B7 from
B0's table, the MBConv block's expansion and squeeze-and-excitation, the two padding rules, and
keras.applications' built-in preprocessing (the catalog-wide tests prove parity, the oracles and
Table 2's figures for B0)."""

import math

import numpy as np
import pytest

import cnnguide
from cnnguide import catalog, frameworks, parity, summarize
from cnnguide.models.efficientnet_configs import (ALPHA, BETA, GAMMA, SE_RATIO, STAGES, VARIANTS, blocks,
                                                  head_channels, round_filters, round_repeats)
from cnnguide.models.keras import efficientnet as keras_efficientnet
from cnnguide.models.padding import same_padding
from cnnguide.models.torch import efficientnet as torch_efficientnet


def test_the_coefficients_double_the_flops_per_step_of_phi():
    """Section 3.3: FLOPs grow as d * w^2 * r^2, so alpha * beta^2 * gamma^2 ~ 2 makes each
    step of phi about double them; Section 4's values, as the catalog quotes them."""
    study = catalog.study("efficientnet")
    assert (study.figure("alpha").value, study.figure("beta").value, study.figure("gamma").value) == (ALPHA, BETA, GAMMA)
    assert ALPHA * BETA**2 * GAMMA**2 == pytest.approx(2, rel=0.05)  # 1.92
    # B2 is phi = 1 (Section 4): depth alpha, width beta, and 224 * gamma = 257.6, released as 260.
    assert (VARIANTS["b2"].depth, VARIANTS["b2"].width) == (ALPHA, BETA)
    assert VARIANTS["b2"].resolution == pytest.approx(224 * GAMMA, rel=0.01)
    # Larger phi scales all three up together: every multiplier grows (or holds) from B0 to B7.
    for dimension in range(3):
        values = [v[dimension] for v in VARIANTS.values()]
        assert values == sorted(values) and values[0] < values[-1]


# Table 2 of the paper: parameters and FLOPs (multiply-adds) of B1 ... B7, as printed.
TABLE_2 = {"b1": (7.8e6, 0.70e9), "b2": (9.2e6, 1.0e9), "b3": (12e6, 1.8e9), "b4": (19e6, 4.2e9),
           "b5": (30e6, 9.9e9), "b6": (43e6, 19e9), "b7": (66e6, 37e9)}


@pytest.mark.parametrize("variant", list(TABLE_2))
def test_compound_scaling_builds_b1_to_b7(variant):
    """B0's table with the variant's width and depth applied: every stage's channels and layers
    follow round_filters and round_repeats, the input is the variant's resolution, and the
    network is torchvision's efficientnet_<variant> to the parameter (its state_dict loads)."""
    width, depth, resolution, _ = VARIANTS[variant]
    model = getattr(torch_efficientnet, f"efficientnet_{variant}")()  # B0 alone is in the catalog
    assert model.input_shape == (resolution, resolution, 3)
    stages = list(model.features)[1:-1]
    assert [len(stage) for stage in stages] == [round_repeats(s.layers, depth) for s in STAGES]
    assert [stage[-1].block[-1][0].out_channels for stage in stages] == [round_filters(s.channels, width) for s in STAGES]
    assert model.features[-1][0].out_channels == head_channels(variant)
    library = getattr(frameworks.torchvision().models, f"efficientnet_{variant}")(weights=None)
    model.load_state_dict(library.state_dict(), strict=True)
    ours = summarize(model)
    assert ours.trainable == sum(p.numel() for p in library.parameters())
    # The paper's Table 2 rounds, and its figures are not quite the released models': measured,
    # B2 has 9.11M parameters (Table 2: 9.2M), B3 12.23M (12M), B4 4.39G multiply-adds (4.2B).
    params, flops = TABLE_2[variant]
    assert ours.trainable == pytest.approx(params, rel=0.02)
    assert ours.macs == pytest.approx(flops, rel=0.05)


@pytest.mark.parametrize("variant", ["b1", "b2"])
def test_keras_scales_as_keras_applications(variant):
    """The Keras builder against keras.applications' EfficientNetB1/B2: deeper stages (a second
    MBConv1 block with a residual connection) and widths rounded to multiples of 8."""
    keras = frameworks.keras()
    ours = getattr(keras_efficientnet, f"efficientnet_{variant}")()
    library = getattr(keras.applications, f"EfficientNet{variant.upper()}")(weights=None)
    # keras.applications' Normalization layer adds 7 weights (see the next test).
    assert library.count_params() - ours.count_params() == 7
    names = {layer.name for layer in ours.layers if layer.weights}
    assert names <= {layer.name for layer in library.layers}


@pytest.fixture(scope="module")
def b0_views():
    return {fw: summarize(cnnguide.build("efficientnet_b0", fw)) for fw in ("keras", "torch")}


def test_mbconv_expands_six_times_and_squeezes_a_quarter_of_its_input(b0_views):
    """MBConv6's 1x1 expansion makes 6x the block's input channels (MBConv1 has none); the
    depthwise convolution has one filter per expanded channel; squeeze-and-excitation squeezes
    to a quarter of the block's *input* channels and expands back to the expanded ones."""
    view = b0_views["keras"]
    for block in blocks("b0"):
        rows = view.block(f"{block.name}_").layers
        convs = [row for row in rows if row.kind == "conv"]
        expanded = block.in_channels * block.expand_ratio
        expand = [row for row in convs if row.name.endswith("expand_conv")]
        assert [row.units for row in expand] == ([] if block.expand_ratio == 1 else [expanded])
        depthwise = view.layer(f"{block.name}_dwconv")
        assert depthwise.groups == expanded and depthwise.units == expanded
        assert depthwise.kernel_size == (block.kernel,) * 2 and depthwise.strides == (block.stride,) * 2
        reduce, expand_back = view.layer(f"{block.name}_se_reduce"), view.layer(f"{block.name}_se_expand")
        assert reduce.units == max(1, int(block.in_channels * SE_RATIO)) and reduce.activation == "silu"
        assert expand_back.units == expanded and expand_back.activation == "sigmoid"
        assert reduce.output_shape[:2] == (1, 1)
        excite = view.layer(f"{block.name}_se_excite")
        assert excite.kind == "multiply" and excite.output_shape == depthwise.output_shape
        # The residual connection exactly where the shape allows it.
        has_add = any(row.kind == "add" for row in rows)
        assert has_add == (block.stride == 1 and block.in_channels == block.out_channels)
    # PyTorch's view has the same excitations: one multiplication per block.
    torch_view = b0_views["torch"]
    assert sum(r.kind == "multiply" for r in torch_view.layers) == len(blocks("b0")) == 16


@pytest.mark.parametrize("size, kernel", [(224, 3), (225, 3), (112, 5), (113, 5), (7, 3)])
def test_same_padding_is_keras_applications_correct_pad(size, kernel):
    """padding.same_padding (both builders) gives keras.applications' correct_pad at stride 2:
    an even map pads one less at the top/left."""
    keras = frameworks.keras()
    from keras.src.applications.imagenet_utils import correct_pad

    inputs = keras.Input((size, size, 3))
    assert same_padding((size, size), kernel, 2) == correct_pad(inputs, kernel)
    assert (same_padding((size, size), kernel, 2)[0][0] < kernel // 2) == (size % 2 == 0)


def test_the_padding_rules_differ_on_even_maps_only():
    """The same weights under both rules: different outputs at 224 x 224 (even maps at every
    stride-2 layer), identical ones at 225 x 225 (odd maps: both rules pad k // 2 on each side).
    That is the difference between keras.applications and torchvision."""
    torch = frameworks.torch()
    for size, same in ((224, False), (225, True)):
        rules = {rule: torch_efficientnet.efficientnet_b0((size, size, 3), padding=rule,
                                                           classifier_activation=None).eval()
                 for rule in ("tensorflow", "symmetric")}
        rules["symmetric"].load_state_dict(rules["tensorflow"].state_dict(), strict=True)  # "pad" has no weights
        images = torch.from_numpy(parity.random_images((size, size, 3), batch=2)).permute(0, 3, 1, 2)
        with torch.no_grad():
            a, b = rules["tensorflow"].features(images), rules["symmetric"].features(images)
        assert torch.equal(a, b) == same
        if not same:
            assert (a - b).abs().max() > 1e-3 * b.abs().max()


def test_keras_applications_preprocesses_its_input_and_ours_does_not():
    """keras.applications.EfficientNetB0 rescales by 1/255 and normalizes (mean 0, variance 1
    untrained: the identity) before its stem: 7 more weights (a mean and a variance per colour,
    and a count), and given images x it computes what ours computes on x / 255."""
    keras = frameworks.keras()
    library = keras.applications.EfficientNetB0(weights=None, classifier_activation=None)
    ours = cnnguide.build("efficientnet_b0", "keras", classifier_activation=None)
    extra = [layer for layer in library.layers if type(layer).__name__ in ("Rescaling", "Normalization")]
    assert [type(layer).__name__ for layer in extra] == ["Rescaling", "Normalization"]
    assert library.count_params() - ours.count_params() == sum(
        math.prod(w.shape) for w in extra[1].weights) == 7
    for layer in ours.layers:
        if layer.weights:  # keras.applications' names: its weights load by name
            layer.set_weights(library.get_layer(layer.name).get_weights())
    images = parity.random_images((224, 224, 3), batch=2)
    expected = library(images, training=False).numpy()
    got = ours(images / 255.0, training=False).numpy()
    assert np.abs(got - expected).max() <= 1e-5 * np.abs(expected).max()
