"""Catalog management through GraphQL: products, variants, prices, stock and images — happy paths, user errors
that change nothing, and brand isolation. Categories, collections, attributes and translations are tested in
`test_catalog_taxonomy`, bulk creation in `test_catalog_bulk`."""

from __future__ import annotations

import asyncio
import base64
import io
import json
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from tortoise import Tortoise

from core.actors.models import StaffRole
from core.catalog.models import (
    Attribute,
    AttributeChoice,
    Category,
    Collection,
    CollectionProduct,
    Product,
    ProductAttributeValue,
    ProductMedia,
    ProductPrice,
    Stock,
    Variant,
    VariantPrice,
)
from core.events import Event
from tests.factories import access_token, make_brand, make_product, make_staff, make_user

PRODUCT_FIELDS = "product { id name slug } errors { field code }"
CREATE = f"mutation($input: ProductCreateInput!) {{ productCreate(input: $input) {{ {PRODUCT_FIELDS} }} }}"
UPDATE = f"""mutation($id: ID!, $input: ProductUpdateInput!) {{
  productUpdate(id: $id, input: $input) {{ {PRODUCT_FIELDS} }} }}"""
DELETE = f"mutation($id: ID!) {{ productDelete(id: $id) {{ {PRODUCT_FIELDS} }} }}"
VARIANT_FIELDS = "variant { id sku prices { amount currency } } errors { field code }"
VARIANT_CREATE = f"""mutation($p: ID!, $input: ProductVariantCreateInput!) {{
  productVariantCreate(productId: $p, input: $input) {{ {VARIANT_FIELDS} }} }}"""
VARIANT_UPDATE = f"""mutation($id: ID!, $input: ProductVariantUpdateInput!) {{
  productVariantUpdate(id: $id, input: $input) {{ {VARIANT_FIELDS} }} }}"""
VARIANT_DELETE = f"mutation($id: ID!) {{ productVariantDelete(id: $id) {{ {VARIANT_FIELDS} }} }}"
STOCK = """mutation($input: StockUpdateInput!) { stockUpdate(input: $input) {
  stocks { variant { sku } quantity } errors { field code } } }"""


def gid(type_name: str, id: int) -> str:
    return base64.b64encode(f"{type_name}:{id}".encode()).decode()


def decode(global_id: str) -> int:
    return int(base64.b64decode(global_id).decode().split(":")[1])


async def counts() -> dict[str, int]:
    models = (Product, Variant, VariantPrice, ProductPrice, Stock, Category, Collection, CollectionProduct)
    others = (Attribute, AttributeChoice, ProductAttributeValue, ProductMedia)
    return {m.__name__: await m.all().count() for m in (*models, *others)}


async def snapshot() -> dict[str, list[dict[str, Any]]]:
    """Every row of every table, to prove that a refused operation changed nothing."""
    state = {}
    for model in Tortoise.apps["lini"].values():
        if model._meta.db_table != "login_throttle":
            state[model._meta.db_table] = await model.all().order_by("id").values()
    return state


@pytest.fixture
async def shop(gql) -> dict[str, Any]:
    brand = await make_brand("sekar")
    _, token = await make_staff(brand, StaffRole.STAFF)
    gql.storefront, gql.token = "sekar", token
    return {"brand": brand, "token": token}


async def create_product(gql, **fields: Any) -> dict[str, Any]:
    data = await gql(CREATE, {"input": {"name": "Gamis Aisyah", **fields}})
    assert data["productCreate"]["errors"] == [], data
    return data["productCreate"]["product"]


async def test_arabic_and_chinese_names_get_transliterated_slugs_the_storefront_finds(gql, shop):
    abaya = await create_product(gql, name="عباية مطرزة", status="PUBLISHED")
    qipao = await create_product(gql, name="真丝旗袍")
    again = await create_product(gql, name="真丝旗袍")
    assert (abaya["slug"], qipao["slug"], again["slug"]) == ("by-mtrz", "zhen-si-qi-pao", "zhen-si-qi-pao-2")
    category = await gql(
        "mutation($input: CategoryCreateInput!) { categoryCreate(input: $input) { category { slug } } }",
        {"input": {"name": "فساتين"}},
    )
    assert category["categoryCreate"] == {"category": {"slug": "fstyn"}}
    found = await gql('query { product(slug: "by-mtrz") { name } }', token=None)
    assert found["product"] == {"name": "عباية مطرزة"}


