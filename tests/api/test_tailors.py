"""Tailors and workshops: applying, certificates and their verification, decisions, finding tailors, cost."""

from __future__ import annotations

import asyncio
import base64
from datetime import date, timedelta
from typing import Any

import pytest

from core.actors.models import ActorStatus, Certification, CertificationStatus, StaffRole, Tailor, TailorKind
from core.auth.models import AppToken
from core.auth.tokens import token_hash
from core.events import Event
from tests.factories import access_token, make_admin, make_brand, make_staff, make_user

APPLY = """mutation($input: TailorApplyInput!) { tailorApply(input: $input) {
  tailor { id status kind displayName latitude longitude garmentTypes capacity leadTimeDays phone phoneE164
           isCertified certifications { id } }
  errors { field code } } }"""
APPROVE = "mutation($id: ID!) { tailorApprove(id: $id) { tailor { status } errors { field code } } }"
REJECT = """mutation($id: ID!) { tailorReject(id: $id, input: { reason: "incomplete" }) {
  tailor { status statusReason } errors { field code } } }"""
SUSPEND = """mutation($id: ID!) { tailorSuspend(id: $id, input: { reason: "quality" }) {
  tailor { status statusReason } errors { field code } } }"""
CERTIFY = """mutation($input: TailorCertificationAddInput!) { tailorCertificationAdd(input: $input) {
  certification { id status isValid certificateNumber competencyUnits { code title } }
  errors { field code } } }"""
VERIFY = """mutation($id: ID!) { tailorCertificationVerify(id: $id) {
  certification { status isValid verifiedAt } errors { field code } } }"""
CERT_REJECT = """mutation($id: ID!) { tailorCertificationReject(id: $id, input: { reason: "unreadable scan" }) {
  certification { status statusReason isValid } errors { field code } } }"""
MINE = "{ myTailorProfile { displayName isCertified certifications { status isValid validUntil } } }"
LIST = """query($filter: TailorFilter, $first: Int) { tailors(filter: $filter, first: $first) {
  totalCount edges { node { displayName } } } }"""
PAGE = """query($first: Int) { tailors(first: $first) { edges { node {
  id displayName garmentTypes isCertified
  certifications { id scheme status isValid validUntil competencyUnits { code title } } } } } }"""

VALID = {
    "kind": "WORKSHOP",
    "displayName": "Konveksi Barokah",
    "city": "Bandung",
    "province": "Jawa Barat",
    "country": "ID",
    "latitude": "-6.917464",
    "longitude": "107.619123",
    "garmentTypes": ["gamis", "BAJU_KOKO", "GAMIS"],
    "capacity": 120,
    "leadTimeDays": 14,
    "phone": "+62 812 3456 7890",
}
TODAY = date.today()
CERTIFICATE = {
    "scheme": "SKKNI Menjahit Pakaian",
    "kkniLevel": 3,
    "competencyUnits": [
        {"code": "GAR.CM02.003.01", "title": "Menjahit dengan mesin"},
        {"code": "c.141100.001.01", "title": "Memotong bahan"},
    ],
    "certificateNumber": "LSP-GAR 2024 00123",
    "lsp": "LSP Garmen Indonesia",
    "issuedOn": str(TODAY - timedelta(days=400)),
    "validUntil": str(TODAY + timedelta(days=695)),
    "documentUrl": "https://files.example.id/cert.pdf",
}


def gid(type_name: str, id: int) -> str:
    return base64.b64encode(f"{type_name}:{id}".encode()).decode()


async def make_tailor(
    status: ActorStatus = ActorStatus.APPROVED, name: str = "Penjahit Ani", **fields: Any
) -> tuple[Tailor, str]:
    """A tailor profile and its owner's access token."""
    user = await make_user()
    values: dict[str, Any] = {"kind": TailorKind.INDIVIDUAL, "city": "Bandung", "garment_types": ["GAMIS"], **fields}
    tailor = await Tailor.create(user=user, display_name=name, status=status, **values)
    return tailor, access_token(user)


async def make_certification(tailor: Tailor, number: str, **fields: Any) -> Certification:
    values: dict[str, Any] = {
        "scheme": "SKKNI Menjahit Pakaian",
        "lsp": "LSP Garmen",
        "issued_on": TODAY - timedelta(days=30),
        "valid_until": TODAY + timedelta(days=1000),
        "status": CertificationStatus.VERIFIED,
        "competency_units": [{"code": "GAR.CM02.003.01", "title": "Menjahit"}],
        **fields,
    }
    return await Certification.create(tailor=tailor, certificate_number=number, **values)


