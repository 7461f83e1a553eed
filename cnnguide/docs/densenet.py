"""What the DenseNet page computes beyond the kit (Huang et al., CVPR 2017): how the channels
grow through each dense block and shrink at each transition (Section 3, Table 1), and the
network's parameters against its activation memory beside ResNet-50's, with what concatenation
costs when every layer's input is stored anew (Pleiss et al. 2017); then the exercises at the end
of the page."""

from __future__ import annotations

import math
import re
from fractions import Fraction

from .. import catalog
from ..models.densenet_configs import BN_SIZE
from ..errors import CnnguideError
from ..render.labels import number
from ..render.tables import markdown_table
from ..shapes import format_shape
from .context import t
from .models import agreed_view, computed, meta_view

STUDY = catalog.study("densenet")
BYTES = 4  # float32


def _blocks(view) -> list[list]:
    """The concatenation rows of each dense block, block by block (keras.applications' names:
    ``conv2_block1_concat`` is block 1, layer 1)."""
    found: dict[str, list] = {}
    for row in view.layers:
        match = re.match(r"^(conv\d+)_block\d+_concat$", row.name)
        if match:
            found.setdefault(match[1], []).append(row)
    return list(found.values())


def growth_table() -> str:
    """Block by block: the maps a block starts with (k0), the k each layer adds, what it ends
    with (k0 + L·k, checked), and what the transition after it keeps (theta·m) at half the size."""
    view, k = agreed_view("densenet121"), STUDY.figure("growth_rate").value
    theta = STUDY.figure("compression").value
    rows = []
    for number_, concats in enumerate(_blocks(view), start=1):
        stage = concats[0].name.split("_")[0]
        k0 = view.layer(f"{stage}_block1_0_bn").input_shape[-1]
        grown, size = concats[-1].output_shape[-1], format_shape(concats[-1].output_shape[:2])
        counts = [k0] + [c.output_shape[-1] for c in concats]
        added = {after - before for before, after in zip(counts, counts[1:])}
        if added != {k} or grown != k0 + len(concats) * k:
            raise CnnguideError(f"Dense block {number_} no longer grows by k = {k} per layer: {added}, {grown}.")
        transition = "—"
        conv = f"pool{stage[4:]}_conv"
        if any(r.name == conv for r in view.layers):
            kept, pooled = view.layer(conv).units, view.layer(f"pool{stage[4:]}_pool").output_shape
            if kept != int(grown * theta):
                raise CnnguideError(f"The transition after block {number_} no longer keeps theta·m maps.")
            transition = f"{number(kept)} ({format_shape(pooled[:2])})"
        rows.append([t(f"덴스 블록 {number_}", f"Dense block {number_}"), size, str(len(concats)), number(k0),
                     f"{number(k0)} + {len(concats)}·{k} = **{number(grown)}**", transition])
    heads = [t("블록", "Block"), t("맵 크기", "Map size"), t("층 L", "Layers L"), t("들어오는 맵 k0", "Maps in, k0"),
             t("나가는 맵 k0 + L·k", "Maps out, k0 + L·k"), t("전이 층 뒤 (크기)", "After the transition (size)")]
    return markdown_table(heads, rows, "lrrrrr")


VARIANTS = ((False, 1.0), (True, 1.0), (False, 0.5), (True, 0.5))  # (bottleneck, compression)


def _variants() -> dict:
    """DenseNet-121's four forms, built on the meta device; B and C together must be the page's model."""
    found = {f"{b}_{c}": (v.trainable, v.macs, v.activations) for b, c in VARIANTS
             for v in [meta_view("densenet121", bottleneck=b, compression=c)]}
    main = agreed_view("densenet121")
    if found["True_0.5"] != (main.trainable, main.macs, main.activations):
        raise CnnguideError("DenseNet-121 on the meta device is not the page's model.")
    return found


def variants_table() -> str:
    """Without and with the bottleneck (B) and compression (C), on DenseNet-121's blocks."""
    found = computed("densenet_variants", "densenet121", {}, _variants)
    names = {(False, 1.0): "DenseNet", (True, 1.0): "DenseNet-B", (False, 0.5): "DenseNet-C",
             (True, 0.5): t("DenseNet-BC (DenseNet-121, 이 페이지의 모델)", "DenseNet-BC (DenseNet-121, this page's model)")}
    rows = []
    for b, c in VARIANTS:
        params, macs, values = found[f"{b}_{c}"]
        rows.append([names[b, c], "`True`" if b else "`False`", f"`{c}`", f"{params / 1e6:.2f}", f"{macs / 1e9:.2f}",
                     f"{values * BYTES / 2**20:.0f}"])
    heads = [t("형태", "Form"), "`bottleneck`", "`compression`", t("파라미터 (백만)", "Parameters (M)"), "GMAC",
             t("층 출력 (float32 MiB)", "Layer outputs (float32 MiB)")]
    return markdown_table(heads, rows, "lllrrr")


