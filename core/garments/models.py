"""Tables of made-to-measure: what a garment needs measured, what it is cut from, and how its making goes.

Amounts are kept in centimetres, metres and Decimal money; JSON columns hold lists (not objects) where order
matters, because PostgreSQL's jsonb does not keep key order.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from tortoise import fields
from tortoise.models import Model

from core.columns import MONEY, Digits

CM: Digits = {"max_digits": 7, "decimal_places": 2}
METRES: Digits = {"max_digits": 12, "decimal_places": 2}


class GarmentType(Model):
    """A kind of garment (GAMIS, SHIRT) and the body measurements it is made from.

    Built-in types belong to no brand and are shared. A brand may add its own, seen only by that brand.
    """

    id = fields.BigIntField(primary_key=True)
    brand: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        "lini.Brand", related_name="garment_types", on_delete=fields.CASCADE, null=True
    )
    brand_id: int | None
    code = fields.CharField(max_length=40)
    # {"id": "Gamis", "en": "Gamis (long dress)", "ar": "..."}
    names: fields.Field[dict[str, str]] = fields.JSONField(default=dict)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "garment_type"
        unique_together = (("brand", "code"),)


class MeasurementField(Model):
    """One body measurement of a garment type, with the range a tailor accepts, in centimetres."""

    id = fields.BigIntField(primary_key=True)
    garment_type: fields.ForeignKeyRelation[GarmentType] = fields.ForeignKeyField(
        "lini.GarmentType", related_name="fields", on_delete=fields.CASCADE
    )
    garment_type_id: int
    code = fields.CharField(max_length=40)  # LINGKAR_BADAN, PANJANG_LENGAN, ...
    labels: fields.Field[dict[str, str]] = fields.JSONField(default=dict)
    hints: fields.Field[dict[str, str]] = fields.JSONField(default=dict)  # how to measure, per language
    min_cm = fields.DecimalField(**CM)
    max_cm = fields.DecimalField(**CM)
    required = fields.BooleanField(default=True)
    position = fields.IntField(default=0)

    class Meta:
        table = "measurement_field"
        unique_together = (("garment_type", "code"),)


class MeasuredBy(StrEnum):
    SELF = "SELF"
    TAILOR = "TAILOR"
    STORE = "STORE"


class MeasurementProfile(Model):
    """A customer's measurements for one garment type. Edits add versions, and orders keep the version they used."""

    id = fields.BigIntField(primary_key=True)
    user: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "lini.User", related_name="measurement_profiles", on_delete=fields.CASCADE
    )
    user_id: int
    garment_type: fields.ForeignKeyRelation[GarmentType] = fields.ForeignKeyField(
        "lini.GarmentType", related_name="profiles", on_delete=fields.CASCADE
    )
    garment_type_id: int
    name = fields.CharField(max_length=100)
    current_version = fields.IntField(default=1)
    deleted_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "measurement_profile"
        indexes = (("user_id", "garment_type_id"),)


class MeasurementProfileVersion(Model):
    id = fields.BigIntField(primary_key=True)
    profile: fields.ForeignKeyRelation[MeasurementProfile] = fields.ForeignKeyField(
        "lini.MeasurementProfile", related_name="versions", on_delete=fields.CASCADE
    )
    profile_id: int
    version = fields.IntField()
    # [{"code": "LINGKAR_BADAN", "cm": "96.50"}] in the garment type's field order
    values: fields.Field[list[dict[str, str]]] = fields.JSONField(default=list)
    measured_by = fields.CharEnumField(MeasuredBy, max_length=16, default=MeasuredBy.SELF)
    notes = fields.TextField(default="")
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "measurement_profile_version"
        unique_together = (("profile", "version"),)


class FabricStatus(StrEnum):
    ACTIVE = "ACTIVE"
    ARCHIVED = "ARCHIVED"


