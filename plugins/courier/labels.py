"""Buying and cancelling a shipment's courier label, so that no failure leaves half a label behind.

Buying: a PENDING `CourierLabel` row with its idempotency key is committed first; the courier books
(`POST /v1/orders`, that key); the label file is fetched (`GET /v1/orders/{id}/label`) and stored in the media
storage; only then does the shipment get the tracking number and label (`shipment_label_set`) and the row become
BOOKED. What can go wrong, and what is left:

- the courier refuses (4xx): the row is FAILED; nothing is booked, nothing is on the shipment;
- the courier cannot be reached or times out: the row stays PENDING with its key, nothing is on the shipment, and
  the retry resends the same key: a booking made before the answer was lost is the one the retry gets;
- booked, but the label cannot be fetched or stored: the booking is cancelled at the courier (the row FAILED), or,
  if that fails too, the row stays PENDING so the retry resumes the same booking. Either way the shipment never
  shows a label that was not stored, and the courier never holds two bookings of one shipment.

A caller's `idempotencyKey` makes a repeated request (its answer lost on the way back to the caller) answer with the
label it bought instead of COURIER_LABEL_EXISTS.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError
from tortoise.exceptions import IntegrityError

from lini.plugin import (
    Actor,
    Brand,
    DomainError,
    PluginHost,
    Shipment,
    ShipmentStatus,
    TrackingEvent,
    brand_plugin_settings,
    managed_shipment,
    media_storage,
    record_tracking,
    shipment_label_set,
    shipment_parcel,
)
from plugins.courier.client import CourierApi, unavailable
from plugins.courier.models import CourierLabel, LabelState
from plugins.courier.settings import NAME, BrandSettings

logger = logging.getLogger("lini.plugins.courier")
FORMATS = {"PDF": ("pdf", b"%PDF-"), "ZPL": ("zpl", b"^XA")}
MAX_KEY = 100


async def _brand(brand_id: int) -> BrandSettings:
    stored = await brand_plugin_settings(brand_id, NAME)
    try:
        return BrandSettings.model_validate(stored) if stored is not None else _refuse()
    except ValidationError:
        return _refuse()


def _refuse() -> Any:
    raise DomainError("COURIER_NOT_CONFIGURED", "Turn the courier on for the brand first (pluginConfigure).")


def _service(service: str, delivery_method_id: str) -> str:
    """The service asked for, else the courier rate the customer chose at checkout ("courier:<code>")."""
    service = service.strip()
    if not service and delivery_method_id.startswith(f"{NAME}:"):
        service = delivery_method_id.removeprefix(f"{NAME}:")
    if not service or len(service) > 64:
        raise DomainError(
            "REQUIRED", "Name the courier service (the customer did not choose a courier rate).", "service"
        )
    return service


async def _claim(shipment: Shipment, *, service: str, fmt: str, request_key: str, actor: Actor) -> CourierLabel:
    """The row this purchase goes through: the PENDING one of an earlier attempt, or a new one."""
    current = await CourierLabel.get_or_none(active_shipment_id=shipment.id)
    if current is not None and current.state == LabelState.BOOKED:
        if request_key and current.request_key == request_key:
            return current
        raise DomainError("COURIER_LABEL_EXISTS", "The shipment has a courier label already.", "shipment_id")
    if current is not None:
        return current  # an attempt whose answer was lost: resume it, with its key, service and format
    try:
        row = await CourierLabel.create(
            shipment_id=shipment.id,
            active_shipment_id=shipment.id,
            request_key=request_key,
            idempotency_key=f"lini-label-{shipment.id}-{datetime.now(UTC).timestamp():.6f}",
            service=service,
            format=fmt,
            created_by=actor.label[:100],
        )
    except IntegrityError as error:
        raise DomainError("COURIER_LABEL_EXISTS", "Someone is buying this shipment's label right now.") from error
    return row


async def purchase(
    actor: Actor,
    shipment_id: int,
    *,
    fmt: str,
    service: str = "",
    request_key: str = "",
    api: CourierApi,
    host: PluginHost,
) -> Shipment:
    shipment = await managed_shipment(actor, shipment_id)
    if fmt not in FORMATS:
        raise DomainError("INVALID", "A label is PDF or ZPL.", "format")
    if len(request_key) > MAX_KEY:
        raise DomainError("INVALID", f"At most {MAX_KEY} characters.", "idempotency_key")
    brand = await _brand(shipment.order.brand_id)
    if not api.configured:
        raise DomainError("COURIER_NOT_CONFIGURED", "The courier is not set up on this server.")
    parcel = await shipment_parcel(shipment)
    row = await _claim(
        shipment, service=_service(service, parcel.delivery_method_id), fmt=fmt, request_key=request_key, actor=actor
    )
    if row.state == LabelState.BOOKED:
        return shipment
    address = parcel.address
    body = {
        "service_code": row.service,
        "reference": f"{parcel.order_number}-{shipment.id}",
        "label_format": row.format,
        "shipper": {
            "name": (await Brand.get(id=shipment.order.brand_id)).name,
            "phone": brand.sender_phone,
            "postal_code": brand.origin_postal_code,
            "city": brand.origin_city,
        },
        "recipient": {
            "name": " ".join(filter(None, (address.get("first_name"), address.get("last_name")))),
            "phone": address.get("phone", ""),
            "street": ", ".join(filter(None, (address.get("street1"), address.get("street2")))),
            "city": address.get("city", ""),
            "province": address.get("province", ""),
            "postal_code": address.get("postal_code", ""),
            "country": address.get("country", ""),
        },
        "parcel": {
            "weight_grams": max(parcel.weight_grams, 1),
            "value": str(parcel.value.amount),
            "currency": parcel.value.currency,
            "items": [{"name": i.name, "sku": i.sku, "quantity": i.quantity} for i in parcel.items],
        },
    }
    try:
        booked = (await api.request("POST", "/v1/orders", json=body, idempotency_key=row.idempotency_key)).json()
        courier_order_id, waybill = str(booked["id"]), str(booked["waybill"])
    except DomainError as error:
        if error.code != "COURIER_UNAVAILABLE":  # refused: nothing was booked, a retry may ask anew
            await _failed(row, error)
        raise
    except (ValueError, KeyError, TypeError) as error:
        logger.error("courier booking %s answered without an id and waybill: %s", row.idempotency_key, error)
        raise unavailable("an unreadable booking") from error
    row.courier_order_id, row.waybill = courier_order_id[:100], waybill[:100]
    await row.save(update_fields=["courier_order_id", "waybill", "updated_at"])
    storage = media_storage(host.settings)
    try:
        label = await _label(api, row)
        url = await storage.save(label, FORMATS[row.format][0])
    except DomainError as error:
        await _undo_booking(api, row, error)
        raise
    try:
        updated = await shipment_label_set(
            shipment.id,
            carrier=str(booked.get("carrier") or shipment.carrier)[:100],
            tracking_number=row.waybill,
            tracking_url=str(booked.get("tracking_url") or "")[:500],
            label_url=url,
            label_format=row.format,
            host=host,
        )
    except DomainError as error:
        await storage.delete(url)
        await _undo_booking(api, row, error)
        raise
    row.state, row.label_url = LabelState.BOOKED, url
    await row.save(update_fields=["state", "label_url", "updated_at"])
    event = TrackingEvent(
        external_id=f"booked:{row.courier_order_id}",
        status=ShipmentStatus.LABEL_CREATED,
        occurred_at=datetime.now(UTC),
        description=f"Label bought ({row.service}).",
    )
    await record_tracking(shipment.id, [event], source=NAME, host=host)
    return updated


async def _label(api: CourierApi, row: CourierLabel) -> bytes:
    response = await api.request("GET", f"/v1/orders/{row.courier_order_id}/label", params={"format": row.format})
    content = response.content
    if not content.startswith(FORMATS[row.format][1]):
        raise unavailable(f"a label that is no {row.format}")
    return content


async def _failed(row: CourierLabel, error: DomainError) -> None:
    row.state, row.active_shipment_id, row.error = LabelState.FAILED, None, error.message[:500]
    await row.save(update_fields=["state", "active_shipment_id", "error", "updated_at"])


async def _undo_booking(api: CourierApi, row: CourierLabel, error: DomainError) -> None:
    """Booked, but the label could not be kept: cancel the booking, or leave the row PENDING to be resumed."""
    try:
        await api.request("DELETE", f"/v1/orders/{row.courier_order_id}", idempotency_key=f"{row.idempotency_key}-undo")
    except DomainError as undo_error:
        logger.error(
            "courier booking %s has no stored label and could not be cancelled (%s): a retry resumes it",
            row.courier_order_id,
            undo_error.message,
        )
        return
    await _failed(row, error)


async def cancel(actor: Actor, shipment_id: int, *, api: CourierApi, host: PluginHost) -> Shipment:
    """Cancel the booking at the courier first: refused or unreachable, nothing changes in Lini."""
    shipment = await managed_shipment(actor, shipment_id)
    row = await CourierLabel.get_or_none(active_shipment_id=shipment.id, state=LabelState.BOOKED)
    if row is None:
        raise DomainError("COURIER_NO_LABEL", "The shipment has no courier label to cancel.", "shipment_id")
    await api.request("DELETE", f"/v1/orders/{row.courier_order_id}", idempotency_key=f"{row.idempotency_key}-cancel")
    updated = await shipment_label_set(shipment.id, carrier=shipment.carrier, tracking_number="", host=host)
    await media_storage(host.settings).delete(row.label_url)
    row.state, row.active_shipment_id = LabelState.CANCELLED, None
    await row.save(update_fields=["state", "active_shipment_id", "updated_at"])
    event = TrackingEvent(
        external_id=f"cancelled:{row.courier_order_id}",
        status=ShipmentStatus.CANCELLED,
        occurred_at=datetime.now(UTC),
        description=f"Courier booking {row.waybill} cancelled."[:500],
    )
    await record_tracking(shipment.id, [event], source=NAME, host=host)
    return updated
