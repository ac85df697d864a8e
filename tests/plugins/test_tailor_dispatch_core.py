"""The core operations the dispatch plugin reaches through `lini.plugin`: `candidates` judges every approved tailor
by the rules staff assignment enforces (so the two cannot drift apart), `track_records` counts a tailor's last
finished jobs, and `assign_job` is staff assignment itself."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

import lini.plugin
from core.auth.permissions import Permission
from core.context import SYSTEM, Actor, ActorKind
from core.errors import DomainError
from core.garments import assignment, candidates, outcomes
from core.garments.models import JobStage, ProductionJob, ProductionStageChange, QcInspection, RemakeCause
from tests.api.test_production import TODAY, job_ids, make_fabric, make_tailor, mtm_order
from tests.factories import make_brand, make_user


def staff_of(brand_id: int) -> Actor:
    return Actor(kind=ActorKind.USER, user_id=1, brand_permissions={brand_id: frozenset({Permission.MANAGE_ORDERS})})


def test_the_plugin_api_exports_the_core_operations() -> None:
    assert lini.plugin.candidates is candidates.candidates
    assert lini.plugin.track_records is candidates.track_records
    assert lini.plugin.assign_job is assignment.assign


async def test_candidates_and_assignment_apply_the_same_rules(app):
    brand = await make_brand("sekar")
    order = await mtm_order(brand, await make_user(), await make_fabric(), paid=True)
    [job] = await job_ids(order)
    ok, _ = await make_tailor(name="Ok")
    wrong_type, _ = await make_tailor(name="Shirts", garment_types=("SHIRT",))
    full, _ = await make_tailor(name="Full", capacity=0)

    pool = await candidates.candidates(staff_of(brand.id), job)

    judged = {c.tailor.display_name: c for c in pool.candidates}
    assert [c.tailor.display_name for c in pool.candidates if c.passes()] == ["Ok"]
    assert judged["Shirts"].first_failure(candidates.ASSIGNMENT).check == candidates.Check.GARMENT_TYPE
    assert judged["Full"].first_failure(candidates.ASSIGNMENT).check == candidates.Check.CAPACITY
    # Assignment raises the very verdict candidates reported, with its historical code.
    for tailor, code in ((wrong_type, "TAILOR_GARMENT_TYPE"), (full, "TAILOR_AT_CAPACITY")):
        with pytest.raises(DomainError) as refused:
            await assignment.assign(staff_of(brand.id), job, tailor.id)
        assert (refused.value.code, refused.value.field) == (code, "tailor_id")
    assert (await assignment.assign(staff_of(brand.id), job, ok.id)).tailor_id == ok.id


async def test_candidates_are_for_the_jobs_brand_staff_only(app):
    brand, other = await make_brand("sekar"), await make_brand("batik")
    order = await mtm_order(brand, await make_user(), None, paid=True)
    [job] = await job_ids(order)
    with pytest.raises(DomainError) as hidden:
        await candidates.candidates(staff_of(other.id), job)
    assert hidden.value.code == "NOT_FOUND"


@pytest.mark.parametrize("wide", [False, True], ids=["by-ids", "every-tailor"])
async def test_track_records_count_the_last_finished_jobs(app, monkeypatch, wide):
    if wide:  # the form a ranking over more than WIDE tailors takes: no id list, the others left out after
        monkeypatch.setattr(candidates, "WIDE", 0)
    brand = await make_brand("sekar")
    tailor, _ = await make_tailor()
    customer, fabric = await make_user(), await make_fabric()
    started = datetime.now(UTC) - timedelta(days=30)
    for day, (first_pass, late, remade) in enumerate([(True, False, False), (False, True, True), (True, False, False)]):
        [job] = await job_ids(await mtm_order(brand, customer, fabric, paid=True))
        stage = JobStage.REMADE if remade else JobStage.READY
        await ProductionJob.filter(id=job).update(
            tailor_id=tailor.id, stage=stage, assigned_at=started + timedelta(days=day), ready_by=TODAY
        )
        await QcInspection.create(job_id=job, passed=first_pass)
        if remade:
            await ProductionJob.create(
                brand_id=brand.id,
                order_id=(await ProductionJob.get(id=job)).order_id,
                order_line_id=(await ProductionJob.get(id=job)).order_line_id,
                garment_type_code="GAMIS",
                remake_of_id=job,
                remake_cause=RemakeCause.MAKING,
            )
        else:
            change = await ProductionStageChange.create(job_id=job, to_stage="READY", actor="system")
            if late:
                await ProductionStageChange.filter(id=change.id).update(created_at=started + timedelta(days=60))

    other, _ = await make_tailor(name="Other")
    await ProductionJob.filter(tailor_id=None).limit(1).update(tailor_id=other.id, stage=JobStage.READY)
    await outcomes.rebuild()  # history written past core's operations: the outcome rows, as migration 0015 does
    records = await candidates.track_records([tailor.id], last=2)
    assert list(records) == [tailor.id]
    assert (await candidates.track_records([tailor.id], last=2, brand_id=brand.id + 1))[tailor.id].jobs == 0

    record = records[tailor.id]
    # The newest two: the remade one (failed first, remade for its making) and the last one (passed, on time).
    assert (record.jobs, record.inspected, record.first_pass, record.remade) == (2, 2, 1, 1)
    assert (record.timed, record.on_time) == (1, 1)
    assert record.last_assigned_at is not None


async def test_a_dispatcher_assigns_an_accepted_job_judging_the_certificate_on_the_ready_by_date(app):
    """assign_job(SYSTEM, …, judged_on=, accepted_by=): the rules of staff assignment, the certificate judged on
    the day given, and the job accepted for the tailor in the same transaction."""
    brand = await make_brand("sekar")
    [job] = await job_ids(await mtm_order(brand, await make_user(), await make_fabric(), paid=True))
    lapsing, _ = await make_tailor(name="Lapsing", valid_until=TODAY + timedelta(days=3))
    ok, _ = await make_tailor(name="Ok")
    found = await ProductionJob.get(id=job)
    due = candidates.judging_date(found)
    assert due == found.ready_by
    lapsing_actor = Actor(kind=ActorKind.USER, user_id=lapsing.user_id, tailor_ids=frozenset({lapsing.id}))
    ok_actor = Actor(kind=ActorKind.USER, user_id=ok.user_id, tailor_ids=frozenset({ok.id}))

    with pytest.raises(DomainError) as refused:
        await assignment.assign(SYSTEM, job, lapsing.id, judged_on=due, accepted_by=lapsing_actor)
    assert refused.value.code == "TAILOR_NOT_CERTIFIED"
    with pytest.raises(DomainError) as other:  # an actor accepts only for its own tailor profile
        await assignment.assign(SYSTEM, job, ok.id, judged_on=due, accepted_by=lapsing_actor)
    assert other.value.code == "NOT_FOUND"

    done = await assignment.assign(SYSTEM, job, ok.id, judged_on=due, accepted_by=ok_actor)

    assert (done.stage, done.tailor_id) == (JobStage.ACCEPTED, ok.id)
    moves = await ProductionStageChange.filter(job_id=job).order_by("id").values_list("to_stage", "actor_role")
    assert moves[-2:] == [("ASSIGNED", "STAFF"), ("ACCEPTED", "TAILOR")]
    assert lini.plugin.judging_date is candidates.judging_date and lini.plugin.judge is candidates.judge
