"""Who may make a production job, decided in one place for staff assignment and for dispatch plugins alike.

A tailor qualifies for a job while it is APPROVED, holds a certificate that counts (the rule of
`core.actors.certificates`, judged on a date the caller gives), makes the job's garment type and has a free place
(jobs in ASSIGNED..ALTERATION below its capacity). Staff assignment judges the certificate today (a certificate
valid today is enough to hand a job over); dispatch judges it on the job's ready-by date, so an automatic offer
never goes to a tailor whose certificate lapses before the garment is due. Two further facts a dispatcher filters
on are judged here too because they are plain facts about the tailor and the job, not policy: whether the tailor
is in a country the brand ships to (REGION) and whether its lead time meets the job's ready-by date (LEAD_TIME).

`track_records` gives the history a scorer needs (QC first-pass, remakes, on-time), in one statement for any
number of tailors, read from the jobs' outcome rows (core.garments.outcomes) and aggregated in the database.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Any, cast

import orjson
from tortoise import connections
from tortoise.functions import Count

from core.actors import certificates
from core.actors.models import ActorStatus, Brand, Tailor
from core.context import Actor
from core.errors import DomainError
from core.garments.jobs import load_job
from core.garments.models import JobStage, ProductionJob
from core.garments.stages import ACTIVE, Role

if TYPE_CHECKING:  # numpy is imported by the functions using it: ~40 ms and ~20 MB at start-up
    import numpy as np
    from numpy.typing import NDArray

FIELD = "tailor_id"
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


@dataclass(frozen=True, slots=True)
class Roster:
    """Tailors as columns of plain values, index i being the i-th tailor by id: what judging and scoring a thousand
    tailors need, read in two statements without an ORM object each (building those was most of the time)."""

    ids: NDArray[np.int64]
    display_names: list[str]
    cities: list[str]
    countries: list[str]
    statuses: list[str]
    garment_types: list[list[str]]
    capacity: NDArray[np.int64]
    lead_time_days: NDArray[np.int64]
    latitude: NDArray[np.float64]  # NaN where unknown
    longitude: NDArray[np.float64]
    active_jobs: NDArray[np.int64]  # places taken (jobs ASSIGNED..ALTERATION)

    def __len__(self) -> int:
        return len(self.ids)

    def index(self) -> dict[int, int]:
        return {int(tailor_id): i for i, tailor_id in enumerate(self.ids.tolist())}


ROSTER_FIELDS = (
    "id",
    "display_name",
    "city",
    "country",
    "status",
    "garment_types",
    "capacity",
    "lead_time_days",
    "latitude",
    "longitude",
)


def _roster(columns: Sequence[Sequence[Any]], busy: dict[int, int]) -> Roster:
    """`ROSTER_FIELDS` as columns (garment types already lists) into vectors; coordinates as numbers or text,
    None becoming NaN, converted by numpy at once."""
    import numpy as np

    ids, names, cities, countries, statuses, types, capacity, lead, lat, lon = columns
    n = len(ids)
    return Roster(
        ids=np.fromiter(ids, dtype=np.int64, count=n),
        display_names=list(names),
        cities=list(cities),
        countries=list(countries),
        statuses=[str(s) for s in statuses],
        garment_types=list(types),
        capacity=np.fromiter(capacity, dtype=np.int64, count=n),
        lead_time_days=np.fromiter(lead, dtype=np.int64, count=n),
        latitude=np.array(lat, dtype=np.float64).reshape(n),
        longitude=np.array(lon, dtype=np.float64).reshape(n),
        active_jobs=np.fromiter((busy.get(i, 0) for i in ids), dtype=np.int64, count=n),
    )


# The roster's statement: plain columns, converted below without tortoise's per-field conversion (which was most
# of the time of reading a thousand tailors).
ROSTER_SQL = "SELECT {fields} FROM {table} WHERE status = {param} ORDER BY id"


def _types(values: Sequence[object]) -> list[list[str]]:
    """JSON lists as SQLite's text or PostgreSQL's (asyncpg returns jsonb as text), decoded as one document (a
    thousand tiny decodes cost more than the rest of reading the roster); lists already decoded kept."""
    if all(isinstance(value, str) for value in values):
        return cast("list[list[str]]", orjson.loads("[" + ",".join(cast("Sequence[str]", values)) + "]"))
    return [list(orjson.loads(v) if isinstance(v, str) else cast("list[str]", v or [])) for v in values]


async def approved_roster() -> Roster:
    """Every APPROVED tailor, by id, as plain values: two statements whatever their number."""
    connection = connections.get("default")
    param = "$1" if connection.capabilities.dialect == "postgres" else "?"
    query = ROSTER_SQL.format(fields=", ".join(ROSTER_FIELDS), table=Tailor._meta.db_table, param=param)
    _, raw = await connection.execute_query(query, [ActorStatus.APPROVED.value])
    columns: list[Sequence[Any]] = list(zip(*raw, strict=True)) if raw else [() for _ in ROSTER_FIELDS]
    columns[5] = _types(columns[5])
    return _roster(columns, await active_jobs(columns[0]))


def roster_of(tailors: Sequence[Tailor], busy: dict[int, int]) -> Roster:
    """The same columns for tailors already loaded (staff assignment judges one)."""
    columns = [[getattr(t, name) for t in tailors] for name in ROSTER_FIELDS]
    columns[5] = [list(types or []) for types in columns[5]]
    return _roster(columns, busy)


@dataclass(frozen=True, slots=True)
class Judged:
    """A job and a roster of tailors judged against it: `passed[k, i]` is check k (in `Check` order) for tailor i.
    The verdicts' wording is made on demand (`verdicts(i)`), from the same facts the booleans came from."""

    job: ProductionJob
    brand: Brand
    judged_on: date
    roster: Roster
    passed: NDArray[np.bool_]  # (checks, tailors)
    certified: NDArray[np.bool_]
    today: date

    @property
    def eligible(self) -> NDArray[np.bool_]:
        import numpy as np

        return np.asarray(self.passed.all(axis=0), dtype=np.bool_)

    def verdicts(self, i: int) -> list[Verdict]:
        r, job, on = self.roster, self.job, self.judged_on
        name, taken, capacity, lead = r.display_names[i], int(r.active_jobs[i]), int(r.capacity[i]), r.lead_time_days[i]
        ships_to = self.brand.ships_to or []
        shipping = ", ".join(sorted(ships_to)) or "anywhere"
        ready = self.today + timedelta(days=int(lead))
        holds = "holds" if self.certified[i] else "holds no"
        details = (
            f"{name} is {r.statuses[i]}.",
            f"{name} {holds} verified certificate valid on {on}.",
            f"{name} makes {', '.join(r.garment_types[i]) or 'nothing yet'}.",
            f"{name} has {taken} of {capacity} jobs.",
            f"{name} is in {r.countries[i]}; the brand ships to {shipping}.",
            f"{int(lead)} days' lead time: ready {ready}, due {job.ready_by or 'any time'}.",
        )
        return [Verdict(check, bool(self.passed[k, i]), details[k]) for k, check in enumerate(Check)]


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


