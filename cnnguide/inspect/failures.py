"""Which layer an exception came from, for errors that name the layer instead of a traceback.

Both frameworks raise shape errors from deep inside a layer's call (Keras while building the
graph, PyTorch in a forward pass) with messages that do not name the layer. The layer object is
still on the stack: this walks the traceback for the innermost layer and finds its name.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import TracebackType


@dataclass(frozen=True)
class FailingLayer:
    name: str
    kind: str


def _is_keras_layer(obj: object) -> bool:
    return any(c.__module__.startswith("keras") and c.__name__ == "Layer" for c in type(obj).__mro__)


def _is_torch_module(obj: object) -> bool:
    return any(c.__module__.startswith("torch.nn") and c.__name__ == "Module" for c in type(obj).__mro__)


def _frames_self(tb: TracebackType | None):
    while tb is not None:
        obj = tb.tb_frame.f_locals.get("self")
        if obj is not None:
            yield obj
        tb = tb.tb_next


def locate(exc: BaseException) -> FailingLayer | None:
    """The innermost Keras layer or PyTorch module on ``exc``'s traceback, or None."""
    keras_layers = [o for o in _frames_self(exc.__traceback__) if _is_keras_layer(o)]
    leaf = [o for o in keras_layers if not hasattr(o, "layers")]  # not a Model/Sequential
    if leaf:
        return FailingLayer(leaf[-1].name, type(leaf[-1]).__name__)
    modules = [o for o in _frames_self(exc.__traceback__) if _is_torch_module(o)]
    if modules:
        inner, outer = modules[-1], modules[0]
        # A module does not know its own name: its outermost owner on the stack does.
        name = next((n for n, m in outer.named_modules() if m is inner and n), None)
        if name is not None:
            return FailingLayer(name, type(inner).__name__)
    return None
