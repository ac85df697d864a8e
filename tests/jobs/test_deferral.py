"""`defer_job`: a job exists if and only if the transaction that asked for it committed, on both engines; on
SQLite its request outlives a restart of the in-memory queue and is forgotten once the job has run."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from tortoise import connections
from tortoise.transactions import in_transaction

from core.db import connected
from core.jobs.deferral import UnknownTask, hand_over_due
from core.jobs.models import JobRequest
from core.jobs.queue import build_app
from core.jobs.runtime import serving_app
from core.jobs.worker import forget_requests
from core.plugins import load_plugins
from core.settings import Settings
from lini.plugin import defer_job
from tests.factories import make_brand
from tests.jobs.test_workers_postgres import ROOT, postgres_only, process, wait_for
from tests.plugins import job_plugin

NOTE = f"{job_plugin.NAME}:note"


class Rollback(Exception):
    pass


async def queued() -> list[dict[str, Any]]:
    """The jobs waiting, as (task, args, when, queueing lock), whichever engine holds them."""
    connection = connections.get("default")
    if connection.capabilities.dialect == "postgres":
        rows = await connection.execute_query_dict(
            "SELECT task_name, args, scheduled_at, queueing_lock FROM procrastinate_jobs WHERE status = 'todo' "
            "ORDER BY id"
        )
        return [{**row, "args": _json(row["args"])} for row in rows]
    return [
        {"task_name": r.task_name, "args": r.args, "scheduled_at": r.scheduled_at, "queueing_lock": r.queueing_lock}
        for r in await JobRequest.all().order_by("id")
    ]


def notes(log: Path) -> list[str]:
    """The notes the jobs wrote (job_plugin's periodic tick writes "timestamp pid" lines beside them)."""
    lines = log.read_text().splitlines() if log.exists() else []
    return [line for line in lines if not line.replace(" ", "").isdigit()]


def _json(value: Any) -> Any:
    import json

    return json.loads(value) if isinstance(value, str) else value


@pytest.fixture
async def db(settings: Settings):
    host = load_plugins(settings, env={}, extra={job_plugin.NAME: job_plugin})
    async with connected(settings.database.url, host.database_apps()):
        yield host


async def test_a_job_exists_only_if_its_transaction_committed(db) -> None:
    later = datetime.now(UTC) + timedelta(hours=2)
    with pytest.raises(Rollback):
        async with in_transaction():
            await make_brand(slug="rolled-back")
            await defer_job(NOTE, text="never")
            raise Rollback
    assert await queued() == []
    async with in_transaction():
        await make_brand(slug="kept")
        assert await defer_job(NOTE, at=later, text="kept")
    [job] = await queued()
    assert job["task_name"] == NOTE and job["args"] == {"text": "kept"}
    assert abs((job["scheduled_at"] - later).total_seconds()) < 1


async def test_a_queueing_lock_holds_one_waiting_job_and_the_callers_transaction_goes_on(db) -> None:
    async with in_transaction():
        assert await defer_job(NOTE, queueing_lock="one-note", text="first") is True
        assert await defer_job(NOTE, queueing_lock="one-note", text="second") is False
        brand = await make_brand(slug="after-the-conflict")  # the transaction was not aborted by it
    assert [job["args"] for job in await queued()] == [{"text": "first"}]
    assert brand.id is not None


async def test_the_tasks_declared_options_apply_when_the_process_has_its_queue(db, settings: Settings) -> None:
    app = build_app(settings, db)
    with serving_app(app):
        assert await defer_job(f"{job_plugin.NAME}:tick", timestamp=1)
        assert not await defer_job(f"{job_plugin.NAME}:tick", timestamp=2)  # tick's own queueing lock
        with pytest.raises(UnknownTask, match="no task 'job_plugin:nope'"):
            await defer_job(f"{job_plugin.NAME}:nope")
    assert [(job["queueing_lock"], job["args"]) for job in await queued()] == [("job_plugin:tick", {"timestamp": 1})]


async def test_bad_arguments_are_refused_before_anything_is_written(db) -> None:
    with pytest.raises(TypeError, match="JSON"):
        await defer_job(NOTE, text=object())
    with pytest.raises(ValueError, match="aware"):
        await defer_job(NOTE, at=datetime.now(), text="naive")
    assert await queued() == []


@pytest.mark.sqlite_only
async def test_sqlite_requests_are_handed_over_when_due_once_and_forgotten_after_the_run(
    db, settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = tmp_path / "notes.log"
    monkeypatch.setenv(job_plugin.LOG_ENV, str(log))
    soon, later = datetime.now(UTC), datetime.now(UTC) + timedelta(hours=2)
    await defer_job(NOTE, text="now")
    await defer_job(NOTE, at=later, text="later")
    app = build_app(settings, db)
    async with app.open_async():
        assert await hand_over_due(app, now=soon) == 1
        assert await hand_over_due(app, now=soon) == 0  # handed once, while its job waits
        await app.run_worker_async(wait=False, worker_middleware=[forget_requests], install_signal_handlers=False)
    assert notes(log) == ["now"]
    assert [job["args"] for job in await queued()] == [{"text": "later"}]  # the run forgot its request
    restarted = build_app(settings, db)  # a new process: an empty in-memory queue
    async with restarted.open_async():
        assert await hand_over_due(restarted, now=soon) == 0
        assert await hand_over_due(restarted, now=later + timedelta(seconds=1)) == 1
        await restarted.run_worker_async(wait=False, worker_middleware=[forget_requests], install_signal_handlers=False)
    assert notes(log) == ["now", "later"]
    assert await queued() == []


@pytest.mark.slow
@postgres_only
async def test_a_worker_process_runs_a_job_deferred_in_a_transaction(db, settings: Settings, tmp_path: Path) -> None:
    log = tmp_path / "notes.log"
    command = ["-m", "tests.jobs.worker_process"]
    with process(command, settings.database.url, **{job_plugin.LOG_ENV: str(log)}) as worker:
        async with in_transaction():
            await defer_job(NOTE, text="from a transaction")
            await asyncio.sleep(1)
            assert notes(log) == []  # not before the commit

        async def ran() -> bool:
            return notes(log) == ["from a transaction"]

        done = await wait_for(ran, seconds=20)
    assert done, worker.output


@postgres_only
async def test_an_operator_lists_and_cancels_jobs_with_server_py_jobs(db, settings: Settings) -> None:
    later = datetime.now(UTC) + timedelta(hours=2)
    async with in_transaction():
        await defer_job(NOTE, at=later, text="unwanted")
        await defer_job(NOTE, at=later, text="kept")
    env = {**os.environ, "LINI_DATABASE_URL": settings.database.url}

    def jobs(*args: str) -> list[list[str]]:
        done = subprocess.run(
            [sys.executable, "server.py", "jobs", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, done.stderr
        return [line.split("\t") for line in done.stdout.splitlines()]

    listed = jobs("--task", NOTE)
    assert [(row[1], row[2]) for row in listed] == [(NOTE, "todo"), (NOTE, "todo")]
    unwanted = next(row[0] for row in listed if "unwanted" in row[5])
    assert jobs("--cancel", unwanted, "999999") == [[unwanted, "cancelled"], ["999999", "unknown"]]
    assert jobs("--cancel", unwanted) == [[unwanted, "finished"]]  # no second cancellation
    assert [row[5] for row in jobs("--task", NOTE, "--status", "todo")] == ['{"text":"kept"}']
    assert [row[0] for row in jobs("--status", "cancelled")] == [unwanted]
    kept = next(row[0] for row in listed if "kept" in row[5])
    assert jobs("--retry", kept) == [[kept, "not failed"]]
    await connections.get("default").execute_query(
        "UPDATE procrastinate_jobs SET status = 'failed', attempts = 3 WHERE id = $1", [int(kept)]
    )  # as a worker leaves a job whose last attempt raised
    assert jobs("--retry", kept, "999999") == [[kept, "retried"], ["999999", "unknown"]]
    assert [(row[0], row[2]) for row in jobs("--status", "todo")] == [(kept, "todo")]
