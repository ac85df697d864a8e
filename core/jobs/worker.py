"""Running workers: `server.py worker` (PostgreSQL, any number of processes) or one inside the server.

Every job a worker runs is logged in one line, `job task=… id=… attempt=… duration_ms=… outcome=…`, with the
same fields in the record's `extra` (`job_task`, `job_id`, …) for a JSON log handler; procrastinate's own
per-job lines are turned down to warnings so that each job is told once.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

import asyncpg
from procrastinate import App, JobContext
from procrastinate.exceptions import JobAborted
from procrastinate.worker import Worker

from core.catalog import freshness
from core.db import DatabaseNotMigrated, connected, pending_migrations
from core.event_subscriptions import subscribed
from core.events import OUTBOX_CHANNEL
from core.jobs import deferral, schema
from core.jobs.queue import build_app, conninfo, is_postgres, runs_in_process
from core.jobs.runtime import running_with, serving_app
from core.outbox import dispatch
from core.plugins import PluginHost
from core.response_store import open_store
from core.settings import Settings
from core.webhooks.delivery import close_shared_client

logger = logging.getLogger("lini.jobs")
SIDE_CONNECTIONS = 3  # the worker's listener, heartbeat and periodic deferrer, beside one per running job
RECONNECT_SECONDS = 5.0  # PostgreSQL: how often the outbox listener checks its connection
HAND_OVER_SECONDS = 1.0  # SQLite: how soon a job deferred for now runs (its request is read once a second)


def job_logger(*, success_level: int = logging.INFO) -> Callable[..., Awaitable[Any]]:
    """A worker middleware that logs each job's task, id, attempt, duration and outcome."""

    async def log_job(call_next: Callable[[], Awaitable[Any]], context: JobContext, worker: Worker) -> Any:
        job = context.job
        started = time.perf_counter()
        fields: dict[str, Any] = {"job_task": job.task_name, "job_id": job.id, "job_attempt": job.attempts + 1}

        def log(level: int, outcome: str) -> None:
            fields.update(job_outcome=outcome, job_duration_ms=round((time.perf_counter() - started) * 1000, 1))
            line = " ".join(f"{key.removeprefix('job_')}={value}" for key, value in fields.items())
            logger.log(level, "job %s", line, extra=fields)

        try:
            result = await call_next()
        except BaseException as error:
            retried = _will_retry(worker, error, context)
            if isinstance(error, JobAborted | asyncio.CancelledError) and not retried:
                log(logging.WARNING, "aborted")
            else:
                fields["job_error"] = repr(error)[:200]
                log(logging.WARNING if retried else logging.ERROR, "retry" if retried else "failed")
            raise
        log(success_level, "succeeded")
        return result

    return log_job


def _will_retry(worker: Worker, error: BaseException, context: JobContext) -> bool:
    job = context.job
    task = worker.app.tasks.get(job.task_name)
    return task is not None and task.get_retry_exception(exception=error, job=job) is not None


async def forget_requests(call_next: Callable[[], Awaitable[Any]], context: JobContext, worker: Worker) -> Any:
    """SQLite: a job that ran to its end (not one to be retried) no longer needs its `JobRequest` row."""
    ran = [context.job.id] if context.job.id is not None else []
    try:
        result = await call_next()
    except BaseException as error:
        if not _will_retry(worker, error, context):
            await deferral.job_done(worker.app, ran)
        raise
    await deferral.job_done(worker.app, ran)
    return result


async def hand_over_requests(app: App, *, every: float = HAND_OVER_SECONDS) -> None:
    """SQLite: give the in-memory queue the deferred jobs that fell due, for as long as the server runs."""
    while True:
        try:
            await deferral.hand_over_due(app)
        except Exception:
            logger.exception("handing deferred jobs to the in-process queue failed; trying again")
        await asyncio.sleep(every)


async def follow_outbox(settings: Settings, host: PluginHost, *, every: float = RECONNECT_SECONDS) -> None:
    """PostgreSQL: post webhooks as soon as a commit announces them (`LISTEN lini_outbox`), for as long as the
    worker runs. Notices that arrive during a pass make one more pass; a lost connection is opened again, and
    meanwhile the periodic sweep delivers. Every worker process listens: subscribers' leases share the work."""
    wake = asyncio.Event()
    while True:
        try:
            connection = await asyncpg.connect(conninfo(settings.database.url))
        except (OSError, asyncpg.PostgresError) as error:
            logger.warning("cannot listen for committed events (%r); trying again in %g s", error, every)
            await asyncio.sleep(every)
            continue
        try:
            await connection.add_listener(OUTBOX_CHANNEL, lambda *_: wake.set())
            wake.set()  # what was committed before we listened
            while not connection.is_closed():
                try:
                    await asyncio.wait_for(wake.wait(), timeout=every)
                except TimeoutError:
                    continue
                wake.clear()
                try:
                    if await dispatch(host, hooks=False):
                        wake.set()  # a pass takes at most a batch per receiver: a backlog takes several
                except Exception:
                    logger.exception("posting webhooks failed; the sweep tries again")
        finally:
            await connection.close()


