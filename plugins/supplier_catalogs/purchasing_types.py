"""The GraphQL types of the plugin's buying API (materials, purchase orders, shortfalls) and the mapping of its
rows to them: a page of orders is mapped with its lines, history, suppliers and buyers in five statements."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

import strawberry
from strawberry import relay

from lini.plugin import (
    Brand,
    BrandPermission,
    DomainError,
    MoneyType,
    Permission,
    SortDirection,
    Supplier,
    Tailor,
    UserError,
    decode_id,
    described_enum,
    encode_id,
    parse_amount,
)
from plugins.supplier_catalogs import orders
from plugins.supplier_catalogs.materials import Material, MaterialQuery, SortField
from plugins.supplier_catalogs.order_models import MaterialKind, OrderOrigin, Party
from plugins.supplier_catalogs.order_models import SupplierOrder as OrderModel
from plugins.supplier_catalogs.order_models import SupplierOrderChange as ChangeModel
from plugins.supplier_catalogs.order_models import SupplierOrderLine as LineModel
from plugins.supplier_catalogs.order_models import SupplierOrderStatus as Status
from plugins.supplier_catalogs.schema import TrimTypeEnum

NAME = "supplier_catalogs"
MANAGE_ORDERS = BrandPermission(Permission.MANAGE_ORDERS)
ENUMS = {"Fabric": MaterialKind.FABRIC, "Trim": MaterialKind.TRIM}

MaterialKindEnum = described_enum(
    MaterialKind,
    name="SupplierMaterialKind",
    description="A fabric or a trim.",
    values={"FABRIC": "A fabric, sold per metre.", "TRIM": "A trim (button, zip, lace, ...), per piece or metre."},
)
SortFieldEnum = described_enum(
    SortField,
    name="SupplierMaterialSortField",
    description="How materials are sorted.",
    values={
        "RELEVANCE": "Best match of filter.search first (by name otherwise).",
        "PRICE": "By price per unit in the buyer's currency; prices with no exchange rate come last.",
        "LEAD_TIME": "By the supplier's lead time in days.",
    },
)
StatusEnum = described_enum(
    Status,
    name="SupplierOrderStatus",
    description="Where a purchase order stands.",
    values={
        "SUBMITTED": "Placed by the buyer, waiting for the supplier's answer; the buyer may still cancel it.",
        "PROPOSED": "The supplier offers less than asked and holds it; the buyer accepts or declines.",
        "CONFIRMED": "The supplier took the stock; to be shipped.",
        "REJECTED": "The supplier refused it; `reason` says why.",
        "DECLINED": "The buyer declined the supplier's proposal; the held stock went back.",
        "CANCELLED": "The buyer withdrew it before the supplier answered.",
        "SHIPPED": "On its way, with tracking.",
        "RECEIVED": "The buyer has it.",
        "DISPUTED": "The buyer disputes one or more lines of what arrived (see lines' disputeReason).",
    },
)
OriginEnum = described_enum(
    OrderOrigin,
    name="SupplierOrderOrigin",
    description="How a purchase order was raised.",
    values={
        "MANUAL": "Placed line by line with supplierOrderCreate.",
        "SHORTFALL": "Raised from the brand's made-to-measure shortfall (supplierOrderCreateFromShortfall).",
    },
)
PartyEnum = described_enum(
    Party,
    name="SupplierOrderParty",
    description="Who moved a purchase order.",
    values={
        "BUYER": "The buying brand's staff or the buying tailor.",
        "SUPPLIER": "The supplier's people.",
        "SYSTEM": "Lini itself (a job).",
    },
)


# --- browsing -----------------------------------------------------------------------------------------------


@strawberry.input(description="A range of whole numbers; either end may be left open.")
class SupplierMaterialIntRangeInput:
    gte: int | None = strawberry.field(default=None, description="At least this (inclusive).")
    lte: int | None = strawberry.field(default=None, description="At most this (inclusive).")


@strawberry.input(description="A price range in the buyer's currency (the list's `currency`).")
class SupplierMaterialPriceRangeInput:
    gte: Decimal | None = strawberry.field(
        default=None, description="At least this price per unit, in the buyer's currency (a decimal string)."
    )
    lte: Decimal | None = strawberry.field(
        default=None, description="At most this price per unit, in the buyer's currency."
    )


@strawberry.input(description="Which materials to list: every filter given must hold.")
class SupplierMaterialFilter:
    search: str | None = strawberry.field(default=None, description="In the name, SKU or composition.")
    kind: MaterialKindEnum | None = strawberry.field(default=None, description="Only fabrics or only trims.")  # type: ignore[valid-type]
    trim_type: TrimTypeEnum | None = strawberry.field(default=None, description="Trims of this type only.")  # type: ignore[valid-type]
    composition: str | None = strawberry.field(default=None, description="Contained in the composition.")
    weight_gsm: SupplierMaterialIntRangeInput | None = strawberry.field(default=None, description="Fabrics only.")
    width_cm: SupplierMaterialIntRangeInput | None = strawberry.field(default=None, description="Width in centimetres.")
    colour: str | None = strawberry.field(default=None, description="Exactly this colour, whatever its case.")
    price_range: SupplierMaterialPriceRangeInput | None = strawberry.field(
        default=None, description="Per unit, in the buyer's currency; materials without an exchange rate are left out."
    )
    in_stock: bool | None = strawberry.field(default=None, description="True: some in stock; false: none.")
    lead_time_max: int | None = strawberry.field(default=None, description="At most this many days to restock.")
    supplier: relay.GlobalID | None = strawberry.field(default=None, description="Only this Supplier's materials.")
    country: str | None = strawberry.field(default=None, description="The supplier's country (ISO 3166-1 alpha-2).")


@strawberry.input(description="The order of the list; RELEVANCE is always best first (its direction is ignored).")
class SupplierMaterialSortInput:
    field: SortFieldEnum = strawberry.field(default=SortField.RELEVANCE, description="RELEVANCE, PRICE or LEAD_TIME.")  # type: ignore[valid-type]
    direction: SortDirection = strawberry.field(default=SortDirection.ASC, description="ASC or DESC.")


@strawberry.type(description="The supplier of a material or an order.")
class SupplierSummary:
    id: relay.GlobalID = strawberry.field(description="The Supplier's global ID.")
    name: str = strawberry.field(description="The supplier's trading (legal) name.")
    country: str = strawberry.field(description="ISO 3166-1 alpha-2, like ID.")
    city: str = strawberry.field(description="Where it is based.")

    @classmethod
    def of(cls, row: Supplier) -> SupplierSummary:
        return cls(id=encode_id("Supplier", row.id), name=row.legal_name, country=row.country, city=row.city)


@strawberry.type(description="A fabric or a trim an approved supplier sells, as a buyer sees it.")
class SupplierMaterial:
    id: relay.GlobalID = strawberry.field(description="A Fabric's or a Trim's ID: what an order line names.")
    kind: MaterialKindEnum = strawberry.field(description="A fabric or a trim.")  # type: ignore[valid-type]
    trim_type: TrimTypeEnum | None = strawberry.field(description="What a trim is; null for a fabric.")  # type: ignore[valid-type]
    sku: str = strawberry.field(description="The supplier's SKU.")
    name: str = strawberry.field(description="Its name.")
    composition: str = strawberry.field(description="What it is made of, like 100% cotton.")
    colour: str = strawberry.field(description="Its colour, as the supplier names it.")
    pattern: str = strawberry.field(description="Its pattern, if any.")
    weight_gsm: int | None = strawberry.field(
        description="A fabric's weight in grams per square metre; null for trims."
    )
    width_cm: int | None = strawberry.field(description="Width in centimetres; null if not given.")
    unit: str = strawberry.field(description="METRE or PIECE: what the price, stock and minimum order count.")
    price: MoneyType = strawberry.field(description="Per unit, in the supplier's currency.")
    buyer_price: MoneyType | None = strawberry.field(
        description="Per unit in the buyer's currency at today's exchange rate; null when there is no rate."
    )
    stock: Decimal = strawberry.field(description="In stock, in its unit (metres or pieces).")
    min_order: Decimal = strawberry.field(description="The least one order may ask for, in its unit.")
    lead_time_days: int = strawberry.field(description="Days the supplier needs before shipping.")
    images: list[str] = strawberry.field(description="Image URLs (https).")
    supplier: SupplierSummary = strawberry.field(description="Who sells it.")

    @classmethod
    def of(cls, item: Material) -> SupplierMaterial:
        row: Any = item.row
        fabric = item.kind == MaterialKind.FABRIC
        return cls(
            id=encode_id("Fabric" if fabric else "Trim", row.id),
            kind=item.kind,
            trim_type=None if fabric else row.trim_type,
            sku=row.sku,
            name=row.name,
            composition=row.composition,
            colour=row.colour,
            pattern=row.pattern,
            weight_gsm=row.weight_gsm if fabric else None,
            width_cm=row.width_cm,
            unit=item.unit,
            price=MoneyType.of(item.price.amount, item.price.currency),
            buyer_price=MoneyType.of(item.buyer_price.amount, item.buyer_price.currency) if item.buyer_price else None,
            stock=item.stock,
            min_order=item.min_order,
            lead_time_days=row.lead_time_days,
            images=list(row.images),
            supplier=SupplierSummary.of(item.supplier),
        )


def material_query(wanted: SupplierMaterialFilter, sort: SupplierMaterialSortInput) -> MaterialQuery:
    weight = wanted.weight_gsm or SupplierMaterialIntRangeInput()
    width = wanted.width_cm or SupplierMaterialIntRangeInput()
    price = wanted.price_range or SupplierMaterialPriceRangeInput()
    return MaterialQuery(
        search=wanted.search,
        kind=MaterialKind(wanted.kind) if wanted.kind else None,
        trim_type=wanted.trim_type,
        composition=wanted.composition,
        weight_min=weight.gte,
        weight_max=weight.lte,
        width_min=width.gte,
        width_max=width.lte,
        colour=wanted.colour,
        price_min=_amount(price.gte, "filter.priceRange.gte"),
        price_max=_amount(price.lte, "filter.priceRange.lte"),
        in_stock=wanted.in_stock,
        lead_time_max=wanted.lead_time_max,
        supplier_id=decode_id(wanted.supplier, "Supplier", "filter.supplier") if wanted.supplier else None,
        country=wanted.country,
        sort=SortField(sort.field),
        descending=sort.direction == SortDirection.DESC,
    )


def _amount(value: Decimal | None, field: str) -> Decimal | None:
    if value is None:
        return None
    try:
        return parse_amount(value)
    except (TypeError, ValueError):
        raise DomainError("INVALID_FILTER", "Give a decimal amount.", field) from None


# --- orders -------------------------------------------------------------------------------------------------


@strawberry.type(description="Where a purchase order goes.")
class SupplierOrderAddress:
    name: str = strawberry.field(description="Who receives it.")
    line1: str = strawberry.field(description="Street and number.")
    line2: str = strawberry.field(description="More of the address.")
    city: str = strawberry.field(description="City.")
    province: str = strawberry.field(description="Province or state.")
    postal_code: str = strawberry.field(description="Postal code.")
    country: str = strawberry.field(description="ISO 3166-1 alpha-2, like ID.")
    phone: str = strawberry.field(description="A phone number to call on delivery.")


@strawberry.input(description="Where a purchase order goes: name, line1, city and country are required.")
class SupplierOrderAddressInput:
    name: str = strawberry.field(description="Who receives it (REQUIRED).")
    line1: str = strawberry.field(description="Street and number (REQUIRED).")
    city: str = strawberry.field(description="City (REQUIRED).")
    country: str = strawberry.field(description="ISO 3166-1 alpha-2, like ID.")
    line2: str = strawberry.field(default="", description="More of the address.")
    province: str = strawberry.field(default="", description="Province or state.")
    postal_code: str = strawberry.field(default="", description="Postal code.")
    phone: str = strawberry.field(default="", description="A phone number to call on delivery.")


@strawberry.type(description="Who buys: a brand, or a tailor or workshop.")
class SupplierOrderBuyer:
    brand_id: relay.GlobalID | None = strawberry.field(description="The buying Brand's ID; null when a tailor buys.")
    brand_slug: str | None = strawberry.field(description="The buying brand's slug; null when a tailor buys.")
    tailor_id: relay.GlobalID | None = strawberry.field(description="The buying Tailor's ID; null when a brand buys.")
    name: str = strawberry.field(description="The brand's or the tailor's name.")


@strawberry.type(description="One material of a purchase order, its price and unit as they were when it was placed.")
class SupplierOrderLine:
    id: relay.GlobalID = strawberry.field(description="The line's global ID (disputes and proposals name it).")
    kind: MaterialKindEnum = strawberry.field(description="A fabric or a trim.")  # type: ignore[valid-type]
    material_id: relay.GlobalID = strawberry.field(description="The Fabric or Trim ordered.")
    sku: str = strawberry.field(description="The supplier's SKU, as when placed.")
    name: str = strawberry.field(description="The material's name, as when placed.")
    unit: str = strawberry.field(description="METRE or PIECE: what quantities count.")
    unit_price: MoneyType = strawberry.field(description="The price per unit when placed, in the supplier's currency.")
    requested_quantity: Decimal = strawberry.field(description="What the buyer asked for.")
    quantity: Decimal = strawberry.field(description="What is agreed: the request, or the accepted proposal.")
    proposed_quantity: Decimal | None = strawberry.field(description="What the supplier offers, while PROPOSED.")
    total: MoneyType = strawberry.field(description="unitPrice × quantity, in the supplier's currency.")
    buyer_total: MoneyType | None = strawberry.field(
        description="The total in the buyer's currency at the order's rate; null without one."
    )
    disputed: bool = strawberry.field(description="Whether the buyer disputes this line.")
    dispute_reason: str = strawberry.field(description="Why; empty unless disputed.")


@strawberry.type(description="A step of a purchase order's history.")
class SupplierOrderChange:
    from_status: StatusEnum | None = strawberry.field(description="The status before; null for the order's placing.")  # type: ignore[valid-type]
    to_status: StatusEnum = strawberry.field(description="The status after.")  # type: ignore[valid-type]
    party: PartyEnum = strawberry.field(description="Who moved it.")  # type: ignore[valid-type]
    note: str = strawberry.field(description="What they said (a reason, a tracking number, the line disputed).")
    created_at: datetime = strawberry.field(description="When (UTC).")


@strawberry.type(
    description="A raw-material purchase order from a brand or a tailor to one supplier. Seen only by the buyer "
    "(any staff of the buying brand, or the buying tailor) and the supplier's people; `node(id:)` refetches it "
    "for them and is null for anyone else."
)
class SupplierOrder(relay.Node):
    id: relay.NodeID[int]
    number: str = strawberry.field(description="PO-000123: the same for the buyer and the supplier.")
    status: StatusEnum = strawberry.field(description="Where it stands.")  # type: ignore[valid-type]
    origin: OriginEnum = strawberry.field(description="How it was raised.")  # type: ignore[valid-type]
    supplier: SupplierSummary = strawberry.field(description="Who it is ordered from.")
    buyer: SupplierOrderBuyer = strawberry.field(description="Who orders.")
    total: MoneyType = strawberry.field(description="In the supplier's currency.")
    buyer_total: MoneyType | None = strawberry.field(
        description="The total in the buyer's currency at the rate fixed when the order was placed; null without one."
    )
    exchange_rate: Decimal | None = strawberry.field(description="One unit of the supplier's currency in the buyer's.")
    delivery_address: SupplierOrderAddress = strawberry.field(description="Where it goes.")
    note: str = strawberry.field(description="The buyer's note to the supplier.")
    reason: str = strawberry.field(description="Why it was rejected, declined or cancelled, or the proposal's note.")
    carrier: str = strawberry.field(description="Who carries it, once shipped.")
    tracking_number: str = strawberry.field(description="The carrier's tracking number, once shipped.")
    tracking_url: str = strawberry.field(description="A link to follow the parcel, if given.")
    lines: list[SupplierOrderLine] = strawberry.field(description="What is ordered, in the order placed.")
    history: list[SupplierOrderChange] = strawberry.field(description="Every status it passed through, oldest first.")
    created_at: datetime = strawberry.field(description="When it was placed (UTC).")
    updated_at: datetime = strawberry.field(description="When it last changed (UTC).")

    @classmethod
    async def resolve_nodes(  # type: ignore[override]  # strawberry's overloads by `required`
        cls, *, info: Any, node_ids: list[str], required: bool = False
    ) -> list[SupplierOrder | None]:
        """`node(id:)`/`nodes(ids:)`: the orders the caller may see, mapped as a page is (five statements)."""
        actor = await info.context.actor()
        ids = [int(i) for i in node_ids if i.isdigit()]
        mapped = await map_orders(list(await OrderModel.filter(orders.visible(actor), id__in=ids)))
        return [mapped.get(int(i)) if i.isdigit() else None for i in node_ids]


@strawberry.type(description="What a purchase-order mutation answers: the order, or the errors.")
class SupplierOrderPayload:
    supplier_order: SupplierOrder | None = strawberry.field(description="The order as it now stands; null on errors.")
    errors: list[UserError] = strawberry.field(description="What was wrong (nothing was changed); empty on success.")


@strawberry.input(description="One material and how much of it, in its unit (metres or pieces).")
class SupplierOrderLineInput:
    material_id: relay.GlobalID = strawberry.field(description="A Fabric's or a Trim's ID (see supplierMaterials).")
    quantity: Decimal = strawberry.field(
        description=(
            "In the material's unit (metres or pieces, two decimals), at least its minimum order (BELOW_MINIMUM_ORDER)."
        )
    )


@strawberry.input(description="A purchase order to one supplier.")
class SupplierOrderCreateInput:
    supplier_id: relay.GlobalID = strawberry.field(
        description="The Supplier to order from (approved; NOT_FOUND otherwise)."
    )
    lines: list[SupplierOrderLineInput] = strawberry.field(
        description="One to 100 lines, each a material of that supplier and a quantity."
    )
    delivery_address: SupplierOrderAddressInput = strawberry.field(description="Where the supplier delivers.")
    note: str = strawberry.field(default="", description="For the supplier, at most 2000 characters.")
    brand: str | None = strawberry.field(
        default=None, description="The buying brand's slug; null: your only brand, or your tailor account."
    )


@strawberry.input(description="Why.")
class SupplierOrderReasonInput:
    reason: str = strawberry.field(default="", description="Why, at most 2000 characters.")


@strawberry.input(description="A line's proposed quantity (0: none of it).")
class SupplierOrderProposalLineInput:
    line_id: relay.GlobalID = strawberry.field(description="A SupplierOrderLine of this order.")
    quantity: Decimal = strawberry.field(
        description="What you can supply, in the line's unit: 0 up to what was asked (a decimal string)."
    )


@strawberry.input(description="Less than asked for some lines; the lines not named keep their quantity.")
class SupplierOrderProposeInput:
    lines: list[SupplierOrderProposalLineInput] = strawberry.field(
        description="The quantity offered for each line of the order."
    )
    note: str = strawberry.field(default="", description="For the buyer, at most 2000 characters.")


@strawberry.input(description="How the order travels.")
class SupplierOrderShipInput:
    tracking_number: str = strawberry.field(description="The carrier's tracking number, 1-100 characters (REQUIRED).")
    carrier: str = strawberry.field(default="", description="The carrier's name, like JNE; at most 100 characters.")
    tracking_url: str = strawberry.field(
        default="", description="An https:// link to follow the parcel; at most 500 characters (INVALID_TRACKING)."
    )


@strawberry.input(description="The line of what arrived that is wrong, and why.")
class SupplierOrderDisputeInput:
    line_id: relay.GlobalID = strawberry.field(
        description="The SupplierOrderLine disputed, of this order (NOT_FOUND otherwise; ALREADY_DISPUTED if it is)."
    )
    reason: str = strawberry.field(
        description="What is wrong with it, 1-2000 characters (REASON_REQUIRED, INVALID_REASON)."
    )


@strawberry.input(description="Which purchase orders to list.")
class SupplierOrderFilter:
    status: list[StatusEnum] | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Only orders in one of these statuses."
    )
    supplier: relay.GlobalID | None = strawberry.field(default=None, description="Only orders to this Supplier.")
    brand: str | None = strawberry.field(default=None, description="Orders of this brand (its slug).")
    origin: OriginEnum | None = strawberry.field(default=None, description="Only MANUAL or only SHORTFALL orders.")  # type: ignore[valid-type]


@strawberry.input(description="Order one supplier's short fabrics.")
class SupplierOrderFromShortfallInput:
    supplier_id: relay.GlobalID = strawberry.field(description="The Supplier whose short fabrics to order.")
    delivery_address: SupplierOrderAddressInput = strawberry.field(description="Where the supplier delivers.")
    fabric_ids: list[relay.GlobalID] | None = strawberry.field(default=None, description="Null: every short one.")
    note: str = strawberry.field(default="", description="For the supplier, at most 2000 characters.")
    brand: str | None = strawberry.field(default=None, description="The brand's slug, for staff of several brands.")


@strawberry.type(description="A fabric the brand's uncut made-to-measure garments hold more of than its supplier has.")
class SupplierFabricShortfall:
    fabric: SupplierMaterial = strawberry.field(description="The fabric short.")
    held_metres: Decimal = strawberry.field(description="Taken by the brand's garments not cut yet.")
    jobs: int = strawberry.field(description="How many of those garments.")
    on_hand_metres: Decimal = strawberry.field(description="What the supplier says it has.")
    on_order_metres: Decimal = strawberry.field(description="Already on the brand's purchase orders.")
    short_metres: Decimal = strawberry.field(description="held - onHand - onOrder, in metres.")
    to_order_metres: Decimal = strawberry.field(description="The short metres raised to the minimum order.")


async def map_orders(rows: list[OrderModel]) -> dict[int, SupplierOrder]:
    """The orders of a page with their lines, history, supplier and buyer: five statements for any page."""
    ids = [row.id for row in rows]
    if not ids:
        return {}
    lines: dict[int, list[LineModel]] = {i: [] for i in ids}
    for line in await LineModel.filter(order_id__in=ids).order_by("order_id", "position"):
        lines[line.order_id].append(line)
    history: dict[int, list[ChangeModel]] = {i: [] for i in ids}
    for change in await ChangeModel.filter(order_id__in=ids).order_by("order_id", "id"):
        history[change.order_id].append(change)
    suppliers = {s.id: s for s in await Supplier.filter(id__in=sorted({r.supplier_id for r in rows}))}
    brand_ids = sorted({r.brand_id for r in rows if r.brand_id is not None})
    tailor_ids = sorted({r.tailor_id for r in rows if r.tailor_id is not None})
    brands = {b.id: b for b in await Brand.filter(id__in=brand_ids)} if brand_ids else {}
    tailors = {t.id: t for t in await Tailor.filter(id__in=tailor_ids)} if tailor_ids else {}
    return {
        row.id: _order(row, lines[row.id], history[row.id], suppliers[row.supplier_id], brands, tailors) for row in rows
    }


def _order(
    row: OrderModel,
    lines: list[LineModel],
    history: list[ChangeModel],
    supplier: Supplier,
    brands: dict[int, Brand],
    tailors: dict[int, Tailor],
) -> SupplierOrder:
    brand = brands.get(row.brand_id) if row.brand_id else None
    tailor = tailors.get(row.tailor_id) if row.tailor_id else None
    address = dict(row.delivery_address)
    buyer_total = orders.buyer_money(row, Decimal(row.total))
    return SupplierOrder(
        id=row.id,
        number=f"PO-{row.id:06d}",
        status=row.status,
        origin=row.origin,
        supplier=SupplierSummary.of(supplier),
        buyer=SupplierOrderBuyer(
            brand_id=encode_id("Brand", brand.id) if brand else None,
            brand_slug=brand.slug if brand else None,
            tailor_id=encode_id("Tailor", tailor.id) if tailor else None,
            name=brand.name if brand else (tailor.display_name if tailor else ""),
        ),
        total=MoneyType.of(row.total, row.currency),
        buyer_total=MoneyType.of(buyer_total.amount, buyer_total.currency) if buyer_total else None,
        exchange_rate=row.buyer_rate,
        delivery_address=SupplierOrderAddress(**{name: str(address.get(name, "")) for name in orders.ADDRESS_FIELDS}),
        note=row.note,
        reason=row.reason,
        carrier=row.carrier,
        tracking_number=row.tracking_number,
        tracking_url=row.tracking_url,
        lines=[_line(row, line) for line in lines],
        history=[
            SupplierOrderChange(
                from_status=Status(c.from_status) if c.from_status else None,
                to_status=Status(c.to_status),
                party=c.party,
                note=c.note,
                created_at=c.created_at,
            )
            for c in history
        ],
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def _line(order: OrderModel, line: LineModel) -> SupplierOrderLine:
    buyer_total = orders.buyer_money(order, Decimal(line.total))
    fabric = line.kind == MaterialKind.FABRIC
    return SupplierOrderLine(
        id=encode_id("SupplierOrderLine", line.id),
        kind=line.kind,
        material_id=encode_id("Fabric" if fabric else "Trim", (line.fabric_id if fabric else line.trim_id) or 0),
        sku=line.sku,
        name=line.name,
        unit=line.unit,
        unit_price=MoneyType.of(line.unit_price, order.currency),
        requested_quantity=line.requested_quantity,
        quantity=line.quantity,
        proposed_quantity=line.proposed_quantity,
        total=MoneyType.of(line.total, order.currency),
        buyer_total=MoneyType.of(buyer_total.amount, buyer_total.currency) if buyer_total else None,
        disputed=line.disputed_at is not None,
        dispute_reason=line.dispute_reason,
    )


async def one_order(order: OrderModel) -> SupplierOrder:
    return (await map_orders([order]))[order.id]
