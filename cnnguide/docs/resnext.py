"""What the ResNeXt page computes beyond the kit (Xie et al., CVPR 2017): the three equivalent
forms of its block (Figure 3), cardinality against width at a fixed cost (Section 3.4,
Table 2), and ResNeXt-50 against the ResNet-50 the paper trains beside it (Table 1); then the
exercises at the end of the page."""

from __future__ import annotations

import math

from .. import catalog, frameworks
from ..errors import CnnguideError
from ..models.resnet_configs import DEPTHS, EXPANSION, RESNEXT_50_32X4D, WIDTHS
from ..render.labels import VERDICTS, number
from ..render.tables import markdown_table
from .context import language, t
from .kit import verdict
from .models import agreed_view, computed, meta_view

STUDY = catalog.study("resnext")
CARDINALITY, WIDTH = RESNEXT_50_32X4D["groups"], RESNEXT_50_32X4D["width_per_group"]
TABLE2 = ((1, 64), (2, 40), (4, 24), (8, 14), (32, 4))  # (C, d) at about ResNet-50's cost
STAGE_INPUT = WIDTHS[0] * EXPANSION["bottleneck"]  # conv2_x's blocks take and give 256 channels


# --- Figure 3: one block, three forms ----------------------------------------------------------

def _forms() -> dict:
    """Figure 3's three forms of conv2_x's block, built in PyTorch from one set of weights:
    (c) our Bottleneck (a grouped 3x3 convolution); (b) C paths of 1x1 and 3x3 convolutions,
    concatenated, then one 1x1; (a) C paths that each end in their own 1x1 back to 256
    channels, summed. Section 4: BN follows each convolution, after the sum in form (a)."""
    from ..models.torch.resnet import Bottleneck

    torch = frameworks.torch()
    nn = torch.nn
    block = Bottleneck(STAGE_INPUT, WIDTHS[0], groups=CARDINALITY, width_per_group=WIDTH).eval()
    with torch.no_grad():
        for bn in (block.bn1, block.bn2, block.bn3):  # statistics as after training, not 0 and 1
            bn.weight.uniform_(0.5, 1.5)
            bn.bias.uniform_(-0.5, 0.5)
            bn.running_mean.uniform_(-0.5, 0.5)
            bn.running_var.uniform_(0.5, 1.5)

    def part(bn: nn.BatchNorm2d, channels: slice) -> nn.BatchNorm2d:
        """The BatchNorm of one path: the block's, for that path's channels only."""
        own = nn.BatchNorm2d(channels.stop - channels.start, eps=bn.eps).eval()
        for name in ("weight", "bias", "running_mean", "running_var"):
            getattr(own, name).copy_(getattr(bn, name)[channels])
        return own

    def conv(weight, padding: int = 0) -> nn.Conv2d:
        layer = nn.Conv2d(weight.shape[1], weight.shape[0], weight.shape[2], padding=padding, bias=False)
        layer.weight.copy_(weight)
        return layer

    x = torch.randn(2, STAGE_INPUT, 14, 14)
    with torch.no_grad():
        paths, ends = [], []
        for i in range(CARDINALITY):
            own = slice(i * WIDTH, (i + 1) * WIDTH)
            paths.append(nn.Sequential(conv(block.conv1.weight[own]), part(block.bn1, own), nn.ReLU(),
                                       conv(block.conv2.weight[own], padding=1), part(block.bn2, own), nn.ReLU()))
            ends.append(conv(block.conv3.weight[:, own]))  # form (a): this path's own 1x1 to 256
        transformed = [path(x) for path in paths]
        finish = lambda branch: torch.relu(block.bn3(branch) + x)  # noqa: E731  BN, shortcut, ReLU
        outputs = {
            "a": finish(sum(end(h) for end, h in zip(ends, transformed))),
            "b": finish(block.conv3(torch.cat(transformed, dim=1))),
            "c": block(x),
        }
    forms = {"a": (*paths, *ends, block.bn3), "b": (*paths, block.conv3, block.bn3), "c": (block,)}
    return {
        "params": {form: sum(p.numel() for m in parts for p in m.parameters()) for form, parts in forms.items()},
        "convs": {form: sum(isinstance(layer, nn.Conv2d) for m in parts for layer in m.modules())
                  for form, parts in forms.items()},
        "max_abs": {form: float((outputs[form] - outputs["c"]).abs().max()) for form in "ab"},
        "max_output": float(outputs["c"].abs().max()),
    }


