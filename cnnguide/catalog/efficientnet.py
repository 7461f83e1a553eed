"""EfficientNet (Tan and Le, ICML 2019): a searched baseline, B0, and its compound scaling."""

from __future__ import annotations

from ..models.padding import PADDINGS
from .types import MACS, PARAMS, Block, Figure, ModelEntry, Oracle, Paper, Study

_PAPER = Paper(
    authors="M. Tan, Q. V. Le",
    title="EfficientNet: Rethinking Model Scaling for Convolutional Neural Networks",
    venue="ICML (PMLR 97)", year=2019, url="https://arxiv.org/abs/1905.11946")
_SCALING = {"ko": "복합 스케일링 계수", "en": "compound scaling coefficient"}
_SECTION_4 = "Tan and Le 2019, Section 4 (Step 1, grid search at phi = 1)"
# Table 2's B1 ... B7, as printed (two significant digits); models outside the catalog, so these
# are quotes that the page's scaling table (cnnguide.docs.efficientnet) sets beside our builds.
_TABLE_2 = {"b1": (7.8e6, 0.70e9), "b2": (9.2e6, 1.0e9), "b3": (12e6, 1.8e9), "b4": (19e6, 4.2e9),
            "b5": (30e6, 9.9e9), "b6": (43e6, 19e9), "b7": (66e6, 37e9)}
_RELEASED = {"ko": "표 2는 유효숫자 두 자리로 적고, 공개된 모델(저자들의 코드, keras.applications와 "
                   "torchvision이 그대로 따름)은 그 반올림보다 조금 더 벗어나는 경우가 있습니다.",
             "en": "Table 2 prints two significant digits, and the released models (the authors' code, "
                   "which keras.applications and torchvision copy) differ from some of its figures by "
                   "a little more than that rounding."}

STUDIES = (
    Study(
        key="efficientnet",
        model="efficientnet_b0",
        blocks=(Block("efficientnet_b0", "block1a_", {"ko": "MBConv1 (확장 없음, 3×3 깊이별 합성곱, SE)",
                                                      "en": "MBConv1 (no expansion, 3×3 depthwise, SE)"}),
                Block("efficientnet_b0", "block2b_", {"ko": "MBConv6 (항등 스킵 연결)",
                                                      "en": "MBConv6 (identity shortcut)"}),
                Block("efficientnet_b0", "block3a_", {"ko": "크기를 줄이는 MBConv6 (5×5, 스트라이드 2)",
                                                      "en": "Downsampling MBConv6 (5×5, stride 2)"})),
        block_pattern=r"^(block\d+[a-z])_",
        name={"ko": "EfficientNet", "en": "EfficientNet"},
        year=2019,
        paper=_PAPER,
        input_shape=(224, 224, 3),
        figures=(
            Figure("params", 5_300_000, PARAMS, "Tan and Le 2019, Table 2 (EfficientNet-B0)", 0.01,
                   {"ko": "표 2는 10만 단위로 반올림합니다.", "en": "Table 2 rounds to 0.1 million."}),
            Figure("macs", 390_000_000, MACS,
                   "Tan and Le 2019, Table 2 (EfficientNet-B0; \"FLOPs\", counted as multiply-adds)", 0.013,
                   {"ko": "표 2는 10^9 단위 소수 둘째 자리로 반올림합니다(0.005×10^9는 1.3%). 논문의 "
                          "\"FLOPs\"는 곱셈-누산의 수입니다.",
                    "en": "Table 2 rounds to two decimals of 10^9 (0.005×10^9 is 1.3%). The paper's "
                          "\"FLOPs\" count multiply-adds."}),
            # Section 3.3's constants, checked against cnnguide.models.efficientnet_configs.
            Figure("alpha", 1.2, _SCALING, _SECTION_4),
            Figure("beta", 1.1, _SCALING, _SECTION_4),
            Figure("gamma", 1.15, _SCALING, _SECTION_4),
            *(Figure(f"{variant}_{measure}", value, unit,
                     f"Tan and Le 2019, Table 2 (EfficientNet-{variant.upper()})", tolerance, _RELEASED)
              for variant, figures in _TABLE_2.items()
              for measure, value, unit, tolerance in zip(("params", "macs"), figures, (PARAMS, MACS), (0.02, 0.05))),
        ),
    ),
)

MODELS = (
    ModelEntry(
        name="efficientnet_b0", study="efficientnet", module="efficientnet", input_shape=(224, 224, 3),
        summary={"ko": "EfficientNet-B0, 논문의 표 1: MBConv1/MBConv6 단계, SE, swish",
                 "en": "EfficientNet-B0, Table 1 of the paper: MBConv1/MBConv6 stages, SE, swish"},
        options={"padding": PADDINGS},
        oracles=(
            # keras.applications pads as TensorFlow does and keeps Keras's epsilon: our defaults.
            # Its model also rescales and normalizes its input; ours does not (the model file).
            Oracle("keras", "keras.applications.EfficientNetB0"),
            # torchvision pads symmetrically and keeps PyTorch's BatchNorm epsilon.
            Oracle("torch", "torchvision.models.efficientnet_b0", {"padding": "symmetric", "epsilon": 1e-5}),
        ),
    ),
)
