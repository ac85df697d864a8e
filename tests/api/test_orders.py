"""Orders through GraphQL as a storefront and a brand's staff app use them: customers see their own orders,
staff list, cancel, ship, deliver, refund, annotate and confirm bank transfers — each refused operation
answers with a typed error and writes nothing, and another brand's staff or a customer can do none of it."""

from __future__ import annotations

import base64
from decimal import Decimal
from typing import Any

import pytest
from tortoise import Tortoise

from core.actors.models import StaffRole
from core.catalog.models import Stock
from core.events import Event
from core.orders.models import Order, OrderLine
from core.payments.models import Payment, Refund
from tests.factories import access_token, make_brand, make_order, make_staff, make_user

ORDER_FIELDS = """id number status paymentStatus email currency total { amount currency }
  subtotal { amount } shippingTotal { amount } taxTotal { amount } paidTotal { amount } refundedTotal { amount }
  lines { id productName sku quantity quantityShipped quantityRefunded unitPrice { gross { amount } net { amount } }
          total { amount } tax { amount } }
  shipments { carrier trackingNumber lines { orderLineId quantity } }
  payments { id gateway state amount { amount } action }
  refunds { amount { amount } state reason }
  history { kind fromState toState actor message }
  shippingAddress { city } deliveryMethodName needsReview"""
PAYLOAD = f"order {{ {ORDER_FIELDS} }} errors {{ field code }}"
CANCEL = f"mutation($id: ID!) {{ orderCancel(id: $id) {{ {PAYLOAD} }} }}"
DELIVERED = f"mutation($id: ID!) {{ orderMarkDelivered(id: $id) {{ {PAYLOAD} }} }}"
NOTE = f"mutation($id: ID!, $m: String!) {{ orderNoteAdd(id: $id, message: $m) {{ {PAYLOAD} }} }}"
SHIP = f"""mutation($id: ID!, $input: ShipmentCreateInput!) {{ shipmentCreate(orderId: $id, input: $input) {{
  shipment {{ carrier trackingNumber lines {{ quantity }} }} {PAYLOAD} }} }}"""
REFUND = f"""mutation($id: ID!, $input: OrderRefundInput!, $key: String) {{
  orderRefund(id: $id, input: $input, idempotencyKey: $key) {{ refund {{ amount {{ amount }} state }} {PAYLOAD} }} }}"""
RECEIVED = f"""mutation($id: ID!) {{ paymentMarkReceived(paymentId: $id) {{
  payment {{ state }} {PAYLOAD} }} }}"""
LIST = f"""query($filter: OrderFilter, $first: Int, $after: String) {{
  orders(filter: $filter, first: $first, after: $after) {{
    edges {{ node {{ {ORDER_FIELDS} }} }} pageInfo {{ hasNextPage endCursor }} }} }}"""


def gid(type_name: str, id: int) -> str:
    return base64.b64encode(f"{type_name}:{id}".encode()).decode()


async def snapshot() -> dict[str, list[dict[str, Any]]]:
    """Every row of every table, to prove that a refused operation changed nothing."""
    state = {}
    for model in Tortoise.apps["lini"].values():
        if model._meta.db_table != "login_throttle":
            state[model._meta.db_table] = await model.all().order_by("id").values()
    return state


async def stock_of(order: Order) -> list[int]:
    lines = await OrderLine.filter(order_id=order.id).order_by("position")
    return [(await Stock.get(variant_id=line.variant_id)).quantity for line in lines]


async def line_ids(order: Order) -> list[str]:
    return [gid("OrderLine", line.id) for line in await OrderLine.filter(order_id=order.id).order_by("position")]


@pytest.fixture
async def shop(gql) -> dict[str, Any]:
    brand = await make_brand("sekar")
    staff, token = await make_staff(brand, StaffRole.STAFF)
    gql.storefront, gql.token = "sekar", token
    return {"brand": brand, "token": token, "staff": staff}


