"""Brand staff handling orders over GraphQL (permission MANAGE_ORDERS): the `orders` list, cancelling,
shipping, delivery, refunds, notes, and confirming bank transfers.

Resolvers translate only: IDs are decoded inside `attempt` (a wrong ID is a user error) and the brand check
happens in the core service, on the order the ID names. After every mutation the order events its
transaction wrote are delivered to plugins (`core.outbox.after_commit`), after the commit.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from datetime import datetime
from decimal import Decimal
from typing import Annotated, TypeVar

import strawberry
from strawberry import relay
from strawberry.types import Info
from tortoise.expressions import Q
from tortoise.queryset import QuerySet

from core.actors import brands
from core.auth.models import User as UserModel
from core.auth.permissions import Permission
from core.catalog.media import LocalStorage
from core.orders import customers, services
from core.orders.models import Order as OrderModel
from core.orders.models import PaymentStatus
from core.orders.models import Shipment as ShipmentModel
from core.outbox import after_commit
from core.pagination import PageRequest, paginate
from core.payments.models import Refund as RefundModel
from schema.arguments import BrandSlug, OrderId
from schema.context import STOREFRONT_HEADER
from schema.enums import OrderStatus
from schema.errors import UserError, attempt
from schema.orders.types import Order, OrderPayment, PaymentStatusEnum, Refund, Shipment, render_order, render_orders
from schema.permissions import BrandPermission, guard
from schema.relay import After, Connection, First, connection, decode_id, row_id

MANAGE_ORDERS = BrandPermission(Permission.MANAGE_ORDERS)
T = TypeVar("T")


@strawberry.input(description="A time range; either end may be left open.")
class DateTimeRangeInput:
    gte: datetime | None = strawberry.field(
        default=None, description="From this moment on, inclusive (ISO 8601 with offset)."
    )
    lte: datetime | None = strawberry.field(
        default=None, description="Up to this moment, inclusive (ISO 8601 with offset)."
    )


@strawberry.input(description="Every condition given must hold.")
class OrderFilter:
    status: list[OrderStatus] | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Any of these statuses."
    )
    payment_status: list[PaymentStatusEnum] | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Any of these payment statuses."
    )
    customer: str | None = strawberry.field(default=None, description="The customer's e-mail, exactly.")
    created_at: DateTimeRangeInput | None = strawberry.field(default=None, description="Placed within this range.")
    search: str | None = strawberry.field(default=None, description="An order number, or part of an e-mail.")


@strawberry.input(description="Units of one order line put in the parcel.")
class ShipmentLineInput:
    order_line_id: relay.GlobalID = strawberry.field(
        description="The `OrderLine.id`; not a line of this order, or listed twice: INVALID."
    )
    quantity: int = strawberry.field(
        description="1 up to the units of the line not yet shipped, else INVALID_QUANTITY."
    )


@strawberry.input(description="A parcel: who carries it and which units of which lines are in it.")
class ShipmentCreateInput:
    carrier: str = strawberry.field(
        description=("Who carries the parcel (e.g. `JNE`); required (REQUIRED), at most 100 characters (INVALID).")
    )
    tracking_number: str = strawberry.field(
        default="", description="The carrier's tracking number (resi); at most 100 characters."
    )
    lines: list[ShipmentLineInput] = strawberry.field(
        description="What is in the parcel; at least one line (REQUIRED)."
    )


@strawberry.input(description="Units of one order line to refund, at the line's price after discount, tax included.")
class OrderRefundLineInput:
    order_line_id: relay.GlobalID = strawberry.field(
        description="The `OrderLine.id`; not a line of this order, or listed twice: INVALID."
    )
    quantity: int = strawberry.field(
        description="1 up to the units of the line not yet refunded, else INVALID_QUANTITY."
    )


@strawberry.input(description="Refund an `amount`, or `lines` (their price after discount, tax included).")
class OrderRefundInput:
    amount: Decimal | None = strawberry.field(
        default=None,
        description=(
            "An amount in the order's currency (a Decimal string, more than zero, at most the "
            "currency's decimals); not with `lines` (INVALID)."
        ),
    )
    lines: list[OrderRefundLineInput] | None = strawberry.field(
        default=None, description="The lines to refund, instead of an `amount`."
    )
    reason: str = strawberry.field(
        default="", description="Why, for the order's history and the customer; at most 2000 characters."
    )


@strawberry.type(description="The order after the change, or the errors and no change.")
class OrderPayload:
    order: Order | None = strawberry.field(
        default=None, description="The order as it is now, with staff-only history; null when refused."
    )
    errors: list[UserError] = strawberry.field(
        default_factory=list, description="Why the change was refused; empty on success."
    )


@strawberry.type(description="The shipment made and its order.")
class ShipmentCreatePayload:
    shipment: Shipment | None = strawberry.field(default=None, description="The new shipment; null when refused.")
    order: Order | None = strawberry.field(
        default=None,
        description=("The order with the shipment (its status PARTIALLY_SHIPPED or SHIPPED); null when refused."),
    )
    errors: list[UserError] = strawberry.field(
        default_factory=list,
        description=(
            "Why nothing was shipped (REQUIRED, INVALID, INVALID_QUANTITY, INVALID_TRANSITION for an "
            "order that cannot ship yet, ORDER_CHANGED when someone shipped it meanwhile, "
            "CUSTOMS_DATA_MISSING for a line abroad whose customs data is gone since checkout); empty on success."
        ),
    )


@strawberry.type(description="The refund made and its order.")
class OrderRefundPayload:
    refund: Refund | None = strawberry.field(default=None, description="FAILED when the gateway refused it.")
    order: Order | None = strawberry.field(
        default=None, description="The order with the refund counted; null when refused."
    )
    errors: list[UserError] = strawberry.field(
        default_factory=list,
        description=(
            "Why nothing was refunded (INVALID, INVALID_QUANTITY, NOTHING_PAID, REFUND_EXCEEDS_PAID); empty on success."
        ),
    )


@strawberry.type(description="The payment confirmed and its order.")
class PaymentMarkReceivedPayload:
    payment: OrderPayment | None = strawberry.field(
        default=None, description="The payment, now SUCCEEDED; null when refused."
    )
    order: Order | None = strawberry.field(
        default=None,
        description="Its order, now paid (or, when the money came for a cancelled order, flagged for review so "
        "staff refund it); null when refused.",
    )
    errors: list[UserError] = strawberry.field(
        default_factory=list,
        description=(
            "Why it was refused (NO_ORDER: the checkout never became an order; INVALID_STATE: not "
            "awaiting money, or marked received meanwhile); empty on success."
        ),
    )


async def _run(info: Info, operation: Callable[[], Awaitable[T]]) -> tuple[T | None, list[UserError]]:
    """The service through `attempt`, then the events it wrote delivered (after its commit)."""
    result, errors = await attempt(operation)
    if result is not None:
        await after_commit(info.context.host)
    return result, errors


async def _order(order_id: int | None) -> Order | None:
    return await render_order(await OrderModel.get_or_none(id=order_id), staff=True) if order_id else None


def _filtered(queryset: QuerySet[OrderModel], filter: OrderFilter | None) -> QuerySet[OrderModel]:
    if filter is None:
        return queryset
    q = queryset
    if filter.status:
        q = q.filter(status__in=[getattr(state, "value", state) for state in filter.status])
    if filter.payment_status:
        q = q.filter(payment_status__in=[PaymentStatus(s) for s in filter.payment_status])
    if filter.customer:
        q = q.filter(email__iexact=filter.customer.strip())
    if filter.created_at and filter.created_at.gte:
        q = q.filter(created_at__gte=filter.created_at.gte)
    if filter.created_at and filter.created_at.lte:
        q = q.filter(created_at__lte=filter.created_at.lte)
    term = (filter.search or "").strip().lstrip("#")
    if term:
        match = Q(email__icontains=term)
        if term.isdigit() and len(term) < 10:
            match |= Q(number=int(term))
        q = q.filter(match)
    return q


@strawberry.type
class OrderAdminQuery:
    @strawberry.field(**guard("The brand's orders, newest first.", MANAGE_ORDERS))
    async def orders(
        self,
        info: Info,
        filter: Annotated[
            OrderFilter | None,
            strawberry.argument(description="Conditions the orders must all meet; none: all of the brand's orders."),
        ] = None,
        first: First = None,
        after: After = None,
        brand: BrandSlug = None,
    ) -> Connection[Order]:
        actor = await info.context.actor()
        found = await brands.managed_brand(actor, await info.context.brand_slug(brand), Permission.MANAGE_ORDERS)
        queryset = _filtered(OrderModel.filter(brand_id=found.id), filter)
        limits = info.context.settings.graphql
        page = await paginate(
            queryset,
            PageRequest(first=first, after=after),
            order=("-id",),
            key="orders:new",
            default_size=limits.default_page_size,
            max_size=limits.max_page_size,
        )
        rendered = {o.id: o for o in await render_orders(page.items, staff=True)}
        return connection(page, lambda row: rendered[row.id])


@strawberry.type(
    description="Someone who bought from the brand, with their orders there (and only there). A `Node` whose ID "
    "names the brand and the account (one account is a different customer at each brand it bought from): "
    "`node(id:)` refetches it for staff who may manage that brand's orders, and is null for anyone else. IDs "
    "issued before (`Customer:<n>`, `BrandCustomer:<n>`) still resolve, for now, in the brand of the "
    "`Lini-Storefront` header."
)
class BrandCustomer(relay.Node):
    id: relay.NodeID[str]
    email: str = strawberry.field(description="The account's e-mail address.")
    full_name: str = strawberry.field(description="The name the customer gave; may be empty.")
    orders_count: int = strawberry.field(description="How many orders the customer placed at this brand.")
    last_order_at: datetime | None = strawberry.field(
        description="When the customer last ordered at this brand (ISO 8601 with offset)."
    )

    @classmethod
    def of(cls, brand_id: int, user: UserModel, seen: customers.CustomerSummary) -> BrandCustomer:
        return cls(
            id=f"{brand_id}:{user.id}",
            email=user.email,
            full_name=user.full_name,
            orders_count=seen.orders,
            last_order_at=seen.last_order_at,
        )

    @classmethod
    def valid_node_id(cls, node_id: str) -> bool:
        """`<brand>:<account>`, or the former brandless `<account>`."""
        parts = node_id.split(":")
        return len(parts) <= 2 and all(row_id(part) is not None for part in parts)

    @classmethod
    async def resolve_nodes(
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[BrandCustomer | None]:
        """As `customers` lists them: to staff with MANAGE_ORDERS at the ID's brand."""
        actor = await info.context.actor()
        keys = [_customer_key(str(i)) for i in node_ids]
        header: int | None = None
        if any(brand_id is None for brand_id, _ in keys):  # the former, brandless form: the header's brand
            header = await brands.brand_id_for_slug(info.context.request.headers.get(STOREFRONT_HEADER))
        pairs = [(header if brand_id is None else brand_id, user_id) for brand_id, user_id in keys]
        found = await customers.customers_in(actor, [(b, u) for b, u in pairs if b and u])
        return [cls.of(b, *found[(b, u)]) if b and u and (b, u) in found else None for b, u in pairs]


