"""Offers: a job ready for dispatch goes to its best candidate as a time-limited exclusive offer; a decline, an
expiry or a withdrawal passes it to the next candidate; after `max_misses` the job waits for staff.

A job is ready for dispatch when it is QUEUED and its order is IN_PRODUCTION (paid: completion reserved its
fabric when the order was placed). The plugin hears of that through `order_event` (ORDER_IN_PRODUCTION) and
`production_event` (a job back to QUEUED), and whenever an offer closes.

Rules that keep it correct:
- At most one open offer per job, enforced by the database (`DispatchOffer.open_job_id` is unique).
- Accepting is one transaction: the offer is closed by a conditional update (of two accepts, one closes it) and
  the job is assigned through core's `assign_job` (the certificate judged on the ready-by date, capacity under
  the tailor's row lock, the job moved by a conditional update), so a job never goes to two tailors and a
  tailor never takes more jobs than its places. If core refuses, nothing is written.
- A tailor who can no longer take the job (suspended, certificate lapsed before the due date, the job taken
  by hand meanwhile) gets the typed error, and the offer is then withdrawn and passed on in a transaction of
  its own: it could never be accepted.
- Closing an offer and making the next one happen in one transaction, so a job is never left without either.
- Expiry is a job in the queue (`tailor_dispatch:expire_offer`), deferred in the offer's own transaction; it is
  idempotent (nothing happens for an offer already decided, or not yet due).
- A tailor is not offered more jobs at once than its free places.
- A change to a tailor (`tailor_event`: suspended, a certificate rejected) withdraws the open offers it no
  longer qualifies for, and each passes on; the accept checks again anyway.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from lini.plugin import (
    SYSTEM,
    Actor,
    Brand,
    DomainError,
    JobStage,
    Order,
    OrderStatus,
    Problems,
    ProductionJob,
    Tailor,
    assign_job,
    defer_job,
    emit,
    judge,
    judging_date,
    required_text,
)
from plugins.tailor_dispatch import dispatch, weights
from plugins.tailor_dispatch.models import DispatchOffer, DispatchSettings, OfferStatus

logger = logging.getLogger("lini.tailor_dispatch")

NAME = "tailor_dispatch"
EXPIRE_TASK = f"{NAME}:expire_offer"
FIELD = "offer_id"
MAX_REASON = 500
MISSED = (OfferStatus.DECLINED, OfferStatus.EXPIRED, OfferStatus.WITHDRAWN)
# Core's refusals that mean the tailor cannot take this job whatever it does: the offer is withdrawn.
CANNOT_TAKE = frozenset({"TAILOR_NOT_APPROVED", "TAILOR_NOT_CERTIFIED", "TAILOR_GARMENT_TYPE", "JOB_CHANGED"})


def _now() -> datetime:
    return datetime.now(UTC)


async def is_ready(job: ProductionJob) -> bool:
    """QUEUED, and its order paid and in production (so its fabric is reserved)."""
    if job.stage != JobStage.QUEUED:
        return False
    status = await Order.filter(id=job.order_id).first().values_list("status", flat=True)
    return status == OrderStatus.IN_PRODUCTION


# --- making offers ------------------------------------------------------------------------------------------


async def offer_next(job_id: int, *, now: datetime | None = None) -> DispatchOffer | None:
    """Offer a ready job without an open offer to its best candidate not yet tried; None when the job is not
    ready, already offered, or waits for staff (no candidate left, or `max_misses` reached: an event says so)."""
    now = now or _now()
    job = await ProductionJob.get_or_none(id=job_id)
    if job is None or not await is_ready(job) or await DispatchOffer.filter(open_job_id=job.id).exists():
        return None
    settings = await weights.settings_of(job.brand_id)
    past = await DispatchOffer.filter(job_id=job.id).values_list("tailor_id", "status")
    tried = {int(tailor_id) for tailor_id, _ in past}
    misses = sum(1 for _, status in past if status in MISSED)
    if misses >= settings.max_misses:
        await _needs_staff(job, misses, "MAX_MISSES", f"{misses} offers went unanswered or were declined.")
        return None
    found = await dispatch.rank(SYSTEM, job.id, now=now)
    roster = found.judged.roster
    best = [int(i) for i in found.order]
    offered = await open_offers([found.tailor_id(i) for i in best])
    for i in best:
        tailor_id = found.tailor_id(i)
        if tailor_id in tried or roster.capacity[i] - roster.active_jobs[i] - offered[tailor_id] <= 0:
            continue
        score = float(found.scores.score[i])
        made = await make_offer(job, tailor_id, score, settings=settings, attempt=len(past) + 1, now=now)
        if made is not None:
            return made
    await _needs_staff(job, misses, "NO_CANDIDATE", "No eligible tailor is left to offer it to.")
    return None


async def open_offers(tailor_ids: Sequence[int]) -> Counter[int]:
    """How many open offers each tailor holds (they count against its free places), in one query."""
    if not tailor_ids:
        return Counter()
    rows = await DispatchOffer.filter(tailor_id__in=list(tailor_ids), status=OfferStatus.OPEN).values_list(
        "tailor_id", flat=True
    )
    return Counter(int(tailor_id) for tailor_id in rows)  # type: ignore[call-overload]


async def make_offer(
    job: ProductionJob,
    tailor_id: int,
    score: float,
    *,
    settings: DispatchSettings,
    attempt: int,
    now: datetime | None = None,
) -> DispatchOffer | None:
    """Write the offer, its event and its expiry job in one transaction; None if the job got an open offer
    meanwhile (the unique `open_job_id` refused this one)."""
    now = now or _now()
    try:
        async with in_transaction():  # a savepoint inside a caller's transaction
            offer = await DispatchOffer.create(
                brand_id=job.brand_id,
                job_id=job.id,
                tailor_id=tailor_id,
                open_job_id=job.id,
                score=score,
                attempt=attempt,
                offered_at=now,
                expires_at=now + timedelta(minutes=settings.offer_minutes),
            )
            await emit("dispatch.offer_made", await _payload(offer), brand_id=job.brand_id, object_key=_key(job.id))
            await defer_job(EXPIRE_TASK, at=offer.expires_at, offer_id=offer.id)
    except IntegrityError:
        return None
    return offer


async def _needs_staff(job: ProductionJob, misses: int, reason: str, detail: str) -> None:
    """Tell the brand's staff that the job waits for them (productionJobAssign, or dispatchBatch again)."""
    payload = {
        "type": "dispatch.job_needs_staff",
        "brand": await _slug(job.brand_id),
        "job": {"id": job.id, "garmentType": job.garment_type_code, "readyBy": _iso(job.ready_by)},
        "misses": misses,
        "reason": reason,
        "detail": detail,
        "occurredAt": _now().isoformat(),
    }
    await emit("dispatch.job_needs_staff", payload, brand_id=job.brand_id, object_key=_key(job.id))