async def state() -> list[tuple[Any, ...]]:
    """Tailors, certificates and events as a refused operation must leave them."""
    tailors = await Tailor.all().order_by("id").values_list("id", "status", "status_reason")
    certificates = await Certification.all().order_by("id").values_list("id", "tailor_id", "status", "verified_at")
    return [*tailors, *certificates, ("events", await Event.all().count())]


async def test_apply_certify_verify_and_approve(gql):
    user = await make_user()
    token = access_token(user)
    applied = (await gql(APPLY, {"input": VALID}, token=token))["tailorApply"]
    tailor = applied["tailor"]
    assert applied["errors"] == []
    assert tailor["status"] == "APPLIED" and tailor["kind"] == "WORKSHOP"
    assert (tailor["latitude"], tailor["longitude"]) == ("-6.917464", "107.619123")
    assert tailor["garmentTypes"] == ["GAMIS", "BAJU_KOKO"]
    assert (tailor["phone"], tailor["phoneE164"]) == ("+62 812 3456 7890", "+6281234567890")
    assert tailor["isCertified"] is False and tailor["certifications"] == []
    assert (await Event.get(type="tailor.applied")).payload["user_id"] == user.id

    added = (await gql(CERTIFY, {"input": CERTIFICATE}, token=token))["tailorCertificationAdd"]
    assert added["errors"] == []
    certificate = added["certification"]
    assert certificate["status"] == "PENDING" and certificate["isValid"] is False
    assert certificate["certificateNumber"] == "LSP-GAR 2024 00123"
    assert [u["code"] for u in certificate["competencyUnits"]] == ["GAR.CM02.003.01", "C.141100.001.01"]
    mine = (await gql(MINE, token=token))["myTailorProfile"]
    assert mine["isCertified"] is False and mine["certifications"][0]["status"] == "PENDING"

    admin_user, admin = await make_admin()
    verified = (await gql(VERIFY, {"id": certificate["id"]}, token=admin))["tailorCertificationVerify"]
    assert verified["errors"] == [] and verified["certification"]["status"] == "VERIFIED"
    assert verified["certification"]["isValid"] is True and verified["certification"]["verifiedAt"]
    assert (await Certification.get()).verified_by_id == admin_user.id
    mine = (await gql(MINE, token=token))["myTailorProfile"]
    assert mine["isCertified"] is True and mine["certifications"][0]["isValid"] is True
    again = await gql(VERIFY, {"id": certificate["id"]}, token=admin)
    assert again["tailorCertificationVerify"]["errors"] == [{"field": "id", "code": "INVALID_STATUS"}]

    approved = await gql(APPROVE, {"id": tailor["id"]}, token=admin)
    assert approved["tailorApprove"] == {"tailor": {"status": "APPROVED"}, "errors": []}
    assert [e.type for e in await Event.all().order_by("id")] == [
        "tailor.applied",
        "tailor.certification_added",
        "tailor.certification_verified",
        "tailor.approved",
    ]


async def test_an_expired_certificate_does_not_certify(gql):
    tailor, token = await make_tailor()
    expired = {
        **CERTIFICATE,
        "issuedOn": str(TODAY - timedelta(days=1500)),
        "validUntil": str(TODAY - timedelta(days=405)),
    }
    added = (await gql(CERTIFY, {"input": expired}, token=token))["tailorCertificationAdd"]
    assert added["errors"] == []
    _, admin = await make_admin()
    verified = (await gql(VERIFY, {"id": added["certification"]["id"]}, token=admin))["tailorCertificationVerify"]
    assert verified["certification"] == {**verified["certification"], "status": "VERIFIED", "isValid": False}
    mine = (await gql(MINE, token=token))["myTailorProfile"]
    assert mine["isCertified"] is False
    assert mine["certifications"] == [{"status": "VERIFIED", "isValid": False, "validUntil": expired["validUntil"]}]
    uncertified = await gql(LIST, {"filter": {"certified": False}}, token=admin)
    assert [e["node"]["displayName"] for e in uncertified["tailors"]["edges"]] == [tailor.display_name]
    assert (await gql(LIST, {"filter": {"certified": True}}, token=admin))["tailors"]["edges"] == []


