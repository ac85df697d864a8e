"""The platform's duty and import tax tables (platform administrators): what `core.customs.landed` reads."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from core.context import Actor
from core.customs import rules
from core.customs.models import CustomsDuty, ImportTax
from core.events import emit
from core.money import is_currency
from core.validation import Problems

MAX_PERCENT = Decimal(1000)  # some duties exceed 100% (Turkey's additional duties on garments reach it)
PREFIX = re.compile(r"^\d{4}(?:\d{2})?$")


def _percent(problems: Problems, value: Any, field: str) -> Decimal:
    try:
        number = Decimal(str(value)) if not isinstance(value, float) else Decimal(-1)
    except (InvalidOperation, ValueError):
        number = Decimal(-1)
    if not number.is_finite() or not 0 <= number <= MAX_PERCENT or number != number.quantize(Decimal("0.001")):
        problems.add("INVALID_RATE", "A rate is a percentage from 0 to 1000 with at most 3 decimals.", field)
        return Decimal(0)
    return number


def _amount(problems: Problems, value: Any, field: str) -> Decimal:
    try:
        number = Decimal(str(value)) if not isinstance(value, float) else Decimal(-1)
    except (InvalidOperation, ValueError):
        number = Decimal(-1)
    if not number.is_finite() or not 0 <= number < Decimal(10) ** 12:
        problems.add("INVALID_AMOUNT", "A threshold is an amount from 0 up.", field)
        return Decimal(0)
    return number


def _prefix(problems: Problems, value: str) -> str:
    digits = re.sub(r"[.\s]", "", value or "")
    if not PREFIX.match(digits):
        problems.add("INVALID_HS_CODE", "A duty is set on an HS heading (4 digits) or subheading (6).", "hs_prefix")
        return ""
    rules.hs_code(problems, digits.ljust(6, "0"), "hs_prefix")  # the chapter must exist
    return digits


async def set_duty(actor: Actor, *, country: str, hs_prefix: str, rate: Any) -> CustomsDuty:
    actor.require_platform_admin()
    problems = Problems()
    code = rules.country(problems, country or "", "country")
    prefix = _prefix(problems, hs_prefix)
    value = _percent(problems, rate, "rate")
    problems.check()
    async with in_transaction():
        updated = await CustomsDuty.filter(country=code, hs_prefix=prefix).update(rate=value, updated_by=actor.label)
        if not updated:
            try:
                async with in_transaction():
                    await CustomsDuty.create(country=code, hs_prefix=prefix, rate=value, updated_by=actor.label)
            except IntegrityError:  # another admin created it meanwhile: set ours over it
                await CustomsDuty.filter(country=code, hs_prefix=prefix).update(rate=value, updated_by=actor.label)
        await emit("customs_rate.set", {"country": code, "hs_prefix": prefix, "rate": str(value)})
    return await CustomsDuty.get(country=code, hs_prefix=prefix)


async def delete_duty(actor: Actor, *, country: str, hs_prefix: str) -> CustomsDuty:
    actor.require_platform_admin()
    problems = Problems()
    code = rules.country(problems, country or "", "country")
    prefix = _prefix(problems, hs_prefix)
    problems.check()
    row = await CustomsDuty.get_or_none(country=code, hs_prefix=prefix)
    if row is None:
        problems.add("NOT_FOUND", f"No duty is set for {prefix} in {code}.", "hs_prefix")
        problems.check()
    assert row is not None
    async with in_transaction():
        await CustomsDuty.filter(id=row.id).delete()
        await emit("customs_rate.deleted", {"country": code, "hs_prefix": prefix})
    return row


async def set_import_tax(actor: Actor, data: dict[str, Any]) -> ImportTax:
    """Create or replace a destination's import tax and thresholds (every field given)."""
    actor.require_platform_admin()
    problems = Problems()
    code = rules.country(problems, data.get("country") or "", "country")
    name = " ".join(str(data.get("name") or "").split())
    if not 1 <= len(name) <= 40:
        problems.add("INVALID_NAME", "Name the tax in 1-40 characters (SST, VAT, KDV).", "name")
    currency = str(data.get("currency") or "").strip().upper()
    if not is_currency(currency):
        problems.add("INVALID_CURRENCY", f"{currency!r} is not an ISO 4217 currency code.", "currency")
    values: dict[str, Any] = {
        "name": name,
        "currency": currency,
        "rate": _percent(problems, data.get("rate"), "rate"),
        "duty_free_up_to": _amount(problems, data.get("duty_free_up_to", 0), "duty_free_up_to"),
        "tax_free_up_to": _amount(problems, data.get("tax_free_up_to", 0), "tax_free_up_to"),
        "tax_includes_duty": bool(data.get("tax_includes_duty", True)),
        "updated_by": actor.label,
    }
    problems.check()
    async with in_transaction():
        if not await ImportTax.filter(country=code).update(**values):
            try:
                async with in_transaction():
                    await ImportTax.create(country=code, **values)
            except IntegrityError:
                await ImportTax.filter(country=code).update(**values)
        await emit("import_tax.set", {"country": code, "name": name, "rate": str(values["rate"])})
    return await ImportTax.get(country=code)
