"""GoogLeNet and the Inception modules: both frameworks, torchvision as oracle, the 1x1 claim."""

import pytest

import cnnguide
from cnnguide import frameworks, parity, summarize
from cnnguide.models.inception_configs import INCEPTIONS, input_channels, output_channels
from conftest import assert_same_outputs

CONFIGURATIONS = [
    ("inception_naive", {}),
    ("inception_module", {}),
    ("googlenet", {"classifier_activation": None}),
    ("googlenet", {"variant": "torchvision", "classifier_activation": None}),
    ("googlenet", {"aux_logits": True, "classifier_activation": None}),
    # An odd size, where Keras pads its poolings by hand to round as PyTorch's ceil_mode does,
    # and the auxiliary heads' dense layers are sized for 2x2 maps instead of 4x4.
    ("googlenet", {"aux_logits": True, "classifier_activation": None, "input_shape": (97, 97, 3)}),
]


@pytest.mark.parametrize("name, options", CONFIGURATIONS,
                         ids=[f"{n}-{'-'.join(map(str, o.values()))}" for n, o in CONFIGURATIONS])
def test_frameworks_agree_in_rows_and_outputs(name, options):
    k, t = cnnguide.build(name, "keras", **options), cnnguide.build(name, "torch", **options)
    assert parity.compare_views(summarize(k), summarize(t)) == []
    images = parity.random_images(summarize(k).input_shape, batch=2)
    parity.transfer_weights(k, t)
    keras_out, torch_out = parity.run(k, images), parity.run(t, images)
    if not isinstance(keras_out, list):
        keras_out, torch_out = [keras_out], [torch_out]
    assert len(keras_out) == len(torch_out) == (3 if options.get("aux_logits") else 1)
    for ours, theirs in zip(keras_out, torch_out):
        assert_same_outputs(theirs, ours, relative=1e-4)


def torchvision_googlenet():
    return frameworks.torchvision().models.googlenet(weights=None, aux_logits=False, init_weights=False).eval()


def test_torchvision_variant_is_torchvisions_network():
    tv = torchvision_googlenet()
    ours = cnnguide.build("googlenet", "torch", variant="torchvision", classifier_activation=None)
    assert summarize(ours).trainable == sum(p.numel() for p in tv.parameters())
    ours.load_state_dict(tv.state_dict(), strict=True)
    images = parity.random_images((224, 224, 3), batch=2)
    torch = frameworks.torch()
    with torch.no_grad():
        expected = tv(torch.from_numpy(images).permute(0, 3, 1, 2)).numpy()
    assert_same_outputs(parity.run(ours, images), expected)


def test_paper_to_torchvision_difference_from_its_causes():
    """torchvision = paper - conv biases + BatchNorm scale/shift, with 3x3 for the 5x5s."""
    paper = summarize(cnnguide.build("googlenet", "torch"))
    convs = [r for r in paper.layers if r.kind == "conv"]
    biases = sum(r.units for r in convs)
    batch_norm = 2 * biases
    five_by_five = sum((25 - 9) * r.input_shape[-1] * r.units for r in convs if r.kernel_size == (5, 5))
    tv_params = sum(p.numel() for p in torchvision_googlenet().parameters())
    assert paper.trainable - biases + batch_norm - five_by_five == tv_params


def test_bottleneck_cuts_the_5x5_branch_tenfold():
    """The course's example: 28x28x192 -> 5x5 conv to 32, with and without a 16-channel 1x1."""
    naive = summarize(cnnguide.build("inception_naive", "keras", input_shape=(28, 28, 192)))
    module = summarize(cnnguide.build("inception_module", "keras"))
    direct = naive.layer("inception_naive_5x5").macs
    reduced = module.layer("inception_3a_5x5_reduce").macs + module.layer("inception_3a_5x5").macs
    assert direct == 28 * 28 * 32 * 5 * 5 * 192 == 120_422_400
    assert reduced == 2_408_448 + 10_035_200 == 12_443_648
    assert 9 < direct / reduced < 10


def test_same_padding_keeps_every_branch_at_the_input_size():
    view = summarize(cnnguide.build("inception_naive", "torch"))
    branches = [r for r in view.layers if r.kind in ("conv", "max_pool")]
    assert {r.output_shape[:2] for r in branches} == {(224, 224)}
    assert view.output_shape == (224, 224, 64 + 128 + 32 + 32)


def test_auxiliary_heads_add_parameters_not_depth():
    plain = summarize(cnnguide.build("googlenet", "keras"))
    aux = summarize(cnnguide.build("googlenet", "keras", aux_logits=True))
    assert aux.params > 1.9 * plain.params
    assert [r for r in aux.layers if r.name.startswith("inception")] == \
           [r for r in plain.layers if r.name.startswith("inception")]


def test_module_depths_are_table_1s_output_sizes():
    """The depths the PyTorch builder derives (each module's branches summed) are the ones
    Table 1 prints in its "output size" column, and each module takes the previous one's."""
    assert {name: output_channels(name) for name in INCEPTIONS} == {
        "3a": 256, "3b": 480, "4a": 512, "4b": 512, "4c": 512, "4d": 528, "4e": 832, "5a": 832, "5b": 1024}
    assert [input_channels(name) for name in INCEPTIONS] == [192, 256, 480, 512, 512, 512, 528, 832, 832]
