"""MkDocs hook: sets each page's language for its executed blocks and expands facts in prose.

Listed under ``hooks:`` in mkdocs.yml. A fact that is unknown, or a typed number that no longer
matches the code, aborts the build with a message naming the page.
"""

from __future__ import annotations

import re

from mkdocs.exceptions import PluginError

from cnnguide.docs import context, facts
from cnnguide.errors import CnnguideError

FACT = re.compile(r"\{\{\s*(?:(?P<typed>[^{}=]+?)\s*==\s*)?(?P<fact>[\w.]+)\s*\}\}")


def language_of(page) -> str:
    """'en' for pages under docs/en/, 'ko' otherwise (mkdocs-static-i18n sets file.locale)."""
    locale = getattr(page.file, "locale", None)
    if locale:
        return locale
    return "en" if page.file.src_uri.startswith("en/") else "ko"


def expand(markdown: str, where: str = "page") -> str:
    def substitute(match: re.Match) -> str:
        try:
            if match["typed"]:
                return facts.check(match["typed"], match["fact"])
            return facts.render(match["fact"])
        except CnnguideError as exc:
            raise PluginError(f"{where}: {exc}") from exc

    return FACT.sub(substitute, markdown)


def on_page_markdown(markdown, page, config, files):
    context.set_language(language_of(page))
    return expand(markdown, page.file.src_uri)
