"""`event_subscriptions` and `handle_event`: a plugin hears the events it chose, once each, retried alone when it
fails, and a subscription that names no event type stops the start."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

import pytest

from core.event_subscriptions import matches, subscribed
from core.events import DeliveryStatus, EventDelivery
from core.outbox import dispatch
from core.plugins import PluginError, hookimpl, load_plugins
from core.settings import Settings
from tests.factories import make_brand, make_staff

UsePlugin = Callable[..., object]
CREATE = "mutation($n: String!) { productCreate(input: {name: $n}) { product { id } errors { code } } }"
CATEGORY = 'mutation { categoryCreate(input: {name: "Gamis"}) { errors { code } } }'


def listener_plugin(patterns: list[str], *, handles: bool = True) -> SimpleNamespace:
    heard: list[dict[str, Any]] = []
    failures = {"left": 0}

    async def handle_event(event: dict[str, Any]) -> None:
        if failures["left"]:
            failures["left"] -= 1
            raise RuntimeError("the messaging gateway is down")
        heard.append(event)

    plugin = SimpleNamespace(event_subscriptions=hookimpl(lambda: patterns), heard=heard, failures=failures)
    if handles:
        plugin.handle_event = hookimpl(handle_event)
    return plugin


@pytest.fixture
def listener(use_plugin: UsePlugin) -> SimpleNamespace:
    plugin = listener_plugin(["product.created", "webhook.*"])
    use_plugin(plugin, name="listener")
    return plugin


async def staff_of(gql: Any) -> Any:
    brand = await make_brand("sekar")
    gql.storefront, gql.token = "sekar", (await make_staff(brand))[1]
    return brand


async def test_hook_event_subscriptions(listener, app, gql) -> None:
    brand = await staff_of(gql)
    created = await gql(CREATE, {"n": "Gamis Sekar"})
    await gql(CATEGORY)  # category.created: not subscribed to
    assert await dispatch(app.state.plugins) >= 1
    [event] = listener.heard
    assert event["type"] == "product.created" and event["brandId"] == brand.id
    assert isinstance(event["id"], int) and datetime.fromisoformat(event["createdAt"]).tzinfo == UTC
    assert created["productCreate"]["product"]["id"] and event["data"]["product_id"] > 0
    await dispatch(app.state.plugins)
    assert len(listener.heard) == 1  # delivered once


async def test_hook_handle_event(listener, app, gql) -> None:
    """A failing handler is retried alone, and delivered once it succeeds."""
    await staff_of(gql)
    listener.failures["left"] = 1
    await gql(CREATE, {"n": "Gamis Sekar"})
    await dispatch(app.state.plugins)
    assert listener.heard == []
    row = await EventDelivery.get(subscriber="handle_event:listener")
    assert (row.status, row.attempts, "messaging gateway is down" in row.last_error) == (
        DeliveryStatus.PENDING,
        1,
        True,
    )
    await EventDelivery.filter(id=row.id).update(next_attempt_at=datetime.now(UTC))  # its rest is over
    await dispatch(app.state.plugins)
    assert [event["type"] for event in listener.heard] == ["product.created"]
    assert (await EventDelivery.get(id=row.id)).status == DeliveryStatus.DELIVERED


@pytest.mark.engine_independent
@pytest.mark.parametrize(
    ("patterns", "handles", "message"),
    [
        (["prodcut.created"], True, "subscribes to 'prodcut.created', which is no event type"),
        (["nothing.*"], True, "subscribes to 'nothing.*', which is no event type"),
        (["product.created"], False, "does not implement handle_event"),
    ],
)
def test_a_subscription_to_no_event_type_stops_the_start(
    settings: Settings, patterns: list[str], handles: bool, message: str
) -> None:
    host = load_plugins(settings, env={}, extra={"listener": listener_plugin(patterns, handles=handles)})
    with pytest.raises(PluginError, match=message), subscribed(host):
        pass


@pytest.mark.engine_independent
def test_patterns_match_a_type_a_noun_or_everything() -> None:
    assert matches(("product.*",), "product.updated") and not matches(("product.*",), "products.x")
    assert matches(("*",), "ORDER_PAID") and matches(("order.paid",), "order.paid")
    assert not matches(("product.created",), "product.updated")
