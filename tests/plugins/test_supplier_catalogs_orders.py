"""Raw-material purchase orders over GraphQL: a brand (or an approved tailor) orders from a supplier, the supplier
confirms (stock taken by a conditional UPDATE, never below zero, also under concurrent confirmations), rejects
or proposes less, ships with tracking, the buyer accepts or declines a proposal, receives or disputes a line.
Every status has a history row and an outbox event; bad input and wrong moves are typed errors that change
nothing; another brand or supplier neither sees nor moves an order; a page costs the same at 2 or 10 orders.
And restock for made-to-measure: the fabric a brand's uncut garments hold beyond what the supplier has."""

from __future__ import annotations

import asyncio
import base64
from decimal import Decimal
from typing import Any

import pytest

from core.actors.models import ActorStatus, BrandStatus, Supplier
from core.demo import seed_demo
from core.events import Event
from core.garments.models import ExchangeRate, Fabric, FabricStatus
from core.plugins import PluginHost
from plugins.supplier_catalogs.models import Trim
from plugins.supplier_catalogs.order_models import SupplierOrder, SupplierOrderChange, SupplierOrderLine
from tests.api.test_production import make_tailor, mtm_order
from tests.factories import access_token, make_brand, make_staff, make_user

ORDER = """id number status origin total { amount currency } buyerTotal { amount currency } exchangeRate
  reason carrier trackingNumber supplier { name } buyer { brandSlug name }
  deliveryAddress { name line1 city country }
  lines { id kind materialId sku unit unitPrice { amount } requestedQuantity quantity proposedQuantity
          total { amount currency } buyerTotal { amount } disputed disputeReason }
  history { fromStatus toStatus party note }"""
PAYLOAD = f"supplierOrder {{ {ORDER} }} errors {{ field code message }}"
CREATE = f"""mutation($input: SupplierOrderCreateInput!) {{ supplierOrderCreate(input: $input) {{ {PAYLOAD} }} }}"""
CONFIRM = f"mutation($id: ID!) {{ supplierOrderConfirm(id: $id) {{ {PAYLOAD} }} }}"
REJECT = f"""mutation($id: ID!, $reason: String!) {{ supplierOrderReject(id: $id, input: {{reason: $reason}}) {{
  {PAYLOAD} }} }}"""
PROPOSE = f"""mutation($id: ID!, $input: SupplierOrderProposeInput!) {{ supplierOrderPropose(id: $id, input: $input)
  {{ {PAYLOAD} }} }}"""
ACCEPT = f"mutation($id: ID!) {{ supplierOrderProposalAccept(id: $id) {{ {PAYLOAD} }} }}"
DECLINE = f"""mutation($id: ID!) {{ supplierOrderProposalDecline(id: $id, input: {{reason: "terlalu sedikit"}}) {{
  {PAYLOAD} }} }}"""
CANCEL = f"mutation($id: ID!) {{ supplierOrderCancel(id: $id) {{ {PAYLOAD} }} }}"
SHIP = f"""mutation($id: ID!, $input: SupplierOrderShipInput!) {{ supplierOrderShip(id: $id, input: $input) {{
  {PAYLOAD} }} }}"""
RECEIVE = f"mutation($id: ID!) {{ supplierOrderReceive(id: $id) {{ {PAYLOAD} }} }}"
DISPUTE = f"""mutation($id: ID!, $input: SupplierOrderDisputeInput!) {{ supplierOrderDispute(id: $id, input: $input)
  {{ {PAYLOAD} }} }}"""
ONE = f"query($id: ID!) {{ supplierOrder(id: $id) {{ {ORDER} }} }}"
LIST = f"""query($filter: SupplierOrderFilter, $first: Int) {{ supplierOrders(filter: $filter, first: $first) {{
  totalCount edges {{ node {{ {ORDER} }} }} }} }}"""
SHORTFALL = """query($brand: String) { supplierShortfall(brand: $brand) { fabric { id sku unit }
  heldMetres jobs onHandMetres onOrderMetres shortMetres toOrderMetres } }"""
FROM_SHORTFALL = f"""mutation($input: SupplierOrderFromShortfallInput!) {{
  supplierOrderCreateFromShortfall(input: $input) {{ {PAYLOAD} }} }}"""
ADDRESS = {"name": "Sekar Modest", "line1": "Jl. Braga 10", "city": "Bandung", "country": "id"}


def gid(type_name: str, id: int) -> str:
    return base64.b64encode(f"{type_name}:{id}".encode()).decode()


