"""The demo data `make run` loads is a believable catalog that the storefront queries serve."""

from __future__ import annotations

from core.actors.models import Brand
from core.catalog.models import Product
from core.demo import seed_demo


async def test_demo_catalog_is_served(gql):
    await seed_demo()
    assert await Brand.all().count() >= 2
    assert await Product.all().count() >= 30
    query = "{ products(first: 5) { totalCount edges { node { name variants { sku price { amount currency } } } } } }"
    data = await gql(query, storefront="sekar-modest")
    assert data["products"]["totalCount"] >= 15
    variant = data["products"]["edges"][0]["node"]["variants"][0]
    assert variant["price"]["currency"] == "IDR" and variant["price"]["amount"].endswith(".00")
    koko = await gql('{ products(filter: { search: "koko" }) { totalCount } }', storefront="koko-nusantara")
    assert koko["products"]["totalCount"] >= 5
