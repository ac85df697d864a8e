"""Domain events, written to an outbox table in the same transaction as the change they describe.

Writing them in the same transaction means an event exists if and only if its change does. Each event that a
subscriber listens to gets a delivery row (`EventDelivery`) in that same transaction too, so nothing committed
can be missed by a dispatcher reading rows in another order than they were committed; `core.outbox` delivers
those rows after the commit, at least once, in order per object, each subscriber on its own.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from tortoise import fields
from tortoise.models import Model

from core import event_subscriptions
from core.catalog import freshness
from core.webhooks.models import Webhook, active, listening, subscriber_name

# Set by `webhooks_read_once`: the brand's webhooks, read once for the many events of one operation.
_webhooks: ContextVar[dict[int, list[Webhook]] | None] = ContextVar("lini_event_webhooks", default=None)

# Set by `webhooks_read_once` once the workers were told of webhook rows in that operation.
_webhooks_asked: ContextVar[bool] = ContextVar("lini_event_webhooks_asked", default=False)
OUTBOX_CHANNEL = "lini_outbox"  # PostgreSQL LISTEN/NOTIFY channel: "webhook deliveries were committed"

# Which hook hears which events, by type prefix (core.orders.events, core.garments.production_events,
# core.actors.tailors).
STREAMS = {"ORDER_": "order_event", "PRODUCTION_": "production_event", "tailor.": "tailor_event"}


class Event(Model):
    id = fields.BigIntField(primary_key=True)
    type = fields.CharField(max_length=100, db_index=True)
    brand_id = fields.BigIntField(null=True, db_index=True)
    payload: fields.Field[dict[str, Any]] = fields.JSONField(default=dict)
    created_at = fields.DatetimeField(auto_now_add=True)
    # Kept for databases migrated before per-subscriber deliveries (0010): no longer written.
    delivered_at = fields.DatetimeField(null=True)

    class Meta:
        table = "event"


class DeliveryStatus(StrEnum):
    PENDING = "PENDING"
    DELIVERED = "DELIVERED"
    FAILED = "FAILED"  # gave up after the last attempt: the dead letter, listed by `server.py events --failed`


class EventDelivery(Model):
    """One event for one subscriber: a hook ("order_event"), one plugin's implementation of it
    ("order_event:stripe") once that plugin failed on something, or (later) a brand's webhook."""

    id = fields.BigIntField(primary_key=True)
    event: fields.ForeignKeyRelation[Event] = fields.ForeignKeyField(
        "lini.Event", related_name="deliveries", on_delete=fields.CASCADE
    )
    event_id: int
    subscriber = fields.CharField(max_length=200)
    # Deliveries of one object (an order, a production job) reach a subscriber in order: a later one waits while
    # an earlier one is being retried. Empty: no order to keep.
    object_key = fields.CharField(max_length=100, default="")
    status = fields.CharEnumField(DeliveryStatus, max_length=20, default=DeliveryStatus.PENDING)
    attempts = fields.IntField(default=0)
    next_attempt_at = fields.DatetimeField()
    last_error = fields.TextField(default="")
    delivered_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    # a webhook's last answer (status, the start of its body, how long it took), for the delivery log
    response_status = fields.IntField(null=True)
    response_body = fields.TextField(default="")
    duration_ms = fields.IntField(null=True)

    class Meta:
        table = "event_delivery"
        unique_together = (("event", "subscriber"),)
        indexes = (("status", "next_attempt_at"), ("subscriber", "status", "id"))


class EventSubscriber(Model):
    """A subscriber's lease: the one dispatcher, of all processes, that delivers its rows until `leased_until`.
    A dispatcher that dies (SIGKILL) loses its lease when the time passes, and another takes over."""

    id = fields.BigIntField(primary_key=True)
    name = fields.CharField(max_length=200, unique=True)
    leased_until = fields.DatetimeField(null=True)
    leased_by = fields.CharField(max_length=100, default="")

    class Meta:
        table = "event_subscriber"


@contextmanager
def webhooks_read_once() -> Iterator[None]:
    """Within this block (one transaction writing many events, e.g. a bulk import), each brand's webhooks are
    read once instead of once per event; a webhook saved meanwhile gets the events of later operations."""
    token, asked = _webhooks.set({}), _webhooks_asked.set(False)
    try:
        yield
    finally:
        _webhooks_asked.reset(asked)
        _webhooks.reset(token)


async def _brand_webhooks(brand_id: int) -> list[Webhook]:
    memo = _webhooks.get()
    if memo is None:
        return await active(brand_id)
    if brand_id not in memo:
        memo[brand_id] = await active(brand_id)
    return memo[brand_id]


def stream_hook(type: str) -> str | None:
    """The hook an event type is delivered to, if any."""
    for prefix, hook in STREAMS.items():
        if type.startswith(prefix):
            return hook
    return None


def default_object_key(type: str, payload: dict[str, Any]) -> str:
    """The object an event is about when its emitter did not say: "product.updated" with a `product_id` is
    about "product:<id>", so a receiver gets each product's events in order without every emit naming it."""
    noun = type.partition(".")[0]
    value = payload.get(f"{noun}_id")
    return f"{noun}:{value}" if isinstance(value, int | str) and value != "" else ""


async def emit(type: str, payload: dict[str, Any], *, brand_id: int | None = None, object_key: str = "") -> Event:
    """Record an event, and its deliveries; call inside the service's transaction. `object_key` names the object
    it is about ("order:12") when its subscribers must hear of that object's events in order; by default it is
    taken from the payload's `<noun>_id` (`default_object_key`)."""
    object_key = object_key or default_object_key(type, payload)
    event = await Event.create(type=type, payload=payload, brand_id=brand_id)
    now = datetime.now(UTC)
    subscribers = [hook] if (hook := stream_hook(type)) is not None else []
    subscribers += event_subscriptions.subscribers(type)
    receivers = []
    if brand_id is not None:
        receivers = [subscriber_name(webhook.id) for webhook in listening(await _brand_webhooks(brand_id), type)]
        subscribers += receivers
    if subscribers:
        await EventDelivery.bulk_create(
            [
                EventDelivery(event=event, subscriber=name, object_key=object_key, next_attempt_at=now)
                for name in subscribers
            ]
        )
    if receivers:
        await _post_soon()
    await freshness.changed(type, brand_id)  # the one place catalog changes are seen (the response cache)
    return event


async def _post_soon() -> None:
    """PostgreSQL: tell the workers, at this transaction's commit, that webhooks have rows to post (`NOTIFY`
    is sent on commit only, and not at all on rollback), so delivery follows the commit within milliseconds
    rather than at the next sweep. One notice per operation is enough: the dispatcher reads every due row.
    SQLite leaves it to the sweep of its in-process worker."""
    connection = Event._meta.db
    if connection.capabilities.dialect != "postgres" or _webhooks_asked.get():
        return
    await connection.execute_query("SELECT pg_notify($1, '')", [OUTBOX_CHANNEL])
    if _webhooks.get() is not None:
        _webhooks_asked.set(True)
