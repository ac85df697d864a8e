"""The made-to-measure path of issue 7 over GraphQL only, with the real built-in plugins (shipping_rates for
delivery, bank_transfer for payment): the platform and a brand set up (brand, supplier and fabric, a certified
tailor, delivery and a bank account), a customer saves measurements, is quoted a gamis, orders and pays it;
staff assign the tailor, the tailor makes it, QC fails once then passes, staff ship it; the customer follows
every step and nobody else sees it. Then shipping's rules for made-to-measure lines: a garment leaves only
once ready, and leaving moves its production job to SHIPPED."""

from __future__ import annotations

import base64
from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from core.actors.models import Brand
from core.events import Event
from core.garments.models import Fabric, JobStage, ProductionJob, ProductionStageChange
from core.orders.models import Order, OrderLine, Shipment
from tests.api.custom_garment_setup import SET, configuration, gid
from tests.api.test_checkout import COMPLETE, EMAIL, JAKARTA, PAY, SHIP_TO
from tests.api.test_measurement_profiles import GAMIS
from tests.api.test_production import ADVANCE, ASSIGN, QC, make_fabric, make_tailor, mtm_order
from tests.api.test_production import SNAPSHOT as PRODUCTION_SNAPSHOT
from tests.api.test_storefront_flow import DELIVERY, MARK_RECEIVED, configure_brand
from tests.factories import (
    PASSWORD,
    access_token,
    make_admin,
    make_brand,
    make_order,
    make_product,
    make_staff,
    make_user,
)

TODAY = date.today()
ERRORS = "errors { field code message }"
BRAND_APPLY = """mutation($input: BrandApplyInput!) { brandApply(input: $input) { brand { id } errors { code } } }"""
BRAND_APPROVE = "mutation($id: ID!) { brandApprove(id: $id) { brand { status } errors { code } } }"
STOREFRONT = """mutation($input: StorefrontUpdateInput!) { storefrontUpdate(input: $input, brand: "sekar") {
  errors { field code } } }"""
SUPPLIER_APPLY = """mutation($input: SupplierApplyInput!) { supplierApply(input: $input) {
  supplier { id } errors { code } } }"""
SUPPLIER_APPROVE = "mutation($id: ID!) { supplierApprove(id: $id) { supplier { status } errors { code } } }"
FABRIC_CREATE = """mutation($input: FabricCreateInput!) { fabricCreate(input: $input) {
  fabric { id stockMetres } errors { field code } } }"""
RATE_SET = """mutation($input: ExchangeRateSetInput!) { exchangeRateSet(input: $input) {
  exchangeRate { rate } errors { code } } }"""
TAILOR_APPLY = (
    """mutation($input: TailorApplyInput!) { tailorApply(input: $input) { tailor { id } errors { code } } }"""
)
TAILOR_APPROVE = "mutation($id: ID!) { tailorApprove(id: $id) { tailor { status } errors { code } } }"
CERTIFY = """mutation($input: TailorCertificationAddInput!) { tailorCertificationAdd(input: $input) {
  certification { id } errors { field code } } }"""
VERIFY = "mutation($id: ID!) { tailorCertificationVerify(id: $id) { certification { isValid } errors { code } } }"
REGISTER = """mutation($input: AccountRegisterInput!) { accountRegister(input: $input) { errors { code } } }"""
SIGN_IN = """mutation($email: String!, $password: String!) {
  tokenCreate(input: { email: $email, password: $password }) { token errors { code } } }"""
PROFILE_CREATE = """mutation($input: MeasurementProfileCreateInput!) { measurementProfileCreate(input: $input) {
  measurementProfile { id version } errors { field code } } }"""
PRICED = "unitPrice { amount currency } total { amount currency } sizeBand readyBy fabricCharge { metres }"
QUOTE = f"""query($input: CustomGarmentInput!, $currency: String) {{
  customGarmentQuote(input: $input, currency: $currency) {{ quote {{ {PRICED} }} {ERRORS} }} }}"""
CHECKOUT_CREATE = f"""mutation($input: CheckoutCreateInput!) {{
  checkoutCreate(input: $input) {{ checkout {{ token }} {ERRORS} }} }}"""