async def certified(roster: Roster, on: date) -> NDArray[np.bool_]:
    """Which of the roster's tailors hold a certificate that counts on `on` (core.actors.certificates), in one
    statement."""
    import numpy as np

    ids = roster.ids.tolist()
    valid = certificates.valid_certificates(on)
    rows = await (valid.filter(tailor_id__in=ids) if len(ids) <= WIDE else valid).values_list("tailor_id", flat=True)
    return np.isin(roster.ids, np.fromiter(cast("list[int]", rows), dtype=np.int64))


def judge_roster(job: ProductionJob, brand: Brand, roster: Roster, holds: NDArray[np.bool_], *, on: date) -> Judged:
    """Every check for every tailor of the roster, as vectors: the rules of this module, in one place."""
    import numpy as np

    n = len(roster)
    today = certificates.today()
    ships_to = list(brand.ships_to or [])
    code = job.garment_type_code
    passed = np.empty((len(Check), n), dtype=np.bool_)
    passed[0] = np.fromiter((s == ActorStatus.APPROVED for s in roster.statuses), dtype=np.bool_, count=n)
    passed[1] = holds
    passed[2] = np.fromiter((code in types for types in roster.garment_types), dtype=np.bool_, count=n)
    passed[3] = roster.active_jobs < roster.capacity
    passed[4] = np.isin(np.asarray(roster.countries, dtype=object), ships_to) if ships_to else True
    if job.ready_by is None:
        passed[5] = True
    else:
        passed[5] = today.toordinal() + roster.lead_time_days <= job.ready_by.toordinal()
    return Judged(job=job, brand=brand, judged_on=on, roster=roster, passed=passed, certified=holds, today=today)


