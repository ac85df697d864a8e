"""Voucher management through GraphQL: create, update, delete and list as brand staff would; every bad input
is a typed error that writes nothing; another brand's staff (or anyone without MANAGE_STOREFRONT) is refused
and changes nothing."""

from __future__ import annotations

import asyncio
import base64
from typing import Any

import pytest
from tortoise import Tortoise

from core.actors.models import StaffRole
from core.auth.models import AppToken
from core.auth.tokens import token_hash
from core.vouchers.models import Voucher, VoucherCurrency, VoucherKind
from tests.factories import access_token, make_brand, make_staff, make_user

FIELDS = """voucher { id code name kind percentage usageLimit perCustomerLimit usedCount active startsAt endsAt
  currencies { currency discountAmount { amount currency } minSubtotal { amount } } } errors { field code }"""
CREATE = f"mutation($input: VoucherCreateInput!) {{ voucherCreate(input: $input) {{ {FIELDS} }} }}"
UPDATE = f"mutation($id: ID!, $input: VoucherUpdateInput!) {{ voucherUpdate(id: $id, input: $input) {{ {FIELDS} }} }}"
DELETE = f"mutation($id: ID!) {{ voucherDelete(id: $id) {{ {FIELDS} }} }}"
LIST = """query($first: Int, $after: String) { vouchers(first: $first, after: $after) {
  edges { cursor node { code usedCount currencies { currency } } } pageInfo { hasNextPage endCursor } totalCount } }"""


def gid(type_name: str, id: int) -> str:
    return base64.b64encode(f"{type_name}:{id}".encode()).decode()


async def snapshot() -> dict[str, list[dict[str, Any]]]:
    """Every row of every table, to prove that a refused operation changed nothing."""
    state = {}
    for model in Tortoise.apps["lini"].values():
        if model._meta.db_table not in ("login_throttle", "app_token"):
            state[model._meta.db_table] = await model.all().order_by("id").values()
    return state


@pytest.fixture
async def shop(gql) -> dict[str, Any]:
    brand = await make_brand("sekar", currencies=["IDR", "MYR"])
    _, token = await make_staff(brand, StaffRole.MANAGER)
    gql.storefront, gql.token = "sekar", token
    return {"brand": brand, "token": token}


async def create(gql, **fields: Any) -> dict[str, Any]:
    data = {"code": "hemat10", "kind": "PERCENTAGE", "percentage": "10", "currencies": [{"currency": "IDR"}], **fields}
    result = (await gql(CREATE, {"input": data}))["voucherCreate"]
    assert result["errors"] == [], result
    return result["voucher"]


async def test_create_percentage_voucher_stores_the_code_upper_case(gql, shop):
    voucher = await create(
        gql,
        name="Lebaran",
        currencies=[{"currency": "IDR", "minSubtotal": "200000"}, {"currency": "myr", "minSubtotal": "50.005"}],
        startsAt="2026-03-01T00:00:00Z",
        endsAt="2026-04-01T00:00:00Z",
        usageLimit=100,
        perCustomerLimit=1,
    )
    assert voucher == {
        "id": voucher["id"],
        "code": "HEMAT10",
        "name": "Lebaran",
        "kind": "PERCENTAGE",
        "percentage": "10.00",
        "usageLimit": 100,
        "perCustomerLimit": 1,
        "usedCount": 0,
        "active": True,
        "startsAt": "2026-03-01T00:00:00+00:00",
        "endsAt": "2026-04-01T00:00:00+00:00",
        "currencies": [
            {"currency": "IDR", "discountAmount": None, "minSubtotal": {"amount": "200000.00"}},
            {"currency": "MYR", "discountAmount": None, "minSubtotal": {"amount": "50.01"}},  # half-up to the sen
        ],
    }
    stored = await Voucher.get(brand=shop["brand"])
    assert stored.code == "HEMAT10" and stored.kind == VoucherKind.PERCENTAGE


async def test_create_fixed_and_free_shipping_vouchers(gql, shop):
    fixed = await create(
        gql,
        code="POTONG50",
        kind="FIXED",
        percentage=None,
        currencies=[{"currency": "IDR", "discountAmount": "50000"}, {"currency": "MYR", "discountAmount": "15"}],
    )
    assert [(c["currency"], c["discountAmount"]) for c in fixed["currencies"]] == [
        ("IDR", {"amount": "50000.00", "currency": "IDR"}),
        ("MYR", {"amount": "15.00", "currency": "MYR"}),
    ]
    free = await create(gql, code="ONGKIR", kind="FREE_SHIPPING", percentage=None)
    assert free["kind"] == "FREE_SHIPPING" and free["percentage"] is None


