"""Customers' measurement profiles over GraphQL: saved and checked against the garment type's schema (cm or
inches), versioned on every change, soft-deleted, and never visible to anyone but their owner."""

from __future__ import annotations

from typing import Any

import pytest

from core.events import Event
from core.garments.models import MeasurementProfile, MeasurementProfileVersion
from tests.factories import access_token, make_admin, make_brand, make_staff, make_user

CREATE = """mutation($input: MeasurementProfileCreateInput!) { measurementProfileCreate(input: $input) {
  measurementProfile { id name version measuredBy notes garmentType { code name }
                       measurements { code cm label } }
  errors { field code message } } }"""
UPDATE = """mutation($id: ID!, $input: MeasurementProfileUpdateInput!) {
  measurementProfileUpdate(id: $id, input: $input) {
  measurementProfile { id name version measuredBy notes measurements { code cm } } errors { field code } } }"""
DELETE = "mutation($id: ID!) { measurementProfileDelete(id: $id) { deletedId errors { field code } } }"
ME = """query($garmentType: String) { me { measurementProfiles(garmentType: $garmentType) {
  id name version garmentType { code measurementFields { code } } measurements { code cm }
  versions { version measuredBy notes measurements { code cm } } } } }"""

GAMIS = [
    {"code": "LINGKAR_BADAN", "value": "92"},
    {"code": "LINGKAR_PINGGANG", "value": "76.5"},
    {"code": "LINGKAR_PANGGUL", "value": "100"},
    {"code": "LEBAR_BAHU", "value": "38"},
    {"code": "PANJANG_LENGAN", "value": "56"},
    {"code": "LINGKAR_LENGAN", "value": "28"},
    {"code": "PANJANG_BAJU", "value": "138"},
]


def gamis(**changes: Any) -> dict[str, Any]:
    return {"garmentType": "GAMIS", "name": "Gamis lebaran", "measurements": GAMIS, **changes}


async def customer() -> str:
    return access_token(await make_user())


async def state() -> list[Any]:
    profiles = await MeasurementProfile.all().order_by("id").values_list("id", "name", "current_version", "deleted_at")
    versions = await MeasurementProfileVersion.all().order_by("id").values_list("profile_id", "version", "values")
    return [*profiles, *versions, await Event.all().count()]


async def test_save_change_and_read_back_with_history(gql):
    token = await customer()
    created = await gql(CREATE, {"input": gamis(notes="Diukur sendiri di rumah")}, token=token)
    profile = created["measurementProfileCreate"]["measurementProfile"]
    assert created["measurementProfileCreate"]["errors"] == []
    assert (profile["version"], profile["measuredBy"], profile["garmentType"]["code"]) == (1, "SELF", "GAMIS")
    assert profile["measurements"][1] == {"code": "LINGKAR_PINGGANG", "cm": "76.50", "label": "Waist"}

    changed = await gql(
        UPDATE,
        {"id": profile["id"], "input": {"measurements": [*GAMIS[:-1], {"code": "PANJANG_BAJU", "value": "140"}],
                                        "measuredBy": "TAILOR", "notes": "Diukur Bu Ani"}},
        token=token,
    )  # fmt: skip
    updated = changed["measurementProfileUpdate"]["measurementProfile"]
    assert (updated["version"], updated["measuredBy"], updated["notes"]) == (2, "TAILOR", "Diukur Bu Ani")
    assert updated["measurements"][-1] == {"code": "PANJANG_BAJU", "cm": "140.00"}

    renamed = await gql(UPDATE, {"id": profile["id"], "input": {"name": "Gamis kerja"}}, token=token)
    assert renamed["measurementProfileUpdate"]["measurementProfile"]["version"] == 2  # a name is not a version
    notes_only = await gql(UPDATE, {"id": profile["id"], "input": {"notes": "Setelah diet"}}, token=token)
    latest = notes_only["measurementProfileUpdate"]["measurementProfile"]
    assert latest["version"] == 3 and latest["measurements"][-1]["cm"] == "140.00"  # values carried over

    mine = (await gql(ME, token=token))["me"]["measurementProfiles"]
    assert [(p["name"], p["version"]) for p in mine] == [("Gamis kerja", 3)]
    history = mine[0]["versions"]
    assert [(v["version"], v["measuredBy"], v["notes"]) for v in history] == [
        (3, "TAILOR", "Setelah diet"),
        (2, "TAILOR", "Diukur Bu Ani"),
        (1, "SELF", "Diukur sendiri di rumah"),
    ]
    assert history[2]["measurements"][-1] == {"code": "PANJANG_BAJU", "cm": "138.00"}  # version 1 untouched
    assert [f["code"] for f in mine[0]["garmentType"]["measurementFields"]][:2] == ["LINGKAR_BADAN", "LINGKAR_PINGGANG"]


