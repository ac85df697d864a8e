"""The customs papers of a shipment abroad: a commercial invoice and a packing list, kept as PDFs in the media
storage and made again only when they would read differently.

`gather` reads everything a paper prints (seller, buyer, incoterm, each line's customs declaration, values and
weights) into a `Papers`; `fingerprint` hashes what one kind prints together with `LAYOUT`, so a paper whose
data and layout are unchanged is not rendered or stored again. The papers are made inline, right after the
shipment's transaction (`core.orders.fulfilment.shipment_create`): rendering both takes a few tenths of a second of
CPU, off the event loop, and staff print them with the parcel, so they are in the same response; a job would add a
worker round trip for no gain. Should storing fail then, the shipment stands and `regenerate` (the staff
mutation `shipmentDocumentsRegenerate`) makes them.

The files are named at random by the storage and served from its public URL scheme (`/media/<hex>.pdf`): the
name is 128 random bits, handed out only through `Shipment.documents`, which the order's customer and the
brand's order staff alone can read.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any

import orjson
import pycountry
from tortoise.transactions import in_transaction

from core.actors.models import Brand
from core.catalog.media import MediaStorage
from core.catalog.models import Variant
from core.context import Actor
from core.customs.export import crosses_border, missing_for_export
from core.customs.models import ShipmentDocument, ShipmentDocumentKind
from core.customs.services import for_variants
from core.errors import DomainError, DomainErrors
from core.money import quantize_ratio
from core.orders.access import load_order
from core.orders.models import Order, OrderLine, Shipment, ShipmentLine
from core.settings import PapersSettings

log = logging.getLogger(__name__)

# Raised whenever core/customs/pdf.py prints differently, so every paper is made anew on its next regeneration.
LAYOUT = "1"
REASON = "Sale of goods"
KINDS = (ShipmentDocumentKind.COMMERCIAL_INVOICE, ShipmentDocumentKind.PACKING_LIST)
# What the packing list leaves out of the invoice's data: it shows goods and weights, not prices or duties.
_VALUES = ("unit_value", "total_value")


@dataclass(frozen=True)
class PaperLine:
    description: str  # the English customs description, with the fibre composition
    sku: str
    hs_code: str  # "6204.43", with the national extension when declared ("6204.43.90")
    origin: str  # ISO 3166-1 alpha-2
    quantity: int
    unit_value: str  # Decimal strings in `Papers.currency`
    total_value: str
    net_grams: int  # for the line's units together
    gross_grams: int


@dataclass(frozen=True)
class Papers:
    invoice_number: str  # INV-<order number>-<shipment's place among the order's>
    date: str  # the shipment's day (ISO 8601), so a paper made again keeps it
    order_number: int
    seller: tuple[str, ...]
    seller_country: str
    buyer: tuple[str, ...]
    buyer_country: str
    incoterm: str  # "DAP Riyadh, Saudi Arabia"
    currency: str
    carrier: str
    tracking_number: str
    lines: tuple[PaperLine, ...]
    total_value: str  # the lines' total values added up: the declared value
    total_quantity: int
    net_grams: int
    gross_grams: int
    duties: str  # who pays the duty and import tax, and the checkout's figure
    reason: str = REASON

    def printed(self, kind: ShipmentDocumentKind) -> dict[str, Any]:
        """What a paper of this kind shows: its fingerprint is taken over this."""
        data = asdict(self)
        if kind is ShipmentDocumentKind.PACKING_LIST:
            data.pop("total_value")
            data.pop("duties")
            data["lines"] = [{k: v for k, v in line.items() if k not in _VALUES} for line in data["lines"]]
        return data


def fingerprint(papers: Papers, kind: ShipmentDocumentKind) -> str:
    body = orjson.dumps(
        {"layout": LAYOUT, "kind": str(kind), "data": papers.printed(kind)}, option=orjson.OPT_SORT_KEYS
    )
    return hashlib.sha256(body).hexdigest()


def country_name(code: str) -> str:
    found = pycountry.countries.get(alpha_2=code) if code else None
    return str(getattr(found, "common_name", None) or found.name) if found is not None else code


def _hs(code: str, national: str | None) -> str:
    return f"{code[:4]}.{code[4:]}" + (f".{national}" if national else "")


def _address(value: dict[str, Any]) -> tuple[str, ...]:
    def part(name: str) -> str:
        return str(value.get(name) or "").strip()

    name = " ".join(p for p in (part("first_name"), part("last_name")) if p)
    place = " ".join(p for p in (part("postal_code"), part("city")) if p)
    rows = (name, part("company"), part("street1"), part("street2"), place, part("province"))
    return (*(r for r in rows if r), country_name(part("country")))


def _duties(order: Order, incoterm: str) -> str:
    landed = order.landed_cost or {}
    if not landed:
        return f"Import duty and tax: {'paid by the seller' if incoterm == 'DDP' else 'payable by the buyer'}."
    figure = (
        f"{landed['currency']} {Decimal(str(landed['duty'])) + Decimal(str(landed['tax']))} "
        f"(duty {landed['duty']}, {landed['tax_name']} {landed['tax']}) for the whole order"
    )
    if incoterm == "DDP":
        return f"Import duty and tax paid by the seller (DDP), collected at checkout: {figure}."
    return f"Import duty and tax payable by the buyer on arrival (DAP), estimated at checkout: {figure}."


async def gather(shipment: Shipment, order: Order, brand: Brand) -> Papers | None:
    """Everything the papers print; None for a shipment that stays in the brand's country. A line whose customs
    data is gone meanwhile is refused (CUSTOMS_DATA_MISSING), as shipping it is."""
    address = order.shipping_address or {}
    country = str(address.get("country") or "")
    if not crosses_border(brand, country):
        return None
    place = await Shipment.filter(order_id=order.id, id__lte=shipment.id).count()
    items = await ShipmentLine.filter(shipment_id=shipment.id).order_by("id")
    lines = {line.id: line for line in await OrderLine.filter(id__in=[i.order_line_id for i in items])}
    ordered = [(item, lines[item.order_line_id]) for item in items]
    problems = await missing_for_export(
        brand, country, [(line.variant_id or 0, line.product_name) for _, line in ordered]
    )
    if problems:
        raise DomainErrors(problems)
    variant_ids = [line.variant_id for _, line in ordered if line.variant_id is not None]
    customs = await for_variants(variant_ids)
    weights = dict(await Variant.filter(id__in=variant_ids).values_list("id", "weight_grams"))
    currency = order.currency
    printed: list[PaperLine] = []
    for item, line in ordered:
        declared = customs[line.variant_id or 0]
        assert declared.hs_code and declared.description and declared.origin_country  # missing_for_export checked
        total = quantize_ratio(Decimal(line.total_amount) * item.quantity, Decimal(line.quantity), currency)
        unit = quantize_ratio(total, Decimal(item.quantity), currency)
        if unit * item.quantity != total:  # a discount share that does not divide: the unit value unrounded
            unit = (total / item.quantity).quantize(Decimal("0.0001"))
        shipping_weight = int(weights.get(line.variant_id, 0) or 0)
        net = declared.net_weight_grams or shipping_weight
        composition = ", ".join(f"{m.percent.normalize():f}% {m.material}" for m in declared.composition or ())
        printed.append(
            PaperLine(
                description=declared.description + (f" ({composition})" if composition else ""),
                sku=line.sku,
                hs_code=_hs(declared.hs_code, declared.national_code),
                origin=declared.origin_country,
                quantity=item.quantity,
                unit_value=str(unit),
                total_value=str(total),
                net_grams=net * item.quantity,
                gross_grams=max(net, shipping_weight) * item.quantity,
            )
        )
    landed = order.landed_cost or {}
    incoterm = str(landed.get("incoterm") or brand.incoterm)  # what the buyer agreed to at checkout
    city = str(address.get("city") or "").strip()
    return Papers(
        invoice_number=f"INV-{order.number}-{place}",
        date=shipment.created_at.date().isoformat(),
        order_number=order.number,
        seller=(brand.name, f"Ships from {country_name(brand.ships_from)}"),
        seller_country=brand.ships_from,
        buyer=(*_address(address), *(v for v in (str(address.get("phone") or ""), order.email) if v)),
        buyer_country=country,
        incoterm=f"{incoterm} {city + ', ' if city else ''}{country_name(country)}",
        currency=currency,
        carrier=shipment.carrier,
        tracking_number=shipment.tracking_number,
        lines=tuple(printed),
        total_value=str(sum((Decimal(p.total_value) for p in printed), Decimal(0))),
        total_quantity=sum(p.quantity for p in printed),
        net_grams=sum(p.net_grams for p in printed),
        gross_grams=sum(p.gross_grams for p in printed),
        duties=_duties(order, incoterm),
    )


async def ensure(shipment_id: int, storage: MediaStorage, settings: PapersSettings) -> list[ShipmentDocument]:
    """The shipment's papers, each rendered and stored only when its fingerprint changed (none at home)."""
    from core.customs import pdf  # fpdf2 takes ~0.4 s to import: only a process that makes papers pays it

    shipment = await Shipment.get(id=shipment_id)
    order = await Order.get(id=shipment.order_id)
    brand = await Brand.get(id=order.brand_id)
    papers = await gather(shipment, order, brand)
    if papers is None:
        return []
    kept = {d.kind: d for d in await ShipmentDocument.filter(shipment_id=shipment.id)}
    stale: list[str] = []
    for kind in KINDS:
        mark = fingerprint(papers, kind)
        current = kept.get(kind)
        if current is not None and current.fingerprint == mark:
            continue
        data = await asyncio.to_thread(pdf.render, papers, kind, settings)
        url = await storage.save(data, "pdf")
        try:
            async with in_transaction():
                await Shipment.filter(id=shipment.id).select_for_update().first()  # one writer per shipment
                current = await ShipmentDocument.get_or_none(shipment_id=shipment.id, kind=kind)
                if current is not None and current.fingerprint == mark:  # someone made the same paper meanwhile
                    stale.append(url)
                    kept[kind] = current
                    continue
                if current is not None:
                    await current.delete()
                    stale.append(current.storage_key)
                kept[kind] = await ShipmentDocument.create(
                    shipment_id=shipment.id, kind=kind, storage_key=url, fingerprint=mark
                )
        except BaseException:
            await storage.delete(url)  # no row points at it
            raise
    for url in stale:  # after the rows that named them are gone
        await storage.delete(url)
    return [kept[kind] for kind in KINDS]


