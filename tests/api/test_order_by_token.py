"""`orderByToken`: a guest's confirmation page reads the order its checkout became, and nobody else does."""

from __future__ import annotations

from tests.api import test_checkout
from tests.api.test_checkout import COMPLETE, PAY, plugins, ready_checkout  # noqa: F401
from tests.factories import access_token, make_brand, make_user

shop = test_checkout.shop  # the checkout tests' brand with a stocked variant

BY_TOKEN = """query($t: String!) { orderByToken(token: $t) { number status total { amount currency }
  lines { productName quantity } } }"""


async def test_the_checkout_token_finds_its_order_for_a_guest_and_nothing_else_does(gql, shop):
    _, variant = shop
    token = await ready_checkout(gql, variant, 1, storefront="sekar")
    assert (await gql(BY_TOKEN, {"t": token}, storefront="sekar"))["orderByToken"] is None  # not an order yet
    await gql(PAY, {"t": token, "g": "instant"}, storefront="sekar")
    done = (await gql(COMPLETE, {"t": token, "k": "k"}, storefront="sekar"))["checkoutComplete"]
    assert done["errors"] == []
    found = (await gql(BY_TOKEN, {"t": token}, storefront="sekar"))["orderByToken"]
    assert found == {
        "number": done["order"]["number"],
        "status": "PAID",
        "total": done["order"]["total"],
        "lines": [{"productName": "Gamis Aisyah", "quantity": 1}],
    }
    await make_brand("koko")
    for other, args in (
        ("another storefront", {"t": token, "storefront": "koko"}),
        ("another token", {"t": token[:-1] + ("A" if token[-1] != "A" else "B"), "storefront": "sekar"}),
        ("an empty token", {"t": "", "storefront": "sekar"}),
        ("a huge token", {"t": "x" * 10_000, "storefront": "sekar"}),
    ):
        storefront = args.pop("storefront")
        assert (await gql(BY_TOKEN, args, storefront=storefront))["orderByToken"] is None, other


async def test_a_signed_in_customers_order_is_theirs_alone(gql, shop):
    _, variant = shop
    siti = access_token(await make_user("siti@example.id"))
    token = await ready_checkout(gql, variant, 1, storefront="sekar", token=siti)
    await gql(PAY, {"t": token, "g": "instant"}, storefront="sekar", token=siti)
    assert (await gql(COMPLETE, {"t": token, "k": "k"}, storefront="sekar", token=siti))["checkoutComplete"]["order"]
    assert (await gql(BY_TOKEN, {"t": token}, storefront="sekar", token=siti))["orderByToken"]["status"] == "PAID"
    assert (await gql(BY_TOKEN, {"t": token}, storefront="sekar"))["orderByToken"] is None
    ani = access_token(await make_user("ani@example.id"))
    assert (await gql(BY_TOKEN, {"t": token}, storefront="sekar", token=ani))["orderByToken"] is None


async def test_the_token_opens_the_order_only_while_a_confirmation_page_needs_it(gql, shop):
    from datetime import UTC, datetime, timedelta

    from core.orders.models import Order

    _, variant = shop
    token = await ready_checkout(gql, variant, 1, storefront="sekar")
    await gql(PAY, {"t": token, "g": "instant"}, storefront="sekar")
    await gql(COMPLETE, {"t": token, "k": "k"}, storefront="sekar")
    old = datetime.now(UTC) - timedelta(hours=73)
    await Order.filter(checkout_token=token).update(created_at=old, payment_due_at=None)
    assert (await gql(BY_TOKEN, {"t": token}, storefront="sekar"))["orderByToken"] is None
    # a bank transfer still due: the page that shows how to pay keeps working until then
    await Order.filter(checkout_token=token).update(payment_due_at=datetime.now(UTC) + timedelta(hours=5))
    assert (await gql(BY_TOKEN, {"t": token}, storefront="sekar"))["orderByToken"] is not None