async def make_supplier(name: str = "PT Tekstil Priangan") -> tuple[Supplier, str]:
    user = await make_user()
    supplier = await Supplier.create(user=user, legal_name=name, country="ID", city="Bandung",
                                     status=ActorStatus.APPROVED)  # fmt: skip
    return supplier, access_token(user)


async def make_fabric(supplier: Supplier, sku: str = "WOL-HTM", **fields: Any) -> Fabric:
    values = {"name": "Wolfis Hitam", "price_per_metre": Decimal("38500"), "currency": "IDR",
              "stock_metres": Decimal(100), "min_order_metres": Decimal(5), **fields}  # fmt: skip
    return await Fabric.create(supplier=supplier, sku=sku, **values)


async def make_trim(supplier: Supplier, sku: str = "BTN-07", **fields: Any) -> Trim:
    values = {"name": "Kancing Mutiara", "trim_type": "BUTTON", "unit": "PIECE", "price": Decimal("1200.50"),
              "currency": "IDR", "stock": Decimal(1000), "min_order": Decimal(100), **fields}  # fmt: skip
    return await Trim.create(supplier=supplier, sku=sku, **values)


@pytest.fixture
async def trade(gql) -> Any:
    """A brand buying in MYR from an IDR supplier with a fabric and a trim; another brand and supplier."""
    brand = await make_brand("sekar", default_currency="MYR")
    _, staff = await make_staff(brand)
    supplier, seller = await make_supplier()
    await ExchangeRate.create(base="MYR", quote="IDR", rate=Decimal("3500"))
    other_brand = await make_brand("batik")
    _, other_staff = await make_staff(other_brand)
    other_supplier, other_seller = await make_supplier("CV Lain")

    class Trade:
        pass

    t = Trade()
    t.__dict__.update(
        brand=brand, staff=staff, supplier=supplier, seller=seller, other_staff=other_staff,
        other_supplier=other_supplier, other_seller=other_seller,
        fabric=await make_fabric(supplier), trim=await make_trim(supplier),
        foreign=await make_fabric(other_supplier, "LAIN-1"),
    )  # fmt: skip
    return t


def order_input(t: Any, *lines: tuple[str, int, Any], **extra: Any) -> dict[str, Any]:
    return {
        "supplierId": gid("Supplier", t.supplier.id),
        "lines": [{"materialId": gid(kind, id), "quantity": str(quantity)} for kind, id, quantity in lines],
        "deliveryAddress": ADDRESS,
        "note": "Untuk koleksi Lebaran",
        **extra,
    }


async def place(gql, t: Any, *lines: tuple[str, int, Any], token: str | None = None) -> dict[str, Any]:
    lines = lines or (("Fabric", t.fabric.id, "12.5"), ("Trim", t.trim.id, 200))
    payload = (await gql(CREATE, {"input": order_input(t, *lines)}, token=token or t.staff))["supplierOrderCreate"]
    assert payload["errors"] == [], payload
    return payload["supplierOrder"]


async def stock(t: Any) -> tuple[Decimal, Decimal]:
    return (await Fabric.get(id=t.fabric.id)).stock_metres, (await Trim.get(id=t.trim.id)).stock


async def everything() -> list[Any]:
    """What a refused operation must leave as it was."""
    orders = await SupplierOrder.all().order_by("id").values_list("id", "status", "total", "reason")
    lines = await SupplierOrderLine.all().order_by("id").values_list("id", "quantity", "reserved_quantity",
                                                                     "proposed_quantity", "disputed_at")  # fmt: skip
    fabrics = await Fabric.all().order_by("id").values_list("id", "stock_metres")
    trims = await Trim.all().order_by("id").values_list("id", "stock")
    return [orders, lines, fabrics, trims, await SupplierOrderChange.all().count(), await Event.all().count()]


def moved(payload: dict[str, Any], name: str) -> dict[str, Any]:
    body = payload[name]
    assert body["errors"] == [], body
    return body["supplierOrder"]


