"""MkDocs hook: sets each page's language for its executed blocks and expands facts in prose.

Listed under ``hooks:`` in mkdocs.yml. A fact that is unknown, a typed number that no longer
matches the code, anything in double braces that is not a fact (``{{ 61,706 = lenet5.params }}``),
and an executed block that raises each abort the build with a message naming the page.

It also points :mod:`cnnguide.cache` at ``.cache/cnnguide`` beside mkdocs.yml, and with
``CNNGUIDE_EXECUTE=off`` renders executed blocks as plain code without running them and facts
as their names (the benchmark's baseline: the same pages, no execution).
"""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import CombinedEvent, event_priority

from cnnguide import cache
from cnnguide.docs import context, facts, reproducible
from cnnguide.errors import CnnguideError

FACT = re.compile(r"\{\{\s*(?:(?P<typed>[^{}=]+?)\s*==\s*)?(?P<fact>[\w.]+)\s*\}\}")
# Whatever is left in double braces once the facts are expanded was meant as a fact but is not
# one (one "=" for "==", a space in a name, a brace missing): published as it is, it would show
# the reader a template instead of a number nobody checked.
BRACES = re.compile(r"\{\{|\}\}")


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

    expanded = FACT.sub(substitute, markdown)
    stray = BRACES.search(expanded)
    if stray:
        line = expanded.count("\n", 0, stray.start()) + 1
        text = expanded.splitlines()[line - 1].strip()
        raise PluginError(
            f"{where}: line {line} has {stray[0]!r} that is not a fact: {text!r}. Write "
            "{{ model.attr }} or {{ typed == model.attr }} (see cnnguide.docs.facts)."
        )
    return expanded


class _Rendering:
    """The page MkDocs renders now (it renders a page right after its on_page_markdown), and
    how many of its executed blocks have run: what an error in a block must name."""

    page = "page"
    blocks = 0


def on_page_markdown(markdown, page, config, files):
    from cnnguide.docs import glossary

    lang = language_of(page)
    context.set_language(lang)
    _Rendering.page, _Rendering.blocks = page.file.src_uri, 0
    # The glossary's terms as tooltips, defined in the page's language (abbr's definitions).
    return expand(markdown, page.file.src_uri) + "\n\n" + glossary.abbreviations(lang) + "\n"


def _block_failed(message: str) -> Exception:
    """A build error that passes through pymdownx.superfences: it swallows any other exception
    a fence formatter raises and renders the block as plain code, so the build would succeed."""
    from pymdownx.superfences import SuperFencesException

    class ExecutedBlockError(PluginError, SuperFencesException):
        pass

    return ExecutedBlockError(message)



def _run_block(code: str, **_) -> str:
    """Run one executed block as markdown-exec does (what it prints is the block's output), but
    let a block that raises fail the build, naming its page and its place there.

    markdown-exec itself only logs a warning naming "code block n39" (counted over the whole
    site, in render order) and renders the traceback into the page.
    """
    _Rendering.blocks += 1
    where = f"{_Rendering.page}: executed block {_Rendering.blocks}"
    if Path(_Rendering.page).name in CACHED_PAGES:
        # A page of plain cnnguide calls (the guide builds models itself): its output is cached
        # like the models' records, so a warm build still imports no framework.
        from cnnguide import catalog

        return cache.cached("page_block", [code, context.language()], catalog.names(),
                            lambda: _execute(code, where))
    return _execute(code, where)


CACHED_PAGES = ("guide.md",)
"""Pages whose executed blocks call cnnguide directly instead of a cached page module."""


def _execute(code: str, where: str) -> str:
    output = io.StringIO()
    namespace = {"__name__": "cnnguide_executed_block",
                 "print": lambda *args, **kwargs: print(*args, **{**kwargs, "file": output})}
    try:
        exec(compile(code, f"<{where}>", "exec"), namespace)
    except Exception as exc:  # noqa: BLE001 - any failure of a block is a failure of the page
        raise _block_failed(f"{where} failed: {type(exc).__name__}: {exc}") from exc
    return output.getvalue()