GARMENT_ADD = f"""mutation($t: String!, $input: CustomGarmentInput!) {{
  checkoutCustomGarmentAdd(token: $t, input: $input) {{
    checkout {{ lines {{ quantity unitPrice {{ amount currency }} total {{ amount currency }}
                        customGarment {{ {PRICED} }} }} }} {ERRORS} }} }}"""
METHODS = "query($t: String) { checkout(token: $t) { availableShippingMethods { id } } }"
ORDER_PAYMENTS = "query($n: Int!) { order(number: $n) { id status payments { id } lines { id } } }"
SNAPSHOT = """customGarment { garmentType sizeBand fabric { sku name } fabricMetres options { group values text }
  measurements { code cm } readyBy productionDays profile { id version } }"""
TIMELINE = "productionJobs { garment stage readyBy history { stage at note } }"
MY_ORDER = f"query($n: Int!) {{ order(number: $n) {{ status lines {{ {SNAPSHOT} }} {TIMELINE} }} }}"
MY_ORDERS = f"{{ me {{ orders {{ edges {{ node {{ number status lines {{ {SNAPSHOT} }} {TIMELINE} }} }} }} }} }}"
SHIP = f"""mutation($id: ID!, $input: ShipmentCreateInput!) {{
  shipmentCreate(orderId: $id, input: $input) {{ shipment {{ carrier }} order {{ status lines {{ quantityShipped }} }}
  {ERRORS} }} }}"""
ORDER_LINES = "query($id: ID!) { node(id: $id) { ... on Order { lines { customGarment { garmentType } } } } }"
OPTIONS = [
    {"group": "COLLAR", "values": ["BULAT"]},
    {"group": "POCKET", "values": ["SIDE", "CHEST"]},
    {"group": "EMBROIDERY", "text": "Siti A."},
]
INTERNAL = ("Ani is fastest", "2 cm off")  # staff's notes: never shown to the customer


async def ok(gql, query: str, variables: dict[str, Any], field: str, **kwargs: Any) -> dict[str, Any]:
    """Run a mutation or a quote that must succeed and return its payload."""
    payload = (await gql(query, variables, **kwargs))[field]
    assert payload["errors"] == [], payload
    return payload


