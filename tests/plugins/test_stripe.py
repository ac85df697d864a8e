"""The stripe plugin's guarantees: Stripe's own amount units, webhooks that are verified and applied once
whatever the order, amounts that must match, and Stripe's failures as typed errors with nothing written."""

from __future__ import annotations

import asyncio
import time
from decimal import Decimal

import pytest

from core.catalog.models import Stock
from core.checkout.models import Checkout
from core.errors import DomainError
from core.orders.models import Order, OrderHistory
from core.payments import registry
from core.payments.models import Payment, Refund
from core.plugins import load_plugins
from plugins.stripe.amounts import exponent, from_stripe, to_stripe
from plugins.stripe.models import StripeEvent
from tests.plugins.stripe_fake import SECRET_KEY, FakeStripe
from tests.plugins.stripe_shop import (
    REFUND,
    complete,
    configure,
    confirm,
    deliver,
    deliver_all,
    fake_stripe,
    gid,
    order_of,
    pay,
    payments_of,
    ready_checkout,
    settings,
    shop,
)

__all__ = ["fake_stripe", "settings", "shop"]  # fixtures used by the tests below


# -- amounts ------------------------------------------------------------------------------------------------


@pytest.mark.engine_independent
@pytest.mark.parametrize(
    ("amount", "currency", "units"),
    [
        ("168000.00", "IDR", 16800000),  # IDR is not zero-decimal at Stripe
        ("60.00", "MYR", 6000),
        ("1500", "JPY", 1500),
        ("35000", "KRW", 35000),
        ("12.340", "KWD", 12340),
        ("5000", "UGX", 500000),  # zero-decimal, still sent ×100 in whole units
        ("120.50", "TRY", 12050),
        ("99.99", "SAR", 9999),
    ],
)
def test_amounts_use_stripes_units_exactly(amount, currency, units):
    assert to_stripe(Decimal(amount), currency) == units
    assert from_stripe(units, currency) == Decimal(amount)
    assert isinstance(to_stripe(Decimal(amount), currency), int)


@pytest.mark.engine_independent
@pytest.mark.parametrize(
    ("amount", "currency"), [("10.5", "JPY"), ("12.345", "KWD"), ("0.001", "IDR"), ("10.5", "UGX")]
)
def test_amounts_stripe_cannot_take_are_refused_not_rounded(amount, currency):
    with pytest.raises(DomainError) as refused:
        to_stripe(Decimal(amount), currency)
    assert refused.value.code == "PAYMENT_AMOUNT_UNSUPPORTED"
    assert (exponent("idr"), exponent("JPY"), exponent("BHD")) == (2, 0, 3)


# -- webhook verification -------------------------------------------------------------------------------------


async def paid_intent(gql, fake: FakeStripe, shop, *, method: str = "pm_card_visa") -> tuple[str, dict]:
    token = await ready_checkout(gql, shop)
    payment = await pay(gql, shop, token)
    await confirm(fake, payment, method)
    return token, payment


async def test_wrongly_signed_stale_or_unsigned_events_are_refused_and_change_nothing(gql, client, fake_stripe, shop):
    token, _ = await paid_intent(gql, fake_stripe, shop)
    [event] = fake_stripe.take_events("payment_intent.succeeded")
    body, headers = FakeStripe.signed(event)
    refused = [
        await deliver(client, event, secret="whsec_not_the_endpoints"),
        await deliver(client, event, timestamp=int(time.time()) - 301),  # outside the 300 s tolerance
        await client.post("/webhooks/stripe", content=body),  # no signature
        await client.post(
            "/webhooks/stripe", content=body.replace(b'"livemode": false', b'"livemode": true'), headers=headers
        ),
        await client.post("/webhooks/stripe", content=b"t=1,v1=abc", headers={"Stripe-Signature": "nonsense"}),
    ]
    assert [r.status_code for r in refused] == [400, 400, 400, 400, 400]
    assert all(r.json() == {"error": "invalid signature"} for r in refused)
    assert await StripeEvent.all().count() == 0
    assert await order_of(token) is None
    assert await Checkout.exists(token=token)
    # Within the tolerance it is accepted.
    assert (await deliver(client, event, timestamp=int(time.time()) - 60)).json()["outcome"] == "order_created"


