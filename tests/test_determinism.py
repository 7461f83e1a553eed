"""Builds from the same sources are byte-identical, whatever filled the cache and whether there
is one: a deployed page changes only when its sources do, and a diff of two builds shows real
changes. Compared: two builds from the same warm cache, and a cold build (every record computed
in that one process, in page order) against a build that reads the cache other processes filled
(records computed elsewhere, in another order).

The cold build is the one on record (cnnguide.docs.reproducible): ``make build`` on a fresh
clone, as CI runs it first, stores its files' digests. Without one for the current sources
(a warm cache, an edited page), the test builds cold itself with the cache off.

Files that carry the build time by design (reproducible.BUILD_TIME) are compared with that time
removed; everything else (HTML and SVG above all, but also CSS, JS and the search index) must
match byte for byte.
"""

from __future__ import annotations

import pytest

from cnnguide import cache
from cnnguide.docs import reproducible
from conftest import ROOT, mkdocs_build

pytestmark = pytest.mark.slow


def _differing(a: dict[str, str], b: dict[str, str]) -> list[str]:
    """Files whose digests differ between two sites' digests (reproducible.digests)."""
    assert sorted(a) == sorted(b), "the two builds wrote different files"
    assert set(reproducible.BUILD_TIME) <= {path.rsplit("/", 1)[-1] for path in a}, \
        "a BUILD_TIME file is no longer written: drop it from reproducible.BUILD_TIME"
    assert sum(path.endswith((".html", ".svg")) for path in a) >= 4
    return [path for path in a if a[path] != b[path]]


def test_two_builds_with_the_same_warm_cache_are_identical(built_site, tmp_path):
    # built_site has filled the cache (.cache/cnnguide) for these sources; both builds read it.
    sites = [tmp_path / "a", tmp_path / "b"]
    for site in sites:
        result = mkdocs_build(ROOT / "mkdocs.yml", site)
        assert result.returncode == 0, result.stdout + result.stderr
    assert _differing(*map(reproducible.digests, sites)) == [], "differ between two identical builds"


def test_a_cold_build_equals_a_build_from_the_cache(built_site, tmp_path, monkeypatch):
    monkeypatch.setattr(cache, "_directory", ROOT / ".cache" / "cnnguide")  # the site's cache
    cold = reproducible.cold_build(ROOT)
    if cold is None:  # no cold build of these sources on record: one with the cache off
        site = tmp_path / "cold"
        result = mkdocs_build(ROOT / "mkdocs.yml", site, env={"CNNGUIDE_CACHE": "off"})
        assert result.returncode == 0, result.stdout + result.stderr
        cold = {"site": str(site), "files": reproducible.digests(site)}
    warm = built_site
    if cold["site"] == str(built_site):  # this session's build was the cold one: build again
        warm = tmp_path / "warm"
        result = mkdocs_build(ROOT / "mkdocs.yml", warm)
        assert result.returncode == 0, result.stdout + result.stderr
    assert _differing(reproducible.digests(warm), cold["files"]) == [], \
        "differ between a cold build and one from the cache"


def test_only_a_build_that_computed_everything_is_kept_as_cold(tmp_path, monkeypatch):
    """The record of a cold build is written only by a build that read no entry another process
    computed, and only the sources it was made from find it."""
    site = tmp_path / "site"
    (site / "en").mkdir(parents=True)
    (site / "index.html").write_text("<p>ko</p>")
    (site / "en" / "index.html").write_text("<p>en</p>")
    monkeypatch.setattr(cache, "_directory", tmp_path / "cache")
    monkeypatch.setattr(reproducible, "sources", lambda root: f"sources of {root}")
    monkeypatch.setattr(cache, "computed_here", lambda: 3)
    monkeypatch.setattr(cache, "foreign_reads", lambda: 1)
    reproducible.note_cold_build(ROOT, site)
    assert reproducible.cold_build(ROOT) is None, "a build that read another process's entries is not cold"
    monkeypatch.setattr(cache, "foreign_reads", lambda: 0)
    reproducible.note_cold_build(ROOT, site)
    assert sorted(reproducible.cold_build(ROOT)["files"]) == ["en/index.html", "index.html"]
    assert reproducible.cold_build(tmp_path) is None, "other sources do not find it"
