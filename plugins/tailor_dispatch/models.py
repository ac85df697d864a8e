"""The plugin's one table: each brand's dispatch weights and where its garments are inspected."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class DispatchSettings(Model):
    """A brand's weights for ranking tailors, the history length they are judged on, and its workshop's location."""

    id = fields.BigIntField(primary_key=True)
    brand: fields.OneToOneRelation = fields.OneToOneField("lini.Brand", related_name=False, on_delete=fields.CASCADE)
    brand_id: int
    quality_weight = fields.DecimalField(max_digits=6, decimal_places=2, default=3)
    on_time_weight = fields.DecimalField(max_digits=6, decimal_places=2, default=2)
    load_weight = fields.DecimalField(max_digits=6, decimal_places=2, default=1)
    distance_weight = fields.DecimalField(max_digits=6, decimal_places=2, default=1)
    rotation_weight = fields.DecimalField(max_digits=6, decimal_places=2, default=1)
    history_jobs = fields.IntField(default=20)
    origin_latitude = fields.DecimalField(max_digits=9, decimal_places=6, null=True)
    origin_longitude = fields.DecimalField(max_digits=9, decimal_places=6, null=True)
    updated_by = fields.CharField(max_length=100, default="")
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "tailor_dispatch_settings"
