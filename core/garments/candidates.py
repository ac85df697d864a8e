"""Who may make a production job, decided in one place for staff assignment and for dispatch plugins alike.

A tailor qualifies for a job while it is APPROVED, holds a certificate that counts (the rule of
`core.actors.certificates`, judged on a date the caller gives), makes the job's garment type and has a free place
(jobs in ASSIGNED..ALTERATION below its capacity). Staff assignment judges the certificate today (a certificate
valid today is enough to hand a job over); dispatch judges it on the job's ready-by date, so an automatic offer
never goes to a tailor whose certificate lapses before the garment is due. Two further facts a dispatcher filters
on are judged here too because they are plain facts about the tailor and the job, not policy: whether the tailor
is in a country the brand ships to (REGION) and whether its lead time meets the job's ready-by date (LEAD_TIME).

`track_records` gives the history a scorer needs (QC first-pass, remakes, on-time), in three queries for any
number of tailors.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import cast

from tortoise.functions import Count, Max

from core.actors import certificates
from core.actors.models import ActorStatus, Brand, Tailor
from core.context import Actor
from core.errors import DomainError
from core.garments.jobs import load_job
from core.garments.models import JobStage, ProductionJob, ProductionStageChange, QcInspection, RemakeCause
from core.garments.stages import ACTIVE, Role

FIELD = "tailor_id"
FINISHED = (JobStage.READY, JobStage.SHIPPED, JobStage.REMADE)


class Check(StrEnum):
    """The hard filters, in the order they are reported (and the first failing one raised by assignment)."""

    APPROVED = "APPROVED"
    CERTIFIED = "CERTIFIED"
    GARMENT_TYPE = "GARMENT_TYPE"
    CAPACITY = "CAPACITY"
    REGION = "REGION"
    LEAD_TIME = "LEAD_TIME"


# The checks staff assignment enforces, each with the error code `productionJobAssign` has always returned.
ASSIGNMENT = {
    Check.APPROVED: "TAILOR_NOT_APPROVED",
    Check.CERTIFIED: "TAILOR_NOT_CERTIFIED",
    Check.GARMENT_TYPE: "TAILOR_GARMENT_TYPE",
    Check.CAPACITY: "TAILOR_AT_CAPACITY",
}


@dataclass(frozen=True, slots=True)
class Verdict:
    check: Check
    passed: bool
    detail: str


@dataclass(slots=True)
class Candidate:
    tailor: Tailor
    active_jobs: int
    verdicts: list[Verdict] = field(default_factory=list)

    def passes(self, checks: Iterable[Check] = tuple(Check)) -> bool:
        wanted = set(checks)
        return all(v.passed for v in self.verdicts if v.check in wanted)

    def first_failure(self, checks: Iterable[Check]) -> Verdict | None:
        wanted = set(checks)
        return next((v for v in self.verdicts if v.check in wanted and not v.passed), None)


@dataclass(frozen=True, slots=True)
class Pool:
    """A job, its brand, and every approved tailor judged against it (eligible or not)."""

    job: ProductionJob
    brand: Brand
    judged_on: date
    candidates: list[Candidate]


def judging_date(job: ProductionJob) -> date:
    """The day a certificate must still count on for this job: its ready-by date, or today without one."""
    today = certificates.today()
    return max(today, job.ready_by) if job.ready_by else today


async def active_jobs(tailor_ids: Sequence[int]) -> dict[int, int]:
    """How many places each tailor has taken (jobs ASSIGNED..ALTERATION), in one query."""
    if not tailor_ids:
        return {}
    rows = (
        await ProductionJob.filter(tailor_id__in=list(tailor_ids), stage__in=list(ACTIVE))
        .annotate(n=Count("id"))
        .group_by("tailor_id")
        .values_list("tailor_id", "n")
    )
    return {int(tailor_id): int(n) for tailor_id, n in rows}


async def judge(
    job: ProductionJob, brand: Brand, tailors: Sequence[Tailor], *, on: date | None = None
) -> list[Candidate]:
    """Every check for each tailor against the job, in three queries whatever the number of tailors."""
    on = on or certificates.today()
    ids = [t.id for t in tailors]
    rows = await certificates.valid_certificates(on).filter(tailor_id__in=ids).values_list("tailor_id", flat=True)
    certified_ids = set(cast("list[int]", rows))
    busy = await active_jobs(ids)
    today = certificates.today()
    ships_to = set(brand.ships_to or [])
    judged = []
    for tailor in tailors:
        taken = busy.get(tailor.id, 0)
        ready = today + timedelta(days=tailor.lead_time_days)
        name = tailor.display_name
        verdicts = [
            Verdict(Check.APPROVED, tailor.status == ActorStatus.APPROVED, f"{name} is {tailor.status}."),
            Verdict(
                Check.CERTIFIED,
                tailor.id in certified_ids,
                f"{name} {'holds' if tailor.id in certified_ids else 'holds no'} verified certificate valid on {on}.",
            ),
            Verdict(
                Check.GARMENT_TYPE,
                job.garment_type_code in (tailor.garment_types or []),
                f"{name} makes {', '.join(tailor.garment_types or []) or 'nothing yet'}.",
            ),
            Verdict(Check.CAPACITY, taken < tailor.capacity, f"{name} has {taken} of {tailor.capacity} jobs."),
            Verdict(
                Check.REGION,
                not ships_to or tailor.country in ships_to,
                f"{name} is in {tailor.country}; the brand ships to {', '.join(sorted(ships_to)) or 'anywhere'}.",
            ),
            Verdict(
                Check.LEAD_TIME,
                job.ready_by is None or ready <= job.ready_by,
                f"{tailor.lead_time_days} days' lead time: ready {ready}, due {job.ready_by or 'any time'}.",
            ),
        ]
        judged.append(Candidate(tailor=tailor, active_jobs=taken, verdicts=verdicts))
    return judged


async def candidates(actor: Actor, job_id: int) -> Pool:
    """Every approved tailor judged against a queued job, for the job's brand staff (MANAGE_ORDERS)."""
    job, held = await load_job(actor, job_id)
    if Role.STAFF not in held:
        raise DomainError("NOT_FOUND", "There is no such production job.", "job_id")
    if job.stage != JobStage.QUEUED:
        raise DomainError("JOB_NOT_QUEUED", f"The job is {job.stage}: only queued jobs are dispatched.", "job_id")
    brand = await Brand.get(id=job.brand_id)
    tailors = await Tailor.filter(status=ActorStatus.APPROVED).order_by("id")
    on = judging_date(job)
    return Pool(job=job, brand=brand, judged_on=on, candidates=await judge(job, brand, tailors, on=on))


