"""LeNet-5: real models in both frameworks, equal layer by layer and in their outputs."""


import numpy as np
import pytest

import cnnguide
from cnnguide import parity

VARIANTS = [
    (name, dict(activation=act, pooling=pool))
    for name in ("lenet5", "lenet5_post")
    for act in ("tanh", "relu")
    for pool in ("average", "max")
]


def _ids(v):
    return f"{v[0]}-{v[1]['activation']}-{v[1]['pooling']}"


def test_builders_are_real_framework_models():
    import keras
    import torch

    assert isinstance(cnnguide.build("lenet5", "keras"), keras.Model)
    assert isinstance(cnnguide.build("lenet5", "torch"), torch.nn.Module)




@pytest.mark.parametrize("framework", ["keras", "torch"])
def test_modern_lenet5_has_61706_parameters(framework):
    view = cnnguide.summarize(cnnguide.build("lenet5", framework))
    assert view.params == view.trainable == 61_706
    assert [(r.name, r.params) for r in view.weighted()] == [
        ("C1", 156), ("C3", 2_416), ("C5", 48_120), ("F6", 10_164), ("output", 850)]
    assert view.layer("C5").output_shape == (1, 1, 120)
    assert [r.activation for r in view.weighted()] == ["tanh"] * 4 + ["softmax"]
    assert [r.kind for r in view.layers if r.kind.endswith("pool")] == ["avg_pool", "avg_pool"]


@pytest.mark.parametrize("framework", ["keras", "torch"])
def test_post_variant_is_the_posts_code(framework):
    view = cnnguide.summarize(cnnguide.build("lenet5_post", framework))
    assert view.input_shape == (28, 28, 1)
    assert view.layer("C5").kernel_size == (1, 1)
    assert view.layer("C5").output_shape == (4, 4, 120)
    assert view.layer("flatten").output_shape == (1920,)
    assert view.params == 166_826


def test_torch_parameters_match_the_view():
    model = cnnguide.build("lenet5", "torch")
    assert sum(p.numel() for p in model.parameters()) == cnnguide.summarize(model).trainable


def test_keras_count_params_matches_the_view():
    model = cnnguide.build("lenet5_post", "keras")
    assert model.count_params() == cnnguide.summarize(model).params


@pytest.mark.parametrize("variant", VARIANTS, ids=_ids)
def test_frameworks_agree_layer_by_layer(variant):
    name, options = variant
    k = cnnguide.summarize(cnnguide.build(name, "keras", **options))
    t = cnnguide.summarize(cnnguide.build(name, "torch", **options))
    assert parity.compare_views(k, t) == []
    assert [r.name for r in k.layers] == [r.name for r in t.layers]


@pytest.mark.parametrize("variant", VARIANTS, ids=_ids)
def test_outputs_agree_after_weight_transfer(variant):
    name, options = variant
    options = {**options, "classifier_activation": None}  # logits: softmax would hide errors
    k = cnnguide.build(name, "keras", **options)
    t = cnnguide.build(name, "torch", **options)
    images = parity.random_images(k.input_shape[1:], batch=8, seed=1)
    before = parity.max_abs_difference(k, t, images)
    parity.transfer_weights(k, t)
    assert parity.max_abs_difference(k, t, images) <= 1e-5
    assert before > 1e-3  # independent initialisations: the check above can fail


def test_flatten_order_matters_for_the_post_variant(monkeypatch):
    """Without permuting F6's rows (NHWC vs NCHW flatten), the outputs differ."""
    k = cnnguide.build("lenet5_post", "keras", classifier_activation=None)
    t = cnnguide.build("lenet5_post", "torch", classifier_activation=None)
    monkeypatch.setattr(parity, "_flatten_source", lambda view, row: None)
    parity.transfer_weights(k, t)
    images = parity.random_images((28, 28, 1), batch=8)
    assert parity.max_abs_difference(k, t, images) > 1e-3


def test_a_pytorch_weight_that_no_keras_layer_fills_fails_the_transfer():
    """The site's PyTorch models get no initial weights of their own (cnnguide.docs.records):
    a weight the transfer leaves unfilled would make the outputs differ for no named reason."""
    import torch

    from cnnguide.errors import ParityError

    k, t = cnnguide.build("lenet5", "keras"), cnnguide.build("lenet5", "torch")
    t.stray = torch.nn.Parameter(torch.zeros(3))
    with pytest.raises(ParityError, match="No Keras weight fills stray"):
        parity.transfer_weights(k, t)


def test_softmax_output_sums_to_one_in_both_frameworks():
    images = parity.random_images((32, 32, 1))
    for framework in ("keras", "torch"):
        out = parity.run(cnnguide.build("lenet5", framework), images)
        np.testing.assert_allclose(out.sum(axis=1), 1.0, rtol=1e-5)


def test_macs_are_computed_from_the_layers():
    view = cnnguide.summarize(cnnguide.build("lenet5", "keras"))
    assert view.layer("C1").macs == 28 * 28 * 6 * (5 * 5 * 1)
    assert view.layer("C3").macs == 10 * 10 * 16 * (5 * 5 * 6)
    assert view.layer("F6").macs == 120 * 84
    assert view.layer("S2").macs == 0
    assert view.macs == sum(r.macs for r in view.layers)


def test_transfer_refuses_different_networks():
    with pytest.raises(cnnguide.CnnguideError, match="build both for the same input_shape"):
        parity.transfer_weights(cnnguide.build("lenet5", "keras"), cnnguide.build("lenet5_post", "torch"))
    post_at_32 = cnnguide.build("lenet5_post", "torch", input_shape=(32, 32, 1))
    with pytest.raises(cnnguide.CnnguideError, match="'C5'.*does not match"):
        parity.transfer_weights(cnnguide.build("lenet5", "keras"), post_at_32)
