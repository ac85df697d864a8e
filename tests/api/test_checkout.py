"""The storefront's checkout over GraphQL: lines, addresses, delivery, payment and completion.

A test plugin provides a flat-rate shipping provider and an instant gateway (a payment that has succeeded
by the time it starts), so these tests exercise core alone; the built-in plugins have tests of their own.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from core.catalog.models import Product, ProductStatus, Stock, Variant
from core.checkout.completion import _placeholder
from core.checkout.models import Checkout, CheckoutLine
from core.checkout.services import delete_expired
from core.context import SYSTEM
from core.errors import DomainError
from core.events import Event
from core.money import Money
from core.orders.models import Order, OrderLine
from core.orders.services import cancel
from core.payments.gateways import PaymentContext, PaymentStart, RefundResult
from core.payments.models import Payment, PaymentState
from core.plugins import hookimpl
from core.shipping.providers import ShippingRate, ShippingRequest
from core.taxes.calculator import LineTax
from core.taxes.models import TaxRate
from core.vouchers.models import Voucher, VoucherCurrency, VoucherKind
from tests.factories import access_token, make_brand, make_product, make_user

FLAT = {"IDR": "20000", "MYR": "15"}


class FlatShipping:
    id = "flat"
    name = "Flat rate"

    async def quote(self, request: ShippingRequest) -> list[ShippingRate]:
        if request.country not in ("ID", "MY") or request.weight_grams > 30_000:
            return []
        price = Money.of(FLAT[request.currency], request.currency)
        return [ShippingRate(id="std", name="Reguler", price=price, min_days=2, max_days=4, carrier="JNE")]


class InstantGateway:
    id = "instant"
    name = "Instant card"
    currencies = None
    pays_after_order = False

    async def start(self, context: PaymentContext) -> PaymentStart:
        return PaymentStart(state=PaymentState.SUCCEEDED, psp_reference=f"inst-{context.payment_id}")

    async def status(self, payment: Payment, config: dict[str, Any]) -> PaymentState:
        return payment.state

    async def refund(self, payment: Payment, amount: Decimal, idempotency_key: str, config: dict) -> RefundResult:
        return RefundResult(succeeded=True, psp_reference=f"re-{idempotency_key}")


class CheckoutTestPlugin:
    @hookimpl
    def shipping_providers(self, host: Any) -> list[Any]:
        return [FlatShipping()]

    @hookimpl
    def payment_gateways(self, host: Any) -> list[Any]:
        return [InstantGateway()]


@pytest.fixture
def plugins() -> dict[str, object]:
    return {"instant": CheckoutTestPlugin()}


CHECKOUT = """
  token email currency expiresAt
  lines { id quantity productName variant { sku } unitPrice { amount currency } total { amount } }
  shippingAddress { city country }
  availableShippingMethods { id name price { amount currency } minDays maxDays }
  deliveryMethod { id }
  availablePaymentGateways { id }
  subtotal { amount currency } discountTotal { amount } shippingTotal { amount } taxTotal { amount }
  total { amount currency }
