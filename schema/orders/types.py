"""Orders over GraphQL: the `Order` type, and a customer's own orders (`order(number:)`, `me { orders }`).

An order is rendered from a fixed set of queries whatever its size or the page's: `render_orders` has
`core.orders.queries.order_details` load the lines, taxes, shipments, payments, refunds and history of a whole
page at once (one query each), so a staff list of 100 orders costs what a list of 10 does. Who sees which order
(and which history entries) is decided there too. Staff fields and mutations are in `schema.orders.management`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, TypeVar

import strawberry
from strawberry import relay
from strawberry.scalars import JSON
from strawberry.types import Info

from core.customs.export import from_snapshot
from core.orders import queries
from core.orders.models import Order as OrderModel
from core.orders.models import OrderHistory, PaymentStatus, ShipmentStatus
from core.orders.models import OrderLine as OrderLineModel
from core.orders.models import Shipment as ShipmentModel
from core.orders.models import ShipmentEvent as ShipmentEventModel
from core.orders.models import ShipmentLine as ShipmentLineModel
from core.pagination import PageRequest, paginate
from core.payments.models import Payment as PaymentModel
from core.payments.models import Refund as RefundModel
from schema.actors.storefront import StorefrontSlug
from schema.customs import LandedCost
from schema.enums import OrderStatus, PaymentState, RefundState, described_enum
from schema.garments.custom_garment import CustomGarmentFabric, CustomGarmentMeasurement, CustomGarmentOption
from schema.garments.production import OrderProductionJob, order_jobs
from schema.loaders import grouped_loader
from schema.orders.paper_types import ShipmentDocument, shipment_documents
from schema.permissions import PUBLIC, SIGNED_IN, guard
from schema.relay import After, Connection, First, connection, row_id
from schema.scalars import Money
from schema.selections import asked_below

PaymentStatusEnum = described_enum(
    PaymentStatus,
    name="PaymentStatus",
    description="Where an order's money is.",
    values={
        "PENDING": "Not (fully) paid yet: a bank transfer not yet received, or a card payment not yet confirmed.",
        "PAID": "The total has been received.",
        "PARTIALLY_REFUNDED": "Part of what was paid has been returned.",
        "REFUNDED": "Everything paid has been returned.",
    },
)


@strawberry.type(description="A price with and without tax.")
class TaxedMoney:
    gross: Money = strawberry.field(description="The amount with tax included.")
    net: Money = strawberry.field(description="The amount without tax.")


@strawberry.type(
    description="An address as a checkout or order keeps it (a copy: later address-book edits do not change it)."
)
class PostalAddress:
    first_name: str = strawberry.field(description="The recipient's first name.")
    last_name: str = strawberry.field(description="The recipient's last name; may be empty.")
    company: str = strawberry.field(description="The company, if any; may be empty.")
    street1: str = strawberry.field(description="The street and number.")
    street2: str = strawberry.field(description="More of the address (RT/RW, building, floor); may be empty.")
    city: str = strawberry.field(description="The city or regency (kota/kabupaten).")
    province: str = strawberry.field(description="The province or state; may be empty.")
    postal_code: str = strawberry.field(description="The postal code; may be empty.")
    country: str = strawberry.field(description="The country (ISO 3166-1 alpha-2, e.g. `ID`).")
    phone: str = strawberry.field(description="The phone number in E.164 form (`+62812…`); may be empty.")

    @classmethod
    def of(cls, value: dict[str, Any] | None) -> PostalAddress | None:
        if not value:
            return None
        return cls(**{name: str(value.get(name) or "") for name in cls.__annotations__})


@strawberry.type(description="The measurement profile version a garment was ordered with.")
class OrderLineMeasurementProfile:
    id: relay.GlobalID = strawberry.field(
        description=(
            "The MeasurementProfile's global ID (the profile may have changed since: `version` is the one used)."
        )
    )
    version: int = strawberry.field(
        description=("The profile's version the garment was ordered with (1 for the first, one more with each edit).")
    )


@strawberry.type(
    description="A made-to-measure garment as it was ordered: what the tailor makes it from (a snapshot: later "
    "profile, option or fabric changes do not touch it)."
)
class OrderLineCustomGarment:
    garment_type: str = strawberry.field(description="The garment type's code (e.g. `KEMEJA`).")
    size_band: str = strawberry.field(
        description=("The size band the measurements fall in, which priced the fabric (e.g. `M`, `XL`); may be empty.")
    )
    fabric: CustomGarmentFabric = strawberry.field(description="The fabric it is made of.")
    fabric_metres: Decimal = strawberry.field(description="Metres of fabric per garment.")
    options: list[CustomGarmentOption] = strawberry.field(
        description="The options chosen (collar, sleeve, monogram text…)."
    )
    measurements: list[CustomGarmentMeasurement] = strawberry.field(
        description="The body measurements it is made to, in centimetres."
    )
    profile: OrderLineMeasurementProfile | None = strawberry.field(
        description="Null when the measurements were typed in at checkout."
    )
    production_days: int = strawberry.field(description="Working days the making was quoted to take.")
    ready_by: date | None = strawberry.field(
        description="The date it was promised to be ready by (ISO 8601 date); null when none was quoted."
    )

    @classmethod
    def of(cls, snapshot: dict[str, Any] | None) -> OrderLineCustomGarment | None:
        if not snapshot:
            return None
        fabric, profile, ready_by = snapshot["fabric"], snapshot.get("profile"), snapshot.get("ready_by")
        return cls(
            garment_type=snapshot["garment_type"],
            size_band=snapshot.get("size_band") or "",
            fabric=CustomGarmentFabric(
                id=relay.GlobalID("Fabric", str(fabric["id"])), sku=fabric["sku"], name=fabric["name"]
            ),
            fabric_metres=Decimal(snapshot.get("fabric_metres") or 0),
            options=[
                CustomGarmentOption(group=o["group"], values=list(o.get("values") or []), text=o.get("text") or "")
                for o in snapshot.get("options") or []
            ],
            measurements=[
                CustomGarmentMeasurement(code=m["code"], cm=Decimal(m["cm"]))
                for m in snapshot.get("measurements") or []
            ],
            profile=OrderLineMeasurementProfile(
                id=relay.GlobalID("MeasurementProfile", str(profile["id"])), version=profile["version"]
            )
            if profile
            else None,
            production_days=int(snapshot.get("production_days") or 0),
            ready_by=date.fromisoformat(ready_by) if ready_by else None,
        )


@strawberry.type(
    description="A line as it was bought: names, SKU and prices are snapshots. A `Node`: `node(id:)` refetches it "
    "for whoever may see its order."
)
class OrderLine(relay.Node):
    id: relay.NodeID[int]
    product_name: str = strawberry.field(description="The product's name when ordered.")
    variant_name: str = strawberry.field(
        description=(
            "The variant when ordered: `size / colour` (e.g. `M / Hitam`), or `Made to measure / "
            "<fabric> / <size band>`; may be empty."
        )
    )
    sku: str = strawberry.field(description="The variant's SKU when ordered; may be empty.")
    quantity: int = strawberry.field(description="Units ordered.")
    quantity_shipped: int = strawberry.field(description="Units sent so far in shipments.")
    quantity_refunded: int = strawberry.field(description="Units refunded so far.")
    unit_price: TaxedMoney = strawberry.field(
        description="The price of one unit when ordered, before any discount, with and without tax."
    )
    total: Money = strawberry.field(description="Gross, after the line's share of any discount.")
    tax: Money = strawberry.field(description="The tax contained in `total`.")
    tax_rate: Decimal = strawberry.field(
        description="The tax rate applied, in percent (a Decimal string, `12` for 12%); 0 when untaxed."
    )
    custom_garment: OrderLineCustomGarment | None = strawberry.field(
        description="The made-to-measure garment's configuration; null for a ready-made line."
    )

    @classmethod
    def of(cls, row: OrderLineModel, currency: str) -> OrderLine:
        return cls(
            id=row.id,
            product_name=row.product_name,
            variant_name=row.variant_name,
            sku=row.sku,
            quantity=row.quantity,
            quantity_shipped=row.quantity_shipped,
            quantity_refunded=row.quantity_refunded,
            unit_price=TaxedMoney(
                gross=Money.of(row.unit_price_gross, currency), net=Money.of(row.unit_price_net, currency)
            ),
            total=Money.of(row.total_amount, currency),
            tax=Money.of(row.tax_amount, currency),
            tax_rate=row.tax_rate,
            custom_garment=OrderLineCustomGarment.of(row.custom_garment),
        )

    @classmethod
    async def resolve_nodes(
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[OrderLine | None]:
        """Visible to whoever sees its order (its customer, the brand's order staff)."""
        return await _order_children(info, OrderLineModel, node_ids, lambda order: order.lines)


@strawberry.type(description="A tax charged on the order, per rate.")
class OrderTaxLine:
    name: str = strawberry.field(description="The tax's name (e.g. `PPN`).")
    country: str = strawberry.field(description="The country whose tax it is (ISO 3166-1 alpha-2).")
    rate: Decimal = strawberry.field(
        description="The rate in percent (a Decimal string, `12` for 12%), applied to `base`."
    )
    base: Money = strawberry.field(
        description=(
            "The taxed base: the net amount, or the fraction of it the tax is levied on (PPN's DPP is 11/12 of it)."
        )
    )
    amount: Money = strawberry.field(description="The tax at this rate over the lines and shipping.")


@strawberry.type(description="Units of one order line in a shipment.")
class ShipmentLine:
    order_line_id: relay.GlobalID = strawberry.field(description="The `OrderLine.id` these units belong to.")
    quantity: int = strawberry.field(description="Units of that line in this parcel.")


ShipmentStatusEnum = described_enum(
    ShipmentStatus,
    name="ShipmentStatus",
    description="Where a parcel is, as its courier last said (the latest tracking event by when it happened).",
    values={
        "PENDING": "No tracking event yet (a parcel shipped without a courier that reports, or not yet scanned).",
        "LABEL_CREATED": "The courier has the booking and its label; the parcel is not collected yet.",
        "PICKED_UP": "The courier collected the parcel.",
        "IN_TRANSIT": "On its way between the courier's hubs.",
        "AT_CUSTOMS": "Held at customs of a country on its way (parcels abroad).",
        "OUT_FOR_DELIVERY": "With the driver for delivery today.",
        "DELIVERED": "Handed to the recipient.",
        "FAILED_ATTEMPT": "The courier tried to deliver and could not; it will try again or hold it.",
        "RETURNED": "Sent back to the brand.",
        "CANCELLED": "The courier booking was cancelled before the parcel left.",
    },
)


@strawberry.type(description="One thing the courier reported about a parcel.")
class ShipmentEvent:
    status: ShipmentStatusEnum = strawberry.field(  # type: ignore[valid-type]
        description="The parcel's status as of this event."
    )
    occurred_at: datetime = strawberry.field(description="When it happened at the courier (ISO 8601 with offset).")
    location: str = strawberry.field(description="Where, as the courier names it (e.g. `Bandung Hub`); may be empty.")
    description: str = strawberry.field(description="The courier's own words; may be empty.")
    source: str = strawberry.field(description="Who reported it: the courier plugin's name (e.g. `courier`).")

    @classmethod
    def of(cls, row: ShipmentEventModel) -> ShipmentEvent:
        return cls(
            status=ShipmentStatus(row.status),
            occurred_at=row.occurred_at,
            location=row.location,
            description=row.description,
            source=row.source,
        )


@strawberry.type(description="A courier's shipping label for a parcel, to print and stick on it.")
class ShipmentLabel:
    url: str = strawberry.field(description="Where the label file is (the media storage; an unguessable name).")
    format: str = strawberry.field(description="`PDF` (A6, for any printer) or `ZPL` (for thermal label printers).")


async def _events_by_shipment(ids: Iterable[int]) -> dict[int, list[ShipmentEventModel]]:
    grouped: dict[int, list[ShipmentEventModel]] = {}
    for row in await ShipmentEventModel.filter(shipment_id__in=list(ids)).order_by("occurred_at", "id"):
        grouped.setdefault(row.shipment_id, []).append(row)
    return grouped


@strawberry.type(
    description="A parcel sent to the customer. A `Node`: `node(id:)` refetches it for whoever may see its order."
)
class Shipment(relay.Node):
    id: relay.NodeID[int]
    carrier: str = strawberry.field(
        description="Who carries the parcel (e.g. `JNE`), as staff entered it; may be empty."
    )
    tracking_number: str = strawberry.field(description="The carrier's tracking number (resi); may be empty.")
    lines: list[ShipmentLine] = strawberry.field(description="What is in the parcel.")
    created_at: datetime = strawberry.field(description="When it was sent (ISO 8601 with offset).")
    status: ShipmentStatusEnum = strawberry.field(  # type: ignore[valid-type]
        description="Where the parcel is: the status of its latest tracking event by when it happened; PENDING "
        "before any."
    )
    tracking_url: str | None = strawberry.field(
        description="The courier's public tracking page for the parcel; null when the courier gave none."
    )
    label: ShipmentLabel | None = strawberry.field(
        description="The courier label bought for the parcel; null without one, and always null for the customer."
    )

    @strawberry.field(description="What the courier reported so far, oldest first (one query per response).")
    async def events(self, info: Info) -> list[ShipmentEvent]:
        extra = info.context.loaders.extra
        if "shipment_events" not in extra:
            extra["shipment_events"] = grouped_loader(_events_by_shipment)
        return [ShipmentEvent.of(row) for row in await extra["shipment_events"].load(self.id)]

    @strawberry.field(
        description="Its customs papers when it crosses a border (commercial invoice, then packing list), made "
        "when it was shipped and again only when their data changes; empty for a domestic parcel."
    )
    async def documents(self, info: Info) -> list[ShipmentDocument]:
        return await shipment_documents(info, self.id)

    @classmethod
    def of(cls, row: ShipmentModel, lines: Sequence[ShipmentLineModel], *, staff: bool = False) -> Shipment:
        return cls(
            id=row.id,
            carrier=row.carrier,
            tracking_number=row.tracking_number,
            lines=[
                ShipmentLine(order_line_id=relay.GlobalID("OrderLine", str(li.order_line_id)), quantity=li.quantity)
                for li in lines
            ],
            created_at=row.created_at,
            status=ShipmentStatus(row.status),
            tracking_url=row.tracking_url or None,
            label=ShipmentLabel(url=row.label_url, format=row.label_format) if staff and row.label_url else None,
        )

    @classmethod
    async def resolve_nodes(
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Shipment | None]:
        """Visible to whoever sees its order (its customer, the brand's order staff)."""
        return await _order_children(info, ShipmentModel, node_ids, lambda order: order.shipments)


@strawberry.type(
    description="A payment of the order, through one gateway. Its `id` is what `paymentMarkReceived` takes (bank "
    "transfers). A `Node`: `node(id:)` refetches it for whoever may see its order (IDs issued before it was a "
    "`Node`, of the form `Payment:<n>`, still resolve for now)."
)
class OrderPayment(relay.Node):
    id: relay.NodeID[int]
    gateway: str = strawberry.field(description="The gateway's id (e.g. `bank_transfer`, `stripe`).")
    state: PaymentState = strawberry.field(description="Where this payment attempt is.")  # type: ignore[valid-type]
    amount: Money = strawberry.field(description="What was asked for.")
    refunded: Money = strawberry.field(description="What has been returned of it so far; 0 when nothing.")
    psp_reference: str | None = strawberry.field(
        description="The gateway's own reference for the payment; null until it gives one."
    )
    action: JSON | None = strawberry.field(description="What the customer does next, e.g. transfer instructions.")
    expires_at: datetime | None = strawberry.field(
        description=(
            "When the gateway stops accepting it (e.g. a bank transfer's deadline; ISO 8601 with "
            "offset); null if it does not expire."
        )
    )
    created_at: datetime = strawberry.field(description="When the payment was started (ISO 8601 with offset).")

    @classmethod
    def of(cls, row: PaymentModel) -> OrderPayment:
        return cls(
            id=row.id,
            gateway=row.gateway,
            state=str(row.state),
            amount=Money.of(row.amount, row.currency),
            refunded=Money.of(row.refunded_amount, row.currency),
            psp_reference=row.psp_reference,
            action=row.action or None,
            expires_at=row.expires_at,
            created_at=row.created_at,
        )

    @classmethod
    async def resolve_nodes(
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[OrderPayment | None]:
        """Visible to whoever sees its order; a checkout's payment that has no order yet is not (only its
        checkout's token shows it, as `Checkout.payment`)."""
        return await _order_children(info, PaymentModel, node_ids, lambda order: order.payments)


@strawberry.type(
    description="Money returned to the customer. A `Node`: `node(id:)` refetches it for whoever may see its order."
)
class Refund(relay.Node):
    id: relay.NodeID[int]
    amount: Money = strawberry.field(description="What is returned, in the order's currency.")
    state: RefundState = strawberry.field(description="Where the refund is at the gateway.")  # type: ignore[valid-type]
    reason: str = strawberry.field(description="Why, as staff wrote it; may be empty.")
    lines: JSON = strawberry.field(description='[{"orderLineId", "quantity"}] when refunded by lines.')
    created_at: datetime = strawberry.field(description="When the refund was made (ISO 8601 with offset).")

    @classmethod
    def of(cls, row: RefundModel) -> Refund:
        return cls(
            id=row.id,
            amount=Money.of(row.amount, row.currency),
            state=str(row.state),
            reason=row.reason,
            lines=[
                {**line, "orderLineId": str(relay.GlobalID("OrderLine", str(line["orderLineId"])))}
                for line in row.lines
            ],
            created_at=row.created_at,
        )

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False) -> list[Refund | None]:
        """Visible to whoever sees its order (its customer, the brand's order staff)."""
        return await _order_children(info, RefundModel, node_ids, lambda order: order.refunds)


C = TypeVar("C", OrderLine, Shipment, OrderPayment, Refund)


async def _order_children(
    info: Info, model: Any, node_ids: Iterable[str], children: Callable[[Order], Sequence[C]]
) -> list[C | None]:
    """Rows that belong to an order, by id, as their order shows them: one query for the order ids, then the
    orders as `node(id:)` renders them (so who may see what is decided once, in `Order.resolve_nodes`)."""
    wanted = [row_id(str(node_id)) for node_id in node_ids]
    owners = dict(await model.filter(id__in=[i for i in wanted if i]).values_list("id", "order_id"))
    order_ids = {order_id for order_id in owners.values() if order_id is not None}
    orders = await Order.resolve_nodes(info=info, node_ids=[str(order_id) for order_id in order_ids])
    found = {child.id: child for order in orders if order is not None for child in children(order)}
    return [found.get(i) if i else None for i in wanted]


@strawberry.type(description="One change to the order: who, when, from which state to which.")
class OrderHistoryEntry:
    kind: str = strawberry.field(description="STATUS, PAYMENT_STATUS, PAYMENT, SHIPMENT, REFUND, NOTE, …")
    from_state: str = strawberry.field(
        description=(
            "The state before the change (one of PENDING, PAID, PARTIALLY_REFUNDED, REFUNDED for "
            "PAYMENT_STATUS entries, an order status for STATUS entries); empty for entries that are "
            "not a change of state."
        )
    )
    to_state: str = strawberry.field(
        description="The state after the change; empty for entries that are not a change of state."
    )
    actor: str = strawberry.field(description="user:<id>, app:<id> or SYSTEM.")
    message: str = strawberry.field(
        description="What happened, in words (a note, a tracking number, a refund reason); may be empty."
    )
    created_at: datetime = strawberry.field(description="When it happened (ISO 8601 with offset).")

    @classmethod
    def of(cls, row: OrderHistory) -> OrderHistoryEntry:
        return cls(
            kind=row.kind,
            from_state=row.from_state,
            to_state=row.to_state,
            actor=row.actor,
            message=row.message,
            created_at=row.created_at,
        )


@strawberry.type(description="An order: what was bought, at what price, and what has happened to it since.")
class Order(relay.Node):
    id: relay.NodeID[int]
    number: int = strawberry.field(description="Per brand, gapless.")
    status: OrderStatus = strawberry.field(  # type: ignore[valid-type]
        description="Where the order's fulfilment is (`OrderStatus`; plugins may add states)."
    )
    payment_status: PaymentStatusEnum = strawberry.field(  # type: ignore[valid-type]
        description=("Where the order's money is: PENDING until paid, then PAID, PARTIALLY_REFUNDED or REFUNDED.")
    )
    email: str = strawberry.field(description="Where order e-mails go.")
    currency: str = strawberry.field(description="The currency of every amount of the order (ISO 4217).")
    language: str = strawberry.field(description="The language the order was placed in (e.g. `id`, `en`).")
    lines: list[OrderLine] = strawberry.field(description="What was bought, in the checkout's order.")
    subtotal: Money = strawberry.field(description="The lines before discounts (gross).")
    discount_total: Money = strawberry.field(description="The voucher's discount (gross); 0 without one.")
    shipping_total: Money = strawberry.field(description="What shipping cost; 0 with free shipping.")
    tax_total: Money = strawberry.field(description="The tax contained in `total`.")
    total: Money = strawberry.field(
        description="What the customer pays: subtotal − discount + shipping, plus `dutiesTotal` when collected."
    )
    duties_total: Money = strawberry.field(
        description="Import duty and tax collected with the order for a DDP parcel abroad (refunded with it); 0 "
        "otherwise."
    )
    landed_cost: LandedCost | None = strawberry.field(
        description="The duty and import tax worked out at checkout for a parcel abroad (collected when "
        "`dutiesTotal` is not 0, else the buyer's estimate); null for a domestic order."
    )
    paid_total: Money = strawberry.field(description="What has been received so far.")
    refunded_total: Money = strawberry.field(description="What has been returned so far.")
    voucher_code: str = strawberry.field(description="The voucher code used; empty when none.")
    tax_lines: list[OrderTaxLine] = strawberry.field(
        description="The taxes charged, one per tax name, country and rate."
    )
    shipping_address: PostalAddress | None = strawberry.field(
        description="Where the parcel goes (a copy taken at checkout)."
    )
    billing_address: PostalAddress | None = strawberry.field(
        description="The billing address (a copy taken at checkout): the shipping address when the shopper gave none."
    )
    delivery_method_name: str = strawberry.field(
        description="The delivery method chosen at checkout (e.g. `JNE Reguler`); empty if none."
    )
    customer_note: str = strawberry.field(description="The customer's note to the brand; may be empty.")
    shipments: list[Shipment] = strawberry.field(description="Parcels sent so far, oldest first.")
    payments: list[OrderPayment] = strawberry.field(description="Payments of the order, oldest first.")
    refunds: list[Refund] = strawberry.field(description="Refunds made, oldest first.")
    history: list[OrderHistoryEntry] = strawberry.field(
        description=(
            "What has happened to the order, oldest first; the customer does not see staff notes and review remarks."
        )
    )
    payment_due_at: datetime | None = strawberry.field(description="An unpaid order is cancelled after this.")
    needs_review: bool = strawberry.field(description="A payment did not match: staff look before shipping.")
    review_reason: str = strawberry.field(
        description="Why the order needs review; empty for the customer and when it does not."
    )
    created_at: datetime = strawberry.field(description="When the order was placed (ISO 8601 with offset).")

    @strawberry.field(
        description="Its made-to-measure garments and how their making goes (stage, ready date, the steps so far)."
    )
    async def production_jobs(self, info: Info) -> list[OrderProductionJob]:
        return await order_jobs(info, self.id)

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False) -> list[Order | None]:
        """Visible to its customer and to staff who manage the brand's orders."""
        actor = await info.context.actor()
        rows = await queries.visible_orders(actor, [int(i) for i in node_ids if str(i).isdigit()])
        rendered = {o.id: o for o in await render_orders(rows, staff=lambda row: queries.sees_staff_view(actor, row))}
        return [rendered.get(int(i)) if str(i).isdigit() else None for i in node_ids]


