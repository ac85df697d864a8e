"""What brand staff do with webhooks (permission MANAGE_APPS, on the webhook's own brand), and the deliveries
they may read and send again. Another brand's webhook is refused exactly like a missing one."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from tortoise.transactions import in_transaction

from core import outbox
from core.actors.models import Brand
from core.auth.permissions import Permission
from core.context import Actor
from core.errors import DomainError
from core.event_types import EventType, registry
from core.events import DeliveryStatus, EventDelivery, emit
from core.pagination import Page, PageRequest, paginate
from core.settings import Settings
from core.webhooks import addresses, signing
from core.webhooks.models import Webhook, subscriber_name, webhook_id_of

MAX_EVENTS = 200
MAX_NAME = 100
MAX_SECRET = 200
MIN_SECRET = 16


async def _checked(data: Mapping[str, Any], settings: Settings, types: Mapping[str, EventType]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    if "url" in data:
        values["url"] = addresses.checked_url(str(data["url"]), settings)
        await addresses.check_resolves(values["url"], settings)
    if "events" in data:
        events = [str(e).strip() for e in data["events"] or []]
        if not events:
            raise DomainError("REQUIRED", "Name at least one event type, or '*' for all.", "events")
        if len(events) > MAX_EVENTS:
            raise DomainError("TOO_MANY_VALUES", f"Name at most {MAX_EVENTS} event types.", "events")
        unknown = sorted({e for e in events if e != "*" and e not in types})
        if unknown:
            raise DomainError("UNKNOWN_EVENT_TYPE", f"No such event type: {', '.join(unknown[:5])}.", "events")
        values["events"] = sorted(set(events))
    if "name" in data:
        name = str(data["name"] or "").strip()
        if len(name) > MAX_NAME:
            raise DomainError("TEXT_TOO_LONG", f"Use at most {MAX_NAME} characters.", "name")
        values["name"] = name
    if "secret" in data and data["secret"] is not None:
        secret = str(data["secret"])
        if not MIN_SECRET <= len(secret) <= MAX_SECRET or not secret.isprintable():
            raise DomainError(
                "INVALID_SECRET",
                f"Use {MIN_SECRET} to {MAX_SECRET} printable characters, or let Lini make one.",
                "secret",
            )
        values["secret"] = secret
    if "is_active" in data and data["is_active"] is not None:
        values["is_active"] = bool(data["is_active"])
    return values


async def create(
    actor: Actor, brand: Brand, data: Mapping[str, Any], *, settings: Settings, extra_types: Iterable[EventType] = ()
) -> Webhook:
    actor.require(brand.id, Permission.MANAGE_APPS)
    values = await _checked({"events": data.get("events"), **data}, settings, registry(tuple(extra_types)))
    async with in_transaction():
        await Brand.select_for_update().get(id=brand.id)  # one count at a time per brand, so the limit holds
        if await Webhook.filter(brand_id=brand.id).count() >= settings.webhooks.max_per_brand:
            raise DomainError(
                "LIMIT_REACHED", f"A brand may have at most {settings.webhooks.max_per_brand} webhooks.", "url"
            )
        webhook = await Webhook.create(
            brand_id=brand.id, secret=values.pop("secret", None) or signing.new_secret(), **values
        )
        await emit("webhook.created", {"webhook_id": webhook.id, "url": webhook.url}, brand_id=brand.id)
    return webhook


async def update(
    actor: Actor, webhook_id: int, data: Mapping[str, Any], *, settings: Settings, extra_types: Iterable[EventType] = ()
) -> Webhook:
    webhook = await _load(actor, webhook_id)
    values = await _checked(data, settings, registry(tuple(extra_types)))
    if data.get("rotate_secret"):
        values["secret"] = signing.new_secret()
    if values:
        async with in_transaction():
            await Webhook.filter(id=webhook.id).update(**values, updated_at=datetime.now(UTC))
            await emit(
                "webhook.updated", {"webhook_id": webhook.id, "fields": sorted(values)}, brand_id=webhook.brand_id
            )
    return await Webhook.get(id=webhook.id)


async def delete(actor: Actor, webhook_id: int) -> Webhook:
    """Its undelivered events are dropped with it; delivered ones stay in the log of the events."""
    webhook = await _load(actor, webhook_id)
    async with in_transaction():
        await EventDelivery.filter(subscriber=subscriber_name(webhook.id), status=DeliveryStatus.PENDING).delete()
        await Webhook.filter(id=webhook.id).delete()
        await emit("webhook.deleted", {"webhook_id": webhook.id, "url": webhook.url}, brand_id=webhook.brand_id)
    return webhook


async def page(actor: Actor, brand: Brand, request: PageRequest, *, default_size: int, max_size: int) -> Page[Webhook]:
    actor.require(brand.id, Permission.MANAGE_APPS)
    return await paginate(
        Webhook.filter(brand_id=brand.id),
        request,
        order=("-id",),
        key="webhooks:newest",
        default_size=default_size,
        max_size=max_size,
    )


async def deliveries(
    actor: Actor,
    webhook_id: int,
    request: PageRequest,
    *,
    status: DeliveryStatus | None = None,
    default_size: int,
    max_size: int,
) -> Page[EventDelivery]:
    """The webhook's delivery log, newest first."""
    webhook = await _load(actor, webhook_id)
    query = EventDelivery.filter(subscriber=subscriber_name(webhook.id))
    if status is not None:
        query = query.filter(status=status)
    return await paginate(
        query.prefetch_related("event"),
        request,
        order=("-id",),
        key=f"webhook-deliveries:{webhook.id}",
        default_size=default_size,
        max_size=max_size,
    )


async def redeliver(actor: Actor, delivery_id: int) -> EventDelivery:
    """Send a delivery again (a failed one, or a delivered one the receiver lost): due now, attempts afresh."""
    row = await EventDelivery.get_or_none(id=delivery_id)
    webhook_id = webhook_id_of(row.subscriber) if row is not None else None
    await _load(actor, -1 if webhook_id is None else webhook_id, field="deliveryId")
    await outbox.redeliver([delivery_id], only_failed=False)
    return await EventDelivery.get(id=delivery_id).prefetch_related("event")


async def _load(actor: Actor, webhook_id: int, *, field: str = "id") -> Webhook:
    webhook = await Webhook.get_or_none(id=webhook_id)
    actor.require(webhook.brand_id if webhook else -1, Permission.MANAGE_APPS)
    if webhook is None:  # only a system actor gets here
        raise DomainError("NOT_FOUND", "There is no such webhook.", field)
    return webhook
