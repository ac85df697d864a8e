"""A customer's address book: their own addresses only, one default for shipping and one for billing."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from tortoise.transactions import in_transaction

from core.actors import validation
from core.actors.models import Address
from core.auth.models import User
from core.context import Actor
from core.errors import DomainError, DomainErrors
from core.events import emit
from core.validation import Problems

MAX_ADDRESSES = 50
# field -> (maximum length, required)
TEXT_FIELDS: dict[str, tuple[int, bool]] = {
    "first_name": (100, True),
    "last_name": (100, False),
    "company": (200, False),
    "street1": (250, True),
    "street2": (250, False),
    "city": (100, True),
    "province": (100, False),
    "postal_code": (20, False),
}
DEFAULT_FLAGS = ("is_default_shipping", "is_default_billing")


def _not_found() -> DomainError:
    # Someone else's address is reported exactly like a missing one, so ids cannot be probed.
    return DomainError("NOT_FOUND", "There is no such address in your address book.", "id")


async def of_user(actor: Actor) -> list[Address]:
    user_id = actor.require_user()
    return list(await Address.filter(user_id=user_id).order_by("id"))


async def create(actor: Actor, values: Mapping[str, Any]) -> Address:
    """Add an address; marking it a default takes that role from the previous default."""
    user_id = actor.require_user()
    cleaned = _validated(values, current=None)
    async with in_transaction():
        # Locking the account row serialises one user's address writes: the limit and the single default hold.
        await User.select_for_update().filter(id=user_id).first()
        if await Address.filter(user_id=user_id).count() >= MAX_ADDRESSES:
            raise DomainError("ADDRESS_LIMIT", f"An address book holds at most {MAX_ADDRESSES} addresses.", None)
        await _take_defaults(user_id, cleaned, keep=None)
        address = await Address.create(user_id=user_id, **cleaned)
        await emit("address.created", {"user_id": user_id, "address_id": address.id})
    return address


async def update(actor: Actor, address_id: int, changes: Mapping[str, Any]) -> Address:
    """Change the fields given; the phone is checked again when the country changes."""
    user_id = actor.require_user()
    address = await Address.get_or_none(id=address_id, user_id=user_id)
    if address is None:
        raise _not_found()
    cleaned = _validated(changes, current=address)
    async with in_transaction():
        await User.select_for_update().filter(id=user_id).first()
        await _take_defaults(user_id, cleaned, keep=address.id)
        address.update_from_dict(cleaned)
        await address.save()
        await emit("address.updated", {"user_id": user_id, "address_id": address.id, "fields": sorted(changes)})
    return address


async def delete(actor: Actor, address_id: int) -> None:
    user_id = actor.require_user()
    async with in_transaction():
        if not await Address.filter(id=address_id, user_id=user_id).delete():
            raise _not_found()
        await emit("address.deleted", {"user_id": user_id, "address_id": address_id})


def snapshot(values: Mapping[str, Any], field: str) -> dict[str, Any]:
    """A complete address checked like an address-book entry, as the plain dict a checkout or order keeps.

    Errors name `<field>.<part>` (e.g. `shipping_address.city`), so a form can point at the right box.
    """
    try:
        cleaned = _validated({k: v for k, v in values.items() if k not in DEFAULT_FLAGS}, current=None)
    except DomainErrors as errors:
        raise DomainErrors([DomainError(e.code, e.message, f"{field}.{e.field}") for e in errors.errors]) from None
    except DomainError as error:
        raise DomainError(error.code, error.message, f"{field}.{error.field}") from None
    for flag in DEFAULT_FLAGS:
        cleaned.pop(flag, None)
    return cleaned


def can_view(actor: Actor, address: Address) -> bool:
    """Its own account alone; for anyone else it is missing."""
    return actor.user_id is not None and address.user_id == actor.user_id


async def visible_addresses(actor: Actor, address_ids: Iterable[int]) -> dict[int, Address]:
    """The caller's own addresses among `address_ids`, by id, in one query."""
    return {row.id: row for row in await Address.filter(id__in=list(address_ids)) if can_view(actor, row)}


async def _take_defaults(user_id: int, cleaned: Mapping[str, Any], *, keep: int | None) -> None:
    for flag in DEFAULT_FLAGS:
        if cleaned.get(flag):
            await Address.filter(user_id=user_id, **{flag: True}).exclude(id=keep or 0).update(**{flag: False})


def _validated(changes: Mapping[str, Any], *, current: Address | None) -> dict[str, Any]:
    """The cleaned values of the fields given (all of them when creating, `current` is None)."""
    problems = Problems()
    cleaned: dict[str, Any] = {}
    for name, (max_length, required) in TEXT_FIELDS.items():
        if name in changes or current is None:
            cleaned[name] = problems.collect(
                validation.text, changes.get(name), name, max_length=max_length, required=required
            )
    country = current.country if current is not None else ""
    if "country" in changes or current is None:
        country = problems.collect(validation.country, changes.get("country")) or ""
        cleaned["country"] = country
    # A postal code is checked in its country's format, again when only the country changes.
    if ("postal_code" in changes or "country" in changes or current is None) and not (
        problems.has("country") or problems.has("postal_code")
    ):
        code = cleaned.get("postal_code", current.postal_code if current else "")
        checked = problems.collect(validation.postal_code, code, country)
        if checked is not None:
            cleaned["postal_code"] = checked
    # A national number is read in the country's plan; with the country wrong, only the country is reported.
    if ("phone" in changes or "country" in changes or current is None) and not problems.has("country"):
        raw = changes.get("phone") if "phone" in changes or current is None else current.phone
        given = problems.collect(validation.phone, raw, country or None, "phone")
        if given is not None:
            cleaned["phone"], cleaned["phone_e164"] = given
    for flag in DEFAULT_FLAGS:
        if flag in changes or current is None:
            cleaned[flag] = bool(changes.get(flag))
    problems.raise_any()
    return cleaned
