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
