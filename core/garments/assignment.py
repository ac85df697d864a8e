"""Brand staff giving a queued job to a tailor (`productionJobAssign`).

Only an APPROVED tailor holding a VERIFIED certificate valid today, who makes the job's garment type and has a
free place (jobs in ASSIGNED..ALTERATION below its capacity), may be given a job: the rules of
`core.garments.candidates`, shared with dispatch plugins (which reach `assign` as `lini.plugin.assign_job`).
The capacity check and the assignment run under the tailor's row lock (PostgreSQL; SQLite runs one
transaction at a time), so two staff giving a tailor its last place at once cannot both succeed; the job
itself moves by a conditional update, so two staff assigning one job cannot both succeed either.
"""

from __future__ import annotations

from datetime import UTC, datetime

from tortoise.transactions import in_transaction

from core.actors.models import Tailor
from core.context import Actor
from core.errors import DomainError
from core.garments import candidates, stages
from core.garments.jobs import load_job
from core.garments.models import JobStage, ProductionJob
from core.garments.stages import Operation, Role
from core.orders.models import Order, OrderStatus

FIELD = "tailor_id"


async def assign(
    actor: Actor, job_id: int, tailor_id: int, *, note: str = "", internal_note: str = ""
) -> ProductionJob:
    remark = stages.validated_remark(note, internal_note, ())
    job, held = await load_job(actor, job_id)
    if Role.STAFF not in held:  # its tailor sees the job, but only staff assign
        raise DomainError("TRANSITION_NOT_ALLOWED", "Only brand staff assign tailors.", "job_id")
    stages.check(job.stage, JobStage.ASSIGNED, Role.STAFF, Operation.ASSIGN)
    order_status = await Order.filter(id=job.order_id).first().values_list("status", flat=True)
    if order_status != OrderStatus.IN_PRODUCTION:
        raise DomainError(
            "ORDER_NOT_IN_PRODUCTION", f"The order is {order_status}: production starts once it is paid.", "job_id"
        )
    tailor = await Tailor.get_or_none(id=tailor_id)
    if tailor is None:
        raise DomainError("NOT_FOUND", "There is no such tailor.", FIELD)
    await candidates.qualify(tailor, job)  # the certificate judged today: valid today is enough
    async with in_transaction():
        tailor = await Tailor.filter(id=tailor.id).select_for_update().get()
        busy = (await candidates.active_jobs([tailor.id])).get(tailor.id, 0)
        if busy >= tailor.capacity:
            raise DomainError(
                "TAILOR_AT_CAPACITY", f"{tailor.display_name} already has {busy} of {tailor.capacity} jobs.", FIELD
            )
        await stages.move(
            job,
            JobStage.ASSIGNED,
            actor=actor.label,
            role=Role.STAFF,
            operation=Operation.ASSIGN,
            remark=remark,
            data={"tailorId": tailor.id},
            tailor_id=tailor.id,
            assigned_at=datetime.now(UTC),
        )
    return job
