"""Garment types with their measurement schemas, and customers' measurement profiles, over GraphQL.

Texts (type names, measurement labels, how-to-measure hints) come in the asked language, falling back to
English, then Indonesian. A list resolver loads what its items show in a fixed number of queries.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from enum import Enum
from typing import Annotated, Any

import strawberry
from strawberry import relay
from strawberry.dataloader import DataLoader
from strawberry.types import Info

from core.actors import brands
from core.actors.models import Brand
from core.auth.permissions import Permission
from core.catalog.translations import SUPPORTED, negotiate
from core.errors import DomainError
from core.garments import profiles, types
from core.garments.models import GarmentType as GarmentTypeModel
from core.garments.models import MeasuredBy
from core.garments.models import MeasurementField as MeasurementFieldModel
from core.garments.models import MeasurementProfile as ProfileModel
from core.garments.models import MeasurementProfileVersion as VersionModel
from schema.arguments import BrandSlug, GarmentTypeId, MeasurementProfileId
from schema.enums import described_enum
from schema.errors import UserError, attempt
from schema.locale import Language, locale_for
from schema.permissions import PLATFORM_ADMIN, PUBLIC, SIGNED_IN, BrandPermission, guard
from schema.relay import decode_id

MANAGE_PRODUCTS = BrandPermission(Permission.MANAGE_PRODUCTS)
FALLBACK_LANGUAGES = ("en", "id")
CENTI = Decimal("0.01")  # cm are shown with two decimals, whichever database stored them

MeasuredByEnum = described_enum(
    MeasuredBy,
    name="MeasuredBy",
    description="Who took the measurements.",
    values={
        "SELF": "The customer, at home.",
        "TAILOR": "A tailor.",
        "STORE": "The brand's staff, in a store.",
    },
)


@strawberry.enum(description="The unit measurements are typed in; they are stored and shown in centimetres.")
class MeasurementUnit(Enum):
    CM = strawberry.enum_value("CM", description="Centimetres.")
    INCH = strawberry.enum_value("INCH", description="Inches, converted to centimetres (× 2.54) and stored as such.")


def text_in(texts: Mapping[str, str], language: str, default: str = "") -> str:
    for lang in (language, *FALLBACK_LANGUAGES):
        if texts.get(lang):
            return texts[lang]
    return next((t for t in texts.values() if t), default)


@strawberry.type(description="A text in one language.")
class LocalizedText:
    language: str = strawberry.field(description="The language's code (`id`, `en`, `ms`, `tr` or `ar`).")
    text: str = strawberry.field(description="The text in that language.")

    @staticmethod
    def all(texts: Mapping[str, str]) -> list[LocalizedText]:
        return [LocalizedText(language=lang, text=texts[lang]) for lang in SUPPORTED if texts.get(lang)]


@strawberry.input(description="A text in one language (id, en, ms, tr or ar).")
class LocalizedTextInput:
    language: str = strawberry.field(
        description=("The language's code (`id`, `en`, `ms`, `tr` or `ar`; INVALID_LANGUAGE otherwise), each once.")
    )
    text: str = strawberry.field(description="The text in that language.")


@strawberry.type(description="A body measurement a garment type is made from, with the range a tailor accepts.")
class MeasurementField:
    code: str = strawberry.field(description="E.g. LINGKAR_BADAN, PANJANG_LENGAN.")
    label: str = strawberry.field(description="In the asked language.")
    hint: str = strawberry.field(description="How to measure it, in the asked language (may be empty).")
    unit: str = strawberry.field(description="Always CM: inches are accepted on input and converted.")
    min: Decimal = strawberry.field(description="The smallest value accepted, in centimetres (two decimals).")
    max: Decimal = strawberry.field(description="The largest value accepted, in centimetres (two decimals).")
    required: bool = strawberry.field(
        description="Whether a profile or garment must give it (MEASUREMENT_REQUIRED otherwise)."
    )
    labels: list[LocalizedText] = strawberry.field(description="The label in every language it has, for editing.")
    hints: list[LocalizedText] = strawberry.field(description="The hint in every language it has, for editing.")

    @classmethod
    def from_model(cls, row: MeasurementFieldModel, language: str) -> MeasurementField:
        return cls(
            code=row.code,
            label=text_in(row.labels, language, row.code),
            hint=text_in(row.hints, language),
            unit="CM",
            min=Decimal(row.min_cm).quantize(CENTI),
            max=Decimal(row.max_cm).quantize(CENTI),
            required=row.required,
            labels=LocalizedText.all(row.labels),
            hints=LocalizedText.all(row.hints),
        )


@strawberry.type(description="A kind of garment (GAMIS, SHIRT…) and what is measured for it.")
class GarmentType(relay.Node):
    id: relay.NodeID[int]
    code: str = strawberry.field(
        description=(
            "The type's code (2–40 capital letters, digits and underscores, e.g. `GAMIS`): what "
            "`MeasurementProfileCreateInput.garmentType` takes."
        )
    )
    name: str = strawberry.field(description="In the asked language.")
    names: list[LocalizedText] = strawberry.field(description="The name in every language it has, for editing.")
    is_built_in: bool = strawberry.field(description="Shared by every brand; false for a brand's own type.")
    measurement_fields: list[MeasurementField] = strawberry.field(
        description="The measurements it is made from, in order."
    )

    @classmethod
    def from_model(cls, row: GarmentTypeModel, fields: Sequence[MeasurementFieldModel], language: str) -> GarmentType:
        return cls(
            id=row.id,
            code=row.code,
            name=text_in(row.names, language, row.code),
            names=LocalizedText.all(row.names),
            is_built_in=row.brand_id is None,
            measurement_fields=[MeasurementField.from_model(f, language) for f in fields],
        )

    @classmethod
    async def resolve_nodes(
        cls, *, info: Info, node_ids: list[str], required: bool = False
    ) -> list[GarmentType | None]:
        actor = await info.context.actor()
        brand = await _optional_storefront(info)
        ids = [int(i) for i in node_ids if i.isdigit()]
        rows = {
            row.id: row
            for row in await GarmentTypeModel.filter(id__in=ids)
            if row.brand_id is None
            or actor.is_platform_admin
            or row.brand_id in actor.brand_permissions
            or (brand is not None and row.brand_id == brand.id)
        }
        fields = await types.fields_by_type(list(rows))
        language = _language(info, brand, None)
        return [
            cls.from_model(rows[int(i)], fields[int(i)], language) if i.isdigit() and int(i) in rows else None
            for i in node_ids
        ]


async def garment_types_by_id(info: Info, type_ids: Sequence[int], language: str) -> dict[int, GarmentType]:
    """Garment types with their schemas for a list of profiles or products: two queries whatever the count."""
    wanted = list(dict.fromkeys(type_ids))
    rows = await GarmentTypeModel.filter(id__in=wanted)
    fields = await types.fields_by_type(wanted)
    return {row.id: GarmentType.from_model(row, fields[row.id], language) for row in rows}


# --- profiles -------------------------------------------------------------------------------------------------


@strawberry.type(description="One body measurement, in centimetres.")
class Measurement:
    code: str = strawberry.field(description="The measurement's code (e.g. `LINGKAR_BADAN`).")
    cm: Decimal = strawberry.field(description="The value in centimetres (a Decimal string, two decimals).")
    label: str = strawberry.field(description="The garment type's label in the asked language (the code if gone).")


@strawberry.type(description="The measurements of a profile as they were at one version; versions never change.")
class MeasurementProfileVersion:
    version: int = strawberry.field(
        description=(
            "The version's number: 1 for the first, one more with each change of the measurements, "
            "who measured or notes."
        )
    )
    measurements: list[Measurement] = strawberry.field(
        description="The measurements of this version, in the garment type's order."
    )
    measured_by: MeasuredByEnum = strawberry.field(description="Who took them.")  # type: ignore[valid-type]
    notes: str = strawberry.field(description="The notes with this version; may be empty.")
    created_at: datetime = strawberry.field(description="When this version was saved (ISO 8601 with offset).")

    @classmethod
    def from_model(cls, row: VersionModel, labels: Mapping[str, str]) -> MeasurementProfileVersion:
        return cls(
            version=row.version,
            measurements=[
                Measurement(code=v["code"], cm=Decimal(v["cm"]).quantize(CENTI), label=labels.get(v["code"], v["code"]))
                for v in row.values
            ],
            measured_by=MeasuredBy(row.measured_by),
            notes=row.notes,
            created_at=row.created_at,
        )


@strawberry.type(description="A customer's measurements for one garment type, versioned: orders keep theirs.")
class MeasurementProfile(relay.Node):
    id: relay.NodeID[int]
    name: str = strawberry.field(description="The customer's own name for the profile (e.g. `Gamis lebaran`).")
    garment_type: GarmentType = strawberry.field(description="The garment type the measurements are for.")
    version: int = strawberry.field(description="The current version's number.")
    measurements: list[Measurement] = strawberry.field(description="The current version's measurements.")
    measured_by: MeasuredByEnum = strawberry.field(description="Who took the current measurements.")  # type: ignore[valid-type]
    notes: str = strawberry.field(description="The current version's notes; may be empty.")
    created_at: datetime = strawberry.field(description="When the profile was created (ISO 8601 with offset).")
    updated_at: datetime = strawberry.field(description="When the current version was saved (ISO 8601 with offset).")
    _labels: strawberry.Private[dict[str, str]]

    @classmethod
    def build(cls, profile: ProfileModel, current: VersionModel, garment_type: GarmentType) -> MeasurementProfile:
        labels = {f.code: f.label for f in garment_type.measurement_fields}
        shown = MeasurementProfileVersion.from_model(current, labels)
        return cls(
            id=profile.id,
            name=profile.name,
            garment_type=garment_type,
            version=current.version,
            measurements=shown.measurements,
            measured_by=shown.measured_by,
            notes=current.notes,
            created_at=profile.created_at,
            updated_at=current.created_at,
            _labels=labels,
        )

    @strawberry.field(description="Every version, newest first.")
    async def versions(self, info: Info) -> list[MeasurementProfileVersion]:
        loader = info.context.loaders.extra.get("measurement_profile_versions")
        if loader is None:

            async def load(keys: list[int]) -> list[list[VersionModel]]:
                found = await profiles.versions_of(keys)
                return [found.get(key, []) for key in keys]

            loader = info.context.loaders.extra["measurement_profile_versions"] = DataLoader(load_fn=load)
        rows = await loader.load(self.id)
        return [MeasurementProfileVersion.from_model(row, self._labels) for row in rows]

    @classmethod
    async def resolve_nodes(
        cls, *, info: Info, node_ids: list[str], required: bool = False
    ) -> list[MeasurementProfile | None]:
        actor = await info.context.actor()
        if actor.user_id is None:
            return [None for _ in node_ids]
        ids = [int(i) for i in node_ids if i.isdigit()]
        built = {p.id: p for p in await _built(info, await profiles.owned(actor).filter(id__in=ids))}
        return [built.get(int(i)) if i.isdigit() else None for i in node_ids]


async def _built(info: Info, rows: Sequence[ProfileModel]) -> list[MeasurementProfile]:
    language = _language(info, await _optional_storefront(info), None)
    current = await profiles.current_versions(rows)
    garment_types = await garment_types_by_id(info, [r.garment_type_id for r in rows], language)
    return [MeasurementProfile.build(r, current[r.id], garment_types[r.garment_type_id]) for r in rows]


async def account_measurement_profiles(
    root: Any,
    info: Info,
    garment_type: Annotated[
        str | None,
        strawberry.argument(description="Only the profiles for this garment type's code (e.g. `GAMIS`, any case)."),
    ] = None,
) -> list[MeasurementProfile]:
    """Resolver for `User.measurementProfiles` (`me { measurementProfiles }`): the account's own, to itself only."""
    actor = await info.context.actor()
    if actor.user_id is None or getattr(root, "id", None) != actor.user_id:
        return []  # nobody else, not even a platform administrator, sees a customer's body measurements
    queryset = profiles.owned(actor)
    if garment_type:
        queryset = queryset.filter(garment_type__code=garment_type.strip().upper())
    return await _built(info, await queryset.order_by("-updated_at", "-id"))


