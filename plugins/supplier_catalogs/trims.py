"""Writing a supplier's trims (the plugin's own table) and listing them for brands.

The writers mirror core's fabric service: every price change appends to the price history in the same
transaction, an update writes only what the feed gave, and archiving keeps the row (orders may name it).
Brands browse the ACTIVE trims of APPROVED suppliers; a supplier also sees its own in every status.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any

from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from lini.plugin import Actor, emit, emit_many, insert_rows
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


# --- many at once (feed imports) ------------------------------------------------------------------------------

BATCH_SIZE = 500
Window = tuple[date | None, date | None]


async def write_trims(
    supplier_id: int,
    *,
    creates: Sequence[tuple[str, Mapping[str, Any], Window]] = (),
    updates: Sequence[tuple[int, Mapping[str, Any], Window]] = (),
    archives: Sequence[int] = (),
    set_by: str,
) -> dict[str, int]:
    """The writers above for a batch, in a few statements, in the caller's transaction: new trims with their
    first price, updates (a changed price or currency appends to the history with its window), archivings,
    and one event each. Returns the new trims' ids by SKU."""
    now = datetime.now(UTC)
    ids: dict[str, int] = {}
    if creates:
        written = await insert_rows(
            Trim,
            [{"supplier_id": supplier_id, "sku": sku, **DEFAULTS, **values} for sku, values, _ in creates],
            returning=("id", "sku"),
        )  # the ids from the INSERT itself: reading them back by SKU after a bulk insert is slow on PostgreSQL
        ids.update((row["sku"], row["id"]) for row in written)
    groups: dict[tuple[str, ...], list[Trim]] = {}
    for trim_id, changes, _ in updates:
        groups.setdefault(tuple(sorted(changes)), []).append(Trim(id=trim_id, updated_at=now, **changes))
    for names, rows in groups.items():
        await Trim.bulk_update(rows, [*names, "updated_at"], BATCH_SIZE)
    priced = [(trim_id, valid) for trim_id, changes, valid in updates if "price" in changes or "currency" in changes]
    current = {row["id"]: row for row in await _prices_of([trim_id for trim_id, _ in priced])}
    prices = [
        {"trim_id": ids[sku], "price": values["price"], "currency": values["currency"], "valid_from": valid[0],
         "valid_to": valid[1], "set_by": set_by}
        for sku, values, valid in creates
    ] + [
        {"trim_id": trim_id, "price": current[trim_id]["price"], "currency": current[trim_id]["currency"],
         "valid_from": valid[0], "valid_to": valid[1], "set_by": set_by}
        for trim_id, valid in priced
    ]  # fmt: skip
    await insert_rows(TrimPrice, prices)
    for start in range(0, len(archives), BATCH_SIZE):
        await Trim.filter(id__in=archives[start : start + BATCH_SIZE]).update(
            status=TrimStatus.ARCHIVED, updated_at=now
        )
    await emit_many(
        "trim.created", [{"trim_id": ids[sku], "supplier_id": supplier_id, "sku": sku} for sku, _, _ in creates]
    )
    await emit_many(
        "trim.updated",
        [
            {"trim_id": trim_id, "supplier_id": supplier_id, "fields": sorted(changes)}
            for trim_id, changes, _ in updates
        ],
    )
    await emit_many("trim.archived", [{"trim_id": trim_id, "supplier_id": supplier_id} for trim_id in archives])
    return ids


async def _prices_of(trim_ids: list[int]) -> list[dict[str, Any]]:
    """The trims' prices as just written (after the updates above), for their history rows."""
    found: list[dict[str, Any]] = []
    for start in range(0, len(trim_ids), BATCH_SIZE):
        found += await Trim.filter(id__in=trim_ids[start : start + BATCH_SIZE]).values("id", "price", "currency")
    return found
