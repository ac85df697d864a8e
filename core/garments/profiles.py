"""Customers' measurement profiles: one per garment type and name, versioned.

A change of measurements, of who measured or of the notes adds a version (`current_version` moves on by an
atomic UPDATE, so two edits at once get two versions, never one overwritten); versions are never changed, and
a deleted profile is only marked, so an order keeps pointing at the exact version its garment was cut from.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import cast

from tortoise.expressions import F
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from core.context import Actor
from core.errors import DomainError, DomainErrors
from core.events import emit
from core.garments import measurements, types
from core.garments.models import MeasuredBy, MeasurementProfile, MeasurementProfileVersion
from core.validation import Problems

MAX_NAME = 100
MAX_NOTES = 2000


async def create_profile(
    actor: Actor,
    *,
    garment_type: str,
    brand_id: int | None,
    name: str,
    values: Sequence[tuple[str, Decimal]],
    unit: str = "CM",
    measured_by: str = MeasuredBy.SELF,
    notes: str = "",
) -> tuple[MeasurementProfile, MeasurementProfileVersion]:
    """A signed-in customer saves measurements for a garment type the storefront's brand (`brand_id`) offers."""
    user_id = actor.require_user()
    problems = Problems()
    cleaned_name = _name(problems, name)
    who = _measured_by(problems, measured_by)
    cleaned_notes = _notes(problems, notes)
    garment = None
    try:
        garment = await types.get_type(garment_type, brand_id)
    except DomainError as error:
        problems.errors.append(error)
    checked = await _checked_values(problems, garment.id if garment else None, values, unit)
    problems.check()
    assert garment is not None and checked is not None
    async with in_transaction():
        profile = await MeasurementProfile.create(
            user_id=user_id, garment_type_id=garment.id, name=cleaned_name, current_version=1
        )
        version = await MeasurementProfileVersion.create(
            profile_id=profile.id, version=1, values=checked, measured_by=who, notes=cleaned_notes
        )
        await emit("measurement_profile.created", {"profile_id": profile.id, "user_id": user_id})
    return profile, version


async def update_profile(
    actor: Actor,
    profile_id: int,
    *,
    name: str | None = None,
    values: Sequence[tuple[str, Decimal]] | None = None,
    unit: str = "CM",
    measured_by: str | None = None,
    notes: str | None = None,
) -> tuple[MeasurementProfile, MeasurementProfileVersion]:
    """Rename, and/or add a version: given measurements replace the whole set, the rest carries over."""
    profile = await _own(actor, profile_id, field="id")
    problems = Problems()
    cleaned_name = _name(problems, name) if name is not None else None
    who = _measured_by(problems, measured_by) if measured_by is not None else None
    cleaned_notes = _notes(problems, notes) if notes is not None else None
    checked = await _checked_values(problems, profile.garment_type_id, values, unit) if values is not None else None
    problems.check()
    new_version = any(v is not None for v in (checked, who, cleaned_notes))
    async with in_transaction():
        if cleaned_name is not None:
            await MeasurementProfile.filter(id=profile.id).update(name=cleaned_name)
        if new_version:
            # The increment is one statement: concurrent edits each get their own number.
            await MeasurementProfile.filter(id=profile.id).update(current_version=F("current_version") + 1)
            numbers = cast(
                "list[int]", await MeasurementProfile.filter(id=profile.id).values_list("current_version", flat=True)
            )
            number = numbers[0]
            # What is not given carries over from the version just before ours (a concurrent edit's, maybe).
            previous = await MeasurementProfileVersion.get(profile_id=profile.id, version=number - 1)
            current = await MeasurementProfileVersion.create(
                profile_id=profile.id,
                version=number,
                values=checked if checked is not None else previous.values,
                measured_by=who if who is not None else previous.measured_by,
                notes=cleaned_notes if cleaned_notes is not None else previous.notes,
            )
        else:
            current = await MeasurementProfileVersion.get(profile_id=profile.id, version=profile.current_version)
        await emit(
            "measurement_profile.updated",
            {"profile_id": profile.id, "user_id": profile.user_id, "version": current.version},
        )
    return await MeasurementProfile.get(id=profile.id), current


