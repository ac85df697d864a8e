"""The hooks and settings: the GraphQL API (imports, their log, trims), the trims' event types, the feed limits."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from lini.plugin import Brand, EventType, PluginHost, SchemaExtension, hookimpl
from plugins.supplier_catalogs import demo_orders, orders
from plugins.supplier_catalogs.purchasing_schema import PurchasingMutation, PurchasingQuery
from plugins.supplier_catalogs.schema import SupplierCatalogsMutation, SupplierCatalogsQuery

NAME = "supplier_catalogs"


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # Largest feed file accepted, in bytes; a bigger upload is refused after reading one byte more. Multipart
    # requests are also bounded by the server's own limit ([media] max_upload_bytes + [server] max_body_size).
    max_file_bytes: int = Field(5 * 1024 * 1024, ge=1024)
    # Most data rows one feed may have.
    max_rows: int = Field(50_000, ge=1)
    # What an XLSX workbook may unpack to: a zip bomb is refused before openpyxl opens it.
    max_unpacked_bytes: int = Field(100 * 1024 * 1024, ge=1024)


@hookimpl
def schema_extensions(host: PluginHost) -> list[SchemaExtension]:
    return [
        SchemaExtension(query=SupplierCatalogsQuery, mutation=SupplierCatalogsMutation),
        SchemaExtension(query=PurchasingQuery, mutation=PurchasingMutation),
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
async def seed_demo(brands: list[Brand]) -> None:
    """Demo purchase orders in each state (the demo suppliers' fabrics come from core's demo)."""
    await demo_orders.seed(brands)
