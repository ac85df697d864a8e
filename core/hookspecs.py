"""THE plugin contract: every hook Lini calls, grouped by when it is called.

A plugin implements any subset of these with `@hookimpl` (import it, and everything else it uses, from
`lini.plugin`). A function named like a hook but spelt otherwise is refused at start-up, not ignored. Hooks are
plain functions; where a hook may do I/O its implementation may be `async def` or return an awaitable, and Lini
awaits the result (datasette's `await_me_maybe` pattern). No hook is pluggy `firstresult`: every implementation
is called, in pluggy's order, and the results are collected, so two plugins never fight over one slot. One
exception is made by hand: for `tax_lines` the first implementation returning a list wins.

A plugin may also declare a module-level pydantic model named `Settings`; its `[plugins.<name>]` table in
`settings.toml` is validated against it at start-up. Hooks that take `host` read it with `host.config(name)`.

A plugin that owns tables declares two module-level strings: `MODELS` (its tortoise models module, or a list of
them) and `MIGRATIONS` (its migrations package). They become a tortoise app named after the plugin, on Lini's
connection (foreign keys to `"lini.Brand"` work), migrated by `python server.py migrate` and checked at start-up;
`python server.py makemigrations <plugin>` writes its migrations (docs/plugins.md, "Tables of a plugin's own").
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import TYPE_CHECKING, Any, NotRequired, TypedDict

import pluggy

if TYPE_CHECKING:
    from procrastinate import Blueprint
    from starlette.applications import Starlette
    from starlette.routing import BaseRoute

    from core.actors.models import Brand
    from core.checkout.models import Checkout
    from core.checkout.totals import PricedLine
    from core.context import Actor
    from core.customs.landed import DutiableLine, LandedCost
    from core.errors import DomainError
    from core.event_types import EventType
    from core.feed_formats import CatalogFormat
    from core.garments.dispatch_strategies import DispatchStrategy
    from core.garments.quote import Adjustment, GarmentLine, PriceContext
    from core.money import Money
    from core.orders.models import Order
    from core.payments.gateways import PaymentGateway
    from core.plugins import PluginHost, SchemaExtension
    from core.shipping.providers import ShippingProvider
    from core.taxes.calculator import LineTax

PROJECT = "lini"
hookspec = pluggy.HookspecMarker(PROJECT)


class AmountPayload(TypedDict):
    amount: str  # a decimal string, never a float
    currency: str


class OrderSummary(TypedDict):
    id: int
    number: int
    status: str
    paymentStatus: str
    total: AmountPayload


class EventEnvelope(TypedDict):
    """What `handle_event` receives: one outbox event, as its subscribers see it."""

    id: int  # the outbox event id (key on it: delivery is at least once)
    type: str  # "product.updated", "webhook.delivery_failed", "ORDER_PAID", ... (core.event_types, plugins')
    brandId: int | None  # the brand it belongs to; None for platform events (tailors, suppliers)
    createdAt: str  # ISO 8601, UTC
    data: dict[str, Any]  # the event's payload, as docs/webhooks.md lists it


class OrderEvent(TypedDict):
    """What `order_event` receives: the outbox row's payload (`core.orders.events.order_changed`)."""

    id: NotRequired[int]  # the outbox event id (key on it: delivery is at least once)
    type: str  # ORDER_CREATED, ORDER_PAID, ...
    brand: str  # the brand's slug
    order: OrderSummary
    data: dict[str, Any]
    occurredAt: str  # ISO 8601


class JobSummary(TypedDict):
    id: int
    orderId: int
    orderNumber: int | None
    orderLineId: int
    garmentIndex: int
    garmentType: str
    stage: str
    tailorId: int | None
    readyBy: str | None
    remakeOf: int | None


class ProductionEvent(TypedDict):
    """What `production_event` receives (`core.garments.production_events`)."""

    id: NotRequired[int]  # the outbox event id
    type: str  # PRODUCTION_STAGE_CHANGED | PRODUCTION_QC_REPORTED
    brand: str | None
    job: JobSummary
    data: dict[str, Any]
    occurredAt: str


# --- start-up and shutdown ------------------------------------------------------------------------------


@hookspec
def startup(app: Starlette, host: PluginHost) -> Awaitable[None] | None:
    """Called once per process after the database is connected and before the first request.

    :param app: the Starlette application.
    :param host: the plugin host; `host.config(name)` returns a plugin's validated settings.
    :return: ignored; may be an awaitable, which is awaited. An exception stops the start.
    """


@hookspec
def shutdown(app: Starlette, host: PluginHost) -> Awaitable[None] | None:
    """Called once per process when the server stops, before the database connections close.

    :param app: the Starlette application.
    :param host: the plugin host.

    :return: ignored; may be an awaitable, which is awaited. Exceptions are logged, not raised.
    """


