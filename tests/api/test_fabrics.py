"""Fabrics over GraphQL: approved suppliers manage their own (with price history), brands and storefronts
choose among active fabrics of approved suppliers; exchange rates kept by platform administrators."""

from __future__ import annotations

import base64
from decimal import Decimal
from typing import Any

import pytest

from core.actors.models import ActorStatus, Supplier
from core.events import Event
from core.garments.models import ExchangeRate, Fabric, FabricPrice, FabricStatus, ProductFabric
from tests.factories import access_token, make_admin, make_brand, make_product, make_staff, make_user

CREATE = """mutation($input: FabricCreateInput!) { fabricCreate(input: $input) {
  fabric { id sku name composition weightGsm widthCm colour pattern pricePerMetre { amount currency }
           stockMetres minOrderMetres leadTimeDays images status supplierName
           priceHistory { pricePerMetre { amount currency } } }
  errors { field code } } }"""
UPDATE = """mutation($id: ID!, $input: FabricUpdateInput!) { fabricUpdate(id: $id, input: $input) {
  fabric { name stockMetres pricePerMetre { amount currency } priceHistory { pricePerMetre { amount currency } } }
  errors { field code } } }"""
ARCHIVE = "mutation($id: ID!) { fabricArchive(id: $id) { fabric { status } errors { field code } } }"
LIST = """query($filter: FabricFilter, $productId: ID, $first: Int) {
  fabrics(filter: $filter, productId: $productId, first: $first) {
    totalCount edges { node { sku status supplierName pricePerMetre { amount currency }
                               priceHistory { pricePerMetre { amount } } } } } }"""
SET_RATE = """mutation($input: ExchangeRateSetInput!) { exchangeRateSet(input: $input) {
  exchangeRate { base quote rate updatedBy } errors { field code } } }"""
RATES = "query($currency: String) { exchangeRates(currency: $currency) { edges { node { base quote rate } } } }"

VALID: dict[str, Any] = {
    "sku": "WOLFIS-HTM-01",
    "name": "Wolfis Premium Hitam",
    "composition": "100% polyester (wolfis)",
    "weightGsm": 180,
    "widthCm": 150,
    "colour": "Hitam",
    "pattern": "Polos",
    "pricePerMetre": "38500",
    "currency": "IDR",
    "stockMetres": "420.5",
    "minOrderMetres": "5",
    "leadTimeDays": 7,
    "images": ["https://cdn.example.id/wolfis-hitam.jpg"],
}


def gid(type_name: str, id: int) -> str:
    return base64.b64encode(f"{type_name}:{id}".encode()).decode()


def decoded(global_id: str) -> int:
    return int(base64.b64decode(global_id).decode().split(":")[1])


async def make_supplier(status: ActorStatus = ActorStatus.APPROVED, name: str = "PT Tenun") -> tuple[Supplier, str]:
    user = await make_user()
    supplier = await Supplier.create(
        user=user, legal_name=name, country="ID", city="Pekalongan", status=status, supplies=["FABRIC"]
    )
    return supplier, access_token(user)


async def make_fabric(supplier: Supplier, sku: str, **fields: Any) -> Fabric:
    values: dict[str, Any] = {"name": f"Kain {sku}", "price_per_metre": Decimal("40000"), "currency": "IDR"}
    fabric = await Fabric.create(supplier=supplier, sku=sku, **{**values, **fields})
    await FabricPrice.create(fabric=fabric, price_per_metre=fabric.price_per_metre, currency=fabric.currency)
    return fabric


async def state() -> list[Any]:
    """What a refused operation must leave alone."""
    fabrics = (
        await Fabric.all()
        .order_by("id")
        .values_list("id", "sku", "name", "price_per_metre", "currency", "stock_metres", "status", "images")
    )
    return [*fabrics, await FabricPrice.all().count(), await Event.all().count(), await ExchangeRate.all().count()]