async def test_a_certificate_expiring_today_is_still_valid(gql):
    tailor, token = await make_tailor()
    await make_certification(tailor, "EDGE-1", valid_until=TODAY)
    assert (await gql(MINE, token=token))["myTailorProfile"]["isCertified"] is True


async def test_a_rejected_certificate_does_not_certify(gql):
    tailor, token = await make_tailor()
    certificate = await make_certification(tailor, "R-1", status=CertificationStatus.PENDING)
    _, admin = await make_admin()
    rejected = await gql(CERT_REJECT, {"id": gid("Certification", certificate.id)}, token=admin)
    assert rejected["tailorCertificationReject"]["certification"] == {
        "status": "REJECTED",
        "statusReason": "unreadable scan",
        "isValid": False,
    }
    assert (await gql(MINE, token=token))["myTailorProfile"]["isCertified"] is False
    verify = await gql(VERIFY, {"id": gid("Certification", certificate.id)}, token=admin)
    assert verify["tailorCertificationVerify"]["errors"] == [{"field": "id", "code": "INVALID_STATUS"}]


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"garmentTypes": ["GAMIS", "SARUNG"]}, "garmentTypes", "INVALID_GARMENT_TYPE"),
        ({"garmentTypes": []}, "garmentTypes", "INVALID_GARMENT_TYPE"),
        ({"capacity": 0}, "capacity", "INVALID_CAPACITY"),
        ({"capacity": 501}, "capacity", "INVALID_CAPACITY"),
        ({"leadTimeDays": 0}, "leadTimeDays", "INVALID_LEAD_TIME"),
        ({"leadTimeDays": 181}, "leadTimeDays", "INVALID_LEAD_TIME"),
        ({"latitude": "90.5"}, "latitude", "INVALID_LATITUDE"),
        ({"longitude": "-180.000001"}, "longitude", "INVALID_LONGITUDE"),
        ({"longitude": None}, "longitude", "INVALID_LOCATION"),
        ({"country": "QQ"}, "country", "INVALID_COUNTRY"),
        ({"phone": "0812"}, "phone", "INVALID_PHONE"),
        ({"phone": "bukan nomor"}, "phone", "INVALID_PHONE"),
        ({"displayName": ""}, "displayName", "REQUIRED"),
    ],
)
async def test_bad_application_is_a_user_error_and_writes_nothing(gql, changes, field, code):
    token = access_token(await make_user())
    data = await gql(APPLY, {"input": {**VALID, **changes}}, token=token)
    assert data["tailorApply"] == {"tailor": None, "errors": [{"field": field, "code": code}]}
    assert await Tailor.all().count() == 0
    assert await Event.all().count() == 0


async def test_one_live_tailor_application_per_user(gql):
    token = access_token(await make_user())
    assert (await gql(APPLY, {"input": VALID}, token=token))["tailorApply"]["errors"] == []
    again = await gql(APPLY, {"input": {**VALID, "displayName": "Lagi"}}, token=token)
    assert again["tailorApply"]["errors"] == [{"field": None, "code": "ALREADY_APPLIED"}]
    assert await Tailor.all().count() == 1


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"validUntil": str(TODAY - timedelta(days=401))}, "validUntil", "INVALID_DATES"),
        ({"validUntil": CERTIFICATE["issuedOn"]}, "validUntil", "INVALID_DATES"),
        ({"issuedOn": str(TODAY + timedelta(days=1))}, "issuedOn", "INVALID_DATES"),
        ({"kkniLevel": 10}, "kkniLevel", "INVALID_KKNI_LEVEL"),
        ({"kkniLevel": 0}, "kkniLevel", "INVALID_KKNI_LEVEL"),
        ({"competencyUnits": [{"code": "MENJAHIT-1", "title": "x"}]}, "competencyUnits", "INVALID_COMPETENCY_UNIT"),
        ({"competencyUnits": [{"code": "GAR.CM02.3.01", "title": "x"}]}, "competencyUnits", "INVALID_COMPETENCY_UNIT"),
        ({"documentUrl": "javascript:alert(1)"}, "documentUrl", "INVALID_URL"),
        ({"certificateNumber": " "}, "certificateNumber", "REQUIRED"),
    ],
)
async def test_bad_certificate_is_a_user_error_and_writes_nothing(gql, changes, field, code):
    _, token = await make_tailor()
    data = await gql(CERTIFY, {"input": {**CERTIFICATE, **changes}}, token=token)
    assert data["tailorCertificationAdd"] == {"certification": None, "errors": [{"field": field, "code": code}]}
    assert await Certification.all().count() == 0
    assert await Event.all().count() == 0


