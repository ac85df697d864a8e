"""The whole storefront flow over GraphQL with the real built-in plugins (shipping_rates for delivery,
bank_transfer for payment): browse, check out, pay by transfer, and the brand ships, cancels or refunds.

Unlike tests/api/test_checkout.py, no test plugin stands in for delivery or payment: the brand's staff
configure a shipping zone and a bank account through the API first, as a new brand would."""

from __future__ import annotations

from typing import Any

import pytest

from core.catalog.models import Stock, Variant
from tests.api.test_checkout import CHECKOUT, COMPLETE, CREATE, EMAIL, ERRORS, JAKARTA, PAY, QUERY, SHIP_TO, stocked
from tests.factories import access_token, make_brand, make_staff, make_user

DELIVERY = f"""mutation($t: String!, $m: String!) {{
  checkoutDeliveryMethodUpdate(token: $t, deliveryMethodId: $m) {{ checkout {{ {CHECKOUT} }} {ERRORS} }} }}"""
PRODUCTS = "{ products(first: 10) { edges { node { name variants { id sku } } } } }"
ZONE_CREATE = """mutation($input: ShippingZoneCreateInput!) {
  shippingZoneCreate(input: $input) { shippingZone { id } errors { field code } } }"""
METHOD_CREATE = """mutation($zone: ID!, $input: ShippingMethodCreateInput!) {
  shippingMethodCreate(zoneId: $zone, input: $input) { shippingMethod { id } errors { field code } } }"""
CONFIGURE = """mutation($input: PluginConfigureInput!) {
  pluginConfigure(plugin: "bank_transfer", input: $input) { plugin { active configured } errors { field code } } }"""
ORDER = """id number status paymentStatus total { amount currency } paidTotal { amount } refundedTotal { amount }
  lines { id quantity quantityShipped } payments { id gateway state }"""
MARK_RECEIVED = f"""mutation($id: ID!) {{
  paymentMarkReceived(paymentId: $id) {{ order {{ {ORDER} }} {ERRORS} }} }}"""
SHIP = f"""mutation($id: ID!, $input: ShipmentCreateInput!) {{
  shipmentCreate(orderId: $id, input: $input) {{ shipment {{ carrier }} order {{ {ORDER} }} {ERRORS} }} }}"""
DELIVERED = f"mutation($id: ID!) {{ orderMarkDelivered(id: $id) {{ order {{ {ORDER} }} {ERRORS} }} }}"
CANCEL = f'mutation($id: ID!) {{ orderCancel(id: $id, reason: "Tidak jadi") {{ order {{ {ORDER} }} {ERRORS} }} }}'
REFUND = f"""mutation($id: ID!, $amount: Decimal!) {{
  orderRefund(id: $id, input: {{ amount: $amount, reason: "Ongkir" }}) {{
    refund {{ state }} order {{ {ORDER} }} {ERRORS} }} }}"""
MY_ORDER = f"query($n: Int!) {{ order(number: $n) {{ {ORDER} }} }}"
MY_ORDERS = "{ me { email orders { edges { node { number status } } } } }"
BANK = {"bank_name": "Bank Syariah Indonesia", "account_number": "7123456789", "account_holder": "PT Sekar Busana"}
JNE_REG = {
    "name": "JNE REG",
    "carrier": "JNE",
    "minDays": 2,
    "maxDays": 4,
    "rates": [{"currency": "IDR", "minWeightGrams": 0, "maxWeightGrams": 5000, "price": "18000"}],
}


@pytest.fixture
async def shop(gql) -> dict[str, Any]:
    """Sekar with one stocked gamis, delivery to Jakarta and bank transfer set up by its owner over GraphQL."""
    brand = await make_brand("sekar")
    variant = await stocked(brand, "Gamis Aisyah", quantity=5)
    _, staff = await make_staff(brand)
    customer = await make_user("siti@example.id")
    return {"brand": brand, "variant": variant, "staff": staff, "customer": access_token(customer)}


async def configure_brand(gql, staff: str) -> None:
    """What a brand's owner does once: a shipping zone with one method, and a bank account for transfers."""
    zone = await gql(ZONE_CREATE, {"input": {"name": "Jawa", "countries": ["ID"]}}, storefront="sekar", token=staff)
    assert zone["shippingZoneCreate"]["errors"] == [], zone
    zone_id = zone["shippingZoneCreate"]["shippingZone"]["id"]
    method = await gql(METHOD_CREATE, {"zone": zone_id, "input": JNE_REG}, storefront="sekar", token=staff)
    assert method["shippingMethodCreate"]["errors"] == [], method
    bank = await gql(CONFIGURE, {"input": {"config": BANK, "active": True}}, storefront="sekar", token=staff)
    assert bank["pluginConfigure"] == {"plugin": {"active": True, "configured": True}, "errors": []}


