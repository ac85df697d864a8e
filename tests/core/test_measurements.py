"""The measurement interfaces other parts of made-to-measure build on: checking values against a garment
type's schema (cm and inches), which types a brand sees, a customer's current profile version, and currency
conversion with the platform's rates."""

from __future__ import annotations

import asyncio
from decimal import Decimal

import pytest

from core.context import SYSTEM, Actor, ActorKind
from core.errors import DomainError, DomainErrors
from core.garments import measurements, profiles, rates, types
from core.garments.catalogue import BUILT_IN, LANGUAGES
from core.garments.models import (
    ExchangeRate,
    GarmentType,
    MeasurementField,
    MeasurementProfile,
    MeasurementProfileVersion,
)
from tests.factories import make_brand, make_user

D = Decimal


def field(code: str, low: int, high: int, *, required: bool = True, position: int = 0) -> MeasurementField:
    return MeasurementField(
        code=code, labels={"en": code.title()}, min_cm=D(low), max_cm=D(high), required=required, position=position
    )


def schema() -> list[MeasurementField]:
    return [
        field("LINGKAR_BADAN", 60, 170, position=0),
        field("LINGKAR_PINGGANG", 45, 160, position=1),
        field("LINGKAR_LENGAN", 18, 60, required=False, position=2),
    ]


def codes(error: DomainErrors) -> list[tuple[str, str | None]]:
    return [(e.code, e.field) for e in error.errors]


# --- validate ---------------------------------------------------------------------------------------------


@pytest.mark.engine_independent
def test_values_come_back_in_field_order_as_cm_strings_with_two_decimals():
    result = measurements.validate(schema(), [("lingkar_pinggang", D("80")), ("LINGKAR_BADAN", D("96.5"))])
    assert result == [{"code": "LINGKAR_BADAN", "cm": "96.50"}, {"code": "LINGKAR_PINGGANG", "cm": "80.00"}]


@pytest.mark.engine_independent
def test_inches_are_converted_and_rounded_half_up_to_a_hundredth_of_a_cm():
    # 38 in = 96.52 cm, 31.5 in = 80.01 cm, 7.125 in = 18.0975 → 18.10 cm (half-up)
    result = measurements.validate(
        schema(), [("LINGKAR_BADAN", D("38")), ("LINGKAR_PINGGANG", D("31.5")), ("LINGKAR_LENGAN", D("7.125"))], "INCH"
    )
    assert [r["cm"] for r in result] == ["96.52", "80.01", "18.10"]
    assert measurements.to_cm(D("0.25"), "INCH") == D("0.64")  # 0.635 cm: a true half rounds up
    assert measurements.to_cm(D("80.125"), "CM") == D("80.13")


@pytest.mark.engine_independent
def test_the_range_is_checked_after_conversion():
    # 24 in = 60.96 cm is inside [60, 170]; 23.6 in = 59.94 cm is not
    measurements.validate(schema(), [("LINGKAR_BADAN", D("24")), ("LINGKAR_PINGGANG", D("20"))], "inch")
    with pytest.raises(DomainErrors) as raised:
        measurements.validate(schema(), [("LINGKAR_BADAN", D("23.6")), ("LINGKAR_PINGGANG", D("20"))], "INCH")
    assert codes(raised.value) == [("MEASUREMENT_OUT_OF_RANGE", "measurements.LINGKAR_BADAN")]


@pytest.mark.engine_independent
def test_bounds_are_inclusive():
    result = measurements.validate(schema(), [("LINGKAR_BADAN", D("60")), ("LINGKAR_PINGGANG", D("160.00"))])
    assert result[0]["cm"] == "60.00"


@pytest.mark.engine_independent
def test_one_error_per_bad_field_all_at_once():
    with pytest.raises(DomainErrors) as raised:
        measurements.validate(
            schema(), [("LINGKAR_BADAN", D("960")), ("LINGKAR_LEHER", D("38")), ("LINGKAR_LENGAN", D("-3"))]
        )
    assert codes(raised.value) == [
        ("MEASUREMENT_OUT_OF_RANGE", "measurements.LINGKAR_BADAN"),
        ("UNKNOWN_MEASUREMENT", "measurements.LINGKAR_LEHER"),
        ("MEASUREMENT_OUT_OF_RANGE", "measurements.LINGKAR_LENGAN"),
        ("MEASUREMENT_REQUIRED", "measurements.LINGKAR_PINGGANG"),
    ]