async def test_inches_are_converted_to_centimetres(gql):
    token = await customer()
    trousers = [
        {"code": "LINGKAR_PINGGANG", "value": "32"},
        {"code": "LINGKAR_PANGGUL", "value": "40"},
        {"code": "LINGKAR_PESAK", "value": "27.5"},
        {"code": "LINGKAR_PAHA", "value": "23"},
        {"code": "PANJANG_CELANA", "value": "40.25"},
    ]
    made = await gql(
        CREATE, {"input": {"garmentType": "TROUSERS", "name": "Celana", "measurements": trousers, "unit": "INCH"}},
        token=token,
    )  # fmt: skip
    values = made["measurementProfileCreate"]["measurementProfile"]["measurements"]
    assert [(v["code"], v["cm"]) for v in values] == [
        ("LINGKAR_PINGGANG", "81.28"),
        ("LINGKAR_PANGGUL", "101.60"),
        ("LINGKAR_PESAK", "69.85"),
        ("LINGKAR_PAHA", "58.42"),
        ("PANJANG_CELANA", "102.24"),  # 102.235 rounds half-up
    ]


@pytest.mark.parametrize(
    ("input", "errors"),
    [
        (gamis(measurements=GAMIS[1:]), [("measurements.LINGKAR_BADAN", "MEASUREMENT_REQUIRED")]),
        (
            gamis(measurements=[{"code": "LINGKAR_BADAN", "value": "9.2"}, *GAMIS[1:]]),
            [("measurements.LINGKAR_BADAN", "MEASUREMENT_OUT_OF_RANGE")],
        ),
        (
            gamis(measurements=[*GAMIS, {"code": "LINGKAR_PESAK", "value": "70"}]),
            [("measurements.LINGKAR_PESAK", "UNKNOWN_MEASUREMENT")],
        ),
        (  # centimetre values sent as inches: every one is out of range once converted
            gamis(unit="INCH"),
            [(f"measurements.{m['code']}", "MEASUREMENT_OUT_OF_RANGE") for m in GAMIS],
        ),
        (gamis(garmentType="JUBAH_RAJA"), [("garmentType", "NOT_FOUND")]),
        (gamis(name=""), [("name", "INVALID_NAME")]),
        (gamis(notes="x" * 2001), [("notes", "TOO_LONG")]),
        (
            gamis(name="", measurements=[{"code": "LINGKAR_BADAN", "value": "400"}, *GAMIS[2:]]),
            [
                ("name", "INVALID_NAME"),
                ("measurements.LINGKAR_BADAN", "MEASUREMENT_OUT_OF_RANGE"),
                ("measurements.LINGKAR_PINGGANG", "MEASUREMENT_REQUIRED"),
            ],
        ),
    ],
)
async def test_bad_measurements_are_typed_errors_per_field_and_nothing_is_written(gql, input, errors):
    token = await customer()
    before = await state()
    result = (await gql(CREATE, {"input": input}, token=token))["measurementProfileCreate"]
    assert result["measurementProfile"] is None
    assert [(e["field"], e["code"]) for e in result["errors"]] == errors
    assert await state() == before


