"""What the AlexNet page computes: the paper's figures against our models, the two-GPU split and
the source post's code set against the paper, torchvision's variant explained to the parameter,
and the executed checks of the post's claims (size and depth, ReLU, dropout, augmentation).

Every function raises CnnguideError when a claim it renders no longer holds. Work that builds
models goes through :func:`cnnguide.docs.models.computed` (or the cached views), so a warm
build imports no framework.
"""

from __future__ import annotations

import math

from .. import catalog
from ..errors import CnnguideError
from ..render.labels import header, kind, number
from ..render.tables import mac_formula, markdown_table, parameter_formula
from ..shapes import format_shape
from .context import language, t
from .models import agreed_view, computed
from .arithmetic import convolution

MODELS = ("alexnet", "alexnet_post", "alexnet_torchvision")
ACTIVATIONS = ("relu", "tanh", "sigmoid")
PAPER_INPUT = (224, 224, 3)  # what Section 3.5 states
# Section 4.1: random 224x224 patches of the 256x256 training images, and their mirror images.
RESIZED, CROP, MIRRORS = 256, 224, 2


# --- the paper -----------------------------------------------------------------------------

def neurons(view, layer: str | None = None) -> int:
    """Output values of one weighted layer, or of all eight: the paper's "neurons"."""
    rows = [view.layer(layer)] if layer else view.weighted()
    return sum(math.prod(row.output_shape) for row in rows)





def conv1_neurons_check() -> str:
    """Why no input size gives the paper's 253,440 conv1 neurons: 253,440 / 96 is not a square."""
    stated = int(catalog.study("alexnet").figure("conv1.neurons").value)
    maps = agreed_view("alexnet").layer("conv1").units
    per_map = stated / maps
    side = math.isqrt(int(per_map))
    if per_map == int(per_map) and side * side == per_map:
        raise CnnguideError("253,440 / 96 is a square after all: the page's explanation is wrong.")
    return f"{number(stated)} / {maps} = {number(int(per_map))} ({side}² = {number(side * side)}, {side + 1}² = {number((side + 1) ** 2)})"


def input_size_table() -> str:
    """The network built for the stated 224x224x3 and for 227x227x3, against Figure 2 and
    Section 3.5's neuron counts."""
    lang = language()
    paper = catalog.study("alexnet")
    # The default shape without options: the same cached view as the rest of the page.
    views = {PAPER_INPUT: agreed_view("alexnet", input_shape=PAPER_INPUT),
             paper.input_shape: agreed_view("alexnet")}
    conv2_stated = int(paper.figure("conv2.neurons").value)
    matches = {shape: neurons(v, "conv2") == conv2_stated for shape, v in views.items()}
    if matches != {PAPER_INPUT: False, paper.input_shape: True}:
        raise CnnguideError(f"conv2's stated neurons no longer single out 227x227x3: {matches}.")
    conv1 = views[PAPER_INPUT].layer("conv1")
    kernel, stride = conv1.kernel_size[0], conv1.strides[0]
    rows = []
    for shape, view in views.items():
        exact = (shape[0] - kernel) / stride + 1
        rows.append([
            format_shape(shape),
            f"({shape[0]} − {kernel}) / {stride} + 1 = {exact:g}",
            format_shape(view.layer("conv1").output_shape),
            format_shape(view.layer("pool5").output_shape),
            number(neurons(view, "conv2")) + (" ✓" if matches[shape] else ""),
            number(view.layer("fc6").params),
            number(view.params),
        ])
    heads = [header("input", lang), t("conv1 크기 계산", "conv1 size, by hand"), "`conv1`", "`pool5`",
             t("`conv2` 뉴런", "`conv2` neurons"), t("`fc6` 파라미터", "`fc6` parameters"),
             header("params", lang)]
    return markdown_table(heads, rows, "llllrrr")


# LRN and dropout layers hold the same settings at any input size: AlexNet is built for them
# at a small input in Keras (a tenth of the weights to draw) and on the meta device in PyTorch
# (none), rather than a second time as the page's record builds it.
SETTINGS_INPUT = (67, 67, 3)


