"""Importing a feed into a supplier's catalog, as a job: fabrics through core's batched fabric service, trims here.

`queue_import` records the import (QUEUED) with its file and defers its `run_import` job in the same transaction
(`defer_job`: a worker takes it at once, the in-process SQLite queue within a second; the periodic `pick_work`
only catches an import whose job was lost). The job runs it with `run_queued`, which a client polls through
`catalogImports` (`progress { rowsRead rowsTotal }`). The job reads the file twice,
lazily, so that a hundred thousand rows are never all in memory:

1. every row is checked and compared with what the supplier has, by the hash of the row that last wrote each
   material: a row with the same hash is unchanged and never read again, so re-importing an unchanged file
   writes nothing. Rejected rows are collected with their row, column and message; an atomic import with any
   stops here, having written nothing.
2. the rows left are written in chunks, each in a few multi-row statements (`write_fabrics`, `write_trims`):
   an atomic import in one transaction (rolled back if core refuses a row), a row-by-row one a transaction per
   chunk, keeping the good rows.

Rows are upserted by (supplier, SKU): a new SKU is created, a known one updated with what the row gives, a
stock-only row moves stock alone. FULL archives the supplier's active materials the file does not name (a
rejected row still names its SKU, so a typo does not archive it); DELTA rows say `upsert` or `delete`. A price
for a later day (`price_valid_from` after today) is kept for that day (`prices.py`) while the rest of the row is
written now. The supplier is always the importing user's own approved supplier.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import orjson
from tortoise.transactions import in_transaction

from lini.plugin import (
    Actor,
    CatalogFormat,
    DomainError,
    FabricChange,
    FabricStatus,
    PermissionDenied,
    actor_for_user_id,
    approved_supplier,
    defer_job,
    insert_rows,
    own_fabrics,
    upsert_rows,
    write_fabrics,
)
from plugins.supplier_catalogs import prices, trims
from plugins.supplier_catalogs import rows as checks
from plugins.supplier_catalogs.feed_models import CatalogImportFile, MaterialHash
from plugins.supplier_catalogs.models import (
    CatalogImport,
    CatalogImportError,
    ImportMode,
    ImportStatus,
    Trim,
    TrimStatus,
)
from plugins.supplier_catalogs.parsers import FeedError, FeedStream, Limits, RowProblem, detect
from plugins.supplier_catalogs.plugin_settings import NAME
from plugins.supplier_catalogs.rows import Action, CatalogRow, Kind

logger = logging.getLogger("lini.supplier_catalogs")
CHUNK = 2000  # rows written per batch
PROGRESS_EVERY = 5000  # rows read between two progress updates
# Core's fabric fields, as the columns of the feed they came from (core's errors name its own fields).
COLUMN_OF = {
    "price_per_metre": "price",
    "stock_metres": "stock",
    "min_order_metres": "min_order",
    "images": "image_urls",
}
PRICE_FIELDS = {Kind.FABRIC: ("price_per_metre", "currency"), Kind.TRIM: ("price", "currency")}
STOCK_FIELD = {Kind.FABRIC: "stock_metres", Kind.TRIM: "stock"}
FABRIC_FIELDS = (
    "id", "status", "name", "composition", "weight_gsm", "width_cm", "colour", "pattern", "price_per_metre",
    "currency", "stock_metres", "min_order_metres", "lead_time_days", "images",
)  # fmt: skip
TRIM_FIELDS = (
    "id", "status", "name", "trim_type", "unit", "composition", "colour", "pattern", "width_cm", "price", "currency",
    "stock", "min_order", "lead_time_days", "images",
)  # fmt: skip


@dataclass(frozen=True)
class Upload:
    data: bytes  # at most max_bytes + 1 long: the caller reads no more than that
    filename: str
    mode: ImportMode
    atomic: bool = True
    file_format: str | None = None  # a `catalog_formats` name; None: detected
    media_type: str = ""  # a fetched answer's Content-Type, to detect the format by


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


# --- queueing --------------------------------------------------------------------------------------------------


async def queue_import(
    actor: Actor,
    upload: Upload,
    *,
    supplier_id: int | None,
    formats: dict[str, CatalogFormat],
    max_bytes: int,
    source_id: int | None = None,
    defer: bool = True,
) -> CatalogImport:
    """Record the import with its file and defer the job that runs it (unless `defer` is False: the caller runs
    it itself), or record it as FAILED at once when the file is refused by its size or format (no job is needed
    to say so)."""
    supplier = await approved_supplier(actor)
    if supplier_id is not None and supplier_id != supplier.id:
        raise PermissionDenied("Only a supplier's own staff import into its catalog.", authenticated=True)
    name = upload.file_format or detect(upload.data, upload.filename, list(formats.values()), upload.media_type)
    log = CatalogImport(
        supplier_id=supplier.id,
        filename=upload.filename[:255],
        file_format=name[:32],
        mode=upload.mode,
        atomic=upload.atomic,
        started_by=actor.label[:100],
        started_by_user_id=actor.user_id,
        started_at=datetime.now(UTC),
        source_id=source_id,
        status=ImportStatus.QUEUED,
    )
    refusal = None
    if len(upload.data) > max_bytes:
        refusal = FeedError("FILE_TOO_LARGE", f"A feed file is at most {max_bytes} bytes.")
    elif name not in formats:
        refusal = FeedError("UNKNOWN_FORMAT", f"No feed format {name!r}: use one of {', '.join(sorted(formats))}.")
    if refusal is not None:
        return await refuse(log, refusal)
    log.rows_total = formats[name].count(upload.data)
    async with in_transaction():
        await log.save()
        await CatalogImportFile.create(catalog_import_id=log.id, data=upload.data)
        if defer:  # with the import's row: a rolled-back import has no job, a committed one always has
            await defer_job(f"{NAME}:run_import", queueing_lock=f"{NAME}:import:{log.id}", import_id=log.id)
    return log


async def refuse(log: CatalogImport, error: DomainError) -> CatalogImport:
    """Record an import refused as a whole (row 0 names the reason)."""
    return await _record(log, Tally(problems=[RowProblem(0, None, error.code, error.message)]), ImportStatus.FAILED)


# --- the job ---------------------------------------------------------------------------------------------------


async def run_queued(import_id: int, *, formats: dict[str, CatalogFormat], limits: Limits) -> CatalogImport | None:
    """Run a QUEUED import (its job); None when it is not queued any more (another run took it: jobs may run
    twice). The file is deleted once read, whatever came of it."""
    taken = await CatalogImport.filter(id=import_id, status=ImportStatus.QUEUED).update(status=ImportStatus.RUNNING)
    if not taken:
        return None
    log = await CatalogImport.get(id=import_id)
    stored = await CatalogImportFile.get_or_none(catalog_import_id=import_id)
    try:
        actor = await actor_for_user_id(log.started_by_user_id) if log.started_by_user_id else None
        if stored is None:
            return await refuse(log, FeedError("FILE_GONE", "The file of this import is no longer there."))
        if actor is None or log.supplier_id not in actor.supplier_ids:
            return await refuse(log, FeedError("FORBIDDEN", "Whoever started this import may no longer import."))
        chosen = formats.get(log.file_format)
        if chosen is None:
            return await refuse(log, FeedError("UNKNOWN_FORMAT", f"No feed format {log.file_format!r} any more."))
        try:
            await approved_supplier(actor)
        except PermissionDenied as denied:
            return await refuse(log, FeedError("FORBIDDEN", denied.message))
        return await _Run(log, actor, bytes(stored.data), chosen, limits).go()
    except Exception:
        logger.exception("catalog import %s failed", import_id)
        await refuse(log, FeedError("IMPORT_FAILED", "The import stopped on an unexpected error: nothing was kept."))
        raise
    finally:
        if stored is not None:
            await CatalogImportFile.filter(id=stored.id).delete()


async def import_now(
    actor: Actor, upload: Upload, *, formats: dict[str, CatalogFormat], limits: Limits, max_bytes: int
) -> CatalogImport:
    """Queue and run at once, in this process (the demo seed, the benchmark)."""
    log = await queue_import(actor, upload, supplier_id=None, formats=formats, max_bytes=max_bytes, defer=False)
    if log.status != ImportStatus.QUEUED:
        return log
    ran = await run_queued(log.id, formats=formats, limits=limits)
    assert ran is not None
    return ran


@dataclass
class _Known:
    """What the supplier has of one kind: SKU -> (id, status, stock), and the hash of each one's last row."""

    by_sku: dict[str, tuple[int, str, Any]] = field(default_factory=dict)
    hashes: dict[str, str] = field(default_factory=dict)


