"""Garment types and their measurement schemas: the built-ins every brand shares, and brands' own.

A brand's own type is seen and used only by that brand (another brand's is refused like a missing one);
built-ins are added and changed only by platform administrators. A brand type may not reuse a built-in
code, so a code names one type for a brand. Changing a schema never touches stored profile versions: they
keep the values they were taken with, and new versions are checked against the schema of the day.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from core.auth.permissions import Permission
from core.catalog.translations import SUPPORTED
from core.context import Actor, ActorKind
from core.errors import DomainError, PermissionDenied
from core.events import emit
from core.garments.models import GarmentType, MadeToMeasure, MeasurementField, MeasurementProfile
from core.validation import Problems

CODE = re.compile(r"^[A-Z][A-Z0-9_]{1,39}$")
MAX_FIELDS = 40
MAX_LABEL = 100
MAX_HINT = 300
MAX_CM = Decimal(400)


@dataclass(frozen=True, slots=True)
class FieldInput:
    """One measurement of a schema as an editor sends it; `labels`/`hints` map a language to its text."""

    code: str
    labels: Mapping[str, str]
    min_cm: Any
    max_cm: Any
    required: bool = True
    hints: Mapping[str, str] = field(default_factory=dict)


def visible_types(brand_id: int | None) -> QuerySet[GarmentType]:
    """The built-ins plus, for a brand, its own types."""
    if brand_id is None:
        return GarmentType.filter(brand_id=None)
    return GarmentType.filter(Q(brand_id=None) | Q(brand_id=brand_id))


async def get_type(code: str, brand_id: int | None) -> GarmentType:
    """The type a brand means by `code`: its own if it has one, else the built-in."""
    cleaned = (code or "").strip().upper()
    found = sorted(await visible_types(brand_id).filter(code=cleaned), key=lambda t: t.brand_id is None)
    if not found:
        raise DomainError("NOT_FOUND", f"There is no garment type {code!r}.", "garmentType")
    return found[0]


async def fields_of(garment_type_id: int) -> list[MeasurementField]:
    return list(await MeasurementField.filter(garment_type_id=garment_type_id).order_by("position", "id"))


async def fields_by_type(type_ids: Sequence[int]) -> dict[int, list[MeasurementField]]:
    """Every schema of `type_ids` in one query, each in field order."""
    grouped: dict[int, list[MeasurementField]] = {type_id: [] for type_id in type_ids}
    for row in await MeasurementField.filter(garment_type_id__in=list(type_ids)).order_by("position", "id"):
        grouped[row.garment_type_id].append(row)
    return grouped


# --- management ---------------------------------------------------------------------------------------------


async def create_type(
    actor: Actor,
    *,
    brand_id: int | None,
    code: str,
    names: Mapping[str, str],
    fields: Sequence[FieldInput],
) -> GarmentType:
    """A brand's own type (MANAGE_PRODUCTS in that brand) or, with no brand, a new built-in (platform admin)."""
    _require_editor(actor, brand_id)
    problems = Problems()
    cleaned_code = _code(problems, code)
    cleaned_names = _texts(problems, names, "names", MAX_LABEL, required=True)
    rows = _fields(problems, fields)
    problems.check()
    try:
        async with in_transaction():
            await _refuse_taken(cleaned_code, brand_id)
            garment_type = await GarmentType.create(brand_id=brand_id, code=cleaned_code, names=cleaned_names)
            await _replace_fields(garment_type.id, rows)
            await emit(
                "garment_type.created", {"garment_type_id": garment_type.id, "code": cleaned_code}, brand_id=brand_id
            )
    except IntegrityError:  # the same code created at the same moment by someone else
        raise DomainError("CODE_TAKEN", f"A garment type {cleaned_code} exists already.", "code") from None
    return garment_type


async def update_type(
    actor: Actor,
    type_id: int,
    *,
    names: Mapping[str, str] | None = None,
    fields: Sequence[FieldInput] | None = None,
) -> GarmentType:
    """Rename a type or replace its whole measurement schema; the code stays, as profiles and products use it."""
    garment_type = await load_editable(actor, type_id)
    problems = Problems()
    cleaned_names = _texts(problems, names, "names", MAX_LABEL, required=True) if names is not None else None
    rows = _fields(problems, fields) if fields is not None else None
    problems.check()
    async with in_transaction():
        if cleaned_names is not None:
            await GarmentType.filter(id=type_id).update(names=cleaned_names)
        if rows is not None:
            await _replace_fields(type_id, rows)
        changed = [name for name, value in (("names", cleaned_names), ("fields", rows)) if value is not None]
        await emit(
            "garment_type.updated",
            {"garment_type_id": type_id, "code": garment_type.code, "changed": changed},
            brand_id=garment_type.brand_id,
        )
    return await GarmentType.get(id=type_id)


