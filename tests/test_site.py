"""The site: a strict build, two identical page trees, no third-party request, search in both
languages, and drift that fails the build."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from conftest import ROOT, mkdocs_build

DOCS = ROOT / "docs"
FENCE = re.compile(r"^(?P<indent> *)(?P<fence>```+)[^\n]*\n.*?^(?P=indent)(?P=fence) *$", re.M | re.S)
pytestmark = pytest.mark.slow


def pages(lang: str) -> set[str]:
    return {p.relative_to(DOCS / lang).as_posix() for p in (DOCS / lang).rglob("*.md")}


def test_both_languages_have_the_same_pages():
    assert pages("ko") == pages("en") and pages("ko")


@pytest.mark.parametrize("page", sorted(pages("ko")))
def test_code_blocks_are_identical_in_both_languages(page):
    ko, en = ((DOCS / lang / page).read_text(encoding="utf-8") for lang in ("ko", "en"))
    assert [m.group(0) for m in FENCE.finditer(ko)] == [m.group(0) for m in FENCE.finditer(en)]


@pytest.mark.parametrize("page", sorted(pages("ko")))
def test_facts_are_the_same_in_both_languages(page):
    facts = re.compile(r"\{\{.*?\}\}")
    ko, en = ((DOCS / lang / page).read_text(encoding="utf-8") for lang in ("ko", "en"))
    assert sorted(facts.findall(ko)) == sorted(facts.findall(en))


def test_strict_build_makes_both_languages(built_site):
    for page in ("index.html", "lenet5/index.html"):
        assert (built_site / page).is_file()
        assert (built_site / "en" / page).is_file()
    ko = (built_site / "lenet5" / "index.html").read_text(encoding="utf-8")
    en = (built_site / "en" / "lenet5" / "index.html").read_text(encoding="utf-8")
    assert 'lang="ko"' in ko and 'lang="en"' in en
    for html in (ko, en):
        assert "61,706" in html and "166,826" in html and "60,000" in html
        assert "Traceback" not in html  # markdown-exec renders a failing block's traceback
        assert "{{" not in html


def test_every_folded_block_holds_its_content(built_site):
    """A ``???`` block whose body is indented too little closes empty, and what it meant to fold
    (a full graph of hundreds of nodes) spills onto the page."""
    empty = re.compile(r"<details[^>]*>\s*<summary>.*?</summary>\s*</details>", re.S)
    found = [str(p.relative_to(built_site)) for p in built_site.rglob("*.html") if empty.search(p.read_text("utf-8"))]
    assert found == []


def test_every_tab_set_offers_both_frameworks(built_site):
    """A ``===`` tab whose body is indented too little becomes a set of one tab: TensorFlow and
    PyTorch then show one under the other and a click on one switches nothing."""
    lonely = re.compile(r'data-tabs="[^":]+:1"')
    found = [str(p.relative_to(built_site)) for p in built_site.rglob("*.html") if lonely.search(p.read_text("utf-8"))]
    assert found == []


def test_the_language_switcher_keeps_the_page(built_site):
    ko = (built_site / "lenet5" / "index.html").read_text(encoding="utf-8")
    en = (built_site / "en" / "lenet5" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'href="[./]*en/lenet5/"[^>]*hreflang="en"', ko)
    assert re.search(r'href="[./]*(\.\./)?lenet5/"[^>]*hreflang="ko"', en)


def test_package_source_is_included_not_copied(built_site):
    html = (built_site / "en" / "lenet5" / "index.html").read_text(encoding="utf-8")
    for path in ("cnnguide/models/keras/lenet.py", "cnnguide/models/torch/lenet.py"):
        first_def = next(line for line in (ROOT / path).read_text().splitlines() if line.startswith("def "))
        name = first_def.split("(")[0].removeprefix("def ")
        assert name in html
    assert html.count("--8&lt;--") == 0


def _third_party():
    """Any absolute URL but the site's own address (site_url, from CNNGUIDE_SITE_URL or its
    default): canonical links and the sitemap point there."""
    from urllib.parse import urlsplit

    from browser.harness import site_url

    host = urlsplit(site_url(ROOT / "mkdocs.yml")).netloc
    return re.compile(r"""(?:src|href)\s*=\s*["'](?:https?:)?//(?!%s[/"'])""" % re.escape(host))


THIRD_PARTY = _third_party()
CSS_IMPORT = re.compile(r"""@import\s+(?:url\()?["']?(?:https?:)?//""")


def test_no_page_requests_a_third_party(built_site):
    offenders = []
    for path in built_site.rglob("*"):
        if path.suffix == ".html":
            text = path.read_text(encoding="utf-8")
            # Links a reader clicks (<a href>) are not requests; fetched resources are.
            fetched = re.findall(r"<(?:script|link|img|iframe|source)\b[^>]*>", text)
            offenders += [(path.name, tag) for tag in fetched if THIRD_PARTY.search(tag)]
        elif path.suffix == ".css":
            if CSS_IMPORT.search(path.read_text(encoding="utf-8")):
                offenders.append((path.name, "@import"))
    assert offenders == []


def test_search_index_has_both_languages(built_site):
    index = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert set(index["config"]["lang"]) >= {"ko", "en"}
    text = " ".join(doc["title"] + " " + doc["text"] for doc in index["docs"])
    assert "서브샘플링" in text and "subsampling" in text


def _copy_project(tmp_path: Path) -> Path:
    """A small copy of the site (home and LeNet-5 pages, the real config and hooks) whose cache
    is the project's, so a drift test costs one quick build, not the whole site."""
    for lang in ("ko", "en"):
        (tmp_path / "docs" / lang).mkdir(parents=True)
        shutil.copy(DOCS / lang / "lenet5.md", tmp_path / "docs" / lang / "lenet5.md")
        (tmp_path / "docs" / lang / "index.md").write_text("# cnnguide\n\n[LeNet-5](lenet5.md)\n")
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    nav = config.index("\nnav:")
    end = config.index("\n\n", nav + 1)
    config = config[:nav] + "\nnav:\n  - 홈: index.md\n  - LeNet-5: lenet5.md" + config[end:]
    # The page links to others this copy leaves out: what these tests check is the facts.
    config += "\nvalidation:\n  links:\n    not_found: info\n    anchors: info\n"
    (tmp_path / "mkdocs.yml").write_text(config, encoding="utf-8")
    for shared in ("cnnguide", "docs/assets", "overrides"):
        if (ROOT / shared).exists():
            (tmp_path / shared).symlink_to(ROOT / shared)  # hooks, snippets, stylesheets
    (ROOT / ".cache").mkdir(exist_ok=True)
    (tmp_path / ".cache").symlink_to(ROOT / ".cache")
    return tmp_path


def _mutate(root: Path, page: str, old: str, new: str) -> None:
    path = root / "docs" / page
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize("mutation, reason", [
    # a typed number in prose that the code contradicts
    (("en/lenet5.md", "{{ lenet5.params }}", "{{ 61,707 == lenet5.params }}"), "says 61,707"),
    # a fact that does not exist
    (("ko/lenet5.md", "{{ lenet5.C5.params }}", "{{ lenet5.C7.params }}"), "C7"),
    # an executed block whose claim no longer holds
    (("en/lenet5.md", 'print(architecture("lenet5_post"))', 'print(architecture("lenet5_postt"))'),
     "lenet5_postt"),
], ids=["typed-number", "unknown-fact", "failing-block"])
def test_a_false_claim_fails_the_build(tmp_path, mutation, reason):
    root = _copy_project(tmp_path)
    _mutate(root, *mutation)
    result = mkdocs_build(root / "mkdocs.yml", tmp_path / "site")
    assert result.returncode != 0, result.stdout + result.stderr
    assert reason in result.stdout + result.stderr  # failed for this claim, not for the setup


@pytest.mark.parametrize("mutation, message", [
    # one "=" instead of "==": not a fact, so it used to reach the page as literal text
    (("en/lenet5.md", "{{ lenet5.params }}", "{{ 61,706 = lenet5.params }}"),
     r"en/lenet5\.md: line \d+ has '\{\{' that is not a fact: .*61,706 = lenet5\.params"),
    # a block that raises: markdown-exec alone names it "code block n39", counted site-wide
    (("en/lenet5.md", 'print(architecture("lenet5_post"))', 'print(architecture("lenet5_postt"))'),
     r"en/lenet5\.md: executed block \d+ failed: .*lenet5_postt"),
], ids=["one-equals-sign", "failing-block"])
def test_a_broken_page_fails_the_build_naming_the_page(tmp_path, mutation, message):
    """Drift is only cheap to fix when the error says where it is."""
    root = _copy_project(tmp_path)
    _mutate(root, *mutation)
    result = mkdocs_build(root / "mkdocs.yml", tmp_path / "site")
    assert result.returncode != 0, result.stdout + result.stderr
    assert re.search(message, result.stdout + result.stderr), result.stdout + result.stderr


def test_a_true_typed_number_passes(tmp_path):
    root = _copy_project(tmp_path)
    _mutate(root, "en/lenet5.md", "{{ lenet5.params }}", "{{ 61,706 == lenet5.params }}")
    result = mkdocs_build(root / "mkdocs.yml", tmp_path / "site")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("study", sorted(__import__("cnnguide.catalog", fromlist=["STUDIES"]).STUDIES))
def test_each_case_study_offers_its_onnx_file_or_the_command(built_site, study):
    """Every case-study page, in both languages, links its main network's ONNX file (written into
    the site, at most the stated size) or shows the command that writes it."""
    from cnnguide import catalog
    from cnnguide.docs.records import DOWNLOAD_LIMIT

    name = catalog.study(study).model
    offered = built_site / "downloads" / f"{name}.onnx"
    for page in (built_site / study / "index.html", built_site / "en" / study / "index.html"):
        html = page.read_text(encoding="utf-8")
        assert 'id="onnx"' in html, f"{page}: no ONNX section"
        if offered.exists():
            assert 0 < offered.stat().st_size <= DOWNLOAD_LIMIT
            link = re.search(rf'<a href="([^"]*downloads/{name}\.onnx)" download>', html)
            assert link, f"{page}: no download link to {offered.name}"
            assert (page.parent / link[1]).resolve() == offered.resolve()
        else:
            assert f"cnnguide export {name} -o {name}.onnx" in html, f"{page}: neither the file nor the command"