class Fabric(Model):
    """A supplier's fabric, offered to every brand, whose metres in stock only fall by conditional updates."""

    id = fields.BigIntField(primary_key=True)
    supplier: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "lini.Supplier", related_name="fabrics", on_delete=fields.CASCADE
    )
    supplier_id: int
    sku = fields.CharField(max_length=64)
    name = fields.CharField(max_length=200)
    composition = fields.CharField(max_length=200, default="")  # "100% polyester (wolfis)"
    weight_gsm = fields.IntField(null=True)
    width_cm = fields.IntField(null=True)
    colour = fields.CharField(max_length=64, default="")
    pattern = fields.CharField(max_length=64, default="")
    price_per_metre = fields.DecimalField(**MONEY)
    currency = fields.CharField(max_length=3)
    stock_metres = fields.DecimalField(**METRES, default=0)
    min_order_metres = fields.DecimalField(**METRES, default=0)
    lead_time_days = fields.IntField(default=0)  # to restock when the metres on hand are short
    images: fields.Field[list[str]] = fields.JSONField(default=list)
    status = fields.CharEnumField(FabricStatus, max_length=16, default=FabricStatus.ACTIVE)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "fabric"
        unique_together = (("supplier", "sku"),)


class FabricPrice(Model):
    """Every price a fabric has had, newest last."""

    id = fields.BigIntField(primary_key=True)
    fabric: fields.ForeignKeyRelation[Fabric] = fields.ForeignKeyField(
        "lini.Fabric", related_name="price_history", on_delete=fields.CASCADE
    )
    fabric_id: int
    price_per_metre = fields.DecimalField(**MONEY)
    currency = fields.CharField(max_length=3)
    set_by = fields.CharField(max_length=100, default="")
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "fabric_price"


class ExchangeRate(Model):
    """How much one unit of `base` is in `quote`, maintained by platform admins for fabric prices."""

    id = fields.BigIntField(primary_key=True)
    base = fields.CharField(max_length=3)
    quote = fields.CharField(max_length=3)
    rate = fields.DecimalField(max_digits=20, decimal_places=8)
    updated_by = fields.CharField(max_length=100, default="")
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "exchange_rate"
        unique_together = (("base", "quote"),)


class MadeToMeasure(Model):
    """What makes a catalog product made-to-measure: its garment type, making price, size bands, lead time."""

    id = fields.BigIntField(primary_key=True)
    product: fields.OneToOneRelation = fields.OneToOneField(
        "lini.Product", related_name="made_to_measure_config", on_delete=fields.CASCADE
    )
    product_id: int
    garment_type: fields.ForeignKeyRelation[GarmentType] = fields.ForeignKeyField(
        "lini.GarmentType", related_name="products", on_delete=fields.RESTRICT
    )
    garment_type_id: int
    # [{"currency": "IDR", "amount": "350000"}]
    base_prices: fields.Field[list[dict[str, str]]] = fields.JSONField(default=list)
    # The measurement that picks the size band, and the bands in rising order:
    # [{"code": "S", "max_cm": "92"}, {"code": "M", "max_cm": "100"}, {"code": "XL", "max_cm": null}]
    size_band_field = fields.CharField(max_length=40, default="")
    size_bands: fields.Field[list[dict[str, Any]]] = fields.JSONField(default=list)
    production_days = fields.IntField(default=14)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "made_to_measure"


class OptionKind(StrEnum):
    SINGLE = "SINGLE"  # pick one value
    MULTIPLE = "MULTIPLE"  # pick any number of values
    TEXT = "TEXT"  # free text (embroidery, monogram) up to max_length


class OptionGroup(Model):
    id = fields.BigIntField(primary_key=True)
    product: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "lini.Product", related_name="option_groups", on_delete=fields.CASCADE
    )
    product_id: int
    code = fields.CharField(max_length=40)  # COLLAR, SLEEVE, EMBROIDERY
    names: fields.Field[dict[str, str]] = fields.JSONField(default=dict)
    kind = fields.CharEnumField(OptionKind, max_length=16, default=OptionKind.SINGLE)
    required = fields.BooleanField(default=False)
    max_length = fields.IntField(default=0)  # TEXT only
    # TEXT only: the surcharge when any text is given, [{"currency": "IDR", "amount": "25000"}]
    surcharges: fields.Field[list[dict[str, str]]] = fields.JSONField(default=list)
    position = fields.IntField(default=0)

    class Meta:
        table = "option_group"
        unique_together = (("product", "code"),)


