"""What the GoogLeNet / Inception page computes: the 1x1 bottleneck's saving, the "same"
padding that makes the concatenation possible, and the paper / torchvision / Keras comparison."""

from __future__ import annotations

import re

from .. import catalog, frameworks
from ..errors import CnnguideError
from ..render.labels import header, number
from ..render.tables import markdown_table, parameter_formula
from .context import language, pick, t
from .records import record
from .models import agreed_view, computed
from .resnet import post_head_arithmetic
from .arithmetic import convolution


def bottleneck_table() -> str:
    """The course's example from the real layers: 28x28x192 -> 5x5 conv to 32 channels, directly
    (the naive module's 5x5 branch at that input) or after a 16-channel 1x1 (GoogLeNet's 3a)."""
    naive = agreed_view("inception_naive", input_shape=(28, 28, 192))
    module = agreed_view("inception_module")
    direct = naive.layer("inception_naive_5x5")
    reduce, conv = module.layer("inception_3a_5x5_reduce"), module.layer("inception_3a_5x5")
    saved = direct.macs / (reduce.macs + conv.macs)
    if not 5 < saved < 20:
        raise CnnguideError(f"The 1x1 bottleneck saves {saved:.1f}x, not about tenfold.")
    rows = [
        [pick({"ko": "5×5 합성곱만", "en": "5×5 convolution alone"}), number(direct.macs),
         number(direct.params)],
        [pick({"ko": "1×1 (16) → 5×5", "en": "1×1 (16) → 5×5"}),
         f"{number(reduce.macs)} + {number(conv.macs)} = {number(reduce.macs + conv.macs)}",
         number(reduce.params + conv.params)],
        [pick({"ko": "비율", "en": "Ratio"}), f"{saved:.1f}×",
         f"{direct.params / (reduce.params + conv.params):.1f}×"],
    ]
    heads = {"ko": ["경로", "MAC", "파라미터"], "en": ["Path", "MACs", "Parameters"]}[language()]
    return markdown_table(heads, rows, "lrr")


def same_padding_check() -> str:
    """Every branch of the post's naive module keeps the input's height and width; only then can
    the outputs be stacked on the channel axis."""
    view = agreed_view("inception_naive")
    concat = next(r for r in view.layers if r.kind == "concat")
    branches = [view.layer(name) for name in concat.inputs]
    sizes = {r.output_shape[:2] for r in branches}
    if sizes != {view.input_shape[:2]} or sum(r.units for r in branches) != concat.units:
        raise CnnguideError(f"Inception branches are {sizes}, not all {view.input_shape[:2]}.")
    rows = [[f"`{r.name}`", "×".join(map(str, r.output_shape))] for r in branches]
    rows.append([f"**`{concat.name}`**", f"**{'×'.join(map(str, concat.output_shape))}**"])
    heads = {"ko": ["갈래", "출력 (H×W×C)"], "en": ["Branch", "Output (H×W×C)"]}[language()]
    return markdown_table(heads, rows, "lr")


def torchvision_table() -> str:
    """Paper layout -> torchvision's network, step by step from each cause, ending at the
    library's own count (computed live), or raising."""
    paper = agreed_view("googlenet")
    convs = [r for r in paper.layers if r.kind == "conv"]
    biases = sum(r.units for r in convs)
    five = sum((25 - 9) * r.input_shape[-1] * r.units for r in convs if r.kernel_size == (5, 5))
    oracle = record("googlenet", variant="torchvision")["oracles"][0]  # torchvision.models.googlenet
    library = sum(r["trainable"] for r in oracle["library_view"]["layers"])
    ours_tv = agreed_view("googlenet", variant="torchvision").trainable
    steps = [
        ({"ko": "논문 구성 (이 사이트의 `googlenet`)", "en": "Paper layout (this site's `googlenet`)"}, paper.trainable),
        ({"ko": "합성곱 편향 제거", "en": "Convolution biases removed"}, -biases),
        ({"ko": "배치 정규화의 γ, β 추가", "en": "BatchNorm γ and β added"}, 2 * biases),
        ({"ko": "세 번째 갈래의 5×5를 3×3으로", "en": "Third branch 5×5 → 3×3"}, -five),
    ]
    total = sum(delta for _, delta in steps)
    if not total == ours_tv == library:
        raise CnnguideError(f"GoogLeNet: steps reach {total}, ours {ours_tv}, torchvision {library}.")
    rows, running = [], 0
    for text, delta in steps:
        running += delta
        rows.append([pick(text), number(delta) if running == delta else f"{delta:+,}", number(running)])
    rows.append([pick({"ko": "torchvision `googlenet()` (직접 계산)", "en": "torchvision `googlenet()` (computed live)"}),
                 "", f"**{number(library)}**"])
    heads = {"ko": ["단계", "변화", "누적"], "en": ["Step", "Change", "Running total"]}[language()]
    return markdown_table(heads, rows, "lrr")