"""
ERRORS = "errors { field code message }"
CREATE = f"""mutation($input: CheckoutCreateInput!) {{
  checkoutCreate(input: $input) {{ checkout {{ {CHECKOUT} }} {ERRORS} }} }}"""
LINES_ADD = f"""mutation($t: String!, $lines: [CheckoutLineInput!]!) {{
  checkoutLinesAdd(token: $t, lines: $lines) {{ checkout {{ {CHECKOUT} }} {ERRORS} }} }}"""
LINES_UPDATE = f"""mutation($t: String!, $lines: [CheckoutLineInput!]!) {{
  checkoutLinesUpdate(token: $t, lines: $lines) {{ checkout {{ {CHECKOUT} }} {ERRORS} }} }}"""
LINES_DELETE = f"""mutation($t: String!, $ids: [ID!]!) {{
  checkoutLinesDelete(token: $t, lineIds: $ids) {{ checkout {{ {CHECKOUT} }} {ERRORS} }} }}"""
EMAIL = f"""mutation($t: String!, $e: String!) {{
  checkoutEmailUpdate(token: $t, email: $e) {{ checkout {{ email }} {ERRORS} }} }}"""
SHIP_TO = f"""mutation($t: String!, $a: CheckoutAddressInput!) {{
  checkoutShippingAddressUpdate(token: $t, address: $a) {{ checkout {{ {CHECKOUT} }} {ERRORS} }} }}"""
DELIVERY = f"""mutation($t: String!, $m: String!) {{
  checkoutDeliveryMethodUpdate(token: $t, deliveryMethodId: $m) {{ checkout {{ {CHECKOUT} }} {ERRORS} }} }}"""
PAY = f"""mutation($t: String!, $g: String!) {{
  checkoutPaymentCreate(token: $t, input: {{ gateway: $g }}) {{
    payment {{ gateway status amount {{ amount currency }} action {{ type instructions }} }} {ERRORS} }} }}"""
COMPLETE = f"""mutation($t: String!, $k: String) {{
  checkoutComplete(token: $t, idempotencyKey: $k) {{
    order {{ number status paymentStatus total {{ amount currency }} }} {ERRORS} }} }}"""
QUERY = f"query($t: String) {{ checkout(token: $t) {{ {CHECKOUT} }} }}"
JAKARTA = {
    "firstName": "Siti",
    "lastName": "Aminah",
    "street1": "Jl. Kebon Sirih 12",
    "city": "Jakarta Pusat",
    "province": "DKI Jakarta",
    "postalCode": "10340",
    "country": "ID",
    "phone": "0812-3456-7890",
}
# Abroad for the test brands (they ship from ID): exports need customs data (the factory's products have it).
KUALA_LUMPUR = {
    **JAKARTA,
    "city": "Kuala Lumpur",
    "province": "",
    "country": "MY",
    "postalCode": "50450",
    "phone": "+60 12-345 6789",
}


def gid(kind: str, pk: int) -> str:
    from strawberry.relay import GlobalID

    return str(GlobalID(kind, str(pk)))


async def stocked(brand, name: str, quantity: int = 10, **fields: Any) -> Variant:
    product = await make_product(brand, name, sizes=("M",), prices={"IDR": "150000", "MYR": "45"}, **fields)
    variant = await Variant.get(product_id=product.id)
    variant.weight_grams = 400
    await variant.save()
    await Stock.create(variant=variant, quantity=quantity)
    return variant


async def ready_checkout(gql, variant: Variant, quantity: int = 1, **kwargs: Any) -> str:
    """A checkout with a line, e-mail, Jakarta address and the flat delivery method."""
    line = {"variantId": gid("ProductVariant", variant.id), "quantity": quantity}
    created = await gql(CREATE, {"input": {"email": "siti@example.id", "lines": [line]}}, **kwargs)
    assert created["checkoutCreate"]["errors"] == []
    token = created["checkoutCreate"]["checkout"]["token"]
    assert (await gql(SHIP_TO, {"t": token, "a": JAKARTA}, **kwargs))["checkoutShippingAddressUpdate"]["errors"] == []
    chosen = await gql(DELIVERY, {"t": token, "m": "flat:std"}, **kwargs)
    assert chosen["checkoutDeliveryMethodUpdate"]["errors"] == []
    return token


@pytest.fixture
async def shop():
    brand = await make_brand("sekar")
    variant = await stocked(brand, "Gamis Aisyah")
    return brand, variant


async def test_a_guest_builds_a_checkout_and_totals_follow(gql, shop):
    _, variant = shop
    line = {"variantId": gid("ProductVariant", variant.id), "quantity": 2}
    created = (await gql(CREATE, {"input": {"lines": [line]}}, storefront="sekar"))["checkoutCreate"]
    assert created["errors"] == []
    checkout = created["checkout"]
    token = checkout["token"]
    assert len(token) >= 40 and checkout["currency"] == "IDR"
    assert checkout["subtotal"] == {"amount": "300000.00", "currency": "IDR"}
    assert checkout["availableShippingMethods"] == []  # no address yet
    shipped = (await gql(SHIP_TO, {"t": token, "a": JAKARTA}, storefront="sekar"))["checkoutShippingAddressUpdate"]
    assert shipped["checkout"]["availableShippingMethods"] == [
        {
            "id": "flat:std",
            "name": "Reguler",
            "price": {"amount": "20000.00", "currency": "IDR"},
            "minDays": 2,
            "maxDays": 4,
        }
    ]
    assert shipped["checkout"]["shippingTotal"] == {"amount": "0.00"}  # none chosen yet
    chosen = (await gql(DELIVERY, {"t": token, "m": "flat:std"}, storefront="sekar"))["checkoutDeliveryMethodUpdate"]
    assert chosen["checkout"]["deliveryMethod"] == {"id": "flat:std"}
    assert chosen["checkout"]["total"] == {"amount": "320000.00", "currency": "IDR"}
    assert chosen["checkout"]["availablePaymentGateways"] == [{"id": "instant"}]

    line_id = chosen["checkout"]["lines"][0]["id"]
    more = {"variantId": gid("ProductVariant", variant.id), "quantity": 1}
    added = (await gql(LINES_ADD, {"t": token, "lines": [more]}, storefront="sekar"))["checkoutLinesAdd"]
    assert [line["quantity"] for line in added["checkout"]["lines"]] == [3]
    setq = {"variantId": gid("ProductVariant", variant.id), "quantity": 1}
    updated = (await gql(LINES_UPDATE, {"t": token, "lines": [setq]}, storefront="sekar"))["checkoutLinesUpdate"]
    assert updated["checkout"]["subtotal"]["amount"] == "150000.00"
    removed = (await gql(LINES_DELETE, {"t": token, "ids": [line_id]}, storefront="sekar"))["checkoutLinesDelete"]
    assert removed["checkout"]["lines"] == [] and removed["checkout"]["total"]["amount"] == "0.00"


async def test_myr_checkout_prices_in_ringgit(gql, shop):
    _, variant = shop
    line = {"variantId": gid("ProductVariant", variant.id), "quantity": 2}
    created = await gql(CREATE, {"input": {"currency": "MYR", "lines": [line]}}, storefront="sekar")
    assert created["checkoutCreate"]["checkout"]["subtotal"] == {"amount": "90.00", "currency": "MYR"}


async def test_ppn_is_part_of_a_gross_price(gql, shop):
    brand, variant = shop
    await TaxRate.create(
        brand=brand, country="ID", name="PPN", rate=Decimal(12), base_numerator=11, base_denominator=12
    )
    token = await ready_checkout(gql, variant, 2, storefront="sekar")
    checkout = (await gql(QUERY, {"t": token}, storefront="sekar"))["checkout"]
    assert checkout["subtotal"]["amount"] == "300000.00"
    assert Decimal(checkout["taxTotal"]["amount"]) > 0
    assert checkout["total"]["amount"] == "320000.00"  # prices include tax: the tax is inside, not added


async def test_bad_lines_are_refused_and_nothing_is_written(gql, shop):
    brand, variant = shop
    other = await make_brand("koko")
    foreign = await stocked(other, "Baju Koko")
    draft = await stocked(brand, "Draft Gamis", status=ProductStatus.DRAFT)
    cases = [
        ({"variantId": gid("ProductVariant", variant.id), "quantity": 0}, "INVALID_QUANTITY"),
        ({"variantId": gid("ProductVariant", variant.id), "quantity": -3}, "INVALID_QUANTITY"),
        ({"variantId": gid("ProductVariant", variant.id), "quantity": 51}, "INVALID_QUANTITY"),
        ({"variantId": gid("ProductVariant", variant.id), "quantity": 11}, "INSUFFICIENT_STOCK"),
        ({"variantId": gid("ProductVariant", foreign.id), "quantity": 1}, "VARIANT_NOT_AVAILABLE"),
        ({"variantId": gid("ProductVariant", draft.id), "quantity": 1}, "VARIANT_NOT_AVAILABLE"),
        ({"variantId": gid("Product", variant.id), "quantity": 1}, "INVALID_ID"),
    ]
    for line, code in cases:
        payload = (await gql(CREATE, {"input": {"lines": [line]}}, storefront="sekar"))["checkoutCreate"]
        assert payload["checkout"] is None and [e["code"] for e in payload["errors"]] == [code], (line, payload)
    currency = await gql(CREATE, {"input": {"currency": "USD"}}, storefront="sekar")
    assert currency["checkoutCreate"]["errors"][0]["code"] == "CURRENCY_NOT_ENABLED"
    assert await Checkout.all().count() == 0

    token = await ready_checkout(gql, variant, storefront="sekar")
    riyadh = {**JAKARTA, "city": "Riyadh", "province": "", "country": "SA", "phone": ""}
    refused = (await gql(SHIP_TO, {"t": token, "a": riyadh}, storefront="sekar"))["checkoutShippingAddressUpdate"]
    assert refused["errors"][0] == {
        "field": "shippingAddress.country",
        "code": "COUNTRY_NOT_SHIPPED_TO",
        "message": "This storefront ships to ID, MY only.",
    }
    short = {**JAKARTA, "postalCode": "1034"}  # Indonesian postal codes have five digits
    refused = (await gql(SHIP_TO, {"t": token, "a": short}, storefront="sekar"))["checkoutShippingAddressUpdate"]
    assert [(e["field"], e["code"]) for e in refused["errors"]] == [
        ("shippingAddress.postalCode", "INVALID_POSTAL_CODE")
    ]
    kuala_lumpur = {**JAKARTA, "city": "Kuala Lumpur", "country": "MY", "postalCode": "", "phone": ""}
    refused = (await gql(SHIP_TO, {"t": token, "a": kuala_lumpur}, storefront="sekar"))["checkoutShippingAddressUpdate"]
    assert [(e["field"], e["code"]) for e in refused["errors"]] == [
        ("shippingAddress.postalCode", "POSTAL_CODE_REQUIRED")
    ]
    nowhere = await gql(DELIVERY, {"t": token, "m": "flat:express"}, storefront="sekar")
    assert nowhere["checkoutDeliveryMethodUpdate"]["errors"][0]["code"] == "DELIVERY_METHOD_NOT_AVAILABLE"
    bad_email = await gql(EMAIL, {"t": token, "e": "not-an-email"}, storefront="sekar")
    assert bad_email["checkoutEmailUpdate"]["errors"][0]["code"] == "INVALID_EMAIL"
    row = await Checkout.get(token=token)
    assert row.shipping_address["city"] == "Jakarta Pusat" and row.email == "siti@example.id"
    assert row.delivery_method_id == "flat:std"
    # Another storefront's token is unknown here.
    assert (await gql(QUERY, {"t": token}, storefront="koko"))["checkout"] is None


async def test_an_expired_checkout_cannot_change_or_complete(gql, shop):
    _, variant = shop
    token = await ready_checkout(gql, variant, storefront="sekar")
    await Checkout.filter(token=token).update(expires_at=datetime.now(UTC) - timedelta(minutes=1))
    line = {"variantId": gid("ProductVariant", variant.id), "quantity": 1}
    added = (await gql(LINES_ADD, {"t": token, "lines": [line]}, storefront="sekar"))["checkoutLinesAdd"]
    assert added["errors"][0]["code"] == "CHECKOUT_EXPIRED"
    done = (await gql(COMPLETE, {"t": token, "k": "k1"}, storefront="sekar"))["checkoutComplete"]
    assert done["errors"][0]["code"] == "CHECKOUT_EXPIRED" and await Order.all().count() == 0
    assert await CheckoutLine.filter(checkout__token=token).values_list("quantity", flat=True) == [1]


async def test_a_customers_checkout_follows_them_and_no_one_else_sees_it(gql, shop):
    _, variant = shop
    siti, other = await make_user("siti@example.id"), await make_user("rina@example.id")
    line = {"variantId": gid("ProductVariant", variant.id), "quantity": 1}
    created = await gql(CREATE, {"input": {"lines": [line]}}, storefront="sekar", token=access_token(siti))
    token = created["checkoutCreate"]["checkout"]["token"]
    assert created["checkoutCreate"]["checkout"]["email"] == "siti@example.id"
    # On another device: no token needed.
    mine = (await gql(QUERY, {}, storefront="sekar", token=access_token(siti)))["checkout"]
    assert mine["token"] == token
    # A second checkoutCreate on that device adds to the same cart.
    again = await gql(CREATE, {"input": {"lines": [line]}}, storefront="sekar", token=access_token(siti))
    assert again["checkoutCreate"]["checkout"]["token"] == token
    assert again["checkoutCreate"]["checkout"]["lines"][0]["quantity"] == 2
    # Someone else holding the token, signed in or not, sees nothing and changes nothing.
    assert (await gql(QUERY, {"t": token}, storefront="sekar", token=access_token(other)))["checkout"] is None
    assert (await gql(QUERY, {"t": token}, storefront="sekar"))["checkout"] is None
    stolen = await gql(LINES_ADD, {"t": token, "lines": [line]}, storefront="sekar", token=access_token(other))
    assert stolen["checkoutLinesAdd"]["errors"][0]["code"] == "NOT_FOUND"
    assert await CheckoutLine.filter(checkout__token=token).values_list("quantity", flat=True) == [2]


async def test_completion_makes_a_paid_order_once(gql, shop):
    _, variant = shop
    token = await ready_checkout(gql, variant, 2, storefront="sekar")
    early = (await gql(COMPLETE, {"t": token, "k": "k1"}, storefront="sekar"))["checkoutComplete"]
    assert early["errors"][0]["code"] == "PAYMENT_REQUIRED"
    paid = (await gql(PAY, {"t": token, "g": "instant"}, storefront="sekar"))["checkoutPaymentCreate"]
    assert paid["errors"] == [] and paid["payment"]["status"] == "SUCCEEDED"
    assert paid["payment"]["amount"] == {"amount": "320000.00", "currency": "IDR"}
    done = (await gql(COMPLETE, {"t": token, "k": "k1"}, storefront="sekar"))["checkoutComplete"]
    assert done["errors"] == []
    assert done["order"] == {
        "number": 1,
        "status": "PAID",
        "paymentStatus": "PAID",
        "total": {"amount": "320000.00", "currency": "IDR"},
    }
    assert (await Stock.get(variant_id=variant.id)).quantity == 8
    line = await OrderLine.get(order__number=1)
    assert (line.product_name, line.sku, line.quantity, line.unit_price_gross) == (
        "Gamis Aisyah",
        variant.sku,
        2,
        Decimal("150000"),
    )
    # Later catalog edits do not change history.
    await Product.filter(id=variant.product_id).update(name="Gamis Aisyah (baru)")
    assert (await OrderLine.get(order__number=1)).product_name == "Gamis Aisyah"
    # The same key returns the same order and changes nothing; no key (or another) is refused.
    again = (await gql(COMPLETE, {"t": token, "k": "k1"}, storefront="sekar"))["checkoutComplete"]
    assert again["order"]["number"] == 1 and again["errors"] == []
    twice = (await gql(COMPLETE, {"t": token}, storefront="sekar"))["checkoutComplete"]
    assert twice["order"] is None and twice["errors"][0]["code"] == "CHECKOUT_COMPLETED"
    assert await Order.all().count() == 1 and (await Stock.get(variant_id=variant.id)).quantity == 8
    assert await Checkout.filter(token=token).count() == 0


async def test_a_payment_for_an_old_total_does_not_complete(gql, shop):
    _, variant = shop
    token = await ready_checkout(gql, variant, 1, storefront="sekar")
    await gql(PAY, {"t": token, "g": "instant"}, storefront="sekar")
    line = {"variantId": gid("ProductVariant", variant.id), "quantity": 1}
    await gql(LINES_ADD, {"t": token, "lines": [line]}, storefront="sekar")
    done = (await gql(COMPLETE, {"t": token, "k": "k"}, storefront="sekar"))["checkoutComplete"]
    assert done["errors"][0]["code"] == "PAYMENT_AMOUNT_MISMATCH"
    assert await Order.all().count() == 0 and (await Stock.get(variant_id=variant.id)).quantity == 10


async def test_an_unknown_gateway_and_an_unready_checkout_are_refused(gql, shop):
    _, variant = shop
    line = {"variantId": gid("ProductVariant", variant.id), "quantity": 1}
    token = (await gql(CREATE, {"input": {"lines": [line]}}, storefront="sekar"))["checkoutCreate"]["checkout"]["token"]
    unready = (await gql(PAY, {"t": token, "g": "instant"}, storefront="sekar"))["checkoutPaymentCreate"]
    assert {e["code"] for e in unready["errors"]} == {"EMAIL_REQUIRED", "SHIPPING_ADDRESS_REQUIRED"}
    ready = await ready_checkout(gql, variant, storefront="sekar")
    unknown = (await gql(PAY, {"t": ready, "g": "cash"}, storefront="sekar"))["checkoutPaymentCreate"]
    assert unknown["errors"][0]["code"] == "GATEWAY_NOT_AVAILABLE" and await Payment.all().count() == 0


async def test_forty_shoppers_for_ten_units_make_ten_orders_numbered_one_to_ten(gql, shop):
    _, variant = shop
    tokens = []
    for _ in range(40):
        token = await ready_checkout(gql, variant, 1, storefront="sekar")
        await gql(PAY, {"t": token, "g": "instant"}, storefront="sekar")
        tokens.append(token)
    results = await asyncio.gather(
        *(gql(COMPLETE, {"t": t, "k": f"k-{i}"}, storefront="sekar") for i, t in enumerate(tokens))
    )
    payloads = [r["checkoutComplete"] for r in results]
    orders = [p["order"] for p in payloads if p["order"]]
    failures = [p["errors"] for p in payloads if not p["order"]]
    assert len(orders) == 10 and sorted(o["number"] for o in orders) == list(range(1, 11))
    assert len(failures) == 30 and all(e[0]["code"] == "INSUFFICIENT_STOCK" for e in failures)
    assert (await Stock.get(variant_id=variant.id)).quantity == 0
    assert await Order.all().count() == 10


class OrderListener:
    """Hears order events as plugins do (`order_event`, delivered after the commit)."""

    def __init__(self) -> None:
        self.heard: list[dict[str, Any]] = []

    @hookimpl
    async def order_event(self, event: dict[str, Any]) -> None:
        self.heard.append(event)


@pytest.fixture
def listener(plugins: dict[str, object]) -> OrderListener:
    plugins["listener"] = listener = OrderListener()
    return listener


async def test_order_created_events_carry_the_number_the_order_got_and_none_of_a_rolled_back_completion(
    listener, gql, shop
):
    # The number is allocated last, after ORDER_CREATED was written with the placeholder: the same statement
    # puts it in the event's payload, and a completion rolled back for want of stock leaves no event at all.
    brand, variant = shop
    await Stock.filter(variant_id=variant.id).update(quantity=3)
    tokens = []
    for _ in range(6):
        token = await ready_checkout(gql, variant, 1, storefront="sekar")
        await gql(PAY, {"t": token, "g": "instant"}, storefront="sekar")
        tokens.append(token)
    results = await asyncio.gather(*(gql(COMPLETE, {"t": t}, storefront="sekar") for t in tokens))
    numbers = sorted(r["checkoutComplete"]["order"]["number"] for r in results if r["checkoutComplete"]["order"])
    assert numbers == [1, 2, 3]
    stored = {o.id: o.number for o in await Order.filter(brand_id=brand.id)}
    events = await Event.filter(type="ORDER_CREATED").order_by("id")
    assert {e.payload["order"]["id"]: e.payload["order"]["number"] for e in events} == stored
    created = [e for e in listener.heard if e["type"] == "ORDER_CREATED"]
    assert sorted(e["order"]["number"] for e in created) == [1, 2, 3]
    assert all(stored[e["order"]["id"]] == e["order"]["number"] for e in created)


class FlatTax:
    """A tax service plugin: 10% on every line, whatever the brand's own rates say."""

    @hookimpl
    def tax_lines(self, checkout: Any, lines: list[Any], address: dict | None) -> list[LineTax] | None:
        del checkout, address
        return [LineTax(rate=Decimal(10), amount=(line.unit_price * line.quantity).scaled(10, 100)) for line in lines]


