"""The depthwise separable convolution against the standard one, shared by the pages of the
networks built from it (Xception, MobileNet).

A standard k x k convolution from C to N channels costs k²·C·N multiply-accumulates per output
position; the separable one filters each channel alone (depthwise, k²·C), then mixes them with
a 1x1 convolution (pointwise, C·N): (1/N + 1/k²) of the standard cost, and of its weights
(Chollet 2017, Sections 1.2 and 3; Howard et al. 2017, Section 3.1). Both sides come from real
layers: the pair from a built model's agreed view, the standard convolution it replaces as a
row of the same view, its MACs from the same formula (:func:`cnnguide.inspect.view.macs`).
"""

from __future__ import annotations

import math
from dataclasses import replace
from fractions import Fraction

from .. import frameworks
from ..errors import CnnguideError
from ..inspect import ModelView
from ..inspect.view import Layer
from ..render.labels import number
from ..render.tables import markdown_table
from .context import language, pick, t
from .models import agreed_view, computed

# The course's small example: a 6x6x3 input, five 3x3 filters, no padding (a 4x4x5 output).
COURSE_INPUT, COURSE_FILTERS, COURSE_KERNEL = (6, 6, 3), 5, 3
COURSE_MULTIPLICATIONS = {"standard": 2160, "separable": 672}  # as the course counts them


def standard_for(depthwise: Layer, pointwise: Layer) -> Layer:
    """The standard convolution that the pair replaces: the depthwise kernel and stride over
    all input channels, the pointwise output (and bias)."""
    if depthwise.groups != depthwise.input_shape[-1] or depthwise.units != depthwise.groups:
        raise CnnguideError(f"{depthwise.name} is not a depthwise convolution of multiplier 1.")
    if pointwise.kernel_size != (1, 1) or depthwise.name not in pointwise.inputs:
        raise CnnguideError(f"{pointwise.name} is not a 1x1 convolution of {depthwise.name}'s output.")
    weights = math.prod(depthwise.kernel_size) * depthwise.input_shape[-1] * pointwise.units
    return Layer(name="standard", kind="conv", input_shape=depthwise.input_shape,
                 output_shape=pointwise.output_shape, trainable=weights + pointwise.units * pointwise.bias,
                 kernel_size=depthwise.kernel_size, strides=depthwise.strides, bias=pointwise.bias,
                 kernel_elements=weights)


PER_CHANNEL = ("batch_norm", "activation")  # rows that act on each channel alone: no mixing, no MACs


def pairs(view: ModelView) -> list[tuple[Layer, Layer]]:
    """Every separable convolution of ``view``: each depthwise convolution with the 1x1
    convolution that reads its output, directly (Xception puts nothing between the halves,
    Section 4.7) or through BatchNorm and a ReLU (MobileNet, Figure 3). Those act on each
    channel alone, so the pair still computes what a standard convolution's shape allows; the
    pointwise row is returned reading the depthwise one, as :func:`standard_for` expects."""
    rows = {row.name: row for row in view.layers}
    found = []
    for pointwise in view.layers:
        if pointwise.kind != "conv" or pointwise.kernel_size != (1, 1) or len(pointwise.inputs) != 1:
            continue
        source = rows.get(pointwise.inputs[0])
        while source is not None and source.kind in PER_CHANNEL and len(source.inputs) == 1:
            source = rows.get(source.inputs[0])
        if source is not None and source.kind == "conv" and 1 < source.groups == source.input_shape[-1]:
            found.append((source, replace(pointwise, inputs=(source.name,))))
    return found


def pair(view: ModelView, depthwise: str) -> tuple[Layer, Layer]:
    """The separable convolution of ``view`` whose depthwise half is the row ``depthwise``."""
    for found in pairs(view):
        if found[0].name == depthwise:
            return found
    raise CnnguideError(f"{view.name}: no 1x1 convolution reads the depthwise convolution {depthwise!r}.")


def _macs(layer: Layer) -> str:
    """A layer's MACs as arithmetic: output positions · filters · multiplications per filter
    (the kernel's k² times the channels each filter reads)."""
    height, width = layer.output_shape[:2]
    k2, reads = math.prod(layer.kernel_size), layer.input_shape[-1] // layer.groups
    if height * width * layer.units * k2 * reads != layer.macs:
        raise CnnguideError(f"{layer.name}: {layer.macs} MACs is not {height}·{width}·{layer.units}·{k2}·{reads}.")
    per_filter = f"({k2}·{reads})" if k2 > 1 and reads > 1 else str(k2 * reads)
    return f"{height}·{width}·{layer.units}·{per_filter} = {number(layer.macs)}"