def _customer_key(node_id: str) -> tuple[int | None, int | None]:
    """(brand id, account id) of a customer's node ID; brand None for the former `<account>` form, and 0 or
    None where a part is not an id (nothing is found)."""
    brand, colon, user = node_id.partition(":")
    if not colon:
        return None, row_id(brand)
    return row_id(brand) or 0, row_id(user)


@strawberry.type
class CustomerQuery:
    @strawberry.field(
        **guard("Accounts that ordered from the brand, newest account first; no one else is visible.", MANAGE_ORDERS)
    )
    async def customers(
        self, info: Info, first: First = None, after: After = None, brand: BrandSlug = None
    ) -> Connection[BrandCustomer]:
        actor = await info.context.actor()
        found = await brands.managed_brand(actor, await info.context.brand_slug(brand), Permission.MANAGE_ORDERS)
        limits = info.context.settings.graphql
        page = await paginate(
            customers.customers_of(found.id),
            PageRequest(first=first, after=after),
            order=("-id",),
            key="customers:new",
            default_size=limits.default_page_size,
            max_size=limits.max_page_size,
        )
        summary = await customers.summaries(found.id, [user.id for user in page.items])

        def render(user: UserModel) -> BrandCustomer:
            return BrandCustomer.of(found.id, user, summary[user.id])

        return connection(page, render)


