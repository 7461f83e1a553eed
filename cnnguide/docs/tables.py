"""Page-level tables of any catalog model, in the page's language."""

from __future__ import annotations

from ..render.tables import arithmetic_table, grouped_table, layer_table
from .context import language
from .models import agreed_view


def architecture(name: str, **options) -> str:
    """The layer table both frameworks agree on."""
    return layer_table(agreed_view(name, **options), language())


def arithmetic(name: str, **options) -> str:
    """Per-layer parameter and MAC arithmetic, checked against the counted values."""
    return arithmetic_table(agreed_view(name, **options), language())


def blocks(name: str, pattern: str, **options) -> str:
    """The architecture with each block (rows whose names match ``pattern``) on one row."""
    return grouped_table(agreed_view(name, **options), language(), pattern)


def block_rows(name: str, prefix: str, **options) -> str:
    """The rows of one block (names starting with ``prefix``), layer by layer, from the map
    the block reads (the same rows as ``figure(name, block=prefix)`` draws)."""
    return layer_table(agreed_view(name, **options).block(prefix), language())
