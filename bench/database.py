"""A throwaway database for one benchmark run: a temporary SQLite file or a PostgreSQL database of its own."""

from __future__ import annotations

import os
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg

DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/test"


@asynccontextmanager
async def throwaway_database(backend: str, postgres_url: str = DEFAULT_POSTGRES_URL) -> AsyncIterator[str]:
    """The tortoise URL of an empty database that is removed when the block ends."""
    if backend == "sqlite":
        with tempfile.TemporaryDirectory(prefix="lini-bench-") as folder:
            yield f"sqlite://{Path(folder) / 'bench.db'}"
    elif backend == "postgres":
        async with _postgres_database(postgres_url) as url:
            yield url
    else:
        raise ValueError(f"unknown backend {backend!r}")


@asynccontextmanager
async def _postgres_database(admin_url: str) -> AsyncIterator[str]:
    name = f"lini_bench_{os.getpid()}"
    parts = urlsplit(admin_url)
    admin = urlunsplit(parts._replace(query=""))  # asyncpg does not know tortoise's pool options
    await _admin(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        await _admin(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def _admin(url: str, *statements: str) -> None:
    conn = await asyncpg.connect(url)
    try:
        for statement in statements:
            await conn.execute(statement)
    finally:
        await conn.close()