def memory_table() -> str:
    """DenseNet-121 against ResNet-50: parameters, MACs, and the values every layer outputs for
    one image (float32), the memory a training step keeps for the backward pass."""
    views = {"densenet121": agreed_view("densenet121"), "resnet50": agreed_view("resnet50")}
    rows = []
    for name, view in views.items():
        rows.append([f"`{name}`", f"{view.trainable / 1e6:.2f}", f"{view.macs / 1e9:.2f}",
                     f"{view.activations / 1e6:.1f}", f"{view.activations * BYTES / 2**20:.0f}",
                     f"{view.activations / view.trainable:.2f}"])
    heads = [t("모델", "Model"), t("학습 파라미터 (백만)", "Trainable params (M)"), "GMAC",
             t("층 출력 값 (백만, 이미지 하나)", "Layer outputs (M values, one image)"),
             t("float32 MiB", "float32 MiB"), t("파라미터 하나당 출력 값", "Output values per parameter")]
    dense, resnet = views["densenet121"], views["resnet50"]
    note = t(f"\n\nDenseNet-121은 ResNet-50에 비해 파라미터가 {dense.trainable / resnet.trainable:.0%}, MAC이 "
             f"{dense.macs / resnet.macs:.0%}이지만, 층 출력은 {dense.activations / resnet.activations:.0%}입니다.",
             f"\n\nAgainst ResNet-50, DenseNet-121 has {dense.trainable / resnet.trainable:.0%} of the parameters and "
             f"{dense.macs / resnet.macs:.0%} of the MACs, but {dense.activations / resnet.activations:.0%} of the "
             f"layer outputs.")
    return markdown_table(heads, rows, "lrrrrr") + note


def concatenation_table() -> str:
    """What concatenation costs if each layer's input is a new tensor: every concatenated output
    of a block stored separately (naive: 1 + 2 + ... + L layers' worth, quadratic in L) against
    one shared buffer that holds the block's final maps (Pleiss et al. 2017)."""
    view = agreed_view("densenet121")
    rows, naive_all, shared_all = [], 0, 0
    for number_, concats in enumerate(_blocks(view), start=1):
        naive = sum(math.prod(c.output_shape) for c in concats)
        shared = math.prod(concats[-1].output_shape)
        naive_all, shared_all = naive_all + naive, shared_all + shared
        rows.append([t(f"덴스 블록 {number_}", f"Dense block {number_}"), str(len(concats)),
                     f"{naive * BYTES / 2**20:.1f}", f"{shared * BYTES / 2**20:.1f}", f"{naive / shared:.1f}×"])
    if naive_all > view.activations:
        raise CnnguideError("The blocks' concatenations outweigh every layer output together.")
    rows.append([t("**전체**", "**All blocks**"), "", f"**{naive_all * BYTES / 2**20:.1f}**",
                 f"**{shared_all * BYTES / 2**20:.1f}**", f"**{naive_all / shared_all:.1f}×**"])
    heads = [t("블록", "Block"), t("층", "Layers"), t("이어 붙인 출력을 모두 따로 (MiB)", "Every concatenation stored (MiB)"),
             t("공유 버퍼 하나 (MiB)", "One shared buffer (MiB)"), t("비율", "Ratio")]
    share = naive_all / view.activations
    note = t(f"\n\n위의 메모리 표에서 층 출력 전체의 {share:.0%}가 덴스 블록의 이어 붙인 출력입니다.",
             f"\n\nIn the memory table above, the dense blocks' concatenated outputs are {share:.0%} of all the "
             f"layer outputs.")
    return markdown_table(heads, rows, "lrrrr") + note



# --- exercises ---------------------------------------------------------------------------------

BLOCK = 3  # the longest dense block of DenseNet-121 (conv4: 24 layers at 14 x 14)


def _last_layer(view, block: int = BLOCK) -> tuple[str, int, int, int]:
    """The row prefix of dense block ``block``'s last layer, with k0, L and k read from the view."""
    concats = _blocks(view)[block - 1]
    stage = concats[0].name.split("_")[0]
    k0 = view.layer(f"{stage}_block1_0_bn").input_shape[-1]
    k = concats[0].output_shape[-1] - k0
    return f"{stage}_block{len(concats)}_", k0, len(concats), k


