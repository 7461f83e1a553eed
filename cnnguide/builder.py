"""``cnnguide.build``: one name, one framework, one real model."""

from __future__ import annotations

import importlib
import inspect as pyinspect

from . import catalog, frameworks
from .errors import CnnguideError, OptionError
from .models.options import check
from .shapes import check_input_shape


BUILT: list[dict] = []
"""Every model this process has built, in order: name, framework, options and whether on the
meta device (shapes only). The benchmark reads a cold build's list (``CNNGUIDE_BUILD_LOG``, see
:mod:`cnnguide.docs.hooks`) to build each configuration once in its floor, and to name any that
a build constructs twice."""


def builder(name: str, framework: str = "keras"):
    """The builder function of model ``name`` in ``framework`` (loads that framework)."""
    entry = catalog.model(name)
    fw = frameworks.canonical(framework)
    module = importlib.import_module(f"cnnguide.models.{fw}.{entry.module}")
    from .cache import imported

    imported(module.__file__)  # the code this process runs: the cache stores nothing computed by older code
    return getattr(module, entry.builder)


def build(name: str, framework: str = "keras", *, input_shape=None, **options):
    """Build model ``name`` (see ``cnnguide.catalog.names()``) as a ``keras.Model`` or a
    ``torch.nn.Module``.

    ``input_shape`` is H x W x C in both frameworks (default: the catalog's). ``options`` are
    the builder's keyword arguments (e.g. ``activation="relu"``, ``pooling="max"``). Every bad
    argument raises a :class:`~cnnguide.errors.CnnguideError` that says what to do.
    """
    return _build(name, framework, input_shape, options)[0]


def build_viewed(name: str, framework: str = "keras", *, input_shape=None, **options):
    """:func:`build`, and the model's neutral view (:func:`cnnguide.inspect.summarize`): a
    PyTorch model is read once while it is built (the input check below), not twice."""
    return _build(name, framework, input_shape, options, view=True)


def _build(name: str, framework: str, input_shape, options: dict, view: bool = False):
    entry = catalog.model(name)
    fw = frameworks.canonical(framework)
    shape = check_input_shape(entry.input_shape if input_shape is None else input_shape)
    build_fn = builder(name, fw)
    accepted = [p for p in pyinspect.signature(build_fn).parameters if p != "input_shape"]
    unknown = sorted(set(options) - set(accepted))
    if unknown:
        raise OptionError(
            f"{name} has no option {', '.join(map(repr, unknown))}; its options are "
            f"{', '.join(accepted)}."
        )
    # Checked here, once, before either framework's builder runs: both refuse the same values
    # with the same message (cnnguide.models.options says why).
    given, options = options, check(entry, options)
    try:
        from .inspect import summarize

        if fw == "keras":
            model = _with_full_keras_tracebacks(build_fn, shape, options)
            found = model, summarize(model) if view else None
        else:
            model = build_fn(shape, **options)
            # A PyTorch module only meets its input in forward: read it once (shapes only, no
            # arithmetic), so a bad input fails here, naming its layer, as in Keras.
            found = model, summarize(model, shape)
        meta = fw == "torch" and any(p.is_meta for p in model.parameters())
        BUILT.append({"name": name, "framework": fw, "input_shape": input_shape, "options": given, "meta": meta})
        return found
    except CnnguideError as exc:
        failing = getattr(exc, "failing", None)
        if failing is None:
            raise
        # Found while reading the module: say it with this model's catalog name, as above.
        from .inspect.failures import error

        raise error(failing, exc.__cause__ or exc, name, shape, entry.input_shape) from exc.__cause__
    except (ValueError, RuntimeError, TypeError) as exc:
        from .inspect.failures import error, locate

        failing = locate(exc)
        if failing is None:
            raise
        # "Too small" only when the layer's output would really be empty; anything else is
        # reported in the framework's own words, naming the layer.
        raise error(failing, exc, name, shape, entry.input_shape) from exc


def _with_full_keras_tracebacks(build_fn, shape, options):
    # Keras trims its own frames from tracebacks; the frames are how a shape error is traced
    # to the layer that raised it (cnnguide.inspect.failures), so keep them while building.
    config = frameworks.keras().config
    filtering = config.is_traceback_filtering_enabled()
    config.disable_traceback_filtering()
    try:
        return build_fn(shape, **options)
    finally:
        if filtering:
            config.enable_traceback_filtering()
