"""Demo shipping for the demo brands, so `make run` offers methods at checkout out of the box: JNE REG and YES
across Indonesia priced by weight, and Pos Laju to Malaysia, each in IDR and MYR, REG free from Rp 500.000."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from lini.plugin import Brand
from plugins.shipping_rates.models import ShippingFreeThreshold, ShippingMethod, ShippingMethodRate, ShippingZone

# Each bracket: bottom and top in grams (None: no limit), the price in IDR, the price in MYR.
METHODS: dict[str, list[dict[str, Any]]] = {
    "ID": [
        {
            "name": "JNE REG",
            "carrier": "JNE",
            "days": (2, 4),
            "brackets": [(0, 1000, 18_000, "5.00"), (1001, 3000, 36_000, "10.00"), (3001, None, 60_000, "17.00")],
            "free": {"IDR": "500000", "MYR": "140.00"},
        },
        {
            "name": "JNE YES",
            "carrier": "JNE",
            "days": (1, 1),
            "brackets": [(0, 1000, 32_000, "9.00"), (1001, 3000, 64_000, "18.00"), (3001, None, 110_000, "31.00")],
            "free": {},
        },
    ],
    "MY": [
        {
            "name": "Pos Laju",
            "carrier": "Pos Malaysia",
            "days": (5, 9),
            "brackets": [(0, 1000, 150_000, "42.00"), (1001, 5000, 390_000, "108.00"), (5001, None, 720_000, "200.00")],
            "free": {},
        },
    ],
}
ZONE_NAMES = {"ID": "Indonesia", "MY": "Malaysia"}


async def seed(brands: list[Brand]) -> int:
    """Zones and methods for each brand, for the countries it ships to; returns how many methods were made."""
    made = 0
    for brand in brands:
        for country, methods in METHODS.items():
            if country not in brand.ships_to:
                continue
            zone = await ShippingZone.create(brand_id=brand.id, name=ZONE_NAMES[country], countries=[country])
            for position, spec in enumerate(methods):
                method = await ShippingMethod.create(
                    zone_id=zone.id,
                    name=spec["name"],
                    carrier=spec["carrier"],
                    min_days=spec["days"][0],
                    max_days=spec["days"][1],
                    position=position,
                )
                await ShippingMethodRate.bulk_create(
                    [
                        ShippingMethodRate(
                            method_id=method.id,
                            currency=currency,
                            min_weight_grams=low,
                            max_weight_grams=high,
                            price=price,
                        )
                        for low, high, idr, myr in spec["brackets"]
                        for currency, price in (("IDR", Decimal(idr)), ("MYR", Decimal(myr)))
                    ]
                )
                await ShippingFreeThreshold.bulk_create(
                    [
                        ShippingFreeThreshold(method_id=method.id, currency=currency, amount=Decimal(amount))
                        for currency, amount in spec["free"].items()
                    ]
                )
                made += 1
    return made
