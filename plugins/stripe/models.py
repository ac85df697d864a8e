"""The stripe plugin's table: every webhook event received, by Stripe's event id.

An event is claimed (PROCESSING) before it is applied and marked DONE with its outcome afterwards, so a
replay or a duplicate delivery of a DONE event changes nothing, and two deliveries racing each other apply it
once. A claim whose handler failed is removed, so Stripe's retry applies it again. A claim left behind by a
process that died is taken over once it is older than the lease.
"""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


class EventState(StrEnum):
    PROCESSING = "PROCESSING"
    DONE = "DONE"


class StripeEvent(Model):
    """One Stripe event (evt_...), with what Lini did about it."""

    id = fields.BigIntField(primary_key=True)
    event_id = fields.CharField(max_length=255, unique=True)
    type = fields.CharField(max_length=100)
    # The PaymentIntent the event is about (also for charges and disputes), to follow one payment's story.
    intent_id = fields.CharField(max_length=255, default="", db_index=True)
    account = fields.CharField(max_length=255, default="")
    livemode = fields.BooleanField(default=False)
    created = fields.BigIntField(default=0)  # Stripe's `created`, seconds since the epoch
    state = fields.CharEnumField(EventState, max_length=16, default=EventState.PROCESSING)
    outcome = fields.CharField(max_length=64, default="")
    claimed_at = fields.DatetimeField()
    processed_at = fields.DatetimeField(null=True)

    class Meta:
        table = "stripe_event"
