"""Every builder option is checked once, in ``cnnguide.build``, before either framework's builder
runs: both frameworks refuse the same values with the same message, and nothing half-valid
(``aux_logits="False"``, ``classes=0``) quietly builds a different network."""

import inspect as pyinspect

import pytest

import cnnguide
from cnnguide import catalog
from cnnguide.builder import builder
from cnnguide.errors import OptionError
from cnnguide.models.options import OPTIONS, check

BAD = [
    # (model, option, value, words the message must contain besides the option and the value)
    ("lenet5", "classes", 0, "whole number of at least 1"),
    ("lenet5", "classes", -1, "whole number of at least 1"),
    ("lenet5", "classes", "ten", "whole number of at least 1"),
    ("lenet5", "classes", 10.5, "whole number of at least 1"),
    ("lenet5", "classes", True, "whole number of at least 1"),
    ("lenet5", "activation", "sigmoid", "use one of 'tanh', 'relu'"),
    ("lenet5", "activation", None, "use one of 'tanh', 'relu'"),
    ("lenet5", "pooling", "Max", "use one of 'average', 'max'"),
    ("lenet5", "classifier_activation", "relu", "use one of 'softmax', None"),
    ("alexnet", "activation", "gelu", "use one of 'relu', 'tanh', 'sigmoid'"),
    ("googlenet", "aux_logits", "False", "True or False"),
    ("googlenet", "aux_logits", 1, "True or False"),
    ("googlenet", "aux_logits", None, "True or False"),
    ("googlenet", "variant", "Paper", "use one of 'paper', 'torchvision'"),
    ("resnet18", "epsilon", "small", "number greater than 0"),
    ("resnet18", "epsilon", -1, "number greater than 0"),
    ("resnet18", "epsilon", 0, "number greater than 0"),
    ("resnet18", "epsilon", float("nan"), "number greater than 0"),
    ("resnet18", "epsilon", float("inf"), "number greater than 0"),
    ("resnet18", "conv_bias", "yes", "True or False"),
    ("resnet18", "include_top", "False", "True or False"),
    ("resnet18", "version", "v2", "use one of 'v1', 'v1.5'"),
    ("resnet50_post", "classes", 0, "whole number of at least 1"),
    ("resnext50_32x4d", "groups", 0, "whole number of at least 1"),
    ("resnext50_32x4d", "width_per_group", 2.5, "whole number of at least 1"),
    ("se_resnet50", "se_reduction", "16", "whole number of at least 1"),
    # A whole number, but one that leaves the squeeze no channel in conv2_x's 256.
    ("se_resnet50", "se_reduction", 1000, "leaves no channel inside the squeeze-and-excitation"),
    ("densenet121", "growth_rate", 0, "whole number of at least 1"),
    ("densenet121", "bottleneck", "yes", "True or False"),
    ("densenet121", "compression", 0, "number greater than 0"),
    ("cspresnext50", "groups", 0, "whole number of at least 1"),
]


@pytest.mark.parametrize("name, option, value, words", BAD,
                         ids=[f"{n}-{o}={v!r}" for n, o, v, _ in BAD])
def test_both_frameworks_refuse_a_bad_value_with_the_same_message(name, option, value, words):
    messages = []
    for framework in ("keras", "torch"):
        with pytest.raises(OptionError) as info:
            cnnguide.build(name, framework, **{option: value})
        messages.append(str(info.value))
    assert messages[0] == messages[1]
    assert f"{option}={value!r}" in messages[0] and words in messages[0]


@pytest.mark.parametrize("framework", ["keras", "torch"])
def test_typed_values_still_build(framework):
    from cnnguide import summarize

    model = cnnguide.build("lenet5", framework, classes=3, activation="relu", pooling="max",
                           classifier_activation=None)
    assert summarize(model).layers[-1].output_shape == (3,)


def test_the_catalog_lists_typed_values():
    assert catalog.model("googlenet").options["aux_logits"] == (False, True)
    for entry in catalog.MODELS.values():
        for option, values in entry.options.items():
            assert all(check(entry, {option: v}) == {option: v} for v in values), (entry.name, option)


@pytest.mark.parametrize("name", catalog.names())
def test_every_option_of_every_builder_has_a_spec_and_its_default_passes(name):
    """A new builder argument must be declared in cnnguide.models.options, or build() refuses it."""
    entry = catalog.model(name)
    for framework in ("keras", "torch"):
        params = pyinspect.signature(builder(name, framework)).parameters
        for option, param in params.items():
            if option == "input_shape":
                continue
            assert option in OPTIONS, f"{name}: no spec for option {option!r}"
            assert check(entry, {option: param.default}) == {option: param.default}
