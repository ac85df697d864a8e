"""Importing a feed into the caller's supplier catalog: fabrics through core's fabric service, trims here.

Rows are upserted by (supplier, SKU): a new SKU is created, a known one updated with what the row gives (a row
that changes nothing is counted unchanged and writes nothing), a stock-only row moves stock alone. FULL archives
the supplier's active materials the file does not name (a rejected row still names its SKU, so a typo does not
archive it); DELTA rows say `upsert` or `delete` (delete archives). An atomic import writes everything or
nothing: every row is checked, then written in one transaction rolled back if any row fails. A row-by-row import
writes the good rows, each in its own transaction. Either way every rejected row is recorded with its row
number, column and message, and the import itself is logged with its counts even when the file was refused.

The supplier is always the caller's own approved supplier, so an import can never touch another supplier's
materials: naming another supplier is refused as forbidden, and another supplier's SKU in a file is just a SKU
of the caller's own catalog.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from tortoise.transactions import in_transaction

from lini.plugin import (
    Actor,
    DomainError,
    DomainErrors,
    Fabric,
    FabricStatus,
    PermissionDenied,
    approved_supplier,
    archive_fabric,
    create_fabric,
    own_fabrics,
    update_fabric,
)
from plugins.supplier_catalogs import columns as cols
from plugins.supplier_catalogs import rows as checks
from plugins.supplier_catalogs import trims
from plugins.supplier_catalogs.models import (
    CatalogImport,
    CatalogImportError,
    ImportMode,
    ImportStatus,
    Trim,
    TrimStatus,
)
from plugins.supplier_catalogs.parsers import FeedError, FileFormat, Limits, RowProblem, detect, read_feed
from plugins.supplier_catalogs.rows import Action, CatalogRow, Kind

# Core's fabric fields, as the columns of the feed they came from (core's errors name its own fields).
COLUMN_OF = {
    "price_per_metre": "price",
    "stock_metres": "stock",
    "min_order_metres": "min_order",
    "images": "image_urls",
}


@dataclass(frozen=True)
class Upload:
    data: bytes  # at most max_bytes + 1 long: the caller reads no more than that
    filename: str
    mode: ImportMode
    atomic: bool = True
    file_format: FileFormat | None = None


@dataclass
class Tally:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    archived: int = 0
    problems: list[RowProblem] = field(default_factory=list)

    def rejected(self) -> int:
        return len({problem.row for problem in self.problems})


class _RollBack(Exception):
    """Raised inside an atomic import's transaction to undo it once a row failed."""


async def run_import(
    actor: Actor, upload: Upload, *, supplier_id: int | None, limits: Limits, max_bytes: int
) -> CatalogImport:
    supplier = await approved_supplier(actor)
    if supplier_id is not None and supplier_id != supplier.id:
        raise PermissionDenied("Only a supplier's own staff import into its catalog.", authenticated=True)
    started = datetime.now(UTC)
    file_format = upload.file_format or detect(upload.data, upload.filename)
    log = CatalogImport(
        supplier_id=supplier.id,
        filename=upload.filename[:255],
        file_format=file_format,
        mode=upload.mode,
        atomic=upload.atomic,
        started_by=actor.label[:100],
        started_at=started,
    )
    tally = Tally()
    try:
        if len(upload.data) > max_bytes:
            raise FeedError("FILE_TOO_LARGE", f"A feed file is at most {max_bytes} bytes.")
        feed = read_feed(upload.data, file_format, limits)
        if upload.mode == ImportMode.FULL and not feed.rows and not feed.problems:
            raise FeedError("EMPTY_FILE", "A FULL feed without rows would archive the whole catalog: nothing done.")
    except FeedError as error:
        tally.problems.append(RowProblem(0, None, error.code, error.message))
        return await _record(log, tally, ImportStatus.FAILED)
    log.warnings = feed.warnings
    log.rows_read = len(feed.rows) + len({p.row for p in feed.problems})
    tally.problems.extend(feed.problems)
    stock_only = cols.is_stock_only(feed.columns)
    good = _checked_rows(feed.rows, upload.mode, stock_only, tally)
    named = _named(feed.rows)
    writer = _Writer(actor, supplier.id, tally)
    await writer.load()
    if upload.atomic:
        if not tally.problems:
            try:
                async with in_transaction():
                    await writer.write(good, archive=_archives(upload.mode, stock_only), named=named)
                    if tally.problems:
                        raise _RollBack
            except _RollBack:
                pass
        if tally.problems:
            tally.created = tally.updated = tally.unchanged = tally.archived = 0
            return await _record(log, tally, ImportStatus.FAILED)
    else:
        await writer.write(good, archive=_archives(upload.mode, stock_only), named=named)
    if writer.restored:
        log.warnings = [*log.warnings, _still_archived(writer.restored)]
    return await _record(log, tally, ImportStatus.PARTIAL if tally.problems else ImportStatus.SUCCEEDED)