# --- background work -------------------------------------------------------------------------------------


@hookspec
def event_types(host: PluginHost) -> list[EventType]:
    """The types of the events the plugin writes with `emit`, so brands' webhooks can subscribe to them and
    docs list them (a webhook naming a type no one declares is refused).

    :param host: the plugin host.
    :return: a list of `EventType(name, description, object)`; a name core already has is refused at start.
    """


@hookspec
def event_subscriptions(host: PluginHost) -> list[str]:
    """The events the plugin's `handle_event` hears: type names ("product.updated"), a noun's every type
    ("product.*", "webhook.*") or "*". A name that is no event type, or a subscription without `handle_event`,
    stops the start with a PluginError. Read once per process (server and worker start-up).

    :param host: the plugin host.
    :return: a list of patterns; an empty list subscribes to nothing.
    """


@hookspec
def handle_event(event: EventEnvelope, host: PluginHost) -> Awaitable[None] | None:
    """Called after the commit of each event the plugin subscribed to (`event_subscriptions`), with the event.

    Each event gets a delivery row for this plugin in the transaction that wrote it, so none is missed; it is
    delivered at least once (key on `event["id"]`), each object's events in order ("product:12"'s before its
    later ones), by the job queue's workers. An exception retries this plugin alone, with backoff, up to the dead
    letter (`server.py events --failed`); it never undoes the change. May be `async def`.

    :param event: the event (`id`, `type`, `brandId`, `createdAt`, `data`).
    :param host: the plugin host.
    """


@hookspec
def job_blueprints(host: PluginHost) -> list[Blueprint]:
    """Tasks and periodic tasks the plugin runs on Lini's job queue (procrastinate), e.g. a supplier feed
    fetched every hour or a reminder sent a day after an order.

    Called once per process when the queue is built (the server's start-up and `server.py worker`). Each
    Blueprint's tasks are added under the plugin's name as namespace, so a task `fetch_feed` of plugin `feeds`
    is `feeds:fetch_feed`; the plugin's module-level Blueprint is copied, never changed, so it may be returned
    again. A task reaches the plugin host with `task_host()` (from `lini.plugin`). Periodic runs happen once
    per period across all workers; give each periodic task a `queueing_lock` (prefixed with the plugin's
    name) so a slow run never piles up, and a `retry` (`RetryStrategy`) if a failure should run it again.

    :param host: the plugin host; `host.config(name)` for settings that shape the tasks.
    :return: a list of `procrastinate.Blueprint` objects (not awaitable); a plugin named `lini` or `builtin`
        cannot register tasks (those namespaces are core's and procrastinate's).
    """


# --- request routing and API shape -----------------------------------------------------------------------


@hookspec
def routes(host: PluginHost) -> list[BaseRoute]:
    """HTTP routes the plugin serves beside `/graphql`, e.g. `/webhooks/<plugin>` or a product feed.

    Paths must not collide with `/graphql`, `/health` or another plugin's routes: a clash stops the start.

    :param host: the plugin host; `host.config(name)` and `host.settings` for the routes' settings.

    :return: a list of `starlette.routing.Route` (or `Mount`) objects.
    """


@hookspec
def schema_extensions(host: PluginHost) -> list[SchemaExtension]:
    """GraphQL types and fields the plugin adds, without editing `schema/`.

    :param host: the plugin host.

    :return: a list of `core.plugins.SchemaExtension` objects: each may carry a `query` and a
        `mutation` strawberry type whose fields are merged into the root `Query` and `Mutation`, and
        `types` that must be registered even when no field names them. A field name clash with the core
        schema or another plugin stops the start with both names.
    """


# --- providers: each plugin adds objects implementing a core protocol ---------------------------------------


@hookspec
def payment_gateways(host: PluginHost) -> list[PaymentGateway]:
    """Payment gateways the plugin provides (`core.payments.gateways.PaymentGateway`).

    A brand sees the gateways that are enabled for it and accept the checkout's currency.

    :param host: the plugin host; the gateway's keys come from `host.config(name)`.
    :return: a list of objects implementing the `PaymentGateway` protocol (not awaitable).
    """


@hookspec
def shipping_providers(host: PluginHost) -> list[ShippingProvider]:
    """Shipping providers (`core.shipping.providers.ShippingProvider`); every provider's rates are offered.

    :param host: the plugin host.
    :return: a list of objects implementing the `ShippingProvider` protocol (not awaitable).
    """