async def test_a_replayed_event_changes_nothing_ten_times_over(gql, client, fake_stripe, shop):
    token, _ = await paid_intent(gql, fake_stripe, shop)
    [event] = fake_stripe.take_events("payment_intent.succeeded")
    first = await deliver(client, event)
    assert first.json() == {"received": True, "outcome": "order_created"}
    order = await order_of(token)
    assert order is not None
    history = await OrderHistory.filter(order_id=order.id).count()
    replays = [await deliver(client, event) for _ in range(10)]
    assert [r.json()["outcome"] for r in replays] == ["duplicate"] * 10
    assert all(r.status_code == 200 for r in replays)
    assert await Order.filter(brand_id=shop["brand"].id).count() == 1
    assert await OrderHistory.filter(order_id=order.id).count() == history
    assert await Stock.get(variant_id=shop["variant"].id).values_list("quantity", flat=True) == 4
    [row] = await StripeEvent.all()
    assert (row.event_id, row.state, row.outcome, row.intent_id) == (
        event["id"],
        "DONE",
        "order_created",
        event["data"]["object"]["id"],
    )


async def test_duplicate_deliveries_at_the_same_moment_apply_once(gql, client, fake_stripe, shop):
    token, _ = await paid_intent(gql, fake_stripe, shop)
    [event] = fake_stripe.take_events("payment_intent.succeeded")
    responses = await asyncio.gather(*(deliver(client, event) for _ in range(4)))
    outcomes = sorted(r.json()["outcome"] for r in responses)
    assert outcomes.count("order_created") == 1
    assert set(outcomes) <= {"order_created", "duplicate", "in_progress"}
    # One being handled is answered 409 so that Stripe delivers it again; the redelivery is a duplicate.
    assert all(r.status_code == (409 if r.json()["outcome"] == "in_progress" else 200) for r in responses)
    assert (await deliver(client, event)).json()["outcome"] == "duplicate"
    assert await Order.filter(checkout_token=token).count() == 1
    assert await StripeEvent.filter(event_id=event["id"]).count() == 1


async def test_a_failure_reported_after_success_does_not_unpay(gql, client, fake_stripe, shop):
    token = await ready_checkout(gql, shop)
    payment = await pay(gql, shop, token)
    declined = await confirm(fake_stripe, payment, "pm_card_chargeDeclined")
    assert declined.status_code == 402
    await confirm(fake_stripe, payment)  # another card
    events = {e["type"]: e for e in fake_stripe.take_events()}
    # Delivered backwards: success first, then the earlier attempt's failure, then the creation.
    outcomes = [
        (await deliver(client, events[kind])).json()["outcome"]
        for kind in ("payment_intent.succeeded", "payment_intent.payment_failed", "payment_intent.created")
    ]
    assert outcomes == ["order_created", "stale", "ignored"]
    order = await order_of(token)
    assert order is not None and (order.status, order.payment_status) == ("PAID", "PAID")
    [stored] = await payments_of(token)
    assert stored.state == "SUCCEEDED"


async def test_a_declined_attempt_keeps_the_payment_open_for_another_card(gql, client, fake_stripe, shop):
    token = await ready_checkout(gql, shop)
    payment = await pay(gql, shop, token)
    await confirm(fake_stripe, payment, "pm_card_chargeDeclined")
    assert await deliver_all(client, fake_stripe, "payment_intent.payment_failed") == [
        "payment_intent.payment_failed:attempt_failed"
    ]
    [stored] = await payments_of(token)
    assert stored.state == "ACTION_REQUIRED"
    assert stored.metadata["stripe"]["lastError"]["declineCode"] == "generic_decline"
    # checkoutComplete says why, and writes nothing.
    refused = await complete(gql, shop, token)
    assert [(e["code"], e["message"]) for e in refused["errors"]] == [("PAYMENT_DECLINED", "Your card was declined.")]
    assert await order_of(token) is None
    assert await Stock.get(variant_id=shop["variant"].id).values_list("quantity", flat=True) == 5
    await confirm(fake_stripe, payment)  # the same intent, another card
    assert (await complete(gql, shop, token))["errors"] == []


async def test_a_refund_reported_before_the_success_is_applied_once_the_order_exists(gql, client, fake_stripe, shop):
    token, payment = await paid_intent(gql, fake_stripe, shop)
    assert (await complete(gql, shop, token))["errors"] == []
    fake_refund = fake_stripe.dashboard(
        "create_refund", {"payment_intent": payment["pspReference"], "amount": "1800000"}
    )
    assert fake_refund["amount"] == 1800000  # Rp 18.000 refunded in Stripe's dashboard
    events = {e["type"]: e for e in fake_stripe.take_events()}
    assert (await deliver(client, events["charge.refunded"])).json()["outcome"] == "refund_recorded"
    assert (await deliver(client, events["payment_intent.succeeded"])).json()["outcome"] == "already_paid"
    assert (await deliver(client, events["charge.refunded"])).json()["outcome"] == "duplicate"
    order = await order_of(token)
    assert order is not None
    assert (order.payment_status, order.refunded_amount) == ("PARTIALLY_REFUNDED", Decimal("18000"))
    [refund] = await Refund.filter(order_id=order.id)
    assert (refund.state, refund.amount, refund.created_by) == ("SUCCEEDED", Decimal("18000"), "stripe")
    # The rest refunded in the dashboard too: Stripe's total is cumulative, so only the difference is added.
    fake_stripe.dashboard("create_refund", {"payment_intent": payment["pspReference"]})
    assert await deliver_all(client, fake_stripe, "charge.refunded") == ["charge.refunded:refund_recorded"]
    order = await Order.get(id=order.id)
    assert (order.payment_status, order.refunded_amount) == ("REFUNDED", order.paid_amount)


