"""The plugin's buying API: B2B browsing (`supplierMaterials`), raw-material purchase orders (`supplierOrderCreate`,
the supplier's and the buyer's answers, `supplierOrders`, `supplierOrder`) and restock for made-to-measure
(`supplierShortfall`, `supplierOrderCreateFromShortfall`).

Resolvers parse, call `materials`, `orders` or `shortfall`, and map; the rules (who, which status, stock) live
there. A list page reads its orders, their lines, their history and the names of their suppliers and buyers in
a fixed number of statements, whatever the page size.
"""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry import relay
from strawberry.types import Info

from lini.plugin import (
    BRAND_MEMBER,
    SUPPLIER,
    TAILOR,
    Brand,
    Connection,
    DomainError,
    PageRequest,
    Permission,
    attempt,
    connection,
    decode_id,
    guard,
    managed_brand,
    paginate,
)
from plugins.supplier_catalogs import materials, orders, shortfall
from plugins.supplier_catalogs.arguments import After, Before, First, Last, OrderId
from plugins.supplier_catalogs.order_models import MaterialKind
from plugins.supplier_catalogs.order_models import SupplierOrder as OrderModel
from plugins.supplier_catalogs.order_models import SupplierOrderStatus as Status
from plugins.supplier_catalogs.purchasing_types import (
    ENUMS,
    MANAGE_ORDERS,
    SupplierFabricShortfall,
    SupplierMaterial,
    SupplierMaterialFilter,
    SupplierMaterialSortInput,
    SupplierOrder,
    SupplierOrderAddressInput,
    SupplierOrderCreateInput,
    SupplierOrderDisputeInput,
    SupplierOrderFilter,
    SupplierOrderFromShortfallInput,
    SupplierOrderPayload,
    SupplierOrderProposeInput,
    SupplierOrderReasonInput,
    SupplierOrderShipInput,
    map_orders,
    material_query,
    one_order,
)


def _order_id(id: relay.GlobalID) -> int:
    return decode_id(id, "SupplierOrder", "id")


def _material(id: relay.GlobalID, field: str) -> tuple[MaterialKind, int]:
    kind = ENUMS.get(id.type_name)
    if kind is None:
        raise DomainError("INVALID_ID", "Expected the ID of a Fabric or a Trim.", field)
    return kind, decode_id(id, id.type_name, field)


def _address(given: SupplierOrderAddressInput) -> dict[str, Any]:
    return {name: getattr(given, name) for name in orders.ADDRESS_FIELDS}


async def _payload(operation: Any) -> SupplierOrderPayload:
    order, errors = await attempt(operation)
    return SupplierOrderPayload(supplier_order=await one_order(order) if order is not None else None, errors=errors)


def _buyer_currency(info: Info) -> str:
    return materials.PLATFORM_CURRENCY


BUYERS = (MANAGE_ORDERS, TAILOR)
PARTIES = (BRAND_MEMBER, TAILOR, SUPPLIER)


