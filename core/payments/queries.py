"""Reading payments, for gateways: the payment a provider's notification is about, and an order's payments.

Gateways read; they never write (`core.payments.lifecycle.apply` does). The one exception here is core's own:
`find_payment` may save the reference of a payment whose `start` never got to return it (the process stopped
right after the provider created its object), so later notifications find it by reference.
"""

from __future__ import annotations

from core.payments.models import Payment


async def find_payment(
    gateway: str, reference: str, *, payment_id: int | str | None = None, checkout_token: str = ""
) -> Payment | None:
    """The payment `reference` names at `gateway`; failing that, the payment with `payment_id` and
    `checkout_token` (which the gateway sent the provider as metadata) if it has no reference yet, which is
    claimed for `reference`. None when neither matches."""
    if not reference:
        return None
    payment = await Payment.get_or_none(gateway=gateway, psp_reference=reference)
    if payment is not None or payment_id is None or not checkout_token:
        return payment
    if not str(payment_id).isdigit():
        return None
    claimed = await Payment.filter(
        id=int(payment_id), gateway=gateway, checkout_token=checkout_token, psp_reference=None
    ).update(psp_reference=reference)
    return await Payment.get(id=int(payment_id)) if claimed else None


async def order_payments(order_id: int, *, gateway: str) -> list[Payment]:
    """The order's payments through `gateway`, oldest first."""
    return await Payment.filter(order_id=order_id, gateway=gateway).order_by("id")