class _Run:
    def __init__(self, log: CatalogImport, actor: Actor, data: bytes, chosen: CatalogFormat, limits: Limits) -> None:
        self.log = log
        self.actor = actor
        self.supplier_id = log.supplier_id
        self.data = data
        self.format = chosen
        self.limits = limits
        self.tally = Tally()
        self.today = checks.utc_today()
        self.known = {Kind.FABRIC: _Known(), Kind.TRIM: _Known()}
        self.named: set[tuple[Kind, str]] = set()
        self.todo: dict[int, str] = {}  # the rows to write in the second pass, packed (`_pack`), by number
        self.restored: list[str] = []  # archived fabrics a feed names again: core cannot make them active yet
        self.later: list[prices.Later] = []

    async def go(self) -> CatalogImport:
        try:
            stream = FeedStream(self.data, self.format, self.limits)
            self.log.warnings = stream.warnings
            if self.log.mode == ImportMode.FULL:
                await self._load()  # all of it: what the file does not name is archived
            await self._check(stream)
        except FeedError as error:
            return await refuse(self.log, error)
        stock_only = stream.stock_only
        archive = self.log.mode == ImportMode.FULL and not stock_only
        if self.log.atomic and self.tally.problems:
            return await self._failed()
        if self.log.atomic:
            try:
                async with in_transaction():
                    await self._write(archive)
                    if self.tally.problems:
                        raise _RollBack
            except _RollBack:
                return await self._failed()
        else:
            await self._write(archive)
        if self.restored:
            self.log.warnings = [*self.log.warnings, _still_archived(self.restored)]
        status = ImportStatus.PARTIAL if self.tally.problems else ImportStatus.SUCCEEDED
        return await _record(self.log, self.tally, status)

    async def _failed(self) -> CatalogImport:
        self.tally.created = self.tally.updated = self.tally.unchanged = self.tally.archived = 0
        return await _record(self.log, self.tally, ImportStatus.FAILED)

    async def _load(self, skus: list[str] | None = None) -> None:
        """What the supplier has: everything (FULL), or the materials of these SKUs (a DELTA's chunk, so that a
        thousand-row delta does not read a hundred-thousand-row catalog)."""
        fabrics = own_fabrics(self.actor).filter(supplier_id=self.supplier_id)
        trims_of = Trim.filter(supplier_id=self.supplier_id)
        hashes = MaterialHash.filter(supplier_id=self.supplier_id)
        if skus is not None:
            fabrics, trims_of, hashes = (  # type: ignore[assignment]
                q.filter(sku__in=skus) for q in (fabrics, trims_of, hashes)
            )
        for sku, fabric_id, status, stock in await _pages(fabrics, "sku", "id", "status", "stock_metres"):
            self.known[Kind.FABRIC].by_sku[sku] = (fabric_id, status, stock)
        for sku, trim_id, status, stock in await _pages(trims_of, "sku", "id", "status", "stock"):
            self.known[Kind.TRIM].by_sku[sku] = (trim_id, status, stock)
        for kind, sku, digest in await _pages(hashes, "kind", "sku", "hash"):
            self.known[Kind(kind)].hashes[sku] = digest

    # --- pass 1: check everything, find what to write ----------------------------------------------------------

    async def _check(self, stream: FeedStream) -> None:
        seen: dict[tuple[Kind, str], int] = {}
        buffer: list[CatalogRow] = []
        read = 0
        for item in stream:
            read += 1
            if read % PROGRESS_EVERY == 0:
                await CatalogImport.filter(id=self.log.id).update(rows_read=read)
            if isinstance(item, RowProblem):
                self.tally.problems.append(item)
                continue
            number, raw = item
            row = self._row(number, raw, stream.stock_only)
            if row is None:
                continue
            first = seen.setdefault((row.kind, row.sku), number)
            if first != number:
                self._problem(number, "sku", "DUPLICATE_SKU", f"SKU {row.sku} is on row {first} too.")
                continue
            buffer.append(row)
            if len(buffer) >= CHUNK:
                await self._judge_all(buffer)
                buffer = []
        await self._judge_all(buffer)
        self.log.rows_read = read

    async def _judge_all(self, rows: list[CatalogRow]) -> None:
        if self.log.mode != ImportMode.FULL and rows:
            await self._load(list({row.sku for row in rows}))
        for row in rows:
            if self._is_known_trim(row):
                row.kind = Kind.TRIM
                row.values = {checks.TRIM_NAMES.get(k, k): v for k, v in row.values.items()}
                self.named.add((Kind.TRIM, row.sku))
            self._judge(row)

    def _row(self, number: int, raw: dict[str, Any], stock_only: bool) -> CatalogRow | None:
        kind = checks.text(raw.get("kind")).upper()
        self.named.add((Kind.TRIM if kind == Kind.TRIM else Kind.FABRIC, checks.text(raw.get("sku"))))
        row, problems = checks.checked(number, raw, mode=self.log.mode, stock_only=stock_only, today=self.today)
        self.tally.problems.extend(problems)
        return row

    def _is_known_trim(self, row: CatalogRow) -> bool:
        """A stock or delete row without a kind names a trim when the SKU is only among the trims."""
        if row.kind_given or not (row.stock_only or row.action == Action.DELETE):
            return False
        return row.sku not in self.known[Kind.FABRIC].by_sku and row.sku in self.known[Kind.TRIM].by_sku

    def _judge(self, row: CatalogRow) -> None:
        """Count the row unchanged, reject it, or leave it for the second pass."""
        known = self.known[row.kind]
        existing = known.by_sku.get(row.sku)
        if existing is None:
            if row.action == Action.DELETE or row.stock_only:
                name = "fabric" if row.kind == Kind.FABRIC else "trim"
                return self._problem(row.number, "sku", "UNKNOWN_SKU", f"You have no {name} {row.sku}.")
            if row.starts_later(self.today):
                return self._problem(
                    row.number,
                    "price_valid_from",
                    "NO_CURRENT_PRICE",
                    "A new material needs a price valid today: import it first, then its later price.",
                )
            self.todo[row.number] = _pack(row)
            return None
        _, status, stock = existing
        archived = status in (FabricStatus.ARCHIVED, TrimStatus.ARCHIVED)
        if row.action == Action.DELETE:
            if archived:
                self.tally.unchanged += 1
            else:
                self.todo[row.number] = _pack(row)
            return None
        if row.kind == Kind.FABRIC and archived:
            self.restored.append(row.sku)
        if row.stock_only:
            if stock == row.values.get(STOCK_FIELD[row.kind], stock):
                self.tally.unchanged += 1
            else:
                self.todo[row.number] = _pack(row)
            return None
        if known.hashes.get(row.sku) == checks.row_hash(row):
            self.tally.unchanged += 1
        else:
            self.todo[row.number] = _pack(row)
        return None

    def _problem(self, number: int, column: str | None, code: str, message: str) -> None:
        self.tally.problems.append(RowProblem(number, column, code, message))

    # --- pass 2: write ---------------------------------------------------------------------------------------

    async def _write(self, archive: bool) -> None:
        chunk: list[CatalogRow] = []
        for number in sorted(self.todo):
            chunk.append(_unpack(number, self.todo.pop(number)))
            if len(chunk) >= CHUNK:
                await self._flush(chunk)
                chunk = []
        if chunk:
            await self._flush(chunk)
        if archive:
            await self._archive_missing()
        if self.later:
            await prices.schedule(self.supplier_id, self.later, set_by=self.actor.label)

    async def _flush(self, chunk: Sequence[CatalogRow]) -> None:
        if self.log.atomic:
            await self._flush_chunk(chunk)
            return
        try:
            async with in_transaction():
                await self._flush_chunk(chunk)
        except DomainError as error:  # a whole chunk refused by core: each of its rows is reported
            for row in chunk:
                self._problem(row.number, None, error.code, error.message)

    async def _flush_chunk(self, chunk: Sequence[CatalogRow]) -> None:
        await self._fabrics([row for row in chunk if row.kind == Kind.FABRIC])
        await self._trims([row for row in chunk if row.kind == Kind.TRIM])

    async def _fabrics(self, rows: list[CatalogRow]) -> None:
        if not rows:
            return
        known = self.known[Kind.FABRIC].by_sku
        current = await _current(
            own_fabrics(self.actor), [known[r.sku][0] for r in rows if r.sku in known], FABRIC_FIELDS
        )
        changes: list[FabricChange] = []
        written: list[CatalogRow] = []
        for row in rows:
            existing = known.get(row.sku)
            if existing is None:
                changes.append(FabricChange(key=row.number, values={"sku": row.sku, **row.values}))
            elif row.action == Action.DELETE:
                changes.append(FabricChange(key=row.number, fabric_id=existing[0], archive=True))
            else:
                values = self._now_or_later(row, existing[0], current[existing[0]])
                if not values:
                    self.tally.unchanged += 1
                    written.append(row)
                    continue
                changes.append(FabricChange(key=row.number, fabric_id=existing[0], values=values))
        result = await write_fabrics(self.actor, changes)
        by_number = {row.number: row for row in rows}
        for number, errors in result.errors.items():
            for error in errors:
                head = (error.field or "").split(".")[0] or None
                self._problem(int(number), COLUMN_OF.get(head, head) if head else None, error.code, error.message)  # type: ignore[call-overload]
        for number, fabric_id in result.created.items():
            row = by_number[int(number)]  # type: ignore[call-overload]
            known[row.sku] = (fabric_id, FabricStatus.ACTIVE, row.values.get("stock_metres"))
            self.tally.created += 1
            written.append(row)
        self.tally.updated += len(result.updated)
        self.tally.archived += len(result.archived)
        written += [by_number[int(n)] for n in result.updated if by_number[int(n)].action != Action.DELETE]  # type: ignore[call-overload]
        await self._remember(Kind.FABRIC, written)

    async def _trims(self, rows: list[CatalogRow]) -> None:
        if not rows:
            return
        known = self.known[Kind.TRIM].by_sku
        current = await _current(
            Trim.filter(supplier_id=self.supplier_id), [known[r.sku][0] for r in rows if r.sku in known], TRIM_FIELDS
        )
        creates: list[tuple[str, dict[str, Any], trims.Window]] = []
        updates: list[tuple[int, dict[str, Any], trims.Window]] = []
        archives: list[int] = []
        written: list[CatalogRow] = []
        for row in rows:
            existing = known.get(row.sku)
            if existing is None:
                creates.append((row.sku, row.values, (row.valid_from, row.valid_to)))
                written.append(row)
            elif row.action == Action.DELETE:
                archives.append(existing[0])
            else:
                values = self._now_or_later(row, existing[0], current[existing[0]])
                written.append(row)
                if values:
                    updates.append((existing[0], values, (row.valid_from, row.valid_to)))
                else:
                    self.tally.unchanged += 1
        ids = await trims.write_trims(
            self.supplier_id, creates=creates, updates=updates, archives=archives, set_by=self.actor.label
        )
        for sku, trim_id in ids.items():
            known[sku] = (trim_id, TrimStatus.ACTIVE, None)
        self.tally.created += len(creates)
        self.tally.updated += len(updates)
        self.tally.archived += len(archives)
        await self._remember(Kind.TRIM, written)

    def _now_or_later(self, row: CatalogRow, material_id: int, current: dict[str, Any]) -> dict[str, Any]:
        """The row's values that differ from the stored ones; a price for a later day is kept for its day."""
        price, currency = PRICE_FIELDS[row.kind]
        values = dict(row.values)
        if row.starts_later(self.today) and price in values:
            assert row.valid_from is not None
            self.later.append(
                prices.Later(
                    row.kind, material_id, row.sku, values.pop(price), values.pop(currency, None) or current[currency],
                    row.valid_from, row.valid_to,
                )
            )  # fmt: skip
        changes = {name: value for name, value in values.items() if current.get(name) != value}
        if currency in changes and price in values:
            changes[price] = values[price]  # a new currency always goes with its price
        return changes

    async def _remember(self, kind: Kind, rows: Sequence[CatalogRow]) -> None:
        """Keep the hash of each full row written (or found unchanged), so the same row next time is not read."""
        full = [row for row in rows if not row.stock_only and row.action != Action.DELETE]
        if not full:
            return
        await upsert_rows(
            MaterialHash,
            [
                {"supplier_id": self.supplier_id, "kind": kind, "sku": row.sku, "hash": checks.row_hash(row)}
                for row in full
            ],
            conflict=("supplier_id", "kind", "sku"),
            update=("hash",),
        )  # one statement a batch, where deleting the old hashes by SKU first cost a look-up per batch

    async def _archive_missing(self) -> None:
        fabrics = self.known[Kind.FABRIC].by_sku
        gone = [
            FabricChange(key=sku, fabric_id=fabric_id, archive=True)
            for sku, (fabric_id, status, _) in fabrics.items()
            if status == FabricStatus.ACTIVE and (Kind.FABRIC, sku) not in self.named
        ]
        for start in range(0, len(gone), CHUNK):
            result = await write_fabrics(self.actor, gone[start : start + CHUNK])
            self.tally.archived += len(result.archived)
        missing = [
            trim_id
            for sku, (trim_id, status, _) in self.known[Kind.TRIM].by_sku.items()
            if status == TrimStatus.ACTIVE and (Kind.TRIM, sku) not in self.named
        ]
        for start in range(0, len(missing), CHUNK):
            await trims.write_trims(self.supplier_id, archives=missing[start : start + CHUNK], set_by=self.actor.label)
        self.tally.archived += len(missing)