# --- customers ----------------------------------------------------------------------------------------------


async def test_customer_sees_own_orders_only_through_me_and_order_number(gql, shop):
    buyer = await make_user("siti@example.id")
    mine = await make_order(shop["brand"], user=buyer)
    other = await make_order(shop["brand"], user=await make_user())
    token = access_token(buyer)
    query = """query($n: Int!) { order(number: $n) { number status total { amount currency }
      lines { productName quantity } history { kind } } }"""
    found = await gql(query, {"n": mine.number}, token=token)
    assert found["order"]["number"] == mine.number
    assert found["order"]["total"] == {"amount": "470000.00", "currency": "IDR"}  # 3 × 150000 + shipping
    assert [line["quantity"] for line in found["order"]["lines"]] == [2, 1]
    assert (await gql(query, {"n": other.number}, token=token))["order"] is None
    me = await gql("{ me { orders { edges { node { number status } } } } }", token=token)
    assert me["me"]["orders"]["edges"] == [{"node": {"number": mine.number, "status": "UNPAID"}}]
    anonymous = await gql.error(query, {"n": mine.number}, token=None)
    assert anonymous["extensions"]["code"] == "UNAUTHENTICATED"


async def test_customer_never_sees_staff_notes(gql, shop):
    buyer = await make_user()
    order = await make_order(shop["brand"], user=buyer)
    await gql(NOTE, {"id": gid("Order", order.id), "m": "Pelanggan minta bungkus kado"})
    query = "query($n: Int!) { order(number: $n) { history { kind message } } }"
    history = (await gql(query, {"n": order.number}, token=access_token(buyer)))["order"]["history"]
    assert all(entry["kind"] != "NOTE" for entry in history)


# --- the staff list -----------------------------------------------------------------------------------------


async def test_staff_list_filters_and_pages(gql, shop):
    siti = await make_user("siti@example.id")
    first = await make_order(shop["brand"], user=siti)
    second = await make_order(shop["brand"], paid=True)
    third = await make_order(shop["brand"], email="budi@example.id")
    await make_order(await make_brand("koko"))  # another brand's order is never listed

    def numbers(data: dict[str, Any]) -> list[int]:
        return [edge["node"]["number"] for edge in data["orders"]["edges"]]

    assert numbers(await gql(LIST)) == [third.number, second.number, first.number]
    assert numbers(await gql(LIST, {"filter": {"status": ["PAID"]}})) == [second.number]
    assert numbers(await gql(LIST, {"filter": {"paymentStatus": ["PENDING"]}})) == [third.number, first.number]
    assert numbers(await gql(LIST, {"filter": {"customer": "SITI@example.id"}})) == [first.number]
    assert numbers(await gql(LIST, {"filter": {"search": "budi"}})) == [third.number]
    assert numbers(await gql(LIST, {"filter": {"search": f"#{second.number}"}})) == [second.number]
    assert numbers(await gql(LIST, {"filter": {"createdAt": {"gte": "2999-01-01T00:00:00Z"}}})) == []
    page = await gql(LIST, {"first": 2})
    assert numbers(page) == [third.number, second.number] and page["orders"]["pageInfo"]["hasNextPage"]
    rest = await gql(LIST, {"first": 2, "after": page["orders"]["pageInfo"]["endCursor"]})
    assert numbers(rest) == [first.number]


async def test_staff_list_costs_the_same_queries_for_10_or_40_orders(gql, shop, sql_counter):
    async def statements(count: int) -> int:
        for _ in range(count - await Order.filter(brand_id=shop["brand"].id).count()):
            order = await make_order(shop["brand"], paid=True)
            await gql(
                SHIP,
                {
                    "id": gid("Order", order.id),
                    "input": {"carrier": "JNE", "lines": [{"orderLineId": (await line_ids(order))[0], "quantity": 1}]},
                },
            )
        with sql_counter.counting() as seen:
            data = await gql(LIST, {"first": 100})
        assert len(data["orders"]["edges"]) == count
        return len(seen)

    assert await statements(10) == await statements(40)


