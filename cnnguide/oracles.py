"""Library oracles: keras.applications, torchvision and timm models set against ours.

Where a library ships the same architecture as one of our models, the library's model is an
independent witness: built with ``weights=None`` (nothing is downloaded), it must have the same
weighted layers as ours (kind, output shape, parameters, in execution order), and once its
weights are copied into our model, both must compute the same outputs. Both models are in one
framework here, so the copy is a plain copy: no layout changes (Keras to PyTorch is
:mod:`cnnguide.parity`'s job).

Libraries are imported only through :mod:`cnnguide.frameworks`, in the one safe order.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import frameworks
from .builder import build
from .errors import CnnguideError, ParityError
from .inspect import ModelView, framework_of, summarize
from .inspect.view import Layer
from .parity import random_images, run

def library_name(name: str, framework: str) -> str:
    """The library builder that model ``name`` is checked against in ``framework`` (declared in
    the catalog, :attr:`cnnguide.catalog.ModelEntry.oracles`)."""
    from . import catalog

    fw = frameworks.canonical(framework)
    for oracle in catalog.model(name).oracles:
        if oracle.framework == fw:
            return oracle.library
    known = ", ".join(f"{m.name} ({o.framework})" for m in catalog.MODELS.values() for o in m.oracles)
    raise CnnguideError(f"No library ships {name!r} for {fw}; oracles exist for: {known}.")


def library_model(path: str, *, logits: bool = True, **options):
    """Build a library model by its dotted builder name, untrained, with the builder's own
    ``options``: ``keras.applications.<Name>`` and ``torchvision.models.<name>`` with
    ``weights=None``, ``timm.<name>`` with ``pretrained=False`` (timm's registry name, as
    ``timm.create_model`` takes it). Nothing is downloaded.

    ``logits=True`` asks keras.applications for no softmax (torchvision and timm models have
    none), so outputs are compared before a softmax could hide a difference.
    """
    prefix, _, name = path.rpartition(".")
    if prefix == "keras.applications":
        applications = frameworks.keras().applications
        if logits:
            options = {"classifier_activation": None, **options}
        return getattr(applications, name)(weights=None, **options)
    if prefix == "torchvision.models":
        return getattr(frameworks.torchvision().models, name)(weights=None, **options)
    if prefix == "timm":
        return frameworks.timm().create_model(name, pretrained=False, **options)
    raise CnnguideError(f"Unknown library builder {path!r}: use keras.applications.*, "
                        "torchvision.models.* or timm.*.")


def _view(model, input_shape) -> ModelView:
    if framework_of(model) == "keras":
        return summarize(model)
    return summarize(model, input_shape)


PREPROCESSING = ("Rescaling", "Normalization")
"""Keras layers with which a library model prepares its own input: keras.applications'
EfficientNet starts with ``Rescaling(1/255)`` and a ``Normalization`` (7 non-trainable weights:
a mean and a variance per colour, and a count). cnnguide's models, like torchvision's, take the
images as given (preprocessing is the input pipeline's business), so these leading rows are set
aside (:func:`split_preprocessing`) and our model is run on what they output (:func:`preprocess`)."""


def split_preprocessing(view: ModelView) -> tuple[tuple[Layer, ...], ModelView]:
    """The leading rows of a library ``view`` that only prepare its input, and the network after
    them as a view of its own (its input is their output)."""
    count = 0
    while count < len(view.layers) and view.layers[count].kind in PREPROCESSING:
        count += 1
    if not count:
        return (), view
    return view.layers[:count], view.subview(range(count, len(view.layers)), name=view.name)


def preprocess(library, rows: tuple[Layer, ...], images: np.ndarray) -> np.ndarray:
    """What the library model's preprocessing ``rows`` make of ``images`` (nothing to do
    without such rows)."""
    if not rows:
        return images
    keras = frameworks.keras()
    head = keras.Model(library.input, library.get_layer(rows[-1].name).output)
    return np.asarray(head(images, training=False))


def _compared(row: Layer) -> tuple:
    """What must match between paired weighted layers: kind, output shape, parameters. A 1x1
    convolution of a 1 x 1 map computes what a dense layer computes, so it compares as one
    (keras.applications' MobileNet ends in such a convolution, ``conv_preds``, where the paper
    and timm have a fully connected layer)."""
    if (row.kind == "conv" and row.kernel_size == (1, 1) and row.groups == 1
            and row.input_shape[:-1] == (1, 1) and row.output_shape[:-1] == (1, 1)):
        return "dense", row.output_shape[-1:], row.params
    return row.kind, row.output_shape, row.params


def pair_weighted(ours: ModelView, library: ModelView) -> list[tuple[Layer, Layer]]:
    """The weighted layers of both views, paired in execution order.

    Raises ParityError naming the first pair that differs in kind, output shape or parameters.
    """
    mine, theirs = ours.weighted(), library.weighted()
    if len(mine) != len(theirs):
        raise ParityError(f"{ours.name} has {len(mine)} weighted layers, the library model {len(theirs)}.")
    for a, b in zip(mine, theirs):
        if _compared(a) != _compared(b):
            raise ParityError(
                f"{ours.name} layer {a.name!r} ({a.kind}, output {a.output_shape}, {a.params} "
                f"parameters) does not match library layer {b.name!r} ({b.kind}, output "
                f"{b.output_shape}, {b.params} parameters)."
            )
    return list(zip(mine, theirs))


def load_library_weights(library, ours, views: tuple[ModelView, ModelView] | None = None
                         ) -> list[tuple[str, str]]:
    """Copy every weight of the library model into ours (one framework); return name pairs.

    ``views`` (ours, the library's), when the caller has them already: a PyTorch view runs
    the model once.
    """
    fw = framework_of(ours)
    if framework_of(library) != fw:
        raise ParityError("load_library_weights: both models must be in the same framework.")
    if views is None:
        shape = None if fw == "keras" else ours.input_shape
        views = _view(ours, shape), split_preprocessing(_view(library, shape))[1]
    pairs = pair_weighted(*views)
    # Arrays keep their layout within a framework; only a 1x1 convolution paired with a dense
    # layer (see _compared) holds the same numbers in another shape, so each array takes the
    # shape of the one it replaces.
    if fw == "keras":
        ops = frameworks.keras().ops
        for mine, theirs in pairs:
            # Variable to variable, in TensorFlow: get_weights()/set_weights() would copy every
            # array through NumPy twice (VGG-16: half a gigabyte of fresh memory each way).
            for target, value in zip(mine.ref.weights, theirs.ref.weights, strict=True):
                target.assign(ops.reshape(value, target.shape))
    else:
        torch = frameworks.torch()
        with torch.no_grad():
            for mine, theirs in pairs:
                # Parameters and buffers: BatchNorm's running statistics are part of its function.
                state = dict(mine.ref.named_parameters(recurse=False)) | dict(mine.ref.named_buffers(recurse=False))
                library = [*theirs.ref.named_parameters(recurse=False), *theirs.ref.named_buffers(recurse=False)]
                for attr, value in library:
                    state[attr].copy_(value.reshape(state[attr].shape))
    return [(mine.name, theirs.name) for mine, theirs in pairs]


@dataclass(frozen=True)
class OracleResult:
    """Our model against a library's, in one framework."""

    model: str
    framework: str
    library: str
    params: int
    library_params: int
    paired_layers: int
    extra_kinds: tuple[str, ...]    # row kinds only our model has (a multiset difference)
    missing_kinds: tuple[str, ...]  # row kinds only the library's model has
    max_abs_difference: float
    max_output: float

    @property
    def relative_difference(self) -> float:
        return self.max_abs_difference / self.max_output

    def to_dict(self) -> dict:
        return dict(self.__dict__)


def _kind_difference(a: ModelView, b: ModelView) -> tuple[str, ...]:
    left = [row.kind for row in a.layers]
    for row in b.layers:
        if row.kind in left:
            left.remove(row.kind)
    return tuple(left)


def check(name: str, framework: str, *, ours=None, library=None, batch: int = 2,
          seed: int = 0) -> OracleResult:
    """Pair our model with the library's, copy the library's weights into ours and compare
    logits on a random batch.

    ``ours`` (built with ``classifier_activation=None``) and ``library`` (from
    :func:`library_model`) are built here unless given; ``ours`` gets the library's weights.
    """
    fw = frameworks.canonical(framework)
    path = library_name(name, fw)
    ours = build(name, fw, classifier_activation=None) if ours is None else ours
    library = library_model(path) if library is None else library
    shape = summarize(ours).input_shape if fw == "keras" else ours.input_shape
    our_view = _view(ours, shape)
    preprocessing, library_view = split_preprocessing(_view(library, shape))
    pairs = load_library_weights(library, ours, (our_view, library_view))
    images = random_images(shape, batch=batch, seed=seed)
    mine, theirs = run(ours, preprocess(library, preprocessing, images)), run(library, images)
    return OracleResult(
        model=name, framework=fw, library=path,
        params=our_view.params, library_params=library_view.params, paired_layers=len(pairs),
        extra_kinds=_kind_difference(our_view, library_view),
        missing_kinds=_kind_difference(library_view, our_view),
        max_abs_difference=float(np.max(np.abs(mine - theirs))),
        max_output=float(np.max(np.abs(theirs))),
    )


def layer_differences(ours: ModelView, other: ModelView) -> list[tuple[Layer, Layer, int]]:
    """Weighted layers of two versions of one network, paired in order, with the difference in
    parameters (``other - ours``) of each pair. The versions may differ in widths (so no
    shapes are checked), not in the number of weighted layers."""
    mine, theirs = ours.weighted(), other.weighted()
    if len(mine) != len(theirs):
        raise ParityError(f"{ours.name} has {len(mine)} weighted layers, {other.name} {len(theirs)}.")
    return [(a, b, b.params - a.params) for a, b in zip(mine, theirs)]


def library_view(path: str, input_shape: tuple[int, int, int]) -> ModelView:
    """The neutral view of a library model (for comparisons that need no weights copied)."""
    return _view(library_model(path), input_shape)
