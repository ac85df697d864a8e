"""Storefront filters by size and colour, and `productFacets`: what a product list's filters can offer."""

from __future__ import annotations

import pytest

from core.catalog.models import Attribute, AttributeChoice, AttributeType, ProductAttributeValue, Variant
from core.catalog.prices import refresh_price_ranges
from tests.factories import make_brand, make_catalog, make_product

LIST = """query($filter: ProductFilter) { products(filter: $filter) { totalCount edges { node { name } } } }"""
FACETS = """query($filter: ProductFilter, $currency: String, $language: String) {
  productFacets(filter: $filter, currency: $currency, language: $language) {
    sizes { value count } colours { value count }
    attributes { attribute { code name type } choices { code label count } }
    priceRange { start { amount currency } stop { amount currency } } } }"""


def names(data: dict) -> list[str]:
    return [edge["node"]["name"] for edge in data["products"]["edges"]]


@pytest.fixture
async def shop():
    brand = await make_brand("sekar")
    other = await make_brand("lain")
    aisyah = await make_product(brand, "Gamis Aisyah", prices={"IDR": "389000"}, sizes=("S", "M", "L"))
    hana = await make_product(brand, "Gamis Hana", prices={"IDR": "259000"}, sizes=("M", "XL"))
    await Variant.filter(product=hana).update(colour="Sage")
    pashmina = await make_product(brand, "Pashmina", prices={"IDR": "69000", "MYR": "20"}, sizes=("",))
    foreign = await make_product(other, "Tunik Lain", prices={"IDR": "10"}, sizes=("XXS",))
    await Variant.filter(product=foreign).update(colour="Merah")
    await refresh_price_ranges([aisyah.id, hana.id, pashmina.id, foreign.id])
    fabric = await Attribute.create(
        brand=brand, code="fabric", name="Bahan", type=AttributeType.CHOICE, translations={"en": {"name": "Fabric"}}
    )
    ceruty = await AttributeChoice.create(
        attribute=fabric, code="CERUTY", label="Ceruty", position=0, translations={"en": {"label": "Chiffon"}}
    )
    wolfis = await AttributeChoice.create(attribute=fabric, code="WOLFIS", label="Wolfis", position=1)
    await AttributeChoice.create(attribute=fabric, code="SATIN", label="Satin", position=2)  # no product has it
    await ProductAttributeValue.create(product=aisyah, attribute=fabric, choice=ceruty)
    await ProductAttributeValue.create(product=hana, attribute=fabric, choice=wolfis)
    hidden = await Attribute.create(brand=brand, code="internal", name="Internal", type=AttributeType.CHOICE)
    secret = await AttributeChoice.create(attribute=hidden, code="X", label="X")
    hidden.filterable = False
    await hidden.save()
    await ProductAttributeValue.create(product=aisyah, attribute=hidden, choice=secret)
    return brand


async def test_size_and_colour_filters_match_a_variant(gql, shop):
    assert names(await gql(LIST, {"filter": {"sizes": ["S"]}}, storefront="sekar")) == ["Gamis Aisyah"]
    assert names(await gql(LIST, {"filter": {"sizes": ["S", "XL"]}}, storefront="sekar")) == [
        "Gamis Aisyah",
        "Gamis Hana",
    ]
    assert names(await gql(LIST, {"filter": {"colours": ["Sage"]}}, storefront="sekar")) == ["Gamis Hana"]
    # both must hold, each by some variant
    assert names(await gql(LIST, {"filter": {"sizes": ["L"], "colours": ["Sage"]}}, storefront="sekar")) == []
    # another brand's sizes match nothing here
    assert names(await gql(LIST, {"filter": {"sizes": ["XXS"]}}, storefront="sekar")) == []
    too_many = await gql.error(LIST, {"filter": {"sizes": [str(n) for n in range(51)]}}, storefront="sekar")
    assert too_many["extensions"] == {"code": "INVALID_FILTER", "field": "filter.sizes"}


