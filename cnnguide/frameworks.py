"""Lazy, safe imports of the two frameworks: the only module that imports them by name.

Why a module for this: ``import cnnguide`` must stay light (no framework), and the two
frameworks must be loaded in one order only. Importing ``triton`` after ``tensorflow`` in one
process kills Python with a segmentation fault (no traceback). PyTorch imports triton lazily:
``import torchvision`` does (through ``torch._dynamo``), and so do optimizers and
``torch.compile``. So:

* before TensorFlow is first imported, triton (when installed) is imported first, which is safe;
* when PyTorch is needed and TensorFlow is already loaded without triton (a user imported
  TensorFlow themselves), triton is made unimportable for this process, so PyTorch takes its
  ordinary "no triton" path instead of crashing. Triton only compiles GPU kernels; nothing
  cnnguide does needs it.

Every other module asks for a framework through :func:`keras`, :func:`torch`, ... here.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
import os
import sys
import warnings
from types import ModuleType

from .errors import FrameworkMissingError, UnknownFrameworkError

FRAMEWORKS = ("keras", "torch")
_ALIASES = {"keras": "keras", "tensorflow": "keras", "tf": "keras", "torch": "torch", "pytorch": "torch"}
_EXTRA = {"keras": "keras", "tensorflow": "keras", "torch": "torch", "torchvision": "torch", "torchinfo": "torch"}


# With CNNGUIDE_SEED set (the site build sets it), each framework's random generators are seeded
# once, when it loads: a build computes in a fixed order, so two cold builds initialise every
# model alike and publish the same bytes (e.g. the measured output differences).
_seeded: set[str] = set()


def canonical(framework: object) -> str:
    """Return 'keras' or 'torch' for any accepted spelling, or raise UnknownFrameworkError."""
    key = framework.lower() if isinstance(framework, str) else framework
    try:
        return _ALIASES[key]
    except (KeyError, TypeError):
        raise UnknownFrameworkError(framework, FRAMEWORKS) from None


def _import(name: str) -> ModuleType:
    try:
        return importlib.import_module(name)
    except ImportError as exc:
        top = name.split(".")[0]
        if importlib.util.find_spec(top) is not None:
            raise  # installed but broken: the original error says more than we could
        raise FrameworkMissingError(
            f"{top} is not installed. Install cnnguide's extra for it: "
            f"pip install 'cnnguide[{_EXTRA.get(top, top)}]' (or run 'make test' once, "
            "which installs the whole pinned stack)."
        ) from exc


def _triton_installed() -> bool:
    if "triton" in sys.modules:
        return sys.modules["triton"] is not None
    try:
        return importlib.util.find_spec("triton") is not None
    except (ImportError, ValueError):
        return False


def tensorflow() -> ModuleType:
    """Import TensorFlow, importing triton first when it is installed (the safe order)."""
    if "tensorflow" not in sys.modules:
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
        os.environ.setdefault("KERAS_BACKEND", "tensorflow")
        if _triton_installed():
            importlib.import_module("triton")
    return _import("tensorflow")


def keras() -> ModuleType:
    """Import Keras 3 on the TensorFlow backend (the backend our Keras models are written for)."""
    tensorflow()
    # Retracing notices (one per new input shape of an eager call) are advice for training
    # loops, not problems in a build that runs each model a few times.
    logging.getLogger("tensorflow").setLevel(logging.ERROR)
    # Keras 3.15 converts its own tensors with np.array(x), which NumPy 2 flags: not our code.
    warnings.filterwarnings("ignore", message="__array__ implementation doesn't accept a copy",
                            category=DeprecationWarning)
    module = _import("keras")
    if "keras" not in _seeded and os.environ.get("CNNGUIDE_SEED"):
        module.utils.set_random_seed(int(os.environ["CNNGUIDE_SEED"]))  # python, numpy, TensorFlow
        _seeded.add("keras")
    if module.backend.backend() != "tensorflow":
        raise FrameworkMissingError(
            f"Keras is running on the {module.backend.backend()!r} backend; cnnguide's Keras "
            "models are checked on TensorFlow. Unset KERAS_BACKEND or set it to 'tensorflow'."
        )
    return module


def _prepare_for_torch() -> None:
    # TensorFlow came first and triton is not loaded: a later triton import would crash the
    # process, so make it fail cleanly instead (torch then treats triton as absent).
    if "tensorflow" in sys.modules and "triton" not in sys.modules:
        sys.modules["triton"] = None  # type: ignore[assignment]


def torch() -> ModuleType:
    """Import PyTorch, safely whether or not TensorFlow is already loaded."""
    _prepare_for_torch()
    # The CUDA build probes for a GPU on first use and warns when there is none (as on CPU-only
    # machines): noise in every build log, not a problem with the models.
    warnings.filterwarnings("ignore", message="CUDA initialization", category=UserWarning)
    module = _import("torch")
    if "torch" not in _seeded and os.environ.get("CNNGUIDE_SEED"):
        module.manual_seed(int(os.environ["CNNGUIDE_SEED"]))
        _seeded.add("torch")
    return module


def torchvision() -> ModuleType:
    """Import torchvision (it imports torch._dynamo, which looks for triton)."""
    _prepare_for_torch()
    return _import("torchvision")


def torchinfo() -> ModuleType:
    """Import torchinfo, PyTorch's summary library."""
    _prepare_for_torch()
    return _import("torchinfo")


def loaded() -> dict[str, bool]:
    """Which of the heavy modules this process has imported (for tests and diagnostics)."""
    return {name: name in sys.modules and sys.modules[name] is not None
            for name in ("tensorflow", "keras", "torch", "torchvision", "triton")}


def versions() -> dict[str, str]:
    """Installed versions of the frameworks, read without importing them."""
    from importlib import metadata

    found = {}
    for dist in ("tensorflow", "keras", "torch", "torchvision", "torchinfo", "numpy"):
        try:
            found[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            found[dist] = "not installed"
    return found
