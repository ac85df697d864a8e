"""Tailors and convection workshops: applying, the platform's decision, and competency certificates.

A tailor counts as certified while it holds at least one certificate the platform has verified and that has
not expired; brands choosing who makes a garment filter on that, so it is answered in SQL.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from pypika_tortoise.functions import Cast
from pypika_tortoise.terms import Function as PypikaFunction
from pypika_tortoise.terms import Term
from tortoise.exceptions import IntegrityError
from tortoise.expressions import Subquery
from tortoise.functions import Function
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from core.actors import certificates, validation
from core.actors.certificates import today
from core.actors.models import ActorStatus, Certification, CertificationStatus, Tailor, TailorKind
from core.actors.selection import transition
from core.auth.models import User
from core.auth.permissions import Permission
from core.context import Actor
from core.errors import DomainError, PermissionDenied
from core.events import emit
from core.validation import Problems

# Garment type codes shared with made-to-measure.
GARMENT_TYPES = (
    "SHIRT",
    "TROUSERS",
    "GAMIS",
    "ABAYA",
    "BAJU_KOKO",
    "KEBAYA",
    "TUNIK",
    "MUKENA",
    "HIJAB",
    "JACKET",
    "DRESS",
    "SKIRT",
)
# SKKNI unit codes: sector, sub-sector or KBLI code, unit number, version — GAR.CM02.003.01, C.141100.001.01.
COMPETENCY_UNIT = re.compile(r"^[A-Z]{1,3}\.[A-Z0-9]{2,8}\.\d{3}\.\d{1,2}$")
MAX_CAPACITY = 500
MAX_LEAD_TIME_DAYS = 180
COORDINATE = Decimal("0.000001")

TRANSITIONS: dict[ActorStatus, tuple[ActorStatus, ...]] = {
    ActorStatus.APPROVED: (ActorStatus.APPLIED, ActorStatus.SUSPENDED),
    ActorStatus.REJECTED: (ActorStatus.APPLIED,),
    ActorStatus.SUSPENDED: (ActorStatus.APPROVED,),
}
CERTIFICATION_TRANSITIONS = {
    CertificationStatus.VERIFIED: (CertificationStatus.PENDING,),
    CertificationStatus.REJECTED: (CertificationStatus.PENDING,),
}


# --- applying and deciding -------------------------------------------------------------------------------


async def apply(
    actor: Actor,
    *,
    kind: TailorKind,
    display_name: str,
    city: str,
    province: str,
    country: str,
    latitude: Decimal | None,
    longitude: Decimal | None,
    garment_types: list[str],
    capacity: int,
    lead_time_days: int,
    phone: str,
) -> Tailor:
    """A signed-in user applies as a tailor or workshop; one live application per user."""
    user_id = actor.require_user()
    problems = Problems()
    values: dict[str, Any] = {
        "display_name": problems.collect(validation.text, display_name, "display_name", max_length=200),
        "city": problems.collect(validation.text, city, "city", max_length=100),
        "province": problems.collect(validation.text, province, "province", max_length=100, required=False),
        "country": problems.collect(validation.country, country),
        "latitude": problems.collect(_coordinate, latitude, "latitude", 90),
        "longitude": problems.collect(_coordinate, longitude, "longitude", 180),
        "garment_types": problems.collect(_garment_types, garment_types),
    }
    if (latitude is None) != (longitude is None):
        missing = "latitude" if latitude is None else "longitude"
        problems.add("INVALID_LOCATION", "Give both latitude and longitude, or neither.", missing)
    if not 1 <= capacity <= MAX_CAPACITY:
        problems.add("INVALID_CAPACITY", f"Capacity is 1–{MAX_CAPACITY} garments at once.", "capacity")
    if not 1 <= lead_time_days <= MAX_LEAD_TIME_DAYS:
        problems.add("INVALID_LEAD_TIME", f"Lead time is 1–{MAX_LEAD_TIME_DAYS} days.", "lead_time_days")
    # A national number is read in the country's plan; with the country wrong, only the country is reported.
    given_phone = None
    if values["country"]:
        given_phone = problems.collect(validation.phone, phone, values["country"], "phone", required=True)
    problems.raise_any()
    assert given_phone is not None
    async with in_transaction():
        await User.select_for_update().filter(id=user_id).first()  # serialises one user's applications
        if await Tailor.filter(user_id=user_id).exclude(status=ActorStatus.REJECTED).exists():
            raise DomainError("ALREADY_APPLIED", "You already have a tailor application or account.", None)
        tailor = await Tailor.create(
            user_id=user_id,
            kind=TailorKind(kind),
            capacity=capacity,
            lead_time_days=lead_time_days,
            phone=given_phone[0],
            phone_e164=given_phone[1],
            **values,
        )
        await emit("tailor.applied", {"tailor_id": tailor.id, "user_id": user_id, "kind": tailor.kind})
    return tailor


def _coordinate(value: Decimal | None, field: str, bound: int) -> Decimal | None:
    """Checked before rounding to the column's six places, so 90.0000001 is refused rather than stored as 90."""
    if value is None:
        return None
    if not value.is_finite() or not -bound <= value <= bound:
        raise DomainError(f"INVALID_{field.upper()}", f"{field.title()} is between -{bound} and {bound}.", field)
    return value.quantize(COORDINATE)