@strawberry.input(description="One measurement as typed, in the input's unit.")
class MeasurementInput:
    code: str = strawberry.field(
        description=(
            "The measurement's code (any case); one the garment type does not measure: "
            "UNKNOWN_MEASUREMENT; given twice: DUPLICATE_MEASUREMENT."
        )
    )
    value: Decimal = strawberry.field(
        description=(
            "The value in the input's unit (a Decimal string, not a float); outside the field's "
            "range: MEASUREMENT_OUT_OF_RANGE."
        )
    )


@strawberry.input(
    description=("A new measurement profile (version 1). Errors name `measurements.<CODE>` for a measurement.")
)
class MeasurementProfileCreateInput:
    garment_type: str = strawberry.field(description="A garment type code the storefront offers, e.g. GAMIS.")
    name: str = strawberry.field(description="The customer's name for it, e.g. 'Gamis lebaran'.")
    measurements: list[MeasurementInput] = strawberry.field(
        description="The measurements; every required one of the garment type (MEASUREMENT_REQUIRED)."
    )
    unit: MeasurementUnit = strawberry.field(
        default=MeasurementUnit.CM, description="The unit `measurements` are typed in (CM by default)."
    )
    measured_by: MeasuredByEnum = strawberry.field(  # type: ignore[valid-type]
        default=MeasuredBy.SELF, description="Who took them (SELF by default)."
    )
    notes: str = strawberry.field(default="", description="Notes for the tailor; at most 2000 characters (TOO_LONG).")


