"""What the MobileNet v2 page computes beyond the kit: the inverted residual block's expansion and
cost, and why its narrow end is linear (Sandler et al. 2018, Sections 3.2-3.3 and Figure 1); then
the exercises at the end of the page."""

from __future__ import annotations

import numpy as np

import math

from .. import catalog
from ..errors import CnnguideError
from ..models.mobilenet_configs import V2_LAST, V2_STAGES, v2_blocks
from ..render.labels import number
from ..render.tables import markdown_table
from .context import t
from .models import agreed_view, computed, meta_view

V2 = catalog.study("mobilenet_v2")


def inverted_residual_cost(block: int = 2) -> str:
    """v2's ``block``: its expansion t, its MACs against Section 3.3's h·w·d'·t·(d' + k² + d''),
    and its activations: ReLU6 after the expansion and the depthwise convolution, none after the projection."""
    view, prefix = agreed_view("mobilenet_v2"), f"block_{block}_"
    expand, project = view.layer(prefix + "expand"), view.layer(prefix + "project")
    (h, w, d_in), d_out, k2 = expand.input_shape, project.units, 9
    expansion = expand.units // d_in
    formula, macs = h * w * d_in * expansion * (d_in + k2 + d_out), view.block(prefix).macs
    acts = [view.layer(prefix + n).activation for n in ("expand_BN", "depthwise_BN", "project_BN")]
    if expansion != V2.figure("expansion").value or formula != macs or acts != ["relu6", "relu6", None]:
        raise CnnguideError(f"{prefix}: expansion {expansion}, MACs {macs} against {formula}, activations {acts}.")
    return markdown_table([t("항목", "What"), t("값", "Value")], [
        [t("확장 비율 t = 확장 채널 ÷ 입력 채널", "Expansion t = expanded ÷ input channels"), f"{expand.units} ÷ {d_in} = {expansion}"],
        [t("논문의 식 h·w·d′·t·(d′ + k² + d″)", "The paper's h·w·d′·t·(d′ + k² + d″)"),
         f"{h}·{w}·{d_in}·{expansion}·({d_in} + {k2} + {d_out}) = {number(formula)}"],
        [t("블록의 MAC (세 합성곱의 합)", "The block's MACs (its three convolutions)"), f"**{number(macs)}**"],
        [t("활성화: 확장, 깊이별, 투영 뒤", "Activation after expansion, depthwise, projection"),
         f"{acts[0]}, {acts[1]}, **{t('없음 (선형)', 'none (linear)')}**"]], "lr")


def relu_collapse_table(dims=(2, 3, 5, 15, 30), points: int = 1000) -> str:
    """Section 3.2 and Figure 1: a 2-D spiral embedded in n dimensions by a random T, then ReLU.
    A point can still be recovered when its positive coordinates carry two independent rows of
    T (T restricted to them is invertible); otherwise ReLU has merged it with its neighbours."""
    rng = np.random.default_rng(0)
    turn = np.linspace(0.5, 4 * np.pi, points)
    spiral = np.stack([turn * np.cos(turn), turn * np.sin(turn)], axis=1)
    kept = []
    for n in dims:
        embed = rng.standard_normal((2, n))
        kept.append(np.mean([np.linalg.matrix_rank(embed[:, positive]) == 2 for positive in spiral @ embed > 0]))
    if not kept[0] < 0.5 < 0.95 < kept[-1]:
        raise CnnguideError(f"ReLU no longer loses most of the spiral in 2-D and keeps it in 30-D: {kept}.")
    return markdown_table([t("차원 n", "Dimensions n"), t("ReLU 뒤에도 복원할 수 있는 점", "Points still recoverable after ReLU")],
                          [[str(n), f"{share:.0%}"] for n, share in zip(dims, kept)], "rr")


# --- exercises ---------------------------------------------------------------------------------

SHOWN = 2  # the block the page takes apart (inverted_residual_cost): 56 x 56, 24 -> 144 -> 24


def _block_cost(h: int, w: int, d_in: int, expansion: int, k2: int, d_out: int) -> tuple[int, int]:
    """Section 3.3's MACs, h·w·d′·t·(d′ + k² + d″), and the three convolutions' weights,
    d′·t·(d′ + k² + d″) (the same sum, once per map instead of once per position)."""
    weights = d_in * expansion * (d_in + k2 + d_out)
    return h * w * weights, weights


