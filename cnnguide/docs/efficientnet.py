"""What the EfficientNet page computes beyond the kit: MBConv taken apart, the compound scaling
constants, B0 ... B7 as our builder makes them (Tan and Le 2019, Sections 3.3, 4), B0 by ResNet-50;
then the exercises at the end of the page."""

from __future__ import annotations

import importlib
import math

from .. import catalog, frameworks
from ..builder import builder
from ..errors import CnnguideError
from ..models.efficientnet_configs import ALPHA, BETA, GAMMA, SE_RATIO, STAGES, VARIANTS, blocks, round_repeats
from ..render.labels import VERDICTS, number
from ..render.tables import markdown_table
from .context import language, pick, t
from .kit import verdict
from .models import agreed_view, computed

PARTS = (  # MBConv's parts by the layer names' endings, in the order the block runs them
    ({"ko": "확장 1×1 + BN + swish", "en": "Expansion 1×1 + BN + swish"}, ("expand_",)),
    ({"ko": "깊이별 합성곱 + BN + swish", "en": "Depthwise convolution + BN + swish"}, ("dwconv", "bn", "activation")),
    ({"ko": "스퀴즈-익사이테이션 (SE)", "en": "Squeeze-and-excitation (SE)"}, ("se_",)),
    ({"ko": "투영 1×1 + BN (선형)", "en": "Projection 1×1 + BN (linear)"}, ("project_",)),
)


def mbconv_table(name: str = "block2b") -> str:
    """One MBConv6 block of B0, part by part, after checking what Table 1 and the code say of
    it: the expansion is six times the block's input, SE squeezes to a quarter of the *input*
    channels with swish and gates with a sigmoid, the projection has no activation."""
    spec = next(b for b in blocks("b0") if b.name == name)
    view = agreed_view("efficientnet_b0").block(f"{name}_")
    layer, inputs = {row.name.removeprefix(f"{name}_"): row for row in view.layers}, view.input_shape[-1]
    checks = (layer["expand_conv"].units == spec.expand_ratio * inputs, spec.expand_ratio == 6,
              layer["se_reduce"].units == int(inputs * SE_RATIO), layer["se_reduce"].activation == "silu",
              layer["se_expand"].activation == "sigmoid", layer["project_conv"].activation is None,
              layer["project_bn"].output_shape == view.input_shape, "add" in layer)
    if not all(checks):
        raise CnnguideError(f"{name} is no longer MBConv6 with SE as Table 1 describes it: {checks}.")
    expanded, kernel = layer["dwconv"].units, "×".join(map(str, layer["dwconv"].kernel_size))
    channels = (f"{inputs} → {expanded}", f"{expanded}, {kernel}",
                f"{expanded} → {layer['se_reduce'].units} → {expanded}", f"{expanded} → {layer['project_conv'].units}")
    total, rows, costs = view.macs, [], []
    for (text, ends), change in zip(PARTS, channels):
        part = [row for key, row in layer.items() if key.startswith(ends)]
        costs.append(sum(r.macs for r in part))
        rows.append([pick(text), change, "×".join(map(str, part[-1].output_shape)),
                     number(sum(r.trainable for r in part)), number(costs[-1]), f"{costs[-1] / total:.1%}"])
    if not (min(costs[0], costs[3]) > 2 * costs[1] and costs[2] < total / 100):  # what the page says
        raise CnnguideError(f"{name}: the 1x1s, the depthwise convolution and SE now cost {costs}.")
    rows.append([pick({"ko": "**블록 전체** (입력을 더함)", "en": "**The whole block** (input added back)"}), "",
                 "×".join(map(str, view.output_shape)), f"**{number(view.trainable)}**", f"**{number(total)}**", ""])
    heads = {"ko": ["부분", "채널", "출력 (H×W×C)", "학습 파라미터", "MAC", "MAC 비중"],
             "en": ["Part", "Channels", "Output (H×W×C)", "Trainable params", "MACs", "Share of MACs"]}[language()]
    return markdown_table(heads, rows, "lllrrr")


