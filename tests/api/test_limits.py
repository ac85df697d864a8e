"""Query limits and error masking: each abuse fails fast with a clear error and the server keeps serving."""

from __future__ import annotations

import logging

import pytest

from core.catalog import services as catalog_services
from tests.factories import make_brand, make_product


async def test_depth_limit(gql):
    await make_brand("sekar")
    depth_50 = "{ products { edges { node { " + "variants { " * 47 + "sku" + " }" * 50 + " }"
    body = await gql.raw(depth_50, storefront="sekar")
    assert body.get("data") is None
    assert any("exceeds maximum operation depth of 12" in e["message"] for e in body["errors"]), body
    # a legitimately nested storefront query is fine
    ok = "{ products(first: 1) { edges { node { variants { price { amount } } } } } }"
    assert (await gql(ok, storefront="sekar"))["products"]["edges"] == []


async def test_alias_limit(gql):
    await make_brand("sekar")
    many = "{ " + " ".join(f"s{i}: storefront {{ name }}" for i in range(31)) + " }"
    error = await gql.error(many, storefront="sekar")
    assert "aliases" in error["message"].lower()


async def test_token_limit(gql):
    await make_brand("sekar")
    huge = "{ storefront { " + "name " * 5001 + "} }"
    error = await gql.error(huge, storefront="sekar")
    assert "token" in error["message"].lower()


async def test_cost_limit_counts_nested_pages(gql):
    await make_brand("sekar")
    # 20 lists × 100 products × (edges + node + 4 fields): above 10,000 although each list alone is allowed.
    query = """
    fragment P on ProductConnection { edges { node { name slug description madeToMeasure } } }
    { a: products(first: 100) { ...P } b: products(first: 100) { ...P } c: products(first: 100) { ...P }
      d: products(first: 100) { ...P } e: products(first: 100) { ...P } f: products(first: 100) { ...P }
      g: products(first: 100) { ...P } h: products(first: 100) { ...P } i: products(first: 100) { ...P }
      j: products(first: 100) { ...P } k: products(first: 100) { ...P } l: products(first: 100) { ...P }
      m: products(first: 100) { ...P } n: products(first: 100) { ...P } o: products(first: 100) { ...P }
      p: products(first: 100) { ...P } q: products(first: 100) { ...P } r: products(first: 100) { ...P }
      s: products(first: 100) { ...P } t: products(first: 100) { ...P } }
    """
    error = await gql.error(query, storefront="sekar")
    assert error["extensions"]["code"] == "QUERY_TOO_COSTLY"
    assert error["extensions"]["cost"] > error["extensions"]["maxCost"] == 10000


async def test_a_normal_catalog_page_is_well_under_the_cost_limit(gql):
    brand = await make_brand("sekar")
    await make_product(brand, "Gamis")
    query = "{ products(first: 100) { edges { node { name variants { sku price { amount } } } } } }"
    assert len((await gql(query, storefront="sekar"))["products"]["edges"]) == 1


async def test_internal_errors_are_masked_logged_and_carry_a_request_id(gql, monkeypatch, caplog):
    brand = await make_brand("sekar")
    await make_product(brand, "Gamis", slug="gamis")

    async def broken(*args, **kwargs):
        raise RuntimeError("secret connection string postgres://admin:hunter2@db")

    monkeypatch.setattr(catalog_services, "storefront_product", broken)
    with caplog.at_level(logging.ERROR, logger="lini.graphql"):
        error = await gql.error('{ product(slug: "gamis") { name } }', storefront="sekar")
    assert "hunter2" not in str(error)
    assert error["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    request_id = error["extensions"]["requestId"]
    assert request_id in error["message"]
    assert any(request_id in record.getMessage() and record.exc_info for record in caplog.records)
    # and the server still answers
    assert (await gql("{ storefront { slug } }", storefront="sekar"))["storefront"]["slug"] == "sekar"


@pytest.mark.parametrize("body", ["{ products { edges ", "{ noSuchField }", "query($x: Int!) { storefront { name } }"])
async def test_malformed_queries_are_graphql_errors_not_crashes(gql, body):
    await make_brand("sekar")
    response = await gql.raw(body, storefront="sekar")
    assert response["errors"] and response.get("data") is None
