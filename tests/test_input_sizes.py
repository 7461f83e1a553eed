"""Both frameworks build the same network at every input size, or both refuse it.

Every builder takes any ``input_shape``, and each framework rounds feature-map sizes by its own
rules: TensorFlow's "same" pads the bottom/right, PyTorch's ``ceil_mode`` keeps a last partial
window, a fixed ``nn.Linear`` expects one size. Where the rules differ, one input size gives two
different networks without any error (GoogLeNet at 47 px differed in 17 rows), or one framework
builds what the other refuses. So for every catalog model, over a sweep of square sizes: either
both frameworks build and their views agree row by row, or both raise a CnnguideError.

Which sizes, and why. A size is rounded at each strided layer, so the rounding pattern repeats
with the product of the strides (4 for LeNet-5, 32 for the ImageNet networks): past the
smallest size a network takes, sizes modulo that period are the cases. The sweep takes every
size around the smallest one (where one framework may still build while the other refuses),
sizes at which a stride-2 layer rounds (33, 47, 63, 75, 97, 100, 127: odd at one layer or
another, where GoogLeNet's frameworks differed), and every size of the cheap models. The deeper
ResNets share ResNet-18's and ResNet-50's downsampling layers (they only add stride-1 blocks
per stage), so they are checked at one odd size each: at 5-12 s a build, a full sweep would
cost minutes and test no other rounding.
"""

from __future__ import annotations

import contextlib

import pytest

import cnnguide
from cnnguide import catalog, frameworks, parity, summarize
from cnnguide.errors import CnnguideError

ODD = (33, 47, 63, 75, 97, 100, 127)  # every class of rounding at stride-2 layers, mod 32


def around(smallest: int, below: int = 3, above: int = 4) -> tuple[int, ...]:
    """Sizes on both sides of the smallest one a network takes."""
    return tuple(range(max(smallest - below, 1), smallest + above + 1))


SWEEP: dict[str, tuple[int, ...]] = {
    # Stride 1 only (an Inception module alone): every size is the same case.
    "inception_naive": (1, 2, 3, 5, 8),
    "inception_module": (1, 2, 3, 5, 8),
    # Cheap: every size up to past the smallest (32 and 16) and two periods (4) beyond.
    "lenet5": tuple(range(1, 41)),
    "lenet5_post": tuple(range(1, 41)),
    "alexnet": around(67) + (99, 127),
    "alexnet_post": around(67) + (99,),
    "alexnet_torchvision": around(63) + (99, 127),
    "googlenet": (1,) + around(31) + ODD,
    "vgg16": around(32) + ODD[:4],
    "vgg19": around(32, 1, 1),
    "resnet18": (1, 2, 3) + ODD,
    "resnet50": (1, 33, 47),
    "resnet34": (33,),
    "resnet101": (33,),
    "resnet152": (33,),
    "resnext50_32x4d": (1, 33),
    "se_resnet50": (1, 33),
    # Average pooling at stride 2 in every transition floors an odd map, as the max poolings do.
    "densenet121": (1, 33, 47),
    # Symmetric padding at every stride 2, -inf before the stem's max pooling (Keras pads it by hand).
    "cspresnext50": (1, 2, 33, 47),
    "resnet50_post": (1, 31, 32, 33),  # keras.applications.ResNet50 takes 32 and above
    # Explicit TensorFlow-rule padding before every stride 2: odd and even sizes differ.
    "mobilenet_v1": (1, 2, 3) + ODD,
    "mobilenet_v2": (1, 2, 3) + ODD,
    "efficientnet_b0": (1, 2, 3) + ODD[:4],
    # Two unpadded convolutions, then four "same" poolings at stride 2.
    "xception": (1, 2, 3, 4, 5, 6, 31, 32, 33),
}
# Options that change which layers exist, swept too: GoogLeNet's auxiliary heads read the 4a and
# 4d maps (at least 5x5 from 79 px), through a dense layer sized for them.
OPTIONS = {"googlenet": [{"aux_logits": True}, {"variant": "torchvision"}]}
AUX_SIZES = (31, 78, 79, 97)


def test_every_catalog_model_is_swept():
    assert sorted(SWEEP) == sorted(catalog.names())


def _cases():
    for name, sizes in SWEEP.items():
        for size in sorted(set(sizes)):  # around() and ODD may share a size
            yield pytest.param(name, size, {}, id=f"{name}-{size}")
    for size in AUX_SIZES:
        yield pytest.param("googlenet", size, OPTIONS["googlenet"][0], id=f"googlenet-aux-{size}")
    for size in (47,):
        yield pytest.param("googlenet", size, OPTIONS["googlenet"][1], id=f"googlenet-tv-{size}")


def _view_or_error(name: str, framework: str, shape, options):
    # PyTorch builds on the meta device: its view and its refusals read shapes only (the view
    # runs there anyway), and no weight is drawn for a network that is only compared.
    device = frameworks.torch().device("meta") if framework == "torch" else contextlib.nullcontext()
    try:
        with device:
            return summarize(cnnguide.build(name, framework, input_shape=shape, **options))
    except CnnguideError as exc:
        return exc


@pytest.mark.parametrize("name, size, options", list(_cases()))
def test_both_frameworks_build_the_same_network_or_refuse_the_size(name, size, options):
    shape = (size, size, catalog.model(name).input_shape[2])
    keras_view = _view_or_error(name, "keras", shape, options)
    torch_view = _view_or_error(name, "torch", shape, options)
    refused = [isinstance(v, CnnguideError) for v in (keras_view, torch_view)]
    assert refused[0] == refused[1], (
        f"{name} at {size}x{size}: Keras {'refuses' if refused[0] else 'builds'}, PyTorch "
        f"{'refuses' if refused[1] else 'builds'}: {keras_view if refused[0] else torch_view}")
    if not refused[0]:
        assert parity.compare_views(keras_view, torch_view) == []
