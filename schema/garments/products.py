"""Made-to-measure over GraphQL: staff setting a product's configuration (`productMadeToMeasureSet`),
`customGarmentQuote`, and `checkoutCustomGarmentAdd`. The types they answer with are in
`schema.garments.custom_garment`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

import strawberry
from strawberry import relay
from strawberry.types import Info

from core.catalog.models import Product as ProductModel
from core.checkout import services as checkout_services
from core.garments import products, quote
from core.garments.models import OptionKind
from schema.actors.storefront import StorefrontSlug
from schema.catalog.management import MANAGE_PRODUCTS, ProductPayload
from schema.catalog.management_types import render_product
from schema.checkout import CheckoutPayload, _payload, _who
from schema.errors import UserError, attempt
from schema.garments.custom_garment import CustomGarment, OptionKindEnum
from schema.locale import Currency, locale_for
from schema.permissions import PUBLIC, guard
from schema.relay import decode_id

# --- inputs ------------------------------------------------------------------------------------------------


@strawberry.input(description="A choice in one option group: `values` (codes) or, for a TEXT group, `text`.")
class CustomGarmentOptionInput:
    group: str = strawberry.field(
        description=(
            "The option group's code (`MadeToMeasureOptionGroup.code`); unknown: UNKNOWN_OPTION; "
            "chosen twice: DUPLICATE_OPTION."
        )
    )
    values: list[str] = strawberry.field(
        default_factory=list,
        description=(
            "For SINGLE (exactly one) and MULTIPLE groups: value codes (UNKNOWN_OPTION_VALUE, "
            "TOO_MANY_VALUES, INVALID_OPTION for a TEXT group)."
        ),
    )
    text: str = strawberry.field(
        default="", description="For a TEXT group: the text, at most the group's `maxLength` (TEXT_TOO_LONG)."
    )


@strawberry.input(description="A body measurement, in `unit`.")
class CustomGarmentMeasurementInput:
    code: str = strawberry.field(description="The measurement's code (`MadeToMeasureMeasurementField.code`, any case).")
    value: Decimal = strawberry.field(
        description=(
            "The value in the input's `unit` (a Decimal string); outside the field's range: MEASUREMENT_OUT_OF_RANGE."
        )
    )


@strawberry.input(
    description="A garment configured for a made-to-measure product: the fabric, the options, and either a "
    "saved measurement profile or the measurements themselves."
)
class CustomGarmentInput:
    product_id: relay.GlobalID = strawberry.field(
        description="The made-to-measure Product's global ID (NOT_FOUND, PRODUCT_NOT_MADE_TO_MEASURE)."
    )
    fabric_id: relay.GlobalID = strawberry.field(
        description=(
            "One of the product's fabrics (`MadeToMeasureConfig.fabrics`): FABRIC_NOT_ALLOWED "
            "otherwise (or when not cut in this size band), FABRIC_NOT_AVAILABLE when withdrawn."
        )
    )
    options: list[CustomGarmentOptionInput] = strawberry.field(
        default_factory=list, description="A choice per option group; every required group (OPTION_REQUIRED)."
    )
    measurement_profile_id: relay.GlobalID | None = strawberry.field(
        default=None,
        description=(
            "One of the signed-in customer's MeasurementProfiles for this garment type "
            "(PROFILE_NOT_FOUND, PROFILE_GARMENT_MISMATCH); its current version is used. Give this or"
            " `measurements`, not both (MEASUREMENTS_REQUIRED)."
        ),
    )
    measurements: list[CustomGarmentMeasurementInput] | None = strawberry.field(
        default=None,
        description=(
            "The measurements themselves, instead of a profile (the way for a guest); every required "
            "one (MEASUREMENT_REQUIRED)."
        ),
    )
    unit: str = strawberry.field(default="CM", description="CM or INCH, for `measurements`.")
    quantity: int = strawberry.field(
        default=1,
        description=("How many garments, 1 up to the maximum per checkout line (50 by default; INVALID_QUANTITY)."),
    )


def request_of(input: CustomGarmentInput) -> quote.GarmentRequest:
    return quote.GarmentRequest(
        product_id=decode_id(input.product_id, "Product", "product_id"),
        fabric_id=decode_id(input.fabric_id, "Fabric", "fabric_id"),
        options=[quote.OptionChoice(group=o.group, values=list(o.values), text=o.text) for o in input.options],
        measurement_profile_id=decode_id(input.measurement_profile_id, "MeasurementProfile", "measurement_profile_id")
        if input.measurement_profile_id is not None
        else None,
        measurements=[(m.code, m.value) for m in input.measurements] if input.measurements is not None else None,
        unit=input.unit,
        quantity=input.quantity,
    )


@strawberry.type(description="The priced garment, or why it cannot be made.")
class CustomGarmentQuotePayload:
    quote: CustomGarment | None = strawberry.field(
        description="The garment with its price breakdown and ready-by date; null when refused."
    )
    errors: list[UserError] = strawberry.field(
        description=("Every problem with the configuration at once (each naming its input field); empty on success.")
    )


@strawberry.input(description="A price in one of the brand's currencies.")
class MadeToMeasurePriceInput:
    currency: str = strawberry.field(
        description=(
            "One of the brand's enabled currencies (ISO 4217; CURRENCY_NOT_ENABLED), each once (DUPLICATE_CURRENCY)."
        )
    )
    amount: Decimal = strawberry.field(
        description="0 or more, in at most the currency's minor units (a Decimal string; INVALID_AMOUNT)."
    )


@strawberry.input(description="One size band; leave `maxCm` out for the last, open-ended band.")
class MadeToMeasureSizeBandInput:
    code: str = strawberry.field(
        description=("Capital letters, digits and underscores, unique among the bands (INVALID_CODE), e.g. `M`.")
    )
    max_cm: Decimal | None = strawberry.field(
        default=None,
        description=(
            "The largest `sizeBandField` measurement in the band, in centimetres, above the band "
            "before (INVALID_SIZE_BAND)."
        ),
    )


@strawberry.input(description="A text in one language.")
class MadeToMeasureNameInput:
    language: str = strawberry.field(
        description="The language's code (`id`, `en`, `ms`, `tr` or `ar`; INVALID_LANGUAGE)."
    )
    text: str = strawberry.field(description="The text, at most 100 characters (TOO_LONG).")


@strawberry.input(description="One value of an option group.")
class MadeToMeasureOptionValueInput:
    code: str = strawberry.field(
        description=("Capital letters, digits and underscores, unique in the group (INVALID_CODE, DUPLICATE_CODE).")
    )
    names: list[MadeToMeasureNameInput] = strawberry.field(default_factory=list, description="Its name per language.")
    surcharges: list[MadeToMeasurePriceInput] = strawberry.field(
        default_factory=list, description="None: free. Otherwise one per currency it is sold in."
    )


@strawberry.input(description="A choice the shopper makes. At most 30 groups (TOO_MANY).")
class MadeToMeasureOptionGroupInput:
    code: str = strawberry.field(
        description="Capital letters, digits and underscores, unique among the groups (e.g. `COLLAR`)."
    )
    kind: OptionKindEnum = strawberry.field(  # type: ignore[valid-type]
        default=OptionKind.SINGLE, description="How it is chosen (SINGLE by default)."
    )
    names: list[MadeToMeasureNameInput] = strawberry.field(default_factory=list, description="Its name per language.")
    required: bool = strawberry.field(default=False, description="Whether every garment must choose in it.")
    max_length: int = strawberry.field(default=0, description="TEXT groups: 1–200 characters.")
    surcharges: list[MadeToMeasurePriceInput] = strawberry.field(
        default_factory=list, description="TEXT groups: charged when a text is given."
    )
    values: list[MadeToMeasureOptionValueInput] = strawberry.field(
        default_factory=list,
        description="For SINGLE and MULTIPLE groups, 1–50 values (INVALID_OPTION_GROUP); none for TEXT.",
    )


@strawberry.input(description="Metres of a fabric one garment of a size band takes.")
class MadeToMeasureConsumptionInput:
    band: str = strawberry.field(
        description="A size band's code of this configuration (INVALID_CONSUMPTION otherwise)."
    )
    metres: Decimal = strawberry.field(
        description="Metres per garment, above 0 and at most 100, two decimals at most (a Decimal string)."
    )


@strawberry.input(description="A fabric the product may be cut from, with its metres for every size band.")
class MadeToMeasureFabricInput:
    fabric_id: relay.GlobalID = strawberry.field(
        description="An ACTIVE Fabric's global ID (FABRIC_NOT_AVAILABLE), each once (DUPLICATE_FABRIC)."
    )
    consumption: list[MadeToMeasureConsumptionInput] = strawberry.field(
        description="Metres for every size band of the product."
    )


@strawberry.input(description="A product's whole made-to-measure configuration; it replaces the one before.")
class ProductMadeToMeasureInput:
    garment_type: str = strawberry.field(description="A garment type code (built-in or the brand's own).")
    base_prices: list[MadeToMeasurePriceInput] = strawberry.field(
        description="The making price per garment, at least one of the brand's currencies (REQUIRED)."
    )
    size_bands: list[MadeToMeasureSizeBandInput] = strawberry.field(
        description="1–20 bands in rising order of `maxCm`, the last open-ended."
    )
    size_band_field: str = strawberry.field(
        default="",
        description=(
            "The code of the garment type's measurement that picks the band (e.g. `LINGKAR_BADAN`; "
            "REQUIRED, UNKNOWN_MEASUREMENT)."
        ),
    )
    production_days: int = strawberry.field(
        default=14, description="Days the making takes once started, 1–365 (INVALID_PRODUCTION_DAYS)."
    )
    option_groups: list[MadeToMeasureOptionGroupInput] = strawberry.field(
        default_factory=list, description="The choices the shopper makes, in display order."
    )
    fabrics: list[MadeToMeasureFabricInput] = strawberry.field(
        default_factory=list, description="Up to 100 fabrics the product may be cut from (TOO_MANY), in display order."
    )


def _prices(items: list[MadeToMeasurePriceInput]) -> list[products.PriceInput]:
    return [products.PriceInput(currency=p.currency, amount=p.amount) for p in items]


def _names(items: list[MadeToMeasureNameInput]) -> dict[str, str]:
    return {n.language: n.text for n in items}


def config_input(input: ProductMadeToMeasureInput) -> products.ConfigInput:
    return products.ConfigInput(
        garment_type=input.garment_type,
        base_prices=_prices(input.base_prices),
        size_bands=[products.SizeBandInput(code=b.code, max_cm=b.max_cm) for b in input.size_bands],
        size_band_field=input.size_band_field,
        production_days=input.production_days,
        option_groups=[
            products.OptionGroupInput(
                code=g.code,
                kind=g.kind.value if hasattr(g.kind, "value") else str(g.kind),
                names=_names(g.names),
                required=g.required,
                max_length=g.max_length,
                surcharges=_prices(g.surcharges),
                values=[
                    products.OptionValueInput(code=v.code, names=_names(v.names), surcharges=_prices(v.surcharges))
                    for v in g.values
                ],
            )
            for g in input.option_groups
        ],
        fabrics=[
            products.FabricInput(
                fabric_id=decode_id(f.fabric_id, "Fabric", f"fabrics.{i}.fabric_id"),
                consumption={c.band: c.metres for c in f.consumption},
            )
            for i, f in enumerate(input.fabrics)
        ],
    )


# --- fields ------------------------------------------------------------------------------------------------


@strawberry.type
class MadeToMeasureQuery:
    @strawberry.field(
        **guard(
            "Price a configured made-to-measure garment in the storefront's currency (or `currency`), with the "
            "date it can be ready by. Checkout lines of the same configuration cost exactly this.",
            PUBLIC,
        )
    )
    async def custom_garment_quote(
        self,
        info: Info,
        input: Annotated[CustomGarmentInput, strawberry.argument(description="The configured garment.")],
        currency: Currency = None,
        storefront: StorefrontSlug = None,
    ) -> CustomGarmentQuotePayload:
        actor, brand = await _who(info, storefront)
        limits = info.context.settings.checkout

        async def run() -> quote.Quote:
            chosen = locale_for(info, brand, currency=currency).currency
            return await quote.quote(
                actor, brand, chosen, request_of(input), info.context.host, max_quantity=limits.max_line_quantity
            )

        found, errors = await attempt(run)
        garment = CustomGarment.of(found.snapshot, input.quantity, found.price) if found else None
        return CustomGarmentQuotePayload(quote=garment, errors=errors)


@strawberry.type
class MadeToMeasureMutation:
    @strawberry.mutation(
        **guard(
            "Set a made-to-measure product's garment type, making price, size bands, lead time, options and "
            "fabrics (all of it, replacing what was there). The product must be flagged made-to-measure.",
            MANAGE_PRODUCTS,
        )
    )
    async def product_made_to_measure_set(
        self,
        info: Info,
        product_id: Annotated[
            relay.GlobalID,
            strawberry.argument(
                description=(
                    "The Product's global ID; one of a brand you may not manage (or none) is refused with "
                    "FORBIDDEN. One not flagged made-to-measure: PRODUCT_NOT_MADE_TO_MEASURE."
                )
            ),
        ],
        input: Annotated[ProductMadeToMeasureInput, strawberry.argument(description="The whole configuration.")],
    ) -> ProductPayload:
        actor = await info.context.actor()

        async def run() -> ProductModel:
            config = await products.configure(
                actor, decode_id(product_id, "Product", "product_id"), config_input(input)
            )
            return await ProductModel.get(id=config.product_id)

        product, errors = await attempt(run)
        return ProductPayload(product=await render_product(product), errors=errors)

    @strawberry.mutation(
        **guard(
            "Add a configured made-to-measure garment to the checkout, priced as `customGarmentQuote` prices it. "
            "The same configuration again raises its line's quantity.",
            PUBLIC,
        )
    )
    async def checkout_custom_garment_add(
        self,
        info: Info,
        token: Annotated[
            str,
            strawberry.argument(
                description=(
                    "The checkout's `token`. Unknown, another brand's or another shopper's: NOT_FOUND; "
                    "expired: CHECKOUT_EXPIRED."
                )
            ),
        ],
        input: Annotated[
            CustomGarmentInput,
            strawberry.argument(
                description=(
                    "The configured garment, checked as `customGarmentQuote` checks it; also INVALID_QUANTITY"
                    " and TOO_MANY_LINES for the checkout, and FABRIC_OUT_OF_STOCK when the supplier has too "
                    "few metres on hand for the checkout's garments."
                )
            ),
        ],
        storefront: StorefrontSlug = None,
    ) -> CheckoutPayload:
        actor, brand = await _who(info, storefront)
        limits, host = info.context.settings.checkout, info.context.host
        return _payload(
            *await attempt(
                lambda: checkout_services.custom_garment_add(actor, brand, token, request_of(input), limits, host)
            )
        )


QUERIES = (MadeToMeasureQuery,)
MUTATIONS = (MadeToMeasureMutation,)
TYPES = ()
