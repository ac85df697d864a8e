"""Rate limits through HTTP, counted in memory and in Redis: every refusal is a 429 with Retry-After and one
GraphQL error `RATE_LIMITED`, and nothing of the refused document runs."""

from __future__ import annotations

import contextlib
import logging
import socket
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from limits.errors import StorageError
from starlette.applications import Starlette

from core.auth.models import LoginThrottle, User
from core.settings import Settings, SettingsError
from server import create_app
from tests.factories import PASSWORD, make_user
from tests.redis_server import REDIS_URL, STORAGES

pytestmark = pytest.mark.engine_independent  # counted outside the database; the database throttle has its own tests

REDIS_ENV = "LINI_TEST_RATE_LIMITS_REDIS"

LOGIN = """mutation($email: String!, $password: String!) {
  tokenCreate(input: { email: $email, password: $password }) { token errors { code } } }"""
REGISTER = """mutation($email: String!) {
  accountRegister(input: { email: $email, password: "kain-tenun-2026" }) { user { email } errors { code } } }"""
RESET = """mutation($email: String!) { passwordResetRequest(input: { email: $email }) { errors { code } } }"""
CHECKOUT_WRITE = """mutation { checkoutEmailUpdate(token: "no-such-checkout", email: "a@example.id", storefront: "x") {
  errors { code } } }"""
QUERY = "{ __typename }"

LIMITS = {
    "per_ip": "1000/minute",
    "per_token": "1000/minute",
    "login": "3/minute",
    "registration": "2/minute",
    "password_reset": "2/minute",
    "checkout_write": "3/minute",
    "query": "4/minute",
}


