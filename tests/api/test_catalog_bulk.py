"""productBulkCreate: up to 100 products with variants in one transaction, all or nothing, and fast."""

from __future__ import annotations

import time
from typing import Any

import pytest

from core.actors.models import StaffRole
from core.catalog.models import Product, ProductPrice, Stock, Variant, VariantPrice
from core.events import Event
from tests.factories import make_brand, make_product, make_staff

BULK = """mutation($input: ProductBulkCreateInput!) { productBulkCreate(input: $input) {
  count products { name slug variants { sku } } errors { field code index } } }"""


def item(n: int, variants: int = 2, **fields: Any) -> dict[str, Any]:
    return {
        "name": f"Gamis {n:03d}",
        "status": "PUBLISHED",
        "variants": [
            {
                "sku": f"G{n:03d}-{v}",
                "size": str(v),
                "prices": [{"currency": "IDR", "amount": f"{100000 + v}"}, {"currency": "MYR", "amount": "30.5"}],
                "stock": v,
            }
            for v in range(variants)
        ],
        **fields,
    }


async def rows() -> tuple[int, ...]:
    return tuple([await m.all().count() for m in (Product, Variant, VariantPrice, Stock, ProductPrice, Event)])


@pytest.fixture
async def shop(gql) -> dict[str, Any]:
    brand = await make_brand("sekar")
    _, token = await make_staff(brand, StaffRole.STAFF)
    gql.storefront, gql.token = "sekar", token
    return {"brand": brand}


async def test_bulk_creates_products_variants_prices_stock_and_price_ranges(gql, shop):
    items = [item(n) for n in range(10)] + [{"name": "Gamis 000"}, {"name": "Tunik", "slug": "tunik-khusus"}]
    data = (await gql(BULK, {"input": {"products": items}}))["productBulkCreate"]
    assert data["errors"] == [] and data["count"] == 12
    assert [p["slug"] for p in data["products"][:2]] == ["gamis-000", "gamis-001"]
    assert [p["slug"] for p in data["products"][10:]] == ["gamis-000-2", "tunik-khusus"]
    assert data["products"][3]["variants"] == [{"sku": "G003-0"}, {"sku": "G003-1"}]
    assert await rows() == (12, 20, 40, 20, 20, 12)
    ranges = await ProductPrice.filter(currency="IDR").order_by("product_id").values_list("min_amount", "max_amount")
    assert ranges[0] == (100000, 100001)
    assert {s.quantity for s in await Stock.all()} == {0, 1}


async def test_one_bad_item_writes_nothing_and_the_error_names_it(gql, shop):
    await make_product(shop["brand"], "Existing", sizes=("M",), slug="existing")
    taken_sku = (await Variant.first()).sku
    before = await rows()

    def priced(currency: str, amount: str) -> dict[str, Any]:
        return {"variants": [{"sku": "X", "prices": [{"currency": currency, "amount": amount}]}]}

    cases = [
        (3, {"variants": [{"sku": taken_sku}]}, "products.3.variants.0.sku", "SKU_TAKEN"),
        (7, priced("IDR", "-5"), "products.7.variants.0.prices", "INVALID_PRICE"),
        (0, priced("EUR", "5"), "products.0.variants.0.prices", "CURRENCY_NOT_ENABLED"),
        (9, {"name": ""}, "products.9.name", "INVALID_NAME"),
        (4, {"slug": "existing"}, "products.4.slug", "SLUG_TAKEN"),
    ]
    for index, change, field, code in cases:
        items = [item(n) for n in range(10)]
        items[index] = {**items[index], **change}
        data = (await gql(BULK, {"input": {"products": items}}))["productBulkCreate"]
        assert data["errors"] == [{"field": field, "code": code, "index": index}], change
        assert data["products"] == [] and data["count"] == 0
    assert await rows() == before


async def test_duplicates_within_one_bulk_are_refused(gql, shop):
    items = [item(1), item(2, slug="same"), item(3, slug="same")]
    items[1]["variants"][0]["sku"] = "G001-0"
    data = (await gql(BULK, {"input": {"products": items}}))["productBulkCreate"]
    assert data["errors"] == [
        {"field": "products.1.variants.0.sku", "code": "SKU_TAKEN", "index": 1},
        {"field": "products.2.slug", "code": "SLUG_TAKEN", "index": 2},
    ]
    assert await Product.all().count() == 0


async def test_more_than_100_products_are_refused(gql, shop):
    data = (await gql(BULK, {"input": {"products": [{"name": f"P{n}"} for n in range(101)]}}))["productBulkCreate"]
    assert data["errors"] == [{"field": "products", "code": "TOO_MANY_PRODUCTS", "index": None}]
    assert await Product.all().count() == 0


async def test_100_products_with_5_variants_each_are_fast(gql, shop, sql_counter, backend):
    items = [item(n, variants=5) for n in range(100)]
    with sql_counter.counting() as statements:
        started = time.perf_counter()
        data = (await gql(BULK, {"input": {"products": items}}))["productBulkCreate"]
        elapsed = time.perf_counter() - started
    print(f"\nproductBulkCreate 100 x 5 on {backend}: {elapsed:.3f} s, {len(statements)} SQL statements")
    assert data["errors"] == [] and data["count"] == 100
    assert await rows() == (100, 500, 1000, 500, 200, 100)
    # A constant number of statements besides one event per product (and the response's dataloaders).
    assert len(statements) < 100 + 40, statements[:50]
    assert elapsed < 10
