"""A production job's stage machine: which moves exist, who may make them and through which operation,
checked in one place, and the one function that makes a move.

    QUEUED → ASSIGNED → ACCEPTED → CUTTING → SEWING → FINISHING → QUALITY_CHECK → READY → SHIPPED
                 ↘ QUEUED (declined)                      ALTERATION ↔ QUALITY_CHECK ↘ REMADE (a new job)
    any open stage → CANCELLED (with the order only)

The assigned tailor accepts or declines and advances the making stages; brand staff assign (`assignment`),
inspect (`qc`: pass → READY, fail → ALTERATION or REMADE) and ship; the system cancels with the order.
A garment is SHIPPED only by shipping its order line (`shipmentCreate`, through `jobs.ship_ready`), so a job
and its order line never disagree about whether it left the workshop.
Every move is one conditional UPDATE on the stage the job was read in, so of two racing moves one wins and
the other gets JOB_CHANGED; it writes a `ProductionStageChange` and a `PRODUCTION_STAGE_CHANGED` outbox event
in the caller's transaction (`production_events`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from itertools import pairwise
from typing import Any

from core.actors import validation
from core.errors import DomainError
from core.garments import outcomes, production_events
from core.garments.models import JobStage, ProductionJob, ProductionStageChange
from core.validation import Problems


class Role(StrEnum):
    TAILOR = "TAILOR"
    STAFF = "STAFF"
    SYSTEM = "SYSTEM"


class Operation(StrEnum):
    """The service a move belongs to: a move is refused through any other (READY needs an inspection)."""

    ADVANCE = "ADVANCE"  # productionJobAdvance, and cancellation
    ASSIGN = "ASSIGN"  # productionJobAssign
    QC = "QC"  # productionJobReportQc
    SHIP = "SHIP"  # shipmentCreate of the order line the garment belongs to


@dataclass(frozen=True, slots=True)
class Move:
    roles: frozenset[Role]
    operation: Operation


J = JobStage
TAILOR = frozenset({Role.TAILOR})
STAFF = frozenset({Role.STAFF})
MAKING = (J.ACCEPTED, J.CUTTING, J.SEWING, J.FINISHING, J.QUALITY_CHECK)
# Stages a job may still leave; SHIPPED, REMADE and CANCELLED are final.
OPEN = frozenset({J.QUEUED, J.ASSIGNED, *MAKING, J.ALTERATION, J.READY})
# Stages that hold a place in the tailor's capacity.
ACTIVE = frozenset({J.ASSIGNED, *MAKING, J.ALTERATION})
# Before cutting the fabric is still whole: cancelling puts its metres back in stock.
UNCUT = frozenset({J.QUEUED, J.ASSIGNED, J.ACCEPTED})
# Replaced or called off: not counted when deciding whether an order's garments are all ready.
GONE = frozenset({J.REMADE, J.CANCELLED})
DONE = frozenset({J.READY, J.SHIPPED})

MOVES: Mapping[tuple[JobStage, JobStage], Move] = {
    (J.QUEUED, J.ASSIGNED): Move(STAFF, Operation.ASSIGN),
    (J.ASSIGNED, J.ACCEPTED): Move(TAILOR, Operation.ADVANCE),
    # The tailor declines, or staff take the job back before it was accepted: it is unassigned again.
    (J.ASSIGNED, J.QUEUED): Move(TAILOR | STAFF, Operation.ADVANCE),
    # A tailor who accepted but cannot go on (ill, overbooked): staff take the job back while the cloth is whole.
    (J.ACCEPTED, J.QUEUED): Move(STAFF, Operation.ADVANCE),
    **{(a, b): Move(TAILOR, Operation.ADVANCE) for a, b in pairwise(MAKING)},
    (J.ALTERATION, J.QUALITY_CHECK): Move(TAILOR, Operation.ADVANCE),
    (J.QUALITY_CHECK, J.READY): Move(STAFF, Operation.QC),
    (J.QUALITY_CHECK, J.ALTERATION): Move(STAFF, Operation.QC),
    (J.QUALITY_CHECK, J.REMADE): Move(STAFF, Operation.QC),
    (J.READY, J.SHIPPED): Move(frozenset({Role.STAFF, Role.SYSTEM}), Operation.SHIP),
    # Only with the whole order (orderCancel, an unpaid order expiring): a garment called off alone would leave
    # its order line unshippable and its price unrefunded. A garment that must be made again is a REMAKE.
    **{(stage, J.CANCELLED): Move(frozenset({Role.SYSTEM}), Operation.ADVANCE) for stage in OPEN},
}
HINTS = {
    Operation.ASSIGN: "Assign a tailor with productionJobAssign.",
    Operation.QC: "Record the inspection with productionJobReportQc.",
    Operation.ADVANCE: "Use productionJobAdvance.",
    Operation.SHIP: "Ship the garment's order line with shipmentCreate.",
}
MAX_NOTE = 2000
MAX_PHOTOS = 10


def next_stages(stage: JobStage | str, role: Role) -> list[JobStage]:
    """Where `role` may move a job from `stage` (any operation), in the machine's order."""
    return [to for (source, to), move in MOVES.items() if source == stage and role in move.roles]


