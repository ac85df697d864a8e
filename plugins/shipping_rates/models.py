"""The shipping_rates plugin's tables: a brand's zones, the methods offered in each, their prices by weight
bracket and currency, and the order value above which a method ships free.

Relations to Lini's tables have no backward name (`related_name=False`): Lini's `Brand` is shared by every
plugin, and a plugin must not claim attribute names on it.
"""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class ShippingZone(Model):
    """Where a brand ships: countries (ISO 3166-1 alpha-2), optionally narrowed to Indonesian provinces."""

    id = fields.BigIntField(primary_key=True)
    brand: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "lini.Brand", related_name=False, on_delete=fields.CASCADE
    )
    brand_id: int
    name = fields.CharField(max_length=100)
    countries: fields.Field[list[str]] = fields.JSONField(default=list)
    # Canonical Indonesian province names (pycountry's); empty means the whole of every country listed.
    provinces: fields.Field[list[str]] = fields.JSONField(default=list)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "shipping_rates_zone"


class ShippingMethod(Model):
    """One service offered in a zone (JNE REG, Pos Laju), with its delivery-time estimate in days."""

    id = fields.BigIntField(primary_key=True)
    zone: fields.ForeignKeyRelation[ShippingZone] = fields.ForeignKeyField(
        "shipping_rates.ShippingZone", related_name="methods", on_delete=fields.CASCADE
    )
    zone_id: int
    name = fields.CharField(max_length=100)
    carrier = fields.CharField(max_length=50, default="")
    min_days = fields.IntField(null=True)
    max_days = fields.IntField(null=True)
    active = fields.BooleanField(default=True)
    position = fields.IntField(default=0)

    class Meta:
        table = "shipping_rates_method"


class ShippingMethodRate(Model):
    """The price of a method in one currency for parcels from `min_weight_grams` to `max_weight_grams`
    (both inclusive, no upper limit when null)."""

    id = fields.BigIntField(primary_key=True)
    method: fields.ForeignKeyRelation[ShippingMethod] = fields.ForeignKeyField(
        "shipping_rates.ShippingMethod", related_name="rates", on_delete=fields.CASCADE
    )
    method_id: int
    currency = fields.CharField(max_length=3)
    min_weight_grams = fields.IntField(default=0)
    max_weight_grams = fields.IntField(null=True)
    price = fields.DecimalField(max_digits=16, decimal_places=3)

    class Meta:
        table = "shipping_rates_rate"
        indexes = (("method_id", "currency"),)


class ShippingFreeThreshold(Model):
    """An order subtotal, in one currency, from which the method costs nothing."""

    id = fields.BigIntField(primary_key=True)
    method: fields.ForeignKeyRelation[ShippingMethod] = fields.ForeignKeyField(
        "shipping_rates.ShippingMethod", related_name="free_thresholds", on_delete=fields.CASCADE
    )
    method_id: int
    currency = fields.CharField(max_length=3)
    amount = fields.DecimalField(max_digits=16, decimal_places=3)

    class Meta:
        table = "shipping_rates_free_threshold"
        unique_together = (("method", "currency"),)
