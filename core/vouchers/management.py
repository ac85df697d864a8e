"""Brand staff managing their vouchers (permission MANAGE_STOREFRONT): create, change, delete, list.

A voucher is checked as a whole on every write: an update is merged into the stored voucher first, so a
change of kind or of currencies cannot leave a FIXED voucher without its amounts. Someone else's voucher
and a missing one are refused alike (FORBIDDEN), so IDs cannot be probed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, TypeGuard

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from core.actors.models import Brand
from core.auth.permissions import Permission
from core.catalog.validation import MAX_AMOUNT, optional_text
from core.context import Actor
from core.errors import DomainError
from core.events import emit
from core.money import quantize
from core.pagination import Page, PageRequest, paginate
from core.validation import Problems
from core.vouchers.models import Voucher, VoucherCurrency, VoucherKind
from core.vouchers.services import CODE_LENGTH, normalise_code

CODE = re.compile(rf"^[A-Z0-9][A-Z0-9_-]{{2,{CODE_LENGTH - 1}}}$")
MAX_LIMIT = 10_000_000
FIELDS = ("code", "name", "kind", "percentage", "starts_at", "ends_at", "usage_limit", "per_customer_limit", "active")


@dataclass(frozen=True, slots=True)
class CurrencyRow:
    currency: str
    discount_amount: Decimal | None
    min_subtotal: Decimal | None


async def create_voucher(actor: Actor, brand: Brand, data: Mapping[str, Any]) -> Voucher:
    actor.require(brand.id, Permission.MANAGE_STOREFRONT)
    values, rows = _validated(brand, {"kind": None, "active": True, **data})
    await _refuse_taken_code(brand.id, values["code"])
    try:
        async with in_transaction():
            voucher = await Voucher.create(brand_id=brand.id, **values)
            await _replace_currencies(voucher.id, rows)
            await emit("voucher.created", {"voucher_id": voucher.id, "code": voucher.code}, brand_id=brand.id)
    except IntegrityError:  # a concurrent create took the code between the check and the INSERT
        raise _code_taken(values["code"]) from None
    return voucher


async def update_voucher(actor: Actor, voucher_id: int, changes: Mapping[str, Any]) -> Voucher:
    """Change the given fields; `currencies`, when given, replaces them all. `used_count` is never reset."""
    voucher = await _load(actor, voucher_id)
    brand = await Brand.get(id=voucher.brand_id)
    current = {name: getattr(voucher, name) for name in FIELDS}
    current["currencies"] = [
        {"currency": r.currency, "discount_amount": r.discount_amount, "min_subtotal": r.min_subtotal}
        for r in await VoucherCurrency.filter(voucher_id=voucher.id).order_by("id")
    ]
    values, rows = _validated(brand, {**current, **changes})
    if values["code"] != voucher.code:
        await _refuse_taken_code(brand.id, values["code"])
    try:
        async with in_transaction():
            await Voucher.filter(id=voucher.id).update(**values, updated_at=datetime.now(UTC))
            if "currencies" in changes:
                await _replace_currencies(voucher.id, rows)
            await emit(
                "voucher.updated", {"voucher_id": voucher.id, "fields": sorted(changes)}, brand_id=voucher.brand_id
            )
    except IntegrityError:
        raise _code_taken(values["code"]) from None
    return await Voucher.get(id=voucher.id)


async def delete_voucher(actor: Actor, voucher_id: int) -> Voucher:
    """Orders keep the code they were placed with; checkouts holding the voucher lose it."""
    voucher = await _load(actor, voucher_id)
    async with in_transaction():
        await Voucher.filter(id=voucher.id).delete()
        await emit("voucher.deleted", {"voucher_id": voucher.id, "code": voucher.code}, brand_id=voucher.brand_id)
    return voucher


async def voucher_page(
    actor: Actor, brand: Brand, request: PageRequest, *, default_size: int, max_size: int
) -> Page[Voucher]:
    """The brand's vouchers, newest first."""
    actor.require(brand.id, Permission.MANAGE_STOREFRONT)
    query = Voucher.filter(brand_id=brand.id)
    return await paginate(
        query, request, order=("-id",), key="vouchers:newest", default_size=default_size, max_size=max_size
    )


async def currencies_of(voucher_ids: Iterable[int]) -> dict[int, list[VoucherCurrency]]:
    """Each voucher's currency rows, in the order they were given, for a page of vouchers in one query."""
    result: dict[int, list[VoucherCurrency]] = {}
    for row in await VoucherCurrency.filter(voucher_id__in=list(voucher_ids)).order_by("id"):
        result.setdefault(row.voucher_id, []).append(row)
    return result


async def _load(actor: Actor, voucher_id: int) -> Voucher:
    voucher = await Voucher.get_or_none(id=voucher_id)
    actor.require(voucher.brand_id if voucher else -1, Permission.MANAGE_STOREFRONT)
    if voucher is None:  # only a system actor gets here
        raise DomainError("NOT_FOUND", "There is no such voucher.", "id")
    return voucher


async def _refuse_taken_code(brand_id: int, code: str) -> None:
    if await Voucher.exists(brand_id=brand_id, code=code):
        raise _code_taken(code)


def _code_taken(code: str) -> DomainError:
    return DomainError("CODE_TAKEN", f"This brand already has a voucher {code}.", "code")


