"""What the CSPNet page computes beyond the kit (Wang et al., CVPRW 2020): that splitting one
linear 1x1 convolution is the authors' two 1x1 convolutions (Section 3.1), where a stage's cost
goes once half of its channels cross it (stage by stage against ResNeXt-50, the base network of
Section 4.3), and what the README's parameter count counts; then the exercises at the end of the
page."""

from __future__ import annotations

import math

from .. import catalog, frameworks
from ..errors import CnnguideError
from ..models.cspnet_configs import CSPRESNEXT50
from ..render.labels import number
from ..render.tables import markdown_table
from .context import t
from .kit import verdict
from .models import agreed_view, computed, meta_view

STUDY = catalog.study("cspnet")
BASE = "resnext50_32x4d"  # ResNeXt-50 (32x4d), this site's, at CSPResNeXt-50's input size


# --- one 1x1 convolution, split, is two ---------------------------------------------------------

def _two_convolutions() -> dict:
    """conv3's 1x1 convolution and BatchNorm (no activation), its output split in two, against
    two 1x1 convolutions with BatchNorm, each holding one half of the filters and statistics
    (the authors' Darknet configuration writes the stage so): the same parameters and outputs."""
    from ..models.torch.cspnet import ConvBnAct

    torch = frameworks.torch()
    stage = CSPRESNEXT50[1]
    one = ConvBnAct(stage.width // 2, stage.width, 1, act=False).eval()
    halves = [ConvBnAct(stage.width // 2, stage.width // 2, 1, act=False).eval() for _ in range(2)]
    with torch.no_grad():
        for tensor in (one.bn.weight, one.bn.running_var):  # statistics as after training
            tensor.uniform_(0.5, 1.5)
        for tensor in (one.bn.bias, one.bn.running_mean):
            tensor.uniform_(-0.5, 0.5)
        for i, half in enumerate(halves):  # filters 0..c/2 - 1 to the first, the rest to the second
            for name, tensor in one.state_dict().items():
                if tensor.dim():
                    half.state_dict()[name].copy_(tensor.chunk(2)[i])
        x = torch.randn(1, stage.width // 2, 16, 16)
        split = one(x).chunk(2, dim=1)
        apart = [half(x) for half in halves]
    count = lambda m: sum(p.numel() for p in m.parameters())  # noqa: E731
    return {"one": count(one), "two": sum(count(h) for h in halves),
            "difference": max(float((a - b).abs().max()) for a, b in zip(split, apart)),
            "scale": float(split[0].abs().max())}


def two_convolutions_table() -> str:
    found = computed("cspnet_two_convolutions", "cspresnext50", {}, _two_convolutions)
    if found["one"] != found["two"] or found["difference"] > 1e-5 * found["scale"]:
        raise CnnguideError("One 1x1 convolution, split, is no longer two 1x1 convolutions.")
    rows = [[t("1×1 합성곱 하나, 출력을 둘로 나눔 (timm, 이 사이트)", "One 1×1 convolution, its output split (timm, this site)"),
             number(found["one"]), "—"],
            [t("1×1 합성곱 둘, 필터를 절반씩 (저자들의 Darknet 설정)",
               "Two 1×1 convolutions, half the filters each (the authors' Darknet configuration)"),
             number(found["two"]), f"{found['difference']:.1e}"]]
    heads = [t("형태", "Form"), t("학습 파라미터", "Trainable params"),
             t("출력의 최대 차이", "Largest difference in the outputs")]
    return markdown_table(heads, rows, "lrr")


# --- stage by stage against ResNeXt-50 ---------------------------------------------------------

def _base() -> dict:
    """ResNeXt-50 at CSPResNeXt-50's input size, on the meta device: per stage (torchvision's
    layer1 ... layer4 are conv2_x ... conv5_x) its blocks, 3x3 width and MACs; whole, its
    trainable parameters and MACs."""
    view = meta_view(BASE, input_shape=STUDY.input_shape)
    stages = []
    for i in range(1, len(CSPRESNEXT50) + 1):
        # PyTorch names its additions add, add_1, ...: a stage's weighted rows are its modules.
        rows = [r for r in view.layers if r.name.startswith(f"layer{i}.")]
        width = next(r.units for r in rows if r.groups > 1)  # the grouped 3x3 convolution's
        stages.append({"blocks": len({r.name.split(".")[1] for r in rows}), "width": width,
                       "macs": sum(r.macs for r in rows)})
    return {"stages": stages, "params": view.trainable, "macs": view.macs}


def stage_table() -> str:
    """Per stage: the blocks and the width they work at, and the MACs of ResNeXt-50's stage
    against the CSP stage's (its blocks, and its own convolutions: down, 1x1 before the split,
    the two transitions)."""
    base, csp = computed("cspnet_base", BASE, {"input_shape": STUDY.input_shape}, _base), agreed_view("cspresnext50")
    rows = []
    for number_, (stage, resnext) in enumerate(zip(CSPRESNEXT50, base["stages"]), start=2):
        blocks, width, macs = resnext["blocks"], resnext["width"], resnext["macs"]
        ours = csp.block(f"conv{number_}_")
        in_blocks = csp.block(f"conv{number_}_block").macs
        through = csp.layer(f"conv{number_}_block1_2_conv")
        rows.append([f"conv{number_}_x", f"{blocks} × {number(width)}", f"{stage.depth} × {number(through.units)}",
                     f"{macs / 1e9:.3f}", f"{in_blocks / 1e9:.3f}", f"{(ours.macs - in_blocks) / 1e9:.3f}",
                     f"{ours.macs / 1e9:.3f}", f"{ours.macs / macs - 1:+.0%}"])
    stem = [csp.macs - sum(csp.block(f"conv{n}_").macs for n in range(2, 2 + len(CSPRESNEXT50))),
            base["macs"] - sum(s["macs"] for s in base["stages"])]
    rows.append([t("줄기와 분류기", "Stem and classifier"), "", "", f"{stem[1] / 1e9:.3f}", "", "",
                 f"{stem[0] / 1e9:.3f}", f"{stem[0] / stem[1] - 1:+.0%}"])
    rows.append([t("**전체**", "**Whole network**"), "", "", f"**{base['macs'] / 1e9:.3f}**", "", "",
                 f"**{csp.macs / 1e9:.3f}**", f"**{csp.macs / base['macs'] - 1:+.0%}**"])
    heads = [t("단계", "Stage"), t("ResNeXt-50 블록 × 3×3 폭", "ResNeXt-50 blocks × 3×3 width"),
             t("CSP 블록 × 폭", "CSP blocks × width"), t("ResNeXt-50 GMAC", "ResNeXt-50 GMACs"),
             t("CSP: 블록 GMAC", "CSP: blocks GMACs"), t("CSP: 단계 자체 합성곱 GMAC", "CSP: the stage's own convs GMACs"),
             t("CSP 단계 GMAC", "CSP stage GMACs"), t("변화", "Change")]
    return markdown_table(heads, rows, "lllrrrrr")


def whole_table() -> str:
    """The two networks whole, at CSPResNeXt-50's input size, and the reduction beside the one
    Section 4.3 states for the authors' Darknet pair."""
    base, csp = computed("cspnet_base", BASE, {"input_shape": STUDY.input_shape}, _base), agreed_view("cspresnext50")
    rows = [[f"`{BASE}`", f"{base['params'] / 1e6:.2f}", f"{base['macs'] / 1e9:.2f}"],
            ["`cspresnext50`", f"{csp.trainable / 1e6:.2f}", f"{csp.macs / 1e9:.2f}"],
            [t("변화", "Change"), f"{csp.trainable / base['params'] - 1:+.1%}", f"{csp.macs / base['macs'] - 1:+.1%}"]]
    heads = [t("모델", "Model"), t("학습 파라미터 (백만)", "Trainable params (M)"), "GMAC"]
    saved = STUDY.figure("saved_macs").value
    note = t(f"\n\n논문 4.3절은 저자들의 Darknet 구현끼리 비교해 계산량이 {saved:.0%} 줄었다고 씁니다. 이 사이트의 두 모델에서는 "
             f"{1 - csp.macs / base['macs']:.0%} 줄어듭니다.",
             f"\n\nSection 4.3 of the paper states a {saved:.0%} cut in computation between the authors' Darknet "
             f"implementations; between this site's two models the cut is {1 - csp.macs / base['macs']:.0%}.")
    return markdown_table(heads, rows, "lrr") + note


# --- what the README counts --------------------------------------------------------------------

def parameters_table() -> str:
    """CSPResNeXt-50's trainable parameters by kind, and the README's 20.50M beside the counts
    with and without BatchNorm's scales and shifts."""
    view = agreed_view("cspresnext50")
    kinds = {kind: sum(r.trainable for r in view.layers if r.kind == kind) for kind in ("conv", "batch_norm", "dense")}
    stated = STUDY.figure("params")
    rows = [[t("합성곱 가중치", "Convolution weights"), number(kinds["conv"])],
            [t("배치 정규화의 스케일과 이동 (γ, β)", "BatchNorm scales and shifts (γ, β)"), number(kinds["batch_norm"])],
            [t("완전 연결 층 (가중치와 편향)", "Fully connected layer (weights and biases)"), number(kinds["dense"])],
            [t("**합계**", "**Total**"), f"**{number(view.trainable)}**"]]
    without = kinds["conv"] + kinds["dense"]
    verdict(stated, view.trainable)  # within the figure's tolerance, or the build fails
    off = [stated.value / count - 1 for count in (view.trainable, without)]
    ko = [f"{abs(o):.2%} {'적' if o < 0 else '많'}" for o in off]
    en = [f"{abs(o):.2%} {'below' if o < 0 else 'above'}" for o in off]
    note = t(f"\n\nREADME의 {stated.value / 1e6:.2f}M은 합계보다 {ko[0]}고, 배치 정규화를 뺀 "
             f"{without / 1e6:.2f}M보다 {ko[1]}습니다.",
             f"\n\nThe README's {stated.value / 1e6:.2f}M lies {en[0]} the total, and {en[1]} the "
             f"{without / 1e6:.2f}M without BatchNorm.")
    return markdown_table([t("종류", "Kind"), t("학습 파라미터", "Trainable params")], rows, "lr") + note


# --- exercises ---------------------------------------------------------------------------------

STAGE = 4  # conv4_x: the stage where the split saves most


def _block_rows(view, prefix: str) -> list:
    """A block's three convolutions (1x1, grouped 3x3, 1x1), in order."""
    return [view.layer(f"{prefix}{part}_conv") for part in (1, 2, 3)]


def _layer_cost(row) -> str:
    """One convolution's weights per output position: k²·(channels each filter reads)·filters."""
    k2, reads = math.prod(row.kernel_size), row.input_shape[-1] // row.groups
    return f"{k2}·{reads}·{row.units} = {number(row.kernel_elements)}"


def exercise_block() -> str:
    """One block of conv4_x in ResNeXt-50 (an identity block: its second) and in CSPResNeXt-50,
    convolution by convolution: the CSP block reads half of the channels and keeps its width
    through (Section 3.1: no bottleneck), so its 1x1 convolutions are half as large. Compared
    per output position, which does not depend on the input size."""
    resnext = _block_rows(agreed_view(BASE), f"conv{STAGE}_block2_")
    csp = _block_rows(agreed_view("cspresnext50"), f"conv{STAGE}_block1_")
    totals = [sum(r.kernel_elements for r in rows) for rows in (resnext, csp)]
    labels = (t("1×1", "1×1"), t("3×3 (그룹)", "3×3 (grouped)"), "1×1")
    rows = [[label, _layer_cost(a), _layer_cost(b)] for label, a, b in zip(labels, resnext, csp)]
    rows.append([t("**합계** (위치마다 MAC)", "**Sum** (MACs per position)"), *(f"**{number(v)}**" for v in totals)])
    h, w = csp[0].output_shape[:2]
    rows.append([t(f"{h}×{w} 맵에서", f"On a {h}×{w} map"), *(f"{h}·{w}·{number(v)} = {number(h * w * v)}" for v in totals)])
    heads = [t("합성곱", "Convolution"), t("ResNeXt-50: k²·(읽는 채널)·필터", "ResNeXt-50: k²·(channels read)·filters"),
             t("CSPResNeXt-50: k²·(읽는 채널)·필터", "CSPResNeXt-50: k²·(channels read)·filters")]
    return markdown_table(heads, rows, "lrr") + t(
        f"\n\nCSP 블록은 ResNeXt-50 블록의 {totals[1] / totals[0]:.0%}입니다. 그룹 3×3은 그대로이고, 1×1 두 개가 "
        f"{resnext[0].input_shape[-1]}채널과 {resnext[0].units}채널 사이를 오가는 대신 {csp[0].units}채널에 머뭅니다.",
        f"\n\nThe CSP block costs {totals[1] / totals[0]:.0%} of the ResNeXt-50 block. The grouped 3×3 is the same; "
        f"the two 1×1s stay at {csp[0].units} channels instead of going between {resnext[0].input_shape[-1]} and "
        f"{resnext[0].units}.")


def exercise_fusion_last() -> str:
    """"Fusion last" (Figure 3): the transition before the concatenation only. Here that means
    dropping each stage's transition after it (its 1x1 convolution and BatchNorm; the shapes do
    not change, so nothing else does): what it would save."""
    view = agreed_view("cspresnext50")
    stages = range(2, 2 + len(CSPRESNEXT50))
    rows, saved = [], [0, 0]
    for n in stages:
        conv, bn = view.layer(f"conv{n}_transition_conv"), view.layer(f"conv{n}_transition_bn")
        if conv.input_shape != conv.output_shape:
            raise CnnguideError(f"conv{n}'s last transition changes the shape: it could not be dropped alone.")
        params = conv.trainable + bn.trainable
        saved = [saved[0] + params, saved[1] + conv.macs]
        h, w, c = conv.output_shape
        rows.append([f"`conv{n}_transition`", f"{h}·{w}·{c}·{c} = {number(conv.macs)}", number(params)])
    if len({view.layer(f"conv{n}_transition_conv").macs for n in stages}) != 1:
        raise CnnguideError("The transitions after the concatenations no longer cost the same MACs.")
    rows.append([t("**합계**", "**Sum**"), f"**{number(saved[1])}**", f"**{number(saved[0])}**"])
    rows.append([t("CSPResNeXt-50 전체 대비", "Of all of CSPResNeXt-50"), f"{saved[1] / view.macs:.0%}",
                 f"{saved[0] / view.trainable:.0%}"])
    heads = [t("연결 뒤 전이 층", "Transition after the concatenation"), t("MAC: H·W·C·C", "MACs: H·W·C·C"),
             t("학습 파라미터 (합성곱 + BN)", "Trainable params (conv + BN)")]
    return markdown_table(heads, rows, "lrr") + t(
        "\n\n전이 층마다 MAC이 같습니다. 단계마다 맵의 한 변이 절반이 되고 채널이 두 배가 되어 H·W·C²이 그대로이기 "
        "때문입니다. 파라미터는 C²을 따라 마지막 단계에 몰립니다.",
        "\n\nEvery transition costs the same MACs: from stage to stage the map's side halves and the channels "
        "double, so H·W·C² stays. The parameters follow C² and gather in the last stage.")


def exercise_conv2() -> str:
    """Why conv2_x saves nothing: its blocks, halved, against the stage's own convolutions (the
    1x1 before the split, the two transitions), beside ResNeXt-50's conv2_x at the same input
    size (the stage table's build)."""
    base = computed("cspnet_base", BASE, {"input_shape": STUDY.input_shape}, _base)["stages"][0]
    csp = agreed_view("cspresnext50")
    stage, blocks = csp.block("conv2_"), csp.block("conv2_block")
    own = [r for r in stage.layers if r.kind == "conv" and "_block" not in r.name]
    spent = sum(r.macs for r in own)
    if stage.macs != blocks.macs + spent or spent <= base["macs"] - blocks.macs:
        raise CnnguideError("conv2_x's own convolutions no longer cost what its blocks save, or more.")
    depth = CSPRESNEXT50[0].depth
    rows = [[t(f"ResNeXt-50의 conv2_x (블록 {base['blocks']}개)", f"ResNeXt-50's conv2_x ({base['blocks']} blocks)"),
             number(base["macs"])],
            [t(f"CSP의 블록 {depth}개 (절반의 채널)", f"CSP's {depth} blocks (half the channels)"), number(blocks.macs)],
            [t("블록에서 아낀 MAC", "Saved in the blocks"), f"**{number(base['macs'] - blocks.macs)}**"]]
    rows += [[f"`{r.name}`: {r.input_shape[-1]} → {r.units}", number(r.macs)] for r in own]
    rows += [[t("단계 자체의 합성곱", "The stage's own convolutions"), f"**{number(spent)}**"],
             [t("CSP의 conv2_x 전체", "CSP's conv2_x in all"), f"{number(stage.macs)} ({stage.macs / base['macs'] - 1:+.0%})"]]
    last = max(own, key=lambda r: r.macs)
    return markdown_table([t("부분", "Part"), t("MAC", "MACs")], rows, "lr") + t(
        f"\n\n단계 자체의 합성곱이 블록에서 아낀 것보다 많이 씁니다. 가장 비싼 것은 이어 붙인 "
        f"{last.input_shape[-1]}채널 전부를 가장 큰 맵에서 섞는 `{last.name}`입니다. 뒤쪽 단계는 블록도 하나씩 "
        f"덜 쌓으므로, 거기서는 나누기가 이득이 됩니다.",
        f"\n\nThe stage's own convolutions spend more than the blocks saved. The dearest is `{last.name}`, which "
        f"mixes all {last.input_shape[-1]} concatenated channels on the largest maps. The later stages also "
        f"stack a block fewer each, and there the split pays.")
