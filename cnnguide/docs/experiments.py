"""The experiments page: the saved results of :mod:`cnnguide.experiments`, as tables, charts and
verdicts, in the page's language.

Nothing here trains: every number comes from ``cnnguide/experiments/results/*.json``, read
through :func:`cnnguide.experiments.results.load`, which fails the build when a result is stale
or missing. The verdicts are computed, never typed: each states what the numbers show, including
when they do not support the post's claim or when this scale cannot decide.
"""

from __future__ import annotations

import math
from statistics import mean, stdev

from ..errors import CnnguideError
from ..experiments.definitions import DEPTH_N, EXPERIMENTS, WIDTHS
from ..experiments.results import load
from ..frameworks import FRAMEWORKS
from ..render import charts
from ..render.tables import markdown_table
from .context import language, pick, t

FRAMEWORK_NAMES = {"keras": "Keras", "torch": "PyTorch"}
ARMS = {  # what each arm is, in words
    "tanh-average": {"ko": "tanh + 평균 풀링 (1998년 형태)", "en": "tanh + average pooling (as in 1998)"},
    "tanh-max": {"ko": "tanh + 최대 풀링", "en": "tanh + max pooling"},
    "relu-average": {"ko": "ReLU + 평균 풀링", "en": "ReLU + average pooling"},
    "relu-max": {"ko": "ReLU + 최대 풀링 (현대적 형태)", "en": "ReLU + max pooling (modern)"},
    "sigmoid": {"ko": "시그모이드 (Glorot 초기화)", "en": "sigmoid (Glorot initialisation)"},
    "tanh": {"ko": "tanh (Glorot 초기화)", "en": "tanh (Glorot initialisation)"},
    "relu": {"ko": "ReLU (He 초기화)", "en": "ReLU (He initialisation)"},
    "dropout-0": {"ko": "드롭아웃 없음", "en": "no dropout"},
    "dropout-0.5": {"ko": "드롭아웃 0.5", "en": "dropout 0.5"},
}


def _results(name: str) -> dict[str, dict]:
    return {fw: load(name, fw) for fw in FRAMEWORKS}


def _check(name: str, claims: dict[str, bool]) -> None:
    """What the page's prose says about experiment ``name``, checked in both frameworks: the
    build fails when a new result stops supporting it."""
    broken = [claim for claim, holds in claims.items() if not holds]
    if broken:
        raise CnnguideError(f"The experiments page says what the {name!r} results no longer show: "
                            f"{'; '.join(broken)}. Rewrite that prose, or the experiment.")


def _runs(record: dict, arm: str) -> list[dict]:
    return [run for run in record["runs"] if run["arm"] == arm]


def _final(record: dict, arm: str, metric: str) -> list[float]:
    """``metric`` after the last epoch, one value per seed."""
    return [run["epochs"][-1][metric] for run in _runs(record, arm)]


def _curve(record: dict, arm: str, metric: str) -> tuple[float, ...]:
    """``metric`` after each epoch, averaged over the seeds."""
    runs = _runs(record, arm)
    return tuple(mean(run["epochs"][e][metric] for run in runs) for e in range(len(runs[0]["epochs"])))


def _spread(values: list[float], percent: bool) -> str:
    scale = 100 if percent else 1
    text = f"{scale * mean(values):.1f}" if percent else f"{mean(values):.3f}"
    if len(values) > 1:
        text += f" ± {scale * stdev(values):.1f}" if percent else f" ± {stdev(values):.3f}"
    return text


def _standard_error(a: list[float], b: list[float]) -> float:
    return math.sqrt(stdev(a) ** 2 / len(a) + stdev(b) ** 2 / len(b)) if len(a) > 1 and len(b) > 1 else 0.0


def _per_epoch(record: dict, arm: str, metric: str, label: str, color: int, dashed: bool = False) -> charts.Series:
    """``metric`` of ``arm`` per epoch (mean over seeds), accuracies in percent, as a chart's line."""
    curve = _curve(record, arm, metric)
    scale = 100 if metric.endswith("accuracy") else 1
    return charts.Series(label, tuple(range(1, len(curve) + 1)), tuple(scale * v for v in curve), color=color,
                         dashed=dashed)


