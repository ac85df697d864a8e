"""The one writer of an order's state: placed, paid, in production, ready, shipped, delivered, cancelled.

Services (checkout completion, staff operations, production) decide *whether* something happens; these
functions make it happen, always the same way: through the state machines (`core.orders.states`: checked,
vetoable, conditional), with a history row and an `ORDER_*` outbox event, and with a domain event
(`core.domain_events`) for the other parts of core that follow orders (garments go into production when an
order is paid, are called off when it is cancelled, leave with its shipment). Money reported by a gateway goes
through `core.payments.lifecycle.apply`, which lands here (`receive`) and in `core.orders.ledger` (refunds).

Every function runs inside the caller's transaction, with the order row locked (`core.orders.access.locked`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from tortoise.expressions import F

from core.catalog.models import Stock
from core.context import Actor
from core.domain_events import OrderCancelled, OrderPaid, OrderPlaced, publish
from core.orders import ledger, review
from core.orders.events import order_changed
from core.orders.models import Order, OrderLine, OrderStatus, OrderTaxLine, PaymentStatus
from core.orders.states import record, set_payment_status, transition
from core.payments.gateways import gateway_label
from core.payments.models import Payment, PaymentState
from core.plugins import PluginHost
from core.vouchers import services as vouchers

if TYPE_CHECKING:
    from core.events import Event

# A payment in these states pays for its order the moment the order is placed.
PAID_STATES = frozenset({PaymentState.SUCCEEDED, PaymentState.AUTHORIZED})
OPEN_PAYMENTS = (PaymentState.PENDING, PaymentState.ACTION_REQUIRED, PaymentState.AUTHORIZED)
# The states a payment may leave for SUCCEEDED (money taken) or AUTHORIZED (money held). A CANCELLED payment may
# still receive money: a transfer arriving after its order expired, a capture racing a cancellation.
TAKEN_FROM = {
    PaymentState.SUCCEEDED: (
        PaymentState.AUTHORIZED,
        PaymentState.PENDING,
        PaymentState.ACTION_REQUIRED,
        PaymentState.CANCELLED,
    ),
    PaymentState.AUTHORIZED: (PaymentState.PENDING, PaymentState.ACTION_REQUIRED),
}
LINI = "lini"  # core's own notes in `Payment.metadata` (a gateway's live under its id)


def facts(payment: Payment) -> dict[str, Any]:
    """What core noted on a payment: `credited` (its money counts in the order's `paid_amount`), `reviews`
    and a `refundReference` reported before its order existed."""
    return dict((payment.metadata or {}).get(LINI, {}))


async def note_facts(payment: Payment, **changes: Any) -> None:
    """Merge `changes` into core's notes on the payment (its row locked by the caller, or just written)."""
    metadata = dict(payment.metadata or {})
    metadata[LINI] = {**metadata.get(LINI, {}), **changes}
    await Payment.filter(id=payment.id).update(metadata=metadata)
    payment.metadata = metadata


# -- placed -----------------------------------------------------------------------------------------------------


async def place(
    actor: Actor,
    *,
    values: dict[str, Any],
    lines: Sequence[OrderLine],
    tax_lines: Sequence[OrderTaxLine],
    payment: Payment,
    state: PaymentState,
    due_at: datetime,
    host: PluginHost | None,
    number: Callable[[Order, Event], Awaitable[int]] | None = None,
    brand_slug: str | None = None,
) -> Order:
    """Write the order (PAID when `state` pays for it, else UNPAID until `due_at`), its lines and tax lines,
    link the payment, and announce it (ORDER_CREATED, then `OrderPlaced`); anything the gateway reported about
    the payment before the order existed (a refund, a dispute) is applied to the order now.

    With `number`, `values["number"]` is a placeholder unique among the transactions in flight, and the real
    number is asked for (`number(order, event)`) last, once the order's rows and its ORDER_CREATED event are
    written: `number` gives the order row and the event's payload their real number, so the rows it locks (the
    brand's counter, and the stock checkout completion takes there) stay locked for as little of the
    transaction as possible. What it raises rolls the whole placement back; `OrderPlaced` and what the gateway
    reported before the order existed come after it (they may show the number)."""
    paid = state in PAID_STATES
    order = await Order.create(
        **values,
        status=OrderStatus.PAID if paid else OrderStatus.UNPAID,
        payment_status=PaymentStatus.PAID if paid else PaymentStatus.PENDING,
        paid_amount=payment.amount if paid else 0,
        payment_due_at=None if paid else due_at,
    )
    for line in (*lines, *tax_lines):
        line.order_id = order.id
    await OrderLine.bulk_create(list(lines))
    await OrderTaxLine.bulk_create(list(tax_lines))
    current = await Payment.filter(id=payment.id).select_for_update().get()
    await Payment.filter(id=payment.id).update(
        order_id=order.id,
        state=state,
        captured_amount=payment.amount if state == PaymentState.SUCCEEDED else 0,
    )
    current.order_id, current.state = order.id, state
    if paid:
        await note_facts(current, credited=True)
    await record(order, "PLACED", actor, f"Order placed, payment {state.value.lower()} via {payment.gateway}.")
    created = await order_changed(order, "ORDER_CREATED", brand_slug=brand_slug)
    if number is not None:
        order.number = await number(order, created)
    custom = any(line.custom_garment for line in lines)
    await publish(OrderPlaced(order=order, actor=actor, host=host, custom=custom))
    await _apply_remembered(order, current, actor)
    return order


async def _apply_remembered(order: Order, payment: Payment, actor: Actor) -> None:
    """Refunds and reviews a gateway reported while the payment had no order yet."""
    noted = facts(payment)
    if payment.refunded_amount > 0:
        await ledger.record_gateway_refund(
            order,
            payment,
            Decimal(payment.refunded_amount),
            reference=str(noted.get("refundReference", "")),
            actor=actor,
        )
    for pending in noted.get("reviews", []):
        await review.flag(order, pending["reason"], actor, event=pending.get("event"), data=pending.get("data"))
    if noted.get("reviews"):
        await note_facts(payment, reviews=[])


# -- paid -------------------------------------------------------------------------------------------------------


async def receive(
    order: Order,
    payment: Payment,
    *,
    state: PaymentState,
    amount: Decimal,
    actor: Actor,
    host: PluginHost | None,
    message: str = "",
) -> bool:
    """The payment's money was taken (`state` SUCCEEDED) or is held (AUTHORIZED); `payment` as read under the
    order's lock. False when it already was (the change is a conditional update, so it happens once).

    Money not yet counted for the order (a transfer staff saw arrive, an authorisation after the order was
    placed) raises `paid_amount`, pays the order (UNPAID → PAID, then `OrderPaid`) and is announced as
    ORDER_PAID; money already counted (a capture of what was authorised at placement) is only recorded. Money
    for a cancelled order, or not matching its total, flags the order for review."""
    changes: dict[str, Any] = {"state": state}
    if state == PaymentState.SUCCEEDED:
        changes["captured_amount"] = amount
    taken = await Payment.filter(id=payment.id, state__in=TAKEN_FROM[state]).update(**changes)
    if not taken:
        return False
    previous = PaymentState(payment.state)
    data = {"paymentId": payment.id, "amount": str(amount), "gateway": payment.gateway}
    await record(order, "PAYMENT", actor, message or f"{amount} {payment.currency} received.", data)
    if facts(payment).get("credited") or previous in PAID_STATES:
        if order.status == OrderStatus.CANCELLED and state == PaymentState.SUCCEEDED:
            label = gateway_label(payment.gateway)
            await review.flag(order, f"{label} took the money of this cancelled order: refund it.", actor)
        return True
    await note_facts(payment, credited=True)
    await Order.filter(id=order.id).update(paid_amount=F("paid_amount") + amount)
    order.paid_amount = (await Order.get(id=order.id)).paid_amount
    if order.payment_status == PaymentStatus.PENDING:
        await set_payment_status(order, PaymentStatus.PAID, actor)
    newly_paid = order.status == OrderStatus.UNPAID
    if newly_paid:
        await transition(order, OrderStatus.PAID, actor, host=host)
    reason = _paid_review(order, payment)
    if reason:
        await review.flag(order, reason, actor)
    await order_changed(order, "ORDER_PAID", data)
    if newly_paid:  # after ORDER_PAID: subscribers hear of the payment before the production it starts
        await publish(OrderPaid(order=order, actor=actor, host=host))
    return True


def _paid_review(order: Order, payment: Payment) -> str:
    if order.status == OrderStatus.CANCELLED:
        return "Money arrived for a cancelled order: refund it."
    if payment.currency != order.currency or order.paid_amount != order.total_amount:
        return f"Received {order.paid_amount} {payment.currency} for a total of {order.total_amount} {order.currency}."
    return ""


# -- production, shipping, delivery -------------------------------------------------------------------------------


async def start_production(order: Order, actor: Actor, *, host: PluginHost | None) -> None:
    """A paid order with made-to-measure garments to make (garments decide, on `OrderPlaced` / `OrderPaid`)."""
    message = "Made-to-measure garments go into production."
    await transition(order, OrderStatus.IN_PRODUCTION, actor, host=host, message=message)
    await order_changed(order, "ORDER_IN_PRODUCTION")


async def ready_to_ship(order: Order, actor: Actor, *, host: PluginHost | None) -> None:
    """Every live garment of an order in production passed quality control."""
    await transition(order, OrderStatus.READY_TO_SHIP, actor, host=host, message="Every garment is ready.")
    await order_changed(order, "ORDER_READY_TO_SHIP")


async def shipped(
    order: Order, actor: Actor, *, host: PluginHost | None, complete: bool, data: dict[str, Any], message: str
) -> None:
    """A shipment left: the order is SHIPPED when nothing is left to ship, else PARTIALLY_SHIPPED."""
    target = OrderStatus.SHIPPED if complete else OrderStatus.PARTIALLY_SHIPPED
    if order.status != target:
        await transition(order, target, actor, host=host)
    await record(order, "SHIPMENT", actor, message, data)
    await order_changed(order, "ORDER_SHIPPED" if complete else "ORDER_PARTIALLY_SHIPPED", data)


async def delivered(order: Order, actor: Actor, *, host: PluginHost | None) -> None:
    await transition(order, OrderStatus.DELIVERED, actor, host=host)
    await order_changed(order, "ORDER_DELIVERED")


# -- cancelled --------------------------------------------------------------------------------------------------


async def release_stock(order: Order) -> dict[int, int]:
    """Put back every unit not yet shipped; returns {variant_id: units}. One UPDATE per variant, relative
    to the current quantity, so it never overwrites a concurrent sale or stock count."""
    released: dict[int, int] = {}
    for line in await OrderLine.filter(order_id=order.id):
        units = line.quantity - line.quantity_shipped
        if line.variant_id is not None and units > 0:
            released[line.variant_id] = released.get(line.variant_id, 0) + units
    for variant_id, units in released.items():
        await Stock.filter(variant_id=variant_id).update(quantity=F("quantity") + units)
    return released


async def cancel(order: Order, actor: Actor, *, host: PluginHost | None, message: str) -> Order:
    """Cancel: the move first (a plugin may veto it before anything is written), then stock back on the shelf,
    `OrderCancelled` (garments call off their jobs), the voucher's use given back and open payments called off.
    What was paid is refunded after the commit (`core.orders.refunds.refund_outstanding`)."""
    await transition(order, OrderStatus.CANCELLED, actor, host=host, message=message)
    released = await release_stock(order)
    extra: dict[str, Any] = {}
    for answer in await publish(OrderCancelled(order=order, actor=actor, host=host)):
        extra.update(answer)
    if order.voucher_id is not None:  # the use counted at completion goes back with the order
        buyer = f"user:{order.user_id}" if order.user_id is not None else f"email:{order.email.lower()}"
        await vouchers.release(order.voucher_id, buyer if order.user_id or order.email else None)
    await Payment.filter(order_id=order.id, state__in=OPEN_PAYMENTS).update(state=PaymentState.CANCELLED)
    data = {"reason": message, "releasedStock": [{"variantId": v, "quantity": q} for v, q in released.items()]}
    await order_changed(order, "ORDER_CANCELLED", {**data, **extra})
    return order
