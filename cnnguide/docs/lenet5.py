"""What the LeNet-5 page computes: the paper's figures reconciled with ours, and the source
post's code set against its own table.
"""

from __future__ import annotations

import math

from .. import catalog
from ..errors import CnnguideError
from ..render.labels import header, number
from ..render.tables import mac_formula, markdown_table, parameter_formula
from ..shapes import format_shape
from .context import language, pick, t
from .models import agreed_view
from .arithmetic import receptive_fields, same_rows, sized_view

# LeCun et al. 1998, Table I: which S2 maps (0-5) each C3 map (0-15) reads.
C3_CONNECTIONS: tuple[tuple[int, ...], ...] = (
    *((i, (i + 1) % 6, (i + 2) % 6) for i in range(6)),                 # maps 0-5: 3 neighbours
    *((i, (i + 1) % 6, (i + 2) % 6, (i + 3) % 6) for i in range(6)),    # maps 6-11: 4 neighbours
    (0, 1, 3, 4), (1, 2, 4, 5), (0, 2, 3, 5),                           # maps 12-14
    (0, 1, 2, 3, 4, 5),                                                  # map 15: all six
)
KERNEL = 5 * 5

# The source post's own table of LeNet-5 (what it says each layer outputs).
POST_TABLE = {
    "input": "32×32×1", "C1": "28×28×6", "S2": "14×14×6", "C3": "10×10×16",
    "S4": "5×5×16", "C5": "1×1×120", "F6": "84", "output": "10",
}


def c3_partial_params() -> int:
    """C3's trainable parameters under Table I: each map has 25 weights per S2 map it reads, plus a bias."""
    return sum(len(inputs) * KERNEL + 1 for inputs in C3_CONNECTIONS)


def reconciliation() -> list[tuple[str, int]]:
    """The steps from our modern LeNet-5's parameter count to the paper's, each from its cause.

    Ends at the paper's total or raises: the page then cannot claim a reconciliation that the
    numbers do not make.
    """
    view = agreed_view("lenet5")
    paper = catalog.study("lenet5")
    steps = [
        ("modern", view.params),
        ("c3", c3_partial_params() - view.layer("C3").params),
        ("output", paper.figure("output.params").value - view.layer("output").params),
        ("subsampling", int(paper.figure("S2.params").value + paper.figure("S4.params").value)),
    ]
    total = sum(delta for _, delta in steps)
    if total != paper.figure("params").value or c3_partial_params() != paper.figure("C3.params").value:
        raise CnnguideError(f"LeNet-5 reconciliation reaches {total}, not the paper's {paper.figure('params').value}.")
    return steps


STEP_TEXT = {
    "modern": {"ko": "현대식 LeNet-5 (이 사이트의 모델)", "en": "Modern LeNet-5 (this site's model)"},
    "c3": {"ko": "C3를 표 I의 부분 연결로 바꿈", "en": "C3 with Table I's partial connections"},
    "output": {"ko": "출력층을 고정된 RBF로 바꿈", "en": "Fixed RBF output instead of a dense layer"},
    "subsampling": {"ko": "S2, S4에 맵마다 계수와 편향 추가", "en": "S2 and S4: a coefficient and a bias per map"},
}


def reconciliation_table() -> str:
    lang = language()
    rows, running = [], 0
    for key, delta in reconciliation():
        running += delta
        shown = number(delta) if key == "modern" else f"{delta:+,}"
        rows.append([STEP_TEXT[key][lang], shown, number(running)])
    heads = {"ko": ["단계", "변화", "누적"], "en": ["Step", "Change", "Running total"]}[lang]
    return markdown_table(heads, rows, "lrr")


def post_drift_table() -> str:
    """The post's table against the modern model (which it describes) and the post's own code."""
    lang = language()
    modern, post = agreed_view("lenet5"), agreed_view("lenet5_post")

    def shape(view, key):
        return format_shape(view.input_shape if key == "input" else view.layer(key).output_shape)

    rows = []
    for key, stated in POST_TABLE.items():
        if shape(modern, key) != stated:
            raise CnnguideError(f"The post's table says {key} = {stated}; the modern LeNet-5 gives {shape(modern, key)}.")
        code = shape(post, key)
        rows.append([f"`{key}`", stated, code if code == stated else f"**{code}**"])
    rows.append([header("params", lang), number(modern.params), f"**{number(post.params)}**"])
    return markdown_table(["", header("post_table", lang), header("post_code", lang)], rows, "lrr")


