"""A server's background dispatcher (`[events] deliver_hooks = "background"`, core.outbox.Background): a
request's commit only wakes it, the request answers, and plugins hear of the commits of many requests in one
pass right after; what is due when the server stops is delivered before it stops, a subscriber leased by
another process is tried again until it is let go. (The rest of the suite runs "request".)"""

from __future__ import annotations

import asyncio
import base64
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from core import outbox
from core.db import connected
from core.events import DeliveryStatus, EventDelivery, EventSubscriber
from core.plugins import hookimpl, load_plugins
from core.settings import Settings
from server import create_app
from tests.conftest import GraphQLClient
from tests.factories import make_brand, make_order, make_staff

NOTE = "mutation($id: ID!, $m: String!) { orderNoteAdd(id: $id, message: $m) { errors { code } } }"


def gid(type_name: str, id: int) -> str:
    return base64.b64encode(f"{type_name}:{id}".encode()).decode()


@pytest.fixture
def listener() -> SimpleNamespace:
    state = SimpleNamespace(events=[])

    @hookimpl
    async def order_event(event: dict[str, Any]) -> None:
        state.events.append((event["type"], event["data"].get("message")))

    state.plugin = SimpleNamespace(order_event=order_event)
    return state


@asynccontextmanager
async def serving(settings: Settings, listener: SimpleNamespace) -> AsyncIterator[tuple[Starlette, GraphQLClient]]:
    background = settings.model_copy(
        update={"events": settings.events.model_copy(update={"deliver_hooks": "background"})}
    )
    host = load_plugins(background, extra={"listener": listener.plugin}, env={})
    app = create_app(background, host=host)
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://testserver") as http,
    ):
        yield app, GraphQLClient(http)


async def staff_order(gql: GraphQLClient) -> str:
    brand = await make_brand("sekar")
    gql.storefront, gql.token = "sekar", (await make_staff(brand))[1]
    return gid("Order", (await make_order(brand)).id)


async def eventually(check: Any, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not await check():
        assert time.monotonic() < deadline, "not delivered in time"
        await asyncio.sleep(0.02)


async def nothing_pending() -> bool:
    return not await EventDelivery.filter(status=DeliveryStatus.PENDING).exists()


async def test_the_request_answers_before_plugins_hear_and_a_stopping_server_delivers_first(
    settings, listener, monkeypatch
) -> None:
    monkeypatch.setattr(outbox, "GATHER_SECONDS", 3600.0)  # the dispatcher waits until the server stops
    async with serving(settings, listener) as (_, gql):
        order = await staff_order(gql)
        assert (await gql(NOTE, {"id": order, "m": "Cek alamat"}))["orderNoteAdd"]["errors"] == []
        assert listener.events == [], "the request did not deliver"
        [row] = await EventDelivery.filter(status=DeliveryStatus.PENDING)
        assert row.subscriber == "order_event"
    # the lifespan's end made the last pass, without the pause, before the database was closed
    assert listener.events == [("ORDER_NOTE_ADDED", "Cek alamat")]
    async with connected(settings.database.url, load_plugins(settings, env={}).database_apps()):
        assert await nothing_pending()
        lease = await EventSubscriber.get(name="order_event")
        assert (lease.leased_until, lease.leased_by) == (None, "")


async def test_the_commits_of_many_requests_reach_plugins_once_each_in_order(settings, listener) -> None:
    async with serving(settings, listener) as (_, gql):
        order = await staff_order(gql)
        messages = [f"catatan {i}" for i in range(8)]
        for message in messages:  # one after another: each commit wakes the dispatcher
            assert (await gql(NOTE, {"id": order, "m": message}))["orderNoteAdd"]["errors"] == []
        await eventually(nothing_pending)
        assert listener.events == [("ORDER_NOTE_ADDED", message) for message in messages]
        assert await EventDelivery.filter(status=DeliveryStatus.DELIVERED, attempts=1).count() == 8


async def test_a_subscriber_leased_elsewhere_is_delivered_once_it_is_let_go(settings, listener) -> None:
    async with serving(settings, listener) as (_, gql):
        order = await staff_order(gql)
        soon = datetime.now(UTC) + timedelta(seconds=3)
        await EventSubscriber.create(name="order_event", leased_until=soon, leased_by="elsewhere:1")
        assert (await gql(NOTE, {"id": order, "m": "Cek alamat"}))["orderNoteAdd"]["errors"] == []
        await asyncio.sleep(0.3)
        assert listener.events == [], "another process holds the lease"
        await eventually(nothing_pending)  # tried again every LEFT_SECONDS until the lease ran out
        assert listener.events == [("ORDER_NOTE_ADDED", "Cek alamat")]
