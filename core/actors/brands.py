"""Brands: applying, the platform's selection decision, and the owner's storefront settings."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, cast

import pycountry
from tortoise.exceptions import IntegrityError
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from core.actors import validation
from core.actors.models import Brand, BrandDomain, BrandStatus, Incoterm, StaffMember, StaffRole
from core.actors.selection import transition
from core.auth.permissions import Permission
from core.context import Actor
from core.errors import DomainError, DomainErrors, PermissionDenied
from core.events import emit
from core.money import is_currency

SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{1,62}[a-z0-9])$")
HOST = re.compile(r"^(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
RESERVED_SLUGS = {"admin", "api", "graphql", "health", "lini", "static", "media", "feeds", "webhooks", "www"}
LANGUAGES = ("id", "en", "ms", "tr", "ar")

# Which status each decision may start from. Approving a suspended brand reinstates it.
TRANSITIONS: dict[BrandStatus, tuple[BrandStatus, ...]] = {
    BrandStatus.APPROVED: (BrandStatus.APPLIED, BrandStatus.SUSPENDED),
    BrandStatus.REJECTED: (BrandStatus.APPLIED,),
    BrandStatus.SUSPENDED: (BrandStatus.APPROVED,),
}


async def apply(actor: Actor, *, slug: str, name: str, description: str = "", default_currency: str = "IDR") -> Brand:
    """A signed-in user applies for a brand; they become its owner, and it serves once approved."""
    user_id = actor.require_user()
    slug = slug.strip().lower()
    errors = []
    if not SLUG.match(slug) or "--" in slug:
        errors.append(DomainError("INVALID_SLUG", "Use 3–64 lowercase letters, digits and single hyphens.", "slug"))
    elif slug in RESERVED_SLUGS:
        errors.append(DomainError("SLUG_TAKEN", "This name is reserved.", "slug"))
    if not name.strip() or len(name) > 200:
        errors.append(DomainError("INVALID_NAME", "A brand name is 1–200 characters.", "name"))
    if not is_currency(default_currency):
        errors.append(
            DomainError("INVALID_CURRENCY", f"{default_currency!r} is not an ISO 4217 currency.", "default_currency")
        )
    if errors:
        raise DomainErrors(errors)
    if await Brand.exists(slug=slug):
        raise DomainError("SLUG_TAKEN", "A brand with this name already exists.", "slug")
    try:
        async with in_transaction():
            brand = await Brand.create(
                slug=slug,
                name=name.strip(),
                description=description.strip(),
                default_currency=default_currency,
                currencies=[default_currency],
                languages=["id"],
                ships_to=["ID"],
            )
            await StaffMember.create(brand=brand, user_id=user_id, role=StaffRole.OWNER)
            await emit("brand.applied", {"brand_id": brand.id, "slug": slug, "user_id": user_id}, brand_id=brand.id)
    except IntegrityError:
        raise DomainError("SLUG_TAKEN", "A brand with this name already exists.", "slug") from None
    return brand


async def decide(actor: Actor, brand_id: int, target: BrandStatus, *, reason: str = "") -> Brand:
    """Approve, reject or suspend: one conditional update, so two admins deciding at once cannot both win."""
    actor.require_platform_admin()
    async with in_transaction():
        brand = await transition(Brand, brand_id, target, TRANSITIONS, noun="brand")
        await emit(
            f"brand.{target.lower()}",
            {"brand_id": brand.id, "slug": brand.slug, "reason": reason, "by": actor.label},
            brand_id=brand.id,
        )
    return brand


def listing(actor: Actor, *, status: BrandStatus | None = None, search: str | None = None) -> QuerySet[Brand]:
    """Every brand, for the platform's administrators."""
    actor.require_platform_admin()
    queryset = Brand.all()
    if status:
        queryset = queryset.filter(status=status)
    if search:
        queryset = queryset.filter(name__icontains=search.strip())
    return queryset


def can_view(actor: Actor, brand: Brand) -> bool:
    """The people and apps working for it, and the platform's administrators."""
    return actor.is_platform_admin or brand.id in actor.brand_permissions


async def visible_brands(actor: Actor, brand_ids: Iterable[int]) -> dict[int, Brand]:
    """The brands of `brand_ids` the actor may see, by id (others left out as missing ones are), in one query."""
    return {row.id: row for row in await Brand.filter(id__in=list(brand_ids)) if can_view(actor, row)}


async def domains(brand_id: int) -> list[str]:
    """The custom host names that select the brand's storefront, in order."""
    hosts = await BrandDomain.filter(brand_id=brand_id).order_by("host").values_list("host", flat=True)
    return [str(host) for host in hosts]


async def brand_id_for_slug(slug: str | None) -> int | None:
    """The id of the brand with this slug (as headers and arguments spell it), or None."""
    if not slug or not slug.strip():
        return None
    brand = await Brand.get_or_none(slug=slug.strip().lower()).only("id")
    return brand.id if brand else None


