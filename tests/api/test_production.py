"""Production over GraphQL: a made-to-measure gamis from payment to shipping (assign, the tailor's stages, QC
failing into an alteration then passing, ready, shipped) as staff, tailor and customer see it; the rules
(who may be assigned, who may move what, no skipped stages), remakes, cancelling, bad input, isolation,
concurrency on both engines, and the statement count of the lists."""

from __future__ import annotations

import asyncio
import base64
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest

from core.actors.models import ActorStatus, Certification, CertificationStatus, Supplier, Tailor, TailorKind
from core.auth.models import User
from core.events import DeliveryStatus, Event, EventDelivery
from core.garments.models import Fabric, JobStage, ProductionJob, ProductionStageChange, QcInspection
from core.orders.expiry import cancel_expired_unpaid
from core.orders.models import Order, OrderHistory, OrderLine
from core.payments.models import Payment
from core.plugins import hookimpl
from tests.factories import access_token, make_brand, make_order, make_staff, make_user

JOB_FIELDS = """id stage garment garmentType garmentIndex readyBy orderNumber tailor { displayName }
  fabric { sku name metres } sizeBand measurements { code cm } options { group values text }
  remakeOf remakeCause nextStages
  history { stage fromStage note internalNote role photoUrls } inspections { passed defects { code severity } }"""
ASSIGN = f"""mutation($job: ID!, $tailor: ID!) {{ productionJobAssign(jobId: $job, tailorId: $tailor,
  internalNote: "Ani is fastest") {{ job {{ {JOB_FIELDS} }} errors {{ field code }} }} }}"""
ADVANCE = f"""mutation($job: ID!, $input: ProductionJobAdvanceInput!) {{ productionJobAdvance(jobId: $job,
  input: $input) {{ job {{ {JOB_FIELDS} }} errors {{ field code }} }} }}"""
QC = f"""mutation($job: ID!, $input: ProductionJobReportQcInput!) {{ productionJobReportQc(jobId: $job,
  input: $input) {{ job {{ {JOB_FIELDS} }} remake {{ {JOB_FIELDS} }} inspection {{ passed checklist {{ item passed }}
  defects {{ code severity }} }} errors {{ field code }} }} }}"""
JOBS = f"""query($filter: ProductionJobFilter, $first: Int, $brand: String) {{ productionJobs(filter: $filter,
  first: $first, brand: $brand) {{ totalCount edges {{ node {{ {JOB_FIELDS} }} }} }} }}"""
MY_JOBS = f"""query($filter: MyJobsFilter) {{ myJobs(filter: $filter) {{ edges {{ node {{ {JOB_FIELDS} }} }} }} }}"""
CUSTOMER_ORDER = """query($n: Int!) { order(number: $n) { status productionJobs { id garment garmentType stage
  readyBy tailor { displayName } history { stage at note } } } }"""
RECEIVED = "mutation($id: ID!) { paymentMarkReceived(paymentId: $id) { order { status } errors { code } } }"
CANCEL = "mutation($id: ID!) { orderCancel(id: $id) { order { status } errors { code } } }"
SHIP = """mutation($id: ID!, $input: ShipmentCreateInput!) {
  shipmentCreate(orderId: $id, input: $input) { order { status } errors { field code } } }"""
NODE = "query($id: ID!) { node(id: $id) { ... on ProductionJob { stage } } }"
TODAY = date.today()
SNAPSHOT = {
    "product_id": 1,
    "garment_type": "GAMIS",
    "fabric": {"id": 0, "sku": "WOLFIS-HTM", "name": "Wolfis hitam", "supplier_id": 0},
    "options": [
        {"group": "SLEEVE", "values": ["LONG"], "text": ""},
        {"group": "EMBROIDERY", "values": [], "text": "A"},
    ],
    "measurements": [{"code": "LINGKAR_BADAN", "cm": "96.00"}, {"code": "PANJANG_BAJU", "cm": "140.00"}],
    "profile": None,
    "size_band": "M",
    "fabric_metres": "2.75",
    "production_days": 14,
    "ready_by": str(TODAY + timedelta(days=14)),
}


def gid(type_name: str, id: int) -> str:
    return base64.b64encode(f"{type_name}:{id}".encode()).decode()


async def make_fabric(stock: str = "10") -> Fabric:
    user = await make_user()
    supplier = await Supplier.create(
        user=user, status=ActorStatus.APPROVED, legal_name="PT Kain Nusantara", country="ID", city="Bandung"
    )
    return await Fabric.create(
        supplier=supplier,
        sku="WOLFIS-HTM",
        name="Wolfis hitam",
        price_per_metre=Decimal("45000"),
        currency="IDR",
        stock_metres=Decimal(stock),
    )


