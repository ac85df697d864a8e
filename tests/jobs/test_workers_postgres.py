"""Worker processes on PostgreSQL: the worker cancels expired orders (the server does not), two workers run a
periodic task once per period, and `server.py migrate` installs procrastinate's schema once."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg
import pytest
from starlette.applications import Starlette

from core.jobs import schema as job_schema
from core.orders.models import Order
from tests.conftest import BACKENDS, PG_ADMIN_URL
from tests.factories import make_brand, make_order
from tests.plugins import job_plugin

ROOT = Path(__file__).resolve().parents[2]
postgres_only = pytest.mark.parametrize("backend", ["postgres"] if "postgres" in BACKENDS else [])


@pytest.fixture
async def queue_url(database_url: str) -> str:
    await job_schema.install(database_url)  # the session's database is migrated with tortoise's migrations only
    return database_url


@dataclass
class Process:
    popen: subprocess.Popen[str]
    output: str = ""


@contextmanager
def process(args: list[str], url: str, **env: str) -> Iterator[Process]:
    """A worker process on `url`, stopped with SIGTERM (as a deployment stops it) when the block ends."""
    environment = {**os.environ, "LINI_DATABASE_URL": url, **env}
    child = Process(
        subprocess.Popen(
            [sys.executable, *args],
            cwd=ROOT,
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
    )
    try:
        yield child
    finally:
        if child.popen.poll() is None:
            child.popen.send_signal(signal.SIGTERM)
        try:
            child.output, _ = child.popen.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            child.popen.kill()
            child.popen.communicate()
            raise


async def wait_for(check, *, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if await check():
            return True
        await asyncio.sleep(0.2)
    return False


@pytest.mark.slow
@postgres_only
async def test_an_expired_unpaid_order_is_cancelled_by_the_worker_not_by_the_server(
    app: Starlette, queue_url: str
) -> None:
    order = await make_order(await make_brand(), payment_due_at=datetime.now(UTC) - timedelta(seconds=1))

    async def cancelled() -> bool:
        return (await Order.get(id=order.id)).status == "CANCELLED"

    # the server (its lifespan is running) opened the queue and schedules nothing
    assert app.state.jobs is not None
    assert not await wait_for(cancelled, seconds=2)
    with process(["server.py", "worker", "--concurrency", "2"], queue_url) as worker:
        # expire_unpaid_orders runs every minute, and once as a worker starts (its last tick is recent)
        assert await wait_for(cancelled, seconds=40), "the worker did not cancel the order"
        await asyncio.sleep(0.5)  # its log line is written after the job's transaction
    output = worker.output
    assert worker.popen.returncode == 0, output  # SIGTERM stops it gracefully
    assert "job task=lini:expire_unpaid_orders" in output and "outcome=succeeded" in output, output
    assert "worker stopped" in output, output


def _ticks(log: Path) -> Counter[int]:
    """How many times the every-second task ran in each second (its log holds one line per run)."""
    if not log.exists():
        return Counter()
    return Counter(int(line.split()[0]) for line in log.read_text().splitlines())


@pytest.mark.slow
@postgres_only
async def test_two_workers_run_a_periodic_task_once_per_period(queue_url: str, tmp_path: Path) -> None:
    log = tmp_path / "ticks.log"
    command = ["-m", "tests.jobs.worker_process"]
    with (
        process(command, queue_url, **{job_plugin.LOG_ENV: str(log)}) as first,
        process(command, queue_url, **{job_plugin.LOG_ENV: str(log)}) as second,
    ):
        # the every-second task runs in one second after another, however long the workers took to start
        async def ticked_five_seconds() -> bool:
            return len(_ticks(log)) >= 5

        assert await wait_for(ticked_five_seconds, seconds=60), _ticks(log)
        assert first.popen.poll() is None and second.popen.poll() is None, "a worker died"
    assert first.popen.returncode == 0 and second.popen.returncode == 0, first.output + second.output
    runs = _ticks(log)
    assert set(runs.values()) == {1}, f"periods run more than once: {runs}"


@pytest.mark.slow
@postgres_only
def test_migrate_installs_the_queue_schema_once(backend: str) -> None:
    name = f"lini_migrate_{uuid.uuid4().hex[:8]}"
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"

    async def admin(statement: str) -> None:
        conn = await asyncpg.connect(PG_ADMIN_URL)
        try:
            await conn.execute(statement)
        finally:
            await conn.close()

    asyncio.run(admin(f'CREATE DATABASE "{name}"'))
    try:
        env = {**os.environ, "LINI_DATABASE_URL": url}
        first, second = (
            subprocess.run(
                [sys.executable, "server.py", "migrate"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
            )
            for _ in range(2)
        )
        assert first.returncode == 0, first.stderr
        assert "applied procrastinate" in first.stdout, first.stdout
        assert second.returncode == 0, second.stderr
        assert second.stdout.strip() == "nothing to apply: the database is up to date", second.stdout
    finally:
        asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@postgres_only
async def test_a_newer_procrastinate_release_is_applied_file_by_file_once(database_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "migrations"
    folder.mkdir()
    for path in job_schema.migration_files():  # the installed release: recorded when the schema was installed
        (folder / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    assert await job_schema.install(database_url, migrations=folder) == []
    (folder / "99.00.00_01_pre_probe.sql").write_text("CREATE TABLE lini_probe_pre (id int);", encoding="utf-8")
    (folder / "99.00.00_50_post_probe.sql").write_text("ALTER TABLE lini_probe_pre ADD c text;", encoding="utf-8")
    assert await job_schema.install(database_url, migrations=folder) == [
        "99.00.00_01_pre_probe.sql",
        "99.00.00_50_post_probe.sql",
    ]
    assert await job_schema.install(database_url, migrations=folder) == []  # once
    (folder / "99.01.00_01_pre_broken.sql").write_text("CREATE TABLE lini_half (id int); SELEC 1;", encoding="utf-8")
    with pytest.raises(Exception, match="syntax"):
        await job_schema.install(database_url, migrations=folder)
    conn = await asyncpg.connect(database_url)
    try:
        assert await conn.fetchval("SELECT to_regclass('lini_probe_pre') IS NOT NULL")
        assert not await conn.fetchval("SELECT to_regclass('lini_half') IS NOT NULL")  # its transaction rolled back
        names = {row["name"] for row in await conn.fetch("SELECT name FROM lini_queue_migrations")}
        assert "99.00.00_50_post_probe.sql" in names and "99.01.00_01_pre_broken.sql" not in names
    finally:
        await conn.close()
