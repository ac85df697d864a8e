"""The batch solver: exact under its size limit (never below greedy), greedy by due date past it, and never more
jobs to a tailor than its free places."""

from __future__ import annotations

import numpy as np
import pytest

from plugins.tailor_dispatch.solver import SOLVER_MAX_JOBS, Method, Problem, slots, solve

pytestmark = pytest.mark.engine_independent


def problem(eligible: list[list[bool]], places: list[int], scores: list[float], due: list[int]) -> Problem:
    slot_tailor, slot_score = slots(places, scores, [0.0] * len(places))
    return Problem(
        kinds=np.arange(len(eligible), dtype=np.intp),
        eligible=np.array(eligible, dtype=np.bool_),
        due=[(d, j) for j, d in enumerate(due)],
        slot_tailor=slot_tailor,
        slot_score=slot_score,
    )


def test_the_solver_beats_greedy_where_greedy_takes_the_wrong_place_first():
    # Job 0 is due first and may go to either tailor; job 1 only to the best one. Greedy gives job 0 the best
    # tailor and leaves job 1 out; the exact solver places both.
    given = problem([[True, True], [True, False]], places=[1, 1], scores=[0.9, 0.6], due=[1, 2])

    greedy = solve(given, method=Method.GREEDY_BY_DUE_DATE)
    exact = solve(given)

    assert exact.method == Method.LINEAR_SUM_ASSIGNMENT
    assert greedy.tailor_of == [0, None]
    assert exact.tailor_of == [1, 0]
    assert exact.total == pytest.approx(1.5) and exact.total > greedy.total


def test_slots_fall_with_load_and_capacity_is_never_exceeded():
    tailor, score = slots([3, 0, 1], [0.8, 0.9, 0.5], [0.1, 0.1, 0.1])
    assert tailor.tolist() == [0, 0, 0, 2]
    assert score.tolist() == pytest.approx([0.8, 0.7, 0.6, 0.5])
    rng = np.random.default_rng(7)
    eligible = rng.random((60, 12)) < 0.5
    places = rng.integers(0, 4, 12).tolist()
    slot_tailor, slot_score = slots(places, rng.random(12).tolist(), [0.01] * 12)
    given = Problem(
        kinds=np.arange(60, dtype=np.intp),
        eligible=eligible,
        due=[(int(d), j) for j, d in enumerate(rng.integers(0, 30, 60))],
        slot_tailor=slot_tailor,
        slot_score=slot_score,
    )
    for method in Method:
        found = solve(given, method=method)
        taken = [t for t in found.tailor_of if t is not None]
        assert all(taken.count(t) <= places[t] for t in set(taken))
        assert all(eligible[j, t] for j, t in enumerate(found.tailor_of) if t is not None)
    assert (
        solve(given, method=Method.LINEAR_SUM_ASSIGNMENT).total >= solve(given, method=Method.GREEDY_BY_DUE_DATE).total
    )


def test_past_the_limit_it_is_greedy():
    size = SOLVER_MAX_JOBS + 1
    given = problem([[True]] * size, places=[2], scores=[0.5], due=list(range(size)))
    found = solve(given)
    assert found.method == Method.GREEDY_BY_DUE_DATE
    assert found.tailor_of[:3] == [0, 0, None]  # the two earliest due
