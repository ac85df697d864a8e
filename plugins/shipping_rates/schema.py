"""The plugin's GraphQL API: staff manage their brand's zones and methods (MANAGE_STOREFRONT).

`shippingZones` lists a brand's zones with their methods, prices and thresholds (a brand has a handful: a list,
loaded in four queries); the mutations follow Lini's shape, one `input` and a payload with `errors`. IDs are
global IDs of type ShippingZone and ShippingMethod, both Nodes: `node(id:)` refetches them for whoever could list
them (staff who manage the brand's storefront), and is null for anyone else.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Annotated

import strawberry
from strawberry import relay
from strawberry.types import Info

from lini.plugin import (
    Brand,
    BrandPermission,
    MoneyType,
    UserError,
    attempt,
    changes,
    decode_id,
    guard,
    managed_brand,
    plain,
)
from plugins.shipping_rates import management
from plugins.shipping_rates.management import PERMISSION, MethodView, ZoneView
from plugins.shipping_rates.models import ShippingMethod as MethodModel
from plugins.shipping_rates.models import ShippingZone as ZoneModel

MANAGE_STOREFRONT = BrandPermission(PERMISSION)
BRAND = Annotated[
    str | None,
    strawberry.argument(
        description="The slug of the brand concerned; without it, the `Lini-Storefront` header's. "
        "Neither given: error `BRAND_REQUIRED`; a brand the caller does not manage, or no such brand: `FORBIDDEN`."
    ),
]
ZONE_NAME = "1–100 characters. Error `INVALID_NAME`."
ZONE_COUNTRIES = (
    "At least one (error `COUNTRIES_REQUIRED`) ISO 3166-1 alpha-2 code among the brand's `shipsTo` "
    "(error `COUNTRY_NOT_SHIPPED_TO`)."
)
PROVINCES = (
    "Indonesian provinces, by name or ISO 3166-2 code (error `INVALID_PROVINCE`); they need ID among the "
    "countries (error `PROVINCES_NEED_INDONESIA`)."
)
CURRENCY = "One of the brand's ISO 4217 currencies. Error `CURRENCY_NOT_ENABLED`."
METHOD_NAME = "1–100 characters. Error `INVALID_NAME`."
CARRIER = "Up to 50 characters. Error `TOO_LONG`."
DAYS = "0–365 days, `minDays` not above `maxDays`. Error `INVALID_DAYS`."
RATES = "At most 100 prices by currency and weight bracket (error `TOO_MANY_RATES`)."


@strawberry.type(description="A method's price for parcels in a weight bracket (grams, both ends included).")
class ShippingMethodRate:
    min_weight_grams: int = strawberry.field(description="The lightest parcel the price applies to, in grams.")
    max_weight_grams: int | None = strawberry.field(
        description="The heaviest parcel the price applies to, in grams; null: no upper limit."
    )
    price: MoneyType = strawberry.field(description="The price for a parcel in the bracket.")


@strawberry.type(
    description="One way to ship in a zone, e.g. JNE REG: prices by weight, free above an amount. A `Node`: "
    "`node(id:)` refetches it for staff who manage its brand's storefront (null for anyone else)."
)
class ShippingMethod(relay.Node):
    id: relay.NodeID[int]
    name: str = strawberry.field(description="The name shoppers see, e.g. JNE REG.")
    carrier: str = strawberry.field(description="The carrier's name or code; may be empty.")
    min_days: int | None = strawberry.field(description="The fewest days delivery takes; null if not stated.")
    max_days: int | None = strawberry.field(description="The most days delivery takes; null if not stated.")
    active: bool = strawberry.field(description="Whether checkouts are offered it.")
    position: int = strawberry.field(description="Its place among the zone's methods, lowest first.")
    rates: list[ShippingMethodRate] = strawberry.field(
        description="Its prices by currency and weight bracket, by currency then lightest first."
    )
    free_shipping_thresholds: list[MoneyType] = strawberry.field(
        description="Per currency, the order subtotal from which this method is free; none: never free."
    )

    @classmethod
    def from_view(cls, view: MethodView) -> ShippingMethod:
        m = view.method
        return cls(
            id=m.id,
            name=m.name,
            carrier=m.carrier,
            min_days=m.min_days,
            max_days=m.max_days,
            active=m.active,
            position=m.position,
            rates=[
                ShippingMethodRate(
                    min_weight_grams=r.min_weight_grams,
                    max_weight_grams=r.max_weight_grams,
                    price=MoneyType.of(r.price, r.currency),
                )
                for r in view.rates
            ],
            free_shipping_thresholds=[MoneyType.of(t.amount, t.currency) for t in view.thresholds],
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]  # strawberry's overloads by `required`
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[ShippingMethod | None]:
        """As `shippingZones` shows them: to staff with MANAGE_STOREFRONT in the method's brand."""
        wanted = [int(i) if str(i).isdigit() else None for i in node_ids]
        views = await management.visible_methods(await info.context.actor(), [i for i in wanted if i])
        return [cls.from_view(views[i]) if i in views else None for i in wanted]


