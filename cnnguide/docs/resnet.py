"""What the ResNet page computes: the identity a residual block falls back to, the depth table
against the paper and torchvision, the Keras / torchvision difference, and the post's head."""

from __future__ import annotations

import numpy as np

from .. import frameworks
from ..errors import CnnguideError
from ..models.resnet_configs import DEPTHS
from ..render.labels import header, number
from ..render.tables import mac_formula, markdown_table, parameter_formula
from .context import language, pick, t
from .models import agreed_view, computed
from .records import record
from .arithmetic import convolution


def _identity_gap() -> float:
    """Largest |block(x) - x| for a basic block whose last BatchNorm has gamma = beta = 0, on a
    non-negative input (the output of a ReLU), in both frameworks."""
    from ..models.keras.resnet import basic_block
    from ..models.torch.resnet import BasicBlock
    from ..parity import random_images

    keras, torch = frameworks.keras(), frameworks.torch()
    images = random_images((8, 8, 16), batch=2, seed=3)
    inputs = keras.Input((8, 8, 16))
    model = keras.Model(inputs, basic_block(inputs, 16, name="block"))
    bn = model.get_layer("block_2_bn")
    gamma, beta, mean, var = bn.get_weights()
    bn.set_weights([np.zeros_like(gamma), np.zeros_like(beta), mean, var])
    keras_gap = float(np.abs(model(images, training=False).numpy() - images).max())
    block = BasicBlock(16, 16).eval()
    torch.nn.init.zeros_(block.bn2.weight)
    torch.nn.init.zeros_(block.bn2.bias)
    with torch.no_grad():
        out = block(torch.from_numpy(images).permute(0, 3, 1, 2)).permute(0, 2, 3, 1).numpy()
    return max(keras_gap, float(np.abs(out - images).max()))


def identity_check() -> str:
    gap = computed("resnet_identity", "resnet18", {}, _identity_gap)
    if gap > 1e-6:
        raise CnnguideError(f"A residual block with z[l+2] = 0 differs from the identity by {gap}.")
    return pick({"ko": f"두 프레임워크에서 |블록(x) − x|의 최댓값: **{gap:.1e}**",
                 "en": f"Largest |block(x) − x| in both frameworks: **{gap:.1e}**"})


def batch_norm_census() -> str:
    """ResNet-50's batch normalizations (He et al. 2016, Section 3.4: "right after each
    convolution and before activation"): one per convolution, each holding γ and β per
    channel, trained, and a moving mean and variance per channel, not trained (Ioffe and
    Szegedy 2015, Sections 3 and 3.1)."""
    view = agreed_view("resnet50")
    convs = {row.name for row in view.layers if row.kind == "conv"}
    norms = [row for row in view.layers if row.kind == "batch_norm"]
    channels = sum(row.units for row in norms)
    trained, moving = sum(row.trainable for row in norms), sum(row.non_trainable for row in norms)
    if {row.inputs[0] for row in norms} != convs or len(norms) != len(convs) or trained != moving != 2 * channels:
        raise CnnguideError("ResNet-50 no longer has one batch normalization, with γ, β and moving statistics, per convolution.")
    return t(
        f"ResNet-50의 합성곱 {len(convs)}개 뒤에는 모두 배치 정규화가 하나씩 있습니다. 채널은 모두 {number(channels)}개이므로 "
        f"학습되는 γ와 β가 2·{number(channels)} = {number(trained)}개(학습 파라미터의 {trained / view.trainable:.2%}), "
        f"학습하지 않는 이동 평균과 분산이 또 {number(moving)}개입니다.",
        f"Each of ResNet-50's {len(convs)} convolutions is followed by a batch normalization. They normalize "
        f"{number(channels)} channels in all: 2·{number(channels)} = {number(trained)} trained γ and β "
        f"({trained / view.trainable:.2%} of the trainable parameters), and as many moving means and variances, "
        f"which are not trained.")


def _library_params(name: str, framework: str, **options) -> dict:
    """The library model's parameters (trainable, and all), from the oracle of ``name`` built
    with ``options`` (cnnguide.catalog: its weights loaded into ours, outputs compared)."""
    oracle = next(r for r in record(name, **options)["oracles"] if r["framework"] == framework)
    layers = oracle["library_view"]["layers"]
    trainable = sum(r["trainable"] for r in layers)
    return {"trainable": trainable, "all": trainable + sum(r["non_trainable"] for r in layers)}


