"""What the ResNeXt page computes beyond the kit (Xie et al., CVPR 2017): the three equivalent
forms of its block (Figure 3), cardinality against width at a fixed cost (Section 3.4,
Table 2), and ResNeXt-50 against the ResNet-50 the paper trains beside it (Table 1)."""

from __future__ import annotations

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
