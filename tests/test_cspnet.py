"""CSPNet: what is specific to it. Every stage splits its maps in halves, sends one through its
blocks and carries the other across, in both frameworks; timm's weights load into ours by name;
the split costs less than ResNeXt-50's stages (the catalog-wide tests prove parity, the timm
oracle and the paper figures)."""

import pytest

import cnnguide
from cnnguide import frameworks, parity, summarize
from cnnguide.errors import OptionError
from cnnguide.models.cspnet_configs import CSPRESNEXT50, part_channels
from conftest import built_alike, site_views


def test_every_stage_splits_in_halves_and_joins_the_crossing_part_first():
    """Section 3.1: x0 = [x0', x0'']; x0'' through the blocks and a transition, then [x0', x0'']
    concatenated and a last transition. In both frameworks' views of the site's CSPResNeXt-50."""
    keras_view, torch_view = site_views("cspresnext50")
    assert parity.compare_views(keras_view, torch_view) == []
    for number, stage in enumerate(CSPRESNEXT50, start=2):
        split = keras_view.layer(f"conv{number}_split")
        half = part_channels(stage.width)
        assert (split.input_shape[-1], split.output_shape[-1]) == (stage.width, stage.width - half)
        blocks = {r.name.split("_")[1] for r in keras_view.layers if r.name.startswith(f"conv{number}_block")}
        assert len(blocks) == stage.depth
        assert keras_view.layer(f"conv{number}_block1_1_conv").inputs == (f"conv{number}_split",)
        assert keras_view.layer(f"conv{number}_block1_2_conv").groups == 32
        assert keras_view.layer(f"conv{number}_concat").inputs == (f"conv{number}_split",
                                                                   f"conv{number}_transition_b_bn")
        assert keras_view.layer(f"conv{number}_transition_conv").units == stage.width
        # The first stage keeps the stem's maps; the others halve them with a grouped 3x3.
        assert any(r.name == f"conv{number}_down_conv" for r in keras_view.layers) == (stage.stride == 2)


def test_timm_weights_load_by_name_and_give_timms_outputs():
    """Our PyTorch model uses timm's attribute names: its state_dict loads unchanged (strict),
    and both compute the same logits."""
    torch = frameworks.torch()
    library = frameworks.timm().create_model("cspresnext50", pretrained=False).eval()
    ours = cnnguide.build("cspresnext50", "torch", input_shape=(64, 64, 3), classifier_activation=None).eval()
    ours.load_state_dict(library.state_dict(), strict=True)
    images = torch.randn(2, 3, 64, 64)
    with torch.no_grad():
        assert torch.equal(ours(images), library(images))


def test_fewer_groups_build_alike_in_both_frameworks():
    """``groups=1``: CSPResNet-style stages, the same rows and outputs, at a small input."""
    keras_view, _ = built_alike("cspresnext50", groups=1)
    assert {r.groups for r in keras_view.layers if r.kind == "conv"} == {1}


@pytest.mark.parametrize("framework", ["keras", "torch"])
def test_groups_that_do_not_divide_the_channels_are_refused_in_words(framework):
    with pytest.raises(OptionError, match="groups=3"):
        cnnguide.build("cspresnext50", framework, groups=3)


def test_the_split_costs_less_than_resnext50_at_the_same_input():
    """The page's point, from the site's records: fewer MACs and parameters than ResNeXt-50."""
    csp, _ = site_views("cspresnext50")
    base = summarize(cnnguide.build("resnext50_32x4d", "torch", input_shape=csp.input_shape))
    assert csp.macs < 0.8 * base.macs and csp.trainable < base.trainable
