"""The language and currency a storefront answers in, chosen once per top-level field."""

from __future__ import annotations

from dataclasses import dataclass

from strawberry.types import Info

from core.actors.models import Brand
from core.catalog.translations import SUPPORTED, negotiate
from core.errors import DomainError


@dataclass(frozen=True, slots=True)
class Locale:
    language: str
    currency: str


def locale_for(info: Info, brand: Brand, *, language: str | None = None, currency: str | None = None) -> Locale:
    """`language`/`currency` arguments win; then `Accept-Language`; then the brand's defaults."""
    if language is not None and language not in SUPPORTED:
        raise DomainError("INVALID_LANGUAGE", f"Languages are {', '.join(SUPPORTED)}.", "language")
    offered = brand.languages or [brand.default_language]
    accept = info.context.request.headers.get("accept-language", "")
    chosen = negotiate(language, accept, offered, brand.default_language)
    enabled = brand.currencies or [brand.default_currency]
    if currency is not None and currency not in enabled:
        raise DomainError(
            "CURRENCY_NOT_ENABLED", f"This storefront sells in {', '.join(enabled)}, not {currency}.", "currency"
        )
    return Locale(language=chosen, currency=currency or brand.default_currency)
