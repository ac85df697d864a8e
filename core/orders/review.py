"""Orders staff must look at before anything ships: money that does not match, a dispute, a capture that failed.

Reasons add up (one per line of `review_reason`) and the same reason twice is recorded once, so a replayed
report flags nothing new. Call inside the change's transaction, with the order row locked.
"""

from __future__ import annotations

from typing import Any

from core.context import Actor
from core.orders.events import order_changed
from core.orders.models import Order
from core.orders.states import record


async def flag(
    order: Order, reason: str, actor: Actor, *, event: str | None = None, data: dict[str, Any] | None = None
) -> bool:
    """Mark the order for review with `reason` (and announce `event`, if given); False when it already says so."""
    if order.needs_review and reason in order.review_reason:
        return False
    review = f"{order.review_reason}\n{reason}".strip() if order.needs_review else reason
    await Order.filter(id=order.id).update(needs_review=True, review_reason=review)
    order.needs_review, order.review_reason = True, review
    await record(order, "NEEDS_REVIEW", actor, reason, data)
    if event:
        await order_changed(order, event, data)
    return True
