"""What brand staff do with orders (permission MANAGE_ORDERS, checked on the order's own brand).

Each operation loads the order, checks the actor may manage its brand's orders, and changes it in one
transaction through the state machines (`core.orders.states`), with history and an `ORDER_*` event; the
API delivers the events after the commit (`core.orders.events.deliver_pending`). Cancelling, shipping and
refunding live in their own modules and are gathered here.
"""

from __future__ import annotations

from tortoise.expressions import F
from tortoise.transactions import in_transaction

from core.auth.permissions import Permission
from core.context import Actor
from core.errors import DomainError
from core.orders.access import load_order, locked
from core.orders.cancellation import cancel
from core.orders.events import order_changed
from core.orders.fulfilment import ShipmentItem, mark_delivered, shipment_create
from core.orders.models import Order, OrderHistory, OrderStatus, PaymentStatus
from core.orders.refunds import RefundLine, refund
from core.orders.states import record, set_payment_status, transition
from core.payments.models import Payment, PaymentState
from core.plugins import PluginHost

__all__ = [
    "RefundLine",
    "ShipmentItem",
    "cancel",
    "mark_delivered",
    "note_add",
    "payment_mark_received",
    "refund",
    "shipment_create",
]
MAX_NOTE = 5000
# A cancelled payment still counts: a transfer may arrive after its order expired, and must be recorded.
AWAITING = (PaymentState.PENDING, PaymentState.ACTION_REQUIRED, PaymentState.CANCELLED)


async def note_add(actor: Actor, order_id: int, message: str) -> OrderHistory:
    """A staff note in the order's history (customers do not see history)."""
    order = await load_order(actor, order_id)
    message = message.strip()
    if not message:
        raise DomainError("REQUIRED", "Write the note first.", "message")
    if len(message) > MAX_NOTE:
        raise DomainError("INVALID", f"A note has at most {MAX_NOTE} characters.", "message")
    async with in_transaction():
        entry = await record(order, "NOTE", actor, message)
        await order_changed(order, "ORDER_NOTE_ADDED", {"message": message})
    return entry


async def payment_mark_received(payment_id: int, actor: Actor, *, host: PluginHost | None = None) -> Payment:
    """Staff saw the money arrive (a bank transfer): the payment succeeds and its order is paid.

    Money for a cancelled order (a transfer that came after the deadline) is recorded too, and the order is
    flagged for review so that staff refund it.
    """
    payment = await Payment.get_or_none(id=payment_id)
    actor.require(payment.brand_id if payment else -1, Permission.MANAGE_ORDERS)
    assert payment is not None
    if payment.order_id is None:
        raise DomainError("NO_ORDER", "This payment's checkout was never completed into an order.", "payment_id")
    if payment.state not in AWAITING:
        raise DomainError("INVALID_STATE", f"This payment is {payment.state}, not awaiting money.", "payment_id")
    async with in_transaction():
        order = await locked(payment.order_id)
        taken = await Payment.filter(id=payment.id, state__in=AWAITING).update(
            state=PaymentState.SUCCEEDED, captured_amount=payment.amount
        )
        if not taken:
            raise DomainError("INVALID_STATE", "This payment was marked received meanwhile.", "payment_id")
        await Order.filter(id=order.id).update(paid_amount=F("paid_amount") + payment.amount)
        order = await Order.get(id=order.id)
        data = {"paymentId": payment.id, "amount": str(payment.amount), "gateway": payment.gateway}
        await record(order, "PAYMENT", actor, f"{payment.amount} {payment.currency} received.", data)
        if order.payment_status == PaymentStatus.PENDING:
            await set_payment_status(order, PaymentStatus.PAID, actor)
        newly_paid = order.status == OrderStatus.UNPAID
        if newly_paid:
            await transition(order, OrderStatus.PAID, actor, host=host, produce=False)
        review = _review_reason(order, payment)
        if review:
            await Order.filter(id=order.id).update(needs_review=True, review_reason=review)
            await record(order, "NEEDS_REVIEW", actor, review)
        await order_changed(order, "ORDER_PAID", data)
        if newly_paid:  # after ORDER_PAID, so subscribers hear of the payment before the production it starts
            from core.garments.production import on_order_paid  # garments moves orders through this package

            await on_order_paid(order, actor, host=host)
    return await Payment.get(id=payment.id)


def _review_reason(order: Order, payment: Payment) -> str:
    if order.status == OrderStatus.CANCELLED:
        return "Money arrived for a cancelled order: refund it."
    if payment.currency != order.currency or order.paid_amount != order.total_amount:
        return f"Received {order.paid_amount} {payment.currency} for a total of {order.total_amount} {order.currency}."
    return ""
