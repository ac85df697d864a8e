"""Fabrics: approved suppliers manage their own; brands choose from the active fabrics of approved suppliers.

A supplier's fabric is reached only through that supplier's account: someone else's fabric and a missing
one are both NOT_FOUND, so IDs cannot be probed. Every price change appends to the price history in the same
transaction. Metres in stock are set by the supplier after a stocktake (`stock_metres`) or moved by an
atomic adjustment (`stock_adjustment`, never below zero), the same conditional UPDATE orders reserve with.
Who sees which fabric, and the lists brands browse, are read in core.garments.fabric_queries.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F
from tortoise.transactions import in_transaction

from core.actors.models import ActorStatus, Supplier
from core.actors.validation import http_url
from core.context import Actor
from core.errors import DomainError, PermissionDenied
from core.events import emit
from core.garments.models import Fabric, FabricPrice, FabricStatus
from core.money import decimal_or_none, exponent, is_currency
from core.validation import Problems

SKU = re.compile(r"^\S{1,64}$")
TEXTS = {"composition": 200, "colour": 64, "pattern": 64}
MAX_METRES = Decimal(10) ** 10  # DecimalField(max_digits=12, decimal_places=2)
MAX_PRICE = Decimal(10) ** 13  # DecimalField(max_digits=16, decimal_places=3)
MAX_IMAGES = 20
MAX_LEAD_DAYS = 365
FIELDS = (
    "sku", "name", "composition", "weight_gsm", "width_cm", "colour", "pattern", "price_per_metre", "currency",
    "stock_metres", "min_order_metres", "lead_time_days", "images",
)  # fmt: skip


# --- the supplier's operations ------------------------------------------------------------------------------


async def create_fabric(actor: Actor, data: Mapping[str, Any]) -> Fabric:
    supplier = await approved_supplier(actor)
    values = _validated({"composition": "", "colour": "", "pattern": "", "images": [], **data}, required=True)
    values.pop("stock_adjustment", None)
    try:
        async with in_transaction():
            fabric = await Fabric.create(supplier_id=supplier.id, **values)
            await _record_price(fabric, actor)
            await emit("fabric.created", {"fabric_id": fabric.id, "supplier_id": supplier.id, "sku": fabric.sku})
    except IntegrityError:
        raise _sku_taken(values["sku"]) from None
    return fabric


async def update_fabric(actor: Actor, fabric_id: int, changes: Mapping[str, Any]) -> Fabric:
    """Change the given fields; the whole fabric is checked as it will be. A new price or currency is recorded."""
    fabric = await _own(actor, fabric_id)
    given = {name: value for name, value in changes.items() if value is not None}
    current = {name: getattr(fabric, name) for name in FIELDS}
    values = _validated({**current, **given}, required=False, given=given, current=current)
    adjustment = values.pop("stock_adjustment", None)
    price_changed = (values["price_per_metre"], values["currency"]) != (fabric.price_per_metre, fabric.currency)
    # Only what was given is written: a field read earlier and written back unchanged would undo a colleague's
    # edit (or a reservation, for stock_metres) made meanwhile. A price goes with its currency.
    written = set(given) | ({"price_per_metre", "currency"} if price_changed else set())
    values = {name: value for name, value in values.items() if name in written}
    try:
        async with in_transaction():
            await Fabric.filter(id=fabric.id).update(**values, updated_at=datetime.now(UTC))
            if adjustment:
                moved = await Fabric.filter(id=fabric.id, stock_metres__gte=-adjustment).update(
                    stock_metres=F("stock_metres") + adjustment
                )
                if not moved:
                    raise DomainError(
                        "INSUFFICIENT_STOCK", "Fewer metres are in stock than this takes away.", "stock_adjustment"
                    )
            updated = await Fabric.get(id=fabric.id)
            if price_changed:
                await _record_price(updated, actor)
            await emit(
                "fabric.updated",
                {"fabric_id": fabric.id, "supplier_id": fabric.supplier_id, "fields": sorted(given)},
            )
    except IntegrityError:
        raise _sku_taken(values.get("sku", fabric.sku)) from None
    return updated


async def archive_fabric(actor: Actor, fabric_id: int) -> Fabric:
    """Withdraw a fabric from brands' choice; orders already placed keep theirs."""
    fabric = await _own(actor, fabric_id)
    if fabric.status == FabricStatus.ARCHIVED:
        raise DomainError("ALREADY_ARCHIVED", "This fabric is already archived.", "id")
    async with in_transaction():
        await Fabric.filter(id=fabric.id).update(status=FabricStatus.ARCHIVED, updated_at=datetime.now(UTC))
        await emit("fabric.archived", {"fabric_id": fabric.id, "supplier_id": fabric.supplier_id})
    return await Fabric.get(id=fabric.id)


async def approved_supplier(actor: Actor) -> Supplier:
    """The caller's supplier account, which the platform must have approved before it offers fabric."""
    actor.require_user()
    supplier = await Supplier.filter(id__in=list(actor.supplier_ids), status=ActorStatus.APPROVED).first()
    if supplier is None:
        raise PermissionDenied("Only an approved supplier may offer fabric.", authenticated=True)
    return supplier


