"""Writing a supplier's trims (the plugin's own table) and listing them for brands.

The writers mirror core's fabric service: every price change appends to the price history in the same
transaction, an update writes only what the feed gave, and archiving keeps the row (orders may name it).
Brands browse the ACTIVE trims of APPROVED suppliers; a supplier also sees its own in every status.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from lini.plugin import Actor, emit
from plugins.supplier_catalogs.models import Trim, TrimPrice, TrimStatus, TrimType

DEFAULTS: dict[str, Any] = {"composition": "", "colour": "", "pattern": "", "images": []}


async def create_trim(
    supplier_id: int, sku: str, values: Mapping[str, Any], *, valid: tuple[date | None, date | None], set_by: str
) -> Trim:
    async with in_transaction():
        trim = await Trim.create(supplier_id=supplier_id, sku=sku, **{**DEFAULTS, **values})
        await _record_price(trim, valid, set_by)
        await emit("trim.created", {"trim_id": trim.id, "supplier_id": supplier_id, "sku": sku})
    return trim


async def update_trim(
    trim: Trim, changes: Mapping[str, Any], *, valid: tuple[date | None, date | None], set_by: str
) -> Trim:
    price_changed = any(name in changes for name in ("price", "currency"))
    async with in_transaction():
        await Trim.filter(id=trim.id).update(**changes, updated_at=datetime.now(UTC))
        updated = await Trim.get(id=trim.id)
        if price_changed:
            await _record_price(updated, valid, set_by)
        await emit("trim.updated", {"trim_id": trim.id, "supplier_id": trim.supplier_id, "fields": sorted(changes)})
    return updated


async def archive_trim(trim: Trim) -> None:
    async with in_transaction():
        await Trim.filter(id=trim.id).update(status=TrimStatus.ARCHIVED, updated_at=datetime.now(UTC))
        await emit("trim.archived", {"trim_id": trim.id, "supplier_id": trim.supplier_id})


async def _record_price(trim: Trim, valid: tuple[date | None, date | None], set_by: str) -> None:
    await TrimPrice.create(
        trim_id=trim.id, price=trim.price, currency=trim.currency, valid_from=valid[0], valid_to=valid[1], set_by=set_by
    )


def listing(
    actor: Actor,
    *,
    mine: bool = False,
    search: str | None = None,
    trim_type: TrimType | None = None,
    supplier_id: int | None = None,
    in_stock: bool | None = None,
) -> QuerySet[Trim]:
    """The trims brands browse, or with `mine` the calling supplier's own (archived too)."""
    if mine:
        queryset = Trim.filter(supplier_id__in=list(actor.supplier_ids))
    else:
        queryset = Trim.filter(status=TrimStatus.ACTIVE, supplier__status="APPROVED")
    if search:
        queryset = queryset.filter(name__icontains=search.strip()[:100])
    if trim_type is not None:
        queryset = queryset.filter(trim_type=trim_type)
    if supplier_id is not None:
        queryset = queryset.filter(supplier_id=supplier_id)
    if in_stock is not None:
        queryset = queryset.filter(stock__gt=0) if in_stock else queryset.filter(stock=0)
    return queryset


async def price_histories(trim_ids: list[int]) -> dict[int, list[TrimPrice]]:
    found: dict[int, list[TrimPrice]] = {trim_id: [] for trim_id in trim_ids}
    for price in await TrimPrice.filter(trim_id__in=trim_ids).order_by("id"):
        found[price.trim_id].append(price)
    return found