def exercise_expansion() -> str:
    """Block 2 at its expansion t = 6 and at t = 1: the cost is linear in t, and at t = 1 the
    ReLU6s would act on the narrow bottleneck itself, what Section 3.2 argues against."""
    view, prefix = agreed_view("mobilenet_v2"), f"block_{SHOWN}_"
    expand, depthwise, project = (view.layer(prefix + n) for n in ("expand", "depthwise", "project"))
    (h, w, d_in), d_out, k2 = expand.input_shape, project.units, math.prod(depthwise.kernel_size)
    ratio = expand.units // d_in
    block = view.block(prefix)
    weights = sum(r.kernel_elements for r in block.layers if r.kind == "conv")
    if _block_cost(h, w, d_in, ratio, k2, d_out) != (block.macs, weights):
        raise CnnguideError(f"{prefix}: Section 3.3's formula no longer counts the block.")
    rows = []
    for expansion in (ratio, 1):
        macs, kernel = _block_cost(h, w, d_in, expansion, k2, d_out)
        rows.append([f"t = {expansion}", f"{expansion} · {d_in} = {expansion * d_in}",
                     f"{h}·{w}·{d_in}·{expansion}·({d_in} + {k2} + {d_out}) = {number(macs)}",
                     f"{d_in}·{expansion}·({d_in} + {k2} + {d_out}) = {number(kernel)}"])
    table = markdown_table([t("확장 비율", "Expansion"), t("ReLU6가 작용하는 채널", "Channels the ReLU6s act on"),
                            t("MAC: h·w·d′·t·(d′ + k² + d″)", "MACs: h·w·d′·t·(d′ + k² + d″)"),
                            t("합성곱 가중치", "Convolution weights")], rows, "lrrr")
    return table + t(
        f"\n\n비용은 t에 정비례해 t = 1이면 {ratio}분의 1입니다. 대신 두 ReLU6가 {d_in}개 채널에서 작용합니다. "
        f"3.2절의 논증대로 좁은 공간의 ReLU는 정보를 잃습니다. 확장은 비선형 변환이 넓은 공간에서 일어나게 하려는 "
        f"것이고, 그 폭은 값싼 깊이별 합성곱 하나만 감당합니다.",
        f"\n\nThe cost is proportional to t: at t = 1 it is 1/{ratio} of the block's. But the two ReLU6s would then act on "
        f"{d_in} channels, and Section 3.2 argues that a ReLU in a narrow space loses information. The expansion "
        f"is there so the nonlinear transformation happens in a wide space, and only the cheap depthwise "
        f"convolution works at that width.")


ROLES = (("expand", ("1×1 확장", "1×1 expansion")), ("depthwise", ("3×3 깊이별", "3×3 depthwise")),
         ("project", ("1×1 투영 (선형)", "1×1 projection (linear)")))


def exercise_where_macs_go() -> str:
    """v2's MACs by the role of each layer: the blocks' expansions, depthwise convolutions and
    projections (by keras.applications' names), and the rest (the first and last convolutions,
    the classifier)."""
    view = agreed_view("mobilenet_v2")
    shares = {role: 0 for role, _ in ROLES} | {"other": 0}
    for row in view.layers:
        shares[next((role for role, _ in ROLES if row.name.endswith(f"_{role}")), "other")] += row.macs
    labels = dict(ROLES) | {"other": ("첫 합성곱, 마지막 1×1, 분류기", "First convolution, last 1×1, classifier")}
    rows = [[t(*labels[role]), number(macs), f"{macs / view.macs:.1%}"] for role, macs in shares.items()]
    rows.append([t("**합계**", "**Total**"), f"**{number(view.macs)}**", "100%"])
    pointwise = (shares["expand"] + shares["project"]) / view.macs
    depthwise = shares["depthwise"] / view.macs
    conclusion = t(f"\n\n블록의 두 1×1 합성곱(확장과 투영)이 전체 계산의 {pointwise:.0%}를 합니다. 넓어진 폭에서 일하는 유일한 "
                   f"층인 깊이별 합성곱은 {depthwise:.0%}뿐입니다. 역잔차 블록의 비용은 거의 전부 채널을 섞는 데 듭니다.",
                   f"\n\nThe blocks' two 1×1 convolutions (expansion and projection) do {pointwise:.0%} of the work; the "
                   f"depthwise convolutions, the only layers that work at the wide width, do {depthwise:.0%}. An inverted "
                   "residual block's cost is almost all in mixing channels.")
    return markdown_table([t("층", "Layers"), t("MAC", "MACs"), t("비중", "Share")], rows, "lrr") + conclusion


HALF = 0.5


def _half_width() -> dict:
    """v2 at alpha = 0.5 on the meta device: its totals, and its last 1x1 convolution and
    classifier (the last conv and dense rows: the meta view has PyTorch's names)."""
    view = meta_view("mobilenet_v2", alpha=HALF)
    last = [r for r in view.layers if r.kind == "conv"][-1]
    classifier = [r for r in view.layers if r.kind == "dense"][-1]
    return {"trainable": view.trainable, "last": last.trainable, "last_units": last.units,
            "classifier": classifier.trainable}