def check(from_stage: JobStage | str, to_stage: JobStage | str, role: Role, operation: Operation) -> Move:
    """Refuse a move the machine lacks (a skipped stage), one the role may not make, or one made through the
    wrong operation; the one place every production service asks."""
    move = MOVES.get((JobStage(from_stage), JobStage(to_stage)))
    if move is None:
        raise DomainError("INVALID_TRANSITION", f"A job cannot go from {from_stage} to {to_stage}.", "to")
    if role not in move.roles:
        who = "brand staff" if Role.STAFF in move.roles else "the assigned tailor"
        raise DomainError("TRANSITION_NOT_ALLOWED", f"Only {who} may move a job from {from_stage} to {to_stage}.", "to")
    if move.operation != operation:
        raise DomainError("INVALID_TRANSITION", HINTS[move.operation], "to")
    return move


def roles_of(actor_tailor_ids: frozenset[int], is_staff: bool, job: ProductionJob) -> set[Role]:
    """The roles an actor holds on a job: brand staff of its brand, and/or its assigned tailor."""
    roles = {Role.STAFF} if is_staff else set()
    if job.tailor_id is not None and job.tailor_id in actor_tailor_ids:
        roles.add(Role.TAILOR)
    return roles


def role_for(roles: set[Role], from_stage: JobStage | str, to_stage: JobStage | str) -> Role:
    """The role a move is made in: the one the machine allows if the actor holds it (an in-house tailor who
    is also staff accepts as the tailor and ships as staff), else any held role, so that `check` explains."""
    move = MOVES.get((JobStage(from_stage), JobStage(to_stage)))
    allowed: list[Role] = [
        role for role in (Role.STAFF, Role.TAILOR) if role in roles and (move is None or role in move.roles)
    ]
    return (allowed or sorted(roles))[0]


@dataclass(frozen=True, slots=True)
class Remark:
    """What a move is recorded with: a note the customer may read, one for staff only, and photos."""

    note: str = ""
    internal_note: str = ""
    photo_urls: Sequence[str] = ()


def validated_remark(note: str, internal_note: str, photo_urls: Sequence[str], *, prefix: str = "") -> Remark:
    """Trimmed notes of at most MAX_NOTE characters and up to MAX_PHOTOS http(s) photo URLs."""
    problems = Problems()
    cleaned_note = problems.collect(validation.text, note, f"{prefix}note", max_length=MAX_NOTE, required=False)
    cleaned_internal = problems.collect(
        validation.text, internal_note, f"{prefix}internal_note", max_length=MAX_NOTE, required=False
    )
    if len(photo_urls) > MAX_PHOTOS:
        problems.add("TOO_MANY_PHOTOS", f"At most {MAX_PHOTOS} photos per step.", f"{prefix}photo_urls")
    photos = []
    for i, url in enumerate(photo_urls[:MAX_PHOTOS]):
        checked = problems.collect(validation.http_url, url, f"{prefix}photo_urls.{i}")
        if checked == "" and not problems.has(f"{prefix}photo_urls.{i}"):
            problems.add("REQUIRED", "A photo URL cannot be empty.", f"{prefix}photo_urls.{i}")
        elif checked:
            photos.append(checked)
    problems.raise_any()
    return Remark(note=cleaned_note or "", internal_note=cleaned_internal or "", photo_urls=tuple(photos))


async def move(
    job: ProductionJob,
    to_stage: JobStage,
    *,
    actor: str,
    role: Role,
    operation: Operation,
    remark: Remark = Remark(),
    data: dict[str, Any] | None = None,
    **updates: Any,
) -> ProductionStageChange:
    """Move `job` (as read) to `to_stage` inside the caller's transaction, with `updates` to other columns;
    JOB_CHANGED if someone moved or reassigned it meanwhile. Updates `job` in place."""
    from_stage = JobStage(job.stage)
    check(from_stage, to_stage, role, operation)
    # On the stage and the tailor as read: a job declined and given to someone else meanwhile is not moved.
    changed = await ProductionJob.filter(id=job.id, stage=from_stage, tailor_id=job.tailor_id).update(
        stage=to_stage, **updates
    )
    if not changed:
        raise DomainError("JOB_CHANGED", "Someone else moved this job meanwhile; reload it and try again.", "job_id")
    job.stage = to_stage
    for name, value in updates.items():
        setattr(job, name, value)
    change = await ProductionStageChange.create(
        job_id=job.id,
        from_stage=from_stage,
        to_stage=to_stage,
        actor=actor,
        actor_role=role,
        note=remark.note,
        internal_note=remark.internal_note,
        photo_urls=list(remark.photo_urls),
    )
    await outcomes.refresh([job.id])  # the tailor's record follows the job's history, in this transaction
    await production_events.stage_changed(job, change, data)
    return change
