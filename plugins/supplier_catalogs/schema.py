"""The plugin's GraphQL API: a supplier imports a feed file (`catalogImport`, a multipart upload) and reads its
import log (`catalogImports`); anyone browses the trims of approved suppliers (`trims`).

`catalogImport` takes the file beside one `input` (as `productMediaUpload` does). Its payload's `errors` is
non-empty exactly when nothing was imported: the file was refused (code of the problem, field `file`) or an
atomic import had rejected rows (`ROWS_REJECTED`). A row-by-row import that wrote some rows has no `errors`; its
rejected rows are listed, page by page, in `catalogImport.rejectedRows`, as for every import in the log.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

import strawberry
from strawberry import relay
from strawberry.file_uploads import Upload
from strawberry.types import Info

from lini.plugin import (
    PUBLIC,
    SUPPLIER,
    Connection,
    MoneyType,
    PageRequest,
    UserError,
    connection,
    decode_id,
    encode_id,
    guard,
    paginate,
)
from plugins.supplier_catalogs import importer, trims
from plugins.supplier_catalogs.models import CatalogImport as ImportModel
from plugins.supplier_catalogs.models import CatalogImportError as ImportErrorModel
from plugins.supplier_catalogs.models import ImportMode, ImportStatus, TrimStatus, TrimType, TrimUnit
from plugins.supplier_catalogs.models import Trim as TrimModel
from plugins.supplier_catalogs.plugin_settings import NAME, formats_of

CatalogImportMode = strawberry.enum(
    ImportMode, name="CatalogImportMode", description="FULL: the file is the whole catalog. DELTA: it lists changes."
)
CatalogImportStatus = strawberry.enum(ImportStatus, name="CatalogImportStatus", description="How an import ended.")
TrimTypeEnum = strawberry.enum(TrimType, name="TrimType", description="What a trim is.")
TrimUnitEnum = strawberry.enum(TrimUnit, name="TrimUnit", description="What a trim's price and stock count.")
TrimStatusEnum = strawberry.enum(TrimStatus, name="TrimStatus", description="Whether brands may choose a trim.")


@strawberry.input(description="How to import a feed file into the calling supplier's catalog.")
class CatalogImportInput:
    mode: CatalogImportMode  # type: ignore[valid-type]
    atomic: bool = strawberry.field(
        default=True, description="True: everything or nothing. False: the good rows are written, row by row."
    )
    format: str | None = strawberry.field(
        default=None,
        description="A feed format's name (CSV, XLSX, JSONL, or another plugin's: see catalogFormats); null: from "
        "the file name's extension, else from its content.",
    )
    supplier_id: relay.GlobalID | None = strawberry.field(
        default=None, description="The supplier to import into; null: the caller's. Only its own staff may."
    )


@strawberry.input(description="Which imports of the log to list.")
class CatalogImportFilter:
    status: CatalogImportStatus | None = None  # type: ignore[valid-type]
    mode: CatalogImportMode | None = None  # type: ignore[valid-type]


@strawberry.type(description="A rejected row of an import: row 0 is the file as a whole.")
class CatalogImportRowError:
    row: int = strawberry.field(description="CSV and XLSX count the header as row 1; JSON Lines count lines.")
    column: str | None
    code: str
    message: str

    @classmethod
    def from_model(cls, row: ImportErrorModel) -> CatalogImportRowError:
        return cls(row=row.row, column=row.column, code=row.code, message=row.message)


@strawberry.type(description="How far a running import is: rows read of the rows the file has.")
class CatalogImportProgress:
    rows_read: int
    rows_total: int | None = strawberry.field(description="Null: the format cannot count its rows beforehand.")


@strawberry.type(description="One import of a feed file into a supplier's catalog.")
class CatalogImport:
    id: relay.GlobalID
    filename: str
    format: str = strawberry.field(description="The feed format's name (see catalogFormats).")
    mode: CatalogImportMode  # type: ignore[valid-type]
    atomic: bool
    status: CatalogImportStatus  # type: ignore[valid-type]
    rows_read: int
    created: int
    updated: int
    unchanged: int
    archived: int
    rejected: int = strawberry.field(description="How many rows were rejected (see rejectedRows).")
    warnings: list[str] = strawberry.field(description="Notes that rejected nothing, e.g. ignored columns.")
    progress: CatalogImportProgress = strawberry.field(
        description="Poll it while the import is QUEUED or RUNNING: rowsRead grows to rowsTotal."
    )
    source_id: relay.GlobalID | None = strawberry.field(
        description="The URL source it was fetched from; null: an upload."
    )
    started_at: datetime
    finished_at: datetime | None = strawberry.field(description="Null while QUEUED or RUNNING.")
    duration_ms: int | None
    _id: strawberry.Private[int]

    @classmethod
    def from_model(cls, row: ImportModel) -> CatalogImport:
        return cls(
            id=encode_id("CatalogImport", row.id),
            filename=row.filename,
            format=row.file_format,
            mode=row.mode,
            atomic=row.atomic,
            status=row.status,
            rows_read=row.rows_read,
            created=row.created,
            updated=row.updated,
            unchanged=row.unchanged,
            archived=row.archived,
            rejected=row.rejected,
            warnings=list(row.warnings),
            progress=CatalogImportProgress(rows_read=row.rows_read, rows_total=row.rows_total),
            source_id=encode_id("CatalogSource", row.source_id) if row.source_id else None,
            started_at=row.started_at,
            finished_at=row.finished_at,
            duration_ms=int((row.finished_at - row.started_at).total_seconds() * 1000) if row.finished_at else None,
            _id=row.id,
        )

    @strawberry.field(description="The rejected rows, in row order, page by page.")
    async def rejected_rows(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[CatalogImportRowError]:
        limits = info.context.settings.graphql
        page = await paginate(
            ImportErrorModel.filter(catalog_import_id=self._id),
            PageRequest(first=first, after=after),
            order=("row", "id"),
            key="catalog_import_errors",
            default_size=limits.default_page_size,
            max_size=limits.max_page_size,
        )
        return connection(page, CatalogImportRowError.from_model)


@strawberry.type
class CatalogImportPayload:
    catalog_import: CatalogImport | None
    errors: list[UserError]


@strawberry.type(description="A price a trim had, with the validity window its feed gave.")
class TrimPrice:
    price: MoneyType
    valid_from: str | None
    valid_to: str | None
    created_at: datetime


@strawberry.type(
    description="A supplier's trim: buttons, zips, lace, interlining or thread. Anyone sees an ACTIVE trim of an "
    "approved supplier; the supplier's own people also see its archived ones. `node(id:)` refetches it on the "
    "same terms (null otherwise)."
)
class Trim(relay.Node):
    id: relay.NodeID[int]
    supplier_id: relay.GlobalID
    sku: str
    name: str
    trim_type: TrimTypeEnum  # type: ignore[valid-type]
    unit: TrimUnitEnum  # type: ignore[valid-type]
    composition: str
    colour: str
    pattern: str
    width_cm: int | None
    price: MoneyType = strawberry.field(description="Per unit: per piece or per metre.")
    stock: Decimal
    min_order: Decimal
    lead_time_days: int
    images: list[str]
    status: TrimStatusEnum  # type: ignore[valid-type]
    price_history: list[TrimPrice]

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: list[str], required: bool = False) -> list[Trim | None]:
        """`node(id:)`/`nodes(ids:)`: the trims the caller could list (browsing, or its own with `mine`)."""
        actor = await info.context.actor()
        ids = [int(i) for i in node_ids if i.isdigit()]
        rows = {row.id: row for row in await trims.listing(actor).filter(id__in=ids)}
        if actor.supplier_ids:
            rows.update((row.id, row) for row in await trims.listing(actor, mine=True).filter(id__in=ids))
        histories = await trims.price_histories(list(rows))
        found = {trim_id: _trim(row, _prices(histories[trim_id])) for trim_id, row in rows.items()}
        return [found.get(int(i)) if i.isdigit() else None for i in node_ids]


def _prices(history: list[Any]) -> list[TrimPrice]:
    return [
        TrimPrice(
            price=MoneyType.of(p.price, p.currency),
            valid_from=p.valid_from.isoformat() if p.valid_from else None,
            valid_to=p.valid_to.isoformat() if p.valid_to else None,
            created_at=p.created_at,
        )
        for p in history
    ]


def _trim(row: TrimModel, prices: list[TrimPrice]) -> Trim:
    return Trim(
        id=row.id,
        supplier_id=encode_id("Supplier", row.supplier_id),
        sku=row.sku,
        name=row.name,
        trim_type=row.trim_type,
        unit=row.unit,
        composition=row.composition,
        colour=row.colour,
        pattern=row.pattern,
        width_cm=row.width_cm,
        price=MoneyType.of(row.price, row.currency),
        stock=row.stock,
        min_order=row.min_order,
        lead_time_days=row.lead_time_days,
        images=list(row.images),
        status=row.status,
        price_history=prices,
    )


@strawberry.input(description="Which trims to list.")
class TrimFilter:
    mine: bool = strawberry.field(default=False, description="The calling supplier's own, archived ones too.")
    search: str | None = None
    trim_type: TrimTypeEnum | None = None  # type: ignore[valid-type]
    supplier_id: relay.GlobalID | None = None
    in_stock: bool | None = None


@strawberry.type
class SupplierCatalogsQuery:
    @strawberry.field(**guard("The calling supplier's catalog imports, newest first.", SUPPLIER))
    async def catalog_imports(
        self,
        info: Info,
        filter: CatalogImportFilter | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[CatalogImport]:
        actor = await info.context.actor()
        wanted = filter or CatalogImportFilter()
        queryset = ImportModel.filter(supplier_id__in=list(actor.supplier_ids))
        if wanted.status is not None:
            queryset = queryset.filter(status=wanted.status)
        if wanted.mode is not None:
            queryset = queryset.filter(mode=wanted.mode)
        limits = info.context.settings.graphql
        page = await paginate(
            queryset,
            PageRequest(first=first, after=after, last=last, before=before),
            order=("-id",),
            key="catalog_imports",
            default_size=limits.default_page_size,
            max_size=limits.max_page_size,
        )
        return connection(page, CatalogImport.from_model)

    @strawberry.field(
        **guard(
            "Trims to choose from: the ACTIVE trims of approved suppliers; with `filter: { mine: true }` the "
            "calling supplier's own in every status.",
            PUBLIC,
        )
    )
    async def trims(
        self,
        info: Info,
        filter: TrimFilter | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[Trim]:
        actor = await info.context.actor()
        wanted = filter or TrimFilter()
        supplier_id = decode_id(wanted.supplier_id, "Supplier", "filter.supplierId") if wanted.supplier_id else None
        queryset = trims.listing(
            actor,
            mine=wanted.mine,
            search=wanted.search,
            trim_type=wanted.trim_type,
            supplier_id=supplier_id,
            in_stock=wanted.in_stock,
        )
        limits = info.context.settings.graphql
        page = await paginate(
            queryset,
            PageRequest(first=first, after=after, last=last, before=before),
            order=("name", "id"),
            key="trims:name",
            default_size=limits.default_page_size,
            max_size=limits.max_page_size,
        )
        histories = await trims.price_histories([row.id for row in page.items])
        return connection(page, lambda row: _trim(row, _prices(histories[row.id])))


@strawberry.type
class SupplierCatalogsMutation:
    @strawberry.mutation(
        **guard(
            "Import a feed file (CSV, XLSX, JSON Lines or another plugin's format; multipart request) into the "
            "supplier's catalog: fabrics and trims upserted by SKU, FULL or DELTA, atomic or row by row. The import "
            "is QUEUED and runs as a job: poll catalogImports for its status and progress. A file refused by its "
            "size or format comes back FAILED at once, with `errors`.",
            SUPPLIER,
        )
    )
    async def catalog_import(self, info: Info, file: Upload, input: CatalogImportInput) -> CatalogImportPayload:
        actor = await info.context.actor()
        config = info.context.host.config(NAME)
        supplier_id = decode_id(input.supplier_id, "Supplier", "input.supplierId") if input.supplier_id else None
        try:
            data = await file.read(config.max_file_bytes + 1)  # type: ignore[attr-defined]  # one more: too large
            filename = getattr(file, "filename", None) or ""
        finally:
            await file.close()  # type: ignore[attr-defined]  # the spooled temporary file, now rather than at exit
        upload = importer.Upload(
            data=data, filename=filename, mode=input.mode, atomic=input.atomic, file_format=input.format
        )
        log = await importer.queue_import(
            actor,
            upload,
            supplier_id=supplier_id,
            formats=formats_of(info.context.host),
            max_bytes=config.max_file_bytes,
        )
        return CatalogImportPayload(catalog_import=CatalogImport.from_model(log), errors=await _errors(log))


async def _errors(log: ImportModel) -> list[UserError]:
    if log.status != ImportStatus.FAILED:
        return []
    refusal = await ImportErrorModel.filter(catalog_import_id=log.id, row=0).first()
    if refusal is not None:
        return [UserError(field="file", code=refusal.code, message=refusal.message)]
    return [
        UserError(
            field="file",
            code="ROWS_REJECTED",
            message=f"{log.rejected} rows were rejected, so nothing was imported (see rejectedRows).",
        )
    ]
