"""Every root field declares its permission, and no actor reaches another brand's data."""

from __future__ import annotations

import base64
from datetime import date
from typing import Any

import pytest
from tortoise import Tortoise

from core.actors.models import ActorStatus, BrandStatus, Certification, StaffRole, Supplier, Tailor, TailorKind
from core.auth.models import AppToken
from core.auth.tokens import token_hash
from schema.permissions import REQUIRES
from tests.factories import access_token, make_admin, make_brand, make_staff, make_user

INTROSPECT = """{ __schema {
  queryType { fields { name description } }
  mutationType { fields { name description } } } }"""


async def test_every_root_field_declares_its_permission(gql):
    schema = (await gql(INTROSPECT))["__schema"]
    fields = [("Query", f) for f in schema["queryType"]["fields"]]
    fields += [("Mutation", f) for f in schema["mutationType"]["fields"]]
    undeclared = [f"{root}.{f['name']}" for root, f in fields if REQUIRES not in (f["description"] or "")]
    assert not undeclared, f"fields without a declared permission: {undeclared}"
    assert len(fields) > 20


def gid(type_name: str, id: int) -> str:
    return base64.b64encode(f"{type_name}:{id}".encode()).decode()


async def snapshot() -> dict[str, list[dict[str, Any]]]:
    """Every row of every table, to prove a refused operation changed nothing."""
    state = {}
    for model in Tortoise.apps["lini"].values():
        if model._meta.db_table in ("login_throttle",):
            continue
        rows = await model.all().order_by("id").values()
        state[model._meta.db_table] = [{k: v for k, v in row.items() if k != "last_used_at"} for row in rows]
    return state  # (an app token's last use is bookkeeping, not a change made by the caller)


# Each management operation, as the victim brand's owner would call it (Lini-Storefront: victim).
OPERATIONS: list[tuple[str, str, dict[str, Any]]] = [
    ("storefrontUpdate", 'mutation { storefrontUpdate(input: { name: "Hacked" }) { errors { code } } }', {}),
    ("staffInvite", 'mutation { staffInvite(input: { email: "x@example.id", role: OWNER }) { errors { code } } }', {}),
    ("staffMembers", "{ staffMembers { email } }", {}),
    ("appCreate", 'mutation { appCreate(input: { name: "x", permissions: [MANAGE_APPS] }) { authToken } }', {}),
    ("apps", "{ apps { name } }", {}),
    ("appRevoke", "mutation($app: ID!) { appRevoke(id: $app) { errors { code } } }", {"app": "APP"}),
    ("managedBrand", "{ managedBrand { slug } }", {}),
    ("brandApprove", "mutation($b: ID!) { brandApprove(id: $b) { errors { code } } }", {"b": "APPLIED_BRAND"}),
    ("brandReject", "mutation($b: ID!) { brandReject(id: $b) { errors { code } } }", {"b": "APPLIED_BRAND"}),
    ("brandSuspend", "mutation($b: ID!) { brandSuspend(id: $b) { errors { code } } }", {"b": "VICTIM"}),
    ("brands", "{ brands { edges { node { slug } } } }", {}),
    ("supplierApprove", "mutation($s: ID!) { supplierApprove(id: $s) { errors { code } } }", {"s": "SUPPLIER"}),
    ("supplierReject", "mutation($s: ID!) { supplierReject(id: $s) { errors { code } } }", {"s": "SUPPLIER"}),
    ("supplierSuspend", "mutation($s: ID!) { supplierSuspend(id: $s) { errors { code } } }", {"s": "SUPPLIER"}),
    ("suppliers", "{ suppliers { edges { node { legalName } } } }", {}),
    ("tailorApprove", "mutation($t: ID!) { tailorApprove(id: $t) { errors { code } } }", {"t": "TAILOR"}),
    ("tailorReject", "mutation($t: ID!) { tailorReject(id: $t) { errors { code } } }", {"t": "TAILOR"}),
    ("tailorSuspend", "mutation($t: ID!) { tailorSuspend(id: $t) { errors { code } } }", {"t": "TAILOR"}),
    (
        "tailorCertificationVerify",
        "mutation($c: ID!) { tailorCertificationVerify(id: $c) { errors { code } } }",
        {"c": "CERTIFICATE"},
    ),
    (
        "tailorCertificationReject",
        "mutation($c: ID!) { tailorCertificationReject(id: $c) { errors { code } } }",
        {"c": "CERTIFICATE"},
    ),
]

