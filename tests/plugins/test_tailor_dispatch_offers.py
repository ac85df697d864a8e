"""tailor_dispatch offers over GraphQL: a ready job is offered to its best candidate alone; accepting assigns and
accepts it through core (once, whatever the concurrency, never past a tailor's places); a decline or an expiry
passes it on, and after `maxMisses` the brand's staff hear of it; a certificate lapsing before the due date or a
suspension makes the accept fail with a typed error and withdraws the offer; a tailor sees only its own offers,
and a brand batches only its own jobs."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from types import SimpleNamespace
from typing import Any

import pytest

from core.actors.models import ActorStatus, Certification, Tailor
from core.auth.models import User
from core.auth.permissions import Permission
from core.auth.services import actor_for_user
from core.context import Actor, ActorKind
from core.errors import DomainError
from core.events import Event
from core.garments import assignment, candidates
from core.garments.models import JobStage, ProductionJob
from core.jobs.models import JobRequest
from core.outbox import dispatch
from plugins.tailor_dispatch import offers, weights
from plugins.tailor_dispatch.models import DispatchOffer, OfferStatus
from plugins.tailor_dispatch.tasks import blueprint
from tests.api.test_production import TODAY, gid, job_ids, make_fabric, make_tailor, mtm_order
from tests.factories import access_token, make_admin, make_brand, make_staff, make_user

MY_OFFERS = """query($status: [DispatchOfferStatus!]) { myOffers(status: $status) { edges { node {
  id status attempt reason job { id garmentType readyBy brandName } tailor { displayName } } } } }"""
ACCEPT = """mutation($offer: ID!) { dispatchOfferAccept(offerId: $offer) {
  offer { status job { id } } errors { field code } } }"""
DECLINE = """mutation($offer: ID!, $reason: String!) { dispatchOfferDecline(offerId: $offer, reason: $reason) {
  offer { status reason } errors { field code } } }"""
SUSPEND = """mutation($id: ID!, $input: TailorDecisionInput) { tailorSuspend(id: $id, input: $input) {
  errors { field code } } }"""
BATCH = """mutation($brand: String, $jobs: [ID!]) { dispatchBatch(brand: $brand, jobIds: $jobs) {
  method totalScore offers { status job { id } tailor { displayName } } unplaced { jobId reason }
  errors { field code } } }"""


@pytest.fixture
async def shop(gql) -> SimpleNamespace:
    brand = await make_brand("sekar")
    _, staff = await make_staff(brand)
    customer = await make_user("siti@example.id")
    fabric = await make_fabric("100")
    gql.storefront, gql.token = "sekar", staff
    return SimpleNamespace(brand=brand, staff=staff, customer=customer, fabric=fabric)


async def ready_job(shop: SimpleNamespace) -> int:
    [job] = await job_ids(await mtm_order(shop.brand, shop.customer, shop.fabric, paid=True))
    return job


async def tailors(*names: str, **fields: Any) -> list[tuple[Tailor, str]]:
    return [await make_tailor(name=name, **fields) for name in names]


async def open_offer(job: int) -> DispatchOffer:
    return await DispatchOffer.get(job_id=job, status=OfferStatus.OPEN)


async def accept(gql, offer: DispatchOffer | int, token: str) -> dict[str, Any]:
    offer_id = offer if isinstance(offer, int) else offer.id
    return (await gql(ACCEPT, {"offer": gid("DispatchOffer", offer_id)}, token=token))["dispatchOfferAccept"]


async def event_types(brand_id: int) -> list[str]:
    return [e.type for e in await Event.filter(brand_id=brand_id, type__startswith="dispatch.").order_by("id")]


# --- offering and accepting ---------------------------------------------------------------------------------


async def test_a_ready_job_goes_to_the_best_candidate_who_alone_sees_and_accepts_it(shop, gql):
    (best, best_token), (_, other_token) = await tailors("Ani", "Budi")
    await Tailor.filter(id=best.id).update(capacity=9)  # more places free: a better LOAD term
    job = await ready_job(shop)

    offer = await offers.offer_next(job)

    assert offer is not None and offer.tailor_id == best.id
    seen = (await gql(MY_OFFERS, token=best_token))["myOffers"]["edges"]
    assert [e["node"]["job"] for e in seen] == [
        {
            "id": gid("ProductionJob", job),
            "garmentType": "GAMIS",
            "readyBy": str(TODAY + timedelta(days=14)),
            "brandName": shop.brand.name,
        }
    ]
    assert (await gql(MY_OFFERS, token=other_token))["myOffers"]["edges"] == []
    assert await offers.offer_next(job) is None  # one open offer per job

    done = await accept(gql, offer, best_token)

    assert done == {"offer": {"status": "ACCEPTED", "job": {"id": gid("ProductionJob", job)}}, "errors": []}
    found = await ProductionJob.get(id=job)
    assert (found.stage, found.tailor_id) == (JobStage.ACCEPTED, best.id)
    assert await event_types(shop.brand.id) == ["dispatch.offer_made", "dispatch.offer_accepted"]
    again = await accept(gql, offer, best_token)
    assert again == {"offer": None, "errors": [{"field": "offerId", "code": "OFFER_CLOSED"}]}


async def test_a_job_whose_order_is_not_paid_is_not_offered(shop, gql):
    await tailors("Ani")
    [job] = await job_ids(await mtm_order(shop.brand, shop.customer, shop.fabric, paid=False))
    assert await offers.offer_next(job) is None
    assert await DispatchOffer.all().count() == 0


async def test_decline_passes_on_and_after_max_misses_staff_are_told(shop, gql):
    made = await tailors("Ani", "Budi", "Citra")
    token = {t.id: tok for t, tok in made}
    await weights.update(await actor_for_staff(shop), shop.brand, {"max_misses": 2})
    job = await ready_job(shop)
    first = await offers.offer_next(job)

    declined = await gql(
        DECLINE, {"offer": gid("DispatchOffer", first.id), "reason": "  Mesin rusak "}, token=token[first.tailor_id]
    )

    assert declined["dispatchOfferDecline"] == {"offer": {"status": "DECLINED", "reason": "Mesin rusak"}, "errors": []}
    second = await open_offer(job)
    assert second.tailor_id != first.tailor_id and second.attempt == 2
    # The second expires: two misses, so the job waits for staff rather than going to the third tailor.
    assert await offers.expire(second.id, now=second.expires_at + timedelta(seconds=1))
    assert await DispatchOffer.filter(job_id=job, status=OfferStatus.OPEN).count() == 0
    assert (await event_types(shop.brand.id))[-1] == "dispatch.job_needs_staff"
    needs = await Event.filter(type="dispatch.job_needs_staff").first()
    assert (needs.payload["reason"], needs.payload["misses"], needs.payload["job"]["id"]) == ("MAX_MISSES", 2, job)
    # Staff can still assign by hand.
    third = next(t for t, _ in made if t.id not in (first.tailor_id, second.tailor_id))
    assert (await assignment.assign(await actor_for_staff(shop), job, third.id)).stage == JobStage.ASSIGNED


async def test_expiry_is_idempotent_and_passes_the_offer_on(shop, gql):
    await tailors("Ani", "Budi")
    job = await ready_job(shop)
    offer = await offers.offer_next(job)

    assert not await offers.expire(offer.id, now=offer.expires_at - timedelta(minutes=1))  # not yet due
    assert await offers.expire(offer.id, now=offer.expires_at)
    assert not await offers.expire(offer.id, now=offer.expires_at)  # already expired: nothing more

    assert (await DispatchOffer.get(id=offer.id)).status == OfferStatus.EXPIRED
    assert (await open_offer(job)).tailor_id != offer.tailor_id


async def test_the_expiry_job_is_deferred_with_the_offer(shop, gql, backend):
    await tailors("Ani")
    offer = await offers.offer_next(await ready_job(shop))
    if backend == "sqlite":
        request = await JobRequest.get(task_name=offers.EXPIRE_TASK)
        assert request.args == {"offer_id": offer.id}
        assert request.scheduled_at == offer.expires_at


async def test_a_certificate_lapsing_before_the_due_date_fails_the_accept_and_withdraws_the_offer(shop, gql):
    (ani, ani_token), _ = await tailors("Ani", "Budi")
    await Tailor.filter(id=ani.id).update(capacity=9)
    job = await ready_job(shop)
    offer = await offers.offer_next(job)
    assert offer.tailor_id == ani.id
    # Between the offer and the accept, the certificate is found to end before the garment is due.
    await Certification.filter(tailor_id=ani.id).update(valid_until=TODAY + timedelta(days=3))

    refused = await accept(gql, offer, ani_token)

    assert refused == {"offer": None, "errors": [{"field": "offerId", "code": "TAILOR_NOT_CERTIFIED"}]}
    found = await ProductionJob.get(id=job)
    assert (found.stage, found.tailor_id) == (JobStage.QUEUED, None)
    assert (await DispatchOffer.get(id=offer.id)).status == OfferStatus.WITHDRAWN
    assert (await open_offer(job)).tailor_id != ani.id


async def test_a_suspended_tailor_cannot_accept_and_its_offer_is_withdrawn(shop, gql):
    (ani, ani_token), _ = await tailors("Ani", "Budi")
    await Tailor.filter(id=ani.id).update(capacity=9)
    job = await ready_job(shop)
    offer = await offers.offer_next(job)
    await Tailor.filter(id=ani.id).update(status=ActorStatus.SUSPENDED)

    refused = await accept(gql, offer, ani_token)

    assert refused["errors"] == [{"field": "offerId", "code": "TAILOR_NOT_APPROVED"}]
    assert (await DispatchOffer.get(id=offer.id)).status == OfferStatus.WITHDRAWN
    assert (await open_offer(job)).tailor_id != ani.id
    # withdraw_for_tailor is what a suspension withdraws every open offer with.
    await offers.withdraw_for_tailor((await open_offer(job)).tailor_id, "Suspended.")
    assert await DispatchOffer.filter(job_id=job, status=OfferStatus.OPEN).count() == 0


async def test_hook_tailor_event(shop, app, gql):
    """Suspending a tailor (tailorSuspend) reaches tailor_event after the commit: its open offers are withdrawn
    and each passes on to the next candidate."""
    (ani, _), (budi, _) = await tailors("Ani", "Budi")
    await Tailor.filter(id=ani.id).update(capacity=9)
    jobs = [await ready_job(shop) for _ in range(2)]
    made = [await offers.offer_next(job) for job in jobs]
    assert [offer.tailor_id for offer in made] == [ani.id, ani.id]
    _, admin = await make_admin()

    suspended = await gql(SUSPEND, {"id": gid("Tailor", ani.id), "input": {"reason": "Laporan QC palsu"}}, token=admin)
    assert suspended["tailorSuspend"]["errors"] == []
    await dispatch(app.state.plugins)  # the job queue's sweep, run here

    assert [o.status for o in await DispatchOffer.filter(tailor_id=ani.id).order_by("id")] == [
        OfferStatus.WITHDRAWN
    ] * 2
    withdrawn = await DispatchOffer.get(id=made[0].id)
    assert withdrawn.reason.startswith("tailor.suspended: Laporan QC palsu")
    assert [(await open_offer(job)).tailor_id for job in jobs] == [budi.id, budi.id]


# --- concurrency --------------------------------------------------------------------------------------------


async def test_twenty_tailors_accepting_one_offer_at_once_give_the_job_to_one(shop, gql):
    made = await tailors(*[f"T{i:02}" for i in range(20)])
    job = await ready_job(shop)
    offer = await offers.offer_next(job)

    results = await asyncio.gather(*(accept(gql, offer, token) for _, token in made))

    won = [r for r in results if r["errors"] == []]
    assert len(won) == 1
    assert sorted({r["errors"][0]["code"] for r in results if r["errors"]}) == ["NOT_FOUND"]
    found = await ProductionJob.get(id=job)
    assert found.stage == JobStage.ACCEPTED and found.tailor_id == offer.tailor_id


async def test_twenty_accepted_assignments_of_one_job_at_once_make_one(shop, gql):
    """Core's side of it: even were twenty offers out for one job, one assignment is made."""
    made = await tailors(*[f"T{i:02}" for i in range(20)])
    job = await ready_job(shop)
    actors = [await actor_for_user(await User.get(id=t.user_id)) for t, _ in made]
    judged_on = candidates.judging_date(await ProductionJob.get(id=job))

    async def take(index: int) -> str:
        try:
            await assignment.assign(
                offers.SYSTEM, job, made[index][0].id, judged_on=judged_on, accepted_by=actors[index]
            )
        except DomainError as error:
            return error.code
        return "OK"

    results = await asyncio.gather(*(take(i) for i in range(20)))

    assert results.count("OK") == 1 and set(results) == {"OK", "JOB_CHANGED"}
    assert await ProductionJob.filter(id=job, stage=JobStage.ACCEPTED).count() == 1