async def staff_job(actor: Actor, job_id: int) -> ProductionJob:
    """A job of a brand the actor manages orders for; NOT_FOUND otherwise (as for a missing id)."""
    job = await ProductionJob.get_or_none(id=job_id)
    if job is None or not actor.can(job.brand_id, weights.PERMISSION):
        raise DomainError("NOT_FOUND", "There is no such production job.", "job_id")
    return job


async def visible_offers(actor: Actor, offer_ids: list[int]) -> list[DispatchOffer]:
    """The offers of `offer_ids` the actor could list: its own tailor profiles' (`myOffers`) and those of jobs of a
    brand it manages orders for (`dispatchOffers`); one query, for `node(id:)`."""
    rows = await DispatchOffer.filter(id__in=offer_ids)
    mine = actor.tailor_ids
    return [row for row in rows if row.tailor_id in mine or actor.can(row.brand_id, weights.PERMISSION)]


# --- the tailor's answers -----------------------------------------------------------------------------------


async def own_offer(actor: Actor, offer_id: int) -> DispatchOffer:
    """One of the actor's tailor profiles' offers; NOT_FOUND for anyone else's (as for a missing id)."""
    offer = await DispatchOffer.get_or_none(id=offer_id, tailor_id__in=list(actor.tailor_ids) or [-1])
    if offer is None:
        raise DomainError("NOT_FOUND", "There is no such offer.", FIELD)
    return offer


def _still_open(offer: DispatchOffer, now: datetime) -> None:
    if offer.status != OfferStatus.OPEN:
        raise DomainError("OFFER_CLOSED", f"The offer is {offer.status.lower()}.", FIELD)
    if offer.expires_at <= now:
        raise DomainError("OFFER_EXPIRED", "The offer has expired.", FIELD)


async def accept(actor: Actor, offer_id: int, *, now: datetime | None = None) -> DispatchOffer:
    """The tailor takes the job: it is assigned and accepted in one transaction, or nothing changes."""
    now = now or _now()
    offer = await own_offer(actor, offer_id)
    _still_open(offer, now)
    job = await ProductionJob.get(id=offer.job_id)
    try:
        async with in_transaction():
            closed = await DispatchOffer.filter(id=offer.id, status=OfferStatus.OPEN).update(
                status=OfferStatus.ACCEPTED, open_job_id=None, decided_at=now
            )
            if not closed:
                raise DomainError("OFFER_CLOSED", "The offer was decided meanwhile.", FIELD)
            await assign_job(
                SYSTEM,
                job.id,
                offer.tailor_id,
                note="Accepted a dispatch offer.",
                judged_on=judging_date(job),
                accepted_by=actor,
            )
            offer.status, offer.open_job_id, offer.decided_at = OfferStatus.ACCEPTED, None, now
            await emit(
                "dispatch.offer_accepted", await _payload(offer), brand_id=offer.brand_id, object_key=_key(job.id)
            )
    except DomainError as refused:
        if refused.code in CANNOT_TAKE:
            await withdraw(offer.id, f"{refused.code}: {refused.message}", now=now)
        raise DomainError(refused.code, refused.message, FIELD) from None
    return offer


