"""Two builds from the same sources and the same warm cache are byte-identical, so a deployed
page changes only when its sources do and a diff of two builds shows real changes.

Files that carry the build time by design are named in BUILD_TIME and compared with that time
removed; everything else (HTML and SVG above all, but also CSS, JS and the search index) must
match byte for byte.
"""

from __future__ import annotations

import gzip
import re

import pytest

from conftest import ROOT, mkdocs_build

pytestmark = pytest.mark.slow

LASTMOD = re.compile(rb"<lastmod>[^<]*</lastmod>")
BUILD_TIME = {
    # name: how to strip the build time before comparing
    "sitemap.xml": lambda data: LASTMOD.sub(b"", data),                       # <lastmod> = build date
    "sitemap.xml.gz": lambda data: LASTMOD.sub(b"", gzip.decompress(data)),  # + gzip header mtime
}


def test_two_builds_with_the_same_warm_cache_are_identical(built_site, tmp_path):
    # built_site has filled the cache (.cache/cnnguide) for these sources; both builds read it.
    sites = [tmp_path / "a", tmp_path / "b"]
    for site in sites:
        result = mkdocs_build(ROOT / "mkdocs.yml", site)
        assert result.returncode == 0, result.stdout + result.stderr
    files = [sorted(p.relative_to(site) for p in site.rglob("*") if p.is_file()) for site in sites]
    assert files[0] == files[1], "the two builds wrote different files"
    a, b = sites
    differ, stripped = [], []
    for rel in files[0]:
        left, right = (a / rel).read_bytes(), (b / rel).read_bytes()
        if rel.name in BUILD_TIME:
            strip = BUILD_TIME[rel.name]
            left, right = strip(left), strip(right)
            stripped.append(rel.name)
        if left != right:
            differ.append(rel.as_posix())
    assert differ == [], f"differ between two identical builds: {differ}"
    assert set(stripped) == set(BUILD_TIME), "a BUILD_TIME file is no longer written: drop it from the list"
    assert sum(rel.suffix in (".html", ".svg") for rel in files[0]) >= 4