def coefficients() -> str:
    """Section 3.3's constraint with Section 4's constants, as the family definition holds them."""
    study = catalog.study("efficientnet")
    if (study.figure("alpha").value, study.figure("beta").value, study.figure("gamma").value) != (ALPHA, BETA, GAMMA):
        raise CnnguideError("The catalog's alpha, beta, gamma are not efficientnet_configs'.")
    product = ALPHA * BETA**2 * GAMMA**2
    if abs(product - 2) > 0.1 or min(ALPHA, BETA, GAMMA) < 1:
        raise CnnguideError(f"alpha * beta^2 * gamma^2 = {product:.3f}, not about 2.")
    return f"α · β² · γ² = {ALPHA} · {BETA}² · {GAMMA}² = **{product:.3f}** ≈ 2 (α, β, γ ≥ 1)"


def _scaled(variant: str) -> dict:
    """EfficientNet-``variant`` from the PyTorch builder, built on the meta device (no weight is
    allocated) and viewed (no arithmetic is run): B7 costs well under a second this way, where
    building it in Keras initialises 66M weights (seconds per model, on every cold build).
    B0 is checked against its record, where both frameworks agree; tests/test_efficientnet.py
    loads torchvision's B1 ... B7 into these models and builds B1 and B2 in Keras as well."""
    from ..inspect import summarize

    torch = frameworks.torch()
    module = importlib.import_module(builder("efficientnet_b0", "torch").__module__)
    with torch.device("meta"):
        view = summarize(getattr(module, f"efficientnet_{variant}")())
    blocks = sum(row.kind == "multiply" for row in view.layers)  # one SE gate per MBConv block
    return {"params": view.trainable, "macs": view.macs, "blocks": blocks}


def _family() -> dict[str, dict]:
    """B0 ... B7's parameters, MACs and blocks (:func:`_scaled`, cached); B0 must be the record's."""
    found = {v: computed("efficientnet_scaled", "efficientnet_b0", {"variant": v}, lambda v=v: _scaled(v))
             for v in VARIANTS}
    b0 = agreed_view("efficientnet_b0")
    if (found["b0"]["params"], found["b0"]["macs"]) != (b0.trainable, b0.macs):
        raise CnnguideError(f"The scaled B0 {found['b0']} is not the catalog's B0 ({b0.trainable}, {b0.macs}).")
    return found


def scaling_table() -> str:
    """B0 ... B7 from our builder: the released multipliers, the growth in cost Section 3.3
    predicts from them (d · w² · r²), the cost we count, and Table 2's figures with verdicts."""
    study, lang = catalog.study("efficientnet"), language()
    found, b0 = _family(), agreed_view("efficientnet_b0")
    rows = []
    for variant, (width, depth, resolution, _) in VARIANTS.items():
        ours = found[variant]
        stated = [study.figure(key if variant == "b0" else f"{variant}_{key}") for key in ("params", "macs")]
        verdicts = sorted({VERDICTS[verdict(fig, ours[fig.key.rpartition("_")[2]])][lang] for fig in stated})
        rows.append([f"B{variant[1]}", f"{width:g}", f"{depth:g} ({ours['blocks']})", str(resolution),
                     f"{depth * width**2 * (resolution / 224) ** 2:.2f}", f"{ours['macs'] / b0.macs:.2f}",
                     f"{ours['params'] / 1e6:.2f}", f"{ours['macs'] / 1e9:.2f}",
                     f"{stated[0].value / 1e6:g}M, {stated[1].value / 1e9:g}B", ", ".join(verdicts)])
    heads = {"ko": ["모델", "너비 w", "깊이 d (블록 수)", "해상도 r", "예측 d·w²·(r/224)²", "MAC ÷ B0",
                    "파라미터 (백만)", "GMAC", "표 2 (파라미터, FLOPs)", "판정"],
             "en": ["Model", "Width w", "Depth d (blocks)", "Resolution r", "Predicted d·w²·(r/224)²",
                    "MACs ÷ B0", "Params (millions)", "GMACs", "Table 2 (params, FLOPs)", "Verdict"]}[lang]
    return markdown_table(heads, rows, "lrrrrrrrrl")


