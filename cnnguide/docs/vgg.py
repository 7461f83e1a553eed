"""What the VGG page computes: the configuration table read back from the built models, the
post's claim that VGG uses only 3x3 convolutions and 2x2 pooling (checked by walking every
layer), the paper's figures, keras.applications and torchvision as live oracles, the receptive
field of stacked 3x3 convolutions, and where the parameters and the multiply-accumulates sit.

Every function raises CnnguideError when a claim it renders no longer holds; work that builds
models goes through :func:`cnnguide.docs.models.computed` or the cached views.
"""

from __future__ import annotations

import math
import re

from .. import catalog
from ..errors import CnnguideError
from ..models.vgg_configs import CONFIGS, WIDTHS
from ..render.labels import header, number
from ..render.tables import markdown_table
from ..shapes import format_shape
from .context import language, t
from .models import agreed_view
from .records import record

MODELS = ("vgg16", "vgg19")
FRAMEWORKS = (("keras", "Keras"), ("torch", "PyTorch"))
BLOCK = re.compile(r"block(\d+)_(conv|pool)(\d*)$")


def blocks(view) -> dict[int, dict]:
    """The built model read back as blocks: each block's convolutions and its pooling row."""
    found: dict[int, dict] = {}
    for row in view.layers:
        match = BLOCK.match(row.name)
        if match:
            block = found.setdefault(int(match[1]), {"convs": [], "pool": None})
            if match[2] == "conv":
                block["convs"].append(row)
            else:
                block["pool"] = row
    return found


def config_table() -> str:
    """The paper's Table 1, columns D and E, as the two built models have it (and as
    ``CONFIGS`` says; raises if they disagree)."""
    read = {name: blocks(agreed_view(name)) for name in MODELS}
    for name in MODELS:
        counts = tuple(len(b["convs"]) for b in read[name].values())
        widths = tuple(b["convs"][0].units for b in read[name].values())
        if counts != CONFIGS[name] or widths != WIDTHS:
            raise CnnguideError(f"{name} is built with {counts} x {widths}, not its table's configuration.")
    rows = []
    for index, block in read["vgg16"].items():
        width = block["convs"][0].units
        cells = [f"conv3-{width} × {len(read[name][index]['convs'])}" for name in MODELS]
        rows.append([f"block{index}", format_shape(block["convs"][0].output_shape), *cells,
                     format_shape(block["pool"].output_shape)])
    fc = [row for row in agreed_view("vgg16").layers if row.kind == "dense"]
    rows.append([t("분류기", "classifier"), format_shape(agreed_view("vgg16").layer("flatten").output_shape),
                 *(" → ".join(f"FC-{row.units}" for row in fc) for _ in MODELS), ""])
    heads = [t("블록", "Block"), t("합성곱 출력", "Conv output"), t("VGG-16 (구성 D)", "VGG-16 (configuration D)"),
             t("VGG-19 (구성 E)", "VGG-19 (configuration E)"), t("풀링 출력", "Pooling output")]
    return markdown_table(heads, rows, "lllll")


def kernel_census() -> str:
    """Claim 7: every convolution and pooling layer of both models, walked and counted by kind,
    kernel and stride. Raises if any is not a 3x3/1 convolution or a 2x2/2 max pooling."""
    study = catalog.study("vgg")
    conv = (int(study.figure("conv_kernel").value),) * 2
    pool, stride = (int(study.figure("pool_window").value),) * 2, (int(study.figure("pool_stride").value),) * 2
    rows = []
    for name in MODELS:
        view = agreed_view(name)
        spatial = [row for row in view.layers if row.kernel_size]
        convs = [r for r in spatial if r.kind == "conv" and r.kernel_size == conv and r.strides == (1, 1)]
        pools = [r for r in spatial if r.kind == "max_pool" and r.kernel_size == pool and r.strides == stride]
        others = [r for r in spatial if r not in convs and r not in pools]
        if others or not convs or not pools:
            raise CnnguideError(f"{name} has layers other than 3x3 convolutions and 2x2 pooling: "
                                f"{[(r.name, r.kind, r.kernel_size, r.strides) for r in others]}.")
        dense = [row for row in view.layers if row.kind == "dense"]
        rows.append([f"`{name}`", str(len(convs)), str(len(pools)), str(len(others)), str(len(dense)),
                     str(len(convs) + len(dense))])
    heads = [t("모델", "Model"), t("3×3 합성곱 (스트라이드 1)", "3×3 convolutions (stride 1)"),
             t("2×2 최대 풀링 (스트라이드 2)", "2×2 max pooling (stride 2)"), t("그 밖의 커널", "Any other kernel"),
             t("완전 연결 층", "Dense layers"), t("가중치 층", "Weight layers")]
    return markdown_table(heads, rows, "lrrrrr")


