"""Suppliers: applying, the platform's decisions and their status machine, the admin's list, permissions."""

from __future__ import annotations

import asyncio
import base64
from typing import Any

import pytest

from core.actors.models import ActorStatus, Supplier
from core.auth.models import User
from core.events import Event
from tests.factories import access_token, make_admin, make_user

APPLY = """mutation($input: SupplierApplyInput!) { supplierApply(input: $input) {
  supplier { id status legalName country contactEmail contactPhone contactPhoneE164 supplies }
  errors { field code } } }"""
APPROVE = "mutation($id: ID!) { supplierApprove(id: $id) { supplier { status } errors { field code } } }"
REJECT = """mutation($id: ID!) { supplierReject(id: $id, input: { reason: "no permit" }) {
  supplier { status statusReason } errors { field code } } }"""
SUSPEND = """mutation($id: ID!) { supplierSuspend(id: $id, input: { reason: "late deliveries" }) {
  supplier { status statusReason } errors { field code } } }"""
LIST = """query($filter: SupplierFilter, $first: Int, $after: String) {
  suppliers(filter: $filter, first: $first, after: $after) {
    totalCount edges { node { legalName status } } pageInfo { hasNextPage endCursor } } }"""
MINE = "{ mySupplier { legalName status } }"

VALID = {
    "legalName": "PT Tenun Nusantara",
    "country": "ID",
    "city": "Pekalongan",
    "contactName": "Siti Rahma",
    "contactEmail": "Siti@TenunNusantara.co.id",
    "contactPhone": "0812-3456-7890",
    "supplies": ["FABRIC", "TRIMS"],
}


def gid(type_name: str, id: int) -> str:
    return base64.b64encode(f"{type_name}:{id}".encode()).decode()


async def make_supplier(status: ActorStatus = ActorStatus.APPLIED, name: str = "PT Kain") -> Supplier:
    return await Supplier.create(
        user=await make_user(), legal_name=name, country="ID", city="Bandung", status=status, supplies=["FABRIC"]
    )


async def state() -> list[tuple[Any, ...]]:
    """Every supplier's id, status and reason, and every event: what a refused operation must leave alone."""
    rows = await Supplier.all().order_by("id").values_list("id", "status", "status_reason")
    return [*rows, ("events", await Event.all().count())]


async def test_apply_then_approve_suspend_and_reinstate(gql):
    user = await make_user()
    token = access_token(user)
    applied = (await gql(APPLY, {"input": VALID}, token=token))["supplierApply"]
    supplier = applied["supplier"]
    assert applied["errors"] == []
    assert supplier["status"] == "APPLIED"
    assert supplier["contactEmail"] == "siti@tenunnusantara.co.id"
    assert (supplier["contactPhone"], supplier["contactPhoneE164"]) == ("0812-3456-7890", "+6281234567890")
    assert supplier["supplies"] == ["FABRIC", "TRIMS"]
    assert (await Supplier.get()).user_id == user.id
    event = await Event.get(type="supplier.applied")
    assert event.payload["user_id"] == user.id
    assert (await gql(MINE, token=token))["mySupplier"] == {"legalName": "PT Tenun Nusantara", "status": "APPLIED"}

    _, admin = await make_admin()
    approved = await gql(APPROVE, {"id": supplier["id"]}, token=admin)
    assert approved["supplierApprove"] == {"supplier": {"status": "APPROVED"}, "errors": []}
    suspended = await gql(SUSPEND, {"id": supplier["id"]}, token=admin)
    assert suspended["supplierSuspend"]["supplier"] == {"status": "SUSPENDED", "statusReason": "late deliveries"}
    reinstated = await gql(APPROVE, {"id": supplier["id"]}, token=admin)
    assert reinstated["supplierApprove"]["supplier"]["status"] == "APPROVED"
    assert [e.type for e in await Event.all().order_by("id")] == [
        "supplier.applied",
        "supplier.approved",
        "supplier.suspended",
        "supplier.approved",
    ]


