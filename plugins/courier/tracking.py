"""Tracking events from the courier, pushed (the `/webhooks/courier` route) or pulled (the polling job), both
recorded through core's `record_tracking`, which stores each event once: a webhook retried, or a poll that
sees events a webhook already brought, changes nothing.

A webhook is believed only with a valid signature: `X-Courier-Signature: sha256=<hex>`, the HMAC-SHA256 of
`<X-Courier-Timestamp>.<raw body>` with the webhook secret, the timestamp within `webhook_tolerance_seconds` of
now (a replayed old delivery is refused). A bad one is answered 401 (`COURIER_SIGNATURE_INVALID`) and stores
nothing. An event of a booking Lini does not know is acknowledged (200, `unknown_order`) so the courier stops
sending it, and so is one of a booking no longer the shipment's (cancelled or undone: `inactive_order`); a failure
to store answers 500, so the courier sends it again.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from datetime import datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from lini.plugin import DomainError, PluginHost, ShipmentStatus, TrackingEvent, open_shipments, record_tracking
from plugins.courier.client import CourierApi
from plugins.courier.models import CourierLabel, LabelState
from plugins.courier.settings import NAME

logger = logging.getLogger("lini.plugins.courier")
PATH = "/webhooks/courier"
MAX_BODY = 256 * 1024
MAX_EVENTS = 200
S = ShipmentStatus
STATUSES = {
    "booked": S.LABEL_CREATED,
    "picked_up": S.PICKED_UP,
    "in_transit": S.IN_TRANSIT,
    "at_customs": S.AT_CUSTOMS,
    "out_for_delivery": S.OUT_FOR_DELIVERY,
    "delivered": S.DELIVERED,
    "delivery_failed": S.FAILED_ATTEMPT,
    "returned": S.RETURNED,
    "cancelled": S.CANCELLED,
}


def sign(secret: str, timestamp: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def events_of(payload: Any) -> list[TrackingEvent]:
    """The courier's events as core's; one with an unknown status or no id or time is left out (and logged)."""
    items = payload.get("events") if isinstance(payload, dict) else None
    events = []
    for item in items[:MAX_EVENTS] if isinstance(items, list) else []:
        try:
            status = STATUSES[str(item["status"])]
            occurred = datetime.fromisoformat(str(item["occurred_at"]))
            if occurred.tzinfo is None:
                raise ValueError("a time without its offset")
            events.append(
                TrackingEvent(
                    external_id=str(item["id"])[:128],
                    status=status,
                    occurred_at=occurred,
                    location=str(item.get("location") or ""),
                    description=str(item.get("description") or ""),
                )
            )
        except (KeyError, TypeError, ValueError) as error:
            logger.warning("courier tracking event left out (%s): %r", error, item)
    return [e for e in events if e.external_id.strip()]


async def _record(row: CourierLabel, payload: Any, host: PluginHost) -> int:
    events = events_of(payload)
    if not events:
        return 0
    return len((await record_tracking(row.shipment_id, events, source=NAME, host=host)).added)


def _error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)


async def receive(request: Request, *, api: CourierApi, host: PluginHost) -> JSONResponse:
    secret = api.keys.webhook_secret
    if not secret:
        return _error(503, "COURIER_NOT_CONFIGURED", "Courier webhooks are not set up on this server.")
    body = await request.body()
    if len(body) > MAX_BODY:
        return _error(413, "INVALID", "The body is too large.")
    timestamp = request.headers.get("x-courier-timestamp", "")
    given = request.headers.get("x-courier-signature", "")
    fresh = timestamp.isdigit() and abs(time.time() - int(timestamp)) <= api.config.webhook_tolerance_seconds
    if not fresh or not hmac.compare_digest(given, sign(secret, timestamp, body)):
        return _error(401, "COURIER_SIGNATURE_INVALID", "The signature does not match, or is too old.")
    try:
        payload = json.loads(body)
        courier_order_id = str(payload["order_id"])
    except (ValueError, KeyError, TypeError):
        return _error(400, "INVALID", "A JSON object with an order_id.")
    row = await CourierLabel.filter(courier_order_id=courier_order_id).order_by("-id").first()
    if row is None:
        return JSONResponse({"outcome": "unknown_order"})
    if row.state != LabelState.BOOKED:
        # A booking cancelled (by staff, or undone because its label could not be kept) is no longer the
        # parcel's: its news would overwrite the status of the label bought since. The plugin recorded its
        # cancellation itself.
        return JSONResponse({"outcome": "inactive_order"})
    try:
        added = await _record(row, payload, host)
    except DomainError as error:
        logger.warning("courier webhook for %s not recorded: %s", courier_order_id, error.message)
        return _error(500, error.code, error.message)
    return JSONResponse({"outcome": "recorded", "added": added})


async def poll(api: CourierApi, host: PluginHost, *, batch: int) -> int:
    """Ask the courier for the history of booked labels whose parcel is not delivered, returned or cancelled,
    least recently asked first; returns how many new events were stored. One courier failure skips that
    label (logged), it does not stop the others."""
    if not api.configured:
        return 0
    rows = await CourierLabel.filter(state=LabelState.BOOKED).order_by("updated_at", "id").limit(batch * 4)
    open_ids = {s.id for s in await open_shipments([r.shipment_id for r in rows])}
    added = 0
    for row in [r for r in rows if r.shipment_id in open_ids][:batch]:
        try:
            response = await api.request("GET", f"/v1/orders/{row.courier_order_id}/tracking")
            added += await _record(row, response.json(), host)
        except (DomainError, ValueError) as error:
            logger.warning("courier tracking of %s not polled: %s", row.courier_order_id, error)
        await row.save(update_fields=["updated_at"])  # to the back of the queue
    return added
