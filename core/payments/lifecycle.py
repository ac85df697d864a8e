"""Applying what a gateway reports about a payment (`core.payments.updates`): the only way a gateway changes
Lini's payments and orders.

`apply(update, host=host)` finds the payment by the gateway and its reference, then, in one transaction with
the order row locked (PostgreSQL; SQLite runs one transaction at a time) and the payment row too:
- skips an `event_id` applied before (`PaymentEvent`, written in the same transaction as the change);
- checks the amount and currency: money that does not match its payment flags the order for review and is
  never marked paid;
- writes the payment, the order (through `core.orders.lifecycle` and `core.orders.ledger`), their history and
  the outbox events, by conditional updates, so that applying an update twice changes nothing more.

A payment whose checkout was never completed (the shopper paid and closed the tab) becomes its order here, as
the shopper's own completion would have made it; when it cannot (the checkout changed, the amount differs, the
money was refunded already) the update's result says `give_back`, and the gateway releases or refunds the money
and reports that too. Reports about a payment without an order yet (a refund, a dispute) are kept with it and
applied when its order is placed. The outbox is delivered after the commit, as after any order mutation.

Before any of this, a payment is opened for a checkout and started at its gateway (`core.payments.attempts`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextlib import suppress
from decimal import Decimal
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from core.actors.models import Brand
from core.checkout import completion
from core.checkout.models import Checkout
from core.context import SYSTEM, Actor, ActorKind
from core.errors import DomainError, DomainErrors
from core.orders import ledger, lifecycle, review
from core.orders.access import locked
from core.orders.models import Order, OrderStatus
from core.outbox import after_commit
from core.payments.gateways import RETRY_LATER, gateway_label
from core.payments.models import Payment, PaymentEvent, PaymentState
from core.payments.updates import (
    Applied,
    Outcome,
    PaymentAuthorised,
    PaymentCancelled,
    PaymentCaptured,
    PaymentDisputed,
    PaymentFailed,
    PaymentRefundedAtGateway,
    PaymentUpdate,
)
from core.plugins import PluginHost

OPEN = (PaymentState.PENDING, PaymentState.ACTION_REQUIRED)
DISPUTED = "ORDER_PAYMENT_DISPUTED"
# Outcomes after which the same event must be applied again when it comes back: the money is still to be given
# back (UNMATCHED), or the payment's checkout is being completed outside this transaction (None, below).
NOT_RECORDED = frozenset({Outcome.UNMATCHED, Outcome.DUPLICATE, Outcome.UNKNOWN_PAYMENT})
Handler = Callable[[Any, Payment, Order | None, Actor, PluginHost | None], Awaitable[Applied | None]]


async def apply(update: PaymentUpdate, *, host: PluginHost | None, actor: Actor = SYSTEM) -> Applied:
    """Apply a gateway's report about the payment `update.reference` names; see the module docstring."""
    payment = await Payment.get_or_none(gateway=update.gateway, psp_reference=update.reference)
    if payment is None:
        return Applied(Outcome.UNKNOWN_PAYMENT)
    return await apply_to(payment.id, update, host=host, actor=actor)


async def apply_to(payment_id: int, update: PaymentUpdate, *, host: PluginHost | None, actor: Actor) -> Applied:
    """`apply` for a payment core already has in hand (staff marking a transfer received)."""
    try:
        applied = await _apply_locked(payment_id, update, host, actor)
    except IntegrityError:
        if update.event_id and await _seen(update):
            return Applied(Outcome.DUPLICATE)  # the same event, applied by another delivery at the same moment
        raise
    if applied is None:
        applied = await _without_order(payment_id, update, host)
        if applied.outcome not in NOT_RECORDED:
            await _remember_event(update, payment_id, applied)
    await after_commit(host)
    return applied


async def _seen(update: PaymentUpdate) -> bool:
    return await PaymentEvent.exists(gateway=update.gateway, event_id=update.event_id)


async def _record_event(update: PaymentUpdate, payment_id: int, applied: Applied) -> None:
    """Inside the change's transaction; a concurrent twin makes it raise IntegrityError (and roll back)."""
    if update.event_id:
        await PaymentEvent.create(
            gateway=update.gateway,
            event_id=update.event_id[:255],
            payment_id=payment_id,
            kind=type(update).__name__,
            outcome=applied.outcome.value,
        )


