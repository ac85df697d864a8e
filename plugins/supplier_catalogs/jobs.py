"""The plugin's tasks on Lini's job queue: imports, source fetches and prices that start later.

An import defers its own `run_import` job as it is queued (`importer.queue_import`), so an upload or a fetched
file starts at once. A periodic `pick_work` (every 5 s) defers one `fetch_source` job per source that is due,
and a `run_import` job for any QUEUED import that has none waiting (one whose job was lost), each with a
queueing lock of its own (`supplier_catalogs:import:<id>`, `supplier_catalogs:fetch:<id>`), so a slow fetch
never has a second one queued behind it, while one source's fetch never waits for another's. The QUEUED import
row is the durable record: a job lost to a restart loses no import, the next pick defers it again.
`apply_prices` makes the prices whose day has come the materials' prices.
"""

from __future__ import annotations

import ipaddress
import logging
from typing import Any

from procrastinate.exceptions import AlreadyEnqueued

from lini.plugin import Blueprint, JobContext, PluginHost, RetryStrategy, task_host
from plugins.supplier_catalogs import importer, prices, sources
from plugins.supplier_catalogs.models import CatalogImport, ImportStatus
from plugins.supplier_catalogs.parsers import Limits
from plugins.supplier_catalogs.plugin_settings import NAME, Settings, formats_of

logger = logging.getLogger("lini.supplier_catalogs")
blueprint = Blueprint()


def _lock(what: str) -> str:
    return f"{NAME}:{what}"


@blueprint.periodic(cron="* * * * * */5")
@blueprint.task(name="pick_work", queueing_lock=_lock("pick_work"), lock=_lock("pick_work"), pass_context=True)
async def pick_work(context: JobContext, timestamp: int) -> int:
    """Defer the jobs of queued imports and due sources; returns how many were deferred."""
    deferred = 0
    queued = (
        await CatalogImport.filter(status=ImportStatus.QUEUED).order_by("id").limit(100).values_list("id", flat=True)
    )
    for import_id in queued:
        deferred += await _defer(context, "run_import", f"import:{import_id}", import_id=import_id)
    for source_id in await sources.due():
        deferred += await _defer(context, "fetch_source", f"fetch:{source_id}", source_id=source_id)
    return deferred


async def _defer(context: JobContext, task: str, lock: str, **kwargs: Any) -> int:
    assert context.app is not None
    try:
        await context.app.configure_task(f"{NAME}:{task}", queueing_lock=_lock(lock)).defer_async(**kwargs)
    except AlreadyEnqueued:
        return 0
    return 1


@blueprint.task(name="run_import", retry=RetryStrategy(max_attempts=2, wait=5))
async def run_import(import_id: int) -> str | None:
    """Run one queued import (it does nothing if another run took it)."""
    host = task_host()
    log = await importer.run_queued(import_id, formats=formats_of(host), limits=limits(host))
    return log.status if log is not None else None


@blueprint.task(name="fetch_source", retry=RetryStrategy(max_attempts=2, wait=30))
async def fetch_source(source_id: int) -> str | None:
    """Fetch one source; a new file is queued as an import, whose own job runs it."""
    host = task_host()
    log = await sources.fetch_and_queue(source_id, policy=policy(host), formats=formats_of(host))
    return log.status if log is not None else None


@blueprint.periodic(cron="*/10 * * * *")
@blueprint.task(
    name="apply_prices",
    queueing_lock=_lock("apply_prices"),
    lock=_lock("apply_prices"),
    retry=RetryStrategy(max_attempts=3, exponential_wait=5),
)
async def apply_prices(timestamp: int) -> int:
    """Make the prices whose day has come the materials' prices."""
    return await prices.apply_due()


def limits(host: PluginHost) -> Limits:
    config: Settings = host.config(NAME)
    return Limits(max_rows=config.max_rows, max_unpacked_bytes=config.max_unpacked_bytes)


def policy(host: PluginHost) -> sources.FetchPolicy:
    config: Settings = host.config(NAME)
    return sources.FetchPolicy(
        timeout_seconds=config.fetch_timeout_seconds,
        max_bytes=config.max_fetch_bytes,
        allow_private=config.allow_private_addresses,
        allowed_networks=tuple(ipaddress.ip_network(net) for net in config.allowed_networks),
    )