async def make_tailor(
    *,
    garment_types: tuple[str, ...] = ("GAMIS",),
    capacity: int = 5,
    status: ActorStatus = ActorStatus.APPROVED,
    certificate: CertificationStatus | None = CertificationStatus.VERIFIED,
    valid_until: date | None = None,
    name: str = "Penjahit Ani",
) -> tuple[Tailor, str]:
    user = await make_user()
    tailor = await Tailor.create(
        user=user,
        kind=TailorKind.INDIVIDUAL,
        display_name=name,
        city="Bandung",
        status=status,
        garment_types=list(garment_types),
        capacity=capacity,
    )
    if certificate is not None:
        await Certification.create(
            tailor=tailor,
            scheme="SKKNI Menjahit",
            certificate_number=f"LSP-{tailor.id}",
            lsp="LSP Garmen",
            issued_on=TODAY - timedelta(days=400),
            valid_until=valid_until or TODAY + timedelta(days=600),
            status=certificate,
        )
    return tailor, access_token(user)


async def mtm_order(
    brand: Any, customer: User, fabric: Fabric | None, *, quantity: int = 1, paid: bool = False
) -> Order:
    """An order with one made-to-measure line of `quantity` gamis and its jobs, as completion leaves them."""
    order = await make_order(brand, user=customer, quantities=(quantity,), paid=paid)
    if paid:
        await Order.filter(id=order.id).update(status="IN_PRODUCTION")
    line = await OrderLine.get(order_id=order.id)
    snapshot = {**SNAPSHOT, "fabric": {**SNAPSHOT["fabric"], "id": fabric.id if fabric else 0}}
    await OrderLine.filter(id=line.id).update(custom_garment=snapshot, product_name="Gamis Aisyah")
    for index in range(1, quantity + 1):
        job = await ProductionJob.create(
            brand_id=brand.id,
            order_id=order.id,
            order_line_id=line.id,
            garment_index=index,
            garment_type_code="GAMIS",
            ready_by=TODAY + timedelta(days=14),
            fabric=fabric,
            fabric_metres=Decimal("2.75"),
        )
        await ProductionStageChange.create(
            job=job, from_stage="", to_stage="QUEUED", actor="system", actor_role="SYSTEM"
        )
    return await Order.get(id=order.id)


async def job_ids(order: Order) -> list[int]:
    return list(await ProductionJob.filter(order_id=order.id).order_by("id").values_list("id", flat=True))


@pytest.fixture
async def shop(gql) -> SimpleNamespace:
    brand = await make_brand("sekar")
    _, staff = await make_staff(brand)
    customer = await make_user("siti@example.id")
    fabric = await make_fabric()
    tailor, tailor_token = await make_tailor()
    gql.storefront, gql.token = "sekar", staff
    return SimpleNamespace(
        brand=brand, staff=staff, customer=customer, fabric=fabric, tailor=tailor, tailor_token=tailor_token
    )


async def assign(gql, job_id: int, tailor_id: int, **kwargs: Any) -> dict[str, Any]:
    data = await gql(ASSIGN, {"job": gid("ProductionJob", job_id), "tailor": gid("Tailor", tailor_id)}, **kwargs)
    return data["productionJobAssign"]


async def advance(gql, job_id: int, to: str, **kwargs: Any) -> dict[str, Any]:
    extra = kwargs.pop("input", {})
    data = await gql(ADVANCE, {"job": gid("ProductionJob", job_id), "input": {"to": to, **extra}}, **kwargs)
    return data["productionJobAdvance"]


async def report(gql, job_id: int, **input: Any) -> dict[str, Any]:
    data = await gql(QC, {"job": gid("ProductionJob", job_id), "input": input})
    return data["productionJobReportQc"]


async def history_count() -> tuple[int, int, int]:
    return (
        await ProductionStageChange.all().count(),
        await QcInspection.all().count(),
        await Event.filter(type__startswith="PRODUCTION_").count(),
    )


# --- the whole path -----------------------------------------------------------------------------------------------


