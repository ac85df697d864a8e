"""`productFacets` is a storefront catalog read like `products`: the response cache answers it again without SQL,
and a catalog write (a variant's colour, a product's attribute) ends the cached answer."""

from __future__ import annotations

import pytest

from core.catalog.models import Variant
from core.settings import Settings
from schema.response_cache import STATUS_HEADER
from tests.api.test_response_cache import gid, setup_shop

FACETS = "{ productFacets { colours { value count } sizes { value count } } }"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"cache": settings.cache.model_copy(update={"enabled": True})})


async def test_facets_are_cached_until_the_catalog_changes(app, client, sql_counter):
    shop, product = await setup_shop(client)
    missed = await shop.post(FACETS)
    with sql_counter.counting() as statements:
        hit = await shop.post(FACETS)
    assert (missed.headers[STATUS_HEADER], hit.headers[STATUS_HEADER]) == ("miss", "hit")
    assert statements == [] and hit.content == missed.content
    assert hit.json()["data"]["productFacets"]["colours"] == [{"value": "Hitam", "count": 1}]

    variant = await Variant.filter(product=product).order_by("position").first()
    assert variant is not None
    await shop.staff(
        'mutation($v: ID!) { productVariantUpdate(id: $v, input: { colour: "Sage" }) { errors { code } } }',
        {"v": gid("ProductVariant", variant.id)},
    )
    after = await shop.post(FACETS)
    assert after.headers[STATUS_HEADER] == "miss"
    colours = after.json()["data"]["productFacets"]["colours"]
    assert sorted(c["value"] for c in colours) == ["Hitam", "Sage"]
