"""The plugin's GraphQL API: staff buy and cancel a shipment's courier label (MANAGE_ORDERS, their brand's
shipments only: another brand's, or none, is FORBIDDEN). The label, tracking number and tracking page land on
core's `Shipment` (`label`, `trackingNumber`, `trackingUrl`), and the courier's events in `Shipment.events`.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import strawberry
from strawberry import relay
from strawberry.types import Info

from lini.plugin import BrandPermission, Permission, Shipment, UserError, attempt, decode_id, described_enum, guard
from plugins.courier import labels
from plugins.courier.settings import NAME

MANAGE_ORDERS = BrandPermission(Permission.MANAGE_ORDERS)


class CourierLabelFormat(StrEnum):
    PDF = "PDF"
    ZPL = "ZPL"


described_enum(  # strawberry.enum registers the class itself: it stays usable as the annotation below
    CourierLabelFormat,
    name="CourierLabelFormat",
    description="The file a courier label comes as.",
    values={
        "PDF": "A PDF page (A6), for any printer.",
        "ZPL": "Zebra printer language, for thermal label printers.",
    },
)


@strawberry.type(description="A shipment's courier label as it is now.")
class CourierLabelResult:
    shipment_id: relay.GlobalID = strawberry.field(description="The `Shipment.id`.")
    carrier: str = strawberry.field(description="The carrier the courier booked (e.g. `JNE`).")
    tracking_number: str = strawberry.field(description="The waybill (resi); empty once cancelled.")
    tracking_url: str | None = strawberry.field(description="The courier's tracking page; null when none.")
    label_url: str | None = strawberry.field(description="The label file; null once cancelled.")
    label_format: CourierLabelFormat | None = strawberry.field(description="The label's format; null without one.")


@strawberry.type(description="The label after the change, or the errors and no change.")
class CourierLabelPayload:
    label: CourierLabelResult | None = strawberry.field(default=None, description="Null when refused.")
    errors: list[UserError] = strawberry.field(
        default_factory=list,
        description="Why nothing changed: FORBIDDEN, COURIER_UNAVAILABLE (try again: a retry never buys twice), "
        "COURIER_REFUSED, COURIER_NOT_CONFIGURED, COURIER_LABEL_EXISTS, COURIER_NO_LABEL, REQUIRED (no service), "
        "INVALID; empty on success.",
    )


SHIPMENT_ID = Annotated[
    relay.GlobalID,
    strawberry.argument(description="The Shipment's global ID; another brand's shipment, or none: FORBIDDEN."),
]


def _result(shipment: Shipment) -> CourierLabelResult:
    return CourierLabelResult(
        shipment_id=relay.GlobalID("Shipment", str(shipment.id)),
        carrier=shipment.carrier,
        tracking_number=shipment.tracking_number,
        tracking_url=shipment.tracking_url or None,
        label_url=shipment.label_url or None,
        label_format=CourierLabelFormat(shipment.label_format) if shipment.label_format else None,
    )


@strawberry.type
class CourierMutation:
    @strawberry.mutation(
        **guard(
            "Buy the courier's label for a shipment: the courier books the parcel, its waybill becomes the "
            "shipment's tracking number and the label is stored. Nothing is bought or stored unless all of it "
            "succeeds.",
            MANAGE_ORDERS,
        )
    )
    async def courier_label_purchase(
        self,
        info: Info,
        shipment_id: SHIPMENT_ID,
        format: Annotated[CourierLabelFormat, strawberry.argument(description="PDF or ZPL.")] = CourierLabelFormat.PDF,
        service: Annotated[
            str | None,
            strawberry.argument(
                description="The courier's service code (e.g. `jne_reg`); by default the courier rate the "
                "customer chose at checkout (REQUIRED when they chose none)."
            ),
        ] = None,
        idempotency_key: Annotated[
            str | None,
            strawberry.argument(
                description="Up to 100 characters: the same key again answers with the label it bought instead "
                "of COURIER_LABEL_EXISTS. After COURIER_UNAVAILABLE a retry resumes the first attempt (its "
                "service and format), with or without a key."
            ),
        ] = None,
    ) -> CourierLabelPayload:
        from plugins.courier.plugin import api_for

        actor = await info.context.actor()
        host = info.context.host
        shipment, errors = await attempt(
            lambda: labels.purchase(
                actor,
                decode_id(shipment_id, "Shipment", "shipment_id"),
                fmt=format.value,
                service=service or "",
                request_key=idempotency_key or "",
                api=api_for(host),
                host=host,
            )
        )
        return CourierLabelPayload(label=_result(shipment) if shipment else None, errors=errors)

    @strawberry.mutation(
        **guard(
            "Cancel a shipment's courier label at the courier (before it picks the parcel up; after, the courier "
            "refuses: COURIER_REFUSED). The tracking number and label are taken off the shipment.",
            MANAGE_ORDERS,
        )
    )
    async def courier_label_cancel(self, info: Info, shipment_id: SHIPMENT_ID) -> CourierLabelPayload:
        from plugins.courier.plugin import api_for

        actor = await info.context.actor()
        host = info.context.host
        shipment, errors = await attempt(
            lambda: labels.cancel(
                actor, decode_id(shipment_id, "Shipment", "shipment_id"), api=api_for(host), host=host
            )
        )
        return CourierLabelPayload(label=_result(shipment) if shipment else None, errors=errors)


__all__ = ["NAME", "CourierMutation"]
