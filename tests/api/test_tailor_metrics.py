"""A tailor's production record over GraphQL (`Tailor.metrics`): the tailor sees its record over every brand's
jobs (`myTailorProfile { metrics }`), a brand's staff see it over their own brand's jobs only and only once the
tailor has made one for them, anyone else sees null, and a bad `lastJobs` is a typed error."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from core.garments import outcomes
from core.garments.models import JobStage, ProductionJob, RemakeCause
from tests.api.test_production import gid, job_ids, make_fabric, make_tailor, mtm_order
from tests.factories import make_brand, make_staff, make_user
from tests.plugins.test_tailor_dispatch import finished_job

FIELDS = """brand lastJobs finishedJobs inspected firstPass firstPassRate remadeForMaking remakeRate timed onTime
  onTimeRate lastAssignedAt"""
MINE = "query($last: Int!) { myTailorProfile { metrics(lastJobs: $last) { " + FIELDS + " } } }"
THEIRS = (
    """query($id: ID!, $brand: String) { node(id: $id) { ... on Tailor { displayName
  metrics(brand: $brand) { """
    + FIELDS
    + " } } } }"
)


async def brand_shop(slug: str) -> SimpleNamespace:
    brand = await make_brand(slug)
    _, staff = await make_staff(brand)
    return SimpleNamespace(brand=brand, staff=staff, customer=await make_user(), fabric=await make_fabric())


@pytest.fixture
async def world(gql) -> SimpleNamespace:
    sekar, batik, ratu = await brand_shop("sekar"), await brand_shop("batik"), await brand_shop("ratu")
    ani, token = await make_tailor(name="Ani")
    await finished_job(sekar, ani, first_pass=True, days_ago=30)
    await finished_job(sekar, ani, first_pass=False, days_ago=20)
    await finished_job(batik, ani, first_pass=True, days_ago=10)
    # A remake of sekar's first job for the making counts against Ani; it is not finished itself.
    first = await ProductionJob.filter(brand_id=sekar.brand.id, tailor_id=ani.id).order_by("id").first()
    [remake] = await job_ids(await mtm_order(sekar.brand, sekar.customer, sekar.fabric, paid=True))
    await ProductionJob.filter(id=remake).update(remake_of_id=first.id, remake_cause=RemakeCause.MAKING)
    await ProductionJob.filter(id=first.id).update(stage=JobStage.REMADE)
    await outcomes.refresh([first.id])  # history written past core's operations: its outcome row, as they would
    return SimpleNamespace(sekar=sekar, batik=batik, ratu=ratu, ani=ani, token=token)


async def test_the_tailor_sees_its_record_over_every_brand(world, gql):
    found = (await gql(MINE, {"last": 20}, token=world.token))["myTailorProfile"]["metrics"]
    assert {k: v for k, v in found.items() if k != "lastAssignedAt"} == {
        "brand": None,
        "lastJobs": 20,
        "finishedJobs": 3,
        "inspected": 3,
        "firstPass": 2,
        "firstPassRate": pytest.approx(2 / 3),
        "remadeForMaking": 1,
        "remakeRate": pytest.approx(1 / 3),
        "timed": 3,
        "onTime": 3,
        "onTimeRate": 1.0,
    }
    assert found["lastAssignedAt"] is not None
    last_two = (await gql(MINE, {"last": 2}, token=world.token))["myTailorProfile"]["metrics"]
    assert (last_two["finishedJobs"], last_two["firstPass"]) == (2, 1)  # the two newest: batik's, sekar's failed


async def test_a_brand_sees_only_its_own_jobs_of_a_tailor_it_works_with(world, gql):
    tailor = gid("Tailor", world.ani.id)
    sekar = (await gql(THEIRS, {"id": tailor, "brand": "sekar"}, token=world.sekar.staff))["node"]["metrics"]
    assert (sekar["brand"], sekar["finishedJobs"], sekar["firstPass"], sekar["remadeForMaking"]) == ("sekar", 2, 1, 1)
    by_header = await gql(THEIRS, {"id": tailor}, token=world.batik.staff, headers={"Lini-Storefront": "batik"})
    assert (by_header["node"]["metrics"]["brand"], by_header["node"]["metrics"]["finishedJobs"]) == ("batik", 1)
    # Another brand's jobs, a brand the tailor never worked for, or no brand at all: nothing.
    assert (await gql(THEIRS, {"id": tailor, "brand": "batik"}, token=world.sekar.staff))["node"]["metrics"] is None
    assert (await gql(THEIRS, {"id": tailor, "brand": "ratu"}, token=world.ratu.staff))["node"]["metrics"] is None
    assert (await gql(THEIRS, {"id": tailor}, token=world.sekar.staff))["node"]["metrics"] is None


async def test_bad_arguments_are_typed_errors(world, gql):
    for last in (0, 201):
        error = await gql.error(MINE, {"last": last}, token=world.token)
        assert error["extensions"]["code"] == "INVALID_LAST_JOBS"
    error = await gql.error(THEIRS, {"id": gid("Tailor", world.ani.id), "brand": "nope"}, token=world.token)
    assert error["extensions"]["code"] == "NOT_FOUND"
