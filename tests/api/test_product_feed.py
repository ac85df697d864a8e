"""The built-in product_feed plugin: a route and a query field, added through hooks only."""

from __future__ import annotations

from xml.etree import ElementTree

from core.actors.models import BrandStatus, StaffRole
from plugins.product_feed.feed import xml_text
from tests.factories import make_brand, make_product, make_staff

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


async def test_a_control_character_staff_pasted_does_not_break_the_feed(client, gql):
    """One `\\x0b` (a vertical tab from a word processor) used to make the whole feed unparsable for Google."""
    brand = await make_brand("sekar", name="Sekar\x0c & Co")
    _, token = await make_staff(brand, StaffRole.STAFF)
    created = await gql(
        """mutation($input: ProductCreateInput!) { productCreate(input: $input) { errors { code } } }""",
        {
            "input": {
                "name": "Gamis <Aisyah> & \x01Co",
                "description": "Katun\x0bjepang ]]> <b>adem</b> \ufffe\U0001f338",
                "status": "PUBLISHED",
                "variants": [{"sku": "GA-M", "size": "M", "prices": [{"currency": "IDR", "amount": "389000"}]}],
            }
        },
        token=token,
        storefront="sekar",
    )
    assert created["productCreate"]["errors"] == []
    response = await client.get("/feeds/sekar/products.xml")
    assert response.status_code == 200
    channel = ElementTree.fromstring(response.content).find("channel")  # parses: every character is legal XML
    assert channel.findtext("title") == "Sekar & Co"
    (item,) = channel.findall("item")
    assert item.findtext(f"{G}title") == "Gamis <Aisyah> & Co"
    assert item.findtext(f"{G}description") == "Katunjepang ]]> <b>adem</b> \U0001f338"
    assert item.findtext(f"{G}id") == "GA-M"


def test_xml_text_keeps_what_xml_allows_and_drops_the_rest():
    assert xml_text("a\tb\nc\rd é 漢 \U0001f338") == "a\tb\nc\rd é 漢 \U0001f338"
    assert xml_text("".join(chr(c) for c in range(32) if chr(c) not in "\t\n\r")) == ""
    assert xml_text("x\ud800y\ufffez\uffff") == "xyz"
