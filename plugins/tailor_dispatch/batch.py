"""`dispatchBatch`: offer a brand's backlog of ready jobs at once, maximising the total score under capacities.

Eligibility is core's (`judge_roster` over one read of the roster), asked once per kind of job (garment type
and ready-by date: jobs of one kind pass the same filters), so the queries grow with the judging dates, not the
jobs. Scores are the single-job ranking's (a
tailor's terms do not depend on the job). A tailor's free places are its capacity less its active jobs and its
open offers; `solver` places jobs in them. Each placement becomes an ordinary offer (exclusive, expiring, passed
on when declined), so a batch never assigns by itself: the tailors still accept.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise.transactions import in_transaction

from lini.plugin import (
    Actor,
    Brand,
    DomainError,
    JobStage,
    Order,
    OrderStatus,
    ProductionJob,
    approved_roster,
    certified_in_roster,
    judge_roster,
    judging_date,
    track_table,
)
from plugins.tailor_dispatch import dispatch, weights
from plugins.tailor_dispatch.models import DispatchOffer, OfferStatus
from plugins.tailor_dispatch.offers import make_offer, open_offers
from plugins.tailor_dispatch.solver import Method, Problem, slots, solve

if TYPE_CHECKING:  # numpy is imported by the functions using it: ~40 ms and ~20 MB at start-up
    import numpy as np

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
    """For each job (tailor id, score, attempt) or why it is left out.

    The roster is read once; each kind of job (garment type and ready-by date) is judged against it as vectors,
    certificates once per distinct judging date. The brand's strategy scores the roster once, with the batch's
    earliest-due job (the built-in strategy's scores depend on the job only through PRICE, whose prices are
    that job's garment type's: a batch mixing garment types compares prices of the first one)."""
    import numpy as np

    if not jobs:
        return Method.LINEAR_SUM_ASSIGNMENT, []
    settings = await weights.settings_of(brand.id)
    roster = await approved_roster()
    kinds: dict[tuple[str, date | None], int] = {}
    rows = []
    holds: dict[date, np.ndarray] = {}
    first = None
    for job in jobs:
        key = (job.garment_type_code, job.ready_by)
        if key not in kinds:
            kinds[key] = len(kinds)
            on = judging_date(job)
            if on not in holds:
                holds[on] = await certified_in_roster(roster, on)
            judged = judge_roster(job, brand, roster, holds[on], on=on)
            first = first or judged
            rows.append(judged.eligible)
    assert first is not None
    eligible = np.array(rows, dtype=np.bool_)
    # Tailors already offered a job (and who missed it) are not offered it again.
    tried = set(await DispatchOffer.filter(job_id__in=[j.id for j in jobs]).values_list("job_id", "tailor_id"))
    attempts: dict[int, int] = {}
    for job_id, _ in tried:
        attempts[job_id] = attempts.get(job_id, 0) + 1
    anywhere = np.asarray(eligible.any(axis=0)).ravel()
    ids = roster.ids.tolist()
    wanted = [ids[i] for i in np.flatnonzero(anywhere)]
    history = await track_table(ids, last=settings.history_jobs)
    offered = await open_offers(wanted)
    _, scores = dispatch.score(first, history, settings, asked=await dispatch.asked_for(first))
    # The i-th further job of a tailor lowers its LOAD term by one place (when the strategy has one).
    load = scores.terms.index("LOAD") if "LOAD" in scores.terms else None
    total_weight = float(scores.weights.sum())
    capacity = roster.capacity.astype(np.float64)
    if load is not None and total_weight > 0:
        step = np.divide(scores.weights[load], capacity * total_weight, out=np.zeros(len(roster)), where=capacity > 0)
    else:
        step = np.zeros(len(roster))
    open_now = np.fromiter((offered[t] for t in ids), dtype=np.int64, count=len(ids))
    places = np.where(anywhere, roster.capacity - roster.active_jobs - open_now, 0)
    slot_tailor, slot_score = slots(places.tolist(), np.where(anywhere, scores.score, 0.0).tolist(), step.tolist())
    kind_of = np.array([kinds[(job.garment_type_code, job.ready_by)] for job in jobs], dtype=np.intp)
    if tried:  # a job's own row when someone of its kind was tried already
        eligible, kind_of = _without_tried(eligible, kind_of, jobs, ids, tried)
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
            out.append((ids[index], solution.score_of[j], attempts.get(job.id, 0) + 1))
        elif not eligible[kind_of[j]].any():
            out.append(Left(job, Unplaced.NO_CANDIDATE, "No approved tailor passes every filter for it."))
        else:
            out.append(Left(job, Unplaced.NO_FREE_PLACE, "Its eligible tailors' free places went to other jobs."))
    return solution.method, out


def _without_tried(
    eligible: np.ndarray,
    kind_of: np.ndarray,
    jobs: list[ProductionJob],
    tailor_ids: list[int],
    tried: set[tuple[int, int]],
) -> tuple[np.ndarray, np.ndarray]:
    import numpy as np

    column = {tailor_id: i for i, tailor_id in enumerate(tailor_ids)}
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