async def test_one_tailor_accepting_five_offers_with_two_free_places_takes_two(shop, gql):
    ((ani, token),) = await tailors("Ani", capacity=2)
    settings = await weights.settings_of(shop.brand.id)
    jobs = [await ready_job(shop) for _ in range(5)]
    made = [
        await offers.make_offer(await ProductionJob.get(id=j), ani.id, 0.5, settings=settings, attempt=1) for j in jobs
    ]

    results = await asyncio.gather(*(accept(gql, offer, token) for offer in made))

    codes = sorted(r["errors"][0]["code"] if r["errors"] else "OK" for r in results)
    assert codes == ["OK", "OK", "TAILOR_AT_CAPACITY", "TAILOR_AT_CAPACITY", "TAILOR_AT_CAPACITY"]
    assert await ProductionJob.filter(tailor_id=ani.id).count() == 2
    assert (await candidates.active_jobs([ani.id]))[ani.id] == 2


# --- batch --------------------------------------------------------------------------------------------------


async def test_a_batch_offers_as_many_jobs_as_there_are_places_and_says_why_not_the_rest(shop, gql):
    await tailors("Ani", "Budi", capacity=1)
    jobs = [await ready_job(shop) for _ in range(3)]
    [unpaid] = await job_ids(await mtm_order(shop.brand, shop.customer, shop.fabric, paid=False))

    result = (await gql(BATCH, {"jobs": [gid("ProductionJob", j) for j in [*jobs, unpaid]]}))["dispatchBatch"]

    assert result["errors"] == [] and result["method"] == "LINEAR_SUM_ASSIGNMENT"
    assert sorted(o["tailor"]["displayName"] for o in result["offers"]) == ["Ani", "Budi"]
    assert all(o["status"] == "OPEN" for o in result["offers"])
    assert sorted(u["reason"] for u in result["unplaced"]) == ["NOT_PAID", "NO_FREE_PLACE"]
    assert result["totalScore"] > 0
    # Run again: the offered jobs answer first, the others still have no place.
    again = (await gql(BATCH, {"jobs": [gid("ProductionJob", j) for j in jobs]}))["dispatchBatch"]
    assert sorted(u["reason"] for u in again["unplaced"]) == ["ALREADY_OFFERED", "ALREADY_OFFERED", "NO_FREE_PLACE"]


