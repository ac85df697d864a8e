"""Garment types over GraphQL: the built-ins with their schemas in each language, brands' own types seen only
by that brand, new built-ins by platform administrators, and typed errors that change nothing."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from core.events import Event
from core.garments.catalogue import BUILT_IN
from core.garments.models import GarmentType, MeasurementField, MeasurementProfile
from tests.factories import access_token, make_admin, make_brand, make_staff, make_user

TYPES = """query($storefront: String, $brand: String, $language: String) {
  garmentTypes(storefront: $storefront, brand: $brand, language: $language) {
    id code name isBuiltIn names { language text }
    measurementFields { code label hint unit min max required } } }"""
CREATE = """mutation($input: GarmentTypeCreateInput!, $brand: String) {
  garmentTypeCreate(input: $input, brand: $brand) {
  garmentType { id code name isBuiltIn measurementFields { code label min max required } }
  errors { field code } } }"""
UPDATE = """mutation($id: ID!, $input: GarmentTypeUpdateInput!) { garmentTypeUpdate(id: $id, input: $input) {
  garmentType { code name measurementFields { code min max } } errors { field code } } }"""
DELETE = "mutation($id: ID!) { garmentTypeDelete(id: $id) { deletedId errors { field code } } }"

KAFTAN: dict[str, Any] = {
    "code": "KAFTAN",
    "names": [{"language": "id", "text": "Kaftan"}, {"language": "en", "text": "Kaftan dress"}],
    "measurementFields": [
        {
            "code": "LINGKAR_BADAN",
            "labels": [{"language": "id", "text": "Lingkar badan"}, {"language": "en", "text": "Chest"}],
            "hints": [{"language": "id", "text": "Bagian dada paling tebal."}],
            "min": "70",
            "max": "170",
        },
        {
            "code": "PANJANG_BAJU",
            "labels": [{"language": "id", "text": "Panjang baju"}],
            "min": "110",
            "max": "160",
            "required": False,
        },
    ],
}


def gid(type_name: str, id: int) -> str:
    return base64.b64encode(f"{type_name}:{id}".encode()).decode()


async def state() -> list[Any]:
    types = await GarmentType.all().order_by("id").values_list("id", "brand_id", "code", "names")
    fields = await MeasurementField.all().order_by("id").values_list("garment_type_id", "code", "min_cm", "max_cm")
    return [*types, *fields, await Event.all().count()]


async def test_the_built_ins_come_with_their_schemas_in_the_asked_language(gql):
    listed = (await gql(TYPES, {"language": "id"}))["garmentTypes"]
    assert [t["code"] for t in listed] == sorted(t.code for t in BUILT_IN)
    trousers = next(t for t in listed if t["code"] == "TROUSERS")
    assert trousers["name"] == "Celana panjang" and trousers["isBuiltIn"]
    pesak = next(f for f in trousers["measurementFields"] if f["code"] == "LINGKAR_PESAK")
    assert pesak["label"] == "Lingkar pesak" and pesak["unit"] == "CM" and pesak["required"]
    assert pesak["hint"].startswith("Ukur dari pinggang depan")
    assert {n["language"] for n in trousers["names"]} == {"id", "en", "ms", "tr", "ar"}

    english = (await gql(TYPES, {"language": "en"}))["garmentTypes"]
    gamis = next(t for t in english if t["code"] == "GAMIS")
    assert gamis["name"] == "Gamis (long dress)"
    chest = gamis["measurementFields"][0]
    assert (chest["code"], chest["label"], chest["min"], chest["max"]) == (
        "LINGKAR_BADAN",
        "Chest / bust",
        "65.00",
        "170.00",
    )
    arabic = (await gql(TYPES, headers={"Accept-Language": "ar"}))["garmentTypes"]
    assert next(t for t in arabic if t["code"] == "ABAYA")["name"] == "عباءة"
    turkish_hint = next(t for t in (await gql(TYPES, {"language": "tr"}))["garmentTypes"] if t["code"] == "SHIRT")
    assert turkish_hint["measurementFields"][0]["hint"]  # no Turkish hint: falls back to English


async def test_a_brand_adds_its_own_type_which_only_it_sees(gql):
    brand, other = await make_brand(), await make_brand()
    _, staff = await make_staff(brand)
    _, rival = await make_staff(other)
    created = (await gql(CREATE, {"input": KAFTAN}, token=staff, storefront=brand.slug))["garmentTypeCreate"]
    assert created["errors"] == []
    assert created["garmentType"]["isBuiltIn"] is False
    assert [f["code"] for f in created["garmentType"]["measurementFields"]] == ["LINGKAR_BADAN", "PANJANG_BAJU"]

    async def codes(**kwargs: Any) -> set[str]:
        return {t["code"] for t in (await gql(TYPES, **kwargs))["garmentTypes"]}

    assert "KAFTAN" in await codes(storefront=brand.slug)
    assert "KAFTAN" in await codes(variables={"brand": brand.slug}, token=staff)
    assert "KAFTAN" not in await codes(storefront=other.slug)
    assert "KAFTAN" not in await codes()
    assert "KAFTAN" not in await codes(variables={"brand": other.slug}, token=rival)
    kaftan_id = created["garmentType"]["id"]
    node = "query($id: ID!) { node(id: $id) { ... on GarmentType { code } } }"
    assert (await gql(node, {"id": kaftan_id}, token=rival))["node"] is None
    assert (await gql(node, {"id": kaftan_id}, token=staff))["node"] == {"code": "KAFTAN"}

    # Another brand cannot change or delete it: refused like a missing id.
    before = await state()
    for query, variables in (
        (UPDATE, {"id": kaftan_id, "input": {"names": [{"language": "en", "text": "Mine now"}]}}),
        (DELETE, {"id": kaftan_id}),
    ):
        payload = next(iter((await gql(query, variables, token=rival)).values()))
        assert payload["errors"] == [{"field": "id", "code": "NOT_FOUND"}]
    assert await state() == before


async def test_a_brand_cannot_see_another_brands_type_through_its_storefront_either(gql):
    brand, other = await make_brand(), await make_brand()
    _, staff = await make_staff(brand)
    await gql(CREATE, {"input": KAFTAN}, token=staff, storefront=brand.slug)
    user = await make_user()
    profile = """mutation($input: MeasurementProfileCreateInput!) { measurementProfileCreate(input: $input) {
      measurementProfile { id } errors { field code } } }"""
    variables = {
        "input": {"garmentType": "KAFTAN", "name": "x", "measurements": [{"code": "LINGKAR_BADAN", "value": "90"}]}
    }
    refused = await gql(profile, variables, token=access_token(user), storefront=other.slug)
    assert refused["measurementProfileCreate"]["errors"] == [{"field": "garmentType", "code": "NOT_FOUND"}]
    allowed = await gql(profile, variables, token=access_token(user), storefront=brand.slug)
    assert allowed["measurementProfileCreate"]["errors"] == []


async def test_platform_admins_add_built_ins_and_brands_cannot(gql):
    brand = await make_brand()
    _, staff = await make_staff(brand)
    _, admin = await make_admin()
    built_in = {**KAFTAN, "code": "JAS", "builtIn": True}
    refused = await gql.error(CREATE, {"input": built_in}, token=staff)
    assert refused["extensions"]["code"] == "FORBIDDEN"
    made = (await gql(CREATE, {"input": built_in}, token=admin))["garmentTypeCreate"]
    assert made["errors"] == [] and made["garmentType"]["isBuiltIn"]
    assert "JAS" in {t["code"] for t in (await gql(TYPES, storefront=brand.slug))["garmentTypes"]}
    # A brand cannot shadow a built-in code, and a built-in changed by staff is refused.
    taken = await gql(CREATE, {"input": {**KAFTAN, "code": "gamis"}}, token=staff, storefront=brand.slug)
    assert taken["garmentTypeCreate"]["errors"] == [{"field": "code", "code": "CODE_TAKEN"}]
    gamis = await GarmentType.get(code="GAMIS", brand_id=None)
    update = {"id": gid("GarmentType", gamis.id), "input": {"names": [{"language": "en", "text": "Robe"}]}}
    assert (await gql.error(UPDATE, update, token=staff))["extensions"]["code"] == "FORBIDDEN"
    changed = (await gql(UPDATE, update, token=admin))["garmentTypeUpdate"]
    assert changed["errors"] == [] and changed["garmentType"]["name"] == "Robe"
    assert (await gql.error(CREATE, {"input": KAFTAN}, token=None, storefront=brand.slug))["extensions"]["code"] == (
        "UNAUTHENTICATED"
    )


def _with_field(**changes: Any) -> dict[str, Any]:
    field = {**KAFTAN["measurementFields"][0], **changes}
    return {**KAFTAN, "measurementFields": [field, KAFTAN["measurementFields"][1]]}


@pytest.mark.parametrize(
    ("input", "errors"),
    [
        ({**KAFTAN, "code": "kaftan dress"}, [("code", "INVALID_CODE")]),
        ({**KAFTAN, "names": []}, [("names", "REQUIRED")]),
        (
            {**KAFTAN, "names": [{"language": "fr", "text": "Caftan"}]},
            [("names.fr", "INVALID_LANGUAGE"), ("names", "REQUIRED")],
        ),
        ({**KAFTAN, "measurementFields": []}, [("measurementFields", "REQUIRED")]),
        (_with_field(min="180"), [("measurementFields.0.max", "INVALID_RANGE")]),
        (_with_field(min="0"), [("measurementFields.0.min", "INVALID_MEASUREMENT_RANGE")]),
        (_with_field(max="500"), [("measurementFields.0.max", "INVALID_MEASUREMENT_RANGE")]),
        (_with_field(max="120.555"), [("measurementFields.0.max", "INVALID_MEASUREMENT_RANGE")]),
        (_with_field(code="PANJANG_BAJU"), [("measurementFields.1.code", "DUPLICATE_CODE")]),
        (_with_field(labels=[]), [("measurementFields.0.labels", "REQUIRED")]),
        (_with_field(hints=[{"language": "id", "text": "x" * 301}]), [("measurementFields.0.hints.id", "TOO_LONG")]),
    ],
)
async def test_bad_garment_types_are_typed_errors_and_nothing_is_written(gql, input, errors):
    brand = await make_brand()
    _, staff = await make_staff(brand)
    before = await state()
    result = (await gql(CREATE, {"input": input}, token=staff, storefront=brand.slug))["garmentTypeCreate"]
    assert result["garmentType"] is None
    assert [(e["field"], e["code"]) for e in result["errors"]] == errors
    assert await state() == before


async def test_replacing_a_schema_and_deleting_a_type_nobody_uses(gql):
    brand = await make_brand()
    _, staff = await make_staff(brand)
    made = (await gql(CREATE, {"input": KAFTAN}, token=staff, storefront=brand.slug))["garmentTypeCreate"]
    kaftan_id = made["garmentType"]["id"]
    new_fields = [
        {
            "code": "LINGKAR_PANGGUL",
            "labels": [{"language": "id", "text": "Lingkar panggul"}],
            "min": "70",
            "max": "180",
        }
    ]
    replaced = await gql(UPDATE, {"id": kaftan_id, "input": {"measurementFields": new_fields}}, token=staff)
    assert replaced["garmentTypeUpdate"]["garmentType"]["measurementFields"] == [
        {"code": "LINGKAR_PANGGUL", "min": "70.00", "max": "180.00"}
    ]
    kaftan = await GarmentType.get(code="KAFTAN")
    user = await make_user()
    profile = await MeasurementProfile.create(user=user, garment_type=kaftan, name="x")
    in_use = (await gql(DELETE, {"id": kaftan_id}, token=staff))["garmentTypeDelete"]
    assert in_use == {"deletedId": None, "errors": [{"field": "id", "code": "GARMENT_TYPE_IN_USE"}]}
    await profile.delete()
    deleted = (await gql(DELETE, {"id": kaftan_id}, token=staff))["garmentTypeDelete"]
    assert deleted == {"deletedId": kaftan_id, "errors": []}
    assert not await GarmentType.filter(code="KAFTAN").exists()


async def test_the_type_list_costs_the_same_queries_for_few_or_many(gql, sql_counter):
    brand = await make_brand()

    async def count() -> int:
        with sql_counter.counting() as statements:
            await gql(TYPES, storefront=brand.slug)
        return len(statements)

    few = await count()  # 8 built-ins
    for i in range(22):
        garment = await GarmentType.create(brand=brand, code=f"MODEL_{i:02d}", names={"en": f"Model {i}"})
        await MeasurementField.create(garment_type=garment, code="LINGKAR_BADAN", min_cm=60, max_cm=170, labels={})
    assert await count() == few


async def test_every_built_in_measurement_has_its_how_to_measure_hint_in_arabic(gql):
    arabic = (await gql(TYPES, {"language": "ar"}))["garmentTypes"]
    english = {
        (t["code"], f["code"]): f["hint"]
        for t in (await gql(TYPES, {"language": "en"}))["garmentTypes"]
        for f in t["measurementFields"]
    }
    hints = {(t["code"], f["code"]): f["hint"] for t in arabic if t["isBuiltIn"] for f in t["measurementFields"]}
    assert hints and all(hint and hint != english[key] for key, hint in hints.items())
    assert hints[("GAMIS", "LINGKAR_BADAN")].startswith("حول أعرض جزء من الصدر")


async def test_0020_gives_a_database_of_before_the_arabic_hints_and_keeps_an_admins_own(gql):
    """A database whose built-ins were inserted before the catalogue had Arabic hints gets them; one an
    administrator wrote is left, and reversing removes only the migration's own."""
    import importlib
    from types import SimpleNamespace

    from tortoise import connections

    step = importlib.import_module("core.migrations.0020_arabic_measurement_hints")
    built_in = await MeasurementField.filter(garment_type__brand_id=None).order_by("id")
    for row in built_in:
        row.hints = {lang: text for lang, text in row.hints.items() if lang != "ar"}
        await row.save(update_fields=["hints"])
    own = built_in[0]
    own.hints = {**own.hints, "ar": "قِس بنفسك"}
    await own.save(update_fields=["hints"])
    models = {"GarmentType": GarmentType, "MeasurementField": MeasurementField}
    apps = SimpleNamespace(get_model=lambda app, name: models[name])
    editor = SimpleNamespace(client=connections.get("default"))

    await step.add_arabic_hints(apps, editor)
    after = {row.id: row.hints.get("ar") for row in await MeasurementField.filter(garment_type__brand_id=None)}
    assert after[own.id] == "قِس بنفسك"
    assert all(after[row.id] == step.ARABIC[row.code] for row in built_in[1:])

    await step.remove_arabic_hints(apps, editor)
    undone = {row.id: row.hints.get("ar") for row in await MeasurementField.filter(garment_type__brand_id=None)}
    assert undone[own.id] == "قِس بنفسك" and all(undone[row.id] is None for row in built_in[1:])
