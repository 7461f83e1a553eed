"""MkDocs hook: sets each page's language for its executed blocks and expands facts in prose.

Listed under ``hooks:`` in mkdocs.yml. A fact that is unknown, or a typed number that no longer
matches the code, aborts the build with a message naming the page.

It also points :mod:`cnnguide.cache` at ``.cache/cnnguide`` beside mkdocs.yml, and with
``CNNGUIDE_EXECUTE=off`` renders executed blocks as plain code without running them and facts
as their names (the benchmark's baseline: the same pages, no execution).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from mkdocs.exceptions import PluginError

from cnnguide import cache
from cnnguide.docs import context, facts
from cnnguide.errors import CnnguideError

FACT = re.compile(r"\{\{\s*(?:(?P<typed>[^{}=]+?)\s*==\s*)?(?P<fact>[\w.]+)\s*\}\}")


def language_of(page) -> str:
    """'en' for pages under docs/en/, 'ko' otherwise (mkdocs-static-i18n sets file.locale)."""
    locale = getattr(page.file, "locale", None)
    if locale:
        return locale
    return "en" if page.file.src_uri.startswith("en/") else "ko"


def execution_enabled() -> bool:
    return os.environ.get("CNNGUIDE_EXECUTE", "").lower() not in ("off", "0", "false", "no")


def expand(markdown: str, where: str = "page") -> str:
    def substitute(match: re.Match) -> str:
        if not execution_enabled():
            return f"`{match['fact']}`"
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


def _show_without_running(code: str, md, **options):
    from markdown_exec import base_format

    return base_format(language="python", run=lambda code, **_: f"```python\n{code}\n```",
                       code=code, md=md)


def on_config(config):
    os.environ.setdefault("CNNGUIDE_SEED", "0")  # reproducible model initialisation, see frameworks
    cache.configure(Path(config.config_file_path).parent / ".cache" / "cnnguide")
    if not execution_enabled():
        import markdown_exec

        markdown_exec.formatters["python"] = _show_without_running
    return config


def on_post_build(config):
    """Put the sitemap beside every page's directory as well.

    Material's language selector checks that a page exists in the other language by fetching
    ``sitemap.xml`` relative to each alternate link, and mkdocs-static-i18n writes per-page
    alternate links (``/en/lenet5/``), so the browser asks for ``/en/lenet5/sitemap.xml``: a 404
    in the console of every page. A copy there answers it.
    """
    import shutil

    site = Path(config.site_dir)
    sitemap = site / "sitemap.xml"
    root_sitemap = site.parent / "sitemap.xml" if site.name == "en" else sitemap
    source = sitemap if sitemap.exists() else root_sitemap
    if not source.exists():
        return
    for page in site.rglob("index.html"):
        target = page.parent / "sitemap.xml"
        if target != source and not target.exists():
            shutil.copyfile(source, target)
