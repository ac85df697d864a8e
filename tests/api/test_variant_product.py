"""`ProductVariant.product`: a cart line links to its product and shows its picture, batched over all lines."""

from __future__ import annotations

from core.catalog.models import Product, ProductMedia, ProductStatus
from tests.api.test_checkout import CREATE, gid, stocked
from tests.factories import make_brand

LINES = """query($t: String) { checkout(token: $t) { lines { productName variant { sku
  product { slug name thumbnail(size: 128) { url } } } } } }"""


async def cart_with(gql, variants) -> str:
    lines = [{"variantId": gid("ProductVariant", v.id), "quantity": 1} for v in variants]
    created = await gql(CREATE, {"input": {"email": "siti@example.id", "lines": lines}}, storefront="sekar")
    assert created["checkoutCreate"]["errors"] == []
    return created["checkoutCreate"]["checkout"]["token"]


async def test_cart_lines_reach_their_products_in_constant_statements(gql, sql_counter):
    brand = await make_brand("sekar")
    variants = [await stocked(brand, f"Gamis {n}") for n in range(6)]
    for variant in variants:
        await ProductMedia.create(product_id=variant.product_id, url=f"https://cdn.example/{variant.id}.jpg")
    two, six = await cart_with(gql, variants[:2]), await cart_with(gql, variants)
    with sql_counter.counting() as few:
        small = await gql(LINES, {"t": two}, storefront="sekar")
    with sql_counter.counting() as many:
        large = await gql(LINES, {"t": six}, storefront="sekar")
    assert len(few) == len(many), many
    line = large["checkout"]["lines"][5]
    product = await Product.get(id=variants[5].product_id)
    assert line["variant"]["product"]["slug"] == product.slug
    assert line["variant"]["product"]["thumbnail"]["url"].startswith("https://cdn.example/")
    assert len(small["checkout"]["lines"]) == 2


async def test_an_unpublished_product_is_null_and_the_line_stays(gql):
    brand = await make_brand("sekar")
    variant = await stocked(brand, "Gamis Hana")
    token = await cart_with(gql, [variant])
    await Product.filter(id=variant.product_id).update(status=ProductStatus.DRAFT)
    lines = (await gql(LINES, {"t": token}, storefront="sekar"))["checkout"]["lines"]
    assert lines[0]["productName"] == "Gamis Hana" and lines[0]["variant"]["product"] is None
