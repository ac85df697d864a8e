"""`POST /webhooks/stripe`: Stripe's signed events, each applied once.

1. The `Stripe-Signature` header is checked against the raw body with the endpoint secret (HMAC-SHA256,
   and a timestamp no older than `webhook_tolerance_seconds`): anything else is answered 400 and ignored.
2. The event id is claimed in the `stripe_event` table (unique): a replay or duplicate of a handled event
   is answered 200 and changes nothing; one being handled by another request right now is answered 409,
   so Stripe delivers it again later rather than believing it handled.
3. The handler runs (`handlers.py`), outside any transaction of its own: it turns the event into a typed
   payment update that core applies (in core's own transaction) and may call Stripe (a refund of money that
   cannot become an order).
4. The event is marked DONE with its outcome. A handler that failed releases the claim and answers 5xx,
   so Stripe's retry applies the event again; every handler is safe to run again.
"""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import JSONResponse
from tortoise.exceptions import IntegrityError

from lini.plugin import DomainError, PluginHost
from plugins.stripe import handlers
from plugins.stripe.client import RETRYABLE
from plugins.stripe.gateway import StripeGateway
from plugins.stripe.models import EventState, StripeEvent

logger = logging.getLogger("lini.plugins.stripe")
PATH = "/webhooks/stripe"
# A claim older than this was left by a process that stopped mid-event: another delivery may take it over.
LEASE = timedelta(minutes=5)


def _now() -> datetime:
    return datetime.now(UTC)


async def receive(request: Request, *, host: PluginHost, gateway: StripeGateway) -> JSONResponse:
    started = time.perf_counter()
    secret = gateway.api.keys.webhook_secret
    if not secret:
        logger.error(
            "a Stripe webhook arrived but no webhook secret is set (%s)", gateway.api.config.webhook_secret_env
        )
        return JSONResponse({"error": "webhooks are not set up"}, status_code=503)
    raw = await request.body()
    import stripe  # on the first webhook, not at start-up (see plugins.stripe.client)

    try:
        stripe.WebhookSignature.verify_header(
            raw, request.headers.get("stripe-signature"), secret, gateway.api.config.webhook_tolerance_seconds
        )
        event = orjson.loads(raw)
    except (stripe.SignatureVerificationError, UnicodeDecodeError) as error:
        logger.warning("Stripe webhook refused: %s", error)
        return JSONResponse({"error": "invalid signature"}, status_code=400)
    except orjson.JSONDecodeError:
        return JSONResponse({"error": "not JSON"}, status_code=400)
    if not _well_formed(event):
        return JSONResponse({"error": "not a Stripe event"}, status_code=400)
    status, outcome = await process(event, host=host, gateway=gateway)
    elapsed = (time.perf_counter() - started) * 1000
    logger.info("Stripe event %s (%s): %s in %.1f ms", event["id"], event["type"], outcome, elapsed)
    return JSONResponse({"received": status < 300, "outcome": outcome}, status_code=status)


def _well_formed(event: Any) -> bool:
    return (
        isinstance(event, dict)
        and isinstance(event.get("id"), str)
        and 0 < len(event["id"]) <= 255
        and isinstance(event.get("type"), str)
        and isinstance(event.get("data"), dict)
        and isinstance(event["data"].get("object"), dict)
    )


async def process(event: dict[str, Any], *, host: PluginHost, gateway: StripeGateway) -> tuple[int, str]:
    """Claim, handle and record one verified event; (HTTP status, outcome)."""
    row, earlier = await _claim(event)
    if row is None:
        return (200, "duplicate") if earlier == EventState.DONE else (409, "in_progress")
    try:
        outcome = await handlers.handle(event, host, gateway)
    except DomainError as error:
        await _release(row)
        if error.code in RETRYABLE:
            logger.warning("Stripe event %s postponed: %s", event["id"], error.message)
            return 503, "retry_later"
        logger.exception("Stripe event %s failed", event["id"])
        return 500, "failed"
    except Exception:
        await _release(row)
        logger.exception("Stripe event %s failed", event["id"])
        return 500, "failed"
    await StripeEvent.filter(id=row.id).update(state=EventState.DONE, outcome=outcome[:64], processed_at=_now())
    return 200, outcome


async def _claim(event: dict[str, Any]) -> tuple[StripeEvent | None, EventState | None]:
    now = _now()
    try:
        row = await StripeEvent.create(
            event_id=event["id"],
            type=event["type"][:100],
            intent_id=handlers.intent_id_of(event)[:255],
            account=str(event.get("account") or "")[:255],
            livemode=bool(event.get("livemode")),
            created=int(event.get("created") or 0),
            claimed_at=now,
        )
        return row, None
    except IntegrityError:
        pass
    earlier = await StripeEvent.get_or_none(event_id=event["id"])
    if earlier is None:
        return None, EventState.PROCESSING  # released a moment ago: Stripe's next delivery takes it
    if earlier.state == EventState.PROCESSING and earlier.claimed_at < now - LEASE:
        taken = await StripeEvent.filter(
            id=earlier.id, state=EventState.PROCESSING, claimed_at=earlier.claimed_at
        ).update(claimed_at=now)
        if taken:
            earlier.claimed_at = now
            return earlier, None
    return None, EventState(earlier.state)


async def _release(row: StripeEvent) -> None:
    await StripeEvent.filter(id=row.id, state=EventState.PROCESSING).delete()
