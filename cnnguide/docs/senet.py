"""What the SENet page computes beyond the kit (Hu, Shen, Sun, CVPR 2018): the rows one
squeeze-and-excitation block adds (Figure 3), what they cost per stage and for the whole network
against ResNet-50 (Section 4, Equation 5), and the reduction ratio r against that cost."""

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