@strawberry.input(description="What to change; measurements, if given, replace the whole set in a new version.")
class MeasurementProfileUpdateInput:
    name: str | None = strawberry.field(
        default=None, description="A new name, 1–100 characters (INVALID_NAME); null keeps it."
    )
    measurements: list[MeasurementInput] | None = strawberry.field(
        default=None, description="The whole new set of measurements; null keeps them."
    )
    unit: MeasurementUnit = strawberry.field(
        default=MeasurementUnit.CM, description="The unit `measurements` are typed in (CM by default)."
    )
    measured_by: MeasuredByEnum | None = strawberry.field(default=None, description="Who took them; null keeps it.")  # type: ignore[valid-type]
    notes: str | None = strawberry.field(
        default=None, description="New notes, at most 2000 characters; null keeps them."
    )


@strawberry.type(description="The profile after the change, or the errors and no change.")
class MeasurementProfilePayload:
    measurement_profile: MeasurementProfile | None = strawberry.field(
        default=None, description="The profile with its current version; null when refused."
    )
    errors: list[UserError] = strawberry.field(
        default_factory=list, description="Why the change was refused; empty on success."
    )


@strawberry.type(description="Which profile was deleted, or the errors.")
class MeasurementProfileDeletePayload:
    deleted_id: relay.GlobalID | None = strawberry.field(
        default=None, description="The deleted profile's global ID; null when refused."
    )
    errors: list[UserError] = strawberry.field(
        default_factory=list, description="Why it was not deleted; empty on success."
    )


