"""Test fixtures: a migrated database per test on SQLite (and PostgreSQL when reachable), an ASGI client
that runs the app's lifespan, a GraphQL helper, a SQL-statement counter and a plugin registrar.

The database is migrated once per session (a template file on SQLite, a database of its own on PostgreSQL);
each test gets a fresh copy of the SQLite template or a truncated PostgreSQL database.
"""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
import socket
import uuid
from collections.abc import AsyncIterator, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
from starlette.applications import Starlette
from tortoise.backends.base.executor import EXECUTOR_CACHE

from core.db import migrate
from core.jobs import schema as job_schema
from core.plugins import PluginHost, load_plugins
from core.settings import Settings, load_settings
from server import create_app

CI = os.environ.get("CI", "").lower() == "true"
PG_ADMIN_URL = os.environ.get("LINI_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test")


def _postgres_reachable() -> bool:
    if os.environ.get("LINI_TEST_POSTGRES_URL"):
        return True
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=0.5):
            return True
    except OSError:
        return False


BACKENDS = ["sqlite"] + (["postgres"] if _postgres_reachable() else [])
if CI and "postgres" not in BACKENDS:
    raise pytest.UsageError("CI=true needs PostgreSQL on 127.0.0.1:5432 (or LINI_TEST_POSTGRES_URL)")


def pytest_report_header(config: pytest.Config) -> str:
    return f"lini database backends: {', '.join(BACKENDS)}"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        callspec = getattr(item, "callspec", None)
        if callspec and callspec.params.get("backend") == "postgres":
            if item.get_closest_marker("sqlite_only"):
                item.add_marker(pytest.mark.skip(reason="tests SQLite-specific behaviour"))
            elif item.get_closest_marker("engine_independent"):
                item.add_marker(pytest.mark.skip(reason="engine-independent logic, covered on SQLite"))


