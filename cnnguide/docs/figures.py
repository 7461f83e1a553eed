"""A study's paper figures beside our computed values: one table for every case-study page."""

from __future__ import annotations

from .. import catalog
from ..errors import CnnguideError
from ..render.labels import VERDICTS, header, number
from ..render.tables import markdown_table
from .context import language
from .models import agreed_view


def verdict(fig: catalog.Figure, ours: float) -> str:
    """'exact', 'within' or 'differs'; raises when a figure we must reproduce is off."""
    if fig.tolerance is None:
        return "differs"
    if ours == fig.value:
        return "exact"
    if abs(ours - fig.value) <= fig.tolerance * fig.value:
        return "within"
    raise CnnguideError(
        f"{fig.key}: the source says {fig.value:,}, our model gives {ours:,} "
        f"(more than the {fig.tolerance:.0%} the figure allows)."
    )


def comparison_table(study: str, models: dict[str, dict] | None = None) -> str:
    """Every ``<model>.params`` / ``<model>.macs`` figure of ``study`` against our model.

    ``models`` maps a model name to the options to build it with (default: none).
    """
    lang = language()
    models = models or {}
    rows = []
    for fig in catalog.study(study).figures:
        name, _, attr = fig.key.rpartition(".")
        if attr not in ("params", "macs", "depth") or name not in catalog.MODELS:
            continue
        view = agreed_view(name, **models.get(name, {}))
        ours = {"params": view.trainable, "macs": view.macs, "depth": view.depth}[attr]
        tolerance = "" if fig.tolerance in (None, 0) else f" (±{fig.tolerance:.0%})"
        rows.append([f"`{name}`", fig.unit[lang], number(int(fig.value)) + tolerance, number(ours),
                     VERDICTS[verdict(fig, ours)][lang], fig.why.get(lang, ""), fig.source])
    heads = [{"ko": "모델", "en": "Model"}[lang], header("figure", lang), header("stated", lang),
             header("ours", lang), header("verdict", lang), {"ko": "이유", "en": "Why"}[lang],
             header("source", lang)]
    return markdown_table(heads, rows, "llrrlll")
