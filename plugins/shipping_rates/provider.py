"""The `ShippingProvider` the checkout asks: which of the brand's methods fit this address and parcel, at what
price in the checkout's currency.

A quote is two queries whatever the number of zones and methods: the rows of rates that fit the currency and
weight (joined to their method and zone), then the free-shipping thresholds of the methods that fit the address.
"""

from __future__ import annotations

from decimal import Decimal

from tortoise.expressions import Q

from lini.plugin import Money, ShippingRate, ShippingRequest, quantize
from plugins.shipping_rates.models import ShippingFreeThreshold, ShippingMethodRate, ShippingZone
from plugins.shipping_rates.provinces import INDONESIA, province_code

PROVIDER_ID = "shipping_rates"


def zone_covers(zone: ShippingZone, country: str, province: str) -> bool:
    """A zone covers its countries; its provinces, when listed, narrow only its Indonesian part."""
    country = country.strip().upper()
    if country not in zone.countries:
        return False
    if country != INDONESIA or not zone.provinces:
        return True
    wanted = province_code(province)
    return wanted is not None and wanted in {province_code(name) for name in zone.provinces}


class ShippingRatesProvider:
    """Rates from the brand's own tables, zone by zone in creation order and by position within a zone; rate ids
    are method ids (the checkout stores "shipping_rates:<id>")."""

    id = PROVIDER_ID
    name = "Shipping rates"

    async def quote(self, request: ShippingRequest) -> list[ShippingRate]:
        weight = max(request.weight_grams, 0)
        rows = (
            await ShippingMethodRate.filter(
                Q(max_weight_grams__isnull=True) | Q(max_weight_grams__gte=weight),
                method__zone__brand_id=request.brand_id,
                method__active=True,
                currency=request.currency,
                min_weight_grams__lte=weight,
            )
            .select_related("method__zone")
            .order_by("method__zone_id", "method__position", "method_id", "-min_weight_grams")
        )
        fitting: dict[int, ShippingMethodRate] = {}
        for row in rows:
            if row.method_id not in fitting and zone_covers(row.method.zone, request.country, request.province):
                fitting[row.method_id] = row  # brackets do not overlap; if they ever did, the heavier one wins
        if not fitting:
            return []
        thresholds = {
            t.method_id: t.amount
            for t in await ShippingFreeThreshold.filter(method_id__in=list(fitting), currency=request.currency)
        }
        return [self._rate(row, thresholds.get(method_id), request) for method_id, row in fitting.items()]

    @staticmethod
    def _rate(row: ShippingMethodRate, free_from: Decimal | None, request: ShippingRequest) -> ShippingRate:
        method = row.method
        free = (
            free_from is not None
            and request.subtotal.currency == request.currency
            and request.subtotal.amount >= free_from
        )
        price = Money.zero(request.currency) if free else Money(quantize(row.price, request.currency), request.currency)
        return ShippingRate(
            id=str(method.id),
            name=method.name,
            price=price,
            min_days=method.min_days,
            max_days=method.max_days,
            carrier=method.carrier,
        )