async def test_product_slugs_are_generated_unique_per_brand_and_explicit_duplicates_refused(gql, shop):
    first = await create_product(gql)
    second = await create_product(gql)
    assert (first["slug"], second["slug"]) == ("gamis-aisyah", "gamis-aisyah-2")
    assert (await create_product(gql, name="Gamis Ça Plissé!"))["slug"] == "gamis-ca-plisse"
    taken = await gql(CREATE, {"input": {"name": "Other", "slug": "gamis-aisyah"}})
    assert taken["productCreate"] == {"product": None, "errors": [{"field": "slug", "code": "SLUG_TAKEN"}]}
    other = await make_brand("koko")
    _, koko = await make_staff(other)
    elsewhere = await gql(CREATE, {"input": {"name": "Gamis Aisyah"}}, token=koko, storefront="koko")
    assert elsewhere["productCreate"]["product"]["slug"] == "gamis-aisyah"  # per brand
    renamed = await gql(UPDATE, {"id": first["id"], "input": {"name": "Gamis Aisyah Baru"}})
    assert renamed["productUpdate"]["product"] == {**first, "name": "Gamis Aisyah Baru"}  # the slug is kept
    clash = await gql(UPDATE, {"id": first["id"], "input": {"slug": "gamis-aisyah-2"}})
    assert clash["productUpdate"]["errors"] == [{"field": "slug", "code": "SLUG_TAKEN"}]


async def test_concurrent_creates_of_one_name_get_distinct_slugs(gql, shop):
    query = """mutation($input: ProductCreateInput!) { productCreate(input: $input, brand: "sekar") {
      product { slug } errors { code } } }"""
    results = await asyncio.gather(
        *(gql(query, {"input": {"name": "Gamis Aisyah"}}, storefront=None) for _ in range(3))
    )
    slugs = sorted(r["productCreate"]["product"]["slug"] for r in results)
    assert slugs == ["gamis-aisyah", "gamis-aisyah-2", "gamis-aisyah-3"]


async def test_product_create_with_everything_is_served_by_the_storefront(gql, shop):
    category = await Category.create(brand=shop["brand"], slug="gamis", name="Gamis", path="/1/")
    product = await create_product(
        gql,
        description="Gamis katun",
        categoryId=gid("Category", category.id),
        status="PUBLISHED",
        madeToMeasure=True,
        seoTitle="Gamis Aisyah murah",
        sizeChart=[{"size": "M", "measurements": [{"code": "LD", "value": "100.50"}, {"code": "PB", "value": "138"}]}],
        translations=[{"language": "en", "name": "Aisyah Robe", "description": "Cotton robe"}],
        variants=[{"sku": "GA-M", "size": "M", "prices": [{"currency": "IDR", "amount": "389000"}], "stock": 4}],
    )
    query = """query($slug: String!) { product(slug: $slug, language: "en") { name description madeToMeasure
      seoTitle category { slug } sizeChart { size measurements { code value } } variants { sku isAvailable }
      pricing { priceRange { start { amount } } } } }"""
    shown = (await gql(query, {"slug": product["slug"]}, token=None))["product"]
    assert shown == {
        "name": "Aisyah Robe",
        "description": "Cotton robe",
        "madeToMeasure": True,
        "seoTitle": "Gamis Aisyah murah",
        "category": {"slug": "gamis"},
        "sizeChart": [
            {"size": "M", "measurements": [{"code": "LD", "value": "100.5"}, {"code": "PB", "value": "138"}]}
        ],
        "variants": [{"sku": "GA-M", "isAvailable": True}],
        "pricing": {"priceRange": {"start": {"amount": "389000.00"}}},
    }
    assert await Event.filter(type="product.created").count() == 1