async def test_a_certificate_number_is_unique_per_scheme(gql):
    _, token = await make_tailor()
    _, other = await make_tailor(name="Penjahit Budi")
    assert (await gql(CERTIFY, {"input": CERTIFICATE}, token=token))["tailorCertificationAdd"]["errors"] == []
    respaced = {**CERTIFICATE, "certificateNumber": "lsp-gar  2024 00123"}
    for caller in (token, other):
        data = await gql(CERTIFY, {"input": respaced}, token=caller)
        assert data["tailorCertificationAdd"]["errors"] == [
            {"field": "certificateNumber", "code": "CERTIFICATE_EXISTS"}
        ]
    other_scheme = {**CERTIFICATE, "scheme": "BNSP Tata Busana"}
    assert (await gql(CERTIFY, {"input": other_scheme}, token=other))["tailorCertificationAdd"]["errors"] == []
    assert await Certification.all().count() == 2


async def test_a_verified_certificate_of_one_tailor_cannot_be_touched_by_another(gql):
    tailor_a, token_a = await make_tailor()
    certificate = await make_certification(tailor_a, "A-001")
    _, token_b = await make_tailor(name="Penjahit Budi")
    id = gid("Certification", certificate.id)
    before = await state()
    for query in (VERIFY, CERT_REJECT):
        assert (await gql.error(query, {"id": id}, token=token_b))["extensions"]["code"] == "FORBIDDEN"
    claim = {**CERTIFICATE, "scheme": certificate.scheme, "certificateNumber": "A-001"}
    taken = await gql(CERTIFY, {"input": claim}, token=token_b)
    assert taken["tailorCertificationAdd"]["errors"] == [{"field": "certificateNumber", "code": "CERTIFICATE_EXISTS"}]
    seen = "query($id: ID!) { node(id: $id) { ... on Certification { status } } }"
    assert (await gql(seen, {"id": id}, token=token_b))["node"] is None
    assert (await gql(seen, {"id": id}, token=token_a))["node"] == {"status": "VERIFIED"}
    assert await state() == before


async def test_only_tailors_add_certificates(gql):
    customer = access_token(await make_user())
    error = await gql.error(CERTIFY, {"input": CERTIFICATE}, token=customer)
    assert error["extensions"]["code"] == "FORBIDDEN"
    assert (await gql.error(CERTIFY, {"input": CERTIFICATE}))["extensions"]["code"] == "UNAUTHENTICATED"
    _, rejected = await make_tailor(ActorStatus.REJECTED)
    data = await gql(CERTIFY, {"input": CERTIFICATE}, token=rejected)
    assert data["tailorCertificationAdd"]["errors"] == [{"field": None, "code": "INVALID_STATUS"}]
    assert await Certification.all().count() == 0


async def test_decisions_follow_the_status_machine(gql):
    _, admin = await make_admin()
    tailor, _ = await make_tailor(ActorStatus.APPLIED)
    id = gid("Tailor", tailor.id)
    assert (await gql(SUSPEND, {"id": id}, token=admin))["tailorSuspend"]["errors"] == [
        {"field": "id", "code": "INVALID_STATUS"}
    ]
    rejected = await gql(REJECT, {"id": id}, token=admin)
    assert rejected["tailorReject"]["tailor"] == {"status": "REJECTED", "statusReason": "incomplete"}
    assert (await gql(APPROVE, {"id": id}, token=admin))["tailorApprove"]["errors"] == [
        {"field": "id", "code": "INVALID_STATUS"}
    ]
    unknown = await gql(APPROVE, {"id": gid("Tailor", 999999)}, token=admin)
    assert unknown["tailorApprove"]["errors"] == [{"field": "id", "code": "NOT_FOUND"}]
    approved, _ = await make_tailor(name="Penjahit Citra")
    suspended = await gql(SUSPEND, {"id": gid("Tailor", approved.id)}, token=admin)
    assert suspended["tailorSuspend"]["tailor"] == {"status": "SUSPENDED", "statusReason": "quality"}
    reinstated = await gql(APPROVE, {"id": gid("Tailor", approved.id)}, token=admin)
    assert reinstated["tailorApprove"]["tailor"] == {"status": "APPROVED"}


