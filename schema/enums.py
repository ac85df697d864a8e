"""GraphQL enums over core's Python enums, with a description for every value; and enums plugins extend.

core/ holds no GraphQL, so its enums cannot carry `strawberry.enum_value`; the descriptions are given here, and a
value without one (say, a member added in core) stops the schema from building instead of going out undescribed.

`OrderStatus` gains the states plugins add through `order_transitions`, `ErrorCode` the codes they declare
through `error_codes`. GraphQL enums are fixed once a schema is built, so `extend_enum` adds the values to that
schema's enum type right after building it: schemas built with other plugins (tests build many) never see them,
and the printed SDL, introspection and validation all do.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import EnumMeta, StrEnum
from typing import Any

import strawberry
from graphql import GraphQLEnumType, GraphQLEnumValue

from core.error_codes import CORE_ERROR_CODES
from core.orders.models import OrderStatus as OrderStatusValues
from core.payments.gateways import PaymentActionType as PaymentActionTypeValues
from core.payments.models import PaymentState as PaymentStateValues
from core.payments.models import RefundState as RefundStateValues


def described_enum(cls: EnumMeta, *, name: str, description: str, values: Mapping[str, str]) -> Any:
    """`strawberry.enum(cls)` with `values` (member name → description) on its values."""
    wrapped = strawberry.enum(cls, name=name, description=description)
    members = [value.name for value in wrapped.__strawberry_definition__.values]
    if sorted(members) != sorted(values):
        raise ValueError(f"{name}: describe exactly {members}, not {sorted(values)}")
    for value in wrapped.__strawberry_definition__.values:
        value.description = values[value.name]
    return wrapped


ErrorCode = described_enum(
    StrEnum("ErrorCode", {code: code for code in CORE_ERROR_CODES}),  # type: ignore[arg-type]
    name="ErrorCode",
    description="What went wrong, for a client to switch on; `UserError.message` says it in words. Core's codes "
    "plus those the enabled plugins declare (the `error_codes` hook). A mutation's description names the codes "
    "it returns most often; new codes may come in a minor release, so keep a default branch.",
    values=CORE_ERROR_CODES,
)
OrderStatus = described_enum(
    OrderStatusValues,
    name="OrderStatus",
    description="Where an order's fulfilment is. Core's states plus those the enabled plugins add "
    "(`order_transitions`, e.g. AWAITING_PICKUP); keep a default branch for them.",
    values={
        "UNPAID": "Placed, waiting for payment; cancelled when `paymentDueAt` passes.",
        "PAID": "Paid in full; to be made (made to measure) or packed.",
        "IN_PRODUCTION": "Made-to-measure garments are being made; see each line's production timeline.",
        "READY_TO_SHIP": "Everything is made and passed quality control; waiting to be shipped.",
        "PARTIALLY_SHIPPED": "Some lines are on their way.",
        "SHIPPED": "Every line is on its way.",
        "DELIVERED": "The customer has everything.",
        "CANCELLED": "Cancelled (unpaid in time, or by staff); money received is refunded.",
    },
)
PaymentState = described_enum(
    PaymentStateValues,
    name="PaymentState",
    description="Where one payment attempt is.",
    values={
        "PENDING": "Started; waiting for the gateway or the customer.",
        "ACTION_REQUIRED": "The customer must act: transfer the money, or confirm the card (see `action`).",
        "AUTHORIZED": "The money is held and will be captured.",
        "SUCCEEDED": "The money is received.",
        "FAILED": "The gateway refused or the customer gave up; start a new payment.",
        "CANCELLED": "Cancelled before money moved (the checkout changed, or the order was cancelled).",
    },
)
RefundState = described_enum(
    RefundStateValues,
    name="RefundState",
    description="Where a refund is at the gateway.",
    values={
        "PENDING": "Asked of the gateway; not confirmed yet.",
        "SUCCEEDED": "The money went back to the customer.",
        "FAILED": "The gateway could not refund; staff refund another way.",
    },
)
PaymentActionType = described_enum(
    PaymentActionTypeValues,
    name="PaymentActionType",
    description="What the storefront does next to pay.",
    values={
        "INSTRUCTIONS": "Show `instructions` (a bank transfer's account, reference, amount and expiry).",
        "CLIENT_SECRET": "Confirm the card in the browser with `clientSecret` and `publishableKey` (Stripe.js).",
        "REDIRECT": "Send the shopper to `redirectUrl` to pay there.",
    },
)


def extend_enum(schema: strawberry.Schema, name: str, values: Mapping[str, str]) -> None:
    """Add `values` ({VALUE: description}) the built schema's enum `name` lacks. On input a plugin's value
    arrives as its string (core's as the Python enum member, which is a string too)."""
    enum = schema._schema.type_map[name]
    assert isinstance(enum, GraphQLEnumType)
    added = [value for value in values if value not in enum.values]
    if not added:
        return
    for value in added:
        enum.values[value] = GraphQLEnumValue(value, description=values[value])
    enum.__dict__.pop("_value_lookup", None)  # graphql-core caches value -> name on first use
    wrapped: Any = getattr(enum, "wrapped_cls", None)
    if wrapped is None:
        return

    def member(raw: Any) -> Any:
        return wrapped(raw) if raw in wrapped._value2member_map_ else raw

    def coerce_input_value(value: Any, hide_suggestions: bool = False) -> Any:
        return member(GraphQLEnumType.coerce_input_value(enum, value, hide_suggestions))

    def coerce_input_literal(node: Any, hide_suggestions: bool = False) -> Any:
        return member(GraphQLEnumType.coerce_input_literal(enum, node, hide_suggestions))

    def parse_literal(node: Any, _variables: Any = None, hide_suggestions: bool = False) -> Any:
        return coerce_input_literal(node, hide_suggestions)

    # this schema's enum type alone; strawberry's methods would turn a plugin's value into a ValueError
    enum.coerce_input_value = coerce_input_value  # type: ignore[method-assign]
    enum.parse_value = coerce_input_value  # type: ignore[method-assign]
    enum.coerce_input_literal = coerce_input_literal  # type: ignore[method-assign]
    enum.parse_literal = parse_literal  # type: ignore[method-assign]
