"""MobileNet v1 (Howard et al. 2017) and MobileNet v2 (Sandler et al., CVPR 2018): networks made
of depthwise separable convolutions, light enough for phones."""

from __future__ import annotations

from ..models.padding import PADDINGS
from .types import MACS, PARAMS, Block, Figure, ModelEntry, Oracle, Paper, Study

_V1 = "Howard et al. 2017"
_V2 = "Sandler et al. 2018"
_ROUNDS = {"ko": "논문은 10만 단위로 반올림합니다.", "en": "The paper rounds to 0.1 million."}
_MILLIONS = {"ko": "논문은 백만 단위의 정수로 씁니다.", "en": "The paper gives whole millions."}
_TIMES = {"ko": "배", "en": "times"}


def _grid(table: str, alpha: float, size: int, macs: float, params: float | None) -> tuple[Figure, ...]:
    """One row of Table 6 (width) or Table 7 (resolution): millions of multiply-adds and of
    parameters, shown and checked beside our builds by :mod:`cnnguide.docs.mobilenet` (keys
    such as ``macs_75_224``: alpha in percent, input size; not measures of the main model)."""
    key = f"{round(alpha * 100)}_{size}"
    source = f"{_V1}, Table {table} ({alpha:g} MobileNet-{size})"
    figures = (Figure(f"macs_{key}", round(macs * 1e6), MACS, source, 1 / macs, _MILLIONS),)
    return figures + ((Figure(f"params_{key}", round(params * 1e6), PARAMS, source, 0.05 / params, _ROUNDS),) if params else ())


def _table2(kind: str, macs: float, params: float) -> tuple[Figure, Figure]:
    """Table 2 ("Resource Per Layer Type"): one kind of layer's share of the multiply-adds and of
    the parameters, in percent. The parameter shares count the kernels only (no biases, no
    BatchNorm): that count reproduces all four to the table's two decimals."""
    source, rounds = f"{_V1}, Table 2 ({kind})", {"ko": "표 2는 소수 둘째 자리까지 씁니다.",
                                                 "en": "Table 2 gives two decimals."}
    share = {"ko": "{} 비율 (%)", "en": "share of {} (%)"}
    macs_figure = Figure(f"table2_macs_{kind}", macs, {k: v.format(MACS[k]) for k, v in share.items()}, source,
                         0.005 / macs, rounds)
    if kind == "3x3":  # the stem: 10.8 of 568.7 million MACs is 1.91%; with 1.19 the four sum to 99.29%
        macs_figure = Figure(macs_figure.key, macs, macs_figure.unit, source, None,
                             {"ko": "표의 네 비율은 합이 100%가 아닙니다. "
                                    "우리 값으로는 100%가 되므로 인쇄 오류로 보입니다.",
                              "en": "The table's four shares do not sum to 100%; with ours they do: "
                                    "a misprint, it seems."})
    return macs_figure, Figure(f"table2_params_{kind}", params, {k: v.format(PARAMS[k]) for k, v in share.items()},
                               source, 0.005 / params, rounds)