def exercise_half_width() -> str:
    """alpha = 0.5 thins every layer but the last 1x1 convolution (Section 6.1): the share of
    the parameters that the last convolution and the classifier hold, at alpha 1 and 0.5."""
    full = agreed_view("mobilenet_v2")
    half = computed("v2_half_width", "mobilenet_v2", {"alpha": HALF}, _half_width)
    if half["last_units"] != V2_LAST or full.layer("Conv_1").units != V2_LAST:
        raise CnnguideError("v2's last convolution no longer keeps its width below alpha = 1.")
    found = {1.0: (full.layer("Conv_1").trainable, full.layer("predictions").trainable, full.trainable),
             HALF: (half["last"], half["classifier"], half["trainable"])}
    rows = [[f"α = {alpha:g}", number(last), number(classifier), number(total),
             f"({number(last)} + {number(classifier)}) ÷ {number(total)} = **{(last + classifier) / total:.0%}**"]
            for alpha, (last, classifier, total) in found.items()]
    table = markdown_table(["α", t(f"마지막 1×1 (`Conv_1`, {V2_LAST}채널)", f"Last 1×1 (`Conv_1`, {V2_LAST} channels)"),
                            t("분류기", "Classifier"), t("학습 파라미터 전체", "All trainable"),
                            t("둘의 비중", "Their share")], rows, "lrrrr")
    inputs = v2_blocks(HALF)[-1].out_channels
    return table + t(
        f"\n\nα = {HALF:g}에서 `Conv_1`은 {inputs}채널을 읽어 {V2_LAST}채널을 그대로 내므로 가중치가 입력 쪽으로만 "
        f"줄고, 분류기는 {V2_LAST}개 특징을 읽으므로 전혀 줄지 않습니다. 작은 모델일수록 파라미터의 더 큰 몫이 "
        f"마지막 두 층에 있습니다.",
        f"\n\nAt α = {HALF:g}, `Conv_1` reads {inputs} channels and still writes {V2_LAST}, so its weights shrink on "
        f"the input side only, and the classifier still reads {V2_LAST} features, so it does not shrink at all. "
        f"The smaller the model, the larger the share of its parameters in those last two layers.")


def exercise_shortcuts() -> str:
    """Which of the seventeen blocks add their input back, and why the others cannot: a stride
    of two changes the map's size, a new width its channels (Figure 4d)."""
    view = agreed_view("mobilenet_v2")
    prefixes = ["expanded_conv_"] + [f"block_{n}_" for n in range(1, len(v2_blocks()))]
    rows, added = [], 0
    for prefix in prefixes:
        block = view.block(prefix)
        depthwise, project = view.layer(prefix + "depthwise"), view.layer(prefix + "project")
        has_add = any(r.kind == "add" for r in block.layers)
        added += has_add
        reasons = ([t(f"스트라이드 {depthwise.strides[0]}", f"stride {depthwise.strides[0]}")]
                   if depthwise.strides != (1, 1) else []) + \
                  ([f"{block.input_shape[-1]} → {project.units}" + t(" 채널", " channels")]
                   if block.input_shape[-1] != project.units else [])
        if has_add == bool(reasons):
            raise CnnguideError(f"{prefix}: a shortcut where the shape changes, or none where it does not.")
        if reasons:
            rows.append([f"`{prefix.rstrip('_')}`", ", ".join(reasons)])
    if len(rows) != len(V2_STAGES):
        raise CnnguideError("The blocks without a shortcut are no longer the first of each row of Table 2.")
    table = markdown_table([t("스킵 연결이 없는 블록", "Block without a shortcut"), t("이유", "Why")], rows, "ll")
    return t(f"블록 {len(prefixes)}개 가운데 {added}개가 입력을 더합니다. 나머지는 다음과 같습니다.\n\n",
             f"Of the {len(prefixes)} blocks, {added} add their input back. The others:\n\n") + table + t(
        f"\n\n모두 표 2의 {len(V2_STAGES)}개 행 각각의 첫 블록입니다. 한 행의 첫 블록만 스트라이드를 쓰고 출력 채널을 "
        f"바꾸며, 나머지 블록은 모양을 지키므로 입력을 더할 수 있습니다.",
        f"\n\nThey are the first blocks of the {len(V2_STAGES)} rows of Table 2: only a row's first block strides and "
        f"changes the width; the rest keep the shape, so they can add their input.")
