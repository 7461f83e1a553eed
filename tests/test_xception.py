"""Xception: what is specific to it. The flows of Figure 5 and the middle flow's eight repeats,
Section 3's 36 convolutional layers, and where timm's port pads its poolings differently from
TensorFlow (the catalog-wide tests prove parity, the oracles and Table 3's parameter count)."""

import numpy as np
import pytest

import cnnguide
from cnnguide import catalog, frameworks, parity, summarize
from cnnguide.models.torch.xception import same_max_pool
from cnnguide.models.xception_configs import (ENTRY_FLOW, EXIT_FLOW, MIDDLE_FLOW, MIDDLE_REPEATS,
                                              convolutional_layers, modules)


@pytest.fixture(scope="module")
def keras_view():
    return summarize(cnnguide.build("xception", "keras"))


def test_three_flows_twelve_residual_modules(keras_view):
    """Entry flow: three modules halving the maps (147 -> 74 -> 37 -> 19), each with a 1x1
    stride-2 convolution on its shortcut; middle flow: one module eight times, 19 x 19 x 728,
    adding its input back unchanged; exit flow: one more halving module, to 10 x 10 x 1024."""
    adds = [row for row in keras_view.layers if row.kind == "add"]
    assert [row.name for row in adds] == [f"block{n}_add" for n in range(2, 14)]
    assert len(modules()) == len(ENTRY_FLOW) + MIDDLE_REPEATS + 1 == len(adds)
    assert [row.output_shape for row in adds] == (
        [(74, 74, 128), (37, 37, 256), (19, 19, 728)] + [(19, 19, 728)] * 8 + [(10, 10, 1024)])
    for number, add in enumerate(adds, start=2):
        shortcut = [row for row in keras_view.layers if row.name == f"block{number}_shortcut"]
        middle = 5 <= number <= 12
        assert not shortcut if middle else shortcut[0].strides == (2, 2)
        if middle:  # the identity: the addition reads the previous module's output itself
            assert adds[number - 3].name in add.inputs
    # "Repeated eight times": the same rows (kinds, shapes, parameters) in block5 ... block12.
    repeats = [[(r.kind, r.output_shape, r.params) for r in keras_view.block(f"block{n}_").layers]
               for n in range(5, 13)]
    assert all(rows == repeats[0] for rows in repeats) and len(repeats) == MIDDLE_REPEATS
    assert MIDDLE_FLOW.filters == (728,) * 3 and EXIT_FLOW.filters == (728, 1024)


def test_36_convolutional_layers_as_section_3_counts_them():
    """Section 3 counts a separable convolution as one layer, and not the 1x1 shortcuts: the
    table, both built models and the catalog's figure say 36."""
    keras = frameworks.keras()
    model = cnnguide.build("xception", "keras")
    keras_convs = [layer for layer in model.layers if isinstance(layer, (keras.layers.Conv2D, keras.layers.SeparableConv2D))
                   and not layer.name.endswith("_shortcut")]
    torch_model = cnnguide.build("xception", "torch")
    from cnnguide.models.torch.xception import SeparableConv2d

    torch_convs = [m for name, m in torch_model.named_modules()
                   if isinstance(m, SeparableConv2d) or name in ("conv1", "conv2")]
    figure = catalog.study("xception").figure("conv_layers").value
    assert convolutional_layers() == len(keras_convs) == len(torch_convs) == figure == 36
    # The view splits each separable convolution into its depthwise and pointwise rows.
    view = summarize(model)
    depthwise = [row for row in view.layers if row.kind == "conv" and row.groups == row.input_shape[-1] > 1]
    assert len(depthwise) == convolutional_layers() - 2


@pytest.mark.parametrize("size", [(6, 6), (7, 7), (6, 7), (74, 74), (37, 37)])
def test_same_max_pool_is_tensorflows_same_pooling(size):
    """ceil_mode on even sides, padding 1 on odd ones: TensorFlow's "same" 3x3/2 max pooling,
    on maps with negative values (where zero padding would change the maxima)."""
    keras, torch = frameworks.keras(), frameworks.torch()
    maps = np.random.default_rng(1).standard_normal((2, *size, 3)).astype(np.float32)
    expected = keras.layers.MaxPooling2D(3, strides=2, padding="same")(maps).numpy()
    with torch.no_grad():
        ours = same_max_pool(size)(torch.from_numpy(maps).permute(0, 3, 1, 2)).permute(0, 2, 3, 1).numpy()
    np.testing.assert_array_equal(ours, expected)


