"""Layer tables of any catalog model for a page's own story, in the page's language (the
standard sections are in :mod:`cnnguide.docs.kit`)."""

from __future__ import annotations

from ..render.tables import layer_table
from .context import language
from .models import agreed_view


def architecture(name: str, **options) -> str:
    """The layer table both frameworks agree on."""
    return layer_table(agreed_view(name, **options), language())


def block_rows(name: str, prefix: str, **options) -> str:
    """The rows of one block (names starting with ``prefix``), layer by layer, from the map
    the block reads (the same rows as ``figure(name, block=prefix)`` draws)."""
    return layer_table(agreed_view(name, **options).block(prefix), language())