async def test_an_order_placed_confirmed_shipped_and_received(gql, trade):
    t = trade
    order = await place(gql, t)
    assert (order["status"], order["origin"], order["number"]) == ("SUBMITTED", "MANUAL", order["number"])
    assert order["number"].startswith("PO-")
    # 12.5 m × 38,500 + 200 × 1,200.50 = 481,250 + 240,100 = 721,350 IDR; in MYR at 1/3500: 206.10
    assert order["total"] == {"amount": "721350.00", "currency": "IDR"}
    assert order["buyerTotal"] == {"amount": "206.10", "currency": "MYR"}
    assert [(line["kind"], line["unit"], line["quantity"], line["total"]["amount"]) for line in order["lines"]] == [
        ("FABRIC", "METRE", "12.50", "481250.00"), ("TRIM", "PIECE", "200.00", "240100.00")
    ]  # fmt: skip
    assert order["buyer"] == {"brandSlug": "sekar", "name": t.brand.name}
    assert order["deliveryAddress"]["country"] == "ID"
    assert await stock(t) == (Decimal(100), Decimal(1000))  # placing takes nothing yet

    confirmed = moved(await gql(CONFIRM, {"id": order["id"]}, token=t.seller), "supplierOrderConfirm")
    assert confirmed["status"] == "CONFIRMED"
    assert await stock(t) == (Decimal("87.5"), Decimal(800))
    ship = {"carrier": "JNE", "trackingNumber": "JNE0001234", "trackingUrl": "https://jne.co.id/t/JNE0001234"}
    shipped = moved(await gql(SHIP, {"id": order["id"], "input": ship}, token=t.seller), "supplierOrderShip")
    assert (shipped["status"], shipped["carrier"], shipped["trackingNumber"]) == ("SHIPPED", "JNE", "JNE0001234")
    received = moved(await gql(RECEIVE, {"id": order["id"]}, token=t.staff), "supplierOrderReceive")
    assert received["status"] == "RECEIVED"
    assert [(h["fromStatus"], h["toStatus"], h["party"]) for h in received["history"]] == [
        (None, "SUBMITTED", "BUYER"), ("SUBMITTED", "CONFIRMED", "SUPPLIER"), ("CONFIRMED", "SHIPPED", "SUPPLIER"),
        ("SHIPPED", "RECEIVED", "BUYER"),
    ]  # fmt: skip
    events = await Event.filter(type__startswith="supplier_order.").order_by("id")
    assert [e.type for e in events] == [
        "supplier_order.submitted", "supplier_order.confirmed", "supplier_order.shipped", "supplier_order.received"
    ]  # fmt: skip
    assert all(e.brand_id == t.brand.id for e in events)  # the buying brand's webhooks hear them

    dispute = {"lineId": received["lines"][1]["id"], "reason": "50 kancing retak"}
    disputed = await gql(DISPUTE, {"id": order["id"], "input": dispute}, token=t.staff)
    line = moved(disputed, "supplierOrderDispute")["lines"][1]
    assert (line["disputed"], line["disputeReason"]) == (True, "50 kancing retak")
    again = (await gql(DISPUTE, {"id": order["id"], "input": {"lineId": line["id"], "reason": "lagi"}},
                       token=t.staff))["supplierOrderDispute"]  # fmt: skip
    assert [e["code"] for e in again["errors"]] == ["ALREADY_DISPUTED"]


async def test_webhooks_may_listen_to_purchase_order_events(gql, trade):
    types = (await gql("{ webhookEventTypes { name } }", token=trade.staff))["webhookEventTypes"]
    names = {t["name"] for t in types}
    assert {"supplier_order.submitted", "supplier_order.confirmed", "supplier_order.disputed"} <= names


async def test_a_proposal_holds_stock_until_accepted_or_declined(gql, trade):
    t = trade
    first = await place(gql, t)
    fabric_line = first["lines"][0]["id"]
    proposal = {"lines": [{"lineId": fabric_line, "quantity": "10"}], "note": "Sisa stok"}
    proposed = moved(await gql(PROPOSE, {"id": first["id"], "input": proposal}, token=t.seller),
                     "supplierOrderPropose")  # fmt: skip
    assert proposed["status"] == "PROPOSED" and proposed["reason"] == "Sisa stok"
    assert [line["proposedQuantity"] for line in proposed["lines"]] == ["10.00", "200.00"]
    assert await stock(t) == (Decimal(90), Decimal(800))  # what it offers is held
    accepted = moved(await gql(ACCEPT, {"id": first["id"]}, token=t.staff), "supplierOrderProposalAccept")
    assert accepted["status"] == "CONFIRMED"
    assert [(line["requestedQuantity"], line["quantity"], line["proposedQuantity"]) for line in accepted["lines"]] == [
        ("12.50", "10.00", None), ("200.00", "200.00", None)
    ]  # fmt: skip
    assert accepted["total"]["amount"] == "625100.00"  # 385,000 + 240,100
    assert await stock(t) == (Decimal(90), Decimal(800))

    second = await place(gql, t)
    proposal["lines"][0]["lineId"] = second["lines"][0]["id"]
    moved(await gql(PROPOSE, {"id": second["id"], "input": proposal}, token=t.seller), "supplierOrderPropose")
    assert await stock(t) == (Decimal(80), Decimal(600))
    declined = moved(await gql(DECLINE, {"id": second["id"]}, token=t.staff), "supplierOrderProposalDecline")
    assert (declined["status"], declined["reason"]) == ("DECLINED", "terlalu sedikit")
    assert await stock(t) == (Decimal(90), Decimal(800))  # given back