# --- permissions --------------------------------------------------------------------------------------------


async def test_a_tailor_sees_and_answers_only_its_own_offers(shop, gql):
    (ani, ani_token), (_, budi_token) = await tailors("Ani", "Budi")
    await Tailor.filter(id=ani.id).update(capacity=9)
    offer = await offers.offer_next(await ready_job(shop))

    assert (await accept(gql, offer, budi_token))["errors"] == [{"field": "offerId", "code": "NOT_FOUND"}]
    declined = await gql(DECLINE, {"offer": gid("DispatchOffer", offer.id), "reason": "x"}, token=budi_token)
    assert declined["dispatchOfferDecline"]["errors"] == [{"field": "offerId", "code": "NOT_FOUND"}]
    empty = await gql(DECLINE, {"offer": gid("DispatchOffer", offer.id), "reason": " "}, token=ani_token)
    assert empty["dispatchOfferDecline"]["errors"] == [{"field": "reason", "code": "INVALID_REASON"}]
    assert (await DispatchOffer.get(id=offer.id)).status == OfferStatus.OPEN
    assert (await gql.error(MY_OFFERS, token=shop.staff))["extensions"]["code"] == "FORBIDDEN"
    assert (await gql.error(MY_OFFERS, token=None))["extensions"]["code"] == "UNAUTHENTICATED"