def _figure(key: str, panels: list[charts.Panel], *, alt: dict, caption: dict, **axes) -> str:
    """The chart, drawn once per language and data: matplotlib takes seconds a chart, and a warm
    build must not pay them again (the cache key holds every plotted value and word)."""
    from ..cache import cached

    name = f"experiment-{key}-{language()}"
    draw = lambda: charts.figure(name, panels, draw=charts.lines, alt=pick(alt), caption=pick(caption), **axes)
    return cached("experiment_chart", [name, repr(panels), pick(alt), pick(caption), sorted(axes.items())], (), draw)


def _panels(found: dict[str, dict], series) -> list[charts.Panel]:
    return [charts.Panel(FRAMEWORK_NAMES[fw], tuple(series(record))) for fw, record in found.items()]


# --- set-up, shared by the four experiments -----------------------------------------------------

def _check_counts() -> None:
    """The sizes the prose names in words ("five seeds", "fifty digits of each class"), checked
    against the definitions, as :func:`_check` checks what it says of the results."""
    e = EXPERIMENTS
    activation_depth = {6 * dict(a.options)["n"] + 2 for a in e["activations"].arms}
    _check("definitions", {
        "LeNet-5: five seeds, four thousand training digits":
            len(e["lenet5"].seeds) == 5 and 10 * e["lenet5"].train_per_class == 4000,
        "depth: half the paper's widths, three epochs, two seeds":
            tuple(2 * w for w in WIDTHS) == (16, 32, 64) and e["depth"].epochs == 3 and len(e["depth"].seeds) == 2,
        "activations: a twenty-layer plain network": activation_depth == {20},
        "dropout: fifty digits of each class, five hundred in all": e["dropout"].train_per_class == 50,
    })


def setup(name: str) -> str:
    """What the experiment trains, on what, for how long, and how long it took on this machine."""
    _check_counts()
    experiment = EXPERIMENTS[name]
    found = _results(name)
    arms = ", ".join(pick(ARMS[a.label]) if a.label in ARMS else f"`{a.label}`" for a in experiment.arms)
    size = f"{experiment.size}×{experiment.size}"
    rows = [
        [t("비교하는 네트워크", "Networks compared"), arms],
        [t("훈련 이미지", "Training images"), t(f"클래스마다 {experiment.train_per_class}개, 모두 {10 * experiment.train_per_class:,}개",
                                              f"{experiment.train_per_class} per class, {10 * experiment.train_per_class:,} in all")],
        [t("검증(held-out) 이미지", "Held-out images"), t("클래스마다 100개, 모두 1,000개", "100 per class, 1,000 in all")],
        [t("입력 크기", "Input size"), size],
        [t("훈련", "Training"), t(f"SGD, 모멘텀 {experiment.momentum}, 학습률 {experiment.learning_rate}, "
                                 f"배치 {experiment.batch}, {experiment.epochs} 에포크(epoch)",
                                 f"SGD, momentum {experiment.momentum}, learning rate {experiment.learning_rate}, "
                                 f"batch {experiment.batch}, {experiment.epochs} epochs")],
        [t("시드(seed)", "Seeds"), t(f"{len(experiment.seeds)}개: 네트워크마다 {', '.join(map(str, experiment.seeds))}",
                                     f"{len(experiment.seeds)}: {', '.join(map(str, experiment.seeds))} for each network")],
        [t("이 기계(CPU 코어 2개)에서 걸린 시간", "Time on this machine (2 CPU cores)"),
         ", ".join(t(f"{FRAMEWORK_NAMES[fw]} {record['seconds']:.0f}초", f"{FRAMEWORK_NAMES[fw]} {record['seconds']:.0f} s")
                   for fw, record in found.items())],
        [t("다시 실행하는 명령", "Command that reruns it"), f"`cnnguide experiment run {name}`"],
    ]
    return markdown_table([t("항목", "Item"), t("값", "Value")], rows, "ll")


# --- 1. LeNet-5: tanh and average pooling against ReLU and max pooling -------------------------------

