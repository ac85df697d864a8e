"""Made-to-measure garments in the checkout: added as configured lines priced exactly as quoted, updated and
removed by line id, kept apart from ready-made lines, and completed into orders that reserve fabric (never
below zero, even with 20 shoppers racing for fabric enough for 5) and start one production job per garment."""

from __future__ import annotations

import asyncio
from decimal import Decimal
from typing import Any

import pytest

from core.catalog.models import Stock, Variant
from core.checkout.models import CheckoutLine
from core.context import SYSTEM
from core.garments.models import (
    Fabric,
    MeasuredBy,
    MeasurementProfile,
    MeasurementProfileVersion,
    ProductionJob,
    ProductionStageChange,
)
from core.garments.quote import Adjustment
from core.money import Money
from core.orders.models import Order, OrderLine
from core.plugins import hookimpl
from tests.api.custom_garment_setup import ADD, CREATE, ERRORS, QUOTE, garment, gid, make_garment_type, make_shop
from tests.api.test_checkout import COMPLETE, DELIVERY, JAKARTA, LINES_ADD, PAY, SHIP_TO, CheckoutTestPlugin
from tests.factories import access_token, make_product, make_user

UPDATE = f"""mutation($t: String!, $lines: [CheckoutLineInput!]!) {{
  checkoutLinesUpdate(token: $t, lines: $lines) {{ checkout {{ lines {{ id quantity }} }} {ERRORS} }} }}"""
DELETE = f"""mutation($t: String!, $ids: [ID!]!) {{
  checkoutLinesDelete(token: $t, lineIds: $ids) {{ checkout {{ lines {{ id }} }} {ERRORS} }} }}"""


@pytest.fixture
def plugins() -> dict[str, object]:
    return {"instant": CheckoutTestPlugin()}


async def new_checkout(gql, currency: str = "IDR", **kwargs: Any) -> str:
    created = await gql(CREATE, {"input": {"currency": currency, "email": "siti@example.id"}}, **kwargs)
    assert created["checkoutCreate"]["errors"] == []
    return created["checkoutCreate"]["checkout"]["token"]