async def test_reject_says_why_and_cancel_withdraws(gql, trade):
    t = trade
    order = await place(gql, t)
    refused = (await gql(REJECT, {"id": order["id"], "reason": " "}, token=t.seller))["supplierOrderReject"]
    assert [(e["field"], e["code"]) for e in refused["errors"]] == [("reason", "REASON_REQUIRED")]
    rejected = moved(await gql(REJECT, {"id": order["id"], "reason": "Warna habis"}, token=t.seller),
                     "supplierOrderReject")  # fmt: skip
    assert (rejected["status"], rejected["reason"]) == ("REJECTED", "Warna habis")
    other = await place(gql, t)
    assert moved(await gql(CANCEL, {"id": other["id"]}, token=t.staff), "supplierOrderCancel")["status"] == "CANCELLED"
    assert await stock(t) == (Decimal(100), Decimal(1000))


@pytest.mark.parametrize(
    ("case", "code", "field"),
    [
        ("below-minimum", "BELOW_MINIMUM_ORDER", "lines.0.quantity"),
        ("archived", "MATERIAL_ARCHIVED", "lines.0.materialId"),
        ("another-supplier", "MATERIAL_OF_ANOTHER_SUPPLIER", "lines.0.materialId"),
        ("unknown", "MATERIAL_NOT_FOUND", "lines.0.materialId"),
        ("half-a-button", "INVALID_QUANTITY", "lines.0.quantity"),
        ("negative", "INVALID_QUANTITY", "lines.0.quantity"),
        ("duplicate", "DUPLICATE_LINE", "lines.1.materialId"),
        ("no-address", "REQUIRED", "deliveryAddress.line1"),
        ("not-a-material", "INVALID_ID", "lines.0.materialId"),
        ("suspended-buyer", "BUYER_SUSPENDED", "brand"),
    ],
)
async def test_bad_orders_are_refused_with_a_typed_error_and_change_nothing(gql, trade, case, code, field):
    t = trade
    fabric, trim = ("Fabric", t.fabric.id, "12"), ("Trim", t.trim.id, "200")
    lines: list[tuple[str, int, Any]] = [fabric]
    address = dict(ADDRESS)
    if case == "below-minimum":
        lines = [("Fabric", t.fabric.id, "4.99")]
    elif case == "archived":
        await Fabric.filter(id=t.fabric.id).update(status=FabricStatus.ARCHIVED)
    elif case == "another-supplier":
        lines = [("Fabric", t.foreign.id, "10")]
    elif case == "unknown":
        lines = [("Trim", 999_999, "100")]
    elif case == "half-a-button":
        lines = [("Trim", t.trim.id, "100.5")]
    elif case == "negative":
        lines = [("Fabric", t.fabric.id, "-5")]
    elif case == "duplicate":
        lines = [trim, trim]
    elif case == "no-address":
        address["line1"] = "  "
    elif case == "not-a-material":
        lines = [("Brand", t.brand.id, "10")]
    elif case == "suspended-buyer":
        await type(t.brand).filter(id=t.brand.id).update(status=BrandStatus.SUSPENDED)
    before = await everything()
    payload = await gql(CREATE, {"input": {**order_input(t, *lines), "deliveryAddress": address}}, token=t.staff)
    errors = payload["supplierOrderCreate"]["errors"]
    assert payload["supplierOrderCreate"]["supplierOrder"] is None
    assert (errors[0]["code"], errors[0]["field"]) == (code, field), errors
    assert await everything() == before