def depth_table() -> str:
    """Every depth: our layers, parameters and MACs (paper layout and v1.5) against torchvision."""
    rows = []
    for depth in DEPTHS:
        name = f"resnet{depth}"
        v1, v15 = agreed_view(name), agreed_view(name, version="v1.5")
        library = _library_params(name, "torch", version="v1.5")["trainable"]
        if v15.trainable != library or v1.depth != depth:
            raise CnnguideError(f"{name}: {v15.trainable} parameters vs torchvision {library}, depth {v1.depth}.")
        rows.append([f"`{name}`", str(v1.depth), number(v1.trainable), f"{v1.macs / 1e9:.2f}",
                     f"{v15.macs / 1e9:.2f}", number(library)])
    heads = {"ko": ["모델", "깊이", "학습 파라미터", "GMAC (v1, 논문)", "GMAC (v1.5)", "torchvision 파라미터"],
             "en": ["Model", "Depth", "Trainable params", "GMACs (v1, paper)", "GMACs (v1.5)",
                    "torchvision params"]}[language()]
    return markdown_table(heads, rows, "lrrrrr")


def keras_vs_torchvision_table() -> str:
    """keras.applications.ResNet50 against torchvision's resnet50, explained to the parameter."""
    plain = agreed_view("resnet50")
    conv_biases = sum(r.units for r in plain.layers if r.kind == "conv")
    moving = sum(r.non_trainable for r in plain.layers if r.kind == "batch_norm")
    library = _library_params("resnet50", "torch", version="v1.5")["trainable"]
    keras_count = _library_params("resnet50", "keras", conv_bias=True, epsilon=1.001e-5)["all"]
    if library + conv_biases + moving != keras_count:
        raise CnnguideError(f"ResNet50: {library} + {conv_biases} + {moving} != {keras_count}.")
    rows = [
        ["`torchvision.models.resnet50`", number(library)],
        [pick({"ko": "+ 합성곱 편향 (keras.applications는 `use_bias=True`)",
               "en": "+ convolution biases (keras.applications uses `use_bias=True`)"}), f"+{number(conv_biases)}"],
        [pick({"ko": "+ 배치 정규화 이동 평균·분산 (`count_params()`가 셈)",
               "en": "+ BatchNorm moving mean and variance (counted by `count_params()`)"}), f"+{number(moving)}"],
        ["`keras.applications.ResNet50().count_params()`", f"**{number(keras_count)}**"],
    ]
    heads = {"ko": ["", "파라미터"], "en": ["", "Parameters"]}[language()]
    return markdown_table(heads, rows, "lr")


# The post's model at a small input: the same layers, a head small enough to build cheaply.
# At 224x224 its first dense layer alone holds 411M weights (several GB to initialise in each
# framework); its size there follows from the real layers' shapes, and the tests check that
# arithmetic against the model built at this input.
SMALL_INPUT = (64, 64, 3)


def post_head_arithmetic(backbone_output: tuple[int, ...], units: int) -> int:
    """Parameters of Flatten -> Dense(units) on a feature map of ``backbone_output``."""
    flat = 1
    for d in backbone_output:
        flat *= d
    return (flat + 1) * units


def post_head_table() -> str:
    """The post's Flatten -> Dense 4096 head beside a global-average-pooling head of the same width."""
    small = agreed_view("resnet50_post", input_shape=SMALL_INPUT)
    fc1, predictions = small.layer("fc1"), small.layer("predictions")
    if post_head_arithmetic(small.layer("flatten").input_shape, fc1.units) != fc1.params:
        raise CnnguideError("The post's head arithmetic no longer matches its model.")
    # The post's backbone: keras.applications.ResNet50 (conv biases, epsilon 1.001e-5), no top.
    backbone = agreed_view("resnet50", conv_bias=True, epsilon=1.001e-5, include_top=False)
    if backbone.params != small.non_trainable:
        raise CnnguideError("The post's frozen backbone is not keras.applications' ResNet50.")
    feature_map = backbone.output_shape
    flat_head = post_head_arithmetic(feature_map, fc1.units)
    pooled_head = post_head_arithmetic(feature_map[-1:], fc1.units)
    total = backbone.params + flat_head + predictions.params
    rows = [
        [pick({"ko": "고정된 ResNet50 백본 (학습 안 함)", "en": "Frozen ResNet50 backbone (not trained)"}),
         number(backbone.params)],
        [f"Flatten ({'×'.join(map(str, feature_map))} → {number(flat_head // fc1.units - 1)}) → Dense {fc1.units}",
         f"**{number(flat_head)}**"],
        [f"Dense {predictions.units}", number(predictions.params)],
        [f"**{pick({'ko': '원문 모델 전체', 'en': 'The post model in all'})}**", f"**{number(total)}**"],
        [f"{pick({'ko': '비교: 전역 평균 풀링', 'en': 'For comparison: global average pooling'})} "
         f"({number(feature_map[-1])}) → Dense {fc1.units}", number(pooled_head)],
    ]
    if flat_head <= 10 * backbone.params:  # the page says "more than ten times"
        raise CnnguideError("The post's first dense layer no longer outweighs the backbone tenfold.")
    heads = {"ko": ["부분", "파라미터"], "en": ["Part", "Parameters"]}[language()]
    return markdown_table(heads, rows, "lr")


