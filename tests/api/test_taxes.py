"""Tax rate management through GraphQL: a rate per destination country, set (upserted), listed and deleted by
brand staff with MANAGE_STOREFRONT; bad input is a typed error that writes nothing; other brands are refused.
The rates are what `core.taxes.calculator.tax_terms` gives the checkout."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from tortoise import Tortoise

from core.actors.models import StaffRole
from core.taxes.calculator import TaxTerms, tax_terms
from core.taxes.models import TaxRate
from tests.factories import access_token, make_brand, make_staff, make_user

FIELDS = "taxRate { country name rate baseNumerator baseDenominator } errors { field code }"
SET = f"mutation($input: TaxRateSetInput!) {{ taxRateSet(input: $input) {{ {FIELDS} }} }}"
DELETE = f"mutation($country: String!) {{ taxRateDelete(country: $country) {{ {FIELDS} }} }}"
LIST = """query($first: Int, $after: String) { taxRates(first: $first, after: $after) {
  edges { node { country name rate } } pageInfo { hasNextPage endCursor } } }"""
PPN = {"country": "ID", "name": "PPN", "rate": "12", "baseNumerator": 11, "baseDenominator": 12}


async def snapshot() -> dict[str, list[dict[str, Any]]]:
    state = {}
    for model in Tortoise.apps["lini"].values():
        if model._meta.db_table not in ("login_throttle", "app_token"):
            state[model._meta.db_table] = await model.all().order_by("id").values()
    return state


@pytest.fixture
async def shop(gql) -> dict[str, Any]:
    brand = await make_brand("sekar")
    _, token = await make_staff(brand, StaffRole.MANAGER)
    gql.storefront, gql.token = "sekar", token
    return {"brand": brand}


async def test_set_is_an_upsert_per_country_and_feeds_the_checkout(gql, shop):
    first = (await gql(SET, {"input": {**PPN, "country": "id"}}))["taxRateSet"]
    assert first == {
        "taxRate": {"country": "ID", "name": "PPN", "rate": "12.000", "baseNumerator": 11, "baseDenominator": 12},
        "errors": [],
    }
    again = (await gql(SET, {"input": {**PPN, "name": "PPN 2025"}}))["taxRateSet"]
    assert again["taxRate"]["name"] == "PPN 2025"
    assert await TaxRate.filter(brand=shop["brand"]).count() == 1
    assert await tax_terms(shop["brand"].id, "id") == TaxTerms("PPN 2025", "ID", Decimal("12.000"), 11, 12)
    assert await tax_terms(shop["brand"].id, "MY") is None
    assert await tax_terms(shop["brand"].id, None) is None


async def test_base_defaults_to_the_whole_price(gql, shop):
    sst = (await gql(SET, {"input": {"country": "MY", "name": "SST", "rate": "10"}}))["taxRateSet"]["taxRate"]
    assert (sst["baseNumerator"], sst["baseDenominator"]) == (1, 1)


async def test_list_by_country_and_delete(gql, shop):
    for country, name, rate in (("TR", "KDV", "20"), ("ID", "PPN", "12"), ("SA", "VAT", "15"), ("MY", "SST", "10")):
        await gql(SET, {"input": {"country": country, "name": name, "rate": rate}})
    page = (await gql(LIST, {"first": 3}))["taxRates"]
    assert [e["node"]["country"] for e in page["edges"]] == ["ID", "MY", "SA"] and page["pageInfo"]["hasNextPage"]
    rest = (await gql(LIST, {"first": 3, "after": page["pageInfo"]["endCursor"]}))["taxRates"]
    assert [e["node"]["country"] for e in rest["edges"]] == ["TR"]
    deleted = (await gql(DELETE, {"country": "sa"}))["taxRateDelete"]
    assert deleted["taxRate"]["name"] == "VAT" and deleted["errors"] == []
    assert await tax_terms(shop["brand"].id, "SA") is None
    before = await snapshot()
    missing = (await gql(DELETE, {"country": "SA"}))["taxRateDelete"]
    assert missing == {"taxRate": None, "errors": [{"field": "country", "code": "NOT_FOUND"}]}
    assert await snapshot() == before


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"country": "XX"}, [("country", "INVALID_COUNTRY")]),
        ({"country": "IDN"}, [("country", "INVALID_COUNTRY")]),
        ({"name": " "}, [("name", "INVALID_NAME")]),
        ({"name": "n" * 101}, [("name", "INVALID_NAME")]),
        ({"rate": "-1"}, [("rate", "INVALID_RATE")]),
        ({"rate": "100.5"}, [("rate", "INVALID_RATE")]),
        ({"rate": "11.0001"}, [("rate", "INVALID_RATE")]),
        ({"rate": "Infinity"}, [("rate", "INVALID_RATE")]),
        ({"baseNumerator": 0}, [("baseNumerator", "INVALID_BASE")]),
        ({"baseNumerator": 12, "baseDenominator": 11}, [("baseNumerator", "INVALID_BASE")]),
        ({"baseDenominator": 0}, [("baseDenominator", "INVALID_BASE")]),
        ({"baseDenominator": -12}, [("baseDenominator", "INVALID_BASE")]),
        ({"country": "", "rate": "101"}, [("country", "INVALID_COUNTRY"), ("rate", "INVALID_RATE")]),
    ],
)
async def test_bad_input_is_a_typed_error_and_writes_nothing(gql, shop, fields, expected):
    before = await snapshot()
    result = (await gql(SET, {"input": {**PPN, **fields}}))["taxRateSet"]
    assert result["taxRate"] is None
    assert [(e["field"], e["code"]) for e in result["errors"]] == expected
    assert await snapshot() == before


OPERATIONS = [("taxRateSet", SET, {"input": PPN}), ("taxRateDelete", DELETE, {"country": "ID"}), ("taxRates", LIST, {})]
OUTSIDERS = ["other_brand_owner", "own_brand_staff", "customer", "anonymous"]


@pytest.mark.engine_independent
@pytest.mark.parametrize("outsider", OUTSIDERS)
@pytest.mark.parametrize(("name", "query", "variables"), OPERATIONS, ids=[op[0] for op in OPERATIONS])
async def test_outsiders_are_refused_and_change_nothing(gql, shop, outsider, name, query, variables):
    await gql(SET, {"input": PPN})
    other = await make_brand("koko")
    tokens = {
        "other_brand_owner": (await make_staff(other, StaffRole.OWNER))[1],
        "own_brand_staff": (await make_staff(shop["brand"], StaffRole.STAFF))[1],
        "customer": access_token(await make_user()),
        "anonymous": None,
    }
    before = await snapshot()
    body = await gql.raw(query, variables, token=tokens[outsider], storefront="sekar")
    expected = "UNAUTHENTICATED" if outsider == "anonymous" else "FORBIDDEN"
    assert [e["extensions"]["code"] for e in body.get("errors") or []] == [expected], (outsider, name, body)
    assert await snapshot() == before


@pytest.mark.engine_independent
async def test_each_brand_sets_its_own_rates(gql, shop):
    await gql(SET, {"input": PPN})
    other = await make_brand("koko")
    _, koko = await make_staff(other, StaffRole.OWNER)
    assert (await gql(LIST, token=koko, storefront="koko"))["taxRates"]["edges"] == []
    await gql(
        SET, {"input": {**PPN, "rate": "11", "baseNumerator": 1, "baseDenominator": 1}}, token=koko, storefront="koko"
    )
    assert (await tax_terms(shop["brand"].id, "ID")).rate == Decimal("12.000")
    assert (await tax_terms(other.id, "ID")).rate == Decimal("11.000")