@pytest.mark.parametrize(
    ("steps", "wrong", "token"),
    [
        ((), RECEIVE, "staff"),  # not shipped
        ((), SHIP, "seller"),  # not confirmed
        (("confirm",), CONFIRM, "seller"),  # twice
        (("confirm",), CANCEL, "staff"),  # too late to withdraw
        (("confirm",), ACCEPT, "staff"),  # nothing proposed
        (("reject",), CONFIRM, "seller"),
    ],
    ids=[
        "receive-unshipped",
        "ship-unconfirmed",
        "confirm-twice",
        "cancel-confirmed",
        "accept-nothing",
        "confirm-rejected",
    ],
)
async def test_wrong_moves_are_refused_and_change_nothing(gql, trade, steps, wrong, token):
    t = trade
    order = await place(gql, t)
    for step in steps:
        if step == "confirm":
            moved(await gql(CONFIRM, {"id": order["id"]}, token=t.seller), "supplierOrderConfirm")
        else:
            moved(await gql(REJECT, {"id": order["id"], "reason": "Tidak"}, token=t.seller), "supplierOrderReject")
    before = await everything()
    variables: dict[str, Any] = {"id": order["id"]}
    if wrong is SHIP:
        variables["input"] = {"trackingNumber": "X1"}
    body = await gql(wrong, variables, token=getattr(t, token))
    [errors] = [value["errors"] for value in body.values()]
    assert [e["code"] for e in errors] == ["INVALID_STATUS"]
    assert await everything() == before


async def test_a_suspended_supplier_cannot_confirm(gql, trade):
    t = trade
    order = await place(gql, t)
    await Supplier.filter(id=t.supplier.id).update(status=ActorStatus.SUSPENDED)
    before = await everything()
    errors = (await gql(CONFIRM, {"id": order["id"]}, token=t.seller))["supplierOrderConfirm"]["errors"]
    assert [e["code"] for e in errors] == ["SUPPLIER_SUSPENDED"]
    assert await everything() == before


async def test_confirming_more_than_in_stock_takes_nothing(gql, trade):
    t = trade
    order = await place(gql, t, ("Trim", t.trim.id, 200), ("Fabric", t.fabric.id, "120"))
    before = await everything()
    refused = (await gql(CONFIRM, {"id": order["id"]}, token=t.seller))["supplierOrderConfirm"]
    assert [(e["field"], e["code"]) for e in refused["errors"]] == [("lines.1", "INSUFFICIENT_STOCK")]
    assert await everything() == before  # the trim's 200 pieces were given back with the rollback


async def test_concurrent_confirmations_never_take_stock_below_zero(gql, trade):
    """Five orders of 30 m each against 100 m: exactly three are confirmed, 10 m remain (on PostgreSQL the five
    transactions really run at once; each takes its metres by one conditional UPDATE)."""
    t = trade
    ids = [(await place(gql, t, ("Fabric", t.fabric.id, "30")))["id"] for _ in range(5)]
    results = await asyncio.gather(*(gql(CONFIRM, {"id": id}, token=t.seller) for id in ids))
    outcomes = sorted(
        "CONFIRMED" if r["supplierOrderConfirm"]["errors"] == [] else r["supplierOrderConfirm"]["errors"][0]["code"]
        for r in results
    )
    assert outcomes == ["CONFIRMED"] * 3 + ["INSUFFICIENT_STOCK"] * 2
    assert (await Fabric.get(id=t.fabric.id)).stock_metres == Decimal(10)
    assert await SupplierOrder.filter(status="CONFIRMED").count() == 3
    assert sum(await SupplierOrderLine.all().values_list("reserved_quantity", flat=True)) == Decimal(90)


async def test_only_the_buyer_and_the_supplier_see_and_move_an_order(gql, trade):
    t = trade
    order = await place(gql, t)
    for token in (t.staff, t.seller):
        assert (await gql(ONE, {"id": order["id"]}, token=token))["supplierOrder"]["id"] == order["id"]
        assert (await gql(LIST, {}, token=token))["supplierOrders"]["totalCount"] == 1
    _, admin_like_customer = await make_tailor(name="Orang Lain")
    for token in (t.other_staff, t.other_seller, admin_like_customer):
        assert (await gql(ONE, {"id": order["id"]}, token=token))["supplierOrder"] is None
        assert (await gql(LIST, {}, token=token))["supplierOrders"]["totalCount"] == 0
    before = await everything()
    # Another supplier cannot confirm it, another brand cannot cancel it: to them it does not exist.
    for mutation, token in ((CONFIRM, t.other_seller), (CANCEL, t.other_staff)):
        [errors] = [v["errors"] for v in (await gql(mutation, {"id": order["id"]}, token=token)).values()]
        assert [(e["field"], e["code"]) for e in errors] == [("id", "NOT_FOUND")]
    # The buyer cannot answer for the supplier, nor the supplier for the buyer.
    assert (await gql.error(CONFIRM, {"id": order["id"]}, token=t.staff))["extensions"]["code"] == "FORBIDDEN"
    assert (await gql.error(CANCEL, {"id": order["id"]}, token=t.seller))["extensions"]["code"] == "FORBIDDEN"
    # Nor may another brand's staff order in this brand's name.
    body = await gql.raw(
        CREATE, {"input": order_input(t, ("Trim", t.trim.id, 100), brand="sekar")}, token=t.other_staff
    )
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert await everything() == before