async def platform(gql) -> SimpleNamespace:
    """What happens before the first order: a brand applies and is approved, a supplier joins and lists a fabric,
    a tailor joins with a verified SKKNI certificate, the admin keeps a MYR rate; the brand sets up a
    made-to-measure gamis (built-in GAMIS type), delivery and bank transfer."""
    _, admin = await make_admin()
    owner = access_token(await make_user("pemilik@sekar.id"))
    brand = await ok(gql, BRAND_APPLY, {"input": {"slug": "sekar", "name": "Sekar Busana"}}, "brandApply", token=owner)
    await ok(gql, BRAND_APPROVE, {"id": brand["brand"]["id"]}, "brandApprove", token=admin)
    shop = {"currencies": ["IDR", "MYR"], "shipsTo": ["ID", "MY"]}
    await ok(gql, STOREFRONT, {"input": shop}, "storefrontUpdate", token=owner)

    supplier_user = access_token(await make_user())
    supplier = {
        "legalName": "PT Kain Nusantara",
        "country": "ID",
        "city": "Bandung",
        "contactName": "Dewi",
        "contactEmail": "dewi@kain.id",
        "contactPhone": "0812-1111-2222",
        "supplies": ["FABRIC"],
    }
    applied = await ok(gql, SUPPLIER_APPLY, {"input": supplier}, "supplierApply", token=supplier_user)
    await ok(gql, SUPPLIER_APPROVE, {"id": applied["supplier"]["id"]}, "supplierApprove", token=admin)
    wolfis = {"sku": "WOLFIS-HTM", "name": "Wolfis hitam", "pricePerMetre": "45000", "currency": "IDR"}
    fabric = await ok(
        gql,
        FABRIC_CREATE,
        {"input": {**wolfis, "stockMetres": "100", "leadTimeDays": 7}},
        "fabricCreate",
        token=supplier_user,
    )
    fabric_id = fabric["fabric"]["id"]
    await ok(gql, RATE_SET, {"input": {"base": "MYR", "quote": "IDR", "rate": "3500"}}, "exchangeRateSet", token=admin)

    tailor_user = access_token(await make_user())
    tailor = {
        "kind": "INDIVIDUAL",
        "displayName": "Penjahit Ani",
        "city": "Bandung",
        "garmentTypes": ["GAMIS"],
        "capacity": 3,
        "leadTimeDays": 14,
        "phone": "+62 812 3456 7890",
    }
    made = await ok(gql, TAILOR_APPLY, {"input": tailor}, "tailorApply", token=tailor_user)
    certificate = {
        "scheme": "SKKNI Menjahit Pakaian",
        "kkniLevel": 3,
        "certificateNumber": "LSP-GAR 2024 00123",
        "lsp": "LSP Garmen Indonesia",
        "issuedOn": str(TODAY - timedelta(days=400)),
        "validUntil": str(TODAY + timedelta(days=600)),
    }
    certified = await ok(gql, CERTIFY, {"input": certificate}, "tailorCertificationAdd", token=tailor_user)
    assert (await ok(gql, VERIFY, {"id": certified["certification"]["id"]}, "tailorCertificationVerify", token=admin))[
        "certification"
    ] == {"isValid": True}
    await ok(gql, TAILOR_APPROVE, {"id": made["tailor"]["id"]}, "tailorApprove", token=admin)

    # The gamis product itself comes from a factory: creating products is covered by the catalog tests.
    sekar = await Brand.get(slug="sekar")
    product = await make_product(sekar, "Gamis Aisyah", sizes=("",), made_to_measure=True)
    fabric_row = SimpleNamespace(id=decoded(fabric_id))
    config = configuration(fabric_row, fabric_row)
    config["fabrics"] = config["fabrics"][:1]  # one fabric, built by its supplier over the API
    await ok(gql, SET, {"id": gid("Product", product.id), "input": config}, "productMadeToMeasureSet", token=owner)
    await configure_brand(gql, owner)
    return SimpleNamespace(
        brand=sekar,
        owner=owner,
        admin=admin,
        fabric_id=fabric_id,
        fabric=fabric_row.id,
        tailor_id=made["tailor"]["id"],
        tailor=tailor_user,
        product_id=gid("Product", product.id),
    )


def decoded(global_id: str) -> int:
    return int(base64.b64decode(global_id).decode().split(":")[1])


async def customer(gql, email: str) -> str:
    """Register and sign in, as a storefront does."""
    await ok(gql, REGISTER, {"input": {"email": email, "password": PASSWORD, "fullName": "Siti"}}, "accountRegister")
    signed_in = (await gql(SIGN_IN, {"email": email, "password": PASSWORD}))["tokenCreate"]
    assert signed_in["errors"] == []
    return signed_in["token"]


def garment(p: SimpleNamespace, profile_id: str) -> dict[str, Any]:
    return {"productId": p.product_id, "fabricId": p.fabric_id, "options": OPTIONS, "measurementProfileId": profile_id}


async def follow(gql, token: str, number: int) -> dict[str, Any]:
    mine = (await gql(MY_ORDER, {"n": number}, storefront="sekar", token=token))["order"]
    for job in mine["productionJobs"]:
        for step in job["history"]:
            assert not any(note in step["note"] for note in INTERNAL), step
    return mine