async def test_one_live_application_per_user_but_a_rejected_one_may_reapply(gql):
    token = access_token(await make_user())
    first = (await gql(APPLY, {"input": VALID}, token=token))["supplierApply"]["supplier"]
    again = await gql(APPLY, {"input": {**VALID, "legalName": "CV Lain"}}, token=token)
    assert again["supplierApply"] == {"supplier": None, "errors": [{"field": None, "code": "ALREADY_APPLIED"}]}
    assert await Supplier.all().count() == 1
    _, admin = await make_admin()
    rejected = await gql(REJECT, {"id": first["id"]}, token=admin)
    assert rejected["supplierReject"]["supplier"] == {"status": "REJECTED", "statusReason": "no permit"}
    retry = await gql(APPLY, {"input": {**VALID, "legalName": "CV Lain"}}, token=token)
    assert retry["supplierApply"]["errors"] == []
    assert (await gql(MINE, token=token))["mySupplier"] == {"legalName": "CV Lain", "status": "APPLIED"}


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"country": "XX"}, "country", "INVALID_COUNTRY"),
        ({"country": "Indonesia"}, "country", "INVALID_COUNTRY"),
        ({"contactEmail": "siti@"}, "contactEmail", "INVALID_EMAIL"),
        ({"contactPhone": "12345"}, "contactPhone", "INVALID_PHONE"),
        ({"contactPhone": ""}, "contactPhone", "REQUIRED"),
        ({"supplies": []}, "supplies", "INVALID_SUPPLIES"),
        ({"legalName": "  "}, "legalName", "REQUIRED"),
        ({"city": "x" * 101}, "city", "TOO_LONG"),
    ],
)
async def test_bad_input_is_a_user_error_and_writes_nothing(gql, changes, field, code):
    token = access_token(await make_user())
    data = await gql(APPLY, {"input": {**VALID, **changes}}, token=token)
    assert data["supplierApply"] == {"supplier": None, "errors": [{"field": field, "code": code}]}
    assert await Supplier.all().count() == 0
    assert await Event.all().count() == 0


async def test_several_bad_fields_are_reported_together(gql):
    token = access_token(await make_user())
    data = await gql(APPLY, {"input": {**VALID, "contactEmail": "nope", "supplies": [], "city": ""}}, token=token)
    assert {(e["field"], e["code"]) for e in data["supplierApply"]["errors"]} == {
        ("city", "REQUIRED"),
        ("contactEmail", "INVALID_EMAIL"),
        ("supplies", "INVALID_SUPPLIES"),
    }
    assert await Supplier.all().count() == 0


async def test_decisions_follow_the_status_machine(gql):
    _, admin = await make_admin()
    supplier = await make_supplier()
    id = gid("Supplier", supplier.id)
    suspend = await gql(SUSPEND, {"id": id}, token=admin)
    assert suspend["supplierSuspend"] == {"supplier": None, "errors": [{"field": "id", "code": "INVALID_STATUS"}]}
    await gql(APPROVE, {"id": id}, token=admin)
    reject = await gql(REJECT, {"id": id}, token=admin)
    assert reject["supplierReject"]["errors"] == [{"field": "id", "code": "INVALID_STATUS"}]
    unknown = await gql(APPROVE, {"id": gid("Supplier", 999999)}, token=admin)
    assert unknown["supplierApprove"]["errors"] == [{"field": "id", "code": "NOT_FOUND"}]
    wrong_type = await gql(APPROVE, {"id": gid("Brand", supplier.id)}, token=admin)
    assert wrong_type["supplierApprove"]["errors"] == [{"field": "id", "code": "INVALID_ID"}]
    assert (await Supplier.get(id=supplier.id)).status == ActorStatus.APPROVED
    assert [e.type for e in await Event.all()] == ["supplier.approved"]


