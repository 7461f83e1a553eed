"""No unchecked number in prose: a number that a page states about a model is a fact.

A number typed into a sentence ("the channels grow from 1 to 120") is checked by nobody: when the
code changes, it goes stale without a sound. Pages write such numbers as facts instead
(``{{ lenet5.C5.output_channels }}``, or ``{{ 120 == lenet5.C5.output_channels }}``; see
cnnguide.docs.facts), which the build computes or checks. This test reads the prose of every page
in both languages (outside code, facts, link targets, HTML tags and heading ids) and flags each
number that is not of a kind in ALLOWED, the kinds that state nothing about a model, or one of
the few quotes of a source in SOURCE_QUOTES.
"""

from __future__ import annotations

import re

import pytest

from conftest import ROOT

DOCS = ROOT / "docs"
PAGES = sorted(DOCS.rglob("*.md"))

# Not prose: blanked out (lines and columns kept, for the report) before numbers are looked for.
NOT_PROSE = [
    re.compile(r"^(?P<indent> *)(?P<fence>```+)[^\n]*\n.*?^(?P=indent)(?P=fence) *$", re.M | re.S),
    re.compile(r"\{\{.*?\}\}", re.S),  # facts: the build computes or checks them
    re.compile(r"\$\$.*?\$\$|\$[^$\n]+\$", re.S),  # math (pymdownx.arithmatex): notation, as formulas are
    re.compile(r"`[^`\n]*`"),          # inline code: names from the code
    re.compile(r"<[^<>\n]*>"),         # HTML tags with their attributes, autolinks
    re.compile(r"\]\([^)\s]*\)"),      # link targets
    re.compile(r"\{\s*[#.:][^}\n]*\}"),  # attribute lists: headings' { #history }
]

# Python's \b sees Hangul as a word character ("2014년" has no boundary after 2014), so numbers
# are delimited by hand: no ASCII letter, digit or decimal point on either side.
_L, _R = r"(?<![0-9A-Za-z.])", r"(?![0-9A-Za-z])"

# Numbers that state nothing about a model. Each kind is one pattern, applied in this order.
ALLOWED = {
    "a year (2014년, ILSVRC 2014)": _L + r"(?:19|20)\d\d" + _R,
    "a reference into a paper or a page (Section 4.1, Table 1, Chart 2, 표 1, 그림 2, 4.2절)":
        r"(?:Sections?|Tables?|Figures?|Charts?|Fig\.|Eq\.|Equations?|표|그림|식)\s*[0-9IVX]+(?:\.\d+)*"
        r"|\d+(?:\.\d+)*\s*절",
    "a name: ResNeXt's cardinality × width per group (32×4d), before 4d passes for a layer name":
        _L + r"\d+×\d+d" + _R,
    "a name: a layer, block or map (C1, conv3, fc6, 3a, block 5, maps 0–5, 맵 15)":
        _L + r"(?:[CSF]\d|[345][a-e])" + _R
        + r"|" + _L + r"(?:conv|pool|fc|drop|block|inception_?|loss)\d[0-9a-z_]*"
        + r"|(?:[Bb]locks?|[Mm]aps?|블록|맵) \d+(?:\s*(?:,|and|to|–|와|과)\s*\d+)*",
    "a name: a model, block, dataset, device or identifier (ResNet-18/34, plain-34, v1.5, "
    "EfficientNet-B0, B7, MBConv6, Darknet-53, YOLOv4, CIFAR-10, GTX 580, arXiv:1404.5997)":
        r"(?:LeNet|AlexNet|VGG|ResNet|ResNeXt|SENet|Inception|plain|MBConv|Darknet|YOLO)[- ]?[Vv]?\d+(?:/\d+)*"
        + r"|" + _L + r"v\d+(?:\.\d+)?" + _R + r"|" + _L + r"B[0-7]" + _R
        + r"|CIFAR-\d+|GTX \d+|arXiv:\d+\.\d+",
    "a layer's setting as papers write it: a kernel or window (3×3), a stride, a padding":
        r"(?<![0-9×])(1|2|3|5|7|11)×\1(?![0-9×])"
        r"|(?:stride|padding|pool size)s?(?: of)? \d+"
        r"|(?:스트라이드|패딩)(?:\([a-z]+\))?[는도가를]?\s*\d+|\d+픽셀 간격",
    "notation: a number in a formula (1/4, (input − 3) / 2 + 1, 27C², z[l+2], 10^-4), or zero":
        r"(?<=[+−\-/·=±√^])\s*\d+(?:\.\d+)?|\d+(?:\.\d+)?(?=\s*[+−\-/·=²)\]]|[A-Za-z]²)"
        + r"|" + _L + r"0" + _R,
    "a multiple, fraction, rank or filling as Korean writes them (English spells them out: "
    "twice, a tenth, second, a vector of ones)": r"\d+(?:배|위|분의 \d+)|1로 채운",
}

