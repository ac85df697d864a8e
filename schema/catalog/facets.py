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
from schema.locale import Currency, Language
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
    "matches at least one product."
)
class ProductFacets:
    sizes: list[FacetValue] = strawberry.field(
        description="Sizes smallest first: letter sizes (XS, S, M… XXL, 2XL as XXL), then numeric sizes by "
        "value, then any other in the brand's variant order."
    )
    colours: list[FacetValue] = strawberry.field(description="Colours in the brand's variant order.")
    attributes: list[AttributeFacet] = strawberry.field(
        description="Filterable CHOICE attributes (fabric…) in the brand's order, with their choices."
    )
    price_range: MoneyRange = strawberry.field(
        description="The lowest and highest starting price (what `ProductFilter.price` bounds) in the list's "
        "currency; both null when nothing is priced in it."
    )


@strawberry.type
class FacetQuery:
    @strawberry.field(
        **guard(
            "The sizes, colours, attribute choices and price span of the published products a filter matches, "
            "with counts, in 4–6 statements whatever the catalog's size. Give the filter a shopper has before "
            "the facet's own choice (e.g. without `sizes` for the size list) to offer the alternatives too.",
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
        lang = locale.language
        return ProductFacets(
            sizes=[FacetValue(value=v.value, count=v.count) for v in found.sizes],
            colours=[FacetValue(value=v.value, count=v.count) for v in found.colours],
            attributes=[
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
                for facet in found.attributes
            ],
            price_range=MoneyRange(
                start=Money.of(found.price_min, locale.currency) if found.price_min is not None else None,
                stop=Money.of(found.price_max, locale.currency) if found.price_max is not None else None,
            ),
        )


QUERIES = (FacetQuery,)
TYPES = (ProductFacets,)