class NoJakarta:
    @hookimpl
    def error_codes(self) -> dict[str, str]:
        return {"DESTINATION_REFUSED": "The shop does not deliver to this city."}

    @hookimpl
    def validate_checkout(self, checkout: Any) -> list[DomainError]:
        if (checkout.shipping_address or {}).get("city") == "Jakarta Pusat":
            return [DomainError("DESTINATION_REFUSED", "Not today.", "shipping_address.city")]
        return []


@pytest.fixture
def flat_tax(plugins: dict[str, object]) -> None:
    plugins["flat_tax"] = FlatTax()


@pytest.fixture
def no_jakarta(plugins: dict[str, object]) -> None:
    plugins["no_jakarta"] = NoJakarta()


async def test_hook_tax_lines(flat_tax, gql, shop):
    _, variant = shop
    token = await ready_checkout(gql, variant, 2, storefront="sekar")
    checkout = (await gql(QUERY, {"t": token}, storefront="sekar"))["checkout"]
    # Prices include tax: the plugin's 10% of the gross lines is reported, the total stays what was shown.
    assert Decimal(checkout["taxTotal"]["amount"]) >= Decimal("30000.00")
    assert checkout["total"]["amount"] == "320000.00"


async def test_hook_validate_checkout(no_jakarta, gql, shop):
    _, variant = shop
    token = await ready_checkout(gql, variant, 1, storefront="sekar")
    await gql(PAY, {"t": token, "g": "instant"}, storefront="sekar")
    done = (await gql(COMPLETE, {"t": token, "k": "k"}, storefront="sekar"))["checkoutComplete"]
    assert done["order"] is None
    assert done["errors"] == [{"field": "shippingAddress.city", "code": "DESTINATION_REFUSED", "message": "Not today."}]
    assert await Order.all().count() == 0 and (await Stock.get(variant_id=variant.id)).quantity == 10