async def test_concurrent_approvals_leave_exactly_one_decision(gql):
    _, admin = await make_admin()
    supplier = await make_supplier()
    id = gid("Supplier", supplier.id)
    results = await asyncio.gather(*(gql(APPROVE, {"id": id}, token=admin) for _ in range(2)))
    errors = sorted((r["supplierApprove"]["errors"] for r in results), key=len)
    assert errors == [[], [{"field": "id", "code": "INVALID_STATUS"}]]
    assert await Event.filter(type="supplier.approved").count() == 1
    assert (await Supplier.get(id=supplier.id)).status == ActorStatus.APPROVED


ADMIN_OPERATIONS = [
    ("supplierApprove", APPROVE),
    ("supplierReject", REJECT),
    ("supplierSuspend", SUSPEND),
    ("suppliers", "query($id: ID!) { suppliers { edges { node { id } } } node(id: $id) { id } }"),
]


@pytest.mark.parametrize(("name", "query"), ADMIN_OPERATIONS, ids=[op[0] for op in ADMIN_OPERATIONS])
@pytest.mark.parametrize("caller", ["anonymous", "customer", "the_supplier"])
async def test_admin_operations_are_refused_to_others_and_change_nothing(gql, name, query, caller):
    applied = await make_supplier()
    approved = await make_supplier(ActorStatus.APPROVED, name="CV Kancing")
    target = approved if name == "supplierSuspend" else applied
    tokens = {
        "anonymous": None,
        "customer": access_token(await make_user()),
        "the_supplier": access_token(await User.get(id=target.user_id)),
    }
    before = await state()
    error = await gql.error(query, {"id": gid("Supplier", target.id)}, token=tokens[caller])
    assert error["extensions"]["code"] == ("UNAUTHENTICATED" if caller == "anonymous" else "FORBIDDEN")
    assert error["path"] == [name]
    assert await state() == before


async def test_signed_in_fields_refuse_anonymous_callers(gql):
    for query, variables in ((APPLY, {"input": VALID}), (MINE, {})):
        error = await gql.error(query, variables)
        assert error["extensions"]["code"] == "UNAUTHENTICATED"
    assert await Supplier.all().count() == 0


async def test_admin_lists_suppliers_newest_first_with_filters_and_pages(gql):
    _, admin = await make_admin()
    for i in range(5):
        await make_supplier(name=f"PT Kain {i}")
    await make_supplier(ActorStatus.APPROVED, name="CV Renda")
    first = (await gql(LIST, {"first": 4}, token=admin))["suppliers"]
    assert [e["node"]["legalName"] for e in first["edges"]] == ["CV Renda", "PT Kain 4", "PT Kain 3", "PT Kain 2"]
    assert first["totalCount"] == 6 and first["pageInfo"]["hasNextPage"] is True
    rest = (await gql(LIST, {"first": 4, "after": first["pageInfo"]["endCursor"]}, token=admin))["suppliers"]
    assert [e["node"]["legalName"] for e in rest["edges"]] == ["PT Kain 1", "PT Kain 0"]
    approved = (await gql(LIST, {"filter": {"status": "APPROVED"}}, token=admin))["suppliers"]
    assert [e["node"]["legalName"] for e in approved["edges"]] == ["CV Renda"]
    searched = (await gql(LIST, {"filter": {"search": "kain 3"}}, token=admin))["suppliers"]
    assert [e["node"]["legalName"] for e in searched["edges"]] == ["PT Kain 3"]


async def test_a_supplier_node_is_visible_to_its_owner_and_admins_only(gql):
    supplier = await make_supplier()
    owner = access_token(await User.get(id=supplier.user_id))
    _, admin = await make_admin()
    stranger = access_token(await make_user())
    query = "query($id: ID!) { node(id: $id) { ... on Supplier { legalName } } }"
    variables = {"id": gid("Supplier", supplier.id)}
    assert (await gql(query, variables, token=owner))["node"] == {"legalName": "PT Kain"}
    assert (await gql(query, variables, token=admin))["node"] == {"legalName": "PT Kain"}
    assert (await gql(query, variables, token=stranger))["node"] is None
    assert (await gql(query, variables))["node"] is None
    assert (await gql(MINE, token=stranger))["mySupplier"] is None
