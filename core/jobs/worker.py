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

from procrastinate import App, JobContext
from procrastinate.exceptions import JobAborted
from procrastinate.worker import Worker

from core.db import DatabaseNotMigrated, connected, pending_migrations
from core.jobs import schema
from core.jobs.queue import build_app, is_postgres, runs_in_process
from core.jobs.runtime import running_with
from core.plugins import PluginHost
from core.settings import Settings

logger = logging.getLogger("lini.jobs")
SIDE_CONNECTIONS = 3  # the worker's listener, heartbeat and periodic deferrer, beside one per running job


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
            task = worker.app.tasks.get(job.task_name)
            retried = task is not None and task.get_retry_exception(exception=error, job=job) is not None
            if isinstance(error, JobAborted | asyncio.CancelledError) and not retried:
                log(logging.WARNING, "aborted")
            else:
                fields["job_error"] = repr(error)[:200]
                log(logging.WARNING if retried else logging.ERROR, "retry" if retried else "failed")
            raise
        log(success_level, "succeeded")
        return result

    return log_job


def new_worker(app: App, settings: Settings, *, name: str, concurrency: int, in_server: bool = False) -> Worker:
    logging.getLogger("procrastinate").setLevel(logging.WARNING)
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
        worker_middleware=[job_logger(success_level=logging.DEBUG if in_server else logging.INFO)],
    )


@asynccontextmanager
async def serving(settings: Settings, host: PluginHost) -> AsyncIterator[App]:
    """The queue of a server process: open (requests may defer jobs), and run by a worker of its own when
    `[jobs] worker` says so (the SQLite default); otherwise the process schedules nothing."""
    in_process = runs_in_process(settings)
    concurrency = settings.jobs.concurrency
    app = build_app(settings, host, max_connections=concurrency + SIDE_CONNECTIONS if in_process else 2)
    async with app.open_async():
        with running_with(host):
            if not in_process:
                if not is_postgres(settings.database.url):
                    logger.warning(
                        "[jobs] worker = %r on SQLite: the queue is this process's memory and nothing runs it, so "
                        'no order expires and no event is swept; use "auto" or "in-process"',
                        settings.jobs.worker,
                    )
                yield app
                return
            worker = new_worker(app, settings, name="in-process", concurrency=concurrency, in_server=True)
            task = asyncio.create_task(worker.run(), name="lini-jobs-worker")
            await asyncio.sleep(0)  # let run() begin: it clears the stop flag, so a stop() before it would be lost
            task.add_done_callback(_report_end)
            try:
                yield app
            finally:
                worker.stop()
                await asyncio.gather(task, return_exceptions=True)  # a crash was logged when it happened


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
            with running_with(host):
                logger.info("worker started: %d jobs at once, tasks %s", concurrency, ", ".join(sorted(app.tasks)))
                await new_worker(app, settings, name="worker", concurrency=concurrency).run()
                logger.info("worker stopped")