async def test_a_gamis_from_payment_to_shipping(shop, gql):
    order = await mtm_order(shop.brand, shop.customer, shop.fabric)
    [job] = await job_ids(order)
    payment = await Payment.get(order_id=order.id)
    paid = (await gql(RECEIVED, {"id": gid("OrderPayment", payment.id)}))["paymentMarkReceived"]
    assert paid == {"order": {"status": "IN_PRODUCTION"}, "errors": []}
    # Subscribers hear of the payment first, then of the production it starts.
    types = (
        await Event.filter(type__in=["ORDER_PAID", "ORDER_IN_PRODUCTION"]).order_by("id").values_list("type", flat=True)
    )
    assert types == ["ORDER_PAID", "ORDER_IN_PRODUCTION"]

    listed = (await gql(JOBS, {"filter": {"stage": "QUEUED"}}))["productionJobs"]
    assert listed["totalCount"] == 1
    node = listed["edges"][0]["node"]
    assert node["stage"] == "QUEUED" and node["orderNumber"] == order.number and node["garment"] == "Gamis Aisyah"
    assert node["nextStages"] == ["ASSIGNED"]

    assigned = await assign(gql, job, shop.tailor.id)
    assert assigned["errors"] == [] and assigned["job"]["stage"] == "ASSIGNED"
    assert assigned["job"]["tailor"] == {"displayName": "Penjahit Ani"}
    assert assigned["job"]["history"][-1]["internalNote"] == "Ani is fastest"  # staff see it

    by_tailor = {"tailorId": gid("Tailor", shop.tailor.id), "garmentType": "gamis", "stage": ["ASSIGNED", "ACCEPTED"]}
    assert (await gql(JOBS, {"filter": by_tailor}))["productionJobs"]["totalCount"] == 1
    assert (await gql(JOBS, {"filter": {"garmentType": "SHIRT"}}))["productionJobs"]["totalCount"] == 0

    mine = (await gql(MY_JOBS, token=shop.tailor_token))["myJobs"]["edges"]
    [seen] = [edge["node"] for edge in mine]
    assert seen["measurements"] == [{"code": "LINGKAR_BADAN", "cm": "96.00"}, {"code": "PANJANG_BAJU", "cm": "140.00"}]
    assert seen["options"][0] == {"group": "SLEEVE", "values": ["LONG"], "text": ""}
    assert seen["fabric"] == {"sku": "WOLFIS-HTM", "name": "Wolfis hitam", "metres": "2.75"}
    assert seen["sizeBand"] == "M" and seen["nextStages"] == ["QUEUED", "ACCEPTED"]
    assert all(step["internalNote"] is None for step in seen["history"])  # staff only

    photos = {"photoUrls": ["https://img.example.id/potong.jpg"], "note": "Kain sudah dipotong"}
    for stage in ("ACCEPTED", "CUTTING", "SEWING", "FINISHING", "QUALITY_CHECK"):
        moved = await advance(gql, job, stage, token=shop.tailor_token, input=photos if stage == "CUTTING" else {})
        assert moved["errors"] == [] and moved["job"]["stage"] == stage

    failed = await report(
        gql,
        job,
        passed=False,
        outcome="ALTERATION",
        checklist=[{"item": "HEM", "passed": False}],
        defects=[{"code": "uneven_hem", "severity": "MINOR"}],
        note="Kelim dirapikan",
        internalNote="2 cm off",
    )
    assert failed["errors"] == [] and failed["job"]["stage"] == "ALTERATION"
    assert failed["inspection"]["defects"] == [{"code": "UNEVEN_HEM", "severity": "MINOR"}]
    assert (await advance(gql, job, "QUALITY_CHECK", token=shop.tailor_token))["errors"] == []
    passed = await report(gql, job, passed=True, checklist=[{"item": "HEM", "passed": True}])
    assert passed["errors"] == [] and passed["job"]["stage"] == "READY"
    assert [i["passed"] for i in passed["job"]["inspections"]] == [False, True]
    assert (await Order.get(id=order.id)).status == "READY_TO_SHIP"
    refused = await advance(gql, job, "SHIPPED")  # a garment leaves with its order line's parcel
    assert refused == {"job": None, "errors": [{"field": "to", "code": "INVALID_TRANSITION"}]}
    line = await OrderLine.get(order_id=order.id)
    parcel = {"carrier": "JNE", "lines": [{"orderLineId": gid("OrderLine", line.id), "quantity": 1}]}
    shipped = (await gql(SHIP, {"id": gid("Order", order.id), "input": parcel}))["shipmentCreate"]
    assert shipped == {"order": {"status": "SHIPPED"}, "errors": []}

    customer = (await gql(CUSTOMER_ORDER, {"n": order.number}, token=access_token(shop.customer)))["order"]
    assert customer["status"] == "SHIPPED"
    [garment] = customer["productionJobs"]
    assert garment["garment"] == "Gamis Aisyah" and garment["stage"] == "SHIPPED"
    assert garment["tailor"] == {"displayName": "Penjahit Ani"}
    assert [step["stage"] for step in garment["history"]] == [
        "QUEUED",
        "ASSIGNED",
        "ACCEPTED",
        "CUTTING",
        "SEWING",
        "FINISHING",
        "QUALITY_CHECK",
        "ALTERATION",
        "QUALITY_CHECK",
        "READY",
        "SHIPPED",
    ]
    assert garment["history"][3]["note"] == "Kain sudah dipotong"
    assert garment["history"][7]["note"] == "Kelim dirapikan"
    statuses = await OrderHistory.filter(order_id=order.id, kind="STATUS").values_list("to_state", flat=True)
    assert statuses == ["PAID", "IN_PRODUCTION", "READY_TO_SHIP", "SHIPPED"]