@strawberry.type(
    description="Where a brand ships: countries, and in Indonesia optionally some provinces only. A `Node`: "
    "`node(id:)` refetches it for staff who manage its brand's storefront (null for anyone else)."
)
class ShippingZone(relay.Node):
    id: relay.NodeID[int]
    name: str = strawberry.field(description="A name for the brand's staff.")
    countries: list[str] = strawberry.field(description="ISO 3166-1 alpha-2 codes.")
    provinces: list[str] = strawberry.field(
        description="Indonesian provinces by their ISO 3166-2 names; empty: the whole of each country."
    )
    methods: list[ShippingMethod] = strawberry.field(description="Its methods, by `position`.")

    @classmethod
    def from_view(cls, view: ZoneView) -> ShippingZone:
        z = view.zone
        return cls(
            id=z.id,
            name=z.name,
            countries=list(z.countries),
            provinces=list(z.provinces),
            methods=[ShippingMethod.from_view(m) for m in view.methods],
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]  # strawberry's overloads by `required`
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[ShippingZone | None]:
        """As `shippingZones` shows them: to staff with MANAGE_STOREFRONT in the zone's brand."""
        wanted = [int(i) if str(i).isdigit() else None for i in node_ids]
        views = await management.visible_zones(await info.context.actor(), [i for i in wanted if i])
        found = {view.zone.id: view for view in views}
        return [cls.from_view(found[i]) if i in found else None for i in wanted]


@strawberry.input(description="Countries among the brand's `shipsTo`; provinces (Indonesian) need ID among them.")
class ShippingZoneCreateInput:
    name: str = strawberry.field(description=ZONE_NAME)
    countries: list[str] = strawberry.field(description=ZONE_COUNTRIES)
    provinces: list[str] = strawberry.field(default_factory=list, description=f"Empty: the whole country. {PROVINCES}")


@strawberry.input(
    description="Only the fields given are changed; the lists replace the zone's; the result is checked whole."
)
class ShippingZoneUpdateInput:
    name: str | None = strawberry.field(default=strawberry.UNSET, description=ZONE_NAME)
    countries: list[str] | None = strawberry.field(default=strawberry.UNSET, description=ZONE_COUNTRIES)
    provinces: list[str] | None = strawberry.field(default=strawberry.UNSET, description=PROVINCES)


@strawberry.input(description="A price for parcels from `minWeightGrams` to `maxWeightGrams` (null: no limit).")
class ShippingMethodRateInput:
    currency: str = strawberry.field(description=CURRENCY)
    price: Decimal = strawberry.field(
        description="The price as a decimal string, 0 or more, rounded to the currency's minor unit. "
        "Error `INVALID_AMOUNT`."
    )
    min_weight_grams: int = strawberry.field(default=0, description="Grams, 0 or more. Error `INVALID_WEIGHT`.")
    max_weight_grams: int | None = strawberry.field(
        default=None,
        description="Grams, above `minWeightGrams` (error `INVALID_WEIGHT_RANGE`); brackets in one currency may "
        "not overlap, both ends included (error `OVERLAPPING_WEIGHTS`).",
    )


@strawberry.input(description="Free shipping from this order subtotal, in one of the brand's currencies.")
class ShippingFreeThresholdInput:
    currency: str = strawberry.field(description=f"{CURRENCY} One threshold per currency (error `DUPLICATE_CURRENCY`).")
    amount: Decimal = strawberry.field(
        description="The subtotal as a decimal string, 0 or more. Error `INVALID_AMOUNT`."
    )


