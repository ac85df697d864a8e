"""Tortoise configuration and the migration check.

All of Lini's tables live in one tortoise app, `lini`, so that foreign keys can cross domain folders;
its migrations are tortoise's built-in ones, in `core/migrations/`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from tortoise import Tortoise
from tortoise.connection import get_connection
from tortoise.migrations.executor import MigrationExecutor

APP = "lini"
MODEL_MODULES = [
    "core.auth.models",
    "core.actors.models",
    "core.catalog.models",
    "core.catalog.search_models",
    "core.taxes.models",
    "core.vouchers.models",
    "core.checkout.models",
    "core.orders.models",
    "core.payments.models",
    "core.brand_plugins.models",
    "core.events",
]


class DatabaseNotMigrated(Exception):
    """Raised at start-up when migrations are pending, rather than failing later on a missing column."""


def tortoise_config(url: str) -> dict[str, Any]:
    if url.startswith("sqlite://"):
        # WAL + a busy timeout: readers never block the single writer, and a second writer waits.
        separator = "&" if "?" in url else "?"
        if "busy_timeout" not in url and ":memory:" not in url:
            url = f"{url}{separator}busy_timeout=5000"
    return {
        "connections": {"default": url},
        "apps": {
            APP: {
                "models": MODEL_MODULES,
                "default_connection": "default",
                "migrations": "core.migrations",
            }
        },
        "use_tz": True,
        "timezone": "UTC",
    }


async def pending_migrations() -> list[str]:
    """Names of migrations not yet applied to the connected database (`["*"]`: none ever was)."""
    executor = MigrationExecutor(get_connection("default"), {APP: tortoise_config("sqlite://")["apps"][APP]})
    try:
        steps = await executor.plan()
    except Exception:  # no migration table yet; the driver's error type differs per backend
        return ["*"]
    return [f"{step.migration.app_label}.{step.migration.name}" for step in steps if not step.backward]


async def migrate(url: str) -> list[str]:
    """Apply every pending migration; returns what was applied."""
    from tortoise.migrations.api import migrate as run_migrations

    applied: list[str] = []

    def progress(event: str, app_label: str, name: str) -> None:
        if event == "apply_done":
            applied.append(f"{app_label}.{name}")

    try:
        await run_migrations(config=tortoise_config(url), progress=progress)
    finally:
        await Tortoise.close_connections()
    return applied


@asynccontextmanager
async def connected(url: str) -> AsyncIterator[None]:
    """The ORM, connected for a command-line operation (the server uses RegisterTortoise instead)."""
    await Tortoise.init(config=tortoise_config(url))
    try:
        yield
    finally:
        await Tortoise.close_connections()


def __getattr__(name: str) -> Any:
    # `tortoise makemigrations` reads `core.db.TORTOISE_ORM` (pyproject [tool.tortoise]); settings are only
    # loaded when it asks, so importing this module has no side effects.
    if name == "TORTOISE_ORM":
        from core.settings import load_settings

        return tortoise_config(load_settings().database.url)
    raise AttributeError(name)
