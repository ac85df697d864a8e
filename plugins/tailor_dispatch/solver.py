"""Placing many jobs at once: which job goes to which tailor's free place, maximising the total score.

A tailor with k free places has k slots; its i-th slot scores its score with the LOAD term taken after i more
jobs (so the batch spreads work the way the single-job ranking would). A job may take a slot of any tailor it is
eligible for; each slot takes one job. The solver maximises the sum of the scores of the slots taken.

- Up to SOLVER_MAX_JOBS jobs: SciPy's `linear_sum_assignment` (the Hungarian method, exact) over the slots. Only
  the top-n eligible slots of each kind of job can be in some optimal answer (a job placed lower has one of its
  top n free, n − 1 other jobs being placed), so the matrix keeps those columns only: 500 jobs over 1,000
  tailors (≈ 3,000 slots) solve in ≈ 0.4 s instead of 1.5 s, with the same optimum.
- Past it: greedy by due date (earliest `readyBy` first, then job id), each job taking the best free slot it is
  eligible for. The exact solver grows much faster than the jobs (800 jobs: ≈ 3 s) and a backlog that large
  is better served first-due-first. `bench/dispatch.py` measures both and checks the solver's total ≥ greedy's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # numpy is imported by the functions using it: ~40 ms and ~20 MB at start-up
    import numpy as np
    from numpy.typing import NDArray


SOLVER_MAX_JOBS = 400


class Method(StrEnum):
    LINEAR_SUM_ASSIGNMENT = "LINEAR_SUM_ASSIGNMENT"
    GREEDY_BY_DUE_DATE = "GREEDY_BY_DUE_DATE"


@dataclass(frozen=True, slots=True)
class Problem:
    """`kinds[j]` names job j's row of `eligible` (jobs of one garment type and due date share one: they pass
    the same filters); `due[j]` orders the greedy; `slot_tailor[s]`/`slot_score[s]` describe each slot."""

    kinds: NDArray[np.intp]  # (jobs,)
    eligible: NDArray[np.bool_]  # (kinds, tailors)
    due: Sequence[tuple[int, int]]  # (ordinal of ready-by or a large number, job id) per job
    slot_tailor: NDArray[np.intp]  # (slots,)
    slot_score: NDArray[np.float64]  # (slots,)


@dataclass(frozen=True, slots=True)
class Solution:
    method: Method
    tailor_of: list[int | None]  # per job: the tailor index, or None when no slot was left for it
    score_of: list[float]
    total: float


def slots(
    capacity_left: Sequence[int], score: Sequence[float], load_step: Sequence[float]
) -> tuple[NDArray[np.intp], NDArray[np.float64]]:
    """Each tailor's free places as slots, the i-th scoring `score − i × load_step` (the LOAD term falling)."""
    import numpy as np

    left = np.maximum(np.asarray(capacity_left, dtype=np.intp), 0)
    tailor = np.repeat(np.arange(len(left), dtype=np.intp), left)
    starts = np.cumsum(left) - left
    index = np.arange(len(tailor)) - np.repeat(starts, left)
    values = np.asarray(score, dtype=np.float64)[tailor] - index * np.asarray(load_step, dtype=np.float64)[tailor]
    return tailor, values


def solve(problem: Problem, *, method: Method | None = None) -> Solution:
    chosen = method or (
        Method.LINEAR_SUM_ASSIGNMENT if len(problem.kinds) <= SOLVER_MAX_JOBS else Method.GREEDY_BY_DUE_DATE
    )
    if chosen == Method.LINEAR_SUM_ASSIGNMENT:
        return _assignment(problem)
    return _greedy(problem)


def _result(method: Method, problem: Problem, taken: dict[int, int]) -> Solution:
    tailor_of: list[int | None] = [None] * len(problem.kinds)
    score_of = [0.0] * len(problem.kinds)
    for job, slot in taken.items():
        tailor_of[job] = int(problem.slot_tailor[slot])
        score_of[job] = float(problem.slot_score[slot])
    return Solution(method=method, tailor_of=tailor_of, score_of=score_of, total=float(sum(score_of)))


def _assignment(problem: Problem) -> Solution:
    import numpy as np

    jobs = len(problem.kinds)
    if jobs == 0 or len(problem.slot_tailor) == 0:
        return _result(Method.LINEAR_SUM_ASSIGNMENT, problem, {})
    open_to = problem.eligible[:, problem.slot_tailor]  # (kinds, slots)
    keep: set[int] = set()
    for kind in np.unique(problem.kinds):
        candidates = np.flatnonzero(open_to[kind])
        best = candidates[np.argsort(-problem.slot_score[candidates], kind="stable")[:jobs]]
        keep.update(best.tolist())
    if not keep:
        return _result(Method.LINEAR_SUM_ASSIGNMENT, problem, {})
    columns = np.fromiter(sorted(keep), dtype=np.intp)
    gain = np.where(open_to[problem.kinds][:, columns], problem.slot_score[columns][None, :], 0.0)
    # imported on the first batch, not with the plugin: scipy.optimize is ~300 ms and ~55 MB of every process
    from scipy.optimize import linear_sum_assignment

    rows, cols = linear_sum_assignment(gain, maximize=True)
    taken = {int(r): int(columns[c]) for r, c in zip(rows, cols, strict=True) if gain[r, c] > 0}
    return _result(Method.LINEAR_SUM_ASSIGNMENT, problem, taken)


def _greedy(problem: Problem) -> Solution:
    """Earliest due first; each job takes the best next slot of a tailor it may work for."""
    import numpy as np

    tailors = problem.eligible.shape[1]
    # slots are laid out tailor by tailor, best first: a tailor's next slot is its first unused one
    first = np.full(tailors, len(problem.slot_tailor), dtype=np.intp)
    last = np.zeros(tailors, dtype=np.intp)
    if len(problem.slot_tailor):
        starts = np.flatnonzero(np.r_[True, problem.slot_tailor[1:] != problem.slot_tailor[:-1]])
        owners = problem.slot_tailor[starts]
        first[owners] = starts
        last[owners] = np.r_[starts[1:], len(problem.slot_tailor)]
    nxt = first.copy()
    current = np.full(tailors, -np.inf)
    has = nxt < last
    current[has] = problem.slot_score[nxt[has]]
    taken: dict[int, int] = {}
    for job in sorted(range(len(problem.kinds)), key=lambda j: problem.due[j]):
        row = np.where(problem.eligible[problem.kinds[job]], current, -np.inf)
        best = int(np.argmax(row))
        if not np.isfinite(row[best]) or row[best] <= 0:
            continue
        taken[job] = int(nxt[best])
        nxt[best] += 1
        current[best] = problem.slot_score[nxt[best]] if nxt[best] < last[best] else -np.inf
    return _result(Method.GREEDY_BY_DUE_DATE, problem, taken)
