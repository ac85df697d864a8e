"""The limiter itself, in memory and in Redis, and its settings."""

from __future__ import annotations

import uuid

import pytest

from core.ratelimits import LimitClass, RateLimits, token_key
from core.settings import RateLimitSettings, SettingsError, load_settings
from tests.redis_server import REDIS_URL, STORAGES


@pytest.fixture(params=STORAGES)
async def make(request: pytest.FixtureRequest):
    """Limiters as separate processes would build them: each its own client, one Redis prefix."""
    made: list[RateLimits] = []
    prefix = f"lini-test-{uuid.uuid4().hex[:12]}"

    def build(**limits: str) -> RateLimits:
        settings = RateLimitSettings(key_prefix=prefix, **limits)
        made.append(RateLimits(settings, redis_url=REDIS_URL if request.param == "redis" else ""))
        return made[-1]

    build.storage = request.param  # type: ignore[attr-defined]
    yield build
    for limiter in made:
        await limiter.reset()
        await limiter.close()


async def test_every_window_of_a_limit_counts_and_cost_counts(make):
    limiter = make(login="3/second;4/minute")
    assert [await limiter.hit(LimitClass.LOGIN, "ip:a") for _ in range(3)] == [None, None, None]
    refused = await limiter.hit(LimitClass.LOGIN, "ip:a")
    assert refused is not None and refused.limit is LimitClass.LOGIN and 1 <= refused.retry_after <= 60
    assert await limiter.hit(LimitClass.LOGIN, "ip:b", cost=3) is None
    assert await limiter.hit(LimitClass.LOGIN, "ip:c", cost=4) is not None


async def test_an_empty_limit_never_refuses(make):
    limiter = make(query="")
    assert all([await limiter.hit(LimitClass.QUERY, "ip:a") is None for _ in range(50)])


async def test_processes_share_counts_in_redis_and_not_in_memory(make):
    first, second = make(login="2/minute"), make(login="2/minute")
    await first.hit(LimitClass.LOGIN, "ip:a", cost=2)
    refused = await second.hit(LimitClass.LOGIN, "ip:a")
    assert (refused is not None) is (make.storage == "redis")


def test_tokens_are_stored_as_hashes():
    key = token_key("lini_app_secret")
    assert "secret" not in key and key == token_key("lini_app_secret") != token_key("lini_app_other")


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("LINI_RATE_LIMITS_LOGIN", "ten a minute", "[rate_limits] login"),
        ("LINI_RATE_LIMITS_STRATEGY", "leaky-bucket", "[rate_limits] strategy"),
        ("LINI_SERVER_TRUSTED_PROXIES", "10.0.0.0/8,proxy.internal", "[server] trusted_proxies"),
    ],
)
def test_bad_settings_name_their_key(variable, value, message):
    with pytest.raises(SettingsError, match=message.replace("[", r"\[").replace("]", r"\]")):
        load_settings(env={variable: value})


def test_a_redis_url_comes_from_the_named_variable():
    settings = RateLimitSettings(redis_url_env="MY_REDIS")
    assert RateLimits.from_settings(settings, env={"MY_REDIS": "redis://127.0.0.1:6379/2"}).backend == "redis"
    assert RateLimits.from_settings(RateLimitSettings(), env={"MY_REDIS": "redis://x"}).backend == "memory"
    with pytest.raises(SettingsError, match="MY_REDIS must hold a redis://"):
        RateLimits.from_settings(settings, env={"MY_REDIS": "http://127.0.0.1:6379"})
