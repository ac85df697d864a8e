"""Sign-in throttling under concurrency: attempts are counted before their password is checked, atomically on
both databases, so a burst of concurrent guesses gets exactly as many checks as the settings allow."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from core.auth.models import LoginThrottle
from core.settings import Settings
from tests.conftest import GraphQLClient
from tests.factories import PASSWORD, make_user

LOGIN = """mutation($email: String!, $password: String!) {
  tokenCreate(input: { email: $email, password: $password }) { token errors { code } } }"""
ATTEMPTS = 40


@pytest.fixture
def settings(settings: Settings) -> Settings:
    # Rate limits are tested on their own: here only the database throttle may refuse.
    return settings.model_copy(update={"rate_limits": settings.rate_limits.model_copy(update={"enabled": False})})


@pytest.fixture
async def gql_from(app):
    """GraphQL clients whose requests come from another peer address."""
    opened: list[httpx.AsyncClient] = []

    def make(address: str) -> GraphQLClient:
        transport = httpx.ASGITransport(app=app, client=(address, 50000))
        opened.append(httpx.AsyncClient(transport=transport, base_url="http://testserver"))
        return GraphQLClient(opened[-1])

    yield make
    for http in opened:
        await http.aclose()


def with_auth(settings: Settings, **changes: object) -> Settings:
    return settings.model_copy(update={"auth": settings.auth.model_copy(update=changes)})


async def burst(gql, email: str, password: str, n: int = ATTEMPTS, **kwargs) -> Counter[str]:
    """Send `n` sign-ins at once; count the outcomes (`TOKEN` or the error code)."""

    async def one() -> str:
        payload = (await gql(LOGIN, {"email": email, "password": password}, **kwargs))["tokenCreate"]
        return "TOKEN" if payload["token"] else payload["errors"][0]["code"]

    return Counter(await asyncio.gather(*(one() for _ in range(n))))


class TestLockAtTheConfiguredCount:
    @pytest.fixture
    def settings(self, settings: Settings) -> Settings:
        # No slowdown: every attempt up to the lock may be tried at once.
        return with_auth(settings, login_slowdown_after=100, login_lock_after=10)

    async def test_forty_concurrent_wrong_passwords_get_exactly_ten_checks_and_lock(self, gql):
        await make_user("siti@example.id")
        outcomes = await burst(gql, "siti@example.id", "wrong-password-1")
        assert outcomes == {"INVALID_CREDENTIALS": 10, "LOGIN_LOCKED": 30}
        # locked: the right password is refused too
        assert await burst(gql, "siti@example.id", PASSWORD, n=1) == {"LOGIN_LOCKED": 1}
        row = await LoginThrottle.get(key="email:siti@example.id")
        assert row.failures == 10 and row.locked_until > datetime.now(UTC) + timedelta(minutes=14)

    async def test_the_lock_ends_and_the_right_password_then_works(self, gql):
        await make_user("siti@example.id")
        await burst(gql, "siti@example.id", "wrong-password-1", n=12)
        past = datetime.now(UTC) - timedelta(minutes=16)
        await LoginThrottle.all().update(locked_until=past + timedelta(minutes=15), last_failure_at=past)
        assert await burst(gql, "siti@example.id", PASSWORD, n=1) == {"TOKEN": 1}
        assert not await LoginThrottle.filter(key="email:siti@example.id").exists()


async def test_with_the_default_slowdown_only_three_of_forty_are_checked(gql):
    await make_user("siti@example.id")
    outcomes = await burst(gql, "siti@example.id", "wrong-password-1")
    assert outcomes == {"INVALID_CREDENTIALS": 3, "LOGIN_THROTTLED": 37}


async def test_concurrent_right_passwords_all_sign_in_and_leave_no_failures(gql):
    await make_user("siti@example.id")
    assert await burst(gql, "siti@example.id", PASSWORD, n=3) == {"TOKEN": 3}
    assert not await LoginThrottle.filter(key="email:siti@example.id").exists()
    assert (await LoginThrottle.get(key="ip:127.0.0.1")).failures == 0


async def test_failures_further_apart_than_a_lock_are_forgotten(gql):
    await make_user("siti@example.id")
    await burst(gql, "siti@example.id", "wrong-password-1", n=3)
    await LoginThrottle.all().update(last_failure_at=datetime.now(UTC) - timedelta(minutes=15, seconds=1))
    # three fresh tries again, not a wait
    assert await burst(gql, "siti@example.id", "wrong-password-1", n=3) == {"INVALID_CREDENTIALS": 3}
    assert (await LoginThrottle.get(key="email:siti@example.id")).failures == 3


class TestPerAddress:
    @pytest.fixture
    def settings(self, settings: Settings) -> Settings:
        return with_auth(settings, login_slowdown_after=100, login_ip_slowdown_after=100, login_ip_lock_after=8)

    async def test_guesses_spread_over_accounts_lock_the_address_not_the_accounts(self, gql, gql_from):
        for n in range(4):
            await make_user(f"user{n}@example.id")
        guesses = [gql(LOGIN, {"email": f"user{n % 4}@example.id", "password": "wrong-password-1"}) for n in range(20)]
        codes = Counter(r["tokenCreate"]["errors"][0]["code"] for r in await asyncio.gather(*guesses))
        assert codes == {"INVALID_CREDENTIALS": 8, "LOGIN_LOCKED": 12}
        # only the checked guesses count against the accounts (which ones won is up to the scheduler)
        emails = LoginThrottle.filter(key__startswith="email:")
        assert sum(await emails.values_list("failures", flat=True)) == 8
        before = (await LoginThrottle.get_or_none(key="email:user0@example.id") or LoginThrottle(failures=0)).failures
        # this address may not try even a right password, and the refused attempt costs the account nothing
        assert await burst(gql, "user0@example.id", PASSWORD, n=1) == {"LOGIN_LOCKED": 1}
        after = (await LoginThrottle.get_or_none(key="email:user0@example.id") or LoginThrottle(failures=0)).failures
        assert after == before
        # the accounts themselves are not locked: the owner signs in from another address
        from_elsewhere = gql_from("192.0.2.10")
        assert await burst(from_elsewhere, "user0@example.id", PASSWORD, n=1) == {"TOKEN": 1}
