"""What a made-to-measure garment costs and when it will be ready: the one computation behind both
`customGarmentQuote` and the price of a made-to-measure checkout line, so the two agree to the last sen.

Two steps. `resolve` checks a configuration (product, fabric, options, measurements from a profile version or
typed in) against the product and returns its snapshot, the dict a checkout line and then the order line keep.
`price` prices any number of snapshots in a storefront currency from the configuration as it is now, in a
constant number of statements: the product configurations with their fabrics (five) and one exchange rate
look-up per fabric currency other than the storefront's.

Per garment: base making price + each option's surcharge + fabric (metres for the size band × price per
metre, converted from the supplier's currency through `core.garments.rates`) + the `price_adjustments` of
plugins; each part rounded once to the currency's minor unit, so the parts add up to the unit price. The line
total is the unit price × quantity. Ready by: today + the product's production days, plus the fabric's
restocking lead time when its metres on hand do not cover the garments.

Fabric beyond stock is never sold: adding a line and completing the order both refuse it
(FABRIC_OUT_OF_STOCK), and completion reserves metres by conditional updates that cannot go below zero. A
quote still answers when stock is short (`fabric_in_stock` False, the later date), so the shopper can wait
for the restock or pick another fabric.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any, cast

from core.actors.models import Brand
from core.catalog.listing import visible_products
from core.context import Actor
from core.errors import DomainError, DomainErrors, PermissionDenied
from core.garments import measurements, profiles, rates
from core.garments.models import OptionGroup, OptionKind, OptionValue
from core.garments.products import Config, band_for, load_configs, orderable, price_in
from core.money import Money, quantize
from core.plugins import PluginHost
from core.validation import Problems


@dataclass(frozen=True, slots=True)
class OptionChoice:
    """A shopper's choice in one option group: value codes (SINGLE, MULTIPLE) or a text (TEXT)."""

    group: str
    values: Sequence[str] = ()
    text: str = ""


@dataclass(frozen=True, slots=True)
class GarmentRequest:
    product_id: int
    fabric_id: int
    options: Sequence[OptionChoice] = ()
    measurement_profile_id: int | None = None
    measurements: Sequence[tuple[str, Any]] | None = None
    unit: str = "CM"
    quantity: int = 1


@dataclass(frozen=True, slots=True)
class Adjustment:
    """A plugin's surcharge (positive) or discount (negative) on one garment, in the line's currency."""

    code: str
    label: str
    amount: Money


@dataclass(frozen=True, slots=True)
class PriceContext:
    """Where a garment is priced: the storefront, its currency, the customer (None for a guest)."""

    brand_id: int
    currency: str
    user_id: int | None = None


@dataclass(frozen=True, slots=True)
class GarmentLine:
    """What `price_adjustments` is shown: the configuration snapshot, the quantity, and Lini's own parts."""

    product_id: int
    garment_type: str
    fabric_id: int
    size_band: str
    options: list[dict[str, Any]]
    quantity: int
    base: Money
    options_total: Money
    fabric: Money


@dataclass(frozen=True, slots=True)
class OptionCharge:
    group: str
    value: str  # the value code; "" for a text option
    amount: Money


@dataclass(frozen=True, slots=True)
class GarmentPrice:
    """One configured garment priced: the breakdown per garment, the line total and the ready date."""

    currency: str
    quantity: int
    base: Money
    options: list[OptionCharge]
    fabric_metres: Decimal  # per garment
    fabric_price_per_metre: Money  # converted into `currency`, unrounded amounts rounded here
    fabric: Money
    adjustments: list[Adjustment]
    unit_price: Money
    total: Money
    production_days: int
    fabric_in_stock: bool
    ready_by: date


@dataclass(frozen=True, slots=True)
class Quote:
    snapshot: dict[str, Any]
    price: GarmentPrice


class Conversion:
    """Conversion factors into one currency for one pricing run or request: one look-up per source currency,
    shared by concurrent callers (a page of products asks once)."""

    def __init__(self, to: str) -> None:
        self.to = to
        self._factors: dict[str, asyncio.Future[Decimal]] = {}

    async def factor(self, currency: str) -> Decimal:
        if currency not in self._factors:
            self._factors[currency] = asyncio.ensure_future(rates.convert(Decimal(1), currency, self.to))
        return await asyncio.shield(self._factors[currency])


