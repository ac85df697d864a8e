"""Who may make a production job, decided in one place for staff assignment and for dispatch plugins alike.

A tailor qualifies for a job while it is APPROVED, holds a certificate that counts (the rule of
`core.actors.certificates`, judged on a date the caller gives), makes the job's garment type and has a free place
(jobs in ASSIGNED..ALTERATION below its capacity). Staff assignment judges the certificate today (a certificate
valid today is enough to hand a job over); dispatch judges it on the job's ready-by date, so an automatic offer
never goes to a tailor whose certificate lapses before the garment is due. Two further facts a dispatcher filters
on are judged here too because they are plain facts about the tailor and the job, not policy: whether the tailor
is in a country the brand ships to (REGION) and whether its lead time meets the job's ready-by date (LEAD_TIME).

`track_records` gives the history a scorer needs (QC first-pass, remakes, on-time), in two statements for any
number of tailors, aggregated in the database.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import Any, cast

from tortoise import connections
from tortoise.functions import Count

from core.actors import certificates
from core.actors.models import ActorStatus, Brand, Tailor
from core.context import Actor
from core.errors import DomainError
from core.garments.jobs import load_job
from core.garments.models import JobStage, ProductionJob
from core.garments.stages import ACTIVE, Role

FIELD = "tailor_id"
FINISHED = (JobStage.READY, JobStage.SHIPPED, JobStage.REMADE)
# Past this many tailors, their certificates and places are read for everyone and picked in Python: a list of
# a thousand ids costs more to build and bind than the few rows it leaves out.
WIDE = 200
# What a candidate's tailor is loaded with: every column but the timestamps, whose parsing was a third of the time
# of judging a thousand tailors.
TAILOR_FIELDS = (
    "id",
    "user_id",
    "status",
    "kind",
    "display_name",
    "city",
    "province",
    "country",
    "latitude",
    "longitude",
    "garment_types",
    "capacity",
    "lead_time_days",
    "phone",
    "phone_e164",
    "status_reason",
)


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
    jobs = ProductionJob.filter(stage__in=list(ACTIVE))
    jobs = jobs.filter(tailor_id__in=list(tailor_ids)) if len(tailor_ids) <= WIDE else jobs.filter(tailor_id__not=None)
    rows = await jobs.annotate(n=Count("id")).group_by("tailor_id").values_list("tailor_id", "n")
    wanted = set(tailor_ids)
    return {int(tailor_id): int(n) for tailor_id, n in rows if tailor_id in wanted}


async def judge(
    job: ProductionJob, brand: Brand, tailors: Sequence[Tailor], *, on: date | None = None
) -> list[Candidate]:
    """Every check for each tailor against the job, in three queries whatever the number of tailors."""
    on = on or certificates.today()
    ids = [t.id for t in tailors]
    valid = certificates.valid_certificates(on)
    rows = await (valid.filter(tailor_id__in=ids) if len(ids) <= WIDE else valid).values_list("tailor_id", flat=True)
    certified_ids = set(cast("list[int]", rows))
    busy = await active_jobs(ids)
    today = certificates.today()
    ships_to = set(brand.ships_to or [])
    shipping = ", ".join(sorted(ships_to)) or "anywhere"
    due = job.ready_by or "any time"
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
                f"{name} is in {tailor.country}; the brand ships to {shipping}.",
            ),
            Verdict(
                Check.LEAD_TIME,
                job.ready_by is None or ready <= job.ready_by,
                f"{tailor.lead_time_days} days' lead time: ready {ready}, due {due}.",
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
    tailors = await Tailor.filter(status=ActorStatus.APPROVED).order_by("id").only(*TAILOR_FIELDS)
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


# One statement for any number of tailors: each tailor's last `last` finished jobs (a window over its jobs, newest
# assignment first), then, per tailor, how many of those jobs there are, how many were inspected and passed their
# first inspection, how many reached READY (and on time), and how many were remade for the making. Each part joins
# jobs by primary key only, so no part loops over another. `{ids}` is the tailor ids as one parameter (a JSON array
# on SQLite, an array on PostgreSQL); `{day}` the UTC day of a timestamp in the dialect.
TRACK_SQL = """
WITH recent AS (
    SELECT id, tailor_id,
           ROW_NUMBER() OVER (PARTITION BY tailor_id ORDER BY assigned_at DESC, id DESC) AS n
    FROM production_job
    WHERE tailor_id IN ({ids}) AND stage IN ({finished})
), kept AS (
    SELECT id, tailor_id FROM recent WHERE n <= {last}
)
SELECT 'jobs' AS part, tailor_id, COUNT(*) AS total, 0 AS hits FROM kept GROUP BY tailor_id
UNION ALL
SELECT 'qc', j.tailor_id, COUNT(*), SUM(CASE WHEN q.passed THEN 1 ELSE 0 END)
FROM qc_inspection q JOIN production_job j ON j.id = q.job_id
WHERE q.id IN (SELECT MIN(id) FROM qc_inspection WHERE job_id IN (SELECT id FROM kept) GROUP BY job_id)
GROUP BY j.tailor_id
UNION ALL
SELECT 'ready', j.tailor_id, COUNT(*), SUM(CASE WHEN {day} <= j.ready_by THEN 1 ELSE 0 END)
FROM (
    SELECT job_id, MIN(created_at) AS at FROM production_stage_change
    WHERE to_stage = 'READY' AND job_id IN (SELECT id FROM kept) GROUP BY job_id
) r JOIN production_job j ON j.id = r.job_id
WHERE j.ready_by IS NOT NULL
GROUP BY j.tailor_id
UNION ALL
SELECT 'remade', o.tailor_id, COUNT(DISTINCT o.id), 0
FROM production_job m JOIN production_job o ON o.id = m.remake_of_id
WHERE m.remake_cause = 'MAKING' AND m.remake_of_id IN (SELECT id FROM kept)
GROUP BY o.tailor_id
"""
LATEST_SQL = """
SELECT tailor_id, MAX(assigned_at) AS at FROM production_job
WHERE tailor_id IN ({ids}) AND assigned_at IS NOT NULL GROUP BY tailor_id
"""


def _as_datetime(value: object) -> datetime | None:
    """PostgreSQL returns datetimes, SQLite the ISO text tortoise stored."""
    if value is None or isinstance(value, datetime):
        return value
    parsed = datetime.fromisoformat(str(value))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


async def track_records(tailor_ids: Sequence[int], *, last: int) -> dict[int, TrackRecord]:
    """Each tailor's record over its `last` finished jobs (READY, SHIPPED or REMADE), newest first.

    A remake counts against the tailor only when its cause is the making (MAKING): a wrong measurement or a
    fabric flaw is not the tailor's doing. On time means the job's first READY fell on or before its ready-by
    date (UTC). Two statements whatever the number of tailors or of their jobs, aggregated in the database: a
    ranking over 1,000 tailors must not load their whole history.
    """
    if not tailor_ids:
        return {}
    connection = connections.get("default")
    ids = sorted({int(i) for i in tailor_ids})
    if connection.capabilities.dialect == "postgres":
        values: list[Any] = [ids]
        ids_sql, day = "SELECT unnest($1::bigint[])", "(r.at AT TIME ZONE 'UTC')::date"
    else:
        values = [json.dumps(ids)]
        ids_sql, day = "SELECT value FROM json_each(?)", "DATE(r.at)"
    finished = ", ".join(f"'{stage.value}'" for stage in FINISHED)
    query = TRACK_SQL.format(ids=ids_sql, last=int(last), day=day, finished=finished)
    rows = await connection.execute_query_dict(query, values)
    latest = await connection.execute_query_dict(LATEST_SQL.format(ids=ids_sql), values)
    assigned = {int(row["tailor_id"]): _as_datetime(row["at"]) for row in latest}
    parts: dict[tuple[str, int], tuple[int, int]] = {
        (str(row["part"]), int(row["tailor_id"])): (int(row["total"] or 0), int(row["hits"] or 0)) for row in rows
    }
    records = {}
    for tailor_id in tailor_ids:
        inspected, first_pass = parts.get(("qc", tailor_id), (0, 0))
        timed, on_time = parts.get(("ready", tailor_id), (0, 0))
        records[tailor_id] = TrackRecord(
            jobs=parts.get(("jobs", tailor_id), (0, 0))[0],
            inspected=inspected,
            first_pass=first_pass,
            remade=parts.get(("remade", tailor_id), (0, 0))[0],
            timed=timed,
            on_time=on_time,
            last_assigned_at=assigned.get(tailor_id),
        )
    return records
