"""The offers API: a tailor's offers (`myOffers`), accepting and declining them, and staff's `dispatchBatch`.

A tailor sees only the offers made to its own profiles, and learns the garment and its due date, never the
customer. Staff with MANAGE_ORDERS batch their own brand's jobs only.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import Annotated

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
from plugins.tailor_dispatch.schema import MANAGE_ORDERS, BrandArgument, DispatchTailor
from plugins.tailor_dispatch.solver import Method

FirstArgument = Annotated[int | None, strawberry.argument(description="Page size, up to the maximum page size.")]
AfterArgument = Annotated[str | None, strawberry.argument(description="The `endCursor` of the previous page.")]
OfferArgument = Annotated[relay.GlobalID, strawberry.argument(description="One of your offers (DispatchOffer).")]


@strawberry.enum(name="DispatchOfferStatus", description="Where an offer stands.")
class DispatchOfferStatus(Enum):
    OPEN = strawberry.enum_value("OPEN", description="Waiting for the tailor's answer until `expiresAt`.")
    ACCEPTED = strawberry.enum_value("ACCEPTED", description="The tailor took it: the job is assigned and accepted.")
    DECLINED = strawberry.enum_value("DECLINED", description="The tailor turned it down (see `reason`).")
    EXPIRED = strawberry.enum_value("EXPIRED", description="Not answered in time; the next tailor got an offer.")
    WITHDRAWN = strawberry.enum_value(
        "WITHDRAWN", description="Taken back: the tailor could no longer take it, or staff assigned the job by hand."
    )


@strawberry.enum(name="DispatchBatchMethod", description="How a batch placed its jobs.")
class DispatchBatchMethod(Enum):
    LINEAR_SUM_ASSIGNMENT = strawberry.enum_value(
        "LINEAR_SUM_ASSIGNMENT", description="Exact: the highest total score under the tailors' free places."
    )
    GREEDY_BY_DUE_DATE = strawberry.enum_value(
        "GREEDY_BY_DUE_DATE",
        description="Past 400 jobs: earliest ready-by first, each job to the best free place left.",
    )


@strawberry.enum(name="DispatchUnplacedReason", description="Why a batch made no offer for a job.")
class DispatchUnplacedReason(Enum):
    NOT_QUEUED = strawberry.enum_value("NOT_QUEUED", description="The job is assigned, cancelled or done.")
    NOT_PAID = strawberry.enum_value("NOT_PAID", description="Its order is not paid and in production yet.")
    ALREADY_OFFERED = strawberry.enum_value("ALREADY_OFFERED", description="An open offer waits for its answer.")
    NO_CANDIDATE = strawberry.enum_value("NO_CANDIDATE", description="No approved tailor passes every filter.")
    NO_FREE_PLACE = strawberry.enum_value(
        "NO_FREE_PLACE", description="Eligible tailors exist, but their free places went to other jobs of the batch."
    )


@strawberry.type(description="The garment an offer is for (nothing about the customer).")
class DispatchOfferJob:
    id: relay.GlobalID = strawberry.field(description="The production job's global ID (ProductionJob).")
    garment_type: str = strawberry.field(description="The garment type code, e.g. GAMIS.")
    ready_by: date | None = strawberry.field(description="When the garment must be READY (ISO date); null: no date.")
    brand_name: str = strawberry.field(description="The brand the garment is made for.")


@strawberry.type(
    description="A time-limited exclusive offer of one production job to one tailor. A `Node`: `node(id:)` "
    "refetches it for the tailor it was made to (`myOffers`) and for staff who manage the brand's orders "
    "(`dispatchOffers`), and is null for anyone else."
)
class DispatchOffer(relay.Node):
    id: relay.NodeID[int]
    status: DispatchOfferStatus = strawberry.field(description="Where the offer stands.")
    job: DispatchOfferJob = strawberry.field(description="The garment offered.")
    tailor: DispatchTailor = strawberry.field(description="The tailor it is offered to.")
    score: float = strawberry.field(description="The tailor's score when offered, 0 to 1 (rounded to 6 decimals).")
    attempt: int = strawberry.field(description="1 for the job's first offer, 2 for the next, ...")
    offered_at: datetime = strawberry.field(description="When it was made (ISO 8601, UTC).")
    expires_at: datetime = strawberry.field(description="Until when the tailor may accept it (ISO 8601, UTC).")
    decided_at: datetime | None = strawberry.field(
        description="When it was accepted, declined, expired or withdrawn (ISO 8601, UTC); null while open."
    )
    reason: str = strawberry.field(description="The tailor's reason to decline, or why the offer was withdrawn.")

    @classmethod
    async def resolve_nodes(  # type: ignore[override]  # strawberry's overloads by `required`
        cls, *, info: Info, node_ids: list[str], required: bool = False
    ) -> list[DispatchOffer | None]:
        """As the two lists show them: to its tailor, and to the brand's order staff (four statements)."""
        ids = [int(i) for i in node_ids if i.isdigit()]
        found = await describe(await offers.visible_offers(await info.context.actor(), ids))
        return [found.get(int(i)) if i.isdigit() else None for i in node_ids]


