"""procrastinate's tables on PostgreSQL, installed and upgraded by `server.py migrate`.

procrastinate keeps its schema apart from tortoise's migrations: a whole schema for a new database, and one SQL
file per change (`procrastinate/sql/migrations/`, named by version) for a database made by an older release,
to be applied by the project's own migration tool. Lini records the files it has applied in
`lini_queue_migrations`: a fresh install records every file of the installed release (its schema already has
them), and a later `migrate` — after procrastinate was upgraded — applies the files it has not seen, in order,
each in its own transaction. (A zero-downtime upgrade applies a release's `_pre_` files before deploying the
code and its `_post_` files after; `migrate` applies both, as for a deployment that stops its workers.)
On SQLite the queue lives in memory and there is nothing to install.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import psycopg
from procrastinate import App

from core.jobs.queue import conninfo, is_postgres

JOBS_TABLE = "procrastinate_jobs"
TRACKING_TABLE = "lini_queue_migrations"
SCHEMA = "schema.sql"


async def installed(app: App) -> bool:
    """Whether the opened App's database has procrastinate's tables."""
    row = await app.connector.execute_query_one_async(
        "SELECT to_regclass(%(table)s) IS NOT NULL AS installed", table=JOBS_TABLE
    )
    return bool(row["installed"])


def sql_folder() -> Path:
    return Path(str(resources.files("procrastinate") / "sql"))


def migration_files(folder: Path | None = None) -> list[Path]:
    """The installed procrastinate's migration files, in the order they apply (their names sort by version)."""
    return sorted((folder or sql_folder() / "migrations").glob("*.sql"), key=lambda path: path.name)


async def install(url: str, *, migrations: Path | None = None) -> list[str]:
    """Install procrastinate's schema on the PostgreSQL database at `url`, or bring it up to the installed
    release; returns what was applied ("schema", or the migration files' names), empty when up to date."""
    if not is_postgres(url):
        return []
    files = migration_files(migrations)
    async with await psycopg.AsyncConnection.connect(conninfo(url), autocommit=True) as connection:
        await connection.execute(
            f"CREATE TABLE IF NOT EXISTS {TRACKING_TABLE} "
            "(name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"
        )
        present = await (await connection.execute("SELECT to_regclass(%s) IS NOT NULL", [JOBS_TABLE])).fetchone()
        known = {row[0] for row in await (await connection.execute(f"SELECT name FROM {TRACKING_TABLE}")).fetchall()}
        if not (present and present[0]):
            async with connection.transaction():
                await connection.execute((sql_folder() / SCHEMA).read_text(encoding="utf-8"))
                await _record(connection, [path.name for path in files])
            return [SCHEMA]
        if not known:
            # procrastinate installed before Lini tracked its files: its schema is the installed release's
            await _record(connection, [path.name for path in files])
            return []
        applied = []
        for path in files:
            if path.name in known:
                continue
            async with connection.transaction():
                await connection.execute(path.read_text(encoding="utf-8"))
                await _record(connection, [path.name])
            applied.append(path.name)
        return applied


async def _record(connection: psycopg.AsyncConnection, names: list[str]) -> None:
    async with connection.cursor() as cursor:
        await cursor.executemany(
            f"INSERT INTO {TRACKING_TABLE} (name) VALUES (%s) ON CONFLICT DO NOTHING", [[name] for name in names]
        )
