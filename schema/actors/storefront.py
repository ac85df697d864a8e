"""The `storefront` query: the brand a storefront is built for, as its shoppers see it."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from core.actors.models import Brand
from schema.customs import Incoterm
from schema.permissions import PUBLIC, guard

# The `storefront` argument of every storefront field, described once.
StorefrontSlug = Annotated[
    str | None,
    strawberry.argument(
        description="The brand slug of the storefront asking, instead of the `Lini-Storefront` header (or a "
        "custom domain in `Host`). Unknown, not approved or suspended: STOREFRONT_NOT_FOUND; none given at all: "
        "STOREFRONT_REQUIRED."
    ),
]


@strawberry.type(description="How a brand's storefront looks, as the brand set it.")
class Theme:
    primary_color: str = strawberry.field(
        description="The brand's main colour as a CSS hex colour (`#rrggbb`, `#rgb` or with alpha), "
        "`#1f2937` unless the brand chose one."
    )


@strawberry.type(
    description="A brand's branded storefront: what a shop front needs to render its header and "
    "choose a language and currency."
)
class Storefront:
    slug: str = strawberry.field(
        description="The brand's slug (lowercase): the value of the `Lini-Storefront` header and `storefront` "
        "arguments that select this storefront."
    )
    name: str = strawberry.field(description="The brand's display name, for the page title and header.")
    description: str = strawberry.field(description="The brand's own text about itself (plain text, may be empty).")
    logo_url: str | None = strawberry.field(description="An absolute URL of the brand's logo; null if it has none.")
    theme: Theme = strawberry.field(description="The brand's colours.")
    default_currency: str = strawberry.field(
        description="The currency prices are shown in when none is asked for (ISO 4217, e.g. `IDR`)."
    )
    currencies: list[str] = strawberry.field(description="Currencies prices can be asked in (ISO 4217).")
    languages: list[str] = strawberry.field(
        description="Languages the storefront is translated into (codes such as `id`, `en`); prices and texts "
        "are asked in one with `language` arguments or `Accept-Language`."
    )
    default_language: str = strawberry.field(
        description="The language of the brand's own texts, which untranslated texts fall back to; what a "
        "storefront shows when the shopper's browser asks for none of `languages`."
    )
    ships_to: list[str] = strawberry.field(description="Countries it ships to (ISO 3166-1 alpha-2).")
    ships_from: str = strawberry.field(
        description="The country parcels leave from (ISO 3166-1 alpha-2); an address elsewhere is an export."
    )
    incoterm: Incoterm = strawberry.field(  # type: ignore[valid-type]
        description="Who pays duties on exports: the buyer on arrival (DAP) or at checkout (DDP)."
    )

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
            default_language=brand.default_language,
            ships_to=list(brand.ships_to),
            ships_from=brand.ships_from,
            incoterm=brand.incoterm,
        )


@strawberry.type
class StorefrontQuery:
    @strawberry.field(**guard("The storefront selected by the `Lini-Storefront` header (or `storefront`).", PUBLIC))
    async def storefront(
        self,
        info: Info,
        storefront: StorefrontSlug = None,
    ) -> Storefront:
        return Storefront.from_model(await info.context.storefront(storefront))


QUERIES = (StorefrontQuery,)