async def _pages(queryset: Any, *names: str, size: int = 20_000) -> list[tuple[Any, ...]]:
    """`values_list` read by pages of ids: a hundred thousand rows are never all converted at once."""
    found: list[tuple[Any, ...]] = []
    last = 0
    while True:
        page = await queryset.filter(id__gt=last).order_by("id").limit(size).values_list("id", *names)
        found.extend(row[1:] for row in page)
        if len(page) < size:
            return found
        last = page[-1][0]


async def _current(queryset: Any, ids: list[int], names: Sequence[str]) -> dict[int, dict[str, Any]]:
    found: dict[int, dict[str, Any]] = {}
    for start in range(0, len(ids), 500):
        for row in await queryset.filter(id__in=ids[start : start + 500]).values(*names):
            found[row["id"]] = row
    return found


DECIMALS = frozenset({"price", "price_per_metre", "stock", "stock_metres", "min_order", "min_order_metres"})


def _pack(row: CatalogRow) -> str:
    """A checked row in ~200 bytes until the second pass writes it: a hundred thousand fit in a few megabytes,
    where the rows themselves would take a hundred times more (and checking them again, as long again)."""
    return orjson.dumps(
        [
            row.kind,
            row.sku,
            row.action,
            row.stock_only,
            row.kind_given,
            row.values,
            row.valid_from,
            row.valid_to,
            row.digest,
        ],
        default=str,
    ).decode()  # a str of its own size: orjson's bytes keep a 4 KiB buffer each


