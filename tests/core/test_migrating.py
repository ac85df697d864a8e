"""`core.db.migrate` applies tortoise's migrations faster (core.migrating) and must build the very same database."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from tortoise import Tortoise
from tortoise import models as tortoise_models
from tortoise.backends.base.executor import EXECUTOR_CACHE
from tortoise.filters import get_filters_for_field
from tortoise.migrations.api import migrate as tortoise_migrate
from tortoise.migrations.migration import Migration

from core.db import migrate, tortoise_config
from core.migrating import _shared_filters, fast_apply
from tests.conftest import PG_ADMIN_URL, plugin_apps, run_sync

SQLITE_SCHEMA = "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY 1, 2"
POSTGRES_SCHEMA = {
    "columns": "SELECT table_name, column_name, data_type, column_default, is_nullable, character_maximum_length, "
    "numeric_precision, numeric_scale FROM information_schema.columns WHERE table_schema = 'public' "
    "ORDER BY 1, 2",
    "indexes": "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1, 2",
    "constraints": "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
    "WHERE connamespace = 'public'::regnamespace ORDER BY 1, 2",
    "triggers": "SELECT tgrelid::regclass::text, tgname FROM pg_trigger WHERE NOT tgisinternal ORDER BY 1, 2",
    "extensions": "SELECT extname FROM pg_extension ORDER BY 1",
}
# What data migrations insert (the built-in garment types and their measurements), besides the schema.
SEEDED = {
    "garment_type": "SELECT id, brand_id, code, names FROM garment_type ORDER BY id",
    "measurement_field": "SELECT * FROM measurement_field ORDER BY id",
}


@asynccontextmanager
async def two_databases(backend: str, tmp_path: Path) -> AsyncIterator[tuple[str, str]]:
    if backend == "sqlite":
        yield f"sqlite://{tmp_path / 'fast.db'}", f"sqlite://{tmp_path / 'tortoise.db'}"
        return
    names = [f"lini_migrating_{uuid.uuid4().hex[:8]}" for _ in range(2)]
    admin = await asyncpg.connect(PG_ADMIN_URL)
    try:
        for name in names:
            await admin.execute(f'CREATE DATABASE "{name}"')
        base = PG_ADMIN_URL.rsplit("/", 1)[0]
        yield f"{base}/{names[0]}", f"{base}/{names[1]}"
    finally:
        for name in names:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


async def tortoise_own_migrate(url: str) -> None:
    try:
        await tortoise_migrate(config=tortoise_config(url, plugin_apps()))
    finally:
        await Tortoise.close_connections()


async def describe(url: str) -> dict[str, list[tuple]]:
    if url.startswith("sqlite://"):
        import sqlite3

        with sqlite3.connect(url.removeprefix("sqlite://")) as conn:
            found = {"schema": conn.execute(SQLITE_SCHEMA).fetchall()}
            for table, sql in SEEDED.items():
                found[table] = conn.execute(sql).fetchall()
        return found
    conn = await asyncpg.connect(url)
    try:
        found = {key: [tuple(row) for row in await conn.fetch(sql)] for key, sql in POSTGRES_SCHEMA.items()}
        for table, sql in SEEDED.items():
            found[table] = [tuple(row) for row in await conn.fetch(sql)]
        return found
    finally:
        await conn.close()


def test_a_fresh_database_gets_the_same_schema_and_data_as_with_tortoises_own_apply(backend, tmp_path):
    async def run() -> tuple[dict, dict, list[str]]:
        async with two_databases(backend, tmp_path) as (fast, slow):
            applied = await migrate(fast, plugin_apps())
            await tortoise_own_migrate(slow)
            return await describe(fast), await describe(slow), applied

    fast, slow, applied = run_sync(run())
    assert "lini.0001_initial" in applied and len(applied) >= 12
    assert fast["schema" if backend == "sqlite" else "columns"], "something was created"
    assert fast["garment_type"], "the data migration ran"
    for key in slow:
        assert fast[key] == slow[key], key


@pytest.mark.engine_independent
def test_fast_apply_puts_tortoises_apply_back():
    original = Migration.apply
    with pytest.raises(RuntimeError), fast_apply():
        assert Migration.apply is not original
        raise RuntimeError("a failed migration")
    assert Migration.apply is original


@pytest.mark.engine_independent
def test_fast_apply_puts_tortoises_filters_back_too():
    original = tortoise_models.get_filters_for_field
    with pytest.raises(RuntimeError), fast_apply():
        assert tortoise_models.get_filters_for_field is not original
        raise RuntimeError("a failed migration")
    assert tortoise_models.get_filters_for_field is original


def comparable(table: dict[str, Any]) -> dict[str, Any]:
    """A filter table with its `functools.partial` operators (new objects each call) as what they call."""

    def plain(value: Any) -> Any:
        return (value.func, value.args, value.keywords) if isinstance(value, partial) else value

    return {key: {k: plain(v) for k, v in entry.items()} for key, entry in table.items()}


@pytest.mark.engine_independent
def test_shared_filter_tables_equal_tortoises_own_for_every_field_of_every_model():
    """The tables `fast_apply` shares between model classes are the ones tortoise would have built, for each
    field of Lini's and the built-in plugins' models (relations, JSON and `pk` included), also when asked
    again (from the cache)."""
    shared = _shared_filters()

    async def run() -> int:
        await Tortoise.init(config=tortoise_config("sqlite://:memory:", plugin_apps()))
        try:
            checked = 0
            for app in Tortoise.apps.values():
                for model in app.values():
                    meta = model._meta
                    for name, field in meta.fields_map.items():
                        source = getattr(field, "source_field", None) or name
                        for asked in (name, "pk") if field.pk else (name,):
                            own = comparable(get_filters_for_field(asked, field, source))
                            assert comparable(shared(asked, field, source)) == own, (model.__name__, asked)
                            assert comparable(shared(asked, field, source)) == own, (model.__name__, asked)
                            checked += 1
            return checked
        finally:
            await Tortoise.close_connections()

    assert run_sync(run()) > 500


def test_0015_backfills_the_outcome_rows_of_the_history_already_recorded(backend, tmp_path):
    """A database with production history at 0014 gets each finished job's outcome row (core.garments.outcomes)
    when 0015 applies (its frozen backfill), so tailors' records read the same before and after the upgrade."""
    from core.db import connected
    from core.garments.candidates import TrackRecord, track_records
    from core.garments.models import (
        JobStage,
        ProductionJob,
        ProductionJobOutcome,
        ProductionStageChange,
        QcInspection,
        RemakeCause,
    )
    from tests.api.test_production import job_ids, make_fabric, make_tailor, mtm_order
    from tests.factories import make_brand, make_user

    async def history() -> tuple[int, list[int]]:
        brand, (tailor, _) = await make_brand("sekar"), await make_tailor()
        customer, fabric = await make_user(), await make_fabric()
        made = [(await job_ids(await mtm_order(brand, customer, fabric, paid=True)))[0] for _ in range(3)]
        ready, remade, _queued = made
        await ProductionJob.filter(id__in=[ready, remade]).update(tailor_id=tailor.id, assigned_at=datetime.now(UTC))
        await ProductionJob.filter(id=ready).update(stage=JobStage.READY)
        await QcInspection.create(job_id=ready, passed=False)
        await QcInspection.create(job_id=ready, passed=True)
        await ProductionStageChange.create(job_id=ready, from_stage="QUALITY_CHECK", to_stage="READY")
        await ProductionJob.filter(id=remade).update(stage=JobStage.REMADE)
        order = await ProductionJob.get(id=remade)
        await ProductionJob.create(
            brand_id=brand.id,
            order_id=order.order_id,
            order_line_id=order.order_line_id,
            garment_type_code="GAMIS",
            remake_of_id=remade,
            remake_cause=RemakeCause.MAKING,
        )
        return tailor.id, made

    async def run() -> tuple[list[tuple], TrackRecord, list[int]]:
        # History written past core's operations (as a database at 0014 holds it: no outcome rows), then the
        # migration's own frozen backfill. Seeding at 0014 itself would need the models of 0014, which later
        # migrations change.
        import importlib
        from types import SimpleNamespace

        from tortoise import connections

        step = importlib.import_module("core.migrations.0015_production_outcomes")
        async with two_databases(backend, tmp_path) as (url, _):
            await migrate(url, plugin_apps())
            EXECUTOR_CACHE.clear()  # INSERTs cached by connection name, with another dialect's placeholders
            async with connected(url, plugin_apps()):
                tailor_id, made = await history()
                await ProductionJobOutcome.all().delete()
                await step.backfill(None, SimpleNamespace(client=connections.get("default")))
                found = (
                    await ProductionJobOutcome.all()
                    .order_by("job_id")
                    .values_list("job_id", "tailor_id", "first_qc_passed", "remade", "on_time")
                )
                return list(found), (await track_records([tailor_id], last=20))[tailor_id], [*made, tailor_id]

    rows, record, (ready, remade, _queued, tailor_id) = run_sync(run())
    assert rows == [(ready, tailor_id, False, False, True), (remade, tailor_id, None, True, None)]
    assert (record.jobs, record.inspected, record.first_pass, record.remade, record.timed, record.on_time) == (
        2,
        1,
        0,
        1,
        1,
        1,
    )