def lenet5_table() -> str:
    found = _results("lenet5")
    heads = [t("네트워크", "Network")]
    for fw in found:
        heads += [t(f"{FRAMEWORK_NAMES[fw]} 검증 정확도 (%)", f"{FRAMEWORK_NAMES[fw]} held-out accuracy (%)"),
                  t(f"{FRAMEWORK_NAMES[fw]} 훈련 손실", f"{FRAMEWORK_NAMES[fw]} training loss")]
    rows = [[pick(ARMS[arm.label])] + [cell for record in found.values() for cell in
                                        (_spread(_final(record, arm.label, "test_accuracy"), True),
                                         _spread(_final(record, arm.label, "train_loss"), False))]
            for arm in EXPERIMENTS["lenet5"].arms]
    return markdown_table(heads, rows, "lrrrr") + t(
        "\n\n마지막 에포크 뒤의 값이며, 시드 다섯 개의 평균 ± 표준편차입니다.",
        "\n\nAfter the last epoch: the mean ± the standard deviation over the five seeds.")


def lenet5_chart() -> str:
    found = _results("lenet5")
    arms = [arm.label for arm in EXPERIMENTS["lenet5"].arms]
    series = lambda record: [_per_epoch(record, a, "test_accuracy", pick(ARMS[a]), i) for i, a in enumerate(arms)]
    return _figure("lenet5", _panels(found, series), xlabel=t("에포크", "Epoch"), ylabel=t("검증 정확도 (%)", "Held-out accuracy (%)"),
                   alt={"ko": "LeNet-5 네 형태의 에포크별 검증 정확도(시드 평균), 왼쪽 Keras, 오른쪽 PyTorch. 값은 위 표에 있습니다.",
                        "en": "Held-out accuracy per epoch of the four LeNet-5 forms (mean over seeds), Keras left, PyTorch "
                              "right. The table above holds the final values."},
                   caption={"ko": "그림 1. LeNet-5 네 형태의 검증 정확도", "en": "Chart 1. Held-out accuracy of the four LeNet-5 forms"})


def lenet5_verdict() -> str:
    """Does ReLU with max pooling beat the 1998 form by more than the seeds' noise, and which
    single change does more?"""
    found = _results("lenet5")
    finals = {(fw, a.label): mean(_final(r, a.label, "test_accuracy")) for fw, r in found.items()
              for a in EXPERIMENTS["lenet5"].arms}
    gains = {fw: {arm: finals[fw, arm] - finals[fw, "tanh-average"] for arm in ("tanh-max", "relu-average")}
             for fw in found}
    _check("lenet5", {
        "every form ends in the mid-nineties": all(0.93 <= v <= 0.98 for v in finals.values()),
        "the forms differ by a point or two at most": all(
            max(v for (f, _), v in finals.items() if f == fw) - min(v for (f, _), v in finals.items() if f == fw) < 0.03
            for fw in found),
        "max pooling alone does more than ReLU alone": all(g["tanh-max"] > g["relu-average"] for g in gains.values()),
        "tanh with max pooling is the best form, above the modern one": all(
            max((a.label for a in EXPERIMENTS["lenet5"].arms), key=lambda arm: finals[fw, arm]) == "tanh-max"
            for fw in found),
    })
    sentences = []
    for fw, record in found.items():
        old, new = _final(record, "tanh-average", "test_accuracy"), _final(record, "relu-max", "test_accuracy")
        gain, error = 100 * (mean(new) - mean(old)), 100 * _standard_error(new, old)
        pool = mean(_final(record, "tanh-max", "test_accuracy")) - mean(old)
        relu = mean(_final(record, "relu-average", "test_accuracy")) - mean(old)
        if gain > 2 * error:
            verdict = t("두 배의 표준오차보다 크므로 주장을 뒷받침합니다", "more than twice its standard error: it supports the claim")
        elif gain < -2 * error:
            verdict = t("두 배의 표준오차보다 크게 낮으므로 주장과 반대입니다", "below zero by more than twice its standard error: it contradicts the claim")
        else:
            verdict = t("두 배의 표준오차 안이므로 이 규모에서는 판단할 수 없습니다", "within twice its standard error: this scale cannot decide")
        better = t("최대 풀링", "max pooling") if pool > relu else "ReLU"
        sentences.append(t(
            f"**{FRAMEWORK_NAMES[fw]}**: 현대적 형태와 1998년 형태의 검증 정확도 차이는 {gain:+.2f}%p입니다"
            f"(표준오차 {error:.2f}%p). {verdict}. 한 가지만 바꾸면 {better} 쪽의 효과가 더 큽니다"
            f"(최대 풀링만 {100 * pool:+.2f}%p, ReLU만 {100 * relu:+.2f}%p).",
            f"**{FRAMEWORK_NAMES[fw]}**: the modern form's held-out accuracy differs from the 1998 form's by "
            f"{gain:+.2f} points (standard error {error:.2f} points), {verdict}. Of the single changes, {better} does more "
            f"(max pooling alone {100 * pool:+.2f} points, ReLU alone {100 * relu:+.2f})."))
    return "\n\n".join(sentences)