async def test_a_customer_orders_a_made_to_measure_gamis_and_follows_it_until_shipped(gql):
    p = await platform(gql)
    siti = await customer(gql, "siti@example.id")
    profile = await ok(
        gql,
        PROFILE_CREATE,
        {"input": {"garmentType": "GAMIS", "name": "Lebaran", "measurements": GAMIS}},
        "measurementProfileCreate",
        token=siti,
    )
    profile_id = profile["measurementProfile"]["id"]

    # Quote: base 350000 + collar 15000 + pockets 10000 + 12500 + embroidery 25000 + 2.50 m (band S) × 45000.
    quoted = await ok(
        gql, QUOTE, {"input": garment(p, profile_id)}, "customGarmentQuote", storefront="sekar", token=siti
    )
    quote = quoted["quote"]
    assert quote["unitPrice"] == {"amount": "525000.00", "currency": "IDR"}
    assert (quote["sizeBand"], quote["fabricCharge"]["metres"]) == ("S", "2.50")
    ready_by = quote["readyBy"]
    assert ready_by == str(TODAY + timedelta(days=14))

    made = await ok(
        gql, CHECKOUT_CREATE, {"input": {"currency": "IDR"}}, "checkoutCreate", storefront="sekar", token=siti
    )
    token = made["checkout"]["token"]
    added = await ok(
        gql,
        GARMENT_ADD,
        {"t": token, "input": garment(p, profile_id)},
        "checkoutCustomGarmentAdd",
        storefront="sekar",
        token=siti,
    )
    [line] = added["checkout"]["lines"]
    assert line["unitPrice"] == quote["unitPrice"] and line["total"] == quote["total"]  # to the last sen
    assert line["customGarment"] == quote
    await ok(gql, EMAIL, {"t": token, "e": "siti@example.id"}, "checkoutEmailUpdate", storefront="sekar", token=siti)
    await ok(gql, SHIP_TO, {"t": token, "a": JAKARTA}, "checkoutShippingAddressUpdate", storefront="sekar", token=siti)
    [method] = (await gql(METHODS, {"t": token}, storefront="sekar", token=siti))["checkout"][
        "availableShippingMethods"
    ]
    await ok(
        gql, DELIVERY, {"t": token, "m": method["id"]}, "checkoutDeliveryMethodUpdate", storefront="sekar", token=siti
    )
    paying = await ok(
        gql, PAY, {"t": token, "g": "bank_transfer"}, "checkoutPaymentCreate", storefront="sekar", token=siti
    )
    assert paying["payment"]["amount"] == {"amount": "543000.00", "currency": "IDR"}  # + JNE REG 18000
    done = await ok(gql, COMPLETE, {"t": token, "k": f"k-{token}"}, "checkoutComplete", storefront="sekar", token=siti)
    number = done["order"]["number"]
    assert done["order"]["status"] == "UNPAID"
    assert (await Fabric.get(id=p.fabric)).stock_metres.quantize(Decimal("0.01")) == Decimal("97.50")

    order = (await gql(ORDER_PAYMENTS, {"n": number}, storefront="sekar", token=siti))["order"]
    [payment] = order["payments"]
    received = await ok(
        gql, MARK_RECEIVED, {"id": payment["id"]}, "paymentMarkReceived", storefront="sekar", token=p.owner
    )
    assert received["order"]["status"] == "IN_PRODUCTION"

    mine = await follow(gql, siti, number)
    assert mine["status"] == "IN_PRODUCTION"
    [snapshot] = [li["customGarment"] for li in mine["lines"]]
    assert snapshot == {
        "garmentType": "GAMIS",
        "sizeBand": "S",
        "fabric": {"sku": "WOLFIS-HTM", "name": "Wolfis hitam"},
        "fabricMetres": "2.50",
        "options": [
            {"group": "COLLAR", "values": ["BULAT"], "text": ""},
            {"group": "POCKET", "values": ["SIDE", "CHEST"], "text": ""},
            {"group": "EMBROIDERY", "values": [], "text": "Siti A."},
        ],
        "measurements": snapshot["measurements"],
        "readyBy": ready_by,
        "productionDays": 14,
        "profile": {"id": profile_id, "version": 1},
    }
    assert {m["code"]: m["cm"] for m in snapshot["measurements"]}["LINGKAR_PINGGANG"] == "76.50"
    assert mine["productionJobs"] == [
        {
            "garment": "Gamis Aisyah",
            "stage": "QUEUED",
            "readyBy": ready_by,
            "history": mine["productionJobs"][0]["history"],
        }
    ]
    [job] = await ProductionJob.filter(order__number=number).values_list("id", flat=True)
    job_id = gid("ProductionJob", job)

    # Not ready: the order cannot be shipped yet.
    parcel = {
        "carrier": "JNE",
        "trackingNumber": "JNE0042",
        "lines": [{"orderLineId": order["lines"][0]["id"], "quantity": 1}],
    }
    early = (await gql(SHIP, {"id": order["id"], "input": parcel}, storefront="sekar", token=p.owner))["shipmentCreate"]
    assert [e["code"] for e in early["errors"]] == ["INVALID_TRANSITION"] and early["order"] is None

    expected = ["QUEUED"]

    async def step(payload: dict[str, Any], stage: str) -> None:
        assert payload["errors"] == [] and payload["job"]["stage"] == stage, payload
        expected.append(stage)
        seen = await follow(gql, siti, number)
        assert [s["stage"] for s in seen["productionJobs"][0]["history"]] == expected
        assert seen["productionJobs"][0]["stage"] == stage

    await step(
        (await gql(ASSIGN, {"job": job_id, "tailor": p.tailor_id}, token=p.owner))["productionJobAssign"], "ASSIGNED"
    )
    for stage in ("ACCEPTED", "CUTTING", "SEWING", "FINISHING", "QUALITY_CHECK"):
        moved = await gql(ADVANCE, {"job": job_id, "input": {"to": stage, "note": f"{stage} beres"}}, token=p.tailor)
        await step(moved["productionJobAdvance"], stage)
    failed = {
        "passed": False,
        "outcome": "ALTERATION",
        "checklist": [{"item": "HEM", "passed": False}],
        "defects": [{"code": "UNEVEN_HEM", "severity": "MINOR"}],
        "note": "Kelim dirapikan",
        "internalNote": "2 cm off",
    }
    qc = (await gql(QC, {"job": job_id, "input": failed}, token=p.owner))["productionJobReportQc"]
    assert qc["inspection"]["defects"] == [{"code": "UNEVEN_HEM", "severity": "MINOR"}]
    await step(qc, "ALTERATION")
    back = await gql(ADVANCE, {"job": job_id, "input": {"to": "QUALITY_CHECK"}}, token=p.tailor)
    await step(back["productionJobAdvance"], "QUALITY_CHECK")
    passed = {"passed": True, "checklist": [{"item": "HEM", "passed": True}]}
    await step((await gql(QC, {"job": job_id, "input": passed}, token=p.owner))["productionJobReportQc"], "READY")
    assert (await follow(gql, siti, number))["status"] == "READY_TO_SHIP"

    shipped = await ok(
        gql, SHIP, {"id": order["id"], "input": parcel}, "shipmentCreate", storefront="sekar", token=p.owner
    )
    assert shipped["order"] == {"status": "SHIPPED", "lines": [{"quantityShipped": 1}]}
    expected.append("SHIPPED")
    seen = await follow(gql, siti, number)
    assert seen["status"] == "SHIPPED"
    timeline = seen["productionJobs"][0]["history"]
    assert [s["stage"] for s in timeline] == expected
    assert timeline[7]["note"] == "Kelim dirapikan" and timeline[-1]["note"] == "Sent with JNE JNE0042."
    assert all(timeline[i]["at"] <= timeline[i + 1]["at"] for i in range(len(timeline) - 1))

    listed = (await gql(MY_ORDERS, storefront="sekar", token=siti))["me"]["orders"]["edges"]
    assert [edge["node"]["number"] for edge in listed] == [number]
    assert listed[0]["node"]["productionJobs"] == seen["productionJobs"]
    assert listed[0]["node"]["lines"] == seen["lines"]

    other = await customer(gql, "orang@example.id")
    assert (await gql(MY_ORDER, {"n": number}, storefront="sekar", token=other))["order"] is None
    assert (await gql(MY_ORDERS, storefront="sekar", token=other))["me"]["orders"]["edges"] == []
    assert (await gql(ORDER_LINES, {"id": order["id"]}, token=other))["node"] is None


