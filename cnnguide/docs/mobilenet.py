"""What the MobileNet v1 page computes beyond the kit (Howard et al. 2017): the separable block
against the standard convolution (Section 3.1, Tables 2-3; the cost table is :mod:`.separable`'s),
the width and resolution multipliers (Sections 3.3-3.4, Tables 6-7), and the post's claim that
MobileNet is light (v2 too), and the exercises at the end of the page. v2's own arguments are in
:mod:`.mobilenet_v2`."""

from __future__ import annotations

import re
from fractions import Fraction
from itertools import product

from .. import catalog
from ..errors import CnnguideError
from ..render import diagrams as render
from ..render.labels import VERDICTS, number
from ..render.tables import markdown_table
from . import separable
from .context import language, t
from .kit import verdict
from .models import agreed_view, computed, meta_view

ALPHAS, SIZES = (1.0, 0.75, 0.5, 0.25), (224, 192, 160, 128)  # Section 4.2: Figures 4-5's 16 models
V1 = catalog.study("mobilenet")


def separable_block_figure(block: int = 2) -> str:
    """Separable convolution ``block`` drawn alone (its halves, conv_dw_N and conv_pw_N, share no prefix)."""
    view = agreed_view("mobilenet_v1")
    rows = [i for i, row in enumerate(view.layers) if re.match(rf"conv_(dw|pw)_{block}(_|$)", row.name)]
    svg = render.svg(view.subview(rows), language(), title="mobilenet_v1", block=f"conv_dw_{block} + conv_pw_{block}")
    width = re.search(r'width="([\d.]+)"', svg)[1]
    return f'<div class="cnnguide-figure" style="--cnnguide-width: {width}px">{svg}</div>'


def layer_cost(block: int = 7) -> str:
    """``block`` against the standard convolution it replaces; block 7 is Table 3's layer (checked)."""
    depthwise, pointwise = separable.pair(agreed_view("mobilenet_v1"), f"conv_dw_{block}")
    if depthwise.input_shape == (14, 14, 512) and pointwise.units == 512:
        verdict(V1.figure("table3_standard_macs"), separable.standard_for(depthwise, pointwise).macs)
        verdict(V1.figure("table3_separable_macs"), depthwise.macs + pointwise.macs)
    return separable.cost_table(depthwise, pointwise)


LAYER_TYPES = {"1x1": ("1×1 합성곱", "Conv 1×1"), "dw": ("3×3 깊이별 합성곱", "Conv DW 3×3"),
               "3x3": ("3×3 합성곱", "Conv 3×3"), "fc": ("완전 연결", "Fully connected")}


def _layer_type(row) -> str:
    """Table 2's type of a weighted row: a key of :data:`LAYER_TYPES`."""
    return "fc" if row.kind == "dense" else "1x1" if row.kernel_size == (1, 1) else "dw" if row.groups > 1 else "3x3"


def resources_table() -> str:
    """Table 2: each kind of layer's share of the MACs and of the weights (kernels only, as the
    table counts them), ours beside the paper's; where a figure is not comparable, why."""
    weighted = [row for row in agreed_view("mobilenet_v1").layers if row.kind in ("conv", "dense")]
    kind_of = {r.name: _layer_type(r) for r in weighted}
    rows = [[t(*label)] for label in LAYER_TYPES.values()]
    for measure, amount in (("macs", lambda r: r.macs), ("params", lambda r: r.kernel_elements)):
        figures = [V1.figure(f"table2_{measure}_{kind}") for kind in LAYER_TYPES]
        for row, kind, fig in zip(rows, LAYER_TYPES, figures):
            ours = 100 * sum(amount(r) for r in weighted if kind_of[r.name] == kind) / sum(map(amount, weighted))
            shown = fig.why[language()] if fig.tolerance is None else VERDICTS[verdict(fig, ours)][language()]
            row += [f"{ours:.2f}%", f"{fig.value:.2f}%", shown]
        if measure == "macs" and abs(sum(f.value for f in figures) - 100) < 0.5:
            raise CnnguideError("Table 2's MAC shares sum to 100%: the reason given for its 3x3 share no longer holds.")
    heads = [t("층의 종류", "Layer type"), t("MAC (우리)", "MACs (ours)"), t("MAC (표 2)", "MACs (Table 2)"), "",
             t("가중치 (우리)", "Weights (ours)"), t("가중치 (표 2)", "Weights (Table 2)"), ""]
    return markdown_table(heads, rows, "lrrlrrl")