# Numbers that quote a paper about something other than this site's models, and that the
# catalog does not hold as figures (cnnguide.catalog): listed by page, in both languages. To
# check one, add it to the catalog and write it as a paper.* fact.
SOURCE_QUOTES = {
    "alexnet.md": [
        "3 GB", "3GB",                            # the GTX 580's memory (Section 3.2)
        "probability 0.5", "by 0.5", "확률 0.5", "출력에 0.5",  # dropout (Section 4.2)
        "224×224 patches", "256×256", "224×224\n조각", "224×224 조각",  # the crops (Section 4.1)
        "It states a 224×224×3", "입력을 224×224×3",  # the input the text states (Section 3.5)
        "At 224", "입력이 224이면",
    ],
}

NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def _blank(match: re.Match) -> str:
    return re.sub(r"[^\n]", " ", match.group(0))


def prose(text: str) -> str:
    """The page with everything that is not prose blanked out."""
    for pattern in NOT_PROSE:
        text = pattern.sub(_blank, text)
    return text


def unchecked_numbers(text: str, page: str = "") -> list[str]:
    """'line: number in context' for each number in ``text``'s prose that nothing allows."""
    text = prose(text)
    for quote in SOURCE_QUOTES.get(page, ()):
        text = text.replace(quote, re.sub(r"[^\n]", " ", quote))
    for pattern in ALLOWED.values():
        text = re.sub(pattern, _blank, text)
    found = []
    for line_number, line in enumerate(text.splitlines(), 1):
        found += [f"{line_number}: {m.group(0)}" for m in NUMBER.finditer(line)]
    return found


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.relative_to(DOCS).as_posix())
def test_prose_states_no_unchecked_number(path):
    found = unchecked_numbers(path.read_text(encoding="utf-8"), path.name)
    assert found == [], (
        f"{path.relative_to(DOCS)}: numbers in prose that nothing checks (line: number). Write a "
        "number about a model as a fact, {{ model.layer.attr }} or {{ typed == model.layer.attr }} "
        "(cnnguide.docs.facts); a kind of number that states nothing about a model belongs in "
        f"ALLOWED, with why. {found}"
    )


@pytest.mark.parametrize("sentence, expected", [
    # the example: a claim about LeNet-5 that no build checked
    ("while the channels grow from 1 to 120.", ["1: 1", "1: 120"]),
    ("a 28×28×192 input and 16 channels", ["1: 28", "1: 28", "1: 192", "1: 16"]),
    ("채널은 1에서 120으로 늘어납니다.", ["1: 1", "1: 120"]),
    # facts, code, names, references and notation state no unchecked number
    ("from {{ lenet5.input_channels }} to {{ 120 == lenet5.C5.output_channels }}", []),
    ("`conv3-64`, C5, ResNet-50, VGG-16의 block5, (Section 4.1), 표 1, 4.2절, 3×3, 2014년", []),
    ("(input − 3) / 2 + 1, 1/4, z<sup>[l+2]</sup> = 0, 27C², 10<sup>-4</sup>", []),
    ("```python\nx = 28\n```\n# Title { #sec-2 }\n[a](b2.md)", []),
])
def test_the_scan_flags_numbers_and_only_numbers(sentence, expected):
    """The scan itself: what it must flag, and the kinds of number it must leave alone."""
    assert unchecked_numbers(sentence) == expected