def versus_resnet50() -> str:
    """B0 beside ResNet-50 (Table 2 sets them side by side as networks of about the same
    accuracy): parameters and MACs of our own builds."""
    b0, resnet = agreed_view("efficientnet_b0"), agreed_view("resnet50")
    ratios = resnet.trainable / b0.trainable, resnet.macs / b0.macs
    if not (4 < ratios[0] < 6 and 8 < ratios[1] < 12):  # the page says about a fifth and a tenth
        raise CnnguideError(f"ResNet-50 / EfficientNet-B0 is now {ratios[0]:.1f}x params, {ratios[1]:.1f}x MACs.")
    rows = [["`efficientnet_b0`", number(b0.trainable), number(b0.macs)],
            ["`resnet50`", number(resnet.trainable), number(resnet.macs)],
            [pick({"ko": "ResNet-50 ÷ B0", "en": "ResNet-50 ÷ B0"}), f"{ratios[0]:.1f}×", f"{ratios[1]:.1f}×"]]
    heads = {"ko": ["모델", "학습 파라미터", "MAC"], "en": ["Model", "Trainable params", "MACs"]}[language()]
    return markdown_table(heads, rows, "lrr")


# --- exercises ---------------------------------------------------------------------------------

def exercise_b1() -> str:
    """What B1's multipliers make of B0 (the released d, w and r): each stage's blocks rounded
    up, the cost Section 3.3 predicts, d · w² · (r/224)², and the cost our builder counts."""
    (w, d, r, _), base = VARIANTS["b1"], VARIANTS["b0"].resolution
    found = _family()
    repeats = [(stage.layers, round_repeats(stage.layers, d)) for stage in STAGES]
    blocks = [found[v]["blocks"] for v in ("b0", "b1")]
    if blocks != [sum(before for before, _ in repeats), sum(after for _, after in repeats)]:
        raise CnnguideError("B0's and B1's stages no longer hold the blocks their builds count.")
    stages = ", ".join(f"⌈{d:g}·{before}⌉ = {after}" for before, after in repeats)
    predicted, pixels = d * w**2 * (r / base) ** 2, (r / base) ** 2
    counted = found["b1"]["macs"] / found["b0"]["macs"]
    rows = [[t("깊이 d (단계마다 블록 수)", "Depth d (blocks per stage)"), f"{d:g}: {stages}"],
            [t("너비 w (채널)", "Width w (channels)"), f"{w:g}" + t(" (채널 그대로)", " (the channels unchanged)")],
            [t("해상도 r", "Resolution r"), f"{base} → {r}"],
            [t("예측한 비용 d·w²·(r/224)²", "Predicted cost d·w²·(r/224)²"),
             f"{d:g} · {w:g}² · ({r}/{base})² = **{predicted:.3f}**"],
            [t("실제 블록 수로: 블록 비율 · (r/224)²", "With the blocks built: blocks ratio · (r/224)²"),
             f"{blocks[1]}/{blocks[0]} · ({r}/{base})² = {blocks[1] / blocks[0]:.3f} · {pixels:.3f} = "
             f"{blocks[1] / blocks[0] * pixels:.3f}"],
            [t("센 비용: B1의 MAC ÷ B0의 MAC", "Counted: B1's MACs ÷ B0's"),
             f"{number(found['b1']['macs'])} ÷ {number(found['b0']['macs'])} = **{counted:.3f}**"]]
    table = markdown_table([t("항목", "What"), "B1"], rows, "ll")
    return table + t(
        f"\n\n깊이 배수({d:g})는 작지만 단계마다 블록 수를 올림하므로 한 블록짜리 단계도 두 블록이 되고, 블록은 "
        f"{blocks[1] / blocks[0]:.3f}배로 늘어납니다. 나머지 차이는 블록이 어디에 더해지는지에 달려 있습니다. "
        f"블록의 비용은 단계마다 다르고, 블록은 모든 단계에 더해집니다.",
        f"\n\nThe depth multiplier ({d:g}) is small, but each stage's blocks are rounded up: a stage of one block "
        f"gets two, and the blocks grow {blocks[1] / blocks[0]:.3f} times. The rest depends on where the blocks are "
        f"added: a block's cost differs from stage to stage, and every stage gets more.")