async def _remember_event(update: PaymentUpdate, payment_id: int, applied: Applied) -> None:
    """After a change made in a transaction of its own (checkout completion)."""
    with suppress(IntegrityError):  # recorded by a concurrent delivery of the same event
        await _record_event(update, payment_id, applied)


async def _apply_locked(
    payment_id: int, update: PaymentUpdate, host: PluginHost | None, actor: Actor
) -> Applied | None:
    """One transaction: the order locked (then the payment), the update applied; None when the payment has no
    order and the update needs one (the caller completes its checkout, outside this transaction)."""
    for _ in range(3):
        async with in_transaction():
            order_id = (await Payment.get(id=payment_id)).order_id
            order = await locked(order_id) if order_id is not None else None
            payment = await Payment.filter(id=payment_id).select_for_update().get()
            if payment.order_id != order_id:
                continue  # its checkout was completed a moment ago: take the order's lock instead
            if update.event_id and await _seen(update):
                return Applied(Outcome.DUPLICATE, payment.order_id)
            applied = await HANDLERS[type(update)](update, payment, order, actor, host)
            if applied is None:
                return None
            if applied.outcome != Outcome.STALE and update.details:
                await _keep_details(payment, update)
            if applied.outcome not in NOT_RECORDED:
                await _record_event(update, payment.id, applied)
            return applied
    raise RuntimeError(f"payment {payment_id} kept changing orders while an update was applied")


async def _keep_details(payment: Payment, update: PaymentUpdate) -> None:
    metadata = dict(payment.metadata or {})
    metadata[update.gateway] = {**metadata.get(update.gateway, {}), **dict(update.details)}
    await Payment.filter(id=payment.id).update(metadata=metadata)
    payment.metadata = metadata


def _matches(update: PaymentUpdate, payment: Payment) -> bool:
    return update.amount.currency == payment.currency and update.amount.amount == Decimal(payment.amount)


# -- money held or taken ----------------------------------------------------------------------------------------


async def _authorised(
    update: PaymentAuthorised, payment: Payment, order: Order | None, actor: Actor, host: PluginHost | None
) -> Applied | None:
    return await _money(update, payment, order, actor, host, PaymentState.AUTHORIZED)


async def _captured(
    update: PaymentCaptured, payment: Payment, order: Order | None, actor: Actor, host: PluginHost | None
) -> Applied | None:
    return await _money(update, payment, order, actor, host, PaymentState.SUCCEEDED)


async def _money(
    update: PaymentUpdate,
    payment: Payment,
    order: Order | None,
    actor: Actor,
    host: PluginHost | None,
    state: PaymentState,
) -> Applied | None:
    if order is None:
        return None
    if not _matches(update, payment):
        await _flag_mismatch(update, payment, order, actor)
        return Applied(Outcome.AMOUNT_MISMATCH, order.id)
    taken = await lifecycle.receive(
        order, payment, state=state, amount=update.amount.amount, actor=actor, host=host, message=update.message
    )
    if state == PaymentState.AUTHORIZED:
        return Applied(Outcome.AUTHORIZED, order.id)
    return Applied(Outcome.CAPTURED if taken else Outcome.ALREADY_PAID, order.id)


async def _flag_mismatch(update: PaymentUpdate, payment: Payment, order: Order, actor: Actor) -> None:
    received = f"{update.amount.amount} {update.amount.currency}"
    reason = (
        f"{gateway_label(update.gateway)} reports {received} for payment {payment.id} of {payment.amount} "
        f"{payment.currency}: check the payment before fulfilling the order."
    )
    mismatch = {"reference": update.reference, "amount": str(update.amount.amount), "currency": update.amount.currency}
    metadata = dict(payment.metadata or {})
    metadata[update.gateway] = {**metadata.get(update.gateway, {}), "mismatch": mismatch}
    await Payment.filter(id=payment.id).update(metadata=metadata)
    payment.metadata = metadata
    await review.flag(order, reason, actor, data={"paymentId": payment.id})