async def test_a_quote_in_ringgit_equals_its_checkout_line(gql):
    p = await platform(gql)
    siti = await customer(gql, "siti@example.id")
    profile = await ok(
        gql,
        PROFILE_CREATE,
        {"input": {"garmentType": "GAMIS", "name": "Lebaran", "measurements": GAMIS}},
        "measurementProfileCreate",
        token=siti,
    )
    request = garment(p, profile["measurementProfile"]["id"])
    quoted = await ok(
        gql, QUOTE, {"input": request, "currency": "MYR"}, "customGarmentQuote", storefront="sekar", token=siti
    )
    # 110 + 5 + 3 + 4 + 8 + 2.50 m × 45000 IDR / 3500 (12.857142…) = 32.142857… → 32.14
    assert quoted["quote"]["unitPrice"] == {"amount": "162.14", "currency": "MYR"}
    made = await ok(
        gql, CHECKOUT_CREATE, {"input": {"currency": "MYR"}}, "checkoutCreate", storefront="sekar", token=siti
    )
    added = await ok(
        gql,
        GARMENT_ADD,
        {"t": made["checkout"]["token"], "input": {**request, "quantity": 2}},
        "checkoutCustomGarmentAdd",
        storefront="sekar",
        token=siti,
    )
    [line] = added["checkout"]["lines"]
    assert line["unitPrice"] == quoted["quote"]["unitPrice"]
    assert line["total"] == {"amount": "324.28", "currency": "MYR"}