async def test_codes_are_unique_per_brand_whatever_the_case(gql, shop):
    await create(gql)
    clash = await gql(
        CREATE, {"input": {"code": "Hemat10", "kind": "FREE_SHIPPING", "currencies": [{"currency": "IDR"}]}}
    )
    assert clash["voucherCreate"] == {"voucher": None, "errors": [{"field": "code", "code": "CODE_TAKEN"}]}
    other = await make_brand("koko")
    _, koko = await make_staff(other, StaffRole.OWNER)
    elsewhere = await gql(
        CREATE,
        {"input": {"code": "HEMAT10", "kind": "FREE_SHIPPING", "currencies": [{"currency": "IDR"}]}},
        token=koko,
        storefront="koko",
    )
    assert elsewhere["voucherCreate"]["errors"] == []  # another brand may use the same code


async def test_concurrent_creates_of_one_code_make_one_voucher(gql, shop):
    data = {"code": "KILAT", "kind": "FREE_SHIPPING", "currencies": [{"currency": "IDR"}]}
    results = await asyncio.gather(*(gql(CREATE, {"input": data}) for _ in range(3)))
    errors = sorted(str(r["voucherCreate"]["errors"]) for r in results)
    assert errors == ["[]", *["[{'field': 'code', 'code': 'CODE_TAKEN'}]"] * 2]
    assert await Voucher.filter(code="KILAT").count() == 1


BAD_INPUTS = [
    ({"code": "x"}, [("code", "INVALID_CODE")]),
    ({"code": "hemat 10"}, [("code", "INVALID_CODE")]),
    ({"code": "A" * 51}, [("code", "INVALID_CODE")]),
    ({"percentage": "0"}, [("percentage", "INVALID_PERCENTAGE")]),
    ({"percentage": "100.01"}, [("percentage", "INVALID_PERCENTAGE")]),
    ({"percentage": "12.345"}, [("percentage", "INVALID_PERCENTAGE")]),
    ({"percentage": None}, [("percentage", "INVALID_PERCENTAGE")]),
    ({"kind": "FIXED"}, [("percentage", "INVALID_PERCENTAGE"), ("currencies.0.discountAmount", "INVALID_DISCOUNT")]),
    (
        {"kind": "FIXED", "percentage": None, "currencies": [{"currency": "IDR", "discountAmount": "0"}]},
        [("currencies.0.discountAmount", "INVALID_DISCOUNT")],
    ),
    (
        {"kind": "FIXED", "percentage": None, "currencies": [{"currency": "IDR", "discountAmount": "-5"}]},
        [("currencies.0.discountAmount", "INVALID_DISCOUNT")],
    ),
    (
        {"currencies": [{"currency": "IDR", "discountAmount": "5000"}]},
        [("currencies.0.discountAmount", "INVALID_DISCOUNT")],
    ),
    ({"currencies": []}, [("currencies", "CURRENCY_REQUIRED")]),
    ({"currencies": [{"currency": "USD"}]}, [("currencies.0.currency", "CURRENCY_NOT_ENABLED")]),
    (
        {"currencies": [{"currency": "IDR"}, {"currency": "idr"}]},
        [("currencies.1.currency", "DUPLICATE_CURRENCY")],
    ),
    ({"currencies": [{"currency": "IDR", "minSubtotal": "-1"}]}, [("currencies.0.minSubtotal", "INVALID_AMOUNT")]),
    ({"currencies": [{"currency": "IDR", "minSubtotal": "NaN"}]}, [("currencies.0.minSubtotal", "INVALID_AMOUNT")]),
    (
        {"startsAt": "2026-04-01T00:00:00Z", "endsAt": "2026-03-01T00:00:00Z"},
        [("endsAt", "INVALID_DATES")],
    ),
    ({"usageLimit": 0}, [("usageLimit", "INVALID_LIMIT")]),
    ({"perCustomerLimit": -1}, [("perCustomerLimit", "INVALID_LIMIT")]),
    ({"name": "n" * 201}, [("name", "TOO_LONG")]),
]