def exercise_last_layer() -> str:
    """The maps that reach the last layer of dense block 3, k0 + (L − 1)·k (Section 3), what its
    bottleneck makes of them (4k) and what the block hands on (k0 + L·k)."""
    view = agreed_view("densenet121")
    prefix, k0, layers, k = _last_layer(view)
    reads, bottleneck = view.layer(f"{prefix}0_bn").input_shape[-1], view.layer(f"{prefix}1_conv")
    out = view.layer(f"{prefix}concat").output_shape[-1]
    if reads != k0 + (layers - 1) * k or bottleneck.units != BN_SIZE * k or out != k0 + layers * k:
        raise CnnguideError(f"{prefix}: reads {reads}, narrows to {bottleneck.units}, hands on {out}.")
    rows = [[t("블록이 받는 맵 k0, 층 수 L, 성장률 k", "Maps the block receives k0, layers L, growth rate k"),
             f"{number(k0)}, {layers}, {k}"],
            [t(f"마지막 층(`{prefix.rstrip('_')}`)이 읽는 맵: k0 + (L − 1)·k",
               f"Maps the last layer (`{prefix.rstrip('_')}`) reads: k0 + (L − 1)·k"),
             f"{number(k0)} + {layers - 1}·{k} = **{number(reads)}**"],
            [t("병목 1×1이 줄인 맵: 4k", "The bottleneck 1×1 narrows them to 4k"), f"{BN_SIZE}·{k} = {bottleneck.units}"],
            [t("3×3이 더하는 맵: k", "The 3×3 adds k maps"), str(k)],
            [t("블록이 내보내는 맵: k0 + L·k", "The block hands on k0 + L·k"), f"{number(k0)} + {layers}·{k} = {number(out)}"]]
    return markdown_table([t("항목", "What"), t("계산", "Working")], rows, "ll")


def exercise_bottleneck() -> str:
    """The same last layer with and without DenseNet-B's bottleneck: a 3x3 convolution reading
    every map (k²·m·k weights) against a 1x1 to 4k and a 3x3 on those (m·4k + k²·4k·k)."""
    view = agreed_view("densenet121")
    prefix, *_ = _last_layer(view)
    narrow, spatial = view.layer(f"{prefix}1_conv"), view.layer(f"{prefix}2_conv")
    m, k, wide, k2 = narrow.input_shape[-1], spatial.units, narrow.units, math.prod(spatial.kernel_size)
    positions = math.prod(spatial.output_shape[:2])
    with_b = narrow.kernel_elements + spatial.kernel_elements
    without = k2 * m * k
    if with_b != m * wide + k2 * wide * k:
        raise CnnguideError(f"{prefix}: its convolutions no longer hold m·4k + k²·4k·k weights.")
    rows = [[t("병목 없이: 3×3 하나", "Without: one 3×3"), f"{k2}·{number(m)}·{k} = {number(without)}",
             number(without * positions)],
            [t("병목과 함께: 1×1, 그다음 3×3", "With: a 1×1, then a 3×3"),
             f"{number(m)}·{wide} + {k2}·{wide}·{k} = {number(with_b)}", number(with_b * positions)],
            [t("병목 있음 ÷ 없음", "With ÷ without"), f"**{with_b / without:.0%}**", f"**{with_b / without:.0%}**"]]
    table = markdown_table(["", t("가중치", "Weights"), t(f"MAC ({spatial.output_shape[0]}×{spatial.output_shape[1]} 위치)",
                                                         f"MACs ({spatial.output_shape[0]}×{spatial.output_shape[1]} positions)")],
                           rows, "lrr")
    # k²·m·k = m·4k + k²·4k·k: the m at which the bottleneck starts to pay
    even = Fraction(k2 * wide * k, k2 * k - wide)
    first = view.layer(f"{_blocks(view)[0][0].name.split('_')[0]}_block1_0_bn").input_shape[-1]
    if not first < even < m:
        raise CnnguideError(f"The bottleneck's break-even {float(even):.1f} no longer lies between {first} and {m} maps.")
    return table + t(
        f"\n\n병목은 읽는 맵 m이 많을수록 이득입니다. {k2}·m·{k} = m·{wide} + {k2}·{wide}·{k}에서 손익분기점은 "
        f"m = {k2}·{wide}·{k} / ({k2}·{k} − {wide}) = {float(even):.1f}입니다. 덴스 블록 1의 첫 층은 "
        f"{first}개 맵만 읽으므로, 거기서는 병목이 오히려 비용을 늘립니다.",
        f"\n\nThe bottleneck pays more, the more maps m a layer reads. It breaks even where {k2}·m·{k} = m·{wide} + "
        f"{k2}·{wide}·{k}, at m = {k2}·{wide}·{k} / ({k2}·{k} − {wide}) = {float(even):.1f}. The first layer of "
        f"dense block 1 reads {first} maps only: there the bottleneck adds cost.")