async def test_hook_error_codes(no_jakarta, gql, shop):
    """A plugin's declared code joins the ErrorCode enum, described, beside core's; the code reaches the client
    as the enum value (test_hook_validate_checkout shows it in a payload)."""
    enum = (await gql('{ __type(name: "ErrorCode") { enumValues { name description } } }'))["__type"]
    values = {value["name"]: value["description"] for value in enum["enumValues"]}
    assert values["DESTINATION_REFUSED"] == "The shop does not deliver to this city."
    assert values["NOT_FOUND"] and values["INSUFFICIENT_STOCK"]
    assert all(values.values()), [name for name, text in values.items() if not text]


class SilentRefusal:
    @hookimpl
    def validate_checkout(self, checkout: Any) -> list[DomainError]:
        return [DomainError("NEVER_DECLARED", "No client can switch on this.", None)]


@pytest.fixture
def silent_refusal(plugins: dict[str, object]) -> None:
    plugins["silent"] = SilentRefusal()


async def test_an_undeclared_error_code_is_a_bug_reported_with_the_request_id(silent_refusal, gql, shop):
    _, variant = shop
    token = await ready_checkout(gql, variant, 1, storefront="sekar")
    await gql(PAY, {"t": token, "g": "instant"}, storefront="sekar")
    body = await gql.raw(COMPLETE, {"t": token, "k": "k"}, storefront="sekar")
    assert [error["extensions"]["code"] for error in body["errors"]] == ["INTERNAL_SERVER_ERROR"]
    assert await Order.all().count() == 0 and (await Stock.get(variant_id=variant.id)).quantity == 10