async def test_a_supplier_offers_a_fabric_and_price_changes_are_kept(gql):
    _, token = await make_supplier(name="PT Tenun Pekalongan")
    created = (await gql(CREATE, {"input": VALID}, token=token))["fabricCreate"]
    assert created["errors"] == []
    fabric = created["fabric"]
    assert fabric["pricePerMetre"] == {"amount": "38500.00", "currency": "IDR"}
    assert Decimal(fabric["stockMetres"]) == Decimal("420.5") and fabric["leadTimeDays"] == 7
    assert (fabric["status"], fabric["supplierName"], fabric["weightGsm"]) == ("ACTIVE", "PT Tenun Pekalongan", 180)
    assert [p["pricePerMetre"]["amount"] for p in fabric["priceHistory"]] == ["38500.00"]

    renamed = await gql(UPDATE, {"id": fabric["id"], "input": {"name": "Wolfis Hitam Pekat"}}, token=token)
    assert len(renamed["fabricUpdate"]["fabric"]["priceHistory"]) == 1  # no price change, no new entry
    repriced = await gql(UPDATE, {"id": fabric["id"], "input": {"pricePerMetre": "41000"}}, token=token)
    history = repriced["fabricUpdate"]["fabric"]["priceHistory"]
    assert [p["pricePerMetre"]["amount"] for p in history] == ["38500.00", "41000.00"]
    moved = await gql(UPDATE, {"id": fabric["id"], "input": {"currency": "MYR", "pricePerMetre": "11.5"}}, token=token)
    assert moved["fabricUpdate"]["fabric"]["pricePerMetre"] == {"amount": "11.50", "currency": "MYR"}
    assert await FabricPrice.filter(fabric_id=decoded(fabric["id"])).count() == 3


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"sku": "with space"}, "sku", "INVALID_SKU"),
        ({"sku": ""}, "sku", "INVALID_SKU"),
        ({"name": "  "}, "name", "INVALID_NAME"),
        ({"composition": "x" * 201}, "composition", "TOO_LONG"),
        ({"weightGsm": 0}, "weightGsm", "INVALID_WEIGHT"),
        ({"widthCm": -150}, "widthCm", "INVALID_WIDTH"),
        ({"pricePerMetre": "0"}, "pricePerMetre", "INVALID_PRICE"),
        ({"pricePerMetre": "-5"}, "pricePerMetre", "INVALID_PRICE"),
        ({"pricePerMetre": "38500.005"}, "pricePerMetre", "INVALID_PRICE"),
        ({"currency": "RPH"}, "currency", "INVALID_CURRENCY"),
        ({"currency": "idr "}, None, None),  # normalised, accepted
        ({"stockMetres": "-1"}, "stockMetres", "INVALID_STOCK"),
        ({"stockMetres": "1.234"}, "stockMetres", "INVALID_STOCK"),
        ({"minOrderMetres": "-0.5"}, "minOrderMetres", "INVALID_MIN_ORDER"),
        ({"leadTimeDays": -1}, "leadTimeDays", "INVALID_LEAD_TIME"),
        ({"leadTimeDays": 400}, "leadTimeDays", "INVALID_LEAD_TIME"),
        ({"images": ["javascript:alert(1)"]}, "images.0", "INVALID_URL"),
        ({"images": ["https://a.id/1.jpg", ""]}, "images.1", "INVALID_URL"),
        ({"images": [f"https://a.id/{i}.jpg" for i in range(21)]}, "images", "TOO_MANY"),
    ],
)
async def test_bad_fabric_input_is_a_typed_error_and_nothing_is_written(gql, changes, field, code):
    _, token = await make_supplier()
    before = await state()
    result = (await gql(CREATE, {"input": {**VALID, **changes}}, token=token))["fabricCreate"]
    if code is None:
        assert result["errors"] == [] and result["fabric"]["pricePerMetre"]["currency"] == "IDR"
        return
    assert result == {"fabric": None, "errors": [{"field": field, "code": code}]}
    assert await state() == before