# --- exercises: each answer computed from the models, with its working --------------------

def exercise_c3_all_maps() -> str:
    """C3 with every S2 map feeding every C3 map (the modern model's C3) against Table I's
    partial connections (LeCun et al. 1998, Section II.B): parameters and MACs."""
    c3 = agreed_view("lenet5").layer("C3")
    kernel, maps = math.prod(c3.kernel_size), c3.input_shape[-1]
    if kernel != KERNEL or maps != len(set().union(*C3_CONNECTIONS)) or c3.units != len(C3_CONNECTIONS):
        raise CnnguideError("The modern C3 no longer has Table I's kernel, inputs and maps.")
    reads: dict[int, int] = {}  # how many C3 maps read n S2 maps
    for inputs in C3_CONNECTIONS:
        reads[len(inputs)] = reads.get(len(inputs), 0) + 1
    partial = c3_partial_params()
    terms = " + ".join(f"{count}·({n}·{kernel} + 1)" for n, count in sorted(reads.items()))
    positions = math.prod(c3.output_shape[:2])
    partial_macs = positions * kernel * sum(len(inputs) for inputs in C3_CONNECTIONS)
    h, w = c3.output_shape[:2]
    rows = [
        [t("모든 S2 맵을 읽을 때 (현대식 C3)", "Every S2 map (the modern C3)"), parameter_formula(c3)[0], mac_formula(c3)],
        [t("표 I의 부분 연결", "Table I's partial connections"), f"{terms} = {number(partial)}",
         f"{h}·{w}·({kernel}·{sum(len(i) for i in C3_CONNECTIONS)}) = {number(partial_macs)}"],
    ]
    table = markdown_table(["", header("params", language()), header("macs", language())], rows, "lrr")
    return table + "\n\n" + t(
        f"모든 맵을 연결하면 파라미터가 {number(c3.params - partial)}개, MAC이 {number(c3.macs - partial_macs)}회 "
        f"늘어납니다. 표 I이 잇는 S2 맵과 C3 맵의 쌍은 모두 {sum(len(i) for i in C3_CONNECTIONS)}개이고(전부 이으면 "
        f"{c3.units}·{maps} = {c3.units * maps}개), MAC은 그 비율대로 줄어듭니다.",
        f"Connecting every map adds {number(c3.params - partial)} parameters and "
        f"{number(c3.macs - partial_macs)} MACs. Table I joins {sum(len(i) for i in C3_CONNECTIONS)} pairs of an "
        f"S2 map and a C3 map (against {c3.units}·{maps} = {c3.units * maps} when every map reads every map), "
        f"and the MACs shrink in that proportion.")


def exercise_c1_without_sharing() -> str:
    """Weight sharing in C1 (Section II.A): one 5x5 kernel per map, used at every position,
    against a layer with its own weights at each position (what the paper's connections
    count) and a fully connected layer from the input to C1's outputs."""
    view = agreed_view("lenet5")
    c1 = view.layer("C1")
    (h, w, maps), inputs = c1.output_shape, math.prod(view.input_shape)
    window = math.prod(c1.kernel_size) * c1.input_shape[-1] + c1.bias
    outputs = h * w * maps
    kh, kw = c1.kernel_size
    rows = [
        [t("가중치 공유 (C1)", "Shared weights (C1)"), parameter_formula(c1)[0]],
        [t("위치마다 다른 가중치", "Its own weights at every position"),
         f"{h}·{w}·{maps}·({kh}·{kw}·{c1.input_shape[-1]} + 1) = {number(outputs * window)}"],
        [t("완전 연결", "Fully connected"), f"({number(inputs)} + 1)·{number(outputs)} = {number((inputs + 1) * outputs)}"],
    ]
    if c1.params * h * w != outputs * window:
        raise CnnguideError("C1's parameters times its positions no longer give its connections.")
    table = markdown_table(["", header("params", language())], rows, "lr")
    return table + "\n\n" + t(
        f"공유된 가중치 하나는 {h}·{w} = {h * w}개의 위치에서 다시 쓰입니다. 위치마다 가중치를 따로 두면 "
        f"파라미터가 연결 수와 같아지고, 모든 입력을 모든 출력에 잇는 층은 그보다도 훨씬 큽니다.",
        f"Each shared weight is used again at {h}·{w} = {h * w} positions. With its own weights at every "
        f"position the layer would have as many parameters as connections, and a layer that joins every "
        f"input to every output far more still.")


