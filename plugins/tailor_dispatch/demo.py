"""The demo's dispatch settings: where each demo brand inspects its garments, so distance counts, and an offer
window short enough to watch an offer expire and pass on while the demo runs (`make run`).

The demo's tailors (around Bandung, Jakarta, Solo and Kuala Lumpur, with varied certificates, capacities and
lead times, several with a production record) are core's demo actors; several of them ask a making price (in
rupiah, the demo brands' currency, and a Malaysian workshop in ringgit too, which rupiah brands do not compare),
so the PRICE term has something to rank. Its two paid, queued gamis are offered to the best of them as soon as
the demo's events are delivered.
"""

from __future__ import annotations

from decimal import Decimal

from lini.plugin import Brand, Tailor
from plugins.tailor_dispatch.models import DispatchPrice, DispatchSettings

WORKSHOPS = {
    "sekar-modest": (Decimal("-6.208763"), Decimal("106.845599")),  # Jakarta
    "koko-nusantara": (Decimal("-6.914744"), Decimal("107.609810")),  # Bandung
    "rumah-kebaya": (Decimal("-7.575489"), Decimal("110.824327")),  # Solo
}
# What demo tailors ask for making one garment: (tailor, garment type, currency, amount).
PRICES = (
    ("Konveksi Berkah Cimahi", "GAMIS", "IDR", "275000"),
    ("Konveksi Berkah Cimahi", "ABAYA", "IDR", "325000"),
    ("Konveksi Sinar Bandung", "GAMIS", "IDR", "250000"),
    ("Cipta Busana Tebet", "GAMIS", "IDR", "350000"),
    ("Bu Sri Solo", "GAMIS", "IDR", "300000"),
    ("Pak Darto Tailor", "BAJU_KOKO", "IDR", "200000"),
    ("Batik Laweyan Jahit", "KEBAYA", "IDR", "450000"),
    ("Batik Laweyan Jahit", "BAJU_KOKO", "IDR", "180000"),
    ("Jahitan Kampung Baru", "GAMIS", "MYR", "95.00"),
    ("Jahitan Kampung Baru", "GAMIS", "IDR", "320000"),
)


async def seed(brands: list[Brand]) -> None:
    tailors = dict(
        await Tailor.filter(display_name__in=sorted({p[0] for p in PRICES})).values_list("display_name", "id")
    )
    await DispatchPrice.bulk_create(
        [
            DispatchPrice(tailor_id=tailors[name], garment_type_code=code, currency=currency, amount=Decimal(amount))
            for name, code, currency, amount in PRICES
            if name in tailors
        ]
    )
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
