"""Reaching and moving production jobs: who sees a job, the lists staff and tailors read, `advance` (the
tailor's making steps, staff cancelling), `ship_ready` (garments leaving with their order line's shipment),
fabric going back on the roll, and the order following its garments (READY_TO_SHIP once every live one is
ready).

A job is visible to staff holding MANAGE_ORDERS in its brand and to its assigned tailor; to anyone else it does
not exist (NOT_FOUND, like a missing id). Every change locks the order row first, then moves the job: the
order's readiness is decided under that lock, so two garments finishing at once cannot both miss the moment
all were ready.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import cast

from tortoise.expressions import F
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from core.auth.permissions import Permission
from core.context import Actor, ActorKind
from core.errors import DomainError, DomainErrors
from core.garments import stages
from core.garments.models import Fabric, JobStage, ProductionJob
from core.garments.stages import DONE, GONE, Operation, Role
from core.orders import lifecycle
from core.orders.access import locked
from core.orders.models import Order, OrderStatus
from core.plugins import PluginHost

MANAGE = Permission.MANAGE_ORDERS
MAX_ORDER_NUMBER = 2_000_000_000


def is_staff(actor: Actor, job: ProductionJob) -> bool:
    return actor.can(job.brand_id, MANAGE)


def roles(actor: Actor, job: ProductionJob) -> set[Role]:
    return stages.roles_of(actor.tailor_ids, is_staff(actor, job), job)


async def load_job(actor: Actor, job_id: int, *, field: str = "job_id") -> tuple[ProductionJob, set[Role]]:
    """The job and the actor's roles on it; NOT_FOUND when it is missing or not the actor's to see."""
    job = await ProductionJob.get_or_none(id=job_id)
    held = roles(actor, job) if job is not None else set()
    if job is None or not held:
        raise DomainError("NOT_FOUND", "There is no such production job.", field)
    return job, held


def actor_role(actor: Actor) -> Role:
    """Staff, or the system (expiry, order cancellation by the platform)."""
    return Role.SYSTEM if actor.kind == ActorKind.SYSTEM else Role.STAFF


# --- lists -------------------------------------------------------------------------------------------------


def staff_jobs(
    brand_id: int,
    *,
    stages_in: Sequence[JobStage] | None = None,
    tailor_id: int | None = None,
    order_number: int | None = None,
    garment_type: str | None = None,
) -> QuerySet[ProductionJob]:
    """The brand's jobs matching every filter given (the caller has checked MANAGE_ORDERS on the brand)."""
    queryset = ProductionJob.filter(brand_id=brand_id)
    if stages_in:
        queryset = queryset.filter(stage__in=list(stages_in))
    if tailor_id is not None:
        queryset = queryset.filter(tailor_id=tailor_id)
    if order_number is not None:
        if not 0 < order_number < MAX_ORDER_NUMBER:
            raise DomainError("INVALID_FILTER", "Order numbers are positive.", "filter.order_number")
        queryset = queryset.filter(order__number=order_number)
    if garment_type:
        queryset = queryset.filter(garment_type_code=garment_type.strip().upper())
    return queryset


def tailor_jobs(actor: Actor, *, stages_in: Sequence[JobStage] | None = None) -> QuerySet[ProductionJob]:
    """The jobs assigned to the actor's tailor profiles (a declined job is no longer theirs)."""
    queryset = ProductionJob.filter(tailor_id__in=list(actor.tailor_ids) or [-1])
    if stages_in:
        queryset = queryset.filter(stage__in=list(stages_in))
    return queryset


# --- moving -----------------------------------------------------------------------------------------------


