"""What the MobileNet v2 page computes beyond the kit: the inverted residual block's expansion and
cost, and why its narrow end is linear (Sandler et al. 2018, Sections 3.2-3.3 and Figure 1)."""

from __future__ import annotations

import numpy as np

from .. import catalog
from ..errors import CnnguideError
from ..render.labels import number
from ..render.tables import markdown_table
from .context import t
from .models import agreed_view

V2 = catalog.study("mobilenet_v2")


def inverted_residual_cost(block: int = 2) -> str:
    """v2's ``block``: its expansion t, its MACs against Section 3.3's h·w·d'·t·(d' + k² + d''),
    and its activations: ReLU6 after the expansion and the depthwise convolution, none after the projection."""
    view, prefix = agreed_view("mobilenet_v2"), f"block_{block}_"
    expand, project = view.layer(prefix + "expand"), view.layer(prefix + "project")
    (h, w, d_in), d_out, k2 = expand.input_shape, project.units, 9
    expansion = expand.units // d_in
    formula, macs = h * w * d_in * expansion * (d_in + k2 + d_out), view.block(prefix).macs
    acts = [view.layer(prefix + n).activation for n in ("expand_BN", "depthwise_BN", "project_BN")]
    if expansion != V2.figure("expansion").value or formula != macs or acts != ["relu6", "relu6", None]:
        raise CnnguideError(f"{prefix}: expansion {expansion}, MACs {macs} against {formula}, activations {acts}.")
    return markdown_table([t("항목", "What"), t("값", "Value")], [
        [t("확장 비율 t = 확장 채널 ÷ 입력 채널", "Expansion t = expanded ÷ input channels"), f"{expand.units} ÷ {d_in} = {expansion}"],
        [t("논문의 식 h·w·d′·t·(d′ + k² + d″)", "The paper's h·w·d′·t·(d′ + k² + d″)"),
         f"{h}·{w}·{d_in}·{expansion}·({d_in} + {k2} + {d_out}) = {number(formula)}"],
        [t("블록의 MAC (세 합성곱의 합)", "The block's MACs (its three convolutions)"), f"**{number(macs)}**"],
        [t("활성화: 확장, 깊이별, 투영 뒤", "Activation after expansion, depthwise, projection"),
         f"{acts[0]}, {acts[1]}, **{t('없음 (선형)', 'none (linear)')}**"]], "lr")


def relu_collapse_table(dims=(2, 3, 5, 15, 30), points: int = 1000) -> str:
    """Section 3.2 and Figure 1: a 2-D spiral embedded in n dimensions by a random T, then ReLU.
    A point can still be recovered when its positive coordinates carry two independent rows of
    T (T restricted to them is invertible); otherwise ReLU has merged it with its neighbours."""
    rng = np.random.default_rng(0)
    turn = np.linspace(0.5, 4 * np.pi, points)
    spiral = np.stack([turn * np.cos(turn), turn * np.sin(turn)], axis=1)
    kept = []
    for n in dims:
        embed = rng.standard_normal((2, n))
        kept.append(np.mean([np.linalg.matrix_rank(embed[:, positive]) == 2 for positive in spiral @ embed > 0]))
    if not kept[0] < 0.5 < 0.95 < kept[-1]:
        raise CnnguideError(f"ReLU no longer loses most of the spiral in 2-D and keeps it in 30-D: {kept}.")
    return markdown_table([t("차원 n", "Dimensions n"), t("ReLU 뒤에도 복원할 수 있는 점", "Points still recoverable after ReLU")],
                          [[str(n), f"{share:.0%}"] for n, share in zip(dims, kept)], "rr")
