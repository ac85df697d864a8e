"""The made-to-measure types read by the storefront: a product's configuration (`MadeToMeasureConfig`, on
`Product.madeToMeasureConfig`) and a configured garment (`CustomGarment`), which is both what
`customGarmentQuote` answers and what a made-to-measure checkout line shows, since both are priced by the
same `core.garments.quote` computation. Configurations of a page of products load through one dataloader.

Kept apart from `schema.garments.products` (inputs and fields) so `schema.catalog.products` and `schema.checkout` can
use these types without importing the mutations that build on them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

import strawberry
from strawberry import relay
from strawberry.dataloader import DataLoader
from strawberry.types import Info

from core.errors import DomainError
from core.garments import products, quote
from core.garments.models import OptionKind
from schema.enums import described_enum
from schema.errors import UserError
from schema.locale import Locale
from schema.scalars import Money

OptionKindEnum = described_enum(
    OptionKind,
    name="MadeToMeasureOptionKind",
    description="How a made-to-measure option group is chosen.",
    values={
        "SINGLE": "One value.",
        "MULTIPLE": "Any number of values.",
        "TEXT": "A free text (embroidery, monogram) of at most `maxLength` characters.",
    },
)


def _name(names: Mapping[str, str] | None, language: str, fallback: str) -> str:
    names = names or {}
    return names.get(language) or names.get("en") or next(iter(names.values()), fallback)


# --- a product's configuration ------------------------------------------------------------------------------


@strawberry.type(description="A body measurement the garment is made from, in centimetres.")
class MadeToMeasureMeasurementField:
    code: str = strawberry.field(
        description=(
            "The measurement's code in the garment type (e.g. `LINGKAR_BADAN`): the key of "
            "`CustomGarmentMeasurementInput.code`."
        )
    )
    label: str = strawberry.field(
        description=("Its name for the shopper, in the asked language (English, then any, when not translated).")
    )
    hint: str = strawberry.field(description="How to measure it.")
    min_cm: Decimal = strawberry.field(description="The smallest value accepted, in centimetres.")
    max_cm: Decimal = strawberry.field(description="The largest value accepted, in centimetres.")
    required: bool = strawberry.field(description="Whether a garment can be quoted without it.")


@strawberry.type(description="The kind of garment a made-to-measure product is, with the measurements it needs.")
class MadeToMeasureGarmentType:
    code: str = strawberry.field(
        description="The garment type's code (e.g. `KEMEJA`): measurement profiles are kept per garment type."
    )
    name: str = strawberry.field(description="Its name in the asked language.")
    fields: list[MadeToMeasureMeasurementField] = strawberry.field(
        description="The body measurements it is made from, in the platform's order."
    )


@strawberry.type(description="A size band: garments whose band measurement is at most `maxCm` (null: any above).")
class MadeToMeasureSizeBand:
    code: str = strawberry.field(description="The band's code (e.g. `S`, `M`, `XL`), used by fabric consumption.")
    max_cm: Decimal | None = strawberry.field(
        description=(
            "The largest `sizeBandField` measurement in this band, in centimetres; null for the last band (any above)."
        )
    )


@strawberry.type(description="A value of an option group and what it adds to the price.")
class MadeToMeasureOptionValue:
    code: str = strawberry.field(
        description="The value's code within its group: what `CustomGarmentOptionInput.values` takes."
    )
    name: str = strawberry.field(description="Its name in the asked language.")
    surcharge: Money | None = strawberry.field(description="Null: not offered in this currency.")


@strawberry.type(description="A choice the customer makes: collar, sleeve, embroidery text…")
class MadeToMeasureOptionGroup:
    code: str = strawberry.field(
        description="The group's code (e.g. `COLLAR`): what `CustomGarmentOptionInput.group` takes."
    )
    name: str = strawberry.field(description="Its name in the asked language.")
    kind: OptionKindEnum = strawberry.field(description="Whether one value, several, or a text is chosen.")  # type: ignore[valid-type]
    required: bool = strawberry.field(description="Whether a garment can be quoted without choosing in it.")
    max_length: int = strawberry.field(description="TEXT groups: the most characters allowed.")
    surcharge: Money | None = strawberry.field(description="TEXT groups: charged when a text is given.")
    values: list[MadeToMeasureOptionValue] = strawberry.field(
        description="The values to choose from (empty for TEXT groups)."
    )


@strawberry.type(description="Metres of fabric one garment of a size band takes.")
class MadeToMeasureConsumption:
    band: str = strawberry.field(description="A size band's code.")
    metres: Decimal = strawberry.field(
        description="Metres of this fabric one garment of that band takes (a Decimal string)."
    )


@strawberry.type(description="A fabric the product can be cut from, priced per metre in the storefront currency.")
class MadeToMeasureFabric:
    id: relay.GlobalID = strawberry.field(
        description="The Fabric's global ID: what `CustomGarmentInput.fabricId` takes."
    )
    sku: str = strawberry.field(description="The supplier's SKU for the fabric.")
    name: str = strawberry.field(description="The fabric's name (e.g. `Wolfis Premium`).")
    composition: str = strawberry.field(description="What it is made of (e.g. `100% polyester`); may be empty.")
    colour: str = strawberry.field(description="Its colour; may be empty.")
    pattern: str = strawberry.field(description="Its pattern (e.g. `polos`, `batik`); may be empty.")
    weight_gsm: int | None = strawberry.field(
        description="Its weight in grams per square metre (g/m²); null when not given."
    )
    width_cm: int | None = strawberry.field(description="The roll's width in centimetres; null when not given.")
    images: list[str] = strawberry.field(description="Absolute image URLs of the fabric.")
    price_per_metre: Money | None = strawberry.field(description="Null: no exchange rate to this currency.")
    consumption: list[MadeToMeasureConsumption] = strawberry.field(
        description="Metres one garment takes, per size band."
    )
    in_stock: bool = strawberry.field(description="False: the supplier restocks first (see `leadTimeDays`).")
    lead_time_days: int = strawberry.field(
        description="Days the supplier needs to restock it, added to the ready-by date when it is short."
    )


@strawberry.type(description="How a made-to-measure product is made and priced, in the storefront's currency.")
class MadeToMeasureConfig:
    garment_type: MadeToMeasureGarmentType = strawberry.field(
        description="The kind of garment, with the measurements it needs."
    )
    base_price: Money | None = strawberry.field(description="The making price; null: not sold in this currency.")
    size_band_field: str = strawberry.field(description="The measurement that picks the size band.")
    size_bands: list[MadeToMeasureSizeBand] = strawberry.field(
        description=(
            "The size bands in ascending order; a garment falls in the first whose `maxCm` its "
            "`sizeBandField` measurement does not exceed."
        )
    )
    production_days: int = strawberry.field(
        description="Days the making takes once started, not counting a fabric restock."
    )
    option_groups: list[MadeToMeasureOptionGroup] = strawberry.field(
        description="The choices the shopper makes, in the brand's order."
    )
    _config: strawberry.Private[products.Config]
    _locale: strawberry.Private[Locale]
    _conversion: strawberry.Private[quote.Conversion]

    @strawberry.field(description="The fabrics on offer for this product, in the brand's order.")
    async def fabrics(self) -> list[MadeToMeasureFabric]:
        conversion = self._conversion
        result = []
        for allowed in self._config.fabrics:
            fabric = allowed.fabric
            if not products.orderable(fabric):
                continue
            try:
                factor: Decimal | None = await conversion.factor(fabric.currency)
            except DomainError:  # no exchange rate: shown without a price, refused when quoted
                factor = None
            result.append(
                MadeToMeasureFabric(
                    id=relay.GlobalID("Fabric", str(fabric.id)),
                    sku=fabric.sku,
                    name=fabric.name,
                    composition=fabric.composition,
                    colour=fabric.colour,
                    pattern=fabric.pattern,
                    weight_gsm=fabric.weight_gsm,
                    width_cm=fabric.width_cm,
                    images=list(fabric.images),
                    price_per_metre=Money.of(Decimal(fabric.price_per_metre) * factor, self._locale.currency)
                    if factor is not None
                    else None,
                    consumption=[
                        MadeToMeasureConsumption(band=c["band"], metres=Decimal(c["metres"]))
                        for c in allowed.consumption
                    ],
                    in_stock=Decimal(fabric.stock_metres) > 0,
                    lead_time_days=fabric.lead_time_days,
                )
            )
        return result

    @classmethod
    def of(cls, config: products.Config, locale: Locale, conversion: quote.Conversion) -> MadeToMeasureConfig:
        lang, currency = locale.language, locale.currency
        mtm = config.mtm
        return cls(
            garment_type=MadeToMeasureGarmentType(
                code=config.garment_type.code,
                name=_name(config.garment_type.names, lang, config.garment_type.code),
                fields=[
                    MadeToMeasureMeasurementField(
                        code=f.code,
                        label=_name(f.labels, lang, f.code),
                        hint=_name(f.hints, lang, ""),
                        min_cm=f.min_cm,
                        max_cm=f.max_cm,
                        required=f.required,
                    )
                    for f in config.fields
                ],
            ),
            base_price=_money(products.price_in(mtm.base_prices, currency), currency),
            size_band_field=mtm.size_band_field,
            size_bands=[
                MadeToMeasureSizeBand(
                    code=b["code"], max_cm=Decimal(str(b["max_cm"])) if b.get("max_cm") is not None else None
                )
                for b in mtm.size_bands
            ],
            production_days=mtm.production_days,
            option_groups=[
                MadeToMeasureOptionGroup(
                    code=g.code,
                    name=_name(g.names, lang, g.code),
                    kind=g.kind,
                    required=g.required,
                    max_length=g.max_length,
                    surcharge=_surcharge(g.surcharges, currency) if g.kind == OptionKind.TEXT else None,
                    values=[
                        MadeToMeasureOptionValue(
                            code=v.code, name=_name(v.names, lang, v.code), surcharge=_surcharge(v.surcharges, currency)
                        )
                        for v in config.values.get(g.id, [])
                    ],
                )
                for g in config.groups
            ],
            _config=config,
            _locale=locale,
            _conversion=conversion,
        )


def _money(amount: Decimal | None, currency: str) -> Money | None:
    return Money.of(amount, currency) if amount is not None else None


def _surcharge(surcharges: Sequence[Mapping[str, str]], currency: str) -> Money | None:
    if not surcharges:
        return Money.of(Decimal(0), currency)
    return _money(products.price_in(surcharges, currency), currency)


async def config_for(info: Info, product_id: int, locale: Locale) -> MadeToMeasureConfig | None:
    """The product's configuration through the request's dataloader (a page of products: one batch)."""
    extra = info.context.loaders.extra
    loader = extra.get("made_to_measure")
    if loader is None:

        async def load(keys: list[int]) -> list[products.Config | None]:
            found = await products.load_configs(keys)
            return [found.get(key) for key in keys]

        loader = extra["made_to_measure"] = DataLoader(load_fn=load)
    config = await loader.load(product_id)
    if config is None:
        return None
    conversion = extra.setdefault(f"conversion:{locale.currency}", quote.Conversion(locale.currency))
    return MadeToMeasureConfig.of(config, locale, conversion)


# --- a configured garment: quote or checkout line --------------------------------------------------------------


@strawberry.type(description="A chosen option: its values, or its text.")
class CustomGarmentOption:
    group: str = strawberry.field(description="The option group's code.")
    values: list[str] = strawberry.field(description="The chosen values' codes (empty for a TEXT group).")
    text: str = strawberry.field(description="The text of a TEXT group (e.g. a monogram); empty otherwise.")


@strawberry.type(description="A body measurement the garment is made from, in centimetres.")
class CustomGarmentMeasurement:
    code: str = strawberry.field(description="The measurement's code.")
    cm: Decimal = strawberry.field(description="The value in centimetres (a Decimal string).")


@strawberry.type(description="The fabric a garment is cut from.")
class CustomGarmentFabric:
    id: relay.GlobalID = strawberry.field(description="The Fabric's global ID.")
    sku: str = strawberry.field(description="The fabric's SKU.")
    name: str = strawberry.field(description="The fabric's name.")


@strawberry.type(description="What an option adds to the price of one garment.")
class CustomGarmentOptionCharge:
    group: str = strawberry.field(description="The option group's code.")
    value: str = strawberry.field(description="The value's code; empty for a text option.")
    amount: Money = strawberry.field(description="The surcharge for one garment.")


@strawberry.type(description="The fabric part of one garment's price.")
class CustomGarmentFabricCharge:
    metres: Decimal = strawberry.field(description="Metres of fabric one garment takes in its size band.")
    price_per_metre: Money = strawberry.field(description="Converted into the storefront's currency.")
    amount: Money = strawberry.field(description="metres × price per metre, for one garment.")


@strawberry.type(description="A plugin's surcharge or discount on one garment.")
class CustomGarmentAdjustment:
    code: str = strawberry.field(description="The plugin's code for it.")
    label: str = strawberry.field(description="What it is, for the shopper.")
    amount: Money = strawberry.field(description="Added to one garment's price (negative for a discount).")


@strawberry.type(
    description="A configured made-to-measure garment with its price per garment, broken down, and the "
    "date it can be ready by. A quote and a checkout line are priced by the same computation."
)
class CustomGarment:
    product_id: relay.GlobalID = strawberry.field(description="The made-to-measure Product's global ID.")
    garment_type: str = strawberry.field(description="The garment type's code.")
    size_band: str = strawberry.field(description="The size band its measurements fall in.")
    fabric: CustomGarmentFabric = strawberry.field(description="The fabric chosen.")
    options: list[CustomGarmentOption] = strawberry.field(description="The options chosen.")
    measurements: list[CustomGarmentMeasurement] = strawberry.field(
        description="The measurements it is made to, in centimetres."
    )
    measurement_profile_id: relay.GlobalID | None = strawberry.field(
        description="The MeasurementProfile's global ID the measurements came from; null when typed in."
    )
    measurement_profile_version: int | None = strawberry.field(
        description="That profile's version; null when typed in."
    )
    quantity: int = strawberry.field(description="How many of this garment.")
    base: Money | None = strawberry.field(description="The making price of one garment; null when it cannot be priced.")
    option_charges: list[CustomGarmentOptionCharge] = strawberry.field(
        description="What the options add to one garment."
    )
    fabric_charge: CustomGarmentFabricCharge | None = strawberry.field(
        description="The fabric part of one garment's price; null when it cannot be priced."
    )
    adjustments: list[CustomGarmentAdjustment] = strawberry.field(
        description="Plugins' surcharges and discounts on one garment."
    )
    unit_price: Money | None = strawberry.field(description="Null: it cannot be priced now (see `problem`).")
    total: Money | None = strawberry.field(description="`unitPrice` × `quantity`; null when it cannot be priced.")
    production_days: int = strawberry.field(description="Days the making takes once started.")
    fabric_in_stock: bool = strawberry.field(
        description=(
            "Whether the supplier has enough fabric now for `quantity` garments; if not, its lead "
            "time is added to `readyBy`."
        )
    )
    ready_by: date | None = strawberry.field(
        description=(
            "The date it can be ready by (ISO 8601 date): today + production days (+ the fabric's "
            "lead time when short); null when it cannot be priced."
        )
    )
    problem: UserError | None = strawberry.field(description="Why it can no longer be made or priced.")

    @classmethod
    def of(
        cls,
        snapshot: Mapping[str, Any],
        quantity: int,
        price: quote.GarmentPrice | None,
        problem: Any = None,
    ) -> CustomGarment:
        profile = snapshot.get("profile") or None
        fabric = snapshot["fabric"]
        return cls(
            product_id=relay.GlobalID("Product", str(snapshot["product_id"])),
            garment_type=snapshot["garment_type"],
            size_band=snapshot["size_band"],
            fabric=CustomGarmentFabric(
                id=relay.GlobalID("Fabric", str(fabric["id"])), sku=fabric["sku"], name=fabric["name"]
            ),
            options=[
                CustomGarmentOption(group=o["group"], values=list(o["values"]), text=o.get("text", ""))
                for o in snapshot["options"]
            ],
            measurements=[
                CustomGarmentMeasurement(code=m["code"], cm=Decimal(m["cm"])) for m in snapshot["measurements"]
            ],
            measurement_profile_id=relay.GlobalID("MeasurementProfile", str(profile["id"])) if profile else None,
            measurement_profile_version=profile["version"] if profile else None,
            quantity=quantity,
            base=Money.from_core(price.base) if price else None,
            option_charges=[
                CustomGarmentOptionCharge(group=c.group, value=c.value, amount=Money.from_core(c.amount))
                for c in (price.options if price else [])
            ],
            fabric_charge=CustomGarmentFabricCharge(
                metres=price.fabric_metres,
                price_per_metre=Money.from_core(price.fabric_price_per_metre),
                amount=Money.from_core(price.fabric),
            )
            if price
            else None,
            adjustments=[
                CustomGarmentAdjustment(code=a.code, label=a.label, amount=Money.from_core(a.amount))
                for a in (price.adjustments if price else [])
            ],
            unit_price=Money.from_core(price.unit_price) if price else None,
            total=Money.from_core(price.total) if price else None,
            production_days=int(snapshot["production_days"]),
            fabric_in_stock=price.fabric_in_stock if price else False,
            ready_by=price.ready_by if price else None,
            problem=UserError(field=None, code=problem.code, message=problem.message) if problem else None,
        )