def _layer_checks() -> dict:
    """LRN constants and dropout behaviour, read from AlexNet's layers in each framework."""
    from .. import build, frameworks
    from ..experiments import dropout_behaviour, lrn_settings

    found = {"lrn": {}, "dropout": {}}
    with frameworks.torch().device("meta"):
        torch_model = build("alexnet", "torch")
    for fw, built in (("keras", build("alexnet", "keras", input_shape=SETTINGS_INPUT)), ("torch", torch_model)):
        found["lrn"][fw], found["dropout"][fw] = lrn_settings(built), dropout_behaviour(built)
    return found


def lrn_table() -> str:
    """Section 3.3's constants, as each framework's layers hold them (checked against the paper)."""
    settings = computed("alexnet_layers", "alexnet", {}, _layer_checks)["lrn"]
    paper = catalog.study("alexnet")
    rows = []
    for key, symbol in (("n", "n"), ("k", "k"), ("alpha", "α"), ("beta", "β")):
        stated = paper.figure(f"lrn_{key}").value
        for fw in ("keras", "torch"):
            for layer in settings[fw]:
                if not math.isclose(layer[key], stated, rel_tol=1e-9):
                    raise CnnguideError(f"{fw} {layer['layer']}: LRN {key} = {layer[key]}, the paper says {stated}.")
        torch_stored = settings["torch"][0]["stored_alpha"] if key == "alpha" else settings["torch"][0][key]
        rows.append([symbol, f"{stated:g}", f"{settings['keras'][0][key]:g}", f"{torch_stored:g}"])
    layers = ", ".join(f"`{layer['layer']}`" for layer in settings["keras"])
    heads = [t("상수", "Constant"), t("논문 (3.3절)", "Paper (Section 3.3)"),
             t(f"Keras ({layers})", f"Keras ({layers})"),
             t("PyTorch `nn.LocalResponseNorm` 인자", "PyTorch `nn.LocalResponseNorm` argument")]
    return markdown_table(heads, rows, "lrrr")


# --- the source post's code against the paper --------------------------------------------

def _detail(row) -> str:
    if row.kind == "conv":
        kh, kw = row.kernel_size
        text = f"{row.units} × {kh}×{kw}×{row.input_shape[-1] // row.groups}"
        return text + (f", groups={row.groups}" if row.groups > 1 else "")
    if row.kind == "dense":
        return f"{number(row.input_shape[-1])} → {number(row.units)}"
    return kind(row.kind, language())


def post_table() -> str:
    """The paper's network row by row beside the post's code: what the post leaves out and what
    that does to the parameters and MACs."""
    lang = language()
    paper, post = agreed_view("alexnet"), agreed_view("alexnet_post")
    post_rows = {row.name: row for row in post.layers}
    rows, explained = [], 0
    for row in paper.layers:
        other = post_rows.pop(row.name, None)
        if other is None:
            if row.params:
                raise CnnguideError(f"The post's code has no {row.name}, which has parameters.")
            rows.append([f"`{row.name}`", _detail(row), "—", "", t("원문 코드에 없음", "not in the post's code")])
            continue
        delta = other.params - row.params
        if delta:
            # The only change with parameters: a grouped layer's kernels read all the maps.
            if row.groups != 2 or other.groups != 1 or delta != row.trainable - row.units * row.bias:
                raise CnnguideError(f"{row.name}: the post adds {delta} parameters for another reason.")
            explained += delta
        if not row.params and _detail(row) == _detail(other):
            continue
        note = f"+{number(delta)}" if delta else ""
        rows.append([f"`{row.name}`", _detail(row), _detail(other), number(row.params) if row.params else "",
                     note])
    if post_rows or explained != post.params - paper.params:
        raise CnnguideError(f"alexnet_post differs from the paper beyond its groups and LRN: {sorted(post_rows)}.")
    rows.append([f"**{header('total', lang)}**", f"**{number(paper.params)}**", f"**{number(post.params)}**",
                 "", f"**+{number(explained)}**"])
    heads = [header("layer", lang), t("논문", "Paper"), t("원문 코드", "Post's code"),
             t("논문의 파라미터", "Paper's parameters"), t("원문 코드가 더 가진 파라미터", "Extra in the post's code")]
    return markdown_table(heads, rows, "lllrr")


