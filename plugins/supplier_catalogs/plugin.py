"""The hooks: the GraphQL API (imports, sources, their log, trims), the trims' event types, the jobs (imports,
fetches, prices that start later) and the feed formats this plugin reads itself (CSV, XLSX, JSON Lines)."""

from __future__ import annotations

from lini.plugin import Blueprint, Brand, CatalogFormat, EventType, PluginHost, SchemaExtension, hookimpl
from plugins.supplier_catalogs import demo_feeds, demo_orders, jobs, orders
from plugins.supplier_catalogs.errors import ERROR_CODES
from plugins.supplier_catalogs.parsers import BUILT_IN
from plugins.supplier_catalogs.plugin_settings import NAME, Settings
from plugins.supplier_catalogs.purchasing_schema import PurchasingMutation, PurchasingQuery
from plugins.supplier_catalogs.schema import SupplierCatalogsMutation, SupplierCatalogsQuery
from plugins.supplier_catalogs.source_schema import CatalogSourcesMutation, CatalogSourcesQuery

__all__ = ["NAME", "Settings", "catalog_formats", "event_types", "job_blueprints", "schema_extensions", "seed_demo"]


@hookimpl
def schema_extensions(host: PluginHost) -> list[SchemaExtension]:
    return [
        SchemaExtension(query=SupplierCatalogsQuery, mutation=SupplierCatalogsMutation),
        SchemaExtension(query=PurchasingQuery, mutation=PurchasingMutation),
        SchemaExtension(query=CatalogSourcesQuery, mutation=CatalogSourcesMutation),
    ]


@hookimpl
def event_types(host: PluginHost) -> list[EventType]:
    return [
        EventType("trim.created", "A supplier listed a trim (from a catalog feed).", "supplier"),
        EventType("trim.updated", "A trim's fields, price or stock changed.", "supplier"),
        EventType("trim.archived", "A trim was archived.", "supplier"),
        *orders.EVENT_TYPES,
    ]


@hookimpl
def job_blueprints(host: PluginHost) -> list[Blueprint]:
    return [jobs.blueprint]


@hookimpl
def catalog_formats(host: PluginHost) -> list[CatalogFormat]:
    return list(BUILT_IN)


@hookimpl
async def seed_demo(brands: list[Brand], host: PluginHost) -> None:
    """The demo suppliers' feeds of 240 materials each, through the importer, then demo purchase orders in each
    state (of core's demo fabrics)."""
    await demo_feeds.seed(host)
    await demo_orders.seed(brands)


@hookimpl
def error_codes() -> dict[str, str]:
    return dict(ERROR_CODES)
