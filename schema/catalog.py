"""Catalog types and storefront queries: products, their variants and prices."""

from __future__ import annotations

from decimal import Decimal

import strawberry
from strawberry import relay
from strawberry.types import Info

from core.catalog import services as catalog
from core.catalog.models import Product as ProductModel
from core.catalog.models import Variant as VariantModel
from core.errors import DomainError
from core.pagination import PageRequest, paginate
from schema.permissions import PUBLIC, guard
from schema.relay import Connection, connection
from schema.scalars import Money, MoneyRange


@strawberry.type(description="A sellable version of a product: one size and colour, with its SKU and prices.")
class ProductVariant(relay.Node):
    id: relay.NodeID[int]
    sku: str
    size: str
    colour: str
    weight_grams: int

    @classmethod
    def from_model(cls, variant: VariantModel) -> ProductVariant:
        return cls(
            id=variant.id,
            sku=variant.sku,
            size=variant.size,
            colour=variant.colour,
            weight_grams=variant.weight_grams,
        )

    @strawberry.field(description="Prices in every currency the variant is priced in.")
    async def prices(self, info: Info) -> list[Money]:
        rows = await info.context.loaders.prices_by_variant.load(self.id)
        return [Money.of(row.amount, row.currency) for row in rows]

    @strawberry.field(
        description="The price in `currency`, or the storefront's default currency; null if not priced in it."
    )
    async def price(self, info: Info, currency: str | None = None) -> Money | None:
        wanted = currency or (await info.context.storefront()).default_currency
        for row in await info.context.loaders.prices_by_variant.load(self.id):
            if row.currency == wanted:
                return Money.of(row.amount, row.currency)
        return None

    @classmethod
    async def resolve_nodes(
        cls, *, info: Info, node_ids: list[str], required: bool = False
    ) -> list[ProductVariant | None]:
        brand = await info.context.storefront()
        ids = [int(i) for i in node_ids if i.isdigit()]
        rows = {v.id: v for v in await VariantModel.filter(id__in=ids, brand_id=brand.id)}
        products = await catalog.products_by_ids(brand, {v.product_id for v in rows.values()})
        found = {i: v for i, v in rows.items() if v.product_id in products}
        return [cls.from_model(found[int(i)]) if i.isdigit() and int(i) in found else None for i in node_ids]


@strawberry.type(description="A product of a brand's catalog.")
class Product(relay.Node):
    id: relay.NodeID[int]
    slug: str
    name: str
    description: str
    made_to_measure: bool

    @classmethod
    def from_model(cls, product: ProductModel) -> Product:
        return cls(
            id=product.id,
            slug=product.slug,
            name=product.name,
            description=product.description,
            made_to_measure=product.made_to_measure,
        )

    @strawberry.field
    async def variants(self, info: Info) -> list[ProductVariant]:
        rows = await info.context.loaders.variants_by_product.load(self.id)
        return [ProductVariant.from_model(row) for row in rows]

    @strawberry.field(description="The lowest and highest variant price in `currency` (default: the storefront's).")
    async def price_range(self, info: Info, currency: str | None = None) -> MoneyRange:
        wanted = currency or (await info.context.storefront()).default_currency
        variants = await info.context.loaders.variants_by_product.load(self.id)
        price_lists = await info.context.loaders.prices_by_variant.load_many([v.id for v in variants])
        amounts: list[Decimal] = [p.amount for prices in price_lists for p in prices if p.currency == wanted]
        if not amounts:
            return MoneyRange(start=None, stop=None)
        return MoneyRange(start=Money.of(min(amounts), wanted), stop=Money.of(max(amounts), wanted))

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: list[str], required: bool = False) -> list[Product | None]:
        brand = await info.context.storefront()
        found = await catalog.products_by_ids(brand, [int(i) for i in node_ids if i.isdigit()])
        return [cls.from_model(found[int(i)]) if i.isdigit() and int(i) in found else None for i in node_ids]


@strawberry.input(description="Narrows a product list.")
class ProductFilter:
    search: str | None = strawberry.field(
        default=None, description="Words matched case-insensitively in name, description and SKU."
    )


@strawberry.type
class CatalogQuery:
    @strawberry.field(**guard("The storefront's published products, by name.", PUBLIC))
    async def products(
        self,
        info: Info,
        filter: ProductFilter | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
        storefront: str | None = None,
    ) -> Connection[Product]:
        brand = await info.context.storefront(storefront)
        search = filter.search if filter else None
        if search is not None and len(search) > 200:
            raise DomainError("INVALID_FILTER", "A search is at most 200 characters.", "filter.search")
        limits = info.context.settings.graphql
        page = await paginate(
            catalog.storefront_products(brand, search=search),
            PageRequest(first=first, after=after, last=last, before=before),
            order=("name", "id"),
            key="products:name",
            default_size=limits.default_page_size,
            max_size=limits.max_page_size,
        )
        return connection(page, Product.from_model)

    @strawberry.field(**guard("A published product by its slug; null when there is none.", PUBLIC))
    async def product(self, info: Info, slug: str, storefront: str | None = None) -> Product | None:
        brand = await info.context.storefront(storefront)
        found = await catalog.storefront_product(brand, slug)
        return Product.from_model(found) if found else None


QUERIES = (CatalogQuery,)
TYPES = (Product, ProductVariant)