async def test_concurrent_decisions_leave_exactly_one(gql):
    _, admin = await make_admin()
    tailor, _ = await make_tailor(ActorStatus.APPLIED)
    certificate = await make_certification(tailor, "RACE-1", status=CertificationStatus.PENDING)
    results = await asyncio.gather(
        gql(APPROVE, {"id": gid("Tailor", tailor.id)}, token=admin),
        gql(APPROVE, {"id": gid("Tailor", tailor.id)}, token=admin),
        gql(VERIFY, {"id": gid("Certification", certificate.id)}, token=admin),
        gql(CERT_REJECT, {"id": gid("Certification", certificate.id)}, token=admin),
    )
    tailor_errors = sorted((r["tailorApprove"]["errors"] for r in results[:2]), key=len)
    assert tailor_errors == [[], [{"field": "id", "code": "INVALID_STATUS"}]]
    certificate_errors = [
        results[2]["tailorCertificationVerify"]["errors"],
        results[3]["tailorCertificationReject"]["errors"],
    ]
    assert sorted(certificate_errors, key=len) == [[], [{"field": "id", "code": "INVALID_STATUS"}]]
    assert await Event.filter(type="tailor.approved").count() == 1
    assert await Event.filter(type__startswith="tailor.certification_").count() == 1


ADMIN_OPERATIONS = [
    ("tailorApprove", APPROVE, "Tailor"),
    ("tailorReject", REJECT, "Tailor"),
    ("tailorSuspend", SUSPEND, "Tailor"),
    ("tailorCertificationVerify", VERIFY, "Certification"),
    ("tailorCertificationReject", CERT_REJECT, "Certification"),
    ("tailors", "query($id: ID!) { tailors { edges { node { id } } } node(id: $id) { id } }", "Tailor"),
]


@pytest.mark.parametrize(("name", "query", "kind"), ADMIN_OPERATIONS, ids=[op[0] for op in ADMIN_OPERATIONS])
@pytest.mark.parametrize("caller", ["anonymous", "customer", "the_tailor"])
async def test_admin_operations_are_refused_to_others_and_change_nothing(gql, name, query, kind, caller):
    applied, own_token = await make_tailor(ActorStatus.APPLIED)
    certificate = await make_certification(applied, "P-1", status=CertificationStatus.PENDING)
    if name == "tailorSuspend":
        await Tailor.filter(id=applied.id).update(status=ActorStatus.APPROVED)
    tokens = {"anonymous": None, "customer": access_token(await make_user()), "the_tailor": own_token}
    target = applied.id if kind == "Tailor" else certificate.id
    before = await state()
    error = await gql.error(query, {"id": gid(kind, target)}, token=tokens[caller])
    assert error["extensions"]["code"] == ("UNAUTHENTICATED" if caller == "anonymous" else "FORBIDDEN")
    assert error["path"] == [name]
    assert await state() == before


async def test_listing_tailors_needs_manage_orders_in_some_brand(gql):
    await make_tailor()
    brand = await make_brand("sekar")
    cms = "lini_app_storefront-only"
    await AppToken.create(
        brand=brand,
        name="cms",
        token_hash=token_hash(cms),
        token_prefix="lini_app_s",
        permissions=["MANAGE_STOREFRONT"],
    )
    assert (await gql.error(LIST, {}, token=cms))["extensions"]["code"] == "FORBIDDEN"
    orders = "lini_app_orders"
    await AppToken.create(
        brand=brand, name="erp", token_hash=token_hash(orders), token_prefix="lini_app_o", permissions=["MANAGE_ORDERS"]
    )
    assert len((await gql(LIST, {}, token=orders))["tailors"]["edges"]) == 1