async def test_a_bad_update_adds_no_version(gql):
    token = await customer()
    made = (await gql(CREATE, {"input": gamis()}, token=token))["measurementProfileCreate"]["measurementProfile"]
    before = await state()
    bad = {"measurements": [{"code": "LINGKAR_BADAN", "value": "0"}, *GAMIS[1:]], "name": "Baru"}
    result = (await gql(UPDATE, {"id": made["id"], "input": bad}, token=token))["measurementProfileUpdate"]
    assert result["errors"] == [{"field": "measurements.LINGKAR_BADAN", "code": "MEASUREMENT_OUT_OF_RANGE"}]
    assert await state() == before


async def test_delete_is_soft_and_hides_the_profile(gql):
    token = await customer()
    made = (await gql(CREATE, {"input": gamis()}, token=token))["measurementProfileCreate"]["measurementProfile"]
    deleted = (await gql(DELETE, {"id": made["id"]}, token=token))["measurementProfileDelete"]
    assert deleted == {"deletedId": made["id"], "errors": []}
    assert (await gql(ME, token=token))["me"]["measurementProfiles"] == []
    stored = await MeasurementProfile.get()
    assert stored.deleted_at is not None
    assert await MeasurementProfileVersion.filter(profile_id=stored.id).count() == 1  # orders keep it
    again = (await gql(DELETE, {"id": made["id"]}, token=token))["measurementProfileDelete"]
    assert again["errors"] == [{"field": "id", "code": "NOT_FOUND"}]
    changed = (await gql(UPDATE, {"id": made["id"], "input": {"name": "x"}}, token=token))["measurementProfileUpdate"]
    assert changed["errors"] == [{"field": "id", "code": "NOT_FOUND"}]


async def test_nobody_else_sees_or_changes_a_customers_profiles(gql):
    owner = await customer()
    made = (await gql(CREATE, {"input": gamis()}, token=owner))["measurementProfileCreate"]["measurementProfile"]
    stranger = await customer()
    _, admin = await make_admin()
    _, staff = await make_staff(await make_brand())
    before = await state()
    for token in (stranger, admin, staff):
        assert (await gql(ME, token=token))["me"]["measurementProfiles"] == []
        node = "query($id: ID!) { node(id: $id) { ... on MeasurementProfile { name } } }"
        assert (await gql(node, {"id": made["id"]}, token=token))["node"] is None
        for query, variables in (
            (UPDATE, {"id": made["id"], "input": {"name": "dicuri"}}),
            (DELETE, {"id": made["id"]}),
        ):
            payload = next(iter((await gql(query, variables, token=token)).values()))
            assert payload["errors"] == [{"field": "id", "code": "NOT_FOUND"}]
    assert await state() == before
    error = await gql.error(CREATE, {"input": gamis()})
    assert error["extensions"]["code"] == "UNAUTHENTICATED"


async def test_profiles_filtered_by_garment_type(gql):
    token = await customer()
    await gql(CREATE, {"input": gamis()}, token=token)
    shirt = [
        {"code": c, "value": v}
        for c, v in (("LINGKAR_LEHER", "39"), ("LINGKAR_BADAN", "100"), ("LINGKAR_PINGGANG", "88"),
                     ("LEBAR_BAHU", "45"), ("PANJANG_LENGAN", "60"), ("LINGKAR_LENGAN", "32"), ("PANJANG_BAJU", "74"))
    ]  # fmt: skip
    made = await gql(CREATE, {"input": {"garmentType": "shirt", "name": "Kemeja", "measurements": shirt}}, token=token)
    assert made["measurementProfileCreate"]["errors"] == []
    only = (await gql(ME, {"garmentType": "SHIRT"}, token=token))["me"]["measurementProfiles"]
    assert [p["name"] for p in only] == ["Kemeja"]


async def test_the_profile_list_costs_the_same_queries_for_3_or_30(gql, sql_counter):
    token = await customer()

    async def add(n: int) -> None:
        for i in range(n):
            await gql(CREATE, {"input": gamis(name=f"Profil {i}")}, token=token)

    async def count() -> int:
        with sql_counter.counting() as statements:
            listed = (await gql(ME, token=token))["me"]["measurementProfiles"]
        assert all(p["versions"] for p in listed)
        return len(statements)

    await add(3)
    few = await count()
    await add(27)
    assert await count() == few
