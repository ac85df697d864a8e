"""Brand staff managing their shipping zones and methods (permission MANAGE_STOREFRONT).

Every service loads its target row and checks the actor may manage that row's brand before anything else:
IDs come from clients, and a zone of another brand must not be editable by guessing its ID. Another brand's
row and a row that does not exist are refused alike, so IDs cannot be probed. One transaction per operation,
with its event.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from tortoise.transactions import in_transaction

from lini.plugin import Actor, Brand, DomainError, Permission, Problems, emit
from plugins.shipping_rates import validation
from plugins.shipping_rates.models import ShippingFreeThreshold, ShippingMethod, ShippingMethodRate, ShippingZone

PERMISSION = Permission.MANAGE_STOREFRONT


@dataclass
class ZoneView:
    """A zone with its methods, each with its rates and thresholds: what the API shows, loaded in 4 queries."""

    zone: ShippingZone
    methods: list[MethodView] = field(default_factory=list)


@dataclass
class MethodView:
    method: ShippingMethod
    rates: list[ShippingMethodRate] = field(default_factory=list)
    thresholds: list[ShippingFreeThreshold] = field(default_factory=list)


async def zones_of(actor: Actor, brand: Brand, *, ids: Sequence[int] | None = None) -> list[ZoneView]:
    """The brand's zones (or those of `ids` among them), in creation order, with everything they hold."""
    actor.require(brand.id, PERMISSION)
    query = ShippingZone.filter(brand_id=brand.id)
    if ids is not None:
        query = query.filter(id__in=list(ids))
    return await _views(await query.order_by("id"))


async def visible_zones(actor: Actor, ids: Sequence[int]) -> list[ZoneView]:
    """The zones of `ids` the actor could list with `zones_of` (those of brands it manages the storefront of),
    for `node(id:)`: others are left out, as if they did not exist. Four queries, however many ids."""
    zones = await ShippingZone.filter(id__in=list(ids)).order_by("id")
    return await _views([zone for zone in zones if actor.can(zone.brand_id, PERMISSION)])


async def visible_methods(actor: Actor, ids: Sequence[int]) -> dict[int, MethodView]:
    """The methods of `ids` in zones the actor may see (`visible_zones`), by id. Five queries."""
    zone_ids = cast("list[int]", await ShippingMethod.filter(id__in=list(ids)).values_list("zone_id", flat=True))
    views = await visible_zones(actor, list(set(zone_ids)))
    return {m.method.id: m for view in views for m in view.methods}


async def _views(zones: Sequence[ShippingZone]) -> list[ZoneView]:
    views = {zone.id: ZoneView(zone) for zone in zones}
    if not views:
        return []
    methods = {
        m.id: MethodView(m) for m in await ShippingMethod.filter(zone_id__in=list(views)).order_by("position", "id")
    }
    for view in methods.values():
        views[view.method.zone_id].methods.append(view)
    if methods:
        for rate in await ShippingMethodRate.filter(method_id__in=list(methods)).order_by(
            "currency", "min_weight_grams"
        ):
            methods[rate.method_id].rates.append(rate)
        for threshold in await ShippingFreeThreshold.filter(method_id__in=list(methods)).order_by("currency"):
            methods[threshold.method_id].thresholds.append(threshold)
    return list(views.values())


async def _owned_zone(actor: Actor, zone_id: int, field: str = "id") -> ShippingZone:
    zone = await ShippingZone.get_or_none(id=zone_id)
    actor.require(zone.brand_id if zone else -1, PERMISSION)
    if zone is None:  # only a system actor gets here
        raise DomainError("NOT_FOUND", "There is no such shipping zone.", field)
    return zone


async def _owned_method(actor: Actor, method_id: int) -> tuple[ShippingMethod, ShippingZone]:
    method = await ShippingMethod.get_or_none(id=method_id).select_related("zone")
    actor.require(method.zone.brand_id if method else -1, PERMISSION)
    if method is None:
        raise DomainError("NOT_FOUND", "There is no such shipping method.", "id")
    return method, method.zone


# --- zones -------------------------------------------------------------------------------------------------


async def create_zone(actor: Actor, brand: Brand, data: Mapping[str, Any]) -> ShippingZone:
    actor.require(brand.id, PERMISSION)
    problems = Problems()
    values = validation.zone_values(problems, brand, data)
    problems.check()
    async with in_transaction():
        zone = await ShippingZone.create(brand_id=brand.id, **values)
        await emit("shipping_zone.created", {"zone_id": zone.id, "name": zone.name}, brand_id=brand.id)
    return zone


