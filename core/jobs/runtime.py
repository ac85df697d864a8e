"""How a running task reaches the plugin host (and so the settings) of the process running it.

Jobs carry only JSON arguments, so a task cannot be handed the host; the worker sets it here before it starts,
and the jobs it runs (asyncio tasks created inside it) inherit it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from core.plugins import PluginHost

_HOST: ContextVar[PluginHost | None] = ContextVar("lini_job_host", default=None)


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
