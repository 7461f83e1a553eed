"""The four experiments, as data: what each trains, on which digits, for how long.

Each tests a claim of the source post that only training can test (claims 2, 3 and 8 of the
post; the page quotes them). One definition serves both frameworks: :mod:`.training` builds
each network in Keras and PyTorch from the same builder options, starts both from the same
weights and feeds both the same batches in the same order.

The sizes are chosen for 2 CPU cores: every experiment trains in a few minutes per framework,
the four in under fifteen minutes (the saved results keep each run's time).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Arm:
    """One network an experiment trains: a label, a builder of ``cnnguide.models.<framework>``
    and the builder's options."""

    label: str
    builder: str
    options: tuple[tuple[str, object], ...] = ()

    def kwargs(self) -> dict:
        return dict(self.options)

    @property
    def module(self) -> str:
        """The module of ``cnnguide.models.keras`` and ``.torch`` that defines the builder."""
        return MODULES[self.builder]


MODULES = {"lenet5": "lenet", "cifar_resnet": "cifar_resnet", "fc_head": "fc_head"}


@dataclass(frozen=True)
class Experiment:
    """An experiment: its arms, each trained once per seed, on ``train_per_class`` digits of
    each class padded to ``size`` x ``size``; SGD with momentum 0.9 and a constant
    ``learning_rate``, ``batch`` images a step, the same for every arm.

    ``train_accuracy``: also measure accuracy on the training images after each epoch (in
    inference mode). ``gradients``: the norm of each weighted layer's kernel gradient on one
    fixed batch of training images, before training and after it.
    """

    name: str
    summary: dict[str, str]  # one line per language, for `cnnguide experiment list`
    claim: int  # which of the source post's claims it tests (the page quotes each)
    arms: tuple[Arm, ...]
    seeds: tuple[int, ...]
    epochs: int
    batch: int
    learning_rate: float
    train_per_class: int
    size: int = 32
    train_accuracy: bool = False
    gradients: bool = False
    momentum: float = field(default=0.9)

    @property
    def modules(self) -> tuple[str, ...]:
        return tuple(sorted({arm.module for arm in self.arms}))


def _lenet(activation: str, pooling: str) -> Arm:
    return Arm(f"{activation}-{pooling}", "lenet5", (("activation", activation), ("pooling", pooling)))


def _cifar(label: str, n: int, **options) -> Arm:
    return Arm(label, "cifar_resnet", (("n", n), ("widths", WIDTHS), *sorted(options.items())))


WIDTHS = (8, 16, 32)  # half the paper's 16, 32, 64: digits are simpler than CIFAR-10, and 2 cores are slow
DEPTH_N = (1, 3, 5)    # 6n + 2 = 8, 20 and 32 weighted layers

EXPERIMENTS: dict[str, Experiment] = {e.name: e for e in (
    # Claim 2: ReLU for tanh and max for average pooling should make LeNet-5 more accurate.
    Experiment("lenet5", {"ko": "LeNet-5: 1998년 형태(tanh, 평균 풀링)와 ReLU·최대 풀링으로 바꾼 형태",
                          "en": "LeNet-5 as in 1998 (tanh, average pooling) against ReLU and max pooling"},
               claim=2,
               arms=(_lenet("tanh", "average"), _lenet("tanh", "max"), _lenet("relu", "average"),
                     _lenet("relu", "max")),
               seeds=(0, 1, 2, 3, 4), epochs=8, batch=32, learning_rate=0.01, train_per_class=400),
    # Claim 8: without shortcuts, a deeper network trains worse (the degradation problem).
    Experiment("depth", {"ko": "깊이가 다른 평범한(plain) 네트워크와 잔차(residual) 네트워크의 훈련 손실",
                         "en": "Training loss of plain and residual networks of growing depth"},
               claim=8,
               arms=tuple(_cifar(f"{kind}{6 * n + 2}", n, shortcuts=kind == "resnet")
                          for kind in ("plain", "resnet") for n in DEPTH_N),
               seeds=(0, 1), epochs=3, batch=64, learning_rate=0.05, train_per_class=300, size=28),
    # Claim 3: ReLU resists the vanishing gradients of sigmoid and tanh, so deep nets train.
    Experiment("activations", {"ko": "깊은 평범한 네트워크에서 시그모이드, tanh, ReLU의 층별 기울기",
                               "en": "Per-layer gradients of sigmoid, tanh and ReLU in a deep plain network"},
               claim=3,
               # Each activation starts from the initial scale designed for it (Glorot and Bengio
               # 2010; He et al. 2015): ReLU from Glorot's would fade for another reason.
               arms=tuple(_cifar(activation, 3, shortcuts=False, batch_norm=False, activation=activation,
                                 kernel_initializer=init)
                          for activation, init in (("sigmoid", "glorot_uniform"), ("tanh", "glorot_uniform"),
                                                   ("relu", "he_normal"))),
               seeds=(0,), epochs=5, batch=64, learning_rate=0.02, train_per_class=400, size=28,
               gradients=True),
    # Claim 3 again: dropout against overfitting, on a training set small enough to overfit.
    Experiment("dropout", {"ko": "작은 완전 연결 분류기에서 드롭아웃 유무에 따른 훈련·검증 정확도 차이",
                           "en": "Dropout on and off: the gap between training and held-out accuracy"},
               claim=3,
               arms=(Arm("dropout-0", "fc_head", (("dropout", 0.0),)),
                     Arm("dropout-0.5", "fc_head", (("dropout", 0.5),))),
               seeds=(0, 1, 2), epochs=30, batch=32, learning_rate=0.01, train_per_class=50, size=28,
               train_accuracy=True),
)}
