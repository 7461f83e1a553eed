"""Lazy, safe imports of the two frameworks: the only module that imports them by name.

Why a module for this: ``import cnnguide`` must stay light (no framework), and the two
frameworks must be loaded in one order only. Importing ``triton`` after ``tensorflow`` in one
process kills Python with a segmentation fault (no traceback). PyTorch imports triton lazily:
``import torchvision`` does (through ``torch._dynamo``), and so do optimizers and
``torch.compile``. So:

* before TensorFlow is first imported, triton (when installed) is imported first, which is safe;
* whenever cnnguide loads or uses TensorFlow and finds it loaded without triton (a user imported
  TensorFlow themselves, or triton is not installed), triton is made unimportable for this
  process, so PyTorch takes its ordinary "no triton" path instead of crashing, even when the
  user's own script imports torchvision afterwards. Triton only compiles GPU kernels; nothing
  cnnguide does needs it.

What cnnguide cannot guard is a script's own order before cnnguide loads anything:
``import tensorflow`` and then ``import torchvision`` (or a PyTorch optimizer's first step, or
``torch.compile``) crashes with or without cnnguide (README, "TensorFlow and PyTorch in one
script").

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
_EXTRA = {"keras": "keras", "tensorflow": "keras", "torch": "torch", "torchvision": "torch", "torchinfo": "torch",
          "timm": "torch", "onnx": "onnx", "onnxruntime": "onnx", "tf2onnx": "onnx"}



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
        try:
            installed = importlib.util.find_spec(top) is not None
        except ValueError:  # sys.modules[top] is None: blocked on purpose (as triton is, above)
            installed = False
        if installed:
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
    module = _import("tensorflow")
    # TensorFlow may have come first (imported by the user): from here on, a triton import by
    # anyone in this process (torchvision, an optimizer) would crash it. Guard it now, not only
    # when cnnguide itself next loads PyTorch.
    guard_triton()
    return module


def keras() -> ModuleType:
    """Import Keras 3 on the TensorFlow backend (the backend our Keras models are written for)."""
    backend = os.environ.get("KERAS_BACKEND", "tensorflow")
    if "keras" not in sys.modules and backend != "tensorflow":
        # Keras would import that backend's package first and fail with a bare
        # ModuleNotFoundError (or build models we never checked): say what to change instead.
        raise FrameworkMissingError(
            f"KERAS_BACKEND={backend!r}: cnnguide's Keras models are checked on TensorFlow only. "
            "Unset KERAS_BACKEND or set it to 'tensorflow' before Keras is imported."
        )
    tensorflow()
    # Retracing notices (one per new input shape of an eager call) are advice for training
    # loops, not problems in a build that runs each model a few times.
    logging.getLogger("tensorflow").setLevel(logging.ERROR)
    # Keras 3.15 converts its own tensors with np.array(x), which NumPy 2 flags: not our code.
    warnings.filterwarnings("ignore", message="__array__ implementation doesn't accept a copy",
                            category=DeprecationWarning)
    module = _import("keras")
    if module.backend.backend() != "tensorflow":
        raise FrameworkMissingError(
            f"Keras is running on the {module.backend.backend()!r} backend; cnnguide's Keras "
            "models are checked on TensorFlow. Unset KERAS_BACKEND or set it to 'tensorflow'."
        )
    return module


def guard_triton() -> None:
    """When TensorFlow is loaded and triton is not, make triton unimportable for this process.

    A later triton import would crash the process; this makes it fail cleanly instead (torch
    then treats triton as absent). Cheap and idempotent: called wherever cnnguide loads or
    reads a framework's models, so no path through cnnguide leaves the hazard armed.
    """
    if "tensorflow" in sys.modules and "triton" not in sys.modules:
        sys.modules["triton"] = None  # type: ignore[assignment]


def torch() -> ModuleType:
    """Import PyTorch, safely whether or not TensorFlow is already loaded."""
    guard_triton()
    # The CUDA build probes for a GPU on first use and warns when there is none (as on CPU-only
    # machines): noise in every build log, not a problem with the models.
    warnings.filterwarnings("ignore", message="CUDA initialization", category=UserWarning)
    return _import("torch")


def torchvision() -> ModuleType:
    """Import torchvision (it imports torch._dynamo, which looks for triton)."""
    guard_triton()
    return _import("torchvision")


def timm() -> ModuleType:
    """Import timm (PyTorch Image Models, an oracle only), after PyTorch: it imports torch and
    torchvision, which look for triton, so the guard must be armed first."""
    torch()
    return _import("timm")


def torchinfo() -> ModuleType:
    """Import torchinfo, PyTorch's summary library."""
    guard_triton()
    return _import("torchinfo")


