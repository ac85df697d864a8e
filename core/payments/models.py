"""Payments and refunds as Lini records them; the gateway (a plugin) holds the money."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from tortoise import fields
from tortoise.models import Model


class PaymentState(StrEnum):
    PENDING = "PENDING"  # created, waiting for the customer or the gateway
    ACTION_REQUIRED = "ACTION_REQUIRED"  # the customer must act (transfer money, confirm a card)
    AUTHORIZED = "AUTHORIZED"  # held, to be captured
    SUCCEEDED = "SUCCEEDED"  # the money is received
    FAILED = "FAILED"
    CANCELLED = "CANCELLED"


class Payment(Model):
    """One attempt to pay for a checkout (and then its order) through one gateway."""

    id = fields.BigIntField(primary_key=True)
    brand: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "lini.Brand", related_name="payments", on_delete=fields.CASCADE
    )
    brand_id: int
    checkout: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        "lini.Checkout", related_name="payments", on_delete=fields.SET_NULL, null=True
    )
    checkout_id: int | None
    # The checkout's token survives the checkout: a gateway event may arrive after completion.
    checkout_token = fields.CharField(max_length=64, default="", db_index=True)
    order: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        "lini.Order", related_name="payments", on_delete=fields.SET_NULL, null=True
    )
    order_id: int | None
    gateway = fields.CharField(max_length=50)
    state = fields.CharEnumField(PaymentState, max_length=20, default=PaymentState.PENDING)
    amount = fields.DecimalField(max_digits=16, decimal_places=3)
    currency = fields.CharField(max_length=3)
    captured_amount = fields.DecimalField(max_digits=16, decimal_places=3, default=0)
    refunded_amount = fields.DecimalField(max_digits=16, decimal_places=3, default=0)
    # The gateway's own id for it (a transfer reference, a PaymentIntent id), unique per gateway when set.
    psp_reference = fields.CharField(max_length=255, null=True)
    # What the storefront shows or does next: {"type": ..., "clientSecret"|"instructions"|"redirectUrl": ...}
    action: fields.Field[dict[str, Any]] = fields.JSONField(default=dict)
    metadata: fields.Field[dict[str, Any]] = fields.JSONField(default=dict)
    expires_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "payment"
        unique_together = (("gateway", "psp_reference"),)


class RefundState(StrEnum):
    PENDING = "PENDING"
    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"


class Refund(Model):
    id = fields.BigIntField(primary_key=True)
    order: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "lini.Order", related_name="refunds", on_delete=fields.CASCADE
    )
    order_id: int
    payment: fields.ForeignKeyNullableRelation[Payment] = fields.ForeignKeyField(
        "lini.Payment", related_name="refunds", on_delete=fields.SET_NULL, null=True
    )
    payment_id: int | None
    amount = fields.DecimalField(max_digits=16, decimal_places=3)
    currency = fields.CharField(max_length=3)
    state = fields.CharEnumField(RefundState, max_length=16, default=RefundState.PENDING)
    reason = fields.TextField(default="")
    # [{"orderLineId": ..., "quantity": ...}] when refunded by lines.
    lines: fields.Field[list[dict[str, Any]]] = fields.JSONField(default=list)
    idempotency_key = fields.CharField(max_length=100, null=True)
    psp_reference = fields.CharField(max_length=255, default="")
    created_by = fields.CharField(max_length=100, default="")
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "refund"
        unique_together = (("order", "idempotency_key"),)


class PaymentEvent(Model):
    """A gateway's event that changed a payment, by the gateway's own event id: applied once, however often it
    is delivered (`core.payments.lifecycle.apply`); written in the transaction of the change it made."""

    id = fields.BigIntField(primary_key=True)
    gateway = fields.CharField(max_length=50)
    event_id = fields.CharField(max_length=255)
    payment: fields.ForeignKeyNullableRelation[Payment] = fields.ForeignKeyField(
        "lini.Payment", related_name="events", on_delete=fields.SET_NULL, null=True
    )
    payment_id: int | None
    kind = fields.CharField(max_length=50)
    outcome = fields.CharField(max_length=64, default="")
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "payment_event"
        unique_together = (("gateway", "event_id"),)
