"""Which payment gateways exist (the `payment_gateways` hook) and which a brand may use, with its settings.

Several plugins may each provide gateways; a brand chooses among them through its per-brand plugin settings,
so no two plugins compete for one slot. A gateway whose plugin declares `BrandSettings` is offered only once
the brand has an active, valid configuration for it; a gateway without per-brand settings is offered unless
the brand switched its plugin off.
"""

from __future__ import annotations

from typing import Any, cast

from pydantic import ValidationError

from core.brand_plugins.models import BrandPluginConfig
from core.brand_plugins.services import brand_settings_model
from core.payments.gateways import PaymentGateway, missing_members
from core.plugins import PluginError, PluginHost


def gateways_by_plugin(host: PluginHost) -> list[tuple[str, PaymentGateway]]:
    """(plugin name, gateway) for every gateway, in plugin order; a gateway id used twice stops the start."""
    found: list[tuple[str, PaymentGateway]] = []
    seen: dict[str, str] = {}
    for impl in reversed(host.manager.hook.payment_gateways.get_hookimpls()):
        # pluggy types a result as object; the hookspec promises a list, whose items are checked one by one here
        result = cast("list[object] | None", impl.function(*({"host": host}[name] for name in impl.argnames)))
        for gateway in result or []:
            if not isinstance(gateway, PaymentGateway):
                missing = ", ".join(missing_members(gateway)) or "?"
                raise PluginError(
                    f"plugin {impl.plugin_name!r}: {gateway!r} is not a PaymentGateway (missing: {missing})"
                )
            if gateway.id in seen:
                raise PluginError(
                    f"payment gateway {gateway.id!r} is provided by {seen[gateway.id]} and {impl.plugin_name}"
                )
            seen[gateway.id] = impl.plugin_name
            found.append((impl.plugin_name, gateway))
    return found


def gateways(host: PluginHost) -> dict[str, PaymentGateway]:
    return {gateway.id: gateway for _, gateway in gateways_by_plugin(host)}


def plugin_of(host: PluginHost, gateway_id: str) -> str | None:
    return next((plugin for plugin, gateway in gateways_by_plugin(host) if gateway.id == gateway_id), None)


async def brand_config(brand_id: int, plugin: str) -> dict[str, Any]:
    """The brand's stored settings for a plugin (secrets in clear: for gateways, never for the API)."""
    row = await BrandPluginConfig.get_or_none(brand_id=brand_id, plugin=plugin)
    return dict(row.config) if row else {}


async def available(host: PluginHost, brand_id: int, currency: str) -> list[tuple[PaymentGateway, dict[str, Any]]]:
    """The gateways the brand may offer for `currency`, each with the brand's settings for its plugin."""
    rows = {row.plugin: row for row in await BrandPluginConfig.filter(brand_id=brand_id)}
    offered = []
    for plugin, gateway in gateways_by_plugin(host):
        if gateway.currencies is not None and currency not in gateway.currencies:
            continue
        row = rows.get(plugin)
        if row is not None and not row.active:
            continue
        model = brand_settings_model(host, plugin)
        if model is not None:
            if row is None:
                continue
            try:
                model.model_validate(row.config)
            except ValidationError:
                continue  # the plugin's settings changed since the brand saved them: fix them first
        offered.append((gateway, dict(row.config) if row else {}))
    return offered