async def test_product_input_mistakes_are_user_errors_and_change_nothing(gql, shop):
    other_brand = await make_brand("koko")
    foreign = await Category.create(brand=other_brand, slug="x", name="X", path="/1/")
    before = await counts()
    cases = [
        ({"name": " "}, "name", "INVALID_NAME"),
        ({"slug": "Not A Slug"}, "slug", "INVALID_SLUG"),
        ({"translations": [{"language": "de", "name": "Kleid"}]}, "translations.0.language", "INVALID_LANGUAGE"),
        ({"categoryId": gid("Product", 1)}, "categoryId", "INVALID_ID"),
        ({"categoryId": gid("Category", foreign.id)}, "categoryId", "NOT_FOUND"),
        ({"seoTitle": "x" * 251}, "seoTitle", "TOO_LONG"),
        ({"sizeChart": [{"size": "M", "measurements": [{"code": "LD", "value": "-1"}]}]}, "sizeChart.0.measurements.0",
         "INVALID_SIZE_CHART"),
    ]  # fmt: skip
    for fields, field, code in cases:
        data = await gql(CREATE, {"input": {"name": "Gamis", **fields}})
        assert data["productCreate"]["errors"] == [{"field": field, "code": code}], fields
    assert await counts() == before


async def test_product_update_and_delete(gql, shop):
    category = await Category.create(brand=shop["brand"], slug="gamis", name="Gamis", path="/1/")
    product = await create_product(gql, variants=[{"sku": "A-1", "prices": [{"currency": "IDR", "amount": "100"}]}])
    changed = await gql(
        UPDATE,
        {"id": product["id"], "input": {"categoryId": gid("Category", category.id), "status": "PUBLISHED"}},
    )
    assert changed["productUpdate"]["errors"] == []
    stored = await Product.get(id=decode(product["id"]))
    assert (stored.category_id, stored.status, stored.name) == (category.id, "PUBLISHED", "Gamis Aisyah")
    await gql(UPDATE, {"id": product["id"], "input": {"categoryId": None}})
    assert (await Product.get(id=stored.id)).category_id is None
    deleted = await gql(DELETE, {"id": product["id"]})
    assert deleted["productDelete"] == {"product": product, "errors": []}
    left = await counts()
    assert (left["Product"], left["Variant"], left["VariantPrice"], left["ProductPrice"], left["Stock"]) == (0,) * 5
    wrong_type = await gql(DELETE, {"id": gid("Category", category.id)})
    assert wrong_type["productDelete"]["errors"] == [{"field": "id", "code": "INVALID_ID"}]


async def price_ranges(product_id: int) -> dict[str, tuple[str, str]]:
    rows = await ProductPrice.filter(product_id=product_id)
    return {r.currency: (f"{r.min_amount:.2f}", f"{r.max_amount:.2f}") for r in rows}


async def test_variants_quantize_prices_and_keep_price_ranges_in_step(gql, shop):
    product = await create_product(gql)
    product_id = decode(product["id"])
    prices = [
        {"currency": "IDR", "amount": "389000"},
        {"currency": "MYR", "amount": "108.456", "compareAtAmount": "120"},
    ]
    m = await gql(VARIANT_CREATE, {"p": product["id"], "input": {"sku": "GA-M", "size": "M", "prices": prices}})
    assert m["productVariantCreate"]["variant"]["prices"] == [
        {"amount": "389000.00", "currency": "IDR"},
        {"amount": "108.46", "currency": "MYR"},
    ]
    assert (await VariantPrice.get(currency="MYR")).compare_at_amount == 120
    assert await price_ranges(product_id) == {"IDR": ("389000.00", "389000.00"), "MYR": ("108.46", "108.46")}
    xl = await gql(
        VARIANT_CREATE,
        {
            "p": product["id"],
            "input": {"sku": "GA-XL", "prices": [{"currency": "IDR", "amount": "419000"}], "stock": 3},
        },
    )
    xl_id = xl["productVariantCreate"]["variant"]["id"]
    assert await price_ranges(product_id) == {"IDR": ("389000.00", "419000.00"), "MYR": ("108.46", "108.46")}
    assert (await Stock.get(variant_id=decode(xl_id))).quantity == 3
    await gql(VARIANT_UPDATE, {"id": xl_id, "input": {"prices": [{"currency": "IDR", "amount": "350000"}]}})
    assert await price_ranges(product_id) == {"IDR": ("350000.00", "389000.00"), "MYR": ("108.46", "108.46")}
    renamed = await gql(VARIANT_UPDATE, {"id": xl_id, "input": {"sku": "GA-XXL", "colour": "Sage"}})
    assert renamed["productVariantUpdate"]["variant"]["sku"] == "GA-XXL"
    assert await price_ranges(product_id) == {"IDR": ("350000.00", "389000.00"), "MYR": ("108.46", "108.46")}
    await gql(VARIANT_DELETE, {"id": m["productVariantCreate"]["variant"]["id"]})
    assert await price_ranges(product_id) == {"IDR": ("350000.00", "350000.00")}
    await gql(VARIANT_DELETE, {"id": xl_id})
    assert await price_ranges(product_id) == {}


