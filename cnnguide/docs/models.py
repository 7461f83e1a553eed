"""Views and other results for the pages, read from the model records (:mod:`.records`): each
configuration is built once per framework per cache, and both language builds share it."""

from __future__ import annotations

from ..cache import cached
from ..errors import CnnguideError
from ..inspect import ModelView
from .records import record


def view(name: str, framework: str = "keras", **options) -> ModelView:
    """The neutral view of a model; from the cache when its sources have not changed."""
    return ModelView.from_dict(record(name, **options)["views"][framework])


_computed: dict = {}


def computed(kind: str, name: str, options: dict, compute):
    """Any other JSON-able result about model ``name``, cached like a record (on disk by
    content, and for this process, so both languages share it even with the disk cache off).

    ``compute`` is seeded from the result's own key (:func:`cnnguide.frameworks.seed`), so its
    value does not depend on what the process computed before.
    """
    from .. import frameworks

    key = (kind, name, tuple(sorted(options.items())))

    def seeded():
        frameworks.seed(key, load=True)
        return compute()

    if key not in _computed:
        _computed[key] = cached(kind, [name, key[2]], [name], seeded)
    return _computed[key]


def meta_view(name: str, **options) -> ModelView:
    """The neutral view of model ``name``'s PyTorch build on the meta device: its rows, shapes,
    parameters and MACs, with no weight allocated or initialised, for tables of the cost of
    many configurations. Both frameworks build the same rows: the records prove it for every
    configuration a page shows in full, the tests for the other options."""
    from .. import frameworks
    from ..builder import build_viewed

    with frameworks.torch().device("meta"):
        return build_viewed(name, "torch", **options)[1]


def agreed_view(name: str, **options) -> ModelView:
    """The view both frameworks agree on; raises if their models differ in any row.

    A page that shows a number shows one that both frameworks produce.
    """
    data = record(name, **options)
    if data["mismatches"]:
        from ..parity import compare_views

        keras_view, torch_view = view(name, "keras", **options), view(name, "torch", **options)
        first = compare_views(keras_view, torch_view)[0]
        raise CnnguideError(
            f"{name}: Keras and PyTorch disagree at row {first.index}: {first.keras} vs {first.torch}."
        )
    return view(name, "keras", **options)