def forms_table() -> str:
    """The three forms side by side: layers, parameters, and how far each output is from (c)."""
    found = computed("resnext_forms", "resnext50_32x4d", {}, _forms)
    if len(set(found["params"].values())) != 1 or max(found["max_abs"].values()) > 1e-5 * found["max_output"]:
        raise CnnguideError(f"Figure 3's three forms are no longer one block: {found}.")
    names = {"a": t(f"(a) 경로 {CARDINALITY}개를 더함", f"(a) {CARDINALITY} paths, summed"),
             "b": t(f"(b) 경로 {CARDINALITY}개를 이어 붙이고 1×1", f"(b) {CARDINALITY} paths, concatenated, then a 1×1"),
             "c": t("(c) 그룹 합성곱 (이 사이트의 모델)", "(c) grouped convolution (this site's model)")}
    rows = [[names[form], str(found["convs"][form]), number(found["params"][form]),
             t("기준", "reference") if form == "c" else f"{found['max_abs'][form]:.1e}"] for form in "abc"]
    heads = [t("형태", "Form"), t("합성곱 층", "Convolution layers"), t("파라미터 (BN 포함)", "Parameters (with BN)"),
             t("(c)와의 최대 출력 차이", "Largest output difference from (c)")]
    note = t(f"\n\n출력의 최댓값은 {found['max_output']:.2f}입니다. 차이는 float32로 더하는 순서가 달라서 생깁니다.",
             f"\n\nThe largest output is {found['max_output']:.2f}; the differences come from float32 sums taken "
             f"in another order.")
    return markdown_table(heads, rows, "lrrr") + note


# --- Table 2: cardinality against width -------------------------------------------------------

def _block_weights(cardinality: int, width: int) -> int:
    """Equation (4): C·(256·d + 3·3·d·d + d·256), the weights of conv2_x's block."""
    return cardinality * (STAGE_INPUT * width + 3 * 3 * width * width + width * STAGE_INPUT)


def _table2() -> dict:
    """Each (C, d) of Table 2 as a whole ResNeXt-50, built on the meta device: the weights of
    conv2_x's second block (Equation 4 must count them), and the whole network's cost."""
    found = {}
    for cardinality, width in TABLE2:
        view = meta_view("resnext50_32x4d", groups=cardinality, width_per_group=width)
        block = [r for r in view.layers if r.name.startswith("layer1.1.") and r.kind == "conv"]
        found[f"{cardinality}x{width}"] = {"block": sum(r.kernel_elements for r in block),
                                          "params": view.trainable, "macs": view.macs}
    return found


def cardinality_table() -> str:
    """Table 2 computed: cardinality up, width per group down, at about the same cost."""
    found = computed("resnext_table2", "resnext50_32x4d", {}, _table2)
    main = agreed_view("resnext50_32x4d")
    if (found[f"{CARDINALITY}x{WIDTH}"]["params"], found[f"{CARDINALITY}x{WIDTH}"]["macs"]) != (main.trainable, main.macs):
        raise CnnguideError("ResNeXt-50 (32x4d) on the meta device is not the page's model.")
    rows = []
    for cardinality, width in TABLE2:
        cost = found[f"{cardinality}x{width}"]
        if cost["block"] != _block_weights(cardinality, width):
            raise CnnguideError(f"Equation (4) no longer counts the block at C={cardinality}, d={width}.")
        label = f"{cardinality}×{width}d" + (t(" (ResNet-50)", " (ResNet-50)") if cardinality == 1 else "")
        rows.append([label, str(cardinality), str(width), str(cardinality * width), number(cost["block"]),
                     f"{cost['params'] / 1e6:.2f}", f"{cost['macs'] / 1e9:.2f}"])
    heads = [t("모델", "Model"), t("카디널리티 C", "Cardinality C"), t("그룹당 폭 d", "Width per group d"),
             t("3×3 합성곱 폭 (C·d)", "3×3 width (C·d)"), t("conv2 블록의 가중치 (식 4)", "conv2 block weights (Eq. 4)"),
             t("전체 파라미터 (백만)", "All parameters (M)"), t("전체 GMAC", "All GMACs")]
    return markdown_table(heads, rows, "lrrrrrr")


