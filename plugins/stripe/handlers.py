"""What each Stripe event does to Lini, whatever order events arrive in.

Handlers look at the state Lini already has, never at the order events arrived in: a paid payment is never
un-paid by a late `payment_intent.payment_failed`, a refund or dispute reported before the payment itself is
remembered and applied once the order exists, and Stripe's cumulative refund total makes a late refund event
harmless. Each handler returns a short outcome, stored with the event.

Handled: payment_intent.succeeded, payment_intent.payment_failed, payment_intent.canceled,
payment_intent.amount_capturable_updated (an authorisation, with manual capture), charge.refunded and
charge.dispute.created.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from core.actors.models import Brand
from core.checkout import completion
from core.checkout.models import Checkout
from core.context import Actor, ActorKind
from core.errors import DomainError, DomainErrors
from core.orders import events as order_events
from core.orders.models import Order, OrderStatus
from core.payments.models import Payment, PaymentState
from core.plugins import PluginHost
from plugins.stripe import records
from plugins.stripe.amounts import from_stripe
from plugins.stripe.client import RETRYABLE
from plugins.stripe.gateway import StripeGateway, account_of, check_amount

logger = logging.getLogger("lini.plugins.stripe")
OPEN = [PaymentState.PENDING, PaymentState.ACTION_REQUIRED]


@dataclass(frozen=True)
class Context:
    host: PluginHost
    gateway: StripeGateway
    account: str | None  # the connected account the event came from (None: the platform's)


Handler = Callable[[dict[str, Any], Payment, Context], Awaitable[str]]


def intent_id_of(event: dict[str, Any]) -> str:
    """The PaymentIntent an event is about: the object itself, or the one its charge or dispute belongs to."""
    obj = event["data"]["object"]
    if obj.get("object") == "payment_intent":
        return str(obj.get("id") or "")
    intent = obj.get("payment_intent")
    return str(intent.get("id") if isinstance(intent, dict) else intent or "")


async def handle(event: dict[str, Any], host: PluginHost, gateway: StripeGateway) -> str:
    handler = HANDLERS.get(event["type"])
    if handler is None:
        return "ignored"
    obj = event["data"]["object"]
    metadata = obj.get("metadata") if obj.get("object") == "payment_intent" else None
    payment = await records.find_payment(intent_id_of(event), metadata)
    if payment is None:
        return "unknown_payment"  # another application's intent on the same account, or not Lini's at all
    account = event.get("account") or None
    if account != account_of(payment):
        logger.warning("event %s for payment %s came from account %s", event["id"], payment.id, account)
        return "wrong_account"
    return await handler(obj, payment, Context(host=host, gateway=gateway, account=account))


# -- payment_intent.succeeded / amount_capturable_updated ---------------------------------------------------


async def on_paid(intent: dict[str, Any], payment: Payment, ctx: Context) -> str:
    """Money received (succeeded) or held (requires_capture): the payment's order exists, or is made now."""
    if payment.order_id is not None:
        return await _paid_order(intent, payment)
    return await _complete(intent, payment, ctx)


async def _paid_order(intent: dict[str, Any], payment: Payment) -> str:
    assert payment.order_id is not None
    try:
        check_amount(intent, payment)
    except DomainError:
        received = from_stripe(intent.get("amount_received") or intent["amount"], intent["currency"])
        currency = str(intent["currency"]).upper()
        reason = (
            f"Stripe reports {received} {currency} for payment {payment.id} of {payment.amount} "
            f"{payment.currency}: check the payment before fulfilling the order."
        )
        await records.remember(
            payment, mismatch={"intent": intent["id"], "amount": str(received), "currency": currency}
        )
        await records.flag(payment.order_id, reason, data={"paymentId": payment.id})
        return "amount_mismatch"
    outcome = "already_paid" if intent["status"] == "succeeded" else "authorized"
    if intent["status"] == "succeeded":
        captured = await records.mark_captured(
            payment, Decimal(payment.amount), f"{payment.amount} {payment.currency} received through Stripe."
        )
        outcome = "captured" if captured else outcome
        order = await Order.get(id=payment.order_id)
        if captured and order.status == OrderStatus.CANCELLED:
            await records.flag(order.id, "Stripe took the money of this cancelled order: refund it.")
    await _apply_remembered(await Payment.get(id=payment.id))
    return outcome


