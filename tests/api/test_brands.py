"""Brands: apply, platform decision, storefront settings, staff invitations and app tokens."""

from __future__ import annotations

import asyncio
import base64

from core.actors.models import Brand, BrandDomain, BrandStatus, StaffMember, StaffRole
from core.auth.models import AppToken
from core.events import Event
from tests.factories import PASSWORD, access_token, make_admin, make_brand, make_staff, make_user

APPLY = """mutation($input: BrandApplyInput!) { brandApply(input: $input) {
  brand { id slug status } errors { field code } } }"""
APPROVE = "mutation($id: ID!) { brandApprove(id: $id) { brand { slug status } errors { field code } } }"
SUSPEND = (
    'mutation($id: ID!) { brandSuspend(id: $id, input: { reason: "complaints" }) { brand { status } errors { code } } }'
)
UPDATE = """mutation($input: StorefrontUpdateInput!, $brand: String) { storefrontUpdate(input: $input, brand: $brand) {
  brand { name currencies defaultCurrency languages shipsTo primaryColor logoUrl domains } errors { field code } } }"""
INVITE = """mutation($input: StaffInviteInput!) { staffInvite(input: $input) {
  invitation { email role } errors { field code } } }"""
ACCEPT = (
    """mutation($t: String!) { staffInviteAccept(input: { token: $t }) { brand { slug } errors { field code } } }"""
)
APP_CREATE = """mutation($input: AppCreateInput!) { appCreate(input: $input) {
  app { id name permissions tokenPrefix } authToken errors { field code } } }"""


def gid(type_name: str, id: int) -> str:
    return base64.b64encode(f"{type_name}:{id}".encode()).decode()


async def test_apply_approve_update_and_serve_a_storefront_through_graphql_alone(gql):
    # a person registers and signs in
    credentials = {"email": "rina@example.id", "password": PASSWORD}
    register = "mutation($input: AccountRegisterInput!) { accountRegister(input: $input) { errors { code } } }"
    assert (await gql(register, {"input": credentials}))["accountRegister"]["errors"] == []
    sign_in = "mutation($input: TokenCreateInput!) { tokenCreate(input: $input) { token } }"
    login = await gql(sign_in, {"input": credentials})
    token = login["tokenCreate"]["token"]
    # applies as a brand
    applied = await gql(APPLY, {"input": {"slug": "rina-hijab", "name": "Rina Hijab"}}, token=token)
    brand = applied["brandApply"]["brand"]
    assert brand["status"] == "APPLIED" and applied["brandApply"]["errors"] == []
    assert (await gql.error("{ storefront { name } }", storefront="rina-hijab"))["extensions"]["code"] == (
        "STOREFRONT_NOT_FOUND"
    )
    # a platform admin approves it
    _, admin = await make_admin()
    approved = await gql(APPROVE, {"id": brand["id"]}, token=admin)
    assert approved["brandApprove"] == {"brand": {"slug": "rina-hijab", "status": "APPROVED"}, "errors": []}
    # the owner (token re-read: membership is looked up per request) updates the storefront
    changes = {
        "name": "Rina Hijab Bandung",
        "currencies": ["IDR", "MYR"],
        "languages": ["id", "en", "ms"],
        "shipsTo": ["ID", "MY", "BN"],
        "primaryColor": "#AA3366",
        "logoUrl": "https://cdn.example/r.png",
        "domains": ["shop.rinahijab.id"],
    }
    updated = await gql(UPDATE, {"input": changes}, token=token, storefront="rina-hijab")
    assert updated["storefrontUpdate"]["errors"] == []
    assert updated["storefrontUpdate"]["brand"]["primaryColor"] == "#aa3366"
    # and the storefront answers under its slug and its domain
    shown = await gql(
        "{ storefront { name currencies languages shipsTo theme { primaryColor } } }", storefront="rina-hijab"
    )
    assert shown["storefront"] == {
        "name": "Rina Hijab Bandung",
        "currencies": ["IDR", "MYR"],
        "languages": ["id", "en", "ms"],
        "shipsTo": ["ID", "MY", "BN"],
        "theme": {"primaryColor": "#aa3366"},
    }
    by_host = await gql("{ storefront { slug } }", headers={"Host": "shop.rinahijab.id"})
    assert by_host["storefront"]["slug"] == "rina-hijab"
    me = await gql("{ me { staffMemberships { brandSlug role permissions } } }", token=token)
    assert me["me"]["staffMemberships"][0]["role"] == "OWNER"
    assert "MANAGE_APPS" in me["me"]["staffMemberships"][0]["permissions"]