# --- 2. depth: plain against residual ---------------------------------------------------------------

def _depth_losses(record: dict, kind: str) -> list[float]:
    """Final training loss (mean over seeds) of the ``kind`` ("plain", "resnet") nets, shallow first."""
    return [mean(_final(record, f"{kind}{6 * n + 2}", "train_loss")) for n in DEPTH_N]


DEPTH_KINDS = {"plain": {"ko": "평범한 네트워크", "en": "plain"}, "resnet": {"ko": "잔차 네트워크", "en": "residual"}}


def depth_table() -> str:
    found = _results("depth")
    heads = [t("가중치 층", "Weighted layers")]
    for fw in found:
        for kind in DEPTH_KINDS:
            heads.append(t(f"{FRAMEWORK_NAMES[fw]} {pick(DEPTH_KINDS[kind])}: 훈련 손실 / 검증 정확도 (%)",
                           f"{FRAMEWORK_NAMES[fw]} {pick(DEPTH_KINDS[kind])}: training loss / held-out accuracy (%)"))
    rows = []
    for n in DEPTH_N:
        row = [str(6 * n + 2)]
        for record in found.values():
            for kind in DEPTH_KINDS:
                arm = f"{kind}{6 * n + 2}"
                row.append(f"{_spread(_final(record, arm, 'train_loss'), False)} / "
                           f"{_spread(_final(record, arm, 'test_accuracy'), True)}")
        rows.append(row)
    seeds = len(EXPERIMENTS["depth"].seeds)
    return markdown_table(heads, rows, "r" + "r" * (len(heads) - 1)) + t(
        f"\n\n마지막 에포크 뒤의 값이며, 시드 {seeds}개의 평균 ± 표준편차입니다. 훈련 손실은 그 에포크 동안의 평균입니다.",
        f"\n\nAfter the last epoch: the mean ± the standard deviation over {seeds} seeds. The training loss is the "
        "mean over that epoch's steps.")


def depth_chart() -> str:
    found = _results("depth")
    depths = tuple(6 * n + 2 for n in DEPTH_N)
    series = lambda record: [charts.Series(pick(DEPTH_KINDS[kind]), depths, tuple(_depth_losses(record, kind)), color=i)
                             for i, kind in enumerate(DEPTH_KINDS)]
    return _figure("depth", _panels(found, series), xlabel=t("가중치 층의 수", "Weighted layers"),
                   ylabel=t("마지막 에포크의 훈련 손실", "Training loss, last epoch"),
                   alt={"ko": "깊이에 따른 평범한 네트워크와 잔차 네트워크의 마지막 훈련 손실, 왼쪽 Keras, 오른쪽 PyTorch. 값은 위 표에 있습니다.",
                        "en": "Final training loss against depth for plain and residual networks, Keras left, PyTorch "
                              "right. The table above holds the values."},
                   caption={"ko": "그림 2. 깊이에 따른 훈련 손실", "en": "Chart 2. Training loss against depth"})


