"""Refunds: never more than was paid and not yet refunded, paid back through the gateway that took the money.

A refund happens in three steps, because the gateway is a network call that must not hold a transaction open:
1. reserve — in one transaction, with the order row locked (PostgreSQL; SQLite runs one transaction at a
   time), check the amount against what is left, record a PENDING `Refund` and add it to the order's
   `refunded_amount`, so a second refund at the same moment sees the first;
2. call the gateway with a key unique to that refund (a retry cannot pay twice);
3. apply — mark the refund SUCCEEDED (payment status PARTIALLY_REFUNDED or REFUNDED) or FAILED (the
   reservation is given back), with history and an event.
A repeated `idempotency_key` returns the first refund and changes nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F
from tortoise.transactions import in_transaction

from core.context import SYSTEM, Actor
from core.errors import DomainError, DomainErrors
from core.money import exponent, quantize
from core.orders.access import load_order, locked
from core.orders.events import order_changed
from core.orders.models import Order, OrderLine, PaymentStatus
from core.orders.states import record, set_payment_status
from core.payments import registry
from core.payments.gateways import RefundResult
from core.payments.models import Payment, PaymentState, Refund, RefundState
from core.plugins import PluginHost

logger = logging.getLogger("lini.orders.refunds")
MAX_REASON = 2000


@dataclass(frozen=True, slots=True)
class RefundLine:
    order_line_id: int
    quantity: int


async def refund(
    actor: Actor,
    order_id: int,
    *,
    host: PluginHost | None,
    amount: Decimal | None = None,
    lines: Sequence[RefundLine] | None = None,
    reason: str = "",
    idempotency_key: str | None = None,
) -> Refund:
    """Refund an amount, or the given quantities of lines (their price after discount, tax included)."""
    order = await load_order(actor, order_id)
    if idempotency_key:
        earlier = await Refund.get_or_none(order_id=order.id, idempotency_key=idempotency_key)
        if earlier is not None:
            return earlier
    if (amount is None) == (not lines):
        raise DomainError("INVALID", "Give either an amount or lines to refund, not both.", "amount")
    if len(reason) > MAX_REASON:
        raise DomainError("INVALID", f"A reason has at most {MAX_REASON} characters.", "reason")
    if idempotency_key is not None and not 1 <= len(idempotency_key) <= 100:
        raise DomainError("INVALID", "An idempotency key has 1 to 100 characters.", "idempotency_key")
    wanted = _checked_amount(amount, order.currency) if amount is not None else None
    return await _refund(
        order, actor, host=host, amount=wanted, lines=list(lines or ()), reason=reason, key=idempotency_key
    )


async def refund_outstanding(order: Order, actor: Actor, *, host: PluginHost | None, key: str, reason: str) -> None:
    """Refund whatever is paid and not yet refunded (a cancelled order); nothing when nothing is left."""
    fresh = await Order.get(id=order.id)
    left = fresh.paid_amount - fresh.refunded_amount
    only_held = (
        left > 0
        and not await Payment.exists(order_id=order.id, state=PaymentState.SUCCEEDED)
        and await Payment.exists(order_id=order.id, state=PaymentState.CANCELLED, captured_amount=0)
    )
    if only_held:
        # The money was only held (AUTHORIZED, never captured), and cancelling the order cancelled that
        # payment: the gateway releases the hold when it hears of it (its `order_event`), nothing goes back.
        await record(fresh, "PAYMENT", actor, "The payment was only authorised: its hold is released.")
        return
    if left > 0:
        try:
            await _refund(fresh, actor, host=host, amount=left, lines=[], reason=reason, key=key)
        except DomainError as error:  # e.g. no succeeded payment to refund through: staff must look
            await _flag(fresh, f"Could not refund {left} {fresh.currency} automatically: {error.message}")


def _checked_amount(amount: Decimal, currency: str) -> Decimal:
    if amount <= 0:
        raise DomainError("INVALID", "A refund must be more than zero.", "amount")
    if quantize(amount, currency) != amount:
        raise DomainError("INVALID", f"{currency} amounts have at most {exponent(currency)} decimals.", "amount")
    return amount


async def _refund(
    order: Order,
    actor: Actor,
    *,
    host: PluginHost | None,
    amount: Decimal | None,
    lines: list[RefundLine],
    reason: str,
    key: str | None,
) -> Refund:
    payment = await Payment.filter(order_id=order.id, state=PaymentState.SUCCEEDED).order_by("id").first()
    if payment is None:
        raise DomainError("NOTHING_PAID", "No payment of this order was received, so there is nothing to refund.")
    try:
        refund_row = await _reserve(order, payment, actor, amount=amount, lines=lines, reason=reason, key=key)
    except IntegrityError:  # the same idempotency key, sent twice at once: the first one wins
        return await Refund.get(order_id=order.id, idempotency_key=key)
    result = await _call_gateway(host, order, payment, refund_row)
    await _apply(order.id, refund_row, result, actor)
    return await Refund.get(id=refund_row.id)


async def _reserve(
    order: Order,
    payment: Payment,
    actor: Actor,
    *,
    amount: Decimal | None,
    lines: list[RefundLine],
    reason: str,
    key: str | None,
) -> Refund:
    async with in_transaction():
        current = await locked(order.id)
        if lines:
            amount = await _reserve_lines(current, lines)
        assert amount is not None
        left = current.paid_amount - current.refunded_amount
        if amount > left:
            raise DomainError(
                "REFUND_EXCEEDS_PAID",
                f"At most {quantize(left, current.currency)} {current.currency} can still be refunded.",
                "amount" if not lines else "lines",
            )
        refund_row = await Refund.create(
            order_id=current.id,
            payment_id=payment.id,
            amount=amount,
            currency=current.currency,
            reason=reason,
            lines=[{"orderLineId": line.order_line_id, "quantity": line.quantity} for line in lines],
            idempotency_key=key,
            created_by=actor.label,
        )
        await Order.filter(id=current.id).update(refunded_amount=F("refunded_amount") + amount)
        return refund_row


async def _reserve_lines(order: Order, lines: list[RefundLine]) -> Decimal:
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


async def _call_gateway(host: PluginHost | None, order: Order, payment: Payment, refund_row: Refund) -> RefundResult:
    gateway = registry.gateways(host).get(payment.gateway) if host is not None else None
    if gateway is None:
        return RefundResult(succeeded=False, message=f"The {payment.gateway} gateway is not installed.")
    config = await registry.brand_config(order.brand_id, registry.plugin_of(host, payment.gateway) or "")
    try:
        return await gateway.refund(payment, refund_row.amount, f"lini-refund-{refund_row.id}", config)
    except Exception as exc:  # a gateway outage must not lose the record of the attempt
        logger.exception("refund %s through %s failed", refund_row.id, payment.gateway)
        return RefundResult(succeeded=False, message=f"The gateway failed: {exc}")


async def _apply(order_id: int, refund_row: Refund, result: RefundResult, actor: Actor) -> None:
    async with in_transaction():
        order = await locked(order_id)
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
        refunded = sum(
            (r.amount for r in await Refund.filter(order_id=order.id, state=RefundState.SUCCEEDED)), Decimal(0)
        )
        full = refunded >= order.paid_amount
        await set_payment_status(order, PaymentStatus.REFUNDED if full else PaymentStatus.PARTIALLY_REFUNDED, actor)
        data = {"refundId": refund_row.id, "amount": str(refund_row.amount), "reason": refund_row.reason}
        await record(order, "REFUND", actor, refund_row.reason, data)
        await order_changed(order, "ORDER_REFUNDED", data)


async def _flag(order: Order, reason: str) -> None:
    async with in_transaction():
        await Order.filter(id=order.id).update(needs_review=True, review_reason=reason)
        await record(order, "NEEDS_REVIEW", SYSTEM, reason)