@hookspec
def catalog_formats(host: PluginHost) -> list[CatalogFormat]:
    """Feed formats (`core.feed_formats.CatalogFormat`) a plugin can read: a format turns a file's bytes into rows
    of raw cells by header, lazily, refusing a file it cannot read with `FeedRefused` and yielding `RowRejected`
    for a row it cannot read. Whoever imports feeds (the supplier_catalogs plugin) asks every plugin, its own
    CSV, XLSX and JSON Lines included, so a supplier's own export format is added without editing the importer.

    :param host: the plugin host; `host.config(name)` for settings the reader needs.
    :return: a list of objects implementing the `CatalogFormat` protocol (not awaitable); a name two plugins
        provide is refused when the formats are read.
    """


@hookspec
def dispatch_strategies(host: PluginHost) -> list[DispatchStrategy]:
    """Ways of ranking tailors for a production job (`core.garments.dispatch_strategies.DispatchStrategy`): a
    strategy scores every approved tailor at once, as vectors, after core has judged who may make the job, and says
    what each of its terms was. Several can be installed side by side; each brand chooses one by `name` (the
    tailor_dispatch plugin, whose built-in WEIGHTED strategy comes through this hook too, keeps the choice).

    :param host: the plugin host; `host.config(name)` for settings the strategy needs.
    :return: a list of objects implementing the `DispatchStrategy` protocol (not awaitable); a name two plugins
        provide stops the start with a PluginError.
    """


# --- checkout and order hooks ------------------------------------------------------------------------------


@hookspec
def tax_lines(
    checkout: Checkout, lines: list[PricedLine], address: dict[str, Any] | None
) -> list[LineTax] | Awaitable[list[LineTax] | None] | None:
    """Taxes for a checkout, to replace the brand's own tax rates (a tax service plugin).

    :param checkout: the `core.checkout.models.Checkout` being priced (read it; do not save it).
    :param lines: its priced lines (`core.checkout.totals.PricedLine`), after discounts, in order.
    :param address: the checkout's shipping address as stored (a dict), or None before one is given.

    :return: None to leave taxes to core, or a list of `core.taxes.calculator.LineTax` (one per line, in
        order); may be an awaitable. The first plugin returning a list wins; the others are not asked.
    """


@hookspec
def landed_cost(
    country: str, lines: list[DutiableLine], shipping: Money, brand_id: int
) -> LandedCost | Awaitable[LandedCost | None] | None:
    """The duty and import tax a parcel abroad will owe on arrival, from a real duty service instead of the
    platform's tables (`customsRateSet`, `importTaxSet`).

    :param country: the destination, ISO 3166-1 alpha-2 (never the brand's own `ships_from`).
    :param lines: the parcel's lines (`core.customs.landed.DutiableLine`: `key`, six-digit `hs_code`, the line's
        total `value` as `core.money.Money`), in checkout order.
    :param shipping: the shipping charged, in the checkout currency (part of the customs value).
    :param brand_id: the selling brand, for a service that bills per merchant.
    :return: a `core.customs.landed.LandedCost` in the checkout currency (one `LineDuty` per line, in order), or
        None to leave it to core's tables; may be an awaitable. The first plugin answering wins. It runs whenever
        `Checkout.landedCost` is read: cache answers per parcel if the service is slow or billed per call.
    """


@hookspec
def price_adjustments(line: GarmentLine, context: PriceContext) -> list[Adjustment] | Awaitable[list[Adjustment]]:
    """Surcharges and discounts on a made-to-measure garment, each time one is priced: `customGarmentQuote`
    and every pricing of a checkout holding the line (totals, payment, completion), so both agree.

    :param line: a `core.garments.quote.GarmentLine`: `product_id`, `garment_type`, `fabric_id`, `size_band`,
        `options` (the snapshot's `[{"group", "values", "text"}]`), `quantity`, and Lini's own parts per
        garment, `base`, `options_total`, `fabric` (`core.money.Money`).
    :param context: a `core.garments.quote.PriceContext`: `brand_id`, `currency`, `user_id` (None: a guest).
    :return: a list of `core.garments.quote.Adjustment(code, label, amount)`, amounts per garment in
        `context.currency` (negative for a discount), or an empty list; may be an awaitable. Every plugin's
        adjustments apply, in plugin order; the unit price never goes below zero. Keep it deterministic and
        free of network calls: it runs on every pricing of the checkout.
    """


@hookspec
def validate_checkout(checkout: Checkout) -> list[DomainError] | Awaitable[list[DomainError]]:
    """Veto a checkout's completion: return a list of `core.errors.DomainError` (empty: no objection).

    :param checkout: the `core.checkout.models.Checkout` about to be completed, before payment starts.
    :return: the objections (each reaches the client as a typed error); may be an awaitable.
    """