async def test_the_order_waits_for_every_garment_and_ignores_remade_ones(shop, gql):
    order = await mtm_order(shop.brand, shop.customer, shop.fabric, quantity=3, paid=True)
    first, second, third = await job_ids(order)
    # Staff cannot call off one garment alone (its line could never ship in full): only with the order.
    refused = await advance(gql, third, "CANCELLED")
    assert refused["errors"] == [{"field": "to", "code": "TRANSITION_NOT_ALLOWED"}]
    await ProductionJob.filter(id=third).update(stage=JobStage.REMADE)  # replaced by a new job, not counted
    for job in (first, second):
        await ProductionJob.filter(id=job).update(stage=JobStage.QUALITY_CHECK, tailor_id=shop.tailor.id)
    assert (await report(gql, first, passed=True))["job"]["stage"] == "READY"
    assert (await Order.get(id=order.id)).status == "IN_PRODUCTION"
    assert (await report(gql, second, passed=True))["job"]["stage"] == "READY"
    assert (await Order.get(id=order.id)).status == "READY_TO_SHIP"
    garments = (await gql(CUSTOMER_ORDER, {"n": order.number}, token=access_token(shop.customer)))["order"]
    assert [g["garment"] for g in garments["productionJobs"]] == [f"Gamis Aisyah ({i}/3)" for i in (1, 2, 3)]


async def test_a_tailor_is_shown_nothing_about_the_customer(gql):
    data = await gql('{ __type(name: "ProductionJob") { fields { name } } }')
    names = {field["name"] for field in data["__type"]["fields"]}
    assert {"measurements", "options", "fabric"} <= names
    assert not names & {"email", "customer", "shippingAddress", "billingAddress", "order", "user"}


# --- who may be assigned ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tailor", "code"),
    [
        ({"certificate": None}, "TAILOR_NOT_CERTIFIED"),
        ({"certificate": CertificationStatus.PENDING}, "TAILOR_NOT_CERTIFIED"),
        ({"valid_until": TODAY - timedelta(days=1)}, "TAILOR_NOT_CERTIFIED"),
        ({"garment_types": ("SHIRT", "BAJU_KOKO")}, "TAILOR_GARMENT_TYPE"),
        ({"status": ActorStatus.SUSPENDED}, "TAILOR_NOT_APPROVED"),
        ({"capacity": 0}, "TAILOR_AT_CAPACITY"),
    ],
)
async def test_only_a_qualified_tailor_with_room_can_be_assigned(shop, gql, tailor, code):
    order = await mtm_order(shop.brand, shop.customer, shop.fabric, paid=True)
    [job] = await job_ids(order)
    candidate, _ = await make_tailor(**tailor)
    before = await history_count()
    result = await assign(gql, job, candidate.id)
    assert result == {"job": None, "errors": [{"field": "tailorId", "code": code}]}
    stored = await ProductionJob.get(id=job)
    assert (stored.stage, stored.tailor_id) == (JobStage.QUEUED, None)
    assert await history_count() == before


async def test_a_certificate_valid_today_is_enough_and_capacity_counts_active_jobs(shop, gql):
    order = await mtm_order(shop.brand, shop.customer, shop.fabric, quantity=3, paid=True)
    first, second, third = await job_ids(order)
    tailor, _ = await make_tailor(capacity=2, valid_until=TODAY)
    assert (await assign(gql, first, tailor.id))["errors"] == []
    assert (await assign(gql, second, tailor.id))["errors"] == []
    assert (await assign(gql, third, tailor.id))["errors"] == [{"field": "tailorId", "code": "TAILOR_AT_CAPACITY"}]
    await ProductionJob.filter(id=first).update(stage=JobStage.QUALITY_CHECK)
    await report(gql, first, passed=True)  # READY no longer takes a place
    assert (await assign(gql, third, tailor.id))["errors"] == []


async def test_an_unpaid_order_is_not_produced_and_a_job_is_assigned_once(shop, gql):
    unpaid = await mtm_order(shop.brand, shop.customer, shop.fabric)
    [job] = await job_ids(unpaid)
    assert (await assign(gql, job, shop.tailor.id))["errors"] == [{"field": "jobId", "code": "ORDER_NOT_IN_PRODUCTION"}]
    order = await mtm_order(shop.brand, shop.customer, shop.fabric, paid=True)
    [job] = await job_ids(order)
    assert (await assign(gql, job, shop.tailor.id))["errors"] == []
    other, _ = await make_tailor(name="Penjahit Budi")
    assert (await assign(gql, job, other.id))["errors"] == [{"field": "to", "code": "INVALID_TRANSITION"}]