@strawberry.input(description="A new shipping method with its prices.")
class ShippingMethodCreateInput:
    name: str = strawberry.field(description=METHOD_NAME)
    carrier: str = strawberry.field(default="", description=CARRIER)
    min_days: int | None = strawberry.field(default=None, description=DAYS)
    max_days: int | None = strawberry.field(default=None, description=DAYS)
    active: bool = strawberry.field(default=True, description="Whether checkouts are offered it.")
    position: int | None = strawberry.field(
        default=None, description="0 or more (error `INVALID_POSITION`); null: after the zone's other methods."
    )
    rates: list[ShippingMethodRateInput] = strawberry.field(default_factory=list, description=RATES)
    free_shipping_thresholds: list[ShippingFreeThresholdInput] = strawberry.field(
        default_factory=list, description="Free shipping from an order subtotal, per currency."
    )


@strawberry.input(description="Only the fields given are changed; `rates` and thresholds, when given, replace all.")
class ShippingMethodUpdateInput:
    name: str | None = strawberry.field(default=strawberry.UNSET, description=METHOD_NAME)
    carrier: str | None = strawberry.field(default=strawberry.UNSET, description=CARRIER)
    min_days: int | None = strawberry.field(default=strawberry.UNSET, description=f"{DAYS} Null clears it.")
    max_days: int | None = strawberry.field(default=strawberry.UNSET, description=f"{DAYS} Null clears it.")
    active: bool | None = strawberry.field(default=strawberry.UNSET, description="Whether checkouts are offered it.")
    position: int | None = strawberry.field(
        default=strawberry.UNSET, description="0 or more. Error `INVALID_POSITION`."
    )
    rates: list[ShippingMethodRateInput] | None = strawberry.field(
        default=strawberry.UNSET, description=f"The whole new list. {RATES}"
    )
    free_shipping_thresholds: list[ShippingFreeThresholdInput] | None = strawberry.field(
        default=strawberry.UNSET, description="The whole new list of free-shipping thresholds."
    )


@strawberry.type(description="The result of a shipping zone mutation.")
class ShippingZonePayload:
    shipping_zone: ShippingZone | None = strawberry.field(
        default=None,
        description="The zone as it is now (after a delete: as it was, without its methods); null on errors.",
    )
    errors: list[UserError] = strawberry.field(
        default_factory=list, description="What was wrong with the input; empty on success."
    )


@strawberry.type(description="The result of a shipping method mutation.")
class ShippingMethodPayload:
    shipping_method: ShippingMethod | None = strawberry.field(
        default=None, description="The method as it is now (after a delete: as it was); null on errors."
    )
    shipping_zone: ShippingZone | None = strawberry.field(
        default=None, description="The method's zone, as it is now; null on errors."
    )
    errors: list[UserError] = strawberry.field(
        default_factory=list, description="What was wrong with the input; empty on success."
    )


async def _zone(info: Info, zone: ZoneModel | None) -> ShippingZone | None:
    """The zone as it is now; a deleted zone is shown as it was, without its methods."""
    if zone is None:
        return None
    actor = await info.context.actor()
    views = await management.zones_of(actor, await Brand.get(id=zone.brand_id), ids=[zone.id])
    return ShippingZone.from_view(views[0] if views else ZoneView(zone))


async def _method_payload(info: Info, method: MethodModel | None, errors: list[UserError]) -> ShippingMethodPayload:
    if method is None:
        return ShippingMethodPayload(errors=errors)
    zone = await _zone(info, await ZoneModel.get(id=method.zone_id))
    shown = next((m for m in zone.methods if m.id == method.id), None) if zone else None
    return ShippingMethodPayload(
        shipping_method=shown or ShippingMethod.from_view(MethodView(method)), shipping_zone=zone, errors=errors
    )


@strawberry.type
class ShippingRatesQuery:
    @strawberry.field(
        **guard(
            "The brand's shipping zones with their methods (added by the shipping_rates plugin).", MANAGE_STOREFRONT
        )
    )
    async def shipping_zones(self, info: Info, brand: BRAND = None) -> list[ShippingZone]:
        actor = await info.context.actor()
        found = await managed_brand(actor, await info.context.brand_slug(brand), PERMISSION)
        return [ShippingZone.from_view(view) for view in await management.zones_of(actor, found)]


