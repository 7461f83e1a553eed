"""The API reference, the usage guide's terminal sessions, and math rendered at build time."""

from __future__ import annotations

import re

import griffe
import pytest

from conftest import ROOT
from cnnguide.docs import reference
from cnnguide.render import mathml


@pytest.fixture(scope="module")
def package():
    return griffe.load("cnnguide", search_paths=[str(ROOT)])


def test_both_reference_pages_render_the_same_modules():
    pages = {lang: reference.documented_modules(ROOT / "docs" / lang / "reference.md") for lang in ("ko", "en")}
    assert pages["ko"] == pages["en"] and "cnnguide.parity" in pages["en"]


@pytest.mark.parametrize("text, expected", [
    # A documented object: a cross-reference, with its short name when the role asks for it.
    (":class:`~cnnguide.inspect.view.ModelView`", "[`ModelView`][cnnguide.inspect.view.ModelView]"),
    (":func:`cnnguide.parity.transfer_weights`", "[`cnnguide.parity.transfer_weights`][cnnguide.parity.transfer_weights]"),
    # Relative to the docstring's package, and a bare name found in its module.
    (":mod:`.training`", "[`training`][cnnguide.experiments.training]"),
    (":func:`digits`", "[`digits`][cnnguide.experiments.digits.digits]"),
    # Not rendered by the reference (a page module, a private helper, another library): code.
    (":mod:`cnnguide.docs.alexnet`", "`cnnguide.docs.alexnet`"),
    (":func:`cnnguide.parity._conv_kernel`", "`cnnguide.parity._conv_kernel`"),
    (":class:`keras.Model`", "`keras.Model`"),
    # reStructuredText's literal-block marker.
    ("For example::\n\n    x = 1", "For example:\n\n    x = 1"),
])
def test_roles_become_cross_references_only_where_the_reference_has_a_target(package, text, expected):
    obj = package["experiments.digits"] if "digits" in text and "experiments" not in text else package["experiments"]
    assert reference.markdown(package, obj, text, reference.documented_modules()) == expected


def test_the_cli_help_is_generated_for_every_command_and_is_stable():
    text = reference.cli_help()
    for command in ("cnnguide", "cnnguide list", "cnnguide compare", "cnnguide experiment run"):
        assert f"$ {command} --help" in text
    assert reference.cli_help() == text  # no terminal width leaks in


def test_the_guide_runs_cnnguide_commands_in_the_page_language():
    from cnnguide.docs.context import set_language
    from cnnguide.docs.guide import terminal

    set_language("ko")
    try:
        out = terminal("cnnguide experiment list")
    finally:
        set_language("en")
    # The reader of the Korean page is shown the --lang that gives Korean output.
    assert out.startswith("```console\n$ cnnguide experiment list --lang ko\n") and "LeNet-5: 1998년" in out
    with pytest.raises(ValueError, match="runs cnnguide commands only"):
        terminal("rm -rf /")


def test_math_becomes_mathml_with_its_tex_as_text_alternative():
    html = ('<p>cost <span class="arithmatex">\\(1/N + 1/k^2\\)</span></p>'
            '<div class="arithmatex">\\[a^{[l+2]} = g\\left(z^{[l+2]} + a^{[l]}\\right)\\]</div>')
    out = mathml.render(html)
    assert "arithmatex" not in out and out.count("<math ") == 2
    assert 'display="inline"' in out and 'display="block"' in out
    assert 'alttext="1/N + 1/k^2"' in out and "<msup>" in out


def test_built_pages_carry_math_as_mathml_and_no_tex(built_site):
    for lang in ("", "en/"):
        page = (built_site / lang / "resnet" / "index.html").read_text(encoding="utf-8")
        assert re.search(r'<math [^>]*display="block"', page)
        assert "\\(" not in page and "$$" not in page


@pytest.mark.parametrize("text, expected", [
    # Re-exported: linked where it is defined and documented.
    (":class:`cnnguide.catalog.ModelEntry`", "[`cnnguide.catalog.ModelEntry`][cnnguide.catalog.types.ModelEntry]"),
    # A constant without a docstring is not rendered by mkdocstrings: code, not a dead link.
    (":data:`cnnguide.catalog.types.MEASURES`", "`cnnguide.catalog.types.MEASURES`"),
])
def test_aliases_link_to_their_definition_and_undocumented_names_stay_code(package, text, expected):
    assert reference.markdown(package, package["catalog"], text, reference.documented_modules()) == expected
