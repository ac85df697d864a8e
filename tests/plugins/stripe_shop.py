"""A brand selling through the stripe plugin, with the fake Stripe server on loopback: fixtures and the steps a
storefront and Stripe take. Test modules import the fixtures they use (`from tests.plugins.stripe_shop import …`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from core.orders.models import Order
from core.payments.models import Payment
from core.settings import Settings
from tests.api.test_checkout import CREATE, EMAIL, JAKARTA, SHIP_TO, stocked
from tests.factories import access_token, make_brand, make_staff, make_user
from tests.plugins.stripe_fake import PUBLISHABLE_KEY, SECRET_KEY, WEBHOOK_SECRET, FakeStripe, confirm_as_stripe_js

KUALA_LUMPUR = {
    "firstName": "Nur",
    "lastName": "Aina",
    "street1": "Jalan Ampang 10",
    "city": "Kuala Lumpur",
    "province": "Wilayah Persekutuan Kuala Lumpur",
    "postalCode": "50450",
    "country": "MY",
    "phone": "+60 12-345 6789",
}
ADDRESSES = {"IDR": JAKARTA, "MYR": KUALA_LUMPUR}
# The gamis costs Rp 150.000 / RM 45; delivery Rp 18.000 / RM 15.
PRICES = {"IDR": ("150000", "18000"), "MYR": ("45", "15")}
ERRORS = "errors { field code message }"
CONFIGURE = f"""mutation($input: PluginConfigureInput!) {{
  pluginConfigure(plugin: "stripe", input: $input) {{ plugin {{ active configured config }} {ERRORS} }} }}"""
ZONE_CREATE = """mutation($input: ShippingZoneCreateInput!) {
  shippingZoneCreate(input: $input) { shippingZone { id } errors { field code } } }"""
METHOD_CREATE = """mutation($zone: ID!, $input: ShippingMethodCreateInput!) {
  shippingMethodCreate(zoneId: $zone, input: $input) { shippingMethod { id } errors { field code } } }"""
CHECKOUT = "token total { amount currency } availableShippingMethods { id } availablePaymentGateways { id }"
QUERY = f"query($t: String) {{ checkout(token: $t) {{ {CHECKOUT} }} }}"
DELIVERY = f"""mutation($t: String!, $m: String!) {{
  checkoutDeliveryMethodUpdate(token: $t, deliveryMethodId: $m) {{ checkout {{ {CHECKOUT} }} {ERRORS} }} }}"""
PAY = f"""mutation($t: String!) {{
  checkoutPaymentCreate(token: $t, input: {{ gateway: "stripe" }}) {{
    payment {{ id gateway status pspReference amount {{ amount currency }}
      action {{ type clientSecret publishableKey instructions }} }} {ERRORS} }} }}"""
COMPLETE = f"""mutation($t: String!, $k: String) {{
  checkoutComplete(token: $t, idempotencyKey: $k) {{
    order {{ id number status paymentStatus total {{ amount currency }} }} {ERRORS} }} }}"""
ORDER_FIELDS = """id number status paymentStatus needsReview reviewReason total { amount currency }
  paidTotal { amount } refundedTotal { amount } payments { gateway state }"""
REFUND = f"""mutation($id: ID!, $amount: Decimal!, $key: String) {{
  orderRefund(id: $id, input: {{ amount: $amount, reason: "Kekecilan" }}, idempotencyKey: $key) {{
    refund {{ state amount {{ amount }} }} order {{ {ORDER_FIELDS} }} {ERRORS} }} }}"""


@pytest.fixture
def fake_stripe() -> Iterator[FakeStripe]:
    fake = FakeStripe().start()
    try:
        yield fake
    finally:
        fake.stop()


@pytest.fixture
def settings(settings: Settings, fake_stripe: FakeStripe, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """The suite's settings with `[plugins.stripe]` pointing at the fake, and the keys in the environment."""
    monkeypatch.setenv("STRIPE_SECRET_KEY", SECRET_KEY)
    monkeypatch.setenv("STRIPE_PUBLISHABLE_KEY", PUBLISHABLE_KEY)
    monkeypatch.setenv("STRIPE_WEBHOOK_SECRET", WEBHOOK_SECRET)
    table = {"api_base": fake_stripe.url, "max_network_retries": 1, "timeout_seconds": 5}
    plugins = settings.plugins.model_copy(update={"config": {**settings.plugins.config, "stripe": table}})
    return settings.model_copy(update={"plugins": plugins})


