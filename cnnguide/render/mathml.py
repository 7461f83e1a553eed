"""Math rendered while the site builds: LaTeX in the pages becomes MathML, which browsers draw
natively, so no script and no third-party host is needed to read a formula.

Pages write math as ``$...$`` (inline) or ``$$...$$`` (display); ``pymdownx.arithmatex`` in its
generic mode marks it up as ``<span class="arithmatex">\\(...\\)</span>`` and
``<div class="arithmatex">\\[...\\]</div>``, and :func:`render` replaces each with the MathML
that latex2mathml (pinned) converts it to. MathML takes the text colour of the page, so a
formula reads the same in the light and the dark scheme.
"""

from __future__ import annotations

import html
import re

_INLINE = re.compile(r'<span class="arithmatex">\\\((.*?)\\\)</span>', re.S)
_BLOCK = re.compile(r'<div class="arithmatex">\\\[(.*?)\\\]</div>', re.S)


def _convert(tex: str, display: str) -> str:
    from latex2mathml.converter import convert

    source = html.unescape(tex).strip()
    mathml = convert(source, display=display)
    # The TeX as the formula's text alternative: what a screen reader without MathML reads.
    return mathml.replace("<math ", f'<math alttext="{html.escape(source, quote=True)}" ', 1)


def render(page_html: str) -> str:
    """``page_html`` with every arithmatex span and block replaced by MathML."""
    page_html = _BLOCK.sub(lambda m: f'<div class="cnnguide-math">{_convert(m[1], "block")}</div>', page_html)
    return _INLINE.sub(lambda m: _convert(m[1], "inline"), page_html)
