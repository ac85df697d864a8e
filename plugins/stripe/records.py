"""What the plugin writes on Lini's side when Stripe reports something: payment states, review flags,
refunds made in Stripe's dashboard. Each change is one transaction with the order row locked, recorded in
the order's history with the SYSTEM actor, and announced through the order outbox where an order changed.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from tortoise.expressions import F
from tortoise.transactions import in_transaction

from core.context import SYSTEM
from core.orders.access import locked
from core.orders.events import order_changed
from core.orders.models import Order, PaymentStatus
from core.orders.states import PAYMENT_TRANSITIONS, record, set_payment_status
from core.payments.models import Payment, PaymentState, Refund, RefundState

ACTOR = SYSTEM
GATEWAY_ID = "stripe"


async def find_payment(intent_id: str, metadata: dict[str, Any] | None = None) -> Payment | None:
    """The Lini payment of a PaymentIntent: by its id, or, for an intent whose id Lini never got to save
    (the process stopped right after creating it), by the payment id and checkout token in its metadata."""
    if not intent_id:
        return None
    payment = await Payment.get_or_none(gateway=GATEWAY_ID, psp_reference=intent_id)
    if payment is not None or not metadata:
        return payment
    payment_id, token = str(metadata.get("lini_payment_id", "")), str(metadata.get("lini_checkout", ""))
    if not payment_id.isdigit() or not token:
        return None
    claimed = await Payment.filter(
        id=int(payment_id), gateway=GATEWAY_ID, checkout_token=token, psp_reference=None
    ).update(psp_reference=intent_id)
    return await Payment.get(id=int(payment_id)) if claimed else None


async def remember(payment: Payment, **facts: Any) -> None:
    """Keep what Stripe said about a payment in its metadata (under "stripe"), merged with what is there."""
    async with in_transaction():
        current = await Payment.filter(id=payment.id).select_for_update().get()
        metadata = dict(current.metadata or {})
        metadata["stripe"] = {**metadata.get("stripe", {}), **facts}
        await Payment.filter(id=payment.id).update(metadata=metadata)
        payment.metadata = metadata


def remembered(payment: Payment) -> dict[str, Any]:
    return dict((payment.metadata or {}).get("stripe", {}))


async def flag(order_id: int, reason: str, *, event: str | None = None, data: dict[str, Any] | None = None) -> None:
    """Mark the order for review (reasons add up); the same reason twice is recorded once."""
    async with in_transaction():
        order = await locked(order_id)
        if order.needs_review and reason in order.review_reason:
            return
        review = f"{order.review_reason}\n{reason}".strip() if order.needs_review else reason
        await Order.filter(id=order.id).update(needs_review=True, review_reason=review)
        order.needs_review, order.review_reason = True, review
        await record(order, "NEEDS_REVIEW", ACTOR, reason, data)
        if event:
            await order_changed(order, event, data)


async def mark_captured(payment: Payment, amount: Decimal, message: str) -> bool:
    """The money of an authorised (or not yet confirmed) payment that belongs to an order was taken.
    Returns False when it already was: the change is a conditional update, so it happens once."""
    assert payment.order_id is not None
    async with in_transaction():
        order = await locked(payment.order_id)
        taken = await Payment.filter(
            id=payment.id,
            state__in=[
                PaymentState.AUTHORIZED,
                PaymentState.PENDING,
                PaymentState.ACTION_REQUIRED,
                PaymentState.CANCELLED,
            ],
        ).update(state=PaymentState.SUCCEEDED, captured_amount=amount)
        if taken:
            data = {"paymentId": payment.id, "amount": str(amount), "gateway": GATEWAY_ID}
            await record(order, "PAYMENT", ACTOR, message, data)
    return bool(taken)


async def set_state(payment: Payment, state: PaymentState, *, only_from: list[PaymentState]) -> bool:
    changed = await Payment.filter(id=payment.id, state__in=only_from).update(state=state)
    return bool(changed)


async def sync_refunds(payment: Payment, refunded_at_stripe: Decimal, reference: str) -> Decimal:
    """Record as a refund whatever Stripe says was refunded beyond what Lini asked for (a refund made in
    Stripe's dashboard); Lini's own refunds in flight (PENDING) count as asked for. Returns the amount
    recorded. Stripe's figure is cumulative, so a replayed or late event records nothing more."""
    assert payment.order_id is not None
    async with in_transaction():
        order = await locked(payment.order_id)
        known = sum(
            (
                r.amount
                for r in await Refund.filter(
                    payment_id=payment.id, state__in=[RefundState.SUCCEEDED, RefundState.PENDING]
                )
            ),
            Decimal(0),
        )
        extra = refunded_at_stripe - known
        if extra <= 0:
            return Decimal(0)
        refund = await Refund.create(
            order_id=order.id,
            payment_id=payment.id,
            amount=extra,
            currency=payment.currency,
            state=RefundState.SUCCEEDED,
            reason="Refunded in Stripe.",
            psp_reference=reference,
            created_by="stripe",
        )
        await Order.filter(id=order.id).update(refunded_amount=F("refunded_amount") + extra)
        await Payment.filter(id=payment.id).update(refunded_amount=F("refunded_amount") + extra)
        fresh = await Order.get(id=order.id)
        target = (
            PaymentStatus.REFUNDED if fresh.refunded_amount >= fresh.paid_amount else PaymentStatus.PARTIALLY_REFUNDED
        )
        if target in PAYMENT_TRANSITIONS.get(PaymentStatus(order.payment_status), frozenset()):
            await set_payment_status(order, target, ACTOR, message="Refunded in Stripe.")
        data = {"refundId": refund.id, "amount": str(extra), "reason": refund.reason}
        await record(order, "REFUND", ACTOR, refund.reason, data)
        await order_changed(order, "ORDER_REFUNDED", data)
    return extra
