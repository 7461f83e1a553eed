"""Architecture diagrams: the textbook figures (cnnguide.render.diagrams) and the frameworks' full
graphs (cnnguide.inspect.graphs + graphviz-pure), and the page helpers that serve both.

What is checked: one network gives the same bytes from Keras and from PyTorch (every catalog
model, and tiny models with a four-way concatenation and residual blocks); two renders are
byte-identical, in this process and in another; the SVG is well-formed XML with a title and a
description in the page's language; repeated blocks collapse, branches become lanes and identity
shortcuts arcs; colours read on both of Material's backgrounds; long chains wrap; an unknown
model fails with the catalog's error; the full graphs are laid out without a system package; a
warm build draws them without importing a framework.

Blocks and groups (the figures of issue 9): one block of a network (``ModelView.block``) is a
graph of its own whose input is the map it reads, so a ResNet block keeps its shortcut (the arc
or the projection lane) into its (+); the Keras and PyTorch views of every case study's key
block give the same bytes (the PyTorch rows chosen by position, since its names differ); VGG's
block3 shows "× 3"; AlexNet's grouped convolutions show two towers, many groups a bounded stack;
an unknown block prefix names the model's blocks.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
import sys
import sysconfig
import textwrap
from dataclasses import replace
from pathlib import Path
import xml.etree.ElementTree as ET

import pytest

from cnnguide import build, catalog
from cnnguide.docs import context
from cnnguide.errors import CnnguideError, UnknownBlockError, UnknownModelError
from cnnguide.inspect import Layer, ModelView, summarize
from cnnguide.render import diagrams, graphviz
from cnnguide.render.diagrams import Node, Parallel, Repeat, Side, structure, svg
from conftest import site_views, run_python

SVG = "{http://www.w3.org/2000/svg}"
HANGUL = re.compile(r"[\uac00-\ud7af]")


# --- hand-made views: no framework needed -----------------------------------------------------

def row(name, kind, out, inputs, inp=None, **fields) -> Layer:
    return Layer(name=name, kind=kind, input_shape=inp or out, output_shape=out,
                 inputs=tuple(inputs), **fields)


def conv(name, out, inputs, inp=None, k=3, s=1, **fields) -> Layer:
    return row(name, "conv", out, inputs, inp, kernel_size=(k, k), strides=(s, s),
               trainable=k * k * (inp or out)[-1] * out[-1], **fields)


def chain_view(n: int = 6, channels: int = 16) -> ModelView:
    """A stem and ``n`` identical convolutions (VGG-like)."""
    shape = (32, 32, channels)
    rows = [conv("stem", shape, ["input"], (32, 32, 3))]
    for k in range(n):
        rows.append(conv(f"c{k}", shape, [rows[-1].name], shape, activation="relu"))
    rows += [row("pool", "global_avg_pool", (channels,), [rows[-1].name], shape),
             row("fc", "dense", (10,), ["pool"], (channels,), trainable=10 * channels + 10)]
    return ModelView("chain", "keras", (32, 32, 3), tuple(rows))


def residual_view(blocks: int = 3) -> ModelView:
    """A stem, a block with a projection shortcut, then ``blocks - 1`` identity blocks."""
    s1, s2 = (16, 16, 8), (8, 8, 16)
    rows = [conv("stem", s1, ["input"], s1)]
    x = "stem"
    for b in range(blocks):
        first = b == 0
        rows += [conv(f"b{b}_c1", s2, [x], s1 if first else s2, s=2 if first else 1),
                 row(f"b{b}_bn1", "batch_norm", s2, [f"b{b}_c1"], trainable=32, activation="relu"),
                 conv(f"b{b}_c2", s2, [f"b{b}_bn1"], s2),
                 row(f"b{b}_bn2", "batch_norm", s2, [f"b{b}_c2"], trainable=32)]
        shortcut = x
        if first:
            rows += [conv("proj", s2, [x], s1, k=1, s=2), row("proj_bn", "batch_norm", s2, ["proj"], trainable=32)]
            shortcut = "proj_bn"
        rows.append(row(f"b{b}_add", "add", s2, [f"b{b}_bn2", shortcut], activation="relu"))
        x = f"b{b}_add"
    rows.append(row("pool", "global_avg_pool", (16,), [x], s2))
    return ModelView("residual", "torch", s1, tuple(rows))


def inception_view(aux: bool = False) -> ModelView:
    """A stem, a four-branch module joined by a concatenation, a head; optionally an
    auxiliary classifier leaving from the stem."""
    s = (28, 28, 192)
    rows = [conv("stem", s, ["input"], (28, 28, 3)),
            conv("b1", (28, 28, 64), ["stem"], s, k=1),
            conv("b2r", (28, 28, 96), ["stem"], s, k=1), conv("b2", (28, 28, 128), ["b2r"], (28, 28, 96)),
            conv("b3r", (28, 28, 16), ["stem"], s, k=1), conv("b3", (28, 28, 32), ["b3r"], (28, 28, 16), k=5),
            row("b4p", "max_pool", s, ["stem"], kernel_size=(3, 3), strides=(1, 1)),
            conv("b4", (28, 28, 32), ["b4p"], s, k=1),
            row("cat", "concat", (28, 28, 256), ["b1", "b2", "b3", "b4"], s),
            row("pool", "global_avg_pool", (256,), ["cat"], (28, 28, 256)),
            row("fc", "dense", (10,), ["pool"], (256,), trainable=2570, activation="softmax")]
    if aux:
        rows += [row("aux_pool", "avg_pool", (4, 4, 192), ["stem"], s, kernel_size=(5, 5), strides=(3, 3)),
                 row("aux_flat", "flatten", (3072,), ["aux_pool"], (4, 4, 192)),
                 row("aux_fc", "dense", (10,), ["aux_flat"], (3072,), trainable=30730)]
    return ModelView("inception", "keras", (28, 28, 3), tuple(rows))


def parse(text: str) -> ET.Element:
    root = ET.fromstring(text)
    assert root.tag == SVG + "svg"
    return root


def rects(text: str, kind: str) -> int:
    return text.count(f'class="cg-box {diagrams.colour_class(kind)}"')


# --- the textbook figures ---------------------------------------------------------------------

@pytest.mark.parametrize("make", [chain_view, residual_view, inception_view, lambda: inception_view(True)],
                         ids=["chain", "residual", "inception", "inception-aux"])
@pytest.mark.parametrize("lang", ["ko", "en"])
def test_figures_are_wellformed_and_described(make, lang):
    view = make()
    text = svg(view, lang, title="Test")
    root = parse(text)
    assert root.get("role") == "img"
    title, desc = root.find(SVG + "title"), root.find(SVG + "desc")
    assert title is not None and "Test" in title.text
    assert desc is not None and len(desc.text) > 80
    assert root.get("aria-label").startswith(title.text)
    assert bool(HANGUL.search(desc.text)) == (lang == "ko")
    assert bool(HANGUL.search(title.text)) == (lang == "ko")
    # every label is in the page's language: the legend names the kinds present
    assert ("합성곱" if lang == "ko" else "Convolution") in text
    # one <svg>, no ids (a page may show many figures), no scripts
    assert " id=" not in text and "<script" not in text


def test_two_renders_are_byte_identical_here_and_in_another_process():
    views = [chain_view(), residual_view(), inception_view(True)]
    first = [svg(v, lang, title="T") for v in views for lang in ("ko", "en")]
    assert first == [svg(v, lang, title="T") for v in views for lang in ("ko", "en")]
    # Another interpreter has another hash seed: set and dict iteration would show there.
    code = textwrap.dedent("""
        import hashlib, sys
        sys.path.insert(0, "tests")
        import test_diagrams as t
        from cnnguide.render.diagrams import svg
        views = [t.chain_view(), t.residual_view(), t.inception_view(True)]
        print(hashlib.sha256("".join(svg(v, l, title="T") for v in views for l in ("ko", "en")).encode()).hexdigest())
    """)
    import hashlib

    result = run_python(code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == hashlib.sha256("".join(first).encode()).hexdigest()


def test_repeated_blocks_collapse():
    items = structure(chain_view(6))
    repeats = [item for item in items if isinstance(item, Repeat)]
    assert [r.count for r in repeats] == [6]
    text = svg(chain_view(6), "en")
    assert "× 6" in text
    assert rects(text, "conv") == 2  # the stem and one copy of the six


def test_different_layers_do_not_collapse():
    view = chain_view(3)
    rows = list(view.layers)
    rows[2] = replace(rows[2], activation="tanh")  # c1 now differs from c0 and c2
    items = structure(ModelView("v", "keras", view.input_shape, tuple(rows)))
    assert not any(isinstance(item, Repeat) for item in items)


def test_residual_blocks_become_a_fork_an_arc_and_a_repeat():
    items = structure(residual_view(3))
    first = next(item for item in items if isinstance(item, Parallel))
    # the projection block: the residual branch and the 1x1 shortcut, joined by the addition
    assert sorted(len(b) for b in first.branches) == [2, 4]
    repeat = next(item for item in items if isinstance(item, Repeat))
    assert repeat.count == 2
    (block,) = repeat.body
    assert isinstance(block, Parallel) and () in block.branches  # the identity shortcut: an arc
    text = svg(residual_view(3), "en")
    assert text.count('class="cg-arc"') >= 1 and "× 2" in text
    assert text.count(f'<circle class="cg-box {diagrams.colour_class("add")}"') == 2  # the two (+)
    assert "Skip connection" in text and "Repeated block" in text


def test_four_branches_join_at_one_concatenation():
    items = structure(inception_view())
    fork = next(item for item in items if isinstance(item, Parallel))
    assert len(fork.branches) == 4 and all(fork.branches)
    assert [len(b) for b in fork.branches] == [1, 2, 2, 2]  # concatenation order kept
    text = svg(inception_view(), "en")
    assert rects(text, "concat") == 1 and 'class="cg-arc"' not in text


def test_an_auxiliary_head_hangs_below():
    items = structure(inception_view(aux=True))
    sides = [item for item in items if isinstance(item, Side)]
    assert len(sides) == 1 and len(sides[0].body) == 3
    assert items[items.index(sides[0]) - 1] == Node(0)  # right after the stem it leaves from
    assert "auxiliary output" in svg(inception_view(aux=True), "en")


def test_a_graph_that_is_not_chains_and_forks_is_still_drawn():
    s = (8, 8, 4)
    rows = (conv("a", s, ["input"], s), conv("b", s, ["a"]), conv("c", s, ["a", "b"]),
            conv("d", s, ["b"]), row("e", "add", s, ["c", "d"]), row("f", "add", s, ["e", "a"]))
    text = svg(ModelView("odd", "keras", s, rows), "en")
    parse(text)
    assert rects(text, "conv") + text.count("× ") >= 3


def test_long_chains_wrap_to_the_content_width():
    rows, shape = [], (32, 32, 8)
    for k in range(40):  # no two alike: nothing collapses
        out = (32, 32, 8 + k)
        rows.append(conv(f"c{k}", out, [rows[-1].name if rows else "input"], shape))
        shape = out
    text = svg(ModelView("long", "keras", (32, 32, 8), tuple(rows)), "en")
    width = float(parse(text).get("width"))
    assert width <= diagrams.MAX_WIDTH
    assert float(parse(text).get("height")) > 400  # several lines


def test_names_are_optional_and_off_by_default():
    view = chain_view(2)
    assert ">stem<" not in svg(view, "en")
    assert ">stem<" in svg(view, "en", names=True)


# --- blocks and groups, on hand-made views ----------------------------------------------------

def test_a_block_is_a_graph_whose_input_is_the_map_it_reads():
    view = residual_view(3)
    block = view.block("b1_")
    assert [r.name for r in block.layers] == ["b1_c1", "b1_bn1", "b1_c2", "b1_bn2", "b1_add"]
    assert block.input_shape == (8, 8, 16)  # b0_add's output, not the model's input
    assert block.layers[-1].inputs == ("b1_bn2", "input")  # the identity shortcut, re-indexed
    assert block.params == sum(r.params for r in view.layers if r.name.startswith("b1_"))
    (fork,) = structure(block)[1:]
    assert isinstance(fork, Parallel) and () in fork.branches  # the shortcut is still an arc
    # Cutting the rows out without re-indexing loses the shortcut: the addition's second input
    # is then unknown and drawn as the row before, so no arc (what the test above guards).
    rows = tuple(r for r in view.layers if r.name.startswith("b1_"))
    naive = ModelView("cut", "keras", (8, 8, 16), rows)
    assert 'class="cg-arc"' not in svg(naive, "en") and 'class="cg-arc"' in svg(block, "en")


def test_a_projection_block_keeps_its_shortcut_lane():
    block = residual_view(3).subview(range(1, 8))  # b0's rows and its projection, by position
    assert [r.name for r in block.layers][-3:] == ["proj", "proj_bn", "b0_add"]
    assert block.input_shape == (16, 16, 8)
    (fork,) = structure(block)[1:]
    assert sorted(len(b) for b in fork.branches) == [2, 4]
    assert block.layers[fork.join].kind == "add"


def test_rows_that_read_two_outside_maps_are_not_a_block():
    # "b0_" leaves out the projection (named proj): its addition reads the stem and proj_bn
    with pytest.raises(CnnguideError, match=r"read 2 maps from outside them \(stem, proj_bn\)"):
        residual_view(3).block("b0_")


def test_block_prefixes_follow_the_names():
    view = residual_view(3)
    assert view.block_prefixes() == ["b0_", "b1_", "b2_"]
    assert ModelView("v", "keras", (8, 8, 3), (
        row("conv3_block1_1_conv", "conv", (8, 8, 3), ["input"]),
        row("conv3_block1_1_bn", "batch_norm", (8, 8, 3), ["conv3_block1_1_conv"]),
        row("inception_3a_3x3_reduce", "conv", (8, 8, 3), ["conv3_block1_1_bn"]),
        row("inception_3a_3x3", "conv", (8, 8, 3), ["inception_3a_3x3_reduce"]),
        row("fc6", "dense", (3,), ["inception_3a_3x3"]),
    )).block_prefixes() == ["conv3_block1_", "inception_3a_"]


def test_an_unknown_block_prefix_names_the_blocks():
    with pytest.raises(UnknownBlockError, match=r"Did you mean 'b1_'\? Its blocks: b0_, b1_, b2_\."):
        residual_view(3).block("b11_")
    assert issubclass(UnknownBlockError, CnnguideError)
    with pytest.raises(UnknownBlockError, match="names no blocks; its layers are stem, c0, c1"):
        chain_view(2).block("block1_")


def test_a_block_figure_says_which_block():
    text = svg(residual_view(3).block("b1_"), "en", title="Net", block="b1")
    assert parse(text).find(SVG + "title").text == "Net · b1 block"
    text = svg(residual_view(3).block("b1_"), "ko", title="Net", block="b1")
    assert parse(text).find(SVG + "title").text == "Net · b1 블록"
    assert parse(svg(residual_view(3), "en", title="Net")).find(SVG + "title").text == "Net architecture"


def grouped_view(groups: int) -> ModelView:
    """A 1x1 convolution, a 3x3 convolution in ``groups`` groups with its batch norm, a pool."""
    s = (14, 14, 64)
    rows = (conv("a", s, ["input"], s, k=1),
            conv("b", s, ["a"], s, groups=groups, activation="relu"),
            row("b_bn", "batch_norm", s, ["b"], trainable=128),
            row("pool", "global_avg_pool", (64,), ["b_bn"], s))
    return ModelView("grouped", "keras", s, rows)


def _stacks(text: str, kind: str = "conv") -> list[int]:
    """How many boxes of ``kind`` each drawn layer has, in drawing order (a layer's stacked
    boxes are drawn one after another at one x)."""
    counts: list[int] = []
    previous = None
    for x in re.findall(rf'<rect class="cg-box {diagrams.colour_class(kind)}" x="([\d.]+)"', text):
        if x == previous:
            counts[-1] += 1
        else:
            counts.append(1)
        previous = x
    return counts


def test_few_groups_are_drawn_as_towers_and_many_as_a_bounded_stack():
    assert _stacks(svg(grouped_view(1), "en")) == [1, 1]
    two = svg(grouped_view(2), "en")
    assert _stacks(two) == [1, 2] and _stacks(two, "batch_norm") == [2]  # the slice splits too
    # each tower holds its group's channels: 32 of 64, drawn as wide as a 32-channel map
    width = float(re.findall(rf'<rect class="cg-box {diagrams.colour_class("conv")}"[^>]* width="([\d.]+)"', two)[-1])
    assert width == pytest.approx(diagrams.box_size((14, 14, 32))[0], abs=0.05)
    assert "Grouped convolution" in two and "3×3 g=2" in two
    many = svg(grouped_view(32), "en")
    assert _stacks(many) == [1, 2] and many.count('class="cg-dot"') == 3 and "g=32" in many


# --- colours ----------------------------------------------------------------------------------

def _luminance(colour: str) -> float:
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("colour", sorted(set(diagrams.COLOURS.values()) | {diagrams.OTHER}))
def test_fills_read_on_light_and_dark_backgrounds(colour):
    # WCAG's 3:1 for graphics, against Material's default (white) and slate backgrounds
    assert _contrast(colour, diagrams.LIGHT_BACKGROUND) >= 3
    assert _contrast(colour, diagrams.DARK_BACKGROUND) >= 3


def test_text_and_lines_follow_the_page_colour():
    text = svg(residual_view(), "en")
    assert ".cnnguide-diagram text{fill:currentColor" in text
    assert "stroke:currentColor" in text
    # nothing painted white or black: either would vanish on one of the two backgrounds
    assert not re.search(r"(fill|stroke)[=:]\"?(white|black|#fff\b|#ffffff|#000\b|#000000)", text, re.I)
    assert not re.search(r"<text[^>]*\bfill=", text)


# --- both frameworks, one figure --------------------------------------------------------------

_views = lru_cache(maxsize=None)(site_views)  # small: the catalog test and the block tests share them


# Each model as the site builds it (resnet50_post at 64 x 64: at 224 x 224 its 100,352 x 4,096
# dense layer alone holds 411M parameters), and GoogLeNet with its auxiliary heads.
CATALOG = [(name, dict(catalog.model(name).site_options)) for name in catalog.names()] + \
    [("googlenet", {"aux_logits": True})]


@pytest.mark.parametrize("name, options", CATALOG,
                         ids=[n + "".join(f"-{k}" for k in o) for n, o in CATALOG])
def test_catalog_models_give_the_same_figure_in_both_frameworks(name, options):
    keras_view, torch_view = _views(name, **options)
    for lang in ("ko", "en"):
        keras_svg = svg(keras_view, lang, title=name)
        assert keras_svg == svg(torch_view, lang, title=name)
        parse(keras_svg)


def _tiny_keras(kind: str):
    from cnnguide import frameworks

    keras = frameworks.keras()
    L = keras.layers
    x_in = keras.Input((16, 16, 8))
    if kind == "inception":
        x = L.Conv2D(8, 1, activation="relu", name="stem")(x_in)
        b1 = L.Conv2D(4, 1, activation="relu", name="b1")(x)
        b2 = L.Conv2D(4, 3, padding="same", activation="relu", name="b2")(
            L.Conv2D(2, 1, activation="relu", name="b2_reduce")(x))
        b3 = L.Conv2D(4, 5, padding="same", activation="relu", name="b3")(
            L.Conv2D(2, 1, activation="relu", name="b3_reduce")(x))
        b4 = L.Conv2D(4, 1, activation="relu", name="b4")(L.MaxPooling2D(3, 1, padding="same", name="b4_pool")(x))
        x = L.Concatenate(name="concat")([b1, b2, b3, b4])
    else:
        def block(x, filters, stride, name):
            shortcut = x
            if stride != 1:
                shortcut = L.BatchNormalization(name=name + "_0_bn")(
                    L.Conv2D(filters, 1, strides=stride, use_bias=False, name=name + "_0_conv")(x))
            y = L.Conv2D(filters, 3, strides=stride, padding="same", use_bias=False, name=name + "_1_conv")(x)
            y = L.Activation("relu")(L.BatchNormalization(name=name + "_1_bn")(y))
            y = L.Conv2D(filters, 3, padding="same", use_bias=False, name=name + "_2_conv")(y)
            y = L.BatchNormalization(name=name + "_2_bn")(y)
            return L.Activation("relu")(L.Add(name=name + "_add")([shortcut, y]))

        x = L.Activation("relu")(L.BatchNormalization(name="stem_bn")(
            L.Conv2D(8, 3, padding="same", use_bias=False, name="stem_conv")(x_in)))
        for k, stride in enumerate((2, 1, 1)):
            x = block(x, 16, stride, f"b{k}")
    x = L.GlobalAveragePooling2D(name="gap")(x)
    return keras.Model(x_in, L.Dense(10, activation="softmax", name="fc")(x))


def _tiny_torch(kind: str):
    from cnnguide import frameworks

    torch = frameworks.torch()
    nn = torch.nn

    class Block(nn.Module):
        def __init__(self, cin, cout, stride):
            super().__init__()
            self.downsample = None if stride == 1 else nn.Sequential(
                nn.Conv2d(cin, cout, 1, stride=stride, bias=False), nn.BatchNorm2d(cout))
            self.conv1 = nn.Conv2d(cin, cout, 3, stride=stride, padding=1, bias=False)
            self.bn1, self.relu = nn.BatchNorm2d(cout), nn.ReLU()
            self.conv2 = nn.Conv2d(cout, cout, 3, padding=1, bias=False)
            self.bn2 = nn.BatchNorm2d(cout)

        def forward(self, x):
            identity = x if self.downsample is None else self.downsample(x)
            out = self.bn2(self.conv2(self.relu(self.bn1(self.conv1(x)))))
            return self.relu(out + identity)  # F(x) + x: the other order from the Keras model

    class Tiny(nn.Module):
        def __init__(self):
            super().__init__()
            self.input_shape = (16, 16, 8)
            self.relu = nn.ReLU()
            if kind == "inception":
                self.stem, self.b1 = nn.Conv2d(8, 8, 1), nn.Conv2d(8, 4, 1)
                self.b2_reduce, self.b2 = nn.Conv2d(8, 2, 1), nn.Conv2d(2, 4, 3, padding=1)
                self.b3_reduce, self.b3 = nn.Conv2d(8, 2, 1), nn.Conv2d(2, 4, 5, padding=2)
                self.b4_pool, self.b4 = nn.MaxPool2d(3, stride=1, padding=1), nn.Conv2d(8, 4, 1)
            else:
                self.conv, self.bn = nn.Conv2d(8, 8, 3, padding=1, bias=False), nn.BatchNorm2d(8)
                self.layer = nn.Sequential(Block(8, 16, 2), Block(16, 16, 1), Block(16, 16, 1))
            self.gap, self.fc, self.softmax = nn.AdaptiveAvgPool2d(1), nn.Linear(16, 10), nn.Softmax(dim=1)

        def forward(self, x):
            if kind == "inception":
                x = self.relu(self.stem(x))
                x = torch.cat([self.relu(self.b1(x)),
                               self.relu(self.b2(self.relu(self.b2_reduce(x)))),
                               self.relu(self.b3(self.relu(self.b3_reduce(x)))),
                               self.relu(self.b4(self.b4_pool(x)))], 1)
            else:
                x = self.layer(self.relu(self.bn(self.conv(x))))
            return self.softmax(self.fc(torch.flatten(self.gap(x), 1)))

    return Tiny()


@pytest.mark.parametrize("kind", ["inception", "residual"])
def test_tiny_models_give_the_same_figure_in_both_frameworks(kind):
    keras_view, torch_view = summarize(_tiny_keras(kind)), summarize(_tiny_torch(kind))
    for lang in ("ko", "en"):
        assert svg(keras_view, lang) == svg(torch_view, lang)
    items = structure(keras_view)
    forks = [item for item in items if isinstance(item, Parallel)]
    if kind == "inception":
        assert len(forks) == 1 and len(forks[0].branches) == 4
        assert keras_view.layers[forks[0].join].kind == "concat"
    else:
        assert len(forks) == 1 and sorted(map(len, forks[0].branches)) == [2, 4]  # projection
        (repeat,) = [item for item in items if isinstance(item, Repeat)]
        assert repeat.count == 2 and () in repeat.body[0].branches  # identity shortcuts, × 2
        assert 'class="cg-arc"' in svg(keras_view, "en")


# Every case study's key blocks (the Keras names; PyTorch names them otherwise) and the models
# that are one block, drawn whole.
BLOCKS = [("resnet18", "conv3_block1_"), ("resnet18", "conv3_block2_"), ("resnet50", "conv3_block1_"),
          ("googlenet", "inception_3a_"), ("vgg16", "block3_"),
          ("alexnet", None), ("inception_naive", None), ("inception_module", None)]


def _block_views(name: str, prefix: str | None) -> tuple[ModelView, ModelView]:
    """The Keras view's block by name, and the PyTorch view's rows at the same positions."""
    keras_view, torch_view = _views(name)
    if prefix is None:
        return keras_view, torch_view
    positions = [i for i, r in enumerate(keras_view.layers) if r.name.startswith(prefix)]
    torch_block = torch_view.subview(positions)
    assert not any(r.name.startswith(prefix) for r in torch_block.layers)  # chosen by position
    return keras_view.block(prefix), torch_block


@pytest.mark.parametrize("name, prefix", BLOCKS, ids=[f"{n}-{p or 'whole'}" for n, p in BLOCKS])
def test_key_blocks_give_the_same_figure_in_both_frameworks(name, prefix):
    keras_block, torch_block = _block_views(name, prefix)
    label = prefix.rstrip("_") if prefix else None
    for lang in ("ko", "en"):
        keras_svg = svg(keras_block, lang, title=name, block=label)
        assert keras_svg == svg(torch_block, lang, title=name, block=label)
        parse(keras_svg)
    if prefix:  # the block's input is the map it reads: the output of the row before it
        keras_view = _views(name)[0]
        assert prefix in keras_view.block_prefixes()
        outside = next(n for r in keras_view.layers if r.name.startswith(prefix)
                       for n in r.inputs if not n.startswith(prefix))
        assert keras_block.input_shape == keras_view.layer(outside).output_shape


@pytest.mark.parametrize("model, prefix, shortcut", [("resnet18", "conv3_block1_", "projection"),
                                                    ("resnet18", "conv3_block2_", "identity"),
                                                    ("resnet50", "conv3_block1_", "projection")])
def test_a_resnet_block_figure_has_its_shortcut_into_the_addition(model, prefix, shortcut):
    block = _views(model)[0].block(prefix)
    text = svg(block, "en", title=model, block=prefix.rstrip("_"))
    assert text.count(f'<circle class="cg-box {diagrams.colour_class("add")}"') == 1  # the (+)
    (fork,) = [item for item in structure(block) if isinstance(item, Parallel)]
    assert block.layers[fork.join].kind == "add" and fork.join == len(block.layers) - 1
    if shortcut == "identity":
        assert () in fork.branches and 'class="cg-arc"' in text and "Skip connection" in text
    else:  # the 1x1 projection and its batch norm: a lane of its own into the (+)
        lanes = sorted(len(b) for b in fork.branches)
        assert lanes == [2, 4 if model == "resnet18" else 6]
        assert ">1×1 /2<" in text


def test_the_inception_block_joins_four_branches():
    block = _views("googlenet")[0].block("inception_3a_")
    (fork,) = [item for item in structure(block) if isinstance(item, Parallel)]
    assert [len(b) for b in fork.branches] == [1, 2, 2, 2] and block.layers[fork.join].kind == "concat"
    assert block.input_shape == (28, 28, 192)
    # the module on its own (inception_module) is the same drawing as 3a cut out of GoogLeNet
    whole = svg(_views("inception_module")[0], "en", title="T")
    assert whole == svg(block, "en", title="T")


def test_the_vgg_block_says_its_convolutions_repeat():
    block = _views("vgg16")[0].block("block3_")
    text = svg(block, "en", title="vgg16", block="block3")
    assert [r.kind for r in block.layers] == ["conv", "conv", "conv", "max_pool"]
    assert "× 3" in text and rects(text, "conv") == 1
    assert block.input_shape == (56, 56, 128)


def test_alexnet_shows_two_towers_for_its_grouped_layers():
    keras_view, torch_view = _views("alexnet")
    grouped = [r.name for r in keras_view.layers if r.groups == 2]
    assert grouped == ["conv2", "conv4", "conv5"]  # conv1 and conv3 read both GPUs' maps
    assert [r.groups for r in torch_view.layers] == [r.groups for r in keras_view.layers]
    text = svg(keras_view, "en", title="AlexNet")
    assert _stacks(text) == [1, 2, 1, 2, 2]  # conv1 ... conv5, left to right
    assert _stacks(text, "lrn") == [1, 2]  # norm2 follows conv2's two towers
    width = float(re.findall(rf'<rect class="cg-box {diagrams.colour_class("conv")}"[^>]* width="([\d.]+)"', text)[1])
    assert width == pytest.approx(diagrams.box_size((27, 27, 128))[0], abs=0.05)  # 128 of conv2's 256
    # the towers come from the groups alone: the same network without them has none
    one = ModelView("one", "keras", keras_view.input_shape,
                    tuple(replace(r, groups=1) for r in keras_view.layers))
    assert set(_stacks(svg(one, "en", title="AlexNet"))) == {1}


# --- the page helpers -------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["ko", "en"])
def test_figure_follows_the_page_language(lang):
    from cnnguide.docs.diagrams import figure

    context.set_language(lang)
    html = figure("lenet5", names=True)
    assert html.startswith('<div class="cnnguide-figure"') and html.endswith("</div>")
    root = parse(html[html.index("<svg"):-len("</div>")])
    assert ("LeNet-5 구조" if lang == "ko" else "LeNet-5 architecture") == root.find(SVG + "title").text
    assert ">C1<" in html and ">F6<" in html


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_figure_draws_one_block_in_the_page_language(lang):
    from cnnguide.docs.diagrams import figure

    context.set_language(lang)
    html = figure("resnet18", block="conv3_block2_")
    root = parse(html[html.index("<svg"):-len("</div>")])
    assert root.find(SVG + "title").text == ("resnet18 · conv3_block2 블록" if lang == "ko"
                                            else "resnet18 · conv3_block2 block")
    assert 'class="cg-arc"' in html and "28×28×128" in html
    with pytest.raises(UnknownBlockError, match="Did you mean 'conv3_block1_'.*conv5_block2_"):
        figure("resnet18", block="conv3_blok1_")


@pytest.mark.parametrize("helper", ["figure", "graphs"])
def test_an_unknown_model_fails_with_the_catalog_error(helper):
    from cnnguide.docs import diagrams as page

    with pytest.raises(UnknownModelError, match="Did you mean 'lenet5'"):
        getattr(page, helper)("lenet6")


def test_full_graphs_need_no_system_package(monkeypatch):
    from cnnguide.docs.diagrams import graphs

    # the layout program is the pip-installed one, found even with nothing on PATH
    monkeypatch.setenv("PATH", "")
    program = Path(graphviz.executable()).parent
    assert program in (Path(sysconfig.get_path("scripts")), Path(sys.executable).parent)
    context.set_language("en")
    html = graphs("lenet5")
    assert html.count("<svg") == 2 and 'data-tabs="' in html
    assert ">TensorFlow</label>" in html and ">PyTorch</label>" in html
    for found in re.findall(r"<svg.*?</svg>", html, re.S):
        root = parse(found)
        assert root.get("role") == "img" and "full computational graph" in root.get("aria-label")
        assert " id=" not in found
    assert "C1" in html and "Conv2d" in html  # Keras's layer names, torchview's module types


def test_keras_graph_ids_are_renumbered_and_stable():
    from cnnguide.inspect.graphs import keras_dot

    dot = keras_dot(build("lenet5", "keras"))
    assert re.search(r"^n0 \[", dot, re.M) and not re.search(r"\d{8,}", dot)
    code = ("from cnnguide import build\nfrom cnnguide.inspect.graphs import keras_dot\n"
            "import sys; sys.stdout.write(keras_dot(build('lenet5', 'keras')))")
    result = run_python(code)
    assert result.returncode == 0, result.stderr
    assert result.stdout == dot


def test_drawing_modules_import_no_framework():
    result = run_python(
        "import cnnguide.render.diagrams, cnnguide.render.graphviz, cnnguide.docs.diagrams\n"
        "from cnnguide import frameworks\nprint(any(frameworks.loaded().values()))")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


@pytest.mark.slow
def test_a_warm_build_draws_diagrams_without_a_framework(tmp_path):
    code = textwrap.dedent(f"""
        import sys
        from cnnguide import cache, frameworks
        from cnnguide.docs import context, diagrams
        cache.configure({str(tmp_path)!r})
        out = []
        for lang in ("ko", "en"):
            context.set_language(lang)
            out += [diagrams.figure("lenet5", names=True), diagrams.graphs("lenet5")]
        print(sum(map(len, out)), any(frameworks.loaded().values()))
    """)
    cold = run_python(code)
    assert cold.returncode == 0, cold.stderr
    warm = run_python(code)
    assert warm.returncode == 0, warm.stderr
    assert warm.stdout.split()[0] == cold.stdout.split()[0]  # the same pages
    assert cold.stdout.split()[1] == "True" and warm.stdout.split()[1] == "False"
