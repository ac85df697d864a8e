"""A brand's own settings for a plugin (its bank account for bank transfers, its API keys for a gateway).

A plugin that needs per-brand settings declares a pydantic model named `BrandSettings` in the module its entry
point names. Settings are validated against it when written, so a brand cannot activate a gateway with half
its details; fields typed `SecretStr` are stored but never handed back (`masked` says only whether they are
set), and a secret left out of an update keeps its stored value, since a form cannot resend what it never saw.
"""

from __future__ import annotations

import types
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel, SecretStr, ValidationError

from core.actors.models import Brand
from core.auth.permissions import Permission
from core.brand_plugins.models import BrandPluginConfig
from core.context import Actor
from core.errors import DomainError, DomainErrors
from core.plugins import PluginHost


@dataclass(frozen=True, slots=True)
class BrandPluginView:
    """A plugin as a brand's staff see it: public settings, and only set/unset for secrets."""

    plugin: str
    active: bool
    configured: bool
    config: dict[str, Any]
    secrets: dict[str, bool]


def brand_settings_model(host: PluginHost, plugin: str) -> type[BaseModel] | None:
    """The plugin's `BrandSettings` model, or None when it has no per-brand settings."""
    if plugin not in host.names:
        raise DomainError("PLUGIN_NOT_FOUND", f"No enabled plugin is named {plugin!r}.", "plugin")
    model = getattr(host.manager.get_plugin(plugin), "BrandSettings", None)
    return model if isinstance(model, type) and issubclass(model, BaseModel) else None


def secret_fields(model: type[BaseModel]) -> list[str]:
    return [name for name, info in model.model_fields.items() if _is_secret(info.annotation)]


def _is_secret(annotation: Any) -> bool:
    if annotation is SecretStr:
        return True
    return get_origin(annotation) in (Union, types.UnionType) and SecretStr in get_args(annotation)


def validate(model: type[BaseModel], config: Mapping[str, Any]) -> dict[str, Any]:
    """The config as stored (secrets in clear), or DomainErrors naming each bad `config.<field>`."""
    problems = [
        DomainError("UNKNOWN_SETTING", f"{key} is not a setting of this plugin.", f"config.{key}")
        for key in config
        if key not in model.model_fields
    ]
    if problems:
        raise DomainErrors(problems)
    try:
        validated = model.model_validate(dict(config))
    except ValidationError as exc:
        raise DomainErrors(
            [
                DomainError(
                    "REQUIRED" if error["type"] == "missing" else "INVALID",
                    error["msg"],
                    "config." + ".".join(str(part) for part in error["loc"]),
                )
                for error in exc.errors()
            ]
        ) from None
    stored = validated.model_dump(mode="json")
    for name in secret_fields(model):
        value = getattr(validated, name)
        stored[name] = value.get_secret_value() if isinstance(value, SecretStr) else value
    return stored


def masked(model: type[BaseModel] | None, config: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, bool]]:
    secrets = secret_fields(model) if model else []
    public = {key: value for key, value in config.items() if key not in secrets}
    return public, {name: bool(config.get(name)) for name in secrets}


async def configure(
    actor: Actor,
    brand: Brand,
    plugin: str,
    *,
    host: PluginHost,
    active: bool | None = None,
    config: Mapping[str, Any] | None = None,
) -> BrandPluginView:
    """Set whether `plugin` is active for the brand and its settings (merged into the stored ones)."""
    actor.require(brand.id, Permission.MANAGE_STOREFRONT)
    model = brand_settings_model(host, plugin)
    if config and model is None:
        raise DomainError("INVALID", f"The {plugin} plugin has no per-brand settings.", "config")
    row = await BrandPluginConfig.get_or_none(brand_id=brand.id, plugin=plugin)
    stored = dict(row.config) if row else {}
    now_active = active if active is not None else (row.active if row else True)
    if model is not None and (config is not None or now_active):
        stored = validate(model, {**stored, **(config or {})})
    if row is None:
        row = await BrandPluginConfig.create(brand_id=brand.id, plugin=plugin, active=now_active, config=stored)
    else:
        await BrandPluginConfig.filter(id=row.id).update(active=now_active, config=stored)
        row.active, row.config = now_active, stored
    return _view(plugin, model, row)


async def brand_plugins(actor: Actor, brand: Brand, *, host: PluginHost) -> list[BrandPluginView]:
    """Every enabled plugin that has per-brand settings, with the brand's (masked) settings for it."""
    actor.require(brand.id, Permission.MANAGE_STOREFRONT)
    rows = {row.plugin: row for row in await BrandPluginConfig.filter(brand_id=brand.id)}
    views = []
    for name in host.names:
        model = brand_settings_model(host, name)
        if model is not None:
            views.append(_view(name, model, rows.get(name)))
    return views


def _view(plugin: str, model: type[BaseModel] | None, row: BrandPluginConfig | None) -> BrandPluginView:
    public, secrets = masked(model, row.config if row else {})
    return BrandPluginView(
        plugin=plugin,
        active=row.active if row else model is None,
        configured=row is not None,
        config=public,
        secrets=secrets,
    )


async def active_settings(brand_id: int, plugin: str) -> dict[str, Any] | None:
    """The brand's settings for a plugin it turned on (`pluginConfigure`, secrets in clear, for the plugin's own
    use only), or None when it has not, or turned it off: how a plugin that works per brand (a courier account,
    a marketplace feed) knows whether to act for the brand."""
    row = await BrandPluginConfig.get_or_none(brand_id=brand_id, plugin=plugin)
    return dict(row.config) if row is not None and row.active else None