async def judge(
    job: ProductionJob, brand: Brand, tailors: Sequence[Tailor], *, on: date | None = None
) -> list[Candidate]:
    """Every check for each tailor against the job, in two queries whatever the number of tailors."""
    on = on or certificates.today()
    roster = roster_of(tailors, await active_jobs([t.id for t in tailors]))
    judged = judge_roster(job, brand, roster, await certified(roster, on), on=on)
    return [
        Candidate(tailor=tailor, active_jobs=int(roster.active_jobs[i]), verdicts=judged.verdicts(i))
        for i, tailor in enumerate(tailors)
    ]


async def _queued_job(actor: Actor, job_id: int) -> ProductionJob:
    job, held = await load_job(actor, job_id)
    if Role.STAFF not in held:
        raise DomainError("NOT_FOUND", "There is no such production job.", "job_id")
    if job.stage != JobStage.QUEUED:
        raise DomainError("JOB_NOT_QUEUED", f"The job is {job.stage}: only queued jobs are dispatched.", "job_id")
    return job


async def candidates(actor: Actor, job_id: int) -> Pool:
    """Every approved tailor judged against a queued job, for the job's brand staff (MANAGE_ORDERS)."""
    job = await _queued_job(actor, job_id)
    brand = await Brand.get(id=job.brand_id)
    tailors = await Tailor.filter(status=ActorStatus.APPROVED).order_by("id").only(*TAILOR_FIELDS)
    on = judging_date(job)
    return Pool(job=job, brand=brand, judged_on=on, candidates=await judge(job, brand, tailors, on=on))


async def judged_roster(actor: Actor, job_id: int) -> Judged:
    """`candidates` as plain-value columns (what a dispatcher ranks a thousand tailors with): the job's brand staff
    only, a queued job only, in a fixed number of statements whatever the number of tailors."""
    job = await _queued_job(actor, job_id)
    brand = await Brand.get(id=job.brand_id)
    roster = await approved_roster()
    on = judging_date(job)
    return judge_roster(job, brand, roster, await certified(roster, on), on=on)


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


# One statement for any number of tailors: each tailor's last `last` finished jobs (a window over its jobs' outcome
# rows, core.garments.outcomes, newest assignment first), then, per tailor, how many of those jobs there are, how
# many were inspected and passed their first inspection, how many reached READY with a ready-by date (and on
# time), and how many were remade for the making. `{who}` picks the tailors: their ids as one parameter (a JSON
# array on SQLite, an array on PostgreSQL), or every tailor's rows when nearly all are asked for.
TRACK_SQL = """
WITH kept AS (
    SELECT tailor_id, first_qc_passed, remade, on_time,
           ROW_NUMBER() OVER (PARTITION BY tailor_id ORDER BY assigned_at DESC, job_id DESC) AS n
    FROM production_job_outcome
    WHERE {who}{brand}
)
SELECT 0 AS part, tailor_id, COUNT(*) AS jobs, COUNT(first_qc_passed) AS inspected,
       SUM(CASE WHEN first_qc_passed THEN 1 ELSE 0 END) AS first_pass,
       SUM(CASE WHEN remade THEN 1 ELSE 0 END) AS remade,
       COUNT(on_time) AS timed, SUM(CASE WHEN on_time THEN 1 ELSE 0 END) AS on_time, NULL AS at
FROM kept WHERE n <= {last}
GROUP BY tailor_id
UNION ALL
SELECT 1, tailor_id, 0, 0, 0, 0, 0, 0, MAX(assigned_at) FROM production_job
WHERE {who} AND assigned_at IS NOT NULL{brand}
GROUP BY tailor_id
"""
# Each row is a tailor's counts (part 0) or its last assignment over all its jobs (part 1): one round trip.


