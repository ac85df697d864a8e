"""What brand staff do with orders (permission MANAGE_ORDERS, checked on the order's own brand).

Each operation loads the order, checks the actor may manage its brand's orders, and changes it in one
transaction through the order lifecycle (`core.orders.lifecycle`), with history and an `ORDER_*` event; the
API delivers the events after the commit (`core.outbox.after_commit`). Cancelling, shipping and
refunding live in their own modules and are gathered here; a transfer marked received is applied as any
gateway's report of money taken (`core.payments.lifecycle`).
"""

from __future__ import annotations

from tortoise.transactions import in_transaction

from core.auth.permissions import Permission
from core.context import Actor
from core.errors import DomainError
from core.money import Money
from core.orders.access import load_order
from core.orders.cancellation import cancel
from core.orders.events import order_changed
from core.orders.fulfilment import ShipmentItem, mark_delivered, shipment_create
from core.orders.models import OrderHistory
from core.orders.refunds import RefundLine, refund
from core.orders.states import record
from core.payments import lifecycle as payments
from core.payments.models import Payment, PaymentState
from core.payments.updates import Outcome, PaymentCaptured
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
    received = PaymentCaptured(
        gateway=payment.gateway,
        reference=payment.psp_reference or "",
        amount=Money(payment.amount, payment.currency),
        message=f"{payment.amount} {payment.currency} received.",
    )
    applied = await payments.apply_to(payment.id, received, host=host, actor=actor)
    if applied.outcome != Outcome.CAPTURED:
        raise DomainError("INVALID_STATE", "This payment was marked received meanwhile.", "payment_id")
    return await Payment.get(id=payment.id)
