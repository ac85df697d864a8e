"""A checkout's payment attempts: opened (or resumed) for its total, and what the gateway's `start` said.

Part of the payment lifecycle (`core.payments.lifecycle` applies what a gateway reports later): these are the
only writes of a payment before its checkout becomes an order.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tortoise.transactions import in_transaction

from core.money import Money
from core.payments.gateways import PaymentRef, PaymentStart
from core.payments.models import Payment, PaymentState

OPEN = (PaymentState.PENDING, PaymentState.ACTION_REQUIRED)
# Payments a newer one replaced are handed to the gateway's `start` for this long, so it may release them.
SUPERSEDED_WINDOW = timedelta(minutes=30)


async def open_payment(*, brand_id: int, checkout_id: int, checkout_token: str, gateway: str, total: Money) -> Payment:
    """The checkout's open payment through `gateway` for exactly `total`, resumed, or a new one; every other
    open payment of the checkout is cancelled (superseded), in one transaction."""
    async with in_transaction():
        open_payments = Payment.filter(checkout_id=checkout_id, state__in=OPEN)
        payment = await open_payments.filter(gateway=gateway, amount=total.amount, currency=total.currency).first()
        await open_payments.exclude(id=payment.id if payment else 0).update(state=PaymentState.CANCELLED)
        if payment is None:
            payment = await Payment.create(
                brand_id=brand_id,
                checkout_id=checkout_id,
                checkout_token=checkout_token,
                gateway=gateway,
                amount=total.amount,
                currency=total.currency,
            )
    return payment


async def superseded(payment: Payment) -> tuple[PaymentRef, ...]:
    """The checkout's payments through the same gateway that newer ones replaced lately, with a reference."""
    found = await Payment.filter(
        checkout_token=payment.checkout_token,
        gateway=payment.gateway,
        state=PaymentState.CANCELLED,
        order_id=None,
        psp_reference__not_isnull=True,
        updated_at__gte=datetime.now(UTC) - SUPERSEDED_WINDOW,
    ).exclude(id=payment.id)
    return tuple(PaymentRef(p.id, p.psp_reference or "", dict(p.action or {})) for p in found)


async def started(payment: Payment, start: PaymentStart) -> Payment:
    """Record the gateway's answer to `start`: its reference, the storefront's next action, the deadline, and its
    state unless a report of the gateway moved the payment on meanwhile (a webhook faster than the answer)."""
    reference = start.psp_reference or payment.psp_reference
    await Payment.filter(id=payment.id).update(
        psp_reference=reference, action=start.action, expires_at=start.expires_at
    )
    await Payment.filter(id=payment.id, state__in=OPEN).update(state=start.state)
    return await Payment.get(id=payment.id)
