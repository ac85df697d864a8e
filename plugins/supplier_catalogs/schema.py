"""The plugin's GraphQL API: a supplier imports a feed file (`catalogImport`, a multipart upload) and reads its
import log (`catalogImports`); anyone browses the trims of approved suppliers (`trims`).

`catalogImport` takes the file beside one `input` (as `productMediaUpload` does). Its payload's `errors` is
non-empty exactly when nothing was imported: the file was refused (code of the problem, field `file`) or an
atomic import had rejected rows (`ROWS_REJECTED`). A row-by-row import that wrote some rows has no `errors`; its
rejected rows are listed, page by page, in `catalogImport.rejectedRows`, as for every import in the log.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, TypeVar

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
    described_enum,
    encode_id,
    guard,
    paginate,
)
from plugins.supplier_catalogs import importer, trims
from plugins.supplier_catalogs.arguments import After, Before, First, Last
from plugins.supplier_catalogs.models import CatalogImport as ImportModel
from plugins.supplier_catalogs.models import CatalogImportError as ImportErrorModel
from plugins.supplier_catalogs.models import ImportMode, ImportStatus, TrimStatus, TrimType, TrimUnit
from plugins.supplier_catalogs.models import Trim as TrimModel
from plugins.supplier_catalogs.plugin_settings import NAME, formats_of

CatalogImportMode = described_enum(
    ImportMode,
    name="CatalogImportMode",
    description="FULL: the file is the whole catalog. DELTA: it lists changes.",
    values={
        "FULL": "The file lists the whole catalog: what it does not name is archived; rows upsert by SKU.",
        "DELTA": "The file lists changes only: each row upserts its SKU, or deletes it with action=delete.",
    },
)
CatalogImportStatus = described_enum(
    ImportStatus,
    name="CatalogImportStatus",
    description="How an import ended.",
    values={
        "QUEUED": "Waiting for its job to start (poll catalogImports).",
        "RUNNING": "Its job is reading and writing; see progress.",
        "SUCCEEDED": "Every row was imported or found unchanged.",
        "PARTIAL": "A row-by-row import kept the good rows; rejectedRows lists the others.",
        "FAILED": "Nothing was kept: the file was refused, or an atomic import had a rejected row.",
    },
)
TrimTypeEnum = described_enum(
    TrimType,
    name="TrimType",
    description="What a trim is.",
    values={
        "BUTTON": "Buttons, sold per piece.",
        "ZIP": "Zips, per piece (or per metre for continuous zip tape).",
        "LACE": "Lace, per metre.",
        "INTERLINING": "Interlining (fusing), per metre.",
        "THREAD": "Sewing thread, per piece (a cone or spool).",
    },
)
TrimUnitEnum = described_enum(
    TrimUnit,
    name="TrimUnit",
    description="What a trim's price and stock count.",
    values={"PIECE": "Counted in pieces.", "METRE": "Measured in metres (two decimals)."},
)
TrimStatusEnum = described_enum(
    TrimStatus,
    name="TrimStatus",
    description="Whether brands may choose a trim.",
    values={
        "ACTIVE": "On sale: listed to buyers and orderable.",
        "ARCHIVED": "Withdrawn (a FULL feed no longer names it, or a DELTA deleted it): only its supplier sees it.",
    },
)


R = TypeVar("R")
N = TypeVar("N")


async def own_nodes(info: Info, model: Any, node_ids: list[str], to_node: Callable[[R], N]) -> list[N | None]:
    """Rows of a table with a `supplier_id` that belong to the caller's suppliers, by id, in one query: what the
    plugin's supplier-only lists (imports, sources) show, for `node(id:)`."""
    actor = await info.context.actor()
    ids = [int(i) for i in node_ids if i.isdigit()]
    rows = {row.id: row for row in await model.filter(supplier_id__in=list(actor.supplier_ids), id__in=ids)}
    return [to_node(rows[int(i)]) if i.isdigit() and int(i) in rows else None for i in node_ids]


@strawberry.input(description="How to import a feed file into the calling supplier's catalog.")
class CatalogImportInput:
    mode: CatalogImportMode = strawberry.field(  # type: ignore[valid-type]
        description="FULL (the file is the whole catalog) or DELTA (changes only)."
    )
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
    status: CatalogImportStatus | None = strawberry.field(default=None, description="Only imports in this status.")  # type: ignore[valid-type]
    mode: CatalogImportMode | None = strawberry.field(default=None, description="Only FULL or only DELTA imports.")  # type: ignore[valid-type]


