"""Posting one event to one webhook: the envelope, its signature, the answer kept for the delivery log.

A 2xx within `[webhooks] timeout_seconds` delivers; anything else (another status, a timeout, a refused
connection, an address that became private) fails the attempt, and the outbox retries it later. Redirects are not
followed: a receiver that moved gets its URL updated by the brand, not rewritten by Lini.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC
from typing import Any

import httpx
import orjson

from core.actors.models import Brand
from core.event_types import VERSION
from core.events import Event
from core.settings import Settings
from core.webhooks import addresses, signing
from core.webhooks.models import Webhook

BODY_KEPT = 2000  # characters of a receiver's answer kept on the delivery
USER_AGENT = "Lini-Webhooks/1"


@dataclass(frozen=True)
class Answer:
    status: int | None
    body: str
    duration_ms: int


class DeliveryFailed(Exception):
    def __init__(self, message: str, answer: Answer) -> None:
        super().__init__(message)
        self.answer = answer


def envelope(event: Event, brand_slug: str | None) -> dict[str, Any]:
    """What a receiver gets: the event's id (the same on every retry), type, version, time, brand and object."""
    payload = dict(event.payload)
    payload.pop("type", None)
    return {
        "id": str(event.id),
        "type": event.type,
        "version": VERSION,
        "createdAt": event.created_at.astimezone(UTC).isoformat(),
        "brand": brand_slug,
        "data": payload,
    }


async def post(webhook: Webhook, event: Event, settings: Settings, client: httpx.AsyncClient | None = None) -> Answer:
    """Post the event; returns the answer, or raises DeliveryFailed with it."""
    started = time.monotonic()

    def answered(status: int | None, body: str) -> Answer:
        return Answer(status, body[:BODY_KEPT], int((time.monotonic() - started) * 1000))

    try:
        await addresses.check_resolves(webhook.url, settings)
    except Exception as error:
        raise DeliveryFailed(str(error), answered(None, "")) from None
    slug = await Brand.filter(id=webhook.brand_id).first().values_list("slug", flat=True)
    body = orjson.dumps(envelope(event, str(slug) if slug else None))
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "Lini-Event-Id": str(event.id),
        "Lini-Event-Type": event.type,
        "Lini-Signature": signing.signature(webhook.secret, int(time.time()), body),
    }
    timeout = httpx.Timeout(settings.webhooks.timeout_seconds)
    try:
        if client is None:
            async with httpx.AsyncClient(timeout=timeout, follow_redirects=False) as own:
                response = await own.post(webhook.url, content=body, headers=headers)
        else:
            response = await client.post(webhook.url, content=body, headers=headers, timeout=timeout)
    except httpx.TimeoutException:
        raise DeliveryFailed(f"no answer within {settings.webhooks.timeout_seconds:g} s", answered(None, "")) from None
    except httpx.HTTPError as error:
        raise DeliveryFailed(f"{type(error).__name__}: {error}", answered(None, "")) from None
    answer = answered(response.status_code, response.text)
    if not 200 <= response.status_code < 300:
        raise DeliveryFailed(f"the receiver answered {response.status_code}", answer)
    return answer