def onnx() -> ModuleType:
    """Import onnx (reads and checks ONNX files; loads no framework)."""
    return _import("onnx")


def onnxruntime() -> ModuleType:
    """Import ONNX Runtime (runs ONNX files; loads no framework)."""
    return _import("onnxruntime")


def tf2onnx() -> ModuleType:
    """Import tf2onnx, the converter Keras's ``model.export(format="onnx")`` calls. It imports
    TensorFlow, so TensorFlow is loaded first, the safe way (:func:`tensorflow`)."""
    tensorflow()
    return _import("tf2onnx")


def seed(key: object, *, load: bool = False, only: str | None = None) -> int:
    """Seed the random generators of every loaded framework (and Python's and NumPy's) from
    ``key``, and return the seed.

    ``only="torch"`` seeds PyTorch's generator alone, ``only="keras"`` all the others: each
    of two threads, one building a Keras model and one a PyTorch model, seeds its own
    framework without resetting the generator the other is drawing from.

    Why from a key: a computation seeded from its own key (the model, its options, what is
    computed) initialises the same weights whatever the process built before, so a value read
    from the cache equals the value computed alone, and cold and warm builds publish the same
    bytes. For the same reason Keras's automatic layer names count from zero again. Frameworks
    that are not loaded are imported only with ``load=True`` (a computation
    that will load one must seed it first, or its first run in a process would differ).
    """
    import hashlib
    import random

    import numpy

    if load:
        keras()
        torch()

    value = int.from_bytes(hashlib.sha256(repr(key).encode()).digest()[:4], "big") & 0x7FFFFFFF
    if only != "torch":
        random.seed(value)
        numpy.random.seed(value)
        if sys.modules.get("keras") is not None:
            sys.modules["keras"].utils.set_random_seed(value)  # python, numpy, TensorFlow
            _keras_names_from_zero()
    if only != "keras" and sys.modules.get("torch") is not None:
        sys.modules["torch"].manual_seed(value)
    return value


def _keras_names_from_zero() -> None:
    """Keras names a layer built without a name by how many of its kind the process has made
    (keras.applications' Xception has a ``conv2d_94`` after the site's other models, a ``conv2d``
    alone). Counting from zero again, as ``keras.utils.clear_session()`` does, gives a library
    model the same names whatever came before. Only the counter: clear_session also empties
    TensorFlow's kernel cache, which every next operation would then fill again."""
    import collections

    from keras.src.backend.common import global_state

    global_state.set_global_attribute("object_name_uids", collections.defaultdict(int))


def loaded() -> dict[str, bool]:
    """Which of the heavy modules this process has imported (for tests and diagnostics)."""
    return {name: name in sys.modules and sys.modules[name] is not None
            for name in ("tensorflow", "keras", "torch", "torchvision", "timm", "triton")}


def versions() -> dict[str, str]:
    """Installed versions of the frameworks, read without importing them."""
    from importlib import metadata

    found = {}
    for dist in ("tensorflow", "keras", "torch", "torchvision", "torchinfo", "torchview", "timm",
                 "graphviz-pure", "numpy", "onnx", "onnxruntime", "tf2onnx"):
        try:
            found[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            found[dist] = "not installed"
    return found