async def test_money_refunded_before_the_order_existed_does_not_become_one(gql, client, fake_stripe, shop):
    token, payment = await paid_intent(gql, fake_stripe, shop)
    fake_stripe.dashboard("create_refund", {"payment_intent": payment["pspReference"], "amount": "500000"})
    events = {e["type"]: e for e in fake_stripe.take_events()}
    assert (await deliver(client, events["charge.refunded"])).json()["outcome"] == "remembered"
    outcome = (await deliver(client, events["payment_intent.succeeded"])).json()["outcome"]
    assert outcome == "refunded:refunded_before_order"
    assert await order_of(token) is None
    [intent] = fake_stripe.intents.values()
    assert fake_stripe.charges[intent["latest_charge"]]["refunded"] is True  # the rest went back as well
    refused = await complete(gql, shop, token)
    assert [e["code"] for e in refused["errors"]] == ["PAYMENT_REFUNDED"]


async def test_a_dispute_flags_the_order(gql, client, fake_stripe, shop):
    token, payment = await paid_intent(gql, fake_stripe, shop)
    dispute = fake_stripe.dispute(payment["pspReference"])
    # The dispute arrives before the success: remembered, then flagged once the webhook makes the order.
    assert (await deliver(client, dispute)).json()["outcome"] == "remembered"
    assert await deliver_all(client, fake_stripe, "payment_intent.succeeded") == [
        "payment_intent.succeeded:order_created"
    ]
    order = await order_of(token)
    assert order is not None and order.needs_review
    assert "disputed 168000.00 IDR at Stripe (fraudulent" in order.review_reason
    assert await OrderHistory.filter(order_id=order.id, kind="NEEDS_REVIEW").count() == 1
    replay = {**dispute, "id": "evt_same_dispute_again"}
    assert (await deliver(client, replay)).json()["outcome"] == "flagged_dispute"
    assert await OrderHistory.filter(order_id=order.id, kind="NEEDS_REVIEW").count() == 1  # same reason: once


# -- amounts that do not match ----------------------------------------------------------------------------------


async def test_an_intent_changed_to_another_amount_never_becomes_an_order(gql, client, fake_stripe, shop):
    token = await ready_checkout(gql, shop)
    payment = await pay(gql, shop, token)
    fake_stripe.dashboard("update_intent", {"amount": "100"}, id=payment["pspReference"])  # changed outside Lini
    await confirm(fake_stripe, payment)
    assert await deliver_all(client, fake_stripe, "payment_intent.succeeded") == [
        "payment_intent.succeeded:refunded:amount_mismatch"
    ]
    assert await order_of(token) is None
    [refund] = fake_stripe.refunds.values()
    assert refund["amount"] == 100
    refused = await complete(gql, shop, token)
    assert [e["code"] for e in refused["errors"]] == ["PAYMENT_AMOUNT_MISMATCH"]
    assert await Stock.get(variant_id=shop["variant"].id).values_list("quantity", flat=True) == 5


async def test_a_capture_of_another_amount_flags_the_order_instead_of_paying_it(gql, client, fake_stripe, shop):
    await configure(gql, shop, {"capture_mode": "manual"})
    token, payment = await paid_intent(gql, fake_stripe, shop)
    assert (await complete(gql, shop, token))["errors"] == []
    # Someone captures less in Stripe's dashboard.
    fake_stripe.dashboard("capture", {"amount_to_capture": "1000000"}, id=payment["pspReference"])
    assert await deliver_all(client, fake_stripe, "payment_intent.succeeded") == [
        "payment_intent.succeeded:amount_mismatch"
    ]
    order = await order_of(token)
    assert order is not None and order.needs_review
    assert "Stripe reports 10000.00 IDR for payment" in order.review_reason
    [stored] = await payments_of(token)
    assert stored.state == "AUTHORIZED"  # not marked as received
    assert stored.metadata["stripe"]["mismatch"]["amount"] == "10000.00"