VOUCHER = f"""mutation($t: String!, $c: String!) {{
  checkoutVoucherApply(token: $t, code: $c) {{ checkout {{ {CHECKOUT} }} {ERRORS} }} }}"""


async def test_a_voucher_is_counted_at_completion_and_given_back_on_cancel(gql, shop):
    brand, variant = shop
    voucher = await Voucher.create(
        brand=brand, code="LEBARAN", kind=VoucherKind.PERCENTAGE, percentage=10, usage_limit=1
    )
    await VoucherCurrency.create(voucher=voucher, currency="IDR")
    token = await ready_checkout(gql, variant, 2, storefront="sekar")
    applied = (await gql(VOUCHER, {"t": token, "c": "lebaran"}, storefront="sekar"))["checkoutVoucherApply"]
    assert applied["errors"] == [] and applied["checkout"]["discountTotal"]["amount"] == "30000.00"
    assert applied["checkout"]["total"]["amount"] == "290000.00"
    await gql(PAY, {"t": token, "g": "instant"}, storefront="sekar")
    done = (await gql(COMPLETE, {"t": token, "k": "v"}, storefront="sekar"))["checkoutComplete"]
    assert done["order"]["total"]["amount"] == "290000.00"
    assert (await Voucher.get(id=voucher.id)).used_count == 1
    # Used up: the next shopper is told so.
    other = await ready_checkout(gql, variant, 1, storefront="sekar")
    refused = (await gql(VOUCHER, {"t": other, "c": "LEBARAN"}, storefront="sekar"))["checkoutVoucherApply"]
    assert refused["errors"][0]["code"] == "VOUCHER_USED_UP"
    order = await Order.get(number=1)
    await cancel(SYSTEM, order.id, host=None, reason="customer changed their mind")
    assert (await Voucher.get(id=voucher.id)).used_count == 0
    assert (await Stock.get(variant_id=variant.id)).quantity == 10


async def test_long_expired_checkouts_are_cleared(gql, shop):
    _, variant = shop
    old, recent = [await ready_checkout(gql, variant, storefront="sekar") for _ in range(2)]
    now = datetime.now(UTC)
    await Checkout.filter(token=old).update(expires_at=now - timedelta(days=2))
    await Checkout.filter(token=recent).update(expires_at=now - timedelta(hours=1))
    assert await delete_expired() == 1
    assert await Checkout.filter(token=recent).exists() and not await Checkout.filter(token=old).exists()


@pytest.mark.engine_independent
def test_an_orders_placeholder_number_is_a_negative_32_bit_integer_distinct_for_neighbouring_checkouts():
    """Completion writes the order row with `_placeholder(checkout.id)` until the counter gives the real number:
    it must fit `Order.number` (32 bits) and never be a real (positive) number, however large checkout ids get."""
    ids = [1, 2, 3, 2**31 - 2, 2**31 - 1, 2**31, 2**40 + 5, 2**63 - 1]
    placeholders = [_placeholder(i) for i in ids]
    assert all(-(2**31) <= p < 0 for p in placeholders)
    assert len(set(placeholders[:3])) == 3 and placeholders[0] == -2