def grouped_layers() -> list[str]:
    """The paper's layers that read only their own GPU's maps (``groups=2``)."""
    return [row.name for row in agreed_view("alexnet").layers if row.groups == 2]


# --- torchvision -----------------------------------------------------------------------------

def _cause(a, b, lang: str) -> str:
    """Why a weighted layer of the paper's network and torchvision's differ in parameters."""
    causes = []
    if a.units != b.units:
        causes.append({"ko": f"필터 {a.units} → {b.units}", "en": f"{a.units} → {b.units} filters"}[lang])
    if a.input_shape[-1] != b.input_shape[-1]:
        causes.append({"ko": f"입력 맵 {a.input_shape[-1]} → {b.input_shape[-1]}",
                       "en": f"reads {b.input_shape[-1]} maps, not {a.input_shape[-1]}"}[lang])
    if a.groups != b.groups:
        causes.append({"ko": f"groups {a.groups} → {b.groups}", "en": f"groups {a.groups} → {b.groups}"}[lang])
    return ", ".join(causes)


def torchvision_table() -> str:
    """The paper's AlexNet against torchvision's, weighted layer by weighted layer, each
    difference from its cause; raises unless the differences add up to the totals exactly."""
    from ..oracles import layer_differences

    lang = language()
    paper, tv = agreed_view("alexnet"), agreed_view("alexnet_torchvision")
    rows, total = [], 0
    for a, b, delta in layer_differences(paper, tv):
        expected = parameter_formula(b)[1] - parameter_formula(a)[1]
        if delta != expected or (delta and not _cause(a, b, lang)):
            raise CnnguideError(f"{a.name}: a difference of {delta} parameters without a cause in the layer.")
        total += delta
        rows.append([f"`{a.name}`", parameter_formula(a)[0], parameter_formula(b)[0],
                     f"{delta:+,}" if delta else "0", _cause(a, b, lang)])
    if total != tv.params - paper.params:
        raise CnnguideError(f"The per-layer differences add up to {total}, not {tv.params - paper.params}.")
    # What the page says about the table: dense layers identical, conv2 almost unchanged.
    pairs = {a.name: (a, delta) for a, _, delta in layer_differences(paper, tv)}
    if any(delta for a, delta in pairs.values() if a.kind == "dense") or \
            abs(pairs["conv2"][1]) > 0.01 * pairs["conv2"][0].params:
        raise CnnguideError("The dense layers now differ, or conv2 no longer nearly matches.")
    rows.append([f"**{header('total', lang)}**", f"**{number(paper.params)}**", f"**{number(tv.params)}**",
                 f"**{total:+,}**", ""])
    heads = [header("layer", lang), t("논문 (`alexnet`)", "Paper (`alexnet`)"),
             t("torchvision (`alexnet_torchvision`)", "torchvision (`alexnet_torchvision`)"),
             t("차이", "Difference"), t("원인", "Cause")]
    return markdown_table(heads, rows, "lrrrl")


def size_table() -> str:
    """Claim 3: "LeNet-like, but much deeper and larger": LeNet-5 beside AlexNet."""
    lang = language()
    lenet, alex = agreed_view("lenet5"), agreed_view("alexnet")

    def count(view, kind_):
        return sum(1 for row in view.layers if row.kind == kind_)

    measures = [
        (t("입력 값", "Input values"), math.prod(lenet.input_shape), math.prod(alex.input_shape)),
        (t("합성곱 층", "Convolution layers"), count(lenet, "conv"), count(alex, "conv")),
        (t("완전 연결 층", "Dense layers"), count(lenet, "dense"), count(alex, "dense")),
        (header("params", lang), lenet.params, alex.params),
        (header("macs", lang), lenet.macs, alex.macs),
    ]
    if not all(a > b for _, b, a in measures):
        raise CnnguideError("AlexNet is no longer larger than LeNet-5 in every measure.")
    # The page says: about a thousandfold in parameters and in MACs.
    if not all(300 <= a / b <= 3000 for _, b, a in measures[-2:]):
        raise CnnguideError("AlexNet is no longer about a thousand times LeNet-5's size.")
    rows = [[label, number(b), number(a), f"×{a / b:,.0f}" if a / b >= 10 else f"×{a / b:.1f}"]
            for label, b, a in measures]
    return markdown_table(["", "LeNet-5 (`lenet5`)", "AlexNet (`alexnet`)", t("배율", "Ratio")], rows, "lrrr")