class OptionValue(Model):
    id = fields.BigIntField(primary_key=True)
    group: fields.ForeignKeyRelation[OptionGroup] = fields.ForeignKeyField(
        "lini.OptionGroup", related_name="values", on_delete=fields.CASCADE
    )
    group_id: int
    code = fields.CharField(max_length=40)
    names: fields.Field[dict[str, str]] = fields.JSONField(default=dict)
    surcharges: fields.Field[list[dict[str, str]]] = fields.JSONField(default=list)
    position = fields.IntField(default=0)

    class Meta:
        table = "option_value"
        unique_together = (("group", "code"),)


class ProductFabric(Model):
    """A fabric a made-to-measure product may be cut from, and the metres it takes per size band."""

    id = fields.BigIntField(primary_key=True)
    product: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "lini.Product", related_name="allowed_fabrics", on_delete=fields.CASCADE
    )
    product_id: int
    fabric: fields.ForeignKeyRelation[Fabric] = fields.ForeignKeyField(
        "lini.Fabric", related_name="products", on_delete=fields.CASCADE
    )
    fabric_id: int
    # [{"band": "S", "metres": "2.50"}, {"band": "M", "metres": "2.75"}]
    consumption: fields.Field[list[dict[str, str]]] = fields.JSONField(default=list)
    position = fields.IntField(default=0)

    class Meta:
        table = "product_fabric"
        unique_together = (("product", "fabric"),)


class JobStage(StrEnum):
    QUEUED = "QUEUED"
    ASSIGNED = "ASSIGNED"
    ACCEPTED = "ACCEPTED"
    CUTTING = "CUTTING"
    SEWING = "SEWING"
    FINISHING = "FINISHING"
    QUALITY_CHECK = "QUALITY_CHECK"
    ALTERATION = "ALTERATION"
    READY = "READY"
    SHIPPED = "SHIPPED"
    REMADE = "REMADE"  # replaced by a new job (its `remake_of` points here)
    CANCELLED = "CANCELLED"


class RemakeCause(StrEnum):
    MEASUREMENT = "MEASUREMENT"
    MAKING = "MAKING"
    FABRIC = "FABRIC"
    CUSTOMER_CHANGE = "CUSTOMER_CHANGE"


class ProductionJob(Model):
    """One garment to make for one made-to-measure order line (a line of quantity 2 makes two jobs)."""

    id = fields.BigIntField(primary_key=True)
    brand: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "lini.Brand", related_name="production_jobs", on_delete=fields.CASCADE
    )
    brand_id: int
    order: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "lini.Order", related_name="production_jobs", on_delete=fields.CASCADE
    )
    order_id: int
    order_line: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "lini.OrderLine", related_name="production_jobs", on_delete=fields.CASCADE
    )
    order_line_id: int
    garment_index = fields.IntField(default=1)  # which of the line's garments, 1..quantity
    tailor: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        "lini.Tailor", related_name="production_jobs", on_delete=fields.SET_NULL, null=True
    )
    tailor_id: int | None
    stage = fields.CharEnumField(JobStage, max_length=20, default=JobStage.QUEUED)
    garment_type_code = fields.CharField(max_length=40)
    ready_by = fields.DateField(null=True)
    fabric: fields.ForeignKeyNullableRelation[Fabric] = fields.ForeignKeyField(
        "lini.Fabric", related_name="production_jobs", on_delete=fields.SET_NULL, null=True
    )
    fabric_id: int | None
    fabric_metres = fields.DecimalField(**METRES, default=0)  # reserved from the fabric's stock for this job
    remake_of: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        "lini.ProductionJob", related_name="remakes", on_delete=fields.SET_NULL, null=True
    )
    remake_of_id: int | None
    remake_cause = fields.CharField(max_length=20, default="")
    assigned_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "production_job"
        indexes = (
            ("brand_id", "stage"),
            ("tailor_id", "stage"),
            ("tailor_id", "assigned_at"),
            ("order_id", "id"),
            ("remake_of_id",),
        )


