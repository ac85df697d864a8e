"""The procrastinate App for the settings: which connector, and which tasks (core's and the plugins').

PostgreSQL: a `PsycopgConnector`, procrastinate's own psycopg pool on the database tortoise uses (tortoise talks
asyncpg, so a job cannot be deferred in an ORM transaction: the outbox row is the transactional record, and
jobs are deferred from it). SQLite: an `InMemoryConnector`, the queue in the server process's memory, run by
the worker inside that process (`[jobs] worker`), since SQLite serves one process anyway.

A Blueprint's tasks are renamed when an App takes them, so each App takes fresh copies: core's module-level
Blueprint and the plugins' stay as they were, and one process may build several Apps (the tests do).
"""

from __future__ import annotations

import copy
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from procrastinate import App, Blueprint, PsycopgConnector
from procrastinate.connector import BaseConnector
from procrastinate.testing import InMemoryConnector  # "for testing" upstream; here, the one-process SQLite queue

from core.jobs import tasks
from core.plugins import PluginError, PluginHost
from core.settings import Settings

HOOK = "job_blueprints"
RESERVED_NAMESPACES = {tasks.NAMESPACE, "builtin"}  # "builtin": procrastinate's own tasks
# Query parameters of a tortoise URL that libpq understands too; the others (minsize, maxsize, ...) are
# tortoise's or asyncpg's and libpq refuses them.
LIBPQ_PARAMETERS = {"sslmode", "sslrootcert", "sslcert", "sslkey", "application_name", "connect_timeout"}


def is_postgres(url: str) -> bool:
    return url.startswith(("postgres://", "postgresql://", "psycopg://", "asyncpg://"))


def runs_in_process(settings: Settings) -> bool:
    """Whether the server process runs a worker itself (`[jobs] worker`; "auto": on SQLite only)."""
    chosen = settings.jobs.worker
    return not is_postgres(settings.database.url) if chosen == "auto" else chosen == "in-process"


def conninfo(url: str) -> str:
    """The libpq connection string of a tortoise PostgreSQL URL (`postgres://` -> `postgresql://`)."""
    parts = urlsplit(url)
    query = urlencode([(key, value) for key, value in parse_qsl(parts.query) if key in LIBPQ_PARAMETERS])
    return urlunsplit(("postgresql", parts.netloc, parts.path, query, ""))


def connector_for(url: str, *, max_connections: int = 4) -> BaseConnector:
    if is_postgres(url):
        return PsycopgConnector(conninfo=conninfo(url), min_size=1, max_size=max_connections)
    return InMemoryConnector()


def build_app(settings: Settings, host: PluginHost, *, max_connections: int = 4) -> App:
    """The App with core's tasks under `lini:` and each plugin's under its name; not opened yet."""
    app = App(connector=connector_for(settings.database.url, max_connections=max_connections))
    app.add_tasks_from(fresh_copy(tasks.blueprint), namespace=tasks.NAMESPACE)
    for name, blueprints in plugin_blueprints(host).items():
        for blueprint in blueprints:
            app.add_tasks_from(fresh_copy(blueprint), namespace=name)
    return app


def plugin_blueprints(host: PluginHost) -> dict[str, list[Blueprint]]:
    """Each plugin's `job_blueprints`, by plugin name (the tasks' namespace)."""
    found: dict[str, list[Blueprint]] = {}
    arguments: dict[str, Any] = {"host": host}
    for impl in reversed(getattr(host.manager.hook, HOOK).get_hookimpls()):
        name = impl.plugin_name
        result = impl.function(*(arguments[a] for a in impl.argnames))
        if not isinstance(result, list | tuple) or not all(isinstance(b, Blueprint) for b in result):
            raise PluginError(f"the {HOOK} hook of {name} must return a list of procrastinate Blueprints")
        if name in RESERVED_NAMESPACES:
            raise PluginError(f"plugin {name!r}: its tasks' namespace would be {name}, which is reserved")
        found[name] = list(result)
    return found


def fresh_copy(blueprint: Blueprint) -> Blueprint:
    """A Blueprint with copies of `blueprint`'s tasks and periodic schedules, for one App to rename."""
    fresh = Blueprint()
    copies = {id(task): copy.copy(task) for task in blueprint.tasks.values()}
    fresh.tasks = {name: copies[id(task)] for name, task in blueprint.tasks.items()}
    for periodic in blueprint.periodic_registry.periodic_tasks.values():
        options = copy.copy(periodic.configure_kwargs)
        task_kwargs = options.get("task_kwargs")
        if task_kwargs is not None:  # the deferrer writes each run's timestamp into it
            options["task_kwargs"] = dict(task_kwargs)
        fresh.periodic_registry.register_task(
            task=copies[id(periodic.task)],
            cron=periodic.cron,
            periodic_id=periodic.periodic_id,
            configure_kwargs=options,
        )
    return fresh