# --- Table 1: against the ResNet-50 trained beside it -----------------------------------------

def cost_table() -> str:
    """Stage by stage, ResNet-50 (strided in the 3x3, as the paper's) against ResNeXt-50: the
    3x3 width doubles and splits into 32 groups; parameters and MACs barely move (Table 1)."""
    resnet, resnext = agreed_view("resnet50", version="v1.5"), agreed_view("resnext50_32x4d")
    stated = [STUDY.figure("table1_resnet50_params"), STUDY.figure("table1_resnet50_macs")]
    found = [VERDICTS[verdict(fig, ours)] for fig, ours in zip(stated, (resnet.trainable, resnet.macs))]
    rows = []
    for stage in range(2, 2 + len(DEPTHS[50][1])):
        widths = [v.layer(f"conv{stage}_block1_2_conv") for v in (resnet, resnext)]
        rows.append([f"conv{stage}_x", f"{widths[0].units} / {widths[1].units} ({widths[1].groups})",
                     *(number(v.block(f"conv{stage}_").trainable) for v in (resnet, resnext)),
                     *(f"{v.block(f'conv{stage}_').macs / 1e9:.3f}" for v in (resnet, resnext))])
    rows.append([t("**전체**", "**Whole network**"), "", *(f"**{number(v.trainable)}**" for v in (resnet, resnext)),
                 *(f"**{v.macs / 1e9:.3f}**" for v in (resnet, resnext))])
    heads = [t("단계", "Stage"), t("3×3 폭: ResNet / ResNeXt (그룹)", "3×3 width: ResNet / ResNeXt (groups)"),
             t("ResNet-50 학습 파라미터", "ResNet-50 trainable params"),
             t("ResNeXt-50 학습 파라미터", "ResNeXt-50 trainable params"),
             t("ResNet-50 GMAC", "ResNet-50 GMACs"), t("ResNeXt-50 GMAC", "ResNeXt-50 GMACs")]
    (params, macs), lang = stated, language()
    note = t(f"\n\n논문의 표 1은 이 ResNet-50을 {params.value / 1e6:g}M 파라미터({found[0][lang]}), "
             f"{macs.value / 1e9:g}G 곱셈-덧셈({found[1][lang]})으로 적습니다. 위의 구조 표는 Keras의 "
             f"`count_params()`처럼 배치 정규화의 이동 평균과 분산까지 세고, 이 표는 논문처럼 학습 파라미터만 셉니다.",
             f"\n\nTable 1 of the paper states {params.value / 1e6:g}M parameters ({found[0][lang]}) and "
             f"{macs.value / 1e9:g}G multiply-adds ({found[1][lang]}) for this ResNet-50. The architecture table "
             f"above counts BatchNorm's moving means and variances too, as Keras's `count_params()` does; this one "
             f"counts the trainable parameters, as the papers do.")
    return markdown_table(heads, rows, "llrrrr") + note


# --- exercises ---------------------------------------------------------------------------------

MORE_PATHS = 2 * CARDINALITY  # twice ResNeXt-50's paths, past Table 2's last row