@pytest.fixture
async def shop(gql) -> dict[str, Any]:
    """Sekar sells a stocked gamis in IDR and MYR, delivers to Indonesia and Malaysia, and turned Stripe on."""
    brand = await make_brand("sekar")
    variant = await stocked(brand, "Gamis Aisyah", quantity=5)
    _, staff = await make_staff(brand)
    customer = await make_user("siti@example.id")
    zone = await gql(
        ZONE_CREATE, {"input": {"name": "ID+MY", "countries": ["ID", "MY"]}}, storefront="sekar", token=staff
    )
    method = {
        "name": "Kurir",
        "carrier": "JNE",
        "rates": [{"currency": c, "minWeightGrams": 0, "price": p[1]} for c, p in PRICES.items()],
    }
    zone_id = zone["shippingZoneCreate"]["shippingZone"]["id"]
    created = await gql(METHOD_CREATE, {"zone": zone_id, "input": method}, storefront="sekar", token=staff)
    assert created["shippingMethodCreate"]["errors"] == [], created
    shop = {"brand": brand, "variant": variant, "staff": staff, "customer": access_token(customer)}
    await configure(gql, shop, {})
    return shop


async def configure(gql, shop: dict[str, Any], config: dict[str, Any]) -> dict[str, Any]:
    done = await gql(CONFIGURE, {"input": {"config": config, "active": True}}, storefront="sekar", token=shop["staff"])
    assert done["pluginConfigure"]["errors"] == [], done
    return done["pluginConfigure"]["plugin"]


async def ready_checkout(
    gql, shop: dict[str, Any], currency: str = "IDR", *, quantity: int = 1, guest: bool = False
) -> str:
    """A checkout with the gamis, an e-mail, an address and a delivery method: ready to pay."""
    token_kw = {} if guest else {"token": shop["customer"]}
    line = {"variantId": gid("ProductVariant", shop["variant"].id), "quantity": quantity}
    created = await gql(CREATE, {"input": {"lines": [line], "currency": currency}}, storefront="sekar", **token_kw)
    assert created["checkoutCreate"]["errors"] == [], created
    token = created["checkoutCreate"]["checkout"]["token"]
    await gql(EMAIL, {"t": token, "e": "siti@example.id"}, storefront="sekar", **token_kw)
    shipped = await gql(SHIP_TO, {"t": token, "a": ADDRESSES[currency]}, storefront="sekar", **token_kw)
    assert shipped["checkoutShippingAddressUpdate"]["errors"] == [], shipped
    checkout = (await gql(QUERY, {"t": token}, storefront="sekar", **token_kw))["checkout"]
    [method] = checkout["availableShippingMethods"]
    chosen = await gql(DELIVERY, {"t": token, "m": method["id"]}, storefront="sekar", **token_kw)
    assert chosen["checkoutDeliveryMethodUpdate"]["errors"] == [], chosen
    assert {"id": "stripe"} in chosen["checkoutDeliveryMethodUpdate"]["checkout"]["availablePaymentGateways"]
    return token


def gid(kind: str, pk: int) -> str:
    from strawberry.relay import GlobalID

    return str(GlobalID(kind, str(pk)))


async def pay(gql, shop: dict[str, Any], token: str, *, guest: bool = False) -> dict[str, Any]:
    token_kw = {} if guest else {"token": shop["customer"]}
    started = await gql(PAY, {"t": token}, storefront="sekar", **token_kw)
    assert started["checkoutPaymentCreate"]["errors"] == [], started
    return started["checkoutPaymentCreate"]["payment"]


async def complete(gql, shop: dict[str, Any], token: str, *, guest: bool = False) -> dict[str, Any]:
    token_kw = {} if guest else {"token": shop["customer"]}
    done = await gql(COMPLETE, {"t": token, "k": f"complete-{token[:20]}"}, storefront="sekar", **token_kw)
    return done["checkoutComplete"]


async def confirm(fake: FakeStripe, payment: dict[str, Any], method: str = "pm_card_visa") -> httpx.Response:
    account = (payment["action"].get("instructions") or {}).get("stripeAccount")
    return await confirm_as_stripe_js(fake, payment["action"]["clientSecret"], method, account)


async def deliver(client: httpx.AsyncClient, event: dict[str, Any], **signing: Any) -> httpx.Response:
    """Stripe delivering one event to the webhook endpoint, signed as Stripe signs it."""
    body, headers = FakeStripe.signed(event, **signing)
    return await client.post("/webhooks/stripe", content=body, headers=headers)


async def deliver_all(client: httpx.AsyncClient, fake: FakeStripe, *types: str) -> list[str]:
    """Deliver the queued events in order; their outcomes."""
    outcomes = []
    for event in fake.take_events(*types):
        response = await deliver(client, event)
        assert response.status_code == 200, response.text
        outcomes.append(f"{event['type']}:{response.json()['outcome']}")
    return outcomes


async def order_of(token: str) -> Order | None:
    return await Order.get_or_none(checkout_token=token)


async def payments_of(token: str) -> list[Payment]:
    return await Payment.filter(checkout_token=token).order_by("id")
