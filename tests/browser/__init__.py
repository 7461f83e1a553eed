"""Browser tests: the built site in a real Chromium (Debian's), driven by Playwright.

A package (this file) so that its ``conftest`` and modules do not collide with the top-level
``tests/conftest.py`` that other test modules import as ``conftest``.
"""
