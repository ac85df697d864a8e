"""The `storefront` query: the brand a storefront is built for, as its shoppers see it."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from core.actors.models import Brand
from schema.permissions import PUBLIC, guard


@strawberry.type(description="How a brand's storefront looks.")
class Theme:
    primary_color: str


@strawberry.type(description="A brand's branded storefront.")
class Storefront:
    slug: str
    name: str
    description: str
    logo_url: str | None
    theme: Theme
    default_currency: str
    currencies: list[str] = strawberry.field(description="Currencies prices can be asked in (ISO 4217).")
    languages: list[str] = strawberry.field(description="Languages the storefront is translated into.")
    ships_to: list[str] = strawberry.field(description="Countries it ships to (ISO 3166-1 alpha-2).")

    @classmethod
    def from_model(cls, brand: Brand) -> Storefront:
        return cls(
            slug=brand.slug,
            name=brand.name,
            description=brand.description,
            logo_url=brand.logo_url or None,
            theme=Theme(primary_color=brand.primary_color),
            default_currency=brand.default_currency,
            currencies=list(brand.currencies or [brand.default_currency]),
            languages=list(brand.languages),
            ships_to=list(brand.ships_to),
        )


@strawberry.type
class StorefrontQuery:
    @strawberry.field(**guard("The storefront selected by the `Lini-Storefront` header (or `storefront`).", PUBLIC))
    async def storefront(self, info: Info, storefront: str | None = None) -> Storefront:
        return Storefront.from_model(await info.context.storefront(storefront))


QUERIES = (StorefrontQuery,)
