"""What the SENet page computes beyond the kit (Hu, Shen, Sun, CVPR 2018): the rows one
squeeze-and-excitation block adds (Figure 3), what they cost per stage and for the whole network
against ResNet-50 (Section 4, Equation 5), and the reduction ratio r against that cost; then the
exercises at the end of the page."""

from __future__ import annotations

from .. import catalog
from ..errors import CnnguideError
from ..models.resnet_configs import DEPTHS, EXPANSION, SE_REDUCTION, WIDTHS, se_channels
from ..render.labels import number
from ..render.tables import layer_table, markdown_table
from .context import language, t
from .kit import verdict
from .models import agreed_view, computed, meta_view

STUDY = catalog.study("senet")
REDUCTIONS = (2, 4, 8, 16, 32)  # the journal version's ablation of r (Section 6.1)
SHOWN_BLOCK = "conv3_block2_"


def _se_rows(view, prefix: str) -> list:
    return [r for r in view.layers if r.name.startswith(prefix) and "_se_" in r.name]


def block_table() -> str:
    """The rows squeeze-and-excitation adds to one block of SE-ResNet-50, from the view both
    frameworks agree on: squeeze (global pooling), excitation (two 1x1 convolutions standing for
    the paper's fully connected layers) and scale (a channel-wise multiply)."""
    view = agreed_view("se_resnet50")
    rows = [i for i, r in enumerate(view.layers) if r.name.startswith(SHOWN_BLOCK) and "_se_" in r.name]
    reduce, expand = (view.layer(f"{SHOWN_BLOCK}se_{part}") for part in ("reduce", "expand"))
    if (reduce.kind, expand.kind) != ("conv", "conv") or \
            expand.units != reduce.units * STUDY.figure("reduction_ratio").value:
        raise CnnguideError(f"{SHOWN_BLOCK}'s squeeze-and-excitation is no longer C -> C / r -> C "
                            f"with the paper's r: {expand.units} and {reduce.units} channels.")
    return layer_table(view.subview(rows), language())