def _kinds(kinds, lang: str) -> str:
    from ..render.labels import kind

    counts: dict[str, int] = {}
    for k in kinds:
        counts[k] = counts.get(k, 0) + 1
    return ", ".join(f"{kind(k, lang)} ×{n}" for k, n in counts.items())


def post_table() -> str:
    """The post's VGG-16 is keras.applications.VGG16's layer list: set it beside ours, row by
    row (names, kinds, shapes, parameters); ours only adds the paper's two dropout layers."""
    lang = language()
    library = next(r for r in record("vgg16")["oracles"] if r["framework"] == "keras")["library_view"]["layers"]
    ours = [row for row in agreed_view("vgg16").layers]
    by_name = {row.name: row for row in ours}
    rows = []
    for name, kind_, shape, params in ((r["name"], r["kind"], r["output_shape"], r["trainable"] + r["non_trainable"])
                                       for r in library):
        mine = by_name.pop(name, None)
        if mine is None or (mine.kind, list(mine.output_shape), mine.params) != (kind_, shape, params):
            raise CnnguideError(f"keras.applications.VGG16 layer {name!r} has no twin in our vgg16.")
    if sorted(row.kind for row in by_name.values()) != ["dropout", "dropout"]:
        raise CnnguideError(f"Our vgg16 differs from keras.applications.VGG16 by {sorted(by_name)}.")
    for row in ours:
        extra = row.name in by_name
        rows.append([f"`{row.name}`" if not extra else f"*`{row.name}`*", format_shape(row.output_shape),
                     number(row.params) if row.params else "", "" if extra else "✓",
                     t("논문 3.1절의 드롭아웃", "the paper's dropout (Section 3.1)") if extra else ""])
    heads = [header("layer", lang), header("output", lang), header("params", lang),
             t("원문 코드 = keras.applications.VGG16", "Post's code = keras.applications.VGG16"), ""]
    return markdown_table(heads, rows, "llrll")


# --- both frameworks ---------------------------------------------------------------------

def receptive_fields(view) -> list[tuple[str, int, int]]:
    """(layer, receptive field, jump) for every convolution and pooling, walking from the input.

    A k x k layer widens the field by (k - 1) x jump input pixels, where jump is the distance in
    input pixels between neighbouring outputs of the layer before; a stride multiplies it.
    """
    field, jump, found = 1, 1, []
    for row in view.layers:
        if row.kernel_size:
            field += (row.kernel_size[0] - 1) * jump
            jump *= row.strides[0]
            found.append((row.name, field, jump))
    return found


def receptive_field_table() -> str:
    """VGG-16's receptive field, layer by layer, in input pixels."""
    lang = language()
    view = agreed_view("vgg16")
    rows = [[f"`{name}`", format_shape(view.layer(name).output_shape), f"{field}×{field}", str(jump)]
            for name, field, jump in receptive_fields(view)]
    heads = [header("layer", lang), header("output", lang), t("수용 영역 (입력 픽셀)", "Receptive field (input pixels)"),
             t("출력 한 칸 = 입력 픽셀", "One output step = input pixels")]
    return markdown_table(heads, rows, "lllr")


