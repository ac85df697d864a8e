"""A gateway nobody in core knows pays for an order through core alone: checkout over GraphQL, then its own
webhook route reporting authorisation, capture, a refund at the provider and a dispute, each applied by
`core.payments.lifecycle` (locks, amount checks, history, outbox events, idempotency) — the plugin writes
nothing itself (`tests/plugins/second_gateway.py` imports only `lini.plugin`)."""

from __future__ import annotations

import ast
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from core.events import Event
from core.money import Money
from core.orders.models import Order, OrderHistory
from core.payments.lifecycle import apply
from core.payments.models import Payment, PaymentEvent, Refund
from core.payments.updates import Outcome, PaymentCancelled, PaymentFailed
from core.plugins import hookimpl
from tests.api.test_checkout import COMPLETE, FlatShipping, gid, ready_checkout, stocked
from tests.factories import make_brand, make_staff
from tests.plugins.second_gateway import SecondGatewayPlugin

PAY = """mutation($t: String!) { checkoutPaymentCreate(token: $t, input: { gateway: "second" }) {
  payment { id status pspReference action { type redirectUrl } } errors { code } } }"""
REFUND = """mutation($id: ID!, $amount: Decimal!) { orderRefund(id: $id, input: { amount: $amount }) {
  refund { state } order { paymentStatus refundedTotal { amount } } errors { code } } }"""
TOTAL = Decimal("170000")  # the gamis, Rp 150.000, and flat delivery, Rp 20.000


class Shipping:
    @hookimpl
    def shipping_providers(self, host: Any) -> list[Any]:
        return [FlatShipping()]


@pytest.fixture
def plugins() -> dict[str, object]:
    return {"flat": Shipping(), "second": SecondGatewayPlugin()}


@pytest.fixture
async def shop(gql) -> dict[str, Any]:
    brand = await make_brand("sekar")
    variant = await stocked(brand, "Gamis Aisyah")
    _, staff = await make_staff(brand)
    gql.storefront = "sekar"
    return {"brand": brand, "variant": variant, "staff": staff}


async def paying(gql, shop) -> tuple[str, dict[str, Any]]:
    token = await ready_checkout(gql, shop["variant"])
    started = (await gql(PAY, {"t": token}))["checkoutPaymentCreate"]
    assert started["errors"] == [] and started["payment"]["action"]["type"] == "REDIRECT"
    return token, started["payment"]


async def post(client, id: str, type: str, reference: str, amount: Decimal | str, **extra: Any) -> dict[str, Any]:
    body = {"id": id, "type": type, "reference": reference, "amount": str(amount), "currency": "IDR", **extra}
    response = await client.post("/webhooks/second", json=body)
    assert response.status_code == 200, response.text
    return response.json()


async def test_authorise_capture_refund_dispute_through_core_alone(gql, client, shop):
    token, payment = await paying(gql, shop)
    reference = payment["pspReference"]
    assert reference.startswith("sg_")

    # Authorised at the provider while the shopper's tab is closed: core completes the checkout for them.
    assert (await post(client, "e1", "authorised", reference, TOTAL))["outcome"] == "order_created"
    assert (await post(client, "e1", "authorised", reference, TOTAL))["outcome"] == "duplicate"
    order = await Order.get(checkout_token=token)
    assert (order.status, order.payment_status, order.paid_amount) == ("PAID", "PAID", TOTAL)
    stored = await Payment.get(psp_reference=reference)
    assert (stored.state, stored.order_id) == ("AUTHORIZED", order.id)
    late = (await gql(COMPLETE, {"t": token, "k": "storefront"}))["checkoutComplete"]
    assert late["errors"] == [] and late["order"]["number"] == order.number  # the storefront gets that order

    # Captured: the money taken once, recorded in the history; the order was paid already.
    assert (await post(client, "e2", "captured", reference, TOTAL))["outcome"] == "captured"
    assert (await post(client, "e2b", "captured", reference, TOTAL))["outcome"] == "already_paid"
    await stored.refresh_from_db()
    assert (stored.state, stored.captured_amount) == ("SUCCEEDED", TOTAL)
    assert await OrderHistory.filter(order_id=order.id, kind="PAYMENT").count() == 1

    # Refunded in Lini through the gateway, then more at the provider (its total is cumulative).
    refunded = await gql(REFUND, {"id": gid("Order", order.id), "amount": "20000"}, token=shop["staff"])
    assert refunded["orderRefund"]["errors"] == [] and refunded["orderRefund"]["refund"]["state"] == "SUCCEEDED"
    assert (await post(client, "e3", "refunded", reference, "20000"))["outcome"] == "in_sync"
    assert (await post(client, "e4", "refunded", reference, "50000"))["outcome"] == "refund_recorded"
    assert (await post(client, "e5", "refunded", reference, "40000"))["outcome"] == "in_sync"  # late, smaller
    order = await Order.get(id=order.id)
    assert (order.payment_status, order.refunded_amount) == ("PARTIALLY_REFUNDED", Decimal("50000"))
    at_provider = await Refund.get(order_id=order.id, created_by="second")
    assert (at_provider.amount, at_provider.state, at_provider.reason) == (
        Decimal("30000"),
        "SUCCEEDED",
        "Refunded in Second.",
    )

    # Disputed: the order is flagged for staff, once however often it is reported, and announced.
    dispute = {"dispute": "dp_1", "reason": "fraudulent"}
    assert (await post(client, "e6", "disputed", reference, TOTAL, **dispute))["outcome"] == "flagged_dispute"
    assert (await post(client, "e6", "disputed", reference, TOTAL, **dispute))["outcome"] == "duplicate"
    assert (await post(client, "e7", "disputed", reference, TOTAL, **dispute))["outcome"] == "flagged_dispute"
    order = await Order.get(id=order.id)
    assert order.needs_review and "disputed 170000 IDR at Second (fraudulent, dp_1)" in order.review_reason
    assert await OrderHistory.filter(order_id=order.id, kind="NEEDS_REVIEW").count() == 1
    types = await Event.filter(type__startswith="ORDER_").order_by("id").values_list("type", flat=True)
    assert types == ["ORDER_CREATED", "ORDER_REFUNDED", "ORDER_REFUNDED", "ORDER_PAYMENT_DISPUTED"]
    assert await PaymentEvent.filter(gateway="second").count() == 8  # each event id once: e1 … e7