async def _profile_payload(
    info: Info, result: tuple[ProfileModel, VersionModel] | None, errors: list[UserError]
) -> MeasurementProfilePayload:
    if result is None:
        return MeasurementProfilePayload(errors=errors)
    profile, version = result
    language = _language(info, await _optional_storefront(info), None)
    garment_type = (await garment_types_by_id(info, [profile.garment_type_id], language))[profile.garment_type_id]
    return MeasurementProfilePayload(measurement_profile=MeasurementProfile.build(profile, version, garment_type))


def _values(items: Sequence[MeasurementInput] | None) -> list[tuple[str, Decimal]] | None:
    return None if items is None else [(m.code, m.value) for m in items]


# --- garment type management ---------------------------------------------------------------------------------


@strawberry.input(description="A measurement of a garment type's schema, in centimetres.")
class MeasurementFieldInput:
    code: str = strawberry.field(description="Capital letters, digits and underscores, e.g. LINGKAR_BADAN.")
    labels: list[LocalizedTextInput] = strawberry.field(
        description="Its label, in at least one language (REQUIRED); at most 100 characters each."
    )
    hints: list[LocalizedTextInput] = strawberry.field(
        default_factory=list, description="How to measure it, per language; at most 300 characters each."
    )
    min: Decimal = strawberry.field(
        description=(
            "The smallest value accepted, in centimetres: above 0, at most 400, two decimals "
            "(INVALID_MEASUREMENT_RANGE)."
        )
    )
    max: Decimal = strawberry.field(
        description="The largest value accepted, in centimetres, above `min` (INVALID_RANGE) and at most 400."
    )
    required: bool = strawberry.field(
        default=True, description="Whether every profile and garment must give it (true by default)."
    )