# The fields of Order that read each of `queries.order_details`'s relations.
_DETAIL_FIELDS = {
    "lines": "lines",
    "taxLines": "taxes",
    "shipments": "shipments",
    "payments": "payments",
    "refunds": "refunds",
    "history": "history",
}


def order_details_asked(info: Info, *path: str) -> frozenset[str]:
    """The relations an order's answer needs when the document asks it at `path` (e.g. "order" in a payload):
    `checkoutComplete { order { number } }` needs none, so completing a checkout reads nothing back."""
    return frozenset(part for name, part in _DETAIL_FIELDS.items() if name in asked_below(info, *path))


async def render_orders(
    rows: Sequence[OrderModel], *, staff: Any = False, details: frozenset[str] = queries.DETAILS
) -> list[Order]:
    """GraphQL orders for model rows, in at most seven queries for the lot (fewer when `details` leaves some
    relations out: those fields then read as empty lists, so pass `order_details_asked(info, …)`). `staff` (a
    bool, or a function of the row) says whether staff-only history (notes, review remarks) is shown."""
    found = await queries.order_details([row.id for row in rows], details)
    rendered = []
    for row in rows:
        shows_all = staff(row) if callable(staff) else bool(staff)
        c = row.currency
        rendered.append(
            Order(
                id=row.id,
                number=row.number,
                status=str(row.status),
                payment_status=PaymentStatus(row.payment_status),
                email=row.email,
                currency=c,
                language=row.language,
                lines=[OrderLine.of(line, c) for line in found.lines.get(row.id, [])],
                subtotal=Money.of(row.subtotal_amount, c),
                discount_total=Money.of(row.discount_amount, c),
                shipping_total=Money.of(row.shipping_amount, c),
                tax_total=Money.of(row.tax_amount, c),
                total=Money.of(row.total_amount, c),
                duties_total=Money.of(row.duties_amount, c),
                landed_cost=LandedCost.of(from_snapshot(row.landed_cost)) if row.landed_cost else None,
                paid_total=Money.of(row.paid_amount, c),
                refunded_total=Money.of(row.refunded_amount, c),
                voucher_code=row.voucher_code,
                tax_lines=[
                    OrderTaxLine(
                        name=t.name,
                        country=t.country,
                        rate=t.rate,
                        base=Money.of(t.base_amount, c),
                        amount=Money.of(t.amount, c),
                    )
                    for t in found.taxes.get(row.id, [])
                ],
                shipping_address=PostalAddress.of(row.shipping_address),
                billing_address=PostalAddress.of(row.billing_address),
                delivery_method_name=row.delivery_method_name,
                customer_note=row.customer_note,
                shipments=[
                    Shipment.of(s, found.shipment_lines.get(s.id, []), staff=shows_all)
                    for s in found.shipments.get(row.id, [])
                ],
                payments=[OrderPayment.of(p) for p in found.payments.get(row.id, [])],
                refunds=[Refund.of(r) for r in found.refunds.get(row.id, [])],
                history=[
                    OrderHistoryEntry.of(h)
                    for h in queries.shown_history(found.history.get(row.id, []), staff=shows_all)
                ],
                payment_due_at=row.payment_due_at,
                needs_review=row.needs_review,
                review_reason=row.review_reason if shows_all else "",
                created_at=row.created_at,
            )
        )
    return rendered


