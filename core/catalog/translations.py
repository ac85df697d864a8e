"""Choosing the text to show: the asked language, else the brand's default language (the base texts)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

SUPPORTED = ("id", "en", "ms", "tr", "ar")


def pick(translations: Mapping[str, Mapping[str, str]] | None, field: str, base: str, language: str) -> str:
    """The `field` text in `language`; the base text (written in the brand's default language) otherwise."""
    if translations:
        text = (translations.get(language) or {}).get(field)
        if text:
            return text
    return base


def negotiate(asked: str | None, accept_language: str, offered: Sequence[str], default: str) -> str:
    """An explicit `language` argument wins, then the first `Accept-Language` entry the brand offers."""
    if asked:
        return asked
    for part in accept_language.split(","):
        code = part.split(";", 1)[0].strip().lower()[:2]
        if code and code in offered:
            return code
    return default