# --- who may move what --------------------------------------------------------------------------------------------


async def test_tailors_move_only_their_own_jobs_one_stage_at_a_time(shop, gql):
    order = await mtm_order(shop.brand, shop.customer, shop.fabric, paid=True)
    [job] = await job_ids(order)
    await assign(gql, job, shop.tailor.id)
    _, stranger = await make_tailor(name="Penjahit Lain")
    before = await history_count()
    assert (await advance(gql, job, "ACCEPTED", token=stranger))["errors"] == [{"field": "jobId", "code": "NOT_FOUND"}]
    assert (await gql(MY_JOBS, token=stranger))["myJobs"]["edges"] == []
    assert (await gql(NODE, {"id": gid("ProductionJob", job)}, token=stranger))["node"] is None
    skip = await advance(gql, job, "CUTTING", token=shop.tailor_token)
    assert skip["errors"] == [{"field": "to", "code": "INVALID_TRANSITION"}]
    assert (await advance(gql, job, "ACCEPTED"))["errors"] == [{"field": "to", "code": "TRANSITION_NOT_ALLOWED"}]
    assert await history_count() == before
    await advance(gql, job, "ACCEPTED", token=shop.tailor_token)
    assert (await advance(gql, job, "SEWING", token=shop.tailor_token))["errors"][0]["code"] == "INVALID_TRANSITION"
    assert (await advance(gql, job, "CANCELLED", token=shop.tailor_token))["errors"][0]["code"] == (
        "TRANSITION_NOT_ALLOWED"
    )
    await ProductionJob.filter(id=job).update(stage=JobStage.QUALITY_CHECK)
    # READY takes an inspection, and is brand staff's to give.
    assert (await advance(gql, job, "READY", token=shop.tailor_token))["errors"][0]["code"] == "TRANSITION_NOT_ALLOWED"
    assert (await advance(gql, job, "READY"))["errors"][0]["code"] == "INVALID_TRANSITION"
    assert (await ProductionJob.get(id=job)).stage == JobStage.QUALITY_CHECK


async def test_a_declined_job_goes_back_to_the_queue_unassigned(shop, gql):
    order = await mtm_order(shop.brand, shop.customer, shop.fabric, paid=True)
    [job] = await job_ids(order)
    await assign(gql, job, shop.tailor.id)
    declined = await advance(gql, job, "QUEUED", token=shop.tailor_token, input={"note": "Penuh minggu ini"})
    assert declined["errors"] == []
    stored = await ProductionJob.get(id=job)
    assert (stored.stage, stored.tailor_id, stored.assigned_at) == (JobStage.QUEUED, None, None)
    assert (await gql(MY_JOBS, token=shop.tailor_token))["myJobs"]["edges"] == []
    other, _ = await make_tailor(name="Penjahit Budi")
    assert (await assign(gql, job, other.id))["errors"] == []
    # The first tailor no longer holds it.
    assert (await advance(gql, job, "ACCEPTED", token=shop.tailor_token))["errors"][0]["code"] == "NOT_FOUND"


async def test_staff_take_back_an_accepted_job_before_cutting_and_give_it_to_another_tailor(shop, gql):
    order = await mtm_order(shop.brand, shop.customer, shop.fabric, paid=True)
    [job] = await job_ids(order)
    await assign(gql, job, shop.tailor.id)
    assert (await advance(gql, job, "ACCEPTED", token=shop.tailor_token))["errors"] == []
    # The tailor cannot hand it back once accepted; staff can, while the cloth is still whole.
    refused = await advance(gql, job, "QUEUED", token=shop.tailor_token)
    assert refused["errors"] == [{"field": "to", "code": "TRANSITION_NOT_ALLOWED"}]
    taken = await advance(gql, job, "QUEUED", input={"note": "Penjahit sakit", "internalNote": "Ganti penjahit"})
    assert taken["errors"] == []
    stored = await ProductionJob.get(id=job)
    assert (stored.stage, stored.tailor_id, stored.assigned_at) == (JobStage.QUEUED, None, None)
    other, _ = await make_tailor(name="Penjahit Budi")
    assert (await assign(gql, job, other.id))["errors"] == []
    # Once cut, the job stays with its tailor.
    await ProductionJob.filter(id=job).update(stage=JobStage.CUTTING)
    assert (await advance(gql, job, "QUEUED"))["errors"] == [{"field": "to", "code": "INVALID_TRANSITION"}]


# --- remakes ------------------------------------------------------------------------------------------------------


