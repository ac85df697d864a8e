"""A tailor's production record, for the tailor itself and for the brands it works for.

The record is the production history itself, aggregated in the database (`candidates.track_table`): each job's
first QC inspection (passed or not), whether it was remade for the making (`RemakeCause.MAKING`: a measurement or
fabric remake is not the tailor's doing) and whether its first READY stage change fell on or before its ready-by
date. Those rows are written by the very operations that emit the production events (`PRODUCTION_QC_REPORTED`,
`PRODUCTION_STAGE_CHANGED`), in their transactions, so the record is kept as the events happen and never drifts
from them; dispatch scores the same numbers.

Who sees what: the tailor's own account and platform admins see its record over every brand's jobs (or one
brand's, when asked); a brand's staff with MANAGE_ORDERS see it over their own brand's jobs only, and only once
the tailor has made a job for them. Anyone else sees nothing (null), as for a tailor they do not work with.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from core.actors.models import Brand, Tailor
from core.auth.permissions import Permission
from core.context import Actor
from core.errors import DomainError
from core.garments.candidates import TrackRecord, track_records
from core.garments.models import ProductionJob

DEFAULT_LAST = 20
MAX_LAST = 200
PERMISSION = Permission.MANAGE_ORDERS


@dataclass(frozen=True, slots=True)
class TailorMetrics:
    tailor_id: int
    brand: Brand | None  # None: over every brand's jobs
    last: int
    record: TrackRecord

    @staticmethod
    def _rate(hits: int, out_of: int) -> float | None:
        return hits / out_of if out_of else None

    @property
    def first_pass_rate(self) -> float | None:
        return self._rate(self.record.first_pass, self.record.inspected)

    @property
    def remake_rate(self) -> float | None:
        return self._rate(self.record.remade, self.record.jobs)

    @property
    def on_time_rate(self) -> float | None:
        return self._rate(self.record.on_time, self.record.timed)


def owns(actor: Actor, tailor: Tailor) -> bool:
    return actor.is_platform_admin or tailor.user_id == actor.user_id


def check_last(last: int) -> None:
    if not 1 <= last <= MAX_LAST:
        raise DomainError("INVALID_LAST_JOBS", f"Count 1 to {MAX_LAST} of the tailor's last jobs.", "last_jobs")


async def metrics(
    actor: Actor, tailors: Sequence[Tailor], *, brand_slug: str | None, last: int = DEFAULT_LAST
) -> dict[int, TailorMetrics]:
    """The records of the tailors the actor may see them of, by tailor id (others left out), over `last` finished
    jobs: every brand's for their owner without `brand_slug`, else the brand's. Three statements for any number."""
    check_last(last)
    brand = await Brand.get_or_none(slug=brand_slug) if brand_slug else None
    if brand_slug and brand is None:
        raise DomainError("NOT_FOUND", "There is no such brand.", "brand")
    if brand is None:
        shown = [t for t in tailors if owns(actor, t)]
    else:
        worked = set(
            await ProductionJob.filter(brand_id=brand.id, tailor_id__in=[t.id for t in tailors] or [-1])
            .distinct()
            .values_list("tailor_id", flat=True)
        )
        staff = actor.can(brand.id, PERMISSION)
        shown = [t for t in tailors if owns(actor, t) or (staff and t.id in worked)]
    if not shown:
        return {}
    records = await track_records([t.id for t in shown], last=last, brand_id=brand.id if brand else None)
    return {t.id: TailorMetrics(tailor_id=t.id, brand=brand, last=last, record=records[t.id]) for t in shown}