def _inception_v3_params() -> dict:
    keras = frameworks.keras()
    k = keras.applications.InceptionV3(weights=None, include_top=True)
    with frameworks.torch().device("meta"):  # counted, never run: no weight is drawn
        tv = frameworks.torchvision().models.inception_v3(weights=None, aux_logits=True, init_weights=False)
    aux = sum(p.numel() for p in tv.AuxLogits.parameters())
    # Keras builds every BatchNorm of InceptionV3 with scale=False (no gamma), torchvision with.
    gammas = sum(layer.beta.shape[0] for layer in k.layers
                 if type(layer).__name__ == "BatchNormalization" and not layer.scale)
    return {"keras_count": k.count_params(), "keras_trainable": sum(int(w.numpy().size) for w in k.trainable_weights),
            "torchvision": sum(p.numel() for p in tv.parameters()), "torchvision_aux": aux,
            "keras_missing_gammas": gammas}


def inception_v3_table() -> str:
    """The post's InceptionV3 example, built by both libraries with weights=None."""
    found = computed("inception_v3_params", "googlenet", {}, _inception_v3_params)
    explained = found["keras_trainable"] + found["keras_missing_gammas"] + found["torchvision_aux"]
    if explained != found["torchvision"]:
        raise CnnguideError(f"InceptionV3: libraries differ beyond the auxiliary head and γ: {found}")
    rows = [
        ["`keras.applications.InceptionV3`", number(found["keras_count"]), number(found["keras_trainable"])],
        [pick({"ko": "+ 배치 정규화 γ (Keras는 `scale=False`)", "en": "+ BatchNorm γ (Keras uses `scale=False`)"}),
         "", f"+{number(found['keras_missing_gammas'])}"],
        [pick({"ko": "+ torchvision 보조 분류기", "en": "+ torchvision's auxiliary classifier"}), "",
         f"+{number(found['torchvision_aux'])}"],
        ["`torchvision.models.inception_v3`", number(found["torchvision"]), f"**{number(found['torchvision'])}**"],
    ]
    heads = {"ko": ["라이브러리", "전체 (count_params)", "학습 가능"],
             "en": ["Library", "Total (count_params)", "Trainable"]}[language()]
    return markdown_table(heads, rows, "lrr")



def versus_alexnet() -> str:
    """The post's claim 6: GoogLeNet is deeper than AlexNet, yet has fewer parameters."""
    rows = []
    views = {name: agreed_view(name) for name in ("alexnet", "googlenet")}
    if not (views["googlenet"].depth > views["alexnet"].depth
            and views["googlenet"].trainable < views["alexnet"].trainable):
        raise CnnguideError("GoogLeNet is no longer deeper than AlexNet with fewer parameters.")
    for name, view in views.items():
        rows.append([f"`{name}`", str(view.depth), number(view.trainable), number(view.macs)])
    heads = {"ko": ["모델", "깊이", "학습 파라미터", "MAC"],
             "en": ["Model", "Depth", "Trainable params", "MACs"]}[language()]
    return markdown_table(heads, rows, "lrrr")


# --- exercises: each answer computed from the models, with its working --------------------

def exercise_reductions() -> str:
    """Module 3a with and without its 1x1 reductions (Szegedy et al. 2015, Section 4): each
    3x3 or 5x5 convolution against the same convolution reading the module's whole input.
    The narrower the reduction, the larger the saving."""
    view = agreed_view("inception_module")
    width = view.input_shape[-1]
    rows, before, after = [], 0, 0
    for reduce in (row for row in view.layers if row.name.endswith("_reduce")):
        conv = next(row for row in view.layers if reduce.name in row.inputs)
        direct = convolution(conv, reads=width)
        before, after = before + direct.macs, after + reduce.macs + conv.macs
        kernel = "×".join(map(str, conv.kernel_size))
        rows.append([f"{kernel} (`{conv.name}`)", f"{reduce.units}/{width}",
                     f"{parameter_formula(direct)[0]}; {number(direct.macs)}",
                     f"{number(reduce.params)} + {number(conv.params)} = {number(reduce.params + conv.params)}; "
                     f"{number(reduce.macs)} + {number(conv.macs)} = {number(reduce.macs + conv.macs)}",
                     f"{direct.macs / (reduce.macs + conv.macs):.1f}×"])
    rest = sum(row.macs for row in view.layers if row.kind == "conv") - after  # the 1x1 branch and the pool projection
    heads = [t("갈래", "Branch"), t("1×1 축소", "1×1 reduction"), t("축소 없이: 파라미터; MAC", "Without: parameters; MACs"),
             t("축소하고: 파라미터; MAC", "With: parameters; MACs"), t("MAC 비율", "MAC ratio")]
    return markdown_table(heads, rows, "llrrr") + "\n\n" + t(
        f"축소가 좁을수록 절약이 큽니다. 모듈 전체(1×1 갈래와 풀링 투영 {number(rest)}회 포함)로는 축소 없이 "
        f"{number(before + rest)}회, 축소하고 {number(after + rest)}회로 {(before + rest) / (after + rest):.1f}배 차이입니다.",
        f"The narrower the reduction, the larger the saving. For the whole module (the 1×1 branch and the pool "
        f"projection add {number(rest)}), that is {number(before + rest)} MACs without the reductions against "
        f"{number(after + rest)} with them, {(before + rest) / (after + rest):.1f} times as many.")