def exercise_transition() -> str:
    """The transition after dense block 3 with compression theta (Section 3): it keeps
    floor(theta·m) of its m maps, which costs it theta of the weights and saves every layer of
    block 4's 1x1 the maps it no longer reads."""
    view, theta = agreed_view("densenet121"), STUDY.figure("compression").value
    conv = view.layer(f"pool{BLOCK + 1}_conv")
    m, kept = conv.input_shape[-1], conv.units
    if kept != int(theta * m):
        raise CnnguideError(f"pool{BLOCK + 1}_conv no longer keeps theta·m maps.")
    _, k0, layers, k = _last_layer(view, BLOCK + 1)
    firsts = [view.layer(f"conv{BLOCK + 2}_block{l}_1_conv") for l in range(1, layers + 1)]
    saved = sum(r.units for r in firsts) * (m - kept)  # each 1x1 reads m − kept maps fewer
    if saved <= m * m - conv.kernel_elements:
        raise CnnguideError("Compression no longer saves more in the next block than in the transition.")
    rows = [[t("전이 층: m → ⌊θ·m⌋", "The transition: m → ⌊θ·m⌋"), f"{number(m)} → ⌊{theta:g}·{number(m)}⌋ = {number(kept)}"],
            [t("전이 1×1의 가중치: 압축이 없을 때(θ = 1)의 m·m 대신 m·⌊θm⌋", "Its 1×1's weights: m·⌊θm⌋ instead of m·m without compression (θ = 1)"),
             f"{number(m)}·{number(kept)} = {number(conv.kernel_elements)}" + t(" (θ = 1이면 ", " (instead of ") +
             f"{number(m * m)})" + t(", 아끼는 가중치 ", ": saves ") + f"**{number(m * m - conv.kernel_elements)}**"],
            [t(f"덴스 블록 {BLOCK + 1}의 층 L개가 1×1에서 덜 읽는 맵", f"Maps fewer that each of dense block {BLOCK + 1}'s L layers reads"),
             f"L = {layers}, m − ⌊θ·m⌋ = {number(m - kept)}"],
            [t("그 1×1들이 아끼는 가중치: L·(m − θm)·4k", "Weights those 1×1s save: L·(m − θm)·4k"),
             f"{layers}·{number(m - kept)}·{BN_SIZE * k} = **{number(saved)}**"]]
    return markdown_table([t("항목", "What"), t("계산", "Working")], rows, "ll") + t(
        "\n\n압축은 전이 층 자체보다 그 뒤의 블록에서 더 많이 아낍니다. 다음 블록의 모든 층이 전이 층의 출력을 읽기 "
        "때문입니다.",
        "\n\nCompression saves more in the block after the transition than in the transition itself: every layer "
        "of the next block reads the transition's output.")


def exercise_pool_first() -> str:
    """Each transition convolves (1x1, no bias), then average-pools 2x2: both are linear, so
    pooling first gives the same output (the BN and ReLU come before the convolution) on a
    quarter of the positions. What that would save, transition by transition."""
    view = agreed_view("densenet121")
    rows, saved = [], 0
    for number_ in range(2, 2 + len(_blocks(view)) - 1):
        conv, pool = view.layer(f"pool{number_}_conv"), view.layer(f"pool{number_}_pool")
        if conv.bias or conv.kernel_size != (1, 1) or pool.inputs != (conv.name,) or pool.kernel_size != (2, 2):
            raise CnnguideError(f"pool{number_}: no longer a bias-free 1x1 convolution, then a 2x2 pooling.")
        first = conv.kernel_elements * math.prod(pool.output_shape[:2])
        saved += conv.macs - first
        h, w = conv.output_shape[:2]
        rows.append([f"`pool{number_}`", f"{h}·{w}·{number(conv.kernel_elements)} = {number(conv.macs)}",
                     f"{h // 2}·{w // 2}·{number(conv.kernel_elements)} = {number(first)}"])
    heads = [t("전이 층", "Transition"), t("합성곱 먼저 (MAC)", "Convolution first (MACs)"),
             t("풀링 먼저 (MAC)", "Pooling first (MACs)")]
    return markdown_table(heads, rows, "lrr") + t(
        f"\n\n풀링을 먼저 하면 {number(saved)} MAC, 네트워크 전체의 {saved / view.macs:.1%}를 아낍니다. 출력은 "
        f"실수 연산의 반올림 차이를 빼면 같습니다.",
        f"\n\nPooling first would save {number(saved)} MACs, {saved / view.macs:.1%} of the whole network, for the "
        f"same output up to floating-point rounding.")