def _gradients(framework: str, activation: str) -> list:
    from .. import build
    from .. import frameworks
    from ..experiments import gradient_norms

    # Seeded, so the initial weights (and the cached numbers) are reproducible.
    if framework == "keras":
        frameworks.keras().utils.set_random_seed(0)
    else:
        frameworks.torch().manual_seed(0)
    net = build("alexnet", framework, activation=activation, classifier_activation=None)
    return gradient_norms(net, batch=2, seed=0)


def gradients() -> dict[tuple[str, str], list[tuple[str, float]]]:
    """Gradient norms per weighted layer, for each framework and activation (cached)."""
    found = {}
    for fw in ("keras", "torch"):
        for act in ACTIVATIONS:
            found[fw, act] = [tuple(pair) for pair in computed(
                "gradients", "alexnet", {"framework": fw, "activation": act},
                lambda fw=fw, act=act: _gradients(fw, act))]
    return found


def first_to_last(norms: list[tuple[str, float]]) -> float:
    """conv1's gradient norm over fc8's: how much of the signal reaches the first layer."""
    return norms[0][1] / norms[-1][1]


def gradient_table() -> str:
    """Gradient reaching each layer relative to fc8, ReLU vs tanh vs sigmoid, both frameworks.

    Raises unless sigmoid loses orders of magnitude more than ReLU by conv1 in both frameworks
    (the part of the claim this table supports) and tanh does not vanish at initialisation
    (the part it qualifies).
    """
    lang = language()
    found = gradients()
    for fw in ("keras", "torch"):
        relu, tanh, sigmoid = (first_to_last(found[fw, act]) for act in ACTIVATIONS)
        if not (sigmoid < 1e-3 * relu and tanh > 1e-2):
            raise CnnguideError(f"{fw}: conv1/fc8 gradient ratios relu {relu:.1e}, tanh {tanh:.1e}, "
                                f"sigmoid {sigmoid:.1e} no longer show what the page says.")
    names = [row.name for row in agreed_view("alexnet").weighted()]
    rows = []
    for i, name in enumerate(names):
        cells = [f"{found[fw, act][i][1] / found[fw, act][-1][1]:.1e}" for fw in ("keras", "torch") for act in ACTIVATIONS]
        rows.append([f"`{name}`", *cells])
    heads = [header("layer", lang)] + [f"{fw} {act}" for fw in ("Keras", "PyTorch") for act in ACTIVATIONS]
    return markdown_table(heads, rows, "l" + "r" * 6)


def dropout_table() -> str:
    """drop6 on a vector of ones: about half zeroed while training, the rest doubled; untouched
    at inference (both frameworks)."""
    found = computed("alexnet_layers", "alexnet", {}, _layer_checks)["dropout"]
    rows = []
    for fw, label in (("keras", "Keras"), ("torch", "PyTorch")):
        r = found[fw]
        if not (abs(r["zeroed"] - r["rate"]) < 0.02 and r["kept"] == [round(1 / (1 - r["rate"]), 6)]
                and r["inference_unchanged"]):
            raise CnnguideError(f"{fw} dropout no longer behaves as the page says: {r}.")
        rows.append([label, f"{r['rate']:g}", f"{r['zeroed']:.1%}", ", ".join(f"{v:g}" for v in r["kept"]),
                     t("예 (모두 1)", "yes (all ones)")])
    heads = [t("프레임워크", "Framework"), t("비율", "Rate"), t("학습 중 0이 된 값", "Zeroed while training"),
             t("남은 값", "Values kept"), t("추론 때 그대로인가", "Unchanged at inference")]
    return markdown_table(heads, rows, "lrrrl")


