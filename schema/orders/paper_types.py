"""A shipment's customs papers as `Shipment.documents` shows them (core.customs.papers makes them)."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.dataloader import DataLoader
from strawberry.types import Info

from core.customs.models import ShipmentDocument as ShipmentDocumentModel
from core.customs.models import ShipmentDocumentKind
from core.customs.papers import documents_of
from schema.enums import described_enum

ShipmentDocumentKindEnum = described_enum(
    ShipmentDocumentKind,
    name="ShipmentDocumentKind",
    description="Which customs paper of a parcel abroad.",
    values={
        "COMMERCIAL_INVOICE": "Seller, buyer, incoterm and each line's description, HS code, origin, quantity, "
        "values and weights, with the declared total: what customs value the parcel by.",
        "PACKING_LIST": "What is in the parcel (descriptions, HS codes, origins, quantities, weights), without prices.",
    },
)


@strawberry.type(description="A customs paper (PDF) of a shipment that crosses a border.")
class ShipmentDocument:
    kind: ShipmentDocumentKindEnum = strawberry.field(  # type: ignore[valid-type]
        description="Which paper this is."
    )
    url: str = strawberry.field(
        description="Where the PDF is served (the media storage); a new URL whenever the paper is made again."
    )
    created_at: datetime = strawberry.field(
        description="When this version of the paper was made (ISO 8601 with offset)."
    )

    @classmethod
    def of(cls, row: ShipmentDocumentModel) -> ShipmentDocument:
        return cls(kind=ShipmentDocumentKind(row.kind), url=row.storage_key, created_at=row.created_at)


async def shipment_documents(info: Info, shipment_id: int) -> list[ShipmentDocument]:
    """Through one loader per response: the shipments of a page of orders cost one statement."""
    extra = info.context.loaders.extra
    if "shipment_documents" not in extra:

        async def load(ids: list[int]) -> list[list[ShipmentDocumentModel]]:
            found = await documents_of(ids)
            return [found.get(i, []) for i in ids]

        extra["shipment_documents"] = DataLoader(load_fn=load)
    return [ShipmentDocument.of(row) for row in await extra["shipment_documents"].load(shipment_id)]
