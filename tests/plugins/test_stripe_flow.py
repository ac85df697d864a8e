"""A storefront pays with Stripe, end to end: checkoutPaymentCreate creates a PaymentIntent at the fake Stripe
server (through the real SDK), the shopper confirms it as Stripe.js would, Stripe's signed webhooks and
checkoutComplete turn it into exactly one paid order, and staff refund part of it through Stripe."""

from __future__ import annotations

import asyncio
from decimal import Decimal

import pytest

from core.catalog.models import Stock
from core.checkout.models import Checkout
from core.orders.models import Order, OrderHistory
from core.payments.models import Payment, Refund
from plugins.stripe.models import StripeEvent
from tests.plugins.stripe_fake import PUBLISHABLE_KEY, SECRET_KEY
from tests.plugins.stripe_shop import (
    ORDER_FIELDS,
    PRICES,
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
STAFF_ORDER = f"query($id: ID!) {{ node(id: $id) {{ ... on Order {{ {ORDER_FIELDS} }} }} }}"


def units(amount: str, currency: str) -> int:
    return int(Decimal(amount) * 100)  # IDR and MYR are both ×100 at Stripe


@pytest.mark.parametrize("currency", ["IDR", "MYR"])
async def test_intent_confirm_complete_webhook_then_partial_refund(gql, client, fake_stripe, shop, currency):
    price, delivery = PRICES[currency]
    total = Decimal(price) + Decimal(delivery)
    token = await ready_checkout(gql, shop, currency)

    # checkoutPaymentCreate: a PaymentIntent for the total, in Stripe's units, keyed by the checkout.
    payment = await pay(gql, shop, token)
    assert payment["status"] == "ACTION_REQUIRED"
    assert payment["amount"] == {"amount": f"{total:.2f}", "currency": currency}
    assert payment["action"]["type"] == "CLIENT_SECRET"
    assert payment["action"]["publishableKey"] == PUBLISHABLE_KEY
    [intent] = fake_stripe.intents.values()
    assert payment["pspReference"] == intent["id"]
    assert payment["action"]["clientSecret"] == intent["client_secret"]
    assert (intent["amount"], intent["currency"]) == (int(total * 100), currency.lower())
    assert intent["automatic_payment_methods"] == {"enabled": True}
    assert intent["capture_method"] == "automatic"
    stored = (await payments_of(token))[0]
    assert intent["metadata"] == {
        "lini_brand": "sekar",
        "lini_brand_id": str(shop["brand"].id),
        "lini_checkout": token,
        "lini_payment_id": str(stored.id),
    }
    [create] = [r for r in fake_stripe.requests if r["path"] == "/v1/payment_intents"]
    assert create["key"] == f"lini-pi:{token}:{stored.id}:{int(total * 100)}{currency}:automatic"
    assert create["account"] is None

    # Asking again resumes the same intent: one intent, the same client secret.
    again = await pay(gql, shop, token)
    assert again["action"]["clientSecret"] == payment["action"]["clientSecret"]
    assert len(fake_stripe.intents) == 1

    # The shopper confirms in the browser; the storefront completes; Stripe's webhooks follow.
    confirmed = await confirm(fake_stripe, payment)
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "succeeded"
    done = await complete(gql, shop, token)
    assert done["errors"] == []
    assert (done["order"]["status"], done["order"]["paymentStatus"]) == ("PAID", "PAID")
    assert await deliver_all(client, fake_stripe) == [
        "payment_intent.created:ignored",
        "payment_intent.succeeded:already_paid",
    ]
    order = await order_of(token)
    assert order is not None and order.paid_amount == total
    [stored] = await payments_of(token)
    assert (stored.state, stored.order_id, stored.captured_amount) == ("SUCCEEDED", order.id, total)

    # Staff refund part of it: a Stripe refund with Lini's idempotency key; Stripe's charge.refunded agrees.
    part = "20000" if currency == "IDR" else "5.50"
    refunded = await gql(REFUND, {"id": gid("Order", order.id), "amount": part, "key": "r1"}, token=shop["staff"])
    assert refunded["orderRefund"]["errors"] == [], refunded
    assert refunded["orderRefund"]["refund"]["state"] == "SUCCEEDED"
    assert refunded["orderRefund"]["order"]["paymentStatus"] == "PARTIALLY_REFUNDED"
    [stripe_refund] = fake_stripe.refunds.values()
    assert stripe_refund["amount"] == units(part, currency)
    [refund_request] = [r for r in fake_stripe.requests if r["path"] == "/v1/refunds"]
    assert refund_request["key"].startswith("lini-refund-")
    assert await deliver_all(client, fake_stripe) == ["charge.refunded:in_sync"]
    order = await Order.get(id=order.id)
    assert (order.payment_status, order.refunded_amount) == ("PARTIALLY_REFUNDED", Decimal(part))
    assert await Refund.filter(order_id=order.id).count() == 1


async def test_a_paid_intent_whose_tab_was_closed_still_becomes_the_order(gql, client, fake_stripe, shop):
    token = await ready_checkout(gql, shop)  # a signed-in customer's checkout: only they may complete it
    payment = await pay(gql, shop, token)
    await confirm(fake_stripe, payment)
    # The shopper closed the tab: no checkoutComplete. Stripe's webhook completes the checkout for them.
    assert await deliver_all(client, fake_stripe) == [
        "payment_intent.created:ignored",
        "payment_intent.succeeded:order_created",
    ]
    order = await order_of(token)
    assert order is not None
    assert (order.status, order.payment_status) == ("PAID", "PAID")
    assert order.user_id is not None  # the signed-in shopper's order, though the webhook placed it
    assert not await Checkout.exists(token=token)
    assert await Stock.get(variant_id=shop["variant"].id).values_list("quantity", flat=True) == 4
    [stored] = await payments_of(token)
    assert (stored.state, stored.order_id) == ("SUCCEEDED", order.id)
    # The storefront comes back late: it gets the order the webhook placed for its shopper, and nothing more
    # is written.
    late = await complete(gql, shop, token)
    assert late["errors"] == [] and late["order"]["number"] == order.number
    assert await Order.filter(brand_id=shop["brand"].id).count() == 1


async def test_webhook_racing_checkout_complete_makes_one_order_and_one_payment(
    gql, client, fake_stripe, shop, backend
):
    for _ in range(3):
        token = await ready_checkout(gql, shop)
        payment = await pay(gql, shop, token)
        await confirm(fake_stripe, payment)
        [succeeded] = fake_stripe.take_events("payment_intent.succeeded")
        webhook, storefront = await asyncio.gather(deliver(client, succeeded), complete(gql, shop, token))
        assert webhook.status_code == 200, webhook.text
        assert webhook.json()["outcome"] in ("order_created", "order_exists")
        order = await order_of(token)
        assert order is not None
        # Whoever won, the storefront gets the one order back.
        assert storefront["errors"] == [] and storefront["order"]["number"] == order.number
        assert await Order.filter(checkout_token=token).count() == 1
        [stored] = await payments_of(token)
        assert (stored.state, stored.order_id) == ("SUCCEEDED", order.id)
        assert await OrderHistory.filter(order_id=order.id, kind="PLACED").count() == 1
    assert await Order.filter(brand_id=shop["brand"].id).count() == 3
    assert await Stock.get(variant_id=shop["variant"].id).values_list("quantity", flat=True) == 2


async def test_connect_brand_is_charged_on_its_own_account(gql, client, fake_stripe, shop):
    plugin = await configure(gql, shop, {"connect_account_id": "acct_1SekarBusana", "statement_descriptor": "SEKAR"})
    assert plugin["config"]["connect_account_id"] == "acct_1SekarBusana"
    token = await ready_checkout(gql, shop)
    payment = await pay(gql, shop, token)
    assert payment["action"]["instructions"] == {"stripeAccount": "acct_1SekarBusana"}
    [intent] = fake_stripe.intents.values()
    assert fake_stripe.accounts[intent["id"]] == "acct_1SekarBusana"
    assert intent["statement_descriptor_suffix"] == "SEKAR"
    await confirm(fake_stripe, payment)
    done = await complete(gql, shop, token)  # status is asked on the brand's account
    assert done["errors"] == []
    [event] = fake_stripe.take_events("payment_intent.succeeded")
    assert event["account"] == "acct_1SekarBusana"
    assert (await deliver(client, event)).json()["outcome"] == "already_paid"
    forged = {**event, "id": "evt_from_elsewhere", "account": "acct_1SomeoneElse"}
    assert (await deliver(client, forged)).json()["outcome"] == "wrong_account"


async def test_manual_capture_authorises_at_checkout_and_captures_when_shipped(gql, client, fake_stripe, shop):
    await configure(gql, shop, {"capture_mode": "manual"})
    token = await ready_checkout(gql, shop)
    payment = await pay(gql, shop, token)
    await confirm(fake_stripe, payment)
    [intent] = fake_stripe.intents.values()
    assert intent["status"] == "requires_capture"
    done = await complete(gql, shop, token)
    assert done["errors"] == []
    assert done["order"]["status"] == "PAID"
    [stored] = await payments_of(token)
    assert stored.state == "AUTHORIZED"
    assert await deliver_all(client, fake_stripe, "payment_intent.amount_capturable_updated") == [
        "payment_intent.amount_capturable_updated:authorized"
    ]
    order = await order_of(token)
    assert order is not None
    lines = await order.lines.all()  # type: ignore[attr-defined]
    shipped = await gql(
        """mutation($id: ID!, $input: ShipmentCreateInput!) { shipmentCreate(orderId: $id, input: $input) {
          order { status } errors { code } } }""",
        {
            "id": gid("Order", order.id),
            "input": {"carrier": "JNE", "lines": [{"orderLineId": gid("OrderLine", lines[0].id), "quantity": 1}]},
        },
        token=shop["staff"],
    )
    assert shipped["shipmentCreate"]["errors"] == [], shipped
    assert fake_stripe.intents[intent["id"]]["status"] == "succeeded"
    [capture] = [r for r in fake_stripe.requests if r["path"].endswith("/capture")]
    assert capture["key"] == f"lini-capture:{stored.id}"
    await stored.refresh_from_db()
    assert (stored.state, stored.captured_amount) == ("SUCCEEDED", stored.amount)
    assert await deliver_all(client, fake_stripe, "payment_intent.succeeded") == [
        "payment_intent.succeeded:already_paid"
    ]


async def test_cancelling_an_authorised_order_releases_the_card(gql, client, fake_stripe, shop):
    await configure(gql, shop, {"capture_mode": "manual"})
    token = await ready_checkout(gql, shop)
    payment = await pay(gql, shop, token)
    await confirm(fake_stripe, payment)
    assert (await complete(gql, shop, token))["errors"] == []
    order = await order_of(token)
    assert order is not None
    cancelled = await gql(
        'mutation($id: ID!) { orderCancel(id: $id, reason: "Habis") { order { status } errors { code } } }',
        {"id": gid("Order", order.id)},
        token=shop["staff"],
    )
    assert cancelled["orderCancel"] == {"order": {"status": "CANCELLED"}, "errors": []}
    [intent] = fake_stripe.intents.values()
    assert intent["status"] == "canceled"
    outcomes = await deliver_all(client, fake_stripe, "payment_intent.canceled")
    assert outcomes == ["payment_intent.canceled:stale"]  # Lini released it itself: nothing more to do
    # Nothing was taken, so nothing is refunded and nobody is asked to look at it.
    cancelled_order = await Order.get(id=order.id)
    assert not cancelled_order.needs_review and cancelled_order.refunded_amount == 0
    assert not await Refund.filter(order_id=order.id).exists()


async def test_stripe_keys_are_configuration_not_brand_settings(gql, shop):
    listed = await gql("{ brandPlugins { plugin active configured config } }", storefront="sekar", token=shop["staff"])
    [stripe] = [p for p in listed["brandPlugins"] if p["plugin"] == "stripe"]
    assert stripe["config"] == {"connect_account_id": None, "capture_mode": "automatic", "statement_descriptor": None}
    assert SECRET_KEY not in str(listed)
    bad = await gql(
        """mutation { pluginConfigure(plugin: "stripe", input: { config: {
          connect_account_id: "brand-account", capture_mode: "later", statement_descriptor: "12345" } }) {
          errors { field code } } }""",
        storefront="sekar",
        token=shop["staff"],
    )
    assert sorted(e["field"] for e in bad["pluginConfigure"]["errors"]) == [
        "config.captureMode",
        "config.connectAccountId",
        "config.statementDescriptor",
    ]


async def test_staff_see_the_order_paid_through_stripe(gql, client, fake_stripe, shop):
    token = await ready_checkout(gql, shop, guest=True)
    payment = await pay(gql, shop, token, guest=True)
    await confirm(fake_stripe, payment)
    await deliver_all(client, fake_stripe)
    order = await order_of(token)
    assert order is not None and order.user_id is None
    seen = await gql(STAFF_ORDER, {"id": gid("Order", order.id)}, token=shop["staff"])
    assert seen["node"]["payments"] == [{"gateway": "stripe", "state": "SUCCEEDED"}]
    assert seen["node"]["needsReview"] is False
    assert await StripeEvent.filter(outcome="order_created").count() == 1
    assert await Payment.filter(order_id=order.id).count() == 1


async def test_cancelling_a_paid_order_refunds_it_through_stripe(gql, client, fake_stripe, shop):
    token = await ready_checkout(gql, shop, "MYR")
    payment = await pay(gql, shop, token)
    await confirm(fake_stripe, payment)
    assert (await complete(gql, shop, token))["errors"] == []
    order = await order_of(token)
    assert order is not None
    cancelled = await gql(
        f"""mutation($id: ID!) {{ orderCancel(id: $id, reason: "Habis") {{
          order {{ {ORDER_FIELDS} }} errors {{ code }} }} }}""",
        {"id": gid("Order", order.id)},
        token=shop["staff"],
    )
    seen = cancelled["orderCancel"]["order"]
    assert (seen["status"], seen["paymentStatus"], seen["refundedTotal"]) == (
        "CANCELLED",
        "REFUNDED",
        {"amount": "60.00"},
    )
    [refund] = fake_stripe.refunds.values()
    assert (refund["amount"], refund["currency"]) == (6000, "myr")
    [request] = [r for r in fake_stripe.requests if r["path"] == "/v1/refunds"]
    assert request["key"] == f"lini-refund-{(await Refund.get(order_id=order.id)).id}"
    assert await deliver_all(client, fake_stripe, "charge.refunded") == ["charge.refunded:in_sync"]
    assert await Stock.get(variant_id=shop["variant"].id).values_list("quantity", flat=True) == 5
