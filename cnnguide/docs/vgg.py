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
from dataclasses import replace

from .. import catalog
from ..errors import CnnguideError
from ..inspect.view import Layer
from ..models.vgg_configs import CONFIGS, WIDTHS
from ..render.labels import header, number
from ..render.tables import mac_formula, markdown_table, parameter_formula
from ..shapes import format_shape
from .context import language, t
from .arithmetic import convolution, receptive_fields, same_rows, sized_view
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

def receptive_field_table() -> str:
    """VGG-16's receptive field, layer by layer, in input pixels."""
    lang = language()
    view = agreed_view("vgg16")
    rows = [[f"`{name}`", format_shape(view.layer(name).output_shape), f"{field}×{field}", str(jump)]
            for name, field, jump in receptive_fields(view)]
    heads = [header("layer", lang), header("output", lang), t("수용 영역 (입력 픽셀)", "Receptive field (input pixels)"),
             t("출력 한 칸 = 입력 픽셀", "One output step = input pixels")]
    return markdown_table(heads, rows, "lllr")


def stack_against_one(convs: list[Layer]) -> tuple[int, Layer]:
    """Section 2.3's comparison for any run of stride-1 convolutions of one width: the field
    they see together (each k x k layer adds k - 1 pixels at stride 1), and the one
    convolution that would see as far in a single layer."""
    channels = convs[0].input_shape[-1]
    if any(row.strides != (1, 1) or row.input_shape[-1] != channels or row.units != channels for row in convs):
        raise CnnguideError(f"{[row.name for row in convs]} are not stride-1 convolutions of one width.")
    field = 1 + sum(row.kernel_size[0] - 1 for row in convs)
    return field, convolution(convs[-1], kernel=field)


def stack_versus_one() -> str:
    """Section 2.3 on VGG-16's block 5: three 3x3 layers against one 7x7 layer with the same
    field and width, in weights and MACs; checked against the paper's 7x7 field and 81%."""
    lang = language()
    study = catalog.study("vgg")
    convs = blocks(agreed_view("vgg16"))[5]["convs"]
    field, single = stack_against_one(convs)
    if len(convs) != 3 or field != study.figure("stack3_receptive_field").value:
        raise CnnguideError(f"Block 5's three convolutions no longer see {study.figure('stack3_receptive_field').value}x.")
    channels = convs[0].input_shape[-1]
    stacked = sum(row.kernel_elements for row in convs)
    one = single.kernel_elements
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


# --- exercises: each answer computed from the models, with its working --------------------

