"""What a plugin may use from Lini, in one import: `from lini.plugin import hookimpl, PaymentCaptured, ...`.

Everything a plugin needs is re-exported here; anything else in `core` or `schema` is internal and may change.
A payment gateway starts payments (`PaymentContext` → `PaymentStart`), answers `status` and `refund`, declares
`pays_after_order`, and reports what its provider tells it later as typed updates applied by core
(`apply_payment_update`); it reads payments with `find_payment` / `order_payments` and never writes Lini's tables.

Brand-side plugins (shipping tables, feeds, admin screens) use the catalog and brand lookups, `Problems` for
validation that reports every mistake at once, `emit` for outbox events, and the schema helpers below to add
GraphQL fields that look like Lini's own: `UserError`/`attempt` for typed mutation errors, `MoneyType` (the
GraphQL `Money` object), `decode_id`/`encode_id` for global IDs, `guard` with `PUBLIC`/`BrandPermission` for
permissions, `Connection`/`connection`/`paginate` for Relay lists, `SortDirection` for a `sortBy`
input, `changes`/`plain` for reading inputs.

Supplier-side plugins (catalog feeds) act for the caller's approved supplier (`approved_supplier`) through
core's fabric service (`create_fabric`, `update_fabric`, `archive_fabric`: validated, evented, price history
kept) and read the supplier's own fabrics with `own_fabrics`; they never write the `fabric` table themselves.
A plugin that sells raw material to buyers reads the catalogue brands choose from (`fabric_catalogue`: ACTIVE
fabrics of APPROVED suppliers), converts prices with `exchange_factors` (every rate into one currency, one
query), moves metres with `take_fabric_metres` (one conditional UPDATE, never below zero) and
`give_back_fabric_metres`, and reads what a brand's uncut made-to-measure jobs hold of each fabric with
`fabric_reservations`.

Production dispatch: `candidates` (every approved tailor judged against a queued job by the one set of rules
staff assignment uses: approval, the certificate rule, garment type, capacity, plus region and lead time),
`judge` (the same rules for one job against tailors the caller chose: a batch judges one job per garment type and
due date), `judging_date` (the day a dispatched job's certificate must still count on), `track_records` (QC
first-pass, remakes, on-time over a tailor's last jobs) and `assign_job` (staff assignment itself, capacity
taken under the tailor's row lock; a dispatcher passes `judged_on` and `accepted_by` for an accepted offer).
For a thousand tailors at once the same rules come as plain-value columns: `judged_roster` (a queued job against
every approved tailor), `approved_roster`/`certified_in_roster`/`judge_roster` (one read, many jobs: a batch) and
`track_table`. Strategies (`DispatchStrategy`, the `dispatch_strategies` hook) score such a roster as vectors
(`DispatchContext` in, `Scores` out, `weighted_mean` to combine terms) and `ranked` orders it.

Couriers (shipping plugins that book parcels): `managed_shipment` (a shipment once the caller may manage its
brand's orders, else FORBIDDEN), `shipment_label_set` (the courier's label URL and format, tracking number and
tracking page on the shipment; all empty to take a cancelled label away), `record_tracking` (`TrackingEvent`s
stored once per (shipment, the courier's event id), the shipment's `status` kept at its latest event's by
`occurred_at`, one `shipment.tracking_updated` outbox event per new one, the order DELIVERED with its last
parcel), `shipment_parcel` (a `Parcel` to book: address, weight, items, value) and `open_shipments`
(which shipments a courier may still have news of, for polling). Files (a label)
go to the media storage: `media_storage(host.settings)` is a `MediaStorage` (`save`, `read`, `delete`).
`brand_plugin_settings` reads a brand's settings for a plugin it turned on (None when it has not).

Background work: `Blueprint` (procrastinate's) for the tasks and periodic tasks a plugin returns from
`job_blueprints`, `RetryStrategy` for their retries, `JobContext` for a task declared with `pass_context=True`,
`task_host()` for the plugin host inside a running task, and `defer_job` to queue a job (now or at a time) in
the transaction of the change that asks for it.
"""

from __future__ import annotations

from typing import Any

from procrastinate import Blueprint, JobContext, RetryStrategy

