"""A brand's settings for one plugin, validated by the plugin's `BrandSettings` model when written."""

from __future__ import annotations

from typing import Any

from tortoise import fields
from tortoise.models import Model


class BrandPluginConfig(Model):
    id = fields.BigIntField(primary_key=True)
    brand: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "lini.Brand", related_name="plugin_configs", on_delete=fields.CASCADE
    )
    brand_id: int
    plugin = fields.CharField(max_length=100)
    active = fields.BooleanField(default=True)
    config: fields.Field[dict[str, Any]] = fields.JSONField(default=dict)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "brand_plugin_config"
        unique_together = (("brand", "plugin"),)
