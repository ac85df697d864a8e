"""Money given back on an order: refunds made in Lini (reserved, then settled once the gateway answered) and
refunds a gateway reports it made itself (in its dashboard). Never more than was paid and not yet refunded.

Part of the order lifecycle (`core.orders.lifecycle`): these are the only writes of `Refund` rows, of the
order's and payment's `refunded_amount` and of the refunded payment statuses. Each runs inside the caller's
transaction with the order row locked.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from tortoise.expressions import F

from core.context import Actor
from core.errors import DomainError, DomainErrors
from core.money import quantize
from core.orders.events import order_changed
from core.orders.models import Order, OrderLine, PaymentStatus
from core.orders.states import PAYMENT_TRANSITIONS, record, set_payment_status
from core.payments.gateways import RefundResult, gateway_label
from core.payments.models import Payment, Refund, RefundState


@dataclass(frozen=True, slots=True)
class RefundLine:
    order_line_id: int
    quantity: int


async def reserve_refund(
    order: Order,
    payment: Payment,
    actor: Actor,
    *,
    amount: Decimal | None,
    lines: Sequence[RefundLine],
    reason: str,
    key: str | None,
) -> Refund:
    """Check the amount (or the lines' share) against what is left and record a PENDING refund, counted in the
    order's `refunded_amount` at once so that a second refund at the same moment sees it; `order` locked."""
    if lines:
        amount = await _reserve_lines(order, lines)
    assert amount is not None
    left = order.paid_amount - order.refunded_amount
    if amount > left:
        raise DomainError(
            "REFUND_EXCEEDS_PAID",
            f"At most {quantize(left, order.currency)} {order.currency} can still be refunded.",
            "amount" if not lines else "lines",
        )
    refund_row = await Refund.create(
        order_id=order.id,
        payment_id=payment.id,
        amount=amount,
        currency=order.currency,
        reason=reason,
        lines=[{"orderLineId": line.order_line_id, "quantity": line.quantity} for line in lines],
        idempotency_key=key,
        created_by=actor.label,
    )
    await Order.filter(id=order.id).update(refunded_amount=F("refunded_amount") + amount)
    return refund_row


async def _reserve_lines(order: Order, lines: Sequence[RefundLine]) -> Decimal:
    """Check and count the refunded quantities; the amount is the lines' share of what they cost."""
    found = {line.id: line for line in await OrderLine.filter(order_id=order.id)}
    problems: list[DomainError] = []
    seen: set[int] = set()
    amount = Decimal(0)
    for i, wanted in enumerate(lines):
        line = found.get(wanted.order_line_id)
        if line is None or wanted.order_line_id in seen:
            problems.append(
                DomainError("INVALID", "Not a line of this order, or listed twice.", f"lines.{i}.order_line_id")
            )
            continue
        seen.add(line.id)
        left = line.quantity - line.quantity_refunded
        if not 0 < wanted.quantity <= left:
            problems.append(
                DomainError(
                    "INVALID_QUANTITY",
                    f"Between 1 and {left} units of this line can be refunded.",
                    f"lines.{i}.quantity",
                )
            )
            continue
        amount += quantize(line.total_amount * wanted.quantity / line.quantity, order.currency)
    if problems:
        raise DomainErrors(problems)
    for wanted in lines:
        await OrderLine.filter(id=wanted.order_line_id).update(
            quantity_refunded=F("quantity_refunded") + wanted.quantity
        )
    return amount


async def settle_refund(order: Order, refund_row: Refund, result: RefundResult, actor: Actor) -> None:
    """The gateway answered a reserved refund: SUCCEEDED (payment status PARTIALLY_REFUNDED or REFUNDED) or
    FAILED (the reservation is given back); `order` locked."""
    if not result.succeeded:
        await Refund.filter(id=refund_row.id).update(state=RefundState.FAILED, psp_reference=result.psp_reference)
        await Order.filter(id=order.id).update(refunded_amount=F("refunded_amount") - refund_row.amount)
        for line in refund_row.lines:
            await OrderLine.filter(id=line["orderLineId"]).update(
                quantity_refunded=F("quantity_refunded") - line["quantity"]
            )
        await record(order, "REFUND_FAILED", actor, result.message, {"refundId": refund_row.id})
        await order_changed(order, "ORDER_REFUND_FAILED", {"refundId": refund_row.id, "message": result.message})
        return
    await Refund.filter(id=refund_row.id).update(state=RefundState.SUCCEEDED, psp_reference=result.psp_reference)
    await Payment.filter(id=refund_row.payment_id).update(refunded_amount=F("refunded_amount") + refund_row.amount)
    refunded = sum((r.amount for r in await Refund.filter(order_id=order.id, state=RefundState.SUCCEEDED)), Decimal(0))
    full = refunded >= order.paid_amount
    await set_payment_status(order, PaymentStatus.REFUNDED if full else PaymentStatus.PARTIALLY_REFUNDED, actor)
    data = {"refundId": refund_row.id, "amount": str(refund_row.amount), "reason": refund_row.reason}
    await record(order, "REFUND", actor, refund_row.reason, data)
    await order_changed(order, "ORDER_REFUNDED", data)


async def record_gateway_refund(
    order: Order, payment: Payment, total: Decimal, *, reference: str, actor: Actor
) -> Decimal:
    """The gateway says `total` was refunded on `payment` so far (cumulative): record whatever exceeds the
    refunds Lini made or has in flight (PENDING counts as asked for) as a refund made at the gateway. Returns the
    amount recorded; a replayed or late report records nothing more. `order` locked."""
    rows = await Refund.filter(payment_id=payment.id, state__in=[RefundState.SUCCEEDED, RefundState.PENDING])
    extra = total - sum((r.amount for r in rows), Decimal(0))
    if extra <= 0:
        return Decimal(0)
    reason = f"Refunded in {gateway_label(payment.gateway)}."
    refund_row = await Refund.create(
        order_id=order.id,
        payment_id=payment.id,
        amount=extra,
        currency=payment.currency,
        state=RefundState.SUCCEEDED,
        reason=reason,
        psp_reference=reference,
        created_by=payment.gateway,
    )
    succeeded = sum((r.amount for r in rows if r.state == RefundState.SUCCEEDED), Decimal(0))
    current = await Payment.get(id=payment.id)
    await Payment.filter(id=payment.id).update(refunded_amount=max(Decimal(current.refunded_amount), succeeded + extra))
    await Order.filter(id=order.id).update(refunded_amount=F("refunded_amount") + extra)
    fresh = await Order.get(id=order.id)
    order.refunded_amount = fresh.refunded_amount
    target = PaymentStatus.REFUNDED if fresh.refunded_amount >= fresh.paid_amount else PaymentStatus.PARTIALLY_REFUNDED
    if target in PAYMENT_TRANSITIONS.get(PaymentStatus(order.payment_status), frozenset()):
        await set_payment_status(order, target, actor, message=reason)
    data = {"refundId": refund_row.id, "amount": str(extra), "reason": reason}
    await record(order, "REFUND", actor, reason, data)
    await order_changed(order, "ORDER_REFUNDED", data)
    return extra
