"""The demo data `make run` loads is a believable catalog that the storefront queries serve."""

from __future__ import annotations

from core.actors.models import Brand, BrandStatus
from core.catalog.models import Product, ProductMedia, Variant, VariantPrice
from core.demo import seed_demo

PAGE = """query ($search: String, $currency: String, $language: String) {
  products(first: 5, filter: { search: $search }, currency: $currency, language: $language) {
    totalCount
    edges { node { name thumbnail { url } pricing { priceRange { start { amount currency } } }
                   variants { sku size colour } } }
  }
}"""


async def test_demo_catalog_is_believable_and_served(gql):
    summary = await seed_demo()
    assert summary.startswith("loaded 3 brands")
    assert await Brand.filter(status=BrandStatus.APPROVED).count() == 3
    assert await Product.all().count() >= 200
    assert set(await VariantPrice.all().distinct().values_list("currency", flat=True)) >= {"IDR", "MYR"}
    sizes = set(await Variant.all().distinct().values_list("size", flat=True))
    colours = set(await Variant.all().distinct().values_list("colour", flat=True))
    assert len(sizes) >= 4 and len(colours) >= 4
    assert await ProductMedia.all().count() >= 200

    data = await gql(PAGE, {"currency": "MYR", "language": "en"}, storefront="sekar-modest")
    assert data["products"]["totalCount"] >= 60
    node = data["products"]["edges"][0]["node"]
    assert node["thumbnail"]["url"].startswith("https://")
    assert node["pricing"]["priceRange"]["start"]["currency"] == "MYR"
    assert {v["size"] for v in node["variants"]} and all(v["colour"] for v in node["variants"])

    koko = await gql(PAGE, {"search": "koko"}, storefront="koko-nusantara")
    assert koko["products"]["totalCount"] >= 5
    assert all("koko" in e["node"]["name"].lower() for e in koko["products"]["edges"])