def augmentation() -> str:
    """Section 4.1's factor of 2048, recomputed: crop positions times mirror images."""
    factor = (RESIZED - CROP) ** 2 * MIRRORS
    stated = catalog.study("alexnet").figure("augmentation_factor").value
    if factor != stated:
        raise CnnguideError(f"(256 - 224)^2 x 2 = {factor}, not the paper's {stated}.")
    return f"({RESIZED} − {CROP})² × {MIRRORS} = {number(factor)}"


# --- exercises: each answer computed from the models, with its working --------------------

def exercise_groups_saving() -> str:
    """What the two-GPU split saves (Sections 3.2 and 3.5): each grouped layer against the same
    layer with every filter reading every map of the layer before. Raises unless the saving is
    exactly what the post's ungrouped code adds."""
    lang = language()
    view = agreed_view("alexnet")
    rows, saved, saved_macs = [], 0, 0
    for row in view.layers:
        if row.groups == 1:
            continue
        whole = convolution(row, groups=1)
        saved, saved_macs = saved + whole.params - row.params, saved_macs + whole.macs - row.macs
        rows.append([f"`{row.name}`", parameter_formula(row)[0], parameter_formula(whole)[0],
                     mac_formula(row), mac_formula(whole)])
    if saved != agreed_view("alexnet_post").params - view.params:
        raise CnnguideError(f"Ungrouping AlexNet adds {saved} parameters, not what the post's code adds.")
    rows.append([f"**{t('차이', 'Difference')}**", "", f"**+{number(saved)}**", "", f"**+{number(saved_macs)}**"])
    heads = [header("layer", lang), t("groups=2 파라미터", "groups=2 parameters"), t("groups=1 파라미터", "groups=1 parameters"),
             t("groups=2 MAC", "groups=2 MACs"), t("groups=1 MAC", "groups=1 MACs")]
    convs = [row for row in view.layers if row.kind == "conv"]
    conv_params, conv_macs = sum(row.params for row in convs), sum(row.macs for row in convs)
    return markdown_table(heads, rows, "lrrrr") + "\n\n" + t(
        f"그룹을 없애면 합성곱 층의 파라미터가 {number(conv_params)}개에서 {number(conv_params + saved)}개로, "
        f"MAC이 {number(conv_macs)}회에서 {number(conv_macs + saved_macs)}회로 늘어납니다. 네트워크 전체로는 "
        f"파라미터가 {saved / view.params:.1%}, MAC이 {saved_macs / view.macs:.1%} 늘어납니다. 원문 글의 코드가 논문보다 "
        f"더 가진 파라미터가 정확히 이만큼입니다.",
        f"Without the groups, the convolutions would hold {number(conv_params + saved)} parameters instead of "
        f"{number(conv_params)}, and do {number(conv_macs + saved_macs)} MACs instead of {number(conv_macs)}: "
        f"{saved / view.params:.1%} more parameters and {saved_macs / view.macs:.1%} more MACs for the whole "
        f"network. That is exactly what the post's code, which drops the groups, has over the paper's.")


