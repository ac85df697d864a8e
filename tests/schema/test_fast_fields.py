"""The short path of `schema.fast_fields` answers exactly what graphql-core's stock execution answers."""

from __future__ import annotations

from decimal import Decimal

import pytest
import strawberry
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from core.catalog.models import (
    Attribute,
    AttributeChoice,
    AttributeType,
    Category,
    ProductAttributeValue,
    ProductMedia,
    Stock,
    Variant,
)
from core.catalog.prices import refresh_price_ranges
from schema.fast_fields import FastFieldExecutor
from tests.factories import make_brand, make_product

CARD = """fragment Card on Product {
  id __typename name slug isAvailable category { id name parent { slug } } thumbnail { url alt }
  media { url alt } attributes { attribute { code name type unit } values { code label } }
  pricing { priceRange { start { amount currency } stop { amount currency } } onSale }
  myr: priceRange(currency: "MYR") { start { amount } stop { amount } }
  madeToMeasureConfig { __typename }
  variants { id __typename sku size colour barcode weightGrams ... on ProductVariant { price { amount currency } }
    eur: price(currency: "EUR") { amount } prices { amount currency } compareAtPrice { amount }
    quantityAvailable isAvailable } }"""

QUERIES = [
    # the storefront page of issue #13
    """{ products(first: 20) { edges { node { id name slug thumbnail { url } category { name }
        pricing { priceRange { start { amount currency } stop { amount currency } } }
        variants { id quantityAvailable price { amount currency } } } } pageInfo { hasNextPage endCursor } } }""",
    f"""query {{ products(first: 3) {{ totalCount edges {{ cursor node {{ ...Card }} }}
        pageInfo {{ hasNextPage hasPreviousPage startCursor endCursor }} }} }} {CARD}""",
    f"""query($slug: String!) {{ product(slug: $slug) {{ ...Card }} }} {CARD}""",
    f"""query($slug: String!) {{ product(slug: $slug, language: "en", currency: "MYR") {{ ...Card }} }} {CARD}""",
    """query($skip: Boolean!) { products(first: 2) { edges { node { a: name b: name @skip(if: $skip)
        c: slug @include(if: $skip) variants { x: sku y: id } } } } }""",
    f"""query($ids: [ID!]!) {{ nodes(ids: $ids) {{ __typename id ... on Product {{ ...Card }}
        ... on ProductVariant {{ sku price {{ amount }} }} }} }} {CARD}""",
    # errors: a refused argument, an unknown storefront currency, a bad id
    """{ products(first: 2, currency: "EUR") { edges { node { name } } } }""",
    """{ products(first: 2) { edges { node { name variants { sku } } } } a: product(slug: "none") { id } }""",
    """{ node(id: "UHJvZHVjdDpub3BlCg==") { id } }""",
]


@pytest.fixture
async def catalog():
    brand = await make_brand("sekar")
    gamis = await Category.create(brand=brand, slug="gamis", name="Gamis", translations={"en": {"name": "Robes"}})
    gamis.path = f"/{gamis.id}/"
    await gamis.save()
    syari = await Category.create(brand=brand, slug="syari", name="Syari", parent=gamis, path="/")
    fabric = await Attribute.create(brand=brand, code="fabric", name="Bahan", type=AttributeType.CHOICE)
    ceruty = await AttributeChoice.create(attribute=fabric, code="CERUTY", label="Ceruty")
    length = await Attribute.create(brand=brand, code="length", name="Panjang", type=AttributeType.NUMBER, unit="cm")
    products = []
    for i, (name, idr) in enumerate([("Gamis Aisyah", "389000"), ("Gamis Hana", "259000"), ("Hijab", "69000")]):
        product = await make_product(
            brand,
            name,
            prices={"IDR": idr, "MYR": str(Decimal(idr) / 3600)},
            category=gamis if i == 0 else syari if i == 1 else None,
            translations={"en": {"name": f"{name} (en)"}},
        )
        await refresh_price_ranges([product.id])
        products.append(product)
    first = products[0]
    variant = await Variant.filter(product=first).order_by("id").first()
    assert variant is not None
    await Stock.create(variant=variant, quantity=50)
    await variant.prices.filter(currency="IDR").update(compare_at_amount=Decimal("499000"))
    await ProductMedia.create(product=first, url="https://cdn.example/1.jpg", alt="depan", position=1)
    await ProductMedia.create(product=first, url="https://cdn.example/0.jpg", alt="", position=0)
    await ProductAttributeValue.create(product=first, attribute=fabric, choice=ceruty)
    await ProductAttributeValue.create(product=first, attribute=length, number_value=Decimal("135.500"))
    return {"products": products, "variant": variant}