def _still_archived(skus: list[str]) -> str:
    shown = ", ".join(skus[:10]) + (f" and {len(skus) - 10} more" if len(skus) > 10 else "")
    return f"Archived fabrics stay archived (updated, not offered again): {shown}."


def _archives(mode: ImportMode, stock_only: bool) -> bool:
    return mode == ImportMode.FULL and not stock_only


def _named(raw_rows: Sequence[tuple[int, dict[str, Any]]]) -> set[tuple[Kind, str]]:
    """Every (kind, SKU) the file names, rejected rows included: FULL keeps them all from being archived."""
    found: set[tuple[Kind, str]] = set()
    for _, raw in raw_rows:
        kind = checks.text(raw.get("kind")).upper()
        found.add((Kind.TRIM if kind == Kind.TRIM else Kind.FABRIC, checks.text(raw.get("sku"))))
    return found


def _checked_rows(
    raw_rows: Sequence[tuple[int, dict[str, Any]]], mode: ImportMode, stock_only: bool, tally: Tally
) -> list[CatalogRow]:
    today = checks.utc_today()
    good: list[CatalogRow] = []
    seen: dict[tuple[Kind, str], int] = {}
    for number, raw in raw_rows:
        row, problems = checks.checked(number, raw, mode=mode, stock_only=stock_only, today=today)
        tally.problems.extend(problems)
        if row is None:
            continue
        first = seen.setdefault((row.kind, row.sku), number)
        if first != number:
            tally.problems.append(RowProblem(number, "sku", "DUPLICATE_SKU", f"SKU {row.sku} is on row {first} too."))
            continue
        good.append(row)
    return good