async def place_order(gql, shop: dict[str, Any], quantity: int) -> dict[str, Any]:
    """Browse, check out as the signed-in customer, pay by bank transfer and complete: the unpaid order."""
    customer = shop["customer"]
    browsed = await gql(PRODUCTS, storefront="sekar")
    [node] = [edge["node"] for edge in browsed["products"]["edges"]]
    assert node["name"] == "Gamis Aisyah"
    line = {"variantId": node["variants"][0]["id"], "quantity": quantity}
    created = await gql(CREATE, {"input": {"lines": [line]}}, storefront="sekar", token=customer)
    assert created["checkoutCreate"]["errors"] == []
    token = created["checkoutCreate"]["checkout"]["token"]
    emailed = await gql(EMAIL, {"t": token, "e": "siti@example.id"}, storefront="sekar", token=customer)
    assert emailed["checkoutEmailUpdate"] == {"checkout": {"email": "siti@example.id"}, "errors": []}
    shipped = await gql(SHIP_TO, {"t": token, "a": JAKARTA}, storefront="sekar", token=customer)
    assert shipped["checkoutShippingAddressUpdate"]["errors"] == []

    await configure_brand(gql, shop["staff"])

    checkout = (await gql(QUERY, {"t": token}, storefront="sekar", token=customer))["checkout"]
    [method] = checkout["availableShippingMethods"]
    assert (method["name"], method["price"], method["minDays"], method["maxDays"]) == (
        "JNE REG",
        {"amount": "18000.00", "currency": "IDR"},
        2,
        4,
    )
    chosen = await gql(DELIVERY, {"t": token, "m": method["id"]}, storefront="sekar", token=customer)
    assert chosen["checkoutDeliveryMethodUpdate"]["errors"] == []
    checkout = chosen["checkoutDeliveryMethodUpdate"]["checkout"]
    assert checkout["deliveryMethod"] == {"id": method["id"]}
    total = f"{150000 * quantity + 18000}.00"
    assert checkout["total"] == {"amount": total, "currency": "IDR"}
    assert {"id": "bank_transfer"} in checkout["availablePaymentGateways"]

    paid = await gql(PAY, {"t": token, "g": "bank_transfer"}, storefront="sekar", token=customer)
    payment = paid["checkoutPaymentCreate"]
    assert payment["errors"] == []
    assert payment["payment"]["gateway"] == "bank_transfer"
    assert payment["payment"]["amount"] == {"amount": total, "currency": "IDR"}
    action = payment["payment"]["action"]
    assert action["type"] == "INSTRUCTIONS"
    instructions = action["instructions"]
    assert instructions["reference"].startswith("SEKA-")
    assert (instructions["amount"], instructions["currency"]) == (total, "IDR")
    assert (instructions["accountNumber"], instructions["accountHolder"]) == ("7123456789", "PT Sekar Busana")

    done = await gql(COMPLETE, {"t": token, "k": f"complete-{token}"}, storefront="sekar", token=customer)
    assert done["checkoutComplete"]["errors"] == []
    order = done["checkoutComplete"]["order"]
    assert (order["status"], order["paymentStatus"]) == ("UNPAID", "PENDING")
    assert order["total"] == {"amount": total, "currency": "IDR"}
    again = await gql(COMPLETE, {"t": token, "k": f"complete-{token}"}, storefront="sekar", token=customer)
    assert again["checkoutComplete"]["order"]["number"] == order["number"]  # the same order, not a second
    mine = (await gql(MY_ORDER, {"n": order["number"]}, storefront="sekar", token=customer))["order"]
    assert (mine["status"], mine["paymentStatus"]) == ("UNPAID", "PENDING")
    return mine


async def stock_of(variant: Variant) -> int:
    return (await Stock.get(variant_id=variant.id)).quantity