async def test_every_bad_field_is_reported_at_once(gql):
    _, token = await make_supplier()
    bad = {**VALID, "name": "", "pricePerMetre": "-1", "currency": "XXZ", "widthCm": 0}
    result = (await gql(CREATE, {"input": bad}, token=token))["fabricCreate"]
    assert {(e["field"], e["code"]) for e in result["errors"]} == {
        ("name", "INVALID_NAME"),
        ("pricePerMetre", "INVALID_PRICE"),
        ("currency", "INVALID_CURRENCY"),
        ("widthCm", "INVALID_WIDTH"),
    }
    assert await Fabric.all().count() == 0


async def test_bad_updates_change_nothing(gql):
    supplier, token = await make_supplier()
    fabric = await make_fabric(supplier, "SIFON-01", stock_metres=Decimal("10"))
    await make_fabric(supplier, "SIFON-02")
    fid = gid("Fabric", fabric.id)
    before = await state()
    cases = [
        ({"stockAdjustment": "-10.5"}, "stockAdjustment", "INSUFFICIENT_STOCK"),
        ({"stockAdjustment": "1", "stockMetres": "5"}, "stockAdjustment", "INVALID_STOCK"),
        ({"currency": "MYR"}, "pricePerMetre", "PRICE_REQUIRED"),
        ({"sku": "SIFON-02"}, "sku", "SKU_TAKEN"),
        ({"pricePerMetre": "0", "name": "Sifon baru"}, "pricePerMetre", "INVALID_PRICE"),
    ]
    for changes, field, code in cases:
        result = (await gql(UPDATE, {"id": fid, "input": changes}, token=token))["fabricUpdate"]
        assert result == {"fabric": None, "errors": [{"field": field, "code": code}]}, changes
        assert await state() == before, changes
    adjusted = await gql(UPDATE, {"id": fid, "input": {"stockAdjustment": "-10"}}, token=token)
    assert Decimal(adjusted["fabricUpdate"]["fabric"]["stockMetres"]) == 0


async def test_the_same_sku_is_fine_for_another_supplier_but_not_twice_for_one(gql):
    _, token = await make_supplier()
    _, other = await make_supplier(name="CV Lain")
    assert (await gql(CREATE, {"input": VALID}, token=token))["fabricCreate"]["errors"] == []
    assert (await gql(CREATE, {"input": VALID}, token=other))["fabricCreate"]["errors"] == []
    again = (await gql(CREATE, {"input": VALID}, token=token))["fabricCreate"]
    assert again["errors"] == [{"field": "sku", "code": "SKU_TAKEN"}]
    assert await Fabric.all().count() == 2


async def test_only_approved_suppliers_manage_fabric(gql):
    _, applied = await make_supplier(ActorStatus.APPLIED)
    _, suspended = await make_supplier(ActorStatus.SUSPENDED)
    _, staff = await make_staff(await make_brand())
    for token, code in (
        (applied, "FORBIDDEN"),
        (suspended, "FORBIDDEN"),
        (staff, "FORBIDDEN"),
        (None, "UNAUTHENTICATED"),
    ):
        error = await gql.error(CREATE, {"input": VALID}, token=token)
        assert error["extensions"]["code"] == code
    assert await Fabric.all().count() == 0


async def test_a_supplier_cannot_touch_another_suppliers_fabric(gql):
    owner, _ = await make_supplier()
    _, intruder = await make_supplier(name="CV Pesaing")
    fabric = await make_fabric(owner, "KATUN-01")
    before = await state()
    for query, variables in (
        (UPDATE, {"id": gid("Fabric", fabric.id), "input": {"pricePerMetre": "1"}}),
        (ARCHIVE, {"id": gid("Fabric", fabric.id)}),
        (UPDATE, {"id": gid("Fabric", fabric.id + 999), "input": {"name": "x"}}),
        (ARCHIVE, {"id": gid("Fabric", fabric.id + 999)}),
    ):
        body = await gql(query, variables, token=intruder)
        payload = next(iter(body.values()))
        assert payload == {"fabric": None, "errors": [{"field": "id", "code": "NOT_FOUND"}]}
    assert await state() == before