def depth_verdict() -> str:
    found = _results("depth")
    plain = {fw: _depth_losses(r, "plain") for fw, r in found.items()}
    residual = {fw: _depth_losses(r, "resnet") for fw, r in found.items()}
    _check("depth", {
        "the middle plain network still trains better than the shallowest":
            all(plain[fw][1] < plain[fw][0] for fw in found),
        "the deepest plain network trains worse than both shallower ones":
            all(plain[fw][2] > max(plain[fw][:2]) for fw in found),
        "the residual networks train better the deeper they are":
            all(residual[fw][0] > residual[fw][1] > residual[fw][2] for fw in found),
    })
    sentences = []
    for fw, record in found.items():
        plain, residual = _depth_losses(record, "plain"), _depth_losses(record, "resnet")
        shallow, deep = DEPTH_N[0] * 6 + 2, DEPTH_N[-1] * 6 + 2
        degrades = plain[-1] > plain[0]
        if degrades:
            first = t(f"가장 깊은 평범한 네트워크({deep}층)의 훈련 손실({plain[-1]:.3f})이 가장 얕은 것({shallow}층, "
                      f"{plain[0]:.3f})보다 높습니다. 층을 더했는데 훈련이 나빠졌으니 성능 저하(degradation)가 나타납니다",
                      f"the deepest plain network ({deep} layers) ends with a higher training loss ({plain[-1]:.3f}) than "
                      f"the shallowest ({shallow} layers, {plain[0]:.3f}): adding layers made training worse, which is "
                      "the degradation problem")
        else:
            first = t(f"가장 깊은 평범한 네트워크({deep}층)의 훈련 손실({plain[-1]:.3f})이 가장 얕은 것({shallow}층, "
                      f"{plain[0]:.3f})보다 높지 않습니다. 이 깊이와 이 훈련 길이에서는 성능 저하가 보이지 않습니다",
                      f"the deepest plain network ({deep} layers) does not end with a higher training loss "
                      f"({plain[-1]:.3f}) than the shallowest ({shallow} layers, {plain[0]:.3f}): at these depths and "
                      "this length of training the degradation problem does not show")
        if residual[-1] < plain[-1]:
            second = t(f"같은 깊이의 잔차 네트워크는 {residual[-1]:.3f}로 평범한 네트워크보다 낮습니다",
                       f"the residual network of the same depth reaches {residual[-1]:.3f}, lower than the plain one")
        else:
            second = t(f"같은 깊이의 잔차 네트워크는 {residual[-1]:.3f}로 평범한 네트워크보다 낮지 않습니다",
                       f"the residual network of the same depth reaches {residual[-1]:.3f}, no lower than the plain one")
        sentences.append(t(f"**{FRAMEWORK_NAMES[fw]}**: {first}. {second}.", f"**{FRAMEWORK_NAMES[fw]}**: {first}; {second}."))
    return "\n\n".join(sentences)


# --- 3. activations: gradients through a deep plain network -----------------------------------------

ACTIVATION_ARMS = ("sigmoid", "tanh", "relu")
ACTIVATION_NAMES = {"sigmoid": {"ko": "시그모이드", "en": "Sigmoid"}, "tanh": {"ko": "tanh", "en": "tanh"},
                    "relu": {"ko": "ReLU", "en": "ReLU"}}


def _gradient_ratio(run: dict, when: str) -> float:
    """How much less gradient the first weighted layer receives than the last."""
    norms = run[f"gradients_{when}"]
    return norms[0] / norms[-1] if norms[-1] else float("nan")


def activations_table() -> str:
    found = _results("activations")
    heads = [t("활성화 함수", "Activation")]
    for fw in found:
        heads += [t(f"{FRAMEWORK_NAMES[fw]} 첫 층 / 마지막 층 기울기 (훈련 전)", f"{FRAMEWORK_NAMES[fw]} first / last layer gradient (before training)"),
                  t(f"{FRAMEWORK_NAMES[fw]} 훈련 손실 / 검증 정확도 (%)", f"{FRAMEWORK_NAMES[fw]} training loss / held-out accuracy (%)")]
    rows = []
    for arm in ACTIVATION_ARMS:
        row = [pick(ARMS[arm])]
        for record in found.values():
            run = _runs(record, arm)[0]
            row += [f"{_gradient_ratio(run, 'before'):.2g}",
                    f"{run['epochs'][-1]['train_loss']:.3f} / {100 * run['epochs'][-1]['test_accuracy']:.1f}"]
        rows.append(row)
    return markdown_table(heads, rows, "lrrrr") + t(
        "\n\n기울기 비는 훈련 이미지 250개로 된 고정 배치에서 잰 첫 합성곱 층과 마지막 완전 연결 층의 커널 기울기 노름의 비입니다. "
        "1보다 훨씬 작으면 입력 쪽 층이 거의 배우지 못합니다.",
        "\n\nThe gradient ratio is the norm of the first convolution's kernel gradient over the last (fully "
        "connected) layer's, on a fixed batch of 250 training images. Far below 1, the layers near the input "
        "hardly learn.")


