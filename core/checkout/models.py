"""A checkout is a cart with everything needed to become an order; it expires when left alone."""

from __future__ import annotations

from typing import Any

from tortoise import fields
from tortoise.models import Model


class Checkout(Model):
    """Found by its unguessable token (a guest has nothing else). Addresses are snapshots, not book entries."""

    id = fields.BigIntField(primary_key=True)
    token = fields.CharField(max_length=64, unique=True)
    brand: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "lini.Brand", related_name="checkouts", on_delete=fields.CASCADE
    )
    brand_id: int
    user: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        "lini.User", related_name="checkouts", on_delete=fields.SET_NULL, null=True
    )
    user_id: int | None
    email = fields.CharField(max_length=254, default="")
    currency = fields.CharField(max_length=3)
    language = fields.CharField(max_length=8, default="id")
    shipping_address: fields.Field[dict[str, Any] | None] = fields.JSONField(null=True)
    billing_address: fields.Field[dict[str, Any] | None] = fields.JSONField(null=True)
    # "<provider>:<method>" as the shipping provider offered it, e.g. "shipping_rates:12".
    delivery_method_id = fields.CharField(max_length=100, default="")
    voucher: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        "lini.Voucher", related_name="checkouts", on_delete=fields.SET_NULL, null=True
    )
    voucher_id: int | None
    customer_note = fields.TextField(default="")
    expires_at = fields.DatetimeField(db_index=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "checkout"
        indexes = (("user_id", "brand_id"),)


class CheckoutLine(Model):
    id = fields.BigIntField(primary_key=True)
    checkout: fields.ForeignKeyRelation[Checkout] = fields.ForeignKeyField(
        "lini.Checkout", related_name="lines", on_delete=fields.CASCADE
    )
    checkout_id: int
    variant: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "lini.Variant", related_name="checkout_lines", on_delete=fields.CASCADE
    )
    variant_id: int
    quantity = fields.IntField()
    # A made-to-measure line: the configuration the garment is made from (product, fabric, options and a
    # snapshot of the measurements), priced by the same quote the storefront was shown. Null: ready-made.
    custom_garment: fields.Field[dict[str, Any] | None] = fields.JSONField(null=True)
    # "" for ready-made lines, a digest of `custom_garment` otherwise: the same variant may be in a checkout
    # once per configuration, and adding the same configuration again raises its quantity.
    config_key = fields.CharField(max_length=64, default="")
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "checkout_line"
        unique_together = (("checkout", "variant", "config_key"),)