async def test_who_sees_which_fabric(gql):
    approved, token = await make_supplier(name="PT Approved")
    suspended, _ = await make_supplier(ActorStatus.SUSPENDED, name="PT Suspended")
    await make_fabric(approved, "A-ACTIVE")
    await make_fabric(approved, "A-ARCHIVED", status=FabricStatus.ARCHIVED)
    await make_fabric(suspended, "S-ACTIVE")
    brand = await make_brand()
    _, staff = await make_staff(brand)

    def skus(body: dict) -> list[str]:
        return sorted(edge["node"]["sku"] for edge in body["fabrics"]["edges"])

    assert skus(await gql(LIST)) == ["A-ACTIVE"]  # anyone browsing
    assert skus(await gql(LIST, storefront=brand.slug, token=staff)) == ["A-ACTIVE"]
    assert skus(await gql(LIST, {"filter": {"mine": True}}, token=token)) == ["A-ACTIVE", "A-ARCHIVED"]
    mine_archived = await gql(LIST, {"filter": {"mine": True, "status": "ARCHIVED"}}, token=token)
    assert skus(mine_archived) == ["A-ARCHIVED"]
    assert (await gql.error(LIST, {"filter": {"mine": True}}, token=staff))["extensions"]["code"] == "FORBIDDEN"
    refused = await gql.error(LIST, {"filter": {"status": "ARCHIVED"}}, token=staff)
    assert refused["extensions"]["code"] == "INVALID_FILTER"

    archived = await Fabric.get(sku="A-ARCHIVED")
    node = "query($id: ID!) { node(id: $id) { ... on Fabric { sku } } }"
    assert (await gql(node, {"id": gid("Fabric", archived.id)}, token=staff))["node"] is None
    assert (await gql(node, {"id": gid("Fabric", archived.id)}, token=token))["node"] == {"sku": "A-ARCHIVED"}


async def test_archiving_takes_a_fabric_out_of_the_choice(gql):
    supplier, token = await make_supplier()
    fabric = await make_fabric(supplier, "LINEN-01")
    result = (await gql(ARCHIVE, {"id": gid("Fabric", fabric.id)}, token=token))["fabricArchive"]
    assert result == {"fabric": {"status": "ARCHIVED"}, "errors": []}
    again = (await gql(ARCHIVE, {"id": gid("Fabric", fabric.id)}, token=token))["fabricArchive"]
    assert again["errors"] == [{"field": "id", "code": "ALREADY_ARCHIVED"}]
    assert (await gql(LIST))["fabrics"]["edges"] == []


async def test_filters_and_the_fabrics_a_product_allows(gql):
    supplier, _ = await make_supplier()
    black = await make_fabric(supplier, "CREPE-HTM", colour="Hitam", stock_metres=Decimal("12"))
    await make_fabric(supplier, "CREPE-NAVY", colour="Navy", name="Crepe Navy")
    brand, other_brand = await make_brand(), await make_brand()
    product = await make_product(brand, "Gamis Custom")
    await ProductFabric.create(product=product, fabric=black, consumption=[{"band": "M", "metres": "2.75"}])

    async def skus(variables: dict, **kwargs: Any) -> list[str]:
        return sorted(e["node"]["sku"] for e in (await gql(LIST, variables, **kwargs))["fabrics"]["edges"])

    assert await skus({"filter": {"colour": "hitam"}}) == ["CREPE-HTM"]
    assert await skus({"filter": {"inStock": True}}) == ["CREPE-HTM"]
    assert await skus({"filter": {"search": "navy"}}) == ["CREPE-NAVY"]
    assert await skus({"filter": {"supplierId": gid("Supplier", supplier.id)}}) == ["CREPE-HTM", "CREPE-NAVY"]
    assert await skus({"productId": gid("Product", product.id)}, storefront=brand.slug) == ["CREPE-HTM"]
    error = await gql.error(LIST, {"productId": gid("Product", product.id)}, storefront=other_brand.slug)
    assert error["extensions"]["code"] == "NOT_FOUND"


