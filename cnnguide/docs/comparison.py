"""The comparison page: every network of the site side by side, from the views both frameworks
agree on (depth, parameters, MACs, activation memory) and the catalog's published accuracy
(:mod:`cnnguide.catalog.published`), as a table, three charts and a table for choosing.

The same table is printed by ``cnnguide compare --all``, from the PyTorch model on the meta
device (the records prove it equal to the Keras model's)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from .. import catalog
from ..catalog.published import ACCURACY, KERAS_IO_DEPTH, KERAS_IO_DEPTH_DIFFERS, Accuracy
from ..errors import CnnguideError
from ..inspect import ModelView
from ..render import charts
from ..render.tables import markdown_table
from ..shapes import format_shape
from .context import language, set_language, t
from .models import agreed_view, meta_view

BYTES = 4  # float32
EXTRA = {"vgg": ("vgg19",), "resnet": ("resnet18", "resnet34", "resnet101", "resnet152")}
"""Models shown beside a study's own, where the study compares depths or configurations."""


def models() -> list[str]:
    """Every case study's network, in the order of the site's pages' years, with the variants
    its study compares."""
    studies = sorted(catalog.STUDIES.values(), key=lambda s: s.year)
    return [name for s in studies for name in (s.model, *EXTRA.get(s.key, ()))]


@dataclass(frozen=True)
class Row:
    name: str
    year: int
    view: ModelView
    accuracy: Accuracy | None

    @property
    def memory_mib(self) -> float:
        return self.view.activations * BYTES / 2**20

    @property
    def with_parameters(self) -> int:
        """Layers holding parameters, BatchNorm included: keras.io's "Depth"."""
        return sum(1 for r in self.view.layers if r.params)


def rows(view_of: Callable[[str], ModelView]) -> list[Row]:
    accuracy = {a.model: a for a in ACCURACY}
    found = []
    for name in models():
        row = Row(name, catalog.study(catalog.model(name).study).year, view_of(name), accuracy.get(name))
        stated = KERAS_IO_DEPTH.get(name)
        if stated is not None and name not in KERAS_IO_DEPTH_DIFFERS and stated != row.with_parameters:
            raise CnnguideError(f"{name}: keras.io's depth {stated} is no longer our count of layers with "
                                f"parameters ({row.with_parameters}); say why in KERAS_IO_DEPTH_DIFFERS.")
        found.append(row)
    return found


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


def table(view_of: Callable[[str], ModelView]) -> str:
    """One row per network: what the site computes, then what was published."""
    body = []
    for row in rows(view_of):
        v, a = row.view, row.accuracy
        keras_depth = KERAS_IO_DEPTH.get(row.name)
        body.append([f"`{row.name}`", str(row.year), str(v.depth), "—" if keras_depth is None else str(keras_depth),
                     f"{v.trainable / 1e6:.2f}", f"{v.macs / 1e6:,.1f}", f"{row.memory_mib:.2f}",
                     format_shape(v.input_shape), _percent(a and a.top1), _percent(a and a.top5)])
    heads = [t("모델", "Model"), t("연도", "Year"), t("깊이 (이 사이트)", "Depth (this site)"),
             t("깊이 (keras.io)", "Depth (keras.io)"), t("학습 파라미터 (백만)", "Trainable params (M)"),
             t("MAC (백만)", "MACs (M)"),
             t("층 출력 (MiB, float32)", "Layer outputs (MiB, float32)"), t("입력", "Input"), "top-1", "top-5"]
    return markdown_table(heads, body, "llrrrrrlrr")


def sources(view_of: Callable[[str], ModelView]) -> str:
    """Where each accuracy comes from, and where our depth and keras.io's differ, why."""
    lang = language()
    body = [[f"`{r.name}`", r.accuracy.source, r.accuracy.setting[lang]] for r in rows(view_of) if r.accuracy]
    notes = "\n".join(f"- `{name}`: {why[lang]}" for name, why in KERAS_IO_DEPTH_DIFFERS.items())
    return (markdown_table([t("모델", "Model"), t("정확도의 출처", "Accuracy from"), t("조건", "Setting")], body, "lll")
            + "\n\n" + t("이 사이트의 뷰에서 파라미터가 있는 층의 수가 keras.io의 깊이와 다른 곳과 그 이유입니다. "
                         "나머지 모델에서는 두 수가 같은지 빌드가 확인합니다.",
                         "Where the number of layers with parameters in the site's view differs from keras.io's "
                         "depth, and why; for the other models the build checks that the two are equal.")
            + "\n\n" + notes)


