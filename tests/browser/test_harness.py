"""The test harness itself, without a browser: the local server honours site_url's path, and
pages are found with their languages. (If these were wrong, every browser check would test
the wrong thing while passing.)"""

from __future__ import annotations

import os
import urllib.error
import urllib.request

import pytest

from .harness import Page, counterpart, discover, serve, site_prefix


def status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.fixture
def tiny_site(tmp_path):
    for path, lang in (("", "ko"), ("lenet5/", "ko"), ("en/", "en"), ("en/lenet5/", "en")):
        (tmp_path / path).mkdir(parents=True, exist_ok=True)
        (tmp_path / path / "index.html").write_text(f'<!doctype html><html lang="{lang}"></html>')
    return tmp_path


def test_the_server_serves_the_site_under_site_urls_path(tiny_site):
    with serve(tiny_site, "/cnnguide/") as base:
        assert base.endswith("/cnnguide/")
        assert status(base + "en/lenet5/") == 200
        assert status(base.removesuffix("cnnguide/") + "en/lenet5/") == 404  # outside the path


def test_site_prefix_reads_site_urls_path(tmp_path):
    config = tmp_path / "mkdocs.yml"
    for url, prefix in (("https://x.org/", "/"), ("https://x.org", "/"), ("https://x.org/cnnguide", "/cnnguide/"),
                        ("'https://x.org/a/b/'", "/a/b/")):
        config.write_text(f"site_name: x\nsite_url: {url}\n")
        assert site_prefix(config) == prefix
    # mkdocs.yml takes it from the environment, as the Pages workflow sets it.
    config.write_text("site_name: x\nsite_url: !ENV [CNNGUIDE_TEST_SITE_URL, 'https://x.org/']\n")
    assert site_prefix(config) == "/"
    os.environ["CNNGUIDE_TEST_SITE_URL"] = "https://owner.github.io/cnnguide/"
    try:
        assert site_prefix(config) == "/cnnguide/"
    finally:
        del os.environ["CNNGUIDE_TEST_SITE_URL"]


def test_pages_and_their_counterparts_are_found(tiny_site):
    pages = discover(tiny_site)
    assert sorted(pages, key=lambda p: p.path) == [
        Page("", "ko"), Page("en/", "en"), Page("en/lenet5/", "en"), Page("lenet5/", "ko")]
    assert sorted(p.slug for p in pages) == ["en-index", "en-lenet5", "ko-index", "ko-lenet5"]
    assert counterpart(Page("lenet5/", "ko"), "en", "ko") == "en/lenet5/"
    assert counterpart(Page("en/lenet5/", "en"), "ko", "ko") == "lenet5/"
    assert counterpart(Page("en/", "en"), "ko", "ko") == ""