async def test_variant_input_mistakes_are_user_errors_and_change_nothing(gql, shop):
    product = await create_product(gql, variants=[{"sku": "GA-M", "prices": [{"currency": "IDR", "amount": "1"}]}])
    other = await make_brand("koko")
    await make_product(other, "Koko", sizes=("M",))  # SKU-…-M in another brand does not clash
    before = await counts()
    cases = [
        ({"sku": "GA-L", "prices": [{"currency": "IDR", "amount": "-1"}]}, "prices", "INVALID_PRICE"),
        ({"sku": "GA-L", "prices": [{"currency": "SAR", "amount": "10"}]}, "prices", "CURRENCY_NOT_ENABLED"),
        ({"sku": "GA-L", "prices": [{"currency": "IDR", "amount": "10", "compareAtAmount": "10"}]}, "prices",
         "INVALID_COMPARE_AT_PRICE"),
        ({"sku": "GA-M"}, "sku", "SKU_TAKEN"),
        ({"sku": "has space"}, "sku", "INVALID_SKU"),
        ({"sku": "GA-L", "stock": -2}, "stock", "INVALID_QUANTITY"),
    ]  # fmt: skip
    for variables, field, code in cases:
        data = await gql(VARIANT_CREATE, {"p": product["id"], "input": variables})
        assert data["productVariantCreate"]["errors"] == [{"field": field, "code": code}], variables
    assert await counts() == before
    sku = (await Variant.filter(brand_id=other.id).first()).sku
    ok = await gql(VARIANT_CREATE, {"p": product["id"], "input": {"sku": sku}})
    assert ok["productVariantCreate"]["errors"] == []


async def test_concurrent_creates_with_one_sku_leave_exactly_one_variant(gql, shop):
    product = await create_product(gql)
    variables = {"p": product["id"], "input": {"sku": "RACE-1", "prices": [{"currency": "IDR", "amount": "5"}]}}
    results = await asyncio.gather(*(gql(VARIANT_CREATE, variables) for _ in range(2)))
    errors = sorted((r["productVariantCreate"]["errors"] for r in results), key=len)
    assert errors == [[], [{"field": "sku", "code": "SKU_TAKEN"}]]
    assert await Variant.filter(sku="RACE-1").count() == 1
    assert await VariantPrice.all().count() == 1 and await ProductPrice.all().count() == 1


async def test_stock_update_sets_quantities_all_or_nothing(gql, shop):
    product = await make_product(shop["brand"], "Gamis", sizes=("M", "L"))
    m, big = await Variant.filter(product=product).order_by("position")
    await Stock.create(variant=m, quantity=1)
    items = [{"variantId": gid("ProductVariant", m.id), "quantity": 7}, {"variantId": gid("ProductVariant", big.id)}]
    bad = await gql(STOCK, {"input": {"items": [items[0], {**items[1], "quantity": -1}]}})
    assert bad["stockUpdate"]["errors"] == [{"field": "items.1.quantity", "code": "INVALID_QUANTITY"}]
    assert (await Stock.get(variant=m)).quantity == 1 and not await Stock.exists(variant=big)
    done = await gql(STOCK, {"input": {"items": [items[0], {**items[1], "quantity": 0}]}})
    assert done["stockUpdate"] == {
        "stocks": [{"variant": {"sku": m.sku}, "quantity": 7}, {"variant": {"sku": big.sku}, "quantity": 0}],
        "errors": [],
    }
    assert {s.variant_id: s.quantity for s in await Stock.all()} == {m.id: 7, big.id: 0}


MEDIA_FIELDS = "media { id url alt position } errors { field code }"


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (12, 8), (180, 30, 60)).save(out, format="PNG")
    return out.getvalue()


PNG = _png()  # a real image: Pillow decodes every upload (tests/api/test_product_images.py)


@pytest.fixture
def settings(settings, tmp_path: Path):
    """Uploads go to a temporary folder, and the size limit is small enough to test cheaply."""
    media = settings.media.model_copy(update={"root": str(tmp_path / "media"), "max_upload_bytes": 2048})
    return settings.model_copy(update={"media": media})