async def decline(actor: Actor, offer_id: int, reason: str, *, now: datetime | None = None) -> DispatchOffer:
    """The tailor turns the job down (with a reason staff can read); the next candidate gets an offer."""
    now = now or _now()
    problems = Problems()
    text = required_text(problems, reason, "reason", MAX_REASON, code="INVALID_REASON")
    problems.raise_any()
    offer = await own_offer(actor, offer_id)
    _still_open(offer, now)
    closed = await _close(offer, OfferStatus.DECLINED, text, now=now)
    if closed is None:
        raise DomainError("OFFER_CLOSED", "The offer was decided meanwhile.", FIELD)
    return closed


async def expire(offer_id: int, *, now: datetime | None = None) -> bool:
    """The expiry job: an open offer past its time expires and passes on. False (nothing done) when the offer is
    gone, decided, or not yet due (a job run early, or twice)."""
    now = now or _now()
    offer = await DispatchOffer.get_or_none(id=offer_id)
    if offer is None or offer.status != OfferStatus.OPEN or offer.expires_at > now:
        return False
    return await _close(offer, OfferStatus.EXPIRED, "Not answered in time.", now=now) is not None


async def withdraw(offer_id: int, reason: str, *, now: datetime | None = None, pass_on: bool = True) -> bool:
    """Withdraw an open offer the tailor can no longer take; the next candidate gets one unless `pass_on` is
    False (the job left the queue)."""
    offer = await DispatchOffer.get_or_none(id=offer_id)
    if offer is None or offer.status != OfferStatus.OPEN:
        return False
    return await _close(offer, OfferStatus.WITHDRAWN, reason, now=now or _now(), pass_on=pass_on) is not None


async def withdraw_for_tailor(tailor_id: int, reason: str) -> int:
    """Every open offer of a tailor that can no longer take work (suspended); each passes on."""
    ids = await DispatchOffer.filter(tailor_id=tailor_id, status=OfferStatus.OPEN).values_list("id", flat=True)
    return sum([await withdraw(int(offer_id), reason) for offer_id in ids])  # type: ignore[call-overload]


async def recheck_tailor(tailor_id: int, reason: str) -> int:
    """After a change to a tailor (suspended, a certificate rejected): withdraw each open offer it no longer
    qualifies for by core's rules, judged as the offer was (on the job's ready-by date). Returns how many."""
    rows = await DispatchOffer.filter(tailor_id=tailor_id, status=OfferStatus.OPEN)
    tailor = await Tailor.get_or_none(id=tailor_id)
    withdrawn = 0
    for offer in rows:
        job = await ProductionJob.get(id=offer.job_id)
        brand = await Brand.get(id=job.brand_id)
        judged = await judge(job, brand, [tailor], on=judging_date(job)) if tailor is not None else []
        if not judged or not judged[0].passes():
            withdrawn += await withdraw(offer.id, reason)
    return withdrawn


async def withdraw_for_job(job_id: int, reason: str) -> int:
    """The job left the queue some other way (staff assigned it by hand, the order was cancelled)."""
    ids = await DispatchOffer.filter(job_id=job_id, status=OfferStatus.OPEN).values_list("id", flat=True)
    return sum([await withdraw(int(offer_id), reason, pass_on=False) for offer_id in ids])  # type: ignore[call-overload]


async def _close(
    offer: DispatchOffer, status: OfferStatus, reason: str, *, now: datetime, pass_on: bool = True
) -> DispatchOffer | None:
    """Close an open offer (conditionally: of two closers one wins) and offer the job on, in one transaction."""
    async with in_transaction():
        closed = await DispatchOffer.filter(id=offer.id, status=OfferStatus.OPEN).update(
            status=status, open_job_id=None, decided_at=now, reason=reason
        )
        if not closed:
            return None
        offer.status, offer.open_job_id, offer.decided_at, offer.reason = status, None, now, reason
        kind = {OfferStatus.DECLINED: "declined", OfferStatus.EXPIRED: "expired"}.get(status, "withdrawn")
        await emit(
            f"dispatch.offer_{kind}", await _payload(offer), brand_id=offer.brand_id, object_key=_key(offer.job_id)
        )
        if pass_on:
            await offer_next(offer.job_id, now=now)
    return offer


# --- what events carry --------------------------------------------------------------------------------------


def _key(job_id: int) -> str:
    return f"job:{job_id}"


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


async def _slug(brand_id: int) -> str | None:
    return await Brand.filter(id=brand_id).first().values_list("slug", flat=True)  # type: ignore[return-value]


async def _payload(offer: DispatchOffer) -> dict[str, Any]:
    """The offer for a tailor's messaging plugin or the brand's webhook: who, which garment, until when."""
    job = await ProductionJob.get(id=offer.job_id)
    return {
        "brand": await _slug(offer.brand_id),
        "offer": {
            "id": offer.id,
            "status": str(offer.status),
            "tailorId": offer.tailor_id,
            "attempt": offer.attempt,
            "offeredAt": _iso(offer.offered_at),
            "expiresAt": _iso(offer.expires_at),
            "decidedAt": _iso(offer.decided_at),
            "reason": offer.reason,
        },
        "job": {"id": job.id, "garmentType": job.garment_type_code, "readyBy": _iso(job.ready_by)},
        "occurredAt": _now().isoformat(),
    }
