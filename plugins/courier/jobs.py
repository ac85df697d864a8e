"""The plugin's periodic task: polling the courier for shipments its webhooks may have missed."""

from __future__ import annotations

from lini.plugin import Blueprint, RetryStrategy, task_host
from plugins.courier import tracking
from plugins.courier.settings import NAME

blueprint = Blueprint()


@blueprint.periodic(cron="*/15 * * * *")
@blueprint.task(
    name="poll_tracking",
    queueing_lock=f"{NAME}:poll_tracking",
    lock=f"{NAME}:poll_tracking",
    retry=RetryStrategy(max_attempts=2, wait=60),
)
async def poll_tracking(timestamp: int) -> int:
    """Every 15 minutes, one batch (`poll_batch`) of booked labels whose parcel is still on its way."""
    from plugins.courier.plugin import api_for  # the plugin module imports this one

    host = task_host()
    return await tracking.poll(api_for(host), host, batch=host.config(NAME).poll_batch)
