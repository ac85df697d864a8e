"""Many fabric changes of one supplier at once: the fabric service's rules, in a few statements per batch.

A feed of a hundred thousand fabrics cannot go through `create_fabric`/`update_fabric` one by one (a
transaction, a read and an event each). `write_fabrics` applies a batch of creations, updates and archivings
with the same checks (`core.garments.fabrics._validated`, item by item: a bad item is reported under its key and
left out, the others are written), the same price history (a row per new price, in the same transaction), and
the same events (`fabric.created`, `fabric.updated`, `fabric.archived`, one per fabric, written together). It
runs in one transaction of its own, or in the caller's (an atomic import wraps many batches in one).

Only what an update gives is written, as `update_fabric` does, and a price always goes with its currency. Stock
adjustments are not offered here: a batch sets stock (a stocktake), and reservations keep their conditional
updates.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from tortoise.transactions import in_transaction

from core.bulk import insert_rows, upsert_rows
from core.context import Actor
from core.errors import DomainError, DomainErrors
from core.event_batch import emit_many
from core.garments.fabrics import FIELDS, _validated, approved_supplier
from core.garments.models import Fabric, FabricPrice, FabricStatus

BATCH_SIZE = 500  # rows per INSERT/UPDATE statement: well under SQLite's 32,766 parameters
DEFAULTS: dict[str, Any] = {"composition": "", "colour": "", "pattern": "", "images": []}


@dataclass(frozen=True)
class FabricChange:
    """One item of a batch. `key` is the caller's name for it (a feed's row number): results come back under it.
    `fabric_id` None creates a fabric from `values` (which give its `sku`); otherwise `values` are the fields to
    change (only those given are written) and `archive` withdraws the fabric instead."""

    key: Hashable
    fabric_id: int | None = None
    values: Mapping[str, Any] = field(default_factory=dict)
    archive: bool = False


@dataclass
class FabricBatchResult:
    created: dict[Hashable, int] = field(default_factory=dict)  # key -> the new fabric's id
    updated: list[Hashable] = field(default_factory=list)
    archived: list[Hashable] = field(default_factory=list)
    errors: dict[Hashable, list[DomainError]] = field(default_factory=dict)


async def write_fabrics(actor: Actor, changes: Sequence[FabricChange]) -> FabricBatchResult:
    """Apply `changes` to the caller's approved supplier's fabrics; another supplier's fabric, a missing one or
    an archived one to archive again are errors of their item (`NOT_FOUND`, `ALREADY_ARCHIVED`), as a bad value
    is; a SKU created twice, or one the supplier already has, is `SKU_TAKEN`."""
    supplier = await approved_supplier(actor)
    result = FabricBatchResult()
    ids = [change.fabric_id for change in changes if change.fabric_id is not None]
    current = {
        row["id"]: row
        for start in range(0, len(ids), BATCH_SIZE)
        for row in await Fabric.filter(id__in=ids[start : start + BATCH_SIZE], supplier_id=supplier.id).values(
            "id", "status", *FIELDS
        )
    }
    creates: list[tuple[Hashable, dict[str, Any]]] = []
    updates: list[tuple[Hashable, int, dict[str, Any], bool]] = []
    archives: list[tuple[Hashable, int]] = []
    for change in changes:
        try:
            if change.fabric_id is None:
                creates.append((change.key, _new(change.values)))
            elif change.fabric_id not in current:
                raise DomainError("NOT_FOUND", "There is no such fabric.", "id")
            elif change.archive:
                if current[change.fabric_id]["status"] == FabricStatus.ARCHIVED:
                    raise DomainError("ALREADY_ARCHIVED", "This fabric is already archived.", "id")
                archives.append((change.key, change.fabric_id))
            else:
                values, price_changed = _changed(current[change.fabric_id], change.values)
                updates.append((change.key, change.fabric_id, values, price_changed))
        except DomainError as error:
            result.errors[change.key] = [error]
        except DomainErrors as errors:
            result.errors[change.key] = list(errors.errors)
    creates = _unique_skus(creates, result)
    async with in_transaction():
        await _create(supplier.id, creates, actor, result)
        await _update(supplier.id, updates, current, actor, result)
        await _archive(supplier.id, archives, result)
    return result


def _new(values: Mapping[str, Any]) -> dict[str, Any]:
    checked = _validated({**DEFAULTS, **values}, required=True)
    checked.pop("stock_adjustment", None)
    return checked


def _changed(current: Mapping[str, Any], changes: Mapping[str, Any]) -> tuple[dict[str, Any], bool]:
    """The fields to write (those given, a price with its currency), checked as the whole fabric will be."""
    given = {name: value for name, value in changes.items() if value is not None}
    if "stock_adjustment" in given:
        raise DomainError("INVALID_STOCK", "A batch sets the metres in stock; adjust them one fabric at a time.")
    now = {name: current[name] for name in FIELDS}
    values = _validated({**now, **given}, required=False, given=given, current=now)
    price_changed = (values["price_per_metre"], values["currency"]) != (now["price_per_metre"], now["currency"])
    written = set(given) | ({"price_per_metre", "currency"} if price_changed else set())
    return {name: value for name, value in values.items() if name in written}, price_changed


def _unique_skus(
    creates: list[tuple[Hashable, dict[str, Any]]], result: FabricBatchResult
) -> list[tuple[Hashable, dict[str, Any]]]:
    seen: set[str] = set()
    kept = []
    for key, values in creates:
        if values["sku"] in seen:
            result.errors[key] = [DomainError("SKU_TAKEN", f"SKU {values['sku']} is created twice.", "sku")]
            continue
        seen.add(values["sku"])
        kept.append((key, values))
    return kept


async def _create(
    supplier_id: int, creates: list[tuple[Hashable, dict[str, Any]]], actor: Actor, result: FabricBatchResult
) -> None:
    """Insert the new fabrics, learning their ids from the same statement; a SKU the supplier already has (even
    one another import committed a moment ago) is skipped by the unique key and reported as `SKU_TAKEN`."""
    if not creates:
        return
    written = await upsert_rows(
        Fabric,
        [{"supplier_id": supplier_id, **values} for _, values in creates],
        conflict=("supplier_id", "sku"),
        returning=("id", "sku"),
    )
    ids = {row["sku"]: row["id"] for row in written}
    made = []
    for key, values in creates:
        if values["sku"] in ids:
            result.created[key] = ids[values["sku"]]
            made.append(values)
        else:
            message = f"You already have a fabric with SKU {values['sku']}."
            result.errors[key] = [DomainError("SKU_TAKEN", message, "sku")]
    label = actor.label
    await insert_rows(
        FabricPrice,
        [
            {
                "fabric_id": ids[values["sku"]],
                "price_per_metre": values["price_per_metre"],
                "currency": values["currency"],
                "set_by": label,
            }
            for values in made
        ],
    )
    await emit_many(
        "fabric.created",
        [{"fabric_id": ids[values["sku"]], "supplier_id": supplier_id, "sku": values["sku"]} for values in made],
    )


async def _update(
    supplier_id: int,
    updates: list[tuple[Hashable, int, dict[str, Any], bool]],
    current: Mapping[int, Mapping[str, Any]],
    actor: Actor,
    result: FabricBatchResult,
) -> None:
    if not updates:
        return
    now = datetime.now(UTC)
    groups: dict[tuple[str, ...], list[Fabric]] = {}
    for _, fabric_id, values, _ in updates:
        fabric = Fabric(id=fabric_id, updated_at=now, **values)
        groups.setdefault(tuple(sorted(values)), []).append(fabric)
    for names, fabrics in groups.items():
        if names:
            await Fabric.bulk_update(fabrics, [*names, "updated_at"], BATCH_SIZE)
    prices = []
    for _, fabric_id, values, price_changed in updates:
        if price_changed:
            was = current[fabric_id]
            prices.append(
                {
                    "fabric_id": fabric_id,
                    "price_per_metre": values.get("price_per_metre", was["price_per_metre"]),
                    "currency": values.get("currency", was["currency"]),
                    "set_by": actor.label,
                }
            )
    await insert_rows(FabricPrice, prices)
    result.updated.extend(key for key, *_ in updates)
    await emit_many(
        "fabric.updated",
        [
            {"fabric_id": fabric_id, "supplier_id": supplier_id, "fields": sorted(values)}
            for _, fabric_id, values, _ in updates
        ],
    )


async def _archive(supplier_id: int, archives: list[tuple[Hashable, int]], result: FabricBatchResult) -> None:
    if not archives:
        return
    ids = [fabric_id for _, fabric_id in archives]
    for start in range(0, len(ids), BATCH_SIZE):
        await Fabric.filter(id__in=ids[start : start + BATCH_SIZE]).update(
            status=FabricStatus.ARCHIVED, updated_at=datetime.now(UTC)
        )
    result.archived.extend(key for key, _ in archives)
    await emit_many("fabric.archived", [{"fabric_id": fabric_id, "supplier_id": supplier_id} for fabric_id in ids])