# --- charts -------------------------------------------------------------------------------------

GMAC_AXIS = {"ko": "곱셈-누산 (GMAC, 로그 축)", "en": "Multiply-accumulates (GMACs, log scale)"}
PARAMS_AXIS = {"ko": "학습 파라미터 (백만, 로그 축)", "en": "Trainable parameters (millions, log scale)"}
TABLE_HOLDS = {"ko": " 값은 위의 표에 있습니다.", "en": " The table above holds the same values."}


@dataclass(frozen=True)
class Chart:
    """One chart of the page: what it plots (x and y of a row, for the rows it keeps), its axes,
    and its words in both languages (a text alternative and a caption)."""

    key: str
    x: Callable[[Row], float]
    y: Callable[[Row], float]
    keep: Callable[[Row], bool]
    xlabel: dict
    ylabel: dict
    alt: dict
    caption: dict
    logx: bool = False
    logy: bool = False


def _gmac(row: Row) -> float:
    return row.view.macs / 1e9


def _millions(row: Row) -> float:
    return row.view.trainable / 1e6


def _imagenet(row: Row) -> bool:
    return row.name != "lenet5"  # LeNet-5 reads 32x32 digits: off every scale


CHARTS = (
    Chart("params-macs", _gmac, _millions, _imagenet, GMAC_AXIS, PARAMS_AXIS,
          {"ko": "ImageNet 네트워크마다 점 하나로, 가로축은 GMAC, 세로축은 파라미터 수를 로그 축으로 그린 산점도입니다.",
           "en": "A scatter plot with one point per ImageNet network: GMACs across, parameters up, both on log scales."},
          {"ko": "그림 1. 파라미터와 계산량", "en": "Chart 1. Parameters against computation"}, logx=True, logy=True),
    Chart("top1-macs", _gmac, lambda r: 100 * r.accuracy.top1, lambda r: r.accuracy is not None, GMAC_AXIS,
          {"ko": "공개된 top-1 정확도 (%)", "en": "Published top-1 accuracy (%)"},
          {"ko": "ImageNet 정확도가 공개된 모델마다 점 하나로, 가로축은 GMAC(로그 축), 세로축은 top-1 정확도인 "
                 "산점도입니다. 출처는 정확도의 출처 표에 있습니다.",
           "en": "A scatter plot with one point per model whose ImageNet accuracy is published: GMACs across on a "
                 "log scale, top-1 accuracy up. Their sources are in the table of sources."},
          {"ko": "그림 2. 계산량과 공개된 정확도", "en": "Chart 2. Computation against published accuracy"}, logx=True),
    Chart("params-years", lambda r: r.year, _millions, _imagenet,
          {"ko": "발표 연도", "en": "Year of publication"}, PARAMS_AXIS,
          {"ko": "ImageNet 네트워크마다 점 하나로, 가로축은 발표 연도, 세로축은 파라미터 수(로그 축)인 산점도입니다.",
           "en": "A scatter plot with one point per ImageNet network: year across, parameters up on a log scale."},
          {"ko": "그림 3. 연도별 모델 크기", "en": "Chart 3. Model size over the years"}, logy=True),
)


def _charts(lang: str) -> str:
    found = rows(agreed_view)
    return "\n".join(
        charts.figure(c.key, [charts.Point(r.name, c.x(r), c.y(r)) for r in found if c.keep(r)], logx=c.logx,
                      logy=c.logy, xlabel=c.xlabel[lang], ylabel=c.ylabel[lang], alt=c.alt[lang] + TABLE_HOLDS[lang],
                      caption=c.caption[lang])
        for c in CHARTS)


def chart_figures() -> str:
    """The three charts, drawn once per language and cached with the models' records."""
    from ..cache import cached

    lang = language()
    return cached("comparison_charts", [lang], models(), lambda: _charts(lang))


# --- choosing -----------------------------------------------------------------------------------

MOBILE = {"mobilenet_v1", "mobilenet_v2", "efficientnet_b0"}  # designed for a budget of MACs
FULLY_CONNECTED = {"alexnet", "vgg16", "vgg19"}  # most of their parameters in dense layers


