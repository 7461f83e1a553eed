"""The catalog: one entry per case study, and one per model that cnnguide can build.

A *study* is a chapter of the site (LeNet-5, AlexNet, ...): its names in Korean and English, its
year, the paper, and the figures the paper (or another source) states, each with its source, so
a page can set our computed numbers beside them. A *model* is one buildable network; its name
is the one string that identifies it everywhere (``cnnguide.build(name)``, the CLI, the docs and
the tests), as in timm's registry. Both builders of a model have the same function name in
``cnnguide/models/keras/<module>.py`` and ``cnnguide/models/torch/<module>.py``.

Nothing here imports a framework.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

from .errors import UnknownModelError

Text = Mapping[str, str]  # {"ko": ..., "en": ...}


@dataclass(frozen=True)
class Paper:
    authors: str
    title: str
    venue: str
    year: int
    url: str

    def cite(self) -> str:
        return f'{self.authors}, "{self.title}", {self.venue}, {self.year}.'


@dataclass(frozen=True)
class Figure:
    """A number stated by a source (a paper, a library), kept with where it comes from.

    ``tolerance`` is relative: 0 means our computation must reproduce it exactly, 0.01 means
    within 1 % (the paper rounds), and ``None`` means it is not comparable with anything we
    compute (a different architecture, a measured accuracy); ``why`` says which and why.
    """

    key: str
    value: float
    unit: Text
    source: str
    tolerance: float | None = 0.0
    why: Text = field(default_factory=dict)


@dataclass(frozen=True)
class Study:
    key: str
    name: Text
    year: int
    paper: Paper
    input_shape: tuple[int, int, int]
    figures: tuple[Figure, ...] = ()

    def figure(self, key: str) -> Figure:
        for fig in self.figures:
            if fig.key == key:
                return fig
        raise UnknownModelError(key, [f.key for f in self.figures], what=f"{self.key} figure")

    @property
    def models(self) -> list["ModelEntry"]:
        return [m for m in MODELS.values() if m.study == self.key]


@dataclass(frozen=True)
class ModelEntry:
    """One buildable network: where its builders live and what they accept."""

    name: str
    study: str
    module: str
    input_shape: tuple[int, int, int]
    summary: Text
    options: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def builder(self) -> str:
        return self.name


LENET_PAPER = Paper(
    authors="Y. LeCun, L. Bottou, Y. Bengio, P. Haffner",
    title="Gradient-Based Learning Applied to Document Recognition",
    venue="Proceedings of the IEEE 86(11), pp. 2278-2324",
    year=1998,
    url="https://doi.org/10.1109/5.726791",
)
_LENET_SRC = "LeCun et al. 1998, Section II.B (LeNet-5)"
_PARAMS = {"ko": "학습 가능한 파라미터", "en": "trainable parameters"}
_CONN = {"ko": "연결", "en": "connections"}
_MACS = {"ko": "곱셈-누산(MAC)", "en": "multiply-accumulates (MACs)"}

STUDIES: dict[str, Study] = {
    "lenet5": Study(
        key="lenet5",
        name={"ko": "LeNet-5", "en": "LeNet-5"},
        year=1998,
        paper=LENET_PAPER,
        input_shape=(32, 32, 1),
        figures=(
            # Per-layer figures of Section II.B. C1, C5 and F6 are ordinary layers, so our
            # modern LeNet-5 must reproduce them exactly; S2/C3/S4 differ by design (trainable
            # subsampling, C3's partial connection table), and the output is an RBF layer.
            Figure("C1.params", 156, _PARAMS, _LENET_SRC),
            Figure("S2.params", 12, _PARAMS, _LENET_SRC, None,
                   {"ko": "S2는 맵마다 학습되는 계수 하나와 편향 하나를 둡니다.",
                    "en": "S2 has one trainable coefficient and one bias per map."}),
            Figure("C3.params", 1516, _PARAMS, _LENET_SRC, None,
                   {"ko": "C3는 표 I의 부분 연결만 씁니다.",
                    "en": "C3 uses only the partial connections of Table I."}),
            Figure("S4.params", 32, _PARAMS, _LENET_SRC, None,
                   {"ko": "S4도 맵마다 계수와 편향을 학습합니다.",
                    "en": "S4 also learns a coefficient and a bias per map."}),
            Figure("C5.params", 48120, _PARAMS, _LENET_SRC),
            Figure("F6.params", 10164, _PARAMS, _LENET_SRC),
            Figure("output.params", 0, _PARAMS, _LENET_SRC, None,
                   {"ko": "출력층은 고정된 가중치의 RBF 유닛 10개입니다.",
                    "en": "The output layer is 10 RBF units with fixed weights."}),
            Figure("params", 60000, _PARAMS, _LENET_SRC, None,
                   {"ko": "부분 연결된 C3, 학습되는 서브샘플링, RBF 출력 때문에 현대식 구현과 다릅니다.",
                    "en": "Differs from the modern form by C3's partial connections, the trainable "
                          "subsampling and the RBF output."}),
            Figure("connections", 340908, _CONN, _LENET_SRC, None,
                   {"ko": "연결 수는 편향과 서브샘플링까지 셉니다. 곱셈-누산(MAC)과 다른 단위입니다.",
                    "en": "Connections count biases and subsampling too: a different unit from "
                          "multiply-accumulates (MACs)."}),
            Figure("mnist_test_error", 0.0095, {"ko": "MNIST 테스트 오류율", "en": "MNIST test error"},
                   "LeCun et al. 1998, Section III.C", None,
                   {"ko": "학습된 모델의 측정값입니다. 구조에서 계산할 수 없습니다.",
                    "en": "A measured result of a trained model, not computable from the architecture."}),
        ),
    ),
    "googlenet": Study(
        key="googlenet",
        name={"ko": "GoogLeNet / 인셉션", "en": "GoogLeNet / Inception"},
        year=2014,
        paper=Paper(
            authors="C. Szegedy, W. Liu, Y. Jia, P. Sermanet, S. Reed, D. Anguelov, D. Erhan, "
                    "V. Vanhoucke, A. Rabinovich",
            title="Going Deeper with Convolutions", venue="CVPR", year=2015,
            url="https://arxiv.org/abs/1409.4842"),
        input_shape=(224, 224, 3),
        figures=(
            Figure("googlenet.params", 6_800_000, _PARAMS, "Szegedy et al. 2015, Table 1 (sum of the params column)",
                   0.05, {"ko": "표 1의 층별 값은 천 단위로 반올림되어 있고, 합계는 그 값들의 합입니다.",
                          "en": "Table 1 rounds each row to thousands; the total is the sum of those rows."}),
            Figure("googlenet.macs", 1_500_000_000, _MACS, "Szegedy et al. 2015, Section 5",
                   0.1, {"ko": "논문은 \"약 15억\" 곱셈-덧셈이라고만 적습니다.",
                         "en": "The paper says only \"about 1.5 billion\" multiply-adds."}),
            Figure("googlenet.top5_error", 0.0667, {"ko": "top-5 오류율", "en": "top-5 error"},
                   "Szegedy et al. 2015, Section 7 (ILSVRC 2014 submission)", None,
                   {"ko": "7개 모델 앙상블과 다중 크롭의 측정값입니다.",
                    "en": "Measured with an ensemble of 7 models and many crops."}),
        ),
    ),
    "resnet": Study(
        key="resnet",
        name={"ko": "ResNet", "en": "ResNet"},
        year=2015,
        paper=Paper(
            authors="K. He, X. Zhang, S. Ren, J. Sun",
            title="Deep Residual Learning for Image Recognition", venue="CVPR", year=2016,
            url="https://arxiv.org/abs/1512.03385"),
        input_shape=(224, 224, 3),
        figures=tuple(
            Figure(f"resnet{depth}.macs", macs, _MACS, "He et al. 2016, Table 1 (FLOPs, stated as multiply-adds)",
                   0.03, {"ko": "논문은 10^9 단위 소수 첫째 자리로 반올림합니다.",
                          "en": "The paper rounds to one decimal of 10^9."})
            for depth, macs in ((18, 1.8e9), (34, 3.6e9), (50, 3.8e9), (101, 7.6e9), (152, 11.3e9))
        ) + (
            Figure("resnet.top5_error", 0.0357, {"ko": "top-5 오류율", "en": "top-5 error"},
                   "He et al. 2016, Table 5 (ILSVRC 2015 test set, ensemble)", None,
                   {"ko": "앙상블의 측정값입니다.", "en": "Measured with an ensemble."}),
        ),
    ),
}

_LENET_OPTIONS = {"activation": ("tanh", "relu"), "pooling": ("average", "max")}

MODELS: dict[str, ModelEntry] = {
    m.name: m
    for m in (
        ModelEntry(
            name="lenet5",
            study="lenet5",
            module="lenet",
            input_shape=(32, 32, 1),
            summary={"ko": "현대식 LeNet-5: 32x32x1 입력, 5x5 C5, tanh, 평균 풀링, softmax 출력",
                     "en": "The modern LeNet-5: 32x32x1 input, 5x5 C5, tanh, average pooling, softmax output"},
            options=_LENET_OPTIONS,
        ),
        ModelEntry(
            name="lenet5_post",
            study="lenet5",
            module="lenet",
            input_shape=(28, 28, 1),
            summary={"ko": "원문 글의 코드 그대로: 28x28x1 입력, 1x1 C5",
                     "en": "The source post's code as written: 28x28x1 input, 1x1 C5"},
            options=_LENET_OPTIONS,
        ),
        ModelEntry(
            name="inception_naive", study="googlenet", module="inception", input_shape=(224, 224, 3),
            summary={"ko": "원문 글의 나이브 인셉션 모듈: 1x1, 3x3, 5x5, 풀링 -> 1x1을 이어 붙임",
                     "en": "The source post's naive Inception module: 1x1, 3x3, 5x5, pool -> 1x1, concatenated"},
        ),
        ModelEntry(
            name="inception_module", study="googlenet", module="inception", input_shape=(28, 28, 192),
            summary={"ko": "1x1 병목이 있는 인셉션 모듈 (GoogLeNet의 3a)",
                     "en": "The Inception module with 1x1 bottlenecks (GoogLeNet's 3a)"},
        ),
        ModelEntry(
            name="googlenet", study="googlenet", module="inception", input_shape=(224, 224, 3),
            summary={"ko": "GoogLeNet (인셉션 v1), 논문의 표 1", "en": "GoogLeNet (Inception v1), Table 1 of the paper"},
            options={"variant": ("paper", "torchvision"), "aux_logits": ("False", "True")},
        ),
        *(
            ModelEntry(
                name=f"resnet{depth}", study="resnet", module="resnet", input_shape=(224, 224, 3),
                summary={"ko": f"ResNet-{depth}, 논문의 표 1", "en": f"ResNet-{depth}, Table 1 of the paper"},
                options={"version": ("v1", "v1.5")},
            )
            for depth in (18, 34, 50, 101, 152)
        ),
        ModelEntry(
            name="resnet50_post", study="resnet", module="resnet", input_shape=(224, 224, 3),
            summary={"ko": "원문 글의 구성: 고정된 ResNet50 + Flatten + Dense 4096 + Dense 1000",
                     "en": "The source post's construction: frozen ResNet50 + Flatten + Dense 4096 + Dense 1000"},
        ),
    )
}


def study(key: str) -> Study:
    """The case study called ``key`` (e.g. ``"lenet5"``)."""
    try:
        return STUDIES[key]
    except (KeyError, TypeError):
        raise UnknownModelError(key, sorted(STUDIES), what="case study") from None


def model(name: str) -> ModelEntry:
    """The model called ``name`` (e.g. ``"lenet5_post"``)."""
    try:
        return MODELS[name]
    except (KeyError, TypeError):
        raise UnknownModelError(name, sorted(MODELS)) from None


def names() -> list[str]:
    """Every buildable model name, in catalog order."""
    return list(MODELS)