# --- shipping made-to-measure lines ---------------------------------------------------------------------------


async def shipping_state(order_id: int) -> list[Any]:
    return [
        await OrderLine.filter(order_id=order_id).order_by("id").values_list("quantity_shipped", flat=True),
        await Shipment.filter(order_id=order_id).count(),
        await ProductionJob.filter(order_id=order_id).order_by("id").values_list("stage", flat=True),
        await ProductionStageChange.all().count(),
        await Event.all().count(),
        (await Order.get(id=order_id)).status,
    ]


async def qc_pass(gql, job: ProductionJob, tailor_id: int, staff: str) -> None:
    await ProductionJob.filter(id=job.id).update(stage=JobStage.QUALITY_CHECK, tailor_id=tailor_id)
    passed = await gql(QC, {"job": gid("ProductionJob", job.id), "input": {"passed": True}}, token=staff)
    assert passed["productionJobReportQc"]["job"]["stage"] == "READY"


async def test_a_made_to_measure_line_ships_only_ready_garments_and_shipping_moves_them(gql):
    # Given three gamis on one line, one replaced and two through QC: the order is READY_TO_SHIP.
    brand = await make_brand("sekar")
    _, staff = await make_staff(brand)
    gql.storefront, gql.token = "sekar", staff
    tailor, _ = await make_tailor()
    order = await mtm_order(brand, await make_user(), await make_fabric(), quantity=3, paid=True)
    line = await OrderLine.get(order_id=order.id)
    first, second, third = await ProductionJob.filter(order_id=order.id).order_by("id")
    # Staff cannot call one garment off alone; the third is set aside as replaced (REMADE), which no longer counts.
    cancelled = await gql(ADVANCE, {"job": gid("ProductionJob", third.id), "input": {"to": "CANCELLED"}})
    assert cancelled["productionJobAdvance"]["errors"] == [{"field": "to", "code": "TRANSITION_NOT_ALLOWED"}]
    await ProductionJob.filter(id=third.id).update(stage=JobStage.REMADE)
    for job in (first, second):
        await qc_pass(gql, job, tailor.id, staff)
    assert (await Order.get(id=order.id)).status == "READY_TO_SHIP"
    order_id, line_id = gid("Order", order.id), gid("OrderLine", line.id)

    def parcel(quantity: int, tracking: str = "") -> dict[str, Any]:
        lines = [{"orderLineId": line_id, "quantity": quantity}]
        return {"id": order_id, "input": {"carrier": "JNE", "trackingNumber": tracking, "lines": lines}}

    # When staff ship all three: refused (two are ready), nothing written.
    before = await shipping_state(order.id)
    refused = (await gql(SHIP, parcel(3)))["shipmentCreate"]
    assert refused["order"] is None
    assert [(e["field"], e["code"]) for e in refused["errors"]] == [("lines.0.quantity", "GARMENT_NOT_READY")]
    assert await shipping_state(order.id) == before

    # One parcel with one garment: the first ready job is SHIPPED by staff, with the shipment in its event.
    shipped = (await gql(SHIP, parcel(1, "JNE7")))["shipmentCreate"]
    assert shipped["errors"] == []
    assert shipped["order"] == {"status": "PARTIALLY_SHIPPED", "lines": [{"quantityShipped": 1}]}
    stages = await ProductionJob.filter(order_id=order.id).order_by("id").values_list("stage", flat=True)
    assert stages == [JobStage.SHIPPED, JobStage.READY, JobStage.REMADE]
    change = await ProductionStageChange.filter(job_id=first.id).order_by("-id").first()
    assert change is not None
    assert (change.from_stage, change.to_stage, change.actor_role, change.note) == (
        "READY",
        "SHIPPED",
        "STAFF",
        "Sent with JNE JNE7.",
    )
    shipment = await Shipment.get(order_id=order.id)
    event = await Event.filter(type="PRODUCTION_STAGE_CHANGED").order_by("-id").first()
    assert event is not None and event.payload["data"]["shipmentId"] == shipment.id

    # Two more cannot leave (one is ready, the other was replaced); the one that is ready can.
    before = await shipping_state(order.id)
    assert [e["code"] for e in (await gql(SHIP, parcel(2)))["shipmentCreate"]["errors"]] == ["GARMENT_NOT_READY"]
    assert await shipping_state(order.id) == before
    last = (await gql(SHIP, parcel(1)))["shipmentCreate"]
    assert last["errors"] == [] and last["order"]["lines"] == [{"quantityShipped": 2}]
    stages = await ProductionJob.filter(order_id=order.id).order_by("id").values_list("stage", flat=True)
    assert stages == [JobStage.SHIPPED, JobStage.SHIPPED, JobStage.REMADE]