async def advance(
    actor: Actor,
    job_id: int,
    to_stage: JobStage,
    *,
    note: str = "",
    internal_note: str = "",
    photo_urls: Sequence[str] = (),
    host: PluginHost | None = None,
) -> ProductionJob:
    """One step through `productionJobAdvance`: accept or decline (ASSIGNED → QUEUED), the making stages,
    back to QC after an alteration, or cancel; checked by the stage machine for the actor's role. Shipping is
    `ship_ready`, inside the order line's shipment."""
    remark = stages.validated_remark(note, internal_note, photo_urls)
    job, held = await load_job(actor, job_id)
    role = stages.role_for(held, job.stage, to_stage)
    stages.check(job.stage, to_stage, role, Operation.ADVANCE)  # fail before any write
    async with in_transaction():
        await locked(job.order_id)
        updates: dict[str, object] = {}
        data: dict[str, object] = {}
        if to_stage == JobStage.QUEUED:
            updates = {"tailor_id": None, "assigned_at": None}
        released = release_for(job) if to_stage == JobStage.CANCELLED else Decimal(0)
        if to_stage == JobStage.CANCELLED:
            data["releasedMetres"] = str(released)
        await stages.move(
            job,
            to_stage,
            actor=actor.label,
            role=role,
            operation=Operation.ADVANCE,
            remark=remark,
            data=data,
            **updates,
        )
        if released:
            await give_back({job.fabric_id: released} if job.fabric_id else {})
        await follow_order(job.order_id, actor, host=host)
    return job


def release_for(job: ProductionJob) -> Decimal:
    """The metres a cancelled job puts back: all of them before cutting, none once the cloth is cut."""
    if job.fabric_id is None or JobStage(job.stage) not in stages.UNCUT:
        return Decimal(0)
    return Decimal(job.fabric_metres)


async def give_back(metres: Mapping[int, Decimal]) -> None:
    """Relative updates in fabric id order (the order completion reserves in), never overwriting a sale."""
    for fabric_id in sorted(metres):
        if metres[fabric_id] > 0:
            await Fabric.filter(id=fabric_id).update(stock_metres=F("stock_metres") + metres[fabric_id])


async def follow_order(order_id: int, actor: Actor, *, host: PluginHost | None) -> None:
    """Inside the transaction that moved a job (with the order locked): an order IN_PRODUCTION whose live
    garments are all READY (or already SHIPPED) becomes READY_TO_SHIP."""
    order = await Order.get(id=order_id)
    if order.status != OrderStatus.IN_PRODUCTION:
        return
    found = cast("list[str]", await ProductionJob.filter(order_id=order_id).values_list("stage", flat=True))
    live = [JobStage(stage) for stage in found if JobStage(stage) not in GONE]
    if live and all(stage in DONE for stage in live):
        await lifecycle.ready_to_ship(order, actor, host=host)


# --- shipping ---------------------------------------------------------------------------------------------


async def ready_to_ship(order_id: int, wanted: Sequence[tuple[int, int]]) -> list[ProductionJob]:
    """Inside the shipping transaction (the order row locked), before anything is written: for each
    (order_line_id, quantity) of a shipment, that many READY garments of the line when it is made to measure
    (a line without jobs needs none). The jobs to ship, lowest garment number first; GARMENT_NOT_READY per
    line short of ready garments (field `lines.<i>.quantity`, the shipment's item)."""
    line_ids = [line_id for line_id, _ in wanted]
    found = await ProductionJob.filter(order_id=order_id, order_line_id__in=line_ids).order_by("garment_index", "id")
    made: dict[int, list[ProductionJob]] = {}
    for job in found:
        made.setdefault(job.order_line_id, []).append(job)
    problems: list[DomainError] = []
    chosen: list[ProductionJob] = []
    for i, (line_id, quantity) in enumerate(wanted):
        if line_id not in made:
            continue
        ready = [job for job in made[line_id] if job.stage == JobStage.READY]
        if len(ready) < quantity:
            problems.append(
                DomainError(
                    "GARMENT_NOT_READY",
                    f"{len(ready)} of these made-to-measure garments passed quality control and can be shipped; "
                    f"asked for {quantity}.",
                    f"lines.{i}.quantity",
                )
            )
        chosen.extend(ready[:quantity])
    if problems:
        raise DomainErrors(problems)
    return chosen


async def ship_ready(jobs: Sequence[ProductionJob], actor: Actor, *, note: str, data: dict[str, object]) -> None:
    """Inside the shipping transaction, after `ready_to_ship`: each job READY → SHIPPED through the stage
    machine (the SHIP operation, as staff or the system), with the shipment in its event."""
    role = actor_role(actor)
    for job in jobs:
        await stages.move(
            job,
            JobStage.SHIPPED,
            actor=actor.label,
            role=role,
            operation=Operation.SHIP,
            remark=stages.Remark(note=note),
            data=data,
        )
