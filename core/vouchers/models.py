"""Voucher codes, their per-currency amounts and how often each customer used them."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


class VoucherKind(StrEnum):
    PERCENTAGE = "PERCENTAGE"
    FIXED = "FIXED"
    FREE_SHIPPING = "FREE_SHIPPING"


class Voucher(Model):
    """`used_count` is raised by one conditional UPDATE (`used_count < usage_limit`) at order completion."""

    id = fields.BigIntField(primary_key=True)
    brand: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "lini.Brand", related_name="vouchers", on_delete=fields.CASCADE
    )
    brand_id: int
    code = fields.CharField(max_length=50)  # stored upper case, matched case-insensitively
    name = fields.CharField(max_length=200, default="")
    kind = fields.CharEnumField(VoucherKind, max_length=16)
    percentage = fields.DecimalField(max_digits=5, decimal_places=2, null=True)
    starts_at = fields.DatetimeField(null=True)
    ends_at = fields.DatetimeField(null=True)
    usage_limit = fields.IntField(null=True)
    per_customer_limit = fields.IntField(null=True)
    used_count = fields.IntField(default=0)
    active = fields.BooleanField(default=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "voucher"
        unique_together = (("brand", "code"),)


class VoucherCurrency(Model):
    """Per currency: the fixed discount (FIXED vouchers) and the minimum subtotal (any kind)."""

    id = fields.BigIntField(primary_key=True)
    voucher: fields.ForeignKeyRelation[Voucher] = fields.ForeignKeyField(
        "lini.Voucher", related_name="currencies", on_delete=fields.CASCADE
    )
    voucher_id: int
    currency = fields.CharField(max_length=3)
    discount_amount = fields.DecimalField(max_digits=16, decimal_places=3, null=True)
    min_subtotal = fields.DecimalField(max_digits=16, decimal_places=3, null=True)

    class Meta:
        table = "voucher_currency"
        unique_together = (("voucher", "currency"),)


class VoucherCustomerUse(Model):
    """Uses per customer (user id, or the lower-cased e-mail of a guest), raised conditionally like `used_count`."""

    id = fields.BigIntField(primary_key=True)
    voucher: fields.ForeignKeyRelation[Voucher] = fields.ForeignKeyField(
        "lini.Voucher", related_name="customer_uses", on_delete=fields.CASCADE
    )
    voucher_id: int
    customer_key = fields.CharField(max_length=260)
    uses = fields.IntField(default=0)

    class Meta:
        table = "voucher_customer_use"
        unique_together = (("voucher", "customer_key"),)
