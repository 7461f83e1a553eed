"""The catalog: one entry per case study, and one per model that cnnguide can build.

A *study* is a chapter of the site (LeNet-5, AlexNet, ...): its names in Korean and English, its
year, the paper, and the figures the paper (or another source) states, each with its source, so
a page can set our computed numbers beside them. A *model* is one buildable network; its name
is the one string that identifies it everywhere (``cnnguide.build(name)``, the CLI, the docs and
the tests), as in timm's registry. Both builders of a model have the same function name in
``cnnguide/models/keras/<module>.py`` and ``cnnguide/models/torch/<module>.py``.

Each group of studies lives in its own module here, declaring ``STUDIES`` and ``MODELS`` as
tuples; :data:`GROUPS` lists them in the site's order. Nothing here imports a framework.
"""

from __future__ import annotations

from importlib import import_module

from ..errors import UnknownModelError
from .types import MEASURES, Block, Figure, ModelEntry, Oracle, Paper, Study, Text

# The modules that declare studies and models, in the order the site presents them.
GROUPS = ("classics", "descendants", "mobilenet", "xception", "efficientnet")

STUDIES: dict[str, Study] = {}
MODELS: dict[str, ModelEntry] = {}
for _group in GROUPS:
    _module = import_module(f".{_group}", __name__)
    STUDIES.update((s.key, s) for s in _module.STUDIES)
    MODELS.update((m.name, m) for m in _module.MODELS)

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


def oracles_for(name: str, options: dict) -> tuple[Oracle, ...]:
    """The library models that ship model ``name`` built with exactly ``options``."""
    return tuple(o for o in model(name).oracles if dict(o.options) == dict(options))


def names() -> list[str]:
    """Every buildable model name, in catalog order."""
    return list(MODELS)


__all__ = ["GROUPS", "MEASURES", "MODELS", "STUDIES", "Block", "Figure", "ModelEntry", "Oracle", "Paper",
           "Study", "Text", "model", "names", "oracles_for", "study"]
