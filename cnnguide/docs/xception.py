"""What the Xception page computes beyond the kit: the continuum from a regular convolution to
the "extreme" Inception module (Chollet 2017, Section 1.2), and where timm's port pools
differently from TensorFlow. The separable convolution's cost is :mod:`.separable`'s; the
exercises at the end of the page are computed here too."""

from __future__ import annotations

import math
from fractions import Fraction

from ..errors import CnnguideError
from ..inspect.view import Layer
from ..models.padding import padding_for
from ..models.xception_configs import ENTRY_FLOW, MIDDLE_REPEATS
from ..render.labels import number
from ..render.tables import markdown_table
from . import separable
from .context import language, pick, t
from .models import agreed_view

MIDDLE = "block5_sepconv1"  # the middle flow's first separable convolution: 19 x 19, 728 -> 728
TIMM_INPUT = (295, 295, 3)  # the size at which the catalog sets timm's port against ours
TIMM_OPTIONS = {"epsilon": 1e-5, "input_shape": TIMM_INPUT}


def _conv(name: str, shape: tuple[int, ...], channels: int, kernel: tuple[int, int], groups: int) -> Layer:
    """A bias-free convolution of a map of ``shape`` (same padding, stride 1) as a row of the
    view, so that its MACs come from the same formula (:func:`cnnguide.inspect.view.macs`)."""
    weights = kernel[0] * kernel[1] * shape[-1] // groups * channels
    return Layer(name=name, kind="conv", input_shape=shape,
                 output_shape=shape[:-1] + (channels,), trainable=weights,
                 kernel_size=kernel, strides=(1, 1), groups=groups, kernel_elements=weights)


