"""THE plugin contract: every hook Lini calls, grouped by when it is called.

A plugin implements any subset of these with `@hookimpl` (import it from `core.plugins`). Hooks are plain
functions; where a hook may do I/O its implementation may be `async def` or return an awaitable, and Lini
awaits the result (datasette's `await_me_maybe` pattern). No hook is `firstresult`: every implementation is
called, in pluggy's order, and the results are collected, so two plugins never fight over one slot.

A plugin may also declare a module-level pydantic model named `Settings`; its `[plugins.<name>]` table in
`settings.toml` is validated against it at start-up and handed to the hooks as `config`.

A plugin that owns tables declares two module-level strings: `MODELS` (its tortoise models module, or a list of
them) and `MIGRATIONS` (its migrations package). They become a tortoise app named after the plugin, on Lini's
connection (foreign keys to `"lini.Brand"` work), migrated by `python server.py migrate` and checked at start-up;
`python server.py makemigrations <plugin>` writes its migrations (docs/plugins.md, "Tables of a plugin's own").
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    from starlette.applications import Starlette
    from starlette.routing import BaseRoute

    from core.plugins import PluginHost

PROJECT = "lini"
hookspec = pluggy.HookspecMarker(PROJECT)


# --- start-up and shutdown ------------------------------------------------------------------------------


@hookspec
def startup(app: Starlette, host: PluginHost) -> Any:
    """Called once per process after the database is connected and before the first request.

    :param app: the Starlette application.
    :param host: the plugin host; `host.config(name)` returns a plugin's validated settings.
    :return: ignored; may be an awaitable, which is awaited. An exception stops the start.
    """


@hookspec
def shutdown(app: Starlette, host: PluginHost) -> Any:
    """Called once per process when the server stops, before the database connections close.

    :return: ignored; may be an awaitable, which is awaited. Exceptions are logged, not raised.
    """


# --- request routing and API shape -----------------------------------------------------------------------


@hookspec
def routes(host: PluginHost) -> list[BaseRoute]:
    """HTTP routes the plugin serves beside `/graphql`, e.g. `/webhooks/<plugin>` or a product feed.

    Paths must not collide with `/graphql`, `/health` or another plugin's routes: a clash stops the start.

    :return: a list of `starlette.routing.Route` (or `Mount`) objects.
    """


@hookspec
def schema_extensions(host: PluginHost) -> list[Any]:
    """GraphQL types and fields the plugin adds, without editing `schema/`.

    :return: a list of `core.plugins.SchemaExtension` objects: each may carry a `query` and a
        `mutation` strawberry type whose fields are merged into the root `Query` and `Mutation`, and
        `types` that must be registered even when no field names them. A field name clash with the core
        schema or another plugin stops the start with both names.
    """


# --- providers: each plugin adds objects implementing a core protocol ---------------------------------------


@hookspec
def payment_gateways(host: PluginHost) -> list[Any]:
    """Payment gateways the plugin provides (`core.payments.gateways.PaymentGateway`).

    A brand sees the gateways that are enabled for it and accept the checkout's currency.
    """


@hookspec
def shipping_providers(host: PluginHost) -> list[Any]:
    """Shipping providers (`core.shipping.providers.ShippingProvider`); every provider's rates are offered."""


# --- checkout and order hooks ------------------------------------------------------------------------------


@hookspec
def tax_lines(checkout: Any, lines: list[Any], address: dict[str, Any] | None) -> Any:
    """Taxes for a checkout, to replace the brand's own tax rates (a tax service plugin).

    :return: None to leave taxes to core, or a list of `core.taxes.calculator.LineTax` (one per line, in
        order); may be an awaitable. The first plugin returning a list wins; the others are not asked.
    """


@hookspec
def price_adjustments(line: Any, context: Any) -> Any:
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
def validate_checkout(checkout: Any) -> Any:
    """Veto a checkout's completion: return a list of `core.errors.DomainError` (empty: no objection)."""


@hookspec
def order_transitions() -> Any:
    """Extra order states and transitions: return a dict {from_state: [to_state, ...]} merged into core's."""


@hookspec
def order_transition_veto(order: Any, from_state: str, to_state: str, actor: Any) -> Any:
    """Refuse an order transition: return a `DomainError` (or a message) to stop it, None to allow it."""


@hookspec
def order_event(event: dict[str, Any]) -> Any:
    """Called after an order change has committed, with a stable payload:
    {"type": "ORDER_CREATED" | "ORDER_PAID" | ..., "brand": slug, "order": {"id", "number", "status",
    "paymentStatus", "total": {"amount", "currency"}}, "data": {...}, "occurredAt": ISO 8601}.
    Errors are logged and never undo the change. May be `async def`.
    """


# --- production hooks -------------------------------------------------------------------------------------


@hookspec
def production_event(event: dict[str, Any]) -> Any:
    """Called after a production change has committed (a made-to-measure garment's job moved a stage, or was
    inspected), with a stable payload:
    {"id": <outbox event id>, "type": "PRODUCTION_STAGE_CHANGED" | "PRODUCTION_QC_REPORTED", "brand": slug,
    "job": {"id", "orderId", "orderNumber", "orderLineId", "garmentIndex", "garmentType", "stage", "tailorId",
    "readyBy", "remakeOf"}, "data": {...}, "occurredAt": ISO 8601}.
    For a stage change `data` is {"fromStage", "toStage", "actor", "role", "note", "photoUrls"} (plus
    "remakeOf"/"cause" on a remake's first step, "releasedMetres" on a cancellation); for an inspection it is
    {"inspectionId", "passed", "checklist", "defects", "inspector"}. Internal notes are never included.
    Delivered at least once (key on `id`); errors are logged and retried, never undo the change. May be
    `async def`.
    """


# --- demo data ---------------------------------------------------------------------------------------------


@hookspec
def seed_demo(brands: list[Any], host: PluginHost) -> Any:
    """Add the plugin's demo data for the demo brands (`python server.py seed-demo`, `make run`).

    Called once, after core's demo brands and catalog are written and inside the same transaction, so a
    failure leaves the database empty rather than half-seeded. Write with the ORM only (no network calls).

    :param brands: the demo `core.actors.models.Brand` rows, approved, with `ships_to` and `currencies` set.
    :return: ignored; may be an awaitable, which is awaited. An exception stops the seeding.
    """
