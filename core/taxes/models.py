"""Tax rates a brand charges per destination country."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class TaxRate(Model):
    """`rate` percent of a base that is `base_numerator/base_denominator` of the net price.

    Indonesia's PPN since 2025: rate 12 on a base of 11/12, so 11% in effect; most countries use a base of 1/1.
    """

    id = fields.BigIntField(primary_key=True)
    brand: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "lini.Brand", related_name="tax_rates", on_delete=fields.CASCADE
    )
    brand_id: int
    country = fields.CharField(max_length=2)
    name = fields.CharField(max_length=100)
    rate = fields.DecimalField(max_digits=6, decimal_places=3)
    base_numerator = fields.IntField(default=1)
    base_denominator = fields.IntField(default=1)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "tax_rate"
        unique_together = (("brand", "country"),)
