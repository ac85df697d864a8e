"""The limit rules are built once per schema, so `ValidationCache` hits on a repeated query."""

from __future__ import annotations

from strawberry.extensions.validation_cache import DEFAULT_MAXSIZE, _get_validate_cache

from tests.factories import make_brand


async def test_a_repeated_query_is_validated_once(gql):
    await make_brand("sekar")
    query = "{ products(first: 3) { edges { node { name variants { sku } } } } }"
    cache = _get_validate_cache(DEFAULT_MAXSIZE)
    await gql(query, storefront="sekar")
    before = cache.cache_info()
    for _ in range(3):
        await gql(query, storefront="sekar")
    after = cache.cache_info()
    assert after.hits - before.hits == 3
    assert after.misses == before.misses
