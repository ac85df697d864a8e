"""The storefront catalog: filters, sort orders, translations, currencies, stock, media and SQL cost."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from core.catalog.models import (
    Attribute,
    AttributeChoice,
    AttributeType,
    Category,
    Collection,
    CollectionProduct,
    Product,
    ProductAttributeValue,
    ProductMedia,
    Stock,
    Variant,
)
from core.catalog.prices import refresh_price_ranges
from tests.factories import make_brand, make_catalog, make_product

LIST = """query($filter: ProductFilter, $sortBy: ProductSortInput, $first: Int, $after: String, $currency: String,
  $language: String) {
  products(filter: $filter, sortBy: $sortBy, first: $first, after: $after, currency: $currency, language: $language) {
    totalCount edges { node { name pricing { priceRange { start { amount currency } } } } }
    pageInfo { hasNextPage endCursor } } }"""


def names(data: dict) -> list[str]:
    return [edge["node"]["name"] for edge in data["products"]["edges"]]


async def product(brand, name: str, idr: str, **fields) -> Product:
    created = await make_product(brand, name, prices={"IDR": idr, "MYR": str(Decimal(idr) / 3600)}, **fields)
    await refresh_price_ranges([created.id])
    return created


@pytest.fixture
async def shop():
    brand = await make_brand("sekar")
    gamis = await Category.create(brand=brand, slug="gamis", name="Gamis", translations={"en": {"name": "Robes"}})
    gamis.path = f"/{gamis.id}/"
    await gamis.save()
    syari = await Category.create(brand=brand, slug="gamis-syari", name="Gamis Syari", parent=gamis)
    syari.path = f"{gamis.path}{syari.id}/"
    await syari.save()
    hijab = await Category.create(brand=brand, slug="hijab", name="Hijab")
    hijab.path = f"/{hijab.id}/"
    await hijab.save()
    a = await product(
        brand,
        "Gamis Aisyah",
        "389000",
        category=gamis,
        translations={"en": {"name": "Aisyah Robe", "description": "Chiffon robe"}},
    )
    b = await product(brand, "Gamis Syari Hana", "259000", category=syari)
    c = await product(brand, "Pashmina Plisket", "69000", category=hijab)
    d = await product(brand, "Gamis Custom Jahit", "899000", made_to_measure=True, category=gamis)
    return {"brand": brand, "gamis": a, "syari": b, "pashmina": c, "custom": d}


async def test_category_filter_includes_sub_categories(gql, shop):
    data = await gql(LIST, {"filter": {"categorySlug": "gamis"}}, storefront="sekar")
    assert names(data) == ["Gamis Aisyah", "Gamis Custom Jahit", "Gamis Syari Hana"]
    only_syari = await gql(LIST, {"filter": {"categorySlug": "gamis-syari"}}, storefront="sekar")
    assert names(only_syari) == ["Gamis Syari Hana"]
    unknown = await gql(LIST, {"filter": {"categorySlug": "nope"}}, storefront="sekar")
    assert names(unknown) == []
    tree = await gql("{ categories { slug level parent { slug } } }", storefront="sekar")
    assert tree["categories"] == [
        {"slug": "gamis", "level": 0, "parent": None},
        {"slug": "gamis-syari", "level": 1, "parent": {"slug": "gamis"}},
        {"slug": "hijab", "level": 0, "parent": None},
    ]


async def test_collection_filter_and_queries(gql, shop):
    lebaran = await Collection.create(brand=shop["brand"], slug="lebaran", name="Koleksi Lebaran")
    await Collection.create(brand=shop["brand"], slug="hidden", name="Hidden", is_published=False)
    await CollectionProduct.create(collection=lebaran, product=shop["pashmina"], position=0)
    await CollectionProduct.create(collection=lebaran, product=shop["gamis"], position=1)
    data = await gql(LIST, {"filter": {"collectionSlug": "lebaran"}}, storefront="sekar")
    assert names(data) == ["Gamis Aisyah", "Pashmina Plisket"]
    listed = await gql("{ collections { edges { node { slug name } } } }", storefront="sekar")
    assert listed["collections"]["edges"] == [{"node": {"slug": "lebaran", "name": "Koleksi Lebaran"}}]
    assert (await gql('{ collection(slug: "hidden") { slug } }', storefront="sekar"))["collection"] is None


async def test_made_to_measure_price_and_stock_filters(gql, shop):
    mtm = await gql(LIST, {"filter": {"madeToMeasure": True}}, storefront="sekar")
    assert names(mtm) == ["Gamis Custom Jahit"]
    priced = await gql(LIST, {"filter": {"price": {"gte": "100000", "lte": "300000"}}}, storefront="sekar")
    assert names(priced) == ["Gamis Syari Hana"]
    variant = await Variant.filter(product=shop["pashmina"]).first()
    await Stock.create(variant=variant, quantity=3)
    stocked = await gql(LIST, {"filter": {"inStock": True}}, storefront="sekar")
    assert names(stocked) == ["Gamis Custom Jahit", "Pashmina Plisket"]
    negative = await gql.error(LIST, {"filter": {"price": {"gte": "-1"}}}, storefront="sekar")
    assert negative["extensions"] == {"code": "INVALID_FILTER", "field": "filter.price.gte"}


async def test_attribute_filters_by_choice_number_and_boolean(gql, shop):
    brand = shop["brand"]
    fabric = await Attribute.create(brand=brand, code="fabric", name="Bahan", type=AttributeType.CHOICE)
    ceruty = await AttributeChoice.create(
        attribute=fabric, code="CERUTY", label="Ceruty", translations={"en": {"label": "Chiffon"}}
    )
    wolfis = await AttributeChoice.create(attribute=fabric, code="WOLFIS", label="Wolfis")
    sleeve = await Attribute.create(
        brand=brand, code="sleeve", name="Panjang lengan", type=AttributeType.NUMBER, unit="cm"
    )
    lining = await Attribute.create(brand=brand, code="lining", name="Furing", type=AttributeType.BOOLEAN)
    await ProductAttributeValue.create(product=shop["gamis"], attribute=fabric, choice=ceruty)
    await ProductAttributeValue.create(product=shop["syari"], attribute=fabric, choice=wolfis)
    await ProductAttributeValue.create(product=shop["gamis"], attribute=sleeve, number_value=Decimal("58.5"))
    await ProductAttributeValue.create(product=shop["syari"], attribute=sleeve, number_value=Decimal("62"))
    await ProductAttributeValue.create(product=shop["gamis"], attribute=lining, boolean_value=True)

    async def matching(*filters):
        return names(await gql(LIST, {"filter": {"attributes": list(filters)}}, storefront="sekar"))

    assert await matching({"code": "fabric", "values": ["CERUTY", "WOLFIS"]}) == ["Gamis Aisyah", "Gamis Syari Hana"]
    assert await matching({"code": "fabric", "values": ["WOLFIS"]}) == ["Gamis Syari Hana"]
    assert await matching({"code": "sleeve", "gte": "60"}) == ["Gamis Syari Hana"]
    assert await matching({"code": "lining", "boolean": True}, {"code": "fabric", "values": ["CERUTY"]}) == [
        "Gamis Aisyah"
    ]
    unknown = await gql.error(
        LIST, {"filter": {"attributes": [{"code": "colour", "values": ["x"]}]}}, storefront="sekar"
    )
    assert unknown["extensions"]["code"] == "INVALID_FILTER"
    wrong_shape = await gql.error(
        LIST, {"filter": {"attributes": [{"code": "sleeve", "values": ["x"]}]}}, storefront="sekar"
    )
    assert wrong_shape["extensions"]["code"] == "INVALID_FILTER"
    shown = await gql(
        'query($slug: String!) { product(slug: $slug, language: "en") { attributes { attribute { code unit } '
        "values { code label } } } }",
        {"slug": shop["gamis"].slug},
        storefront="sekar",
    )
    assert shown["product"]["attributes"] == [
        {"attribute": {"code": "fabric", "unit": ""}, "values": [{"code": "CERUTY", "label": "Chiffon"}]},
        {"attribute": {"code": "lining", "unit": ""}, "values": [{"code": None, "label": "yes"}]},
        {"attribute": {"code": "sleeve", "unit": "cm"}, "values": [{"code": None, "label": "58.5 cm"}]},
    ]


async def test_sort_by_price_both_ways_with_keyset_pages(gql, shop):
    asc = await gql(LIST, {"sortBy": {"field": "PRICE"}, "first": 2}, storefront="sekar")
    assert names(asc) == ["Pashmina Plisket", "Gamis Syari Hana"]
    rest = await gql(
        LIST,
        {"sortBy": {"field": "PRICE"}, "first": 2, "after": asc["products"]["pageInfo"]["endCursor"]},
        storefront="sekar",
    )
    assert names(rest) == ["Gamis Aisyah", "Gamis Custom Jahit"]
    assert rest["products"]["pageInfo"]["hasNextPage"] is False
    desc = await gql(LIST, {"sortBy": {"field": "PRICE", "direction": "DESC"}}, storefront="sekar")
    assert names(desc) == ["Gamis Custom Jahit", "Gamis Aisyah", "Gamis Syari Hana", "Pashmina Plisket"]
    created = await gql(LIST, {"sortBy": {"field": "CREATED", "direction": "DESC"}, "first": 1}, storefront="sekar")
    assert names(created) == ["Gamis Custom Jahit"]


async def test_cursor_of_another_ordering_is_refused(gql, shop):
    by_name = await gql(LIST, {"first": 1}, storefront="sekar")
    error = await gql.error(
        LIST, {"sortBy": {"field": "PRICE"}, "after": by_name["products"]["pageInfo"]["endCursor"]}, storefront="sekar"
    )
    assert error["extensions"]["code"] == "INVALID_CURSOR"


async def test_currency_and_language_with_fallback(gql, shop):
    myr = await gql(LIST, {"first": 1, "currency": "MYR", "language": "en"}, storefront="sekar")
    first = myr["products"]["edges"][0]["node"]
    assert first["name"] == "Aisyah Robe"
    assert first["pricing"]["priceRange"]["start"]["currency"] == "MYR"
    # Malay has no translation: falls back to the base (Indonesian) text
    ms = await gql(LIST, {"first": 1, "language": "ms"}, storefront="sekar")
    assert names(ms) == ["Gamis Aisyah"]
    by_header = await gql(LIST, {"first": 1}, storefront="sekar", headers={"Accept-Language": "en-GB,en;q=0.8"})
    assert names(by_header) == ["Aisyah Robe"]
    category = await gql('{ category(slug: "gamis", language: "en") { name } }', storefront="sekar")
    assert category["category"]["name"] == "Robes"
    sar = await gql.error(LIST, {"currency": "SAR"}, storefront="sekar")
    assert sar["extensions"] == {"code": "CURRENCY_NOT_ENABLED", "field": "currency"}
    bad = await gql.error(LIST, {"language": "xx"}, storefront="sekar")
    assert bad["extensions"]["code"] == "INVALID_LANGUAGE"


async def test_availability_quantity_cap_media_and_size_chart(gql, shop):
    variant = await Variant.filter(product=shop["pashmina"]).order_by("id").first()
    await Stock.create(variant=variant, quantity=500)
    await ProductMedia.create(product=shop["pashmina"], url="https://cdn.example/2.jpg", alt="back", position=2)
    await ProductMedia.create(product=shop["pashmina"], url="https://cdn.example/1.jpg", alt="front", position=1)
    shop["pashmina"].size_chart = [
        {"size": "All", "measurements": [{"code": "PB", "value": "200"}, {"code": "LB", "value": "75"}]}
    ]
    await shop["pashmina"].save()
    query = """query($slug: String!) { product(slug: $slug) { isAvailable thumbnail { url } media { alt }
                 sizeChart { size measurements { code value } } variants { quantityAvailable isAvailable } } }"""
    data = (await gql(query, {"slug": shop["pashmina"].slug}, storefront="sekar"))["product"]
    assert data["isAvailable"] is True
    assert data["thumbnail"] == {"url": "https://cdn.example/1.jpg"}
    assert [m["alt"] for m in data["media"]] == ["front", "back"]
    assert data["sizeChart"] == [
        {"size": "All", "measurements": [{"code": "PB", "value": "200"}, {"code": "LB", "value": "75"}]}
    ]
    assert data["variants"][0] == {"quantityAvailable": 20, "isAvailable": True}
    assert data["variants"][1] == {"quantityAvailable": 0, "isAvailable": False}
    syari = await gql(query, {"slug": shop["syari"].slug}, storefront="sekar")
    assert syari["product"]["isAvailable"] is False
    custom = await gql(query, {"slug": shop["custom"].slug}, storefront="sekar")
    assert custom["product"]["isAvailable"] is True


async def test_scheduled_products_appear_when_their_time_comes(gql, shop):
    later = await product(shop["brand"], "Abaya Besok", "500000", published_at=datetime.now(UTC) + timedelta(days=1))
    assert "Abaya Besok" not in names(await gql(LIST, {}, storefront="sekar"))
    one = "query($slug: String!) { product(slug: $slug) { name } }"
    assert (await gql(one, {"slug": later.slug}, storefront="sekar"))["product"] is None
    later.published_at = datetime.now(UTC) - timedelta(minutes=1)
    await later.save()
    assert "Abaya Besok" in names(await gql(LIST, {}, storefront="sekar"))


CATALOG_PAGE = """query($first: Int) { products(first: $first) { edges { node {
  id name slug category { name } thumbnail { url } media { url alt }
  attributes { attribute { code name } values { label } }
  pricing { priceRange { start { amount currency } stop { amount currency } } onSale }
  variants { id sku size colour price { amount currency } } } } } }"""


async def test_catalog_page_statements_are_constant_and_at_most_six(gql, sql_counter):
    brand = await make_brand("sekar")
    products = await make_catalog(brand, 110)
    fabric = await Attribute.create(brand=brand, code="fabric", name="Bahan", type=AttributeType.CHOICE)
    ceruty = await AttributeChoice.create(attribute=fabric, code="CERUTY", label="Ceruty")
    category = await Category.create(brand=brand, slug="gamis", name="Gamis", path="/")
    await Product.filter(id__in=[p.id for p in products]).update(category_id=category.id)
    await ProductAttributeValue.bulk_create(
        [ProductAttributeValue(product=p, attribute=fabric, choice=ceruty) for p in products]
    )
    await ProductMedia.bulk_create([ProductMedia(product=p, url=f"https://cdn/{p.id}.jpg") for p in products])
    with sql_counter.counting() as five:
        small = await gql(CATALOG_PAGE, {"first": 5}, storefront="sekar")
    with sql_counter.counting() as hundred:
        large = await gql(CATALOG_PAGE, {"first": 100}, storefront="sekar")
    assert len(small["products"]["edges"]) == 5 and len(large["products"]["edges"]) == 100
    node = large["products"]["edges"][-1]["node"]
    assert node["category"] == {"name": "Gamis"} and node["attributes"][0]["values"] == [{"label": "Ceruty"}]
    assert len(five) == len(hundred) <= 6, hundred


EVERY_NESTED_FIELD = """fragment Card on Product {
  id isAvailable category { name parent { slug } } thumbnail { url } media { url alt }
  attributes { attribute { code name } values { code label } }
  pricing { priceRange { start { amount currency } stop { amount currency } } onSale }
  priceRange(currency: "MYR") { start { amount } stop { amount } }
  variants { id sku ... on ProductVariant { price { amount } myr: price(currency: "MYR") { amount }
    prices { amount currency } compareAtPrice { amount } quantityAvailable isAvailable } } }"""


async def test_a_listed_product_answers_like_the_same_product_alone(gql, shop, sql_counter):
    # given stock, images, an attribute and a sale price on one product
    pashmina = shop["pashmina"]
    variant = await Variant.filter(product=pashmina).order_by("id").first()
    await Stock.create(variant=variant, quantity=3)
    await ProductMedia.create(product=pashmina, url="https://cdn.example/1.jpg", alt="front", position=1)
    fabric = await Attribute.create(brand=shop["brand"], code="fabric", name="Bahan", type=AttributeType.CHOICE)
    ceruty = await AttributeChoice.create(attribute=fabric, code="CERUTY", label="Ceruty")
    await ProductAttributeValue.create(product=pashmina, attribute=fabric, choice=ceruty)
    await variant.prices.filter(currency="IDR").update(compare_at_amount=Decimal("99000"))
    # when the list (relations preloaded for the page) and `product` (dataloaders) are asked the same fields
    listed = f"""query {{ products(first: 10) {{ edges {{ node {{ slug ...Card }} }} }} }} {EVERY_NESTED_FIELD}"""
    alone = f"""query($slug: String!) {{ product(slug: $slug) {{ ...Card }} }} {EVERY_NESTED_FIELD}"""
    with sql_counter.counting() as statements:
        page = await gql(listed, storefront="sekar")
    page_statements = list(statements)
    # then each product answers the same, and the page took one statement per relation
    for edge in page["products"]["edges"]:
        node = edge["node"]
        single = await gql(alone, {"slug": node.pop("slug")}, storefront="sekar")
        assert node == single["product"]
    card = next(e["node"] for e in page["products"]["edges"] if e["node"]["media"])
    assert card["isAvailable"] and card["pricing"]["onSale"] and card["attributes"][0]["values"][0]["label"] == "Ceruty"
    # brand, page, variants with their prices and stock (one statement), media, attributes, and the categories'
    # parents
    assert len(page_statements) == 6, page_statements
