"""Orders over GraphQL: the `Order` type, and a customer's own orders (`order(number:)`, `me { orders }`).

An order is rendered from a fixed set of queries whatever its size or the page's: `render_orders` has
`core.orders.queries.order_details` load the lines, taxes, shipments, payments, refunds and history of a whole
page at once (one query each), so a staff list of 100 orders costs what a list of 10 does. Who sees which order
(and which history entries) is decided there too. Staff fields and mutations are in `schema.orders.management`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import strawberry
from strawberry import relay
from strawberry.scalars import JSON
from strawberry.types import Info

from core.orders import queries
from core.orders.models import Order as OrderModel
from core.orders.models import OrderHistory, PaymentStatus
from core.orders.models import OrderLine as OrderLineModel
from core.orders.models import Shipment as ShipmentModel
from core.orders.models import ShipmentLine as ShipmentLineModel
from core.pagination import PageRequest, paginate
from core.payments.models import Payment as PaymentModel
from core.payments.models import Refund as RefundModel
from schema.enums import OrderStatus, PaymentState, RefundState
from schema.garments.custom_garment import CustomGarmentFabric, CustomGarmentMeasurement, CustomGarmentOption
from schema.garments.production import OrderProductionJob, order_jobs
from schema.permissions import SIGNED_IN, guard
from schema.relay import Connection, connection
from schema.scalars import Money

PaymentStatusEnum = strawberry.enum(PaymentStatus, name="PaymentStatus", description="Where an order's money is.")


@strawberry.type(description="A price with and without tax.")
class TaxedMoney:
    gross: Money
    net: Money


@strawberry.type(
    description="An address as a checkout or order keeps it (a copy: later address-book edits do not change it)."
)
class PostalAddress:
    first_name: str
    last_name: str
    company: str
    street1: str
    street2: str
    city: str
    province: str
    postal_code: str
    country: str
    phone: str

    @classmethod
    def of(cls, value: dict[str, Any] | None) -> PostalAddress | None:
        if not value:
            return None
        return cls(**{name: str(value.get(name) or "") for name in cls.__annotations__})


@strawberry.type(description="The measurement profile version a garment was ordered with.")
class OrderLineMeasurementProfile:
    id: relay.GlobalID
    version: int


@strawberry.type(
    description="A made-to-measure garment as it was ordered: what the tailor makes it from (a snapshot: later "
    "profile, option or fabric changes do not touch it)."
)
class OrderLineCustomGarment:
    garment_type: str
    size_band: str
    fabric: CustomGarmentFabric
    fabric_metres: Decimal = strawberry.field(description="Metres of fabric per garment.")
    options: list[CustomGarmentOption]
    measurements: list[CustomGarmentMeasurement]
    profile: OrderLineMeasurementProfile | None = strawberry.field(
        description="Null when the measurements were typed in at checkout."
    )
    production_days: int
    ready_by: date | None

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


@strawberry.type(description="A line as it was bought: names, SKU and prices are snapshots.")
class OrderLine:
    id: relay.GlobalID
    product_name: str
    variant_name: str
    sku: str
    quantity: int
    quantity_shipped: int
    quantity_refunded: int
    unit_price: TaxedMoney
    total: Money = strawberry.field(description="Gross, after the line's share of any discount.")
    tax: Money
    tax_rate: Decimal
    custom_garment: OrderLineCustomGarment | None = strawberry.field(
        description="The made-to-measure garment's configuration; null for a ready-made line."
    )

    @classmethod
    def of(cls, row: OrderLineModel, currency: str) -> OrderLine:
        return cls(
            id=relay.GlobalID("OrderLine", str(row.id)),
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


@strawberry.type(description="A tax charged on the order, per rate.")
class OrderTaxLine:
    name: str
    country: str
    rate: Decimal
    base: Money
    amount: Money


@strawberry.type(description="Units of one order line in a shipment.")
class ShipmentLine:
    order_line_id: relay.GlobalID
    quantity: int


@strawberry.type(description="A parcel sent to the customer.")
class Shipment:
    id: relay.GlobalID
    carrier: str
    tracking_number: str
    lines: list[ShipmentLine]
    created_at: datetime

    @classmethod
    def of(cls, row: ShipmentModel, lines: Sequence[ShipmentLineModel]) -> Shipment:
        return cls(
            id=relay.GlobalID("Shipment", str(row.id)),
            carrier=row.carrier,
            tracking_number=row.tracking_number,
            lines=[
                ShipmentLine(order_line_id=relay.GlobalID("OrderLine", str(li.order_line_id)), quantity=li.quantity)
                for li in lines
            ],
            created_at=row.created_at,
        )


@strawberry.type(description="A payment of the order, through one gateway.")
class OrderPayment:
    id: relay.GlobalID = strawberry.field(description="Pass to `paymentMarkReceived` (bank transfers).")
    gateway: str
    state: PaymentState = strawberry.field(description="Where this payment attempt is.")  # type: ignore[valid-type]
    amount: Money
    refunded: Money
    psp_reference: str | None
    action: JSON | None = strawberry.field(description="What the customer does next, e.g. transfer instructions.")
    expires_at: datetime | None
    created_at: datetime

    @classmethod
    def of(cls, row: PaymentModel) -> OrderPayment:
        return cls(
            id=relay.GlobalID("Payment", str(row.id)),
            gateway=row.gateway,
            state=str(row.state),
            amount=Money.of(row.amount, row.currency),
            refunded=Money.of(row.refunded_amount, row.currency),
            psp_reference=row.psp_reference,
            action=row.action or None,
            expires_at=row.expires_at,
            created_at=row.created_at,
        )


@strawberry.type(description="Money returned to the customer.")
class Refund:
    id: relay.GlobalID
    amount: Money
    state: RefundState = strawberry.field(description="Where the refund is at the gateway.")  # type: ignore[valid-type]
    reason: str
    lines: JSON = strawberry.field(description='[{"orderLineId", "quantity"}] when refunded by lines.')
    created_at: datetime

    @classmethod
    def of(cls, row: RefundModel) -> Refund:
        return cls(
            id=relay.GlobalID("Refund", str(row.id)),
            amount=Money.of(row.amount, row.currency),
            state=str(row.state),
            reason=row.reason,
            lines=[
                {**line, "orderLineId": str(relay.GlobalID("OrderLine", str(line["orderLineId"])))}
                for line in row.lines
            ],
            created_at=row.created_at,
        )


@strawberry.type(description="One change to the order: who, when, from which state to which.")
class OrderHistoryEntry:
    kind: str = strawberry.field(description="STATUS, PAYMENT_STATUS, PAYMENT, SHIPMENT, REFUND, NOTE, …")
    from_state: str
    to_state: str
    actor: str = strawberry.field(description="user:<id>, app:<id> or SYSTEM.")
    message: str
    created_at: datetime

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
    payment_status: PaymentStatusEnum  # type: ignore[valid-type]
    email: str
    currency: str
    language: str
    lines: list[OrderLine]
    subtotal: Money
    discount_total: Money
    shipping_total: Money
    tax_total: Money
    total: Money
    paid_total: Money
    refunded_total: Money
    voucher_code: str
    tax_lines: list[OrderTaxLine]
    shipping_address: PostalAddress | None
    billing_address: PostalAddress | None
    delivery_method_name: str
    customer_note: str
    shipments: list[Shipment]
    payments: list[OrderPayment]
    refunds: list[Refund]
    history: list[OrderHistoryEntry]
    payment_due_at: datetime | None = strawberry.field(description="An unpaid order is cancelled after this.")
    needs_review: bool = strawberry.field(description="A payment did not match: staff look before shipping.")
    review_reason: str
    created_at: datetime

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


async def render_orders(rows: Sequence[OrderModel], *, staff: Any = False) -> list[Order]:
    """GraphQL orders for model rows, in seven queries for the lot. `staff` (a bool, or a function of the row)
    says whether staff-only history (notes, review remarks) is shown."""
    details = await queries.order_details([row.id for row in rows])
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
                lines=[OrderLine.of(line, c) for line in details.lines.get(row.id, [])],
                subtotal=Money.of(row.subtotal_amount, c),
                discount_total=Money.of(row.discount_amount, c),
                shipping_total=Money.of(row.shipping_amount, c),
                tax_total=Money.of(row.tax_amount, c),
                total=Money.of(row.total_amount, c),
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
                    for t in details.taxes.get(row.id, [])
                ],
                shipping_address=PostalAddress.of(row.shipping_address),
                billing_address=PostalAddress.of(row.billing_address),
                delivery_method_name=row.delivery_method_name,
                customer_note=row.customer_note,
                shipments=[
                    Shipment.of(s, details.shipment_lines.get(s.id, [])) for s in details.shipments.get(row.id, [])
                ],
                payments=[OrderPayment.of(p) for p in details.payments.get(row.id, [])],
                refunds=[Refund.of(r) for r in details.refunds.get(row.id, [])],
                history=[
                    OrderHistoryEntry.of(h)
                    for h in queries.shown_history(details.history.get(row.id, []), staff=shows_all)
                ],
                payment_due_at=row.payment_due_at,
                needs_review=row.needs_review,
                review_reason=row.review_reason if shows_all else "",
                created_at=row.created_at,
            )
        )
    return rendered


async def render_order(row: OrderModel | None, *, staff: bool = False) -> Order | None:
    """One order for a payload (e.g. `checkoutComplete`'s), or None."""
    return (await render_orders([row], staff=staff))[0] if row is not None else None


async def account_orders(
    root: Any, info: Info, first: int | None = None, after: str | None = None, storefront: str | None = None
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
    async def order(self, info: Info, number: int, storefront: str | None = None) -> Order | None:
        actor = await info.context.actor()
        brand = await info.context.storefront(storefront)
        return await render_order(await queries.visible_order(actor, brand.id, number))


QUERIES = (OrderQuery,)
MUTATIONS = ()
TYPES = (Order,)
