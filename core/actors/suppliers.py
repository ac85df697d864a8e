"""Suppliers: applying to sell fabric, trims or accessories to brands, and the platform's selection decision."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import Any

from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from core.actors import validation
from core.actors.models import ActorStatus, Supplier
from core.actors.selection import transition
from core.auth.models import User
from core.auth.services import normalize_email
from core.context import Actor
from core.errors import DomainError
from core.events import emit
from core.validation import Problems


class SupplyKind(StrEnum):
    FABRIC = "FABRIC"
    TRIMS = "TRIMS"
    ACCESSORIES = "ACCESSORIES"


# Which status each decision may start from. Approving a suspended supplier reinstates it.
TRANSITIONS: dict[ActorStatus, tuple[ActorStatus, ...]] = {
    ActorStatus.APPROVED: (ActorStatus.APPLIED, ActorStatus.SUSPENDED),
    ActorStatus.REJECTED: (ActorStatus.APPLIED,),
    ActorStatus.SUSPENDED: (ActorStatus.APPROVED,),
}


async def apply(
    actor: Actor,
    *,
    legal_name: str,
    country: str,
    city: str,
    contact_name: str,
    contact_email: str,
    contact_phone: str,
    supplies: list[str],
) -> Supplier:
    """A signed-in user applies as a supplier; one live application per user (a rejected one may re-apply)."""
    user_id = actor.require_user()
    problems = Problems()
    values: dict[str, Any] = {
        "legal_name": problems.collect(validation.text, legal_name, "legal_name", max_length=200),
        "country": problems.collect(validation.country, country),
        "city": problems.collect(validation.text, city, "city", max_length=100),
        "contact_name": problems.collect(validation.text, contact_name, "contact_name", max_length=200),
        "contact_email": problems.collect(normalize_email, contact_email, "contact_email"),
    }
    # A national number is read in the country's plan; with the country wrong, only the country is reported.
    given_phone = None
    if values["country"]:
        given_phone = problems.collect(
            validation.phone, contact_phone, values["country"], "contact_phone", required=True
        )
    kinds = list(dict.fromkeys(supplies))
    if not kinds or any(kind not in SupplyKind.__members__ for kind in kinds):
        problems.add("INVALID_SUPPLIES", f"Choose one or more of {', '.join(SupplyKind)}.", "supplies")
    problems.raise_any()
    assert given_phone is not None
    async with in_transaction():
        # Locking the account row serialises one user's concurrent applications, so the rule below holds.
        await User.select_for_update().filter(id=user_id).first()
        if await Supplier.filter(user_id=user_id).exclude(status=ActorStatus.REJECTED).exists():
            raise DomainError("ALREADY_APPLIED", "You already have a supplier application or account.", None)
        supplier = await Supplier.create(
            user_id=user_id,
            contact_phone=given_phone[0],
            contact_phone_e164=given_phone[1],
            supplies=kinds,
            **values,
        )
        await emit(
            "supplier.applied", {"supplier_id": supplier.id, "user_id": user_id, "legal_name": supplier.legal_name}
        )
    return supplier


async def decide(actor: Actor, supplier_id: int, target: ActorStatus, *, reason: str = "") -> Supplier:
    """Approve, reject or suspend: one conditional update, so two admins deciding at once cannot both win."""
    actor.require_platform_admin()
    async with in_transaction():
        supplier = await transition(
            Supplier, supplier_id, target, TRANSITIONS, noun="supplier", status_reason=reason.strip()
        )
        await emit(
            f"supplier.{target.lower()}", {"supplier_id": supplier.id, "reason": reason.strip(), "by": actor.label}
        )
    return supplier


def listing(actor: Actor, *, status: ActorStatus | None = None, search: str | None = None) -> QuerySet[Supplier]:
    """Every supplier, for the platform's administrators."""
    actor.require_platform_admin()
    queryset = Supplier.all()
    if status:
        queryset = queryset.filter(status=status)
    if search and search.strip():
        if len(search) > 200:
            raise DomainError("INVALID_FILTER", "A search is at most 200 characters.", "filter.search")
        queryset = queryset.filter(legal_name__icontains=search.strip())
    return queryset


async def own(actor: Actor) -> Supplier | None:
    """The caller's supplier profile: the latest application, whatever its status."""
    user_id = actor.require_user()
    return await Supplier.filter(user_id=user_id).order_by("-id").first()


def can_view(actor: Actor, supplier: Supplier) -> bool:
    """Its own account and the platform's administrators; for anyone else it is missing."""
    return actor.is_platform_admin or supplier.user_id == actor.user_id


async def visible_suppliers(actor: Actor, supplier_ids: Iterable[int]) -> dict[int, Supplier]:
    """The suppliers of `supplier_ids` the actor may see, by id (others left out as missing ones are), in one query."""
    return {row.id: row for row in await Supplier.filter(id__in=list(supplier_ids)) if can_view(actor, row)}
