"""No serious or critical accessibility violation on any page, in any language or colour
scheme, as axe-core (vendored in vendor/, see its README) judges the page as loaded: every rule
in the light scheme, the rules that depend on colours (harness.AXE_COLOUR_RULES) in the dark."""

from __future__ import annotations

import pytest

from .harness import SCHEMES
from .known_issues import AXE, judge

pytestmark = pytest.mark.slow

SHOWN = 3  # nodes listed per rule and page; the count says how many there are


@pytest.mark.parametrize("scheme", sorted(SCHEMES))
def test_no_serious_or_critical_violation(inspection, site_pages, scheme):
    problems = []
    for page in site_pages:
        for v in inspection(page, scheme).violations:
            # One line per rule and place (in a code block or not), so a known issue about
            # code colours cannot hide the same rule failing in prose.
            for code in (True, False):
                nodes = [n for n in v["nodes"] if n["code"] == code]
                if nodes:
                    where = " in a code block" if code else ""
                    shown = "; ".join(f"{n['target']}: {n['message']}" for n in nodes[:SHOWN])
                    problems.append(f"{page.name}: {v['id']} ({v['impact']}){where}, "
                                    f"{len(nodes)} node(s): {shown}")
    judge(problems, AXE)
