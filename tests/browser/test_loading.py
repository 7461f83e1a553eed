"""Every page, in every language and colour scheme, loads without a console error and asks
nothing of any host but the local server: fonts, scripts, styles and icons ship with the site."""

from __future__ import annotations

import pytest

from .harness import SCHEMES, is_local
from .known_issues import SITEMAP_404, judge

pytestmark = pytest.mark.slow


def test_the_site_has_pages_in_more_than_one_language(site_pages, default_lang):
    langs = {page.lang for page in site_pages}
    assert len(langs) >= 2 and "?" not in langs, langs
    assert default_lang in langs


@pytest.mark.parametrize("scheme", sorted(SCHEMES))
def test_every_page_requests_only_the_local_server(inspection, site_pages, scheme):
    problems = []
    for page in site_pages:
        requests = inspection(page, scheme).traffic.requests
        assert requests, f"{page.name}: no request recorded at all"
        problems += [f"{page.name}: requested {url}" for url in requests if not is_local(url)]
    judge(problems)


@pytest.mark.parametrize("scheme", sorted(SCHEMES))
def test_every_page_logs_no_console_error(inspection, site_pages, scheme):
    problems = [f"{page.name}: {error}" for page in site_pages for error in inspection(page, scheme).traffic.errors]
    judge(problems, (SITEMAP_404,))
