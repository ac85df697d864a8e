"""Customs data set on a category (the default for its products and its sub-categories'), a product or a variant.

One table with exactly one owner per row rather than columns on three catalog tables: most products inherit
everything from their category, so most products have no row, and the catalog's hot tables stay as narrow as
the storefront's list pages need them.
"""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from core.actors.models import Brand
from core.catalog.models import Category, Product, Variant


class CustomsData(Model):
    id = fields.BigIntField(primary_key=True)
    brand: fields.ForeignKeyRelation[Brand] = fields.ForeignKeyField(
        "lini.Brand", related_name="customs_data", on_delete=fields.CASCADE
    )
    brand_id: int
    # Exactly one of the three is set (the services write rows only through `owner`); deleting the owner deletes
    # its row.
    category: fields.OneToOneNullableRelation[Category] = fields.OneToOneField(
        "lini.Category", related_name="customs", null=True, on_delete=fields.CASCADE
    )
    category_id: int | None
    product: fields.OneToOneNullableRelation[Product] = fields.OneToOneField(
        "lini.Product", related_name="customs", null=True, on_delete=fields.CASCADE
    )
    product_id: int | None
    variant: fields.OneToOneNullableRelation[Variant] = fields.OneToOneField(
        "lini.Variant", related_name="customs", null=True, on_delete=fields.CASCADE
    )
    variant_id: int | None
    # Null everywhere below means "not set here: inherit". The HS code's six international digits, then the
    # destination-independent national extension the brand declares (Indonesia's BTKI has eight digits in all).
    hs_code = fields.CharField(max_length=6, null=True)
    national_code = fields.CharField(max_length=6, null=True)
    description = fields.CharField(max_length=200, null=True)  # in English, as customs forms want it
    origin_country = fields.CharField(max_length=2, null=True)
    # [{"material": "polyester", "percent": "95"}, …] summing to 100; a list keeps the label's order.
    composition: fields.Field[list[dict[str, str]] | None] = fields.JSONField(null=True)
    net_weight_grams = fields.IntField(null=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "customs_data"
        indexes = (("brand_id",),)