def _garment_types(codes: list[str]) -> list[str]:
    cleaned = list(dict.fromkeys(code.strip().upper() for code in codes))
    unknown = [code for code in cleaned if code not in GARMENT_TYPES]
    if unknown or not cleaned:
        raise DomainError(
            "INVALID_GARMENT_TYPE",
            f"Unknown garment types: {', '.join(unknown)}." if unknown else "Name at least one garment type.",
            "garment_types",
        )
    return cleaned


async def decide(actor: Actor, tailor_id: int, target: ActorStatus, *, reason: str = "") -> Tailor:
    """Approve, reject or suspend: one conditional update, so two admins deciding at once cannot both win."""
    actor.require_platform_admin()
    async with in_transaction():
        tailor = await transition(Tailor, tailor_id, target, TRANSITIONS, noun="tailor", status_reason=reason.strip())
        await emit(f"tailor.{target.lower()}", {"tailor_id": tailor.id, "reason": reason.strip(), "by": actor.label})
    return tailor


# --- certificates ----------------------------------------------------------------------------------------


async def add_certification(
    actor: Actor,
    *,
    scheme: str,
    kkni_level: int | None,
    competency_units: list[dict[str, str]],
    certificate_number: str,
    lsp: str,
    issued_on: date,
    valid_until: date,
    document_url: str = "",
) -> Certification:
    """Adds a certificate, PENDING until an administrator checks it, to the caller's own tailor profile."""
    tailor = await _own_profile(actor)
    problems = Problems()
    values: dict[str, Any] = {
        "scheme": problems.collect(validation.text, scheme, "scheme", max_length=100),
        "certificate_number": problems.collect(_certificate_number, certificate_number),
        "lsp": problems.collect(validation.text, lsp, "lsp", max_length=200),
        "document_url": problems.collect(validation.http_url, document_url, "document_url"),
        "competency_units": problems.collect(_competency_units, competency_units),
    }
    if kkni_level is not None and not 1 <= kkni_level <= 9:
        problems.add("INVALID_KKNI_LEVEL", "KKNI levels run from 1 to 9.", "kkni_level")
    if issued_on > today():
        problems.add("INVALID_DATES", "A certificate cannot be issued in the future.", "issued_on")
    if valid_until <= issued_on:
        problems.add("INVALID_DATES", "A certificate must be valid until after the day it was issued.", "valid_until")
    problems.raise_any()
    taken = DomainError("CERTIFICATE_EXISTS", "This certificate is already registered.", "certificate_number")
    if await Certification.exists(scheme=values["scheme"], certificate_number=values["certificate_number"]):
        raise taken
    try:
        async with in_transaction():
            certification = await Certification.create(
                tailor_id=tailor.id, kkni_level=kkni_level, issued_on=issued_on, valid_until=valid_until, **values
            )
            await emit(
                "tailor.certification_added",
                {"tailor_id": tailor.id, "certification_id": certification.id, "scheme": certification.scheme},
            )
    except IntegrityError:  # a concurrent registration of the same number won
        raise taken from None
    return certification


async def _own_profile(actor: Actor) -> Tailor:
    actor.require_user()
    if not actor.tailor_ids:
        raise PermissionDenied("Only a tailor may do this; apply with tailorApply first.", authenticated=True)
    tailor = await Tailor.filter(id__in=actor.tailor_ids).exclude(status=ActorStatus.REJECTED).order_by("-id").first()
    if tailor is None:
        raise DomainError("INVALID_STATUS", "Your tailor application was rejected; apply again first.", None)
    return tailor


def _certificate_number(number: str) -> str:
    """Spacing and case are not part of a number: `lsp 123` and `LSP  123` are one certificate."""
    return validation.text(" ".join(number.split()).upper(), "certificate_number", max_length=100)


def _competency_units(units: list[dict[str, str]]) -> list[dict[str, str]]:
    cleaned = []
    for unit in units:
        code = (unit.get("code") or "").strip().upper()
        title = (unit.get("title") or "").strip()
        if not COMPETENCY_UNIT.match(code):
            raise DomainError(
                "INVALID_COMPETENCY_UNIT",
                f"{code!r} is not an SKKNI unit code like GAR.CM02.003.01.",
                "competency_units",
            )
        if not title or len(title) > 300:
            raise DomainError(
                "INVALID_COMPETENCY_UNIT", f"Give unit {code} a title of 1–300 characters.", "competency_units"
            )
        cleaned.append({"code": code, "title": title})
    return cleaned