@strawberry.input(description="A new garment type and its measurement schema.")
class GarmentTypeCreateInput:
    code: str = strawberry.field(
        description=(
            "2–40 capital letters, digits and underscores, starting with a letter (INVALID_CODE); one"
            " that exists: CODE_TAKEN."
        )
    )
    names: list[LocalizedTextInput] = strawberry.field(description="Its name, in at least one language (REQUIRED).")
    measurement_fields: list[MeasurementFieldInput] = strawberry.field(
        description="1 to 40 measurements (REQUIRED, TOO_MANY), each code once (DUPLICATE_CODE)."
    )
    built_in: bool = strawberry.field(
        default=False, description="A new built-in for every brand (platform administrators only)."
    )


@strawberry.input(description="What to change; measurementFields, if given, replace the whole schema.")
class GarmentTypeUpdateInput:
    names: list[LocalizedTextInput] | None = strawberry.field(
        default=None, description="Replaces its names; null keeps them."
    )
    measurement_fields: list[MeasurementFieldInput] | None = strawberry.field(
        default=None,
        description=("The whole new measurement schema; null keeps it. Stored profile versions keep their values."),
    )


@strawberry.type(description="The garment type after the change, or the errors and no change.")
class GarmentTypePayload:
    garment_type: GarmentType | None = strawberry.field(
        default=None, description="The garment type; null when refused."
    )
    errors: list[UserError] = strawberry.field(
        default_factory=list,
        description=("Why the change was refused (errors name `measurementFields.<i>.<field>`); empty on success."),
    )


@strawberry.type(description="Which garment type was deleted, or the errors.")
class GarmentTypeDeletePayload:
    deleted_id: relay.GlobalID | None = strawberry.field(
        default=None, description="The deleted type's global ID; null when refused."
    )
    errors: list[UserError] = strawberry.field(
        default_factory=list,
        description=(
            "Why it was not deleted (GARMENT_TYPE_IN_USE while products or profiles use it); empty on success."
        ),
    )


def _texts(items: Sequence[LocalizedTextInput] | None, field: str) -> dict[str, str] | None:
    if items is None:
        return None
    texts: dict[str, str] = {}
    for i, item in enumerate(items):
        if item.language in texts:
            raise DomainError("INVALID_LANGUAGE", "Give each language once.", f"{field}.{i}.language")
        texts[item.language] = item.text
    return texts


def _field_inputs(items: Sequence[MeasurementFieldInput] | None) -> list[types.FieldInput] | None:
    if items is None:
        return None
    return [
        types.FieldInput(
            code=f.code,
            labels=_texts(f.labels, f"measurement_fields.{i}.labels") or {},
            hints=_texts(f.hints, f"measurement_fields.{i}.hints") or {},
            min_cm=f.min,
            max_cm=f.max,
            required=f.required,
        )
        for i, f in enumerate(items)
    ]


