"""The supplier_catalogs plugin's tables: trims (buttons, zips, lace, interlining, thread) with their price
history, and the log of catalog imports with their rejected rows.

Fabrics stay in Lini's own `fabric` table, written only through core's fabric service; trims live here. Relations
to Lini's tables have no backward name (`related_name=False`): Lini's `Supplier` is shared by every plugin.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from tortoise import fields
from tortoise.models import Model

MONEY: dict[str, Any] = {"max_digits": 16, "decimal_places": 3}
QUANTITY: dict[str, Any] = {"max_digits": 12, "decimal_places": 2}


class TrimType(StrEnum):
    BUTTON = "BUTTON"
    ZIP = "ZIP"
    LACE = "LACE"
    INTERLINING = "INTERLINING"
    THREAD = "THREAD"


class TrimUnit(StrEnum):
    PIECE = "PIECE"
    METRE = "METRE"


class TrimStatus(StrEnum):
    ACTIVE = "ACTIVE"
    ARCHIVED = "ARCHIVED"


class ImportMode(StrEnum):
    FULL = "FULL"  # the file is the whole catalog: what it lacks is archived
    DELTA = "DELTA"  # the file lists changes: each row upserts or deletes


class ImportStatus(StrEnum):
    QUEUED = "QUEUED"  # waiting for its job (an upload, or a source's fetch that brought a new file)
    RUNNING = "RUNNING"  # its job is reading and writing: `rows_read` of `rows_total` so far
    SUCCEEDED = "SUCCEEDED"  # every row written
    PARTIAL = "PARTIAL"  # row by row, some rows rejected, the others written
    FAILED = "FAILED"  # nothing written: the file was refused, or an atomic import had a rejected row


class Trim(Model):
    """A supplier's trim, sold per piece or per metre, upserted by (supplier, sku) from its feeds."""

    id = fields.BigIntField(primary_key=True)
    supplier: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "lini.Supplier", related_name=False, on_delete=fields.CASCADE
    )
    supplier_id: int
    sku = fields.CharField(max_length=64)
    name = fields.CharField(max_length=200)
    trim_type = fields.CharEnumField(TrimType, max_length=16)
    unit = fields.CharEnumField(TrimUnit, max_length=8, default=TrimUnit.PIECE)
    composition = fields.CharField(max_length=200, default="")
    colour = fields.CharField(max_length=64, default="")
    pattern = fields.CharField(max_length=64, default="")
    width_cm = fields.IntField(null=True)
    price = fields.DecimalField(**MONEY)
    currency = fields.CharField(max_length=3)
    stock = fields.DecimalField(**QUANTITY, default=0)
    min_order = fields.DecimalField(**QUANTITY, default=0)
    lead_time_days = fields.IntField(default=0)
    images: fields.Field[list[str]] = fields.JSONField(default=list)
    status = fields.CharEnumField(TrimStatus, max_length=16, default=TrimStatus.ACTIVE)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "supplier_catalogs_trim"
        unique_together = (("supplier", "sku"),)


class TrimPrice(Model):
    """Every price a trim has had, newest last, with the validity window its feed gave."""

    id = fields.BigIntField(primary_key=True)
    trim: fields.ForeignKeyRelation[Trim] = fields.ForeignKeyField(
        "supplier_catalogs.Trim", related_name="prices", on_delete=fields.CASCADE
    )
    trim_id: int
    price = fields.DecimalField(**MONEY)
    currency = fields.CharField(max_length=3)
    valid_from = fields.DateField(null=True)
    valid_to = fields.DateField(null=True)
    set_by = fields.CharField(max_length=100, default="")
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "supplier_catalogs_trim_price"


class CatalogImport(Model):
    """One import of a feed into a supplier's catalog: what was asked, what came of it, how long it took."""

    id = fields.BigIntField(primary_key=True)
    supplier: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "lini.Supplier", related_name=False, on_delete=fields.CASCADE
    )
    supplier_id: int
    filename = fields.CharField(max_length=255, default="")
    file_format = fields.CharField(max_length=32)  # a `catalog_formats` name: CSV, XLSX, JSONL or a plugin's
    mode = fields.CharEnumField(ImportMode, max_length=8)
    atomic = fields.BooleanField(default=True)
    status = fields.CharEnumField(ImportStatus, max_length=16)
    rows_read = fields.IntField(default=0)
    rows_total = fields.IntField(null=True)  # the format's count of the file's rows, for progress; null: unknown
    created = fields.IntField(default=0)
    updated = fields.IntField(default=0)
    unchanged = fields.IntField(default=0)
    archived = fields.IntField(default=0)
    rejected = fields.IntField(default=0)
    # Feed-level notes that refused nothing, e.g. unknown columns that were ignored.
    warnings: fields.Field[list[str]] = fields.JSONField(default=list)
    started_by = fields.CharField(max_length=100, default="")
    # Whom its job acts as (the uploader, or the user who registered the source), with their rights at the time.
    started_by_user_id = fields.BigIntField(null=True)
    started_at = fields.DatetimeField()
    finished_at = fields.DatetimeField(null=True)  # null while QUEUED or RUNNING
    # The URL source it was fetched from; null: an upload.
    source: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        "supplier_catalogs.CatalogSource", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    source_id: int | None

    class Meta:
        table = "supplier_catalogs_import"


class CatalogImportError(Model):
    """A rejected row of an import (row 0: the file as a whole), with the column at fault and why."""

    id = fields.BigIntField(primary_key=True)
    catalog_import: fields.ForeignKeyRelation[CatalogImport] = fields.ForeignKeyField(
        "supplier_catalogs.CatalogImport", related_name="errors", on_delete=fields.CASCADE
    )
    catalog_import_id: int
    row = fields.IntField()
    column = fields.CharField(max_length=64, null=True)
    code = fields.CharField(max_length=64)
    message = fields.CharField(max_length=500)

    class Meta:
        table = "supplier_catalogs_import_error"
