"""Moving around a page: the language switcher keeps the page, and one click on a framework's
tab switches every TensorFlow / PyTorch tab set on the page (theme feature content.tabs.link).

Both read the page's one load in the light scheme (harness.inspect_page clicks the tabs and
then leaves through the language menu, as a reader would)."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from .harness import counterpart
from .known_issues import judge

pytestmark = pytest.mark.slow


def test_language_switcher_keeps_the_page(inspection, site_base, site_pages, default_lang):
    langs = sorted({page.lang for page in site_pages})
    base_path = urlsplit(site_base).path
    problems = []
    for page in site_pages:
        reached = inspection(page).languages
        assert sorted(reached) == [lang for lang in langs if lang != page.lang], page.name
        for lang, got in reached.items():
            want = base_path + counterpart(page, lang, default_lang)
            if got != want:
                problems.append(f"{page.name}: switching to {lang} went to {got}, not {want}")
    judge(problems)


def test_one_framework_tab_click_switches_every_tab_set(inspection, site_pages):
    problems, linked_pages = [], 0
    for page in site_pages:
        after = inspection(page).tabs
        # a reader clicks a label they can see; sets hidden in a closed <details> must switch
        # too (checked), and those on screen must show the chosen block
        for name, sets in after.items():
            for i, s in enumerate(sets):
                want = s["labels"].index(name)
                shows = [j == want for j in range(len(s["visible"]))]
                if s["checked"] != want or (s["shown"] and s["visible"] != shows):
                    where = " (in a closed <details>)" if s["closed"] else ""
                    problems.append(f"{page.name}: after clicking {name}, tab set {i + 1}{where} shows "
                                    f"{s['labels'][s['checked']] if s['checked'] >= 0 else 'nothing'}")
        linked_pages += bool(after) and len(next(reversed(after.values()))) >= 2
    assert linked_pages, "no page has two framework tab sets: this check would prove nothing"
    judge(problems)
