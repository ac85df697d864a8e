"""The dispatch strategies installed in this process: every plugin's `dispatch_strategies` (this plugin's
WEIGHTED among them), read once at start-up (`startup`), or from the worker's host inside a task.

A brand's choice is a name (`dispatchSettings.strategy`); a name no plugin provides any more (the plugin was
uninstalled since) is a typed error when ranking, never a silent fallback to another strategy.
"""

from __future__ import annotations

from lini.plugin import DispatchStrategy, DomainError, PluginHost, strategies_by_name, task_host

HOOK = "dispatch_strategies"
_installed: dict[str, DispatchStrategy] | None = None


def install(host: PluginHost) -> None:
    """Read every plugin's strategies (a duplicate name stops the start with a PluginError)."""
    global _installed
    _installed = strategies_by_name(host.collect(HOOK))


def available() -> dict[str, DispatchStrategy]:
    if _installed is None:
        install(task_host())  # a worker process: no `startup` ran, its task host is there
    assert _installed is not None
    return _installed


def chosen(name: str) -> DispatchStrategy:
    found = available().get(name)
    if found is None:
        raise DomainError("UNKNOWN_STRATEGY", f"The brand's dispatch strategy {name!r} is not installed.", "strategy")
    return found