# -- Stripe's failures ----------------------------------------------------------------------------------------


async def test_rate_limit_and_outage_at_payment_start_are_typed_errors_and_create_no_intent(gql, fake_stripe, shop):
    token = await ready_checkout(gql, shop)
    fake_stripe.fail("POST", "/v1/payment_intents", 429, type="invalid_request_error", code="rate_limit")
    busy = await gql.raw(
        'mutation($t: String!) { checkoutPaymentCreate(token: $t, input: {gateway: "stripe"}) { errors { code } } }',
        {"t": token},
        storefront="sekar",
        token=shop["customer"],
    )
    assert busy["data"]["checkoutPaymentCreate"]["errors"] == [{"code": "PAYMENT_GATEWAY_BUSY"}]
    fake_stripe.fail("POST", "/v1/payment_intents", 500, times=2)  # the SDK retries once, then gives up
    down = await gql.raw(
        'mutation($t: String!) { checkoutPaymentCreate(token: $t, input: {gateway: "stripe"}) { errors { code } } }',
        {"t": token},
        storefront="sekar",
        token=shop["customer"],
    )
    assert down["data"]["checkoutPaymentCreate"]["errors"] == [{"code": "PAYMENT_GATEWAY_UNAVAILABLE"}]
    assert fake_stripe.intents == {}
    assert [p.psp_reference for p in await payments_of(token)] == [None]  # resumed with the same key next time
    # A 500 once is retried by the SDK with the same idempotency key: one intent.
    fake_stripe.fail("POST", "/v1/payment_intents", 500, times=1)
    payment = await pay(gql, shop, token)
    assert list(fake_stripe.intents) == [payment["pspReference"]]
    keys = {r["key"] for r in fake_stripe.requests if r["path"] == "/v1/payment_intents"}
    assert len(keys) == 1


async def test_stripe_down_at_completion_writes_no_order(gql, fake_stripe, shop):
    token, payment = await paid_intent(gql, fake_stripe, shop)
    fake_stripe.fail("GET", f"/v1/payment_intents/{payment['pspReference']}", 503, times=2)
    refused = await complete(gql, shop, token)
    assert [e["code"] for e in refused["errors"]] == ["PAYMENT_GATEWAY_UNAVAILABLE"]
    assert await order_of(token) is None
    assert await Checkout.exists(token=token)
    assert await Stock.get(variant_id=shop["variant"].id).values_list("quantity", flat=True) == 5
    fake_stripe.stop()  # the API is unreachable altogether
    refused = await complete(gql, shop, token)
    assert [e["code"] for e in refused["errors"]] == ["PAYMENT_GATEWAY_UNAVAILABLE"]
    assert await order_of(token) is None and await Payment.filter(order_id__not_isnull=True).count() == 0


async def test_a_webhook_that_cannot_reach_stripe_is_retried_by_stripe(gql, client, fake_stripe, shop):
    token, payment = await paid_intent(gql, fake_stripe, shop)
    [event] = fake_stripe.take_events("payment_intent.succeeded")
    fake_stripe.fail("GET", f"/v1/payment_intents/{payment['pspReference']}", 500, times=2)
    postponed = await deliver(client, event)
    assert (postponed.status_code, postponed.json()["outcome"]) == (503, "retry_later")
    assert await StripeEvent.all().count() == 0  # the claim is released for Stripe's next delivery
    assert await order_of(token) is None
    assert (await deliver(client, event)).json()["outcome"] == "order_created"


async def test_a_failed_refund_at_stripe_records_nothing_refunded(gql, fake_stripe, shop):
    token, _ = await paid_intent(gql, fake_stripe, shop)
    assert (await complete(gql, shop, token))["errors"] == []
    order = await order_of(token)
    assert order is not None
    fake_stripe.fail("POST", "/v1/refunds", 402, type="card_error", code="expired_card", message="Expired card.")
    failed = await gql(REFUND, {"id": gid("Order", order.id), "amount": "1000", "key": "r1"}, token=shop["staff"])
    assert failed["orderRefund"]["refund"]["state"] == "FAILED"
    assert failed["orderRefund"]["order"]["paymentStatus"] == "PAID"
    assert (await Order.get(id=order.id)).refunded_amount == 0
    assert fake_stripe.refunds == {}


async def test_the_gateway_is_not_offered_without_a_secret_key(gql, shop, monkeypatch, settings):
    monkeypatch.delenv("STRIPE_SECRET_KEY")
    host = load_plugins(settings, env={})
    assert "stripe" not in registry.gateways(host)
    assert SECRET_KEY.startswith("sk_test_")