async def test_an_approved_tailor_orders_for_itself_and_a_suspended_one_cannot(gql, trade):
    t = trade
    tailor, token = await make_tailor()
    order = await place(gql, t, ("Trim", t.trim.id, 100), token=token)
    assert order["buyer"]["name"] == tailor.display_name
    assert order["buyerTotal"] == {"amount": "120050.00", "currency": "IDR"}  # a tailor pays in IDR
    assert (await gql(LIST, {}, token=token))["supplierOrders"]["totalCount"] == 1
    assert (await gql(LIST, {}, token=t.staff))["supplierOrders"]["totalCount"] == 0
    _, suspended = await make_tailor(status=ActorStatus.SUSPENDED, name="Skors")
    before = await everything()
    errors = (await gql(CREATE, {"input": order_input(t, ("Trim", t.trim.id, 100))}, token=suspended))[
        "supplierOrderCreate"
    ]["errors"]
    assert [e["code"] for e in errors] == ["BUYER_SUSPENDED"]
    assert await everything() == before


async def test_a_page_of_orders_costs_the_same_statements_for_2_and_10(gql, trade, sql_counter):
    t = trade
    for _ in range(10):
        await place(gql, t)
    counts = []
    for size in (2, 10):
        with sql_counter.counting() as statements:
            page = (await gql(LIST, {"first": size}, token=t.seller))["supplierOrders"]
        assert len(page["edges"]) == size
        counts.append(len(statements))
    assert counts[0] == counts[1], counts
    filtered = await gql(LIST, {"filter": {"status": ["SUBMITTED"], "brand": "sekar"}}, token=t.staff)
    assert filtered["supplierOrders"]["totalCount"] == 10


async def test_the_shortfall_of_made_to_measure_fabric_becomes_a_purchase_order_in_one_call(gql, trade):
    t = trade
    await mtm_order(t.brand, await make_user(), t.fabric, quantity=4, paid=True)  # 4 × 2.75 m held = 11 m
    assert (await gql(SHORTFALL, {"brand": "sekar"}, token=t.staff))["supplierShortfall"] == []  # 100 m on hand
    await Fabric.filter(id=t.fabric.id).update(stock_metres=Decimal("3"))  # the supplier's stocktake
    [short] = (await gql(SHORTFALL, {"brand": "sekar"}, token=t.staff))["supplierShortfall"]
    assert short["fabric"]["sku"] == "WOL-HTM" and short["jobs"] == 4
    assert (short["heldMetres"], short["onHandMetres"], short["onOrderMetres"]) == ("11.00", "3.00", "0")
    assert (short["shortMetres"], short["toOrderMetres"]) == ("8.00", "8.00")
    assert (await gql.error(SHORTFALL, {"brand": "sekar"}, token=t.other_staff))["extensions"]["code"] == "FORBIDDEN"

    raised = {"supplierId": gid("Supplier", t.supplier.id), "deliveryAddress": ADDRESS, "brand": "sekar"}
    order = moved(await gql(FROM_SHORTFALL, {"input": raised}, token=t.staff), "supplierOrderCreateFromShortfall")
    assert (order["origin"], order["status"]) == ("SHORTFALL", "SUBMITTED")
    assert [(line["sku"], line["quantity"]) for line in order["lines"]] == [("WOL-HTM", "8.00")]
    assert (await gql(SHORTFALL, {"brand": "sekar"}, token=t.staff))["supplierShortfall"] == []  # on order now
    again = (await gql(FROM_SHORTFALL, {"input": raised}, token=t.staff))["supplierOrderCreateFromShortfall"]
    assert [(e["field"], e["code"]) for e in again["errors"]] == [("supplierId", "NO_SHORTFALL")]

    # A rejected order no longer covers it; the next one is raised to the supplier's minimum order.
    moved(await gql(REJECT, {"id": order["id"], "reason": "Habis"}, token=t.seller), "supplierOrderReject")
    await Fabric.filter(id=t.fabric.id).update(stock_metres=Decimal("8"), min_order_metres=Decimal(10))
    [short] = (await gql(SHORTFALL, {"brand": "sekar"}, token=t.staff))["supplierShortfall"]
    assert (short["shortMetres"], short["toOrderMetres"]) == ("3.00", "10.00")


