"""Every internal link of the built site, in both languages, leads somewhere: to a file that
exists and, when it has a #fragment, to an element with that id in that file.

MkDocs --strict checks the links it writes from Markdown; this also covers what the theme,
the i18n plugin and raw HTML in pages write (language switcher, alternates, canonical URLs,
headers' permalinks, tab labels, footers), read from the HTML a browser gets. No browser needed.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from conftest import ROOT

pytestmark = pytest.mark.slow

# Attributes that point at something the site must have.
LINKS = {"a": "href", "link": "href", "script": "src", "img": "src", "source": "src", "iframe": "src"}
NOT_FETCHED = ("mailto:", "tel:", "javascript:", "data:")


class Page(HTMLParser):
    """The ids a page defines and the links it makes."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("name"):
            self.ids.add(attrs["name"])
        target = attrs.get(LINKS.get(tag, ""))
        if target is not None:
            self.links.append(target)


def site_url() -> str:
    from browser.harness import site_url as configured

    url = configured(ROOT / "mkdocs.yml")
    assert url, "mkdocs.yml has no site_url"
    return url.rstrip("/") + "/"


def target_file(site: Path, path: str) -> Path | None:
    """The file a URL path (below the site root) is served from, or None."""
    candidate = site / unquote(path)
    if path == "" or path.endswith("/") or candidate.is_dir():
        candidate = candidate / "index.html"
    return candidate if candidate.is_file() else None


def test_every_internal_link_and_anchor_resolves(built_site):
    base = site_url()                                  # e.g. https://owner.github.io/cnnguide/
    root = urlsplit(base)
    pages = {path: Page(path.read_text(encoding="utf-8")) for path in built_site.rglob("*.html")}
    problems, checked = [], 0
    for path, page in pages.items():
        rel = path.relative_to(built_site).as_posix()
        url = urljoin(base, rel.removesuffix("index.html"))  # the URL the page is served at
        for link in page.links:
            if not link or link.startswith(NOT_FETCHED):
                continue
            resolved = urlsplit(urljoin(url, link))
            if (resolved.scheme, resolved.netloc) != (root.scheme, root.netloc):
                continue  # another site: a reader's link, not ours to resolve
            checked += 1
            where = f"{rel}: {link!r}"
            if not resolved.path.startswith(root.path):
                problems.append(f"{where} leaves site_url's path {root.path}")
                continue
            target = target_file(built_site, resolved.path[len(root.path):])
            if target is None:
                problems.append(f"{where} -> no file for {resolved.path}")
            elif resolved.fragment and target.suffix == ".html":
                ids = pages[target].ids if target in pages else Page(target.read_text(encoding="utf-8")).ids
                if unquote(resolved.fragment) not in ids:
                    problems.append(f"{where} -> no id {unquote(resolved.fragment)!r} in "
                                    f"{target.relative_to(built_site).as_posix()}")
    problems = list(dict.fromkeys(problems))  # a link repeated on a page is one problem
    assert checked > 0 and not problems, f"{len(problems)} broken link(s) of {checked}:\n" + "\n".join(problems)


def test_links_of_both_languages_are_checked(built_site):
    """The check above reads every language's pages (the English tree lives under /en/)."""
    htmls = {p.relative_to(built_site).as_posix() for p in built_site.rglob("index.html")}
    assert any(p.startswith("en/") for p in htmls) and any(not p.startswith("en/") for p in htmls)