from core.actors.brands import managed_brand, member_brand
from core.actors.models import ActorStatus, Brand, Supplier, Tailor
from core.actors.services import storefront_by_slug
from core.auth.permissions import Permission
from core.auth.services import actor_for_user_id
from core.brand_plugins.services import active_settings as brand_plugin_settings
from core.bulk import insert_rows, upsert_rows
from core.catalog.media import LocalStorage as _LocalStorage
from core.catalog.media import MediaStorage
from core.catalog.models import Product, Variant, VariantPrice
from core.catalog.services import prices_by_variant, storefront_product, storefront_products, variants_by_product
from core.catalog.validation import MAX_AMOUNT, optional_text, required_text
from core.checkout.models import Checkout
from core.checkout.totals import PricedLine
from core.context import ANONYMOUS, SYSTEM, Actor
from core.customs.landed import DutiableLine, LandedCost, LineDuty
from core.errors import DomainError, DomainErrors, PermissionDenied
from core.event_batch import emit_many
from core.event_types import EventType
from core.events import emit
from core.feed_formats import CatalogFormat, FeedLimits, FeedRefused, FeedRow, RowRejected, formats_by_name
from core.garments.assignment import assign as assign_job
from core.garments.candidates import (
    Candidate,
    Check,
    Judged,
    Pool,
    Roster,
    TrackRecord,
    TrackTable,
    Verdict,
    approved_roster,
    candidates,
    judge,
    judge_roster,
    judged_roster,
    judging_date,
    track_records,
    track_table,
)
from core.garments.candidates import certified as certified_in_roster
from core.garments.dispatch_strategies import (
    DispatchContext,
    DispatchStrategy,
    Scores,
    ranked,
    strategies_by_name,
    weighted_mean,
)
from core.garments.fabric_batch import FabricBatchResult, FabricChange, write_fabrics
from core.garments.fabric_queries import available as fabric_catalogue
from core.garments.fabric_queries import own as own_fabrics
from core.garments.fabric_stock import Reservation as FabricReservation
from core.garments.fabric_stock import give_back as give_back_fabric_metres
from core.garments.fabric_stock import reservations as fabric_reservations
from core.garments.fabric_stock import take as take_fabric_metres
from core.garments.fabrics import approved_supplier, archive_fabric, create_fabric, update_fabric
from core.garments.models import Fabric, FabricStatus, JobStage, ProductionJob
from core.garments.quote import Adjustment, GarmentLine, PriceContext
from core.garments.rates import factors_into as exchange_factors
from core.hookspecs import EventEnvelope, OrderEvent, ProductionEvent
from core.jobs.deferral import UnknownTask, defer_job
from core.jobs.runtime import task_host
from core.money import Money, exponent, is_currency, parse_amount, quantize
from core.orders.models import Order, OrderStatus, Shipment, ShipmentEvent, ShipmentStatus
from core.orders.tracking import (
    Parcel,
    ParcelItem,
    TrackingEvent,
    TrackingResult,
    managed_shipment,
    open_shipments,
    record_tracking,
    shipment_label_set,
    shipment_parcel,
)
from core.pagination import Page, PageRequest, paginate
from core.payments.gateways import (
    RETRY_LATER,
    PaymentActionType,
    PaymentContext,
    PaymentGateway,
    PaymentRef,
    PaymentStart,
    RefundResult,
)
from core.payments.lifecycle import apply as apply_payment_update
from core.payments.models import PaymentState
from core.payments.queries import find_payment, order_payments
from core.payments.updates import (
    Applied,
    Outcome,
    PaymentAuthorised,
    PaymentCancelled,
    PaymentCaptured,
    PaymentDisputed,
    PaymentFailed,
    PaymentRefundedAtGateway,
    PaymentUpdate,
)
from core.plugins import PluginError, PluginHost, SchemaExtension, hookimpl
from core.shipping.providers import ShippingProvider, ShippingRate, ShippingRequest
from core.taxes.calculator import LineTax
from core.validation import Problems
from core.webhooks.addresses import check_public_url, checked_url_form
from schema.catalog.products import SortDirection
from schema.enums import described_enum
from schema.errors import UserError, attempt
from schema.inputs import changes, plain
from schema.permissions import BRAND_MEMBER, PLATFORM_ADMIN, PUBLIC, SIGNED_IN, SUPPLIER, TAILOR, BrandPermission, guard
from schema.relay import Connection, connection, decode_id, encode_id
from schema.scalars import Money as MoneyType