async def test_brand_apply_rejects_bad_and_taken_slugs(gql):
    user = await make_user()
    await make_brand("sekar")
    cases = [("Bad Slug!", "INVALID_SLUG"), ("ab", "INVALID_SLUG"), ("sekar", "SLUG_TAKEN"), ("admin", "SLUG_TAKEN")]
    for slug, code in cases:
        data = await gql(APPLY, {"input": {"slug": slug, "name": "X"}}, token=access_token(user))
        assert data["brandApply"]["errors"] == [{"field": "slug", "code": code}], slug
    bad_currency = await gql(
        APPLY, {"input": {"slug": "ok-brand", "name": "X", "defaultCurrency": "RUPIAH"}}, token=access_token(user)
    )
    assert bad_currency["brandApply"]["errors"] == [{"field": "defaultCurrency", "code": "INVALID_CURRENCY"}]
    assert await Brand.all().count() == 1 and not await StaffMember.exists()
    anonymous = await gql.error(APPLY, {"input": {"slug": "anon-brand", "name": "X"}})
    assert anonymous["extensions"]["code"] == "UNAUTHENTICATED"


async def test_decisions_follow_the_status_machine(gql):
    _, admin = await make_admin()
    brand = await make_brand("pending", status=BrandStatus.APPLIED)
    suspend = await gql(SUSPEND, {"id": gid("Brand", brand.id)}, token=admin)
    assert suspend["brandSuspend"]["errors"] == [{"code": "INVALID_STATUS"}]
    await gql(APPROVE, {"id": gid("Brand", brand.id)}, token=admin)
    assert (await gql(SUSPEND, {"id": gid("Brand", brand.id)}, token=admin))["brandSuspend"]["brand"]["status"] == (
        "SUSPENDED"
    )
    assert (await gql.error("{ storefront { name } }", storefront="pending"))["extensions"]["code"] == (
        "STOREFRONT_NOT_FOUND"
    )
    unknown = await gql(APPROVE, {"id": gid("Brand", 999999)}, token=admin)
    assert unknown["brandApprove"]["errors"] == [{"field": "id", "code": "NOT_FOUND"}]
    wrong_type = await gql(APPROVE, {"id": gid("Product", brand.id)}, token=admin)
    assert wrong_type["brandApprove"]["errors"] == [{"field": "id", "code": "INVALID_ID"}]
    assert [e.type for e in await Event.filter(brand_id=brand.id).order_by("id")] == [
        "brand.approved",
        "brand.suspended",
    ]


async def test_concurrent_approvals_leave_exactly_one_decision(gql):
    _, admin = await make_admin()
    brand = await make_brand("race", status=BrandStatus.APPLIED)
    results = await asyncio.gather(*(gql(APPROVE, {"id": gid("Brand", brand.id)}, token=admin) for _ in range(2)))
    errors = sorted((r["brandApprove"]["errors"] for r in results), key=len)
    assert errors == [[], [{"field": "id", "code": "INVALID_STATUS"}]]
    assert await Event.filter(type="brand.approved", brand_id=brand.id).count() == 1


async def test_storefront_update_validates_and_changes_nothing_on_error(gql):
    brand = await make_brand("sekar")
    _, owner = await make_staff(brand)
    other = await make_brand("koko")
    await BrandDomain.create(brand=other, host="koko.example.id")
    cases = [
        ({"currencies": ["IDR", "XYZ"]}, "currencies", "INVALID_CURRENCY"),
        ({"defaultCurrency": "SAR"}, "defaultCurrency", "INVALID_CURRENCY"),
        ({"languages": ["id", "klingon"]}, "languages", "INVALID_LANGUAGE"),
        ({"shipsTo": ["ID", "ZZ"]}, "shipsTo", "INVALID_COUNTRY"),
        ({"primaryColor": "red"}, "primaryColor", "INVALID_COLOUR"),
        ({"logoUrl": "javascript:alert(1)"}, "logoUrl", "INVALID_URL"),
        ({"domains": ["not a host"]}, "domains", "INVALID_DOMAIN"),
        ({"domains": ["koko.example.id"]}, "domains", "DOMAIN_TAKEN"),
        ({"name": ""}, "name", "INVALID_NAME"),
    ]
    for changes, field, code in cases:
        data = await gql(UPDATE, {"input": {**changes, "description": "changed"}}, token=owner, storefront="sekar")
        assert data["storefrontUpdate"]["errors"] == [{"field": field, "code": code}], changes
    fresh = await Brand.get(id=brand.id)
    assert fresh.description == "" and fresh.currencies == ["IDR", "MYR"]
    assert not await BrandDomain.filter(brand_id=brand.id).exists()