def activations_chart() -> str:
    found = _results("activations")

    def series(record: dict) -> list[charts.Series]:
        drawn = []
        for i, arm in enumerate(ACTIVATION_ARMS):
            run = _runs(record, arm)[0]
            layers = tuple(range(1, len(run["gradients_before"]) + 1))
            drawn.append(charts.Series(t(f"{pick(ACTIVATION_NAMES[arm])}, 훈련 전", f"{pick(ACTIVATION_NAMES[arm])}, before training"), layers,
                                       tuple(run["gradients_before"]), color=i))
        return drawn

    return _figure("activations", _panels(found, series), logy=True,
                   xlabel=t("가중치 층 (입력 쪽부터)", "Weighted layer (from the input)"),
                   ylabel=t("커널 기울기 노름 (로그 축)", "Kernel gradient norm (log scale)"),
                   alt={"ko": "훈련 전 층별 기울기 노름: 시그모이드는 입력 쪽으로 갈수록 몇 자릿수 작아지고 tanh와 ReLU는 비슷한 크기를 유지합니다. "
                              "왼쪽 Keras, 오른쪽 PyTorch. 비는 위 표에 있습니다.",
                        "en": "Gradient norm per layer before training, Keras left, PyTorch right. The table above holds "
                              "the ratio of the first layer's to the last."},
                   caption={"ko": "그림 3. 훈련 전 층별 기울기 노름", "en": "Chart 3. Gradient norm per layer before training"})


def activations_verdict() -> str:
    found = _results("activations")
    final = {(fw, arm): _runs(r, arm)[0]["epochs"][-1] for fw, r in found.items() for arm in ACTIVATION_ARMS}
    ratio = {(fw, arm): _gradient_ratio(_runs(r, arm)[0], "before") for fw, r in found.items() for arm in ACTIVATION_ARMS}
    _check("activations", {
        "sigmoid's first layer gets many orders of magnitude less gradient than its last":
            all(ratio[fw, "sigmoid"] < 1e-6 for fw in found),
        "the sigmoid network never leaves chance": all(final[fw, "sigmoid"]["test_accuracy"] <= 0.11 for fw in found),
        "ReLU's and tanh's first layers get about the gradient of their last":
            all(0.1 <= ratio[fw, arm] <= 10 for fw in found for arm in ("relu", "tanh")),
        "in these few epochs tanh trained faster than ReLU":
            all(final[fw, "tanh"]["train_loss"] < final[fw, "relu"]["train_loss"] for fw in found),
        "the sigmoid and tanh runs end alike in both frameworks, the ReLU runs apart":
            all(abs(final["keras", a]["train_loss"] - final["torch", a]["train_loss"]) < 1e-3 for a in ("sigmoid", "tanh"))
            and abs(final["keras", "relu"]["train_loss"] - final["torch", "relu"]["train_loss"]) > 0.1,
    })
    sentences = []
    for fw, record in found.items():
        ratios = {arm: _gradient_ratio(_runs(record, arm)[0], "before") for arm in ACTIVATION_ARMS}
        learned = [arm for arm in ACTIVATION_ARMS if _runs(record, arm)[0]["epochs"][-1]["test_accuracy"] > 0.2]
        weakest = min(ratios, key=ratios.get)
        names = [pick(ACTIVATION_NAMES[arm]) for arm in learned]
        learned_words = t("와 ".join(names) if len(names) == 2 else ", ".join(names),
                          " and ".join(names) if len(names) == 2 else ", ".join(names))
        if learned:
            after = t(f"훈련 뒤 우연 수준(10%)을 확실히 넘은(검증 정확도 20% 초과) 네트워크는 {learned_words}입니다.",
                      f"After training, {learned_words} are clearly above chance (over 20% held-out accuracy, "
                      "where guessing gives 10%).")
        else:
            after = t("훈련 뒤 우연 수준(10%)을 확실히 넘은 네트워크는 없습니다.",
                      "After training, no network is clearly above chance (10%).")
        sentences.append(t(
            f"**{FRAMEWORK_NAMES[fw]}**: 훈련 전, 마지막 층에 비해 첫 층이 받는 기울기가 가장 작은 것은 "
            f"{pick(ACTIVATION_NAMES[weakest])}입니다({ratios[weakest]:.2g}배). {after}",
            f"**{FRAMEWORK_NAMES[fw]}**: before training, the {pick(ACTIVATION_NAMES[weakest])} network's first "
            f"layer receives the least gradient relative to its last: {ratios[weakest]:.2g} times as much. {after}"))
    return "\n\n".join(sentences)