@strawberry.type
class OrderAdminMutation:
    @strawberry.mutation(
        **guard("Cancel an order that has not shipped: stock goes back, anything paid is refunded.", MANAGE_ORDERS)
    )
    async def order_cancel(
        self,
        info: Info,
        id: Annotated[
            relay.GlobalID,
            strawberry.argument(
                description=(
                    "The Order's global ID; an order of a brand you may not manage (or none) is refused with "
                    "FORBIDDEN. A shipped or already cancelled order: INVALID_TRANSITION."
                )
            ),
        ],
        reason: Annotated[
            str, strawberry.argument(description="Why, for the order's history; `Cancelled by staff.` when empty.")
        ] = "",
    ) -> OrderPayload:
        actor = await info.context.actor()
        order, errors = await _run(
            info, lambda: services.cancel(actor, decode_id(id, "Order"), host=info.context.host, reason=reason)
        )
        return OrderPayload(order=await _order(order.id if order else None), errors=errors)

    @strawberry.mutation(**guard("Ship some or all of what is left of an order.", MANAGE_ORDERS))
    async def shipment_create(
        self,
        info: Info,
        order_id: OrderId,
        input: Annotated[
            ShipmentCreateInput,
            strawberry.argument(description="The carrier, tracking number and the units in the parcel."),
        ],
    ) -> ShipmentCreatePayload:
        actor = await info.context.actor()

        async def run() -> ShipmentModel:
            items = [
                services.ShipmentItem(
                    order_line_id=decode_id(line.order_line_id, "OrderLine", f"lines.{i}.order_line_id"),
                    quantity=line.quantity,
                )
                for i, line in enumerate(input.lines)
            ]
            return await services.shipment_create(
                actor,
                decode_id(order_id, "Order", "order_id"),
                host=info.context.host,
                carrier=input.carrier,
                tracking_number=input.tracking_number,
                lines=items,
                storage=LocalStorage.from_settings(info.context.settings),
                papers=info.context.settings.papers,
            )

        shipment, errors = await _run(info, run)
        if shipment is None:
            return ShipmentCreatePayload(errors=errors)
        order = await _order(shipment.order_id)
        return ShipmentCreatePayload(
            shipment=next(s for s in order.shipments if s.id == shipment.id) if order else None,
            order=order,
        )

    @strawberry.mutation(**guard("The customer received a shipped order.", MANAGE_ORDERS))
    async def order_mark_delivered(
        self,
        info: Info,
        id: Annotated[
            relay.GlobalID,
            strawberry.argument(
                description=(
                    "The Order's global ID; an order of a brand you may not manage (or none) is refused with "
                    "FORBIDDEN. Only a SHIPPED order can be delivered, else INVALID_TRANSITION."
                )
            ),
        ],
    ) -> OrderPayload:
        actor = await info.context.actor()
        order, errors = await _run(
            info, lambda: services.mark_delivered(actor, decode_id(id, "Order"), host=info.context.host)
        )
        return OrderPayload(order=await _order(order.id if order else None), errors=errors)

    @strawberry.mutation(
        **guard(
            "Refund an amount or lines through the payment's gateway, never more than was paid; repeating an "
            "`idempotencyKey` returns the first refund.",
            MANAGE_ORDERS,
        )
    )
    async def order_refund(
        self,
        info: Info,
        id: OrderId,
        input: Annotated[OrderRefundInput, strawberry.argument(description="An amount or lines to refund, and why.")],
        idempotency_key: Annotated[
            str | None,
            strawberry.argument(
                description=(
                    "A key the client makes once per refund (1 to 100 characters, else INVALID): sent again, "
                    "it returns the first refund instead of refunding twice."
                )
            ),
        ] = None,
    ) -> OrderRefundPayload:
        actor = await info.context.actor()

        async def run() -> RefundModel:
            lines = [
                services.RefundLine(
                    order_line_id=decode_id(line.order_line_id, "OrderLine", f"lines.{i}.order_line_id"),
                    quantity=line.quantity,
                )
                for i, line in enumerate(input.lines or [])
            ]
            return await services.refund(
                actor,
                decode_id(id, "Order"),
                host=info.context.host,
                amount=input.amount,
                lines=lines,
                reason=input.reason,
                idempotency_key=idempotency_key,
            )

        refund, errors = await _run(info, run)
        if refund is None:
            return OrderRefundPayload(errors=errors)
        return OrderRefundPayload(refund=Refund.of(refund), order=await _order(refund.order_id))

    @strawberry.mutation(**guard("Add a note for the brand's staff to the order's history.", MANAGE_ORDERS))
    async def order_note_add(
        self,
        info: Info,
        id: OrderId,
        message: Annotated[
            str,
            strawberry.argument(
                description=(
                    "The note (plain text, trimmed); required (REQUIRED), at most 5000 characters (INVALID). "
                    "The customer does not see it."
                )
            ),
        ],
    ) -> OrderPayload:
        actor = await info.context.actor()
        entry, errors = await _run(info, lambda: services.note_add(actor, decode_id(id, "Order"), message))
        return OrderPayload(order=await _order(entry.order_id if entry else None), errors=errors)

    @strawberry.mutation(
        **guard("Confirm a payment's money arrived (a bank transfer): the order becomes paid.", MANAGE_ORDERS)
    )
    async def payment_mark_received(
        self,
        info: Info,
        payment_id: Annotated[
            relay.GlobalID,
            strawberry.argument(
                description=(
                    "The `OrderPayment.id` of a payment awaiting money (PENDING, ACTION_REQUIRED, or "
                    "CANCELLED when the transfer came after the order expired); another brand's: FORBIDDEN."
                )
            ),
        ],
    ) -> PaymentMarkReceivedPayload:
        actor = await info.context.actor()
        payment, errors = await _run(
            info,
            lambda: services.payment_mark_received(
                decode_id(payment_id, "OrderPayment", "payment_id"), actor, host=info.context.host
            ),
        )
        if payment is None:
            return PaymentMarkReceivedPayload(errors=errors)
        return PaymentMarkReceivedPayload(payment=OrderPayment.of(payment), order=await _order(payment.order_id))


QUERIES = (OrderAdminQuery, CustomerQuery)
MUTATIONS = (OrderAdminMutation,)
TYPES = ()
