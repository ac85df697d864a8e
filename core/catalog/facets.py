"""Facets of a product list: the sizes, colours and attribute choices its products come in, with how many products
have each, and the span of their prices, so a storefront can offer filters that find something.

Counted over the products a `ProductQuery` matches (every filter but paging and sort), one grouped statement per
facet asked for whatever the catalog's size.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from tortoise.expressions import Subquery
from tortoise.functions import Count, Max, Min

from core.actors.models import Brand
from core.catalog.listing import ProductQuery, filtered_products
from core.catalog.models import Attribute, AttributeChoice, ProductAttributeValue, ProductPrice, Variant


@dataclass(frozen=True)
class ValueCount:
    value: str
    count: int


@dataclass(frozen=True)
class ChoiceCount:
    choice: AttributeChoice
    count: int


@dataclass(frozen=True)
class AttributeFacet:
    attribute: Attribute
    choices: list[ChoiceCount]


class Facets:
    """The facets of the products a query matches, each counted when first asked for (one grouped statement each,
    after the statements the filter itself needs, which run once)."""

    def __init__(self, brand: Brand, query: ProductQuery) -> None:
        self.brand = brand
        self.query = query
        self._matching: Subquery | None = None

    async def matching(self) -> Subquery:
        if self._matching is None:
            self._matching = Subquery((await filtered_products(self.brand, self.query)).values("id"))
        return self._matching

    async def sizes(self) -> list[ValueCount]:
        """Smallest first: letter sizes in their ladder, then numbers by value, then the rest in the brand's order."""
        return await _variant_values(self.brand, await self.matching(), "size")

    async def colours(self) -> list[ValueCount]:
        """In the brand's variant order."""
        return await _variant_values(self.brand, await self.matching(), "colour")

    async def attributes(self) -> list[AttributeFacet]:
        """Filterable CHOICE attributes and their choices in the brand's order."""
        return await _choice_facets(self.brand, await self.matching())

    async def price_span(self) -> tuple[Decimal | None, Decimal | None]:
        """The lowest and highest starting price in the query's currency."""
        return await _price_span(await self.matching(), self.query.currency)


async def product_facets(brand: Brand, query: ProductQuery) -> Facets:
    """The facets of `query`; a filter that cannot be right raises DomainError here, before any is counted."""
    facets = Facets(brand, query)
    await facets.matching()
    return facets


async def _variant_values(brand: Brand, matching: Subquery, column: str) -> list[ValueCount]:
    rows = (
        await Variant.filter(brand_id=brand.id, product_id__in=matching)
        .exclude(**{column: ""})
        .annotate(products=Count("product_id", distinct=True), first=Min("position"))
        .group_by(column)
        .values(column, "products", "first")
    )
    rows.sort(key=lambda row: (_size_rank(row[column]) if column == "size" else (), row["first"], row[column]))
    return [ValueCount(value=row[column], count=row["products"]) for row in rows]


# Letter sizes as shops write them, smallest first; `2XL` is `XXL`.
_LETTER_SIZES = ("XXS", "XS", "S", "M", "L", "XL", "XXL", "XXXL", "XXXXL")
_ALIASES = {"2XL": "XXL", "3XL": "XXXL", "4XL": "XXXXL"}


def _size_rank(size: str) -> tuple[int, Decimal]:
    """Letter sizes in their ladder, then numeric sizes (38, 40…) by value, then the rest in the brand's order."""
    label = size.strip().upper()
    label = _ALIASES.get(label, label)
    if label in _LETTER_SIZES:
        return (0, Decimal(_LETTER_SIZES.index(label)))
    try:
        return (1, Decimal(label))
    except ArithmeticError:
        return (2, Decimal(0))


async def _choice_facets(brand: Brand, matching: Subquery) -> list[AttributeFacet]:
    counts = {
        row["choice_id"]: row["products"]
        for row in await ProductAttributeValue.filter(
            product_id__in=matching, choice_id__isnull=False, attribute__brand_id=brand.id
        )
        .annotate(products=Count("product_id", distinct=True))
        .group_by("choice_id")
        .values("choice_id", "products")
    }
    choices = await (
        AttributeChoice.filter(id__in=list(counts), attribute__filterable=True)
        .select_related("attribute")
        .order_by("attribute__position", "attribute__id", "position", "id")
    )
    facets: dict[int, AttributeFacet] = {}
    for choice in choices:
        facet = facets.setdefault(choice.attribute_id, AttributeFacet(attribute=choice.attribute, choices=[]))
        facet.choices.append(ChoiceCount(choice=choice, count=counts[choice.id]))
    return list(facets.values())


async def _price_span(matching: Subquery, currency: str) -> tuple[Decimal | None, Decimal | None]:
    row = (
        await ProductPrice.filter(currency=currency, product_id__in=matching)
        .annotate(low=Min("min_amount"), high=Max("min_amount"))
        .first()
        .values("low", "high")
    )
    low, high = (row or {}).get("low"), (row or {}).get("high")
    return (Decimal(low) if low is not None else None, Decimal(high) if high is not None else None)