def overhead_table() -> str:
    """Per stage: the channels C, the squeeze C / r, what SE adds to each block and to the stage,
    against what the stage costs in ResNet-50; then the whole network, which must add up and
    agree with the paper's "~2.5 million additional parameters" (Section 4)."""
    se, plain = agreed_view("se_resnet50"), agreed_view("resnet50")
    rows, added = [], {"params": 0, "weights": 0, "macs": 0}
    for stage, (width, blocks) in enumerate(zip(WIDTHS, DEPTHS[50][1]), start=2):
        channels = width * EXPANSION["bottleneck"]
        found = _se_rows(se, f"conv{stage}_")
        params, macs = sum(r.trainable for r in found), sum(r.macs for r in found)
        per_block = sum(r.trainable for r in _se_rows(se, f"conv{stage}_block1_"))
        stage_plain = plain.block(f"conv{stage}_").trainable
        if params != blocks * per_block:
            raise CnnguideError(f"conv{stage}_x's blocks no longer add the same squeeze-and-excitation.")
        added["params"] += params
        added["weights"] += blocks * 2 * channels * se_channels(channels)
        added["macs"] += macs
        rows.append([f"conv{stage}_x", number(channels), number(se_channels(channels)), str(blocks), number(per_block),
                     number(params), number(stage_plain), f"{100 * params / stage_plain:.1f}%", number(macs)])
    equation5 = 2 * sum(n * (w * EXPANSION["bottleneck"]) ** 2 for w, n in zip(WIDTHS, DEPTHS[50][1])) // SE_REDUCTION
    if (added["params"], added["macs"]) != (se.trainable - plain.trainable, se.macs - plain.macs) or \
            added["weights"] != equation5:
        raise CnnguideError(f"SE-ResNet-50 no longer adds up: {added} against {se.trainable - plain.trainable} "
                            f"parameters, {se.macs - plain.macs} MACs, Equation 5 {equation5}.")
    verdict(STUDY.figure("added_params"), added["params"])
    rows.append([t("**전체**", "**Whole network**"), "", "", str(sum(DEPTHS[50][1])), "", f"**{number(added['params'])}**",
                 number(plain.trainable), f"**{100 * added['params'] / plain.trainable:.1f}%**",
                 f"**{number(added['macs'])}**"])
    heads = [t("단계", "Stage"), t("채널 C", "Channels C"), "C / r", t("블록", "Blocks"),
             t("SE 파라미터 (블록당)", "SE params (per block)"), t("SE 파라미터 (단계)", "SE params (stage)"),
             t("ResNet-50 단계 학습 파라미터", "ResNet-50 stage trainable params"), t("늘어난 비율", "Increase"),
             t("SE MAC (단계)", "SE MACs (stage)")]
    share = sum(r.trainable for r in _se_rows(se, "conv5_")) / added["params"]
    note = t(f"\n\n모든 수는 양쪽 프레임워크가 같다고 확인한 뷰에서 나옵니다. 가중치만 세면(편향 제외) 논문의 식 5, "
             f"(2/r)·Σ N·C² = {number(equation5)}과 정확히 같습니다. 늘어난 파라미터의 {share:.0%}가 마지막 단계 "
             f"conv5_x에 있습니다. 전체 MAC은 {plain.macs / 1e9:.3f}G에서 {se.macs / 1e9:.3f}G로, "
             f"{100 * added['macs'] / plain.macs:.2f}% 늘어납니다.",
             f"\n\nEvery number comes from the view both frameworks agree on. Counting weights only (no biases) "
             f"gives exactly the paper's Equation 5, (2/r)·Σ N·C² = {number(equation5)}. Of the added parameters, "
             f"{share:.0%} sit in the last stage, conv5_x. The whole network's MACs go from "
             f"{plain.macs / 1e9:.3f}G to {se.macs / 1e9:.3f}G, {100 * added['macs'] / plain.macs:.2f}% more.")
    return markdown_table(heads, rows, "lrrrrrrrr") + note


def _reductions() -> dict:
    """SE-ResNet-50 at each reduction ratio, built on the meta device; r = 16 must be the page's model."""
    found = {str(r): (v.trainable, v.macs) for r in REDUCTIONS for v in [meta_view("se_resnet50", se_reduction=r)]}
    main = agreed_view("se_resnet50")
    if found[str(SE_REDUCTION)] != (main.trainable, main.macs):
        raise CnnguideError("SE-ResNet-50 on the meta device is not the page's model.")
    return found


def reduction_table() -> str:
    """Parameters and MACs against r: the squeeze's width is the one knob of SE's cost."""
    found, plain = computed("se_reductions", "se_resnet50", {}, _reductions), agreed_view("resnet50")
    rows = []
    for r in REDUCTIONS:
        params, macs = found[str(r)]
        label = f"{r}" + (t(" (논문의 기본값)", " (the paper's default)") if r == SE_REDUCTION else "")
        rows.append([label, f"{params / 1e6:.2f}", f"+{100 * (params - plain.trainable) / plain.trainable:.1f}%",
                     f"{macs / 1e9:.3f}", f"+{100 * (macs - plain.macs) / plain.macs:.2f}%"])
    rows.append([t("ResNet-50 (SE 없음)", "ResNet-50 (no SE)"), f"{plain.trainable / 1e6:.2f}", "", f"{plain.macs / 1e9:.3f}", ""])
    heads = [t("감소 비율 r", "Reduction ratio r"), t("파라미터 (백만)", "Parameters (M)"),
             t("ResNet-50 대비", "Over ResNet-50"), "GMAC", t("ResNet-50 대비", "Over ResNet-50")]
    return markdown_table(heads, rows, "lrrrr")


