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

Background work: `Blueprint` (procrastinate's) for the tasks and periodic tasks a plugin returns from
`job_blueprints`, `RetryStrategy` for their retries, `JobContext` for a task declared with `pass_context=True`,
`task_host()` for the plugin host inside a running task, and `defer_job` to queue a job (now or at a time) in
the transaction of the change that asks for it.
"""

from __future__ import annotations

from procrastinate import Blueprint, JobContext, RetryStrategy

from core.actors.brands import managed_brand, member_brand
from core.actors.models import ActorStatus, Brand, Supplier, Tailor
from core.actors.services import storefront_by_slug
from core.auth.permissions import Permission
from core.auth.services import actor_for_user_id
from core.bulk import insert_rows, upsert_rows
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
from core.orders.models import Order, OrderStatus
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
    "Money",
    "MoneyType",
    "Order",
    "OrderEvent",
    "OrderStatus",
    "Outcome",
    "Page",
    "PageRequest",
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
    "ShippingProvider",
    "ShippingRate",
    "ShippingRequest",
    "SortDirection",
    "Supplier",
    "Tailor",
    "TrackRecord",
    "TrackTable",
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
    "member_brand",
    "optional_text",
    "order_payments",
    "own_fabrics",
    "paginate",
    "parse_amount",
    "plain",
    "prices_by_variant",
    "quantize",
    "ranked",
    "required_text",
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
