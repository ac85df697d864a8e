"""The metres of a fabric that are taken, given back and held, for anyone who moves them besides an order.

Core itself takes metres when an order is placed (checkout completion) and a remake is cut, and gives them back
when an uncut job is cancelled, always by relative updates in fabric id order; a plugin that sells fabric
another way (a supplier's purchase orders) moves them with the same two statements through `lini.plugin`,
so it never writes the fabric table itself. `reservations` reads what a brand's made-to-measure garments hold:
the metres its uncut production jobs took, which a supplier's stocktake (a feed setting `stock_metres`) may
no longer cover.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from tortoise.expressions import F
from tortoise.functions import Count, Min, Sum

from core.garments.jobs import give_back
from core.garments.models import Fabric, ProductionJob
from core.garments.stages import UNCUT

__all__ = ["Reservation", "give_back", "reservations", "take"]


async def take(fabric_id: int, metres: Decimal) -> bool:
    """Take `metres` off the fabric's stock by one conditional UPDATE; False (and nothing changed) when fewer
    are on hand. Race-free on SQLite and PostgreSQL: two takers of the last metres cannot both succeed."""
    if metres <= 0:
        raise ValueError("take a positive number of metres")
    taken = await Fabric.filter(id=fabric_id, stock_metres__gte=metres).update(stock_metres=F("stock_metres") - metres)
    return bool(taken)


@dataclass(frozen=True, slots=True)
class Reservation:
    """What a brand's uncut made-to-measure garments hold of one fabric."""

    fabric_id: int
    metres: Decimal
    jobs: int
    oldest: datetime  # when the longest-waiting of those jobs was created


async def reservations(brand_id: int) -> dict[int, Reservation]:
    """Per fabric, the metres the brand's production jobs took and have not cut yet (QUEUED, ASSIGNED,
    ACCEPTED), in one grouped query."""
    rows = (
        await ProductionJob.filter(brand_id=brand_id, stage__in=list(UNCUT), fabric_id__isnull=False)
        .annotate(metres=Sum("fabric_metres"), jobs=Count("id"), oldest=Min("created_at"))
        .group_by("fabric_id")
        .values("fabric_id", "metres", "jobs", "oldest")
    )
    found: dict[int, Reservation] = {}
    for row in rows:
        metres = Decimal(str(row["metres"] or 0))
        if metres > 0:
            found[int(row["fabric_id"])] = Reservation(
                fabric_id=int(row["fabric_id"]), metres=metres, jobs=int(row["jobs"]), oldest=_moment(row["oldest"])
            )
    return found


def _moment(value: object) -> datetime:
    """MIN over a datetime column comes back as text on SQLite."""
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
