"""The `ShippingProvider` the checkout asks: the aggregator's live rates for the brand's parcel.

A checkout is priced many times (each address edit, each totals read), so answers are kept per request shape
(brand, origin, destination, weight, currency) for `rate_cache_seconds`, in the process. A courier that is
down, slow (`rates_timeout_seconds`, no retries: the shopper is waiting) or answering nonsense gives no rates and
a warning in the log, never an error: the brand's other providers' rates are still offered, and the failure is not
cached, so the next pricing asks again. A brand that did not turn the plugin on (`pluginConfigure`) gets none.
"""

from __future__ import annotations

import logging
import time
from decimal import Decimal, InvalidOperation
from typing import Any

from pydantic import ValidationError

from lini.plugin import (
    DomainError,
    Money,
    ShippingRate,
    ShippingRequest,
    brand_plugin_settings,
    is_currency,
    quantize,
)
from plugins.courier.client import CourierApi
from plugins.courier.settings import NAME, BrandSettings

logger = logging.getLogger("lini.plugins.courier")
CACHE_MAX = 2048  # request shapes kept; the oldest go first


class CourierProvider:
    """Rate ids are the aggregator's service codes (the checkout stores "courier:<service code>")."""

    id = NAME
    name = "Courier"

    def __init__(self, api: CourierApi) -> None:
        self.api = api
        self._cache: dict[tuple[Any, ...], tuple[float, list[ShippingRate]]] = {}

    async def quote(self, request: ShippingRequest) -> list[ShippingRate]:
        if not self.api.configured:
            return []
        stored = await brand_plugin_settings(request.brand_id, NAME)
        if stored is None:
            return []
        try:
            brand = BrandSettings.model_validate(stored)
        except ValidationError:
            logger.warning("brand %s's courier settings no longer validate: no courier rates", request.brand_id)
            return []
        shape = (
            request.brand_id,
            brand.origin_postal_code,
            request.country.upper(),
            request.province.strip().lower(),
            request.city.strip().lower(),
            request.postal_code.strip(),
            request.weight_grams,
            request.currency,
        )
        now = time.monotonic()
        cached = self._cache.get(shape)
        if cached is not None and cached[0] > now:
            rates = cached[1]
        else:
            try:
                rates = await self._fetch(request, brand)
            except DomainError as error:
                logger.warning("no courier rates for brand %s: %s", request.brand_id, error.message)
                return []
            if len(self._cache) >= CACHE_MAX:
                self._cache.pop(next(iter(self._cache)))
            self._cache[shape] = (now + self.api.config.rate_cache_seconds, rates)
        wanted = set(brand.services)
        return [rate for rate in rates if not wanted or rate.id in wanted]

    async def _fetch(self, request: ShippingRequest, brand: BrandSettings) -> list[ShippingRate]:
        body = {
            "origin": {"postal_code": brand.origin_postal_code, "city": brand.origin_city},
            "destination": {
                "country": request.country.upper(),
                "province": request.province,
                "city": request.city,
                "postal_code": request.postal_code,
            },
            "weight_grams": max(request.weight_grams, 1),
            "currency": request.currency,
        }
        response = await self.api.request(
            "POST", "/v1/rates", json=body, wait_seconds=self.api.config.rates_timeout_seconds, retries=0
        )
        try:
            offered = response.json()["rates"]
            return [rate for item in offered if (rate := _rate(item, request.currency)) is not None]
        except (ValueError, KeyError, TypeError) as error:
            raise DomainError("COURIER_UNAVAILABLE", f"The courier's rates could not be read ({error}).") from error


def _rate(item: dict[str, Any], currency: str) -> ShippingRate | None:
    """One offered service, or None for one in another currency or with a price that is no amount."""
    if not isinstance(item, dict) or item.get("currency") != currency or not is_currency(currency):
        return None
    try:
        price = Decimal(str(item["price"]))
    except (InvalidOperation, KeyError):
        return None
    if not price.is_finite() or price < 0:
        return None
    days = [item.get("min_days"), item.get("max_days")]
    return ShippingRate(
        id=str(item["service_code"])[:60],
        name=str(item.get("service_name") or item["service_code"])[:100],
        price=Money(quantize(price, currency), currency),
        min_days=days[0] if isinstance(days[0], int) else None,
        max_days=days[1] if isinstance(days[1], int) else None,
        carrier=str(item.get("carrier") or "")[:50],
    )