async def _own(actor: Actor, fabric_id: int) -> Fabric:
    supplier = await approved_supplier(actor)
    fabric = await Fabric.get_or_none(id=fabric_id, supplier_id=supplier.id)
    if fabric is None:
        raise DomainError("NOT_FOUND", "There is no such fabric.", "id")
    return fabric


async def _record_price(fabric: Fabric, actor: Actor) -> None:
    await FabricPrice.create(
        fabric_id=fabric.id, price_per_metre=fabric.price_per_metre, currency=fabric.currency, set_by=actor.label
    )


def _sku_taken(sku: str) -> DomainError:
    return DomainError("SKU_TAKEN", f"You already have a fabric with SKU {sku}.", "sku")


# --- checks ---------------------------------------------------------------------------------------------------


def _validated(
    data: Mapping[str, Any],
    *,
    required: bool,
    given: Mapping[str, Any] | None = None,
    current: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    problems = Problems()
    values: dict[str, Any] = {}
    sku = (data.get("sku") or "").strip()
    if not SKU.match(sku):
        problems.add("INVALID_SKU", "Use 1–64 characters without spaces.", "sku")
    values["sku"] = sku
    name = (data.get("name") or "").strip()
    if not name or len(name) > 200:
        problems.add("INVALID_NAME", "Use 1–200 characters.", "name")
    values["name"] = name
    for field, limit in TEXTS.items():
        text = (data.get(field) or "").strip()
        if len(text) > limit:
            problems.add("TOO_LONG", f"Use at most {limit} characters.", field)
        values[field] = text
    values["weight_gsm"] = _whole(problems, data.get("weight_gsm"), "weight_gsm", "INVALID_WEIGHT", 1, 2000)
    values["width_cm"] = _whole(problems, data.get("width_cm"), "width_cm", "INVALID_WIDTH", 1, 600)
    lead = data.get("lead_time_days")
    values["lead_time_days"] = _whole(
        problems, 0 if lead is None else lead, "lead_time_days", "INVALID_LEAD_TIME", 0, MAX_LEAD_DAYS
    )
    currency = (data.get("currency") or "").strip().upper()
    if not is_currency(currency):
        problems.add("INVALID_CURRENCY", f"{data.get('currency')!r} is not an ISO 4217 currency code.", "currency")
    values["currency"] = currency
    changed_currency = current is not None and given is not None and currency != current["currency"]
    if changed_currency and "price_per_metre" not in (given or {}):
        problems.add("PRICE_REQUIRED", "Give the price in the new currency too.", "price_per_metre")
    values["price_per_metre"] = _price(problems, data.get("price_per_metre"), currency)
    values["stock_metres"] = _metres(problems, data.get("stock_metres", 0), "stock_metres", "INVALID_STOCK")
    values["min_order_metres"] = _metres(
        problems, data.get("min_order_metres", 0), "min_order_metres", "INVALID_MIN_ORDER"
    )
    adjustment = data.get("stock_adjustment")
    if adjustment is not None:
        if given is not None and "stock_metres" in given:
            problems.add("INVALID_STOCK", "Set the metres in stock or adjust them, not both.", "stock_adjustment")
        number = decimal_or_none(adjustment)
        if number is None or abs(number) >= MAX_METRES or number != number.quantize(Decimal("0.01")):
            problems.add("INVALID_STOCK", "Give metres with at most two decimals.", "stock_adjustment")
        else:
            values["stock_adjustment"] = number
    values["images"] = _images(problems, data.get("images"))
    problems.check()
    return values


def _whole(problems: Problems, value: Any, field: str, code: str, low: int, high: int) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not (low <= value <= high):
        problems.add(code, f"Give a whole number from {low} to {high}.", field)
        return None
    return value


def _price(problems: Problems, value: Any, currency: str) -> Decimal | None:
    number = decimal_or_none(value)
    places = Decimal(1).scaleb(-exponent(currency)) if currency else Decimal("0.01")
    if number is None or not (0 < number < MAX_PRICE):
        problems.add("INVALID_PRICE", "Give a price per metre above 0.", "price_per_metre")
        return None
    if number != number.quantize(places):
        problems.add("INVALID_PRICE", f"{currency} has at most {exponent(currency)} decimals.", "price_per_metre")
        return None
    return number


def _metres(problems: Problems, value: Any, field: str, code: str) -> Decimal | None:
    number = decimal_or_none(Decimal(0) if value is None else value)
    if number is None or not (0 <= number < MAX_METRES) or number != number.quantize(Decimal("0.01")):
        problems.add(code, "Give metres from 0, with at most two decimals.", field)
        return None
    return number


def _images(problems: Problems, value: Any) -> list[str]:
    urls = list(value or [])
    if len(urls) > MAX_IMAGES:
        problems.add("TOO_MANY", f"At most {MAX_IMAGES} images.", "images")
        return []
    cleaned: list[str] = []
    for i, url in enumerate(urls):
        try:
            checked = http_url(url if isinstance(url, str) else None, f"images.{i}")
        except DomainError as error:
            problems.add(error.code, error.message, error.field or f"images.{i}")
            continue
        if not checked:
            problems.add("INVALID_URL", "Give an http(s) URL.", f"images.{i}")
            continue
        cleaned.append(checked)
    return cleaned