async def test_a_remake_is_a_new_queued_job_with_its_fabric_reserved_again(shop, gql):
    order = await mtm_order(shop.brand, shop.customer, shop.fabric, paid=True)
    [job] = await job_ids(order)
    await ProductionJob.filter(id=job).update(stage=JobStage.QUALITY_CHECK, tailor_id=shop.tailor.id)
    result = await report(
        gql,
        job,
        passed=False,
        outcome="REMAKE",
        remakeCause="MEASUREMENT",
        defects=[{"code": "TOO_TIGHT", "severity": "CRITICAL"}],
        note="Dijahit ulang dengan ukuran baru",
    )
    assert result["errors"] == []
    assert result["job"]["stage"] == "REMADE"
    remake = result["remake"]
    assert remake["stage"] == "QUEUED" and remake["remakeOf"] == gid("ProductionJob", job)
    assert remake["remakeCause"] == "MEASUREMENT" and remake["tailor"] is None
    assert remake["readyBy"] == str(TODAY + timedelta(days=14))
    fabric = await Fabric.get(id=shop.fabric.id)
    assert fabric.stock_metres.quantize(Decimal("0.01")) == Decimal("7.25")
    garments = (await gql(CUSTOMER_ORDER, {"n": order.number}, token=access_token(shop.customer)))["order"]
    assert [g["stage"] for g in garments["productionJobs"]] == ["REMADE", "QUEUED"]
    assert (await Order.get(id=order.id)).status == "IN_PRODUCTION"


async def test_a_remake_without_fabric_in_stock_is_refused_and_nothing_is_written(shop, gql):
    order = await mtm_order(shop.brand, shop.customer, shop.fabric, paid=True)
    [job] = await job_ids(order)
    await ProductionJob.filter(id=job).update(stage=JobStage.QUALITY_CHECK, tailor_id=shop.tailor.id)
    await Fabric.filter(id=shop.fabric.id).update(stock_metres=Decimal("2.50"))
    before = await history_count()
    result = await report(
        gql,
        job,
        passed=False,
        outcome="REMAKE",
        remakeCause="FABRIC",
        defects=[{"code": "FABRIC_FLAW", "severity": "MAJOR"}],
    )
    assert result["errors"] == [{"field": "outcome", "code": "FABRIC_OUT_OF_STOCK"}]
    assert await history_count() == before
    assert await ProductionJob.filter(order_id=order.id).count() == 1
    assert (await ProductionJob.get(id=job)).stage == JobStage.QUALITY_CHECK
    assert (await Fabric.get(id=shop.fabric.id)).stock_metres.quantize(Decimal("0.01")) == Decimal("2.50")


# --- bad input ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("input", "errors"),
    [
        ({"passed": True, "defects": [{"code": "HOLE", "severity": "CRITICAL"}]}, [("defects", "QC_INCONSISTENT")]),
        ({"passed": True, "checklist": [{"item": "SEAMS", "passed": False}]}, [("checklist", "QC_INCONSISTENT")]),
        ({"passed": True, "outcome": "ALTERATION"}, [("outcome", "QC_INCONSISTENT")]),
        ({"passed": False, "defects": [{"code": "HOLE", "severity": "MAJOR"}]}, [("outcome", "OUTCOME_REQUIRED")]),
        ({"passed": False, "outcome": "ALTERATION"}, [("defects", "QC_REASON_REQUIRED")]),
        (
            {"passed": False, "outcome": "REMAKE", "defects": [{"code": "HOLE", "severity": "MAJOR"}]},
            [("remakeCause", "REMAKE_CAUSE_REQUIRED")],
        ),
        (
            {"passed": True, "checklist": [{"item": "seams", "passed": True}, {"item": "SEAMS", "passed": True}]},
            [("checklist.1.item", "DUPLICATE")],
        ),
        (
            {"passed": True, "checklist": [{"item": "no spaces!", "passed": True}]},
            [("checklist.0.item", "INVALID_CODE")],
        ),
        (
            {"passed": True, "photoUrls": ["javascript:alert(1)", ""]},
            [("photoUrls.0", "INVALID_URL"), ("photoUrls.1", "REQUIRED")],
        ),
        ({"passed": True, "note": "x" * 2001}, [("note", "TOO_LONG")]),
    ],
)
async def test_a_bad_inspection_is_refused_and_nothing_is_written(shop, gql, input, errors):
    order = await mtm_order(shop.brand, shop.customer, shop.fabric, paid=True)
    [job] = await job_ids(order)
    await ProductionJob.filter(id=job).update(stage=JobStage.QUALITY_CHECK, tailor_id=shop.tailor.id)
    before = await history_count()
    result = await report(gql, job, **input)
    assert [(e["field"], e["code"]) for e in result["errors"]] == errors
    assert result["job"] is None
    assert await history_count() == before
    assert (await ProductionJob.get(id=job)).stage == JobStage.QUALITY_CHECK


