"""A second dispatch strategy, from a plugin of its own that imports only `lini.plugin`: the most experienced
tailor first (its finished jobs n scored n / (n + 1)), the way a brand that wants proven hands would rank."""

from __future__ import annotations

import numpy as np

from lini.plugin import DispatchContext, DispatchStrategy, PluginHost, Scores, hookimpl


class MostExperienced:
    name = "MOST_EXPERIENCED"
    description = "The tailor with the most finished jobs first."

    def score(self, context: DispatchContext) -> Scores:
        jobs = context.history.jobs
        values = (jobs / (jobs + 1.0))[None, :]
        return Scores(
            terms=("EXPERIENCE",),
            values=values,
            weights=np.ones(1),
            score=values[0],
            detail=lambda k, i: f"{jobs[i]} finished jobs.",
        )


class ExperiencePlugin:
    @hookimpl
    def dispatch_strategies(self, host: PluginHost) -> list[DispatchStrategy]:
        return [MostExperienced()]