def exercise_equation4() -> str:
    """Equation (4) solved for d at C = 64: C·(256·d + 9·d² + d·256) = ResNet-50's block weights
    is 9C·d² + 512C·d − W = 0, a quadratic; d must be a whole number, so round and count."""
    resnet = agreed_view("resnet50", version="v1.5").block("conv2_block2_")
    budget = sum(r.kernel_elements for r in resnet.layers if r.kind == "conv")
    if budget != _block_weights(1, 64):
        raise CnnguideError("ResNet-50's conv2 block no longer holds Equation (4)'s weights at C = 1, d = 64.")
    c, k2 = MORE_PATHS, 3 * 3
    a, b = k2 * c, 2 * STAGE_INPUT * c
    exact = (-b + (b * b + 4 * a * budget) ** 0.5) / (2 * a)
    options = sorted({int(exact), int(exact) + 1})
    rows = [[t("ResNet-50 블록의 가중치 W (C = 1, d = 64)", "ResNet-50's block weights W (C = 1, d = 64)"),
             f"{STAGE_INPUT}·64 + 9·64·64 + 64·{STAGE_INPUT} = {number(budget)}"],
            [t(f"C = {c}에서 풀 식", f"The equation at C = {c}"),
             f"9·{c}·d² + 2·{STAGE_INPUT}·{c}·d = {number(budget)}, " + t("곧", "that is") +
             f" {number(a)}·d² + {number(b)}·d − {number(budget)} = 0"],
            [t("근의 공식", "The quadratic formula"),
             f"d = (−{number(b)} + √({number(b)}² + 4·{number(a)}·{number(budget)})) / (2·{number(a)}) = **{exact:.2f}**"]]
    rows += [[t(f"d = {d}일 때", f"At d = {d}"),
              f"{c}·({STAGE_INPUT}·{d} + 9·{d}² + {d}·{STAGE_INPUT}) = {number(_block_weights(c, d))} "
              f"({_block_weights(c, d) / budget:.0%})"] for d in options]
    table = markdown_table([t("단계", "Step"), t("계산", "Working")], rows, "ll")
    best = min(options, key=lambda d: abs(_block_weights(c, d) - budget))
    return table + t(
        f"\n\n정수로는 d = {best}가 가장 가깝습니다: {c}×{best}d, 3×3 합성곱의 폭 C·d = {c * best}. "
        f"경로가 늘수록 3×3의 폭은 넓어지지만, 각 경로는 점점 얇아집니다.",
        f"\n\nThe nearest whole number is d = {best}: {c}×{best}d, a 3×3 width C·d of {c * best}. More paths make "
        f"the 3×3 convolution wider, each path thinner.")


def exercise_grouped() -> str:
    """conv2_x's first block, layer by layer, in ResNet-50 and in ResNeXt-50: the grouped 3x3 is
    twice as wide and far cheaper (each filter reads one group: C·d / C channels), and the cost
    moves into the 1x1 convolutions, which are twice as wide too."""
    views = {"resnet50": agreed_view("resnet50", version="v1.5"), "resnext50_32x4d": agreed_view("resnext50_32x4d")}
    rows, totals = [], {}
    for part, label in (("1", t("1×1 (줄이기)", "1×1 (reduce)")), ("2", "3×3"), ("3", t("1×1 (늘리기)", "1×1 (expand)"))):
        cells = []
        for name, view in views.items():
            row = view.layer(f"conv2_block1_{part}_conv")
            k2, reads = math.prod(row.kernel_size), row.input_shape[-1] // row.groups
            cells.append(f"{k2}·{reads}·{row.units} = {number(row.kernel_elements)}" +
                         (t(f" ({row.groups}그룹)", f" ({row.groups} groups)") if row.groups > 1 else ""))
            totals[name] = totals.get(name, 0) + row.kernel_elements
        rows.append([label, *cells])
    rows.append([t("**합계** (지름길 제외)", "**Sum** (shortcut aside)"), *(f"**{number(v)}**" for v in totals.values())])
    heads = [t("층", "Layer"), t("ResNet-50: k²·(읽는 채널)·필터", "ResNet-50: k²·(channels read)·filters"),
             t("ResNeXt-50: k²·(읽는 채널)·필터", "ResNeXt-50: k²·(channels read)·filters")]
    plain, split = (view.layer("conv2_block1_2_conv") for view in views.values())
    return markdown_table(heads, rows, "lrr") + t(
        f"\n\nResNeXt의 3×3은 {split.units // plain.units}배 넓지만 가중치는 {plain.kernel_elements // split.kernel_elements}분의 "
        f"1입니다. 필터 하나가 {split.input_shape[-1]}채널이 아니라 자기 그룹의 {split.input_shape[-1] // split.groups}채널만 "
        f"읽기 때문입니다. 아낀 몫은 함께 넓어진 1×1 합성곱으로 갑니다.",
        f"\n\nResNeXt's 3×3 is {split.units // plain.units} times as wide and has "
        f"1/{plain.kernel_elements // split.kernel_elements} of the weights: a filter reads its own group's "
        f"{split.input_shape[-1] // split.groups} channels, not all {split.input_shape[-1]}. What it saves goes into "
        f"the 1×1 convolutions, which widen with it.")


