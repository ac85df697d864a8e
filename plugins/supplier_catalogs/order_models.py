"""The tables of raw-material purchase orders: a buyer (a brand, or an approved tailor or workshop) orders
metres of fabric and pieces or metres of trims from one supplier.

An order keeps what was agreed as it was agreed: each line copies the material's SKU, name, unit and price
when the order is placed, so a later feed changing the price or archiving the material changes no order.
Totals are in the supplier's currency; the rate into the buyer's currency is fixed when the order is placed.
`reserved_quantity` is what the line holds of the supplier's stock (taken by a conditional UPDATE when the
supplier confirms or proposes), so a declined proposal gives back exactly what it took.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from tortoise import fields
from tortoise.models import Model

from plugins.supplier_catalogs.models import MONEY, QUANTITY


class SupplierOrderStatus(StrEnum):
    SUBMITTED = "SUBMITTED"  # placed by the buyer, waiting for the supplier
    PROPOSED = "PROPOSED"  # the supplier offers less than asked (and holds it); the buyer accepts or declines
    CONFIRMED = "CONFIRMED"  # the supplier took the stock; to be shipped
    REJECTED = "REJECTED"  # the supplier refused, with a reason
    DECLINED = "DECLINED"  # the buyer declined the supplier's proposal; the held stock went back
    CANCELLED = "CANCELLED"  # the buyer withdrew it before the supplier answered
    SHIPPED = "SHIPPED"  # on its way, with tracking
    RECEIVED = "RECEIVED"  # the buyer has it
    DISPUTED = "DISPUTED"  # the buyer disputes one or more lines of what arrived


class MaterialKind(StrEnum):
    FABRIC = "FABRIC"
    TRIM = "TRIM"


class OrderOrigin(StrEnum):
    MANUAL = "MANUAL"  # supplierOrderCreate
    SHORTFALL = "SHORTFALL"  # supplierOrderCreateFromShortfall: made-to-measure reserved more than on hand


class Party(StrEnum):
    BUYER = "BUYER"
    SUPPLIER = "SUPPLIER"
    SYSTEM = "SYSTEM"


class SupplierOrder(Model):
    """A purchase order from one buyer, a brand or a tailor, to one supplier."""

    id = fields.BigIntField(primary_key=True)
    supplier: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "lini.Supplier", related_name=False, on_delete=fields.CASCADE
    )
    supplier_id: int
    brand: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        "lini.Brand", related_name=False, on_delete=fields.CASCADE, null=True
    )
    brand_id: int | None
    tailor: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        "lini.Tailor", related_name=False, on_delete=fields.CASCADE, null=True
    )
    tailor_id: int | None
    placed_by = fields.CharField(max_length=100, default="")
    status = fields.CharEnumField(SupplierOrderStatus, max_length=16, default=SupplierOrderStatus.SUBMITTED)
    origin = fields.CharEnumField(OrderOrigin, max_length=16, default=OrderOrigin.MANUAL)
    currency = fields.CharField(max_length=3)  # the supplier's: every line's price is in it
    total = fields.DecimalField(**MONEY, default=0)
    buyer_currency = fields.CharField(max_length=3)
    # One unit of `currency` in `buyer_currency` when the order was placed; null when no rate was known.
    buyer_rate = fields.DecimalField(max_digits=20, decimal_places=8, null=True)
    delivery_address: fields.Field[dict[str, Any]] = fields.JSONField(default=dict)
    note = fields.TextField(default="")
    reason = fields.TextField(default="")  # why it was rejected or declined
    carrier = fields.CharField(max_length=100, default="")
    tracking_number = fields.CharField(max_length=100, default="")
    tracking_url = fields.CharField(max_length=500, default="")
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "supplier_catalogs_order"
        indexes = (("supplier_id", "id"), ("brand_id", "id"), ("tailor_id", "id"))


class SupplierOrderLine(Model):
    """One material of an order, its price and unit copied when placed: a fabric or a trim."""

    id = fields.BigIntField(primary_key=True)
    order: fields.ForeignKeyRelation[SupplierOrder] = fields.ForeignKeyField(
        "supplier_catalogs.SupplierOrder", related_name="lines", on_delete=fields.CASCADE
    )
    order_id: int
    position = fields.IntField(default=0)
    kind = fields.CharEnumField(MaterialKind, max_length=8)
    fabric: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        "lini.Fabric", related_name=False, on_delete=fields.RESTRICT, null=True
    )
    fabric_id: int | None
    trim: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        "supplier_catalogs.Trim", related_name=False, on_delete=fields.RESTRICT, null=True
    )
    trim_id: int | None
    sku = fields.CharField(max_length=64)
    name = fields.CharField(max_length=200)
    unit = fields.CharField(max_length=8)  # METRE or PIECE
    unit_price = fields.DecimalField(**MONEY)
    requested_quantity = fields.DecimalField(**QUANTITY)  # what the buyer asked for
    quantity = fields.DecimalField(**QUANTITY)  # what is agreed: the request, or the accepted proposal
    proposed_quantity = fields.DecimalField(**QUANTITY, null=True)  # while PROPOSED
    reserved_quantity = fields.DecimalField(**QUANTITY, default=0)  # held of the supplier's stock
    total = fields.DecimalField(**MONEY)
    dispute_reason = fields.TextField(default="")
    disputed_at = fields.DatetimeField(null=True)

    class Meta:
        table = "supplier_catalogs_order_line"
        indexes = (("order_id", "position"),)


class SupplierOrderChange(Model):
    """The order's history: every status it passed through, who moved it and why, oldest first."""

    id = fields.BigIntField(primary_key=True)
    order: fields.ForeignKeyRelation[SupplierOrder] = fields.ForeignKeyField(
        "supplier_catalogs.SupplierOrder", related_name="history", on_delete=fields.CASCADE
    )
    order_id: int
    from_status = fields.CharField(max_length=16, default="")
    to_status = fields.CharField(max_length=16)
    actor = fields.CharField(max_length=100, default="")
    party = fields.CharEnumField(Party, max_length=16)
    note = fields.TextField(default="")
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "supplier_catalogs_order_change"
        indexes = (("order_id", "id"),)