def check_claims(found: list[Row]) -> None:
    """What the page's prose says about the table, checked: the build fails when it stops holding."""
    by = {r.name: r for r in found}
    rated = [r for r in found if r.accuracy]
    per_gmac = sorted(rated, key=lambda r: r.accuracy.top1 / r.view.macs, reverse=True)
    per_point = sorted(rated, key=lambda r: r.view.trainable / r.accuracy.top1, reverse=True)
    vgg = by["vgg16"].view
    dense = [r for r in vgg.layers if r.kind == "dense"]
    claims = {
        "the networks designed for a MAC budget lead accuracy per MAC": {r.name for r in per_gmac[:3]} == MOBILE,
        "the networks with large dense layers have the most parameters per accuracy point":
            {r.name for r in per_point[:2]} <= FULLY_CONNECTED,
        "VGG-16's dense layers hold most of its parameters and little of its MACs":
            sum(r.trainable for r in dense) > vgg.trainable / 2 and sum(r.macs for r in dense) < vgg.macs / 100,
        "no network after VGG comes near its size":
            max(r.view.trainable for r in found if r.year > by["vgg16"].year) < vgg.trainable / 2,
        "DenseNet-121 holds more layer outputs than ResNet-50 with under a third of its parameters":
            by["densenet121"].memory_mib > by["resnet50"].memory_mib
            and 3 * by["densenet121"].view.trainable < by["resnet50"].view.trainable,
        "Xception holds the most layer outputs of all": max(found, key=lambda r: r.memory_mib).name == "xception",
        "keras.io's ResNet50 is more than twice as deep as its name": KERAS_IO_DEPTH["resnet50"] > 2 * by["resnet50"].view.depth,
    }
    broken = [claim for claim, holds in claims.items() if not holds]
    if broken:
        raise CnnguideError(f"The comparison page says what the table no longer shows: {'; '.join(broken)}.")


def choice_table() -> str:
    """For each network with a published accuracy: accuracy per GMAC, parameters per accuracy
    point and memory, sorted by computation; and which network leads each column."""
    everything = rows(agreed_view)
    check_claims(everything)
    found = sorted((r for r in everything if r.accuracy), key=lambda r: r.view.macs)
    per_gmac = {r.name: 100 * r.accuracy.top1 / (r.view.macs / 1e9) for r in found}
    per_point = {r.name: r.view.trainable / 1e6 / (100 * r.accuracy.top1) for r in found}
    body = [[f"`{r.name}`", f"{r.view.macs / 1e9:.3f}", _percent(r.accuracy.top1), f"{per_gmac[r.name]:.1f}",
             f"{per_point[r.name]:.3f}", f"{r.memory_mib:.1f}"] for r in found]
    heads = [t("모델", "Model"), "GMAC", "top-1", t("GMAC당 top-1 (%p)", "Top-1 points per GMAC"),
             t("top-1 1%p당 파라미터 (백만)", "Params (M) per top-1 point"), t("층 출력 (MiB)", "Layer outputs (MiB)")]
    best = max(found, key=lambda r: r.accuracy.top1)
    cheapest = max(per_gmac, key=per_gmac.get)
    leanest = min(per_point, key=per_point.get)
    lightest = min(found, key=lambda r: r.memory_mib)
    note = t(f"\n\n이 표에서 공개된 top-1이 가장 높은 모델은 `{best.name}`({_percent(best.accuracy.top1)})이고, GMAC당 정확도가 "
             f"가장 높은 모델은 `{cheapest}`, 정확도 1%p당 파라미터가 가장 적은 모델은 `{leanest}`, 층 출력 메모리가 가장 작은 "
             f"모델은 `{lightest.name}`입니다.",
             f"\n\nIn this table the highest published top-1 is `{best.name}`'s ({_percent(best.accuracy.top1)}); the most "
             f"accuracy per GMAC is `{cheapest}`'s, the fewest parameters per accuracy point `{leanest}`'s, and the "
             f"smallest layer outputs `{lightest.name}`'s.")
    return _names_whole(markdown_table(heads, body, "lrrrrr")) + note


def _names_whole(markdown: str) -> str:
    """A table whose model names do not break inside a name (accessibility.css)."""
    return f'<div class="cnnguide-models" markdown="1">\n\n{markdown}\n\n</div>'


def site_table() -> str:
    return _names_whole(table(agreed_view))


def site_sources() -> str:
    return sources(agreed_view)


def terminal_table(lang: str) -> str:
    """``cnnguide compare --all``: the page's table from the meta-device PyTorch models."""
    set_language(lang)
    return table(meta_view)