async def test_a_brand_batches_only_its_own_jobs(shop, gql):
    await tailors("Ani")
    job = await ready_job(shop)
    other = await make_brand("batik")
    _, intruder = await make_staff(other)

    hidden = await gql(BATCH, {"jobs": [gid("ProductionJob", job)]}, token=intruder, storefront="batik")
    assert hidden["dispatchBatch"]["errors"] == [{"field": "jobIds.0", "code": "NOT_FOUND"}]
    denied = await gql.error(BATCH, {"brand": "sekar"}, token=intruder, storefront="batik")
    assert denied["extensions"]["code"] == "FORBIDDEN"
    assert await DispatchOffer.all().count() == 0


async def actor_for_staff(shop: SimpleNamespace) -> Actor:
    return Actor(
        kind=ActorKind.USER, user_id=1, brand_permissions={shop.brand.id: frozenset({Permission.MANAGE_ORDERS})}
    )


@pytest.mark.engine_independent
def test_expiry_task_is_declared():
    assert "expire_offer" in blueprint.tasks


JOB_OFFERS = """query($job: ID!) { dispatchOffers(jobId: $job) { edges { node { status attempt reason
  tailor { displayName } } } } }"""
METRICS = """{ myDispatchMetrics { tailor { displayName } finishedJobs offersAccepted offersDeclined offersOpen } }"""