@strawberry.type
class PurchasingQuery:
    @strawberry.field(
        **guard(
            "Every approved supplier's active fabrics and trims, for brands and tailors to buy: filtered, sorted by "
            "relevance, price (in the buyer's currency) or lead time, paged by keyset both ways (first/after, "
            "last/before). `currency` is the buyer's (default: your brand's default currency, else IDR). "
            "Approved tailors and suppliers browse too.",
            *PARTIES,
        )
    )
    async def supplier_materials(
        self,
        info: Info,
        filter: Annotated[
            SupplierMaterialFilter | None,
            strawberry.argument(description="Which materials; every ACTIVE one of approved suppliers when left out."),
        ] = None,
        sort_by: Annotated[
            SupplierMaterialSortInput | None,
            strawberry.argument(
                description="The order: RELEVANCE (with a search), PRICE or LEAD_TIME, ascending or descending."
            ),
        ] = None,
        currency: Annotated[
            str | None,
            strawberry.argument(
                description="ISO 4217 code to show prices in (at exchange rates); INVALID_CURRENCY if unknown."
            ),
        ] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[SupplierMaterial]:
        actor = await info.context.actor()
        await materials.check_browser(actor)
        query = material_query(filter or SupplierMaterialFilter(), sort_by or SupplierMaterialSortInput())
        brands: dict[int, str] = {}
        if not currency and actor.brand_permissions:
            rows = await Brand.filter(id__in=sorted(actor.brand_permissions)).values_list("id", "default_currency")
            brands = {int(brand_id): str(code) for brand_id, code in rows}
        code = materials.buyer_currency(actor, brands, currency, _buyer_currency(info))
        limits = info.context.settings.graphql
        page = await materials.browse(
            query,
            PageRequest(first=first, after=after, last=last, before=before),
            currency=code,
            default_size=limits.default_page_size,
            max_size=limits.max_page_size,
        )
        return connection(page, SupplierMaterial.of)  # type: ignore[arg-type]  # a page of merged materials

    @strawberry.field(
        **guard(
            "The purchase orders you may see, newest first: your brands' (any staff), your own as a tailor, or "
            "your supplier's. Nobody else's.",
            *PARTIES,
        )
    )
    async def supplier_orders(
        self,
        info: Info,
        filter: Annotated[
            SupplierOrderFilter | None,
            strawberry.argument(
                description="Only orders of these statuses, supplier, brand or origin; all you may see if left out."
            ),
        ] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[SupplierOrder]:
        actor = await info.context.actor()
        wanted = filter or SupplierOrderFilter()
        queryset = OrderModel.filter(orders.visible(actor))
        if wanted.status:
            queryset = queryset.filter(status__in=[Status(s) for s in wanted.status])
        if wanted.supplier is not None:
            queryset = queryset.filter(supplier_id=decode_id(wanted.supplier, "Supplier", "filter.supplier"))
        if wanted.brand:
            queryset = queryset.filter(brand__slug=wanted.brand.strip().lower())
        if wanted.origin is not None:
            queryset = queryset.filter(origin=wanted.origin)
        limits = info.context.settings.graphql
        page = await paginate(
            queryset,
            PageRequest(first=first, after=after, last=last, before=before),
            order=("-id",),
            key="supplier_orders",
            default_size=limits.default_page_size,
            max_size=limits.max_page_size,
        )
        mapped = await map_orders(page.items)
        return connection(page, lambda row: mapped[row.id])

    @strawberry.field(**guard("A purchase order you may see (else null, as for a missing one).", *PARTIES))
    async def supplier_order(self, info: Info, id: OrderId) -> SupplierOrder | None:
        actor = await info.context.actor()
        row = await OrderModel.filter(orders.visible(actor), id=_order_id(id)).first()
        return await one_order(row) if row is not None else None

    @strawberry.field(
        **guard(
            "The fabrics the brand's uncut made-to-measure garments hold more of than their suppliers have on "
            "hand, less what the brand already has on order.",
            MANAGE_ORDERS,
        )
    )
    async def supplier_shortfall(
        self,
        info: Info,
        brand: Annotated[
            str | None,
            strawberry.argument(
                description="The brand's slug, for staff of several brands; your one brand when left out."
            ),
        ] = None,
    ) -> list[SupplierFabricShortfall]:
        actor = await info.context.actor()
        found = await managed_brand(actor, await info.context.brand_slug(brand), Permission.MANAGE_ORDERS)
        short = await shortfall.shortfalls(actor, found)
        factors = await materials.exchange_factors(found.default_currency)
        return [
            SupplierFabricShortfall(
                fabric=SupplierMaterial.of(materials.material_of(s.fabric, factors, found.default_currency)),
                held_metres=s.held,
                jobs=s.jobs,
                on_hand_metres=s.on_hand,
                on_order_metres=s.on_order,
                short_metres=s.short,
                to_order_metres=s.to_order,
            )
            for s in short
        ]


@strawberry.type
class PurchasingMutation:
    @strawberry.mutation(
        **guard(
            "Order raw material from one supplier: every line at least the material's minimum order, in its unit. "
            "Totals are in the supplier's currency, shown in the buyer's too.",
            *BUYERS,
        )
    )
    async def supplier_order_create(
        self,
        info: Info,
        input: Annotated[
            SupplierOrderCreateInput,
            strawberry.argument(
                description="The supplier, the lines (material and quantity), where to deliver and a note."
            ),
        ],
    ) -> SupplierOrderPayload:
        actor = await info.context.actor()

        async def run() -> OrderModel:
            lines = [
                orders.LineRequest(*_material(line.material_id, f"lines.{i}.material_id"), line.quantity)
                for i, line in enumerate(input.lines)
            ]
            request = orders.OrderRequest(
                supplier_id=decode_id(input.supplier_id, "Supplier", "supplier_id"),
                lines=lines,
                delivery_address=_address(input.delivery_address),
                note=input.note,
                brand=input.brand,
            )
            return await orders.create(actor, request, default_currency=_buyer_currency(info))

        return await _payload(run)

    @strawberry.mutation(
        **guard(
            "Order, in one purchase order, the short metres of one supplier's fabrics (see supplierShortfall), "
            "each raised to the supplier's minimum order.",
            MANAGE_ORDERS,
        )
    )
    async def supplier_order_create_from_shortfall(
        self,
        info: Info,
        input: Annotated[
            SupplierOrderFromShortfallInput,
            strawberry.argument(
                description="The supplier whose short fabrics to order, where to deliver, a note and the brand."
            ),
        ],
    ) -> SupplierOrderPayload:
        actor = await info.context.actor()

        async def run() -> Any:
            brand = await managed_brand(actor, await info.context.brand_slug(input.brand), Permission.MANAGE_ORDERS)
            fabric_ids = (
                [decode_id(f, "Fabric", f"fabric_ids.{i}") for i, f in enumerate(input.fabric_ids)]
                if input.fabric_ids
                else None
            )
            return await shortfall.order_shortfall(
                actor,
                brand,
                supplier_id=decode_id(input.supplier_id, "Supplier", "supplier_id"),
                fabric_ids=fabric_ids,
                delivery_address=_address(input.delivery_address),
                note=input.note,
                default_currency=_buyer_currency(info),
            )

        return await _payload(run)

    @strawberry.mutation(**guard("Confirm a submitted order: its quantities are taken off your stock.", SUPPLIER))
    async def supplier_order_confirm(self, info: Info, id: OrderId) -> SupplierOrderPayload:
        actor = await info.context.actor()
        return await _payload(lambda: orders.confirm(actor, _order_id(id)))

    @strawberry.mutation(**guard("Reject a submitted order, saying why.", SUPPLIER))
    async def supplier_order_reject(
        self,
        info: Info,
        id: OrderId,
        input: Annotated[
            SupplierOrderReasonInput,
            strawberry.argument(
                description="Why the order is rejected (1-2000 characters; REASON_REQUIRED when empty)."
            ),
        ],
    ) -> SupplierOrderPayload:
        actor = await info.context.actor()
        return await _payload(lambda: orders.reject(actor, _order_id(id), input.reason))

    @strawberry.mutation(
        **guard("Offer less than asked (held of your stock until the buyer accepts or declines).", SUPPLIER)
    )
    async def supplier_order_propose(
        self,
        info: Info,
        id: OrderId,
        input: Annotated[
            SupplierOrderProposeInput,
            strawberry.argument(description="The quantity offered for each line (0 to leave a line out) and a note."),
        ],
    ) -> SupplierOrderPayload:
        actor = await info.context.actor()

        async def run() -> OrderModel:
            quantities = {
                decode_id(line.line_id, "SupplierOrderLine", f"lines.{i}.line_id"): line.quantity
                for i, line in enumerate(input.lines)
            }
            return await orders.propose(actor, _order_id(id), quantities, input.note)

        return await _payload(run)

    @strawberry.mutation(**guard("Ship a confirmed order with its tracking.", SUPPLIER))
    async def supplier_order_ship(
        self,
        info: Info,
        id: OrderId,
        input: Annotated[
            SupplierOrderShipInput,
            strawberry.argument(description="The carrier, tracking number (required) and tracking URL."),
        ],
    ) -> SupplierOrderPayload:
        actor = await info.context.actor()
        return await _payload(
            lambda: orders.ship(
                actor,
                _order_id(id),
                carrier=input.carrier,
                tracking_number=input.tracking_number,
                tracking_url=input.tracking_url,
            )
        )

    @strawberry.mutation(**guard("Accept the supplier's proposal: the order is confirmed as proposed.", *BUYERS))
    async def supplier_order_proposal_accept(self, info: Info, id: OrderId) -> SupplierOrderPayload:
        actor = await info.context.actor()
        return await _payload(lambda: orders.accept_proposal(actor, _order_id(id)))

    @strawberry.mutation(**guard("Decline the supplier's proposal: the stock it held goes back.", *BUYERS))
    async def supplier_order_proposal_decline(
        self,
        info: Info,
        id: OrderId,
        input: Annotated[
            SupplierOrderReasonInput | None,
            strawberry.argument(description="Why, optionally (at most 2000 characters): the other party reads it."),
        ] = None,
    ) -> SupplierOrderPayload:
        actor = await info.context.actor()
        return await _payload(lambda: orders.decline_proposal(actor, _order_id(id), input.reason if input else ""))

    @strawberry.mutation(**guard("Withdraw an order the supplier has not answered yet.", *BUYERS))
    async def supplier_order_cancel(
        self,
        info: Info,
        id: OrderId,
        input: Annotated[
            SupplierOrderReasonInput | None,
            strawberry.argument(description="Why, optionally (at most 2000 characters): the other party reads it."),
        ] = None,
    ) -> SupplierOrderPayload:
        actor = await info.context.actor()
        return await _payload(lambda: orders.cancel(actor, _order_id(id), input.reason if input else ""))

    @strawberry.mutation(**guard("Mark a shipped order received.", *BUYERS))
    async def supplier_order_receive(self, info: Info, id: OrderId) -> SupplierOrderPayload:
        actor = await info.context.actor()
        return await _payload(lambda: orders.receive(actor, _order_id(id)))

    @strawberry.mutation(**guard("Dispute a line of a shipped (or received) order, saying why.", *BUYERS))
    async def supplier_order_dispute(
        self,
        info: Info,
        id: OrderId,
        input: Annotated[
            SupplierOrderDisputeInput, strawberry.argument(description="The line disputed and why (1-2000 characters).")
        ],
    ) -> SupplierOrderPayload:
        actor = await info.context.actor()

        async def run() -> OrderModel:
            line_id = decode_id(input.line_id, "SupplierOrderLine", "line_id")
            return await orders.dispute(actor, _order_id(id), line_id, input.reason)

        return await _payload(run)