# --- 4. dropout: the gap between training and held-out accuracy ------------------------------------

DROPOUT_ARMS = ("dropout-0", "dropout-0.5")


def _gap(record: dict, arm: str) -> list[float]:
    return [a - b for a, b in zip(_final(record, arm, "train_accuracy"), _final(record, arm, "test_accuracy"))]


def dropout_table() -> str:
    found = _results("dropout")
    heads = [t("네트워크", "Network")]
    for fw in found:
        heads += [t(f"{FRAMEWORK_NAMES[fw]} 훈련 정확도 (%)", f"{FRAMEWORK_NAMES[fw]} training accuracy (%)"),
                  t(f"{FRAMEWORK_NAMES[fw]} 검증 정확도 (%)", f"{FRAMEWORK_NAMES[fw]} held-out accuracy (%)"),
                  t(f"{FRAMEWORK_NAMES[fw]} 차이 (%p)", f"{FRAMEWORK_NAMES[fw]} gap (points)")]
    rows = [[pick(ARMS[arm])] + [cell for record in found.values() for cell in
                                  (_spread(_final(record, arm, "train_accuracy"), True),
                                   _spread(_final(record, arm, "test_accuracy"), True),
                                   _spread(_gap(record, arm), True))]
            for arm in DROPOUT_ARMS]
    seeds = len(EXPERIMENTS["dropout"].seeds)
    return markdown_table(heads, rows, "lrrrrrr") + t(
        f"\n\n마지막 에포크 뒤, 추론 모드(드롭아웃 꺼짐)에서 잰 값이며 시드 {seeds}개의 평균 ± 표준편차입니다.",
        f"\n\nAfter the last epoch, measured in inference mode (dropout off): the mean ± the standard deviation "
        f"over {seeds} seeds.")


def dropout_chart() -> str:
    found = _results("dropout")

    def series(record: dict) -> list[charts.Series]:
        drawn = []
        for i, arm in enumerate(DROPOUT_ARMS):
            for metric, dashed, words in (("train_accuracy", True, {"ko": "훈련", "en": "training"}),
                                          ("test_accuracy", False, {"ko": "검증", "en": "held-out"})):
                drawn.append(_per_epoch(record, arm, metric, f"{pick(ARMS[arm])}, {pick(words)}", i, dashed))
        return drawn

    return _figure("dropout", _panels(found, series), xlabel=t("에포크", "Epoch"), ylabel=t("정확도 (%)", "Accuracy (%)"),
                   alt={"ko": "드롭아웃 유무에 따른 에포크별 훈련(점선)·검증(실선) 정확도, 왼쪽 Keras, 오른쪽 PyTorch. 마지막 값은 위 표에 있습니다.",
                        "en": "Training (dashed) and held-out (solid) accuracy per epoch with and without dropout, Keras "
                              "left, PyTorch right. The table above holds the final values."},
                   caption={"ko": "그림 4. 드롭아웃 유무에 따른 훈련·검증 정확도", "en": "Chart 4. Training and held-out accuracy with and without dropout"})


