"""What a gateway may tell Lini about a payment: one frozen dataclass per kind, applied by core.

A gateway's webhook route (or its `order_event` hook, after a capture it made) turns what the provider said into
one of these and calls `core.payments.lifecycle.apply(update, host=host)`; core finds the payment by the gateway
and its reference, locks it, checks the amount and currency, and writes the payment, the order, their history
and the outbox events. A gateway never writes Lini's tables.

Every update names the gateway (`"stripe"`), the gateway's own reference for the payment (the `psp_reference`
its `start` returned: a PaymentIntent id, a transfer reference) and an amount in the payment's currency. With an
`event_id` (the provider's id for the notification) the update is applied once however often it is delivered.
`message` is written to the order's history as the gateway's own words; `details` are kept with the payment,
under `payment.metadata[<gateway>]`, for the gateway to read later (e.g. the last decline code).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from core.money import Money


@dataclass(frozen=True, slots=True, kw_only=True)
class PaymentUpdate:
    gateway: str
    reference: str
    amount: Money
    event_id: str | None = None
    message: str = ""
    details: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True, kw_only=True)
class PaymentAuthorised(PaymentUpdate):
    """The money is held (to be captured later): `amount` is what is held."""


@dataclass(frozen=True, slots=True, kw_only=True)
class PaymentCaptured(PaymentUpdate):
    """The money was taken: `amount` is what the gateway received."""


@dataclass(frozen=True, slots=True, kw_only=True)
class PaymentFailed(PaymentUpdate):
    """An attempt to pay failed. `final=False` (a declined card): the shopper may try again, the payment stays
    open (ACTION_REQUIRED); `final=True`: the payment is FAILED. `capture=True`: taking money that was authorised
    for an order failed; the order is flagged for staff to look at."""

    final: bool = False
    capture: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class PaymentCancelled(PaymentUpdate):
    """The payment or its authorisation was cancelled at the gateway (expired, released): no money was taken."""


@dataclass(frozen=True, slots=True, kw_only=True)
class PaymentRefundedAtGateway(PaymentUpdate):
    """Money went back to the shopper. `amount` is the TOTAL the gateway says was refunded on this payment so
    far (cumulative), so a replayed or late report adds nothing; whatever exceeds the refunds Lini made or has
    in flight is recorded as a refund made at the gateway (e.g. in its dashboard)."""

    refund_reference: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class PaymentDisputed(PaymentUpdate):
    """The shopper disputed `amount` (a chargeback): the order is flagged for staff to answer it."""

    dispute_id: str
    reason: str = ""


class Outcome(StrEnum):
    """What `apply` did, for the gateway to log or answer its provider with."""

    AUTHORIZED = "authorized"
    CAPTURED = "captured"
    ALREADY_PAID = "already_paid"
    ORDER_CREATED = "order_created"  # the payment's checkout was completed into an order by this update
    ORDER_EXISTS = "order_exists"  # completed meanwhile by the storefront
    UNMATCHED = "unmatched"  # the money cannot become an order: give it back (see Applied.give_back)
    AMOUNT_MISMATCH = "amount_mismatch"  # the order is flagged; nothing is marked paid
    CURRENCY_MISMATCH = "currency_mismatch"
    ATTEMPT_FAILED = "attempt_failed"
    FAILED = "failed"
    CAPTURE_FAILED = "capture_failed"
    CANCELLED = "cancelled"
    AUTHORIZATION_RELEASED = "authorization_released"
    REFUND_RECORDED = "refund_recorded"
    IN_SYNC = "in_sync"
    REMEMBERED = "remembered"  # kept with the payment; applied once its order exists
    FLAGGED_DISPUTE = "flagged_dispute"
    STALE = "stale"  # the payment is past the state this update is about: nothing to do
    DUPLICATE = "duplicate"  # this event_id was applied before
    UNKNOWN_PAYMENT = "unknown_payment"


@dataclass(frozen=True, slots=True)
class Applied:
    """The result of `apply`. With `outcome == UNMATCHED` the gateway gives the money back (releases the
    authorisation or refunds the charge, outside any transaction) and then reports that with a
    `PaymentCancelled` or `PaymentRefundedAtGateway`; `reason` says why (e.g. "amount_mismatch", "superseded",
    "refunded_before_order", "checkout_gone", or a completion error code in lower case)."""

    outcome: Outcome
    order_id: int | None = None
    reason: str = ""

    @property
    def give_back(self) -> bool:
        return self.outcome == Outcome.UNMATCHED


__all__ = [
    "Applied",
    "Outcome",
    "PaymentAuthorised",
    "PaymentCancelled",
    "PaymentCaptured",
    "PaymentDisputed",
    "PaymentFailed",
    "PaymentRefundedAtGateway",
    "PaymentUpdate",
]
