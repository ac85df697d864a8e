"""Courier: live rates, labels and tracking through a courier aggregator's REST API (README.md describes it).

At checkout the aggregator's rates for the parcel join the brand's other shipping methods (`courier:<service>`);
staff buy a shipment's label (`courierLabelPurchase`, PDF or ZPL), which books the parcel and puts its waybill
on the shipment, and cancel it (`courierLabelCancel`); the courier's tracking events come by signed webhook
(`/webhooks/courier`) and by a polling job, and become the shipment's events (`Shipment.events`, webhooks'
`shipment.tracking_updated`) through core's tracking service.

Process-wide settings (`[plugins.courier]`) say where the aggregator is and name the environment variables of
its API key and webhook secret; each brand turns it on with `pluginConfigure(plugin: "courier")`, with where
its parcels are collected.
"""

from __future__ import annotations

from plugins.courier.plugin import (
    error_codes,
    job_blueprints,
    routes,
    schema_extensions,
    shipping_providers,
    startup,
)
from plugins.courier.settings import BrandSettings, Settings

MODELS = "plugins.courier.models"
MIGRATIONS = "plugins.courier.migrations"

__all__ = [
    "MIGRATIONS",
    "MODELS",
    "BrandSettings",
    "Settings",
    "error_codes",
    "job_blueprints",
    "routes",
    "schema_extensions",
    "shipping_providers",
    "startup",
]