async def test_staff_see_a_jobs_offers_and_a_tailor_its_own_metrics(shop, gql):
    (ani, ani_token), (_, budi_token) = await tailors("Ani", "Budi")
    await Tailor.filter(id=ani.id).update(capacity=9)
    job = await ready_job(shop)
    first = await offers.offer_next(job)
    await gql(DECLINE, {"offer": gid("DispatchOffer", first.id), "reason": "Penuh"}, token=ani_token)
    await accept(gql, await open_offer(job), budi_token)

    seen = [e["node"] for e in (await gql(JOB_OFFERS, {"job": gid("ProductionJob", job)}))["dispatchOffers"]["edges"]]
    assert seen == [
        {"status": "ACCEPTED", "attempt": 2, "reason": "", "tailor": {"displayName": "Budi"}},
        {"status": "DECLINED", "attempt": 1, "reason": "Penuh", "tailor": {"displayName": "Ani"}},
    ]
    assert (await gql(METRICS, token=ani_token))["myDispatchMetrics"] == [
        {"tailor": {"displayName": "Ani"}, "finishedJobs": 0, "offersAccepted": 0, "offersDeclined": 1, "offersOpen": 0}
    ]
    assert (await gql(METRICS, token=budi_token))["myDispatchMetrics"][0]["offersAccepted"] == 1
    other = await make_brand("batik")
    _, intruder = await make_staff(other)
    hidden = await gql.error(JOB_OFFERS, {"job": gid("ProductionJob", job)}, token=intruder, storefront="batik")
    assert hidden["extensions"]["code"] == "NOT_FOUND"
    assert (await gql.error(METRICS, token=shop.staff))["extensions"]["code"] == "FORBIDDEN"


async def test_my_offers_cost_the_same_for_2_and_8_offers(shop, gql, sql_counter):
    ((ani, token),) = await tailors("Ani", capacity=20)
    settings = await weights.settings_of(shop.brand.id)
    counts = []
    for size in (2, 8):
        while await DispatchOffer.filter(tailor_id=ani.id).count() < size:
            job = await ProductionJob.get(id=await ready_job(shop))
            await offers.make_offer(job, ani.id, 0.5, settings=settings, attempt=1)
        with sql_counter.counting() as statements:
            found = (await gql(MY_OFFERS, token=token))["myOffers"]["edges"]
        assert len(found) == size
        counts.append(len(statements))
    assert counts[0] == counts[1]


OFFER_NODES = """query($ids: [ID!]!) { nodes(ids: $ids) { __typename id ... on DispatchOffer { status attempt
  job { id } tailor { displayName } } } }"""


async def test_offers_are_nodes_for_their_tailor_and_the_brands_order_staff(shop, gql, sql_counter):
    (ani, ani_token), (_, budi_token) = await tailors("Ani", "Budi")
    await Tailor.filter(id=ani.id).update(capacity=9)
    job = await ready_job(shop)
    offer = await offers.offer_next(job)
    listed = (await gql(MY_OFFERS, token=ani_token))["myOffers"]["edges"][0]["node"]
    expected = {
        "__typename": "DispatchOffer",
        "id": listed["id"],
        "status": "OPEN",
        "attempt": 1,
        "job": {"id": gid("ProductionJob", job)},
        "tailor": {"displayName": "Ani"},
    }
    assert listed["id"] == gid("DispatchOffer", offer.id)
    assert (await gql(OFFER_NODES, {"ids": [listed["id"]]}, token=ani_token))["nodes"] == [expected]  # its tailor
    assert (await gql(OFFER_NODES, {"ids": [listed["id"]]}))["nodes"] == [expected]  # the brand's order staff
    other = await make_brand("batik")
    _, intruder = await make_staff(other)
    stranger = await make_user("x@example.id")
    for caller in (
        {"token": budi_token},
        {"token": intruder, "storefront": "batik"},
        {"token": access_token(stranger)},
        {"token": None},
    ):
        assert (await gql(OFFER_NODES, {"ids": [listed["id"]]}, **caller))["nodes"] == [None], caller
    rows = [
        await DispatchOffer.create(
            brand_id=offer.brand_id,
            job_id=job,
            tailor_id=ani.id,
            status=OfferStatus.DECLINED,
            attempt=i + 2,
            offered_at=offer.offered_at,
            expires_at=offer.expires_at,
        )
        for i in range(30)
    ]
    ids = [gid("DispatchOffer", row.id) for row in rows]
    for token in (ani_token, shop.staff):
        with sql_counter.counting() as few:
            assert None not in (await gql(OFFER_NODES, {"ids": ids[:3]}, token=token))["nodes"]
        with sql_counter.counting() as many:
            assert None not in (await gql(OFFER_NODES, {"ids": ids}, token=token))["nodes"]
        assert len(many) == len(few)