def _costs() -> dict:
    """Trainable parameters and MACs of the 16 models, read from PyTorch builds on the meta
    device (no weight initialised; tests/test_mobilenet.py builds several in both frameworks
    and against keras.applications). Alpha 1.0 at 224 must be the page's own model."""
    found = {f"{alpha}_{size}": (view.trainable, view.macs) for alpha, size in product(ALPHAS, SIZES)
             for view in [meta_view("mobilenet_v1", alpha=alpha, input_shape=(size, size, 3))]}
    default = agreed_view("mobilenet_v1")
    if found["1.0_224"] != (default.trainable, default.macs):
        raise CnnguideError(f"MobileNet v1 on the meta device {found['1.0_224']} is not the page's model "
                            f"({default.trainable}, {default.macs}).")
    return found


def multipliers_table() -> str:
    """Parameters and MACs (millions) against alpha (rows) and input size (columns), the paper's
    Tables 6 and 7 in parentheses, and how closely they follow Section 3's alpha² and rho²."""
    costs, quoted = computed("width_resolution", "mobilenet_v1", {}, _costs), {f.key: f for f in V1.figures}

    def cell(value: int, key: str) -> str:  # the paper's figure beside ours; verdict raises beyond its tolerance
        fig = quoted.pop(key, None)
        return f"{value / 1e6:.2f}" + (f" ({fig.value / 1e6:g})" if fig and verdict(fig, value) else "")

    (params_1, macs_1), rows = costs["1.0_224"], []
    for a in ALPHAS:
        params, macs = costs[f"{a}_224"]
        if any(costs[f"{a}_{s}"][0] != params for s in SIZES):
            raise CnnguideError("MobileNet v1's parameters vary with the input size.")
        rows.append([f"{a:g} (α² = {a ** 2:g})", cell(params, f"params_{round(a * 100)}_224"), f"{params / params_1:.3f}",
                     f"{macs / macs_1:.3f}", *(cell(costs[f"{a}_{s}"][1], f"macs_{round(a * 100)}_{s}") for s in SIZES)])
    rows += [[t("ρ² = (입력 ÷ 224)²", "ρ² = (input ÷ 224)²"), "", "", "", *(f"{(s / 224) ** 2:.3f}" for s in SIZES)],
             [t("α = 1: MAC ÷ 224의 MAC", "α = 1: MACs ÷ MACs at 224"), "", "", "", *(f"{costs[f'1.0_{s}'][1] / macs_1:.3f}" for s in SIZES)]]
    if any(key.startswith(("params_", "macs_")) for key in quoted):
        raise CnnguideError(f"Figures of Tables 6 and 7 that no model of the table checks: {sorted(quoted)}.")
    heads = ["α", t("파라미터 (백만)", "Parameters (millions)"), t("파라미터 ÷ α = 1", "Parameters ÷ α = 1"),
             t("224의 MAC ÷ α = 1", "MACs at 224 ÷ α = 1"), *(t(f"{s}×{s} MAC (백만)", f"MACs at {s}×{s} (millions)") for s in SIZES)]
    return markdown_table(heads, rows, "lrrrrrrr")


def light_table() -> str:
    """The post's claim (light models for devices): both versions against VGG-16 and ResNet-50,
    and Section 4.2's "32 times smaller and 27 times less compute intensive" than VGG-16."""
    views = {name: agreed_view(name) for name in ("vgg16", "resnet50", "mobilenet_v1", "mobilenet_v2")}
    vgg, v1 = views["vgg16"], views["mobilenet_v1"]
    verdict(V1.figure("smaller_than_vgg16"), vgg.trainable / v1.trainable)
    verdict(V1.figure("less_compute_than_vgg16"), vgg.macs / v1.macs)
    rows = [[f"`{name}`", number(v.trainable), f"{v.macs / 1e6:,.0f}", f"{vgg.trainable / v.trainable:.1f}",
             f"{vgg.macs / v.macs:.1f}"] for name, v in views.items()]
    return markdown_table([t("모델", "Model"), t("학습 파라미터", "Trainable parameters"), t("MAC (백만)", "MACs (millions)"),
                           t("VGG-16 ÷ 이 모델 (파라미터)", "VGG-16 ÷ this model (parameters)"),
                           t("VGG-16 ÷ 이 모델 (MAC)", "VGG-16 ÷ this model (MACs)")], rows, "lrrrr")


# --- exercises ---------------------------------------------------------------------------------

FULL, HALF, SMALLER = SIZES[0], 0.5, 160  # an alpha and sizes of the multipliers table: its builds are reused
# How each type's MACs scale with alpha (Section 3.3): a pointwise convolution thins its inputs and
# its outputs (alpha M · alpha N); a depthwise one has one filter per channel (alpha M); the first
# convolution still reads three colours, and the classifier still gives a thousand classes.
ALPHA_POWER = {"1x1": 2, "dw": 1, "3x3": 1, "fc": 1}


def _macs_by_type() -> dict[str, int]:
    """The full model's MACs by Table 2's layer types."""
    found = dict.fromkeys(LAYER_TYPES, 0)
    for row in agreed_view("mobilenet_v1").layers:
        if row.kind in ("conv", "dense"):
            found[_layer_type(row)] += row.macs
    return found


