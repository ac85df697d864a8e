"""Orders hold snapshots (names, SKUs, prices, taxes, addresses), so later catalog edits never change history."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from tortoise import fields
from tortoise.models import Model

from core.columns import MONEY


class OrderStatus(StrEnum):
    UNPAID = "UNPAID"
    PAID = "PAID"
    IN_PRODUCTION = "IN_PRODUCTION"  # made-to-measure garments are being made
    READY_TO_SHIP = "READY_TO_SHIP"
    PARTIALLY_SHIPPED = "PARTIALLY_SHIPPED"
    SHIPPED = "SHIPPED"
    DELIVERED = "DELIVERED"
    CANCELLED = "CANCELLED"


class PaymentStatus(StrEnum):
    PENDING = "PENDING"
    PAID = "PAID"
    PARTIALLY_REFUNDED = "PARTIALLY_REFUNDED"
    REFUNDED = "REFUNDED"


class ShipmentStatus(StrEnum):
    """Where a parcel is, as its courier last said (`ShipmentEvent`); PENDING until the courier says anything."""

    PENDING = "PENDING"
    LABEL_CREATED = "LABEL_CREATED"
    PICKED_UP = "PICKED_UP"
    IN_TRANSIT = "IN_TRANSIT"
    AT_CUSTOMS = "AT_CUSTOMS"
    OUT_FOR_DELIVERY = "OUT_FOR_DELIVERY"
    DELIVERED = "DELIVERED"
    FAILED_ATTEMPT = "FAILED_ATTEMPT"
    RETURNED = "RETURNED"
    CANCELLED = "CANCELLED"


class Order(Model):
    id = fields.BigIntField(primary_key=True)
    brand: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "lini.Brand", related_name="orders", on_delete=fields.CASCADE
    )
    brand_id: int
    number = fields.IntField()  # per brand, from OrderNumber: unique and gapless
    user: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        "lini.User", related_name="orders", on_delete=fields.SET_NULL, null=True
    )
    user_id: int | None
    email = fields.CharField(max_length=254, default="")
    # One order per checkout, enforced by the database even when two completions race.
    checkout_token = fields.CharField(max_length=64, null=True, unique=True)
    idempotency_key = fields.CharField(max_length=100, default="")
    status = fields.CharField(max_length=32, default=OrderStatus.UNPAID.value)  # plugins may add states
    payment_status = fields.CharEnumField(PaymentStatus, max_length=24, default=PaymentStatus.PENDING)
    currency = fields.CharField(max_length=3)
    language = fields.CharField(max_length=8, default="id")
    prices_include_tax = fields.BooleanField(default=True)
    shipping_address: fields.Field[dict[str, Any] | None] = fields.JSONField(null=True)
    billing_address: fields.Field[dict[str, Any] | None] = fields.JSONField(null=True)
    delivery_method_id = fields.CharField(max_length=100, default="")
    delivery_method_name = fields.CharField(max_length=200, default="")
    subtotal_amount = fields.DecimalField(**MONEY)
    discount_amount = fields.DecimalField(**MONEY, default=0)
    shipping_amount = fields.DecimalField(**MONEY, default=0)
    tax_amount = fields.DecimalField(**MONEY, default=0)
    # Import duty and tax collected at checkout for a DDP parcel abroad (0 otherwise); part of total_amount.
    duties_amount = fields.DecimalField(**MONEY, default=0)
    # The landed-cost estimate at checkout (DAP or DDP), kept for the customs papers: {"country", "incoterm",
    # "duty", "tax", "tax_name", "tax_rate", "lines": [{"hs_code", "customs_value", "rate", "duty"}]}.
    landed_cost: fields.Field[dict[str, Any] | None] = fields.JSONField(null=True)
    total_amount = fields.DecimalField(**MONEY)
    paid_amount = fields.DecimalField(**MONEY, default=0)
    refunded_amount = fields.DecimalField(**MONEY, default=0)
    voucher: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        "lini.Voucher", related_name="orders", on_delete=fields.SET_NULL, null=True
    )
    voucher_id: int | None
    voucher_code = fields.CharField(max_length=50, default="")
    customer_note = fields.TextField(default="")
    # An unpaid order past this moment is cancelled and its stock released.
    payment_due_at = fields.DatetimeField(null=True, db_index=True)
    # Set when a payment does not match the order (amount, currency): staff look before anything ships.
    needs_review = fields.BooleanField(default=False)
    review_reason = fields.TextField(default="")
    created_at = fields.DatetimeField(auto_now_add=True, db_index=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "order"
        unique_together = (("brand", "number"),)
        indexes = (("brand_id", "status"), ("user_id", "created_at"))


class OrderLine(Model):
    id = fields.BigIntField(primary_key=True)
    order: fields.ForeignKeyRelation[Order] = fields.ForeignKeyField(
        "lini.Order", related_name="lines", on_delete=fields.CASCADE
    )
    order_id: int
    variant: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        "lini.Variant", related_name="order_lines", on_delete=fields.SET_NULL, null=True
    )
    variant_id: int | None
    product_id = fields.BigIntField(null=True)  # a snapshot key, not a constraint: products may be deleted
    product_name = fields.CharField(max_length=250)
    variant_name = fields.CharField(max_length=200, default="")
    sku = fields.CharField(max_length=64, default="")
    quantity = fields.IntField()
    quantity_shipped = fields.IntField(default=0)
    quantity_refunded = fields.IntField(default=0)
    unit_price_net = fields.DecimalField(**MONEY)
    unit_price_gross = fields.DecimalField(**MONEY)
    discount_amount = fields.DecimalField(**MONEY, default=0)
    tax_rate = fields.DecimalField(max_digits=6, decimal_places=3, default=0)
    tax_amount = fields.DecimalField(**MONEY, default=0)
    total_amount = fields.DecimalField(**MONEY)  # gross, after the line's share of the discount
    position = fields.IntField(default=0)
    # Made-to-measure: the configuration snapshot the garment is made from (measurements, options, fabric).
    custom_garment: fields.Field[dict[str, Any] | None] = fields.JSONField(null=True)

    class Meta:
        table = "order_line"


class OrderTaxLine(Model):
    id = fields.BigIntField(primary_key=True)
    order: fields.ForeignKeyRelation[Order] = fields.ForeignKeyField(
        "lini.Order", related_name="tax_lines", on_delete=fields.CASCADE
    )
    order_id: int
    name = fields.CharField(max_length=100)
    country = fields.CharField(max_length=2, default="")
    rate = fields.DecimalField(max_digits=6, decimal_places=3)
    base_amount = fields.DecimalField(**MONEY)
    amount = fields.DecimalField(**MONEY)

    class Meta:
        table = "order_tax_line"


class OrderHistory(Model):
    """Every change to an order, with who made it and when."""

    id = fields.BigIntField(primary_key=True)
    order: fields.ForeignKeyRelation[Order] = fields.ForeignKeyField(
        "lini.Order", related_name="history", on_delete=fields.CASCADE
    )
    order_id: int
    kind = fields.CharField(max_length=50)  # STATUS, PAYMENT_STATUS, NOTE, SHIPMENT, REFUND, PAYMENT, ...
    from_state = fields.CharField(max_length=32, default="")
    to_state = fields.CharField(max_length=32, default="")
    actor = fields.CharField(max_length=100, default="")
    message = fields.TextField(default="")
    data: fields.Field[dict[str, Any]] = fields.JSONField(default=dict)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "order_history"


class OrderNumber(Model):
    """The last order number per brand, raised inside the completing transaction: a rollback returns it."""

    id = fields.BigIntField(primary_key=True)
    brand: fields.OneToOneRelation = fields.OneToOneField(
        "lini.Brand", related_name="order_number", on_delete=fields.CASCADE
    )
    brand_id: int
    last_number = fields.IntField(default=0)

    class Meta:
        table = "order_number"


class Shipment(Model):
    id = fields.BigIntField(primary_key=True)
    order: fields.ForeignKeyRelation[Order] = fields.ForeignKeyField(
        "lini.Order", related_name="shipments", on_delete=fields.CASCADE
    )
    order_id: int
    carrier = fields.CharField(max_length=100)
    tracking_number = fields.CharField(max_length=100, default="")
    created_by = fields.CharField(max_length=100, default="")
    created_at = fields.DatetimeField(auto_now_add=True)
    # Tracking (core.orders.tracking): the status of the latest event by occurred_at, and when that was.
    status = fields.CharEnumField(ShipmentStatus, max_length=20, default=ShipmentStatus.PENDING)
    status_at = fields.DatetimeField(null=True)
    tracking_url = fields.CharField(max_length=500, default="")
    label_url = fields.CharField(max_length=500, default="")  # a courier label kept by the media storage
    label_format = fields.CharField(max_length=8, default="")  # PDF or ZPL; empty without a label

    class Meta:
        table = "shipment"


class ShipmentEvent(Model):
    """What a courier said about a parcel, once per (shipment, external_id): a courier repeating an event or
    sending it late changes nothing, and an event older than the shipment's latest leaves its status alone."""

    id = fields.BigIntField(primary_key=True)
    shipment: fields.ForeignKeyRelation[Shipment] = fields.ForeignKeyField(
        "lini.Shipment", related_name="events", on_delete=fields.CASCADE
    )
    shipment_id: int
    status = fields.CharEnumField(ShipmentStatus, max_length=20)
    occurred_at = fields.DatetimeField()
    location = fields.CharField(max_length=200, default="")
    description = fields.CharField(max_length=500, default="")
    source = fields.CharField(max_length=64)  # who reported it: a courier plugin's name, or "staff"
    external_id = fields.CharField(max_length=128)  # the courier's id for the event, unique per shipment
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "shipment_event"
        unique_together = (("shipment", "external_id"),)  # also the index reading a shipment's events


class ShipmentLine(Model):
    id = fields.BigIntField(primary_key=True)
    shipment: fields.ForeignKeyRelation[Shipment] = fields.ForeignKeyField(
        "lini.Shipment", related_name="lines", on_delete=fields.CASCADE
    )
    shipment_id: int
    order_line: fields.ForeignKeyRelation[OrderLine] = fields.ForeignKeyField(
        "lini.OrderLine", related_name="shipment_lines", on_delete=fields.CASCADE
    )
    order_line_id: int
    quantity = fields.IntField()

    class Meta:
        table = "shipment_line"