async def test_orders_list_needs_manage_orders_and_stays_in_its_brand(gql, shop):
    await make_order(shop["brand"])
    customer = access_token(await make_user())
    assert (await gql.error(LIST, token=customer))["extensions"]["code"] == "FORBIDDEN"
    koko = await make_brand("koko")
    _, outsider = await make_staff(koko)
    assert (await gql.error(LIST, token=outsider))["extensions"]["code"] == "FORBIDDEN"
    assert (await gql(LIST, token=outsider, storefront="koko"))["orders"]["edges"] == []


# --- cancelling ---------------------------------------------------------------------------------------------


async def test_cancel_unpaid_order_releases_stock_and_calls_off_the_payment(gql, shop):
    order = await make_order(shop["brand"], quantities=(2, 1), stock=5)
    data = (await gql(CANCEL, {"id": gid("Order", order.id)}))["orderCancel"]
    assert data["errors"] == []
    assert data["order"]["status"] == "CANCELLED"
    assert data["order"]["payments"][0]["state"] == "CANCELLED"
    assert data["order"]["refunds"] == []
    assert {
        "kind": "STATUS",
        "fromState": "UNPAID",
        "toState": "CANCELLED",
        "actor": f"user:{shop['staff'].id}",
        "message": "Cancelled by staff.",
    } in data["order"]["history"]
    assert await stock_of(order) == [7, 6]


async def test_cancel_paid_order_refunds_what_was_paid_through_the_gateway(gql, shop):
    order = await make_order(shop["brand"], paid=True, quantities=(1,), stock=0)
    data = (await gql(CANCEL, {"id": gid("Order", order.id)}))["orderCancel"]
    assert data["errors"] == []
    assert (data["order"]["status"], data["order"]["paymentStatus"]) == ("CANCELLED", "REFUNDED")
    assert data["order"]["refunds"] == [
        {"amount": {"amount": "170000.00"}, "state": "SUCCEEDED", "reason": "Order cancelled."}
    ]
    assert data["order"]["refundedTotal"] == {"amount": "170000.00"}
    assert await stock_of(order) == [1]
    # a second cancel is refused and changes nothing, not even the stock
    before = await snapshot()
    again = (await gql(CANCEL, {"id": gid("Order", order.id)}))["orderCancel"]
    assert again == {"order": None, "errors": [{"field": None, "code": "INVALID_TRANSITION"}]}
    assert await snapshot() == before


async def test_cancelling_a_shipped_order_is_refused_and_writes_nothing(gql, shop):
    order = await make_order(shop["brand"], paid=True, quantities=(1,))
    await gql(
        SHIP,
        {
            "id": gid("Order", order.id),
            "input": {"carrier": "JNE", "lines": [{"orderLineId": (await line_ids(order))[0], "quantity": 1}]},
        },
    )
    before = await snapshot()
    data = (await gql(CANCEL, {"id": gid("Order", order.id)}))["orderCancel"]
    assert data["errors"] == [{"field": None, "code": "INVALID_TRANSITION"}]
    assert await snapshot() == before


# --- shipping and delivery ----------------------------------------------------------------------------------