class _Writer:
    """Applies checked rows to the supplier's catalog, counting what happened and keeping what failed."""

    def __init__(self, actor: Actor, supplier_id: int, tally: Tally) -> None:
        self.actor = actor
        self.supplier_id = supplier_id
        self.tally = tally
        self.fabrics: dict[str, Fabric] = {}
        self.trims: dict[str, Trim] = {}
        self.restored: list[str] = []  # archived fabrics a feed names again: core cannot make them active yet

    async def load(self) -> None:
        self.fabrics = {f.sku: f for f in await own_fabrics(self.actor).filter(supplier_id=self.supplier_id)}
        self.trims = {t.sku: t for t in await Trim.filter(supplier_id=self.supplier_id)}

    async def write(self, rows: Sequence[CatalogRow], *, archive: bool, named: set[tuple[Kind, str]]) -> None:
        for row in rows:
            if self._is_known_trim(row):
                row.kind = Kind.TRIM
                row.values = {checks.TRIM_NAMES.get(k, k): v for k, v in row.values.items()}
            try:
                if row.kind == Kind.FABRIC:
                    await self._fabric(row)
                else:
                    await self._trim(row)
            except DomainError as error:
                self._reject(row.number, [error])
            except DomainErrors as errors:
                self._reject(row.number, errors.errors)
        if archive:
            await self._archive_missing(named)

    def _is_known_trim(self, row: CatalogRow) -> bool:
        """A stock or delete row without a kind names a trim when the SKU is only among the trims."""
        if row.kind_given or not (row.stock_only or row.action == Action.DELETE):
            return False
        return row.sku not in self.fabrics and row.sku in self.trims

    def _reject(self, number: int, errors: Sequence[DomainError]) -> None:
        for error in errors:
            head = (error.field or "").split(".")[0] or None
            column = COLUMN_OF.get(head, head) if head else None
            self.tally.problems.append(RowProblem(number, column, error.code, error.message))

    def _unknown(self, row: CatalogRow) -> None:
        kind = "fabric" if row.kind == Kind.FABRIC else "trim"
        self.tally.problems.append(RowProblem(row.number, "sku", "UNKNOWN_SKU", f"You have no {kind} {row.sku}."))

    async def _fabric(self, row: CatalogRow) -> None:
        existing = self.fabrics.get(row.sku)
        if (row.action == Action.DELETE or row.stock_only) and existing is None:
            return self._unknown(row)
        if row.action == Action.DELETE:
            assert existing is not None
            if existing.status != FabricStatus.ARCHIVED:
                self.fabrics[row.sku] = await archive_fabric(self.actor, existing.id)
                self.tally.archived += 1
            else:
                self.tally.unchanged += 1
            return None
        if existing is None:
            self.fabrics[row.sku] = await create_fabric(self.actor, {"sku": row.sku, **row.values})
            self.tally.created += 1
            return None
        if existing.status == FabricStatus.ARCHIVED:
            self.restored.append(row.sku)
        changes = _changes(existing, row.values, price="price_per_metre")
        if not changes:
            self.tally.unchanged += 1
            return None
        self.fabrics[row.sku] = await update_fabric(self.actor, existing.id, changes)
        self.tally.updated += 1
        return None

    async def _trim(self, row: CatalogRow) -> None:
        existing = self.trims.get(row.sku)
        valid = (row.valid_from, row.valid_to)
        if (row.action == Action.DELETE or row.stock_only) and existing is None:
            return self._unknown(row)
        if row.action == Action.DELETE:
            assert existing is not None
            if existing.status != TrimStatus.ARCHIVED:
                await trims.archive_trim(existing)
                existing.status = TrimStatus.ARCHIVED
                self.tally.archived += 1
            else:
                self.tally.unchanged += 1
            return None
        if existing is None:
            self.trims[row.sku] = await trims.create_trim(
                self.supplier_id, row.sku, row.values, valid=valid, set_by=self.actor.label
            )
            self.tally.created += 1
            return None
        changes = _changes(existing, row.values, price="price")
        if not changes:
            self.tally.unchanged += 1
            return None
        self.trims[row.sku] = await trims.update_trim(existing, changes, valid=valid, set_by=self.actor.label)
        self.tally.updated += 1
        return None

    async def _archive_missing(self, named: set[tuple[Kind, str]]) -> None:
        for sku, fabric in list(self.fabrics.items()):
            if fabric.status == FabricStatus.ACTIVE and (Kind.FABRIC, sku) not in named:
                self.fabrics[sku] = await archive_fabric(self.actor, fabric.id)
                self.tally.archived += 1
        for sku, trim in self.trims.items():
            if trim.status == TrimStatus.ACTIVE and (Kind.TRIM, sku) not in named:
                await trims.archive_trim(trim)
                trim.status = TrimStatus.ARCHIVED
                self.tally.archived += 1


def _changes(current: Any, values: dict[str, Any], *, price: str) -> dict[str, Any]:
    """The values that differ from the stored ones; a new currency always goes with its price."""
    changes = {name: value for name, value in values.items() if getattr(current, name) != value}
    if "currency" in changes and price in values:
        changes[price] = values[price]
    return changes


async def _record(log: CatalogImport, tally: Tally, status: ImportStatus) -> CatalogImport:
    log.status = status
    log.created, log.updated, log.unchanged = tally.created, tally.updated, tally.unchanged
    log.archived = tally.archived
    log.rejected = tally.rejected()
    log.finished_at = datetime.now(UTC)
    async with in_transaction():
        await log.save()
        await CatalogImportError.bulk_create(
            [
                CatalogImportError(
                    catalog_import_id=log.id, row=p.row, column=p.column, code=p.code, message=p.message[:500]
                )
                for p in sorted(tally.problems, key=lambda p: p.row)
            ]
        )
    return log
