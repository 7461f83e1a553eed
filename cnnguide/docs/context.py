"""The language of the page being rendered, set by the MkDocs hook before its blocks run."""

from __future__ import annotations

from ..render.labels import check_language

_language = "ko"


def language() -> str:
    return _language


def set_language(lang: str) -> None:
    global _language
    _language = check_language(lang)


def pick(text: dict[str, str]) -> str:
    """The current language's entry of a {"ko": ..., "en": ...} mapping."""
    return text[_language]


def t(ko: str, en: str) -> str:
    """The current language's one of two strings: a page module's inline label."""
    return ko if _language == "ko" else en