# --- exercises: each answer computed from the models, with its working --------------------

def _weights(rows) -> str:
    """A block's convolution weights as one sum, kh·kw·C_in·C_out per convolution (no biases:
    the batch normalization after each one does a bias's work)."""
    convs = [row for row in rows if row.kind == "conv"]
    if any(row.bias or row.groups > 1 for row in convs):
        raise CnnguideError("A ResNet convolution has a bias or groups: its weights need another formula.")
    terms = " + ".join(f"{row.kernel_size[0]}·{row.kernel_size[1]}·{row.input_shape[-1]}·{row.units}" for row in convs)
    return f"{terms} = {number(sum(row.kernel_elements for row in convs))}"


def exercise_block_costs() -> str:
    """Figure 5: ResNet-34's basic block on 64 channels and ResNet-50's bottleneck block on 256
    cost about the same; a basic block on the bottleneck's 256 channels would cost far more.
    Convolution weights and MACs of the identity blocks of conv2_x."""
    lang = language()
    basic = agreed_view("resnet34").block("conv2_block2_")
    bottleneck = agreed_view("resnet50").block("conv2_block2_")
    middle = next(row for row in bottleneck.layers if row.kind == "conv" and row.kernel_size == (3, 3))
    wide = bottleneck.layers[-1].units
    as_wide = [convolution(middle, reads=wide, units=wide)] * 2
    blocks = [
        (t(f"기본 블록, {basic.input_shape[-1]}채널 (ResNet-34)", f"Basic block, {basic.input_shape[-1]} channels (ResNet-34)"),
         basic.layers),
        (t(f"병목 블록, {wide}채널 (ResNet-50)", f"Bottleneck block, {wide} channels (ResNet-50)"), bottleneck.layers),
        (t(f"기본 블록을 {wide}채널로", f"A basic block on {wide} channels"), as_wide),
    ]
    rows = [[label, _weights(layers), number(sum(row.macs for row in layers))] for label, layers in blocks]
    heads = [t("블록", "Block"), t("합성곱 가중치", "Convolution weights"), header("macs", lang)]
    cost = [sum(row.macs for row in layers) for _, layers in blocks]
    wider, narrow = wide // basic.input_shape[-1], middle.input_shape[-1]
    return markdown_table(heads, rows, "lrr") + "\n\n" + t(
        f"병목 블록은 기본 블록보다 {wider}배 넓은 맵을 읽고 쓰면서도 계산은 {cost[1] / cost[0]:.2f}배입니다. 같은 너비의 "
        f"기본 블록은 {cost[2] / cost[1]:.0f}배가 듭니다. 1×1이 3×3의 입력을 {wide}채널에서 {narrow}채널로 줄여 주기 때문입니다.",
        f"The bottleneck block reads and writes maps {wider} times as wide as the basic block's, at "
        f"{cost[1] / cost[0]:.2f} times its cost; a basic block that wide would cost {cost[2] / cost[1]:.0f} times as "
        f"much. The 1×1 reduction hands the 3×3 only {narrow} of the {wide} channels.")


