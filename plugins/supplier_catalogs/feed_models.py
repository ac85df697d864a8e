"""The feed side's tables beside the import log: URL sources fetched on a schedule, the files waiting for their
import job, each material's last feed-row hash (unchanged rows write nothing), and prices that start later.
"""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model

from plugins.supplier_catalogs.models import MONEY, ImportMode


class FetchOutcome(StrEnum):
    IMPORTED = "IMPORTED"  # a new file came and was queued for import
    NOT_MODIFIED = "NOT_MODIFIED"  # 304 (or the same ETag): nothing written
    FAILED = "FAILED"  # refused or unreachable: the import records why


class PriceStatus(StrEnum):
    PENDING = "PENDING"  # waits for its valid_from
    APPLIED = "APPLIED"  # became the material's price on its date
    SUPERSEDED = "SUPERSEDED"  # a later feed gave another price for the same day, or the material was archived


class CatalogSource(Model):
    """A feed URL a supplier registered, fetched every `interval_minutes` by the plugin's periodic job."""

    id = fields.BigIntField(primary_key=True)
    supplier: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "lini.Supplier", related_name=False, on_delete=fields.CASCADE
    )
    supplier_id: int
    url = fields.CharField(max_length=2000)
    file_format = fields.CharField(max_length=32, null=True)  # null: from the answer's type, name or content
    mode = fields.CharEnumField(ImportMode, max_length=8)
    atomic = fields.BooleanField(default=True)
    interval_minutes = fields.IntField()
    active = fields.BooleanField(default=True)
    etag = fields.CharField(max_length=200, default="")
    last_modified = fields.CharField(max_length=100, default="")
    next_fetch_at = fields.DatetimeField(db_index=True)
    last_fetched_at = fields.DatetimeField(null=True)
    last_outcome = fields.CharEnumField(FetchOutcome, max_length=16, null=True)
    created_by = fields.CharField(max_length=100, default="")
    created_by_user_id = fields.BigIntField()  # whom its fetches' imports act as
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "supplier_catalogs_source"


class CatalogImportFile(Model):
    """The bytes of a queued import, kept until its job has read them (a worker may run on another machine)."""

    id = fields.BigIntField(primary_key=True)
    catalog_import: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "supplier_catalogs.CatalogImport", related_name=False, on_delete=fields.CASCADE, unique=True
    )
    catalog_import_id: int
    data = fields.BinaryField()

    class Meta:
        table = "supplier_catalogs_import_file"


class MaterialHash(Model):
    """The hash of the feed row that last wrote a material: the same row again is unchanged without reading it."""

    id = fields.BigIntField(primary_key=True)
    supplier_id = fields.BigIntField()
    kind = fields.CharField(max_length=8)
    sku = fields.CharField(max_length=64)
    hash = fields.CharField(max_length=32)

    class Meta:
        table = "supplier_catalogs_material_hash"
        unique_together = (("supplier_id", "kind", "sku"),)


class ScheduledPrice(Model):
    """A price a feed gave with its validity window: pending until `valid_from`, then applied by the periodic
    job (through core's fabric service or the trim writer, so the price history records it), and kept."""

    id = fields.BigIntField(primary_key=True)
    supplier: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "lini.Supplier", related_name=False, on_delete=fields.CASCADE
    )
    supplier_id: int
    kind = fields.CharField(max_length=8)
    material_id = fields.BigIntField()
    sku = fields.CharField(max_length=64)
    price = fields.DecimalField(**MONEY)
    currency = fields.CharField(max_length=3)
    valid_from = fields.DateField()
    valid_to = fields.DateField(null=True)
    status = fields.CharEnumField(PriceStatus, max_length=16, default=PriceStatus.PENDING)
    set_by = fields.CharField(max_length=100, default="")
    created_at = fields.DatetimeField(auto_now_add=True)
    applied_at = fields.DatetimeField(null=True)

    class Meta:
        table = "supplier_catalogs_scheduled_price"
        indexes = (("status", "valid_from"),)