@hookspec
def error_codes() -> dict[str, str]:
    """The error codes the plugin's `DomainError`s carry that core does not have: {CODE: description}.

    They join the GraphQL `ErrorCode` enum (what `UserError.code` is), so a client can switch on them; a code
    core already has (`NOT_FOUND`, `REQUIRED`, …, in `core.error_codes`) needs no declaring, and one a plugin
    raises without declaring it fails the request as a bug. Codes are UPPER_SNAKE_CASE; the description says
    what happened in a sentence. Must be a plain function.
    """


@hookspec
def order_transitions() -> dict[str, list[str]]:
    """Extra order transitions: return a dict {from_state: [to_state, ...]} merged into core's.

    States are strings of 1-32 characters: core's `OrderStatus` values, or a plugin's own (e.g. AWAITING_PICKUP),
    which become states of the machine. A plugin only adds; it cannot remove a core transition (see
    `order_transition_veto`). Must be a plain function.
    """


@hookspec
def order_transition_veto(
    order: Order, from_state: str, to_state: str, actor: Actor
) -> DomainError | str | Awaitable[DomainError | str | None] | None:
    """Refuse an order transition: return a `DomainError` (or a message) to stop it, None to allow it.

    :param order: the `core.orders.models.Order`, locked, still in `from_state`.
    :param from_state: its current `OrderStatus` value.
    :param to_state: the `OrderStatus` value asked for.
    :param actor: who asks (`core.context.Actor`; `SYSTEM` for Lini's own moves such as a webhook's payment).
    """


@hookspec
def order_event(event: OrderEvent) -> Awaitable[None] | None:
    """Called after an order change has committed, with a stable payload (`OrderEvent`):
    {"type": "ORDER_CREATED" | "ORDER_PAID" | ..., "brand": slug, "order": {"id", "number", "status",
    "paymentStatus", "total": {"amount", "currency"}}, "data": {...}, "occurredAt": ISO 8601}.
    Errors are logged and never undo the change. May be `async def`.

    :param event: the payload; `id` is the outbox event id (delivered at least once: key on it).
    """


# --- production hooks -------------------------------------------------------------------------------------


@hookspec
def production_event(event: ProductionEvent) -> Awaitable[None] | None:
    """Called after a production change has committed (a made-to-measure garment's job moved a stage, or was
    inspected), with a stable payload (`ProductionEvent`):
    {"id": <outbox event id>, "type": "PRODUCTION_STAGE_CHANGED" | "PRODUCTION_QC_REPORTED", "brand": slug,
    "job": {"id", "orderId", "orderNumber", "orderLineId", "garmentIndex", "garmentType", "stage", "tailorId",
    "readyBy", "remakeOf"}, "data": {...}, "occurredAt": ISO 8601}.
    For a stage change `data` is {"fromStage", "toStage", "actor", "role", "note", "photoUrls"} (plus
    "remakeOf"/"cause" on a remake's first step, "releasedMetres" on a cancellation); for an inspection it is
    {"inspectionId", "passed", "checklist", "defects", "inspector"}. Internal notes are never included.
    Delivered at least once (key on `id`); errors are logged and retried, never undo the change. May be
    `async def`.

    :param event: the payload.
    """


# --- platform hooks ---------------------------------------------------------------------------------------


@hookspec
def tailor_event(event: dict[str, Any]) -> Awaitable[None] | None:
    """Called after a change to a tailor has committed (it applied, was approved, rejected or suspended; a
    certificate was added or decided), with the event's payload: {"id": <outbox event id>, "type":
    "tailor.applied" | "tailor.approved" | "tailor.rejected" | "tailor.suspended" | "tailor.certification_added"
    | "tailor.certification_verified" | "tailor.certification_rejected" | "tailor.certification_pending",
    "tailor_id": int, ...}: decisions add "reason" and "by", certificate events "certification_id". Tailors work for
    every brand, so these events belong to none (no brand webhook receives them). Delivered at least once (key on
    `id`) by the job queue's sweep; errors are logged and retried, never undo the change. May be `async def`.

    :param event: the payload.
    """


# --- demo data ---------------------------------------------------------------------------------------------


@hookspec
def seed_demo(brands: list[Brand], host: PluginHost) -> Awaitable[None] | None:
    """Add the plugin's demo data for the demo brands (`python server.py seed-demo`, `make run`).

    Called once, after core's demo brands, catalog, fabric suppliers (with their fabrics) and tailors are
    written and inside the same transaction, so a failure leaves the database empty rather than half-seeded,
    and a plugin's demo may trade with the demo suppliers and tailors (their staff accounts and made-to-measure
    orders come after). Write with the ORM or through services (no network calls).

    :param brands: the demo `core.actors.models.Brand` rows, approved, with `ships_to` and `currencies` set.
    :param host: the plugin host.
    :return: ignored; may be an awaitable, which is awaited. An exception stops the seeding.
    """
