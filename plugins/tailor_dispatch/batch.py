"""`dispatchBatch`: offer a brand's backlog of ready jobs at once, maximising the total score under capacities.

Eligibility is core's (`judge`), asked once per kind of job (garment type and ready-by date: jobs of one kind pass
the same filters), so the queries grow with the kinds, not the jobs. Scores are the single-job ranking's (a
tailor's terms do not depend on the job). A tailor's free places are its capacity less its active jobs and its
open offers; `solver` places jobs in them. Each placement becomes an ordinary offer (exclusive, expiring, passed
on when declined), so a batch never assigns by itself: the tailors still accept.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

import numpy as np
from tortoise.transactions import in_transaction

from lini.plugin import (
    Actor,
    ActorStatus,
    Brand,
    Candidate,
    DomainError,
    JobStage,
    Order,
    OrderStatus,
    ProductionJob,
    Tailor,
    judge,
    judging_date,
    track_records,
)
from plugins.tailor_dispatch import scoring, weights
from plugins.tailor_dispatch.models import DispatchOffer, OfferStatus
from plugins.tailor_dispatch.offers import make_offer, open_offers
from plugins.tailor_dispatch.solver import Method, Problem, slots, solve

FAR_FUTURE = date.max.toordinal()


class Unplaced(StrEnum):
    NOT_QUEUED = "NOT_QUEUED"  # assigned, cancelled or done
    NOT_PAID = "NOT_PAID"  # its order is not in production yet
    ALREADY_OFFERED = "ALREADY_OFFERED"  # an offer is open: it answers first
    NO_CANDIDATE = "NO_CANDIDATE"  # no approved tailor passes every filter
    NO_FREE_PLACE = "NO_FREE_PLACE"  # eligible tailors exist, but their places went to other jobs of the batch


@dataclass(frozen=True, slots=True)
class Placed:
    job: ProductionJob
    offer: DispatchOffer


@dataclass(frozen=True, slots=True)
class Left:
    job: ProductionJob
    reason: Unplaced
    detail: str


@dataclass(frozen=True, slots=True)
class BatchResult:
    method: Method
    placed: list[Placed]
    unplaced: list[Left]
    total_score: float


async def backlog(brand: Brand, job_ids: Sequence[int] | None, *, limit: int) -> list[ProductionJob]:
    """The jobs asked for (each must be the brand's: NOT_FOUND otherwise, as for a missing id), or the brand's
    queued jobs of orders in production without an open offer, earliest due first, at most `limit`."""
    if job_ids is not None:
        if len(job_ids) > limit:
            raise DomainError("TOO_MANY_JOBS", f"At most {limit} jobs per batch.", "job_ids")
        found = {job.id: job for job in await ProductionJob.filter(brand_id=brand.id, id__in=list(job_ids))}
        missing = [i for i, job_id in enumerate(job_ids) if job_id not in found]
        if missing:
            raise DomainError("NOT_FOUND", "There is no such production job.", f"job_ids.{missing[0]}")
        return [found[job_id] for job_id in dict.fromkeys(job_ids)]
    offered = DispatchOffer.filter(brand_id=brand.id, status=OfferStatus.OPEN).values("job_id")
    return list(
        await ProductionJob.filter(brand_id=brand.id, stage=JobStage.QUEUED, order__status=OrderStatus.IN_PRODUCTION)
        .exclude(id__in=offered)
        .order_by("ready_by", "id")
        .limit(limit)
    )


async def run(actor: Actor, brand: Brand, job_ids: Sequence[int] | None, *, limit: int) -> BatchResult:
    actor.require(brand.id, weights.PERMISSION)
    jobs = await backlog(brand, job_ids, limit=limit)
    left: list[Left] = []
    paid = set(
        await Order.filter(id__in=[job.order_id for job in jobs], status=OrderStatus.IN_PRODUCTION).values_list(
            "id", flat=True
        )
    )
    open_jobs = set(
        await DispatchOffer.filter(job_id__in=[job.id for job in jobs], status=OfferStatus.OPEN).values_list(
            "job_id", flat=True
        )
    )
    ready = []
    for job in jobs:
        if job.stage != JobStage.QUEUED:
            left.append(Left(job, Unplaced.NOT_QUEUED, f"The job is {job.stage}."))
        elif job.order_id not in paid:
            left.append(Left(job, Unplaced.NOT_PAID, "Its order is not paid and in production yet."))
        elif job.id in open_jobs:
            left.append(Left(job, Unplaced.ALREADY_OFFERED, "An open offer waits for its tailor's answer."))
        else:
            ready.append(job)
    method, placements = await _place(brand, ready)
    placed: list[Placed] = []
    settings = await weights.settings_of(brand.id)
    async with in_transaction():
        for job, found in zip(ready, placements, strict=True):
            if isinstance(found, Left):
                left.append(found)
                continue
            tailor_id, score, attempt = found
            offer = await make_offer(job, tailor_id, score, settings=settings, attempt=attempt)
            if offer is None:
                left.append(Left(job, Unplaced.ALREADY_OFFERED, "It was offered meanwhile."))
            else:
                placed.append(Placed(job, offer))
    return BatchResult(method=method, placed=placed, unplaced=left, total_score=sum(p.offer.score for p in placed))


async def _place(brand: Brand, jobs: list[ProductionJob]) -> tuple[Method, list[tuple[int, float, int] | Left]]:
    """For each job (tailor id, score, attempt) or why it is left out."""
    if not jobs:
        return Method.LINEAR_SUM_ASSIGNMENT, []
    settings = await weights.settings_of(brand.id)
    chosen = weights.weights_of(settings)
    tailors = await Tailor.filter(status=ActorStatus.APPROVED).order_by("id")
    kinds: dict[tuple[str, date | None], int] = {}
    rows = []
    active: dict[int, int] = {}
    for job in jobs:
        key = (job.garment_type_code, job.ready_by)
        if key not in kinds:
            kinds[key] = len(kinds)
            judged = await judge(job, brand, tailors, on=judging_date(job))
            rows.append([c.passes() for c in judged])
            active = {c.tailor.id: c.active_jobs for c in judged}
    eligible = np.array(rows, dtype=np.bool_)
    # Tailors already offered a job (and who missed it) are not offered it again.
    tried = set(await DispatchOffer.filter(job_id__in=[j.id for j in jobs]).values_list("job_id", "tailor_id"))
    attempts: dict[int, int] = {}
    for job_id, _ in tried:
        attempts[job_id] = attempts.get(job_id, 0) + 1
    anywhere = [bool(ok) for ok in np.asarray(eligible.any(axis=0)).ravel()]
    wanted = [t.id for t, ok in zip(tailors, anywhere, strict=True) if ok]
    records = await track_records(wanted, last=settings.history_jobs)
    offered = await open_offers(wanted)
    origin = scoring.origin_of(settings)
    total_weight = sum((chosen.quality, chosen.on_time, chosen.load, chosen.distance, chosen.rotation))
    score, step, left_places = [], [], []
    for tailor in tailors:
        if tailor.id not in records:  # eligible for no job of the batch
            score.append(0.0)
            step.append(0.0)
            left_places.append(0)
            continue
        candidate = Candidate(tailor=tailor, active_jobs=active.get(tailor.id, 0))
        score.append(scoring.score(scoring.terms(candidate, records[tailor.id], chosen, origin=origin)))
        step.append(chosen.load / tailor.capacity / total_weight if tailor.capacity and total_weight else 0.0)
        left_places.append(tailor.capacity - active.get(tailor.id, 0) - offered[tailor.id])
    slot_tailor, slot_score = slots(left_places, score, step)
    kind_of = np.array([kinds[(job.garment_type_code, job.ready_by)] for job in jobs], dtype=np.intp)
    if tried:  # a job's own row when someone of its kind was tried already
        eligible, kind_of = _without_tried(eligible, kind_of, jobs, tailors, tried)
    problem = Problem(
        kinds=kind_of,
        eligible=eligible,
        due=[(job.ready_by.toordinal() if job.ready_by else FAR_FUTURE, job.id) for job in jobs],
        slot_tailor=slot_tailor,
        slot_score=slot_score,
    )
    solution = solve(problem)
    out: list[tuple[int, float, int] | Left] = []
    for j, job in enumerate(jobs):
        index = solution.tailor_of[j]
        if index is not None:
            out.append((tailors[index].id, solution.score_of[j], attempts.get(job.id, 0) + 1))
        elif not eligible[kind_of[j]].any():
            out.append(Left(job, Unplaced.NO_CANDIDATE, "No approved tailor passes every filter for it."))
        else:
            out.append(Left(job, Unplaced.NO_FREE_PLACE, "Its eligible tailors' free places went to other jobs."))
    return solution.method, out


def _without_tried(
    eligible: np.ndarray,
    kind_of: np.ndarray,
    jobs: list[ProductionJob],
    tailors: list[Tailor],
    tried: set[tuple[int, int]],
) -> tuple[np.ndarray, np.ndarray]:
    column = {t.id: i for i, t in enumerate(tailors)}
    rows = [eligible]
    kind_of = kind_of.copy()
    by_job: dict[int, list[int]] = {}
    for job_id, tailor_id in tried:
        if tailor_id in column:
            by_job.setdefault(job_id, []).append(column[tailor_id])
    extra = len(eligible)
    for j, job in enumerate(jobs):
        if job.id in by_job:
            row = eligible[kind_of[j]].copy()
            row[by_job[job.id]] = False
            rows.append(row[None, :])
            kind_of[j] = extra
            extra += 1
    return np.vstack(rows), kind_of
