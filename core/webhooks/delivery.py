"""Posting one event to one webhook: the envelope, its signature, the answer kept for the delivery log.

A 2xx within `[webhooks] timeout_seconds` delivers; anything else (another status, a timeout, a refused
connection, an address that became private) fails the attempt, and the outbox retries it later. Redirects are not
followed: a receiver that moved gets its URL updated by the brand, not rewritten by Lini.
"""

from __future__ import annotations

import asyncio
import time
import weakref
from dataclasses import dataclass
from datetime import UTC
from typing import TYPE_CHECKING, Any

import orjson

from core.actors.models import Brand
from core.event_types import VERSION
from core.events import Event
from core.settings import Settings
from core.webhooks import addresses, signing
from core.webhooks.models import Webhook

if TYPE_CHECKING:  # aiohttp is imported on the first post (~80 ms and ~20 MB a process that posts none saves)
    import aiohttp

BODY_KEPT = 2000  # characters of a receiver's answer kept on the delivery
USER_AGENT = "Lini-Webhooks/1"
# One session per event loop, shared by every delivery of the process: its connections are kept alive between
# posts to a receiver. aiohttp rather than httpx here: posting is the dispatcher's whole cost, and httpcore's
# pool spends ~2 ms of CPU a request once dozens of connections are open (10x aiohttp's; bench/webhooks.py).
_sessions: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, aiohttp.ClientSession] = weakref.WeakKeyDictionary()


def shared_session() -> aiohttp.ClientSession:
    """This event loop's session for posting webhooks (timeouts set per post)."""
    import aiohttp

    loop = asyncio.get_running_loop()
    session = _sessions.get(loop)
    if session is None or session.closed:
        connector = aiohttp.TCPConnector(limit=200, limit_per_host=0, ttl_dns_cache=10)
        session = _sessions[loop] = aiohttp.ClientSession(connector=connector, auto_decompress=False)
    return session


async def close_shared_client() -> None:
    """Close this loop's session (a worker or server stopping)."""
    session = _sessions.pop(asyncio.get_running_loop(), None)
    if session is not None:
        await session.close()


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


async def brand_slug(brand_id: int) -> str | None:
    slug = await Brand.filter(id=brand_id).first().values_list("slug", flat=True)
    return str(slug) if slug else None


async def post(webhook: Webhook, event: Event, settings: Settings, *, brand: str | None = None) -> Answer:
    """Post the event (`brand`: the brand's slug, when the caller read it already); returns the answer, or
    raises DeliveryFailed with it."""
    started = time.monotonic()

    def answered(status: int | None, body: str) -> Answer:
        return Answer(status, body[:BODY_KEPT], int((time.monotonic() - started) * 1000))

    import aiohttp

    try:
        await addresses.check_resolves(webhook.url, settings)
    except Exception as error:
        raise DeliveryFailed(str(error), answered(None, "")) from None
    body = orjson.dumps(envelope(event, brand if brand is not None else await brand_slug(webhook.brand_id)))
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "Lini-Event-Id": str(event.id),
        "Lini-Event-Type": event.type,
        "Lini-Signature": signing.signature(webhook.secret, int(time.time()), body),
    }
    limit = settings.webhooks.timeout_seconds
    try:
        # the whole exchange within the limit, however slowly a receiver drips its answer
        async with asyncio.timeout(limit):
            status, text = await _exchange(webhook.url, body, headers)
    except TimeoutError:
        raise DeliveryFailed(f"no answer within {limit:g} s", answered(None, "")) from None
    except (aiohttp.ClientError, OSError, ValueError) as error:  # refused, reset, malformed answer, bad URL
        raise DeliveryFailed(f"{type(error).__name__}: {error}", answered(None, "")) from None
    answer = answered(status, text)
    if not 200 <= status < 300:
        raise DeliveryFailed(f"the receiver answered {status}", answer)
    return answer


async def _exchange(url: str, body: bytes, headers: dict[str, str]) -> tuple[int, str]:
    """Post, and read no more of the answer than the delivery log keeps (a receiver may answer gigabytes)."""
    async with shared_session().post(url, data=body, headers=headers, allow_redirects=False) as response:
        kept = await response.content.read(BODY_KEPT * 4)  # UTF-8: at most four bytes a character
        return response.status, kept.decode("utf-8", errors="replace")