async def test_filters_find_tailors_by_garment_certification_city_and_name(gql):
    _, admin = await make_admin()
    ani, _ = await make_tailor(name="Penjahit Ani", garment_types=["GAMIS", "BAJU_KOKO"], city="Bandung")
    budi, _ = await make_tailor(name="Konveksi Budi", garment_types=["SHIRT", "TROUSERS"], city="Solo")
    citra, _ = await make_tailor(name="Citra Kebaya", garment_types=["KEBAYA"], city="bandung")
    await make_tailor(ActorStatus.APPLIED, name="Dewi Baru", garment_types=["GAMIS"], city="Solo")
    await make_certification(ani, "C-1")
    await make_certification(budi, "C-2", status=CertificationStatus.PENDING)
    await make_certification(citra, "C-3", valid_until=TODAY - timedelta(days=1))

    async def names(filter: dict[str, Any]) -> list[str]:
        data = await gql(LIST, {"filter": filter}, token=admin)
        return [e["node"]["displayName"] for e in data["tailors"]["edges"]]

    assert await names({"garmentType": "GAMIS"}) == ["Dewi Baru", "Penjahit Ani"]
    assert await names({"garmentType": "baju_koko"}) == ["Penjahit Ani"]
    assert await names({"garmentType": "SHIRT"}) == ["Konveksi Budi"]
    assert await names({"garmentType": "SKIRT"}) == []
    assert await names({"certified": True}) == ["Penjahit Ani"]
    assert await names({"certified": False}) == ["Dewi Baru", "Citra Kebaya", "Konveksi Budi"]
    assert await names({"city": "BANDUNG"}) == ["Citra Kebaya", "Penjahit Ani"]
    assert await names({"search": "konveksi"}) == ["Konveksi Budi"]
    assert await names({"status": "APPLIED", "garmentType": "GAMIS"}) == ["Dewi Baru"]
    assert await names({"certified": True, "garmentType": "BAJU_KOKO", "city": "Bandung"}) == ["Penjahit Ani"]
    bad = await gql.error(LIST, {"filter": {"garmentType": "SARUNG"}}, token=admin)
    assert bad["extensions"] == {"code": "INVALID_GARMENT_TYPE", "field": "filter.garmentType"}


async def test_brand_staff_who_place_orders_see_approved_tailors_only(gql):
    approved, _ = await make_tailor(name="Penjahit Ani")
    applied, _ = await make_tailor(ActorStatus.APPLIED, name="Dewi Baru")
    _, staff = await make_staff(await make_brand("sekar"), StaffRole.STAFF)
    data = await gql(LIST, {"filter": {}}, token=staff)
    assert [e["node"]["displayName"] for e in data["tailors"]["edges"]] == ["Penjahit Ani"]
    assert (await gql(LIST, {"filter": {"status": "APPLIED"}}, token=staff))["tailors"]["edges"] == []
    node = "query($id: ID!) { node(id: $id) { ... on Tailor { displayName } } }"
    assert (await gql(node, {"id": gid("Tailor", approved.id)}, token=staff))["node"] == {"displayName": "Penjahit Ani"}
    assert (await gql(node, {"id": gid("Tailor", applied.id)}, token=staff))["node"] is None


async def test_a_page_of_50_tailors_with_certificates_costs_what_a_page_of_5_does(gql, sql_counter):
    _, admin = await make_admin()
    user = await make_user()
    await Tailor.bulk_create(
        [
            Tailor(user=user, kind=TailorKind.INDIVIDUAL, display_name=f"Penjahit {i:02d}", city="Bandung")
            for i in range(60)
        ]
    )
    tailors = await Tailor.all()
    await Certification.bulk_create(
        [
            Certification(
                tailor=t,
                scheme="SKKNI",
                certificate_number=f"N-{t.id}-{j}",
                lsp="LSP",
                issued_on=TODAY - timedelta(days=10),
                valid_until=TODAY + timedelta(days=10 - 15 * j),
                status=CertificationStatus.VERIFIED,
            )
            for t in tailors
            for j in range(2)
        ]
    )
    with sql_counter.counting() as small:
        five = await gql(PAGE, {"first": 5}, token=admin)
    with sql_counter.counting() as large:
        fifty = await gql(PAGE, {"first": 50}, token=admin)
    assert len(five["tailors"]["edges"]) == 5 and len(fifty["tailors"]["edges"]) == 50
    node = fifty["tailors"]["edges"][49]["node"]
    assert node["isCertified"] is True and sorted(c["isValid"] for c in node["certifications"]) == [False, True]
    assert len(small) == len(large), large
    # the caller (account, staff roles, supplier and tailor profiles), the page, its certificates
    assert len(large) == 6, large