def exercise_projection_everywhere() -> str:
    """Option C of Section 4.1 ("Identity vs. Projection Shortcuts"): a 1x1 projection on every
    shortcut, not only where the shape changes (option B, this site's models). What the identity shortcuts save in ResNet-50:
    a C x C projection per block, which in a bottleneck block nearly doubles the block
    (Section 4.1: identity shortcuts matter most for bottleneck blocks)."""
    lang = language()
    view = agreed_view("resnet50")
    stages: dict[str, list] = {}
    for add in (row for row in view.layers if row.kind == "add"):
        residual, shortcut = (view.layer(name) for name in add.inputs)
        if shortcut.name.endswith("_0_bn"):
            continue  # already a projection (the shape changes)
        last = view.layer(residual.inputs[0])  # the block's last 1x1 convolution
        stages.setdefault(add.name.split("_")[0], []).append((last, convolution(last, reads=add.units)))
    rows, params, macs = [], 0, 0
    for stage, found in stages.items():
        projection = found[0][1]
        params += len(found) * projection.params
        macs += len(found) * projection.macs
        rows.append([f"`{stage}`", str(len(found)), parameter_formula(projection)[0],
                     number(len(found) * projection.params), number(len(found) * projection.macs)])
    rows.append([f"**{header('total', lang)}**", str(sum(map(len, stages.values()))), "",
                 f"**{number(params)}**", f"**{number(macs)}**"])
    heads = [t("단계", "Stage"), t("항등 스킵 연결", "Identity shortcuts"), t("1×1 투영 하나", "One 1×1 projection"),
             t("더해지는 파라미터", "Parameters added"), t("더해지는 MAC", "MACs added")]
    first_stage = next(iter(stages))
    block = view.block(first_stage + "_block2_")
    block_weights = sum(row.params for row in block.layers if row.kind == "conv")
    projection = stages[first_stage][0][1]
    return markdown_table(heads, rows, "lrrrr") + "\n\n" + t(
        f"모든 스킵 연결을 투영으로 바꾸면 ResNet-50의 파라미터가 {number(view.params)}개에서 "
        f"{number(view.params + params)}개로 {params / view.params:.0%}, MAC이 {macs / view.macs:.0%} 늘어납니다. "
        f"블록 하나로 보면 `{first_stage}_block2`의 합성곱 가중치 {number(block_weights)}개에 투영이 "
        f"{number(projection.params)}개를 더해 블록이 거의 두 배가 됩니다. 병목 블록의 스킵 연결은 넓은 양 끝을 잇기 "
        f"때문입니다.",
        f"With a projection on every shortcut, ResNet-50 would grow from {number(view.params)} to "
        f"{number(view.params + params)} parameters, {params / view.params:.0%} more, and do "
        f"{macs / view.macs:.0%} more MACs. Block by block it is worse: `{first_stage}_block2` has "
        f"{number(block_weights)} convolution weights, and a projection would add {number(projection.params)}, "
        f"nearly doubling it, because a bottleneck block's shortcut joins its two wide ends.")


def exercise_stride_position() -> str:
    """v1 (the paper: a downsampling bottleneck strides in its first 1x1) against v1.5
    (torchvision: it strides in the 3x3). The same parameters; the MACs differ only in the
    first 1x1 of each downsampling block, which v1.5 computes at every input position."""
    lang = language()
    v1, v15 = agreed_view("resnet50"), agreed_view("resnet50", version="v1.5")
    differ = [(a, v15.layer(a.name)) for a in v1.layers if a.macs != v15.layer(a.name).macs]
    strides = {(a.strides[0], b.strides[0], a.kernel_size) for a, b in differ}
    extra = sum(b.macs - a.macs for a, b in differ)
    if v1.params != v15.params or extra != v15.macs - v1.macs or len(strides) != 1:
        raise CnnguideError("ResNet-50 v1 and v1.5 no longer differ only in where the downsampling blocks stride.")
    (stride, _, _), = strides
    rows = [[f"`{a.name}`", mac_formula(a), mac_formula(b), f"+{number(b.macs - a.macs)}"] for a, b in differ]
    rows.append([f"**{header('total', lang)}**", number(v1.macs), number(v15.macs), f"**+{number(extra)}**"])
    heads = [header("layer", lang), t(f"v1 (스트라이드 {stride}): MAC", f"v1 (stride {stride}): MACs"),
             t("v1.5 (스트라이드 1): MAC", "v1.5 (stride 1): MACs"), t("차이", "Difference")]
    return markdown_table(heads, rows, "lrrr") + "\n\n" + t(
        f"파라미터는 같습니다. v1의 스트라이드 {stride}인 1×1은 위치 {stride * stride}개 중 하나에서만 출력을 계산하므로 입력 위치의 "
        f"{1 - 1 / stride ** 2:.0%}를 아예 읽지 않습니다. v1.5는 1×1을 모든 위치에서 계산하고, 창이 겹치는 3×3이 크기를 "
        f"줄이므로 모든 입력을 읽습니다. 그 대가로 MAC이 {extra / v1.macs:.1%} 늘어납니다.",
        f"The parameters are the same. v1's 1×1 at stride {stride} computes one position in {stride * stride}, so "
        f"{1 - 1 / stride ** 2:.0%} of its input positions are never read; v1.5 computes the 1×1 everywhere and lets "
        f"the 3×3, whose windows overlap, reduce the size, so every input is read. It costs {extra / v1.macs:.1%} "
        f"more MACs.")
