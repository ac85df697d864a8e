"""Enums that plugins extend: core's values are a Python enum; a plugin's join the built schema alone.

`OrderStatus` gains the states plugins add through `order_transitions`, `ErrorCode` the codes they declare
through `error_codes`. GraphQL enums are fixed once a schema is built, so `extend_enum` adds the values to that
schema's enum type right after building it: schemas built with other plugins (tests build many) never see them,
and the printed SDL, introspection and validation all do.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from typing import Any

import strawberry
from graphql import GraphQLEnumType, GraphQLEnumValue

from core.error_codes import CORE_ERROR_CODES
from core.orders.models import OrderStatus as OrderStatusValues
from core.payments.gateways import PaymentActionType as PaymentActionTypeValues
from core.payments.models import PaymentState as PaymentStateValues
from core.payments.models import RefundState as RefundStateValues

ErrorCode = strawberry.enum(
    Enum(  # type: ignore[misc]
        "ErrorCode",
        {code: strawberry.enum_value(code, description=text) for code, text in CORE_ERROR_CODES.items()},
    ),
    description="What went wrong, for a client to switch on; `UserError.message` says it in words. Core's codes "
    "plus those the enabled plugins declare (the `error_codes` hook). A mutation's description names the codes "
    "it returns most often; new codes may come in a minor release, so keep a default branch.",
)


def described(values: type[Enum], name: str, texts: Mapping[str, str], description: str) -> Any:
    """A strawberry enum of `values` whose every value carries its text from `texts` (a test checks that every
    member of the public schema is described)."""
    members = {member.name: strawberry.enum_value(member.value, description=texts[member.name]) for member in values}
    return strawberry.enum(Enum(name, members), description=description)  # type: ignore[misc]


OrderStatus = described(
    OrderStatusValues,
    "OrderStatus",
    {
        "UNPAID": "Placed, waiting for payment; cancelled when `paymentDueAt` passes.",
        "PAID": "Paid in full; to be made (made to measure) or packed.",
        "IN_PRODUCTION": "Made-to-measure garments are being made; see each line's production timeline.",
        "READY_TO_SHIP": "Everything is made and passed quality control; waiting to be shipped.",
        "PARTIALLY_SHIPPED": "Some lines are on their way.",
        "SHIPPED": "Every line is on its way.",
        "DELIVERED": "The customer has everything.",
        "CANCELLED": "Cancelled (unpaid in time, or by staff); money received is refunded.",
    },
    "Where an order's fulfilment is. Core's states plus those the enabled plugins add (`order_transitions`, "
    "e.g. AWAITING_PICKUP); keep a default branch for them.",
)
PaymentState = described(
    PaymentStateValues,
    "PaymentState",
    {
        "PENDING": "Started; waiting for the gateway or the customer.",
        "ACTION_REQUIRED": "The customer must act: transfer the money, or confirm the card (see `action`).",
        "AUTHORIZED": "The money is held and will be captured.",
        "SUCCEEDED": "The money is received.",
        "FAILED": "The gateway refused or the customer gave up; start a new payment.",
        "CANCELLED": "Cancelled before money moved (the checkout changed, or the order was cancelled).",
    },
    "Where one payment attempt is.",
)
RefundState = described(
    RefundStateValues,
    "RefundState",
    {
        "PENDING": "Asked of the gateway; not confirmed yet.",
        "SUCCEEDED": "The money went back to the customer.",
        "FAILED": "The gateway could not refund; staff refund another way.",
    },
    "Where a refund is at the gateway.",
)
PaymentActionType = described(
    PaymentActionTypeValues,
    "PaymentActionType",
    {
        "INSTRUCTIONS": "Show `instructions` (a bank transfer's account, reference, amount and expiry).",
        "CLIENT_SECRET": "Confirm the card in the browser with `clientSecret` and `publishableKey` (Stripe.js).",
        "REDIRECT": "Send the shopper to `redirectUrl` to pay there.",
    },
    "What the storefront does next to pay.",
)


def extend_enum(schema: strawberry.Schema, name: str, values: Mapping[str, str]) -> None:
    """Add `values` ({VALUE: description}) the built schema's enum `name` lacks. On input a plugin's value
    arrives as its string (core's as the Python enum member, which compares equal to its string)."""
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

    # this schema's enum type alone; strawberry's methods would turn a plugin's value into a ValueError
    enum.coerce_input_value = coerce_input_value  # type: ignore[method-assign]
    enum.parse_value = coerce_input_value  # type: ignore[method-assign]
    enum.coerce_input_literal = coerce_input_literal  # type: ignore[method-assign]
    enum.parse_literal = lambda node, _variables=None, hide_suggestions=False: coerce_input_literal(  # type: ignore[method-assign]
        node, hide_suggestions
    )
