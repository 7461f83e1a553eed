"""The catalog's record types: papers, stated figures, block figures, library oracles, studies
and models, and the labels the studies' figures share. Nothing here imports a framework."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

from ..errors import UnknownModelError

Text = Mapping[str, str]  # {"ko": ..., "en": ...}
MEASURES = ("params", "macs", "depth", "neurons")  # what a figure may state that we compute

# Units and notes that figures of several studies share.
PARAMS = {"ko": "학습 가능한 파라미터", "en": "trainable parameters"}
MACS = {"ko": "곱셈-누산(MAC)", "en": "multiply-accumulates (MACs)"}
MEASURED = {"ko": "학습된 모델에서 잰 값입니다. 구조에서 계산할 수 없습니다.",
            "en": "Measured on trained models, not computable from the architecture."}
TOP1_ERROR = {"ko": "top-1 오류율", "en": "top-1 error"}
TOP5_ERROR = {"ko": "top-5 오류율", "en": "top-5 error"}
TOP1_ACCURACY = {"ko": "top-1 정확도", "en": "top-1 accuracy"}


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
    # A result measured on trained networks (an error rate, a speed-up): what was measured, in
    # a line, and how to show the value ("percent", "times"); :func:`cnnguide.docs.kit.measured`
    # cites every such figure of a study with its source.
    what: Text = field(default_factory=dict)
    style: str = "number"
    digits: int = 1  # decimals of a "percent": 2.251% is shown as the source states it

    def target(self, study: "Study") -> tuple[str, str | None, str] | None:
        """What the figure measures, as (model, layer or None for the whole model, measure).

        A key reads ``[model.][layer.]measure``: ``resnet50.macs``, ``C1.params`` (a layer of
        the study's main model), ``params`` (the main model). Only the measures we compute
        (:data:`MEASURES`) have a target; other figures (``lrn_k``, ``top5_error``) are None.
        """
        *path, measure = self.key.split(".")
        if measure not in MEASURES:
            return None
        from . import MODELS  # the registry, assembled from the study modules

        name = path.pop(0) if path and path[0] in MODELS else study.model
        return name, (path[0] if path else None), measure


def measured(key: str, value: float, unit: Text, source: str, what: Text, style: str = "percent",
             digits: int = 1) -> Figure:
    """A result measured on trained networks (an error rate, a count of test images): quoted
    with its source and what was measured, never compared with anything the site computes."""
    return Figure(key, value, unit, source, None, MEASURED, what, style, digits)


@dataclass(frozen=True)
class Block:
    """A figure of part of a network: ``model``'s rows whose names start with ``prefix``
    (``None``: the whole model), titled by the paper's name for it."""

    model: str
    prefix: str | None = None
    name: Text = field(default_factory=dict)
    options: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Oracle:
    """A library model that ships one of ours: ``library`` (a dotted builder, called with
    ``weights=None`` and ``library_options``) against our model built with ``options``, in
    ``framework``; its weights load into ours and the outputs must agree."""

    framework: str
    library: str
    options: Mapping[str, object] = field(default_factory=dict)
    library_options: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Study:
    """A case study: its paper and figures, and what its page shows: ``model`` is the network
    the page is about (its table, summaries, arithmetic and full graphs), ``blocks`` the figures
    of its key blocks, ``block_pattern`` the regular expression that groups its rows into blocks
    for the architecture table (``None``: one row per layer)."""

    key: str
    name: Text
    year: int
    paper: Paper
    input_shape: tuple[int, int, int]
    figures: tuple[Figure, ...] = ()
    model: str = ""
    blocks: tuple[Block, ...] = ()
    block_pattern: str | None = None
    # Other sources the page cites (a figure's source beyond the paper, such as a benchmark).
    references: tuple[Paper, ...] = ()

    def figure(self, key: str) -> Figure:
        for fig in self.figures:
            if fig.key == key:
                return fig
        raise UnknownModelError(key, [f.key for f in self.figures], what=f"{self.key} figure")

    @property
    def models(self) -> list["ModelEntry"]:
        from . import MODELS

        return [m for m in MODELS.values() if m.study == self.key]


@dataclass(frozen=True)
class ModelEntry:
    """One buildable network: where its builders live and what they accept."""

    name: str
    study: str
    module: str
    input_shape: tuple[int, int, int]
    summary: Text
    oracles: tuple[Oracle, ...] = ()
    # The options the site builds it with, where the defaults would be too big to build.
    site_options: Mapping[str, object] = field(default_factory=dict)
    # The values each choice option offers, typed as the builders take them (False, not "False");
    # checked by cnnguide.models.options in cnnguide.build, for both frameworks alike.
    options: Mapping[str, tuple[object, ...]] = field(default_factory=dict)

    @property
    def builder(self) -> str:
        return self.name

