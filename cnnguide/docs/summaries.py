"""Each framework's own summary of a model (Keras ``model.summary()``, torchinfo), as text, from
the model's record (computed for the main model of each study)."""

from __future__ import annotations

from ..errors import CnnguideError
from .records import record


def summary(name: str, framework: str, **options) -> str:
    summaries = record(name, **options).get("summaries")
    if summaries is None:
        raise CnnguideError(f"No summaries are computed for {name} {options or ''}: the site shows the "
                            "summaries of each study's main model (cnnguide.catalog.Study.model).")
    return summaries[framework]


def keras_summary(name: str, **options) -> str:
    return summary(name, "keras", **options)


def torch_summary(name: str, **options) -> str:
    return summary(name, "torch", **options)


def code_block(text: str, language: str = "text") -> str:
    """Fence ``text`` so Markdown shows it verbatim."""
    return f"```{language}\n{text}\n```"
