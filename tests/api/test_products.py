"""Storefront catalog queries: listing, paging, search, single product, global IDs, and their SQL cost."""

from __future__ import annotations

import base64

import pytest

from core.catalog.models import ProductStatus
from tests.factories import make_brand, make_catalog, make_product

PAGE = """
query Page($first: Int, $after: String, $last: Int, $before: String, $search: String) {
  products(first: $first, after: $after, last: $last, before: $before, filter: { search: $search }) {
    totalCount
    edges { cursor node { name } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}
"""

CATALOG_PAGE = """
query Catalog($first: Int) {
  products(first: $first) {
    edges { node {
      id name slug madeToMeasure
      priceRange { start { amount currency } stop { amount currency } }
      variants { id sku size colour weightGrams price { amount currency } prices { amount currency } }
    } }
    pageInfo { hasNextPage endCursor }
  }
}
"""


def names(data: dict) -> list[str]:
    return [edge["node"]["name"] for edge in data["products"]["edges"]]


async def test_products_lists_published_products_of_the_storefront_only(gql):
    sekar = await make_brand("sekar")
    koko = await make_brand("koko")
    await make_product(sekar, "Gamis Aisyah")
    await make_product(sekar, "Abaya Madinah")
    await make_product(sekar, "Draft Tunik", status=ProductStatus.DRAFT)
    await make_product(sekar, "Old Khimar", status=ProductStatus.ARCHIVED)
    await make_product(koko, "Baju Koko Tasik")
    data = await gql(PAGE, {"first": 10}, storefront="sekar")
    assert names(data) == ["Abaya Madinah", "Gamis Aisyah"]
    assert data["products"]["totalCount"] == 2


async def test_variants_carry_sku_and_prices_as_decimal_strings(gql):
    brand = await make_brand("sekar")
    await make_product(brand, "Gamis Aisyah", prices={"IDR": "389000", "MYR": "108.5"}, sizes=("M",), slug="aisyah")
    query = """{ product(slug: "aisyah") { name variants { sku size price { amount currency }
                 myr: price(currency: "MYR") { amount currency } prices { amount currency } } } }"""
    data = await gql(query, storefront="sekar")
    variant = data["product"]["variants"][0]
    assert variant["price"] == {"amount": "389000.00", "currency": "IDR"}
    assert variant["myr"] == {"amount": "108.50", "currency": "MYR"}
    assert variant["prices"] == [{"amount": "389000.00", "currency": "IDR"}, {"amount": "108.50", "currency": "MYR"}]


async def test_price_range_spans_variants(gql):
    brand = await make_brand("sekar")
    product = await make_product(brand, "Gamis", prices={"IDR": "100000"}, sizes=("M",), slug="gamis")
    other = await make_product(brand, "Tmp", prices={"IDR": "120000"}, sizes=("XL",))
    await other.variants.all().update(product_id=product.id)
    data = await gql(
        '{ product(slug: "gamis") { priceRange { start { amount } stop { amount } } } }', storefront="sekar"
    )
    assert data["product"]["priceRange"] == {"start": {"amount": "100000.00"}, "stop": {"amount": "120000.00"}}


async def test_unknown_slug_is_null_not_an_error(gql):
    await make_brand("sekar")
    assert (await gql('{ product(slug: "nope") { name } }', storefront="sekar")) == {"product": None}


async def test_product_of_another_brand_is_not_visible_by_slug_or_id(gql):
    await make_brand("sekar")
    koko = await make_brand("koko")
    product = await make_product(koko, "Koko Tasik", slug="koko-tasik")
    assert (await gql('{ product(slug: "koko-tasik") { name } }', storefront="sekar"))["product"] is None
    global_id = base64.b64encode(f"Product:{product.id}".encode()).decode()
    query = "query($id: ID!) { node(id: $id) { id ... on Product { name } } }"
    assert (await gql(query, {"id": global_id}, storefront="sekar"))["node"] is None
    assert (await gql(query, {"id": global_id}, storefront="koko"))["node"]["name"] == "Koko Tasik"


async def test_node_and_nodes_resolve_global_ids_in_order(gql):
    brand = await make_brand("sekar")
    a = await make_product(brand, "A")
    b = await make_product(brand, "B")
    listed = await gql("{ products { edges { node { id variants { id } } } } }", storefront="sekar")
    ids = [edge["node"]["id"] for edge in listed["products"]["edges"]]
    variant_id = listed["products"]["edges"][0]["node"]["variants"][0]["id"]
    query = """query($ids: [ID!]!, $v: ID!) { nodes(ids: $ids) { ... on Product { name } }
               node(id: $v) { ... on ProductVariant { sku } } }"""
    data = await gql(query, {"ids": list(reversed(ids)), "v": variant_id}, storefront="sekar")
    assert data["nodes"] == [{"name": "B"}, {"name": "A"}]
    assert data["node"]["sku"].startswith("SKU-")
    assert ids == [base64.b64encode(f"Product:{p.id}".encode()).decode() for p in (a, b)]