def _as_datetime(value: object) -> datetime | None:
    """PostgreSQL returns datetimes, SQLite the ISO text tortoise stored."""
    if value is None or isinstance(value, datetime):
        return value
    parsed = datetime.fromisoformat(str(value))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class TrackTable:
    """`TrackRecord`s as columns aligned with the tailor ids asked for (a scorer's vectors)."""

    jobs: NDArray[np.int64]
    inspected: NDArray[np.int64]
    first_pass: NDArray[np.int64]
    remade: NDArray[np.int64]
    timed: NDArray[np.int64]
    on_time: NDArray[np.int64]
    last_assigned_at: list[datetime | None]

    def record(self, i: int) -> TrackRecord:
        return TrackRecord(
            jobs=int(self.jobs[i]),
            inspected=int(self.inspected[i]),
            first_pass=int(self.first_pass[i]),
            remade=int(self.remade[i]),
            timed=int(self.timed[i]),
            on_time=int(self.on_time[i]),
            last_assigned_at=self.last_assigned_at[i],
        )


COUNTS = ("jobs", "inspected", "first_pass", "remade", "timed", "on_time")


async def track_table(tailor_ids: Sequence[int], *, last: int, brand_id: int | None = None) -> TrackTable:
    """Each tailor's record over its `last` finished jobs (READY, SHIPPED or REMADE), newest first, as columns in
    the order of `tailor_ids`.

    A remake counts against the tailor only when its cause is the making (MAKING): a wrong measurement or a
    fabric flaw is not the tailor's doing. On time means the job's first READY fell on or before its ready-by
    date (UTC). With `brand_id`, only that brand's jobs count (what a brand may see of a tailor it works with).
    One statement whatever the number of tailors or of their jobs, reading the jobs' outcome rows
    (core.garments.outcomes) through their (tailor, assignment time) index: a ranking over 1,000 tailors must
    not aggregate their whole history.
    """
    import numpy as np

    n = len(tailor_ids)
    totals = np.zeros((len(COUNTS), n), dtype=np.int64)
    assigned: list[datetime | None] = [None] * n
    if n:
        connection = connections.get("default")
        ids = sorted({int(i) for i in tailor_ids})
        if connection.capabilities.dialect == "postgres":
            values: list[Any] = [ids]
            ids_sql, brand = "SELECT unnest($1::bigint[])", " AND brand_id = $2"
        else:
            values = [json.dumps(ids)]
            ids_sql, brand = "SELECT value FROM json_each(?)", " AND brand_id = ?"
        who = f"tailor_id IN ({ids_sql})"
        if len(ids) > WIDE:  # every tailor, near enough: a list of a thousand ids costs more than it filters
            who, values, brand = "tailor_id IS NOT NULL", [], brand.replace("$2", "$1")
        if brand_id is None:
            brand = ""
        else:
            values.append(int(brand_id))
        position = {int(tailor_id): i for i, tailor_id in enumerate(tailor_ids)}
        query = TRACK_SQL.format(who=who, last=int(last), brand=brand)
        if connection.capabilities.dialect != "postgres":
            values = values * 2  # `?` are positional: the tailors (and brand) once for each part
        _, rows = await connection.execute_query(query, values)
        counts = [tuple(row)[1:8] for row in rows if row[0] == 0]
        if counts:  # one row of integers per tailor with finished jobs, placed as columns at once
            found = np.array(counts, dtype=np.int64)
            at = np.fromiter((position.get(t, -1) for t in found[:, 0].tolist()), dtype=np.intp, count=len(found))
            wanted = at >= 0
            totals[:, at[wanted]] = found[wanted, 1:].T
        for row in rows:
            if row[0] == 1 and (i := position.get(row[1], -1)) >= 0:
                assigned[i] = _as_datetime(row[8])
    jobs, inspected, first_pass, remade, timed, on_time = totals
    return TrackTable(
        jobs=jobs,
        inspected=inspected,
        first_pass=first_pass,
        remade=remade,
        timed=timed,
        on_time=on_time,
        last_assigned_at=assigned,
    )


async def track_records(tailor_ids: Sequence[int], *, last: int, brand_id: int | None = None) -> dict[int, TrackRecord]:
    """`track_table` by tailor id, one `TrackRecord` each (for a handful of tailors: a profile, a test)."""
    table = await track_table(list(tailor_ids), last=last, brand_id=brand_id)
    return {int(tailor_id): table.record(i) for i, tailor_id in enumerate(tailor_ids)}
