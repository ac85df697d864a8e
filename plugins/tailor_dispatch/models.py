"""The plugin's tables: each brand's dispatch settings, the offers made to tailors, and tailors' making prices."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


class DispatchSettings(Model):
    """A brand's dispatch weights, history length, workshop location and offer rules."""

    # offer_minutes: how long an offer stays open; max_misses: offers declined, expired or withdrawn before the
    # job waits for staff (an event tells them) instead of going to the next tailor.

    id = fields.BigIntField(primary_key=True)
    brand: fields.OneToOneRelation = fields.OneToOneField("lini.Brand", related_name=False, on_delete=fields.CASCADE)
    brand_id: int
    quality_weight = fields.DecimalField(max_digits=6, decimal_places=2, default=3)
    on_time_weight = fields.DecimalField(max_digits=6, decimal_places=2, default=2)
    load_weight = fields.DecimalField(max_digits=6, decimal_places=2, default=1)
    distance_weight = fields.DecimalField(max_digits=6, decimal_places=2, default=1)
    rotation_weight = fields.DecimalField(max_digits=6, decimal_places=2, default=1)
    price_weight = fields.DecimalField(max_digits=6, decimal_places=2, default=1)
    history_jobs = fields.IntField(default=20)
    origin_latitude = fields.DecimalField(max_digits=9, decimal_places=6, null=True)
    origin_longitude = fields.DecimalField(max_digits=9, decimal_places=6, null=True)
    offer_minutes = fields.IntField(default=120)
    max_misses = fields.IntField(default=3)
    strategy = fields.CharField(max_length=64, default="WEIGHTED")  # a `dispatch_strategies` name
    updated_by = fields.CharField(max_length=100, default="")
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "tailor_dispatch_settings"


class OfferStatus(StrEnum):
    OPEN = "OPEN"
    ACCEPTED = "ACCEPTED"
    DECLINED = "DECLINED"
    EXPIRED = "EXPIRED"
    WITHDRAWN = "WITHDRAWN"  # the tailor can no longer take it (suspended, certificate lapsed) or staff assigned


class DispatchOffer(Model):
    """A time-limited offer of one queued job to one tailor, exclusive while it is open.

    `open_job_id` holds the job's id while the offer is OPEN and NULL once it is decided: its unique index lets
    the database itself refuse a second open offer of one job (NULLs never collide, on SQLite or PostgreSQL).
    """

    id = fields.BigIntField(primary_key=True)
    brand: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "lini.Brand", related_name=False, on_delete=fields.CASCADE
    )
    brand_id: int
    job: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "lini.ProductionJob", related_name=False, on_delete=fields.CASCADE
    )
    job_id: int
    tailor: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "lini.Tailor", related_name=False, on_delete=fields.CASCADE
    )
    tailor_id: int
    open_job_id = fields.BigIntField(null=True, unique=True)
    status = fields.CharEnumField(OfferStatus, max_length=16, default=OfferStatus.OPEN)
    score = fields.FloatField(default=0)
    attempt = fields.IntField(default=1)  # 1 for the job's first offer, 2 for the next, ...
    offered_at = fields.DatetimeField()
    expires_at = fields.DatetimeField()
    decided_at = fields.DatetimeField(null=True)
    reason = fields.TextField(default="")  # the tailor's reason to decline, or why it was withdrawn

    class Meta:
        table = "tailor_dispatch_offer"
        indexes = (("tailor_id", "status"), ("job_id", "status"), ("status", "expires_at"))


class DispatchPrice(Model):
    """What a tailor asks for making one garment of a type, in one currency (set by the tailor itself).

    The PRICE term compares these in the brand's default currency: a tailor without a price in it is neutral.
    """

    id = fields.BigIntField(primary_key=True)
    tailor: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "lini.Tailor", related_name=False, on_delete=fields.CASCADE
    )
    tailor_id: int
    garment_type_code = fields.CharField(max_length=40)
    currency = fields.CharField(max_length=3)
    amount = fields.DecimalField(max_digits=16, decimal_places=3)  # core's MONEY precision
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "tailor_dispatch_price"
        unique_together = (("tailor_id", "garment_type_code", "currency"),)
        indexes = (("garment_type_code", "currency"),)