async def test_forward_and_backward_paging_is_stable_under_inserts(gql):
    brand = await make_brand("sekar")
    await make_catalog(brand, 7)
    first = await gql(PAGE, {"first": 3}, storefront="sekar")
    assert names(first) == ["Gamis 0000", "Gamis 0001", "Gamis 0002"]
    assert first["products"]["pageInfo"]["hasNextPage"] is True
    assert first["products"]["pageInfo"]["hasPreviousPage"] is False
    # A product inserted before the cursor must not shift the next page.
    await make_product(brand, "Gamis 0000a")
    after = first["products"]["pageInfo"]["endCursor"]
    second = await gql(PAGE, {"first": 3, "after": after}, storefront="sekar")
    assert names(second) == ["Gamis 0003", "Gamis 0004", "Gamis 0005"]
    assert second["products"]["pageInfo"]["hasPreviousPage"] is True
    third = await gql(PAGE, {"first": 3, "after": second["products"]["pageInfo"]["endCursor"]}, storefront="sekar")
    assert names(third) == ["Gamis 0006"]
    assert third["products"]["pageInfo"]["hasNextPage"] is False
    back = await gql(PAGE, {"last": 2, "before": second["products"]["pageInfo"]["startCursor"]}, storefront="sekar")
    assert names(back) == ["Gamis 0001", "Gamis 0002"]
    assert back["products"]["totalCount"] == 8


async def test_default_page_size_is_twenty(gql):
    brand = await make_brand("sekar")
    await make_catalog(brand, 25)
    data = await gql(PAGE, {}, storefront="sekar")
    assert len(data["products"]["edges"]) == 20
    assert data["products"]["pageInfo"]["hasNextPage"] is True


async def test_search_matches_name_description_and_sku_case_insensitively(gql):
    brand = await make_brand("sekar")
    await make_product(brand, "Gamis Ceruty Aisyah", description="Bahan ceruty babydoll")
    await make_product(brand, "Abaya Hitam", description="Bordir tangan")
    await make_product(brand, "Khimar Syari", description="Dua lapis")
    assert names(await gql(PAGE, {"search": "CERUTY"}, storefront="sekar")) == ["Gamis Ceruty Aisyah"]
    assert names(await gql(PAGE, {"search": "bordir"}, storefront="sekar")) == ["Abaya Hitam"]
    assert names(await gql(PAGE, {"search": "syar"}, storefront="sekar")) == ["Khimar Syari"]
    sku = await gql("{ products(first: 1) { edges { node { variants { sku } } } } }", storefront="sekar")
    code = sku["products"]["edges"][0]["node"]["variants"][0]["sku"]
    assert names(await gql(PAGE, {"search": code.lower()}, storefront="sekar")) == ["Abaya Hitam"]
    empty = await gql(PAGE, {"search": "tidak-ada"}, storefront="sekar")
    assert names(empty) == [] and empty["products"]["totalCount"] == 0


@pytest.mark.parametrize(
    ("variables", "code"),
    [
        ({"first": 1000}, "PAGE_SIZE_EXCEEDED"),
        ({"last": 101}, "PAGE_SIZE_EXCEEDED"),
        ({"first": -1}, "INVALID_PAGINATION"),
        ({"first": 1, "last": 1}, "INVALID_PAGINATION"),
        ({"after": "garbage!!"}, "INVALID_CURSOR"),
        ({"after": "WyJvdGhlcjprZXkiLCJ4IiwxXQ"}, "INVALID_CURSOR"),  # ["other:key","x",1]
        ({"search": "x" * 201}, "INVALID_FILTER"),
    ],
)
async def test_bad_paging_input_is_a_clear_coded_error(gql, variables, code):
    await make_brand("sekar")
    error = await gql.error(PAGE, variables, storefront="sekar")
    assert error["extensions"]["code"] == code
    assert error["message"]


async def test_catalog_page_costs_the_same_statements_for_5_and_100_products(gql, sql_counter):
    brand = await make_brand("sekar")
    await make_catalog(brand, 120)
    with sql_counter.counting() as small:
        five = await gql(CATALOG_PAGE, {"first": 5}, storefront="sekar")
    with sql_counter.counting() as large:
        hundred = await gql(CATALOG_PAGE, {"first": 100}, storefront="sekar")
    assert len(five["products"]["edges"]) == 5 and len(hundred["products"]["edges"]) == 100
    assert len(hundred["products"]["edges"][99]["node"]["variants"]) == 2
    # storefront, products, variants with their prices (one statement)
    assert len(small) == len(large) == 3, large
