"""Building the plugin manager: every installed `lini.plugins` entry point that settings enable.

Built-in plugins are registered through the same entry-point group as third-party ones, so they have no
privilege a `pip install`-ed plugin lacks. This module is also the plugin author's import:
`from core.plugins import hookimpl, PluginHost, SchemaExtension`.
"""

from __future__ import annotations

import inspect
import logging
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from typing import Any

import pluggy
from pydantic import BaseModel

from core import hookspecs
from core.db import APP as CORE_APP
from core.db import app_config
from core.settings import PLUGIN_PREFIX, Settings, SettingsError, check_variables, plugin_settings

ENTRY_POINT_GROUP = "lini.plugins"
TRACE_ENV = "LINI_TRACE_HOOKS"
APP_LABEL = re.compile(r"^[a-z_][a-z0-9_]*$")

hookimpl = pluggy.HookimplMarker(hookspecs.PROJECT)
logger = logging.getLogger("lini.plugins")


class PluginError(SettingsError):
    """A plugin could not be found, loaded or configured; the message names it."""


@dataclass(frozen=True)
class SchemaExtension:
    """What a plugin adds to the GraphQL API (see the `schema_extensions` hook).

    `query` and `mutation` are strawberry types whose fields are merged into the root types; `types` are
    extra types to register (e.g. implementations of an interface that no field names directly).
    """

    query: type | None = None
    mutation: type | None = None
    types: Sequence[type] = field(default_factory=tuple)


async def await_me_maybe(value: Any) -> Any:
    """Hooks may return a value, a callable that returns one, or an awaitable: accept all three."""
    if callable(value) and not inspect.isclass(value):
        value = value()
    if inspect.isawaitable(value):
        value = await value
    return value


class PluginHost:
    """The plugin manager plus each plugin's validated settings; what core code calls hooks through."""

    def __init__(
        self,
        settings: Settings,
        manager: pluggy.PluginManager,
        configs: dict[str, Any],
        *,
        tracing: bool = False,
        apps: dict[str, dict[str, Any]] | None = None,
    ) -> None:
        self.settings = settings
        self.manager = manager
        self._configs = configs
        self.tracing = tracing
        self._apps = apps or {}

    def database_apps(self) -> dict[str, dict[str, Any]]:
        """The tortoise apps of the loaded plugins that own tables, by plugin name, for `core.db`'s functions."""
        return {name: dict(app) for name, app in self._apps.items()}

    @property
    def names(self) -> list[str]:
        return sorted(name for name, _ in self.manager.list_name_plugin() if name in self._configs)

    def config(self, name: str) -> Any:
        """A plugin's validated settings model (None if it declares no `Settings`)."""
        if name not in self._configs:
            raise KeyError(f"plugin {name!r} is not loaded")
        return self._configs[name]

    def collect(self, hook: str, **kwargs: Any) -> list[Any]:
        """Call a list-returning hook and flatten the lists, in plugin order."""
        caller = getattr(self.manager.hook, hook)
        results = caller(host=self, **kwargs)
        if any(not isinstance(result, list | tuple) for result in results):
            culprits = [
                impl.plugin_name
                for impl in caller.get_hookimpls()
                if not isinstance(
                    impl.function(**{a: ({"host": self} | kwargs)[a] for a in impl.argnames}), list | tuple
                )
            ]
            raise PluginError(f"the {hook} hook of {', '.join(culprits)} must return a list (and not be async)")
        return [item for result in results for item in result]

    async def call(self, hook: str, *, on_error: str = "raise", **kwargs: Any) -> list[Any]:
        """Call each implementation of a hook in pluggy's order and await what is awaitable.

        Each plugin is called even when an earlier one failed (a failed shutdown must not skip the others').
        `on_error="raise"` re-raises the first failure once all ran; `"log"` logs each and goes on.
        """
        arguments = {"host": self, **kwargs}
        values: list[Any] = []
        failures: list[Exception] = []
        for impl in reversed(getattr(self.manager.hook, hook).get_hookimpls()):
            if self.tracing:
                logger.info("hook %s [%s]", hook, impl.plugin_name)
            try:
                values.append(await await_me_maybe(impl.function(*(arguments[a] for a in impl.argnames))))
            except Exception as exc:
                if on_error == "log":
                    logger.exception("plugin %r: %s hook failed", impl.plugin_name, hook)
                failures.append(exc)
        if failures and on_error == "raise":
            raise failures[0]
        return [value for value in values if value is not None]

    def implementers(self, hook: str) -> list[str]:
        """The plugins implementing a hook, in the order `call` calls them."""
        return [impl.plugin_name for impl in reversed(getattr(self.manager.hook, hook).get_hookimpls())]

    async def call_one(self, hook: str, plugin: str, **kwargs: Any) -> Any:
        """Call one plugin's implementation of a hook (the outbox retries a plugin that failed alone)."""
        arguments = {"host": self, **kwargs}
        for impl in getattr(self.manager.hook, hook).get_hookimpls():
            if impl.plugin_name == plugin:
                if self.tracing:
                    logger.info("hook %s [%s]", hook, plugin)
                return await await_me_maybe(impl.function(*(arguments[a] for a in impl.argnames)))
        raise KeyError(f"plugin {plugin!r} does not implement {hook}")