async def decide_certification(
    actor: Actor, certification_id: int, target: CertificationStatus, *, reason: str = ""
) -> Certification:
    """Verify or reject a PENDING certificate, recording who decided and when (one conditional update)."""
    actor.require_platform_admin()
    async with in_transaction():
        certification = await transition(
            Certification,
            certification_id,
            target,
            CERTIFICATION_TRANSITIONS,
            noun="certification",
            status_reason=reason.strip(),
            verified_by_id=actor.user_id,
            verified_at=datetime.now(UTC),
        )
        await emit(
            f"tailor.certification_{target.lower()}",
            {"tailor_id": certification.tailor_id, "certification_id": certification.id, "by": actor.label},
        )
    return certification


# --- reading ---------------------------------------------------------------------------------------------


class _AsText(Function):
    """`CAST(column AS TEXT)`: the JSON column as text on SQLite and PostgreSQL (JSONB) alike."""

    def _get_function_field(self, field: Term | str, *default_values: Any) -> PypikaFunction:
        return Cast(field, "TEXT")


def can_list(actor: Actor) -> bool:
    """Platform admins, and brand staff (or apps) who place orders and so choose who makes them."""
    return actor.is_platform_admin or any(Permission.MANAGE_ORDERS in held for held in actor.brand_permissions.values())


def can_view(actor: Actor, tailor: Tailor) -> bool:
    """Owner and admins see any profile; brands only approved ones."""
    if actor.is_platform_admin or tailor.user_id == actor.user_id:
        return True
    return can_list(actor) and tailor.status == ActorStatus.APPROVED


def listing(
    actor: Actor,
    *,
    status: ActorStatus | None = None,
    garment_type: str | None = None,
    certified: bool | None = None,
    city: str | None = None,
    search: str | None = None,
) -> QuerySet[Tailor]:
    """Tailors matching every filter given, each one a condition in SQL."""
    if not can_list(actor):
        raise PermissionDenied(
            "Only platform admins and brand staff with MANAGE_ORDERS may list tailors.",
            authenticated=actor.is_authenticated,
        )
    queryset = Tailor.all()
    if not actor.is_platform_admin:
        queryset = queryset.filter(status=ActorStatus.APPROVED)
    if status:
        queryset = queryset.filter(status=status)
    if garment_type is not None:
        code = garment_type.strip().upper()
        if code not in GARMENT_TYPES:
            raise DomainError("INVALID_GARMENT_TYPE", f"Unknown garment type {garment_type!r}.", "filter.garment_type")
        # The stored list is JSON text with each code in double quotes, so `"GAMIS"` matches whole codes only.
        queryset = queryset.annotate(garment_types_text=_AsText("garment_types")).filter(
            garment_types_text__contains=f'"{code}"'
        )
    if certified is not None:
        valid = certificates.certified_tailor_ids()
        queryset = queryset.filter(id__in=Subquery(valid)) if certified else queryset.exclude(id__in=Subquery(valid))
    if city and city.strip():
        queryset = queryset.filter(city__iexact=city.strip())
    if search and search.strip():
        if len(search) > 200:
            raise DomainError("INVALID_FILTER", "A search is at most 200 characters.", "filter.search")
        queryset = queryset.filter(display_name__icontains=search.strip())
    return queryset


async def own(actor: Actor) -> Tailor | None:
    """The caller's tailor profile: the latest application, whatever its status."""
    user_id = actor.require_user()
    return await Tailor.filter(user_id=user_id).order_by("-id").first()


async def visible_tailors(actor: Actor, tailor_ids: Iterable[int]) -> dict[int, Tailor]:
    """The tailors of `tailor_ids` the actor may see, by id (others left out as missing ones are), in one query."""
    return {row.id: row for row in await Tailor.filter(id__in=list(tailor_ids)) if can_view(actor, row)}


async def visible_certifications(actor: Actor, certification_ids: Iterable[int]) -> dict[int, Certification]:
    """The certificates of tailors the actor may see, by id, in one query (the tailor's visibility decides)."""
    rows = await Certification.filter(id__in=list(certification_ids)).select_related("tailor")
    return {row.id: row for row in rows if can_view(actor, row.tailor)}


async def certifications_by_tailor(tailor_ids: Iterable[int]) -> dict[int, list[Certification]]:
    """Certificates of many tailors in one query (for a page of tailors), newest first."""
    grouped: dict[int, list[Certification]] = defaultdict(list)
    for row in await Certification.filter(tailor_id__in=list(tailor_ids)).order_by("-issued_on", "-id"):
        grouped[row.tailor_id].append(row)
    return grouped
