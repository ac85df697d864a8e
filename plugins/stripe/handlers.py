"""What each Stripe event tells Lini: a typed payment update, applied by core (`apply_payment_update`).

Core applies updates against the state Lini already has, never the order events arrived in: a paid payment is
never un-paid by a late `payment_intent.payment_failed`, a refund or dispute reported before the order exists
is kept and applied once it does, and Stripe's cumulative refund total makes a late refund event harmless. The
plugin's own part is Stripe's: reading the event, checking it came from the payment's account, and giving back
money core says cannot become an order (releasing the authorisation, or refunding the charge). Each handler
returns a short outcome, stored with the event.

Handled: payment_intent.succeeded, payment_intent.payment_failed, payment_intent.canceled,
payment_intent.amount_capturable_updated (an authorisation, with manual capture), charge.refunded and
charge.dispute.created.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from lini.plugin import (
    Applied,
    Money,
    PaymentAuthorised,
    PaymentCancelled,
    PaymentCaptured,
    PaymentDisputed,
    PaymentFailed,
    PaymentRefundedAtGateway,
    PaymentUpdate,
    PluginHost,
    apply_payment_update,
    find_payment,
)
from plugins.stripe.amounts import from_stripe, to_stripe
from plugins.stripe.gateway import GATEWAY_ID, StripeGateway, account_of

logger = logging.getLogger("lini.plugins.stripe")


@dataclass(frozen=True)
class Seen:
    """One event, as the builders below need it."""

    id: str
    object: dict[str, Any]
    payment: Any  # the Lini payment the event is about


def intent_id_of(event: dict[str, Any]) -> str:
    """The PaymentIntent an event is about: the object itself, or the one its charge or dispute belongs to."""
    obj = event["data"]["object"]
    if obj.get("object") == "payment_intent":
        return str(obj.get("id") or "")
    intent = obj.get("payment_intent")
    return str(intent.get("id") if isinstance(intent, dict) else intent or "")


def _money(units: Any, currency: Any) -> Money:
    return Money(from_stripe(int(units or 0), str(currency)), str(currency).upper())


def _common(seen: Seen, amount: Money) -> dict[str, Any]:
    reference = seen.payment.psp_reference
    return {"gateway": GATEWAY_ID, "reference": reference, "amount": amount, "event_id": seen.id}


def _paid(seen: Seen) -> PaymentUpdate:
    intent = seen.object
    if intent["status"] == "succeeded":
        amount = seen.payment.amount
        message = f"{amount} {seen.payment.currency} received through Stripe."
        received = _money(intent.get("amount_received"), intent["currency"])
        return PaymentCaptured(**_common(seen, received), message=message)
    held = _money(intent.get("amount_capturable") or intent["amount"], intent["currency"])
    return PaymentAuthorised(**_common(seen, held))


def _failed(seen: Seen) -> PaymentUpdate:
    error = seen.object.get("last_payment_error") or {}
    last = {"code": error.get("code"), "declineCode": error.get("decline_code"), "message": error.get("message")}
    amount = _money(seen.object["amount"], seen.object["currency"])
    return PaymentFailed(**_common(seen, amount), message=error.get("message") or "", details={"lastError": last})


def _canceled(seen: Seen) -> PaymentUpdate:
    return PaymentCancelled(**_common(seen, _money(seen.object["amount"], seen.object["currency"])))


def _refunded(seen: Seen) -> PaymentUpdate:
    charge = seen.object
    total = _money(charge.get("amount_refunded"), charge.get("currency") or seen.payment.currency)
    return PaymentRefundedAtGateway(**_common(seen, total), refund_reference=str(charge.get("id", "")))


def _dispute(seen: Seen) -> PaymentUpdate:
    dispute = seen.object
    amount = _money(dispute.get("amount"), dispute.get("currency") or seen.payment.currency)
    return PaymentDisputed(
        **_common(seen, amount), dispute_id=str(dispute.get("id") or ""), reason=str(dispute.get("reason") or "")
    )


UPDATES: dict[str, Callable[[Seen], PaymentUpdate]] = {
    "payment_intent.succeeded": _paid,
    "payment_intent.amount_capturable_updated": _paid,
    "payment_intent.payment_failed": _failed,
    "payment_intent.canceled": _canceled,
    "charge.refunded": _refunded,
    "charge.dispute.created": _dispute,
}


async def handle(event: dict[str, Any], host: PluginHost, gateway: StripeGateway) -> str:
    build = UPDATES.get(event["type"])
    if build is None:
        return "ignored"
    obj = event["data"]["object"]
    metadata = (obj.get("metadata") if obj.get("object") == "payment_intent" else None) or {}
    payment = await find_payment(
        GATEWAY_ID,
        intent_id_of(event),
        payment_id=metadata.get("lini_payment_id"),
        checkout_token=str(metadata.get("lini_checkout", "")),
    )
    if payment is None:
        return "unknown_payment"  # another application's intent on the same account, or not Lini's at all
    account = event.get("account") or None
    if account != account_of(payment):
        logger.warning("event %s for payment %s came from account %s", event["id"], payment.id, account)
        return "wrong_account"
    applied = await apply_payment_update(build(Seen(event["id"], obj, payment)), host=host)
    if applied.give_back:
        return await _give_back(obj, payment, applied, host, gateway)
    return applied.outcome.value


async def _give_back(intent: dict[str, Any], payment: Any, applied: Applied, host: PluginHost, gateway: Any) -> str:
    """Money that cannot become an order goes back: an authorisation is released, a charge refunded; then the
    release or refund is reported to core like any other."""
    logger.warning(
        "Stripe payment %s (%s) cannot become an order (%s): giving it back", payment.id, intent["id"], applied.reason
    )
    amount = _money(intent.get("amount_received") or intent["amount"], intent["currency"])
    common = {"gateway": GATEWAY_ID, "reference": payment.psp_reference, "amount": amount}
    if intent["status"] == "requires_capture":
        await gateway.cancel(payment, reason="abandoned")
        await apply_payment_update(PaymentCancelled(**common), host=host)
        return f"released:{applied.reason}"
    fresh = await find_payment(GATEWAY_ID, payment.psp_reference)
    already = to_stripe(fresh.refunded_amount, fresh.currency) if fresh is not None else 0
    refund_id = ""
    if already < int(intent.get("amount_received") or 0):
        refund_id = (await gateway.refund_all(payment, reason=applied.reason))["id"]
    await apply_payment_update(PaymentRefundedAtGateway(**common, refund_reference=refund_id), host=host)
    return f"refunded:{applied.reason}"


__all__ = ["UPDATES", "handle", "intent_id_of"]
