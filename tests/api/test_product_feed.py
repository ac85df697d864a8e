"""The built-in product_feed plugin: a route and a query field, added through hooks only."""

from __future__ import annotations

from xml.etree import ElementTree

from core.actors.models import BrandStatus
from tests.factories import make_brand, make_product

G = "{http://base.google.com/ns/1.0}"


async def test_feed_lists_each_variant_with_its_price(client, gql):
    brand = await make_brand("sekar", name="Sekar & Co")
    await make_product(brand, "Gamis <Aisyah>", prices={"IDR": "389000", "MYR": "108"}, sizes=("M", "L"))
    response = await client.get("/feeds/sekar/products.xml")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/rss+xml")
    channel = ElementTree.fromstring(response.text).find("channel")
    assert channel.findtext("title") == "Sekar & Co"
    items = channel.findall("item")
    assert [item.findtext(f"{G}size") for item in items] == ["M", "L"]
    assert items[0].findtext(f"{G}title") == "Gamis <Aisyah>"
    assert items[0].findtext(f"{G}price") == "389000.00 IDR"

    data = await gql("{ productFeed { url format currency } }", storefront="sekar")
    assert data["productFeed"] == {
        "url": "http://127.0.0.1:8000/feeds/sekar/products.xml",
        "format": "GOOGLE_MERCHANT_RSS",
        "currency": "IDR",
    }


async def test_feed_of_unknown_or_unapproved_brand_is_404(client):
    await make_brand("pending", status=BrandStatus.APPLIED)
    assert (await client.get("/feeds/pending/products.xml")).status_code == 404
    assert (await client.get("/feeds/nobody/products.xml")).status_code == 404