async def delete_profile(actor: Actor, profile_id: int) -> MeasurementProfile:
    """Hide the profile from its owner; its versions stay for the orders made with them."""
    profile = await _own(actor, profile_id, field="id")
    async with in_transaction():
        deleted = await MeasurementProfile.filter(id=profile.id, deleted_at=None).update(deleted_at=datetime.now(UTC))
        if not deleted:  # deleted meanwhile by another request
            raise _not_found("id")
        await emit("measurement_profile.deleted", {"profile_id": profile.id, "user_id": profile.user_id})
    return await MeasurementProfile.get(id=profile.id)


async def version_for(actor: Actor, profile_id: int, garment_type_id: int) -> MeasurementProfileVersion:
    """The current version of the actor's live profile, which must be for `garment_type_id`."""
    profile = await _own(actor, profile_id, field="measurementProfileId", code="PROFILE_NOT_FOUND")
    if profile.garment_type_id != garment_type_id:
        raise DomainError(
            "PROFILE_GARMENT_MISMATCH",
            "This measurement profile is for another kind of garment.",
            "measurementProfileId",
        )
    return await MeasurementProfileVersion.get(profile_id=profile.id, version=profile.current_version)


def owned(actor: Actor) -> QuerySet[MeasurementProfile]:
    """The signed-in customer's live profiles."""
    return MeasurementProfile.filter(user_id=actor.require_user(), deleted_at=None)


async def current_versions(profiles: Sequence[MeasurementProfile]) -> dict[int, MeasurementProfileVersion]:
    """Each profile's current version, in one query."""
    if not profiles:
        return {}
    wanted = {(p.id, p.current_version) for p in profiles}
    rows = await MeasurementProfileVersion.filter(
        profile_id__in=[p.id for p in profiles], version__in=list({p.current_version for p in profiles})
    )
    return {row.profile_id: row for row in rows if (row.profile_id, row.version) in wanted}


async def versions_of(profile_ids: Sequence[int]) -> dict[int, list[MeasurementProfileVersion]]:
    """Every version of each profile, newest first, in one query."""
    grouped: dict[int, list[MeasurementProfileVersion]] = {pid: [] for pid in profile_ids}
    for row in await MeasurementProfileVersion.filter(profile_id__in=list(profile_ids)).order_by("-version"):
        grouped[row.profile_id].append(row)
    return grouped


async def _own(actor: Actor, profile_id: int, *, field: str, code: str = "NOT_FOUND") -> MeasurementProfile:
    user_id = actor.require_user()
    profile = await MeasurementProfile.get_or_none(id=profile_id, user_id=user_id, deleted_at=None)
    if profile is None:
        raise _not_found(field, code)
    return profile


def _not_found(field: str, code: str = "NOT_FOUND") -> DomainError:
    return DomainError(code, "There is no such measurement profile.", field)


async def _checked_values(
    problems: Problems, garment_type_id: int | None, values: Sequence[tuple[str, Decimal]] | None, unit: str
) -> list[dict[str, str]] | None:
    if garment_type_id is None:
        return None
    try:
        return measurements.validate(await types.fields_of(garment_type_id), list(values or []), unit)
    except DomainErrors as errors:
        problems.errors.extend(errors.errors)
        return None


def _name(problems: Problems, value: str | None) -> str:
    text = (value or "").strip()
    if not text or len(text) > MAX_NAME:
        problems.add("INVALID_NAME", f"Use 1–{MAX_NAME} characters.", "name")
    return text


def _measured_by(problems: Problems, value: str | None) -> MeasuredBy:
    try:
        return MeasuredBy(str(value or "").strip().upper())
    except ValueError:
        problems.add("INVALID_MEASURED_BY", "Who measured is SELF, TAILOR or STORE.", "measured_by")
        return MeasuredBy.SELF


def _notes(problems: Problems, value: str | None) -> str:
    text = (value or "").strip()
    if len(text) > MAX_NOTES:
        problems.add("TOO_LONG", f"Use at most {MAX_NOTES} characters.", "notes")
    return text
