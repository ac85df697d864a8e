"""The courier plugin's table: every label purchase, from before the courier is asked until it is cancelled.

A purchase is written PENDING, with the idempotency key it sends, *before* the courier is called and in a
transaction of its own: if the answer is lost (a timeout after the courier booked), the row keeps the key, and the
retry sends the same key, so the courier answers with the same booking instead of a second one. The shipment gets
the label (`shipment_label_set`) only once the label file is stored, and the row becomes BOOKED; a refusal makes
it FAILED. `active_shipment_id` is the shipment's id while the row is PENDING or BOOKED and NULL after: being
unique, it lets one shipment hold one such row at most, so two staff buying at once cannot both book.
"""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


class LabelState(StrEnum):
    PENDING = "PENDING"  # asked for; the courier's answer not seen yet
    BOOKED = "BOOKED"  # booked, its label stored and on the shipment
    FAILED = "FAILED"  # refused, or booked and cancelled again because the label could not be kept
    CANCELLED = "CANCELLED"  # cancelled by staff


class CourierLabel(Model):
    id = fields.BigIntField(primary_key=True)
    shipment: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "lini.Shipment", related_name="courier_labels", on_delete=fields.CASCADE
    )
    shipment_id: int
    active_shipment_id = fields.BigIntField(null=True, unique=True)
    request_key = fields.CharField(max_length=100, default="")  # the caller's idempotencyKey, if it gave one
    idempotency_key = fields.CharField(max_length=64, unique=True)
    service = fields.CharField(max_length=64)
    format = fields.CharField(max_length=8)
    state = fields.CharEnumField(LabelState, max_length=16, default=LabelState.PENDING)
    courier_order_id = fields.CharField(max_length=100, default="", db_index=True)
    waybill = fields.CharField(max_length=100, default="")
    label_url = fields.CharField(max_length=500, default="")
    error = fields.CharField(max_length=500, default="")
    created_by = fields.CharField(max_length=100, default="")
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "courier_label"