def _counted(alpha: float, size: int) -> tuple[int, int]:
    """(trainable, MACs) of one model of the multipliers table (built once for it)."""
    if alpha not in ALPHAS or size not in SIZES:
        raise CnnguideError(f"alpha {alpha} at {size} is not a model of the multipliers table.")
    return tuple(computed("width_resolution", "mobilenet_v1", {}, _costs)[f"{alpha}_{size}"])


def exercise_half_width() -> str:
    """MobileNet v1 at alpha = 0.5 (Section 3.3): each layer type's MACs times alpha or alpha²,
    summed, against the model built at that width; and why the whole is not alpha² times."""
    by_type, (params_1, macs_1), (params, macs) = _macs_by_type(), _counted(1.0, FULL), _counted(HALF, FULL)
    predicted = {kind: Fraction(HALF) ** ALPHA_POWER[kind] * value for kind, value in by_type.items()}
    if sum(predicted.values()) != macs:
        raise CnnguideError(f"alpha {HALF}: the types' MACs scaled give {sum(predicted.values())}, the build {macs}.")
    rows = [[t(*LAYER_TYPES[kind]), number(value), f"α{'²' if ALPHA_POWER[kind] == 2 else ''} = "
             f"{HALF ** ALPHA_POWER[kind]:g}", number(int(predicted[kind]))] for kind, value in by_type.items()]
    rows += [[t("**합계**", "**Sum**"), number(macs_1), "", f"**{number(macs)}**"]]
    table = markdown_table([t("층의 종류", "Layer type"), t("α = 1의 MAC", "MACs at α = 1"), t("곱하는 값", "Times"),
                            t(f"α = {HALF:g}의 MAC", f"MACs at α = {HALF:g}")], rows, "lrrr")
    return table + t(
        f"\n\n합계는 α = {HALF:g}로 만든 모델에서 센 값과 같습니다. 전체는 α = 1의 {macs / macs_1:.3f}배로, "
        f"α² = {HALF ** 2:g}보다 큽니다. 1×1 합성곱만 α²로 줄고 나머지는 α로만 줄기 때문입니다. 학습 파라미터는 "
        f"{number(params_1)}개에서 {number(params)}개로, {params / params_1:.3f}배입니다.",
        f"\n\nThe sum is what the model built at α = {HALF:g} counts. The whole is {macs / macs_1:.3f} times "
        f"α = 1's, more than α² = {HALF ** 2:g}: only the 1×1 convolutions shrink by α², the rest by α alone. The "
        f"trainable parameters go from {number(params_1)} to {number(params)}, {params / params_1:.3f} times.")


def exercise_smaller_input() -> str:
    """MobileNet v1 at a smaller input (Section 3.4): every convolution's map shrinks by rho on
    each side, so its MACs by rho²; the classifier runs once per image and does not shrink."""
    by_type, (params_1, macs_1), (params, macs) = _macs_by_type(), _counted(1.0, FULL), _counted(1.0, SMALLER)
    rho2 = Fraction(SMALLER, FULL) ** 2
    convolutions, classifier = sum(by_type.values()) - by_type["fc"], by_type["fc"]
    if rho2 * convolutions + classifier != macs or params != params_1:
        raise CnnguideError(f"At {SMALLER}: rho² · {convolutions} + {classifier} is not the build's {macs} MACs, "
                            f"or its parameters changed.")
    rows = [[t("합성곱 전부", "Every convolution"), number(convolutions), f"ρ² = ({SMALLER}/{FULL})² = {rho2}",
             number(int(rho2 * convolutions))],
            [t("완전 연결 층", "The fully connected layer"), number(classifier), "1", number(classifier)],
            [t("**합계**", "**Sum**"), number(macs_1), "", f"**{number(macs)}**"]]
    table = markdown_table(["", t(f"{FULL}×{FULL}의 MAC", f"MACs at {FULL}×{FULL}"), t("곱하는 값", "Times"),
                            t(f"{SMALLER}×{SMALLER}의 MAC", f"MACs at {SMALLER}×{SMALLER}")], rows, "lrrr")
    return table + t(
        f"\n\n전체는 {macs / macs_1:.3f}배로, ρ²({float(rho2):.3f})에 아주 가깝습니다. 파라미터는 "
        f"{number(params)}개 그대로입니다. 합성곱의 가중치는 맵의 크기를 모르기 때문입니다.",
        f"\n\nThe whole is {macs / macs_1:.3f} times as much, almost exactly ρ² = {float(rho2):.3f}. The "
        f"parameters stay at {number(params)}: a convolution's weights do not know how large the map is.")


def exercise_standard_network() -> str:
    """MobileNet v1 with every separable convolution made a standard one (:mod:`.separable`)."""
    return separable.standard_network("mobilenet_v1")