async def test_money_that_does_not_match_flags_the_order_and_is_never_marked_paid(gql, client, shop):
    token, payment = await paying(gql, shop)
    reference = payment["pspReference"]
    assert (await post(client, "a1", "authorised", reference, TOTAL))["outcome"] == "order_created"
    taken = await post(client, "c1", "captured", reference, "100000")
    assert taken["outcome"] == "amount_mismatch"
    stored = await Payment.get(psp_reference=reference)
    assert (stored.state, stored.captured_amount) == ("AUTHORIZED", Decimal("0"))
    assert stored.metadata["second"]["mismatch"]["amount"] == "100000"
    order = await Order.get(checkout_token=token)
    assert order.needs_review and "Second reports 100000 IDR for payment" in order.review_reason
    # In another currency, even of the same figure.
    other = await post(client, "c2", "captured", reference, TOTAL, currency="MYR")
    assert other["outcome"] == "amount_mismatch"


async def test_money_that_cannot_become_an_order_is_to_be_given_back(gql, client, shop):
    token, payment = await paying(gql, shop)
    reference = payment["pspReference"]
    answered = await post(client, "c1", "captured", reference, "1000")  # not the checkout's total
    assert answered == {"outcome": "unmatched", "giveBack": True}
    assert not await Order.exists(checkout_token=token)
    # The plugin gives it back at the provider and says so; the payment keeps the record.
    assert (await post(client, "r1", "refunded", reference, "1000"))["outcome"] == "remembered"
    stored = await Payment.get(psp_reference=reference)
    assert (stored.state, stored.captured_amount, stored.refunded_amount) == ("SUCCEEDED", 1000, 1000)


async def test_failures_and_cancellations_applied_directly(gql, client, shop):
    _, payment = await paying(gql, shop)
    reference, amount = payment["pspReference"], Money(TOTAL, "IDR")
    declined = PaymentFailed(gateway="second", reference=reference, amount=amount, details={"code": "declined"})
    assert (await apply(declined, host=None)).outcome == Outcome.ATTEMPT_FAILED
    stored = await Payment.get(psp_reference=reference)
    assert (stored.state, stored.metadata["second"]) == ("ACTION_REQUIRED", {"code": "declined"})
    gone = PaymentCancelled(gateway="second", reference=reference, amount=amount)
    assert (await apply(gone, host=None)).outcome == Outcome.CANCELLED
    assert (await apply(gone, host=None)).outcome == Outcome.STALE
    assert (await apply(declined, host=None)).outcome == Outcome.STALE  # a late failure changes nothing
    unknown = PaymentCancelled(gateway="second", reference="sg_nobody", amount=amount)
    assert (await apply(unknown, host=None)).outcome == Outcome.UNKNOWN_PAYMENT


def test_the_plugin_imports_nothing_but_the_plugin_api():
    source = Path(__file__).with_name("second_gateway.py").read_text(encoding="utf-8")
    modules = {
        node.module if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    lini = {m for m in modules if m and m.split(".")[0] in {"core", "schema", "plugins", "lini"}}
    assert lini == {"lini"}
