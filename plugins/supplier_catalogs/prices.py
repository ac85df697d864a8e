"""Prices that start later: a feed row whose `price_valid_from` is after today keeps its price here, and the
plugin's periodic job makes it the material's price on that day.

The rest of the row is written at once; the price waits as a `ScheduledPrice` with its validity window. A later
feed giving another price for the same material and day supersedes the waiting one (the newest feed wins). On
its day the price is written the way any price is: for a fabric through core's fabric service (batched: checked,
evented, kept in core's price history), for a trim by the trim writer (its history row keeps the window). The
applied row stays, so the window each price was given for is kept beside core's history.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from tortoise.transactions import in_transaction

from lini.plugin import FabricChange, actor_for_user_id, write_fabrics
from plugins.supplier_catalogs import trims
from plugins.supplier_catalogs.feed_models import PriceStatus, ScheduledPrice
from plugins.supplier_catalogs.models import Trim, TrimStatus
from plugins.supplier_catalogs.rows import Kind

logger = logging.getLogger("lini.supplier_catalogs")
BATCH = 500


@dataclass(frozen=True)
class Later:
    kind: Kind
    material_id: int
    sku: str
    price: Decimal
    currency: str
    valid_from: date
    valid_to: date | None


async def schedule(supplier_id: int, prices: Sequence[Later], *, set_by: str) -> None:
    """Keep `prices` for their day, superseding what waited for the same material and day (caller's transaction)."""
    for kind in Kind:
        ids = [p.material_id for p in prices if p.kind == kind]
        for start in range(0, len(ids), BATCH):
            waiting = ScheduledPrice.filter(
                supplier_id=supplier_id,
                kind=kind,
                material_id__in=ids[start : start + BATCH],
                status=PriceStatus.PENDING,
            )
            days = {(p.material_id, p.valid_from) for p in prices if p.kind == kind}
            superseded = [
                row_id
                for row_id, material_id, day in await waiting.values_list("id", "material_id", "valid_from")
                if (material_id, day) in days
            ]
            if superseded:
                await ScheduledPrice.filter(id__in=superseded).update(status=PriceStatus.SUPERSEDED)
    await ScheduledPrice.bulk_create(
        [
            ScheduledPrice(
                supplier_id=supplier_id, kind=p.kind, material_id=p.material_id, sku=p.sku, price=p.price,
                currency=p.currency, valid_from=p.valid_from, valid_to=p.valid_to, set_by=set_by,
            )
            for p in prices
        ],
        BATCH,
    )  # fmt: skip


async def apply_due(today: date | None = None) -> int:
    """Make every waiting price whose day has come its material's price; returns how many were applied. Of two
    waiting for one material, the later day wins (both are marked applied, in order)."""
    today = today or datetime.now(UTC).date()
    due = await ScheduledPrice.filter(status=PriceStatus.PENDING, valid_from__lte=today).order_by("valid_from", "id")
    by_supplier: dict[int, list[ScheduledPrice]] = {}
    for row in due:
        by_supplier.setdefault(row.supplier_id, []).append(row)
    applied = 0
    for supplier_id, rows in by_supplier.items():
        latest = {(row.kind, row.material_id): row for row in rows}  # ordered by day: the last one wins
        try:
            async with in_transaction():
                await _apply(supplier_id, list(latest.values()))
                await ScheduledPrice.filter(id__in=[row.id for row in rows]).update(
                    status=PriceStatus.APPLIED, applied_at=datetime.now(UTC)
                )
        except Exception:
            logger.exception("the due prices of supplier %s could not be applied; trying again next run", supplier_id)
            continue
        applied += len(rows)
    return applied


async def _apply(supplier_id: int, rows: list[ScheduledPrice]) -> None:
    fabrics = [row for row in rows if row.kind == Kind.FABRIC]
    if fabrics:
        # the supplier's own account acts for its feed's prices, with its rights when they fall due
        owner = await ScheduledPrice.filter(id=fabrics[0].id).values_list("supplier__user_id", flat=True)
        actor = await actor_for_user_id(int(owner[0]))  # type: ignore[call-overload]
        if actor is None:
            raise RuntimeError(f"supplier {supplier_id} has no active account to act as")
        result = await write_fabrics(
            actor,
            [
                FabricChange(key=row.id, fabric_id=row.material_id,
                             values={"price_per_metre": row.price, "currency": row.currency})
                for row in fabrics
            ],
        )  # fmt: skip
        for key, errors in result.errors.items():
            logger.warning("scheduled price %s not applied: %s", key, "; ".join(e.message for e in errors))
    trim_rows = [row for row in rows if row.kind == Kind.TRIM]
    if trim_rows:
        active = set(
            await Trim.filter(id__in=[row.material_id for row in trim_rows], status=TrimStatus.ACTIVE).values_list(
                "id", flat=True
            )
        )
        await trims.write_trims(
            supplier_id,
            updates=[
                (row.material_id, {"price": row.price, "currency": row.currency}, (row.valid_from, row.valid_to))
                for row in trim_rows
                if row.material_id in active
            ],
            set_by="supplier_catalogs:scheduled_price",
        )