async def test_the_fabric_list_costs_the_same_queries_for_3_or_30(gql, sql_counter):
    supplier, _ = await make_supplier()
    other, _ = await make_supplier(name="CV Dua")
    for i in range(3):
        await make_fabric(supplier if i % 2 else other, f"F-{i:02d}")

    async def count() -> int:
        with sql_counter.counting() as statements:
            body = await gql(LIST, {"first": 50})
        assert all(e["node"]["priceHistory"] for e in body["fabrics"]["edges"])
        return len(statements)

    few = await count()
    for i in range(3, 30):
        await make_fabric(supplier if i % 2 else other, f"F-{i:02d}")
    assert await count() == few


# --- exchange rates ---------------------------------------------------------------------------------------


async def test_platform_admins_set_exchange_rates(gql):
    _, admin = await make_admin()
    made = await gql(SET_RATE, {"input": {"base": "myr", "quote": "IDR", "rate": "3550.5"}}, token=admin)
    assert made["exchangeRateSet"]["errors"] == []
    assert made["exchangeRateSet"]["exchangeRate"]["base"] == "MYR"
    assert made["exchangeRateSet"]["exchangeRate"]["rate"] == "3550.5"
    await gql(SET_RATE, {"input": {"base": "MYR", "quote": "IDR", "rate": "3561"}}, token=admin)
    await gql(SET_RATE, {"input": {"base": "TRY", "quote": "IDR", "rate": "412.25"}}, token=admin)
    listed = await gql(RATES, {"currency": "MYR"})
    assert [e["node"] for e in listed["exchangeRates"]["edges"]] == [{"base": "MYR", "quote": "IDR", "rate": "3561"}]
    assert len((await gql(RATES))["exchangeRates"]["edges"]) == 2


@pytest.mark.parametrize(
    ("input", "errors"),
    [
        ({"base": "MYR", "quote": "MYR", "rate": "1"}, [("quote", "SAME_CURRENCY")]),
        ({"base": "XYZ", "quote": "IDR", "rate": "1"}, [("base", "INVALID_CURRENCY")]),
        ({"base": "MYR", "quote": "IDR", "rate": "0"}, [("rate", "INVALID_RATE")]),
        ({"base": "MYR", "quote": "IDR", "rate": "-3550"}, [("rate", "INVALID_RATE")]),
        ({"base": "MYR", "quote": "IDR", "rate": "1.123456789"}, [("rate", "INVALID_RATE")]),
        (
            {"base": "", "quote": "ABC", "rate": "0"},
            [("base", "INVALID_CURRENCY"), ("quote", "INVALID_CURRENCY"), ("rate", "INVALID_RATE")],
        ),
    ],
)
async def test_bad_rates_are_typed_errors_and_nothing_is_written(gql, input, errors):
    _, admin = await make_admin()
    before = await state()
    result = (await gql(SET_RATE, {"input": input}, token=admin))["exchangeRateSet"]
    assert result["exchangeRate"] is None
    assert [(e["field"], e["code"]) for e in result["errors"]] == errors
    assert await state() == before


async def test_only_platform_admins_set_rates(gql):
    _, staff = await make_staff(await make_brand())
    _, supplier = await make_supplier()
    for token, code in ((staff, "FORBIDDEN"), (supplier, "FORBIDDEN"), (None, "UNAUTHENTICATED")):
        error = await gql.error(SET_RATE, {"input": {"base": "MYR", "quote": "IDR", "rate": "3500"}}, token=token)
        assert error["extensions"]["code"] == code
    assert await ExchangeRate.all().count() == 0