@pytest.mark.parametrize(("fields", "expected"), BAD_INPUTS)
async def test_bad_input_is_a_typed_error_and_writes_nothing(gql, shop, fields, expected):
    data = {"code": "HEMAT10", "kind": "PERCENTAGE", "percentage": "10", "currencies": [{"currency": "IDR"}], **fields}
    before = await snapshot()
    result = (await gql(CREATE, {"input": data}))["voucherCreate"]
    assert result["voucher"] is None
    assert [(e["field"], e["code"]) for e in result["errors"]] == expected
    assert await snapshot() == before


async def test_update_changes_only_what_is_given_and_keeps_the_count(gql, shop):
    voucher = await create(gql, usageLimit=10, perCustomerLimit=2)
    await Voucher.filter(code="HEMAT10").update(used_count=3)
    renamed = (await gql(UPDATE, {"id": voucher["id"], "input": {"name": "Ramadan", "code": "ramadan"}}))[
        "voucherUpdate"
    ]
    assert renamed["errors"] == []
    assert renamed["voucher"] | {"name": "Ramadan", "code": "RAMADAN"} == renamed["voucher"]
    assert (renamed["voucher"]["usedCount"], renamed["voucher"]["usageLimit"]) == (3, 10)
    cleared = await gql(UPDATE, {"id": voucher["id"], "input": {"usageLimit": None, "perCustomerLimit": None}})
    assert (
        cleared["voucherUpdate"]["voucher"]["usageLimit"],
        cleared["voucherUpdate"]["voucher"]["perCustomerLimit"],
    ) == (
        None,
        None,
    )
    fixed = (
        await gql(
            UPDATE,
            {
                "id": voucher["id"],
                "input": {
                    "kind": "FIXED",
                    "percentage": None,
                    "currencies": [{"currency": "MYR", "discountAmount": "10"}],
                },
            },
        )
    )["voucherUpdate"]
    assert fixed["errors"] == []
    assert fixed["voucher"]["kind"] == "FIXED"
    assert [c["currency"] for c in fixed["voucher"]["currencies"]] == ["MYR"]
    assert await VoucherCurrency.filter(voucher__code="RAMADAN").count() == 1


async def test_update_checks_the_voucher_as_a_whole(gql, shop):
    voucher = await create(gql, code="PERSEN")
    other = await create(gql, code="LAIN")
    before = await snapshot()
    # FIXED without amounts in its currencies, and a percentage it may not have.
    broken = (await gql(UPDATE, {"id": voucher["id"], "input": {"kind": "FIXED"}}))["voucherUpdate"]
    assert [(e["field"], e["code"]) for e in broken["errors"]] == [
        ("percentage", "INVALID_PERCENTAGE"),
        ("currencies.0.discountAmount", "INVALID_DISCOUNT"),
    ]
    taken = (await gql(UPDATE, {"id": other["id"], "input": {"code": "persen"}}))["voucherUpdate"]
    assert taken["errors"] == [{"field": "code", "code": "CODE_TAKEN"}]
    wrong_type = (await gql(UPDATE, {"id": gid("Product", 1), "input": {"name": "x"}}))["voucherUpdate"]
    assert wrong_type["errors"] == [{"field": "id", "code": "INVALID_ID"}]
    assert await snapshot() == before


async def test_delete_returns_the_voucher_and_removes_it(gql, shop):
    voucher = await create(gql, currencies=[{"currency": "IDR", "minSubtotal": "100000"}])
    deleted = (await gql(DELETE, {"id": voucher["id"]}))["voucherDelete"]
    assert deleted["errors"] == [] and deleted["voucher"]["code"] == "HEMAT10"
    assert deleted["voucher"]["currencies"] == [
        {"currency": "IDR", "discountAmount": None, "minSubtotal": {"amount": "100000.00"}}
    ]
    assert not await Voucher.exists() and not await VoucherCurrency.exists()