async def describe(rows: list[OfferRow]) -> dict[int, DispatchOffer]:
    """The offers as GraphQL objects, their jobs, brands and tailors read in three queries for any number."""
    jobs = {j.id: j for j in await ProductionJob.filter(id__in=[r.job_id for r in rows])}
    brands = dict(await Brand.filter(id__in=[r.brand_id for r in rows]).values_list("id", "name"))
    tailors = {t.id: t for t in await Tailor.filter(id__in=[r.tailor_id for r in rows])}
    found = {}
    for row in rows:
        job, tailor = jobs[row.job_id], tailors[row.tailor_id]
        found[row.id] = DispatchOffer(
            id=row.id,
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


ERRORS = "What went wrong, each with its field and code; nothing was changed."


@strawberry.type(description="The result of accepting or declining an offer.")
class DispatchOfferPayload:
    offer: DispatchOffer | None = strawberry.field(
        default=None, description="The offer as it now stands; null when `errors` is not empty."
    )
    errors: list[UserError] = strawberry.field(default_factory=list, description=ERRORS)


@strawberry.type(description="A job a batch made no offer for, and why.")
class DispatchUnplaced:
    job_id: relay.GlobalID = strawberry.field(description="The production job (ProductionJob).")
    reason: DispatchUnplacedReason = strawberry.field(description="Why it was left out.")
    detail: str = strawberry.field(description="The same, in words.")


@strawberry.type(description="The result of `dispatchBatch`.")
class DispatchBatchPayload:
    method: DispatchBatchMethod | None = strawberry.field(
        default=None, description="How the jobs were placed; null when `errors` is not empty."
    )
    total_score: float = strawberry.field(default=0.0, description="The sum of the offers' scores.")
    offers: list[DispatchOffer] = strawberry.field(default_factory=list, description="One new offer per placed job.")
    unplaced: list[DispatchUnplaced] = strawberry.field(
        default_factory=list, description="The jobs given or found that got no offer."
    )
    errors: list[UserError] = strawberry.field(default_factory=list, description=ERRORS)


async def _one(row: OfferRow | None) -> DispatchOffer | None:
    return (await describe([row]))[row.id] if row is not None else None


@strawberry.type
class OfferQuery:
    @strawberry.field(**guard("The offers made to your tailor profiles, newest first (open ones by default).", TAILOR))
    async def my_offers(
        self,
        info: Info,
        status: Annotated[
            list[DispatchOfferStatus] | None,
            strawberry.argument(description="Only offers in these states; OPEN ones when omitted."),
        ] = None,
        first: FirstArgument = None,
        after: AfterArgument = None,
    ) -> Connection[DispatchOffer]:
        actor = await info.context.actor()
        wanted = [OfferStatus(s.name) for s in status] if status else [OfferStatus.OPEN]
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
        self,
        info: Info,
        job_id: Annotated[relay.GlobalID, strawberry.argument(description="A production job of your brand.")],
        first: FirstArgument = None,
        after: AfterArgument = None,
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
    tailor: DispatchTailor = strawberry.field(description="Which of your tailor profiles.")
    finished_jobs: int = strawberry.field(description="Of its last 20 finished jobs (READY, SHIPPED or REMADE).")
    inspected: int = strawberry.field(description="Of those, how many had a QC inspection.")
    first_pass: int = strawberry.field(description="Passed QC at the first inspection.")
    remade_for_making: int = strawberry.field(description="Remade because of the making (not measurements or fabric).")
    timed: int = strawberry.field(description="Finished jobs that had a ready-by date and reached READY.")
    on_time: int = strawberry.field(description="Of the timed, how many reached READY on or before ready-by (UTC).")
    offers_accepted: int = strawberry.field(description="Offers it accepted, ever.")
    offers_declined: int = strawberry.field(description="Offers it declined, ever.")
    offers_expired: int = strawberry.field(description="Offers it let run out, ever.")
    offers_open: int = strawberry.field(description="Offers waiting for its answer now.")
    last_assigned_at: datetime | None = strawberry.field(
        description="When it was last given a job (ISO 8601, UTC); null: never."
    )


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
            "is withdrawn and passed on. NOT_FOUND for another tailor's offer, OFFER_CLOSED or OFFER_EXPIRED once "
            "it is decided or past its time, TAILOR_AT_CAPACITY when your places are full.",
            TAILOR,
        )
    )
    async def dispatch_offer_accept(self, info: Info, offer_id: OfferArgument) -> DispatchOfferPayload:
        actor = await info.context.actor()

        async def run() -> OfferRow:
            return await offers.accept(actor, decode_id(offer_id, "DispatchOffer", "offer_id"))

        row, errors = await attempt(run)
        return DispatchOfferPayload(offer=await _one(row), errors=errors)

    @strawberry.mutation(
        **guard(
            "Turn the offered job down; the next tailor gets an offer. NOT_FOUND for another tailor's offer, "
            "OFFER_CLOSED or OFFER_EXPIRED once it is decided or past its time.",
            TAILOR,
        )
    )
    async def dispatch_offer_decline(
        self,
        info: Info,
        offer_id: OfferArgument,
        reason: Annotated[
            str, strawberry.argument(description="Why, for the brand's staff: 1 to 500 characters (INVALID_REASON).")
        ],
    ) -> DispatchOfferPayload:
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
        self,
        info: Info,
        brand: BrandArgument = None,
        job_ids: Annotated[
            list[relay.GlobalID] | None,
            strawberry.argument(
                description="The brand's jobs to offer (NOT_FOUND for another's, TOO_MANY_JOBS past the maximum "
                "page size); its ready backlog, earliest due first, when omitted."
            ),
        ] = None,
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
