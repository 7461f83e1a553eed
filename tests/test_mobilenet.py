"""MobileNet v1 and v2: what is specific to them. The width rules (v1's rounding down, v2's
multiples of eight and its last convolution), Table 1's last depthwise convolution, v2's linear
bottleneck, the width and resolution options against the libraries' own, and a bad alpha (the
catalog-wide tests prove parity, the oracles and the papers' figures at the defaults)."""

import math

import numpy as np
import pytest

import cnnguide
from cnnguide import frameworks, summarize
from cnnguide.errors import OptionError
from cnnguide.models.mobilenet_configs import V1_STAGES, V2_LAST, v1_blocks, v1_width, v2_blocks, v2_last, v2_width
from cnnguide.parity import compare_views, random_images


def _views(name: str, **options):
    return [summarize(cnnguide.build(name, fw, **options)) for fw in ("keras", "torch")]


@pytest.mark.parametrize("value", [3.2, 8, 12, 16 * 0.35, 24 * 0.35, 32 * 0.35, 96 * 0.75, 160 * 1.4, 1280 * 1.4, 57, 100])
def test_v2_widths_are_the_libraries_make_divisible(value):
    """Multiples of eight, at least eight, never more than 10% below alpha times the width: the
    rule keras.applications and torchvision copy from the authors' code."""
    frameworks.torchvision(), frameworks.keras()  # loaded by cnnguide, in the safe order, before importing from them
    from keras.src.applications.mobilenet_v2 import _make_divisible as keras_rule
    from torchvision.models._utils import _make_divisible as torchvision_rule

    assert v2_width(value) == keras_rule(value, 8) == torchvision_rule(value, 8)
    assert v2_width(value) % 8 == 0 and v2_width(value) >= max(8, 0.9 * value)


def test_v2_last_convolution_only_grows():
    """Section 4: "we apply width multiplier to all layers except the very last convolutional
    layer" below alpha = 1; above it, the last layer widens too."""
    assert [v2_last(a) for a in (0.35, 0.5, 1.0)] == [V2_LAST] * 3
    assert v2_last(1.4) == v2_width(V2_LAST * 1.4) == 1792


def test_v1_widths_round_down_and_the_blocks_follow_table_1():
    assert [v1_width(c, 0.75) for c in (32, 64, 1024)] == [24, 48, 768]
    blocks = v1_blocks()
    assert len(blocks) == sum(n for _, n, _ in V1_STAGES) == 13
    assert [b.stride for b in blocks] == [1, 2, 1, 2, 1, 2, 1, 1, 1, 1, 1, 2, 1]
    assert [b.number for b in blocks] == list(range(1, 14))


def test_the_last_depthwise_convolution_keeps_the_map():
    """Table 1 prints the last depthwise convolution "s2", yet gives 7x7x1024 as its input and
    the next layer's: built with stride 1, as every implementation does."""
    for view in _views("mobilenet_v1"):
        last, before = view.layers[-6], view.layers[-10]  # conv_dw_13 and conv_dw_12 (each with its BN, pw, BN)
        assert last.groups == last.units == 1024 and last.strides == (1, 1)
        assert before.strides == (2, 2) and before.output_shape[:2] == (7, 7)
        assert last.input_shape == last.output_shape == (7, 7, 1024)


def test_v2_projection_is_linear_in_both_frameworks():
    """Section 3.2: ReLU6 after the expansion and the depthwise convolution, nothing after the
    projection. In the views, an activation folds into the row before it (the BatchNorm)."""
    keras_view, torch_view = _views("mobilenet_v2")
    assert not compare_views(keras_view, torch_view)
    for block in v2_blocks():
        prefix = f"block_{block.number}_" if block.number else "expanded_conv_"
        rows = keras_view.block(prefix).layers
        norms = [row for row in rows if row.kind == "batch_norm"]
        assert [row.activation for row in norms] == ["relu6"] * (len(norms) - 1) + [None]
        assert len(norms) == (3 if block.expansion != 1 else 2)
        assert any(row.kind == "add" for row in rows) == block.residual
    # The projection really outputs negative values, which a ReLU would have zeroed.
    torch = frameworks.torch()
    model = cnnguide.build("mobilenet_v2", "torch").eval()
    block = model.features[2]
    with torch.no_grad():
        out = block.conv(model.features[:2](torch.from_numpy(random_images((224, 224, 3), batch=1)).permute(0, 3, 1, 2)))
    assert (out < 0).any()


@pytest.mark.parametrize("alpha, size", [(0.5, 160), (0.25, 128), (1.0, 192)])
def test_v1_alpha_and_resolution_are_keras_applications(alpha, size):
    """The options build what keras.applications builds with the same alpha and input size,
    and PyTorch builds the same rows; the parameters do not depend on the input size."""
    keras = frameworks.keras()
    views = _views("mobilenet_v1", alpha=alpha, input_shape=(size, size, 3))
    assert not compare_views(*views)
    library = keras.applications.MobileNet(weights=None, alpha=alpha, input_shape=(size, size, 3))
    assert views[0].params == library.count_params()
    assert views[0].layer("conv_pw_13").output_shape == (math.ceil(size / 32),) * 2 + (int(1024 * alpha),)
    assert views[0].trainable == summarize(cnnguide.build("mobilenet_v1", "keras", alpha=alpha)).trainable


@pytest.mark.parametrize("alpha", [0.35, 1.4])
def test_v2_alpha_is_torchvision_width_mult(alpha):
    """torchvision's width_mult is our alpha: its state_dict loads into ours, with the same
    outputs (and keras.applications' MobileNetV2 has the same weights)."""
    torch, torchvision = frameworks.torch(), frameworks.torchvision()
    library = torchvision.models.mobilenet_v2(weights=None, width_mult=alpha).eval()
    ours = cnnguide.build("mobilenet_v2", "torch", alpha=alpha, padding="symmetric", epsilon=1e-5).eval()
    ours.load_state_dict(library.state_dict(), strict=True)
    x = torch.from_numpy(random_images((224, 224, 3), batch=2)).permute(0, 3, 1, 2)
    with torch.no_grad():
        np.testing.assert_allclose(ours.classifier(ours.flatten(ours.avgpool(ours.features(x)))).numpy(),
                                   library(x).numpy(), rtol=1e-4, atol=1e-6)
    keras_library = frameworks.keras().applications.MobileNetV2(weights=None, alpha=alpha)
    assert summarize(cnnguide.build("mobilenet_v2", "keras", alpha=alpha)).params == keras_library.count_params()


@pytest.mark.parametrize("name, alpha, match", [
    ("mobilenet_v1", 0, "a number greater than 0"),
    ("mobilenet_v1", -0.5, "a number greater than 0"),
    ("mobilenet_v1", "0.5", "a number greater than 0"),
    ("mobilenet_v1", 0.01, r"int\(32 × 0.01\) = 0 channels: use alpha >= 1/32"),
    ("mobilenet_v2", float("nan"), "a number greater than 0"),
])
def test_a_bad_alpha_is_refused_in_words(name, alpha, match):
    for framework in ("keras", "torch"):
        with pytest.raises(OptionError, match=match):
            cnnguide.build(name, framework, alpha=alpha)
