"""Fabrics and exchange rates over GraphQL.

Who sees which fabric: brands' staff, storefronts and anyone browsing see the ACTIVE fabrics of APPROVED
suppliers; a supplier asking with `filter: { mine: true }` sees its own in every status (archived too);
platform administrators see every fabric through `node`. A fabric of another supplier is NOT_FOUND to a
supplier's mutation, exactly like a missing one.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

import strawberry
from strawberry import relay
from strawberry.dataloader import DataLoader
from strawberry.types import Info

from core.garments import fabric_queries, fabrics, rates
from core.garments.models import ExchangeRate as RateModel
from core.garments.models import Fabric as FabricModel
from core.garments.models import FabricPrice as FabricPriceModel
from core.garments.models import FabricStatus
from core.pagination import PageRequest, paginate
from schema.enums import described_enum
from schema.errors import UserError, attempt
from schema.permissions import PLATFORM_ADMIN, PUBLIC, SUPPLIER, guard
from schema.relay import After, Before, Connection, First, Last, connection, decode_id
from schema.scalars import Money

FabricStatusEnum = described_enum(
    FabricStatus,
    name="FabricStatus",
    description="Whether brands may choose a fabric.",
    values={
        "ACTIVE": "On offer: brands and storefronts see it and garments can be cut from it.",
        "ARCHIVED": "Withdrawn: only its supplier sees it; garments already ordered keep it.",
    },
)


@strawberry.type(description="A price a fabric had per metre, from when it was set.")
class FabricPrice:
    price_per_metre: Money = strawberry.field(
        description="The price per metre it had, in the supplier's currency then."
    )
    set_at: datetime = strawberry.field(description="When that price was set (ISO 8601 with offset).")

    @classmethod
    def from_model(cls, row: FabricPriceModel) -> FabricPrice:
        return cls(price_per_metre=Money.of(row.price_per_metre, row.currency), set_at=row.created_at)


@strawberry.type(description="A supplier's fabric: what it is, what a metre costs, how much is in stock.")
class Fabric(relay.Node):
    id: relay.NodeID[int]
    sku: str = strawberry.field(description="The supplier's SKU.")
    name: str = strawberry.field(description="The fabric's name (e.g. `Wolfis Premium`).")
    composition: str = strawberry.field(description="E.g. 100% polyester (wolfis).")
    weight_gsm: int | None = strawberry.field(description="Grams per square metre.")
    width_cm: int | None = strawberry.field(
        description="The usable width of the roll in centimetres; null when not given."
    )
    colour: str = strawberry.field(description="Its colour; may be empty.")
    pattern: str = strawberry.field(description="Its pattern (e.g. `polos`, `batik`); may be empty.")
    price_per_metre: Money = strawberry.field(description="In the supplier's currency.")
    stock_metres: Decimal = strawberry.field(
        description="Metres on hand, less what orders have reserved (a Decimal string, two decimals)."
    )
    min_order_metres: Decimal = strawberry.field(
        description=("The fewest metres a brand can order from the supplier (a Decimal string); 0 for no minimum.")
    )
    lead_time_days: int = strawberry.field(description="Days to restock when the metres on hand are short.")
    images: list[str] = strawberry.field(description="Absolute http(s) URLs of its photos.")
    status: FabricStatusEnum = strawberry.field(description="Whether brands may choose it.")  # type: ignore[valid-type]
    supplier_id: relay.GlobalID = strawberry.field(description="The Supplier's global ID.")
    supplier_name: str = strawberry.field(description="The supplier's legal name.")
    created_at: datetime = strawberry.field(description="When it was offered (ISO 8601 with offset).")
    updated_at: datetime = strawberry.field(description="When it last changed (ISO 8601 with offset).")

    @classmethod
    def from_model(cls, row: FabricModel, supplier_name: str) -> Fabric:
        return cls(
            id=row.id,
            sku=row.sku,
            name=row.name,
            composition=row.composition,
            weight_gsm=row.weight_gsm,
            width_cm=row.width_cm,
            colour=row.colour,
            pattern=row.pattern,
            price_per_metre=Money.of(row.price_per_metre, row.currency),
            stock_metres=row.stock_metres,
            min_order_metres=row.min_order_metres,
            lead_time_days=row.lead_time_days,
            images=list(row.images),
            status=FabricStatus(row.status),
            supplier_id=relay.GlobalID("Supplier", str(row.supplier_id)),
            supplier_name=supplier_name,
            created_at=row.created_at,
            updated_at=row.updated_at,
        )

    @strawberry.field(description="Every price the fabric has had, oldest first.")
    async def price_history(self, info: Info) -> list[FabricPrice]:
        loader = info.context.loaders.extra.get("fabric_price_history")
        if loader is None:

            async def load(keys: list[int]) -> list[list[FabricPriceModel]]:
                found = await fabric_queries.price_histories(keys)
                return [found.get(key, []) for key in keys]

            loader = info.context.loaders.extra["fabric_price_history"] = DataLoader(load_fn=load)
        return [FabricPrice.from_model(row) for row in await loader.load(self.id)]

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: list[str], required: bool = False) -> list[Fabric | None]:
        actor = await info.context.actor()
        ids = [int(i) for i in node_ids if i.isdigit()]
        visible = await fabric_queries.visible_fabrics(actor, ids)
        return [
            cls.from_model(visible[int(i)], visible[int(i)].supplier.legal_name)
            if i.isdigit() and int(i) in visible
            else None
            for i in node_ids
        ]


async def _fabric_nodes(rows: list[FabricModel]) -> dict[int, Fabric]:
    names = await fabric_queries.supplier_names(rows)
    return {r.id: Fabric.from_model(r, names.get(r.supplier_id, "")) for r in rows}


@strawberry.input(description="Narrows a fabric list; all given conditions must hold.")
class FabricFilter:
    mine: bool = strawberry.field(
        default=False, description="The calling supplier's own fabrics, in every status (suppliers only)."
    )
    status: FabricStatusEnum | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="With `mine` only: others see ACTIVE fabrics."
    )
    search: str | None = strawberry.field(default=None, description="Part of the name, SKU or composition.")
    supplier_id: relay.GlobalID | None = strawberry.field(
        default=None, description="Only this Supplier's fabrics (its global ID)."
    )
    colour: str | None = strawberry.field(default=None, description="Only fabrics of this colour (exactly, any case).")
    pattern: str | None = strawberry.field(
        default=None, description="Only fabrics of this pattern (exactly, any case)."
    )
    in_stock: bool | None = strawberry.field(default=None, description="true: some metres on hand, false: none.")


@strawberry.input(description="A new fabric, offered (ACTIVE) at once. Every problem is reported at once.")
class FabricCreateInput:
    sku: str = strawberry.field(
        description=(
            "The supplier's SKU: 1–64 characters without spaces (INVALID_SKU), unique among its fabrics (SKU_TAKEN)."
        )
    )
    name: str = strawberry.field(description="1–200 characters (INVALID_NAME).")
    composition: str = strawberry.field(
        default="", description="What it is made of (e.g. `100% polyester (wolfis)`); at most 200 characters."
    )
    weight_gsm: int | None = strawberry.field(default=None, description="Grams per square metre, above 0.")
    width_cm: int | None = strawberry.field(default=None, description="Usable width in cm, above 0.")
    colour: str = strawberry.field(default="", description="At most 64 characters.")
    pattern: str = strawberry.field(default="", description="At most 64 characters.")
    price_per_metre: Decimal = strawberry.field(description="Above 0, in `currency`.")
    currency: str = strawberry.field(description="ISO 4217, e.g. IDR.")
    stock_metres: Decimal = strawberry.field(
        default=Decimal(0), description="Metres on hand, 0 or more with at most two decimals (INVALID_STOCK)."
    )
    min_order_metres: Decimal = strawberry.field(
        default=Decimal(0), description="The fewest metres a brand can order, 0 or more with at most two decimals."
    )
    lead_time_days: int = strawberry.field(
        default=0, description="Days to restock when short, 0–365 (INVALID_LEAD_TIME)."
    )
    images: list[str] = strawberry.field(default_factory=list, description="http(s) URLs, at most 20.")


@strawberry.input(description="What to change; fields left out stay as they are.")
class FabricUpdateInput:
    sku: str | None = strawberry.field(
        default=None, description="1–64 characters without spaces, unique among the supplier's fabrics."
    )
    name: str | None = strawberry.field(default=None, description="1–200 characters.")
    composition: str | None = strawberry.field(default=None, description="At most 200 characters.")
    weight_gsm: int | None = strawberry.field(
        default=None, description="Grams per square metre, 1–2000 (INVALID_WEIGHT)."
    )
    width_cm: int | None = strawberry.field(
        default=None, description="Usable width in centimetres, 1–600 (INVALID_WIDTH)."
    )
    colour: str | None = strawberry.field(default=None, description="At most 64 characters.")
    pattern: str | None = strawberry.field(default=None, description="At most 64 characters.")
    price_per_metre: Decimal | None = strawberry.field(default=None, description="A change is kept in priceHistory.")
    currency: str | None = strawberry.field(default=None, description="A new currency needs a new price.")
    stock_metres: Decimal | None = strawberry.field(
        default=None,
        description=(
            "The metres counted at a stocktake: replaces the figure, including metres orders reserved since the "
            "count. To receive or write off cloth, use stockAdjustment, which never loses a reservation."
        ),
    )
    stock_adjustment: Decimal | None = strawberry.field(
        default=None, description="Metres to add (or, negative, take away) atomically; never below zero."
    )
    min_order_metres: Decimal | None = strawberry.field(
        default=None, description="0 or more, with at most two decimals."
    )
    lead_time_days: int | None = strawberry.field(default=None, description="0–365 (INVALID_LEAD_TIME).")
    images: list[str] | None = strawberry.field(default=None, description="Replaces the list.")


@strawberry.type(description="The fabric after the change, or the errors and no change.")
class FabricPayload:
    fabric: Fabric | None = strawberry.field(default=None, description="The fabric; null when refused.")
    errors: list[UserError] = strawberry.field(
        default_factory=list, description="Why the change was refused; empty on success."
    )


async def _payload(row: FabricModel | None, errors: list[UserError]) -> FabricPayload:
    if row is None:
        return FabricPayload(errors=errors)
    return FabricPayload(fabric=(await _fabric_nodes([row]))[row.id])


def _data(input: FabricCreateInput | FabricUpdateInput) -> dict[str, Any]:
    return strawberry.asdict(input)


# --- exchange rates ---------------------------------------------------------------------------------------------


@strawberry.type(description="How much one unit of `base` is in `quote`.")
class ExchangeRate:
    base: str = strawberry.field(description="The currency converted from (ISO 4217).")
    quote: str = strawberry.field(description="The currency converted to (ISO 4217).")
    rate: Decimal = strawberry.field(description="How many `quote` one `base` is (a Decimal string, up to 8 decimals).")
    updated_by: str = strawberry.field(description="Who set it (`user:<id>` or `app:<id>`).")
    updated_at: datetime = strawberry.field(description="When it was set (ISO 8601 with offset).")

    @classmethod
    def from_model(cls, row: RateModel) -> ExchangeRate:
        return cls(
            base=row.base,
            quote=row.quote,
            rate=Decimal(f"{Decimal(row.rate).normalize():f}"),  # the same digits from SQLite and PostgreSQL
            updated_by=row.updated_by,
            updated_at=row.updated_at,
        )


@strawberry.input(
    description=(
        "A rate from one currency to another (INVALID_CURRENCY for a code that is not ISO 4217; "
        "SAME_CURRENCY for two alike)."
    )
)
class ExchangeRateSetInput:
    base: str = strawberry.field(description="ISO 4217, e.g. MYR.")
    quote: str = strawberry.field(description="ISO 4217, e.g. IDR.")
    rate: Decimal = strawberry.field(description="Above 0, at most 8 decimals: 1 base = rate quote.")


@strawberry.type(description="The rate as set, or the errors and no change.")
class ExchangeRatePayload:
    exchange_rate: ExchangeRate | None = strawberry.field(default=None, description="The rate; null when refused.")
    errors: list[UserError] = strawberry.field(
        default_factory=list,
        description="Why it was refused (INVALID_CURRENCY, SAME_CURRENCY, INVALID_RATE); empty on success.",
    )


@strawberry.type
class FabricQuery:
    @strawberry.field(
        **guard(
            "Fabrics to choose from: the ACTIVE fabrics of approved suppliers, or with `productId` those a "
            "made-to-measure product of the storefront may be cut from; with `filter: { mine: true }` the "
            "calling supplier's own in every status.",
            PUBLIC,
        )
    )
    async def fabrics(
        self,
        info: Info,
        filter: Annotated[
            FabricFilter | None,
            strawberry.argument(
                description=(
                    "Conditions the fabrics must all meet. A `status` other than ACTIVE without `mine`, or a "
                    "search over 200 characters: INVALID_FILTER."
                )
            ),
        ] = None,
        product_id: Annotated[
            relay.GlobalID | None,
            strawberry.argument(
                description=(
                    "Only the fabrics this made-to-measure Product of the storefront (header or `Host`) may "
                    "be cut from; not the storefront's: NOT_FOUND."
                )
            ),
        ] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Fabric]:
        actor = await info.context.actor()
        wanted = filter or FabricFilter()
        supplier_id = decode_id(wanted.supplier_id, "Supplier", "filter.supplierId") if wanted.supplier_id else None
        queryset = fabric_queries.listing(
            actor,
            mine=wanted.mine,
            status=wanted.status,
            search=wanted.search,
            supplier_id=supplier_id,
            colour=wanted.colour,
            pattern=wanted.pattern,
            in_stock=wanted.in_stock,
        )
        if product_id is not None:
            brand = await info.context.storefront()
            queryset = await fabric_queries.allowed_by_product(
                queryset, brand_id=brand.id, product_id=decode_id(product_id, "Product", "productId")
            )
        limits = info.context.settings.graphql
        page = await paginate(
            queryset,
            PageRequest(first=first, after=after, last=last, before=before),
            order=("name", "id"),
            key="fabrics:name",
            default_size=limits.default_page_size,
            max_size=limits.max_page_size,
        )
        nodes = await _fabric_nodes(page.items)
        return connection(page, lambda row: nodes[row.id])

    @strawberry.field(**guard("The platform's exchange rates, by base and quote currency.", PUBLIC))
    async def exchange_rates(
        self,
        info: Info,
        currency: Annotated[
            str | None, strawberry.argument(description="Only rates from or to this currency (ISO 4217, any case).")
        ] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[ExchangeRate]:
        limits = info.context.settings.graphql
        page = await paginate(
            rates.listing(currency=currency),
            PageRequest(first=first, after=after, last=last, before=before),
            order=("base", "quote", "id"),
            key="exchange_rates",
            default_size=limits.default_page_size,
            max_size=limits.max_page_size,
        )
        return connection(page, ExchangeRate.from_model)


@strawberry.type
class FabricMutation:
    @strawberry.mutation(**guard("Offer a new fabric to brands (approved suppliers).", SUPPLIER))
    async def fabric_create(
        self, info: Info, input: Annotated[FabricCreateInput, strawberry.argument(description="The new fabric.")]
    ) -> FabricPayload:
        actor = await info.context.actor()
        return await _payload(*await attempt(lambda: fabrics.create_fabric(actor, _data(input))))

    @strawberry.mutation(**guard("Change one of the supplier's fabrics; a new price is kept in its history.", SUPPLIER))
    async def fabric_update(
        self,
        info: Info,
        id: Annotated[
            relay.GlobalID,
            strawberry.argument(
                description="The Fabric's global ID; another supplier's fabric (or none) is refused with NOT_FOUND."
            ),
        ],
        input: Annotated[FabricUpdateInput, strawberry.argument(description="What to change.")],
    ) -> FabricPayload:
        actor = await info.context.actor()
        return await _payload(
            *await attempt(lambda: fabrics.update_fabric(actor, decode_id(id, "Fabric"), _data(input)))
        )

    @strawberry.mutation(**guard("Withdraw one of the supplier's fabrics from brands' choice.", SUPPLIER))
    async def fabric_archive(
        self,
        info: Info,
        id: Annotated[
            relay.GlobalID,
            strawberry.argument(
                description=(
                    "The Fabric's global ID; another supplier's fabric (or none) is refused with NOT_FOUND. "
                    "Already archived: ALREADY_ARCHIVED."
                )
            ),
        ],
    ) -> FabricPayload:
        actor = await info.context.actor()
        return await _payload(*await attempt(lambda: fabrics.archive_fabric(actor, decode_id(id, "Fabric"))))

    @strawberry.mutation(
        **guard("Set the exchange rate from one currency to another (replacing the old one).", PLATFORM_ADMIN)
    )
    async def exchange_rate_set(
        self,
        info: Info,
        input: Annotated[ExchangeRateSetInput, strawberry.argument(description="The two currencies and the rate.")],
    ) -> ExchangeRatePayload:
        actor = await info.context.actor()
        row, errors = await attempt(lambda: rates.set_rate(actor, base=input.base, quote=input.quote, rate=input.rate))
        return ExchangeRatePayload(exchange_rate=ExchangeRate.from_model(row) if row else None, errors=errors)


QUERIES = (FabricQuery,)
MUTATIONS = (FabricMutation,)
TYPES = (Fabric,)