async def test_ready_made_lines_ship_beside_a_made_to_measure_one(gql):
    # Given an order with a made-to-measure gamis (ready) and two ready-made scarves.
    brand = await make_brand("sekar")
    _, staff = await make_staff(brand)
    gql.storefront, gql.token = "sekar", staff
    tailor, _ = await make_tailor()
    fabric = await make_fabric()
    order = await make_order(brand, user=await make_user(), quantities=(1, 2), paid=True)
    garment_line, scarves = await OrderLine.filter(order_id=order.id).order_by("id")
    snapshot = {**PRODUCTION_SNAPSHOT, "fabric": {**PRODUCTION_SNAPSHOT["fabric"], "id": fabric.id}}
    await OrderLine.filter(id=garment_line.id).update(custom_garment=snapshot)
    await Order.filter(id=order.id).update(status="IN_PRODUCTION")
    job = await ProductionJob.create(
        brand_id=brand.id,
        order_id=order.id,
        order_line_id=garment_line.id,
        garment_index=1,
        garment_type_code="GAMIS",
        fabric=fabric,
        fabric_metres=Decimal("2.75"),
    )
    await qc_pass(gql, job, tailor.id, staff)
    order_id = gid("Order", order.id)

    # The scarves leave first, the gamis on its own later.
    scarf_parcel = {"carrier": "JNE", "lines": [{"orderLineId": gid("OrderLine", scarves.id), "quantity": 2}]}
    first = (await gql(SHIP, {"id": order_id, "input": scarf_parcel}))["shipmentCreate"]
    assert first["errors"] == [] and first["order"]["status"] == "PARTIALLY_SHIPPED"
    assert (await ProductionJob.get(id=job.id)).stage == JobStage.READY
    gamis_parcel = {"carrier": "JNE", "lines": [{"orderLineId": gid("OrderLine", garment_line.id), "quantity": 1}]}
    second = (await gql(SHIP, {"id": order_id, "input": gamis_parcel}))["shipmentCreate"]
    assert second["errors"] == [] and second["order"]["status"] == "SHIPPED"
    assert (await ProductionJob.get(id=job.id)).stage == JobStage.SHIPPED


async def test_my_orders_with_their_garments_cost_the_same_statements_for_2_or_8(gql, sql_counter):
    brand = await make_brand("sekar")
    buyer = await make_user("siti@example.id")
    fabric = await make_fabric("100")
    token = access_token(buyer)

    async def statements(count: int) -> int:
        while await Order.filter(user_id=buyer.id).count() < count:
            await mtm_order(brand, buyer, fabric, quantity=2, paid=True)
        with sql_counter.counting() as seen:
            data = await gql(MY_ORDERS, storefront="sekar", token=token)
        orders = [edge["node"] for edge in data["me"]["orders"]["edges"]]
        assert len(orders) == count
        assert all(order["lines"][0]["customGarment"]["garmentType"] == "GAMIS" for order in orders)
        assert all(len(order["productionJobs"]) == 2 for order in orders)
        return len(seen)

    assert await statements(2) == await statements(8)
