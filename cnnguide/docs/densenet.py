"""What the DenseNet page computes beyond the kit (Huang et al., CVPR 2017): how the channels
grow through each dense block and shrink at each transition (Section 3, Table 1), and the
network's parameters against its activation memory beside ResNet-50's, with what concatenation
costs when every layer's input is stored anew (Pleiss et al. 2017)."""

from __future__ import annotations

import math
import re

from .. import catalog
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

