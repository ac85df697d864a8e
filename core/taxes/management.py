"""Brand staff setting the tax rates their storefront charges per destination country (MANAGE_STOREFRONT).

One rate per country: setting a country's rate replaces the one it had. A rate is `rate`% of a base that is
`base_numerator/base_denominator` of the net price (Indonesia's PPN: 12% of 11/12); a base above the whole
price is refused, as it is nearly always 11/12 typed the wrong way round.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pycountry
from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from core.actors.models import Brand
from core.auth.permissions import Permission
from core.catalog.validation import required_text
from core.context import Actor
from core.errors import DomainError
from core.events import emit
from core.pagination import Page, PageRequest, paginate
from core.taxes.models import TaxRate
from core.validation import Problems

MAX_DENOMINATOR = 1000


def country_code(value: str | None) -> str | None:
    """An ISO 3166-1 alpha-2 code in upper case, or None when it is not one."""
    code = (value or "").strip().upper()
    return code if len(code) == 2 and pycountry.countries.get(alpha_2=code) is not None else None


async def set_tax_rate(actor: Actor, brand: Brand, data: Mapping[str, Any]) -> TaxRate:
    actor.require(brand.id, Permission.MANAGE_STOREFRONT)
    country, values = _validated(data)
    async with in_transaction():
        # A concurrent set of the same country may insert first; then ours is an update after all.
        if not await TaxRate.filter(brand_id=brand.id, country=country).update(**values, updated_at=_now()):
            try:
                async with in_transaction():
                    await TaxRate.create(brand_id=brand.id, country=country, **values)
            except IntegrityError:
                await TaxRate.filter(brand_id=brand.id, country=country).update(**values, updated_at=_now())
        await emit("tax_rate.set", {"country": country, "rate": str(values["rate"])}, brand_id=brand.id)
    return await TaxRate.get(brand_id=brand.id, country=country)


async def delete_tax_rate(actor: Actor, brand: Brand, country: str) -> TaxRate:
    """Orders to that country carry no tax from then on (unless a tax plugin adds some)."""
    actor.require(brand.id, Permission.MANAGE_STOREFRONT)
    code = country_code(country)
    row = await TaxRate.get_or_none(brand_id=brand.id, country=code) if code else None
    if row is None:
        raise DomainError("NOT_FOUND", "This brand has no tax rate for that country.", "country")
    async with in_transaction():
        await TaxRate.filter(id=row.id).delete()
        await emit("tax_rate.deleted", {"country": row.country}, brand_id=brand.id)
    return row


async def tax_rate_page(
    actor: Actor, brand: Brand, request: PageRequest, *, default_size: int, max_size: int
) -> Page[TaxRate]:
    """The brand's rates by country code."""
    actor.require(brand.id, Permission.MANAGE_STOREFRONT)
    query = TaxRate.filter(brand_id=brand.id)
    return await paginate(
        query, request, order=("country", "id"), key="tax_rates:country", default_size=default_size, max_size=max_size
    )


def _now() -> datetime:
    return datetime.now(UTC)


def _validated(data: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    problems = Problems()
    country = country_code(data.get("country"))
    if country is None:
        problems.add("INVALID_COUNTRY", "Use an ISO 3166-1 alpha-2 country code, such as ID or MY.", "country")
    name = required_text(problems, data.get("name"), "name", 100)
    rate = data.get("rate")
    if not (
        isinstance(rate, Decimal) and rate.is_finite() and 0 <= rate <= 100 and rate == rate.quantize(Decimal("0.001"))
    ):
        problems.add("INVALID_RATE", "A rate is a percentage from 0 to 100, with up to 3 decimals.", "rate")
    numerator, denominator = data.get("base_numerator", 1), data.get("base_denominator", 1)
    if not (isinstance(denominator, int) and 0 < denominator <= MAX_DENOMINATOR):
        problems.add("INVALID_BASE", f"The base denominator is 1–{MAX_DENOMINATOR}.", "base_denominator")
    elif not (isinstance(numerator, int) and 0 < numerator <= denominator):
        problems.add(
            "INVALID_BASE",
            "The base is a fraction of the price: 0 < numerator ≤ denominator (PPN: 11/12).",
            "base_numerator",
        )
    problems.check()
    assert country is not None
    return country, {"name": name, "rate": rate, "base_numerator": numerator, "base_denominator": denominator}