@strawberry.type(description="A rejected row of an import: row 0 is the file as a whole.")
class CatalogImportRowError:
    row: int = strawberry.field(description="CSV and XLSX count the header as row 1; JSON Lines count lines.")
    column: str | None = strawberry.field(description="The feed column at fault; null for the whole row or file.")
    code: str = strawberry.field(description="A stable code, like INVALID_PRICE or DUPLICATE_SKU.")
    message: str = strawberry.field(description="What is wrong, in plain words.")

    @classmethod
    def from_model(cls, row: ImportErrorModel) -> CatalogImportRowError:
        return cls(row=row.row, column=row.column, code=row.code, message=row.message)


@strawberry.type(description="How far a running import is: rows read of the rows the file has.")
class CatalogImportProgress:
    rows_read: int = strawberry.field(description="Rows read so far.")
    rows_total: int | None = strawberry.field(description="Null: the format cannot count its rows beforehand.")


@strawberry.type(
    description="One import of a feed file into a supplier's catalog. A `Node`: `node(id:)` refetches it for the "
    "supplier's own people, who list it in `catalogImports` (null for anyone else)."
)
class CatalogImport(relay.Node):
    id: relay.NodeID[int]
    filename: str = strawberry.field(description="The uploaded file's name, or the feed URL's last part.")
    format: str = strawberry.field(description="The feed format's name (see catalogFormats).")
    mode: CatalogImportMode = strawberry.field(description="FULL or DELTA.")  # type: ignore[valid-type]
    atomic: bool = strawberry.field(description="True: all or nothing; false: the good rows were kept.")
    status: CatalogImportStatus = strawberry.field(  # type: ignore[valid-type]
        description="Where it stands; poll until SUCCEEDED, PARTIAL or FAILED."
    )
    rows_read: int = strawberry.field(description="Rows read so far (all of them once it ended).")
    created: int = strawberry.field(description="Materials created.")
    updated: int = strawberry.field(description="Materials changed.")
    unchanged: int = strawberry.field(description="Rows that matched what was stored (nothing written).")
    archived: int = strawberry.field(description="Materials archived (FULL: not in the file; DELTA: deleted).")
    rejected: int = strawberry.field(description="How many rows were rejected (see rejectedRows).")
    warnings: list[str] = strawberry.field(description="Notes that rejected nothing, e.g. ignored columns.")
    progress: CatalogImportProgress = strawberry.field(
        description="Poll it while the import is QUEUED or RUNNING: rowsRead grows to rowsTotal."
    )
    source_id: relay.GlobalID | None = strawberry.field(
        description="The URL source it was fetched from; null: an upload."
    )
    started_at: datetime = strawberry.field(description="When it was queued (UTC).")
    finished_at: datetime | None = strawberry.field(description="Null while QUEUED or RUNNING.")
    duration_ms: int | None = strawberry.field(description="How long it ran, in milliseconds; null until it ends.")

    @classmethod
    def from_model(cls, row: ImportModel) -> CatalogImport:
        return cls(
            id=row.id,
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
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]  # strawberry's overloads by `required`
        cls, *, info: Info, node_ids: list[str], required: bool = False
    ) -> list[CatalogImport | None]:
        """`node(id:)`/`nodes(ids:)`: as `catalogImports` lists them, the caller's suppliers' imports only."""
        return await own_nodes(info, ImportModel, node_ids, cls.from_model)

    @strawberry.field(description="The rejected rows, in row order, page by page.")
    async def rejected_rows(
        self, info: Info, first: First = None, after: After = None, last: Last = None, before: Before = None
    ) -> Connection[CatalogImportRowError]:
        limits = info.context.settings.graphql
        page = await paginate(
            ImportErrorModel.filter(catalog_import_id=self.id),
            PageRequest(first=first, after=after, last=last, before=before),
            order=("row", "id"),
            key="catalog_import_errors",
            default_size=limits.default_page_size,
            max_size=limits.max_page_size,
        )
        return connection(page, CatalogImportRowError.from_model)


