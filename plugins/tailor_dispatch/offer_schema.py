"""The offers API: a tailor's offers (`myOffers`), accepting and declining them, and staff's `dispatchBatch`.

A tailor sees only the offers made to its own profiles, and learns the garment and its due date, never the
customer. Staff with MANAGE_ORDERS batch their own brand's jobs only.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum

import strawberry
from strawberry import relay
from strawberry.types import Info

from lini.plugin import (
    TAILOR,
    Brand,
    Connection,
    PageRequest,
    ProductionJob,
    Tailor,
    UserError,
    attempt,
    connection,
    decode_id,
    guard,
    managed_brand,
    paginate,
    track_records,
)
from plugins.tailor_dispatch import batch, offers, weights
from plugins.tailor_dispatch.models import DispatchOffer as OfferRow
from plugins.tailor_dispatch.models import OfferStatus
from plugins.tailor_dispatch.schema import MANAGE_ORDERS, DispatchTailor
from plugins.tailor_dispatch.solver import Method


@strawberry.enum(name="DispatchOfferStatus")
class DispatchOfferStatus(Enum):
    OPEN = "OPEN"
    ACCEPTED = "ACCEPTED"
    DECLINED = "DECLINED"
    EXPIRED = "EXPIRED"
    WITHDRAWN = "WITHDRAWN"


@strawberry.enum(name="DispatchBatchMethod", description="How a batch placed its jobs.")
class DispatchBatchMethod(Enum):
    LINEAR_SUM_ASSIGNMENT = "LINEAR_SUM_ASSIGNMENT"
    GREEDY_BY_DUE_DATE = "GREEDY_BY_DUE_DATE"


@strawberry.enum(name="DispatchUnplacedReason", description="Why a batch made no offer for a job.")
class DispatchUnplacedReason(Enum):
    NOT_QUEUED = "NOT_QUEUED"
    NOT_PAID = "NOT_PAID"
    ALREADY_OFFERED = "ALREADY_OFFERED"
    NO_CANDIDATE = "NO_CANDIDATE"
    NO_FREE_PLACE = "NO_FREE_PLACE"


@strawberry.type(description="The garment an offer is for (nothing about the customer).")
class DispatchOfferJob:
    id: relay.GlobalID
    garment_type: str
    ready_by: date | None
    brand_name: str


@strawberry.type(description="A time-limited exclusive offer of one production job to one tailor.")
class DispatchOffer:
    id: relay.GlobalID
    status: DispatchOfferStatus
    job: DispatchOfferJob
    tailor: DispatchTailor
    score: float
    attempt: int = strawberry.field(description="1 for the job's first offer, 2 for the next, ...")
    offered_at: datetime
    expires_at: datetime
    decided_at: datetime | None
    reason: str = strawberry.field(description="The tailor's reason to decline, or why the offer was withdrawn.")


async def describe(rows: list[OfferRow]) -> dict[int, DispatchOffer]:
    """The offers as GraphQL objects, their jobs, brands and tailors read in three queries for any number."""
    jobs = {j.id: j for j in await ProductionJob.filter(id__in=[r.job_id for r in rows])}
    brands = dict(await Brand.filter(id__in=[r.brand_id for r in rows]).values_list("id", "name"))
    tailors = {t.id: t for t in await Tailor.filter(id__in=[r.tailor_id for r in rows])}
    found = {}
    for row in rows:
        job, tailor = jobs[row.job_id], tailors[row.tailor_id]
        found[row.id] = DispatchOffer(
            id=relay.GlobalID("DispatchOffer", str(row.id)),
            status=DispatchOfferStatus(row.status.value if isinstance(row.status, OfferStatus) else row.status),
            job=DispatchOfferJob(
                id=relay.GlobalID("ProductionJob", str(job.id)),
                garment_type=job.garment_type_code,
                ready_by=job.ready_by,
                brand_name=str(brands.get(row.brand_id, "")),
            ),
            tailor=DispatchTailor(
                id=relay.GlobalID("Tailor", str(tailor.id)),
                display_name=tailor.display_name,
                city=tailor.city,
                country=tailor.country,
            ),
            score=round(row.score, 6),
            attempt=row.attempt,
            offered_at=row.offered_at,
            expires_at=row.expires_at,
            decided_at=row.decided_at,
            reason=row.reason,
        )
    return found


@strawberry.type
class DispatchOfferPayload:
    offer: DispatchOffer | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class DispatchUnplaced:
    job_id: relay.GlobalID
    reason: DispatchUnplacedReason
    detail: str


@strawberry.type
class DispatchBatchPayload:
    method: DispatchBatchMethod | None = None
    total_score: float = strawberry.field(default=0.0, description="The sum of the offers' scores.")
    offers: list[DispatchOffer] = strawberry.field(default_factory=list)
    unplaced: list[DispatchUnplaced] = strawberry.field(default_factory=list)
    errors: list[UserError] = strawberry.field(default_factory=list)


async def _one(row: OfferRow | None) -> DispatchOffer | None:
    return (await describe([row]))[row.id] if row is not None else None


@strawberry.type
class OfferQuery:
    @strawberry.field(**guard("The offers made to your tailor profiles, newest first (open ones by default).", TAILOR))
    async def my_offers(
        self,
        info: Info,
        status: list[DispatchOfferStatus] | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[DispatchOffer]:
        actor = await info.context.actor()
        wanted = [OfferStatus(s.value) for s in status] if status else [OfferStatus.OPEN]
        limits = info.context.settings.graphql
        page = await paginate(
            OfferRow.filter(tailor_id__in=list(actor.tailor_ids) or [-1], status__in=wanted),
            PageRequest(first=first, after=after),
            order=("-id",),
            key="dispatch_offers",
            default_size=limits.default_page_size,
            max_size=limits.max_page_size,
        )
        described = await describe(list(page.items))
        return connection(page, lambda row: described[row.id])

    @strawberry.field(**guard("Your tailor profiles' records as dispatch scores them, and your offers.", TAILOR))
    async def my_dispatch_metrics(self, info: Info) -> list[DispatchMetrics]:
        actor = await info.context.actor()
        return await metrics_of(list(await Tailor.filter(id__in=list(actor.tailor_ids) or [-1]).order_by("id")))

    @strawberry.field(
        **guard(
            "Every offer made for one of the brand's jobs, newest first (who, when, and how it ended).", MANAGE_ORDERS
        )
    )
    async def dispatch_offers(
        self, info: Info, job_id: relay.GlobalID, first: int | None = None, after: str | None = None
    ) -> Connection[DispatchOffer]:
        actor = await info.context.actor()
        job = await offers.staff_job(actor, decode_id(job_id, "ProductionJob", "job_id"))
        limits = info.context.settings.graphql
        page = await paginate(
            OfferRow.filter(job_id=job.id),
            PageRequest(first=first, after=after),
            order=("-id",),
            key="dispatch_job_offers",
            default_size=limits.default_page_size,
            max_size=limits.max_page_size,
        )
        described = await describe(list(page.items))
        return connection(page, lambda row: described[row.id])


@strawberry.type(description="A tailor's record as dispatch judges it (its last finished jobs) and its offers.")
class DispatchMetrics:
    tailor: DispatchTailor
    finished_jobs: int = strawberry.field(description="Of its last `historyJobs` (20) finished jobs.")
    inspected: int
    first_pass: int = strawberry.field(description="Passed QC at the first inspection.")
    remade_for_making: int
    timed: int = strawberry.field(description="Finished jobs that had a ready-by date and reached READY.")
    on_time: int
    offers_accepted: int
    offers_declined: int
    offers_expired: int
    offers_open: int
    last_assigned_at: datetime | None


async def metrics_of(tailors: list[Tailor]) -> list[DispatchMetrics]:
    """Each tailor's record (core's track_records) and offer counts, in three queries for any number."""
    ids = [t.id for t in tailors]
    records = await track_records(ids, last=weights.DEFAULT_HISTORY)
    counts: dict[tuple[int, str], int] = {}
    for tailor_id, status in await OfferRow.filter(tailor_id__in=ids or [-1]).values_list("tailor_id", "status"):
        counts[(int(tailor_id), str(status))] = counts.get((int(tailor_id), str(status)), 0) + 1
    found = []
    for tailor in tailors:
        record = records[tailor.id]
        found.append(
            DispatchMetrics(
                tailor=DispatchTailor(
                    id=relay.GlobalID("Tailor", str(tailor.id)),
                    display_name=tailor.display_name,
                    city=tailor.city,
                    country=tailor.country,
                ),
                finished_jobs=record.jobs,
                inspected=record.inspected,
                first_pass=record.first_pass,
                remade_for_making=record.remade,
                timed=record.timed,
                on_time=record.on_time,
                offers_accepted=counts.get((tailor.id, OfferStatus.ACCEPTED.value), 0),
                offers_declined=counts.get((tailor.id, OfferStatus.DECLINED.value), 0),
                offers_expired=counts.get((tailor.id, OfferStatus.EXPIRED.value), 0),
                offers_open=counts.get((tailor.id, OfferStatus.OPEN.value), 0),
                last_assigned_at=record.last_assigned_at,
            )
        )
    return found


@strawberry.type
class OfferMutation:
    @strawberry.mutation(
        **guard(
            "Take the offered job: it is assigned to you and accepted. If you can no longer take it (suspended, "
            "certificate not valid on the due date, the job taken meanwhile), the error says why and the offer "
            "is withdrawn and passed on.",
            TAILOR,
        )
    )
    async def dispatch_offer_accept(self, info: Info, offer_id: relay.GlobalID) -> DispatchOfferPayload:
        actor = await info.context.actor()

        async def run() -> OfferRow:
            return await offers.accept(actor, decode_id(offer_id, "DispatchOffer", "offer_id"))

        row, errors = await attempt(run)
        return DispatchOfferPayload(offer=await _one(row), errors=errors)

    @strawberry.mutation(**guard("Turn the offered job down; the next tailor gets an offer.", TAILOR))
    async def dispatch_offer_decline(self, info: Info, offer_id: relay.GlobalID, reason: str) -> DispatchOfferPayload:
        actor = await info.context.actor()

        async def run() -> OfferRow:
            return await offers.decline(actor, decode_id(offer_id, "DispatchOffer", "offer_id"), reason)

        row, errors = await attempt(run)
        return DispatchOfferPayload(offer=await _one(row), errors=errors)

    @strawberry.mutation(
        **guard(
            "Offer many ready jobs at once (the given ones, or the brand's backlog earliest due first, at most "
            "the maximum page size), maximising the total score under the tailors' free places.",
            MANAGE_ORDERS,
        )
    )
    async def dispatch_batch(
        self, info: Info, brand: str | None = None, job_ids: list[relay.GlobalID] | None = None
    ) -> DispatchBatchPayload:
        actor = await info.context.actor()
        limit = info.context.settings.graphql.max_page_size

        async def run() -> batch.BatchResult:
            found = await managed_brand(actor, await info.context.brand_slug(brand), weights.PERMISSION)
            ids = (
                None
                if job_ids is None
                else [decode_id(i, "ProductionJob", f"job_ids.{n}") for n, i in enumerate(job_ids)]
            )
            return await batch.run(actor, found, ids, limit=limit)

        result, errors = await attempt(run)
        if result is None:
            return DispatchBatchPayload(errors=errors)
        described = await describe([p.offer for p in result.placed])
        return DispatchBatchPayload(
            method=DispatchBatchMethod(Method(result.method).value),
            total_score=round(result.total_score, 6),
            offers=[described[p.offer.id] for p in result.placed],
            unplaced=[
                DispatchUnplaced(
                    job_id=relay.GlobalID("ProductionJob", str(u.job.id)),
                    reason=DispatchUnplacedReason(u.reason.value),
                    detail=u.detail,
                )
                for u in result.unplaced
            ],
        )
