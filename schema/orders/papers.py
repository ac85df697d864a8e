"""Staff making a shipment's customs papers again (`shipmentDocumentsRegenerate`, permission MANAGE_ORDERS)."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry import relay
from strawberry.types import Info

from core.auth.permissions import Permission
from core.catalog.media import LocalStorage
from core.customs import papers
from core.orders.models import Order as OrderModel
from schema.errors import UserError, attempt
from schema.orders.paper_types import ShipmentDocument
from schema.orders.types import Shipment, render_order
from schema.permissions import BrandPermission, guard
from schema.relay import decode_id

MANAGE_ORDERS = BrandPermission(Permission.MANAGE_ORDERS)


@strawberry.type(description="The shipment with its customs papers, or the errors and no change.")
class ShipmentDocumentsRegeneratePayload:
    shipment: Shipment | None = strawberry.field(
        default=None, description="The shipment, its `documents` as they are now; null when refused."
    )
    documents: list[ShipmentDocument] = strawberry.field(
        default_factory=list,
        description="Its papers: a paper whose data has not changed keeps its URL, one that changed has a new one.",
    )
    errors: list[UserError] = strawberry.field(
        default_factory=list,
        description="Why nothing was made (FORBIDDEN for another brand's shipment, NO_CUSTOMS_PAPERS for a "
        "domestic one, CUSTOMS_DATA_MISSING for a line whose customs data is gone, INVALID_ID); empty on success.",
    )


@strawberry.type
class ShipmentDocumentsMutation:
    @strawberry.mutation(
        **guard(
            "Make a shipment's customs papers again after their data changed (a corrected customs description, "
            "HS code or brand name); papers whose printed data is unchanged are kept as they are.",
            MANAGE_ORDERS,
        )
    )
    async def shipment_documents_regenerate(
        self,
        info: Info,
        shipment_id: Annotated[
            relay.GlobalID,
            strawberry.argument(description="The `Shipment.id` (a shipment of a brand you manage orders of)."),
        ],
    ) -> ShipmentDocumentsRegeneratePayload:
        actor = await info.context.actor()
        settings = info.context.settings
        storage = LocalStorage.from_settings(settings)
        made, errors = await attempt(
            lambda: papers.regenerate(
                actor, decode_id(shipment_id, "Shipment", "shipment_id"), storage, settings.papers
            )
        )
        if made is None:
            return ShipmentDocumentsRegeneratePayload(errors=errors)
        shipment, documents = made
        order = await render_order(await OrderModel.get_or_none(id=shipment.order_id), staff=True)
        return ShipmentDocumentsRegeneratePayload(
            shipment=next((s for s in order.shipments if s.id == shipment.id), None) if order else None,
            documents=[ShipmentDocument.of(row) for row in documents],
        )


MUTATIONS = (ShipmentDocumentsMutation,)
