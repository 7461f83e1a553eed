"""Bad input raises a cnnguide error that says what was wrong and what to do."""

import numpy as np
import pytest

import cnnguide
from cnnguide import parity
from cnnguide.errors import (CnnguideError, InputShapeError, OptionError, UnknownFrameworkError,
                             UnknownModelError)


def test_unknown_model():
    with pytest.raises(UnknownModelError) as info:
        cnnguide.build("lenet")
    assert "Did you mean 'lenet5'" in str(info.value) and "lenet5_post" in str(info.value)


def test_unknown_framework():
    with pytest.raises(UnknownFrameworkError, match="use one of 'keras', 'torch'"):
        cnnguide.build("lenet5", "jax")


def test_framework_aliases_are_accepted():
    assert cnnguide.build("lenet5", "PyTorch").__class__.__name__ == "LeNet5"


@pytest.mark.parametrize("framework", ["keras", "torch"])
def test_input_too_small_names_the_layer(framework):
    with pytest.raises(InputShapeError) as info:
        cnnguide.build("lenet5", framework, input_shape=(12, 12, 1))
    message = str(info.value)
    assert "'C3'" in message and "too small" in message and "32×32×1" in message


@pytest.mark.parametrize("framework", ["keras", "torch"])
def test_input_too_small_for_the_first_layer(framework):
    with pytest.raises(InputShapeError, match="'C1'"):
        cnnguide.build("lenet5", framework, input_shape=(3, 3, 1))


@pytest.mark.parametrize("shape, words", [
    ((32.5, 32, 1), "whole number"),
    ((32, -32, 1), "must be positive"),
    ((32, 32, 0), "must be positive"),
    ((32, 32), "three entries"),
    ("32x32", "three numbers"),
    ((True, 32, 1), "whole number"),
    ((1, 32, 32), "channels-first"),
])
def test_malformed_input_shape(shape, words):
    with pytest.raises(InputShapeError, match=words):
        cnnguide.build("lenet5", "keras", input_shape=shape)


def test_wrong_channel_count_for_a_built_model():
    model = cnnguide.build("lenet5", "torch")
    with pytest.raises(InputShapeError, match="built for 1 input channel"):
        cnnguide.summarize(model, input_shape=(32, 32, 3))


@pytest.mark.parametrize("framework", ["keras", "torch"])
def test_wrong_channel_count_for_images(framework):
    model = cnnguide.build("lenet5", framework)
    with pytest.raises(InputShapeError, match="takes 1 channel"):
        parity.run(model, np.zeros((2, 32, 32, 3), np.float32))


def test_images_of_the_wrong_size():
    with pytest.raises(InputShapeError, match="takes 32x32 images"):
        parity.run(cnnguide.build("lenet5", "keras"), np.zeros((2, 28, 28, 1), np.float32))


def test_other_channel_counts_build_when_asked():
    view = cnnguide.summarize(cnnguide.build("lenet5", "torch", input_shape=(32, 32, 3)))
    assert view.layer("C1").params == (5 * 5 * 3 + 1) * 6


def test_unknown_option():
    with pytest.raises(OptionError, match="no option 'dropout'.*activation, pooling"):
        cnnguide.build("lenet5", dropout=0.5)


@pytest.mark.parametrize("framework", ["keras", "torch"])
def test_bad_option_value(framework):
    with pytest.raises(OptionError, match="activation='sigmoid' is not offered: use one of 'tanh', 'relu'"):
        cnnguide.build("lenet5", framework, activation="sigmoid")


def test_not_a_model():
    with pytest.raises(CnnguideError, match="Expected a keras.Model or a torch.nn.Module"):
        cnnguide.summarize("lenet5")