async def _replace_currencies(voucher_id: int, rows: list[CurrencyRow]) -> None:
    await VoucherCurrency.filter(voucher_id=voucher_id).delete()
    await VoucherCurrency.bulk_create(
        [
            VoucherCurrency(
                voucher_id=voucher_id,
                currency=r.currency,
                discount_amount=r.discount_amount,
                min_subtotal=r.min_subtotal,
            )
            for r in rows
        ]
    )


# --- checks ------------------------------------------------------------------------------------------------


def _validated(brand: Brand, data: Mapping[str, Any]) -> tuple[dict[str, Any], list[CurrencyRow]]:
    """The voucher's columns and currency rows from a complete input, or every problem at once."""
    problems = Problems()
    code = normalise_code(data.get("code") or "")
    if not CODE.match(code):
        problems.add("INVALID_CODE", f"Use 3–{CODE_LENGTH} letters, digits, hyphens or underscores.", "code")
    kind = VoucherKind(data["kind"]) if data.get("kind") in tuple(VoucherKind) else None
    if kind is None:
        problems.add("INVALID_KIND", "Choose PERCENTAGE, FIXED or FREE_SHIPPING.", "kind")
    values: dict[str, Any] = {
        "code": code,
        "name": optional_text(problems, data.get("name"), "name", 200),
        "kind": kind,
        "percentage": _percentage(problems, kind, data.get("percentage")),
        "active": bool(data.get("active")),
    }
    values.update(_window(problems, data.get("starts_at"), data.get("ends_at")))
    for key in ("usage_limit", "per_customer_limit"):
        limit = data.get(key)
        if limit is not None and not 1 <= limit <= MAX_LIMIT:
            problems.add("INVALID_LIMIT", "A limit is at least 1 use; leave it out for no limit.", key)
        values[key] = limit
    enabled = brand.currencies or [brand.default_currency]
    rows = _currencies(problems, kind, data.get("currencies") or [], enabled)
    problems.check()
    return values, rows


def _percentage(problems: Problems, kind: VoucherKind | None, value: Decimal | None) -> Decimal | None:
    if kind != VoucherKind.PERCENTAGE:
        if value is not None:
            problems.add("INVALID_PERCENTAGE", "Only a PERCENTAGE voucher has a percentage.", "percentage")
        return None
    if value is None or not value.is_finite() or not 0 < value <= 100 or value != value.quantize(Decimal("0.01")):
        problems.add(
            "INVALID_PERCENTAGE", "A percentage is above 0 and at most 100, with up to 2 decimals.", "percentage"
        )
        return None
    return value


def _window(problems: Problems, starts_at: datetime | None, ends_at: datetime | None) -> dict[str, datetime | None]:
    """Times without a zone are taken as UTC, as the API documents."""
    starts, ends = (t.replace(tzinfo=UTC) if t is not None and t.tzinfo is None else t for t in (starts_at, ends_at))
    if starts is not None and ends is not None and ends <= starts:
        problems.add("INVALID_DATES", "A voucher must end after it starts.", "ends_at")
    return {"starts_at": starts, "ends_at": ends}


def _currencies(
    problems: Problems, kind: VoucherKind | None, entries: list[Mapping[str, Any]], enabled: list[str]
) -> list[CurrencyRow]:
    """One row per currency the voucher is offered in: among the brand's, each once; FIXED ones with an
    amount off, others without; minimum subtotals of 0 or more. All amounts are quantized to the currency."""
    if not entries:
        problems.add("CURRENCY_REQUIRED", "Offer the voucher in at least one currency.", "currencies")
    rows: list[CurrencyRow] = []
    seen: set[str] = set()
    for i, entry in enumerate(entries):
        at = problems.at(f"currencies.{i}")
        currency = (entry.get("currency") or "").strip().upper()
        if currency not in enabled:
            at.add("CURRENCY_NOT_ENABLED", f"This brand sells in {', '.join(enabled)}.", "currency")
            continue
        if currency in seen:
            at.add("DUPLICATE_CURRENCY", f"{currency} is given twice.", "currency")
            continue
        seen.add(currency)
        discount, minimum = entry.get("discount_amount"), entry.get("min_subtotal")
        if kind == VoucherKind.FIXED and not (_amount(discount) and discount > 0):
            at.add("INVALID_DISCOUNT", "A FIXED voucher needs an amount above 0 in each currency.", "discount_amount")
        elif kind != VoucherKind.FIXED and discount is not None:
            at.add("INVALID_DISCOUNT", "Only a FIXED voucher has an amount off.", "discount_amount")
        if minimum is not None and not _amount(minimum):
            at.add("INVALID_AMOUNT", "A minimum subtotal is an amount of 0 or more.", "min_subtotal")
        rows.append(
            CurrencyRow(
                currency=currency,
                discount_amount=quantize(discount, currency)
                if kind == VoucherKind.FIXED and _amount(discount)
                else None,
                min_subtotal=quantize(minimum, currency) if _amount(minimum) else None,
            )
        )
    return rows


def _amount(value: Any) -> TypeGuard[Decimal]:
    return isinstance(value, Decimal) and value.is_finite() and Decimal(0) <= value < MAX_AMOUNT
