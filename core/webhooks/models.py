"""A brand's webhook: where its events go, which ones, and the secret they are signed with."""

from __future__ import annotations

from typing import Any

from tortoise import fields
from tortoise.models import Model

SUBSCRIBER = "webhook:"  # a webhook's name among the outbox's subscribers is "webhook:<id>"


def subscriber_name(webhook_id: int) -> str:
    return f"{SUBSCRIBER}{webhook_id}"


def webhook_id_of(subscriber: str) -> int | None:
    """The webhook a subscriber name stands for, or None for any other subscriber."""
    digits = subscriber.removeprefix(SUBSCRIBER)
    return int(digits) if subscriber.startswith(SUBSCRIBER) and digits.isdigit() else None


class Webhook(Model):
    id = fields.BigIntField(primary_key=True)
    brand: fields.ForeignKeyRelation[Any] = fields.ForeignKeyField(
        "lini.Brand", related_name="webhooks", on_delete=fields.CASCADE
    )
    brand_id: int
    name = fields.CharField(max_length=100, default="")
    url = fields.CharField(max_length=2000)
    # event type names (core.event_types); ["*"] for every type the brand has
    events: fields.Field[list[str]] = fields.JSONField(default=list)
    # HMAC key for Lini-Signature: shown once, when the webhook is created or its secret is rotated
    secret = fields.CharField(max_length=200)
    is_active = fields.BooleanField(default=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "webhook"

    def listens_to(self, event_type: str) -> bool:
        return self.is_active and ("*" in self.events or event_type in self.events)


def listening(webhooks: list[Webhook], event_type: str) -> list[Webhook]:
    """Those of the brand's active webhooks that want this type of event (`core.events.emit` asks)."""
    if event_type.startswith("webhook."):
        return []  # a webhook's own changes never go to webhooks: a failing receiver could otherwise feed itself
    return [w for w in webhooks if w.listens_to(event_type)]


async def active(brand_id: int) -> list[Webhook]:
    return await Webhook.filter(brand_id=brand_id, is_active=True)
