"""How a running task reaches the plugin host (and so the settings) of the process running it.

Jobs carry only JSON arguments, so a task cannot be handed the host; the worker sets it here before it starts,
and the jobs it runs (asyncio tasks created inside it) inherit it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from procrastinate import App

from core.plugins import PluginHost

_HOST: ContextVar[PluginHost | None] = ContextVar("lini_job_host", default=None)
# The queue of this process (a server's or a worker's), open while it serves: a process has one, and requests
# reach it from tasks that do not inherit the lifespan's context, hence a module global and not a ContextVar.
_app: App | None = None


def current_app() -> App | None:
    """The open queue of this process, if it has one (`defer_job` reads its tasks' declared options)."""
    return _app


@contextmanager
def serving_app(app: App) -> Iterator[App]:
    """Make `app` this process's queue while the block runs."""
    global _app
    previous, _app = _app, app
    try:
        yield app
    finally:
        _app = previous


def task_host() -> PluginHost:
    """The plugin host of the worker running the current task (`host.settings` for the settings)."""
    host = _HOST.get()
    if host is None:
        raise RuntimeError("task_host() is called from a task, while a Lini worker runs it")
    return host


@contextmanager
def running_with(host: PluginHost) -> Iterator[PluginHost]:
    """Make `host` what `task_host()` returns in this context (and in the tasks started from it)."""
    token = _HOST.set(host)
    try:
        yield host
    finally:
        _HOST.reset(token)
