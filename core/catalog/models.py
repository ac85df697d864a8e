"""Products, their variants and per-currency prices."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model

from core.actors.models import Brand


class ProductStatus(StrEnum):
    DRAFT = "DRAFT"
    PUBLISHED = "PUBLISHED"
    ARCHIVED = "ARCHIVED"


class Product(Model):
    id = fields.BigIntField(primary_key=True)
    brand: fields.ForeignKeyRelation[Brand] = fields.ForeignKeyField(
        "lini.Brand", related_name="products", on_delete=fields.CASCADE
    )
    brand_id: int
    slug = fields.CharField(max_length=200)
    name = fields.CharField(max_length=250)
    description = fields.TextField(default="")
    made_to_measure = fields.BooleanField(default=False)
    status = fields.CharEnumField(ProductStatus, max_length=16, default=ProductStatus.DRAFT)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "product"
        unique_together = (("brand", "slug"),)
        indexes = (("brand_id", "status", "name"),)


class Variant(Model):
    id = fields.BigIntField(primary_key=True)
    # Denormalised from the product so that "SKU unique per brand" is a database constraint.
    brand: fields.ForeignKeyRelation[Brand] = fields.ForeignKeyField(
        "lini.Brand", related_name="variants", on_delete=fields.CASCADE
    )
    product: fields.ForeignKeyRelation[Product] = fields.ForeignKeyField(
        "lini.Product", related_name="variants", on_delete=fields.CASCADE
    )
    product_id: int
    sku = fields.CharField(max_length=64)
    size = fields.CharField(max_length=32, default="")
    colour = fields.CharField(max_length=64, default="")
    weight_grams = fields.IntField(default=0)
    position = fields.IntField(default=0)

    class Meta:
        table = "variant"
        unique_together = (("brand", "sku"),)


class VariantPrice(Model):
    id = fields.BigIntField(primary_key=True)
    variant: fields.ForeignKeyRelation[Variant] = fields.ForeignKeyField(
        "lini.Variant", related_name="prices", on_delete=fields.CASCADE
    )
    variant_id: int
    currency = fields.CharField(max_length=3)
    amount = fields.DecimalField(max_digits=16, decimal_places=3)

    class Meta:
        table = "variant_price"
        unique_together = (("variant", "currency"),)
