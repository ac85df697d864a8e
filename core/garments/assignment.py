"""Brand staff giving a queued job to a tailor (`productionJobAssign`), and a dispatcher doing it for them.

Only an APPROVED tailor holding a VERIFIED certificate valid today, who makes the job's garment type and has a
free place (jobs in ASSIGNED..ALTERATION below its capacity), may be given a job: the rules of
`core.garments.candidates`, shared with dispatch plugins (which reach `assign` as `lini.plugin.assign_job`).
The capacity check and the assignment run under the tailor's row lock (PostgreSQL; SQLite runs one
transaction at a time), so two staff giving a tailor its last place at once cannot both succeed; the job
itself moves by a conditional update, so two staff assigning one job cannot both succeed either.

A dispatch plugin assigns through the same function, as the system, once a tailor has accepted its offer:
`judged_on` names the day the certificate must still count on (the job's ready-by date, `judging_date`, as the
offer was judged), and `accepted_by` is the tailor who accepted, so the job goes on to ACCEPTED in the same
transaction, recorded as that tailor: a job offered and accepted is never left ASSIGNED to be declined again.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

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
    actor: Actor,
    job_id: int,
    tailor_id: int,
    *,
    note: str = "",
    internal_note: str = "",
    judged_on: date | None = None,
    accepted_by: Actor | None = None,
) -> ProductionJob:
    """Give the queued job to the tailor; with `accepted_by` (the tailor's own actor), also accept it for them."""
    remark = stages.validated_remark(note, internal_note, ())
    if accepted_by is not None and tailor_id not in accepted_by.tailor_ids:
        raise DomainError("NOT_FOUND", "There is no such tailor.", FIELD)
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
    await candidates.qualify(tailor, job, on=judged_on)  # staff: judged today, valid today is enough
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
        if accepted_by is not None:
            await stages.move(
                job,
                JobStage.ACCEPTED,
                actor=accepted_by.label,
                role=Role.TAILOR,
                operation=Operation.ADVANCE,
                remark=stages.Remark(note="Accepted the offer."),
            )
    return job
