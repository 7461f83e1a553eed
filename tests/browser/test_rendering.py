"""What a reader sees in each colour scheme: Material really switches to its dark scheme when
the system asks for one, and every table has a size on screen in both schemes. A full-page
screenshot of each page, language and scheme is left in test-artifacts/screenshots/<scheme>/
for a person (or CI's artefacts) to look at."""

from __future__ import annotations

import pytest

from .harness import SCHEMES
from .known_issues import judge

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("scheme", sorted(SCHEMES))
def test_each_scheme_is_shown_and_every_table_has_a_size(inspection, site_pages, scheme):
    problems, measured = [], 0
    for page in site_pages:
        seen = inspection(page, scheme)
        assert seen.screenshot.stat().st_size > 0
        if seen.scheme != SCHEMES[scheme]:
            problems.append(f"{page.name}: prefers-color-scheme {scheme} shows scheme {seen.scheme!r}")
        for i, (width, height) in enumerate(seen.tables, 1):
            measured += 1
            if width <= 0 or height <= 0:
                problems.append(f"{page.name}: table {i} is {width} x {height} px in {scheme}")
    assert measured, "no page has a table: this check would prove nothing"
    judge(problems)
