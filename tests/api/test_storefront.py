"""The storefront is chosen by header, argument or custom domain; unknown and unapproved ones are refused."""

from __future__ import annotations

from core.actors.models import BrandDomain, BrandStatus
from tests.factories import make_brand

QUERY = """{ storefront { slug name logoUrl theme { primaryColor } currencies languages shipsTo defaultCurrency
  defaultLanguage shipsFrom } }"""


async def test_storefront_selected_by_header(gql):
    await make_brand("sekar-modest", name="Sekar Modest", primary_color="#7c3a5a", logo_url="https://x/logo.png")
    data = await gql(QUERY, storefront="sekar-modest")
    assert data["storefront"] == {
        "slug": "sekar-modest",
        "name": "Sekar Modest",
        "logoUrl": "https://x/logo.png",
        "theme": {"primaryColor": "#7c3a5a"},
        "currencies": ["IDR", "MYR"],
        "languages": ["id", "en"],
        "shipsTo": ["ID", "MY"],
        "defaultCurrency": "IDR",
        "defaultLanguage": "id",
        "shipsFrom": "ID",
    }


async def test_storefront_argument_wins_over_header(gql):
    await make_brand("one")
    await make_brand("two")
    data = await gql('{ storefront(storefront: "two") { slug } }', storefront="one")
    assert data["storefront"]["slug"] == "two"


async def test_storefront_selected_by_custom_domain(gql):
    brand = await make_brand("koko")
    await BrandDomain.create(brand=brand, host="shop.koko.example")
    data = await gql("{ storefront { slug } }", headers={"Host": "shop.koko.example:443"})
    assert data["storefront"]["slug"] == "koko"


async def test_missing_storefront_is_a_coded_error(gql):
    error = await gql.error(QUERY)
    assert error["extensions"]["code"] == "STOREFRONT_REQUIRED"
    assert "Lini-Storefront" in error["message"]


async def test_unknown_storefront_is_a_coded_error(gql):
    error = await gql.error(QUERY, storefront="no-such-brand")
    assert error["extensions"]["code"] == "STOREFRONT_NOT_FOUND"


async def test_unapproved_and_suspended_brands_do_not_serve(gql):
    await make_brand("applied", status=BrandStatus.APPLIED)
    await make_brand("suspended", status=BrandStatus.SUSPENDED)
    for slug in ("applied", "suspended"):
        error = await gql.error(QUERY, storefront=slug)
        assert error["extensions"]["code"] == "STOREFRONT_NOT_FOUND"


async def test_server_keeps_serving_after_errors(gql):
    await make_brand("ok")
    await gql.error(QUERY, storefront="missing")
    await gql.error("{ products(first: 1000) { edges { cursor } } }", storefront="ok")
    assert (await gql(QUERY, storefront="ok"))["storefront"]["slug"] == "ok"