async def qualify(tailor: Tailor, job: ProductionJob, *, on: date | None = None) -> None:
    """Raise the first assignment check the tailor fails (capacity is checked again under its row lock)."""
    brand = await Brand.get(id=job.brand_id)
    [candidate] = await judge(job, brand, [tailor], on=on)
    failed = candidate.first_failure(ASSIGNMENT)
    if failed is not None:
        raise DomainError(ASSIGNMENT[failed.check], failed.detail, FIELD)


# --- history -------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TrackRecord:
    """A tailor's last finished jobs: how many passed QC the first time, were remade for their making, were on time."""

    jobs: int = 0
    inspected: int = 0
    first_pass: int = 0
    remade: int = 0
    timed: int = 0
    on_time: int = 0
    last_assigned_at: datetime | None = None


async def track_records(tailor_ids: Sequence[int], *, last: int) -> dict[int, TrackRecord]:
    """Each tailor's record over its `last` finished jobs (READY, SHIPPED or REMADE), newest first.

    A remake counts against the tailor only when its cause is the making (MAKING): a wrong measurement or a
    fabric flaw is not the tailor's doing. On time means the job reached READY on or before its ready-by date.
    """
    if not tailor_ids:
        return {}
    finished = await ProductionJob.filter(tailor_id__in=list(tailor_ids), stage__in=list(FINISHED)).order_by(
        "-assigned_at", "-id"
    )
    kept: dict[int, list[ProductionJob]] = defaultdict(list)
    for job in finished:
        if job.tailor_id is not None and len(kept[job.tailor_id]) < last:
            kept[job.tailor_id].append(job)
    job_ids = [job.id for jobs in kept.values() for job in jobs]
    first_verdict: dict[int, bool] = {}
    for job_id, passed in await QcInspection.filter(job_id__in=job_ids).order_by("id").values_list("job_id", "passed"):
        first_verdict.setdefault(job_id, passed)
    ready_at: dict[int, datetime] = {}
    for job_id, at in await ProductionStageChange.filter(job_id__in=job_ids, to_stage=JobStage.READY).values_list(
        "job_id", "created_at"
    ):
        ready_at.setdefault(job_id, at)
    remakes = ProductionJob.filter(remake_of_id__in=job_ids, remake_cause=RemakeCause.MAKING)
    remade_for_making = set(cast("list[int]", await remakes.values_list("remake_of_id", flat=True)))
    latest = dict(
        await ProductionJob.filter(tailor_id__in=list(tailor_ids), assigned_at__isnull=False)
        .annotate(at=Max("assigned_at"))
        .group_by("tailor_id")
        .values_list("tailor_id", "at")
    )
    records = {}
    for tailor_id in tailor_ids:
        jobs = kept.get(tailor_id, [])
        timed = [job for job in jobs if job.ready_by is not None and job.id in ready_at]
        records[tailor_id] = TrackRecord(
            jobs=len(jobs),
            inspected=sum(1 for job in jobs if job.id in first_verdict),
            first_pass=sum(1 for job in jobs if first_verdict.get(job.id)),
            remade=sum(1 for job in jobs if job.id in remade_for_making),
            timed=len(timed),
            on_time=sum(1 for job in timed if job.ready_by and ready_at[job.id].date() <= job.ready_by),
            last_assigned_at=latest.get(tailor_id),
        )
    return records