async def test_partial_then_full_shipment_then_delivery(gql, shop):
    order = await make_order(shop["brand"], paid=True, quantities=(2, 1))
    first, second = await line_ids(order)
    data = await gql(
        SHIP,
        {
            "id": gid("Order", order.id),
            "input": {"carrier": "JNE", "trackingNumber": "JN001", "lines": [{"orderLineId": first, "quantity": 1}]},
        },
    )
    shipped = data["shipmentCreate"]
    assert shipped["errors"] == [] and shipped["shipment"] == {
        "carrier": "JNE",
        "trackingNumber": "JN001",
        "lines": [{"quantity": 1}],
    }
    assert shipped["order"]["status"] == "PARTIALLY_SHIPPED"
    assert [line["quantityShipped"] for line in shipped["order"]["lines"]] == [1, 0]
    rest = (
        await gql(
            SHIP,
            {
                "id": gid("Order", order.id),
                "input": {
                    "carrier": "SiCepat",
                    "lines": [{"orderLineId": first, "quantity": 1}, {"orderLineId": second, "quantity": 1}],
                },
            },
        )
    )["shipmentCreate"]
    assert rest["errors"] == [] and rest["order"]["status"] == "SHIPPED"
    assert len(rest["order"]["shipments"]) == 2
    delivered = (await gql(DELIVERED, {"id": gid("Order", order.id)}))["orderMarkDelivered"]
    assert delivered["errors"] == [] and delivered["order"]["status"] == "DELIVERED"
    kinds = [(h["kind"], h["toState"]) for h in delivered["order"]["history"]]
    assert kinds == [
        ("STATUS", "PARTIALLY_SHIPPED"),
        ("SHIPMENT", ""),
        ("STATUS", "SHIPPED"),
        ("SHIPMENT", ""),
        ("STATUS", "DELIVERED"),
    ]


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        ([{"line": 0, "quantity": 3}], [{"field": "lines.0.quantity", "code": "INVALID_QUANTITY"}]),
        ([{"line": 0, "quantity": 0}], [{"field": "lines.0.quantity", "code": "INVALID_QUANTITY"}]),
        (
            [{"line": 0, "quantity": 1}, {"line": 0, "quantity": 1}],
            [{"field": "lines.1.orderLineId", "code": "INVALID"}],
        ),
        ([], [{"field": "lines", "code": "REQUIRED"}]),
        ([{"line": "foreign", "quantity": 1}], [{"field": "lines.0.orderLineId", "code": "INVALID"}]),
        ([{"line": "product", "quantity": 1}], [{"field": "lines.0.orderLineId", "code": "INVALID_ID"}]),
    ],
)
async def test_shipping_more_than_ordered_or_bad_lines_is_refused_and_writes_nothing(gql, shop, lines, expected):
    order = await make_order(shop["brand"], paid=True, quantities=(2, 1))
    ids = await line_ids(order)
    foreign = await make_order(shop["brand"], paid=True)
    mapping = {"foreign": (await line_ids(foreign))[0], "product": gid("Product", 1)}
    given = [
        {"orderLineId": mapping.get(item["line"]) or ids[item["line"]], "quantity": item["quantity"]} for item in lines
    ]
    before = await snapshot()
    data = await gql(SHIP, {"id": gid("Order", order.id), "input": {"carrier": "JNE", "lines": given}})
    assert data["shipmentCreate"]["errors"] == expected
    assert await snapshot() == before


async def test_unpaid_orders_cannot_ship_and_undelivered_cannot_be_marked_delivered(gql, shop):
    order = await make_order(shop["brand"])
    before = await snapshot()
    shipped = await gql(
        SHIP,
        {
            "id": gid("Order", order.id),
            "input": {"carrier": "JNE", "lines": [{"orderLineId": (await line_ids(order))[0], "quantity": 1}]},
        },
    )
    assert shipped["shipmentCreate"]["errors"] == [{"field": None, "code": "INVALID_TRANSITION"}]
    delivered = await gql(DELIVERED, {"id": gid("Order", order.id)})
    assert delivered["orderMarkDelivered"]["errors"] == [{"field": None, "code": "INVALID_TRANSITION"}]
    blank = await gql(SHIP, {"id": gid("Order", order.id), "input": {"carrier": " ", "lines": []}})
    assert blank["shipmentCreate"]["errors"] == [{"field": "carrier", "code": "REQUIRED"}]
    assert await snapshot() == before


# --- refunds ------------------------------------------------------------------------------------------------