class ProductionStageChange(Model):
    """The job's history: who moved it, when, why, with photos. `internal` rows are hidden from customers."""

    id = fields.BigIntField(primary_key=True)
    job: fields.ForeignKeyRelation[ProductionJob] = fields.ForeignKeyField(
        "lini.ProductionJob", related_name="history", on_delete=fields.CASCADE
    )
    job_id: int
    from_stage = fields.CharField(max_length=20, default="")
    to_stage = fields.CharField(max_length=20)
    actor = fields.CharField(max_length=100, default="")  # "user:12", "system"
    actor_role = fields.CharField(max_length=20, default="")  # STAFF, TAILOR, SYSTEM
    note = fields.TextField(default="")
    internal_note = fields.TextField(default="")
    photo_urls: fields.Field[list[str]] = fields.JSONField(default=list)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "production_stage_change"
        indexes = (("job_id",),)


class DefectSeverity(StrEnum):
    MINOR = "MINOR"
    MAJOR = "MAJOR"
    CRITICAL = "CRITICAL"


class QcInspection(Model):
    id = fields.BigIntField(primary_key=True)
    job: fields.ForeignKeyRelation[ProductionJob] = fields.ForeignKeyField(
        "lini.ProductionJob", related_name="inspections", on_delete=fields.CASCADE
    )
    job_id: int
    passed = fields.BooleanField()
    # [{"item": "SEAMS", "passed": true, "note": ""}]
    checklist: fields.Field[list[dict[str, Any]]] = fields.JSONField(default=list)
    # [{"code": "UNEVEN_HEM", "severity": "MINOR", "note": "..."}]
    defects: fields.Field[list[dict[str, Any]]] = fields.JSONField(default=list)
    inspector = fields.CharField(max_length=100, default="")
    note = fields.TextField(default="")
    photo_urls: fields.Field[list[str]] = fields.JSONField(default=list)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "qc_inspection"
        indexes = (("job_id",),)


class ProductionJobOutcome(Model):
    """A finished job's outcome, for its tailor's record.

    One row per job that is READY, SHIPPED or REMADE and has a tailor: its first QC verdict, whether it was remade
    for the making, whether its first READY met its ready-by date. A summary of the job's history, rewritten from
    that history by `core.garments.outcomes.refresh` in the transaction of every stage change and remake, so a
    tailor's "last N jobs" are one indexed read of these rows instead of three aggregates over the inspections,
    the stage changes and the remakes."""

    id = fields.BigIntField(primary_key=True)
    job: fields.OneToOneRelation[ProductionJob] = fields.OneToOneField(
        "lini.ProductionJob", related_name="outcome", on_delete=fields.CASCADE
    )
    job_id: int
    tailor: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "lini.Tailor", related_name="job_outcomes", on_delete=fields.CASCADE
    )
    tailor_id: int
    brand: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "lini.Brand", related_name="job_outcomes", on_delete=fields.CASCADE
    )
    brand_id: int
    assigned_at = fields.DatetimeField(null=True)  # the job's: a tailor's last jobs are the last assigned
    first_qc_passed = fields.BooleanField(null=True)  # None: never inspected
    remade = fields.BooleanField(default=False)  # a remake for the making (RemakeCause.MAKING) points at it
    ready_at = fields.DatetimeField(null=True)  # its first READY stage change
    on_time = fields.BooleanField(null=True)  # ready_at's UTC day ≤ ready_by; None without either

    class Meta:
        table = "production_job_outcome"
        indexes = (("tailor_id", "assigned_at", "job_id"),)
