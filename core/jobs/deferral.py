"""Deferring a job in the transaction of the change that asks for it, so the job exists if and only if the
change does: an offer's expiry is never queued for an offer that was rolled back, nor lost for one committed.

PostgreSQL: the job is written by procrastinate's own SQL function (`procrastinate_defer_jobs_v1`) on the ORM's
connection, inside the caller's transaction, where tortoise talks asyncpg and procrastinate psycopg; workers
hear of it through procrastinate's insert trigger, at the commit. SQLite: a `JobRequest` row, handed to the
in-memory queue of the server process when it is due (`hand_over_due`) and deleted when its job has run.
"""

from __future__ import annotations

import json
import weakref
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from procrastinate import App
from tortoise import connections
from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from core.jobs.models import JobRequest
from core.jobs.runtime import current_app

DEFER_SQL = (
    "SELECT unnest(procrastinate_defer_jobs_v1(ARRAY[ROW($1::varchar, $2::varchar, $3::integer, $4::text, "
    "$5::text, $6::jsonb, $7::timestamptz)::procrastinate_job_to_defer_v1])) AS id"
)


class UnknownTask(LookupError):
    """A job was asked of a task no loaded plugin (nor core) declares: a programming error, raised at once."""


async def defer_job(
    task: str,
    *,
    at: datetime | None = None,
    lock: str | None = None,
    queueing_lock: str | None = None,
    priority: int | None = None,
    queue: str | None = None,
    **kwargs: Any,
) -> bool:
    """Defer the job `task` ("plugin:task_name") with `kwargs` as its JSON arguments, to run at `at` (or as
    soon as a worker is free), in the current transaction. Options left out are the task's own (its
    `@blueprint.task(lock=…, queueing_lock=…)`). Returns False, changing nothing, when `queueing_lock` already
    has a job waiting: that one will do the work."""
    if at is not None and at.tzinfo is None:
        raise ValueError("defer_job(at=…) needs an aware datetime (UTC)")
    try:
        args = json.loads(json.dumps(kwargs))
    except TypeError as error:
        raise TypeError(f"the arguments of a job must be JSON: {error}") from None
    options = _options(task, lock=lock, queueing_lock=queueing_lock, priority=priority, queue=queue)
    connection = connections.get("default")
    if connection.capabilities.dialect == "postgres":
        return await _defer_in_postgres(task, args, at, options)
    return await _request(task, args, at, options)


def _options(task: str, **given: Any) -> dict[str, Any]:
    """The job's queue, priority and locks: those given, else the task's declared ones (when this process has
    the queue's App, as servers and workers do; else procrastinate's defaults)."""
    app = current_app()
    declared = None
    if app is not None:
        declared = app.tasks.get(task)
        if declared is None:
            raise UnknownTask(f"no task {task!r}: the loaded tasks are {', '.join(sorted(app.tasks))}")
    defaults = {"lock": None, "queueing_lock": None, "priority": 0, "queue": "default"}
    if declared is not None:
        defaults = {
            "lock": declared.lock,
            "queueing_lock": declared.queueing_lock,
            "priority": declared.priority,
            "queue": declared.queue,
        }
    return {key: value if value is not None else defaults[key] for key, value in given.items()}


async def _defer_in_postgres(task: str, args: dict[str, Any], at: datetime | None, options: dict[str, Any]) -> bool:
    values = [options["queue"], task, options["priority"], options["lock"], options["queueing_lock"]]
    values += [json.dumps(args), at]
    try:
        async with in_transaction() as connection:  # a savepoint: a queueing-lock conflict must not abort the caller's
            await connection.execute_query(DEFER_SQL, values)
    except IntegrityError:
        if options["queueing_lock"] is None:
            raise
        return False
    return True


async def _request(task: str, args: dict[str, Any], at: datetime | None, options: dict[str, Any]) -> bool:
    waiting = options["queueing_lock"]
    if waiting is not None and await JobRequest.filter(queueing_lock=waiting).exists():
        return False
    await JobRequest.create(
        task_name=task,
        args=args,
        scheduled_at=at,
        queue_name=options["queue"],
        priority=options["priority"],
        lock=options["lock"],
        queueing_lock=options["queueing_lock"],
    )
    return True


# SQLite: the requests handed to an in-memory queue, by its job ids, so that a request is handed over once and
# deleted when its job has run (a restart empties the queue and this map, and the rows are handed over again).
_in_flight: weakref.WeakKeyDictionary[App, dict[int, int]] = weakref.WeakKeyDictionary()


async def hand_over_due(app: App, *, now: datetime | None = None) -> int:
    """Give the in-memory queue the SQLite job requests that are due and not yet handed to it; returns how many."""
    now = now or datetime.now(UTC)
    in_flight = _in_flight.setdefault(app, {})
    due = await JobRequest.filter(Q(scheduled_at=None) | Q(scheduled_at__lte=now)).order_by("id")
    count = 0
    handed = set(in_flight.values())
    for request in due:
        if request.id in handed:
            continue
        if request.task_name not in app.tasks:
            continue  # its plugin is not loaded in this process: kept for the process that has it
        job_id = (
            await app.tasks[request.task_name]
            .configure(lock=request.lock, queue=request.queue_name, priority=request.priority)
            .defer_async(**request.args)
        )
        in_flight[job_id] = request.id
        count += 1
    return count


async def job_done(app: App, job_ids: Iterable[int]) -> None:
    """Delete the requests of jobs that ran to their end (succeeded, or failed for good)."""
    in_flight = _in_flight.get(app, {})
    ids = [in_flight.pop(job_id) for job_id in job_ids if job_id in in_flight]
    if ids:
        await JobRequest.filter(id__in=ids).delete()
