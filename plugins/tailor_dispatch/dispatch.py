"""Ranking a queued job's candidates: core judges who may make it, this plugin's score orders those who may.

`explain` keeps every approved tailor (eligible ones ranked first, the others after them by id, each with the
filters it failed) so staff see why a tailor is missing from the top, not only who is at it. Loaded in a fixed
number of queries whatever the number of tailors.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from lini.plugin import Actor, ProductionJob, candidates, track_records
from plugins.tailor_dispatch import scoring, weights
from plugins.tailor_dispatch.scoring import Scored


@dataclass(frozen=True, slots=True)
class Explanation:
    job: ProductionJob
    judged_on: date
    weights: weights.Weights
    ranked: list[Scored]  # eligible, best first
    excluded: list[Scored]  # failing at least one filter, by tailor id


async def explain(actor: Actor, job_id: int) -> Explanation:
    pool = await candidates(actor, job_id)
    settings = await weights.settings_of(pool.brand.id)
    chosen = weights.weights_of(settings)
    origin = scoring.origin_of(settings)
    records = await track_records([c.tailor.id for c in pool.candidates], last=settings.history_jobs)
    scored = []
    for candidate in pool.candidates:
        values = scoring.terms(candidate, records[candidate.tailor.id], chosen, origin=origin)
        scored.append(Scored(candidate=candidate, terms=values, score=scoring.score(values)))
    return Explanation(
        job=pool.job,
        judged_on=pool.judged_on,
        weights=chosen,
        ranked=scoring.rank([s for s in scored if s.candidate.passes()]),
        excluded=[s for s in scored if not s.candidate.passes()],
    )