# -- no money ---------------------------------------------------------------------------------------------------


async def _failed(
    update: PaymentFailed, payment: Payment, order: Order | None, actor: Actor, host: PluginHost | None
) -> Applied:
    if update.capture:
        if order is None or payment.state != PaymentState.AUTHORIZED:
            return Applied(Outcome.STALE, payment.order_id)
        why = update.message or "no reason given"
        reason = f"{gateway_label(update.gateway)} could not capture payment {payment.id}: {why}"
        await review.flag(order, reason, actor, data={"paymentId": payment.id})
        return Applied(Outcome.CAPTURE_FAILED, order.id)
    if order is not None or payment.state not in OPEN:
        return Applied(Outcome.STALE, payment.order_id)  # paid or given up already: a late failure changes nothing
    state = PaymentState.FAILED if update.final else PaymentState.ACTION_REQUIRED
    await Payment.filter(id=payment.id, state__in=OPEN).update(state=state)
    return Applied(Outcome.FAILED if update.final else Outcome.ATTEMPT_FAILED)


async def _cancelled(
    update: PaymentCancelled, payment: Payment, order: Order | None, actor: Actor, host: PluginHost | None
) -> Applied:
    if order is None:
        held = (*OPEN, PaymentState.AUTHORIZED)
        changed = await Payment.filter(id=payment.id, state__in=held).update(state=PaymentState.CANCELLED)
        return Applied(Outcome.CANCELLED if changed else Outcome.STALE)
    if payment.state != PaymentState.AUTHORIZED:
        return Applied(Outcome.STALE, order.id)  # captured already, or released by Lini itself (a cancelled order)
    await Payment.filter(id=payment.id, state=PaymentState.AUTHORIZED).update(state=PaymentState.CANCELLED)
    if order.status != OrderStatus.CANCELLED:
        reason = (
            f"{gateway_label(update.gateway)} cancelled the authorisation (it expired or was released): the money "
            "was never taken."
        )
        await review.flag(order, reason, actor, data={"paymentId": payment.id})
    return Applied(Outcome.AUTHORIZATION_RELEASED, order.id)


# -- money given back, disputes ---------------------------------------------------------------------------------


async def _refunded(
    update: PaymentRefundedAtGateway, payment: Payment, order: Order | None, actor: Actor, host: PluginHost | None
) -> Applied:
    if update.amount.currency != payment.currency:
        return Applied(Outcome.CURRENCY_MISMATCH, payment.order_id)
    total = update.amount.amount
    if order is None:  # kept until the order exists (and a refunded payment never becomes one)
        await Payment.filter(id=payment.id).update(refunded_amount=max(Decimal(payment.refunded_amount), total))
        if update.refund_reference:
            await lifecycle.note_facts(payment, refundReference=update.refund_reference)
        return Applied(Outcome.REMEMBERED)
    recorded = await ledger.record_gateway_refund(order, payment, total, reference=update.refund_reference, actor=actor)
    return Applied(Outcome.REFUND_RECORDED if recorded else Outcome.IN_SYNC, order.id)


async def _disputed(
    update: PaymentDisputed, payment: Payment, order: Order | None, actor: Actor, host: PluginHost | None
) -> Applied:
    label = gateway_label(update.gateway)
    amount = f"{update.amount.amount} {update.amount.currency}"
    reason = (
        f"The shopper disputed {amount} at {label} ({update.reason or 'no reason'}, {update.dispute_id}): "
        f"answer it at {label}."
    )
    dispute = {"id": update.dispute_id, "reason": update.reason, "amount": str(update.amount.amount)}
    if order is None:
        pending = [
            *lifecycle.facts(payment).get("reviews", []),
            {"reason": reason, "event": DISPUTED, "data": {"dispute": dispute}},
        ]
        await lifecycle.note_facts(payment, reviews=pending)
        return Applied(Outcome.REMEMBERED)
    await review.flag(order, reason, actor, event=DISPUTED, data={"dispute": dispute})
    return Applied(Outcome.FLAGGED_DISPUTE, order.id)