def exercise_no_groups() -> str:
    """ResNeXt-50 with its 3x3 convolutions not split into groups: each filter of a grouped row
    would read all C·d channels instead of d, so the row's weights and MACs grow C times; every
    other row stays as built."""
    view = agreed_view("resnext50_32x4d")
    grouped = [r for r in view.layers if r.kind == "conv" and r.groups > 1]
    if {r.groups for r in grouped} != {CARDINALITY}:
        raise CnnguideError(f"ResNeXt-50's grouped convolutions no longer all have {CARDINALITY} groups.")
    split = [sum(r.kernel_elements for r in grouped), sum(r.macs for r in grouped)]
    whole = [CARDINALITY * v for v in split]
    built = [view.trainable, view.macs]
    without = [b - s + w for b, s, w in zip(built, split, whole)]
    times = t("배", "×")
    rows = [[t(f"그룹 3×3 합성곱 {len(grouped)}개", f"The {len(grouped)} grouped 3×3 convolutions"), *map(number, split)],
            [t(f"그룹 없이 (필터마다 {CARDINALITY}배의 채널을 읽음)",
               f"Without groups (each filter reads {CARDINALITY} times the channels)"),
             *(f"{CARDINALITY} · {number(s)} = {number(w)}" for s, w in zip(split, whole))],
            [t("만든 ResNeXt-50 (32×4d)", "ResNeXt-50 (32×4d) as built"), *map(number, built)],
            [t("그룹 없는 네트워크: 전체 − 그룹 + 그룹 없이", "Without groups: whole − grouped + ungrouped"),
             *(f"{number(b)} − {number(s)} + {number(w)} = **{number(n)}**"
               for b, s, w, n in zip(built, split, whole, without))],
            [t("그룹 없이 ÷ 만든 모델", "Without groups ÷ as built"), *(f"**{n / b:.2f}{times}**" for n, b in zip(without, built))]]
    return markdown_table(["", t("학습 파라미터", "Trainable params"), t("MAC", "MACs")], rows, "lrr") + t(
        "\n\n이 네트워크에는 이름이 있습니다. torchvision의 `wide_resnet50_2`가 병목의 3×3 폭을 두 배로 하고 그룹으로 "
        "나누지 않은 ResNet-50입니다. 논문의 표 4는 ResNet-101의 비용을 두 배로 늘리는 세 방법, 곧 더 깊게, 더 넓게, "
        "경로를 더 많이 하는 방법을 비교하는데, 오류를 가장 많이 줄인 것은 경로를 늘린 쪽입니다.",
        "\n\nThis network has a name: torchvision's `wide_resnet50_2` is ResNet-50 with the bottleneck's 3×3 width "
        "doubled and no groups. The paper's Table 4 doubles ResNet-101's cost in three ways, deeper, wider or with "
        "more paths, and the added paths lower the error most.")
