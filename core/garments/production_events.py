"""Production events: written to the outbox inside the move's transaction, handed to `production_event` after
the commit, exactly as order events are (`core.orders.events`).

Every stage change writes a `PRODUCTION_STAGE_CHANGED` event and every inspection a `PRODUCTION_QC_REPORTED`
one. `core.outbox` delivers them after the commit to every plugin's `production_event`, a job's events in
order; a failing plugin is logged and retried alone (at least once: a plugin keys on the event's `id`).
Payloads carry no internal notes and nothing about the customer.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from core.events import Event, emit
from core.garments.models import ProductionJob, ProductionStageChange, QcInspection
from core.orders.models import Order

PREFIX = "PRODUCTION_"
STAGE_CHANGED = "PRODUCTION_STAGE_CHANGED"
QC_REPORTED = "PRODUCTION_QC_REPORTED"


def job_summary(job: ProductionJob, order_number: int | None) -> dict[str, Any]:
    return {
        "id": job.id,
        "orderId": job.order_id,
        "orderNumber": order_number,
        "orderLineId": job.order_line_id,
        "garmentIndex": job.garment_index,
        "garmentType": job.garment_type_code,
        "stage": str(job.stage),
        "tailorId": job.tailor_id,
        "readyBy": job.ready_by.isoformat() if job.ready_by else None,
        "remakeOf": job.remake_of_id,
    }


async def _emit(job: ProductionJob, type: str, data: dict[str, Any]) -> Event:
    found = await Order.filter(id=job.order_id).values("number", "brand__slug")
    number, slug = (found[0]["number"], found[0]["brand__slug"]) if found else (None, None)
    payload = {
        "type": type,
        "brand": slug,
        "job": job_summary(job, number),
        "data": data,
        "occurredAt": datetime.now(UTC).isoformat(),
    }
    return await emit(type, payload, brand_id=job.brand_id, object_key=f"job:{job.id}")


async def stage_changed(job: ProductionJob, change: ProductionStageChange, extra: dict[str, Any] | None) -> Event:
    """Record a move (call inside its transaction); `extra` adds type-specific data (e.g. `remakeOf`)."""
    data = {
        "fromStage": change.from_stage,
        "toStage": change.to_stage,
        "actor": change.actor,
        "role": change.actor_role,
        "note": change.note,
        "photoUrls": list(change.photo_urls),
        **(extra or {}),
    }
    return await _emit(job, STAGE_CHANGED, data)


async def qc_reported(job: ProductionJob, inspection: QcInspection) -> Event:
    data = {
        "inspectionId": inspection.id,
        "passed": inspection.passed,
        "checklist": inspection.checklist,
        "defects": inspection.defects,
        "inspector": inspection.inspector,
    }
    return await _emit(job, QC_REPORTED, data)
