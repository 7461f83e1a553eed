"""Library oracles, computed live: keras.applications and torchvision models (weights=None)
against ours, and torchvision's AlexNet against the paper's, difference by difference."""

from __future__ import annotations

import pytest

import cnnguide
from cnnguide import catalog
from cnnguide import oracles
from cnnguide.errors import CnnguideError, ParityError
from cnnguide.inspect import ModelView
from conftest import run_python, site_record

# Same framework, same operations, the library's weights copied in: the outputs are expected to
# be identical; allow float32 rounding in case a library reorders a sum.
RELATIVE = 1e-6


# The oracles whose library model is ours with default options, read from the records the site
# build computed (every oracle, options included, is proven there in general by
# tests/test_catalog_records.py; here what each library does differently, by design).
LIVE = [(m.name, o.framework, o.library) for m in catalog.MODELS.values() for o in m.oracles if not o.options]


@pytest.mark.parametrize("name, framework, library", LIVE, ids=lambda v: str(v))
def test_our_model_is_the_library_model(name, framework, library):
    record = site_record(name)
    result = next(o for o in record["oracles"] if o["library"] == library)
    ours, theirs = ModelView.from_dict(record["views"][framework]), ModelView.from_dict(result["library_view"])
    assert ours.params == theirs.params
    assert result["paired_layers"] == {"vgg16": 16, "vgg19": 19, "alexnet_torchvision": 8,
                                       "xception": 115, "efficientnet_b0": 131,
                                       "mobilenet_v1": 55, "mobilenet_v2": 105,
                                       "resnext50_32x4d": 107, "densenet121": 242,
                                       "cspresnext50": 111}[name]
    # (Outputs within tolerance: tests/test_catalog_records.py.) The rows without parameters that differ, each by design:
    expected = {("keras", "vgg"): (("dropout", "dropout"), ()),           # the paper's dropout
                ("torch", "vgg"): ((), ("adaptive_avg_pool",)),           # torchvision's 7x7 pool
                ("torch", "ale"): ((), ()), ("torch", "res"): ((), ()),
                # torchvision's dense block keeps a list of maps, concatenated inside each layer
                # and once more at the block's end: one concatenation more per block (four).
                ("torch", "den"): ((), ("concat",) * 4),
                # timm's classifier head keeps a dropout module (p = 0 for cspresnext50).
                ("torch", "csp"): ((), ("dropout",)),
                # keras.applications' EfficientNet prepares its input (Rescaling, Normalization):
                # set aside by cnnguide.oracles.split_preprocessing, so no kind differs.
                ("keras", "xce"): ((), ()), ("keras", "eff"): ((), ()),
                # keras.applications' MobileNet ends in dropout, a 1x1 convolution (paired with
                # our dense layer) and a reshape; its MobileNetV2 has no dropout before the
                # classifier, which the paper's training code and torchvision have.
                ("keras", "mob"): {"mobilenet_v1": (("dense",), ("dropout", "conv", "flatten")),
                                   "mobilenet_v2": (("dropout",), ())}.get(name)}[framework, name[:3]]
    assert (oracles._kind_difference(ours, theirs), oracles._kind_difference(theirs, ours)) == expected


def test_the_live_check_pairs_loads_and_compares():
    """cnnguide.oracles.check, as the CLI runs it: the library's weights in ours, logits equal."""
    result = oracles.check("alexnet_torchvision", "torch", batch=1)
    assert (result.params, result.paired_layers) == (result.library_params, 8)
    assert (result.extra_kinds, result.missing_kinds) == ((), ())
    assert result.relative_difference <= RELATIVE


def test_copying_the_weights_is_what_makes_the_outputs_equal():
    from cnnguide.parity import max_abs_difference, random_images

    ours = cnnguide.build("alexnet_torchvision", "torch", classifier_activation=None)
    library = oracles.library_model("torchvision.models.alexnet")
    images = random_images((224, 224, 3), batch=1)
    assert max_abs_difference(ours, library, images) > 1e-4
    pairs = oracles.load_library_weights(library, ours)
    assert [mine.rpartition(".")[2] for mine, _ in pairs] == \
        ["conv1", "conv2", "conv3", "conv4", "conv5", "fc6", "fc7", "fc8"]
    assert max_abs_difference(ours, library, images) == 0.0


def _conv(kernel, cin, cout, groups=1):
    return (kernel * kernel * cin // groups + 1) * cout


def test_torchvision_alexnet_differs_from_the_paper_by_its_widths_and_groups():
    """torchvision's AlexNet is the single-GPU "one weird trick" network: the difference in
    parameters from the paper's, computed from its two causes (filter counts, no groups)."""
    paper = cnnguide.summarize(cnnguide.build("alexnet", "keras"))
    library = oracles.library_view("torchvision.models.alexnet", (224, 224, 3))
    # Convolutions as (kernel, in, out, groups), from Section 3.5 and torchvision's source.
    paper_convs = [(11, 3, 96, 1), (5, 96, 256, 2), (3, 256, 384, 1), (3, 384, 384, 2), (3, 384, 256, 2)]
    tv_convs = [(11, 3, 64, 1), (5, 64, 192, 1), (3, 192, 384, 1), (3, 384, 256, 1), (3, 256, 256, 1)]
    expected = sum(_conv(*c) for c in tv_convs) - sum(_conv(*c) for c in paper_convs)
    assert library.params - paper.params == expected == 135_616
    differences = oracles.layer_differences(paper, library)
    assert [delta for a, _, delta in differences if a.kind == "dense"] == [0, 0, 0]
    assert [delta for a, _, delta in differences if a.kind == "conv"] == \
        [_conv(*t) - _conv(*p) for p, t in zip(paper_convs, tv_convs)]
    assert library.params == 61_100_840 and paper.params == 60_965_224
    with pytest.raises(ParityError, match="does not match library layer"):
        oracles.pair_weighted(paper, library)


def test_unknown_oracle_and_mixed_frameworks():
    with pytest.raises(CnnguideError, match="No library ships 'alexnet' for keras"):
        oracles.library_name("alexnet", "keras")
    with pytest.raises(CnnguideError, match="Unknown library builder"):
        oracles.library_model("mxnet.vgg16")  # timm.* is a library since MobileNet v1's oracle
    with pytest.raises(ParityError, match="same framework"):
        oracles.load_library_weights(cnnguide.build("lenet5", "keras"), cnnguide.build("lenet5", "torch"))


@pytest.mark.slow
def test_importing_the_new_modules_loads_no_framework():
    result = run_python(
        "import sys\n"
        "import cnnguide.oracles, cnnguide.experiments, cnnguide.docs.alexnet, cnnguide.docs.vgg\n"
        "import cnnguide.models.vgg_configs, cnnguide.models.resnet_configs, cnnguide.models.inception_configs\n"
        "heavy = [m for m in ('tensorflow', 'keras', 'torch', 'torchvision') if m in sys.modules]\n"
        "print(heavy)\n"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