def today() -> date:
    return datetime.now(UTC).date()


async def quote(
    actor: Actor,
    brand: Brand,
    currency: str,
    request: GarmentRequest,
    host: PluginHost,
    *,
    max_quantity: int = 50,
    on: date | None = None,
) -> Quote:
    """Check the configuration and price it in `currency` (a DomainErrors listing every problem otherwise)."""
    snapshot = await resolve(actor, brand, request, max_quantity=max_quantity)
    priced = await price([(snapshot, request.quantity)], PriceContext(brand.id, currency, actor.user_id), host, on=on)
    result = priced[0]
    if isinstance(result, DomainError):
        raise result
    return Quote(snapshot=snapshot, price=result)


async def resolve(actor: Actor, brand: Brand, request: GarmentRequest, *, max_quantity: int = 50) -> dict[str, Any]:
    """The configuration checked against the product, as the snapshot lines keep (see issue 7's shape)."""
    product = await visible_products(brand).filter(id=request.product_id).first()
    if product is None:
        raise DomainError("NOT_FOUND", "There is no such product.", "product_id")
    config = (await load_configs([product.id])).get(product.id)
    if not product.made_to_measure or config is None:
        raise DomainError("PRODUCT_NOT_MADE_TO_MEASURE", "This product is not made to measure.", "product_id")
    problems = Problems()
    if not 1 <= request.quantity <= max_quantity:
        problems.add("INVALID_QUANTITY", f"Order 1–{max_quantity} garments.", "quantity")
    options = await _options(problems, config, brand, request.options)
    allowed = config.fabric(request.fabric_id)
    if allowed is None:
        problems.add("FABRIC_NOT_ALLOWED", "This product is not made from that fabric.", "fabric_id")
    elif not orderable(allowed.fabric):
        problems.add("FABRIC_NOT_AVAILABLE", "This fabric is no longer offered.", "fabric_id")
    values, profile = await _measurements(problems, actor, config, request)
    band = band_for(config.mtm, values) if values is not None else None
    if values is not None and band is None:
        code = config.mtm.size_band_field
        problems.add("MEASUREMENT_REQUIRED", f"{code} is needed to choose the size.", f"measurements.{code}")
    problems.check()
    assert allowed is not None and band is not None and values is not None
    metres = next((Decimal(c["metres"]) for c in allowed.consumption if c["band"] == band), None)
    if metres is None:
        raise DomainError("FABRIC_NOT_ALLOWED", "This fabric is not cut in your size.", "fabric_id")
    fabric = allowed.fabric
    return {
        "product_id": product.id,
        "garment_type": config.garment_type.code,
        "fabric": {"id": fabric.id, "sku": fabric.sku, "name": fabric.name, "supplier_id": fabric.supplier_id},
        "options": options,
        "measurements": values,
        "profile": profile,
        "size_band": band,
        "fabric_metres": str(metres),
        "production_days": config.mtm.production_days,
        "ready_by": (today() + timedelta(days=config.mtm.production_days)).isoformat(),
    }


async def price(
    lines: Sequence[tuple[Mapping[str, Any], int]],
    context: PriceContext,
    host: PluginHost,
    *,
    on: date | None = None,
) -> list[GarmentPrice | DomainError]:
    """Price each (snapshot, quantity) from the configuration as it is now; a DomainError in a line's place
    when it can no longer be made (an option or fabric withdrawn, no price in the currency, no rate)."""
    if not lines:
        return []
    configs = await load_configs({int(s["product_id"]) for s, _ in lines})
    conversion = Conversion(context.currency)
    start = on or today()
    result: list[GarmentPrice | DomainError] = []
    for snapshot, quantity in lines:
        try:
            result.append(await _price_one(snapshot, quantity, configs, conversion, context, host, start))
        except DomainError as error:
            result.append(error)
    return result


