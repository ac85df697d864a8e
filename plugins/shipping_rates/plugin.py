"""The hooks: the shipping provider, the management API and the demo zones."""

from __future__ import annotations

from typing import Any

from lini.plugin import EventType, PluginHost, SchemaExtension, hookimpl
from plugins.shipping_rates import demo
from plugins.shipping_rates.errors import ERROR_CODES
from plugins.shipping_rates.provider import ShippingRatesProvider
from plugins.shipping_rates.schema import ShippingRatesMutation, ShippingRatesQuery

NAME = "shipping_rates"


@hookimpl
def shipping_providers(host: PluginHost) -> list[Any]:
    return [ShippingRatesProvider()]


@hookimpl
def schema_extensions(host: PluginHost) -> list[SchemaExtension]:
    return [SchemaExtension(query=ShippingRatesQuery, mutation=ShippingRatesMutation)]


@hookimpl
async def seed_demo(brands: list[Any]) -> None:
    await demo.seed(brands)


@hookimpl
def event_types(host: PluginHost) -> list[EventType]:
    return [
        EventType(f"shipping_{kind}.{change}", f"A shipping {kind} was {change}.", f"shipping{kind.title()}")
        for kind in ("zone", "method")
        for change in ("created", "updated", "deleted")
    ]


@hookimpl
def error_codes() -> dict[str, str]:
    return dict(ERROR_CODES)