async def test_a_customer_buys_pays_by_transfer_and_receives_the_order(gql, shop):
    staff, customer = shop["staff"], shop["customer"]
    order = await place_order(gql, shop, quantity=3)
    assert await stock_of(shop["variant"]) == 2
    [payment] = order["payments"]
    assert payment["gateway"] == "bank_transfer"

    received = (await gql(MARK_RECEIVED, {"id": payment["id"]}, storefront="sekar", token=staff))["paymentMarkReceived"]
    assert received["errors"] == []
    assert (received["order"]["status"], received["order"]["paymentStatus"]) == ("PAID", "PAID")
    assert received["order"]["paidTotal"] == {"amount": "468000.00"}

    [line] = order["lines"]
    parcel = {"carrier": "JNE", "trackingNumber": "JNE001", "lines": [{"orderLineId": line["id"], "quantity": 2}]}
    first = (await gql(SHIP, {"id": order["id"], "input": parcel}, storefront="sekar", token=staff))["shipmentCreate"]
    assert first["errors"] == [] and first["shipment"] == {"carrier": "JNE"}
    assert first["order"]["status"] == "PARTIALLY_SHIPPED"
    assert first["order"]["lines"][0]["quantityShipped"] == 2
    too_many = {**parcel, "lines": [{"orderLineId": line["id"], "quantity": 2}]}
    refused = await gql(SHIP, {"id": order["id"], "input": too_many}, storefront="sekar", token=staff)
    assert [e["code"] for e in refused["shipmentCreate"]["errors"]] == ["INVALID_QUANTITY"]
    assert refused["shipmentCreate"]["order"] is None
    rest = {**parcel, "trackingNumber": "JNE002", "lines": [{"orderLineId": line["id"], "quantity": 1}]}
    second = (await gql(SHIP, {"id": order["id"], "input": rest}, storefront="sekar", token=staff))["shipmentCreate"]
    assert second["errors"] == [] and second["order"]["status"] == "SHIPPED"

    delivered = (await gql(DELIVERED, {"id": order["id"]}, storefront="sekar", token=staff))["orderMarkDelivered"]
    assert delivered["errors"] == [] and delivered["order"]["status"] == "DELIVERED"

    mine = (await gql(MY_ORDER, {"n": order["number"]}, storefront="sekar", token=customer))["order"]
    assert (mine["status"], mine["paymentStatus"]) == ("DELIVERED", "PAID")
    me = (await gql(MY_ORDERS, storefront="sekar", token=customer))["me"]
    assert me["orders"]["edges"] == [{"node": {"number": order["number"], "status": "DELIVERED"}}]
    stranger = access_token(await make_user("orang@example.id"))
    assert (await gql(MY_ORDER, {"n": order["number"]}, storefront="sekar", token=stranger))["order"] is None
    assert await stock_of(shop["variant"]) == 2


async def test_an_unpaid_order_is_cancelled_and_its_stock_comes_back(gql, shop):
    order = await place_order(gql, shop, quantity=2)
    assert await stock_of(shop["variant"]) == 3
    cancelled = (await gql(CANCEL, {"id": order["id"]}, storefront="sekar", token=shop["staff"]))["orderCancel"]
    assert cancelled["errors"] == [] and cancelled["order"]["status"] == "CANCELLED"
    assert await stock_of(shop["variant"]) == 5  # the two units are back on the shelf
    mine = (await gql(MY_ORDER, {"n": order["number"]}, storefront="sekar", token=shop["customer"]))["order"]
    assert mine["status"] == "CANCELLED"


async def test_a_paid_order_is_refunded_in_part_but_never_beyond_what_was_paid(gql, shop):
    staff = shop["staff"]
    order = await place_order(gql, shop, quantity=1)
    [payment] = order["payments"]
    received = (await gql(MARK_RECEIVED, {"id": payment["id"]}, storefront="sekar", token=staff))["paymentMarkReceived"]
    assert received["errors"] == [] and received["order"]["paymentStatus"] == "PAID"
    part = (await gql(REFUND, {"id": order["id"], "amount": "18000"}, storefront="sekar", token=staff))["orderRefund"]
    assert part["errors"] == [] and part["refund"] == {"state": "SUCCEEDED"}
    assert part["order"]["paymentStatus"] == "PARTIALLY_REFUNDED"
    assert part["order"]["refundedTotal"] == {"amount": "18000.00"}
    too_much = await gql(REFUND, {"id": order["id"], "amount": "150001"}, storefront="sekar", token=staff)
    assert too_much["orderRefund"]["refund"] is None
    assert [(e["field"], e["code"]) for e in too_much["orderRefund"]["errors"]] == [("amount", "REFUND_EXCEEDS_PAID")]
    mine = (await gql(MY_ORDER, {"n": order["number"]}, storefront="sekar", token=shop["customer"]))["order"]
    assert (mine["paymentStatus"], mine["refundedTotal"]) == ("PARTIALLY_REFUNDED", {"amount": "18000.00"})
