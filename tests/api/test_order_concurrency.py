"""Two staff acting on one order at the same moment: stock is released once, money refunded once, a line
shipped no more than ordered. Run on both engines; PostgreSQL is where the requests really overlap (row locks
and conditional updates), SQLite runs one transaction at a time per process."""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Callable
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest

from core.catalog.models import Stock
from core.orders.models import Order, OrderLine
from core.payments.gateways import RefundResult
from core.payments.models import Refund
from core.plugins import hookimpl
from tests.factories import make_brand, make_order, make_staff

UsePlugin = Callable[..., object]
CANCEL = "mutation($id: ID!) { orderCancel(id: $id) { order { status } errors { code } } }"
REFUND = """mutation($id: ID!, $amount: Decimal!) { orderRefund(id: $id, input: {amount: $amount}) {
  refund { state } errors { code } } }"""
SHIP = """mutation($id: ID!, $line: ID!) { shipmentCreate(orderId: $id, input: {carrier: "JNE",
  lines: [{orderLineId: $line, quantity: 2}]}) { order { status } errors { code } } }"""


def gid(type_name: str, id: int) -> str:
    return base64.b64encode(f"{type_name}:{id}".encode()).decode()


class SlowGateway:
    """A gateway whose refund takes a while, so that concurrent refunds overlap around the network call."""

    id = "slow"
    name = "Slow"
    currencies = None
    pays_after_order = False
    calls: list[str] = []

    async def start(self, context: Any) -> Any:
        raise AssertionError("orders here are made by the factory; no payment is ever started through this gateway")

    async def status(self, payment: Any, config: dict[str, Any]) -> Any:
        return payment.state

    async def refund(self, payment: Any, amount: Decimal, idempotency_key: str, config: dict[str, Any]) -> RefundResult:
        self.calls.append(idempotency_key)
        await asyncio.sleep(0.05)
        if amount == Decimal("13"):
            return RefundResult(succeeded=False, message="card expired")
        return RefundResult(succeeded=True, psp_reference=f"re_{idempotency_key}")


@pytest.fixture
def slow(use_plugin: UsePlugin) -> SlowGateway:
    gateway = SlowGateway()
    gateway.calls = []
    use_plugin(SimpleNamespace(payment_gateways=hookimpl(lambda host: [gateway])), name="slow")
    return gateway


async def staff(gql) -> Any:
    brand = await make_brand("sekar")
    _, first = await make_staff(brand)
    _, second = await make_staff(brand)
    gql.storefront = "sekar"
    return brand, first, second


async def test_two_cancels_at_once_release_stock_once_and_refund_once(slow, gql):
    brand, first, second = await staff(gql)
    order = await make_order(brand, paid=True, quantities=(2,), stock=0, gateway="slow")
    results = await asyncio.gather(*(gql(CANCEL, {"id": gid("Order", order.id)}, token=t) for t in (first, second)))
    assert sorted(len(r["orderCancel"]["errors"]) for r in results) == [0, 1]
    line = await OrderLine.get(order_id=order.id)
    assert (await Stock.get(variant_id=line.variant_id)).quantity == 2
    assert [r.state for r in await Refund.filter(order_id=order.id)] == ["SUCCEEDED"]
    assert len(slow.calls) == 1
    assert (await Order.get(id=order.id)).payment_status == "REFUNDED"


async def test_two_refunds_at_once_never_exceed_what_was_paid(slow, gql):
    brand, first, second = await staff(gql)
    order = await make_order(brand, paid=True, quantities=(1,), shipping="0", gateway="slow")  # 150000 paid
    variables = {"id": gid("Order", order.id), "amount": "100000"}
    results = await asyncio.gather(*(gql(REFUND, variables, token=t) for t in (first, second)))
    codes = sorted(tuple(e["code"] for e in r["orderRefund"]["errors"]) for r in results)
    assert codes == [(), ("REFUND_EXCEEDS_PAID",)]
    fresh = await Order.get(id=order.id)
    assert (fresh.refunded_amount, fresh.payment_status) == (Decimal("100000"), "PARTIALLY_REFUNDED")


async def test_a_refused_refund_is_recorded_failed_and_gives_the_amount_back(slow, gql):
    brand, first, _ = await staff(gql)
    order = await make_order(brand, paid=True, gateway="slow")
    data = await gql(REFUND, {"id": gid("Order", order.id), "amount": "13"}, token=first)
    assert data["orderRefund"] == {"refund": {"state": "FAILED"}, "errors": []}
    fresh = await Order.get(id=order.id)
    assert (fresh.refunded_amount, fresh.payment_status) == (Decimal("0"), "PAID")


async def test_two_shipments_of_the_last_units_at_once_ship_them_once(gql):
    brand, first, second = await staff(gql)
    order = await make_order(brand, paid=True, quantities=(2,))
    line = await OrderLine.get(order_id=order.id)
    variables = {"id": gid("Order", order.id), "line": gid("OrderLine", line.id)}
    results = await asyncio.gather(*(gql(SHIP, variables, token=t) for t in (first, second)))
    assert sorted(len(r["shipmentCreate"]["errors"]) for r in results) == [0, 1]
    assert (await OrderLine.get(id=line.id)).quantity_shipped == 2