@strawberry.type(description="What catalogImport answers: the import queued, or the errors.")
class CatalogImportPayload:
    catalog_import: CatalogImport | None = strawberry.field(
        description="The import, QUEUED (or FAILED at once if the file was refused); null on errors."
    )
    errors: list[UserError] = strawberry.field(description="What was wrong; empty on success.")


@strawberry.type(description="A price a trim had, with the validity window its feed gave.")
class TrimPrice:
    price: MoneyType = strawberry.field(description="The price per unit it had.")
    valid_from: str | None = strawberry.field(description="The day it took effect (YYYY-MM-DD); null: at once.")
    valid_to: str | None = strawberry.field(description="The last day it held (YYYY-MM-DD); null: open-ended.")
    created_at: datetime = strawberry.field(description="When it was set (UTC).")


@strawberry.type(
    description="A supplier's trim: buttons, zips, lace, interlining or thread. Anyone sees an ACTIVE trim of an "
    "approved supplier; the supplier's own people also see its archived ones. `node(id:)` refetches it on the "
    "same terms (null otherwise)."
)
class Trim(relay.Node):
    id: relay.NodeID[int]
    supplier_id: relay.GlobalID = strawberry.field(description="The Supplier selling it.")
    sku: str = strawberry.field(description="The supplier's SKU, unique per supplier.")
    name: str = strawberry.field(description="Its name.")
    trim_type: TrimTypeEnum = strawberry.field(description="What it is.")  # type: ignore[valid-type]
    unit: TrimUnitEnum = strawberry.field(description="What its price and stock count: PIECE or METRE.")  # type: ignore[valid-type]
    composition: str = strawberry.field(description="What it is made of, like 100% polyester.")
    colour: str = strawberry.field(description="Its colour, as the supplier names it.")
    pattern: str = strawberry.field(description="Its pattern, if any.")
    width_cm: int | None = strawberry.field(description="Width in centimetres (lace, tape); null if none.")
    price: MoneyType = strawberry.field(description="Per unit: per piece or per metre.")
    stock: Decimal = strawberry.field(description="In stock, in its unit.")
    min_order: Decimal = strawberry.field(description="The least one order may ask for, in its unit.")
    lead_time_days: int = strawberry.field(description="Days the supplier needs before shipping.")
    images: list[str] = strawberry.field(description="Image URLs (https).")
    status: TrimStatusEnum = strawberry.field(description="ACTIVE or ARCHIVED.")  # type: ignore[valid-type]
    price_history: list[TrimPrice] = strawberry.field(
        description="Every price it had, oldest first, with its validity window."
    )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]  # strawberry's overloads by `required`
        cls, *, info: Info, node_ids: list[str], required: bool = False
    ) -> list[Trim | None]:
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
    search: str | None = strawberry.field(default=None, description="Words in the trim's name.")
    trim_type: TrimTypeEnum | None = strawberry.field(default=None, description="Only trims of this type.")  # type: ignore[valid-type]
    supplier_id: relay.GlobalID | None = strawberry.field(default=None, description="Only this Supplier's trims.")
    in_stock: bool | None = strawberry.field(default=None, description="True: stock above 0; false: none in stock.")


@strawberry.type
class SupplierCatalogsQuery:
    @strawberry.field(**guard("The calling supplier's catalog imports, newest first.", SUPPLIER))
    async def catalog_imports(
        self,
        info: Info,
        filter: Annotated[
            CatalogImportFilter | None,
            strawberry.argument(description="Only imports of this status or mode; all of them when left out."),
        ] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
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
        filter: Annotated[
            TrimFilter | None,
            strawberry.argument(description="Which trims; every ACTIVE trim of approved suppliers when left out."),
        ] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
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
    async def catalog_import(
        self,
        info: Info,
        file: Annotated[
            Upload,
            strawberry.argument(
                description=(
                    "The feed file as a multipart upload (GraphQL multipart request spec): CSV, XLSX or JSON "
                    "Lines, or another plugin's format; at most the plugin's max_file_bytes (FILE_TOO_LARGE)."
                )
            ),
        ],
        input: Annotated[
            CatalogImportInput,
            strawberry.argument(
                description="How to import it: FULL or DELTA, atomic or row by row, and the format if not detected."
            ),
        ],
    ) -> CatalogImportPayload:
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
