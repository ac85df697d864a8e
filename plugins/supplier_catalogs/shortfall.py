"""Restock for made-to-measure: the fabric a brand's orders hold that its supplier no longer has on hand.

Core takes a made-to-measure garment's metres off the fabric's stock when the order is placed and never below
zero; the cloth stays with the supplier until it is cut. A supplier's stocktake (a feed or an edit setting
`stock_metres`) says what it really has, which may be less than the brand's uncut garments hold. Per fabric:

    short = held by the brand's uncut jobs − on hand − already on order

where "on order" is what the brand's purchase orders for that fabric will bring (submitted, proposed,
confirmed or shipped; and received or disputed ones placed since the oldest of those jobs, whose cloth has
arrived for them). `supplierOrderCreateFromShortfall` orders the short metres of one supplier's fabrics in one
purchase order, each line raised to the supplier's minimum order. Reading it costs three statements, however
many fabrics are short.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

from lini.plugin import Actor, Brand, DomainError, Fabric, fabric_reservations
from plugins.supplier_catalogs.order_models import OrderOrigin, SupplierOrderLine
from plugins.supplier_catalogs.order_models import SupplierOrderStatus as S
from plugins.supplier_catalogs.orders import PERMISSION, LineRequest, MaterialKind, OrderRequest, create

COUNTED = (S.SUBMITTED, S.PROPOSED, S.CONFIRMED, S.SHIPPED)
ARRIVED = (S.RECEIVED, S.DISPUTED)


@dataclass(frozen=True, slots=True)
class Shortfall:
    fabric: Fabric  # its supplier loaded
    held: Decimal  # by the brand's uncut made-to-measure jobs
    jobs: int
    on_hand: Decimal
    on_order: Decimal
    short: Decimal
    to_order: Decimal  # the short metres raised to the supplier's minimum order


async def shortfalls(actor: Actor, brand: Brand, *, supplier_id: int | None = None) -> list[Shortfall]:
    actor.require(brand.id, PERMISSION)
    held = await fabric_reservations(brand.id)
    if not held:
        return []
    fabrics = {row.id: row for row in await Fabric.filter(id__in=sorted(held)).select_related("supplier")}
    ordered: dict[int, Decimal] = dict.fromkeys(held, Decimal(0))
    lines = await SupplierOrderLine.filter(
        order__brand_id=brand.id, order__status__in=[*COUNTED, *ARRIVED], fabric_id__in=sorted(held)
    ).values("fabric_id", "quantity", "proposed_quantity", "order__status", "order__created_at")
    for line in lines:
        fabric_id = int(line["fabric_id"])
        status = S(line["order__status"])
        if status in ARRIVED and line["order__created_at"] < held[fabric_id].oldest:
            continue  # came for garments already cut
        quantity = line["proposed_quantity"] if status == S.PROPOSED else line["quantity"]
        ordered[fabric_id] += Decimal(str(quantity or 0))
    found: list[Shortfall] = []
    for fabric_id in sorted(held):
        fabric = fabrics.get(fabric_id)
        if fabric is None or (supplier_id is not None and fabric.supplier_id != supplier_id):
            continue
        on_hand = max(Decimal(fabric.stock_metres), Decimal(0))
        short = held[fabric_id].metres - on_hand - ordered[fabric_id]
        if short > 0:
            minimum = Decimal(fabric.min_order_metres)
            found.append(
                Shortfall(
                    fabric=fabric,
                    held=held[fabric_id].metres,
                    jobs=held[fabric_id].jobs,
                    on_hand=on_hand,
                    on_order=ordered[fabric_id],
                    short=short,
                    to_order=max(short, minimum).quantize(Decimal("0.01"), rounding=ROUND_CEILING),
                )
            )
    return found


async def order_shortfall(
    actor: Actor,
    brand: Brand,
    *,
    supplier_id: int,
    fabric_ids: Sequence[int] | None,
    delivery_address: dict[str, object],
    note: str,
    default_currency: str,
) -> object:
    """One purchase order for the short fabrics of one supplier (all of them, or those named)."""
    short = await shortfalls(actor, brand, supplier_id=supplier_id)
    if fabric_ids:
        wanted = set(fabric_ids)
        missing = [i for i, fabric_id in enumerate(fabric_ids) if fabric_id not in {s.fabric.id for s in short}]
        if missing:
            raise DomainError("NO_SHORTFALL", "This fabric is not short for your orders.", f"fabric_ids.{missing[0]}")
        short = [s for s in short if s.fabric.id in wanted]
    if not short:
        raise DomainError("NO_SHORTFALL", "None of this supplier's fabrics is short for your orders.", "supplier_id")
    request = OrderRequest(
        supplier_id=supplier_id,
        lines=[LineRequest(MaterialKind.FABRIC, s.fabric.id, s.to_order) for s in short],
        delivery_address=dict(delivery_address),
        note=note,
        brand=brand.slug,
        origin=OrderOrigin.SHORTFALL,
    )
    return await create(actor, request, default_currency=default_currency)
