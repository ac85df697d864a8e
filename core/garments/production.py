"""Production jobs and their order: jobs come into being when a made-to-measure order is placed, the order goes
IN_PRODUCTION once paid, and cancelling the order calls its jobs off and puts uncut fabric back in stock. These
run on the order's domain events (`core.garments.subscribers`), inside the order's transaction.

Moving jobs is in `core.garments.jobs` (advance), `assignment` (tailors) and `qc` (inspections), all checked by
the one stage machine in `core.garments.stages`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from core.context import SYSTEM, Actor
from core.garments import production_events, stages
from core.garments.jobs import give_back, release_for
from core.garments.models import JobStage, ProductionJob, ProductionStageChange
from core.garments.stages import GONE, OPEN, Operation, Remark, Role
from core.orders import lifecycle
from core.orders.models import Order, OrderLine, OrderStatus
from core.plugins import PluginHost

CANCELLED_NOTE = "The order was cancelled."


async def start_if_paid(order: Order, actor: Actor = SYSTEM, *, host: PluginHost | None = None) -> bool:
    """Inside the transaction that placed or paid `order`: a PAID order with live jobs goes IN_PRODUCTION
    (returns True)."""
    if order.status != OrderStatus.PAID:
        return False
    if not await ProductionJob.filter(order_id=order.id).exclude(stage__in=list(GONE)).exists():
        return False
    await lifecycle.start_production(order, actor, host=host)
    return True


async def cancel_jobs(order: Order, actor: Actor) -> dict[int, Decimal]:
    """Inside the order's cancelling transaction (its row locked): every job not yet shipped, remade or
    cancelled is CANCELLED, and the metres of those not yet cut go back to their fabric. A garment already cut
    keeps its cloth (it cannot go back on the roll). Returns {fabric_id: metres released}."""
    released: dict[int, Decimal] = {}
    # The jobs follow the order: whoever cancelled it (recorded as the actor), the move is the system's.
    role = Role.SYSTEM
    for job in await ProductionJob.filter(order_id=order.id, stage__in=list(OPEN)).order_by("id"):
        metres = release_for(job)
        await stages.move(
            job,
            stages.J.CANCELLED,
            actor=actor.label,
            role=role,
            operation=Operation.ADVANCE,
            remark=Remark(note=CANCELLED_NOTE),
            data={"releasedMetres": str(metres)},
        )
        if metres and job.fabric_id is not None:
            released[job.fabric_id] = released.get(job.fabric_id, Decimal(0)) + metres
    await give_back(released)
    return released


async def create_jobs(order: Order, order_lines: Sequence[OrderLine]) -> list[ProductionJob]:
    """Inside the transaction that places `order`: one QUEUED job per made-to-measure garment (a line of
    quantity 3 makes jobs 1..3), each with the line's fabric, its metres per garment and its ready-by date, and
    a first history row ("" → QUEUED by the system). Ready-made lines make none."""
    jobs: list[ProductionJob] = []
    for line in order_lines:
        garment = line.custom_garment
        if not garment:
            continue
        fabric = garment.get("fabric") or {}
        ready_by = garment.get("ready_by")
        for index in range(1, line.quantity + 1):
            job = await ProductionJob.create(
                brand_id=order.brand_id,
                order_id=order.id,
                order_line_id=line.id,
                garment_index=index,
                stage=JobStage.QUEUED,
                garment_type_code=garment["garment_type"],
                ready_by=date.fromisoformat(ready_by) if ready_by else None,
                fabric_id=fabric.get("id"),
                fabric_metres=Decimal(garment.get("fabric_metres") or 0),
            )
            change = await ProductionStageChange.create(
                job_id=job.id,
                from_stage="",
                to_stage=JobStage.QUEUED,
                actor=SYSTEM.label,
                actor_role=Role.SYSTEM,
                note="Waiting for a tailor.",
            )
            await production_events.stage_changed(job, change, None)
            jobs.append(job)
    return jobs