def human_interval() -> str:
    """How precisely one annotator's error on a sample of test images estimates that person's
    error: the normal approximation to the binomial, 1.96 standard errors either way."""
    error, images = STUDY.figure("human_top5_error").value, STUDY.figure("human_images").value
    half = 1.96 * (error * (1 - error) / images) ** 0.5
    low, high = error - half, error + half
    winner = STUDY.figure("ilsvrc2017_top5_error").value
    if not winner < low:
        raise CnnguideError("The 2017 entry's error is no longer below the human estimate's interval.")
    return t(f"이미지 {number(images)}장에서 잰 {error:.1%}는 그 사람의 오류율을 정확히 짚지 못합니다. 이항 분포의 "
             f"정규 근사로 95% 구간을 계산하면 약 {low:.1%}에서 {high:.1%}입니다. 2017년 제출작의 {winner:.3%}는 "
             f"이 구간보다도 아래에 있습니다.",
             f"Measured on {number(images)} images, {error:.1%} does not pin down that person's error: the "
             f"normal approximation to the binomial gives a 95% interval of about {low:.1%} to {high:.1%}. The "
             f"2017 entry's {winner:.3%} lies below the whole interval.")


# --- exercises ---------------------------------------------------------------------------------

STAGE = 4  # conv4_x: the stage with the most blocks


def _stage_overhead(stage: int) -> tuple[int, int, int, int]:
    """(channels C, blocks, SE parameters per block, ResNet-50's stage parameters) for conv<stage>_x."""
    width, blocks = WIDTHS[stage - 2], DEPTHS[50][1][stage - 2]
    se = agreed_view("se_resnet50")
    per_block = sum(r.trainable for r in _se_rows(se, f"conv{stage}_block1_"))
    return width * EXPANSION["bottleneck"], blocks, per_block, agreed_view("resnet50").block(f"conv{stage}_").trainable


def exercise_stage() -> str:
    """SE's parameters in one stage, by hand: two fully connected layers per block, C·C/r and
    C/r·C weights with C/r and C biases, times the stage's blocks, against the stage in ResNet-50."""
    channels, blocks, per_block, plain = _stage_overhead(STAGE)
    squeeze = se_channels(channels)
    formula = 2 * channels * squeeze + squeeze + channels
    if formula != per_block:
        raise CnnguideError(f"conv{STAGE}_x's SE no longer holds 2·C·C/r + C/r + C parameters per block.")
    rows = [[t("C, C/r", "C, C/r"), f"{number(channels)}, {number(channels)} / {SE_REDUCTION} = {squeeze}"],
            [t("블록 하나: 2·C·(C/r) + C/r + C", "One block: 2·C·(C/r) + C/r + C"),
             f"2·{number(channels)}·{squeeze} + {squeeze} + {number(channels)} = {number(per_block)}"],
            [t(f"단계 전체: 블록 {blocks}개", f"The stage: {blocks} blocks"),
             f"{blocks} · {number(per_block)} = **{number(blocks * per_block)}**"],
            [t(f"ResNet-50의 conv{STAGE}_x", f"ResNet-50's conv{STAGE}_x"), number(plain)],
            [t("늘어난 비율", "Increase"), f"{number(blocks * per_block)} ÷ {number(plain)} = **{blocks * per_block / plain:.1%}**"]]
    return markdown_table([t("항목", "What"), t("계산", "Working")], rows, "ll")


def exercise_last_stage() -> str:
    """What SE adds if the last stage keeps none, as Section 4 of the paper suggests for a
    network that must stay small: the added parameters with and without conv5_x's."""
    se, plain = agreed_view("se_resnet50"), agreed_view("resnet50")
    added = se.trainable - plain.trainable
    last = sum(r.trainable for r in _se_rows(se, "conv5_"))
    rows = [[t("모든 단계에 SE", "SE in every stage"), number(added), f"{added / plain.trainable:.1%}"],
            [t("conv5_x의 SE", "conv5_x's SE"), number(last), f"{last / plain.trainable:.1%}"],
            [t("conv5_x를 뺀 SE", "SE without conv5_x"), f"{number(added)} − {number(last)} = **{number(added - last)}**",
             f"**{(added - last) / plain.trainable:.1%}**"]]
    return markdown_table(["", t("늘어난 파라미터", "Added parameters"), t("ResNet-50 대비", "Over ResNet-50")], rows, "lrr") + t(
        f"\n\nSE의 비용은 C²에 비례하므로, 채널이 가장 많은 마지막 단계가 늘어난 파라미터의 {last / added:.0%}를 "
        f"차지합니다.",
        f"\n\nSE's cost grows with C², so the last stage, with the most channels, holds {last / added:.0%} of the "
        f"added parameters.")