def _unpack(number: int, packed: str) -> CatalogRow:
    kind, sku, action, stock_only, kind_given, values, valid_from, valid_to, digest = orjson.loads(packed)
    for name in DECIMALS & values.keys():
        values[name] = Decimal(values[name])
    return CatalogRow(
        number, Kind(kind), sku, Action(action), stock_only=stock_only, kind_given=kind_given, values=values,
        valid_from=date.fromisoformat(valid_from) if valid_from else None,
        valid_to=date.fromisoformat(valid_to) if valid_to else None, digest=digest,
    )  # fmt: skip


def _still_archived(skus: list[str]) -> str:
    shown = ", ".join(skus[:10]) + (f" and {len(skus) - 10} more" if len(skus) > 10 else "")
    return f"Archived fabrics stay archived (updated, not offered again): {shown}."


async def _record(log: CatalogImport, tally: Tally, status: ImportStatus) -> CatalogImport:
    log.status = status
    log.created, log.updated, log.unchanged = tally.created, tally.updated, tally.unchanged
    log.archived = tally.archived
    log.rejected = tally.rejected()
    log.finished_at = datetime.now(UTC)
    async with in_transaction():
        await log.save()
        await insert_rows(
            CatalogImportError,
            [
                {
                    "catalog_import_id": log.id,
                    "row": p.row,
                    "column": p.column,
                    "code": p.code,
                    "message": p.message[:500],
                }
                for p in sorted(tally.problems, key=lambda p: p.row)
            ],
        )
    return log


def today() -> date:
    return checks.utc_today()