async def _type_payload(info: Info, row: GarmentTypeModel | None, errors: list[UserError]) -> GarmentTypePayload:
    if row is None:
        return GarmentTypePayload(errors=errors)
    found = await garment_types_by_id(info, [row.id], _language(info, None, None))
    return GarmentTypePayload(garment_type=found[row.id])


def _renamed(errors: list[UserError]) -> list[UserError]:
    """The core names the schema `fields`; the API calls it `measurementFields`, with `min`/`max`."""
    for error in errors:
        if error.field and error.field.startswith("fields"):
            error.field = "measurementFields" + error.field[len("fields") :]
        if error.field:
            error.field = error.field.replace(".minCm", ".min").replace(".maxCm", ".max")
    return errors


# --- shared ----------------------------------------------------------------------------------------------------


async def _optional_storefront(info: Info, slug: str | None = None) -> Brand | None:
    """The storefront brand when the request names one (argument, header or host); None otherwise."""
    try:
        return await info.context.storefront(slug)
    except DomainError as error:
        if error.code == "STOREFRONT_REQUIRED":
            return None
        raise


def _language(info: Info, brand: Brand | None, language: str | None) -> str:
    if language is not None and language not in SUPPORTED:
        raise DomainError("INVALID_LANGUAGE", f"Languages are {', '.join(SUPPORTED)}.", "language")
    if brand is not None:
        return locale_for(info, brand, language=language).language
    return negotiate(language, info.context.request.headers.get("accept-language", ""), SUPPORTED, "en")


@strawberry.type
class GarmentQuery:
    @strawberry.field(
        **guard(
            "Garment types and their measurement schemas: the built-ins, plus the brand's own types for the "
            "storefront asking (or, with `brand`, for that brand's staff).",
            PUBLIC,
        )
    )
    async def garment_types(
        self,
        info: Info,
        storefront: Annotated[
            str | None,
            strawberry.argument(
                description=(
                    "The storefront whose own types to add to the built-ins (a brand slug); without it, the "
                    "header or `Host`, and only built-ins when neither names one."
                )
            ),
        ] = None,
        brand: Annotated[
            str | None,
            strawberry.argument(
                description=(
                    "Instead, the types of this brand (a slug), for its staff with MANAGE_PRODUCTS (FORBIDDEN"
                    " otherwise)."
                )
            ),
        ] = None,
        language: Language = None,
    ) -> list[GarmentType]:
        if brand is not None:
            actor = await info.context.actor()
            chosen: Brand | None = await brands.managed_brand(actor, brand, Permission.MANAGE_PRODUCTS)
            locale_brand = chosen
        else:
            chosen = locale_brand = await _optional_storefront(info, storefront)
        lang = _language(info, locale_brand, language)
        rows = await types.visible_types(chosen.id if chosen else None).order_by("code", "id")
        fields = await types.fields_by_type([r.id for r in rows])
        return [GarmentType.from_model(r, fields[r.id], lang) for r in rows]