def segments_table() -> str:
    """Section 1.2's continuum on the middle flow's layer: a 1x1 convolution, then a 3x3
    convolution over S non-overlapping segments of its channels. One segment is a regular
    convolution; three or four, an Inception module's towers; one per channel, the "extreme"
    module, which costs what Xception's separable convolution costs."""
    view = agreed_view("xception")
    depthwise, pointwise = view.layer(f"{MIDDLE}_dw"), view.layer(f"{MIDDLE}_pw")
    channels = pointwise.units
    if depthwise.input_shape[-1] != channels:
        raise CnnguideError(f"{MIDDLE} no longer keeps its width: the comparison needs C = N.")
    rows = []
    for segments in (1, 4, channels):
        mix = _conv("1x1", depthwise.input_shape, channels, (1, 1), 1)
        spatial = _conv("3x3", mix.output_shape, channels, depthwise.kernel_size, segments)
        label = {1: {"ko": "1 (일반 합성곱)", "en": "1 (a regular convolution)"},
                 4: {"ko": "4 (인셉션 모듈의 갈래처럼)", "en": "4 (like an Inception module's towers)"},
                 channels: {"ko": f"{channels} (채널마다 하나: 「극단적」 인셉션)",
                            "en": f"{channels} (one per channel: the \"extreme\" Inception)"}}[segments]
        rows.append([pick(label), str(channels // segments), number(spatial.params), number(mix.params + spatial.params),
                     number(mix.macs + spatial.macs)])
    separable = depthwise.params + pointwise.params, depthwise.macs + pointwise.macs
    if (mix.params + spatial.params, mix.macs + spatial.macs) != separable:
        raise CnnguideError(f"One segment per channel no longer costs what {MIDDLE} costs: {separable}.")
    heads = {"ko": ["구간 수 S", "구간당 채널", "3×3 파라미터", "1×1 + 3×3 파라미터", "MAC"],
             "en": ["Segments S", "Channels per segment", "3×3 parameters", "1×1 + 3×3 parameters", "MACs"]}
    return markdown_table(heads[language()], rows, "lrrrr")


def _pads(rule: str, size: tuple[int, int]) -> str:
    (top, bottom), _ = padding_for(rule, size, 3, 2)
    return f"{top}, {bottom}"


def pooling_table() -> str:
    """Every 3x3 max pooling at stride 2, at the site's input and at the oracle's: the padding
    TensorFlow's "same" gives it (ours, keras.applications) and timm's symmetric one. They
    differ exactly where the pooled map is even, which happens at 299 x 299 and not at 295."""
    views = {299: agreed_view("xception"), TIMM_INPUT[0]: agreed_view("xception", **TIMM_OPTIONS)}
    if views[299].input_shape != (299, 299, 3):
        raise CnnguideError("Xception's site input is no longer 299 x 299.")
    rows, differ = [], dict.fromkeys(views, 0)
    for size, view in views.items():
        for row in (r for r in view.layers if r.kind == "max_pool"):
            side = row.input_shape[:2]
            same = padding_for("tensorflow", side, 3, 2) == padding_for("symmetric", side, 3, 2)
            differ[size] += not same
            rows.append([f"{size}×{size}", f"`{row.name}`", "×".join(map(str, side)), _pads("tensorflow", side),
                         _pads("symmetric", side), pick({"ko": "같음", "en": "same"}) if same
                         else pick({"ko": "**다름**", "en": "**differs**"})])
    if differ[299] != 1 or differ[295] != 0:
        raise CnnguideError(f"The poolings that differ from timm's are no longer one at 299 and none at 295: {differ}.")
    heads = {"ko": ["입력", "풀링", "풀링하는 맵", "TensorFlow 패딩 (위, 아래)", "timm 패딩 (위, 아래)", "비교"],
             "en": ["Input", "Pooling", "Map pooled", "TensorFlow pads (top, bottom)", "timm pads (top, bottom)",
                    "Compared"]}[language()]
    return markdown_table(heads, rows, "llrrrl")


# --- exercises ---------------------------------------------------------------------------------

EXIT = "block14_sepconv2"  # the exit flow's last separable convolution: 10 x 10, 1536 -> 2048


def _ratio(depthwise: Layer, pointwise: Layer) -> str:
    """1/N + 1/k² for one pair, written out (Section 1.2's cost of a separable convolution)."""
    n, k2 = pointwise.units, math.prod(depthwise.kernel_size)
    return f"1/{n} + 1/{k2} = {float(Fraction(1, n) + Fraction(1, k2)):.4f}"


def exercise_exit_flow() -> str:
    """The exit flow's last separable convolution against the standard convolution it stands
    for, and its ratio beside the middle flow's (the page's layer): a larger N leaves 1/k²."""
    view = agreed_view("xception")
    exit_pair = [view.layer(f"{EXIT}_{half}") for half in ("dw", "pw")]
    middle = [view.layer(f"{MIDDLE}_{half}") for half in ("dw", "pw")]
    table = separable.layer_cost("xception", *(row.name for row in exit_pair))
    return table + t(
        f"\n\n미들 흐름의 층은 {_ratio(*middle)}, 이 층은 {_ratio(*exit_pair)}입니다. "
        f"1/N은 깊이별 절반의 몫이고 1/k²는 점별 절반의 몫입니다. 출력 채널 N이 커질수록 1/N은 작아지고, "
        f"비율은 1/k²에 다가갈 뿐 그 아래로는 내려가지 않습니다. 분리 합성곱도 모든 입력 채널을 모든 출력 채널에 "
        f"섞어야 하고, 다만 위치마다 k²번이 아니라 한 번 섞을 뿐이기 때문입니다.",
        f"\n\nThe middle flow's layer gives {_ratio(*middle)}; this one "
        f"{_ratio(*exit_pair)}. The 1/N is the depthwise half's share, the 1/k² the pointwise "
        f"half's. As the outputs N grow, 1/N shrinks and the ratio approaches 1/k², never less: a separable "
        f"convolution still mixes every input channel into every output, only once per position instead of k² "
        f"times.")


def exercise_standard_network() -> str:
    """Xception with every separable convolution made a standard one (:mod:`.separable`)."""
    return t("분리 합성곱 쌍마다 표준 합성곱의 가중치와 MAC을 계산해 바꿔 넣습니다.\n\n",
             "Replace each separable pair by the standard convolution it stands for, weights and MACs:\n\n") \
        + separable.standard_network("xception")


def exercise_middle_flow() -> str:
    """The middle flow's share of Xception (Figure 5: one module repeated eight times): one
    module's parameters and MACs, times the repeats, against the whole network."""
    view = agreed_view("xception")
    first = 2 + len(ENTRY_FLOW)  # block1 is the two plain convolutions, then the entry flow's modules
    modules = [view.block(f"block{first + i}_") for i in range(MIDDLE_REPEATS)]
    if len({(m.trainable, m.macs) for m in modules}) != 1:
        raise CnnguideError("The middle flow's modules no longer cost the same.")
    one = modules[0]
    rows = [[t("모듈 하나", "One module") + f" (`block{first}`)", number(one.trainable), number(one.macs)],
            [t(f"미들 흐름 (모듈 {MIDDLE_REPEATS}개)", f"The middle flow ({MIDDLE_REPEATS} modules)"),
             f"{MIDDLE_REPEATS} · {number(one.trainable)} = {number(MIDDLE_REPEATS * one.trainable)}",
             f"{MIDDLE_REPEATS} · {number(one.macs)} = {number(MIDDLE_REPEATS * one.macs)}"],
            [t("네트워크 전체", "The whole network"), number(view.trainable), number(view.macs)],
            [t("미들 흐름의 비중", "The middle flow's share"), f"**{MIDDLE_REPEATS * one.trainable / view.trainable:.0%}**",
             f"**{MIDDLE_REPEATS * one.macs / view.macs:.0%}**"]]
    return markdown_table(["", t("학습 파라미터", "Trainable params"), t("MAC", "MACs")], rows, "lrr")