async def update_zone(actor: Actor, zone_id: int, changes: Mapping[str, Any]) -> ShippingZone:
    """Only the fields given change; the result is checked whole (dropping ID from a zone with provinces fails)."""
    zone = await _owned_zone(actor, zone_id)
    brand = await Brand.get(id=zone.brand_id)
    current = {"name": zone.name, "countries": zone.countries, "provinces": zone.provinces}
    problems = Problems()
    values = validation.zone_values(problems, brand, {**current, **changes})
    problems.check()
    async with in_transaction():
        await ShippingZone.filter(id=zone.id).update(**values)
        await emit("shipping_zone.updated", {"zone_id": zone.id, "fields": sorted(changes)}, brand_id=brand.id)
    return await ShippingZone.get(id=zone.id)


async def delete_zone(actor: Actor, zone_id: int) -> ShippingZone:
    """Deletes the zone's methods, rates and thresholds with it (foreign-key cascades)."""
    zone = await _owned_zone(actor, zone_id)
    async with in_transaction():
        await ShippingZone.filter(id=zone.id).delete()
        await emit("shipping_zone.deleted", {"zone_id": zone.id, "name": zone.name}, brand_id=zone.brand_id)
    return zone


# --- methods -----------------------------------------------------------------------------------------------


def _enabled(brand: Brand) -> list[str]:
    return brand.currencies or [brand.default_currency]


async def create_method(actor: Actor, zone_id: int, data: Mapping[str, Any]) -> ShippingMethod:
    """A method with its `rates` and `free_shipping_thresholds`; it goes last unless a `position` is given."""
    zone = await _owned_zone(actor, zone_id, "zone_id")
    brand = await Brand.get(id=zone.brand_id)
    problems = Problems()
    values = validation.method_values(problems, data, partial=False)
    validation.delivery_days(problems, values.get("min_days"), values.get("max_days"))
    rates = validation.rates(problems, data.get("rates") or [], _enabled(brand))
    thresholds = validation.thresholds(problems, data.get("free_shipping_thresholds") or [], _enabled(brand))
    problems.check()
    async with in_transaction():
        if "position" not in values:
            last = await ShippingMethod.filter(zone_id=zone.id).order_by("-position").first()
            values["position"] = last.position + 1 if last else 0
        method = await ShippingMethod.create(zone_id=zone.id, **values)
        await _replace_prices(method.id, rates, thresholds)
        await emit("shipping_method.created", {"method_id": method.id, "zone_id": zone.id}, brand_id=brand.id)
    return method


async def update_method(actor: Actor, method_id: int, changes: Mapping[str, Any]) -> ShippingMethod:
    """Only the fields given change; `rates` or `free_shipping_thresholds`, when given, replace the lists."""
    method, zone = await _owned_method(actor, method_id)
    brand = await Brand.get(id=zone.brand_id)
    problems = Problems()
    values = validation.method_values(problems, changes, partial=True)
    validation.delivery_days(problems, values.get("min_days", method.min_days), values.get("max_days", method.max_days))
    rates = thresholds = None
    if changes.get("rates") is not None:
        rates = validation.rates(problems, changes["rates"], _enabled(brand))
    if changes.get("free_shipping_thresholds") is not None:
        thresholds = validation.thresholds(problems, changes["free_shipping_thresholds"], _enabled(brand))
    problems.check()
    async with in_transaction():
        if values:
            await ShippingMethod.filter(id=method.id).update(**values)
        await _replace_prices(method.id, rates, thresholds)
        await emit("shipping_method.updated", {"method_id": method.id, "fields": sorted(changes)}, brand_id=brand.id)
    return await ShippingMethod.get(id=method.id)


async def delete_method(actor: Actor, method_id: int) -> ShippingMethod:
    method, zone = await _owned_method(actor, method_id)
    async with in_transaction():
        await ShippingMethod.filter(id=method.id).delete()
        await emit("shipping_method.deleted", {"method_id": method.id, "zone_id": zone.id}, brand_id=zone.brand_id)
    return method


async def _replace_prices(
    method_id: int,
    rates: Sequence[validation.RateRow] | None,
    thresholds: Sequence[validation.ThresholdRow] | None,
) -> None:
    """Replace the lists that were given (None keeps one); call inside a transaction."""
    if rates is not None:
        await ShippingMethodRate.filter(method_id=method_id).delete()
        await ShippingMethodRate.bulk_create(
            [
                ShippingMethodRate(
                    method_id=method_id,
                    currency=r.currency,
                    min_weight_grams=r.min_weight_grams,
                    max_weight_grams=r.max_weight_grams,
                    price=r.price,
                )
                for r in rates
            ]
        )
    if thresholds is not None:
        await ShippingFreeThreshold.filter(method_id=method_id).delete()
        await ShippingFreeThreshold.bulk_create(
            [ShippingFreeThreshold(method_id=method_id, currency=t.currency, amount=t.amount) for t in thresholds]
        )