def exercise_overlap_sizes() -> str:
    """Section 3.4: AlexNet pools z x z = 3x3 windows at stride s = 2, which overlap, and
    compares them with s x s windows, which "produce output of equivalent dimensions". Both
    output sizes, (n - z) / s + 1 rounded down, for every pooling layer of the model."""
    lang = language()
    pools = [row for row in agreed_view("alexnet").layers if row.kind == "max_pool"]
    windows = {(row.kernel_size[0], row.strides[0]) for row in pools}
    if len(windows) != 1:
        raise CnnguideError(f"AlexNet's poolings no longer share one window and stride: {windows}.")
    (z, s), = windows
    rows = []
    for row in pools:
        n = row.input_shape[0]
        plain = (n - s) // s + 1  # not overlapping: the window as wide as the stride
        if (n - z) // s + 1 != row.output_shape[0] or plain != row.output_shape[0]:
            raise CnnguideError(f"{row.name}: {z}x{z}/{s} and {s}x{s}/{s} pooling no longer give the same size.")
        rows.append([f"`{row.name}`", format_shape(row.input_shape),
                     f"⌊({n} − {z}) / {s}⌋ + 1 = {row.output_shape[0]}", f"⌊({n} − {s}) / {s}⌋ + 1 = {plain}"])
    heads = [header("layer", lang), t("입력", "Input"), t(f"{z}×{z}, 스트라이드 {s} (겹침)", f"{z}×{z}, stride {s} (overlapping)"),
             t(f"{s}×{s}, 스트라이드 {s} (겹치지 않음)", f"{s}×{s}, stride {s} (not overlapping)")]
    return markdown_table(heads, rows, "llll") + "\n\n" + t(
        f"두 풀링의 출력 크기는 모든 층에서 같습니다. 따라서 겹치는 풀링은 맵의 크기도 파라미터도 바꾸지 않고, 출력마다 "
        f"{s * s}개 대신 {z * z}개의 값을 비교할 뿐입니다. 논문이 보고한 차이(조금 낮은 오류율, 조금 덜한 과적합)는 창이 "
        f"겹친다는 것 하나에서 옵니다.",
        f"The two poolings give the same output size at every layer. Overlapping pooling changes neither the "
        f"maps' size nor any parameter; each output compares {z * z} values instead of {s * s}. Whatever "
        f"difference the paper measured (a slightly lower error, slightly less overfitting) comes from the "
        f"overlap alone.")


def exercise_weight_reuse() -> str:
    """Why AlexNet's parameters sit in its dense layers and its computation in its
    convolutions: a convolution uses each weight once per output position, a dense layer once
    (MACs = weights x positions, :func:`cnnguide.inspect.view.macs`)."""
    lang = language()
    view = agreed_view("alexnet")
    rows, share = [], {"conv": [0, 0], "dense": [0, 0]}
    for row in view.weighted():
        positions = math.prod(row.output_shape[:-1])
        if row.kernel_elements * positions != row.macs:
            raise CnnguideError(f"{row.name}: MACs are not weights times positions.")
        share[row.kind][0] += row.params
        share[row.kind][1] += row.macs
        rows.append([f"`{row.name}`", number(row.kernel_elements), number(positions), number(row.macs)])
    heads = [header("layer", lang), t("가중치 (편향 제외)", "Weights (no biases)"),
             t("가중치 하나를 쓰는 횟수 (출력 위치)", "Uses of each weight (output positions)"), header("macs", lang)]
    conv, dense = share["conv"], share["dense"]
    return markdown_table(heads, rows, "lrrr") + "\n\n" + t(
        f"합성곱 층은 파라미터의 {conv[0] / view.params:.1%}만 갖지만 MAC의 {conv[1] / view.macs:.1%}를 씁니다. 완전 "
        f"연결 층은 반대로 파라미터의 {dense[0] / view.params:.1%}를 갖고 MAC은 {dense[1] / view.macs:.1%}만 씁니다. "
        f"합성곱의 가중치는 출력 위치마다 다시 쓰이고, 완전 연결 층의 가중치는 한 번만 쓰이기 때문입니다.",
        f"The convolutions hold {conv[0] / view.params:.1%} of the parameters and do {conv[1] / view.macs:.1%} "
        f"of the MACs; the dense layers hold {dense[0] / view.params:.1%} and do {dense[1] / view.macs:.1%}. "
        f"A convolution uses each weight again at every output position, a dense layer only once.")


__all__ = ["augmentation", "conv1_neurons_check", "dropout_table", "exercise_groups_saving", "exercise_overlap_sizes",
           "exercise_weight_reuse", "gradient_table", "input_size_table",
           "lrn_table", "post_table",
           "size_table", "torchvision_table"]