@pytest.mark.engine_independent
@pytest.mark.parametrize("value", [D("0"), D("NaN"), D("Infinity"), D("1E+30"), 96.5, "abc"])
def test_nonsense_values_are_out_of_range(value):
    with pytest.raises(DomainErrors) as raised:
        measurements.validate(schema(), [("LINGKAR_BADAN", value), ("LINGKAR_PINGGANG", D("80"))])
    assert codes(raised.value) == [("MEASUREMENT_OUT_OF_RANGE", "measurements.LINGKAR_BADAN")]


@pytest.mark.engine_independent
def test_a_code_given_twice_and_an_unknown_unit_are_refused():
    with pytest.raises(DomainErrors) as raised:
        measurements.validate(
            schema(), [("LINGKAR_BADAN", D("90")), ("LINGKAR_BADAN", D("91")), ("LINGKAR_PINGGANG", D("80"))]
        )
    assert codes(raised.value) == [("DUPLICATE_MEASUREMENT", "measurements.LINGKAR_BADAN")]
    with pytest.raises(DomainErrors) as raised:
        measurements.validate(schema(), [("LINGKAR_BADAN", D("90"))], "MM")
    assert codes(raised.value) == [("INVALID_UNIT", "unit")]


@pytest.mark.engine_independent
def test_the_catalogue_is_complete_and_sane():
    assert [t.code for t in BUILT_IN] == [
        "SHIRT", "TROUSERS", "GAMIS", "ABAYA", "BAJU_KOKO", "KEBAYA", "TUNIK", "MUKENA"
    ]  # fmt: skip
    for garment in BUILT_IN:
        assert set(garment.names) == set(LANGUAGES), garment.code
        assert len({f.code for f in garment.fields}) == len(garment.fields), garment.code
        assert any(f.required for f in garment.fields)
        for f in garment.fields:
            assert set(f.labels) == set(LANGUAGES) and all(f.labels.values()), f.code
            assert f.hints.get("id") and f.hints.get("en"), f.code
            assert D(0) < f.min_cm < f.max_cm <= D(200), f.code
            assert ";" not in "".join([*f.labels.values(), *f.hints.values()])
    trousers = next(t for t in BUILT_IN if t.code == "TROUSERS")
    assert {"LINGKAR_PESAK", "LINGKAR_PAHA", "PANJANG_CELANA"} <= {f.code for f in trousers.fields}


# --- garment types in the database (inserted by migration 0008) -------------------------------------------


async def test_the_migration_inserted_every_built_in_with_its_schema(app):
    stored = {t.code: t for t in await GarmentType.filter(brand_id=None)}
    assert set(stored) == {t.code for t in BUILT_IN}
    gamis = next(t for t in BUILT_IN if t.code == "GAMIS")
    fields = await types.fields_of(stored["GAMIS"].id)
    assert [(f.code, f.min_cm, f.max_cm, f.required) for f in fields] == [
        (f.code, f.min_cm, f.max_cm, f.required) for f in gamis.fields
    ]
    assert stored["GAMIS"].names["id"] == "Gamis" and fields[0].hints["id"]


async def test_a_brand_sees_built_ins_and_its_own_types_only(app):
    brand, other = await make_brand(), await make_brand()
    own = await GarmentType.create(brand=brand, code="KAFTAN", names={"en": "Kaftan"})
    await GarmentType.create(brand=other, code="SARUNG", names={"en": "Sarong"})
    assert {t.code for t in await types.visible_types(brand.id)} == {t.code for t in BUILT_IN} | {"KAFTAN"}
    assert {t.code for t in await types.visible_types(None)} == {t.code for t in BUILT_IN}
    assert (await types.get_type("kaftan", brand.id)).id == own.id
    assert (await types.get_type("GAMIS", brand.id)).brand_id is None
    for code, brand_id in (("SARUNG", brand.id), ("KAFTAN", None), ("NOPE", brand.id)):
        with pytest.raises(DomainError) as raised:
            await types.get_type(code, brand_id)
        assert (raised.value.code, raised.value.field) == ("NOT_FOUND", "garmentType")


# --- profiles ---------------------------------------------------------------------------------------------


async def customer() -> Actor:
    user = await make_user()
    return Actor(kind=ActorKind.USER, user_id=user.id)