def _timm_and_ours(size: int):
    torch, timm = frameworks.torch(), frameworks.timm()
    library = timm.create_model("legacy_xception", pretrained=False).eval()
    ours = cnnguide.build("xception", "torch", input_shape=(size, size, 3), epsilon=1e-5,
                          classifier_activation=None).eval()
    ours.load_state_dict(library.state_dict(), strict=True)  # timm's names, timm's shapes
    return torch, library, ours


def _block_outputs(torch, model, images, names):
    found = {}
    hooks = [model.get_submodule(name).register_forward_hook(
        lambda _m, _i, out, name=name: found.__setitem__(name, out.clone())) for name in names]
    with torch.no_grad():
        logits = model(torch.from_numpy(images).permute(0, 3, 1, 2))
    for hook in hooks:
        hook.remove()
    return found, logits


def test_timm_pools_an_even_map_differently():
    """At 299 x 299, timm's port and ours (TensorFlow's padding) part at module 2's pooling, the
    one pooling of an even map (74 x 74): module 1 agrees, module 2 does not. Given timm's
    pooling there, ours is timm's network exactly; at 295 x 295, where every pooled map is odd,
    the two are the same network as built (the catalog's oracle)."""
    torch, library, ours = _timm_and_ours(299)
    images = parity.random_images((299, 299, 3), batch=2)
    names = ("block1", "block2.rep")  # block2.rep: module 2's residual branch, its pooling last
    theirs, _ = _block_outputs(torch, library, images, names)
    mine, _ = _block_outputs(torch, ours, images, names)
    assert torch.equal(mine["block1"], theirs["block1"]) and mine["block1"].shape[-1] == 74
    pooled = (mine["block2.rep"] - theirs["block2.rep"]).abs().max() / theirs["block2.rep"].abs().max()
    assert pooled > 0.1  # the windows sit one pixel apart: not a rounding difference
    ours.block2.rep[-1] = torch.nn.MaxPool2d(3, 2, 1)  # timm's symmetric padding, in this one place
    with torch.no_grad():
        x = torch.from_numpy(images).permute(0, 3, 1, 2)
        assert torch.equal(ours(x), library(x))
    torch, library, ours = _timm_and_ours(295)
    images = parity.random_images((295, 295, 3), batch=2)
    with torch.no_grad():
        x = torch.from_numpy(images).permute(0, 3, 1, 2)
        assert torch.equal(ours(x), library(x))


def test_keras_applications_layer_names_are_ours():
    """Every weighted layer of ours but the shortcuts (unnamed in keras.applications, so
    numbered by the process) has keras.applications' name and weight shapes."""
    app = frameworks.keras().applications.Xception(weights=None)
    ours = cnnguide.build("xception", "keras")
    weighted = [layer for layer in ours.layers if layer.weights]
    named = [layer for layer in weighted if "_shortcut" not in layer.name]
    assert len(weighted) - len(named) == 8  # four shortcut convolutions and their BatchNorms
    for layer in named:
        theirs = app.get_layer(layer.name)
        assert [w.shape for w in theirs.get_weights()] == [w.shape for w in layer.get_weights()]


def test_every_separable_convolution_costs_one_over_n_plus_one_over_k2(keras_view):
    """The page shows Section 1.2's saving on one layer; it holds for all 34 separable pairs,
    whatever their widths: (1/N + 1/k²) of the standard convolution each replaces, in weights
    and in MACs alike (cnnguide.docs.separable)."""
    from fractions import Fraction

    from cnnguide.docs.separable import standard_for

    pairs = [(row, keras_view.layer(f"{row.name[:-3]}_pw")) for row in keras_view.layers if row.name.endswith("_dw")]
    assert len(pairs) == convolutional_layers() - 2
    for depthwise, pointwise in pairs:
        standard = standard_for(depthwise, pointwise)
        expected = Fraction(1, pointwise.units) + Fraction(1, 9)
        assert Fraction(depthwise.macs + pointwise.macs, standard.macs) == expected
        assert Fraction(depthwise.params + pointwise.params, standard.params) == expected