async def test_hook_seed_demo_places_orders_in_every_first_state(app, plugin_host: PluginHost):
    await seed_demo(host=plugin_host)
    statuses = await SupplierOrder.all().values_list("status", flat=True)
    assert {"SUBMITTED", "PROPOSED", "CONFIRMED", "SHIPPED", "RECEIVED", "REJECTED"} <= set(statuses)
    assert await SupplierOrderChange.all().count() > len(statuses)


async def test_the_shortfall_costs_the_same_statements_for_1_and_5_short_fabrics(gql, trade, sql_counter):
    t = trade
    counts = []
    for fabrics in (1, 5):
        await Fabric.filter(supplier_id=t.supplier.id).update(stock_metres=Decimal(0))
        for index in range(fabrics - len(await Fabric.filter(supplier_id=t.supplier.id, sku__startswith="S-"))):
            fabric = await make_fabric(t.supplier, f"S-{fabrics}-{index}", stock_metres=Decimal(0))
            await mtm_order(t.brand, await make_user(), fabric, paid=True)
        with sql_counter.counting() as statements:
            short = (await gql(SHORTFALL, {"brand": "sekar"}, token=t.staff))["supplierShortfall"]
        assert len(short) == fabrics
        counts.append(len(statements))
    assert counts[0] == counts[1], counts


# --- disputes -----------------------------------------------------------------------------------------------


async def shipped_order(gql, t: Any) -> dict[str, Any]:
    order = await place(gql, t)
    moved(await gql(CONFIRM, {"id": order["id"]}, token=t.seller), "supplierOrderConfirm")
    ship = {"carrier": "JNE", "trackingNumber": "JNE0009"}
    return moved(await gql(SHIP, {"id": order["id"], "input": ship}, token=t.seller), "supplierOrderShip")


async def test_the_buyer_disputes_a_line_with_status_history_and_event_the_supplier_sees(gql, trade):
    t = trade
    order = await shipped_order(gql, t)
    fabric_line, trim_line = order["lines"]
    first = {"lineId": trim_line["id"], "reason": "  50 kancing retak  "}
    disputed = moved(await gql(DISPUTE, {"id": order["id"], "input": first}, token=t.staff), "supplierOrderDispute")
    assert disputed["status"] == "DISPUTED"
    assert [(line["disputed"], line["disputeReason"]) for line in disputed["lines"]] == [
        (False, ""), (True, "50 kancing retak")
    ]  # fmt: skip
    assert disputed["history"][-1] == {
        "fromStatus": "SHIPPED", "toStatus": "DISPUTED", "party": "BUYER", "note": "BTN-07: 50 kancing retak"
    }  # fmt: skip
    [event] = await Event.filter(type="supplier_order.disputed")
    assert event.brand_id == t.brand.id and event.payload["sku"] == "BTN-07"
    # The supplier's people see which line and why; a second line of a disputed order may be disputed too.
    seen = (await gql(ONE, {"id": order["id"]}, token=t.seller))["supplierOrder"]
    assert seen["status"] == "DISPUTED" and seen["lines"][1]["disputeReason"] == "50 kancing retak"
    second = {"lineId": fabric_line["id"], "reason": "Warna belang"}
    again = moved(await gql(DISPUTE, {"id": order["id"], "input": second}, token=t.staff), "supplierOrderDispute")
    assert [line["disputed"] for line in again["lines"]] == [True, True]
    assert again["history"][-1]["fromStatus"] == again["history"][-1]["toStatus"] == "DISPUTED"
    assert await Event.filter(type="supplier_order.disputed").count() == 2