GAMIS_VALUES = [
    ("LINGKAR_BADAN", D("92")),
    ("LINGKAR_PINGGANG", D("76")),
    ("LINGKAR_PANGGUL", D("100")),
    ("LEBAR_BAHU", D("38")),
    ("PANJANG_LENGAN", D("56")),
    ("LINGKAR_LENGAN", D("28")),
    ("PANJANG_BAJU", D("138")),
]


async def test_version_for_gives_the_current_version_of_the_actors_live_profile(app):
    actor = await customer()
    profile, first = await profiles.create_profile(
        actor, garment_type="GAMIS", brand_id=None, name="Untuk lebaran", values=GAMIS_VALUES
    )
    _, second = await profiles.update_profile(actor, profile.id, values=[*GAMIS_VALUES[:-1], ("PANJANG_BAJU", D(140))])
    found = await profiles.version_for(actor, profile.id, profile.garment_type_id)
    assert (found.id, found.version) == (second.id, 2)
    assert {"code": "PANJANG_BAJU", "cm": "140.00"} in found.values
    assert first.values != second.values  # version 1 is untouched


async def test_version_for_refuses_others_deleted_and_mismatched_profiles(app):
    actor, stranger = await customer(), await customer()
    profile, _ = await profiles.create_profile(
        actor, garment_type="GAMIS", brand_id=None, name="Gamis", values=GAMIS_VALUES
    )
    shirt = await types.get_type("SHIRT", None)
    cases = [
        (stranger, profile.id, profile.garment_type_id, "PROFILE_NOT_FOUND"),
        (actor, profile.id + 1000, profile.garment_type_id, "PROFILE_NOT_FOUND"),
        (actor, profile.id, shirt.id, "PROFILE_GARMENT_MISMATCH"),
    ]
    for who, profile_id, type_id, code in cases:
        with pytest.raises(DomainError) as raised:
            await profiles.version_for(who, profile_id, type_id)
        assert (raised.value.code, raised.value.field) == (code, "measurementProfileId")
    await profiles.delete_profile(actor, profile.id)
    with pytest.raises(DomainError) as raised:
        await profiles.version_for(actor, profile.id, profile.garment_type_id)
    assert raised.value.code == "PROFILE_NOT_FOUND"
    assert await MeasurementProfile.filter(id=profile.id).exists()  # soft: orders keep their version


# --- exchange rates ---------------------------------------------------------------------------------------


async def test_convert_uses_the_direct_rate_then_the_inverse_and_never_rounds(app):
    await rates.set_rate(SYSTEM, base="MYR", quote="IDR", rate="3550.5")
    assert await rates.convert(D("12.25"), "MYR", "IDR") == D("43493.625")
    inverse = await rates.convert(D("100000"), "IDR", "MYR")
    assert inverse == D("100000") / D("3550.5") or abs(inverse - D("28.16504717645401")) < D("1e-12")
    assert await rates.convert(D("1.234"), "IDR", "IDR") == D("1.234")
    with pytest.raises(DomainError) as raised:
        await rates.convert(D("1"), "TRY", "IDR")
    assert (raised.value.code, raised.value.field) == ("NO_EXCHANGE_RATE", "currency")


async def test_a_direct_rate_wins_over_the_inverse_of_the_reverse(app):
    await rates.set_rate(SYSTEM, base="MYR", quote="IDR", rate="3500")
    await rates.set_rate(SYSTEM, base="IDR", quote="MYR", rate="0.0003")
    assert await rates.convert(D("10"), "IDR", "MYR") == D("0.003")
    await rates.set_rate(SYSTEM, base="IDR", quote="MYR", rate="0.00029")  # replaces, does not add
    assert await ExchangeRate.filter(base="IDR", quote="MYR").count() == 1
    assert await rates.convert(D("10"), "IDR", "MYR") == D("0.0029")


async def test_concurrent_edits_each_get_their_own_version(app):
    actor = await customer()
    profile, _ = await profiles.create_profile(
        actor, garment_type="GAMIS", brand_id=None, name="Gamis", values=GAMIS_VALUES
    )
    notes = [f"edit {i}" for i in range(4)]
    await asyncio.gather(*(profiles.update_profile(actor, profile.id, notes=n) for n in notes))
    versions = await MeasurementProfileVersion.filter(profile_id=profile.id).order_by("version")
    assert [v.version for v in versions] == [1, 2, 3, 4, 5]
    assert sorted(v.notes for v in versions[1:]) == notes
    assert (await MeasurementProfile.get(id=profile.id)).current_version == 5
