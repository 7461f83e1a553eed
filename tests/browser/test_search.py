"""Search works in both languages from a real browser: Material opens its search from the URL
(``?q=``), runs lunr (with its Korean support) in a web worker, and lists the pages found.

SEARCHES is data: a new page adds a row (a term a reader would type, the page it must find).
"""

from __future__ import annotations

import json
from urllib.parse import quote, urlsplit

import pytest

from .harness import visit
from .known_issues import SEARCH_UNDEFINED, judge

pytestmark = pytest.mark.slow

SEARCHES = [
    # (term, the page it must find); the search starts on the home page of that page's language
    ("서브샘플링", "lenet5/"),
    ("subsampling", "en/lenet5/"),
]

RESULTS = "() => [...document.querySelectorAll('.md-search-result__item a')].map(a => a.href)"


def search(browser, site_base, site_pages, term: str, page_path: str) -> list[str]:
    """The paths (below the site root) of every result of ``term``, searched from the home page
    of ``page_path``'s language."""
    lang = next(p.lang for p in site_pages if p.path == page_path)
    home = min((p.path for p in site_pages if p.lang == lang), key=len)
    with visit(browser, f"{site_base}{home}?q={quote(term)}") as (tab, _):
        config = json.loads(tab.locator("#__config").text_content())
        placeholder = config["translations"]["search.result.placeholder"]
        # The search is done when its summary line stops being the "type to search" placeholder.
        tab.wait_for_function(
            "p => { const m = document.querySelector('.md-search-result__meta');"
            " return m && m.textContent.trim() && m.textContent.trim() !== p; }", arg=placeholder)
        base_path = urlsplit(site_base).path
        return [urlsplit(href).path.removeprefix(base_path) for href in tab.evaluate(RESULTS)]


@pytest.mark.parametrize(("term", "page_path"), SEARCHES)
def test_search_finds_the_page(browser, site_base, site_pages, term, page_path):
    found = search(browser, site_base, site_pages, term, page_path)
    assert page_path in found, f"searching {term!r} found {found or 'nothing'}, not /{page_path}"


@pytest.mark.parametrize(("term", "page_path"), SEARCHES)
def test_search_results_link_to_pages_of_the_site(browser, site_base, site_pages, term, page_path):
    pages = {p.path for p in site_pages}
    found = search(browser, site_base, site_pages, term, page_path)
    judge([f"{term!r}: a result links to /{path}" for path in found if path not in pages],
          (SEARCH_UNDEFINED,))
