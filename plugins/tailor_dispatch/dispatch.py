"""Ranking a queued job's candidates: core judges who may make it, the brand's strategy orders those who may.

The roster is read as plain values in a fixed number of statements whatever the number of tailors (core's
`judged_roster` and `track_table`), the strategy scores it as vectors, and core's `ranked` orders it. The offers
use the order; `dispatchExplain` keeps every approved tailor (eligible ones ranked first, the others after them by
id, each with the filters it failed) and reads each term's words from the same vectors, so staff see why a tailor
is missing from the top, with the numbers the ranking used.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from lini.plugin import (
    Actor,
    DispatchContext,
    DispatchStrategy,
    Judged,
    Scores,
    TrackTable,
    judged_roster,
    ranked,
    track_table,
)
from plugins.tailor_dispatch import prices, scoring, strategies, weights
from plugins.tailor_dispatch.models import DispatchSettings

if TYPE_CHECKING:  # numpy is imported by the functions using it: ~40 ms and ~20 MB at start-up
    import numpy as np
    from numpy.typing import NDArray


@dataclass(frozen=True, slots=True)
class Ranking:
    judged: Judged
    strategy: DispatchStrategy
    scores: Scores
    order: NDArray[np.intp]  # eligible roster indexes, best first

    @property
    def excluded(self) -> NDArray[np.intp]:
        """The tailors failing at least one filter, by id."""
        import numpy as np

        return np.flatnonzero(~self.judged.eligible)

    def tailor_id(self, i: int) -> int:
        return int(self.judged.roster.ids[i])


def score(
    judged: Judged,
    history: TrackTable,
    settings: DispatchSettings,
    *,
    now: datetime | None = None,
    asked: NDArray[np.float64] | None = None,
) -> tuple[DispatchStrategy, Scores]:
    """The brand's strategy's scores for a judged roster (UNKNOWN_STRATEGY if it is not installed); `asked` are
    the tailors' prices for the job in the brand's default currency (`prices.column`), none known when omitted."""
    strategy = strategies.chosen(settings.strategy)
    context: DispatchContext = scoring.PricedContext(
        judged=judged,
        history=history,
        weights=weights.weights_of(settings),
        origin=scoring.origin_of(settings),
        now=now or scoring.now(),
        prices=asked,
        currency=judged.brand.default_currency,
    )
    return strategy, strategy.score(context)


async def asked_for(judged: Judged) -> NDArray[np.float64]:
    """The roster's prices for the judged job's garment type in its brand's default currency (one query)."""
    return await prices.column(judged.roster.ids, judged.job.garment_type_code, judged.brand.default_currency)


async def rank(actor: Actor, job_id: int, *, now: datetime | None = None) -> Ranking:
    """Every approved tailor for a queued job, judged and scored (staff of the job's brand, or SYSTEM)."""
    judged = await judged_roster(actor, job_id)
    settings = await weights.settings_of(judged.brand.id)
    history = await track_table(judged.roster.ids.tolist(), last=settings.history_jobs)
    strategy, scores = score(judged, history, settings, now=now, asked=await asked_for(judged))
    return Ranking(judged=judged, strategy=strategy, scores=scores, order=ranked(judged, scores))
