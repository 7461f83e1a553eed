"""Fixtures of the browser tests: one served site and one Chromium per session.

Session scope is per process, so under ``pytest -n 2`` each xdist worker builds, serves (on
whatever port is free) and launches its own; ``built_site`` (tests/conftest.py) is the strict
build the other site tests use. The one thing the workers share is ``inspection``'s record of
each loaded page (see there):
``--dist loadgroup`` could have kept the browser tests on one worker instead, but pytest-xdist
3.8 does not group under pytest 9.2 (pytest-dev/pytest-xdist#1386).
"""

from __future__ import annotations

import fcntl
import os

import pytest

from .harness import (CHROMIUM, CHROMIUM_ARGS, SCREENSHOTS, Inspection, discover, inspect_page, missing,
                      serve, site_prefix)


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium under Playwright; skipped (or failed in CI) when either is missing."""
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        missing("Playwright for Python is not installed")
    if not os.access(CHROMIUM, os.X_OK):
        missing(f"no Chromium at {CHROMIUM}")
    with sync_playwright() as playwright:
        try:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        except Error as exc:
            missing(f"Chromium at {CHROMIUM} does not start: {str(exc).splitlines()[0]}")
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def site_pages(built_site):
    pages = discover(built_site)
    assert pages, f"no index.html in the built site {built_site}"
    return pages


@pytest.fixture(scope="session")
def site_base(built_site):
    """The base URL of the built site, served under site_url's path; ends in "/"."""
    with serve(built_site, site_prefix()) as base:
        yield base


@pytest.fixture(scope="session")
def default_lang(site_pages):
    """The language of the site's root page (the one with no language folder)."""
    return next(page.lang for page in site_pages if page.path == "")


@pytest.fixture(scope="session")
def inspection(browser, site_base, site_pages, tmp_path_factory):
    """``inspection(page, scheme)``: the page loaded once in that scheme (harness.inspect_page),
    its screenshot in test-artifacts/screenshots/<scheme>/.

    Loading every page with axe, a screenshot, the tab clicks and the language menu
    is most of the browser tests' time,
    so it is done once per run, not once per worker: records go to the run's shared temporary
    directory, each page under a file lock, and each worker starts at a different page, so two
    workers load different pages at once and read what the other has loaded.
    """
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    shared = tmp_path_factory.getbasetemp()
    shared = (shared.parent if worker else shared) / "browser-inspections"
    shared.mkdir(exist_ok=True)
    index = int(worker.removeprefix("gw") or 0)
    start = len(site_pages) * index // int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
    done: dict = {}

    def load(page, scheme):
        record = shared / f"{page.slug}-{scheme}.json"
        with open(record.with_suffix(".lock"), "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
            if record.exists():
                return Inspection.from_json(record.read_text(encoding="utf-8"))
            shot = SCREENSHOTS / scheme / f"{page.slug}-{scheme}.jpg"
            # What does not depend on the colour scheme (axe's other rules, the tabs, the
            # language menu) is checked in the light one only.
            others = sorted({p.lang for p in site_pages} - {page.lang})
            result = inspect_page(browser, site_base + page.path, scheme, shot, others,
                                  everything=scheme == "light")
            record.write_text(result.to_json(), encoding="utf-8")
            return result

    def get(page, scheme: str = "light"):
        if scheme not in done:
            order = site_pages[start:] + site_pages[:start]
            done[scheme] = {p.path: load(p, scheme) for p in order}
        return done[scheme][page.path]

    return get