def check_plugin_variables(
    env: Mapping[str, str], configs: Mapping[str, BaseModel | None], installed_only: set[str]
) -> None:
    """A `LINI_PLUGINS_*` variable must name a loaded plugin's key (or the variable a `*_env` key of it names).

    A plugin installed but not enabled is not imported, so its keys are unknown: variables under its prefix pass.
    """
    known = {f"{PLUGIN_PREFIX}ENABLED"}
    for name, config in configs.items():
        if config is None:
            continue
        for key in type(config).model_fields:
            known.add(f"{PLUGIN_PREFIX}{name}_{key}".upper())
            value = getattr(config, key)
            if key.endswith("_env") and isinstance(value, str):
                known.add(value)
    dormant = tuple(f"{PLUGIN_PREFIX}{name}_".upper() for name in installed_only)
    check_variables({var: "" for var in env if not var.startswith(dormant)}, known, only_prefix=PLUGIN_PREFIX)


def discover() -> dict[str, Any]:
    """Installed plugins by entry-point name (not loaded)."""
    return {ep.name: ep for ep in entry_points(group=ENTRY_POINT_GROUP)}


def load_plugins(
    settings: Settings,
    *,
    extra: Mapping[str, object] | None = None,
    env: Mapping[str, str] | None = None,
) -> PluginHost:
    """Register the enabled plugins and validate their settings; any problem stops the start.

    `extra` registers plugin objects by name without an entry point (tests, embedding applications).
    """
    env = os.environ if env is None else env
    manager = pluggy.PluginManager(hookspecs.PROJECT)
    manager.add_hookspecs(hookspecs)
    installed = discover()
    extra = dict(extra or {})
    known = set(installed) | set(extra)

    for name in settings.plugins.enabled:
        if name != "*" and name not in known:
            raise PluginError(
                f"[plugins] enabled: no installed plugin named {name!r} (installed: "
                f"{', '.join(sorted(known)) or 'none'})"
            )
    for name in settings.plugins.config:
        if name not in known:
            raise PluginError(f"[plugins.{name}]: no installed plugin named {name!r}")

    configs: dict[str, BaseModel | None] = {}
    apps: dict[str, dict[str, Any]] = {}
    for name, plugin in _load(installed, settings, extra):
        try:
            manager.register(plugin, name=name)
        except pluggy.PluginValidationError as exc:
            raise PluginError(f"plugin {name!r} does not match the hook contract: {exc}") from exc
        except ValueError as exc:
            raise PluginError(f"plugin {name!r} could not be registered (already registered?): {exc}") from exc
        configs[name] = plugin_settings(settings, name, getattr(plugin, "Settings", None), env)
        app = database_app(name, plugin)
        if app is not None:
            apps[name] = app
    check_plugin_variables(env, configs, installed_only=known - set(configs))
    try:
        manager.check_pending()  # a misspelt hook (`def route(...)`) would otherwise be ignored silently
    except pluggy.PluginValidationError as exc:
        raise PluginError(f"a plugin implements a hook Lini does not have: {exc}") from exc

    if env.get(TRACE_ENV):
        manager.trace.root.setwriter(lambda message: logger.info("hook %s", message.rstrip()))
        manager.enable_tracing()
    return PluginHost(settings, manager, configs, tracing=bool(env.get(TRACE_ENV)), apps=apps)


def database_app(name: str, plugin: object) -> dict[str, Any] | None:
    """The tortoise app of a plugin that declares `MODELS` (module path or list of them) and `MIGRATIONS`.

    The app is named after the plugin, so its models are `"<plugin>.<Model>"` and its migrations are recorded
    under the plugin's name; it shares Lini's connection, so foreign keys to `"lini.Brand"` work.
    """
    models = getattr(plugin, "MODELS", None)
    migrations = getattr(plugin, "MIGRATIONS", None)
    if models is None and migrations is None:
        return None
    if not models or not (isinstance(models, str) or all(isinstance(m, str) for m in models)):
        raise PluginError(f"plugin {name!r}: MODELS must name a models module (or a list of them)")
    if not isinstance(migrations, str) or not migrations:
        raise PluginError(f"plugin {name!r} declares MODELS without MIGRATIONS (its migrations package)")
    if name == CORE_APP or not APP_LABEL.match(name):
        raise PluginError(
            f"plugin {name!r} cannot own tables under that name: a database app is named after its plugin "
            f"(lowercase letters, digits and underscores, not {CORE_APP!r})"
        )
    return app_config(list(models) if not isinstance(models, str) else models, migrations)


def _load(
    installed: Mapping[str, Any], settings: Settings, extra: Mapping[str, object]
) -> Iterable[tuple[str, object]]:
    for name in sorted(installed):
        if not settings.plugins.allows(name) or name in extra:
            continue
        try:
            yield name, installed[name].load()
        except Exception as exc:
            raise PluginError(f"plugin {name!r} failed to import: {exc!r}") from exc
    for name, plugin in extra.items():
        if settings.plugins.allows(name):
            yield name, plugin