def stored_files(root: str) -> list[Path]:
    return list(Path(root).iterdir())


async def upload(client, token: str, product_id: str, name: str, data: bytes) -> dict[str, Any]:
    query = f"""mutation($p: ID!, $file: Upload!) {{ productMediaUpload(productId: $p, file: $file, alt: "Depan") {{
      {MEDIA_FIELDS} }} }}"""
    operations = {"query": query, "variables": {"p": product_id, "file": None}}
    response = await client.post(
        "/graphql",
        data={"operations": json.dumps(operations), "map": '{"0": ["variables.file"]}'},
        files={"0": (name, data, "image/png")},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert not body.get("errors"), body
    return body["data"]["productMediaUpload"]


async def test_media_by_url_and_upload_then_reorder_and_delete(gql, client, shop, settings):
    product = await create_product(gql)
    create = f"""mutation($p: ID!, $input: ProductMediaCreateInput!) {{
      productMediaCreate(productId: $p, input: $input) {{ {MEDIA_FIELDS} }} }}"""
    linked = await gql(create, {"p": product["id"], "input": {"url": "https://cdn.sekar.id/a.jpg", "alt": "Samping"}})
    assert linked["productMediaCreate"]["media"]["position"] == 0
    for url in ("javascript:alert(1)", "ftp://cdn.sekar.id/a.jpg", "https://", "not a url", "https://a.id:70000/x"):
        bad = await gql(create, {"p": product["id"], "input": {"url": url}})
        assert bad["productMediaCreate"]["errors"] == [{"field": "url", "code": "INVALID_URL"}], url
    uploaded = await upload(client, shop["token"], product["id"], "front.png", PNG)
    media = uploaded["media"]
    assert media["url"].startswith(f"{settings.server.public_url}/media/") and media["url"].endswith(".png")
    stored = Path(settings.media.root) / media["url"].rsplit("/", 1)[1]
    assert (
        Image.open(io.BytesIO(stored.read_bytes())).tobytes() == Image.open(io.BytesIO(PNG)).tobytes()
        and media["position"] == 1
    )
    script = await upload(client, shop["token"], product["id"], "evil.png", b"#!/bin/sh\nrm -rf /\n")
    assert script["errors"] == [{"field": "file", "code": "INVALID_FILE_TYPE"}]
    huge = await upload(client, shop["token"], product["id"], "big.png", PNG + b"\x00" * 4096)
    assert huge["errors"] == [{"field": "file", "code": "FILE_TOO_LARGE"}]
    # the image and its five thumbnails
    assert await ProductMedia.all().count() == 2 and len(stored_files(settings.media.root)) == 6
    reorder = f"""mutation($p: ID!, $ids: [ID!]!) {{ productMediaReorder(productId: $p, input: {{ mediaIds: $ids }}) {{
      {MEDIA_FIELDS} }} }}"""
    order = await gql(reorder, {"p": product["id"], "ids": [media["id"]]})
    assert [m["alt"] for m in order["productMediaReorder"]["media"]] == ["Depan", "Samping"]
    delete = f"mutation($id: ID!) {{ productMediaDelete(id: $id) {{ {MEDIA_FIELDS} }} }}"
    assert (await gql(delete, {"id": media["id"]}))["productMediaDelete"]["errors"] == []
    assert not stored.exists() and await ProductMedia.all().count() == 1
    assert stored_files(settings.media.root) == []  # the thumbnails went with it


# Each mutation as the victim brand's staff would send it (variables, call); outsiders are refused, nothing changes.
OPERATIONS: list[tuple[str, str]] = [
    ("", 'productCreate(input: { name: "X" })'),
    ("$p: ID!", 'productUpdate(id: $p, input: { name: "X" })'),
    ("$p: ID!", "productDelete(id: $p)"),
    ("$p: ID!", 'productVariantCreate(productId: $p, input: { sku: "X" })'),
    ("$v: ID!", 'productVariantUpdate(id: $v, input: { sku: "X" })'),
    ("$v: ID!", "productVariantDelete(id: $v)"),
    ("$v: ID!", "stockUpdate(input: { items: [{ variantId: $v, quantity: 0 }] })"),
    ("", 'categoryCreate(input: { name: "X" })'),
    ("$c: ID!", 'categoryUpdate(id: $c, input: { name: "X" })'),
    ("$c: ID!", "categoryDelete(id: $c)"),
    ("$k: ID!, $p: ID!", "collectionAddProducts(id: $k, input: { productIds: [$p] })"),
    ("$k: ID!", "collectionDelete(id: $k)"),
    ("$p: ID!", "productAttributesSet(productId: $p, input: { values: [] })"),
    ("$p: ID!", 'productMediaCreate(productId: $p, input: { url: "https://x.id/a.png" })'),
    ("$p: ID!", 'productTranslationUpdate(id: $p, input: { language: "en", name: "X" })'),
    ("", 'productBulkCreate(input: { products: [{ name: "X" }] })'),
    ("", 'attributeCreate(input: { code: "x", name: "X", type: TEXT })'),
]


@pytest.mark.parametrize("outsider", ["other_brand_staff", "customer", "anonymous"])
async def test_outsiders_are_refused_and_change_nothing(gql, outsider):
    victim = await make_brand("victim")
    product = await make_product(victim, "Gamis")
    variant = await Variant.filter(product=product).first()
    category = await Category.create(brand=victim, slug="gamis", name="Gamis", path="/1/")
    collection = await Collection.create(brand=victim, slug="lebaran", name="Lebaran")
    other = await make_brand("other")
    _, other_staff = await make_staff(other, StaffRole.OWNER)
    tokens = {"other_brand_staff": other_staff, "customer": access_token(await make_user()), "anonymous": None}
    variables = {
        "p": gid("Product", product.id),
        "v": gid("ProductVariant", variant.id),
        "c": gid("Category", category.id),
        "k": gid("Collection", collection.id),
    }
    before = await snapshot()
    expected = "UNAUTHENTICATED" if outsider == "anonymous" else "FORBIDDEN"
    for declared, call in OPERATIONS:
        query = f"mutation{f'({declared})' if declared else ''} {{ {call} {{ errors {{ code }} }} }}"
        used = {key: value for key, value in variables.items() if f"${key}" in declared}
        body = await gql.raw(query, used, token=tokens[outsider], storefront="victim")
        assert [e["extensions"]["code"] for e in body.get("errors") or []] == [expected], (call, body)
    assert await snapshot() == before


MEDIA_NODES = "query($ids: [ID!]!) { nodes(ids: $ids) { __typename id ... on ManagedProductMedia { url position } } }"


def global_id(type_name: str, id: int) -> str:
    return base64.b64encode(f"{type_name}:{id}".encode()).decode()


async def test_managed_media_are_nodes_for_staff_who_may_manage_the_products(gql, shop, sql_counter):
    product = await create_product(gql)
    create = f"""mutation($p: ID!, $input: ProductMediaCreateInput!) {{
      productMediaCreate(productId: $p, input: $input) {{ {MEDIA_FIELDS} }} }}"""
    made = (await gql(create, {"p": product["id"], "input": {"url": "https://cdn.sekar.id/a.jpg"}}))[
        "productMediaCreate"
    ]["media"]
    expected = {"__typename": "ManagedProductMedia", "id": made["id"], "url": made["url"], "position": 0}
    assert (await gql(MEDIA_NODES, {"ids": [made["id"]]}))["nodes"] == [expected]  # the payload's ID is the node's
    row = await ProductMedia.get()
    # the form the ID had before (`ProductMedia:<n>`) still finds it, for now
    assert (await gql(MEDIA_NODES, {"ids": [global_id("ProductMedia", row.id)]}))["nodes"] == [expected]
    other = await make_brand("other")
    _, other_staff = await make_staff(other, StaffRole.STAFF)
    for caller in (
        {"token": other_staff, "storefront": "other"},
        {"token": access_token(await make_user())},
        {"token": None},
    ):
        assert (await gql(MEDIA_NODES, {"ids": [made["id"]]}, **caller))["nodes"] == [None], caller
    rows = [
        await ProductMedia.create(product_id=row.product_id, url=f"https://cdn.sekar.id/{i}.jpg", position=i + 1)
        for i in range(30)
    ]
    ids = [global_id("ManagedProductMedia", r.id) for r in rows]
    with sql_counter.counting() as few:
        assert None not in (await gql(MEDIA_NODES, {"ids": ids[:3]}))["nodes"]
    with sql_counter.counting() as many:
        assert None not in (await gql(MEDIA_NODES, {"ids": ids}))["nodes"]
    assert len(many) == len(few)