def exercise_phi() -> str:
    """The phi each released model stands for, dimension by dimension: d = alpha^phi gives
    phi = ln d / ln alpha, and likewise w with beta and r/224 with gamma (Section 3.3)."""
    base, rows, spread = VARIANTS["b0"].resolution, [], {}
    for variant, (w, d, r, _) in VARIANTS.items():
        if variant == "b0":
            continue
        phis = [math.log(d) / math.log(ALPHA), math.log(w) / math.log(BETA), math.log(r / base) / math.log(GAMMA)]
        spread[variant] = max(phis) - min(phis)
        rows.append([f"B{variant[1]}", f"ln {d:g} / ln {ALPHA} = {phis[0]:.2f}", f"ln {w:g} / ln {BETA} = {phis[1]:.2f}",
                     f"ln ({r}/{base}) / ln {GAMMA} = {phis[2]:.2f}"])
    closest = min(spread, key=spread.get)
    if spread[closest] < 0.01:
        raise CnnguideError(f"B{closest[1]} now has one phi in all three dimensions: the page says none has.")
    heads = [t("모델", "Model"), t("깊이: ln d / ln α", "Depth: ln d / ln α"), t("너비: ln w / ln β", "Width: ln w / ln β"),
             t("해상도: ln (r/224) / ln γ", "Resolution: ln (r/224) / ln γ")]
    return markdown_table(heads, rows, "lrrr") + t(
        f"\n\n세 값이 같은 모델은 없습니다. 가장 가까운 B{closest[1]}도 {spread[closest]:.2f}만큼 벌어집니다. "
        f"공개된 모델은 하나의 φ로 α^φ, β^φ, γ^φ를 계산한 것이 아니라, 저자들의 코드가 모델마다 정해 둔 반올림한 "
        f"배수를 씁니다.",
        f"\n\nNo model has the same φ in all three. Even the closest, B{closest[1]}, spreads by {spread[closest]:.2f}. "
        f"The released models do not compute α^φ, β^φ and γ^φ from one φ: they use the rounded multipliers the "
        f"authors' code sets for each.")


def exercise_se_share() -> str:
    """Squeeze-and-excitation's share of B0 (every block's se_ rows): cheap in MACs, since it
    works on one number per channel, but not in parameters."""
    view = agreed_view("efficientnet_b0")
    se = [row for row in view.layers if "_se_" in row.name]
    params, macs = sum(r.trainable for r in se), sum(r.macs for r in se)
    blocks = sum(row.kind == "multiply" for row in view.layers)
    rows = [[t(f"SE ({blocks}개 블록)", f"SE ({blocks} blocks)"), number(params), number(macs)],
            [t("B0 전체", "All of B0"), number(view.trainable), number(view.macs)],
            [t("SE의 비중", "SE's share"), f"**{params / view.trainable:.1%}**", f"**{macs / view.macs:.2%}**"]]
    return markdown_table(["", t("학습 파라미터", "Trainable params"), t("MAC", "MACs")], rows, "lrr") + t(
        "\n\nSE의 두 1×1 합성곱은 1×1 맵, 곧 채널마다 숫자 하나에 작용하므로 가중치 하나가 이미지마다 한 번만 "
        "곱해집니다. 다른 합성곱의 가중치는 맵의 위치마다 한 번씩 곱해집니다.",
        "\n\nSE's two 1×1 convolutions act on a 1×1 map, one number per channel, so each of their weights is used "
        "once per image; the other convolutions use each weight once per position of their map.")
