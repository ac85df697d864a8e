"""The shipping provider contract: plugins quote rates for a parcel going to an address.

A provider sees a `ShippingRequest`, never the checkout itself, so it cannot depend on checkout internals and
the same quote serves a checkout, an order edit or a storefront's "shipping to ..." estimate.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from core.money import Money


@dataclass(frozen=True, slots=True)
class ShippingRequest:
    brand_id: int
    currency: str
    country: str  # ISO 3166-1 alpha-2
    province: str  # as given on the address ("Jawa Barat"); providers compare case-insensitively
    city: str
    postal_code: str
    weight_grams: int
    subtotal: Money  # what the goods cost after discounts, for free-shipping thresholds


@dataclass(frozen=True, slots=True)
class ShippingRate:
    """One way to ship. `id` is stable within its provider; the checkout stores `<provider id>:<rate id>`."""

    id: str
    name: str
    price: Money
    min_days: int | None = None
    max_days: int | None = None
    carrier: str = ""


@runtime_checkable
class ShippingProvider(Protocol):
    id: str  # unique among providers, e.g. "shipping_rates"
    name: str

    async def quote(self, request: ShippingRequest) -> list[ShippingRate]:
        """Rates that fit the address and weight; an empty list when nothing does."""
        ...