def run_sync(coroutine: Any) -> Any:
    """Run a coroutine to completion on a thread of its own (session fixtures may be set up inside a loop)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def plugin_apps() -> dict[str, dict[str, Any]]:
    """The tables of the plugins the test settings enable (every installed one: built-ins are on by default),
    migrated with Lini's own; a plugin registered for one test with `use_plugin` migrates its own tables."""
    return load_plugins(load_settings(env={}), env={}).database_apps()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    run_sync(migrate(f"sqlite://{path}", plugin_apps()))
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return path


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    name = f"lini_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = PG_ADMIN_URL

    async def create() -> None:
        conn = await asyncpg.connect(admin)
        try:
            await conn.execute(f'CREATE DATABASE "{name}"')
        finally:
            await conn.close()

    async def drop() -> None:
        conn = await asyncpg.connect(admin)
        try:
            await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await conn.close()

    run_sync(create())
    url = admin.rsplit("/", 1)[0] + f"/{name}"
    try:
        run_sync(migrate(url, plugin_apps()))
        run_sync(job_schema.install(url))  # as `server.py migrate` does: jobs are deferred in the ORM's transactions
        _PG_SEEDS[url] = run_sync(_snapshot_seed_rows(url))
        yield url
    finally:
        run_sync(drop())


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
async def database_url(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if backend == "sqlite":
        template = request.getfixturevalue("sqlite_template")
        target = tmp_path / "lini.db"
        shutil.copyfile(template, target)
        return f"sqlite://{target}"
    url = request.getfixturevalue("postgres_url")
    conn = await asyncpg.connect(url)
    try:
        tables = await conn.fetch(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'tortoise_migrations'"
        )
        if tables:
            names = ", ".join(f'"{row["tablename"]}"' for row in tables)
            await conn.execute(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
        await _restore_seed_rows(conn, _PG_SEEDS.get(url, []))
    finally:
        await conn.close()
    return url


# Rows that data migrations insert (built-in garment types...), per migrated PostgreSQL database: truncating
# between tests removes them, so they are put back, as a fresh copy of the SQLite template still has them.
_PG_SEEDS: dict[str, list[tuple[str, list[str], list[Any]]]] = {}


async def _snapshot_seed_rows(url: str) -> list[tuple[str, list[str], list[Any]]]:
    """Every non-empty table right after migrating, parents before the tables that reference them."""
    conn = await asyncpg.connect(url)
    try:
        tables = [
            row["tablename"]
            for row in await conn.fetch(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'tortoise_migrations'"
            )
        ]
        parents: dict[str, set[str]] = {table: set() for table in tables}
        for edge in await conn.fetch(
            "SELECT conrelid::regclass::text AS child, confrelid::regclass::text AS parent "
            "FROM pg_constraint WHERE contype = 'f'"
        ):
            child, parent = edge["child"].strip('"'), edge["parent"].strip('"')
            if child in parents and parent != child:
                parents[child].add(parent)
        seeds = []
        for table in _parents_first(parents):
            rows = await conn.fetch(f'SELECT * FROM "{table}"')
            if rows:
                seeds.append((table, list(rows[0].keys()), [tuple(row) for row in rows]))
        return seeds
    finally:
        await conn.close()


def _parents_first(parents: dict[str, set[str]]) -> list[str]:
    ordered: list[str] = []
    placed: set[str] = set()

    def place(table: str) -> None:
        if table in placed:
            return
        placed.add(table)
        for parent in sorted(parents[table]):
            if parent in parents:
                place(parent)
        ordered.append(table)

    for table in sorted(parents):
        place(table)
    return ordered


async def _restore_seed_rows(conn: asyncpg.Connection, seeds: list[tuple[str, list[str], list[Any]]]) -> None:
    for table, columns, rows in seeds:
        await conn.copy_records_to_table(table, records=rows, columns=columns)
        if "id" in columns:
            await conn.execute(
                f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), (SELECT max(id) FROM \"{table}\"))"
                f" WHERE pg_get_serial_sequence('\"{table}\"', 'id') IS NOT NULL"
            )


@pytest.fixture
def settings(database_url: str) -> Settings:
    # Tortoise caches each model's INSERT statement per connection *name*, not per dialect; one process
    # never switches backends in production, but the suite does.
    EXECUTOR_CACHE.clear()
    base = load_settings(env={})
    return base.model_copy(
        update={
            "database": base.database.model_copy(update={"url": database_url}),
            "server": base.server.model_copy(update={"environment": "test"}),
            # argon2 at its cheapest: the suite hashes hundreds of passwords.
            "auth": base.auth.model_copy(update={"argon2_time_cost": 1, "argon2_memory_kib": 8}),
            # Rate limits would make tests that sign in a dozen times depend on them: tests/api/test_rate_limits.py
            # turns them on.
            "rate_limits": base.rate_limits.model_copy(update={"enabled": False}),
            # No worker in the served app: its periodic tasks (expiry, event sweeps) would run beside the test,
            # at start-up and every few seconds. tests/jobs/ turns it on.
            "jobs": base.jobs.model_copy(update={"worker": "external"}),
            # Plugins hear of a request's commit before it answers, so a test reads what they did right after;
            # tests/core/test_outbox_background.py covers the servers' default, a dispatcher task.
            "events": base.events.model_copy(update={"deliver_hooks": "request"}),
        }
    )


@pytest.fixture
def plugins() -> dict[str, object]:
    """Plugins to register for one test, by name; add to it before the app is built (see `use_plugin`)."""
    return {}


@pytest.fixture
def use_plugin(plugins: dict[str, object]):
    """Register a plugin object for the duration of one test: `use_plugin(obj, name="mine")`."""

    def register(plugin: object, name: str | None = None) -> object:
        plugins[name or getattr(plugin, "__name__", type(plugin).__name__)] = plugin
        return plugin

    return register


@pytest.fixture
def plugin_host(settings: Settings, plugins: dict[str, object]) -> PluginHost:
    return load_plugins(settings, extra=plugins, env={})


@pytest.fixture
async def app(settings: Settings, plugin_host: PluginHost) -> AsyncIterator[Starlette]:
    application = create_app(settings, host=plugin_host)
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def client(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


@dataclass
class GraphQLClient:
    """Posts GraphQL as a storefront would; `storefront` and `token` set the usual headers."""

    http: httpx.AsyncClient
    storefront: str | None = None
    token: str | None = None
    headers: dict[str, str] = field(default_factory=dict)

    async def raw(self, query: str, variables: dict[str, Any] | None = None, **kwargs: Any) -> dict[str, Any]:
        headers = dict(self.headers)
        storefront = kwargs.pop("storefront", self.storefront)
        token = kwargs.pop("token", self.token)
        if storefront:
            headers["Lini-Storefront"] = storefront
        if token:
            headers["Authorization"] = f"Bearer {token}"
        headers.update(kwargs.pop("headers", {}))
        response = await self.http.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
        )
        assert response.status_code == 200, response.text
        return response.json()

    async def __call__(self, query: str, variables: dict[str, Any] | None = None, **kwargs: Any) -> dict[str, Any]:
        """The `data` of a response that must have no errors."""
        body = await self.raw(query, variables, **kwargs)
        assert not body.get("errors"), body["errors"]
        return body["data"]

    async def error(self, query: str, variables: dict[str, Any] | None = None, **kwargs: Any) -> dict[str, Any]:
        """The one GraphQL error a response must have."""
        body = await self.raw(query, variables, **kwargs)
        assert body.get("errors") and len(body["errors"]) == 1, body
        return body["errors"][0]


@pytest.fixture
def gql(client: httpx.AsyncClient) -> GraphQLClient:
    return GraphQLClient(client)


class SQLCounter(logging.Handler):
    """Counts the SQL statements tortoise sends, on either backend."""

    VERBS = ("SELECT", "INSERT", "UPDATE", "DELETE", "WITH")

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.statements: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        text = str(record.args[0]) if record.args else record.getMessage()
        if text.lstrip().upper().startswith(self.VERBS):
            self.statements.append(text)

    @contextmanager
    def counting(self) -> Iterator[list[str]]:
        self.statements = []
        yield self.statements


@pytest.fixture
def sql_counter() -> Iterator[SQLCounter]:
    counter = SQLCounter()
    log = logging.getLogger("tortoise.db_client")
    previous = log.level
    log.setLevel(logging.DEBUG)
    log.addHandler(counter)
    try:
        yield counter
    finally:
        log.removeHandler(counter)
        log.setLevel(previous)
