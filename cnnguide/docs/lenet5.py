"""What the LeNet-5 page computes: the paper's figures reconciled with ours, and the source
post's code set against its own table.
"""

from __future__ import annotations

from .. import catalog
from ..errors import CnnguideError
from ..render.labels import header, number
from ..render.tables import markdown_table
from ..shapes import format_shape
from .context import language, pick
from .models import agreed_view

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


__all__ = ["c3_partial_params", "post_drift_table", "reconciliation", "reconciliation_table", "pick"]