async def test_refund_by_amount_then_lines_never_more_than_paid(gql, shop):
    order = await make_order(shop["brand"], paid=True, quantities=(2, 1), shipping="0")  # 450000 paid
    first, second = await line_ids(order)
    part = await gql(REFUND, {"id": gid("Order", order.id), "input": {"amount": "150000", "reason": "Salah ukuran"}})
    assert part["orderRefund"]["errors"] == []
    assert part["orderRefund"]["refund"] == {"amount": {"amount": "150000.00"}, "state": "SUCCEEDED"}
    assert part["orderRefund"]["order"]["paymentStatus"] == "PARTIALLY_REFUNDED"
    by_lines = await gql(
        REFUND, {"id": gid("Order", order.id), "input": {"lines": [{"orderLineId": first, "quantity": 2}]}}
    )
    assert by_lines["orderRefund"]["refund"]["amount"] == {"amount": "300000.00"}
    assert by_lines["orderRefund"]["order"]["paymentStatus"] == "REFUNDED"
    assert [line["quantityRefunded"] for line in by_lines["orderRefund"]["order"]["lines"]] == [2, 0]
    before = await snapshot()
    for given, field, code in [
        ({"amount": "1"}, "amount", "REFUND_EXCEEDS_PAID"),
        ({"lines": [{"orderLineId": second, "quantity": 1}]}, "lines", "REFUND_EXCEEDS_PAID"),
        ({"lines": [{"orderLineId": first, "quantity": 1}]}, "lines.0.quantity", "INVALID_QUANTITY"),
        ({"amount": "0"}, "amount", "INVALID"),
        ({"amount": "0.001"}, "amount", "INVALID"),
        ({}, "amount", "INVALID"),
        ({"amount": "1", "lines": [{"orderLineId": second, "quantity": 1}]}, "amount", "INVALID"),
    ]:
        refused = await gql(REFUND, {"id": gid("Order", order.id), "input": given})
        assert refused["orderRefund"]["errors"] == [{"field": field, "code": code}], given
    assert await snapshot() == before


async def test_refund_idempotency_key_returns_the_first_refund(gql, shop):
    order = await make_order(shop["brand"], paid=True)
    variables = {"id": gid("Order", order.id), "input": {"amount": "50000"}, "key": "refund-1"}
    first = await gql(REFUND, variables)
    again = await gql(REFUND, {**variables, "input": {"amount": "70000"}})
    assert again["orderRefund"]["refund"] == first["orderRefund"]["refund"]
    assert await Refund.filter(order_id=order.id).count() == 1
    assert (await Order.get(id=order.id)).refunded_amount == Decimal("50000")


async def test_refunding_an_unpaid_order_is_refused(gql, shop):
    order = await make_order(shop["brand"])
    data = await gql(REFUND, {"id": gid("Order", order.id), "input": {"amount": "1000"}})
    assert data["orderRefund"]["errors"] == [{"field": None, "code": "NOTHING_PAID"}]


# --- notes and bank transfers -------------------------------------------------------------------------------


async def test_note_goes_into_history_with_its_author(gql, shop):
    order = await make_order(shop["brand"])
    data = (await gql(NOTE, {"id": gid("Order", order.id), "m": "  Telepon dulu sebelum kirim  "}))["orderNoteAdd"]
    assert data["order"]["history"][-1] == {
        "kind": "NOTE",
        "fromState": "",
        "toState": "",
        "actor": f"user:{shop['staff'].id}",
        "message": "Telepon dulu sebelum kirim",
    }
    before = await snapshot()
    empty = (await gql(NOTE, {"id": gid("Order", order.id), "m": "   "}))["orderNoteAdd"]
    assert empty["errors"] == [{"field": "message", "code": "REQUIRED"}]
    assert await snapshot() == before