async def test_bad_ids_and_notes_are_user_errors(shop, gql):
    order = await mtm_order(shop.brand, shop.customer, shop.fabric, paid=True)
    [job] = await job_ids(order)
    before = await history_count()
    wrong_type = await gql(ASSIGN, {"job": gid("Order", order.id), "tailor": gid("Tailor", shop.tailor.id)})
    assert wrong_type["productionJobAssign"]["errors"] == [{"field": "jobId", "code": "INVALID_ID"}]
    missing = await assign(gql, job, 999999)
    assert missing["errors"] == [{"field": "tailorId", "code": "NOT_FOUND"}]
    assert (await assign(gql, 999999, shop.tailor.id))["errors"] == [{"field": "jobId", "code": "NOT_FOUND"}]
    long_note = await advance(gql, job, "CANCELLED", input={"internalNote": "x" * 2001, "photoUrls": ["ftp://a/b"]})
    assert sorted((e["field"], e["code"]) for e in long_note["errors"]) == [
        ("internalNote", "TOO_LONG"),
        ("photoUrls.0", "INVALID_URL"),
    ]
    assert await history_count() == before
    assert (await ProductionJob.get(id=job)).stage == JobStage.QUEUED


# --- isolation ----------------------------------------------------------------------------------------------------


async def test_another_brand_and_other_tailors_cannot_see_or_touch_a_job(shop, gql):
    order = await mtm_order(shop.brand, shop.customer, shop.fabric, paid=True)
    [job] = await job_ids(order)
    other = await make_brand("lain")
    _, outsider = await make_staff(other)
    before = await history_count()
    not_found = [{"field": "jobId", "code": "NOT_FOUND"}]
    assert (await assign(gql, job, shop.tailor.id, token=outsider, storefront="lain"))["errors"] == not_found
    assert (await advance(gql, job, "CANCELLED", token=outsider, storefront="lain"))["errors"] == not_found
    qc = await gql(QC, {"job": gid("ProductionJob", job), "input": {"passed": True}}, token=outsider)
    assert qc["productionJobReportQc"]["errors"] == not_found
    assert (await gql(NODE, {"id": gid("ProductionJob", job)}, token=outsider))["node"] is None
    own = (await gql(JOBS, {}, token=outsider, storefront="lain"))["productionJobs"]
    assert own["totalCount"] == 0
    denied = await gql.error(JOBS, {"brand": "sekar"}, token=outsider)
    assert denied["extensions"]["code"] == "FORBIDDEN"
    assert (await gql.error(MY_JOBS, token=outsider))["extensions"]["code"] == "FORBIDDEN"
    stranger = await make_user()
    hidden = await gql(CUSTOMER_ORDER, {"n": order.number}, token=access_token(stranger))
    assert hidden["order"] is None
    assert await history_count() == before


# --- cancelling the order -----------------------------------------------------------------------------------------


async def test_cancelling_the_order_calls_off_its_jobs_and_returns_uncut_fabric(shop, gql):
    order = await mtm_order(shop.brand, shop.customer, shop.fabric, quantity=3, paid=True)
    _, second, third = await job_ids(order)
    await Fabric.filter(id=shop.fabric.id).update(stock_metres=Decimal("1.00"))
    await ProductionJob.filter(id=second).update(stage=JobStage.ACCEPTED, tailor_id=shop.tailor.id)
    await ProductionJob.filter(id=third).update(stage=JobStage.SEWING, tailor_id=shop.tailor.id)
    assert (await gql(CANCEL, {"id": gid("Order", order.id)}))["orderCancel"]["errors"] == []
    stages = await ProductionJob.filter(order_id=order.id).order_by("id").values_list("stage", flat=True)
    assert stages == ["CANCELLED"] * 3
    # Two uncut garments (2 × 2.75 m) go back; the one being sewn keeps its cloth.
    assert (await Fabric.get(id=shop.fabric.id)).stock_metres.quantize(Decimal("0.01")) == Decimal("6.50")
    cancelled = await Event.get(type="ORDER_CANCELLED")
    assert cancelled.payload["data"]["releasedFabric"] == [{"fabricId": shop.fabric.id, "metres": "5.50"}]
    assert not await EventDelivery.filter(
        event__type="PRODUCTION_STAGE_CHANGED", status=DeliveryStatus.PENDING
    ).exists()
    # Nothing is returned twice.
    assert (await gql(CANCEL, {"id": gid("Order", order.id)}))["orderCancel"]["errors"] == [
        {"code": "INVALID_TRANSITION"}
    ]
    assert (await Fabric.get(id=shop.fabric.id)).stock_metres.quantize(Decimal("0.01")) == Decimal("6.50")


