"""Quality control (`productionJobReportQc`): brand staff inspect a garment in QUALITY_CHECK and record the
checklist, the defects found and the verdict. A pass makes it READY; a fail sends it back to its tailor for an
ALTERATION, or has it made again (REMAKE).

A remake is a new job for the same garment (`remake_of` points at the old one, which becomes REMADE) with the
cause recorded, queued for staff to assign (to the same tailor or another). It needs new cloth: the same
fabric's metres are reserved again by a conditional update, and when the supplier's stock is short the whole
report is refused (FABRIC_OUT_OF_STOCK, nothing written) — staff can order an alteration instead, or report
again once the fabric is restocked. A job whose fabric was deleted is remade without a reservation.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from tortoise.expressions import F
from tortoise.transactions import in_transaction

from core.actors import validation
from core.actors.certificates import today
from core.context import Actor
from core.errors import DomainError
from core.garments import outcomes, production_events, stages
from core.garments.jobs import follow_order, load_job
from core.garments.models import (
    DefectSeverity,
    Fabric,
    JobStage,
    ProductionJob,
    ProductionStageChange,
    QcInspection,
    RemakeCause,
)
from core.garments.stages import Operation, Remark, Role
from core.orders.access import locked
from core.orders.models import OrderLine
from core.plugins import PluginHost
from core.validation import Problems

CODE = re.compile(r"^[A-Z][A-Z0-9_]{0,39}$")
MAX_ITEMS = 50
MAX_ITEM_NOTE = 500
DEFAULT_PRODUCTION_DAYS = 14
BLOCKING = frozenset({DefectSeverity.MAJOR, DefectSeverity.CRITICAL})
OUTCOMES = frozenset({JobStage.ALTERATION, JobStage.REMADE})


@dataclass(frozen=True, slots=True)
class ChecklistItem:
    item: str
    passed: bool
    note: str = ""


@dataclass(frozen=True, slots=True)
class Defect:
    code: str
    severity: DefectSeverity
    note: str = ""


@dataclass(frozen=True, slots=True)
class Report:
    passed: bool
    checklist: Sequence[ChecklistItem] = ()
    defects: Sequence[Defect] = ()
    # For a fail: ALTERATION (back to the tailor) or REMADE (a new job, with `remake_cause`).
    outcome: JobStage | None = None
    remake_cause: RemakeCause | None = None


@dataclass(frozen=True, slots=True)
class QcResult:
    job: ProductionJob
    inspection: QcInspection
    remake: ProductionJob | None


async def report(
    actor: Actor,
    job_id: int,
    verdict: Report,
    *,
    note: str = "",
    internal_note: str = "",
    photo_urls: Sequence[str] = (),
    host: PluginHost | None = None,
) -> QcResult:
    remark = stages.validated_remark(note, internal_note, photo_urls)
    checklist, defects = _validated(verdict)
    job, held = await load_job(actor, job_id)
    if Role.STAFF not in held:
        raise DomainError("TRANSITION_NOT_ALLOWED", "Only brand staff inspect garments.", "job_id")
    target = JobStage.READY if verdict.passed else verdict.outcome
    assert target is not None
    stages.check(job.stage, target, Role.STAFF, Operation.QC)
    async with in_transaction():
        await locked(job.order_id)
        inspection = await QcInspection.create(
            job_id=job.id,
            passed=verdict.passed,
            checklist=checklist,
            defects=defects,
            inspector=actor.label,
            note=remark.note,
            photo_urls=list(remark.photo_urls),
        )
        await production_events.qc_reported(job, inspection)
        remake = None
        if target == JobStage.REMADE:
            assert verdict.remake_cause is not None
            remake = await _remake(job, verdict.remake_cause, actor, remark)
        else:
            await stages.move(
                job,
                target,
                actor=actor.label,
                role=Role.STAFF,
                operation=Operation.QC,
                remark=remark,
                data={"inspectionId": inspection.id},
            )
        await follow_order(job.order_id, actor, host=host)
    return QcResult(job=job, inspection=inspection, remake=remake)


def _validated(verdict: Report) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    problems = Problems()
    checklist: list[dict[str, object]] = []
    for i, entry in enumerate(verdict.checklist[:MAX_ITEMS]):
        item = _code(problems, entry.item, f"checklist.{i}.item")
        note = problems.collect(
            validation.text, entry.note, f"checklist.{i}.note", max_length=MAX_ITEM_NOTE, required=False
        )
        if item and any(seen["item"] == item for seen in checklist):
            problems.add("DUPLICATE", f"{item} is on the checklist twice.", f"checklist.{i}.item")
        checklist.append({"item": item, "passed": entry.passed, "note": note or ""})
    defects: list[dict[str, object]] = []
    for i, defect in enumerate(verdict.defects[:MAX_ITEMS]):
        code = _code(problems, defect.code, f"defects.{i}.code")
        note = problems.collect(
            validation.text, defect.note, f"defects.{i}.note", max_length=MAX_ITEM_NOTE, required=False
        )
        defects.append({"code": code, "severity": DefectSeverity(defect.severity).value, "note": note or ""})
    for name, given in (("checklist", verdict.checklist), ("defects", verdict.defects)):
        if len(given) > MAX_ITEMS:
            problems.add("TOO_MANY", f"At most {MAX_ITEMS} entries.", name)
    failed_items = [entry for entry in verdict.checklist if not entry.passed]
    if verdict.passed:
        if verdict.outcome is not None or verdict.remake_cause is not None:
            problems.add("QC_INCONSISTENT", "A passed inspection has no alteration or remake.", "outcome")
        if failed_items:
            problems.add("QC_INCONSISTENT", "A garment with a failed checklist item cannot pass.", "checklist")
        if any(DefectSeverity(d.severity) in BLOCKING for d in verdict.defects):
            problems.add("QC_INCONSISTENT", "A garment with a major or critical defect cannot pass.", "defects")
    else:
        if verdict.outcome not in OUTCOMES:
            problems.add("OUTCOME_REQUIRED", "Say whether the garment goes to ALTERATION or is REMADE.", "outcome")
        if not failed_items and not verdict.defects:
            problems.add("QC_REASON_REQUIRED", "Record the defect or failed checklist item found.", "defects")
        if verdict.outcome == JobStage.REMADE and verdict.remake_cause is None:
            problems.add("REMAKE_CAUSE_REQUIRED", "Say why it is remade.", "remake_cause")
        if verdict.outcome != JobStage.REMADE and verdict.remake_cause is not None:
            problems.add("QC_INCONSISTENT", "A cause is given only for a remake.", "remake_cause")
    problems.raise_any()
    return checklist, defects


def _code(problems: Problems, raw: str, field: str) -> str:
    code = (raw or "").strip().upper()
    if not CODE.match(code):
        problems.add("INVALID_CODE", "Use a code of letters, digits and _ (up to 40), like UNEVEN_HEM.", field)
    return code


async def _remake(job: ProductionJob, cause: RemakeCause, actor: Actor, remark: Remark) -> ProductionJob:
    metres = Decimal(job.fabric_metres)
    if job.fabric_id is not None and metres > 0:
        taken = await Fabric.filter(id=job.fabric_id, stock_metres__gte=metres).update(
            stock_metres=F("stock_metres") - metres
        )
        if not taken:
            raise DomainError(
                "FABRIC_OUT_OF_STOCK",
                f"The supplier has less than the {metres} m a remake needs; order an alteration or report again "
                "once the fabric is restocked.",
                "outcome",
            )
    await stages.move(
        job,
        JobStage.REMADE,
        actor=actor.label,
        role=Role.STAFF,
        operation=Operation.QC,
        remark=remark,
        data={"cause": cause.value},
    )
    remake = await ProductionJob.create(
        brand_id=job.brand_id,
        order_id=job.order_id,
        order_line_id=job.order_line_id,
        garment_index=job.garment_index,
        stage=JobStage.QUEUED,
        garment_type_code=job.garment_type_code,
        ready_by=today() + timedelta(days=await _production_days(job.order_line_id)),
        fabric_id=job.fabric_id,
        fabric_metres=metres,
        remake_of_id=job.id,
        remake_cause=cause.value,
    )
    await outcomes.refresh([job.id])  # a remake for the making counts against the job's tailor once it exists
    change = await ProductionStageChange.create(
        job_id=remake.id,
        from_stage="",
        to_stage=JobStage.QUEUED,
        actor=actor.label,
        actor_role=Role.STAFF,
        note=remark.note or "The garment is being made again.",
    )
    await production_events.stage_changed(remake, change, {"remakeOf": job.id, "cause": cause.value})
    return remake


async def _production_days(order_line_id: int) -> int:
    snapshot = await OrderLine.filter(id=order_line_id).first().values_list("custom_garment", flat=True)
    days = (snapshot or {}).get("production_days") if isinstance(snapshot, dict) else None
    return days if isinstance(days, int) and days > 0 else DEFAULT_PRODUCTION_DAYS
