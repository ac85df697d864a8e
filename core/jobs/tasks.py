"""Core's tasks, in one Blueprint added under the namespace `lini` (`lini:expire_unpaid_orders`, ...).

Each periodic task carries a queueing lock (at most one run waits in the queue, so a slow run never piles up
behind it) and a lock (at most one runs at a time); procrastinate's periodic deferrer records each scheduled
run in the database, so however many workers run, each period's run is deferred once. A failed run is retried
with exponential backoff while its lock keeps the next period's run from being queued beside it.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from procrastinate import Blueprint, RetryStrategy

from core.checkout.services import delete_expired
from core.jobs.runtime import task_host
from core.orders.expiry import cancel_expired_unpaid
from core.outbox import dispatch, prune

NAMESPACE = "lini"
EVERY_5_SECONDS = "* * * * * */5"  # procrastinate's optional sixth field counts seconds
EVERY_MINUTE = "* * * * *"
EVERY_10_MINUTES = "*/10 * * * *"
NIGHTLY = "17 3 * * *"  # 03:17 UTC, away from the hour when other jobs cluster

logger = logging.getLogger("lini.jobs")
blueprint = Blueprint()


def _lock(task: str) -> str:
    return f"{NAMESPACE}:{task}"


@blueprint.periodic(cron=EVERY_MINUTE)
@blueprint.task(
    name="expire_unpaid_orders",
    lock=_lock("expire_unpaid_orders"),
    queueing_lock=_lock("expire_unpaid_orders"),
    retry=RetryStrategy(max_attempts=5, exponential_wait=2),  # 2, 4, 8, 16, 32 s: then the next minute's run
)
async def expire_unpaid_orders(timestamp: int) -> int:
    """Cancel unpaid orders past their payment deadline (their stock is released)."""
    cancelled = await cancel_expired_unpaid(datetime.now(UTC), task_host())
    if cancelled:
        logger.info("cancelled %d unpaid orders past their payment deadline", cancelled)
    return cancelled


@blueprint.periodic(cron=EVERY_10_MINUTES)
@blueprint.task(
    name="delete_expired_checkouts",
    lock=_lock("delete_expired_checkouts"),
    queueing_lock=_lock("delete_expired_checkouts"),
    retry=RetryStrategy(max_attempts=5, exponential_wait=3),
)
async def delete_expired_checkouts(timestamp: int) -> int:
    """Remove checkouts that expired a day ago or more."""
    return await delete_expired()


@blueprint.periodic(cron=EVERY_5_SECONDS)
@blueprint.task(
    name="sweep_events",
    lock=_lock("sweep_events"),
    queueing_lock=_lock("sweep_events"),
    retry=RetryStrategy(max_attempts=3, exponential_wait=2),
)
async def sweep_events(timestamp: int) -> int:
    """Deliver outbox events that the request which wrote them did not (a crash, a failing plugin)."""
    return await dispatch(task_host())


@blueprint.periodic(cron=NIGHTLY)
@blueprint.task(
    name="prune_events",
    lock=_lock("prune_events"),
    queueing_lock=_lock("prune_events"),
    retry=RetryStrategy(max_attempts=3, exponential_wait=60),
)
async def prune_events(timestamp: int) -> int:
    """Delete the outbox's old deliveries and events (`[events]` retention)."""
    pruned = await prune(task_host().settings)
    logger.info("pruned %d deliveries and %d events", pruned.deliveries, pruned.events)
    return pruned.deliveries + pruned.events