async def test_an_unpaid_order_that_expires_gives_its_fabric_back(shop, gql):
    order = await mtm_order(shop.brand, shop.customer, shop.fabric, quantity=2)
    await Order.filter(id=order.id).update(payment_due_at=datetime.now(UTC) - timedelta(minutes=1))
    assert await cancel_expired_unpaid(datetime.now(UTC), None) == 1
    stages = await ProductionJob.filter(order_id=order.id).values_list("stage", flat=True)
    assert stages == ["CANCELLED", "CANCELLED"]
    assert (await Fabric.get(id=shop.fabric.id)).stock_metres.quantize(Decimal("0.01")) == Decimal("15.50")
    roles = await ProductionStageChange.filter(to_stage="CANCELLED").values_list("actor_role", flat=True)
    assert roles == ["SYSTEM", "SYSTEM"]


# --- concurrency (both engines) -----------------------------------------------------------------------------------


async def test_two_staff_giving_a_tailor_its_last_place_at_once_cannot_both_win(shop, gql):
    order = await mtm_order(shop.brand, shop.customer, shop.fabric, quantity=2, paid=True)
    first, second = await job_ids(order)
    tailor, _ = await make_tailor(capacity=1, name="Penjahit Sibuk")
    _, colleague = await make_staff(shop.brand)
    results = await asyncio.gather(assign(gql, first, tailor.id), assign(gql, second, tailor.id, token=colleague))
    assert sorted(len(r["errors"]) for r in results) == [0, 1]
    assert [e["code"] for r in results for e in r["errors"]] == ["TAILOR_AT_CAPACITY"]
    assert await ProductionJob.filter(tailor_id=tailor.id).count() == 1


async def test_two_racing_moves_of_one_job_have_one_winner(shop, gql):
    order = await mtm_order(shop.brand, shop.customer, shop.fabric, paid=True)
    [job] = await job_ids(order)
    await assign(gql, job, shop.tailor.id)
    results = await asyncio.gather(
        advance(gql, job, "ACCEPTED", token=shop.tailor_token), advance(gql, job, "QUEUED", token=shop.tailor_token)
    )
    assert sorted(len(r["errors"]) for r in results) == [0, 1]
    assert await ProductionStageChange.filter(job_id=job).count() == 3  # created, assigned, one move


# --- cost ---------------------------------------------------------------------------------------------------------


async def test_the_lists_cost_the_same_for_3_and_30_jobs(shop, gql, sql_counter):
    counts = []
    for quantity in (3, 30):
        order = await mtm_order(shop.brand, shop.customer, shop.fabric, quantity=quantity, paid=True)
        await ProductionJob.filter(order_id=order.id).update(tailor_id=shop.tailor.id, stage=JobStage.ASSIGNED)
        with sql_counter.counting() as statements:
            staff = await gql(JOBS, {"filter": {"orderNumber": order.number}, "first": 50})
            mine = await gql(MY_JOBS, token=shop.tailor_token)
            customer = await gql(CUSTOMER_ORDER, {"n": order.number}, token=access_token(shop.customer))
        assert staff["productionJobs"]["totalCount"] == quantity
        assert len(customer["order"]["productionJobs"]) == quantity
        assert mine["myJobs"]["edges"]
        counts.append(len(statements))
    assert counts[0] == counts[1]


# --- the production_event hook ------------------------------------------------------------------------------------


@pytest.fixture
def listener(use_plugin) -> SimpleNamespace:
    seen = SimpleNamespace(events=[])

    async def production_event(event: dict[str, Any]) -> None:
        seen.events.append(event)

    use_plugin(SimpleNamespace(production_event=hookimpl(production_event)), name="listener")
    return seen


async def test_hook_production_event(listener, shop, gql):
    order = await mtm_order(shop.brand, shop.customer, shop.fabric, paid=True)
    [job] = await job_ids(order)
    await assign(gql, job, shop.tailor.id)
    await advance(gql, job, "ACCEPTED", token=shop.tailor_token, input={"note": "Siap", "internalNote": "rahasia"})
    assigned, accepted = listener.events
    assert set(assigned) == {"id", "type", "brand", "job", "data", "occurredAt"}
    assert assigned["type"] == "PRODUCTION_STAGE_CHANGED" and assigned["brand"] == "sekar"
    assert assigned["job"]["id"] == job and assigned["job"]["orderNumber"] == order.number
    assert assigned["data"]["fromStage"] == "QUEUED" and assigned["data"]["tailorId"] == shop.tailor.id
    assert accepted["data"] == {
        "fromStage": "ASSIGNED",
        "toStage": "ACCEPTED",
        "actor": f"user:{shop.tailor.user_id}",
        "role": "TAILOR",
        "note": "Siap",
        "photoUrls": [],
    }
    assert "rahasia" not in str(listener.events)
    assert not await EventDelivery.filter(event__type__startswith="PRODUCTION_", status=DeliveryStatus.PENDING).exists()
