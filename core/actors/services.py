"""Finding the brand whose storefront a request is for."""

from __future__ import annotations

from core.actors.models import Brand, BrandDomain, BrandStatus
from core.errors import DomainError


async def storefront_by_slug(slug: str) -> Brand:
    """The approved brand with this slug; an unknown, unapproved or suspended one is not served."""
    brand = await Brand.get_or_none(slug=slug.strip().lower())
    if brand is None or brand.status != BrandStatus.APPROVED:
        raise DomainError("STOREFRONT_NOT_FOUND", f"No storefront named {slug!r} is open.", "storefront")
    return brand


async def storefront_slug_for_host(host: str) -> str | None:
    """The slug mapped to a custom domain (`Host` header without the port), if any."""
    name = host.split(":", 1)[0].strip().lower()
    if not name:
        return None
    domain = await BrandDomain.get_or_none(host=name).select_related("brand")
    return domain.brand.slug if domain else None