def stack_versus_one() -> str:
    """Section 2.3 on VGG-16's block 5: three 3x3 layers against one 7x7 layer with the same
    field and width, in weights and MACs; checked against the paper's 7x7 field and 81%."""
    lang = language()
    study = catalog.study("vgg")
    convs = blocks(agreed_view("vgg16"))[5]["convs"]
    stride1 = all(row.strides == (1, 1) for row in convs)
    field = 1 + sum(row.kernel_size[0] - 1 for row in convs)  # stride 1: each adds k - 1
    if not stride1 or len(convs) != 3 or field != study.figure("stack3_receptive_field").value:
        raise CnnguideError(f"Block 5's three convolutions no longer see {study.figure('stack3_receptive_field').value}x.")
    channels = convs[0].input_shape[-1]
    stacked = sum(row.kernel_elements for row in convs)
    one = field * field * channels * channels
    extra = one / stacked - 1
    fig = study.figure("stack3_saving")
    if abs(extra - fig.value) > fig.tolerance:
        raise CnnguideError(f"One 7x7 layer needs {extra:.1%} more weights, not the paper's {fig.value:.0%}.")
    positions = math.prod(convs[-1].output_shape[:-1])
    rows = [
        [t("3×3 합성곱 3개 (block5)", "three 3×3 convolutions (block5)"), f"{field}×{field}",
         f"3·(3·3·{channels}·{channels}) = {number(stacked)}", number(stacked * positions), "3"],
        [t("7×7 합성곱 1개", "one 7×7 convolution"), f"{field}×{field}",
         f"7·7·{channels}·{channels} = {number(one)}", number(one * positions), "1"],
    ]
    heads = ["", t("수용 영역", "Receptive field"), t("가중치 (편향 제외)", "Weights (no biases)"),
             header("macs", lang), t("ReLU 수", "ReLUs")]
    table = markdown_table(heads, rows, "llrrr")
    return table + "\n\n" + t(f"7×7 층의 가중치는 {one / stacked:.4f}배, 즉 {extra:.1%} 더 많습니다.",
                               f"The 7×7 layer has {one / stacked:.4f} times the weights: {extra:.1%} more.")


def share_table() -> str:
    """Where the parameters and the MACs are: convolutions against dense layers (fc1 alone)."""
    rows = []
    for name in MODELS:
        view = agreed_view(name)
        conv = [r for r in view.layers if r.kind == "conv"]
        dense = [r for r in view.layers if r.kind == "dense"]
        fc1 = view.layer("fc1")
        p_conv, p_dense = sum(r.params for r in conv), sum(r.params for r in dense)
        m_conv, m_dense = sum(r.macs for r in conv), sum(r.macs for r in dense)
        if p_conv + p_dense != view.params or m_conv + m_dense != view.macs:
            raise CnnguideError(f"{name} has parameters or MACs outside its convolutions and dense layers.")
        # The page says: fc1 alone outweighs every convolution together, nearly all MACs
        # in the convolutions.
        if not (fc1.params > p_conv and fc1.params > view.params / 2 and m_conv > 0.95 * view.macs):
            raise CnnguideError(f"{name}: parameters and MACs are no longer where the page says.")
        rows.append([f"`{name}`", f"{p_conv / view.params:.1%}", f"{p_dense / view.params:.1%}",
                     f"{fc1.params / view.params:.1%}", f"{m_conv / view.macs:.1%}", f"{m_dense / view.macs:.1%}"])
    heads = [t("모델", "Model"), t("파라미터: 합성곱", "Parameters: convolutions"),
             t("파라미터: 완전 연결", "Parameters: dense"), t("파라미터: `fc1` 하나", "Parameters: `fc1` alone"),
             t("MAC: 합성곱", "MACs: convolutions"), t("MAC: 완전 연결", "MACs: dense")]
    return markdown_table(heads, rows, "lrrrrr")


def sources() -> str:
    """The VGG paper, and the ResNet paper that states VGG's multiply-adds."""
    cited = [catalog.study(key).paper for key in ("vgg", "resnet")]
    return "\n".join(f"- {paper.cite()} <{paper.url}>" for paper in cited)


__all__ = ["config_table", "kernel_census", "post_table", "receptive_field_table", "share_table", "sources", "stack_versus_one"]
