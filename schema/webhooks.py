"""Brands' webhooks over GraphQL (permission MANAGE_APPS): `webhooks`, `webhookDeliveries`, `webhookEventTypes`,
`webhookCreate`, `webhookUpdate`, `webhookDelete`, `webhookRedeliver`. The signing secret is shown once, when it
is made (create, or update with `rotateSecret`); how to verify it is in docs/webhooks.md."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry
from strawberry import relay
from strawberry.types import Info

from core.actors import brands
from core.auth.permissions import Permission
from core.event_types import EventType as EventTypeRecord
from core.event_types import registry
from core.events import DeliveryStatus, EventDelivery
from core.pagination import PageRequest
from core.webhooks import services
from core.webhooks.models import SUBSCRIBER, webhook_id_of
from core.webhooks.models import Webhook as WebhookModel
from schema.arguments import BrandSlug
from schema.enums import described_enum
from schema.errors import UserError, attempt
from schema.permissions import PUBLIC, BrandPermission, guard
from schema.relay import After, Connection, First, connection, decode_id

MANAGE_APPS = BrandPermission(Permission.MANAGE_APPS)

WebhookDeliveryStatus = described_enum(
    DeliveryStatus,
    name="WebhookDeliveryStatus",
    description="Where one event's delivery to one webhook stands.",
    values={
        "PENDING": "Waiting to be posted, or resting before a retry (see `nextAttemptAt`).",
        "DELIVERED": "The receiver answered with a 2xx status.",
        "FAILED": "Given up after the last attempt; send it again with `webhookRedeliver`.",
    },
)


def _types(info: Info) -> dict[str, EventTypeRecord]:
    return registry(tuple(info.context.host.collect("event_types")))


@strawberry.type(description="A type of event a webhook may listen to.")
class WebhookEventType:
    name: str = strawberry.field(description="As in `events` of webhookCreate, e.g. ORDER_PAID or product.updated.")
    object: str = strawberry.field(description="What the payload's `data` describes.")
    description: str = strawberry.field(description="When the event is emitted, in a sentence.")


@strawberry.type(description="Where a brand's events are posted, signed (Lini-Signature) with the webhook's secret.")
class Webhook(relay.Node):
    id: relay.NodeID[int]
    name: str = strawberry.field(description="A label for the brand's staff; may be empty.")
    url: str = strawberry.field(description="Where events are posted (an absolute http(s) URL).")
    events: list[str] = strawberry.field(description="The event types it receives; `*` for all of the brand's.")
    is_active: bool = strawberry.field(description="Switched off, it receives nothing (nothing is queued for it).")
    created_at: datetime = strawberry.field(description="When it was added (ISO 8601 with offset).")
    updated_at: datetime = strawberry.field(description="When it last changed (ISO 8601 with offset).")

    @classmethod
    def of(cls, row: WebhookModel) -> Webhook:
        return cls(
            id=row.id,
            name=row.name,
            url=row.url,
            events=list(row.events),
            is_active=row.is_active,
            created_at=row.created_at,
            updated_at=row.updated_at,
        )

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: list[str], required: bool = False) -> list[Webhook | None]:
        actor = await info.context.actor()
        ids = [int(i) for i in node_ids if i.isdigit()]
        rows = {
            w.id: cls.of(w)
            for w in await WebhookModel.filter(id__in=ids)
            if actor.can(w.brand_id, Permission.MANAGE_APPS)
        }
        return [rows.get(int(i)) if i.isdigit() else None for i in node_ids]


@strawberry.type(description="One event posted (or to be posted) to one webhook, with the receiver's last answer.")
class WebhookDelivery(relay.Node):
    id: relay.NodeID[int]
    event_id: str = strawberry.field(description="The Lini-Event-Id header: the same on every retry.")
    event_type: str = strawberry.field(description="The event's type, e.g. order.paid.")
    status: WebhookDeliveryStatus = strawberry.field(  # type: ignore[valid-type]
        description="Where the delivery stands."
    )
    attempts: int = strawberry.field(description="How many times it has been posted so far (redelivery resets it).")
    next_attempt_at: datetime | None = strawberry.field(
        description="When it is tried next (ISO 8601 with offset), while PENDING; null otherwise."
    )
    last_error: str = strawberry.field(description="Why the last attempt failed; empty after a success.")
    response_status: int | None = strawberry.field(
        description="The HTTP status of the last answer; null if none came (e.g. a timeout) or not tried yet."
    )
    response_body: str = strawberry.field(description="The start (2,000 characters) of the last answer's body.")
    duration_ms: int | None = strawberry.field(
        description="How long the last attempt took, in milliseconds; null if not tried yet."
    )
    delivered_at: datetime | None = strawberry.field(
        description="When the receiver accepted it (ISO 8601 with offset); null until DELIVERED."
    )
    created_at: datetime = strawberry.field(description="When the event was queued for this webhook.")

    @classmethod
    def of(cls, row: EventDelivery) -> WebhookDelivery:
        return cls(
            id=row.id,
            event_id=str(row.event_id),
            event_type=row.event.type,
            status=DeliveryStatus(row.status),
            attempts=row.attempts,
            next_attempt_at=row.next_attempt_at if row.status == DeliveryStatus.PENDING else None,
            last_error=row.last_error,
            response_status=row.response_status,
            response_body=row.response_body,
            duration_ms=row.duration_ms,
            delivered_at=row.delivered_at,
            created_at=row.created_at,
        )

    @classmethod
    async def resolve_nodes(
        cls, *, info: Info, node_ids: list[str], required: bool = False
    ) -> list[WebhookDelivery | None]:
        actor = await info.context.actor()
        ids = [int(i) for i in node_ids if i.isdigit()]
        rows = await EventDelivery.filter(id__in=ids, subscriber__startswith=SUBSCRIBER).prefetch_related("event")
        owners = {r.id: webhook_id_of(r.subscriber) for r in rows}
        brands = {w.id: w.brand_id for w in await WebhookModel.filter(id__in=[o for o in owners.values() if o])}
        found = {r.id: cls.of(r) for r in rows if actor.can(brands.get(owners[r.id] or -1, -1), Permission.MANAGE_APPS)}
        return [found.get(int(i)) if i.isdigit() else None for i in node_ids]


URL_RULES = (
    "An absolute http(s) URL of at most 2,000 characters without credentials (errors `INVALID_URL`, "
    "`URL_TOO_LONG`); https in production (`INSECURE_URL`); its host must resolve (`UNRESOLVABLE_URL`) to "
    "public addresses only (`PRIVATE_ADDRESS`)."
)
EVENT_RULES = (
    "1–200 event types (see `webhookEventTypes`), or ['*'] for all. Errors `REQUIRED`, `TOO_MANY_VALUES`, "
    "`UNKNOWN_EVENT_TYPE`."
)


@strawberry.input(
    description="A new webhook for the brand (at most 100 per brand unless configured: error `LIMIT_REACHED`)."
)
class WebhookCreateInput:
    url: str = strawberry.field(description=URL_RULES)
    events: list[str] = strawberry.field(description=EVENT_RULES)
    name: str = strawberry.field(default="", description="Up to 100 characters. Error `TEXT_TOO_LONG`.")
    secret: str | None = strawberry.field(
        default=None,
        description="16–200 printable characters (error `INVALID_SECRET`); left out, Lini makes one (shown once, "
        "in the payload).",
    )
    is_active: bool = strawberry.field(default=True, description="false: created switched off.")


@strawberry.input(description="Only what is given changes.")
class WebhookUpdateInput:
    url: str | None = strawberry.field(default=None, description=URL_RULES)
    events: list[str] | None = strawberry.field(default=None, description=f"The whole new list. {EVENT_RULES}")
    name: str | None = strawberry.field(default=None, description="Up to 100 characters. Error `TEXT_TOO_LONG`.")
    is_active: bool | None = strawberry.field(
        default=None, description="Switch it on or off; while off nothing is queued for it."
    )
    rotate_secret: bool = strawberry.field(
        default=False, description="Make a new secret (shown once, in the payload); the old one stops at once."
    )


@strawberry.type(description="The result of a webhook mutation.")
class WebhookPayload:
    webhook: Webhook | None = strawberry.field(
        default=None, description="The webhook as it is now (as it was, after `webhookDelete`); null on errors."
    )
    secret: str | None = strawberry.field(
        default=None, description="The signing secret, only when it was just made: keep it, it is not shown again."
    )
    errors: list[UserError] = strawberry.field(
        default_factory=list, description="What was wrong with the input; empty on success."
    )


@strawberry.type(description="The result of `webhookRedeliver`.")
class WebhookRedeliverPayload:
    delivery: WebhookDelivery | None = strawberry.field(
        default=None, description="The delivery, PENDING again with its attempts reset; null on errors."
    )
    errors: list[UserError] = strawberry.field(
        default_factory=list, description="What was wrong with the input; empty on success."
    )


@strawberry.type
class WebhookQuery:
    @strawberry.field(**guard("The brand's webhooks, newest first.", MANAGE_APPS))
    async def webhooks(
        self, info: Info, brand: BrandSlug = None, first: First = None, after: After = None
    ) -> Connection[Webhook]:
        actor = await info.context.actor()
        found = await brands.managed_brand(actor, await info.context.brand_slug(brand), Permission.MANAGE_APPS)
        limits = info.context.settings.graphql
        page = await services.page(
            actor,
            found,
            PageRequest(first=first, after=after),
            default_size=limits.default_page_size,
            max_size=limits.max_page_size,
        )
        return connection(page, Webhook.of)

    @strawberry.field(
        **guard(
            "A webhook's delivery log, newest first. Another brand's ID or an unknown one: error `FORBIDDEN`.",
            MANAGE_APPS,
        )
    )
    async def webhook_deliveries(
        self,
        info: Info,
        webhook_id: Annotated[relay.GlobalID, strawberry.argument(description="The webhook's ID.")],
        status: Annotated[
            WebhookDeliveryStatus | None,  # type: ignore[valid-type]
            strawberry.argument(description="Only deliveries in this status; null for all."),
        ] = None,
        first: First = None,
        after: After = None,
    ) -> Connection[WebhookDelivery]:
        actor = await info.context.actor()
        limits = info.context.settings.graphql
        page = await services.deliveries(
            actor,
            decode_id(webhook_id, "Webhook"),
            PageRequest(first=first, after=after),
            status=status,
            default_size=limits.default_page_size,
            max_size=limits.max_page_size,
        )
        return connection(page, WebhookDelivery.of)

    @strawberry.field(**guard("Every event type a webhook may listen to (core's and the plugins').", PUBLIC))
    def webhook_event_types(self, info: Info) -> list[WebhookEventType]:
        return [
            WebhookEventType(name=t.name, object=t.object, description=t.description) for t in _types(info).values()
        ]


@strawberry.type
class WebhookMutation:
    @strawberry.mutation(
        **guard("Add a webhook: the brand's events of the given types are posted to its URL.", MANAGE_APPS)
    )
    async def webhook_create(
        self,
        info: Info,
        input: Annotated[WebhookCreateInput, strawberry.argument(description="The webhook.")],
        brand: BrandSlug = None,
    ) -> WebhookPayload:
        actor = await info.context.actor()

        async def run() -> WebhookModel:
            found = await brands.managed_brand(actor, await info.context.brand_slug(brand), Permission.MANAGE_APPS)
            data = {"url": input.url, "events": input.events, "name": input.name, "is_active": input.is_active}
            if input.secret is not None:
                data["secret"] = input.secret
            return await services.create(
                actor, found, data, settings=info.context.settings, extra_types=_types(info).values()
            )

        row, errors = await attempt(run)
        return WebhookPayload(
            webhook=Webhook.of(row) if row else None, secret=row.secret if row else None, errors=errors
        )

    @strawberry.mutation(
        **guard(
            "Change a webhook (URL, events, name, on/off) or rotate its secret. "
            "Another brand's ID or an unknown one: error `FORBIDDEN`.",
            MANAGE_APPS,
        )
    )
    async def webhook_update(
        self,
        info: Info,
        id: Annotated[relay.GlobalID, strawberry.argument(description="The webhook's ID.")],
        input: Annotated[WebhookUpdateInput, strawberry.argument(description="The changes.")],
    ) -> WebhookPayload:
        actor = await info.context.actor()
        data = {
            key: value
            for key, value in {
                "url": input.url,
                "events": input.events,
                "name": input.name,
                "is_active": input.is_active,
            }.items()
            if value is not None
        }
        data["rotate_secret"] = input.rotate_secret

        async def run() -> WebhookModel:
            return await services.update(
                actor, decode_id(id, "Webhook"), data, settings=info.context.settings, extra_types=_types(info).values()
            )

        row, errors = await attempt(run)
        secret = row.secret if row is not None and input.rotate_secret else None
        return WebhookPayload(webhook=Webhook.of(row) if row else None, secret=secret, errors=errors)

    @strawberry.mutation(
        **guard(
            "Remove a webhook; what it had not yet received is dropped. "
            "Another brand's ID or an unknown one: error `FORBIDDEN`.",
            MANAGE_APPS,
        )
    )
    async def webhook_delete(
        self, info: Info, id: Annotated[relay.GlobalID, strawberry.argument(description="The webhook's ID.")]
    ) -> WebhookPayload:
        actor = await info.context.actor()
        row, errors = await attempt(lambda: services.delete(actor, decode_id(id, "Webhook")))
        return WebhookPayload(webhook=Webhook.of(row) if row else None, errors=errors)

    @strawberry.mutation(
        **guard(
            "Post a delivery again (failed, or lost by the receiver), as soon as possible. "
            "Another brand's ID or an unknown one: error `FORBIDDEN`.",
            MANAGE_APPS,
        )
    )
    async def webhook_redeliver(
        self,
        info: Info,
        delivery_id: Annotated[
            relay.GlobalID, strawberry.argument(description="The delivery's ID, from `webhookDeliveries`.")
        ],
    ) -> WebhookRedeliverPayload:
        actor = await info.context.actor()
        row, errors = await attempt(lambda: services.redeliver(actor, decode_id(delivery_id, "WebhookDelivery")))
        return WebhookRedeliverPayload(delivery=WebhookDelivery.of(row) if row else None, errors=errors)


QUERIES = (WebhookQuery,)
MUTATIONS = (WebhookMutation,)
TYPES = (Webhook, WebhookDelivery)
