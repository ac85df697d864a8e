"""Landed cost (issue 19 item 2, first part): platform tables of duties and import taxes, and what a checkout
to Kuala Lumpur will owe on arrival — duty per HS code on the CIF value, SST on value plus duty, de minimis."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from core.customs.landed import DutiableLine, landed_cost
from core.customs.models import CustomsDuty, ImportTax
from core.money import Money
from tests.api.test_checkout import CREATE, DELIVERY, JAKARTA, KUALA_LUMPUR, SHIP_TO, gid, plugins, stocked  # noqa: F401
from tests.factories import make_admin, make_brand, make_staff

RATE_SET = """mutation($input: CustomsRateSetInput!) { customsRateSet(input: $input) {
  customsRate { country hsPrefix dutyRate } errors { field code } } }"""
RATE_DELETE = """mutation($input: CustomsRateDeleteInput!) { customsRateDelete(input: $input) {
  customsRate { hsPrefix } errors { field code } } }"""
TAX_SET = """mutation($input: ImportTaxSetInput!) { importTaxSet(input: $input) {
  importTax { country name rate currency dutyFreeUpTo taxFreeUpTo taxIncludesDuty } errors { field code } } }"""
LANDED = """query($t: String) { checkout(token: $t) { total { amount } landedCost { country customsValue { amount }
  duty { amount currency } tax { amount } taxName taxRate dutyExempt taxExempt total { amount }
  lines { hsCode customsValue { amount } dutyRate duty { amount } } } } }"""
SST = {"country": "my", "name": "SST", "rate": "10", "currency": "MYR", "dutyFreeUpTo": "500"}


async def to_kuala_lumpur(gql: Any, brand: Any, email: str = "") -> str:
    """A MYR checkout of two Gamis Aisyah (MYR 45 each, HS 620443) shipped to Kuala Lumpur by the flat MYR 15
    method: its token."""
    variant = await stocked(brand, "Gamis Aisyah")
    line = {"variantId": gid("ProductVariant", variant.id), "quantity": 2}
    given = {"lines": [line], "currency": "MYR", **({"email": email} if email else {})}
    token = (await gql(CREATE, {"input": given}, storefront="sekar"))["checkoutCreate"]["checkout"]["token"]
    assert (await gql(SHIP_TO, {"t": token, "a": KUALA_LUMPUR}, storefront="sekar"))["checkoutShippingAddressUpdate"][
        "errors"
    ] == []
    assert (await gql(DELIVERY, {"t": token, "m": "flat:std"}, storefront="sekar"))["checkoutDeliveryMethodUpdate"][
        "errors"
    ] == []
    return token


async def test_admins_keep_the_tables_and_bad_input_changes_nothing(gql):
    _, admin = await make_admin()
    gql.token = admin
    set_ = await gql(RATE_SET, {"input": {"country": "my", "hsPrefix": "6204.43", "dutyRate": "10"}})
    assert set_["customsRateSet"] == {
        "customsRate": {"country": "MY", "hsPrefix": "620443", "dutyRate": "10.000"},
        "errors": [],
    }
    again = await gql(RATE_SET, {"input": {"country": "MY", "hsPrefix": "620443", "dutyRate": "12.5"}})
    assert again["customsRateSet"]["customsRate"]["dutyRate"] == "12.500" and await CustomsDuty.all().count() == 1
    tax = (await gql(TAX_SET, {"input": SST}))["importTaxSet"]
    assert tax == {
        "importTax": {
            "country": "MY",
            "name": "SST",
            "rate": "10.000",
            "currency": "MYR",
            "dutyFreeUpTo": "500.000",
            "taxFreeUpTo": "0.000",
            "taxIncludesDuty": True,
        },
        "errors": [],
    }
    for bad, field, code in (
        ({"country": "XX", "hsPrefix": "6204", "dutyRate": "5"}, "country", "INVALID_COUNTRY"),
        ({"country": "MY", "hsPrefix": "62044", "dutyRate": "5"}, "hsPrefix", "INVALID_HS_CODE"),
        ({"country": "MY", "hsPrefix": "7701", "dutyRate": "5"}, "hsPrefix", "INVALID_HS_CODE"),
        ({"country": "MY", "hsPrefix": "6204", "dutyRate": "-1"}, "rate", "INVALID_RATE"),
        ({"country": "MY", "hsPrefix": "6204", "dutyRate": "0.0001"}, "rate", "INVALID_RATE"),
    ):
        refused = (await gql(RATE_SET, {"input": bad}))["customsRateSet"]
        assert refused["customsRate"] is None and [(e["field"], e["code"]) for e in refused["errors"]] == [
            (field, code)
        ], bad
    bad_tax = (await gql(TAX_SET, {"input": {**SST, "currency": "XYZ", "taxFreeUpTo": "-5"}}))["importTaxSet"]
    assert {e["code"] for e in bad_tax["errors"]} == {"INVALID_CURRENCY", "INVALID_AMOUNT"}
    assert (await ImportTax.get(country="MY")).currency == "MYR"
    missing = (await gql(RATE_DELETE, {"input": {"country": "MY", "hsPrefix": "6211"}}))["customsRateDelete"]
    assert missing["errors"][0]["code"] == "NOT_FOUND"
    gone = (await gql(RATE_DELETE, {"input": {"country": "MY", "hsPrefix": "6204.43"}}))["customsRateDelete"]
    assert gone["customsRate"]["hsPrefix"] == "620443" and await CustomsDuty.all().count() == 0


async def test_brand_staff_may_not_change_the_tables(gql):
    brand = await make_brand("sekar")
    _, staff = await make_staff(brand)
    error = await gql.error(RATE_SET, {"input": {"country": "MY", "hsPrefix": "6204", "dutyRate": "5"}}, token=staff)
    assert error["extensions"]["code"] == "FORBIDDEN" and await CustomsDuty.all().count() == 0


@pytest.fixture
async def tables(app):
    await ImportTax.create(country="MY", name="SST", rate=Decimal(10), currency="MYR", duty_free_up_to=Decimal(50))
    await CustomsDuty.create(country="MY", hs_prefix="6204", rate=Decimal(20))
    await CustomsDuty.create(country="MY", hs_prefix="620443", rate=Decimal(10))  # the longer prefix wins


async def test_a_checkout_to_kuala_lumpur_shows_duty_and_sst_to_the_sen(gql, tables):
    await make_brand("sekar")
    from core.actors.models import Brand

    brand = await Brand.get(slug="sekar")
    variant = await stocked(brand, "Gamis Aisyah")  # MYR 45, HS 620443 from the factory
    line = {"variantId": gid("ProductVariant", variant.id), "quantity": 2}
    created = await gql(CREATE, {"input": {"lines": [line], "currency": "MYR"}}, storefront="sekar")
    token = created["checkoutCreate"]["checkout"]["token"]
    assert (await gql(LANDED, {"t": token}, storefront="sekar"))["checkout"]["landedCost"] is None  # no address
    await gql(SHIP_TO, {"t": token, "a": JAKARTA}, storefront="sekar")
    assert (await gql(LANDED, {"t": token}, storefront="sekar"))["checkout"]["landedCost"] is None  # at home
    assert (await gql(SHIP_TO, {"t": token, "a": KUALA_LUMPUR}, storefront="sekar"))["checkoutShippingAddressUpdate"][
        "errors"
    ] == []
    await gql(DELIVERY, {"t": token, "m": "flat:std"}, storefront="sekar")  # MYR 15
    cost = (await gql(LANDED, {"t": token}, storefront="sekar"))["checkout"]["landedCost"]
    # goods 90 > de minimis 50: duty 10% of CIF 105 = 10.50; SST 10% of 105 + 10.50 = 11.55
    assert cost == {
        "country": "MY",
        "customsValue": {"amount": "105.00"},
        "duty": {"amount": "10.50", "currency": "MYR"},
        "tax": {"amount": "11.55"},
        "taxName": "SST",
        "taxRate": "10.000",
        "dutyExempt": False,
        "taxExempt": False,
        "total": {"amount": "22.05"},
        "lines": [
            {
                "hsCode": "620443",
                "customsValue": {"amount": "105.00"},
                "dutyRate": "10.000",
                "duty": {"amount": "10.50"},
            }
        ],
    }


async def test_shipping_is_shared_by_value_and_de_minimis_waives_duty(tables):
    lines = [
        DutiableLine("a", "620443", Money.of("10.00", "MYR")),
        DutiableLine("b", "621143", Money.of("20.00", "MYR")),
    ]
    cost = await landed_cost("MY", lines, Money.of("10.00", "MYR"))
    assert cost is not None and cost.duty_exempt  # 30 ≤ 50
    assert [line.customs_value.amount for line in cost.lines] == [Decimal("13.33"), Decimal("26.67")]
    assert cost.duty.is_zero and cost.tax.amount == Decimal("4.00")
    assert await landed_cost("SA", lines, Money.of("10.00", "MYR")) is None  # no rules known for SA


STOREFRONT_UPDATE = """mutation($input: StorefrontUpdateInput!) { storefrontUpdate(input: $input) {
  brand { incoterm shipsFrom } errors { field code } } }"""
DDP_TOTALS = """query($t: String) { checkout(token: $t) { subtotal { amount } shippingTotal { amount }
  dutiesTotal { amount } total { amount } landedCost { total { amount } } } }"""
ORDER = """query($t: String!) { orderByToken(token: $t) { total { amount } dutiesTotal { amount }
  landedCost { country duty { amount } tax { amount } taxName lines { hsCode dutyRate } } } }"""


async def test_ddp_collects_duty_and_tax_at_checkout_and_the_order_keeps_them(gql, tables):
    from core.actors.models import Brand, StaffRole
    from core.orders.models import Order
    from tests.api.test_checkout import COMPLETE, PAY

    brand = await make_brand("sekar")
    _, owner = await make_staff(brand, StaffRole.OWNER)
    set_ddp = await gql(STOREFRONT_UPDATE, {"input": {"incoterm": "DDP"}}, token=owner, storefront="sekar")
    assert set_ddp["storefrontUpdate"] == {"brand": {"incoterm": "DDP", "shipsFrom": "ID"}, "errors": []}
    token = await to_kuala_lumpur(gql, await Brand.get(slug="sekar"), email="a@example.my")
    totals = (await gql(DDP_TOTALS, {"t": token}, storefront="sekar"))["checkout"]
    assert totals == {
        "subtotal": {"amount": "90.00"},
        "shippingTotal": {"amount": "15.00"},
        "dutiesTotal": {"amount": "22.05"},
        "total": {"amount": "127.05"},
        "landedCost": {"total": {"amount": "22.05"}},
    }
    paid = (await gql(PAY, {"t": token, "g": "instant"}, storefront="sekar"))["checkoutPaymentCreate"]
    assert paid["payment"]["amount"] == {"amount": "127.05", "currency": "MYR"}
    assert (await gql(COMPLETE, {"t": token, "k": "k"}, storefront="sekar"))["checkoutComplete"]["errors"] == []
    order = (await gql(ORDER, {"t": token}, storefront="sekar"))["orderByToken"]
    assert order == {
        "total": {"amount": "127.05"},
        "dutiesTotal": {"amount": "22.05"},
        "landedCost": {
            "country": "MY",
            "duty": {"amount": "10.50"},
            "tax": {"amount": "11.55"},
            "taxName": "SST",
            "lines": [{"hsCode": "620443", "dutyRate": "10.000"}],
        },
    }
    assert (await Order.get(checkout_token=token)).duties_amount == Decimal("22.05")


async def test_dap_shows_the_estimate_but_charges_nothing_and_home_orders_have_no_landed_cost(gql, tables):

    token = await to_kuala_lumpur(gql, await make_brand("sekar"))
    totals = (await gql(DDP_TOTALS, {"t": token}, storefront="sekar"))["checkout"]
    assert totals["dutiesTotal"] == {"amount": "0.00"} and totals["total"] == {"amount": "105.00"}
    assert totals["landedCost"] == {"total": {"amount": "22.05"}}  # the buyer's estimate, paid on arrival