def cost_table(depthwise: Layer, pointwise: Layer) -> str:
    """The pair against the standard convolution it replaces: parameters and MACs as arithmetic,
    their ratio, and 1/N + 1/k² (raises when they differ)."""
    standard = standard_for(depthwise, pointwise)
    k2, n = math.prod(depthwise.kernel_size), pointwise.units
    predicted = Fraction(1, n) + Fraction(1, k2)
    ratio = Fraction(depthwise.macs + pointwise.macs, standard.macs)
    if ratio != predicted:
        raise CnnguideError(f"{depthwise.name}: separable/standard is {ratio}, not 1/{n} + 1/{k2}.")
    kernel = "×".join(map(str, depthwise.kernel_size))
    rows = [
        [pick({"ko": f"표준 {kernel} 합성곱, {depthwise.input_shape[-1]} → {n} 채널",
               "en": f"Standard {kernel} convolution, {depthwise.input_shape[-1]} → {n} channels"}),
         number(standard.params), _macs(standard)],
        [pick({"ko": "깊이별(depthwise) ", "en": "Depthwise "}) + f"{kernel} `{depthwise.name}`",
         number(depthwise.params), _macs(depthwise)],
        [pick({"ko": "점별(pointwise) ", "en": "Pointwise "}) + f"1×1 `{pointwise.name}`",
         number(pointwise.params), _macs(pointwise)],
        [pick({"ko": "**분리 합성곱 합계**", "en": "**Separable, in all**"}),
         number(depthwise.params + pointwise.params), f"**{number(depthwise.macs + pointwise.macs)}**"],
        [pick({"ko": "분리 ÷ 표준", "en": "Separable ÷ standard"}),
         f"{(depthwise.params + pointwise.params) / standard.params:.4f}", f"{float(ratio):.4f}"],
        [f"1/N + 1/k² = 1/{n} + 1/{k2} = {predicted}", "", f"**{float(predicted):.4f}**"],
    ]
    heads = {"ko": ["", "파라미터", "MAC (위치·필터·필터당 곱셈)"],
             "en": ["", "Parameters", "MACs (positions · filters · multiplications per filter)"]}[language()]
    return markdown_table(heads, rows, "lrr")


def layer_cost(name: str, depthwise: str, pointwise: str, **options) -> str:
    """One separable pair of model ``name`` against the standard convolution it replaces."""
    view = agreed_view(name, **options)
    return cost_table(view.layer(depthwise), view.layer(pointwise))


def standard_network(name: str, **options) -> str:
    """Model ``name`` as it would be with every separable convolution replaced by the standard
    convolution it stands for (:func:`standard_for`): the pairs' parameters and MACs summed,
    then the whole network's, worked out as its totals minus the pairs plus the standard layers.
    Everything else (the other convolutions, BatchNorm, the classifier) stays as built."""
    view = agreed_view(name, **options)
    found = pairs(view)
    if not found:
        raise CnnguideError(f"{name} has no depthwise separable convolution.")
    standard = [standard_for(*pair) for pair in found]
    separable = [sum(dw.params + pw.params for dw, pw in found), sum(dw.macs + pw.macs for dw, pw in found)]
    replaced = [sum(s.params for s in standard), sum(s.macs for s in standard)]
    built = [view.trainable, view.macs]
    swapped = [b - s + r for b, s, r in zip(built, separable, replaced)]
    times = t("배", "×")
    rows = [
        [t(f"분리 합성곱 {len(found)}개 (깊이별 + 점별)", f"The {len(found)} separable convolutions (depthwise + pointwise)"),
         *map(number, separable)],
        [t("그 자리의 표준 합성곱", "The standard convolutions in their place"), *map(number, replaced)],
        [t("만든 네트워크 전체 (학습 파라미터)", "The whole network as built (trainable)"), *map(number, built)],
        [t("표준 합성곱으로: 전체 − 분리 + 표준", "With standard convolutions: whole − separable + standard"),
         *(f"{number(b)} − {number(s)} + {number(r)} = **{number(w)}**"
           for b, s, r, w in zip(built, separable, replaced, swapped))],
        [t("표준 합성곱으로 ÷ 만든 네트워크", "Standard ÷ as built"), *(f"**{w / b:.1f}{times}**" for w, b in zip(swapped, built))],
    ]
    return markdown_table(["", t("파라미터", "Parameters"), t("MAC", "MACs")], rows, "lrr")


def _course_views() -> dict:
    """The course's example built in both frameworks: one model with the standard convolution,
    one with the separable pair (Keras ``SeparableConv2D``; PyTorch a depthwise and a 1x1)."""
    from ..inspect import summarize
    from ..parity import compare_views

    keras, torch, views, (h, w, c) = frameworks.keras(), frameworks.torch(), {}, COURSE_INPUT
    for kind in ("standard", "separable"):
        layer = (keras.layers.Conv2D if kind == "standard" else keras.layers.SeparableConv2D)(
            COURSE_FILTERS, COURSE_KERNEL, use_bias=False, name=kind)
        inputs = keras.Input(COURSE_INPUT, name="input_layer")
        keras_view = summarize(keras.Model(inputs, layer(inputs), name=kind))
        modules = ([torch.nn.Conv2d(c, COURSE_FILTERS, COURSE_KERNEL, bias=False)] if kind == "standard" else
                   [torch.nn.Conv2d(c, c, COURSE_KERNEL, groups=c, bias=False),
                    torch.nn.Conv2d(c, COURSE_FILTERS, 1, bias=False)])
        if compare_views(keras_view, summarize(torch.nn.Sequential(*modules), (h, w, c))):
            raise CnnguideError(f"The course's {kind} convolution differs between Keras and PyTorch.")
        views[kind] = keras_view.to_dict()
    return views


def course_example() -> str:
    """The course's 6x6x3 example from layers built in both frameworks, with its two counts."""
    views = {k: ModelView.from_dict(v) for k, v in computed("separable_course", "xception", {}, _course_views).items()}
    standard = views["standard"].layer("standard")
    depthwise, pointwise = views["separable"].layers
    if (standard.macs, depthwise.macs + pointwise.macs) != tuple(COURSE_MULTIPLICATIONS.values()):
        raise CnnguideError(f"The course's example gives {standard.macs} and {depthwise.macs + pointwise.macs}.")
    shapes = " → ".join("×".join(map(str, shape)) for shape in (views["standard"].input_shape, standard.output_shape))
    return pick({"ko": f"입력과 출력 (패딩 없음): {shapes}", "en": f"Input and output (no padding): {shapes}"}) \
        + "\n\n" + cost_table(depthwise, pointwise)