STUDIES = (
    Study(
        key="mobilenet",
        model="mobilenet_v1",
        # The separable block (conv_dw_N and conv_pw_N share no prefix) is drawn by the page's
        # own module, cnnguide.docs.mobilenet.
        block_pattern=r"^(conv_(?:dw|pw)_\d+)",
        name={"ko": "MobileNet v1", "en": "MobileNet v1"},
        year=2017,
        paper=Paper(authors="A. G. Howard, M. Zhu, B. Chen, D. Kalenichenko, W. Wang, T. Weyand, M. Andreetto, H. Adam",
                    title="MobileNets: Efficient Convolutional Neural Networks for Mobile Vision Applications",
                    venue="arXiv:1704.04861", year=2017, url="https://arxiv.org/abs/1704.04861"),
        input_shape=(224, 224, 3),
        figures=(
            Figure("params", 4_200_000, PARAMS, f"{_V1}, Table 8 (1.0 MobileNet-224)", 0.012,
                   {"ko": "표 8은 10만 단위로 반올림합니다(0.05는 4.2의 1.2%).",
                    "en": "Table 8 rounds to 0.1 million (0.05 of 4.2 is 1.2%)."}),
            Figure("macs", 569_000_000, MACS, f"{_V1}, Table 8 (\"Million Mult-Adds\")", 0.001, _MILLIONS),
            Figure("depth", 28, {"ko": "층 (깊이별·점별 합성곱을 따로 셈)",
                                 "en": "layers (depthwise and pointwise counted apart)"}, f"{_V1}, Section 3.2"),
            *_grid("6", 1.0, 224, 569, 4.2), *_grid("6", 0.75, 224, 325, 2.6),
            *_grid("6", 0.5, 224, 149, 1.3), *_grid("6", 0.25, 224, 41, 0.5),
            *_grid("7", 1.0, 192, 418, None), *_grid("7", 1.0, 160, 290, None), *_grid("7", 1.0, 128, 186, None),
            *_table2("1x1", 94.86, 74.59), *_table2("dw", 3.06, 1.06), *_table2("3x3", 1.19, 0.02),
            *_table2("fc", 0.18, 24.33),
            # Table 3: one 14 x 14 x 512 layer with a 3x3 x 512 x 512 kernel, as a standard and
            # as a separable convolution (millions of multiply-adds).
            Figure("table3_standard_macs", 462_000_000, MACS, f"{_V1}, Table 3", 0.5 / 462, _MILLIONS),
            Figure("table3_separable_macs", 52_300_000, MACS, f"{_V1}, Table 3", 0.05 / 52.3, _ROUNDS),
            # Section 4.2 on Table 8: "nearly as accurate as VGG16 while being 32 times smaller
            # and 27 times less compute intensive".
            Figure("smaller_than_vgg16", 32, _TIMES, f"{_V1}, Section 4.2", 0.05,
                   {"ko": "논문의 반올림된 표 값끼리 나눈 비율입니다.", "en": "A ratio of the table's rounded figures."}),
            Figure("less_compute_than_vgg16", 27, _TIMES, f"{_V1}, Section 4.2", 0.05,
                   {"ko": "논문의 반올림된 표 값끼리 나눈 비율입니다.", "en": "A ratio of the table's rounded figures."}),
        ),
    ),
    Study(
        key="mobilenet_v2",
        model="mobilenet_v2",
        blocks=(Block("mobilenet_v2", "block_2_", {"ko": "역잔차 블록 (t = 6, 항등 스킵 연결)",
                                                   "en": "Inverted residual block (t = 6, identity shortcut)"}),
                Block("mobilenet_v2", "block_3_", {"ko": "크기를 줄이는 역잔차 블록 (스트라이드 2, 스킵 연결 없음)",
                                                   "en": "Downsampling inverted residual block (stride 2, no shortcut)"})),
        block_pattern=r"^(expanded_conv|block_\d+)_",
        name={"ko": "MobileNet v2", "en": "MobileNet v2"},
        year=2018,
        paper=Paper(authors="M. Sandler, A. Howard, M. Zhu, A. Zhmoginov, L.-C. Chen",
                    title="MobileNetV2: Inverted Residuals and Linear Bottlenecks",
                    venue="CVPR", year=2018, url="https://arxiv.org/abs/1801.04381"),
        input_shape=(224, 224, 3),
        figures=(
            Figure("params", 3_400_000, PARAMS, f"{_V2}, Section 4 and Table 4", 0.035,
                   {"ko": "논문은 340만이라고 쓰지만, 표 2의 네트워크는 여기서도 keras.applications와 torchvision에서도 "
                          "약 3% 더 큽니다. 반올림으로는 설명되지 않습니다.",
                    "en": "The paper says 3.4 million; Table 2's network, built here and by keras.applications "
                          "and torchvision alike, is about 3% larger: more than rounding explains."}),
            Figure("macs", 300_000_000, MACS, f"{_V2}, Section 4 and Table 4 (\"MAdds\")", 0.005,
                   {"ko": "논문은 3억이라는 어림수를 씁니다.", "en": "The paper gives a round 300 million."}),
            Figure("expansion", 6, {"ko": "확장 비율 t", "en": "expansion factor t"}, f"{_V2}, Section 4"),
        ),
    ),
)

MODELS = (
    ModelEntry(
        name="mobilenet_v1", study="mobilenet", module="mobilenet", input_shape=(224, 224, 3),
        summary={"ko": "MobileNet v1, 논문의 표 1: 3×3 합성곱과 깊이별 분리 합성곱 13개, 폭 배수 alpha",
                 "en": "MobileNet v1, Table 1 of the paper: a 3×3 convolution and 13 depthwise separable ones, width multiplier alpha"},
        options={"padding": PADDINGS},
        oracles=(
            # keras.applications pads as TensorFlow does and keeps Keras's epsilon: our defaults.
            # It ends in a 1x1 convolution of the pooled 1 x 1 map (conv_preds), which pairs
            # with our fully connected layer (cnnguide.oracles).
            Oracle("keras", "keras.applications.MobileNet"),
            # timm pads symmetrically and keeps PyTorch's BatchNorm epsilon.
            Oracle("torch", "timm.mobilenetv1_100", {"padding": "symmetric", "epsilon": 1e-5}),
        ),
    ),
    ModelEntry(
        name="mobilenet_v2", study="mobilenet_v2", module="mobilenet", input_shape=(224, 224, 3),
        summary={"ko": "MobileNet v2, 논문의 표 2: 선형 병목이 있는 역잔차 블록 17개",
                 "en": "MobileNet v2, Table 2 of the paper: 17 inverted residual blocks with linear bottlenecks"},
        options={"padding": PADDINGS},
        oracles=(
            Oracle("keras", "keras.applications.MobileNetV2"),
            Oracle("torch", "torchvision.models.mobilenet_v2", {"padding": "symmetric", "epsilon": 1e-5}),
        ),
    ),
)
