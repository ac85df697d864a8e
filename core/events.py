"""Domain events, written to an outbox table in the same transaction as the change they describe.

A worker (or a plugin hook, once delivered) reads them after commit; writing them in the same transaction
means an event exists if and only if its change does.
"""

from __future__ import annotations

from typing import Any

from tortoise import fields
from tortoise.models import Model


class Event(Model):
    id = fields.BigIntField(primary_key=True)
    type = fields.CharField(max_length=100, db_index=True)
    brand_id = fields.BigIntField(null=True, db_index=True)
    payload: fields.Field[dict[str, Any]] = fields.JSONField(default=dict)
    created_at = fields.DatetimeField(auto_now_add=True)
    delivered_at = fields.DatetimeField(null=True)

    class Meta:
        table = "event"


async def emit(type: str, payload: dict[str, Any], *, brand_id: int | None = None) -> Event:
    """Record an event; call inside the service's transaction."""
    return await Event.create(type=type, payload=payload, brand_id=brand_id)