async def add(gql, checkout: str, request: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    return (await gql(ADD, {"t": checkout, "input": request}, storefront="sekar", **kwargs))["checkoutCustomGarmentAdd"]


async def ready_to_complete(gql, token: str) -> None:
    assert (await gql(SHIP_TO, {"t": token, "a": JAKARTA}, storefront="sekar"))["checkoutShippingAddressUpdate"][
        "errors"
    ] == []
    assert (await gql(DELIVERY, {"t": token, "m": "flat:std"}, storefront="sekar"))["checkoutDeliveryMethodUpdate"][
        "errors"
    ] == []
    assert (await gql(PAY, {"t": token, "g": "instant"}, storefront="sekar"))["checkoutPaymentCreate"]["errors"] == []


@pytest.mark.parametrize("currency", ["IDR", "MYR"])
async def test_the_line_costs_exactly_the_quote_to_the_last_sen(gql, currency):
    shop = await make_shop(gql)
    token = await new_checkout(gql, currency, storefront="sekar")
    for fabric in (shop.wolfis, shop.batik):
        request = garment(shop.product_id, fabric.id, quantity=3)
        quoted = (await gql(QUOTE, {"input": request, "currency": currency}, storefront="sekar"))["customGarmentQuote"][
            "quote"
        ]
        added = await add(gql, token, request)
        assert added["errors"] == []
        line = added["checkout"]["lines"][-1]
        assert line["unitPrice"] == quoted["unitPrice"] and line["unitPrice"]["currency"] == currency
        assert line["customGarment"] == quoted
        assert Decimal(line["total"]["amount"]) == Decimal(quoted["total"]["amount"])
    expected = {"IDR": "536250.00", "MYR": "165.36"}[currency]
    assert added["checkout"]["lines"][0]["unitPrice"]["amount"] == expected


async def test_the_same_configuration_again_raises_the_quantity_and_a_different_one_adds_a_line(gql):
    shop = await make_shop(gql)
    token = await new_checkout(gql, storefront="sekar")
    await add(gql, token, garment(shop.product_id, shop.wolfis.id))
    again = await add(gql, token, garment(shop.product_id, shop.wolfis.id, quantity=2))
    assert [line["quantity"] for line in again["checkout"]["lines"]] == [3]
    other = {"LINGKAR_BADAN": "104", "LINGKAR_PINGGANG": "88", "PANJANG_BAJU": "142"}
    more = await add(gql, token, garment(shop.product_id, shop.wolfis.id, body=other))
    lines = more["checkout"]["lines"]
    assert [(line["quantity"], line["customGarment"]["sizeBand"]) for line in lines] == [(3, "M"), (1, "L")]
    rows = await CheckoutLine.all().order_by("id")
    assert rows[0].variant_id == rows[1].variant_id and rows[0].config_key != rows[1].config_key
    assert rows[0].custom_garment["measurements"][0] == {"code": "LINGKAR_BADAN", "cm": "96.00"}
    assert rows[0].custom_garment["profile"] is None and rows[0].custom_garment["fabric_metres"] == "2.75"


async def test_lines_update_and_delete_reach_made_to_measure_lines_by_id(gql):
    shop = await make_shop(gql)
    token = await new_checkout(gql, storefront="sekar")
    added = await add(gql, token, garment(shop.product_id, shop.wolfis.id))
    line_id = added["checkout"]["lines"][0]["id"]
    updated = await gql(UPDATE, {"t": token, "lines": [{"lineId": line_id, "quantity": 4}]}, storefront="sekar")
    assert updated["checkoutLinesUpdate"]["checkout"]["lines"] == [{"id": line_id, "quantity": 4}]
    too_many = await gql(UPDATE, {"t": token, "lines": [{"lineId": line_id, "quantity": 51}]}, storefront="sekar")
    assert [e["code"] for e in too_many["checkoutLinesUpdate"]["errors"]] == ["INVALID_QUANTITY"]
    short = await gql(UPDATE, {"t": token, "lines": [{"lineId": line_id, "quantity": 40}]}, storefront="sekar")
    assert short["checkoutLinesUpdate"]["errors"] == [
        {
            "field": "lines.0.quantity",
            "code": "FABRIC_OUT_OF_STOCK",
            "message": "The supplier does not have enough of this fabric on hand; the quote says when it is restocked.",
        }
    ]  # 40 × 2.75 m = 110 m, 100 on hand
    assert (await CheckoutLine.get(id=int(_node(line_id)))).quantity == 4
    deleted = await gql(DELETE, {"t": token, "ids": [line_id]}, storefront="sekar")
    assert deleted["checkoutLinesDelete"]["checkout"]["lines"] == []


def _node(global_id: str) -> str:
    import base64

    return base64.b64decode(global_id).decode().split(":")[1]


async def test_ready_made_lines_never_touch_made_to_measure_ones_and_refuse_their_variant(gql):
    shop = await make_shop(gql)
    ready = await make_product(shop.brand, "Gamis Siap", sizes=("M",))
    ready_variant = await Variant.get(product_id=ready.id)
    await Stock.create(variant=ready_variant, quantity=10)
    token = await new_checkout(gql, storefront="sekar")
    await add(gql, token, garment(shop.product_id, shop.wolfis.id))
    custom_variant = await Variant.get(product_id=shop.product_id)
    refused = await gql(
        LINES_ADD,
        {"t": token, "lines": [{"variantId": gid("ProductVariant", custom_variant.id), "quantity": 1}]},
        storefront="sekar",
    )
    assert [(e["field"], e["code"]) for e in refused["checkoutLinesAdd"]["errors"]] == [
        ("lines.0.variantId", "MADE_TO_MEASURE_PRODUCT")
    ]
    line = {"variantId": gid("ProductVariant", ready_variant.id), "quantity": 2}
    both = (await gql(LINES_ADD, {"t": token, "lines": [line]}, storefront="sekar"))["checkoutLinesAdd"]
    assert [row["quantity"] for row in both["checkout"]["lines"]] == [1, 2]
    cleared = await gql(UPDATE, {"t": token, "lines": [{**line, "quantity": 0}]}, storefront="sekar")
    assert [row["quantity"] for row in cleared["checkoutLinesUpdate"]["checkout"]["lines"]] == [1]
    assert await CheckoutLine.filter(config_key="").count() == 0 and await CheckoutLine.all().count() == 1


@pytest.mark.parametrize(
    ("change", "code", "field"),
    [
        (
            {"body": {"LINGKAR_BADAN": "20", "LINGKAR_PINGGANG": "80", "PANJANG_BAJU": "140"}},
            "MEASUREMENT_OUT_OF_RANGE",
            "measurements.LINGKAR_BADAN",
        ),
        (
            {
                "options": [
                    {"group": "EMBROIDERY", "text": "Bordir nama panjang sekali"},
                    {"group": "COLLAR", "values": ["BULAT"]},
                ]
            },
            "TEXT_TOO_LONG",
            "options.0.text",
        ),
        ({"options": [{"group": "COLLAR", "values": ["BULAT", "SHANGHAI"]}]}, "TOO_MANY_VALUES", "options.0.values"),
        ({"quantity": 37}, "FABRIC_OUT_OF_STOCK", "fabricId"),  # 37 × 2.75 = 101.75 m
    ],
)
async def test_a_bad_garment_is_refused_and_nothing_is_written(gql, change, code, field):
    shop = await make_shop(gql)
    token = await new_checkout(gql, storefront="sekar")
    change = dict(change)
    request = garment(shop.product_id, shop.wolfis.id, body=change.pop("body", None), **change)
    refused = await add(gql, token, request)
    assert (refused["errors"][0]["code"], refused["errors"][0]["field"]) == (code, field)
    assert refused["checkout"] is None and await CheckoutLine.all().count() == 0


async def test_a_profile_version_is_snapshotted_and_another_customers_profile_is_refused(gql):
    shop = await make_shop(gql)
    siti, budi = await make_user("siti@example.id"), await make_user("budi@example.id")
    profile = await MeasurementProfile.create(
        user=siti, garment_type=shop.garment_type, name="Lebaran", current_version=2
    )
    old = [{"code": "LINGKAR_BADAN", "cm": "90.00"}, {"code": "LINGKAR_PINGGANG", "cm": "75.00"}]
    await MeasurementProfileVersion.create(profile=profile, version=1, values=old, measured_by=MeasuredBy.SELF)
    now = [
        {"code": "LINGKAR_BADAN", "cm": "104.50"},
        {"code": "LINGKAR_PINGGANG", "cm": "86.00"},
        {"code": "PANJANG_BAJU", "cm": "141.00"},
    ]
    await MeasurementProfileVersion.create(profile=profile, version=2, values=now, measured_by=MeasuredBy.TAILOR)
    request = garment(shop.product_id, shop.wolfis.id, measurements=None)
    request["measurementProfileId"] = gid("MeasurementProfile", profile.id)

    token = await new_checkout(gql, storefront="sekar", token=access_token(siti))
    added = await add(gql, token, request, token=access_token(siti))
    assert added["errors"] == []
    snapshot = (await CheckoutLine.get()).custom_garment
    assert snapshot["profile"] == {"id": profile.id, "version": 2} and snapshot["measurements"] == now
    assert snapshot["size_band"] == "L"

    other = await new_checkout(gql, storefront="sekar", token=access_token(budi))
    refused = await add(gql, other, request, token=access_token(budi))
    assert [e["code"] for e in refused["errors"]] == ["PROFILE_NOT_FOUND"]

    shirt = await make_garment_type(shop.brand, "SHIRT")
    other_type = await MeasurementProfile.create(user=siti, garment_type=shirt, name="Kemeja", current_version=1)
    await MeasurementProfileVersion.create(profile=other_type, version=1, values=now)
    request["measurementProfileId"] = gid("MeasurementProfile", other_type.id)
    refused = await add(gql, token, request, token=access_token(siti))
    assert [(e["field"], e["code"]) for e in refused["errors"]] == [
        ("measurementProfileId", "PROFILE_GARMENT_MISMATCH")
    ]
    assert await CheckoutLine.all().count() == 1 and (await CheckoutLine.get()).quantity == 1


class WeddingSeason:
    """A plugin's surcharge and discount: +20000 IDR per garment, 10% off the making for two or more."""

    @hookimpl
    def price_adjustments(self, line: Any, context: Any) -> list[Adjustment]:
        found = [Adjustment("SEASON", "Musim nikah", Money.of("20000", context.currency))]
        if line.quantity >= 2:
            found.append(Adjustment("MULTI", "10% off", (line.base + line.options_total).scaled(-10, 100)))
        return found


@pytest.fixture
def wedding_season(plugins: dict[str, object]) -> None:
    plugins["wedding"] = WeddingSeason()


async def test_hook_price_adjustments(wedding_season, gql):
    shop = await make_shop(gql)
    request = garment(shop.product_id, shop.wolfis.id, quantity=2)
    quote = (await gql(QUOTE, {"input": request}, storefront="sekar"))["customGarmentQuote"]["quote"]
    # 536250 + 20000 − 10% of (350000 + 62500) = 536250 + 20000 − 41250 = 515000
    assert [(a["code"], a["amount"]["amount"]) for a in quote["adjustments"]] == [
        ("SEASON", "20000.00"),
        ("MULTI", "-41250.00"),
    ]
    assert quote["unitPrice"]["amount"] == "515000.00" and quote["total"]["amount"] == "1030000.00"
    token = await new_checkout(gql, storefront="sekar")
    line = (await add(gql, token, request))["checkout"]["lines"][0]
    assert line["unitPrice"]["amount"] == "515000.00" and line["customGarment"]["adjustments"] == quote["adjustments"]


async def test_completion_reserves_fabric_snapshots_the_line_and_queues_a_job_per_garment(gql):
    shop = await make_shop(gql)
    token = await new_checkout(gql, storefront="sekar")
    quoted = await gql(QUOTE, {"input": garment(shop.product_id, shop.wolfis.id, quantity=2)}, storefront="sekar")
    await add(gql, token, garment(shop.product_id, shop.wolfis.id, quantity=2))
    await ready_to_complete(gql, token)
    variant_stock = await Stock.get_or_none(variant__product_id=shop.product_id)
    done = (await gql(COMPLETE, {"t": token, "k": "k1"}, storefront="sekar"))["checkoutComplete"]
    assert done["errors"] == []
    assert done["order"]["status"] == "IN_PRODUCTION"  # paid at once: straight into production
    assert done["order"]["total"]["amount"] == "1092500.00"  # 2 × 536250 + 20000 shipping
    assert (await Fabric.get(id=shop.wolfis.id)).stock_metres == Decimal("94.50")  # 100 − 2 × 2.75
    assert await Stock.get_or_none(variant__product_id=shop.product_id) == variant_stock  # no shelf stock taken
    line = await OrderLine.get()
    assert line.unit_price_gross == Decimal(quoted["customGarmentQuote"]["quote"]["unitPrice"]["amount"])
    assert line.custom_garment["fabric"]["sku"] == "WOLFIS-HTM" and line.custom_garment["size_band"] == "M"
    assert line.custom_garment["ready_by"] == quoted["customGarmentQuote"]["quote"]["readyBy"]
    jobs = await ProductionJob.filter(order_line_id=line.id).order_by("garment_index")
    assert [(j.garment_index, j.stage, j.fabric_id, j.fabric_metres) for j in jobs] == [
        (1, "QUEUED", shop.wolfis.id, Decimal("2.75")),
        (2, "QUEUED", shop.wolfis.id, Decimal("2.75")),
    ]
    assert jobs[0].garment_type_code == "GAMIS" and str(jobs[0].ready_by) == line.custom_garment["ready_by"]
    history = await ProductionStageChange.filter(job_id=jobs[0].id)
    assert [(h.from_stage, h.to_stage, h.actor, h.actor_role) for h in history] == [
        ("", "QUEUED", SYSTEM.label, "SYSTEM")
    ]


async def test_a_fabric_archived_after_adding_stops_completion_and_nothing_is_written(gql):
    shop = await make_shop(gql)
    token = await new_checkout(gql, storefront="sekar")
    await add(gql, token, garment(shop.product_id, shop.wolfis.id))
    await ready_to_complete(gql, token)
    await Fabric.filter(id=shop.wolfis.id).update(status="ARCHIVED")
    done = (await gql(COMPLETE, {"t": token, "k": "k1"}, storefront="sekar"))["checkoutComplete"]
    # The line cannot be priced, so no delivery method is offered for it either.
    assert ("lines.0", "FABRIC_NOT_AVAILABLE") in [(e["field"], e["code"]) for e in done["errors"]]
    assert await Order.all().count() == 0 and await ProductionJob.all().count() == 0
    assert (await Fabric.get(id=shop.wolfis.id)).stock_metres == Decimal("100")


async def test_twenty_shoppers_race_for_fabric_enough_for_five(gql, backend):
    shop = await make_shop(gql, stock="13.75")  # 5 × 2.75 m
    tokens = []
    for _ in range(20):
        token = await new_checkout(gql, storefront="sekar")
        assert (await add(gql, token, garment(shop.product_id, shop.wolfis.id)))["errors"] == []
        await ready_to_complete(gql, token)
        tokens.append(token)
    results = await asyncio.gather(
        *(gql(COMPLETE, {"t": token, "k": token[:20]}, storefront="sekar") for token in tokens)
    )
    placed = [r for r in results if r["checkoutComplete"]["order"]]
    refused = [r["checkoutComplete"]["errors"][0]["code"] for r in results if not r["checkoutComplete"]["order"]]
    assert len(placed) == 5 and refused == ["FABRIC_OUT_OF_STOCK"] * 15
    assert (await Fabric.get(id=shop.wolfis.id)).stock_metres == Decimal("0")
    assert await Order.all().count() == 5 and await ProductionJob.all().count() == 5
