"""Each finished job's outcome row (core.garments.outcomes) is kept by the operations that make the history — the
stage moves, QC reports and remakes — in their transactions, and always equals what the history says (the rows
migration 0015's backfill, `outcomes.rebuild`, computes from it)."""

from __future__ import annotations

from typing import Any

import pytest
from tortoise.transactions import in_transaction

from core.auth.models import User
from core.auth.permissions import Permission
from core.auth.services import actor_for_user
from core.context import Actor, ActorKind
from core.errors import DomainError
from core.garments import assignment, candidates, jobs, outcomes, qc
from core.garments.models import DefectSeverity, Fabric, JobStage, ProductionJob, ProductionJobOutcome, RemakeCause
from tests.api.test_production import job_ids, make_fabric, make_tailor, mtm_order
from tests.factories import make_brand, make_user

MAKING = (JobStage.ACCEPTED, JobStage.CUTTING, JobStage.SEWING, JobStage.FINISHING, JobStage.QUALITY_CHECK)
COLUMNS = ("job_id", "tailor_id", "brand_id", "first_qc_passed", "remade", "on_time")


def staff_of(brand_id: int) -> Actor:
    return Actor(kind=ActorKind.USER, user_id=1, brand_permissions={brand_id: frozenset(Permission)})


async def rows() -> list[tuple[Any, ...]]:
    found = await ProductionJobOutcome.all().order_by("job_id").values_list(*COLUMNS, "ready_at")
    return [(*row[:-1], row[-1] is not None) for row in found]


async def rows_from_history() -> list[tuple[Any, ...]]:
    """What the backfill makes of the same history (and puts the kept rows back after)."""
    kept = await rows()
    await outcomes.rebuild()
    rebuilt = await rows()
    assert rebuilt == kept
    return rebuilt


async def made_to_qc(staff: Actor, brand: Any, tailor_actor: Actor, tailor_id: int, fabric: Fabric) -> int:
    [job] = await job_ids(await mtm_order(brand, await make_user(), fabric, paid=True))
    await assignment.assign(staff, job, tailor_id)
    for stage in MAKING:
        await jobs.advance(tailor_actor, job, stage)
    return job


def failed(outcome: JobStage, cause: RemakeCause | None = None) -> qc.Report:
    return qc.Report(
        passed=False,
        checklist=(qc.ChecklistItem("JAHITAN", False),),
        defects=(qc.Defect("JAHITAN_LEPAS", DefectSeverity.MAJOR),),
        outcome=outcome,
        remake_cause=cause,
    )


PASSED = qc.Report(passed=True, checklist=(qc.ChecklistItem("JAHITAN", True),))


@pytest.fixture
async def world(app) -> Any:
    brand = await make_brand("sekar")
    tailor, _ = await make_tailor()
    tailor_actor = await actor_for_user(await User.get(id=tailor.user_id))
    return brand, staff_of(brand.id), tailor, tailor_actor, await make_fabric("100")


async def test_a_job_gets_its_row_when_ready_with_its_first_verdict_and_keeps_it_when_shipped(world):
    brand, staff, tailor, tailor_actor, fabric = world
    job = await made_to_qc(staff, brand, tailor_actor, tailor.id, fabric)
    assert await rows() == []  # in the making: no outcome yet
    await qc.report(staff, job, failed(JobStage.ALTERATION))
    assert await rows() == []  # an alteration is not finished either
    await jobs.advance(tailor_actor, job, JobStage.QUALITY_CHECK)
    await qc.report(staff, job, PASSED)
    # Ready by its ready-by date, but its first inspection failed: that is what counts.
    assert await rows_from_history() == [(job, tailor.id, brand.id, False, False, True, True)]
    record = (await candidates.track_records([tailor.id], last=20))[tailor.id]
    assert (record.jobs, record.inspected, record.first_pass, record.timed, record.on_time) == (1, 1, 0, 1, 1)


async def test_a_remake_for_the_making_marks_the_job_and_one_for_a_measurement_does_not(world):
    brand, staff, tailor, tailor_actor, fabric = world
    making = await made_to_qc(staff, brand, tailor_actor, tailor.id, fabric)
    measured = await made_to_qc(staff, brand, tailor_actor, tailor.id, fabric)
    await qc.report(staff, making, failed(JobStage.REMADE, RemakeCause.MAKING))
    await qc.report(staff, measured, failed(JobStage.REMADE, RemakeCause.MEASUREMENT))
    assert await rows_from_history() == [
        (making, tailor.id, brand.id, False, True, None, False),
        (measured, tailor.id, brand.id, False, False, None, False),
    ]
    record = (await candidates.track_records([tailor.id], last=20))[tailor.id]
    assert (record.jobs, record.inspected, record.first_pass, record.remade, record.timed) == (2, 2, 0, 1, 0)


async def test_a_refused_report_leaves_the_rows_as_they_were(world):
    brand, staff, tailor, tailor_actor, fabric = world
    done = await made_to_qc(staff, brand, tailor_actor, tailor.id, fabric)
    await qc.report(staff, done, PASSED)
    job = await made_to_qc(staff, brand, tailor_actor, tailor.id, fabric)
    before = await rows()
    await Fabric.filter(id=fabric.id).update(stock_metres=0)
    with pytest.raises(DomainError) as refused:  # the remake's reservation fails after the inspection is written
        await qc.report(staff, job, failed(JobStage.REMADE, RemakeCause.MAKING))
    assert refused.value.code == "FABRIC_OUT_OF_STOCK"
    assert await rows() == before == [(done, tailor.id, brand.id, True, False, True, True)]


async def test_a_deleted_tailors_rows_go_with_it_as_its_jobs_lose_it(world):
    brand, staff, tailor, tailor_actor, fabric = world
    job = await made_to_qc(staff, brand, tailor_actor, tailor.id, fabric)
    await qc.report(staff, job, PASSED)
    assert len(await rows()) == 1
    await tailor.delete()  # its jobs keep no tailor (SET NULL), so they say nothing of anyone
    assert await rows_from_history() == []


async def test_the_row_is_written_in_the_operations_transaction(world):
    brand, staff, tailor, tailor_actor, fabric = world
    job = await made_to_qc(staff, brand, tailor_actor, tailor.id, fabric)
    with pytest.raises(RuntimeError):
        async with in_transaction():
            await qc.report(staff, job, PASSED)
            assert len(await rows()) == 1  # seen inside it
            raise RuntimeError("rolled back")
    assert await rows() == []
    assert (await ProductionJob.get(id=job)).stage == JobStage.QUALITY_CHECK
