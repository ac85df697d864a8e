"""`Money.formatted`: amounts written for people by babel's CLDR data, while `amount` stays the exact string."""

from __future__ import annotations

from tests.factories import make_brand, make_product

QUERY = """query($slug: String!, $currency: String!, $locale: String!) {
  product(slug: $slug) { variants { price(currency: $currency) { amount currency formatted(locale: $locale) }
    idr: price(currency: "IDR") { formatted } } } }"""


async def test_prices_are_formatted_per_locale_from_cldr_through_the_api(gql):
    brand = await make_brand("sekar")
    product = await make_product(brand, "Gamis", prices={"IDR": "389000", "MYR": "108", "TRY": "99.9"}, sizes=("M",))

    async def price(currency: str, locale: str) -> dict:
        data = await gql(QUERY, {"slug": product.slug, "currency": currency, "locale": locale}, storefront="sekar")
        (variant,) = data["product"]["variants"]
        assert variant["idr"] == {"formatted": "Rp389.000"}  # the default locale is id-ID
        return variant["price"]

    assert await price("IDR", "id-ID") == {"amount": "389000.00", "currency": "IDR", "formatted": "Rp389.000"}
    assert (await price("MYR", "ms-MY"))["formatted"] == "RM108.00"
    assert (await price("TRY", "tr"))["formatted"] == "₺99,90"
    assert (await price("IDR", "en-US"))["formatted"] == "IDR389,000"


async def test_an_unknown_locale_is_a_typed_error(gql):
    brand = await make_brand("sekar")
    product = await make_product(brand, "Gamis", sizes=("M",))
    error = await gql.error(QUERY, {"slug": product.slug, "currency": "IDR", "locale": "zz-QQ"}, storefront="sekar")
    assert error["extensions"]["code"] == "INVALID_LOCALE"


async def test_formatted_prices_and_thumbnails_in_a_product_list(gql):
    """The list's fast completion path (schema/fast_fields.py) runs field resolvers with arguments too."""
    brand = await make_brand("sekar")
    await make_product(brand, "Gamis", prices={"IDR": "389000"}, sizes=("M",))
    data = await gql(
        """{ products(first: 5) { edges { node { thumbnail(size: 64) { url }
          pricing { priceRange { start { amount formatted en: formatted(locale: "en") } } } } } } }""",
        storefront="sekar",
    )
    (edge,) = data["products"]["edges"]
    assert edge["node"]["thumbnail"] is None
    assert edge["node"]["pricing"]["priceRange"]["start"] == {
        "amount": "389000.00",
        "formatted": "Rp389.000",
        "en": "IDR389,000",
    }
