"""The demo's dispatch settings: where each demo brand inspects its garments, so distance counts, and an offer
window short enough to watch an offer expire and pass on while the demo runs (`make run`).

The demo's tailors (around Bandung, Jakarta, Solo and Kuala Lumpur, with varied certificates, capacities and
lead times, several with a production record) are core's demo actors; its two paid, queued gamis are offered
to the best of them as soon as the demo's events are delivered.
"""

from __future__ import annotations

from decimal import Decimal

from lini.plugin import Brand
from plugins.tailor_dispatch.models import DispatchSettings

WORKSHOPS = {
    "sekar-modest": (Decimal("-6.208763"), Decimal("106.845599")),  # Jakarta
    "koko-nusantara": (Decimal("-6.914744"), Decimal("107.609810")),  # Bandung
    "rumah-kebaya": (Decimal("-7.575489"), Decimal("110.824327")),  # Solo
}


async def seed(brands: list[Brand]) -> None:
    for brand in brands:
        where = WORKSHOPS.get(brand.slug)
        if where is None:
            continue
        await DispatchSettings.create(
            brand_id=brand.id,
            origin_latitude=where[0],
            origin_longitude=where[1],
            distance_weight=Decimal(2),
            offer_minutes=30,
            updated_by="demo",
        )