async def collect_catalog_changes(call_next: Callable[[], Awaitable[Any]], context: JobContext, worker: Worker) -> Any:
    """A job's catalog changes (an import, a price sync) move their catalog versions once it ended, committed."""
    async with freshness.collecting():
        return await call_next()


def new_worker(app: App, settings: Settings, *, name: str, concurrency: int, in_server: bool = False) -> Worker:
    logging.getLogger("procrastinate").setLevel(logging.WARNING)
    middleware = [job_logger(success_level=logging.DEBUG if in_server else logging.INFO), collect_catalog_changes]
    if not is_postgres(settings.database.url):
        middleware.append(forget_requests)
    return Worker(
        app=app,
        name=name,
        concurrency=concurrency,
        # A successful job leaves nothing behind (sweep_events alone would keep 17,280 rows a day); a failed one
        # stays, for `procrastinate` to list.
        delete_jobs="successful",
        shutdown_graceful_timeout=settings.jobs.shutdown_grace_seconds,
        # in the server, uvicorn owns SIGTERM/SIGINT and the lifespan stops the worker
        install_signal_handlers=not in_server,
        worker_middleware=middleware,
    )


@asynccontextmanager
async def serving(settings: Settings, host: PluginHost) -> AsyncIterator[App]:
    """The queue of a server process: open (requests may defer jobs), and run by a worker of its own when
    `[jobs] worker` says so (the SQLite default); otherwise the process schedules nothing."""
    in_process = runs_in_process(settings)
    concurrency = settings.jobs.concurrency
    app = build_app(settings, host, max_connections=concurrency + SIDE_CONNECTIONS if in_process else 2)
    async with app.open_async():
        with running_with(host), serving_app(app), subscribed(host):
            if not in_process:
                if not is_postgres(settings.database.url):
                    logger.warning(
                        "[jobs] worker = %r on SQLite: the queue is this process's memory and nothing runs it, so "
                        'no order expires and no event is swept; use "auto" or "in-process"',
                        settings.jobs.worker,
                    )
                try:
                    yield app
                finally:
                    await close_shared_client()  # a test may have dispatched webhooks in this loop
                return
            worker = new_worker(app, settings, name="in-process", concurrency=concurrency, in_server=True)
            task = asyncio.create_task(worker.run(), name="lini-jobs-worker")
            await asyncio.sleep(0)  # let run() begin: it clears the stop flag, so a stop() before it would be lost
            task.add_done_callback(_report_end)
            if is_postgres(settings.database.url):
                beside = asyncio.create_task(follow_outbox(settings, host), name="lini-outbox-listener")
            else:
                beside = asyncio.create_task(hand_over_requests(app), name="lini-jobs-hand-over")
            try:
                yield app
            finally:
                beside.cancel()
                worker.stop()
                await asyncio.gather(task, beside, return_exceptions=True)
                await close_shared_client()


def _report_end(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        logger.error("the in-process job worker stopped: no job runs in this process", exc_info=task.exception())


async def run(settings: Settings, host: PluginHost, *, concurrency: int | None = None) -> None:
    """`server.py worker`: the ORM and the queue open, jobs run until SIGTERM or SIGINT (running jobs get
    `[jobs] shutdown_grace_seconds` to finish)."""
    concurrency = concurrency or settings.jobs.concurrency
    apps = host.database_apps()
    async with connected(settings.database.url, apps):
        if settings.database.require_migrated and await pending_migrations(apps):
            raise DatabaseNotMigrated("Run `python server.py migrate` before `server.py worker`.")
        app = build_app(settings, host, max_connections=concurrency + SIDE_CONNECTIONS)
        async with app.open_async():
            if is_postgres(settings.database.url) and not await schema.installed(app):
                raise DatabaseNotMigrated("The job queue's tables are missing: run `python server.py migrate`.")
            # with Redis, this process's catalog changes end the cached answers of every server (core.response_store)
            store = open_store(settings.cache) if settings.cache.enabled and settings.cache.redis_url_env else None
            with running_with(host), serving_app(app), subscribed(host):
                logger.info("worker started: %d jobs at once, tasks %s", concurrency, ", ".join(sorted(app.tasks)))
                listener = asyncio.create_task(follow_outbox(settings, host), name="lini-outbox-listener")
                try:
                    if store is None:
                        await new_worker(app, settings, name="worker", concurrency=concurrency).run()
                    else:
                        async with freshness.publishing_to(store.versions):
                            await new_worker(app, settings, name="worker", concurrency=concurrency).run()
                finally:
                    listener.cancel()
                    await asyncio.gather(listener, return_exceptions=True)
                    await close_shared_client()
                    if store is not None:
                        await store.close()
                logger.info("worker stopped")
