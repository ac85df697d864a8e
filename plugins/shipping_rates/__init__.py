"""Shipping rates: a brand's own table of shipping zones, methods and prices, offered at checkout.

Zones are countries (and, in Indonesia, provinces); each zone's methods are priced by parcel weight in each
currency, may ship free above an order value, and promise a delivery time. Brands manage them through GraphQL
(`shippingZones`, `shippingZoneCreate`, `shippingMethodCreate`, …); the checkout asks the provider for the
methods that fit an address and a parcel. It is a plugin with tables of its own (`MODELS`, `MIGRATIONS`), the
reference example of that in docs/plugins.md.
"""

from __future__ import annotations

from plugins.shipping_rates.plugin import error_codes, event_types, schema_extensions, seed_demo, shipping_providers

MODELS = "plugins.shipping_rates.models"
MIGRATIONS = "plugins.shipping_rates.migrations"

__all__ = ["MIGRATIONS", "MODELS", "error_codes", "event_types", "schema_extensions", "seed_demo", "shipping_providers"]