HANDLERS: dict[type, Handler] = {
    PaymentAuthorised: _authorised,
    PaymentCaptured: _captured,
    PaymentFailed: _failed,
    PaymentCancelled: _cancelled,
    PaymentRefundedAtGateway: _refunded,
    PaymentDisputed: _disputed,
}


# -- a paid checkout that was never completed -------------------------------------------------------------------


async def _without_order(payment_id: int, update: PaymentUpdate, host: PluginHost | None) -> Applied:
    """The shopper paid but their checkout was never completed (a closed tab): complete it as they would have.
    Exactly one order results even when the storefront's checkoutComplete runs at the same moment: both go
    through core's completion, and the order's unique checkout token lets only one insert win."""
    payment = await Payment.get(id=payment_id)
    unmatched = lifecycle.facts(payment).get("unmatched")
    if unmatched:
        return Applied(Outcome.UNMATCHED, reason=str(unmatched))  # told before; not given back yet
    key = f"{update.gateway}:{update.reference}"[: completion.MAX_KEY]
    reason = await _why_not_an_order(update, payment)
    if reason is None:
        await _record_reported(payment, update)
        reason = await _complete_checkout(payment, key, host)
    fresh = await Payment.get(id=payment_id)
    if fresh.order_id is not None:  # completed, by this update or by the storefront meanwhile
        order = await Order.get(id=fresh.order_id)
        if order.idempotency_key == key:
            return Applied(Outcome.ORDER_CREATED, order.id)
        await _apply_locked(payment_id, update, host, SYSTEM)  # as for any order's payment (already paid, mostly)
        return Applied(Outcome.ORDER_EXISTS, order.id)
    return await _unmatched(fresh, update, reason or "another_payment_completed")


async def _why_not_an_order(update: PaymentUpdate, payment: Payment) -> str | None:
    if payment.state in (PaymentState.CANCELLED, PaymentState.FAILED):
        return "superseded"  # the checkout changed and a newer payment replaced this one
    if not _matches(update, payment):
        return "amount_mismatch"
    if payment.refunded_amount > 0:
        return "refunded_before_order"
    if payment.checkout_id is None or not await Checkout.exists(id=payment.checkout_id):
        return "checkout_gone"
    return None


async def _record_reported(payment: Payment, update: PaymentUpdate) -> None:
    """The money the gateway reports, on the open payment before its checkout is completed: a gateway whose
    `status` is what Lini last heard (its events) then answers it too."""
    if isinstance(update, PaymentCaptured):
        changes: dict[str, Any] = {"state": PaymentState.SUCCEEDED, "captured_amount": update.amount.amount}
    else:
        changes = {"state": PaymentState.AUTHORIZED}
    await Payment.filter(id=payment.id, state__in=OPEN).update(**changes)


async def _complete_checkout(payment: Payment, key: str, host: PluginHost | None) -> str | None:
    """Core's completion, as the checkout's owner would call it; the reason it refused, if it did."""
    checkout = await Checkout.get_or_none(id=payment.checkout_id)
    if checkout is None or host is None:
        return None if checkout is None else "no_plugin_host"
    brand = await Brand.get(id=payment.brand_id)
    # The system, acting for the checkout's owner: a signed-in shopper's checkout is theirs alone.
    actor = Actor(kind=ActorKind.SYSTEM, user_id=checkout.user_id)
    try:
        await completion.complete(actor, brand, payment.checkout_token, key, host)
    except DomainError as error:
        if error.code in RETRY_LATER:
            raise  # the gateway is down: its provider delivers the report again later
        return None if error.code == "CHECKOUT_COMPLETED" else error.code.lower()
    except DomainErrors as errors:
        return errors.errors[0].code.lower()
    return None


async def _unmatched(payment: Payment, update: PaymentUpdate, reason: str) -> Applied:
    """Money that cannot become an order: recorded as taken (a capture) and marked to be given back."""
    async with in_transaction():
        current = await Payment.filter(id=payment.id).select_for_update().get()
        if isinstance(update, PaymentCaptured):
            await Payment.filter(id=payment.id).update(
                state=PaymentState.SUCCEEDED, captured_amount=update.amount.amount
            )
        await lifecycle.note_facts(current, unmatched=reason)
    return Applied(Outcome.UNMATCHED, reason=reason)
