"""tailor_dispatch over GraphQL: each hard filter leaves the right tailors out, the brand's weights order the
rest as documented, `dispatchExplain` shows every filter and term, brand A's staff cannot see or change brand
B's settings or jobs, and bad input comes back as typed errors with nothing written."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest

from core.actors.models import ActorStatus, CertificationStatus, Tailor
from core.auth.permissions import Permission
from core.garments import outcomes
from core.garments.models import JobStage, ProductionJob, ProductionStageChange, QcInspection
from plugins.tailor_dispatch.models import DispatchPrice, DispatchSettings
from plugins.tailor_dispatch.scoring import haversine_km
from tests.api.test_production import TODAY, gid, job_ids, make_fabric, make_tailor, mtm_order
from tests.factories import make_brand, make_staff, make_user

EXPLAIN = """query($job: ID!) { dispatchExplain(jobId: $job) { jobId certificatesJudgedOn candidates {
  tailor { id displayName country } eligible rank score
  filters { filter passed detail } terms { term value weight contribution detail } } } }"""
SETTINGS = """query($brand: String) { dispatchSettings(brand: $brand) { qualityWeight onTimeWeight loadWeight
  distanceWeight rotationWeight priceWeight historyJobs originLatitude originLongitude } }"""
UPDATE = """mutation($input: DispatchSettingsUpdateInput!, $brand: String) {
  dispatchSettingsUpdate(input: $input, brand: $brand) { dispatchSettings { qualityWeight onTimeWeight
  loadWeight distanceWeight rotationWeight priceWeight historyJobs originLatitude originLongitude }
  errors { field code } } }"""
ALL_WEIGHTS_ZERO = {
    "qualityWeight": "0",
    "onTimeWeight": "0",
    "loadWeight": "0",
    "distanceWeight": "0",
    "rotationWeight": "0",
    "priceWeight": "0",
}
BANDUNG = (Decimal("-6.914744"), Decimal("107.609810"))
JAKARTA = (Decimal("-6.208763"), Decimal("106.845599"))
KUALA_LUMPUR = (Decimal("3.139003"), Decimal("101.686855"))


@pytest.fixture
async def shop(gql) -> SimpleNamespace:
    brand = await make_brand("sekar")
    _, staff = await make_staff(brand)
    customer = await make_user("siti@example.id")
    fabric = await make_fabric()
    gql.storefront, gql.token = "sekar", staff
    order = await mtm_order(brand, customer, fabric, paid=True)
    [job] = await job_ids(order)
    return SimpleNamespace(brand=brand, staff=staff, customer=customer, fabric=fabric, job=job)


async def tailor(name: str, **fields: Any) -> Tailor:
    own = {
        k: fields.pop(k) for k in ("garment_types", "capacity", "status", "certificate", "valid_until") if k in fields
    }
    made, _ = await make_tailor(name=name, **own)
    if fields:
        await Tailor.filter(id=made.id).update(**fields)
    return await Tailor.get(id=made.id)


async def explain(gql, job: int, **kwargs: Any) -> dict[str, Any]:
    return (await gql(EXPLAIN, {"job": gid("ProductionJob", job)}, **kwargs))["dispatchExplain"]


def by_name(explanation: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {c["tailor"]["displayName"]: c for c in explanation["candidates"]}


def failed(candidate: dict[str, Any]) -> list[str]:
    return [f["filter"] for f in candidate["filters"] if not f["passed"]]


async def finished_job(shop: SimpleNamespace, tailor: Tailor, *, first_pass: bool, days_ago: int = 10) -> None:
    """A job the tailor made for the brand: READY, inspected once (passed or not), on time."""
    order = await mtm_order(shop.brand, shop.customer, shop.fabric, paid=True)
    [job] = await job_ids(order)
    assigned = datetime.now(UTC) - timedelta(days=days_ago)
    await ProductionJob.filter(id=job).update(
        tailor_id=tailor.id, stage=JobStage.READY, assigned_at=assigned, ready_by=TODAY
    )
    await QcInspection.create(job_id=job, passed=first_pass)
    if not first_pass:
        await QcInspection.create(job_id=job, passed=True)
    await ProductionStageChange.create(job_id=job, from_stage="QUALITY_CHECK", to_stage="READY", actor="system")
    await outcomes.refresh([job])  # history written past core's operations: its outcome row, as they would


# --- the hard filters ---------------------------------------------------------------------------------------


async def test_each_hard_filter_leaves_its_tailor_out_and_says_why(shop, gql):
    await tailor("Ani")
    await tailor("Uncertified", certificate=None)
    await tailor("Pending", certificate=CertificationStatus.PENDING)
    # The job is due in 14 days: a certificate valid today but lapsing before then does not count here.
    await tailor("Lapsing", valid_until=TODAY + timedelta(days=3))
    await tailor("Shirts only", garment_types=("SHIRT",))
    await tailor("Full", capacity=0)
    await tailor("Abroad", country="TR")  # the brand ships to ID and MY
    await tailor("Slow", lead_time_days=30)
    await tailor("Suspended", status=ActorStatus.SUSPENDED)

    found = await explain(gql, shop.job)

    candidates = by_name(found)
    assert "Suspended" not in candidates  # only approved tailors are judged at all
    assert {name: failed(c) for name, c in candidates.items()} == {
        "Ani": [],
        "Uncertified": ["CERTIFIED"],
        "Pending": ["CERTIFIED"],
        "Lapsing": ["CERTIFIED"],
        "Shirts only": ["GARMENT_TYPE"],
        "Full": ["CAPACITY"],
        "Abroad": ["REGION"],
        "Slow": ["LEAD_TIME"],
    }
    first = found["candidates"][0]
    assert (first["tailor"]["displayName"], first["eligible"], first["rank"]) == (
        "Ani",
        True,
        1,
    )
    assert all(c["rank"] is None and not c["eligible"] for c in found["candidates"][1:])
    assert found["certificatesJudgedOn"] == str(TODAY + timedelta(days=14))


async def test_staff_assignment_keeps_judging_the_certificate_today(shop, gql):
    """The same rule, judged on another day: a certificate lapsing before the due date still lets staff assign."""
    lapsing = await tailor("Lapsing", valid_until=TODAY + timedelta(days=3))
    assign = """mutation($job: ID!, $tailor: ID!) { productionJobAssign(jobId: $job, tailorId: $tailor) {
      job { stage } errors { field code } } }"""
    done = await gql(assign, {"job": gid("ProductionJob", shop.job), "tailor": gid("Tailor", lapsing.id)})
    assert done["productionJobAssign"] == {"job": {"stage": "ASSIGNED"}, "errors": []}


async def test_a_job_already_assigned_is_not_dispatched(shop, gql):
    await ProductionJob.filter(id=shop.job).update(stage=JobStage.ASSIGNED)
    error = await gql.error(EXPLAIN, {"job": gid("ProductionJob", shop.job)})
    assert error["extensions"]["code"] == "JOB_NOT_QUEUED"


# --- the score ----------------------------------------------------------------------------------------------


async def test_weights_change_the_ranking_as_documented(shop, gql):
    careful = await tailor("Careful", capacity=4)
    await finished_job(shop, careful, first_pass=True, days_ago=2)
    await finished_job(shop, careful, first_pass=True, days_ago=2)
    sloppy = await tailor("Sloppy", capacity=4)
    await finished_job(shop, sloppy, first_pass=False, days_ago=2)
    await finished_job(shop, sloppy, first_pass=False, days_ago=2)
    await tailor("Newcomer", capacity=4)

    # Quality alone: the record decides, and a newcomer sits on the prior, between the two.
    only_quality = {**ALL_WEIGHTS_ZERO, "qualityWeight": "1"}
    assert (await gql(UPDATE, {"input": only_quality}))["dispatchSettingsUpdate"]["errors"] == []
    ranked = [c["tailor"]["displayName"] for c in (await explain(gql, shop.job))["candidates"]]
    assert ranked == ["Careful", "Newcomer", "Sloppy"]

    # Rotation alone: whoever was never given a job comes first; the other two tie and go by id.
    only_rotation = {**ALL_WEIGHTS_ZERO, "rotationWeight": "1"}
    await gql(UPDATE, {"input": only_rotation})
    ranked = [c["tailor"]["displayName"] for c in (await explain(gql, shop.job))["candidates"]]
    assert ranked == ["Newcomer", "Careful", "Sloppy"]


async def test_distance_is_haversine_from_the_brand_workshop_and_neutral_without_coordinates(shop, gql):
    await tailor("Bandung", latitude=BANDUNG[0], longitude=BANDUNG[1])
    await tailor("Kuala Lumpur", country="MY", latitude=KUALA_LUMPUR[0], longitude=KUALA_LUMPUR[1])
    await tailor("Nowhere")
    only_distance = {**ALL_WEIGHTS_ZERO, "distanceWeight": "1"}

    # Without the brand's workshop on the map, nobody is nearer than anyone.
    await gql(UPDATE, {"input": only_distance})
    scores = {name: c["score"] for name, c in by_name(await explain(gql, shop.job)).items()}
    assert scores == {"Bandung": 0.5, "Kuala Lumpur": 0.5, "Nowhere": 0.5}

    workshop = {"originLatitude": str(JAKARTA[0]), "originLongitude": str(JAKARTA[1])}
    await gql(UPDATE, {"input": {**only_distance, **workshop}})
    found = await explain(gql, shop.job)
    assert [c["tailor"]["displayName"] for c in found["candidates"]] == ["Bandung", "Nowhere", "Kuala Lumpur"]
    [term] = [t for t in by_name(found)["Bandung"]["terms"] if t["term"] == "DISTANCE"]
    km = haversine_km(*map(float, JAKARTA), *map(float, BANDUNG))
    assert 110 < km < 125  # Jakarta–Bandung as the crow flies
    assert term["value"] == pytest.approx(1 / (1 + km / 500), abs=1e-6)
    assert term["detail"] == f"{km:.0f} km from the brand's workshop."
    [nowhere] = [t for t in by_name(found)["Nowhere"]["terms"] if t["term"] == "DISTANCE"]
    assert (nowhere["value"], nowhere["detail"]) == (0.5, "Nowhere has no coordinates: neutral.")


async def test_explain_agrees_with_the_ranking_term_by_term(shop, gql):
    busy = await tailor("Busy", capacity=2)
    other = await mtm_order(shop.brand, shop.customer, shop.fabric, paid=True)
    [taken] = await job_ids(other)
    await ProductionJob.filter(id=taken).update(tailor_id=busy.id, stage=JobStage.SEWING)
    await tailor("Idle", capacity=2)

    found = await explain(gql, shop.job)

    for candidate in found["candidates"]:
        assert [t["term"] for t in candidate["terms"]] == [
            "QUALITY",
            "ON_TIME",
            "LOAD",
            "DISTANCE",
            "ROTATION",
            "PRICE",
        ]
        assert [f["filter"] for f in candidate["filters"]] == [
            "APPROVED",
            "CERTIFIED",
            "GARMENT_TYPE",
            "CAPACITY",
            "REGION",
            "LEAD_TIME",
        ]
        weights = sum(t["weight"] for t in candidate["terms"])
        assert candidate["score"] == pytest.approx(sum(t["contribution"] for t in candidate["terms"]) / weights)
        for term in candidate["terms"]:
            assert term["contribution"] == pytest.approx(term["value"] * term["weight"])
    scores = [c["score"] for c in found["candidates"]]
    assert scores == sorted(scores, reverse=True)
    load = {name: next(t for t in c["terms"] if t["term"] == "LOAD") for name, c in by_name(found).items()}
    assert (load["Busy"]["value"], load["Busy"]["detail"]) == (0.5, "1 of 2 places free.")
    assert load["Idle"]["value"] == 1.0
    assert [c["tailor"]["displayName"] for c in found["candidates"]] == ["Idle", "Busy"]


# --- settings, permissions, bad input -----------------------------------------------------------------------


async def test_settings_have_defaults_and_change_field_by_field(shop, gql):
    defaults = (await gql(SETTINGS))["dispatchSettings"]
    assert defaults == {
        "qualityWeight": "3.00",
        "onTimeWeight": "2.00",
        "loadWeight": "1.00",
        "distanceWeight": "1.00",
        "rotationWeight": "1.00",
        "priceWeight": "1.00",
        "historyJobs": 20,
        "originLatitude": None,
        "originLongitude": None,
    }
    changed = (await gql(UPDATE, {"input": {"loadWeight": "2.5", "historyJobs": 5}}))["dispatchSettingsUpdate"]
    assert changed["errors"] == []
    assert changed["dispatchSettings"] == {**defaults, "loadWeight": "2.50", "historyJobs": 5}
    assert (await gql(SETTINGS))["dispatchSettings"] == changed["dispatchSettings"]


@pytest.mark.parametrize(
    ("input", "errors"),
    [
        ({"qualityWeight": "-1"}, [{"field": "qualityWeight", "code": "INVALID_WEIGHT"}]),
        ({"rotationWeight": "101"}, [{"field": "rotationWeight", "code": "INVALID_WEIGHT"}]),
        ({"loadWeight": "0.125"}, [{"field": "loadWeight", "code": "INVALID_WEIGHT"}]),
        ({"historyJobs": 0}, [{"field": "historyJobs", "code": "INVALID_HISTORY"}]),
        ({"originLatitude": "-6.9"}, [{"field": "originLatitude", "code": "INVALID_COORDINATE"}]),
        (
            {"originLatitude": "91", "originLongitude": "181", "loadWeight": "1000"},
            [
                {"field": "loadWeight", "code": "INVALID_WEIGHT"},
                {"field": "originLatitude", "code": "INVALID_COORDINATE"},
                {"field": "originLongitude", "code": "INVALID_COORDINATE"},
            ],
        ),
    ],
)
async def test_bad_settings_are_typed_errors_and_nothing_is_written(shop, gql, input, errors):
    result = (await gql(UPDATE, {"input": input}))["dispatchSettingsUpdate"]
    assert result == {"dispatchSettings": None, "errors": errors}
    assert await DispatchSettings.all().count() == 0


async def test_a_malformed_id_is_refused(shop, gql):
    error = await gql.error(EXPLAIN, {"job": gid("Tailor", shop.job)})
    assert error["extensions"]["code"] == "INVALID_ID"


async def test_another_brand_cannot_see_or_change_the_settings_or_explain_the_jobs(shop, gql):
    other = await make_brand("batik")
    _, intruder = await make_staff(other)
    await gql(UPDATE, {"input": {"loadWeight": "7"}})

    # Brand B's staff asking about brand A: refused, and A's settings stay as they were.
    error = await gql.error(SETTINGS, {"brand": "sekar"}, token=intruder, storefront="batik")
    assert error["extensions"]["code"] == "FORBIDDEN"
    denied = await gql.error(UPDATE, {"input": {"loadWeight": "0"}, "brand": "sekar"}, token=intruder)
    assert denied["extensions"]["code"] == "FORBIDDEN"
    assert (await DispatchSettings.get(brand_id=shop.brand.id)).load_weight == Decimal("7")
    # Brand A's job is not there for brand B (as a missing id), and B's own settings are its own.
    missing = await gql.error(EXPLAIN, {"job": gid("ProductionJob", shop.job)}, token=intruder, storefront="batik")
    assert missing["extensions"]["code"] == "NOT_FOUND"
    own = (await gql(SETTINGS, token=intruder, storefront="batik"))["dispatchSettings"]
    assert own["loadWeight"] == "1.00"


async def test_anonymous_and_tailors_are_refused(shop, gql):
    _, tailor_token = await make_tailor()
    assert (await gql.error(SETTINGS, token=None))["extensions"]["code"] == "UNAUTHENTICATED"
    refused = await gql.error(EXPLAIN, {"job": gid("ProductionJob", shop.job)}, token=tailor_token)
    assert refused["extensions"]["code"] == "FORBIDDEN"
    assert Permission.MANAGE_ORDERS  # the permission production assignment asks for


async def test_explain_costs_the_same_for_3_and_30_tailors(shop, gql, sql_counter):
    counts = []
    for size in (3, 30):
        made = [await tailor(f"T{size}-{i}") for i in range(size - len(counts) * 3)]
        for one in made[:2]:
            await finished_job(shop, one, first_pass=True)
        for n, one in enumerate(made):  # every other tailor with a price: PRICE reads them in one query
            if n % 2 == 0:
                await DispatchPrice.create(tailor_id=one.id, garment_type_code="GAMIS", currency="IDR", amount=n + 1)
        with sql_counter.counting() as statements:
            found = await explain(gql, shop.job)
        assert len(found["candidates"]) == size
        counts.append(len(statements))
    assert counts[0] == counts[1]
