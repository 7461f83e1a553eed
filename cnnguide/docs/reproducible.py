"""The digests of a cold build, kept for the determinism test.

The property (tests/test_determinism.py): the same sources give the same site, byte for byte,
whether a build computed every record itself (cold) or read them from a cache that other
processes filled. Checking it needs a cold build; ``make build`` on a fresh clone is one, and
building the whole site cold once more inside the tests would cost minutes. So a build that
read nothing from the cache it did not compute itself (:func:`cnnguide.cache.foreign_reads`)
stores the digest of every file it wrote, with the digest of the sources that made them
(``<cache>/cold-build.json``); the test compares a build from the cache with those digests, and
builds cold itself only when no cold build of the same sources is on record.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from pathlib import Path

from .. import cache

LASTMOD = re.compile(rb"<lastmod>[^<]*</lastmod>")
BUILD_TIME = {
    # Files that carry the build time by design, and how to strip it before comparing:
    "sitemap.xml": lambda data: LASTMOD.sub(b"", data),                       # <lastmod> = build date
    "sitemap.xml.gz": lambda data: LASTMOD.sub(b"", gzip.decompress(data)),  # + gzip header mtime
}
SOURCES = ("cnnguide/**/*.py", "docs/**/*", "overrides/**/*", "mkdocs.yml", "pyproject.toml")
RECORD = "cold-build.json"


def digests(site: Path) -> dict[str, str]:
    """Every file of a built site, by path, with the SHA-256 of its content (build time aside)."""
    found = {}
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        data = path.read_bytes()
        strip = BUILD_TIME.get(path.name)
        found[path.relative_to(site).as_posix()] = hashlib.sha256(strip(data) if strip else data).hexdigest()
    return found


def sources(root: Path) -> str:
    """The digest of everything a build of the site reads: the package, the pages, the theme
    overrides, the configuration, and the installed framework versions."""
    from ..frameworks import versions

    files = sorted({p for pattern in SOURCES for p in root.glob(pattern) if p.is_file()})
    listing = "".join(f"{p.relative_to(root).as_posix()}:{hashlib.sha256(p.read_bytes()).hexdigest()}\n"
                      for p in files)
    return hashlib.sha256((listing + json.dumps(versions(), sort_keys=True)).encode()).hexdigest()


def note_cold_build(root: Path, site: Path) -> None:
    """After a build: if it computed everything it showed, store its files' digests."""
    directory = cache.directory()
    if directory is None or cache.foreign_reads() or not cache.computed_here():
        return
    record = {"site": str(site), "sources": sources(root), "files": digests(site)}
    try:
        directory.mkdir(parents=True, exist_ok=True)
        (directory / RECORD).write_text(json.dumps(record, indent=0, sort_keys=True))
    except OSError:
        pass  # no cache to keep it in: the test builds cold itself


def cold_build(root: Path) -> dict | None:
    """The stored cold build of the sources under ``root`` as they are now, or None."""
    directory = cache.directory()
    try:
        record = json.loads((directory / RECORD).read_text()) if directory else None
    except (OSError, ValueError):
        return None
    return record if record and record.get("sources") == sources(root) else None
