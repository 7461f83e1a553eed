"""VGG-16 and VGG-19: one configuration table, two frameworks, equal layer by layer; only 3x3
convolutions and 2x2 pooling; where the parameters and MACs sit; how the input size matters."""

from __future__ import annotations

import pytest

import cnnguide
from cnnguide import catalog, parity
from cnnguide.errors import InputShapeError
from cnnguide.models.vgg_configs import CONFIGS, WIDTHS
from conftest import site_views

NAMES = ("vgg16", "vgg19")
PARAMS = {"vgg16": 138_357_544, "vgg19": 143_667_240}


@pytest.fixture(scope="module")
def views():
    """Both frameworks' views of each network as the site built them (conftest.site_views):
    their parity, oracles and paper figures are proven from the same records for the whole
    catalog in tests/test_catalog_records.py; here only what is VGG's own."""
    return {(name, fw): view for name in NAMES for fw, view in zip(("keras", "torch"), site_views(name))}


@pytest.mark.parametrize("name", NAMES)
def test_parameter_counts(name, views):
    for fw in ("keras", "torch"):
        assert views[name, fw].params == views[name, fw].trainable == PARAMS[name]


@pytest.mark.parametrize("name", NAMES)
def test_built_from_the_configuration_table(name, views):
    view = views[name, "keras"]
    convs = [r for r in view.layers if r.kind == "conv"]
    assert len(convs) == sum(CONFIGS[name])
    expected = [f"block{b}_conv{i}" for b, n in enumerate(CONFIGS[name], 1) for i in range(1, n + 1)]
    assert [r.name for r in convs] == expected
    assert [r.units for r in convs] == [w for n, w in zip(CONFIGS[name], WIDTHS) for _ in range(n)]
    assert len(view.weighted()) == catalog.study("vgg").figure(f"{name}.depth").value


@pytest.mark.parametrize("name", NAMES)
def test_layer_names_are_keras_applications_and_torchvision_like(name, views):
    keras_names = [r.name for r in views[name, "keras"].layers]
    assert keras_names[-6:] == ["flatten", "fc1", "fc1_dropout", "fc2", "fc2_dropout", "predictions"]
    assert "block5_pool" in keras_names
    torch_names = [r.name for r in views[name, "torch"].layers]
    assert torch_names == [
        n if n == "flatten" else ("features." if n.startswith("block") else "classifier.") + n
        for n in keras_names]


@pytest.mark.parametrize("name", NAMES)
def test_only_3x3_convolutions_and_2x2_pooling(name, views):
    """The post's claim 7, walked layer by layer."""
    for fw in ("keras", "torch"):
        spatial = {(r.kind, r.kernel_size, r.strides) for r in views[name, fw].layers if r.kernel_size}
        assert spatial == {("conv", (3, 3), (1, 1)), ("max_pool", (2, 2), (2, 2))}


@pytest.mark.parametrize("name", NAMES)
def test_frameworks_agree_layer_by_layer(name, views):
    assert parity.compare_views(views[name, "keras"], views[name, "torch"]) == []


def test_paper_figures_within_their_tolerances(views):
    study = catalog.study("vgg")
    for name in NAMES:
        view = views[name, "keras"]
        for key, ours in (("params", view.params), ("macs", view.macs)):
            fig = study.figure(f"{name}.{key}")
            assert abs(ours - fig.value) <= fig.tolerance * fig.value, fig.key
    assert views["vgg16", "keras"].macs == 15_470_264_320  # torchvision's 15.47 GFLOPS (MACs)


def test_where_parameters_and_macs_sit(views):
    view = views["vgg16", "keras"]
    convs = [r for r in view.layers if r.kind == "conv"]
    assert view.layer("fc1").params > sum(r.params for r in convs)
    assert view.layer("fc1").params > view.params / 2
    assert sum(r.macs for r in convs) > 0.95 * view.macs
    # VGG-19's extra convolutions add little next to the dense layers.
    assert views["vgg19", "keras"].params / view.params < 1.05


def test_three_3x3_against_one_7x7(views):
    from cnnguide.docs.arithmetic import receptive_fields

    view = views["vgg16", "keras"]
    fields = dict((name, field) for name, field, _ in receptive_fields(view))
    assert (fields["block1_conv1"], fields["block1_conv2"]) == (3, 5)
    assert fields["block5_pool"] == 212
    block5 = [view.layer(f"block5_conv{i}") for i in (1, 2, 3)]
    channels = 512
    assert sum(r.kernel_elements for r in block5) == 27 * channels ** 2
    assert 49 / 27 - 1 == pytest.approx(catalog.study("vgg").figure("stack3_saving").value, abs=0.01)


@pytest.mark.parametrize("framework", ["keras", "torch"])
def test_16x16_input_names_the_pooling_that_breaks(framework):
    with pytest.raises(InputShapeError) as info:
        cnnguide.build("vgg16", framework, input_shape=(16, 16, 3))
    message = str(info.value)
    assert "block5_pool'" in message and "too small" in message and "224×224×3" in message


@pytest.mark.parametrize("framework", ["keras", "torch"])
def test_other_input_sizes_change_only_fc1(framework):
    view = cnnguide.summarize(cnnguide.build("vgg16", framework, input_shape=(64, 64, 3), classes=10))
    flatten = next(r for r in view.layers if r.kind == "flatten")
    assert flatten.output_shape == (2 * 2 * 512,)  # 64 / 2**5 = 2
    assert view.output_shape == (10,)
