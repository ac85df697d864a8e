"""Which plugins hear which events through `handle_event`: the `event_subscriptions` hook, read once per process.

`emit` writes a delivery row per subscribed plugin in the event's own transaction (like a webhook's), so no
committed event can be missed, and the outbox hands it to that plugin alone, retried alone when it fails. The
subscriptions are the process's (its server or worker sets them when it starts), since `emit` is called deep in
services that are not handed the plugin host.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from core.plugins import PluginError

if TYPE_CHECKING:
    from core.plugins import PluginHost

HOOK = "event_subscriptions"
HANDLER = "handle_event"  # the hook a subscribed plugin implements; its rows are "handle_event:<plugin>"

_active: dict[str, tuple[str, ...]] = {}


def matches(patterns: tuple[str, ...], event_type: str) -> bool:
    """ "*" is every type, "product.*" every type of one noun, anything else one type."""
    return any(
        pattern == "*" or pattern == event_type or (pattern.endswith(".*") and event_type.startswith(pattern[:-1]))
        for pattern in patterns
    )


def read(host: PluginHost, known: set[str]) -> dict[str, tuple[str, ...]]:
    """Each plugin's patterns, checked: a plugin that subscribes must implement `handle_event`, and name types
    that exist (`known`), nouns that some type has, or "*"; otherwise the start stops with a PluginError."""
    found: dict[str, tuple[str, ...]] = {}
    nouns = {name.partition(".")[0] for name in known}
    handlers = set(host.implementers(HANDLER))
    arguments: dict[str, Any] = {"host": host}
    for impl in getattr(host.manager.hook, HOOK).get_hookimpls():
        name = impl.plugin_name
        patterns = impl.function(*(arguments[a] for a in impl.argnames))
        if not isinstance(patterns, list | tuple) or not all(isinstance(p, str) for p in patterns):
            raise PluginError(f"the {HOOK} hook of {name} must return a list of event type names")
        for pattern in patterns:
            if not (pattern == "*" or pattern in known or (pattern.endswith(".*") and pattern[:-2] in nouns)):
                raise PluginError(f"plugin {name!r} subscribes to {pattern!r}, which is no event type")
        if patterns and name not in handlers:
            raise PluginError(f"plugin {name!r} subscribes to events but does not implement {HANDLER}")
        if patterns:
            found[name] = tuple(patterns)
    return found


@contextmanager
def subscribed(host: PluginHost) -> Iterator[dict[str, tuple[str, ...]]]:
    """Make the host's plugins' subscriptions this process's while the block runs (a server, a worker)."""
    from core.event_types import registry  # the event types import the plugins' hook specifications

    global _active
    previous, _active = _active, read(host, set(registry(tuple(host.collect("event_types")))))
    try:
        yield _active
    finally:
        _active = previous


def subscribers(event_type: str) -> list[str]:
    """The delivery subscribers of the plugins that hear this type of event ("handle_event:<plugin>")."""
    return [f"{HANDLER}:{plugin}" for plugin, patterns in _active.items() if matches(patterns, event_type)]