@strawberry.type
class ShippingRatesMutation:
    @strawberry.mutation(
        **guard("Create a shipping zone: countries, optionally Indonesian provinces.", MANAGE_STOREFRONT)
    )
    async def shipping_zone_create(
        self,
        info: Info,
        input: Annotated[ShippingZoneCreateInput, strawberry.argument(description="The zone.")],
        brand: BRAND = None,
    ) -> ShippingZonePayload:
        actor = await info.context.actor()

        async def run() -> ZoneModel:
            found = await managed_brand(actor, await info.context.brand_slug(brand), PERMISSION)
            return await management.create_zone(actor, found, plain(input))

        zone, errors = await attempt(run)
        return ShippingZonePayload(shipping_zone=await _zone(info, zone), errors=errors)

    @strawberry.mutation(
        **guard(
            "Change a shipping zone; only the fields given. Another brand's ID or an unknown one: error `FORBIDDEN`.",
            MANAGE_STOREFRONT,
        )
    )
    async def shipping_zone_update(
        self,
        info: Info,
        id: Annotated[relay.GlobalID, strawberry.argument(description="The zone's ID.")],
        input: Annotated[ShippingZoneUpdateInput, strawberry.argument(description="The changes.")],
    ) -> ShippingZonePayload:
        actor = await info.context.actor()
        zone, errors = await attempt(
            lambda: management.update_zone(actor, decode_id(id, "ShippingZone"), changes(input))
        )
        return ShippingZonePayload(shipping_zone=await _zone(info, zone), errors=errors)

    @strawberry.mutation(
        **guard(
            "Delete a shipping zone with its methods. Another brand's ID or an unknown one: error `FORBIDDEN`.",
            MANAGE_STOREFRONT,
        )
    )
    async def shipping_zone_delete(
        self, info: Info, id: Annotated[relay.GlobalID, strawberry.argument(description="The zone's ID.")]
    ) -> ShippingZonePayload:
        actor = await info.context.actor()
        zone, errors = await attempt(lambda: management.delete_zone(actor, decode_id(id, "ShippingZone")))
        return ShippingZonePayload(
            shipping_zone=ShippingZone.from_view(ZoneView(zone)) if zone else None, errors=errors
        )

    @strawberry.mutation(
        **guard(
            "Add a shipping method with its prices to a zone. Another brand's ID or an unknown one: error `FORBIDDEN`.",
            MANAGE_STOREFRONT,
        )
    )
    async def shipping_method_create(
        self,
        info: Info,
        zone_id: Annotated[relay.GlobalID, strawberry.argument(description="The ID of the zone it ships in.")],
        input: Annotated[ShippingMethodCreateInput, strawberry.argument(description="The method.")],
    ) -> ShippingMethodPayload:
        actor = await info.context.actor()
        data = {key: value for key, value in plain(input).items() if value is not None}
        method, errors = await attempt(
            lambda: management.create_method(actor, decode_id(zone_id, "ShippingZone", "zone_id"), data)
        )
        return await _method_payload(info, method, errors)

    @strawberry.mutation(
        **guard(
            "Change a shipping method; only the fields given. Another brand's ID or an unknown one: error `FORBIDDEN`.",
            MANAGE_STOREFRONT,
        )
    )
    async def shipping_method_update(
        self,
        info: Info,
        id: Annotated[relay.GlobalID, strawberry.argument(description="The method's ID.")],
        input: Annotated[ShippingMethodUpdateInput, strawberry.argument(description="The changes.")],
    ) -> ShippingMethodPayload:
        actor = await info.context.actor()
        method, errors = await attempt(
            lambda: management.update_method(
                actor, decode_id(id, "ShippingMethod"), changes(input, nullable=("min_days", "max_days"))
            )
        )
        return await _method_payload(info, method, errors)

    @strawberry.mutation(
        **guard(
            "Delete a shipping method with its prices. Another brand's ID or an unknown one: error `FORBIDDEN`.",
            MANAGE_STOREFRONT,
        )
    )
    async def shipping_method_delete(
        self, info: Info, id: Annotated[relay.GlobalID, strawberry.argument(description="The method's ID.")]
    ) -> ShippingMethodPayload:
        actor = await info.context.actor()
        method, errors = await attempt(lambda: management.delete_method(actor, decode_id(id, "ShippingMethod")))
        return await _method_payload(info, method, errors)