async def test_staff_invitation_is_accepted_by_the_invited_account_only(gql):
    brand = await make_brand("sekar")
    _, owner = await make_staff(brand)
    invited = await gql(
        INVITE, {"input": {"email": "Dewi@Example.id", "role": "MANAGER"}}, token=owner, storefront="sekar"
    )
    assert invited["staffInvite"] == {"invitation": {"email": "dewi@example.id", "role": "MANAGER"}, "errors": []}
    token = (await Event.get(type="staff.invited")).payload["token"]
    stranger = await make_user("someone@example.id")
    wrong = await gql(ACCEPT, {"t": token}, token=access_token(stranger))
    assert wrong["staffInviteAccept"]["errors"] == [{"field": "token", "code": "WRONG_ACCOUNT"}]
    dewi = await make_user("dewi@example.id")
    accepted = await gql(ACCEPT, {"t": token}, token=access_token(dewi))
    assert accepted["staffInviteAccept"] == {"brand": {"slug": "sekar"}, "errors": []}
    assert (await StaffMember.get(user=dewi)).role == StaffRole.MANAGER
    again = await gql(ACCEPT, {"t": token}, token=access_token(dewi))
    assert again["staffInviteAccept"]["errors"] == [{"field": "token", "code": "INVALID_TOKEN"}]
    members = await gql("{ staffMembers { email role } }", token=owner, storefront="sekar")
    assert {m["email"] for m in members["staffMembers"]} == {
        "dewi@example.id",
        (await StaffMember.filter(brand=brand, role=StaffRole.OWNER).prefetch_related("user").first()).user.email,
    }


async def test_only_owners_invite_owners(gql):
    brand = await make_brand("sekar")
    _, manager = await make_staff(brand, StaffRole.MANAGER)
    data = await gql(INVITE, {"input": {"email": "x@example.id", "role": "OWNER"}}, token=manager, storefront="sekar")
    assert data["staffInvite"]["errors"] == [{"field": "role", "code": "ROLE_NOT_ALLOWED"}]


async def test_app_token_works_with_its_permissions_only_and_stops_when_revoked(gql):
    brand = await make_brand("sekar")
    _, owner = await make_staff(brand)
    created = await gql(
        APP_CREATE,
        {"input": {"name": "Katalog sync", "permissions": ["MANAGE_STOREFRONT"]}},
        token=owner,
        storefront="sekar",
    )
    app = created["appCreate"]
    assert app["errors"] == [] and app["authToken"].startswith("lini_app_")
    assert app["authToken"].startswith(app["app"]["tokenPrefix"])
    stored = await AppToken.get(name="Katalog sync")
    assert app["authToken"] not in stored.token_hash  # only a hash is kept
    ok = await gql(UPDATE, {"input": {"description": "via app"}}, token=app["authToken"], storefront="sekar")
    assert ok["storefrontUpdate"]["errors"] == []
    denied = await gql.error(INVITE, {"input": {"email": "a@example.id"}}, token=app["authToken"], storefront="sekar")
    assert denied["extensions"]["code"] == "FORBIDDEN"
    listed = await gql("{ apps { name permissions revokedAt } }", token=owner, storefront="sekar")
    assert listed["apps"] == [{"name": "Katalog sync", "permissions": ["MANAGE_STOREFRONT"], "revokedAt": None}]
    revoke = "mutation($id: ID!) { appRevoke(id: $id) { app { revokedAt } errors { code } } }"
    assert (await gql(revoke, {"id": app["app"]["id"]}, token=owner))["appRevoke"]["app"]["revokedAt"]
    after = await gql.error(UPDATE, {"input": {"description": "x"}}, token=app["authToken"], storefront="sekar")
    assert after["extensions"]["code"] == "UNAUTHENTICATED"


async def test_an_app_cannot_be_granted_more_than_its_creator_holds(gql):
    brand = await make_brand("sekar")
    user, _ = await make_staff(brand, StaffRole.OWNER)
    # an app with MANAGE_APPS only cannot mint an app with MANAGE_ORDERS
    first = await gql(
        APP_CREATE,
        {"input": {"name": "a", "permissions": ["MANAGE_APPS"]}},
        token=access_token(user),
        storefront="sekar",
    )
    escalate = await gql(
        APP_CREATE,
        {"input": {"name": "b", "permissions": ["MANAGE_ORDERS"]}},
        token=first["appCreate"]["authToken"],
        storefront="sekar",
    )
    assert escalate["appCreate"]["errors"] == [{"field": "permissions", "code": "PERMISSION_NOT_HELD"}]
    assert await AppToken.all().count() == 1
