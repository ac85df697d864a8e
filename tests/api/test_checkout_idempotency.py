"""The same idempotency key sent to checkoutComplete by ten callers at once: one order, and every caller gets it.

A repeat that arrives while the first completion is still being written finds the checkout gone, its payment
unlinked or its last unit taken; it looks for the order that completion made before reporting any of that. Run
on both engines; on PostgreSQL the ten really overlap (row locks, the unique checkout token).
"""

from __future__ import annotations

import asyncio

import pytest

from core.catalog.models import Stock
from core.orders.models import Order, OrderHistory
from tests.api.test_checkout import COMPLETE, PAY, plugins, ready_checkout, stocked
from tests.factories import make_brand, make_staff

__all__ = ["plugins"]  # the flat-rate shipping and instant gateway of the checkout tests

CALLERS = 10


@pytest.mark.parametrize("gateway", ["instant", "bank_transfer"])
async def test_ten_callers_with_one_key_all_get_the_one_order(gql, gateway):
    brand = await make_brand("sekar")
    if gateway == "bank_transfer":
        await _configure_bank_transfer(gql, brand)
    variant = await stocked(brand, "Gamis Aisyah", quantity=1)  # the last unit: late callers find it taken
    gql.storefront = "sekar"
    token = await ready_checkout(gql, variant)
    paid = (await gql(PAY, {"t": token, "g": gateway}))["checkoutPaymentCreate"]
    assert paid["errors"] == []

    answers = await asyncio.gather(*(gql(COMPLETE, {"t": token, "k": "k-1"}) for _ in range(CALLERS)))

    results = [a["checkoutComplete"] for a in answers]
    assert [r["errors"] for r in results] == [[]] * CALLERS
    numbers = {r["order"]["number"] for r in results}
    assert numbers == {1}
    [order] = await Order.filter(brand_id=brand.id)
    assert await OrderHistory.filter(order_id=order.id, kind="PLACED").count() == 1
    assert (await Stock.get(variant_id=variant.id)).quantity == 0
    # Another key for the same checkout is still told it is done.
    other = (await gql(COMPLETE, {"t": token, "k": "k-2"}))["checkoutComplete"]
    assert [e["code"] for e in other["errors"]] == ["CHECKOUT_COMPLETED"]


async def _configure_bank_transfer(gql, brand) -> None:
    _, staff = await make_staff(brand)
    configured = await gql(
        """mutation($input: PluginConfigureInput!) { pluginConfigure(plugin: "bank_transfer", input: $input) {
          errors { field code } } }""",
        {
            "input": {
                "active": True,
                "config": {"bank_name": "BSI", "account_number": "7123456789", "account_holder": "PT Sekar"},
            }
        },
        storefront="sekar",
        token=staff,
    )
    assert configured["pluginConfigure"]["errors"] == []
