"""`productFacets`: what a storefront's filters can offer for a product list (mirrors `core.catalog.facets`)."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from core.catalog import facets
from core.catalog.models import AttributeType
from core.catalog.translations import pick
from schema.actors.storefront import StorefrontSlug
from schema.catalog.products import AttributeInfo, ProductFilter, _brand_locale, _query
from schema.locale import Currency, Language, Locale
from schema.permissions import PUBLIC, guard
from schema.scalars import Money, MoneyRange


@strawberry.type(description="A size or colour the matching products come in.")
class FacetValue:
    value: str = strawberry.field(
        description="The size or colour as the variants spell it: pass it in `ProductFilter.sizes` or `colours`."
    )
    count: int = strawberry.field(description="How many of the matching products have a variant in it.")


@strawberry.type(description="A choice of an attribute that matching products have.")
class FacetChoice:
    code: str = strawberry.field(description="The choice's code: pass it in `AttributeFilter.values`.")
    label: str = strawberry.field(description="The choice's label in the asked language.")
    count: int = strawberry.field(description="How many of the matching products have this choice.")


@strawberry.type(description="A filterable CHOICE attribute and the choices the matching products have.")
class AttributeFacet:
    attribute: AttributeInfo = strawberry.field(description="The attribute (its `code` goes in `AttributeFilter`).")
    choices: list[FacetChoice] = strawberry.field(description="Its choices in the brand's order, each with a count.")


@strawberry.type(
    description="What the products matching a filter come in, for a storefront's filters: every value listed "
    "matches at least one product. Each field is counted only when asked for."
)
class ProductFacets:
    _facets: strawberry.Private[facets.Facets]
    _locale: strawberry.Private[Locale]

    @strawberry.field(
        description="Sizes smallest first: letter sizes (XS, S, M… XXL, 2XL as XXL), then numeric sizes by "
        "value, then any other in the brand's variant order."
    )
    async def sizes(self) -> list[FacetValue]:
        return [FacetValue(value=v.value, count=v.count) for v in await self._facets.sizes()]

    @strawberry.field(description="Colours in the brand's variant order.")
    async def colours(self) -> list[FacetValue]:
        return [FacetValue(value=v.value, count=v.count) for v in await self._facets.colours()]

    @strawberry.field(description="Filterable CHOICE attributes (fabric…) in the brand's order, with their choices.")
    async def attributes(self) -> list[AttributeFacet]:
        lang = self._locale.language
        return [
            AttributeFacet(
                attribute=AttributeInfo(
                    code=facet.attribute.code,
                    name=pick(facet.attribute.translations, "name", facet.attribute.name, lang),
                    type=AttributeType(facet.attribute.type),
                    unit=facet.attribute.unit,
                ),
                choices=[
                    FacetChoice(
                        code=entry.choice.code,
                        label=pick(entry.choice.translations, "label", entry.choice.label, lang),
                        count=entry.count,
                    )
                    for entry in facet.choices
                ],
            )
            for facet in await self._facets.attributes()
        ]

    @strawberry.field(
        description="The lowest and highest starting price (what `ProductFilter.price` bounds) in the list's "
        "currency; both null when nothing is priced in it."
    )
    async def price_range(self) -> MoneyRange:
        low, high = await self._facets.price_span()
        currency = self._locale.currency
        return MoneyRange(
            start=Money.of(low, currency) if low is not None else None,
            stop=Money.of(high, currency) if high is not None else None,
        )


@strawberry.type
class FacetQuery:
    @strawberry.field(
        **guard(
            "The sizes, colours, attribute choices and price span of the published products a filter matches, "
            "with counts: the filter's own statements (as for `products`), then one per field asked (two for "
            "`attributes`), whatever the catalog's size. Give each facet the shopper's filter without that "
            "facet's own choice (e.g. without `sizes` for `sizes`; aliases ask several in one request) so the "
            "alternatives show too.",
            PUBLIC,
        )
    )
    async def product_facets(
        self,
        info: Info,
        filter: Annotated[
            ProductFilter | None,
            strawberry.argument(description="The same conditions as `products(filter:)`; none: every product."),
        ] = None,
        currency: Currency = None,
        language: Language = None,
        storefront: StorefrontSlug = None,
    ) -> ProductFacets:
        brand, locale = await _brand_locale(info, storefront, language, currency)
        found = await facets.product_facets(brand, _query(filter, None, locale.currency))
        return ProductFacets(_facets=found, _locale=locale)


QUERIES = (FacetQuery,)
TYPES = (ProductFacets,)
