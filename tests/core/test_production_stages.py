"""The production stage machine on its own: every move, who may make it, through which operation, and the
remark a move is recorded with."""

from __future__ import annotations

from itertools import pairwise
from types import SimpleNamespace
from typing import Any

import pytest

from core.errors import DomainError, DomainErrors
from core.garments.models import JobStage
from core.garments.stages import (
    ACTIVE,
    MOVES,
    OPEN,
    UNCUT,
    Operation,
    Role,
    check,
    next_stages,
    role_for,
    roles_of,
    validated_remark,
)

pytestmark = pytest.mark.engine_independent
J = JobStage
PATH = [J.ACCEPTED, J.CUTTING, J.SEWING, J.FINISHING, J.QUALITY_CHECK]


@pytest.mark.parametrize(("source", "target"), list(pairwise(PATH)))
def test_the_tailor_makes_the_garment_one_stage_at_a_time(source, target):
    assert check(source, target, Role.TAILOR, Operation.ADVANCE).operation == Operation.ADVANCE
    with pytest.raises(DomainError) as refused:
        check(source, target, Role.STAFF, Operation.ADVANCE)
    assert refused.value.code == "TRANSITION_NOT_ALLOWED"


@pytest.mark.parametrize(
    ("source", "target"),
    [
        (J.QUEUED, J.ACCEPTED),
        (J.ASSIGNED, J.CUTTING),
        (J.ACCEPTED, J.SEWING),
        (J.CUTTING, J.QUALITY_CHECK),
        (J.FINISHING, J.READY),
        (J.QUALITY_CHECK, J.SHIPPED),
        (J.ALTERATION, J.READY),
        (J.SHIPPED, J.CANCELLED),
        (J.CANCELLED, J.QUEUED),
        (J.REMADE, J.QUALITY_CHECK),
    ],
)
def test_no_stage_is_skipped_and_final_stages_stay_final(source, target):
    for role in Role:
        with pytest.raises(DomainError) as refused:
            check(source, target, role, Operation.ADVANCE)
        assert refused.value.code == "INVALID_TRANSITION"


@pytest.mark.parametrize(
    ("source", "target", "operation"),
    [
        (J.QUEUED, J.ASSIGNED, Operation.ASSIGN),
        (J.QUALITY_CHECK, J.READY, Operation.QC),
        (J.QUALITY_CHECK, J.ALTERATION, Operation.QC),
        (J.QUALITY_CHECK, J.REMADE, Operation.QC),
        (J.READY, J.SHIPPED, Operation.SHIP),
    ],
)
def test_staff_assign_inspect_and_ship_each_through_its_own_operation(source, target, operation):
    check(source, target, Role.STAFF, operation)
    with pytest.raises(DomainError) as refused:
        check(source, target, Role.TAILOR, operation)
    assert refused.value.code == "TRANSITION_NOT_ALLOWED"
    for other in set(Operation) - {operation}:
        with pytest.raises(DomainError) as wrong:
            check(source, target, Role.STAFF, other)
        assert wrong.value.code == "INVALID_TRANSITION"


def test_alteration_goes_back_to_qc_and_declining_returns_the_job_to_the_queue():
    check(J.ALTERATION, J.QUALITY_CHECK, Role.TAILOR, Operation.ADVANCE)
    check(J.ASSIGNED, J.QUEUED, Role.TAILOR, Operation.ADVANCE)
    check(J.ASSIGNED, J.QUEUED, Role.STAFF, Operation.ADVANCE)
    check(J.ACCEPTED, J.QUEUED, Role.STAFF, Operation.ADVANCE)


def test_only_the_system_cancels_a_job_with_its_order():
    for stage in OPEN:
        check(stage, J.CANCELLED, Role.SYSTEM, Operation.ADVANCE)
        for role in (Role.STAFF, Role.TAILOR):
            with pytest.raises(DomainError) as refused:
                check(stage, J.CANCELLED, role, Operation.ADVANCE)
            assert refused.value.code == "TRANSITION_NOT_ALLOWED"
    assert {J.SHIPPED, J.REMADE, J.CANCELLED}.isdisjoint(OPEN)
    assert {source for source, target in MOVES if target == J.CANCELLED} == OPEN


def test_capacity_counts_from_assignment_to_alteration_and_fabric_returns_only_before_cutting():
    assert {J.ASSIGNED, J.ACCEPTED, J.CUTTING, J.SEWING, J.FINISHING, J.QUALITY_CHECK, J.ALTERATION} == ACTIVE
    assert {J.QUEUED, J.ASSIGNED, J.ACCEPTED} == UNCUT


def test_next_stages_per_role():
    assert next_stages(J.ASSIGNED, Role.TAILOR) == [J.ACCEPTED, J.QUEUED]
    assert next_stages(J.QUALITY_CHECK, Role.STAFF) == [J.READY, J.ALTERATION, J.REMADE]
    assert next_stages(J.QUALITY_CHECK, Role.TAILOR) == []
    assert next_stages(J.SHIPPED, Role.STAFF) == []


def test_roles_on_a_job_and_the_role_a_move_is_made_in():
    job: Any = SimpleNamespace(tailor_id=7, stage=J.ASSIGNED)
    assert roles_of(frozenset({7}), False, job) == {Role.TAILOR}
    assert roles_of(frozenset({8}), True, job) == {Role.STAFF}
    assert roles_of(frozenset({8}), False, job) == set()
    both = roles_of(frozenset({7}), True, job)
    assert role_for(both, J.ASSIGNED, J.ACCEPTED) == Role.TAILOR  # an in-house tailor who is also staff
    assert role_for(both, J.READY, J.SHIPPED) == Role.STAFF
    assert role_for({Role.TAILOR}, J.READY, J.SHIPPED) == Role.TAILOR  # so that check() explains the refusal


def test_a_remark_is_trimmed_and_checked():
    remark = validated_remark("  Siap  ", "", ["https://img.example.id/a.jpg"])
    assert (remark.note, remark.internal_note, remark.photo_urls) == ("Siap", "", ("https://img.example.id/a.jpg",))
    with pytest.raises(DomainErrors) as refused:
        validated_remark("x" * 2001, "", ["https://img.example.id/a.jpg"] * 11)
    assert [(e.field, e.code) for e in refused.value.errors] == [
        ("note", "TOO_LONG"),
        ("photo_urls", "TOO_MANY_PHOTOS"),
    ]