def test_cli_reports_errors_without_traceback(capsys):
    from cnnguide.cli import main

    assert main(["summary", "lenet6"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("cnnguide: Unknown model 'lenet6'") and "Traceback" not in err


def test_cli_summary(capsys):
    from cnnguide.cli import main

    assert main(["summary", "lenet5_post", "--framework", "torch"]) == 0
    assert "166,826" in capsys.readouterr().out


# A framework error raised inside a layer is reported as what it is; "too small" is kept for
# inputs that would give a layer an empty output (the tests above).

def _patched_builder(monkeypatch, change):
    """Make cnnguide.build use ``change(real_builder)`` in place of the catalog's builder."""
    from cnnguide import builder as builder_module

    real = builder_module.builder
    monkeypatch.setattr(builder_module, "builder", lambda name, fw: change(real(name, fw), fw))


def _assert_reported_as_is(info, layer, words):
    message = str(info.value)
    assert not isinstance(info.value, InputShapeError), message
    assert "too small" not in message and "empty" not in message, message
    assert f"'{layer}'" in message and words in message and "\n" not in message, message


def test_a_keras_layer_error_is_not_called_too_small(monkeypatch):
    keras = cnnguide.frameworks.keras()
    from cnnguide.models.keras import lenet

    real_conv = keras.layers.Conv2D

    def grouped_c3(filters, kernel_size, **kwargs):  # 6 input channels cannot split in 4 groups
        return real_conv(filters, kernel_size, groups=4 if kwargs.get("name") == "C3" else 1, **kwargs)

    monkeypatch.setattr(lenet.layers, "Conv2D", grouped_c3)
    with pytest.raises(CnnguideError) as info:
        cnnguide.build("lenet5", "keras")
    _assert_reported_as_is(info, "C3", "divisible")


def test_a_torch_channel_mismatch_while_building_is_not_called_too_small(monkeypatch):
    torch = cnnguide.frameworks.torch()
    real_conv = torch.nn.Conv2d

    def wrong_c3(in_channels, out_channels, **kwargs):  # scripts/mutate.py's "C3 reads 8 maps"
        return real_conv(8 if (in_channels, out_channels) == (6, 16) else in_channels, out_channels, **kwargs)

    monkeypatch.setattr(torch.nn, "Conv2d", wrong_c3)
    with pytest.raises(CnnguideError) as info:
        cnnguide.build("lenet5", "torch")
    _assert_reported_as_is(info, "C3", "to have 8 channels")


def test_a_torch_channel_mismatch_while_reading_is_not_called_too_small(monkeypatch):
    torch = cnnguide.frameworks.torch()

    def wrong_c5(build_fn, fw):
        def build(input_shape, **options):
            model = build_fn(input_shape, **options)
            if fw == "torch":
                model.C5 = torch.nn.Conv2d(8, 120, kernel_size=5)
            return model
        return build

    _patched_builder(monkeypatch, wrong_c5)
    with pytest.raises(CnnguideError) as info:
        cnnguide.build("lenet5", "torch")
    _assert_reported_as_is(info, "C5", "to have 8 channels")


@pytest.mark.parametrize("framework", ["keras", "torch"])
def test_too_small_reads_alike_whether_found_while_building_or_reading(framework):
    # PyTorch's GoogLeNet meets its input only when cnnguide reads it (no forward in __init__).
    with pytest.raises(InputShapeError) as info:
        cnnguide.build("googlenet", framework, input_shape=(16, 16, 3))
    message = str(info.value)
    assert message.startswith("An input of 16×16×3 is too small for googlenet: layer ")
    assert "would have an empty output" in message and "the default 224×224×3" in message


# summarize() on things that are not a built model says what it got and what to pass instead.

def _keras_subclassed():
    keras = cnnguide.frameworks.keras()

    class Scaled(keras.Model):
        def __init__(self):
            super().__init__()
            self.dense = keras.layers.Dense(3)

        def call(self, x):
            return self.dense(x)

    return Scaled()


NOT_MODELS = {
    "a Keras layer": (lambda: cnnguide.frameworks.keras().layers.Conv2D(6, 5), "a Keras layer"),
    "an unbuilt Sequential": (lambda: cnnguide.frameworks.keras().Sequential(
        [cnnguide.frameworks.keras().layers.Dense(3)]), "no input shape yet"),
    "a subclassed Keras model": (_keras_subclassed, "no input shape yet"),
    "a TensorFlow tensor": (lambda: cnnguide.frameworks.tensorflow().zeros((1, 32, 32, 1)), "a tensor"),
    "a PyTorch tensor": (lambda: cnnguide.frameworks.torch().zeros(1, 1, 32, 32), "a tensor"),
}


@pytest.mark.parametrize("what", NOT_MODELS)
def test_summarize_says_what_it_got(what):
    make, words = NOT_MODELS[what]
    with pytest.raises(CnnguideError) as info:
        cnnguide.summarize(make())
    assert words in str(info.value) and "cnnguide.build" in str(info.value)


def test_summarize_names_a_torch_layer_that_cannot_run():
    torch = cnnguide.frameworks.torch()
    model = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.LazyLinear(3))
    with pytest.raises(CnnguideError, match="layer '1' \\((Lazy)?Linear\\)"):
        cnnguide.summarize(model, input_shape=(8, 8, 1))
