"""Raw-material purchase orders: a buyer orders from one supplier, the supplier answers, ships, the buyer receives.

    SUBMITTED ──confirm──▶ CONFIRMED ──ship──▶ SHIPPED ──receive──▶ RECEIVED
        │  └──propose──▶ PROPOSED ──accept──▶ CONFIRMED            │  └─dispute─▶ DISPUTED (also from RECEIVED)
        ├──reject──▶ REJECTED     └──decline──▶ DECLINED
        └──cancel (buyer)──▶ CANCELLED

Who: the buyer is a brand (its staff with MANAGE_ORDERS act, any of its staff reads) or an approved tailor or
workshop (its own account); the supplier's people answer and ship. Nobody else sees an order: to anyone
else it is NOT_FOUND, exactly as a missing one, so IDs cannot be probed.

Stock: confirming takes each line's quantity off the material's stock, and proposing takes the proposed
quantities, by one conditional UPDATE per line in (kind, id) order inside the transition's transaction
(fabrics through core's `take_fabric_metres`, trims on this plugin's table). Two confirmations racing for the
last metres cannot both succeed, and a shortfall rolls the whole transition back (INSUFFICIENT_STOCK). A
declined proposal gives back what it held. Every transition is itself a conditional UPDATE on the status, so
two answers to one order cannot both apply; each writes a history row and an outbox event in its transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from tortoise.expressions import F, Q
from tortoise.transactions import in_transaction

from lini.plugin import (
    Actor,
    Brand,
    DomainError,
    EventType,
    Fabric,
    FabricStatus,
    Money,
    Permission,
    PermissionDenied,
    Problems,
    Supplier,
    Tailor,
    emit,
    exchange_factors,
    give_back_fabric_metres,
    managed_brand,
    quantize,
    take_fabric_metres,
)
from plugins.supplier_catalogs.models import Trim, TrimStatus, TrimUnit
from plugins.supplier_catalogs.order_models import (
    MaterialKind,
    OrderOrigin,
    Party,
    SupplierOrder,
    SupplierOrderChange,
    SupplierOrderLine,
)
from plugins.supplier_catalogs.order_models import SupplierOrderStatus as S

PERMISSION = Permission.MANAGE_ORDERS
MAX_LINES = 50
MAX_NOTE = 2000
MAX_QUANTITY = Decimal(10) ** 10  # DecimalField(max_digits=12, decimal_places=2)
QUANTUM = Decimal("0.01")
ADDRESS_FIELDS = {"name": 200, "line1": 200, "line2": 200, "city": 100, "province": 100, "postal_code": 20,
                  "country": 2, "phone": 40}  # fmt: skip
REQUIRED_ADDRESS = ("name", "line1", "city", "country")
EVENT_TYPES = [
    EventType(f"supplier_order.{name}", description, "supplierOrder")
    for name, description in (
        ("submitted", "A buyer placed a raw-material purchase order with a supplier."),
        ("confirmed", "The supplier confirmed it (or the buyer accepted its proposal): the stock is taken."),
        ("proposed", "The supplier proposed less than asked; the buyer accepts or declines."),
        ("rejected", "The supplier rejected it, with a reason."),
        ("declined", "The buyer declined the supplier's proposal; the stock it held went back."),
        ("cancelled", "The buyer withdrew it before the supplier answered."),
        ("shipped", "The supplier shipped it, with tracking."),
        ("received", "The buyer received it."),
        ("disputed", "The buyer disputed a line of what arrived."),
    )
]


@dataclass(frozen=True, slots=True)
class LineRequest:
    kind: MaterialKind
    material_id: int
    quantity: Any  # as the API gave it: checked here


@dataclass(frozen=True, slots=True)
class OrderRequest:
    supplier_id: int
    lines: Sequence[LineRequest]
    delivery_address: dict[str, Any]
    note: str = ""
    brand: str | None = None  # the buying brand's slug; null: the caller's only brand, or the caller's tailor
    origin: OrderOrigin = OrderOrigin.MANUAL


@dataclass(frozen=True, slots=True)
class Buyer:
    brand: Brand | None
    tailor: Tailor | None
    currency: str

    @property
    def brand_id(self) -> int | None:
        return self.brand.id if self.brand else None


# --- who ---------------------------------------------------------------------------------------------------


def visible(actor: Actor) -> Q:
    """Orders the actor may see: its brands' (any staff role or app), its own as a tailor, its supplier's."""
    return (
        Q(brand_id__in=sorted(actor.brand_permissions))
        | Q(tailor_id__in=sorted(actor.tailor_ids))
        | Q(supplier_id__in=sorted(actor.supplier_ids))
    )


def is_buyer(actor: Actor, order: SupplierOrder) -> bool:
    if order.brand_id is not None:
        return actor.can(order.brand_id, PERMISSION)
    return order.tailor_id is not None and order.tailor_id in actor.tailor_ids


async def buyer_of(actor: Actor, brand_slug: str | None, default_currency: str) -> Buyer:
    """The brand named (MANAGE_ORDERS there), else the caller's one brand, else the caller's tailor account."""
    if not actor.brand_permissions:
        actor.require_user()
    if brand_slug:
        brand = await managed_brand(actor, brand_slug, PERMISSION)
        return _serving(Buyer(brand=brand, tailor=None, currency=brand.default_currency))
    managing = [brand_id for brand_id, held in actor.brand_permissions.items() if PERMISSION in held]
    if len(managing) == 1:
        brand = await Brand.get(id=managing[0])
        return _serving(Buyer(brand=brand, tailor=None, currency=brand.default_currency))
    if managing:
        raise DomainError("BUYER_REQUIRED", "You work for several brands: name the one you order for.", "brand")
    tailor = await Tailor.filter(id__in=sorted(actor.tailor_ids)).order_by("id").first()
    if tailor is None:
        raise PermissionDenied("Only a brand's staff or a tailor orders raw material.", authenticated=True)
    if tailor.status != "APPROVED":
        raise DomainError("BUYER_SUSPENDED", "Your tailor account is not approved (or is suspended).", "buyer")
    return Buyer(brand=None, tailor=tailor, currency=default_currency)


def _serving(buyer: Buyer) -> Buyer:
    assert buyer.brand is not None
    if buyer.brand.status != "APPROVED":
        raise DomainError("BUYER_SUSPENDED", "This brand is not approved (or is suspended): it cannot order.", "brand")
    return buyer


async def order_for(actor: Actor, order_id: int, party: Party) -> SupplierOrder:
    """The order if the actor may act on it as `party`; NOT_FOUND if it may not even see it."""
    order = await SupplierOrder.filter(visible(actor), id=order_id).first()
    if order is None:
        raise DomainError("NOT_FOUND", "There is no such purchase order.", "id")
    if party == Party.SUPPLIER and order.supplier_id not in actor.supplier_ids:
        raise PermissionDenied("Only the supplier's people answer this order.", authenticated=True)
    if party == Party.SUPPLIER and not await Supplier.filter(id=order.supplier_id, status="APPROVED").exists():
        raise DomainError("SUPPLIER_SUSPENDED", "Your supplier account is suspended: it cannot sell now.", "id")
    if party == Party.BUYER and not is_buyer(actor, order):
        raise PermissionDenied(f"Only the buyer ({PERMISSION} for a brand) acts on this order.", authenticated=True)
    return order


# --- placing ------------------------------------------------------------------------------------------------


async def create(actor: Actor, request: OrderRequest, *, default_currency: str) -> SupplierOrder:
    """Check everything (every problem reported at once), then write the order in one transaction."""
    buyer = await buyer_of(actor, request.brand, default_currency)
    supplier = await Supplier.get_or_none(id=request.supplier_id)
    if supplier is None or supplier.status != "APPROVED":
        raise DomainError("SUPPLIER_NOT_FOUND", "There is no approved supplier with this ID.", "supplier_id")
    problems = Problems()
    address = _address(problems.at("delivery_address"), request.delivery_address)
    note = (request.note or "").strip()
    if len(note) > MAX_NOTE:
        problems.add("INVALID_NOTE", f"A note is at most {MAX_NOTE} characters.", "note")
    lines, currency = await _lines(problems, supplier.id, request.lines)
    problems.check()
    rate = (await exchange_factors(buyer.currency)).get(currency)
    async with in_transaction():
        order = await SupplierOrder.create(
            supplier_id=supplier.id,
            brand_id=buyer.brand_id,
            tailor_id=buyer.tailor.id if buyer.tailor else None,
            placed_by=actor.label,
            origin=request.origin,
            currency=currency,
            total=sum((line.total for line in lines), Decimal(0)),
            buyer_currency=buyer.currency,
            buyer_rate=quantize_rate(rate),
            delivery_address=address,
            note=note,
        )
        for position, line in enumerate(lines):
            line.order_id = order.id
            line.position = position
        await SupplierOrderLine.bulk_create(lines)
        await _record(order, "", S.SUBMITTED, actor, Party.BUYER, note="")
        await _emit("supplier_order.submitted", order)
    return order


async def _lines(
    problems: Problems, supplier_id: int, requested: Sequence[LineRequest]
) -> tuple[list[SupplierOrderLine], str]:
    """The lines priced as the materials are now, and their one currency (the order's)."""
    if not 1 <= len(requested) <= MAX_LINES:
        problems.add("INVALID_LINES", f"Order 1–{MAX_LINES} materials at once.", "lines")
        return [], ""
    fabric_ids = [r.material_id for r in requested if r.kind == MaterialKind.FABRIC]
    trim_ids = [r.material_id for r in requested if r.kind == MaterialKind.TRIM]
    fabrics = {row.id: row for row in await Fabric.filter(id__in=fabric_ids)} if fabric_ids else {}
    trims = {row.id: row for row in await Trim.filter(id__in=trim_ids)} if trim_ids else {}
    seen: set[tuple[MaterialKind, int]] = set()
    lines: list[SupplierOrderLine] = []
    currencies: set[str] = set()
    for index, line in enumerate(requested):
        at = problems.at(f"lines.{index}")
        row: Fabric | Trim | None = (fabrics if line.kind == MaterialKind.FABRIC else trims).get(line.material_id)
        if (line.kind, line.material_id) in seen:
            at.add(
                "DUPLICATE_LINE", "This material is already on the order: raise that line's quantity.", "material_id"
            )
            continue
        seen.add((line.kind, line.material_id))
        if row is None:
            at.add("MATERIAL_NOT_FOUND", "There is no such material.", "material_id")
            continue
        if row.supplier_id != supplier_id:
            at.add("MATERIAL_OF_ANOTHER_SUPPLIER", "This material is another supplier's: order it from them.",
                   "material_id")  # fmt: skip
            continue
        if row.status in (FabricStatus.ARCHIVED, TrimStatus.ARCHIVED):
            at.add("MATERIAL_ARCHIVED", "The supplier no longer offers this material.", "material_id")
            continue
        priced = _line(at, line, row)
        if priced is not None:
            lines.append(priced)
            currencies.add(row.currency)
    if len(currencies) > 1:
        problems.add("MIXED_CURRENCIES", "This supplier prices these materials in different currencies: order "
                     "them separately.", "lines")  # fmt: skip
    return lines, min(currencies, default="")


def _line(at: Problems, request: LineRequest, row: Fabric | Trim) -> SupplierOrderLine | None:
    if isinstance(row, Fabric):
        unit, price, minimum = "METRE", Decimal(row.price_per_metre), Decimal(row.min_order_metres)
    else:
        unit, price, minimum = str(row.unit), Decimal(row.price), Decimal(row.min_order)
    quantity = _quantity(at, request.quantity, unit, "quantity")
    if quantity is None:
        return None
    if quantity < minimum:
        at.add("BELOW_MINIMUM_ORDER", f"The supplier's minimum order is {minimum} {_unit(unit)}.", "quantity")
        return None
    return SupplierOrderLine(
        kind=request.kind,
        fabric_id=row.id if isinstance(row, Fabric) else None,
        trim_id=row.id if isinstance(row, Trim) else None,
        sku=row.sku,
        name=row.name,
        unit=unit,
        unit_price=price,
        requested_quantity=quantity,
        quantity=quantity,
        total=quantize(price * quantity, row.currency),
    )


def _quantity(at: Problems, value: Any, unit: str, field: str, *, allow_zero: bool = False) -> Decimal | None:
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        number = Decimal(-1)
    if isinstance(value, float | bool) or not number.is_finite():
        number = Decimal(-1)
    low_ok = number >= 0 if allow_zero else number > 0
    if not low_ok or number >= MAX_QUANTITY or number != number.quantize(QUANTUM):
        at.add("INVALID_QUANTITY", f"Give a quantity {'of 0 or more' if allow_zero else 'above 0'} with at most "
               "2 decimals.", field)  # fmt: skip
        return None
    if unit == TrimUnit.PIECE and number != number.to_integral_value():
        at.add("INVALID_QUANTITY", "This material is sold by the piece: order whole pieces.", field)
        return None
    return number.quantize(QUANTUM)


def _unit(unit: str) -> str:
    return "m" if unit == "METRE" else "pieces"


def _address(problems: Problems, given: dict[str, Any]) -> dict[str, str]:
    address = {name: str(given.get(name) or "").strip() for name in ADDRESS_FIELDS}
    for name, limit in ADDRESS_FIELDS.items():
        if len(address[name]) > limit:
            problems.add("INVALID_ADDRESS", f"At most {limit} characters.", name)
    for name in REQUIRED_ADDRESS:
        if not address[name]:
            problems.add("REQUIRED", "Give the delivery address's " + name.replace("_", " ") + ".", name)
    address["country"] = address["country"].upper()
    if address["country"] and not (len(address["country"]) == 2 and address["country"].isalpha()):
        problems.add("INVALID_ADDRESS", "A country is its ISO 3166-1 alpha-2 code, like ID.", "country")
    return {name: value for name, value in address.items() if value}


def quantize_rate(rate: Decimal | None) -> Decimal | None:
    return None if rate is None else rate.quantize(Decimal("0.00000001"))


# --- the supplier's answers ---------------------------------------------------------------------------------


async def confirm(actor: Actor, order_id: int) -> SupplierOrder:
    order = await order_for(actor, order_id, Party.SUPPLIER)
    async with in_transaction():
        await _move(order, S.SUBMITTED, S.CONFIRMED)
        lines = await ordered_lines(order.id)
        await _take(lines, {line.id: Decimal(line.quantity) for line in lines})
        await _record(order, S.SUBMITTED, S.CONFIRMED, actor, Party.SUPPLIER)
        await _emit("supplier_order.confirmed", order)
    return await SupplierOrder.get(id=order.id)


async def reject(actor: Actor, order_id: int, reason: str) -> SupplierOrder:
    order = await order_for(actor, order_id, Party.SUPPLIER)
    text = _reason(reason)
    async with in_transaction():
        await _move(order, S.SUBMITTED, S.REJECTED, reason=text)
        await _record(order, S.SUBMITTED, S.REJECTED, actor, Party.SUPPLIER, note=text)
        await _emit("supplier_order.rejected", order)
    return await SupplierOrder.get(id=order.id)


async def propose(actor: Actor, order_id: int, quantities: dict[int, Any], note: str = "") -> SupplierOrder:
    """Offer less than asked for some lines (a line not named keeps its quantity); the offer is held of stock
    until the buyer accepts or declines it."""
    order = await order_for(actor, order_id, Party.SUPPLIER)
    if order.status != S.SUBMITTED:
        raise _wrong_status(order, "propose a partial quantity")
    lines = await ordered_lines(order.id)
    by_id = {line.id: line for line in lines}
    problems = Problems()
    offered: dict[int, Decimal] = {line.id: Decimal(line.quantity) for line in lines}
    for index, (line_id, raw) in enumerate(quantities.items()):
        line = by_id.get(line_id)
        if line is None:
            problems.add("NOT_FOUND", "This line is not on the order.", f"lines.{index}.line_id")
            continue
        quantity = _quantity(problems.at(f"lines.{index}"), raw, line.unit, "quantity", allow_zero=True)
        if quantity is not None and quantity > Decimal(line.quantity):
            problems.add("INVALID_PROPOSAL", "Propose at most the quantity asked for.", f"lines.{index}.quantity")
        elif quantity is not None:
            offered[line_id] = quantity
    problems.check()
    if all(offered[line.id] == Decimal(line.quantity) for line in lines):
        raise DomainError("INVALID_PROPOSAL", "Nothing is less than asked: confirm the order instead.", "lines")
    if not any(offered.values()):
        raise DomainError("INVALID_PROPOSAL", "Nothing would be delivered: reject the order instead.", "lines")
    text = (note or "").strip()[:MAX_NOTE]
    async with in_transaction():
        await _move(order, S.SUBMITTED, S.PROPOSED, reason=text)
        await _take(lines, offered)
        for line in lines:
            await SupplierOrderLine.filter(id=line.id).update(proposed_quantity=offered[line.id])
        await _record(order, S.SUBMITTED, S.PROPOSED, actor, Party.SUPPLIER, note=text)
        await _emit("supplier_order.proposed", order)
    return await SupplierOrder.get(id=order.id)


async def ship(actor: Actor, order_id: int, *, carrier: str, tracking_number: str, tracking_url: str) -> SupplierOrder:
    order = await order_for(actor, order_id, Party.SUPPLIER)
    problems = Problems()
    values = {"carrier": (carrier or "").strip(), "tracking_number": (tracking_number or "").strip(),
              "tracking_url": (tracking_url or "").strip()}  # fmt: skip
    if not values["tracking_number"]:
        problems.add("REQUIRED", "Give the shipment's tracking number.", "tracking_number")
    for name, limit in (("carrier", 100), ("tracking_number", 100), ("tracking_url", 500)):
        if len(values[name]) > limit:
            problems.add("INVALID_TRACKING", f"At most {limit} characters.", name)
    url = values["tracking_url"]
    if url and (not url.startswith(("https://", "http://")) or " " in url):
        problems.add("INVALID_TRACKING", "A tracking URL starts with https://.", "tracking_url")
    problems.check()
    async with in_transaction():
        await _move(order, S.CONFIRMED, S.SHIPPED, **values)
        await _record(order, S.CONFIRMED, S.SHIPPED, actor, Party.SUPPLIER, note=values["tracking_number"])
        await _emit("supplier_order.shipped", order, tracking_number=values["tracking_number"])
    return await SupplierOrder.get(id=order.id)


# --- the buyer's answers ------------------------------------------------------------------------------------


async def accept_proposal(actor: Actor, order_id: int) -> SupplierOrder:
    order = await order_for(actor, order_id, Party.BUYER)
    async with in_transaction():
        await _move(order, S.PROPOSED, S.CONFIRMED)
        total = Decimal(0)
        for line in await ordered_lines(order.id):
            quantity = Decimal(line.proposed_quantity or 0)
            line_total = quantize(Decimal(line.unit_price) * quantity, order.currency)
            total += line_total
            await SupplierOrderLine.filter(id=line.id).update(quantity=quantity, proposed_quantity=None,
                                                              total=line_total)  # fmt: skip
        await SupplierOrder.filter(id=order.id).update(total=total)
        await _record(order, S.PROPOSED, S.CONFIRMED, actor, Party.BUYER, note="The proposal was accepted.")
        await _emit("supplier_order.confirmed", order, proposal_accepted=True)
    return await SupplierOrder.get(id=order.id)


async def decline_proposal(actor: Actor, order_id: int, reason: str = "") -> SupplierOrder:
    order = await order_for(actor, order_id, Party.BUYER)
    text = (reason or "").strip()[:MAX_NOTE]
    async with in_transaction():
        await _move(order, S.PROPOSED, S.DECLINED, reason=text)
        await _give_back(await ordered_lines(order.id))
        await _record(order, S.PROPOSED, S.DECLINED, actor, Party.BUYER, note=text)
        await _emit("supplier_order.declined", order)
    return await SupplierOrder.get(id=order.id)


async def cancel(actor: Actor, order_id: int, reason: str = "") -> SupplierOrder:
    order = await order_for(actor, order_id, Party.BUYER)
    text = (reason or "").strip()[:MAX_NOTE]
    async with in_transaction():
        await _move(order, S.SUBMITTED, S.CANCELLED, reason=text)
        await _record(order, S.SUBMITTED, S.CANCELLED, actor, Party.BUYER, note=text)
        await _emit("supplier_order.cancelled", order)
    return await SupplierOrder.get(id=order.id)


async def receive(actor: Actor, order_id: int) -> SupplierOrder:
    order = await order_for(actor, order_id, Party.BUYER)
    async with in_transaction():
        await _move(order, S.SHIPPED, S.RECEIVED)
        await _record(order, S.SHIPPED, S.RECEIVED, actor, Party.BUYER)
        await _emit("supplier_order.received", order)
    return await SupplierOrder.get(id=order.id)


async def dispute(actor: Actor, order_id: int, line_id: int, reason: str) -> SupplierOrder:
    """Dispute one line of what was shipped (also once received, and more lines of a disputed order)."""
    order = await order_for(actor, order_id, Party.BUYER)
    text = _reason(reason)
    line = await SupplierOrderLine.get_or_none(id=line_id, order_id=order.id)
    if line is None:
        raise DomainError("NOT_FOUND", "This line is not on the order.", "line_id")
    if line.disputed_at is not None:
        raise DomainError("ALREADY_DISPUTED", "This line is already disputed.", "line_id")
    allowed = (S.SHIPPED, S.RECEIVED, S.DISPUTED)
    async with in_transaction():
        moved = await SupplierOrder.filter(id=order.id, status__in=allowed).update(
            status=S.DISPUTED, updated_at=datetime.now(UTC)
        )
        if not moved:
            raise _wrong_status(order, "dispute a line")
        marked = await SupplierOrderLine.filter(id=line.id, disputed_at__isnull=True).update(
            dispute_reason=text, disputed_at=datetime.now(UTC)
        )
        if not marked:
            raise DomainError("ALREADY_DISPUTED", "This line is already disputed.", "line_id")
        await _record(order, order.status, S.DISPUTED, actor, Party.BUYER, note=f"{line.sku}: {text}")
        await _emit("supplier_order.disputed", order, line_id=line.id, sku=line.sku)
    return await SupplierOrder.get(id=order.id)


# --- the moves ----------------------------------------------------------------------------------------------


async def _move(order: SupplierOrder, source: S, target: S, **values: Any) -> None:
    """The status changes only if it still is `source`: of two racing answers, one applies."""
    moved = await SupplierOrder.filter(id=order.id, status=source).update(
        status=target, updated_at=datetime.now(UTC), **values
    )
    if not moved:
        current = await SupplierOrder.get(id=order.id)
        raise _wrong_status(current, f"move it to {target}")


def _wrong_status(order: SupplierOrder, doing: str) -> DomainError:
    return DomainError("INVALID_STATUS", f"This order is {order.status}: you cannot {doing} now.", "id")


async def ordered_lines(order_id: int) -> list[SupplierOrderLine]:
    return list(await SupplierOrderLine.filter(order_id=order_id).order_by("position"))


async def _take(lines: Sequence[SupplierOrderLine], quantities: dict[int, Decimal]) -> None:
    """One conditional UPDATE per line in (kind, material id) order, so concurrent takers never deadlock."""
    for line in sorted(lines, key=lambda line: (line.kind, line.fabric_id or line.trim_id or 0)):
        quantity = quantities[line.id]
        if quantity <= 0:
            continue
        if line.fabric_id is not None:
            taken = await take_fabric_metres(line.fabric_id, quantity)
        else:
            taken = bool(await Trim.filter(id=line.trim_id, stock__gte=quantity).update(stock=F("stock") - quantity))
        if not taken:
            raise DomainError(
                "INSUFFICIENT_STOCK",
                f"Fewer than {quantity} {_unit(line.unit)} of {line.sku} are in stock: restock it, or propose what "
                "you have.",
                f"lines.{line.position}",
            )
        await SupplierOrderLine.filter(id=line.id).update(reserved_quantity=quantity)


async def _give_back(lines: Sequence[SupplierOrderLine]) -> None:
    fabrics = {line.fabric_id: Decimal(line.reserved_quantity) for line in lines if line.fabric_id is not None}
    await give_back_fabric_metres({k: v for k, v in fabrics.items() if v > 0})
    for line in sorted(lines, key=lambda line: line.trim_id or 0):
        if line.trim_id is not None and Decimal(line.reserved_quantity) > 0:
            await Trim.filter(id=line.trim_id).update(stock=F("stock") + Decimal(line.reserved_quantity))
    await SupplierOrderLine.filter(id__in=[line.id for line in lines]).update(reserved_quantity=0)


async def _record(order: SupplierOrder, source: str, target: S, actor: Actor, party: Party, note: str = "") -> None:
    await SupplierOrderChange.create(
        order_id=order.id, from_status=str(source), to_status=target, actor=actor.label, party=party, note=note
    )


async def _emit(type: str, order: SupplierOrder, **extra: Any) -> None:
    payload = {"supplier_order_id": order.id, "supplier_id": order.supplier_id, "brand_id": order.brand_id,
               "tailor_id": order.tailor_id, **extra}  # fmt: skip
    await emit(type, payload, brand_id=order.brand_id, object_key=f"supplier_order:{order.id}")


def _reason(reason: str) -> str:
    text = (reason or "").strip()
    if not text:
        raise DomainError("REASON_REQUIRED", "Say why.", "reason")
    if len(text) > MAX_NOTE:
        raise DomainError("INVALID_REASON", f"A reason is at most {MAX_NOTE} characters.", "reason")
    return text


def buyer_money(order: SupplierOrder, amount: Decimal) -> Money | None:
    """An amount of the order's currency in the buyer's, at the rate fixed when it was placed."""
    if order.buyer_rate is None:
        return None
    return Money(quantize(amount * Decimal(order.buyer_rate), order.buyer_currency), order.buyer_currency)
