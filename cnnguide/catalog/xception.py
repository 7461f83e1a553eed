"""Xception (Chollet, CVPR 2017): Inception modules taken to the extreme, as depthwise separable
convolutions."""

from __future__ import annotations

from .types import PARAMS, TOP1_ACCURACY, Block, Figure, ModelEntry, Oracle, Paper, Study, measured

_PAPER = Paper(
    authors="F. Chollet",
    title="Xception: Deep Learning with Depthwise Separable Convolutions",
    venue="CVPR", year=2017, url="https://arxiv.org/abs/1610.02357")

STUDIES = (
    Study(
        key="xception",
        model="xception",
        blocks=(Block("xception", "block2_", {"ko": "엔트리 흐름의 모듈 (1×1 투영 스킵 연결, 맥스 풀링)",
                                              "en": "An entry-flow module (1×1 projection shortcut, max pooling)"}),
                Block("xception", "block5_", {"ko": "미들 흐름의 모듈 (항등 스킵 연결, 8번 반복)",
                                              "en": "The middle-flow module (identity shortcut, repeated 8 times)"}),
                Block("xception", "block13_", {"ko": "엑시트 흐름의 모듈", "en": "The exit-flow module"})),
        block_pattern=r"^(block\d+)_",
        name={"ko": "Xception", "en": "Xception"},
        year=2016,
        paper=_PAPER,
        input_shape=(299, 299, 3),
        figures=(
            Figure("params", 22_855_952, PARAMS, "Chollet 2017, Table 3 (parameter count)"),
            # Section 3 counts a separable convolution as one layer; its depthwise and pointwise
            # halves are two rows of the view, so the count is kept as the paper states it and
            # checked against cnnguide.models.xception_configs in tests/test_xception.py.
            Figure("conv_layers", 36, {"ko": "합성곱 층 (특징 추출부)", "en": "convolutional layers (feature extraction base)"},
                   "Chollet 2017, Section 3"),
            measured("top1_accuracy", 0.790, TOP1_ACCURACY,
                     "Chollet 2017, Table 1 (ImageNet validation set, single crop, single model)",
                     {"ko": "ImageNet 검증 세트의 top-1 정확도 (단일 크롭, 단일 모델)",
                      "en": "Top-1 accuracy on the ImageNet validation set (single crop, single model)"}),
        ),
    ),
)

MODELS = (
    ModelEntry(
        name="xception", study="xception", module="xception", input_shape=(299, 299, 3),
        summary={"ko": "Xception, 논문의 그림 5: 엔트리 흐름, 8번 반복하는 미들 흐름, 엑시트 흐름",
                 "en": "Xception, Figure 5 of the paper: entry flow, middle flow repeated 8 times, exit flow"},
        oracles=(
            Oracle("keras", "keras.applications.Xception"),
            # timm's port pads its max poolings symmetrically; TensorFlow's "same" (ours, and
            # keras.applications') pads an even map at the bottom/right only. At 299 x 299 one
            # pooling sees an even map (74 x 74); at 295 x 295 every pooled map is odd, where
            # both rules pad one pixel on each side, so there the two are one network
            # (tests/test_xception.py shows the 299 x 299 difference). timm keeps PyTorch's
            # BatchNorm epsilon.
            Oracle("torch", "timm.legacy_xception", {"epsilon": 1e-5, "input_shape": (295, 295, 3)}),
        ),
    ),
)
