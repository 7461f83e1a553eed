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


class OptionError(CnnguideError, ValueError):
    """A builder option with a value the builder does not offer."""


class FrameworkMissingError(CnnguideError, ImportError):
    """A framework that this machine does not have installed."""


class ParityError(CnnguideError, ValueError):
    """Two models that cannot be paired layer by layer (different architectures)."""
