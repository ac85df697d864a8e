"""The reference storefront's own browsing documents (storefront/src/graphql/) as the shop sends them: a filtered
catalog page, the search box's suggestions and a product page each read in as many statements for a short list
as for a long one, so a bigger page or catalog costs no more round trips."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.catalog.models import Attribute, AttributeChoice, AttributeType, ProductAttributeValue, Variant, VariantPrice
from core.catalog.prices import refresh_price_ranges
from tests.factories import make_brand, make_catalog, make_product

DOCUMENTS = Path(__file__).resolve().parents[2] / "storefront" / "src" / "graphql"


def document(name: str) -> str:
    return (DOCUMENTS / f"{name}.graphql").read_text()


async def run(gql, name: str, operation: str, variables: dict, storefront: str) -> dict:
    answer = await gql.http.post(
        "/graphql",
        json={"query": document(name), "operationName": operation, "variables": variables},
        headers={"Lini-Storefront": storefront},
    )
    body = answer.json()
    assert "errors" not in body, body
    return body["data"]


@pytest.fixture
async def catalogs():
    """Two brands alike but for their size: every product in Linen and Sage, sized M and L."""
    for slug, size in (("kecil", 4), ("besar", 30)):
        brand = await make_brand(slug)
        products = await make_catalog(brand, size)
        await refresh_price_ranges([p.id for p in products])
        fabric = await Attribute.create(brand=brand, code="fabric", name="Bahan", type=AttributeType.CHOICE)
        linen = await AttributeChoice.create(attribute=fabric, code="LINEN", label="Linen")
        await ProductAttributeValue.bulk_create(
            [ProductAttributeValue(product=p, attribute=fabric, choice=linen) for p in products]
        )


FILTER = {
    "sizes": ["L"],
    "colours": ["Sage"],
    "attributes": [{"code": "fabric", "values": ["LINEN"]}],
    "price": {"gte": "100000", "lte": "300000"},
}


async def test_a_filtered_catalog_page_and_its_facets_cost_the_same_for_3_or_24_cards(gql, sql_counter, catalogs):
    variables = {"currency": "IDR", "language": "en", "filter": FILTER}
    with sql_counter.counting() as few:
        small = await run(gql, "catalog", "Catalog", {**variables, "first": 3}, "kecil")
    with sql_counter.counting() as many:
        large = await run(gql, "catalog", "Catalog", {**variables, "first": 24}, "besar")
    assert (len(small["products"]["edges"]), len(large["products"]["edges"])) == (3, 24)
    assert large["products"]["totalCount"] == 30 and large["products"]["pageInfo"]["hasNextPage"]
    assert len(few) == len(many) > 0, many

    # the filters ask each facet under the shopper's other choices, four in one request
    facet_filters = {
        "forSizes": {k: v for k, v in FILTER.items() if k != "sizes"},
        "forColours": {k: v for k, v in FILTER.items() if k != "colours"},
        "forAttributes": {k: v for k, v in FILTER.items() if k != "attributes"},
        "forPrice": {k: v for k, v in FILTER.items() if k != "price"},
    }
    with sql_counter.counting() as few:
        await run(gql, "browse", "Facets", {"currency": "IDR", **facet_filters}, "kecil")
    with sql_counter.counting() as many:
        facets = await run(gql, "browse", "Facets", {"currency": "IDR", **facet_filters}, "besar")
    assert facets["sizes"]["sizes"] == [{"value": "M", "count": 30}, {"value": "L", "count": 30}]
    assert facets["colours"]["colours"] == [{"value": "Sage", "count": 30}]
    assert facets["attributes"]["attributes"][0]["choices"] == [{"code": "LINEN", "label": "Linen", "count": 30}]
    assert facets["price"]["priceRange"]["start"] == {"amount": "199000.00", "currency": "IDR"}
    assert len(few) == len(many) > 0, many


async def test_suggestions_cost_the_same_for_2_or_6_matches(gql, sql_counter, catalogs):
    variables = {"search": "gamis", "currency": "IDR", "language": "en"}
    with sql_counter.counting() as few:
        small = await run(gql, "browse", "SearchSuggest", {**variables, "first": 2}, "kecil")
    with sql_counter.counting() as many:
        large = await run(gql, "browse", "SearchSuggest", variables, "besar")
    assert (len(small["products"]["edges"]), len(large["products"]["edges"])) == (2, 6)
    assert large["products"]["totalCount"] == 30
    assert len(few) == len(many) > 0, many


async def test_a_product_page_costs_the_same_for_2_or_12_variants(gql, sql_counter):
    brand = await make_brand("sekar")
    chart = [{"size": s, "measurements": [{"code": "LD", "value": "100"}]} for s in ("M", "L")]
    narrow = await make_product(brand, "Gamis Dua", sizes=("M", "L"), size_chart=chart)
    wide = await make_product(brand, "Gamis Banyak", sizes=tuple(f"{n}" for n in range(36, 48)), size_chart=chart)
    await VariantPrice.filter(variant__product_id=wide.id).update(amount="250000")
    await refresh_price_ranges([narrow.id, wide.id])
    assert await Variant.filter(product_id=wide.id).count() == 12
    with sql_counter.counting() as few:
        small = await run(gql, "product", "Product", {"slug": narrow.slug, "currency": "IDR"}, "sekar")
    with sql_counter.counting() as many:
        large = await run(gql, "product", "Product", {"slug": wide.slug, "currency": "IDR"}, "sekar")
    assert len(small["product"]["variants"]) == 2 and len(large["product"]["variants"]) == 12
    assert large["product"]["sizeChart"][1] == {"size": "L", "measurements": [{"code": "LD", "value": "100"}]}
    assert len(few) == len(many) > 0, many
