"""The errors cnnguide raises, each with a message that says what was wrong and what to do.

Every error derives from :class:`CnnguideError`, so a caller (the CLI, a docs page) can catch
ours without catching a framework's own exceptions by accident.
"""

from __future__ import annotations

import difflib


class CnnguideError(Exception):
    """Base class of every error cnnguide raises on purpose."""


class UnknownModelError(CnnguideError, KeyError):
    """A model or case-study name that the catalog does not know."""

    def __init__(self, name: object, known: list[str], what: str = "model"):
        self.name, self.known = name, known
        close = difflib.get_close_matches(str(name).lower(), known, n=1, cutoff=0.5)
        hint = f" Did you mean {close[0]!r}?" if close else ""
        super().__init__(
            f"Unknown {what} {name!r}.{hint} Known {what}s: {', '.join(known)}."
        )

    def __str__(self) -> str:  # KeyError would otherwise print the message in quotes
        return self.args[0]


class UnknownBlockError(CnnguideError, KeyError):
    """A block prefix that names no rows of a model (``ModelView.block``)."""

    def __init__(self, prefix: object, model: str, known: list[str], layers: list[str]):
        self.prefix, self.known = prefix, known
        if known:
            close = difflib.get_close_matches(str(prefix), known, n=1, cutoff=0.6)
            hint = f" Did you mean {close[0]!r}?" if close else ""
            options = f"Its blocks: {', '.join(known)}."
        else:  # a plain chain (AlexNet, LeNet-5): any prefix of a layer name still selects rows
            hint, options = "", f"It names no blocks; its layers are {', '.join(layers)}."
        super().__init__(f"No layer of {model} starts with {prefix!r}.{hint} {options}")

    def __str__(self) -> str:  # KeyError would otherwise print the message in quotes
        return self.args[0]


class UnknownFrameworkError(CnnguideError, ValueError):
    """A framework name other than 'keras' or 'torch'."""

    def __init__(self, framework: object, known: tuple[str, ...]):
        self.framework = framework
        super().__init__(
            f"Unknown framework {framework!r}: use one of {', '.join(map(repr, known))} "
            "('tensorflow' and 'pytorch' are accepted as aliases)."
        )


class InputShapeError(CnnguideError, ValueError):
    """An input shape the network cannot take: malformed, too small, or the wrong channel count."""


class LayerError(CnnguideError, ValueError):
    """A layer that its framework refused to build or run, for a reason other than an input too
    small for it (a channel count that does not match, a bad argument): the message names the
    layer and gives the framework's own words."""


class OptionError(CnnguideError, ValueError):
    """A builder option with a value the builder does not offer."""


class FrameworkMissingError(CnnguideError, ImportError):
    """A framework that this machine does not have installed."""


class ParityError(CnnguideError, ValueError):
    """Two models that cannot be paired layer by layer (different architectures)."""


class ExportError(CnnguideError, ValueError):
    """A model that could not be written in an exchange format (ONNX): a format cnnguide does
    not write, a path that cannot be written, or a converter that failed on the model (the
    message names the model, gives the converter's first line, and says what to do)."""
