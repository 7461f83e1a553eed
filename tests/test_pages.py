"""Run every page's executed blocks directly, in both languages: fast feedback without MkDocs."""

from __future__ import annotations

import contextlib
import io
import re

import pytest

from cnnguide.docs import context, hooks
from conftest import ROOT

EXEC_BLOCK = re.compile(r'^(?P<indent> *)```python exec="on"[^\n]*\n(?P<code>.*?)^(?P=indent)```', re.M | re.S)
PAGES = sorted((ROOT / "docs").rglob("*.md"))


def _blocks(path):
    for match in EXEC_BLOCK.finditer(path.read_text(encoding="utf-8")):
        indent = len(match["indent"])
        yield "\n".join(line[indent:] for line in match["code"].splitlines())


@pytest.fixture(scope="module", autouse=True)
def site_cache():
    """The blocks read the model records the strict build stored (they compute any that are
    missing, as the build would): the build proves the models, these tests prove the blocks."""
    from cnnguide import cache

    cache.configure(ROOT / ".cache" / "cnnguide")
    yield
    cache.configure(None)


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.relative_to(ROOT / "docs").as_posix())
def test_page_blocks_run(path):
    lang = path.relative_to(ROOT / "docs").parts[0]
    context.set_language(lang)
    for code in _blocks(path):
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(compile(code, str(path), "exec"), {})
        assert out.getvalue().strip(), f"a block of {path.name} printed nothing"


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.relative_to(ROOT / "docs").as_posix())
def test_page_facts_resolve(path):
    expanded = hooks.expand(path.read_text(encoding="utf-8"), path.name)
    assert "{{" not in expanded


def test_tables_follow_the_language():
    from cnnguide.docs.tables import architecture

    context.set_language("ko")
    assert "합성곱" in architecture("lenet5")
    context.set_language("en")
    assert "Convolution" in architecture("lenet5")


@pytest.mark.parametrize("text", [
    "{{ 138,357,545 = lenet5.params }}",  # one "=": not a check, so it used to be published as is
    "{{ lenet5 params }}",
    "{{ }}",
    "{{ lenet5.params }",                 # braces that do not close: a fact the writer meant
    "{ lenet5.params }}",
])
def test_braces_that_are_not_a_fact_fail_naming_the_page(text):
    """Anything in double braces is meant as a fact; one that is not (a typo) must not reach the
    site as literal text, and the error must say which page holds it."""
    from mkdocs.exceptions import PluginError

    with pytest.raises(PluginError, match=r"^en/vgg\.md: .*not a fact"):
        hooks.expand(f"VGG-16 has\n{text} parameters.\n", "en/vgg.md")


def test_a_layer_attribute_asked_of_a_whole_model_says_so():
    """``groups`` belongs to a convolution; asked of a model it fails in words, not with an
    AttributeError from inside the view."""
    from cnnguide.docs import facts
    from cnnguide.errors import CnnguideError

    with pytest.raises(CnnguideError, match="'groups' belongs to a layer"):
        facts.value("lenet5.groups")
    assert facts.value("lenet5.C1.groups") == 1