ACTORS = ["other_brand_owner", "customer", "tailor", "supplier", "anonymous", "other_brand_app"]


@pytest.fixture
async def world() -> dict[str, Any]:
    victim = await make_brand("victim")
    await make_staff(victim, StaffRole.OWNER)
    applied = await make_brand("applicant", status=BrandStatus.APPLIED)
    app = await AppToken.create(
        brand=victim, name="victim app", token_hash="h" * 64, token_prefix="lini_app_x", permissions=["MANAGE_APPS"]
    )
    other = await make_brand("other")
    _, other_owner = await make_staff(other, StaffRole.OWNER)
    customer = await make_user()
    tailor_user = await make_user()
    await Tailor.create(
        user=tailor_user, kind=TailorKind.WORKSHOP, display_name="Konveksi", city="Bandung", status=ActorStatus.APPROVED
    )
    supplier_user = await make_user()
    await Supplier.create(
        user=supplier_user, legal_name="PT Kain", country="ID", city="Bandung", status=ActorStatus.APPROVED
    )
    applicant = await make_user()
    applied_supplier = await Supplier.create(user=applicant, legal_name="PT Baru", country="ID", city="Solo")
    applied_tailor = await Tailor.create(user=applicant, kind=TailorKind.INDIVIDUAL, display_name="Bu Sri", city="Solo")
    certificate = await Certification.create(
        tailor=applied_tailor,
        scheme="SKKNI",
        kkni_level=3,
        certificate_number="LSP-123",
        lsp="LSP Garmen",
        issued_on=date(2025, 1, 1),
        valid_until=date(2028, 1, 1),
    )
    other_app_token = "lini_app_other-brand-token"
    await AppToken.create(
        brand=other,
        name="other app",
        token_hash=token_hash(other_app_token),
        token_prefix="lini_app_o",
        permissions=["MANAGE_APPS", "MANAGE_STOREFRONT", "MANAGE_STAFF"],
    )
    return {
        "ids": {
            "APP": gid("App", app.id),
            "APPLIED_BRAND": gid("Brand", applied.id),
            "VICTIM": gid("Brand", victim.id),
            "SUPPLIER": gid("Supplier", applied_supplier.id),
            "TAILOR": gid("Tailor", applied_tailor.id),
            "CERTIFICATE": gid("Certification", certificate.id),
        },
        "tokens": {
            "other_brand_owner": other_owner,
            "customer": access_token(customer),
            "tailor": access_token(tailor_user),
            "supplier": access_token(supplier_user),
            "anonymous": None,
            "other_brand_app": other_app_token,
        },
    }


@pytest.mark.engine_independent
@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize(("name", "query", "variables"), OPERATIONS, ids=[op[0] for op in OPERATIONS])
async def test_isolation_matrix(gql, world, actor, name, query, variables):
    token = world["tokens"][actor]
    values = {key: world["ids"][value] for key, value in variables.items()}
    before = await snapshot()
    body = await gql.raw(query, values, token=token, storefront="victim")
    errors = body.get("errors") or []
    expected = "UNAUTHENTICATED" if actor == "anonymous" else "FORBIDDEN"
    assert [e["extensions"]["code"] for e in errors] == [expected], (actor, name, body)
    assert await snapshot() == before, f"{name} by {actor} changed the database"


async def test_admin_reaches_admin_operations_but_not_brand_management(gql, world):
    _, admin = await make_admin()
    assert (await gql("{ brands { edges { node { slug } } } }", token=admin))["brands"]["edges"]
    denied = await gql.error(
        'mutation { storefrontUpdate(input: { name: "x" }) { errors { code } } }', token=admin, storefront="victim"
    )
    assert denied["extensions"]["code"] == "FORBIDDEN"