async def _price_one(
    snapshot: Mapping[str, Any],
    quantity: int,
    configs: Mapping[int, Config],
    conversion: Conversion,
    context: PriceContext,
    host: PluginHost,
    start: date,
) -> GarmentPrice:
    currency = context.currency
    config = configs.get(int(snapshot["product_id"]))
    if config is None:
        raise DomainError("PRODUCT_NOT_MADE_TO_MEASURE", "This product is no longer made to measure.", "product_id")
    base_amount = price_in(config.mtm.base_prices, currency)
    if base_amount is None:
        raise DomainError("NOT_PRICED", f"This garment has no price in {currency}.", "currency")
    base = Money.of(base_amount, currency)
    charges = [charge for option in snapshot["options"] for charge in _charge(config, option, currency)]
    allowed = config.fabric(int(snapshot["fabric"]["id"]))
    if allowed is None:
        raise DomainError("FABRIC_NOT_ALLOWED", "This product is no longer made from that fabric.", "fabric_id")
    if not orderable(allowed.fabric):
        raise DomainError("FABRIC_NOT_AVAILABLE", "This fabric is no longer offered.", "fabric_id")
    fabric = allowed.fabric
    metres = Decimal(snapshot["fabric_metres"])
    factor = await conversion.factor(fabric.currency)
    per_metre = Decimal(fabric.price_per_metre) * factor
    fabric_cost = Money(quantize(metres * per_metre, currency), currency)
    options_total = sum((c.amount for c in charges), Money.zero(currency))
    line = GarmentLine(
        product_id=config.product_id,
        garment_type=str(snapshot["garment_type"]),
        fabric_id=fabric.id,
        size_band=str(snapshot["size_band"]),
        options=list(snapshot["options"]),
        quantity=quantity,
        base=base,
        options_total=options_total,
        fabric=fabric_cost,
    )
    adjustments = await _adjustments(host, line, context)
    unit = base + options_total + fabric_cost + sum((a.amount for a in adjustments), Money.zero(currency))
    if unit.amount < 0:
        unit = Money.zero(currency)
    in_stock = Decimal(fabric.stock_metres) >= metres * quantity
    days = config.mtm.production_days + (0 if in_stock else fabric.lead_time_days)
    return GarmentPrice(
        currency=currency,
        quantity=quantity,
        base=base,
        options=charges,
        fabric_metres=metres,
        fabric_price_per_metre=Money(quantize(per_metre, currency), currency),
        fabric=fabric_cost,
        adjustments=adjustments,
        unit_price=unit,
        total=Money(quantize(unit.amount * quantity, currency), currency),
        production_days=config.mtm.production_days,
        fabric_in_stock=in_stock,
        ready_by=start + timedelta(days=days),
    )


def _charge(config: Config, option: Mapping[str, Any], currency: str) -> list[OptionCharge]:
    group = config.group(option["group"])
    if group is None:
        raise DomainError("OPTION_NOT_ALLOWED", f"{option['group']} is no longer offered.", "options")
    if group.kind == OptionKind.TEXT:
        return [OptionCharge(group.code, "", _surcharge(group.surcharges, currency))] if option.get("text") else []
    by_code = {v.code: v for v in config.values.get(group.id, [])}
    charges = []
    for code in option["values"]:
        value = by_code.get(code)
        if value is None:
            raise DomainError("OPTION_NOT_ALLOWED", f"{group.code} {code} is no longer offered.", "options")
        charges.append(OptionCharge(group.code, value.code, _surcharge(value.surcharges, currency)))
    return charges


def _surcharge(surcharges: Sequence[Mapping[str, str]], currency: str) -> Money:
    """No surcharges: free in every currency. Surcharges in other currencies only: not sold in this one."""
    if not surcharges:
        return Money.zero(currency)
    amount = price_in(surcharges, currency)
    if amount is None:
        raise DomainError("NOT_PRICED", f"An option has no price in {currency}.", "currency")
    return Money.of(amount, currency)


async def _adjustments(host: PluginHost, line: GarmentLine, context: PriceContext) -> list[Adjustment]:
    found: list[Adjustment] = []
    for result in await host.call("price_adjustments", line=line, context=context):
        for adjustment in result:
            if not isinstance(adjustment, Adjustment) or adjustment.amount.currency != context.currency:
                raise RuntimeError("a price_adjustments hook must return Adjustments in the line's currency")
            amount = Money(quantize(adjustment.amount.amount, context.currency), context.currency)
            found.append(Adjustment(code=adjustment.code, label=adjustment.label, amount=amount))
    return found


