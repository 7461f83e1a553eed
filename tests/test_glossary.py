"""The glossary (cnnguide.docs.glossary): every term defined in both languages, linked to a
section that exists in both, and shown as a tooltip on some page of each language.

All but the last test read the table and the Markdown sources, without building the site. A
tooltip is Python-Markdown's ``abbr``: it matches one of a term's written forms exactly, in one
run of plain text, so the sources are searched the same way (the longest form first, whole
words, code and link targets left out, no match across a line break or emphasis markers).
"""

from __future__ import annotations

import html
import re

import pytest

from cnnguide.docs.glossary import TERMS, _tooltip, abbreviations
from conftest import ROOT

DOCS = ROOT / "docs"
LANGS = ("ko", "en")
HEADING_ID = re.compile(r"^#{1,6} .*\{[^}\n]*#([\w-]+)[^}\n]*\}\s*$", re.M)
HANGUL = re.compile(r"[\uac00-\ud7a3]")

# Not prose: what an abbreviation never sees, blanked out before looking for terms.
NOT_PROSE = [
    re.compile(r"^(?P<indent> *)(?P<fence>```+)[^\n]*\n.*?^(?P=indent)(?P=fence) *$", re.M | re.S),
    re.compile(r"\{\{.*?\}\}", re.S),  # facts, which the build replaces with numbers
    re.compile(r"`[^`\n]*`"),          # inline code
    re.compile(r"<[^<>\n]*>"),         # HTML tags and their attributes
    re.compile(r"\]\([^)\s]*\)"),      # link targets
    re.compile(r"\{\s*[#.:][^}\n]*\}"),  # attribute lists: headings' { #history }
]


def prose(lang: str, page: str) -> str:
    text = (DOCS / lang / page).read_text(encoding="utf-8")
    for pattern in NOT_PROSE:
        text = pattern.sub(lambda match: re.sub(r"[^\n]", " ", match.group(0)), text)
    return text


def heading_ids(lang: str, page: str) -> set[str]:
    """The ids of the page's headings, code blocks left out (a fenced '# comment' is no heading)."""
    text = (DOCS / lang / page).read_text(encoding="utf-8")
    return set(HEADING_ID.findall(NOT_PROSE[0].sub("", text)))


def pages(lang: str) -> list[str]:
    return sorted(path.name for path in (DOCS / lang).glob("*.md") if path.name != "glossary.md")


def written_on(lang: str) -> set[str]:
    """The written forms of terms that a tooltip would match somewhere on the pages of ``lang``,
    found as abbr finds them: one pattern, the longer of two overlapping forms first."""
    forms = sorted({form for term in TERMS for form in term.written}, key=len, reverse=True)
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(form) for form in forms) + r")\b")
    return {match.group(0) for page in pages(lang) for match in pattern.finditer(prose(lang, page))}


def test_every_term_is_named_and_defined_in_both_languages():
    for term in TERMS:
        assert term.en.strip() and term.ko.strip(), term
        assert HANGUL.search(term.ko) or term.ko == term.en, f"{term.en}: ko name {term.ko!r}"
        assert set(term.definition) == set(LANGS), term.en
        for lang in LANGS:
            assert term.definition[lang].strip(), f"{term.en}: no {lang} definition"
        assert HANGUL.search(term.definition["ko"]), f"{term.en}: the ko definition is not Korean"
        assert not HANGUL.search(term.definition["en"]), f"{term.en}: the en definition has Korean"


def test_definitions_state_no_numbers():
    """A number in a definition would be a claim nothing checks: definitions use words, and only
    kernel sizes (1×1, k×k) and names (LeNet-5, MobileNet v2) carry digits."""
    allowed = re.compile(r"(?<![0-9A-Za-z×])(\d+|k)×\1(?![0-9A-Za-z×])|LeNet-5|MobileNet v\d")
    for term in TERMS:
        for lang in LANGS:
            left = allowed.sub(" ", term.definition[lang])
            assert not re.search(r"\d", left), f"{term.en} ({lang}): {term.definition[lang]!r}"


def test_terms_are_distinct():
    for attribute in ("en", "ko", "anchor"):
        values = [getattr(term, attribute) for term in TERMS]
        repeated = {value for value in values if values.count(value) > 1}
        assert not repeated, f"terms share {attribute}: {repeated}"
    forms = [form for term in TERMS for form in term.written]
    # Two terms with one written form would give it whichever definition came last.
    assert len(forms) == len(set(forms)), {form for form in forms if forms.count(form) > 1}
    for term in TERMS:
        assert re.fullmatch(r"term-[a-z0-9-]+", term.anchor), term.anchor


def test_every_term_links_to_a_section_in_both_languages():
    for term in TERMS:
        page, _, anchor = term.where.partition("#")
        assert page.endswith(".md") and anchor, f"{term.en}: where={term.where!r}"
        for lang in LANGS:
            assert (DOCS / lang / page).is_file(), f"{term.en}: no docs/{lang}/{page}"
            assert anchor in heading_ids(lang, page), f"{term.en}: docs/{lang}/{page} has no #{anchor}"


@pytest.mark.parametrize("lang", LANGS)
def test_every_term_shows_its_tooltip_somewhere(lang):
    """Each term's English name, or another of its forms, stands in the prose of some page of
    the language whole: on Korean pages that is the English name in parentheses."""
    found = written_on(lang)
    missing = [term.en for term in TERMS if not found & set(term.written)]
    assert not missing, f"no {lang} page writes these terms where a tooltip can match: {missing}"


@pytest.mark.parametrize("lang", LANGS)
def test_abbreviations_define_every_written_form_in_the_language(lang):
    lines = abbreviations(lang).splitlines()
    assert len(lines) == sum(len(term.written) for term in TERMS)
    defined = {}
    for line in lines:
        match = re.fullmatch(r"\*\[([^\]\n]+)\]: (\S.*)", line)
        assert match, line
        defined[match[1]] = match[2]
    for term in TERMS:
        assert term.en[:1].upper() + term.en[1:] in term.written  # a sentence may start with it
        for form in term.written:
            assert defined[form] == _tooltip(term.definition[lang]), form
            assert bool(HANGUL.search(defined[form])) == (lang == "ko"), form


def test_built_glossary_and_tooltips(built_site):
    """The built glossary pages hold every term's anchor, and case-study pages carry tooltips
    in their own language."""
    for lang, page in (("ko", "glossary/index.html"), ("en", "en/glossary/index.html")):
        text = (built_site / page).read_text(encoding="utf-8")
        missing = [term.anchor for term in TERMS if f'id="{term.anchor}"' not in text]
        assert not missing, f"{page} lacks {missing}"
    tooltips = {lang: {_tooltip(term.definition[lang]) for term in TERMS} for lang in LANGS}
    for lang, other, page in (("ko", "en", "resnet/index.html"), ("en", "ko", "en/resnet/index.html")):
        text = (built_site / page).read_text(encoding="utf-8")
        titles = {html.unescape(title) for title in re.findall(r'<abbr title="([^"]*)"', text)}
        assert titles & tooltips[lang], f"{page} has no glossary tooltip"
        assert not titles & tooltips[other], f"{page} has tooltips in the other language"
