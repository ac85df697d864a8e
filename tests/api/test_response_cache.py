"""The response cache of anonymous storefront reads (issue #13 item 2), through HTTP over ASGI.

A process learns which brand a storefront header names on its first request, and does not store that first
answer (its brand's version could only be read after the brand's row): `warm` sends it before each test's
requests. Everything else is what a storefront, a CDN and a brand's staff would see.
"""

from __future__ import annotations

import base64
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from core.catalog.models import Category, Collection, Stock, Variant
from core.plugins import load_plugins
from core.response_store import MemoryEntries
from core.settings import Settings, SettingsError
from schema.response_cache import CACHEABLE_FIELDS, STATUS_HEADER, VARY, etag_matches
from server import create_app
from tests.factories import make_brand, make_product, make_staff
from tests.redis_server import REDIS_URL, STORAGES

PAGE = """{ storefront { name }
  products(first: 20) { edges { node { id name slug thumbnail { url } category { name }
    pricing { priceRange { start { amount currency } stop { amount currency } } }
    variants { id sku quantityAvailable price { amount currency } } } } }
  collections(first: 5) { edges { node { name } } } }"""
REDIS_ENV = "LINI_TEST_CACHE_REDIS_URL"


def gid(kind: str, pk: int) -> str:
    return base64.b64encode(f"{kind}:{pk}".encode()).decode()


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"cache": settings.cache.model_copy(update={"enabled": True})})


