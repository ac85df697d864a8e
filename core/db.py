"""Tortoise configuration and the migration check.

Lini's own tables live in one tortoise app, `lini`, so that foreign keys can cross domain folders; its
migrations are tortoise's built-in ones, in `core/migrations/`. A plugin that owns tables brings its own app,
named after the plugin, with its own migrations (`PluginHost.database_apps()`); every function here takes those
`apps` so that the server, `server.py migrate`, the tests and the benchmarks all see the same tables.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import Any

from tortoise import Tortoise
from tortoise.backends.base.config_generator import expand_db_url
from tortoise.connection import get_connection
from tortoise.migrations.executor import MigrationExecutor

APP = "lini"
MODEL_MODULES = [
    "core.auth.models",
    "core.actors.models",
    "core.catalog.models",
    "core.catalog.search_models",
    "core.customs.models",
    "core.taxes.models",
    "core.vouchers.models",
    "core.checkout.models",
    "core.orders.models",
    "core.payments.models",
    "core.brand_plugins.models",
    "core.garments.models",
    "core.events",
    "core.webhooks.models",
    "core.jobs.models",
]


class DatabaseNotMigrated(Exception):
    """Raised at start-up when migrations are pending, rather than failing later on a missing column."""


def app_config(models: str | list[str], migrations: str) -> dict[str, Any]:
    """One tortoise app on the default connection: Lini's own, or a plugin's."""
    return {
        "models": [models] if isinstance(models, str) else list(models),
        "default_connection": "default",
        "migrations": migrations,
    }


def tortoise_config(url: str, apps: Mapping[str, dict[str, Any]] | None = None) -> dict[str, Any]:
    """The ORM configuration: Lini's app plus `apps` (by label), all on one connection, so that a plugin's
    tables may refer to Lini's (`fields.ForeignKeyField("lini.Brand")`) and share its transactions."""
    if url.startswith("sqlite://"):
        # WAL + a busy timeout: readers never block the single writer, and a second writer waits.
        separator = "&" if "?" in url else "?"
        if "busy_timeout" not in url and ":memory:" not in url:
            url = f"{url}{separator}busy_timeout=5000"
    return {
        "connections": {"default": _connection(url)},
        "apps": all_apps(apps),
        "use_tz": True,
        "timezone": "UTC",
    }


def all_apps(apps: Mapping[str, dict[str, Any]] | None = None) -> dict[str, dict[str, Any]]:
    """Lini's app and `apps`, as tortoise's configuration lists them."""
    return {APP: app_config(MODEL_MODULES, "core.migrations"), **(apps or {})}


def _connection(url: str) -> str | dict[str, Any]:
    """The connection entry for `url`: SQLite through `core.sqlite_backend` (write transactions that wait for
    one another across processes instead of failing), any other database as tortoise reads its URL."""
    if not url.startswith("sqlite://"):
        return url
    from core import sqlite_backend

    return {**expand_db_url(url), "engine": sqlite_backend.ENGINE}


async def pending_migrations(apps: Mapping[str, dict[str, Any]] | None = None) -> list[str]:
    """Names of migrations (Lini's and `apps`') not yet applied to the connected database (`["*"]`: none ever
    was)."""
    executor = MigrationExecutor(get_connection("default"), all_apps(apps))
    try:
        steps = await executor.plan()
    except Exception:  # no migration table yet; the driver's error type differs per backend
        return ["*"]
    return [f"{step.migration.app_label}.{step.migration.name}" for step in steps if not step.backward]


async def migrate(url: str, apps: Mapping[str, dict[str, Any]] | None = None) -> list[str]:
    """Apply every pending migration of Lini and of `apps`; returns what was applied."""
    from tortoise.migrations.api import migrate as run_migrations

    from core.migrating import fast_apply

    applied: list[str] = []

    def progress(event: str, app_label: str, name: str) -> None:
        if event == "apply_done":
            applied.append(f"{app_label}.{name}")

    try:
        with fast_apply():  # the same operations and SQL, without rebuilding the model state per operation
            await run_migrations(config=tortoise_config(url, apps), progress=progress)
    finally:
        await Tortoise.close_connections()
    return applied


async def make_migrations(apps: Mapping[str, dict[str, Any]], app_label: str, *, name: str = "") -> list[str]:
    """Write the migration that brings `app_label`'s tables up to its models; returns the files written.

    `tortoise makemigrations <app>` initialises the chosen app alone, so a plugin's foreign key to
    `"lini.Brand"` cannot resolve there; this loads Lini's app and every plugin app, then writes only the
    chosen one's migration (depending on Lini's latest migration when it refers to Lini's tables).
    """
    from tortoise.context import TortoiseContext
    from tortoise.migrations.autodetector import MigrationAutodetector
    from tortoise.migrations.writer import format_migration_name

    config = tortoise_config("sqlite://:memory:", apps)
    if app_label not in config["apps"]:
        raise ValueError(f"no database app named {app_label!r} (apps: {', '.join(config['apps'])})")
    async with TortoiseContext() as context:
        await context.init(config=config, init_connections=False)
        assert context.apps is not None, "init() builds the apps registry (None only before it or after close)"
        writers = await MigrationAutodetector(context.apps, config["apps"]).changes()
    written: list[str] = []
    for writer in (w for w in writers if w.app_label == app_label):
        if name:
            writer.name = format_migration_name(int(writer.name.split("_", 1)[0]), name)
        written.append(str(writer.write()))
    return written


@asynccontextmanager
async def connected(url: str, apps: Mapping[str, dict[str, Any]] | None = None) -> AsyncIterator[None]:
    """The ORM, connected for a command-line operation (the server uses RegisterTortoise instead)."""
    await Tortoise.init(config=tortoise_config(url, apps))
    try:
        yield
    finally:
        await Tortoise.close_connections()