def media_storage(settings: Any) -> MediaStorage:
    """The storage Lini keeps uploaded files in (`[media]`), for files a plugin makes: a label, a document."""
    return _LocalStorage.from_settings(settings)


__all__ = [
    "ANONYMOUS",
    "BRAND_MEMBER",
    "MAX_AMOUNT",
    "PLATFORM_ADMIN",
    "PUBLIC",
    "RETRY_LATER",
    "SIGNED_IN",
    "SUPPLIER",
    "SYSTEM",
    "TAILOR",
    "Actor",
    "ActorStatus",
    "Adjustment",
    "Applied",
    "Blueprint",
    "Brand",
    "BrandPermission",
    "Candidate",
    "CatalogFormat",
    "Check",
    "Checkout",
    "Connection",
    "DispatchContext",
    "DispatchStrategy",
    "DomainError",
    "DomainErrors",
    "DutiableLine",
    "EventEnvelope",
    "EventType",
    "Fabric",
    "FabricBatchResult",
    "FabricChange",
    "FabricReservation",
    "FabricStatus",
    "FeedLimits",
    "FeedRefused",
    "FeedRow",
    "GarmentLine",
    "JobContext",
    "JobStage",
    "Judged",
    "LandedCost",
    "LineDuty",
    "LineTax",
    "MediaStorage",
    "Money",
    "MoneyType",
    "Order",
    "OrderEvent",
    "OrderStatus",
    "Outcome",
    "Page",
    "PageRequest",
    "Parcel",
    "ParcelItem",
    "PaymentActionType",
    "PaymentAuthorised",
    "PaymentCancelled",
    "PaymentCaptured",
    "PaymentContext",
    "PaymentDisputed",
    "PaymentFailed",
    "PaymentGateway",
    "PaymentRef",
    "PaymentRefundedAtGateway",
    "PaymentStart",
    "PaymentState",
    "PaymentUpdate",
    "Permission",
    "PermissionDenied",
    "PluginError",
    "PluginHost",
    "Pool",
    "PriceContext",
    "PricedLine",
    "Problems",
    "Product",
    "ProductionEvent",
    "ProductionJob",
    "RefundResult",
    "RetryStrategy",
    "Roster",
    "RowRejected",
    "SchemaExtension",
    "Scores",
    "Shipment",
    "ShipmentEvent",
    "ShipmentStatus",
    "ShippingProvider",
    "ShippingRate",
    "ShippingRequest",
    "SortDirection",
    "Supplier",
    "Tailor",
    "TrackRecord",
    "TrackTable",
    "TrackingEvent",
    "TrackingResult",
    "UnknownTask",
    "UserError",
    "Variant",
    "VariantPrice",
    "Verdict",
    "actor_for_user_id",
    "apply_payment_update",
    "approved_roster",
    "approved_supplier",
    "archive_fabric",
    "assign_job",
    "attempt",
    "brand_plugin_settings",
    "candidates",
    "certified_in_roster",
    "changes",
    "check_public_url",
    "checked_url_form",
    "connection",
    "create_fabric",
    "decode_id",
    "defer_job",
    "described_enum",
    "emit",
    "emit_many",
    "encode_id",
    "exchange_factors",
    "exponent",
    "fabric_catalogue",
    "fabric_reservations",
    "find_payment",
    "formats_by_name",
    "give_back_fabric_metres",
    "guard",
    "hookimpl",
    "insert_rows",
    "is_currency",
    "judge",
    "judge_roster",
    "judged_roster",
    "judging_date",
    "managed_brand",
    "managed_shipment",
    "media_storage",
    "member_brand",
    "open_shipments",
    "optional_text",
    "order_payments",
    "own_fabrics",
    "paginate",
    "parse_amount",
    "plain",
    "prices_by_variant",
    "quantize",
    "ranked",
    "record_tracking",
    "required_text",
    "shipment_label_set",
    "shipment_parcel",
    "storefront_by_slug",
    "storefront_product",
    "storefront_products",
    "strategies_by_name",
    "take_fabric_metres",
    "task_host",
    "track_records",
    "track_table",
    "update_fabric",
    "upsert_rows",
    "variants_by_product",
    "weighted_mean",
    "write_fabrics",
]