async def _apply_remembered(payment: Payment) -> None:
    """Refunds and disputes Stripe reported before the order existed."""
    facts = records.remembered(payment)
    if payment.order_id is None:
        return
    if facts.get("amountRefunded"):
        refunded = from_stripe(int(facts["amountRefunded"]), payment.currency)
        await records.sync_refunds(payment, refunded, str(facts.get("charge", "")))
    if facts.get("dispute"):
        await _flag_dispute(payment, facts["dispute"])


async def _complete(intent: dict[str, Any], payment: Payment, ctx: Context) -> str:
    """The shopper paid but their checkout was never completed (a closed tab): complete it as they would
    have. Exactly one order results even when the storefront's checkoutComplete runs at the same moment:
    both go through core's completion, and the order's unique checkout token lets only one insert win."""
    key = f"stripe:{intent['id']}"
    reason = await _why_not_an_order(intent, payment)
    if reason is None:
        reason = await _complete_checkout(payment, key, ctx)
    fresh = await Payment.get(id=payment.id)
    if fresh.order_id is not None:  # completed, by this event or by the storefront meanwhile
        await _apply_remembered(fresh)
        order = await Order.get(id=fresh.order_id)
        return "order_created" if order.idempotency_key == key else "order_exists"
    return await _give_back(intent, fresh, reason or "another_payment_completed", ctx)


async def _complete_checkout(payment: Payment, key: str, ctx: Context) -> str | None:
    """Core's completion, as the checkout's owner would call it; the reason it refused, if it did."""
    checkout = await Checkout.get_or_none(id=payment.checkout_id)
    if checkout is None:
        return None  # completed (or cleared) a moment ago: the caller looks at the payment again
    brand = await Brand.get(id=payment.brand_id)
    # The system, acting for the checkout's owner: a signed-in shopper's checkout is theirs alone.
    actor = Actor(kind=ActorKind.SYSTEM, user_id=checkout.user_id)
    try:
        await completion.complete(actor, brand, payment.checkout_token, key, ctx.host)
    except DomainError as error:
        if error.code in RETRYABLE:
            raise
        return None if error.code == "CHECKOUT_COMPLETED" else error.code.lower()
    except DomainErrors as errors:
        return errors.errors[0].code.lower()
    return None


async def _why_not_an_order(intent: dict[str, Any], payment: Payment) -> str | None:
    if payment.state in (PaymentState.CANCELLED, PaymentState.FAILED):
        return "superseded"  # the checkout changed and a newer payment replaced this one
    try:
        check_amount(intent, payment)
    except DomainError:
        return "amount_mismatch"
    if records.remembered(payment).get("amountRefunded"):
        return "refunded_before_order"
    if payment.checkout_id is None or not await Checkout.exists(id=payment.checkout_id):
        return "checkout_gone"
    return None


async def _give_back(intent: dict[str, Any], payment: Payment, reason: str, ctx: Context) -> str:
    """Money that cannot become an order goes back: an authorisation is released, a charge refunded."""
    logger.warning(
        "Stripe payment %s (%s) cannot become an order (%s): giving it back", payment.id, intent["id"], reason
    )
    if intent["status"] == "requires_capture":
        await ctx.gateway.cancel(payment, reason="abandoned")
        await records.set_state(payment, PaymentState.CANCELLED, only_from=[*OPEN, PaymentState.AUTHORIZED])
        await records.remember(payment, unmatched={"reason": reason, "action": "released"})
        return f"released:{reason}"
    facts = records.remembered(payment)
    already = int(facts.get("amountRefunded") or 0)
    refund_id = ""
    if already < int(intent.get("amount_received") or 0):
        refund = await ctx.gateway.refund_all(payment, reason=reason)
        refund_id = refund["id"]
    received = from_stripe(int(intent.get("amount_received") or 0), intent["currency"])
    await Payment.filter(id=payment.id).update(
        state=PaymentState.SUCCEEDED, captured_amount=received, refunded_amount=received
    )
    await records.remember(payment, unmatched={"reason": reason, "action": "refunded", "refund": refund_id})
    return f"refunded:{reason}"


