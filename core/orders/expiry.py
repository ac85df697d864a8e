"""Unpaid orders past their payment deadline are cancelled and their stock released.

The job queue's periodic task `lini:expire_unpaid_orders` (core.jobs.tasks) runs this every minute, once across
all workers; running it in several processes at once would be safe anyway, because each cancellation re-checks
the order under its row lock and moves it conditionally.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import cast

from tortoise.transactions import in_transaction

from core.context import SYSTEM
from core.errors import DomainError
from core.orders.access import locked
from core.orders.cancellation import cancel_locked
from core.orders.models import Order, OrderStatus
from core.plugins import PluginHost

logger = logging.getLogger("lini.orders.expiry")
EXPIRED = "expired"


async def cancel_expired_unpaid(now: datetime, host: PluginHost | None) -> int:
    """Cancel every UNPAID order whose `payment_due_at` is before `now`; returns how many were cancelled."""
    ids = cast(
        "list[int]",  # tortoise types values_list(flat=True) as tuples; one field gives its values
        await Order.filter(status=OrderStatus.UNPAID, payment_due_at__lt=now)
        .order_by("id")
        .values_list("id", flat=True),
    )
    cancelled = 0
    for order_id in ids:
        try:
            async with in_transaction():
                order = await locked(order_id)
                if order.status != OrderStatus.UNPAID:  # paid or cancelled since the list was read
                    continue
                await cancel_locked(order, SYSTEM, host=host, message=EXPIRED)
            cancelled += 1
        except DomainError as error:  # e.g. a plugin vetoed it: leave the order, try again next time
            logger.warning("order %s not cancelled on expiry: %s", order_id, error.message)
    return cancelled
