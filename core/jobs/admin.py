"""What an operator does to the queue's jobs (`server.py jobs`): list them, cancel those no longer wanted, run a
failed one again.

Cancelling a waiting job removes it from the queue; cancelling a running one asks its worker to abort it (an
async task is cancelled where it awaits, and its transaction rolls back). Finished jobs cannot be cancelled.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from procrastinate import App

STATUSES = ("todo", "doing", "succeeded", "failed", "cancelled", "aborting", "aborted")


@dataclass(frozen=True)
class JobLine:
    id: int
    task: str
    status: str
    attempts: int
    scheduled_at: datetime | None
    arguments: dict[str, object]


async def listed(app: App, *, status: str | None = None, task: str | None = None, limit: int = 100) -> list[JobLine]:
    """The jobs, newest first, filtered by status and task name."""
    jobs = await app.job_manager.list_jobs_async(status=status, task=task)
    lines = [
        JobLine(job.id or 0, job.task_name, job.status or "", job.attempts, job.scheduled_at, dict(job.task_kwargs))
        for job in jobs
    ]
    return sorted(lines, key=lambda line: line.id, reverse=True)[:limit]


async def cancel(app: App, job_ids: Iterable[int]) -> dict[int, str]:
    """Cancel each job; returns what became of it: "cancelled" (it had not started), "abort requested" (it
    was running), "finished" (too late) or "unknown"."""
    outcomes: dict[int, str] = {}
    for job_id in job_ids:
        found = list(await app.job_manager.list_jobs_async(id=job_id))
        if not found:
            outcomes[job_id] = "unknown"
            continue
        was = found[0].status
        if not await app.job_manager.cancel_job_by_id_async(job_id, abort=True):
            outcomes[job_id] = "finished"
        else:
            outcomes[job_id] = "abort requested" if was == "doing" else "cancelled"
    return outcomes


async def retry(app: App, job_ids: Iterable[int]) -> dict[int, str]:
    """Put failed jobs back in the queue to run at once (their attempts go on counting); returns "retried",
    "not failed" (waiting, running or done: nothing to do) or "unknown" for each."""
    outcomes: dict[int, str] = {}
    for job_id in job_ids:
        found = list(await app.job_manager.list_jobs_async(id=job_id))
        if not found:
            outcomes[job_id] = "unknown"
        elif found[0].status != "failed":
            outcomes[job_id] = "not failed"
        else:
            await app.job_manager.retry_job_by_id_async(job_id, retry_at=datetime.now(UTC))
            outcomes[job_id] = "retried"
    return outcomes