async def test_payment_mark_received_pays_the_order(gql, shop):
    order = await make_order(shop["brand"])
    payment = await Payment.get(order_id=order.id)
    data = (await gql(RECEIVED, {"id": gid("OrderPayment", payment.id)}))["paymentMarkReceived"]
    assert data["errors"] == [] and data["payment"] == {"state": "SUCCEEDED"}
    assert (data["order"]["status"], data["order"]["paymentStatus"]) == ("PAID", "PAID")
    assert data["order"]["paidTotal"] == {"amount": data["order"]["total"]["amount"]}
    assert data["order"]["needsReview"] is False
    before = await snapshot()
    # the ID's form before OrderPayment was a Node (`Payment:<n>`) is still read, for a deprecation period
    twice = (await gql(RECEIVED, {"id": gid("Payment", payment.id)}))["paymentMarkReceived"]
    assert twice["errors"] == [{"field": "paymentId", "code": "INVALID_STATE"}]
    assert await snapshot() == before


async def test_money_for_a_cancelled_order_is_recorded_and_flagged_for_review(gql, shop):
    order = await make_order(shop["brand"])
    await gql(CANCEL, {"id": gid("Order", order.id)})  # e.g. expired before the transfer arrived
    payment = await Payment.get(order_id=order.id)
    assert payment.state == "CANCELLED"
    data = (await gql(RECEIVED, {"id": gid("OrderPayment", payment.id)}))["paymentMarkReceived"]
    assert (data["order"]["status"], data["order"]["paymentStatus"], data["order"]["needsReview"]) == (
        "CANCELLED",
        "PAID",
        True,
    )


# --- isolation: every operation, by every outsider ----------------------------------------------------------


@pytest.mark.parametrize("outsider", ["other_brand_staff", "customer", "anonymous"])
@pytest.mark.parametrize("operation", ["cancel", "ship", "delivered", "refund", "note", "received", "node"])
async def test_outsiders_can_neither_see_nor_change_an_order(gql, shop, outsider, operation):
    buyer = await make_user()
    order = await make_order(shop["brand"], paid=operation != "received", user=buyer)
    payment = await Payment.get(order_id=order.id)
    tokens = {
        "other_brand_staff": (await make_staff(await make_brand("koko")))[1],
        "customer": access_token(buyer),
        "anonymous": None,
    }
    line = (await line_ids(order))[0]
    requests = {
        "cancel": (CANCEL, {"id": gid("Order", order.id)}),
        "ship": (
            SHIP,
            {
                "id": gid("Order", order.id),
                "input": {"carrier": "JNE", "lines": [{"orderLineId": line, "quantity": 1}]},
            },
        ),
        "delivered": (DELIVERED, {"id": gid("Order", order.id)}),
        "refund": (REFUND, {"id": gid("Order", order.id), "input": {"amount": "1000"}}),
        "note": (NOTE, {"id": gid("Order", order.id), "m": "hi"}),
        "received": (RECEIVED, {"id": gid("OrderPayment", payment.id)}),
        "node": ("query($id: ID!) { node(id: $id) { ... on Order { number } } }", {"id": gid("Order", order.id)}),
    }
    query, variables = requests[operation]
    before = await snapshot()
    if operation == "node":  # an order is visible to its customer, never to another brand or a stranger
        data = await gql(query, variables, token=tokens[outsider])
        assert (data["node"] is not None) == (outsider == "customer")
    else:
        error = await gql.error(query, variables, token=tokens[outsider], storefront="koko")
        assert error["extensions"]["code"] == ("UNAUTHENTICATED" if outsider == "anonymous" else "FORBIDDEN")
    assert await snapshot() == before
    assert not await Event.filter(type__startswith="ORDER_").exists()


REFETCH = """query($ids: [ID!]!) { nodes(ids: $ids) { __typename id
  ... on OrderLine { quantity quantityShipped } ... on Shipment { carrier } ... on Refund { reason } } }"""