class Shop:
    """A storefront's client: posts (or GETs) GraphQL anonymously, staff mutations with the brand's token."""

    def __init__(self, http: httpx.AsyncClient, slug: str, token: str) -> None:
        self.http, self.slug, self.token = http, slug, token

    async def post(self, query: str = PAGE, variables: dict[str, Any] | None = None, **headers: str) -> httpx.Response:
        sent = {"Lini-Storefront": self.slug, **{k.replace("_", "-"): v for k, v in headers.items()}}
        return await self.http.post("/graphql", json={"query": query, "variables": variables or {}}, headers=sent)

    async def get(self, query: str = PAGE, **headers: str) -> httpx.Response:
        sent = {"Lini-Storefront": self.slug, **{k.replace("_", "-"): v for k, v in headers.items()}}
        return await self.http.get("/graphql", params={"query": query}, headers=sent)

    async def staff(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        response = await self.post(query, variables, Authorization=f"Bearer {self.token}")
        body = response.json()
        assert not body.get("errors"), body
        (payload,) = body["data"].values()
        assert not payload.get("errors"), payload
        return payload

    async def page(self) -> tuple[str, dict[str, Any]]:
        response = await self.post()
        assert response.status_code == 200, response.text
        return response.headers.get(STATUS_HEADER, ""), response.json()


async def setup_shop(http: httpx.AsyncClient, slug: str = "sekar") -> tuple[Shop, Any]:
    brand = await make_brand(slug)
    category = await Category.create(brand=brand, name="Gamis", slug="gamis", position=0)
    product = await make_product(brand, "Gamis Sage", category=category)
    for variant in await Variant.filter(product=product):
        await Stock.create(variant=variant, quantity=5)
    await Collection.create(brand=brand, name="Lebaran", slug="lebaran", is_published=True, position=0)
    _, token = await make_staff(brand)
    shop = Shop(http, slug, token)
    await warm(shop)
    return shop, product


async def warm(shop: Shop, query: str = PAGE) -> None:
    """The process's first request for this storefront: answered, not stored."""
    response = await shop.post(query)
    assert response.status_code == 200 and response.headers["cache-control"] == "no-store", response.headers


def entries(app: Starlette) -> MemoryEntries:
    store = app.state.response_cache.store.entries
    assert isinstance(store, MemoryEntries)
    return store


async def test_a_cached_answer_equals_the_uncached_one(app, client):
    shop, _ = await setup_shop(client)
    missed = await shop.post()
    hit = await shop.post()
    assert missed.headers[STATUS_HEADER] == "miss" and hit.headers[STATUS_HEADER] == "hit"
    assert hit.content == missed.content
    signed_in = await shop.post(Authorization=f"Bearer {shop.token}")  # never cached: runs every time
    assert STATUS_HEADER not in signed_in.headers
    assert signed_in.json() == hit.json()
    assert hit.json()["data"]["products"]["edges"][0]["node"]["variants"][0]["quantityAvailable"] == 5


async def test_headers_for_a_cdn(app, client, settings):
    shop, _ = await setup_shop(client)
    for response in (await shop.post(), await shop.post(), await shop.get(), await shop.get()):
        assert response.status_code == 200
        assert response.headers["vary"] == VARY
        assert "Lini-Storefront" in VARY and "Accept-Language" in VARY
        public, max_age = response.headers["cache-control"].split(", ")
        assert public == "public" and 0 <= int(max_age.removeprefix("max-age=")) <= settings.cache.ttl_seconds
        assert response.headers["etag"].startswith('"')
    uncacheable = await shop.post("{ me { id } }")
    assert uncacheable.headers["cache-control"] == "no-store" and "etag" not in uncacheable.headers


async def test_if_none_match_is_answered_304_on_get_and_post(app, client):
    shop, _ = await setup_shop(client)
    first = await shop.post()
    etag = first.headers["etag"]
    for response in (
        await shop.post(If_None_Match=etag),
        await shop.get(If_None_Match=etag),
        await shop.get(If_None_Match=f'"other", W/{etag}'),
    ):
        assert response.status_code == 304 and response.content == b""
        assert response.headers["etag"] == etag and response.headers["vary"] == VARY
    changed = await shop.post(If_None_Match='"something-else"')
    assert changed.status_code == 200 and changed.content == first.content
    # a miss that produces the bytes the client holds is a 304 too
    entries(app).entries.clear()
    again = await shop.get(If_None_Match=etag)
    assert again.status_code == 304 and again.headers[STATUS_HEADER] == "miss"


async def test_a_hit_runs_no_sql(app, client, sql_counter):
    shop, _ = await setup_shop(client)
    await shop.post()
    with sql_counter.counting() as statements:
        hit = await shop.post()
        not_modified = await shop.get(If_None_Match=hit.headers["etag"])
    assert hit.headers[STATUS_HEADER] == "hit" and not_modified.status_code == 304
    assert statements == []


WRITES = {
    "product": (
        'mutation($id: ID!) { productUpdate(id: $id, input: { name: "Gamis Laut" }) { errors { code } } }',
        lambda body: body["data"]["products"]["edges"][0]["node"]["name"] == "Gamis Laut",
    ),
    "variant": (
        'mutation($v: ID!) { productVariantUpdate(id: $v, input: { sku: "SAGE-NEW" }) { errors { code } } }',
        lambda body: body["data"]["products"]["edges"][0]["node"]["variants"][0]["sku"] == "SAGE-NEW",
    ),
    "price": (
        "mutation($v: ID!) { productVariantUpdate(id: $v, input: "
        '{ prices: [{ currency: "IDR", amount: "99000" }] }) { errors { code } } }',
        lambda body: body["data"]["products"]["edges"][0]["node"]["variants"][0]["price"]["amount"] == "99000.00",
    ),
    "stock": (
        "mutation($v: ID!) { stockUpdate(input: { items: [{ variantId: $v, quantity: 0 }] }) { errors { code } } }",
        lambda body: body["data"]["products"]["edges"][0]["node"]["variants"][0]["quantityAvailable"] == 0,
    ),
    "media": (
        'mutation($id: ID!) { productMediaCreate(productId: $id, input: { url: "https://cdn.sekar.id/a.jpg" }) '
        "{ errors { code } } }",
        lambda body: (
            (body["data"]["products"]["edges"][0]["node"]["thumbnail"] or {}).get("url") == "https://cdn.sekar.id/a.jpg"
        ),
    ),
    "category": (
        'mutation($c: ID!) { categoryUpdate(id: $c, input: { name: "Abaya" }) { errors { code } } }',
        lambda body: body["data"]["products"]["edges"][0]["node"]["category"]["name"] == "Abaya",
    ),
    "collection": (
        'mutation($k: ID!) { collectionUpdate(id: $k, input: { name: "Ramadan" }) { errors { code } } }',
        lambda body: body["data"]["collections"]["edges"][0]["node"]["name"] == "Ramadan",
    ),
    "storefront": (
        'mutation { storefrontUpdate(input: { name: "Sekar Baru" }) { errors { code } } }',
        lambda body: body["data"]["storefront"]["name"] == "Sekar Baru",
    ),
}


@pytest.mark.parametrize("kind", sorted(WRITES))
async def test_each_kind_of_catalog_write_ends_the_cached_answers(app, client, kind):
    shop, product = await setup_shop(client)
    variant = await Variant.filter(product=product).order_by("position").first()
    category = await Category.get(slug="gamis")
    collection = await Collection.get(slug="lebaran")
    assert variant is not None
    await shop.post()
    status, before = await shop.page()
    assert status == "hit"
    mutation, shows = WRITES[kind]
    names = {"$id": gid("Product", product.id), "$v": gid("ProductVariant", variant.id)}
    names |= {"$c": gid("Category", category.id), "$k": gid("Collection", collection.id)}
    await shop.staff(mutation, {name[1:]: value for name, value in names.items() if name in mutation})
    status, after = await shop.page()
    assert status == "miss" and shows(after), after
    assert not shows(before)
    status, again = await shop.page()
    assert status == "hit" and again == after


async def test_a_sale_reaches_quantity_available_within_the_ttl_and_checkout_never_reads_the_cache(
    app, client, settings
):
    """Orders move stock without moving the catalog version (a busy brand keeps its cache): the page may show
    the old stock for up to the TTL, while checkout, which reads no cache, already refuses it."""
    shop, product = await setup_shop(client)
    cache = app.state.response_cache
    now = [1_000_000.0]
    cache.clock = entries(app).clock = lambda: now[0]
    variant = await Variant.filter(product=product).order_by("position").first()
    assert variant is not None
    await shop.post()
    await Stock.filter(variant_id=variant.id).update(quantity=0)  # what checkoutComplete's stock take does
    status, cached = await shop.page()
    assert status == "hit"
    assert cached["data"]["products"]["edges"][0]["node"]["variants"][0]["quantityAvailable"] == 5
    lines = [{"variantId": gid("ProductVariant", variant.id), "quantity": 1}]
    created = await shop.post(
        "mutation($l: [CheckoutLineInput!]!) { checkoutCreate(input: { lines: $l }) { errors { code } } }", {"l": lines}
    )
    assert created.json()["data"]["checkoutCreate"]["errors"] == [{"code": "INSUFFICIENT_STOCK"}]
    now[0] += settings.cache.ttl_seconds
    status, fresh = await shop.page()
    assert status == "miss"
    assert fresh["data"]["products"]["edges"][0]["node"]["variants"][0]["quantityAvailable"] == 0


@pytest.mark.parametrize(
    "query",
    [
        "{ me { id email } }",
        '{ checkout(token: "00000000-0000-0000-0000-000000000000") { token } }',
        "{ order(number: 1) { number } }",
        "{ products(first: 1) { edges { node { name } } } me { id } }",
        "query { __typename ...F } fragment F on Query { me { id } }",
    ],
)
async def test_nothing_personal_is_stored(app, client, query):
    shop, _ = await setup_shop(client)
    stored = len(entries(app).entries)
    for _ in range(2):
        response = await shop.post(query)
        assert response.status_code == 200
        assert response.headers["cache-control"] == "no-store" and STATUS_HEADER not in response.headers
    assert len(entries(app).entries) == stored
    assert not {"me", "checkout", "order"} & CACHEABLE_FIELDS


async def test_a_token_bypasses_the_cache_and_mutations_are_never_stored(app, client):
    shop, _ = await setup_shop(client)
    await shop.post()
    stored = len(entries(app).entries)
    signed_in = await shop.post(Authorization=f"Bearer {shop.token}")
    assert signed_in.headers["cache-control"] == "no-store" and STATUS_HEADER not in signed_in.headers
    bad_token = await shop.post(Authorization="Bearer nonsense")
    assert STATUS_HEADER not in bad_token.headers
    mutation = 'mutation { checkoutCreate(input: { email: "a@b.id" }) { checkout { token } errors { code } } }'
    tokens = {(await shop.post(mutation)).json()["data"]["checkoutCreate"]["checkout"]["token"] for _ in range(2)}
    assert len(tokens) == 2
    assert len(entries(app).entries) == stored


async def test_one_brands_cache_never_answers_another_storefront(app, client):
    sekar, _ = await setup_shop(client, "sekar")
    melati, _ = await setup_shop(client, "melati")
    await sekar.post()
    _, sekar_page = await sekar.page()
    status, melati_page = await melati.page()
    assert status == "miss"
    assert sekar_page["data"]["storefront"]["name"] == "Sekar"
    assert melati_page["data"]["storefront"]["name"] == "Melati"
    # a document naming its storefront by argument answers that one, whatever the header says
    by_argument = '{ storefront(storefront: "melati") { name } }'
    for _ in range(2):
        assert (await sekar.post(by_argument)).json()["data"]["storefront"]["name"] == "Melati"
    assert (await sekar.post("{ storefront { name } }")).json()["data"]["storefront"]["name"] == "Sekar"
    # and a write to one brand leaves the other's entries current
    await melati.staff('mutation { storefrontUpdate(input: { name: "Melati Baru" }) { errors { code } } }')
    assert (await sekar.page())[0] == "hit"
    assert (await melati.page())[0] == "miss"


async def test_language_is_part_of_the_key(app, client):
    shop, _ = await setup_shop(client)
    english = await shop.post(Accept_Language="en")
    indonesian = await shop.post(Accept_Language="id")
    assert english.headers[STATUS_HEADER] == indonesian.headers[STATUS_HEADER] == "miss"
    assert (await shop.post(Accept_Language="en")).headers[STATUS_HEADER] == "hit"


async def test_hits_count_against_the_query_rate_limit(settings):
    limited = settings.model_copy(
        update={"rate_limits": settings.rate_limits.model_copy(update={"enabled": True, "query": "3/minute"})}
    )
    application = create_app(limited, host=load_plugins(limited, env={}))
    transport = httpx.ASGITransport(app=application)
    async with (
        application.router.lifespan_context(application),
        httpx.AsyncClient(transport=transport, base_url="http://t") as http,
    ):
        shop, _ = await setup_shop(http)  # one query
        assert (await shop.post()).headers[STATUS_HEADER] == "miss"
        assert (await shop.post()).headers[STATUS_HEADER] == "hit"
        refused = await shop.post()
        assert refused.status_code == 429
        assert refused.json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"


async def test_cache_off_answers_everything_uncached(settings):
    off = settings.model_copy(update={"cache": settings.cache.model_copy(update={"enabled": False})})
    application = create_app(off, host=load_plugins(off, env={}))
    transport = httpx.ASGITransport(app=application)
    async with (
        application.router.lifespan_context(application),
        httpx.AsyncClient(transport=transport, base_url="http://t") as http,
    ):
        shop, _ = await setup_shop(http)
        for _ in range(2):
            response = await shop.post()
            assert response.headers["cache-control"] == "no-store" and STATUS_HEADER not in response.headers


@pytest.fixture
async def redis_apps(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[list[httpx.AsyncClient]]:
    if "redis" not in STORAGES:
        pytest.skip("Redis is not reachable on 127.0.0.1:6379")
    monkeypatch.setenv(REDIS_ENV, REDIS_URL)
    cache = settings.cache.model_copy(update={"redis_url_env": REDIS_ENV, "key_prefix": f"t{uuid.uuid4().hex[:12]}"})
    shared = settings.model_copy(update={"cache": cache})
    first, second = (create_app(shared, host=load_plugins(shared, env={})) for _ in range(2))
    async with first.router.lifespan_context(first), second.router.lifespan_context(second):
        clients = [
            httpx.AsyncClient(transport=httpx.ASGITransport(app=a), base_url="http://t") for a in (first, second)
        ]
        try:
            yield clients
        finally:
            redis = first.state.response_cache.store.client  # this test's entries and versions, by its prefix
            keys = [key async for key in redis.scan_iter(match=f"{cache.key_prefix}:cache:*")]
            if keys:
                await redis.delete(keys)
            for http in clients:
                await http.aclose()


async def test_redis_is_shared_by_two_app_instances(redis_apps):
    one, two = redis_apps
    shop, product = await setup_shop(one)
    other = Shop(two, shop.slug, shop.token)
    await warm(other)
    assert (await shop.post()).headers[STATUS_HEADER] == "miss"
    assert (await other.page())[0] == "hit"  # stored by the other instance
    await shop.staff(
        'mutation($id: ID!) { productUpdate(id: $id, input: { name: "Gamis Laut" }) { errors { code } } }',
        {"id": gid("Product", product.id)},
    )
    status, after = await other.page()  # the write went through the first instance; the second sees it at once
    assert status == "miss" and after["data"]["products"]["edges"][0]["node"]["name"] == "Gamis Laut"
    assert (await shop.page())[0] == "hit"


def test_if_none_match_lists():
    assert etag_matches('"a"', '"a"') and etag_matches('W/"a"', '"a"') and etag_matches("*", '"a"')
    assert etag_matches('"b", "a"', '"a"') and not etag_matches('"b"', '"a"') and not etag_matches("", '"a"')


async def test_memory_entries_stay_within_their_bytes_and_lifetimes():
    now = [0.0]
    store = MemoryEntries(max_bytes=10, clock=lambda: now[0])
    await store.put("a", b"12345", 5)
    await store.put("b", b"12345", 5)
    assert await store.get("a") == b"12345"  # now the most recently used
    await store.put("c", b"123", 5)
    assert await store.get("b") is None and await store.get("a") == b"12345" and store.size == 8
    now[0] = 5
    assert await store.get("a") is None and store.size == 3


def test_a_redis_variable_that_is_not_set_stops_the_start(settings: Settings):
    missing = settings.model_copy(
        update={"cache": settings.cache.model_copy(update={"redis_url_env": "LINI_NO_SUCH_CACHE_VARIABLE"})}
    )
    with pytest.raises(SettingsError, match=r"\[cache\] redis_url_env: the environment variable"):
        create_app(missing, host=load_plugins(missing, env={}))
