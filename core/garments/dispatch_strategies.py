"""Dispatch strategies: how the tailors who may make a job are ordered, whoever provides the ordering.

A strategy is provided through the `dispatch_strategies` hook; several can be installed side by side and each
brand chooses one by name (the tailor_dispatch plugin keeps the choice in `dispatchSettings`). Who may make a job
is never a strategy's business: core judges it (`core.garments.candidates`) and a strategy only scores. It scores
every tailor of the roster at once, as vectors (a thousand tailors in a few milliseconds), and says what each of
its terms was, so `dispatchExplain` shows staff the very numbers the ranking used. The order itself is made here,
the same for every strategy: eligible tailors by score, best first, equal scores by tailor id.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from core.garments.candidates import Judged, TrackTable
from core.plugins import PluginError

if TYPE_CHECKING:  # numpy is imported by the functions using it: ~40 ms and ~20 MB at start-up
    import numpy as np
    from numpy.typing import NDArray


@dataclass(frozen=True, slots=True)
class DispatchContext:
    """What a strategy scores with: the judged roster (`judged.roster`, columns by tailor, and `judged.job`),
    the tailors' track records aligned with it, the brand's weights by term code (a strategy may ignore them),
    the brand's workshop (latitude, longitude) if it gave one, and the time of the ranking."""

    judged: Judged
    history: TrackTable
    weights: Mapping[str, float]
    origin: tuple[float, float] | None
    now: datetime


@dataclass(frozen=True, slots=True)
class Scores:
    """A strategy's answer. `values[k, i]` is term k (named `terms[k]`) for tailor i, from 0 (worst) to 1 (best);
    `weights[k]` its weight; `score[i]` tailor i's score, from 0 to 1. `detail(k, i)` says in words where
    term k of tailor i came from; it is asked only when someone reads the explanation."""

    terms: tuple[str, ...]
    values: NDArray[np.float64]  # (terms, tailors)
    weights: NDArray[np.float64]  # (terms,)
    score: NDArray[np.float64]  # (tailors,)
    detail: Callable[[int, int], str]


@runtime_checkable
class DispatchStrategy(Protocol):
    """A way of ranking tailors. `name` is what a brand chooses it by (upper case, e.g. "WEIGHTED"),
    `description` one sentence for staff; `score` is called once per ranking with every approved tailor."""

    @property
    def name(self) -> str: ...

    @property
    def description(self) -> str: ...

    def score(self, context: DispatchContext) -> Scores: ...


def strategies_by_name(strategies: list[DispatchStrategy]) -> dict[str, DispatchStrategy]:
    """The strategies by name; two providers of one name are refused (the first would silently win)."""
    found: dict[str, DispatchStrategy] = {}
    for provided in strategies:
        if not isinstance(provided, DispatchStrategy):
            raise PluginError(f"{provided!r} does not implement DispatchStrategy (name, description, score)")
        if provided.name in found:
            raise PluginError(f"two dispatch strategies are named {provided.name!r}")
        found[provided.name] = provided
    return found


def weighted_mean(values: NDArray[np.float64], weights: NDArray[np.float64]) -> NDArray[np.float64]:
    """Σ weightₖ × valueₖ / Σ weightₖ for each tailor; 0 when every weight is 0."""
    import numpy as np

    total = float(weights.sum())
    if total <= 0:
        return np.zeros(values.shape[1], dtype=np.float64)
    return np.asarray(weights @ values / total, dtype=np.float64)


def ranked(judged: Judged, scores: Scores) -> NDArray[np.intp]:
    """The eligible tailors' roster indexes, best score first, equal scores by tailor id."""
    import numpy as np

    eligible = np.flatnonzero(judged.eligible)
    if len(scores.score) != len(judged.roster):
        raise PluginError(f"a dispatch strategy scored {len(scores.score)} of {len(judged.roster)} tailors")
    order = np.lexsort((judged.roster.ids[eligible], -scores.score[eligible]))
    return eligible[order]
