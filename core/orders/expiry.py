"""Unpaid orders past their payment deadline are cancelled and their stock released.

The periodic `housekeeping` task runs this, and delivers order events a request left undelivered, in the
server process every `[orders] housekeeping_seconds`. It is a stopgap until a job queue runs such work
(see ARCHITECTURE.md: production runs workers on an established engine); running it in several processes at
once is safe, because each cancellation re-checks the order under its row lock and moves it conditionally.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from datetime import UTC, datetime
from typing import cast

from tortoise.transactions import in_transaction

from core.checkout.services import delete_expired as delete_expired_checkouts
from core.context import SYSTEM
from core.errors import DomainError
from core.orders.access import locked
from core.orders.cancellation import cancel_locked
from core.orders.models import Order, OrderStatus
from core.outbox import dispatch
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


async def run_once(host: PluginHost) -> None:
    cancelled = await cancel_expired_unpaid(datetime.now(UTC), host)
    if cancelled:
        logger.info("cancelled %d unpaid orders past their payment deadline", cancelled)
    await delete_expired_checkouts()
    await dispatch(host)


async def _loop(host: PluginHost, interval: float) -> None:
    while True:
        await asyncio.sleep(interval)
        try:
            await run_once(host)
        except Exception:  # a bad pass must not end the task; the next one tries again
            logger.exception("order housekeeping failed")


@asynccontextmanager
async def housekeeping(host: PluginHost, *, interval: float) -> AsyncIterator[asyncio.Task[None]]:
    """Run the periodic task while the context is open (the server's lifespan); cancelled on exit."""
    task = asyncio.create_task(_loop(host, interval), name="lini-order-housekeeping")
    try:
        yield task
    finally:
        task.cancel()
        with suppress(asyncio.CancelledError):
            await task
