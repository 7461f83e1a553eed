"""What a reader sees in each colour scheme: Material really switches to its dark scheme when
the system asks for one, and every table and chart has a size on screen in both schemes. A
screenshot of each page, language and scheme (its first screen; the whole page with
CNNGUIDE_SCREENSHOTS=full) is left in test-artifacts/screenshots/<scheme>/ for a person (or CI's
artefacts) to look at."""

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


@pytest.mark.parametrize("scheme", sorted(SCHEMES))
def test_every_chart_shows_its_schemes_copy_with_a_size(inspection, site_pages, scheme):
    """The comparison page's charts (cnnguide.render.charts) are drawn once per scheme: exactly
    the copy for the scheme on screen shows, and it has a size."""
    problems, charts = [], 0
    for page in site_pages:
        for i, shown in enumerate(inspection(page, scheme).charts, 1):
            charts += 1
            if [copy[0] for copy in shown] != [scheme]:
                problems.append(f"{page.name}: chart {i} shows {[c[0] for c in shown]} in {scheme}")
            elif shown[0][1] <= 0 or shown[0][2] <= 0:
                problems.append(f"{page.name}: chart {i} is {shown[0][1]} x {shown[0][2]} px in {scheme}")
    assert charts >= 6, f"only {charts} charts found: the comparison page has three in each language"
    judge(problems)


@pytest.mark.parametrize("scheme", sorted(SCHEMES))
def test_every_formula_is_laid_out_as_math(inspection, site_pages, scheme):
    """Formulas are MathML made at build time (cnnguide.render.mathml): each has a size, and its
    superscripts sit above their bases, as only a MathML layout puts them."""
    problems, formulas = [], 0
    for page in site_pages:
        for width, height, raised, tex in inspection(page, scheme).math:
            formulas += 1
            if width <= 0 or height <= 0 or not raised:
                problems.append(f"{page.name}: {tex!r} is {width} x {height} px, superscripts raised: {raised}")
    assert formulas >= 20, f"only {formulas} formulas found: the ResNet, MobileNet and EfficientNet pages have more"
    judge(problems)