async def delete_type(actor: Actor, type_id: int) -> GarmentType:
    """Remove a type no product and no customer's profile uses (orders keep their own snapshots)."""
    garment_type = await load_editable(actor, type_id)
    in_use = DomainError(
        "GARMENT_TYPE_IN_USE", "Products or customers' measurement profiles use this garment type.", "id"
    )
    try:
        async with in_transaction():
            used_by_products = await MadeToMeasure.filter(garment_type_id=type_id).exists()
            used_by_profiles = await MeasurementProfile.filter(garment_type_id=type_id, deleted_at=None).exists()
            if used_by_products or used_by_profiles:
                raise in_use
            await GarmentType.filter(id=type_id).delete()
            await emit(
                "garment_type.deleted",
                {"garment_type_id": type_id, "code": garment_type.code},
                brand_id=garment_type.brand_id,
            )
    except IntegrityError:  # a product took it up between the check and the delete (its key restricts)
        raise in_use from None
    return garment_type


async def load_editable(actor: Actor, type_id: int) -> GarmentType:
    """The type when the actor may change it; another brand's type is NOT_FOUND, exactly like a missing one."""
    garment_type = await GarmentType.get_or_none(id=type_id)
    if garment_type is None or not _can_edit(actor, garment_type.brand_id):
        if garment_type is not None and garment_type.brand_id is None and actor.is_authenticated:
            # Built-ins are public: saying "not found" for one the caller can see would be a lie.
            raise PermissionDenied(
                "Only a platform administrator may change a built-in garment type.", authenticated=True
            )
        raise DomainError("NOT_FOUND", "There is no such garment type.", "id")
    return garment_type


def _can_edit(actor: Actor, brand_id: int | None) -> bool:
    if brand_id is None:
        return actor.is_platform_admin or actor.kind == ActorKind.SYSTEM
    return actor.can(brand_id, Permission.MANAGE_PRODUCTS)


def _require_editor(actor: Actor, brand_id: int | None) -> None:
    if brand_id is None:
        actor.require_platform_admin()
    else:
        actor.require(brand_id, Permission.MANAGE_PRODUCTS)


async def _refuse_taken(code: str, brand_id: int | None) -> None:
    """A brand code must not shadow a built-in; a new built-in must not collide with any brand's type."""
    taken = visible_types(brand_id) if brand_id is not None else GarmentType.all()
    if await taken.filter(code=code).exists():
        raise DomainError("CODE_TAKEN", f"A garment type {code} already exists.", "code")


async def _replace_fields(type_id: int, rows: list[dict[str, Any]]) -> None:
    await MeasurementField.filter(garment_type_id=type_id).delete()
    await MeasurementField.bulk_create(
        [MeasurementField(garment_type_id=type_id, position=i, **row) for i, row in enumerate(rows)]
    )


def _code(problems: Problems, value: str | None, field: str = "code") -> str:
    code = (value or "").strip().upper()
    if not CODE.match(code):
        problems.add("INVALID_CODE", "Use 2–40 capital letters, digits and underscores, starting with a letter.", field)
    return code


def _texts(
    problems: Problems, texts: Mapping[str, str] | None, field: str, max_length: int, *, required: bool
) -> dict[str, str]:
    result: dict[str, str] = {}
    for language, text in (texts or {}).items():
        lang = (language or "").strip().lower()
        cleaned = (text or "").strip()
        if lang not in SUPPORTED:
            problems.add("INVALID_LANGUAGE", f"Languages are {', '.join(SUPPORTED)}.", f"{field}.{language}")
        elif len(cleaned) > max_length:
            problems.add("TOO_LONG", f"Use at most {max_length} characters.", f"{field}.{lang}")
        elif cleaned:
            result[lang] = cleaned
    if required and not result:
        problems.add("REQUIRED", "Give the text in at least one language.", field)
    return result


def _fields(problems: Problems, fields: Sequence[FieldInput] | None) -> list[dict[str, Any]]:
    items = list(fields or [])
    if not items:
        problems.add("REQUIRED", "A garment type needs at least one measurement.", "fields")
    if len(items) > MAX_FIELDS:
        problems.add("TOO_MANY", f"At most {MAX_FIELDS} measurements.", "fields")
    rows: list[dict[str, Any]] = []
    seen: set[str] = set()
    for i, item in enumerate(items):
        at = problems.at(f"fields.{i}")
        code = _code(at, item.code)
        if code in seen:
            at.add("DUPLICATE_CODE", f"{code} is in the schema twice.", "code")
        seen.add(code)
        low, high = _cm(at, item.min_cm, "min_cm"), _cm(at, item.max_cm, "max_cm")
        if low is not None and high is not None and low >= high:
            at.add("INVALID_RANGE", "The minimum must be below the maximum.", "max_cm")
        rows.append(
            {
                "code": code,
                "labels": _texts(at, item.labels, "labels", MAX_LABEL, required=True),
                "hints": _texts(at, item.hints, "hints", MAX_HINT, required=False),
                "min_cm": low,
                "max_cm": high,
                "required": bool(item.required),
            }
        )
    return rows


def _cm(problems: Problems, value: Any, field: str) -> Decimal | None:
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        number = None
    if isinstance(value, float) or number is None or not number.is_finite() or not (0 < number <= MAX_CM):
        problems.add("INVALID_MEASUREMENT_RANGE", f"Give centimetres above 0 and at most {MAX_CM}.", field)
        return None
    if number != number.quantize(Decimal("0.01")):
        problems.add("INVALID_MEASUREMENT_RANGE", "Use at most two decimals.", field)
        return None
    return number
