"""The plugin's GraphQL API: staff manage their brand's zones and methods (MANAGE_STOREFRONT).

`shippingZones` lists a brand's zones with their methods, prices and thresholds (a brand has a handful: a list,
loaded in four queries); the mutations follow Lini's shape, one `input` and a payload with `errors`. IDs are
global IDs of type ShippingZone and ShippingMethod; they are not Nodes, so `node(id:)` never reveals them.
"""

from __future__ import annotations

from decimal import Decimal

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


@strawberry.type(description="A method's price for parcels in a weight bracket (grams, both ends included).")
class ShippingMethodRate:
    min_weight_grams: int
    max_weight_grams: int | None = strawberry.field(description="Null: no upper limit.")
    price: MoneyType


@strawberry.type(description="One way to ship in a zone, e.g. JNE REG: prices by weight, free above an amount.")
class ShippingMethod:
    id: relay.GlobalID
    name: str
    carrier: str
    min_days: int | None
    max_days: int | None
    active: bool
    position: int
    rates: list[ShippingMethodRate]
    free_shipping_thresholds: list[MoneyType] = strawberry.field(
        description="Per currency, the order subtotal from which this method is free."
    )

    @classmethod
    def from_view(cls, view: MethodView) -> ShippingMethod:
        m = view.method
        return cls(
            id=relay.GlobalID("ShippingMethod", str(m.id)),
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


@strawberry.type(description="Where a brand ships: countries, and in Indonesia optionally some provinces only.")
class ShippingZone:
    id: relay.GlobalID
    name: str
    countries: list[str] = strawberry.field(description="ISO 3166-1 alpha-2 codes.")
    provinces: list[str] = strawberry.field(description="Indonesian provinces; empty: the whole of each country.")
    methods: list[ShippingMethod]

    @classmethod
    def from_view(cls, view: ZoneView) -> ShippingZone:
        z = view.zone
        return cls(
            id=relay.GlobalID("ShippingZone", str(z.id)),
            name=z.name,
            countries=list(z.countries),
            provinces=list(z.provinces),
            methods=[ShippingMethod.from_view(m) for m in view.methods],
        )


@strawberry.input(description="Countries among the brand's `shipsTo`; provinces (Indonesian) need ID among them.")
class ShippingZoneCreateInput:
    name: str
    countries: list[str]
    provinces: list[str] = strawberry.field(default_factory=list, description="Empty: the whole country.")


@strawberry.input(description="Only the fields given are changed; the lists replace the zone's.")
class ShippingZoneUpdateInput:
    name: str | None = strawberry.UNSET
    countries: list[str] | None = strawberry.UNSET
    provinces: list[str] | None = strawberry.UNSET


@strawberry.input(description="A price for parcels from `minWeightGrams` to `maxWeightGrams` (null: no limit).")
class ShippingMethodRateInput:
    currency: str
    price: Decimal
    min_weight_grams: int = 0
    max_weight_grams: int | None = None


@strawberry.input(description="Free shipping from this order subtotal, in one of the brand's currencies.")
class ShippingFreeThresholdInput:
    currency: str
    amount: Decimal


@strawberry.input
class ShippingMethodCreateInput:
    name: str
    carrier: str = ""
    min_days: int | None = None
    max_days: int | None = None
    active: bool = True
    position: int | None = strawberry.field(default=None, description="Null: after the zone's other methods.")
    rates: list[ShippingMethodRateInput] = strawberry.field(default_factory=list)
    free_shipping_thresholds: list[ShippingFreeThresholdInput] = strawberry.field(default_factory=list)


@strawberry.input(description="Only the fields given are changed; `rates` and thresholds, when given, replace all.")
class ShippingMethodUpdateInput:
    name: str | None = strawberry.UNSET
    carrier: str | None = strawberry.UNSET
    min_days: int | None = strawberry.UNSET
    max_days: int | None = strawberry.UNSET
    active: bool | None = strawberry.UNSET
    position: int | None = strawberry.UNSET
    rates: list[ShippingMethodRateInput] | None = strawberry.UNSET
    free_shipping_thresholds: list[ShippingFreeThresholdInput] | None = strawberry.UNSET


@strawberry.type
class ShippingZonePayload:
    shipping_zone: ShippingZone | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class ShippingMethodPayload:
    shipping_method: ShippingMethod | None = None
    shipping_zone: ShippingZone | None = strawberry.field(default=None, description="The method's zone, as it is now.")
    errors: list[UserError] = strawberry.field(default_factory=list)


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
    shown = next((m for m in zone.methods if m.id.node_id == str(method.id)), None) if zone else None
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
    async def shipping_zones(self, info: Info, brand: str | None = None) -> list[ShippingZone]:
        actor = await info.context.actor()
        found = await managed_brand(actor, await info.context.brand_slug(brand), PERMISSION)
        return [ShippingZone.from_view(view) for view in await management.zones_of(actor, found)]


@strawberry.type
class ShippingRatesMutation:
    @strawberry.mutation(
        **guard("Create a shipping zone: countries, optionally Indonesian provinces.", MANAGE_STOREFRONT)
    )
    async def shipping_zone_create(
        self, info: Info, input: ShippingZoneCreateInput, brand: str | None = None
    ) -> ShippingZonePayload:
        actor = await info.context.actor()

        async def run() -> ZoneModel:
            found = await managed_brand(actor, await info.context.brand_slug(brand), PERMISSION)
            return await management.create_zone(actor, found, plain(input))

        zone, errors = await attempt(run)
        return ShippingZonePayload(shipping_zone=await _zone(info, zone), errors=errors)

    @strawberry.mutation(**guard("Change a shipping zone; only the fields given.", MANAGE_STOREFRONT))
    async def shipping_zone_update(
        self, info: Info, id: relay.GlobalID, input: ShippingZoneUpdateInput
    ) -> ShippingZonePayload:
        actor = await info.context.actor()
        zone, errors = await attempt(
            lambda: management.update_zone(actor, decode_id(id, "ShippingZone"), changes(input))
        )
        return ShippingZonePayload(shipping_zone=await _zone(info, zone), errors=errors)

    @strawberry.mutation(**guard("Delete a shipping zone with its methods.", MANAGE_STOREFRONT))
    async def shipping_zone_delete(self, info: Info, id: relay.GlobalID) -> ShippingZonePayload:
        actor = await info.context.actor()
        zone, errors = await attempt(lambda: management.delete_zone(actor, decode_id(id, "ShippingZone")))
        return ShippingZonePayload(
            shipping_zone=ShippingZone.from_view(ZoneView(zone)) if zone else None, errors=errors
        )

    @strawberry.mutation(**guard("Add a shipping method with its prices to a zone.", MANAGE_STOREFRONT))
    async def shipping_method_create(
        self, info: Info, zone_id: relay.GlobalID, input: ShippingMethodCreateInput
    ) -> ShippingMethodPayload:
        actor = await info.context.actor()
        data = {key: value for key, value in plain(input).items() if value is not None}
        method, errors = await attempt(
            lambda: management.create_method(actor, decode_id(zone_id, "ShippingZone", "zone_id"), data)
        )
        return await _method_payload(info, method, errors)

    @strawberry.mutation(**guard("Change a shipping method; only the fields given.", MANAGE_STOREFRONT))
    async def shipping_method_update(
        self, info: Info, id: relay.GlobalID, input: ShippingMethodUpdateInput
    ) -> ShippingMethodPayload:
        actor = await info.context.actor()
        method, errors = await attempt(
            lambda: management.update_method(
                actor, decode_id(id, "ShippingMethod"), changes(input, nullable=("min_days", "max_days"))
            )
        )
        return await _method_payload(info, method, errors)

    @strawberry.mutation(**guard("Delete a shipping method with its prices.", MANAGE_STOREFRONT))
    async def shipping_method_delete(self, info: Info, id: relay.GlobalID) -> ShippingMethodPayload:
        actor = await info.context.actor()
        method, errors = await attempt(lambda: management.delete_method(actor, decode_id(id, "ShippingMethod")))
        return await _method_payload(info, method, errors)