async def render_order(
    row: OrderModel | None, *, staff: bool = False, details: frozenset[str] = queries.DETAILS
) -> Order | None:
    """One order for a payload (e.g. `checkoutComplete`'s), or None."""
    return (await render_orders([row], staff=staff, details=details))[0] if row is not None else None


async def account_orders(
    root: Any,
    info: Info,
    first: First = None,
    after: After = None,
    storefront: Annotated[
        str | None,
        strawberry.argument(
            description=(
                "Only the orders at this brand (a slug); all the account's orders, at every brand, when not given."
            )
        ),
    ] = None,
) -> Connection[Order]:
    """The signed-in account's orders, newest first; `storefront` narrows them to one brand."""
    actor = await info.context.actor()
    brand_id = (await info.context.storefront(storefront)).id if storefront else None
    queryset = queries.account_orders(actor, root.id, brand_id=brand_id)
    limits = info.context.settings.graphql
    page = await paginate(
        queryset,
        PageRequest(first=first, after=after),
        order=("-id",),
        key="orders:mine",
        default_size=limits.default_page_size,
        max_size=limits.max_page_size,
    )
    rendered = {o.id: o for o in await render_orders(page.items)}
    return connection(page, lambda row: rendered[row.id])


@strawberry.type
class OrderQuery:
    @strawberry.field(
        **guard(
            "One of the signed-in customer's orders at this storefront, by its number; null if there is none.",
            SIGNED_IN,
        )
    )
    async def order(
        self,
        info: Info,
        number: Annotated[int, strawberry.argument(description="The order's `number` at this storefront.")],
        storefront: StorefrontSlug = None,
    ) -> Order | None:
        actor = await info.context.actor()
        brand = await info.context.storefront(storefront)
        return await render_order(await queries.visible_order(actor, brand.id, number))

    @strawberry.field(
        **guard(
            "The order a checkout became, by that checkout's `token`: how a guest's confirmation page reads its "
            "order (status, totals, payment instructions) after `checkoutComplete`, for 72 hours or until its "
            "payment is due, whichever is later. An order placed signed in is found only by the same customer; an "
            "unknown or older token, or another storefront's: null.",
            PUBLIC,
        )
    )
    async def order_by_token(
        self,
        info: Info,
        token: Annotated[
            str,
            strawberry.argument(description="The `token` of the checkout that `checkoutComplete` made the order of."),
        ],
        storefront: StorefrontSlug = None,
    ) -> Order | None:
        actor = await info.context.actor()
        brand = await info.context.storefront(storefront)
        return await render_order(await queries.order_by_checkout_token(actor, brand.id, token))


QUERIES = (OrderQuery,)
MUTATIONS = ()
TYPES = (Order,)