@pytest.mark.parametrize(
    ("case", "code", "field"),
    [
        ("empty-reason", "REASON_REQUIRED", "reason"),
        ("long-reason", "INVALID_REASON", "reason"),
        ("line-of-another-order", "NOT_FOUND", "lineId"),
        ("not-shipped", "INVALID_STATUS", "id"),
        ("another-brand", "NOT_FOUND", "id"),
        ("wrong-id-type", "INVALID_ID", "lineId"),
    ],
)
async def test_a_bad_dispute_is_a_typed_error_and_changes_nothing(gql, trade, case, code, field):
    t = trade
    order = await shipped_order(gql, t)
    other = await place(gql, t, ("Trim", t.trim.id, 100))  # SUBMITTED
    line_id, reason, order_id, token = order["lines"][0]["id"], "Robek", order["id"], t.staff
    if case == "empty-reason":
        reason = "   "
    elif case == "long-reason":
        reason = "x" * 5000
    elif case == "line-of-another-order":
        line_id = other["lines"][0]["id"]
    elif case == "not-shipped":
        order_id, line_id = other["id"], other["lines"][0]["id"]
    elif case == "another-brand":
        token = t.other_staff
    elif case == "wrong-id-type":
        line_id = gid("Fabric", t.fabric.id)
    before = await everything()
    body = await gql(DISPUTE, {"id": order_id, "input": {"lineId": line_id, "reason": reason}}, token=token)
    errors = body["supplierOrderDispute"]["errors"]
    assert [(e["code"], e["field"]) for e in errors] == [(code, field)], errors
    assert await everything() == before


async def test_only_the_buyer_disputes(gql, trade):
    t = trade
    order = await shipped_order(gql, t)
    before = await everything()
    variables = {"id": order["id"], "input": {"lineId": order["lines"][0]["id"], "reason": "Robek"}}
    assert (await gql.error(DISPUTE, variables, token=t.seller))["extensions"]["code"] == "FORBIDDEN"
    assert (await gql.error(DISPUTE, variables))["extensions"]["code"] == "UNAUTHENTICATED"
    assert await everything() == before


async def test_two_disputes_of_one_line_at_once_record_one(gql, trade):
    """On PostgreSQL the two transactions really race: the line's conditional UPDATE lets one through."""
    t = trade
    order = await shipped_order(gql, t)
    variables = [
        {"id": order["id"], "input": {"lineId": order["lines"][0]["id"], "reason": reason}}
        for reason in ("Robek", "Basah")
    ]
    results = await asyncio.gather(*(gql(DISPUTE, v, token=t.staff) for v in variables))
    codes = sorted(e["code"] for r in results for e in r["supplierOrderDispute"]["errors"])
    assert codes == ["ALREADY_DISPUTED"]
    assert await SupplierOrderChange.filter(to_status="DISPUTED").count() == 1
    assert await Event.filter(type="supplier_order.disputed").count() == 1
    line = await SupplierOrderLine.get(id=int(base64.b64decode(order["lines"][0]["id"]).decode().split(":")[1]))
    assert line.dispute_reason in ("Robek", "Basah")


# --- node(id:) ----------------------------------------------------------------------------------------------

NODE = """query($id: ID!) { node(id: $id) { id ... on SupplierOrder { number status lines { sku } }
  ... on Trim { sku trimStatus: status } } }"""
NODES = "query($ids: [ID!]!) { nodes(ids: $ids) { id } }"


async def test_node_refetches_an_order_for_its_parties_and_nobody_else(gql, trade):
    t = trade
    order = await place(gql, t)
    for token in (t.staff, t.seller):
        node = (await gql(NODE, {"id": order["id"]}, token=token))["node"]
        assert (node["id"], node["number"], node["status"]) == (order["id"], order["number"], "SUBMITTED")
        assert [line["sku"] for line in node["lines"]] == ["WOL-HTM", "BTN-07"]
    for token in (t.other_staff, t.other_seller, None):
        assert (await gql(NODE, {"id": order["id"]}, token=token))["node"] is None
    second = await place(gql, t, ("Trim", t.trim.id, 100))
    missing = gid("SupplierOrder", 999_999)
    found = (await gql(NODES, {"ids": [second["id"], missing, order["id"]]}, token=t.staff))["nodes"]
    assert found == [{"id": second["id"]}, None, {"id": order["id"]}]


async def test_node_refetches_a_trim_as_the_trims_list_shows_it(gql, trade):
    t = trade
    trim_id = gid("Trim", t.trim.id)
    for token in (t.staff, t.other_seller, None):
        assert (await gql(NODE, {"id": trim_id}, token=token))["node"] == {"id": trim_id, "sku": "BTN-07",
                                                                            "trimStatus": "ACTIVE"}  # fmt: skip
    await Trim.filter(id=t.trim.id).update(status="ARCHIVED")
    assert (await gql(NODE, {"id": trim_id}, token=t.seller))["node"]["trimStatus"] == "ARCHIVED"  # its own supplier
    for token in (t.staff, t.other_seller):
        assert (await gql(NODE, {"id": trim_id}, token=token))["node"] is None