def _variables(query: str, catalog: dict) -> dict:
    import base64

    product, variant = catalog["products"][0], catalog["variant"]
    ids = [
        base64.b64encode(f"{kind}:{i}".encode()).decode()
        for kind, i in (("Product", product.id), ("ProductVariant", variant.id), ("Product", 999_999))
    ]
    return {"slug": product.slug, "skip": True, "ids": ids}


async def test_short_path_answers_as_the_stock_executor(gql, catalog, monkeypatch):
    answers = []
    for query in QUERIES:
        variables = _variables(query, catalog)
        fast = await gql.raw(query, variables, storefront="sekar")
        monkeypatch.setattr(FastFieldExecutor, "enabled", False)
        slow = await gql.raw(query, variables, storefront="sekar")
        monkeypatch.setattr(FastFieldExecutor, "enabled", True)
        assert fast == slow, query
        answers.append(fast)
    # the refused currency, the missing product and the bad id are errors, in both
    assert [bool(a.get("errors")) for a in answers] == [False] * 6 + [True, False, True], answers


async def test_the_page_takes_the_short_path_for_most_fields(gql, catalog, monkeypatch):
    built: list[str] = []
    original = StrawberryGraphQLCoreExecutionContext.build_resolve_info

    def counting(self, field_def, field_nodes, parent_type, path):  # type: ignore[no-untyped-def]
        built.append(f"{parent_type.name}.{field_nodes[0].name.value}")
        return original(self, field_def, field_nodes, parent_type, path)

    monkeypatch.setattr(StrawberryGraphQLCoreExecutionContext, "build_resolve_info", counting)
    await gql(QUERIES[0], storefront="sekar")
    short = list(built)
    built.clear()
    monkeypatch.setattr(FastFieldExecutor, "enabled", False)
    await gql(QUERIES[0], storefront="sekar")
    # only fields with an object or list value still get a GraphQLResolveInfo; no leaf does
    assert len(short) < len(built) / 2, (len(short), len(built))
    assert not any(name.endswith((".name", ".slug", ".id", ".quantityAvailable", ".amount", ".url")) for name in short)


@strawberry.type
class Leaf:
    """A list item whose fields fail or wait on demand."""

    name: str
    broken: bool = False

    @strawberry.field
    def must(self) -> str:
        if self.broken:
            raise ValueError(f"{self.name} is broken")
        return self.name

    @strawberry.field
    async def later(self) -> str:
        return self.name.upper()


async def async_leaf() -> Leaf:
    return Leaf(name="async")


@strawberry.type
class ListQuery:
    """Lists and objects holding failing, null and awaitable items."""

    @strawberry.field
    def leaves(self) -> list[Leaf | None]:
        return [Leaf(name="a"), None, Leaf(name="b", broken=True), Leaf(name="c")]

    @strawberry.field
    def strict(self) -> list[Leaf] | None:
        return [Leaf(name="a"), Leaf(name="b", broken=True)]

    @strawberry.field
    def nulls(self) -> list[Leaf] | None:
        return [Leaf(name="a"), None]  # type: ignore[list-item]

    @strawberry.field
    def one(self) -> Leaf | None:
        return Leaf(name="one", broken=True)

    @strawberry.field
    def missing(self) -> Leaf | None:
        return None

    @strawberry.field
    def waiting(self) -> list[Leaf]:
        return [async_leaf(), Leaf(name="d")]  # type: ignore[list-item]


async def test_lists_and_objects_of_the_short_path_fail_as_the_stock_executor():
    """Errors, nulls and awaitables inside lists of objects and object fields (the short path completes them
    without graphql-core's per-item completion) give the stock executor's data and errors."""
    schema = strawberry.Schema(query=ListQuery, execution_context_class=FastFieldExecutor)
    queries = [
        "{ leaves { name must later } }",
        "{ strict { name must } }",
        "{ nulls { name } }",
        "{ one { name must } missing { name } }",
        "{ waiting { name later } }",
        "{ leaves { name } strict { name later } one { later } }",
    ]
    for query in queries:
        fast = await schema.execute(query)
        FastFieldExecutor.enabled = False
        try:
            slow = await schema.execute(query)
        finally:
            FastFieldExecutor.enabled = True
        assert fast.data == slow.data, query
        assert [(e.message, e.path) for e in fast.errors or []] == [(e.message, e.path) for e in slow.errors or []], (
            query
        )
