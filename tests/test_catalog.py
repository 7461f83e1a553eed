import pytest

import cnnguide
from cnnguide import catalog
from cnnguide.errors import CnnguideError, UnknownModelError


def test_lenet5_entry_has_names_paper_and_figures():
    study = catalog.study("lenet5")
    assert study.name["ko"] and study.name["en"]
    assert study.year == 1998 and "LeCun" in study.paper.authors
    assert study.input_shape == (32, 32, 1)
    assert study.figure("params").value == 60_000
    assert all(fig.source for fig in study.figures)
    assert {m.name for m in study.models} == {"lenet5", "lenet5_post"}


def test_every_model_belongs_to_a_study():
    for entry in catalog.MODELS.values():
        assert entry.study in catalog.STUDIES


def test_unknown_model_suggests_the_closest_name():
    with pytest.raises(UnknownModelError, match="Did you mean 'lenet5'"):
        cnnguide.build("lenet-5")


def test_unknown_figure_lists_the_known_ones():
    with pytest.raises(UnknownModelError, match="connections"):
        catalog.study("lenet5").figure("flops")


@pytest.mark.parametrize("name", catalog.names())
def test_both_frameworks_offer_the_same_builder_with_the_same_arguments(name):
    """One name, one network: the Keras and PyTorch builders take the same arguments and defaults."""
    import inspect as pyinspect

    from cnnguide.builder import builder

    keras_params = pyinspect.signature(builder(name, "keras")).parameters
    torch_params = pyinspect.signature(builder(name, "torch")).parameters
    assert {k: p.default for k, p in keras_params.items()} == {k: p.default for k, p in torch_params.items()}


@pytest.mark.parametrize("study", sorted(catalog.STUDIES))
def test_measured_figures_are_cited_not_compared(study):
    """A result measured on trained networks (``what`` set) has no tolerance, no computed
    target, a way to be shown, and the same description in both languages."""
    for fig in catalog.study(study).figures:
        if fig.what:
            assert fig.tolerance is None and fig.target(catalog.study(study)) is None, fig.key
            assert fig.style in ("percent", "times", "number") and set(fig.what) == {"ko", "en"}, fig.key


def test_a_study_without_measured_figures_says_so():
    from cnnguide.docs import kit

    with pytest.raises(CnnguideError, match="no measured figures for vgg"):
        kit.measured("vgg")
