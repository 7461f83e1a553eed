"""Page-level tables of any catalog model, in the page's language."""

from __future__ import annotations

from ..render.tables import arithmetic_table, layer_table
from .context import language
from .models import agreed_view


def architecture(name: str, **options) -> str:
    """The layer table both frameworks agree on."""
    return layer_table(agreed_view(name, **options), language())


def arithmetic(name: str, **options) -> str:
    """Per-layer parameter and MAC arithmetic, checked against the counted values."""
    return arithmetic_table(agreed_view(name, **options), language())
