"""procrastinate's tables on PostgreSQL, installed by `server.py migrate` when they are not there yet.

procrastinate keeps its schema apart from tortoise's migrations (its own SQL, its own upgrade scripts), so
`migrate` checks for its jobs table and applies the whole schema once; a second `migrate` finds it and does
nothing. On SQLite the queue lives in memory and there is nothing to install.
"""

from __future__ import annotations

from procrastinate import App, PsycopgConnector

from core.jobs.queue import conninfo, is_postgres

JOBS_TABLE = "procrastinate_jobs"


async def installed(app: App) -> bool:
    """Whether the opened App's database has procrastinate's tables."""
    row = await app.connector.execute_query_one_async(
        "SELECT to_regclass(%(table)s) IS NOT NULL AS installed", table=JOBS_TABLE
    )
    return bool(row["installed"])


async def install(url: str) -> bool:
    """Apply procrastinate's schema to the PostgreSQL database at `url` if it is missing; True if it was applied."""
    if not is_postgres(url):
        return False
    app = App(connector=PsycopgConnector(conninfo=conninfo(url), min_size=1, max_size=1))
    async with app.open_async():
        if await installed(app):
            return False
        await app.schema_manager.apply_schema_async()
        return True
