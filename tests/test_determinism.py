"""Builds from the same sources are byte-identical, whatever filled the cache and whether there
is one: a deployed page changes only when its sources do, and a diff of two builds shows real
changes. Compared: two builds from the same warm cache, and a cold build (no cache: every model
built and every record computed in that one process, in page order) against the session's build,
which reads the cache that ``make build`` or the tests filled (records computed in other
processes, in another order).

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


def _differing(a, b) -> list[str]:
    """Files that differ between sites ``a`` and ``b`` (the build time aside)."""
    files = [sorted(p.relative_to(site) for p in site.rglob("*") if p.is_file()) for site in (a, b)]
    assert files[0] == files[1], "the two builds wrote different files"
    differ, stripped = [], []
    for rel in files[0]:
        left, right = (a / rel).read_bytes(), (b / rel).read_bytes()
        if rel.name in BUILD_TIME:
            strip = BUILD_TIME[rel.name]
            left, right = strip(left), strip(right)
            stripped.append(rel.name)
        if left != right:
            differ.append(rel.as_posix())
    assert set(stripped) == set(BUILD_TIME), "a BUILD_TIME file is no longer written: drop it from the list"
    assert sum(rel.suffix in (".html", ".svg") for rel in files[0]) >= 4
    return differ


def test_two_builds_with_the_same_warm_cache_are_identical(built_site, tmp_path):
    # built_site has filled the cache (.cache/cnnguide) for these sources; both builds read it.
    sites = [tmp_path / "a", tmp_path / "b"]
    for site in sites:
        result = mkdocs_build(ROOT / "mkdocs.yml", site)
        assert result.returncode == 0, result.stdout + result.stderr
    assert _differing(*sites) == [], "differ between two identical builds"


def test_a_cold_build_equals_a_build_from_the_cache(built_site, tmp_path):
    cold = tmp_path / "cold"
    result = mkdocs_build(ROOT / "mkdocs.yml", cold, env={"CNNGUIDE_CACHE": "off"})
    assert result.returncode == 0, result.stdout + result.stderr
    assert _differing(built_site, cold) == [], "differ between a cold build and one from the cache"