@pytest.fixture(params=STORAGES)
def storage(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "redis":
        monkeypatch.setenv(REDIS_ENV, REDIS_URL)
    return request.param


@pytest.fixture
def limits() -> dict[str, str]:
    """The limits of one test; a test changes them before the app is built."""
    return dict(LIMITS)


@pytest.fixture
def settings(settings: Settings, storage: str, limits: dict[str, str]) -> Settings:
    # A prefix of its own per test: parallel test workers share the one Redis.
    update: dict[str, Any] = {"enabled": True, "key_prefix": f"lini-test-{uuid.uuid4().hex[:12]}", **limits}
    if storage == "redis":
        update["redis_url_env"] = REDIS_ENV
    return settings.model_copy(update={"rate_limits": settings.rate_limits.model_copy(update=update)})


@pytest.fixture
async def app(app: Starlette) -> AsyncIterator[Starlette]:
    assert app.state.rate_limits.enabled
    yield app
    with contextlib.suppress(StorageError):  # TestRedisDown has nothing to reset
        await app.state.rate_limits.reset()


async def post(client: httpx.AsyncClient, query: str, variables: dict | None = None, **headers: str) -> httpx.Response:
    return await client.post("/graphql", json={"query": query, "variables": variables or {}}, headers=headers)


def assert_limited(response: httpx.Response, limit: str) -> None:
    assert response.status_code == 429, response.text
    retry_after = int(response.headers["retry-after"])
    assert 1 <= retry_after <= 60
    [error] = response.json()["errors"]
    assert error["extensions"] == {"code": "RATE_LIMITED", "limit": limit, "retryAfter": retry_after}
    assert response.json().get("data") is None


async def test_the_backend_is_the_one_configured(app, storage):
    assert app.state.rate_limits.backend == storage


async def test_sign_ins_over_the_limit_are_refused_before_any_password_is_checked(client):
    await make_user("siti@example.id")
    for _ in range(3):
        response = await post(client, LOGIN, {"email": "siti@example.id", "password": "wrong-password-1"})
        assert response.status_code == 200
        assert response.json()["data"]["tokenCreate"]["errors"] == [{"code": "INVALID_CREDENTIALS"}]
    refused = await post(client, LOGIN, {"email": "siti@example.id", "password": PASSWORD})
    assert_limited(refused, "login")
    # the refused attempt never reached the throttle: three failures, not four
    assert (await LoginThrottle.get(key="email:siti@example.id")).failures == 3


async def test_each_aliased_sign_in_counts(client):
    await make_user("siti@example.id")
    aliases = " ".join(
        f'a{n}: tokenCreate(input: {{ email: "siti@example.id", password: "guess-{n}-guess" }}) {{ token }}'
        for n in range(4)
    )
    assert_limited(await post(client, f"mutation {{ {aliases} }}"), "login")
    assert not await LoginThrottle.exists()  # nothing of the document ran


async def test_a_field_repeated_under_one_response_key_runs_once_and_counts_once(client):
    await make_user("siti@example.id")
    field = 'tokenCreate(input: { email: "siti@example.id", password: "guess-guess" }) { token }'
    fragment = f"fragment F on Mutation {{ {field} }}"
    for _ in range(3):
        assert (await post(client, f"mutation {{ ...F ...F {field} }} {fragment}")).status_code == 200
    assert (await LoginThrottle.get(key="email:siti@example.id")).failures == 3


async def test_registrations_over_the_limit_create_nothing(client):
    for n in range(2):
        response = await post(client, REGISTER, {"email": f"new{n}@example.id"})
        assert response.json()["data"]["accountRegister"]["errors"] == []
    assert_limited(await post(client, REGISTER, {"email": "new2@example.id"}), "registration")
    assert await User.all().count() == 2


async def test_password_reset_requests_are_limited(client):
    for _ in range(2):
        assert (await post(client, RESET, {"email": "anyone@example.id"})).status_code == 200
    assert_limited(await post(client, RESET, {"email": "anyone@example.id"}), "password_reset")


async def test_sign_ins_count_per_address_whatever_token_is_sent(client):
    for n in range(3):
        token = {"Authorization": f"Bearer token-{n}"}
        assert (await post(client, LOGIN, {"email": "a@example.id", "password": "x" * 12}, **token)).status_code == 200
    assert_limited(await post(client, LOGIN, {"email": "a@example.id", "password": "x" * 12}), "login")


async def test_checkout_writes_count_per_token_or_address(client):
    for _ in range(3):
        assert (await post(client, CHECKOUT_WRITE)).status_code == 200
    assert_limited(await post(client, CHECKOUT_WRITE), "checkout_write")
    # a token has a budget of its own, even from the same address
    for _ in range(3):
        assert (await post(client, CHECKOUT_WRITE, Authorization="Bearer some-app-token")).status_code == 200
    assert_limited(await post(client, CHECKOUT_WRITE, Authorization="Bearer some-app-token"), "checkout_write")


async def test_queries_are_limited_and_mutations_do_not_count_as_queries(client):
    for _ in range(3):
        await post(client, CHECKOUT_WRITE)
    for _ in range(4):
        assert (await post(client, QUERY)).json() == {"data": {"__typename": "Query"}}
    assert_limited(await post(client, QUERY), "query")


async def test_an_invalid_document_is_not_counted_against_its_class(client):
    for _ in range(5):
        response = await post(client, "mutation { tokenCreate(input: {}) { token } }")
        assert response.status_code == 200 and response.json()["errors"]
    assert (await post(client, LOGIN, {"email": "a@example.id", "password": "x" * 12})).status_code == 200


class TestRequestLimits:
    @pytest.fixture
    def limits(self, limits: dict[str, str]) -> dict[str, str]:
        return {**limits, "per_ip": "4/minute", "per_token": "2/minute", "query": ""}

    async def test_every_request_from_one_address_counts_even_an_unreadable_one(self, client):
        assert (await client.post("/graphql", content=b"{not json")).status_code == 400
        for _ in range(3):
            assert (await post(client, QUERY)).status_code == 200
        assert_limited(await post(client, QUERY), "per_ip")
        assert_limited(await client.post("/graphql", content=b"{not json"), "per_ip")

    async def test_a_token_is_limited_on_its_own(self, client, app):
        bearer = {"Authorization": "Bearer lini_app_whatever"}
        for _ in range(2):
            assert (await post(client, QUERY, **bearer)).status_code == 200
        assert_limited(await post(client, QUERY, **bearer), "per_token")
        # another token from the same address has its own budget (while the address has room)
        assert (await post(client, QUERY, Authorization="Bearer lini_app_another")).status_code == 200

    async def test_health_and_webhooks_are_not_limited(self, client):
        for _ in range(5):
            assert (await client.get("/health")).status_code == 200


class TestBehindProxies:
    @pytest.fixture
    def settings(self, settings: Settings) -> Settings:
        server = settings.server.model_copy(update={"trusted_proxies": ["127.0.0.0/8"]})
        return settings.model_copy(update={"server": server})

    async def test_a_trusted_proxy_s_forwarded_address_is_the_client(self, client):
        for client_address in ("203.0.113.5", "203.0.113.6"):
            forwarded = {"X-Forwarded-For": f"198.51.100.1, {client_address}"}
            email = f"{client_address}@example.id"
            for _ in range(3):
                assert (
                    await post(client, LOGIN, {"email": email, "password": "x" * 12}, **forwarded)
                ).status_code == 200
            assert_limited(await post(client, LOGIN, {"email": email, "password": "x" * 12}, **forwarded), "login")
        # the database throttle counted the same addresses, not the proxy's
        keys = set(await LoginThrottle.filter(key__startswith="ip:").values_list("key", flat=True))
        assert keys == {"ip:203.0.113.5", "ip:203.0.113.6"}


async def test_forwarded_headers_from_an_untrusted_peer_change_nothing(client):
    """No trusted proxies by default, loopback included: a client cannot pick a fresh address per request."""
    for n in range(3):
        assert (
            await post(
                client,
                LOGIN,
                {"email": "a@example.id", "password": "x" * 12},
                **{"X-Forwarded-For": f"203.0.113.{n}", "Forwarded": f"for=203.0.113.{n}"},
            )
        ).status_code == 200
    assert_limited(
        await post(
            client, LOGIN, {"email": "a@example.id", "password": "x" * 12}, **{"X-Forwarded-For": "203.0.113.99"}
        ),
        "login",
    )
    assert await LoginThrottle.filter(key="ip:127.0.0.1").exists()


class TestRedisDown:
    @pytest.fixture
    def storage(self, monkeypatch: pytest.MonkeyPatch) -> str:
        with socket.socket() as probe:  # a port nobody listens on
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        monkeypatch.setenv(REDIS_ENV, f"redis://127.0.0.1:{port}/0")
        return "redis"

    async def test_requests_go_through_and_the_outage_is_logged(self, client, caplog):
        with caplog.at_level(logging.WARNING, logger="lini.ratelimits"):
            for _ in range(6):
                assert (await post(client, QUERY)).status_code == 200
        assert [r.getMessage() for r in caplog.records if "not counted" in r.getMessage()] != []


def test_a_redis_variable_that_is_not_set_stops_the_start(settings: Settings, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("LINI_NO_SUCH_VARIABLE", raising=False)
    broken = settings.model_copy(
        update={"rate_limits": settings.rate_limits.model_copy(update={"redis_url_env": "LINI_NO_SUCH_VARIABLE"})}
    )
    with pytest.raises(SettingsError, match="LINI_NO_SUCH_VARIABLE is not set"):
        create_app(broken)
