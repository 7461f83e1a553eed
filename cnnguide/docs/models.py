"""Models and views for the pages, built once per process (both language builds share them)."""

from __future__ import annotations

from functools import lru_cache

from .. import build
from ..errors import CnnguideError
from ..inspect import ModelView, summarize
from ..parity import compare_views


@lru_cache(maxsize=None)
def _model(name: str, framework: str, options: tuple):
    return build(name, framework, **dict(options))


def model(name: str, framework: str = "keras", **options):
    """The built model (the same object on every call with the same arguments)."""
    return _model(name, framework, tuple(sorted(options.items())))


def view(name: str, framework: str = "keras", **options) -> ModelView:
    return _view(name, framework, tuple(sorted(options.items())))


@lru_cache(maxsize=None)
def _view(name: str, framework: str, options: tuple) -> ModelView:
    return summarize(_model(name, framework, options))


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
