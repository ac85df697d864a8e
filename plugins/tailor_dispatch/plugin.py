"""The hooks: the dispatch API, the offer-expiry job, the offer events, and offering jobs as they become ready."""

from __future__ import annotations

import logging
from typing import Any

from lini.plugin import (
    Blueprint,
    Brand,
    DispatchStrategy,
    DomainError,
    EventType,
    JobStage,
    PluginHost,
    ProductionJob,
    SchemaExtension,
    hookimpl,
)
from plugins.tailor_dispatch import demo, offers, scoring, strategies
from plugins.tailor_dispatch.errors import ERROR_CODES
from plugins.tailor_dispatch.offer_schema import OfferMutation, OfferQuery
from plugins.tailor_dispatch.price_schema import PriceMutation, PriceQuery
from plugins.tailor_dispatch.schema import DispatchMutation, DispatchQuery
from plugins.tailor_dispatch.tasks import blueprint

NAME = "tailor_dispatch"
logger = logging.getLogger("lini.tailor_dispatch")
EVENTS = (
    ("dispatch.offer_made", "A job was offered to a tailor (the payload names the tailor and the deadline)."),
    ("dispatch.offer_accepted", "A tailor accepted an offer: the job is assigned to it and accepted."),
    ("dispatch.offer_declined", "A tailor declined an offer (with its reason); the next candidate gets one."),
    ("dispatch.offer_expired", "An offer ran out unanswered; the next candidate gets one."),
    ("dispatch.offer_withdrawn", "An offer was withdrawn: the tailor can no longer take it, or staff assigned."),
    ("dispatch.job_needs_staff", "No offer placed the job (too many misses, or no candidate): assign it by hand."),
)


@hookimpl
def schema_extensions(host: PluginHost) -> list[SchemaExtension]:
    return [
        SchemaExtension(query=DispatchQuery, mutation=DispatchMutation),
        SchemaExtension(query=OfferQuery, mutation=OfferMutation),
        SchemaExtension(query=PriceQuery, mutation=PriceMutation),
    ]


@hookimpl
def dispatch_strategies(host: PluginHost) -> list[DispatchStrategy]:
    """The built-in WEIGHTED strategy, provided like anyone else's."""
    return [scoring.Weighted()]


@hookimpl
def startup(host: PluginHost) -> None:
    """Read every plugin's strategies once per process (a duplicate name stops the start)."""
    strategies.install(host)


@hookimpl
def job_blueprints(host: PluginHost) -> list[Blueprint]:
    return [blueprint]


@hookimpl
def event_types(host: PluginHost) -> list[EventType]:
    return [EventType(name, description, "dispatchOffer") for name, description in EVENTS]


@hookimpl
async def seed_demo(brands: list[Brand]) -> None:
    await demo.seed(brands)


@hookimpl
async def order_event(event: dict[str, Any]) -> None:
    """A paid order's garments went into production: offer each queued one."""
    if event["type"] != "ORDER_IN_PRODUCTION":
        return
    ids = await ProductionJob.filter(order_id=event["order"]["id"], stage=JobStage.QUEUED).order_by("id")
    for job in ids:
        await _offer(job.id)


@hookimpl
async def production_event(event: dict[str, Any]) -> None:
    """A job back in the queue (created paid, declined, taken back) is offered; one that left the queue some
    other way (staff assigned it by hand, the order was cancelled) has its open offer withdrawn."""
    if event["type"] != "PRODUCTION_STAGE_CHANGED":
        return
    job_id, data = int(event["job"]["id"]), event["data"]
    if data["toStage"] == JobStage.QUEUED:
        await _offer(job_id)
    elif data["fromStage"] == JobStage.QUEUED:
        await offers.withdraw_for_job(job_id, f"The job is {data['toStage']} now.")


@hookimpl
async def tailor_event(event: dict[str, Any]) -> None:
    """A tailor suspended, rejected, or its certificate decided: its open offers are judged again, and those it
    no longer qualifies for are withdrawn and passed on."""
    if event["type"] in ("tailor.applied", "tailor.approved", "tailor.certification_added"):
        return
    reason = f"{event['type']}: {event.get('reason') or 'the tailor no longer qualifies'}"
    await offers.recheck_tailor(int(event["tailor_id"]), reason)


async def _offer(job_id: int) -> None:
    try:
        await offers.offer_next(job_id)
    except DomainError as error:  # the job moved meanwhile: whoever moved it decides
        logger.info("job %s was not offered: %s", job_id, error.message)


@hookimpl
def error_codes() -> dict[str, str]:
    return dict(ERROR_CODES)