def exercise_half_input() -> str:
    """VGG-16 on images half as high and half as wide. The convolutions keep their weights
    and, on a quarter of the positions, do a quarter of the work; fc1 reads the flattened
    block5_pool, so it shrinks with the map (the reason Section 3.2 turns the dense layers into
    convolutions to apply the network to other sizes)."""
    full = agreed_view("vgg16")
    height, width, channels = full.input_shape
    half = same_rows(full, sized_view("vgg16", (height // 2, width // 2, channels)))
    views = {"full": full.layers, "half": [half[row.name] for row in full.layers]}

    def total(rows, kind_, attr):
        return sum(getattr(row, attr) for row in rows if row.kind == kind_)

    conv = {size: (total(rows, "conv", "params"), total(rows, "conv", "macs")) for size, rows in views.items()}
    if conv["full"][0] != conv["half"][0] or conv["half"][1] * 4 != conv["full"][1]:
        raise CnnguideError(f"VGG-16's convolutions at half the input: {conv}, not the same weights and a quarter of the MACs.")
    fc1 = {"full": full.layer("fc1"), "half": half["fc1"]}
    pool = {"full": full.layer("block5_pool"), "half": half["block5_pool"]}
    measures = [
        (t("입력", "Input"), lambda size: format_shape((height, width, channels) if size == "full"
                                                       else (height // 2, width // 2, channels))),
        ("`block5_pool`", lambda size: format_shape(pool[size].output_shape)),
        (t("`fc1` 파라미터", "`fc1` parameters"), lambda size: parameter_formula(fc1[size])[0]),
        (t("합성곱 파라미터", "Convolution parameters"), lambda size: number(conv[size][0])),
        (t("합성곱 MAC", "Convolution MACs"), lambda size: number(conv[size][1])),
        (t("전체 파라미터", "All parameters"), lambda size: number(sum(r.params for r in views[size]))),
        (t("전체 MAC", "All MACs"), lambda size: number(sum(r.macs for r in views[size]))),
    ]
    rows = [[label, cell("full"), cell("half")] for label, cell in measures]
    table = markdown_table(["", format_shape((height, width)), format_shape((height // 2, width // 2))], rows, "lrr")
    pools = sum(1 for row in full.layers if row.kind == "max_pool")
    side = height // 2 / 2 ** pools
    return table + "\n\n" + t(
        f"합성곱의 가중치는 입력 크기와 무관하므로 그대로이고, 맵마다 위치가 4분의 1이 되므로 MAC도 4분의 1입니다. "
        f"`fc1`은 펼친 `block5_pool`을 읽으므로 맵과 함께 줄어듭니다. 풀링 {pools}번을 지나면 "
        f"{height // 2} / 2^{pools} = {side:g}이고 풀링은 나머지를 버리므로 {pool['half'].output_shape[0]}×"
        f"{pool['half'].output_shape[1]} 크기만 남습니다.",
        f"A convolution's weights do not depend on the input size, so they stay; every map has a "
        f"quarter of the positions, so the convolutions do a quarter of the MACs. `fc1` reads the "
        f"flattened `block5_pool` and shrinks with it: after {pools} poolings the side is "
        f"{height // 2} / 2^{pools} = {side:g}, and pooling drops the remainder, which leaves "
        f"{pool['half'].output_shape[0]}×{pool['half'].output_shape[1]}.")


def exercise_two_3x3() -> str:
    """Section 2.3 for two layers: two stacked 3x3 convolutions see a 5x5 region, as one 5x5
    convolution does, with 2·9·C² weights against 25·C² and two ReLUs against one (on VGG-16's
    block4_conv2 and block4_conv3, both C = 512 channels at 28x28)."""
    lang = language()
    convs = blocks(agreed_view("vgg16"))[4]["convs"][1:3]
    field, single = stack_against_one(convs)
    channels = convs[0].input_shape[-1]
    stacked = sum(row.kernel_elements for row in convs)
    kernels = " + ".join(f"{row.kernel_size[0]}·{row.kernel_size[1]}·{channels}·{channels}" for row in convs)
    names = ", ".join(f"`{row.name}`" for row in convs)
    rows = [
        [t(f"3×3 합성곱 {len(convs)}개 ({names})", f"{len(convs)} stacked 3×3 convolutions ({names})"),
         f"{field}×{field}", f"{kernels} = {number(stacked)}", number(sum(row.macs for row in convs)), str(len(convs))],
        [t(f"{field}×{field} 합성곱 1개", f"one {field}×{field} convolution"), f"{field}×{field}",
         f"{field}·{field}·{channels}·{channels} = {number(single.kernel_elements)}", number(single.macs), "1"],
    ]
    heads = ["", t("수용 영역", "Receptive field"), t("가중치 (편향 제외)", "Weights (no biases)"),
             header("macs", lang), t("ReLU 수", "ReLUs")]
    ratio = stacked / single.kernel_elements
    return markdown_table(heads, rows, "llrrr") + "\n\n" + t(
        f"3×3 층 하나가 수용 영역을 3 − 1 = 2픽셀씩 넓히므로 두 층이면 1 + 2 + 2 = {field}입니다. 가중치는 "
        f"18C²와 25C², 즉 {ratio:.0%}만 쓰고, ReLU는 하나 더 들어갑니다.",
        f"Each 3×3 layer widens the field by 3 − 1 = 2 pixels, so two see 1 + 2 + 2 = {field}. They need "
        f"18C² weights against 25C², {ratio:.0%} of them, and put a second ReLU in between.")


def exercise_configuration_c() -> str:
    """Configuration C of Table 1: as deep as D (VGG-16), but the last convolution of blocks 3
    to 5 is a 1x1 (conv1-256, conv1-512). What that saves in parameters and MACs, and what it
    costs in receptive field; Section 4.1 finds C worse than D: spatial context matters."""
    lang = language()
    view = agreed_view("vgg16")
    found = blocks(view)
    swapped = {found[index]["convs"][-1].name: convolution(found[index]["convs"][-1], kernel=1) for index in (3, 4, 5)}
    rows, saved_params, saved_macs = [], 0, 0
    for name, one in swapped.items():
        three = view.layer(name)
        saved_params += three.params - one.params
        saved_macs += three.macs - one.macs
        rows.append([f"`{name}`", parameter_formula(three)[0], parameter_formula(one)[0],
                     number(three.macs), number(one.macs)])
    rows.append([f"**{t('줄어드는 양 (D − C)', 'Saved (D − C)')}**", "", f"**{number(saved_params)}**", "", f"**{number(saved_macs)}**"])
    heads = [header("layer", lang), t("D의 3×3 (파라미터)", "D's 3×3 (parameters)"), t("C의 1×1 (파라미터)", "C's 1×1 (parameters)"),
             t("D의 MAC", "D's MACs"), t("C의 MAC", "C's MACs")]
    config_c = replace(view, layers=tuple(swapped.get(row.name, row) for row in view.layers))
    last = found[5]["convs"][-1].name
    field = {key: dict((n, f) for n, f, _ in receptive_fields(v))[last] for key, v in (("d", view), ("c", config_c))}
    return markdown_table(heads, rows, "lrrrr") + "\n\n" + t(
        f"구성 C의 파라미터는 {number(view.params)} − {number(saved_params)} = {number(view.params - saved_params)}개, "
        f"MAC은 {number(view.macs - saved_macs)}회입니다. 그 대가로 `{last}`의 수용 영역이 "
        f"{field['d']}×{field['d']} 픽셀에서 {field['c']}×{field['c']} 픽셀로 좁아집니다. 1×1 층은 ReLU를 더해 주지만 "
        f"주변 픽셀을 보지 않기 때문입니다.",
        f"Configuration C would have {number(view.params)} − {number(saved_params)} = "
        f"{number(view.params - saved_params)} parameters and {number(view.macs - saved_macs)} MACs. "
        f"The price is the receptive field: `{last}` sees {field['c']}×{field['c']} pixels instead of "
        f"{field['d']}×{field['d']}, because a 1×1 layer adds a ReLU but looks at no neighbouring pixel.")


def exercise_equal_macs() -> str:
    """Why most of VGG-16's convolutions cost the same: from one block to the next, the map
    loses three quarters of its positions while a layer's input and output channels both
    double, four times the weights per position (Section 2.1's doubling widths). Raises unless
    the exceptions are the ones the answer names."""
    lang = language()
    found = blocks(agreed_view("vgg16"))
    convs = [row for block in found.values() for row in block["convs"]]
    counts: dict[int, int] = {}
    for row in convs:
        counts[row.macs] = counts.get(row.macs, 0) + 1
    common = max(counts, key=counts.get)
    first, last = convs[0], max(found)
    # What the answer says of the others: a block's first convolution reads the narrower
    # input (half the cost), and the last block does not widen (a quarter).
    expected = {row.name: common // 2 for index, block in found.items() if 1 < index < last for row in block["convs"][:1]}
    expected.update({row.name: common // 4 for row in found[last]["convs"]})
    others = {row.name: row.macs for row in convs if row.macs != common and row is not first}
    if others != expected or first.macs >= common:
        raise CnnguideError(f"VGG-16's convolutions no longer cost what the answer says: {others}.")
    rows = [[f"`{row.name}`", format_shape(row.output_shape),
             f"**{mac_formula(row)}**" if row.macs == common else mac_formula(row)] for row in convs]
    table = markdown_table([header("layer", lang), header("output", lang), t("MAC (H·W·C<sub>out</sub>·(3·3·C<sub>in</sub>))", "MACs (H·W·C<sub>out</sub>·(3·3·C<sub>in</sub>))")],
                           rows, "llr")
    return table + "\n\n" + t(
        f"합성곱 {len(convs)}개 중 {counts[common]}개가 똑같이 {number(common)}회입니다. 블록이 바뀌면 위치 수는 "
        f"(H/2)·(W/2), 즉 4분의 1이 되고, 입력과 출력 채널이 모두 두 배라 위치당 곱셈은 2·2 = 4배가 되기 때문입니다. "
        f"예외도 같은 식으로 설명됩니다. `{first.name}`은 이미지의 색 채널 {first.input_shape[-1]}개만 읽고, 블록 2–4의 첫 "
        f"합성곱은 아직 앞 블록의 좁은 입력을 읽어 절반이며, 블록 {last}는 채널이 더 늘지 않아 4분의 1입니다.",
        f"{counts[common]} of the {len(convs)} convolutions cost exactly {number(common)} MACs. From one block "
        f"to the next a map keeps (H/2)·(W/2), a quarter of its positions, while both the input and the output "
        f"channels double, 2·2 = 4 times the multiplications per position. The same arithmetic explains the "
        f"others: `{first.name}` reads only the image's {first.input_shape[-1]} colour channels; the first "
        f"convolution of blocks 2 to 4 still reads the narrower input of the block before, so it costs half; "
        f"block {last} does not widen, so its convolutions cost a quarter.")


def sources() -> str:
    """The VGG paper, and the ResNet paper that states VGG's multiply-adds."""
    cited = [catalog.study(key).paper for key in ("vgg", "resnet")]
    return "\n".join(f"- {paper.cite()} <{paper.url}>" for paper in cited)


__all__ = ["config_table", "exercise_configuration_c", "exercise_equal_macs", "exercise_half_input",
           "exercise_two_3x3", "kernel_census", "post_table", "receptive_field_table", "share_table", "sources",
           "stack_against_one", "stack_versus_one"]