def _run_naming_the_page(code: str, md, **options):
    from markdown_exec import base_format

    return base_format(language="python", run=_run_block, code=code, md=md, **options)


def _show_without_running(code: str, md, **options):
    from markdown_exec import base_format

    return base_format(language="python", run=lambda code, **_: f"```python\n{code}\n```",
                       code=code, md=md)


def on_page_content(html, page, config, files):
    """LaTeX math becomes MathML here, at build time (:mod:`cnnguide.render.mathml`)."""
    from cnnguide.render import mathml

    return mathml.render(html)


def on_config(config):
    import markdown_exec

    cache.configure(Path(config.config_file_path).parent / ".cache" / "cnnguide")
    markdown_exec.formatters["python"] = (
        _run_naming_the_page if execution_enabled() else _show_without_running)
    if execution_enabled() and not _in_language_build(config):
        from cnnguide.docs import onnx_files, prefetch

        prefetch.start()  # a second process computes known model records meanwhile
    return config


def _in_language_build(config) -> bool:
    """Whether this is mkdocs-static-i18n's build of another language, nested in the main one."""
    return Path(config.site_dir).name == "en"


# Drawings hold no words a reader searches for, only node labels ("BatchNorm2d", "1x64x56x56"),
# and the full graphs are most of a page's HTML (1.4 of DenseNet's 1.8 MB), all of which
# Material's search plugin would parse tag by tag. It reads the page without them; the page
# keeps them.
_SVG = re.compile(r"<svg\b.*?</svg>", re.S)


@event_priority(10)  # before Material's search plugin (priority 0) reads the page
def _hide_drawings_from_search(context, page, config, nav):
    page.cnnguide_content = page.content
    page.content = _SVG.sub("", page.content)
    return context


@event_priority(-10)  # after it: the page is rendered with its drawings
def _restore_drawings(context, page, config, nav):
    page.content = page.cnnguide_content
    return context


on_page_context = CombinedEvent(_hide_drawings_from_search, _restore_drawings)


@event_priority(-110)
def on_post_build(config):
    """Write the models built, for the benchmark (``CNNGUIDE_BUILD_LOG``: a JSON file), put the
    sitemap beside every page's directory (:func:`_copy_sitemaps`), and keep a cold build's file
    digests for the determinism test (:mod:`cnnguide.docs.reproducible`).

    Last of every plugin's post-build step: mkdocs-static-i18n's (priority -100) builds the
    other language and rewrites the search index, and the digests must see the finished site.
    """
    import json

    from cnnguide.builder import BUILT

    from cnnguide.docs import onnx_files, prefetch

    if os.environ.get("CNNGUIDE_BUILD_LOG"):
        Path(os.environ["CNNGUIDE_BUILD_LOG"]).write_text(json.dumps(BUILT, default=list))
    site = Path(config.site_dir)
    _copy_sitemaps(site)
    if not _in_language_build(config):  # the whole site, after mkdocs-static-i18n has built /en/ inside it
        prefetch.stop()
        onnx_files.write_downloads(site)
        reproducible.note_cold_build(Path(config.config_file_path).parent, site)


def _copy_sitemaps(site: Path) -> None:
    """Material's language selector checks that a page exists in the other language by fetching
    ``sitemap.xml`` relative to each alternate link, and mkdocs-static-i18n writes per-page
    alternate links (``/en/lenet5/``), so the browser asks for ``/en/lenet5/sitemap.xml``: a 404
    in the console of every page. A copy there answers it.
    """
    import shutil

    sitemap = site / "sitemap.xml"
    root_sitemap = site.parent / "sitemap.xml" if site.name == "en" else sitemap
    source = sitemap if sitemap.exists() else root_sitemap
    if not source.exists():
        return
    for page in site.rglob("index.html"):
        target = page.parent / "sitemap.xml"
        if target != source and not target.exists():
            shutil.copyfile(source, target)