async def test_order_lines_shipments_and_refunds_are_nodes_seen_by_who_sees_their_order(gql, shop, sql_counter):
    buyer = await make_user("siti@example.id")
    order = await make_order(shop["brand"], user=buyer, paid=True, quantities=(2, 1))
    first, second = await line_ids(order)
    shipped = await gql(
        SHIP,
        {"id": gid("Order", order.id), "input": {"carrier": "JNE", "lines": [{"orderLineId": first, "quantity": 1}]}},
    )
    shipment_id = (
        await gql(
            "query($id: ID!) { node(id: $id) { ... on Order { shipments { id } } } }", {"id": gid("Order", order.id)}
        )
    )["node"]["shipments"][0]["id"]
    assert shipped["shipmentCreate"]["errors"] == []
    wanted = [first, shipment_id, second]
    expected = [
        {"__typename": "OrderLine", "id": first, "quantity": 2, "quantityShipped": 1},
        {"__typename": "Shipment", "id": shipment_id, "carrier": "JNE"},
        {"__typename": "OrderLine", "id": second, "quantity": 1, "quantityShipped": 0},
    ]
    assert (await gql(REFETCH, {"ids": wanted}))["nodes"] == expected  # the brand's staff
    assert (await gql(REFETCH, {"ids": wanted}, token=access_token(buyer)))["nodes"] == expected  # its customer
    stranger = access_token(await make_user())
    assert (await gql(REFETCH, {"ids": wanted}, token=stranger))["nodes"] == [None, None, None]
    other_brand = await make_brand("other")
    _, other_staff = await make_staff(other_brand, StaffRole.STAFF)
    assert (await gql(REFETCH, {"ids": wanted}, token=other_staff, storefront="other"))["nodes"] == [None] * 3
    # many children cost what a few do: one lookup of their orders per type, then the order's own queries
    with sql_counter.counting() as few:
        await gql(REFETCH, {"ids": [first]})
    with sql_counter.counting() as many:
        await gql(REFETCH, {"ids": [first, second]})
    assert len(many) == len(few)


PAYMENT_REFETCH = """query($ids: [ID!]!) { nodes(ids: $ids) { __typename id ... on OrderPayment { gateway state } } }"""


async def test_order_payments_are_nodes_seen_by_who_sees_their_order(gql, shop, sql_counter):
    buyer = await make_user("rina@example.id")
    orders = [await make_order(shop["brand"], user=buyer) for _ in range(3)]
    payments = [await Payment.get(order_id=order.id) for order in orders]
    ids = [gid("OrderPayment", p.id) for p in payments]
    listed = await gql(
        "query($id: ID!) { node(id: $id) { ... on Order { payments { id } } } }", {"id": gid("Order", orders[0].id)}
    )
    assert listed["node"]["payments"] == [{"id": ids[0]}]  # the ID the order lists is the one node(id:) takes
    expected = [
        {"__typename": "OrderPayment", "id": i, "gateway": p.gateway, "state": str(p.state)}
        for i, p in zip(ids, payments, strict=True)
    ]
    assert (await gql(PAYMENT_REFETCH, {"ids": ids}))["nodes"] == expected  # the brand's staff
    assert (await gql(PAYMENT_REFETCH, {"ids": ids}, token=access_token(buyer)))["nodes"] == expected  # its customer
    # an ID of the form it had before (`Payment:<n>`) still finds it, answering with its ID of now
    legacy = (await gql(PAYMENT_REFETCH, {"ids": [gid("Payment", payments[0].id)]}))["nodes"]
    assert legacy == expected[:1]
    assert (await gql(PAYMENT_REFETCH, {"ids": ids}, token=access_token(await make_user())))["nodes"] == [None] * 3
    other_brand = await make_brand("other")
    _, other_staff = await make_staff(other_brand, StaffRole.STAFF)
    assert (await gql(PAYMENT_REFETCH, {"ids": ids}, token=other_staff, storefront="other"))["nodes"] == [None] * 3
    with sql_counter.counting() as one:
        await gql(PAYMENT_REFETCH, {"ids": ids[:1]})
    with sql_counter.counting() as three:
        await gql(PAYMENT_REFETCH, {"ids": ids})
    assert len(three) == len(one)
