"""Brands' webhooks through GraphQL, delivered to a real HTTP receiver on loopback: signed, retried with backoff
until the receiver recovers, each event once in effect and in order per order; typed errors for bad input."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pytest

from core import outbox
from core.errors import DomainError
from core.events import DeliveryStatus, EventDelivery
from core.settings import Settings
from core.webhooks import addresses, signing
from core.webhooks.models import Webhook
from tests.factories import make_brand, make_order, make_staff

CREATE = """mutation($input: WebhookCreateInput!) { webhookCreate(input: $input) {
  webhook { id url events isActive } secret errors { field code message } } }"""
UPDATE = """mutation($id: ID!, $input: WebhookUpdateInput!) { webhookUpdate(id: $id, input: $input) {
  webhook { id url events isActive } secret errors { field code } } }"""
DELETE = "mutation($id: ID!) { webhookDelete(id: $id) { webhook { id } errors { field code } } }"
LIST = "{ webhooks { edges { node { id url events } } } }"
DELIVERIES = """query($id: ID!, $status: WebhookDeliveryStatus) { webhookDeliveries(webhookId: $id, status: $status) {
  edges { node { id eventId eventType status attempts responseStatus responseBody lastError } } } }"""
REDELIVER = "mutation($id: ID!) { webhookRedeliver(deliveryId: $id) { delivery { status attempts } errors { code } } }"
NOTE = "mutation($id: ID!, $m: String!) { orderNoteAdd(id: $id, message: $m) { errors { code } } }"


def gid(kind: str, id: int) -> str:
    return base64.b64encode(f"{kind}:{id}".encode()).decode()


@pytest.fixture
def settings(settings: Settings) -> Settings:
    # the receiver is on loopback, which a webhook may reach only when the platform allows it
    webhooks = settings.webhooks.model_copy(update={"allow_private_addresses": True, "timeout_seconds": 1.0})
    return settings.model_copy(update={"webhooks": webhooks})


@dataclass
class Receiver:
    """A real HTTP server: answers 500 to the first `failures` posts, then 200 (or hangs, with `hang`)."""

    failures: int = 0
    hang: bool = False
    received: list[tuple[dict[str, str], bytes]] = field(default_factory=list)
    port: int = 0
    writers: list[asyncio.StreamWriter] = field(default_factory=list)

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.writers.append(writer)
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:] if line)}
        body = await reader.readexactly(int(headers.get("content-length", "0")))
        if self.hang:
            await asyncio.sleep(3)
        self.received.append((headers, body))
        status = b"500 Internal Server Error" if self.failures > 0 else b"200 OK"
        self.failures -= 1
        answer = b"down for maintenance" if status.startswith(b"500") else b"ok"
        writer.write(b"HTTP/1.1 " + status + b"\r\nContent-Length: %d\r\nConnection: close\r\n\r\n" % len(answer))
        writer.write(answer)
        with contextlib.suppress(ConnectionError):  # a hanging answer whose client gave up (the timeout under test)
            await writer.drain()
        writer.close()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks/lini"


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    receiver = Receiver()
    server = await asyncio.start_server(receiver.handle, "127.0.0.1", 0)
    receiver.port = server.sockets[0].getsockname()[1]
    async with server:
        yield receiver
        for writer in receiver.writers:  # a hanging answer's connection too
            writer.close()
        await asyncio.sleep(0)


async def staff(gql: Any, slug: str = "sekar") -> Any:
    brand = await make_brand(slug)
    gql.storefront, gql.token = slug, (await make_staff(brand))[1]
    return brand


async def _deliver_until_quiet(host: Any, rounds: int = 20) -> None:
    """Run the sweep as the worker would, each retry made due at once (the backoff is tested in test_outbox)."""
    for _ in range(rounds):
        await outbox.dispatch(host)
        if not await EventDelivery.filter(status=DeliveryStatus.PENDING, subscriber__startswith="webhook:").exists():
            return
        await EventDelivery.filter(status=DeliveryStatus.PENDING).update(next_attempt_at=datetime.now(UTC))


async def test_a_receiver_that_fails_five_times_gets_every_event_once_in_order(gql, app, receiver):
    brand = await staff(gql)
    created = (await gql(CREATE, {"input": {"url": receiver.url, "events": ["ORDER_NOTE_ADDED", "ORDER_CANCELLED"]}}))[
        "webhookCreate"
    ]
    assert created["errors"] == [] and created["secret"].startswith("whsec_")
    secret, webhook_id = created["secret"], created["webhook"]["id"]
    first, second = await make_order(brand), await make_order(brand)
    for order, message in ((first, "Cek alamat"), (second, "Bungkus kado"), (first, "Telepon dulu")):
        assert (await gql(NOTE, {"id": gid("Order", order.id), "m": message}))["orderNoteAdd"]["errors"] == []
    assert receiver.received == [], "a request never waits on a brand's receiver: the sweep posts"
    receiver.failures = 5
    await _deliver_until_quiet(app.state.plugins)

    ok = receiver.received[5:]
    envelopes = [json.loads(body) for _, body in ok]
    assert len(receiver.received) == 5 + 3, "the second order's event went on while the first's was retried"
    assert sorted((e["type"], e["data"]["order"]["id"]) for e in envelopes) == sorted(
        [("ORDER_NOTE_ADDED", first.id), ("ORDER_NOTE_ADDED", second.id), ("ORDER_NOTE_ADDED", first.id)]
    )
    ids = [e["id"] for e in envelopes]
    assert len(set(ids)) == 3, "each event once in effect"
    first_events = [e["id"] for e in envelopes if e["data"]["order"]["id"] == first.id]
    assert first_events == sorted(first_events, key=int), "in order per order"
    retried = {h["lini-event-id"] for h, _ in receiver.received[:5]}
    assert retried <= set(ids), "a retry carries the same Lini-Event-Id"
    for headers, body in ok:
        assert headers["lini-event-id"] == json.loads(body)["id"]
        assert signing.verify(secret, headers["lini-signature"], body, int(time.time()))
        assert not signing.verify(secret, headers["lini-signature"], body.replace(b"ORDER", b"OXDER"), int(time.time()))
    envelope = envelopes[0]
    assert set(envelope) == {"id", "type", "version", "createdAt", "brand", "data"}
    assert (envelope["brand"], envelope["version"]) == ("sekar", 1)
    # the delivery log shows the answers, and a delivery can be sent again
    log = (await gql(DELIVERIES, {"id": webhook_id}))["webhookDeliveries"]["edges"]
    assert [n["node"]["status"] for n in log] == ["DELIVERED"] * 3
    assert sorted(n["node"]["attempts"] for n in log)[-1] >= 2 and log[0]["node"]["responseStatus"] == 200
    again = (await gql(REDELIVER, {"id": log[0]["node"]["id"]}))["webhookRedeliver"]
    assert again == {"delivery": {"status": "PENDING", "attempts": 0}, "errors": []}
    await _deliver_until_quiet(app.state.plugins)
    assert json.loads(receiver.received[-1][1])["id"] == log[0]["node"]["eventId"]


async def test_a_receiver_that_hangs_fails_the_attempt_and_loses_nothing_once_it_recovers(gql, app, receiver):
    brand = await staff(gql)
    webhook_id = (await gql(CREATE, {"input": {"url": receiver.url, "events": ["*"]}}))["webhookCreate"]["webhook"][
        "id"
    ]
    receiver.hang = True
    order = await make_order(brand)
    await gql(NOTE, {"id": gid("Order", order.id), "m": "Cek"})
    await outbox.dispatch(app.state.plugins)
    [row] = (await gql(DELIVERIES, {"id": webhook_id, "status": "PENDING"}))["webhookDeliveries"]["edges"]
    assert row["node"]["attempts"] == 1 and "no answer within 1 s" in row["node"]["lastError"]
    hung_event = (await EventDelivery.get(subscriber__startswith="webhook:")).event_id
    await gql(NOTE, {"id": gid("Order", order.id), "m": "Cek lagi"})  # meanwhile: waits behind the first
    await outbox.dispatch(app.state.plugins)
    assert len(receiver.writers) == 1  # not posted: the order's earlier event is resting before its retry
    receiver.hang = False  # the receiver recovers: both events arrive, in order, each once
    await _deliver_until_quiet(app.state.plugins)
    ids = [int(headers["lini-event-id"]) for headers, _ in receiver.received]
    assert len(ids) == 2 and ids[0] == hung_event and ids[1] > hung_event
    delivered = (await gql(DELIVERIES, {"id": webhook_id, "status": "DELIVERED"}))["webhookDeliveries"]["edges"]
    assert len(delivered) == 2


@pytest.mark.parametrize(
    ("input", "code"),
    [
        ({"url": "http://127.0.0.1:9/x", "events": ["ORDER_PAID"]}, None),  # allowed here: see the next test
        ({"url": "ftp://example.com/x", "events": ["ORDER_PAID"]}, "INVALID_URL"),
        ({"url": "https://user:pw@example.com/x", "events": ["ORDER_PAID"]}, "INVALID_URL"),
        # read as 127.0.0.1 by a WHATWG parser and as example.com by urlsplit: one host for every reader, or none
        ({"url": "http://127.0.0.1\\@example.com/x", "events": ["ORDER_PAID"]}, "INVALID_URL"),
        ({"url": "http://0x7f.1/x", "events": ["ORDER_PAID"]}, "INVALID_URL"),
        ({"url": "https://example.com:99999/x", "events": ["ORDER_PAID"]}, "INVALID_URL"),
        ({"url": "https://example.com/x", "events": ["ORDER_TELEPORTED"]}, "UNKNOWN_EVENT_TYPE"),
        ({"url": "https://example.com/x", "events": []}, "REQUIRED"),
        ({"url": "https://example.com/x", "events": ["ORDER_PAID"], "secret": "short"}, "INVALID_SECRET"),
        ({"url": "https://example.com/" + "x" * 2000, "events": ["ORDER_PAID"]}, "URL_TOO_LONG"),
    ],
)
async def test_bad_webhooks_are_refused_and_nothing_is_written(gql, input, code):
    await staff(gql)
    payload = (await gql(CREATE, {"input": input}))["webhookCreate"]
    if code is None:
        assert payload["errors"] == []
        return
    assert [e["code"] for e in payload["errors"]] == [code] and payload["webhook"] is None
    assert not await Webhook.exists()


class TestOnAPlatformThatAllowsNoPrivateAddress:
    @pytest.fixture
    def settings(self, settings: Settings) -> Settings:
        webhooks = settings.webhooks.model_copy(update={"allow_private_addresses": False, "max_per_brand": 2})
        return settings.model_copy(update={"webhooks": webhooks})

    @pytest.mark.parametrize(
        "url",
        [
            "http://127.0.0.1/x",
            "http://localhost:8000/x",
            "http://10.1.2.3/x",
            "http://[::1]/x",
            "http://169.254.169.254/latest/meta-data",
            "http://0.0.0.0/x",
        ],
    )
    async def test_private_and_loopback_addresses_are_refused(self, gql, url):
        await staff(gql)
        [error] = (await gql(CREATE, {"input": {"url": url, "events": ["ORDER_PAID"]}}))["webhookCreate"]["errors"]
        assert error["code"] == "PRIVATE_ADDRESS"
        assert not await Webhook.exists()

    async def test_a_brand_has_at_most_its_limit_of_webhooks(self, gql):
        await staff(gql)
        for expected in ([], [], ["LIMIT_REACHED"]):
            payload = await gql(CREATE, {"input": {"url": "https://93.184.215.14/x", "events": ["*"]}})
            assert [e["code"] for e in payload["webhookCreate"]["errors"]] == expected
        assert await Webhook.all().count() == 2


def test_production_wants_https(settings: Settings) -> None:
    production = settings.model_copy(
        update={"server": settings.server.model_copy(update={"environment": "production"})}
    )
    with pytest.raises(DomainError) as refused:
        addresses.checked_url("http://example.com/hooks", production)
    assert refused.value.code == "INSECURE_URL"
    assert addresses.checked_url(" https://example.com/hooks ", production) == "https://example.com/hooks"


async def test_another_brands_staff_can_neither_see_nor_change_a_webhook(gql, app):
    await staff(gql, "sekar")
    created = (await gql(CREATE, {"input": {"url": "https://example.com/x", "events": ["*"]}}))["webhookCreate"]
    webhook_id = created["webhook"]["id"]
    koko = await make_brand("koko")
    other = {"token": (await make_staff(koko))[1], "storefront": "koko"}
    assert (await gql(LIST, **other))["webhooks"]["edges"] == []
    for query, variables in (
        (UPDATE, {"id": webhook_id, "input": {"url": "https://evil.example/x"}}),
        (DELETE, {"id": webhook_id}),
        (DELIVERIES, {"id": webhook_id}),
    ):
        error = await gql.error(query, variables, **other)
        assert error["extensions"]["code"] == "FORBIDDEN", query
    anonymous = await gql.error(LIST, token=None)
    assert anonymous["extensions"]["code"] == "UNAUTHENTICATED"
    assert (await Webhook.get()).url == "https://example.com/x"


async def test_the_secret_is_shown_once_and_rotates(gql):
    await staff(gql)
    created = await gql(CREATE, {"input": {"url": "https://example.com/x", "events": ["*"], "secret": "s" * 20}})
    webhook = created["webhookCreate"]["webhook"]
    assert created["webhookCreate"]["secret"] == "s" * 20
    renamed = (await gql(UPDATE, {"id": webhook["id"], "input": {"name": "ERP"}}))["webhookUpdate"]
    assert renamed["secret"] is None
    rotated = (await gql(UPDATE, {"id": webhook["id"], "input": {"rotateSecret": True}}))["webhookUpdate"]
    assert rotated["secret"].startswith("whsec_") and (await Webhook.get()).secret == rotated["secret"]