def exercise_c5_field() -> str:
    """How much of the input one C5 unit sees: its receptive field, walked layer by layer from
    the input (each k x k layer widens it by (k - 1) x the jump, each subsampling doubles the
    jump): the whole 32x32 input, which is why C5 is fully connected in all but name."""
    view = agreed_view("lenet5")
    rows, previous_jump = [], 1
    field = 1
    for name, grown, jump in receptive_fields(view):
        k = view.layer(name).kernel_size[0]
        rows.append([f"`{name}`", f"{field} + ({k} − 1)·{previous_jump} = {grown}", str(jump)])
        field, previous_jump = grown, jump
    side = view.input_shape[0]
    if field != side:
        raise CnnguideError(f"C5 sees {field}x{field} pixels, not the whole {side}x{side} input.")
    table = markdown_table([header("layer", language()), t("수용 영역 (입력 픽셀)", "Receptive field (input pixels)"),
                            t("출력 한 칸 = 입력 픽셀", "One output step = input pixels")], rows, "llr")
    return table + "\n\n" + t(
        f"C5의 유닛 하나는 {field}×{field} 픽셀, 즉 입력 전체를 봅니다. 그래서 이 입력 크기에서 C5는 완전 연결 층과 "
        f"같은 일을 합니다.",
        f"One C5 unit sees {field}×{field} pixels: the whole input. At this input size, C5 does what a "
        f"fully connected layer does.")


def exercise_larger_input() -> str:
    """LeNet-5 on an input twice as high and twice as wide (the paper's reason for calling C5
    a convolution, Section II.B): the convolutions keep their parameters, C5's output grows
    beyond 1x1, and F6, which reads it flattened, grows with it."""
    small = agreed_view("lenet5")
    h, w, c = small.input_shape
    large = same_rows(small, sized_view("lenet5", (2 * h, 2 * w, c)))
    maps = [row for row in small.layers if row.kind in ("conv", "avg_pool")]
    if any(large[row.name].params != row.params for row in maps):
        raise CnnguideError("LeNet-5's convolutions change their parameters with the input size.")
    rows = [[t("입력", "Input"), format_shape(small.input_shape), format_shape((2 * h, 2 * w, c))]]
    rows += [[f"`{row.name}`", format_shape(row.output_shape), format_shape(large[row.name].output_shape)] for row in maps]
    f6 = small.layer("F6")
    rows.append([t("`F6` 파라미터", "`F6` parameters"), parameter_formula(f6)[0], parameter_formula(large[f6.name])[0]])
    rows.append([header("params", language()), number(small.params), number(sum(row.params for row in large.values()))])
    table = markdown_table(["", format_shape((h, w)), format_shape((2 * h, 2 * w))], rows, "lrr")
    c5 = format_shape(large["C5"].output_shape)
    return table + "\n\n" + t(
        f"합성곱 층의 파라미터는 그대로이고, C5는 {c5} 맵을 내놓는 진짜 합성곱이 됩니다. 파라미터가 느는 곳은 그 맵을 "
        f"펼쳐 읽는 F6뿐입니다. 네트워크를 한 입력 크기에 묶어 두는 것은 완전 연결 층입니다.",
        f"The convolutions keep their parameters, and C5 becomes a real convolution with a {c5} output. The only "
        f"parameters that grow are F6's, which reads that map flattened: what ties a network to one input size "
        f"is its fully connected layers.")


__all__ = ["c3_partial_params", "exercise_c1_without_sharing", "exercise_c3_all_maps", "exercise_c5_field",
           "exercise_larger_input", "post_drift_table", "reconciliation", "reconciliation_table", "pick"]