async def _options(
    problems: Problems, config: Config, brand: Brand, choices: Sequence[OptionChoice]
) -> list[dict[str, Any]]:
    chosen: dict[str, dict[str, Any]] = {}
    named: set[str] = set()  # groups given, rightly or not (a wrong one is reported once, not also as missing)
    foreign = await _other_products_groups(config, brand, choices)
    for i, choice in enumerate(choices):
        at = problems.at(f"options.{i}")
        code = (choice.group or "").strip().upper()
        group = config.group(code)
        if group is None:
            if code in foreign:
                at.add("OPTION_NOT_ALLOWED", f"{code} is not offered for this product.", "group")
            else:
                at.add("UNKNOWN_OPTION", f"There is no option {choice.group!r}.", "group")
            continue
        if code in chosen:
            at.add("DUPLICATE_OPTION", f"{code} is chosen twice.", "group")
            continue
        named.add(code)
        entry = _choice(at, group, config.values.get(group.id, []), choice)
        if entry is not None:
            chosen[code] = entry
    for group in config.groups:
        if group.required and group.code not in named:
            problems.add("OPTION_REQUIRED", f"Choose {group.names.get('en') or group.code}.", f"options.{group.code}")
    return [chosen[g.code] for g in config.groups if g.code in chosen]


def _choice(at: Problems, group: OptionGroup, values: list[OptionValue], choice: OptionChoice) -> dict[str, Any] | None:
    if group.kind == OptionKind.TEXT:
        text = " ".join((choice.text or "").split())
        if choice.values:
            at.add("INVALID_OPTION", f"{group.code} takes a text, not values.", "values")
        elif len(text) > group.max_length:
            at.add("TEXT_TOO_LONG", f"{group.code} takes at most {group.max_length} characters.", "text")
        elif not text and group.required:
            at.add("OPTION_REQUIRED", f"Give the text for {group.code}.", "text")
        else:
            return {"group": group.code, "values": [], "text": text} if text else None
        return None
    codes = [(code or "").strip().upper() for code in choice.values]
    known = {v.code for v in values}
    if choice.text:
        at.add("INVALID_OPTION", f"{group.code} is chosen from values, not written.", "text")
        return None
    if not codes:
        at.add("OPTION_REQUIRED", f"Choose a value for {group.code}.", "values")
        return None
    if group.kind == OptionKind.SINGLE and len(codes) > 1:
        at.add("TOO_MANY_VALUES", f"Choose one value for {group.code}.", "values")
        return None
    unknown = [code for code in codes if code not in known]
    if unknown:
        at.add("UNKNOWN_OPTION_VALUE", f"{group.code} has no value {unknown[0]}.", "values")
        return None
    if len(set(codes)) != len(codes):
        at.add("DUPLICATE_OPTION", "A value is chosen twice.", "values")
        return None
    ordered = [v.code for v in values if v.code in codes]
    return {"group": group.code, "values": ordered, "text": ""}


async def _other_products_groups(config: Config, brand: Brand, choices: Sequence[OptionChoice]) -> set[str]:
    """Codes asked for that this product lacks but another of the brand's products offers."""
    missing = {(c.group or "").strip().upper() for c in choices} - {g.code for g in config.groups}
    if not missing:
        return set()
    found = cast(
        "list[str]",
        await OptionGroup.filter(product__brand_id=brand.id, code__in=list(missing)).values_list("code", flat=True),
    )
    return set(found)


async def _measurements(
    problems: Problems, actor: Actor, config: Config, request: GarmentRequest
) -> tuple[list[dict[str, str]] | None, dict[str, int] | None]:
    """The normalised values and, when they come from a profile, which version."""
    by_profile = request.measurement_profile_id is not None
    if by_profile == (request.measurements is not None):
        problems.add("MEASUREMENTS_REQUIRED", "Give either a measurement profile or the measurements.", "measurements")
        return None, None
    if by_profile:
        assert request.measurement_profile_id is not None
        try:
            version = await profiles.version_for(actor, request.measurement_profile_id, config.garment_type.id)
        except DomainError as error:
            problems.errors.append(error)
            return None, None
        except PermissionDenied:  # a guest has no profiles: the same answer as someone else's profile
            problems.add("PROFILE_NOT_FOUND", "There is no such measurement profile.", "measurement_profile_id")
            return None, None
        return list(version.values), {"id": version.profile_id, "version": version.version}
    try:
        return measurements.validate(config.fields, list(request.measurements or []), request.unit), None
    except DomainError as error:
        problems.errors.append(error)
    except DomainErrors as error:
        problems.errors.extend(error.errors)
    return None, None
