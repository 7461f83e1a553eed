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
