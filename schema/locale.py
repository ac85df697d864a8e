"""The language and currency a storefront answers in, chosen once per top-level field."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

import strawberry
from strawberry.types import Info

from core.actors.models import Brand
from core.catalog.translations import SUPPORTED, negotiate
from core.errors import DomainError

# The `language` and `currency` arguments of storefront fields, described once.
Language = Annotated[
    str | None,
    strawberry.argument(
        description="The language texts are answered in (`id`, `en`, `ms`, `tr` or `ar`); without it the "
        "`Accept-Language` header, then the brand's default language. Another code: INVALID_LANGUAGE. A text "
        "not translated into the chosen language falls back to the brand's default."
    ),
]
Currency = Annotated[
    str | None,
    strawberry.argument(
        description="The currency prices are answered in (ISO 4217, e.g. `IDR`, `USD`), one the brand has "
        "enabled (`Storefront.currencies`), else CURRENCY_NOT_ENABLED; without it, the brand's default currency."
    ),
]


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