def exercise_flatten_head() -> str:
    """GoogLeNet's classifier reads a global average of the last 7x7 maps (Section 5, after
    Network in Network); the same linear layer on the flattened maps, as AlexNet's and VGG's
    fc6/fc1 read them, against it."""
    view = agreed_view("googlenet")
    pool = next(row for row in view.layers if row.kind == "global_avg_pool")
    classifier = view.weighted()[-1]
    flat = post_head_arithmetic(pool.input_shape, classifier.units)
    if post_head_arithmetic(pool.output_shape, classifier.units) != classifier.params:
        raise CnnguideError(f"{classifier.name} does not read the pooled {pool.output_shape[-1]} values alone.")
    shape = "·".join(map(str, pool.input_shape))
    rows = [
        [t("전역 평균 풀링 (GoogLeNet)", "Global average pooling (GoogLeNet)"), parameter_formula(classifier)[0],
         number(view.params)],
        [t("펼치기 (AlexNet, VGG 방식)", "Flatten (as AlexNet and VGG)"),
         f"({shape} + 1)·{classifier.units} = {number(flat)}", number(view.params - classifier.params + flat)],
    ]
    total = view.params - classifier.params + flat
    if flat <= total - flat:  # the answer says: that one layer would outweigh the rest
        raise CnnguideError("A flattening classifier would no longer outweigh the rest of GoogLeNet.")
    heads = ["", t(f"`{classifier.name}`의 파라미터", f"`{classifier.name}` parameters"), t("네트워크 전체", "Whole network")]
    return markdown_table(heads, rows, "lrr") + "\n\n" + t(
        f"펼친 맵을 읽으면 분류 층 하나가 {flat / classifier.params:.0f}배로 커지고, 네트워크 전체가 "
        f"{total / view.params:.1f}배가 됩니다. 그 층 하나가 나머지 네트워크 전체보다 큽니다.",
        f"Reading the flattened maps makes the classifier {flat / classifier.params:.0f} times as large and the "
        f"whole network {total / view.params:.1f} times; that one layer would outweigh all the rest of it.")


def exercise_depth() -> str:
    """Where the "22 layers" of Section 5 come from: layers with parameters on the longest path
    through the stem, each Inception module (a 1x1 reduction and the 3x3 or 5x5 behind it; the
    branches side by side add width, not depth) and the classifier."""
    lang = language()
    view = agreed_view("googlenet")
    pattern = re.compile(catalog.study("googlenet").block_pattern)
    modules = list(dict.fromkeys(m[1] for m in map(pattern.match, (row.name for row in view.layers)) if m))
    inside = [i for i, row in enumerate(view.layers) if pattern.match(row.name)]
    stem = view.subview(range(inside[0]))
    head = view.subview(range(inside[-1] + 1, len(view.layers)))
    depths = [view.block(f"{name}_").depth for name in modules]
    if stem.depth + sum(depths) + head.depth != view.depth or len(set(depths)) != 1:
        raise CnnguideError(f"GoogLeNet's depth {view.depth} is not {stem.depth} + {depths} + {head.depth}.")
    weighted = len(view.weighted())
    rows = [
        [t("줄기 (첫 합성곱들)", "Stem (the first convolutions)"), ", ".join(f"`{row.name}`" for row in stem.weighted()),
         str(stem.depth)],
        [t(f"인셉션 모듈 {len(modules)}개", f"{len(modules)} Inception modules"),
         t("모듈마다 1×1 축소 → 3×3 또는 5×5", "each: 1×1 reduction → 3×3 or 5×5"), f"{len(modules)}·{depths[0]} = {sum(depths)}"],
        [t("분류기", "Classifier"), ", ".join(f"`{row.name}`" for row in head.weighted()), str(head.depth)],
        [f"**{header('total', lang)}**", "", f"**{stem.depth} + {sum(depths)} + {head.depth} = {view.depth}**"],
    ]
    heads = [t("부분", "Part"), t("가장 긴 경로의 가중치 층", "Weighted layers on the longest path"), t("깊이", "Depth")]
    return markdown_table(heads, rows, "llr") + "\n\n" + t(
        f"가중치 층은 모두 {weighted}개지만 가장 긴 경로에는 {view.depth}개만 있습니다. 나란히 놓인 갈래는 네트워크를 "
        f"넓힐 뿐 깊게 하지 않습니다.",
        f"GoogLeNet has {weighted} weighted layers in all, but only {view.depth} on its longest path: branches "
        f"side by side make a network wider, not deeper.")