async def test_facets_count_the_matching_products_in_the_brands_order(gql, shop):
    data = (await gql(FACETS, {"language": "en"}, storefront="sekar"))["productFacets"]
    assert data["sizes"] == [
        {"value": "S", "count": 1},
        {"value": "M", "count": 2},
        {"value": "L", "count": 1},
        {"value": "XL", "count": 1},
    ]
    assert data["colours"] == [{"value": "Hitam", "count": 2}, {"value": "Sage", "count": 1}]
    # only choices some product has, translated; an attribute that is not filterable is left out
    assert data["attributes"] == [
        {
            "attribute": {"code": "fabric", "name": "Fabric", "type": "CHOICE"},
            "choices": [
                {"code": "CERUTY", "label": "Chiffon", "count": 1},
                {"code": "WOLFIS", "label": "Wolfis", "count": 1},
            ],
        }
    ]
    assert data["priceRange"] == {
        "start": {"amount": "69000.00", "currency": "IDR"},
        "stop": {"amount": "389000.00", "currency": "IDR"},
    }


async def test_facets_follow_the_filter_and_the_currency(gql, shop):
    narrowed = (await gql(FACETS, {"filter": {"colours": ["Sage"]}}, storefront="sekar"))["productFacets"]
    assert narrowed["sizes"] == [{"value": "M", "count": 1}, {"value": "XL", "count": 1}]
    assert [c["code"] for c in narrowed["attributes"][0]["choices"]] == ["WOLFIS"]
    myr = (await gql(FACETS, {"currency": "MYR"}, storefront="sekar"))["productFacets"]
    assert myr["priceRange"] == {
        "start": {"amount": "20.00", "currency": "MYR"},
        "stop": {"amount": "20.00", "currency": "MYR"},
    }
    none = (await gql(FACETS, {"filter": {"search": "zzzz"}}, storefront="sekar"))["productFacets"]
    assert none == {"sizes": [], "colours": [], "attributes": [], "priceRange": {"start": None, "stop": None}}
    bad = await gql.error(FACETS, {"filter": {"price": {"lte": "-1"}}}, storefront="sekar")
    assert bad["extensions"]["code"] == "INVALID_FILTER"


async def test_facet_statements_do_not_grow_with_the_catalog(gql, sql_counter):
    await make_catalog(await make_brand("kecil"), 5)
    await make_catalog(await make_brand("besar"), 60)
    with sql_counter.counting() as few:
        await gql(FACETS, storefront="kecil")
    with sql_counter.counting() as many:
        data = await gql(FACETS, storefront="besar")
    assert data["productFacets"]["sizes"]
    assert len(few) == len(many) <= 6, many


async def test_sizes_come_smallest_first_whatever_order_the_brand_wrote_them(gql):
    brand = await make_brand("ukuran")
    await make_product(brand, "Kemeja", sizes=("2XL", "XL", "s", "Allsize"))
    await make_product(brand, "Celana", sizes=("40", "38", "M", "Free"))
    sizes = (await gql(FACETS, storefront="ukuran"))["productFacets"]["sizes"]
    # letters in their ladder (2XL is XXL, case aside), numbers by value, then the rest as the brand placed them
    assert [s["value"] for s in sizes] == ["s", "M", "XL", "2XL", "38", "40", "Allsize", "Free"]


async def test_each_facet_is_counted_only_when_asked_for(gql, sql_counter, shop):
    with sql_counter.counting() as one:
        data = await gql("{ productFacets { sizes { value } } }", storefront="sekar")
    with sql_counter.counting() as every:
        await gql(FACETS, storefront="sekar")
    assert [s["value"] for s in data["productFacets"]["sizes"]] == ["S", "M", "L", "XL"]
    # sizes alone; then colours, attributes (their counts, then the choices) and the price span as well
    assert len(every) - len(one) == 4, every
