"""The job queue as the served app runs it on SQLite (an in-process worker), and the plugins' tasks."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from core.db import connected
from core.jobs.queue import build_app, conninfo, runs_in_process
from core.orders.models import Order
from core.plugins import PluginError, load_plugins
from core.settings import Settings
from server import create_app
from tests.factories import make_brand, make_order
from tests.plugins import job_plugin


def with_worker(settings: Settings, worker: str) -> Settings:
    return settings.model_copy(update={"jobs": settings.jobs.model_copy(update={"worker": worker})})


async def eventually(check, *, seconds: float = 10) -> bool:
    for _ in range(int(seconds * 10)):
        if await check():
            return True
        await asyncio.sleep(0.1)
    return False


def test_auto_runs_a_worker_in_the_server_on_sqlite_only(settings: Settings) -> None:
    sqlite = with_worker(settings, "auto").model_copy(
        update={"database": settings.database.model_copy(update={"url": "sqlite://x.db"})}
    )
    postgres = sqlite.model_copy(update={"database": sqlite.database.model_copy(update={"url": "postgres://h/db"})})
    assert runs_in_process(sqlite) and not runs_in_process(postgres)
    assert runs_in_process(with_worker(postgres, "in-process")) and not runs_in_process(with_worker(sqlite, "external"))


def test_conninfo_keeps_what_libpq_understands() -> None:
    url = "postgres://lini:secret@db:5432/lini?maxsize=20&minsize=2&sslmode=require"
    assert conninfo(url) == "postgresql://lini:secret@db:5432/lini?sslmode=require"


def test_core_tasks_are_periodic_under_the_lini_namespace_in_every_app(settings: Settings) -> None:
    host = load_plugins(settings, env={})
    for _ in range(2):  # a Blueprint is renamed by the App taking it: each App gets copies
        app = build_app(settings, host)
        periodic = {
            task.task.name: (task.cron, task.task.queueing_lock)
            for task in app.periodic_registry.periodic_tasks.values()
            if task.task.name.startswith("lini:")  # the built-in plugins' come under their own names
        }
        assert periodic == {
            "lini:expire_unpaid_orders": ("* * * * *", "lini:expire_unpaid_orders"),
            "lini:delete_expired_checkouts": ("*/10 * * * *", "lini:delete_expired_checkouts"),
            "lini:sweep_events": ("* * * * * */5", "lini:sweep_events"),
            "lini:prune_events": ("17 3 * * *", "lini:prune_events"),
        }
        assert all(app.tasks[name].retry_strategy is not None for name in periodic)


@pytest.mark.sqlite_only
async def test_the_served_apps_in_process_worker_cancels_expired_orders(settings: Settings) -> None:
    settings = with_worker(settings, "auto")
    host = load_plugins(settings, env={})
    async with connected(settings.database.url, host.database_apps()):  # the order is there before the server
        order = await make_order(await make_brand(), payment_due_at=datetime.now(UTC) - timedelta(seconds=1))
    app = create_app(settings, host=host)
    async with app.router.lifespan_context(app):

        async def cancelled() -> bool:
            return (await Order.get(id=order.id)).status == "CANCELLED"

        # expire_unpaid_orders runs every minute, and once as the worker starts (its last tick is recent)
        assert await eventually(cancelled, seconds=70)


@pytest.mark.sqlite_only
async def test_hook_job_blueprints(settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    log = tmp_path / "ticks.log"
    monkeypatch.setenv(job_plugin.LOG_ENV, str(log))
    settings = with_worker(settings, "in-process")
    host = load_plugins(settings, extra={job_plugin.NAME: job_plugin}, env={})
    app = create_app(settings, host=host)
    async with app.router.lifespan_context(app):
        assert "job_plugin:tick" in app.state.jobs.tasks

        async def ticked_twice() -> bool:
            return log.exists() and len(log.read_text().splitlines()) >= 2

        assert await eventually(ticked_twice, seconds=10)
    timestamps = [int(line.split()[0]) for line in log.read_text().splitlines()]
    assert len(timestamps) == len(set(timestamps))  # each second's run once


def test_a_plugin_must_return_a_list_of_blueprints(settings: Settings) -> None:
    from lini.plugin import hookimpl

    class Bad:
        @hookimpl
        def job_blueprints(self) -> object:
            return job_plugin.blueprint

    host = load_plugins(settings, extra={"bad": Bad()}, env={})
    with pytest.raises(PluginError, match="job_blueprints hook of bad"):
        build_app(settings, host)


def test_server_py_worker_refuses_sqlite(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    from server import main

    monkeypatch.setenv("LINI_DATABASE_URL", f"sqlite://{tmp_path}/lini.db")
    assert main(["worker"]) == 2
    assert "the server runs it" in capsys.readouterr().err


@pytest.mark.sqlite_only
async def test_a_job_deferred_through_the_served_queue_runs(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = tmp_path / "ticks.log"
    monkeypatch.setenv(job_plugin.LOG_ENV, str(log))
    settings = with_worker(settings, "auto")
    app = create_app(settings, host=load_plugins(settings, extra={job_plugin.NAME: job_plugin}, env={}))
    async with app.router.lifespan_context(app):
        await app.state.jobs.configure_task("job_plugin:tick").defer_async(timestamp=7)

        async def ran() -> bool:
            return log.exists() and any(line.startswith("7 ") for line in log.read_text().splitlines())

        assert await eventually(ran, seconds=10)