def exercise_scale() -> str:
    """One block of conv2_x: the MACs of the excitation's two layers (on a 1x1 map) against the
    multiplications of the scale (one per value of the H x W x C map), which this site, like the
    paper's FLOPs, does not count as MACs; and the block's 3x3 convolution for scale."""
    se, prefix = agreed_view("se_resnet50"), "conv2_block1_"
    reduce, expand = (se.layer(f"{prefix}se_{part}") for part in ("reduce", "expand"))
    excite, conv = se.layer(f"{prefix}se_excite"), se.layer(f"{prefix}2_conv")
    h, w, c = excite.output_shape
    scale = h * w * c
    rows = [[t("흥분: 두 완전 연결 층 (1×1 맵)", "Excitation: the two fully connected layers (1×1 map)"),
             f"{reduce.input_shape[-1]}·{reduce.units} + {expand.input_shape[-1]}·{expand.units} = "
             f"{number(reduce.macs + expand.macs)}"],
            [t("재조정: 값마다 곱셈 하나", "Scale: one multiplication per value"), f"{h}·{w}·{c} = {number(scale)}"],
            [t("같은 블록의 3×3 합성곱", "The same block's 3×3 convolution"), number(conv.macs)]]
    return markdown_table([t("부분", "Part"), t("곱셈", "Multiplications")], rows, "lr") + t(
        f"\n\n재조정의 곱셈이 흥분의 MAC보다 {scale / (reduce.macs + expand.macs):.0f}배 많습니다. 그래도 블록의 3×3 "
        f"합성곱에 비하면 {scale / conv.macs:.2%}이므로, MAC만 세어도 SE의 비용을 크게 놓치지 않습니다.",
        f"\n\nThe scale's multiplications are {scale / (reduce.macs + expand.macs):.0f} times the excitation's MACs. "
        f"Against the block's 3×3 convolution they are {scale / conv.macs:.2%}, so counting MACs alone misses "
        f"little of SE's cost.")


def exercise_halve_r() -> str:
    """SE-ResNet-50 at r = 8 against r = 16 (both built for the reduction table): the weights
    (2/r)·Σ N·C² double when r halves; the biases C/r + C do not quite."""
    found, plain = computed("se_reductions", "se_resnet50", {}, _reductions), agreed_view("resnet50")
    half = SE_REDUCTION // 2
    stages = list(zip(WIDTHS, DEPTHS[50][1]))
    rows = []
    for r in (SE_REDUCTION, half):
        weights = 2 * sum(n * (w * EXPANSION["bottleneck"]) ** 2 for w, n in stages) // r
        added = found[str(r)][0] - plain.trainable
        rows.append([f"r = {r}", f"(2/{r})·Σ N·C² = {number(weights)}", number(added - weights), f"**{number(added)}**",
                     f"{added / plain.trainable:.1%}"])
    heads = [t("감소 비율", "Reduction"), t("가중치", "Weights"), t("편향", "Biases"), t("늘어난 파라미터", "Added parameters"),
             t("ResNet-50 대비", "Over ResNet-50")]
    return markdown_table(heads, rows, "lrrrr") + t(
        "\n\nr을 절반으로 줄이면 가중치는 정확히 두 배가 되고, 편향은 C/r 몫만 늘어납니다. SE의 파라미터는 거의 "
        "1/r에 비례합니다.",
        "\n\nHalving r doubles the weights exactly; of the biases, only the C/r part grows. SE's parameters are "
        "almost proportional to 1/r.")