async def test_list_pages_newest_first_and_only_the_brands_own(gql, shop):
    for code in ("SATU", "DUA", "TIGA"):
        await create(gql, code=code)
    other = await make_brand("koko")
    _, koko = await make_staff(other, StaffRole.OWNER)
    await gql(
        CREATE,
        {"input": {"code": "KOKO", "kind": "FREE_SHIPPING", "currencies": [{"currency": "IDR"}]}},
        token=koko,
        storefront="koko",
    )
    page = (await gql(LIST, {"first": 2}))["vouchers"]
    assert [e["node"]["code"] for e in page["edges"]] == ["TIGA", "DUA"]
    assert page["pageInfo"]["hasNextPage"] and page["totalCount"] == 3
    rest = (await gql(LIST, {"first": 2, "after": page["pageInfo"]["endCursor"]}))["vouchers"]
    assert [e["node"]["code"] for e in rest["edges"]] == ["SATU"] and not rest["pageInfo"]["hasNextPage"]
    too_many = await gql.error(LIST, {"first": 101})
    assert too_many["extensions"]["code"] == "PAGE_SIZE_EXCEEDED"


async def test_a_voucher_node_is_visible_to_its_brands_managers_only(gql, shop):
    voucher = await create(gql)
    query = "query($id: ID!) { node(id: $id) { ... on Voucher { code } } }"
    assert (await gql(query, {"id": voucher["id"]}))["node"] == {"code": "HEMAT10"}
    other = await make_brand("koko")
    _, koko = await make_staff(other, StaffRole.OWNER)
    assert (await gql(query, {"id": voucher["id"]}, token=koko))["node"] is None
    assert (await gql(query, {"id": voucher["id"]}, token=None))["node"] is None


# --- permissions and isolation --------------------------------------------------------------------------------

OPERATIONS = [
    (
        "voucherCreate",
        CREATE,
        {"input": {"code": "X" * 5, "kind": "FREE_SHIPPING", "currencies": [{"currency": "IDR"}]}},
    ),
    ("voucherUpdate", UPDATE, {"id": "VOUCHER", "input": {"name": "hacked"}}),
    ("voucherDelete", DELETE, {"id": "VOUCHER"}),
    ("vouchers", LIST, {}),
]
OUTSIDERS = ["other_brand_owner", "other_brand_app", "own_brand_staff", "customer", "anonymous"]


@pytest.fixture
async def victim(gql, shop) -> dict[str, Any]:
    voucher = await create(gql, code="RAHASIA")
    other = await make_brand("koko")
    _, other_owner = await make_staff(other, StaffRole.OWNER)
    _, staff = await make_staff(shop["brand"], StaffRole.STAFF)  # products and orders, not the storefront
    app_token = "lini_app_koko-vouchers"
    await AppToken.create(
        brand=other,
        name="koko app",
        token_hash=token_hash(app_token),
        token_prefix="lini_app_k",
        permissions=["MANAGE_STOREFRONT"],
    )
    return {
        "voucher": voucher["id"],
        "tokens": {
            "other_brand_owner": other_owner,
            "other_brand_app": app_token,
            "own_brand_staff": staff,
            "customer": access_token(await make_user()),
            "anonymous": None,
        },
    }


@pytest.mark.engine_independent
@pytest.mark.parametrize("outsider", OUTSIDERS)
@pytest.mark.parametrize(("name", "query", "variables"), OPERATIONS, ids=[op[0] for op in OPERATIONS])
async def test_outsiders_are_refused_and_change_nothing(gql, victim, outsider, name, query, variables):
    values = {k: victim["voucher"] if v == "VOUCHER" else v for k, v in variables.items()}
    before = await snapshot()
    body = await gql.raw(query, values, token=victim["tokens"][outsider], storefront="sekar")
    expected = "UNAUTHENTICATED" if outsider == "anonymous" else "FORBIDDEN"
    assert [e["extensions"]["code"] for e in body.get("errors") or []] == [expected], (outsider, name, body)
    assert await snapshot() == before, f"{name} by {outsider} changed the database"


@pytest.mark.engine_independent
async def test_other_brands_staff_on_their_own_storefront_cannot_reach_this_voucher(gql, victim):
    koko = victim["tokens"]["other_brand_owner"]
    before = await snapshot()
    for query, variables in (
        (UPDATE, {"id": victim["voucher"], "input": {"name": "x"}}),
        (DELETE, {"id": victim["voucher"]}),
    ):
        error = await gql.error(query, variables, token=koko, storefront="koko")
        assert error["extensions"]["code"] == "FORBIDDEN"
    assert (await gql(LIST, token=koko, storefront="koko"))["vouchers"]["edges"] == []
    assert await snapshot() == before