# -- payment_intent.payment_failed / canceled ---------------------------------------------------------------


async def on_failed(intent: dict[str, Any], payment: Payment, ctx: Context) -> str:
    """A declined attempt: the shopper may try again on the same intent, so the payment stays open."""
    if payment.order_id is not None or payment.state not in OPEN:
        return "stale"  # paid (or given up) already: a late failure of an earlier attempt changes nothing
    error = intent.get("last_payment_error") or {}
    await records.remember(
        payment,
        lastError={
            "code": error.get("code"),
            "declineCode": error.get("decline_code"),
            "message": error.get("message"),
        },
    )
    await records.set_state(payment, PaymentState.ACTION_REQUIRED, only_from=OPEN)
    return "attempt_failed"


async def on_canceled(intent: dict[str, Any], payment: Payment, ctx: Context) -> str:
    if payment.order_id is None:
        changed = await records.set_state(payment, PaymentState.CANCELLED, only_from=OPEN)
        return "cancelled" if changed else "stale"
    if payment.state != PaymentState.AUTHORIZED:
        return "stale"  # already captured, or released by Lini itself (a cancelled order)
    await records.set_state(payment, PaymentState.CANCELLED, only_from=[PaymentState.AUTHORIZED])
    order = await Order.get(id=payment.order_id)
    if order.status != OrderStatus.CANCELLED:
        await records.flag(
            order.id,
            "Stripe cancelled the card authorisation (it expired or was released): the money was never taken.",
            data={"paymentId": payment.id},
        )
    return "authorization_released"


# -- charge.refunded / charge.dispute.created ---------------------------------------------------------------


async def on_refunded(charge: dict[str, Any], payment: Payment, ctx: Context) -> str:
    units = int(charge.get("amount_refunded") or 0)
    if str(charge.get("currency", "")).upper() != payment.currency:
        return "currency_mismatch"
    facts = records.remembered(payment)
    units = max(units, int(facts.get("amountRefunded") or 0))  # refund totals only grow
    await records.remember(payment, amountRefunded=units, charge=charge.get("id", ""))
    if payment.order_id is None:
        return "remembered"  # the order is not made yet: the succeeded event sees it
    recorded = await records.sync_refunds(payment, from_stripe(units, payment.currency), str(charge.get("id", "")))
    await order_events.deliver_pending(ctx.host)
    return "refund_recorded" if recorded else "in_sync"


async def on_dispute(dispute: dict[str, Any], payment: Payment, ctx: Context) -> str:
    facts = {
        "id": dispute.get("id"),
        "reason": dispute.get("reason") or "",
        "amount": str(from_stripe(int(dispute.get("amount") or 0), str(dispute.get("currency") or payment.currency))),
    }
    await records.remember(payment, dispute=facts)
    if payment.order_id is None:
        return "remembered"
    await _flag_dispute(payment, facts)
    await order_events.deliver_pending(ctx.host)
    return "flagged_dispute"


async def _flag_dispute(payment: Payment, dispute: dict[str, Any]) -> None:
    assert payment.order_id is not None
    reason = (
        f"The shopper disputed {dispute['amount']} {payment.currency} at Stripe ({dispute['reason'] or 'no reason'}, "
        f"{dispute['id']}): answer it in the Stripe dashboard."
    )
    await records.flag(payment.order_id, reason, event="ORDER_PAYMENT_DISPUTED", data={"dispute": dispute})


HANDLERS: dict[str, Handler] = {
    "payment_intent.succeeded": on_paid,
    "payment_intent.amount_capturable_updated": on_paid,
    "payment_intent.payment_failed": on_failed,
    "payment_intent.canceled": on_canceled,
    "charge.refunded": on_refunded,
    "charge.dispute.created": on_dispute,
}

__all__ = ["HANDLERS", "handle", "intent_id_of"]