async def for_new_shipment(shipment_id: int, storage: MediaStorage, settings: PapersSettings) -> None:
    """Right after a shipment's commit: its papers, if it goes abroad. A failure leaves the shipment as it is
    (it has been sent) and is logged; `regenerate` makes the papers then."""
    try:
        await ensure(shipment_id, storage, settings)
    except Exception:
        log.exception(
            "the customs papers of shipment %s could not be made; shipmentDocumentsRegenerate retries", shipment_id
        )


async def regenerate(
    actor: Actor, shipment_id: int, storage: MediaStorage, settings: PapersSettings
) -> tuple[Shipment, list[ShipmentDocument]]:
    """Staff with MANAGE_ORDERS on the order's brand: the papers made again where their data changed (a
    corrected customs description, the brand's name); unchanged ones keep their file. A domestic shipment has
    none (NO_CUSTOMS_PAPERS)."""
    shipment = await Shipment.get_or_none(id=shipment_id)
    order = await load_order(actor, shipment.order_id if shipment else -1)  # FORBIDDEN alike for missing
    assert shipment is not None
    brand = await Brand.get(id=order.brand_id)
    if not crosses_border(brand, (order.shipping_address or {}).get("country")):
        raise DomainError(
            "NO_CUSTOMS_PAPERS",
            "This shipment stays in the brand's country: it needs no customs papers.",
            "shipment_id",
        )
    return shipment, await ensure(shipment.id, storage, settings)


async def documents_of(shipment_ids: Sequence[int]) -> dict[int, list[ShipmentDocument]]:
    """The papers of many shipments in one statement, invoice first."""
    found: dict[int, list[ShipmentDocument]] = {}
    rank = {kind: i for i, kind in enumerate(KINDS)}
    rows = await ShipmentDocument.filter(shipment_id__in=list(shipment_ids))
    for row in sorted(rows, key=lambda r: (r.shipment_id, rank.get(r.kind, len(rank)))):
        found.setdefault(row.shipment_id, []).append(row)
    return found