def dropout_verdict() -> str:
    found = _results("dropout")
    _check("dropout", {
        "both networks fit every training digit": all(min(_final(r, arm, "train_accuracy")) >= 0.99
                                                      for r in found.values() for arm in DROPOUT_ARMS),
        "dropout narrows the gap, by under two points": all(
            0 < mean(_gap(r, "dropout-0")) - mean(_gap(r, "dropout-0.5")) < 0.02 for r in found.values()),
    })
    sentences = []
    for fw, record in found.items():
        off, on = _final(record, "dropout-0", "test_accuracy"), _final(record, "dropout-0.5", "test_accuracy")
        gain, error = 100 * (mean(on) - mean(off)), 100 * _standard_error(on, off)
        narrower = mean(_gap(record, "dropout-0.5")) < mean(_gap(record, "dropout-0"))
        if gain > 2 * error:
            decided = t("두 배의 표준오차보다 커서 드롭아웃이 도움이 되었다고 말할 수 있습니다",
                        "more than twice its standard error: dropout helped")
        else:
            decided = t("두 배의 표준오차 안이므로 이 규모에서는 도움이 되었다고 말할 수 없습니다",
                        "within twice its standard error: this scale cannot say that dropout helped")
        change = 100 * (mean(_gap(record, "dropout-0")) - mean(_gap(record, "dropout-0.5")))
        gap = (t(f"{change:.2f}%p 좁혔습니다", f"narrowed the gap between training and held-out accuracy by {change:.2f} points")
               if narrower else t("좁히지 못했습니다", "did not narrow the gap between training and held-out accuracy"))
        sentences.append(t(
            f"**{FRAMEWORK_NAMES[fw]}**: 드롭아웃은 훈련·검증 정확도 차이를 {gap}. 검증 정확도 변화는 {gain:+.2f}%p"
            f"(표준오차 {error:.2f}%p)로, {decided}.",
            f"**{FRAMEWORK_NAMES[fw]}**: dropout {gap}. Held-out accuracy moved by {gain:+.2f} points (standard error "
            f"{error:.2f}), {decided}."))
    return "\n\n".join(sentences)


# --- the two frameworks as one experiment -------------------------------------------------------

def agreement_table() -> str:
    """How closely the two frameworks' runs of each experiment agree: the first epoch's training
    loss of the first run (same weights, same batches) and the last epoch's."""
    first_runs = {name: [load(name, fw)["runs"][0] for fw in FRAMEWORKS] for name in EXPERIMENTS}
    differences = {name: [abs(k["epochs"][e]["train_loss"] - t_["epochs"][e]["train_loss"]) for e in (0, -1)]
                   for name, (k, t_) in first_runs.items()}
    _check("agreement", {
        "three experiments agree to every printed digit after the first and the last epoch":
            sum(max(d) < 5e-7 for d in differences.values()) == 3,
        "the depth experiment's runs part within the first epoch and grow apart":
            1e-4 < differences["depth"][0] < differences["depth"][1],
    })
    rows = []
    for name, experiment in EXPERIMENTS.items():
        found = _results(name)
        first = [record["runs"][0] for record in found.values()]
        arm = first[0]["arm"]
        loss = [[run["epochs"][e]["train_loss"] for run in first] for e in (0, -1)]
        rows.append([f"`{name}`", f"`{arm}`", f"{loss[0][0]:.6f} / {loss[0][1]:.6f}", f"{abs(loss[0][0] - loss[0][1]):.1e}",
                     f"{loss[1][0]:.6f} / {loss[1][1]:.6f}", f"{abs(loss[1][0] - loss[1][1]):.1e}"])
    heads = [t("실험", "Experiment"), t("첫 실행", "First run"), t("첫 에포크 손실 (Keras / PyTorch)", "First epoch's loss (Keras / PyTorch)"),
             t("차이", "Difference"), t("마지막 에포크 손실 (Keras / PyTorch)", "Last epoch's loss (Keras / PyTorch)"), t("차이", "Difference")]
    return markdown_table(heads, rows, "llrrrr")
