"""Models and views for the pages: built at most once per process, and cached on disk by content
(see :mod:`cnnguide.cache`), so both language builds and later builds share them."""

from __future__ import annotations

from functools import lru_cache

from .. import build
from ..cache import cached
from ..errors import CnnguideError
from ..inspect import ModelView, summarize
from ..parity import compare_views


def _key(options: dict) -> tuple:
    return tuple(sorted(options.items()))


# A few models at a time: a page compares a model in both frameworks, and the next page's models
# are others. Keeping every model of the site alive (VGG, the post's 438M-parameter ResNet, in
# two frameworks) would take many GB; views, which pages mostly need, are kept instead.
@lru_cache(maxsize=4)
def _model(name: str, framework: str, options: tuple):
    return build(name, framework, **dict(options))


def model(name: str, framework: str = "keras", **options):
    """The built model (the same object on every call with the same arguments)."""
    return _model(name, framework, _key(options))


def view(name: str, framework: str = "keras", **options) -> ModelView:
    """The neutral view of a model; from the cache when its sources have not changed."""
    return _view(name, framework, _key(options))


@lru_cache(maxsize=None)
def _view(name: str, framework: str, options: tuple) -> ModelView:
    data = cached("view", [name, framework, options], [name],
                  lambda: summarize(_model(name, framework, options)).to_dict())
    return ModelView.from_dict(data)


_computed: dict = {}


def computed(kind: str, name: str, options: dict, compute):
    """Any other JSON-able result about model ``name``, cached like its view (on disk by
    content, and for this process, so both languages share it even with the disk cache off)."""
    key = (kind, name, _key(options))
    if key not in _computed:
        _computed[key] = cached(kind, [name, key[2]], [name], compute)
    return _computed[key]


def agreed_view(name: str, **options) -> ModelView:
    """The view both frameworks agree on; raises if their models differ in any row.

    A page that shows a number shows one that both frameworks produce.
    """
    keras_view, torch_view = view(name, "keras", **options), view(name, "torch", **options)
    mismatches = compare_views(keras_view, torch_view)
    if mismatches:
        first = mismatches[0]
        raise CnnguideError(
            f"{name}: Keras and PyTorch disagree at row {first.index}: {first.keras} vs {first.torch}."
        )
    return keras_view
