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
from decimal import Decimal

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from core.context import SYSTEM, Actor
from core.errors import DomainError
from core.money import exponent, quantize
from core.orders import ledger, review
from core.orders.access import load_order, locked
from core.orders.ledger import RefundLine
from core.orders.models import Order
from core.orders.states import record
from core.payments import registry
from core.payments.gateways import RefundResult
from core.payments.models import Payment, PaymentState, Refund
from core.plugins import PluginHost

__all__ = ["RefundLine", "refund", "refund_outstanding"]
logger = logging.getLogger("lini.orders.refunds")
MAX_REASON = 2000


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
        async with in_transaction():
            current = await locked(order.id)
            refund_row = await ledger.reserve_refund(
                current, payment, actor, amount=amount, lines=lines, reason=reason, key=key
            )
    except IntegrityError:  # the same idempotency key, sent twice at once: the first one wins
        return await Refund.get(order_id=order.id, idempotency_key=key)
    result = await _call_gateway(host, order, payment, refund_row)
    async with in_transaction():
        await ledger.settle_refund(await locked(order.id), refund_row, result, actor)
    return await Refund.get(id=refund_row.id)


async def _call_gateway(host: PluginHost | None, order: Order, payment: Payment, refund_row: Refund) -> RefundResult:
    if host is None or (gateway := registry.gateways(host).get(payment.gateway)) is None:
        return RefundResult(succeeded=False, message=f"The {payment.gateway} gateway is not installed.")
    config = await registry.brand_config(order.brand_id, registry.plugin_of(host, payment.gateway) or "")
    try:
        return await gateway.refund(payment, refund_row.amount, f"lini-refund-{refund_row.id}", config)
    except Exception as exc:  # a gateway outage must not lose the record of the attempt
        logger.exception("refund %s through %s failed", refund_row.id, payment.gateway)
        return RefundResult(succeeded=False, message=f"The gateway failed: {exc}")


async def _flag(order: Order, reason: str) -> None:
    async with in_transaction():
        await review.flag(await locked(order.id), reason, SYSTEM)