async def managed_brand(actor: Actor, slug: str, permission: Permission) -> Brand:
    """A brand the actor may manage with `permission`; other brands are reported as not found."""
    brand = await Brand.get_or_none(slug=slug.strip().lower())
    actor.require(brand.id if brand else -1, permission)  # an unknown brand is refused like someone else's
    assert brand is not None
    if brand.status == BrandStatus.REJECTED:
        raise DomainError("INVALID_STATUS", "This brand's application was rejected.", "brand")
    return brand


async def member_brand(actor: Actor, slug: str) -> Brand:
    """A brand the actor works for (any role or app), or any brand for a platform admin."""
    brand = await Brand.get_or_none(slug=slug.strip().lower())
    if brand is None or not (actor.is_platform_admin or brand.id in actor.brand_permissions):
        raise PermissionDenied("You do not work for this brand.", authenticated=actor.is_authenticated)
    return brand


async def update_storefront(actor: Actor, brand: Brand, changes: dict[str, Any]) -> Brand:
    actor.require(brand.id, Permission.MANAGE_STOREFRONT)
    values, domains = _validated_storefront(brand, changes)
    async with in_transaction():
        if values:
            await Brand.filter(id=brand.id).update(**values)
        if domains is not None:
            taken = cast(
                "list[str]",
                await BrandDomain.filter(host__in=domains).exclude(brand_id=brand.id).values_list("host", flat=True),
            )
            if taken:
                raise DomainError("DOMAIN_TAKEN", f"{', '.join(taken)} is used by another brand.", "domains")
            await BrandDomain.filter(brand_id=brand.id).exclude(host__in=domains).delete()
            existing = set(await BrandDomain.filter(brand_id=brand.id).values_list("host", flat=True))
            for host in domains:
                if host not in existing:
                    await BrandDomain.create(brand_id=brand.id, host=host)
        await emit("brand.storefront_updated", {"brand_id": brand.id, "fields": sorted(changes)}, brand_id=brand.id)
    return await Brand.get(id=brand.id)


def _validated_storefront(brand: Brand, changes: dict[str, Any]) -> tuple[dict[str, Any], list[str] | None]:
    errors: list[DomainError] = []
    values: dict[str, Any] = {}
    if "name" in changes:
        if not (changes["name"] or "").strip() or len(changes["name"]) > 200:
            errors.append(DomainError("INVALID_NAME", "A brand name is 1–200 characters.", "name"))
        values["name"] = (changes["name"] or "").strip()
    if "description" in changes:
        values["description"] = (changes["description"] or "").strip()[:5000]
    if "logo_url" in changes:
        url = (changes["logo_url"] or "").strip()
        if url and not re.match(r"^https?://\S+$", url):
            errors.append(DomainError("INVALID_URL", "The logo must be an http(s) URL.", "logo_url"))
        values["logo_url"] = url
    if "primary_color" in changes:
        if not COLOUR.match(changes["primary_color"] or ""):
            errors.append(DomainError("INVALID_COLOUR", "Use a colour like #7c3a5a.", "primary_color"))
        values["primary_color"] = (changes["primary_color"] or "").lower()
    if "languages" in changes:
        bad = [code for code in changes["languages"] if code not in LANGUAGES]
        if bad or not changes["languages"]:
            errors.append(DomainError("INVALID_LANGUAGE", f"Choose among {', '.join(LANGUAGES)}.", "languages"))
        values["languages"] = list(dict.fromkeys(changes["languages"]))
    if "currencies" in changes:
        bad = [code for code in changes["currencies"] if not is_currency(code)]
        if bad or not changes["currencies"]:
            errors.append(DomainError("INVALID_CURRENCY", f"Not ISO 4217 currencies: {', '.join(bad)}.", "currencies"))
        values["currencies"] = list(dict.fromkeys(changes["currencies"]))
    if "default_currency" in changes:
        values["default_currency"] = changes["default_currency"]
    if "ships_to" in changes:
        bad = [code for code in changes["ships_to"] if not pycountry.countries.get(alpha_2=code or "")]
        if bad:
            errors.append(DomainError("INVALID_COUNTRY", f"Not ISO 3166 countries: {', '.join(bad)}.", "ships_to"))
        values["ships_to"] = list(dict.fromkeys(changes["ships_to"]))
    if "incoterm" in changes:
        values["incoterm"] = Incoterm(changes["incoterm"])  # the API's enum: always one of them
    if "ships_from" in changes:
        try:
            values["ships_from"] = validation.country(changes["ships_from"], "ships_from")
        except DomainError as error:
            errors.append(error)
    currencies = values.get("currencies", brand.currencies or [brand.default_currency])
    default = values.get("default_currency", brand.default_currency)
    if default not in currencies:
        errors.append(
            DomainError("INVALID_CURRENCY", "The default currency must be one of the enabled ones.", "default_currency")
        )
    domains = None
    if "domains" in changes:
        domains = list(dict.fromkeys(host.strip().lower() for host in changes["domains"]))
        bad = [host for host in domains if not HOST.match(host)]
        if bad:
            errors.append(DomainError("INVALID_DOMAIN", f"Not host names: {', '.join(bad)}.", "domains"))
    if errors:
        raise DomainErrors(errors)
    return values, domains