@strawberry.type
class GarmentMutation:
    @strawberry.mutation(
        **guard(
            "Add a garment type: the brand's own (MANAGE_PRODUCTS; `brand` or the Lini-Storefront header), or a "
            "built-in with `builtIn: true` (platform administrators).",
            MANAGE_PRODUCTS,
            PLATFORM_ADMIN,
        )
    )
    async def garment_type_create(
        self,
        info: Info,
        input: Annotated[
            GarmentTypeCreateInput, strawberry.argument(description="The type, its names and measurement schema.")
        ],
        brand: BrandSlug = None,
    ) -> GarmentTypePayload:
        actor = await info.context.actor()

        async def create() -> GarmentTypeModel:
            brand_id = None
            if not input.built_in:
                slug = await info.context.brand_slug(brand)
                brand_id = (await brands.managed_brand(actor, slug, Permission.MANAGE_PRODUCTS)).id
            return await types.create_type(
                actor,
                brand_id=brand_id,
                code=input.code,
                names=_texts(input.names, "names") or {},
                fields=_field_inputs(input.measurement_fields) or [],
            )

        row, errors = await attempt(create)
        return await _type_payload(info, row, _renamed(errors))

    @strawberry.mutation(
        **guard(
            "Rename a garment type or replace its measurement schema: a brand's own (MANAGE_PRODUCTS there) or a "
            "built-in (platform administrators). Stored profile versions keep their values.",
            MANAGE_PRODUCTS,
            PLATFORM_ADMIN,
        )
    )
    async def garment_type_update(
        self,
        info: Info,
        id: GarmentTypeId,
        input: Annotated[
            GarmentTypeUpdateInput, strawberry.argument(description="The names or measurement schema to replace.")
        ],
    ) -> GarmentTypePayload:
        actor = await info.context.actor()
        row, errors = await attempt(
            lambda: types.update_type(
                actor,
                decode_id(id, "GarmentType"),
                names=_texts(input.names, "names"),
                fields=_field_inputs(input.measurement_fields),
            )
        )
        return await _type_payload(info, row, _renamed(errors))

    @strawberry.mutation(
        **guard("Delete a garment type no product and no customer's profile uses.", MANAGE_PRODUCTS, PLATFORM_ADMIN)
    )
    async def garment_type_delete(
        self,
        info: Info,
        id: GarmentTypeId,
    ) -> GarmentTypeDeletePayload:
        actor = await info.context.actor()
        row, errors = await attempt(lambda: types.delete_type(actor, decode_id(id, "GarmentType")))
        return GarmentTypeDeletePayload(deleted_id=id if row else None, errors=errors)

    @strawberry.mutation(
        **guard(
            "Save the signed-in customer's measurements for a garment type the storefront offers (version 1).",
            SIGNED_IN,
        )
    )
    async def measurement_profile_create(
        self,
        info: Info,
        input: Annotated[
            MeasurementProfileCreateInput,
            strawberry.argument(description="The profile's garment type, name and measurements."),
        ],
        storefront: Annotated[
            str | None,
            strawberry.argument(
                description=(
                    "The storefront whose garment types are offered (a brand slug); without one, built-in types only."
                )
            ),
        ] = None,
    ) -> MeasurementProfilePayload:
        actor = await info.context.actor()
        brand = await _optional_storefront(info, storefront)
        result, errors = await attempt(
            lambda: profiles.create_profile(
                actor,
                garment_type=input.garment_type,
                brand_id=brand.id if brand else None,
                name=input.name,
                values=_values(input.measurements) or [],
                unit=input.unit.value,
                measured_by=MeasuredBy(input.measured_by),
                notes=input.notes,
            )
        )
        return await _profile_payload(info, result, errors)

    @strawberry.mutation(
        **guard(
            "Change one of the caller's profiles: new measurements, who measured or notes add a version "
            "(earlier versions never change); a new name alone does not.",
            SIGNED_IN,
        )
    )
    async def measurement_profile_update(
        self,
        info: Info,
        id: MeasurementProfileId,
        input: Annotated[MeasurementProfileUpdateInput, strawberry.argument(description="What to change.")],
    ) -> MeasurementProfilePayload:
        actor = await info.context.actor()
        result, errors = await attempt(
            lambda: profiles.update_profile(
                actor,
                decode_id(id, "MeasurementProfile"),
                name=input.name,
                values=_values(input.measurements),
                unit=input.unit.value,
                measured_by=MeasuredBy(input.measured_by) if input.measured_by is not None else None,
                notes=input.notes,
            )
        )
        return await _profile_payload(info, result, errors)

    @strawberry.mutation(
        **guard("Delete one of the caller's profiles; orders made with it keep the version they used.", SIGNED_IN)
    )
    async def measurement_profile_delete(
        self,
        info: Info,
        id: MeasurementProfileId,
    ) -> MeasurementProfileDeletePayload:
        actor = await info.context.actor()
        row, errors = await attempt(lambda: profiles.delete_profile(actor, decode_id(id, "MeasurementProfile")))
        return MeasurementProfileDeletePayload(deleted_id=id if row else None, errors=errors)


QUERIES = (GarmentQuery,)
MUTATIONS = (GarmentMutation,)
TYPES = (GarmentType, MeasurementProfile)
